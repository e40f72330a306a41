"""One error hierarchy. Each error carries a finished sentence for the user.

The sentence is a :class:`consign.i18n.Message`, so that it can be shown in the user's
language; ``message`` is its text in the default language. The command line translates
the hierarchy in one place: a rule's refusal exits 1; malformed input (``InvalidInput``
and its subclasses) exits 2, and names the field it concerns (``field``), so that a form
can show it next to that field; a failed environment (``EnvironmentFailure``: the
database cannot be reached, a folder cannot be written) exits 3; a file refused row by
row (``InvalidRows``) exits as its worst row does.
"""

from __future__ import annotations

from consign.i18n import Message, msg


class ConsignError(Exception):
    """A request the product refuses, with a sentence that says why."""

    exit_code = 1

    def __init__(self, message: Message | str, *, field: str | None = None,
                 command: Message | None = None):
        # a plain string is taken as it is (a migration's refusal): it is not translated
        self.sentence = message if isinstance(message, Message) else Message(str(message))
        self.field = field
        self.command = command
        super().__init__(self.text())

    @property
    def message(self) -> str:
        return self.text()

    def text(self, lang: str | None = None) -> str:
        """The sentence, and where there is one, the command that puts it right (the
        command line says both)."""
        said = self.sentence.text(lang)
        return f"{said} {self.command.text(lang)}" if self.command is not None else said

    def fact(self, lang: str | None = None) -> str:
        """The sentence without the command that puts it right: what a page says, where
        the remedy is a form, not a command."""
        return self.sentence.text(lang)


class InvalidInput(ConsignError):
    """Malformed input: a bad value (also in a row of a file), an unknown option value.
    ``field`` names the field (option, column, form field) it concerns."""

    exit_code = 2

    def __init__(self, message: Message | str, *, field: str, command: Message | None = None):
        super().__init__(message, field=field, command=command)


class MalformedSetting(InvalidInput):
    """A setting of the environment that is not well formed: an unknown time zone, a
    database URL of a scheme consign does not know."""


class EnvironmentFailure(ConsignError):
    """The environment failed (the database cannot be reached, is read-only or is not a
    consign database; a folder cannot be written): nothing was written, safe to retry."""

    exit_code = 3


def _line_of(problem: tuple[str, ConsignError]) -> int:
    """The line number of a problem's ``FILE:LINE`` (0 where it names none)."""
    line = problem[0].rsplit(":", 1)[-1]
    return int(line) if line.isdigit() else 0


class InvalidRows(ConsignError):
    """Bulk input refused row by row. Every problem is kept with the error that refused its
    row (``errors``) and shown as ``FILE:LINE: message`` (``problems``).

    Its exit code follows from those errors: 2 if any row is malformed (an ``InvalidInput``:
    a bad date or number, an unknown column), else 1: the file is well formed and rules
    refuse some of its rows (a conflicting receipt, not enough stock, a closed period)."""

    def __init__(self, problems: list[tuple[str, ConsignError]]):
        problems = sorted(problems, key=_line_of)  # in the file's order; stable within a line
        self.errors = [error for _where, error in problems]
        self.where = [where for where, _error in problems]
        super().__init__(msg("{count} rows of the file are refused.", count=len(problems)))
        self.exit_code = max((error.exit_code for error in self.errors), default=1)

    @property
    def problems(self) -> list[str]:
        return [f"{where}: {error.message}" for where, error in zip(self.where, self.errors,
                                                                      strict=True)]

    @property
    def message(self) -> str:
        return "\n".join(self.problems)

    def text(self, lang: str | None = None) -> str:
        return "\n".join(f"{where}: {error.text(lang)}"
                         for where, error in zip(self.where, self.errors, strict=True))

    def fact(self, lang: str | None = None) -> str:
        return "\n".join(f"{where}: {error.fact(lang)}"
                         for where, error in zip(self.where, self.errors, strict=True))

    def __str__(self) -> str:
        return self.message


class NotFound(ConsignError):
    pass


class Forbidden(ConsignError):
    """A role that may not perform the action at all (SPEC section 6): exit 1."""


class Duplicate(ConsignError):
    pass


class Inactive(ConsignError):
    pass


class OverlappingTerms(ConsignError):
    pass


class LastAdmin(ConsignError):
    """A change that would leave no active user with the admin role."""


class InsufficientStock(ConsignError):
    pass


class NeverPlaced(InsufficientStock):
    """Goods sold, returned, written off or counted at a hotel that never received them."""


class PeriodClosed(ConsignError):
    pass


class ReceiptConflict(ConsignError):
    pass


class AlreadyReversed(ConsignError):
    pass


class AlreadyIssued(ConsignError):
    pass


class AlreadyPaid(ConsignError):
    pass


class NothingToPay(ConsignError):
    pass


class Overpayment(ConsignError):
    pass


class MissingRate(ConsignError):
    pass


class OutOfOrder(ConsignError):
    pass


class WrongConsignor(ConsignError):
    pass


class UpgradeStop(ConsignError):
    """A schema change this release refuses to make to this database (an upgrade that must
    go through an earlier release first, a downgrade that would drop what must be kept)."""

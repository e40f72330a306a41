"""One error hierarchy. Each error carries a finished sentence for the user.

The command line translates it in one place: a rule's refusal exits 1,
malformed input (``InvalidInput`` and its subclasses) exits 2, and a file refused row by
row (``InvalidRows``) exits as its worst row does.
"""


class ConsignError(Exception):
    """A request the product refuses, with a sentence that says why."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(ConsignError):
    """Malformed input: a bad value (also in a row of a file), an unknown option value."""

    exit_code = 2


class InvalidRows(ConsignError):
    """Bulk input refused row by row. Every problem is kept with the error that refused its
    row (``errors``) and shown as ``FILE:LINE: message`` (``problems``).

    Its exit code follows from those errors: 2 if any row is malformed (an ``InvalidInput``:
    a bad date or number, an unknown column), else 1: the file is well formed and rules
    refuse some of its rows (a conflicting receipt, not enough stock, a closed period)."""

    def __init__(self, problems: list[tuple[str, ConsignError]]):
        self.errors = [error for _where, error in problems]
        self.problems = [f"{where}: {error.message}" for where, error in problems]
        super().__init__("\n".join(self.problems))
        self.exit_code = max((error.exit_code for error in self.errors), default=1)


class NotFound(ConsignError):
    pass


class Duplicate(ConsignError):
    pass


class Inactive(ConsignError):
    pass


class OverlappingTerms(ConsignError):
    pass


class InsufficientStock(ConsignError):
    pass


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


class MissingRate(ConsignError):
    pass


class OutOfOrder(ConsignError):
    pass


class NotReversible(ConsignError):
    pass


class WrongConsignor(ConsignError):
    pass


class UpgradeStop(ConsignError):
    """A schema change this release refuses to make to this database (an upgrade that must
    go through an earlier release first, a downgrade that would drop what must be kept)."""

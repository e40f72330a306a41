"""One error hierarchy. Each error carries a finished sentence for the user.

The command line translates it in one place: a rule's refusal exits 1,
malformed input (``InvalidInput`` and its subclasses) exits 2.
"""


class ConsignError(Exception):
    """A request the product refuses, with a sentence that says why."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(ConsignError):
    """Malformed input: a bad value, a bad row in a file, an unknown option value."""

    exit_code = 2


class InvalidRows(InvalidInput):
    """Bulk input with bad rows; every problem is kept, each as ``FILE:LINE: message``."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


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


class MissingRate(ConsignError):
    pass


class OutOfOrder(ConsignError):
    pass


class NotReversible(ConsignError):
    pass


class WrongConsignor(ConsignError):
    pass

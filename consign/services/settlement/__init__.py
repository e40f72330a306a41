"""Settlement: monthly statements of what each IKM is owed by each hotel (SPEC section 4).

One function per use case; each takes a Session and never commits.
"""

from consign.services.settlement.closing import closable, close_period, closed_through, settle
from consign.services.settlement.payments import list_payments, pay, void_payment
from consign.services.settlement.statements import (
    Verdict,
    consolidated_pdfs,
    get_statement,
    list_statements,
    pdf,
    statement,
    statement_number,
    statement_pdfs,
    verify,
    verify_code,
)

__all__ = [
    "Verdict",
    "closable",
    "close_period",
    "closed_through",
    "consolidated_pdfs",
    "get_statement",
    "list_payments",
    "list_statements",
    "pay",
    "pdf",
    "settle",
    "statement",
    "statement_number",
    "statement_pdfs",
    "verify",
    "verify_code",
    "void_payment",
]

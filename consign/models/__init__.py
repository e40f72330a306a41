"""SQLAlchemy models. Migrations (``alembic/``) never import these."""

from consign.models.base import Base
from consign.models.documents import Document
from consign.models.ledger import ClosedPeriod, Counter, Movement, Note, ShelfMonth, Stock
from consign.models.outbox import OutboxMessage
from consign.models.registry import (
    AuditEntry,
    AuditLink,
    AuditQueue,
    Consignor,
    Hotel,
    Product,
    Terms,
)
from consign.models.settlement import (
    Payment,
    PaymentVoid,
    Statement,
    StatementLine,
    StatementLoss,
    StatementStock,
)
from consign.models.users import ApiToken, FormKey, User

__all__ = [
    "ApiToken",
    "AuditEntry",
    "AuditLink",
    "AuditQueue",
    "Base",
    "ClosedPeriod",
    "Consignor",
    "Counter",
    "Document",
    "FormKey",
    "Hotel",
    "Movement",
    "Note",
    "OutboxMessage",
    "Payment",
    "PaymentVoid",
    "Product",
    "ShelfMonth",
    "Statement",
    "StatementLine",
    "StatementLoss",
    "StatementStock",
    "Stock",
    "Terms",
    "User",
]

"""The archive of issued documents: the exact bytes of every rendering consign has handed
out of an issued statement, a consolidated statement, or a proof of what changed hands (a
placement's receipt, a return note, a payment's advice), kept append-only, as an invoice
file is kept. A renderer may change; what was handed out never does."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from consign.models.base import Base
from consign.models.ledger import guard_append_only

PROOF_KINDS = ("receipt", "return-note", "advice")  # made by consign.services.proofs
DOCUMENT_KINDS = ("statement", "consolidated", *PROOF_KINDS)


class Document(Base):
    """One archived rendering. ``key`` names what it is a rendering of (its kind, its
    statement numbers, its language), so that the same request is answered from here."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(4000), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(2))
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"), index=True)
    consignor_id: Mapped[int | None] = mapped_column(ForeignKey("consignors.id"))
    period: Mapped[str | None] = mapped_column(String(7))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    archived_at: Mapped[datetime]


guard_append_only(
    Document, lambda document: f"archived document {document.key} cannot be changed or deleted"
)

"""The archive of issued documents (SPEC section 4): every rendering of an issued statement,
and every proof of what changed hands (a placement's receipt, a return note, a payment's
advice), that consign hands out is kept, byte for byte, the first time it is made, and
handed out from here ever after. Archiving is a record consign keeps, not a change by
whoever asked for the document, so anyone who may read a statement (or a proof) may have
it rendered."""

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign.context import Context
from consign.db import upsert
from consign.errors import EnvironmentFailure
from consign.i18n import msg
from consign.models import Document


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def statement_key(number: str, lang: str) -> str:
    return f"statement:{number}:{lang}"


def consolidated_key(consignor: str, period: str, lang: str, numbers: list[str]) -> str:
    return f"consolidated:{consignor}:{period}:{lang}:{','.join(sorted(numbers))}"


def receipt_key(number: str, lang: str) -> str:
    """A placement's receipt (``PL-2020-00042``) in a language."""
    return f"receipt:{number}:{lang}"


def return_note_key(number: str, lang: str) -> str:
    """A return note (``RT-2020-00001``) in a language."""
    return f"return-note:{number}:{lang}"


def advice_key(payment_id: int, lang: str) -> str:
    """The advice of one payment (by its id) in a language."""
    return f"advice:{payment_id}:{lang}"


def find(session: Session, key: str) -> bytes | None:
    """The archived bytes of ``key``, or None if it was never handed out."""
    data = session.scalar(select(Document.data).where(Document.key == key))
    if data is None or isinstance(data, bytes):
        return data
    if isinstance(data, memoryview):
        return data.tobytes()
    raise EnvironmentFailure(msg(
        "The archived document {key} is damaged: the database holds something that is no "
        "file. Run 'consign check' and restore it from a backup.", key=key), field="db")


def by_digest(session: Session, digest: str) -> Document | None:
    return session.scalar(select(Document).where(Document.sha256 == digest))


def keep(
    session: Session, ctx: Context, key: str, kind: str, lang: str, data: bytes,
    statement_id: int | None = None, consignor_id: int | None = None, period: str | None = None,
    new: bool = False, digest: str | None = None,
) -> bytes:
    """Archive ``data`` under ``key`` and return it; if ``key`` was archived meanwhile, the
    archived bytes are returned instead: the first rendering handed out is the one kept.
    ``new``: the document was first made in this transaction (a statement being issued),
    so it is inserted without looking for it first; should the key be taken after all,
    the archived bytes are still the ones returned. ``digest``: ``data``'s SHA-256, where
    the caller has it already."""
    if not new:
        earlier = find(session, key)
        if earlier is not None:
            return earlier
    statement = upsert(session, Document.__table__).on_conflict_do_nothing()
    inserted = session.execute(statement, {
        "key": key, "kind": kind, "lang": lang, "statement_id": statement_id,
        "consignor_id": consignor_id, "period": period, "sha256": digest or sha256(data),
        "data": data, "archived_at": ctx.now,
    }).rowcount
    return data if inserted == 1 else find(session, key)

"""The audit log (SPEC section 4a): one entry per movement and per change, with the business
moment of what it records, when it was recorded, who recorded it, and the record it
concerns (``movement:1234``, ``hotel:ATRIA``, ``statement:ST-000042``).

Entries are appended, never changed (the database refuses UPDATE and DELETE). The
database also puts every new entry in a queue; ``extend_chain`` (run by ``close`` and by
``check``) takes the queue into the hash chain in one batch, each link's SHA-256 covering
its entry and the link before it. So recording a sale never waits on a lock that every
hotel shares, and ``check`` finds any entry altered, removed or put in out of order.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from consign import records
from consign.context import Context
from consign.models import AuditEntry, AuditLink, AuditQueue

_INSERT = insert(AuditEntry.__table__)
GENESIS = "0" * 64
CHAIN_LOCK = 7_274_700  # the PostgreSQL advisory lock held while the chain is extended


def detail_text(detail: dict) -> str:
    return json.dumps(detail, sort_keys=True, default=str, ensure_ascii=False)


def record(session: Session, ctx: Context, action: str, concerns: str,
           at: datetime | None = None, **detail) -> None:
    """Write one entry, in the session's transaction (a Core INSERT built once: the ORM's
    flush of one new object costs more than all of a sale's own statements)."""
    session.connection().execute(_INSERT, {
        "at": at or ctx.now, "recorded_at": ctx.now, "actor": ctx.actor, "action": action,
        "record": concerns, "detail": detail_text(detail),
    })


def record_many(session: Session, rows: list[dict]) -> None:
    """Many entries at once (``at``, ``recorded_at``, ``actor``, ``action``, ``record``,
    ``detail``), for an import: still one entry per movement."""
    if rows:
        session.connection().execute(_INSERT, rows)


def movement_detail(kind: str, hotel: str, consignor: str, sku: str, qty: int,
                    unit_price: int | None, receipt=None, payment=None, note=None,
                    reason=None, liable=None, reverses=None) -> dict:
    """What a movement's entry says of it; ``check`` holds each movement to its entry."""
    return {"kind": kind, "hotel": hotel, "consignor": consignor, "sku": sku, "qty": qty,
            "unit_price": unit_price, "receipt": receipt, "payment": payment, "note": note,
            "reason": reason, "liable": liable, "reverses": reverses}


def movement_action(kind: str) -> str:
    return "void" if kind == "reversal" else kind


def movement_entry(ctx: Context, movement_id: int, at: datetime, detail: dict) -> dict:
    return {"at": at, "recorded_at": ctx.now, "actor": ctx.actor,
            "action": movement_action(detail["kind"]), "record": f"movement:{movement_id}",
            "detail": detail_text(detail)}


def entries(session: Session, since: datetime | None = None, *,
            ctx: Context | None = None) -> list[records.AuditEntry]:
    """``audit log``: every entry (recorded from ``since`` on), for the agency alone."""
    from consign.services import access

    access.require(session, ctx, "audit.log")
    query = select(AuditEntry).order_by(AuditEntry.id)
    if since is not None:
        query = query.where(AuditEntry.recorded_at >= since)
    return [records.AuditEntry(e.id, e.at, e.recorded_at, e.actor, e.action, e.record,
                               e.detail) for e in session.scalars(query)]


# ---- the hash chain ------------------------------------------------------------------------------

def _moment(value: datetime) -> str:
    """A moment as the chain hashes it. A naive one is in UTC: what a plain ``DateTime``
    reads from SQLite, which keeps every moment in UTC (``check`` reads them so, saving
    the conversions of a million moments)."""
    if value.tzinfo is None:
        return value.isoformat(timespec="microseconds") + "+00:00"
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def link_hash(previous: str, entry) -> str:
    """The SHA-256 of a link: the previous link's hash and every field of its entry."""
    return chain_hash(previous, entry.id, entry.at, entry.recorded_at, entry.actor,
                      entry.action, entry.record, entry.detail)


def chain_hash(previous: str, entry_id: int, at: datetime, recorded_at: datetime, actor: str,
               action: str, concerns: str, detail: str) -> str:
    """``link_hash`` of an entry given as its fields, in the order of its columns (what
    ``check`` walks a million links with, from plain rows); its moments aware, or naive in
    UTC."""
    content = "\n".join((previous, str(entry_id), _moment(at), _moment(recorded_at), actor,
                         action, concerns, detail))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


_QUEUED = (
    select(AuditEntry)
    .join(AuditQueue, AuditQueue.entry_id == AuditEntry.id)
    .order_by(AuditEntry.id)
)
_HEAD = select(AuditLink.seq, AuditLink.hash).order_by(AuditLink.seq.desc()).limit(1)
_LINK = insert(AuditLink.__table__)
_UNQUEUE = delete(AuditQueue).where(
    AuditQueue.entry_id.in_(select(AuditLink.entry_id).where(AuditLink.seq > bindparam("after")))
)


def extend_chain(session: Session) -> int:
    """Take every queued entry into the chain, in the order of its id; how many."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})")
    head = connection.execute(_HEAD).first()
    seq, previous = (head.seq, head.hash) if head else (0, GENESIS)
    start, links = seq, []
    for entry in connection.execute(_QUEUED):
        seq += 1
        previous = link_hash(previous, entry)
        links.append({"seq": seq, "entry_id": entry.id, "hash": previous})
    if links:
        connection.execute(_LINK, links)
        connection.execute(_UNQUEUE, {"after": start})
    return len(links)


def chain_head(session: Session) -> tuple[int, str]:
    """How many links the chain has and the hash of the last: written down elsewhere (on
    paper, in an e-mail), it shows later that the chain was not cut back behind it."""
    head = session.connection().execute(_HEAD).first()
    return (head.seq, head.hash) if head else (0, GENESIS)


def holds(session: Session, link: str) -> bool:
    """Whether the chain holds a link with this hash (a head written down earlier)."""
    return session.scalar(select(func.count()).select_from(AuditLink)
                          .where(AuditLink.hash == link.strip().lower())) > 0

"""The audit log: who did what, when, to which record."""

import json
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from consign.context import Context
from consign.models import AuditEntry

_INSERT = insert(AuditEntry.__table__)


def record(session: Session, ctx: Context, action: str, entity: str, key: str, **detail) -> None:
    """Write one entry of the log at once, in the session's transaction: a Core INSERT built
    once and run on the session's connection, since the ORM's flush of one new object costs
    more than all of a sale's own statements. The only function that writes audit rows."""
    session.connection().execute(_INSERT, {
        "at": ctx.now, "actor": ctx.actor, "action": action, "entity": entity, "key": key,
        "detail": json.dumps(detail, sort_keys=True, default=str, ensure_ascii=False),
    })


def entries(session: Session, since: datetime | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    return list(session.scalars(query))

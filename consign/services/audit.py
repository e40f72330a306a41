"""The audit log: who did what, when, to which record."""

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from consign.context import Context
from consign.models import AuditEntry


def record(session: Session, ctx: Context, action: str, entity: str, key: str, **detail) -> None:
    session.add(
        AuditEntry(
            at=ctx.now,
            actor=ctx.actor,
            action=action,
            entity=entity,
            key=key,
            detail=json.dumps(detail, sort_keys=True, default=str, ensure_ascii=False),
        )
    )


def entries(session: Session, since: datetime | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    return list(session.scalars(query))

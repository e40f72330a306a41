"""``audit log``: the attributable history of every change and movement (SPEC section 4a),
filtered by when it was recorded (``since``), by its business moment (``from``/``to``),
by who recorded it (``actor``) and by the record it concerns (``record``).

``record`` gives a record's whole history: its own entries, and the entries that name it
in their detail: for a hotel, an IKM or a product (``product:SKU``) the movements at it or
of it; for a movement, its voids; for a statement, its payments and the close that issued
it."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from consign import fields, records
from consign.context import Context
from consign.errors import InvalidInput
from consign.i18n import msg
from consign.models import AuditEntry
from consign.services.audit_reports.scoping import seen

KINDS = ("movement", "hotel", "consignor", "product", "statement", "payment", "terms",
         "period", "user")
_STATEMENT = re.compile(r"ST-\d{6}", re.ASCII)
MOVEMENT_ACTIONS = ("placed", "sold", "returned", "lost", "damaged", "counted", "void")
# the key of a movement's detail that names a record of each kind
_NAMED_BY = {"hotel": "hotel", "consignor": "consignor", "product": "sku"}


def parse_record(text: str) -> tuple[str, str]:
    """``KIND:CODE`` (``movement:12``, ``hotel:ATRIA``, ``statement:ST-000001``)."""
    text = fields.text(text, "record", 200)
    kind, colon, code = text.partition(":")
    kind = kind.strip().lower()
    if not colon or kind not in KINDS or not code.strip():
        raise InvalidInput(msg("record {text!r} is not KIND:CODE with KIND one of {kinds} "
                               "(e.g. movement:12, hotel:ATRIA, statement:ST-000001)",
                               text=text, kinds=", ".join(KINDS)), field="record")
    return kind, _code(kind, code.strip())


def _code(kind: str, code: str) -> str:
    if kind in ("movement", "payment", "terms"):
        return str(fields.identifier(code, "record"))
    if kind in ("hotel", "consignor"):
        return fields.code(code, "record")
    if kind == "product":
        return fields.sku(code, "record")
    if kind == "statement" and not _STATEMENT.fullmatch(code.upper()):
        raise InvalidInput(msg("statement number {code!r} is not of the form ST-000042",
                               code=code), field="record")
    if kind == "period":
        return str(fields.period(code, "record"))
    return code.upper() if kind == "statement" else fields.name(code, "record")


def entries(session: Session, ctx: Context, since=None, from_=None, to=None,
            actor: str | None = None, record: str | None = None
            ) -> list[records.AuditEntry]:
    """The entries chosen, in the order they were written."""
    query, check = _chosen(session, ctx, since, from_, to, actor, record)
    return [_entry(e) for e in session.scalars(query.order_by(AuditEntry.id))
            if check is None or check(e)]


def newest(session: Session, ctx: Context, since=None, from_=None, to=None,
           actor: str | None = None, record: str | None = None, skip: int = 0,
           count: int = 50) -> tuple[list[records.AuditEntry], bool]:
    """A page of the entries chosen, newest first: ``count`` of them after the newest
    ``skip``, and whether older ones remain. Read from the newest back, no further than
    the page needs."""
    query, check = _chosen(session, ctx, since, from_, to, actor, record)
    query = query.order_by(AuditEntry.id.desc())
    if check is None:  # the database chooses exactly: it skips and stops
        found = [_entry(e) for e in session.scalars(query.offset(skip).limit(count + 1))]
        return found[:count], len(found) > count
    found: list[records.AuditEntry] = []
    result = session.scalars(query.execution_options(yield_per=500))
    try:
        for e in result:
            if not check(e):
                continue
            if skip:
                skip -= 1
            elif len(found) == count:
                return found, True
            else:
                found.append(_entry(e))
    finally:
        result.close()
    return found, False


def _entry(e: AuditEntry) -> records.AuditEntry:
    return records.AuditEntry(e.id, e.at, e.recorded_at, e.actor, e.action, e.record,
                              e.detail)


def _chosen(session: Session, ctx: Context, since, from_, to, actor, record):
    """The query of the entries the filters choose (unordered), and the exact test each
    of them must also pass (or None)."""
    seen(session, ctx, action="audit.log")
    query = select(AuditEntry)
    if since is not None:
        query = query.where(AuditEntry.recorded_at >= fields.moment(since, ctx.tz, "since"))
    start = fields.moment(from_, ctx.tz, "from") if from_ is not None else None
    end = fields.moment(to, ctx.tz, "to", end_of_day=True) if to is not None else None
    if start is not None and end is not None and end < start:
        raise InvalidInput(msg("--to {to} is before --from {start}", to=str(to),
                               start=str(from_)), field="to")
    if start is not None:
        query = query.where(AuditEntry.at >= start)
    if end is not None:
        query = query.where(AuditEntry.at <= end)
    if actor is not None:  # people's names are found in any case, as --as finds them
        query = query.where(func.lower(AuditEntry.actor)
                            == fields.actor(actor, "actor").lower())
    check = None
    if record is not None:
        kind, code = parse_record(record)
        query, check = _about(query, kind, code)
    return query, check


def _about(query, kind: str, code: str):
    """The query narrowed to the record's entries and those whose detail may name it, and
    the exact test of each such entry (the detail read as JSON)."""
    own = f"{kind}:{code}"
    value = json.dumps(code) if kind not in ("movement",) else code
    if kind in _NAMED_BY:
        key = _NAMED_BY[kind]
        named = AuditEntry.detail.like(f'%"{key}": {_escaped(value)}%', escape="\\")
        return (query.where(or_(AuditEntry.record == own, named)),
                lambda e: e.record == own or _detail(e).get(key) == code
                and e.action in MOVEMENT_ACTIONS)
    if kind == "movement":
        named = AuditEntry.detail.like(f'%"reverses": {code}%')
        return (query.where(or_(AuditEntry.record == own, named)),
                lambda e: e.record == own or _detail(e).get("reverses") == int(code))
    if kind == "statement":
        named = AuditEntry.detail.like(f"%{_escaped(value)}%", escape="\\")
        return (query.where(or_(AuditEntry.record == own, named)),
                lambda e: e.record == own or _names_statement(_detail(e), code))
    if kind == "user":  # people's names are found in any case
        return query.where(func.lower(AuditEntry.record) == own.lower()), None
    if kind == "period":  # a month's closes are logged under each hotel
        return (query.where(AuditEntry.action == "period.close",
                            AuditEntry.detail.like(f'%"period": "{code}"%')),
                lambda e: _detail(e).get("period") == code)
    return query.where(AuditEntry.record == own), None


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _detail(entry) -> dict:
    try:
        found = json.loads(entry.detail) if entry.detail else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _names_statement(detail: dict, number: str) -> bool:
    return detail.get("statement") == number or number in (detail.get("statements") or ())

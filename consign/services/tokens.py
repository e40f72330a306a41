"""The hotels' tokens for the point-of-sale API (SPEC section 6: ``token`` is for the
administrator alone): make one for a hotel, list them, revoke one; and, for the API, which
hotel a token presented with a request acts for (``authenticate``).

A token is random (256 bits from :mod:`secrets`), shown once when it is made and kept only
as its SHA-256 (hex): a slow password hash is for what people choose, not for a random key
checked on every request. Neither the token nor its digest is ever put in the audit log or
returned after ``create``. ``last_used_at`` is when the token last authenticated a request,
to the minute: it is written at most once a minute, so that a busy till does not write the
token's row (and wait on it) with every sale.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from consign import fields
from consign.context import Context
from consign.errors import Inactive, NotFound
from consign.i18n import msg
from consign.models import Hotel
from consign.models.users import ApiToken
from consign.services import access, audit, lookup

ADMIN = "admin"
PREFIX = "consign_"  # so that a token pasted where it should not be is recognised as one
RANDOM_BYTES = 32  # 256 bits
LONGEST = 200  # no token made here is longer; a longer one is refused unread
FRESH = timedelta(minutes=1)  # last_used_at is kept to the minute
LABEL = 120


@dataclass(frozen=True)
class TokenRecord:
    """A token as the administrator sees it: never the token itself nor its digest."""

    id: int
    hotel: str
    label: str
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True)
class Holder:
    """Who a request's token acts for: the token's id and label, and its hotel's code."""

    token_id: int
    hotel: str
    label: str


def digest(plain: str) -> str:
    """The SHA-256 (hex) of a token: what is kept of it."""
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def _record(token: ApiToken, hotel: str) -> TokenRecord:
    return TokenRecord(token.id, hotel, token.label, token.created_at, token.created_by,
                       token.last_used_at, token.revoked_at)


def create(session: Session, ctx: Context, hotel_code: str,
           label: str | None = "") -> tuple[TokenRecord, str]:
    """A new token for the (active) hotel ``hotel_code``, with an optional label (which till
    it is for): its record, and the token itself, which is not kept and cannot be shown
    again."""
    access.require(session, ctx, ADMIN)
    hotel = lookup.hotel(session, hotel_code, for_use=True)
    label = fields.text(label, "label", LABEL, required=False) or ""
    plain = PREFIX + secrets.token_urlsafe(RANDOM_BYTES)
    token = ApiToken(hotel_id=hotel.id, digest=digest(plain), label=label, created_at=ctx.now,
                     created_by=ctx.actor, last_used_at=None, revoked_at=None)
    session.add(token)
    session.flush()
    audit.record(session, ctx, "token.create", f"token:{token.id}", hotel=hotel.code,
                 label=label)  # never the token, nor its digest
    return _record(token, hotel.code), plain


def list(session: Session, ctx: Context, hotel: str | None = None) -> list[TokenRecord]:  # noqa: A001
    """Every token (of ``hotel`` only, where given), oldest first, revoked ones too."""
    access.require(session, ctx, ADMIN)
    query = select(ApiToken, Hotel.code).join(Hotel, Hotel.id == ApiToken.hotel_id)
    if hotel is not None:
        query = query.where(ApiToken.hotel_id == lookup.hotel(session, hotel).id)
    return [_record(token, code) for token, code in session.execute(query.order_by(ApiToken.id))]


def revoke(session: Session, ctx: Context, token_id) -> TokenRecord:
    """Refuse the token ``token_id`` from now on (its record stays)."""
    access.require(session, ctx, ADMIN)
    token_id = fields.identifier(token_id, "token")
    found = session.execute(select(ApiToken, Hotel.code).join(Hotel, Hotel.id == ApiToken.hotel_id)
                            .where(ApiToken.id == token_id)).first()
    if found is None:
        raise NotFound(msg("No API token with id {id}.", id=token_id), field="token")
    token, hotel = found
    if token.revoked_at is not None:
        raise Inactive(msg("API token {id} is already revoked.", id=token_id), field="token")
    token.revoked_at = ctx.now
    session.flush()
    audit.record(session, ctx, "token.revoke", f"token:{token.id}", hotel=hotel,
                 label=token.label)
    return _record(token, hotel)


# built once and run on the connection: every request of the API runs them
_HOLDER = (
    select(ApiToken.id, ApiToken.label, ApiToken.last_used_at, ApiToken.revoked_at, Hotel.code)
    .join(Hotel, Hotel.id == ApiToken.hotel_id)
    .where(ApiToken.digest == bindparam("digest"))
)
_USED = (
    update(ApiToken.__table__)
    .where(ApiToken.id == bindparam("token"),
           or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= bindparam("stale")))
    .values(last_used_at=bindparam("now"))
)


def authenticate(session: Session, plain, now: datetime) -> Holder | None:
    """The hotel a token acts for, or None for anything that is not a token in force
    (unknown, revoked, malformed). Notes when it was used (at most once a minute)."""
    if not isinstance(plain, str) or not plain or len(plain) > LONGEST:
        return None
    connection = session.connection()
    found = connection.execute(_HOLDER, {"digest": digest(plain)}).first()
    if found is None or found.revoked_at is not None:
        return None
    if found.last_used_at is None or found.last_used_at <= now - FRESH:
        connection.execute(_USED, {"token": found.id, "stale": now - FRESH, "now": now})
    return Holder(found.id, found.code, found.label)

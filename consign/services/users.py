"""The people who act and their roles (SPEC section 6): register them, change their role or
password, deactivate them; and who a name is when a request comes in (``identify``).

A password is kept only as an argon2 hash; neither the password nor its hash is ever put
in the audit log or returned. Every change raises the user's ``session_version``, so that
the web app can end the sessions opened before it. For the administrator alone, except
``identify`` and ``authenticate``, which say who someone is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consign import fields, policy
from consign.context import Context
from consign.errors import Duplicate, Forbidden, Inactive, InvalidInput, NotFound
from consign.i18n import msg
from consign.models import User
from consign.policy import FULL, Role
from consign.services import access, audit, lookup

ADMIN = "admin"
MIN_PASSWORD = 10
MAX_PASSWORD = 1024


@dataclass(frozen=True)
class UserRecord:
    name: str
    role: str
    active: bool
    has_password: bool
    created_at: datetime


def _record(user: User) -> UserRecord:
    return UserRecord(user.name, user.role, user.active, user.password_hash is not None,
                      user.created_at)


def _find(session: Session, name: str) -> User | None:
    """The user of ``name``; names are compared without regard to case, so that a name
    typed in another case is the same person, held to the same role."""
    return session.scalar(select(User).where(func.lower(User.name) == name.lower()))


def _get(session: Session, name: str) -> User:
    name = fields.actor(name, "name")
    found = _find(session, name)
    if found is None:
        raise NotFound(msg("No user named {name}.", name=name), field="name")
    return found


def role(session: Session, text: str) -> Role:
    """A role as typed (``admin``, ``auditor``, ``hotel:ATRIA``, ``consignor:IKM-0001``);
    the hotel or IKM it names must be registered."""
    try:
        parsed = policy.parse_role(fields.text(text, "role", 80))
    except ValueError as error:
        raise InvalidInput(msg("{problem}", problem=str(error)), field="role") from None
    if parsed.kind == "hotel":
        lookup.hotel(session, parsed.code, field="role")
    elif parsed.kind == "consignor":
        lookup.consignor(session, parsed.code, field="role")
    return parsed


def add(session: Session, ctx: Context, name: str, role_text: str) -> UserRecord:
    """Register a person under ``name`` (what ``--as`` gives) with a role; no password
    until ``set_password``."""
    access.require(session, ctx, ADMIN)
    name = fields.actor(name, "name")
    parsed = role(session, role_text)
    existing = _find(session, name)
    if existing is not None:
        raise Duplicate(msg("User {name} is already registered.", name=existing.name),
                        field="name")
    user = User(name=name, role=str(parsed), active=True, session_version=0,
                created_at=ctx.now)
    session.add(user)
    session.flush()
    audit.record(session, ctx, "user.add", f"user:{name}", role=str(parsed))
    return _record(user)


def users(session: Session, ctx: Context) -> list[UserRecord]:
    access.require(session, ctx, ADMIN)
    return [_record(u) for u in session.scalars(select(User).order_by(func.lower(User.name)))]


def user(session: Session, ctx: Context, name: str) -> UserRecord:
    access.require(session, ctx, ADMIN)
    return _record(_get(session, name))


def set_role(session: Session, ctx: Context, name: str, role_text: str) -> UserRecord:
    """Give a person another role."""
    access.require(session, ctx, ADMIN)
    user = _get(session, name)
    parsed = str(role(session, role_text))
    if parsed != user.role:
        old, user.role = user.role, parsed
        user.session_version += 1
        session.flush()
        audit.record(session, ctx, "user.role", f"user:{user.name}",
                     role={"old": old, "new": parsed})
    return _record(user)


def set_password(session: Session, ctx: Context, name: str, password: str) -> UserRecord:
    """Set a person's password (at least 10 characters), kept as an argon2 hash."""
    access.require(session, ctx, ADMIN)
    user = _get(session, name)
    user.password_hash = hash_password(password)
    user.session_version += 1
    session.flush()
    audit.record(session, ctx, "user.passwd", f"user:{user.name}")  # never the password
    return _record(user)


def deactivate(session: Session, ctx: Context, name: str) -> UserRecord:
    """A person who may no longer act: refused everything from now on."""
    access.require(session, ctx, ADMIN)
    user = _get(session, name)
    if not user.active:
        raise Inactive(msg("User {name} is already deactivated.", name=user.name),
                       field="name")
    user.active = False
    user.session_version += 1
    session.flush()
    audit.record(session, ctx, "user.deactivate", f"user:{user.name}")
    return _record(user)


# ---- who someone is ------------------------------------------------------------------------

def identify(session: Session, name: str) -> Role:
    """The role of the person ``name``: a registered active user's role; an identity with
    no user record acts with full rights (the owner of the database); a deactivated
    user is refused everything."""
    user = _find(session, name)
    if user is None:
        return FULL
    if not user.active:
        raise Forbidden(msg("User {name} is deactivated and may do nothing.", name=user.name))
    return policy.parse_role(user.role)


def authenticate(session: Session, name: str, password: str) -> tuple[Role, int] | None:
    """For the web app: the role and session version of an active user whose password
    this is; None for anyone else (unknown, deactivated, no password, wrong password)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import Argon2Error, InvalidHashError

    user = _find(session, name)
    if user is None or not user.active or user.password_hash is None:
        return None
    try:
        PasswordHasher().verify(user.password_hash, password)
    except (Argon2Error, InvalidHashError):
        return None
    return policy.parse_role(user.role), user.session_version


def hash_password(password: str) -> str:
    """The argon2 hash of a password of 10 to 1024 characters."""
    from argon2 import PasswordHasher

    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidInput(msg("the password is too short: at least {least} characters",
                               least=MIN_PASSWORD), field="password")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(msg("the password is longer than {most} characters",
                               most=MAX_PASSWORD), field="password")
    return PasswordHasher().hash(password)

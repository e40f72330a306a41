"""The people who act and their roles (SPEC section 6): register them, change their role or
password, deactivate them; and who a name is when a request comes in (``identify``).

A password is kept only as an argon2 hash; neither the password nor its hash is ever put
in the audit log or returned. Every change raises the user's ``session_version``, so that
the web app can end the sessions opened before it. For the administrator alone, except
``identify`` and ``authenticate``, which say who someone is, and the web app's logins and
sessions (``log_in``, ``signed_in``, ``end_sessions``, ``session_key``): failed logins are
counted in the database, per user name and per client address, so that every process of
the web app sees the same counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consign import fields, policy
from consign.context import Context
from consign.errors import Duplicate, Forbidden, Inactive, InvalidInput, LastAdmin, NotFound
from consign.i18n import Message, msg
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
    except ValueError as error:  # parse_role's sentence, said in the reader's language
        said = error.args[0] if error.args and isinstance(error.args[0], Message) else str(error)
        raise InvalidInput(said, field="role") from None
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
        if parsed != ADMIN:
            _keep_an_admin(session, user)
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
    _keep_an_admin(session, user)
    user.active = False
    user.session_version += 1
    session.flush()
    audit.record(session, ctx, "user.deactivate", f"user:{user.name}")
    return _record(user)


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse to take the admin role from the last active user who holds it (by a change of
    role or by deactivation): the programme would have no one left to manage it."""
    if user.role != ADMIN or not user.active:
        return
    others = session.scalar(select(func.count()).select_from(User).where(
        User.role == ADMIN, User.active, User.id != user.id))
    if not others:
        raise LastAdmin(msg(
            "{name} is the last active admin: give another user the admin role first, so "
            "that someone can still manage the programme.", name=user.name), field="name")


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
    from argon2.exceptions import Argon2Error, InvalidHashError

    user = _find(session, name)
    if user is None or not user.active or user.password_hash is None:
        return None
    try:
        hasher().verify(user.password_hash, password)
    except (Argon2Error, InvalidHashError):
        return None
    return policy.parse_role(user.role), user.session_version


def hash_password(password: str) -> str:
    """The argon2 hash of a password of 10 to 1024 characters."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidInput(msg("the password is too short: at least {least} characters",
                               least=MIN_PASSWORD), field="password")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(msg("the password is longer than {most} characters",
                               most=MAX_PASSWORD), field="password")
    return hasher().hash(password)


_HASHERS: list = []  # the argon2 hasher, with its parameters, made once


def hasher():
    """The argon2 hasher that hashes every password (argon2-cffi's recommended parameters);
    a hash carries its parameters, so that one made with others still verifies."""
    if not _HASHERS:
        from argon2 import PasswordHasher

        _HASHERS.append(PasswordHasher())
    return _HASHERS[0]


# ---- the web app's logins and sessions -------------------------------------------------------

# failed logins: each answered after a delay that doubles (0.5 s, 1 s, 2 s, … at most 8 s);
# the NAME_LIMIT-th failure for a user name, or the ADDRESS_LIMIT-th from one address, within
# WINDOW locks that name or address out for LOCK_OUT, whatever password comes next
FIRST_DELAY = 0.5
MOST_DELAY = 8.0
NAME_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW_MINUTES = 15
LOCK_OUT_MINUTES = 15
_KEY_WIDTH = 200


@dataclass(frozen=True)
class SignedIn:
    """Who a web session belongs to: the user's id, name, role and session version."""

    user_id: int
    name: str
    role: Role
    version: int


@dataclass(frozen=True)
class LoginOutcome:
    """A login's outcome: ``user`` on success; else ``delay`` (seconds to wait before the
    answer) and, when the name or address is locked out, until when (``locked_until``)."""

    user: SignedIn | None = None
    delay: float = 0.0
    locked_until: datetime | None = None


def _signed_in(user: User) -> SignedIn:
    return SignedIn(user.id, user.name, policy.parse_role(user.role), user.session_version)


def _throttle_keys(name: str, address: str) -> list[tuple[str, int]]:
    typed = name.strip().lower() if isinstance(name, str) else ""
    return [(f"name:{typed}"[:_KEY_WIDTH], NAME_LIMIT),
            (f"address:{address or '-'}"[:_KEY_WIDTH], ADDRESS_LIMIT)]


def _failures(session: Session, keys: list[str], now: datetime) -> dict:
    """The failure rows of ``keys``, made where missing (by one process alone when two
    make one at once) and locked for this transaction."""
    from consign.db import upsert
    from consign.models.users import LoginFailure

    for key in keys:
        session.execute(upsert(session, LoginFailure.__table__)
                        .values(key=key, failures=0, first_at=now, last_at=now)
                        .on_conflict_do_nothing(index_elements=["key"]))
    rows = session.scalars(select(LoginFailure).where(LoginFailure.key.in_(keys))
                           .with_for_update())
    return {row.key: row for row in rows}


def log_in(session: Session, name: str, password: str, address: str,
           now: datetime) -> LoginOutcome:
    """A login to the web app by a user name and password from a client ``address``.

    The same answer, after about the same work, for an unknown name, a deactivated user, a
    user without a password and a wrong password (a dummy hash is checked where there is
    no hash to check). Every failure is counted in the database per name and per address;
    a name or address locked out is refused until its lock-out ends, even with the right
    password. A success clears the failures of its name."""
    from datetime import timedelta

    keys = _throttle_keys(name, address)
    found = _failures(session, [key for key, _limit in keys], now)
    locked = [row.locked_until for row in found.values()
              if row.locked_until is not None and row.locked_until > now]
    if locked:
        return LoginOutcome(locked_until=max(locked))
    user = _login_user(session, name)
    if _password_matches(user, password):
        if keys[0][0] in found:
            session.delete(found[keys[0][0]])
        session.flush()
        return LoginOutcome(user=_signed_in(user))
    worst, locked_until = 0, None
    for key, limit in keys:
        row = _count_failure(found[key], now)
        if row.failures >= limit:
            row.locked_until = now + timedelta(minutes=LOCK_OUT_MINUTES)
            locked_until = max(filter(None, (locked_until, row.locked_until)))
        worst = max(worst, row.failures)
    session.flush()
    return LoginOutcome(delay=min(FIRST_DELAY * 2 ** (worst - 1), MOST_DELAY),
                        locked_until=locked_until)


def _count_failure(row, now: datetime):
    from datetime import timedelta

    if row.first_at <= now - timedelta(minutes=WINDOW_MINUTES):
        row.failures, row.first_at, row.locked_until = 0, now, None
    row.failures += 1
    row.last_at = now
    return row


def _login_user(session: Session, name) -> User | None:
    if not isinstance(name, str) or not name.strip() or len(name) > fields.NAME:
        return None
    user = _find(session, name.strip())
    return user if user is not None and user.active else None


_DUMMY_HASHES: dict = {}  # by hasher: a hash to check where a user has none


def _password_matches(user: User | None, password) -> bool:
    """Whether ``password`` is the user's; the same argon2 work for no user at all."""
    from argon2.exceptions import Argon2Error, InvalidHashError

    checking = hasher()
    if checking not in _DUMMY_HASHES:
        _DUMMY_HASHES[checking] = checking.hash("not the password of anyone")
    stored = user.password_hash if user is not None and user.password_hash else None
    typed = password if isinstance(password, str) else ""
    try:
        checking.verify(stored or _DUMMY_HASHES[checking], typed[:MAX_PASSWORD])
    except (Argon2Error, InvalidHashError):
        return False
    return stored is not None and len(typed) <= MAX_PASSWORD


def signed_in(session: Session, user_id, version) -> SignedIn | None:
    """The user of a web session, if that session still holds: the user is active and
    their session version is the one the session was opened with (a change of password,
    role or activity, or a logout everywhere, raises it)."""
    if not isinstance(user_id, int) or not isinstance(version, int):
        return None
    user = session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return _signed_in(user)


def end_sessions(session: Session, ctx: Context, user_id: int) -> None:
    """Log a user out everywhere: every session they have open ends. Their own act (or
    the administrator's)."""
    user = session.get(User, user_id)
    if user is None or (user.name.lower() != ctx.actor.lower() and not policy.allows(
            ctx.role, "admin")):
        raise NotFound(msg("No user named {name}.", name=str(user_id)), field="name")
    user.session_version += 1
    session.flush()
    audit.record(session, ctx, "user.logout", f"user:{user.name}")


def session_key(session: Session, now: datetime) -> str:
    """The key that signs the web app's session cookies: made by the first process that
    asks, then the same for every process on this database."""
    import secrets

    from consign.db import upsert
    from consign.models.users import SessionKey

    session.execute(upsert(session, SessionKey.__table__)
                    .values(id=1, key=secrets.token_hex(32), created_at=now)
                    .on_conflict_do_nothing(index_elements=["id"]))
    return session.scalar(select(SessionKey.key).where(SessionKey.id == 1))

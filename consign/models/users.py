"""The people who act (SPEC section 6): a name (what ``--as`` gives), a role, a password
for the web app, and whether they may still act."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consign.models.base import Base


class User(Base):
    """``role`` is ``admin``, ``auditor``, ``hotel:CODE`` or ``consignor:CODE`` (read with
    ``consign.policy.parse_role``). ``password_hash`` is an argon2 hash, None until a
    password is set. ``session_version`` grows with every change of password, role or
    activity, so that the web app can end the sessions opened before it."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("name <> ''", name="name_not_blank"),
        CheckConstraint("session_version >= 0", name="session_version_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]


class LoginFailure(Base):
    """Failed logins, counted per key (``name:…`` for a user name as typed, lower case;
    ``address:…`` for a client address) in the database, so that every process of the web
    app counts the same failures. ``failures`` counts those since ``first_at`` (a window
    that starts again once it has passed); ``locked_until`` refuses every login of the key
    until that moment."""

    __tablename__ = "login_failures"
    __table_args__ = (
        CheckConstraint("failures >= 0", name="failures_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    first_at: Mapped[datetime]
    last_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class SessionKey(Base):
    """The key that signs the web app's session cookies where ``CONSIGN_SECRET_KEY`` is not
    set: made once, by the first process that needs it, and shared by every process on the
    same database. One row, ``id`` 1."""

    __tablename__ = "session_keys"
    __table_args__ = (
        CheckConstraint("id = 1", name="one_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class ApiToken(Base):
    """A hotel's point-of-sale system's key to the API: a random token shown once when made,
    kept only as its SHA-256 (``digest``, hex). It acts for its hotel alone; a revoked token
    (``revoked_at``) is refused. ``last_used_at`` is when it last authenticated a request."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("length(digest) = 64", name="digest_is_sha256_hex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hotel_id: Mapped[int] = mapped_column(ForeignKey("hotels.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(120))
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class FormKey(Base):
    """A web form's one-time key (128 random bits, hex), spent by the request that did what
    the form asked: the same form sent again, by a second tap or by a browser sending it
    once more after an answer lost on the way, finds its key spent and does nothing more.
    ``answer`` is the page the first sending led to, where the second is sent too;
    ``spent_at`` lets keys go once no form could still carry them."""

    __tablename__ = "form_keys"
    __table_args__ = (
        CheckConstraint("length(key) = 32", name="key_is_128_bits_hex"),
    )

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    answer: Mapped[str] = mapped_column(String(2000))
    spent_at: Mapped[datetime] = mapped_column(index=True)

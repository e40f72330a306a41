"""The people who act (SPEC section 6): a name (what ``--as`` gives), a role, a password
for the web app, and whether they may still act."""

from datetime import datetime

from sqlalchemy import CheckConstraint, String
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

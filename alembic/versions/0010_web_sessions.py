"""the web app's sessions: failed logins counted in the database, and the key of its cookies

Revision ID: 0010
Revises: 0009

- ``login_failures``: failed logins per key (a user name as typed, or a client address),
  the start of their window, the last one, and the moment until which the key is locked
  out; kept in the database so that every process of the web app counts the same.
- ``session_keys``: the key that signs the web app's session cookies where
  ``CONSIGN_SECRET_KEY`` is not set, made once and shared by every process (one row).

A user's ``session_version`` (since 0007) is what the cookies carry, so that logging out
everywhere and a change of password end every session opened before.
"""

import sqlalchemy as sa

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_login_failures_failures_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
        sa.UniqueConstraint("key", name=op.f("uq_login_failures_key")),
    )
    op.create_table(
        "session_keys",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_session_keys_one_key")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_keys")),
    )


def downgrade() -> None:
    op.drop_table("session_keys")
    op.drop_table("login_failures")

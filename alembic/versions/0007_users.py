"""the people who act: users with a role, a password hash and whether they may still act

Revision ID: 0007
Revises: 0006

- ``users``: a person's name (what ``--as`` gives, unique), the role they are held to
  (``admin``, ``auditor``, ``hotel:CODE``, ``consignor:CODE``), an argon2 hash of their
  password (set by ``user passwd``; used by the web app), whether they are active, a
  session version (it grows with every change of password, role or activity, so that
  the web app ends the sessions opened before it) and when they were added. An identity
  without a row here acts with full rights at the command line, as before.
"""

import sqlalchemy as sa

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("name <> ''", name=op.f("ck_users_name_not_blank")),
        sa.CheckConstraint("session_version >= 0",
                           name=op.f("ck_users_session_version_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )


def downgrade() -> None:
    op.drop_table("users")

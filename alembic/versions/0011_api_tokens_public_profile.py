"""the point-of-sale API's tokens, and what an IKM shows of itself in the public catalogue

Revision ID: 0011
Revises: 0010

- ``api_tokens``: a hotel's tokens for the point-of-sale API, kept as their SHA-256 (hex),
  with who made each and when, when it was last used, and when it was revoked.
- ``consignors.description``: a short description for the IKM's public pages (blank by
  default); ``consignors.public_contact``: whether its phone and e-mail may be shown there
  (no by default: an IKM in the public catalogue shows its contact only if it agreed).
"""

import sqlalchemy as sa

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("length(digest) = 64",
                           name=op.f("ck_api_tokens_digest_is_sha256_hex")),
        sa.ForeignKeyConstraint(["hotel_id"], ["hotels.id"],
                                name=op.f("fk_api_tokens_hotel_id_hotels")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("digest", name=op.f("uq_api_tokens_digest")),
    )
    op.create_index(op.f("ix_api_tokens_hotel_id"), "api_tokens", ["hotel_id"], unique=False)
    op.add_column("consignors", sa.Column(
        "description", sa.String(length=500), nullable=False, server_default="",
        comment="a short description for the public catalogue"))
    op.add_column("consignors", sa.Column(
        "public_contact", sa.Boolean(), nullable=False, server_default=sa.false(),
        comment="consents to its phone and e-mail on its public pages"))


def downgrade() -> None:
    # plain DROP COLUMN on both databases: a batch rebuild would drop the table's triggers
    for name in ("public_contact", "description"):
        op.execute(f"ALTER TABLE consignors DROP COLUMN {name}")
    op.drop_index(op.f("ix_api_tokens_hotel_id"), table_name="api_tokens")
    op.drop_table("api_tokens")

"""registry: hotels, IKM, products, commission terms, audit log

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hotels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=400), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("phri_no", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("code <> '' AND code = upper(code)", name=op.f("ck_hotels_code_form")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotels")),
        sa.UniqueConstraint("code", name=op.f("uq_hotels_code")),
    )

    op.create_table(
        "consignors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("nib", sa.String(length=13), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=400), nullable=False),
        sa.Column("bank", sa.String(length=100), nullable=True),
        sa.Column("account", sa.String(length=40), nullable=True),
        sa.Column("holder", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "code <> '' AND code = upper(code)", name=op.f("ck_consignors_code_form")
        ),
        sa.CheckConstraint(
            "sector IN ('kriya', 'fashion', 'kuliner', 'lainnya')",
            name=op.f("ck_consignors_sector"),
        ),
        sa.CheckConstraint(
            "nib IS NULL OR length(nib) = 13", name=op.f("ck_consignors_nib_length")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consignors")),
        sa.UniqueConstraint("code", name=op.f("uq_consignors_code")),
    )

    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=60), nullable=False),
        sa.Column("consignor_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("price > 0", name=op.f("ck_products_price_positive")),
        sa.CheckConstraint("sku <> '' AND sku = upper(sku)", name=op.f("ck_products_sku_form")),
        sa.ForeignKeyConstraint(
            ["consignor_id"], ["consignors.id"], name=op.f("fk_products_consignor_id_consignors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("sku", name=op.f("uq_products_sku")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_products_consignor_id"), ["consignor_id"], unique=False
        )

    op.create_table(
        "terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("consignor_id", sa.Integer(), nullable=True),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("display_days", sa.Integer(), nullable=False),
        sa.Column("payment_days", sa.Integer(), nullable=False),
        sa.CheckConstraint("display_days > 0", name=op.f("ck_terms_display_days_positive")),
        sa.CheckConstraint("payment_days >= 0", name=op.f("ck_terms_payment_days_not_negative")),
        sa.CheckConstraint("rate_bp >= 0 AND rate_bp <= 10000", name=op.f("ck_terms_rate_range")),
        sa.CheckConstraint(
            "valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to",
            name=op.f("ck_terms_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["consignor_id"], ["consignors.id"], name=op.f("fk_terms_consignor_id_consignors")
        ),
        sa.ForeignKeyConstraint(["hotel_id"], ["hotels.id"], name=op.f("fk_terms_hotel_id_hotels")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terms")),
    )
    with op.batch_alter_table("terms", schema=None) as batch_op:
        batch_op.create_index("ix_terms_scope", ["hotel_id", "consignor_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("terms")
    op.drop_table("products")
    op.drop_table("consignors")
    op.drop_table("hotels")

"""settlement: statements, their lines and stock reconciliation

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=12), nullable=True),
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("consignor_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("pay_ref", sa.String(length=100), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.Column("commission", sa.BigInteger(), nullable=False),
        sa.Column("opening_balance", sa.BigInteger(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.Column("hotel_code", sa.String(length=40), nullable=False),
        sa.Column("hotel_name", sa.String(length=200), nullable=False),
        sa.Column("hotel_address", sa.String(length=400), nullable=False),
        sa.Column("hotel_phone", sa.String(length=20), nullable=False),
        sa.Column("consignor_code", sa.String(length=40), nullable=False),
        sa.Column("consignor_name", sa.String(length=200), nullable=False),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("consignor_address", sa.String(length=400), nullable=False),
        sa.Column("bank", sa.String(length=100), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "status = 'draft' OR number IS NOT NULL", name=op.f("ck_statements_issued_numbered")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'issued', 'paid')", name=op.f("ck_statements_status")
        ),
        sa.CheckConstraint("opening_balance <= 0", name=op.f("ck_statements_opening_not_positive")),
        sa.ForeignKeyConstraint(
            ["consignor_id"], ["consignors.id"], name=op.f("fk_statements_consignor_id_consignors")
        ),
        sa.ForeignKeyConstraint(
            ["hotel_id"], ["hotels.id"], name=op.f("fk_statements_hotel_id_hotels")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
        sa.UniqueConstraint("hotel_id", "consignor_id", "period", name="uq_statements_pair_period"),
        sa.UniqueConstraint("number", name=op.f("uq_statements_number")),
    )
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statements_consignor_id"), ["consignor_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_statements_period"), ["period"], unique=False)

    op.create_table(
        "statement_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sku", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("movement_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('sale', 'loss', 'correction')", name=op.f("ck_statement_lines_kind")
        ),
        sa.CheckConstraint("amount = qty * unit_price", name=op.f("ck_statement_lines_amount")),
        sa.ForeignKeyConstraint(
            ["movement_id"], ["movements.id"], name=op.f("fk_statement_lines_movement_id_movements")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_lines_statement_id_statements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_lines")),
    )
    with op.batch_alter_table("statement_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_lines_statement_id"), ["statement_id"], unique=False
        )

    op.create_table(
        "statement_stock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("opening", sa.Integer(), nullable=False),
        sa.Column("placed", sa.Integer(), nullable=False),
        sa.Column("sold", sa.Integer(), nullable=False),
        sa.Column("returned", sa.Integer(), nullable=False),
        sa.Column("lost", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("corrected", sa.Integer(), nullable=False),
        sa.Column("closing", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_stock_statement_id_statements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_stock")),
    )
    with op.batch_alter_table("statement_stock", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_stock_statement_id"), ["statement_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("statement_stock")
    op.drop_table("statement_lines")
    op.drop_table("statements")

"""stock ledger: notes, movements, running stock, closed periods, counters

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counters",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counters")),
    )

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("consignor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=True),
        sa.CheckConstraint(
            "kind IN ('placement', 'return', 'loss', 'count')", name=op.f("ck_notes_kind")
        ),
        sa.ForeignKeyConstraint(
            ["consignor_id"], ["consignors.id"], name=op.f("fk_notes_consignor_id_consignors")
        ),
        sa.ForeignKeyConstraint(["hotel_id"], ["hotels.id"], name=op.f("fk_notes_hotel_id_hotels")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
        sa.UniqueConstraint("number", name=op.f("uq_notes_number")),
    )

    op.create_table(
        "movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("receipt", sa.String(length=60), nullable=True),
        sa.Column("payment", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.String(length=400), nullable=True),
        sa.Column("liable", sa.String(length=20), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column(
            "cancels",
            sa.Boolean(),
            nullable=True,
            comment="for a reversal: the reversed movement's period was still open when recorded",
        ),
        sa.CheckConstraint(
            "kind IN ('placed', 'sold', 'returned', 'lost', 'damaged', 'counted', 'reversal')",
            name=op.f("ck_movements_kind"),
        ),
        sa.CheckConstraint(
            "liable IS NULL OR liable IN ('hotel', 'consignor')", name=op.f("ck_movements_liable")
        ),
        sa.CheckConstraint(
            "payment IS NULL OR payment IN ('cash', 'card', 'qris', 'transfer')",
            name=op.f("ck_movements_payment"),
        ),
        sa.CheckConstraint("qty <> 0", name=op.f("ck_movements_qty_not_zero")),
        sa.CheckConstraint(
            "unit_price IS NULL OR unit_price > 0", name=op.f("ck_movements_unit_price_positive")
        ),
        sa.ForeignKeyConstraint(
            ["hotel_id"], ["hotels.id"], name=op.f("fk_movements_hotel_id_hotels")
        ),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"], name=op.f("fk_movements_note_id_notes")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_movements_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["movements.id"], name=op.f("fk_movements_reverses_id_movements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movements")),
        sa.UniqueConstraint("hotel_id", "receipt", "product_id", name="uq_movements_receipt"),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_movements_reverses_id")),
    )
    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.create_index("ix_movements_hotel_at", ["hotel_id", "at"], unique=False)
        batch_op.create_index(
            "ix_movements_hotel_product_at", ["hotel_id", "product_id", "at"], unique=False
        )
        batch_op.create_index(
            "ix_movements_hotel_product_kind_at",
            ["hotel_id", "product_id", "kind", "at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_movements_note_id"), ["note_id"], unique=False)

    op.create_table(
        "stock",
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("on_hand >= 0", name=op.f("ck_stock_on_hand_not_negative")),
        sa.ForeignKeyConstraint(["hotel_id"], ["hotels.id"], name=op.f("fk_stock_hotel_id_hotels")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_stock_product_id_products")
        ),
        sa.PrimaryKeyConstraint("hotel_id", "product_id", name=op.f("pk_stock")),
    )

    op.create_table(
        "closed_periods",
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["hotel_id"], ["hotels.id"], name=op.f("fk_closed_periods_hotel_id_hotels")
        ),
        sa.PrimaryKeyConstraint("hotel_id", "period", name=op.f("pk_closed_periods")),
    )

    append_only("movements")
    append_only("closed_periods")


def downgrade() -> None:
    movements = op.get_bind().scalar(sa.text("SELECT count(*) FROM movements"))
    if movements:
        from consign.errors import UpgradeStop

        raise UpgradeStop(
            f"Refusing to downgrade: it would drop the {movements} movements of the stock "
            "ledger, which are never deleted."
        )
    drop_append_only("closed_periods")
    drop_append_only("movements")
    op.drop_table("closed_periods")
    op.drop_table("stock")
    op.drop_table("movements")
    op.drop_table("notes")
    op.drop_table("counters")


def append_only(table: str) -> None:
    """The database itself refuses to update or delete a row of an append-only table."""
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
            )
        return
    op.execute(
        f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{table} are append-only'; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
    )


def drop_append_only(table: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_no_{event}")
        return
    op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
    op.execute(f"DROP FUNCTION {table}_append_only()")

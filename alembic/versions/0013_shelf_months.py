"""the days to sell of a closed month, kept at its close

Revision ID: 0013
Revises: 0012

- ``shelf_months``: per hotel, closed month and product stocked there, the units its
  movements dated up to the month's end took, and, where a sale was dated in the month,
  the units its sales took first in first out with the sum of their days on the shelf, as
  the ledger stood at the month's end. Written by the close, when nothing can be dated in
  the month any more, so that a year's ``audit sales`` reads eleven closed months instead
  of walking them again, and the month after them starts from what they took;
  append-only, like the close itself.
- ``closed_periods.ages_kept``: whether the close kept them. Months closed before this
  revision keep none (false), and the reports compute theirs from the ledger as before.
- ``ix_movements_chains`` (partial: the reversals): the voids of a range, by hotel and
  moment, without reading the sales around them.
"""

import sqlalchemy as sa

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

CHAINED = "root_id IS NOT NULL"


def upgrade() -> None:
    op.add_column("closed_periods", sa.Column("ages_kept", sa.Boolean(), nullable=False,
                                              server_default=sa.false()))
    op.create_table(
        "shelf_months",
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("taken", sa.BigInteger(), nullable=False),
        sa.Column("sold", sa.Boolean(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("unit_days", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["hotel_id"], ["hotels.id"],
                                name=op.f("fk_shelf_months_hotel_id_hotels")),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"],
                                name=op.f("fk_shelf_months_product_id_products")),
        sa.PrimaryKeyConstraint("hotel_id", "period", "product_id", name=op.f("pk_shelf_months")),
    )
    _append_only("shelf_months")
    op.create_index("ix_movements_chains", "movements",
                    ["hotel_id", "at", "product_id", "root_id"],
                    sqlite_where=sa.text(CHAINED), postgresql_where=sa.text(CHAINED))


def downgrade() -> None:
    op.drop_index("ix_movements_chains", table_name="movements")
    _drop_append_only("shelf_months")
    op.drop_table("shelf_months")
    # SQLite drops a column itself (3.35 and later): a batch copy would lose the triggers
    op.execute("ALTER TABLE closed_periods DROP COLUMN ages_kept")


def _append_only(table: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END")
        return
    op.execute(f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
               f"$$ BEGIN RAISE EXCEPTION '{table} are append-only'; END $$")
    op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
               f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")
    op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()")


def _drop_append_only(table: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_no_{event}")
        return
    op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
    op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
    op.execute(f"DROP FUNCTION {table}_append_only()")

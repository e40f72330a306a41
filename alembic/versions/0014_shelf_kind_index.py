"""one index of a shelf's movements by kind, holding what the month's sums read

Revision ID: 0014
Revises: 0013

- ``ix_movements_shelf_kind`` (hotel, product, kind, moment, then quantity, price, note and
  id): a shelf's movements of a kind over a range of moments read from the index alone, so
  that a month's plain sales and placements are summed per shelf without reading the
  movements themselves (their price, note and id are what decide whether they are plain).
  It replaces ``ix_movements_hotel_product_kind_at``, whose columns begin it, and
  ``ix_movements_hotel_product_kind_at_qty``, whose columns begin it too: every movement
  written now updates one index where it updated two.
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

COLUMNS = ["hotel_id", "product_id", "kind", "at", "qty", "unit_price", "note_id", "id"]


def upgrade() -> None:
    op.create_index("ix_movements_shelf_kind", "movements", COLUMNS)
    op.drop_index("ix_movements_hotel_product_kind_at_qty", table_name="movements")
    op.drop_index("ix_movements_hotel_product_kind_at", table_name="movements")


def downgrade() -> None:
    op.create_index("ix_movements_hotel_product_kind_at", "movements",
                    ["hotel_id", "product_id", "kind", "at"])
    op.create_index("ix_movements_hotel_product_kind_at_qty", "movements",
                    ["hotel_id", "product_id", "kind", "at", "qty"])
    op.drop_index("ix_movements_shelf_kind", table_name="movements")

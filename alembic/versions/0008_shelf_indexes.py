"""indexes for first in first out over every shelf at once (the audit reports' ages)

Revision ID: 0008
Revises: 0007

- ``ix_movements_hotel_product_kind_at_qty``: a shelf's sales (or any kind) of a range of
  days, with their quantities, read from the index alone;
- ``ix_movements_inflows`` (partial: movements that add units and are no reversal) and
  ``ix_movements_takes`` (partial: movements that take units and are neither a sale nor a
  reversal): a shelf's placements and count surpluses, walked newest first, and its
  returns, write-offs and count shortages, without reading its sales.
"""

import sqlalchemy as sa

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INFLOWS = "qty > 0 AND kind <> 'reversal'"
TAKES = "qty < 0 AND kind NOT IN ('sold', 'reversal')"
COLUMNS = ["hotel_id", "product_id", "at", "id", "kind", "qty"]


def upgrade() -> None:
    op.create_index("ix_movements_hotel_product_kind_at_qty", "movements",
                    ["hotel_id", "product_id", "kind", "at", "qty"])
    op.create_index("ix_movements_inflows", "movements", COLUMNS,
                    sqlite_where=sa.text(INFLOWS), postgresql_where=sa.text(INFLOWS))
    op.create_index("ix_movements_takes", "movements", COLUMNS,
                    sqlite_where=sa.text(TAKES), postgresql_where=sa.text(TAKES))


def downgrade() -> None:
    op.drop_index("ix_movements_takes", table_name="movements")
    op.drop_index("ix_movements_inflows", table_name="movements")
    op.drop_index("ix_movements_hotel_product_kind_at_qty", table_name="movements")

"""an index of the few movements a month's settlement reads one by one

Revision ID: 0015
Revises: 0014

- ``ix_movements_unplain`` (hotel, the moment a movement counts at), of the movements that
  are neither a sale nor a placement, and of the sales without a price or with a note: with
  the voided sales and placements (found from their reversals), these are what settlement
  reads one by one (``consign.services.settlement.build.period_entries``), where it read
  every movement of the month to find them.
"""

import sqlalchemy as sa

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

UNPLAIN = ("kind NOT IN ('sold', 'placed') OR (kind = 'sold' AND (unit_price IS NULL OR "
           "note_id IS NOT NULL))")


def upgrade() -> None:
    op.create_index("ix_movements_unplain", "movements", ["hotel_id", "counts_at"],
                    sqlite_where=sa.text(UNPLAIN), postgresql_where=sa.text(UNPLAIN))


def downgrade() -> None:
    op.drop_index("ix_movements_unplain", table_name="movements")

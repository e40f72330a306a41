"""web forms sent once: the keys of the forms whose work was done

Revision ID: 0012
Revises: 0011

- ``form_keys``: each web form that writes carries a random one-time key; the request that
  did what the form asked keeps it here with the page it led to, so that the same form sent
  again (a second tap, a browser resending after a lost answer) records nothing twice and is
  sent to that page. Keys older than any form could be are deleted as new ones come.
"""

import sqlalchemy as sa

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_keys",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("answer", sa.String(length=2000), nullable=False),
        sa.Column("spent_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(key) = 32", name=op.f("ck_form_keys_key_is_128_bits_hex")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_form_keys")),
    )
    op.create_index(op.f("ix_form_keys_spent_at"), "form_keys", ["spent_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_form_keys_spent_at"), table_name="form_keys")
    op.drop_table("form_keys")

"""the outbox: the e-mail that announces each issued statement to its IKM

Revision ID: 0009
Revises: 0008

- ``outbox``: one message per issued statement (queued by ``close`` in its own
  transaction, or by ``statement send`` for a statement issued before this table existed
  or an IKM given an e-mail address later): its recipient, its Message-ID (kept for every
  delivery of it), its status (``pending``, ``sent``, ``failed``), how many times it was
  tried and when last, when the server accepted it, and the server's reason when it did
  not; ``claims`` counts the runs that took it to send and ``claimed_at`` says since when
  the latest holds it, so that two runs at once never both hand it to the server. A
  downgrade that would drop the record of what was sent to whom is refused.
"""

import sqlalchemy as sa

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tried_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')",
                           name=op.f("ck_outbox_status")),
        sa.CheckConstraint("status <> 'sent' OR sent_at IS NOT NULL",
                           name=op.f("ck_outbox_sent_has_time")),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outbox_attempts_not_negative")),
        sa.ForeignKeyConstraint(["statement_id"], ["statements.id"],
                                name=op.f("fk_outbox_statement_id_statements")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outbox_message_id")),
        sa.UniqueConstraint("statement_id", name=op.f("uq_outbox_statement_id")),
    )


def downgrade() -> None:
    count = op.get_bind().scalar(sa.text("SELECT count(*) FROM outbox"))
    if count:
        from consign.errors import UpgradeStop

        raise UpgradeStop(
            f"Refusing to downgrade: it would drop the {count} messages of the outbox, the "
            "record of which statement was sent to whom and when."
        )
    op.drop_table("outbox")

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
            "status = 'draft' OR (number IS NOT NULL AND issued_on IS NOT NULL "
            "AND due_on IS NOT NULL AND pdf_sha256 IS NOT NULL)",
            name=op.f("ck_statements_issued_complete"),
        ),
        sa.CheckConstraint(
            "status <> 'paid' OR (paid_on IS NOT NULL AND pay_ref IS NOT NULL)",
            name=op.f("ck_statements_paid_recorded"),
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


    freeze_issued()


def downgrade() -> None:
    issued = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM statements WHERE status <> 'draft'"))
    if issued:
        from consign.errors import UpgradeStop

        raise UpgradeStop(
            f"Refusing to downgrade: it would drop {issued} issued statements, which never "
            "change."
        )
    unfreeze_issued()
    op.drop_table("statement_stock")
    op.drop_table("statement_lines")
    op.drop_table("statements")


# ---- an issued statement never changes ----------------------------------------------------
#
# The database itself refuses: an update of an issued or paid statement (except recording
# its payment once: issued -> paid with paid_on and pay_ref, nothing else changed), its
# deletion, and any insert, update or delete of its lines and stock rows. A draft may also
# not jump to paid.

FROZEN = "issued statements are frozen"
PARTS = ("statement_lines", "statement_stock")
# every column of statements except the three that recording a payment sets
KEPT = (
    "id", "number", "hotel_id", "consignor_id", "period", "built_at", "issued_on", "due_on",
    "pdf_sha256", "gross", "commission", "opening_balance", "net", "hotel_code", "hotel_name",
    "hotel_address", "hotel_phone", "consignor_code", "consignor_name", "owner_name",
    "consignor_address", "bank", "account", "holder",
)


def freeze_issued() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _freeze_sqlite()
    else:
        _freeze_postgresql()


def unfreeze_issued() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("statements_frozen_update", "statements_frozen_delete"):
            op.execute(f"DROP TRIGGER {name}")
        for table in PARTS:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_frozen_{event}")
        return
    op.execute("DROP TRIGGER statements_frozen ON statements")
    for table in PARTS:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER {table}_frozen_{event} ON {table}")
    op.execute("DROP FUNCTION statements_frozen()")
    op.execute("DROP FUNCTION statement_parts_frozen()")


def _raise(message: str = FROZEN) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{message}'); END"


def _freeze_sqlite() -> None:
    unchanged = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in KEPT)
    payment = f"OLD.status = 'issued' AND NEW.status = 'paid' AND {unchanged}"
    op.execute(
        "CREATE TRIGGER statements_frozen_update BEFORE UPDATE ON statements "
        f"WHEN (OLD.status <> 'draft' AND NOT ({payment})) "
        f"OR (OLD.status = 'draft' AND NEW.status = 'paid') {_raise()}"
    )
    op.execute(
        "CREATE TRIGGER statements_frozen_delete BEFORE DELETE ON statements "
        f"WHEN OLD.status <> 'draft' {_raise()}"
    )
    status_of = "(SELECT status FROM statements WHERE id = {row}.statement_id) <> 'draft'"
    for table in PARTS:
        conditions = {
            "insert": status_of.format(row="NEW"),
            "update": f"{status_of.format(row='OLD')} OR {status_of.format(row='NEW')}",
            "delete": status_of.format(row="OLD"),
        }
        for event, condition in conditions.items():
            op.execute(
                f"CREATE TRIGGER {table}_frozen_{event} BEFORE {event.upper()} ON {table} "
                f"WHEN {condition} {_raise()}"
            )


def _freeze_postgresql() -> None:
    payment_only = "(to_jsonb(NEW) - 'status' - 'paid_on' - 'pay_ref') = " \
        "(to_jsonb(OLD) - 'status' - 'paid_on' - 'pay_ref')"
    op.execute(
        "CREATE FUNCTION statements_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'DELETE' THEN "
        f"  IF OLD.status <> 'draft' THEN RAISE EXCEPTION '{FROZEN}'; END IF; RETURN OLD; "
        "END IF; "
        "IF OLD.status = 'draft' AND NEW.status = 'paid' "
        "OR OLD.status <> 'draft' AND NOT (OLD.status = 'issued' AND NEW.status = 'paid' "
        f"AND {payment_only}) THEN RAISE EXCEPTION '{FROZEN}'; END IF; "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER statements_frozen BEFORE UPDATE OR DELETE ON statements "
        "FOR EACH ROW EXECUTE FUNCTION statements_frozen()"
    )
    # the parts are checked once per statement (transition tables), not once per row: a
    # month's drafts are rebuilt by the hundred thousand lines
    issued = "EXISTS (SELECT 1 FROM {rows} r JOIN statements s ON s.id = r.statement_id " \
        "WHERE s.status <> 'draft')"
    op.execute(
        "CREATE FUNCTION statement_parts_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN IF {issued.format(rows='old_rows')} "
        f"THEN RAISE EXCEPTION '{FROZEN}'; END IF; END IF; "
        f"IF TG_OP <> 'DELETE' THEN IF {issued.format(rows='new_rows')} "
        f"THEN RAISE EXCEPTION '{FROZEN}'; END IF; END IF; "
        "RETURN NULL; END $$"
    )
    transitions = {
        "insert": "NEW TABLE AS new_rows",
        "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "OLD TABLE AS old_rows",
    }
    for table in PARTS:
        for event, tables in transitions.items():
            op.execute(
                f"CREATE TRIGGER {table}_frozen_{event} AFTER {event.upper()} ON {table} "
                f"REFERENCING {tables} FOR EACH STATEMENT "
                "EXECUTE FUNCTION statement_parts_frozen()"
            )

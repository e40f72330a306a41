"""the clerk's day: movements count where they settle, receipts free again after a void,
payments as records, statements an owner can reconcile, the IKM's consent to be public

Revision ID: 0006
Revises: 0005

- ``movements.counts_at``: the moment a movement counts at in settlement, its own or, for
  a reversal that cancels what it reverses, that one's; so that a void of a void (which
  puts the original back in force) settles where its chain does.
- ``movements.receipt_version``: a receipt's sale is unique per (hotel, receipt, SKU,
  version); a sale voided frees the receipt for the corrected one (version + 1).
- ``movements.root_id``: for a reversal, the movement its chain of voids began with; a
  movement is in force while its chain holds an even number of reversals.
- ``payments`` and ``payment_voids``, append-only; the paid statements' payments move off
  the statement rows (``paid_on``, ``pay_ref`` go), so an issued statement's row never
  changes again: the database refuses every update of it.
- ``statement_lines`` gain the time, receipt and payment of a sale, the note and reason of
  a loss, and what a correction corrects; ``statement_losses`` lists what the IKM bears.
- ``consignors.public``: consent to appear in the public catalogue, off until set.

SQLite cannot change a table's constraints in place, so ``movements`` and ``statements``
are rebuilt there (the references to them checked before commit, the triggers made
again); PostgreSQL alters them.
"""

import sqlalchemy as sa

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FROZEN = "issued statements are frozen"


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    _payments_tables()
    _statement_parts()
    _move_payments()
    if sqlite:
        op.execute("PRAGMA legacy_alter_table = ON")
        _rebuild("movements", _movements_table, MOVEMENT_COPY, _movement_indexes,
                 _movement_triggers_sqlite)
        _rebuild("statements", _statements_table, STATEMENT_COPY, _statement_indexes,
                 _statement_triggers_sqlite)
        op.execute("PRAGMA legacy_alter_table = OFF")
    else:
        _movements_postgresql()
        _statements_postgresql()
    op.add_column("consignors", sa.Column("public", sa.Boolean(), nullable=False,
                                          server_default=sa.false(),
                                          comment="consents to appear in the public catalogue"))


def downgrade() -> None:
    bind = op.get_bind()
    for table in ("movements", "statements", "payments"):
        if bind.scalar(sa.text(f"SELECT count(*) FROM {table}")):
            from consign.errors import UpgradeStop

            raise UpgradeStop(f"Refusing to downgrade: {table} hold records this revision "
                              "shaped; only an empty database goes back before it.")
    _drop_columns("consignors", ["public"])
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute("PRAGMA legacy_alter_table = ON")
        _rebuild("movements", _old_movements_table, None, _old_movement_indexes,
                 _movement_triggers_sqlite)
        _rebuild("statements", _old_statements_table, None, _statement_indexes,
                 _old_statement_triggers_sqlite)
        op.execute("PRAGMA legacy_alter_table = OFF")
    else:
        _undo_postgresql()
    _drop_statement_parts()
    _drop_payments_tables()


# ---- payments ------------------------------------------------------------------------------

def _payments_tables() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("ref", sa.String(length=60), nullable=False),
        sa.Column("bank", sa.String(length=200), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payments_amount_positive")),
        sa.ForeignKeyConstraint(["statement_id"], ["statements.id"],
                                name=op.f("fk_payments_statement_id_statements")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_statement_id"), ["statement_id"],
                              unique=False)
    op.create_table(
        "payment_voids",
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_payment_voids_payment_id_payments")),
        sa.PrimaryKeyConstraint("payment_id", name=op.f("pk_payment_voids")),
    )
    for table in ("payments", "payment_voids"):
        _append_only(table)


def _drop_payments_tables() -> None:
    for table in ("payment_voids", "payments"):
        _drop_append_only(table)
        op.drop_table(table)


def _move_payments() -> None:
    """Each paid statement's payment, as it was recorded, becomes a payment record."""
    op.execute(
        "INSERT INTO payments (statement_id, paid_on, amount, ref, bank, account, holder, "
        "recorded_at, actor) SELECT id, paid_on, net, pay_ref, bank, account, holder, "
        "built_at, 'consign db upgrade' FROM statements WHERE status = 'paid' ORDER BY number"
    )


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


# ---- what a statement line says, and what the IKM bears ---------------------------------------

def _line_columns() -> list:
    return [
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("receipt", sa.String(length=60), nullable=True),
        sa.Column("payment", sa.String(length=20), nullable=True),
        sa.Column("note", sa.String(length=30), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("corrects_day", sa.Date(), nullable=True),
        sa.Column("corrects_receipt", sa.String(length=60), nullable=True),
        sa.Column("corrects_number", sa.String(length=12), nullable=True),
    ]


def _statement_parts() -> None:
    for column in _line_columns():
        op.add_column("statement_lines", column)
    op.create_table(
        "statement_losses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sku", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=30), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("movement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["movement_id"], ["movements.id"],
                                name=op.f("fk_statement_losses_movement_id_movements")),
        sa.ForeignKeyConstraint(["statement_id"], ["statements.id"],
                                name=op.f("fk_statement_losses_statement_id_statements")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_losses")),
    )
    with op.batch_alter_table("statement_losses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_losses_statement_id"), ["statement_id"],
                              unique=False)
    _freeze_losses()


def _freeze_losses() -> None:
    """The losses of an issued statement are frozen as its lines are (migration 0003)."""
    if op.get_bind().dialect.name == "sqlite":
        status_of = "(SELECT status FROM statements WHERE id = {row}.statement_id) <> 'draft'"
        conditions = {
            "insert": status_of.format(row="NEW"),
            "update": f"{status_of.format(row='OLD')} OR {status_of.format(row='NEW')}",
            "delete": status_of.format(row="OLD"),
        }
        for event, condition in conditions.items():
            op.execute(f"CREATE TRIGGER statement_losses_frozen_{event} BEFORE {event.upper()} "
                       f"ON statement_losses WHEN {condition} "
                       f"BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END")
        return
    transitions = {"insert": "NEW TABLE AS new_rows",
                   "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                   "delete": "OLD TABLE AS old_rows"}
    for event, tables in transitions.items():
        op.execute(f"CREATE TRIGGER statement_losses_frozen_{event} AFTER {event.upper()} ON "
                   f"statement_losses REFERENCING {tables} FOR EACH STATEMENT "
                   "EXECUTE FUNCTION statement_parts_frozen()")
    op.execute("CREATE TRIGGER statement_losses_no_truncate BEFORE TRUNCATE ON "
               "statement_losses FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()")


def _drop_statement_parts() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER statement_losses_frozen_{event}")
    else:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER statement_losses_frozen_{event} ON statement_losses")
        op.execute("DROP TRIGGER statement_losses_no_truncate ON statement_losses")
    op.drop_table("statement_losses")
    _drop_columns("statement_lines", [column.name for column in _line_columns()])


def _drop_columns(table: str, names: list[str]) -> None:
    """Plain ``ALTER TABLE … DROP COLUMN`` on both databases (SQLite has it since 3.35): a
    batch rebuild of the table would drop its triggers with it."""
    for name in names:
        op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")


# ---- SQLite: a table rebuilt under its new definition -----------------------------------------

def _rebuild(name: str, define, copy: str | None, indexes, triggers) -> None:
    """Create the new table beside the old, copy the rows (``copy``: its column list and
    the SELECT of their values), drop the old one, rename the new, and make its indexes and
    triggers again. ``consign db upgrade`` runs this with SQLite's foreign key checks off
    and checks every reference before it commits (``schema.upgrade``)."""
    define(f"_new_{name}")
    if copy is not None:
        columns, values = copy
        op.execute(f"INSERT INTO _new_{name} ({columns}) SELECT {values} FROM {name} AS m "
                   "ORDER BY m.id")
    op.execute(f"DROP TABLE {name}")
    op.execute(f"ALTER TABLE _new_{name} RENAME TO {name}")
    indexes()
    triggers()


MOVEMENT_KEEP = ("id, kind, hotel_id, product_id, qty, unit_price, at, recorded_at, actor, "
                 "note_id, receipt, payment, reason, liable, reverses_id, cancels")
MOVEMENT_COPY = (
    MOVEMENT_KEEP + ", counts_at, receipt_version, root_id",
    ", ".join(f"m.{column.strip()}" for column in MOVEMENT_KEEP.split(",")) +
    ", CASE WHEN m.kind = 'reversal' AND m.cancels THEN (SELECT o.at FROM movements AS o "
    "WHERE o.id = m.reverses_id) ELSE m.at END, 0, m.reverses_id",
)


def _movement_columns(new: bool) -> list:
    columns = [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("receipt", sa.String(length=60), nullable=True),
        sa.Column("payment", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("liable", sa.String(length=20), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("cancels", sa.Boolean(), nullable=True, comment=(
            "for a reversal: the reversed movement's period was still open when recorded")),
    ]
    if new:
        columns += [
            sa.Column("counts_at", sa.DateTime(timezone=True), nullable=False, comment=(
                "the moment it counts at in settlement: its own, or for a cancelling "
                "reversal that of what it cancels")),
            sa.Column("receipt_version", sa.Integer(), nullable=False, comment=(
                "how many sales under this receipt and SKU were voided before it")),
            sa.Column("root_id", sa.Integer(), nullable=True, comment=(
                "for a reversal: the movement its chain of voids began with")),
        ]
    return columns


def _movement_constraints(new: bool) -> list:
    receipt = ("hotel_id", "receipt", "product_id") + (("receipt_version",) if new else ())
    return [
        sa.CheckConstraint("kind IN ('placed', 'sold', 'returned', 'lost', 'damaged', "
                           "'counted', 'reversal')", name=op.f("ck_movements_kind")),
        sa.CheckConstraint("liable IS NULL OR liable IN ('hotel', 'consignor')",
                           name=op.f("ck_movements_liable")),
        sa.CheckConstraint("payment IS NULL OR payment IN ('cash', 'card', 'qris', "
                           "'transfer')", name=op.f("ck_movements_payment")),
        sa.CheckConstraint("qty <> 0", name=op.f("ck_movements_qty_not_zero")),
        sa.CheckConstraint("unit_price IS NULL OR unit_price > 0",
                           name=op.f("ck_movements_unit_price_positive")),
        sa.ForeignKeyConstraint(["hotel_id"], ["hotels.id"],
                                name=op.f("fk_movements_hotel_id_hotels")),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"],
                                name=op.f("fk_movements_note_id_notes")),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"],
                                name=op.f("fk_movements_product_id_products")),
        sa.ForeignKeyConstraint(["reverses_id"], ["movements.id"],
                                name=op.f("fk_movements_reverses_id_movements")),
        *([sa.ForeignKeyConstraint(["root_id"], ["movements.id"],
                                   name=op.f("fk_movements_root_id_movements"))] if new else []),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movements")),
        sa.UniqueConstraint(*receipt, name="uq_movements_receipt"),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_movements_reverses_id")),
    ]


def _movements_table(name: str) -> None:
    op.create_table(name, *_movement_columns(True), *_movement_constraints(True))


def _old_movements_table(name: str) -> None:
    op.create_table(name, *_movement_columns(False), *_movement_constraints(False))


def _old_movement_indexes() -> None:
    op.create_index("ix_movements_hotel_at", "movements", ["hotel_id", "at"])
    op.create_index("ix_movements_hotel_product_at", "movements",
                    ["hotel_id", "product_id", "at"])
    op.create_index("ix_movements_hotel_product_kind_at", "movements",
                    ["hotel_id", "product_id", "kind", "at"])
    op.create_index("ix_movements_note_id", "movements", ["note_id"])


def _movement_indexes() -> None:
    _old_movement_indexes()
    op.create_index("ix_movements_hotel_counts_at", "movements", ["hotel_id", "counts_at"])
    op.create_index("ix_movements_root_id", "movements", ["root_id"])


def _movement_triggers_sqlite() -> None:
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER movements_no_{event.lower()} BEFORE {event} ON movements "
                   "BEGIN SELECT RAISE(ABORT, 'movements are append-only'); END")


STATEMENT_KEEP = (
    "id, number, hotel_id, consignor_id, period, built_at, issued_on, due_on, pdf_sha256, "
    "gross, commission, opening_balance, net, hotel_code, hotel_name, hotel_address, "
    "hotel_phone, consignor_code, consignor_name, owner_name, consignor_address, bank, "
    "account, holder")
STATEMENT_COPY = (
    STATEMENT_KEEP + ", status",
    ", ".join(f"m.{column.strip()}" for column in STATEMENT_KEEP.split(",")) +
    ", CASE m.status WHEN 'paid' THEN 'issued' ELSE m.status END",
)


def _statement_columns(new: bool) -> list:
    columns = [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=12), nullable=True),
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("consignor_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
    ]
    if not new:
        columns += [sa.Column("paid_on", sa.Date(), nullable=True),
                    sa.Column("pay_ref", sa.String(length=100), nullable=True)]
    columns += [
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
        sa.Column("bank", sa.String(length=200), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
    ]
    return columns


def _statement_constraints(new: bool) -> list:
    statuses = "('draft', 'issued')" if new else "('draft', 'issued', 'paid')"
    constraints = [
        sa.CheckConstraint(
            "status = 'draft' OR (number IS NOT NULL AND issued_on IS NOT NULL "
            "AND due_on IS NOT NULL AND pdf_sha256 IS NOT NULL)",
            name=op.f("ck_statements_issued_complete")),
        sa.CheckConstraint(f"status IN {statuses}", name=op.f("ck_statements_status")),
        sa.CheckConstraint("opening_balance <= 0",
                           name=op.f("ck_statements_opening_not_positive")),
        sa.ForeignKeyConstraint(["consignor_id"], ["consignors.id"],
                                name=op.f("fk_statements_consignor_id_consignors")),
        sa.ForeignKeyConstraint(["hotel_id"], ["hotels.id"],
                                name=op.f("fk_statements_hotel_id_hotels")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
        sa.UniqueConstraint("hotel_id", "consignor_id", "period",
                            name="uq_statements_pair_period"),
        sa.UniqueConstraint("number", name=op.f("uq_statements_number")),
    ]
    if not new:
        constraints.append(sa.CheckConstraint(
            "status <> 'paid' OR (paid_on IS NOT NULL AND pay_ref IS NOT NULL)",
            name=op.f("ck_statements_paid_recorded")))
    return constraints


def _statements_table(name: str) -> None:
    op.create_table(name, *_statement_columns(True), *_statement_constraints(True))


def _old_statements_table(name: str) -> None:
    op.create_table(name, *_statement_columns(False), *_statement_constraints(False))


def _statement_indexes() -> None:
    op.create_index("ix_statements_consignor_id", "statements", ["consignor_id"])
    op.create_index("ix_statements_period", "statements", ["period"])


def _statement_triggers_sqlite() -> None:
    """An issued statement's row never changes, and is never deleted."""
    op.execute("CREATE TRIGGER statements_frozen_update BEFORE UPDATE ON statements "
               f"WHEN OLD.status <> 'draft' BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END")
    op.execute("CREATE TRIGGER statements_frozen_delete BEFORE DELETE ON statements "
               f"WHEN OLD.status <> 'draft' BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END")


def _old_statement_triggers_sqlite() -> None:
    kept = ("id", "number", "hotel_id", "consignor_id", "period", "built_at", "issued_on",
            "due_on", "pdf_sha256", "gross", "commission", "opening_balance", "net",
            "hotel_code", "hotel_name", "hotel_address", "hotel_phone", "consignor_code",
            "consignor_name", "owner_name", "consignor_address", "bank", "account", "holder")
    unchanged = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in kept)
    payment = f"OLD.status = 'issued' AND NEW.status = 'paid' AND {unchanged}"
    op.execute("CREATE TRIGGER statements_frozen_update BEFORE UPDATE ON statements "
               f"WHEN (OLD.status <> 'draft' AND NOT ({payment})) "
               f"OR (OLD.status = 'draft' AND NEW.status = 'paid') "
               f"BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END")
    op.execute("CREATE TRIGGER statements_frozen_delete BEFORE DELETE ON statements "
               f"WHEN OLD.status <> 'draft' BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END")


# ---- PostgreSQL: the same, altered in place ---------------------------------------------------

def _movements_postgresql() -> None:
    op.add_column("movements", sa.Column("counts_at", sa.DateTime(timezone=True), comment=(
        "the moment it counts at in settlement: its own, or for a cancelling reversal that "
        "of what it cancels")))
    op.add_column("movements", sa.Column("receipt_version", sa.Integer(), nullable=False,
                                         server_default="0", comment=(
        "how many sales under this receipt and SKU were voided before it")))
    op.add_column("movements", sa.Column("root_id", sa.Integer(), nullable=True, comment=(
        "for a reversal: the movement its chain of voids began with")))
    op.create_foreign_key(op.f("fk_movements_root_id_movements"), "movements", "movements",
                          ["root_id"], ["id"])
    op.execute("ALTER TABLE movements DISABLE TRIGGER movements_append_only")
    op.execute("UPDATE movements AS m SET counts_at = CASE WHEN m.kind = 'reversal' AND "
               "m.cancels THEN (SELECT o.at FROM movements AS o WHERE o.id = m.reverses_id) "
               "ELSE m.at END, root_id = m.reverses_id")
    op.execute("ALTER TABLE movements ENABLE TRIGGER movements_append_only")
    op.alter_column("movements", "counts_at", nullable=False)
    op.alter_column("movements", "receipt_version", server_default=None)
    op.drop_constraint(op.f("uq_movements_receipt"), "movements", type_="unique")
    op.create_unique_constraint(op.f("uq_movements_receipt"), "movements",
                                ["hotel_id", "receipt", "product_id", "receipt_version"])
    op.create_index("ix_movements_hotel_counts_at", "movements", ["hotel_id", "counts_at"])
    op.create_index("ix_movements_root_id", "movements", ["root_id"])


def _statements_postgresql() -> None:
    op.execute("ALTER TABLE statements DISABLE TRIGGER statements_frozen")
    op.execute("UPDATE statements SET status = 'issued' WHERE status = 'paid'")
    op.execute("ALTER TABLE statements ENABLE TRIGGER statements_frozen")
    op.drop_constraint(op.f("ck_statements_paid_recorded"), "statements", type_="check")
    op.drop_constraint(op.f("ck_statements_status"), "statements", type_="check")
    op.create_check_constraint(op.f("ck_statements_status"), "statements",
                               "status IN ('draft', 'issued')")
    op.drop_column("statements", "paid_on")
    op.drop_column("statements", "pay_ref")
    op.execute(
        "CREATE OR REPLACE FUNCTION statements_frozen() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN IF OLD.status <> 'draft' THEN RAISE EXCEPTION '{FROZEN}'; END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$")


def _undo_postgresql() -> None:
    op.drop_index("ix_movements_root_id", "movements")
    op.drop_constraint(op.f("fk_movements_root_id_movements"), "movements", type_="foreignkey")
    op.drop_column("movements", "root_id")
    op.drop_index("ix_movements_hotel_counts_at", "movements")
    op.drop_constraint(op.f("uq_movements_receipt"), "movements", type_="unique")
    op.create_unique_constraint(op.f("uq_movements_receipt"), "movements",
                                ["hotel_id", "receipt", "product_id"])
    op.drop_column("movements", "receipt_version")
    op.drop_column("movements", "counts_at")
    op.add_column("statements", sa.Column("paid_on", sa.Date(), nullable=True))
    op.add_column("statements", sa.Column("pay_ref", sa.String(length=100), nullable=True))
    op.drop_constraint(op.f("ck_statements_status"), "statements", type_="check")
    op.create_check_constraint(op.f("ck_statements_status"), "statements",
                               "status IN ('draft', 'issued', 'paid')")
    op.create_check_constraint(op.f("ck_statements_paid_recorded"), "statements",
                               "status <> 'paid' OR (paid_on IS NOT NULL AND pay_ref IS NOT "
                               "NULL)")
    payment_only = ("(to_jsonb(NEW) - 'status' - 'paid_on' - 'pay_ref') = "
                    "(to_jsonb(OLD) - 'status' - 'paid_on' - 'pay_ref')")
    op.execute(
        "CREATE OR REPLACE FUNCTION statements_frozen() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN IF TG_OP = 'DELETE' THEN "
        f"  IF OLD.status <> 'draft' THEN RAISE EXCEPTION '{FROZEN}'; END IF; RETURN OLD; "
        "END IF; IF OLD.status = 'draft' AND NEW.status = 'paid' "
        "OR OLD.status <> 'draft' AND NOT (OLD.status = 'issued' AND NEW.status = 'paid' "
        f"AND {payment_only}) THEN RAISE EXCEPTION '{FROZEN}'; END IF; RETURN NEW; END $$")

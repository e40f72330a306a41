"""the hard boundary: columns as wide as their bounds, the audit log one entry per
movement and per change with its hash chain, and the database refusing every change to
what must never change

Revision ID: 0005
Revises: 0004

- Columns narrower than the bounds of SPEC section 2 are widened (reasons to 500
  characters, e-mail to 254, a person's name to 120, a bank's name to 200). SQLite does not
  enforce a declared length, so there only the declared type is rewritten, in place (the
  table's content is unchanged).
- The audit log gets the form of SPEC section 4a: the business moment of what it records,
  when it was recorded, who recorded it, and the record it concerns. The old entries are
  carried over: every movement gets its own entry (an import of 500 rows was one entry,
  it is now 500), every other change keeps its entry under the record it concerns.
- Every entry enters a queue that ``close`` and ``check`` empty into the hash chain.
- Triggers refuse UPDATE and DELETE (and on PostgreSQL TRUNCATE) of notes, the audit log,
  its chain, and, besides, TRUNCATE of movements, closed periods, statements and their
  parts; counters only move forward.
"""

import json
import re
from datetime import UTC, datetime

import sqlalchemy as sa

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (table, column, old length, new length)
WIDENED = [
    ("notes", "reason", 400, 500),
    ("notes", "actor", 100, 120),
    ("movements", "reason", 400, 500),
    ("movements", "actor", 100, 120),
    ("closed_periods", "actor", 100, 120),
    ("consignors", "email", 200, 254),
    ("consignors", "bank", 100, 200),
    ("statements", "bank", 100, 200),
    ("documents", "key", 1000, 4000),  # a consolidated statement's numbers, at every hotel
]
APPEND_ONLY = ("notes", "audit_log", "audit_chain")
# never deleted (deactivated instead): what movements and statements refer to
KEPT = ("hotels", "consignors", "products", "terms")
NO_TRUNCATE = ("movements", "closed_periods", "statements", "statement_lines",
               "statement_stock", "counters", "audit_queue")


def upgrade() -> None:
    bind = op.get_bind()
    for table, column, old, new in WIDENED:
        _widen(table, column, old, new)
    old_entries = bind.execute(sa.text(
        "SELECT id, at, actor, action, entity, key, detail FROM audit_log ORDER BY id"
    )).all()
    op.drop_table("audit_log")
    _create_audit_tables()
    _carry_over(old_entries)
    op.execute("INSERT INTO audit_queue (entry_id) SELECT id FROM audit_log")
    _triggers()


def downgrade() -> None:
    entries = op.get_bind().scalar(sa.text("SELECT count(*) FROM audit_log"))
    if entries:
        from consign.errors import UpgradeStop

        raise UpgradeStop(
            f"Refusing to downgrade: it would drop the {entries} entries of the audit log and "
            "their hash chain."
        )
    _drop_triggers()
    op.drop_table("audit_chain")
    op.drop_table("audit_queue")
    op.drop_table("audit_log")
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
    for table, column, old, new in reversed(WIDENED):
        _widen(table, column, new, old)


# ---- widening ---------------------------------------------------------------------------------

def _widen(table: str, column: str, old: int, new: int) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.alter_column(table, column, type_=sa.String(length=new),
                        existing_type=sa.String(length=old))
        return
    # SQLite stores text whatever its declared length; rewrite the declaration only (SQLite's
    # documented procedure for schema changes that do not touch the stored content).
    sql = bind.scalar(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND "
                              "name = :table"), {"table": table})
    declared = re.compile(rf'(^|[\s(,])("?{column}"?) VARCHAR\({old}\)')
    if len(declared.findall(sql)) != 1:
        raise RuntimeError(f"{table}.{column} is not declared VARCHAR({old})")
    widened = declared.sub(rf"\1\2 VARCHAR({new})", sql)
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.execute(sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND "
                         "name = :table"), {"sql": widened, "table": table})
    bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


# ---- the audit log ------------------------------------------------------------------------------

def _create_audit_tables() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("record", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_record"), ["record"], unique=False)
    op.create_table(
        "audit_queue",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["audit_log.id"],
                                name=op.f("fk_audit_queue_entry_id_audit_log")),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_audit_queue")),
    )
    op.create_table(
        "audit_chain",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["audit_log.id"],
                                name=op.f("fk_audit_chain_entry_id_audit_log")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_chain")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_audit_chain_entry_id")),
    )


AUDIT = sa.table(
    "audit_log", sa.column("at", sa.DateTime), sa.column("recorded_at", sa.DateTime),
    sa.column("actor"), sa.column("action"), sa.column("record"), sa.column("detail"),
)
# entries of the old log that the movements' own entries replace
MOVEMENT_ACTIONS = {"sale", "void", "placement.record", "return.record", "loss.record",
                    "count.record", "sales.import"}


def _carry_over(old_entries) -> None:
    """The old log's entries in the new form, in the order they were recorded: one per
    movement (built from the movement), and every other entry under its record."""
    bind = op.get_bind()
    entries = [_movement_entry(row) for row in bind.execute(sa.text(
        "SELECT m.id, m.kind, m.qty, m.unit_price, m.at, m.recorded_at, m.actor, m.receipt, "
        "m.payment, m.reason, m.liable, m.reverses_id, m.cancels, h.code AS hotel, "
        "p.sku AS sku, c.code AS consignor, n.number AS note "
        "FROM movements m JOIN hotels h ON h.id = m.hotel_id "
        "JOIN products p ON p.id = m.product_id JOIN consignors c ON c.id = p.consignor_id "
        "LEFT JOIN notes n ON n.id = m.note_id ORDER BY m.id"
    ))]
    for row in old_entries:
        if row.action in MOVEMENT_ACTIONS:
            continue
        entries.extend(_carried(row))
    entries.sort(key=lambda entry: (_utc(entry["recorded_at"]), entry.pop("_order")))
    sqlite = bind.dialect.name == "sqlite"
    for entry in entries:
        for key in ("at", "recorded_at"):
            moment = _utc(entry[key])
            entry[key] = moment.replace(tzinfo=None) if sqlite else moment
    if entries:
        bind.execute(sa.insert(AUDIT), entries)


def _utc(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _movement_entry(row) -> dict:
    detail = {
        "kind": row.kind, "hotel": row.hotel, "consignor": row.consignor, "sku": row.sku,
        "qty": row.qty, "unit_price": row.unit_price, "receipt": row.receipt,
        "payment": row.payment, "note": row.note, "reason": row.reason, "liable": row.liable,
        "reverses": row.reverses_id,
    }
    return {
        "at": row.at, "recorded_at": row.recorded_at, "actor": row.actor,
        "action": "void" if row.kind == "reversal" else row.kind,
        "record": f"movement:{row.id}",
        "detail": json.dumps(detail, sort_keys=True, ensure_ascii=False),
        "_order": (0, row.id),
    }


def _carried(row) -> list[dict]:
    detail = json.loads(row.detail or "{}")
    record = f"{row.entity}:{row.key}"
    if row.action == "period.close":
        record = f"hotel:{row.key}"
    elif row.action == "statement.settle":
        record = f"period:{row.key}"
    base = {"at": row.at, "recorded_at": row.at, "actor": row.actor}
    carried = [{**base, "action": row.action, "record": record,
                "detail": json.dumps(detail, sort_keys=True, ensure_ascii=False),
                "_order": (1, row.id, 0)}]
    if row.action == "period.close":
        carried += [
            {**base, "action": "statement.issue", "record": f"statement:{number}",
             "detail": json.dumps({"hotel": row.key, "period": detail.get("period")},
                                  sort_keys=True), "_order": (1, row.id, n)}
            for n, number in enumerate(detail.get("statements") or [], start=1)
        ]
    return carried


# ---- the database refuses ----------------------------------------------------------------------

def _triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def _refusal(table: str) -> str:
    return f"{table} are append-only"


def _sqlite_triggers() -> None:
    for table in APPEND_ONLY:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{_refusal(table)}'); END")
    op.execute("CREATE TRIGGER audit_log_queued AFTER INSERT ON audit_log "
               "BEGIN INSERT INTO audit_queue (entry_id) VALUES (NEW.id); END")
    op.execute("CREATE TRIGGER audit_queue_no_update BEFORE UPDATE ON audit_queue "
               "BEGIN SELECT RAISE(ABORT, 'audit_queue entries leave only into the chain'); "
               "END")
    op.execute("CREATE TRIGGER audit_queue_chained_only BEFORE DELETE ON audit_queue WHEN NOT "
               "EXISTS (SELECT 1 FROM audit_chain WHERE entry_id = OLD.entry_id) "
               "BEGIN SELECT RAISE(ABORT, 'audit_queue entries leave only into the chain'); END")
    for table in KEPT:
        op.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                   f"BEGIN SELECT RAISE(ABORT, '{table} are never deleted: deactivate "
                   "instead'); END")
    op.execute("CREATE TRIGGER counters_forward BEFORE UPDATE ON counters "
               "WHEN NEW.value < OLD.value OR NEW.name IS NOT OLD.name "
               "BEGIN SELECT RAISE(ABORT, 'counters only move forward'); END")
    op.execute("CREATE TRIGGER counters_no_delete BEFORE DELETE ON counters "
               "BEGIN SELECT RAISE(ABORT, 'counters only move forward'); END")


def _postgresql_triggers() -> None:
    for table in APPEND_ONLY:
        op.execute(f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN RAISE EXCEPTION '{_refusal(table)}'; END $$")
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()")
    op.execute("CREATE FUNCTION audit_log_queued() RETURNS trigger LANGUAGE plpgsql AS $$ "
               "BEGIN INSERT INTO audit_queue (entry_id) VALUES (NEW.id); RETURN NULL; END $$")
    op.execute("CREATE TRIGGER audit_log_queued AFTER INSERT ON audit_log FOR EACH ROW "
               "EXECUTE FUNCTION audit_log_queued()")
    op.execute(
        "CREATE FUNCTION audit_queue_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_chain WHERE entry_id = "
        "OLD.entry_id) THEN RETURN OLD; END IF; "
        "RAISE EXCEPTION 'audit_queue entries leave only into the chain'; END $$")
    op.execute("CREATE TRIGGER audit_queue_guard BEFORE UPDATE OR DELETE ON audit_queue "
               "FOR EACH ROW EXECUTE FUNCTION audit_queue_guard()")
    op.execute(
        "CREATE FUNCTION counters_forward() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' AND NEW.value >= OLD.value AND NEW.name = OLD.name "
        "THEN RETURN NEW; END IF; RAISE EXCEPTION 'counters only move forward'; END $$")
    op.execute("CREATE TRIGGER counters_forward BEFORE UPDATE OR DELETE ON counters "
               "FOR EACH ROW EXECUTE FUNCTION counters_forward()")
    op.execute("CREATE FUNCTION never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ "
               "BEGIN RAISE EXCEPTION '% are never deleted: deactivate instead', "
               "TG_TABLE_NAME; END $$")
    for table in KEPT:
        op.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION never_deleted()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION never_deleted()")
    op.execute("CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ "
               "BEGIN RAISE EXCEPTION '% cannot be truncated: it holds what must never "
               "change', TG_TABLE_NAME; END $$")
    for table in NO_TRUNCATE:
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()")


def _drop_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        names = [f"{table}_no_{event}" for table in APPEND_ONLY for event in ("update", "delete")]
        names += ["audit_log_queued", "audit_queue_no_update", "audit_queue_chained_only",
                  "counters_forward", "counters_no_delete"]
        names += [f"{table}_no_delete" for table in KEPT]
        for name in names:
            op.execute(f"DROP TRIGGER {name}")
        return
    for table in NO_TRUNCATE:
        op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
    op.execute("DROP FUNCTION refuse_truncate()")
    for table in KEPT:
        op.execute(f"DROP TRIGGER {table}_no_delete ON {table}")
        op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
    op.execute("DROP FUNCTION never_deleted()")
    op.execute("DROP TRIGGER counters_forward ON counters")
    op.execute("DROP FUNCTION counters_forward()")
    op.execute("DROP TRIGGER audit_queue_guard ON audit_queue")
    op.execute("DROP FUNCTION audit_queue_guard()")
    op.execute("DROP TRIGGER audit_log_queued ON audit_log")
    op.execute("DROP FUNCTION audit_log_queued()")
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute(f"DROP FUNCTION {table}_append_only()")

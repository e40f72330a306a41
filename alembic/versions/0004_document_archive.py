"""document archive: the exact bytes of every issued statement's PDF

Revision ID: 0004
Revises: 0003

Statements issued before the archive existed get their archived PDF from a re-render,
which must reproduce the SHA-256 stored at their close. Only a release whose statement
renderer is the one that issued them can do that (0.2.0 is the last such release): a later
release refuses to upgrade such a database and says to upgrade through 0.2.0 first.
"""

from datetime import UTC, datetime
from types import SimpleNamespace

import sqlalchemy as sa

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ARCHIVE_RELEASE = "0.2.0"  # the last release that can archive statements issued before it
RENDERER_EDITION = 1  # the statement renderer of releases up to 0.2.0


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=1000), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=True),
        sa.Column("consignor_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=7), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consignor_id"], ["consignors.id"], name=op.f("fk_documents_consignor_id_consignors")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"], ["statements.id"], name=op.f("fk_documents_statement_id_statements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("key", name=op.f("uq_documents_key")),
        sa.UniqueConstraint("sha256", name=op.f("uq_documents_sha256")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_documents_statement_id"), ["statement_id"], unique=False
        )
    _archive_issued()
    _append_only("documents")


def downgrade() -> None:
    count = op.get_bind().scalar(sa.text("SELECT count(*) FROM documents"))
    if count:
        from consign.errors import UpgradeStop

        raise UpgradeStop(
            f"Refusing to downgrade: it would drop the {count} archived documents, the "
            "exact files handed out of issued statements."
        )
    if op.get_bind().dialect.name == "sqlite":
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER documents_no_{event}")
    else:
        op.execute("DROP TRIGGER documents_append_only ON documents")
        op.execute("DROP TRIGGER documents_no_truncate ON documents")
        op.execute("DROP FUNCTION documents_append_only()")
    op.drop_table("documents")


# ---- archiving what was issued before ------------------------------------------------------

STATEMENTS = sa.table(
    "statements", *(sa.column(name) for name in (
        "id", "number", "status", "period", "pdf_sha256", "gross", "commission",
        "opening_balance", "net", "hotel_code", "hotel_name", "hotel_address", "hotel_phone",
        "consignor_code", "consignor_name", "owner_name", "consignor_address", "bank",
        "account", "holder")),
    sa.column("issued_on", sa.Date), sa.column("due_on", sa.Date),
)
LINES = sa.table(
    "statement_lines", sa.column("statement_id"), sa.column("position"), sa.column("kind"),
    sa.column("day", sa.Date), sa.column("sku"), sa.column("name"), sa.column("qty"),
    sa.column("unit_price"), sa.column("amount"), sa.column("rate_bp"),
)
STOCK = sa.table(
    "statement_stock", sa.column("statement_id"), sa.column("position"), *(
        sa.column(name) for name in ("sku", "name", "opening", "placed", "sold", "returned",
                                     "lost", "counted", "corrected", "closing")),
)
DOCUMENTS = sa.table(
    "documents", *(sa.column(name) for name in (
        "key", "kind", "lang", "statement_id", "period", "sha256", "data")),
    sa.column("archived_at", sa.DateTime),
)


def _archive_issued() -> None:
    bind = op.get_bind()
    issued = bind.execute(
        sa.select(STATEMENTS).where(STATEMENTS.c.status != "draft")
        .order_by(STATEMENTS.c.number)
    ).all()
    if not issued:
        return
    _refuse_other_renderer(len(issued))
    import hashlib

    from consign.services.documents import build_statement_view
    from reports.statement import render_statement

    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    for row in issued:
        statement = SimpleNamespace(**row._mapping, lines=_parts(LINES, row.id),
                                    stock=_parts(STOCK, row.id))
        data = render_statement(build_statement_view(statement), "id")
        digest = hashlib.sha256(data).hexdigest()
        if digest != row.pdf_sha256:
            from consign.errors import UpgradeStop

            raise UpgradeStop(
                f"Cannot archive statement {row.number}: it no longer renders to the PDF "
                f"whose SHA-256 {row.pdf_sha256} was stored when it was issued (now {digest}). "
                "Nothing was changed."
            )
        bind.execute(sa.insert(DOCUMENTS).values(
            key=f"statement:{row.number}:id", kind="statement", lang="id", statement_id=row.id,
            period=row.period, sha256=digest, data=data, archived_at=now,
        ))


def _refuse_other_renderer(count: int) -> None:
    import reports

    if reports.RENDERER_EDITION != RENDERER_EDITION:
        from consign.errors import UpgradeStop

        raise UpgradeStop(
            f"This database holds {count} statements issued before consign archived their "
            f"PDFs, and this release renders statements differently: upgrade it with consign "
            f"{ARCHIVE_RELEASE} first ('consign db upgrade' there), then with this release. "
            "Nothing was changed."
        )


def _parts(table, statement_id: int) -> list:
    rows = op.get_bind().execute(
        sa.select(table).where(table.c.statement_id == statement_id)
        .order_by(table.c.position)
    )
    return [SimpleNamespace(**row._mapping) for row in rows]


def _append_only(table: str) -> None:
    """The database itself refuses to update, delete (or, on PostgreSQL, truncate) a row."""
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
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
    )

"""A fingerprint of every table, computed in SQL (row counts, the summed length of every
row's text, the summed values of its integer columns), to show that a refused request
wrote nothing at all; and a small shop registered through the services."""

from sqlalchemy import Integer, String, cast, func, literal, select
from sqlalchemy.types import BigInteger

from consign.models import Base
from consign.services import ledger, registry, terms


def _row_text(table):
    parts = [func.coalesce(cast(column, String), literal("~")) for column in table.columns]
    text = parts[0]
    for part in parts[1:]:
        text = text + literal("|") + part
    return text


def fingerprint(db) -> dict:
    """``{table: (rows, summed text length, summed integers)}`` for every table."""
    found = {}
    with db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            integers = [column for column in table.columns
                        if isinstance(column.type, Integer | BigInteger)]
            summed = [func.coalesce(func.sum(column), 0) for column in integers]
            row = connection.execute(select(
                func.count(), func.coalesce(func.sum(func.length(_row_text(table))), 0),
                *summed).select_from(table)).one()
            found[table.name] = tuple(int(value) for value in row)
    return found


def shop(db, ctx) -> None:
    """ATRIA (20%), IKM-0001 with BTK-001 (Rp150.000), 10 placed at ATRIA, one sold."""
    with db.transaction() as session:
        registry.add_hotel(session, ctx, "ATRIA", "Hotel Atria Malang", commission="20%",
                           phone="0341-417888")
        registry.add_consignor(session, ctx, "IKM-0001", "Batik Tulis Celaket", "Sri Wahyuni",
                               "fashion", bank="BRI", account="002101000123567",
                               holder="Sri Wahyuni")
        registry.add_product(session, ctx, "BTK-001", "IKM-0001", "Batik tulis motif Kendedes",
                             150_000, "kain")
        terms.set_terms(session, ctx, "ATRIA", "17.5%", consignor="IKM-0001",
                        valid_from="2030-01-01")
        ledger.place(session, ctx, "ATRIA", "IKM-0001", [("BTK-001", 10, None)],
                     at="2020-10-02 09:00")
        ledger.sell(session, ctx, "ATRIA", "BTK-001", at="2020-10-05 14:30", receipt="R-1")

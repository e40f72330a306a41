"""The stock ledger: placements, sales, voids, returns, write-offs and stock counts, kept in
an append-only book of movements with a guarded running stock that never goes below zero.

Every function takes the session and the context (who acts, and when "now" is), adds rows
and never commits; ``at=None`` means now.
"""

from consign.services.ledger.book import ensure_open
from consign.services.ledger.counts import CountLine, CountResult, count
from consign.services.ledger.imports import SalesImportResult, import_sales
from consign.services.ledger.notes import place, place_file, return_goods, write_off
from consign.services.ledger.queries import StockRow, end_of_day, movements, stock
from consign.services.ledger.sales import SaleResult, Voided, sell, void, void_note, void_receipt

__all__ = [
    "CountLine",
    "CountResult",
    "SaleResult",
    "SalesImportResult",
    "Voided",
    "StockRow",
    "count",
    "end_of_day",
    "ensure_open",
    "import_sales",
    "movements",
    "place",
    "place_file",
    "return_goods",
    "sell",
    "stock",
    "void",
    "void_note",
    "void_receipt",
    "write_off",
]

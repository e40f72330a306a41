"""PDF documents of consign: plain frozen views in, PDF bytes out.

Nothing here reads a database: callers build a view (``StatementView``,
``ConsolidatedView``) from their queries and hand it to a renderer.
"""

from reports.consolidated import ConsolidatedView, render_consolidated
from reports.statement import (
    CommissionGroupView,
    StatementLineView,
    StatementView,
    StockRowView,
    render_statement,
    statement_problems,
)
from reports.terbilang import amount_in_words, english_words, terbilang

__all__ = [
    "CommissionGroupView",
    "ConsolidatedView",
    "StatementLineView",
    "StatementView",
    "StockRowView",
    "amount_in_words",
    "english_words",
    "render_consolidated",
    "render_statement",
    "statement_problems",
    "terbilang",
]

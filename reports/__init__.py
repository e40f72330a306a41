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

# The edition of the statement renderer. An issued statement's PDF is archived when it is
# issued, so the renderer may change; each change that alters a statement's bytes moves
# this on, and a database whose statements were issued before the archive existed can only
# be archived by the edition that issued them (migration 0004).
RENDERER_EDITION = 2

__all__ = [
    "RENDERER_EDITION",
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

"""PDF documents of consign: plain frozen views in, PDF bytes out.

Nothing here reads a database or imports consign: callers build a view
(``reports.statement.StatementView``, ``reports.consolidated.ConsolidatedView``) and hand
it to a renderer. Importing this package loads nothing heavy; reportlab is loaded by the
modules that draw.
"""

# The edition of the statement renderer. An issued statement's PDF is archived when it is
# issued, so the renderer may change; each change that alters a statement's bytes moves
# this on, and a database whose statements were issued before the archive existed can only
# be archived by the edition that issued them (migration 0004).
RENDERER_EDITION = 3  # 3: what each line is ticked off with, the IKM's losses; 12 lines to a page

"""The agency's audit reports (``consign audit …``): one module per report, each a use case
that takes ``(session, ctx, …)``, checks the role's permission (``audit.report``; the log:
``audit.log``) and reads only what lies in the role's scope, and returns plain records;
:mod:`.serialize` turns them into tables for every output format. The programme report's
view is built by :mod:`.programme` (imported on its own: it needs ``reports``)."""

from consign.services.audit_reports.aging import aging
from consign.services.audit_reports.log import entries, newest
from consign.services.audit_reports.payments import payments
from consign.services.audit_reports.placements import placements
from consign.services.audit_reports.sales import sales
from consign.services.audit_reports.shrinkage import shrinkage

__all__ = ["aging", "entries", "newest", "payments", "placements", "sales",
           "shrinkage"]

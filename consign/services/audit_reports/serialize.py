"""Each audit report as its tables (:mod:`.tables`) and its JSON document: the same typed
cells feed the table, CSV, JSON and workbook outputs, so that all carry the same figures."""

from __future__ import annotations

from consign import records
from consign.services.audit_reports.aging import Aging
from consign.services.audit_reports.payments import Payments
from consign.services.audit_reports.placements import Placements
from consign.services.audit_reports.sales import Sales
from consign.services.audit_reports.shrinkage import Shrinkage
from consign.services.audit_reports.tables import Table, as_json, table

_TOTAL = "key name products units value due_back"


def placements(report: Placements) -> list[Table]:
    return [
        table("placements", "hotel consignor sector sku name on_hand value first_placed "
              "oldest_days display_days due_on due_back", report.rows, money="value"),
        table("by_hotel", _TOTAL, report.by_hotel, money="value"),
        table("by_sector", _TOTAL, report.by_sector, money="value"),
        table("total", "products units value due_back", [report.total], money="value"),
    ]


def aging(report: Aging) -> list[Table]:
    return [
        table("aging", "hotel consignor consignor_name phone sku name on_hand units_due "
              "value_due since oldest_days due_on", report.rows, money="value_due"),
        table("returns", "hotel hotel_name consignor consignor_name phone sku name units_due "
              "value_due since", report.returns, money="value_due"),
    ]


_SALES = ("key name gross commission net units active_ikm opening placed sell_through "
          "avg_days_to_sell previous_gross change change_share")
_SALES_MONEY = "gross commission net previous_gross change"


def sales(report: Sales) -> list[Table]:
    return [
        table("sales", _SALES, report.rows, money=_SALES_MONEY),
        table("total", _SALES, [report.total], money=_SALES_MONEY),
        table("months", "period gross commission net units active_ikm", report.months,
              money="gross commission net"),
    ]


def payments(report: Payments) -> list[Table]:
    return [
        table("overdue", "number hotel consignor consignor_name period issued_on due_on "
              "days_overdue net paid owed", report.rows, money="net paid owed"),
        table("by_hotel", "hotel name overdue_statements overdue owed paid_statements "
              "avg_days_to_pay", report.by_hotel, money="overdue owed"),
    ]


_SHRINK = ("hotel name placed lost short surplus hotel_units hotel_rupiah consignor_units "
           "consignor_rupiah units rupiah share")
_SHRINK_MONEY = "hotel_rupiah consignor_rupiah rupiah"


def shrinkage(report: Shrinkage) -> list[Table]:
    return [
        table("shrinkage", _SHRINK, report.rows, money=_SHRINK_MONEY),
        table("total", _SHRINK, [report.total], money=_SHRINK_MONEY),
    ]


def head(report) -> dict:
    """The report's own keys of its JSON document (``as_of``, the range, ``by``)."""
    names = ("as_of", "days", "period_from", "period_to", "previous_from", "previous_to", "by")
    return {name: getattr(report, name) for name in names if hasattr(report, name)}


def document(report, tables: list[Table]) -> dict:
    return as_json(tables, **head(report))


def log_entries(entries: list[records.AuditEntry], tz) -> list[dict]:
    from consign import serialize

    return [serialize.audit_entry(entry, tz) for entry in entries]


def detail_line(detail: str | None) -> str:
    """An entry's detail in a line a person reads: ``key: value`` of what it says (blanks
    left out), a change as ``old → new``: ``phone: +6281233001122 → +6281333004412``."""
    import json

    try:
        found = json.loads(detail) if detail else {}
    except ValueError:
        return detail or ""
    if not isinstance(found, dict):
        return str(found)
    return ", ".join(f"{key}: {_value(value)}" for key, value in found.items()
                     if value not in (None, "", [], {}))


def _value(value) -> str:
    import json

    if isinstance(value, dict) and set(value) == {"old", "new"}:
        return f"{_value(value['old'])} → {_value(value['new'])}"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "-" if value is None or value == "" else str(value)

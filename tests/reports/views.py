"""Hand-built views for the report tests, and a way to read a PDF back.

``sample_view(**overrides)`` is a sound statement (its figures add up); when
``lines`` or ``opening_balance`` are overridden, the totals are worked out
again here, in the test, so the renderer is still only given figures.
"""

import dataclasses
import datetime
import io

import pypdf

from reports.consolidated import ConsolidatedView
from reports.statement import (
    CommissionGroupView,
    StatementLineView,
    StatementView,
    StockRowView,
)

D = datetime.date


def sample_line(**overrides) -> StatementLineView:
    values = {
        "kind": "sale", "date": D(2020, 10, 3), "sku": "BTK-001", "name": "Batik tulis Malangan",
        "qty": 2, "unit_price": 450_000, "rate_bp": 1750,
    }
    values |= overrides
    values.setdefault("amount", values["qty"] * values["unit_price"])
    return StatementLineView(**values)


SAMPLE_LINES = (
    sample_line(),
    sample_line(date=D(2020, 10, 12), sku="KRJ-014", name="Tas anyaman pandan & kulit",
                qty=3, unit_price=125_000),
    sample_line(date=D(2020, 10, 28), sku="BTK-002", name="Selendang batik", qty=1,
                unit_price=175_000, rate_bp=2000),
    sample_line(kind="loss", date=D(2020, 10, 20), sku="KRJ-015", name="Dompet anyaman",
                qty=1, unit_price=60_000, rate_bp=2000),
    sample_line(kind="correction", date=D(2020, 9, 14), qty=-1),
)

SAMPLE_STOCK = (
    StockRowView("BTK-001", "Batik tulis Malangan", 5, 2, 2, 0, 0, -1, 1, 5),
    StockRowView("KRJ-014", "Tas anyaman pandan & kulit", 10, 0, 3, 2, 0, 0, 0, 5),
    StockRowView("KRJ-015", "Dompet anyaman", 4, 0, 0, 0, 1, 0, 0, 3),
)


def commission_of(amount: int, rate_bp: int) -> int:
    """amount x rate, halves away from zero (the settlement rule, redone here)."""
    whole, rest = divmod(abs(amount) * rate_bp, 10_000)
    whole += 2 * rest >= 10_000
    return whole if amount >= 0 else -whole


def totals_for(lines, opening_balance: int) -> dict:
    by_rate: dict[int, int] = {}
    for line in lines:
        by_rate[line.rate_bp] = by_rate.get(line.rate_bp, 0) + line.amount
    groups = tuple(
        CommissionGroupView(rate, amount, commission_of(amount, rate))
        for rate, amount in sorted(by_rate.items())
    )
    gross = sum(line.amount for line in lines)
    commission = sum(g.commission for g in groups)
    return {
        "groups": groups, "gross": gross, "commission": commission,
        "opening_balance": opening_balance, "net": gross - commission + opening_balance,
    }


def sample_view(**overrides) -> StatementView:
    lines = overrides.pop("lines", SAMPLE_LINES)
    opening = overrides.pop("opening_balance", -50_000)
    values = {
        "number": "ST-000042", "status": "issued", "period": "2020-10",
        "issued_on": D(2020, 11, 3), "due_on": D(2020, 11, 17),
        "agency_name": "Dinas Koperasi, Perindustrian dan Perdagangan Kota Malang",
        "programme_name": "Program Etalase IKM di Hotel Mitra PHRI",
        "hotel_code": "ATRIA", "hotel_name": "Hotel Atria Malang",
        "hotel_address": "Jl. Letjen S. Parman No. 87-89, Kota Malang",
        "hotel_phone": "+62341417000",
        "consignor_code": "IKM-0001", "consignor_name": "Batik Tulis Sekar Arum",
        "owner_name": "Siti Aminah",
        "consignor_address": "Jl. Candi Panggung No. 12, Lowokwaru, Kota Malang",
        "bank": "BRI", "account": "012301000123456", "holder": "Siti Aminah",
        "lines": tuple(lines), "stock": SAMPLE_STOCK,
    }
    values |= totals_for(lines, opening)
    values |= overrides
    return StatementView(**values)


def many_lines(n: int) -> tuple[StatementLineView, ...]:
    return tuple(
        sample_line(date=D(2020, 10, 1 + i % 28), sku=f"SKU-{i:03d}",
                    name=f"Produk kerajinan nomor {i}", qty=1 + i % 3,
                    unit_price=10_000 * (1 + i % 7))
        for i in range(n)
    )


def draft_view(**overrides) -> StatementView:
    return sample_view(number=None, status="draft", issued_on=None, **overrides)


def sample_consolidated(**overrides) -> ConsolidatedView:
    first = sample_view()
    second = sample_view(number="ST-000043", hotel_code="TUGU", hotel_name="Hotel Tugu Malang",
                         lines=SAMPLE_LINES[:2], opening_balance=0)
    third = sample_view(number="ST-000044", hotel_code="SHALIMAR",
                        hotel_name="Shalimar Boutique Hotel", lines=(), opening_balance=-75_000)
    values = {
        "consignor_code": "IKM-0001", "consignor_name": "Batik Tulis Sekar Arum",
        "owner_name": "Siti Aminah",
        "address": "Jl. Candi Panggung No. 12, Lowokwaru, Kota Malang",
        "bank": "BRI", "account": "012301000123456", "holder": "Siti Aminah",
        "period": "2020-10", "statements": (first, second, third),
        "year_to_date_gross": 23_450_000, "year": 2020,
    }
    return ConsolidatedView(**(values | overrides))


def replace(view, **changes):
    return dataclasses.replace(view, **changes)


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with every run of whitespace made one space."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def all_text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))

"""The settlement rules over plain values (no database): which movement makes which line,
rate groups rounded once, the carried balance, and the stock columns."""

from datetime import date

import pytest

from consign.settlement import (
    Entry,
    Line,
    Original,
    StockRow,
    balance_problem,
    figures,
    groups_of,
    is_hotel_loss,
    line_for,
    lines_of,
    opening_balance,
    stock_rows,
)

DAY = date(2020, 10, 5)


def rate(day: date) -> int:
    return 2000 if day < date(2020, 10, 16) else 1750


def entry(kind, qty, **fields) -> Entry:
    fields.setdefault("unit_price", 150_000)
    return Entry(movement_id=1, kind=kind, sku="BTK-001", name="Batik", qty=qty, day=DAY,
                 **fields)


def as_tuple(line: Line | None):
    return line and (line.kind, line.qty, line.unit_price, line.amount, line.rate_bp)


@pytest.mark.parametrize("the_entry, expected", [
    (entry("sold", -2), ("sale", 2, 150_000, 300_000, 2000)),
    (entry("sold", -2, cancelled_qty=2), None),
    (entry("lost", -1, liable="hotel", unit_price=85_000), ("loss", 1, 85_000, 85_000, 2000)),
    (entry("damaged", -1, liable="hotel"), ("loss", 1, 150_000, 150_000, 2000)),
    (entry("lost", -1, liable="consignor"), None),
    (entry("counted", -1, liable="hotel"), ("loss", 1, 150_000, 150_000, 2000)),
    (entry("counted", -1, liable="consignor"), None),
    (entry("counted", 2), None),
    (entry("placed", 5), None),
    (entry("returned", -1), None),
    (entry("reversal", 2, original=Original("sold", None, -2, 150_000, date(2020, 9, 30),
                                            1750)),
     ("correction", -2, 150_000, -300_000, 1750)),  # the rate frozen on the original line
    (entry("reversal", 1, original=Original("lost", "hotel", -1, 85_000, date(2020, 10, 20))),
     ("correction", -1, 85_000, -85_000, 1750)),  # the rate on the original's date
    (entry("reversal", 1, original=Original("lost", "consignor", -1, 85_000, DAY)), None),
    (entry("reversal", -5, original=Original("placed", None, 5, 150_000, DAY)), None),
])
def test_which_movement_makes_which_line(the_entry, expected):
    assert as_tuple(line_for(the_entry, rate)) == expected


def test_a_loss_without_a_price_is_a_bug_not_a_zero_line():
    with pytest.raises(ValueError, match="movement 1 \\(BTK-001\\) has no price"):
        line_for(entry("lost", -1, liable="hotel", unit_price=None), rate)


def test_a_missing_rate_stops_the_line():
    def no_rate(day):
        raise LookupError(day)

    with pytest.raises(LookupError):
        lines_of([entry("sold", -1)], no_rate)
    assert lines_of([entry("placed", 3)], no_rate) == []  # no money line needs no rate


def test_is_hotel_loss_reads_the_liability():
    assert is_hotel_loss("lost", "hotel", -1)
    assert not is_hotel_loss("damaged", "consignor", -1)
    assert is_hotel_loss("counted", None, -1)  # a count says hotel unless told otherwise
    assert not is_hotel_loss("counted", "hotel", 1)


def _line(amount, rate_bp, qty=1):
    return Line("sale", DAY, "X", "X", qty, amount, rate_bp, 1)


def test_groups_round_each_rate_once_halves_away_from_zero():
    lines = [_line(1_010, 1750), _line(1_010, 1750), _line(1_010, 2000)]
    # 17.5% of 2.020 = 353,5 -> 354; 20% of 1.010 = 202
    assert [(g.rate_bp, g.amount, g.commission) for g in groups_of(lines)] == [
        (1750, 2_020, 354), (2000, 1_010, 202)]
    assert [(g.amount, g.commission) for g in groups_of([_line(-20_220, 1750)])] == [
        (-20_220, -3_539)]  # a correction mirrors its original


def test_rounding_is_per_group_not_per_line():
    lines = [_line(1_010, 1250), _line(1_010, 1250)]  # 126,25 each; 252,5 together
    assert [g.commission for g in groups_of(lines)] == [253]


def test_only_a_negative_previous_net_is_carried():
    assert opening_balance(None) == 0
    assert opening_balance(704_250) == 0
    assert opening_balance(0) == 0
    assert opening_balance(-8_088) == -8_088


def test_figures_net_is_gross_less_commission_plus_carried_balance():
    result = figures([_line(30_330, 1500)], [], previous_net=-8_088)
    assert (result.gross, result.commission, result.opening_balance, result.net) == (
        30_330, 4_550, -8_088, 17_692)


def test_stock_rows_put_each_movement_in_its_column():
    entries = [
        entry("placed", 10), entry("sold", -2), entry("sold", -1, cancelled_qty=1),
        entry("returned", -1), entry("lost", -1, liable="hotel"),
        entry("damaged", -1, liable="consignor"), entry("counted", -1, liable="hotel"),
        entry("counted", 2), entry("reversal", 2),
    ]
    assert stock_rows({"BTK-001": ("Batik", 4)}, entries) == [
        StockRow("BTK-001", "Batik", opening=4, placed=10, sold=2, returned=1, lost=2,
                 counted=1, corrected=2)]
    assert stock_rows({"BTK-001": ("Batik", 4)}, entries)[0].closing == 12


def test_stock_rows_list_products_with_opening_stock_but_no_movement():
    assert [(r.sku, r.closing) for r in stock_rows({"B": ("b", 3), "A": ("a", 1)}, [])] == [
        ("A", 1), ("B", 3)]


def test_balance_problem_names_what_does_not_balance():
    class S:
        def __init__(self, gross, commission, opening, net):
            self.gross, self.commission = gross, commission
            self.opening_balance, self.net = opening, net

    assert balance_problem([S(30_330, 4_550, -8_088, 17_692), S(100, 20, 0, 80)]) is None
    assert balance_problem([S(100, 20, 0, 81)]) == (
        "Statements do not balance: gross 100 is not commission 20 plus net less opening "
        "balance 81.")


def test_plain_sales_taken_together_count_as_their_lines_would():
    """Sales summed per (SKU, rate) give the same groups, gross, commission, net and stock
    as the lines they stand for; they are kept beside the lines, not among them."""
    from consign.settlement import Sold

    one_by_one = [Line("sale", DAY, "BTK-001", "Batik", 1, 10_110, 1750, n) for n in (1, 2, 3)]
    one_by_one.append(Line("sale", DAY, "KRP-001", "Keramik", 2, 85_000, 2000, 4))
    together = [Sold("BTK-001", "Batik", 1750, 3, 30_330), Sold("KRP-001", "Keramik", 2000, 2,
                                                                 170_000)]
    correction = Line("correction", DAY, "BTK-001", "Batik", -1, 10_110, 1750, 5)
    expected = figures([*one_by_one, correction], [], -1_000)
    found = figures([correction], [], -1_000, sold=together)
    assert groups_of([correction], together) == expected.groups == found.groups
    assert (found.gross, found.commission, found.opening_balance, found.net) == (
        expected.gross, expected.commission, expected.opening_balance, expected.net) == (
        190_220, 3_539 + 34_000, -1_000, 190_220 - 37_539 - 1_000)  # 20,220 × 17.5% = 3,538.5
    assert found.lines == (correction,) and found.sold == tuple(together)
    entries = [entry("placed", 6), entry("sold", -1)]
    rows = stock_rows({"KRP-001": ("Keramik", 2)}, entries, together)
    assert [(r.sku, r.name, r.opening, r.placed, r.sold, r.closing) for r in rows] == [
        ("BTK-001", "Batik", 0, 6, 4, 2), ("KRP-001", "Keramik", 2, 0, 2, 0)]
    assert [r.name for r in stock_rows({}, [], [Sold("X", "Named", 2000, 1, 5)])] == ["Named"]

"""The refusals of the value parsers, word for word, with the field each names, and the
edges of what they accept: what a clerk reads when a value is wrong must be exact."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from consign import money, periods
from consign.errors import InvalidInput, MalformedSetting
from consign.periods import Period

WIB = periods.zone()
NOW = datetime(2020, 12, 15, 5, 0, tzinfo=UTC)  # 12:00 WIB


def refusal(call) -> tuple[str, str]:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value.message, caught.value.field


@pytest.mark.parametrize(("call", "message", "field"), [
    (lambda: money.parse_money("15O000"),
     "amount '15O000' is not a whole rupiah amount (write 150000, 150.000 or Rp150.000)",
     "amount"),
    (lambda: money.parse_money("1" * 41, "price"),
     f"price '{'1' * 40}' is not a whole rupiah amount (write 150000, 150.000 or Rp150.000)",
     "price"),
    (lambda: money.parse_money(-5),
     "amount -5 is negative: amounts are whole rupiah of 0 or more", "amount"),
    (lambda: money.parse_money(True),
     "amount 'True' is not a whole rupiah amount (write 150000, 150.000 or Rp150.000)",
     "amount"),
    (lambda: money.parse_rate("abc"),
     "commission 'abc' is not a percentage with at most two decimals (e.g. 20% or 17.5%)",
     "commission"),
    (lambda: money.parse_rate("x" * 50),
     f"commission '{'x' * 40}' is not a percentage with at most two decimals (e.g. 20% or "
     "17.5%)", "commission"),
    (lambda: money.parse_rate("120%"), "commission '120%' is not between 0% and 100%",
     "commission"),
    (lambda: money.parse_rate(-1), "commission '-1' is not between 0% and 100%", "commission"),
    (lambda: money.parse_rate(10_001), "commission '100.01%' is not between 0% and 100%",
     "commission"),
    (lambda: periods.parse_date("2020-02-30"),
     "date '2020-02-30' is not a date; write it as 2020-10-05, 2020-10-05 14:30, 05/10/2020 "
     "14.30 or 5 Oktober 2020", "date"),
    (lambda: periods.parse_date(datetime(2020, 10, 5, 14, 30)),
     "date '2020-10-05T14:30:00' is not a date; write it as 2020-10-05, 2020-10-05 14:30, "
     "05/10/2020 14.30 or 5 Oktober 2020", "date"),
    (lambda: periods.parse_date("2020-10-05 14:30"),
     "date '2020-10-05 14:30' is a date and a time; give the date alone (e.g. 2020-10-05)",
     "date"),
    (lambda: periods.parse_date("31/12/1999"),
     "date '31/12/1999' is outside the dates consign accepts (1 January 2000 to 31 December "
     "2099)", "date"),
    (lambda: periods.parse_date(date(2100, 1, 1)),
     "date '2100-01-01' is outside the dates consign accepts (1 January 2000 to 31 December "
     "2099)", "date"),
    (lambda: periods.parse_moment("yesterday", WIB),
     "time 'yesterday' is not a date; write it as 2020-10-05, 2020-10-05 14:30, 05/10/2020 "
     "14.30 or 5 Oktober 2020", "time"),
    (lambda: periods.parse_moment(datetime(2020, 10, 5), WIB),
     "time 2020-10-05T00:00:00 has no time zone", "time"),
    (lambda: periods.parse_moment(datetime(2100, 1, 1, tzinfo=UTC), WIB),
     "time '2100-01-01T00:00:00+00:00' is outside the dates consign accepts (1 January 2000 "
     "to 31 December 2099)", "time"),
    (lambda: periods.parse_moment("2099-12-31 23:30:00 +00:00", WIB),
     "time '2099-12-31 23:30:00 +00:00' is outside the dates consign accepts (1 January 2000 "
     "to 31 December 2099)", "time"),
    (lambda: periods.parse_moment("31/12/1999", WIB, "sold_at"),
     "sold_at '31/12/1999' is outside the dates consign accepts (1 January 2000 to 31 "
     "December 2099)", "sold_at"),
    (lambda: periods.parse_moment(datetime(2099, 12, 31, 20, 0, tzinfo=UTC), WIB),
     "time '2099-12-31T20:00:00+00:00' is outside the dates consign accepts (1 January 2000 "
     "to 31 December 2099)", "time"),  # 1 January 2100, 03:00 in Malang
    (lambda: periods.parse_when("kemarin", NOW, WIB),
     "at 'kemarin' is not a date; write it as 2020-10-05, 2020-10-05 14:30, 05/10/2020 14.30 "
     "or 5 Oktober 2020", "at"),
    (lambda: periods.parse_when("2020-12-15 12:01", NOW, WIB),
     "at '2020-12-15 12:01' is in the future", "at"),
    (lambda: periods.parse_when(NOW + timedelta(minutes=1), NOW, WIB),
     "at '2020-12-15 12:01' is in the future", "at"),
    (lambda: periods.parse_period("2020-13"),
     "period '2020-13' is not a month written YYYY-MM (e.g. 2020-10)", "period"),
    (lambda: periods.parse_period("2100-01"),
     "period '2100-01' is outside the periods consign accepts (2000-01 to 2099-12)", "period"),
    (lambda: periods.parse_period("1999-12"),
     "period '1999-12' is outside the periods consign accepts (2000-01 to 2099-12)", "period"),
])
def test_each_refusal_says_exactly_what_was_wrong_and_names_its_field(call, message, field):
    assert refusal(call) == (message, field)


def test_an_unknown_time_zone_names_the_setting():
    with pytest.raises(MalformedSetting) as caught:
        periods.zone("Asia/Malang")
    assert caught.value.message == (
        "time zone 'Asia/Malang' (CONSIGN_TIMEZONE) is not a known time zone; use an IANA "
        "name such as Asia/Jakarta")
    assert caught.value.field == "CONSIGN_TIMEZONE"
    assert periods.zone(None).key == periods.zone("Asia/Jakarta").key == "Asia/Jakarta"


def test_money_accepts_whole_rupiah_given_as_an_int_or_in_forty_digits():
    assert money.parse_money(0) == 0
    assert money.parse_money(150_000) == 150_000
    assert money.parse_money("1" * 40) == int("1" * 40)
    assert money.parse_rate(0) == 0 and money.parse_rate(10_000) == 10_000


@pytest.mark.parametrize(("text", "offset"), [
    ("2020-10-05T14:30:00+07:00", timedelta(hours=7)),
    ("2020-10-05T14:30:00+0700", timedelta(hours=7)),
    ("2020-10-05T14:30:00+05:30", timedelta(hours=5, minutes=30)),
    ("2020-10-05T14:30:00-05:00", -timedelta(hours=5)),
    ("2020-10-05T14:30:00+23:00", timedelta(hours=23)),
    ("2020-10-05T14:30:00-23:59", -timedelta(hours=23, minutes=59)),
    ("2020-10-05T14:30:00z", timedelta(0)),
])
def test_an_offset_is_read_with_its_sign_hours_and_minutes(text, offset):
    expected = datetime(2020, 10, 5, 14, 30, tzinfo=timezone(offset)).astimezone(UTC)
    moment = periods.parse_moment(text, WIB)
    assert moment == expected and moment.tzinfo is UTC


@pytest.mark.parametrize("text", ["2020-10-05T14:30:00+24:00", "2020-10-05T14:30:00+07:60",
                                  "2020-10-05T14:30:00+7:00"])
def test_an_offset_out_of_range_is_refused(text):
    with pytest.raises(InvalidInput):
        periods.parse_moment(text, WIB)


@pytest.mark.parametrize(("text", "micro"), [(".5", 500_000), (".25", 250_000),
                                             (".000001", 1)])
def test_fractions_of_a_second_are_read_as_written(text, micro):
    moment = periods.parse_moment(f"2020-10-05T14:30:00{text}+07:00", WIB)
    assert moment.microsecond == micro


def test_a_date_given_as_a_date_is_the_start_of_that_day():
    assert periods.parse_moment(date(2020, 10, 5), WIB) == datetime(2020, 10, 4, 17, 0,
                                                                     tzinfo=UTC)


def test_every_moment_read_is_in_utc():
    for moment in (periods.parse_moment("2020-10-05", WIB),
                   periods.parse_moment(datetime(2020, 10, 5, tzinfo=WIB), WIB),
                   periods.parse_when("2020-10-05 14:30", NOW, WIB),
                   periods.parse_when(None, NOW.astimezone(WIB), WIB),
                   periods.start_of(date(2020, 10, 5), WIB)):
        assert moment.tzinfo is UTC


def test_now_itself_is_not_the_future():
    assert periods.parse_when(NOW, NOW, WIB) == NOW


def test_the_first_and_last_periods_accepted_are_the_bounds():
    assert periods.parse_period("2000-01") == Period(2000, 1)
    assert periods.parse_period("2099-12") == Period(2099, 12)
    assert Period.of_date(date(2020, 10, 5)) == Period(2020, 10)


def test_a_moment_is_shown_in_the_business_time_zone():
    assert periods.shown(datetime(2020, 10, 31, 17, 30, tzinfo=UTC), WIB) == "2020-11-01 00:30"
    assert periods.iso(datetime(2020, 10, 5, 7, 30, tzinfo=UTC), WIB) == \
        "2020-10-05T14:30:00+07:00"


def test_spelling_refuses_what_is_not_whole_rupiah():
    from reports.terbilang import terbilang

    with pytest.raises(TypeError, match=r"Only whole rupiah \(int\) can be spelled, not 1.5"):
        terbilang(1.5)

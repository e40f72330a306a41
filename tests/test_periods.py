"""Business time: WIB moments, dates, and calendar-month periods."""

from datetime import UTC, date, datetime

import pytest

from consign.errors import InvalidInput
from consign.periods import Period, end_of, parse_date, parse_period, parse_when, zone

WIB = zone()
NOW = datetime(2020, 12, 15, 5, 0, tzinfo=UTC)


def test_a_sale_at_three_in_the_morning_wib_on_the_first_belongs_to_that_month():
    moment = parse_when("2020-11-01 03:00", NOW, WIB)
    assert moment == datetime(2020, 10, 31, 20, 0, tzinfo=UTC)
    assert Period.of(moment, WIB) == Period(2020, 11)


def test_half_past_eleven_wib_on_the_last_day_belongs_to_that_month():
    moment = parse_when("2020-10-31 23:30", NOW, WIB)
    assert Period.of(moment, WIB) == Period(2020, 10)
    assert moment < Period(2020, 10).end(WIB)


def test_a_date_alone_means_the_start_of_that_day_in_wib():
    assert parse_when("2020-10-05", NOW, WIB) == datetime(2020, 10, 4, 17, 0, tzinfo=UTC)


def test_no_time_means_now():
    assert parse_when(None, NOW, WIB) == NOW


def test_a_moment_in_the_future_is_refused():
    with pytest.raises(InvalidInput, match="'2020-12-15 12:01' is in the future"):
        parse_when("2020-12-15 12:01", NOW, WIB)


@pytest.mark.parametrize("text", ["2020-13-01", "5 Oktober 2020", "2020-10-05 25:00",
                                  "2020-10-05T14", "yesterday"])
def test_a_malformed_time_is_refused_naming_it(text):
    with pytest.raises(InvalidInput, match="is not a date"):
        parse_when(text, NOW, WIB)


def test_as_of_a_date_means_the_end_of_that_day():
    assert end_of(date(2020, 10, 31), WIB) == datetime(2020, 10, 31, 17, 0, tzinfo=UTC)


def test_periods_step_across_the_year_end():
    assert Period(2020, 12).next() == Period(2021, 1)
    assert Period(2021, 1).previous() == Period(2020, 12)
    assert Period(2020, 2).last_day == date(2020, 2, 29)
    assert str(parse_period("2020-10")) == "2020-10"


@pytest.mark.parametrize("text", ["2020-13", "2020-1", "202010", "2020-00", "Oct 2020"])
def test_a_malformed_period_is_refused(text):
    with pytest.raises(InvalidInput, match="is not a month written YYYY-MM"):
        parse_period(text)


def test_a_malformed_date_is_refused():
    with pytest.raises(InvalidInput, match="'2020-02-30' is not a date written YYYY-MM-DD"):
        parse_date("2020-02-30")

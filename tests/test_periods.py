"""Business time: WIB moments, dates, calendar-month periods, and the one grammar of the
dates people type (SPEC section 2)."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from consign.errors import InvalidInput, MalformedSetting
from consign.periods import (
    Period,
    end_of,
    parse_date,
    parse_moment,
    parse_period,
    parse_when,
    zone,
)

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


FIVE_OCTOBER = datetime(2020, 10, 4, 17, 0, tzinfo=UTC)
HALF_PAST_TWO = datetime(2020, 10, 5, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(("text", "moment"), [
    ("2020-10-05", FIVE_OCTOBER),
    ("2020-10-05 14:30", HALF_PAST_TWO),
    ("2020-10-05T14:30:00+07:00", HALF_PAST_TWO),
    ("2020-10-05T07:30:00Z", HALF_PAST_TWO),
    ("2020-10-05T14:30:00.250000+07:00", HALF_PAST_TWO + timedelta(milliseconds=250)),
    ("05/10/2020", FIVE_OCTOBER),
    ("5/10/2020", FIVE_OCTOBER),
    ("05-10-2020", FIVE_OCTOBER),
    ("05/10/2020 14:30", HALF_PAST_TWO),
    ("05/10/2020 14.30", HALF_PAST_TWO),
    ("5-10-2020 14.30.15", HALF_PAST_TWO + timedelta(seconds=15)),
    ("5 Oktober 2020", FIVE_OCTOBER),
    ("5 Okt 2020", FIVE_OCTOBER),
    ("5 October 2020", FIVE_OCTOBER),
    ("5 oct 2020", FIVE_OCTOBER),
    ("  5   Oktober   2020 ", FIVE_OCTOBER),
])
def test_every_form_people_type_reads_as_the_same_moment(text, moment):
    assert parse_moment(text, WIB) == moment


@pytest.mark.parametrize("text", [
    "10/13/2020",  # month first: never read as 13 October
    "2020",  # a bare year
    "2020-10-5", "2020/10/05", "20-10-05", "5.10.2020", "31/11/2020", "2020-02-30",
    "2020-13-01", "2020-10-05 25:00", "2020-10-05T14", "05/10/2020 14:30.15",
    "5 Oktobr 2020", "Oktober 5 2020", "yesterday", "", "１２/10/2020", "2020-10-05\x00",
    "05/10/2020 14:30+07:00",
])
def test_anything_else_is_refused_naming_it(text):
    with pytest.raises(InvalidInput) as caught:
        parse_moment(text, WIB, "sold_at")
    assert caught.value.field == "sold_at"


@pytest.mark.parametrize("text", ["31/12/1999", "1999-12-31 23:59", "1 Januari 2100",
                                  "2100-01-01"])
def test_a_date_outside_2000_to_2099_is_refused(text):
    with pytest.raises(InvalidInput, match="outside the dates consign accepts"):
        parse_moment(text, WIB)


def test_the_first_and_last_days_accepted_are_the_bounds_themselves():
    assert parse_date("1/1/2000") == date(2000, 1, 1)
    assert parse_date("31 Desember 2099") == date(2099, 12, 31)


def test_a_moment_whose_offset_puts_it_outside_the_bounds_is_refused():
    with pytest.raises(InvalidInput, match="outside the dates"):
        parse_moment("2099-12-31T23:00:00-05:00", WIB)  # 1 January 2100 in Malang


def test_an_aware_moment_is_taken_as_it_is_and_a_naive_one_refused():
    aware = datetime(2020, 10, 5, 14, 30, tzinfo=timezone(timedelta(hours=7)))
    assert parse_moment(aware, WIB) == HALF_PAST_TWO
    with pytest.raises(InvalidInput, match="has no time zone"):
        parse_moment(datetime(2020, 10, 5), WIB)


def test_a_date_field_refuses_a_time():
    with pytest.raises(InvalidInput, match="is a date and a time"):
        parse_date("2020-10-05 14:30", "on")


def test_as_of_a_date_means_the_end_of_that_day():
    assert end_of(date(2020, 10, 31), WIB) == datetime(2020, 10, 31, 17, 0, tzinfo=UTC)
    assert parse_moment("31/10/2020", WIB, end_of_day=True) == datetime(
        2020, 10, 31, 16, 59, 59, 999_999, tzinfo=UTC)


def test_periods_step_across_the_year_end():
    assert Period(2020, 12).next() == Period(2021, 1)
    assert Period(2021, 1).previous() == Period(2020, 12)
    assert Period(2020, 2).last_day == date(2020, 2, 29)
    assert str(parse_period("2020-10")) == "2020-10"


@pytest.mark.parametrize("text", ["2020-13", "2020-1", "202010", "2020-00", "Oct 2020"])
def test_a_malformed_period_is_refused(text):
    with pytest.raises(InvalidInput, match="is not a month written YYYY-MM"):
        parse_period(text)


@pytest.mark.parametrize("text", ["1999-12", "2100-01"])
def test_a_period_outside_2000_01_to_2099_12_is_refused(text):
    with pytest.raises(InvalidInput, match="outside the periods consign accepts"):
        parse_period(text)


def test_an_unknown_time_zone_is_a_malformed_setting():
    with pytest.raises(MalformedSetting, match="'Mars/Olympus' .* is not a known time zone"):
        zone("Mars/Olympus")

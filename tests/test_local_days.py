"""The database's business day of a moment (consign.services.local_days) is the date Python
gives it in the business time zone (consign.periods.local_date), on SQLite and PostgreSQL:
across midnight, in the last microseconds of a day, and across a zone's offset changes."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, Table, insert, select

from consign.models.base import Moment
from consign.periods import local_date
from consign.services import local_days

ZONES = ("Asia/Jakarta", "Asia/Makassar", "UTC", "Asia/Kolkata", "Europe/Berlin",
         "America/Sao_Paulo", "America/New_York", "Australia/Lord_Howe")
_PROBES = MetaData()
PROBES = Table("local_day_probes", _PROBES, Column("id", Integer, primary_key=True),
               Column("at", Moment, nullable=False))


def _moments(tz, start: datetime, end: datetime) -> list[datetime]:
    """Moments around every local midnight and every offset change in [start, end)."""
    found = []
    day = start.astimezone(tz).date()
    while True:
        midnight = datetime.combine(day, datetime.min.time(), tz).astimezone(UTC)
        if midnight >= end:
            break
        # the last half millisecond of a day, which SQLite's date functions would round
        # into the next one, and the moments either side of that brink
        for delta in (-timedelta(microseconds=1), -timedelta(microseconds=100),
                      -timedelta(microseconds=400), -timedelta(microseconds=500),
                      -timedelta(microseconds=501), timedelta(0), timedelta(microseconds=1),
                      timedelta(microseconds=499), timedelta(hours=12)):
            if start <= midnight + delta < end:
                found.append(midnight + delta)
        day += timedelta(days=1)
    for changed, _ in local_days.offsets(tz, start, end)[1:]:
        for delta in (-timedelta(microseconds=1), timedelta(0), timedelta(seconds=1)):
            found.append(changed + delta)
    return [moment for moment in found if start <= moment < end]


def _computed(db, tz, start, end, moments) -> list[date]:
    with db.transaction() as session:
        _PROBES.create_all(session.connection())
        session.execute(PROBES.delete())
        session.execute(insert(PROBES), [{"id": n, "at": m} for n, m in enumerate(moments)])
        number = local_days.day_number(PROBES.c.at, session.get_bind().dialect.name, tz,
                                       start, end)
        found = [local_days.day_of(n) for n in session.scalars(
            select(number).order_by(PROBES.c.id))]
        _PROBES.drop_all(session.connection())
    return found


@pytest.mark.parametrize("zone", ZONES)
def test_every_midnight_and_offset_change_of_a_year(db, zone):
    tz = ZoneInfo(zone)
    start, end = datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
    moments = _moments(tz, start, end)
    assert len(moments) > 3200
    assert _computed(db, tz, start, end, moments) == [local_date(m, tz) for m in moments]


def test_a_moment_outside_the_span_asked_still_gets_its_own_offset(db):
    """Without bounds the CASE holds a zone's changes over all the dates consign accepts;
    with them, those of the span and the offset in force when it starts."""
    tz = ZoneInfo("Europe/Berlin")
    moments = [datetime(2003, 7, 1, 22, 30, tzinfo=UTC), datetime(2003, 12, 1, 23, 30, tzinfo=UTC)]
    assert _computed(db, tz, None, None, moments) == [date(2003, 7, 2), date(2003, 12, 2)]
    summer = [datetime(2024, 7, 1, 22, 30, tzinfo=UTC)]
    assert _computed(db, tz, datetime(2024, 6, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC),
                     summer) == [date(2024, 7, 2)]


def test_offsets_of_a_zone_without_changes_is_one_span():
    tz = ZoneInfo("Asia/Jakarta")
    start = datetime(2020, 1, 1, tzinfo=UTC)
    assert local_days.offsets(tz, start, start + timedelta(days=400)) == [(start, 7 * 3600)]


def test_offsets_find_each_change_to_the_second():
    tz = ZoneInfo("Europe/Berlin")
    start, end = datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
    assert local_days.offsets(tz, start, end) == [
        (start, 3600), (datetime(2024, 3, 31, 1, tzinfo=UTC), 7200),
        (datetime(2024, 10, 27, 1, tzinfo=UTC), 3600)]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # a table per input
@given(seconds=st.lists(st.integers(0, 366 * 86400 - 1), min_size=1, max_size=30),
       micro=st.integers(0, 999_999), zone=st.sampled_from(ZONES))
def test_any_moment_of_a_year(db, seconds, micro, zone):
    tz = ZoneInfo(zone)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    end = start + timedelta(days=366)
    moments = [start + timedelta(seconds=s, microseconds=micro) for s in seconds]
    moments = [m for m in moments if m < end]
    assert _computed(db, tz, start, end, moments) == [local_date(m, tz) for m in moments]

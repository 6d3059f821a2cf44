"""Reading dates, periods and durations in the user's local calendar (netlog.model.dates)."""

from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from netlog.errors import InputError
from netlog.model.date_parsing import parse_at, parse_range, parse_span
from netlog.model.dates import DateOrder, Span, local_zone, to_storage, zone_name
from netlog.model.durations import format_duration, parse_duration
from netlog.model.periods import Period, iter_periods, period_label

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")

# Wednesday 15 June 2011, 12:00 UTC (13:00 BST in London).
NOW = datetime(2011, 6, 15, 12, 0, 0, tzinfo=UTC)


def stored(span: Span) -> tuple[str, str]:
    return to_storage(span.start), to_storage(span.end)


def length(span: Span) -> timedelta:
    """Real elapsed time: aware datetimes sharing one tzinfo subtract as wall time."""
    return span.end.astimezone(UTC) - span.start.astimezone(UTC)


# text → (stored start, stored end), read in London with NOW.
VALID_SPANS_DATA = [
    # ISO dates and datetimes
    ("2010-09-14", "2010-09-13T23:00:00+00:00", "2010-09-14T23:00:00+00:00"),
    ("2010-01-14", "2010-01-14T00:00:00+00:00", "2010-01-15T00:00:00+00:00"),
    ("2010-09-14 10:00", "2010-09-14T09:00:00+00:00", "2010-09-14T09:01:00+00:00"),
    ("2010-09-14T10:00", "2010-09-14T09:00:00+00:00", "2010-09-14T09:01:00+00:00"),
    ("2010-09-14 10:00:30", "2010-09-14T09:00:30+00:00", "2010-09-14T09:00:31+00:00"),
    ("2010-09-14T10:00:00Z", "2010-09-14T10:00:00+00:00", "2010-09-14T10:00:01+00:00"),
    ("2010-09-14T10:00Z", "2010-09-14T10:00:00+00:00", "2010-09-14T10:01:00+00:00"),
    ("2010-09-14T10:00:00+02:00", "2010-09-14T08:00:00+00:00", "2010-09-14T08:00:01+00:00"),
    ("2010-09-14T10:00-05:00", "2010-09-14T15:00:00+00:00", "2010-09-14T15:01:00+00:00"),
    ("2010-09-14T10:00:00.750Z", "2010-09-14T10:00:00+00:00", "2010-09-14T10:00:01+00:00"),
    ("  2010-09-14   10:00 ", "2010-09-14T09:00:00+00:00", "2010-09-14T09:01:00+00:00"),
    # keywords, relative to NOW
    ("now", "2011-06-15T12:00:00+00:00", "2011-06-15T12:00:01+00:00"),
    ("NOW", "2011-06-15T12:00:00+00:00", "2011-06-15T12:00:01+00:00"),
    ("today", "2011-06-14T23:00:00+00:00", "2011-06-15T23:00:00+00:00"),
    ("Today", "2011-06-14T23:00:00+00:00", "2011-06-15T23:00:00+00:00"),
    ("yesterday", "2011-06-13T23:00:00+00:00", "2011-06-14T23:00:00+00:00"),
    # partial dates: the whole period
    ("2010", "2010-01-01T00:00:00+00:00", "2011-01-01T00:00:00+00:00"),
    ("2010-09", "2010-08-31T23:00:00+00:00", "2010-09-30T23:00:00+00:00"),
    ("2010-9", "2010-08-31T23:00:00+00:00", "2010-09-30T23:00:00+00:00"),
    ("2010-12", "2010-12-01T00:00:00+00:00", "2011-01-01T00:00:00+00:00"),
    ("2012-02", "2012-02-01T00:00:00+00:00", "2012-03-01T00:00:00+00:00"),
    ("2010-W37", "2010-09-12T23:00:00+00:00", "2010-09-19T23:00:00+00:00"),
    ("2010w37", "2010-09-12T23:00:00+00:00", "2010-09-19T23:00:00+00:00"),
    ("2009-W53", "2009-12-28T00:00:00+00:00", "2010-01-04T00:00:00+00:00"),
    ("2010-W01", "2010-01-04T00:00:00+00:00", "2010-01-11T00:00:00+00:00"),
    # non-ISO, through dateutil
    ("14 Sep 2010", "2010-09-13T23:00:00+00:00", "2010-09-14T23:00:00+00:00"),
    ("September 14, 2010", "2010-09-13T23:00:00+00:00", "2010-09-14T23:00:00+00:00"),
    ("14 Sep 2010 10:00", "2010-09-14T09:00:00+00:00", "2010-09-14T09:01:00+00:00"),
    ("14 Sep 2010 10am", "2010-09-14T09:00:00+00:00", "2010-09-14T09:01:00+00:00"),
    ("14 Sep 2010 10:00:30", "2010-09-14T09:00:30+00:00", "2010-09-14T09:00:31+00:00"),
    ("14 Sep 2010 10:00 +0200", "2010-09-14T08:00:00+00:00", "2010-09-14T08:01:00+00:00"),
    ("Sep 2010", "2010-08-31T23:00:00+00:00", "2010-09-30T23:00:00+00:00"),
    ("Dec 2010", "2010-12-01T00:00:00+00:00", "2011-01-01T00:00:00+00:00"),
    ("29 Feb 2008", "2008-02-29T00:00:00+00:00", "2008-03-01T00:00:00+00:00"),
    ("14 Sep", "2011-09-13T23:00:00+00:00", "2011-09-14T23:00:00+00:00"),
    ("2010/09/14", "2010-09-13T23:00:00+00:00", "2010-09-14T23:00:00+00:00"),
]

INVALID_SPANS_DATA = [
    "",
    "   ",
    "tomorrow",
    "garbage",
    "2010-13",
    "2010-00",
    "2010-W53",
    "2010-W00",
    "2010-02-30",
    "31 Feb 2010",
    "10:00 EST",  # an abbreviation London never uses: refused, never silently local
    "0000",
    "14",
]


@pytest.mark.parametrize(("text", "start", "end"), VALID_SPANS_DATA)
def test_parse_span_valid(text, start, end):
    span = parse_span(text, now=NOW, zone=LONDON)
    assert stored(span) == (start, end)


@pytest.mark.parametrize("text", INVALID_SPANS_DATA)
def test_parse_span_invalid_is_input_error(text):
    with pytest.raises(InputError, match="as a date"):
        parse_span(text, now=NOW, zone=LONDON)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("20100914", "2010-09-13T23:00:00+00:00", "2010-09-14T23:00:00+00:00"),
        ("20100114", "2010-01-14T00:00:00+00:00", "2010-01-15T00:00:00+00:00"),
        ("20100914T1000", "2010-09-14T09:00:00+00:00", "2010-09-14T09:01:00+00:00"),
    ],
)
def test_parse_span_basic_format_iso(text, start, end):
    """ISO 8601 basic format: a bare date is still the whole local day."""
    assert stored(parse_span(text, now=NOW, zone=LONDON)) == (start, end)


@pytest.mark.parametrize("text", ["2010-W37-2", "2010W372"])
def test_parse_span_iso_week_date_is_the_whole_day(text):
    span = parse_span(text, now=NOW, zone=LONDON)
    assert stored(span) == ("2010-09-13T23:00:00+00:00", "2010-09-14T23:00:00+00:00")


def test_parse_span_basic_format_time_with_seconds_is_one_second():
    span = parse_span("20100914T100030", now=NOW, zone=LONDON)
    assert stored(span) == ("2010-09-14T09:00:30+00:00", "2010-09-14T09:00:31+00:00")


def test_parse_span_iso_date_is_local_midnight_to_midnight():
    span = parse_span("2010-09-14", now=NOW, zone=LONDON)
    assert span.start == datetime(2010, 9, 14, tzinfo=LONDON)
    assert span.end == datetime(2010, 9, 15, tzinfo=LONDON)
    assert length(span) == timedelta(hours=24)


def test_parse_span_naive_time_is_read_in_the_given_zone():
    london = parse_span("2010-09-14 10:00", now=NOW, zone=LONDON)
    tokyo = parse_span("2010-09-14 10:00", now=NOW, zone=TOKYO)
    assert to_storage(london.start) == "2010-09-14T09:00:00+00:00"
    assert to_storage(tokyo.start) == "2010-09-14T01:00:00+00:00"


def test_parse_span_explicit_offset_ignores_the_zone():
    london = parse_span("2010-09-14T10:00:00+02:00", now=NOW, zone=LONDON)
    tokyo = parse_span("2010-09-14T10:00:00+02:00", now=NOW, zone=TOKYO)
    assert stored(london) == stored(tokyo)


def test_parse_span_minute_and_second_spans():
    assert length(parse_span("2010-09-14 10:00", now=NOW, zone=LONDON)) == timedelta(minutes=1)
    assert length(parse_span("2010-09-14 10:00:05", now=NOW, zone=LONDON)) == timedelta(seconds=1)


def test_parse_span_now_drops_microseconds():
    now = datetime(2011, 6, 15, 12, 0, 7, 999_999, tzinfo=UTC)
    span = parse_span("now", now=now, zone=LONDON)
    assert stored(span) == ("2011-06-15T12:00:07+00:00", "2011-06-15T12:00:08+00:00")


def test_parse_span_today_is_the_local_day_not_the_utc_day():
    """At 23:30 UTC on 13 September it is already 14 September in London."""
    now = datetime(2010, 9, 13, 23, 30, tzinfo=UTC)
    today = parse_span("today", now=now, zone=LONDON)
    yesterday = parse_span("yesterday", now=now, zone=LONDON)
    assert stored(today) == ("2010-09-13T23:00:00+00:00", "2010-09-14T23:00:00+00:00")
    assert stored(yesterday) == ("2010-09-12T23:00:00+00:00", "2010-09-13T23:00:00+00:00")


def test_parse_span_today_in_a_zone_behind_utc():
    """At 02:00 UTC on 14 September it is still 13 September in New York."""
    now = datetime(2010, 9, 14, 2, 0, tzinfo=UTC)
    today = parse_span("today", now=now, zone=NEW_YORK)
    assert stored(today) == ("2010-09-13T04:00:00+00:00", "2010-09-14T04:00:00+00:00")


def test_parse_span_whole_year_in_a_zone_ahead_of_utc():
    span = parse_span("2010", now=NOW, zone=TOKYO)
    assert stored(span) == ("2009-12-31T15:00:00+00:00", "2010-12-31T15:00:00+00:00")


def test_parse_span_month_without_day_does_not_take_the_day_from_today():
    """`Sep 2010` on 14 June is all of September, not 14 September."""
    now = datetime(2011, 6, 14, 12, tzinfo=UTC)
    span = parse_span("Sep 2010", now=now, zone=LONDON)
    assert span.start == datetime(2010, 9, 1, tzinfo=LONDON)
    assert span.end == datetime(2010, 10, 1, tzinfo=LONDON)


def test_parse_span_february_read_on_the_31st():
    """A default day of 31 from today must not make `Feb 2010` invalid."""
    now = datetime(2011, 1, 31, 12, tzinfo=UTC)
    span = parse_span("Feb 2010", now=now, zone=LONDON)
    assert stored(span) == ("2010-02-01T00:00:00+00:00", "2010-03-01T00:00:00+00:00")


def test_parse_span_missing_year_is_this_local_year():
    """At 23:30 UTC on 31 Dec 2010 it is already 2011 in Tokyo."""
    now = datetime(2010, 12, 31, 23, 30, tzinfo=UTC)
    span = parse_span("14 Sep", now=now, zone=TOKYO)
    assert span.start == datetime(2011, 9, 14, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("order", "month", "day"),
    [(DateOrder.DAY_FIRST, 4, 3), (DateOrder.MONTH_FIRST, 3, 4)],
)
def test_parse_span_ambiguous_numeric_date_follows_date_order(order, month, day):
    span = parse_span("03/04/2011", now=NOW, zone=LONDON, date_order=order)
    assert span.start == datetime(2011, month, day, tzinfo=LONDON)
    assert span.end == datetime(2011, month, day + 1, tzinfo=LONDON)


def test_parse_span_default_date_order_is_day_first():
    span = parse_span("03/04/2011", now=NOW, zone=LONDON)
    assert (span.start.month, span.start.day) == (4, 3)


def test_parse_span_date_order_does_not_affect_iso_dates():
    day_first = parse_span("2011-03-04", now=NOW, zone=LONDON, date_order=DateOrder.DAY_FIRST)
    month_first = parse_span("2011-03-04", now=NOW, zone=LONDON, date_order=DateOrder.MONTH_FIRST)
    assert day_first == month_first
    assert (day_first.start.month, day_first.start.day) == (3, 4)


# Daylight saving: Europe/London springs forward on 2010-03-28 and falls back on 2010-10-31.


@pytest.mark.parametrize(
    ("text", "hours", "start", "end"),
    [
        ("2010-03-28", 23, "2010-03-28T00:00:00+00:00", "2010-03-28T23:00:00+00:00"),
        ("2010-10-31", 25, "2010-10-30T23:00:00+00:00", "2010-11-01T00:00:00+00:00"),
        ("2010-03-27", 24, "2010-03-27T00:00:00+00:00", "2010-03-28T00:00:00+00:00"),
        ("2010-11-01", 24, "2010-11-01T00:00:00+00:00", "2010-11-02T00:00:00+00:00"),
    ],
)
def test_parse_span_day_across_dst_change(text, hours, start, end):
    span = parse_span(text, now=NOW, zone=LONDON)
    assert length(span) == timedelta(hours=hours)
    assert stored(span) == (start, end)


def test_parse_span_month_with_dst_change_ends_at_local_midnight():
    span = parse_span("2010-03", now=NOW, zone=LONDON)
    assert stored(span) == ("2010-03-01T00:00:00+00:00", "2010-03-31T23:00:00+00:00")
    assert length(span) == timedelta(days=31, hours=-1)


def test_parse_span_yesterday_across_spring_forward_is_23_hours():
    now = datetime(2010, 3, 28, 23, 30, tzinfo=UTC)  # 00:30 BST on 29 March
    span = parse_span("yesterday", now=now, zone=LONDON)
    assert stored(span) == ("2010-03-28T00:00:00+00:00", "2010-03-28T23:00:00+00:00")


def test_local_midnight_entry_stays_in_its_day_after_fall_back():
    """00:00 BST on 31 Oct is 23:00 UTC on 30 Oct but belongs to 31 Oct."""
    at = parse_at("2010-10-31 00:00", now=NOW, zone=LONDON)
    entry = to_storage(at)
    assert entry == "2010-10-30T23:00:00+00:00"
    day_31 = stored(parse_span("2010-10-31", now=NOW, zone=LONDON))
    day_30 = stored(parse_span("2010-10-30", now=NOW, zone=LONDON))
    assert day_31[0] <= entry < day_31[1]
    assert not day_30[0] <= entry < day_30[1]
    days = list(iter_periods(at, at, Period.DAY, LONDON))
    assert days == [("2010-10-31", *day_31)]


def test_local_midnight_entry_stays_in_its_day_after_spring_forward():
    at = parse_at("2010-03-29", now=NOW, zone=LONDON)
    entry = to_storage(at)
    assert entry == "2010-03-28T23:00:00+00:00"
    day_29 = stored(parse_span("2010-03-29", now=NOW, zone=LONDON))
    day_28 = stored(parse_span("2010-03-28", now=NOW, zone=LONDON))
    assert day_29[0] <= entry < day_29[1]
    assert not day_28[0] <= entry < day_28[1]


# parse_at


VALID_AT_DATA = [
    ("2010-09-14", "2010-09-13T23:00:00+00:00"),
    ("2010-09-14 10:00", "2010-09-14T09:00:00+00:00"),
    ("2010-09-14T10:00:00Z", "2010-09-14T10:00:00+00:00"),
    ("2010-09", "2010-08-31T23:00:00+00:00"),
    ("2010", "2010-01-01T00:00:00+00:00"),
    ("2010-W37", "2010-09-12T23:00:00+00:00"),
    ("14 Sep 2010", "2010-09-13T23:00:00+00:00"),
    ("today", "2011-06-14T23:00:00+00:00"),
    ("yesterday", "2011-06-13T23:00:00+00:00"),
    ("now", "2011-06-15T12:00:00+00:00"),
    ("2011-06-15 13:00", "2011-06-15T12:00:00+00:00"),  # exactly now, local BST
    ("2011", "2011-01-01T00:00:00+00:00"),  # this year: its start is in the past
]

FUTURE_AT_DATA = [
    "2011-06-15 13:01",
    "2011-06-15T12:00:01Z",
    "2011-06-16",
    "2012",
    "2011-07",
    "2011-W25",
    "14 Sep",  # this year's 14 September
]


@pytest.mark.parametrize(("text", "expected"), VALID_AT_DATA)
def test_parse_at_is_the_start_of_the_span(text, expected):
    assert to_storage(parse_at(text, now=NOW, zone=LONDON)) == expected


def test_parse_at_none_is_now():
    assert parse_at(None, now=NOW, zone=LONDON) == NOW


@pytest.mark.parametrize("text", FUTURE_AT_DATA)
def test_parse_at_future_is_refused(text):
    with pytest.raises(InputError, match="in the future"):
        parse_at(text, now=NOW, zone=LONDON)


def test_parse_at_future_message_shows_local_time():
    with pytest.raises(InputError, match=r"2011-06-15 14:00"):
        parse_at("2011-06-15 14:00", now=NOW, zone=LONDON)


def test_parse_at_uses_date_order():
    day_first = parse_at("03/04/2011", now=NOW, zone=LONDON, date_order=DateOrder.DAY_FIRST)
    month_first = parse_at("03/04/2011", now=NOW, zone=LONDON, date_order=DateOrder.MONTH_FIRST)
    assert to_storage(day_first) == "2011-04-02T23:00:00+00:00"
    assert to_storage(month_first) == "2011-03-04T00:00:00+00:00"


def test_parse_at_garbage_is_input_error():
    with pytest.raises(InputError, match="as a date"):
        parse_at("next blue moon", now=NOW, zone=LONDON)


# parse_range


VALID_RANGE_DATA = [
    (None, None, None, None),
    ("2010-09-14", None, "2010-09-13T23:00:00+00:00", None),
    (None, "2010-09-14", None, "2010-09-14T23:00:00+00:00"),
    ("2010-09", "2010-12", "2010-08-31T23:00:00+00:00", "2011-01-01T00:00:00+00:00"),
    ("2010-09-14", "2010-09-14", "2010-09-13T23:00:00+00:00", "2010-09-14T23:00:00+00:00"),
    ("2010", "2010", "2010-01-01T00:00:00+00:00", "2011-01-01T00:00:00+00:00"),
    ("2010-W37", "2010-W37", "2010-09-12T23:00:00+00:00", "2010-09-19T23:00:00+00:00"),
    ("Sep 2010", "Oct 2010", "2010-08-31T23:00:00+00:00", "2010-11-01T00:00:00+00:00"),
    ("yesterday", "today", "2011-06-13T23:00:00+00:00", "2011-06-15T23:00:00+00:00"),
    ("2010-10-31", "2010-10-31", "2010-10-30T23:00:00+00:00", "2010-11-01T00:00:00+00:00"),
]


@pytest.mark.parametrize(("since", "until", "start", "end"), VALID_RANGE_DATA)
def test_parse_range_valid(since, until, start, end):
    assert parse_range(since, until, now=NOW, zone=LONDON) == (start, end)


def test_parse_range_until_month_ends_at_the_end_of_its_last_local_day():
    """`--until 2010-12` includes all of 31 December in New York."""
    _, end = parse_range(None, "2010-12", now=NOW, zone=NEW_YORK)
    assert end == "2011-01-01T05:00:00+00:00"
    last_minute = to_storage(datetime(2010, 12, 31, 23, 59, tzinfo=NEW_YORK))
    assert last_minute < end


def test_parse_range_until_is_inclusive_of_a_minute():
    start, end = parse_range("2010-09-14 10:00", "2010-09-14 10:00", now=NOW, zone=LONDON)
    assert (start, end) == ("2010-09-14T09:00:00+00:00", "2010-09-14T09:01:00+00:00")


@pytest.mark.parametrize(
    ("since", "until"),
    [
        ("2010-09-15", "2010-09-14"),
        ("2011", "2010"),
        ("2010-10", "2010-09"),
        ("today", "yesterday"),
        ("2010-09-14 10:01", "2010-09-14 10:00"),
        ("2010-09-15", "14 Sep 2010"),
    ],
)
def test_parse_range_since_after_until_is_refused(since, until):
    with pytest.raises(InputError, match="is after --until"):
        parse_range(since, until, now=NOW, zone=LONDON)


@pytest.mark.parametrize(("since", "until"), [("garbage", None), (None, "2010-13")])
def test_parse_range_unreadable_bound_is_input_error(since, until):
    with pytest.raises(InputError, match="as a date"):
        parse_range(since, until, now=NOW, zone=LONDON)


def test_parse_range_ambiguous_dates_follow_date_order():
    since, until = parse_range(
        "03/04/2011", "03/04/2011", now=NOW, zone=LONDON, date_order=DateOrder.MONTH_FIRST
    )
    assert (since, until) == ("2011-03-04T00:00:00+00:00", "2011-03-05T00:00:00+00:00")


# period_label


@pytest.mark.parametrize(
    ("day", "period", "label"),
    [
        (datetime(2010, 9, 14, 10, 0), Period.DAY, "2010-09-14"),
        (date(2010, 9, 14), Period.WEEK, "2010-09-13"),
        (date(2010, 9, 14), Period.MONTH, "2010-09"),
        (date(2010, 9, 14), Period.YEAR, "2010"),
        (date(2010, 1, 3), Period.WEEK, "2009-12-28"),
        (date(2010, 1, 3), Period.MONTH, "2010-01"),
        (date(2010, 1, 3), Period.YEAR, "2010"),
        (date(2010, 1, 4), Period.WEEK, "2010-01-04"),
        (date(2008, 12, 29), Period.WEEK, "2008-12-29"),
        (date(2008, 12, 29), Period.YEAR, "2008"),
        (date(2010, 12, 31), Period.WEEK, "2010-12-27"),
        (date(2015, 12, 31), Period.WEEK, "2015-12-28"),
        (date(2010, 3, 1), Period.WEEK, "2010-03-01"),
        (date(999, 1, 5), Period.YEAR, "0999"),
        (datetime(2010, 9, 14, tzinfo=LONDON), Period.DAY, "2010-09-14"),
    ],
)
def test_period_label(day, period, label):
    assert period_label(day, period) == label


# iter_periods


def test_iter_periods_days_across_spring_forward():
    first = datetime(2010, 3, 27, 12, tzinfo=UTC)
    last = datetime(2010, 3, 29, 12, tzinfo=UTC)
    assert list(iter_periods(first, last, Period.DAY, LONDON)) == [
        ("2010-03-27", "2010-03-27T00:00:00+00:00", "2010-03-28T00:00:00+00:00"),
        ("2010-03-28", "2010-03-28T00:00:00+00:00", "2010-03-28T23:00:00+00:00"),
        ("2010-03-29", "2010-03-28T23:00:00+00:00", "2010-03-29T23:00:00+00:00"),
    ]


def test_iter_periods_days_across_fall_back():
    first = datetime(2010, 10, 30, 12, tzinfo=UTC)
    last = datetime(2010, 11, 1, 12, tzinfo=UTC)
    assert list(iter_periods(first, last, Period.DAY, LONDON)) == [
        ("2010-10-30", "2010-10-29T23:00:00+00:00", "2010-10-30T23:00:00+00:00"),
        ("2010-10-31", "2010-10-30T23:00:00+00:00", "2010-11-01T00:00:00+00:00"),
        ("2010-11-01", "2010-11-01T00:00:00+00:00", "2010-11-02T00:00:00+00:00"),
    ]


def test_iter_periods_weeks_across_dst_and_year_end():
    first = datetime(2009, 12, 30, tzinfo=UTC)  # a Wednesday in 2009-W53
    last = datetime(2010, 1, 5, tzinfo=UTC)
    assert list(iter_periods(first, last, Period.WEEK, LONDON)) == [
        ("2009-12-28", "2009-12-28T00:00:00+00:00", "2010-01-04T00:00:00+00:00"),
        ("2010-01-04", "2010-01-04T00:00:00+00:00", "2010-01-11T00:00:00+00:00"),
    ]


def test_iter_periods_week_containing_spring_forward_is_167_hours():
    first = datetime(2010, 3, 24, tzinfo=UTC)
    periods = list(iter_periods(first, first, Period.WEEK, LONDON))
    assert periods == [("2010-03-22", "2010-03-22T00:00:00+00:00", "2010-03-28T23:00:00+00:00")]


def test_iter_periods_months_across_years():
    first = datetime(2010, 11, 15, tzinfo=UTC)
    last = datetime(2011, 2, 1, 12, tzinfo=UTC)
    assert list(iter_periods(first, last, Period.MONTH, LONDON)) == [
        ("2010-11", "2010-11-01T00:00:00+00:00", "2010-12-01T00:00:00+00:00"),
        ("2010-12", "2010-12-01T00:00:00+00:00", "2011-01-01T00:00:00+00:00"),
        ("2011-01", "2011-01-01T00:00:00+00:00", "2011-02-01T00:00:00+00:00"),
        ("2011-02", "2011-02-01T00:00:00+00:00", "2011-03-01T00:00:00+00:00"),
    ]


def test_iter_periods_months_across_dst():
    first = datetime(2010, 3, 5, tzinfo=UTC)
    last = datetime(2010, 4, 5, tzinfo=UTC)
    assert list(iter_periods(first, last, Period.MONTH, LONDON)) == [
        ("2010-03", "2010-03-01T00:00:00+00:00", "2010-03-31T23:00:00+00:00"),
        ("2010-04", "2010-03-31T23:00:00+00:00", "2010-04-30T23:00:00+00:00"),
    ]


def test_iter_periods_years():
    first = datetime(2009, 6, 1, tzinfo=UTC)
    last = datetime(2011, 1, 1, tzinfo=UTC)
    assert list(iter_periods(first, last, Period.YEAR, LONDON)) == [
        ("2009", "2009-01-01T00:00:00+00:00", "2010-01-01T00:00:00+00:00"),
        ("2010", "2010-01-01T00:00:00+00:00", "2011-01-01T00:00:00+00:00"),
        ("2011", "2011-01-01T00:00:00+00:00", "2012-01-01T00:00:00+00:00"),
    ]


def test_iter_periods_uses_local_dates_of_first_and_last():
    """23:30 UTC on 13 Sep is 14 Sep in London, and 15:30 UTC on 14 Sep is 15 Sep in Tokyo."""
    first = datetime(2010, 9, 13, 23, 30, tzinfo=UTC)
    last = datetime(2010, 9, 14, 15, 30, tzinfo=UTC)
    london = [label for label, _, _ in iter_periods(first, last, Period.DAY, LONDON)]
    tokyo = [label for label, _, _ in iter_periods(first, last, Period.DAY, TOKYO)]
    assert london == ["2010-09-14"]
    assert tokyo == ["2010-09-14", "2010-09-15"]


def test_iter_periods_new_year_in_a_zone_ahead_of_utc():
    moment = datetime(2010, 12, 31, 20, tzinfo=UTC)  # 05:00 on 1 Jan 2011 in Tokyo
    assert list(iter_periods(moment, moment, Period.YEAR, TOKYO)) == [
        ("2011", "2010-12-31T15:00:00+00:00", "2011-12-31T15:00:00+00:00")
    ]


def test_iter_periods_periods_are_contiguous():
    first = datetime(2009, 11, 1, tzinfo=UTC)
    last = datetime(2011, 4, 1, tzinfo=UTC)
    for period in Period:
        periods = list(iter_periods(first, last, period, LONDON))
        assert periods, period
        for (_, _, end), (_, start, _) in pairwise(periods):
            assert end == start, period


def test_iter_periods_first_after_last_is_empty():
    first = datetime(2010, 9, 15, tzinfo=UTC)
    last = datetime(2010, 9, 14, tzinfo=UTC)
    assert list(iter_periods(first, last, Period.DAY, LONDON)) == []


# Durations


VALID_DURATIONS_DATA = [
    ("45m", 45),
    ("45 m", 45),
    ("45min", 45),
    ("45 mins", 45),
    ("45 minutes", 45),
    ("1h30m", 90),
    ("1h 30m", 90),
    ("1 h 30 m", 90),
    ("1h30", 90),
    ("1.5h", 90),
    ("1.5H", 90),
    ("0.5h", 30),
    (".5h", 30),
    ("1.25 hours", 75),
    ("2h", 120),
    ("2 hrs", 120),
    ("1 hour", 60),
    ("90", 90),
    (" 90 ", 90),
    ("1", 1),
    ("1:30", 90),
    ("0:45", 45),
    ("24:00", 1440),
    ("24h", 1440),
    ("1440", 1440),
    ("0.01h", 1),  # 0.6 min rounds up to one
    ("0.0084h", 1),  # 30.24 s: half a minute rounds up (under half is refused: test_guards)
    ("1h 0m", 60),
]

INVALID_DURATIONS_DATA = [
    ("0", "is zero"),
    ("0m", "is zero"),
    ("0h", "is zero"),
    ("0:00", "is zero"),
    ("-5m", "durations are positive"),
    ("-1h", "durations are positive"),
    ("-90", "durations are positive"),
    ("garbage", "as a duration"),
    ("", "as a duration"),
    ("   ", "as a duration"),
    ("h", "as a duration"),
    ("m", "as a duration"),
    ("1.5", "as a duration"),
    ("1,5h", "as a duration"),
    ("1:60", "as a duration"),
    ("1:5", "as a duration"),
    ("1h1.5m", "as a duration"),
    ("1d", "as a duration"),
    ("45s", "as a duration"),
    ("25h", "longer than 24 hours"),
    ("24h 1m", "longer than 24 hours"),
    ("1441", "longer than 24 hours"),
    ("24:01", "longer than 24 hours"),
    ("100:00", "longer than 24 hours"),
]


@pytest.mark.parametrize(("text", "minutes"), VALID_DURATIONS_DATA)
def test_parse_duration_valid(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(("text", "message"), INVALID_DURATIONS_DATA)
def test_parse_duration_invalid_is_input_error(text, message):
    with pytest.raises(InputError, match=message):
        parse_duration(text)


@pytest.mark.parametrize("text", ["²", "1²", "½h"])
def test_parse_duration_non_ascii_digits_are_input_error(text):
    """str.isdigit() is true for superscripts, which Decimal() and int() cannot read."""
    with pytest.raises(InputError, match="as a duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (1, "1m"),
        (45, "45m"),
        (60, "1h"),
        (90, "1h 30m"),
        (65, "1h 05m"),
        (120, "2h"),
        (1440, "24h"),
        (0, "0m"),
        (1439, "23h 59m"),
        (3000, "50h"),
    ],
)
def test_format_duration(minutes, text):
    assert format_duration(minutes) == text


@pytest.mark.parametrize("minutes", [1, 9, 45, 60, 61, 90, 605, 1440])
def test_format_duration_reads_back(minutes):
    assert parse_duration(format_duration(minutes)) == minutes


# local_zone


@pytest.fixture
def tz_env(monkeypatch):
    """monkeypatch for TZ."""
    return monkeypatch


def offsets(zone: tzinfo) -> tuple[timedelta | None, timedelta | None]:
    winter = datetime(2010, 1, 15, 12, tzinfo=zone)
    summer = datetime(2010, 7, 15, 12, tzinfo=zone)
    return winter.utcoffset(), summer.utcoffset()


@pytest.mark.parametrize(
    ("name", "key", "winter", "summer"),
    [
        ("Europe/London", "Europe/London", 0, 1),
        (":Europe/Paris", "Europe/Paris", 1, 2),
        ("America/New_York", "America/New_York", -5, -4),
        ("Asia/Tokyo", "Asia/Tokyo", 9, 9),
    ],
)
def test_local_zone_from_tz(tz_env, name, key, winter, summer):
    tz_env.setenv("TZ", name)
    zone = local_zone()
    assert zone.key == key
    assert offsets(zone) == (timedelta(hours=winter), timedelta(hours=summer))


def test_local_zone_is_the_zone_database_entry(tz_env):
    """Local time is zoneinfo's: the same (cached) zone, so it answers as zoneinfo does."""
    tz_env.setenv("TZ", "Australia/Lord_Howe")
    assert local_zone() is ZoneInfo("Australia/Lord_Howe")


def test_local_zone_from_a_zone_file_path_keeps_its_name(tz_env):
    tz_env.setenv("TZ", "/usr/share/zoneinfo/Asia/Tokyo")
    if not Path("/usr/share/zoneinfo/Asia/Tokyo").exists():
        pytest.skip("no system zone database")
    assert zone_name(local_zone()) == "Asia/Tokyo"


def test_local_zone_posix_rule_is_read_by_dateutil(tz_env):
    tz_env.setenv("TZ", "EST5EDT,M3.2.0,M11.1.0")
    zone = local_zone()
    assert zone_name(zone) == "your time zone"  # messages do not name the rule
    assert offsets(zone) == (timedelta(hours=-5), timedelta(hours=-4))
    # POSIX signs: west of Greenwich is positive in the rule, negative as an offset
    tz_env.setenv("TZ", "<+0330>-3:30")
    assert offsets(local_zone()) == (timedelta(hours=3, minutes=30),) * 2


@pytest.mark.parametrize("value", ["AAA0BBB-24:30,M6.1.0,M6.2.0", "AAA-24:30BBB,M6.1.0,M6.2.0"])
def test_local_zone_rule_with_a_daylight_offset_of_a_day_or_more_is_utc(tz_env, value):
    """Its summer is one week in June, which a check of January and July would miss."""
    tz_env.setenv("TZ", value)
    zone = local_zone()
    assert zone is UTC
    assert datetime(2010, 6, 10, 12, tzinfo=zone).utcoffset() == timedelta(0)


def test_local_zone_unknown_name_does_not_raise(tz_env):
    tz_env.setenv("TZ", "Not/A_Zone")
    zone = local_zone()
    assert isinstance(zone, tzinfo)
    assert datetime(2010, 1, 15, tzinfo=zone).utcoffset() is not None


def test_local_zone_without_tz_is_the_system_zone(tz_env):
    tz_env.delenv("TZ", raising=False)
    try:
        with Path("/etc/localtime").open("rb") as system_zone:
            expected = ZoneInfo.from_file(system_zone)
    except OSError:
        pytest.skip("no /etc/localtime on this system")
    zone = local_zone()
    assert offsets(zone) == offsets(expected)


def test_local_zone_is_used_by_parse_span(tz_env):
    tz_env.setenv("TZ", "Asia/Tokyo")
    span = parse_span("2010-09-14", now=NOW, zone=local_zone())
    assert stored(span) == ("2010-09-13T15:00:00+00:00", "2010-09-14T15:00:00+00:00")


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("09:30", "2011-06-15T08:30:00+00:00"),  # a time alone is today (BST), local
        ("10am", "2011-06-15T09:00:00+00:00"),
        ("2011/03/04", "2011-03-04T00:00:00+00:00"),  # year first: Y-M-D whatever the order
        ("2011.03.04", "2011-03-04T00:00:00+00:00"),
    ],
)
def test_parse_span_times_alone_and_year_first_dates(text, start):
    assert to_storage(parse_span(text, now=NOW, zone=LONDON).start) == start


@pytest.mark.parametrize("text", ["0001-01-01", "1850", "9999-12"])
def test_parse_span_outside_the_supported_years_is_input_error(text):
    with pytest.raises(InputError, match=r"outside the years|cannot read"):
        parse_span(text, now=NOW, zone=ZoneInfo("Asia/Tokyo"))


@pytest.mark.parametrize("name", ["America/New_York", "Europe/London", "Asia/Tokyo"])
def test_the_calendar_edges_are_refused_or_read(tz_env, name):
    """A date past LAST_YEAR is refused as out of range; the last day of LAST_YEAR is read."""
    tz_env.setenv("TZ", name)
    zone = local_zone()
    with pytest.raises(InputError, match="outside the years 1900 to 9998"):
        parse_span("9999-12-31 10:00", now=NOW, zone=zone)
    # The last day of LAST_YEAR is inside it, though its span ends on the next day.
    last_day = parse_span("9998-12-31", now=NOW, zone=zone)
    assert (last_day.start.year, last_day.start.month, last_day.start.day) == (9998, 12, 31)
    with pytest.raises(InputError, match="outside the years 1900 to 9998"):
        parse_span("1899-12-31", now=NOW, zone=zone)

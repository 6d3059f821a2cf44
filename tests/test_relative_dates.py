"""Relative dates, clock changes, hostile input and week labels (netlog.model.dates).

Every test pins `now` and the zone. Expected spans are local ISO times with their UTC offset,
so that a day of 23 or 25 hours shows in the expectation itself.
"""

import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netlog.errors import InputError
from netlog.model.date_parsing import parse_at, parse_range, parse_span
from netlog.model.dates import DateOrder, Span, local_zone, to_storage
from netlog.model.durations import parse_duration, round_minutes
from netlog.model.periods import Period, iter_periods, period_display, period_label

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
SAO_PAULO = ZoneInfo("America/Sao_Paulo")

WEDNESDAY = datetime(2011, 6, 15, 12, tzinfo=UTC)  # 13:00 BST, Wednesday 15 June 2011
SPRING_SUNDAY = datetime(2010, 3, 28, 12, tzinfo=UTC)  # London springs forward at 01:00 GMT
SPRING_MONDAY = datetime(2010, 3, 28, 23, 30, tzinfo=UTC)  # 00:30 BST, Monday 29 March
AUTUMN_SUNDAY = datetime(2010, 10, 31, 12, tzinfo=UTC)  # London falls back at 02:00 BST
AUTUMN_MONDAY = datetime(2010, 11, 1, 12, tzinfo=UTC)
SYDNEY_SPRING = datetime(2010, 10, 3, 1, tzinfo=UTC)  # 12:00 AEDT, Sydney springs forward


def local(span: Span, zone) -> tuple[str, str]:
    """The span's ends as local ISO times, through UTC so that each shows its real offset."""
    start, end = (moment.astimezone(UTC).astimezone(zone) for moment in span)
    return start.isoformat(), end.isoformat()


def hours(span: Span) -> float:
    return (span.end.astimezone(UTC) - span.start.astimezone(UTC)) / timedelta(hours=1)


# Days: text, now, zone → local start, local end

DAY_FORMS = [
    # A plain Wednesday in June.
    ("today", WEDNESDAY, LONDON, "2011-06-15T00:00:00+01:00", "2011-06-16T00:00:00+01:00"),
    ("yesterday", WEDNESDAY, LONDON, "2011-06-14T00:00:00+01:00", "2011-06-15T00:00:00+01:00"),
    ("wed", WEDNESDAY, LONDON, "2011-06-15T00:00:00+01:00", "2011-06-16T00:00:00+01:00"),
    ("Wednesday", WEDNESDAY, LONDON, "2011-06-15T00:00:00+01:00", "2011-06-16T00:00:00+01:00"),
    ("last wed", WEDNESDAY, LONDON, "2011-06-08T00:00:00+01:00", "2011-06-09T00:00:00+01:00"),
    ("mon", WEDNESDAY, LONDON, "2011-06-13T00:00:00+01:00", "2011-06-14T00:00:00+01:00"),
    ("last monday", WEDNESDAY, LONDON, "2011-06-13T00:00:00+01:00", "2011-06-14T00:00:00+01:00"),
    ("TUE", WEDNESDAY, LONDON, "2011-06-14T00:00:00+01:00", "2011-06-15T00:00:00+01:00"),
    ("thurs", WEDNESDAY, LONDON, "2011-06-09T00:00:00+01:00", "2011-06-10T00:00:00+01:00"),
    ("sun", WEDNESDAY, LONDON, "2011-06-12T00:00:00+01:00", "2011-06-13T00:00:00+01:00"),
    ("3 days ago", WEDNESDAY, LONDON, "2011-06-12T00:00:00+01:00", "2011-06-13T00:00:00+01:00"),
    ("1 day ago", WEDNESDAY, LONDON, "2011-06-14T00:00:00+01:00", "2011-06-15T00:00:00+01:00"),
    ("0 days ago", WEDNESDAY, LONDON, "2011-06-15T00:00:00+01:00", "2011-06-16T00:00:00+01:00"),
    ("a week ago", WEDNESDAY, LONDON, "2011-06-08T00:00:00+01:00", "2011-06-09T00:00:00+01:00"),
    ("2 weeks ago", WEDNESDAY, LONDON, "2011-06-01T00:00:00+01:00", "2011-06-02T00:00:00+01:00"),
    # Spring forward in London: Sunday 28 March 2010 lasts 23 hours.
    ("today", SPRING_SUNDAY, LONDON, "2010-03-28T00:00:00+00:00", "2010-03-29T00:00:00+01:00"),
    ("sunday", SPRING_SUNDAY, LONDON, "2010-03-28T00:00:00+00:00", "2010-03-29T00:00:00+01:00"),
    ("last sun", SPRING_SUNDAY, LONDON, "2010-03-21T00:00:00+00:00", "2010-03-22T00:00:00+00:00"),
    ("yesterday", SPRING_SUNDAY, LONDON, "2010-03-27T00:00:00+00:00", "2010-03-28T00:00:00+00:00"),
    ("3 days ago", SPRING_SUNDAY, LONDON, "2010-03-25T00:00:00+00:00", "2010-03-26T00:00:00+00:00"),
    ("yesterday", SPRING_MONDAY, LONDON, "2010-03-28T00:00:00+00:00", "2010-03-29T00:00:00+01:00"),
    ("monday", SPRING_MONDAY, LONDON, "2010-03-29T00:00:00+01:00", "2010-03-30T00:00:00+01:00"),
    ("3 days ago", SPRING_MONDAY, LONDON, "2010-03-26T00:00:00+00:00", "2010-03-27T00:00:00+00:00"),
    # Fall back in London: Sunday 31 October 2010 lasts 25 hours.
    ("today", AUTUMN_SUNDAY, LONDON, "2010-10-31T00:00:00+01:00", "2010-11-01T00:00:00+00:00"),
    ("sun", AUTUMN_SUNDAY, LONDON, "2010-10-31T00:00:00+01:00", "2010-11-01T00:00:00+00:00"),
    ("yesterday", AUTUMN_SUNDAY, LONDON, "2010-10-30T00:00:00+01:00", "2010-10-31T00:00:00+01:00"),
    ("3 days ago", AUTUMN_SUNDAY, LONDON, "2010-10-28T00:00:00+01:00", "2010-10-29T00:00:00+01:00"),
    ("yesterday", AUTUMN_MONDAY, LONDON, "2010-10-31T00:00:00+01:00", "2010-11-01T00:00:00+00:00"),
    (
        "last sunday",
        AUTUMN_MONDAY,
        LONDON,
        "2010-10-31T00:00:00+01:00",
        "2010-11-01T00:00:00+00:00",
    ),
    ("3 days ago", AUTUMN_MONDAY, LONDON, "2010-10-29T00:00:00+01:00", "2010-10-30T00:00:00+01:00"),
    # Sydney springs forward on Sunday 3 October 2010, in the southern spring.
    ("today", SYDNEY_SPRING, SYDNEY, "2010-10-03T00:00:00+10:00", "2010-10-04T00:00:00+11:00"),
    ("yesterday", SYDNEY_SPRING, SYDNEY, "2010-10-02T00:00:00+10:00", "2010-10-03T00:00:00+10:00"),
    ("sun", SYDNEY_SPRING, SYDNEY, "2010-10-03T00:00:00+10:00", "2010-10-04T00:00:00+11:00"),
    ("a week ago", SYDNEY_SPRING, SYDNEY, "2010-09-26T00:00:00+10:00", "2010-09-27T00:00:00+10:00"),
    # The local day, not the UTC one: 23:30 UTC on Sunday is already Monday in London.
    ("today", SPRING_MONDAY, LONDON, "2010-03-29T00:00:00+01:00", "2010-03-30T00:00:00+01:00"),
]


@pytest.mark.parametrize(("text", "now", "zone", "start", "end"), DAY_FORMS)
def test_relative_days_are_whole_local_days(text, now, zone, start, end):
    assert local(parse_span(text, now=now, zone=zone), zone) == (start, end)


@pytest.mark.parametrize(
    ("text", "now", "expected_hours"),
    [("today", SPRING_SUNDAY, 23), ("yesterday", SPRING_MONDAY, 23), ("today", AUTUMN_SUNDAY, 25)],
)
def test_relative_days_across_a_clock_change_are_not_24_hours(text, now, expected_hours):
    assert hours(parse_span(text, now=now, zone=LONDON)) == expected_hours


# Times: text → local start and length in seconds (London, WEDNESDAY)

TIME_FORMS = [
    ("3pm", "2011-06-15T15:00:00+01:00", 60),
    ("3 PM", "2011-06-15T15:00:00+01:00", 60),
    ("3 p.m.", "2011-06-15T15:00:00+01:00", 60),
    ("3:30pm", "2011-06-15T15:30:00+01:00", 60),
    ("15:00", "2011-06-15T15:00:00+01:00", 60),
    ("15:00:30", "2011-06-15T15:00:30+01:00", 1),
    ("9am", "2011-06-15T09:00:00+01:00", 60),
    ("noon", "2011-06-15T12:00:00+01:00", 60),
    ("midnight", "2011-06-15T00:00:00+01:00", 60),
    ("12am", "2011-06-15T00:00:00+01:00", 60),
    ("12pm", "2011-06-15T12:00:00+01:00", 60),
    ("12:30am", "2011-06-15T00:30:00+01:00", 60),
    ("yesterday 3pm", "2011-06-14T15:00:00+01:00", 60),
    ("yesterday 15:00", "2011-06-14T15:00:00+01:00", 60),
    ("Yesterday at 3pm", "2011-06-14T15:00:00+01:00", 60),
    ("3pm yesterday", "2011-06-14T15:00:00+01:00", 60),
    ("today 15:00", "2011-06-15T15:00:00+01:00", 60),
    ("mon 10:00", "2011-06-13T10:00:00+01:00", 60),
    ("last friday 9am", "2011-06-10T09:00:00+01:00", 60),
    ("wed 9:15", "2011-06-15T09:15:00+01:00", 60),
    ("last wed noon", "2011-06-08T12:00:00+01:00", 60),
    ("3 days ago 10:00", "2011-06-12T10:00:00+01:00", 60),
    ("a week ago 8:05am", "2011-06-08T08:05:00+01:00", 60),
]


@pytest.mark.parametrize(("text", "start", "seconds"), TIME_FORMS)
def test_times_of_day_are_that_minute(text, start, seconds):
    span = parse_span(text, now=WEDNESDAY, zone=LONDON)
    assert span.start.astimezone(LONDON).isoformat() == start
    assert hours(span) * 3600 == seconds


@pytest.mark.parametrize("text", ["13pm", "0am", "25:00", "12:60", "14", "yesterday 25:00"])
def test_impossible_times_are_refused(text):
    with pytest.raises(InputError, match="as a date"):
        parse_span(text, now=WEDNESDAY, zone=LONDON)


# Periods: text, now, week_start → local start, local end (London)

PERIOD_FORMS = [
    ("this week", WEDNESDAY, 0, "2011-06-13T00:00:00+01:00", "2011-06-20T00:00:00+01:00"),
    ("last week", WEDNESDAY, 0, "2011-06-06T00:00:00+01:00", "2011-06-13T00:00:00+01:00"),
    ("this week", WEDNESDAY, 6, "2011-06-12T00:00:00+01:00", "2011-06-19T00:00:00+01:00"),
    ("last week", WEDNESDAY, 6, "2011-06-05T00:00:00+01:00", "2011-06-12T00:00:00+01:00"),
    ("this week", WEDNESDAY, 2, "2011-06-15T00:00:00+01:00", "2011-06-22T00:00:00+01:00"),
    ("last week", WEDNESDAY, 2, "2011-06-08T00:00:00+01:00", "2011-06-15T00:00:00+01:00"),
    ("this month", WEDNESDAY, 0, "2011-06-01T00:00:00+01:00", "2011-07-01T00:00:00+01:00"),
    ("last month", WEDNESDAY, 0, "2011-05-01T00:00:00+01:00", "2011-06-01T00:00:00+01:00"),
    ("this year", WEDNESDAY, 0, "2011-01-01T00:00:00+00:00", "2012-01-01T00:00:00+00:00"),
    ("last year", WEDNESDAY, 0, "2010-01-01T00:00:00+00:00", "2011-01-01T00:00:00+00:00"),
    ("last 7 days", WEDNESDAY, 0, "2011-06-09T00:00:00+01:00", "2011-06-16T00:00:00+01:00"),
    ("last 1 day", WEDNESDAY, 0, "2011-06-15T00:00:00+01:00", "2011-06-16T00:00:00+01:00"),
    # Spring forward on Sunday 28 March: the week holding it is 167 hours.
    ("this week", SPRING_SUNDAY, 0, "2010-03-22T00:00:00+00:00", "2010-03-29T00:00:00+01:00"),
    ("last week", SPRING_SUNDAY, 0, "2010-03-15T00:00:00+00:00", "2010-03-22T00:00:00+00:00"),
    ("this week", SPRING_SUNDAY, 6, "2010-03-28T00:00:00+00:00", "2010-04-04T00:00:00+01:00"),
    ("last week", SPRING_SUNDAY, 6, "2010-03-21T00:00:00+00:00", "2010-03-28T00:00:00+00:00"),
    ("last week", SPRING_MONDAY, 0, "2010-03-22T00:00:00+00:00", "2010-03-29T00:00:00+01:00"),
    ("last 3 days", SPRING_MONDAY, 0, "2010-03-27T00:00:00+00:00", "2010-03-30T00:00:00+01:00"),
    ("this month", SPRING_SUNDAY, 0, "2010-03-01T00:00:00+00:00", "2010-04-01T00:00:00+01:00"),
    # Fall back on Sunday 31 October.
    ("last week", AUTUMN_SUNDAY, 0, "2010-10-18T00:00:00+01:00", "2010-10-25T00:00:00+01:00"),
    ("last week", AUTUMN_MONDAY, 0, "2010-10-25T00:00:00+01:00", "2010-11-01T00:00:00+00:00"),
    ("last week", AUTUMN_MONDAY, 6, "2010-10-24T00:00:00+01:00", "2010-10-31T00:00:00+01:00"),
    ("this week", AUTUMN_SUNDAY, 6, "2010-10-31T00:00:00+01:00", "2010-11-07T00:00:00+00:00"),
    # Across a year end.
    (
        "last month",
        datetime(2011, 1, 15, tzinfo=UTC),
        0,
        "2010-12-01T00:00:00+00:00",
        "2011-01-01T00:00:00+00:00",
    ),
    (
        "this week",
        datetime(2011, 1, 1, 12, tzinfo=UTC),
        0,
        "2010-12-27T00:00:00+00:00",
        "2011-01-03T00:00:00+00:00",
    ),
]


@pytest.mark.parametrize(("text", "now", "week_start", "start", "end"), PERIOD_FORMS)
def test_relative_periods(text, now, week_start, start, end):
    span = parse_span(text, now=now, zone=LONDON, week_start=week_start)
    assert local(span, LONDON) == (start, end)


@pytest.mark.parametrize(
    ("since", "until", "start", "end"),
    [
        ("last week", "last week", "2011-06-05T23:00:00+00:00", "2011-06-12T23:00:00+00:00"),
        ("last week", None, "2011-06-05T23:00:00+00:00", None),
        (None, "last week", None, "2011-06-12T23:00:00+00:00"),
        ("3 days ago", "yesterday", "2011-06-11T23:00:00+00:00", "2011-06-14T23:00:00+00:00"),
        ("last month", "this week", "2011-04-30T23:00:00+00:00", "2011-06-19T23:00:00+00:00"),
        ("yesterday 3pm", "today 9am", "2011-06-14T14:00:00+00:00", "2011-06-15T08:01:00+00:00"),
    ],
)
def test_parse_range_takes_the_start_of_since_and_the_end_of_until(since, until, start, end):
    assert parse_range(since, until, now=WEDNESDAY, zone=LONDON) == (start, end)


def test_parse_range_passes_week_start():
    since, until = parse_range("last week", "last week", now=WEDNESDAY, zone=LONDON, week_start=6)
    assert (since, until) == ("2011-06-04T23:00:00+00:00", "2011-06-11T23:00:00+00:00")


def test_parse_range_this_week_after_last_week_is_refused():
    with pytest.raises(InputError, match="is after --until"):
        parse_range("this week", "last week", now=WEDNESDAY, zone=LONDON)


@pytest.mark.parametrize("week_start", [-1, 7, 1.5])
def test_week_start_must_be_a_weekday_number(week_start):
    with pytest.raises(InputError, match="0 \\(Monday\\) to 6 \\(Sunday\\)"):
        parse_span("this week", now=WEDNESDAY, zone=LONDON, week_start=week_start)


# parse_at with relative forms


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("yesterday 3pm", "2011-06-14T14:00:00+00:00"),
        ("9am", "2011-06-15T08:00:00+00:00"),
        ("mon", "2011-06-12T23:00:00+00:00"),
        ("last week", "2011-06-05T23:00:00+00:00"),
        ("today 13:00", "2011-06-15T12:00:00+00:00"),  # exactly now
    ],
)
def test_parse_at_relative(text, stored):
    assert to_storage(parse_at(text, now=WEDNESDAY, zone=LONDON)) == stored


def test_parse_at_a_later_time_today_is_refused_with_yesterday_as_the_fix():
    with pytest.raises(InputError, match=r"in the future.*write 'yesterday 3pm'"):
        parse_at("3pm", now=WEDNESDAY, zone=LONDON)


@pytest.mark.parametrize("text", ["wed 13:01", "this week 1pm", "today 11pm"])
def test_parse_at_future_relative_times_are_refused(text):
    with pytest.raises(InputError, match=r"in the future|as a date"):
        parse_at(text, now=WEDNESDAY, zone=LONDON)


# Refusals echo a working spelling

SUGGESTIONS = [
    ("yesterdy 3pm", "yesterday 3pm"),
    ("Yesterdy 3pm", "yesterday 3pm"),
    ("yesterday3pm", "yesterday 3pm"),
    ("lst week", "last week"),
    ("last wek", "last week"),
    ("mnday", "monday"),
    ("tusday 10am", "tuesday 10am"),
    ("last fridy 9am", "last friday 9am"),
    ("3 dayz ago", "3 day ago"),
    ("todya", "today"),
    ("Setpember 2010", "september 2010"),
]


@pytest.mark.parametrize(("text", "suggestion"), SUGGESTIONS)
def test_refusal_suggests_the_nearest_spelling(text, suggestion):
    with pytest.raises(InputError) as refused:
        parse_span(text, now=WEDNESDAY, zone=LONDON)
    assert str(refused.value) == f"cannot read {text!r} as a date: try {suggestion!r}"
    parse_span(suggestion, now=WEDNESDAY, zone=LONDON)  # the suggestion itself reads


@pytest.mark.parametrize("text", ["tomorrow", "garbage", "next blue moon", "last 0 days", "14"])
def test_refusal_without_a_near_spelling_lists_examples(text):
    with pytest.raises(InputError) as refused:
        parse_span(text, now=WEDNESDAY, zone=LONDON)
    message = str(refused.value)
    assert "\n" not in message
    assert "try" not in message
    examples = re.findall(r"'([^']+)'", message.split(": ", 1)[1])
    assert "yesterday 3pm" in examples
    for example in examples:
        parse_span(example, now=WEDNESDAY, zone=LONDON)


def test_an_abbreviation_the_zone_does_not_use_is_refused_with_the_way_out():
    with pytest.raises(InputError) as refused:
        parse_span("10:00 EST", now=WEDNESDAY, zone=LONDON)
    assert str(refused.value) == (
        "cannot read '10:00 EST' as a date: EST is not an abbreviation Europe/London uses, "
        "and others are not guessed; give an offset, e.g. '2010-09-14 10:00 -05:00'"
    )


# Clock changes: times that do not exist, and times that happen twice

GAPS = [
    ("2010-03-28 01:30", LONDON, "Europe/London (clocks went forward): use 00:59 or 02:00"),
    ("2010-03-28 01:00", LONDON, "Europe/London (clocks went forward): use 00:59 or 02:00"),
    ("2010-03-28 01:59:59", LONDON, "Europe/London (clocks went forward): use 00:59 or 02:00"),
    ("2010-03-14 02:30", NEW_YORK, "America/New_York (clocks went forward): use 01:59 or 03:00"),
    ("2010-10-03 02:15", SYDNEY, "Australia/Sydney (clocks went forward): use 01:59 or 03:00"),
    (
        "2010-10-17 00:30",
        SAO_PAULO,
        "America/Sao_Paulo (clocks went forward): use 2010-10-16 23:59 or 01:00",
    ),
]


@pytest.mark.parametrize(("text", "zone", "rest"), GAPS)
def test_a_time_in_a_dst_gap_is_refused_with_the_times_either_side(text, zone, rest):
    with pytest.raises(InputError) as refused:
        parse_span(text, now=WEDNESDAY, zone=zone)
    assert str(refused.value) == f"{text} does not exist in {rest}"


def test_a_gap_time_read_by_dateutil_is_refused_too():
    with pytest.raises(InputError, match=r"^2010-03-28 01:30 does not exist .* 00:59 or 02:00$"):
        parse_span("28 Mar 2010 1:30am", now=WEDNESDAY, zone=LONDON)


@pytest.mark.parametrize(
    ("text", "now"), [("today 1:30am", SPRING_SUNDAY), ("1:30", SPRING_SUNDAY)]
)
def test_a_relative_time_in_a_dst_gap_is_refused(text, now):
    with pytest.raises(InputError, match="does not exist in Europe/London"):
        parse_at(text, now=now, zone=LONDON)


def test_the_times_either_side_of_a_gap_are_one_minute_apart():
    before = parse_span("2010-03-28 00:59", now=WEDNESDAY, zone=LONDON)
    after = parse_span("2010-03-28 02:00", now=WEDNESDAY, zone=LONDON)
    assert before.end == after.start
    assert to_storage(after.start) == "2010-03-28T01:00:00+00:00"


def test_a_day_whose_midnight_is_skipped_starts_at_the_first_real_minute():
    span = parse_span("2010-10-17", now=WEDNESDAY, zone=SAO_PAULO)
    assert local(span, SAO_PAULO) == ("2010-10-17T01:00:00-02:00", "2010-10-18T00:00:00-02:00")


FOLDS = [
    ("2010-10-31 01:30", LONDON, "2010-10-31T00:30:00+00:00", "'2010-10-31 01:30+00:00'"),
    ("2010-11-07 01:30", NEW_YORK, "2010-11-07T05:30:00+00:00", "'2010-11-07 01:30-05:00'"),
    ("2010-04-04 02:30", SYDNEY, "2010-04-03T15:30:00+00:00", "'2010-04-04 02:30+10:00'"),
]


@pytest.mark.parametrize(("text", "zone", "first", "second_spelling"), FOLDS)
def test_a_time_that_happens_twice_is_the_first_with_a_notice(text, zone, first, second_spelling):
    notices: list[str] = []
    moment = parse_at(text, now=WEDNESDAY, zone=zone, notices=notices)
    assert to_storage(moment) == first
    assert len(notices) == 1
    assert notices[0].startswith(f"{text} happens twice in {zone.key} (clocks went back)")
    assert notices[0].endswith(f"for the second write {second_spelling}")
    second = parse_at(second_spelling.strip("'"), now=WEDNESDAY, zone=zone)
    assert second - moment == timedelta(hours=1)


def test_a_relative_time_in_a_fold_gives_a_notice():
    notices: list[str] = []
    moment = parse_at("yesterday 1:30am", now=AUTUMN_MONDAY, zone=LONDON, notices=notices)
    assert to_storage(moment) == "2010-10-31T00:30:00+00:00"
    assert len(notices) == 1
    assert "happens twice" in notices[0]


def test_parse_range_collects_fold_notices():
    notices: list[str] = []
    parse_range("2010-10-31 01:10", "2010-10-31 01:20", now=WEDNESDAY, zone=LONDON, notices=notices)
    assert len(notices) == 2


@pytest.mark.parametrize("text", ["2010-10-31 00:59", "2010-10-31 02:00", "2010-10-31", "now"])
def test_no_notice_for_times_that_happen_once(text):
    notices: list[str] = []
    parse_at(text, now=WEDNESDAY, zone=LONDON, notices=notices)
    assert notices == []


def test_the_last_minute_before_fall_back_lasts_one_minute():
    span = parse_span("2010-10-31 01:59", now=WEDNESDAY, zone=LONDON)
    assert (to_storage(span.start), to_storage(span.end)) == (
        "2010-10-31T00:59:00+00:00",
        "2010-10-31T01:00:00+00:00",
    )


# Hostile input

BAD_OFFSETS = [
    "2010-01-01 10:00 +99:00",
    "2010-01-01T10:00+24:00",
    "2010-01-01T10:00:00-24:00",
    "2010-01-01 10:00 -9900",
    "10:00 +99:00",
]


@pytest.mark.parametrize("text", BAD_OFFSETS)
def test_utc_offsets_of_24_hours_or_more_are_refused(text):
    with pytest.raises(InputError, match="UTC offset must be under 24 hours"):
        parse_span(text, now=WEDNESDAY, zone=LONDON)
    with pytest.raises(InputError, match="UTC offset must be under 24 hours"):
        parse_range(text, None, now=WEDNESDAY, zone=LONDON)


def test_an_offset_just_under_24_hours_is_read():
    span = parse_span("2010-01-01 10:00 +23:59", now=WEDNESDAY, zone=LONDON)
    assert to_storage(span.start) == "2009-12-31T10:01:00+00:00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9" * 5001, "too long"),
        ("1" * 5001 + " days ago", "too long"),
        ("99999999999 days ago", "outside the years 1900 to 9998"),
        ("9999999 weeks ago", "outside the years"),
        ("last 99999999 days", "outside the years"),
        ("45000 days ago", "outside the years"),  # 1888
        ("99999-01-01", "outside the years|as a date"),
    ],
)
def test_huge_numbers_in_dates_are_refused(text, message):
    with pytest.raises(InputError, match=message) as refused:
        parse_span(text, now=WEDNESDAY, zone=LONDON)
    assert len(str(refused.value)) < 300


def test_the_oldest_relative_day_still_in_range_is_read():
    span = parse_span("40000 days ago", now=WEDNESDAY, zone=LONDON)  # 1901
    assert span.start.year == 1901


@pytest.mark.parametrize(
    "text",
    ["١٢:٠٠", "２０１０-09-14", "2010-0١-01", "yesterday ３pm", "３ days ago", "last ７ days"],
)
def test_non_ascii_digits_in_dates_are_refused(text):
    with pytest.raises(InputError, match="write numbers with 0-9"):
        parse_span(text, now=WEDNESDAY, zone=LONDON)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1" * 5001, "longer than 24 hours"),
        ("9" * 40, "longer than 24 hours"),
        ("9" * 40 + "h", "longer than 24 hours"),
        ("1" * 5001 + "m", "as a duration"),
        ("١٢", "write numbers with 0-9"),
        ("１２m", "write numbers with 0-9"),
        ("１:30", "write numbers with 0-9"),
        ("1h ٣٠m", "write numbers with 0-9"),
    ],
)
def test_hostile_durations_are_refused(text, message):
    with pytest.raises(InputError, match=message) as refused:
        parse_duration(text)
    assert len(str(refused.value)) < 200


def test_leading_zeros_in_a_duration_are_fine():
    assert parse_duration("0" * 30 + "45") == 45


@pytest.fixture
def tz_env(monkeypatch):
    """monkeypatch for TZ."""
    return monkeypatch


@pytest.mark.parametrize(
    "value", ["UTC+99", "UTC+24", "XYZ-30", "UTC-99:59", "EST+5EDT+99,M3.2.0,M11.1.0"]
)
def test_local_zone_with_an_impossible_offset_falls_back_to_utc(tz_env, value):
    tz_env.setenv("TZ", value)
    zone = local_zone()
    assert zone is UTC
    assert to_storage(parse_span("2010-09-14 10:00", now=WEDNESDAY, zone=zone).start) == (
        "2010-09-14T10:00:00+00:00"
    )


@pytest.mark.parametrize("value", ["garbage", "../../etc/passwd", "/etc/passwd", "a" * 5000, ":"])
def test_local_zone_with_a_broken_name_still_gives_a_usable_zone(tz_env, value):
    tz_env.setenv("TZ", value)
    zone = local_zone()
    assert datetime(2010, 1, 15, tzinfo=zone).utcoffset() is not None
    assert datetime(2010, 7, 15, tzinfo=zone).utcoffset() is not None


def test_local_zone_posix_rule_with_dst_still_works(tz_env):
    tz_env.setenv("TZ", "<+14>-14")
    zone = local_zone()
    assert datetime(2010, 1, 15, tzinfo=zone).utcoffset() == timedelta(hours=14)


# Week labels and their display


@pytest.mark.parametrize(
    ("day", "week_start", "label"),
    [
        (date(2010, 9, 14), 0, "2010-09-13"),  # a Tuesday; weeks from Monday
        (date(2010, 9, 14), 6, "2010-09-12"),  # from Sunday
        (date(2010, 9, 14), 1, "2010-09-14"),  # from Tuesday: the day itself
        (date(2010, 9, 14), 2, "2010-09-08"),  # from Wednesday: the week before
        (date(2010, 9, 12), 6, "2010-09-12"),  # a Sunday with weeks from Sunday
        (date(2010, 9, 12), 0, "2010-09-06"),  # a Sunday with weeks from Monday
        (date(2011, 1, 1), 0, "2010-12-27"),  # the week starts in the year before
    ],
)
def test_week_label_is_its_first_day(day, week_start, label):
    assert period_label(day, Period.WEEK, week_start=week_start) == label


@pytest.mark.parametrize(
    ("label", "period", "shown"),
    [
        ("2010-09-13", Period.WEEK, "2010-09-13 – 09-19"),
        ("2010-12-27", Period.WEEK, "2010-12-27 – 2011-01-02"),
        ("2010-12-25", Period.WEEK, "2010-12-25 – 12-31"),
        ("2010-02-22", Period.WEEK, "2010-02-22 – 02-28"),
        ("2010-09-14", Period.DAY, "2010-09-14"),
        ("2010-09", Period.MONTH, "2010-09"),
        ("2010", Period.YEAR, "2010"),
        ("2010-W37", Period.WEEK, "2010-W37"),  # not a date: shown as it is
    ],
)
def test_period_display(label, period, shown):
    assert period_display(label, period) == shown


def test_iter_periods_weeks_from_sunday_across_spring_forward():
    first = datetime(2010, 3, 24, tzinfo=UTC)
    last = datetime(2010, 3, 29, tzinfo=UTC)
    assert list(iter_periods(first, last, Period.WEEK, LONDON, week_start=6)) == [
        ("2010-03-21", "2010-03-21T00:00:00+00:00", "2010-03-28T00:00:00+00:00"),
        ("2010-03-28", "2010-03-28T00:00:00+00:00", "2010-04-03T23:00:00+00:00"),
    ]


def test_iter_periods_labels_match_period_label_and_parse_back():
    first = datetime(2010, 12, 20, tzinfo=UTC)
    last = datetime(2011, 1, 20, tzinfo=UTC)
    for label, start, _ in iter_periods(first, last, Period.WEEK, LONDON, week_start=4):
        assert date.fromisoformat(label).weekday() == 4
        assert to_storage(parse_span(label, now=WEDNESDAY, zone=LONDON).start) == start


# Rounding lengths of time to minutes


@pytest.mark.parametrize(
    ("seconds", "minutes"),
    [
        (0, 0),
        (0.001, 1),
        (1, 1),
        (29.999, 1),
        (30, 1),
        (59, 1),
        (89, 1),
        (89.999, 1),
        (90, 2),
        (90.0, 2),
        (149.999, 2),
        (150, 3),
        (3600, 60),
        (5400.0, 90),
        (86399, 1440),
        (10**30, (10**30 + 30) // 60),
    ],
)
def test_round_minutes_is_half_up(seconds, minutes):
    assert round_minutes(seconds) == minutes


@pytest.mark.parametrize("seconds", [-1, -0.5, float("nan"), float("inf")])
def test_round_minutes_refuses_negative_and_non_finite_lengths(seconds):
    with pytest.raises(ValueError, match="finite and not negative"):
        round_minutes(seconds)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("0.0084h", 1),  # 30.24 s: half a minute rounds up (0.001h is refused: test_guards)
        ("1.0083h", 60),  # 29.88 s over the hour rounds down
        ("1.0084h", 61),  # 30.24 s rounds up
        ("0.0083h 1m", 1),  # 29.88 s + 1 min
        ("1.25h", 75),
        ("0.125h", 8),  # 7.5 min: half up
    ],
)
def test_parse_duration_rounds_fractional_hours_like_round_minutes(text, minutes):
    assert parse_duration(text) == minutes


# Properties

ZONES = st.sampled_from([LONDON, NEW_YORK, SYDNEY, SAO_PAULO, ZoneInfo("Asia/Kathmandu"), UTC])
NOWS = st.datetimes(
    min_value=datetime(1901, 1, 1), max_value=datetime(9997, 12, 1), timezones=st.just(UTC)
)
WORDS = st.sampled_from(
    [
        *("today", "yesterday", "now", "noon", "midnight", "last", "this", "ago", "at", "a"),
        *("day", "days", "week", "weeks", "month", "year", "mon", "friday", "sun", "Sep"),
        *("3pm", "12am", "15:00", "1:30", "25:00", "+99:00", "-05:00", "Z", "T", "W37"),
        *("2010-03-28", "2010-10-31", "2010", "2010-09", "１２", "٣", "\x00", "\n", "..."),
    ]
)
GRAMMAR_TEXT = st.lists(
    st.one_of(WORDS, st.integers(min_value=-(10**12), max_value=10**12).map(str)), max_size=5
).map(" ".join)


@given(
    text=st.one_of(st.text(max_size=60), GRAMMAR_TEXT),
    now=NOWS,
    zone=ZONES,
    week_start=st.integers(min_value=0, max_value=6),
    order=st.sampled_from(DateOrder),
)
def test_parse_span_raises_nothing_but_input_error(text, now, zone, week_start, order):
    notices: list[str] = []
    try:
        span = parse_span(
            text, now=now, zone=zone, date_order=order, week_start=week_start, notices=notices
        )
    except InputError as refused:
        message, span = str(refused), None
    if span is None:
        assert "\n" not in message
        return
    assert span.start < span.end
    assert to_storage(span.start) < to_storage(span.end)
    assert all("\n" not in notice for notice in notices)


@given(now=NOWS, zone=ZONES, week_start=st.integers(min_value=0, max_value=6))
def test_weeks_hold_today_start_on_week_start_and_follow_each_other(now, zone, week_start):
    today = parse_span("today", now=now, zone=zone)
    this_week = parse_span("this week", now=now, zone=zone, week_start=week_start)
    last_week = parse_span("last week", now=now, zone=zone, week_start=week_start)
    assert this_week.start <= today.start
    assert today.end <= this_week.end
    assert this_week.start.astimezone(zone).weekday() == week_start or (
        this_week.start.astimezone(zone).hour != 0  # a week starting on a skipped midnight
    )
    assert last_week.end == this_week.start
    assert parse_span("7 days ago", now=now, zone=zone).start >= last_week.start


@given(now=NOWS, zone=ZONES, days=st.integers(min_value=1, max_value=400))
def test_last_n_days_ends_with_today_and_starts_n_minus_1_days_ago(now, zone, days):
    span = parse_span(f"last {days} days", now=now, zone=zone)
    assert span.end == parse_span("today", now=now, zone=zone).end
    assert span.start == parse_span(f"{days - 1} days ago", now=now, zone=zone).start


@given(st.one_of(st.text(max_size=40), st.from_regex(r"\A[0-9.: hm]{1,12}\Z")))
def test_parse_duration_raises_nothing_but_input_error(text):
    try:
        minutes = parse_duration(text)
    except InputError:
        return
    assert 1 <= minutes <= 24 * 60


# Start-up cost


def test_importing_dates_and_reading_durations_and_relative_dates_stays_light():
    """`netlog add` imports dates.py; only --at in dateutil's own forms may load dateutil."""
    script = (
        "import sys; from datetime import UTC, datetime\n"
        "from netlog.model.date_parsing import parse_span\n"
        "from netlog.model.durations import parse_duration\n"
        "parse_duration('1h30m')\n"
        "now = datetime(2011, 6, 15, tzinfo=UTC)\n"
        "for text in ('yesterday 3pm', 'last week', '2010-09-14 10:00', 'mon 9am'):\n"
        "    parse_span(text, now=now, zone=UTC)\n"
        "loaded = {name.split('.')[0] for name in sys.modules}\n"
        "print(sorted(loaded & {'dateutil', 'difflib', 'zoneinfo'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"

"""The built-in case study: four months of a small UK firm's online networking, from
September 2010. Facebook, Twitter, LinkedIn, PeoplePerHour, OfficeCavalry and a blog won
nothing; the only new work came from direct email.

Outcomes are linked to what they came from, as `netlog outcome ... --from ID` records it: the
PeoplePerHour shortlisting to its bid, each email reply to the emails that drew it, and each
email win to those emails and to the reply that led to it. The story names no cash spend, so
the demo logs none.
"""

import uuid
from datetime import UTC, date, datetime, timedelta
from random import Random
from typing import NamedTuple

from netlog.model.dates import to_storage
from netlog.model.entries import Entry
from netlog.model.kinds import ACTIVITY, LEAD, REACH, WIN

SETTINGS = {"rate": "30.00", "currency": "GBP", "threshold": "5"}
FIRST_DAY = date(2010, 9, 1)
WEEKS = 17  # 1 September to 28 December 2010


def _weekday(week: int, weekday: int) -> date:
    """Day `weekday` (0 = Monday) of week `week` counted from the week of FIRST_DAY."""
    monday = FIRST_DAY - timedelta(days=FIRST_DAY.weekday())
    return monday + timedelta(weeks=week, days=weekday)


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _spread(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal whole numbers, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


# Demo uuids are uuid5 names under this namespace, so the same story always has the same ids.
_NAMESPACE = uuid.UUID("6f1d3c0e-2b8a-4d5e-9a41-0c2010090100")


# The case study's entries were logged by the firm, not on this computer: one fixed device,
# so that the same story is the same file every time (netlog.store.who).
DEVICE_ID = "0000000000002010"
DEVICE_NAME = "demo"


class Story(NamedTuple):
    entries: list[Entry]  # oldest first, each with its uuid
    links: list[tuple[str, str]]  # (uuid of an outcome, uuid of what it came from)


def story() -> Story:
    """Every entry of the story and the links between them, deterministic."""
    rng = Random(2010)
    entries: list[Entry] = []
    links: list[tuple[Entry, Entry]] = []

    def activity(
        day: date,
        hour: int,
        channel: str,
        minutes: int,
        what: str,
        count: int = 1,
        note: str | None = None,
        tags: tuple[str, ...] = (),
    ) -> Entry:
        at = _moment(max(day, FIRST_DAY), hour, rng.choice((0, 15, 30, 45)))
        entries.append(
            Entry(
                channel=channel,
                kind=ACTIVITY,
                occurred_at=to_storage(at),
                logged_at=to_storage(at + timedelta(minutes=minutes)),
                minutes=minutes,
                what=what,
                count=count,
                note=note,
                tags=tags,
            )
        )
        return entries[-1]

    def outcome(
        day: date,
        hour: int,
        channel: str,
        kind: str,
        count: int = 1,
        label: str | None = None,
        value_minor: int | None = None,
        note: str | None = None,
        sources: tuple[Entry, ...] = (),
    ) -> Entry:
        at = _moment(max(day, FIRST_DAY), hour)
        entries.append(
            Entry(
                channel=channel,
                kind=kind,
                occurred_at=to_storage(at),
                logged_at=to_storage(at),
                count=count,
                label=label,
                value_minor=value_minor,
                currency="GBP" if value_minor is not None else None,
                note=note,
            )
        )
        links.extend((entries[-1], source) for source in sources)
        return entries[-1]

    fans = _spread(18, 9)
    connections = _spread(97, WEEKS)
    tweets = _spread(58, WEEKS * 2)
    bids = _spread(22, 11)
    bid_sessions: list[Entry] = []
    for week in range(WEEKS):
        tuesday, wednesday, thursday = _weekday(week, 1), _weekday(week, 2), _weekday(week, 3)
        monday, friday = _weekday(week, 0), _weekday(week, 4)
        first_tweets_day = monday if monday >= FIRST_DAY else wednesday
        activity(first_tweets_day, 9, "Twitter", rng.randint(15, 25), "tweets", tweets[week * 2])
        activity(friday, 16, "Twitter", rng.randint(15, 25), "tweets", tweets[week * 2 + 1])
        activity(tuesday, 10, "Facebook", rng.randint(25, 40), "page post")
        activity(thursday, 10, "Facebook", rng.randint(20, 35), "page post")
        if week < len(fans):
            outcome(friday, 17, "Facebook", REACH, fans[week], label="fans")
        activity(
            wednesday, 11, "LinkedIn", rng.randint(45, 75), "connection requests", connections[week]
        )
        outcome(friday, 17, "LinkedIn", REACH, connections[week], label="connections")
        if week < len(bids):
            bid_sessions.append(
                activity(
                    thursday,
                    14,
                    "PeoplePerHour",
                    rng.randint(60, 90),
                    "bids",
                    bids[week],
                    tags=("bids",),
                )
            )
        if week % 2 == 0:
            activity(
                monday if monday >= FIRST_DAY else tuesday,
                14,
                "Blog",
                rng.randint(100, 150),
                "blog post",
            )
    activity(date(2010, 10, 13), 15, "OfficeCavalry", 50, "bid", tags=("bids",))
    shortlisted = _moment(date(2010, 10, 27), 12)
    outcome(
        shortlisted.date(),
        12,
        "PeoplePerHour",
        LEAD,
        label="shortlisted",
        note="project went to a cheaper bid",
        sources=(_latest_before(bid_sessions, shortlisted),),
    )
    outcome(date(2010, 11, 18), 9, "LinkedIn", LEAD, label="reply: not hiring now")

    emails = [
        date(2010, 9, 7),
        date(2010, 9, 28),
        date(2010, 10, 12),
        date(2010, 11, 2),
        date(2010, 11, 23),
        date(2010, 12, 7),
    ]
    sent = [
        activity(day, 8, "Email", rng.randint(20, 35), "emails to prospects", rng.randint(5, 9))
        for day in emails
    ]
    # Each reply came from the emails sent the week before; each win from the reply and those
    # emails.
    print_shop = outcome(
        date(2010, 9, 14), 11, "Email", LEAD, label="reply from a print shop", sources=(sent[0],)
    )
    outcome(
        date(2010, 10, 5),
        11,
        "Email",
        WIN,
        value_minor=120000,
        label="print shop",
        note="brochure redesign",
        sources=(sent[0], print_shop),
    )
    architect = outcome(
        date(2010, 10, 19), 11, "Email", LEAD, label="reply from an architect", sources=(sent[2],)
    )
    outcome(
        date(2010, 11, 30),
        11,
        "Email",
        WIN,
        value_minor=85050,
        label="architect",
        note="website refresh",
        sources=(sent[2], architect),
    )
    ordered = sorted(entries, key=lambda entry: entry.occurred_at)
    ids = {
        entry: str(uuid.uuid5(_NAMESPACE, f"{position}")) for position, entry in enumerate(ordered)
    }
    return Story(
        [entry._replace(uuid=ids[entry], device=DEVICE_ID) for entry in ordered],
        [(ids[outcome_entry], ids[source]) for outcome_entry, source in links],
    )


def _latest_before(sessions: list[Entry], moment: datetime) -> Entry:
    """The latest of the sessions that happened before `moment`."""
    stored = to_storage(moment)
    return max((s for s in sessions if s.occurred_at < stored), key=lambda s: s.occurred_at)

"""Settings kept inside the database file, so that a file carries its own rate and currency."""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from netlog.errors import InputError, NetlogError
from netlog.model.dates import DateOrder
from netlog.model.money import parse_amount
from netlog.model.periods import WEEKDAYS, week_start


def _rate(text: str) -> str:
    return str(parse_amount(text, "hourly rate"))


def _currency(text: str) -> str:
    from netlog.model.money import currency_code

    return currency_code(text)


def _date_order(text: str) -> str:
    try:
        return DateOrder(text.strip().lower()).value
    except ValueError:
        raise InputError(f"date-order must be day-first or month-first, not {text!r}") from None


def _week_start(text: str) -> str:
    typed = text.strip().lower()
    # mon, Tue, wed…: any start of a day's name that names only that day
    matches = [day for day in WEEKDAYS if len(typed) >= 2 and day.startswith(typed)]
    if len(matches) != 1:
        raise InputError(f"week-start must be a day, monday to sunday, not {text!r}")
    return matches[0]


def _hours(text: str) -> str:
    from netlog.model.durations import parse_hours

    return str(parse_hours(text, most=10_000))


def _credit(text: str) -> str:
    from netlog.store.credit import RULES

    rule = text.strip().lower()
    if rule not in RULES:
        raise InputError(f"credit must be {', '.join(RULES[:-1])} or {RULES[-1]}, not {text!r}")
    return rule


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str
    parse: Callable[[str], str]


SETTINGS = {
    setting.name: setting
    for setting in (
        Setting("rate", None, "hourly rate that prices your time (cost, net, roi)", _rate),
        Setting("currency", None, "currency code for amounts shown, e.g. GBP", _currency),
        Setting(
            "date-order",
            DateOrder.DAY_FIRST.value,
            "how to read 03/04/2011: day-first (3 April) or month-first (4 March)",
            _date_order,
        ),
        Setting(
            "week-start",
            WEEKDAYS[0],
            "the day weeks start on, for 'last week' and --by week: monday to sunday",
            _week_start,
        ),
        Setting("threshold", "5", "hours after which a channel with no wins is flagged", _hours),
        Setting("timer-limit", "8", "hours after which `stop` asks for the real end time", _hours),
        Setting(
            "warn-hours",
            "3",
            "hours a channel needs before it can be judged behind; 0 = no warnings after add",
            _hours,
        ),
        Setting(
            "credit",
            "logged",
            "where replies, leads and wins count: logged (their own channel and date), or "
            "the first, last or every (linear) activity they came --from",
            _credit,
        ),
    )
}


@dataclass(frozen=True)
class Config:
    """The settings in force: stored values over defaults."""

    rate: Decimal | None
    currency: str | None
    date_order: DateOrder
    threshold_hours: Decimal
    week_start: int = 0  # 0 = Monday … 6 = Sunday
    warn_hours: float = 3.0  # hours a channel needs before it is judged behind
    credit: str = "logged"  # netlog.store.credit.RULES

    @classmethod
    def from_stored(cls, stored: dict[str, str]) -> "Config":
        def value(name: str) -> str | None:
            return stored.get(name, SETTINGS[name].default)

        def number(name: str) -> Decimal | None:
            text = value(name)
            if text is None:
                return None
            try:
                parsed = Decimal(text)
            except ArithmeticError:
                parsed = Decimal("NaN")
            if not parsed.is_finite() or parsed < 0:
                raise NetlogError(
                    f"the {name} setting is damaged: reset it with netlog config {name} --unset"
                )
            return parsed

        try:
            date_order = DateOrder(value("date-order") or DateOrder.DAY_FIRST)
        except ValueError:
            raise NetlogError(
                "the date-order setting is damaged: reset it with netlog config date-order --unset"
            ) from None
        return cls(
            rate=number("rate"),
            currency=value("currency"),
            date_order=date_order,
            threshold_hours=threshold
            if (threshold := number("threshold")) is not None
            else Decimal(5),
            week_start=week_start(stored),
            warn_hours=float(warn) if (warn := number("warn-hours")) is not None else 3.0,
            credit=_stored_credit(value("credit") or "logged"),
        )


def _stored_credit(text: str) -> str:
    try:
        return _credit(text)
    except InputError:
        raise NetlogError(
            "the credit setting is damaged: reset it with netlog config credit --unset"
        ) from None


def parse_setting(name: str, text: str) -> str:
    """The stored form of a setting's new value, or InputError."""
    if name not in SETTINGS:
        raise InputError(f"unknown setting {name!r}: choose from {', '.join(SETTINGS)}")
    return SETTINGS[name].parse(text)


def store(conn: "sqlite3.Connection", name: str, text: str | None) -> str | None:
    """Set (or with None, unset) a setting inside the caller's transaction; returns the stored
    value. The currency and the rate follow the money rule: one currency per file."""
    from netlog.store import db

    if name not in SETTINGS:
        raise InputError(f"unknown setting {name!r}: choose from {', '.join(SETTINGS)}")
    value = parse_setting(name, text) if text is not None else None
    if name == "currency":
        if value is not None:
            db.set_file_currency(conn, value)
            return value
        if db.amount_currencies(conn):
            raise InputError("this file holds amounts in its currency, so the currency stays set")
    elif name == "rate" and text is not None:
        from netlog.model.entries import amount

        _, currency = amount(text, db.file_currency(conn))  # the money rule, for its currency
        db.adopt_currency(conn, currency)
    db.write_setting(conn, name, value)
    return value

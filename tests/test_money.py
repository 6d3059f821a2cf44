"""Exact money per currency (netlog.model.money): ISO 4217 decimals, symbols, strict input."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netlog.errors import InputError
from netlog.model.entries import amount as typed_amount
from netlog.model.money import (
    MINOR_DIGITS,
    SYMBOLS,
    currency_code,
    format_money,
    format_plain,
    from_minor,
    minor_digits,
    parse_amount,
    parse_money,
    symbol_for,
    to_minor,
)

CODES = sorted(MINOR_DIGITS)

# ISO 4217 table


@pytest.mark.parametrize(
    ("code", "digits"),
    [
        ("JPY", 0),
        ("KRW", 0),
        ("ISK", 0),
        ("CLP", 0),
        ("VND", 0),
        ("XAF", 0),
        ("UYI", 0),
        ("GBP", 2),
        ("USD", 2),
        ("EUR", 2),
        ("CHF", 2),
        ("INR", 2),
        ("CNY", 2),
        ("XCG", 2),
        ("ZWG", 2),
        ("BHD", 3),
        ("KWD", 3),
        ("JOD", 3),
        ("OMR", 3),
        ("TND", 3),
        ("IQD", 3),
        ("LYD", 3),
        ("CLF", 4),
        ("UYW", 4),
    ],
)
def test_minor_digits_of_known_currencies(code, digits):
    assert MINOR_DIGITS[code] == digits
    assert minor_digits(code) == digits
    assert minor_digits(code.lower()) == digits


def test_table_holds_only_active_three_letter_codes():
    assert 160 <= len(MINOR_DIGITS) <= 190
    assert all(len(code) == 3 and code.isascii() and code.isupper() for code in MINOR_DIGITS)
    assert set(MINOR_DIGITS.values()) == {0, 2, 3, 4}
    # Withdrawn currencies, and codes with no minor unit (gold, SDR, testing, no currency).
    for code in [
        "HRK",
        "VEF",
        "MRO",
        "STD",
        "BYR",
        "LTL",
        "SLL",
        "ZWL",
        "XAU",
        "XDR",
        "XTS",
        "XXX",
    ]:
        assert code not in MINOR_DIGITS


def test_minor_digits_without_a_currency_is_two():
    assert minor_digits(None) == 2
    assert minor_digits("") == 2


@pytest.mark.parametrize(("text", "code"), [("GBP", "GBP"), ("gbp", "GBP"), (" Eur\n", "EUR")])
def test_currency_code_normalises(text, code):
    assert currency_code(text) == code


@pytest.mark.parametrize(
    "text", ["POUNDS", "XYZ", "XAU", "HRK", "GB", "", "  ", "US$", "ＧＢＰ", "£"]
)
def test_currency_code_refuses_what_is_not_iso_4217(text):
    with pytest.raises(InputError, match=r"is not an ISO 4217 code: use e\.g\. GBP") as error:
        currency_code(text)
    assert "\n" not in str(error.value)


def test_minor_digits_of_an_unknown_code_is_input_error():
    with pytest.raises(InputError, match="ISO 4217"):
        minor_digits("XYZ")


# symbols


def test_every_symbol_stands_for_one_known_currency():
    assert len(set(SYMBOLS.values())) == len(SYMBOLS)
    assert set(SYMBOLS) <= set(MINOR_DIGITS)


@pytest.mark.parametrize(
    ("currency", "symbol"),
    [("JPY", "¥"), ("NZD", "NZ$"), ("HKD", "HK$"), ("SGD", "S$"), ("chf", "CHF"), ("CNY", "CNY")],
)
def test_symbol_for(currency, symbol):
    assert symbol_for(currency) == symbol


# format_money


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("1200.50", "GBP", "£1,200.50"),
        ("1200.5", "GBP", "£1,200.50"),
        ("1200", "JPY", "¥1,200"),
        ("0", "JPY", "¥0"),
        ("-12", "GBP", "-£12.00"),
        ("10", "CHF", "CHF 10.00"),
        ("1.25", "BHD", "BHD 1.250"),
        ("1234.5678", "CLF", "CLF 1,234.5678"),
        ("10", "AUD", "A$10.00"),
        ("10", "NZD", "NZ$10.00"),
        ("10", "HKD", "HK$10.00"),
        ("1000", "KRW", "₩1,000"),
        ("10", "cny", "CNY 10.00"),
        ("1200", None, "1,200.00"),
        # amounts worked out (per hour...) are rounded half up to the currency's places
        ("2.5", "JPY", "¥3"),
        ("1.005", "GBP", "£1.01"),
        ("-0.004", "GBP", "£0.00"),
        ("33.3333333", "BHD", "BHD 33.333"),
    ],
)
def test_format_money(amount, currency, text):
    assert format_money(Decimal(amount), currency) == text


# parse_money: reading


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("1200", "1200", None),
        ("1,200.50", "1200.50", None),
        ("£1200", "1200", "GBP"),
        ("£1,200.50", "1200.50", "GBP"),
        ("A$10", "10", "AUD"),
        ("A$10.00", "10.00", "AUD"),
        ("NZ$ 3", "3", "NZD"),
        ("HK$1,000", "1000", "HKD"),
        ("$10", "10", "USD"),
        ("¥1,200", "1200", "JPY"),
        ("1,200 JPY", "1200", "JPY"),
        ("1200 EUR", "1200", "EUR"),
        ("EUR 1200", "1200", "EUR"),
        ("eur1200", "1200", "EUR"),
        ("CHF 10.00", "10.00", "CHF"),
        ("1.250 BHD", "1.250", "BHD"),
        ("BHD 1.25", "1.25", "BHD"),
        ("CLF 1.2345", "1.2345", "CLF"),
        (".5", "0.5", None),
        ("0.50", "0.50", None),
        ("1.20 GBP", "1.20", "GBP"),
        ("1,000,000,000,000", "1000000000000", None),
        ("0001200", "1200", None),
    ],
)
def test_parse_money_reads(text, amount, currency):
    parsed, code = parse_money(text)
    assert (str(parsed), code) == (amount, currency)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # more decimals than the currency has, trailing zeros included
        ("1.234 GBP", "GBP has 2 decimal places, so write e.g. 1.23"),
        ("1.200 GBP", "GBP has 2 decimal places, so write e.g. 1.20"),
        ("1.200", "amounts have at most 2 decimal places, so write e.g. 1.20"),
        ("1.234", "at most 2 decimal places"),
        ("1.200 JPY", "JPY has 0 decimal places, so write e.g. 1"),
        ("¥1.5", "JPY has 0 decimal places, so write e.g. 2"),
        ("1.2500 BHD", "BHD has 3 decimal places"),
        ("CLF 1.23456", "CLF has 4 decimal places"),
        # one convention: `.` decimal point, `,` between thousands
        ("€1.234,50", "cannot read"),
        ("1,20", "cannot read"),
        ("1 200", "cannot read"),
        # no sign, no exponent, ASCII digits only
        ("-5", "cannot read"),
        ("£-5", "cannot read"),
        ("-£12.00", "cannot read"),
        ("+5", "cannot read"),
        ("1e400", "cannot read"),
        ("1E3", "cannot read"),
        ("Infinity", "cannot read"),
        ("NaN", "cannot read"),
        ("１２", "cannot read"),
        ("١٢", "cannot read"),
        ("१२", "cannot read"),
        ("²", "cannot read"),
        # a currency, once, and a real one
        ("1200 POUNDS", "cannot read"),
        ("1200 XYZ", "currency 'XYZ' is not an ISO 4217 code"),
        ("XAU 5", "currency 'XAU' is not an ISO 4217 code"),
        ("£1200 GBP", "cannot read"),
        ("A$10 AUD", "cannot read"),
        ("a$10", "cannot read"),
        ("10€", "cannot read"),
        ("£", "cannot read"),
        ("GBP", "cannot read"),
        ("", "cannot read"),
        ("12.", "cannot read"),
        # bounds, checked before any conversion of the digits
        ("1000000000000.01", "too large"),
        ("99999999999999", "too large"),
        ("1" * 40, "too large"),
        ("1" * 5000, "too long"),
        ("1." + "0" * 5000, "too long"),
        ("GBP" + " " * 5000 + "1x", "too long"),
    ],
)
def test_parse_money_refuses(text, message):
    with pytest.raises(InputError, match=message) as error:
        parse_money(text)
    assert "\n" not in str(error.value)
    assert len(str(error.value)) < 160


def test_parse_money_checks_decimals_against_the_currency_in_force():
    assert parse_money("1.234", currency="BHD") == (Decimal("1.234"), None)
    assert parse_money("1200", currency="JPY") == (Decimal("1200"), None)
    with pytest.raises(InputError, match="JPY has 0 decimal places"):
        parse_money("1200.5", currency="JPY")
    # the currency written wins over the one in force
    with pytest.raises(InputError, match="GBP has 2 decimal places"):
        parse_money("1.234 GBP", currency="BHD")
    assert parse_money("1.234 BHD", currency="GBP") == (Decimal("1.234"), "BHD")


def test_parse_money_names_what_was_read():
    with pytest.raises(InputError, match=r"the hourly rate '1\.234'"):
        parse_money("1.234", what="hourly rate")
    with pytest.raises(InputError, match="as an hourly rate"):
        parse_money("abc", what="hourly rate")


def test_parse_amount_is_parse_money_without_the_currency():
    assert parse_amount("£40") == Decimal("40")
    assert parse_amount("1.250", currency="BHD") == Decimal("1.250")
    with pytest.raises(InputError, match="ISO 4217"):
        parse_amount("40 XYZ", "hourly rate")


# entries.amount: an amount typed by the user, in the file's currency


@pytest.mark.parametrize(
    ("text", "setting", "stored"),
    [
        ("£50", None, (5000, "GBP")),
        ("50", None, (5000, None)),
        ("50", "GBP", (5000, "GBP")),
        ("¥1,200", None, (1200, "JPY")),
        ("1200", "JPY", (1200, "JPY")),
        ("1.250 BHD", None, (1250, "BHD")),
        ("1.25", "BHD", (1250, "BHD")),
        ("A$10", "AUD", (1000, "AUD")),
        ("$50", "AUD", (5000, "AUD")),  # a plain $ is the setting's dollar
        ("$50", "USD", (5000, "USD")),
    ],
)
def test_amount_in_the_files_currency(text, setting, stored):
    assert typed_amount(text, setting) == stored


@pytest.mark.parametrize(
    ("text", "setting", "message"),
    [
        ("£50", "USD", "is in GBP, but this file's currency is USD"),
        ("A$10", "USD", "is in AUD, but this file's currency is USD"),
        ("$10", "GBP", "is in USD, but this file's currency is GBP"),
        ("1200.5", "JPY", "JPY has 0 decimal places"),
        ("1.200", "GBP", "GBP has 2 decimal places"),
        ("xyz50", "USD", "currency 'xyz' is not an ISO 4217 code"),
    ],
)
def test_amount_refuses(text, setting, message):
    with pytest.raises(InputError, match=re.escape(message)):
        typed_amount(text, setting)


# to_minor / from_minor / format_plain


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("1200", "JPY", 1200),
        ("1200.50", "GBP", 120050),
        ("1200.5", None, 120050),
        ("0.29", "USD", 29),
        ("1.25", "BHD", 1250),
        ("1.250", "KWD", 1250),
        ("1.2345", "CLF", 12345),
        ("1000000000000", "CLF", 10**16),
        ("-12", "GBP", -1200),
    ],
)
def test_to_and_from_minor_per_currency(amount, currency, minor):
    assert to_minor(Decimal(amount), currency) == minor
    assert from_minor(minor, currency) == Decimal(amount)


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (120050, "GBP", "1200.50"),
        (120050, None, "1200.50"),
        (1200, "JPY", "1200"),
        (0, "JPY", "0"),
        (0, "GBP", "0.00"),
        (1, "CLF", "0.0001"),
        (1250, "BHD", "1.250"),
        (-1200, "GBP", "-12.00"),
        (10**16, "CLF", "1000000000000.0000"),
    ],
)
def test_format_plain(minor, currency, text):
    assert format_plain(minor, currency) == text
    assert str(from_minor(minor, currency)) == text


@pytest.mark.parametrize(
    ("amount", "currency"), [("1.5", "JPY"), ("1.234", "GBP"), ("0.001", None)]
)
def test_to_minor_refuses_to_round(amount, currency):
    with pytest.raises(InputError, match="decimal place"):
        to_minor(Decimal(amount), currency)


# properties

currencies = st.sampled_from([None, *CODES])


@st.composite
def money(draw, signed=False):
    currency = draw(currencies)
    most = 10**12 * 10 ** minor_digits(currency)
    minor = draw(st.integers(-most if signed else 0, most))
    return minor, currency


@given(money())
def test_what_format_money_prints_parse_money_reads_back(value):
    minor, currency = value
    amount = from_minor(minor, currency)
    text = format_money(amount, currency)
    parsed, code = parse_money(text)
    assert (parsed, code) == (amount, currency)
    assert str(parsed) == str(amount)
    assert to_minor(parsed, code) == minor


@given(money())
def test_plain_text_with_its_code_reads_back(value):
    minor, currency = value
    text = format_plain(minor, currency) + (f" {currency}" if currency else "")
    assert typed_amount(text, None) == (minor, currency)


@given(money(signed=True))
def test_minor_units_round_trip(value):
    minor, currency = value
    amount = from_minor(minor, currency)
    assert -amount.as_tuple().exponent == minor_digits(currency)
    assert to_minor(amount, currency) == minor


@given(st.sampled_from(CODES), st.integers(0, 10**6), st.integers(0, 10**6))
def test_sums_of_minor_units_are_exact(currency, first, second):
    total = from_minor(first, currency) + from_minor(second, currency)
    assert to_minor(total, currency) == first + second


TYPED = st.text(
    alphabet=st.sampled_from(list("0123456789,. -+eE£$€¥A$NZHKGBPUSDJYxyz１٢\t")), max_size=24
)


@given(TYPED, currencies)
def test_parse_money_returns_a_bounded_exact_amount_or_one_line_error(text, currency):
    error = None
    try:
        amount, code = parse_money(text, currency=currency)
    except InputError as raised:
        error = str(raised)
    if error is not None:
        assert "\n" not in error
        return
    assert 0 <= amount <= Decimal("1e12")
    assert code is None or code in MINOR_DIGITS
    assert to_minor(amount, code or currency) >= 0

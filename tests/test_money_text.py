"""Exact money (netlog.model.money) and user-typed text checked in and made safe out."""

import unicodedata
from decimal import Decimal

import pytest

from netlog.errors import InputError
from netlog.model.money import format_money, from_minor, parse_amount, symbol_for, to_minor
from netlog.model.text import (
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    channel_key,
    clean_channel,
    clean_tags,
    clean_text,
    printable,
)

CAFE_NFC = unicodedata.normalize("NFC", "Café")
CAFE_NFD = unicodedata.normalize("NFD", "Café")


def test_cafe_spellings_really_differ():
    """Guard for the Café tests below: the two spellings are different strings."""
    assert CAFE_NFC != CAFE_NFD
    assert (len(CAFE_NFC), len(CAFE_NFD)) == (4, 5)


# parse_amount

VALID_AMOUNTS_DATA = [
    ("1200", "1200"),
    ("1,200.50", "1200.50"),
    ("1,200", "1200"),
    ("1,234,567.89", "1234567.89"),
    ("£1200", "1200"),
    ("£ 1,200.50", "1200.50"),
    ("$19.99", "19.99"),
    ("€0.29", "0.29"),
    ("1200 GBP", "1200"),
    ("1200GBP", "1200"),
    ("GBP 1200", "1200"),
    ("1200 usd", "1200"),
    ("  1200  ", "1200"),
    ("0", "0"),
    ("0.5", "0.5"),
    (".5", "0.5"),
    ("12.3", "12.3"),
    ("12.30", "12.30"),
    ("1000000000000", "1000000000000"),
]

INVALID_AMOUNTS_DATA = [
    ("1,20", "cannot read"),
    ("1,2000", "cannot read"),
    ("12,34.5", "cannot read"),
    ("12.345", "at most 2 decimal places"),
    ("0.001", "at most 2 decimal places"),
    ("abc", "cannot read"),
    ("", "cannot read"),
    ("-5", "cannot read"),
    ("£-5", "cannot read"),
    ("1e3", "cannot read"),
    ("12.", "cannot read"),
    ("£1200 GBP", "cannot read"),
    ("1200 GB", "cannot read"),
    ("1 200", "cannot read"),
    ("1000000000000.01", "too large"),
    ("99999999999999", "too large"),
]


@pytest.mark.parametrize(("text", "expected"), VALID_AMOUNTS_DATA)
def test_parse_amount_valid(text, expected):
    amount = parse_amount(text)
    assert isinstance(amount, Decimal)
    assert amount == Decimal(expected)


def test_parse_amount_keeps_the_digits_typed():
    assert str(parse_amount("1,200.50")) == "1200.50"
    assert str(parse_amount("£1200")) == "1200"


@pytest.mark.parametrize(("text", "message"), INVALID_AMOUNTS_DATA)
def test_parse_amount_invalid_is_input_error(text, message):
    with pytest.raises(InputError, match=message):
        parse_amount(text)


def test_parse_amount_error_names_what_was_read():
    with pytest.raises(InputError, match=r"as an? rate"):
        parse_amount("abc", what="rate")
    with pytest.raises(InputError, match=r"the revenue '1\.234'"):
        parse_amount("1.234", what="revenue")


@pytest.mark.parametrize("digits", [27, 30, 40])
def test_parse_amount_huge_number_is_input_error(digits):
    """Beyond 28 digits a Decimal quantize overflows: the size check must come first."""
    with pytest.raises(InputError, match="too large"):
        parse_amount("1" * digits)


# to_minor / from_minor


@pytest.mark.parametrize(
    ("amount", "minor"),
    [
        ("0", 0),
        ("0.01", 1),
        ("0.29", 29),  # int(0.29 * 100) is 28 with floats
        ("0.57", 57),  # and 56 here
        ("1.10", 110),
        ("19.99", 1999),
        ("1200", 120000),
        ("1200.5", 120050),
        ("1200.50", 120050),
        ("1000000000000", 100000000000000),
        ("999999999999.99", 99999999999999),
    ],
)
def test_to_minor_is_exact(amount, minor):
    assert to_minor(Decimal(amount)) == minor
    assert from_minor(minor) == Decimal(amount)


@pytest.mark.parametrize(
    ("minor", "text"),
    [
        (0, "0.00"),
        (1, "0.01"),
        (10, "0.10"),
        (120050, "1200.50"),
        (-1, "-0.01"),
        (-120000, "-1200.00"),
        (99999999999999, "999999999999.99"),
    ],
)
def test_from_minor_has_two_places(minor, text):
    amount = from_minor(minor)
    assert isinstance(amount, Decimal)
    assert str(amount) == text


def test_minor_round_trip_over_every_cent_of_a_few_pounds():
    for minor in range(0, 1001):
        assert to_minor(from_minor(minor)) == minor
        assert to_minor(parse_amount(str(from_minor(minor)))) == minor


def test_sums_of_minor_units_are_exact():
    """Ten times 0.10 is exactly 1.00, as it is not with floats."""
    total = sum(to_minor(parse_amount("0.10")) for _ in range(10))
    assert from_minor(total) == Decimal("1.00")


# symbol_for / format_money


@pytest.mark.parametrize(
    ("currency", "symbol"),
    [
        ("GBP", "£"),
        ("gbp", "£"),
        ("USD", "$"),
        ("EUR", "€"),
        ("AUD", "A$"),
        ("CHF", "CHF"),
        (None, ""),
        ("", ""),
    ],
)
def test_symbol_for(currency, symbol):
    assert symbol_for(currency) == symbol


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("2050.5", "GBP", "£2,050.50"),
        ("1200", "GBP", "£1,200.00"),
        ("0", "GBP", "£0.00"),
        ("0.07", "GBP", "£0.07"),
        ("-12", "GBP", "-£12.00"),
        ("-1234.5", "USD", "-$1,234.50"),
        ("1234567.89", "EUR", "€1,234,567.89"),
        ("999.99", "gbp", "£999.99"),
        ("10", "CHF", "CHF 10.00"),
        ("-10", "CHF", "-CHF 10.00"),
        ("10", "AUD", "A$10.00"),
        ("10", "CAD", "C$10.00"),
        ("1200", None, "1,200.00"),
        ("1200", "", "1,200.00"),
    ],
)
def test_format_money(amount, currency, text):
    assert format_money(Decimal(amount), currency) == text


def test_format_money_of_parsed_amount():
    assert format_money(from_minor(to_minor(parse_amount("£1,200.5"))), "GBP") == "£1,200.50"


# clean_channel / channel_key


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("LinkedIn", "LinkedIn"),
        ("  LinkedIn  ", "LinkedIn"),
        ("\tLinkedIn\n", "LinkedIn"),
        ("Local meetups", "Local meetups"),
        (CAFE_NFD, CAFE_NFC),
        ("x" * MAX_NAME_LENGTH, "x" * MAX_NAME_LENGTH),
        (" " + "x" * MAX_NAME_LENGTH + " ", "x" * MAX_NAME_LENGTH),
        ("é" * MAX_NAME_LENGTH, "é" * MAX_NAME_LENGTH),
    ],
)
def test_clean_channel_valid(name, expected):
    assert clean_channel(name) == expected


def test_clean_channel_keeps_case():
    assert clean_channel(" linkedIN ") == "linkedIN"


def test_clean_channel_length_counts_characters_after_nfc():
    """64 decomposed é (128 code points) are 64 characters."""
    name = unicodedata.normalize("NFD", "é" * MAX_NAME_LENGTH)
    assert len(name) == 2 * MAX_NAME_LENGTH
    assert clean_channel(name) == "é" * MAX_NAME_LENGTH


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("\t\n", "is empty"),
        ("Linked\x1bIn", "control characters"),
        ("\x1b[31mLinkedIn", "control characters"),
        ("Linked\nIn", "control characters"),
        ("Linked\tIn", "control characters"),
        ("Linked\x00In", "control characters"),
        ("Linked\u200bIn", "control characters"),
        ("Linked\u202eIn", "control characters"),
        ("Linked\u2028In", "control characters"),
        ("x" * (MAX_NAME_LENGTH + 1), "longer than 64"),
        ("é" * (MAX_NAME_LENGTH + 1), "longer than 64"),
    ],
)
def test_clean_channel_invalid_is_input_error(name, message):
    with pytest.raises(InputError, match=message):
        clean_channel(name)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("LinkedIn", "linkedin"),
        ("LinkedIn", " linkedin"),
        ("LinkedIn", "LINKEDIN "),
        (CAFE_NFC, CAFE_NFD),
        (CAFE_NFC, "CAFÉ"),
        (CAFE_NFD, " café "),
        ("Straße", "STRASSE"),
        ("LinkedIn", "ＬｉｎｋｅｄＩｎ"),  # full-width letters
    ],
)
def test_channel_key_same_channel(first, second):
    assert channel_key(first) == channel_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [("LinkedIn", "Linked In"), ("Cafe", CAFE_NFC), ("Events", "Event"), ("a", "b")],
)
def test_channel_key_different_channels(first, second):
    assert channel_key(first) != channel_key(second)


def test_channel_key_value():
    assert channel_key("  LinkedIn ") == "linkedin"
    assert channel_key(CAFE_NFD) == "café"
    assert channel_key(CAFE_NFD) == unicodedata.normalize("NFC", "café")


def test_channel_key_of_cleaned_name_matches_raw():
    assert channel_key(clean_channel(CAFE_NFD + "  ")) == channel_key("CAFÉ")


# clean_tags


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (None, []),
        ([], []),
        (["client"], ["client"]),
        ([" client ", "warm"], ["client", "warm"]),
        (["a", "b", "a"], ["a", "b"]),
        (["a", " a", "a "], ["a"]),
        (["b", "a", "b", "c", "a"], ["b", "a", "c"]),
        ([CAFE_NFD, CAFE_NFC], [CAFE_NFC]),
        (["x" * MAX_NAME_LENGTH], ["x" * MAX_NAME_LENGTH]),
        (["two words"], ["two words"]),
    ],
)
def test_clean_tags_valid(tags, expected):
    assert clean_tags(tags) == expected


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (["a,b"], "may not contain commas"),
        (["ok", ","], "may not contain commas"),
        ([""], "is empty"),
        (["ok", "  "], "is empty"),
        (["tab\there"], "control characters"),
        (["esc\x1b"], "control characters"),
        (["x" * (MAX_NAME_LENGTH + 1)], "longer than 64"),
    ],
)
def test_clean_tags_invalid_is_input_error(tags, message):
    with pytest.raises(InputError, match=message):
        clean_tags(tags)


# clean_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("\n\t ", None),
        ("  met Sam  ", "met Sam"),
        ("line one\nline two", "line one\nline two"),
        ("col\tcol", "col\tcol"),
        (CAFE_NFD + " chat", CAFE_NFC + " chat"),
        ("x" * MAX_TEXT_LENGTH, "x" * MAX_TEXT_LENGTH),
    ],
)
def test_clean_text_valid(text, expected):
    assert clean_text(text, "note") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bad \x1b[2J note", "the note contains control characters"),
        ("nul\x00", "the note contains control characters"),
        ("bell\x07", "the note contains control characters"),
        ("cr\rlf", "the note contains control characters"),
        ("x" * (MAX_TEXT_LENGTH + 1), "the note is longer than 2000"),
    ],
)
def test_clean_text_invalid_is_input_error(text, message):
    with pytest.raises(InputError, match=message):
        clean_text(text, "note")


def test_clean_text_error_names_the_field():
    with pytest.raises(InputError, match="the label contains"):
        clean_text("\x1b", "label")


# printable


@pytest.mark.parametrize(
    "text",
    ["", "LinkedIn", "Local meetups", CAFE_NFC, CAFE_NFD, "£1,200.50 — won", "日本語", "💼 work"],
)
def test_printable_leaves_normal_text_alone(text):
    assert printable(text) == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
        ("a\nb", "a\\nb"),
        ("a\tb", "a\\tb"),
        ("a\rb", "a\\rb"),
        ("nul\x00", "nul\\x00"),
        ("del\x7f", "del\\x7f"),
        ("csi\x9b", "csi\\x9b"),
        ("\u202eevil", "\\u202eevil"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("Café \x1b x", "Café \\x1b x"),
    ],
)
def test_printable_shows_control_characters_as_escapes(text, shown):
    result = printable(text)
    assert result == shown
    assert result.isprintable()

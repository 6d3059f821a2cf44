"""Money, held exactly as integer minor units (pence, cents) and never summed as floats."""

import re
from decimal import Decimal, InvalidOperation

from netlog.errors import InputError

SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€", "JPY": "¥", "INR": "₹", "AUD": "A$", "CAD": "C$"}
_AMOUNT = re.compile(
    r"(?P<prefix>[£$€¥₹]|[A-Za-z]{3})?\s*"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<suffix>[A-Za-z]{3})?"
)
CENT = Decimal("0.01")


def parse_amount(text: str, what: str = "amount") -> Decimal:
    """`1200`, `1,200.50`, `£1200`, `1200 GBP` as an exact Decimal, at most 2 decimal places."""
    return _parse(text, what)[0]


def parse_value(text: str, currency: str | None) -> tuple[int, str | None]:
    """What a win is worth, in minor units, and its currency: the one written in the amount
    (`£1200`, `1200 EUR`) or else the currency setting. An amount in another currency than
    the setting is refused, since summaries add wins up in one currency."""
    amount, written = _parse(text, "amount")
    if written is None:
        return to_minor(amount), currency
    if currency is None:
        return to_minor(amount), _CODE_FOR_SYMBOL.get(written, written)
    if written == currency or (
        written in _CODE_FOR_SYMBOL and symbol_for(currency).endswith(written)
    ):
        return to_minor(amount), currency
    raise InputError(
        f"{text!r} is not in {currency}, the currency setting: netlog adds wins up in one "
        "currency (change it with: netlog config currency CODE)"
    )


# £ → GBP, $ → USD…: the one-character symbols, which an amount may start with.
_CODE_FOR_SYMBOL = {symbol: code for code, symbol in SYMBOLS.items() if len(symbol) == 1}


def _parse(text: str, what: str) -> tuple[Decimal, str | None]:
    """The amount and the currency written with it (a symbol, or a code in capitals)."""
    match = _AMOUNT.fullmatch(text.strip())
    if not match or (match["prefix"] and match["suffix"]):
        raise InputError(f"cannot read {text!r} as an {what}: use e.g. 1200, 1,200.50 or £1200")
    try:
        amount = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise InputError(f"cannot read {text!r} as an {what}") from None
    if amount > Decimal("1e12"):
        raise InputError(f"the {what} {text!r} is too large")
    if amount != amount.quantize(CENT):
        raise InputError(f"the {what} {text!r} has more than 2 decimal places")
    written = match["prefix"] or match["suffix"]
    return amount, (written.upper() if written and written.isalpha() else written)


def to_minor(amount: Decimal) -> int:
    return int(amount * 100)


def from_minor(minor: int) -> Decimal:
    return (Decimal(minor) / 100).quantize(CENT)


def symbol_for(currency: str | None) -> str:
    """The sign shown before amounts: `£` for GBP, the code itself for others."""
    if not currency:
        return ""
    return SYMBOLS.get(currency.upper(), currency)


def format_money(amount: Decimal, currency: str | None) -> str:
    """`£2,050.50`, `-£12.00`, `CHF 10.00` (for people; machine formats print plain numbers)."""
    sign = "-" if amount < 0 else ""
    symbol = symbol_for(currency)
    if len(symbol) > 2:
        symbol += " "
    return f"{sign}{symbol}{abs(amount):,.2f}"

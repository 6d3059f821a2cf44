"""Money, held exactly as integer minor units (pence, cents, yen) and never summed as floats.

Each currency has its ISO 4217 number of decimal places (JPY 0, GBP 2, BHD 3, CLF 4). Amounts
are read with `.` as the decimal point and `,` between thousands, and may not have more decimal
places than their currency, trailing zeros included (`1.200 GBP` is refused: write 1.20).
`parse_money` is the one reader; `parse_amount` is a thin wrapper over it.
Every amount `format_money` prints, `parse_money` reads back to the same amount and currency.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from netlog.errors import InputError
from netlog.model.text import counted

# ISO 4217 active codes (list one, amendment 179) by their minor-unit decimal places, less
# the codes with no minor unit (gold, SDR, test and "no currency" codes).
_CODES_BY_DECIMALS = {
    0: "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF",
    2: "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP"
    " BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD"
    " FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD"
    " KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD"
    " NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP"
    " SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED"
    " VES WST XCD XCG YER ZAR ZMW ZWG",
    3: "BHD IQD JOD KWD LYD OMR TND",
    4: "CLF UYW",
}
MINOR_DIGITS = {
    code: decimals for decimals, codes in _CODES_BY_DECIMALS.items() for code in codes.split()
}

# The signs netlog prints before amounts, each standing for one currency, so that what it
# prints it can read back. Other currencies are shown by code: `CHF 10.00`.
SYMBOLS = {
    "GBP": "£",
    "USD": "$",
    "EUR": "€",
    "JPY": "¥",
    "INR": "₹",
    "KRW": "₩",
    "ILS": "₪",
    "NGN": "₦",
    "PHP": "₱",
    "UAH": "₴",
    "VND": "₫",
    "TRY": "₺",
    "AUD": "A$",
    "CAD": "C$",
    "NZD": "NZ$",
    "HKD": "HK$",
    "SGD": "S$",
    "TWD": "NT$",
    "MXN": "MX$",
    "BRL": "R$",
}
_CODE_FOR_SYMBOL = {symbol: code for code, symbol in SYMBOLS.items()}

MAX_MAJOR = Decimal("1e12")  # the largest amount, in major units (pounds, dollars, yen)
_MAX_INTEGER_DIGITS = len(str(int(MAX_MAJOR)))
MAX_TEXT = 100  # characters in an amount as typed: far more than any real amount needs

_SIGNS = "|".join(re.escape(symbol) for symbol in sorted(_CODE_FOR_SYMBOL, key=len, reverse=True))
# ASCII only: `\d` would also match digits such as `１` or `١`.
_AMOUNT = re.compile(
    rf"(?:(?P<symbol>{_SIGNS})|(?P<prefix>[A-Za-z]{{3}}))?\s*"
    r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.(?P<fraction>[0-9]+))?"
    r"\s*(?P<suffix>[A-Za-z]{3})?",
    re.ASCII,
)
_EXAMPLES = "1200, 1,200.50, £1200 or 1200 EUR"


def currency_code(text: str) -> str:
    """`gbp` → `GBP`; InputError unless the text is an active ISO 4217 code."""
    code = text.strip().upper()
    if code not in MINOR_DIGITS:
        raise InputError(
            f"currency {_shown(text)!r} is not an ISO 4217 code: use e.g. GBP, USD, EUR or JPY"
        )
    return code


def minor_digits(code: str | None) -> int:
    """The currency's decimal places: 0 for JPY, 2 for GBP, 3 for BHD; 2 when none is known."""
    return MINOR_DIGITS[currency_code(code)] if code else 2


def parse_money(
    text: str, *, currency: str | None = None, what: str = "amount"
) -> tuple[Decimal, str | None]:
    """The amount in `1200`, `1,200.50`, `£1200`, `A$10`, `1200 EUR` or `EUR 1200`, as an exact
    Decimal keeping the digits typed, and the currency written with it (a code) or None.

    Its decimal places are checked against the currency written, else `currency` (the one in
    force), else 2. InputError, one line, for anything else: negative amounts, exponents,
    non-ASCII digits, unknown codes, more than 10^12 major units."""
    whole, fraction, code, _ = _split(text, what)
    return _amount(text, what, whole, fraction, code or currency), code


def parse_amount(text: str, what: str = "amount", *, currency: str | None = None) -> Decimal:
    """parse_money's amount alone (a currency written is validated, then dropped; call
    parse_money to know it). `what` names the value in errors, e.g. "hourly rate"."""
    return parse_money(text, currency=currency, what=what)[0]


def to_minor(amount: Decimal, currency: str | None = None) -> int:
    """Exact minor units: `to_minor(Decimal("12.30"), "GBP") == 1230`. InputError when the
    amount has more decimal places than the currency (nothing is rounded away)."""
    decimals = minor_digits(currency)
    minor = Decimal(amount).scaleb(decimals)
    if minor != minor.to_integral_value():
        raise InputError(f"{amount} has more than {counted(decimals, 'decimal place')}")
    return int(minor)


def from_minor(minor: int, currency: str | None = None) -> Decimal:
    """`from_minor(1230, "GBP") == Decimal("12.30")`, with the currency's decimal places."""
    decimals = minor_digits(currency)
    return Decimal(minor).scaleb(-decimals).quantize(Decimal(1).scaleb(-decimals))


def format_plain(minor: int, currency: str | None = None) -> str:
    """Minor units as text for CSV and JSON: `1200.50`, `1200` for JPY, `-12.00`."""
    return format(from_minor(minor, currency), "f")


def symbol_for(currency: str | None) -> str:
    """The sign shown before amounts: `£` for GBP, the code itself for others."""
    if not currency:
        return ""
    return SYMBOLS.get(currency.upper(), currency.upper())


def format_money(amount: Decimal, currency: str | None) -> str:
    """`£2,050.50`, `¥1,200`, `-£12.00`, `CHF 10.00`, `BHD 1.250` (for people; machine formats
    print plain numbers). Rounds half up to the currency's decimal places."""
    decimals = minor_digits(currency)
    rounded = Decimal(amount).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    symbol = symbol_for(currency)
    if symbol.isalpha():
        symbol += " "
    return f"{sign}{symbol}{abs(rounded):,.{decimals}f}"


def _split(text: str, what: str) -> tuple[str, str, str | None, str | None]:
    """The whole and fraction digits of an amount, the currency code written with it, and
    the symbol or code as written."""
    if len(text) > MAX_TEXT:  # also spares the pattern a long backtrack
        raise InputError(f"the {what} {_shown(text)!r} is too long: use e.g. {_EXAMPLES}")
    match = _AMOUNT.fullmatch(text.strip())
    if (
        not match
        or not (match["whole"] or match["fraction"])
        or (match["suffix"] and (match["symbol"] or match["prefix"]))
    ):
        raise InputError(f"cannot read {_shown(text)!r} as an {what}: use e.g. {_EXAMPLES}")
    sign = match["symbol"] or match["prefix"] or match["suffix"]
    code = (_CODE_FOR_SYMBOL.get(sign) or currency_code(sign)) if sign else None
    whole = (match["whole"] or "").replace(",", "").lstrip("0") or "0"
    return whole, match["fraction"] or "", code, sign


def _amount(text: str, what: str, whole: str, fraction: str, currency: str | None) -> Decimal:
    # Lengths are checked before any conversion: int() refuses strings of over 4300 digits,
    # and a Decimal of 30 digits no longer quantizes.
    if len(whole) > _MAX_INTEGER_DIGITS:
        raise InputError(f"the {what} {_shown(text)!r} is too large: at most {MAX_MAJOR:,.0f}")
    decimals = minor_digits(currency)
    if len(fraction) > decimals:
        example = Decimal(f"{whole}.{fraction[: decimals + 1]}").quantize(
            Decimal(1).scaleb(-decimals), ROUND_HALF_UP
        )
        places = f"{currency_code(currency)} has" if currency else "amounts have at most"
        raise InputError(
            f"the {what} {_shown(text)!r} has too many decimals: {places} "
            f"{counted(decimals, 'decimal place')}, so write e.g. {example:f}"
        )
    amount = Decimal(f"{whole}.{fraction}" if fraction else whole)
    if amount > MAX_MAJOR:
        raise InputError(f"the {what} {_shown(text)!r} is too large: at most {MAX_MAJOR:,.0f}")
    return amount


def _shown(text: str) -> str:
    """Text short enough to quote in a one-line error."""
    text = text.strip()
    return text if len(text) <= 30 else text[:29] + "…"


def rate_to_minor(rate: Decimal, currency: str | None = None) -> int:
    """An hourly rate in whole minor units of `currency`, half up: 30.005 GBP is 3001."""
    return int(rate.scaleb(minor_digits(currency)).to_integral_value(ROUND_HALF_UP))

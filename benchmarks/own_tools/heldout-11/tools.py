"""Six shopping and travel tools of an eleventh made-up user, for `benchmarks/own_tools.py --set
heldout-11`, given as MCP tool specs (`tools.json`): deterministic stand-ins (a result depends only on
the arguments), written for this benchmark."""

import hashlib
import re

TODAY = "2026-12-01"  # fixed, so that a result never changes
USD_PER = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "JPY": 0.0067, "CAD": 0.73, "CHF": 1.13, "AUD": 0.66,
           "INR": 0.012, "CNY": 0.14, "MXN": 0.058}  # fmt: skip
ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def convert_currency(amount: float, from_currency: str, to_currency: str) -> float:
    """Convert an amount of money from one currency to another."""
    codes = from_currency.upper(), to_currency.upper()
    for code in codes:
        if code not in USD_PER:
            raise ValueError(f"unknown currency code {code!r}")
    return round(amount * USD_PER[codes[0]] / USD_PER[codes[1]], 2)


def apply_discount(price: float, percent: float) -> float:
    """The price after a percentage discount."""
    if price < 0 or not 0 <= percent <= 100:
        raise ValueError("a price of at least 0 and a discount from 0 to 100 percent")
    return round(price * (1 - percent / 100), 2)


def find_restaurants(city: str, cuisine: str, open_now: bool = False) -> str:
    """Find restaurants of a cuisine in a city."""
    n = _digest(city, cuisine, open_now) % 9 + 1
    return f"{n} {cuisine} restaurants in {city}{' open now' if open_now else ''}"


def track_package(tracking_number: str) -> str:
    """Look up where a parcel is from its tracking number."""
    if not re.fullmatch(r"[A-Z]{2}[0-9]{9}[A-Z]{2}", tracking_number):
        raise ValueError("not a tracking number")
    days = _digest(tracking_number) % 5
    return f"{tracking_number}: delivered" if days == 0 else f"{tracking_number}: in transit, {days} days to go"


def sunrise_time(city: str, date: str = TODAY) -> str:
    """The time of sunrise in a city on a day."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ValueError("a date as YYYY-MM-DD")
    minutes = 5 * 60 + _digest(city, date) % 180
    return f"Sunrise in {city} on {date} at {minutes // 60:02d}:{minutes % 60:02d}"


def _words(n: int) -> str:
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        return ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + _words(n % 100))
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            return _words(n // size) + " " + name + ("" if n % size == 0 else " " + _words(n % size))
    raise AssertionError("unreachable")


def spell_number(number: int) -> str:
    """Write a whole number out in English words."""
    if number < 0:
        raise ValueError("a number of at least 0")
    return _words(number)

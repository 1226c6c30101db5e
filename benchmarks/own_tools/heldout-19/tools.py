"""Six money, health and home tools of a nineteenth made-up user, for `benchmarks/own_tools.py --set
heldout-19`, given as OpenAI-format specs (`tools.json`): deterministic stand-ins (a result depends
only on the arguments), written for this benchmark."""

import hashlib
import re

WORDS = {"english": "serendipity", "spanish": "sobremesa", "french": "flaner", "german": "Fernweh"}
TODAY = "2026-12-01"  # fixed, so that a result never changes


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def get_exchange_rate(base: str, quote: str) -> str:
    """Look up today's exchange rate between two currencies."""
    if not (re.fullmatch(r"[A-Za-z]{3}", base) and re.fullmatch(r"[A-Za-z]{3}", quote)):
        raise ValueError("three-letter currency codes")
    return f"1 {base.upper()} = {0.5 + _digest(base.upper(), quote.upper()) % 150 / 100:.2f} {quote.upper()}"


def word_of_the_day(language: str) -> str:
    """Today's word of the day in a language."""
    return WORDS[language]


def loan_interest(amount: float, rate: float, months: int) -> float:
    """Total simple interest on a loan."""
    return round(amount * rate / 100 * months / 12, 2)


def track_steps(steps: int, date: str = TODAY) -> str:
    """Log a number of steps walked on a day."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ValueError("a date YYYY-MM-DD")
    return f"logged {steps} steps on {date}"


def dns_lookup(hostname: str, record: str = "A") -> str:
    """Resolve a host name to its IP addresses."""
    if "." not in hostname:
        raise ValueError("a host name with a dot")
    n = _digest(hostname.lower(), record)
    return f"{hostname} {record}: 203.0.{n % 256}.{n // 256 % 256}"


def plant_watering(plant: str) -> str:
    """How often to water a house plant."""
    return f"water the {plant} every {3 + _digest(plant.lower()) % 12} days"

"""Five tools of a twenty-second made-up user, for `benchmarks/own_tools.py --set heldout-22`, given
as OpenAI-format specs (`tools.json`): deterministic stand-ins (a result depends only on the
arguments), written for this benchmark."""

import hashlib
import re


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def wiki_summary(topic: str, sentences: int = 2) -> str:
    """Get a short encyclopedia summary of a topic, person or place."""
    if not 1 <= sentences <= 5:
        raise ValueError("1 to 5 sentences")
    return f"{topic.strip().title()}: summary #{_digest(topic.strip().lower()) % 1000} in {sentences} sentence(s)"


def shoe_size(size: float, from_system: str, to_system: str) -> float:
    """Convert a shoe size between sizing systems."""
    offsets = {"US": 0.0, "UK": -1.0, "EU": 32.5}  # a made-up stand-in: EU = US + 32.5, UK = US - 1
    if from_system not in offsets or to_system not in offsets:
        raise ValueError("US, UK or EU")
    return round(size - offsets[from_system] + offsets[to_system], 1)


def book_court(date: str, hour: int, players: int = 2) -> str:
    """Book a tennis court for an hour on a day."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) or not 7 <= hour <= 21 or players not in (2, 4):
        raise ValueError("a date as YYYY-MM-DD, an hour from 7 to 21, 2 or 4 players")
    court = 1 + _digest(date, hour) % 6
    return f"Court {court} booked on {date} at {hour:02d}:00 for {players} players"


def unit_price(price: float, units: int) -> float:
    """The price of one unit of a product sold in a pack."""
    if price <= 0 or units < 1:
        raise ValueError("a positive price and at least one unit")
    return round(price / units, 2)


def dividend_yield(symbol: str) -> str:
    """Look up the dividend yield of a stock by its ticker symbol."""
    if not re.fullmatch(r"[A-Z]{1,5}", symbol):
        raise ValueError("a ticker symbol of 1 to 5 capital letters")
    return f"{symbol}: {(_digest(symbol) % 600) / 100:.2f}%"

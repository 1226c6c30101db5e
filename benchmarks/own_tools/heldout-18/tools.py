"""Six developer and errand tools of an eighteenth made-up user, for `benchmarks/own_tools.py --set
heldout-18`, given as MCP tool specs (`tools.json`): deterministic stand-ins (a result depends only on
the arguments), written for this benchmark."""

import datetime
import hashlib
import re

TODAY = datetime.date(2026, 12, 1)  # fixed, so that a result never changes


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def crypto_price(symbol: str) -> str:
    """The current price of a cryptocurrency in US dollars."""
    if not re.fullmatch(r"[A-Za-z]{2,6}", symbol):
        raise ValueError("a ticker of 2 to 6 letters")
    return f"{symbol.upper()}: ${1 + _digest(symbol.upper()) % 60000:,}"


def convert_image(path: str, to_format: str) -> str:
    """Convert an image file to another format."""
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", path)
    return f"saved {stem}.{to_format}"


def create_issue(repo: str, title: str) -> str:
    """Open an issue in a GitHub repository."""
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        raise ValueError("a repository as owner/name")
    return f"{repo}#{1 + _digest(repo, title) % 900}: {title}"


def slack_message(channel: str, text: str) -> str:
    """Post a message to a Slack channel."""
    return f"posted to {channel}: {text}"


def find_parking(address: str, max_price: float | None = None) -> str:
    """Find parking garages near a street address."""
    n = 1 + _digest(address.lower(), max_price) % 6
    return f"{n} garages near {address}" + (f" under ${max_price:g}/h" if max_price is not None else "")


def age_in_days(birthdate: str) -> int:
    """How many days old someone born on a date is today."""
    return (TODAY - datetime.date.fromisoformat(birthdate)).days

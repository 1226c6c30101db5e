"""Six developer and money tools of a fifteenth made-up user, for `benchmarks/own_tools.py --set
heldout-15`, given as Python functions with type hints and docstrings (no JSON file): deterministic
stand-ins (a result depends only on the arguments), written for this benchmark."""

import datetime
import hashlib
import re
from typing import Literal


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def repo_stars(repo: str) -> str:
    """How many stars a GitHub repository has.

    Args:
        repo: The repository as owner/name, such as torvalds/linux.
    """
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        raise ValueError("a repository is written owner/name")
    return f"{repo}: {_digest(repo.lower()) % 90000 + 100} stars"


def compound_interest(principal: float, rate_percent: float, years: int) -> float:
    """What a savings balance grows to with interest compounded yearly.

    Args:
        principal: The starting balance.
        rate_percent: The yearly interest rate in percent.
        years: How many years the money is saved.
    """
    if principal < 0 or years < 0:
        raise ValueError("a balance and years of 0 or more")
    return round(principal * (1 + rate_percent / 100) ** years, 2)


def hash_text(text: str, algorithm: Literal["md5", "sha1", "sha256"] = "sha256") -> str:
    """Compute the hash of a text.

    Args:
        text: The text to hash.
        algorithm: The hash function.
    """
    return hashlib.new(algorithm, text.encode()).hexdigest()


def weekday_of(day: datetime.date) -> str:
    """Which day of the week a date falls on.

    Args:
        day: The date.
    """
    return day.strftime("%A")


def bus_departures(stop: str, line: str | None = None) -> str:
    """The next departures from a bus stop.

    Args:
        stop: The name of the bus stop.
        line: Only departures of this bus line, such as 42 or N7.
    """
    minutes = 2 + _digest(stop.lower(), line) % 15
    return f"{line or 'all lines'} from {stop}: in {minutes} and {minutes + 12} minutes"


def spell_check(text: str) -> str:
    """Find spelling mistakes in a text.

    Args:
        text: The text to check.
    """
    wrong = [w for w in re.findall(r"[A-Za-z]+", text) if re.search(r"(.)\1\1|ie(?=c)|recieve|teh", w.lower())]
    return "no mistakes found" if not wrong else "check: " + ", ".join(wrong)

"""Five tools of a twenty-eighth made-up user, for `benchmarks/own_tools.py --set heldout-28`, given
as OpenAI-format specs (`tools.json`): deterministic stand-ins (a result depends only on the
arguments), written for this benchmark."""

import hashlib
import re


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def ingredient_substitute(ingredient: str) -> str:
    """Suggest a substitute for a cooking ingredient."""
    key = " ".join(ingredient.lower().split())
    return f"instead of {key}: substitute #{_digest(key) % 100}"


def flight_price(origin: str, destination: str, date: str) -> str:
    """Find the cheapest fare for a flight between two airports on a date."""
    if not re.fullmatch(r"[A-Z]{3}", origin) or not re.fullmatch(r"[A-Z]{3}", destination):
        raise ValueError("IATA codes of three capitals")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ValueError("a YYYY-MM-DD date")
    return f"{origin}->{destination} on {date}: ${80 + _digest(origin, destination, date) % 600}"


def set_volume(level: int) -> str:
    """Set the speaker volume."""
    if not 0 <= level <= 100:
        raise ValueError("0 to 100")
    return f"volume set to {level}"


def log_mood(mood: str, note: str = "") -> str:
    """Record how I feel in my mood journal."""
    if mood not in ("happy", "sad", "anxious", "calm", "angry"):
        raise ValueError("a known mood")
    return f"logged {mood}"


def password_strength(password: str) -> str:
    """Rate how strong a password is."""
    score = sum([len(password) >= 12, bool(re.search(r"\d", password)), bool(re.search(r"[A-Z]", password)),
                 bool(re.search(r"[^\w]", password))])  # fmt: skip
    return ("weak", "weak", "fair", "good", "strong")[score]

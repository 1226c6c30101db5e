"""Five everyday tools of a thirteenth made-up user, for `benchmarks/own_tools.py --set heldout-13`,
given as OpenAI-format specs (`tools.json`): deterministic stand-ins (a result depends only on the
arguments), written for this benchmark."""

import hashlib
import re


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def book_flight(origin: str, destination: str, date: str, passengers: int = 1, cabin: str = "economy") -> str:
    """Book a flight between two cities on a date."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) or origin.lower() == destination.lower():
        raise ValueError("two different cities and a date as YYYY-MM-DD")
    ref = _digest(origin, destination, date) % 10000
    return f"Booked {passengers} {cabin} seat(s) from {origin} to {destination} on {date}, ref {ref:04d}"


def send_sms(phone_number: str, message: str) -> str:
    """Send a text message to a phone number."""
    digits = re.sub(r"\D", "", phone_number)
    if not 7 <= len(digits) <= 15:
        raise ValueError("not a phone number")
    return f"Sent to {digits}: {message}"


def search_recipes(ingredients: list[str], max_minutes: int = 60) -> str:
    """Find recipes that use some ingredients."""
    if not ingredients:
        raise ValueError("at least one ingredient")
    key = sorted(i.lower() for i in ingredients)
    return f"{_digest(*key, max_minutes) % 12 + 1} recipes with {', '.join(key)} in up to {max_minutes} minutes"


def get_lyrics(song: str, artist: str = "") -> str:
    """Get the lyrics of a song (titles and names in any case, an artist with or without "the")."""
    song, artist = song.lower(), artist.lower().removeprefix("the ")
    return f"Lyrics of {song}{' by ' + artist if artist else ''}: la la la ({_digest(song) % 100} lines)"


def news_headlines(topic: str, count: int = 5) -> str:
    """The latest news headlines about a topic."""
    return f"{count} headlines about {topic.lower()}"

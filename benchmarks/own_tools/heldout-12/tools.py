"""Six tools of a twelfth made-up user, for `benchmarks/own_tools.py --set heldout-12`, given as
Python functions with type hints and docstrings (no JSON file): deterministic stand-ins (a result
depends only on the arguments), written for this benchmark."""

import base64
import hashlib

STATUS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found",
          304: "Not Modified", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
          405: "Method Not Allowed", 408: "Request Timeout", 418: "I'm a teapot", 429: "Too Many Requests",
          500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
          504: "Gateway Timeout"}  # fmt: skip


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def http_status(code: int) -> str:
    """Explain what an HTTP status code means.

    Args:
        code: The three-digit status code, such as 404.
    """
    if not 100 <= code <= 599:
        raise ValueError("an HTTP status code is from 100 to 599")
    return f"{code} {STATUS.get(code, 'Unknown status')}"


def movie_showtimes(title: str, city: str) -> str:
    """Find today's showtimes of a movie in a city.

    Args:
        title: The movie's title.
        city: The city where the cinema is.
    """
    hour = 12 + _digest(title, city) % 10
    return f"{title} in {city}: {hour}:00 and {hour + 2}:30"


def water_intake(weight_kg: float, active: bool = False) -> float:
    """How many liters of water a person should drink a day.

    Args:
        weight_kg: The person's weight in kilograms.
        active: Whether the person exercises daily.
    """
    if weight_kg <= 0:
        raise ValueError("a weight above 0")
    return round(weight_kg * (0.04 if active else 0.033), 1)


def base64_encode(text: str) -> str:
    """Encode a text in Base64.

    Args:
        text: The text to encode.
    """
    return base64.b64encode(text.encode()).decode()


def next_holiday(country: str) -> str:
    """The next public holiday in a country.

    Args:
        country: The country's name.
    """
    days = _digest(country) % 60 + 1
    return f"The next public holiday in {country} is in {days} days"


def team_score(team: str) -> str:
    """The score of a sports team's last game.

    Args:
        team: The team's name.
    """
    a, b = _digest(team) % 7, _digest(team, "opponent") % 7
    return f"{team} {a}, opponent {b}"

"""Six web, travel and health tools of a fourteenth made-up user, for `benchmarks/own_tools.py --set
heldout-14`, given as MCP tool specs (`tools.json`): deterministic stand-ins (a result depends only on
the arguments), written for this benchmark."""

import hashlib
import ipaddress
import re

PLACES = ("Germany, Berlin", "Brazil, Sao Paulo", "Japan, Osaka", "Canada, Toronto", "India, Pune", "Kenya, Nairobi")


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def check_domain(domain: str) -> str:
    """Check whether a web domain name is still available to register."""
    if not re.fullmatch(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", domain.lower()):
        raise ValueError(f"{domain!r} is not a domain name")
    return f"{domain.lower()} is {'available' if _digest(domain.lower()) % 3 else 'taken'}"


def ip_location(ip: str) -> str:
    """Find the country and city an IPv4 address belongs to."""
    address = ipaddress.IPv4Address(ip)
    if address.is_private:
        return f"{ip} is a private address"
    return f"{ip}: {PLACES[_digest(ip) % len(PLACES)]}"


def book_hotel(city: str, check_in: str, nights: int, guests: int = 1) -> str:
    """Book a hotel room in a city."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", check_in):
        raise ValueError("check_in is a date YYYY-MM-DD")
    code = _digest(city, check_in, nights, guests) % 100000
    return f"booked {nights} night(s) in {city} from {check_in} for {guests}: confirmation H{code:05d}"


def nutrition_facts(food: str, grams: float = 100) -> str:
    """Calories and protein in a portion of a food."""
    per100 = 50 + _digest(food.lower()) % 400
    protein = (_digest("p", food.lower()) % 300) / 10
    return f"{grams:g} g of {food}: {per100 * grams / 100:.0f} kcal, {protein * grams / 100:.1f} g protein"


def order_status(order_id: str) -> str:
    """Look up where a customer's order is."""
    states = ("being packed", "shipped", "out for delivery", "delivered")
    return f"{order_id}: {states[_digest(order_id) % len(states)]}"


def air_quality(city: str) -> str:
    """Today's air quality index of a city."""
    return f"AQI in {city}: {10 + _digest(city.lower()) % 140}"

"""Six tools of a twenty-fifth made-up user, for `benchmarks/own_tools.py --set heldout-25`, given
as OpenAI-format specs (`tools.json`): deterministic stand-ins (a result depends only on the
arguments), written for this benchmark."""

import hashlib


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def visa_required(passport_country: str, destination: str) -> str:
    """Check whether a traveller with a passport from one country needs a visa to visit another."""
    if _key(passport_country) == _key(destination):
        return "no visa: it is the traveller's own country"
    needed = _digest(_key(passport_country), _key(destination)) % 2 == 0
    return f"{passport_country} passport to {destination}: {'visa required' if needed else 'no visa needed'}"


def parking_fee(hours: float, zone: str) -> float:
    """Work out the fee for parking a car in a city zone."""
    rates = {"downtown": 4.5, "airport": 6.0, "suburb": 1.5}
    if hours <= 0 or zone not in rates:
        raise ValueError("positive hours and a known zone")
    return round(hours * rates[zone], 2)


def define_word(word: str, language: str = "english") -> str:
    """Look up the dictionary definition of a word."""
    if language not in ("english", "spanish", "french") or not word.strip():
        raise ValueError("a word in english, spanish or french")
    return f"{_key(word)} ({language}): definition #{_digest(_key(word), language) % 1000}"


def time_difference(city_a: str, city_b: str) -> int:
    """The time difference in hours between two cities."""
    offset = {k: _digest(k) % 25 - 12 for k in (_key(city_a), _key(city_b))}
    return offset[_key(city_b)] - offset[_key(city_a)]


def watering_schedule(plant: str, indoor: bool = True) -> str:
    """How often to water a house plant or garden plant."""
    days = 2 + _digest(_key(plant), indoor) % 12
    return f"water the {_key(plant)} every {days} days ({'indoors' if indoor else 'outdoors'})"


def is_anagram(first: str, second: str) -> bool:
    """Check whether two words or phrases are anagrams of each other."""
    letters = [sorted(c for c in t.lower() if c.isalnum()) for t in (first, second)]
    return letters[0] == letters[1]

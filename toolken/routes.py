"""Where a request goes from and to: the places a parameter that takes an address may copy (street
addresses and named places, `address_values`), and, for a tool with a parameter for each end of a
trip (pickup and dropoff, origin and destination), the value written after "from" for its start and
after "to" for its end (`directed_ends`); a place to go to that is no name ("the airport", "home":
`places_for`)."""

from __future__ import annotations

import re

from .literals import addresses_in, takes_address
from .values import NAME_WORD, parameter_words, resources
from .written import names_for, names_in

_START_WORDS = frozenset("from origin source src input start pickup departure depart departing leaving".split())
_END_WORDS = frozenset("to destination dest target tgt output end dropoff arrival arrive arriving going".split())


def address_values(text: str) -> list[str]:
    """What a parameter that takes an address may copy from `text`: the street addresses it writes
    ("221B Baker Street"), then the places it names that are not part of one ("Heathrow Airport",
    "King's Cross Station"), but never a day, a month, a people or the pronoun I."""
    found = addresses_in(text)
    skip = {w.lower() for words in resources()["not_names"].values() for w in words}
    names = [n for n in names_in(text) if n.lower() not in skip and not any(n in a for a in found)]
    return list(dict.fromkeys(found + names))


def end_of_trip(name: str) -> str | None:
    """ "start" for a parameter named for where a trip (or a translation, a conversion) starts
    (`pickup`, `origin`, `from_city`, `source_language`), "end" for where it ends (`dropoff`,
    `destination`, `to_city`, `tgt_lang`), else None."""
    words = {w.lower() for w in NAME_WORD.findall(name)} | {name.lower().replace("_", "")}  # "pickupLocation"
    start, end = bool(words & _START_WORDS), bool(words & _END_WORDS)
    return "start" if start and not end else "end" if end and not start else None


def directed_ends(props: dict, narrowed: dict, text: str) -> dict:
    """`narrowed` (copied values per parameter) where a tool has one string parameter for the start
    of a trip and one for its end, and the text writes one value of theirs after "from" and one after
    "to" ("a taxi from Union Square to the Golden Gate Bridge"): each end keeps that value only. A
    text that writes more trips than one ("from A to B, then from B to C") is left to the turn."""
    ends: dict[str, list[str]] = {"start": [], "end": []}
    for name, schema in narrowed.items():
        own = props.get(name, {}) if isinstance(props.get(name), dict) else {}
        copied = isinstance(schema, dict) and "enum" not in own and schema.get("type") == "string"
        if copied and isinstance(schema.get("enum"), list) and (end := end_of_trip(name)):
            ends[end].append(name)
    if len(ends["start"]) != 1 or len(ends["end"]) != 1 or len(re.findall(r"\bfrom\s", text, re.IGNORECASE)) != 1:
        return narrowed
    out = dict(narrowed)
    for end, word in (("start", "from"), ("end", "to")):
        name = ends[end][0]
        # an address may be a street's or a named place's: "from 10 Downing Street to King's Cross Station"
        offered = [*narrowed[name]["enum"], *(address_values(text) if takes_address(name, props[name]) else [])]
        if len(after := list(dict.fromkeys(v for v in offered if _written_after(word, v, text)))) == 1:
            out[name] = {**narrowed[name], "enum": after}
    return out


def ends_offered_places(props: dict, narrowed: dict, text: str) -> dict:
    """`narrowed` where two or more parameters take an address and the text writes fewer street
    addresses than that: each is offered the places it names too (`address_values`), so "between 12
    Rue Cler and La Défense" gives one end the street and the other the named place."""
    names = [n for n in narrowed if takes_address(n, props.get(n))]
    if len(names) < 2:  # most tools: no street read at all
        return narrowed
    streets = addresses_in(text)
    if not streets or len(streets) >= len(names):
        return narrowed
    if any(narrowed[n].get("enum") != streets for n in names):
        return narrowed
    return {**narrowed, **{n: {**narrowed[n], "enum": address_values(text)} for n in names}}


def _written_after(word: str, value: str, text: str) -> bool:
    """Whether `text` writes `value` right after `word` ("from Union Square", "to the Golden Gate")."""
    if not re.search(r"[A-Za-z]", value):
        return False  # a date or a number is no place ("from today to 2027-06-30")
    return re.search(rf"\b{word}\s+(?:the\s+)?{re.escape(value)}(?!\w)", text, re.IGNORECASE) is not None


# places people go to by a common noun rather than a name
_PLACE_NOUNS = (
    r"airport|(?:train |bus |gas |petrol |railway |subway |metro |police |fire )?station|hospital|office|school|"
    r"university|mall|shopping (?:centre|center|mall)|supermarket|grocery store|gym|hotel|beach|park|museum|library|"
    r"stadium|pharmacy|harbou?r|city cent(?:er|re)|restaurant|cinema|zoo|post office|bank|market"
)
_PLACE = re.compile(
    rf"\b(?:to|at|near|for)\s+((?:the|my|our|a)\s+(?:nearest\s+|closest\s+)?(?:{_PLACE_NOUNS}))\b"
    r"|\b(?:to|me|go|get|head|heading|drive|walk)\s+(home|work|downtown)\b",
    re.IGNORECASE,
)


def places_for(name: str, schema: dict, text: str) -> list[str]:
    """`names_for`, and for a parameter that takes where a trip goes (`end_of_trip`, a destination or
    place) the places `text` goes to by a common noun: "the airport" of "Take me to the airport", "home"."""
    names = names_for(name, schema, text)
    words = parameter_words(name, schema)
    if end_of_trip(name) != "end" and not re.search(r"\b(?:destination|place)s?\b", words):
        return names
    found = [re.sub(r"^the\s+", "", m.group(1) or m.group(2), flags=re.IGNORECASE) for m in _PLACE.finditer(text)]
    return list(dict.fromkeys([*names, *found]))

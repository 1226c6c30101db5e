"""Where a request goes from and to: the places a parameter that takes an address may copy (street
addresses and named places, `address_values`), and, for a tool with a parameter for each end of a
trip (pickup and dropoff, origin and destination), the value written after "from" for its start and
after "to" for its end (`directed_ends`; `directed_choices` where the ends are enums); a place to go
to or come from that is no name ("the airport", "home") and a name with its number ("Pier 39"):
`places_for`; a lone city or country beside other free strings keeps the well-known places
(`well_known_places`)."""

from __future__ import annotations

import re
from functools import cache

from .dates import dated
from .enum_names import enum_pattern, named_in, spelled_in
from .literals import addresses_in, takes_address
from .values import NAME_WORD, names_a_thing, parameter_words, places, pool_name, resources
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
        # a place's name copied (not an enum's value, nor a time: `pickup_time` is no end of the trip)
        copied = isinstance(schema, dict) and "enum" not in own and schema.get("type") == "string" and not dated(own)
        if copied and isinstance(schema.get("enum"), list) and (end := end_of_trip(name)):
            ends[end].append(name)
    if len(ends["start"]) != 1 or len(ends["end"]) != 1:
        return narrowed
    if not re.search(r"\bfrom\s", text, re.IGNORECASE):
        given = _given_first(ends["start"][0], ends["end"][0], narrowed, text)
        return given if given is not narrowed else _to_only(ends["start"][0], ends["end"][0], narrowed, text)
    if len(re.findall(r"\bfrom\s", text, re.IGNORECASE)) != 1:
        return narrowed
    out = dict(narrowed)
    for end, word in (("start", "from"), ("end", "to")):
        name = ends[end][0]
        # an address may be a street's or a named place's: "from 10 Downing Street to King's Cross Station"
        offered = [*narrowed[name]["enum"], *(address_values(text) if takes_address(name, props[name]) else [])]
        offered += common_places(text, end)  # "from the airport to 221 Baker Street": the airport
        if len(after := _places_after(word, offered, text)) == 1:
            out[name] = {**narrowed[name], "enum": after}
    return out


def directed_choices(props: dict, narrowed: dict, text: str) -> dict:
    """`narrowed` where a tool has one enum parameter for the start of a trip and one for its end: the
    value the text writes after "from" is the start's, the one after "to" the end's ("from harbourtown
    to port mellow": `harbourtown`, `port_mellow`); with an end written after "to" and no start written
    after a single "from", the start is offered the other values ("three adults to gull island")."""
    ends = {end: [n for n, p in props.items() if isinstance(p, dict) and isinstance(p.get("enum"), list)
                  and end_of_trip(n) == end] for end in ("start", "end")}  # fmt: skip
    if len(ends["start"]) != 1 or len(ends["end"]) != 1 or len(re.findall(r"\bfrom\s", text, re.IGNORECASE)) > 1:
        return narrowed
    start, end = ends["start"][0], ends["end"][0]
    src, dst = _choices_after("from", props[start]["enum"], text), _choices_after("to", props[end]["enum"], text)
    out = dict(narrowed)
    for name, after in ((start, src), (end, dst)):
        if len(after) == 1:
            out[name] = {**narrowed.get(name, props[name]), "enum": after}
    if len(dst) == 1 and not src and start in narrowed:
        others = [v for v in props[start]["enum"] if v != dst[0]]
        rest = [v for v in narrowed[start].get("enum", ()) if v != dst[0]] or spelled_in(others, text) or others
        out[start] = {**narrowed[start], "enum": rest}  # the other values named, misspelt, or all others
    return out


def ends_named(props: dict, required: list, text: str) -> bool:
    """Whether `text` names two values for a tool whose trip's two ends are required enums ("What is there
    to do on Gull Island?" names one: no fare from Gull Island to Gull Island); True for any other tool."""
    ends = [n for n in required if isinstance(props.get(n), dict) and isinstance(props[n].get("enum"), list)
            and end_of_trip(n)]  # fmt: skip
    if sorted(end_of_trip(n) for n in ends) != ["end", "start"]:
        return True
    named = {v for n in ends for v in named_in([e for e in props[n]["enum"] if isinstance(e, str)], text)}
    return len(named) >= 2


def _choices_after(word: str, values: list, text: str) -> list:
    """The enum `values` `text` names right after `word` ("from", "to"), as `enum_names` reads a name."""
    found = []
    for m in re.finditer(rf"\b{word}\s+(?:the\s+)?", text, re.IGNORECASE):
        found += [v for v in values if isinstance(v, str) and v and enum_pattern(v).match(text, m.end())]
    return list(dict.fromkeys(found))


def _to_only(start: str, end: str, narrowed: dict, text: str) -> dict:
    """`narrowed` where the text writes one value offered to the end after "to" or "into" and no
    "from": that value is the end, the others the start ("a ride to Lakeshore Library, I'm at 300
    King Street", "Move Desktop/a.pdf into Documents/Taxes")."""
    after = _places_after("to", narrowed[end]["enum"], text) or _places_after("into", narrowed[end]["enum"], text)
    rest = [v for v in narrowed[start]["enum"] if after and v != after[0]]
    if len(after) != 1 or not rest:
        return narrowed
    return {**narrowed, start: {**narrowed[start], "enum": rest}, end: {**narrowed[end], "enum": after}}


# what a conversion is given, where it says no "from": "If it's 09:00 in London, what time is it in ...?"
_GIVEN_IN = re.compile(r"\bit(?:['’]s| is)\s+(?:\d[\d:.]*\s*(?:[ap]\.?m\.?)?|noon|midnight)\s+in\s+", re.IGNORECASE)


def _given_first(start: str, end: str, narrowed: dict, text: str) -> dict:
    """`narrowed` where the text says what holds at one place ("it's 8:00 in Paris"): that place is
    the conversion's start, the other places offered its end."""
    at = [v for v in narrowed[start]["enum"] if any(text.startswith(v, m.end()) for m in _GIVEN_IN.finditer(text))]
    rest = [v for v in narrowed[end]["enum"] if v not in at]
    if len(at) != 1 or not rest:
        return narrowed
    return {**narrowed, start: {**narrowed[start], "enum": at}, end: {**narrowed[end], "enum": rest}}


def _places_after(word: str, offered: list[str], text: str) -> list[str]:
    """The values of `offered` that `text` writes right after `word` ("from", "to"), less those that
    run on over the trip's other end ("stadium to Pier"); of several, the places it names ("New
    York", "Pier 39", "the airport"), not words that go on after one ("New York time")."""
    after = [v for v in dict.fromkeys(offered) if _written_after(word, v, text)]
    after = [v for v in after if not re.search(r"\b(?:from|to)\b", v, re.IGNORECASE)]
    if len(after) > 1:
        known = {*(_with_number(n, text) for n in address_values(text)), *common_places(text, "start")}
        known |= set(common_places(text, "end"))
        after = [v for v in after if v in known] or after
    return after


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
    rf"\b(?P<way>to|from|at|near|for)\s+(?P<place>(?:the|my|our|a)\s+(?:nearest\s+|closest\s+)?(?:{_PLACE_NOUNS}))\b"
    r"|\b(?P<goes>to|from|me|go|get|head|heading|drive|walk)\s+(?P<spot>home|work|downtown)\b",
    re.IGNORECASE,
)


# a place's number after its name ("Pier 39", "Terminal 2"), the name's clause ending after it ("Paris 3 days": no)
_NAME_ENDS = r"at|to|from|for|on|in|near|by|with|and|or|then|please|now|tonight|today|tomorrow"
_PLACE_NUMBER = rf" (\d{{1,3}}[A-Z]?)(?=\s*(?:[.,;:!?)](?!\d)|$|(?:{_NAME_ENDS})\b))"


def places_for(name: str, schema: dict, text: str) -> list[str]:
    """`names_for`, and for a parameter that takes either end of a trip (`end_of_trip`) or a
    destination, place or location, each with the number written after it ("Pier 39") and the places `text`
    goes to or from by a common noun: "the airport" of "Take me to the airport", "home"."""
    names = names_for(name, schema, text)
    words = parameter_words(name, schema)
    if end_of_trip(name) is None and not re.search(r"\b(?:destination|place|location)s?\b", words):
        return names
    numbered = [_with_number(n, text) for n in names]
    return list(dict.fromkeys([*numbered, *common_places(text, end_of_trip(name))]))


def common_places(text: str, end: str | None = None) -> list[str]:
    """The places `text` goes to by a common noun ("to the airport": airport; "go home"), or, for
    the `end` "start" of a trip, comes from ("from the airport")."""
    # "my office in Palo Alto": the trip's end is Palo Alto
    found = [m for m in _PLACE.finditer(text) if ((m["way"] or m["goes"]).lower() == "from") == (end == "start")
             and not re.match(r"\s+in\s+[A-Z]", text[m.end() :])]  # fmt: skip
    return [re.sub(r"^the\s+", "", m["place"] or m["spot"], flags=re.IGNORECASE) for m in found]


def _with_number(name: str, text: str) -> str:
    """`name` with the number `text` writes right after it where that ends the name's clause."""
    m = re.search(rf"(?<![\w'-]){re.escape(name)}{_PLACE_NUMBER}", text)
    return f"{name} {m.group(1)}" if m else name


def well_known_places(props: dict, narrowed: dict) -> dict:
    """A tool's only place parameter (a city or a country), beside a free string of another kind (a
    title, a name) that may take the other names, keeps the well-known places among the names it was
    offered, where there are any ("the movie Oppenheimer in Dublin": Dublin is the city, Oppenheimer the title)."""
    kinds = ("city", "country")
    at = [n for n, p in props.items() if names_a_thing(n, p) and pool_name(n, p) in kinds]
    if len(at) != 1 or not isinstance(narrowed.get(at[0]), dict) or not narrowed[at[0]].get("enum"):
        return narrowed
    free = [n for n, p in props.items() if isinstance(p, dict) and p.get("type") == "string"
            and not any(k in p for k in ("enum", "const", "format", "pattern"))]  # fmt: skip
    if not any(n != at[0] and pool_name(n, props[n]) not in kinds for n in free):
        return narrowed  # the names are all the place's to take ("here and in Chennai or Paris")
    # a location, not a city, may be a place in one: "at Lisbon Airport" is Lisbon Airport (and Lisbon)
    within = re.search(r"\b(?:location|place|where|spot)\b", parameter_words(at[0], props[at[0]]))
    known = [v for v in narrowed[at[0]]["enum"] if isinstance(v, str)
             and (v.split(",")[0] in _well_known() or within and v.split(" ")[0] in _well_known())]  # fmt: skip
    return {**narrowed, at[0]: {**narrowed[at[0]], "enum": known}} if known else narrowed


@cache
def _well_known() -> frozenset[str]:
    """The shipped cities and countries (`values.places` and the pools)."""
    pools = resources()["pools"]
    countries = {p["country"] for p in places().values()}
    return frozenset([*places(), *countries, *pools["city"], *pools["country"]])

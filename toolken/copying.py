"""Arguments copied from the question (`GenerationConfig(arguments="copy")`): the values a text offers
a tool's parameters (numbers and percentages, dates, names of things, links, runs of words), each
free number or string of a schema narrowed to them (`copy_schema`, which `toolken.grammar` compiles;
strings are read in `toolken.copied_strings`); whether a tool's required values are there at all is
in `toolken.gate`; what the next call of a turn may take is in `toolken.next_call`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .asked import (
    claimed,
    copied_number,
    count_words,
    counted_nouns,
    counting_numbers,
    example_written,
    more_said,
    optional_asked,
    own_counts,
    required_numbers,
    said_value,
    singular,
    spare_numbers,
    word_stems,
)
from .choices import as_described, closed_choices
from .copied_strings import LISTED, kind_or_maker, narrowed_string
from .currencies import currencies_in, takes_currency
from .dates import date_format, dated, datetime_format, days_apart, takes_delay, time_format, without_dates
from .enum_names import echoed_in, enum_pattern, named_in, nothing_said, spelled_in, without_enum_numbers
from .enumerations import (
    choice_items,
    choice_lists,
    described_choices,
    lists_kept_apart,
    named_choices,
    number_lists_in,
    sized,
)
from .expressions import takes_expression, without_expressions
from .free_strings import (
    free_spans,
    free_string_items,
    is_free_string,
    narrowed_words,
    takes_specific,
)
from .literals import literal_kind, takes_address, without_addresses, without_literals
from .makers import people_named, titles_in
from .notations import notation_values, takes_fractions, without_fractions
from .numerals import numbers_in
from .polynomials import coefficients_for
from .purposes import purposes_in
from .readings import implied, in_own_unit, read_for
from .routes import directed_choices, directed_ends, ends_offered_places, well_known_places
from .shapes import without_shaped
from .switches import said_boolean, without_switch_words
from .values import (
    QUOTED_RE,
    ways_of,
)
from .written import spans_in


def _narrow_enum(name: str, schema: dict, text: str, required: set[str], numbers: list[float | int]) -> dict | None:
    """An enum parameter limited to the values the text names, a number among `numbers` (those the
    text writes that this parameter may take: "20" for sides 4 ... 20); an optional one the text
    names no value of is left out (its default applies instead of a value the question never asked for)."""
    named = list(dict.fromkeys(named_in(schema["enum"], text) + described_choices(name, schema, text)))
    named = [v for v in named if not _refused(v, text)] or named  # "the printed book, not the ebook"
    named = named or spelled_in(schema["enum"], text) or nothing_said(name, schema["enum"], text)  # "no insurance"
    named += [v for v in schema["enum"] if isinstance(v, (int, float)) and not isinstance(v, bool) and v in numbers]
    if named:
        return {**schema, "enum": named}
    if name in required and (echoed := echoed_in(schema["enum"], text)):
        return {**schema, "enum": echoed}  # "I don't need it anymore": "no longer needed"
    return schema if name in required else None


_QUANTIFIERS = frozenset(["any"])  # a value that is a word of any question too ("all" may be the choice: "all roots")


def _without_quantifiers(schema: object) -> object:
    """A string's offered values less "any" where it is offered others ("any vaccination appointments
    with Dr Olsen": Olsen): there it is a word of the sentence, not a choice."""
    if not (isinstance(schema, dict) and isinstance(schema.get("enum"), list)):
        return schema
    kept = [v for v in schema["enum"] if not (isinstance(v, str) and v.lower() in _QUANTIFIERS)]
    return {**schema, "enum": kept} if kept else schema


def unlisted(schema: object, offered: object) -> bool:
    """Whether a string's function listed the values it takes (`copied_strings.LISTED`) and the values
    copying offers it (`offered`, its copy schema) hold none of them: "UK" of "delivery within the UK"
    for a coffee's origin (where "Italian reds" offers the listed "Italy")."""
    if not (isinstance(schema, dict) and schema.get(LISTED) and isinstance(offered, dict)):
        return False
    listed = {str(e).strip(" '\"[]()").lower() for e in schema.get("examples") or ()}  # "Priya (" as "priya"
    return not any(str(v).lower() in listed for v in offered.get("enum") or ())


_NOT = re.compile(r"(?:\bnot|\bno|n't\s+want)\s+(?:the\s+|a\s+|an\s+|any\s+)?$", re.IGNORECASE)


def _refused(value: object, text: str) -> bool:
    """Whether every time `text` names the enum `value` it says no to it ("not the ebook")."""
    found = list(enum_pattern(value).finditer(text)) if isinstance(value, str) and value else []
    return bool(found) and all(_NOT.search(text[: m.start()]) for m in found)


def within(value: float, schema: dict) -> bool:
    """Whether `value` keeps the schema's bounds (a copied number the schema refuses is no candidate)."""
    low, high = schema.get("minimum"), schema.get("maximum")
    low_x, high_x = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    return not any((low is not None and value < low, high is not None and value > high,
                    low_x is not None and value <= low_x, high_x is not None and value >= high_x))  # fmt: skip


@dataclass
class Read:
    """What `copy_schema` reads from the question once, for every parameter."""

    text: str
    plain: str  # without an expression's or a street address's numbers, where the tool takes one
    numbers: list[float | int]
    spans: list[str]
    spare: bool  # more numbers written than the required number parameters take
    stems: set[str]
    required: set[str]
    lists: bool = False  # the tool takes a list of free strings: "Bob and Carol" are its items
    timed: bool = False  # the tool takes a date, a time of day or a delay: one written is that one's
    marked: bool = False  # the schema says which are required, if none ("required": [], a function's defaults)
    past: bool = False  # the tool looks back (`dates.looks_back`): a day without its year is the last one
    things: frozenset[str] = frozenset()  # words a required free string may copy: what a count may count
    labels: frozenset[str] = frozenset()  # words of the parameters' names: "Owner name is ..." labels, names no one

    def optional(self, name: str) -> bool:
        """Whether the schema marks `name` optional (one that marks nothing required marks nothing optional)."""
        return (bool(self.required) or self.marked) and name not in self.required


def copy_schema(parameters: dict, text: str, past: bool = False) -> dict:
    """`parameters` with each free number or string narrowed to the values `text` writes (an `enum`),
    where it writes any: the model then copies arguments from the question instead of misspelling
    them (a math expression whole, in Python's notation: `expressions.expressions_in`). An enum keeps the
    values the text names (an optional one naming none is dropped); beside required parameters, an
    optional free number, string or boolean the text gives no value of its own is dropped too
    (`_optional_asked`; a schema with no `required` marks nothing optional), and one whose
    value the text says (`said_value`), or, in a tool that requires no number, the one optional number
    offered a number, is required. Parameters of another type, or with no candidate in
    the text, stay as they are. With `past`, a day written without its year is the last one, not the
    coming one (`dates.looks_back`)."""
    props, required = parameters.get("properties", {}), set(parameters.get("required", []))
    # the numbers of "3x^2 + 2x - 1" are the expression's, where the tool takes one
    plain = without_expressions(text) if any(takes_expression(n, p) for n, p in props.items()) else text
    # nor are the numbers of a street address ("2150 Shattuck Ave"), where the tool takes one
    plain = without_addresses(plain) if any(takes_address(n, p) for n, p in props.items()) else plain
    # nor are a phone number's ("text 555-0142 that I'm 10 minutes late": 10 alone), an IP address's or a ZIP code's
    for kind in {literal_kind(n, p) for n, p in props.items()} & {"phone", "ip", "host", "zip"}:
        plain = without_literals(kind, plain)
    # nor are a fraction's, where the tool reads one as a number ("1/125 s": 0.008, not 1 and 125)
    plain = without_fractions(plain) if any(takes_fractions(p) for p in props.values()) else plain
    # nor are a date's or a time's, where the tool takes one ("2 tickets on 2023-04-22": not 2023 tickets)
    timed = any(dated(p) for p in props.values())
    plain = without_dates(plain) if timed else days_apart(props, plain)
    timed = timed or any(takes_delay(n, p) for n, p in props.items())
    plain = without_enum_numbers(props, plain)  # nor are a choice's ("3 tickets in 3D": 3 tickets)
    plain = without_shaped(props, plain)  # nor a shaped value's ("30 booklets on recycled 100gsm": 30)
    spans = free_spans(props, required, text, spans_in(text))
    lists = any(isinstance(p, dict) and p.get("type") == "array" and free_string_items(p) for p in props.values())
    # what a count may count: the words a required free string copies, the tool's choices ("two fillings")
    free = any(is_free_string(n, props.get(n)) for n in required)
    choices = [v for p in props.values() if isinstance(p, dict) for v in p.get("enum") or () if isinstance(v, str)]
    # ... but what a count's name counts ("2 adults" is no quantity of a free string's thing)
    numbers = [n for n, p in props.items() if isinstance(p, dict) and p.get("type") in ("integer", "number")]
    numbers = [n for n in numbers if counted_nouns(n, props[n]) is not None]  # "Number of adults", not "time"
    owned = {w for n in numbers for w in count_words(n)}
    things = frozenset(w.lower() for s in (spans if free else []) + choices for w in s.split())
    things = frozenset(w for w in things if singular(w) not in owned)
    read = Read(text, plain, numbers_in(plain), spans, spare_numbers(props, required, plain), word_stems(text),
                required, lists, timed, "required" in parameters, past, things,
                labels=word_stems(" ".join(props)))  # fmt: skip
    narrowed = {name: n for name, schema in props.items() if (n := _narrowed(name, schema, read)) is not None}
    narrowed = {name: _without_quantifiers(n) for name, n in narrowed.items()}  # "any morning pilates": pilates
    narrowed = {n: p for n, p in narrowed.items() if n in required or not unlisted(props[n], p)}  # "within the UK"
    narrowed = without_switch_words(props, well_known_places(props, _in_turn(props, narrowed)), text)
    narrowed = directed_ends(props, ends_offered_places(props, narrowed, text), text)  # "from Union Square to ..."
    narrowed = directed_choices(props, narrowed, text)  # "from harbourtown to port mellow"
    # a polynomial's coefficients, each by its term's degree ("x^2 - 5x + 6": 1, -5 and 6)
    narrowed.update({n: {**narrowed[n], "enum": c} for n, c in coefficients_for(props, text).items() if n in narrowed})
    said = [n for n, p in narrowed.items() if n not in required and said_value(n, p, props[n], text)]
    said += people_named(props, narrowed, required)  # "Does Dr. Okonkwo have anything open?"
    quoted = _quoted_for(props, narrowed, required, text)  # 'a cake that says "Happy Birthday Mia"': its message
    narrowed.update(quoted)
    said += list(quoted)
    # an optional count offered a number written before what it counts takes it ("two club sandwiches")
    counts = {n: c for n, p in narrowed.items() if n not in required and copied_number(p)
              and (c := counting_numbers(n, props[n], p["enum"], plain, things))}  # fmt: skip
    counts = own_counts(counts, plain, props, numbers)  # "4 adults": adults, not seniors ("people aged 65 or older")
    narrowed.update({n: {**narrowed[n], "enum": c} for n, c in counts.items()})
    said += list(counts)
    narrowed = _counted_apart(narrowed, counts, required | set(said), read)
    said = [n for n in dict.fromkeys(said) if not claimed(narrowed[n], narrowed, required, plain)]
    # a count said without a number is written ("me and my wife": 2 people), whatever else writes 2
    said += [n for n, p in narrowed.items() if n not in required and copied_number(p) and any(implied(n, text))]
    # a tool that requires no number: a number written is its one optional number's ("2 business class
    # seats"); beside a required number, another may be the next step's ("the log of 1000, plus 5")
    spare = [n for n, p in narrowed.items() if read.optional(n) and read.spare and copied_number(p)]
    said += spare if len(spare) == 1 and not required_numbers(props, required) else []
    if said:  # a value the question says an optional parameter has is written, not left to its default
        parameters = {**parameters, "required": list(dict.fromkeys([*parameters.get("required", []), *said]))}
    return {**parameters, "properties": lists_kept_apart(_numbers_apart(props, narrowed, required), required)}


def _quoted_for(props: dict, narrowed: dict, required: set[str], text: str) -> dict:
    """The tool's one string (no enum), where it is a free one, optional, and the question quotes one
    text that is no identifier and no value another parameter takes ("the topic of 'trading'"): that
    text, as its copy schema ('a cake that says "Happy Birthday Mia"'); else nothing."""
    strings = [n for n, p in props.items() if isinstance(p, dict) and p.get("type") == "string" and "enum" not in p]
    free = [n for n in strings if is_free_string(n, props[n])]
    quoted = [a or b for a, b in QUOTED_RE.findall(text)]
    if len(strings) != 1 or len(free) != 1 or free[0] in required or len(quoted) != 1 or "_" in quoted[0]:
        return {}
    taken = [v for n, p in narrowed.items() if n != free[0] and isinstance(p, dict) for v in p.get("enum") or ()]
    if any(isinstance(v, str) and v.lower().replace("_", " ") == quoted[0].lower() for v in taken):
        return {}
    return {free[0]: {**props[free[0]], "enum": quoted}}


def _counted_apart(narrowed: dict, counts: dict, kept: set[str], read: Read) -> dict:
    """`narrowed` without the optional numbers (not `kept`) every value of which a count takes by what it counts
    ("2 adults": no children), where the text writes them no more often and not the number's own name
    ("one person, with shoe rental" may still rent 1 pair of `shoes`)."""
    written = [json.dumps(v) for v in read.numbers]  # the numbers `copy_schema` read, not read again
    taken = [json.dumps(v) for c in counts.values() for v in c]

    def counted_away(name: str, schema: dict) -> bool:
        values = [json.dumps(v) for v in schema["enum"]]
        own = {singular(w.lower()) for w in re.findall(r"[A-Za-z]{3,}", name)} & read.stems
        return not own and all(0 < taken.count(v) >= written.count(v) for v in values)

    return {n: p for n, p in narrowed.items()
            if n in kept or n in counts or not copied_number(p) or not counted_away(n, p)}  # fmt: skip


def _numbers_apart(props: dict, narrowed: dict, required: set[str]) -> dict:
    """`narrowed` with a free string's bare numbers left to the required number that can only take
    that one ("a chess fan, budget 100": the interest is no "100"), where the string has words to take."""
    taken = {
        str(p["enum"][0]) for n, p in narrowed.items() if n in required and copied_number(p) and len(p["enum"]) == 1
    }
    out = dict(narrowed)
    for n, p in narrowed.items():
        if taken and is_free_string(n, props.get(n)) and isinstance(p, dict) and isinstance(p.get("enum"), list):
            kept = [v for v in p["enum"] if str(v) not in taken]
            out[n] = {**p, "enum": kept} if kept else p
    return out


def _in_turn(props: dict, narrowed: dict) -> dict:
    """Two or more date (or time) parameters of one call take the dates the question writes in turn,
    where it writes a multiple of their count: "from March 10 to March 20" gives the check-in the
    first and the check-out the second ("..., and from April 5 to April 15": the third and fourth)."""
    for layout in (date_format, time_format, datetime_format):
        names = [n for n, p in props.items() if isinstance(p, dict) and layout(p) and "enum" in narrowed.get(n, {})]
        values = narrowed[names[0]]["enum"] if names else []
        if len(names) > 1 and len(values) % len(names) == 0 and all(narrowed[n]["enum"] == values for n in names):
            narrowed.update({n: {**narrowed[n], "enum": values[k :: len(names)]} for k, n in enumerate(names)})
    return narrowed


def _narrowed(name: str, schema: object, r: Read) -> object | None:
    """One parameter's schema narrowed to the values the question writes; None: left out of the call."""
    if not isinstance(schema, dict) or "const" in schema:
        return schema
    if (ways := ways_of(schema)) is not None:  # each way narrowed but null; none left: left out
        kept = [w if w.get("type") == "null" else _narrowed(name, w, r) for w in ways]
        kept = [w for w in kept if w is not None]
        return {"anyOf": kept} if any(isinstance(w, dict) and w.get("type") != "null" for w in kept) else None
    kinds = schema.get("type")
    if isinstance(kinds, list) and len(kinds := [k for k in kinds if k != "null"]) == 1:
        schema = {**schema, "type": kinds[0]}  # `["integer", "null"]`: an integer, when the text writes one
    if choices := closed_choices(schema):  # "One of travel, meals or supplies." reads as an enum
        schema = {**schema, "enum": choices}
    schema = as_described(name, schema)  # "The last four digits of the card": "4821", never "card"; "1 to 3"
    kind = schema.get("type")
    said = said_boolean(name, r.text, schema) if kind == "boolean" else None
    free = kind in ("number", "integer", "boolean") or (kind == "string" and not takes_specific(name, schema))
    if free and r.optional(name) and "enum" not in schema:
        asked = optional_asked(name, schema, r.spare, r.stems) or example_written(schema, r.text)
        asked = asked or (kind == "string" and bool(kind_or_maker(name, r.text, optional=True)))
        asked = asked or (kind == "string" and not r.required and more_said(name, schema, r.stems))
        asked = asked or bool(purposes_in(name, schema, r.text))  # "for a family trip", "about ordering food"
        asked = asked or bool(titles_in(name, schema, r.text))  # "When is Iron Tide playing?" for a `film`
        asked = asked or (takes_currency(name, schema) and bool(currencies_in(r.text)))  # "in euros"
        asked = asked or (kind in ("number", "integer") and in_own_unit(name, schema, r.plain))  # "half an hour"
        asked = asked or (
            kind in ("number", "integer") and bool(counting_numbers(name, schema, r.numbers, r.plain, r.things))
        )
        asked = asked or (kind in ("number", "integer") and bool(implied(name, r.text)))  # "me and my wife": 2
        if not (asked or said is not None):
            return None
    if isinstance(schema.get("enum"), list):
        # a number enum takes a written number where it is not all a required parameter has
        asked = name in r.required or optional_asked(name, {"type": "number"}, r.spare, r.stems)
        return _narrow_enum(name, schema, r.text, r.required, r.numbers if asked else [])
    if "enum" in schema:
        return schema
    if kind == "object" and isinstance(schema.get("properties"), dict):
        return copy_schema(schema, r.text, r.past)  # its fields copied as the call's own are
    items = schema.get("items")
    if kind == "array" and isinstance(items, dict) and isinstance(items.get("properties"), dict):
        return {**schema, "items": copy_schema(items, r.text, r.past)}  # a list of objects: each one's fields so
    if said is not None:
        return {**schema, "enum": [said]}
    if kind in ("number", "integer"):
        # "f/8" for an f-number shown "2.8 for f/2.8", "1/125" for seconds shown "0.004 for 1/250 s"
        fits = notation_values(schema, r.text) or read_for(name, schema, r.plain, r.numbers)
        fits = [v for v in fits if (kind == "number" or isinstance(v, int))]
        fits = [v for v in fits if within(v, schema)]
        if not fits and (r.optional(name) or ("default" in schema and name not in r.required)):
            return None  # "release 2.3" is no count of hours, "a UUID" none at all: left out, never made up
        return {**schema, "enum": fits} if fits else schema
    if kind == "array" and number_items(schema):
        return _narrowed_numbers(name, schema, r)
    if kind == "array" and free_string_items(schema):
        return narrowed_words(name, schema, r.text, r.spans)
    if kind == "array" and choice_items(schema) and (lists := choice_lists(schema, r.text)):
        return {**schema, "enum": lists}  # "grades A, B, B and C": the list whole, repeats kept
    if kind == "array" and choice_items(schema) and (lists := named_choices(schema, r.text)):
        return {**schema, "enum": lists}  # "a large popcorn and a soda": the values named, in turn
    return narrowed_string(name, schema, r)


def _narrowed_numbers(name: str, schema: dict, r: Read) -> dict | None:
    """A list of numbers: a list the text writes, copied whole (`enumerations.number_lists_in`), else
    items of the numbers it writes; an optional one the text writes none for is left out."""
    integers = schema["items"]["type"] == "integer"
    runs = sized(number_lists_in(r.plain), schema)
    if runs := [run for run in runs if not integers or all(isinstance(v, int) for v in run)]:
        return {**schema, "enum": runs}
    fits = [v for v in r.numbers if not integers or isinstance(v, int)]
    if not fits and r.optional(name):
        return None  # never made up
    return {**schema, "items": {**schema["items"], "enum": fits} if fits else schema["items"]}


def number_items(schema: dict) -> bool:
    """Whether a schema is a list of numbers (its items are)."""
    return isinstance(schema.get("items"), dict) and schema["items"].get("type") in ("number", "integer")

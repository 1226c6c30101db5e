"""The calls of a turn of several calls: which values the next call of a tool may copy (the question's
next item after those the previous call took: `next_call_schema`), whether the question lists
another item at all (`list_goes_on`: "the factorial of 5, 10 and 15", "weather in Paris and Rome"),
and which the turn's first call may (a list's first item, `first_items`; its first request's values,
`first_values`)."""

from __future__ import annotations

import json
import re
from typing import Any

from .numerals import CURRENCY, NUMBER_RE
from .positions import first_at, places, value_end
from .tuples import together, tuple_again


def _key(value: Any) -> str:
    """A value as compared with those a call took: a string whatever its case and closing dot
    ("Washington D.C" is "Washington D.C.")."""
    return json.dumps(value.rstrip(".").casefold() if isinstance(value, str) else value)


def next_call_schema(schema: dict, previous: dict, text: str) -> dict | None:
    """`schema` (narrowed by `copy_schema`) for the next call of a tool in a turn, after a call of it
    with arguments `previous`: at least one copied value (of a required parameter, where the tool has
    any) moves on to one the text writes after the previous call's value, and the others stay or move
    on too, so that "the factorial of 5, 10 and 15" is called item by item, never the same call again.
    Where the text writes as many numbers again after all of the previous call's ("3 and 4, 5 and 12"),
    they all move on together; where it pairs its lists "respectively" ("Taylor Swift and Maroon 5 for
    20 and 15 minutes respectively"), each to its own next item. None when no copied value can move
    on: the turn has no next call of it."""
    props = schema.get("properties", {})
    written = _written_at(previous, text)
    later, ends = _later(schema, previous, text, written)
    moved = together(later, ends, previous, text, written)
    # a value written once for every call ("use the metric system for all") stays
    stay = {q: {**props[q], "enum": [previous[q]]} for q in later if not later[q]}
    if moved is not None:
        return {**schema, "properties": {**props, **stay, **{q: {**props[q], "enum": v} for q, v in moved.items()}}}
    # the next item of a list, the nearest later value: 10 after 5 in "5, 10 and 15"
    nearest = {q: min(v, key=lambda x: (first_at(x, text, ends[q]), -len(str(x)))) for q, v in later.items() if v}
    if len(nearest) > 1 and RESPECTIVELY.search(text):
        return {**schema, "properties": {**props, **stay, **{q: {**props[q], "enum": [v]} for q, v in nearest.items()}}}
    variants = []
    for name, values in later.items():
        if values:
            kept = {q: {**props[q], "enum": [previous[q], *later[q]]} for q in later if q != name}
            moved = [nearest[name]] if not isinstance(nearest[name], str) else values
            variants.append({**schema, "properties": {**props, **kept, name: {**props[name], "enum": moved}}})
    if not variants:
        return None
    return variants[0] if len(variants) == 1 else {"anyOf": variants}


RESPECTIVELY = re.compile(r"\brespectively\b", re.I)


def _later(schema: dict, previous: dict, text: str, written: dict[str, int]) -> tuple[dict[str, list], dict[str, int]]:
    """For each parameter the previous call gave a copied value (`previous`; `schema` narrowed by
    `copy_schema`; `written`: where the text writes each, `_written_at`): the values the text writes
    after it that may follow it, and where it ends."""
    props, required = schema.get("properties", {}), set(schema.get("required", []))
    # a value the previous call gave any parameter is no next item (base 10, height 5: not 5 next)
    taken = {_key(v) for v in previous.values()}
    later, ends = {}, {}
    for name, p in props.items():
        enum = p.get("enum") if isinstance(p, dict) else None
        if enum and name in previous and previous[name] in enum:
            at = written.get(name, -1)  # a later value starts after the previous one ends
            ends[name] = value_end(previous[name], text, at) if at >= 0 else 0
            later[name] = [
                v for v in enum
                if _key(v) not in taken and first_at(v, text, ends[name]) >= 0 and _same_form(v, previous[name])
            ]  # fmt: skip
            # an optional value moves on only to the next item of its own list ("copper and aluminum"),
            # never alone to any later word ("unit": "units", then "height")
            if required and name not in required:
                later[name] = [v for v in later[name] if _listed_after(v, text, ends[name])]
    return later, ends


def _written_at(previous: dict, text: str) -> dict[str, int]:
    """Where `text` writes each of a call's values: a value written once there, one written more often
    where it is nearest those written once ("The fourth house is in Miami, with 3 bedrooms": that 3,
    not the first house's); else where it is written as an item of a list (`listed_at`)."""
    places_of = {q: places(v, text) for q, v in previous.items() if not isinstance(v, bool)}
    anchors = [p[0] for p in places_of.values() if len(p) == 1]
    if not anchors:
        return {q: listed_at(previous[q], text) for q in places_of}
    centre = sum(anchors) / len(anchors)
    # not where another value is written once ("5%" is the rate's, in "5% for 1,5 and 10 years")
    free = {q: [at for at in p if len(p) == 1 or at not in anchors] or p for q, p in places_of.items()}
    return {q: min(p, key=lambda at: abs(at - centre)) if p else -1 for q, p in free.items()}


def tuple_follows(schema: dict, previous: dict, text: str) -> str | None:
    """The words between all the values a call took (`previous`; `schema` narrowed by `copy_schema`)
    and a new value for each of two or more of its parameters that the text writes after them in the
    order the call's were written ("He invested $5000 ... at 7% for 5 years. On the other hand, he
    invested $8000 ... at 5% for 7 years": ". On the other hand, he invested $"); None where it
    writes none."""
    written = _written_at(previous, text)
    later, ends = _later(schema, previous, text, written)
    moved = together(later, ends, previous, text, written)
    last = max((ends[q] for q in moved or ()), default=0)
    if moved is None or tuple_again(previous, moved, text, last, written) is None:
        return None
    return text[last : min(first_at(v, text, last) for values in moved.values() for v in values)]


LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and|or)\s+|,\s*|\s+(?:and|or|&)\s+)")  # "5, 10 and 15"; "Paris or Rome"


def list_goes_on(schema: dict, previous: dict, used: list[dict], text: str) -> bool:
    """Whether `text` lists another value of a parameter right after the one a call took (`previous`,
    its arguments; `schema` narrowed by `copy_schema`): "5, 10 and 15" after 5 or 10, "Paris and Rome"
    after Paris; a value some call of the turn (`used`) already took is no next item (in "add 5 and
    3", 3 is the other operand). A string must be capitalised as the previous one, and a list of
    strings must end with "and" or "or" ("Paris, Rome and Berlin"): "Tel Aviv, Israel" or "Berkeley,
    CA" is one place."""
    props = schema.get("properties", {})
    taken = {_key(v) for args in [previous, *used] for v in args.values()}
    for name, value in previous.items():
        enum = props.get(name, {}).get("enum") if isinstance(props.get(name), dict) else None
        for at in places(value, text) if enum and value in enum else ():
            if _goes_on_at(props, previous, name, taken, text, at):
                return True
    return False


def _goes_on_at(props: dict, previous: dict, name: str, taken: set[str], text: str, at: int) -> bool:
    """Whether the list goes on after the previous call's value of `name` written at `at`
    (`list_goes_on`): with another value of `name`, or a next tuple of the call's other values."""
    value, enum = previous[name], props[name]["enum"]
    end = value_end(value, text, at)
    listed = not isinstance(value, str) or _ends_with_and(text[end:], value) or _shared_word_list(value, text, end)
    others = {k: v for k, v in previous.items() if k != name}
    # a word that names a parameter starts the next key, not the next item ("'main_db', username is ...")
    keys = {w for n in props for w in re.split(r"[\W_]+", n.lower()) if w}
    for rest in (text[start:] for start in _item_starts(value, text, at)):
        item = rest[len(m.group(0)) :] if (m := _ARTICLE.match(rest)) else rest  # "a Vegan Salad recipe"
        for v in enum if listed else ():
            if _key(v) in taken or (isinstance(v, str) and v.split(" ")[0].lower().strip("'\"") in keys):
                continue
            if isinstance(v, str) and _extends_taken(v, taken):
                continue  # "lisinopril interact" after lisinopril was taken: the same item, not a next one
            if isinstance(v, str) and isinstance(value, str):
                if item.startswith(v) and v[:1].isupper() == value[:1].isupper():
                    return True
            elif not isinstance(v, str) and first_at(v, rest) == 0:
                return True
        if _next_tuple(props, others, taken, rest, text):
            return True
    return False


_ARTICLE = re.compile(r"(?:an?|the)\s+(?=[A-Z])")  # "a Vegan Salad recipe": the item starts after it
_JOIN = re.compile(r"\)?" + LIST_JOIN.pattern + r"\(?")  # also around parentheses: "(45, 60) and (81, 27)"
_UNIT_AFTER = re.compile(r"\s?([A-Za-z]+)\b\.?")  # "5cm", "10 years"
# the words right before a value: "the factorial of ", "the SNP ID '"
_LEAD = re.compile(r"((?:[A-Za-z]+\s+){1,3})[\"']?$")


def _item_starts(value: Any, text: str, at: int) -> list[int]:
    """Where a list's next item may start after `value` written at `at`: after a list join (also
    around parentheses), past a unit both items carry ("10 years and 20 years", "5cm, ... 10cm"), and
    past the words that led to the value, written again ("the factorial of 5, the factorial of 7";
    "the first circle has a radius of 5cm, the second circle has a radius of 10cm"); none where no
    list goes on."""
    end = value_end(value, text, at)
    unit = _UNIT_AFTER.match(text, end)  # a number's unit, or a word after a name ("easy mode")
    lead = _LEAD.search(text, 0, at)
    for after in ([unit.end()] if unit else []) + [end]:
        join = _JOIN.match(text, after)
        if join is None:
            continue
        starts = [join.end()]
        words = lead.group(1).split() if lead else []
        # the words written again, after a few others ("..., the factorial of 7"), or their last ones
        # right after the join ("the length and the width")
        whole = re.escape(" ".join(words))
        ends = "|".join(re.escape(" ".join(words[k:])) for k in range(1, len(words)))
        again = words and re.compile(
            rf"(?:[^,.;:?!()]{{0,60}}?\s)?{whole}\s+" + (rf"|(?:{ends})\s+" if ends else ""), re.I
        ).match(text, join.end())
        starts += [again.end()] if again else []
        starts = [s for s in starts if after == end or _carries(value, unit.group(1), text[s:])]
        if starts:
            return starts
    return []


def _shared_word_list(value: str, text: str, end: int) -> bool:
    """Whether the string `value`, ending at `end`, is followed by a word and a list join, and the next
    item (after an article) is a name that carries the word too: "a Chicken Noodle Soup recipe and a
    Vegan Salad recipe", "stage 7 in easy mode and stage 3 in hard mode"."""
    word = _UNIT_AFTER.match(text, end)
    join = word and _JOIN.match(text, word.end())
    if not join or word.group(1).lower() in ("and", "or"):
        return False
    item = text[join.end() :]
    item = item[len(m.group(0)) :] if (m := _ARTICLE.match(item)) else item
    return item[:1].isupper() == value[:1].isupper() and _carries(value, word.group(1), item)


def _carries(value: Any, word: str, item: str) -> bool:
    """Whether the next `item` of a list carries the unit or word its previous value did: "10 years"
    after "5 years", a number then the unit; "stage 3 in hard mode" after "easy mode", the word a few
    words on."""
    if isinstance(value, str):
        return re.match(rf"[^,.;:?!]{{1,40}}?\s{re.escape(word)}\b", item, re.I) is not None
    return re.match(rf"{CURRENCY}?\s*(?:{NUMBER_RE.pattern})\s?{re.escape(word)}\b", item) is not None


def first_items(schema: dict, text: str) -> dict:
    """`schema` (narrowed by `copy_schema`) for a turn's first call of a tool: a parameter offered the
    items of a list the text writes takes only its first ("weather in Seattle and Los Angeles":
    Seattle; "the factorial of 5, 10 and 15": 5), so the turn's next calls take the next
    (`list_goes_on`). Not where another parameter is offered an item of the list too ("between New
    York and Washington DC", "the GCD of 12 and 18": two values of one call)."""
    props = schema.get("properties", {})
    offered = {q: [json.dumps(v) for v in o.get("enum") or ()] for q, o in props.items() if isinstance(o, dict)}
    narrowed = {}
    for name, p in props.items():
        enum = p.get("enum") if isinstance(p, dict) and "const" not in p else None
        later = {json.dumps(v): _earlier_items(v, enum, text) for v in enum or ()}
        items = {i for v, earlier in later.items() if earlier for i in (v, *map(json.dumps, earlier))}
        others = {v for q, values in offered.items() if q != name for v in values}
        kept = [v for v in enum or () if not later[json.dumps(v)]]
        if items and kept and not items & others:
            narrowed[name] = {**p, "enum": kept}
    return {**schema, "properties": {**props, **narrowed}} if narrowed else schema


def first_values(schema: dict, request: str) -> dict:
    """`schema` (narrowed by `copy_schema` from the whole question) for a turn's first call, where the
    question's first request (`turns.first_request`) gives the tool every value it requires: each
    single value offered that the request writes some of takes only those ("cases filed in 2019.
    Also list those filed in the year 2018": 2019), so a later request's values are left to its own
    call. Lists, and parameters the request writes no value of, stay as offered."""
    props = schema.get("properties", {})
    narrowed = {}
    for name, p in props.items():
        enum = p.get("enum") if isinstance(p, dict) and p.get("type") != "array" else None
        kept = [v for v in enum or () if not isinstance(v, bool) and first_at(v, request) >= 0]
        if kept and len(kept) < len(enum):
            narrowed[name] = {**p, "enum": kept}
    return {**schema, "properties": {**props, **narrowed}} if narrowed else schema


_JOIN_BEFORE = re.compile(LIST_JOIN.pattern + "$")


def _earlier_items(value: Any, enum: list, text: str) -> list:
    """The values of `enum` that come before `value` in a list, where `text` writes `value` only as a
    later item of one ("Seattle and Los Angeles": Seattle before Los Angeles; "Apple, Google and
    Microsoft": Apple before Google); else none."""
    earlier = []
    for at in places(value, text):
        join = _JOIN_BEFORE.search(text, 0, at)
        # a string after a bare comma is an item only of a list that ends with "and" ("Tel Aviv, Israel")
        if join and isinstance(value, str) and not re.search(r"\b(?:and|or)\b|&", join.group(0)):
            join = join if _ends_with_and(text[at + len(value) :], value) else None
        before = [u for u in enum if u != value and join and _same_form(value, u) and _ends_at(u, text, join.start())]
        if not before:
            return []
        earlier += before
    return earlier


def _ends_at(value: Any, text: str, end: int) -> bool:
    """Whether `text` writes `value` ending at `end`."""
    return any(value_end(value, text, at) == end for at in places(value, text))


def _next_tuple(props: dict, previous: dict, taken: set[str], rest: str, text: str) -> bool:
    """Whether `rest` (the text after a list join that follows one of a call's values) starts with a
    new number or name of one of the call's other parameters (`previous`, their values), or with the
    words that led to its value and then a new one: "3000 sq ft in New York and 4000 sq ft in Los
    Angeles" lists a second (size, location) after New York, "the SNP ID 'rs123456' in the species
    'Homo sapiens' and the SNP ID 'rs7891011'" a second (ID, species)."""
    for name, value in previous.items():
        at = first_at(value, text) if isinstance(value, str) else -1
        lead = _again(_LEAD.search(text, 0, at) if at > 0 else None, rest, len(text) - len(rest))
        again = lead is not None
        after = rest[len(lead) :] if again else rest  # past the same words: the value comes next
        enum = props.get(name, {}).get("enum") if isinstance(props.get(name), dict) else None
        for v in enum or ():
            if _key(v) in taken or isinstance(v, str) != isinstance(value, str):
                continue
            if isinstance(v, str) and _named_as(v, value, again) and after.startswith(v):
                return True
            if not isinstance(v, str) and first_at(v, after) == _number_start(after):
                return True
    return False


def _extends_taken(value: str, taken: set[str]) -> bool:
    """Whether the string `value` starts with a whole value a call took, and goes on with more words."""
    words = value.split(" ")
    return any(_key(" ".join(words[:k])) in taken for k in range(1, len(words)))


def _again(lead: re.Match | None, rest: str, start: int) -> str | None:
    """The words that led to a value (`_LEAD`), or their last ones, as `rest` (at `start` of the text)
    writes them again, not as the very words that led to it ("Rooms at 'Queens Hotel' ... and at
    'Royal Hotel'": "at '"); None if it writes none."""
    if lead is None:
        return None
    words = [m.start() for m in re.finditer(r"[A-Za-z]+", lead.group(0))]
    for i in words:
        if rest.lower().startswith(lead.group(0)[i:].lower()) and start != lead.start() + i:
            return lead.group(0)[i:]
    return None


def _named_as(v: str, value: str, again: bool) -> bool:
    """Whether a string may be a next tuple's value after `value`: a name after a name, or after the
    words that led to `value` written again, any string written as `value` was ("rs7891011")."""
    return v[:1].isupper() == value[:1].isupper() if again else v[:1].isupper() and value[:1].isupper()


def _number_start(rest: str) -> int:
    """Where a number written at the start of `rest` begins, after a currency sign ("$52.33"); -2 if none."""
    m = re.match(rf"{CURRENCY}?\s*", rest)
    return m.end() if NUMBER_RE.match(rest, m.end()) else -2


def _listed_after(value: Any, text: str, end: int) -> bool:
    """Whether `text` writes `value` as the next item of a list right after `end` ("copper and
    aluminum": aluminum after copper), not as words that hold or name a number ("10 units and height
    5 units": neither "height" nor "height 5 units" is a next unit)."""
    join = LIST_JOIN.match(text, end)
    if join is None or not isinstance(value, str):
        return join is not None and first_at(value, text, join.end()) == join.end()
    item = re.match(rf"{re.escape(value)}(?!\w)", text[join.end() :], re.IGNORECASE)  # "a" is not "aluminum"
    return (
        item is not None
        and value.split()[0].lower() not in _NOT_ITEMS
        and not re.search(r"\d", value)
        and not NUMBER_RE.match(text[join.end() + item.end() :].lstrip())
    )


# words that start another request or clause after "and", not a next item ("..., and also calculate")
_NOT_ITEMS = frozenset("also then additionally too again another the a an of to in at for from with by on".split())


# the rest of a list of strings: more items after commas, then "and"/"or" and a last item not "I"
_STRINGS_END = re.compile(r"(?:\s*,\s*[^,.;:?!]+?)*?(?:\s*,)?\s+(?:and|or|&)\s+(?!I\b)([^\W\d_])")


def _same_form(value: Any, previous: Any) -> bool:
    """Whether `value` may follow `previous` as a next item: a name (capitalised) only by a name
    ("La Liga", then "Manchester United", not "respectively")."""
    return not (isinstance(previous, str) and previous[:1].isupper()) or isinstance(value, str) and value[:1].isupper()


def _ends_with_and(rest: str, value: str) -> bool:
    """Whether `rest` (the text after the string `value`) goes on as a list that ends with "and" or
    "or" and an item capitalised as `value` ("Mariposa, CA, and make sure ..." is no list)."""
    m = _STRINGS_END.match(rest)
    return m is not None and m.group(1).isupper() == value[:1].isupper()


def listed_at(value: Any, text: str) -> int:
    """Where `text` writes `value` as an item of a list (a list join after it: "1, 5 and 10"), else
    where it first writes it (-1 if nowhere)."""
    written = places(value, text)
    return next((at for at in written if _item_starts(value, text, at)), first_at(value, text))

"""Whether a question gives a parameter a value of its own: a word of its name written ("10 units"
for `unit`), a value of its kind, numbers to spare beyond the required ones, or, for a tool that
requires nothing, more than a request says ("Tell me a joke about cats"). `copying.copy_schema`
leaves out an optional parameter a question gives none, so its default applies, and writes one
whose value the question says (`said_value`) unless a required parameter claims it (`claimed`)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection, Iterable
from functools import cache

from .dates import dated, laid_out
from .enum_names import named_in, spelled_in
from .enumerations import described_choices
from .free_strings import written_examples
from .numerals import NUMBER_RE, how_many_numbers, repeats_in, word_number, written_numbers
from .purposes import purposes_in
from .readings import in_own_unit
from .shapes import shaped, shaped_in, shown_shapes
from .switches import MEMBERS, said_boolean
from .values import NAME_WORD, pool_name, resources, value_pool

FEW_WORDS = frozenset("a an the of for to in on and or is are what why how".split())  # they say nothing


def names_param(name: str, stems: set[str]) -> bool:
    """Whether a text whose words are `stems` (`word_stems`) writes a word of parameter `name` of three
    letters or more ("unit" in "10 units", "method" in "the Simpson method"), also without its plural
    s ("one coat" for `coats`) or, for one who is done to, as its verb ("assign it to" for `assignee`,
    "invite" for `invitee`)."""
    words = [w.lower() for w in NAME_WORD.findall(name) if len(w) > 2]
    done_to = [w[:-2] for w in words if len(w) > 5 and w.endswith("ee")]
    return any(w in stems or (w.endswith("s") and w[:-1] in stems) for w in words) or any(
        w in stems or f"{w}e" in stems for w in done_to
    )


def singular(word: str) -> str:
    """A word in lower case without a plural s ("gains" -> "gain", "years" -> "year"; not "class")."""
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def word_stems(text: str) -> set[str]:
    """The words of `text` in lower case, also without a plural s."""
    words = re.findall(r"[a-z]+", text.lower())
    return set(words) | {w[:-1] for w in words if w.endswith("s")}


OPEN_POOLS = {"thing", "word", "text", "topic", "title", "letter", "folder", "file"}  # pools of words any text may hold


def optional_asked(name: str, schema: dict, spare: bool, stems: set[str]) -> bool:
    """Whether the text gives an optional free number, string or boolean a value of its own: it
    writes a word of the parameter's name, or a value of its kind from the shipped pools ("inches"
    for a unit), or, for a number, more numbers than the required number parameters take. Otherwise
    the parameter is left out and its default applies, instead of a value copied for another
    parameter ("z": 4 for the sides 4 and 5) or a word that only happens to be there ("unit": "the")."""
    if names_param(name, stems):
        return True
    if schema.get("type") == "string" and pool_name(name, schema) not in OPEN_POOLS:
        return any(word_stems(v) <= stems for v in value_pool(name, schema))
    return spare and schema.get("type") in ("number", "integer")


def more_said(name: str, schema: dict, stems: set[str]) -> bool:
    """Whether a text asking a tool that requires nothing says more than a request and the words of
    the parameter's own name and description ("Tell me a joke about cats": "cats" for a `topic`
    "What the joke is about"; "Tell me a joke." says nothing more)."""
    said = word_stems(f"{name.replace('_', ' ')} {schema.get('description', '')}")
    return bool(stems - said - _request_words())


@cache
def _request_words() -> frozenset[str]:
    """Words any request holds: the shipped openers and words that say nothing ("me", a plural's "s")."""
    return FEW_WORDS | frozenset(resources()["openers"]) | {"me", "s"}


def example_written(schema: dict, text: str) -> bool:
    """Whether the text writes a value an optional string's description lists or quotes ("Return them
    in the form of dictionary" for "The type of return value, 'list' or 'dictionary'"), or one shaped
    like them ("in 2015-16" for a season "like 2023-24")."""
    if schema.get("type") != "string":
        return False
    shown = shown_shapes(schema)
    return bool(written_examples(schema, text) or (shaped(shown) and shaped_in(shown, text)))


def spare_numbers(props: dict, required: set[str], text: str) -> bool:
    """Whether the text writes more numbers than its required number parameters take (a required
    list of numbers takes them all)."""
    if any(isinstance(props.get(n), dict) and "enum" not in props[n] and props[n].get("type") == "array"
           for n in required):  # fmt: skip
        return False
    # a tool that requires nothing counts "two" too ("Roll two dice"); beside a required number, "two
    # sides" is no value, "ten times" is
    written = how_many_numbers(text) if not required else len(NUMBER_RE.findall(text)) + repeats_in(text)
    return written > len(required_numbers(props, required))


def required_numbers(props: dict, required: Iterable[str]) -> list[str]:
    """The required number parameters that take any number (no enum of their own)."""
    return [n for n in required if isinstance(props.get(n), dict) and "enum" not in props[n]
            and props[n].get("type") in ("number", "integer")]  # fmt: skip


def copied_number(narrowed: object) -> bool:
    """Whether a parameter is a number narrowed to the numbers the text writes."""
    return isinstance(narrowed, dict) and narrowed.get("type") in ("number", "integer") and bool(narrowed.get("enum"))


def claimed(narrowed: object, others: dict, required: set[str], text: str) -> bool:
    """Whether every number an optional parameter is offered is the one number required parameters
    are offered, as often as `text` writes it: "20% down" is the deposit's, not also a rate said."""
    if not copied_number(narrowed):
        return False
    sole = Counter(json.dumps(p["enum"][0]) for n, p in others.items() if n in required and copied_number(p)
                   and len(p["enum"]) == 1)  # fmt: skip
    written = written_numbers(text)
    return all(sole[json.dumps(v)] >= written.get(json.dumps(v), 1) for v in narrowed["enum"])


# what people call what a count counts: "kids" for children
_SAID_AS = {"child": ("kid", "kids"), "children": ("kid", "kids"), "adult": ("grown-up", "grown-ups"), **MEMBERS}
_COUNT_WORDS = frozenset("quantity qty count copies servings portions seats tickets pieces".split())
_NOT_NOUNS = frozenset("quantity qty count number num n no of total max min".split())  # words of a count's name
# what a count's description says it counts: up to its first plural ("How many identical pizzas")
_COUNTING = re.compile(
    r"\s*(?:the\s+)?(?:number of|how many)\s*(?:the\s+)?((?:[a-z]+\s+){0,2}?[a-z]+s\b|[a-z]*)", re.IGNORECASE
)
# words for people: a count of guests, adults or passengers counts "2 people", "one person"
_PEOPLE = frozenset(
    "people person persons adult adults guest guests passenger passengers traveler travelers traveller travellers "
    "ppl pax player players participant participants attendee attendees rider riders member members us".split()
)
_NUMBER_BEFORE_WORDS = re.compile(r"(?<![\w.,$])(\d+|[A-Za-z]+)(?=((?:\s+[a-z]+){1,2}))")
# ... and the words of what it counts, before any small word ("3 medium margherita pizzas"; "7 on a roll": none)
_NUMBER_BEFORE_NOUNS = re.compile(
    r"(?<![\w.,$])(\d+|[A-Za-z]+)(?=((?:\s+(?!(?:a|an|the|on|of|in|at|for|to|with|and|or|per|by|from)\b)[a-z]+){1,3}))"
)


def _name_words(name: str) -> list[str]:
    """The words of a parameter's name, in lower case (`number_of_rooms`, `dosesPerDay`)."""
    return [w.lower() for w in re.split(r"_|-|(?<=[a-z])(?=[A-Z])", name) if w]


def counted_nouns(name: str, schema: dict) -> set[str] | None:
    """What an optional count counts, by its name and description: "rooms" for `number_of_rooms`,
    "compounds" and "times" for `compounds_per_year` "Number of times interest is compounded per
    year", people words for one that counts people; None where it is no count (a `quantity` counts
    what the request names: the empty set)."""
    words = _name_words(name)
    described = _COUNTING.match(str(schema.get("description", "")))
    if words[-1] not in _COUNT_WORDS and words[0] not in ("number", "num") and described is None:
        return None
    nouns = [w for w in (words[: words.index("per")] if "per" in words else words) if w not in _NOT_NOUNS | FEW_WORDS]
    found = {nouns[-1]} if nouns else set()
    found |= _described_count(schema, not nouns)
    found = {v for w in found for v in (w, singular(w))} - {""}
    found |= {k for w in found for k in _SAID_AS.get(w, ())}  # "2 kids" for `children`
    return found | _PEOPLE if found & _PEOPLE else found


def counting_numbers(name: str, schema: dict, offered: list, text: str, things: Collection[str] = ()) -> list:
    """The numbers of `offered` that `text` writes right before (one word between at most, or two that
    are no small words) what an optional count (`counted_nouns`) counts ("3 rooms", "one person" for
    adults, "three personality traits", "3 medium margherita pizzas"), or before one of `things` (the
    words a free string of the tool may copy: "two club sandwiches" for a `quantity`); [] where it is
    no count."""
    nouns = counted_nouns(name, schema)
    if nouns is None:
        return []
    counted, values, found = nouns | set(things), {json.dumps(v): v for v in offered}, []
    words = _name_words(name)
    per = singular(words[words.index("per") + 1]) if "per" in words[:-1] else None  # "day" of `doses_per_day`
    for m in _NUMBER_BEFORE_WORDS.finditer(text):
        value = int(m.group(1)) if m.group(1).isdigit() else word_number(m.group(1))
        after = m.group(2).split()
        rate = after[0] in ("a", "an", "per")  # "one a day" is a count per day; "120 a night" counts no nights
        if rate and per and len(after) > 1 and singular(after[1]) == per and json.dumps(value) in values:
            found.append(values[json.dumps(value)])
        if rate or per:  # a count per day is written as a rate: "ten tablets" is none
            continue
        if run := _NUMBER_BEFORE_NOUNS.match(text, m.start()):  # "3 medium margherita pizzas"
            after += run.group(2).split()
        if value is not None and json.dumps(value) in values and counted & {*after, *map(singular, after)}:
            found.append(values[json.dumps(value)])
    return list(dict.fromkeys(found))


def _described_count(schema: dict, whole: bool) -> set[str]:
    """What a count's description says it counts: its first word ("Number of decimal places": decimal),
    with `whole` (a count whose name says nothing it counts: `quantity`) up to its first plural too
    ("How many identical pizzas": pizzas)."""
    described = _COUNTING.match(str(schema.get("description", "")))
    words = described.group(1).lower().split() if described else []
    return set(words[:1] + (words[-1:] if whole else [])) - _NOT_NOUNS


def count_words(name: str) -> set[str]:
    """The words of a count's own name, singular, and how people say them ("children": "kids")."""
    words = {singular(w) for w in _name_words(name)} - _NOT_NOUNS - FEW_WORDS
    return words | {k for w in words for k in _SAID_AS.get(w, ())}


def own_counts(counts: dict[str, list], text: str, props: dict, numbers: Iterable[str] = ()) -> dict[str, list]:
    """`counts` (`counting_numbers` of a tool's optional counts) without a number that another of them,
    or of the tool's other `numbers` (names of number parameters), takes by a word of its own name ("4
    adults" is `adults`', not also `seniors`' "Number of people aged 65 or older") or of what its
    description (in `props`) counts ("three medium margherita pizzas" for a `quantity` "How many
    pizzas", not `extra_toppings`); a count left none is left out."""
    words = {
        n: count_words(n) or {singular(w) for w in _described_count(props.get(n) or {}, True)}
        for n in {*counts, *numbers}
    }
    owners: dict[str, list[set[str]]] = {}  # each time a number is written, the counts whose word follows it
    for m in _NUMBER_BEFORE_NOUNS.finditer(text):
        value = int(m.group(1)) if m.group(1).isdigit() else word_number(m.group(1))
        after = {*m.group(2).split(), *map(singular, m.group(2).split())}
        owners.setdefault(json.dumps(value), []).append({n for n, own in words.items() if own & after})
    # a count keeps a number written once where no other count's word follows it ("2 nights for 2 people")
    kept = {n: [v for v in vs if any(not o or n in o for o in owners.get(json.dumps(v), [set()]))]
            for n, vs in counts.items()}  # fmt: skip
    return {n: vs for n, vs in kept.items() if vs}


_NOW = re.compile(r"\b(?:today|tonight|now|this (?:morning|afternoon|evening))\b", re.IGNORECASE)


def said_value(name: str, narrowed: object, schema: object, text: str) -> bool:
    """Whether the question says the value of an optional switch ("open now", "without symbols"),
    names a value of its enum ("on shuffle" is no enum; "in fahrenheit" is), writes a number in the
    unit an optional number reads (`readings.in_own_unit`), a date or time an optional one reads, or
    a reason or a topic an optional free string takes (`purposes.purposes_in`)."""
    if not isinstance(schema, dict) or not isinstance(narrowed, dict):
        return False
    if schema.get("type") == "boolean" and "enum" not in schema:
        return said_boolean(name, text, schema) is not None
    if schema.get("type") in ("number", "integer") and "enum" not in schema:
        return bool(narrowed.get("enum")) and in_own_unit(name, schema, text)  # "with a 20% tip"
    if dated(schema):  # "at 2027-03-04T18:30:00" for an optional pick-up time; "today" may be its default
        return bool(narrowed.get("enum")) and bool(laid_out(schema, _NOW.sub(" ", text)))
    if purposes_in(name, schema, text):  # "about ordering food" for a lesson's topic, "for a limp" its reason
        return bool(narrowed.get("enum"))
    values = schema.get("enum")
    named = isinstance(values, list) and bool(
        named_in(values, text) or described_choices(name, schema, text) or spelled_in(values, text)
    )
    return named and narrowed.get("enum") != values

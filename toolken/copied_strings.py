"""Copy mode for strings (`copying.copy_schema`): the values a question offers a string parameter,
by what it takes (a value its `examples` list, a date laid out as its schema says, a patterned code,
an expression, an address, a currency, a name, a link, a colour, a title, an identifier, a unit, or a
span of words), and the copied strings that only repeat the tool's own name (`own_words`)."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from .asked import (
    FEW_WORDS,
    singular,
    word_stems,
)
from .colors import colors_in, takes_color
from .currencies import currencies_in, takes_currency
from .dates import dated, laid_out
from .expressions import equations_in, expressions_in, takes_equation, takes_expression
from .free_strings import (
    compounds_of,
    example_pattern,
    labelled_span,
    like_examples,
    marked_in,
    requested_task,
    shown_text,
    with_titles,
    written_examples,
)
from .literals import addresses_in, literal_kind, literals_in, takes_address
from .makers import makers_in, no_topics, titles_in
from .months import months_laid_out
from .purposes import purposes_in
from .routes import places_for
from .shapes import shaped, shaped_in, shown_shapes
from .snippets import code_kept
from .units import units_written
from .values import (
    QUOTED_RE,
    described_examples,
    identifiers_in,
    names_a_thing,
    patterned_in,
    pool_name,
    takes_identifier,
)
from .written import MAX_TITLE_WORDS, called_in, without_possessive

if TYPE_CHECKING:
    from .copying import Read

MIN_TYPO_LETTERS, TYPO_CUTOFF = 7, 0.9  # a long word a letter off a listed value names it ("amoxicilin")


def examples_written(schema: dict, text: str) -> list[str]:
    """The values a schema's `examples` list that `text` writes, as the examples write them ("Alto
    Saxophones" for "alto saxophone"), each but where it stands inside a longer one written ("beard
    trim", not "trim"), or where none is written, a word of seven letters or more a letter off one
    ("amoxicilin"); a route's two ends written apart ("Oban to Craignure" for "Oban-Craignure"): a list a
    function named when it refused a value (`synthesis.learn_values`)."""
    values = [e for e in schema.get("examples") or () if isinstance(e, str) and e.strip()]
    spans = {}
    for value in values:
        for pattern in (example_pattern(value), *_ends_pattern(value)):
            spans |= {(m.start(), m.end()): value for m in re.finditer(pattern, text, re.IGNORECASE)}
    inside = {at for at in spans for other in spans if other != at and other[0] <= at[0] and at[1] <= other[1]}
    found = list(dict.fromkeys(v for at, v in sorted(spans.items()) if at not in inside))
    long_words = [v for v in values if len(v) >= MIN_TYPO_LETTERS and v.isalpha()]
    for word in re.findall(rf"[A-Za-z]{{{MIN_TYPO_LETTERS},}}", text) if not found else ():  # "amoxicilin"
        found += difflib.get_close_matches(word.lower(), long_words, n=1, cutoff=TYPO_CUTOFF)
    return list(dict.fromkeys(found))


LISTED = "x-listed"  # a schema's mark: its `examples` are the values its function said it takes


def listed_unwritten(schema: object, text: str) -> bool:
    """Whether a string's function listed the values it takes when it refused another (`LISTED`) and
    the text writes none of them (`examples_written`) nor any word of one ("Can you check booking
    K7P2QX?" of a fare's route: "Oban-Craignure" ...); a list may be of one case only ("for a dress:
    hem, shorten straps"), so a word of it written is enough."""
    if not (isinstance(schema, dict) and schema.get(LISTED) and schema.get("examples")) or "enum" in schema:
        return False
    listed = word_stems(" ".join(str(e) for e in schema["examples"]))
    return not examples_written(schema, text) and not listed & word_stems(text)


def _ends_pattern(value: str) -> list[str]:
    """How a text writes an example that joins two places by a hyphen ("Oban-Craignure", a route): "Oban
    to Craignure", "from Oban to Craignure", "to Craignure from Oban"; none for another example."""
    m = re.fullmatch(r"([A-Z][\w']*(?: [A-Z][\w']*)?)\s?[-–]\s?([A-Z][\w']*(?: [A-Z][\w']*)?)", value.strip())
    if not m:
        return []
    start, end = (rf"(?<!\w){re.escape(part)}(?!\w)" for part in m.groups())
    return [rf"{start}\s*(?:-|–|\bto\b|\band\b)\s*{end}", rf"\bto\s+{end}\s+from\s+{start}"]


MAX_PATTERNED = 20  # more runs of the text fit a pattern than this: too loose a pattern to copy by


def patterned(schema: object) -> bool:
    """Whether a parameter is a string of a `pattern` (no enum): its value is copied as written."""
    return (
        isinstance(schema, dict)
        and schema.get("type") == "string"
        and isinstance(schema.get("pattern"), str)
        and "enum" not in schema
        and "const" not in schema
    )


def kind_or_maker(name: str, text: str, optional: bool) -> list[str]:
    """A free string's values the text writes after "by", for a work's maker (`makers.makers_in`),
    or, for an optional one, as a kind of the thing its name says ("bedroom" for `room`:
    `free_strings.compounds_of`; a required `word` is not "password")."""
    return makers_in(name, text) or (compounds_of(name, text) if optional else [])


def narrowed_string(name: str, schema: dict, r: Read) -> dict | None:
    """A string (or a parameter of another kind, unchanged) narrowed by what it takes: a date, a
    patterned code, an expression, an address, a name, a link, an identifier or any span."""
    kind, text = schema.get("type"), r.text
    if kind == "string" and dated(schema):
        if not (found := laid_out(schema, text, r.past)):  # as the schema lays them out: "03/10/2022", "19:00"
            return None if r.optional(name) else schema  # none: an optional one left out
        return {"type": "string", "enum": found}
    if kind == "string" and (found := months_laid_out(schema, text, r.past)):
        return {"type": "string", "enum": found}  # "in March 2026" for a "YYYY-MM" month: "2026-03"
    if kind == "string" and (found := examples_written(schema, text)):
        return {"type": "string", "enum": found}  # "alto saxophones": "alto saxophone" whole, not "alto"
    if patterned(schema) and (found := patterned_in(schema, text, MAX_PATTERNED)):
        return {"type": "string", "enum": found}  # "#FF8800" as written, never a made-up code
    if kind == "string" and (found := marked_in(described_examples(schema), text)):
        return {"type": "string", "enum": found}  # "like #general": "#releases", "e.g. @alice": "@bob"
    if takes_equation(name, schema) and (found := equations_in(text)):
        return {"type": "string", "enum": found}  # "2x + 3 = 11" whole, not its left side
    if takes_expression(name, schema) and (found := expressions_in(text)):
        return {"type": "string", "enum": found}
    if takes_address(name, schema) and (found := addresses_in(text)):
        return {"type": "string", "enum": found}  # "2020 Addison Street, Berkeley, CA, USA" whole
    if takes_currency(name, schema):  # "50 euros in US dollars": EUR and USD
        found = currencies_in(text)
        if not found:
            return None if r.optional(name) else schema  # an optional one left out
        return {"type": "string", "enum": found}
    if names_a_thing(name, schema) and (names := no_topics(name, places_for(name, schema, text), text)):
        return {"type": "string", "enum": plain_names(names, r.labels)}
    if names_a_thing(name, schema) and r.optional(name):
        return None  # an optional name the text does not write is left out, not filled with any words
    if link := literal_kind(name, schema):  # a link or address only as written; none: left out if optional
        found = literals_in(link, text)
        if not found and name not in r.required:
            return None
        return {"type": "string", "enum": found} if found else schema
    optional = r.optional(name)
    if takes_color(name, schema) and ((found := colors_in(text)) or optional):
        return {"type": "string", "enum": found} if found else None  # "navy", never "metre"; none: left out
    if kind == "string" and not schema.get("format") and (found := kind_or_maker(name, text, optional)):
        return {"type": "string", "enum": found}  # "Queen" after "by" for `artist`; "bedroom" for `room`
    if optional and (found := titles_in(name, schema, text)):
        return {"type": "string", "enum": found}  # an optional title only as a capitalised name
    if takes_identifier(name, schema) and (found := identifiers_in(text)):
        return {"type": "string", "enum": found}  # "rs6034464", not the words around it
    if takes_identifier(name, schema) and optional and not QUOTED_RE.search(text):
        return None  # "Where's my driver?" writes no ride's id: left out, its default applies
    unit = kind == "string" and pool_name(name, schema) == "unit" and not written_examples(schema, text)
    if unit and (found := units_written(name, schema, text)):
        return {"type": "string", "enum": found}  # "km/h", not any words of the question
    if kind == "string" and not schema.get("format") and not schema.get("pattern"):
        if optional and shaped(shown := shown_shapes(schema)) and not shaped_in(shown, text):
            return None  # "stats this season": no season like "2023-24" written, its default applies
        spans = with_titles(name, schema, text, r.spans, joined=not r.lists)  # "Pride and Prejudice" whole
        found = purposes_in(name, schema, text, optional) or labelled_span(name, text)  # "because ...", "subject: ..."
        found = found or requested_task(name, schema, text, r.timed)
        # a title after "titled" or "called" ("a note titled Groceries: eggs, milk"), not the text shown after it
        titled = pool_name(name, schema) == "title"
        nouns = word_stems(f"{name} {schema.get('description', '')}")
        found = found or (called_in(text, nouns, MAX_TITLE_WORDS) if titled else [])
        found = found or shown_text(name, schema, text) or like_examples(spans, schema, text, name)
        return {"type": "string", "enum": code_kept(name, schema, found, text)} if found else schema
    return schema


def plain_names(names: list[str], labels: frozenset[str]) -> list[str]:
    """`names` less a possessive whose name is offered too ("Biscuit's" beside "Biscuit") and, where
    others remain, a word of a parameter's name (`labels`): "Owner name is Hendricks" names no pet."""
    names = [n for n in names if without_possessive(n) == n or without_possessive(n) not in names]
    return [n for n in names if n.lower() not in labels] or names


def own_words(tool_name: str, value: object) -> bool:
    """Whether a copied string says nothing but words of its tool's name (`tool_name`, readable:
    "count vowels"): "vowels" for `count_vowels`, "Gift" for `gift_ideas` are the question's topic,
    not a value of it; nor is a string that opens with them and a preposition ("Showtimes for
    Wicked" for `showtimes`: the request, then the value)."""
    if not isinstance(value, str) or any(ch.isdigit() for ch in value):
        return False  # "DNA123" is an identifier, not the word "DNA" of `fetch_DNA_sequence`
    own = _singulars(word_stems(tool_name))
    head, _, rest = value.partition(" ")
    if (opening := _singulars(word_stems(head))) and opening <= own and re.match(r"(?:for|in|of|at|on|about)\s", rest):
        return True
    words = _singulars(word_stems(value) - FEW_WORDS)
    return bool(words) and words <= own


def _singulars(stems: set[str]) -> set[str]:
    """Each word once, without a plural s: "followers" is a word of `follower_count`."""
    return {singular(w) for w in stems}

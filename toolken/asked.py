"""Whether a question gives a parameter a value of its own: a word of its name written ("10 units"
for `unit`), a value of its kind, numbers to spare beyond the required ones, or, for a tool that
requires nothing, more than a request says ("Tell me a joke about cats"). `copying.copy_schema`
leaves out an optional parameter a question gives none, so its default applies."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from .free_strings import written_examples
from .numerals import NUMBER_RE, how_many_numbers, repeats_in
from .shapes import shaped, shaped_in
from .values import NAME_WORD, described_examples, pool_name, resources, value_pool

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


OPEN_POOLS = {"thing", "word", "text", "topic", "title", "letter"}  # pools of words any text may hold


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
    shown = described_examples(schema)
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

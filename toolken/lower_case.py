"""Places and people in a question written in lower case ("single from millbrook to fenwick", "ref
FY-40877 last name lindqvist"): where the user capitalises no word, capitals tell no name, so a word
no English dictionary knows where a place or a person's name stands is read as a name, with a place's
common last word ("carrow halt", "hawley bridge"), as if capitalised."""

from __future__ import annotations

import re
from functools import lru_cache

from .english import is_known

# the last words of place names that are also plain words: "Hawley Bridge", "Carrow Halt"
_PLACE_ENDS = frozenset(
    "halt bridge street road lane avenue park hill hills lake bay station junction green cross valley falls beach "
    "square market gardens heath end wood woods field fields point harbour harbor pier quay mill gate".split()
)
# a whole word of letters, not a piece of a link, code or file name ("google.com", "pl-5107")
_WORD = re.compile(r"(?<![\w./@:-])[a-z]+(?![\w/@:-]|[.:]\w)")
# where a place's name stands: after a preposition, or before "to" as a route's start
_BEFORE = re.compile(r"\b(?:from|to|at|in|near|via|between|and|on)\s+$")
# ... and a person's: after "name" or "surname" ("last name lindqvist"), also where sentences open with capitals
_PERSON = re.compile(r"\b(?:(?:sur)?name(?:\s+is)?|called|named)\s+$")
# ... and after a title, a name whatever words it spells ("dr chen", "mrs green")
_TITLED = re.compile(r"\b(?:dr|mrs?|ms|prof)\.?\s+$")
# a word with a capital, not opening a sentence nor "I": the text capitalises names (a code's
# capitals, "FY-40877", tell nothing)
_CAPITALISED = re.compile(r"(?<![\w-])(?<![.!?]\s)(?<![.!?])(?!I\b|I['’])[A-Za-z]*[A-Z][A-Za-z]*(?![\w-])")
_AFTER = re.compile(r"^(?:\s+(?:" + "|".join(sorted(_PLACE_ENDS)) + r"))?\s+to\b")


@lru_cache(maxsize=65536)
def _unknown(word: str) -> bool:
    """Whether `word` is no English word the dictionary knows (three letters or more, no apostrophe)."""
    return len(word) >= 3 and "'" not in word and not is_known(word)


def _stands_as_name(text: str, m: re.Match, places: bool) -> bool:
    """Whether the word `m` stands where a person's name does (after "name", "called"), or, with
    `places`, where a place's does (after a preposition, or before "to")."""
    before = text[: m.start()]
    return bool(_PERSON.search(before) or places and (_BEFORE.search(before) or _AFTER.match(text[m.end() :])))


@lru_cache(maxsize=4096)
def cased_names(text: str) -> str:
    """`text` with the places and people it names capitalised where it capitalises no word (but a
    sentence's first, "I" and a code's capitals): a word no dictionary knows after a preposition,
    "name" or "called", or before "to" ("from millbrook to fenwick", "last name lindqvist"), any word
    after a title ("dr chen"), with a
    place's last word right after it ("carrow halt" -> "Carrow Halt"); a place only where not even the
    first word is capitalised; any other text as it is."""
    capitals = [m.start() for m in _CAPITALISED.finditer(text)]
    if any(capitals[1:]) or capitals[:1] not in ([], [0]):
        return text
    places = not capitals  # a capital opening the text may be the one a keyboard puts there: people only
    words = list(_WORD.finditer(text))
    names = [
        i for i, m in enumerate(words)
        if _TITLED.search(text[: m.start()]) or _stands_as_name(text, m, places) and _unknown(m.group(0))
    ]  # fmt: skip
    names += [i + 1 for i in names if i + 1 < len(words) and words[i + 1].group(0) in _PLACE_ENDS]
    out, last = [], 0
    for i in sorted(set(names)):
        m = words[i]
        out += [text[last : m.start()], m.group(0).capitalize()]
        last = m.end()
    return "".join(out) + text[last:]

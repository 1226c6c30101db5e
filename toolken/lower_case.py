"""Places in a question written all in lower case ("single from millbrook to fenwick"): where the user
capitalises nothing, capitals tell no name, so a word no English dictionary knows where a place
stands is read as a name, with a place's common last word ("carrow halt", "hawley bridge"), as if
capitalised."""

from __future__ import annotations

import re
from functools import lru_cache

# the last words of place names that are also plain words: "Hawley Bridge", "Carrow Halt"
_PLACE_ENDS = frozenset(
    "halt bridge street road lane avenue park hill hills lake bay station junction green cross valley falls beach "
    "square market gardens heath end wood woods field fields point harbour harbor pier quay mill gate".split()
)
# a whole word of letters, not a piece of a link, code or file name ("google.com", "pl-5107")
_WORD = re.compile(r"(?<![\w./@:-])[a-z]+(?![\w./@:-])")
# where a place's name stands: after a preposition, or before "to" as a route's start
_BEFORE = re.compile(r"\b(?:from|to|at|in|near|via|between|and|on)\s+$")
_AFTER = re.compile(r"^(?:\s+(?:" + "|".join(sorted(_PLACE_ENDS)) + r"))?\s+to\b")


@lru_cache(maxsize=65536)
def _unknown(word: str) -> bool:
    """Whether `word` is no English word the dictionary knows (three letters or more, no apostrophe)."""
    import simplemma  # its word lists load on first use

    return len(word) >= 3 and "'" not in word and not simplemma.is_known(word, lang="en")


@lru_cache(maxsize=4096)
def cased_names(text: str) -> str:
    """`text` with the places it names capitalised where it capitalises nothing at all: a word no
    dictionary knows after a preposition or before "to" ("from millbrook to fenwick"), with a place's
    last word right after it ("carrow halt" -> "Carrow Halt"); any other text as it is."""
    if any(ch.isupper() for ch in text):
        return text
    words = list(_WORD.finditer(text))
    names = [
        i for i, m in enumerate(words)
        if _unknown(m.group(0)) and (_BEFORE.search(text[: m.start()]) or _AFTER.match(text[m.end() :]))
    ]  # fmt: skip
    names += [i + 1 for i in names if i + 1 < len(words) and words[i + 1].group(0) in _PLACE_ENDS]
    out, last = [], 0
    for i in sorted(set(names)):
        m = words[i]
        out += [text[last : m.start()], m.group(0).capitalize()]
        last = m.end()
    return "".join(out) + text[last:]

"""Lists a question writes ("Sort pear, apple and fig", "the values 12, 24, 36"): a parameter that takes
a list of words or numbers copies one of them whole, instead of picking its items one at a time (a
small model stops after the first, or runs on into the next list)."""

from __future__ import annotations

import json
import math
import re

from .ages import aged_choices
from .numerals import NUMBER_RE, PERCENT_RE, values_of
from .routes import end_of_trip
from .written import QUOTED_RE

# what joins the items of a list: commas, semicolons, "and", "or", ", and"
SEPARATOR = re.compile(r"\s*,\s*(?:and|or)\s+|\s*[,;]\s*|\s+(?:and|or|&)\s+", re.IGNORECASE)
CLAUSE_END = re.compile(r"[.?!:](?=\s|$)|\n")  # a list never runs across these ("7:30" and "2.5" go on)
WORD = re.compile(r"\w+(?:['’.:-]\w+)*")  # "O'Neil", "7:30", "2.5"; quotes around a word left out
_QUOTED = rf"(?:{QUOTED_RE.pattern})"
QUOTED_LIST = re.compile(rf"{_QUOTED}(?:(?:{SEPARATOR.pattern}){_QUOTED})+", re.IGNORECASE)  # "'67813', '71249'"
MAX_ITEM_WORDS = 3
# words an item at either end of a list does not take in: "Put banana", "apricot in alphabetical order"
_EDGE = {
    "a", "an", "the", "these", "those", "this", "that", "my", "your", "our", "their", "some", "of", "in", "into",
    "on", "by", "to", "for", "from", "with", "at", "as", "please", "then", "is", "are", "be", "me", "us", "words",
    "items", "list", "between", "among", "tagged", "labelled", "labeled", "tags", "labels", "using", "including",
    "containing", "like", "about",
}  # fmt: skip


def lists_in(text: str) -> list[list[str]]:
    """The lists of two or more items `text` writes, each as its items: runs of one to
    `MAX_ITEM_WORDS` words joined by commas, semicolons, "and" or "or". An item inside the list is what
    lies between two joins; the first and last take as many words as the longest inner item (one where
    there is none) and no word of `_EDGE`, or a whole run of capitalised words ("New York"), with and
    without a capitalised first word of the sentence ("Compare Paris and London"). A list of two,
    with no inner item to measure by, needs both items to end where a phrase does ("between Boston
    and Denver", not "Tenet at 5 pm and No Time To Die"). Quoted strings joined so are a list whole
    ("case numbers '67813', '71249'")."""
    found = [[a or b for a, b in QUOTED_RE.findall(m.group(0))] for m in QUOTED_LIST.finditer(text)]
    for clause in CLAUSE_END.split(text):
        parts = [WORD.findall(p) for p in SEPARATOR.split(clause)]
        start = 0  # the run of parts that may be one list: parts[start:k]
        for k in range(1, len(parts) + 1):
            if k < len(parts) and 0 < len(parts[k]) <= MAX_ITEM_WORDS:
                continue
            found += _items(parts[start : k + 1] if k < len(parts) and parts[k] else parts[start:k], start == 0)
            start = k  # a long part ends one list (its first words) and may start the next (its last)
    return [items for i, items in enumerate(found) if items not in found[:i]]


_BRACKETED = re.compile(r"\[([^\[\]]*)\]")  # "[200,300,400,500]", "[-50000, 10000]"


def number_lists_in(text: str) -> list[list[float | int]]:
    """The lists of two or more numbers `text` writes, each whole and as written: in brackets, where a
    comma always parts items ("[200,300,400,500]" is four numbers, not 200300400500), and runs of
    three or more numbers joined by commas, "and" or "or" ("12, 24, 36 and dataset_B with 15, 30, 45":
    two lists; two, as in "between 1 and 1000", are as often two parameters' values). A percentage is
    no item (its reading is the parameter's: `readings.py`)."""
    found = []
    for m in _BRACKETED.finditer(text):
        items = [NUMBER_RE.fullmatch(p.strip()) for p in m.group(1).split(",")]
        if len(items) > 1 and all(items):
            found.append([values_of(item, item.string)[0] for item in items])
    plain = _BRACKETED.sub(" ", text)  # the bracketed lists are read
    runs: list[list[re.Match]] = []
    for m in NUMBER_RE.finditer(plain):
        if PERCENT_RE.match(plain, m.end()):
            runs.append([])  # a percentage ends the run and starts none
        elif runs and runs[-1] and SEPARATOR.fullmatch(plain[runs[-1][-1].end() : m.start()]):
            runs[-1].append(m)
        else:
            runs.append([m])
    found += [[values_of(m, plain)[0] for m in run] for run in runs if len(run) > 2]
    return [items for i, items in enumerate(found) if items not in found[:i]]


def sized(lists: list[list], schema: dict) -> list[list]:
    """The lists an array schema's `minItems` and `maxItems` allow."""
    low, high = schema.get("minItems", 0), schema.get("maxItems", math.inf)
    return [items for items in lists if low <= len(items) <= high]


def choice_items(schema: object) -> list[str] | None:
    """The values of an array schema whose items are strings of an `enum`, else None."""
    items = schema.get("items") if isinstance(schema, dict) and schema.get("type") == "array" else None
    values = items.get("enum") if isinstance(items, dict) else None
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else None


def _code(value: str) -> bool:
    return len(value) <= 2 or value.isupper()  # "A", "XL", "USD": written in their own case


def _choice(values: list[str], item: str) -> str | None:
    """The enum value an item of a written list is: a letter or code in its own case ("A"), a word in
    any case, singular or plural, with spaces or dashes for underscores ("gluten-free", "new york")."""
    for v in values:
        if _code(v):
            if item == v:
                return v
        elif item.lower().replace(" ", "_").replace("-", "_") in (
            w.lower().replace(" ", "_").replace("-", "_") for w in (v, v + "s", v + "es")
        ):
            return v
    return None


def choice_lists(schema: dict, text: str) -> list[list[str]]:
    """The lists `text` writes whose every item is one of an array schema's enum values, as those
    values, repeats kept ("grades A, B, B and C"), where its length allows."""
    values = choice_items(schema) or []
    lists = [[_choice(values, item) for item in items] for items in lists_in(text)]
    return sized([items for items in lists if None not in items], schema)


def named_choices(schema: dict, text: str) -> list[list[str]]:
    """The one list of an array schema's enum values that `text` names anywhere, in the order it names
    them, each once ("a large popcorn and a soda": popcorn, soda), where its length allows: for
    items a written list does not give alone (`choice_lists`)."""
    at = {}
    for v in choice_items(schema) or []:
        word = re.escape(v) if _code(v) else re.escape(v).replace("_", "[ _-]").replace(r"\ ", "[ _-]") + "(?:e?s)?"
        if m := re.search(rf"(?<![\w'-]){word}(?![\w'-])", text, 0 if _code(v) else re.IGNORECASE):
            at[v] = m.start()
    return sized([sorted(at, key=at.__getitem__)], schema) if at else []


def codes_unwritten(schema: dict, text: str) -> bool:
    """Whether an array schema's enum values are all codes or letters ("A", "B", ...) and `text`
    writes none of them in their own case ("Is a 3.5 GPA good?" writes no grade "A")."""
    values = choice_items(schema) or []
    if not values or not all(map(_code, values)):
        return False
    return not any(re.search(rf"(?<![\w'-]){re.escape(v)}(?![\w'-])", text) for v in values)


def lists_kept_apart(props: dict, required: set[str]) -> dict:
    """`props` where an optional list takes no list the text writes that a required one can only take
    ("cash flows: [-50000, 10000, ...]" is no list of years), and is left out where none is left."""
    choices = [props[n].get("enum") or [] for n in required if isinstance(props.get(n), dict)
               and props[n].get("type") == "array"]  # fmt: skip
    claimed = [json.dumps(only[0]) for only in choices if len(only) == 1]
    out = {}
    for name, p in props.items():
        offered = p.get("enum") if isinstance(p, dict) and p.get("type") == "array" and name not in required else None
        left = [v for v in offered or () if json.dumps(v) not in claimed]
        if offered and not left:
            continue
        out[name] = {**p, "enum": left} if offered else p
    return out


def _items(run: list[list[str]], opens_clause: bool) -> list[list[str]]:
    """The lists a run of parts makes (its first and last parts cut to an item, trailing parts that
    give none left out), none if fewer than two parts are left or the first gives no item."""
    while len(run) > 1 and not _edge(run[-1], 1, False):
        run = run[:-1]  # "..., please": the list ended before
    if len(run) < 2:
        return []
    inner = run[1:-1]
    width = max((len(w) for w in inner), default=1)
    firsts = _edge(run[0][::-1], width, opens_clause)
    lasts = _edge(run[-1], width, False)
    if not inner:  # nothing to measure the items by: both must end where a phrase does
        firsts, lasts = [f for f in firsts if f[1]], [last for last in lasts if last[1]]
    middle = [" ".join(w) for w in inner]
    return [[" ".join(first[::-1]), *middle, " ".join(last)] for first, _ in firsts for last, _ in lasts]


def _edge(words: list[str], width: int, opens_clause: bool) -> list[tuple[list[str], bool]]:
    """The item at an end of a list, from `words` read outward from the join, and whether a phrase
    ends there: a run of capitalised words (and, where it opens the clause, also the run without that
    first word), else up to `width` words that are not `_EDGE`. A phrase ends at the part's end, at an
    `_EDGE` word, or (for capitalised words) at a word that is not capitalised."""
    capitals = []
    for w in words[:MAX_ITEM_WORDS]:
        if not w[:1].isupper():
            break
        capitals.append(w)
    if capitals:
        ended = len(capitals) == len(words) or not words[len(capitals)][:1].isupper()
        shown = [(capitals, ended)]
        if opens_clause and len(capitals) == len(words) and len(capitals) > 1:
            shown.append((capitals[:-1], True))  # its first word may only open the sentence
        return shown
    item = []
    for w in words[:width]:
        if w.lower() in _EDGE:
            break
        item.append(w)
    ended = len(item) == len(words) or words[len(item)].lower() in _EDGE
    return [(item, ended)] if item else []


def names_only(items: list[str]) -> list[str] | None:
    """A list of names among `items`: each item cut to its last run of capitalised words ("invite
    Fiona" -> "Fiona"), from the last item back while items have one; None if fewer than two do."""
    kept: list[str] = []
    for item in reversed(items):
        words = item.split()
        end = len(words)
        while end and words[end - 1][:1].isupper():
            end -= 1
        if end == len(words):
            break
        kept.append(" ".join(words[end:]))
    return kept[::-1] if len(kept) > 1 else None


# how a description gives an enum value a word: "Singles (2) or doubles (4)", "'C' for Celsius"
_WORD_THEN_VALUE = re.compile(r"([A-Za-z][\w-]*)\s*\(\s*['\"]?([\w.+-]+)['\"]?\s*\)")
_VALUE_FOR_WORD = re.compile(r"['\"]?([\w.+-]+)['\"]?\s+(?:for|means|=)\s+([A-Za-z][\w-]*)")


# a quoted value and what it means in parentheses: '"southbound" (towards Millbrook)'
_VALUE_EXPLAINED = re.compile(r"['\"]([\w.+-]+)['\"]\s*\(([A-Za-z][^()]{2,40})\)")


_NOT_WORDS = frozenset("the a an to of that this it is in on for and or".split())


def described_choices(name: str, schema: dict, text: str) -> list:
    """The values of an enum parameter that `text` names by the word its description gives them
    ("a court for doubles" is 4 for "Singles (2) or doubles (4)"; "in Celsius" is "C" for "'C' for
    Celsius"), or by what its description says it means, written whole ("back towards Millbrook" is
    "southbound" for '"southbound" (towards Millbrook)'), or by an age it says within the value's age
    range (`ages.aged_choices`); none for a parameter named as a source or a target."""
    values, description = schema.get("enum"), schema.get("description")
    # a source's or a target's word the text writes may be the other side's: "English text to Danish"
    if not isinstance(values, list) or not isinstance(description, str) or end_of_trip(name):
        return []
    pairs = [(w, v) for w, v in _WORD_THEN_VALUE.findall(description) if w.lower() not in _NOT_WORDS]
    pairs += [(w, v) for v, w in _VALUE_FOR_WORD.findall(description) if w.lower() not in _NOT_WORDS]
    pairs += [(w, v) for v, w in _VALUE_EXPLAINED.findall(description)]
    by_text = {str(v).lower(): v for v in values if not isinstance(v, bool)}
    found = [by_text[v.lower()] for w, v in pairs if v.lower() in by_text and w.lower() != v.lower() and _says(w, text)]
    found += aged_choices(values, description, text)  # "my dad's 68": "senior" for '"senior" 65 and over'
    return list(dict.fromkeys(found))


def _says(word: str, text: str) -> bool:
    """Whether `text` writes `word` as a word, in any case."""
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None

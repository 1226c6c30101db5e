"""Switches said in words: the value a question gives a boolean parameter by the words of its name
("without symbols", "Turn the bathroom light off", "a 24-hour pharmacy"), and the words of such a
switch kept out of the free strings copied beside it ("remote nurse positions": the job is "nurse")."""

from __future__ import annotations

import re

from .enum_names import content_stems
from .spellings import spelled
from .values import NAME_WORD

# a switch named by one word, and the word that sets it false
_OPPOSITES = {"on": "off", "enabled": "disabled?", "enable": "disabled?", "open": "close[ds]?", "locked": r"unlock\w*",
              "visible": "hidden|hide", "active": "inactive", "muted": "unmuted?", "indoor": "outdoors?|outside",
              "outdoor": "indoors?|inside", "domestic": "international", "public": "private",
              "generic": r"brand(?:ed|[\s-]name)"}  # fmt: skip
# a unit a boolean's name abbreviates after a number ("open_24h": "24-hour", "24 hours")
_UNITS = {"h": "hours?|hrs?|h", "hr": "hours?|hrs?", "d": "days?|d", "min": "minutes?|mins?", "yr": "years?|yrs?"}
# words of a boolean's name that say how it acts, not on what ("include_symbols": symbols)
_SWITCH_WORDS = {"include", "includes", "use", "enable", "allow", "show", "with", "has", "add", "return", "want",
                 "only"}  # fmt: skip


def switch_words(name: str) -> list[str]:
    """The words of a boolean parameter's name that say it ("remote" of `remote`, "symbols" of
    `include_symbols`), in lower case."""
    words = [w.lower() for w in NAME_WORD.findall(name) if len(w) > 2]
    return [w for w in words if w not in _SWITCH_WORDS]


def switch_stems(name: str) -> list[str]:
    """`switch_words`, singular ("symbol" of `include_symbols`)."""
    return [w.removesuffix("s") for w in switch_words(name)]  # "has" is no "ha"


def switch_said(name: str, value: bool) -> str:
    """A boolean's value as a question says it by the words of its name, in a form `said_boolean`
    reads back: "with symbols", "without hidden" (not a bare "yes" or "no")."""
    words = " ".join(switch_words(name)) or name.replace("_", " ").lower()
    return f"{'with' if value else 'without'} {words}"


def without_switch_words(props: dict, narrowed: dict, text: str) -> dict:
    """`narrowed` with the copied candidates of free strings that begin or end with the word of a
    boolean the text turns on by that word left out, where others remain: in "remote nurse positions"
    the word "remote" is the `remote` switch's, and the job title is "nurse"."""
    stems = {w for n, p in props.items() if isinstance(p, dict) and p.get("type") == "boolean"
             and said_boolean(n, text, p) for w in switch_stems(n)}  # fmt: skip
    if not stems:
        return narrowed
    out = dict(narrowed)
    for n, p in narrowed.items():
        if not isinstance(p, dict) or p.get("type") != "string" or not p.get("enum") or "enum" in props[n]:
            continue  # only the candidates copying chose, never a schema's own enum
        kept = [v for v in p["enum"] if not stems & _edge_stems(v)]
        out[n] = {**p, "enum": kept} if kept else p
    return out


def _edge_stems(value: str) -> set[str]:
    """The first and last words of a value, singular and in lower case."""
    words = [w.lower().removesuffix("s") for w in NAME_WORD.findall(value)]
    return {words[0], words[-1]} if words else set()


# what a description says each value does: "True to start watering, false to stop."
_DOES = {value: re.compile(rf"\b{value}\s+to\s+(?!(?:the|this|that|be|have|get|make|do|use)\b)([a-z]{{3,}})", re.I)
         for value in ("true", "false")}  # fmt: skip


# what a description says true is for: "True for Friday evening, Saturday or Sunday slots", "True for
# same-day return"; its names (capitalised) and compounds ("same-day") are seldom written by chance
_TRUE_FOR = re.compile(r"\btrue\s+(?:for|if|when|on)\s+([^.;:()]+)", re.I)
_TERM = re.compile(r"(?<![\w-])(?:[A-Z][a-z]{2,}|[a-z]+(?:-[a-z]+)+)(?![\w-])")
_NOT = re.compile(r"\b(?:not|no|non|outside|except|without|unless)\b|n't", re.I)


# what each value is for where a description sets one against the other: "True for a steam engine,
# False for the heritage diesel", "True for a day return instead of a single"
_FOR_VALUE = {
    value: re.compile(rf"\b{value}\s+(?:for|if|when|on)\s+(.+?)(?=,?\s*\b(?:true|false)\b|[.;:(]|$)", re.I)
    for value in ("true", "false")
}
_CONTRAST = re.compile(r"\b(?:instead\s+of|rather\s+than|not|no|without|except)\s+(?:an?\s+|the\s+)?[\w-]+", re.I)


def _contrasted(description: str, text: str) -> bool | None:
    """The value whose own words the text writes, where the description says what true is for and
    what false is for, or sets true's against another ("instead of a single"); words the text sets
    aside ("diesel rather than steam") say nothing."""
    found = {v: rx.search(description) for v, rx in _FOR_VALUE.items()}
    if not (found["true"] and found["false"]) and not any(m and _CONTRAST.search(m[1]) for m in found.values()):
        return None
    words = {v: content_stems(_CONTRAST.sub(" ", m[1])) if m else frozenset() for v, m in found.items()}
    said = content_stems(_CONTRAST.sub(" ", text))
    hits = [v for v, own in words.items() if (own - words["false" if v == "true" else "true"]) & said]
    return hits[0] == "true" if len(hits) == 1 else None


def _described(name: str, schema: object, text: str) -> bool | None:
    """The value whose deed the text writes, where a boolean's description says what each does ("True
    to start watering, false to stop": "Start watering" is true, "Stop it" false; with the thing the
    name `name` says: "rent shoes" is no `harness_rental`); true where the text writes a name or
    compound of what it says true is for ("on a Saturday" for "True for Saturday or Sunday slots",
    "same day" for "True for same-day return"); else by the words it sets true and false against each
    other (`_contrasted`); None otherwise."""
    description = str(schema.get("description", "")) if isinstance(schema, dict) else ""
    said = []
    for value, does in _DOES.items():
        if (m := does.search(description)) and re.search(rf"\b{re.escape(m[1])}(?:s|p?ed|p?ing)?\b", text, re.I):
            # the deed's thing too, where the name says it: "rent shoes" rents no `harness_rental`
            things = [w for w in switch_stems(name) if not w.startswith(m[1][:4])
                      and re.search(rf"\b{spelled(w)}", description[m.end() :], re.I)]  # fmt: skip
            if not things or any(re.search(rf"\b{spelled(w)}", text, re.I) for w in things):
                said.append(value == "true")
    if not said and (m := _TRUE_FOR.search(description)) and not _NOT.search(m[1]):
        terms = [re.escape(t).replace(r"\-", r"[\s-]") for t in _TERM.findall(m[1])]
        if terms and re.search(rf"(?<![\w-])(?:{'|'.join(terms)})s?(?![\w-])", text, re.I):
            said.append(True)
    if not said and (by_words := _contrasted(description, text)) is not None:
        said.append(by_words)
    return said[0] if len(said) == 1 else None


def said_boolean(name: str, text: str, schema: object = None) -> bool | None:
    """The value the text gives a boolean parameter by the words of its name: false where it writes the
    opposite of a one-word switch ("off" for `on`, "outdoors" for `indoor`: `_OPPOSITES`), after
    "without", "no", "not" or "excluding" ("without symbols" for `symbols`); true where it writes the
    number and unit the name holds ("24-hour" for `open_24h`), after "with" or "including", or where
    it writes them all otherwise ("detailed information" for `detailed`, "verbosely" for `verbose`);
    else, by the deed its description (of `schema`) gives each value (`_described`: "True to start
    watering"); None where it says neither."""
    found = _said_by_name(name, text)
    return _described(name, schema, text) if found is None else found


def _said_by_name(name: str, text: str) -> bool | None:
    """`said_boolean` by the words of the parameter's name alone."""
    stems = switch_stems(name)
    off = _OPPOSITES.get(name.lower()) or (_OPPOSITES.get(stems[0]) if len(stems) == 1 else None)
    if off and re.search(rf"\b(?:{off})\b", text, re.IGNORECASE):
        return False  # "Turn the bathroom light off" for `on`, "outdoors" for `indoor`
    if off and re.search(rf"\b{re.escape(name.lower())}\b", text, re.IGNORECASE):
        return True  # "Turn on the kitchen lights" for `on`
    if any(_measure_written(w, text) for w in re.findall(r"\d+[a-z]+", name.lower())):
        return True  # "a 24-hour pharmacy" for `open_24h`
    if not stems:
        return None
    forms = [*map(spelled, stems), *filter(None, map(_noun_of, stems)), *filter(None, map(_split, stems))]
    forms += filter(None, map(_done_of, stems))
    members = "|".join(m for w in stems for m in MEMBERS.get(w, ()))
    forms += [members] if members else []
    noun = rf"(?:\w+\s+)?(?:{'|'.join(forms)})s?\b"  # "in colour" for `color`, "with insurance" for `insured`
    # "without symbols", "not counting the kitchen", "except the garage"
    negated = r"(?:\b(?:without|no|not|non|excluding|except|not counting|not including|apart from|other than)|n't)"
    if re.search(rf"{negated}\s+(?:\w+\s+)?(?:the\s+|a\s+|an\s+|my\s+|any\s+)?{noun}", text, re.IGNORECASE):
        return False  # "haven't done the theory" for `theory_passed`
    # "need shoes and a harness"; a one-word switch also had: "I have insurance", "covered by dental insurance"
    had = r"|have|has|had|got|covered by" if len(stems) == 1 else ""
    wanted = rf"(?:(?:want|need|add)(?:s|ed|ing)?{had})\s+(?:[\w-]+\s+){{0,3}}?"
    if re.search(rf"\b(?:(?:with|including|plus)\s+|{wanted})(?:an?\s+)?{noun}", text, re.IGNORECASE):
        return True  # "with insurance", "we want hook-up"
    if members and re.search(rf"\b(?:my|our)\s+(?:[\w-]+\s+)?(?:{members})\b", text, re.IGNORECASE):
        return True  # "me, my wife and our 2 dogs" for `has_pets`
    if len(stems) > 1 and len(stems[0]) >= 3 and re.search(rf"\bon\s+{spelled(stems[0])}\b", text, re.IGNORECASE):
        return True  # a setting: "one load on hot" for `hot_wash`
    # "verbosely" for `verbose`, "washed and ironed" for `ironing`
    done = [f"|{d}" if (d := _done_of(w)) else "" for w in stems]
    written = all(re.search(rf"\b(?:{spelled(w)}(?:s|ly)?{d})\b", text, re.IGNORECASE) for w, d in zip(stems, done))
    return True if written else None


# a kind by its everyday members: a dog or a cat is a pet ("we have a dog" for `has_pets`, "our 2 dogs" for `pets`)
MEMBERS = {"pet": ("dog", "dogs", "cat", "cats", "puppy", "puppies", "kitten", "kittens", "rabbit", "rabbits")}


def _split(word: str) -> str | None:
    """A compound of six letters or more also in two words or hyphenated ("hook-up" for "hookup")."""
    if len(word) < 6 or not word.isalpha():
        return None
    return "|".join(rf"{word[:i]}[\s-]{word[i:]}" for i in range(2, len(word) - 1))


def _noun_of(word: str) -> str | None:
    """The nouns a participle's verb makes, as a pattern ("insurance" of "insured", "registration" of
    "registered", "delivery" of "delivered"); None for a word that is no such participle."""
    if len(word) < 6 or not word.endswith("ed"):
        return None
    return rf"{re.escape(word[:-2].removesuffix('e'))}e?(?:ance|ence|ment|ion|ation|y)"


def _done_of(word: str) -> str | None:
    """The participle of a gerund's verb, as a pattern ("ironed" of "ironing", "washed" of "washing");
    None for a word that is no such gerund."""
    if len(word) < 6 or not word.endswith("ing"):
        return None
    return rf"{re.escape(word[:-3])}e?d"


def _measure_written(stem: str, text: str) -> bool:
    """Whether a number and unit of a boolean's name ("24h" of `open_24h`) is written in `text`
    ("24-hour", "24 hours")."""
    m = re.fullmatch(r"(\d+)([a-z]+)", stem)
    unit = _UNITS.get(m.group(2)) if m else None
    return bool(unit) and re.search(rf"\b{m.group(1)}[\s-]*(?:{unit})\b", text, re.IGNORECASE) is not None

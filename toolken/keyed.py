"""Values a text writes beside a parameter's name: numbers ("maximum depth of 5", "a sample size of
50", "$20000 short term", "for 1, 5 and 10 years", "from -2 to 2") and names ("the state of
California", "using simpson method"). Where the text keys values to a parameter that way, a copied
argument of that parameter takes only those (`keyed_schema`, which `toolken.grammar` applies after
`copying.copy_schema`), instead of any value the text writes ("random_state": 10 taken from "depth
of 10"), and numbers keyed by their units (`toolken.units`); enum values written as a source or a
target ("25 degrees celsius in kelvin", `directed_enums`)."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence

from .asked import singular
from .copying import number_items
from .enum_names import enum_pattern
from .next_call import LIST_JOIN
from .numerals import NUMBER_RE, WORD_RE, values_of
from .units import measure_keyed, unit_after, unit_fits, unit_keyed
from .values import NAME_WORD

# words that sit between a name and its value ("depth of 5", "rate is 4%", "set to 10")
FILLERS = frozenset("of is are was be to at with a an the as equal equals for by about around approximately "
                    "set its their his her my your our this that these those some any each every "
                    "named called titled".split())  # fmt: skip
# words of a name that say nothing of which parameter it is
GENERIC = frozenset({"number", "num", "value", "val", "the", "and", "for", "data", "input"})
MAX_FOREIGN = 1  # words of neither the name nor FILLERS allowed between a name word and its number
_TOKEN = re.compile(f"(?P<n>{NUMBER_RE.pattern})|(?P<w>{WORD_RE.pattern})")


def name_words(name: str) -> set[str]:
    """The stems of the words of a parameter's name of three letters or more, generic ones left out."""
    return {singular(w) for w in NAME_WORD.findall(name) if len(w) > 2} - GENERIC


def keyed_numbers(properties: dict, text: str, required: Sequence[str] = ()) -> dict[str, list[float | int]]:
    """For each number parameter (or list of numbers) of `properties` (a schema's), the numbers
    `text` writes beside a word of its name that no other parameter's name has, in the order written:
    after it, across FILLERS and at most MAX_FOREIGN other word ("short term capital gains of
    $15000"), or right before it ("$20000 short term"); a list goes with its name ("1, 5 and 10
    years"). A name of one or two characters keys only the number it is set to, written as the name
    is ("a = 3", "K is 1.0"). A range ("from -2 to 2", "between 1 and 1000") keys its ends to a
    tool's one start parameter ("lower_limit", "start_x", "initial_temperature") and one end
    parameter. A number written with the unit of a keyed one is keyed too ("size 3000 sq ft ... and
    4000 sq ft"). A number whose unit measures what one parameter asks for keys to it where no name
    keys that parameter (`units.unit_keyed`, told the schema's `required`: "at 40 m/s after 6 seconds"
    for `initial_velocity` and `time`), and a name keys no number whose unit measures something else
    ("frequency for 5 seconds"). Parameters the text keys no number to are left out."""
    words = {n: name_words(n) for n in properties}
    tokens = [(m.start(), m.end(), m.lastgroup, m.group(0)) for m in _TOKEN.finditer(text)]
    found: dict[str, list[int]] = {}  # where the numbers keyed to each parameter start
    for name, schema in properties.items():
        if isinstance(schema, dict) and (schema.get("type") in ("number", "integer") or number_items(schema)):
            others = set().union(*(w for n, w in words.items() if n != name))
            found[name] = _short_keyed(name, tokens, text)
            for i, (_, _, kind, tok) in enumerate(tokens):
                if kind == "w" and singular(tok) in words[name] - others and not _keys_listed(tokens, i, others, text):
                    found[name] += _after(tokens, i, words[name], others, text) + _before(tokens, i, text)
    for name, starts in _range_keyed(found, text).items():
        found[name] += starts
    for name, starts in _bound_keyed(found, text).items():  # "under 120 a night" is a maximum, not the nights
        found = {n: [at for at in s if at not in starts] for n, s in found.items()}
        found[name] = starts
    found = {n: [at for at in s if unit_fits(n, properties[n], text, at)] for n, s in found.items()}
    # where no name keys a parameter, the unit of a number may: "40 m/s" for `initial_velocity`
    taken = {at for starts in found.values() for at in starts}
    numeric = {n: properties[n] for n in found}
    for name, starts in unit_keyed(numeric, list(required), text, taken).items():
        if not found[name]:
            found[name] = starts
    for name, starts in measure_keyed(numeric, text, taken).items():  # beside ones that ask for no quantity
        if not found[name]:
            found[name] = starts
    keyed: dict[str, list[float | int]] = {}
    for name, starts in found.items():
        elsewhere = {at for n, s in found.items() if n != name for at in s}
        starts = set(starts) | (set(_same_unit(starts, text)) - elsewhere)
        if values := list(dict.fromkeys(v for at in sorted(starts) for v in _values_at(at, text))):
            keyed[name] = values
    return keyed


def keyed_schema(schema: dict, text: str, first: bool = False, enums: Collection[str] = ()) -> dict:
    """`schema` (narrowed by `copy_schema`) where each number parameter the text keys numbers to
    (`keyed_numbers`) offers only those of them it offered; with `first` (a turn's first call), only
    the first written, so that the next call of the turn takes the next ("sample size of 50 ... the
    same for a sample size of 150"), and a string parameter the text keys a name to
    (`keyed_strings`) only the strings that start where the first such name does; of `enums` (the
    parameters whose enum is the tool's own, not copied), a source and a target the values written
    as each (`directed_enums`). A parameter keyed a value is required: the question gives it by name."""
    props = schema.get("properties", {})
    narrowed = {}
    for name, values in keyed_numbers(props, text, schema.get("required", [])).items():
        if number_items(props[name]):  # a list takes all it is keyed ("multiples of 3 and 5")
            kept = [v for v in values if v in (props[name]["items"].get("enum") or ())]
            narrowed[name] = {**props[name], "items": {**props[name]["items"], "enum": kept}} if kept else props[name]
            continue
        kept = [v for v in values if v in (props[name].get("enum") or ())]  # copy_schema's bounds and types
        if kept:
            narrowed[name] = {**props[name], "enum": kept[:1] if first else kept}
    props = _keyed_apart(props, narrowed, schema.get("required", []))
    # a name keys only the first call's string: "location New York and 4000 sq ft in Los Angeles"
    for name, spans in keyed_strings(props, text).items() if first else ():
        at, end = spans[0]
        others = set().union(*(name_words(n) for n in props if n != name))
        kept = [v for v in props[name]["enum"] if text.startswith(v, at) and (end is None or at + len(v) <= end)
                and not _runs_into(v, others)]  # fmt: skip
        if kept:
            narrowed[name] = {**props[name], "enum": kept}
    narrowed.update(directed_enums({n: props[n] for n in enums if n in props}, text))
    if not narrowed:
        return schema
    # a value the question gives a parameter by its name is written, optional or not
    required = list(dict.fromkeys([*schema.get("required", []), *narrowed]))
    return {**schema, "properties": {**props, **narrowed}, "required": required}


def _keyed_apart(props: dict, keyed: dict, required: Collection[str]) -> dict:
    """`props` with the numbers `keyed` to a parameter by its name taken from the other number
    parameters that offer more ("500 kwh total, 200 of that at night": 200 is no total); an optional
    one left with none is left out."""
    taken = {v for p in keyed.values() for v in p.get("enum") or () if isinstance(v, (int, float))}
    out = {}
    for name, schema in props.items():
        offered = schema.get("enum") if isinstance(schema, dict) and name not in keyed else None
        if not offered or schema.get("type") not in ("number", "integer") or not taken & set(offered):
            out[name] = schema
        elif rest := [v for v in offered if v not in taken]:
            out[name] = {**schema, "enum": rest}
        elif name in required:
            out[name] = schema
    return out


def _runs_into(value: str, others: set[str]) -> bool:
    """Whether a value runs over a comma or a sentence's end into a word of another parameter's name
    (`others`): "subject Report, body: ..." gives the subject "Report", not "Report, body"."""
    after = (re.findall(r"[\w'-]+", value[m.end() :])[:1] for m in _BREAK.finditer(value))
    return any(singular(w) in others for words in after for w in words)


_SOURCES = frozenset({"from", "source", "src", "input", "original", "base"})
_TARGETS = frozenset({"to", "target", "dest", "destination", "output", "into", "quote"})
_AS_TARGET = re.compile(r"\b(?:to|into|in|as)\s+(?:the\s+)?$", re.IGNORECASE)  # "... in Fahrenheit"
_AS_SOURCE = re.compile(rf"(?:\bfrom\s+(?:the\s+)?|(?:{NUMBER_RE.pattern})\s*(?:degrees?\s+|°\s*)?)$", re.IGNORECASE)


def directed_enums(properties: dict, text: str) -> dict[str, dict]:
    """For enum parameters named as a source ("from_unit", "source_currency") beside ones named as a
    target ("to_unit"), the values the text writes as each: a target's after "to", "in", "into" or
    "as" ("in Fahrenheit"), a source's after "from" or right after a number ("25 degrees celsius",
    "50 USD"). A side the text writes no value for keeps its enum, less the values the other side was
    said ("How many tablespoons are in 2 cups?": from cup, so not to cup)."""

    def side(words: frozenset) -> list[str]:
        return [n for n, p in properties.items() if isinstance(p, dict) and isinstance(p.get("enum"), list)
                and (NAME_WORD.findall(n) or [""])[0].lower() in words]  # fmt: skip

    sources, targets = side(_SOURCES), side(_TARGETS)
    if not sources or not targets:
        return {}
    narrowed = {}
    for names, cue in ((sources, _AS_SOURCE), (targets, _AS_TARGET)):
        for name in names:
            enum = properties[name]["enum"]
            said = [v for v in enum if isinstance(v, str) and any(cue.search(text[: m.start()])
                    for m in enum_pattern(v).finditer(text))]  # fmt: skip
            if said:
                narrowed[name] = {**properties[name], "enum": said}
    # nothing is converted into itself: a side left open gives up the values the other side was said
    for names, others in ((sources, targets), (targets, sources)):
        taken = {json.dumps(v) for n in names if n in narrowed for v in narrowed[n]["enum"]}
        for name in (n for n in others if n not in narrowed and taken):
            if left := [v for v in properties[name]["enum"] if json.dumps(v) not in taken]:
                narrowed[name] = {**properties[name], "enum": left}
    return narrowed


def keyed_strings(properties: dict, text: str) -> dict[str, list[tuple[int, int | None]]]:
    """For each string parameter of `properties` (narrowed by `copy_schema` to the strings `text`
    writes: an `enum`), where the text writes a word of its name that no other parameter's name has,
    then FILLERS and a capitalised or quoted value ("the state of California", "a company named 'Tech
    Inc'"), or right after a word of its own ("using simpson method"): where those values start and,
    for a word before, end (`(start, end)`, end None where the value may run on), in the order
    written. Parameters with no such value are left out."""
    words = {n: name_words(n) for n in properties}
    tokens = [(m.start(), m.end(), m.lastgroup, m.group(0)) for m in _TOKEN.finditer(text)]
    keyed: dict[str, list[int]] = {}
    for name, schema in properties.items():
        if not isinstance(schema, dict) or schema.get("type") != "string" or not schema.get("enum"):
            continue
        own = words[name] - set().union(*(w for n, w in words.items() if n != name))
        for i, (_, _, kind, tok) in enumerate(tokens):
            if kind == "w" and singular(tok) in own:
                at = _value_after(tokens, i, text, words[name])
                spans = ([(at, None)] if at is not None else []) + _word_before(tokens, i, text)
                keyed.setdefault(name, []).extend(spans)
    return {n: sorted(spans, key=lambda span: span[0]) for n, spans in keyed.items() if spans}


def _word_before(tokens: list, i: int, text: str) -> list[tuple[int, int]]:
    """The word right before the name word `tokens[i]`, as a value ("simpson method", "Italian
    cuisine"), or the word before "as" and the FILLERS after it ("black as their special request",
    "comma as the delimiter"), unless it is a filler or a number: `[(start, end)]` or `[]`."""
    j = i - 1
    if _spaced(tokens, j, text) and tokens[j][3].lower() in FILLERS:
        while _spaced(tokens, j, text) and tokens[j][3].lower() in FILLERS - {"as"}:
            j -= 1  # "their", "the"
        if not (_spaced(tokens, j, text) and tokens[j][3].lower() == "as"):
            return []
        j -= 1
    if not _spaced(tokens, j, text):
        return []
    word = tokens[j][3].lower()
    return [] if word in FILLERS or word in _NOT_UNITS else [tokens[j][:2]]


def _spaced(tokens: list, j: int, text: str) -> bool:
    """Whether token `j` is a word with one space between it and the token after it."""
    return j >= 0 and tokens[j][2] == "w" and text[tokens[j][1] : tokens[j + 1][0]] == " "


def _value_after(tokens: list, i: int, text: str, name: set[str] = frozenset()) -> int | None:
    """Where the value after the name word `tokens[i]` and the FILLERS and other words of the `name`
    after it ("first name is Tom") starts, if it is capitalised or quoted; None where it is not, or
    where a comma or a sentence's end comes first."""
    for j in range(i + 1, len(tokens)):
        if _BREAK.search(text, tokens[j - 1][1], tokens[j][0]):
            return None
        if tokens[j][3].lower() not in FILLERS and singular(tokens[j][3]) not in name:
            quoted = text[tokens[j][0] - 1 : tokens[j][0]] in ("'", '"')
            return tokens[j][0] if quoted or tokens[j][3][:1].isupper() else None  # a name, not "in Paris"
    return None


START_WORDS = frozenset("start lower min minimum from begin beginning low initial old original previous before".split())
END_WORDS = frozenset("end upper max maximum stop high final to new current after".split())
_NUM = r"(-?\d+(?:\.\d+)?)"
_SET = r"(?:[a-z]\s*=\s*)?"  # "x = 1"
# "from 1 to 5", "between x=1 and x=3", "from 25 degrees Celsius to 100"
_RANGE = re.compile(
    rf"\b(?:from|between)\s+{_SET}\$?{_NUM}(?:\s*[^\W\d]+){{0,2}}\s+(?:to|and|through)\s+{_SET}\$?{_NUM}"
)

_FROM = re.compile(rf"\bfrom\s+{_SET}\$?{_NUM}")
_TO = re.compile(rf"\bto\s+{_SET}\$?{_NUM}")
_WORD_AFTER = re.compile(r"\s*([^\W\d_]+)")


def _range_keyed(found: dict[str, list[int]], text: str) -> dict[str, list[int]]:
    """Where the ends of the ranges the text writes start, for the one number parameter of `found`
    whose name says start and the one whose name says end (none where there are several of either)."""
    words = {n: name_words(n) | {w.lower() for w in NAME_WORD.findall(n)} for n in found}  # "to" of `servings_to`
    starts = [n for n in found if words[n] & START_WORDS]
    ends = [n for n in found if words[n] & END_WORDS]
    if len(starts) != 1 or len(ends) != 1 or starts == ends:
        return {}
    ranges = list(_RANGE.finditer(text))
    # and one end said alone with a word of its name: "down to 2 servings" for `servings_to`
    return {
        starts[0]: [m.start(1) for m in ranges] + _one_end(_FROM, words[starts[0]], text),
        ends[0]: [m.start(2) for m in ranges] + _one_end(_TO, words[ends[0]], text),
    }


# a bound written before a number: "under 120 a night" (an upper one), "at least 4 stars" (a lower one)
_BOUND = re.compile(
    r"\b(?:(?P<upper>under|below|less than|fewer than|up to|at most|no more than|cheaper than|maximum(?: of)?)"
    r"|(?P<lower>over|above|more than|at least|no less than|minimum(?: of)?))\s+[$€£]?(?=\d)",
    re.I,
)
_UPPER_WORDS, _LOWER_WORDS = frozenset({"max", "maximum", "upper"}), frozenset({"min", "minimum", "lower"})


def _bound_keyed(found: dict[str, list[int]], text: str) -> dict[str, list[int]]:
    """Where the numbers a bound is written before start ("under 120", "at least 4"), for the one
    number parameter of `found` whose name says that bound (`max_price`, `min_rating`); none where
    there are several."""
    keyed = {}
    for kind, words in (("upper", _UPPER_WORDS), ("lower", _LOWER_WORDS)):
        names = [n for n in found if {w.lower() for w in NAME_WORD.findall(n)} & words]
        starts = [m.end() for m in _BOUND.finditer(text) if m.group(kind)]
        if len(names) == 1 and starts:
            keyed[names[0]] = starts
    return keyed


def _one_end(pattern: re.Pattern, words: set[str], text: str) -> list[int]:
    """Where the numbers `pattern` finds start ("to 2"), where a word of the name follows ("servings")."""
    return [
        m.start(1)
        for m in pattern.finditer(text)
        if (w := _WORD_AFTER.match(text, m.end())) and singular(w.group(1)) in words
    ]


def _same_unit(found: list[int], text: str) -> list[int]:
    """Where the numbers written with the unit of a number starting at one of `found` start ("4000 sq
    ft" beside a keyed "3000 sq ft"; "50 m/s" is not "600 m")."""
    units = {u for m in NUMBER_RE.finditer(text) if m.start() in found and (u := _unit(text, m.end()))}
    return [m.start() for m in NUMBER_RE.finditer(text) if _unit(text, m.end()) in units]


_NOT_UNITS = FILLERS | {"and", "or", "in", "on", "than", "per", "each", "then", "also", "but", "from", "times"}


def _unit(text: str, end: int) -> str | None:
    """The unit written right after a number that ends at `end` ("m" in "600 m.", "m/s", "sq"), if any."""
    unit = unit_after(text, end)
    return unit if unit != "%" and unit not in _NOT_UNITS else None


def _short_keyed(name: str, tokens: list, text: str) -> list[int]:
    """Where the numbers a name of one or two characters is set to start ("a = 3, b = -11", "K is 1")."""
    if len(name) > 2:
        return []
    starts = {t[0]: j for j, t in enumerate(tokens) if t[2] == "n"}
    found = []
    for m in re.finditer(rf"(?<![\w'.-]){re.escape(name)}\s*(?:=|:|\bis\b|\bequals\b)\s*\$?", text):
        if m.end() in starts:
            found += _list_at(tokens, starts[m.end()], text, step=1)
    return found


def _keys_listed(tokens: list, i: int, others: set[str], text: str) -> bool:
    """Whether the name word `tokens[i]` is listed with another parameter's ("base and height as 6
    and 10": the numbers go with the names in turn, not all with the last)."""
    for j in (i - 1, i - 2):
        if j >= 0 and tokens[j][2] == "w" and singular(tokens[j][3]) in others:
            return bool(LIST_JOIN.fullmatch(text, tokens[j][1], tokens[j + 1][0] if j == i - 1 else tokens[i][0]))
    return False


def _after(tokens: list, i: int, name: set[str], others: set[str], text: str) -> list[int]:
    """Where the numbers (one, or a list) written after the name word `tokens[i]` start (`name`: the
    words of its parameter's name); none where a comma or a sentence's end, a word of another
    parameter's name (`others`), or more than MAX_FOREIGN other words come first."""
    foreign = 0
    for j in range(i + 1, len(tokens)):
        if _BREAK.search(text, tokens[j - 1][1], tokens[j][0]):
            return []
        kind, tok = tokens[j][2], tokens[j][3]
        if kind == "n":
            return _list_at(tokens, j, text, step=1)
        if tok.lower() in _JOINS:  # "20 boxes and 10 metres": the number after "and" is another item's
            return []
        if singular(tok) in others - name:
            return []
        if singular(tok) not in name and tok.lower() not in FILLERS:
            foreign += 1
            if foreign > MAX_FOREIGN:
                return []
    return []


def _before(tokens: list, i: int, text: str) -> list[int]:
    """Where the numbers (one, or a list ending there) written right before the name word `tokens[i]`
    start ("10 years", "1, 5 and 10 years", "the 4th floor", "a 3-tier cake"); a scale or unit sign may
    sit between ("$2M short")."""
    if i == 0:
        return []
    k = i - 1
    if k > 0 and tokens[k][3].lower() in _ORDINAL_ENDS and tokens[k - 1][2] == "n" and tokens[k - 1][1] == tokens[k][0]:
        k -= 1  # an ordinal: "the 4th floor"
    between = text[tokens[k][1] : tokens[i][0]].strip(" %$-").lower()
    # "150 at night", "200 of that at night" for `night_kwh`
    if tokens[k][2] != "n":  # read only where no number stands right before the name word
        start = tokens[i][0]
        at = [j for j in range(max(0, k - 3), k) if tokens[j][2] == "n" and _AT.fullmatch(text, tokens[j][1], start)]
        k, between = (at[-1], "") if at else (k, between)
    if tokens[k][2] != "n" or (between and between not in _ORDINAL_ENDS):
        return []
    return _list_at(tokens, k, text, step=-1)


_BREAK = re.compile(r"[,;]|[.?!]\s")  # ends a name's phrase before its number
# between a number and the time or place its name says it is of: "150 at night", "200 of that at night"
_AT = re.compile(r"\s+(?:of\s+(?:that|it|them|those)\s+)?(?:at|during)\s+(?:the\s+)?", re.IGNORECASE)
_JOINS = frozenset({"and", "or", "plus"})  # join another item to a name's phrase, before any number of its own
_ORDINAL_ENDS = frozenset({"st", "nd", "rd", "th"})


def _list_at(tokens: list, j: int, text: str, step: int) -> list[int]:
    """The start of the number `tokens[j]` and of the numbers listed with it, going forward (`step` 1:
    "5, 10 and 15") or backward (-1)."""
    starts = [tokens[j][0]]
    while (k := _listed(tokens, j, text, step)) is not None:
        starts.append(tokens[k][0])
        j = k
    return starts


def _listed(tokens: list, j: int, text: str, step: int) -> int | None:
    """The index of the number listed next to the number `tokens[j]` (one token away, or two across
    "and"/"or"), or None."""
    for k in (j + step, j + 2 * step):
        if 0 <= k < len(tokens) and tokens[k][2] == "n":
            a, b = sorted((j, k))
            return k if LIST_JOIN.fullmatch(text, tokens[a][1], tokens[b][0]) else None
    return None


def _values_at(at: int, text: str) -> list[float | int]:
    """The values of the number written at `at` (`numerals.values_of`: its scale, a percentage also
    as a fraction)."""
    m = NUMBER_RE.match(text, at)
    return values_of(m, text) if m else []

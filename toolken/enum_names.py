"""How a question names the values of a parameter's `enum`: as words in any case and number, a unit
by its symbol after a number ("98.6 F") and a unit's symbol by its name ("miles" for "mi"), a currency
by its names and sign ("euros", "$80"), a language's code by its name ("French" for "fr")."""

from __future__ import annotations

import re
from functools import lru_cache

from .currencies import currency_pattern
from .numerals import WORD_NUMBERS
from .spellings import spelled
from .values import resources

# words too common in questions and in enum phrases to tell one value from another
_COMMON = frozenset(
    "the and for with from into that this than then not any some other item items thing things more less "
    "about your mine very just also only "
    # question and function words: "How many public holidays ..." tells no "How many days of leave"
    "many much what when where which there their they them these those have does will would should could "
    "been were each every most such here over after before while whose".split()
)


def stem(word: str) -> str:
    """A word without its "-ing", "-ed", "-es", "-s" or "-e" ending: "needed", "need" and "needs" meet."""
    for end in ("ing", "ed", "es", "s", "e"):
        if word.endswith(end) and len(word) - len(end) >= 4:
            return word[: -len(end)]
    return word


@lru_cache(maxsize=8192)
def content_stems(text: str) -> frozenset[str]:
    """The stems of the words of `text` that may tell a value: four letters or more, not `_COMMON`
    (cached: a tool's description and a question are read once per decoding phase and tool)."""
    return frozenset(stem(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 4 and w not in _COMMON)


# three-letter words that say nothing of which value is meant
_SHORT_COMMON = frozenset(
    "the and for you are can how get put set any all new one two six ten day per now out off not but own our may "
    "was has had did let see use way who why its her his him she yes too got top low big non pre pro sub via".split()
)


def echoed_in(values: list, text: str) -> list:
    """The one string `enum` value a word of which `text` writes in another form, where it names none
    ("I don't need it anymore" for "no longer needed"), or a word of three letters of which it writes
    ("a new tap fitted" for "tap_replacement"); none where no value or several do."""
    stems = content_stems(text)
    words = set(re.findall(r"[a-z]+", text.lower()))
    found = [
        v
        for v in values
        if isinstance(v, str) and (content_stems(v.replace("_", " ")) & stems or _short_words(v) & words)
    ]
    return found if len(found) == 1 else []


def _short_words(value: str) -> set[str]:
    """The words of three letters that tell a value of two words or more ("tap" of "tap_replacement",
    "zip" of "replace_zip")."""
    words = re.split(r"[_\s-]+", value.lower())
    return {w for w in words if len(w) == 3 and w.isalpha() and w not in _SHORT_COMMON} if len(words) > 1 else set()


def spelled_in(values: list, text: str) -> list:
    """The one string `enum` value of two telling words or more every word of which `text` writes, in any
    order ("What time can I check in?" for "check_in_time", not "check_out_time"); none where no value
    or several do."""
    words = {w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)}
    found = []
    for value in (v for v in values if isinstance(v, str)):
        parts = re.split(r"[_\s-]+", value.lower())
        if set(parts) <= words and sum(len(p) >= 4 for p in parts) >= 2:  # not "for-the-badge", "it-IT"
            found.append(value)
    return found if len(found) == 1 else []


def named_in(values: list, text: str) -> list:
    """The `enum` values that `text` names, as a word, in any case, also in the plural or with spaces
    for underscores ("kilometers" names "kilometer", "new york" names "new_york"), also with "-ing" or
    "-ed" ("warnings" names "warn"), sizes S, M, L ... by their words ("in a large": "L"); not one named
    only inside another's name ("peak" of "off-peak"), nor one named only by a word in "-ing" or "-ed"
    right before another named ("leak" of "a leaking tap")."""
    spans = {v: [m.span() for m in enum_pattern(v).finditer(text)] for v in values if isinstance(v, str) and v}
    sizes = [v for v in values if isinstance(v, str) and v.lower() in _SIZES]
    if len(sizes) >= 3 and {"s", "m", "l"} <= {v.lower() for v in sizes}:  # "S", "M", "L": sizes, not seconds
        for v in sizes:
            spans[v] += [m.span() for m in re.finditer(rf"(?<!\w)(?:{_SIZES[v.lower()]})(?!\w)", text, re.I)]
    spans = {v: found for v, found in spans.items() if found}

    def inside(v: str) -> bool:  # "peak" of "off-peak", where "off_peak" is named too
        return all(any(a <= s0 and e0 <= b and (a, b) != (s0, e0) for w in spans if w != v for a, b in spans[w])
                   for s0, e0 in spans[v])  # fmt: skip

    def modifies(v: str) -> bool:  # "leaking" of "a leaking tap", where "tap" is named too
        starts = {a for w in spans if w != v for a, _ in spans[w]}
        return all(re.fullmatch(r"\w+(?:ing|ed)", text[s0:e0], re.I) and not re.search(r"(?:ing|ed)$", v)
                   and re.match(r"\s+", text[e0:]) and e0 + len(re.match(r"\s*", text[e0:])[0]) in starts
                   for s0, e0 in spans[v])  # fmt: skip

    return [v for v in spans if not inside(v) and not modifies(v)]


# the symbols people write right after a number for an enum value that is a unit ("98.6 F", "10 km");
# none for kelvin ("25K" is 25 thousand)
UNIT_SYMBOLS = {
    "celsius": "c", "fahrenheit": "f", "kilometer": "km|kms", "kilometre": "km|kms", "meter": "m", "metre": "m",
    "centimeter": "cm", "centimetre": "cm", "millimeter": "mm", "millimetre": "mm", "mile": "mi", "foot": "ft",
    "feet": "ft", "inch": "in", "yard": "yd", "kilogram": "kg|kgs", "gram": "g", "pound": "lb|lbs", "ounce": "oz",
    "liter": "l", "litre": "l", "milliliter": "ml", "millilitre": "ml", "gallon": "gal", "hour": "h|hr|hrs",
    "minute": "min|mins", "second": "s|sec|secs", "tablespoon": "tbsp|tbs", "teaspoon": "tsp",
}  # fmt: skip
# a unit's names by its symbols, for an enum of symbols ("miles" names "mi", "metres" names "m")
UNIT_NAMES = {
    symbol: [name for name, symbols in UNIT_SYMBOLS.items() if symbol in symbols.split("|")]
    for symbols in UNIT_SYMBOLS.values()
    for symbol in symbols.split("|")
}


@lru_cache(maxsize=4096)
def enum_pattern(value: str) -> re.Pattern:
    """How a text names an enum value: as a word, in any case, singular or plural ("comedies" names
    "comedy"; of four letters or more, also with "-ing" or "-ed": "warnings" names "warn"), in British
    or American spelling ("colour"), in the other forms of `_other_forms`, spaces or hyphens for
    underscores ("off-peak" for "off_peak"); a unit also by its symbol right after a number
    (`UNIT_SYMBOLS`: "98.6 F", "25 °C")
    and a unit's symbol by the unit's name (`UNIT_NAMES`: "miles" for "mi"), a currency code also by
    its names and sign (`currencies.currency_pattern`: "euros", "$80"), a language's code in lower case
    by the language's name (the shipped `language_codes`: "French" for "fr")."""
    written = value.lower().replace("_", " ")
    plural = len(written) > 3 and written.endswith("s") and not written.endswith("ss")  # "dress" is one
    word = written[:-1] if plural else written  # "mile" and "miles"
    symbols = UNIT_SYMBOLS.get(written) or UNIT_SYMBOLS.get(word)  # "celsius", "kilometers"
    symbol = rf"|(?<=\d)\s?°?(?:{symbols})(?![\w°])" if symbols else ""
    names = UNIT_NAMES.get(written)
    named = rf"|(?<!\w)(?:{'|'.join(names)})(?:s|es)?(?!\w)" if names else ""
    money = f"|{currency.pattern}" if (currency := currency_pattern(value)) else ""  # "euros" for "EUR"
    # a language's code in lower case by the language's name ("French" for "fr"; not a state's "DE")
    tongues = resources()["language_codes"].get(value, []) if value.islower() else []
    tongue = rf"|(?<!\w)(?:{'|'.join(tongues)})(?!\w)" if tongues else ""
    ends = "s|es|ing|ings|ed" if len(word) >= 4 and word.isalpha() else "s|es"  # "warnings" names "warn"
    # a one-word name of five letters or more also as two words ("VS Code" for "vscode")
    halves = [rf"{re.escape(word[:i])}[\s-]{re.escape(word[i:])}" for i in range(2, len(word) - 1)]
    split = rf"|(?<!\w)(?:{'|'.join(halves)})(?!\w)" if len(word) >= 5 and word.isalpha() else ""
    # ... and a letter before a hyphen ("e-bike" for "ebike", "x-ray" for "xray")
    split += rf"|(?<!\w){re.escape(word[0])}-{re.escape(word[1:])}(?!\w)" if len(word) >= 4 and word.isalpha() else ""
    # "comedies" names "comedy", "categories" "category" (not "days" -> "daies")
    ies = rf"|(?<!\w){re.escape(word[:-1])}ies(?!\w)" if re.search(r"[^aeiou\W]y$", word) else ""
    # a number word of the value also in digits ("6 months" for "six_months"), as questions are read so
    digits = re.sub(r"[a-z]+", lambda w: str(WORD_NUMBERS[w[0]]) if w[0] in _CARDINALS else w[0], word)
    digit = rf"|(?<!\w){re.escape(digits)}s?(?![\w.])" if digits != word and " " in word else ""
    # letters and digits also apart ("economy 7" for "economy7", "win-11" for "win11")
    parts = re.fullmatch(r"([a-z]{2,})(\d+)|(\d+)([a-z]{2,})", word)
    apart = r"[\s-]?".join(re.escape(g) for g in parts.groups() if g) if parts else ""
    split += rf"|(?<!\w){apart}(?!\w)" if parts else ""
    main = spelled(word).replace("\\ ", r"[\s-]")  # "off peak" or "off-peak" for "off_peak"
    return re.compile(
        rf"(?<!\w){main}(?:{ends})?(?!\w){ies}{split}{_other_forms(word)}{symbol}{named}{money}{tongue}{digit}",
        re.IGNORECASE,
    )


_CARDINALS = frozenset(
    w for w, n in WORD_NUMBERS.items() if n >= 1 and w not in ("double", "triple", "twice", "thrice", "dozen")
)
_SPOKEN = {str(n): w for w, n in WORD_NUMBERS.items() if w in _CARDINALS and n == int(n) and n <= 20}  # 5: five
_SHORT = re.compile(r"[^aeiou\W\d]*[aeiou][bdgmnprt]")  # a word that doubles its last letter: "keg", "let"


# values by the everyday words people say them with: "a big locker" for "large" (not "little", as in "a
# little late"), "kids" for "child"
_EVERYDAY = {"large": r"big|bigger|biggest|huge", "small": r"tiny|smaller|smallest", "child": r"children|kids?",
             "adult": r"grown[- ]ups?", "senior": r"pensioners?|retirees?", "bicycle": r"bikes?",
             "dog": r"pupp(?:y|ies)|pups?", "cat": r"kittens?|kitty"}  # fmt: skip
# clothing and frame sizes by their letters' words, where the values are such sizes: "in a large" for "L"
_SIZES = {"xs": r"extra[- ]small", "s": r"small", "m": r"medium", "l": r"large", "xl": r"extra[- ]large",
          "xxl": r"(?:extra[- ]){2}large|double[- ]extra[- ]large"}  # fmt: skip


def _other_forms(word: str) -> str:
    """Alternatives of `enum_pattern` for a value's word in another form: a short word's consonant
    doubled before "-ing" or "-ed" ("kegging" names "keg", "hemmed" "hem"); an adjective as the adverb
    before a participle or adjective ("heavily soiled" names "heavy", "lightly used" "light"); a
    phrase's first verb inflected ("taking in" names "take in"); a blood group's sign said ("O
    negative" names "O-"); a size by its sides with "by" ("5 by 10" names "5x10"); a value by its everyday
    word (`_EVERYDAY`: "big" names "large", "kids" "child", "large" the size "L")."""
    forms = []
    if _SHORT.fullmatch(word):
        forms.append(rf"{re.escape(word + word[-1])}(?:ing|ed)")
    if len(word) >= 4 and word.isalpha():
        adverb = word[:-1] + "ily" if word.endswith("y") else word + "ly"
        forms.append(rf"{adverb}(?=\s+[a-z]+(?:ed|y|en)\b)")
    if word in _EVERYDAY:
        forms.append(_EVERYDAY[word])
    first, _, rest = word.partition(" ")
    if rest and len(first) >= 3 and first.isalpha():
        stem = first[:-1] if first.endswith("e") else first + first[-1] if _SHORT.fullmatch(first) else first
        forms.append(rf"(?:{re.escape(first)}[sd]|{re.escape(stem)}(?:ing|ed)) {re.escape(rest)}s?")
    if count := re.fullmatch(r"(\d+)[ -]([a-z]{3,4})", word):  # "3-bed" by "3-bedroom", "2 bath" by "2 bathrooms"
        forms.append(rf"{count[1]}[ -]{count[2]}[a-z]*")
    if sides := re.fullmatch(r"(\d+(?:\.\d+)?)\s?[x×]\s?(\d+(?:\.\d+)?)", word):  # "5 by 10", "five by ten"
        said = [f"(?:{re.escape(n)}|{_SPOKEN[n]})" if n in _SPOKEN else re.escape(n) for n in sides.groups()]
        forms.append(rf"{said[0]}\s?(?:x|×|by)\s?{said[1]}")
    if group := re.fullmatch(r"(a|b|ab|o)([+-])", word):
        forms.append(rf"{group[1]}\s*{'pos(?:itive)?' if group[2] == '+' else 'neg(?:ative)?'}")
    return "".join(rf"|(?<!\w)(?:{f})(?!\w)" for f in forms)


def without_enum_numbers(props: dict, text: str) -> str:
    """`text` with the enum values of letters and digits it names blanked out ("tickets in 3D", "on
    economy 7"): their numbers are the value's, no count's."""
    for schema in props.values():
        for value in schema.get("enum") or () if isinstance(schema, dict) else ():
            if isinstance(value, str) and re.search(r"\d", value) and re.search(r"[A-Za-z]", value):
                text = enum_pattern(value).sub(lambda m: " " * len(m.group(0)), text)
    return text


def nothing_said(name: str, values: list, text: str) -> list:
    """The enum value that means none ("none", "no") where `text` says none of what the parameter's name
    says ("with no insurance", "without insurance" for `insurance`); else nothing."""
    nothing = [v for v in values if isinstance(v, str) and v.lower() in ("none", "no", "nothing")]
    words = [re.escape(stem(w)) for w in re.split(r"[_\W]+", name.lower()) if len(w) > 2]
    said = words and re.search(rf"\b(?:no|without)\s+(?:any\s+)?(?:\w+\s+)?(?:{'|'.join(words)})", text, re.I)
    return nothing[:1] if said else []

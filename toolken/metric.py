"""Numbers written with a unit, read in the unit a parameter asks for: "100µF" is 0.0001 for a
capacitance "in farads (F)", "50 mH" is 0.05 for an inductance in henries, "500 g" is 0.5 for a mass
in kilograms, "300K" is 300 for a temperature in kelvins; a number written in another unit is not
the parameter's. Where the parameter asks for no unit, or the text writes its numbers with none,
every number is read as written."""

from __future__ import annotations

import re

from .numerals import NUMBER_RE, values_of

PREFIXES = {"p": 1e-12, "n": 1e-9, "µ": 1e-6, "μ": 1e-6, "u": 1e-6, "m": 1e-3, "c": 1e-2, "k": 1e3, "M": 1e6, "G": 1e9}
PREFIX_WORDS = {"pico": "p", "nano": "n", "micro": "µ", "milli": "m", "centi": "c", "kilo": "k", "mega": "M",
                "giga": "G"}  # fmt: skip
# base unit -> its symbol and its name; Celsius, Fahrenheit and tesla share letters with farads and
# coulombs, so C and T are left out, and F is read only with a prefix ("µF", never "100 F")
UNITS = {
    "F": "farads?", "H": "henr(?:y|ys|ies)", "m": "met(?:er|re)s?", "g": "gram(?:me)?s?", "s": "seconds?",
    "A": "amp(?:ere)?s?", "V": "volts?", "Ω": "ohms?", "Hz": "hertz", "W": "watts?", "J": "joules?",
    "Pa": "pascals?", "L": "lit(?:er|re)s?", "N": "newtons?", "K": "kelvins?",
}  # fmt: skip
_SYMBOL = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_PREFIX = "[" + "".join(PREFIXES) + "]"
_NAME = "|".join(UNITS.values())
# a unit written after a number: "100µF", "50 mH", "5 km", "2 kilometers", "12 amperes"
_WRITTEN = re.compile(
    rf"\s?(?:(?P<p>{_PREFIX})?(?P<u>{_SYMBOL})(?![\w/^²³])|(?P<pw>{'|'.join(PREFIX_WORDS)})?(?P<n>{_NAME})\b)",
    re.IGNORECASE,
)
# the unit a parameter asks for, "in" it or in parentheses: a name ("in henries", "(kilograms)") or
# a symbol ("(mH)", "in kg"); not any word that is also a unit's name ("the second body")
_ASKED = re.compile(
    rf"(?:\(|\bin\s+)(?:(?P<pw>{'|'.join(PREFIX_WORDS)})?(?P<n>{_NAME})\b|(?P<p>{_PREFIX})?(?P<u>{_SYMBOL})(?:\)|\b))",
    re.IGNORECASE,
)

_COMPOUND = re.compile(r"\s*(?:per\b|/|\^|²|³|\d)", re.IGNORECASE)


def _compound(m: re.Match, words: str) -> bool:
    """Whether a unit named in `words` is part of a compound one ("meters per second", "sq m")."""
    return bool(_COMPOUND.match(words, m.end())) or bool(
        re.search(r"(?:square|cubic|sq\.?)\s*$", words[: m.start()], re.IGNORECASE)
    )


def _unit(m: re.Match) -> tuple[str, float] | None:
    """(base unit, prefix factor) of a match of `_WRITTEN` or `_ASKED`; None for a symbol in the wrong
    case ("5 MM", "10 S") or "F" without a prefix ("100 F" may be Fahrenheit)."""
    if m.group("n"):
        base = next(s for s, n in UNITS.items() if re.fullmatch(n, m.group("n"), re.IGNORECASE))
        return base, PREFIXES[PREFIX_WORDS[m.group("pw").lower()]] if m.group("pw") else 1.0
    symbol, prefix = m.group("u"), m.group("p")
    symbol = "L" if symbol == "l" else symbol  # "250 ml"
    if symbol not in UNITS or (prefix and prefix not in PREFIXES) or (symbol == "F" and not prefix):
        return None
    return symbol, PREFIXES[prefix] if prefix else 1.0


def asked_unit(name: str, schema: dict) -> tuple[str, float] | None:
    """The base unit and prefix factor a parameter's name ("weight_kg") or description ("the mass in
    kilograms") asks for, if it names one."""
    # "weight_kg": in kg; not "m" alone, nor the "kg" of a rate, `mg_per_kg`
    suffix = f" (in {name.rsplit('_', 1)[1]})" if "_" in name and "_per_" not in name.lower() else ""
    words = f"{schema.get('description', '')}{suffix}"
    matches = [(m, u) for m in _ASKED.finditer(words) if (u := _unit(m))]
    if any(_compound(m, words) for m, _ in matches):
        return None  # "meters per second", "m/s", "square meters": another quantity
    found = [(m.group("n") is None, u) for m, u in matches]
    return min(found, key=lambda f: f[0])[1] if found else None  # "henries" before "(L)"


def metric_reading(name: str, schema: dict, text: str) -> list[float | int] | None:
    """The numbers of `text` for parameter `name` where it asks for a unit: those written in a prefixed
    form of it converted to it ("100µF" -> 0.0001 for farads), those written in it as written ("300K"
    for kelvins), those written in another unit left out ("50mH" for farads); None where the text
    writes none of its numbers with a unit (or none would be left)."""
    asked = asked_unit(name, schema)
    if asked is None:
        return None
    out, changed = [], False
    for match in NUMBER_RE.finditer(text):
        unit = _WRITTEN.match(text, match.end())
        written = _unit(unit) if unit else None
        values = values_of(match, text)
        if written and written[0] != asked[0]:  # "100µF" is no inductance
            values, changed = [], True
        elif written and written[1] != asked[1]:
            values, changed = [_tidy(v * written[1] / asked[1]) for v in values], True
        elif written:  # in the unit asked for: as written ("300K" is 300 kelvins, not 300,000)
            values, changed = [_tidy(float(match.group(0).replace(",", "")))], True
        out += values
    return list(dict.fromkeys(out)) if changed and out else None


def _tidy(value: float) -> float | int:
    """A converted value without float noise (100 * 1e-6 is 0.0001), whole numbers as ints."""
    value = float(f"{value:.12g}")
    return int(value) if value.is_integer() else value

"""Numbers written in a notation a parameter's description shows by example: "The f-number, e.g.
2.8 for f/2.8" reads "f/8" as 8, and "The shutter speed in seconds, e.g. 0.004 for 1/250 s" reads
"1/125" as 0.008. A parameter that shows one takes the numbers the text writes that way, if any."""

from __future__ import annotations

import re

from .numerals import NUMBER_RE, values_of

# "2.8 for f/2.8", "0.004 for 1/250 s": a value, then how people write it
_SHOWN = re.compile(r"(?<![\w.])(-?\d*\.?\d+) for ([^\s,;)]+)")
_FRACTION = re.compile(r"(?<![\w/.-])(\d+)/(\d+)(?![\w/.-]|\.\d)")  # "1/125", not a date "1/12/2025"
_DIGITS = 6  # a fraction read as a decimal keeps this many significant digits


def _shown(schema: dict) -> tuple[bool, list[str]]:
    """Whether the description shows a value written as a fraction, and the signs it shows written
    before a value ("f/" of "2.8 for f/2.8")."""
    fraction, prefixes = False, []
    for value, written in _SHOWN.findall(str(schema.get("description", ""))):
        if (parts := _FRACTION.fullmatch(written.rstrip("."))) and int(parts[2]):
            fraction = fraction or abs(int(parts[1]) / int(parts[2]) - float(value)) < 1e-3 * max(1, abs(float(value)))
        elif (at := written.find(value)) > 0 and not any(c.isdigit() for c in written[:at]):
            prefixes.append(written[:at])
    return fraction, prefixes


def takes_fractions(schema: object) -> bool:
    """Whether a number parameter's description shows a value written as a fraction ("0.004 for 1/250 s")."""
    return isinstance(schema, dict) and schema.get("type") in ("number", "integer") and _shown(schema)[0]


def notation_values(schema: dict, text: str) -> list[float | int]:
    """The numbers `text` writes in a notation `schema`'s description shows: fractions as decimals
    ("1/125": 0.008) and values after a shown sign ("f/8": 8), in the order written; [] if none."""
    fraction, prefixes = _shown(schema)
    found: list[tuple[int, float | int]] = []
    if fraction:
        fractions = [m for m in _FRACTION.finditer(text) if int(m[2])]
        found += [(m.start(), float(f"{int(m[1]) / int(m[2]):.{_DIGITS}g}")) for m in fractions]
    for prefix in prefixes:
        signed = re.compile(rf"(?<![\w]){re.escape(prefix)}(?={NUMBER_RE.pattern})", re.IGNORECASE)
        for m in signed.finditer(text):
            number = NUMBER_RE.match(text, m.end())
            found += [(m.start(), values_of(number, text)[0])] if number else []
    return list(dict.fromkeys(v for _, v in sorted(found)))


def without_fractions(text: str) -> str:
    """`text` with its fractions blanked: "1/125" is one number of the parameter that reads it, not 1 and 125."""
    return _FRACTION.sub(lambda m: " " * len(m.group(0)), text)

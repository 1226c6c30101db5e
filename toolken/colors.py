"""Colours a question writes, for a parameter that takes a colour: "navy wool swatches" gives "navy",
"light blue" stays whole, and "under $30 a metre" gives none (never any word of the question)."""

from __future__ import annotations

import re
from functools import cache

from .spellings import spelled
from .values import pool_name, resources


def takes_color(name: str, schema: dict) -> bool:
    """Whether a string parameter takes a colour: its name says so (`color`, `ink_colour`) and it draws
    from the shipped `color` pool (a colour `standard` described by the word takes none)."""
    named = re.search(r"colou?r", name, re.I) is not None
    return named and isinstance(schema, dict) and schema.get("type") == "string" and pool_name(name, schema) == "color"


_SHADES = ("light", "dark", "pale", "bright", "deep", "hot", "sky", "navy", "royal", "baby")


@cache
def _colors() -> re.Pattern:
    """The shipped colour words (`resources()["colors"]`), with a shade before one ("dark green") or a
    capitalised word before a capitalised one ("Sea Green")."""
    words = "|".join(spelled(c) for c in sorted(resources()["colors"], key=len, reverse=True))
    shade = rf"(?:(?i:{'|'.join(_SHADES)})[\s-]|[A-Z][a-z]+ (?=[A-Z]))?"  # "dark green", "Sea Green"
    return re.compile(rf"(?<![\w-]){shade}(?i:{words})(?![\w-])")


def colors_in(text: str) -> list[str]:
    """The colours `text` writes, as it writes them: a shade with its colour and the colour alone ("dark
    green", "green"), a name whole ("Sea Green")."""
    found = []
    for m in _colors().finditer(text):
        found.append(m.group(0))
        first, _, rest = m.group(0).replace("-", " ").partition(" ")
        if rest and first.lower() in _SHADES:
            found.append(rest)
    return list(dict.fromkeys(found))

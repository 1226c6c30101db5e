"""The countries a text names, by name or by their people's adjective ("a Canadian passport"), never
a language written as one ("Translate it into Spanish")."""

from __future__ import annotations

import re
from functools import cache

from .values import places, resources


@cache
def known_countries() -> tuple[dict[str, str], re.Pattern]:
    """How a text names a known country -> the country: its name (the shipped pool's and the
    countries of the shipped places) or its people's adjective ("Canadian", "Canadians" -> "Canada"); and one
    pattern of them all, longest first ("South African" before "African")."""
    known = {c: c for c in resources()["pools"]["country"]}
    known.update({p["country"]: p["country"] for p in places().values() if "country" in p})
    demonyms = resources()["demonyms"]
    people = {f"{a}s": c for a, c in demonyms.items() if a[-1] not in "sheSHE"}  # "Canadians"; not "Frenchs"
    known = {**known, **people, **demonyms, **{c: c for c in demonyms.values()}}
    # in any case ("population of kenya?"), but for letters written as capitals ("US", not "us")
    written = "|".join(
        re.escape(k) if k.isupper() else f"(?i:{re.escape(k)})" for k in sorted(known, key=len, reverse=True)
    )
    return {k.lower(): v for k, v in known.items()}, re.compile(rf"(?<![\w-])(?:{written})(?![\w-])")


def countries_in(text: str) -> list[str]:
    """The known countries `text` names, by name or adjective, in the order it first names them; an
    adjective that names a language after "in", "into", "to" or "from" names none ("Translate it into
    Spanish", not "a Spanish passport")."""
    known, pattern = known_countries()
    found = [(m, known[m.group(0).lower()]) for m in pattern.finditer(text)]
    return list(dict.fromkeys(c for m, c in found if not (m.group(0).lower() != c.lower() and _a_language(m, text))))


_TO_LANGUAGE = re.compile(r"\b(?:in|into|to|from)\s+$", re.IGNORECASE)
_NOUN_AFTER = re.compile(r"\s+([a-z]+)")


def _a_language(match: re.Match, text: str) -> bool:
    """Whether a people's adjective the text writes is their language: after "into" (and the like)
    and before no noun it qualifies ("into Spanish.", "in German for me"; not "to German citizens")."""
    from .written import NO_NOUNS  # which reads this module's countries

    if not _TO_LANGUAGE.search(text[: match.start()]):
        return False
    after = _NOUN_AFTER.match(text, match.end())
    return after is None or after.group(1) in NO_NOUNS

"""Works and people a question names: a work's maker (an `artist`, `author`, `director`...), the names
it writes after "by" ("Play Bohemian Rhapsody by Queen"), and not those it writes after "about", which
are the work's topic ("books about the Roman Empire"); a work's title ("When is Iron Tide playing?");
who serves ("Does Dr. Okonkwo have anything open?")."""

from __future__ import annotations

import re

from .countries import known_countries
from .values import MAKERS, NAME_WORD, parameter_words, places, takes_title
from .written import SERVES, names_for

_BY_NAME = re.compile(r"\bby\s+((?:the\s+)?[A-Z][\w'.&-]*(?:\s+(?:of\s+)?[A-Z][\w'.&-]*){0,3})")
_ABOUT = re.compile(r"\babout\s+(?:the\s+)?$", re.IGNORECASE)
# the words of a parameter for who serves: "vet", "Name of a specific stylist", `instructor_name`
_WHO = re.compile(rf"\b(?:{SERVES})s?\b")


def takes_maker(name: str) -> bool:
    """Whether a parameter takes a work's maker: a word of its name says one (`artist`, `author_name`)."""
    return bool({w.lower() for w in NAME_WORD.findall(name)} & MAKERS)


def makers_in(name: str, text: str) -> list[str]:
    """For a parameter that takes a work's maker, the names `text` writes after "by" ("Play Bohemian
    Rhapsody by Queen": "Queen"; "by the Beatles": "the Beatles")."""
    if not takes_maker(name):
        return []
    return list(dict.fromkeys(m.group(1).rstrip(".,;:'\"") for m in _BY_NAME.finditer(text)))


def no_topics(name: str, names: list[str], text: str) -> list[str]:
    """`names` less, for a work's maker, those `text` writes only after "about": the work's topic
    ("books about the Roman Empire", "a film about Gandhi"), not its maker."""
    if not takes_maker(name):
        return names
    return [n for n in names if any(not _ABOUT.search(text[: m.start()]) for m in re.finditer(re.escape(n), text))]


def titles_in(name: str, schema: dict, text: str) -> list[str]:
    """The names `text` writes of the film, book or song a parameter takes the title of (`takes_title`),
    but the well-known places ("a novel at the New York library")."""
    if schema.get("type") != "string" or not takes_title(name, schema):
        return []
    return [n for n in names_for(name, schema, text) if n not in places() and n.lower() not in known_countries()[0]]


def people_named(props: dict, narrowed: dict, required: set[str]) -> list[str]:
    """The optional parameters for who serves (a vet, a stylist, an instructor ...; `narrowed`: their
    copy schemas) offered a name no required parameter is offered: a question that names who it wants."""
    taken = {v for n, p in narrowed.items() if n in required and isinstance(p, dict) for v in p.get("enum") or ()
             if isinstance(v, str)}  # fmt: skip
    return [
        n for n, p in narrowed.items()
        if n not in required and isinstance(p, dict) and p.get("type") == "string" and p.get("enum")
        and _WHO.search(parameter_words(n, props[n])) and set(p["enum"]) - taken
    ]  # fmt: skip

"""A work's maker (an `artist`, `author`, `director`...): the names a question writes after "by"
("Play Bohemian Rhapsody by Queen"), and not those it writes after "about", which are the work's topic
("books about the Roman Empire")."""

from __future__ import annotations

import re

from .values import MAKERS, NAME_WORD

_BY_NAME = re.compile(r"\bby\s+((?:the\s+)?[A-Z][\w'.&-]*(?:\s+(?:of\s+)?[A-Z][\w'.&-]*){0,3})")
_ABOUT = re.compile(r"\babout\s+(?:the\s+)?$", re.IGNORECASE)


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

"""What a request is for and what it is about, for a free string that takes either: a reason
("because of the exam", "for a family trip") and a topic ("about ordering food")."""

from __future__ import annotations

import re

from .free_strings import is_free_string

_WHY = re.compile(r"\b(?:reasons?|why|purpose|cause|because)\b", re.I)  # a parameter that takes a reason
# a reason a text gives: after "because (of)", "since", "due to", a closing "for a/my ..." or ", I'm ..."
_REASON = re.compile(
    r"(?:\bbecause(?:\s+of)?|\bdue\s+to|\bsince|,\s*(?=I'm\b|I\s+am\b|we're\b|we\s+are\b)"
    r"|\bfor\s+(?=(?:a|an|my|our)\s+[^,.;!?]+[.!?]?$))\s*(?P<why>[^,.;!?]+)",
    re.I,
)


def reasons_in(name: str, schema: dict, text: str) -> list[str]:
    """For a free string that takes a reason (`_WHY` in its name or description: `reason`, "A note
    about why"), the reason the text gives, without its article, as written and with its lead words:
    "for a family trip": "family trip", "a family trip", "for a family trip"; ", I'm moving house":
    "moving house", "I'm moving house"; [] for another parameter or where none is given."""
    return _given(name, schema, text, _WHY, _REASON, r"a|an|the|I'm|I\s+am|we're|we\s+are")


def _given(name: str, schema: dict, text: str, takes: re.Pattern, gives: re.Pattern, lead: str) -> list[str]:
    """For a free string whose name or description `takes` matches, each value `gives` finds in the
    text (its last group): without the `lead` words and quotes, as written, and with the words before it."""
    if not is_free_string(name, schema) or not takes.search(f"{name} {schema.get('description', '')}"):
        return []
    found = []
    for m in gives.finditer(text):
        value = m[m.lastindex].strip()
        found += [re.sub(rf"^(?:{lead})\s+", "", value, flags=re.I).strip("'\""), value, m.group(0).strip(" ,")]
    return list(dict.fromkeys(v for v in found if v))


_TOPIC = re.compile(r"\b(?:topics?|subjects?|themes?|about|regarding)\b", re.I)  # a parameter that takes a topic
# a topic a text gives: up to three words after "about" or "regarding", to its clause's end or a preposition
_STOP = r"(?:from|to|in|on|at|for|with|by|and|or|related)\b"
_ABOUT = re.compile(
    rf"\b(?:about|regarding)\s+(?P<what>(?:(?!{_STOP})[^\s,.;!?]+\s*){{1,3}})(?=$|[,.;!?]|\s+{_STOP})", re.I
)


def topics_in(name: str, schema: dict, text: str) -> list[str]:
    """For a free string that takes a topic (`_TOPIC` in its name or description: `topic`, "What the
    note is about"), what the text says its request is about, in three words at most: without its
    article (or "its", "my", ...) and quotes, as written, and with its lead word ("about the
    economy": "economy", "the economy", "about the economy"); [] for another parameter."""
    return _given(name, schema, text, _TOPIC, _ABOUT, r"a|an|the|its|his|her|their|my|your|our")


def purposes_in(name: str, schema: dict, text: str, optional: bool = True) -> list[str]:
    """The reasons a text gives (`reasons_in`), else, for an `optional` free string, the topics it
    names (`topics_in`): a required one copies the question's words as they are."""
    return reasons_in(name, schema, text) or (topics_in(name, schema, text) if optional else [])

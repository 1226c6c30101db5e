"""Questions that need no tool but come near one, synthesized for the tool set being trained: they
name what a tool is about ("Tell me a joke about currency.") or a value of the kind it takes ("What
is Paris famous for?", "Let's catch up tomorrow.") without asking for what the tool does. The
shipped no-tool questions are far from most tools; these teach the head that a topic word, a name or
a day alone is no call."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from .dates import date_format
from .tools import Tool
from .values import names_a_thing, resources, value_pool

# words of a tool's name that say what it does or how, not what it is about
_NOT_TOPIC = {"get", "calculate", "compute", "find", "fetch", "retrieve", "lookup", "look", "up", "count", "convert",
              "check", "search", "make", "create", "send", "set", "list", "show", "translate", "add", "run", "define",
              "until", "from", "to", "in", "into", "at", "for", "by", "of", "on", "with", "per", "the", "a", "an",
              "and", "or", "current", "new", "info", "data", "details"}  # fmt: skip


def topic_of(tool: Tool) -> str:
    """What `tool` is about, from its name: the words that are not verbs or particles
    (`get_weather` -> "weather", `convert_currency` -> "currency"); "" if none is left."""
    words = re.findall(r"[a-z]+", tool.readable_name.lower())
    return " ".join(w for w in words if w not in _NOT_TOPIC and len(w) > 1)


def _fill(pair: Sequence[str], **values: str) -> tuple[str, str]:
    fields = {**values, **{k.capitalize(): v[:1].upper() + v[1:] for k, v in values.items()}}
    fields["spelled"] = "-".join(next(iter(values.values())).upper())
    return pair[0].format(**fields), pair[1].format(**fields)


def near_misses(tools: Sequence[Tool], per_tool: int, rng: random.Random) -> list[tuple[str, str]]:
    """Up to `per_tool` questions per tool about its topic, as many per name-like parameter with a
    name of its kind (`values.names_a_thing`) and per date parameter with a day said as people say it
    ("tomorrow", "on Friday": a question that says a day asks no calendar), each with a short answer
    in words."""
    shipped = resources()
    templates = shipped["near_miss"]
    found: dict[str, str] = {}
    for tool in tools:
        topic = topic_of(tool)
        for _ in range(per_tool if topic else 0):
            q, a = _fill(rng.choice(templates["topic"]), topic=topic)
            found.setdefault(q, a)
        for name, schema in tool.parameters.get("properties", {}).items():
            for _ in range(per_tool if names_a_thing(name, schema) else 0):
                q, a = _fill(rng.choice(templates["name"]), name=rng.choice(value_pool(name, schema)))
                found.setdefault(q, a)
            for _ in range(per_tool if isinstance(schema, dict) and date_format(schema) else 0):
                q, a = _fill(rng.choice(templates["day"]), day=rng.choice(shipped["said_days"]))
                found.setdefault(q, a)
    return list(found.items())

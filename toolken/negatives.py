"""Questions that need no tool but come near one, synthesized for the tool set being trained: they
name what a tool is about ("Tell me a joke about currency.") or a value of the kind it takes ("What
is Paris famous for?") without asking for what the tool does. The shipped no-tool questions are far
from most tools; these teach the head that a topic word or a name alone is no call. And a tool's
own questions asked where only another tool is offered (`not_offered`): no call either, as a
question of a request that lists only tools that do not fit it."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from .copying import word_stems
from .tools import Tool
from .values import names_a_thing, resources, value_pool

NOT_OFFERED_ANSWER = "None of the tools offered does that."

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
    """Up to `per_tool` questions per tool about its topic and as many per name-like parameter with a
    name of its kind (`values.names_a_thing`), each with a short answer in words."""
    templates = resources()["near_miss"]
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
    return list(found.items())


def topic_words(text: str) -> set[str]:
    """The words of `text` that can tell its topic: four letters or more ("the", "of" tell none)."""
    return {w for w in word_stems(text) if len(w) > 3}


def _words_of(tool: Tool) -> set[str]:
    return topic_words(f"{tool.readable_name} {tool.description}")


def nearest_tool(words: set[str], tools: Sequence[Tool], rng: random.Random) -> str:
    """The name of the tool whose name and description share most of `words` (ties drawn)."""
    return max(tools, key=lambda t: (len(words & _words_of(t)), rng.random())).name


def not_offered(
    asked: Sequence[tuple[str, str]], tools: Sequence[Tool], share: float, rng: random.Random
) -> list[tuple[str, str, str]]:
    """About `share` of the tool questions `asked` ((question, tool name) pairs) asked again where
    only another tool is offered, the one nearest the asked tool's topic: (question, answer in
    words, the tool offered). They teach a toolken to stay below the words on questions that are not
    its own, not only below the tool they are for, as a request listing only other tools needs."""
    by_name = {t.name: t for t in tools}
    out = []
    for q, name in asked:
        others = [t for t in tools if t.name != name]
        if others and name in by_name and rng.random() < share:
            out.append((q, NOT_OFFERED_ANSWER, nearest_tool(_words_of(by_name[name]), others, rng)))
    return out

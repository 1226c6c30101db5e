"""What a tool does, read from its description: the description's first sentence without its
preamble (`description_sentence`), whether the tool acts, changing something (`acts`), and how people
ask a tool that defines words or translates them (`meaning_asked`, `meaning_question`,
`translation_question`). `toolken.questions` phrases synthesized questions with them, and
`toolken.firing` keeps a tool that acts quiet on a question."""

from __future__ import annotations

import re

from .tools import Tool
from .values import parameter_words

# "This tool returns ...", "A function that converts ...", "Use this to ...": the words before a
# description's own verb
_PREAMBLE = re.compile(
    r"^(?:(?:this|the|a)\s+)?(?:tool|function|api|endpoint|method|service)\s+(?:that\s+|which\s+|to\s+|will\s+|"
    r"can\s+|is\s+used\s+to\s+|allows\s+you\s+to\s+|lets\s+you\s+|helps\s+(?:you\s+)?(?:to\s+)?)?"
    r"|^use\s+(?:this\s+)?(?:tool\s+)?to\s+|^used\s+to\s+|^either\s+",
    re.IGNORECASE,
)


def description_sentence(tool: Tool) -> str:
    """The description's first sentence without its preamble ("This tool returns ..."), what follows a
    colon ("Look up an element: name, number and mass") or its full stop."""
    text = tool.description.strip().split("\n")[0].split(". ")[0].rstrip(".") or f"use {tool.readable_name}"
    before, colon, _ = text.partition(": ")
    text = before if colon and len(before.split()) > 1 else text
    while (shorter := _PREAMBLE.sub("", text, count=1)) != text and shorter:
        if re.match(r"(?:for|is|be|of)\b", shorter, re.IGNORECASE):
            break  # "A tool for scanning ...": a noun phrase after all
        text = shorter
    return _USERS.sub("my", text)  # the user asks: "Add an event to my calendar"


_USERS = re.compile(r"\bthe (?:current |signed-in |logged-in )?user[’']s\b", re.IGNORECASE)


# verbs of a tool that acts, changing something
ACTING = (
    r"(?:set|switch|turn|lock|unlock|start|stop|play|pause|book|reserve|send|post|publish|tweet|share|delete|remove"
    r"|cancel|create|add|schedule|transfer|pay|control|enable|disable|update|save|block|dim|launch|activate"
    r"|deactivate|mute|unmute|follow|subscribe|upload|install|invite|register|submit|broadcast|announce|reset|restart"
    r"|reboot|renew|extend|clear|print|buy|purchase|rename|archive|assign|approve|reject|edit|modify|toggle|trigger"
    r"|remind|notify|refund|restore|empty|email|arm|disarm|drop|enroll|enrol|withdraw|join|request|deploy|merge"
    r"|rollback|revert|close|open|reopen|file|resume|continue|generate|compose|draft|log|report|record|order"
    r"|reorder|queue|rent|mark|move|copy)(?:s|es)?"
)
# a description that opens with one, on a thing ("Lock or unlock a door", "Publish a post", "Subscribe to a
# show"; not "Add numbers")
_ACTS_ON = re.compile(
    rf"{ACTING}\s+(?:or\s+\w+\s+)?(?:(?:to|from|for|with)\s+)?(?:a|an|the|my|your|our|their|this|that|these|those|one|some|all|new|on|off|up"
    r"|down|it|them)\b",
    re.IGNORECASE,
)
# a description that says a tool only reads ("gets the year when a TV show started airing": `start year`)
_READS = re.compile(
    r"(?:get|return|find|look|fetch|retrieve|list|show|calculate|compute|count|check|search)(?:s|es)?\b"
    r"|(?:the|an?)\s"  # or names what it gives: "The largest print of a photo ..." of `print_size`
    r"|(?:how (?:much|many|long|far)|when|where|which|whether|who|what)\b",  # or asks it: "How much will be refunded"
    re.IGNORECASE,
)


# a description that turns a value into another ("Turn a percentage into a grade"): it converts, acting on nothing
_CONVERTS = re.compile(r"(?:turn|switch|change)(?:s|es)?\b[^.]*?\binto\b", re.IGNORECASE)


def acts(tool: Tool) -> bool:
    """Whether `tool` acts, changing something: its description opens with such a verb on a thing
    ("Lock or unlock a door", "Save a new note"), or its name does with an object after it (`send_payment`,
    `add_task`) and its description does not say it only reads (a `start year` that "gets the year ...",
    a `print_size` that is "The largest print ...", an `order_total` that is "Total price of an order";
    `add` of two numbers). People request such a tool ("Lock the front door"); they do not ask it a question."""
    sentence = description_sentence(tool)
    verb, *rest = tool.readable_name.split() or [""]
    # the description names what the rest of the name does: "Total price of an order" of `order_total`
    names_rest = bool(rest) and (sentence.split() or [""])[0].lower().rstrip("s") == rest[-1].lower().rstrip("s")
    by_name = bool(rest) and re.fullmatch(ACTING, verb, re.IGNORECASE) and not (_READS.match(sentence) or names_rest)
    return bool(by_name or _ACTS_ON.match(sentence)) and not (_CONVERTS.match(sentence) or _TELLS.match(sentence))


# "Report the fire danger level for a day" tells; "Report a bug", "Report the outage" file a report
_TELLS = re.compile(
    r"reports?\s+(?:the|on)\s+(?!(?:\w+\s+)?(?:issue|problem|bug|incident|outage|fault|abuse|spam|fraud|theft|loss"
    r"|damage|leak|error|crash)s?\b)",
    re.IGNORECASE,
)


_WORD_PARAMETER = re.compile(r"\b(?:words?|terms?|phrases?|idioms?|acronyms?|abbreviations?)\b")


def meaning_asked(tool: Tool) -> str | None:
    """How people ask a tool that defines a word or expands an acronym, as a template on its one
    required word: "What does {} mean", "What does {} stand for"; None for other tools."""
    required = tool.parameters.get("required", [])
    schema = tool.parameters.get("properties", {}).get(required[0], {}) if len(required) == 1 else None
    if not isinstance(schema, dict) or not _WORD_PARAMETER.search(parameter_words(required[0], schema)):
        return None
    text = f"{tool.readable_name} {description_sentence(tool)}".lower()
    if re.search(r"\b(?:acronyms?|abbreviations?)\b", text):
        return "What does {} stand for"
    if re.search(r"\b(?:define|defines|definitions?|meanings?)\b", text):
        return "What does {} mean"
    return None


def translation_question(tool: Tool, spoken: dict[str, str]) -> str | None:
    """How people ask a tool that translates a text into a language they name: "How do you say apple in
    French"; None for other tools, calls with more values, or a language written as a code ("fr")."""
    if len(spoken) != 2 or "translat" not in f"{tool.readable_name} {description_sentence(tool)}".lower():
        return None
    target = [n for n in spoken if "lang" in n.lower() and not re.search(r"source|from|src|input", n, re.I)]
    said = [n for n in spoken if "lang" not in n.lower() and not re.search(r"source|from|src", n, re.I)]
    if len(target) != 1 or len(said) != 1 or not (language := spoken[target[0]]).isalpha() or len(language) < 4:
        return None
    return f"How do you say {spoken[said[0]]} in {language.capitalize()}"


def meaning_question(tool: Tool, spoken: dict[str, str]) -> str | None:
    """`meaning_asked` filled with the word ("What does ephemeral mean"), for a call of the word alone."""
    form = meaning_asked(tool)
    return form.format(*spoken.values()) if form and len(spoken) == 1 else None

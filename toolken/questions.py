"""How a synthesized question asks for one call: question forms (`TEMPLATES`) filled from the tool's
name, description and parameter descriptions, with the drawn values where the description names
them ("Subtract 158 from 793.41", "What is the weather in Paris?"). `toolken.synthesis` draws the
values and runs the calls."""

from __future__ import annotations

import re
import string
from functools import cache

from .descriptions import ACTING, acts, description_sentence, meaning_question, translation_question
from .switches import switch_said
from .tools import Tool
from .values import EXAMPLES_RE, resources

# question forms: {do} is the description as a verb phrase, {args} the values with their parameter
# names, {values} the values alone, {name} the tool's readable name
TEMPLATES = (
    "{Do}: {args}.",
    "Can you {do} for {args}?",
    "I need to {do}. {Args}.",
    "What {is} the {name} for {values}?",
    "{Woven}.",
    "Can you {woven}?",
    "Please {woven}.",
    "{Asked}?",
    "{Asked}?",
    "{Terse}?",
    "{terse}",
)
PREPOSITIONS = ("from", "to", "in", "into", "at", "for", "by", "of", "on", "with", "per")
# how a description's leading verb turns into a question: "Get the weather in Paris" -> "What is ..."
QUESTION_LEADS = (
    (r"count how many\s+", "How many "),
    (r"count the number of\s+", "How many "),
    (r"count\s+(?:the\s+)?", "How many "),
    (
        r"(?:get|gets|calculate|calculates|compute|computes|find|finds|fetch|fetches|retrieve|retrieves|look up|"
        r"looks up|return|returns|tell|tells)\s+(?:me\s+)?",
        "What is ",
    ),
    (r"(?:list|lists|show|shows)\s+(?:me\s+)?", "What are "),  # "List the events on my calendar"
)
THIRD_PERSON = {"return", "provide", "retrieve", "give", "compute", "calculate", "generate", "create", "update",
                "delete", "remove", "determine", "estimate", "evaluate", "perform", "predict", "book", "play", "read",
                "write", "save", "load", "open", "close", "start", "stop", "send", "look"}  # fmt: skip
VERBS = {
    "get",
    "calculate",
    "compute",
    "find",
    "fetch",
    "retrieve",
    "lookup",
    "look",
    "count",
    "convert",
    "check",
    "search",
    "make",
    "create",
    "send",
    "set",
    "list",
    "show",
    "translate",
    "add",
    "run",
}
# words that follow a verb, not a noun ("Work out the tip", "Water the plants"): a first word before
# them is a verb even where the shipped verbs lack it
_OBJECT_STARTS = frozenset(
    "the a an your my our their all some any one out up down off in on for to with from this that these those "
    "each every it them me us new current".split()
)


def _verb_phrase(tool: Tool) -> str:
    """The description's first sentence as a request: lower case, its verb in the base form ("gets the
    weather" -> "get the weather"); a description that names a quantity rather than a deed ("Remainder
    of dividing ...", "Body mass index from ...") asks to find it ("find the remainder of dividing ..."),
    and one that is a question put indirectly ("Which recycling bin an item goes in") to find it out."""
    text = description_sentence(tool)
    if _WH.match(text):
        return f"find out {text[:1].lower()}{text[1:]}"
    first, _, rest = text.partition(" ")
    if first.lower().endswith("ly") and _base_verb(rest.split(" ")[0].lower()) in _verbs():
        first, _, rest = rest.partition(" ")  # "Permanently deletes ...": the verb after the adverb
    word = first.rstrip(",;:")  # "Encrypt, encode and decode ..."
    if _names_a_quantity(word.lower(), rest):
        noun = re.sub(r"^(?:the|a|an|this)\s+", "", text, flags=re.IGNORECASE)
        return f"find the {noun[:1].lower()}{noun[1:]}"
    return " ".join(w for w in (_base_verb(word.lower()) + first[len(word) :], rest) if w)


def _names_a_quantity(first: str, rest: str) -> bool:
    """Whether a description starting with the word `first` is a noun phrase: it starts with an article,
    its first word is followed by "of" ("Sum of ...", whatever "sum" can be), or that word is neither a
    known verb nor a verb's "-s" form ("initiates") and no object follows it ("Percentage change ...")."""
    if first in ("a", "an", "the") or rest.startswith("of "):
        return True
    third_person = _ends_in_s(first)
    return not third_person and first not in _verbs() and rest.split(" ")[0].lower() not in _OBJECT_STARTS


def _plural(name: str) -> bool:
    """Whether a tool's name ends with a plural noun ("events", "top stories"; not "status", "news")."""
    last = name.split()[-1].lower() if name.split() else ""
    return _ends_in_s(last) and last not in ("news", "series", "species")


def _base_verb(word: str) -> str:
    """ "gets" -> "get", "fetches" -> "fetch", "multiplies" -> "multiply", "initiates" -> "initiate";
    other words as they are."""
    if word in _verbs() or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")) or word[:-2] in _verbs():
        return word[:-2]
    return word[:-1]


def _param_phrase(tool: Tool, name: str, spoken: str, verb: str) -> str:
    """`amount 120`, or with `verb` "is" and a short description: `the amount to convert is 120`."""
    described = tool.parameters.get("properties", {}).get(name, {}).get("description", "")
    # its examples are no part of it: "the state's two-letter code is OY", not "..., such as TX is OY"
    described = EXAMPLES_RE.split(described)[0].rstrip(" ,;:(").rstrip(".")
    if verb and described and len(described) < 60:
        return f"{described[0].lower()}{described[1:]} {verb} {spoken}"
    if _is_switch(tool, name) and not verb:
        return spoken  # "with symbols" says its name already
    return f"{name.replace('_', ' ')} {spoken}"


def _is_number(tool: Tool, name: str) -> bool:
    return tool.parameters.get("properties", {}).get(name, {}).get("type") in ("number", "integer")


def _is_switch(tool: Tool, name: str) -> bool:
    return tool.parameters.get("properties", {}).get(name, {}).get("type") == "boolean"


_HEAD_NOUNS = ("value", "one", "number", "amount", "figure", "quantity")  # "an old value": the noun is "value"
_ORDINALS = ("first", "second", "third", "fourth")
_ENDPOINT = re.compile(r"\b(?:from|to|by|and|between)\s$")  # a number here stands for its noun phrase


def _noun_phrase(phrase: str, tool: Tool, name: str) -> re.Match | None:
    """Where `phrase` names what parameter `name` stands for ("a city", "the radio station", "an old
    value"): by the last word of its name or of its description (a word, not a letter or preposition),
    and for a list by its plural alone ("Add numbers")."""
    schema = tool.parameters.get("properties", {}).get(name, {})
    described = schema.get("description", "").lower().rstrip(".")
    nouns = [n for n in dict.fromkeys([name.lower().split("_")[-1], *described.split()[-1:]])
             if len(n) > 1 and n not in PREPOSITIONS and n.isalpha()]  # fmt: skip
    head = rf"(?:\s+(?:{'|'.join(_HEAD_NOUNS)})\b)?"
    for noun in nouns:
        # up to two words before the noun, capitalised ones too ("an English word", "a US state")
        m = re.search(rf"\b(?:a|an|the|one|some|given)\s+(?:[A-Za-z]+\s+){{0,2}}?{re.escape(noun)}s?\b{head}", phrase)
        if m is None and schema.get("type") == "array":
            m = re.search(
                rf"\b(?:(?:the|some|given|two|several|whole|real|positive|a list of)\s+)*{re.escape(noun)}\b", phrase
            )
        if m:
            return m
    return None


def _ordinal_phrases(phrase: str, tool: Tool, names: list[str]) -> dict[str, re.Match]:
    """Parameters named by their place in the description ("the first number", "the second"), given
    in `names`' order: the first of `names` takes "the first", and so on."""
    found = {}
    for i, name in enumerate(names[: len(_ORDINALS)]):
        m = re.search(rf"\bthe {_ORDINALS[i]}(?:\s+(?:{'|'.join(_HEAD_NOUNS)})s?)?\b", phrase)
        if m:
            found[name] = m
    return found


def woven(tool: Tool, spoken: dict[str, str], phrase: str | None = None) -> str:
    """The description's verb phrase with the values in it: a string value takes the place of the noun
    it names ("in a city" -> "in Paris"), a number follows its noun ("a bill" -> "a bill of 64") or
    takes its place after "from", "to" or "by" or where it is only "a number" ("Subtract the second
    number from the first" -> "Subtract 7 from 12"), and the rest follow with their preposition
    ("from_unit" -> "from miles") or their name. `phrase`: another phrase of the description to weave
    them into (`_direct_question`)."""
    phrase, rest = phrase or _verb_phrase(tool), []
    unplaced = [n for n in spoken if _noun_phrase(phrase, tool, n) is None and _is_number(tool, n)]
    ordinals = _ordinal_phrases(phrase, tool, unplaced)
    for name, value in sorted(spoken.items(), key=lambda kv: -_place(phrase, tool, kv[0], ordinals)):
        m = ordinals.get(name) or _noun_phrase(phrase, tool, name)
        if m is None and name.split("_")[0] == "to" and " to another" in phrase:
            phrase = phrase.replace(" to another", f" to {value}", 1)  # "from one currency to another"
        elif m is None:
            rest.append(_trailing(tool, name, value))
        elif _is_number(tool, name) and (name in ordinals or _ENDPOINT.search(phrase[: m.start()]) or _generic(m)):
            phrase = f"{phrase[: m.start()]}{value}{phrase[m.end() :]}"
        elif _is_number(tool, name):
            after = re.match(r" of (\w+)", phrase[m.end() :])  # "an amount of money" -> "50 money"
            if after:
                phrase = f"{phrase[: m.start()]}{value} {after.group(1)}{phrase[m.end() + after.end() :]}"
            else:
                phrase = f"{phrase[: m.end()]} of {value}{phrase[m.end() :]}"
        else:
            phrase = f"{phrase[: m.start()]}{value}{phrase[m.end() :]}"
    return " ".join([phrase, *rest])


def _generic(m: re.Match) -> bool:
    """Whether a noun phrase says no more than "a number" ("a positive number", "the value"): the
    value itself says it better ("the square root of 45" rather than "of a number of 45")."""
    nouns = "|".join(_HEAD_NOUNS)
    return bool(re.fullmatch(rf"(?:a|an|the|one|some|given)\s+(?:[a-z]+\s+)?(?:{nouns})s?", m.group(0)))


def _place(phrase: str, tool: Tool, name: str, ordinals: dict[str, re.Match]) -> int:
    """Where in `phrase` a parameter's value goes (-1: after it): values are put in from the end of the
    phrase backwards, so each match's offsets still hold when it is replaced."""
    m = ordinals.get(name) or _noun_phrase(phrase, tool, name)
    return m.start() if m else -1


_UNIT_NAMES = {"minutes", "hours", "seconds", "days", "nights", "weeks", "months", "years", "kg", "km", "cm", "mm",
               "miles", "meters", "metres", "feet", "pounds", "grams", "liters", "litres", "percent"}  # fmt: skip


def _trailing(tool: Tool, name: str, value: str) -> str:
    """A value the phrase has no noun for, after it: "from miles" for `from_unit`, "for 30 minutes" for
    `minutes`, "with a weight of 82 kg" for `weight_kg`, "at 15%", else "with {name} {value}"."""
    words = name.lower().split("_")
    if words[0] in PREPOSITIONS:
        return f"{words[0]} {value}"
    if "%" in value:
        return f"at {value}"
    if _is_switch(tool, name):
        return value  # "with symbols"
    if _is_number(tool, name) and words[-1] in _UNIT_NAMES and not value.endswith("%"):
        unit = "%" if words[-1] == "percent" else f" {words[-1]}"
        return f"for {value}{unit}" if len(words) == 1 else f"with a {' '.join(words[:-1])} of {value}{unit}"
    return f"with {name.replace('_', ' ')} {value}"


def asked(tool: Tool, spoken: dict[str, str]) -> str:
    """`woven` as a question where its verb allows ("Get the weather in Paris" -> "What is the weather
    in Paris"; "Which recycling bin an item goes in" -> "Which recycling bin does a pizza box go in"),
    else as a request; a word to define, an acronym or a translation as people ask for them ("What does
    ephemeral mean", "How do you say apple in French")."""
    if as_people_ask := meaning_question(tool, spoken) or translation_question(tool, spoken):
        return as_people_ask
    if direct := _direct_question(description_sentence(tool)):
        return woven(tool, spoken, direct)
    phrase = woven(tool, spoken)
    for pattern, lead in QUESTION_LEADS:
        m = re.match(pattern, phrase, re.IGNORECASE)
        if m and not re.match(r"(?:a|an)\s", phrase[m.end() :], re.IGNORECASE):  # "What is a book ...?" asks nothing
            return _led(lead, phrase[m.end() :])
    return f"Can you {phrase}"


_DETERMINERS = frozenset("a an the my your our their its his her this that these those some any all".split())
_NOUN_ENDS = frozenset([*PREPOSITIONS, "near", "between", "about", "and", "or", "that", "which", "using", "given"])


def _led(lead: str, rest: str) -> str:
    """A "What is" question's lead and object read together: a bare noun phrase takes "the", and "are"
    where its noun is plural ("Find parcel drop-off points near 66569" -> "What are the parcel
    drop-off points near 66569")."""
    words = rest.split()
    if lead != "What is " or not words or words[0].lower() in _DETERMINERS or not words[0].isalpha():
        return lead + rest
    noun = next((i for i, w in enumerate(words) if w.lower() in _NOUN_ENDS), len(words))
    plural = noun > 0 and _plural(words[noun - 1])
    return ("What are the " if plural else "What is the ") + rest


def terse(tool: Tool, spoken: dict[str, str]) -> str:
    """How people type into a search box: the tool's name without its verb, then the values."""
    words = tool.readable_name.split()
    # the verb stays where the noun after it reads as a deed: "find book Dune", not "book Dune"
    if len(words) > 1 and words[0].lower() in VERBS and not re.fullmatch(ACTING, words[1], re.IGNORECASE):
        words = words[1:]
    return " ".join([*words, *spoken.values()])


def _switches_said(tool: Tool, spoken: dict[str, str]) -> dict[str, str]:
    """`spoken` with each boolean's "yes" or "no" said by its name's words (`switches.switch_said`)."""
    said = {n: switch_said(n, s == "yes") for n, s in spoken.items() if s in ("yes", "no") and _is_switch(tool, n)}
    return {**spoken, **said}


def question(tool: Tool, spoken: dict[str, str], template: str) -> str:
    """`template` filled for one call of `tool` whose values are written as `spoken`; a boolean is
    said "with symbols" or "without symbols" but where the form reads "whether to ... is yes"."""
    do, said = _verb_phrase(tool), _switches_said(tool, spoken)
    is_form = "{Args}" in template
    parts = [_param_phrase(tool, n, spoken[n] if is_form else s, "is" if is_form else "") for n, s in said.items()]
    args = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)
    values = " and ".join(said.values())
    words = tool.readable_name.split()
    name = " ".join(words[1:] if words and words[0].lower() in _verbs() else words)
    if "{name}" in template and not name:  # "What is the define for balloon?" asks nothing: ask it plainly
        template = "{Asked}?"
    if template.startswith("What") and acts(tool):  # "What is the door lock for front?": a request instead
        template = "Can you {woven}?"
    fields = {"do": do, "args": args, "values": values, "name": name, "is": "are" if _plural(name) else "is"}
    fields.update(woven=woven(tool, said), asked=asked(tool, said), terse=terse(tool, said))
    fields.update({k[0].upper() + k[1:]: v[:1].upper() + v[1:] for k, v in fields.items() if v})
    if not spoken:  # a tool that takes nothing: the template without its values ("Can you tell the time?")
        template = re.sub(r"(?::| for|\.) \{(?:args|Args|values)\}", "", template)
    return template.format(**fields)


@cache
def _verbs() -> frozenset[str]:
    """The shipped verbs a tool's name may start with ("get", "define")."""
    return frozenset(resources()["verbs"])


def fields_of(template: str) -> set[str]:
    """The `{field}` names a template uses (none for text that is not a valid template)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError:
        return set()


# a description that puts a question indirectly: "Which recycling bin an item goes in", "Whether a number is prime"
_WH = re.compile(r"(?:what|which|how|whether|where|when|who)\b", re.IGNORECASE)
_SUBJECT_STARTS = frozenset("a an the this that your my its their some it they you someone somebody something".split())
_AUXILIARIES = frozenset("is are was were can could will should would".split())
# words after which an "-s" word is a noun's plural ("between two cities", "of stars")
_BEFORE_NOUNS = frozenset([*PREPOSITIONS, *_SUBJECT_STARTS, *"two three four five many several all both".split()])
_IRREGULAR = {"goes": "go", "does": "do", "has": "have"}


def _direct_question(clause: str) -> str | None:
    """The indirect question `clause` asked directly, its subject after the verb: "Which recycling bin
    an item goes in" -> "Which recycling bin does an item go in", "Which language a text is written
    in" -> "Which language is a text written in", "Whether a number is prime" -> "Is a number prime";
    as it is where the question word is its subject ("How many liters of paint cover a wall"); None
    for no indirect question, or one whose verb is not found."""
    if not _WH.match(clause):
        return None
    words = clause.split()
    # the subject starts at the first article or pronoun after no preposition ("day of the week a date")
    start = next((i for i in range(1, len(words)) if words[i].lower() in _SUBJECT_STARTS
                  and words[i - 1].lower() not in PREPOSITIONS), None)  # fmt: skip
    if start is None:
        return clause
    for v in range(start + 1, len(words)):
        word = words[v].lower()
        if word in _AUXILIARIES or (
            v > start + 1 and _third_person(word) and words[v - 1].lower() not in _BEFORE_NOUNS
        ):
            lead = [] if words[0].lower() == "whether" else words[:start]
            subject, rest = words[start:v], words[v + 1 :]
            if word in _AUXILIARIES:  # "a text is written in" -> "is a text written in"
                moved = [word, *subject]
            else:  # "an item goes in" -> "does an item go in"
                moved = ["does", *subject, _IRREGULAR.get(word, _base_verb(word))]
            text = " ".join([*lead, *moved, *rest])
            return text[:1].upper() + text[1:]
    return clause


def _third_person(word: str) -> bool:
    """Whether `word` reads as a verb's "-s" form ("goes", "costs", "falls"), not a noun's plural of a
    known kind or a word that only ends in s."""
    return word in _IRREGULAR or _ends_in_s(word)


def _ends_in_s(word: str) -> bool:
    """Whether a word ends in an "-s" of its own (a plural's, a verb's), not "ss", "us" or "is"."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and word.isalpha()

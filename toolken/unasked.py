"""Whether a question does not ask for a tool, whatever the head's logits say: it names none of the
choices the tool requires, asks a question of a tool that acts ("Who founded Facebook?" of a post),
asks why or how something works, what a word means or who made a thing of a tool that tells none of
these, asks for a poem or a joke of a tool that writes none, asks for a judgment or advice a tool
does not give (`toolken.opinions`), or shows no text to a tool that works on one. `firing.may_fire`
shuts such tools for the step; `bias` does the same on validation questions."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .choices import closed_choices
from .descriptions import ACTING, acts
from .enum_names import content_stems, echoed_in, named_in
from .enumerations import described_choices
from .free_strings import is_free_string, shown_text
from .numerals import numbers_in
from .opinions import asks_advice, asks_judgment, names_a_choice, words_of
from .switches import said_boolean
from .tools import Tool
from .values import NAME_WORD, QUOTED_RE, pool_name, resources


def unasked(tool: Tool, text: str, others: Sequence[Tool] = ()) -> bool:
    """Whether `text` does not ask for `tool`: it names none of its choices (`unasked_choice`; `others`:
    the tools offered beside it), asks a question of a tool that acts (`unrequested_action`), asks
    why or how something works (`asks_why`), what a word means (`asks_meaning`) or who made a thing
    (`asks_maker`), asks for a poem, a joke or tips (`asks_piece`), asks for a judgment
    (`asks_judgment`), advice of a tool that requires nothing or an opinion (`asks_advice`), shows
    no text to a tool that works on one (`unshown_text`), requests the
    contrary deed (`asks_contrary`), or only thanks or greets (`only_thanks`)."""
    return (
        unasked_choice(tool, text, others)
        or unrequested_action(tool, text)
        or asks_why(tool, text)
        or asks_meaning(tool, text)
        or asks_maker(tool, text)
        or asks_piece(tool, text)
        or asks_judgment(tool, text)
        or asks_advice(tool, text)
        or unshown_text(tool, text)
        or asks_contrary(tool, text)
        or only_thanks(text)
    )


# deeds that undo each other: "Add milk" asks no `remove_item`, "Unlock the door" no `lock_door`
_CONTRARIES = [({"add", "put"}, {"remove", "delete", "erase"}), ({"lock"}, {"unlock"}), ({"open"}, {"close"}),
               ({"start"}, {"stop"}), ({"enable"}, {"disable"}), ({"buy"}, {"sell"}), ({"arm"}, {"disarm"}),
               ({"subscribe"}, {"unsubscribe"}), ({"follow"}, {"unfollow"}), ({"mute"}, {"unmute"}),
               ({"block"}, {"unblock"}), ({"install"}, {"uninstall"}), ({"increase"}, {"decrease"})]  # fmt: skip
# what may come before a request's verb: "Please send it.", "Then book one.", "Can you add milk?"
_POLITE = r"\s*(?:(?:please|so|then|and|now|can you|could you|would you)\s+)*"
_OPENING_VERB = re.compile(rf"{_POLITE}([a-z]+)\b", re.I)


def asks_contrary(tool: Tool, text: str) -> bool:
    """Whether `text` opens with a request for the deed contrary to the one `tool`'s name opens with
    (`_CONTRARIES`: "Put 6 eggs on the list." asks no `remove_item`)."""
    deed = ([w.lower() for w in NAME_WORD.findall(tool.name.rsplit(".", 1)[-1])] or [""])[0]
    verb = m.group(1).lower() if (m := _OPENING_VERB.match(text)) else ""
    return any(deed in a and verb in b or deed in b and verb in a for a, b in _CONTRARIES)


# one question, "Why ...?", "What causes ...?", "How does ... work?" or "How are ... made?", with no request after it
_WHY = re.compile(
    r"\s*(?:(?:but|so|and)\s+)?(?:why\b[^?]*|what causes?\b[^?]*|how (?:does|do|did|can|could)\b[^?]*\bwork"
    r"|how (?:is|are|was|were)\b[^?]*\b(?:made|built|produced|formed|created|grown|invented|recorded))\?\s*$",
    re.I,
)
# ... or a cause asked after what is seen: "my tomato leaves are turning yellow, any idea why"
_WHY_ASIDE = re.compile(r"[^?]*\b(?:any\s+ideas?|do\s+you\s+know|i\s+wonder|wondering)\s+why\b[^?]*\??\s*$", re.I)
# a tool that looks things up at large (the web, an encyclopedia); not one that searches its own records
_AT_LARGE = (
    r"wiki\w*|encyclop\w*|knowledge|trivia|answers?|web search|search(?:es|ing)? (?:the )?(?:web|internet|online)"
)
_EXPLAINS = re.compile(rf"\b(?:explain|reason|why|cause|question|ask|{_AT_LARGE})", re.I)


def asks_why(tool: Tool, text: str) -> bool:
    """Whether `text` is a single why-question, which asks for a cause ("..., any idea why"), or asks
    how something works or is made, and `tool` does not say it explains, answers or searches: "Why do
    electric cars lose range in winter?" reads no battery's range, "How do hashtags work?" finds no
    posts of one, "How are podcasts made?" searches no podcasts, "Why is my range low? Check it."
    still may."""
    why = _WHY.match(text) or _WHY_ASIDE.match(text)
    return bool(why) and not _EXPLAINS.search(f"{tool.readable_name} {tool.description}")


# one question of who made a thing: "Who painted The Starry Night?", "Who discovered penicillin?"
_MAKER = re.compile(
    r"\s*who (?:first )?(?:painted|wrote|directed|invented|discovered|founded|composed|created|designed|built|"
    r"sculpted|developed|coined|produced|sang|starred in)\b[^?]*\?\s*$",
    re.I,
)
# a tool that may tell who made something: it names people who make things, or looks facts up
_TELLS_MAKERS = re.compile(
    r"\b(?:who|whom|whose|discover\w*|persons?|people|cast|credits?|biograph\w*|details?|"
    r"\w*(?:author|writer|director|creator|founder|inventor|designer|lyricist|producer|developer|composer|painter|"
    rf"architect|builder|sculptor|artist|singer|actor)s?|{_AT_LARGE})\b",
    re.I,
)


def asks_maker(tool: Tool, text: str) -> bool:
    """Whether `text` only asks who made something (painted, wrote, directed, invented, discovered ...)
    and `tool` names no makers and looks up no facts: "Who directed Jaws?" reads no film's rating nor
    showtimes, "Who discovered oxygen?" asks no element's symbol; a tool of authors or of a film's
    details still may answer it."""
    return bool(_MAKER.match(text)) and not _TELLS_MAKERS.search(f"{tool.readable_name} {tool.description}")


# a request for a piece of writing and nothing else: "Write a catchy slogan for a coffee shop.", "Tell me a joke."
_PIECES = (
    r"poems?|haikus?|limericks?|slogans?|taglines?|mottos?|jingles?|stor(?:y|ies)|jokes?|puns?|riddles?|songs?|"
    r"lyrics|rhymes?|toasts?|quotes?|tips|advice|messages?|emails?|captions?|bios?|essays?|paragraphs?|"
    r"speech(?:es)?"
)
_PIECE = re.compile(
    r"\s*(?:please\s+)?(?:write|compose|draft|come up with|make up|invent|give me|suggest|tell me|create)\s+(?:me\s+)?"
    rf"(?:(?:a|an|some|one|two|three|four|five|a few|\d+)\s+)?(?:[\w-]+\s+){{0,3}}?(?:{_PIECES})\b"
    r"(?:(?!\b(?:and|then)\b)[^.!?])*[.!?]?\s*$",  # nothing asked after it
    re.I,
)
# tips asked for without a verb, also after a clause: "my cat hates baths, any tips for doing it at home"
# (not "any suggestions?", which asks a tool that recommends)
_TIPS_ASKED = re.compile(
    r"(?:.*[,.;:!?-]\s*)?(?:(?:do you have|have you got|got)\s+)?any\s+(?:\w+\s+)?(?:tips|advice)\b", re.I
)
# a tool that writes such pieces, or any text
_WRITES = re.compile(rf"\b(?:{_PIECES}|generat\w*|compos\w*|writ\w*|creative|ideas?)\b", re.I)


def asks_piece(tool: Tool, text: str) -> bool:
    """Whether `text` only asks for a poem, a slogan, a joke, tips ("Any tips for ...") or another
    piece of writing and `tool` writes none: "Write a catchy slogan for a coffee shop." finds no posts
    of a hashtag, "Tell me a joke about cats." while a tool of jokes or of generated text still may."""
    # a tool named or described by the verb "quote" quotes prices ("Quote a grooming service", `quote_groom`)
    words = " ".join(re.sub(r"^\s*quote\b", "", w, flags=re.I) for w in (tool.readable_name, tool.description))
    return bool(_PIECE.match(text) or _TIPS_ASKED.match(text)) and not _WRITES.search(words)


# one question of what a word means or stands for: "What does GPU stand for?", "What is VAT?"
_MEANING = re.compile(
    r"\s*(?:what (?:does|do) .+ (?:mean|stand for)|what(?: is|'s) the meaning of .+|what(?: is|'s) (?:an? )?[\w-]+)"
    r"\s*\??\s*$",
    re.I,
)
# a tool that tells what words mean: it defines, translates, expands acronyms, explains or looks things up
_DEFINES = re.compile(
    r"\b(?:defin\w*|meanings?|dictionar\w*|acronyms?|abbreviations?|translat\w*|glossar\w*|slang|words?|terms?|"
    rf"explain\w*|{_AT_LARGE})\b",
    re.I,
)


def asks_meaning(tool: Tool, text: str) -> bool:
    """Whether `text` only asks what a word means or stands for and `tool` tells no meanings (it
    does not define, translate, expand, explain or look up words): "What does GPU stand for?" reads
    no GPU's memory, "What is a mortgage?" computes no payment."""
    return bool(_MEANING.match(text)) and not _DEFINES.search(f"{tool.readable_name} {tool.description}")


# a question that asks rather than requests ("Who founded Facebook?"; not "Can you post ...?", "How to ...",
# "Is it possible to book ...?", "Do you mind ...?"), or a request to be told ("Tell me about jazz.")
_ASKS = re.compile(
    r"\s*(?:(?:hey|hi|hello|so|ok|okay|well|oh)\b[\s,!.]*)?"  # "hey, does PRN-0519 have paper?"
    r"(?:(?:what|what's|which|who|who's|whose|how|where|when|why|is|are|was|were|do|does|did|should|has|have)\b"
    r"(?!\s+(?:to|it possible|you mind|you think you could|you able)\b)(?:[^?]*\?|[^?.!]*$)"
    r"|(?:(?:please\s+)?(?:tell me about|explain|describe)\b)[^.!?]*[.!?]*)",
    re.I,
)


# a sentence that requests a deed: "Lock it please.", "Please send it.", "Then book one."
_REQUESTS = re.compile(rf"{_POLITE}{ACTING}\b", re.I)


def only_asks(text: str) -> bool:
    """Whether `text` opens asking (`_ASKS`) and no sentence after requests a deed (`_REQUESTS`):
    "Is the garage door locked?" and "What is the weather? Today is Monday." only ask, "Is the
    garage door locked? Lock it please." does not."""
    at, asked = 0, False
    while m := _ASKS.match(text, at):
        at, asked = m.end(), True
    return asked and not any(_REQUESTS.match(s) for s in re.split(r"(?<=[.!?])\s+", text[at:]))


@functools.cache
def _verbs() -> frozenset[str]:
    """The shipped verbs, read once."""
    return frozenset(resources()["verbs"])


# thanks or a word that takes something in, at the start of a message ("Thanks, that fixed it!")
_THANKS = re.compile(
    r"\s*(?:(?:thanks|thank you|many thanks|thx|cheers|bye|goodbye|good night|lol|lmao|haha\w*|ugh+|omg|wow|yay|phew"
    r"|argh|oops|meh|(?:ok|okay)?\s*(?:cool|nice|sweet|lovely|brilliant))\b"  # a sigh: "lol the printer jammed"
    r"|(?:great|perfect|awesome|got it|ok|okay)\s*(?:[,.!;:-]|$))",  # "Okay, ..." but not "Okay google, set ..."
    re.I,
)
# a greeting alone ("Hi!", "Hello there.", "Good morning")
_GREETING = re.compile(r"\s*(?:hi|hello|hey|good (?:morning|afternoon|evening))(?:\s+there)?\W*$", re.I)
# words that make a request of what follows the thanks ("Thanks, I need a taxi", "Great, please ...")
_WANTS = re.compile(r"\b(?:please|need|want|wants|like|can you|could you|would you|let's|how about)\b", re.I)
_FILLERS = frozenset("so now also then and but".split())


@functools.lru_cache(maxsize=1024)
def only_thanks(text: str) -> bool:
    """Whether `text` is a greeting alone or thanks with nothing asked after them: no question, number
    or quote, no clause that opens with a verb ("Thanks! Now reset ...") or wants something ("Great,
    I need a taxi"). "Thanks, that fixed it!" asks no tool."""
    if _GREETING.match(text):
        return True
    thanks = _THANKS.match(text)
    if thanks is None or re.search(r"[?\d\"'‘“]", text[thanks.end() :].replace("'s", "")) or _WANTS.search(text):
        return False
    verbs = _verbs()
    for clause in re.split(r"[,.!;:]+|\s+(?:and|but)\s+", text[thanks.end() :]):
        words = [w for w in re.findall(r"[a-z]+", clause.lower()) if w not in _FILLERS]
        if words and words[0] in verbs:
            return False
    return True


def unrequested_action(tool: Tool, text: str) -> bool:
    """Whether `tool` acts (`descriptions.acts`: it sets, locks, plays, books, sends, posts ...) and `text`
    only asks (`only_asks`): "Who founded Facebook?" posts nothing, "Is it safe to leave a robot
    vacuum running alone?" starts no vacuum, "Tell me about the history of jazz." plays none, "Can you
    lock the door?" and "Is the garage door locked? Lock it please." lock it."""
    return only_asks(text) and acts(tool)  # the text first: cheap where it opens with no question


def unasked_choice(tool: Tool, text: str, others: Sequence[Tool] = ()) -> bool:
    """Whether `tool` requires a choice (an `enum`) and `text` names no value of any it requires
    (`enum_names.named_in`, `echoed_in`, a described word or a number) nor switches a boolean it
    requires by its words (`switches.said_boolean`), and writes no word of the tool's name or
    description either, but words `others` (the tools offered beside it) share in theirs or their
    choices ("How often should I rotate my tires?" reads no tire's pressure where a service's choices
    hold "tire rotation"; "Find open tickets about the checkout button" creates no ticket of a
    priority where searching tickets is offered too):
    "What does APR stand for?" asks for no account's balance, "Make it 21 degrees in here." switches
    no room's lights, "Can I plant carrots next to onions?" asks for no plants for a light where a
    companion-planting tool's words say "plant" too, while "Recommend a scary movie" still asks
    `movie_picks` for a genre it implies."""
    props = tool.parameters.get("properties", {})
    required = [n for n in tool.parameters.get("required", []) if n in props]
    if not all(isinstance(props[n], dict) for n in required):
        return False
    switches = [n for n in required if props[n].get("type") == "boolean" and "enum" not in props[n]]
    # its enums, and the choices a description lists instead ('"Orion", "Vega" or "Atlas"')
    choices = {n: v for n in required if isinstance(v := props[n].get("enum") or closed_choices(props[n]), list) and v}
    if not choices:  # a tool of free values is asked by its values (`gate.copyable`)
        return False
    if any(said_boolean(n, text, props[n]) is not None for n in switches):
        return False
    numbers = numbers_in(text)
    for name, values in choices.items():
        if named_in(values, text) or echoed_in(values, text) or described_choices(name, props[name], text):
            return False
        if any(isinstance(v, (int, float)) and not isinstance(v, bool) and v in numbers for v in values):
            return False
    told = content_stems(f"{tool.readable_name} {tool.description}") & content_stems(text)
    for other in others:  # read only while words are left: a head may hold thousands of tools
        if not told:
            break
        told = told - content_stems(words_of(other)) if other is not tool else told
    return not told


def unshown_text(tool: Tool, text: str) -> bool:
    """Whether `tool` works on a text (its one required parameter a free string that takes a text:
    `spell_check(text)`, `hash_text(text)`) and `text` neither shows one (quoted, or after "this:"
    and the like: `free_strings.shown_text`), nor names a value of its enums, nor writes a word of
    the tool's name or description but as what a number counts: "Should I keep my savings in a bank or
    invest them?" checks the spelling of nothing, "What would 1,200 words cost?" counts the words of
    none, "Check the spelling of this: ..." and "Give me the md5 of password123" ask."""
    props = tool.parameters.get("properties", {})
    required = [n for n in tool.parameters.get("required", []) if n in props]
    if len(required) != 1 or not is_free_string(required[0], props[required[0]]):
        return False
    name, schema = required[0], props[required[0]]
    if pool_name(name, schema) != "text" or QUOTED_RE.search(text) or shown_text(name, schema, text):
        return False
    if names_a_choice(tool, text):
        return False
    counted = _COUNTED.sub(" ", text)  # "1,200 words" counts words: it writes no text to count them in
    return not content_stems(f"{tool.readable_name} {tool.description}") & content_stems(counted)


_COUNTED = re.compile(r"(?<![\w.,-])\d[\d,.]*\s+[A-Za-z]+")  # a number and the word of what it counts

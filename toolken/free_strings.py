"""Free strings and lists of words copied from the question (`copying.copy_schema`): which parameters
take any words (`is_free_string`) and the spans they may copy (`free_spans`); the examples a
parameter's description lists or quotes, as the question writes them; spans no longer than those
examples; a text the question shows ("saying ...") or a thing to do it asks to note ("Add buy milk to
my list"); lists the question writes, whole."""

from __future__ import annotations

import re

from .dates import dated, said_when
from .enum_names import enum_pattern
from .enumerations import lists_in, names_only, sized
from .expressions import takes_expression
from .literals import literal_kind
from .shapes import required_shape, shaped, shaped_in, shown_shapes
from .snippets import code_literals, takes_code
from .values import (
    CODE_RE,
    EXAMPLES_RE,
    NAME_WORD,
    code_examples,
    codes_only,
    described_examples,
    names_a_thing,
    pool_name,
    resources,
)
from .written import QUOTED_RE, names_for, names_in, spelled_as_name


def narrowed_words(name: str, schema: dict, text: str, spans: list[str]) -> dict:
    """A list of free strings: a list the text writes, copied whole; else its names or words, as one."""
    if lists := lists_for(name, schema, text):
        return {**schema, "enum": lists}
    items = {**schema["items"], "description": schema.get("description", "")}
    found = names_for(name, items, text) if names_a_thing(name, items) else spans
    return {**schema, "items": {"type": "string", "enum": found}} if found else schema


# a description that is only a list of one-word choices: "today, tomorrow or a date."
_CHOICES_RE = re.compile(r"(?:an?\s+)?[a-z]+(?:,\s*(?:an?\s+)?[a-z]+)*,?\s+or\s+(?:an?\s+)?[a-z]+\.?")


def listed_choices(schema: dict) -> list[str]:
    """The one-word choices a description that is nothing but their list gives, less a kind of value
    named with its article ("today, tomorrow or a date." -> today, tomorrow)."""
    description = str(schema.get("description", "")).strip()
    if not _CHOICES_RE.fullmatch(description):
        return []
    choices = [c.strip(" .") for c in re.split(r",|\bor\b", description)]
    return [c for c in choices if c and " " not in c]


def example_pattern(example: str) -> str:
    """How a text writes an example: whole, in either number ("stouts" for "stout"; group 1 the plural end)."""
    return rf"(?<!\w){re.escape(example)}((?<=[A-Za-z])e?s)?(?!\w)"


def written_examples(schema: dict, text: str) -> list[str]:
    """The examples a parameter's description lists or quotes that `text` writes, as it writes them
    ("The gaming platform e.g. PlayStation, Xbox": "Playstation" in "the Playstation Store"), in the
    example's number ("all the stouts" for "e.g. stout": "stout"), without an article the example
    begins with ("such as basil or a fern": "fern"); also the choices a description that only lists
    them gives (`listed_choices`: "tomorrow" for "today, tomorrow or a date.")."""
    quoted = [a or b for a, b in QUOTED_RE.findall(str(schema.get("description", "")))]
    written = (
        (m.group(0)[: len(m.group(0)) - len(m.group(1) or "")] for m in re.finditer(pattern, text, re.IGNORECASE))
        for e in described_examples(schema) + quoted + listed_choices(schema)
        if e and (pattern := example_pattern(e))
    )
    return list(dict.fromkeys(re.sub(r"^an?\s+(?=\w)", "", w) for found in written for w in found))


def like_examples(spans: list[str], schema: dict, text: str, name: str = "") -> list[str]:
    """The examples the parameter's description lists or quotes ("The gaming platform e.g.
    PlayStation, Xbox": "PlayStation"; "The league. In this case, 'NBA'."), as `text` writes them,
    where it writes one (also inside a longer name: "the PlayStation Store"); where the examples are
    all codes ("such as TX"), also the spans that are codes too ("FL"); else those no longer than the
    examples it quotes ("Area of legal expertise. For example, 'Marriage', 'Criminal'": one word,
    "divorce" rather than "divorce law specialists"), where it quotes any and some span is that short,
    and the names the text writes where one quoted is a name of two words;
    where the examples are all names ("e.g. Midtown"), the names the text writes, if any."""
    examples = code_examples(name, schema)  # "e.g. TX"; a promo code's "SAVE10"
    if codes_only(examples):  # every code written, not only an example's ("such as USD": "JPY" too)
        if found := list(dict.fromkeys(written_examples(schema, text) + codes_among(examples, spans))):
            return found
    if shaped(shown := shown_shapes(schema)) and (found := shaped_in(shown, text)):  # the examples too, in order
        return found  # "owner/name, such as torvalds/linux": "pallets/flask"
    if found := written_examples(schema, text):
        return found
    proper = _PROPER_KINDS.search(f"{schema.get('description', '')}")  # a neighborhood is a name; a field of law none
    if proper and examples and all(_NAME_EXAMPLE.fullmatch(e) for e in examples):  # "e.g. Midtown", not "spots"
        named = {n for n in names_in(text) if spelled_as_name(n)}  # not "C-04"
        if found := [s for s in spans if s in named]:
            return found  # a name as long as it runs: "Bekaa Valley" beside "e.g. Rioja"
    m = EXAMPLES_RE.search(str(schema.get("description", "")))
    quoted = [a or b for a, b in QUOTED_RE.findall(m.group(1))] if m else []
    if not quoted:
        return spans
    most = max(len(q.split()) for q in quoted)
    # a name runs as long as it runs where an example is one ("Project Hail Mary" beside 'e.g. "Le Guin"')
    person = any(_NAME_EXAMPLE.fullmatch(q) and " " in q for q in quoted)  # "Le Guin", not 'Marriage'
    names = {n for n in names_in(text) if spelled_as_name(n)} if person else set()
    return [s for s in spans if len(s.split()) <= most or s in names] or spans


# an example that is a name: capitalised words, not all capitals ("Midtown", "Taylor Swift"; not "TX")
_NAME_EXAMPLE = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
# kinds of thing known by proper names ("Neighborhood ... e.g. Midtown", "Performer or band name")
_PROPER_KINDS = re.compile(
    r"\b(?:neighbou?rhoods?|districts?|regions?|suburbs?|venues?|artists?|bands?|performers?|brands?|"
    r"stores?|shops?|restaurants?|hotels?|names?)\b",
    re.I,
)


def codes_among(examples: list[str], spans: list[str]) -> list[str]:
    """The spans that are codes as all `examples` are ("200" is no code like "TX", "LH" none like "LH 400")."""
    lettered = all(re.search("[A-Z]", e) for e in examples)
    numbered = all(re.search(r"\d", e) for e in examples)
    return [s for s in spans if CODE_RE.fullmatch(s) and (not lettered or re.search("[A-Z]", s))
            and (not numbered or re.search(r"\d", s))]  # fmt: skip


_MARKED = re.compile(r"[#@][A-Za-z][\w-]*")  # a channel, a tag or a handle: "#general", "@alice"


def marked_in(examples: list[str], text: str) -> list[str]:
    """The words `text` writes after the mark ("#" or "@") every example starts with ("#general",
    "#deploys": "#releases"); [] where the examples have no one mark or the text writes none (a
    channel said without it, "the general channel", is copied as words)."""
    if not examples or len({e[0] for e in examples}) != 1 or not all(_MARKED.fullmatch(e) for e in examples):
        return []
    mark = re.escape(examples[0][0])
    return list(dict.fromkeys(re.findall(rf"(?<![\w{mark}]){mark}[A-Za-z][\w-]*", text)))


def lists_for(name: str, schema: dict, text: str) -> list[list[str]]:
    """The lists of words `text` writes (`enumerations.lists_in`) that an array schema's length allows;
    for a list of names, their names (`enumerations.names_only`)."""
    found = lists_in(text)
    if names_a_thing(name, {**schema["items"], "description": schema.get("description", "")}):
        found = [items for items in map(names_only, found) if items]
    found = [items for i, items in enumerate(found) if items not in found[:i]]
    return sized(found, schema)


def free_string_items(schema: dict) -> bool:
    """Whether an array schema's items are free strings (no enum, format or pattern)."""
    items = schema.get("items")
    return (
        isinstance(items, dict)
        and items.get("type") == "string"
        and not any(k in items for k in ("enum", "const", "format", "pattern"))
    )


# a run of capitalised words joined by "and", "of", "the" or "&": "Pride and Prejudice", "Call of Duty"
_WORD = r"(?!I\b|I['’])[A-Z][\w-]*(?:['’]\w+)*"  # an apostrophe only inside a word; never the pronoun "I"
_TITLE = re.compile(rf"\b{_WORD}(?:\s+(?:(?:and|of|the|&)\s+)*{_WORD})+")
_SMALL = re.compile(r"\s(?:and|of|the|&)\s")
_NUMBERED = re.compile(rf"\b{_WORD}(?:\s+{_WORD})*\s+\d{{1,4}}\b(?![.,:/-]?\d)")  # "Inside Out 2", "Cyberpunk 2077"


def with_titles(name: str, schema: dict, text: str, spans: list[str], joined: bool = True) -> list[str]:
    """`spans`, and for a title (`pool_name` "title") also the runs of capitalised words `text`
    writes with small words between them, whole ("Check if Pride and Prejudice is in": "Pride and
    Prejudice", which spans never join across "and") or with a number after them ("Inside Out 2",
    whose words alone are then no span), less request words that open the sentence ("Is"); runs
    across "and" only where `joined` (not beside a list the names would be items of: "with Ivan and
    Julia")."""
    if pool_name(name, schema) != "title":
        return spans
    openers, runs = resources()["openers"], []
    for m in [*_TITLE.finditer(text), *_NUMBERED.finditer(text)]:
        words = m.group(0).split()
        opens = re.search(r"(?:^|[.!?:\n])\s*$", text[: m.start()]) is not None
        while opens and len(words) > 1 and words[0].lower() in openers and words[0] != "The":
            words = words[1:]  # "Is War and Peace ...": the question's own word ("Play The Office": not "The")
        run = " ".join(words)
        numbered = len(words) > 1 and words[-1].isdigit() and not said_when(run)  # a sequel's, not "April 1"
        titled = _SMALL.search(f" {run} ") or numbered or (len(words) > 1 and words[0] == "The")  # "The Office"
        if titled and run[0].isupper() and (joined or " and " not in run):
            runs.append(run)
    cut = {run.rsplit(" ", 1)[0] for run in runs if run.split()[-1].isdigit()}  # "Inside Out" is not "Inside Out 2"
    return list(dict.fromkeys([s for s in spans if s not in cut] + runs))


MAX_SHOWN_WORDS = 20  # a longer text after "this:" is more than one value
# the text a request shows or tells: "encode this: open sesame", "check the sentence: we did it",
# "..., telling her it is ready", "let them know that we are late",
# "split this into lines of 3 words: the quick brown fox ...",
# "saying: dinner is ready", "... and say see you at noon", "tell #general that lunch is at noon", "text
# 555 0132 that I'm late", "message 555 0132: call me", "tell Anna that ..." ("that" only after a
# number, a name, a #channel or an @handle; a bare colon after a number, a #channel or an @handle)
_SHOWN = re.compile(
    r"(?:\b(?:this|these|the|my|a|an|the following|following)(?:\s+[^\s:.?!]+){0,6}\s*:(?=\s)"
    r"|\b(?:saying|that says|to say|and say)\s*:?"
    r"|\b(?:tell|telling|let|letting)\s+(?:him|her|them)\s+(?:know\s+)?(?:that\s+)?"
    r"|(?:\d|(?<=\s)(?!(?:After|Before|Besides|Following|Given|Like|With)\b)(?-i:[A-Z])[\w'-]*|(?<!\w)[#@][\w-]+)"
    r"\s+that(?!\s+(?:was|were|is|are|has|have|had)\b)|(?:\d|(?<!\w)[#@][\w-]+):(?=\s))\s*([^.;!?\n\"]+)",
    re.IGNORECASE,
)


# what a request asks to be said in a language: "how do you say thank you in French", "translate
# the word hello into Spanish" (`_said_in` checks that the capitalised word is a language)
_SAID_IN = re.compile(
    r"\b(?:say|write|translate|spell)\s+(?:the\s+(?:word|phrase|sentence|expression)\s+)?"
    r"(?!(?:it|this|that|these|something|anything)\b)([^.?!,;:\n\"]+?)(?:\s+from\s+\w+)?\s+(?:in|into|to)\s+"
    r"((?-i:[A-Z])[a-z]+)\b",
    re.IGNORECASE,
)


def _said_in(text: str) -> list[str]:
    """The words `text` asks to be said or translated in a language it names (`_SAID_IN`)."""
    languages = set(resources()["not_names"]["peoples"])
    return [m.group(1).strip().strip("'") for m in _SAID_IN.finditer(text) if m.group(2) in languages]


# what is wrong, said before the request: "My laptop won't charge, please log a ticket."
_TOLD_FIRST = re.compile(r"\s*([^,.;:!?\n]+?)\s*[,.;]\s*(?:please|can you|could you|would you)\b", re.IGNORECASE)
# what was done or why, said after the request: "Close TCK-19833, the cache was cleared."
_TOLD_AFTER = re.compile(r"[^,;:.!?\n]+,\s*([^,;:.!?\n\d]+?)\s*[.!]?\s*$")
_CONTENTS = frozenset("body content summary description details issue problem".split())  # what a text says
_ACCOUNTS = frozenset("resolution reason note comment explanation".split())  # what a request's text tells of it
_SUMMARY = re.compile(r"\b(?:summary|problem|issue)\b", re.IGNORECASE)  # a title that sums up what is wrong
# a priority set after a text: "..., high priority", "... with low priority"
_PRIORITY_TAIL = re.compile(r"\s*(?:,\s*|\bwith\s+)(?:(?:an?)\s+)?\w+\s+priority\s*$", re.IGNORECASE)


def shown_text(name: str, schema: dict, text: str) -> list[str]:
    """For a parameter that takes a text (`values.pool_name`: text, message, word...), the words the
    question shows after "this:", "the sentence:", "the following:" or "saying", or tells after a number or a name and
    "that" ("Base64 encode this: open sesame", "Text 555 0132 that I'm late"), as one value, less a
    priority set after it; what is wrong, said before the request, for a text's content or a title
    that sums a problem up; what was done or why, said after the request and a comma, for a
    resolution, a reason or a note ("Close TCK-19833, the cache was cleared."); else the words it
    asks to be said in a language ("How do you say thank you in French?")."""
    # a ticket's title "saying what is wrong" too, a note's or a post's `body` or `content`, a ticket's `summary`
    pool, last, quoted = pool_name(name, schema), _last_word(name), bool(QUOTED_RE.search(text))
    summary = pool == "title" and _SUMMARY.search(str(schema.get("description", "")))
    content = (last in _CONTENTS or summary) and not quoted  # quoted: those are its values
    if pool not in ("text", "word", "title") and not content and last not in _ACCOUNTS:
        return []
    if not (m := _SHOWN.search(text)):
        told = _TOLD_FIRST.match(text) if content else None  # "My laptop won't charge, please log a ticket."
        told = told or (_TOLD_AFTER.match(text) if last in _ACCOUNTS and not quoted else None)
        return [told.group(1)] if told and len(told.group(1).split()) >= 3 else _said_in(text)
    shown = QUOTED_RE.match(text, m.start(1))  # "...: 'What is your name?'": the quoted text whole
    mark = _end_mark(m, text) if pool != "title" else ""  # a title is no sentence: "... bug: Crash on upload."
    value = (shown.group(1) or shown.group(2)) if shown else m.group(1).strip() + mark
    value = value if shown else _PRIORITY_TAIL.sub("", value)  # "..., high priority" sets the priority
    return [value] if value and len(value.split()) <= MAX_SHOWN_WORDS else []


def _last_word(name: str) -> str:
    """The last word of a parameter's name, in lower case (`note_body` -> "body", `postContent` -> "content")."""
    return ([w.lower() for w in NAME_WORD.findall(name)] or [""])[-1]


def _end_mark(shown: re.Match, text: str) -> str:
    """The end mark of a text shown after a colon that ends the question, as part of it: an
    exclamation's, a question's where the request is none itself ("saying: who has the projector?",
    not "What language is this: danke schön?"), a full stop after a sentence (a capital, three words or
    more: "this: We acheived our goal."), not after a fragment ("remind me: stretch."); a text told
    after "that" is reported, and the mark is the question's."""
    mark = re.fullmatch(r"([.!?])\s*", text[shown.end(1) :])
    if mark is None or ":" not in text[shown.start() : shown.start(1)]:
        return ""
    if mark.group(1) == "?":
        return "" if _ASKING.match(text) else "?"
    words = shown.group(1).split()
    return mark.group(1) if mark.group(1) == "!" or (len(words) >= 3 and words[0][:1].isupper()) else ""


# a request that is itself a question: its question mark is its own
_ASKING = re.compile(
    r"\s*(?:what|what's|which|who|whose|how|where|when|why|is|are|was|were|can|could|would|will|do|does|did|should)\b",
    re.IGNORECASE,
)


MAX_LABELLED_WORDS = 8  # a string copied whole where the text labels it with its parameter's name ("subject: ...")


def labelled_span(name: str, text: str) -> list[str]:
    """The words the text writes after a word of the parameter's name and a colon, up to the next
    punctuation or bracket ("New task: water the plants, low priority" for `task`, "(owner: Alvarez)"
    for `owner_surname`), as the one value to copy; none where it writes no such label or more than
    `MAX_LABELLED_WORDS` words after it."""
    words = [w for w in NAME_WORD.findall(name) if len(w) > 2]
    if not words:
        return []
    label = "|".join(re.escape(w.lower()) for w in words)
    m = re.search(rf"\b(?:{label})s?(?:\s+\w+)?\s*:\s*([^,.;!?\n\")\]]+)", text, re.IGNORECASE)  # "subject line:"
    value = m.group(1).strip() if m else ""
    return [value] if value and len(value.split()) <= MAX_LABELLED_WORDS else []


# a parameter that takes a thing to do or remember, or an event's title: its name or description says so
_TASK_WORDS = re.compile(r"\b(?:tasks?|to-?dos?|remind\w*|notes?|entry|entries|what to do|events?)\b", re.IGNORECASE)
# a request to note a thing to do: "Add buy milk to my list", "Remind me to call mom at 6", "Put call the
# plumber on my to-do list", "Remember to renew my passport", "Add a task: water the plants", "Schedule a
# call with Tom tomorrow", "Create an event called Launch party", "Make a note that ...", "Note: buy stamps"
_TASK_REQUEST = re.compile(
    r"^\s*(?:please\s+|(?:can|could|would) you\s+)?(?:(?:add|put|remember to|remind me to|note(?: down)?|jot down"
    r"|write down|schedule|create)\s+(?:(?:a|an|the)\s+)?|(?:make|take)\s+an?\s+(?=(?:task|note|reminder)\b)"
    r"|(?=(?:task|to-?do|note|reminder)\s*:))(?:(?:new\s+)?(?:task|to-?do|note|reminder|event)(?:\s+(?:with\s+"
    r"(?:the\s+)?(?:content|text|title)|to|for|(?P<says>saying|that says|that)|called|titled|named)|\s*:)?\s+)?"
    r"(?P<task>.+?)\s*[.!?]?\s*$",
    re.IGNORECASE,
)
# what may follow the thing itself: the list it goes on, a priority, its tags; and for a tool that takes a date
# or time of its own (`_WHEN`), the date or time
_TASK_TAIL = re.compile(
    r"\s*(?:,(?!\s*\d)|\b(?:to|on|onto|in)\s+(?:my|the)\s+(?:[\w-]+\s+){0,2}(?:list|tasks|to-?dos|reminders|notes)\b"
    r"|\bwith\s+\w+\s+priority\b|\b(?:tagged|labell?ed|with\s+(?:the\s+)?(?:tags?|labels?))\b)",
    re.IGNORECASE,
)
_WHEN = re.compile(
    r"\s*(?:\bin\s+(?:\d+|an?|one|two|five|ten|twenty|thirty)\s+(?:minute|hour|second|day|week)s?\b"
    r"|\b(?:on|at|by|before|for|this|next)\b(?=[^,]*\d|\s+(?:tomorrow|tonight|today|noon|midnight|morning|"
    r"evening|afternoon|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)|\b(?:tomorrow|tonight|today)\b)",
    re.IGNORECASE,
)


def requested_task(name: str, schema: dict, text: str, timed: bool) -> list[str]:
    """For a parameter that takes a thing to do or remember or an event's title (`_TASK_WORDS` in its
    name or description), the thing a request to note one writes after its verb ("Add buy milk to my
    list": "buy milk"; "Add a meeting with the design team on May 3": "meeting with the design team"),
    without an article, or the list or priority after it; for a tool that takes a date, a time or a
    delay (`timed`), without the date, time or delay either ("Remind me to call mom at 6 pm" or "in
    30 minutes": "call mom"; a to-do without a time of its own keeps "go to sleep at 9 pm")."""
    if not _TASK_WORDS.search(f"{' '.join(NAME_WORD.findall(name))} {schema.get('description', '')}"):
        return []
    if not (m := _TASK_REQUEST.match(text)):
        return []
    task = m.group("task")
    if re.match(r"(?:(?:a|an|the)\s+)?[\w-]+\s+(?:called|titled|named)\b", task, re.IGNORECASE):
        return []  # "a meeting titled Budget review": the title is its name (`written.called_in`)
    if quoted := QUOTED_RE.match(task):  # "Add 'water the plants' to my tasks": the quoted thing whole
        return [quoted.group(1) or quoted.group(2)]
    task = task[: tail.start()] if (tail := _TASK_TAIL.search(task)) else task
    task = task[: when.start()] if timed and (when := _WHEN.search(task)) else task
    task = task.strip(" '\"") if m["says"] else re.sub(r"^(?:a|an|the)\s+", "", task.strip(" '\""), flags=re.I)
    return [task] if task and len(task.split()) <= MAX_LABELLED_WORDS else []


def free_spans(props: dict, required: set[str], text: str, spans: list[str]) -> list[str]:
    """The spans of `text` a free string parameter of `props` may copy: the quoted strings and code
    literals (`code_literals`), where the text writes one for each (required) free string parameter
    ("Count the words in: "To be or not to be, that is the question""); else the spans (and code
    literals) without a value another parameter's enum names ("the German word for water" gives
    `word` "water", not "German") or a piece of a day or time written once that a dated parameter
    takes, unless that leaves none."""
    asked = [n for n in props if not required or n in required]
    free = [n for n in asked if is_free_string(n, props[n])]
    names = [n for n in asked if names_a_thing(n, props[n])]  # a quoted title may be a name's ('Cyberpunk 2077')
    # a code literal, where a parameter takes code, is as good as quoted: '{"a": 1}' whole, not its "a"
    literals = code_literals(text) if any(takes_code(n, props[n]) for n in free) else []
    quoted = [q for q in (a or b for a, b in QUOTED_RE.findall(text)) if not any(q in lit for lit in literals)]
    quoted += literals
    if free and len(quoted) == len(free) + len(names):
        return quoted
    spans = spans + literals
    values = [v for p in props.values() if isinstance(p, dict) for v in p.get("enum") or () if isinstance(v, str) and v]
    named = [enum_pattern(v) for v in values if enum_pattern(v).search(text)]  # the enum values the text names
    # nor a piece of a day or time written once, where another parameter takes it ("team sync", not
    # "team sync tomorrow" nor "December" of "December 9"; "18:30 is dinner" may keep its time, written again)
    when = [(a, b) for a, b in said_when(text) if text.count(text[a:b]) == 1] if any(map(dated, props.values())) else []
    kept = [s for s in spans if not any(p.search(s) for p in named) and not _in_when(s, text, when)]
    return kept or spans


def _in_when(span: str, text: str, when: list[tuple[int, int]]) -> bool:
    """Whether every place `text` writes `span` overlaps one of the pieces `when` (dates, times)."""
    written = r"\W+".join(map(re.escape, span.split()))  # "10 30" is how spans read "10:30"
    at = [m.span() for m in re.finditer(rf"(?<!\w){written}(?!\w)", text)]
    return bool(at) and all(any(a < end and start < b for a, b in when) for start, end in at)


def is_free_string(name: str, schema: object) -> bool:
    """Whether a parameter is a free string: copied as any span of the text (no enum, kind or format)."""
    return (
        isinstance(schema, dict)
        and schema.get("type") == "string"
        and not any(k in schema for k in ("enum", "const"))
        and not takes_specific(name, schema)
        and not takes_expression(name, schema)
    )


def takes_specific(name: str, schema: dict) -> bool:
    """Whether a string parameter takes values of a kind a text shows by themselves: a date, a name
    of a thing, a link or address, or a format or pattern."""
    shown = schema.get("format") or schema.get("pattern") or dated(schema)
    return bool(shown or names_a_thing(name, schema) or literal_kind(name, schema) or required_shape(name, schema))


def compounds_of(name: str, text: str) -> list[str]:
    """The words `text` writes that end in the last word of parameter `name`, of four letters or more,
    where it does not write that word alone ("bedroom" for `room`, "racetrack" for `track`): a value
    of that kind, though the parameter's name is not written."""
    word = _last_word(name)
    if len(word) < 4 or re.search(rf"\b{word}s?\b", text, re.IGNORECASE):
        return []
    found = [m.group(0) for m in re.finditer(rf"\b[a-z]{{3,}}{word}s?\b", text, re.IGNORECASE)]
    return list(dict.fromkeys(f for f in found if f.lower() not in resources()["verbs"]))  # "update": no date

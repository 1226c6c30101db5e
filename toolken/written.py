"""The words a question writes as values, read as a tool's arguments may take them: runs of words
that do not cut a name in two, and names of things (capitalised, quoted, or after "called", "named"
or "titled"); numbers are `toolken.numerals`', dates `toolken.dates`', switches said in words
`toolken.switches`'. `toolken.copying` narrows a schema's free values to them."""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache

from .countries import countries_in, known_countries
from .numerals import WORD_RE
from .shapes import NUMBERED
from .values import (
    QUOTED_RE,
    described_examples,
    parameter_words,
    places,
    pool_name,
    resources,
    value_pool,
)

MAX_SPAN_WORDS = 3  # a string argument copied from the text is at most this many words
MAX_NAME_WORDS = 5  # a name of capitalised words may run longer ("Cloudy Bay Sauvignon Blanc")
# a run of capitalised words; one that starts the text, a line or a sentence may just be capitalised there
_CAPITAL = r"[A-Z](?:(?:\.[A-Z])+\.?|[\w'-]*)"  # "Paris", "O'Neil", "D.C."
# a middle initial inside a person's name counts as no word of it: "Ursula K. Le Guin", "John F. Kennedy"
# (no sentence's first word, one of the shipped openers, after it: "Vitamin C. What ..." ends at "C")
_OPENING = "|".join(re.escape(w[:1].upper() + w[1:]) for w in sorted(resources()["openers"], key=len, reverse=True))
_INITIALS = rf"(?: [A-Z]\.(?! (?:{_OPENING})(?![\w'])))*"
_INITIAL = re.compile(r" [A-Z]\. ")
_CAPITALISED = re.compile(
    rf"(?<![\w'-]){_CAPITAL}(?:{_INITIALS}(?:(?<!\.)|(?<= [A-Z]\.)) {_CAPITAL}){{0,{MAX_SPAN_WORDS - 1}}}"
)
# a name longer than a span, offered whole beside its pieces ("Cloudy Bay Sauvignon Blanc")
_LONG_NAME = re.compile(rf"(?<![\w'-]){_CAPITAL}(?: {_CAPITAL}){{{MAX_SPAN_WORDS},{MAX_NAME_WORDS - 1}}}(?![\w'-])")
# a name that goes on through "of" ("Great Wall of China", "Bank of America"), offered whole beside its parts
_NAME_OF = re.compile(rf"(?<![\w'-]){_CAPITAL}(?: {_CAPITAL}){{0,2}} of (?:the )?{_CAPITAL}(?: {_CAPITAL})?(?![\w'-])")
_STARTS = re.compile(r"(?:^|(?<!\bDr)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bProf)(?<!\bSt)[.!?:\n])\s*$")  # "Dr." ends none
_CLAUSE_START = re.compile(r"[,;]\s*$")
MAX_TITLE_WORDS = 6  # a title after "titled" runs longer than a name after "called" ("Login page crashes on Safari")
_CALLED = re.compile(
    rf"\b(called|named|titled)\s+(?:the\s+)?([\w'-]+(?:[ ][\w'-]+){{0,{MAX_TITLE_WORDS - 1}}})", re.IGNORECASE
)
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?]|$|(?:and|but|then)\b)")


# a word that ends a sentence, and what follows it ("price. Also"; not "St. Louis", "D.C. area")
_SENTENCE_END = re.compile(r"(?![A-Z][a-z]{0,2}\b|[A-Z]\.)[\w'-]+[.!?:]+\s+")
_JOINS = frozenset("and or but nor".split())
_DANGLING = frozenset("of to in at for from with by on into than about the a an".split())
# words that stand for a value or join values but are none themselves ("in the same unit", "habitat
# that ...", "being vegan"): never a copied string alone (a single letter may be: "the letter a")
_POLITE = frozenset(["please", "thanks"])  # no value, nor part of one: "Next song please" offers no "song please"
NO_NOUNS = _DANGLING | _JOINS | {"please"}  # words that qualify nothing: "into Spanish for me" names a language
_NO_VALUE = (_DANGLING | _JOINS | _POLITE) - {"a", "in", "on"} | frozenset(
    "that this these those same such other another being been it its which who whom whose what there here each "
    "every either neither also then very own my your our their his me us them him we you they he she "
    "is are was were be am do does did has have had can could would should will shall may might must "
    "everything anything something nothing everyone anyone someone".split()
)


def spans_in(text: str) -> list[str]:
    """Strings a text offers as arguments: every run of one to MAX_SPAN_WORDS words (joined by a space,
    and as the text writes them) that does not cut a name in two ("Taylor Swift", never "Swift" or
    "Swift and Maroon") nor words glued by a slash ("feature/payments"), a word without its
    possessive or plural 's, and quoted strings."""
    found = list(WORD_RE.finditer(text))
    words = [m.group(0) for m in found]
    no_start, no_end = _name_cuts(text, found)
    # words glued by a slash are one value ("feature/payments", "his/her"), never cut
    glued = {k for k in range(1, len(found)) if text[found[k - 1].end() : found[k].start()] == "/"}
    no_start, no_end = no_start | glued, no_end | {k - 1 for k in glued}
    requests = _request_words(text, found)
    no_start |= requests
    # no run of words holds a joining word ("copper and aluminum" is two values, one per call of a
    # turn), ends with a preposition ("Santa Barbara in") or starts with one, an article, a pronoun or
    # a question word ("for divorce", "me how"); a word alone may be one ("a" is a letter) unless it
    # only stands for or joins values (`_NO_VALUE`: "the same", "that")
    joins = {k for k, w in enumerate(words) if w.lower() in _JOINS | _POLITE}
    dangling = {k for k, w in enumerate(words) if w.lower() in _DANGLING}
    leading = dangling | {k for k, w in enumerate(words) if w.lower() in resources()["opener_followers"]}
    # nor does it run across the end of a sentence or over a request word
    starts = {k for k in range(1, len(found)) if _SENTENCE_END.fullmatch(text[found[k - 1].start() : found[k].start()])}
    inner = joins | starts | requests
    ranges = [
        (i, i + n)
        for n in range(1, MAX_SPAN_WORDS + 1)
        for i in range(len(words) - n + 1)
        if i not in no_start
        and i + n - 1 not in no_end
        and (n == 1 or not inner.intersection(range(i + 1, i + n)) and i not in leading | joins)
        and (n == 1 or i + n - 1 not in dangling)
        and (n > 1 or not _no_value(words[i]))
    ]
    spans = [" ".join(words[i:j]) for i, j in ranges if not glued.intersection(range(i + 1, j))]
    # ... and as the text spells them, punctuation between the words kept ("Tel Aviv, Israel", "owner/repo")
    raw = (text[found[i].start() : found[j - 1].end()] for i, j in ranges if j - i > 1)
    spans += [s for s in raw if "\n" not in s]
    spans += [m.group(0) for m in _CAPITALISED.finditer(text) if _INITIAL.search(m.group(0))]  # "Ursula K. Le Guin"
    spans += [w[:-2] for w in words if w.endswith("'s") and not _no_value(w[:-2])]  # "Luigi", never "what"
    spans += [a or b for a, b in QUOTED_RE.findall(text)] + _long_names(text)
    openers = resources()["openers"]  # "What of ...": a sentence's opener is no name's start
    spans += [m.group(0) for m in _NAME_OF.finditer(text)
              if not (_STARTS.search(text[: m.start()]) and m.group(0).split()[0].lower() in openers)]  # fmt: skip
    return list(dict.fromkeys(s for s in spans if s))


def spelled_as_name(name: str) -> bool:
    """Whether every word of `name` is spelled as a name's: a capital, then letters not all capitals
    ("Château Musar", "Bekaa Valley"; not "C-04", "NASA")."""
    words = re.split(r"[ -]", name)
    return all(w.isalpha() and w[:1].isupper() and (len(w) == 1 or not w[1:].isupper()) for w in words)


def _long_names(text: str) -> list[str]:
    """The names longer than a span (`_LONG_NAME`) that do not start a sentence."""
    return [m.group(0) for m in _LONG_NAME.finditer(text) if not _STARTS.search(text[: m.start()])]


# a word in lower case that joins two: "what's", "don't", "I'm" (a shop's "Luigi's" is a name)
_CONTRACTION = re.compile(r"[a-z]+'(?:s|m|re|ve|d|ll)|[a-z]+n't|i'(?:m|ve|d|ll)", re.I)


def _no_value(word: str) -> bool:
    """Whether a word alone is never a copied value: one of `_NO_VALUE` (pronouns, auxiliaries, words
    that join), "I", "in" or "on" in lower case, or a contraction in lower case ("what's", "don't")."""
    contraction = _CONTRACTION.fullmatch(word) and (word[:1].islower() or word[:2].lower() == "i'")
    # "in" and "on" only in lower case: "IN" is a state's code, "in" a word of the sentence
    return word.lower() in _NO_VALUE or word in ("I", "in", "on") or bool(contraction)


# an auxiliary and a subject asking a question: the word after them is its verb ("How should I store ...")
_AUXILIARIES = frozenset("can could should would will shall may might must do does did".split())
_SUBJECTS = frozenset("i we you they he she".split())


def _request_words(text: str, found: list[re.Match]) -> set[int]:
    """Indices of the words (`found`) that open a sentence as a request or question ("Search for
    ...", "Also tell me ..."; the shipped `openers`, one after another), and the verb of a question's
    auxiliary and subject ("should I store"): no copied string starts there."""
    openers, out = resources()["openers"], set()
    words = [m.group(0).lower() for m in found]
    for k, m in enumerate(found):
        follows = k - 1 in out and text[found[k - 1].end() : m.start()].isspace()  # "Also tell ..."
        if (follows or _STARTS.search(text[: m.start()])) and words[k] in openers:
            out.add(k)
    verbs = {
        k for k in range(2, len(found))
        if words[k - 2] in _AUXILIARIES and words[k - 1] in _SUBJECTS and found[k].group(0).islower()
    }  # fmt: skip
    return out | verbs


def _name_cuts(text: str, found: list[re.Match]) -> tuple[set[int], set[int]]:
    """Indices of the words (`found`) where a copied string may not start, and where it may not end:
    inside a name of two or more capitalised words. One that starts a sentence may also be the name
    without its first word ("Play Taylor Swift")."""
    no_start, no_end = set(), set()
    for run in _CAPITALISED.finditer(text):
        inside = [k for k, m in enumerate(found) if run.start() <= m.start() < run.end()]
        if len(inside) > 1:
            opens_sentence = bool(_STARTS.search(text[: run.start()]))
            no_start |= set(inside[2:] if opens_sentence else inside[1:])
            no_end |= set(inside[:-1])
    return no_start, no_end


def names_in(text: str, known: list[str] = ()) -> list[str]:
    """Strings a text writes as the name of a thing: runs of capitalised words that do not only start
    a line or a sentence ("Paris", "New York"; at a start, as `_named` says, or after a request's verb:
    "Call John Smith"; an opener after a comma starts a clause: ", Also list ..."), quoted strings, one to
    three words after "called", "named" or "titled" in any case ("an alarm called bedtime"), and
    `known` names written in any case."""
    found, openers = [], resources()["openers"]
    for m in _CAPITALISED.finditer(text):
        # an opener after a comma starts a clause as one after a full stop does: "in 2019, Also list ..."
        opens = _STARTS.search(text[: m.start()]) or (
            _CLAUSE_START.search(text[: m.start()]) and m.group(0).split()[0].lower() in openers
        )
        if not opens or _named(m, text):
            found.append(m.group(0))
        elif ((words := m.group(0).split())[0].lower() in _request_verbs() and len(words) > 1) or _verb_led(words):
            found.append(" ".join(words[1:]))  # "Call John Smith": the name after the request's verb
        elif words[0].lower() in _ASKS and len(words) > 1 and not re.search(r"\d", m.group(0)):
            found.append(" ".join(words[1:]))  # "What's Priya Patel's extension?" (not "Has ORD-1042 ...")
    found += [a or b for a, b in QUOTED_RE.findall(text)] + called_in(text) + _long_names(text)
    found += [m.group(0) for k in known for m in re.finditer(rf"(?<!\w){re.escape(k)}(?!\w)", text, re.IGNORECASE)]
    # a name in the possessive, before the thing it owns ("Arsenal's last match"), is offered without
    # its "'s" too, the model choosing; a shop's name keeps it ("a table at Luigi's for 4")
    found = [n for f in found for n in ([f, without_possessive(f)] if _owns_a_thing(f, text) else [f])]
    return list(dict.fromkeys(found))


def called_in(text: str, nouns: Collection[str] | None = None, most: int = 3) -> list[str]:
    """The one to `most` words `text` writes after "called", "named" or "titled", in any case, each run
    that ends on a word of its own ("a note titled Groceries: eggs" -> "Groceries"; "an alarm called
    wake up now" -> "wake", "wake up", "wake up now"); given `nouns`, only those of a thing it names by
    one of them ("a note titled ...", not "a player named ..." where `nouns` are an event's), or, for
    a title (`nouns` holding "title"), any after "titled"."""
    found = []
    for m in _CALLED.finditer(text):
        if m.group(2)[0] in "'\"":
            continue  # "titled 'Roe v. Wade'": a quoted name is copied whole, as quoted
        before = re.findall(r"[a-z]+", text[: m.start()].lower())[-1:]
        of_noun = bool(before) and (before[0] in nouns or before[0].removesuffix("s") in nouns) if nouns else False
        titled = nouns is not None and m.group(1).lower() == "titled" and "title" in nouns
        if nouns is not None and not (of_noun or titled):
            continue
        words = m.group(2).split()[:most]
        ends = [k for k in range(1, len(words) + 1) if words[k - 1].lower() not in _DANGLING | _JOINS]
        # past three words only a run to its clause's end, no number in it: not "Kickoff on 2027-01-15 with"
        ends = [k for k in ends if k <= 3 or _clause_ends(text[m.start(2) :], words[:k])]
        found += [" ".join(words[:k]) for k in ends]
    return found


def _clause_ends(rest: str, words: list[str]) -> bool:
    """Whether `words`, written first in `rest`, hold no number and run to the end of their clause."""
    after = rest[len(" ".join(words)) :]
    return not any(ch.isdigit() for w in words for ch in w) and bool(_CLAUSE_END.match(after))


# words that may follow a shop's name written with its "'s" ("at Luigi's for 4", "Does Luigi's have ...")
_AFTER_A_NAME = frozenset(
    "for near in on at to from with by and or but please nearby tonight today tomorrow have has had "
    "do does did still also serve serves deliver delivers accepts sells takes".split()
)


def _owns_a_thing(name: str, text: str) -> bool:
    """Whether `name` ends in a possessive "'s" that `text` follows with a lowercase word it owns."""
    after = re.search(rf"{re.escape(name)}\s+([a-z]+)", text) if without_possessive(name) != name else None
    return bool(after) and after.group(1) not in _AFTER_A_NAME


def without_possessive(name: str) -> str:
    """A name without the possessive "'s" it ends in ("Arsenal's" -> "Arsenal"), else as it is."""
    return name[:-2] if len(name) > 3 and re.search(r"\w['’]s$", name) else name


# words that open a question and may go straight on with a name ("Where's Tom Becker", "Is Anna in?")
_ASKS = frozenset("what's whats where's who's when's how's is are does do did was can could will has".split())


@cache
def _request_verbs() -> frozenset[str]:
    """Words that open a request and are verbs ("Add", "Call", "Tell"): a name may follow them."""
    return frozenset(resources()["openers"]) & frozenset(resources()["verbs"])


def _verb_led(words: list[str]) -> bool:
    """Whether a capitalised run that starts a sentence is a verb (any shipped one, not only an
    opener) and a name of two words or more after it: "Bill Northwind Traders", "Charge Acme Corp";
    a verb before one word may be a first name ("Mark Twain")."""
    return len(words) > 2 and words[0].lower() in resources()["verbs"]


def _named(run: re.Match, text: str) -> bool:
    """Whether a run of capitalised words that starts a sentence is a name ("Tesla share price
    please", "Tokyo weather"): its first word opens no question or request ("What", "Tell", "Please";
    `openers`; nor a verb before a number, "Claim 18 euros"), and the word after it is no article,
    pronoun or question word ("Paris is ...", "Recommend a book" stay words)."""
    words, first = resources(), run.group(0).split()
    counted = len(first) == 1 and first[0].lower() in words["verbs"] and re.match(r"\s+[$€£]?\d", text[run.end() :])
    if first[0].lower() in words["openers"] or text.startswith(":", run.end()) or _verb_led(first) or counted:
        return False  # an opener, a label ("Q:"), a verb before a name of its own or a number ("Log 30 minutes")
    after = re.match(r"\s+([A-Za-z']+)", text[run.end() :])
    return after is None or after.group(1).lower() not in words["opener_followers"]


# who serves: "vet", "Name of a specific stylist", `instructor_name`
SERVES = (r"vet|doctor|dentist|stylist|barber|groomer|therapist|instructor|teacher|tutor|trainer|coach|driver|nurse"
          r"|physio|masseuse|photographer|mechanic|technician")  # fmt: skip
_SERVES = re.compile(rf"\b(?:{SERVES})s?\b")
# a parameter that names a human being, by its words ("The colleague's full name"; not "personality type")
_HUMAN = re.compile(
    r"\b(?:(?:full|first|last) name(?! of)|surname|colleague|employee|friend|recipient|contact|person|people|customer"
    r"|patient|student|teacher|doctor|professor|lecturer|instructor)s?\b"
)
# a title before a person's name, no part of it ("Professor Okafor", "Dr. Lindqvist")
_TITLES = r"(?:Professor|Prof|Doctor|Dr|Mr|Mrs|Ms|Miss|Sir|Dame|Coach|Captain|Judge)\.?"
_TITLE = re.compile(rf"^{_TITLES}\s+(?=[A-Z])")


def names_for(name: str, schema: dict, text: str) -> list[str]:
    """The names `text` writes that may be the value of parameter `name` (one that `names_a_thing`):
    `names_in` with the shipped names of its kind, less those that only name a day, a month, a
    holiday, a language or a people (kept for a parameter that takes a language), or the pronoun I;
    for a country, the known countries it names, by name or by their people's adjective, if any."""
    not_names, pool, words = resources()["not_names"], pool_name(name, schema), parameter_words(name, schema)
    skip = {w.lower() for kind, ws in not_names.items() if not (pool == "language" and kind == "peoples") for w in ws}
    country = pool == "country"
    if country and (countries := countries_in(text)):
        return _directed(name, countries, text)  # "with a Canadian passport": Canada, never "Visa"
    names = [n for n in names_in(text, value_pool(name, schema)) if not _only(n, skip)]
    if country:  # a country the pools do not know, never a known city nor a quoted phrase ("from Paris")
        names = [n for n in names if n[:1].isupper() and n not in places()]
    elif pool == "city" and not _WIDER.search(words):
        known = known_countries()[0]  # a city is no country ("What currency does Japan use?"), a city-state aside
        names = [n for n in names if n.lower() not in known or n in places()]
        # nor, for one that says it takes a city, a word of three capitals or more the shipped places
        # lack ("RAW or JPEG"; "LA" may be one; a "station" may be "KIRX")
        if re.search(r"\bcit(?:y|ies)\b", words):
            names = [n for n in names if not re.fullmatch(r"[A-Z]{3,}", n) or n in places()]
    # "What does HR stand for?" names no one, nor does "CS101" or "Dr" alone
    if _HUMAN.search(words) or pool == "person" and _SERVES.search(words):
        no_one = re.compile(rf"[A-Z]{{2,}}|{_TITLES}|.*\d.*")  # an acronym, a title alone, a code
        names = [_TITLE.sub("", n) for n in names if not no_one.fullmatch(n)]
        if re.search(r"\b(?:last|family) name|\bsurname", words):  # "Okafor" of "Professor Okafor"
            names = [n.split()[-1] for n in names]
        names = list(dict.fromkeys(names))
    if pool == "person":  # "Priya" of "Priya Shah" is part of her name, no other's
        names = [
            n
            for n in names
            if not any(len(o) > len(n) and re.search(rf"(?<!\w){re.escape(n)}(?![\w'’])", o) for o in names)
        ]  # fmt: skip (a possessive's name stays)
    description = str(schema.get("description", ""))
    names = _placed(_joined(names, text), description) if _COMMA_FORMAT.search(description) else names
    if (examples := described_examples(schema)) and all(NUMBERED.fullmatch(e) for e in examples):
        names = _numbered(names, text)  # "such as Biology 101": "Chemistry 201", not "Chemistry"
    return _directed(name, names, text)


# a place parameter that may take more than a city: "City or country", "the location", a trip's destination
_WIDER = re.compile(r"\b(?:countr\w*|regions?|locations?|places?|areas?|states?|provinces?|destinations?|trips?)\b")


def _numbered(names: list[str], text: str) -> list[str]:
    """`names` with the number `text` writes right after each, where it writes one."""
    out = []
    for n in names:
        m = re.search(rf"(?<![\w'-]){re.escape(n)} (\d+[A-Za-z]?)(?![\w.,]\d|\w)", text)
        out.append(f"{n} {m.group(1)}" if m else n)
    return list(dict.fromkeys(out))


# words of a parameter's name that make it the start of a trip, a transfer..., or its end
_SOURCE_WORDS = frozenset("start starting origin from departure source".split())
_TARGET_WORDS = frozenset("end destination to arrival target".split())


def _directed(name: str, names: list[str], text: str) -> list[str]:
    """Of `names`, for a start parameter (`start_location`, `origin`) the one the text writes after
    "from", for an end parameter (`end_location`, `destination`) the one after "to"; all of them
    where the text writes none there ("from Sydney to Melbourne": `start_location` is Sydney)."""
    words = {w.lower() for w in re.findall(r"[A-Z]?[a-z]+", name)}
    cue = "from" if words & _SOURCE_WORDS else "to" if words & _TARGET_WORDS else None
    after = [n for n in names if cue and re.search(rf"\b{cue}\s+(?:the\s+)?{re.escape(n)}(?!\w)", text, re.I)]
    return after or names


# a description that asks for places written "City, State" ("e.g. San Francisco, CA")
_COMMA_FORMAT = re.compile(r"\b[A-Z][\w.]*(?: [A-Z][\w.]*)*, [A-Z][\w.]*")


def _joined(names: list[str], text: str) -> list[str]:
    """`names` where the text writes two of them joined by a comma ("Riga, Latvia") as that one name,
    and its parts no more on their own."""
    pairs, end = [], 0
    for pair in sorted((f"{a}, {b}" for a in names for b in names if a != b and f"{a}, {b}" in text), key=text.index):
        if text.index(pair) >= end:  # "Riga, Latvia, Can you ..." is "Riga, Latvia"
            pairs.append(pair)
            end = text.index(pair) + len(pair)
    parts = {part for pair in pairs for part in pair.split(", ")}
    return sorted(pairs + [n for n in names if n not in parts], key=lambda n: text.find(n))


def _placed(names: list[str], description: str) -> list[str]:
    """`names` for a parameter whose description writes places "City, State" or "City, Country": a
    well-known city written alone (`values.places`) with its US state's abbreviation ("Boston, MA")
    or its country, as a two-letter code where the description's examples write one ("Paris, FR")."""
    seconds = [m.group(0).rsplit(", ", 1)[1] for m in _COMMA_FORMAT.finditer(description)]
    codes = any(len(x) == 2 and x.isupper() and x not in _us_states() for x in seconds)
    out = []
    for n in names:
        place = places().get(n) if ", " not in n else None
        region = None if place is None else place.get("state") or place["code" if codes else "country"]
        out.append(f"{n}, {region}" if region else n)
    return list(dict.fromkeys(out))


@cache
def _us_states() -> frozenset[str]:
    return frozenset(p["state"] for p in places().values() if "state" in p)


def _only(name: str, words: set[str]) -> bool:
    """Whether `name` is one of `words`, or a run of them ("Monday", "French", "New Year"), also in
    the plural ("Sundays")."""
    return name.lower() in words or all(
        w.lower() in words or w.lower().removesuffix("s") in words for w in name.split()
    )

"""The words of a tool's name that tell it from others and where a text writes them (`tool_words`,
`written_tool_words`: as they are, as the start of a longer word, in their dictionary form, as an
acronym), and a name written as spelled (`writes_identifier`): the name bias of
`toolken.firing`, the later requests of `toolken.turns`."""

from __future__ import annotations

import functools
import os
import re

from .english import lemma
from .keyed import FILLERS, name_words
from .values import NAME_WORD

# verbs any tool's name may start with: no sign of which tool a question asks for
_NAME_VERBS = frozenset("calculate compute find make create perform return fetch search list retrieve".split())


_SHORT_VERBS = frozenset("get set put run use".split())  # a GET request names no `get_...` tool
# verbs that ask for the same deed: a question writing one names a tool named by another ("Transfer 250
# USDC" names `send_tokens`, "Reserve a spin class" `book_class`)
_SAME_DEEDS = [{"send", "transfer", "wire"}, {"book", "reserve"}, {"cancel", "drop", "revoke"},
               {"delete", "remove", "erase"}, {"buy", "purchase"}, {"rent", "hire"}, {"start", "begin"},
               {"stop", "halt"}, {"show", "display"}, {"enroll", "enrol", "register", "sign up"},
               {"exchange", "swap"}, {"play", "put on"}]  # fmt: skip


# a tool named for what something costs, and the words of a question that asks what something costs
_PRICE_WORDS = frozenset("price prices cost costs quote fee fees fare fares charge charges estimate total".split())
_PRICE_ASKS = ("how much", "price", "cost", "costs", "charge", "fee", "fare", "quote")


def tool_words(name: str) -> set[str]:
    """The words of a tool's name that tell it from others: four letters or more, no generic verb
    ("country_info.capital": country, info, capital; "get_stock_data": stock)."""
    return {w for w in name_words(name) if len(w) > 3} - _NAME_VERBS


def written_tool_words(name: str, stems: set[str], acronyms: set[str] = frozenset(), starts: bool = True) -> set[str]:
    """The `tool_words` of a tool's name that a text whose words are `stems` (`asked.word_stems`)
    writes: as they are, or as the start of a longer word, all of a tool word of five letters or more
    but its last letter at most ("hypot" in "hypotenuse", "convert" in "converted", "permutate" in
    "permutations"; not "investment" in "invest"), or in its dictionary form ("chosen": choose); its
    words of three letters that the text writes as an acronym (`acronyms`, from `acronyms_in`:
    "LCM" or "least common multiple" for `math.lcm`); all of them where it writes their initials
    ("EV"); a verb by another that asks for the same deed ("transfer" for `send`, `_SAME_DEEDS`); one
    word of a price where the text asks what something costs ("how much", "price": `quote_groom`,
    `late_return_fee` and `estimate_move` alike, so a price question leans to no one price tool).
    `starts=False`: as they are only ("divided" is not "divide")."""
    short = {w for w in name_words(name) if len(w) == 3 and w not in _SHORT_VERBS} & acronyms
    if _initials(name) in acronyms:  # "EV" for `exposure_value`, "DOF" for `depth_of_field`
        return short | tool_words(name)
    short |= {w for run in _initial_runs(name, acronyms) for w in run} & tool_words(name)  # "PR": pull request
    if starts:
        stems = _with_lemmas(frozenset(stems))  # "chosen" names `choose`, "bought" `buy`
    said = {w for w in tool_words(name) if w in stems or starts and any(_starts(s, w) for s in stems)}
    deeds = {w for w in tool_words(name) if any(w in deed and _says(deed, stems) for deed in _SAME_DEEDS)}
    priced = set(name_words(name)) & _PRICE_WORDS
    asks_price = bool(priced) and not priced & said and any(_says({ask}, stems) for ask in _PRICE_ASKS)
    return short | said | deeds | (set(sorted(priced)[:1]) if asks_price else set())


def _says(deed: set[str], stems: set[str]) -> bool:
    """Whether a text whose words are `stems` writes one of the verbs of `deed` (all words of "sign up")."""
    return any(set(verb.split()) <= stems for verb in deed)


def _initial_runs(name: str, acronyms: set[str]) -> list[list[str]]:
    """The runs of two words or more of a tool name whose initials are among `acronyms` ("PR" for
    the "pull request" of `merge_pull_request`)."""
    words = [w.lower() for w in NAME_WORD.findall(name.rsplit(".", 1)[-1])]
    runs = [words[i:j] for i in range(len(words)) for j in range(i + 2, len(words) + 1)]
    return [run for run in runs if "".join(w[0] for w in run) in acronyms]


def _initials(name: str) -> str:
    """The initials of a tool name's words, generic verbs aside, where it has two words or more
    ("exposure_value": "ev"); "" otherwise."""
    words = [w.lower() for w in NAME_WORD.findall(name.rsplit(".", 1)[-1])]
    words = [w for w in words if w not in _NAME_VERBS | _SHORT_VERBS]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


@functools.lru_cache(maxsize=256)
def _with_lemmas(stems: frozenset[str]) -> frozenset[str]:
    """`stems` and their dictionary forms: once per text, not once per tool of a large tool set."""
    return stems | {lemma(s) for s in stems if s}


# words no acronym takes an initial from ("and", "the": "apples and dates" spells no `add`)
_NOT_INITIALS = FILLERS | {"and", "but", "nor", "not", "all", "can", "has", "had", "how", "why", "who", "what",
                           "when", "where", "which", "you", "from", "into", "than", "then"}  # fmt: skip


def writes_identifier(name: str, text: str) -> bool:
    """Whether `text` writes the tool name `name` as it is spelled, where it is an identifier no one
    writes by chance (it holds "_" or "."): "using the 'calculate_velocity' function" asks for it."""
    return ("_" in name or "." in name) and re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", text) is not None


def acronyms_in(text: str) -> set[str]:
    """The acronyms a text writes, in lower case: words of two to five capitals ("LCM", "BMI"), and
    the initials of three words in a row of three letters or more ("greatest common divisor": gcd,
    "body mass index": bmi), the way a name abbreviates what people spell out."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    spelled = {"".join(w[0] for w in words[i : i + 3]) for i in range(len(words) - 2)
               if all(len(w) > 2 and w not in _NOT_INITIALS for w in words[i : i + 3])}  # fmt: skip
    return {w.lower() for w in re.findall(r"\b([A-Z]{2,5})s?\b", text)} | spelled  # "PRs" too


def _starts(word: str, tool_word: str) -> bool:
    """Whether `word` starts with `tool_word` (five letters or more), but for its last letter at most,
    or `tool_word` is the one who does what `word` says ("remind": `reminder`; a generic verb's, as
    "calculator", tells no tool apart), makes what it says a verb ("factor": `factorize`), or is the
    deed of its verb of five letters or more ("clean": `cleaning`; not "park": `parking`)."""
    common = len(os.path.commonprefix([word, tool_word]))
    doer = len(word) > 4 and word not in _NAME_VERBS and tool_word in (word + "er", word + "r", word[:-1] + "or")
    verb = len(tool_word) > 7 and tool_word.endswith(("ize", "ise")) and word.startswith(tool_word[:-3])
    deed = tool_word.endswith("ing") and len(done := lemma(tool_word)) >= 5 and word == done  # "clean": `cleaning`
    return common >= 5 and common >= len(tool_word) - 1 or doer or verb or deed

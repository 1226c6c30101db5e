"""Questions that ask for a judgment, advice or an opinion rather than a tool's value: how two things
differ, whether one is healthier or a deed is usual ("Is it normal to feel tired after a blood
test?"), tips and know-how ("How do I donate old books?"), or the assistant's own preference. A tool
that compares, rates, reviews, recommends or advises answers them; `toolken.unasked` shuts the
others."""

from __future__ import annotations

import re

from .asked import word_stems
from .enum_names import named_in, stem
from .numerals import numbers_in
from .toolnames import acronyms_in, written_tool_words
from .tools import Tool


def words_of(tool: Tool) -> str:
    """A tool's name, description and the string values its parameters choose from ("tire rotation")."""
    props = tool.parameters.get("properties", {})
    choices = [v for p in props.values() if isinstance(p, dict) for v in p.get("enum") or () if isinstance(v, str)]
    return " ".join([tool.readable_name, tool.description, *choices])


# a question that asks how two things differ or whether one is good, not for a value
_JUDGMENT = re.compile(
    r"\b(?:what(?:'?s| is| are)\s+(?:actually\s+)?the\s+(?:real\s+|actual\s+|main\s+)?differences?\s+between"
    r"|how\s+(?:do|does)\s+\w+(?:\s+\w+)?\s+differ)\b"
    r"|^\s*(?:do\s+you\s+think\b[^?]*?\s)?(?:is|are|was|were)\b[^?]*\b(?:healthier|healthy|better|worse|best|worst|safer"
    r"|tastier|nicer|easier|harder|more\s+(?:fun|difficult|useful|popular)|worth"
    r"|(?:good|bad)\s+for\s+(?:you|me|us|your|my)|\w{2,}er\s+than|(?:more|less)\s+\w+\s+than)\b"
    r"|^\s*what\s+should\s+(?:i|we)\s+do\b",  # advice: "What should I do if I forget a dose?"
    re.I,
)
# a tool that judges or compares: it answers those
_JUDGES = re.compile(
    r"\b(?:compar\w*|differ\w*|versus|vs|health\w*|nutri\w*|review\w*|rating|recommend\w*|advi[cs]e)", re.I
)


# "Is it normal to ...", "Is it rude to ...": whether a deed is usual or fitting; the word judges, it names no tool
_USUAL = re.compile(
    r"\s*(?:is|was)\s+it\s+(?:normal|common|usual|unusual|rude|polite|weird|strange)\s+(?:to|for|that|if|when)\b", re.I
)


def asks_judgment(tool: Tool, text: str) -> bool:
    """Whether `text` asks how two things differ, whether one is healthier, better or safer, or
    whether a deed is usual or fitting, and `tool` does not compare, rate, review, recommend or tell
    health: "What's the difference between a croissant and a brioche?" and "Do you think sourdough is
    healthier?" ask no bakery for a price, "Is it normal to feel tired after a blood test?" no
    `normal_range`; one that names the tool asks it ("Is 58 kg at 1.65 m a healthy BMI?")."""
    usual = _USUAL.match(text)
    if not (usual or _JUDGMENT.search(text)) or _JUDGES.search(words_of(tool)):
        return False
    rest = text[usual.end() :] if usual else text
    if usual and (numbers_in(rest) or names_a_choice(tool, rest)):  # "Is it normal for TSH to be 6?" reads one
        return False
    if not tool.parameters.get("required"):  # its words alone ask nothing of a tool that needs no value
        return True
    return not written_tool_words(tool.name, word_stems(rest), acronyms_in(rest))  # "... a healthy BMI range?"


# what opens advice or an opinion: "so,", "hey"; a request for tips; "is it safe to ..." and its kin
_LEAD = r"\s*(?:(?:so|and|but|ok|okay|hey|hi|well|also)\W+)*"
_TIPS = r"(?:any|some|got any|do you have any)\s+(?:\w+\s+)?(?:tips|advice|suggestions|pointers|tricks)\b"
_JUDGED = r"(?:bad|safe|unsafe|ok|okay|fine|wise|smart|dangerous|harmful|necessary|normal|common"
_IS_IT = r"(?:is|are)\s+(?:it|they)\s+(?:really\s+|actually\s+|too\s+)?"
# a request for advice or know-how: "Any tips for pitching a tent?", "How do I treat a blister?", "What
# should I eat before donating?", "Is it bad to overload the washer?"
_ADVICE = re.compile(
    rf"{_LEAD}(?:{_TIPS}"
    r"|how\s+(?:do|does|can|could|should|would)\s+(?:i|we|you|one|people)\b"
    r"|what\s+(?:should|can|could)\s+(?:i|we|one)\b"
    rf"|{_IS_IT}{_JUDGED}|easier|harder|easy|hard|better|worse)\s+(?:to|for|if)\b)",
    re.I,
)
# ... and the forms that ask it of a tool with values only where no word of the tool is written: "Is it
# safe to sail in 25 knot winds?", "Should I see a doctor for a cough?", "Roses or tulips, what do you think?"
_OPINION = re.compile(
    rf"{_LEAD}(?:{_TIPS}"
    r"|should\s+(?:i|we)\b"
    # "What tire pressure should I run?", "What weight ball should a 10 year old use?"
    r"|what(?:\s+[\w-]+){1,3}\s+should\s+(?:i|we|you|he|she|they|my|our|a|an)\b"
    # what holds as a rule: "Is the crossing usually rough in winter?"; a requirement: "Do I need a licence?"
    r"|(?:is|are|does|do)\s+(?:[\w-]+\s+){1,6}(?:usually|normally|typically|generally)\b"
    r"|do\s+(?:i|we|you)\s+(?:need|have)\s+(?:a|an|to)\b"
    r"|(?:does|will|would|is)\s+(?:it|that|this)\s+(?:hurt|be\s+painful|painful)\b"  # "Does it hurt to get a filling?"
    rf"|{_IS_IT}{_JUDGED})\s+(?:to|for|if)\b"
    r"|(?:(?:is|are)\s+\w+(?:\s+\w+)?|which\s+\w+\s+(?:is|are))\s+(?:really\s+|actually\s+)?(?:that\s+|so\s+)?"
    r"(?:bad|harmful|toxic|poisonous)\s+(?:to|for)\b"
    r"|what(?:'s|\s+is)\s+the\s+best\s+(?P<said>way|strategy|time|thing|approach)\b"
    r"|.*\bwhat\s+do\s+you\s+(?:think|reckon|recommend)\b)",
    re.I,
)


# the assistant's own preference: "Which room would you personally pick?", "What's your favourite trail?"
_PREFERENCE = re.compile(
    r"\b(?:which|what)\b(?:\s+[\w-]+){0,4}?\s+would\s+you\s+(?:personally\s+)?(?:pick|choose|go\s+for|prefer)\b"
    r"|\bwould\s+you\s+personally\b|\b(?:do|would)\s+you\s+(?:personally\s+)?prefer\b|\byour\s+(?:personal\s+)?favou?rite\b"
    r"|\b(?:would|do)\s+you\s+recommend\b|\byou'd\s+recommend\b",
    re.I,
)


# deeds of taking, mixing or handling a thing, asked as "Can I ...": "Can I take ibuprofen with it?"
_HANDLED = r"(?:take|eat|drink|mix|give|pour|wash|freeze|reuse|combine)\b"
# know-how: "How do I donate old books?" asks no `search_catalog`, whose words hold no "donate"; "What
# can I pour down a drain?", "Can I take ibuprofen with it?" (not "What can I cook?": recipes may tell)
_KNOW_HOW = re.compile(
    rf"{_LEAD}(?:how\s+(?:do|can|could|should)|(?:what\s+)?(?:can|may|should)(?=\s+\w+\s+{_HANDLED}))"
    r"\s+(?:i|we)\s+([a-z]+)\b",
    re.I,
)


def _knows_how_to(tool: Tool, verb: str) -> bool:
    """Whether the deed `verb` is one of `tool`'s words (its name, description or choices)."""
    words = word_stems(words_of(tool))
    return bool({verb, stem(verb)} & (words | {stem(w) for w in words}))


def asks_advice(tool: Tool, text: str) -> bool:
    """Whether `text` asks for advice or an opinion that `tool`, which neither advises, recommends nor
    compares, does not give: of a tool that requires no value, any advice or know-how (`_ADVICE`: "Any
    tips to avoid diacetyl when fermenting a lager?" lists no batches that are fermenting, "What should
    I eat before donating blood?" reads no blood stocks); of one with required values, an opinion
    (`_OPINION`: "Is it safe to take ibuprofen with coffee?" checks no stock) that writes no word of its
    name, or know-how of a deed that is none of its words and that names none of its name's words
    (`_KNOW_HOW`: "How do I donate old books?" searches no catalog); of any, the assistant's own
    preference (`_PREFERENCE`: "Which room would you pick?").
    Know-how may still ask a tool with values by them: "How should I wash wool?" may ask
    `recommend_wash_cycle(fabric)`."""
    if _JUDGES.search(words_of(tool)):
        return False
    if not tool.parameters.get("required"):
        return bool(_ADVICE.match(text) or _PREFERENCE.search(text))
    if _PREFERENCE.search(text):  # a taste of the assistant's own, whatever tool it names
        return True
    if (how := _KNOW_HOW.match(text)) and not _knows_how_to(tool, how[1].lower()):
        return not written_tool_words(tool.name, word_stems(text), acronyms_in(text))
    if not (opinion := _OPINION.match(text)):
        return False
    rest = text[: opinion.start("said")] + text[opinion.end("said") :] if opinion["said"] else text
    return not written_tool_words(
        tool.name, word_stems(rest), acronyms_in(rest)
    )  # "best time" names no `feeding_times`


def names_a_choice(tool: Tool, text: str) -> bool:
    """Whether `text` names a value one of `tool`'s parameters chooses from."""
    props = tool.parameters.get("properties", {})
    return any(
        isinstance(p, dict) and isinstance(p.get("enum"), list) and named_in(p["enum"], text) for p in props.values()
    )

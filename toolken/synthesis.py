"""Demonstrations synthesized from tool specs alone: argument values drawn from each parameter's JSON
schema, questions phrased from the tool's name, description and parameter descriptions
(`toolken.questions`), and the
result obtained by really calling the tool (a call that fails is dropped, never invented). Questions
that need no tool are added so the head learns when to stay quiet.

Records are written in the offsets format of `toolken.demonstrations` (call arguments as a JSON
object): `prompt(question) + " " + result + "\\n"`, the call due where the answer starts and the line
ending right after the result, which is what teaches the model to stop after one call."""

from __future__ import annotations

import json
import random
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .arguments import ToolError, validate_arguments
from .asked import word_stems
from .config import DEFAULT_PROMPT, NEAR_MISS_SHARE
from .copied_strings import LISTED
from .demonstrations import Demo, demos_from_records
from .descriptions import meaning_asked
from .drawing import draw_arguments
from .execution import execute
from .negatives import near_misses
from .paraphrase import Paraphraser, paraphrase
from .polynomials import polynomial_question
from .questions import TEMPLATES, VERBS, fields_of, question
from .tools import Tool
from .toolsets import Toolset
from .values import resources

_WORD = re.compile(r"[a-z]+")
MAX_TRIES = 8  # draws per wanted demonstration before a tool that keeps failing is given up on
REFUSED_AFTER = 10  # failed draws after which a tool takes what its descriptions lay out or give as examples
NO_TOOL_SHARE = 0.25  # the shipped no-tool questions held out for validation
JOINERS = (" Also, {}", " Then {}", " And {}")  # how a multi-call question asks for its second thing


# ---------------------------------------------------------------- records


def _record(prompt: str, text_question: str, answer: str, call: dict | None) -> dict:
    head = prompt.format(question=text_question)
    text = f"{head} {answer}\n"
    if call is None:
        return {"text": text}
    return {"text": text, "calls": [{**call, "start": len(head), "end": len(head) + 1 + len(answer)}]}


@dataclass
class Draft:
    """One synthesized call before it becomes a record: the question, the values it writes, the call
    and the tool's real result."""

    question: str
    values: list[str]
    call: dict
    result: str


def tool_drafts(
    tool: Tool, n: int, rng: random.Random, examples: Sequence[str] = (), timeout: float = 5.0
) -> list[Draft]:
    """Up to `n` calls of `tool` with their questions, each a real call's result (failed calls dropped;
    where every one fails, a warning says with the tool's last error). A tool whose function raised at
    every call (a lookup refusing every drawn ID: "unknown ticket BR-4821") keeps those calls with the
    error it raised as their result: what the tool really answered, and the question still shows when
    it is called."""
    drafts: list[Draft] = []
    raised: list[Draft] = []  # calls whose function raised (not a value the schema refused, nor a time-out)
    error, refused = "an empty result each time", False
    for attempt in range(n * MAX_TRIES):
        if len(drafts) >= n:
            break
        example = rng.choice(examples) if examples and rng.random() < 0.5 else None
        # a tool that refused every early call may check its values: draw date-times as its descriptions lay
        # them out, and strings from their examples
        refused = refused or (not drafts and attempt >= REFUSED_AFTER)
        args, spoken = draw_arguments(tool, rng, fields_of(example) if example else None, refused)
        text = example.format(**spoken) if example else question(tool, spoken, rng.choice(TEMPLATES))
        props = tool.parameters.get("properties", {})
        written = None if example else polynomial_question(f"{tool.readable_name} {tool.description}", props, rng)
        if written:  # an equation's coefficients as people write them: "Solve 3x^2 - 2x + 5 = 0."
            coefficients, text, poly = written
            args, spoken = {**args, **coefficients}, {"polynomial": poly}
        try:
            result = execute(tool, validate_arguments(tool, args), timeout)  # a drawn value its schema refuses, too
        except ToolError as e:
            error = str(e)
            learn_values(tool, args, error)  # "We don't carry 'chair'. Plants: lavender, olive tree, ..."
            if error.startswith(f"{tool.name} raised ") and "\n" not in error and len(raised) < n:
                raised.append(Draft(text, list(spoken.values()), _call(tool, args), error))
            continue  # a call that fails teaches nothing true
        if result.strip() and "\n" not in result:
            drafts.append(Draft(text, list(spoken.values()), _call(tool, args), result.strip()))
    if n and not drafts:
        kept = "its demonstrations show the errors it raised as results" if raised else "no demonstration"
        warnings.warn(
            f"tool {tool.name}: no call drawn from its schema ran (last: {error}): {kept}, so the head"
            f"{' learns when to call it from calls that failed' if raised else ' will not learn when to call it'};"
            " give values it accepts as its parameters' `examples` or `enum`, or train with --data"
            " demonstrations of it",
            stacklevel=3,
        )
    return drafts or raised


# the values an error lists after the one it refused: "choose one of ['a', 'b']", "Choose from: a, b, c",
# "Plants: a, b or c"
_LISTED = re.compile(
    r"(?:\bchoose(?:\s+(?:one\s+of|from))?|\bone of|\bfrom|:)\s*:?\s*(\[[^\]]*\]|[^.;!?\n]+)", re.IGNORECASE
)


def learn_values(tool: Tool, args: dict, error: str) -> None:
    """Where `tool`'s function refused a free string's drawn value with an error that lists the values it
    takes ("We don't carry 'chair'. Plants: lavender, olive tree, monstera"), give that parameter's
    schema those values as its `examples`, added to those other errors listed: later calls draw from
    them, and the head saved after training keeps them (marked `LISTED`), so that tool mode copies a
    value whole ("alto saxophones": "alto saxophone") and a question naming none is not this tool's."""
    props = tool.parameters.get("properties", {})
    for name, value in args.items():
        schema = props.get(name)
        if not (isinstance(value, str) and value and isinstance(schema, dict) and "enum" not in schema):
            continue
        at = max(error.find(f"'{value}'"), error.find(f'"{value}"'))
        listed = _LISTED.search(error, at + len(value) + 2) if at >= 0 else None
        items = [i.strip(" '\"[]()") for i in re.split(r",|\bor\b|\band\b", listed.group(1))] if listed else []
        items = [i for i in items if re.search(r"[A-Za-z]", i) and len(i.split()) <= 4]
        fewest = 3 if listed and listed.group(0).startswith(":") else 2  # "Plants: a, b, c"; "choose a or b"
        known = list(schema.get("examples") or [])
        if len(items) >= fewest and not set(items) <= set(known):  # each error may list others ("for a dress: ...")
            taught = {**schema, "examples": list(dict.fromkeys(known + items)), LISTED: True}
            tool.parameters = {**tool.parameters, "properties": {**props, name: taught}}
            return


def _call(tool: Tool, args: dict) -> dict:
    return {"tool": tool.name, "arguments": json.dumps(args, ensure_ascii=False)}


def _shared_values(tool: Tool, rng: random.Random, k: int) -> tuple[list[dict], dict[str, str]] | None:
    """Values of `k` calls of `tool` that one question asks for at once, one parameter naming them all
    ("the factorial of 5, 10 and 15"): the calls differ only there. None if the values do not differ."""
    first, spoken = draw_arguments(tool, rng)
    others = [draw_arguments(tool, rng, set(first)) for _ in range(k - 1)]
    varied = [n for n in first if len({json.dumps(a.get(n)) for a in [first, *(o[0] for o in others)]}) == k]
    if not varied:
        return None
    name = rng.choice(varied)
    said = [spoken[name], *(o[1][name] for o in others)]
    calls = [first, *({**first, name: o[0][name]} for o in others)]
    return calls, {**spoken, name: ", ".join(said[:-1]) + " and " + said[-1]}


def _several_calls(tool: Tool, tools: Sequence[Tool], rng: random.Random) -> tuple[str, list[tuple[Tool, dict]]] | None:
    """A question asking for several calls, and the calls: half the time one question naming two or
    three values of a parameter of `tool`, else two questions joined (`tool`, then `tool` again or
    another of `tools`)."""
    if rng.random() < 0.5:
        drawn = _shared_values(tool, rng, rng.choice((2, 3)))
        if drawn is not None:
            return question(tool, drawn[1], rng.choice(TEMPLATES)), [(tool, a) for a in drawn[0]]
    other = tool if rng.random() < 0.5 else rng.choice(tools)
    (a, spoken), (b, spoken_b) = draw_arguments(tool, rng), draw_arguments(other, rng)
    if (tool.name, a) == (other.name, b):
        return None  # the same call twice is refused at inference
    then = question(other, spoken_b, rng.choice(TEMPLATES))
    text = question(tool, spoken, rng.choice(TEMPLATES)) + rng.choice(JOINERS).format(then[:1].lower() + then[1:])
    return text, [(tool, a), (other, b)]


def multi_call_records(
    tools: Sequence[Tool], n: int, rng: random.Random, prompt: str = DEFAULT_PROMPT, timeout: float = 5.0
) -> list[dict]:
    """Up to `n` records per tool of questions asking for two or three things, answered by the calls in
    a row (each result owning the space before it): they teach a toolken to fire again after a result
    while the question asks for more, and tool mode to write the next call's values."""
    records = []
    for tool in tools:
        for _ in range(n):
            drawn = _several_calls(tool, tools, rng)
            if drawn is None:
                continue
            try:
                results = [execute(t, validate_arguments(t, args), timeout).strip() for t, args in drawn[1]]
            except ToolError:
                continue  # a call that fails teaches nothing true
            if not all(results) or any("\n" in r for r in results):
                continue
            head = prompt.format(question=drawn[0])
            calls, at = [], len(head)
            for (t, args), result in zip(drawn[1], results):
                calls.append({"tool": t.name, "arguments": json.dumps(args, ensure_ascii=False)})
                calls[-1].update(start=at, end=at + 1 + len(result))
                at += 1 + len(result)
            records.append({"text": f"{head} {' '.join(results)}\n", "calls": calls})
    return records


def _rephrased(drafts: list[Draft], paraphraser: Paraphraser, share: float, rng: random.Random) -> None:
    """Rewrite about `share` of the drafts' questions with the backbone (in place)."""
    chosen = [d for d in drafts if rng.random() < share]
    for d, q in zip(chosen, paraphrase([d.question for d in chosen], [d.values for d in chosen], paraphraser)):
        d.question = q


def no_tool_records(prompt: str, split: str, rng: random.Random, tools: Sequence[Tool] = ()) -> list[dict]:
    """The shipped questions that need no tool, with answers in words: 3/4 train, 1/4 validation.
    Questions that name what one of `tools` is for ("capital", "weather") are left out: for a tool
    set that has such a tool they would teach the head to stay quiet where it should call; so are
    questions of fact ("Who wrote Romeo and Juliet?") beside a tool that looks up any fact
    (`answers_facts`: an encyclopedia, a web search), and questions of what a word means beside a tool
    that defines words (`descriptions.meaning_asked`)."""
    pairs = list(resources()["no_tool"])
    random.Random(0).shuffle(pairs)  # the same split whatever the seed
    cut = int(len(pairs) * (1 - NO_TOOL_SHARE))
    chosen = pairs[:cut] if split == "train" else pairs[cut:]
    topics = {w for t in tools for w in _WORD.findall(t.readable_name.lower()) if len(w) > 3 and w not in VERBS}
    chosen = [(q, a) for q, a in chosen if not topics & word_stems(q)]
    if any(answers_facts(t) for t in tools):
        chosen = [(q, a) for q, a in chosen if not _FACT_QUESTION.match(q) or _PERSONAL.search(q)]
    if any(meaning_asked(t) for t in tools):  # "What is a verb?" is a dictionary's question
        chosen = [(q, a) for q, a in chosen if not _WORD_QUESTION.search(q)]
    return [_record(prompt, q, a, None) for q, a in rng.sample(chosen, len(chosen))]


# a question of what a word means: "What does HTML stand for?", "What is a verb?", "a synonym for happy"
_WORD_QUESTION = re.compile(
    r"^what(?: is|'s) an? \w+\?$|\bwhat does\b.*\b(?:mean|stand for)\b|\bmeaning of\b|\bdefine\b|\bsynonym|"
    r"\bopposite of\b|\bplural of\b",
    re.IGNORECASE,
)
# a tool that looks up any fact: its name or description speaks of an encyclopedia or a web search
_FACTS = re.compile(
    r"\b(?:wiki\w*|encyclopa?edi\w*|knowledge base|search engine|web search|search the (?:web|internet)|"
    r"internet search|google|trivia)\b",
    re.IGNORECASE,
)
# a question of fact: a question word or verb first, and nothing of the asker's or of "you" in it
_FACT_QUESTION = re.compile(r"(?:who|what|what's|where|when|which|why|how|is|are|can|do|does|did)\b", re.IGNORECASE)
_PERSONAL = re.compile(r"\b(?:I|my|me|should|you|your)\b", re.IGNORECASE)


def answers_facts(tool: Tool) -> bool:
    """Whether `tool` looks up any fact (`_FACTS` in its name or description: "wiki_summary", "Search
    the web for ..."): questions of fact are then its questions, not questions that need no tool."""
    return bool(_FACTS.search(f"{tool.readable_name} {tool.description}"))


def synth(
    tools: Iterable[Tool],
    per_tool: int = 20,
    seed: int = 0,
    prompt: str = DEFAULT_PROMPT,
    examples: dict[str, Sequence[str]] | None = None,
    split: str = "train",
    timeout: float = 5.0,
    paraphraser: Paraphraser | None = None,
    paraphrase_share: float = 0.5,
    near_miss_share: float = NEAR_MISS_SHARE,
    multi_calls: float = 0.0,
) -> list[dict]:
    """Demonstration records for `tools` (each needs its function bound) plus no-tool questions: the
    shipped ones and, `near_miss_share` as many as `per_tool` per tool, near misses of these tools
    (`toolken.negatives`). Shuffled with `seed`; use another seed and `split="validation"` for
    validation records. With a `paraphraser`, about `paraphrase_share` of the tool questions are
    rewritten by the backbone. `multi_calls` adds that share of `per_tool` questions per tool asking
    for two or three calls at once. A tool whose function refuses a drawn string with an error that
    lists the values it takes learns them as that parameter's `examples` (`learn_values`)."""
    rng, tools = random.Random(f"{seed}-{split}"), list(tools)
    drafts: list[Draft] = []
    for tool in tools:
        if tool.function is None:
            raise ValueError(f"tool {tool.name} has no function: synth calls every tool for its results")
        drafts += tool_drafts(tool, per_tool, rng, (examples or {}).get(tool.name, ()), timeout)
    if paraphraser is not None:
        _rephrased(drafts, paraphraser, paraphrase_share, rng)
    records = [_record(prompt, d.question, d.result, d.call) for d in drafts]
    if multi_calls > 0:
        records += multi_call_records(tools, max(1, round(per_tool * multi_calls)), rng, prompt, timeout)
    records += no_tool_records(prompt, split, rng, tools)
    misses = near_misses(tools, round(per_tool * near_miss_share), rng)
    records += [_record(prompt, q, a, None) for q, a in misses]
    rng.shuffle(records)
    return records


def synth_demos(
    tools: Sequence[Tool], per_tool: int = 20, seed: int = 0, prompt: str = DEFAULT_PROMPT, split: str = "train"
) -> list[Demo]:
    """`synth` read as `Demo`s, ready for `toolken.train`."""
    toolset = Toolset("synth", list(tools), prompt=prompt)
    return demos_from_records(synth(tools, per_tool, seed, prompt, split=split), toolset, "synthesized")[0]

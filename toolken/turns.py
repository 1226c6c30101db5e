"""Turns of several calls: after a call returns, what else the question asks for, answered at once
instead of waiting for a toolken to win again after the result: the next value of a list it writes
("the factorial of 5, 10 and 15": the same tool again), or a later request ("... Also, find the LCM of
15 and 25.": the tool the head picks for that request read alone). Both need copied arguments
(`GenerationConfig.arguments="copy"`): the next call copies the next value, or the request's own."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import torch

from .asked import word_stems
from .copying import copy_schema
from .dates import looks_back
from .decoding import word_logits
from .execution import ToolCall
from .gate import copyable
from .head import ToolkenModel
from .next_call import list_goes_on, tuple_follows
from .numerals import numbers_in
from .positions import first_at, places
from .prefill import _prefill
from .toolnames import acronyms_in, written_tool_words
from .tools import Tool
from .written import names_in

if TYPE_CHECKING:
    from .generation import GenerationConfig, _Row


def calls_again(model: ToolkenModel, rows: list[tuple[_Row, Tool]], cfg: GenerationConfig) -> list[bool]:
    """For rows whose call of a tool just returned: whether the turn goes on with another call of the
    same tool, because the question lists another value right after one the call took ("the factorial
    of 5, 10 and 15", "weather in Paris and Rome"; `next_call.list_goes_on`), or writes a next tuple
    of its values ("$5000 at 7% for 5 years ... $8000 at 5% for 7 years"). Only where arguments are
    copied from the question (`arguments="copy"`): the next call then copies the next value."""
    if cfg.arguments != "copy":
        return [False] * len(rows)
    verdicts = []
    for r, t in rows:
        text, previous = model.copy_text(r.ids, r.prompt_len), previous_call(r, t)
        used = [c.arguments or {} for c in r.streak if c.tool == t.name]
        copied = copy_schema(t.parameters, text, looks_back(t.description, t.parameters))
        verdicts.append(
            previous is not None
            and (list_goes_on(copied, previous, used, text) or _tuple_next(copied, previous, text, model.tools, t))
        )
    return verdicts


def _tuple_next(schema: dict, previous: dict, text: str, tools: list[Tool], tool: Tool) -> bool:
    """Whether the question writes a next tuple of the call's values after all of them (`previous`,
    of `tool`), before any later request starts and with no word of another tool's name between
    (`next_call.tuple_follows`; "the GCD of 96 and 128, and the LCM of 15 and 25" is a request of its
    own, left to `next_parts`, which may pick another tool for it)."""
    between = tuple_follows(schema, previous, text)
    if between is None or PART_START.search(between):
        return False
    return not any(_names(other, between) for other in tools if other.name != tool.name)


# where a question starts another request: ". Also, ...", ", then ...", " and also ...", "? And ...",
# ". Finally, ...", ". In addition to that, ...", a sentence asking for the same again (". Do the
# same for ..."), ", another with ..." or " and another ...", " and for ...", a sentence about the
# next of several things ("The first triangle has a base of 12 m ... The second triangle has ...",
# "In the third round, ..."), " and ones ... for the same in Texas", ", as well as one around Tokyo",
# a sentence counted on ("Second, ...", "Thirdly: ...", "Next, ...", "After that, ...")
PART_START = re.compile(
    r"(?:[.?!;]\s+|,\s*|\s+)(?:and\s+)?(?:also|then|additionally)\b[,:]?\s*|[.?!;]\s+and\s+"
    r"|[.?!;]\s+(?:and\s+)?(?:finally|lastly|in addition(?:\s+to\s+(?:that|this))?)\b[,:]?\s*"
    r"|[.?!;]\s+(?:second|third|fourth|fifth)(?:ly)?\s*[,:]\s*|[.?!;]\s+(?:next|after that|afterwards)\s*,\s*"
    r"|[.?!;]\s+(?=[^.?!;]*\b(?:the same|again)\b)|(?:,\s*(?:and\s+)?|\s+and\s+)(?=another\b)|,?\s+and\s+(?=for\s)"
    r"|[.?!;]\s+(?=[^.?!;]*\b(?:the|a)\s+(?:second|third|fourth|fifth)\b)"
    r"|,?\s+and\s+(?=[^.?!;,]*\bthe same\b)|,\s*as well as\s+",
    re.I,
)
# where none of those follows, " and " and a word ("Invest $2000 in Google and withdraw $1000 from
# Apple"): a request only for a tool it names, not the one just called (`next_parts`)
AND_START = re.compile(r",?\s+and\s+(?=[a-z])", re.I)


def first_request(question: str) -> str | None:
    """The question's first request, where it makes later ones (`PART_START`): "List all cases against
    'Dara Inc' filed in 2019," of "... Also list cases filed in the year 2018 ..."; else None."""
    start = next((m for m in PART_START.finditer(question) if m.start() > 0), None)
    return question[: start.start()] if start else None


def next_part(question: str, calls: list[ToolCall], plain_and: bool = False) -> str | None:
    """The request `question` makes after the part its turn's `calls` took their values from ("Find
    the GCD of 96 and 128. Also, find the LCM of 15 and 25." after `gcd(96, 128)`: "find the LCM of 15
    and 25."), or where none follows, the one just before that part ("Calculate the factorial of 8"
    after `generate_prime(1, 50)` in "... and generate the prime numbers from 1 to 50."); None where
    the calls took no value the question writes, or no other request is made. With `plain_and`, a
    request after " and " and a word (`AND_START`), where `PART_START` finds none."""
    values = [v for c in calls for v in (c.arguments or {}).values() if isinstance(v, (str, int, float))]
    served = max((first_at(v, question) for v in values if not isinstance(v, bool)), default=-1)
    if served < 0:
        return None
    starts = [m for m in PART_START.finditer(question) if m.start() > served]
    joins = AND_START.finditer(question) if plain_and and not starts else ()
    start = starts[0] if starts else next((m for m in joins if m.start() > served), None)
    if start is None:
        # where each value is written last up to the latest: the part the calls served starts there
        written = [[at for at in places(v, question) if at <= served] for v in values if not isinstance(v, bool)]
        return _request_before(question, min(w[-1] for w in written if w), plain_and)
    end = next((m.start() for m in starts if m.start() > start.start()), len(question))
    return question[start.end() : end].strip() or None


def _request_before(question: str, served: int, plain_and: bool) -> str | None:
    """The request `question` makes just before the part that starts at `served` (`next_part`)."""
    splits = [m for m in PART_START.finditer(question) if 0 < m.start() and m.end() <= served]
    if not splits and plain_and:
        splits = [m for m in AND_START.finditer(question) if m.end() <= served]
    if not splits:
        return None
    begin = splits[-2].end() if len(splits) > 1 else 0
    return question[begin : splits[-1].start()].strip() or None


def previous_call(row: _Row, tool: Tool) -> dict | None:
    """The arguments of the row's call just before, if it called `tool` in the turn going on."""
    last = row.streak[-1] if row.streak else None
    return last.arguments if last is not None and last.tool == tool.name and last.arguments else None


def turn_goes_on(
    model: ToolkenModel, cfg: GenerationConfig, rows: list[tuple[_Row, Tool]], may_fire: Callable[[_Row], torch.Tensor]
) -> list[tuple[_Row, Tool]]:
    """The rows (with their tool) whose turn goes on with another call of the same tool (`calls_again`),
    where the row may still fire that tool."""
    if not cfg.calls_again:
        return []
    index = {name: i for i, name in enumerate(model.tool_names)}
    rows = [(r, t) for r, t in rows if r.budget > 1 and may_fire(r)[index[t.name]]]
    return [rt for rt, yes in zip(rows, calls_again(model, rows, cfg)) if yes]


@torch.no_grad()
def next_parts(
    model: ToolkenModel, cfg: GenerationConfig, rows: list[tuple[_Row, Tool]], may_fire: Callable[[_Row], torch.Tensor]
) -> list[tuple[_Row, Tool]]:
    """Rows whose question makes another request after the part their turn's calls answered ("...
    Also, find the LCM of 15 and 25."; `turns.next_part`), with the tool to call for it: the head
    reads that request as a question of its own and picks the toolken with the highest logit among
    those the row may fire that take a value and find every value they require in the request (or,
    for the tool just called, find a number there); its values are copied from the request
    (`_Row.part`; for the tool just called and a request that lacks some of its values, from the
    question as a next item). A request that writes no value of its own may call a tool the turn has
    not called that it names (`_named_anew`), copied from the whole question. A request after a plain
    " and " (`next_part(plain_and=True)`) is for a tool it names (`_names`), not the one just called. A
    request no such tool fits gets no call."""
    if not cfg.calls_again or cfg.arguments != "copy":
        return []
    asked, joined = [], set()
    for r, _ in rows:
        question = model.copy_text(r.ids[: r.prompt_len], r.prompt_len)
        part = next_part(question, r.streak)
        if part is None and (part := next_part(question, r.streak, plain_and=True)):
            joined.add(id(r))  # "... and withdraw $1000 from Apple": another tool's request
        if part and r.budget > 1:
            asked.append((r, part))
    if not asked:
        return []
    h = _read_alone(model, [part for _, part in asked])
    chosen = []
    for (r, part), logits in zip(asked, model.head(h).float()):
        numbers, last = numbers_in(part), r.streak[-1].tool if r.streak else None
        picked = _pick_for_part(model, r, part, logits, may_fire(r), id(r) in joined)
        if picked is not None:
            tool, whole = picked
            # the same tool again keeps the values a request does not give ("... then repeat with a time
            # of 10 s"): copied from the whole question, one at least moving on (`next_call.next_call_schema`);
            # a request that gives them all ("also for one 5.6 feet tall weighing 60 kg") is copied alone
            again = tool.name == last and not _fits_alone(tool, part, numbers)
            r.part = None if again or whole else part
            chosen.append((r, tool))
    return chosen


def _read_alone(model: ToolkenModel, parts: list[str]) -> torch.Tensor:
    """The backbone's last hidden state after each request put alone in the head's prompt format."""
    prompts = [model.tokenizer(model.prompt_text(part)).input_ids for part in parts]
    return _prefill(model, prompts, [None] * len(prompts), keep=False)[0].last_hidden_state[:, -1]


@torch.no_grad()
def first_parts(
    model: ToolkenModel, cfg: GenerationConfig, rows: list[_Row], may_fire: Callable[[_Row], torch.Tensor]
) -> list[tuple[_Row, Tool, str]]:
    """Rows that answered in words a question making several requests (`first_request`: "Could you
    help me with a few things? First, ... Second, ..."), whose first request read alone as a question
    fires a toolken: the head's logit plus the bias beats the best word there, among the toolkens the
    row may fire whose required values the request gives (`_fits_alone`). Returns each such row with
    the tool and the request (its call copies from it; later requests follow as `next_parts`)."""
    if not cfg.calls_again or cfg.arguments != "copy" or not model.tools:
        return []
    asked = [(r, part) for r in rows if (part := first_request(model.copy_text(r.ids[: r.prompt_len], r.prompt_len)))]
    if not asked:
        return []
    h = _read_alone(model, [part for _, part in asked])
    bias = model.config.bias if cfg.bias is None else cfg.bias
    words = word_logits(model.lm, h).float().max(-1).values
    chosen = []
    for (r, part), logits, word in zip(asked, model.head(h).float() + bias, words):
        numbers = numbers_in(part)
        fits = torch.tensor(
            [_fits_alone(t, part, numbers) for t in model.tools], dtype=torch.bool, device=logits.device
        )
        logits = logits.masked_fill(~(may_fire(r) & fits), float("-inf"))
        if logits.max() > word:
            chosen.append((r, model.tools[int(logits.argmax())], part))
    return chosen


def _pick_for_part(
    model: ToolkenModel, r: _Row, part: str, logits: torch.Tensor, fire: torch.Tensor, joined: bool
) -> tuple[Tool, bool] | None:
    """The tool for a later request `part` of row `r` (`next_parts`; `logits` the head's on the request
    read alone, `fire` the toolkens the row may fire, `joined` a request after a plain "and"), and
    whether it is one the request writes no value for (copied from the whole question); None if no
    tool fits."""
    numbers, last = numbers_in(part), r.streak[-1].tool if r.streak else None
    named: torch.Tensor | None = None

    def named_anew() -> torch.Tensor:  # only where needed: it reads the whole question for each tool
        nonlocal named
        if named is None:
            question = model.copy_text(r.ids[: r.prompt_len], r.prompt_len)
            named = fire & torch.tensor(
                [_named_anew(t, part, question, r.streak) for t in model.tools], device=fire.device
            )
        return named

    # the tool just called may take its other values from the whole question where the request writes
    # a number, or a name of its own and names no other tool ("then repeat with a change in time of 10
    # seconds", "also for the same mass of Aluminium"); another must find them all in it
    own = bool(numbers) or (_new_name(part, r.streak) and not named_anew().any())
    fits = [_fits_alone(t, part, numbers) or (t.name == last and own) for t in model.tools]
    if joined:  # after a plain "and": a tool the request names, not the one just called
        fits = [f and t.name != last and _names(t, part) for f, t in zip(fits, model.tools)]
    allowed = fire & torch.tensor(fits, device=fire.device)
    whole = not bool(allowed.any())  # a request that writes no value of its own ("Also, compute the total distance")
    logits = logits.masked_fill(~(named_anew() if whole else allowed), float("-inf"))
    return (model.tools[int(logits.argmax())], whole) if torch.isfinite(logits.max()) else None


def _new_name(part: str, streak: list[ToolCall]) -> bool:
    """Whether a request writes a name no call of the turn took ("Aluminium" after `water`)."""
    taken = {str(v).lower() for c in streak for v in (c.arguments or {}).values()}
    return any(n.lower() not in taken for n in names_in(part))


def _names(tool: Tool, part: str) -> bool:
    """Whether a request writes a word of `tool`'s name as the name writes it ("withdraw $1000 from
    Apple": `investment.withdraw`; "divided" is no request to divide)."""
    return bool(written_tool_words(tool.name, word_stems(part), acronyms_in(part), starts=False))


def _named_anew(tool: Tool, part: str, question: str, streak: list[ToolCall]) -> bool:
    """Whether a request that writes no value of its own asks for `tool` by a word of its name
    ("compute the total distance covered": `distance_traveled`), a tool the turn has not called yet
    whose required values the whole question writes (they are copied from it)."""
    if not tool.parameters.get("required") or any(c.tool == tool.name for c in streak):
        return False
    # a hard choice, unlike the name bias: the words as the name writes them
    return _names(tool, part) and copyable(tool.parameters, numbers_in(question), question)


def _fits_alone(tool: Tool, part: str, numbers: list[float | int]) -> bool:
    """Whether a request alone gives `tool` every value it requires, a number of its own for each
    required number (in "Then a boy got 6 liters. How many are left?" one number is no subtraction)
    and one at least for a required list of numbers."""
    props, required = tool.parameters.get("properties", {}), tool.parameters.get("required", [])
    kinds = [
        (p.get("type"), (p.get("items") or {}).get("type")) for n in required if isinstance(p := props.get(n), dict)
    ]
    numeric = sum(kind in ("number", "integer") for kind, _ in kinds)
    listed = any(kind == "array" and item in ("number", "integer") for kind, item in kinds)  # a list: one at least
    enough = len(set(numbers)) >= max(numeric, int(listed))
    return bool(required) and enough and copyable(tool.parameters, numbers, part)

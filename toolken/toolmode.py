"""Tool mode: when a row's toolken fires, the model writes the call's arguments after a prompt built
from the tool's description and demonstrations (under the tool's JSON-schema grammar, or as free text
parsed afterwards), the call is validated and run under a time limit, and its result is appended to
the row's text; a turn goes on with the calls its question asks for next (`finish_turns`).
`toolken.generation` runs it for every row whose toolken fired."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING

import torch

from .arguments import ToolError, parse_arguments
from .decoding import CLOSE, GLUE, decode
from .execution import ToolCall, call_tool, execute
from .firing import may_fire
from .grammar import grammars_for
from .head import ToolkenModel
from .prefill import RowCache, stored_prefix_cache
from .tools import Tool, call_line, in_one_turn
from .turns import first_request, next_parts, previous_call, turn_goes_on

if TYPE_CHECKING:
    from .generation import GenerationConfig, _Row

GRAMMAR_ROOM = 4  # grammar-constrained arguments get this many times `argument_tokens`
REPEATED_CALL = "an earlier call repeated; not run again"  # the error of a call refused as a repeat
_SPACE_BEFORE = set(":;,.!?)]>\"'%")


def text_ids(tokenizer, text: str, add_special_tokens: bool = False) -> list[int]:
    """Token ids of untrusted text (a tool's result; a tool prompt, with its spec and context): a
    special token's string such as "<eos>" in it stays plain text, never the special token itself."""
    return tokenizer(text, add_special_tokens=add_special_tokens, split_special_tokens=True).input_ids


def tool_prompt(tool: Tool, context: str, context_chars: int = 700, as_json: bool = False, earlier: str = "") -> str:
    """The prompt for writing `tool`'s arguments: its signature and description, up to three
    demonstrations (context, then the call), then the current context, the calls made just before in
    the same turn (`earlier`, `call_line`s) and the open call."""
    prefix = tool_prompt_prefix(tool, context_chars, as_json)
    return prefix + f"{context[-context_chars:]}{earlier}\nCall: {tool.name}("


def tool_prompt_prefix(tool: Tool, context_chars: int = 700, as_json: bool = False) -> str:
    """The start of `tool_prompt`, the same for every call of `tool` (so encoded once per tool). With
    `as_json`, demonstrations show their arguments as the JSON object the grammar makes the model write
    (those whose arguments do not fit the schema are left out)."""
    parts = [f"Tool {tool.signature}: {tool.description}".strip()]
    for demo in tool.demonstrations[:3]:
        arguments = _json_arguments(tool, demo["arguments"]) if as_json else demo["arguments"]
        if arguments is not None:
            parts.append(f"{demo['context'][-context_chars // 2 :]}\nCall: {tool.name}({arguments})")
    return "\n\n".join(parts) + "\n\n"


def _json_arguments(tool: Tool, text: str) -> str | None:
    try:
        return json.dumps(parse_arguments(text, tool), ensure_ascii=False)
    except ToolError:
        return None


def close_paren(text: str) -> int | None:
    """Index of the `)` that closes an argument list (ignoring brackets and quotes inside), or of a
    newline, whichever comes first."""
    depth, quote = 0, ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif ch == "\n":
            return i
    return None


def _repeats(row: _Row, tool: Tool, argument_text: str) -> ToolCall | None:
    """The call the row made before that this one repeats (same tool, same argument text), whose result
    is already in the text; None if it is a new call."""
    same = (c for c in row.calls if c.tool == tool.name and c.argument_text.strip() == argument_text.strip())
    return next(same, None)


def _taken(row: _Row, tool: Tool) -> list:
    """The values that calls of other tools took earlier in the row's turn (`_streak` keeps it)."""
    return [v for c in row.streak if c.tool != tool.name for v in (c.arguments or {}).values()]


def _first(row: _Row, tool: Tool) -> bool:
    """Whether the row's call of `tool` is its turn's first (or the first of a later request's)."""
    return row.part is not None or all(c.tool != tool.name for c in row.streak)


def _copied(model: ToolkenModel, row: _Row) -> tuple[str, str | None]:
    """What the row's call copies from (its request, or its whole text) and, for the turn's very first
    call, the question's first request (`turns.first_request`; None otherwise)."""
    if row.part is not None:
        return row.part, None
    text = model.copy_text(row.ids, row.prompt_len)
    return text, None if row.streak else first_request(text)


def _streak(row: _Row, tokenizer) -> str:
    """The calls the row made in a row, with no word written since (a turn of several calls: ", " or
    " and " between them is no word), as `call_line`s; empty once words were written after the last."""
    if row.streak_end < 0 or not in_one_turn(tokenizer.decode(row.ids[row.streak_end :], skip_special_tokens=True)):
        row.streak = []
    return "".join(call_line(c.tool, c.argument_text) for c in row.streak)


def _never(text: str) -> None:
    return None


def join_result(context: str, result: str) -> str:
    """The text to append for a tool result: with a space after a word or punctuation, as training
    spans own the space before a result."""
    if context and (context[-1].isalnum() or context[-1] in _SPACE_BEFORE) and not result[:1].isspace():
        return " " + result
    return result


def run_tools(
    model: ToolkenModel,
    calling: list[tuple[_Row, Tool]],
    cfg: GenerationConfig,
    generator: torch.Generator,
    tool_caches: dict[tuple[str, bool], RowCache | None],
    next_item: bool = False,
) -> list[tuple[_Row, Tool]]:
    """Tool mode for every row whose toolken fired: write arguments (batched, each tool's prompt
    prefix from `tool_caches`), run, append results. Returns the rows whose call returned a result,
    with the tool (the turn may go on: `toolken.turns`). With `next_item` (the rows' turns go on, as
    `turns.calls_again` said), each call takes the question's next item (`next_call.next_call_schema`)."""
    tok = model.tokenizer
    needs_args = [(r, t) for r, t in calling if t.argument_names]
    texts = {id(r): tok.decode(r.ids, skip_special_tokens=True) for r, _ in calling}
    after = [previous_call(r, t) if next_item else None for r, t in needs_args]
    arg_texts = _write_arguments(model, needs_args, texts, after, cfg, (generator, tool_caches))
    for r, _ in calling:
        r.part = None  # its call is written
    fresh = [(r, t) for r, t in calling if _repeats(r, t, arg_texts.get(id(r), "")) is None]
    made = dict(zip(map(id, (r for r, _ in fresh)), _calls(fresh, arg_texts, cfg)))
    for r, tool in calling:
        if id(r) not in made:
            # the same call again: its answer is already there, so stop calling
            again = _repeats(r, tool, arg_texts.get(id(r), ""))
            r.calls.append(ToolCall(tool.name, again.arguments, None, REPEATED_CALL, again.argument_text))
            r.tools_done, r.after_result = True, CLOSE if tool.closes else 0
            continue
        call = made[id(r)]
        r.paused = r.options.pause and call.error is None
        r.calls.append(call)
        if r.paused:
            continue
        if call.error is None:
            r.ids += text_ids(tok, join_result(texts[id(r)], call.result))
            r.streak.append(call)
            r.streak_end = len(r.ids)
        else:
            r.block_tools_once = True  # go on in words from the same place
        r.after_result = (CLOSE if tool.closes else GLUE) if call.error is None else 0
    return [(r, t) for r, t in calling if id(r) in made and made[id(r)].error is None and not r.paused]


def _write_arguments(
    model: ToolkenModel,
    needs_args: list[tuple[_Row, Tool]],
    texts: dict[int, str],
    after: list[dict | None],
    cfg: GenerationConfig,
    state: tuple[torch.Generator, dict[tuple[str, bool], RowCache | None]],
) -> dict[int, str]:
    """The arguments each row writes for its tool (by row id; `texts`: each row's text, `after`: the
    call of the tool just before in its turn, if it goes on), batched: under the tool's grammar (copied
    values with `copy`), after the tool's prompt, whose prefix is encoded once (`state`: the sampling
    generator and the prompt prefixes' caches)."""
    generator, tool_caches = state
    if not needs_args:
        return {}
    tok = model.tokenizer
    compiled = grammars_for(tok, model.vocab_size) if cfg.arguments in ("schema", "copy") else None
    copy = cfg.arguments == "copy"  # values copied from the question the row answers
    copied = [_copied(model, r) for r, _ in needs_args]
    states = [
        compiled.for_tool(t, text, before, _taken(r, t), _first(r, t), request, cfg.calls_again)
        if copy
        else compiled.for_tool(t) if compiled else None
        for (r, t), before, (text, request) in zip(needs_args, after, copied)
    ]  # fmt: skip
    as_json = [s is not None for s in states]
    prompts = [
        text_ids(tok, tool_prompt(t, texts[id(r)], cfg.context_chars, j, _streak(r, tok)), True)
        for (r, t), j in zip(needs_args, as_json)
    ]
    for (_, t), j in zip(needs_args, as_json) if cfg.reuse_kv else ():
        if (t.name, j) not in tool_caches:
            prefix = text_ids(tok, tool_prompt_prefix(t, cfg.context_chars, j), True)
            tool_caches[(t.name, j)] = stored_prefix_cache(model, prefix, cfg.prefix_cache)
    caches = [tool_caches.get((t.name, j)) for (_, t), j in zip(needs_args, as_json)]
    stops = [_never if j else close_paren for j in as_json]  # a grammar row ends when its object does
    grammars = (compiled, states) if compiled else None
    # a grammar ends its object itself (lists, numbers and repeats are bounded): more room before the cap
    budgets = [cfg.argument_tokens * (GRAMMAR_ROOM if j else 1) for j in as_json]
    outs = decode(model, prompts, budgets, stops, cfg, None, generator, caches, grammars)
    return {id(r): tok.decode(new, skip_special_tokens=True) for (r, _), (new, _) in zip(needs_args, outs)}


def _calls(calling: list[tuple[_Row, Tool]], arg_texts: dict[int, str], cfg: GenerationConfig) -> list[ToolCall]:
    """The calls of the rows that fired, run at the same time (one slow tool does not hold up the
    others), in order; a row that pauses gets its parsed call, not run."""

    def one(row: _Row, tool: Tool) -> ToolCall:
        if row.options.pause:
            return _paused_call(tool, arg_texts.get(id(row), ""))
        if tool.argument_names:
            return call_tool(tool, arg_texts[id(row)], cfg.tool_timeout, cfg.max_result_chars)
        try:
            return ToolCall(tool.name, {}, execute(tool, {}, cfg.tool_timeout, cfg.max_result_chars))
        except ToolError as e:
            return ToolCall(tool.name, {}, None, str(e))

    if len(calling) < 2:
        return [one(r, t) for r, t in calling]
    with ThreadPoolExecutor(len(calling), thread_name_prefix="toolken-tool") as pool:
        return list(pool.map(one, *zip(*calling)))


def _paused_call(tool: Tool, argument_text: str) -> ToolCall:
    """A call left for the caller to run: its arguments parsed and validated, no result."""
    try:
        args = parse_arguments(argument_text, tool) if tool.argument_names else {}
        return ToolCall(tool.name, args, None, None, argument_text)
    except ToolError as e:
        return ToolCall(tool.name, None, None, str(e), argument_text)


def finish_turns(
    model: ToolkenModel,
    cfg: GenerationConfig,
    turns: list,
    generator: torch.Generator,
    tool_caches: dict[tuple[str, bool], RowCache | None],
) -> None:
    """The calls a turn goes on with after its rows' calls ran: while the question asks for more, the
    next value of its list (`turn_goes_on`) or its next request (`next_parts`)."""
    row_may_fire = partial(may_fire, model, cfg)
    while turns:
        again = turn_goes_on(model, cfg, turns, row_may_fire)
        going = {id(r) for r, _ in again}
        parts = next_parts(model, cfg, [(r, t) for r, t in turns if id(r) not in going], row_may_fire)
        again += [(r, t) for r, t in parts if r.part is None]
        parts = [(r, t) for r, t in parts if r.part is not None]
        for r, _ in again + parts:
            r.budget -= 1  # the call's toolken, as if the head had fired it
        turns = run_tools(model, again, cfg, generator, tool_caches, next_item=True)
        turns += run_tools(model, parts, cfg, generator, tool_caches)

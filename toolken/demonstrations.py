"""Training demonstrations: text with tool calls marked by character offsets (never token indices),
and the loader of demonstration files.

Formats, one JSON object per record (a JSON list or JSON lines):
- inline markup: `{"text": "... 224+77=[[add(224, 77)=301]] employees"}`: the call's result text
  (`301`) stays in the text; the toolken is predicted where it begins;
- offsets: `{"text": "...", "calls": [{"tool": "add", "start": 120, "end": 123, "arguments": "224, 77"}]}`;
- a tool set's own format, read by its `Toolset.reader` (e.g. the papers' files, in the bench extra).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .arguments import ToolError, parse_arguments
from .tools import Tool, call_line, in_one_turn
from .toolsets import Toolset

MAX_DATA_BYTES = 256 * 2**20  # a file this big takes about 10 GB once tokenized: refuse before reading it
LARGE_DATA_BYTES = 32 * 2**20  # ... and say so above this
UNFINISHED_RE = re.compile(r"\[\[[A-Za-z_][\w.\-]*\(")  # markup left over: a call written without its result
MARKUP_RE = re.compile(r"\[\[([A-Za-z_][\w.\-]*)\((.*?)\)=(.*?)\]\]", re.DOTALL)


class DataError(ValueError):
    """A malformed data file or record; the message names the file and the record."""


@dataclass(frozen=True)
class Call:
    """A tool call in a demonstration: the result text is `text[start:end]`; the toolken is the target
    of the position just before `start`, and the result's own tokens are not supervised."""

    tool: str
    start: int
    end: int
    arguments: str = ""


@dataclass
class Demo:
    """One training text with its calls (sorted, non-overlapping)."""

    text: str
    calls: list[Call] = field(default_factory=list)

    def validate(self, tool_names: set[str]) -> None:
        """Raise `ValueError` if a call is out of range, overlapping, or names an unknown tool."""
        prev_end = 0
        for c in self.calls:
            if c.tool not in tool_names:
                raise ValueError(f"unknown tool {c.tool!r}")
            if not (0 < c.start <= c.end <= len(self.text)) or c.start < prev_end:
                raise ValueError(f"call span {c.start}:{c.end} is out of range or overlaps another")
            prev_end = c.end


def span_with_space(text: str, start: int, end: int) -> tuple[int, int]:
    # a result that follows a space owns that space, as the inserted result will at inference
    while start > 0 and text[start - 1] == " ":
        start -= 1
    return start, end


def from_markup(text: str) -> Demo:
    """Parse `[[tool(args)=result]]` markup into a `Demo` whose text keeps only the results."""
    out, calls, pos = [], [], 0
    for m in MARKUP_RE.finditer(text):
        out.append(text[pos : m.start()])
        start = sum(map(len, out))
        out.append(m.group(3))
        start, end = span_with_space("".join(out), start, start + len(m.group(3)))
        calls.append(Call(m.group(1), start, end, m.group(2).strip()))
        pos = m.end()
    out.append(text[pos:])
    unfinished = UNFINISHED_RE.search("".join(out))
    if unfinished:
        raise ValueError(f"the call at {unfinished.group(0)!r}... has no '=result]]': write [[tool(args)=result]]")
    return Demo("".join(out), calls)


def _offsets_record(r: dict) -> Demo:
    calls = [Call(c["tool"], int(c["start"]), int(c["end"]), str(c.get("arguments", ""))) for c in r["calls"]]
    return Demo(r["text"], sorted(calls, key=lambda c: c.start))


def read_record(r: dict, toolset: Toolset) -> Demo:
    """One record as a `Demo`: the tool set's own format if its reader takes it, else offsets or markup."""
    if not isinstance(r, dict):
        raise ValueError(f"a record must be a JSON object, got {type(r).__name__}")
    demo = toolset.reader(r, toolset) if toolset.reader else None
    if demo is not None:
        return demo
    if "calls" in r and "text" in r:
        return _offsets_record(r)
    if "text" in r:
        if not isinstance(r["text"], str):
            raise ValueError("field 'text' must be a string")
        return from_markup(r["text"])
    raise ValueError(f"unknown record format (keys: {', '.join(sorted(r)) or 'none'})")


def read_records(path: str | Path) -> list:
    """Read a JSON list or JSON-lines file; `DataError` names the file and line on bad JSON."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror}") from None
    if size > MAX_DATA_BYTES:
        raise DataError(
            f"{path}: {size / 2**20:.0f} MB is more than toolken reads at once "
            f"({MAX_DATA_BYTES / 2**20:.0f} MB): split the file"
        )
    if size > LARGE_DATA_BYTES:
        warnings.warn(
            f"{path}: {size / 2**20:.0f} MB of data takes about 40 times that in memory while it is tokenized",
            stacklevel=2,
        )
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: cannot read: {e}") from None
    if not raw.strip():
        raise DataError(f"{path}: the file is empty")
    if raw.lstrip().startswith("["):
        try:
            records = json.loads(raw)
        except json.JSONDecodeError as e:
            raise DataError(f"{path}: invalid JSON at line {e.lineno}: {e.msg}") from None
        except RecursionError:
            raise DataError(f"{path}: JSON nested too deeply") from None
    else:
        records = []
        for n, line in enumerate(raw.splitlines(), 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise DataError(f"{path}: line {n} is not valid JSON: {e.msg}") from None
                except RecursionError:
                    raise DataError(f"{path}: line {n}: JSON nested too deeply") from None
    if not records:
        raise DataError(f"{path}: no records")
    if not isinstance(records, list):
        raise DataError(f"{path}: expected a JSON list of records or JSON lines")
    return records


def demos_from_records(
    records: Iterable, toolset: Toolset, source: str = "data", skip_bad: bool = False
) -> tuple[list[Demo], list[str]]:
    """Turn records into validated `Demo`s for `toolset`. Returns the demos and a message per skipped
    record; without `skip_bad` the first bad record raises `DataError` naming `source` and the record."""
    names, tools = set(toolset.tool_names), {t.name: t for t in toolset.tools}
    demos, skipped = [], []
    for i, r in enumerate(records):
        try:
            demo = read_record(r, toolset)
            demo.validate(names)
            _check_arguments(demo, tools)
        except (ValueError, KeyError, TypeError, IndexError, ToolError) as e:
            msg = f"{source}: record {i}: {e if not isinstance(e, KeyError) else f'missing field {e}'}"
            if not skip_bad:
                raise DataError(msg + " (use --skip-bad to skip bad records)") from None
            skipped.append(msg)
            continue
        demos.append(demo)
    if not any(d.calls for d in demos):
        raise DataError(f"{source}: no record calls a tool")
    return demos, skipped


def _check_arguments(demo: Demo, tools: dict[str, Tool]) -> None:
    """Every call's written arguments must fit its tool's schema (what tool mode is shown)."""
    for c in demo.calls:
        if c.arguments:
            try:
                parse_arguments(c.arguments, tools[c.tool])
            except ToolError as e:
                raise ValueError(f"call {c.tool}({c.arguments[:60]}): {e}") from None


def load_demos(path: str | Path, toolset: Toolset, skip_bad: bool = False) -> tuple[list[Demo], list[str]]:
    """Read a demonstration file in any supported format; see `demos_from_records`."""
    return demos_from_records(read_records(path), toolset, str(path), skip_bad)


def add_demonstrations(tools: Iterable, demos: list[Demo], per_tool: int = 3, context_chars: int = 300) -> None:
    """Give each tool up to `per_tool` tool-mode examples (context before the call + argument text)
    taken from the training demos, unless it already has some. The examples differ in the order the
    question writes the arguments in where the demos allow, so that tool mode is not taught that the
    first number written is always the first argument. A tool given examples also learns whether its
    answers end with its result (`Tool.closes`, `closes_answers`)."""
    wanted = {t.name: t for t in tools if not t.demonstrations}
    for name, closes in closes_answers(demos).items():
        if name in wanted:
            wanted[name].closes = closes
    found: dict[str, list[dict]] = {name: [] for name in wanted}
    for demo in demos:
        streak: list[Call] = []  # the calls just before, with no word written since (one turn)
        for c in demo.calls:
            if streak and not in_one_turn(demo.text[streak[-1].end : c.start]):
                streak = []
            if c.tool in wanted and c.arguments:
                context = demo.text[max(0, c.start - context_chars) : c.start]
                context += "".join(call_line(p.tool, p.arguments) for p in streak)
                found[c.tool].append({"context": context, "arguments": c.arguments, "after": len(streak)})
            streak.append(c)
    for name, candidates in found.items():
        # one example of a call after another in the same turn, where there is one, shows tool mode
        # that the next call writes the next thing asked, not the same again
        later = next((c for c in candidates if c["after"]), None)
        candidates = ([later] if later else []) + [c for c in candidates if c is not later]
        chosen = _varied([{k: v for k, v in c.items() if k != "after"} for c in candidates], per_tool)
        wanted[name].demonstrations.extend(chosen)


CLOSING_SHARE = 0.9  # of a tool's calls that end a turn: this many end the answer, or it does not close


def closes_answers(demos: list[Demo]) -> dict[str, bool]:
    """Per tool, whether its demonstrations end the answer with its result: at least `CLOSING_SHARE` of
    its calls that end a turn (no call of the same turn follows) are followed by nothing but space."""
    ends: dict[str, list[bool]] = {}
    for demo in demos:
        for c, after in zip(demo.calls, demo.calls[1:] + [None]):
            if after is not None and in_one_turn(demo.text[c.end : after.start]):
                continue  # the turn goes on with another call
            ends.setdefault(c.tool, []).append(not demo.text[c.end :].strip())
    return {name: sum(e) >= CLOSING_SHARE * len(e) for name, e in ends.items()}


def _order(example: dict) -> tuple[int, ...]:
    """The order in which the context writes the call's argument values (those it writes at all)."""
    values = re.findall(r"[\w.]+", example["arguments"])
    at = [example["context"].rfind(v) for v in values if example["context"].rfind(v) >= 0]
    return tuple(sorted(range(len(at)), key=at.__getitem__))


def _varied(candidates: list[dict], n: int) -> list[dict]:
    """The first `n` candidates, except that a candidate with an argument order not yet shown is
    taken before one with an order already shown."""
    chosen: list[dict] = []
    for pick_new_order in (True, False):
        for c in candidates:
            if len(chosen) < n and c not in chosen and (not pick_new_order or _order(c) not in map(_order, chosen)):
                chosen.append(c)
    return chosen

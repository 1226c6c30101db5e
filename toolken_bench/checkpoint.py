"""Answers saved as they come: a benchmark run's answers are appended to a partial file chunk by
chunk, so a run killed part-way (a crash, Ctrl-C, the machine's time limit) resumes from its last
saved chunk instead of answering every question again."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from toolken.execution import ToolCall
from toolken.generation import Generation

CHUNK = 64  # questions answered between saves (8 batches of 8)


def partial_file(result: Path) -> Path:
    """Where the answers of the run that will write `result` are saved while it runs."""
    return result.with_suffix(".partial.jsonl")


def _saved(path: Path, key: str) -> list[Generation]:
    """The answers saved at `path` by a run with this `key` (none if another run's, or unreadable;
    a last line cut short by a kill is dropped)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        if not lines or json.loads(lines[0]).get("key") != key:
            return []
    except (OSError, ValueError, AttributeError):
        return []
    found = []
    for line in lines[1:]:
        try:
            d = json.loads(line)
            calls = [ToolCall(c["tool"], c["arguments"], c["result"], c["error"]) for c in d["calls"]]
            found.append(Generation(d["question"], d["text"], d["answer"], calls))
        except (ValueError, KeyError, TypeError):
            break
    return found


def _append(path: Path, lines: list[dict], fresh: bool) -> None:
    """Write `lines` as JSON lines at the end of `path` (or as its new content), on disk before return."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w" if fresh else "a", encoding="utf-8") as f:
        f.write("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
        f.flush()
        os.fsync(f.fileno())


def _line(g: Generation) -> dict:
    return {"question": g.question, **g.to_dict()}


def answer_in_chunks(
    answer: Callable[[slice], list[Generation]], n: int, path: Path | None, key: str
) -> list[Generation]:
    """The answers to `n` questions, `answer(s)` giving those of the questions in slice `s`. With a
    `path`, answers saved there by a run with the same `key` are taken as they are and the rest are
    answered `CHUNK` at a time, each chunk appended as soon as it is answered."""
    if path is None:
        return answer(slice(0, n))
    gens = _saved(path, key)[:n]
    _append(path, [{"key": key}, *(_line(g) for g in gens)], fresh=True)  # without a line cut short
    for start in range(len(gens), n, CHUNK):
        chunk = answer(slice(start, min(n, start + CHUNK)))
        _append(path, [_line(g) for g in chunk], fresh=False)
        gens += chunk
    return gens

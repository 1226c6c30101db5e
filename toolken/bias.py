"""Choosing the toolken logit bias on validation: greedy decisions at the cached positions (toolken
against best word), their recall, precision and quiet answers at each bias, and the bias chosen from
them (`auto`: the middle of the best balanced accuracy; `eager`: the highest near it that keeps the
no-tool answers quiet). With copied arguments a tool whose required values a question lacks cannot
fire (`gate.copyable`); `copy_gates` lets validation decide the same way."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from .cache import PositionCache
from .demonstrations import Demo
from .gate import copyable
from .lower_case import cased_names
from .mapped import MappedCache, chunks
from .number_words import with_digits
from .numerals import numbers_in
from .tools import Tool
from .unasked import unasked

EAGER_TOLERANCE = 0.01  # balanced accuracy an eager bias may give up on synthesized validation
EAGER_QUIET_TOLERANCE = 0.05  # ... and share of no-tool answers it may give up to a call
MAX_GATES = 5_000_000  # demonstrations x tools checked for copyable values; beyond, no gates


def copy_gates(tools: Sequence[Tool], demos: Sequence[Demo], template: str) -> torch.Tensor | None:
    """Per demonstration (written in `template`, the `{question}` prompt), which of `tools` copy mode
    lets fire on its question: those whose required numbers and names the question writes
    (`gate.copyable`) and that it asks for (`toolken.unasked`). None for more pairs than MAX_GATES."""
    if len(tools) * len(demos) > MAX_GATES:
        return None
    opening, _, closing = (part.replace("{{", "{").replace("}}", "}") for part in template.partition("{question}"))
    rows = []
    for d in demos:
        end = d.text.find(closing, len(opening)) if d.text.startswith(opening) and closing else -1
        question = d.text[len(opening) : end] if end >= 0 else d.text[: d.calls[0].start if d.calls else None]
        question = with_digits(cased_names(question))  # as `ToolkenModel.copy_text` reads it
        numbers = numbers_in(question)
        rows.append([copyable(t.parameters, numbers, question) and not unasked(t, question, tools) for t in tools])
    return torch.tensor(rows, dtype=torch.bool, device="cpu").reshape(len(demos), len(tools))  # not a default device


@torch.no_grad()
def decisions(
    head_weight: torch.Tensor,
    cache: PositionCache | MappedCache,
    vocab_size: int,
    gates: torch.Tensor | None = None,
    same: torch.Tensor | None = None,
) -> dict[str, torch.Tensor]:
    """What greedy decoding needs at each position the model writes itself (all, if none is marked):
    the best toolken logit before the bias, whether that toolken is the due one, the best word logit,
    whether a call is due, the demonstration. With `gates` (per demonstration, the toolkens that may
    fire on its question: `copy_gates`), the best among those; with `same` ([T, T], `twins.stand_ins`),
    a toolken nothing tells apart from the due one counts as it (a request offers one of them, and
    the other lends it its logit).
    Computed once, read a chunk at a time; the bias is added by `firing`."""
    found: dict[str, list] = {k: [] for k in ("best", "right", "word_max", "is_tool", "demo", "generated")}
    for c in chunks(cache, head_weight.device):
        scores = c.h @ head_weight.T
        if gates is not None:  # a toolken copy mode would not let fire never wins
            scores = scores.masked_fill(~gates.to(scores.device)[c.demo], float("-inf"))
        best, which = scores.max(-1)
        is_tool = c.target >= vocab_size
        due = (c.target - vocab_size).clamp(min=0)
        right = is_tool & (same.to(which.device)[due, which] if same is not None else which == due)
        for k, v in zip(found, (best, right, c.word_max, is_tool, c.demo, c.generated)):
            found[k].append(v.cpu())
    out = {k: torch.cat(v) for k, v in found.items()}
    keep = out.pop("generated")
    return {k: v[keep] for k, v in out.items()} if keep.any() else out


def firing(d: dict[str, torch.Tensor], bias: float) -> dict[str, float]:
    """Recall (right toolken wins where a call is due), precision (share of firings that are right),
    F1, and balanced accuracy (mean of recall and of "no toolken where none is due", over the kinds
    of position present) of the greedy `decisions` `d` with logit `bias`."""
    fires = d["best"] + bias > d["word_max"]
    is_tool = d["is_tool"]
    right = fires & d["right"]
    recall = right.sum().item() / max(1, is_tool.sum().item())
    precision = right.sum().item() / max(1, fires.sum().item())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    quiet = (~fires & ~is_tool).sum().item() / max(1, (~is_tool).sum().item())
    kinds = [r for r, present in ((recall, is_tool.any()), (quiet, (~is_tool).any())) if present]
    # demonstrations with no call due: answered without one only if no position of theirs fires
    demos, index = d["demo"].unique(return_inverse=True)
    zeros = torch.zeros(len(demos), dtype=torch.long, device=index.device)
    calls, due = zeros.index_add(0, index, (fires | is_tool).long()), zeros.index_add(0, index, is_tool.long())
    no_call = (due == 0).sum().item()
    return {"recall": recall, "precision": precision, "f1": f1, "balanced_accuracy": sum(kinds) / max(1, len(kinds)),
            "quiet_answers": ((calls == 0).sum().item() / no_call) if no_call else 1.0}  # fmt: skip


def firing_stats(
    head_weight: torch.Tensor,
    cache: PositionCache,
    vocab_size: int,
    bias: float,
    gates: torch.Tensor | None = None,
    same: torch.Tensor | None = None,
) -> dict[str, float]:
    """`firing` of greedy decisions with logit `bias` at the positions of `cache` the model writes itself."""
    return firing(decisions(head_weight, cache, vocab_size, gates, same), bias)


def choose_bias(
    head_weight: torch.Tensor,
    cache: PositionCache,
    vocab_size: int,
    eager: bool = False,
    gates: torch.Tensor | None = None,
    same: torch.Tensor | None = None,
) -> tuple[float, dict[str, float]]:
    """The logit bias in [-5, 10] (step 0.5) whose greedy decisions have the best balanced accuracy on
    `cache`; of tied biases, the middle one, so the decisions keep a margin both ways on new text. A
    wrong toolken and a missed call cost the same, as in the tasks. `eager`: the highest bias within
    EAGER_TOLERANCE of the best, for synthesized validation, on which the toolkens win by wider
    margins than on people's questions (BENCHMARKS.md: the middle of the best misses many calls),
    that answers all but EAGER_QUIET_TOLERANCE of the no-tool demonstrations without a call (a
    question is lost by one firing, however long its answer). `gates`, `same`: as in `decisions`."""
    d = decisions(head_weight, cache, vocab_size, gates, same)
    scored = [(firing(d, b / 2), b / 2) for b in range(-10, 21)]
    best = max(stats["balanced_accuracy"] for stats, _ in scored)
    if eager:  # ... and no more than EAGER_QUIET_TOLERANCE of the no-tool answers given up to a call
        quiet = max(stats["quiet_answers"] for stats, _ in scored) - EAGER_QUIET_TOLERANCE
        fits = [(b, st) for st, b in scored if st["balanced_accuracy"] >= best - EAGER_TOLERANCE]
        return max([(b, st) for b, st in fits if st["quiet_answers"] >= quiet] or fits[:1])
    tied = [sb for sb in scored if sb[0]["balanced_accuracy"] == best]
    stats, bias = tied[len(tied) // 2]
    return bias, stats

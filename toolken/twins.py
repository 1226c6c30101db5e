"""Toolkens that stand in for each other where only some may fire. A head trained on many tools learns
to tell near-twins apart ("math.gcd" and "number_theory.gcd", trained on questions alike), so each
wins only part of the questions they share; where a request offers one twin and not the other
(`allowed_tools`), the offered one can lose its own question to a toolken that may not fire. Here a
toolken that may not fire lends its logit to the allowed toolken most like it by the words of their
names and descriptions, where they share at least `GenerationConfig.twin_overlap` of them."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from .tools import Tool
from .values import NAME_WORD

MAX_TWIN_TOOLS = 4096  # heads beyond this many tools lend nothing (the pairwise overlap is quadratic)
_STOP = frozenset("the and for with from into that this which given based using are its their".split())


def tool_words(tool: Tool) -> frozenset[str]:
    """The words of a tool's name and description (split as names are, `values.NAME_WORD`): lower
    case, no plural s, three letters or more."""
    words = (w.lower() for w in NAME_WORD.findall(f"{tool.name} {tool.description}"))
    return frozenset(w.removesuffix("s") for w in words if len(w) > 2 and w not in _STOP)


@dataclass(frozen=True)
class Twins:
    """Pairs of toolkens that share at least the threshold's part of their words: `lender[p]` may
    lend its logit to `borrower[p]`, whose overlap with it is `share[p]`."""

    lender: torch.Tensor
    borrower: torch.Tensor
    share: torch.Tensor


_FOUND: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def twins_of(tools: Sequence[Tool], threshold: float, owner: object) -> Twins | None:
    """The twin pairs of `tools` (None if there are none or too many tools), cached per `owner` (the
    model) until its tools change."""
    key = (threshold, tuple((t.name, t.description) for t in tools))
    found = _FOUND.get(owner)
    if found is None or found[0] != key:
        found = (key, _pairs(tools, threshold))
        _FOUND[owner] = found
    return found[1]


def _pairs(tools: Sequence[Tool], threshold: float) -> Twins | None:
    if not 1 < len(tools) <= MAX_TWIN_TOOLS:
        return None
    words = [tool_words(t) for t in tools]
    vocab = {w: i for i, w in enumerate(sorted(set().union(*words)))}
    has = torch.zeros(len(tools), max(1, len(vocab)), device="cpu")  # bookkeeping, not a default device
    for i, ws in enumerate(words):
        has[i, [vocab[w] for w in ws]] = 1.0
    shared = has @ has.T
    sizes = has.sum(-1)
    share = shared / (sizes[:, None] + sizes[None, :] - shared).clamp(min=1)  # Jaccard
    share.fill_diagonal_(0.0)
    lender, borrower = (share >= threshold).nonzero(as_tuple=True)
    if len(lender) == 0:
        return None
    return Twins(lender, borrower, share[lender, borrower])


def stand_ins(tools: Sequence[Tool], threshold: float = 1.0) -> torch.Tensor:
    """[T, T]: whether toolken j stands in for toolken i: itself, or a twin sharing at least `threshold`
    of its words (`_pairs`; by default all: nothing in their names and descriptions tells them apart,
    so a request offers one of them, and the others lend it their logits)."""
    same = torch.eye(len(tools), dtype=torch.bool, device="cpu")
    twins = _pairs(tools, threshold)
    if twins is not None:
        same[twins.lender, twins.borrower] = True
    return same


def lend(logits: torch.Tensor, lenders: torch.Tensor, allowed: torch.Tensor, twins: Twins) -> torch.Tensor:
    """Tool `logits` [rows, T] where each toolken a row's request does not offer (`lenders` [rows, T])
    lends its logit to the toolken most like it among those the row may fire (`allowed` [rows, T]):
    an allowed toolken scores the best of its own logit and those lent to it."""
    lender, borrower, share = (x.to(logits.device) for x in (twins.lender, twins.borrower, twins.share))
    valid = lenders[:, lender] & allowed[:, borrower]  # [rows, pairs]
    score = torch.where(valid, share, torch.full_like(share, -1.0))
    best = torch.full_like(logits, -1.0).scatter_reduce(1, lender.expand_as(score), score, reduce="amax")
    lends = valid & (score >= best[:, lender])  # to the most alike (all of those tied)
    lent = torch.where(lends, logits[:, lender], torch.full_like(score, float("-inf")))
    return logits.scatter_reduce(1, borrower.expand_as(lent), lent, reduce="amax", include_self=True)

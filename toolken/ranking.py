"""Ranking tools for a request with the toolken head: the hidden state at the end of the prompt around
the request, scored against every toolken (W_tau h); whether a tool is needed at all (the best
toolken beats the best word); and toolkens for new tools with no training data, from their prior
through a map fitted on the trained ones."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

import torch

from .cache import IGNORE, PositionCache, cache_encoded
from .config import DEFAULT_PROMPT as SELECTION_PROMPT
from .head import ToolkenModel
from .tools import Tool

MAP_STRENGTHS = (0.001, 0.01, 0.1)  # ridge penalties, relative to the priors' mean squared norm
MAP_SCALES = (0.5, 1.0, 1.5, 2.0)  # ridge shrinks toward the mean row: a scale can undo it
MAX_TOKENS = 1024  # the cached pass keeps this many tokens of a sequence
DESCRIPTION_CHARS = 200  # enough to say what a tool does; long API docs only cost time


def query_states(
    model: ToolkenModel, texts: Sequence[str], prompt: str = SELECTION_PROMPT, progress: bool = True
) -> PositionCache:
    """One cached position per text, in order: the last token of the prompt around it, where a toolken
    would be written. Its target is a placeholder; `labelled` sets the real ones."""
    encoded = []
    for text in texts:
        ids = model.tokenizer(prompt.format(question=text)).input_ids
        if len(ids) > MAX_TOKENS:  # cut the request so the prompt's end, where toolkens go, is kept
            keep = model.tokenizer(text, add_special_tokens=False).input_ids[: MAX_TOKENS // 2]
            ids = model.tokenizer(prompt.format(question=model.tokenizer.decode(keep))).input_ids
        encoded.append((ids, [IGNORE] * (len(ids) - 1) + [model.vocab_size]))
    cache = cache_encoded(model, encoded, [0] * len(encoded), MAX_TOKENS, progress=progress)
    return cache.select(cache.demo.argsort())


def rank_tools(model: ToolkenModel, requests: Sequence[str], k: int = 5) -> list[list[tuple[str, float]]]:
    """The `k` best tools for each request with their scores W_tau h, best first."""
    weight = model.head.weight.detach()
    scores = (query_states(model, requests, model.config.prompt, progress=False).h.to(weight.device) @ weight.T).cpu()
    top = scores.topk(min(k, scores.shape[1]), dim=1)
    return [
        [(model.tool_names[i], s) for i, s in zip(idx, val)]
        for idx, val in zip(top.indices.tolist(), top.values.tolist())
    ]


def ranking_metrics(scores: torch.Tensor, gold: Sequence[Sequence[int]], ks: Sequence[int] = (1, 3, 5)) -> dict:
    """Mean Recall@k (share of a query's gold tools in its top k) and NDCG@k (binary relevance) over the
    queries with at least one gold tool; ties are broken by tool order."""
    keep = [i for i, g in enumerate(gold) if g]
    out: dict[str, float] = {"n": len(keep)}
    if not keep:
        return out
    top = scores[keep].topk(min(max(ks), scores.shape[1]), dim=1).indices.tolist()
    for k in ks:
        recall, ndcg = 0.0, 0.0
        for i, ranked in zip(keep, top):
            relevant = set(gold[i])
            hits = [r in relevant for r in ranked[:k]]
            recall += sum(hits) / len(relevant)
            ideal = sum(1 / math.log2(j + 2) for j in range(min(k, len(relevant))))
            ndcg += sum(1 / math.log2(j + 2) for j, hit in enumerate(hits) if hit) / ideal
        out[f"recall@{k}"], out[f"ndcg@{k}"] = recall / len(keep), ndcg / len(keep)
    return out


def fit_prior_map(prior: torch.Tensor, weight: torch.Tensor, strength: float) -> Callable[[torch.Tensor], torch.Tensor]:
    """Ridge regression from prior rows to trained toolken rows: W ~ (P - mean P) A + mean W, with the
    penalty `strength` x the centred priors' mean squared norm."""
    p_mean, w_mean = prior.mean(0), weight.mean(0)
    pc = prior - p_mean
    lam = strength * pc.pow(2).sum(-1).mean().clamp(min=1e-8)
    a = torch.linalg.solve(pc.T @ pc + lam * torch.eye(pc.shape[1]), pc.T @ (weight - w_mean))
    return lambda p: (p - p_mean) @ a + w_mean


def choose_prior_map(
    weight: torch.Tensor,
    priors: dict[str, torch.Tensor],
    val_h: torch.Tensor,
    val_gold: list[list[int]],
    folds: int = 5,
    seed: int = 0,
) -> tuple[str, str, Callable[[torch.Tensor], torch.Tensor], dict[str, float]]:
    """Pick how a new tool's prior becomes its toolken, on trained tools only: k-fold over the trained
    tools, each fold's rows are replaced by their (mapped, scaled) priors and all validation queries
    are ranked (Recall@5), so a map that serves new tools by stealing from the others loses.
    Candidates: each prior source in `priors` (one row per trained tool), raw or through a ridge map,
    times a scale. Returns (candidate, its source, its map, every candidate's score)."""
    order = list(range(len(weight)))
    random.Random(seed).shuffle(order)
    parts = [sorted(order[f::folds]) for f in range(folds)]
    candidates = {
        f"{source}/{label}/x{scale:g}": (source, strength, scale)
        for source in priors
        for label, strength in [("raw", None), *((f"ridge-{s:g}", s) for s in MAP_STRENGTHS)]
        for scale in MAP_SCALES
    }
    maps: dict[tuple, list[torch.Tensor]] = {}  # (source, strength) -> mapped rows of each fold
    for source, strength, _ in candidates.values():
        prior = priors[source]
        maps.setdefault(
            (source, strength),
            [
                prior[part] if strength is None else fit_prior_map(prior[rest], weight[rest], strength)(prior[part])
                for part, rest in ((p, sorted(set(order) - set(p))) for p in parts)
            ],
        )
    scores: dict[str, float] = {}
    for name, (source, strength, scale) in candidates.items():
        recalls = []
        for part, mapped in zip(parts, maps[(source, strength)]):
            trial = weight.clone()
            trial[part] = scale * mapped
            recalls.append(ranking_metrics(val_h @ trial.T, val_gold, ks=(5,)).get("recall@5", 0.0))
        scores[name] = sum(recalls) / len(recalls)
    best = max(scores, key=lambda n: scores[n])
    source, strength, scale = candidates[best]
    base = (lambda p: p) if strength is None else fit_prior_map(priors[source], weight, strength)
    return best, source, lambda p: scale * base(p), scores


def description_states(model: ToolkenModel, tools: Sequence[Tool], progress: bool = True) -> torch.Tensor:
    """A prior for zero-shot selection: the hidden state where a toolken would be written, with the
    tool's description in place of a request (so it lives in the same space as the queries)."""
    texts = [(t.description or t.readable_name)[:DESCRIPTION_CHARS] for t in tools]
    return query_states(model, texts, progress=progress).h


def fires(states: PositionCache, weight: torch.Tensor, bias: float, offered: Sequence[Sequence[int]] | None = None):
    """Whether the best toolken (among each row's `offered` tools, if given) beats the best word."""
    logits = states.h @ weight.T + bias
    if offered is not None:
        mask = torch.full_like(logits, float("-inf"))
        for r, cols in enumerate(offered):
            mask[r, list(cols)] = 0.0
        logits = logits + mask
    return logits.max(-1).values > states.word_max


def decision_metrics(fired: torch.Tensor, needed: torch.Tensor) -> dict[str, float]:
    """Precision, recall, F1 and accuracy of "uses a tool" against "needs a tool"."""
    tp = (fired & needed).sum().item()
    precision = tp / max(1, fired.sum().item())
    recall = tp / max(1, needed.sum().item())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = (fired == needed).float().mean().item() if len(needed) else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy}

"""Tool selection with the toolken head: rank tools for a request by W_tau h at the end of the prompt,
beside BM25 and dense retrieval; add new tools with no training data from their prior (optionally
through a ridge map from prior space to trained toolkens, kept only if it helps on validation); and
decide *whether* to use a tool by whether a toolken beats every word (MetaTool awareness)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from toolken.backbone import load_backbone
from toolken.cache import PositionCache
from toolken.config import DEFAULT_PROMPT as SELECTION_PROMPT
from toolken.head import ToolkenModel
from toolken.ranking import (
    choose_prior_map,
    decision_metrics,
    description_states,
    fires,
    query_states,
    ranking_metrics,
)
from toolken.training import TrainingArguments, fit

from .catalogs import Catalog, Query, distractor_tools, load_awareness, load_catalog, load_metatool, load_reliability
from .retrieval import DenseRetriever, bm25_scores
from .tasks import seeded_sample

MAP_STRENGTHS = (0.001, 0.01, 0.1)  # ridge penalties, relative to the priors' mean squared norm
MAP_SCALES = (0.5, 1.0, 1.5, 2.0)  # ridge shrinks toward the mean row: a scale can undo it
MAX_TOKENS = 1024  # the cached pass keeps this many tokens of a sequence
DESCRIPTION_CHARS = 200  # enough to say what a tool does; long API docs only cost time
NO_TOOL_REPEATS = (0, 5, 20, 50)  # how often no-tool training queries repeat: chosen on validation accuracy
N_OFFERED = 10  # tools offered per reliability query, as in MetaTool
LEARNING_RATES = (1e-2, 3e-3)  # chosen per run on validation Recall@5 (NumpyBank overfits at 1e-2)
EPOCHS = 20
RANKERS = ("toolken", "prior", "bm25", "dense")
BIAS_GRID = [b / 2 for b in range(-20, 21)]


# ---------------------------------------------------------------- hidden states of queries


def labelled(states: PositionCache, queries: Sequence[Query], index: dict[str, int], vocab: int) -> PositionCache:
    """Training rows from query states: one per (query, gold tool), so a query needing several tools
    teaches each; a query needing none has the model's own best word as its target."""
    rows, targets = [], []
    for i, q in enumerate(queries):
        for name in q.tools or [None]:
            rows.append(i)
            targets.append(vocab + index[name] if name else -1)
    out = states.select(torch.tensor(rows, dtype=torch.long))
    target = torch.tensor(targets)
    out.word_logit = torch.where(target < 0, out.word_max, out.word_logit)
    out.target = target.clamp(min=0)  # word 0 stands for "the best word": only its cached logit is used
    return out


def gold_indices(queries: Sequence[Query], names: Sequence[str], keep: set[str] | None = None) -> list[list[int]]:
    """Per query, the indices of its gold tools in `names` (only those in `keep`, if given)."""
    index = {n: i for i, n in enumerate(names)}
    return [[index[t] for t in q.tools if keep is None or t in keep] for q in queries]


# ---------------------------------------------------------------- selection benchmark


@dataclass
class SelectionArguments:
    """Settings shared by `run_toolsel` and `run_awareness`."""

    model: str | None = None  # backbone folder (default: SmolLM2-135M-Instruct)
    init: str = "description"
    reg: float = 0.0
    limit: int | None = None  # a seeded sample of at most this many test queries
    train_limit: int | None = None  # ... and of training / validation queries
    seed: int = 0
    dtype: str | None = None  # backbone weights (load_backbone)


def _new_head(tools: Sequence, args: SelectionArguments, backbone) -> ToolkenModel:
    """An untrained head for `tools` on the given (or `args.model`'s) backbone."""
    # on the CPU: the query states are scored against the head in RAM, tool set by tool set
    backbone = backbone or load_backbone(args.model, args.dtype, device="cpu")
    return ToolkenModel.create(
        list(tools), args.model, args.init, seed=args.seed, backbone=backbone, prompt_format="plain"
    )


def _subset_states(
    model: ToolkenModel, pool: Sequence[Query], subset: Sequence[Query], progress: bool
) -> PositionCache:
    """States of `subset` (queries of `pool`) from one cached pass over the whole pool, so runs that keep
    other subsets of it (another holdout, the awareness task) reuse the pass."""
    states = query_states(model, [q.text for q in pool], progress=progress)
    at = {q.text: i for i, q in enumerate(pool)}
    return states.select(torch.tensor([at[q.text] for q in subset], dtype=torch.long))


def _train_head(
    head: ToolkenModel,
    train: Sequence[tuple[Sequence[Query], Sequence[Query]]],
    val: Sequence[tuple[Sequence[Query], Sequence[Query]]],
    args: SelectionArguments,
    progress: bool,
) -> dict:
    """Train `head` on query -> tool rows; `train` and `val` are (pool, subset) pairs of query lists
    (see `_subset_states`). For each learning rate the epoch with the lowest validation loss wins;
    the learning rate whose head has the best validation Recall@5 is kept."""
    head.config.prompt = SELECTION_PROMPT
    index = {n: i for i, n in enumerate(head.tool_names)}

    def rows(parts: Sequence[tuple[Sequence[Query], Sequence[Query]]]) -> PositionCache:
        caches = [labelled(_subset_states(head, p, q, progress), q, index, head.vocab_size) for p, q in parts]
        return PositionCache(*(torch.cat([getattr(c, k) for c in caches]) for k in PositionCache.__dataclass_fields__))

    train_rows, val_rows = rows(train), rows(val)
    gold = [[t - head.vocab_size] if t >= head.vocab_size else [] for t in val_rows.target.tolist()]
    init, best, best_weight = head.head.weight.data.clone(), None, None
    for lr in LEARNING_RATES:
        head.head.weight.data.copy_(init)
        settings = TrainingArguments(epochs=EPOCHS, lr=lr, reg=args.reg, seed=args.seed)
        history = fit(head, train_rows, val_rows, settings, progress=progress)
        history["val_recall@5"] = ranking_metrics(val_rows.h @ head.head.weight.data.T, gold, ks=(5,)).get("recall@5")
        if best is None or (history["val_recall@5"] or 0) > (best["val_recall@5"] or 0):
            best, best_weight = {**history, "lr": lr}, head.head.weight.data.clone()
    head.head.weight.data.copy_(best_weight)
    head.config.bias = best["bias"]
    return best


def _record(start: float, history: dict, args: SelectionArguments, **more) -> dict:
    """What a result records besides its metrics: settings, training summary and wall time."""
    settings = {**asdict(args), "model": str(args.model or "default"), "prompt": SELECTION_PROMPT, **more}
    training = {k: v for k, v in history.items() if k != "epochs"}
    return {"settings": settings, "training": training, "seconds": round(time.time() - start, 1)}


def run_toolsel(
    data: str,
    args: SelectionArguments | None = None,
    holdout: float = 0.0,
    distractors: int = 0,
    backbone=None,
    progress: bool = True,
) -> dict:
    """Train toolkens for the `data` catalog's tools (minus a seeded `holdout` fraction, added later from
    their prior alone) and rank all tools for each test query with the head, its untrained priors,
    BM25 and dense retrieval. With `distractors`, Recall@5 is also measured as that many ToolBank tools
    join the catalog."""
    start, a = time.time(), args or SelectionArguments()
    seed = a.seed
    if not 0 <= holdout < 1:
        raise ValueError("--holdout is a fraction in [0, 1)")
    cat: Catalog = load_catalog(data, seed)
    names = [t.name for t in cat.tools]
    held = set(random.Random(seed).sample(names, round(holdout * len(names))))
    pools = seeded_sample(cat.train, a.train_limit, seed), seeded_sample(cat.val, a.train_limit, seed)
    train_q, val_q = ([q for q in pool if not set(q.tools) & held] for pool in pools)
    test_q = seeded_sample(cat.test, a.limit, seed)
    head = _new_head([t for t in cat.tools if t.name not in held], a, backbone)
    history = _train_head(head, [(pools[0], train_q)], [(pools[1], val_q)], a, progress)
    n_trained = len(head.tools)
    extra = distractor_tools(set(names), seed)[:distractors]
    val_states = _subset_states(head, pools[1], val_q, progress)
    head.add_tools([t for t in cat.tools if t.name in held] + extra)
    mapping_name, mapping_scores = _map_new_tools(head, n_trained, val_states.h, val_q, a, progress)
    all_names = head.tool_names
    n_base = len(cat.tools)
    texts = [q.text for q in test_q]
    test_h = query_states(head, texts, progress=progress).h
    scores = {
        "toolken": test_h @ head.head.weight.data.T,
        "prior": test_h @ head.head.prior.T,
        "dense": DenseRetriever().scores(texts, head.tools, progress=progress),
    }
    bm25: dict[int, torch.Tensor] = {}  # BM25's IDF depends on the catalog: one index per size, built once

    def ranked(method: str, n: int) -> torch.Tensor:
        if method != "bm25":
            return scores[method][:, :n]
        if n not in bm25:
            bm25[n] = bm25_scores(texts, head.tools[:n])
        return bm25[n]

    groups = {"trained": set(all_names[:n_trained]), "new": held} if held else {}
    methods, scaling = _rankings(ranked, test_q, all_names, n_base, len(extra), groups)
    return {
        "task": "toolsel",
        "data": data,
        "n_tools": n_base,
        "n_test": len(test_q),
        "n_train_queries": len(train_q),
        "holdout": {"fraction": holdout, "n_tools": len(held), "tools": sorted(held)},
        "prior_map": {"chosen": mapping_name, "validation_recall@5": mapping_scores},
        "methods": methods,
        "scaling": scaling,
        **_record(start, history, a, distractors=len(extra)),
    }


def _map_new_tools(
    head: ToolkenModel, n_trained: int, val_h: torch.Tensor, val_q: list[Query], a: SelectionArguments, progress: bool
) -> tuple[str, dict]:
    """Give the toolkens after the first `n_trained` (tools with no training data) the mapped prior
    that serves the trained tools' validation queries best (`choose_prior_map`). Returns the chosen
    map and every candidate's score."""
    if len(head.tools) == n_trained or a.init == "random":  # random toolkens know nothing of their tool
        return "none", {}
    priors = {"prior": head.head.prior, "state": description_states(head, head.tools, progress)}
    w = head.head.weight.data
    name, source, mapping, scores = choose_prior_map(
        w[:n_trained],
        {k: p[:n_trained] for k, p in priors.items()},
        val_h,
        gold_indices(val_q, head.tool_names),
        seed=a.seed,
    )
    w[n_trained:] = mapping(priors[source][n_trained:])
    return name, scores


def _rankings(
    ranked: Callable[[str, int], torch.Tensor],
    test_q: list[Query],
    names: list[str],
    n_base: int,
    n_extra: int,
    groups: dict[str, set[str]],
) -> tuple[dict, list[dict]]:
    """Ranking metrics of every method over the catalog (and each group of its tools), and Recall@5 as
    the `n_extra` distractors join."""
    gold = gold_indices(test_q, names)
    methods = {}
    for method in RANKERS:
        methods[method] = ranking_metrics(ranked(method, n_base), gold)
        for group, keep in groups.items():
            methods[method][group] = ranking_metrics(ranked(method, n_base), gold_indices(test_q, names, keep))
    scaling = []
    for extra_n in sorted({0, *(g for g in (100, 300, 1000) if g < n_extra), n_extra}):
        row: dict = {"n_tools": n_base + extra_n}
        for method in RANKERS:
            row[method] = ranking_metrics(ranked(method, n_base + extra_n), gold, ks=(5,)).get("recall@5")
        scaling.append(row)
    return methods, scaling


# ---------------------------------------------------------------- awareness


def choose_decision_bias(states: PositionCache, weight: torch.Tensor, needed: torch.Tensor) -> tuple[float, dict]:
    """The logit bias (from BIAS_GRID) with the best F1 of "uses a tool" (ties: closest to 0), and its
    decision metrics."""
    scored = [(decision_metrics(fires(states, weight, b), needed), b) for b in BIAS_GRID]
    metrics, bias = max(scored, key=lambda mb: (mb[0]["f1"], -abs(mb[1])))
    return bias, metrics


def run_awareness(args: SelectionArguments | None = None, backbone=None, progress: bool = True) -> dict:
    """MetaTool awareness: toolkens for the 199 ToolE tools, trained on ToolE queries plus the awareness
    training split (its no-tool queries keep the model's own word and are repeated, as they are few).
    The logit bias is the one with the best F1 on the awareness validation split, the number of repeats
    the one with the best validation accuracy; reported on its test split, with the rate of calling a
    tool on reliability queries whose right tool is not among the 10 offered."""
    start, a = time.time(), args or SelectionArguments()
    seed = a.seed
    cat = load_metatool(seed)
    aw_train, aw_val, aw_test = load_awareness(seed)
    pools = seeded_sample(cat.train, a.train_limit, seed), seeded_sample(cat.val, a.train_limit, seed)
    no_tool = [q for q in aw_train if not q.tools]
    val_states, val_needed = None, torch.tensor([bool(q.tools) for q in aw_val])
    candidates = []  # (validation accuracy, -repeat, head, history, bias, validation metrics)
    for repeat in NO_TOOL_REPEATS:
        head = _new_head(cat.tools, a, backbone)
        train = [(pools[0], pools[0]), (aw_train, aw_train), *[(aw_train, no_tool)] * repeat]
        history = _train_head(head, train, [(pools[1], pools[1]), (aw_val, aw_val)], a, progress)
        if val_states is None:
            val_states = query_states(head, [q.text for q in aw_val], progress=progress)
        bias, validation = choose_decision_bias(val_states, head.head.weight.data, val_needed)
        candidates.append((validation["accuracy"], -repeat, head, history, bias, validation))
    _, repeat, head, history, bias, validation = max(candidates, key=lambda c: c[:2])
    history = {**history, "no_tool_repeat": -repeat, "validation_accuracy": {-c[1]: c[0] for c in candidates}}
    weight = head.head.weight.data
    test_q = seeded_sample(aw_test, a.limit, seed)
    states = query_states(head, [q.text for q in test_q], progress=progress)
    needed = torch.tensor([bool(q.tools) for q in test_q])
    metrics = decision_metrics(fires(states, weight, bias), needed)
    positives = [i for i, q in enumerate(test_q) if q.tools]
    best = (states.h @ weight.T).argmax(-1)
    index = {n: i for i, n in enumerate(head.tool_names)}
    metrics["right_tool"] = sum(best[i].item() == index[test_q[i].tools[0]] for i in positives) / max(1, len(positives))
    reliability = seeded_sample(load_reliability(), a.limit, seed)
    rng = random.Random(seed)
    offered = [rng.sample([i for n, i in index.items() if n != q.tools[0]], N_OFFERED) for q in reliability]
    rel_states = query_states(head, [q.text for q in reliability], progress=progress)
    false_calls = fires(rel_states, weight, bias, offered).float().mean().item() if reliability else 0.0
    return {
        "task": "awareness",
        "n": len(test_q),
        "n_reliability": len(reliability),
        "bias": bias,
        **metrics,
        "false_call_rate": false_calls,
        "validation": validation,
        **_record(start, history, a),
    }


# ---------------------------------------------------------------- report


def toolsel_table(result: dict) -> str:
    """The selection result as a Markdown table (one row per method; holdout columns when present)."""
    groups = [g for g in ("trained", "new") if g in result["methods"]["toolken"]]
    cols = ["recall@1", "recall@3", "recall@5", "ndcg@5"] + [f"{g} recall@5" for g in groups]
    lines = ["| method | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for method, m in result["methods"].items():
        values = [m.get(c) for c in cols[:4]] + [m[g].get("recall@5") for g in groups]
        lines.append(f"| {method} | " + " | ".join("-" if v is None else f"{v:.3f}" for v in values) + " |")
    return "\n".join(lines)


def plot_scaling(result: dict, out: Path) -> None:
    """Recall@5 against the number of tools, one line per method."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    xs = [row["n_tools"] for row in result["scaling"]]
    for method in ("toolken", "dense", "bm25", "prior"):
        ax.plot(xs, [row[method] for row in result["scaling"]], marker="o", label=method)
    ax.set(xscale="log", xlabel="number of tools", ylabel="Recall@5", title=f"Tool selection: {result['data']}")
    ax.legend()
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)

"""Training W_tau fast: the LM is frozen, so it runs once (batched, no grad) to cache, at every
supervised position, the hidden state h, the log-normalizer over the word vocabulary and the target
word's logit. An epoch is then O(positions x |T| x d) and gives exactly the loss of the full softmax
over [vocab ; tools]."""

from __future__ import annotations

import copy
import hashlib
import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file
from tqdm.auto import tqdm

from . import atomic
from .backbone import DTYPES as CACHE_DTYPES
from .backbone import bf16_is_fast, cache_root
from .data import Demo
from .head import ToolkenModel
from .priors import output_embeddings

IGNORE = -100


@dataclass
class TrainingArguments:
    """Settings of `train`. `bias="auto"` picks the inference logit bias on the validation split."""

    epochs: int = 10
    lr: float = 1e-2
    batch_size: int = 256
    reg: float = 0.0
    val_fraction: float = 0.1
    seed: int = 0
    max_length: int = 1024
    cache_batch_tokens: int = 4096
    bias: float | str = "auto"
    # weight each tool's call positions so that every tool counts as much as any other: a tool with
    # few demonstrations is otherwise outvoted by the frequent ones (test sets ask about all alike)
    balance_tools: bool = False
    # precision of the one pass over the LM: "auto" is bfloat16 where the device computes it natively
    # (about 2x faster; the head, its loss and the best/target word logits stay float32), else float32
    cache_dtype: str = "auto"


def resolve_cache_dtype(name: str, device: torch.device | str = "cpu") -> str:
    """The cache dtype `name` stands for on `device`: "auto" becomes "bfloat16" or "float32"."""
    if name == "auto":
        return "bfloat16" if bf16_is_fast(device) else "float32"
    if name not in CACHE_DTYPES:
        raise ValueError(f"unknown cache dtype {name!r}; choose from auto, {', '.join(CACHE_DTYPES)}")
    return name


@dataclass
class PositionCache:
    """What the loss needs at each supervised position: h (P x d), the word log-normalizer, the
    target's word logit (0 for toolken targets), the best word logit, the target index into
    [vocab ; tools], the demo each position came from, and whether it lies after the prompt."""

    h: torch.Tensor
    logz: torch.Tensor
    word_logit: torch.Tensor
    word_max: torch.Tensor
    target: torch.Tensor
    demo: torch.Tensor
    generated: torch.Tensor  # True where the model itself writes at inference (after the prompt)

    def select(self, mask: torch.Tensor) -> PositionCache:
        """The positions where `mask` is true."""
        return PositionCache(*(getattr(self, k)[mask] for k in self.__dataclass_fields__))


# ---------------------------------------------------------------- encoding


def prompt_end(text: str, prompt: str | None) -> int | None:
    """Where the inference prompt ends in a demo's text (after the template's text that follows
    `{question}`, e.g. "\nA:"), or None if the template has no such marker or the text lacks it."""
    marker = prompt.split("{question}", 1)[1] if prompt and "{question}" in prompt else ""
    at = text.find(marker) if marker.strip() else -1
    return at + len(marker) if at >= 0 else None


def encode_demo(
    demo: Demo, tokenizer, tool_index: dict[str, int], vocab_size: int, end_of_prompt: int | None = None
) -> tuple[list[int], list[int]]:
    """Token ids of a demo and, per position, the target of its next token: a word id, `vocab_size + k`
    for toolken k just before a call, or IGNORE inside a call's result. Segments are tokenized
    separately, as generation tokenizes the prompt alone and appends tool results to the model's own
    tokens; `end_of_prompt` (a character offset) splits off the prompt."""
    ids: list[int] = []
    is_result: list[bool] = []
    tool_at: dict[int, int] = {}

    def append(text: str, result: bool) -> None:
        seg = tokenizer(text, add_special_tokens=not ids).input_ids if text else []
        ids.extend(seg)
        is_result.extend([result] * len(seg))

    pos = 0
    if end_of_prompt and all(c.start >= end_of_prompt for c in demo.calls):
        append(demo.text[:end_of_prompt], False)
        pos = end_of_prompt
    for call in demo.calls:
        append(demo.text[pos : call.start], False)
        if not ids:
            raise ValueError("a call at the very start of a text has no position to predict it from")
        tool_at[len(ids) - 1] = vocab_size + tool_index[call.tool]
        append(demo.text[call.start : call.end], True)
        pos = call.end
    append(demo.text[pos:], False)
    # position p predicts token p+1: a toolken before a call, a word before a word, nothing inside results
    targets = [tool_at.get(p, IGNORE if p + 1 == len(ids) or is_result[p + 1] else ids[p + 1]) for p in range(len(ids))]
    return ids, targets


# ---------------------------------------------------------------- caching

EXACT_TOP = 8  # bfloat16 normalizer: the largest word logits of each position are recomputed in float32


@torch.no_grad()
def vocab_stats(
    h: torch.Tensor, target: torch.Tensor, w_vocab: torch.Tensor, w_low: torch.Tensor | None = None, chunk: int = 512
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per position of `h` (P x d, float32): log Z over the word vocabulary, the logit of `target`
    (0 where the target is a toolken) and the best word logit. With `w_low` (W_vocab in bfloat16) the
    logits come from a bfloat16 product, about twice as fast, and the EXACT_TOP largest and the
    target's are recomputed in float32: log Z is then off by about 0.003 nats (0.04 at worst)."""
    vocab = w_vocab.shape[0]
    logz, word_logit, word_max = [], [], []
    for s in range(0, len(h), chunk):  # bounded memory: chunk x vocab logits at a time
        hc, tc = h[s : s + chunk], target[s : s + chunk]
        if w_low is None:
            logits = hc @ w_vocab.T
            logz.append(torch.logsumexp(logits, -1))
            word_max.append(logits.max(-1).values)
            exact = logits.gather(1, tc.clamp(max=vocab - 1)[:, None])[:, 0]
        else:
            logits = (hc.to(w_low.dtype) @ w_low.T).float()
            top_low, top = logits.topk(EXACT_TOP, -1)
            top_exact = torch.einsum("pd,pkd->pk", hc, w_vocab[top])
            best = top_exact.max(-1).values
            # sum of exp over the vocabulary relative to `best`, the top terms swapped for exact ones
            total = torch.logsumexp(logits, -1).sub_(best).exp_() - (top_low - best[:, None]).exp().sum(-1)
            total += (top_exact - best[:, None]).exp().sum(-1)
            logz.append(best + total.log())
            word_max.append(best)
            exact = (hc * w_vocab[tc.clamp(max=vocab - 1)]).sum(-1)
        word_logit.append(torch.where(tc < vocab, exact, 0.0))
    return torch.cat(logz), torch.cat(word_logit), torch.cat(word_max)


def _fingerprint(model: ToolkenModel, encoded: Sequence, max_length: int) -> str:
    w = output_embeddings(model.lm)
    h = hashlib.sha256()
    h.update(model.lm.config.to_json_string().encode())
    h.update(w[:: max(1, w.shape[0] // 64)].detach().float().numpy().tobytes())
    h.update(model.config.tokenizer_fingerprint.encode())
    h.update(json.dumps([encoded, max_length]).encode())
    return h.hexdigest()[:24]


@torch.no_grad()
def cache_positions(
    model: ToolkenModel,
    demos: Sequence[Demo],
    max_length: int = 1024,
    batch_tokens: int = 4096,
    persist: bool = True,
    progress: bool = True,
    prompt: str | None = None,
    dtype: str = "float32",
) -> PositionCache:
    """Run the frozen LM once over `demos` and keep what the loss needs at supervised positions.
    `prompt` is the inference template: positions after it are marked `generated`. With `persist`,
    the result is stored under the toolken cache, keyed by model + encoded text. `dtype` "bfloat16"
    runs the pass on a bfloat16 copy of the LM (the cached statistics stay float32)."""
    index = {n: i for i, n in enumerate(model.tool_names)}
    ends = [prompt_end(d.text, prompt) for d in demos]
    encoded = [encode_demo(d, model.tokenizer, index, model.vocab_size, e) for d, e in zip(demos, ends)]
    # the last prompt token predicts the first written one: positions from there on are generated
    first_written = [len(model.tokenizer(d.text[:e]).input_ids) - 1 if e else 0 for d, e in zip(demos, ends)]
    return cache_encoded(model, encoded, first_written, max_length, batch_tokens, persist, progress, dtype)


@torch.no_grad()
def cache_encoded(
    model: ToolkenModel,
    encoded: Sequence[tuple[list[int], list[int]]],
    first_written: Sequence[int],
    max_length: int = 1024,
    batch_tokens: int = 4096,
    persist: bool = True,
    progress: bool = True,
    dtype: str = "float32",
) -> PositionCache:
    """`cache_positions` for sequences already encoded as (token ids, targets) (see `encode_demo`);
    positions from `first_written[i]` on are marked `generated`."""
    dtype = resolve_cache_dtype(dtype, model.lm.device)  # one check of the name, "auto" included
    encoded = [(ids[:max_length], tg[:max_length]) for ids, tg in encoded]
    low = dtype != "float32"
    key = _fingerprint(model, [encoded, list(first_written)] + [dtype] * low, max_length)
    path = cache_root() / "positions" / f"{key}.safetensors"
    if persist and path.is_file():
        try:
            return PositionCache(**load_file(path))
        except (SafetensorError, OSError, TypeError):
            path.unlink(missing_ok=True)  # corrupt: rebuild
    w_vocab = output_embeddings(model.lm).float()
    w_low = w_vocab.to(CACHE_DTYPES[dtype]) if low else None
    lm = copy.deepcopy(model.lm).to(CACHE_DTYPES[dtype]) if low and model.lm.dtype != CACHE_DTYPES[dtype] else model.lm
    out: dict[str, list[torch.Tensor]] = {k: [] for k in PositionCache.__dataclass_fields__}
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))  # less padding
    batches, batch = [], []
    for i in order:
        if batch and (len(batch) + 1) * len(encoded[i][0]) > batch_tokens:
            batches.append(batch)
            batch = []
        batch.append(i)
    batches.append(batch)
    pad = model.tokenizer.pad_token_id or 0
    for batch in tqdm(batches, desc="caching hidden states", disable=not progress, unit="batch"):
        width = max(len(encoded[i][0]) for i in batch)
        ids = torch.full((len(batch), width), pad)
        for r, i in enumerate(batch):
            ids[r, : len(encoded[i][0])] = torch.tensor(encoded[i][0])
        # padding on the right: under the causal mask no real token attends to it, so no attention
        # mask is needed (and attention takes its fast causal path); outputs at pads are dropped
        hidden = lm.base_model(input_ids=ids).last_hidden_state.float()
        h, target = [], []
        for r, i in enumerate(batch):
            tg = torch.tensor(encoded[i][1])
            keep = tg != IGNORE
            h.append(hidden[r, : len(tg)][keep])
            target.append(tg[keep])
            out["demo"].append(torch.full_like(target[-1], i))
            out["generated"].append((torch.arange(len(tg)) >= first_written[i])[keep])
        h, target = torch.cat(h), torch.cat(target)
        for k, v in zip(("logz", "word_logit", "word_max"), vocab_stats(h, target, w_vocab, w_low)):
            out[k].append(v)
        out["h"].append(h)
        out["target"].append(target)
    cache = PositionCache(**{k: torch.cat(v) for k, v in out.items()})
    if persist:
        atomic.write_safetensors(path, asdict(cache))
    return cache


# ---------------------------------------------------------------- loss


def toolken_loss(
    head_weight: torch.Tensor,
    cache: PositionCache,
    vocab_size: int,
    bias: float = 0.0,
    tool_weight: torch.Tensor | None = None,
) -> torch.Tensor:
    """Mean cross-entropy over [vocab ; tools] from cached statistics: log Z = logaddexp(log Z_vocab,
    logsumexp(W_tau h)); the target logit is cached for words and W_tau[k] h for toolken k.
    `tool_weight[k]` scales the positions whose target is toolken k (words weigh 1)."""
    tool_logits = cache.h @ head_weight.T + bias
    logz = torch.logaddexp(cache.logz, torch.logsumexp(tool_logits, -1))
    is_tool = cache.target >= vocab_size
    tool_index = (cache.target - vocab_size).clamp(min=0)
    tool_target = tool_logits.gather(1, tool_index[:, None])[:, 0]
    losses = logz - torch.where(is_tool, tool_target, cache.word_logit)
    if tool_weight is None:
        return losses.mean()
    weights = torch.where(is_tool, tool_weight[tool_index], torch.ones_like(losses))
    return (weights * losses).sum() / weights.sum()


def balanced_tool_weights(cache: PositionCache, vocab_size: int, n_tools: int) -> torch.Tensor:
    """Per-toolken loss weights under which every tool seen in `cache` has the same total weight and
    all call positions together keep theirs: n_calls / (n_tools_seen x n_calls_of_tool)."""
    counts = torch.bincount(cache.target[cache.target >= vocab_size] - vocab_size, minlength=n_tools).float()
    seen = counts > 0
    weights = torch.ones(n_tools)
    weights[seen] = counts.sum() / (seen.sum() * counts[seen])
    return weights


def full_softmax_loss(
    head_weight: torch.Tensor, h: torch.Tensor, targets: torch.Tensor, w_vocab: torch.Tensor
) -> torch.Tensor:
    """Reference: cross-entropy of softmax([W_vocab h ; W_tau h]). Used to test `toolken_loss`."""
    logits = torch.cat([h @ w_vocab.T, h @ head_weight.T], -1)
    return torch.nn.functional.cross_entropy(logits, targets)


@torch.no_grad()
def firing_stats(head_weight: torch.Tensor, cache: PositionCache, vocab_size: int, bias: float) -> dict[str, float]:
    """Greedy decisions with logit `bias` at the cached positions the model writes itself (all, if
    none is marked): recall (right toolken wins where a call is due), precision (share of firings
    that are right), F1, and balanced accuracy (mean of recall and of "no toolken where none is
    due", over the kinds of position present)."""
    if cache.generated.any():
        cache = cache.select(cache.generated)
    tool_logits = cache.h @ head_weight.T + bias
    best_tool, which = tool_logits.max(-1)
    fires = best_tool > cache.word_max
    is_tool = cache.target >= vocab_size
    right = fires & is_tool & (which == cache.target - vocab_size)
    recall = right.sum().item() / max(1, is_tool.sum().item())
    precision = right.sum().item() / max(1, fires.sum().item())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    quiet = (~fires & ~is_tool).sum().item() / max(1, (~is_tool).sum().item())
    kinds = [r for r, present in ((recall, is_tool.any()), (quiet, (~is_tool).any())) if present]
    return {"recall": recall, "precision": precision, "f1": f1, "balanced_accuracy": sum(kinds) / max(1, len(kinds))}


def choose_bias(head_weight: torch.Tensor, cache: PositionCache, vocab_size: int) -> tuple[float, dict[str, float]]:
    """The logit bias in [-5, 10] (step 0.5) whose greedy decisions have the best balanced accuracy on
    `cache`; of tied biases, the middle one, so the decisions keep a margin both ways on new text. A
    wrong toolken and a missed call cost the same, as in the tasks."""
    scored = [(firing_stats(head_weight, cache, vocab_size, b / 2), b / 2) for b in range(-10, 21)]
    best = max(stats["balanced_accuracy"] for stats, _ in scored)
    tied = [sb for sb in scored if sb[0]["balanced_accuracy"] == best]
    stats, bias = tied[len(tied) // 2]
    return bias, stats


# ---------------------------------------------------------------- training loop


def split_demos(n: int, val_fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """Shuffle demo indices with `seed`; the first `val_fraction` of them validate."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    n_val = min(n - 1, math.ceil(n * val_fraction)) if val_fraction > 0 and n > 1 else 0
    return order[n_val:], order[:n_val]


def _state_paths(output_dir: Path) -> tuple[Path, Path]:
    return output_dir / "trainer_state.safetensors", output_dir / "trainer_state.json"


def train(
    model: ToolkenModel,
    demos: Sequence[Demo],
    args: TrainingArguments | None = None,
    val_demos: Sequence[Demo] | None = None,
    output_dir: str | Path | None = None,
    resume: bool = False,
    progress: bool = True,
) -> dict:
    """Train the toolken rows of `model` in place on `demos` and return the training history.

    Validation uses `val_demos` or a seeded `val_fraction` of `demos`; the epoch with the lowest
    validation loss wins. With `output_dir`, the best head so far is saved there after every epoch
    (atomically) with the optimizer state, so a killed run can `resume`.
    """
    args = args or TrainingArguments()
    # record the dtype actually used, so the head's config says how it was trained
    args = replace(args, cache_dtype=resolve_cache_dtype(args.cache_dtype, model.lm.device))
    if val_demos is None:
        train_idx, val_idx = split_demos(len(demos), args.val_fraction, args.seed)
        all_demos = list(demos)
    else:
        all_demos = list(demos) + list(val_demos)
        val_idx = list(range(len(demos), len(all_demos)))
    cache = cache_positions(
        model,
        all_demos,
        args.max_length,
        args.cache_batch_tokens,
        progress=progress,
        prompt=model.config.prompt,
        dtype=args.cache_dtype,
    )
    is_val = torch.zeros(len(all_demos), dtype=torch.bool)
    is_val[val_idx] = True
    train_cache, val_cache = cache.select(~is_val[cache.demo]), cache.select(is_val[cache.demo])
    return fit(model, train_cache, val_cache, args, output_dir, resume, progress)


def fit(
    model: ToolkenModel,
    train_cache: PositionCache,
    val_cache: PositionCache,
    args: TrainingArguments | None = None,
    output_dir: str | Path | None = None,
    resume: bool = False,
    progress: bool = True,
) -> dict:
    """The training loop of `train` on cached positions: Adam on W_tau, the epoch with the lowest
    `val_cache` loss wins, then the logit bias is chosen on `val_cache` (if `args.bias == "auto"`)."""
    args = args or TrainingArguments()
    if val_cache.target.numel() == 0:
        val_cache = train_cache  # nothing held out: select on the training loss
    vocab = model.vocab_size
    torch.manual_seed(args.seed)
    weight = model.head.weight
    optimizer = torch.optim.Adam([weight], lr=args.lr)
    history: dict = {
        "epochs": [],
        "n_train_positions": len(train_cache.target),
        "n_val_positions": len(val_cache.target),
    }
    start_epoch, best_loss, best_weight = 0, math.inf, weight.detach().clone()
    output_dir = Path(output_dir) if output_dir else None
    if resume and output_dir and _state_paths(output_dir)[1].is_file():
        try:
            start_epoch, best_loss, best_weight, history = _load_state(output_dir, weight, optimizer)
        except (SafetensorError, OSError, ValueError, KeyError, TypeError, RuntimeError) as e:
            raise ValueError(f"{output_dir}: cannot resume (other tools or a damaged state?): {e}") from None
    n = len(train_cache.target)
    n_tools = weight.shape[0]
    tool_weight = balanced_tool_weights(train_cache, vocab, n_tools) if args.balance_tools else None
    started = time.perf_counter()
    bar = tqdm(range(start_epoch, args.epochs), desc="training toolkens", disable=not progress, unit="epoch")
    for epoch in bar:
        perm = torch.randperm(n, generator=torch.Generator().manual_seed(args.seed * 1000 + epoch))
        total = 0.0
        for i in range(0, n, args.batch_size):
            batch = train_cache.select(perm[i : i + args.batch_size])
            loss = toolken_loss(weight, batch, vocab, tool_weight=tool_weight) + args.reg * model.head.regularizer()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch.target)
        with torch.no_grad():
            val_loss = toolken_loss(weight, val_cache, vocab, tool_weight=tool_weight).item()
        if val_loss < best_loss:
            best_loss, best_weight = val_loss, weight.detach().clone()
        seconds = time.perf_counter() - started  # since this call began (resumed epochs not included)
        history["epochs"].append(
            {"epoch": epoch + 1, "train_loss": total / max(1, n), "val_loss": val_loss, "seconds": seconds}
        )
        bar.set_postfix(train=f"{total / max(1, n):.4f}", val=f"{val_loss:.4f}")
        if output_dir:
            _save_state(model, output_dir, epoch + 1, best_loss, best_weight, optimizer, history)
    with torch.no_grad():
        weight.copy_(best_weight)
    if args.bias == "auto":
        bias, stats = choose_bias(weight.detach(), val_cache, vocab)
    else:
        bias = float(args.bias)
        stats = firing_stats(weight.detach(), val_cache, vocab, bias)
    model.config.bias, model.config.reg = bias, args.reg
    history.update(best_val_loss=best_loss, bias=bias, val_firing=stats)
    model.config.training = {"arguments": asdict(args), **{k: v for k, v in history.items() if k != "epochs"}}
    if output_dir:
        model.save_pretrained(output_dir)
        for p in _state_paths(output_dir):
            p.unlink(missing_ok=True)  # done: nothing to resume
    return history


def _save_state(
    model: ToolkenModel,
    output_dir: Path,
    epoch: int,
    best_loss: float,
    best_weight: torch.Tensor,
    optimizer: torch.optim.Optimizer,
    history: dict,
) -> None:
    # the head on disk is always the best so far, so a kill at any moment leaves a usable head
    current = model.head.weight.data.clone()
    model.head.weight.data.copy_(best_weight)
    model.save_pretrained(output_dir)
    model.head.weight.data.copy_(current)
    state = optimizer.state[model.head.weight]
    tensors = {"weight": current, "best_weight": best_weight}
    if state:
        tensors.update(
            exp_avg=state["exp_avg"], exp_avg_sq=state["exp_avg_sq"], step=torch.as_tensor(state["step"]).reshape(1)
        )
    paths = _state_paths(output_dir)
    meta = {"epoch": epoch, "best_val_loss": best_loss, "history": history}
    # the tensors carry their own epoch and history: a kill between the two writes cannot mix epochs
    atomic.write_safetensors(paths[0], tensors, metadata={"state": json.dumps(meta)})
    atomic.write_json(paths[1], meta)


def _load_state(
    output_dir: Path, weight: torch.nn.Parameter, optimizer: torch.optim.Optimizer
) -> tuple[int, float, torch.Tensor, dict]:
    path = _state_paths(output_dir)[0]
    with safe_open(path, "pt") as f:
        meta = json.loads((f.metadata() or {})["state"])
    tensors = load_file(path)
    with torch.no_grad():
        weight.copy_(tensors["weight"])
    if "exp_avg" in tensors:
        optimizer.state[weight] = {
            "step": tensors["step"].reshape(()).float(),
            "exp_avg": tensors["exp_avg"].clone(),
            "exp_avg_sq": tensors["exp_avg_sq"].clone(),
        }
    return int(meta["epoch"]), float(meta["best_val_loss"]), tensors["best_weight"], meta["history"]

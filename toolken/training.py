"""Training W_tau fast: the LM is frozen, so it runs once (`toolken.cache`) and an epoch is then
O(positions x |T| x d), giving exactly the loss of the full softmax over [vocab ; tools]."""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from functools import partial
from pathlib import Path

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file
from tqdm.auto import tqdm

from . import atomic
from .bias import choose_bias, copy_gates, firing_stats
from .cache import PositionCache, resolve_cache_dtype
from .config import BIAS_CHOICES, LrSchedule, TrainingArguments, TrainingRecord
from .demonstrations import Demo
from .distributed import leave
from .head import ToolkenModel
from .mapped import MappedCache, cache_to_disk, chunks
from .priors import PROTOTYPE_INITS, apply_prototypes
from .prompting import training_demos
from .twins import stand_ins

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
    weights = _loss_weights(cache, vocab_size, tool_weight)
    return (weights * losses).sum() / weights.sum()


def _loss_weights(cache: PositionCache, vocab_size: int, tool_weight: torch.Tensor | None) -> torch.Tensor:
    """Each position's weight in the loss: `tool_weight` of its toolken, 1 for words (and without weights)."""
    ones = torch.ones_like(cache.logz)
    if tool_weight is None:
        return ones
    is_tool = cache.target >= vocab_size
    return torch.where(is_tool, tool_weight[(cache.target - vocab_size).clamp(min=0)], ones)


@torch.no_grad()
def mean_loss(
    head_weight: torch.Tensor, cache: PositionCache | MappedCache, vocab_size: int, tool_weight: torch.Tensor | None
) -> float:
    """`toolken_loss` over all of `cache`, on the head's device, read a chunk at a time if memory-mapped."""
    parts = [
        (
            toolken_loss(head_weight, c, vocab_size, tool_weight=tool_weight).item(),
            _loss_weights(c, vocab_size, tool_weight).sum().item(),
        )
        for c in chunks(cache, head_weight.device)
    ]
    if len(parts) == 1:
        return parts[0][0]
    return sum(loss * w for loss, w in parts) / max(1e-12, sum(w for _, w in parts))


def balanced_tool_weights(cache: PositionCache, vocab_size: int, n_tools: int) -> torch.Tensor:
    """Per-toolken loss weights under which every tool seen in `cache` has the same total weight and
    all call positions together keep theirs: n_calls / (n_tools_seen x n_calls_of_tool)."""
    counts = torch.bincount(cache.target[cache.target >= vocab_size] - vocab_size, minlength=n_tools).float()
    seen = counts > 0
    weights = torch.ones(n_tools, device=counts.device)
    weights[seen] = counts.sum() / (seen.sum() * counts[seen])
    return weights


def full_softmax_loss(
    head_weight: torch.Tensor, h: torch.Tensor, targets: torch.Tensor, w_vocab: torch.Tensor
) -> torch.Tensor:
    """Reference: cross-entropy of softmax([W_vocab h ; W_tau h]). Used to test `toolken_loss`."""
    logits = torch.cat([h @ w_vocab.T, h @ head_weight.T], -1)
    return torch.nn.functional.cross_entropy(logits, targets)


# ---------------------------------------------------------------- training loop

MIN_BATCHES_PER_EPOCH = 8  # with few positions, an epoch still takes this many steps
MIN_BATCH = 32  # ... of at least this many positions (else a step's gradient is one call's)
# few positions: Adam steps of 1e-2 overshoot (40 FuncQA demos, `benchmarks/small_data.py`: best
# validation loss 3.19 at 1e-2, 3.02 at 3e-3, 2.96 at 1e-3 over the same 400 steps; naive loop 3.03)
SMALL_DATA_LR = 1e-3


def step_plan(n_positions: int, args: TrainingArguments) -> tuple[int, int, float]:
    """(batch size, epochs, learning rate) for `n_positions` training positions: `args`' own when
    they reach `args.min_steps` optimizer steps; else a batch small enough for MIN_BATCHES_PER_EPOCH
    steps an epoch (not under MIN_BATCH), as many epochs as reach `min_steps`, and a learning rate of
    at most SMALL_DATA_LR. Few demonstrations then get as many small updates as a larger set, instead
    of a handful of large near-full-batch steps."""
    batches = math.ceil(max(1, n_positions) / args.batch_size)
    if batches * args.epochs >= args.min_steps:
        return args.batch_size, args.epochs, args.lr
    batch = min(args.batch_size, max(MIN_BATCH, math.ceil(n_positions / MIN_BATCHES_PER_EPOCH)))
    batches = math.ceil(max(1, n_positions) / batch)
    return batch, max(args.epochs, math.ceil(args.min_steps / batches)), min(args.lr, SMALL_DATA_LR)


def learning_rate(lr: float, epochs: int, schedule: LrSchedule, done: float) -> float:
    """The learning rate after `done` of `epochs` epochs: `lr`, or along a half cosine from `lr` to 0.
    A function of progress alone, so a resumed run steps as the uninterrupted one would."""
    if schedule == LrSchedule.CONSTANT:
        return lr
    return lr * 0.5 * (1 + math.cos(math.pi * min(done, epochs) / epochs))


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
) -> dict | None:
    """Train the toolken rows of `model` in place on `demos` and return the training history.

    Validation uses `val_demos` or a seeded `val_fraction` of `demos`; the epoch with the lowest
    validation loss wins. With `output_dir`, the best head so far is saved there after every epoch
    (atomically) with the optimizer state, so a killed run can `resume`. The LM's pass is stored as
    memory-mapped shards (`toolken.mapped`) and training streams over them. Under `torchrun`, every
    rank caches its block of the demonstrations; rank 0 trains on the union, the others return None.
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
    # written as the head will be prompted (`toolken.prompting`): the chat template or the plain one
    all_demos, prompt = training_demos(model.config, model.tokenizer, all_demos)
    cache = cache_to_disk(
        model, all_demos, args.max_length, args.cache_batch_tokens, progress, prompt, args.cache_dtype
    )
    if cache is None:  # another rank trains
        leave()
        return None
    is_val = torch.zeros(len(all_demos), dtype=torch.bool, device="cpu")
    is_val[val_idx] = True
    train_cache, val_cache = cache.subset(~is_val[cache.demo]), cache.subset(is_val[cache.demo])
    gates = copy_gates(model.tools, all_demos, prompt) if args.copy_gate else None
    try:
        return fit(model, train_cache, val_cache, args, output_dir, resume, progress, gates)
    finally:
        leave()


def fit(
    model: ToolkenModel,
    train_cache: PositionCache | MappedCache,
    val_cache: PositionCache | MappedCache,
    args: TrainingArguments | None = None,
    output_dir: str | Path | None = None,
    resume: bool = False,
    progress: bool = True,
    gates: torch.Tensor | None = None,
) -> dict:
    """The training loop of `train` on cached positions: Adam on W_tau (its learning rate along
    `args.lr_schedule`), the epoch with the lowest `val_cache` loss wins, then the logit bias is
    chosen on `val_cache` (if `args.bias` is "auto" or "eager"; `gates`: `bias.copy_gates` of the
    cached demonstrations). The caches may live on the CPU or on disk: batches are moved to the
    head's device as they are read."""
    args = args or TrainingArguments()
    if val_cache.target.numel() == 0:
        val_cache = train_cache  # nothing held out: select on the training loss
    vocab = model.vocab_size
    torch.manual_seed(args.seed)
    weight = model.head.weight
    batch_size, epochs, lr = step_plan(len(train_cache.target), args)
    optimizer = torch.optim.Adam([weight], lr=lr)
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
    if start_epoch == 0 and model.config.init in PROTOTYPE_INITS:
        calls = train_cache.select(torch.nonzero(train_cache.target >= vocab).squeeze(1)).to(weight.device)
        apply_prototypes(weight.data, model.head.prior, model.config.init, calls.h, calls.target, vocab)
        best_weight = weight.detach().clone()
    tool_weight = balanced_tool_weights(train_cache, vocab, weight.shape[0]) if args.balance_tools else None
    tool_weight = tool_weight.to(weight.device) if tool_weight is not None else None
    history.update(batch_size=batch_size, planned_epochs=epochs, lr=lr)
    lr_at = partial(learning_rate, lr, epochs, args.lr_schedule)
    started = time.perf_counter()
    bar = tqdm(range(start_epoch, epochs), desc="training toolkens", disable=not progress, unit="epoch")
    for epoch in bar:
        total = _epoch(model, train_cache, optimizer, replace(args, batch_size=batch_size), epoch, tool_weight, lr_at)
        val_loss = mean_loss(weight, val_cache, vocab, tool_weight)
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
    _record(model, val_cache, args, history, best_loss, gates)
    if output_dir:
        model.save_pretrained(output_dir)
        for p in _state_paths(output_dir):
            p.unlink(missing_ok=True)  # done: nothing to resume
    return history


def _epoch(
    model: ToolkenModel,
    cache: PositionCache | MappedCache,
    optimizer: torch.optim.Optimizer,
    args: TrainingArguments,
    epoch: int,
    tool_weight: torch.Tensor | None,
    lr_at: Callable[[float], float],
) -> float:
    """One pass of Adam over the shuffled positions of `cache`, at the learning rate `lr_at(epochs done)`;
    returns the summed training loss."""
    weight, n, total = model.head.weight, len(cache.target), 0.0
    # the order is drawn on the CPU, where the cache is: the same positions in the same order on any device
    seed = args.seed * 1000 + epoch
    perm = torch.randperm(n, generator=torch.Generator(device="cpu").manual_seed(seed), device="cpu")
    for i in range(0, n, args.batch_size):
        for group in optimizer.param_groups:
            group["lr"] = lr_at(epoch + i / n)
        batch = cache.select(perm[i : i + args.batch_size]).to(weight.device)
        loss = toolken_loss(weight, batch, model.vocab_size, tool_weight=tool_weight)
        loss = loss + args.reg * model.head.regularizer(args.reg_norm)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch.target)
    return total


def _record(
    model: ToolkenModel,
    val_cache: PositionCache | MappedCache,
    args: TrainingArguments,
    history: dict,
    best: float,
    gates: torch.Tensor | None = None,
) -> None:
    """Choose (or take) the logit bias on `val_cache` and write what training chose into the model."""
    weight, vocab = model.head.weight.detach(), model.vocab_size
    same = stand_ins(model.tools)  # tools of the same words: firing either is right (one is offered)
    if args.bias in BIAS_CHOICES:
        bias, stats = choose_bias(weight, val_cache, vocab, eager=args.bias == "eager", gates=gates, same=same)
    else:
        bias = float(args.bias)
        stats = firing_stats(weight, val_cache, vocab, bias, gates, same)
    model.config.bias, model.config.reg, model.config.reg_norm = bias, args.reg, args.reg_norm
    history.update(best_val_loss=best, bias=bias, val_firing=stats)
    model.training = TrainingRecord(
        arguments=asdict(args),
        n_train_positions=history["n_train_positions"],
        n_val_positions=history["n_val_positions"],
        best_val_loss=best,
        bias=bias,
        val_firing=stats,
        epochs=history["epochs"],
    )


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
            "exp_avg": tensors["exp_avg"].to(weight.device),
            "exp_avg_sq": tensors["exp_avg_sq"].to(weight.device),
        }
    return int(meta["epoch"]), float(meta["best_val_loss"]), tensors["best_weight"].to(weight.device), meta["history"]

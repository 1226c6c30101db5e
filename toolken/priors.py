"""Prior embeddings for tools (TokenLearning): pooled from the frozen LM's own representation of a
tool's name or description. They initialise the toolken rows and anchor the regularizer."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from .config import Init, PriorSource
from .tools import Tool

INITS = tuple(Init)
PRIOR_SOURCES = tuple(PriorSource)


def prior_text(tool: Tool, init: str) -> str:
    """The text a tool's prior is pooled from: its readable name, or its description (name if empty)."""
    if init == "name":
        return tool.readable_name
    if init == "description":
        return tool.description.strip() or tool.readable_name
    raise ValueError(f"init {init!r} has no prior text; choose from {INITS}")


def output_embeddings(lm: PreTrainedModel) -> torch.Tensor:
    """W_vocab: the LM's output head rows, one per word token."""
    return lm.get_output_embeddings().weight


@torch.no_grad()
def wordrow_prior(lm: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, texts: Sequence[str]) -> torch.Tensor:
    """Mean of the W_vocab rows of each text's tokens: the toolken starts as the average word it names."""
    w = output_embeddings(lm)
    rows = []
    for text in texts:
        ids = tokenizer(text, add_special_tokens=False).input_ids or [tokenizer.eos_token_id]
        rows.append(w[torch.tensor(ids, device=w.device)].mean(0))
    return torch.stack(rows).float()


def special_prefix(tokenizer: PreTrainedTokenizerBase) -> int:
    """How many special tokens the tokenizer puts before a text (Gemma's <bos>: 1; SmolLM2: 0)."""
    plain = tokenizer("a", add_special_tokens=False).input_ids
    full = tokenizer("a").input_ids
    return full.index(plain[0]) if plain and plain[0] in full else 0


@torch.no_grad()
def hidden_prior(
    lm: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, texts: Sequence[str], batch_size: int = 32
) -> torch.Tensor:
    """Mean final (normed) hidden state over each text, rescaled to the mean norm of W_vocab rows. The
    text is read as prompts are, after the tokenizer's special prefix (a model such as Gemma is out of
    its distribution without <bos>), which is left out of the mean."""
    target_norm = output_embeddings(lm).norm(dim=-1).mean()
    skip = special_prefix(tokenizer)
    pooled = []
    for i in range(0, len(texts), batch_size):
        # right padding: every row's positions count from 0, as the model was trained
        batch = tokenizer(list(texts[i : i + batch_size]), padding=True, padding_side="right")
        ids, mask = (torch.tensor(batch[k], device=lm.device) for k in ("input_ids", "attention_mask"))
        h = lm.base_model(input_ids=ids, attention_mask=mask).last_hidden_state
        mask = mask.clone()
        mask[:, :skip] = 0
        mask = mask.unsqueeze(-1).to(h.dtype)
        pooled.append((h * mask).sum(1) / mask.sum(1).clamp(min=1))
    h = torch.cat(pooled).float()
    return h * (target_norm / h.norm(dim=-1, keepdim=True).clamp(min=1e-6))


def random_init(n_tools: int, hidden_size: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """ToolkenGPT's init: a fresh `nn.Linear(d, |T|)` weight, U(-1/sqrt(d), 1/sqrt(d)). Drawn on the CPU,
    so that a seed gives the same toolkens whatever the device."""
    bound = hidden_size**-0.5
    return (torch.rand(n_tools, hidden_size, generator=generator, device="cpu") * 2 - 1) * bound


def compute_priors(
    lm: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    tools: Sequence[Tool],
    init: str,
    source: str = "wordrows",
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (initial W_tau, W_prior) for `tools`. For `random` the prior is zero, so the regularizer
    is plain L2 weight decay; for `name`/`description` both are the pooled prior."""
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose from {INITS}")
    d = output_embeddings(lm).shape[1]
    if init == "random":
        return random_init(len(tools), d, generator), torch.zeros(len(tools), d, device="cpu")
    if source not in PRIOR_SOURCES:
        raise ValueError(f"unknown prior source {source!r}; choose from {PRIOR_SOURCES}")
    texts = [prior_text(t, init) for t in tools]
    prior = wordrow_prior(lm, tokenizer, texts) if source == "wordrows" else hidden_prior(lm, tokenizer, texts)
    return prior.clone(), prior

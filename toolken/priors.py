"""Prior embeddings for tools: where a toolken starts and what the regularizer pulls it toward.
TokenLearning pools the frozen LM's representation of a tool's name or description; pooled over one
tool set those priors share most of their direction, so the centred variants remove the tool set's
mean; `state` reads the LM where a toolken would be written with the description as the request; the
`prototype` inits (`apply_prototypes`, run when training starts) take the mean hidden state at each
tool's calls in its demonstrations, as weight imprinting does for new classes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch

from .config import DEFAULT_PROMPT, Init, PriorSource
from .tools import Tool

if TYPE_CHECKING:  # importing them at run time loads transformers (0.5 s; its model classes ~2 s)
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

INITS = tuple(Init)
PRIOR_SOURCES = tuple(PriorSource)
PROTOTYPE_INITS = (Init.PROTOTYPE, Init.PROTOTYPE_NAME)  # need demonstrations: set when training starts
_NAME_INITS = (Init.NAME, Init.TOKENLEARNING, Init.CENTERED_NAME, Init.PROTOTYPE_NAME)
_DESCRIPTION_INITS = (Init.DESCRIPTION, Init.CENTERED_DESCRIPTION, Init.STATE)
CENTRED_INITS = (Init.CENTERED_NAME, Init.CENTERED_DESCRIPTION, Init.STATE, Init.PROTOTYPE_NAME)
DESCRIPTION_CHARS = 200  # `state`: enough to say what a tool does; long API docs only cost time
# the mean row norm of centred, state and prototype priors: a `random_init` row's (E|w|^2 = d/(3d)), so
# they start at ToolkenGPT's scale and differ from it in direction only (at the word rows' norm the
# state and prototype heads fired everywhere and did not recover: KAMEL-30 validation, 2 demos a tool)
PRIOR_ROW_NORM = 3**-0.5


def prior_text(tool: Tool, init: str) -> str:
    """The text a tool's prior is pooled from: its readable name, or its description (name if empty)."""
    if init in _NAME_INITS:
        return tool.readable_name
    if init in _DESCRIPTION_INITS:
        return tool.description.strip() or tool.readable_name
    raise ValueError(f"init {init!r} has no prior text; choose from {INITS}")


def output_embeddings(lm: PreTrainedModel) -> torch.Tensor:
    """W_vocab: the LM's output head rows, one per word token."""
    return lm.get_output_embeddings().weight


def word_row_norm(lm: PreTrainedModel) -> torch.Tensor:
    """Mean norm of the W_vocab rows: the scale a toolken competes with the words at."""
    return output_embeddings(lm).detach().float().norm(dim=-1).mean()


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
def final_states(
    lm: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, texts: Sequence[str], last: bool, batch_size: int = 32
) -> torch.Tensor:
    """Final (normed) hidden states of each text: their mean over the text, or the last token's
    (`last`). The text is read as prompts are, after the tokenizer's special prefix (a model such as
    Gemma is out of its distribution without <bos>), which is left out of the mean."""
    out, skip = [], special_prefix(tokenizer)
    for i in range(0, len(texts), batch_size):
        # right padding: every row's positions count from 0, as the model was trained
        batch = tokenizer(list(texts[i : i + batch_size]), padding=True, padding_side="right")
        ids, attention = (torch.tensor(batch[k], device=lm.device) for k in ("input_ids", "attention_mask"))
        h = lm.base_model(input_ids=ids, attention_mask=attention).last_hidden_state.float()
        mask = attention.clone()
        mask[:, :skip] = 0
        mask = mask.unsqueeze(-1).to(h.dtype)
        if last:  # right padding: the last real token is at length - 1
            out.append(h[torch.arange(len(h), device=h.device), attention.sum(1) - 1])
        else:
            out.append((h * mask).sum(1) / mask.sum(1).clamp(min=1))
    return torch.cat(out)


def hidden_prior(
    lm: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, texts: Sequence[str], batch_size: int = 32
) -> torch.Tensor:
    """Mean final (normed) hidden state over each text, rescaled to the mean norm of W_vocab rows."""
    h = final_states(lm, tokenizer, texts, last=False, batch_size=batch_size)
    return h * (word_row_norm(lm) / h.norm(dim=-1, keepdim=True).clamp(min=1e-6))


def tokenlearning_prior(lm: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, texts: Sequence[str]) -> torch.Tensor:
    """TokenLearning's public recipe: each text alone through the whole frozen LM, its final normed
    hidden states averaged, the row L2-normalized and divided by sqrt(hidden size)."""
    h = torch.cat([final_states(lm, tokenizer, [t], last=False) for t in texts])  # alone: no padding at all
    return torch.nn.functional.normalize(h, dim=-1) / h.shape[1] ** 0.5


def centered(rows: torch.Tensor, norm: torch.Tensor | float) -> torch.Tensor:
    """`rows` minus their mean (the direction a tool set shares), scaled by one factor so the mean row
    norm is `norm`. A single row has nothing to be told apart from: it is only rescaled."""
    rows = rows - rows.mean(0) if len(rows) > 1 else rows
    return rows * (norm / rows.norm(dim=-1).mean().clamp(min=1e-6))


def state_prior(
    lm: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, tools: Sequence[Tool], prompt: str
) -> torch.Tensor:
    """The final hidden state where a toolken would be written after `prompt` around the tool's
    description (the space the requests live in), centred on the tool set."""
    texts = [prompt.format(question=(t.description.strip() or t.readable_name)[:DESCRIPTION_CHARS]) for t in tools]
    return centered(final_states(lm, tokenizer, texts, last=True), PRIOR_ROW_NORM)


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
    prompt: str = DEFAULT_PROMPT,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (initial W_tau, W_prior) for `tools`. For `random` and `prototype` the prior is zero (the
    regularizer is plain L2 weight decay) until `apply_prototypes` sets the prototypes; otherwise both
    are the prior (`source` says what `name`, `description` and their centred variants pool)."""
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose from {INITS}")
    if source not in PRIOR_SOURCES:
        raise ValueError(f"unknown prior source {source!r}; choose from {PRIOR_SOURCES}")
    d = output_embeddings(lm).shape[1]
    if init in (Init.RANDOM, Init.PROTOTYPE):
        return random_init(len(tools), d, generator), torch.zeros(len(tools), d, device="cpu")
    if init == Init.STATE:
        prior = state_prior(lm, tokenizer, tools, prompt)
        return prior.clone(), prior
    texts = [prior_text(t, init) for t in tools]
    if init == Init.TOKENLEARNING:
        prior = tokenlearning_prior(lm, tokenizer, texts)
    else:
        prior = wordrow_prior(lm, tokenizer, texts) if source == "wordrows" else hidden_prior(lm, tokenizer, texts)
        if init in (Init.CENTERED_NAME, Init.CENTERED_DESCRIPTION, Init.PROTOTYPE_NAME):
            prior = centered(prior, PRIOR_ROW_NORM)
    return prior.clone(), prior


@torch.no_grad()
def prototypes(
    h: torch.Tensor, target: torch.Tensor, vocab_size: int, n_tools: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """(the mean of `h` at the positions whose target is toolken k, for every k; whether k has any)."""
    is_tool = target >= vocab_size
    index = target[is_tool] - vocab_size
    sums = torch.zeros(n_tools, h.shape[1], device=h.device).index_add_(0, index, h[is_tool].float())
    counts = torch.bincount(index, minlength=n_tools)
    return sums / counts.clamp(min=1).unsqueeze(1).float(), counts > 0


@torch.no_grad()
def apply_prototypes(
    weight: torch.Tensor, prior: torch.Tensor, init: str, h: torch.Tensor, target: torch.Tensor, vocab_size: int
) -> None:
    """Set the rows of the tools seen in (h, target) to their prototype, centred on the seen tools and
    scaled to mean row norm PRIOR_ROW_NORM; `prototype-name` averages it with the (centred) name prior.
    The prior follows, so the regularizer pulls toward the same rows. Unseen tools keep their init."""
    protos, seen = prototypes(h, target, vocab_size, len(weight))
    if not seen.any():
        return
    rows = centered(protos[seen], PRIOR_ROW_NORM)
    if init == Init.PROTOTYPE_NAME:
        rows = (rows + prior[seen]) / 2
    weight[seen] = rows
    prior[seen] = rows

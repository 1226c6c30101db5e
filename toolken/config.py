"""What defines a saved head (`ToolkenConfig`, `toolken_config.json`) and what its training measured
(`TrainingRecord`, `training_record.json`). Both load tolerantly: unknown keys (from a newer
toolken) are dropped with a warning, missing keys take their defaults, wrong values are refused."""

from __future__ import annotations

import math
import string
import warnings
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

DEFAULT_MODEL = "smollm2-135m-instruct"
BIAS_CHOICES = ("auto", "eager")  # the logit bias chosen on validation: the middle of the best, or eagerly
DEFAULT_PROMPT = "Q: {question}\nA:"
FORMAT_VERSION = 1
CONFIG_NAME = "toolken_config.json"  # a saved head's config, beside its weights
# new heads' prompt format: the chat template did not help on FuncQA one-hop and KAMEL-30 (BENCHMARKS.md)
DEFAULT_PROMPT_FORMAT = "plain"
# synthesized near-miss no-tool questions per demonstration of a tool (`toolken.negatives`)
NEAR_MISS_SHARE = 0.25


class Init(StrEnum):
    """How toolkens start: ToolkenGPT's random rows, a TokenLearning prior from the tool's text (ours,
    or as its public code builds it), priors centred on their tool set, the description's state where
    a toolken is written, or the mean state at each tool's calls in its demonstrations."""

    RANDOM = "random"
    NAME = "name"
    DESCRIPTION = "description"
    TOKENLEARNING = "tokenlearning"
    CENTERED_NAME = "centered-name"
    CENTERED_DESCRIPTION = "centered-description"
    STATE = "state"
    PROTOTYPE = "prototype"
    PROTOTYPE_NAME = "prototype-name"


class RegNorm(StrEnum):
    """The regularizer: mean over tools of ||W_tau[i] - W_prior[i]||^2, or TokenLearning's
    unsquared Frobenius norm ||W_tau - W_prior||."""

    SQUARED = "squared"
    FROBENIUS = "frobenius"


class LrSchedule(StrEnum):
    """How the learning rate moves over training: down to zero along a half cosine (the last epochs
    settle instead of jumping around a minimum), or constant (ToolkenGPT's)."""

    COSINE = "cosine"
    CONSTANT = "constant"


class PriorSource(StrEnum):
    """What the prior is pooled from: the LM's word rows of the text, or its final hidden states."""

    WORDROWS = "wordrows"
    HIDDEN = "hidden"


class PromptFormat(StrEnum):
    """How questions are put to the model: the head's plain `prompt` template, or the tokenizer's own
    chat template (system / user / assistant turns; see `toolken.prompting`)."""

    PLAIN = "plain"
    CHAT = "chat"


class AnswerKind(StrEnum):
    """How the answer is read off a completion: the text itself, or the last number."""

    TEXT = "text"
    NUMBER = "number"


def check_prompt(prompt: Any) -> str:
    """A prompt template must be text with exactly one `{question}` and no other fields."""
    if not isinstance(prompt, str):
        raise ValueError(f"prompt must be text, got {type(prompt).__name__}")
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(prompt) if name is not None]
    except ValueError as e:
        raise ValueError(f"prompt {prompt!r} is not a valid template: {e}") from None
    if names != ["question"]:
        raise ValueError(f"prompt {prompt!r} must hold exactly one {{question}} field and no other")
    return prompt


def _help(text: str) -> dict:
    return {"help": text}


@dataclass
class ToolkenConfig:
    """Everything needed to rebuild a head."""

    base_model: str = field(default=DEFAULT_MODEL, metadata=_help("backbone: a packaged model's name or a folder"))
    hidden_size: int = field(default=0, metadata=_help("the backbone's hidden size (rows of W_tau)"))
    vocab_size: int = field(default=0, metadata=_help("number of word logits of the backbone"))
    tokenizer_fingerprint: str = field(default="", metadata=_help("hash of the vocabulary the head was trained with"))
    init: Init = field(default=Init.CENTERED_NAME, metadata=_help("how the toolkens were initialised"))
    prior_source: PriorSource = field(default=PriorSource.WORDROWS, metadata=_help("what the prior is pooled from"))
    reg: float = field(default=0.0, metadata=_help("lambda of ||W_tau - W_prior||^2 during training"))
    reg_norm: RegNorm = field(default=RegNorm.SQUARED, metadata=_help("which norm the regularizer takes"))
    bias: float = field(default=0.0, metadata=_help("added to every toolken logit at inference"))
    prompt: str = field(default=DEFAULT_PROMPT, metadata=_help("prompt template with one {question}"))
    # a head saved before the field existed prompted in the plain template: it loads as plain
    prompt_format: PromptFormat = field(
        default=PromptFormat.PLAIN, metadata=_help("plain: the prompt template; chat: the tokenizer's chat template")
    )
    stop: list[str] = field(default_factory=lambda: ["\n"], metadata=_help("generation stops at any of these"))
    answer: AnswerKind = field(default=AnswerKind.TEXT, metadata=_help("how to read the answer off a completion"))
    direct: bool = field(default=False, metadata=_help("one-call demonstrations call as soon as the answer starts"))
    toolset: str | None = field(default=None, metadata=_help("registered tool set whose functions re-bind on load"))
    tools: list[dict] = field(default_factory=list, metadata=_help("the tool specs, in toolken order"))
    format_version: int = field(default=FORMAT_VERSION, metadata=_help("version of this file's layout"))

    def __post_init__(self) -> None:
        self.init, self.prior_source, self.answer, self.reg_norm, self.prompt_format = (
            Init(self.init),
            PriorSource(self.prior_source),
            AnswerKind(self.answer),
            RegNorm(self.reg_norm),
            PromptFormat(self.prompt_format),
        )
        check_prompt(self.prompt)
        for name in ("hidden_size", "vocab_size", "format_version"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 0:
                raise ValueError(f"{name} must be a non-negative integer")
        for name in ("reg", "bias"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, got {value!r}")
        if not isinstance(self.stop, list) or not all(isinstance(s, str) and s for s in self.stop):
            raise ValueError("stop must be a list of non-empty strings")
        if not isinstance(self.tools, list) or not all(isinstance(t, dict) for t in self.tools):
            raise ValueError("tools must be a list of tool specs (JSON objects)")
        if not isinstance(self.base_model, str) or not (self.toolset is None or isinstance(self.toolset, str)):
            raise ValueError("base_model and toolset must be text")

    def to_dict(self) -> dict:
        """The JSON form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, source: str = "config") -> ToolkenConfig:
        """Build from parsed JSON; unknown keys are dropped with a warning; bad values raise ValueError."""
        return cls(**_known_keys(cls, data, source))


@dataclass
class TrainingRecord:
    """What training chose and measured, saved beside the head as `training_record.json`."""

    arguments: dict = field(default_factory=dict, metadata=_help("TrainingArguments as run (dtype resolved)"))
    n_train_positions: int = field(default=0, metadata=_help("supervised positions trained on"))
    n_val_positions: int = field(default=0, metadata=_help("supervised positions validated on"))
    best_val_loss: float | None = field(default=None, metadata=_help("validation loss of the kept epoch"))
    bias: float | None = field(default=None, metadata=_help("logit bias chosen (or given)"))
    val_firing: dict = field(default_factory=dict, metadata=_help("recall/precision/F1 of firing on validation"))
    epochs: list[dict] = field(default_factory=list, metadata=_help("per-epoch losses and seconds"))
    reg_choice: dict | None = field(default=None, metadata=_help("lambdas tried and their validation losses"))

    def to_dict(self) -> dict:
        """The JSON form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, source: str = "training record") -> TrainingRecord:
        """Build from parsed JSON, tolerantly (see `ToolkenConfig.from_dict`)."""
        return cls(**_known_keys(cls, data, source))


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass
class TrainingArguments:
    """Settings of `train`, each with its help text (shown by `toolken train --help`)."""

    epochs: int = field(default=10, metadata=_help("passes over the cached positions; the best on validation is kept"))
    lr: float = field(default=1e-2, metadata=_help("Adam learning rate of the toolken rows"))
    lr_schedule: LrSchedule = field(
        default=LrSchedule.CONSTANT, metadata=_help("constant, or cosine (decays to 0 by the last epoch)")
    )
    batch_size: int = field(default=256, metadata=_help("cached positions per optimizer step"))
    reg: float = field(default=0.0, metadata=_help("lambda of the ||W_tau - W_prior||^2 regularizer (0 = off)"))
    reg_norm: RegNorm = field(
        default=RegNorm.SQUARED, metadata=_help("squared (mean over tools) or frobenius (TokenLearning's, unsquared)")
    )
    min_steps: int = field(
        default=400,
        metadata=_help(
            "optimizer steps at least: with few positions the batch shrinks and the epochs grow to reach them (0 = off)"
        ),
    )
    val_fraction: float = field(
        default=0.1, metadata=_help("share of the demonstrations held out to validate (without --val-data)")
    )
    seed: int = field(default=0, metadata=_help("seed of the validation split, the shuffling and random init"))
    max_length: int = field(default=1024, metadata=_help("tokens kept of each demonstration"))
    cache_batch_tokens: int = field(default=4096, metadata=_help("tokens per batch of the one pass over the LM"))
    bias: float | str = field(
        default="auto",
        metadata=_help(
            "inference toolken logit bias; 'auto' chooses it on validation (the middle of the best), 'eager' the "
            "highest within 0.01 of the best balanced accuracy that keeps 95 percent of the no-tool answers free "
            "of calls: for validation synthesized like the training data, where calls are easier to spot than in "
            "people's questions (the default with --synth)"
        ),
    )
    balance_tools: bool = field(
        default=False,
        metadata=_help("weigh every tool's calls alike in the loss (for data with many demos of some tools)"),
    )
    copy_gate: bool = field(
        default=True,
        metadata=_help(
            "choose the bias as copied arguments decide (the default of generation): a tool whose required "
            "numbers or names a validation question lacks cannot fire on it"
        ),
    )
    cache_dtype: str = field(
        default="auto",
        metadata=_help("precision of the one pass over the LM: auto (bfloat16 where native, else float32)"),
    )

    def __post_init__(self) -> None:
        self.reg_norm = RegNorm(self.reg_norm)
        self.lr_schedule = LrSchedule(self.lr_schedule)
        if isinstance(self.min_steps, bool) or not isinstance(self.min_steps, int) or self.min_steps < 0:
            raise ValueError(f"min_steps must be a whole number of at least 0, got {self.min_steps!r}")
        for name in ("epochs", "batch_size", "max_length", "cache_batch_tokens"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive whole number, got {value!r}")
        if not _finite(self.lr) or self.lr <= 0:
            raise ValueError(f"lr must be a finite number above 0, got {self.lr!r}")
        if not _finite(self.reg) or self.reg < 0:
            raise ValueError(f"reg must be a finite number of at least 0, got {self.reg!r}")
        if not 0.0 <= self.val_fraction < 1.0:
            raise ValueError(f"val_fraction must be in [0, 1), got {self.val_fraction!r}")
        if self.bias not in BIAS_CHOICES and not _finite(self.bias):
            raise ValueError(f"bias must be 'auto', 'eager' or a finite number, got {self.bias!r}")


def _known_keys(cls: type, data: Any, source: str) -> dict:
    if not isinstance(data, dict):
        raise ValueError(f"{source} must be a JSON object")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        warnings.warn(f"{source}: ignoring unknown keys {unknown} (written by a newer toolken?)", stacklevel=3)
    return {k: v for k, v in data.items() if k in known}

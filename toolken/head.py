"""The toolken head: W_tau, one row per tool, beside the frozen LM's word head, and the adapter
(`ToolkenModel`) that ties backbone, tools and head together with a PEFT-like
`save_pretrained` / `from_pretrained` (safetensors + JSON, never pickle)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load
from torch import nn

from . import atomic
from .backbone import load_backbone, resolve_device
from .config import (
    CONFIG_NAME,
    DEFAULT_MODEL,
    DEFAULT_PROMPT,
    DEFAULT_PROMPT_FORMAT,
    FORMAT_VERSION,
    Init,
    PriorSource,
    PromptFormat,
    RegNorm,
    ToolkenConfig,
    TrainingRecord,
)
from .lower_case import cased_names
from .number_words import with_digits
from .priors import CENTRED_INITS, compute_priors, output_embeddings
from .prompting import answer_label, render_messages, render_question, resolve_format, stop_texts
from .tools import Tool, check_unique
from .toolsets import Toolset, get_toolset
from .vocabulary import stored

if TYPE_CHECKING:  # importing them at run time loads transformers (0.5 s; its model classes ~2 s)
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

WEIGHTS_NAME = "toolken_head.safetensors"
RECORD_NAME = "training_record.json"


class HeadLoadError(RuntimeError):
    """A saved head that is missing, corrupt, or made for another backbone."""


class ToolkenHead(nn.Module):
    """W_tau (|T| x d) and the prior it is regularized toward; logits = W_tau h (+ bias at inference)."""

    def __init__(self, weight: torch.Tensor, prior: torch.Tensor) -> None:
        super().__init__()
        self.weight = nn.Parameter(weight.float().clone())
        self.register_buffer("prior", prior.float().clone())

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        """Toolken logits for hidden states `h` (..., d) -> (..., |T|)."""
        return h.to(self.weight.dtype) @ self.weight.T

    def regularizer(self, norm: RegNorm | str = RegNorm.SQUARED) -> torch.Tensor:
        """Mean over tools of ||W_tau[i] - W_prior[i]||^2, or (`frobenius`, TokenLearning's) the
        unsquared ||W_tau - W_prior|| over the whole matrix."""
        diff = self.weight - self.prior
        if RegNorm(norm) == RegNorm.FROBENIUS:
            return diff.norm()
        return diff.pow(2).sum(-1).mean()


def tokenizer_fingerprint(tokenizer: PreTrainedTokenizerBase) -> str:
    """A short hash of the vocabulary, to refuse a head trained for another tokenizer (stored with the
    tokenizer's tables: `vocabulary`)."""
    return stored(tokenizer, "fingerprint", partial(_fingerprint, tokenizer), json.dumps, _read_fingerprint)


def _fingerprint(tokenizer: PreTrainedTokenizerBase) -> str:
    vocab = sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])
    return hashlib.sha256(json.dumps(vocab, ensure_ascii=False).encode()).hexdigest()[:16]


def _read_fingerprint(text: str) -> str:
    """A stored fingerprint; ValueError unless it is 16 hexadecimal digits."""
    found = json.loads(text)
    if not isinstance(found, str) or len(found) != 16 or set(found) - set("0123456789abcdef"):
        raise ValueError("not a tokenizer fingerprint")
    return found


class ToolkenModel:
    """A frozen causal LM plus tools as toolkens. Build with `ToolkenModel.create` or load with
    `ToolkenModel.from_pretrained`; train with `toolken.training.train`; answer with
    `toolken.generation.generate`."""

    def __init__(
        self,
        lm: PreTrainedModel,
        tokenizer: PreTrainedTokenizerBase,
        tools: Sequence[Tool],
        head: ToolkenHead,
        config: ToolkenConfig,
    ) -> None:
        check_unique(tools)
        if head.weight.shape != (len(tools), lm.config.hidden_size):
            raise ValueError(f"head shape {tuple(head.weight.shape)} does not fit {len(tools)} tools")
        head.to(lm.device)  # the head follows the backbone: toolken logits are computed beside the word ones
        self.lm, self.tokenizer, self.tools, self.head, self.config = lm, tokenizer, list(tools), head, config
        self.training: TrainingRecord | None = None  # what training chose and measured, if trained

    @property
    def device(self) -> torch.device:
        """The backbone's device, which the head and every tensor of training and inference follow."""
        return self.lm.device

    def to(self, device: str | torch.device) -> ToolkenModel:
        """Move the backbone and the head to `device` (a name as `toolken.backbone.resolve_device` takes)."""
        target = resolve_device(device)
        self.lm.to(target)
        self.head.to(target)
        return self

    @property
    def vocab_size(self) -> int:
        """Number of word logits (rows of W_vocab)."""
        return output_embeddings(self.lm).shape[0]

    def lm_and_tokenizer(self) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
        """The frozen backbone, to share it with another head."""
        return self.lm, self.tokenizer

    @property
    def context_size(self) -> int:
        """Tokens the backbone reads at most (its position limit)."""
        return int(getattr(self.lm.config, "max_position_embeddings", None) or 2048)

    def prompt_text(self, question: str) -> str:
        """The text the model continues to answer `question`, in the head's prompt format."""
        return render_question(self.config, self.tokenizer, question)

    def messages_text(self, messages: list[dict]) -> str:
        """The text the model continues to answer an OpenAI-style conversation (`toolken.prompting`)."""
        return render_messages(self.config, self.tokenizer, messages)

    def copy_text(self, ids: list[int], prompt_len: int) -> str:
        """What a row's tool arguments may copy from: its text (`ids` decoded, the first `prompt_len`
        the prompt) less the prompt format's own words around the question ("Q:", "A:", a chat
        template's system turn), whose names and numbers the user never wrote; numbers spelled over
        several words in digits (`number_words.with_digits`), names of a question in lower case
        capitalised (`lower_case.cased_names`)."""
        decode = partial(self.tokenizer.decode, skip_special_tokens=True)
        prompt, since = decode(ids[:prompt_len]), decode(ids[prompt_len:])
        opening, closing = (decode(self.tokenizer(t).input_ids) for t in self.prompt_text("\x00").split("\x00"))
        if prompt.startswith(opening) and prompt.endswith(closing) and len(opening) + len(closing) <= len(prompt):
            prompt = prompt[len(opening) : len(prompt) - len(closing)]
        # "two and a half hours" read as "2.5 hours"; "from millbrook" as "from Millbrook" where nothing is capitalised
        return with_digits(f"{cased_names(prompt)}\n{since}")

    @property
    def answer_label(self) -> str:
        """The label the prompt ends with before the answer ("A:"), which the answer must not repeat."""
        return answer_label(self.config, self.tokenizer)

    @property
    def stop(self) -> list[str]:
        """Where an answer ends: the head's stop strings, and under `chat` the template's end of turn."""
        return stop_texts(self.config, self.tokenizer)

    @property
    def tool_names(self) -> list[str]:
        """Tool names in toolken order."""
        return [t.name for t in self.tools]

    @classmethod
    def create(
        cls,
        tools: Sequence[Tool] | Toolset | str,
        model: str | os.PathLike | None = None,
        init: Init | str = Init.CENTERED_NAME,
        prior_source: PriorSource | str = PriorSource.WORDROWS,
        seed: int = 0,
        backbone: tuple[PreTrainedModel, PreTrainedTokenizerBase] | None = None,
        dtype: str | None = None,
        device: str | torch.device | None = None,
        prompt_format: PromptFormat | str | None = None,
    ) -> ToolkenModel:
        """Attach `tools` (a list, a `Toolset`, or a built-in set's name) to a frozen LM, initialising
        the toolkens with `init` (`toolken.config.Init`). Pass `backbone` to reuse a loaded LM; else it
        loads in `dtype` on `device` (see `load_backbone`). `prompt_format` (default
        `DEFAULT_PROMPT_FORMAT`): `chat` prompts through the tokenizer's chat template, falling back to
        `plain` (the prompt template) if it has none."""
        toolset = get_toolset(tools) if isinstance(tools, str) else tools
        tool_list = list(toolset.tools) if isinstance(toolset, Toolset) else list(tools)
        lm, tokenizer = backbone or load_backbone(model, dtype, device)
        prompt = toolset.prompt if isinstance(toolset, Toolset) else DEFAULT_PROMPT
        weight, prior = compute_priors(
            lm, tokenizer, tool_list, init, prior_source, torch.Generator().manual_seed(seed), prompt
        )
        config = ToolkenConfig(
            base_model=str(model or DEFAULT_MODEL),
            hidden_size=lm.config.hidden_size,
            vocab_size=output_embeddings(lm).shape[0],
            tokenizer_fingerprint=tokenizer_fingerprint(tokenizer),
            init=init,
            prior_source=prior_source,
            prompt_format=resolve_format(prompt_format or DEFAULT_PROMPT_FORMAT, tokenizer, prompt_format is not None),
        )
        if isinstance(toolset, Toolset):
            config.prompt, config.stop = toolset.prompt, list(toolset.stop)
            config.answer, config.direct = toolset.answer, toolset.direct
            config.toolset = toolset.name if isinstance(tools, str) else None
        return cls(lm, tokenizer, tool_list, ToolkenHead(weight, prior), config)

    def add_tools(self, tools: Sequence[Tool], init: str | None = None) -> None:
        """Append new toolkens, initialised from their prior; trained rows stay as they are. Centred
        priors are centred on the whole tool set, old tools and new."""
        check_unique(self.tools + list(tools))
        if not tools:
            return
        init = init or self.config.init
        whole = init in CENTRED_INITS  # the shared direction is the whole set's, not the newcomers'
        weight, prior = compute_priors(
            self.lm,
            self.tokenizer,
            self.tools + list(tools) if whole else tools,
            init,
            self.config.prior_source,
            prompt=self.config.prompt,
        )
        weight, prior = weight[-len(tools) :], prior[-len(tools) :]
        at = self.head.weight.device
        new = ToolkenHead(torch.cat([self.head.weight.data, weight.to(at)]), torch.cat([self.head.prior, prior.to(at)]))
        self.head = new.to(at)
        self.tools.extend(tools)

    def bind(self, functions: dict[str, Callable[..., Any]]) -> None:
        """Attach callables to tools by name (for tools loaded from JSON)."""
        known = set(self.tool_names)
        for name in functions:
            if name not in known:
                raise KeyError(f"no tool named {name!r} in this head")
        for tool in self.tools:
            if tool.name in functions:
                tool.function = functions[tool.name]

    def save_pretrained(self, directory: str | os.PathLike) -> None:
        """Write the head to `directory` as one unit: weights, config and training record, written in
        full before any replaces its old version (`atomic.write_files`), the config last and holding
        the hashes of the other two, so a save interrupted between the renames is refused on load
        instead of mixing two runs (and a kill while writing leaves the previous save whole)."""
        directory = Path(directory)
        self.config.tools = [t.to_dict() for t in self.tools]
        weights = atomic.safetensors_bytes(
            {"weight": self.head.weight.data, "prior": self.head.prior},
            metadata={"format": "toolken", "n_tools": str(len(self.tools))},
        )
        record = atomic.json_bytes(self.training.to_dict() if self.training else {})
        manifest = {WEIGHTS_NAME: _sha256(weights), RECORD_NAME: _sha256(record)}
        config = atomic.json_bytes({**self.config.to_dict(), "files": manifest})
        atomic.write_files(
            {directory / WEIGHTS_NAME: weights, directory / RECORD_NAME: record, directory / CONFIG_NAME: config}
        )

    @classmethod
    def from_pretrained(
        cls,
        directory: str | os.PathLike,
        model: str | os.PathLike | None = None,
        functions: dict[str, Callable[..., Any]] | None = None,
        backbone: tuple[PreTrainedModel, PreTrainedTokenizerBase] | None = None,
        dtype: str | None = None,
        device: str | torch.device | None = None,
    ) -> ToolkenModel:
        """Load a saved head onto its backbone (or `model`, which must match it), loaded in `dtype` on
        `device` unless `backbone` is given. Tools of a registered tool set get their functions back;
        other tools take theirs from `functions`."""
        config, tensors, record = read_head(directory)
        lm, tokenizer = backbone or load_backbone(model if model is not None else config.base_model, dtype, device)
        check_compatible(config, lm, tokenizer, directory)
        config.prompt_format = resolve_format(config.prompt_format, tokenizer)  # chat without a template: plain
        builtin = {t.name: t.function for t in get_toolset(config.toolset).tools} if config.toolset else {}
        try:
            tools = [Tool.from_dict(spec, builtin.get(spec.get("name"))) for spec in config.tools]
            out = cls(lm, tokenizer, tools, ToolkenHead(tensors["weight"], tensors["prior"]), config)
        except (ValueError, KeyError, TypeError) as e:
            raise HeadLoadError(f"{Path(directory) / CONFIG_NAME}: bad tool spec: {e}") from None
        out.training = record
        if functions:
            out.bind(functions)
        return out


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_checked(directory: Path, name: str, manifest: dict) -> bytes:
    """The bytes of `name`, refused if they are not the ones the config was saved with."""
    path = directory / name
    try:
        data = path.read_bytes()
    except OSError as e:
        raise HeadLoadError(f"{directory} is not a toolken head: cannot read {name}: {e.strerror}") from None
    expected = manifest.get(name)
    if expected is not None and _sha256(data) != expected:
        raise HeadLoadError(f"{path} does not match {CONFIG_NAME} (an interrupted or concurrent save?): retrain")
    return data


def read_head(directory: str | os.PathLike) -> tuple[ToolkenConfig, dict[str, torch.Tensor], TrainingRecord | None]:
    """Read and check a saved head's config, tensors and training record; `HeadLoadError` if bad."""
    directory = Path(directory)
    cfg_path = directory / CONFIG_NAME
    if not cfg_path.is_file() or not (directory / WEIGHTS_NAME).is_file():
        raise HeadLoadError(f"{directory} is not a toolken head: {CONFIG_NAME} or {WEIGHTS_NAME} is missing")
    try:
        raw = json.loads(cfg_path.read_text(encoding="utf-8"))
        manifest = raw.pop("files", {}) if isinstance(raw, dict) else {}
        if not isinstance(manifest, dict):
            raise ValueError("'files' must be an object")
        config = ToolkenConfig.from_dict(raw, str(cfg_path))
    except (ValueError, TypeError, RecursionError, UnicodeDecodeError) as e:
        raise HeadLoadError(f"{cfg_path} is corrupt: {e}") from None
    if config.format_version != FORMAT_VERSION:
        raise HeadLoadError(f"{cfg_path}: format version {config.format_version}, expected {FORMAT_VERSION}")
    weights = _read_checked(directory, WEIGHTS_NAME, manifest)
    try:
        tensors = load(weights)
    except (SafetensorError, ValueError) as e:
        raise HeadLoadError(f"{directory / WEIGHTS_NAME} is corrupt or truncated: {e}") from None
    _check_tensors(tensors, (len(config.tools), config.hidden_size), directory / WEIGHTS_NAME)
    record = None
    if (directory / RECORD_NAME).is_file():
        try:
            data = json.loads(_read_checked(directory, RECORD_NAME, manifest) or b"{}")
            record = None if data == {} else TrainingRecord.from_dict(data)  # an untrained head saves {}
        except (ValueError, TypeError, RecursionError) as e:
            raise HeadLoadError(f"{directory / RECORD_NAME} is corrupt: {e}") from None
    return config, tensors, record


def _check_tensors(tensors: dict[str, torch.Tensor], expected: tuple[int, int], path: Path) -> None:
    for key in ("weight", "prior"):
        if key not in tensors or tuple(tensors[key].shape) != expected:
            raise HeadLoadError(f"{path}: tensor {key!r} missing or not of shape {expected}")
        if not torch.isfinite(tensors[key]).all():
            raise HeadLoadError(f"{path}: tensor {key!r} holds NaN or infinite values")


def check_compatible(
    config: ToolkenConfig, lm: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, where: Any = "head"
) -> None:
    """Refuse a head made for a backbone with another hidden size, vocabulary or tokenizer."""
    if lm.config.hidden_size != config.hidden_size:
        raise HeadLoadError(
            f"{where} was trained for hidden size {config.hidden_size}, this backbone has {lm.config.hidden_size}"
        )
    if (
        output_embeddings(lm).shape[0] != config.vocab_size
        or tokenizer_fingerprint(tokenizer) != config.tokenizer_fingerprint
    ):
        raise HeadLoadError(f"{where} was trained with another tokenizer/vocabulary than this backbone's")

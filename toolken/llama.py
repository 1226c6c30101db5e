"""A Llama-family decoder in plain torch, read straight from a Hugging Face folder's safetensors.

Why it exists: a transformers model class imports the library's whole modeling stack (its loss code
pulls in scipy, its weight conversion `torch.distributed` and dynamo), about 2 s before a weight is
read, more than `toolken run` may take to start. This computes what transformers' `LlamaModel`
computes with the same operations and attention kernels (the tests compare the two), for the
configurations in `supports`; any other architecture or option loads through transformers. It keeps
transformers' parameter names, a cache with `DynamicCache`'s API (`toolken.kv_cache`; a `DynamicCache`
works too) and the calls toolken makes (`base_model(...)` with `last_hidden_state` and `cache`,
`get_output_embeddings`, `config`, `device`, `dtype`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from torch import nn

from .kv_cache import KVCache

# transformers' LlamaConfig defaults for keys a config.json may leave out
_DEFAULTS = {
    "hidden_act": "silu",
    "rms_norm_eps": 1e-6,
    "max_position_embeddings": 2048,
    "tie_word_embeddings": False,
    "attention_bias": False,
    "mlp_bias": False,
    "pretraining_tp": 1,
}


class LlamaConfig(SimpleNamespace):
    """A Llama config.json's fields, with transformers' defaults, as attributes (transformers' own
    class costs half a second to import: its validators import the modeling stack)."""

    @classmethod
    def from_folder(cls, folder: Path) -> LlamaConfig:
        """The config of the model in `folder`."""
        raw = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        config = cls(**{**_DEFAULTS, **raw})
        config.num_key_value_heads = getattr(config, "num_key_value_heads", None) or config.num_attention_heads
        config.head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
        rope = getattr(config, "rope_parameters", None) or {}  # older configs: rope_theta beside rope_scaling
        config.rope_theta = rope.get("rope_theta", getattr(config, "rope_theta", 10000.0))
        scaling = rope or getattr(config, "rope_scaling", None) or {}
        config.rope_type = scaling.get("rope_type", scaling.get("type", "default"))
        return config

    def get_text_config(self) -> LlamaConfig:
        return self

    def to_json_string(self) -> str:
        return json.dumps(vars(self), indent=2, sort_keys=True)


def supports(folder: Path) -> bool:
    """Whether the model in `folder` is a Llama whose every option this decoder computes as
    transformers does."""
    try:
        config = LlamaConfig.from_folder(folder)
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return False  # transformers says what is wrong with it
    return (
        getattr(config, "model_type", None) == "llama"
        and config.hidden_act == "silu"
        and config.rope_type == "default"
        and config.pretraining_tp == 1
        and getattr(config, "quantization_config", None) is None
    )


def _unset(*shape: int) -> nn.Parameter:
    # no storage and no random init: the checkpoint's tensors replace it (a "meta" init imports dynamo)
    return nn.Parameter(torch.empty(shape, device="meta"))


NARROW_ROWS = 4  # rows up to which `linear` takes W x^T on the CPU (`benchmarks/word_logits.py`)


def linear(
    x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, narrow: int | None = None
) -> torch.Tensor:
    """x W^T (+ b). On the CPU in float32, for at most `narrow` rows of x (a decoding step, a token and
    its drafts), computed as W times x's transpose: BLAS's kernel for `F.linear` of a few rows runs
    2-5x slower on some CPUs (this project's AMD EPYC), the large-matrix-first product at the speed
    of reading W. Equal to `F.linear` up to float rounding (the sums are taken in another order)."""
    rows, narrow = x.numel() // x.shape[-1], NARROW_ROWS if narrow is None else narrow
    if x.device.type != "cpu" or weight.dtype != torch.float32 or rows > narrow or rows == 0:
        return F.linear(x, weight, bias)
    flat = x.reshape(rows, x.shape[-1])
    if rows == 1:
        flat = torch.cat([flat, flat])  # a single row would take the slower matrix-vector kernel
    out = (weight @ flat.T).T[:rows].contiguous()  # contiguous: callers mask and view it in place
    if bias is not None:
        out += bias
    return out.view(*x.shape[:-1], weight.shape[0])


class Linear(nn.Module):
    """x W^T (+ b), as `nn.Linear` computes it (through `linear`), its weights set only by loading."""

    def __init__(self, n_in: int, n_out: int, bias: bool = False) -> None:
        super().__init__()
        self.weight, self.bias = _unset(n_out, n_in), _unset(n_out) if bias else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return linear(x, self.weight, self.bias)


class Embedding(nn.Module):
    """A row of `weight` per token id, as `nn.Embedding` looks it up, its weights set only by loading."""

    def __init__(self, n: int, size: int) -> None:
        super().__init__()
        self.weight = _unset(n, size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return F.embedding(ids, self.weight)


class RMSNorm(nn.Module):
    """x / rms(x) * weight, the mean taken in float32 whatever the weights' dtype."""

    def __init__(self, size: int, eps: float) -> None:
        super().__init__()
        self.weight, self.eps = _unset(size), eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.to(torch.float32)
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * h.to(x.dtype)


def _rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    """Grouped-query self-attention with rotary positions, through torch's SDPA kernels."""

    def __init__(self, config: LlamaConfig, index: int) -> None:
        super().__init__()
        self.index, self.heads, self.kv_heads = index, config.num_attention_heads, config.num_key_value_heads
        self.head_dim = config.head_dim
        size, bias = config.hidden_size, config.attention_bias
        self.q_proj = Linear(size, self.heads * self.head_dim, bias=bias)
        self.k_proj = Linear(size, self.kv_heads * self.head_dim, bias=bias)
        self.v_proj = Linear(size, self.kv_heads * self.head_dim, bias=bias)
        self.o_proj = Linear(self.heads * self.head_dim, size, bias=bias)

    def forward(
        self, x: torch.Tensor, rope: tuple[torch.Tensor, torch.Tensor], mask: torch.Tensor | None, cache: Any
    ) -> torch.Tensor:
        b, n, _ = x.shape
        q, k, v = (p(x).view(b, n, -1, self.head_dim).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        cos, sin = rope
        q, k = q * cos + _rotate_half(q) * sin, k * cos + _rotate_half(k) * sin
        if cache is not None:
            k, v = cache.update(k, v, self.index)
        return self.o_proj(_attend(q, k, v, mask, self.heads // self.kv_heads).reshape(b, n, -1))


def _attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None, groups: int) -> torch.Tensor:
    """SDPA with the kernels transformers chooses, but for one case: one query's heads folded onto their
    key-value heads where a mask is given; else SDPA's own grouped-query attention (transformers
    repeats the keys and values when a mask is given: the same numbers, a copy of the cache per step
    of several tokens); keys and values repeated per query head where the head is too wide for it."""
    b, heads, n, d = q.shape
    extra = {}
    if groups > 1 and n == 1 and (mask is not None or d > 256):
        q = q.reshape(b, heads // groups, groups, d)
    elif groups > 1 and d <= 256:
        extra["enable_gqa"] = True
    elif groups > 1:
        k, v = (t.repeat_interleave(groups, dim=1) for t in (k, v))
    out = F.scaled_dot_product_attention(
        q, k, v, attn_mask=mask, scale=d**-0.5, is_causal=mask is None and n > 1, **extra
    )
    return out.reshape(b, heads, n, d).transpose(1, 2).contiguous()


class MLP(nn.Module):
    """down(silu(gate(x)) * up(x))."""

    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        size, inner, bias = config.hidden_size, config.intermediate_size, config.mlp_bias
        self.gate_proj, self.up_proj = Linear(size, inner, bias=bias), Linear(size, inner, bias=bias)
        self.down_proj = Linear(inner, size, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    """One pre-norm decoder block: attention, then the MLP, each added to the residual stream."""

    def __init__(self, config: LlamaConfig, index: int) -> None:
        super().__init__()
        self.self_attn, self.mlp = Attention(config, index), MLP(config)
        self.input_layernorm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.post_attention_layernorm = RMSNorm(config.hidden_size, config.rms_norm_eps)

    def forward(
        self, x: torch.Tensor, rope: tuple[torch.Tensor, torch.Tensor], mask: torch.Tensor | None, cache: Any
    ) -> torch.Tensor:
        x = x + self.self_attn(self.input_layernorm(x), rope, mask, cache)
        return x + self.mlp(self.post_attention_layernorm(x))


@dataclass
class BaseOutput:
    """What toolken reads of a backbone pass: the final normed hidden states and the KV cache."""

    last_hidden_state: torch.Tensor
    cache: Any


@dataclass
class CausalOutput:
    """The word logits at every position and the KV cache."""

    logits: torch.Tensor
    cache: Any


class LlamaBase(nn.Module):
    """The decoder stack without the output head (transformers' `LlamaModel`)."""

    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        self.embed_tokens = Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(Layer(config, i) for i in range(config.num_hidden_layers))
        self.norm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        dim, theta = config.head_dim, config.rope_theta
        inv_freq = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.float) / dim))
        # a buffer, so `.to(dtype)` rounds it as transformers' is rounded: the same bfloat16 states
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        position_ids: torch.Tensor | None = None,
        cache: Any = None,
        use_cache: bool = False,
    ) -> BaseOutput:
        """Hidden states of `input_ids` (batch x new tokens) after what `cache` holds; `attention_mask`
        (batch x all columns, 1 for a real token) and `position_ids` (batch x new) as transformers takes them."""
        cache = cache if cache is not None or not use_cache else KVCache()
        past = cache.get_seq_length() if cache is not None else 0
        n = input_ids.shape[1]
        if position_ids is None:
            position_ids = torch.arange(past, past + n, device=input_ids.device)[None]
        x = self.embed_tokens(input_ids)
        freqs = position_ids[..., None].float() * self.inv_freq.float()
        angles = torch.cat((freqs, freqs), dim=-1)
        rope = angles.cos().to(x.dtype).unsqueeze(1), angles.sin().to(x.dtype).unsqueeze(1)  # over the heads
        mask = _causal_mask(attention_mask, n, past, x.device)
        for layer in self.layers:
            x = layer(x, rope, mask, cache)
        return BaseOutput(self.norm(x), cache)


def _causal_mask(padding: torch.Tensor | None, n: int, past: int, device: torch.device) -> torch.Tensor | None:
    """None where SDPA's causal flag says it all (no padding, and one new token or no past), else a
    boolean batch x 1 x new x all mask: a real column at or before the token's own."""
    if padding is None or bool(padding.all()):
        if n == 1 or past == 0:
            return None
        padding = torch.ones((1, past + n), dtype=torch.bool, device=device)
    columns = torch.arange(past + n, device=device)
    causal = columns[None, :] <= (columns[past:, None])
    return padding.bool()[:, None, None, :] & causal[None, None]


class LlamaLM(nn.Module):
    """A frozen Llama causal LM: `model` (the stack) and `lm_head`, tied to the embeddings when the
    config says so."""

    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        self.config, self.model = config, LlamaBase(config)
        self.lm_head = Linear(config.hidden_size, config.vocab_size, bias=False)
        if config.tie_word_embeddings:
            self.lm_head.weight = self.model.embed_tokens.weight

    def forward(self, input_ids: torch.Tensor, **kwargs: object) -> CausalOutput:
        """Next-token logits at every position (`kwargs` as `LlamaBase.forward` takes them)."""
        out = self.model(input_ids, **kwargs)
        return CausalOutput(self.lm_head(out.last_hidden_state), out.cache)

    @property
    def base_model(self) -> LlamaBase:
        return self.model

    def get_output_embeddings(self) -> Linear:
        return self.lm_head

    @property
    def device(self) -> torch.device:
        return self.lm_head.weight.device

    @property
    def dtype(self) -> torch.dtype:
        return self.lm_head.weight.dtype

    @classmethod
    def from_folder(cls, folder: Path, dtype: torch.dtype) -> LlamaLM:
        """The model saved in `folder` (`model.safetensors`, or shards listed in its index), in `dtype`."""
        config = LlamaConfig.from_folder(folder)
        lm = cls(config)
        state = {}
        for name in _weight_files(folder):
            state.update(load_file(folder / name))
        tied = config.tie_word_embeddings
        # old checkpoints also saved the rotary frequencies, which are computed here
        state = {k: v.to(dtype) for k, v in state.items() if not k.endswith("rotary_emb.inv_freq")}
        if tied:
            state.pop("lm_head.weight", None)
        missing, unexpected = lm.load_state_dict(state, strict=False, assign=True)
        missing = sorted(set(missing) - ({"lm_head.weight"} if tied else set()))
        if missing or unexpected:
            raise ValueError(
                f"{folder}: weights do not fit a Llama of its config "
                f"(missing {missing[:3]}, unexpected {sorted(unexpected)[:3]})"
            )
        if tied:
            lm.lm_head.weight = lm.model.embed_tokens.weight
        lm.name_or_path = str(folder)  # where it came from, as transformers' models say
        return lm


def _weight_files(folder: Path) -> list[str]:
    """The safetensors files of `folder`'s weights; an index naming a file outside it is refused."""
    index = folder / "model.safetensors.index.json"
    if not index.is_file():
        return ["model.safetensors"]
    names = sorted(set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()))
    for name in names:
        if not (folder / name).resolve().is_relative_to(folder.resolve()):
            raise ValueError(f"{index}: the shard {name!r} lies outside the model's folder")
    return names

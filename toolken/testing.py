"""A tiny randomly initialised Llama (or Gemma 3) with a small BPE tokenizer trained on the fly (no
download), saved as a local Hugging Face folder: the backbone of the tests and of benchmarks/robustness.py."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import (
    AutoModelForCausalLM,
    Gemma3TextConfig,
    LlamaConfig,
    PretrainedConfig,
    PreTrainedTokenizerFast,
)

from .backbone import build_cache_once
from .tools import Tool

CORPUS = Path(__file__).with_name("testing_corpus.txt")  # plain English written for the tests


def _corpus() -> list[str]:
    return CORPUS.read_text(encoding="utf-8").splitlines() + [
        "Question: Answer: Call: Tool ( ) [ ] < > { } \" ' = , . : 0 1 2 3 4 5 6 7 8 9"
    ]


def _tiny_tokenizer(vocab: int, bos: bool) -> PreTrainedTokenizerFast:
    """A byte-level BPE trained on the test corpus; with `bos`, every text starts with <bos> (as Gemma's)."""
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<eos>", "<bos>", "<pad>"] if bos else ["<eos>"]
    trainer = trainers.BpeTrainer(
        vocab_size=vocab, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(_corpus(), trainer)
    if not bos:
        return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<eos>", pad_token="<eos>")
    bos_id = tok.token_to_id("<bos>")
    tok.post_processor = processors.TemplateProcessing(
        single="<bos> $A", pair="<bos> $A $B", special_tokens=[("<bos>", bos_id)]
    )
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<bos>", eos_token="<eos>", pad_token="<pad>")


def _tiny_config(arch: str, fast: PreTrainedTokenizerFast, hidden: int) -> PretrainedConfig:
    """A 2-layer config of `arch`: "llama" (as SmolLM2), or "gemma3" (scaled input embeddings, one
    sliding-window layer with a window of 16 tokens, <bos> first, `soft-capped` final logits)."""
    shared = dict(
        vocab_size=len(fast),
        hidden_size=hidden,
        intermediate_size=2 * hidden,
        num_hidden_layers=2,
        num_attention_heads=4,
        max_position_embeddings=8192,  # as both real models: the few-shot prompts of the baselines are long
        eos_token_id=fast.eos_token_id,
        pad_token_id=fast.pad_token_id,
        bos_token_id=fast.bos_token_id,
        tie_word_embeddings=True,
    )
    if arch == "llama":
        return LlamaConfig(num_key_value_heads=2, **shared)
    if arch.startswith("gemma3"):
        return Gemma3TextConfig(
            num_key_value_heads=1,
            head_dim=hidden // 4,
            query_pre_attn_scalar=hidden // 4,
            sliding_window=16,
            layer_types=["sliding_attention", "full_attention"],
            final_logit_softcapping=30.0 if arch == "gemma3-softcap" else None,
            **shared,
        )
    raise ValueError(f"unknown tiny architecture {arch!r}; choose from {', '.join(TINY_ARCHS)}")


TINY_ARCHS = ("llama", "gemma3", "gemma3-softcap")


def make_tiny_model(folder: Path, hidden: int = 32, vocab: int = 600, seed: int = 0, arch: str = "llama") -> Path:
    """Write a tiny random causal LM of `arch` (see `_tiny_config`) + byte-level BPE tokenizer to
    `folder` and return it."""
    fast = _tiny_tokenizer(vocab, bos=arch != "llama")
    config = _tiny_config(arch, fast, hidden)
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(config)
    model.save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder


def _echo(**kwargs):
    return kwargs


def typed_echo_tool(name: str = "typed") -> Tool:
    """A tool with a strict schema of many JSON types that returns its arguments: a fuzzing target."""
    schema = {
        "type": "object",
        "properties": {
            "s": {"type": "string"},
            "n": {"type": "integer", "minimum": 0},
            "flag": {"type": "boolean"},
            "items": {"type": "array", "items": {"type": "number"}},
            "mode": {"enum": ["a", "b"]},
            "opt": {"type": ["string", "null"]},
        },
        "required": ["s"],
        "additionalProperties": False,
    }
    return Tool(name, "Echo typed arguments.", schema, _echo)


def fake_cache_build(out: Path) -> str:
    """A stand-in for building the default model's cache: logs the build, takes half a second."""
    with open(out.parent / "builds.log", "a") as f:
        f.write(f"{os.getpid()}\n")
    time.sleep(0.5)  # long enough for the other process to arrive mid-build
    (out / "model.safetensors").write_bytes(b"w" * 1000)
    (out / "config.json").write_text("{}")
    return "fake"


def _build_in_child(folder: str, results) -> None:  # noqa: ANN001 - a multiprocessing queue
    try:
        results.put(str(build_cache_once(Path(folder), fake_cache_build)))
    except BaseException as e:  # noqa: BLE001 - reported to the caller
        results.put(f"error: {type(e).__name__}: {e}")


def race_cache_build(folder: Path, processes: int = 2) -> tuple[list[str], list[int | None], int]:
    """Build a stand-in model cache at `folder` from `processes` processes at once (as two first uses
    of the default model would). Returns what each reported, their exit codes and how many builds ran."""
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    results = ctx.Queue()
    procs = [ctx.Process(target=_build_in_child, args=(str(folder), results)) for _ in range(processes)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(60)
    return outcomes, [p.exitcode for p in procs], len((folder.parent / "builds.log").read_text().split())

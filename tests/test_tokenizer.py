"""`toolken.tokenizer`: a folder's `tokenizer.json` read without transformers gives what transformers'
own tokenizer of the folder gives, for every call toolken makes; folders it cannot read so go to
transformers; and `toolken run` on such a folder answers without importing transformers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from transformers.tokenization_utils_tokenizers import TokenizersBackend

from toolken.backbone import load_backbone
from toolken.testing import make_tiny_model
from toolken.tokenizer import FastTokenizer, plain_tokenizer

TEXTS = [
    "What is 2 plus 3?",
    "  leading spaces and trailing ",
    'Call: add({"numbers": [1, 2.5]}) = 3.5\n',
    "café, naïve — 東京 🙂",
    "ends with the end token<eos>",
    "",
]


def _pair(folder: Path) -> tuple[FastTokenizer, TokenizersBackend]:
    ours = plain_tokenizer(folder)
    assert isinstance(ours, FastTokenizer)
    return ours, TokenizersBackend.from_pretrained(folder)


@pytest.fixture(scope="module", params=["llama", "gemma3"])
def tiny_folder(request, tmp_path_factory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp(request.param), arch=request.param)


def test_encodes_and_decodes_as_transformers(tiny_folder):
    ours, theirs = _pair(tiny_folder)
    for special in (True, False):
        for split in (True, False):
            kw = dict(add_special_tokens=special, split_special_tokens=split)
            assert [ours(t, **kw).input_ids for t in TEXTS] == [theirs(t, **kw).input_ids for t in TEXTS]
    ids = [theirs(t).input_ids for t in TEXTS]
    for skip in (True, False):
        assert [ours.decode(i, skip_special_tokens=skip) for i in ids] == [
            theirs.decode(i, skip_special_tokens=skip) for i in ids
        ]
        assert ours.batch_decode(ids, skip_special_tokens=skip) == theirs.batch_decode(ids, skip_special_tokens=skip)
    assert ours.decode(ids[0][0]) == theirs.decode(ids[0][0])
    for side in ("left", "right"):
        mine, reference = ours(TEXTS, padding=True, padding_side=side), theirs(TEXTS, padding=True, padding_side=side)
        assert mine.input_ids == reference["input_ids"] and mine["attention_mask"] == reference["attention_mask"]
    assert ours(TEXTS[:2], return_tensors="pt", padding=True).input_ids.tolist() == (
        theirs(TEXTS[:2], return_tensors="pt", padding=True).input_ids.tolist()
    )


def test_special_tokens_vocabulary_and_length_as_transformers(tiny_folder):
    ours, theirs = _pair(tiny_folder)
    for name in ("bos_token", "eos_token", "pad_token", "unk_token"):
        assert getattr(ours, name) == getattr(theirs, name)
        assert getattr(ours, name + "_id") == getattr(theirs, name + "_id")
    assert len(ours) == len(theirs) and ours.get_vocab() == theirs.get_vocab()


def test_a_chat_template_renders_as_transformers_renders_it(tiny_folder):
    ours, theirs = _pair(tiny_folder)
    template = "{% for m in messages %}<|{{ m.role }}|>\n{{ m.content }}<eos>\n{% endfor %}"
    ours.chat_template = theirs.chat_template = template + "{% if add_generation_prompt %}<|assistant|>{% endif %}"
    messages = [{"role": "user", "content": "Hi"}]
    for prompt in (True, False):
        kw = dict(tokenize=False, add_generation_prompt=prompt)
        assert ours.apply_chat_template(messages, **kw) == theirs.apply_chat_template(messages, **kw)


@pytest.mark.parametrize(
    "change",
    [
        {"add_bos_token": True},  # transformers would rewrite the post-processor
        {"tokenizer_class": "GPT2Tokenizer"},
        {"pad_token": "<not-in-the-vocabulary>"},  # transformers would add it
        {"clean_up_tokenization_spaces": True},
    ],
)
def test_a_folder_transformers_would_change_is_left_to_transformers(tiny_folder, tmp_path, change):
    folder = tmp_path / "m"
    shutil.copytree(tiny_folder, folder)
    config = json.loads((folder / "tokenizer_config.json").read_text())
    (folder / "tokenizer_config.json").write_text(json.dumps({**config, **change}))
    assert plain_tokenizer(folder) is None
    if "add_bos_token" in change:  # still loads, as AutoTokenizer loads it
        from transformers import AutoTokenizer

        assert type(load_backbone(folder)[1]) is type(AutoTokenizer.from_pretrained(folder))


def test_the_default_llama_folder_loads_it(tiny_folder):
    lm, tokenizer = load_backbone(tiny_folder)
    llama = type(lm).__module__ == "toolken.llama"
    assert isinstance(tokenizer, FastTokenizer) == llama


def test_run_answers_without_importing_transformers(tiny_model_dir, tmp_path):
    from conftest import arith_source, arith_toolset

    from toolken.head import ToolkenModel

    ToolkenModel.create(arith_toolset(), model=str(tiny_model_dir)).save_pretrained(tmp_path / "head")  # a Llama
    (tmp_path / "tools.py").write_text(arith_source())
    # no toolken may fire: a call's grammar imports xgrammar, which imports transformers
    probe = (
        "import sys; from toolken.cli import main; sys.argv = ['toolken', 'run', sys.argv[1], 'Hello there', "
        "'--functions', sys.argv[2], '--bias', '-100', '--max-new-tokens', '3']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('transformers' in sys.modules)"
    )
    env = {**os.environ, "TOOLKEN_CACHE": str(tmp_path / "cache")}
    argv = [sys.executable, "-c", probe, str(tmp_path / "head"), str(tmp_path / "tools.py")]
    out = subprocess.run(argv, capture_output=True, text=True, env=env)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


@pytest.mark.slow
def test_the_default_models_tokenizer_is_read_as_transformers_reads_it():
    from toolken.backbone import resolve_model_path

    ours, theirs = _pair(resolve_model_path(None))
    texts = [*TEXTS, "<|im_start|>user\nWhat is 7^5?<|im_end|>\n", "Q: 13,289 - 7,899\nA: [[subtract(13289, 7899)]]"]
    for split in (True, False):
        assert [ours(t, split_special_tokens=split).input_ids for t in texts] == [
            theirs(t, split_special_tokens=split).input_ids for t in texts
        ]
    ids = list(range(len(theirs)))
    assert ours.batch_decode([[i] for i in ids]) == theirs.batch_decode([[i] for i in ids])
    assert ours.decode(ids[:500], skip_special_tokens=True) == theirs.decode(ids[:500], skip_special_tokens=True)
    assert ours.chat_template == theirs.chat_template
    messages = [{"role": "user", "content": "Hi"}]
    kw = dict(tokenize=False, add_generation_prompt=True)
    assert ours.apply_chat_template(messages, **kw) == theirs.apply_chat_template(messages, **kw)


def test_added_tokens_are_read_as_transformers_reads_them(tiny_folder):
    ours, theirs = _pair(tiny_folder)
    for tok in (ours, theirs):
        assert tok.add_tokens(["<extra>"]) == 1 and tok.add_tokens(["<tool>"], special_tokens=True) == 1
    text = "call <tool> with <extra> now"
    assert len(ours) == len(theirs) and ours(text).input_ids == theirs(text).input_ids
    ids = theirs(text).input_ids
    assert ours.decode(ids, skip_special_tokens=True) == theirs.decode(ids, skip_special_tokens=True)
    assert len(ours.transformers_tokenizer()) == len(theirs)  # the lent tokenizer has them too

"""Vocabulary tables kept on disk: read back, they are what a fresh scan builds (the same token texts,
the same grammar masks); a file that cannot be read is built again, never a crash."""

import copy
import json
import weakref

import pytest
import torch

from toolken import atomic, vocabulary
from toolken.tools import Tool

SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "nights": {"type": "integer"}, "kind": {"enum": ["single", "double"]}},
    "required": ["city", "nights"],
}


@pytest.fixture(params=["tiny_backbone", "tiny_gemma_backbone"])
def tokenizer(request, cache_dir):
    return request.getfixturevalue(request.param)[1]


def _files(cache_dir, kind: str) -> list:
    return sorted((cache_dir / "vocabularies").glob(f"*-{kind}*.json"))


def _fresh_texts(tokenizer, monkeypatch) -> list[str]:
    monkeypatch.setattr(vocabulary, "_TEXTS", weakref.WeakKeyDictionary())  # as in a new process
    return vocabulary.token_texts(tokenizer)


def test_stored_token_texts_are_the_decoded_ones(tokenizer, cache_dir, monkeypatch):
    first = _fresh_texts(tokenizer, monkeypatch)
    (path,) = _files(cache_dir, "texts")
    monkeypatch.setattr(vocabulary, "_decoded", lambda tok: pytest.fail("scanned again"))
    assert _fresh_texts(tokenizer, monkeypatch) == first == [tokenizer.decode([i]) for i in range(len(tokenizer))]
    assert json.loads(path.read_text(encoding="utf-8")) == first


@pytest.mark.parametrize("bad", ["", "[1, 2", '["a"]', "{}", "\udcff"])
def test_a_stored_table_that_cannot_be_read_is_built_again(tokenizer, cache_dir, monkeypatch, bad):
    expected = _fresh_texts(tokenizer, monkeypatch)
    (path,) = _files(cache_dir, "texts")
    path.write_bytes(bad.encode("utf-8", "surrogateescape"))
    assert _fresh_texts(tokenizer, monkeypatch) == expected
    assert json.loads(path.read_text(encoding="utf-8")) == expected  # replaced


def test_a_table_that_cannot_be_written_is_still_built(tokenizer, cache_dir, monkeypatch):
    def refuse(path, text):
        raise PermissionError(path)

    monkeypatch.setattr(atomic, "write_text", refuse)
    assert _fresh_texts(tokenizer, monkeypatch) == [tokenizer.decode([i]) for i in range(len(tokenizer))]
    assert not _files(cache_dir, "texts")


def test_a_table_that_is_not_utf8_is_still_built(tokenizer, cache_dir):
    assert vocabulary.stored(tokenizer, "odd", lambda: "\udcff", str, str) == "\udcff"
    assert not _files(cache_dir, "odd")


def test_another_vocabulary_is_another_file(tokenizer, cache_dir, monkeypatch):
    _fresh_texts(tokenizer, monkeypatch)
    grown = copy.deepcopy(tokenizer)
    assert vocabulary.tokenizer_key(grown) == vocabulary.tokenizer_key(tokenizer)
    grown.add_tokens(["<extra_token>"])  # the same object, another vocabulary
    assert vocabulary.tokenizer_key(grown) != vocabulary.tokenizer_key(tokenizer)
    assert _fresh_texts(grown, monkeypatch)[-1] == "<extra_token>"
    assert len(_files(cache_dir, "texts")) == 2


def test_the_stored_fingerprint_is_the_vocabulary_s(tokenizer, cache_dir, monkeypatch):
    from toolken import head

    expected = head._fingerprint(tokenizer)
    assert head.tokenizer_fingerprint(tokenizer) == expected
    (path,) = _files(cache_dir, "fingerprint")
    with monkeypatch.context() as patched:
        patched.setattr(head, "_fingerprint", lambda tok: pytest.fail("hashed again"))
        assert head.tokenizer_fingerprint(tokenizer) == expected
    for bad in ('"0123"', '"0123456789abcdeg"', "16", "{"):
        path.write_text(bad, encoding="utf-8")
        assert head.tokenizer_fingerprint(tokenizer) == expected
        assert json.loads(path.read_text(encoding="utf-8")) == expected


def test_a_tokenizer_without_a_backend_is_scanned_each_time(cache_dir):
    class Slow:  # no `backend_tokenizer`: nothing to hash it by
        pass

    assert vocabulary.tokenizer_key(Slow()) is None
    assert vocabulary.stored(Slow(), "texts", lambda: ["a"], json.dumps, json.loads) == ["a"]
    assert not (cache_dir / "vocabularies").exists()


def _masks(grammars, tokens: int) -> list[torch.Tensor]:
    """The bitmasks of a call of SCHEMA's grammar over its first `tokens` steps, taking the first token
    each mask allows (greedy over flat logits)."""
    state = grammars.for_tool(Tool("book", "Book.", SCHEMA, lambda **k: 0))
    masks = []
    for _ in range(tokens):
        logits = torch.zeros(1, grammars.vocab_size)
        grammars.mask(logits, [state])
        masks.append(torch.isinf(logits))
        if state.accept(int(logits.argmax(-1))):
            break
    return masks


def test_a_stored_grammar_vocabulary_masks_as_a_fresh_one(tokenizer, cache_dir, monkeypatch):
    import xgrammar as xgr

    from toolken.grammar import ArgumentGrammars

    size = len(tokenizer) + 3  # a model's head may be wider than its vocabulary
    fresh = _masks(ArgumentGrammars(tokenizer, size), 40)
    assert _files(cache_dir, f"xgrammar*-{size}")
    monkeypatch.setattr(xgr.TokenizerInfo, "from_huggingface", lambda *a, **k: pytest.fail("scanned again"))
    read = _masks(ArgumentGrammars(tokenizer, size), 40)
    assert len(read) == len(fresh) > 5 and all(torch.equal(a, b) for a, b in zip(read, fresh))


def test_a_grammar_vocabulary_that_cannot_be_read_is_built_again(tokenizer, cache_dir):
    from toolken.grammar import ArgumentGrammars

    expected = _masks(ArgumentGrammars(tokenizer, len(tokenizer)), 40)
    (path,) = _files(cache_dir, "xgrammar")
    for bad in ("", "{", '{"a": 1}', "[1, 2]"):
        path.write_text(bad, encoding="utf-8")
        got = _masks(ArgumentGrammars(tokenizer, len(tokenizer)), 40)
        assert len(got) == len(expected) and all(torch.equal(a, b) for a, b in zip(got, expected))
        assert path.read_text(encoding="utf-8") not in ("", "{", '{"a": 1}', "[1, 2]")  # replaced

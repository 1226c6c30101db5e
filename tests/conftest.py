"""Shared fixtures: a tiny randomly initialised Llama with a small BPE tokenizer trained on the fly
(no download), saved as a local Hugging Face folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolken.testing import make_tiny_model

__all__ = ["make_tiny_model"]  # test_head.py builds other tiny backbones with it


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def tiny_backbone(tiny_model_dir):
    from toolken.backbone import load_backbone

    return load_backbone(tiny_model_dir)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    """A private toolken cache for one test (the default model's cache stays shared)."""
    monkeypatch.setenv("TOOLKEN_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"

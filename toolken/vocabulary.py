"""Tables over a tokenizer's whole vocabulary (the text of every token, xgrammar's tokenizer info, the
fingerprint a head is checked against), kept on disk under the cache root: scanning a vocabulary costs
a few tenths of a second at every `toolken run` (seconds for Gemma 3's), reading the stored table a few
hundredths. A file is named by a hash of everything its table depends on, so it is never read for
another tokenizer or library version; a file that cannot be read is built again and replaced, one
that cannot be written only costs the scan."""

from __future__ import annotations

import contextlib
import hashlib
import json
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from . import atomic
from .backbone import cache_root

T = TypeVar("T")
_TEXTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # tokenizer -> token_texts
_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # tokenizer -> (len, end token, clean-up), key


def tokenizer_key(tokenizer: Any) -> str | None:
    """A hash of what a tokenizer's tables depend on: its serialized backend (vocabulary, added tokens,
    normalizer, decoder), its class, clean-up setting and end token, and the versions of the libraries
    that decode; None for a tokenizer without a Rust backend (its tables are not stored). Hashed once
    per tokenizer object, again once its length or end token changes (tokens added); a backend changed
    in place in another way is not seen, as by the tables kept in memory."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return None
    shape = (
        len(tokenizer),
        getattr(tokenizer, "eos_token_id", None),
        getattr(tokenizer, "clean_up_tokenization_spaces", None),
    )
    known = _KEYS.get(tokenizer)
    if known is None or known[0] != shape:
        from importlib.metadata import version

        parts = [type(tokenizer).__module__, type(tokenizer).__qualname__, version("tokenizers"),
                 version("transformers"), repr(shape[1:]), backend.to_str()]  # fmt: skip
        known = _KEYS[tokenizer] = (shape, hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32])
    return known[1]


def stored(tokenizer: Any, kind: str, build: Callable[[], T], dump: Callable[[T], str], load: Callable[[str], T]) -> T:
    """The table `build()` makes for `tokenizer`, read from the cache root where `dump` wrote it before.
    `load` raises (OSError, ValueError or RuntimeError) on a text it cannot take: then it is built again."""
    key = tokenizer_key(tokenizer)
    if key is None:
        return build()
    path = cache_root() / "vocabularies" / f"{key}-{kind}.json"
    try:
        return load(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RuntimeError):  # not written yet, or unreadable: built again below
        pass
    table = build()
    with contextlib.suppress(OSError, UnicodeError):  # a read-only cache, a table not UTF-8: scanned again
        atomic.write_text(path, dump(table))
    return table


def token_texts(tokenizer: Any) -> list[str]:
    """The text of every token id alone, decoded once per tokenizer (and stored)."""
    found = _TEXTS.get(tokenizer)
    if found is None:
        found = _TEXTS[tokenizer] = stored(
            tokenizer, "texts", lambda: _decoded(tokenizer), json.dumps, lambda text: _texts(text, len(tokenizer))
        )
    return found


def _decoded(tokenizer: Any) -> list[str]:
    """The text of every token id alone, as `decode` writes it."""
    ids = [[i] for i in range(len(tokenizer))]
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is not None and not getattr(tokenizer, "clean_up_tokenization_spaces", True):
        return backend.decode_batch(ids, skip_special_tokens=False)  # what `decode` does, without its per-call cost
    return tokenizer.batch_decode(ids)


def _texts(text: str, size: int) -> list[str]:
    """The token texts a stored JSON list holds; ValueError unless it is `size` strings."""
    texts = json.loads(text)
    if not isinstance(texts, list) or len(texts) != size or not all(isinstance(t, str) for t in texts):
        raise ValueError("not the token texts of this tokenizer")
    return texts

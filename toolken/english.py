"""The English dictionary toolken reads a question's words against: simplemma's word lists, kept as a
MARISA trie on disk under toolken's cache (`$TOOLKEN_CACHE/simplemma/VERSION`), so a process that
needs a word's dictionary form opens the trie in a millisecond instead of decoding the whole list
(0.2 s, paid by every `toolken run`); the first use builds it once."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _lemmatizer() -> tuple[Any, Any]:
    """simplemma's lemmatizer and dictionary lookup, both over one trie-backed dictionary factory."""
    from importlib.metadata import version

    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
    from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieDictionaryFactory

    from .backbone import cache_root  # torch is loaded by then: the question came from a model

    folder = cache_root() / "simplemma" / version("simplemma")  # a new release may change its lists
    words = TrieDictionaryFactory(disk_cache_dir=str(folder))
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=words)), DictionaryLookupStrategy(words)


@functools.lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The dictionary form of an English word (irregular ones too: "chosen" -> "choose")."""
    return _lemmatizer()[0].lemmatize(word, "en")


@functools.lru_cache(maxsize=65536)
def is_known(word: str) -> bool:
    """Whether `word` (in lower case) is a word of the English dictionary, in any of its forms."""
    from simplemma.utils import normalize_token

    return _lemmatizer()[1].get_lemma(normalize_token(word), "en") is not None

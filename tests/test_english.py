"""The English dictionary: simplemma's own answers, read from a trie kept under toolken's cache."""

import simplemma

from toolken import english


def _fresh() -> None:
    for f in (english._lemmatizer, english.lemma, english.is_known):
        f.cache_clear()


def test_trie_answers_as_simplemma_and_is_kept_in_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKEN_CACHE", str(tmp_path))
    _fresh()
    try:
        words = ["chosen", "bought", "ferries", "Mice", "lindqvist", "harbourtown", "café", "running", "the"]
        assert [english.lemma(w) for w in words] == [simplemma.lemmatize(w, lang="en") for w in words]
        assert [english.is_known(w) for w in words] == [simplemma.is_known(w, lang="en") for w in words]
        assert english.lemma("chosen") == "choose" and not english.is_known("lindqvist")
        (trie,) = (tmp_path / "simplemma").glob("*/en.dic")  # built once, then opened
        _fresh()
        assert english.lemma("bought") == "buy" and trie.stat().st_size > 100_000
    finally:
        _fresh()  # later tests open the trie of their own cache

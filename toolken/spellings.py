"""British and American spellings of one word: "colour" writes `color`, "metre" `meter`, "organise"
`organize`, "grey" `gray`; either form names the other."""

from __future__ import annotations

import re

# endings spelled two ways, and the shortest word each is read in (short words stay as they are: "four", "acre")
_ENDINGS = [(r"our", "ou?r", 6), (r"or", "ou?r", 5), (r"(?<=[tb])er", "(?:er|re)", 5), (r"(?<=[tb])re", "(?:re|er)", 5),
            (r"i[sz]e", "i[sz]e", 6), (r"y[sz]e", "y[sz]e", 6)]  # fmt: skip
_GREY = {"gray": "gr[ae]y", "grey": "gr[ae]y"}


def spelled(word: str) -> str:
    """A pattern of `word` (in lower case) that matches it in either spelling: "colou?r" for "color"
    or "colour", "met(?:er|re)" for "meter"; the word escaped where it has one spelling."""
    if word in _GREY:
        return _GREY[word]
    for ending, both, shortest in _ENDINGS:
        if len(word) >= shortest and (m := re.search(rf"{ending}$", word)) and word[: m.start()].isalpha():
            return re.escape(word[: m.start()]) + both
    return re.escape(word)

"""Code a question writes for a parameter that takes code: a regular expression ("^a.*z$"), JSON
('{"a": 1}', "[1, 2,]"), a comparison ("x>=3"). Such a value is copied whole, where the spans of
prose would cut it at its symbols or take a quoted key inside it."""

from __future__ import annotations

import re

# a character of a regular expression or of code, which no word or number of prose holds
_CODE = re.compile(r"[\^*+\\|{}\[\]<>=~]|(?<!\d)\$(?!\d)")
# a parameter that takes code: a regular expression, JSON, a query or a command
_CODE_WORDS = re.compile(
    r"(?:\b|_)(?:regex\w*|regular expression|pattern|json|code|snippet|sql|query|command|script)(?:\b|_)", re.I
)
_LITERAL = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]")  # a JSON object or list, whole


def code_literals(text: str) -> list[str]:
    """Literals of code a text writes, offered whole to a free string: a JSON object or list in braces
    or brackets ('{"a": 1}', "[1, 2,]") and a run of characters holding a regular expression's or
    code's symbols ("^a.*z$", "\\d+", "x>=3"), without a sentence's closing punctuation."""
    found = [m.group(0) for m in _LITERAL.finditer(text)]
    for token in text.split():
        token = token.rstrip(".,;!?").strip("\"'")
        if _CODE.search(token) and re.search(r"\w", token) and not any(token in f for f in found):
            found.append(token)
    return found


def takes_code(name: str, schema: dict) -> bool:
    """Whether a string parameter takes code: a regular expression, JSON, a query or a command."""
    return bool(_CODE_WORDS.search(f"{name} {schema.get('description', '')}"))


def code_kept(name: str, schema: dict, found: list[str], text: str) -> list[str]:
    """Of a free string's candidates `found`, for a parameter that takes code, the code literals the
    text writes ("^a.*z$" for `pattern`, not the quoted text to search), if any; else `found`."""
    literals = [f for f in found if f in code_literals(text)] if takes_code(name, schema) else []
    return literals or found

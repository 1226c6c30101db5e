"""Schema-constrained tool arguments: each tool's JSON schema is compiled by xgrammar into a grammar
over the backbone's tokens, and in tool mode every row may only write tokens that keep its arguments
a prefix of a schema-valid JSON object. The call ends as soon as the object is complete, so every
call is valid by construction (keys, types, enums, required fields; numbers as JSON numbers).

xgrammar is installed with `--no-deps` (its Linux wheel otherwise pulls triton, ~1 GB, which its CPU
path never uses); without it, tool mode falls back to free-text arguments with a warning."""

from __future__ import annotations

import importlib.util
import json
import warnings
import weakref
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import torch

from .copied_strings import own_words
from .copying import copy_schema
from .currencies import takes_currency
from .dates import looks_back
from .decoding import starts_with
from .distinct import distinct_values, untaken
from .free_strings import is_free_string
from .gate import copyable
from .keyed import keyed_schema
from .next_call import first_items, first_values, next_call_schema
from .numerals import how_many_numbers, numbers_in
from .tools import Tool
from .values import codes_only, described_examples
from .vocabulary import stored, token_texts


def available() -> bool:
    """Whether xgrammar is installed."""
    return importlib.util.find_spec("xgrammar") is not None


MAX_ITEMS = 16  # items of a list argument whose schema sets no maxItems (with copying: the numbers in the text)
MAX_DIGITS = 15  # digits in a row that a number may have (a double holds about 15): no endless 0.000000...


class RowGrammar:
    """The grammar state of one row writing one call's arguments."""

    def __init__(self, matcher: Any, texts: list[str], encode: Callable[[str], list[int]]) -> None:
        self.matcher, self.texts, self.encode, self.tail = matcher, texts, encode, ""

    @property
    def digits_run(self) -> int:
        """How many digits the arguments end with."""
        return len(self.tail) - len(self.tail.rstrip("0123456789"))

    def fill(self, bitmask: torch.Tensor, row: int) -> None:
        """Write the tokens this row may take next into row `row` of `bitmask`."""
        self.matcher.fill_next_token_bitmask(bitmask, row)

    def accept(self, token: int) -> bool:
        """Advance by `token`; True once the arguments form a complete object."""
        if not self.matcher.accept_token(token):
            raise RuntimeError(f"token {token} was masked out but chosen")  # a bug, never the model's fault
        self._written(token)
        return self.matcher.is_completed()

    def _written(self, token: int) -> None:
        self.tail = (self.tail + self.texts[token])[-2 * MAX_DIGITS :] if token < len(self.texts) else ""

    def forced(self) -> list[int]:
        """Accept and return the tokens the grammar leaves no choice about from here (a key after `{"`,
        the rest of the only copyable value that starts so): they need no decoding step of their own,
        only a place in the next pass (jump-forward decoding). They are the tokenizer's own split of
        the forced text, less its last token, which may merge with what the model writes next:
        xgrammar's longest-match tokens are not what the model would have written, and Gemma 3 270M
        read them badly (BENCHMARKS.md, "Tool mode: forced tokens")."""
        text = self.matcher.find_jump_forward_string()
        taken = []
        for token in self.encode(text)[:-1] if text else []:
            if not self.matcher.accept_token(token):
                break
            self._written(token)
            taken.append(token)
        return taken

    @property
    def complete(self) -> bool:
        """Whether the arguments form a complete object."""
        return self.matcher.is_completed()


class ArgumentGrammars:
    """Compiled argument grammars of one model's tools, built on first use and kept for reuse."""

    def __init__(self, tokenizer: Any, vocab_size: int) -> None:
        import xgrammar as xgr

        self._xgr = xgr
        info = stored(
            tokenizer,
            f"xgrammar{version('xgrammar')}-{vocab_size}",
            lambda: xgr.TokenizerInfo.from_huggingface(_transformers_tokenizer(tokenizer), vocab_size=vocab_size),
            xgr.TokenizerInfo.serialize_json,
            xgr.TokenizerInfo.deserialize_json,
        )
        self._compiler = xgr.GrammarCompiler(info)
        self._compiled: dict[str, Any] = {}
        self.vocab_size = vocab_size
        self._texts = token_texts(tokenizer)
        self._digits = starts_with(tokenizer, vocab_size, str.isdigit)
        self._encode = lambda text: tokenizer(text, add_special_tokens=False).input_ids

    def for_tool(
        self,
        tool: Tool,
        copy_from: str | None = None,
        after: dict | None = None,
        taken: list | None = None,
        first: bool = False,
        request: str | None = None,
        turns: bool = True,
    ) -> RowGrammar | None:
        """A fresh grammar state for one call of `tool`, or None if its schema cannot be compiled (then
        the call's arguments are written as free text and validated afterwards). With `copy_from`,
        free numbers and strings must be values that text writes (`copy_schema`); with `after` (the
        arguments of the call of `tool` just before, in the same turn), also `next_call_schema`'s; no
        two parameters take the same value the text writes once (`distinct.distinct_values`), nor one
        that calls of other tools in the turn took (`taken`: their values; `untaken`); a number
        parameter the text keys numbers to takes only those (`keyed.keyed_schema`), with `first` (the
        turn's first call of `tool`) only the first written, and only the first item of a list the
        text writes (`next_call.first_items`); `request` (given for the turn's very first call: the
        question's first request, `turns.first_request`), where it writes every value `tool` requires,
        narrows single values to those it writes (`next_call.first_values`). These two only with
        `turns` (`GenerationConfig.calls_again`: later calls take the rest)."""
        # as many items as the text writes numbers, not their readings ("87 percent" is 87 or 0.87: one)
        limit = max(1, how_many_numbers(copy_from)) if copy_from else MAX_ITEMS
        past = looks_back(tool.description, tool.parameters)  # a day without its year: the last one
        narrowed = copy_schema(tool.parameters, copy_from, past) if copy_from else tool.parameters
        narrowed = without_own_words(tool, narrowed) if copy_from else narrowed
        if copy_from and turns and request and copyable(tool.parameters, numbers_in(request), request):
            narrowed = first_values(narrowed, request)
        # keyed before untaken: a value the question gives this tool by name stays its own
        # the values of a source and a target: enums of the tool's own, currency codes, or codes its
        # description shows ("e.g. UTC or EST": "14:30 UTC in PST" converts from UTC)
        enums = [n for n, p in tool.parameters.get("properties", {}).items() if isinstance(p, dict)
                 and ("enum" in p or takes_currency(n, p) or codes_only(described_examples(p)))]  # fmt: skip
        narrowed = keyed_schema(narrowed, copy_from, first and not after, enums) if copy_from else narrowed
        narrowed = bounded(untaken(narrowed, copy_from, taken) if copy_from and taken else narrowed, limit)
        if copy_from and turns and first and not after:
            narrowed = first_items(narrowed, copy_from)
        schema = (next_call_schema(narrowed, after, copy_from) if after and copy_from else None) or narrowed
        schema = json.dumps(distinct_values(schema, copy_from) if copy_from else schema)
        if schema not in self._compiled:
            try:
                self._compiled[schema] = self._compiler.compile_json_schema(
                    schema, any_whitespace=False, strict_mode=True
                )
            except Exception as e:  # noqa: BLE001 - xgrammar raises several kinds for schemas it cannot take
                warnings.warn(
                    f"tool {tool.name}: schema not supported by the grammar ({e}); free-text arguments", stacklevel=2
                )
                self._compiled[schema] = None
        compiled = self._compiled[schema]
        return None if compiled is None else RowGrammar(self._xgr.GrammarMatcher(compiled), self._texts, self._encode)

    def mask(self, logits: torch.Tensor, grammars: list[RowGrammar | None]) -> None:
        """Mask, in place, the word logits (rows x vocab) of each row that has a grammar."""
        rows = [r for r, g in enumerate(grammars) if g is not None]
        if not rows:
            return
        with torch.device("cpu"):  # xgrammar fills its bitmask on the CPU, whatever the default device
            bitmask = self._xgr.allocate_token_bitmask(len(grammars), self.vocab_size)
        for r in rows:
            grammars[r].fill(bitmask, r)
        self._xgr.apply_token_bitmask_inplace(logits[:, : self.vocab_size], bitmask.to(logits.device), indices=rows)
        for r in rows:  # a free number may end after any digit; a value it must copy keeps its digits
            if grammars[r].digits_run >= MAX_DIGITS:
                capped = logits[r, : self.vocab_size].masked_fill(self._digits.to(logits.device), float("-inf"))
                if not torch.isinf(capped).all():
                    logits[r, : self.vocab_size] = capped


def _transformers_tokenizer(tokenizer: Any) -> Any:
    """The transformers tokenizer xgrammar reads (`tokenizer.FastTokenizer` lends its own)."""
    lend = getattr(tokenizer, "transformers_tokenizer", None)
    return lend() if lend is not None else tokenizer


_BY_TOKENIZER: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_warned = False


def grammars_for(tokenizer: Any, vocab_size: int) -> ArgumentGrammars | None:
    """The `ArgumentGrammars` of a tokenizer (built once, the vocabulary scan is the slow part), or None
    with a one-time warning when xgrammar is not installed."""
    global _warned
    if not available():
        if not _warned:
            warnings.warn(
                "xgrammar is not installed: tool arguments are written as free text "
                "(pip install --no-deps xgrammar apache-tvm-ffi pydantic)",
                stacklevel=3,
            )
            _warned = True
        return None
    found = _BY_TOKENIZER.get(tokenizer)
    if found is None or found.vocab_size != vocab_size:
        found = _BY_TOKENIZER[tokenizer] = ArgumentGrammars(tokenizer, vocab_size)
    return found


# ---------------------------------------------------------------- values copied from the text


def bounded(schema: dict, max_items: int) -> dict:
    """`schema` with every top-level array parameter that sets no `maxItems` limited to `max_items`:
    a small model otherwise repeats list items until its token budget cuts the JSON short; one whose
    items are copied (an `enum`) to as many as it is offered ("multiples of 3 and 5": [3, 5], never
    [3, 5, 5, 3])."""
    props = {}
    for name, p in schema.get("properties", {}).items():
        if isinstance(p, dict) and p.get("type") == "array" and "maxItems" not in p:
            offered = (p.get("items") or {}).get("enum") if isinstance(p.get("items"), dict) else None
            p = {**p, "maxItems": min(max_items, len(offered)) if offered else max_items}
        props[name] = p
    return {**schema, "properties": props}


def without_own_words(tool: Tool, narrowed: dict) -> dict:
    """`narrowed` (a `copy_schema`) without the free strings that say only words of the tool's own name
    (`copying.own_words`: "Gift" of "Gift ideas for someone who loves hiking" for `gift_ideas`), where
    other strings remain to copy; an optional one left with none is left out ("everything in the
    cellar" searches no region "cellar" with `search_cellar`)."""
    props, required = dict(narrowed.get("properties", {})), set(narrowed.get("required", []))
    for name, p in list(props.items()):
        if (
            is_free_string(name, tool.parameters.get("properties", {}).get(name))
            and isinstance(p, dict)
            and p.get("enum")
        ):
            kept = [v for v in p["enum"] if not own_words(tool.readable_name, v)]
            if kept or name in required or "required" not in narrowed:
                props[name] = {**p, "enum": kept} if kept else p
            else:
                del props[name]
    return {**narrowed, "properties": props}

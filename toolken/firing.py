"""Which toolkens a row may fire at its next step, and what is added to their logits: the tools its
request offers (`GenerationConfig.allowed_tools`, `RowOptions.allowed`), less those whose arguments
the question does not write (the copy gate, `gate.copyable`), that it asks about only by their
own names ("What are vowels?"), that it does not ask for (`toolken.unasked`: "What does APR stand
for?" of an account's balance, "Who founded Facebook?" of a post), or that its last call rules out;
the toolkens not offered, which lend their logits to offered twins (`toolken.twins`); and the name
bias of the tools whose names the question writes or whose typed values (a link, an IP address, a
code of their pattern) it writes, and the fit bias of those it gives every required value of a
specific kind."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

import torch

from .asked import singular, word_stems
from .copied_strings import own_words
from .copying import copy_schema
from .distinct import distinct_values
from .english import lemma
from .free_strings import free_string_items, is_free_string, takes_specific
from .gate import copyable
from .head import ToolkenModel
from .literals import literal_kind, literals_in, plain_string, takes_address
from .numerals import NUMBER_RE, WORD_RE, numbers_in, values_of, word_number
from .routes import address_values
from .shapes import required_shape, shaped_in
from .toolnames import acronyms_in, tool_words, writes_identifier, written_tool_words
from .tools import Tool, compile_pattern
from .unasked import unasked
from .units import in_own_quantity
from .values import described_examples, names_a_thing, patterned_in, takes_identifier
from .written import names_for

if TYPE_CHECKING:
    from .generation import GenerationConfig, _Row


def allowed_mask(model: ToolkenModel, names: Sequence[str] | None) -> torch.Tensor:
    """Which toolkens `names` allows (all for None); a name the head has no toolken for is a KeyError."""
    if names is None:
        return torch.ones(len(model.tools), dtype=torch.bool, device=model.device)
    unknown = set(names) - set(model.tool_names)
    if unknown:
        raise KeyError(f"allowed_tools names unknown tools: {sorted(unknown)}")
    allowed = set(names)
    return torch.tensor([n in allowed for n in model.tool_names], device=model.device)


def offered_mask(model: ToolkenModel, cfg: GenerationConfig, row: _Row) -> torch.Tensor:
    """Which toolkens the row's request offers (its own `allowed`, and the config's)."""
    own = allowed_mask(model, row.options.allowed)
    if callable(cfg.allowed_tools):
        return own & allowed_mask(model, cfg.allowed_tools(model.tokenizer.decode(row.ids, skip_special_tokens=True)))
    return own & allowed_mask(model, cfg.allowed_tools)


def may_fire(
    model: ToolkenModel, cfg: GenerationConfig, row: _Row, offered: torch.Tensor | None = None
) -> torch.Tensor:
    """Which toolkens row `row` may fire until its next call (of those `offered`, if given)."""
    if row.block_tools_once or row.tools_done or len(row.calls) >= cfg.max_calls:
        return torch.zeros(len(model.tools), dtype=torch.bool, device=model.device)
    offered = offered_mask(model, cfg, row) if offered is None else offered
    if cfg.arguments != "copy":
        return offered
    # copying: a tool whose required numbers or names the text never writes cannot fire
    copied = model.copy_text(row.ids, row.prompt_len)
    numbers = numbers_in(copied)  # once per row, not per tool
    fits = [copyable(t.parameters, numbers, copied) for t in model.tools]
    # ... nor one whose required text the question can only fill with the tool's own name ("What are vowels?")
    fits = [f and not (on and about_itself(t, copied)) for f, t, on in zip(fits, model.tools, offered.tolist())]
    # ... nor one whose required strings the text has too few values for ("insulin" for two drugs)
    fits = [f and not (on and strings_short(t, copied)) for f, t, on in zip(fits, model.tools, offered.tolist())]
    # ... nor one whose choices the question does not give, or that acts where it asks a question ("Who
    # founded Facebook?"); read on the question alone, as results written since may quote anything
    question = model.copy_text(row.ids[: row.prompt_len], row.prompt_len)
    beside = [t for t, on in zip(model.tools, offered.tolist()) if on]
    fits = [f and not (on and unasked(t, question, beside)) for f, t, on in zip(fits, model.tools, offered.tolist())]
    return offered & torch.tensor(fits, dtype=torch.bool, device=model.device)


def about_itself(tool: Tool, text: str) -> bool:
    """Whether a required free string of `tool` can copy nothing from `text` but words of the tool's
    own name (`own_words`): "What are vowels?" is about `count_vowels`, not a request of it."""
    props = tool.parameters.get("properties", {})
    free = [n for n in tool.parameters.get("required", []) if is_free_string(n, props.get(n))]
    copied = copy_schema(tool.parameters, text)["properties"] if free else {}
    return any(
        (enum := copied.get(n, {}).get("enum")) and all(own_words(tool.readable_name, v) for v in enum) for n in free
    )


def strings_short(tool: Tool, text: str) -> bool:
    """Whether `text` offers the strings `tool` requires too few values: two free strings or more (a
    list of them counting as one), and fewer distinct values than that, none written twice ("How
    should I store insulin?" gives no two drugs to check; "Next song please" no playlist's name and
    song); or a string that can only take a code another requires ("The chain on R204518
    keeps slipping." gives no station beside the rental's number)."""
    props, required = tool.parameters.get("properties", {}), tool.parameters.get("required", [])
    free = [n for n in required if is_free_string(n, props.get(n)) or _free_list(props.get(n))]
    codes = [n for n in required if _coded(n, props.get(n))]
    if len(free) < 2 and not (codes and len(required) > 1):
        return False
    copied = copy_schema(tool.parameters, text)["properties"]
    offered = {n: _strings_offered(p) for n, p in copied.items() if isinstance(p, dict)}
    coded = {v for n in codes for v in offered.get(n, ())}
    for n in required:  # a string offered nothing but the codes that the required codes take all of
        if n not in codes and plain_string(props.get(n)) and offered.get(n) and offered[n] <= coded:
            if len(coded) <= len(codes):
                return True
    if len(free) < 2 or not all(offered.get(n) for n in free):
        return False  # a parameter copied freely: nothing to count
    values = set().union(*(offered[n] for n in free))
    return len(values) < len(free) and not any(text.casefold().count(v) > 1 for v in values)


def _free_list(schema: object) -> bool:
    """Whether a parameter is a list of free strings ("songs": titles of any words)."""
    return isinstance(schema, dict) and schema.get("type") == "array" and free_string_items(schema)


def _strings_offered(schema: dict) -> set[str]:
    """The strings a copied schema offers, in lower case: its enum's, a list's items' or lists' own."""
    values = [*(schema.get("enum") or ()), *((schema.get("items") or {}).get("enum") or ())]
    return {w.casefold() for v in values for w in (v if isinstance(v, list) else [v]) if isinstance(w, str)}


def _coded(name: str, schema: object) -> bool:
    """Whether a parameter takes a code: a `pattern`, values shaped like its examples, an identifier."""
    return plain_string(schema) and (
        "pattern" in schema or bool(required_shape(name, schema)) or takes_identifier(name, schema)
    )


def lenders(cfg: GenerationConfig, offered: list[torch.Tensor]) -> torch.Tensor | None:
    """Per row, the toolkens its request does not offer (of `offered`), which lend their logits to
    offered twins (`toolken.twins`); None where every row is offered every toolken or lending is off."""
    if cfg.twin_overlap is None:
        return None
    lenders = ~torch.stack(offered)
    return lenders if lenders.any() else None


MAX_TYPED = 3  # more runs of the text fit a pattern than this: too loose a pattern to tell the tool by


PLAIN_VALUES = ("7", "42", "100", "12345", "3.5", "1,000", "2027-02-14")  # what many questions write


def _telling(schema: dict) -> bool:
    """Whether a parameter's `pattern` tells its values from plain numbers and dates (it fits none of
    `PLAIN_VALUES`: "ORD-[0-9]{6}" does, a pattern a ZIP code or a year also fits does not)."""
    if not isinstance(schema.get("pattern"), str):
        return False
    try:
        pattern = compile_pattern(schema["pattern"])
    except ValueError:
        return False
    return not any(pattern.search(v) for v in PLAIN_VALUES)


def writes_typed_value(parameters: dict, text: str, taken: Collection[object] = ()) -> bool:
    """Whether `text` writes a value for one of a tool's required parameters of a kind only such a
    parameter takes: a link, e-mail address, path, host name or IP address (`literals.literal_kind`),
    a code of its `pattern`, or a value shaped like its examples (`toolken.shapes`); one not among
    `taken` (the values calls of the tool took already)."""
    props = parameters.get("properties", {})
    for name in parameters.get("required", []):
        schema = props.get(name)
        if not isinstance(schema, dict) or schema.get("type", "string") != "string" or "enum" in schema:
            continue
        found = []
        # (five digits are too common to tell a ZIP's tool, a code with a digit a password's)
        if (kind := literal_kind(name, schema)) and kind not in ("zip", "secret"):
            found += literals_in(kind, text)
        if _telling(schema):
            found += patterned_in(schema, text, MAX_TYPED)
        if shape := required_shape(name, schema):
            found += shaped_in(shape, text)
        if any(v not in taken for v in found):
            return True
    return False


def _specific_value(name: str, original: object, narrowed: object, text: str, choices: Collection[str] = ()) -> bool:
    """Whether a parameter takes a value of a kind few questions write by chance (a date, a name, a
    street or place, a code or link, a value its own enum names, a number in the unit it is measured
    in or counting one of the tool's `choices` or what its own name counts; not any number, which many
    questions write) and the copy offers one of them."""
    if not isinstance(original, dict) or not isinstance(narrowed, dict) or not narrowed.get("enum"):
        return False
    if "enum" in original:  # its own enum: only where the question names some of it
        return len(narrowed["enum"]) < len(original["enum"])
    listed = [e for e in original.get("examples") or described_examples(original) if isinstance(e, str) and e]
    if listed and all(v in listed for v in narrowed["enum"]):
        return True  # a value its examples list ("Okafor" of "Surname (Patel, Okafor or Lindqvist)")
    if original.get("type") in ("number", "integer"):  # a number in the unit it is measured in: "26.5 °C"
        # ... or counting a choice ("12 croissants") or what the parameter's name counts ("2 adults")
        counted = {f(w) for w in name.lower().split("_") if len(w) >= 3 for f in (singular, lemma)}  # "children"
        own = in_own_quantity(name, original, text) | counting(set(choices) | counted, text)
        return bool(set(narrowed["enum"]) & own)
    if takes_address(name, original):  # a street or a named place, not the words copying falls back to
        return bool(set(narrowed["enum"]) & set(address_values(text)))
    if names_a_thing(name, original):  # a name, not the words copying falls back to
        return bool(set(narrowed["enum"]) & set(names_for(name, original, text)))
    return original.get("type", "string") == "string" and takes_specific(name, original)  # a date, a code, a link


def fits_whole(parameters: dict, text: str) -> bool:
    """Whether `text` writes a value of its own for each of two or more required parameters, each of
    a specific kind (`_specific_value`): "Was it rainy in Seattle on March 3, 2026?" gives a weather
    history both its city and its date; an optional one it says counts where its value is as specific
    ("on the 14th of March with Dr. Okafor": a day and a dentist its examples list). A question that
    gives a tool all it needs that way asks for it."""
    props = parameters.get("properties", {})
    required = [n for n in parameters.get("required", []) if n in props]
    copied = distinct_values(copy_schema(parameters, text), text)
    # an optional value the question says, of a specific kind, counts too ("... with Dr. Okafor")
    said = [n for n in copied.get("required", []) if n in props and n not in required]
    if len(required) + len(said) < 2 or not required:
        return False
    parts = copied.get("anyOf", [copied])
    # a number written before a choice of the tool counts that choice: "250 USDC", "12 croissants"
    choices = {
        v.lower() for p in props.values() if isinstance(p, dict) for v in p.get("enum") or () if isinstance(v, str)
    }
    specific = functools.partial(_specific_value, text=text, choices=choices)
    return any(
        all(specific(n, props[n], p.get("properties", {}).get(n)) for n in required)
        and len(required) + sum(specific(n, props[n], p.get("properties", {}).get(n)) for n in said) >= 2
        for p in parts
    )


def counting(choices: Collection[str], text: str) -> set[float | int]:
    """The numbers `text` writes right before one of `choices` (lower case), in its plural too: "250
    USDC", "12 croissants", "one medium load"."""
    if not choices:
        return set()
    named = "|".join(re.escape(c) for c in sorted(choices, key=len, reverse=True))
    after = re.compile(rf"\s*(?:{named})(?:e?s)?\b", re.IGNORECASE)
    digits = {v for m in NUMBER_RE.finditer(text) if after.match(text, m.end()) for v in values_of(m, text)}
    words = {word_number(m[0]) for m in WORD_RE.finditer(text) if after.match(text, m.end())}  # "one medium load"
    return digits | (words - {None})


@functools.lru_cache(maxsize=16)
def shared_words(names: tuple[str, ...]) -> frozenset[str]:
    """The `toolnames.tool_words` that three or more tools of `names`, and more than half of them, have: no
    sign of which a question asks for (`add_task`, `complete_task`, `delete_task` and `list_tasks`
    beside `set_due_date`; two tools sharing a word keep it, to tell them from no tool)."""
    counts = Counter(w for name in names for w in tool_words(name))
    return frozenset(w for w, k in counts.items() if k >= 3 and k > len(names) / 2)


def name_bias(model: ToolkenModel, cfg: GenerationConfig, row: _Row, offered: torch.Tensor) -> torch.Tensor:
    """`cfg.name_bias` per word of each tool's name the row's question writes (`toolnames.written_tool_words`), at
    most two: a question that names a tool is more likely to ask for it; `cfg.typed_value_bias` for a
    tool one of whose typed values it writes (`writes_typed_value`), until its calls took them all;
    until the row's first call, `cfg.named_call_bias` more for a tool whose identifier it writes as spelled ("using the
    'calculate_velocity' function"; `toolnames.writes_identifier`); `cfg.fit_bias` for an `offered` tool
    the question gives all its required values of specific kinds (`fits_whole`). None where the
    prompt ends with a tool's result (a client resuming after its call): the question was answered by
    a call."""
    if row.name_bias is None:
        question = "" if row.options.after_result else model.copy_text(row.ids[: row.prompt_len], row.prompt_len)
        stems = word_stems(question)
        caps = acronyms_in(question)
        shared = shared_words(tuple(model.tool_names))  # "task" of four of five tools tells none of them apart
        counts = [min(2, len(written_tool_words(t.name, stems, caps) - shared)) for t in model.tools]
        named = [writes_identifier(t.name, question) for t in model.tools]
        typed = [writes_typed_value(t.parameters, question) for t in model.tools] if cfg.typed_value_bias else []
        row.name_bias = torch.tensor(counts, dtype=torch.float32, device=model.device) * cfg.name_bias
        if typed:
            row.name_bias += torch.tensor(typed, dtype=torch.float32, device=model.device) * cfg.typed_value_bias
        if cfg.fit_bias and question:  # of the `offered` tools only: copying the question is not free
            fits = [on and fits_whole(t.parameters, question) for t, on in zip(model.tools, offered.tolist())]
            row.name_bias += torch.tensor(fits, dtype=torch.float32, device=model.device) * cfg.fit_bias
        named_bias = torch.tensor(named, dtype=torch.float32, device=model.device) * cfg.named_call_bias
        row.first_bias = row.name_bias + named_bias  # summed once, not at every step
        row.typed = [i for i, on in enumerate(typed) if on]
    if not row.calls:
        return row.first_bias
    if row.typed and (row.spent_bias is None or row.spent_bias[0] != len(row.calls)):
        row.spent_bias = (len(row.calls), row.name_bias - _spent(model, cfg, row))
    return row.spent_bias[1] if row.typed else row.name_bias


def _spent(model: ToolkenModel, cfg: GenerationConfig, row: _Row) -> torch.Tensor:
    """`cfg.typed_value_bias` for each tool of `row.typed` whose every typed value the question writes
    a call of it took already: "192.168.0.10" asks for one server, not for a second call."""
    question = model.copy_text(row.ids[: row.prompt_len], row.prompt_len)
    spent = torch.zeros(len(model.tools), dtype=torch.float32, device=model.device)
    for i in row.typed:
        tool = model.tools[i]
        calls = [c.arguments or {} for c in row.calls if c.tool == tool.name]
        taken = {v for args in calls for v in args.values() if isinstance(v, str)}
        if taken and not writes_typed_value(tool.parameters, question, taken):
            spent[i] = cfg.typed_value_bias
    return spent

"""BFCL (the Berkeley Function Calling Leaderboard): its single-turn categories read from the installed
`bfcl-eval` package (or a user's own files in its format), scored with its own AST checker.

A BFCL record is `{"id", "question": [[{"role", "content"}, ...]], "function": [specs]}`; its answer
`{"id", "ground_truth": [{name: {parameter: [accepted values]}}]}`. The AST categories are scored by
`bfcl_eval`'s `ast_checker`; the irrelevance categories are right when no call is made, live_relevance
when at least one is (BFCL's own rules). Methods live in `toolken_bench.bfcl_methods`.
"""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from toolken.backbone import package_folder

# our category names -> BFCL's file stems (`BFCL_v4_<stem>.json`)
CATEGORIES = {
    "simple": "simple_python",
    "multiple": "multiple",
    "parallel": "parallel",
    "parallel_multiple": "parallel_multiple",
    "irrelevance": "irrelevance",
    "live_simple": "live_simple",
    "live_multiple": "live_multiple",
    "live_parallel": "live_parallel",
    "live_parallel_multiple": "live_parallel_multiple",
    "live_relevance": "live_relevance",
    "live_irrelevance": "live_irrelevance",
}
ABSTAIN = ("irrelevance", "live_irrelevance")  # right when no call is made
RELEVANCE = ("live_relevance",)  # right when some call is made
BFCL_VERSION = "2026.3.23"  # the pinned bfcl-eval whose data and checker are used
CHECKER_MODEL = "toolken"  # the model name the checker is given (it only decides '.'-to-'_' renaming)


def data_folder() -> Path:
    """`bfcl_eval/data` of the installed package (found without importing it)."""
    return package_folder("bfcl_eval", "BFCL") / "data"


def check_category(category: str) -> None:
    """Raise `KeyError` naming the categories if `category` is not one."""
    if category not in CATEGORIES:
        raise KeyError(f"unknown BFCL category {category!r}; categories: {', '.join(CATEGORIES)}")


def category_files(category: str) -> tuple[Path, Path | None]:
    """The question and answer files of a BFCL category (no answer file for the relevance ones)."""
    check_category(category)
    name = f"BFCL_v4_{CATEGORIES[category]}.json"
    answers = data_folder() / "possible_answer" / name
    return data_folder() / name, answers if answers.is_file() else None


# ---------------------------------------------------------------- schemas


@cache
def _type_map() -> dict[str, str]:
    """BFCL's own table of its type names to JSON Schema's ("dict" -> "object", "float" -> "number",
    "tuple" -> "array", "any" -> "string", as its checker reads "any" as str)."""
    from bfcl_eval.constants.type_mappings import GORILLA_TO_OPENAPI  # a module of constants only

    return GORILLA_TO_OPENAPI


SCHEMA_KEYS = ("description", "enum", "default", "format", "minimum", "maximum", "minItems", "maxItems")


def json_schema(bfcl: dict) -> dict:
    """A BFCL parameter schema as JSON Schema: the one place BFCL's types (`dict`, `float`, `tuple`,
    `any`, ...) are converted, nested properties and items included. `required` keeps only declared
    properties; BFCL's non-standard `optional` is dropped."""
    if not isinstance(bfcl, dict):
        raise ValueError(f"a BFCL schema must be an object, got {type(bfcl).__name__}")
    out: dict = {k: bfcl[k] for k in SCHEMA_KEYS if k in bfcl}
    kind = bfcl.get("type")
    if kind is not None:
        if kind not in _type_map():
            raise ValueError(f"unknown BFCL type {kind!r}")
        out["type"] = _type_map()[kind]
    if isinstance(bfcl.get("properties"), dict):
        out["properties"] = {name: json_schema(s) for name, s in bfcl["properties"].items()}
        out["required"] = [r for r in bfcl.get("required", []) if r in out["properties"]]
    if isinstance(bfcl.get("items"), dict):
        out["items"] = json_schema(bfcl["items"])
    if out.get("type") == "object" and "properties" not in out:
        out["properties"] = {}
    return out


def as_declared(value: object, bfcl: dict) -> object:
    """A call's JSON value in the BFCL type its parameter declares: a whole number where `float` is
    declared becomes a float, in lists and dicts too (JSON Schema's `number` does not tell 12 from
    12.0; the checker does, inside lists), as a Python tool's annotation would have it."""
    kind = bfcl.get("type") if isinstance(bfcl, dict) else None
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind in ("array", "tuple") and isinstance(value, list) and isinstance(bfcl.get("items"), dict):
        return [as_declared(v, bfcl["items"]) for v in value]
    if kind == "dict" and isinstance(value, dict) and isinstance(bfcl.get("properties"), dict):
        return {k: as_declared(v, bfcl["properties"].get(k, {})) for k, v in value.items()}
    return value


# ---------------------------------------------------------------- records


@dataclass
class Question:
    """One BFCL question: its text (the user turns), the functions it offers (BFCL specs) and the
    accepted calls (None where the category has none)."""

    id: str
    text: str
    functions: list[dict]
    ground_truth: list[dict] | None = None
    messages: list[dict] = field(default_factory=list)


def _read_lines(path: Path) -> list[dict]:
    records = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}: line {i} is not JSON ({e.msg})") from None
    return records


def _question(record: dict, where: str) -> Question:
    try:
        messages = record["question"][0]
        text = "\n".join(m["content"] for m in messages if m["role"] == "user")
        functions = record["function"]
        if not isinstance(functions, list) or not all(isinstance(f, dict) and "name" in f for f in functions):
            raise TypeError("function must be a list of specs with a name")
        return Question(str(record["id"]), text, functions, messages=list(messages))
    except (KeyError, IndexError, TypeError) as e:
        raise ValueError(f"{where}: not a BFCL question ({e})") from None


def load_questions(
    questions: Path, answers: Path | None = None, limit: int | None = None, need_answers: bool = True
) -> list[Question]:
    """The first `limit` questions of a BFCL file, each with its answer from `answers` (by id)."""
    records = _read_lines(questions)[:limit]
    out = [_question(r, f"{questions}: record {i + 1}") for i, r in enumerate(records)]
    if answers is None:
        if need_answers:
            raise ValueError(f"{questions}: the category needs an answer file")
        return out
    truth = {}
    for i, r in enumerate(_read_lines(answers)):
        if not isinstance(r, dict) or "id" not in r or not isinstance(r.get("ground_truth"), list):
            raise ValueError(f"{answers}: record {i + 1} is not a BFCL answer (id, ground_truth list)")
        truth[str(r["id"])] = r["ground_truth"]
    for q in out:
        if q.id not in truth and need_answers:
            raise ValueError(f"{answers}: no answer for question {q.id}")
        q.ground_truth = truth.get(q.id)
    return out


# ---------------------------------------------------------------- scoring


@cache
def _checker():
    """`bfcl_eval`'s `ast_checker`, imported narrowly: the checker module imports BFCL's model table
    (`constants.model_config`) only to ask whether a model renames '.' to '_' in function names, and that
    table imports every provider's SDK. A stand-in table answering "no renaming" for any model is put in
    its place before the import; nothing else is replaced."""
    name = "bfcl_eval.constants.model_config"
    if name not in sys.modules:
        stand_in = types.ModuleType(name)
        stand_in.MODEL_CONFIG_MAPPING = _NoRenaming()
        sys.modules[name] = stand_in
    from bfcl_eval.constants.enums import Language
    from bfcl_eval.eval_checker.ast_eval.ast_checker import ast_checker

    return ast_checker, Language.PYTHON


class _NoRenaming(dict):
    """Every model's config says `underscore_to_dot=False`: our calls keep BFCL's function names."""

    def __missing__(self, key: str) -> types.SimpleNamespace:
        return types.SimpleNamespace(underscore_to_dot=False)


def score(category: str, question: Question, calls: Sequence[dict]) -> dict:
    """Score a turn's calls (`[{name: {parameter: value}}]`) as BFCL does: `{"correct", "error"}`. A
    question of a user's file whose answer lists no call is right with none, as an irrelevance one is."""
    if category in ABSTAIN or question.ground_truth == []:
        return {"correct": not calls, "error": "a call where none fits" if calls else None}
    if category in RELEVANCE:
        return {"correct": bool(calls), "error": None if calls else "no call"}
    ast_checker, python = _checker()
    verdict = ast_checker(question.functions, list(calls), question.ground_truth, python, category, CHECKER_MODEL)
    return {"correct": bool(verdict["valid"]), "error": None if verdict["valid"] else verdict.get("error_type")}


def checker_category(category: str, questions: Sequence[Question]) -> str:
    """The category name the checker is given for a user's own file: its calls' shape picks the checker
    (parallel if an answer holds several calls, multiple if a question offers several functions)."""
    if category != "custom":
        return category
    parallel = any(len(q.ground_truth or []) > 1 for q in questions)
    multiple = any(len(q.functions) > 1 for q in questions)
    if parallel:
        return "parallel_multiple" if multiple else "parallel"
    return "multiple" if multiple else "simple"

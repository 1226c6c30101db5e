"""Tool catalogs and query sets for tool selection: MetaTool's ToolE (199 tools), ToolBank's NumpyBank
(513 renamed numpy tools, several per instruction), KAMEL's relations, the pandas and AWS catalogs as
distractors, and MetaTool's awareness and reliability queries. Every split is seeded and disjoint."""

from __future__ import annotations

import csv
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field

from toolken.demonstrations import DataError, read_records
from toolken.tools import Tool

from .toolsets import DATA_DIR, TOOLKENGPT_DIR, get_toolset

METATOOL_DIR = DATA_DIR / "metatool"
TOOLBANK_DIR = DATA_DIR / "toolbank"
SELECTION_DATA = ("metatool", "numpybank", "kamel")
MAX_QUERY_CHARS = 400  # longer ToolE rows are model answers, not queries


@dataclass
class Query:
    """A request and the tools it needs (none: no tool should be used)."""

    text: str
    tools: list[str] = field(default_factory=list)


@dataclass
class Catalog:
    """Tools and their train / validation / test queries."""

    name: str
    tools: list[Tool]
    train: list[Query]
    val: list[Query]
    test: list[Query]


def safe_name(name: str) -> str:
    """`name` with characters a toolken name cannot hold replaced by `_` (`PDF&URLTool` -> `PDF_URLTool`)."""
    return re.sub(r"[^A-Za-z0-9_.\-]", "_", name)


def _tool(name: str, description: str) -> Tool:
    safe = safe_name(name)
    return Tool(safe, description, title=name if safe != name else "")


def _split(items: list, fractions: tuple[float, float], rng: random.Random) -> tuple[list, list, list]:
    """Shuffle `items` and cut (train, val, test) with val/test `fractions`; val and test get at least
    one item each when there are three or more."""
    items = list(items)
    rng.shuffle(items)
    n_val, n_test = (max(1 if len(items) >= 3 else 0, round(f * len(items))) for f in fractions)
    return items[n_val + n_test :], items[:n_val], items[n_val : n_val + n_test]


def metatool_tools() -> list[Tool]:
    """The 199 ToolE tools with their descriptions."""
    return [_tool(n, d) for n, d in json.loads((METATOOL_DIR / "plugin_des.json").read_text()).items()]


def _metatool_reserved() -> set[str]:
    """Queries of the awareness and reliability files: kept out of the selection splits."""
    files = ("awareness_task1.json", "reliability_task2_subtask3.json")
    return {r["query"] for f in files for r in json.loads((METATOOL_DIR / f).read_text())}


def load_metatool(
    seed: int = 0, max_train: int = 40, max_val: int = 5, max_test: int = 20, fractions: tuple = (0.1, 0.2)
) -> Catalog:
    """ToolE: each tool's queries are split (seeded) into train / val / test (10% / 20% by default),
    then capped per tool (`max_*`) so that no tool dominates and a run stays short."""
    reserved = _metatool_reserved()
    per_tool: dict[str, list[str]] = defaultdict(list)
    with open(METATOOL_DIR / "all_clean_data.csv", newline="") as f:
        for row in csv.DictReader(f):
            query = row["Query"].strip()
            if query and len(query) <= MAX_QUERY_CHARS and query not in reserved:
                per_tool[safe_name(row["Tool"])].append(query)
    rng = random.Random(seed)
    splits: dict[str, list[Query]] = {"train": [], "val": [], "test": []}
    for name in sorted(per_tool):
        parts = _split(sorted(set(per_tool[name])), fractions, rng)
        for key, part, cap in zip(splits, parts, (max_train, max_val, max_test)):
            splits[key].extend(Query(q, [name]) for q in part[:cap])
    return Catalog("metatool", metatool_tools(), **splits)


def toolbank_tools(library: str) -> list[Tool]:
    """A ToolBank catalog (`numpy`, `pandas` or `aws`), one tool per distinct renamed function."""
    files = {
        "numpy": "numpy_function_descriptions.json",
        "pandas": "pandas_function_descriptions_with_classes.json",
        "aws": "aws_function_descriptions.json",
    }
    tools: dict[str, Tool] = {}
    for entry in json.loads((TOOLBANK_DIR / files[library]).read_text()).values():
        tool = _tool(entry["new_func"], entry["description"])
        tools.setdefault(tool.name, tool)  # a repeated renamed name keeps its first description
    return list(tools.values())


def load_numpybank(seed: int = 0, fractions: tuple = (0.1, 0.2)) -> Catalog:
    """NumpyBank: instructions split (seeded) into train / val / test; each needs 2-6 tools."""
    records = json.loads((TOOLBANK_DIR / "NumpyBank_val.json").read_text())
    queries = [Query(r["refined_instruction"], list(dict.fromkeys(r["functions"]))) for r in records]
    train, val, test = _split(queries, fractions, random.Random(seed))
    return Catalog("numpybank", toolbank_tools("numpy"), train, val, test)


def _kamel_query(record: dict) -> Query | None:
    """A synthetic KAMEL sentence cut where its call goes: the text before the call's result."""
    call = record.get("call") or [""]
    result = call[0].rsplit("=", 1)[-1].removesuffix("</f>").strip().strip('"')
    at = record["text"].find(result) if result else -1
    return Query(record["text"][:at].strip(), [record["api"]]) if at > 0 else None


def load_kamel(seed: int = 0, val_fraction: float = 0.1) -> Catalog:
    """KAMEL's 234 relation tools: train / val from the synthetic sentences (cut before the answer),
    test = the 500 questions of `test_first_234.json`."""
    tools = list(get_toolset("kamel").tools)
    names = {t.name for t in tools}
    records = [r for r in read_records(TOOLKENGPT_DIR / "kamel" / "train_clean.json") if r.get("api") in names]
    queries = [q for q in map(_kamel_query, records) if q is not None]
    train, val, _ = _split(queries, (val_fraction, 0.0), random.Random(seed))
    test = [Query(r["question"], [r["api"]]) for r in read_records(TOOLKENGPT_DIR / "kamel" / "test_first_234.json")]
    return Catalog("kamel", tools, train, val, test)


def load_catalog(name: str, seed: int = 0) -> Catalog:
    """A selection data set by name: metatool, numpybank or kamel."""
    loaders = {"metatool": load_metatool, "numpybank": load_numpybank, "kamel": load_kamel}
    if name not in loaders:
        raise DataError(f"unknown selection data {name!r}; choose from {SELECTION_DATA}")
    return loaders[name](seed=seed)


def distractor_tools(exclude: set[str], seed: int = 0) -> list[Tool]:
    """The ToolBank catalogs (numpy, pandas, aws) minus `exclude`d names, in a seeded order (a name in
    two catalogs is kept once)."""
    tools: dict[str, Tool] = {}
    for lib in ("numpy", "pandas", "aws"):
        for tool in toolbank_tools(lib):
            if tool.name not in exclude:
                tools.setdefault(tool.name, tool)
    tools = list(tools.values())
    random.Random(seed).shuffle(tools)
    return tools


def load_awareness(seed: int = 0, fractions: tuple = (0.2, 0.5)) -> tuple[list[Query], list[Query], list[Query]]:
    """MetaTool awareness (task 1) split (seeded) into train / val / test (30% / 20% / 50%): queries that
    need a tool name it; the others have no tool."""
    records = json.loads((METATOOL_DIR / "awareness_task1.json").read_text())
    queries = [Query(r["query"], [safe_name(r["tool"])] if r["label"] == "positive" else []) for r in records]
    return _split(queries, fractions, random.Random(seed))


def load_reliability() -> list[Query]:
    """MetaTool reliability (task 2, subtask 3): queries with their gold tool, to be offered a tool set
    that lacks it."""
    records = json.loads((METATOOL_DIR / "reliability_task2_subtask3.json").read_text())
    return [Query(r["query"], [safe_name(r["tool"])]) for r in records]

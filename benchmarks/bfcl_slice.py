"""Questions START to END (0-based, END excluded) of a BFCL category, or the questions of any
categories whose ids a file lists (`--ids`), with their answers, as files in BFCL's format for
`toolken bench bfcl --data ... --answers ...`: a run on questions no rule was read from, or on the
questions a change touches, with a head trained for those questions' functions only. An irrelevance
question is answered right with no call (`"ground_truth": []`); a live_relevance one (right with any
call, which an answer file cannot say) is left out, and said so.

    python benchmarks/bfcl_slice.py simple 140 180 --out slices
    python benchmarks/bfcl_slice.py --ids ids.txt --out slices   # writes slices/ids.json and its answers
    toolken bench bfcl --data slices/simple-140-180.json --answers slices/simple-140-180.answers.json \\
        --method toolken --out simple-140-180.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from toolken.atomic import write_text
from toolken_bench.bfcl import CATEGORIES, RELEVANCE, category_files


def _answers(category: str) -> dict[str, str]:
    """A category's answer lines by question id ({} for a category with no answer file)."""
    answers = category_files(category)[1]
    lines = answers.read_text(encoding="utf-8").splitlines() if answers else []
    return {json.loads(line)["id"]: line for line in lines if line}


def _by_ids(ids: set[str]) -> tuple[list[str], list[str]]:
    """The question lines of every category whose ids are in `ids`, and their answer lines."""
    questions, answers = [], []
    for category in (c for c in CATEGORIES if c not in RELEVANCE):
        truth = _answers(category)
        for line in category_files(category)[0].read_text(encoding="utf-8").splitlines():
            if line and (qid := json.loads(line)["id"]) in ids:
                questions.append(line)
                answers.append(truth.get(qid) or json.dumps({"id": qid, "ground_truth": []}))
    return questions, answers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("category", nargs="?", help="a BFCL category with answers: simple, multiple, parallel, ...")
    parser.add_argument("start", type=int, nargs="?", help="the first question, 0-based")
    parser.add_argument("end", type=int, nargs="?", help="the question after the last")
    parser.add_argument("--ids", type=Path, help="a file of question ids, one per line, instead of a range")
    parser.add_argument("--out", type=Path, default=Path("slices"), help="folder for the two files")
    a = parser.parse_args(argv)
    if a.ids:
        ids = {line.strip() for line in a.ids.read_text(encoding="utf-8").splitlines()} - {""}
        lines, truth = _by_ids(ids)
        name = a.out / a.ids.stem
        if left := sorted(i for i in ids if i.startswith(tuple(f"{c}_" for c in RELEVANCE))):
            print(f"left out {len(left)} live_relevance questions (right with any call: no answer file says so)")
    elif a.category is None or a.start is None or a.end is None:
        parser.error("give a category, start and end, or --ids")
    else:
        if category_files(a.category)[1] is None:
            parser.error(f"{a.category} has no answer file")
        lines = category_files(a.category)[0].read_text(encoding="utf-8").splitlines()[a.start : a.end]
        answers = _answers(a.category)
        truth = [answers[json.loads(line)["id"]] for line in lines]
        name = a.out / f"{a.category}-{a.start}-{a.end}"
    write_text(Path(f"{name}.json"), "\n".join(lines) + "\n")
    write_text(Path(f"{name}.answers.json"), "\n".join(truth) + "\n")
    print(f"{name}.json: {len(lines)} questions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

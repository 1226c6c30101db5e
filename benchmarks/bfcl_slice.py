"""Questions START to END (0-based, END excluded) of a BFCL category, with their answers, as files in
BFCL's format for `toolken bench bfcl --data ... --answers ...`: a run on questions no rule was read
from, with a head trained for those questions' functions only.

    python benchmarks/bfcl_slice.py simple 140 180 --out slices
    toolken bench bfcl --data slices/simple-140-180.json --answers slices/simple-140-180.answers.json \\
        --method toolken --out simple-140-180.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from toolken.atomic import write_text
from toolken_bench.bfcl import category_files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("category", help="a BFCL category with answers: simple, multiple, parallel, ...")
    parser.add_argument("start", type=int, help="the first question, 0-based")
    parser.add_argument("end", type=int, help="the question after the last")
    parser.add_argument("--out", type=Path, default=Path("slices"), help="folder for the two files")
    a = parser.parse_args(argv)
    questions, answers = category_files(a.category)
    if answers is None:
        parser.error(f"{a.category} has no answer file")
    lines = questions.read_text(encoding="utf-8").splitlines()[a.start : a.end]
    truth = {json.loads(line)["id"]: line for line in answers.read_text(encoding="utf-8").splitlines() if line}
    name = a.out / f"{a.category}-{a.start}-{a.end}"
    write_text(Path(f"{name}.json"), "\n".join(lines) + "\n")
    write_text(Path(f"{name}.answers.json"), "\n".join(truth[json.loads(line)["id"]] for line in lines) + "\n")
    print(f"{name}.json: {len(lines)} questions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

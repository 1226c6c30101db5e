"""The library stands alone: `import toolken` and `toolken train` + `toolken run` on a user's own tool
set load nothing of the papers' harness (`toolken_bench`) or of the bench extra's dependencies, and
work with those hidden, as in an install without the extra."""

import json
import subprocess
import sys

import pytest

# what only the bench extra brings: the harness itself, plots, significance tests, retrieval baselines
BENCH_ONLY = ("toolken_bench", "matplotlib", "scipy", "bm25s", "sentence_transformers")

DRIVER = """
import json, sys

hidden = sys.argv[1].split(",") if sys.argv[1] else []
for name in hidden:  # as if not installed: `import name` fails, find_spec(name) is None
    sys.modules[name] = None

import toolken

after_import = sorted(m for m, module in sys.modules.items() if module is not None)
from toolken.cli import main

half = sys.argv.index("--")
codes = [main(sys.argv[2:half]), main(sys.argv[half + 1 :])]
loaded = sorted(m for m, module in sys.modules.items() if module is not None)
print(json.dumps({"codes": codes, "after_import": after_import, "at_exit": loaded}))
"""

# what transformers' own model code imports of those when they are installed (scipy, for its
# object-detection losses): not the library's doing
BASELINE = """
import json, sys
import transformers.modeling_utils
print(json.dumps(sorted(sys.modules)))
"""


def _bench_only(modules: list[str]) -> set[str]:
    return {m.split(".")[0] for m in modules if m.split(".")[0] in BENCH_ONLY}


@pytest.fixture(scope="module")
def transformers_own() -> set[str]:
    r = subprocess.run([sys.executable, "-c", BASELINE], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return _bench_only(json.loads(r.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("hidden", [(), BENCH_ONLY], ids=["installed", "hidden"])
def test_train_and_run_a_users_tools_load_nothing_of_the_bench_extra(
    hidden, tiny_model_dir, tmp_path, user_files, transformers_own
):
    head = tmp_path / "head"
    tools = ["--tools", str(user_files.tools), "--functions", str(user_files.functions)]
    train = ["train", *tools, "--data", str(user_files.data), "--out", str(head), "--model", str(tiny_model_dir)]
    run = ["run", str(head), "What is 3 plus 4?", "--json", "--bias", "100", "--max-new-tokens", "6"]
    run += ["--functions", str(user_files.functions)]
    env = {"TOOLKEN_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    command = [sys.executable, "-c", DRIVER, ",".join(hidden), *train, "--epochs", "1", "--", *run]
    r = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stdout.strip().splitlines()
    report = json.loads(lines[-1])
    assert report["codes"] == [0, 0], r.stderr[-3000:]
    assert "torch" not in report["after_import"]  # `import toolken` itself is light: names load on first use
    assert not _bench_only(report["after_import"])
    assert json.loads(lines[-2])["calls"], lines  # the run did call the user's tools (forced by the bias)
    assert {"toolken.training", "toolken.generation"} <= set(report["at_exit"])
    assert _bench_only(report["at_exit"]) <= (transformers_own - set(hidden))
    assert "toolken_bench" not in transformers_own and not _bench_only(report["at_exit"]) - {"scipy"}

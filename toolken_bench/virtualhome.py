"""VirtualHome plans and their scoring in VirtualHome's own simulator.

A plan is a list of steps `(ACTION, object)`, written one per line as `[WALK] <home_office>` and closed
by `[END]` (the ToolkenGPT format). Scores of a predicted plan against the gold one:

- **exact match**: the same steps in the same order;
- **LCS similarity**: the length of the longest common subsequence of the two step lists divided by
  the length of the longer one (1.0 when both are empty), so a plan missing or adding steps loses in
  proportion; a step is the pair (action, object), compared whole;
- **executable** (needs a scene graph): the plan has at least one step and reads cleanly (no line that
  is not a step before `[END]`), it becomes VirtualHome script lines `[WALK] <kitchen>
  (id)`, each object resolved to a node of the scene graph (`to_script`), and VirtualHome's
  evolving-graph `ScriptExecutor` runs every line from the program's initial graph without failing a
  precondition;
- **success** (needs a scene graph): the plan is executable and the state it ends in satisfies the
  goal conditions of the gold program (`goal_conditions`): every object state and every relation other
  than CLOSE and FACING (incidental proximity) that the gold program adds or removes between its
  initial and final graph is, respectively, present or absent after the predicted plan.

Where scene graphs exist: the bench task `virtualhome` evaluates the 47 validation plans of the
ToolkenGPT file, which carry no scene graph of their own; 20 of them have the goal, hint and plan of a
TrimmedTestScene1 program, and only those 20 get executability and success (the other 27: exact match
and LCS only; their gold plans, resolved by `to_script`, succeed on 19 of the 20). `virtualhome-scene`
evaluates `HELDOUT` = 50 seeded held-out TrimmedTestScene1 programs (`heldout_records`), all with scene
graphs (their gold plans, resolved by `to_script`, succeed on all 50).

The simulator and its scene programs are `toolken_bench.simulator`.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from functools import cache

from .simulator import (
    STEP_RE,
    Program,
    Step,
    character_room,
    evaluate,
    execute,
    find_program,
    goal_conditions,
    scene_programs,
)
from .toolsets import TOOLKENGPT_DIR

PLAN_HEADER = "Plan:\n"


# ---------------------------------------------------------------- plans


def parse_plan(text: str) -> tuple[list[Step], str | None]:
    """The steps of a plan written one per line (`[WALK] <home_office>`), up to `[END]` or a blank
    line; a line that is not a step stops the plan. Returns the steps and an error (None if the plan
    reads cleanly to its end). Actions are upper-cased, objects lower-cased with `_` for spaces."""
    steps: list[Step] = []
    for line in text.lstrip("\n").split("\n"):
        line = line.strip()
        if not line:
            return steps, None
        m = STEP_RE.fullmatch(line)
        if m is None:
            return steps, f"not a plan step: {line[:80]!r}"
        action, obj = m.group(1).upper(), m.group(2)
        if action == "END":
            return steps, None
        steps.append((action, obj.strip().lower().replace(" ", "_") if obj else None))
    return steps, None


def plan_from_tokens(tokens: list[str]) -> list[Step]:
    """The steps of a ToolkenGPT `tar_eq` list (`["[WALK]", "<home_office>", ..., "[END]"]`)."""
    return parse_plan(" ".join(t if t.startswith("<") else "\n" + t for t in tokens))[0]


def format_plan(steps: list[Step]) -> str:
    """Steps as plan text, one per line, closed by `[END]`."""
    return "".join(f"[{a}] <{o}>\n" if o else f"[{a}]\n" for a, o in steps) + "[END]"


def lcs_similarity(pred: list[Step], gold: list[Step]) -> float:
    """Longest common subsequence of two step lists over the length of the longer (1.0 if both empty)."""
    if not pred and not gold:
        return 1.0
    prev = [0] * (len(gold) + 1)
    for p in pred:
        row = [0]
        for j, g in enumerate(gold):
            row.append(prev[j] + 1 if p == g else max(prev[j + 1], row[j]))
        prev = row
    return prev[-1] / max(len(pred), len(gold))


# ---------------------------------------------------------------- benchmark records

TRAIN_FILE = TOOLKENGPT_DIR / "vh" / "legal_train_v4_embedding.json"
N_VAL = 47  # the last 47 plans of TRAIN_FILE are its validation split; the first 200 train
HELDOUT = 50  # held-out scene programs, like the papers' 50 test pairs
_TASK_RE = re.compile(r"I am in \[(?P<room>[^\]]*)\]\. .*?\nGoal:\n(?P<goal>.*?)\nHint:\n(?P<hint>.*?)\nPlan:\n$", re.S)


def last_task(text: str) -> str:
    """The last task of a record's text, from its `I am in` line: the data's records open with three
    example tasks (~650 of ~900 tokens), which would make every forward pass about four times slower
    on a CPU, so the toolken heads train and answer on the last task alone (the baselines show their
    own examples instead)."""
    return text[max(0, text.rfind("I am in ")) :]


def question(record: dict) -> str:
    """A record's last task up to and including its `Plan:` line: what the model completes."""
    text = last_task(record["text"])
    end = text.rfind(PLAN_HEADER)
    if end < 0:
        raise ValueError("a VirtualHome record needs a 'Plan:' line")
    return text[: end + len(PLAN_HEADER)]


def training_record(record: dict) -> dict:
    """A training record cut to its last task (see `last_task`)."""
    return {**record, "text": last_task(record["text"])}


def gold_steps(record: dict) -> list[Step]:
    """The gold plan of a record (its `tar_eq` tokens)."""
    return plan_from_tokens(record["tar_eq"])


def match_program(record: dict) -> str | None:
    """The TrimmedTestScene1 program with the record's goal, hint and gold plan, if there is one."""
    m = _TASK_RE.match(question(record))
    if m is None:
        return None
    goal, hint, steps = m["goal"].strip(), m["hint"].strip(), tuple(gold_steps(record))
    return next((p.name for p in scene_programs() if (p.title, p.description, p.steps) == (goal, hint, steps)), None)


def with_programs(records: list[dict]) -> list[dict]:
    """The records, each with a `program` (the name of its scene program, or None when its scene
    graph is unknown) unless it names one already."""
    return [r if "program" in r else {**r, "program": match_program(r)} for r in records]


def validation_records() -> list[dict]:
    """The last `N_VAL` plans of the training file (its validation split), matched to scene programs."""
    return with_programs(json.loads(TRAIN_FILE.read_text())[-N_VAL:])


def _vocabulary() -> tuple[set[str], set[str]]:
    """The actions and objects of the plan vocabulary (`func_dict.json`)."""
    tokens = json.loads((TOOLKENGPT_DIR / "vh" / "func_dict.json").read_text())
    return {t[1:-1] for t in tokens if t.startswith("[")} - {"END"}, {t[1:-1] for t in tokens if t.startswith("<")}


def _plan_tokens(steps: list[Step]) -> list[str]:
    return [t for a, o in steps for t in (f"[{a}]", f"<{o}>")] + ["[END]"]


def scene_record(program: Program, graphs: dict) -> dict:
    """A program as a record of the training format: its task (the room the character starts in, the
    vocabulary objects of the scene, goal, hint) and its plan."""
    _, objects = _vocabulary()
    init = graphs["init_graph"]
    classes = {n["id"]: n["class_name"] for n in init["nodes"]}
    present = sorted(objects & set(classes.values()))
    task = (
        f"I am in [{classes.get(character_room(init))!r}]. The objects I can manipulate are {present}.\n"
        f"Goal:\n{program.title}\nHint:\n{program.description}\n{PLAN_HEADER}"
    )
    return {
        "text": task + format_plan(list(program.steps)),
        "tar_eq": _plan_tokens(list(program.steps)),
        "program": program.name,
    }


def heldout_records(limit: int | None = None, n: int = HELDOUT, seed: int = 0) -> list[dict]:
    """A fixed seeded held-out set of TrimmedTestScene1 programs, as records: programs whose every
    step is in the plan vocabulary, whose plan is not one of the 200 training plans, whose gold
    script runs in the simulator and reaches its own goal, and whose goal is not empty; shuffled with
    `seed`, the first `n` (the first `limit` of those when given, checking only as many as needed)."""
    actions, objects = _vocabulary()
    trained = {tuple(gold_steps(r)) for r in json.loads(TRAIN_FILE.read_text())[:-N_VAL]}
    candidates = [
        p
        for p in scene_programs()
        if p.steps and all(a in actions and o in objects for a, o in p.steps) and p.steps not in trained
    ]
    random.Random(seed).shuffle(candidates)
    records = []
    for program in candidates:
        if len(records) >= min(n, limit if limit is not None else n):
            break
        graphs = program.graphs()
        goal = goal_conditions(graphs["init_graph"], graphs["final_graph"])
        ok, final, _ = execute(list(program.script), graphs["init_graph"])
        if (goal.present or goal.absent) and ok and goal.satisfied_by(final):
            records.append(scene_record(program, graphs))
    return records


@cache
def scene_objects(program: str) -> frozenset[str]:
    """The class names of the nodes in a program's initial scene graph."""
    found = find_program(program)
    if found is None:
        return frozenset()
    return frozenset(n["class_name"] for n in found.graphs()["init_graph"]["nodes"])


def step_grammar(tool_names: list[str], scenes: dict[str, frozenset[str]]) -> Callable[[str], list[str]]:
    """`allowed_tools` for plans: each step opens with an action toolken (or END), an object toolken
    follows the action, nothing follows END; objects are limited to the scene's when the question
    (the text up to its `Plan:` line) is a key of `scenes`."""
    objects = [t for t in tool_names if t.lower() == t]  # objects are lower case, actions upper case
    actions = [t for t in tool_names if t not in objects]
    token = re.compile(r"\[(\w+)\]|<(\w+)>")

    def allowed(text: str) -> list[str]:
        end = text.rfind(PLAN_HEADER) + len(PLAN_HEADER)
        last = list(token.finditer(text[end:]))[-1:] or [None]
        if last[0] is None or last[0].group(2):
            return actions
        if last[0].group(1) == "END":
            return []
        scene = scenes.get(text[:end])
        return objects if scene is None else [o for o in objects if o in scene]

    return allowed


def score(record: dict, completion: str) -> dict:
    """Score a completion against a record: the parsed plan, exact match, LCS similarity and, when the
    record has a scene program, executability and success (None otherwise; `error` says why a plan
    failed, or that no scene graph is known)."""
    gold = gold_steps(record)
    pred, error = parse_plan(completion.split(PLAN_HEADER)[-1])  # a chain of thought ends with the plan
    out = {
        "plan": format_plan(pred),
        "gold": format_plan(gold),
        "exact_match": pred == gold,
        "lcs": lcs_similarity(pred, gold),
        "executable": None,
        "success": None,
        "script": None,
    }
    program = find_program(record["program"]) if record.get("program") else None
    if program is None:
        note = "no scene graph for this plan" if not record.get("program") else f"unknown program {record['program']!r}"
        return {**out, "error": error or note}
    if error or not pred:  # a plan that does not parse, or has no step, does not run
        return {**out, "executable": False, "success": False, "error": error or "empty plan", "program": program.name}
    return {**out, **evaluate(pred, program), "program": program.name}


def metrics(scores: list[dict]) -> dict:
    """Mean exact match and LCS over all plans, executability and success over those with a scene
    graph; `accuracy` is the success rate when any plan has a scene graph, else the exact-match rate
    (`headline` says which)."""
    n = max(1, len(scores))
    scened = [s for s in scores if s["executable"] is not None]
    out = {
        "exact_match": sum(s["exact_match"] for s in scores) / n,
        "lcs": sum(s["lcs"] for s in scores) / n,
        "n_scene": len(scened),
        "executability": sum(s["executable"] for s in scened) / len(scened) if scened else None,
        "success": sum(s["success"] for s in scened) / len(scened) if scened else None,
    }
    headline = "success" if scened else "exact_match"
    return {"accuracy": out[headline], "headline": headline, **out}

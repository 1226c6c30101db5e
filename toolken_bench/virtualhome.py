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

The simulator is the `virtualhome` PyPI package (2.3.0, installed with `--no-deps`): only its
`simulation/evolving_graph` modules are loaded, straight from their files, because the package's
`__init__` imports the Unity client (opencv, requests, IPython) that the executor does not need. Scene
graphs come from the `virtualhome-eval` package (0.1.1, `--no-deps`): the VirtualHome program dataset of
TrimmedTestScene1 (scripts with init and final graphs), found with `importlib.util.find_spec` and never
imported.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import json
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace

from .toolsets import TOOLKENGPT_DIR

Step = tuple[str, str | None]  # (ACTION, object or None)

PLAN_HEADER = "Plan:\n"
SCENE = "TrimmedTestScene1_graph"
PROGRAMS = Path("dataset/programs_processed_precond_nograb_morepreconds")
IGNORED_RELATIONS = frozenset({"CLOSE", "FACING"})  # proximity that any walk changes, not a goal
_STEP_RE = re.compile(r"\[(\w+)\][ \t]*(?:<([^<>\n]+)>[ \t]*(?:\(([\d.]+)\))?)?[ \t]*")


class SimulatorUnavailable(OSError):
    """The `virtualhome` or `virtualhome-eval` package is not installed (an `OSError`: a missing
    resource, which the CLI reports as an error message)."""


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
        m = _STEP_RE.fullmatch(line)
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


# ---------------------------------------------------------------- the installed packages


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SimulatorUnavailable(f"the {name} package is not installed: pip install --no-deps {name}")
    return Path(list(spec.submodule_search_locations)[0])


def programs_dir() -> Path:
    """The TrimmedTestScene1 program dataset shipped by `virtualhome-eval`."""
    return _package_dir("virtualhome_eval") / PROGRAMS


@cache
def simulator() -> SimpleNamespace:
    """VirtualHome's evolving-graph modules `scripts`, `environment` and `execution`, loaded from the
    installed `virtualhome` package without running its package `__init__`s."""
    folder = _package_dir("virtualhome") / "simulation" / "evolving_graph"
    name = "toolken._virtualhome_evolving_graph"
    if name not in sys.modules:  # an empty package whose submodules are the simulator's files
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(folder)]
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
    modules = {m: importlib.import_module(f"{name}.{m}") for m in ("scripts", "environment", "execution")}
    modules["execution"].JoinedExecutor.execute = _joined_execute
    return SimpleNamespace(**modules)


def _joined_execute(self, script, state, info, char_index, modify=True, in_place=False):
    """virtualhome 2.3.0's `JoinedExecutor.execute` lacks the `modify` and `in_place` arguments that
    `FindExecutor` passes it (a TypeError on every [FIND] of an object the character is not close to):
    the same method with the signature of the other executors."""
    for executor in self.executors:
        yield from executor.execute(script, state, info, char_index, modify, in_place)


# ---------------------------------------------------------------- scene programs


@dataclass(frozen=True)
class Program:
    """A VirtualHome program of the dataset: its goal, hint, steps and gold script (graph node ids)."""

    name: str  # e.g. results_intentions_march-13-18/file1003_2
    title: str
    description: str
    steps: tuple[Step, ...]
    script: tuple[str, ...]  # the gold script lines, `[WALK] <home_office> (319)`

    def graphs(self) -> dict:
        """The program's `init_graph` and `final_graph` (read from the installed package)."""
        path = programs_dir() / "init_and_final_graphs" / SCENE / f"{self.name}.json"
        return json.loads(path.read_text())


def read_program(name: str, text: str) -> Program:
    """Parse a program file: goal title, hint, then script lines `[Walk] <home_office> (1.319)` whose
    instance is `<script index>.<graph node id>`."""
    lines = text.split("\n")
    steps, script = [], []
    for line in lines[2:]:
        m = _STEP_RE.fullmatch(line.strip())
        if m is None:
            continue
        objects = re.findall(r"<([^<>]+)>\s*\(\d+\.(\d+)\)", line)
        action = m.group(1).upper()
        steps.append((action, objects[0][0] if len(objects) == 1 else None))
        script.append(f"[{action}]" + "".join(f" <{o}> ({i})" for o, i in objects))
    return Program(name, lines[0].strip(), lines[1].strip() if len(lines) > 1 else "", tuple(steps), tuple(script))


@cache
def scene_programs() -> tuple[Program, ...]:
    """Every TrimmedTestScene1 program of the installed dataset, sorted by name."""
    folder = programs_dir() / "executable_programs" / SCENE
    return tuple(
        read_program(f"{p.parent.name}/{p.stem}", p.read_text(encoding="utf-8", errors="replace"))
        for p in sorted(folder.glob("*/*.txt"))
    )


def find_program(name: str) -> Program | None:
    """The scene program called `name`, or None."""
    return next((p for p in scene_programs() if p.name == name), None)


# ---------------------------------------------------------------- execution and goals


class PlanError(ValueError):
    """A plan that cannot become a script of the scene (unknown action or object, missing object)."""


def character_room(graph: dict) -> int | None:
    """The node id of the room the character starts in."""
    rooms = {n["id"] for n in graph["nodes"] if n.get("category") == "Rooms"}
    chars = {n["id"] for n in graph["nodes"] if n["class_name"] == "character"}
    return next(
        (
            e["to_id"]
            for e in graph["edges"]
            if e["from_id"] in chars and e["relation_type"] == "INSIDE" and e["to_id"] in rooms
        ),
        None,
    )


def to_script(steps: list[Step], graph: dict) -> list[str]:
    """Script lines `[WALK] <chair> (356)` for `steps` in the scene `graph`. Each object is resolved
    without looking at any gold program: a room is the room of that class; another object is the
    instance of its class inside the room the plan last walked to (the character's room at first),
    else the one with the lowest id. Raises `PlanError` for an unknown action or absent object."""
    actions = simulator().scripts.Action.__members__
    by_class: dict[str, list[dict]] = {}
    for n in graph["nodes"]:
        by_class.setdefault(n["class_name"], []).append(n)
    room_of = {e["from_id"]: e["to_id"] for e in graph["edges"] if e["relation_type"] == "INSIDE"}
    room, lines = character_room(graph), []
    for action, obj in steps:
        if action not in actions or action in ("END",):
            raise PlanError(f"unknown action [{action}]")
        if obj is None:
            raise PlanError(f"[{action}] has no object")
        nodes = sorted(by_class.get(obj, []), key=lambda n: n["id"])
        if not nodes:
            raise PlanError(f"no <{obj}> in the scene")
        if nodes[0].get("category") == "Rooms":
            node = nodes[0]
            room = node["id"]
        else:
            node = next((n for n in nodes if room_of.get(n["id"]) == room), nodes[0])
        lines.append(f"[{action}] <{obj}> ({node['id']})")
    return lines


def execute(script: list[str], init_graph: dict) -> tuple[bool, dict | None, str | None]:
    """Run script lines in VirtualHome's `ScriptExecutor` from `init_graph`. Returns whether every
    line ran, the final graph (None if not executable) and the simulator's error message."""
    sim = simulator()
    try:
        parsed = sim.scripts.read_script_from_list_string(script)
        executor = sim.execution.ScriptExecutor(sim.environment.EnvironmentGraph(init_graph), {})
        ok, state, _ = executor.execute(parsed, w_graph_list=False)
    except Exception as e:  # noqa: BLE001 - third-party simulator on model-made scripts: a verdict, not a crash
        return False, None, f"{type(e).__name__}: {e}"
    if not ok:
        return False, None, executor.info.get_error_string() or "a step's precondition failed"
    return True, state.to_dict(), None


def _relation(name: str) -> str:
    return "HOLDS" if name.startswith("HOLDS") else name  # either hand


def _edges(graph: dict) -> set[tuple[int, str, int]]:
    return {
        (e["from_id"], _relation(e["relation_type"]), e["to_id"])
        for e in graph["edges"]
        if e["relation_type"] not in IGNORED_RELATIONS
    }


def _states(graph: dict) -> set[tuple[int, str]]:
    return {(n["id"], s) for n in graph["nodes"] for s in n.get("states", [])}


@dataclass(frozen=True)
class Goal:
    """What a gold program changes: facts (node states `(id, STATE)` and relations `(from, REL, to)`)
    that must hold after a plan, and facts that must not."""

    present: frozenset
    absent: frozenset

    def satisfied_by(self, graph: dict) -> bool:
        """Whether `graph` has every `present` fact and none of the `absent` ones."""
        facts = _states(graph) | _edges(graph)
        return self.present <= facts and not (self.absent & facts)


def goal_conditions(init_graph: dict, final_graph: dict) -> Goal:
    """The goal of a gold program: the object states and relations (other than CLOSE and FACING; the
    two HOLDS relations count as one) that differ between its initial and final graph."""
    before, after = _states(init_graph) | _edges(init_graph), _states(final_graph) | _edges(final_graph)
    return Goal(frozenset(after - before), frozenset(before - after))


def evaluate(steps: list[Step], program: Program, graphs: dict | None = None) -> dict:
    """Executability and goal success of predicted `steps` in `program`'s scene. Returns
    `{"executable", "success", "script", "error"}`; bad plans are verdicts, never exceptions."""
    graphs = graphs or program.graphs()
    try:
        script = to_script(steps, graphs["init_graph"])
    except PlanError as e:
        return {"executable": False, "success": False, "script": None, "error": str(e)}
    ok, final, error = execute(script, graphs["init_graph"])
    goal = goal_conditions(graphs["init_graph"], graphs["final_graph"])
    return {"executable": ok, "success": ok and goal.satisfied_by(final), "script": script, "error": error}


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

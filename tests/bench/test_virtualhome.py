"""VirtualHome: plan parsing and conversion to simulator scripts, the LCS metric, the simulator's
verdicts on gold and broken programs, the goal conditions, the held-out records and the plan grammar."""

import json

import pytest

from toolken.cli import main
from toolken_bench import simulator as sim
from toolken_bench import virtualhome as vh
from toolken_bench.toolsets import VH_ACTIONS, get_toolset

GOLD = "results_intentions_march-13-18/file1003_2"  # "Write an email": 22 steps, all in the vocabulary


@pytest.fixture(scope="module")
def program():
    found = sim.find_program(GOLD)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def graphs(program):
    return program.graphs()


def test_parse_plan():
    text = "[WALK] <home_office>\n[find] <Floor lamp>\n[END]\n[WALK] <bedroom>"
    assert vh.parse_plan(text) == ([("WALK", "home_office"), ("FIND", "floor_lamp")], None)
    assert vh.parse_plan("[WALK] <bedroom>\n\nTask 5:") == ([("WALK", "bedroom")], None)
    assert vh.parse_plan("[SIT]\n[END]") == ([("SIT", None)], None)
    steps, error = vh.parse_plan("[WALK] <bedroom>\nthen I sit down")
    assert steps == [("WALK", "bedroom")] and "not a plan step" in error
    assert vh.parse_plan("") == ([], None)


def test_plan_tokens_round_trip():
    tokens = ["[WALK]", "<home_office>", "[SWITCHON]", "<computer>", "[END]"]
    steps = vh.plan_from_tokens(tokens)
    assert steps == [("WALK", "home_office"), ("SWITCHON", "computer")]
    assert vh.format_plan(steps) == "[WALK] <home_office>\n[SWITCHON] <computer>\n[END]"
    assert vh.parse_plan(vh.format_plan(steps))[0] == steps


def test_lcs_similarity():
    a, b, c, d = ("WALK", "bedroom"), ("FIND", "bed"), ("LIE", "bed"), ("SIT", "bed")
    assert vh.lcs_similarity([a, b, c], [a, b, c]) == 1.0
    assert vh.lcs_similarity([a, c], [a, b, c]) == pytest.approx(2 / 3)  # over the longer plan
    assert vh.lcs_similarity([a, b, c, d], [a, c]) == pytest.approx(2 / 4)
    assert vh.lcs_similarity([b, a], [a, b]) == 0.5  # order matters
    assert vh.lcs_similarity([("WALK", "bed")], [("FIND", "bed")]) == 0.0  # a step is compared whole
    assert vh.lcs_similarity([], []) == 1.0 and vh.lcs_similarity([], [a]) == 0.0


def test_program_files_read_with_graph_ids(program):
    assert program.title == "Write an email" and len(program.steps) == 22
    assert program.steps[0] == ("RUN", "home_office") and program.script[0] == "[RUN] <home_office> (319)"


def test_to_script_resolves_objects_in_the_scene(graphs):
    init = graphs["init_graph"]
    names = {n["id"]: n["class_name"] for n in init["nodes"]}
    lines = sim.to_script([("WALK", "home_office"), ("SWITCHON", "computer")], init)
    assert lines == ["[WALK] <home_office> (319)", "[SWITCHON] <computer> (417)"]
    assert names[319] == "home_office" and names[417] == "computer"
    with pytest.raises(sim.PlanError, match="no <unicorn>"):
        sim.to_script([("WALK", "unicorn")], init)
    with pytest.raises(sim.PlanError, match="unknown action"):
        sim.to_script([("FLY", "bedroom")], init)
    with pytest.raises(sim.PlanError, match="no object"):
        sim.to_script([("WALK", None)], init)


def test_gold_program_executes_and_reaches_its_goal(program, graphs):
    ok, final, error = sim.execute(list(program.script), graphs["init_graph"])
    assert ok and error is None
    goal = sim.goal_conditions(graphs["init_graph"], graphs["final_graph"])
    assert goal.present and goal.satisfied_by(final) and not goal.satisfied_by(graphs["init_graph"])
    verdict = sim.evaluate(list(program.steps), program, graphs)  # the gold steps, objects resolved by to_script
    assert verdict["executable"] and verdict["success"] and verdict["error"] is None


def test_broken_programs_are_not_executable(program, graphs):
    init = graphs["init_graph"]
    ok, final, error = sim.execute(["[SIT] <computer> (417)"], init)  # a computer is not sittable
    assert not ok and final is None and error
    assert sim.execute(["[WALK] <home_office> (1.5)"], init)[0] is False  # does not parse: a verdict
    assert sim.execute(["[WALK] <home_office> (99999)"], init)[0] is False  # no such node
    # executable, but stops short of the goal (the character never sits down)
    short = sim.evaluate(list(program.steps[:3]), program, graphs)
    assert short["executable"] and not short["success"]
    assert sim.evaluate([("WALK", "unicorn")], program, graphs) == {
        "executable": False,
        "success": False,
        "script": None,
        "error": "no <unicorn> in the scene",
    }


def test_find_of_a_far_object_runs(graphs):
    # virtualhome 2.3.0 raises a TypeError here unless `simulator()` mends JoinedExecutor.execute
    ok, _, error = sim.execute(["[FIND] <mouse> (413)"], graphs["init_graph"])
    assert ok, error


def test_goal_conditions_ignore_proximity_and_hands():
    def graph(states, edges):
        nodes = [{"id": 1, "class_name": "character", "states": []}, {"id": 2, "class_name": "tv", "states": states}]
        return {"nodes": nodes, "edges": [{"from_id": f, "relation_type": r, "to_id": t} for f, r, t in edges]}

    init = graph(["OFF"], [(1, "CLOSE", 2)])
    final = graph(["ON"], [(1, "HOLDS_RH", 2), (1, "FACING", 2)])
    goal = sim.goal_conditions(init, final)
    assert goal.present == {(2, "ON"), (1, "HOLDS", 2)} and goal.absent == {(2, "OFF")}
    assert goal.satisfied_by(graph(["ON"], [(1, "HOLDS_LH", 2)]))  # either hand
    assert not goal.satisfied_by(graph(["ON", "OFF"], [(1, "HOLDS_LH", 2)]))
    assert not goal.satisfied_by(graph(["ON"], [(1, "CLOSE", 2)]))


def test_score_never_raises_on_bad_completions(program):
    record = {"text": "x\nPlan:\n[END]", "tar_eq": ["[WALK]", "<home_office>", "[END]"], "program": program.name}
    for text in [
        "",
        "[WALK] <",
        "<<>>[[]]",
        "[WALK] <home_office> and more",
        "[UNKNOWN] <x>",
        "\x00\n[END]",
        "Plan:\n",
    ]:
        s = vh.score(record, text)
        assert s["executable"] is False and s["success"] is False and s["error"], text
    good = vh.score(record, "[WALK] <home_office>\n[END]\n\nmore")
    assert good["exact_match"] and good["lcs"] == 1.0 and good["executable"] and good["error"] is None
    unknown = vh.score({**record, "program": None}, "[WALK] <home_office>")
    assert unknown["executable"] is None and unknown["success"] is None and "no scene graph" in unknown["error"]


def test_metrics_headline():
    plain = [{"exact_match": True, "lcs": 1.0, "executable": None, "success": None}]
    assert vh.metrics(plain) == {
        "accuracy": 1.0,
        "headline": "exact_match",
        "exact_match": 1.0,
        "lcs": 1.0,
        "n_scene": 0,
        "executability": None,
        "success": None,
    }
    mixed = plain + [{"exact_match": False, "lcs": 0.5, "executable": True, "success": False}]
    m = vh.metrics(mixed)
    assert (m["accuracy"], m["headline"], m["n_scene"], m["executability"], m["lcs"]) == (0.0, "success", 1, 1.0, 0.75)


def test_validation_records_match_scene_programs():
    records = vh.validation_records()
    assert len(records) == vh.N_VAL and sum(bool(r["program"]) for r in records) == 20
    for r in records:
        if r["program"]:
            assert list(sim.find_program(r["program"]).steps) == vh.gold_steps(r)


def test_heldout_records_are_seeded_new_and_solvable():
    records = vh.heldout_records(limit=3)
    assert records == vh.heldout_records(limit=3) and len(records) == 3
    trained = {tuple(vh.gold_steps(r)) for r in json.loads(vh.TRAIN_FILE.read_text())[: -vh.N_VAL]}
    for r in records:
        program = sim.find_program(r["program"])
        assert tuple(vh.gold_steps(r)) == program.steps and program.steps not in trained
        assert vh.question(r).endswith(f"Goal:\n{program.title}\nHint:\n{program.description}\nPlan:\n")
        assert vh.score(r, r["text"][len(vh.question(r)) :])["success"]


def test_step_grammar():
    names = [t.name for t in get_toolset("virtualhome").tools]
    q = "Task 4:\nI am in ['bedroom'].\nGoal:\nSleep\nHint:\nbed\nPlan:\n"
    allowed = vh.step_grammar(names, {q: frozenset({"bedroom", "bed", "wall"})})
    assert set(allowed(q)) == set(VH_ACTIONS) | {"END"}
    assert allowed(q + "[WALK]") == ["bedroom", "bed"]  # objects of the scene only
    assert "couch" in allowed("Other\nPlan:\n[WALK]")  # scene unknown: every object
    assert set(allowed(q + "[WALK] <bedroom>\n")) == set(VH_ACTIONS) | {"END"}
    assert allowed(q + "[WALK] <bedroom>\n[END]") == []


def test_bench_virtualhome_reports_plan_metrics(tiny_model_dir, tmp_path, cache_dir):
    out = tmp_path / "scene.json"
    args = ["bench", "virtualhome-scene", "--method", "icl", "--model", str(tiny_model_dir), "--limit", "2"]
    assert main([*args, "--out", str(out), "--runs", str(tmp_path / "runs")]) == 0
    result = json.loads(out.read_text())
    metrics = result["metrics"]
    assert metrics["headline"] == "success" and metrics["n_scene"] == 2
    assert metrics["accuracy"] == metrics["success"]
    assert {"exact_match", "lcs", "executability"} <= set(metrics)
    rows = [json.loads(line) for line in out.with_suffix(".outputs.jsonl").read_text().splitlines()]
    assert all(row["program"] and "gold" in row and "error" in row for row in rows)

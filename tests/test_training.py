"""The cached fast loss equals the full softmax; training learns; checkpoints resume."""

import json

import pytest
import torch
from conftest import arith_demos, arith_toolset

from toolken.bias import choose_bias, copy_gates, firing_stats
from toolken.cache import (
    IGNORE,
    PositionCache,
    cache_positions,
    encode_demo,
    resolve_cache_dtype,
    vocab_stats,
)
from toolken.config import TrainingArguments
from toolken.demonstrations import Demo, from_markup
from toolken.head import ToolkenModel
from toolken.priors import output_embeddings
from toolken.tools import Tool
from toolken.training import (
    balanced_tool_weights,
    full_softmax_loss,
    split_demos,
    toolken_loss,
    train,
)


@pytest.fixture
def arith(tiny_backbone):
    """A random head for the tests' arithmetic tools and 80 one-call demos that answer with the call."""
    model = ToolkenModel.create(arith_toolset(), init="random", backbone=tiny_backbone)
    return model, arith_demos(80)


def test_encode_marks_toolken_before_result(arith):
    model, demos = arith
    index = {n: i for i, n in enumerate(model.tool_names)}
    ids, targets = encode_demo(demos[0], model.tokenizer, index, model.vocab_size)
    tool_positions = [p for p, t in enumerate(targets) if t >= model.vocab_size]
    assert len(tool_positions) == 1
    p = tool_positions[0]
    assert demos[0].calls[0].tool == "divide" and targets[p] == model.vocab_size + index["divide"]
    assert model.tokenizer.decode(ids[: p + 1]).endswith("A:")
    assert all(t == IGNORE for t in targets[p + 1 :])  # the result is not supervised


def test_fast_loss_equals_full_softmax(arith, cache_dir):
    model, demos = arith
    with torch.no_grad():
        model.head.weight.normal_(0, 0.5)
    cache = cache_positions(model, demos[:12], progress=False)
    fast = toolken_loss(model.head.weight, cache, model.vocab_size)
    # reference: run the LM itself on each demo, full softmax over [vocab ; tools]
    index = {n: i for i, n in enumerate(model.tool_names)}
    hs, ts = [], []
    for d in demos[:12]:
        ids, targets = encode_demo(d, model.tokenizer, index, model.vocab_size)
        h = model.lm.base_model(input_ids=torch.tensor([ids])).last_hidden_state[0]
        keep = torch.tensor(targets) != IGNORE
        hs.append(h[keep])
        ts.append(torch.tensor(targets)[keep])
    full = full_softmax_loss(model.head.weight, torch.cat(hs), torch.cat(ts), output_embeddings(model.lm))
    assert fast.item() == pytest.approx(full.item(), rel=1e-5)
    # and the gradients agree
    g_fast = torch.autograd.grad(fast, model.head.weight)[0]
    g_full = torch.autograd.grad(full, model.head.weight)[0]
    assert torch.allclose(g_fast, g_full, atol=1e-6)


def test_balanced_loss_weighs_every_tool_alike(arith, cache_dir):
    model, _ = arith
    demos = arith_demos(200)
    with torch.no_grad():
        model.head.weight.normal_(0, 0.5)
    cache = cache_positions(model, demos[::5], progress=False)  # the tools are asked for unevenly
    n_tools, vocab = len(model.tool_names), model.vocab_size
    weights = balanced_tool_weights(cache, vocab, n_tools)
    calls = cache.target[cache.target >= vocab] - vocab
    counts = torch.bincount(calls, minlength=n_tools)
    assert len(counts.nonzero()) > 1 and counts.max() > counts[counts > 0].min()  # imbalanced data
    # every tool seen gets the same total weight, and all calls together keep theirs
    totals = weights * counts
    assert torch.allclose(totals[counts > 0], totals[counts > 0][0].expand(int((counts > 0).sum())))
    assert totals.sum().item() == pytest.approx(len(calls))
    assert torch.all(weights[counts == 0] == 1)
    # the weighted loss is the weighted mean of the per-position full-softmax losses
    w = torch.where(cache.target >= vocab, weights[(cache.target - vocab).clamp(min=0)], torch.ones(len(cache.target)))
    per_position = torch.stack(
        [toolken_loss(model.head.weight, cache.select(torch.arange(len(w)) == i), vocab) for i in range(len(w))]
    )
    expected = (w * per_position).sum() / w.sum()
    assert toolken_loss(model.head.weight, cache, vocab, tool_weight=weights).item() == pytest.approx(expected.item())
    assert toolken_loss(model.head.weight, cache, vocab, tool_weight=torch.ones(n_tools)).item() == pytest.approx(
        toolken_loss(model.head.weight, cache, vocab).item()
    )


def test_cache_is_reused_from_disk(arith, cache_dir):
    model, demos = arith
    first = cache_positions(model, demos[:5], progress=False)
    files = list((cache_dir / "positions").glob("*.safetensors"))
    assert len(files) == 1
    second = cache_positions(model, demos[:5], progress=False)
    assert torch.equal(first.h, second.h)
    files[0].write_bytes(b"garbage")  # a corrupt cache is rebuilt, not trusted
    third = cache_positions(model, demos[:5], progress=False)
    assert torch.equal(first.h, third.h)


def test_training_lowers_loss_and_picks_best(arith, cache_dir):
    model, demos = arith
    history = train(model, demos, TrainingArguments(epochs=8, lr=0.05), progress=False)
    losses = [e["val_loss"] for e in history["epochs"]]
    assert min(losses) < losses[0]
    assert history["best_val_loss"] == min(losses)
    assert isinstance(history["bias"], float) and 0 <= history["val_firing"]["f1"] <= 1


def test_strong_regularizer_keeps_prior(tiny_backbone, cache_dir):
    model = ToolkenModel.create(arith_toolset(), init="description", backbone=tiny_backbone)
    demos = arith_demos(40)
    train(model, demos[:40], TrainingArguments(epochs=3, lr=0.05, reg=1e4), progress=False)
    loose = ToolkenModel.create(arith_toolset(), init="description", backbone=tiny_backbone)
    train(loose, demos[:40], TrainingArguments(epochs=3, lr=0.05, reg=0.0), progress=False)
    assert model.head.regularizer().item() < 0.1 * loose.head.regularizer().item()


def test_resume_continues_from_checkpoint(arith, cache_dir, tmp_path):
    model, demos = arith
    four = TrainingArguments(epochs=4, lr=0.05, min_steps=0, lr_schedule="cosine")
    out = tmp_path / "run"
    train(model, demos, TrainingArguments(epochs=2, lr=0.05, min_steps=0), output_dir=out, progress=False)
    assert not (out / "trainer_state.json").exists()  # finished runs leave no resume state
    # a run that stopped after epoch 2 of 4 leaves its state; resume does epochs 3 and 4 only
    model2 = ToolkenModel.create(arith_toolset(), init="random", backbone=model.lm_and_tokenizer())
    import toolken.training as tr

    calls = {"n": 0}
    real = tr._save_state

    def stop_after_two(*a, **k):
        real(*a, **k)
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt

    tr._save_state = stop_after_two
    try:
        with pytest.raises(KeyboardInterrupt):
            train(model2, demos, four, output_dir=out, progress=False)
    finally:
        tr._save_state = real
    state = json.loads((out / "trainer_state.json").read_text())
    assert state["epoch"] == 2
    ToolkenModel.from_pretrained(out, backbone=model.lm_and_tokenizer())  # loadable mid-run
    model3 = ToolkenModel.create(arith_toolset(), init="random", backbone=model.lm_and_tokenizer())
    history = train(model3, demos, four, output_dir=out, resume=True, progress=False)
    assert [e["epoch"] for e in history["epochs"]] == [1, 2, 3, 4]
    # the learning rate follows progress alone: the resumed run ends where an unbroken one does
    whole = ToolkenModel.create(arith_toolset(), init="random", backbone=model.lm_and_tokenizer())
    train(whole, demos, four, progress=False)
    assert torch.allclose(model3.head.weight, whole.head.weight, atol=1e-6)


def test_the_learning_rate_decays_along_a_half_cosine_unless_constant():
    from toolken.config import LrSchedule
    from toolken.training import learning_rate

    cosine = [learning_rate(0.01, 4, LrSchedule.COSINE, done) for done in (0, 2, 4, 5)]
    assert cosine == pytest.approx([0.01, 0.005, 0.0, 0.0])
    assert learning_rate(0.01, 4, LrSchedule.CONSTANT, 3.5) == 0.01
    with pytest.raises(ValueError):
        TrainingArguments(lr_schedule="linear")


def test_positions_after_the_prompt_are_marked_generated(arith, cache_dir):
    model, demos = arith
    cache = cache_positions(model, demos[:4], progress=False, prompt=model.config.prompt)
    # demos that answer with the call: the only written position is the toolken's, right after "A:"
    assert torch.equal(cache.generated, cache.target >= model.vocab_size)
    plain = cache_positions(model, demos[:4], progress=False)
    assert plain.generated.all()  # no prompt known: every position counts


def test_bfloat16_backbone_gives_nearly_the_same_loss(arith, tiny_model_dir, cache_dir, monkeypatch):
    from toolken.backbone import backbone_dtype, load_backbone

    model, demos = arith
    fp32 = toolken_loss(model.head.weight, cache_positions(model, demos[:12], progress=False), model.vocab_size)
    monkeypatch.setenv("TOOLKEN_DTYPE", "bfloat16")
    assert backbone_dtype() == torch.bfloat16
    half = ToolkenModel.create(arith_toolset(), init="random", backbone=load_backbone(tiny_model_dir))
    assert next(half.lm.parameters()).dtype == torch.bfloat16
    with torch.no_grad():
        half.head.weight.copy_(model.head.weight)
    bf16 = toolken_loss(half.head.weight, cache_positions(half, demos[:12], progress=False), half.vocab_size)
    assert bf16.dtype == torch.float32  # the head and its loss stay float32
    assert bf16.item() == pytest.approx(fp32.item(), rel=0.02)
    monkeypatch.setenv("TOOLKEN_DTYPE", "float16")
    with pytest.raises(ValueError, match="unknown backbone dtype"):
        backbone_dtype()


def test_bfloat16_vocab_stats_are_close_to_float32():
    torch.manual_seed(0)
    w = torch.randn(3000, 64) * 0.4  # peaked and flat rows: logits up to about 20
    h = torch.randn(500, 64) * torch.linspace(0.2, 3, 500)[:, None]
    target = torch.randint(0, 3100, (500,))  # some toolken targets (>= vocab)
    logz, word_logit, word_max = vocab_stats(h, target, w, chunk=128)
    logits = h @ w.T
    assert torch.allclose(logz, torch.logsumexp(logits, -1), atol=1e-4)
    assert torch.allclose(word_max, logits.max(-1).values)
    is_word = target < 3000
    assert torch.allclose(word_logit[is_word], logits[is_word, target[is_word]]) and (word_logit[~is_word] == 0).all()
    low = vocab_stats(h, target, w, w.to(torch.bfloat16), chunk=128)
    err = (low[0] - logz).abs()
    assert err.mean() < 0.01 and err.max() < 0.08  # log Z from bfloat16 logits, the largest exact
    assert torch.allclose(low[1], word_logit, atol=1e-4) and torch.allclose(low[2], word_max, atol=1e-4)


def test_bfloat16_caching_pass_gives_nearly_the_same_loss(arith, cache_dir):
    model, demos = arith
    with torch.no_grad():
        model.head.weight.normal_(0, 0.5)
    fp32 = cache_positions(model, demos[:12], progress=False)
    bf16 = cache_positions(model, demos[:12], progress=False, dtype="bfloat16")
    assert next(model.lm.parameters()).dtype == torch.float32  # the pass ran on a copy
    assert bf16.h.dtype == torch.float32 and torch.equal(bf16.target, fp32.target)
    loss = [toolken_loss(model.head.weight, c, model.vocab_size).item() for c in (fp32, bf16)]
    assert loss[1] == pytest.approx(loss[0], rel=0.02) and not torch.equal(fp32.h, bf16.h)
    with pytest.raises(ValueError, match="unknown cache dtype"):
        cache_positions(model, demos[:2], progress=False, dtype="float16")


def test_auto_cache_dtype_follows_the_cpu_and_is_recorded(arith, cache_dir, monkeypatch):
    model, demos = arith
    for fast, expected in ((True, "bfloat16"), (False, "float32")):
        monkeypatch.setattr("toolken.cache.bf16_is_fast", lambda device, fast=fast: fast)
        assert resolve_cache_dtype("auto") == expected
        assert resolve_cache_dtype("float32") == "float32"  # an explicit choice is kept
        train(model, demos[:10], TrainingArguments(epochs=1), progress=False)
        assert model.training.arguments["cache_dtype"] == expected  # what ran, never "auto"
    with pytest.raises(ValueError, match="unknown cache dtype 'float16'; choose from auto"):
        resolve_cache_dtype("float16")


def test_bias_is_the_middle_of_the_best_biases():
    # a due call fires for bias > -2 and a quiet position stays quiet for bias <= 3: any bias in
    # (-2, 3] is perfect on this set, and the middle one leaves room both ways
    vocab = 10
    cache = PositionCache(
        h=torch.tensor([[2.0, 0.0], [0.0, 0.0]]),
        logz=torch.zeros(2),
        word_logit=torch.zeros(2),
        word_max=torch.tensor([0.0, 3.0]),
        target=torch.tensor([vocab, 3]),
        demo=torch.zeros(2, dtype=torch.long),
        generated=torch.ones(2, dtype=torch.bool),
    )
    bias, stats = choose_bias(torch.tensor([[1.0, 0.0]]), cache, vocab)
    assert stats["balanced_accuracy"] == 1.0 and bias == 1.0  # the grid's perfect biases: -1.5 ... 3.0
    eager, stats = choose_bias(torch.tensor([[1.0, 0.0]]), cache, vocab, eager=True)
    assert stats["balanced_accuracy"] == 1.0 and eager == 3.0  # the highest of them: 3.5 fires at the quiet one
    with pytest.raises(ValueError, match="'auto', 'eager' or a finite number"):
        TrainingArguments(bias="keen")


def test_an_eager_bias_keeps_no_tool_answers_free_of_calls():
    # demo 0 is due a call (fires for bias > -2); demo 1 needs none: 100 positions stay quiet up to the
    # grid's end, one fires for bias > 1, which costs 1% of the positions but the whole answer
    vocab, n = 10, 102
    cache = PositionCache(
        h=torch.cat([torch.tensor([[2.0, 0.0]]), torch.zeros(n - 1, 2)]),
        logz=torch.zeros(n),
        word_logit=torch.zeros(n),
        word_max=torch.tensor([0.0, 1.0] + [10.0] * (n - 2)),
        target=torch.tensor([vocab] + [3] * (n - 1)),
        demo=torch.tensor([0] + [1] * (n - 1)),
        generated=torch.ones(n, dtype=torch.bool),
    )
    eager, stats = choose_bias(torch.tensor([[1.0, 0.0]]), cache, vocab, eager=True)
    assert eager == 1.0 and stats["quiet_answers"] == 1.0 and stats["recall"] == 1.0
    assert firing_stats(torch.tensor([[1.0, 0.0]]), cache, vocab, 10.0)["balanced_accuracy"] > 0.99  # what it gave up
    # where copy mode would not let the toolken fire on demo 1's question, its firing costs nothing
    gated, stats = choose_bias(
        torch.tensor([[1.0, 0.0]]), cache, vocab, eager=True, gates=torch.tensor([[True], [False]])
    )
    assert gated == 10.0 and stats["quiet_answers"] == 1.0 and stats["recall"] == 1.0


def test_copy_gates_are_the_tools_a_question_writes_the_values_of():
    def tool(name: str, props: dict) -> Tool:
        return Tool(name, f"{name} tool", {"type": "object", "properties": props, "required": list(props)}, None)

    tools = [tool("get_weather", {"city": {"type": "string"}}), tool("add", {"a": {"type": "number"}})]
    texts = ["What is the weather in Paris?", "Write a haiku about rain.", "Add 2 and 3."]
    demos = [Demo(f"Q: {t}\nA: ok\n") for t in texts]
    gates = copy_gates(tools, demos, "Q: {question}\nA:")
    assert gates.tolist() == [[True, False], [False, False], [False, True]]
    assert copy_gates(tools * 10**6, demos, "Q: {question}\nA:") is None  # too many to check: no gates


def test_a_worked_demo_supervises_words_around_the_call_but_not_its_result(arith):
    model, _ = arith
    index = {n: i for i, n in enumerate(model.tool_names)}
    demo = from_markup("Q: What is 2 plus 3?\nA: 2+3=[[add(2, 3)=5]] in total.")
    ids, targets = encode_demo(demo, model.tokenizer, index, model.vocab_size)
    (p,) = [p for p, t in enumerate(targets) if t >= model.vocab_size]
    assert model.tokenizer.decode(ids[: p + 1]).endswith("2+3=")
    assert model.tokenizer.decode(ids[p + 1 :]).startswith("5")
    assert IGNORE not in targets[:p] and targets[-1] == IGNORE
    assert any(t not in (IGNORE,) and t < model.vocab_size for t in targets[p + 1 :])  # " in total." is words
    with pytest.raises(ValueError, match="very start"):
        encode_demo(from_markup("[[add(1, 1)=2]] is two"), model.tokenizer, index, model.vocab_size)


def test_split_demos_is_seeded_and_always_keeps_one_to_train():
    train_idx, val_idx = split_demos(20, 0.1, seed=3)
    assert (train_idx, val_idx) == split_demos(20, 0.1, seed=3) and split_demos(20, 0.1, seed=4) != (train_idx, val_idx)
    assert len(val_idx) == 2 and sorted(train_idx + val_idx) == list(range(20))
    assert split_demos(1, 0.5, 0) == ([0], []) and split_demos(3, 0.9, 0)[0] != []
    assert split_demos(5, 0.0, 0)[1] == []


def test_training_records_what_it_chose_and_measured(arith, cache_dir):
    model, demos = arith
    history = train(
        model, demos[:60], TrainingArguments(epochs=2, bias=1.5, min_steps=0), val_demos=demos[60:], progress=False
    )
    record = model.training
    assert record.arguments["epochs"] == 2 and record.arguments["bias"] == 1.5
    assert record.bias == model.config.bias == history["bias"] == 1.5  # a given bias is kept, not chosen
    assert record.n_val_positions == history["n_val_positions"] > 0 and record.n_train_positions > 0
    assert [e["epoch"] for e in record.epochs] == [1, 2] and record.best_val_loss == history["best_val_loss"]
    assert set(record.val_firing) == {"recall", "precision", "f1", "balanced_accuracy", "quiet_answers"}


def test_a_toolken_nothing_tells_apart_from_the_due_one_counts_as_it():
    from toolken.twins import stand_ins

    # two tools of the same words (BFCL offers specs of one name that differ only in their parameters,
    # one to a question): a due call of the first where the second wins is right, not a wrong tool
    def tool(name: str, description: str) -> Tool:
        return Tool(name, description, {"type": "object", "properties": {}}, None)

    tools = [tool("requests.get", "Sends a GET request."), tool("requests.get-2", "Sends a GET request.")]
    tools.append(tool("get_current_weather", "The weather of a city."))
    same = stand_ins(tools)
    assert same.tolist() == [[True, True, False], [True, True, False], [False, False, True]]
    assert stand_ins(tools, 0.15)[0, 2]  # a looser share makes twins of tools that merely share words
    vocab = 10
    cache = PositionCache(
        h=torch.tensor([[0.0, 2.0], [0.0, 0.0]]),  # the second toolken wins where the first is due
        logz=torch.zeros(2),
        word_logit=torch.zeros(2),
        word_max=torch.tensor([0.0, 3.0]),
        target=torch.tensor([vocab, 3]),
        demo=torch.tensor([0, 1]),
        generated=torch.ones(2, dtype=torch.bool),
    )
    weight = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    assert firing_stats(weight, cache, vocab, 0.0)["recall"] == 0.0
    assert firing_stats(weight, cache, vocab, 0.0, same=same)["recall"] == 1.0
    bias, stats = choose_bias(weight, cache, vocab, eager=True, same=same)
    assert stats["balanced_accuracy"] == 1.0 and bias == 3.0

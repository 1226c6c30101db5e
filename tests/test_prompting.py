"""Prompt formats: the chat template renders questions and conversations, demonstrations re-rendered
in it keep their calls on the right tokens, heads save their format, base models fall back to plain."""

import copy
import json
import warnings

import pytest
from conftest import arith_demos, arith_toolset, hf_generate

from toolken.cache import encode_demo, prompt_end
from toolken.config import TrainingArguments
from toolken.generation import GenerationConfig, generate
from toolken.head import CONFIG_NAME, ToolkenModel
from toolken.openai_api import Message, messages_to_prompt
from toolken.prompting import PromptFormat, chat_template, demo_as_chat, end_of_turn, training_demos
from toolken.training import train

# a ChatML-like template of the tests' own; "<eos>" is the tiny tokenizer's one special token
TEMPLATE = (
    "{% for m in messages %}<|{{ m.role }}|>\n{{ m.content }}<eos>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


@pytest.fixture
def chat_backbone(tiny_backbone):
    lm, tokenizer = tiny_backbone
    tokenizer = copy.deepcopy(tokenizer)  # the session's tokenizer stays without a template
    tokenizer.chat_template = TEMPLATE
    return lm, tokenizer


@pytest.fixture
def chat_model(chat_backbone):
    return ToolkenModel.create(arith_toolset(), backbone=chat_backbone, prompt_format="chat")


def test_chat_template_as_question_template(chat_backbone):
    tok = chat_backbone[1]
    assert chat_template(tok) == "<|user|>\n{question}<eos>\n<|assistant|>\n"
    assert chat_template(tok, system="Be {brief}.").format(question="q") == (
        "<|system|>\nBe {brief}.<eos>\n<|user|>\nq<eos>\n<|assistant|>\n"
    )
    assert end_of_turn(tok) == "<eos>"


@pytest.mark.parametrize("direct", [True, False])
def test_chat_demos_put_calls_on_the_inference_tokens(chat_model, direct):
    model, tok = chat_model, chat_model.tokenizer
    demos = arith_demos(12, seed=3, direct=direct)
    chat, template = training_demos(model.config, tok, demos)
    assert template == chat_template(tok)
    index = {n: i for i, n in enumerate(model.tool_names)}
    for plain, demo in zip(demos, chat):
        question = plain.text[3 : plain.text.index("\nA:")]
        head = model.prompt_text(question)
        assert demo.text.startswith(head) and demo.text.endswith("<eos>")
        # every call keeps its tool, arguments and result text
        assert [(c.tool, c.arguments, demo.text[c.start : c.end].strip()) for c in demo.calls] == [
            (c.tool, c.arguments, plain.text[c.start : c.end].strip()) for c in plain.calls
        ]
        end = prompt_end(demo.text, template)
        assert end == len(head)
        ids, targets = encode_demo(demo, tok, index, model.vocab_size, end)
        prompt_ids = tok(head).input_ids
        assert ids[: len(prompt_ids)] == prompt_ids  # the prompt is tokenized as generation tokenizes it
        fired = [p for p, t in enumerate(targets) if t >= model.vocab_size]
        assert len(fired) == 1
        # the toolken is the target of the last token before the result, which then follows
        assert tok.decode(ids[: fired[0] + 1]) == demo.text[: demo.calls[0].start]
        if direct:  # answer straight away: the toolken fires at the prompt's last token
            assert fired[0] == len(prompt_ids) - 1


def test_demo_not_in_the_plain_form_is_kept():
    demo = arith_demos(1)[0]
    odd = type(demo)("Solve " + demo.text, [type(c)(c.tool, c.start + 6, c.end + 6, c.arguments) for c in demo.calls])
    assert demo_as_chat(odd, "Q: {question}\nA:", "<u>{question}</u>", "") is odd


def test_default_is_plain_without_a_chat_template(tiny_backbone):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the default falls back quietly
        model = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone)
    assert model.config.prompt_format == PromptFormat.PLAIN
    assert model.prompt_text("hi") == "Q: hi\nA:" and model.stop == ["\n"]
    with pytest.warns(UserWarning, match="no chat template"):
        asked = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone, prompt_format="chat")
    assert asked.config.prompt_format == PromptFormat.PLAIN


def test_head_saves_its_format_and_old_heads_load_as_plain(chat_model, chat_backbone, tiny_backbone, tmp_path):
    chat_model.save_pretrained(tmp_path / "chat")
    loaded = ToolkenModel.from_pretrained(tmp_path / "chat", backbone=chat_backbone)
    assert loaded.config.prompt_format == PromptFormat.CHAT
    assert loaded.prompt_text("hi") == "<|user|>\nhi<eos>\n<|assistant|>\n"
    assert loaded.stop == ["\n", "<eos>"]
    with pytest.warns(UserWarning, match="no chat template"):  # the same vocabulary, no template
        untemplated = ToolkenModel.from_pretrained(tmp_path / "chat", backbone=tiny_backbone)
    assert untemplated.prompt_text("hi") == "Q: hi\nA:"
    config = json.loads((tmp_path / "chat" / CONFIG_NAME).read_text())
    del config["prompt_format"]  # as a head saved before the field existed
    (tmp_path / "chat" / CONFIG_NAME).write_text(json.dumps(config))
    old = ToolkenModel.from_pretrained(tmp_path / "chat", backbone=chat_backbone)
    assert old.config.prompt_format == PromptFormat.PLAIN and old.prompt_text("hi") == "Q: hi\nA:"


def test_messages(chat_model, tiny_backbone):
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "What is 2 plus 3?"}]},
        {"role": "assistant", "content": None},
        {"role": "tool", "content": "5"},
    ]
    assert chat_model.messages_text(messages) == (
        "<|system|>\nBe brief.<eos>\n<|user|>\nWhat is 2 plus 3?<eos>\n"
        "<|assistant|>\n<eos>\n<|tool|>\n5<eos>\n<|assistant|>\n"
    )
    plain = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone)
    two_turns = [{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hello."}, messages[1]]
    assert plain.messages_text(two_turns) == "Q: Hi?\nA: Hello.\nQ: What is 2 plus 3?\nA:"
    assert plain.messages_text(messages[:2] + [messages[3]]) == "Be brief.\n\nQ: What is 2 plus 3?\nA:Result: 5\nA:"
    for bad in ([], [{"role": "assistant", "content": "x"}], [{"role": "robot", "content": "x"}], ["x"]):
        with pytest.raises(ValueError):
            plain.messages_text(bad)
    with pytest.raises(ValueError, match="text content"):
        plain.messages_text([{"role": "user", "content": [{"type": "image_url"}]}])


def test_generation_in_chat_matches_hf_generate_on_the_chat_prompt(chat_model):
    model, tok = chat_model, chat_model.tokenizer
    for q in ["What is 2 plus 2?", "Why?"]:
        cfg = GenerationConfig(max_new_tokens=10, bias=-1e4, batch_size=1, no_empty_answer=False)
        (g,) = generate(model, [q], cfg)
        ids = tok(model.prompt_text(q), return_tensors="pt").input_ids
        ref = hf_generate(model.lm, ids, max_new_tokens=10, pad_token_id=tok.pad_token_id)
        text = tok.decode(ref[0, ids.shape[1] :], skip_special_tokens=True)
        assert g.text == text.split("\n")[0]


def test_training_in_chat_marks_the_answer_after_the_chat_prompt(chat_model, cache_dir):
    history = train(chat_model, arith_demos(30), TrainingArguments(epochs=2, val_fraction=0.2), progress=False)
    assert history["n_train_positions"] > 0 and history["val_firing"]["recall"] >= 0
    forced = GenerationConfig(max_new_tokens=6, bias=1e4, allowed_tools=["add"], max_calls=1)
    (g,) = generate(chat_model, ["What is 2 plus 3?"], forced)
    assert g.calls and g.calls[0].tool == "add" and g.calls[0].result == "5"


def test_the_server_prompts_a_chat_head_in_its_chat_template(chat_model):
    prompt, resumes = messages_to_prompt(chat_model, [Message(role="user", content="What is 2 plus 3?")])
    assert prompt == "<|user|>\nWhat is 2 plus 3?<eos>\n<|assistant|>\n" and not resumes
    assert "<eos>" in chat_model.stop  # the template's end of turn ends a served answer too


def test_copied_values_come_from_the_user_not_the_templates_system_turn(chat_backbone):
    lm, tokenizer = chat_backbone
    tokenizer.chat_template = "<|system|>\nYou are Ada from Acme, version 7.<eos>\n" + TEMPLATE
    model = ToolkenModel.create(arith_toolset(), backbone=(lm, tokenizer), prompt_format="chat")
    ids = tokenizer(model.prompt_text("Is it cold in Oslo at 3?")).input_ids
    text = model.copy_text(ids + tokenizer(" 12").input_ids, len(ids))
    assert "Oslo at 3?" in text and "12" in text and "Ada" not in text and "7" not in text
    plain = ToolkenModel.create(arith_toolset(), backbone=(lm, tokenizer))
    ids = tokenizer(plain.prompt_text("Oslo?")).input_ids
    assert plain.copy_text(ids, len(ids)).strip() == "Oslo?"  # no "Q" or "A" to copy

"""Synthesized questions rephrased by the backbone itself: sampled, then kept only when every argument
value the question wrote is still in it (so the call and its real result still fit the question).
Opt-in for `toolken synth` (`--paraphrase SHARE`): BENCHMARKS.md measures whether it helps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

# few-shot, as plain text: it works the same for base and instruct models (written for toolken)
PROMPT = (
    "Say each request another way. Keep every name and number as it is.\n"
    "Request: What is the weather in Paris?\nAnother way: How's the weather looking in Paris right now?\n"
    "Request: Convert 20 miles to kilometers.\nAnother way: How many kilometers are 20 miles?\n"
    "Request: Book a table for 4 at Luigi's.\nAnother way: Could you reserve a table at Luigi's for 4 people?\n"
    "Request: {question}\nAnother way:"
)
ANSWER_LEADS = ("here", "sure", "to ", "the answer", "i ", "i'm", "this", "you ", "a:", "rewrite", "request")
MAX_NEW_TOKENS = 48
BATCH = 16


@dataclass
class Paraphraser:
    """Rewrites questions with a loaded backbone (`lm`, `tokenizer`) by sampling at `temperature`."""

    lm: torch.nn.Module
    tokenizer: object
    temperature: float = 0.8
    seed: int = 0

    @torch.no_grad()
    def sample(self, questions: Sequence[str]) -> list[str]:
        """One sampled rewrite per question (its first line, stripped), in order."""
        if not hasattr(self.lm, "generate"):
            raise TypeError(
                "the paraphraser samples with transformers' `generate`: load the backbone with "
                "load_backbone(..., implementation='transformers')"
            )
        tok, out = self.tokenizer, []
        torch.manual_seed(self.seed)  # the same data for the same seed
        side, tok.padding_side = tok.padding_side, "left"  # new tokens follow every row's own prompt
        try:
            for i in range(0, len(questions), BATCH):
                prompts = [PROMPT.format(question=q) for q in questions[i : i + BATCH]]
                batch = {k: v.to(self.lm.device) for k, v in tok(prompts, return_tensors="pt", padding=True).items()}
                ids = self.lm.generate(
                    **batch,
                    do_sample=True,
                    temperature=self.temperature,
                    top_p=0.95,
                    max_new_tokens=MAX_NEW_TOKENS,
                    pad_token_id=tok.pad_token_id,
                    stop_strings=["\n"],
                    tokenizer=tok,
                )  # one line is one rewrite
                new = tok.batch_decode(ids[:, batch["input_ids"].shape[1] :], skip_special_tokens=True)
                out += [_first_line(t) for t in new]
        finally:
            tok.padding_side = side
        return out


def _first_line(text: str) -> str:
    line = text.strip().split("\n")[0].strip()
    return line.strip('"').strip()


def keeps_values(original: str, rewrite: str, values: Sequence[str]) -> bool:
    """A rewrite is kept when it still writes every value, is a different request of a sensible length
    that reads as one (not an answer or a comment), and brings no new numbers (a result given away)."""
    if not rewrite or rewrite == original or not 0.4 * len(original) <= len(rewrite) <= 2 * len(original) + 20:
        return False
    if rewrite.lower().startswith(ANSWER_LEADS) or rewrite[-1] not in "?.!" or rewrite.count(":") > original.count(":"):
        return False  # an answer, a refusal or a comment, not the request
    if any(v not in rewrite for v in values):
        return False
    digits = set("".join(ch if ch.isdigit() else " " for ch in rewrite).split())
    allowed = set("".join(ch if ch.isdigit() else " " for ch in original).split())
    return digits <= allowed


def paraphrase(questions: Sequence[str], values: Sequence[Sequence[str]], paraphraser: Paraphraser) -> list[str]:
    """Each question rewritten by `paraphraser` where the rewrite keeps its values, else as it was."""
    rewrites = paraphraser.sample(questions)
    return [r if keeps_values(q, r, v) else q for q, r, v in zip(questions, rewrites, values)]

"""Several calls in one turn: right after a tool result the head decides whether the turn goes on with
another call ("the factorial of 5, 10 and 15"). Those decisions are few among all the positions the
logit bias is chosen on, and the words that compete there are few too (none may glue onto the
result), so that bias fits them poorly; `ToolkenConfig.turn_bias` is an extra bias for them alone,
chosen on the validation demonstrations' own decisions after a result (`bias.choose_turn_bias`)."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from .cache import IGNORE, PositionCache, cache_encoded, encode_demo, prompt_end
from .decoding import glue_tokens
from .demonstrations import Demo
from .head import ToolkenModel
from .priors import output_embeddings

MAX_DEMOS = 400  # validation demonstrations read for their decisions after a result (an LM pass each)


def has_turns(demos: Sequence[Demo]) -> bool:
    """Whether any demonstration makes several calls (only then is there a decision to fit)."""
    return any(len(d.calls) > 1 for d in demos)


@torch.no_grad()
def turn_points(
    model: ToolkenModel, demos: Sequence[Demo], prompt: str | None, max_length: int, dtype: str = "float32"
) -> PositionCache | None:
    """The positions right after each call's result in `demos` (target: the next call's toolken, or the
    word that follows), their best word logit taken, as at inference, over the words that may follow
    a result directly; None if no result is followed by anything."""
    index = {n: i for i, n in enumerate(model.tool_names)}
    encoded = []
    for demo in [d for d in demos if d.calls][:MAX_DEMOS]:
        ends: list[int] = []
        ids, targets = encode_demo(demo, model.tokenizer, index, model.vocab_size, prompt_end(demo.text, prompt), ends)
        keep = {e for e in ends if e < min(len(ids), max_length) and targets[e] != IGNORE}
        if keep:
            encoded.append((ids, [t if p in keep else IGNORE for p, t in enumerate(targets)]))
    if not encoded:
        return None
    points = cache_encoded(model, encoded, [0] * len(encoded), max_length, progress=False, dtype=dtype)
    may_follow = ~glue_tokens(model.tokenizer, model.vocab_size).to(points.h.device)
    words = output_embeddings(model.lm).float()[may_follow].to(points.h.device)
    points.word_max = torch.cat([(h @ words.T).max(-1).values for h in points.h.split(512)])
    return points

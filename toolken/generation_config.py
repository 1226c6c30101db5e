"""Decoding settings (`GenerationConfig`): how long and how randomly to answer, how tools are called
and their arguments written, and the biases that help a toolken fire where the question asks for its
tool. `toolken.generation` decodes with them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass
class GenerationConfig:
    """Decoding settings. `bias` overrides the head's trained logit bias; `allowed_tools` restricts
    the toolkens that may fire: a list of names for the whole run, or a function of the text written
    so far (prompt included) returning the names allowed from there to the next call, or None for all
    (e.g. only objects after a VirtualHome action, only objects present in the scene)."""

    max_new_tokens: int = 64
    do_sample: bool = False
    temperature: float = 1.0
    top_k: int = 0
    seed: int = 0
    bias: float | None = None
    max_calls: int = 6
    tool_timeout: float = 5.0
    max_result_chars: int = 2000
    argument_tokens: int = 64  # free-text arguments; grammar-constrained ones get GRAMMAR_ROOM times this
    # "schema": decoded under the tool's JSON-schema grammar; "copy": also numbers and strings must be
    # values the question (or a result) writes; "text": free text, validated afterwards
    arguments: str = "copy"
    context_chars: int = 700
    batch_size: int = 8
    allowed_tools: list[str] | Callable[[str], Sequence[str] | None] | None = None
    reuse_kv: bool = True  # False re-encodes every row from scratch at each mode switch, as ToolkenGPT does
    # greedy batch-1 decoding tries up to this many tokens copied from earlier in the text per pass (0:
    # off); a pass over up to 4 tokens costs about one over 1 (`llama.linear`), over 5 or more about
    # twice as much, so a wrong draft of 3 wastes little (benchmarks/decode_options.py)
    lookup_tokens: int = 3
    # a folder that keeps each tool prompt's encoded prefix across processes (`toolken run` uses
    # $TOOLKEN_CACHE/prefixes: its first call skips encoding the tool's demonstrations); None: in memory
    prefix_cache: str | None = None
    progress: bool = True  # a progress bar over the batches when there are several
    # tokens the argument grammar leaves no choice about (keys, the rest of the only value that fits)
    # join the next pass instead of taking a step each, in the tokenizer's own split (FuncQA: the same
    # accuracy on SmolLM2 and Gemma 3 270M, 2.2x fewer passes at batch 1); False: a step each
    forced_tokens: bool = True
    # with copied arguments, a question asking for more gets more calls at once: the same tool for the
    # next value of a list ("5, 10 and 15": turns.calls_again), the tool the head picks for a later
    # request ("... Also, find the LCM of 15 and 25": turns.next_part), and for a question of several
    # requests answered in words at once, a call its first request alone fires (turns.first_parts)
    calls_again: bool = True
    # added to the logit of a toolken for each word of its tool's name the question writes (at most
    # two; `toolnames.written_tool_words`, "hypot" in "hypotenuse" too): "capital" in "What is the capital
    # of Brazil?" for `country_info.capital`
    # (BFCL and a user's held-out tools: more right calls, as many quiet answers; BENCHMARKS.md); 0: off
    name_bias: float = 3.0
    # added to the logit of a toolken whose tool requires a value of a kind the question writes: a
    # link, an IP address, a host name, a code of its `pattern`, a value shaped like its examples
    # ("Which country does 151.101.1.69 come from?" for an IP lookup; `firing.writes_typed_value`); 0: off
    typed_value_bias: float = 3.0
    # added to the logit of a toolken where the question writes a value of its own for each of two or
    # more required parameters, each of a specific kind (a number, a date, a name, an address, a code:
    # "Was it rainy in Seattle on March 3, 2026?" for a weather history; `firing.fits_whole`); 0: off
    fit_bias: float = 2.0
    # added, until a row's first call, to the logit of a toolken whose tool's identifier the question
    # writes as spelled ("Using the 'calculate_final_velocity' function, ..."; `toolnames.writes_identifier`):
    # it asks for that tool by name, however long the question it is asked in; 0: off
    named_call_bias: float = 30.0
    # where a request offers only some toolkens (`allowed_tools`, `RowOptions.allowed`), one it does not
    # offer lends its logit to the offered one most like it, if they share at least this part of the
    # words of their names and descriptions (`toolken.twins`): an offered tool's near-twins, trained on
    # questions like its own, no longer keep it from firing on them; None: off
    twin_overlap: float | None = 0.35
    # an answer that ends before its first word, with no call, goes on once with a word that neither
    # ends it nor calls a tool (SmolLM2 ends about 3% of its answers to everyday questions at their
    # first token: "Thanks a lot!"); False: such an answer stays empty, as `lm.generate` leaves it
    no_empty_answer: bool = True
    # an answer's text that ends repeating itself (a run of up to `LOOP_PERIOD` characters written
    # `LOOP_TIMES` times or more, `LOOP_CHARS` characters in all) ends there: greedy decoding of a small
    # model can loop to the token limit ("1. 1. 1. ...", "I'm sorry, I'm sorry, ..."); False: it goes
    # on to a stop or the limit, as `lm.generate` does
    stop_loops: bool = True

"""The next tuple of a call's values: where a question writes a new value for two or more of the
parameters a call took values for, after all of them ("75 kg and 180 cm, 60 kg and 165 cm"), so the
turn's next call takes them together (`next_call.next_call_schema`)."""

from __future__ import annotations

import json
from typing import Any

from .numerals import NUMBER_RE
from .positions import first_at, places, value_end
from .units import quantity_at


def together(
    later: dict[str, list], ends: dict[str, int], previous: dict, text: str, written: dict[str, int]
) -> dict[str, list] | None:
    """The values two or more parameters move on to together, each written after all of the previous
    call's values (`later`: the values that may follow each, `ends`: where each ends, `written`: where
    each was written; `next_call._later`, `next_call._written_at`): numbers, and names where each list
    goes on only after the whole tuple ("3000 sq ft in New York and 4000 sq ft in Los Angeles", not
    "Taylor Swift and Maroon 5 for 20 and 15 minutes"); None where they do not."""
    moving = {q: v for q, v in later.items() if v}
    last = max((ends[q] for q in moving), default=0)
    after_all = {
        q: [v for v in values if _measured_alike(v, text, written.get(q, -1), last)] for q, values in moving.items()
    }
    distinct = {json.dumps(v) for values in after_all.values() for v in values}
    numeric = all(isinstance(v, (int, float)) for values in moving.values() for v in values)
    names = all(isinstance(v, (int, float)) or v[:1].isupper() for values in moving.values() for v in values)
    walked = tuple_again(previous, after_all, text, last, written)
    whole_tuples = walked is not None and all(
        not 0 <= first_at(v, text, ends[q]) < last for q, values in moving.items() for v in values
    )
    enough = len(moving) > 1 and all(after_all.values()) and len(distinct) >= len(moving)
    if not enough or not (numeric or names and whole_tuples):
        return None
    # the next tuple as written, where it is written in the previous call's order: "75 kg and 180 cm,
    # 60 kg and 165 cm, 80 kg and 175 cm" gives 60 and 165, not any later weight and height
    return {q: [v] for q, v in walked.items()} if walked is not None else after_all


def _measured_alike(value: Any, text: str, previous_at: int, start: int) -> bool:
    """Whether `text` writes `value` at `start` or after, a number measured as the previous value
    written at `previous_at` was ("$8000" after "$5000", not the 10 of "10 years"; `units.quantity_at`)."""
    if isinstance(value, str):
        return first_at(value, text, start) >= 0
    kind = _quantity(text, previous_at)
    return any(at >= start and (kind is None or _quantity(text, at) == kind) for at in places(value, text))


def _quantity(text: str, at: int) -> str | None:
    """The quantity of the number written at `at` (`units.quantity_at`), if any."""
    m = NUMBER_RE.match(text, at) if at >= 0 else None
    return quantity_at(text, at, m.end()) if m else None


def tuple_again(
    previous: dict, after: dict[str, list], text: str, end: int, written: dict[str, int]
) -> dict[str, Any] | None:
    """The value for each parameter in `after` that `text` writes after `end`, in the order the
    previous call's values were written (`written`: where), none overlapping ("3000 sq ft in New York and 4000 sq ft in
    Los Angeles": 4000, then Los Angeles; not "Yamaha P125 in Berlin and Madrid's": no second piano);
    None where it writes no such tuple."""
    order = sorted(after, key=lambda q: written.get(q, -1))
    found = {}
    for q in order:
        spots = [(first_at(v, text, end), v) for v in after[q]]
        spots = [(at, v) for at, v in spots if at >= end]
        if not spots:
            return None
        at, found[q] = min(spots, key=lambda p: (p[0], -len(str(p[1]))))
        end = value_end(found[q], text, at)
    return found

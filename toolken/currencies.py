"""Currencies as people write them: "50 euros", "$80", "US dollars" and "GBP" all name an ISO 4217
code (`resources/currencies.json`, written for toolken). A parameter that takes a currency code
(`takes_currency`) is copied as the codes the question names this way, and synthesized questions
write a currency by its name as often as by its code."""

from __future__ import annotations

import json
import random
import re
from functools import cache

from .values import RESOURCES, codes_only, described_examples, pool_name


@cache
def currencies() -> dict[str, dict]:
    """The shipped currencies: code -> their names and signs."""
    return json.loads(RESOURCES.with_name("currencies.json").read_text(encoding="utf-8"))["currencies"]


@cache
def currency_pattern(code: str) -> re.Pattern | None:
    """How a text names a known currency code: the code in capitals, a name in any case ("euros";
    "dollars" only where no other currency's name ends with it there: not in "Canadian dollars"), or
    a sign right before an amount ("$80"); None for a code the shipped list lacks."""
    known = currencies().get(code)
    if known is None:
        return None
    others = [n.lower() for c, k in currencies().items() if c != code for n in k["names"]]
    names = []
    for name in sorted(known["names"], key=len, reverse=True):
        lower = name.lower()
        # a name another currency's longer name ends with is that one's there ("Canadian dollars")
        not_after = "".join(f"(?<!{re.escape(o[: -len(lower)])})" for o in others if o.endswith(" " + lower))
        names.append(not_after + re.escape(lower).replace(r"\ ", r"\s+"))
    # a bare sign is the code's only where no longer sign ends with it ("C$80" is Canadian)
    others_signs = [s for c, k in currencies().items() if c != code for s in k["signs"]]
    signs = ["".join(f"(?<!{re.escape(o[: -len(s)])})" for o in others_signs if o.endswith(s) and o != s) + re.escape(s)
             for s in sorted(known["signs"], key=len, reverse=True)]  # fmt: skip
    alternatives = [rf"(?i:(?<![\w$])(?:{'|'.join(names)})(?!\w))", rf"(?<![A-Za-z]){code}(?![A-Za-z])"]
    if signs:
        alternatives.append(rf"(?:{'|'.join(signs)})(?=\s?\d)")
    return re.compile("|".join(alternatives))


def currencies_in(text: str) -> list[str]:
    """The codes of the currencies `text` names, in the order it first names them."""
    found = {code: m.start() for code in currencies() if (p := currency_pattern(code)) and (m := p.search(text))}
    return sorted(found, key=found.get)


def takes_currency(name: str, schema: object) -> bool:
    """Whether a parameter takes a currency code: a free string named or described for a currency
    whose description lists no examples, or only codes ("such as EUR")."""
    if not isinstance(schema, dict) or schema.get("type", "string") != "string":
        return False
    if any(k in schema for k in ("enum", "const", "format", "pattern")) or pool_name(name, schema) != "currency":
        return False
    examples = described_examples(schema)
    return not examples or codes_only(examples)


def drawn_currency(rng: random.Random) -> tuple[str, str]:
    """A currency code and how a question writes it: the code, or half the time its first plural name."""
    code = rng.choice(sorted(currencies()))
    names = currencies()[code]["names"]
    plural = next((n for n in names if n.endswith("s")), names[0])
    return code, (code if rng.random() < 0.5 else plural)

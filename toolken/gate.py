"""The copy gate: whether a question gives a tool the values it requires at all (`copyable`). A tool
whose required number, name, date, code or link the question never writes cannot fire
(`firing.may_fire`) and is not offered a call (`toolken.grammar`), as its arguments are copied from the
question (`toolken.copying`)."""

from __future__ import annotations

import re

from .asked import required_numbers, singular
from .choices import as_described
from .copied_strings import listed_unwritten, patterned
from .copying import copy_schema, number_items, unlisted, within
from .currencies import currencies_in, takes_currency
from .dates import date_format, dates_in, datetime_format, days_apart, laid_out, time_format
from .durations import asked_time_unit, duration_reading, spelled_durations
from .enumerations import codes_unwritten
from .free_strings import codes_among, written_examples
from .literals import literal_kind, literals_in, takes_address
from .metric import metric_reading
from .months import months_laid_out
from .numerals import how_many_numbers, numbers_in
from .readings import implied
from .routes import address_values, ends_named, places_for
from .shapes import required_shape, shaped_in
from .units import other_measures
from .values import (
    code_examples,
    codes_only,
    identifiers_in,
    names_a_thing,
    parameter_words,
    patterned_in,
    takes_identifier,
    takes_title,
)
from .written import QUOTED_RE, names_for, spans_in, without_possessive


def copyable(parameters: dict, numbers: list[float | int], text: str | None = None) -> bool:
    """Whether a text writing `numbers` (`numbers_in`) offers a candidate for every required number
    parameter (one without an enum), a number for every required list of numbers, and, given the
    `text`, a name (`names_in`) for every required parameter that names a thing
    (`values.names_a_thing`), a link or address for every one that takes one (`literals.literal_kind`)
    and a date for every date: a tool whose values the question never gives is not the tool it asks for.
    As one call's parameters never share a value the text writes once (`toolken.distinct`), the text
    must also write as many numbers as the required number parameters, and as many names as the
    required parameters that name a thing ("the capital of Canada" is no drive from Canada to Canada)."""
    props, required = parameters.get("properties", {}), parameters.get("required", [])
    if text is not None and (plain := days_apart(props, text)) != text:  # a day's numbers: none for a dateless tool
        text, numbers = plain, numbers_in(plain)
    names = {n: places_for(n, props[n], text) for n in required if text is not None and names_a_thing(n, props.get(n))}
    distinct = {without_possessive(v) for found in names.values() for v in found}  # "Picasso's" is Picasso
    if any(not found for found in names.values()) or len(distinct) < len(names):
        return False  # a name for each, and a name of its own
    if text is not None and not ends_named(props, required, text):
        return False  # a trip's two ends, each its own
    free_numbers = required_numbers(props, required)
    lengths = text is not None and any(asked_time_unit(n, props[n]) for n in free_numbers)  # of time
    said = sum(bool(implied(n, text)) for n in free_numbers) if text is not None else 0  # "no hints": 0
    if text is not None and len(free_numbers) > how_many_numbers(text) + said + (
        spelled_durations(text) if lengths else 0
    ):
        return False  # a number of its own for each ("a week" is one, for a number of days)
    for name in required:
        schema = as_described(name, props.get(name))  # "the last four digits": four, written; "1 to 3"
        if name in free_numbers:
            # "400 grams" is 0.4 for kilograms, "a week" 7 for days, as the copied values read them
            converted = metric_reading(name, schema, text) if text is not None else None
            read = (duration_reading(name, schema, text) if lengths else None) or converted or numbers
            misfits = other_measures(name, schema, text) if text is not None else set()  # "21 kg" for minutes
            read = [v for v in read if v not in misfits] + (implied(name, text) if text is not None else [])
            if not any((schema["type"] == "number" or isinstance(v, int)) and within(v, schema) for v in read):
                return False
        if isinstance(schema, dict) and schema.get("type") == "array" and number_items(schema) and not numbers:
            return False  # a list of numbers to work on, and the text writes none
        if text is not None and (shape := required_shape(name, schema)) and not shaped_in(shape, text):
            if not (takes_identifier(name, schema) and identifiers_in(text) and _id_named(name, text)):
                return False  # no value of the examples' shape ("owner/name") to copy; "order 7734-B" for "ORD-1234"
        if text is not None and (codes_unwritten(schema, text) or _codes_unwritten_for(name, schema, text)):
            return False  # a list of letters or codes to choose from, or a ticker to look up, and none written
        if text is not None and listed_unwritten(schema, text) and unlisted(schema, _offered(parameters, name, text)):
            return False  # the function takes only the values it listed, and the text names none
        if text is not None and _title_unwritten(name, schema, text):
            return False  # no title written ("How do libraries decide which books to buy?")
        if text is not None and takes_currency(name, schema) and not currencies_in(text):
            return False  # no money to convert
        link = literal_kind(name, schema)
        if text is not None and link and not literals_in(link, text):
            return False  # no link to fetch, no address to write to
        if text is not None and takes_address(name, schema) and not (address_values(text) or names.get(name)):
            return False  # no street or place to go to
        dated_schema = isinstance(schema, dict) and (schema.get("format") == "date" or date_format(schema))
        if text is not None and dated_schema and "enum" not in schema:
            if not (dates_in(text) or laid_out(schema, text)):
                return False  # no day to book or count from ("The day, as YYYY-MM-DD." of "Who was ...?")
        timed = isinstance(schema, dict) and (time_format(schema) or datetime_format(schema))
        if text is not None and timed and not laid_out(schema, text):
            return False  # no time of day to set or convert ("What time is it?")
        if text is not None and patterned(schema) and not (patterned_in(schema, text) or _laid_out(schema, text)):
            return False  # no code or time of the pattern's form to copy
        if isinstance(schema, dict) and schema.get("type") == "object" and isinstance(schema.get("properties"), dict):
            if not copyable(schema, numbers, text):
                return False  # an object's required fields, as the call's own
    return True


def _offered(parameters: dict, name: str, text: str) -> object:
    """The values copying offers one parameter (its copy schema), or None."""
    return copy_schema(parameters, text).get("properties", {}).get(name)


def _laid_out(schema: dict, text: str) -> bool:
    """Whether `text` writes a date, time or month as the parameter lays them out."""
    return bool(laid_out(schema, text) or months_laid_out(schema, text))


_CODE_NAMES = re.compile(r"\b(?:code|symbol|ticker|abbreviation|iso|iata|icao|coupon|voucher)s?\b")


def _codes_unwritten_for(name: str, schema: object, text: str) -> bool:
    """Whether a string parameter takes codes only (its examples all codes, "e.g. AAPL", and its name
    or description calls it a code, symbol or ticker; "The state, such as TX" may be "California"; a
    ticker with no example, a code of capitals) and `text` writes none: "Should I invest in bonds or
    stocks?" gives no stock ticker."""
    if not isinstance(schema, dict) or takes_currency(name, schema):
        return False  # "$80" and "euros" are currencies too (`currencies.currencies_in`)
    examples, words = code_examples(name, schema), parameter_words(name, schema)
    if not codes_only(examples) or not _CODE_NAMES.search(words):
        return False
    quoted = QUOTED_RE.search(text)  # "stock 'X'": a ticker of one letter, quoted
    return not (written_examples(schema, text) or codes_among(examples, spans_in(text)) or quoted)


# a title typed in lower case right after "for": "seats left for dune", "showtimes for barbie"
_FOR_TITLE = re.compile(r"\bfor\s+(?!(?:a|an|the|my|your|our|his|her|their|me|us|it|this|that|some|any)\b)[a-z]{3,}")


def _title_unwritten(name: str, schema: object, text: str) -> bool:
    """Whether a parameter takes a book's, film's or song's title (`values.takes_title`) and `text`
    writes none: no capitalised name, nothing quoted, no word after "for"."""
    if not takes_title(name, schema):
        return False
    return not (names_for(name, schema, text) or QUOTED_RE.search(text) or _FOR_TITLE.search(text))


def _id_named(name: str, text: str) -> bool:
    """Whether `text` writes what an identifier parameter identifies ("order 7734-B" for `order_id`):
    an identifier of another shape than its examples' is its value only so ("LS17" of the postcode
    "LS17 8QR" is no ticket for `ticket_id`); one whose name says only "id" is always."""
    words = [w for w in re.split(r"_|-|(?<=[a-z])(?=[A-Z])", name.lower()) if w and w != "id"]
    return not words or any(re.search(rf"\b{re.escape(singular(w))}", text, re.IGNORECASE) for w in words)

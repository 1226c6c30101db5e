"""Numbers keyed to parameters by their units ("40 m/s" for `initial_velocity`): `toolken.units`."""

from __future__ import annotations

from toolken.copying import copy_schema
from toolken.keyed import keyed_numbers, keyed_schema
from toolken.units import asked_quantities, quantity_at
from toolken.written import numbers_in

N = {"type": "number"}


def _quantity(text: str, number: str) -> str | None:
    at = text.index(number)
    return quantity_at(text, at, at + len(number))


def test_a_unit_says_what_a_number_measures():
    assert _quantity("thrown up at 40 m/s after 6 seconds", "40") == "speed"
    assert _quantity("thrown up at 40 m/s after 6 seconds", "6") == "time"
    assert _quantity("a sound of 440Hz", "440") == "frequency"
    assert _quantity("it costs $50 now", "50") == "money"
    assert _quantity("a rate of 5% a year", "5") == "percent"
    assert _quantity("moving at 5 meters per second", "5") == "speed"  # not a length
    assert _quantity("a house of 3000 square feet", "3000") == "area"
    assert _quantity("accelerates at 10 m/s^2 for 5 s", "10") == "acceleration"
    assert _quantity("heat it from 25°C", "25") == "temperature"
    assert _quantity("a 3 bedroom villa", "3") is None
    assert _quantity("give me 3 apples", "3") is None
    assert numbers_in("accelerated at 4 m/s^2 over 300 meters") == [4, 300]  # a unit's exponent is no value


def test_a_parameter_asks_for_a_quantity_by_its_name_or_else_its_description():
    assert asked_quantities("initial_velocity", N) == {"speed"}
    assert asked_quantities("durationSeconds", N) == {"time"}
    assert asked_quantities("t", {"type": "number", "description": "The time elapsed in seconds."}) == {"time"}
    # a description naming two quantities asks for none
    assert asked_quantities("x", {"type": "number", "description": "Distance covered per hour."}) == set()
    assert asked_quantities("count", N) == set()


def test_a_number_goes_to_the_one_parameter_asking_for_what_its_unit_measures():
    props = {"initial_velocity": N, "time": N}
    text = "Find the final velocity of an object thrown up at 40 m/s after 6 seconds."
    assert keyed_numbers(props, text, ["initial_velocity", "time"]) == {"initial_velocity": [40], "time": [6]}
    # a name does not key a number whose unit measures something else ("frequency for 5 seconds")
    props = {"frequency": N, "duration": N}
    text = "Generate a sound of 440Hz frequency for 5 seconds."
    assert keyed_numbers(props, text, ["frequency", "duration"]) == {"frequency": [440], "duration": [5]}
    schema = {"type": "object", "properties": props, "required": ["frequency", "duration"]}
    narrowed = keyed_schema(copy_schema(schema, text), text)["properties"]
    assert narrowed["frequency"]["enum"] == [440] and narrowed["duration"]["enum"] == [5]


def test_no_unit_keys_where_a_required_parameter_may_take_any_number_or_two_ask_the_same():
    text = "A triangle with base 6 cm and height 10 cm."  # "base" asks for no quantity: names key instead
    assert keyed_numbers({"base": N, "height": N}, text, ["base", "height"]) == {"base": [6], "height": [10]}
    text = "The triangle's sides are 6 cm and 10 cm."
    assert keyed_numbers({"base": N, "height": N}, text, ["base", "height"]) == {}
    text = "A room of 5 m by 3 m."  # two lengths: the unit tells them not apart
    assert keyed_numbers({"length": N, "width": N}, text, ["length", "width"]) == {}
    assert keyed_numbers({"duration": N}, "Wait for 5 seconds.", ["duration"]) == {}  # one alone: nothing to tell

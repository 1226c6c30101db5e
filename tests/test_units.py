"""Numbers keyed to parameters by their units ("40 m/s" for `initial_velocity`): `toolken.units`."""

from __future__ import annotations

from toolken.copying import copy_schema
from toolken.keyed import keyed_numbers, keyed_schema
from toolken.numerals import numbers_in
from toolken.units import asked_quantities, quantity_at

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


def test_a_number_written_in_the_unit_one_parameter_names_goes_to_it_beside_ones_that_ask_for_none():
    props = {
        "stock_concentration": {"type": "number", "description": "Concentration of the stock in mol/L."},
        "target_concentration": {"type": "number", "description": "Wanted concentration in mol/L."},
        "target_volume_ml": {"type": "number", "description": "Wanted final volume."},
    }
    text = "How much of a 6 mol/L stock do I need to make 250 mL at 0.5 mol/L?"
    assert keyed_numbers(props, text, list(props)) == {"target_volume_ml": [250]}
    props["target_volume_ml"] = {"type": "number", "description": "Wanted final volume in mL."}
    props["minutes"] = N  # each names its own unit: "mL" and "minutes"
    text = "Within 20 minutes, make 250 mL at 0.5 mol/L from a 6 mol/L stock."
    assert keyed_numbers(props, text, list(props)) == {"target_volume_ml": [250], "minutes": [20]}
    # a quantity's word is no unit: "6cm" may be the base of a triangle as well as its height
    text = "The lengths of its base and height as 6cm and 10cm."
    assert keyed_numbers({"base": N, "height": N}, text, ["base", "height"]) == {}


def test_a_unit_spelled_out_is_its_symbol_and_a_letter_after_a_name_word_is_a_unit():
    lens = {"type": "number", "description": "The lens's focal length in millimetres."}
    props = {"focal_length_mm": lens, "aperture": N, "distance_m": {"type": "number", "description": "In metres."}}
    for text, distance in (("an 85 mm lens at f/4 and a subject 10 m away", 10), ("85 millimetre at f/4, 3 meters", 3)):
        assert keyed_numbers(props, text, list(props)) == {"focal_length_mm": [85], "distance_m": [distance]}
    from toolken.units import named_units

    assert named_units("m", N) == set() and named_units("distance_m", N) == {"m"}  # "m" alone names no unit


def test_a_size_in_pixels_or_dots_per_inch_is_no_time_and_both_sides_share_the_unit():
    from toolken.units import other_measures

    shutter = {"type": "number", "description": "The shutter speed in seconds."}
    assert other_measures("shutter_seconds", shutter, "Print a 6000 x 4000 pixel photo") == {6000, 4000}
    assert other_measures("shutter_seconds", shutter, "4032 by 3024 pixels at 240 dpi") == {4032, 3024, 240}
    radius = {"type": "integer", "description": "The radius of the circle in pixels."}
    assert other_measures("radius", radius, "a circle with a radius of 50 pixels") == set()  # a length in pixels
    focal = {"type": "number", "description": "The lens's focal length in millimetres."}
    assert other_measures("focal_length_mm", focal, "a 6000 x 4000 pixel photo") == {6000, 4000}  # no millimetres


def test_a_number_is_read_in_a_notation_its_description_shows():
    from toolken.notations import notation_values

    aperture = {"type": "number", "description": "The f-number, e.g. 2.8 for f/2.8."}
    shutter = {"type": "number", "description": "The shutter speed in seconds, e.g. 0.004 for 1/250 s."}
    props = {"aperture": aperture, "shutter_seconds": shutter, "iso": {"type": "integer", "default": 100}}
    schema = {"type": "object", "properties": props, "required": ["aperture", "shutter_seconds"]}
    copied = copy_schema(schema, "What is the exposure value at f/8 and 1/125 s?")["properties"]
    assert copied["aperture"]["enum"] == [8] and copied["shutter_seconds"]["enum"] == [0.008]
    assert "iso" not in copied  # 1 and 125 are the fraction's, no ISO of their own
    assert notation_values(shutter, "shutter 0.5 seconds") == []  # no fraction: read as written
    assert notation_values(shutter, "on 1/12/2025") == []  # a date is no fraction
    assert notation_values({"type": "number", "description": "The f-number."}, "at f/8") == []  # none shown


def test_a_number_with_a_metric_prefix_is_read_in_the_unit_its_parameter_asks_for():
    from toolken.metric import asked_unit, metric_reading

    farads, henries = (
        {"description": "The capacitance in farads (F)."},
        {"description": "The inductance (L) in henries (H)."},
    )
    circuit = "given capacitance of 100µF and inductance of 50mH."
    assert metric_reading("capacitance", farads, circuit) == [0.0001]  # no float noise; 50mH is no capacitance
    assert metric_reading("inductance", henries, circuit) == [0.05]  # "henries" before the symbol "(L)"
    assert metric_reading("mass", {"description": "in kilograms"}, "a 500 g ball 10 m up") == [0.5]
    assert metric_reading("volume", {"description": "volume in liters"}, "250 ml of water") == [0.25]
    assert metric_reading("distance", {"description": "in meters"}, "5 km and 300 m, then 4 more") == [5000, 300, 4]
    assert metric_reading("temperature", {"description": "in Kelvin"}, "from 300K to 400K") == [300, 400]
    assert metric_reading("distance", {"description": "in km"}, "a 5 km run, 3 laps") == [5, 3]  # no unit: a candidate
    assert metric_reading("count", N, "5 km") is None  # asks for no unit
    assert metric_reading("temp", {"description": "in Fahrenheit"}, "100 F") is None  # "F" alone: not farads
    assert asked_unit("mass2", {"description": "The mass of the second body (kg)."}) == ("g", 1000.0)  # not seconds
    assert asked_unit("distance_km", {}) == ("m", 1000.0) and asked_unit("m", {}) is None  # a suffix, not a name
    for compound in ["speed in meters per second", "in m/s", "area in square meters", "in m^2"]:
        assert asked_unit("x", {"description": compound}) is None, compound
    params = {
        "type": "object",
        "properties": {"capacitance": {"type": "number", **farads}},
        "required": ["capacitance"],
    }
    assert copy_schema(params, circuit)["properties"]["capacitance"]["enum"] == [0.0001]
    # the copy gate reads the number so too: 400 grams is 0.4 kg, within the parameter's bounds
    from toolken.gate import copyable

    kilograms = {"type": "number", "minimum": 0.01, "maximum": 30, "description": "Parcel weight in kilograms"}
    parcel = {"type": "object", "properties": {"weight_kg": kilograms}, "required": ["weight_kg"]}
    for text, fits in [("Ship 400 grams to Japan?", True), ("Ship 1500g", True), ("Ship 50 kg", False)]:
        assert copyable(parcel, numbers_in(text), text) is fits, text
    assert copy_schema(parcel, "Ship 400 grams to Japan?")["properties"]["weight_kg"]["enum"] == [0.4]


def test_a_unit_parameter_copies_a_unit_the_question_writes():
    from toolken.units import units_written

    speed = {"type": "string", "description": "The unit in which the speed should be calculated."}
    text = "Calculate the speed of an object in km/h if it traveled 450 meters in 20 seconds."
    assert units_written("to_unit", speed, text) == ["km/h"]  # of the speed it asks for
    params = {"type": "object", "properties": {"distance": {"type": "integer"}, "to_unit": speed},
              "required": ["distance"]}  # fmt: skip
    assert copy_schema(params, text)["properties"]["to_unit"]["enum"] == ["km/h"]
    measure = {"type": "string", "description": "The unit of measure."}
    assert units_written("unit", measure, "the second circle has a radius of 10 meters") == ["meters"]


def test_a_parameter_is_measured_in_a_unit_only_on_firm_evidence():
    from toolken.units import measured_in, quantity_at

    assert measured_in("minutes", {}) == {"time"}
    assert measured_in("weight", {"description": "Weight (kg)"}) == {"mass"}
    assert measured_in("size", {"description": "Size of the house in square feet"}) == {"area"}
    assert measured_in("v", {"description": "Speed in meters per second"}) == {"speed"}
    assert measured_in("b", {"description": "The second integer to multiply."}) == set()  # an ordinal
    assert measured_in("second_number", {}) == set()
    assert measured_in("total_assets", {"description": "Total assets for the period."}) == set()  # no unit
    assert measured_in("amount", {"description": "How much"}) == set()  # of money, grams, cups ...
    text = "a fee of 400 dollars per hour, braking at -2 meters per second squared"
    assert quantity_at(text, text.index("400"), text.index("400") + 3) == "money"  # no speed
    assert quantity_at(text, text.index("-2"), text.index("-2") + 2) == "acceleration"


def test_a_rate_is_measured_in_what_its_name_counts_before_per():
    from toolken.units import measured_in

    assert measured_in("price_per_liter", N) == {"money"}  # no volume
    assert measured_in("liters_per_100km", N) == {"fuel economy"}  # no volume, no length
    assert measured_in("flights_per_year", N) == {"time"}  # nothing before "per": the name whole
    assert measured_in("square_meters", N) == {"area"}  # a unit of two words, whole: no length
    area = {"type": "object", "properties": {"square_meters": N}, "required": ["square_meters"]}
    assert copy_schema(area, "How many square feet is 85 square meters?")["properties"]["square_meters"]["enum"] == [85]
    assert asked_quantities("price_per_liter", N) == {"money"}
    schema = {"type": "object", "properties": {"distance_km": N, "liters_per_100km": N, "price_per_liter": N}}
    text = "A 120 km drive at 7 liters per 100 km with diesel at 1.70 per liter: what's the fuel bill?"
    props = copy_schema(schema, text)["properties"]
    assert props["liters_per_100km"]["enum"] == [7, 1.7] and props["price_per_liter"]["enum"] == [1.7]


def test_fuel_economy_is_a_quantity_of_its_own():
    from toolken.copying import copy_schema

    described = [("distance_km", "The distance in kilometres."), ("consumption", "Litres per 100 km.")]
    props = {n: {"type": "number", "description": d} for n, d in [*described, ("price_per_liter", "Per litre.")]}
    schema = {"type": "object", "properties": props, "required": list(props)}
    text = "300 km, my car uses 7.2 litres per 100 km and fuel is 1.75 a litre."  # 7.2 no volume, 300 no rate
    assert copy_schema(schema, text)["properties"]["consumption"]["enum"] == [7.2, 1.75]
    text = "420 km at 6.5 l/100km with petrol at 1.89?"  # 6.5 is no price (it was before), nor 420 a rate
    props = copy_schema(schema, text)["properties"]
    assert props["consumption"]["enum"] == [6.5, 1.89] and props["price_per_liter"]["enum"] == [1.89]
    described = {"fuel_efficiency": {"type": "number", "description": "In miles per gallon."}}
    mpg = {"type": "object", "properties": {**described, "distance": {"type": "integer", "description": "In miles."}}}
    props = copy_schema(mpg, "A car that travels 12,000 miles per year, with fuel efficiency of 25 MPG.")["properties"]
    assert props["fuel_efficiency"]["enum"] == [25] and props["distance"]["enum"] == [12000]


def test_a_count_after_a_lone_x_is_a_number_and_a_cubic_unit_a_volume():
    assert numbers_in("sunflowers x10 in a box") == [10]
    assert numbers_in("abc123 and x2") == []  # a name, not a count
    storage = {
        "type": "object",
        "properties": {
            "cubic_metres": {"type": "number", "description": "Volume to store."},
            "weeks": {"type": "integer", "description": "How long."},
        },
        "required": ["cubic_metres", "weeks"],
    }
    for text in ("around 12.5 m³ for 12 weeks", "12.5 m3 for 12 weeks", "12.5 cubic metres for 12 weeks"):
        assert copy_schema(storage, text)["properties"]["cubic_metres"]["enum"] == [12.5], text
    assert quantity_at("250 kilowatt hours", 0, 3) == "energy"


def test_a_number_before_two_words_counts_the_thing_they_name():
    from toolken.gate import copyable

    storage = {
        "type": "object",
        "properties": {"cubic_metres": {"type": "number"}, "weeks": {"type": "integer"}},
        "required": ["cubic_metres", "weeks"],
    }
    text = "how much to move a 2 bed flat about 35 km"
    assert not copyable(storage, numbers_in(text), text)  # a flat of 2 beds is no 2 cubic metres
    text = "would a membership be worth it for 2 basic washes a month"
    washes = {"type": "object", "properties": {"washes": {"type": "integer"}}, "required": ["washes"]}
    assert copyable(washes, numbers_in(text), text)  # what it counts is the parameter's own
    age = {"type": "object", "properties": {"age_years": {"type": "number"}}, "required": ["age_years"]}
    text = "Convert my cat's age of 9 into human years."
    assert copyable(age, numbers_in(text), text)  # "into" is no noun

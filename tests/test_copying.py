"""Copying argument values from the question: which numbers, strings and enum values a text offers."""

from __future__ import annotations

import datetime
import random
import re

from toolken.copying import copy_schema, said_boolean
from toolken.drawing import draw_value
from toolken.enum_names import named_in
from toolken.gate import copyable
from toolken.keyed import keyed_schema
from toolken.literals import literals_in
from toolken.months import MONTHS, month_format, months_in
from toolken.numerals import numbers_in
from toolken.shapes import shape_pattern
from toolken.written import names_for, names_in, spans_in

WEATHER = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
    "required": ["city"],
}
CONVERT = {
    "type": "object",
    "properties": {
        "value": {"type": "number"},
        "from_unit": {"type": "string", "enum": ["miles", "kilometers", "feet", "meters"]},
        "to_unit": {"type": "string", "enum": ["miles", "kilometers", "feet", "meters"]},
    },
    "required": ["value", "from_unit", "to_unit"],
}


def test_enum_values_are_found_in_any_case_and_number():
    assert named_in(["celsius", "fahrenheit"], "How hot is Cairo, in Fahrenheit?") == ["fahrenheit"]
    assert named_in(["miles", "kilometers", "feet"], "Is 1 kilometer more than a mile?") == ["miles", "kilometers"]
    assert named_in(["USD", "EUR", "JPY"], "Convert 1200 JPY to USD.") == ["USD", "JPY"]
    assert named_in(["new_york", "paris"], "Flights to New York") == ["new_york"]
    assert named_in(["cat"], "a category") == []  # whole words only
    assert named_in(["comedy", "day"], "Any good comedies, or days out?") == ["comedy", "day"]
    # a language's code by the language's name, only where the codes are written in lower case
    assert named_in(["en", "fr", "da"], "Translate this from English into Danish.") == ["en", "da"]
    assert named_in(["CA", "DE"], "My German car broke down in California.") == []


def test_a_required_enum_takes_the_one_value_the_question_echoes():
    reasons = ["damaged", "wrong item", "no longer needed", "other"]
    label = schema_of(["reason"], reason={"type": "string", "enum": reasons})
    narrowed = copy_schema(label, "Return ORD-10001, I don't need it anymore.")["properties"]["reason"]
    assert narrowed["enum"] == ["no longer needed"]
    assert copy_schema(label, "It came with damage on the box.")["properties"]["reason"]["enum"] == ["damaged"]
    assert copy_schema(label, "Return ORD-10001 please.")["properties"]["reason"]["enum"] == reasons  # none echoed
    # two values echoed: the model still chooses between all of them
    assert copy_schema(label, "Some damage, and I need a refund.")["properties"]["reason"]["enum"] == reasons


def test_an_enum_keeps_only_the_values_the_question_names():
    props = copy_schema(CONVERT, "What is 5 kilometers in miles?")["properties"]
    assert props["from_unit"]["enum"] == props["to_unit"]["enum"] == ["miles", "kilometers"]
    assert props["value"]["enum"] == [5]


def test_a_required_enum_the_question_does_not_name_stays_whole():
    props = copy_schema(CONVERT, "Convert 3 of them")["properties"]
    assert props["from_unit"]["enum"] == CONVERT["properties"]["from_unit"]["enum"]


def test_an_optional_enum_the_question_does_not_name_is_left_out():
    assert set(copy_schema(WEATHER, "Is it raining in Tokyo?")["properties"]) == {"city"}
    assert copy_schema(WEATHER, "Tokyo in celsius?")["properties"]["unit"]["enum"] == ["celsius"]


def test_an_acronym_names_no_person_and_a_question_word_tells_no_choice():
    from toolken.tools import Tool
    from toolken.unasked import unasked_choice

    person = schema_of(["name"], name={"type": "string", "description": "The colleague's full name"})
    assert not copyable(person, [], "What does HR stand for?")  # no colleague called "HR"
    assert copyable(person, [], "Where does Maria Lopez sit?") and copyable(person, [], "Find JJ Abrams")
    assert names_for("company", {"type": "string"}, "Is IBM hiring?") == ["IBM"]  # a company may be one
    # a person is no code and no title: "CS101" names no professor, "Professor Okafor" is Okafor
    last = {"type": "string", "description": "The professor's last name."}
    assert names_for("professor", last, "Sign me up for CS101 in the fall.") == []
    assert names_for("professor", last, "When can I see Dr. Lindqvist during office hours?") == ["Lindqvist"]
    assert "Okafor" in names_for("professor", last, "When are Professor Okafor's office hours?")
    full = {"type": "string", "description": "The colleague's full name"}
    assert names_for("name", full, "Email Dr. Jane Smith about it.") == ["Jane Smith"]  # "Dr." ends no sentence
    city = {"type": "string", "description": "The city's name."}  # three capitals or more name no city
    assert names_for("city", city, "Is it better to shoot in RAW or JPEG?") == []
    assert names_for("city", city, "What's the AQI in Beijing?") == ["Beijing"]
    assert names_for("city", city, "Weather in LA?") == ["LA"]
    who = {"type": "string", "description": "Who the call was with."}  # a first name known inside a full one
    assert names_for("contact_name", who, "Log a call with Priya Shah, she's interested.") == ["Priya Shah"]
    assert "Ronaldo" in names_for("player_name", {"type": "string"}, "Stats of Ronaldo's matches?")
    kinds = {"type": "string", "enum": ["vacation", "sick", "personal"]}
    left = Tool(
        "remaining_days", "How many days of a kind of leave are left this year.", schema_of(["kind"], kind=kinds)
    )
    assert unasked_choice(left, "How many public holidays are there in Germany?")  # "many" tells nothing
    assert not unasked_choice(left, "How much leave do I have left?")  # its own words


def test_numbers_as_people_write_them():
    assert numbers_in("13,289 minus 7,899 at 5% for two") == [13289, 7899, 5, 0.05, 2]
    assert numbers_in("revenue of $1.2M, a 10k run, 3 billion people") == [1200000, 10000, 3000000000]
    assert numbers_in("at 5 m/s for 2 km") == [5, 2]  # a unit is no scale
    assert numbers_in("How many units of ABC-1234 and INV-0042 are left, from 3-5 pm?") == [3, 5]  # codes' digits
    assert numbers_in("from 300K to 400K") == [300000, 300, 400000, 400]  # kelvins too, without a currency
    assert numbers_in("a salary of $300K") == [300000]


def test_a_start_or_end_parameter_takes_the_name_after_from_or_to():
    text = "Get directions from Sydney to Melbourne using the fastest route."
    city = {"type": "string", "description": "A city."}
    assert names_for("start_location", city, text) == ["Sydney"]
    assert names_for("destination", city, text) == ["Melbourne"]
    assert names_for("city", city, text) == ["Sydney", "Melbourne"]
    assert names_for("origin", city, "Fly to Melbourne.") == ["Melbourne"]  # nothing after "from": all names


def test_a_tool_is_copyable_only_when_the_text_gives_its_required_numbers():
    def offers(parameters: dict, text: str) -> bool:
        return copyable(parameters, numbers_in(text))

    assert offers(CONVERT, "What is 5 kilometers in miles?")
    assert not offers(CONVERT, "What is the capital of Australia?")  # no number to copy
    assert offers(WEATHER, "Is it raining in Tokyo?")  # no number parameters at all
    integer = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    assert not offers(integer, "half of 2.5") and offers(integer, "twice 2.5")  # "twice": 2


def test_names_are_capitalised_inside_a_sentence_quoted_or_known():
    assert names_in("Q: Write a haiku about autumn leaves.\nA:") == []  # "Q", "Write", "A" only start a line
    assert names_in("Is it raining in New York today?") == ["New York"]
    assert names_in("Translate 'good night'.") == ["good night"]
    assert names_in("population of kenya?", ["Kenya", "Peru"]) == ["kenya"]
    # a middle initial is no word of a name, nor its end; a sentence's end is still one
    assert names_in("Do you have any books by Ursula K. Le Guin?") == ["Ursula K. Le Guin"]
    assert names_in("Books by George R. R. Martin") == ["George R. R. Martin"]
    assert "Ursula K. Le Guin" in spans_in("Any books by Ursula K. Le Guin?")  # whole, beyond three words
    assert names_in("Foods rich in Vitamin C. What are they?") == ["Foods", "Vitamin C"]
    assert names_in("Washington D.C. Metro") == ["Washington D.C.", "Metro"]


def test_a_tool_that_takes_a_name_is_copyable_only_when_the_text_names_one():
    def offers(text: str) -> bool:
        return copyable(WEATHER, numbers_in(text), text)

    assert offers("Q: weather in Berlin?\nA:") and offers("Q: Is it raining in tokyo?\nA:")  # a shipped city
    assert not offers("Q: Write a haiku about autumn leaves.\nA:")
    assert copyable(WEATHER, [], None)  # no text given: only numbers are checked
    word = {"type": "object", "properties": {"word": {"type": "string"}}, "required": ["word"]}
    assert offers("Q: Tokyo\nA:") and copyable(word, [], "Q: define ephemeral\nA:")  # a word is not a name
    assert copy_schema(WEATHER, "Q: Weather in Oslo or Rome?\nA:")["properties"]["city"]["enum"] == ["Oslo", "Rome"]


def test_days_months_languages_and_i_are_not_names_of_places_or_people():
    def offers(text: str) -> bool:
        return copyable(WEATHER, numbers_in(text), text)

    assert not offers("Q: Translate good night into French.\nA:")
    assert not offers("Q: Should I plan a party for Christmas or New Year?\nA:")
    assert not offers("Q: Can I speak Japanese on Monday in March?\nA:")
    assert copy_schema(WEATHER, "Q: Is it cold in Oslo on Friday?\nA:")["properties"]["city"]["enum"] == ["Oslo"]
    translate = {"type": "object", "properties": {"language": {"type": "string"}}, "required": ["language"]}
    assert copy_schema(translate, "Q: Say thanks in French.\nA:")["properties"]["language"]["enum"] == ["French"]
    person = {"type": "object", "properties": {"person": {"type": "string"}}, "required": ["person"]}
    assert copy_schema(person, "Q: Who is Theresa May?\nA:")["properties"]["person"]["enum"] == ["Theresa May"]


def test_a_copied_number_keeps_the_schemas_bounds():
    kg, m = {"type": "number", "minimum": 20}, {"type": "number", "maximum": 2.5, "exclusiveMinimum": 0}
    bmi = {"type": "object", "required": ["kg", "m"], "properties": {"kg": kg, "m": m}}
    props = copy_schema(bmi, "I am 1.62 m tall and weigh 55 kg")["properties"]
    assert props["kg"]["enum"] == [55] and props["m"]["enum"] == [1.62]
    assert not copyable(bmi, numbers_in("1.5 and 2"))  # no weight of at least 20


def test_a_place_asked_as_city_and_state_is_copied_whole():
    location = {"type": "string", "description": "The city and state, e.g. San Francisco, CA"}
    text = "I'm at Riga, Latvia, Can you tell me the weather here and in Chennai, Tamil Nadu or Paris?"
    enum = copy_schema({"properties": {"location": location}}, text)["properties"]["location"]["enum"]
    assert enum == ["Riga, Latvia", "Chennai, Tamil Nadu", "Paris, France"]  # "Can" opens a clause
    # a description that shows no such format keeps every name on its own
    plain = copy_schema({"properties": {"location": {"type": "string", "description": "The city"}}}, text)
    assert {"Riga", "Latvia", "Chennai", "Tamil Nadu"} <= set(plain["properties"]["location"]["enum"])


def test_a_link_or_address_is_copied_as_written_and_needed_when_required():
    fetch = {
        "properties": {
            "url": {"type": "string"},
            "mirror_url": {"type": "string"},
            "to": {"type": "string", "format": "email"},
        },
        "required": ["url"],
    }
    assert not copyable(fetch, [], "Write a python script to rename files by date.")  # no link: no call
    text = "Get https://api.example.com/v1/data?, then mail ann@example.org."
    assert copyable(fetch, [], text)
    props = copy_schema(fetch, text)["properties"]
    assert props["url"]["enum"] == ["https://api.example.com/v1/data"]
    assert props["to"]["enum"] == ["ann@example.org"]
    assert props["mirror_url"]["enum"] == ["https://api.example.com/v1/data"]
    search = {"properties": {"query": {"type": "string"}, "source_url": {"type": "string"}}, "required": ["query"]}
    assert "source_url" not in copy_schema(search, "Search for 'cats'.")["properties"]  # no link: its default applies
    # "UrlName" is a page's slug, not a link: copied from the words as before
    slug = {"properties": {"UrlName": {"type": "string"}}, "required": ["UrlName"]}
    assert copyable(slug, [], "Create a page named ai-news.")


def test_a_percentage_is_read_as_the_parameter_says():
    text = "A loan at 4% for 15 years, with a 5% fee and a 15% tip."
    props = {
        "interest_rate": {"type": "number", "description": "The annual interest rate."},
        "fee": {"type": "number", "description": "The fee as a decimal."},
        "tip": {"type": "number", "description": "Tip in percent."},
        "other": {"type": "number"},
    }
    enums = {k: v["enum"] for k, v in copy_schema({"properties": props}, text)["properties"].items()}
    assert enums["interest_rate"] == enums["fee"] == [0.04, 0.05, 0.15]  # the percentages only
    assert enums["tip"] == [4, 5, 15]
    assert enums["other"] == [4, 0.04, 15, 5, 0.05, 0.15]  # no word says which: every number, both readings
    plain = copy_schema({"properties": props}, "A loan at a rate of 0.04 for 15 years.")["properties"]
    assert plain["interest_rate"]["enum"] == [0.04, 15]  # no percentage written: every number
    # a default that is a fraction says the parameter takes fractions; one above 1 says nothing
    level = {"level": {"type": "number", "description": "The level of confidence. Default is 0.9."}}
    text = "A 95% confidence interval for 50 samples."
    assert copy_schema({"properties": level}, text)["properties"]["level"]["enum"] == [0.95]
    level = {"level": {"type": "number", "description": "The level of confidence.", "default": 0.9}}
    assert copy_schema({"properties": level}, text)["properties"]["level"]["enum"] == [0.95]
    level = {"level": {"type": "number", "description": "The level. Default is 3."}}
    assert copy_schema({"properties": level}, text)["properties"]["level"]["enum"] == [95, 0.95, 50]
    # so does a range of fractions the description states
    share = {"test_size": {"type": "number", "description": "Share of rows held out, between 0 and 1."}}
    text = "Train it with a 30% test split."
    assert copy_schema({"properties": share}, text)["properties"]["test_size"]["enum"] == [0.3]


HYPOT = {
    "type": "object",
    "properties": {
        "x": {"type": "number"},
        "y": {"type": "number"},
        "z": {"type": "number", "description": "Optional third side."},
        "unit": {"type": "string", "description": "The unit of length."},
        "method": {"type": "string"},
        "formatted": {"type": "boolean"},
    },
    "required": ["x", "y"],
}


def test_an_optional_value_is_written_only_where_the_question_gives_one_of_its_own():
    props = copy_schema(HYPOT, "The hypotenuse of a right triangle with sides 4 and 5, please.")["properties"]
    assert set(props) == {"x", "y"}  # "z": 4 would take a side's value; "unit": "the" a word
    assert set(copy_schema(HYPOT, "Sides 4 and 5 inches long.")["properties"]) == {"x", "y", "unit"}  # a unit
    props = copy_schema(HYPOT, "Sides 3, 4 and 12 in units of cm, formatted, by the Simpson method.")["properties"]
    assert set(props) == set(HYPOT["properties"])  # a spare number; the names "unit", "method", "formatted"
    assert props["z"]["enum"] == [3, 4, 12] and "cm" in props["unit"]["enum"]
    unmarked = {"type": "object", "properties": {"artist": {"type": "string"}, "minutes": {"type": "integer"}}}
    assert set(copy_schema(unmarked, "Play Adele for 20 minutes.")["properties"]) == {"artist", "minutes"}


def test_an_optional_value_moving_on_alone_makes_no_next_call():
    from toolken.next_call import next_call_schema

    text = "The area of a triangle with base 10 units and height 5 units."
    schema = copy_schema(HYPOT, text)
    assert "unit" in schema["properties"]
    assert next_call_schema(schema, {"x": 10, "y": 5, "unit": "units"}, text) is None
    # ... but it moves on to the next item of its own list, and a run of words is no value holding "and"
    wire = {"type": "object", "required": ["length"],
            "properties": {"length": {"type": "number"}, "material": {"type": "string"}}}  # fmt: skip
    text = "The resistance of a wire 5m long for the materials copper and aluminum"
    schema = copy_schema(wire, text)
    assert "copper and aluminum" not in schema["properties"]["material"]["enum"]
    following = next_call_schema(schema, {"length": 5, "material": "copper"}, text)
    assert following["properties"]["material"]["enum"] == ["aluminum"]


def test_two_number_parameters_of_one_call_take_distinct_numbers():
    from toolken.distinct import distinct_numbers

    growth = {
        "type": "object",
        "properties": {k: {"type": "number"} for k in ("year1", "revenue1", "year2", "revenue2")},
        "required": ["year1", "revenue1", "year2", "revenue2"],
    }
    text = "Growth with revenues of $1M in 2019 and $1.2M in 2020?"
    variants = distinct_numbers(copy_schema(growth, text), text)["anyOf"]
    assert len(variants) == 4  # 4 numbers to 4 parameters, each once; a year takes no dollars
    for v in variants:
        values = [p["enum"][0] for p in v["properties"].values()]
        assert sorted(values) == [2019, 2020, 1000000, 1200000]
    text = "The hypotenuse of sides 3 and 3."  # written twice: both sides may take it
    pair = {"type": "object", "properties": {"x": {"type": "number"}, "y": {"type": "number"}}, "required": ["x", "y"]}
    assert distinct_numbers(copy_schema(pair, text), text) == copy_schema(pair, text)  # one value: no choice
    text = "Sides 3, 4 and 4."
    taken = sorted(
        (v["properties"]["x"]["enum"][0], v["properties"]["y"]["enum"][0])
        for v in distinct_numbers(copy_schema(pair, text), text)["anyOf"]
    )
    assert taken == [(3, 4), (4, 3), (4, 4)]


def test_a_call_does_not_take_the_numbers_an_earlier_call_of_another_tool_took():
    from toolken.distinct import untaken

    pair = {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}, "required": ["a", "b"]}
    text = "The GCD of 96 and 128, and the LCM of 15 and 25."
    props = untaken(copy_schema(pair, text), text, [96, 128])["properties"]
    assert props["a"]["enum"] == props["b"]["enum"] == [15, 25]
    text = "Convert 10 dollars at 0.9 and deposit 10 dollars."  # written twice: taken once, left once
    assert untaken(copy_schema(pair, text), text, [10])["properties"]["a"]["enum"] == [10, 0.9]
    assert untaken(copy_schema(pair, text), text, [10, 10])["properties"]["a"]["enum"] == [0.9]
    text = "The GCD of 96 and 128, then the square of it."  # nothing left: a parameter keeps its own
    assert untaken(copy_schema(pair, text), text, [96, 128])["properties"]["a"]["enum"] == [96, 128]


def test_a_copied_string_is_a_whole_name_never_a_piece_of_it():
    from toolken.written import spans_in

    spans = spans_in("Play songs by Taylor Swift and Maroon 5 for 20 minutes.")
    assert "Taylor Swift" in spans and "Maroon" in spans and "Swift" not in spans and "Taylor" not in spans
    assert "Swift and Maroon" not in spans  # cuts a name
    assert "Taylor Swift and" not in spans and "and Maroon" not in spans  # a joining word ends or starts none
    assert "songs by" not in spans and "by Taylor Swift" not in spans  # nor does a preposition end or start one
    assert "Play" not in spans and "Play songs" not in spans  # nor the request that opens the question
    assert "a" in spans_in("How often does a occur in banana?")  # a word alone may be one
    assert "Taylor Swift" in spans_in("Play Taylor Swift now.")  # a run that starts the sentence
    assert "Swift" in spans_in("Swift is fast. Play Taylor Swift.")  # written alone too


def test_a_city_written_alone_gets_its_state_or_country_where_the_parameter_asks_for_one():
    from toolken.written import names_for

    asks = {
        "type": "string",
        "description": "The city, as 'City, State', e.g. 'San Francisco, CA'; else 'City, Country'.",
    }
    assert names_for("location", asks, "Weather in Boston today?") == ["Boston, MA"]
    assert names_for("location", asks, "Weather in Tel Aviv today?") == ["Tel Aviv, Israel"]
    assert names_for("location", asks, "Weather in Riga, Latvia?") == ["Riga, Latvia"]  # written whole: kept
    assert names_for("location", asks, "Weather in Naples today?") == ["Naples"]  # two places: no guess
    codes = {"type": "string", "description": "City and country code, e.g. 'Paris, FR'."}
    assert names_for("location", codes, "Weather in Tel Aviv today?") == ["Tel Aviv, IL"]
    plain = {"type": "string", "description": "The name of the city."}
    assert names_for("city", plain, "Weather in Boston today?") == ["Boston"]


def test_a_math_expression_is_copied_whole_in_pythons_notation():
    from toolken.expressions import expressions_in, takes_expression

    assert expressions_in("The derivative of the function 3x^2 + 2x - 1.") == ["3x**2 + 2x - 1"]
    assert expressions_in("The area under y=x^2 from x=1 to x=3.") == ["x**2"]  # "x=1": no expression
    assert expressions_in("Integrate exp(-x^2) from -2 to 2, then sin(x) from 0 to 3.14.") == ["exp(-x**2)", "sin(x)"]
    assert expressions_in("What is 12 * 7?") == ["12 * 7"]
    assert expressions_in("On 2019-12-13 at -79.38, for 5 people.") == []  # dates and lone numbers are none
    assert takes_expression("function", {"type": "string", "description": "The mathematical function."})
    assert takes_expression("expr", {"type": "string", "description": "A math expression to evaluate."})
    assert not takes_expression("function_name", {"type": "string"}) and not takes_expression("city", {})
    assert takes_expression("func", {"type": "string", "description": "The function to be integrated."})
    chemical = {"type": "string", "description": "The chemical formula, such as H2O or C6H12O6."}
    assert not takes_expression("formula", chemical)  # its examples are no math
    assert takes_expression("formula", {"type": "string", "description": "The formula, e.g. x^2 + 1."})
    schema = {
        "type": "object",
        "properties": {"function": {"type": "string"}, "x_value": {"type": "number"}},
        "required": ["function"],
    }
    text = "Calculate the derivative of the function 3x^2 + 2x - 1."
    assert copy_schema(schema, text)["properties"]["function"]["enum"] == ["3x**2 + 2x - 1"]
    plain = "Calculate the derivative of the sine function."  # no expression written: words as before
    assert "sine" in copy_schema(schema, plain)["properties"]["function"]["enum"]


def test_an_equation_is_copied_with_both_sides_and_drawn_as_one():
    import random

    from toolken.drawing import draw_value
    from toolken.expressions import equations_in

    equation = {"type": "string", "description": "The equation, like 2x + 3 = 7."}
    solve = {"type": "object", "properties": {"equation": equation}, "required": ["equation"]}
    assert copy_schema(solve, "Solve 2x + 3 = 11.")["properties"]["equation"]["enum"] == ["2x + 3 = 11"]
    assert equations_in("What is x if 5x - 10 = 0?") == ["5x - 10 = 0"] and equations_in("Is 2 + 2 = 4?") == []
    drawn, _ = draw_value("equation", equation, random.Random(0))
    assert equations_in(drawn) == [drawn]  # an equation in x, never a word from the pools


def test_the_numbers_of_an_expression_are_no_values_of_their_own():
    schema = {
        "type": "object",
        "properties": {"function": {"type": "string"}, "x_value": {"type": "number"}},
        "required": ["function"],
    }
    props = copy_schema(schema, "The derivative of the function 3x^2 + 2x - 1.")["properties"]
    assert props["function"]["enum"] == ["3x**2 + 2x - 1"] and "x_value" not in props  # no spare number
    props = copy_schema(schema, "The derivative of 2x^2 at x_value 4.")["properties"]
    assert props["x_value"]["enum"] == [4]


def test_scientific_notation_zero_dotted_abbreviations_and_lists_of_strings():
    assert numbers_in("Charges of 1e-9 and 2E3 coulombs, starting at zero.") == [1e-09, 2000, 0]
    assert "Washington D.C." in names_in("The drive from New York City to Washington D.C.")
    assert names_in("Ship it to the U.S. Then to Spain.") == ["U.S.", "Spain"]  # "Then" starts a sentence
    route = {
        "type": "object",
        "properties": {"start": {"type": "string"}, "stops": {"type": "array", "items": {"type": "string"}}},
        "required": ["start"],
    }
    text = "Travel time from San Francisco with stops at Santa Barbara and Monterey."
    assert copy_schema(route, text)["properties"]["stops"]["enum"] == [["Santa Barbara", "Monterey"]]  # whole
    stops = copy_schema(route, "Travel from San Francisco with a stop at Monterey.")["properties"]["stops"]["items"]
    assert "Monterey" in stops["enum"] and "garden" not in stops["enum"]  # no list written: any name, one by one


def test_a_free_string_takes_the_quoted_text_or_no_value_of_another_parameters_enum():
    from toolken.copying import copy_schema

    text_only = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}
    quote = 'Count the words in: "To be or not to be, that is the question"'
    assert copy_schema(text_only, quote)["properties"]["text"]["enum"] == ["To be or not to be, that is the question"]
    two = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a", "b"]}
    assert "blue" in copy_schema(two, "Compare 'red' with blue")["properties"]["a"]["enum"]  # one quote, two strings
    language = {"type": "string", "enum": ["spanish", "german"]}
    translate = {"type": "object", "properties": {"word": {"type": "string"}, "language": language}}
    words = copy_schema(translate, "What is the German word for water?")["properties"]["word"]["enum"]
    assert "water" in words and not any("German" in w for w in words)
    assert copy_schema(translate, "German")["properties"]["word"]["enum"] == ["German"]  # nothing else to take


def test_two_string_parameters_of_one_call_take_distinct_values():
    from toolken.distinct import distinct_values
    from toolken.keyed import keyed_schema

    tax = {
        "type": "object",
        "properties": {"city": {"type": "string"}, "state": {"type": "string"}},
        "required": ["city", "state"],
    }
    text = "Sales tax paid years ago in Chicago, Illinois"
    copied = distinct_values(copy_schema(tax, text), text)
    variants = copied.get("anyOf", [copied])  # one variant: the city can only be Chicago, a well-known place
    chicago = next(v["properties"] for v in variants if v["properties"]["city"]["enum"] == ["Chicago"])
    assert "Chicago" not in chicago["state"]["enum"] and "Chicago, Illinois" not in chicago["state"]["enum"]
    assert "Illinois" in chicago["state"]["enum"] and "ago" in chicago["state"]["enum"]  # whole words only
    trip = "Fly from Paris to Rome and back to Paris"  # written twice: both may take it
    both = distinct_values(copy_schema(tax, trip), trip)["anyOf"]
    paris = [v["properties"]["state"]["enum"] for v in both if v["properties"]["city"]["enum"] == ["Paris"]]
    assert paris and all("Paris" in states for states in paris)
    alone = "Chicago"  # nothing else to take: the later parameter keeps its own
    assert distinct_values(copy_schema(tax, alone), alone)["properties"]["state"]["enum"] == ["Chicago"]
    flags = {"type": "string", "enum": ["true", "false"]}
    both = {"type": "object", "properties": {"images": flags, "links": flags}}
    assert distinct_values(both, "Search the web") == both  # values the text never writes bind nothing
    # a parameter with one candidate that binds nothing leaves the two with several to bind each other
    people = {"type": "string", "description": "A person's full name."}
    meeting = schema_of(["candidate", "date"], candidate=people, date={"type": "string", "format": "date"},
                        interviewer=people)  # fmt: skip
    text = "Book an interview for Tom Becker on 2027-03-09 with Dana."
    pairs = [(v["properties"]["candidate"]["enum"], v["properties"]["interviewer"]["enum"])
             for v in distinct_values(copy_schema(meeting, text), text)["anyOf"]]  # fmt: skip
    assert pairs == [(["Tom Becker"], ["Dana"]), (["Dana"], ["Tom Becker"])]
    # an optional parameter left with no value of its own is left out
    code = {"type": "string", "pattern": "^INV-[0-9]{4}$"}
    remind = schema_of(["invoice_id"], invoice_id=code, message={"type": "string", "description": "A note."})
    text = "Send a reminder for INV-0042."
    assert "message" not in distinct_values(copy_schema(remind, text), text)["properties"]
    # nor one whose only candidates are a required parameter's one value; an address's user is no name in it
    email = {"type": "string", "format": "email"}
    subscribe = schema_of(["email", "list_name"], email=email, list_name={"type": "string"},
                          first_name={"type": "string", "description": "The first name."})  # fmt: skip
    text = "Add jane.doe@example.com to the Newsletter list."
    assert "first_name" not in distinct_values(copy_schema(subscribe, text), text)["properties"]
    text = 'Subscribe tom@acme.io to the "VIP" list, his first name is Tom.'
    keyed = keyed_schema(copy_schema(subscribe, text), text, first=True)["properties"]
    assert keyed["first_name"]["enum"] == ["Tom"]  # after its name's words


def test_every_string_parameter_with_one_candidate_keeps_it_from_the_others():
    from toolken.distinct import distinct_values

    reminder = {
        "type": "object",
        "properties": {
            "text": {"type": "string", "description": "What to be reminded of."},
            "date": {"type": "string", "format": "date"},
            "time": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
        },
        "required": ["text", "date", "time"],
    }
    text = "Remind me to call mom on 2027-05-12 at 18:30."
    copied = distinct_values(copy_schema(reminder, text), text)
    props = copied["properties"]
    assert props["date"]["enum"] == ["2027-05-12"] and props["time"]["enum"] == ["18:30"]
    assert "call mom" in props["text"]["enum"]  # neither the date nor the time, nor a span around them
    assert not any("18" in v or "2027" in v for v in props["text"]["enum"])  # "18 30" is "18:30" too
    twice = "At 18:30 remind me: 18:30 is dinner, on 2027-05-12"  # written twice: the text may take it
    assert "18:30" in distinct_values(copy_schema(reminder, twice), twice)["properties"]["text"]["enum"]


def test_an_optional_name_the_text_does_not_write_is_left_out():
    alarm = {
        "type": "object",
        "properties": {"time": {"type": "string"}, "label": {"type": "string", "description": "A name for the alarm."}},
        "required": ["time"],
    }
    assert "label" not in copy_schema(alarm, "Set an alarm for 07:30.")["properties"]
    assert copy_schema(alarm, "Set an alarm for 07:30 called Gym.")["properties"]["label"]["enum"] == ["Gym"]


def test_words_after_called_or_named_are_a_name_in_any_case():
    from toolken.written import names_in

    assert names_in("Please set an alarm at 22:00 called bedtime.") == ["bedtime"]
    assert names_in("Make a playlist named chill vibes for me") == ["chill", "chill vibes"]  # no "for" at the end
    assert names_in("What is a baby kangaroo called?") == []


def test_lists_a_text_writes_are_found_with_their_items_whole():
    from toolken.enumerations import lists_in

    assert lists_in("Sort these words alphabetically: pear, apple, fig.") == [["pear", "apple", "fig"]]
    assert lists_in("Put banana, cherry and apricot in alphabetical order.") == [["banana", "cherry", "apricot"]]
    assert lists_in("I need olive oil, red onions and fresh basil.") == [["olive oil", "red onions", "fresh basil"]]
    assert lists_in("Find recipes using eggs and spinach that take 20 minutes.") == [["eggs", "spinach"]]
    assert lists_in("Add buy milk tagged shopping and errands.") == [["shopping", "errands"]]  # not "milk tagged"
    assert ["New York", "Los Angeles"] in lists_in("New York and Los Angeles, please")
    assert lists_in("Play Taylor Swift, Adele and Coldplay")[-1] == ["Taylor Swift", "Adele", "Coldplay"]
    assert lists_in("What is the weather in Paris?") == []
    assert lists_in("Tenet at 5 pm and No Time To Die at 7:30 pm.") == []  # two items, neither ends a phrase
    assert lists_in("The flight between Boston and Denver?") == [["Boston", "Denver"]]
    assert lists_in("The mean of 2.5 and 3.5") == [["2.5", "3.5"]]  # "2.5" is one word, not a sentence's end
    assert lists_in("Case numbers '67813', '71249' filed in court") == [["67813", "71249"]]  # quoted: whole


def test_a_list_of_words_is_copied_whole_and_a_list_of_numbers_needs_a_number():
    words = {
        "type": "object",
        "properties": {"words": {"type": "array", "items": {"type": "string"}}, "reverse": {"type": "boolean"}},
        "required": ["words"],
    }
    props = copy_schema(words, "Sort zebra, lion and antelope in reverse order.")["properties"]
    assert props["words"]["enum"] == [["zebra", "lion", "antelope"]]
    short = {**words, "properties": {**words["properties"], "words": {**words["properties"]["words"], "maxItems": 2}}}
    assert "enum" not in copy_schema(short, "Sort zebra, lion and antelope.")["properties"]["words"]  # too long
    numbers = {"type": "object", "properties": {"numbers": {"type": "array", "items": {"type": "number"}}}}
    numbers["required"] = ["numbers"]
    assert copyable(numbers, numbers_in("The mean of 4, 8 and 15?"))
    assert not copyable(numbers, numbers_in("What does the word mean mean?"), "What does the word mean mean?")


def test_a_list_of_names_keeps_the_names_and_a_date_parameter_needs_a_date():
    event = {
        "type": "object",
        "properties": {
            "date": {"type": "string", "format": "date"},
            "attendees": {"type": "array", "items": {"type": "string"}, "description": "The names of the people."},
        },
        "required": ["date", "attendees"],
    }
    text = "Make an event on 2027-03-10 and invite Fiona, George and Hannah."
    assert copy_schema(event, text)["properties"]["attendees"]["enum"] == [["Fiona", "George", "Hannah"]]
    assert copyable(event, numbers_in(text), text)
    no_day = "Write to Fiona, George and Hannah."
    assert not copyable(event, numbers_in(no_day), no_day)


def test_dates_written_in_words_are_copied_as_iso_dates():
    from toolken.dates import dates_in

    assert dates_in("Born on March 3, 1985, married 2010-06-12.") == ["1985-03-03", "2010-06-12"]
    assert dates_in("the 4th of July, 2026 and Sept. 9th 2001") == ["2026-07-04", "2001-09-09"]
    assert dates_in("February 30, 2020") == []  # no such day
    age = {"type": "object", "properties": {"born": {"type": "string", "format": "date"}}, "required": ["born"]}
    text = "How old is a person born on March 3, 1985?"
    assert copy_schema(age, text)["properties"]["born"]["enum"] == ["1985-03-03"]
    assert copyable(age, numbers_in(text), text)


def test_dates_said_from_today_are_read_as_the_days_they_name():
    from toolken.dates import dates_in

    saturday = datetime.date(2026, 12, 5)
    said = {
        "Remind me tomorrow to call mom.": ["2026-12-06"],
        "Book a table for next Friday at 7pm.": ["2026-12-11"],
        "Schedule it on Saturday.": ["2026-12-05"],  # a weekday said alone: the coming one, today's included
        "What did I spend on Monday?": ["2026-11-30"],  # asked of the past: the last one
        "last Saturday and the day after tomorrow": ["2026-11-28", "2026-12-07"],
        "What was the weather 3 days ago?": ["2026-12-02"],
        "How did the Lakers do last night? And this morning?": ["2026-12-04", "2026-12-05"],
        "Any plans for this weekend or next weekend?": ["2026-12-05", "2026-12-12"],  # their Saturdays
        "the museum for this weekend, Jun.20,2023": ["2023-06-20"],  # written without spaces, the day meant
        "Move it in two weeks.": ["2026-12-19"],
        "Lunch on Wednesday next week?": ["2026-12-09"],
        "on March 12th?": ["2027-03-12"],  # no year written: the coming one
        "What happened on March 12?": ["2026-03-12"],
        "Gym on Fridays, a poem about Monday mornings.": [],  # a weekday that recurs names no day
        "Friday, March 3, 2023": ["2023-03-03"],  # a weekday beside its date is that date's
        "tomorrow, June 1 2023": ["2023-06-01"],
        "from June 14 to 18 for a trip": ["2027-06-14", "2027-06-18"],  # a range of days in one month
        "Take me off from the 14th to the 18th of June.": ["2027-06-14", "2027-06-18"],
        "June 3 to 5 people": ["2027-06-03"],  # 5 people, no day
    }
    for text, days in said.items():
        assert dates_in(text, saturday) == days, text
    # the day the text says it is, not the machine's
    assert dates_in("Weather for today and yesterday? Today is May 5, 2023", saturday) == ["2023-05-05", "2023-05-04"]
    upcoming = "the upcoming Wednesday; today is Tuesday April 25th 2023"
    assert dates_in(upcoming, saturday) == ["2023-04-26", "2023-04-25"]
    assert dates_in("in London on the 12th of March. it's 2023 right now", saturday) == ["2023-03-12"]
    # a tool that needs a day may fire on one said from today
    event = {"type": "object", "properties": {"day": {"type": "string", "format": "date"}}, "required": ["day"]}
    text = "Am I free tomorrow?"
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    assert copyable(event, numbers_in(text), text)
    assert copy_schema(event, text)["properties"]["day"]["enum"] == [tomorrow]
    # a relative date's number is no count
    day = {"type": "string", "format": "date"}
    table = {"type": "object", "properties": {"day": day, "people": {"type": "integer"}}}
    assert copy_schema(table, "A table in 3 days for 2 people.")["properties"]["people"]["enum"] == [2]


def test_a_tool_that_keeps_or_looks_up_the_past_reads_a_day_without_its_year_as_the_last_one():
    from toolken.dates import dates_in, looks_back
    from toolken.tools import Tool

    saturday = datetime.date(2026, 12, 5)
    assert dates_in("on September 3 and Monday", saturday, past=True) == ["2026-09-03", "2026-11-30"]
    assert dates_in("on September 3 and Monday", saturday) == ["2027-09-03", "2026-12-07"]
    day = {"type": "string", "format": "date", "description": "Date of the harvest"}
    harvest = Tool("log_harvest", "Record a harvest in the garden journal.", schema_of(["day"], day=day))
    steps = Tool("step_count", "How many steps the user walked on a date.", schema_of(["date"], date=day))
    weather = Tool("weather_history", "The weather recorded in a city.", schema_of(["day"], day=day))
    born = {"type": "string", "format": "date", "description": "The day the person was born"}
    for tool in (harvest, steps, weather, Tool("age", "Age of a person.", schema_of(["day"], day=born))):
        assert looks_back(tool.description, tool.parameters), tool.name
    table = Tool("book_table", "Book a table at a restaurant.", schema_of(["day"], day=day))
    picked = {"type": "string", "description": "Where the rider was picked up"}  # not a date's: no say
    taxi = Tool("book_taxi", "Book a taxi.", schema_of(["day", "pickup"], day=day, pickup=picked))
    assert not looks_back(table.description, table.parameters) and not looks_back(taxi.description, taxi.parameters)
    text = "Log a harvest of 1200 g of potatoes on September 3."
    this_year = datetime.date.today().year
    coming = copy_schema(harvest.parameters, text)["properties"]["day"]["enum"][0]
    assert (
        copy_schema(harvest.parameters, text, past=True)["properties"]["day"]["enum"][0]
        <= datetime.date.today().isoformat()
    )
    assert coming >= datetime.date.today().isoformat() and int(coming[:4]) in (this_year, this_year + 1)


def test_a_date_with_its_time_is_copied_and_drawn_as_one_value():
    import random

    from toolken.dates import datetime_format, moments_in
    from toolken.drawing import draw_value

    start = {"type": "string", "format": "date-time"}
    title = {"type": "string"}
    event = {"type": "object", "properties": {"title": title, "start": start}, "required": ["title", "start"]}
    text = "Put team sync on March 3, 2027 at 10 am in my calendar."
    assert copy_schema(event, text)["properties"]["start"]["enum"] == ["2027-03-03T10:00:00"]
    assert not copyable(event, [], "Add lunch with Sam on March 3, 2027.")  # no time is made up
    saturday = datetime.date(2026, 12, 5)
    assert moments_in("Remind me at 5pm.", saturday) == ["2026-12-05T17:00:00"]  # a time alone: today's
    assert moments_in("on 12/03/2024 at 16:00") == []  # not today, though the day's layout is not read
    both = "from 9 am on May 3, 2027 to 5 pm on May 4, 2027"
    assert moments_in(both) == ["2027-05-03T09:00:00", "2027-05-04T17:00:00"]  # in turn
    assert moments_in("at 2024-03-05T14:30:00") == ["2024-03-05T14:30:00"]  # as laid out
    meeting = {"type": "string", "description": "Start, in the format 'YYYY-MM-DD HH:MM'."}
    assert datetime_format(meeting) == "%Y-%m-%d %H:%M" and datetime_format({"type": "string"}) is None
    spans = {"type": "object", "properties": {"begin": meeting, "end": meeting}, "required": ["begin", "end"]}
    props = copy_schema(spans, f"Book the room {both}.")["properties"]
    assert props["begin"]["enum"] == ["2027-05-03 09:00"] and props["end"]["enum"] == ["2027-05-04 17:00"]
    sync = copy_schema(event, "Schedule a team sync tomorrow at 10am.")["properties"]["title"]["enum"]
    assert "team sync" in sync and not any("tomorrow" in v or "10am" in v for v in sync)  # the day is start's
    for seed in range(20):  # drawn as one value, said as it is or in words
        value, said = draw_value("start", start, random.Random(seed))
        assert datetime.datetime.fromisoformat(value) and moments_in(said) == [value], (value, said)


def test_a_date_in_the_layout_its_description_names_is_copied_in_that_layout():
    from toolken.dates import date_format, dates_in

    # the year of a date written without one comes from a date near it; months in any case; dotted ISO
    assert dates_in("a car from April 22, 10 AM until April 27, 2023") == ["2023-04-22", "2023-04-27"]
    assert dates_in("on the 10th of march 2023, or 2023.10.12") == ["2023-03-10", "2023-10-12"]
    assert dates_in("you may 2 times, 2023") == []
    us = {"type": "string", "description": "Check-in date, in the format 'MM/DD/YYYY'."}
    assert date_format(us) == "%m/%d/%Y" and date_format({"type": "string", "format": "date"}) == "%Y-%m-%d"
    others = ("Format: 'YYYY-MM-DD HH:MM'", "between 'YYYY-MM-DD to YYYY-MM-DD'", "YYYY-MM-DD or DD/MM/YYYY", "A city")
    for other in others:
        assert date_format({"type": "string", "description": other}) is None  # a time, a range, two layouts
    hotel = {"type": "object", "properties": {"check_in": us, "city": {"type": "string"}}, "required": ["check_in"]}
    props = copy_schema(hotel, "A room in Paris from April 22 until April 27, 2023, please.")["properties"]
    assert props["check_in"]["enum"] == ["04/22/2023", "04/27/2023"]
    # a date written in numbers alone is read in the parameter's own layout; none is no call
    assert copy_schema(hotel, "A room in Paris from 12/01/2022.")["properties"]["check_in"]["enum"] == ["12/01/2022"]
    assert not copyable(hotel, [], "Who was the first woman in space?")
    assert copyable(hotel, [], "A room in Paris for tonight.")


def test_a_time_of_day_in_the_layout_its_description_names_is_copied_and_is_no_count():
    from toolken.dates import time_format
    from toolken.times import times_in

    assert times_in("at 19:00, around 8:30 pm, the 5pm show, or noon") == [
        "19:00:00",
        "20:30:00",
        "17:00:00",
        "12:00:00",
    ]
    assert times_in("at 7 apples, version 3.14:00, 25:00") == []
    said = "the half past 9 class, quarter to 10 pm, at 11 o'clock"  # as `with_digits` leaves the words
    assert times_in(said) == ["09:30:00", "21:45:00", "11:00:00"]
    assert time_format({"type": "string", "description": "Start time, in 24-hour format 'HH:MM'."}) == "%H:%M"
    assert time_format({"type": "string", "description": "When, as 'YYYY-MM-DD HH:MM'."}) is None  # a date too
    show = {
        "type": "object",
        "properties": {
            "tickets": {"type": "integer"},
            "day": {"type": "string", "description": "The day, in the format 'YYYY-MM-DD'."},
            "time": {"type": "string", "description": "The start time, in 24-hour format 'HH:MM'."},
        },
        "required": ["tickets"],
    }
    props = copy_schema(show, "2 tickets for the show on 2023-04-22 at 7:30 pm.")["properties"]
    assert props["time"]["enum"] == ["19:30"] and props["day"]["enum"] == ["2023-04-22"]
    assert props["tickets"]["enum"] == [2]  # not 2023, 4, 22, 7 or 30: those are the date's and the time's
    tonight = copy_schema(show, "2 tickets for tonight.")["properties"]  # a day said, no time: time left out
    assert set(tonight) == {"tickets", "day"} and tonight["day"]["enum"] == [datetime.date.today().isoformat()]
    alarm = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "description": "The time, as HH:MM."}
    alarm = {"type": "object", "properties": {"time": alarm}, "required": ["time"]}
    text = "Wake me at 6:30 am."  # the pattern's form only as laid out: "06:30"
    assert copy_schema(alarm, text)["properties"]["time"]["enum"] == ["06:30"] and copyable(alarm, [], text)
    assert not copyable(alarm, [], "Wake me up tomorrow.")


def test_a_call_of_two_dates_takes_them_in_turn_and_the_next_call_moves_on_to_the_next_pair():
    from toolken.next_call import list_goes_on, next_call_schema

    day = {"type": "string", "description": "A day, in the format 'YYYY-MM-DD'."}
    hotel = {
        "type": "object",
        "properties": {"hotel": {"type": "string"}, "check_in": day, "check_out": day},
        "required": ["hotel", "check_in", "check_out"],
    }
    text = (
        "Rooms at 'Queens Hotel' from March 10 to March 20, 2022 and at 'Royal Hotel' from April 5 to April 15, 2022."
    )
    props = copy_schema(hotel, text)["properties"]
    assert props["check_in"]["enum"] == ["2022-03-10", "2022-04-05"]
    assert props["check_out"]["enum"] == ["2022-03-20", "2022-04-15"]
    first = {"hotel": "Queens Hotel", "check_in": "2022-03-10", "check_out": "2022-03-20"}
    assert list_goes_on(copy_schema(hotel, text), first, [], text)
    branches = next_call_schema(copy_schema(hotel, text), first, text).get("anyOf", [])
    assert any(b["properties"]["check_in"]["enum"] == ["2022-04-05"] for b in branches)  # "April 5" is written after


def test_a_string_labelled_with_its_parameters_name_is_copied_whole():
    from toolken.free_strings import labelled_span

    todo = {"type": "object", "properties": {"task": {"type": "string"}}, "required": ["task"]}
    props = copy_schema(todo, "New task: water the plants, low priority.")["properties"]
    assert props["task"]["enum"] == ["water the plants"]
    assert labelled_span("subject", "Write to carol@mail.net, subject line: Party on Friday") == ["Party on Friday"]
    assert labelled_span("task", "Add a to-do: renew my passport") == []  # no label of its own


def test_a_unit_written_by_its_symbol_after_a_number_names_its_enum_value():
    from toolken.keyed import directed_enums

    units = ["celsius", "fahrenheit", "kelvin"]
    assert named_in(units, "It's 98.6 F outside") == ["fahrenheit"]
    assert named_in(units, "25 °C") == ["celsius"] and named_in(units, "Press F to start") == []
    assert named_in(["kilometers", "miles"], "Run 10km, then 3 mi") == ["kilometers", "miles"]
    props = {n: {"type": "string", "enum": units} for n in ("from_unit", "to_unit")}
    directed = directed_enums(props, "It's 98.6 F outside, what's that in Celsius?")
    assert directed["from_unit"]["enum"] == ["fahrenheit"] and directed["to_unit"]["enum"] == ["celsius"]


def test_a_unit_symbol_in_an_enum_is_named_by_the_units_name():
    from toolken.keyed import directed_enums

    symbols = ["m", "km", "mi", "ft"]
    assert named_in(symbols, "Convert 12 miles to km.") == ["km", "mi"]
    assert named_in(symbols, "I need to know how many metres are in 2 miles") == ["m", "mi"]
    assert named_in(symbols, "How many feet are in 3.5 kilometers?") == ["km", "ft"]  # "kilometers" is no "m"
    assert named_in(["C", "F", "K"], "What is 20 degrees Celsius?") == ["C"]
    assert named_in(symbols, "Walk to the park") == []
    props = {n: {"type": "string", "enum": symbols} for n in ("from_unit", "to_unit")}
    directed = directed_enums(props, "Turn 42 km into miles")
    assert directed["from_unit"]["enum"] == ["km"] and directed["to_unit"]["enum"] == ["mi"]


def test_a_tool_needs_a_value_written_for_each_of_its_required_numbers_and_names():
    body = {"properties": {"weight_kg": {"type": "number"}, "height_cm": {"type": "number"}},
            "required": ["weight_kg", "height_cm"]}  # fmt: skip
    drive = {"properties": {"from_city": {"type": "string", "description": "A city."},
                            "to_city": {"type": "string", "description": "A city."}},
             "required": ["from_city", "to_city"]}  # fmt: skip
    for parameters, text, fits in [
        (body, "Is a BMI of 25 considered overweight?", False),  # one number: never weight and height alike
        (body, "BMI for 95 kg and 190 cm", True),
        (body, "BMI for twenty kg at 150 cm", True),
        (drive, "What is the capital of Canada?", False),  # one name: no drive from Canada to Canada
        (drive, "How far is it from Berlin to Munich?", True),
    ]:
        assert copyable(parameters, numbers_in(text), text) is fits, text


def test_a_boolean_takes_the_value_said_by_a_word_of_its_name():
    assert said_boolean("symbols", "a password of 16 characters without symbols") is False
    assert said_boolean("include_symbols", "20 characters long, with symbols") is True
    assert said_boolean("tip", "Split the bill with no tip") is False
    assert said_boolean("symbols", "no special characters") is None  # says it in other words
    assert said_boolean("has_dog", "A pet sitter for 3 nights, I have a dog.") is True  # "has" says how, not what
    schema = {"properties": {"length": {"type": "integer"}, "symbols": {"type": "boolean"}}, "required": ["length"]}
    assert copy_schema(schema, "A password of 16 characters without symbols")["properties"]["symbols"]["enum"] == [
        False
    ]


def test_a_boolean_takes_its_opposite_word_and_the_measure_its_name_holds():
    assert said_boolean("indoor", "tomatoes growing outdoors in my garden") is False
    assert said_boolean("is_indoor", "an outdoor pool") is False  # the name's one word
    assert said_boolean("indoor", "a fern that lives indoors") is True
    assert said_boolean("open_24h", "Is there a 24-hour pharmacy in Denver?") is True
    assert said_boolean("open_24h", "pharmacies open 24 hours in Paris") is True
    assert said_boolean("open_24h", "Find a 12-hour pharmacy in Lyon") is None


def test_a_number_right_after_per_is_a_rate_unit_not_a_quantity():
    schema = {
        "properties": {
            "distance_km": {"type": "number", "description": "The length of the trip in kilometres."},
            "price_per_litre": {"type": "number"},
        },
        "required": ["distance_km", "price_per_litre"],
    }
    text = "My car uses 5.5 litres per 100 km. What's the fuel cost of 300 km at 1.65 per litre?"
    assert 100 not in copy_schema(schema, text)["properties"]["distance_km"]["enum"]
    only = "How long is 100 km at 50 km per hour?"  # no number after "per": 100 stays
    assert 100 in copy_schema(schema, only)["properties"]["distance_km"]["enum"]
    alone = "Fuel per 100 km?"  # the only number is still offered
    assert copy_schema(schema, alone)["properties"]["distance_km"]["enum"] == [100]


def test_a_described_example_is_copied_without_its_article():
    plant = {"type": "string", "description": "The kind of plant, such as basil or a fern."}
    schema = {"properties": {"plant": plant}, "required": ["plant"]}
    assert copy_schema(schema, "How often do I water a fern?")["properties"]["plant"]["enum"] == ["fern"]


def test_an_optional_string_takes_a_choice_its_description_lists():
    weather = {
        "properties": {
            "city": {"type": "string", "description": "The city."},
            "day": {"type": "string", "description": "today, tomorrow or a date."},
        },
        "required": ["city"],
    }
    assert copy_schema(weather, "Will it rain in Dublin tomorrow?")["properties"]["day"]["enum"] == ["tomorrow"]
    assert "day" not in copy_schema(weather, "Weather for Rome please")["properties"]  # none written: left out
    assert "day" not in copy_schema(weather, "What was the date in Rome?")["properties"]  # "a date" is a kind


def test_a_title_is_offered_whole_across_and_of_and_the():
    book = {"properties": {"title": {"type": "string", "description": "The title of the book."}}, "required": ["title"]}

    def titles(text: str, schema: dict = book) -> list:
        return copy_schema(schema, text)["properties"]["title"]["enum"]

    assert "Pride and Prejudice" in titles("Check if Pride and Prejudice is available to borrow.")
    assert "War and Peace" in titles("Is War and Peace in the library?")  # not "Is War and Peace"
    assert "The Lord of the Rings" in titles("Can I borrow The Lord of the Rings?")
    assert "World of Warcraft" in titles("Sales of 'World of Warcraft' in 2020")
    assert not any(t.endswith("'") for t in titles("Sales of 'World of Warcraft' in 2020"))
    event = {
        "properties": {
            "title": {"type": "string", "description": "The event's title."},
            "attendees": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["title", "attendees"],
    }
    assert "Ivan and Julia" not in titles("Put a Team lunch on the calendar with Ivan and Julia.", event)


def test_a_name_that_starts_the_question_is_a_name_unless_it_opens_a_request():
    def names(question: str) -> list[str]:
        return names_in(f"Q: {question}\nA:")

    assert names("Tesla share price please") == ["Tesla"]
    assert names("Berlin to Munich distance?") == ["Berlin", "Munich"]
    for words in ["Recommend a good book.", "Paris is nice?", "Good morning!", "Thanks!"]:
        assert names(words) == [], words  # an opener, or a word before an article or a verb
    assert names("Weather in Oslo?") == ["Oslo"]  # not "Weather": a word before a preposition
    assert names("What is the weather in Paris?") == ["Paris"]
    stock = {"type": "object", "properties": {"company": {"type": "string"}}, "required": ["company"]}
    assert copyable(stock, [], "Q: Tesla share price please\nA:")


def test_a_question_listing_whole_tuples_calls_once_per_tuple():
    from toolken.next_call import list_goes_on, next_call_schema

    props = {"size": {"type": "integer"}, "location": {"type": "string", "description": "A city."}}
    house = {"type": "object", "required": ["size", "location"], "properties": props}
    text = "Q: Predict the price of a house of 3000 sq ft in New York and 4000 sq ft in Los Angeles.\nA:"
    schema = copy_schema(house, text)
    first = {"size": 3000, "location": "New York"}
    assert list_goes_on(schema, first, [], text)  # "New York and 4000": a second (size, location)
    following = next_call_schema(schema, first, text)
    assert following["properties"]["size"]["enum"] == [4000]
    assert following["properties"]["location"]["enum"] == ["Los Angeles"]
    assert not list_goes_on(schema, {"size": 4000, "location": "Los Angeles"}, [first], text)  # nothing after


def test_the_words_that_led_to_a_value_the_call_took_are_no_next_tuple():
    from toolken.next_call import list_goes_on

    server = schema_of(
        ["host", "port", "database", "password"],
        host={"type": "string", "description": "The hostname or IP address of the server."},
        port={"type": "integer"}, database={"type": "string"}, password={"type": "string"},
    )  # fmt: skip
    text = "Add a server at '192.168.0.10', port 5432, connecting to the 'main' database, password 'pw123'."
    first = {"host": "192.168.0.10", "port": 5432, "database": "main", "password": "pw123"}
    # after "5432, " come the very words that led to "main": that database again, not a second server
    assert not list_goes_on(copy_schema(server, text), first, [], text)
    # "'main_db', password is ..., and ...": a parameter's name starts the next key, not a next database
    text = "Add a server: host is '192.168.0.12', database is 'main_db', password is 'pw123', and port is 5432."
    first = {"host": "192.168.0.12", "port": 5432, "database": "main_db", "password": "pw123"}
    assert not list_goes_on(copy_schema(server, text), first, [], text)


def test_names_move_on_together_only_where_the_question_writes_a_whole_tuple_again():
    from toolken.next_call import next_call_schema

    props = {
        "instrument": {"type": "string", "description": "A name."},
        "city": {"type": "string", "description": "A city."},
    }
    shop = {"type": "object", "required": ["instrument", "city"], "properties": props}
    text = "Q: Get the price of a Yamaha P125 piano in Berlin and Madrid's music stores.\nA:"
    following = next_call_schema(copy_schema(shop, text), {"instrument": "Yamaha P125", "city": "Berlin"}, text)
    # no second instrument is written: the call may keep its piano and move on to Madrid
    assert any(v["properties"]["instrument"]["enum"][0] == "Yamaha P125" for v in following["anyOf"])


def test_a_boolean_whose_name_the_text_writes_is_true_unless_negated():
    assert said_boolean("detailed", "Find me detailed information about the human cell") is True
    assert said_boolean("case_sensitive", "Is the search case sensitive?") is True
    assert said_boolean("case_sensitive", "in that case, search again") is None  # not every word of its name
    assert said_boolean("include_symbols", "don't include symbols") is False
    assert said_boolean("detailed", "a short, not detailed answer") is False


def test_a_copied_string_starts_with_no_request_word_and_runs_across_no_sentence():
    from toolken.written import spans_in

    spans = spans_in("Search for divorce law specialists in Los Angeles")
    assert "divorce law" in spans and not any(s.startswith(("Search", "for")) for s in spans)
    spans = spans_in("Find the lowest price. Also tell me how many stores carry it.")
    assert "lowest price" in spans and "many stores" in spans
    assert not any(w in s.split() for s in spans for w in ("Also", "tell", "Find"))  # request words
    assert not any("price" in s and "many" in s for s in spans)  # across the end of a sentence
    assert "St. Louis" in spans_in("Visit St. Louis tomorrow.")  # an abbreviation's dot ends no sentence


def test_a_free_string_is_no_longer_than_the_examples_its_description_quotes():
    from toolken.free_strings import like_examples

    schema = {"type": "string", "description": "Area of legal expertise. For example, 'Marriage', 'Criminal'."}
    spans, text = ["divorce", "divorce law", "divorce law specialists"], "Find divorce law specialists"
    assert like_examples(spans, schema, text) == ["divorce"]
    assert like_examples(spans, {"description": "e.g. 'family law', 'tax'"}, text) == ["divorce", "divorce law"]
    assert like_examples(spans, {"description": "The area of expertise"}, text) == spans  # no examples: any span
    assert like_examples(["divorce law"], schema, text) == ["divorce law"]  # none that short: the spans as they are
    # an example the text writes, as it writes it, also inside a longer name; or a value the description quotes
    platform = {"description": "The gaming platform e.g. PlayStation, Xbox, Nintendo Switch"}
    assert like_examples(["game", "PlayStation Store"], platform, "Its price in the Playstation Store?") == [
        "Playstation"
    ]
    league = {"description": "The specific basketball league. In this case, 'NBA'."}
    assert like_examples(["by", "NBA", "NBA game"], league, "The most points scored by a player in an NBA game") == [
        "NBA"
    ]


def test_an_id_parameter_copies_an_identifier_and_quotes_open_after_no_letter():
    from toolken.values import identifiers_in, takes_identifier
    from toolken.written import QUOTED_RE

    text = "Find the mutation type of SNP (Single Nucleotide Polymorphism) ID rs6034464, not 2,500 or 3.5."
    assert identifiers_in(text) == ["rs6034464"]
    assert takes_identifier("snp_id", {"type": "string"}) and takes_identifier("orderId", {})
    assert not takes_identifier("valid", {"type": "string"}) and not takes_identifier("id", {"type": "integer"})
    params = {"type": "object", "properties": {"snp_id": {"type": "string"}}, "required": ["snp_id"]}
    assert copy_schema(params, text)["properties"]["snp_id"]["enum"] == ["rs6034464"]
    quoted = [a or b for a, b in QUOTED_RE.findall("Van Gogh's painting 'Starry Night' at 'MoMA'")]
    assert quoted == ["Starry Night", "MoMA"]  # the apostrophe of "Gogh's" opens no quote


def test_a_pattern_string_is_copied_as_written_and_its_tool_waits_for_one():
    from toolken.values import patterned_in

    color = {"type": "string", "pattern": "^#?[0-9A-Fa-f]{6}$"}
    clock = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
    assert patterned_in(color, "What are the RGB values of #FF8800?") == ["#FF8800"]  # the "?" dropped
    assert patterned_in(clock, "If it's 14:30 in London (or 25:00), what time is it?") == ["14:30"]
    params = {"type": "object", "properties": {"color": color}, "required": ["color"]}
    assert copy_schema(params, "Convert the hex color 1E90FF to RGB.")["properties"]["color"]["enum"] == ["1E90FF"]
    assert copyable(params, [], "Convert the hex color 1E90FF to RGB.")
    assert not copyable(params, [], "What does RGB stand for?")  # no code to copy: not this tool's question
    assert copy_schema(params, "What does RGB stand for?")["properties"]["color"] == color  # nothing to narrow to
    loose = {"type": "object", "properties": {"note": {"type": "string", "pattern": "^.+$"}}, "required": ["note"]}
    text = "one two three four five six seven eight nine ten"
    assert copyable(loose, [], text) and copy_schema(loose, text)["properties"]["note"]["pattern"] == "^.+$"


def test_a_number_enum_takes_the_number_the_question_writes_if_it_is_asked():
    dice = {
        "type": "object",
        "properties": {
            "count": {"type": "integer", "minimum": 1, "maximum": 10},
            "sides": {"type": "integer", "enum": [4, 6, 8, 10, 12, 20]},
        },
        "required": ["count"],
    }
    props = copy_schema(dice, "Roll 3 dice with 20 sides.")["properties"]
    assert props["sides"]["enum"] == [20] and props["count"]["enum"] == [3]
    assert "sides" not in copy_schema(dice, "Can you roll 4 dice for me?")["properties"]  # 4 is the count's
    required = {**dice, "required": ["count", "sides"]}
    assert copy_schema(required, "Roll 2 dice, 12 sides each.")["properties"]["sides"]["enum"] == [12]


def test_an_object_parameter_copies_its_fields_and_needs_its_required_ones():
    from toolken.written import names_in

    person = {"type": "string", "description": "Full name of the person"}
    contact = {"type": "object", "properties": {"name": person, "phone": {"type": "string"}}, "required": ["name"]}
    params = {"type": "object", "properties": {"contact": contact}, "required": ["contact"]}
    text = "Add Maria Lopez with phone 555-0134 to my contacts."
    assert names_in(text) == ["Maria Lopez"]  # the name after the request's verb
    assert names_in("Call John Smith now") == ["John Smith"] and names_in("Hi Bob, how are you?") == []
    fields = copy_schema(params, text)["properties"]["contact"]["properties"]
    assert fields["name"]["enum"] == ["Maria Lopez"] and "555-0134" in fields["phone"]["enum"]
    assert copyable(params, numbers_in(text), text)
    assert not copyable(params, [], "Who is the best football player?")  # no name for the contact


def test_number_words_with_tens_and_units_are_numbers():
    assert numbers_in("Set a timer for forty-five minutes for a dozen eggs") == [45, 12]
    assert numbers_in("a well-known hotel") == []  # a hyphenated word that is no number
    assert numbers_in("a well-known five-star hotel") == [5]  # a count before a hyphen and a word is one


def test_an_optional_list_of_numbers_the_text_writes_none_of_is_left_out():
    params = {
        "type": "object",
        "properties": {
            "function": {"type": "string", "description": "A mathematical function"},
            "range": {"type": "array", "items": {"type": "number"}},
        },
        "required": ["function"],
    }
    assert "range" not in copy_schema(params, "Find the critical points of f(x) = x^2 + 3x")["properties"]
    assert copy_schema(params, "Critical points of x^2 between 1 and 4")["properties"]["range"]["items"]["enum"] == [
        1,
        4,
    ]


def test_a_destination_names_a_place_and_a_path_names_none():
    from toolken.values import names_a_thing

    assert names_a_thing("destination", {"type": "string", "description": "Where the trip goes."})
    assert not names_a_thing("destination", {"type": "string", "description": "The folder to move the file to."})
    assert names_a_thing("location", {"type": "string", "description": "The city and court where it is filed."})


def test_a_free_string_takes_an_example_its_description_lists_and_leaves_a_quote_to_a_name():
    params = {
        "type": "object",
        "properties": {
            "game": {"type": "string", "description": "The name of the game."},
            "platform": {"type": "string", "description": "The gaming platform, e.g. Xbox, Playstation, PC."},
        },
        "required": ["game", "platform"],
    }
    props = copy_schema(params, "Find the latest patch for the game 'Cyberpunk 2077' on Xbox platform.")["properties"]
    assert props["platform"]["enum"] == ["Xbox"] and "Cyberpunk 2077" in props["game"]["enum"]


def test_a_one_word_switch_is_false_where_the_question_writes_its_opposite():
    lights = {
        "type": "object",
        "properties": {"room": {"type": "string", "enum": ["kitchen", "bedroom"]}, "on": {"type": "boolean"}},
        "required": ["room"],
    }
    assert copy_schema(lights, "Turn the kitchen light off.")["properties"]["on"]["enum"] == [False]
    assert copy_schema(lights, "Turn on the lights in the kitchen.")["properties"]["on"]["enum"] == [True]
    assert "on" not in copy_schema(lights, "Kitchen lights, please.")["properties"]  # unsaid: its default


def test_a_code_the_description_shows_by_example_is_copied_as_a_code():
    params = {
        "type": "object",
        "properties": {"state": {"type": "string", "description": "The state's two-letter code, such as TX."}},
        "required": ["state"],
    }
    assert copy_schema(params, "Any storm warnings for FL right now?")["properties"]["state"]["enum"] == ["FL"]
    city = {"type": "string", "description": "The city and state, e.g. San Francisco, CA"}  # not all codes
    place = copy_schema({**params, "properties": {"place": city}}, "Weather in Boston, MA?")["properties"]["place"]
    assert "Boston, MA" in place["enum"]


def test_a_copied_list_is_no_longer_than_the_values_it_is_offered():
    from toolken.grammar import bounded

    schema = {"type": "object", "properties": {"multiples": {"type": "array", "items": {"type": "integer"}}}}
    text = "The sum of all the multiples of 3 and 5 between 1 and 1000."
    copied = copy_schema({**schema, "required": ["multiples"]}, text)
    assert bounded(copied, 16)["properties"]["multiples"]["maxItems"] == 4  # 3, 5, 1 and 1000 offered
    keyed = {"multiples": {"type": "array", "items": {"type": "integer", "enum": [3, 5]}}}
    assert bounded({"properties": keyed}, 16)["properties"]["multiples"]["maxItems"] == 2
    assert bounded(schema, 16)["properties"]["multiples"]["maxItems"] == 16  # nothing copied: the cap


def test_a_described_value_clock_hours_and_a_functions_variable():
    hours = {"type": "integer", "description": "Latest closing time. This is in 24 hour format."}
    props = copy_schema({"properties": {"hours": hours}}, "Open until 11 PM, or 12 AM, for 2 guests.")["properties"]
    assert props["hours"]["enum"] == [23, 0]  # "2 guests" are no hours
    kind = {"type": "string", "description": "Can be 'list' for a list or 'dictionary' for counts. Default is 'list'."}
    schema = {"properties": {"n": {"type": "integer"}, "return_type": kind}, "required": ["n"]}
    assert copy_schema(schema, "Factorize 60. Return them as a dictionary")["properties"]["return_type"]["enum"] == [
        "dictionary"
    ]
    assert "return_type" not in copy_schema(schema, "Factorize 60.")["properties"]  # none written: left out
    variable = {"type": "string", "description": "The variable in the function, for instance x or y."}
    schema = {"properties": {"function": {"type": "string"}, "function_variable": variable}}
    props = copy_schema(schema, "The derivative of 2x^2 at x = 1.")["properties"]
    assert props["function"]["enum"] == ["2x**2"] and props["function_variable"]["enum"] == ["x"]


def test_a_street_address_is_copied_whole():
    loc = {"type": "string", "description": "Where to start, as 'Street Address, City, State, Country'."}
    schema = {"properties": {"loc": loc, "time": {"type": "integer"}}, "required": ["loc", "time"]}
    text = "A ride from 221B Baker Street, Berkeley, CA, USA, and I can wait up to 600 seconds for it."
    assert copy_schema(schema, text)["properties"]["loc"]["enum"] == ["221B Baker Street, Berkeley, CA, USA"]
    from toolken.literals import takes_address

    assert not takes_address("to", {"type": "string", "description": "The recipient's email address."})
    assert takes_address("street", {"type": "string"}) and not takes_address("city", {"type": "string"})
    wallet = {"type": "string", "pattern": "^0x[0-9a-fA-F]{6,40}$", "description": "The wallet address."}
    assert not takes_address("address", wallet)  # a pattern lays out a code, no street
    question = "What's the balance of 0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE?"
    assert copyable({"type": "object", "properties": {"address": wallet}, "required": ["address"]}, [], question)
    # its numbers are no other parameter's: the wait is 10 minutes, not 2150
    text = "A 'Plus' ride from '2150 Shattuck Ave, Berkeley, CA' and I can wait 10 minutes."
    props = copy_schema(schema, text)["properties"]
    assert props["loc"]["enum"] == ["2150 Shattuck Ave, Berkeley, CA"] and props["time"]["enum"] == [10]


def test_a_value_the_call_took_is_no_next_item_whatever_its_closing_dot():
    """ "between New York City and Washington D.C.": both places went to the one call; the sentence's
    last dot is no other place ("Washington D.C" for a second origin)."""
    from toolken.next_call import list_goes_on

    text = "Find the shortest driving distance between New York City and Washington D.C."
    route = {"type": "object", "properties": {"origin": {"type": "string"}, "destination": {"type": "string"}},
             "required": ["origin", "destination"]}  # fmt: skip
    schema = copy_schema(route, text)
    assert "Washington D.C" in schema["properties"]["origin"]["enum"]  # the reading this guards against
    first = {"origin": "New York City", "destination": "Washington D.C."}
    assert not list_goes_on(schema, first, [], text)


def test_a_list_of_numbers_copies_a_list_the_text_writes_whole():
    """Two lists written one after the other give each parameter a whole list, not any of the six
    numbers; a bracketed list is read item by item even where its commas look like thousands."""
    from toolken.enumerations import number_lists_in

    data = {"type": "array", "items": {"type": "integer"}}
    params = {"type": "object", "properties": {"dataset_A": data, "dataset_B": data}, "required": ["dataset_A"]}
    text = "Compare dataset_A with the values 12, 24, 36 and dataset_B with the values 15, 30, 45."
    copied = copy_schema(params, text)["properties"]
    assert copied["dataset_A"]["enum"] == copied["dataset_B"]["enum"] == [[12, 24, 36], [15, 30, 45]]
    assert number_lists_in("given cash_flows=[200,300,400,500] at 10%") == [[200, 300, 400, 500]]
    assert number_lists_in("flows [-50000, 10000, 15000] at 8% and 5%, 6% and 7%") == [[-50000, 10000, 15000]]
    assert number_lists_in("the multiples of 3 and 5 between 1 and 1000") == []  # pairs: maybe two values


def test_a_file_path_is_copied_whole_and_a_snake_case_name_as_one_word():
    path = {"type": "string", "description": "Path to the CSV dataset file."}
    name = {"type": "string", "description": "The dataset to train on."}
    params = {"type": "object", "properties": {"dataset_path": path, "dataset": name}, "required": ["dataset_path"]}
    text = "Train on dataset your_dataset_name, with the data in path C:/data/cars.csv."
    copied = copy_schema(params, text)["properties"]
    assert copied["dataset_path"]["enum"] == ["C:/data/cars.csv"]  # not "/data/cars" after the drive's colon
    assert "your_dataset_name" in copied["dataset"]["enum"] and "your" not in copied["dataset"]["enum"]
    assert not copyable(params, [], "Train on the dataset, please.")  # no path written: no call


def test_a_word_that_only_stands_for_a_value_is_none():
    from toolken.written import spans_in

    spans = spans_in("Compare it to the weight of sucrose in the same unit, that being grams.")
    assert "same" not in spans and "that" not in spans and "being" not in spans
    assert "sucrose" in spans and "grams" in spans and "same unit" in spans
    assert "a" in spans_in("Count the letter a in banana.")  # a single letter may be a value


def test_an_optional_list_takes_no_list_a_required_one_takes():
    flows = {"type": "array", "items": {"type": "integer"}}
    years = {"type": "array", "items": {"type": "integer"}, "description": "The years of the cash flows."}
    props = {"cash_flows": flows, "discount_rate": {"type": "number"}, "years": years}
    params = {"type": "object", "properties": props, "required": ["cash_flows", "discount_rate"]}
    copied = copy_schema(params, "The NPV of cash flows: [-50000, 10000, 15000, 20000] discounted at 8%?")
    assert copied["properties"]["cash_flows"]["enum"] == [[-50000, 10000, 15000, 20000]]
    assert "years" not in copied["properties"]  # left to its default, not the cash flows again


def test_a_list_goes_on_after_a_word_both_items_carry():
    from toolken.next_call import list_goes_on

    recipe = {"type": "object", "properties": {"dish": {"type": "string"}, "diet": {"type": "string"}}}
    text = "Search for a Chicken Noodle Soup recipe and a Vegan Salad recipe."
    assert list_goes_on(copy_schema(recipe, text), {"dish": "Chicken Noodle Soup"}, [], text)
    save = {"type": "object", "properties": {"stage": {"type": "integer"}, "mode": {"type": "string"}}}
    text = "How to save game progress at stage 7 in easy mode and stage 3 in hard mode?"
    assert list_goes_on(copy_schema(save, text), {"stage": 7, "mode": "easy"}, [], text)
    one = "Save at stage 7 in easy mode and quit."  # "quit" carries no "mode": no second item
    assert not list_goes_on(copy_schema(save, one), {"stage": 7, "mode": "easy"}, [], one)


def test_a_next_tuple_may_follow_the_words_that_led_to_the_first():
    from toolken.next_call import list_goes_on, next_call_schema

    props = {"snp_id": {"type": "string", "description": "The ID of the SNP."}, "species": {"type": "string"}}
    params = {"type": "object", "properties": props, "required": ["snp_id"]}
    text = "The mutation with the SNP ID 'rs123456' in the species 'Homo sapiens' and the SNP ID 'rs7891011'?"
    schema = copy_schema(params, text)
    first = {"snp_id": "rs123456", "species": "Homo sapiens"}
    assert list_goes_on(schema, first, [], text)  # "and the SNP ID 'rs7891011'": a second call
    assert next_call_schema(schema, first, text)["properties"]["snp_id"]["enum"] == ["rs7891011"]
    assert not list_goes_on(schema, {"snp_id": "rs7891011", "species": "Homo sapiens"}, [first], text)


def test_a_list_goes_on_after_the_last_words_that_led_to_its_value():
    from toolken.next_call import list_goes_on

    props = {"area": {"type": "integer"}, "property": {"type": "string", "enum": ["length", "width"]}}
    params = {"type": "object", "properties": props, "required": ["area", "property"]}
    text = "What are the length and the width of a rectangle of area 15?"
    assert list_goes_on(copy_schema(params, text), {"area": 15, "property": "length"}, [], text)
    n = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    text = "Find the factorial of 5 and the square root of 7."  # "of" again is another request
    assert not list_goes_on(copy_schema(n, text), {"n": 5}, [], text)


def schema_of(required: list[str], **props: dict) -> dict:
    """An object schema of `props`, `required` required."""
    return {"type": "object", "properties": props, "required": required}


SHOWTIMES = schema_of(["title", "city"], title={"type": "string"}, city={"type": "string", "description": "The city."})


CURRENCY = schema_of(
    ["amount", "from_currency", "to_currency"],
    amount={"type": "number"},
    from_currency={"type": "string", "description": "The currency code to convert from, such as EUR."},
    to_currency={"type": "string", "description": "The currency to convert to."},
)


def test_a_currency_is_copied_as_the_code_of_the_currency_the_question_names():
    from toolken.currencies import currencies_in
    from toolken.distinct import distinct_values
    from toolken.keyed import keyed_schema

    assert currencies_in("How much is 50 euros in US dollars?") == ["EUR", "USD"]
    assert currencies_in("Convert 150 Euros to Canadian dollars.") == ["EUR", "CAD"]  # not USD from "dollars"
    assert currencies_in("A $80 jacket, or C$80?") == ["USD", "CAD"]
    assert currencies_in("Try it at 5 o'clock") == []  # "TRY" only as written in capitals

    def directed(text: str) -> dict:
        schema = keyed_schema(copy_schema(CURRENCY, text), text, True, ["from_currency", "to_currency"])
        props = distinct_values(schema, text)["properties"]
        return {n: props[n]["enum"] for n in ("from_currency", "to_currency")}

    assert directed("How much is 50 euros in US dollars?") == {"from_currency": ["EUR"], "to_currency": ["USD"]}
    assert directed("What's 75 GBP in EUR?") == {"from_currency": ["GBP"], "to_currency": ["EUR"]}
    # the example "EUR" is one code among those written, not the only one offered
    assert directed("Convert 200 USD to JPY.") == {"from_currency": ["USD"], "to_currency": ["JPY"]}
    assert not copyable(CURRENCY, [100], "What is 100 times 3?")  # no currency named: no conversion
    assert named_in(["USD", "EUR"], "Pay in euros") == ["EUR"]  # an enum of codes, named by name


def test_an_optional_value_the_question_says_is_written_and_a_weekday_is_no_place():
    places = schema_of(
        ["city"],
        city={"type": "string", "description": "The city."},
        unit={"type": "string", "enum": ["celsius", "fahrenheit"]},
        open_now={"type": "boolean", "default": False},
    )
    schema = copy_schema(places, "Any thai places open now in Seattle, in fahrenheit?")
    assert schema["required"] == ["city", "unit", "open_now"] and schema["properties"]["open_now"]["enum"] == [True]
    assert copy_schema(places, "Places in Seattle?")["required"] == ["city"]  # left to their defaults
    assert not copyable(places, [], "Who delivers the mail on Sundays?")  # "Sundays" names no city


def test_a_lone_place_parameter_keeps_the_well_known_places_and_a_shown_text_is_copied_whole():
    props = copy_schema(SHOWTIMES, "Find times for the movie Oppenheimer in Dublin.")["properties"]
    assert props["city"]["enum"] == ["Dublin"] and "Oppenheimer" in props["title"]["enum"]
    unknown = copy_schema(SHOWTIMES, "Showtimes for Barbie in Smallville?")["properties"]
    assert unknown["city"]["enum"] == ["Barbie", "Smallville"]  # no well-known place: every name stays
    # a location, not a city, may be a named place in a well-known one
    returns = schema_of(
        ["booking_id", "location"],
        booking_id={"type": "string", "description": "The booking reference, e.g. CR-55821."},
        location={"type": "string", "description": "Where the car is returned."},
    )
    at = copy_schema(returns, "I'm returning CR-10293 at Lisbon Airport.")["properties"]["location"]["enum"]
    assert at == ["Lisbon Airport", "Lisbon"]
    encode = schema_of(["text"], text={"type": "string"})
    assert copy_schema(encode, "Base64 encode this: open sesame")["properties"]["text"]["enum"] == ["open sesame"]
    checked = copy_schema(encode, "Spell-check the sentence: We acheived our goal.")["properties"]["text"]
    assert checked["enum"] == ["We acheived our goal."]  # a sentence keeps its full stop
    issue = schema_of(["title"], title={"type": "string", "description": "The issue's title."})
    filed = copy_schema(issue, "File a bug: Crash on empty upload.")["properties"]["title"]["enum"]
    assert filed == ["Crash on empty upload"]  # ... a title none


def test_digits_a_description_asks_for_in_words_are_drawn_and_copied_as_digits():
    card = schema_of(["last_four"], last_four={"type": "string", "description": "The last four digits of the card."})
    assert copy_schema(card, "I lost my card ending in 4821, freeze it.")["properties"]["last_four"]["enum"] == ["4821"]
    assert not copyable(card, [], "Should I pay off my credit card or save?")  # no four digits to freeze
    assert not copyable(card, [48211], "Freeze card 48211.")  # five are not its four
    rng = random.Random(0)
    drawn = [draw_value("last_four", card["properties"]["last_four"], rng)[0] for _ in range(9)]
    assert all(re.fullmatch(r"\d{4}", value) for value in drawn)
    code = schema_of(["code"], code={"type": "string", "description": "The 6-digit code from the app."})
    assert copy_schema(code, "My code is 493021.")["properties"]["code"]["enum"] == ["493021"]
    mixed = {"type": "string", "description": "6-character reference of capital letters and digits, e.g. K7P2QX."}
    booking = schema_of(["booking_code"], booking_code=mixed)
    assert copyable(booking, [], "My booking reference is H4TR9M.")  # letters too: not digits only


def test_a_note_labelled_or_made_that_says_something_is_that_thing():
    from toolken.free_strings import requested_task

    note = {"type": "string", "description": "The note's text."}
    assert requested_task("text", note, "Note: buy stamps before Friday.", False) == ["buy stamps before Friday"]
    made = requested_task("text", note, "Make a note that Sara's birthday is June 4, tag family.", False)
    assert made == ["Sara's birthday is June 4"]  # its tag after the comma is no part of it
    saying = requested_task("text", note, "Take a note saying the wifi password is on the fridge.", False)
    assert saying == ["the wifi password is on the fridge"]  # what it says keeps its article
    assert requested_task("text", note, "Make dinner reservations.", False) == []  # no note made


def test_a_title_that_starts_with_its_article_is_copied_whole():
    show = schema_of(["title"], title={"type": "string", "description": "The movie or show title."})
    for text in ("Play The Office.", "Put on The Office.", "Is The Office worth watching?"):
        assert "The Office" in copy_schema(show, text)["properties"]["title"]["enum"]
    assert "Lord of The Rings" in copy_schema(show, "Play Lord of The Rings")["properties"]["title"]["enum"]


def test_a_code_parameter_takes_a_code_written_or_its_tool_cannot_fire():
    quote = schema_of(["ticker"], ticker={"type": "string", "description": "Stock ticker symbol, e.g. AAPL."})
    assert copyable(quote, [], "Price of MSFT?") and copyable(quote, [], "Does JNJ pay a good dividend?")
    assert not copyable(quote, [], "Should I invest in bonds or stocks?")
    bare = schema_of(["ticker"], ticker={"type": "string", "description": "Stock ticker symbol."})
    assert copyable(bare, [], "Yield of KO?") and not copyable(bare, [], "Should I invest in bonds or stocks?")
    assert copyable(bare, [], "Invest in stock 'X'.")  # a ticker of one letter, quoted
    # a place "such as TX" may be written as a name; a currency "e.g. USD" as "$80" or "euros"
    state = schema_of(["state"], state={"type": "string", "description": "The US state, such as TX."})
    assert copyable(state, [], "Weather alerts in California?")
    money = schema_of(["to_currency"], to_currency={"type": "string", "description": "Currency code, e.g. USD."})
    assert copyable(money, [80], "What is $80 in euros?")


def test_a_shown_text_keeps_the_end_mark_of_a_sentence_or_a_question_and_a_fragment_drops_it():
    encode = schema_of(["text"], text={"type": "string"})

    def shown(question: str) -> list:
        return copy_schema(encode, question)["properties"]["text"]["enum"]

    assert shown("Send a message to #random saying: who has the projector?") == ["who has the projector?"]
    assert shown("What language is this: Dank je wel?") == ["Dank je wel"]  # the request's own question mark
    assert shown("Post this: Great news!") == ["Great news!"]
    assert shown("Save a note titled Groceries: eggs, bread and butter.") == ["eggs, bread and butter"]
    assert shown("Send an email to anna@work.org about the report, telling her it is ready.") == ["it is ready"]
    assert shown("Remind me of this: stretch.") == ["stretch"]  # a fragment, not a sentence
    assert shown("Check this: the cat sat. It was late.") == ["the cat sat"]  # the mark ends no question here
    assert shown("Message 555-867-5309: call me back") == ["call me back"]  # a colon after a number
    assert shown("Email bob@example.com with the subject Lunch and say see you at noon.") == ["see you at noon"]
    assert "Current date/time: 04 Mar 2024" not in shown("SYSTEM INFORMATION: Current date/time: 04 Mar 2024")


def test_an_ip_address_ending_a_sentence_is_still_an_ip_address():
    assert literals_in("ip", "Look up the location of IP address 203.0.113.45.") == ["203.0.113.45"]
    assert literals_in("ip", "Ping 10.0.0.1: is it up?") == ["10.0.0.1"]
    assert literals_in("ip", "Open 10.0.0.1.com please") == []  # a host name that starts with numbers


def test_a_country_ending_like_a_people_is_still_a_name_and_a_lone_candidate_is_taken_first():
    from toolken.distinct import distinct_values

    assert names_for("country", {"type": "string"}, "When is the next holiday in Germany?") == ["Germany"]
    text = "Find times for the movie Oppenheimer in Dublin."
    copied = distinct_values(copy_schema(SHOWTIMES, text), text)
    assert all("Dublin" not in v["properties"]["title"]["enum"] for v in copied.get("anyOf", [copied]))


def test_a_message_is_the_text_a_request_tells_and_a_phone_number_is_copied_whole():
    sms = schema_of(
        ["phone_number", "message"],
        phone_number={"type": "string", "pattern": "^\\+?[0-9][0-9 -]{6,14}[0-9]$"},
        message={"type": "string", "description": "The text of the message."},
    )
    props = copy_schema(sms, "Text +1 415 555 0132 that I'm running late.")["properties"]
    assert props["phone_number"]["enum"] == ["+1 415 555 0132"]  # whole, not "415 555 0132"
    assert props["message"]["enum"] == ["I'm running late"]
    assert copy_schema(sms, "Send an SMS to 0612345678 saying: dinner is ready")["properties"]["message"]["enum"] == [
        "dinner is ready"
    ]
    assert copy_schema(sms, "Translate that into French")["properties"]["message"]["enum"] != ["into French"]


def test_the_one_optional_number_takes_a_number_no_required_parameter_takes():
    flight = schema_of(
        ["origin", "destination"],
        origin={"type": "string", "description": "The city to fly from."},
        destination={"type": "string", "description": "The city to fly to."},
        passengers={"type": "integer", "minimum": 1, "default": 1},
    )
    schema = copy_schema(flight, "I need 2 seats to Tokyo from London.")
    assert "passengers" in schema["required"] and schema["properties"]["passengers"]["enum"] == [2]
    assert copy_schema(flight, "A flight to Tokyo from London.")["required"] == ["origin", "destination"]


HOSTS = schema_of(["domain"], domain={"type": "string", "description": "The full domain name, such as example.com."})
IPS = schema_of(["ip"], ip={"type": "string", "format": "ipv4", "description": "The IPv4 address."})


def test_host_names_and_ip_addresses_are_copied_whole_and_required():
    host = copy_schema(HOSTS, "Is coolbakery.com still available?")["properties"]["domain"]
    assert host["enum"] == ["coolbakery.com"]
    assert copy_schema(IPS, "Which country is 151.101.1.69 in?")["properties"]["ip"]["enum"] == ["151.101.1.69"]
    described = schema_of(["address"], address={"type": "string", "description": "An IP address (v4 or v6)."})
    assert copy_schema(described, "Where is 2001:db8::1?")["properties"]["address"]["enum"] == ["2001:db8::1"]
    # a link's host, an e-mail's domain, a time and a version number are none of these
    said = "See https://shop.example.org/a, mail anna@example.com at 12:30:45 about version 1.2.3.4.5"
    assert not copyable(HOSTS, numbers_in(said), said) and not copyable(IPS, numbers_in(said), said)
    assert copyable(IPS, numbers_in("Where is the IP 8.8.8.8 located?"), "Where is the IP 8.8.8.8 located?")


PING = schema_of(
    ["host"],
    host={"type": "string", "description": "Hostname or IP address to ping, e.g. example.com."},
    count={"type": "integer", "description": "Number of packets to send."},
)


def test_a_host_is_written_as_a_name_or_an_ip_address_and_its_digits_are_no_count():
    from toolken.literals import literal_kind

    assert literal_kind("host", PING["properties"]["host"]) == "host"
    assert literal_kind("target", {"type": "string", "description": "Host name or IP address."}) == "host"
    assert literal_kind("field", {"type": "string", "description": "The domain of study."}) is None
    assert literal_kind("hostname", {"type": "string", "description": "The hostname or IP of the box."}) == "host"
    assert literal_kind("ip", {"type": "string", "description": "IP address or host name."}) == "host"
    for text, host in [("Ping 8.8.8.8 please.", "8.8.8.8"), ("Can you ping github.com?", "github.com")]:
        props = copy_schema(PING, text)["properties"]
        assert props["host"]["enum"] == [host] and "count" not in props  # no count from the address's digits
    assert copy_schema(PING, "Ping 10.0.0.5 3 times")["properties"]["count"]["enum"] == [3]
    # a host written as a link to it is one; a link to a page on it is not ("https://api.example.com/recs")
    assert copy_schema(PING, "Ping 'http://plgah.ca' now")["properties"]["host"]["enum"] == ["http://plgah.ca"]
    assert not copyable(PING, [], "Ping https://api.example.com/recommendations now")
    assert not copyable(PING, [], "Ping the router please.")


def test_a_zip_code_is_copied_whole_required_and_no_number():
    zip_code = {"type": "string", "description": "The ZIP code."}
    stores = schema_of(["zip_code"], zip_code=zip_code, radius={"type": "integer"})
    props = copy_schema(stores, "Stores within 10 miles of 02139?")["properties"]
    assert props["zip_code"]["enum"] == ["02139"] and props["radius"]["enum"] == [10]
    assert copy_schema(stores, "What city is 94103-1234 in?")["properties"]["zip_code"]["enum"] == ["94103-1234"]
    from toolken.literals import literal_kind

    assert literal_kind("postal_code", {"type": "string", "description": "The 5-digit ZIP code."}) == "zip"
    assert literal_kind("location", {"type": "string", "description": "A city name or ZIP code."}) is None
    assert literal_kind("zip_path", {"type": "string", "description": "The archive."}) == "path"
    assert literal_kind("postcode", {"type": "string", "description": "Where to look."}) == "zip"
    assert literal_kind("code", {"type": "string", "description": "The postal code."}) == "zip"
    dropoff = schema_of(["postcode"], postcode={"type": "string"}, radius_km={"type": "number", "default": 5})
    assert copy_schema(dropoff, "Drop-off points within 10 km of SW1A 1AA")["properties"]["postcode"]["enum"] == [
        "SW1A 1AA"
    ]
    assert "radius_km" not in copy_schema(dropoff, "Drop-off points near 10115?")["properties"]  # no number but its
    assert not copyable(dropoff, [], "Is it better to rent or buy a house?")  # no postcode, no call
    assert not copyable(stores, [12345.5], "What is 12345.5 plus 3?")
    assert not copyable(stores, [], "Any stores near me?")


REFUND = schema_of(
    ["amount"],
    amount={"oneOf": [{"type": "number"}, {"type": "string", "const": "all"}], "description": "How much, or all."},
    due_in_days={"type": ["integer", "null"], "description": "Days until it is due."},
    lines={"type": "array", "items": {"type": "object", "properties": {"amount": {"type": "number"}}}},
)


def test_values_of_several_ways_lists_of_objects_and_nullable_types_are_copied_too():
    props = copy_schema(REFUND, "Refund 20 dollars of it, due in 7 days.")["properties"]
    # "20 dollars" is no count of days (`units.other_measures`); an amount may be of anything
    assert props["amount"]["anyOf"][0]["enum"] == [20, 7] and props["amount"]["anyOf"][1]["const"] == "all"
    assert props["due_in_days"] == {"type": "integer", "description": "Days until it is due.", "enum": [7]}
    assert props["lines"]["items"]["properties"]["amount"]["enum"] == [20, 7]
    assert "due_in_days" not in copy_schema(REFUND, "Refund all of it.")["properties"]  # never made up


def test_a_count_of_times_said_in_words_is_a_value():
    ping = copy_schema(PING, "Ping 8.8.8.8 ten times.")["properties"]
    assert ping["host"]["enum"] == ["8.8.8.8"] and ping["count"]["enum"] == [10]
    sleep = schema_of(["hours"], hours={"type": "number"}, awakenings={"type": "integer", "description": "Wake-ups."})
    assert copy_schema(sleep, "I slept 6.5 hours and woke up twice.")["properties"]["awakenings"]["enum"] == [2]
    # beside a required number, a number word that counts no times is still no value of its own
    assert "awakenings" not in copy_schema(sleep, "Two nights ago I slept 6.5 hours.")["properties"]


REPOS = schema_of(
    ["repo"], repo={"type": "string", "description": "The repository as owner/name, such as torvalds/linux."}
)


def test_a_value_shaped_like_the_examples_is_copied_whole():
    both = ["scikit-learn/scikit-learn", "torvalds/linux"]
    for text, want in [
        ("How many stars does pallets/flask have?", ["pallets/flask"]),
        ("Star count for the numpy/numpy repo?", ["numpy/numpy"]),
        ("Compare scikit-learn/scikit-learn and torvalds/linux.", both),
    ]:
        assert copy_schema(REPOS, text)["properties"]["repo"]["enum"] == want
    version = schema_of(["version"], version={"type": "string", "description": "The release, e.g. v1.2.0"})
    assert copy_schema(version, "What changed in v2.10.3 of the app?")["properties"]["version"]["enum"] == ["v2.10.3"]
    # hyphenated words and snake-case names are no shapes: "round-trip" still picks among the words
    trip = schema_of(["kind"], kind={"type": "string", "description": "The type of flight e.g., one-way, round-trip"})
    assert copy_schema(trip, "Find a round-trip flight to Oslo.")["properties"]["kind"]["enum"] == ["round-trip"]


def test_a_layout_spelled_in_placeholder_words_is_a_shape_too():
    from toolken.shapes import described_layouts, required_shape

    def layouts(description: str) -> list[str]:
        return described_layouts({"type": "string", "description": description})

    assert layouts("Repository as owner/name.") == ["owner/name"]
    assert layouts("Time zone in Area/Location format.") == ["Area/Location"]
    assert layouts("Name of the city/town.") == layouts("Use and/or.") == []  # no cue; words too short
    issue = schema_of(
        ["repo", "title"],
        repo={"type": "string", "description": "Repository as owner/name."},
        title={"type": "string", "description": "The issue's title."},
    )
    assert required_shape("repo", issue["properties"]["repo"]) == ["owner/name"]
    props = copy_schema(issue, 'Open an issue in acme/webapp titled "Login button broken".')["properties"]
    assert props["repo"]["enum"] == ["acme/webapp"] and props["title"]["enum"] == ["Login button broken"]
    assert not copyable(issue, [], "Open an issue titled Login broken.")  # no repository written
    # synthesis fills the layout, never writes its placeholder words
    rng = random.Random(0)
    drawn = {draw_value("repo", issue["properties"]["repo"], rng)[0] for _ in range(20)}
    assert all(re.fullmatch(r"[a-z]+/[a-z]+", v) for v in drawn) and "owner/name" not in drawn


def test_the_word_that_turns_a_switch_on_is_not_another_values():
    jobs = schema_of(
        ["title", "location"],
        title={"type": "string", "description": "The job title, such as data analyst."},
        location={"type": "string", "description": "The city to work in."},
        remote={"type": "boolean", "default": False, "description": "Only jobs that can be done remotely."},
    )
    copied = copy_schema(jobs, "Are there any remote nurse positions in Denver?")["properties"]
    assert copied["remote"]["enum"] == [True]
    assert "nurse" in copied["title"]["enum"] and not any("remote" in v for v in copied["title"]["enum"])
    # a schema's own enum is never narrowed by it
    kinds = {**jobs, "properties": {**jobs["properties"], "title": {"type": "string", "enum": ["remote", "nurse"]}}}
    titles = copy_schema(kinds, "Any remote nurse positions in Denver?")["properties"]["title"]["enum"]
    assert titles == ["remote", "nurse"]


GRADES = schema_of(["grades"], grades={"type": "array", "items": {"type": "string", "enum": ["A", "B", "C", "D", "F"]}})


def test_a_written_list_of_enum_values_is_copied_whole_and_letters_need_their_case():
    text = "What is my GPA with grades A, B, B and C?"
    assert copy_schema(GRADES, text)["properties"]["grades"]["enum"] == [["A", "B", "B", "C"]]
    assert copyable(GRADES, numbers_in(text), text)
    assert not copyable(GRADES, [3.5], "Is a 3.5 GPA good?")  # "a" is no grade A
    assert copyable(GRADES, [], "My GPA with a single A?")
    diets = schema_of(["diet"], diet={"type": "array", "items": {"type": "string", "enum": ["Gluten_Free", "Vegan"]}})
    text = "A cake that is vegan and gluten-free."
    assert copy_schema(diets, text)["properties"]["diet"]["enum"] == [["Vegan", "Gluten_Free"]]
    assert copyable(diets, [], "Any dessert?")  # words are not held to a case, nor required
    # values named apart from a written list: the ones named, each once, in the order named
    snacks = {"type": "array", "items": {"type": "string", "enum": ["popcorn", "nachos", "soda", "candy"]}}
    order = schema_of(["items"], items=snacks)
    for text, named in [
        ("I'd like a large popcorn and a soda.", ["popcorn", "soda"]),
        ("Two sodas please, and nachos.", ["soda", "nachos"]),
    ]:
        assert copy_schema(order, text)["properties"]["items"]["enum"] == [named], text
    assert "enum" not in copy_schema(order, "What is a good snack?")["properties"]["items"]  # none named
    assert copy_schema(GRADES, "I got an a and a B")["properties"]["grades"]["enum"] == [["B"]]  # letters in case


def test_a_typed_value_the_question_writes_tells_its_tool():
    from toolken.firing import writes_typed_value

    order = schema_of(["order_id"], order_id={"type": "string", "pattern": "^ORD-[0-9]{6}$"})
    zipcode = schema_of(["zip"], zip={"type": "string", "pattern": "^[0-9]{5}$"})
    assert writes_typed_value(IPS, "Which country does 151.101.1.69 come from?")
    assert writes_typed_value(HOSTS, "Is coolbakery.com still available?")
    assert writes_typed_value(REPOS, "How many stars does pallets/flask have?")
    assert writes_typed_value(order, "Has ORD-100245 shipped yet?")
    assert not writes_typed_value(order, "Where is my order?")
    # a pattern that plain numbers also fit tells nothing ("I got 70, 85, 90 and 100")
    assert not writes_typed_value(zipcode, "Which city has the ZIP code 94103?")
    assert not writes_typed_value(IPS, "How does an IP address work?")
    # a value a call of the tool took already tells nothing more: one server asked for, not a second call
    assert not writes_typed_value(IPS, "Which country does 151.101.1.69 come from?", taken={"151.101.1.69"})
    assert writes_typed_value(IPS, "Where are 151.101.1.69 and 8.8.8.8?", taken={"151.101.1.69"})


def test_an_example_in_parentheses_and_a_message_told_to_a_channel():
    from toolken.free_strings import shown_text
    from toolken.values import described_examples

    assert described_examples({"description": "The repo, as owner/name (for example octocat/hello-world)."}) == [
        "octocat/hello-world"
    ]
    post = {"type": "string", "description": "The message to post."}
    assert shown_text("text", post, "Tell #general that lunch is at noon.") == ["lunch is at noon"]
    assert shown_text("text", post, "Ping @anna that the build is green") == ["the build is green"]


def test_a_tool_that_requires_a_shaped_value_cannot_fire_without_one():
    assert copyable(REPOS, [], "How many stars does pallets/flask have?")
    assert not copyable(REPOS, [], "Write a short birthday message for my sister.")
    layout = schema_of(["when"], when={"type": "string", "description": "The time, e.g. 2023-04-15T13:45:00Z"})
    assert copyable(layout, [8], "Move it to Friday at 8 pm")  # a date layout is left to the date rules
    link = schema_of(["repo_url"], repo_url={"type": "string", "description": "e.g. https://github.com/user/repo.git"})
    assert copyable(link, [], "Clone https://gitlab.com/team/app please")  # a link's own rule decides
    bins = schema_of(["to_bin"], to_bin={"type": "string", "description": "The bin to move it to, like C7."})
    assert not copyable(bins, [], "How many units do we have?")  # a short code: a capital or two and a number
    assert copy_schema(bins, "Put it in B12, not AB.")["properties"]["to_bin"]["enum"] == ["B12"]


def test_a_currency_written_once_by_name_is_one_parameters_only():
    from toolken.distinct import distinct_values

    rate = schema_of(
        ["base", "quote"],
        base={"type": "string", "description": "The currency to convert from, as a three-letter code."},
        quote={"type": "string", "description": "The currency to convert to, as a three-letter code."},
    )
    text = "How many yen do I get for one British pound?"
    branches = distinct_values(copy_schema(rate, text), text)["anyOf"]
    pairs = {(b["properties"]["base"]["enum"][0], b["properties"]["quote"]["enum"][0]) for b in branches}
    assert pairs == {("JPY", "GBP"), ("GBP", "JPY")}  # never GBP to GBP


def test_a_country_is_copied_from_its_peoples_adjective_and_other_capitals_are_no_country():
    visa = schema_of(
        ["passport_country", "destination_country"],
        passport_country={"type": "string", "description": "The country that issued the passport."},
        destination_country={"type": "string", "description": "The country to visit."},
    )
    props = copy_schema(visa, "Visa requirements for Indian citizens going to Germany?")["properties"]
    assert props["destination_country"]["enum"] == ["Germany"]
    assert props["passport_country"]["enum"] == ["India", "Germany"]  # never "Visa"
    props = copy_schema(visa, "Do I need a visa to visit Japan with a Canadian passport?")["properties"]
    assert set(props["passport_country"]["enum"]) == {"Japan", "Canada"}
    props = copy_schema(visa, "Do Canadians need a visa for Japan?")["properties"]  # the people, plural
    assert set(props["passport_country"]["enum"]) == {"Japan", "Canada"}
    city = schema_of(["city"], city={"type": "string", "description": "The city."})
    assert "Indian" not in str(copy_schema(city, "Indian food in Leeds?"))  # a people is still no city


def test_what_a_question_asks_to_be_said_in_a_language_is_the_text_to_translate():
    translate = schema_of(["word", "language"], word={"type": "string"}, language={"type": "string"})
    props = copy_schema(translate, "How would I say thank you in French?")["properties"]
    assert props["word"]["enum"] == ["thank you"]  # not "French", the only name
    text = schema_of(["text"], text={"type": "string"})
    both = copy_schema(text, "Translate 'Hello' from English to Spanish and translate 'Bye' into German")["properties"]
    assert both["text"]["enum"] == ["Hello", "Bye"]  # one per request, without quotes
    no_language = copy_schema(translate, "Say hi to Anna in Paris")["properties"]["word"]["enum"]
    assert "Anna" in no_language  # Paris is no language


def test_an_optional_parameter_named_in_the_plural_is_asked_by_its_word_in_the_singular():
    paint = schema_of(["area_m2"], area_m2={"type": "number"}, coats={"type": "integer"})
    props = copy_schema(paint, "I'm painting 80 square meters with one coat.")["properties"]
    assert "coats" in props and 1 in props["coats"]["enum"]
    assert "coats" not in copy_schema(paint, "I'm painting 80 square meters.")["properties"]


def test_a_name_that_goes_on_through_of_is_offered_whole():
    from toolken.written import spans_in

    spans = spans_in("Give me a summary of the Great Wall of China.")
    assert "Great Wall of China" in spans and "Great Wall" in spans  # the parts stay offered
    assert not [s for s in spans_in("What of it, Paris?") if " of " in s]  # a sentence's opener is no name


def test_the_pronoun_i_is_no_code_of_a_pattern_of_capitals():
    ticker = schema_of(["symbol"], symbol={"type": "string", "pattern": "^[A-Z]{1,5}$"})
    assert not copyable(ticker, [], "Should I invest in dividend stocks?")
    assert copy_schema(ticker, "Is KO a good buy, I wonder?")["properties"]["symbol"]["enum"] == ["KO"]


def test_a_loose_pattern_copies_the_run_marked_as_its_examples_are():
    handle = {"type": "string", "pattern": "^@?[A-Za-z0-9_]{1,15}$", "description": "The handle, e.g. @nasa."}
    followers = schema_of(["handle"], handle=handle)
    assert copy_schema(followers, "How many followers does @nasa have?")["properties"]["handle"]["enum"] == ["@nasa"]
    assert "bbcnews" in copy_schema(followers, "Followers of bbcnews?")["properties"]["handle"]["enum"]  # none marked


def test_an_enum_value_is_named_by_the_word_its_description_gives_it():
    court = schema_of(
        ["hour"],
        hour={"type": "integer"},
        players={"type": "integer", "enum": [2, 4], "default": 2, "description": "Singles (2) or doubles (4)."},
    )
    doubles = copy_schema(court, "A court for doubles at 9, please.")
    assert doubles["properties"]["players"]["enum"] == [4] and "players" in doubles["required"]
    assert "players" not in copy_schema(court, "A court at 9, please.")["properties"]  # the default stands
    units = {
        "type": "string",
        "enum": ["metric", "imperial"],
        "description": "'metric' for Celsius, 'imperial' for Fahrenheit.",
    }
    props = copy_schema(schema_of(["city"], city={"type": "string"}, units=units), "Weather in Oslo in Fahrenheit?")
    assert props["properties"]["units"]["enum"] == ["imperial"]
    # a source or a target may be named by the other side's word ("English text to Danish"): no narrowing by words
    target = {"type": "string", "enum": ["en", "da"], "description": "The target language, such as 'en' for English."}
    assert copy_schema(schema_of(["tgt_lang"], tgt_lang=target), "Translate this English text to Danish")["properties"][
        "tgt_lang"
    ]["enum"] == ["en", "da"]


def test_a_question_that_offers_a_tool_only_its_own_name_is_about_it_not_a_request_of_it():
    from toolken.copied_strings import own_words
    from toolken.firing import about_itself
    from toolken.grammar import without_own_words
    from toolken.tools import Tool

    vowels = Tool("count_vowels", "Count the vowels in a text.", schema_of(["text"], text={"type": "string"}), None)
    assert own_words("count vowels", "vowels") and not own_words("fetch DNA sequence", "DNA123")
    assert about_itself(vowels, "What are vowels?")
    assert not about_itself(vowels, "How many vowels are in the word encyclopedia?")
    gifts = Tool("gift_ideas", "Suggest gifts.", schema_of(["interest"], interest={"type": "string"}), None)
    text = "Gift ideas for a friend who loves hiking"
    kept = without_own_words(gifts, copy_schema(gifts.parameters, text))["properties"]["interest"]["enum"]
    assert "hiking" in kept and "Gift" not in kept


def test_a_tool_of_choices_fires_only_where_the_question_names_or_asks_for_one():
    from toolken.tools import Tool
    from toolken.unasked import unasked_choice

    accounts = {"type": "string", "enum": ["checking", "savings", "credit card"]}
    balance = Tool(
        "account_balance", "Get the balance of one of my accounts.", schema_of(["account"], account=accounts)
    )
    assert unasked_choice(balance, "What does APR stand for?")  # no account, no word of the tool
    assert not unasked_choice(balance, "How much is in checking?")  # a value named
    assert not unasked_choice(balance, "What's my balance?")  # a word of the tool's: the model chooses
    genres = {"type": "string", "enum": ["comedy", "horror"]}
    movies = Tool("movie_picks", "Recommend movies of a genre.", schema_of(["genre"], genre=genres))
    assert not unasked_choice(movies, "Recommend a scary movie.")  # the choice implied
    sides = Tool("roll_die", "Roll a die.", schema_of(["sides"], sides={"type": "integer", "enum": [6, 20]}))
    assert not unasked_choice(sides, "Give me a number from 1 to 20")  # a number it offers
    search = Tool("search", "Search.", schema_of(["query"], query={"type": "string"}))
    assert not unasked_choice(search, "Hi!")  # a free parameter: the copy gate's to judge
    # a word of the tool's that another offered tool chooses among its values is no word of this one's
    tires = {"type": "string", "enum": ["front left", "rear right"]}
    pressure = Tool("tire_pressure", "Read the pressure of one tire.", schema_of(["tire"], tire=tires))
    services = {"type": "string", "enum": ["oil change", "tire rotation"]}
    service = Tool("book_service", "Book the car in for a service.", schema_of(["service"], service=services))
    assert unasked_choice(pressure, "How often should I rotate my tires?", [service])
    assert not unasked_choice(pressure, "How often should I rotate my tires?")  # alone, the model chooses
    assert not unasked_choice(pressure, "Check the rear right tire.", [service])
    # a choice required beside free values: no value of it named, no word of the tool's own
    priority = {"type": "string", "enum": ["low", "high"]}
    create = Tool("create_ticket", "Create a ticket.", schema_of(["title", "priority"], title={"type": "string"},
                                                                  priority=priority))  # fmt: skip
    find = Tool("search_tickets", "Search tickets by words.", schema_of(["query"], query={"type": "string"}))
    assert unasked_choice(create, "Find open tickets about the checkout button.", [find])
    assert not unasked_choice(create, "Add a low priority ticket to update the README.", [find])
    assert not unasked_choice(create, "Create a ticket for the broken build.", [find])  # a word of its own


def test_a_title_is_what_the_question_calls_the_thing_and_the_body_what_it_shows():
    title = {"type": "string", "description": "The note's title."}
    note = schema_of(["title", "body"], title=title, body={"type": "string"})
    props = copy_schema(note, "Save a note titled Groceries: eggs, milk.")["properties"]
    assert props["title"]["enum"] == ["Groceries"] and props["body"]["enum"] == ["eggs, milk"]
    # a name called for another thing is no title of this one
    event = schema_of(["event"], event={"type": "string", "description": "The title of the historical event."})
    text = "Rate the player named Magnus Carlsen, and when was the Battle of Gettysburg?"
    assert "Battle of Gettysburg" in copy_schema(event, text)["properties"]["event"]["enum"]
    # "titled" names a title whatever it follows, a longer one than "called" names
    ticket = schema_of(["title"], title={"type": "string", "description": "A short title of the problem."})
    titled = copy_schema(ticket, "Open a high priority ticket titled Login page crashes on Safari.")["properties"]
    assert titled["title"]["enum"][-1] == "Login page crashes on Safari" and "on" not in titled["title"]["enum"]


def test_an_optional_person_done_to_is_asked_by_its_verb():
    assignee = {"type": "string", "description": "Username of the person to assign, such as jdoe."}
    ticket = schema_of(["title"], title={"type": "string"}, assignee=assignee)
    asked = copy_schema(ticket, "File a bug about the login and assign it to mkhan.")["properties"]
    assert "mkhan" in asked["assignee"]["enum"]
    assert "assignee" not in copy_schema(ticket, "File a bug about the login page.")["properties"]


def test_a_question_of_what_a_word_means_calls_only_a_tool_that_tells_meanings():
    from toolken.tools import Tool
    from toolken.unasked import asks_meaning, unasked

    memory = Tool("gpu_memory", "GPU memory in use on a device.", schema_of([], device={"type": "integer"}))
    assert asks_meaning(memory, "What does GPU stand for?") and unasked(memory, "What does GPU stand for?")
    assert not asks_meaning(memory, "What does GPU 1 use?") and not asks_meaning(memory, "How much GPU memory is used?")
    assert asks_meaning(memory, "What is VAT?") and not asks_meaning(memory, "What is GPU 1 using?")
    contacts = Tool("find_contact", "Search contacts by name.", schema_of(["query"], query={"type": "string"}))
    assert asks_meaning(contacts, "What is a CRM?")
    words = Tool("define", "Define an English word.", schema_of(["word"], word={"type": "string"}))
    assert not asks_meaning(words, "What does ephemeral mean?") and not asks_meaning(words, "What is a haiku?")
    code = schema_of(["code"], code={"type": "integer"})
    status = Tool("http_status", "Explain what an HTTP status code means.", code)
    assert not asks_meaning(status, "What does HTTP status 404 mean?")


def test_a_tool_that_acts_answers_requests_not_questions():
    from toolken.tools import Tool
    from toolken.unasked import unrequested_action

    platforms = {"type": "string", "enum": ["twitter", "facebook"]}
    post = Tool(
        "post_message",
        "Publish a post on a social network.",
        schema_of(["platform", "text"], platform=platforms, text={"type": "string", "description": "What it says."}),
    )
    assert unrequested_action(post, "Who founded Facebook?")
    assert unrequested_action(post, "Who said 'I think, therefore I am'?")  # quoted, and still a question
    assert not unrequested_action(post, "Post 'Happy Friday!' on Facebook.")
    assert not unrequested_action(post, "Can you post hello world on Twitter?")  # a request put as a question
    assert not unrequested_action(post, "Is it possible to post 'hi' on Facebook?")
    vacuum = Tool("robot_vacuum", "Control the robot vacuum.", schema_of(["action"], action={"enum": ["start"]}))
    assert unrequested_action(vacuum, "Is it safe to leave a robot vacuum running alone?")  # by its description
    assert not unrequested_action(vacuum, "How to start the vacuum in the kitchen?")  # "how to" requests
    reset = Tool("reset_password", "Reset an employee's password.", schema_of(["user"], user={"type": "string"}))
    assert unrequested_action(reset, "What is a strong password?")
    assert not unrequested_action(reset, "Can you reset the password for mgarcia?")
    reverse = Tool("reverse", "Reverse a text.", schema_of(["text"], text={"type": "string"}))
    assert not unrequested_action(reverse, "What is stressed backwards?")  # it answers; it changes nothing
    grade = Tool("letter_grade", "Turn a percentage into a grade.", schema_of(["percent"], percent={"type": "number"}))
    assert not unrequested_action(grade, "What grade is 87 percent?")  # it converts; it switches nothing on
    lock = Tool("lock_door", "Lock one of the house's doors.", schema_of(["door"], door={"enum": ["front", "garage"]}))
    assert unrequested_action(lock, "Is the garage door locked?")
    assert not unrequested_action(lock, "Is the garage door locked? Lock it please.")  # a request after it
    assert unrequested_action(lock, "Is the garage door locked? Is the front one?")  # questions only
    play = Tool("play_music", "Play songs by an artist.", schema_of(["artist"], artist={"type": "string"}))
    assert unrequested_action(play, "Tell me about the history of jazz.")  # to be told, not played to
    assert unrequested_action(play, "Please explain what jazz is.")
    assert not unrequested_action(play, "Play some jazz.")
    maker = Tool("generate_password", "Generate a random password.", schema_of([], length={"type": "integer"}))
    assert unrequested_action(maker, "How often should I change my passwords?")  # it makes one; none is asked
    assert unrequested_action(maker, "Is hunter2 a good password?")
    assert not unrequested_action(maker, "Generate a 24 character password.")
    resume = Tool("continue_watching", "", schema_of([]))
    assert unrequested_action(resume, "Is The Office worth watching?")
    assert not unrequested_action(resume, "Continue watching my show.")


def test_a_switch_beside_choices_the_question_names_none_of_is_not_asked_for():
    from toolken.tools import Tool
    from toolken.unasked import unasked_choice

    rooms = {"type": "string", "enum": ["kitchen", "bedroom"]}
    lights = Tool(
        "set_lights",
        "Turn the lights in a room on or off.",
        schema_of(["room", "on"], room=rooms, on={"type": "boolean"}),
    )
    assert unasked_choice(lights, "Make it 21 degrees in here.")
    assert not unasked_choice(lights, "Turn off the kitchen lights.")
    assert not unasked_choice(lights, "Switch it on.")  # the switch said
    assert not unasked_choice(lights, "The lights, please.")  # a word of the tool's


def test_a_word_of_a_tool_of_choices_that_another_offered_tool_shares_does_not_ask_for_it():
    from toolken.tools import Tool
    from toolken.unasked import unasked, unasked_choice

    light = {"type": "string", "enum": ["full sun", "partial shade", "full shade"]}
    for_light = Tool(
        "plants_for_light", "Suggest plants that grow well in the given light.", schema_of(["light"], light=light)
    )
    plants = {"type": "array", "items": {"type": "string"}}
    companions = Tool(
        "companion_plants", "Check whether plants grow well together.", schema_of(["plants"], plants=plants)
    )
    question = "Can I plant carrots next to onions?"
    assert not unasked_choice(for_light, question)  # "plant": a word of its own
    assert unasked_choice(for_light, question, [for_light, companions])  # ... and of the other's
    assert unasked(for_light, question, [for_light, companions])
    assert not unasked_choice(for_light, "What grows in full shade?", [for_light, companions])  # a value named
    assert not unasked_choice(for_light, "Which plants like the light?", [for_light, companions])  # its own word


def test_a_number_written_in_a_unit_of_another_quantity_is_no_candidate():
    timer = schema_of(["minutes"], minutes={"type": "integer", "description": "How many minutes the timer runs"})
    thermostat = schema_of(["temperature"], temperature={"type": "number", "description": "Target temperature"})
    for text in ("Make it 21 degrees in here.", "Set it to 21 kg.", "Run for 21 km."):
        assert not copyable(timer, numbers_in(text), text), text
    assert copyable(thermostat, numbers_in("Make it 21 degrees in here."), "Make it 21 degrees in here.")
    assert copyable(timer, numbers_in("Set a timer for 12 minutes."), "Set a timer for 12 minutes.")
    assert copyable(timer, numbers_in("Set a timer for 12."), "Set a timer for 12.")  # no unit: any
    text = "Bake at 180 degrees for 25 minutes."
    assert copy_schema(timer, text)["properties"]["minutes"]["enum"] == [25]
    angle = schema_of(["angle"], angle={"type": "number", "description": "Angle of the slope"})
    assert copy_schema(angle, "a slope of 30 degrees over 5 m")["properties"]["angle"]["enum"] == [30]


def test_a_destination_may_be_a_place_named_by_a_common_noun():
    nav = schema_of(["destination"], destination={"type": "string", "description": "Address or place name"})
    for text, place in [("Take me to the airport, and avoid tolls.", "airport"), ("Take me home.", "home"),
                        ("Navigate to the nearest gas station.", "nearest gas station")]:  # fmt: skip
        assert copyable(nav, numbers_in(text), text)
        assert copy_schema(nav, text)["properties"]["destination"]["enum"] == [place]
    assert not copyable(nav, [], "What time is it?")
    weather = schema_of(["city"], city={"type": "string", "description": "The city."})
    assert not copyable(weather, [], "What's the weather at the airport?")  # a city, not a place to go to


def test_an_optional_currency_is_taken_as_people_name_it():
    crypto = schema_of(["coin"], coin={"type": "string", "enum": ["bitcoin", "ethereum"]},
                       currency={"type": "string", "description": "The currency to quote it in, e.g. EUR"})  # fmt: skip
    assert copy_schema(crypto, "What is bitcoin worth in euros?")["properties"]["currency"]["enum"] == ["EUR"]
    assert "currency" not in copy_schema(crypto, "What is bitcoin worth?")["properties"]  # its default applies


def test_a_tickets_summary_is_what_the_question_says_is_wrong():
    ticket = schema_of(["summary"], summary={"type": "string", "description": "Short description of the problem"})
    for text, said in [("Open a ticket: my monitor flickers. It's urgent.", "my monitor flickers"),
                       ("My laptop won't charge, please log a ticket.", "My laptop won't charge")]:  # fmt: skip
        assert copy_schema(ticket, text)["properties"]["summary"]["enum"] == [said]
    assert "ticket" in copy_schema(ticket, "Hi, please open a ticket.")["properties"]["summary"]["enum"]  # too short


def test_a_why_question_asks_for_a_cause_no_tool_reads():
    from toolken.tools import Tool
    from toolken.unasked import asks_why, unasked

    battery = Tool("battery_range", "Remaining driving range of the battery.", {"type": "object", "properties": {}})
    assert asks_why(battery, "Why do electric cars lose range in winter?")
    assert unasked(battery, "So why is my range so low?")
    assert not asks_why(battery, "Why is my range so low? Check it.")  # a request after the question
    assert not asks_why(battery, "How far can I drive?")
    search = Tool("web_search", "Search the web for an answer.", schema_of(["query"], query={"type": "string"}))
    assert not asks_why(search, "Why is the sky blue?")  # a tool that searches may answer why
    hashtag = Tool("hashtag_posts", "Recent posts that use a hashtag.", schema_of(["tag"], tag={"type": "string"}))
    assert asks_why(hashtag, "How do hashtags work?") and unasked(hashtag, "How does a hashtag work?")
    assert asks_why(hashtag, "What causes a hashtag to trend?")  # a cause asked, as by "why"
    assert not asks_why(hashtag, "How do I find posts with #climate?")


def test_a_question_of_who_made_a_thing_asks_no_tool_that_knows_no_makers():
    from toolken.tools import Tool
    from toolken.unasked import asks_maker, unasked

    rating = Tool("movie_rating", "A film's average rating.", schema_of(["title"], title={"type": "string"}))
    assert asks_maker(rating, "Who directed Jaws?") and unasked(rating, "Who wrote the song Yesterday?")
    assert not asks_maker(rating, "What is the rating of Jaws?") and not asks_maker(rating, "Who won the game?")
    assert not asks_maker(rating, "Who directed Jaws? Rate it too.")  # a request after the question
    details = Tool("movie_details", "A film's year, director and cast.", schema_of(["title"], title={"type": "string"}))
    assert not asks_maker(details, "Who directed Jaws?")
    contacts = Tool("find_contact", "Search contacts by name.", schema_of(["query"], query={"type": "string"}))
    assert asks_maker(contacts, "Who founded Salesforce?")  # it searches its own records, not the web


def test_a_question_of_a_difference_or_whether_a_thing_is_good_asks_no_tool_that_judges_none():
    from toolken.opinions import asks_judgment
    from toolken.tools import Tool

    items = {"type": "string", "enum": ["sourdough loaf", "croissant", "baguette"]}
    price = Tool("price_of", "Look up the price of an item.", schema_of(["item"], item=items))
    assert asks_judgment(price, "What's the difference between a croissant and a brioche?")
    assert asks_judgment(price, "What's the actual difference between a croissant and a brioche?")
    assert asks_judgment(price, "Do you think sourdough is healthier?")
    assert not asks_judgment(price, "How much is a croissant?") and not asks_judgment(price, "Is a baguette cheap?")
    compare = Tool("compare_prices", "Compare the prices of two items.", schema_of(["item"], item=items))
    assert not asks_judgment(compare, "Is a croissant better value than a baguette?")  # it compares
    bmi = Tool("calculate_bmi", "Body mass index from weight and height.", schema_of(["kg"], kg={"type": "number"}))
    assert not asks_judgment(bmi, "Is 58 kg at 1.65 m a healthy BMI?")  # it names the tool
    normal = Tool("normal_range", "Normal reference range of a lab test.", schema_of(["test"], test={"enum": ["TSH"]}))
    assert asks_judgment(normal, "Is it normal to feel tired after a blood test?")  # "normal" judges the deed
    assert not asks_judgment(normal, "Is it normal for TSH to be 6?")  # a value to read
    bookings = Tool("list_my_bookings", "List the user's hotel bookings.", schema_of([]))
    assert asks_judgment(bookings, "Are hotel breakfasts usually worth paying extra for?")
    assert asks_judgment(bookings, "What should I do if I miss my train?")  # advice, not a listing
    assert not asks_judgment(bookings, "What bookings do I have?")
    assert asks_judgment(price, "Is Spanish harder than French?")  # a comparison
    assert asks_judgment(price, "Are trains faster than planes?")
    assert asks_judgment(price, "Is rye more filling than wheat?")


def test_advice_or_know_how_asks_no_tool_that_requires_nothing():
    from toolken.opinions import asks_advice, asks_judgment
    from toolken.tools import Tool
    from toolken.unasked import unasked

    status = {"laundromat": {"type": "string"}, "machine_type": {"enum": ["washer", "dryer"]}}
    machines = Tool("machine_status", "Show which laundry machines are free.", schema_of([], **status))
    for advice in ("is it bad to overload the washing machine?", "Any tips to avoid shrinking a dryer load?",
                   "how do I get a red wine stain out of a white shirt", "What should I use on silk?"):  # fmt: skip
        assert asks_advice(machines, advice) and unasked(machines, advice)
    assert not asks_advice(machines, "which machines are free") and not asks_advice(machines, "Any dryers free?")
    fabric = schema_of(["fabric"], fabric={"type": "string"})
    wash = Tool("recommend_wash_cycle", "Recommend a washing program.", fabric)
    assert not asks_advice(wash, "How should I wash my wool sweaters?")  # it requires a value the question writes
    printers = Tool("list_printers", "List the office printers.", schema_of([], only_idle={"type": "boolean"}))
    # its word alone asks nothing of a tool that requires nothing
    assert asks_judgment(printers, "whats the difference between laser and inkjet printers")
    assert unasked(printers, "lol the printer made spaghetti again overnight")  # a sigh, no request
    assert not unasked(printers, "lol can you list the printers")
    assert unasked(printers, "ok cool, thanks") and not unasked(printers, "Cool. Now list the printers")
    drug = schema_of(["medication"], medication={"type": "string"})
    cost = Tool("estimate_cost", "Estimate what a medication costs.", drug)
    assert asks_advice(cost, "Can I take ibuprofen while I'm on lisinopril?")  # taking it: no cost asked
    classes = Tool("book_class", "Book a place in a class.", schema_of(["time"], time={"type": "string"}))
    assert not asks_advice(classes, "Can I book the 9:30 class?")


def test_a_question_after_a_greeting_only_asks():
    from toolken.tools import Tool
    from toolken.unasked import unrequested_action

    fault = Tool("report_fault", "Log a fault for a printer.", schema_of(["printer_id"], printer_id={"type": "string"}))
    assert unrequested_action(fault, "hey, does PRN-0519 have paper in it? about to send a big job")
    assert not unrequested_action(fault, "PRN-0733 dropped off the network again, log a fault for it")


def test_a_request_for_a_poem_or_a_joke_asks_no_tool_that_writes_none():
    from toolken.tools import Tool
    from toolken.unasked import asks_piece, unasked

    hashtag = Tool("search_hashtag", "Find recent posts with a hashtag.", schema_of(["tag"], tag={"type": "string"}))
    assert asks_piece(hashtag, "Write a catchy slogan for a coffee shop.") and unasked(hashtag, "Tell me a joke.")
    assert not asks_piece(hashtag, "Find posts with a slogan about #coffee.")
    assert asks_piece(hashtag, "Give me three tips for meal prep.")
    assert not asks_piece(hashtag, "Write a haiku about winter and find posts tagged #winter.")
    jokes = Tool("random_joke", "Tell a random joke.", {"type": "object", "properties": {}})
    assert not asks_piece(jokes, "Tell me a joke.")


SMS = {
    "type": "object",
    "properties": {
        "phone": {"type": "string", "description": "The phone number to text."},
        "message": {"type": "string", "description": "The text to send."},
    },
    "required": ["phone", "message"],
}


def test_a_phone_number_is_copied_whole_and_its_digits_are_no_count():
    from toolken.distinct import distinct_values
    from toolken.literals import literal_kind

    assert literals_in("phone", "Text +1 617 555 0199, or (617) 555-0199, 555-0142 or 0612345678.") == [
        "+1 617 555 0199",
        "(617) 555-0199",
        "555-0142",
        "0612345678",
    ]
    # a date, an IP address, a short number and thousands are no phone numbers
    assert literals_in("phone", "On 2027-05-12 ring 911 from 192.168.10.12 about 1,234,567 dollars.") == []
    named = [("phone", ""), ("phone_number", ""), ("mobileNo", ""), ("to", "The phone number to text."), ("to", "")]
    kinds = [literal_kind(n, {"type": "string", "description": d}) for n, d in named]
    assert kinds == ["phone", "phone", "phone", "phone", None]
    text = "Send a message to +1 617 555 0199 saying the keys are under the mat."
    props = distinct_values(copy_schema(SMS, text), text)["properties"]
    assert props["phone"]["enum"] == ["+1 617 555 0199"] and props["message"]["enum"] == ["the keys are under the mat"]
    assert not copyable(SMS, numbers_in("Text mom that I'm late."), "Text mom that I'm late.")  # no number to text
    minutes = {"minutes": {"type": "integer"}}
    timer = {"type": "object", "properties": {**SMS["properties"], **minutes}, "required": ["phone"]}
    text = "Text 555-0142 in 10 minutes."
    assert copy_schema(timer, text)["properties"]["minutes"]["enum"] == [10]  # not 555 or 142


def test_a_time_a_description_shows_by_example_is_copied_in_its_layout_and_is_no_count():
    from toolken.dates import time_format

    booking = {"type": "string", "description": "The time of the booking, like 19:30."}
    assert time_format(booking) == "%H:%M"
    assert time_format({"type": "string", "description": "Start time, e.g. 09:00:00"}) == "%H:%M:%S"
    assert time_format({"type": "string", "description": "The duration, like 1:30"}) is None  # not a time of day
    table = {
        "type": "object",
        "properties": {"people": {"type": "integer"}, "time": booking},
        "required": ["people", "time"],
    }
    props = copy_schema(table, "Book a table for 4 at 19:30.")["properties"]
    assert props["people"]["enum"] == [4] and props["time"]["enum"] == ["19:30"]
    assert copy_schema(table, "A table for two at 8pm.")["properties"]["time"]["enum"] == ["20:00"]
    assert not copyable(table, [2], "A table for 2, please.")  # a required time the question never gives


def test_a_name_after_a_request_verb_opening_the_question_is_a_name():
    assert names_in("Reserve Chez Marie for two people at 8pm.") == ["Chez Marie"]
    assert names_in("Invite Priya to lunch.") == ["Priya"]
    # any verb before a name of two words or more ("Bill" bills here); before one it may be a first name
    assert names_in("Bill Northwind Traders 980 euros.") == ["Northwind Traders"]
    assert names_in("Mark Twain wrote what?") == ["Mark Twain"]


def test_a_thing_to_do_is_copied_whole_without_its_list_priority_or_time():
    todo = {"type": "object", "properties": {"task": {"type": "string"}}, "required": ["task"]}

    def task(text: str, schema: dict = todo, name: str = "task") -> list:
        return copy_schema(schema, text)["properties"][name]["enum"]

    assert task("Add buy milk to my to-do list.") == ["buy milk"]
    assert task("Put call the plumber on my list, high priority.") == ["call the plumber"]
    assert task("Add 'water the plants' to my tasks.") == ["water the plants"]
    assert task("Add a dentist appointment") == ["dentist appointment"]
    assert task("add todo with content go to sleep at 9 pm") == ["go to sleep at 9 pm"]  # no time of its own
    title = {"type": "object", "properties": {"title": {"type": "string", "description": "What to do."}}}
    assert task("Add buy milk tagged shopping and errands.", title, "title") == ["buy milk"]  # not its tags
    reminder = {
        "type": "object",
        "properties": {
            "message": {"type": "string", "description": "What to be reminded of."},
            "minutes": {"type": "integer", "description": "Minutes from now."},
            "date": {"type": "string", "format": "date"},
        },
        "required": ["message"],
    }
    assert task("Remind me to take out the trash on May 3, 2027.", reminder, "message") == ["take out the trash"]
    assert task("Remind me to call mom in 30 minutes.", reminder, "message") == ["call mom"]
    weather = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    assert "Paris" in task("Add Paris to my list", weather, "city")  # not a thing to do: copied as before


def test_an_optional_kind_written_as_a_compound_and_a_maker_after_by_are_copied():
    music = {
        "type": "object",
        "properties": {"song": {"type": "string"}, "artist": {"type": "string"}},
        "required": ["song"],
    }
    from toolken.distinct import distinct_values

    text = "Play Bohemian Rhapsody by Queen."
    props = distinct_values(copy_schema(music, text), text)["properties"]
    assert props["artist"]["enum"] == ["Queen"] and props["song"]["enum"] == ["Bohemian Rhapsody"]
    assert "artist" not in copy_schema(music, "Put on Hotel California.")["properties"]  # none written: left out
    assert copy_schema(music, "Play Let It Be by the Beatles")["properties"]["artist"]["enum"] == ["the Beatles"]
    heat = {
        "type": "object",
        "properties": {"temperature": {"type": "number"}, "room": {"type": "string"}},
        "required": ["temperature"],
    }
    assert copy_schema(heat, "Set the bedroom thermostat to 19 degrees.")["properties"]["room"]["enum"] == ["bedroom"]
    assert "room" not in copy_schema(heat, "Make it 22 degrees.")["properties"]
    synonyms = {"type": "object", "properties": {"word": {"type": "string"}}, "required": ["word"]}
    assert "hunter2" in copy_schema(synonyms, "Is hunter2 a strong password?")["properties"]["word"]["enum"]  # required


def test_an_email_address_described_as_an_address_is_no_street():
    email = {
        "type": "object",
        "properties": {
            "to": {"type": "string", "format": "email", "description": "The recipient's address."},
            "body": {"type": "string"},
        },
        "required": ["to", "body"],
    }
    text = "Send an email to anna@work.org saying it is ready."
    assert copyable(email, numbers_in(text), text)  # no street to write to is needed


def test_a_name_in_the_possessive_is_offered_without_its_s_and_counts_once():
    assert names_in("What was the score of Arsenal's last match?") == ["Arsenal's", "Arsenal"]
    assert names_in("Book a table at Luigi's for 4.") == ["Luigi's"]  # a shop's name keeps its "'s"
    assert names_in("Does Luigi's have vegan dishes?") == ["Luigi's"]  # ... before a verb it is the subject of
    sculpture = {
        "type": "object",
        "properties": {"artist_name": {"type": "string"}, "sculpture_name": {"type": "string"}},
        "required": ["artist_name", "sculpture_name"],
    }
    text = "How tall is Picasso's tallest piece?"  # one name, in two forms: not a name for each
    assert not copyable(sculpture, numbers_in(text), text)


def test_an_order_number_or_tracking_number_shown_by_example_must_be_written():
    order = schema_of(["order_id"], order_id={"type": "string", "description": "The order number, like ORD-1042."})
    assert copyable(order, [], "Refund ORD-7730, it was the wrong size.")
    assert not copyable(order, [], "Is the ceramic teapot in stock?")
    assert copy_schema(order, "Refund ord-2291 please")["properties"]["order_id"]["enum"] == ["ord-2291"]
    parcel = schema_of(
        ["number"], number={"type": "string", "description": "Tracking number, e.g. 1Z999AA10123456784."}
    )
    assert copy_schema(parcel, "Track 9400111899223817459.")["properties"]["number"]["enum"] == ["9400111899223817459"]
    assert not copyable(parcel, [], "Is the teapot in stock?")
    liked = {"type": "string", "description": "What the person likes, such as cooking or hiking."}
    assert copyable(schema_of(["interest"], interest=liked), [], "A gift for a friend into cooking")


def test_a_name_kind_whose_examples_are_plain_words_takes_plain_words():
    from toolken.values import names_a_thing

    assert not names_a_thing("interest", {"type": "string", "description": "What the person likes, such as cooking."})
    assert names_a_thing("location", {"type": "string", "description": "The location (e.g., country) to look up."})
    assert names_a_thing("name", {"type": "string", "description": "The person's name, e.g. Ada Lovelace."})


def test_a_ticket_title_saying_what_is_wrong_is_copied_whole_and_connectives_tell_nothing():
    from toolken.free_strings import shown_text

    ticket = {"type": "string", "description": "A short title saying what is wrong."}
    said = "File a high priority ticket saying the nightly build is failing."
    assert shown_text("title", ticket, said) == ["the nightly build is failing"]
    assert shown_text("title", ticket, "Open a ticket: login page crashes on Safari.") == [
        "login page crashes on Safari"
    ]
    post = {"type": "string", "description": "The message to post."}
    assert shown_text("text", post, "Find the club in Boston. After that, book a table for two") == []
    assert shown_text("text", post, "The case 12345 that was filed in Texas") == []


def test_a_shaped_value_before_a_colon_is_copied():
    assert copyable(REPOS, [], "File a bug on torvalds/linux: Build fails on ARM")


def test_choices_a_description_lists_read_as_an_enum():
    from toolken.choices import closed_choices

    def listed(description: str) -> list[str]:
        return closed_choices({"type": "string", "description": description})

    assert listed("One of travel, meals or supplies.") == ["travel", "meals", "supplies"]
    assert listed("It can be either 'men' or 'women'. Default is 'men'.") == ["men", "women"]
    assert listed("Can be 'asc' for ascending order, or 'desc' for descending order.") == ["asc", "desc"]
    assert listed("The possible values are male or female.") == ["male", "female"]
    assert listed("Can be a string, boolean, or number.") == []  # kinds, not values
    assert listed("For example, it can be 'read', 'write', etc.") == []  # an open list
    assert listed("One of the competing teams.") == []
    expense = schema_of(["category"], category={"type": "string", "description": "One of travel, meals or supplies."})
    assert copy_schema(expense, "File $42.80 for lunch as meals")["properties"]["category"]["enum"] == ["meals"]
    assert copy_schema(expense, "File $42.80 for lunch")["properties"]["category"]["enum"] == [
        "travel",
        "meals",
        "supplies",
    ]


def test_a_recipient_described_as_an_email_address_copies_the_address_and_a_question_opener_no_name():
    mail = schema_of(["to"], to={"type": "string", "description": "The recipient's e-mail address."})
    text = "Email anna@corp.com about the offsite"
    assert copy_schema(mail, text)["properties"]["to"]["enum"] == ["anna@corp.com"]
    assert not copyable(mail, [], "Email Anna about the offsite")
    assert names_in("What's Priya Patel's extension?") == ["Priya Patel's", "Priya Patel"]
    assert names_in("Where's Tom Becker today?") == ["Tom Becker"]
    assert names_in("Has ORD-1042 shipped yet?") == []


def _joke(topic: str = "anything", count: int = 1) -> str:
    """Tell jokes.

    Args:
        topic: What the joke is about.
        count: How many jokes.
    """
    return topic * count


def test_a_function_with_only_defaults_leaves_out_what_the_question_does_not_give():
    from toolken import Tool

    parameters = Tool.from_function(_joke).parameters
    assert parameters["required"] == []
    assert copy_schema(parameters, "Tell me a joke.")["properties"] == {}  # not topic "a", not count 10**14
    assert copy_schema(parameters, "Tell me 3 jokes")["properties"]["count"]["enum"] == [3]
    bare = {"type": "object", "properties": {"topic": {"type": "string"}}}  # no `required`: nothing marked optional
    assert "topic" in copy_schema(bare, "Tell me a joke.")["properties"]


def test_a_switch_named_on_is_on_where_the_text_says_on_and_counts_before_a_hyphen_are_numbers():
    assert said_boolean("on", "Turn on the kitchen lights.") is True
    assert said_boolean("on", "Switch off the lights in the bedroom.") is False
    # what the description says each value does: "True to start watering, false to stop."
    watering = {"type": "boolean", "description": "True to start watering, false to stop."}
    assert said_boolean("on", "Start watering the south zone.", watering) is True
    assert said_boolean("on", "Stop the irrigation in the nursery.", watering) is False
    assert said_boolean("on", "Make the nursery 26.5 °C please.", watering) is None
    dividends = {"type": "boolean", "description": "True if the calculation should count dividends."}
    assert said_boolean("dividends", "the return on the stock", dividends) is None  # "if the": no deed
    assert numbers_in("Roll two twenty-sided dice") == [2, 20]
    assert numbers_in("a five-day forecast") == [5]
    assert numbers_in("a one-way ticket, double-check it") == []


def test_an_enum_value_is_named_with_ing_or_ed_and_an_optional_count_with_no_fitting_number_is_left_out():
    assert named_in(["error", "warn", "info"], "Any warnings in the auth logs?") == ["warn"]
    assert named_in(["COOL", "HEAT"], "start cooling at 20 degrees") == ["COOL"]
    assert named_in(["on", "off"], "turning it off") == ["off"]  # short values: as words only
    assert named_in(["cup", "tbsp", "tsp"], "How many tablespoons are in 2 cups?") == ["cup", "tbsp"]
    logs = schema_of(["service"], service={"type": "string"}, since_hours={"type": "integer", "minimum": 1})
    assert "since_hours" not in copy_schema(logs, "Post to deploys: release 2.3 is out.")["properties"]


def test_a_code_written_with_a_space_is_a_shape_too():
    flight = schema_of(["flight_number"], flight_number={"type": "string", "description": "e.g. BA117 or LH 400."})
    assert copy_schema(flight, "What's the status of LH 400?")["properties"]["flight_number"]["enum"] == ["LH 400"]
    assert copyable(flight, [], "Is UA90 on time?")
    assert not copyable(flight, [], "How long is a flight from London to New York?")
    unspaced = schema_of(["flight"], flight={"type": "string", "description": "Flight number, such as BA117 or LH400."})
    for question in ["What's the status of LH 400?", "What's the status of flight LH 400?"]:
        assert copy_schema(unspaced, question)["properties"]["flight"]["enum"] == ["LH 400"]  # not the code "LH"
        assert copyable(unspaced, [], question)
    assert copy_schema(unspaced, "Is BA117 on time?")["properties"]["flight"]["enum"] == ["BA117"]
    assert [m.group(0) for m in shape_pattern("UA90").finditer("UA90, UA 91")] == ["UA90", "UA 91"]  # short ones too


def test_both_sides_of_a_size_are_numbers():
    assert numbers_in("Resize photos/cat.png to 800x600.") == [800, 600]
    assert numbers_in("a 1920×1080 screen") == [1920, 1080]
    assert numbers_in("abc123 and x2") == []


def test_a_columns_or_tables_name_is_no_persons_name():
    from toolken.values import names_a_thing, pool_name

    column = {"type": "string", "description": "The column's name."}
    assert pool_name("column", column) == "thing" and not names_a_thing("column", column)
    stats = schema_of(["path", "column"], path={"type": "string", "description": "The CSV file, e.g. data/a.csv."},
                      column=column)  # fmt: skip
    assert copyable(stats, [], "What's the mean of the price column in data/houses.csv?")
    assert pool_name("customer", {"description": "The customer's full name."}) == "person"
    assert pool_name("label", {"description": "A name for the alarm."}) == "person"  # "an alarm called bedtime"
    # what the user studies is a subject, no person: "calculus" may be copied
    subject = {"type": "string", "description": "What the user will study."}
    assert pool_name("subject", subject) == "topic" and not names_a_thing("subject", subject)
    timer = schema_of(["minutes", "subject"], minutes={"type": "integer"}, subject=subject)
    assert copyable(timer, [25], "Start a 25 minute study session for calculus.")


def test_a_channel_or_handle_is_copied_with_its_mark():
    channel = {"type": "string", "description": "The channel, like #general."}
    post = {"type": "object", "properties": {"channel": channel, "text": {"type": "string"}}, "required": ["channel"]}
    assert copy_schema(post, "Post 'Deploy finished' to #releases.")["properties"]["channel"]["enum"] == ["#releases"]
    handle = {"type": "string", "description": "Who to mention, e.g. @alice."}
    ping = {"type": "object", "properties": {"user": handle}, "required": ["user"]}
    assert copy_schema(ping, "Ping @bob about the build.")["properties"]["user"]["enum"] == ["@bob"]
    said = copy_schema(post, "Post hello to the general channel.")["properties"]["channel"]["enum"]
    assert "general" in said and copyable(post, [], "Post hello to the general channel.")  # no mark: no shape


def test_a_reason_is_copied_from_the_words_that_give_it():
    day = {"type": "string", "format": "date"}
    leave = {"type": "object", "properties": {"start": day, "reason": {"type": "string", "description": "Why."}},
             "required": ["start"]}  # fmt: skip
    props = copy_schema(leave, "I need 2027-01-08 off for a family trip.")["properties"]
    assert props["reason"]["enum"][:2] == ["family trip", "a family trip"]
    props = copy_schema(leave, "Off on 2027-01-08 because my sister is getting married.")["properties"]
    assert "my sister is getting married" in props["reason"]["enum"]
    assert "reason" not in copy_schema(leave, "I need 2027-01-08 off.")["properties"]  # none given: left out
    note = {"type": "string", "description": "A note about why."}
    mood = {"type": "object", "properties": {"mood": {"type": "string", "enum": ["happy", "sad"]}, "note": note},
            "required": ["mood"]}  # fmt: skip
    assert "note" not in copy_schema(mood, "Log happy for me.")["properties"]  # "for me" gives no reason
    assert "exam" in copy_schema(mood, "Log sad, because of the exam.")["properties"]["note"]["enum"]
    said = copy_schema(leave, "I need 2027-01-08 off for a family trip.")
    assert "reason" in said["required"]  # a reason given is written, not left to the model
    # an optional topic: what the request is about, three words at most; a required one copies as ever
    topic = {"type": "string", "description": "What to practise."}
    lesson = {"type": "object", "properties": {"day": day, "topic": topic}, "required": ["day"]}
    said = copy_schema(lesson, "A lesson on 2027-01-08 about ordering food.")
    assert said["properties"]["topic"]["enum"][0] == "ordering food" and "topic" in said["required"]
    said = copy_schema(lesson, "A lesson on 2027-01-08 about the past tense in Spanish.")
    assert said["properties"]["topic"]["enum"][:2] == ["past tense", "the past tense"]
    assert "topic" not in copy_schema(lesson, "A lesson on 2027-01-08.")["properties"]
    required = {"type": "object", "properties": {"topic": {"type": "string"}}, "required": ["topic"]}
    assert (
        "technology" in copy_schema(required, "What's the latest news about technology?")["properties"]["topic"]["enum"]
    )


def test_a_span_of_years_shown_by_example_is_copied_or_left_to_its_default():
    import random

    from toolken.shapes import drawn_like

    season = {"type": "string", "description": "The season, like 2023-24.", "default": "2024-25"}
    stats = {"type": "object", "properties": {"player": {"type": "string"}, "season": season}, "required": ["player"]}
    props = copy_schema(stats, "How many points did Stephen Curry average in 2015-16?")["properties"]
    assert props["season"]["enum"] == ["2015-16"]
    assert "season" not in copy_schema(stats, "What are LeBron James's stats this season?")["properties"]
    drawn = {drawn_like(["2023-24"], ["word"], random.Random(seed)) for seed in range(20)}
    assert all(int(d[:4]) % 100 + 1 == int(d[5:]) or d[5:] == "00" for d in drawn)  # "2019-20", never "6048-76"


def test_a_title_keeps_its_number():
    movie = {"type": "string", "description": "The movie's title."}
    showtimes = {"type": "object", "properties": {"movie": movie, "city": {"type": "string"}}, "required": ["movie"]}
    sequel = copy_schema(showtimes, "Is Inside Out 2 on in Denver?")["properties"]["movie"]["enum"]
    assert "Inside Out 2" in sequel and "Inside Out" not in sequel  # the number is the title's
    booked = copy_schema(showtimes, "Book 2 tickets for Toy Story 3 in Paris.")["properties"]["movie"]["enum"]
    assert "Toy Story 3" in booked and "Book 2" not in booked


def test_a_value_that_opens_with_the_tools_own_name_is_the_request_not_the_value():
    from toolken.copied_strings import own_words

    assert own_words("showtimes", "Showtimes for Wicked") and own_words("get lyrics", "Lyrics for Hello")
    assert not own_words("showtimes", "Wicked") and not own_words("get lyrics", "Songs for Hello")
    assert own_words("follower count", "followers") and own_words("count vowels", "vowel")  # either number


def _required(**props: dict) -> dict:
    """An object schema of `props`, every one required."""
    return {"type": "object", "properties": props, "required": list(props)}


def test_a_length_of_time_is_read_in_the_unit_the_parameter_asks_for():
    trip = _required(
        destination={"type": "string", "description": "Where you are going."},
        days={"type": "integer", "description": "Length of the trip in days."},
    )
    text = "Make me a packing list for a week in Morocco."
    assert copyable(trip, numbers_in(text), text)
    assert copy_schema(trip, text)["properties"]["days"]["enum"] == [7]
    timer = _required(minutes={"type": "integer"})
    assert copy_schema(timer, "Set a timer for an hour and a half.")["properties"]["minutes"]["enum"] == [90]
    assert copy_schema(timer, "Set a timer for 12 minutes.")["properties"]["minutes"]["enum"] == [12]
    room = _required(hours={"type": "number"})
    assert copy_schema(room, "Book it for 90 minutes.")["properties"]["hours"]["enum"] == [1.5]
    # how often is no length, and a day is no exact count of months
    assert not copyable(timer, [], "Remind me twice a day.")
    months = _required(months={"type": "integer"})
    assert copy_schema(months, "A loan over 3 years.")["properties"]["months"]["enum"] == [36]
    assert not copyable(months, [], "Pay it within a week.")


def test_a_country_is_a_country_the_text_names_never_a_city_or_a_language():
    visa = _required(
        passport={"type": "string", "description": "Country that issued the passport."},
        destination={"type": "string", "description": "Country being visited."},
    )
    assert not copyable(visa, [], "How long is a flight from Paris to New York usually?")
    assert not copyable(visa, [], 'Translate "thank you" into Spanish.')
    text = "Does a German citizen need a visa for Brazil?"
    assert copyable(visa, [], text)
    assert "Germany" in copy_schema(visa, text)["properties"]["passport"]["enum"]
    assert names_for("passport", visa["properties"]["passport"], "Is a Spanish passport enough?") == ["Spain"]


def test_a_title_beside_a_date_takes_no_piece_of_the_date():
    event = _required(
        title={"type": "string", "description": "Short name of the event."},
        date={"type": "string", "format": "date"},
        start_time={"type": "string", "description": "Start time as HH:MM, 24-hour clock."},
    )
    titles = copy_schema(event, "Schedule a dentist appointment on December 9 at 10:30.")["properties"]["title"]["enum"]
    assert "dentist appointment" in titles
    assert not {"December", "9", "10 30", "9 at 10"} & set(titles)


def test_an_optional_number_written_in_its_own_unit_is_written():
    tip = {
        "type": "object",
        "properties": {
            "bill": {"type": "number"},
            "percent": {"type": "number", "description": "Tip percentage."},
            "people": {"type": "integer"},
        },
        "required": ["bill"],
    }
    copied = copy_schema(tip, "Split a $120 dinner between 4 people with a 20% tip.")
    assert copied["required"] == ["bill", "percent"] and copied["properties"]["percent"]["enum"] == [20]
    assert "percent" not in copy_schema(tip, "How much should I tip on an $84 bill?").get("required", [])
    timer = {"type": "object", "properties": {"label": {"type": "string"}, "minutes": {"type": "integer"}}}
    timer["required"] = ["label"]
    assert copy_schema(timer, "Start the pasta timer for half an hour.")["required"] == ["label", "minutes"]


def test_code_is_copied_whole_where_a_parameter_takes_code():
    check = _required(text={"type": "string", "description": "The JSON text to check."})
    assert copy_schema(check, 'Is {"a": 1} valid JSON?')["properties"]["text"]["enum"] == ['{"a": 1}']
    assert copy_schema(check, "Check if this is valid JSON: [1, 2,]")["properties"]["text"]["enum"] == ["[1, 2,]"]
    regex = _required(pattern={"type": "string"}, text={"type": "string", "description": "The text to search."})
    props = copy_schema(regex, 'Does the regex ^a.*z$ match "amazing buzz"?')["properties"]
    assert props["pattern"]["enum"] == ["^a.*z$"] and "amazing buzz" in props["text"]["enum"]
    # no parameter takes code: prose keeps its spans, and "$50" is money, not code
    words = _required(text={"type": "string"})
    assert "^a.*z$" not in copy_schema(words, "Count the words in ^a.*z$ please")["properties"]["text"]["enum"]


def test_a_number_with_a_default_is_never_made_up():
    uuids = {"type": "object", "properties": {"count": {"type": "integer", "default": 1, "maximum": 10}}}
    assert copy_schema(uuids, "Generate a UUID.")["properties"] == {}
    assert copy_schema(uuids, "Give me 3 UUIDs.")["properties"]["count"]["enum"] == [3]


def test_a_tool_that_works_on_a_text_waits_for_one():
    from toolken.tools import Tool
    from toolken.unasked import unshown_text

    text = {"type": "string", "description": "The text to check."}
    spell = Tool("spell_check", "Find spelling mistakes in a text.", schema_of(["text"], text=text))
    assert unshown_text(spell, "Should I keep my savings in a bank or invest them?")
    assert unshown_text(spell, "Recommend a good book about money.")
    assert not unshown_text(spell, "Check the spelling of this: I will recieve it tomorow.")
    assert not unshown_text(spell, "Any typos in 'Teh meeting is at noon'?")  # quoted
    assert not unshown_text(spell, "Are there spelling mistakes in my draft?")  # a word of the tool's
    algorithms = {"type": "string", "enum": ["md5", "sha256"]}
    hashing = Tool("hash_text", "Compute the hash of a text.", schema_of(["text"], text=text, algorithm=algorithms))
    assert not unshown_text(hashing, "Give me the md5 of password123.")  # a choice of the tool's named
    city = Tool("weather", "Weather of a city.", schema_of(["city"], city={"type": "string"}))
    assert not unshown_text(city, "Should I keep my savings in a bank?")  # no text to work on: not this gate


def test_a_month_is_read_as_its_parameter_lays_it_out():
    today = datetime.date(2026, 12, 5)
    assert months_in("groceries in March 2026", today) == ["2026-03-01"]
    assert months_in("in 2026-10 and 03/2025", today) == ["2026-10-01", "2025-03-01"]
    assert months_in("last month", today) == ["2026-11-01"] and months_in("next month", today) == ["2027-01-01"]
    assert months_in("spending for March", today) == ["2027-03-01"]  # the coming March
    assert months_in("spending for March", today, past=True) == ["2026-03-01"]  # or the last one
    assert months_in("from October 1, 2019, to October 31, 2019", today) == ["2019-10-01"]  # the month of its days
    assert months_in("May I see my balance?", today) == []  # a name alone only after a preposition
    assert month_format({"type": "string", "description": "Month as YYYY-MM."}) == "%Y-%m"
    assert month_format({"type": "string", "pattern": r"^\d{2}/\d{4}$"}) == "%m/%Y"
    assert month_format({"type": "string", "description": "Day as YYYY-MM-DD."}) is None
    assert month_format({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}) is None
    spent = schema_of(
        ["category", "month"],
        category={"type": "string", "enum": ["groceries", "dining"]},
        month={"type": "string", "pattern": r"^\d{4}-\d{2}$", "description": "Month as YYYY-MM."},
    )
    question = "How much did I spend on groceries in March 2026?"
    assert copy_schema(spent, question)["properties"]["month"]["enum"] == ["2026-03"]
    assert copyable(spent, numbers_in(question), question)  # the pattern's gate reads the month too
    assert not copyable(spent, [], "How much did I spend on groceries?")
    drawn = [draw_value("month", spent["properties"]["month"], random.Random(seed)) for seed in range(20)]
    assert all(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v) for v, _ in drawn)  # real months, not "8373-19"
    assert any(said == f"{MONTHS[int(v[5:]) - 1]} {v[:4]}" for v, said in drawn)  # some said in words


def test_a_name_whose_examples_end_in_a_number_is_copied_with_the_number_written_after_it():
    course = {"type": "string", "description": "Course name, such as Biology 101."}
    schema = schema_of(["course"], course=course)
    assert copy_schema(schema, "What homework do I have for Chemistry 201?")["properties"]["course"]["enum"] == [
        "Chemistry 201"
    ]
    assert copy_schema(schema, "Any assignments due in World History?")["properties"]["course"]["enum"] == [
        "World History"
    ]  # no number written: the name alone
    plain = schema_of(["course"], course={"type": "string", "description": "Course name."})
    assert copy_schema(plain, "What homework do I have for Chemistry 201?")["properties"]["course"]["enum"] == [
        "Chemistry"
    ]  # no example says a number belongs to it


def test_an_optional_number_offered_only_a_required_one_s_number_is_not_said():
    percent = {"type": "number", "description": "in percent"}
    mortgage = schema_of(["price", "deposit_percent", "years"], price={"type": "number"},
                         deposit_percent=percent, years={"type": "integer"}, rate_percent=percent)  # fmt: skip
    text = "What would the monthly payment be on a 300,000 home with 20% down over 25 years?"
    assert "rate_percent" not in copy_schema(mortgage, text)["required"]  # "20% down" is the deposit's
    text = "Mortgage for a 450k flat, 10 percent deposit, 30 years at 3.5%?"
    assert "rate_percent" in copy_schema(mortgage, text)["required"]  # a rate of its own to say


def test_a_street_written_street_first_is_an_address_and_the_other_end_a_named_place():
    from toolken.literals import addresses_in

    assert addresses_in("from 5 Via della Spiga, Milan to the station") == ["5 Via della Spiga, Milan"]
    assert addresses_in("2 Avenue Montaigne, Paris") == ["2 Avenue Montaigne, Paris"]
    assert addresses_in("12 Main Street") == ["12 Main Street"]
    place = {"type": "string", "description": "A street address."}
    trip = schema_of(["from_address", "to_address"], from_address=place, to_address=place)
    props = copy_schema(trip, "Travel time between 12 Rue Cler and La Défense?")["properties"]
    assert {"12 Rue Cler", "La Défense"} <= set(props["from_address"]["enum"]) == set(props["to_address"]["enum"])
    props = copy_schema(trip, "Commute from 12 Main Street to 400 Oak Avenue?")["properties"]
    assert props["from_address"]["enum"] == ["12 Main Street"] and props["to_address"]["enum"] == ["400 Oak Avenue"]


def test_a_city_is_no_country_but_a_wider_place_may_be():
    city = {"type": "string", "description": "The city."}
    assert names_for("city", city, "What currency does Japan use?") == []
    assert names_for("city", city, "What time is it in Tokyo, Japan?") == ["Tokyo"]
    assert names_for("city", city, "Sunrise in Singapore tomorrow?") == ["Singapore"]  # a city-state is both
    wider = {"type": "string", "description": "City or country."}
    assert names_for("location", wider, "Weather in Japan?") == ["Japan"]
    trip = {"type": "string", "description": "Where the trip goes."}
    assert names_for("destination", trip, "Pack for 3 nights in Iceland.") == ["Iceland"]


def test_thanks_or_a_greeting_alone_asks_no_tool():
    from toolken.tools import Tool
    from toolken.unasked import only_thanks, unasked

    for text in (
        "Thanks, that fixed it!",
        "Thank you, that's all.",
        "Good morning!",
        "Hi there!",
        "Perfect, that works.",
    ):
        assert only_thanks(text), text
    asking = ["Thanks! Now reset the password for bob.", "Great, I need a taxi.", "Hello, book a table for 2."]
    asking += ["Okay, set an alarm for 7.", "Thanks, what about Paris?", "Hi, what's the weather in Rome?"]
    for text in asking:
        assert not only_thanks(text), text
    reset = Tool("reset_password", "Reset a password.", schema_of(["username"], username={"type": "string"}), None)
    assert unasked(reset, "Thanks, that fixed it!") and not unasked(reset, "Reset the password for j.smith.")


def test_the_verb_after_a_questions_auxiliary_and_subject_is_no_value():
    assert spans_in("How should I store insulin?") == ["insulin"]
    assert "New Year" in spans_in("Why do we celebrate New Year?") and "celebrate" not in spans_in(
        "Why do we celebrate New Year?"
    )
    assert "Paris" in spans_in("Can you book Paris for me?")  # "you book": the verb only, its object stays


def test_two_free_strings_need_two_values_the_text_gives():
    from toolken.firing import strings_short
    from toolken.tools import Tool

    free = {"type": "string"}
    pair = Tool(
        "check_interaction",
        "Whether two drugs interact.",
        schema_of(["drug_a", "drug_b"], drug_a=free, drug_b=free),
        None,
    )
    assert strings_short(pair, "How should I store insulin?")
    assert not strings_short(pair, "Can I take warfarin with aspirin?")
    rid = {"type": "string", "pattern": "^R[0-9]{6}$"}
    back = Tool("return_bike", "Return a bike.", schema_of(["rental_id", "station"], rental_id=rid, station=free), None)
    assert strings_short(back, "The chain on R204518 keeps slipping.")  # the code is the rental's: no station
    assert not strings_short(back, "Return R204518 at Museum Park.")
    one = Tool("drug_info", "About a drug.", schema_of(["drug"], drug=free), None)
    assert not strings_short(one, "How should I store insulin?")  # one value for one string
    songs = {"type": "array", "items": {"type": "string"}}
    name = {"type": "string", "description": "The playlist's name."}
    playlist = Tool("create_playlist", "Create a playlist.", schema_of(["name", "songs"], name=name, songs=songs), None)
    assert strings_short(playlist, "Next song please.")  # a list of strings counts as one more string
    assert not strings_short(playlist, "Make a playlist called Road Trip with Africa and Wonderwall.")


def test_a_parameter_named_for_a_link_whose_examples_are_codes_takes_the_code():
    from toolken.literals import literal_kind

    host = {"type": "string", "description": "The laptop's hostname, such as LT-0423."}
    assert literal_kind("hostname", host) is None
    assert literal_kind("hostname", {"type": "string", "description": "The host, e.g. api.example.com"}) == "domain"
    assert (
        literal_kind("url", {"type": "string", "description": "The URL, including the protocol (e.g., 'https')."})
        == "url"
    )
    schema = schema_of(["hostname"], hostname=host)
    assert copy_schema(schema, "Install Slack on LT-0423.")["properties"]["hostname"]["enum"] == ["LT-0423"]
    assert copyable(schema, [], "Install Slack on LT-0423.")


def test_a_one_word_choice_is_named_as_two_words_too():
    apps = {"type": "string", "enum": ["zoom", "slack", "vscode"]}
    assert copy_schema(schema_of(["package"], package=apps), "Please put VS Code on LT-1187.")["properties"]["package"][
        "enum"
    ] == ["vscode"]
    assert named_in(["vscode"], "install vs-code") and not named_in(["zoom"], "zo om")  # four letters: never split


def test_an_optional_count_takes_a_number_written_before_what_it_counts():
    from toolken.asked import counted_nouns

    room = schema_of(
        ["room_number", "item"],
        room_number={"type": "integer"},
        item={"type": "string"},
        quantity={"type": "integer", "description": "How many.", "default": 1},
    )
    out = copy_schema(room, "Send two club sandwiches to room 412.")
    assert out["properties"]["quantity"]["enum"] == [2] and "quantity" in out["required"]
    assert "quantity" not in copy_schema(room, "Can I get a pot of coffee in room 208?")["properties"]
    assert counted_nouns("number_of_rooms", {}) == {"room", "rooms"} and counted_nouns("city", {}) is None
    cost = schema_of(
        ["procedure"],
        procedure={"type": "string", "enum": ["filling", "crown"]},
        teeth={"type": "integer", "description": "How many teeth it is for."},
    )
    assert copy_schema(cost, "How much do two fillings cost?")["properties"]["teeth"]["enum"] == [2]  # a choice counted
    assert "person" in counted_nouns("number_of_adults", {"description": "Number of adults."})
    # a count of times a year counts no years ("over 10 years"), a count of faces no dice ("two dice")
    rate = schema_of(
        ["years"],
        years={"type": "integer"},
        compounds_per_year={"type": "integer", "description": "Number of times interest is compounded per year."},
    )
    assert "compounds_per_year" not in copy_schema(rate, "The future value over 10 years and 5 months.").get("required")


def test_how_a_thing_is_made_is_asked_of_no_tool_and_a_tool_that_subscribes_to_a_thing_acts():
    from toolken.descriptions import acts
    from toolken.tools import Tool
    from toolken.unasked import asks_why, unrequested_action

    search = Tool("search_podcasts", "Search podcasts by topic.", schema_of(["query"], query={"type": "string"}), None)
    assert asks_why(search, "How are podcasts made?") and not asks_why(
        search, "Find podcasts about how cheese is made."
    )
    follow = Tool("subscribe", "Subscribe to a show.", schema_of(["show"], show={"type": "string"}), None)
    assert acts(follow) and unrequested_action(follow, "Who hosts The Daily?")
    arm = Tool(
        "arm_alarm", "Arm the house alarm.", schema_of(["mode"], mode={"type": "string", "enum": ["home"]}), None
    )
    assert unrequested_action(arm, "What should I do if my alarm goes off by mistake?")
    drop = Tool("drop_course", "Drop a course.", schema_of(["course_code"], course_code={"type": "string"}), None)
    assert unrequested_action(drop, "Is there still room in PHYS201?") and not unrequested_action(drop, "Drop PHYS201.")


def test_a_count_of_words_shows_no_text_to_count_them_in():
    from toolken.tools import Tool
    from toolken.unasked import unshown_text

    count = Tool("word_count", "Count the words in a text.", schema_of(["text"], text={"type": "string"}), None)
    assert unshown_text(count, "What would 1,200 words cost?")
    assert not unshown_text(count, "How many words are in: 'The quick brown fox'?")
    sha = Tool("hash_text", "The SHA-256 hash of a text.", schema_of(["text"], text={"type": "string"}), None)
    assert not unshown_text(sha, "What is the SHA-256 hash of hello world?")


def test_a_long_number_in_groups_is_a_shape():
    hold = schema_of(["isbn"], isbn={"type": "string", "description": "The book's ISBN, e.g. 978-0-14-118776-1."})
    text = "Reserve ISBN 978-1-4028-9462-6, I'll collect it at Central."
    assert copy_schema(hold, text)["properties"]["isbn"]["enum"] == ["978-1-4028-9462-6"]  # not "ISBN 978-..."
    assert [m.group(0) for m in shape_pattern("978-0-14-118776-1").finditer("0-306-40615-2, 2026-12-10")] == []
    assert not copyable(hold, [], "How do ISBNs work?")


def test_a_name_written_after_about_is_a_topic_not_a_maker():
    author = {"type": "string", "description": "The author's name."}
    search = schema_of(["query"], query={"type": "string"}, author=author)
    assert "author" not in copy_schema(search, "Do you have any books about the Roman Empire?")["properties"]
    assert copy_schema(search, "Find novels by Toni Morrison.")["properties"]["author"]["enum"] == ["Toni Morrison"]
    query = copy_schema(search, "Any books about the Roman Empire?")["properties"]["query"]["enum"]
    assert "Roman Empire" in query and "about" not in query and "books about" not in query


def test_an_events_title_is_the_thing_a_request_to_add_one_writes():
    event = schema_of(
        ["title", "date"],
        title={"type": "string", "description": "What the event is."},
        date={"type": "string", "format": "date"},
    )

    def title(text: str) -> list:
        return copy_schema(event, text)["properties"]["title"]["enum"]

    assert title("Add a meeting with the design team on 2026-12-10 at 15:00.") == ["meeting with the design team"]
    assert title("Schedule a call with Tom on 2027-03-02.") == ["call with Tom"]
    assert title("Create an event called Launch party on 2027-06-03.") == ["Launch party"]
    assert title('Schedule a meeting titled "Budget review" on 2027-02-01.') == ["Budget review"]  # its name


def test_a_servers_name_and_number_is_a_shape_not_a_host_name():
    disk = schema_of(["host"], host={"type": "string", "description": "The server's hostname, e.g. web-01."})
    assert copy_schema(disk, "How full is the disk on db-02?")["properties"]["host"]["enum"] == ["db-02"]
    assert not copyable(disk, [], "How do I free disk space?")


def test_a_recipes_name_is_its_dish_and_a_projects_name_no_persons():
    from toolken.values import names_a_thing, pool_name

    recipe = {"type": "string", "description": "The saved recipe's name."}
    assert pool_name("recipe", recipe) == "food" and not names_a_thing("recipe", recipe)
    scale = schema_of(["recipe", "servings"], recipe=recipe, servings={"type": "integer"})
    assert "lasagna" in copy_schema(scale, "Scale my lasagna recipe to 8 servings.")["properties"]["recipe"]["enum"]
    assert copyable(scale, [8], "Scale my lasagna recipe to 8 servings.")  # no capitalised name needed
    project = {"type": "string", "description": "The project name."}
    assert pool_name("project", project) == "thing"
    assert pool_name("owner", {"type": "string", "description": "The owner's name."}) == "person"


def test_a_request_for_a_message_or_a_question_of_a_deploy_asks_no_deploy():
    from toolken.tools import Tool
    from toolken.unasked import unasked

    deploy = Tool("deploy", "Deploy a git branch.", schema_of(["branch"], branch={"type": "string"}))
    assert unasked(deploy, "Write me a commit message for a typo fix.")
    assert unasked(deploy, "Should we use Docker for local development?")
    assert not unasked(deploy, "Deploy feature/checkout to staging.")
    email = Tool("send_email", "Send an email.", schema_of(["to"], to={"type": "string"}))
    assert not unasked(email, "Write an email to bob@example.com saying hi.")  # a tool that writes them
    remove = Tool("remove_item", "Remove an item from the list.", schema_of(["item"], item={"type": "string"}))
    assert unasked(remove, "Put 6 eggs on the list.") and unasked(remove, "Please add milk.")  # the contrary deed
    assert not unasked(remove, "Remove the yogurt.")
    lock = Tool("lock_door", "Lock a door.", schema_of(["door"], door={"type": "string"}))
    assert unasked(lock, "Unlock the front door.") and not unasked(lock, "Lock the front door.")
    resume = Tool("continue_watching", "Resume the last show that was being watched.", {"type": "object"})
    assert unasked(resume, "Is The Office worth watching?") and not unasked(resume, "Resume my show.")


def test_a_dates_numbers_count_nothing():
    assert numbers_in("Bella needs a vet visit on 2027-01-04 for her annual checkup.") == []
    walk = schema_of(["pet_name", "minutes"], pet_name={"type": "string"}, minutes={"type": "integer"})
    text = "Bella needs a vet visit on 2027-01-04 for her annual checkup."
    assert not copyable(walk, numbers_in(text), text)
    assert numbers_in("Log 30 minutes on 2027-01-04.") == [30]


def test_a_verb_opening_a_sentence_before_a_number_is_no_name():
    assert names_in("Claim 18 euros for meals.") == [] and names_in("Log 30 minutes for Luna.") == ["Luna"]
    assert names_in("Paris 3 day trip ideas") == ["Paris"]


def test_an_amount_in_a_currencys_code_is_money_not_a_length():
    from toolken.units import quantity_at

    text = "Expense a 610 CHF flight."
    assert quantity_at(text, text.index("610"), text.index("610") + 3) == "money"
    mileage = schema_of(["km"], km={"type": "number", "description": "Kilometres driven."})
    assert not copyable(mileage, numbers_in(text), text)
    assert quantity_at("2 cup of flour", 0, 1) != "money"  # CUP is a currency's code only in capitals


def test_a_tickets_title_and_resolution_are_the_texts_told_around_the_request():
    from toolken.free_strings import shown_text

    title = {"type": "string", "description": "A short summary of the problem."}
    text = "Open a ticket: customers can't log in with Google, high priority."
    assert shown_text("title", title, text) == ["customers can't log in with Google"]  # its priority left out
    text = "The mobile app crashes when uploading photos, please file a ticket."
    assert shown_text("title", title, text) == ["The mobile app crashes when uploading photos"]
    resolution = {"type": "string", "description": "How it was solved."}
    assert shown_text("resolution", resolution, "Close TCK-19833, the cache was cleared.") == ["the cache was cleared"]
    assert shown_text("resolution", resolution, "Close TCK-19833 now.") == []


def test_old_and_new_values_are_a_ranges_ends():
    change = schema_of(["old", "new"], old={"type": "number"}, new={"type": "number"})
    text = "By what percent did the price go from 80 to 100?"
    props = keyed_schema(copy_schema(change, text), text)["properties"]
    assert props["old"]["enum"] == [80] and props["new"]["enum"] == [100]


def test_a_scaled_amount_is_no_length_and_please_no_value():
    from toolken.units import quantity_at

    text = "Any listings in Bellevue below 1.2M with 4 bedrooms?"
    assert quantity_at(text, text.index("1.2"), text.index("1.2") + 3) is None  # 1.2 million, not metres
    listings = schema_of(["city", "max_price"], city={"type": "string"}, max_price={"type": "number"})
    assert 1200000 in copy_schema(listings, text)["properties"]["max_price"]["enum"]
    assert spans_in("Next song please.") == ["song"]  # no "please", nor "song please"


def test_a_code_with_a_year_inside_is_no_date_layout_and_a_username_no_persons_name():
    from toolken.shapes import required_shape
    from toolken.values import names_a_thing, pool_name

    ticket = {"type": "string", "description": "The fine's ticket number, e.g. PF-2025-00831."}
    assert required_shape("ticket_number", ticket) == ["PF-2025-00831"]
    assert not copyable(schema_of(["ticket_number"], ticket_number=ticket), [], "Any cheap parking near the stadium?")
    user = {"type": "string", "description": "The learner's username."}
    assert pool_name("user", user) == "thing" and not names_a_thing("user", user)
    assert pool_name("user", {"type": "string", "description": "The user."}) == "person"


def test_a_rate_is_a_count_per_its_unit_and_counts_nothing_else():
    from toolken.asked import counting_numbers

    per_day = {"type": "integer", "description": "Number of pills taken per day."}
    text = "I've got ten atorvastatin tablets left, one a day."
    assert counting_numbers("doses_per_day", per_day, [10, 1], text, {"tablets"}) == [1]  # "ten tablets" is none
    nights = {"type": "integer", "description": "Number of nights to stay."}
    assert counting_numbers("nights", nights, [120], "hotels under 120 a night") == []  # a price per night
    assert counting_numbers("nights", nights, [3], "a room for 3 nights") == [3]


def test_a_pronoun_alone_is_no_value():
    spans = spans_in("Add a reminder for my inhaler at 9pm, 2 puffs")
    assert "my" not in spans and "inhaler" in spans
    assert "me" not in spans_in("Tell me the local time in Nairobi.")
    spans = spans_in("what's a good length for an episode? is it worth it if I don't own much?")
    assert not {"what", "what's", "I", "don't"} & set(spans) and "length" in spans
    assert "Luigi" in spans_in("Does Luigi's have a table for 4?")  # a name's possessive still offers the name


def test_a_question_without_its_mark_still_only_asks():
    from toolken.tools import Tool
    from toolken.unasked import only_asks, unrequested_action

    assert only_asks("what's the price for a premium car from the Bayside Hotel to Pier 39")
    assert not only_asks("what's the price? book it.")
    ride = Tool("request_ride", "Request a ride between two places.", schema_of(["pickup"], pickup={"type": "string"}))
    assert unrequested_action(ride, "what's the price for a car from the Bayside Hotel to Pier 39")


def test_an_optional_choice_whose_words_the_question_all_writes_is_said():
    from toolken.copying import copy_schema
    from toolken.enum_names import spelled_in

    values = ["check_in_time", "check_out_time", "amenities"]
    assert spelled_in(values, "What time can I check in at the Sandpiper Resort?") == ["check_in_time"]
    assert spelled_in(["it-IT", "en-US"], "Convert it to audio") == []  # no word that tells
    info = {"type": "object", "required": ["hotel"], "properties": {
        "hotel": {"type": "string"}, "info": {"type": "string", "enum": values, "default": "amenities"}}}  # fmt: skip
    narrowed = copy_schema(info, "What time can I check in at the Sandpiper Resort?")
    assert narrowed["properties"]["info"]["enum"] == ["check_in_time"] and "info" in narrowed["required"]


def test_a_password_is_copied_only_as_written_and_its_tool_needs_one():
    from toolken.gate import copyable
    from toolken.literals import literal_kind, literals_in

    assert literal_kind("password", {"type": "string"}) == "secret"
    assert literals_in("secret", "Is hunter2 a good password?") == ["hunter2"]
    assert literals_in("secret", "How strong is the password 'sunshine'?") == ["sunshine"]
    assert literals_in("secret", "and use a secure password 123123.") == ["123123"]
    assert literals_in("secret", "How often should I change my passwords?") == []
    rate = schema_of(["password"], password={"type": "string", "description": "The password to rate."})
    assert not copyable(rate, [], "Are password managers safe?")  # no password to rate
    assert copyable(rate, [], "Rate my password: Tr0ub4dor&3")


def test_a_name_whose_examples_are_names_copies_a_name():
    from toolken.copying import copy_schema

    area = {"type": "string", "description": 'Neighborhood or district to deliver from, e.g. "Midtown".'}
    schema = schema_of(["cuisine", "area"], cuisine={"type": "string"}, area=area)
    narrowed = copy_schema(schema, "Find me sushi spots around Riverside rated at least 4.5")
    assert narrowed["properties"]["area"]["enum"] == ["Riverside"]  # not "spots"
    expertise = {"type": "string", "description": "Area of legal expertise. For example, 'Marriage', 'Criminal'."}
    lawyer = schema_of(["location", "expertise"], location={"type": "string"}, expertise=expertise)
    assert "divorce" in copy_schema(lawyer, "Search for divorce law specialists in Los Angeles")["properties"][
        "expertise"]["enum"]  # a field of law is no name  # fmt: skip


def test_an_id_written_in_another_shape_than_its_examples_still_opens_its_tool():
    from toolken.gate import copyable

    order = {"type": "string", "description": 'The order identifier, e.g. "ORD-1234".'}
    track = schema_of(["order_id"], order_id=order)
    assert copyable(track, [], "status of order 7734-B please")  # an id, though not shaped "ORD-1234"
    assert not copyable(track, [], "what's a customary tip for delivery drivers?")
    repo = schema_of(["repo"], repo={"type": "string", "description": "Repository as owner/name, e.g. torvalds/linux"})
    assert not copyable(repo, [], "How popular is flask 2?")  # a shape, and no id: still shut


def test_enum_values_named_as_people_write_them():
    from toolken.enum_names import enum_pattern

    assert enum_pattern("keg").search("Schedule B-109 for kegging") and enum_pattern("hem").search("needs hemming")
    assert enum_pattern("heavy").search("heavily soiled denim") and enum_pattern("light").search("lightly used")
    assert not enum_pattern("final").search("finally done") and not enum_pattern("real").search("really good")
    assert enum_pattern("color").search("printed in colour") and enum_pattern("meter").search("price per metre")
    assert enum_pattern("take_in").search("hemming and taking in") and enum_pattern("let_out").search("letting out")
    assert enum_pattern("O-").search("how are O negative stocks") and not enum_pattern("O-").search("go negative")
    assert not enum_pattern("open_now").search("openned now")  # "open" has two syllables: no doubling


def test_a_switch_said_by_its_words_in_either_spelling_and_without_only():
    from toolken.switches import said_boolean

    assert said_boolean("only_idle", "which printers are idle right now") is True
    assert said_boolean("color", "floorplan_v2.pdf printed on A3 in colour") is True
    assert said_boolean("color_only", "Show me all the colour printers on floor 3") is True


def test_a_colour_parameter_copies_only_colours():
    color = {"type": "string", "description": "Colour to filter on."}
    swatches = schema_of([], color=color, material={"type": "string"})
    assert "color" not in copy_schema(swatches, "what linen fabrics have you got under $30 a metre")["properties"]
    assert copy_schema(swatches, "show me the navy wool swatches")["properties"]["color"]["enum"] == ["navy"]
    named = copy_schema(swatches, "Sea Green or light blue?")["properties"]["color"]["enum"]
    assert named == ["Sea Green", "light blue", "blue"]


def test_one_written_number_is_one_parameter_s_in_any_of_its_readings():
    from toolken.distinct import distinct_values

    printing = schema_of(["volume"], volume={"type": "number"}, infill_percent={"type": "integer"},
                         layer_height_mm={"type": "number"})  # fmt: skip
    text = "how long would a 45 cm3 model take at 30% infill"
    variants = distinct_values(copy_schema(printing, text), text)
    variants = variants.get("anyOf", [variants])
    for v in variants:
        p = v["properties"]
        assert not ("infill_percent" in p and "layer_height_mm" in p and p["infill_percent"]["enum"] == [30]
                    and p["layer_height_mm"]["enum"] == [0.3])  # fmt: skip


def test_names_copied_whole_and_never_pronouns():
    region = {"type": "string", "description": 'Wine region, e.g. "Rioja" or "Marlborough".'}
    label = {"type": "string", "description": "Wine name on the label."}
    cellar = schema_of(["name", "region"], name=label, region=region)
    text = "Add 6 bottles of Château Musar 2015, region Bekaa Valley, to bin C-04"
    assert "C-04" not in copy_schema(cellar, text)["properties"]["region"]["enum"]  # a code is no region's name
    long = copy_schema(cellar, "log one bottle of Cloudy Bay Sauvignon Blanc 2022, Marlborough")
    assert "Cloudy Bay Sauvignon Blanc" in long["properties"]["name"]["enum"]
    bins = copy_schema(schema_of([], laundromat={"type": "string"}), "which machines are we on? everything in")
    assert not {"are", "we", "in", "everything"} & set(bins["properties"].get("laundromat", {}).get("enum", []))


def test_an_optional_string_left_only_the_tool_s_own_words_is_left_out():
    from toolken.grammar import without_own_words
    from toolken.tools import Tool

    cellar = Tool("search_cellar", "Search the wine cellar.", schema_of([], region={"type": "string"}))
    text = "show me everything in the cellar"
    assert "region" not in without_own_words(cellar, copy_schema(cellar.parameters, text))["properties"]
    rioja = without_own_words(cellar, copy_schema(cellar.parameters, "any wine from Rioja in the cellar"))
    assert "Rioja" in rioja["properties"]["region"]["enum"]


def test_an_example_written_in_the_plural_is_copied_as_the_example():
    from toolken.free_strings import written_examples

    style = {"type": "string", "description": 'Beer style, e.g. "stout", "IPA".'}
    assert written_examples(style, "show me all the stouts we've brewed") == ["stout"]
    assert written_examples(style, "any IPAs on tap?") == ["IPA"]
    assert written_examples({"type": "string", "description": "Room, e.g. living room."}, "for living rooms") == [
        "living room"
    ]


def test_a_number_in_a_unit_of_its_own_reads_no_percentage():
    printing = schema_of(["volume"], volume={"type": "number"}, infill_percent={"type": "integer", "default": 20},
                         layer_height_mm={"type": "number", "default": 0.2})  # fmt: skip
    copied = copy_schema(printing, "how long would a 45 cm3 model take at 30% infill")
    assert "layer_height_mm" not in copied.get("required", [])
    assert copied["properties"]["infill_percent"]["enum"] == [30]


def test_a_code_of_digits_letters_digits_writes_no_number_and_is_copied_as_a_code():
    assert numbers_in("can you find plate 7TRB219 for me") == [] and numbers_in("a 3D4 cube") == []
    assert numbers_in("a 800x600 image, 10k steps") == [800, 600, 10000]  # sizes and scales stay numbers
    plate = schema_of(["plate"], plate={"type": "string", "description": "The license plate, e.g. KLX-482."})
    assert copyable(plate, [], "can you find plate 7TRB219 for me")  # a code like the example, written unmarked
    assert copy_schema(plate, "can you find plate 7TRB219 for me")["properties"]["plate"]["enum"] == ["7TRB219"]
    assert not copyable(plate, [], "where can I park overnight?")


def test_an_enum_value_is_named_with_a_hyphen_after_its_first_letter():
    from toolken.enum_names import enum_pattern

    assert enum_pattern("ebike").search("rent an e-bike for 3 hours") and enum_pattern("xray").search("an X-ray")
    assert not enum_pattern("ebike").search("rent a bike")


def test_a_switch_named_by_a_participle_is_said_by_its_noun():
    assert said_boolean("insured", "how much is a root canal with insurance") is True
    assert said_boolean("insured", "a filling without insurance") is False
    assert said_boolean("delivered", "a cake with delivery please") is True
    assert said_boolean("insured", "how much is a root canal") is None


def test_a_tool_named_for_what_it_gives_does_not_act_by_its_first_word():
    from toolken.descriptions import acts
    from toolken.tools import Tool

    def order_total(item: str, quantity: int) -> float:
        """Total price in dollars of an order of one bakery item.

        Args:
            item: The item.
            quantity: How many.
        """
        return 0.0

    def order_pizza(size: str) -> str:
        """Order a pizza for delivery.

        Args:
            size: The size.
        """
        return ""

    assert not acts(Tool.from_function(order_total)) and acts(Tool.from_function(order_pizza))


def test_a_tool_that_takes_a_works_title_needs_one_written():
    book = schema_of(["title"], title={"type": "string", "description": "The title of the book."})
    assert copyable(book, [], "do you have Dune on the shelf") and copyable(book, [], "Is 'the road' in?")
    assert not copyable(book, [12], "my book is 12 days overdue, how much do I owe?")
    assert not copyable(book, [], "How do libraries decide which books to buy?")
    event = schema_of(["title"], title={"type": "string", "description": "The title of the event."})
    assert copyable(event, [], "add dentist appointment to my calendar")  # a title of one's own making


def test_a_count_of_nights_is_time_and_a_rate_per_kg_reads_no_kilograms():
    from toolken.metric import metric_reading

    berth = schema_of(["boat_length_m", "nights"], boat_length_m={"type": "number", "description": "Length in metres."},
                      nights={"type": "integer", "description": "Number of nights."})  # fmt: skip
    props = copy_schema(berth, "What's the fee for a 9m boat for 7 nights?")["properties"]
    assert props["boat_length_m"]["enum"] == [9] and props["nights"]["enum"] == [7]
    rate = {"type": "number", "description": "Milligrams per kilogram of body weight."}
    assert metric_reading("mg_per_kg", rate, "dose for a 70kg adult at 15 mg per kg please") is None


def test_a_switch_is_off_where_the_question_leaves_its_thing_out():
    assert said_boolean("kitchen", "How many boxes for 3 rooms, not counting the kitchen?") is False
    assert said_boolean("kitchen", "3 rooms except the kitchen") is False
    assert said_boolean("kitchen", "3 rooms including the kitchen") is True


def test_an_opinion_asks_no_tool_whose_words_it_does_not_write():
    from toolken.opinions import asks_advice
    from toolken.tools import Tool

    def check_stock(medicine: str) -> str:
        """Check whether a medicine is in stock at the pharmacy.

        Args:
            medicine: The medicine.
        """
        return ""

    stock = Tool.from_function(check_stock)
    assert asks_advice(stock, "Is it safe to take ibuprofen with coffee?")
    assert asks_advice(stock, "Should I see a doctor for a cough that's lasted two weeks?")
    assert asks_advice(stock, "Roses or tulips for a first date, what do you think?")
    assert not asks_advice(stock, "Is ibuprofen in stock?") and not asks_advice(
        stock, "Should I check the stock of ibuprofen?"
    )
    assert not asks_advice(stock, "How often should I take ibuprofen?")  # a quantity a tool may give
    assert asks_advice(stock, "Is chocolate really that bad for dogs?")
    assert asks_advice(stock, "Which flowers are poisonous to cats?")
    assert not asks_advice(stock, "Is Paris safe for tourists?")  # a place's safety may be a tool's


def test_a_works_title_in_lower_case_after_for_is_written():
    movie = schema_of(["movie"], movie={"type": "string", "description": "The movie title."})
    assert copyable(movie, [], "seats left for dune tonight?")
    assert not copyable(movie, [], "Can you recommend a good mystery novel for a long flight?")


def test_a_promo_code_is_a_code_written_not_any_word():
    promo = schema_of(["code"], code={"type": "string", "description": "The promo code."})
    assert copy_schema(promo, "Is promo code SHINE20 still valid?")["properties"]["code"]["enum"] == ["SHINE20"]
    assert not copyable(promo, [], "Can I take a convertible through a car wash?")
    bond = schema_of(["coupon_payment"], coupon_payment={"type": "number", "description": "The coupon payment."})
    assert copyable(bond, [100], "a bond with a coupon payment of $100")  # a bond's coupon is a number


def test_a_promo_code_is_drawn_as_a_code():
    from toolken.drawing import draw_value

    rng = random.Random(0)
    drawn = [draw_value("code", {"type": "string", "description": "The promo code."}, rng)[0] for _ in range(6)]
    assert all(re.fullmatch(r"[A-Z0-9]{2,8}", d) for d in drawn)


def test_values_a_description_lists_in_brackets_or_by_prefix_and_digits_are_copied():
    slots = {
        "type": "object",
        "properties": {
            "date": {"type": "string", "description": "Day, YYYY-MM-DD."},
            "dentist": {"type": "string", "description": "Surname (Patel, Okafor or Lindqvist).", "default": "any"},
            "style": {"type": "string", "enum": ["any", "yoga", "pilates"], "default": "any"},
        },
        "required": ["date"],
    }
    props = copy_schema(slots, "Are there any pilates slots on 2026-03-14 with Dr. Okafor?")["properties"]
    assert props["dentist"]["enum"] == ["Okafor"]  # the name the brackets list, not "Dr"
    assert props["style"]["enum"] == ["pilates"]  # "any" here is no choice of style
    loan = {
        "type": "object",
        "properties": {
            "card_number": {"type": "string", "description": 'Library card number, format "LC-" plus 6 digits.'},
            "item_id": {"type": "string", "description": 'Item ID, format "B" plus 4 digits.'},
        },
        "required": ["card_number", "item_id"],
    }
    props = copy_schema(loan, "I'd like to extend my loan (item B3305), library card LC-311072.")["properties"]
    assert props["card_number"]["enum"] == ["LC-311072"] and props["item_id"]["enum"] == ["B3305"]


def test_a_name_runs_whole_where_a_quoted_example_is_a_name_and_listed_ends_are_read_apart():
    search = {
        "type": "object",
        "properties": {"query": {"type": "string", "description": 'Words to match, e.g. "Le Guin" or "birds".'}},
        "required": ["query"],
    }
    offered = copy_schema(search, "Do you have Project Hail Mary on the shelf?")["properties"]["query"]["enum"]
    assert "Project Hail Mary" in offered
    routes = ["Oban-Craignure", "Largs-Cumbrae"]
    fare = {"type": "object", "properties": {"route": {"type": "string", "examples": routes}}, "required": ["route"]}
    for text in ("2 adults, Oban to Craignure, return?", "over to Craignure from Oban", "Largs-Cumbrae, one adult"):
        assert copy_schema(fare, text)["properties"]["route"]["enum"] in (["Oban-Craignure"], ["Largs-Cumbrae"]), text


def test_a_tool_whose_function_listed_its_values_is_shut_where_none_is_written():
    from toolken.gate import copyable

    route = {"type": "string", "examples": ["Oban-Craignure", "Largs-Cumbrae"], "x-listed": True}
    fare = {"type": "object", "properties": {"route": route}, "required": ["route"]}
    assert not copyable(fare, [], "Can you check booking K7P2QX?")
    assert copyable(fare, [], "a fare from Oban to Craignure")
    assert copyable(fare, [], "what does the Oban ferry cost")  # a word of a listed value
    shown = {"type": "object", "properties": {"route": {**route, "x-listed": False}}, "required": ["route"]}
    assert copyable(shown, [], "Can you check booking K7P2QX?")  # examples a user wrote only show values
    origin = {"type": "string", "examples": ["Kenya", "Colombia"], "x-listed": True}
    search = {"type": "object", "properties": {"origin": origin}, "required": []}
    assert copy_schema(search, "Delivery within the UK for 750 grams?")["properties"] == {}  # optional: left out
    assert copy_schema(search, "Anything from Colombia?")["properties"]["origin"]["enum"] == ["Colombia"]


def test_a_choice_named_only_as_a_word_before_another_is_that_ones_modifier():
    from toolken.enum_names import named_in

    assert named_in(["leak", "tap", "boiler"], "How much to fix a leaking tap?") == ["tap"]
    assert named_in(["leak", "tap"], "the tap is leaking") == ["leak", "tap"]
    assert named_in(["warn", "error"], "show warnings and errors") == ["warn", "error"]


def test_sizes_by_their_words_sides_by_by_and_digits_shown_by_placeholders():
    from toolken.enum_names import named_in

    assert named_in(["S", "M", "L", "XL"], "do you have the Trek FX 2 in a large?") == ["L"]
    assert named_in(["S", "M", "L", "XL"], "extra large please") == ["XL"]
    assert named_in(["ml", "l"], "a large bottle") == []  # litres, not sizes
    assert named_in(["5x5", "5x10", "10x10"], "Price for a 5 by 10 for 2 months?") == ["5x10"]
    assert named_in(["5x5", "5x10", "12x12"], "a five by ten, or twelve by twelve?") == ["5x10", "12x12"]
    order = {"type": "string", "description": "Order reference from the confirmation email, format FH-NNNNNN."}
    lookup = schema_of(["order_ref"], order_ref=order)
    offered = copy_schema(lookup, "can u check order FH-198802 under the name Lindqvist")
    assert offered["properties"]["order_ref"]["enum"] == ["FH-198802"]
    vet = {"type": "string", "description": 'Vet surname (Shah, Olsen, Byrne; a "Dr " prefix is fine) or "any".'}
    visit = {"type": "object", "properties": {"date": {"type": "string", "format": "date"}, "vet": vet}}
    visit["required"] = ["date"]
    props = copy_schema(visit, "any vaccination appointments with Dr Olsen on 2026-03-11?")["properties"]
    assert props["vet"]["enum"] == ["Olsen"]  # "any" there is a word of the question

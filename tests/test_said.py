"""Values said in words: numbers spelled over several words or before what they count, sizes, days that
make a switch true, the choices and ranges a description lists, a trip's ends, counts, and questions
that ask no tool (the assistant's own taste, an opinion, what usually holds, know-how)."""

from __future__ import annotations

import random

from toolken.ages import aged_choices, ages_in
from toolken.choices import as_described, closed_choices, with_described_range
from toolken.copying import copy_schema, said_boolean
from toolken.drawing import draw_value
from toolken.durations import duration_reading
from toolken.enum_names import echoed_in, named_in
from toolken.enumerations import described_choices
from toolken.firing import counting, fits_whole
from toolken.gate import copyable
from toolken.keyed import keyed_numbers
from toolken.lower_case import cased_names
from toolken.number_words import with_digits
from toolken.numerals import numbers_in
from toolken.opinions import asks_advice
from toolken.tools import Tool
from toolken.unasked import unasked
from toolken.values import described_examples

ROOM = {
    "type": "object",
    "properties": {
        "room": {"type": "string", "description": 'Meeting room: "Orion" (6 seats), "Vega" (12 seats) or "Atlas".'},
        "hours": {"type": "number", "description": "Booking length in hours."},
    },
    "required": ["room", "hours"],
}
LOCKER = {
    "type": "object",
    "properties": {
        "floor": {"type": "integer", "description": "Floor number, 1 to 3."},
        "size": {"type": "string", "enum": ["small", "large"], "default": "small"},
    },
    "required": ["floor"],
}


def _object(required: list[str], **props: dict) -> dict:
    """An object schema of `props`, `required` required."""
    return {"type": "object", "properties": props, "required": required}


def _tool(name: str, parameters: dict, description: str = "") -> Tool:
    return Tool(name, description or name.replace("_", " "), parameters, lambda **_: "ok")


def test_numbers_spelled_over_several_words_are_read_as_one():
    assert with_digits("Can I book Vega for two and a half hours?") == "Can I book Vega for 2.5 hours?"
    assert with_digits("Took us fifty two and a half minutes") == "Took us 52.5 minutes"
    assert with_digits("about an hour and a half") == "about 1.5 hour"
    assert with_digits("2 hours and a half") == "2.5 hours"
    assert with_digits("one hundred and twenty five dollars") == "125 dollars"
    assert with_digits("Fifty two people came.") == "52 people came."
    assert numbers_in(with_digits("one and a quarter cups")) == [1.25]
    assert with_digits("Probably two hours of work, five km away") == "Probably 2 hours of work, 5 km away"
    assert with_digits("play Seven Seconds twice a week") == "play Seven Seconds twice a week"


def test_number_words_alone_and_names_stay_as_written():
    for text in ("Twenty One Pilots tickets", "Is Ocean's Eleven on?", "which one is cheaper", "a half-day pass"):
        assert with_digits(text) == text
    assert numbers_in(with_digits("two and a half hours")) == [2.5]  # not 2 and 0.5


def test_a_number_word_counts_a_choice_and_fits_the_tool():
    assert counting({"medium"}, "one medium load on hot please") == {1}
    wash = {
        "type": "object",
        "properties": {
            "machine_size": {"type": "string", "enum": ["small", "medium", "large"]},
            "loads": {"type": "integer"},
        },
        "required": ["machine_size", "loads"],
    }
    assert fits_whole(wash, "one medium load on hot please, what do I owe")
    assert not fits_whole(wash, "what do I owe")


def test_a_value_is_named_by_its_everyday_word():
    assert named_in(["small", "large"], "need a big locker for my helmet") == ["large"]
    assert named_in(["small", "large"], "a tiny one will do") == ["small"]
    assert named_in(["small", "large"], "I'm a little late") == []  # "little" says more than size
    assert named_in(["child", "adult", "senior"], "Kids pass for 4 days please") == ["child"]
    frames = ["six_months", "year", "five_years"]  # as questions are read, in digits (`with_digits`)
    assert named_in(frames, with_digits("the last six months and the last five years")) == ["six_months", "five_years"]
    assert named_in(["single", "double", "king"], "2.5kg of synthetics") == []


def test_a_switch_is_true_where_the_question_writes_what_its_description_says_true_is_for():
    weekend = {"type": "boolean", "description": "True for Friday evening, Saturday or Sunday slots (+15%)."}
    assert said_boolean("weekend", "How much for 4 of us on a Saturday?", weekend) is True
    assert said_boolean("weekend", "party of 6, Sunday afternoon", weekend) is True
    assert said_boolean("weekend", "party of 6 on Tuesday", weekend) is None
    express = {"type": "boolean", "description": "True for same-day return, adds a flat 6.00."}
    assert said_boolean("express", "I need my laundry back same day, about 4 kg", express) is True
    outside = {"type": "boolean", "description": "True if shipping outside the EU."}
    assert said_boolean("international", "ship it within the EU", outside) is None  # a negated clause says nothing


def test_quoted_names_listed_with_or_are_choices_but_a_layout_is_not():
    assert closed_choices(ROOM["properties"]["room"]) == ["Orion", "Vega", "Atlas"]
    assert closed_choices({"type": "string", "description": 'Name, e.g. "Orion" or "Vega".'}) == []
    layout = {"type": "string", "description": "The city, in the format of 'City, State' or 'City, Country'."}
    assert closed_choices(layout) == []
    assert copy_schema(ROOM, "quote for orion, 1 hour")["properties"]["room"]["enum"] == ["Orion"]


def test_a_required_listed_choice_no_value_of_which_is_written_asks_nothing():
    room = _tool("meeting_room_quote", ROOM, "Quote a meeting room booking.")
    assert unasked(room, "need a big locker for my bike helmet, anything on floor 3?")
    assert not unasked(room, "Can I book Vega for 2 hours?")


def test_a_range_its_description_says_bounds_a_number():
    floor = LOCKER["properties"]["floor"]
    assert with_described_range(floor) == {**floor, "minimum": 1, "maximum": 3}
    assert with_described_range({"type": "integer", "description": "Players, between 2 and 6."})["maximum"] == 6
    for text in ("Number of children (3-15); under-3s are free.", "Time: 00:00-23:59", "Phone: 555-0142"):
        assert "minimum" not in with_described_range({"type": "integer", "description": text})
    assert copy_schema(LOCKER, "Book Vega for 2.5 hours for 8 people")["properties"]["floor"].get("enum") in (None, [])
    assert not copyable(LOCKER, [8], "lunch for 8 people")
    assert copyable(LOCKER, [3], "anything on floor 3?")
    rng = random.Random(0)
    assert all(1 <= draw_value("floor", as_described("floor", floor), rng)[0] <= 3 for _ in range(50))


def test_the_assistants_own_preference_asks_no_tool():
    details = _tool(
        "room_details", {"type": "object", "properties": {"room_name": {"type": "string"}}, "required": ["room_name"]}
    )
    assert asks_advice(details, "Which room would you personally pick for a team-building day?")
    assert asks_advice(details, "What's your favourite room?")
    assert not asks_advice(details, "How scary is the Haunted Manor?")
    assert not asks_advice(details, "Send the details by email if you prefer.")


def test_a_short_first_word_tells_a_value():
    values = ["leak", "blocked_drain", "boiler", "tap_replacement"]
    assert echoed_in(values, "Need a new tap fitted in the bathroom") == ["tap_replacement"]
    assert echoed_in(["new_build", "old_house"], "a new kitchen") == []  # "new" tells nothing


def test_a_stay_reads_a_week_as_seven_nights_but_never_as_hours():
    nights = {"type": "integer", "description": "Number of nights."}
    assert duration_reading("nights", nights, "campervan for a week, two adults") == [7]
    hours = {"type": "integer", "description": "Latest closing time, in hours."}
    assert duration_reading("operating_hours", hours, "a room for 3 nights") is None


def test_a_cell_code_is_copied_in_lower_case_too():
    pitch = {
        "type": "object",
        "properties": {"pitch_id": {"type": "string", "description": 'Pitch number from the site map, e.g. "B15".'}},
        "required": ["pitch_id"],
    }
    assert copyable(pitch, [], "does pitch c3 get any shade")
    assert copy_schema(pitch, "does pitch c3 get any shade")["properties"]["pitch_id"]["enum"] == ["c3"]
    assert not copyable(pitch, [], "is there shade near the lake")


def test_none_of_what_a_count_counts_is_zero():
    board = {
        "type": "object",
        "properties": {"escape_minutes": {"type": "number"}, "hints_used": {"type": "integer"}},
        "required": ["escape_minutes", "hints_used"],
    }
    text = with_digits("Took us fifty two and a half minutes, no hints at all")
    assert copyable(board, numbers_in(text), text)
    assert copy_schema(board, text)["properties"]["hints_used"]["enum"] == [0]
    assert not copyable(board, [52.5], "Took us 52.5 minutes")


def test_a_count_of_what_its_name_counts_fits_the_tool():
    pitch = {
        "type": "object",
        "properties": {
            "pitch_type": {"type": "string", "enum": ["tent", "caravan", "glamping_pod"]},
            "nights": {"type": "integer"},
            "adults": {"type": "integer"},
        },
        "required": ["pitch_type", "nights", "adults"],
    }
    assert fits_whole(pitch, "Glamping pod for 2 nights, 2 adults 1 child please")
    assert not fits_whole(pitch, "Glamping pod for 2, how much")


def test_a_switch_wanted_by_a_word_of_its_name_is_true():
    assert said_boolean("electric_hookup", "We've got a campervan and want hook-up") is True
    assert said_boolean("shoe_rental", "4 people bowling 2 games? we all need shoes") is True
    assert said_boolean("electric_hookup", "we don't want hook-up") is False
    assert said_boolean("hot_wash", "one medium load on hot please") is True


def test_me_and_one_other_are_two_people():
    lesson = {
        "type": "object",
        "properties": {
            "lesson_type": {"type": "string", "enum": ["group", "private"]},
            "hours": {"type": "number"},
            "people": {"type": "integer", "default": 1},
        },
        "required": ["lesson_type", "hours"],
    }
    text = with_digits("Private lesson for me and my wife, two hours - price?")
    assert copy_schema(lesson, text)["properties"]["people"]["enum"] == [2]
    assert "people" in copy_schema(lesson, text)["required"]  # said, so written
    assert "people" not in copy_schema(lesson, "Private lesson for me and my friends, 2 hours")["properties"]


def test_an_identifier_of_another_shape_is_an_ids_value_only_where_the_text_names_what_it_identifies():
    status = {
        "type": "object",
        "properties": {"ticket_id": {"type": "string", "description": 'Job ticket reference, e.g. "PL-4821".'}},
        "required": ["ticket_id"],
    }
    assert not copyable(status, [8], "Do you cover LS17 8QR?")
    assert copyable(status, [], "ticket pl5107, has a plumber been assigned yet?")
    assert copyable(status, [], "Any update on my job PL-4821?")


def test_a_code_of_letters_and_digits_is_no_hyphenated_word():
    voucher = {
        "type": "object",
        "properties": {"code": {"type": "string", "description": 'Voucher code, e.g. "ESC-B3X8".'}},
        "required": ["code"],
    }
    assert not copyable(voucher, [13], "Is Lab 13 hard? Thinking of it for a bunch of first-timers")
    assert copy_schema(voucher, "what's left on esc-k2p9?")["properties"]["code"]["enum"] == ["esc-k2p9"]


def test_places_of_a_question_in_lower_case_are_read_as_names():
    assert cased_names("single from millbrook to fenwick, how much?") == "single from Millbrook to Fenwick, how much?"
    assert cased_names("carrow halt to hawley bridge, how long?") == "Carrow Halt to Hawley Bridge, how long?"
    for text in ("ticket pl-5107", "get the subdomains from google.com", "mabar", "Trains from millbrook?"):
        assert cased_names(text) == text  # codes, links, a lone word, a text that capitalises
    fare = {
        "type": "object",
        "properties": {
            "from_station": {"type": "string", "description": 'Boarding station, e.g. "Millbrook".'},
            "to_station": {"type": "string", "description": 'Destination station, e.g. "Fenwick".'},
        },
        "required": ["from_station", "to_station"],
    }
    text = cased_names("single from millbrook to fenwick, how much?")
    assert copyable(fare, [], text)
    assert copy_schema(fare, text)["properties"]["from_station"]["enum"] == ["Millbrook"]


def test_words_of_an_opinions_form_name_no_tool():
    feeding = _tool(
        "get_feeding_times", {"type": "object", "properties": {"animal": {"type": "string"}}, "required": ["animal"]}
    )
    assert asks_advice(feeding, "what's the best time of day to see the animals being active?")
    assert not asks_advice(feeding, "what are the feeding times for the otters?")
    grade = _tool(
        "convert_boulder_grade", {"type": "object", "properties": {"grade": {"type": "string"}}, "required": ["grade"]}
    )
    assert asks_advice(grade, "Any warm-up routine you'd recommend before bouldering?")


def test_enum_values_by_hyphens_short_words_and_what_they_mean():
    assert named_in(["peak", "off_peak"], "what's an off-peak pass?") == ["off_peak"]  # not "peak" inside it
    assert named_in(["peak", "off_peak"], "a peak pass please") == ["peak"]
    assert echoed_in(["hem", "take_in", "shorten_sleeves", "replace_zip"], "new zip in my jacket, cost?") == [
        "replace_zip"
    ]
    direction = {
        "type": "string",
        "enum": ["northbound", "southbound"],
        "description": '"northbound" (towards Upper Dale) or "southbound" (towards Millbrook).',
    }
    assert described_choices("direction", direction, "when's the next one back towards Millbrook?") == ["southbound"]


def test_switches_by_their_thing_a_list_of_needs_and_a_negation_further_off():
    harness = {"type": "boolean", "description": "True to rent a harness for the roped walls."}
    assert said_boolean("harness_rental", "a day pass for a 16 year old? she'll need to rent shoes", harness) is None
    assert said_boolean("harness_rental", "an off-peak pass if I need shoes and a harness?", harness) is True
    passed = {"type": "boolean", "description": "True if the learner has passed the theory test."}
    assert said_boolean("theory_passed", "28 lessons in, haven't done the theory yet", passed) is False
    sides = {"type": "boolean", "description": "True to print on both sides of the sheet."}
    assert said_boolean("double_sided", "500 business cards, printed on both sides please", sides) is True


def test_a_unit_and_a_half_alone_and_a_strings_bare_number_left_to_the_number():
    assert with_digits("hour and a half ride on my monthly pass") == "1.5 hour ride on my monthly pass"
    gifts = {
        "type": "object",
        "properties": {"interest": {"type": "string"}, "budget": {"type": "number"}},
        "required": ["interest", "budget"],
    }
    interest = copy_schema(gifts, "Suggest a present for a chess fan, budget 100.")["properties"]["interest"]["enum"]
    assert "chess" in interest and "100" not in interest


def test_one_alone_and_a_single_thing_are_one():
    keeper = {
        "type": "object",
        "properties": {
            "experience": {"type": "string", "enum": ["keeper_for_a_day"]},
            "participants": {"type": "integer"},
        },
        "required": ["experience", "participants"],
    }
    text = "my daughter wants to do keeper for a day, just her on her own. how much is that"
    assert copyable(keeper, numbers_in(text), text)
    assert copy_schema(keeper, text)["properties"]["participants"]["enum"] == [1]
    lessons = {"type": "object", "properties": {"lessons": {"type": "integer"}}, "required": ["lessons"]}
    assert copyable(lessons, [], "Single automatic lesson - what does that cost?")
    assert not copyable(lessons, [], "single from millbrook, how much?")


def test_a_switch_by_the_words_its_description_sets_against_each_other():
    steam = {"type": "boolean", "description": "True for a steam engine, False for the heritage diesel."}
    assert said_boolean("steam_locomotive", "2 carriages for 2.5 hours, diesel rather than steam", steam) is False
    day_return = {"type": "boolean", "description": "True for a day return instead of a single."}
    assert said_boolean("return_trip", "child return millbrook to carrow halt", day_return) is True
    assert said_boolean("return_trip", "single from millbrook to fenwick", day_return) is None
    weekend = {"type": "boolean", "description": "True for Friday evening, Saturday or Sunday slots (+15%)."}
    assert said_boolean("weekend", "thursday evening for 4", weekend) is None  # one side alone: names only


def test_an_age_said_picks_the_value_whose_age_range_holds_it():
    group = {
        "type": "string",
        "enum": ["child", "adult", "senior"],
        "description": '"child" is 6-15 years, "adult" 16-64, "senior" 65 and over.',
    }
    assert ages_in("my dad's 68, what's a 2 day pass") == [68]
    assert described_choices("age_group", group, "my dad's 68, what's a 2 day pass") == ["senior"]
    assert described_choices("age_group", group, "a day pass for a 16 year old?") == ["adult"]
    assert described_choices("age_group", group, "it's 5 pm, is the lift open?") == []
    assert aged_choices(["small", "large"], "Locker size.", "she's 9") == []  # no ages stated
    band = "Price band: student needs a valid card, youth is under 18, senior is 65+."  # ages without "years"
    bands = ["adult", "student", "youth", "senior"]
    assert aged_choices(bands, band, "a 10-visit card for a 70-year-old?") == ["senior"]
    assert aged_choices(bands, band, "an annual membership for my 15 year old") == ["youth"]


FARE = {
    "type": "object",
    "properties": {
        "origin": {"type": "string", "enum": ["harbourtown", "gull_island", "port_mellow"]},
        "destination": {"type": "string", "enum": ["harbourtown", "gull_island", "port_mellow"]},
        "adults": {"type": "integer", "description": "Number of adults.", "default": 1},
        "children": {"type": "integer", "description": "Number of children aged 4-15.", "default": 0},
        "vehicle": {"type": "string", "enum": ["none", "bicycle", "car"], "default": "none"},
    },
    "required": ["origin", "destination"],
}


def _choices(schema: dict, text: str) -> dict:
    props = copy_schema(schema, with_digits(text))["properties"]
    return {n: p.get("enum") for n, p in props.items()}


def test_number_words_before_what_they_count_are_digits_unless_they_announce_a_list():
    assert with_digits("I need twenty boxes and 10 metres") == "I need 20 boxes and 10 metres"
    assert with_digits("six of us, ten people, a two-tier cake") == "6 of us, 10 people, a 2-tier cake"
    assert with_digits("pedal boat for half an hour") == "pedal boat for 0.5 hour"
    for text in ("the other two sides as 4 and 5", "quarter of a second", "Seven Samurai tickets", "one game"):
        assert with_digits(text) == text


def test_a_trips_ends_as_enums_take_the_values_after_from_and_to():
    assert _choices(FARE, "how much from harbourtown to port mellow?")["origin"] == ["harbourtown"]
    assert _choices(FARE, "how much from harbourtown to port mellow?")["destination"] == ["port_mellow"]
    only_to = _choices(FARE, "whats the fare for one rider gull island to port mellow")
    assert only_to["origin"] == ["gull_island"] and only_to["destination"] == ["port_mellow"]
    assert "gull_island" not in _choices(FARE, "three adults, harbourtwon to gull island?")["origin"]


def test_a_count_takes_its_number_from_no_other_optional_count():
    two = copy_schema(FARE, with_digits("how much for two adults and a car from harbourtown to gull island?"))
    assert two["properties"]["adults"]["enum"] == [2] and "children" not in two["properties"]
    kids = _choices(FARE, "Gull Island to Harbourtown, one adult, two kids and a bike?")
    assert kids["children"] == [2] and kids["vehicle"] == ["bicycle"]
    lane = {
        "type": "object",
        "properties": {
            "players": {"type": "integer", "description": "Number of people bowling."},
            "games": {"type": "integer", "description": "Number of games each.", "default": 1},
            "shoes": {"type": "integer", "description": "Pairs of rental shoes.", "default": 0},
        },
        "required": ["players"],
    }
    assert _choices(lane, "how much for one person, one game, with shoe rental")["shoes"] == [1]  # its name said


def test_ordinals_hyphens_and_list_joins_key_numbers():
    move = {"bedrooms": {"type": "integer"}, "floor": {"type": "integer"}, "distance_km": {"type": "number"}}
    assert keyed_numbers(move, "I'm on the 4th floor, moving 8 km")["floor"] == [4]
    supplies = {"boxes": {"type": "integer"}, "bubble_wrap_m": {"type": "number"}}
    assert keyed_numbers(supplies, "I need 20 boxes and 10 metres of bubble wrap")["boxes"] == [20]
    assert keyed_numbers({"tiers": {"type": "integer"}}, "a 3-tier vanilla cake")["tiers"] == [3]


def test_a_tool_with_no_date_takes_no_number_of_a_written_day():
    cakes = {
        "type": "object",
        "properties": {"budget": {"type": "number"}, "servings": {"type": "integer"}},
        "required": ["budget", "servings"],
    }
    text = "Is June 21st 2025 open for picking up a cake?"
    assert not copyable(cakes, numbers_in(text), text)
    year = {"type": "object", "properties": {"year": {"type": "integer"}}, "required": ["year"]}
    assert 2025 in copy_schema(year, "events on June 21st 2025")["properties"]["year"]["enum"]  # a year of its own


def test_a_format_shown_by_one_example_is_an_example():
    assert described_examples({"description": 'Ticket number on the receipt, format "BR-1234".'}) == ["BR-1234"]
    assert described_examples({"description": "Booking reference, formatted as FY-12345"}) == ["FY-12345"]
    assert described_examples({"description": "The day, format YYYY-MM-DD"}) == []


def test_opinions_rules_requirements_and_unknown_know_how_ask_no_tool():
    part = {
        "type": "object",
        "properties": {"part": {"type": "string", "enum": ["tire", "chain"]}},
        "required": ["part"],
    }
    query = {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}
    stock = _tool("check_part_stock", part)
    fare = _tool("fare_quote", FARE, "Quote the fare for a crossing.")
    catalog = _tool("search_catalog", query, "Search the catalogue for books.")
    departures = _tool("get_departures", FARE, "List ferry departures between two ports.")
    assert unasked(stock, "What tire pressure should I run on a road bike?")
    assert unasked(fare, "Is the crossing to Gull Island usually rough in winter?")
    assert unasked(fare, "Do I need a licence to drive one of your boats?")
    assert unasked(catalog, "How do I donate a box of old books to the library?")
    assert not unasked(departures, "How do I get from Harbourtown to Gull Island?")  # its own deed
    assert not unasked(stock, "do you have a tire in stock?")


def test_a_name_after_name_is_read_in_a_question_that_capitalises_only_codes():
    assert cased_names("ref FY-40877 last name lindqvist") == "ref FY-40877 last name Lindqvist"
    assert cased_names("Check my booking, name lindqvist") == "Check my booking, name Lindqvist"
    assert cased_names("Convert photos/beach.jpg to png.") == "Convert photos/beach.jpg to png."  # places: all lower
    assert cased_names("book a table at nobu. thanks") == "book a table at Nobu. thanks"


def test_a_trips_two_required_ends_need_two_values_named():
    text = "What is there to do on Gull Island for a day trip?"
    assert not copyable(FARE, numbers_in(text), text)
    text = "how much from harbourtown to gull island?"
    assert copyable(FARE, numbers_in(text), text)


def test_a_quoted_text_is_the_one_optional_free_strings():
    cake = {
        "type": "object",
        "properties": {
            "servings": {"type": "integer"},
            "flavor": {"type": "string", "enum": ["lemon", "vanilla"]},
            "message": {"type": "string", "description": "Text piped on top.", "default": ""},
        },
        "required": ["servings", "flavor"],
    }
    said = copy_schema(cake, 'a lemon cake for 12 people that says "Happy Birthday Mia"')
    assert "message" in said["required"] and said["properties"]["message"]["enum"] == ["Happy Birthday Mia"]
    help_ = {
        "type": "object",
        "properties": {
            "topic": {"type": "string", "enum": ["trading", "installation"]},
            "subtopic": {"type": "string"},
        },
        "required": ["topic"],
    }
    assert "subtopic" not in copy_schema(help_, "help on the topic of 'trading'")["required"]  # the topic's


def test_a_choice_said_no_to_is_not_offered_beside_one_said_yes_to():
    catalog = {
        "type": "object",
        "properties": {"format": {"type": "string", "enum": ["book", "ebook", "dvd"]}},
        "required": ["format"],
    }
    assert _choices(catalog, "I want the actual printed book, not the ebook.")["format"] == ["book"]
    assert _choices(catalog, "not the ebook")["format"] == ["ebook"]  # nothing else named: left to the model


def test_a_switch_had_or_done_is_on():
    assert said_boolean("insured", "how much is a filling? i have insurance") is True
    assert said_boolean("insured", "I'm covered by dental insurance.") is True
    assert said_boolean("insured", "What would whitening cost me without insurance?") is False
    assert said_boolean("ironing", "How much for 4 kg washed, folded and ironed?") is True
    assert said_boolean("gift_wrap", "I have a gift") is None  # a switch of two words is had by neither alone


def test_an_optional_title_takes_a_capitalised_name_but_a_places():
    showtimes = _object(
        ["date"],
        date={"type": "string", "description": "The day, as YYYY-MM-DD."},
        film={"type": "string", "description": "Title of a film to filter by. Leave out to see every film."},
    )
    assert _choices(showtimes, "When is Iron Tide playing on 2025-06-13?")["film"] == ["Iron Tide"]
    assert "film" not in _choices(showtimes, "whats on at the cinema on 2025-06-14")
    books = _object(
        ["genre"],
        genre={"type": "string", "enum": ["historical fiction", "mystery"]},
        title={"type": "string", "description": "The book's title."},
    )
    assert "title" not in _choices(books, "Can I find a historical fiction book at the New York public library?")


def test_a_choice_of_letters_and_digits_owns_its_number():
    ticket = _object(
        [],
        quantity={"type": "integer", "default": 1},
        screen_format={"type": "string", "enum": ["2D", "3D", "IMAX"], "default": "2D"},
    )
    assert _choices(ticket, "how much is a student ticket for a 3D movie") == {"screen_format": ["3D"]}
    assert _choices(ticket, "three kids tickets in 3D") == {"quantity": [3], "screen_format": ["3D"]}
    bill = _object(
        ["tariff", "kwh_used"],
        tariff={"type": "string", "enum": ["fixed", "economy7"]},
        kwh_used={"type": "number", "description": "Electricity used, in kWh."},
    )
    assert _choices(bill, "estimate my bill on economy 7: 500 kwh") == {"tariff": ["economy7"], "kwh_used": [500]}


def test_none_of_a_thing_and_plural_choices_name_their_value():
    quote = _object(
        ["item"],
        item={"type": "string", "enum": ["shirt", "dress", "coat"]},
        insurance={"type": "string", "enum": ["none", "basic", "full"], "default": "basic"},
    )
    assert _choices(quote, "What would three dresses cost with no insurance?") == {
        "item": ["dress"],
        "insurance": ["none"],
    }


def test_lower_case_months_and_dozens_are_read():
    from toolken.dates import dates_in

    assert dates_in("quote for a car july 1st to july 4th 2025") == ["2025-07-01", "2025-07-04"]
    assert dates_in("you may 2 times") == []  # "may" is a verb, "march" too, in lower case without a year
    assert with_digits("Price for a dozen shirts, half a dozen eggs") == "Price for 12 shirts, 6 eggs"


def test_a_number_counting_things_is_no_measure_of_a_unit_named_parameter():
    laundry = {
        "type": "object",
        "properties": {"weight_kg": {"type": "number", "description": "Weight of the laundry in kilograms."}},
        "required": ["weight_kg"],
    }
    for text in ("Price for 12 shirts", "cost to clean 2 duvets"):
        assert not copyable(laundry, numbers_in(text), text)
    text = "I have about 5 kilos of laundry"
    assert copyable(laundry, numbers_in(text), text)
    taxes = {"type": "object", "properties": {"tax_year": {"type": "integer"}}, "required": ["tax_year"]}
    text = "When do I have to file my 2025 taxes by?"
    assert copyable(taxes, numbers_in(text), text)  # a year, not a count of taxes


def test_a_number_keyed_by_its_name_is_no_other_parameters():
    from toolken.keyed import keyed_schema

    bill = _object(
        ["kwh_used"],
        kwh_used={"type": "number", "description": "Total electricity used, in kWh."},
        days={"type": "integer", "description": "Billing period in days.", "default": 30},
        night_kwh={"type": "number", "description": "kWh used overnight.", "default": 0},
    )
    for text, night in (("420 kWh with 150 at night", 150), ("500 kwh total, 200 of that at night", 200)):
        props = keyed_schema(copy_schema(bill, text), text, first=True)["properties"]
        assert props["night_kwh"]["enum"] == [night] and night not in props["kwh_used"]["enum"]
        assert "days" not in props  # no number of its own left
    from toolken.keyed import keyed_numbers

    assert keyed_numbers(bill["properties"], "2 rooms at the hotel at night") == {}  # no number right before it


def test_pain_asks_no_tool_and_kinds_of_things_are_no_peoples_names():
    price = {
        "type": "object",
        "properties": {"treatment": {"type": "string", "enum": ["filling", "crown"]}},
        "required": ["treatment"],
    }
    assert unasked(_tool("get_treatment_price", price), "does it hurt to get a filling")
    assert unasked(_tool("get_treatment_price", price), "my filling aches when I drink cold water, any idea why")
    assert unasked(_tool("get_treatment_price", price), "Is a filling or a crown easier to look after?")
    assert not unasked(_tool("get_treatment_price", price), "how much is a filling")
    from toolken.values import names_a_thing

    assert not names_a_thing("plant_name", {"type": "string", "description": "Common name of the plant."})
    assert names_a_thing("customer_name", {"type": "string", "description": "Name to put the booking under."})
    assert names_a_thing("singer_name", {"type": "string"})


def test_a_count_takes_no_number_another_count_takes_by_its_own_word():
    pool = _object(
        [],
        adults={"type": "integer", "description": "Number of adults.", "default": 0},
        children={"type": "integer", "description": "Number of children aged 3 to 15.", "default": 0},
        seniors={"type": "integer", "description": "Number of people aged 65 or older.", "default": 0},
    )
    assert _choices(pool, "price for 4 adults pls") == {"adults": [4]}
    assert _choices(pool, "two adults and three kids") == {"adults": [2], "children": [3]}
    tour = _object(
        ["tour_name", "adults"],
        tour_name={"type": "string", "description": "Name of the tour."},
        adults={"type": "integer", "description": "Number of adults."},
        children={"type": "integer", "description": "Number of children.", "default": 0},
    )
    assert "children" not in _choices(tour, "Price for 4 adults on the Sea Cave Explorer?")
    hotel = _object(
        ["nights"],
        nights={"type": "integer", "description": "How many nights to stay."},
        guests={"type": "integer", "description": "How many people stay in the room.", "default": 1},
    )
    assert _choices(hotel, "a room for 2 nights for 2 people") == {"nights": [2], "guests": [2]}  # each its own 2
    pizza = _object(
        ["pizza"],
        pizza={"type": "string", "description": "Name of the pizza."},
        extra_toppings={"type": "integer", "description": "Number of extra toppings on each pizza.", "default": 0},
        quantity={"type": "integer", "description": "How many identical pizzas are ordered.", "default": 1},
    )
    counts = {"quantity", "extra_toppings"}
    chosen = _choices(pizza, "what would 3 medium margherita pizzas cost?")
    assert {k: v for k, v in chosen.items() if k in counts} == {"quantity": [3]}  # by its description
    chosen = _choices(pizza, "2 margherita pizzas with 3 extra toppings")
    assert {k: v for k, v in chosen.items() if k in counts} == {"quantity": [2], "extra_toppings": [3]}


def test_dogs_and_cats_are_pets():
    from toolken.switches import said_boolean

    pets = {"type": "boolean", "description": "Whether pets live in the home."}
    assert said_boolean("has_pets", "Deep clean for two bedrooms, we have a dog.", pets) is True
    assert said_boolean("has_pets", "it's me, my wife and our 2 dogs", pets) is True
    assert said_boolean("has_pets", "no pets, 2 bedrooms", pets) is False
    assert said_boolean("has_pets", "a quote near the hot dog stand", pets) is None
    site = _object(
        ["nights"],
        nights={"type": "integer", "description": "Nights to stay."},
        pets={"type": "integer", "description": "Number of pets brought along.", "default": 0},
    )
    assert _choices(site, "3 nights with our 2 cats")["pets"] == [2]


def test_a_day_of_the_month_spelled_in_words_is_a_date():
    from toolken.dates import dates_in

    assert with_digits("anything on the twelfth of June, 2025?") == "anything on the 12th of June, 2025?"
    assert dates_in(with_digits("on June twenty-third, 2025")) == ["2025-06-23"]
    assert with_digits("the first thing in May") == "the first thing in May"  # no day of a month
    assert with_digits("the second May bank holiday") == "the second May bank holiday"


def test_a_tool_that_reports_a_state_tells_it():
    from toolken.descriptions import acts
    from toolken.tools import Tool

    assert not acts(Tool("fire_conditions", "Report the fire danger level and campfire rules for a day."))
    assert acts(Tool("report_outage", "Report the outage at an address."))
    assert acts(Tool("file_bug", "Report a bug to the team."))


def test_a_day_since_which_something_holds_is_no_day_asked_for_and_puppies_are_dogs():
    from toolken.dates import dates_in

    text = "My dog has been sick since last night, can he be seen Saturday March 8th 2025 at 9am?"
    assert dates_in(text) == ["2025-03-08"]
    assert len(dates_in("He has been sick since last night")) == 1  # the only day written
    species = {"type": "string", "enum": ["dog", "cat", "rabbit"]}
    assert named_in(species["enum"], "what shots does a 10 week old puppy need") == ["dog"]
    assert named_in(species["enum"], "My kitten is sixteen weeks old") == ["cat"]


def test_a_day_the_order_is_placed_is_no_place():
    from toolken.values import pool_name

    assert pool_name("order_date", {"description": "Day the order is placed, YYYY-MM-DD."}) != "city"
    assert pool_name("pickup_place", {"description": "Where to meet."}) == "city"


def test_a_word_and_a_measure_is_a_shape_whose_number_is_its_own():
    job = _object(
        ["quantity"],
        quantity={"type": "integer", "description": "Number of pieces."},
        paper={"type": "string", "description": 'Paper stock, e.g. "glossy 170gsm" or "cardstock 300gsm".'},
    )
    assert _choices(job, "quote for 30 booklets on recycled 100gsm please") == {
        "quantity": [30],
        "paper": ["recycled 100gsm"],
    }
    assert _choices(job, "quote for 30 booklets") == {"quantity": [30]}


def test_a_person_who_serves_named_is_asked_for_by_name():
    slots = _object(
        ["date"],
        date={"type": "string", "description": "Day to check, YYYY-MM-DD."},
        vet={"type": "string", "description": 'Name of a specific vet, e.g. "Dr. Chen". Leave out for any vet.'},
    )
    said = copy_schema(slots, "Does Dr. Okonkwo have anything open on 2025-03-10?")
    assert said["properties"]["vet"]["enum"] == ["Okonkwo"] and said["required"] == ["date", "vet"]
    assert cased_names("when is dr chen free on 2025-03-06") == "when is dr Chen free on 2025-03-06"
    assert "vet" not in copy_schema(slots, "Any openings on 2025-03-05?")["properties"]


def test_an_id_of_a_prefix_and_digits_is_copied_whole():
    order = _object(
        ["order_id"], order_id={"type": "string", "description": 'Order reference, format "BK-" plus 4 digits.'}
    )
    text = "Could you check on order number BK-1187 for me, please?"
    assert copyable(order, numbers_in(text), text)
    assert _choices(order, text) == {"order_id": ["BK-1187"]}


def test_tips_asked_of_a_price_quote_call_no_tool():
    from toolken.tools import Tool
    from toolken.unasked import asks_piece

    cake = Tool("quote_custom_cake", "Quote the price of a made-to-order celebration cake.")
    assert asks_piece(cake, "Any tips for transporting a tiered cake in the car?")
    assert asks_piece(cake, "my cake always sinks, any tips for baking it at home")
    groom = Tool("quote_groom", "Quote a grooming service.")
    assert asks_piece(groom, "my cat absolutely hates baths, any tips for doing it at home")
    assert not asks_piece(cake, "How much is a chocolate cake with 2 tiers?")
    assert not asks_piece(Tool("famous_quotes", "Famous quotes by an author."), "Any tips? Give me quotes by Twain.")


def test_a_british_postcode_district_and_counts_in_order_or_joined_are_read():
    from toolken.enum_names import named_in
    from toolken.literals import literals_in

    assert literals_in("zip", "do u deliver to BS8 on 2025-05-10") == ["BS8"]
    storage = _object(
        ["cubic_metres", "weeks"],
        cubic_metres={"type": "number", "description": "Volume to store in cubic metres."},
        weeks={"type": "integer", "description": "Storage period in whole weeks."},
    )
    text = "Our 1-bed is on the 5th floor and we're only going 15 km."
    assert not copyable(storage, numbers_in(text), text)  # "1-bed" is no volume, "5th floor" no weeks
    text = "a 6-day pass, 10 cubic metres for 3 weeks"
    assert copyable(storage, numbers_in(text), text)
    sizes = ["studio", "1-bed", "2-bed", "3-bed"]
    assert named_in(sizes, with_digits("moving a three-bedroom house")) == ["3-bed"]
    assert named_in(sizes, "a 2 bed flat") == ["2-bed"]


def test_a_listed_value_typed_a_letter_off_and_brand_name_against_generic():
    from toolken.copied_strings import examples_written
    from toolken.switches import said_boolean

    drugs = {"type": "string", "examples": ["amoxicillin", "metformin"]}
    assert examples_written(drugs, "is amoxicilin 250 mg available?") == ["amoxicillin"]
    assert examples_written(drugs, "is paracetamol available?") == []
    assert said_boolean("generic", "60 tablets of brand-name sertraline", {"type": "boolean"}) is False
    assert said_boolean("generic", "the generic one please", {"type": "boolean"}) is True


def test_a_word_of_a_parameter_name_is_a_label_not_a_name():
    pets = _object(
        ["pet_name", "owner_surname"],
        pet_name={"type": "string", "description": "The pet's name as registered."},
        owner_surname={"type": "string", "description": "Owner's surname on the account."},
    )
    chosen = _choices(pets, "Is Biscuit's rabies shot still up to date? Owner name is Hendricks")
    assert "Owner" not in chosen["pet_name"] and "Biscuit's" not in chosen["pet_name"]
    assert _choices(pets, "Is Pepper (owner: Alvarez) all set?")["owner_surname"] == ["Alvarez"]

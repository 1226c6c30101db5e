"""A trip's two ends: the places an address parameter copies, and which end takes which."""

from __future__ import annotations

from toolken.copying import copy_schema
from toolken.distinct import distinct_values
from toolken.gate import copyable
from toolken.routes import address_values, directed_ends

TAXI = {
    "type": "object",
    "properties": {
        "pickup": {"type": "string", "description": "The address to be picked up at."},
        "dropoff": {"type": "string", "description": "The address to go to."},
    },
    "required": ["pickup", "dropoff"],
}


def _ends(question: str) -> tuple[list, list]:
    props = distinct_values(copy_schema(TAXI, question), question)["properties"]
    return props["pickup"]["enum"], props["dropoff"]["enum"]


def test_a_trip_from_a_street_to_a_named_place_takes_each_end_as_written():
    assert _ends("Book a taxi from 10 Downing Street to King's Cross Station.") == (
        ["10 Downing Street"],
        ["King's Cross Station"],
    )
    assert _ends("Get me a taxi from Union Square to the Golden Gate Bridge.") == (
        ["Union Square"],
        ["Golden Gate Bridge"],
    )


def test_an_address_is_a_street_or_a_named_place_and_no_tool_needing_one_fires_without():
    assert address_values("From 221B Baker Street to Heathrow Airport on Monday, I think") == [
        "221B Baker Street",
        "Heathrow Airport",
    ]  # not the day, nor "I"
    assert not copyable(TAXI, [], "Should I tip my taxi driver?")
    assert not copyable(TAXI, [3], "Give me three ideas for dinner.")
    assert copyable(TAXI, [], "Taxi from Union Square to the Ferry Building")


def test_the_ends_are_left_to_the_turn_where_a_question_makes_more_trips_than_one():
    props = {"origin": {"type": "string"}, "destination": {"type": "string"}}
    narrowed = {n: {"type": "string", "enum": ["Boston", "Miami", "Denver"]} for n in props}
    two = "Fly from Boston to Miami, then from Miami to Denver"
    assert directed_ends(props, narrowed, two) == narrowed
    one = directed_ends(props, narrowed, "Fly from Boston to Miami")
    assert one["origin"]["enum"] == ["Boston"] and one["destination"]["enum"] == ["Miami"]
    # a date is no end of a trip ("from today to 2027-06-30")
    dated = {n: {"type": "string", "enum": ["today", "2027-06-30"]} for n in props}
    assert directed_ends(props, dated, "Count the days from today to 2027-06-30")["destination"] == dated["destination"]


def test_a_conversion_starts_where_the_question_says_what_holds():
    convert = {
        "type": "object",
        "properties": {n: {"type": "string"} for n in ("time", "from_city", "to_city")},
        "required": ["time", "from_city", "to_city"],
    }
    for text, start, end in [
        ("When it's 8:00 in Paris, what time is it in Mumbai?", "Paris", "Mumbai"),
        ("What time is it in Tokyo when it is 3pm in Rome?", "Rome", "Tokyo"),
    ]:
        props = copy_schema(convert, text)["properties"]
        assert props["from_city"]["enum"] == [start] and props["to_city"]["enum"] == [end]


RIDE = {
    "type": "object",
    "properties": {
        "pickup": {"type": "string", "description": "Where the ride starts."},
        "dropoff": {"type": "string", "description": "Where the ride ends."},
        "pickup_time": {"type": "string", "format": "date-time", "description": "When; now if left out."},
    },
    "required": ["pickup", "dropoff"],
}


def _ride(question: str) -> dict:
    schema = copy_schema(RIDE, question)
    return {n: p.get("enum") for n, p in distinct_values(schema, question)["properties"].items()} | {
        "required": schema["required"]
    }


def test_a_trip_from_a_place_named_by_a_common_noun_or_numbered_takes_each_end_as_written():
    # a time is no end of the trip, a place people name by a noun is one, and so is "Pier 39"
    ride = _ride("Get me a car from the stadium to Pier 39 at 2027-03-04T18:30:00.")
    assert (ride["pickup"], ride["dropoff"]) == (["stadium"], ["Pier 39"])
    assert ride["pickup_time"] == ["2027-03-04T18:30:00"] and "pickup_time" in ride["required"]  # a time said
    ride = _ride("How much is a ride from the airport to 221 Baker Street?")
    assert (ride["pickup"], ride["dropoff"]) == (["airport"], ["221 Baker Street"])
    # a place goes on no further than its name: "New York", not "New York time"
    zones = {n: {"type": "string"} for n in ("from_timezone", "to_timezone")}
    narrowed = {n: {"type": "string", "enum": ["New York", "New York time", "London", "London time"]} for n in zones}
    ends = directed_ends(zones, narrowed, "Convert 3pm from New York time to London time.")
    assert ends["from_timezone"]["enum"] == ["New York"] and ends["to_timezone"]["enum"] == ["London"]


def test_today_is_no_time_said_for_an_optional_date_and_a_number_after_a_name_may_be_no_part_of_it():
    assert "pickup_time" not in _ride("Book a ride from home to the Central Library now.")["required"]
    assert _ride("Book a ride from home to the Central Library now.")["pickup"] == ["home"]
    from toolken.routes import places_for

    dest = {"type": "string", "description": "The destination."}
    assert places_for("destination", dest, "Take me to Terminal 2, please.") == ["Terminal 2"]
    assert places_for("destination", dest, "Weather in Paris 3 days from now") == ["Paris"]
    assert places_for("destination", dest, "Where is the IP 8.8.8.8 located?") == ["IP"]
    car = {"type": "string", "description": "Where the car is."}
    assert places_for("location", car, "I have a flat tire on Highway 101 near exit 12.") == ["Highway 101"]


def test_a_question_fits_a_tool_whole_where_it_gives_each_required_value_of_a_specific_kind():
    from toolken.firing import fits_whole

    history = {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "The city."},
            "date": {"type": "string", "format": "date"},
        },
        "required": ["city", "date"],
    }
    assert fits_whole(history, "Was it rainy in Seattle on March 3, 2026?")
    assert not fits_whole(history, "Why is it colder in winter?")  # the words copying falls back to are no city
    assert fits_whole(TAXI, "Get me a taxi from Union Square to the Golden Gate Bridge.")
    tip = {"type": "object", "properties": {"bill": {"type": "number"}, "percent": {"type": "number"}}}
    tip["required"] = ["bill", "percent"]
    assert not fits_whole(tip, "How many days until 2026-03-15?")  # numbers are written too often to tell
    assert not fits_whole({**history, "required": ["city"]}, "Weather in Seattle?")  # one value tells little
    # ... but an optional value said of a kind as specific makes two: a day and a dentist its examples list
    dentist = {"type": "string", "description": "Surname (Patel, Okafor or Lindqvist).", "default": "any"}
    slots = {"type": "object", "properties": {"date": {"type": "string", "format": "date"}, "dentist": dentist}}
    slots["required"] = ["date"]
    assert fits_whole(slots, "Do you have anything on the 14th of March 2026 with Dr. Okafor?")
    assert not fits_whole(slots, "Do you have anything on the 14th of March 2026?")
    # a number in the unit its parameter is measured in is as telling as a name
    zones = {"type": "string", "enum": ["north", "south", "nursery"]}
    heat = {
        "type": "object",
        "properties": {"zone": zones, "celsius": {"type": "number"}},
        "required": ["zone", "celsius"],
    }
    assert fits_whole(heat, "Make the nursery 26.5 °C please.") and fits_whole(heat, "North zone to 22 degrees.")
    assert not fits_whole(heat, "Keep the nursery at 26.5 please.")  # no unit: any number
    assert not fits_whole(heat, "Water the nursery for 20 minutes.")  # minutes measure no temperature
    # a number before one of the tool's choices counts it: "250 USDC"
    tokens = {"type": "string", "enum": ["ETH", "USDC"]}
    wallet = {"type": "string", "pattern": "^0x[0-9a-fA-F]{6,40}$"}
    send = {"type": "object", "properties": {"to": wallet, "amount": {"type": "number"}, "token": tokens}}
    send["required"] = ["to", "amount", "token"]
    assert fits_whole(send, "Transfer 250 USDC to 0x1234abcd5678.")
    assert not fits_whole(send, "Transfer USDC to 0x1234abcd5678, 250 of it.")  # no number before a choice


def test_with_no_from_the_end_written_after_to_leaves_the_others_to_the_start():
    props = {"pickup": {"type": "string"}, "dropoff": {"type": "string"}}
    offered = {"type": "string", "enum": ["Lakeshore Library", "300 King Street"]}
    narrowed = {"pickup": offered, "dropoff": offered}
    ends = directed_ends(props, narrowed, "Book me a ride to Lakeshore Library, I'm at 300 King Street")
    assert ends["dropoff"]["enum"] == ["Lakeshore Library"] and ends["pickup"]["enum"] == ["300 King Street"]
    assert directed_ends(props, narrowed, "A ride for Lakeshore Library and 300 King Street") == narrowed
    files = {"source": {"type": "string"}, "destination": {"type": "string"}}
    paths = {"type": "string", "enum": ["Desktop/a.pdf", "Documents/Taxes"]}
    moved = directed_ends(files, {"source": paths, "destination": paths}, "Move Desktop/a.pdf into Documents/Taxes")
    assert moved["destination"]["enum"] == ["Documents/Taxes"] and moved["source"]["enum"] == ["Desktop/a.pdf"]

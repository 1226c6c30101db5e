"""Numbers a question keys to a parameter by its name ("maximum depth of 5"): `toolken.keyed`."""

from __future__ import annotations

from toolken.copying import copy_schema
from toolken.distinct import distinct_numbers
from toolken.keyed import keyed_numbers, keyed_schema

N = {"type": "number"}


def test_a_number_written_after_or_before_a_word_of_its_name_is_keyed_to_it():
    text = "A tree with gini criterion, maximum depth of 5 and random state of 1, another with depth of 10."
    props = {"criterion": {"type": "string"}, "max_depth": N, "random_state": N}
    assert keyed_numbers(props, text) == {"max_depth": [5, 10], "random_state": [1]}
    text = "Tax on a short term capital gains of $15000 and long term gains of $25000; $20000 short term in Florida."
    props = {"short_term_gain": N, "long_term_gain": N}  # "term" and "gain" are both names': no key
    assert keyed_numbers(props, text) == {"short_term_gain": [15000, 20000], "long_term_gain": [25000]}


def test_a_list_goes_with_its_name_and_a_name_listed_with_another_keys_nothing():
    props = {"present_value": N, "annual_interest_rate": N, "number_of_years": N}
    text = "The future value of $1000 at an annual interest rate of 5% for 1,5 and 10 years."
    assert keyed_numbers(props, text) == {"annual_interest_rate": [5, 0.05], "number_of_years": [1, 5, 10]}
    text = "A triangle given the lengths of its base and height as 6cm and 10cm."  # in turn, not all height's
    assert keyed_numbers({"base": N, "height": N}, text, ["base", "height"]) == {}


def test_no_key_across_another_parameters_name_a_comma_or_a_sentence():
    assert keyed_numbers({"area": N, "length": N}, "The area with length 5 and width 3.") == {"length": [5]}
    assert keyed_numbers({"depth": N}, "The depth, which we set to 5.") == {}
    assert keyed_numbers({"depth": N}, "What is the depth? 5 metres.") == {}
    assert keyed_numbers({"depth": N, "name": {"type": "string"}}, "The depth of the big lake is 5.") == {}  # 2 foreign


def test_short_names_and_units_shared_with_a_keyed_number():
    text = "Roots of a quadratic with a = 3, b = -11, and c = -4 in a 2 step method."
    assert keyed_numbers({"a": N, "b": N, "c": N}, text) == {"a": [3], "b": [-11], "c": [-4]}
    text = "A house of size 3000 sq ft in New York and 4000 sq ft in Los Angeles, 2 floors."
    assert keyed_numbers({"size": N, "floors": N}, text) == {"size": [3000, 4000], "floors": [2]}
    assert keyed_numbers({"length": N, "width": N}, "length of 5 m and width 3 m") == {"length": [5], "width": [3]}
    text = "A car at 50 m/s over a distance of 600 m. Also a bullet at 400 m/s over a distance of 1000 m."
    assert keyed_numbers({"velocity": N, "distance": N}, text) == {"velocity": [50, 400], "distance": [600, 1000]}


def test_keyed_schema_narrows_copied_numbers_and_a_first_call_takes_the_first():
    params = {
        "type": "object",
        "properties": {"sample_size": {"type": "integer"}, "sample_mean": N, "sample_std_dev": N},
        "required": ["sample_size", "sample_mean", "sample_std_dev"],
    }
    text = "A 95% interval for std dev 10, sample size of 50 and sample mean of 25? The same for a sample size of 150."
    copied = copy_schema(params, text)
    assert 10 in copied["properties"]["sample_size"]["enum"]  # copy_schema alone offers any number
    props = keyed_schema(copied, text)["properties"]
    assert props["sample_size"]["enum"] == [50, 150] and props["sample_mean"]["enum"] == [25]
    assert keyed_schema(copied, text, first=True)["properties"]["sample_size"]["enum"] == [50]
    assert props["sample_std_dev"]["enum"] == [10]  # "std dev 10": words of its name
    bounded = {"type": "object", "properties": {"size": {"type": "integer", "minimum": 100}}}
    assert keyed_schema(copy_schema(bounded, "size 50 or 200"), "size 50 or 200")["properties"]["size"]["enum"] == [200]


def test_a_parameter_left_one_number_keeps_the_others_from_it():
    params = {"type": "object", "properties": {"speed": N, "rounding": {"type": "integer"}}, "required": ["speed"]}
    text = "A car at a speed of 20 m/s, rounding to 2 places, accelerating for 20 s."
    narrowed = keyed_schema(copy_schema(params, text), text, first=True)
    assert narrowed["properties"]["speed"]["enum"] == [20]
    text2 = "A car at a speed of 20 m/s and 5 rounds."  # 20 written once: no other parameter may take it
    narrowed = keyed_schema(copy_schema(params, text2), text2, first=True)
    assert narrowed["properties"]["rounding"]["enum"] == [5]  # 20 is the speed's, keyed by its name
    branches = distinct_numbers(narrowed, text2)["anyOf"]  # rounding 5, or left out: never 20
    assert sorted(str(b["properties"].get("rounding", {}).get("enum")) for b in branches) == ["None", "[5]"]


def test_a_capitalised_or_quoted_string_after_a_word_of_its_name_is_keyed_to_it():
    params = {
        "type": "object",
        "properties": {"company_name": {"type": "string"}, "location": {"type": "string"}, "year": N},
        "required": ["company_name", "location"],
    }
    text = "Growth for company 'Tech Inc' with a location in Paris, California in the year 2019."
    copied = copy_schema(params, text)
    props = keyed_schema(copied, text, first=True)["properties"]
    assert props["company_name"]["enum"] == ["Tech Inc"] != copied["properties"]["company_name"]["enum"]
    assert keyed_schema(copied, text)["properties"] == copied["properties"]  # a later call: not keyed
    assert props["location"] == copied["properties"]["location"]  # "in Paris": no name right after the key
    text = "Tax in the state of California and Florida."
    params = {"type": "object", "properties": {"state": {"type": "string"}}, "required": ["state"]}
    enum = keyed_schema(copy_schema(params, text), text, first=True)["properties"]["state"]["enum"]
    assert enum and all(v.startswith("California") for v in enum)


def test_a_word_right_before_a_string_parameters_name_is_its_value_and_then_it_is_written():
    params = {
        "type": "object",
        "properties": {"function": {"type": "string"}, "method": {"type": "string"}},
        "required": ["function"],
    }
    text = "Integrate the function x^3 from 1 to 2 using simpson method."
    copied = copy_schema(params, text)
    assert "method" not in copied["required"] and len(copied["properties"]["method"]["enum"]) > 1
    keyed = keyed_schema(copied, text, first=True)
    assert keyed["properties"]["method"]["enum"] == ["simpson"] and "method" in keyed["required"]
    text = "Integrate x^3 with my method, or your method."  # "my", "your": no value
    assert keyed_schema(copy_schema(params, text), text, first=True)["required"] == ["function"]
    special = {"type": "object", "properties": {"user_id": {"type": "integer"}, "special": {"type": "string"}}}
    text = "Details for the user with the ID 7890, who has black as their special request?"
    assert keyed_schema(copy_schema(special, text), text, first=True)["properties"]["special"]["enum"] == ["black"]


def test_a_list_of_numbers_takes_the_numbers_keyed_to_it():
    params = {
        "type": "object",
        "properties": {
            "lower_limit": {"type": "integer"},
            "upper_limit": {"type": "integer"},
            "multiples": {"type": "array", "items": {"type": "integer"}},
        },
        "required": ["lower_limit", "upper_limit", "multiples"],
    }
    text = "The sum of the multiples of 3 and 5 between 1 and 1000, and of 2.5 too."
    copied = copy_schema(params, text)
    assert copied["properties"]["multiples"]["items"]["enum"] == [3, 5, 1, 1000]  # integers only
    props = keyed_schema(copied, text, first=True)["properties"]
    assert props["multiples"]["items"]["enum"] == [3, 5]
    assert (props["lower_limit"]["enum"], props["upper_limit"]["enum"]) == ([1], [1000])


def test_numbers_another_tool_took_stay_where_the_question_keys_them_to_this_tool():
    from toolken.distinct import untaken

    params = {"type": "object", "properties": {"time": N, "acceleration": N}, "required": ["time", "acceleration"]}
    text = "Velocity given acceleration of 5 m/s^2 and time of 6 seconds. Also, the distance covered."
    keyed = keyed_schema(copy_schema(params, text), text, first=True)
    kept = untaken(keyed, text, taken=[5, 6])  # the velocity call took 5 and 6 before
    assert (kept["properties"]["time"]["enum"], kept["properties"]["acceleration"]["enum"]) == ([6], [5])


def test_a_word_most_tools_share_tells_none_of_them_apart():
    from toolken.firing import shared_words

    assert shared_words(("add_task", "complete_task", "list_tasks", "delete_task", "set_due_date")) == {"task"}
    assert shared_words(("get_weather", "get_weather_forecast")) == frozenset()  # two: each told from no tool
    assert shared_words(("get_weather", "convert_currency", "get_stock_price")) == frozenset()


def test_a_tool_word_is_written_as_it_is_or_as_the_start_of_a_longer_word():
    from toolken.asked import word_stems
    from toolken.toolnames import acronyms_in, written_tool_words

    def written(name: str, text: str) -> set[str]:
        return written_tool_words(name, word_stems(text), acronyms_in(text))

    assert written("country_info.capital", "What is the capital of Brazil?") == {"capital"}
    assert written("math.hypot", "The hypotenuse of a right triangle.") == {"hypot"}
    assert written("convert_currency", "50 dollars converted to euros") == {"convert"}
    assert written("permutate", "How many permutations of 5?") == {"permutate"}
    assert written("calculate_bmi", "Solve this calculus problem.") == set()  # a verb, and "calcu" is too short
    assert written("get_distance", "How distinct are they?") == set()  # "distin": not all but one of "distance"
    assert written("investment.withdraw", "Invest $2000 now.") == set()  # "invest" is not all of "investment"
    assert written("math.lcm", "The Least Common Multiple (LCM) of 18 and 12.") == {"lcm"}  # three letters in capitals
    assert written("math.lcm", "the lcm of 18 and 12") == set()  # ... or spelled out
    assert written("math.lcm", "the least common multiple of 18 and 12") == {"lcm"}
    assert written("gcd", "What is the greatest common divisor of 84 and 126?") == {"gcd"}
    assert written("calculate_bmi", "my body mass index") == {"bmi"}
    assert written("math.lcm", "the lowest of multiples") == set()  # "of": initials of words of three letters
    assert written("add", "Sort apples and dates, dogs") == set()  # "and" gives no initial
    assert written("choose", "In how many ways can 4 books be chosen?") == {"choose"}  # an irregular form
    assert written("sell_shares", "I sold 5 shares") == {"sell", "share"}
    assert written("get_sum", "GET the SUM") == {"sum"}  # "get" is a verb any tool's name may start with
    # the initials of a name of two words or more, written as an acronym, name it
    assert written("exposure_value", "The EV at f/8 and 1/125 s?") == {"exposure"}  # "value" is generic
    assert written("depth_of_field", "the DOF of an 85 mm lens") == {"depth", "field"}
    assert written("print_size", "Is it better to shoot in RAW or JPEG?") == set()
    # ... and the initials of a run of its words, in the plural too ("PRs")
    assert written("merge_pull_request", "Merge PR 42 in acme/webapp.") == {"merge", "pull", "request"}
    assert written("list_pull_requests", "Show all closed PRs.") == {"pull", "request"}
    assert written("factorize", "Factor 360 into primes.") == {"factorize"}  # the noun a verb is made from
    # the one who does what a word says: "remind" names a `reminder`, no generic verb a "calculator"
    assert written("send_reminder", "Remind the client about INV-0310.") == {"reminder"}
    assert written("resistance_calculator", "Calculate the capacitance of a plate.") == set()


def test_a_source_and_a_target_enum_take_the_values_written_as_each():
    from toolken.keyed import directed_enums

    units = {"type": "string", "enum": ["celsius", "fahrenheit", "kelvin"]}
    props = {"value": N, "from_unit": units, "to_unit": units}

    def said(text: str) -> tuple[list, list]:
        found = directed_enums(props, text)
        return found.get("from_unit", units)["enum"], found.get("to_unit", units)["enum"]

    # "kelvin": neither way; the target may be any unit but the source's
    assert said("How many kelvin is 25 degrees celsius?") == (["celsius"], ["fahrenheit", "kelvin"])
    assert said("What is 30 degrees Celsius in Fahrenheit?") == (["celsius"], ["fahrenheit"])
    assert said("Convert from kelvin to celsius: 300") == (["kelvin"], ["celsius"])
    assert directed_enums({"unit": units, "to_unit": units}, "25 celsius in kelvin") == {}  # no source named
    # only the tool's own enums (`keyed_schema(enums=...)`), never the spans copying offers a free string
    accounts = {"type": "object", "properties": {"from_account": {"type": "string"}, "to_account": {"type": "string"}}}
    text = "Transfer $5000 from my saving account to my checking account"
    copied = copy_schema(accounts, text)
    assert keyed_schema(copied, text, first=True) == copied
    schema = {"type": "object", "properties": props}
    question = "How many kelvin is 25 degrees celsius?"
    keyed = keyed_schema(copy_schema(schema, question), question, True, ["from_unit", "to_unit"])
    assert keyed["properties"]["from_unit"]["enum"] == ["celsius"]


def test_an_optional_number_is_left_out_rather_than_take_a_value_another_took():
    params = {
        "type": "object",
        "properties": {"amount": {"type": "integer"}, "years": {"type": "integer"}, "per_year": {"type": "integer"}},
        "required": ["amount", "years"],
    }
    text = "compound interest on 1500 over 2 years, compounded per year"
    branches = distinct_numbers(copy_schema(params, text), text)["anyOf"]
    given = sorted(tuple((n, p["enum"][0]) for n, p in sorted(b["properties"].items())) for b in branches)
    assert given == [(("amount", 2), ("years", 1500)), (("amount", 1500), ("years", 2))]  # per_year left out


def test_a_unit_said_as_one_side_is_not_the_other_sides():
    from toolken.keyed import directed_enums

    units = {"type": "string", "enum": ["cup", "tbsp"]}
    found = directed_enums({"from_unit": units, "to_unit": units}, "How many tablespoons are in 2 cups?")
    assert found["from_unit"]["enum"] == ["cup"] and found["to_unit"]["enum"] == ["tbsp"]


def test_one_end_said_alone_with_a_word_of_its_name():
    props = {"servings_from": {"type": "integer"}, "servings_to": {"type": "integer"}}
    assert keyed_numbers(props, "Scale a 6 serving recipe down to 2 servings.") == {"servings_to": [2]}
    assert keyed_numbers(props, "Scale it from 4 servings to 12.") == {"servings_from": [4], "servings_to": [12]}
    years = {"from_year": {"type": "integer"}, "to_year": {"type": "integer"}}
    assert keyed_numbers(years, "cases between 2012 and 2015") == {"from_year": [2012], "to_year": [2015]}
    heat = {"initial_temperature": {"type": "number"}, "final_temperature": {"type": "number"}}
    assert "final_temperature" not in keyed_numbers(heat, "ice at 0°C heated to 100°C")  # no word of its name


def test_a_verb_that_asks_for_the_same_deed_names_the_tool():
    from toolken.toolnames import written_tool_words

    assert written_tool_words("send_tokens", {"transfer", "250", "usdc"}) == {"send"}
    assert written_tool_words("book_class", {"reserve", "spin", "class"}) == {"book", "class"}
    assert written_tool_words("wallet_balance", {"transfer", "250", "usdc"}) == set()
    assert written_tool_words("enroll", {"sign", "me", "up", "for", "cs101"}) == {"enroll"}  # "sign up": both words
    assert written_tool_words("enroll", {"sign", "the", "form"}) == set()
    assert written_tool_words("exchange_item", {"can", "i", "swap", "order", "size"}) == {"exchange"}
    assert written_tool_words("play_song", {"put", "on", "yellow"}) == {"play"}
    # a price asked for names one price word of every tool named for one, none of another
    how_much = {"how", "much", "to", "dry", "clean", "a", "suit"}
    assert written_tool_words("quote_dry_cleaning", how_much) == {"cleaning", "quote"}
    assert written_tool_words("late_return_fee", {"how", "much", "extra"}) == {"fee"}
    assert written_tool_words("find_open_slots", {"how", "much", "for", "5", "people"}) == set()
    assert written_tool_words("quote_price", {"what", "would", "it", "cost"}) == {"price"}
    assert written_tool_words("quote_price", {"any", "slots", "free"}) == set()
    assert written_tool_words("parking_fee", {"is", "there", "a", "park", "near"}) == set()  # "park" is short


def test_a_keyed_string_runs_into_no_other_parameters_name():
    mail = {
        "type": "object",
        "properties": {"subject": {"type": "string"}, "body": {"type": "string"}},
        "required": ["subject", "body"],
    }
    text = "Send a mail to anna@corp.io, subject Report, body: the report is attached."
    props = keyed_schema(copy_schema(mail, text), text, first=True)["properties"]
    assert props["subject"]["enum"] == ["Report"] and props["body"]["enum"] == ["the report is attached"]


def test_a_bound_written_before_a_number_keys_it_to_the_parameter_named_for_that_bound():
    props = {"city": {"type": "string"}, "nights": {"type": "integer"}, "max_price": N}
    assert keyed_numbers(props, "Hotels in Lisbon under 120 a night") == {"max_price": [120]}  # not the nights
    assert keyed_numbers(props, "Hotels in Rome for 3 nights under $200") == {"nights": [3], "max_price": [200]}
    both = {"min_rating": N, "max_rating": N}
    assert keyed_numbers(both, "rated at least 3 and at most 4.5") == {"min_rating": [3], "max_rating": [4.5]}
    assert keyed_numbers({"price": N, "budget": N}, "under 50") == {}  # no parameter named for the bound

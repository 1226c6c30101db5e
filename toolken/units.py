"""The quantity a number's unit measures ("40 m/s": a speed, "6 seconds": a time, "440Hz": a
frequency, "$50": money) and the number parameters that ask for it, by a word of their name
("initial_velocity", "duration") or, for a name that says none, of their description ("the time
elapsed in seconds"). `keyed.keyed_numbers` keys a number to the one parameter that asks for its
quantity, where no word of a parameter's name keys it: "thrown up at 40 m/s after 6 seconds" gives
`initial_velocity` 40 and `time` 6, whatever order the question writes them in."""

from __future__ import annotations

import re
from collections.abc import Callable

from .currencies import currencies
from .dates import MONTHS
from .numerals import NUMBER_RE, SCALE_RE, values_of
from .values import NAME_WORD, parameter_words

# quantity -> (units written after a number, words of a parameter's name or description asking for it);
# one-letter units that are also words ("a", "g", "in") are left out
QUANTITIES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "time": (
        frozenset(
            "s sec secs second seconds min mins minute minutes hr hrs hour hours day days week weeks "
            "month months yr yrs year years ms millisecond milliseconds night nights".split()
        ),
        frozenset("time duration period second minute hour day week month year age delay interval elapsed".split()),
    ),
    "speed": (frozenset("m/s km/h kmh kph mph ft/s knots".split()), frozenset("velocity speed".split())),
    "acceleration": (frozenset("m/s^2 m/s2 m/s² ft/s^2".split()), frozenset(["acceleration"])),
    "frequency": (frozenset("hz khz mhz ghz hertz".split()), frozenset("frequency freq".split())),
    "mass": (
        frozenset("kg kgs kilo kilos kilogram kilograms gram grams mg lb lbs ton tons tonne tonnes".split()),
        frozenset("mass weight".split()),
    ),
    "length": (
        frozenset(
            "m meter meters metre metres km kilometer kilometers kilometre kilometres cm centimeter centimeters "
            "centimetre centimetres mm millimeter millimeters millimetre millimetres mile miles ft feet "
            "foot inch inches yard yards".split()
        ),
        frozenset("length distance height width radius diameter depth displacement altitude wavelength side".split()),
    ),
    "area": (frozenset("m^2 m² m2 km^2 km² km2 ft² ft2 acre acres hectare hectares".split()), frozenset(["area"])),
    "volume": (
        frozenset("l liter liters litre litres ml gallon gallons m^3 m³ m3 ft³ ft3".split()),
        frozenset("volume capacity".split()),
    ),
    "temperature": (
        frozenset("°c °f celsius fahrenheit kelvin".split()),
        frozenset("temperature temp".split()),
    ),
    "energy": (frozenset("joule joules kj kcal calorie calories kwh".split()), frozenset(["energy"])),
    "power": (frozenset("watt watts kw mw".split()), frozenset(["power"])),
    "pressure": (frozenset("pa kpa atm psi".split()), frozenset(["pressure"])),
    "voltage": (frozenset("volt volts".split()), frozenset("voltage".split())),
    "current": (frozenset("amp amps ampere amperes ma".split()), frozenset(["current"])),
    "resistance": (frozenset("ohm ohms ω".split()), frozenset(["resistance"])),
    "charge": (frozenset("coulomb coulombs".split()), frozenset(["charge"])),
    "money": (
        frozenset("dollar dollars usd eur euro euros gbp buck bucks quid".split()),
        frozenset(
            "price cost amount budget revenue salary income principal investment payment fee deposit "
            "balance fund funds money rent savings".split()
        ),
    ),
    "percent": (frozenset("% percent percentage".split()), frozenset("rate percentage percent".split())),
    "angle": (frozenset("° degree degrees deg rad radian radians".split()), frozenset("angle".split())),
    "pixels": (frozenset("px pixel pixels megapixel megapixels".split()), frozenset("pixel pixels".split())),
    "density": (frozenset("dpi ppi".split()), frozenset("dpi ppi".split())),
    "fuel economy": (
        frozenset("l/100km mpg km/l".split()),
        frozenset("consumption economy mileage efficiency".split()),
    ),
}
_UNITS = frozenset().union(*(units for units, _ in QUANTITIES.values()))  # every unit written after a number
_MAY_BE = {"angle": {"temperature"}, "pixels": {"length"}}  # "21 degrees": a temperature too; "50 pixels" a radius
# units of two or three words, and how they read ("meters per second" is a speed, not a length)
_PHRASES = {
    "per second": "speed", "per hour": "speed", "per second squared": "acceleration",
    "degrees celsius": "temperature", "degrees fahrenheit": "temperature", "kilowatt hours": "energy",
    "kilowatt hour": "energy",
}  # fmt: skip
# "square feet", "sq m", "cubic metres", "cu ft": an area or a volume, no length
_PHRASES |= {
    f"{power} {unit}": quantity
    for powers, quantity in (("square sq", "area"), ("cubic cu", "volume"))
    for power in powers.split()
    for unit in "m km ft yd meter meters metre metres foot feet yard yards kilometre kilometres".split()
}
# a unit phrase with the unit before a rate's "per": "in meters per second" is a speed, no length
_UNIT_PHRASE = re.compile(rf"(?:[^\W\d_]+ )?\b({'|'.join(map(re.escape, _PHRASES))})\b")
_PHRASE_IN = re.compile(rf"\bin (?:[^\W\d_]+ )?({'|'.join(map(re.escape, _PHRASES))})\b")  # "in square feet"
_UNIT_AFTER = re.compile(r"(?: ?(%)| ?((?:°|[^\W\d_])[^\s,;:?!()]*?))[.]?(?=[\s,;:?!()]|$)")
_WORDS_AFTER = re.compile(r" ?((?:[^\W\d_]+ ?){1,4})")
_MONEY_SIGN = re.compile(r"[$€£]\s?$")
# fuel economy as people write it: "6.5 l/100km", "7.2 litres per 100 km", "40 miles per gallon"
_ECONOMY_NAMED = re.compile(r"(?:lit(?:er|re)s?|\bl)[ _]?(?:/|per)[ _]?100[ _]?km|miles[ _]per[ _]gallon|\bmpg\b", re.I)
_ECONOMY = re.compile(r" ?(?:l|lt?rs?|lit(?:er|re)s?) ?(?:/|per) ?100 ?km\b| ?miles? per gallon\b", re.IGNORECASE)
_BY = re.compile(rf"\s*(?:x|×|by)\s*({NUMBER_RE.pattern})", re.IGNORECASE)  # a size's sides: "6000 x 4000"


_CODE_AFTER = re.compile(r"\s?([A-Z]{3})\b")  # a currency's code after an amount, in capitals ("610 CHF", not "2 cup")


def quantity_at(text: str, start: int, end: int) -> str | None:
    """The quantity of the number written at `text[start:end]`, read from its unit ("40 m/s", "6
    seconds", "440Hz", "$50", "10%", "5 meters per second"), or None."""
    if _MONEY_SIGN.search(text, max(0, start - 2), start):
        return "money"
    if (scale := SCALE_RE.match(text, end)) and scale.group(1):
        end = scale.end()  # "1.2M" is 1.2 million, not 1.2 metres: the unit comes after the scale
    if _ECONOMY.match(text, end):
        return "fuel economy"
    if by := _BY.match(text, end):  # "6000 x 4000 pixels": both in pixels
        return quantity_at(text, by.start(1), by.end(1))
    words = _WORDS_AFTER.match(text, end)
    if words:  # the longest phrase the words after the number start with
        said = words.group(1).lower().split()
        for k in (4, 3, 2):
            if " ".join(said[:k]) in _PHRASES:
                return _PHRASES[" ".join(said[:k])]
            # after a length ("meters per second squared"); "dollars per hour" is money still
            if said[1:k] and " ".join(said[1:k]) in _PHRASES and said[0] in QUANTITIES["length"][0]:
                return _PHRASES[" ".join(said[1:k])]
    if (code := _CODE_AFTER.match(text, end)) and code.group(1) in currencies():
        return "money"  # "610 CHF"
    unit = unit_after(text, end)
    return next((q for q, (units, _) in QUANTITIES.items() if unit in units), None)


def unit_after(text: str, end: int) -> str | None:
    """The word or sign written right after a number that ends at `end`, in lower case ("m/s" in "40
    m/s.", "hz" in "440Hz", "%"), if any: the number's unit where it is one."""
    m = _UNIT_AFTER.match(text, end)
    return (m.group(1) or m.group(2)).lower() if m else None


def asked_quantities(name: str, schema: dict) -> set[str]:
    """The quantities a parameter asks for: those a word of its name names ("initial_velocity": speed),
    else the one its description names by a word or a unit ("time elapsed in seconds"), if only one."""
    if _ECONOMY_NAMED.search(f"{name} {schema.get('description', '')}"):
        return {"fuel economy"}  # `litres_per_100km`, "in miles per gallon": no volume, no length
    named = next((found for words in _name_readings(name) if (found := _asked_by(words))), set())
    if named:
        return named
    description = str(schema.get("description", "")).lower()
    described = {_PHRASES[m.group(1)] for m in _UNIT_PHRASE.finditer(description)}  # "in square feet": an area
    words = re.findall(r"[^\s,;:()]+(?<![.])", _UNIT_PHRASE.sub(" ", description))
    described |= {
        q for q, (units, asking) in QUANTITIES.items()
        if _singular(words) & asking or {w for w in words if len(w) > 1} & units
    }  # fmt: skip
    return described if len(described) == 1 else set()


def _name_readings(name: str) -> list[list[str]]:
    """The words of a parameter's name to read its quantity from, in turn: a rate's words before its
    "per" first (`price_per_liter` is money, `liters_per_100km` a volume, neither a length), then all
    (`flights_per_year` names none before it: a count in years, no distance)."""
    words = NAME_WORD.findall(name)
    per = next((k for k, w in enumerate(words) if w.lower() == "per"), None)
    return [words[:per], words] if per else [words]


def _singular(words: list[str]) -> set[str]:
    """`words` in lower case, with their singulars ("seconds": also "second")."""
    lower = {w.lower() for w in words}
    return lower | {w[:-1] for w in lower if len(w) > 3 and w.endswith("s")}


def unit_keyed(numeric: dict[str, dict], required: list[str], text: str, taken: set[int]) -> dict[str, list[int]]:
    """For the number parameters `numeric` (name -> schema) that ask for a quantity no other of them
    asks for, where the numbers written with its unit start, less those at `taken` (keyed to a
    parameter by its name). None where a `required` one asks for no quantity: it may take any ("base
    and height as 6cm and 10cm"), or where there is one alone (nothing to tell apart)."""
    asked = {n: asked_quantities(n, s) for n, s in numeric.items()}
    if len(asked) < 2 or any(not qs and n in required for n, qs in asked.items()):
        return {}
    return _lone_askers(text, taken, lambda m: quantity_at(text, m.start(), m.end()),
                        lambda quantity, n: bool(measures(quantity) & asked[n]), asked)  # fmt: skip


def _lone_askers(
    text: str, taken: set[int], read: Callable[[re.Match], str | None], asks: Callable[[str, str], bool], names: dict
) -> dict[str, list[int]]:
    """Where each number the text writes starts, by the one parameter of `names` that `asks` for what
    `read` reads beside it (its quantity, its unit), numbers at `taken` and those two ask for left out."""
    found: dict[str, list[int]] = {}
    for m in NUMBER_RE.finditer(text):
        said = read(m) if m.start() not in taken else None
        askers = [n for n in names if said and asks(said, n)]
        if len(askers) == 1:
            found.setdefault(askers[0], []).append(m.start())
    return found


def measure_keyed(numeric: dict[str, dict], text: str, taken: set[int]) -> dict[str, list[int]]:
    """For the number parameters `numeric` (name -> schema) whose name or description names a unit no
    other of them names (`named_units`: "target_volume_ml" beside two concentrations), where the
    numbers written in that very unit start, less those at `taken`: "250 mL" is the volume, whatever
    the others ask for; "6cm" goes to no `height` that names no unit."""
    named = {n: named_units(n, s) for n, s in numeric.items()}
    return _lone_askers(text, taken, lambda m: _unit_word(text, m.start(), m.end()),
                        lambda unit, n: unit in named[n], named)  # fmt: skip


def named_units(name: str, schema: dict) -> set[str]:
    """The units (singular, lower case) a parameter's name writes ("weight_kg", "duration_minutes")
    or its description says it is written in ("Wanted final volume in mL.", "Weight (kg)")."""
    words = [w.lower() for w in NAME_WORD.findall(name)]
    description = str(schema.get("description", "")).lower()
    words += [(m.group(1) or m.group(2)).rstrip(".") for m in _WRITTEN_IN.finditer(description)]
    # a letter is a unit after a word of the name ("distance_m"), never a name alone ("m", "x")
    return {_one(w) for w in words if (len(w) > 1 or len(words) > 1) and w in _UNITS}


def _unit_word(text: str, start: int, end: int) -> str | None:
    """The unit a number is written in, singular ("250 mL": "ml"; "$50": "dollar"), if any."""
    if text[max(0, start - 2) : start].rstrip().endswith("$"):
        return "dollar"
    unit = unit_after(text, end)
    return _one(unit) if unit else None


# a unit spelled out, singular, and its symbol: "10 m" is in the metres `distance_m` reads
_SYMBOLS = {"meter": "m", "metre": "m", "millimeter": "mm", "millimetre": "mm", "centimeter": "cm",
            "centimetre": "cm", "kilometer": "km", "kilometre": "km", "kilogram": "kg", "kgs": "kg"}  # fmt: skip


def _one(unit: str) -> str:
    """A unit in the singular ("minutes": "minute", "usd": "dollar"), a length or a mass by its symbol
    ("metres": "m"); a short unit as it is ("mins")."""
    unit = "dollar" if unit in ("usd", "dollars") else unit
    unit = unit[:-1] if len(unit) > 3 and unit.endswith("s") and not unit.endswith("ss") else unit
    return _SYMBOLS.get(unit, unit)


def measures(quantity: str) -> set[str]:
    """The quantities a number in a unit of `quantity` may measure ("degrees": an angle or a temperature)."""
    return {quantity} | _MAY_BE.get(quantity, set())


def unit_fits(name: str, schema: dict, text: str, start: int) -> bool:
    """Whether the number written at `start` may go to the parameter: unless its unit measures a
    quantity and the parameter asks for others ("for 5 seconds" is no `frequency`)."""
    m = NUMBER_RE.match(text, start)
    quantity = quantity_at(text, start, m.end()) if m else None
    asked = asked_quantities(name, schema)
    return not (quantity and asked and not measures(quantity) & asked)


# "second" alone is an ordinal (`second_number`); an amount, a value or a capacity may be of anything
_ANY_QUANTITY = frozenset("second amount value capacity".split())
# a unit a description says a number is written in: "Duration in minutes", "Weight (kg)"
_WRITTEN_IN = re.compile(r"\bin\s+([^\s,;:()]+)|\(\s*(?:in\s+)?([^\s,;:()]+)\s*\)")


def measured_in(name: str, schema: dict) -> set[str]:
    """The quantities a number parameter is measured in, on firm evidence: a word of its name that
    asks for one or is its unit (`minutes`, `weight_kg`; not "second" alone, `second_number`, nor "amount"),
    else a unit its description says it is written in ("Duration in minutes", "in square feet")."""
    if _ECONOMY_NAMED.search(f"{name} {schema.get('description', '')}"):
        return {"fuel economy"}
    named = next((found for words in _name_readings(name) if (found := _named_in(words))), set())
    if named:
        return named
    description = str(schema.get("description", "")).lower()
    found = {_PHRASES[m.group(1)] for m in _PHRASE_IN.finditer(description)}
    for m in _WRITTEN_IN.finditer(_PHRASE_IN.sub(" ", description)):
        unit = (m.group(1) or m.group(2)).rstrip(".")
        found |= {q for q, (units, _) in QUANTITIES.items() if unit in units}
    return found if len(found) == 1 else set()


def _asked_by(name_words: list[str]) -> set[str]:
    """The quantities words of a name ask for (`asked_quantities`)."""
    words = _singular(name_words)
    return {q for q, (_, asking) in QUANTITIES.items() if words & asking}


def _named_in(name_words: list[str]) -> set[str]:
    """The quantities words of a name ask for or are units of (`measured_in`); a unit of several words
    is read whole (`square_meters` is an area, no length)."""
    joined = " ".join(name_words).lower()
    if phrased := {q for phrase, q in _PHRASES.items() if re.search(rf"\b{re.escape(phrase)}\b", joined)}:
        return phrased
    words = _singular(name_words) - _ANY_QUANTITY
    unit_words = {w for w in words if len(w) > 1}
    return {q for q, (units, asking) in QUANTITIES.items() if words & asking or unit_words & units}


def other_measures(name: str, schema: dict, text: str) -> set[float | int]:
    """The values `text` writes only with a unit of a quantity the parameter is not measured in
    (`measured_in`: "21 degrees" or "21 kg" for `minutes`): no candidates for it. A percentage may be
    of anything, and a "rate" may be a percentage or any ratio ("covers 400 square feet per gallon")."""
    asked = measured_in(name, schema)
    if not asked or asked == {"percent"}:
        return set()
    # a length in pixels is one no unit of length measures ("radius in pixels", not `focal_length_mm`)
    in_pixels = not named_units(name, schema) & QUANTITIES["length"][0]
    fits: dict[bool, set[float | int]] = {True: set(), False: set()}
    own = set(re.findall(r"[a-z]+", parameter_words(name, schema))) if named_units(name, schema) else None
    own = own | {u for q in asked for u in QUANTITIES[q][0]} if own is not None else None  # "a 45-min ride": minutes
    for m in NUMBER_RE.finditer(text):
        quantity = quantity_at(text, m.start(), m.end())
        fit = quantity in (None, "percent") or bool(measures(quantity) & asked) and (quantity != "pixels" or in_pixels)
        # "12 shirts" weigh no 12 kg, where the parameter names its unit ("weight_kg"; a "length" may be "100 bases")
        fit = fit and not (quantity is None and own is not None and _counts_things(text, m.start(), m.end(), own))
        fit = fit and not (own is not None and _in_order(text, m.end(), own))  # "the 3rd floor" is no 3 weeks
        fits[fit].update(values_of(m, text))
    return fits[False] - fits[True]


# a plural noun right after a number: what it counts ("12 shirts", "2 duvets"); not "class", "bus", "this"
_PLURAL = re.compile(r"\s+([a-z]{2,}(?<![su]s)(?<!is)s)\b", re.IGNORECASE)
# ... or a word joined to it: what it counts ("a 2-bed flat", "a 5-star hotel")
_HYPHENED = re.compile(r"-([a-z]{3,})\b", re.IGNORECASE)
# ... or a word before a noun ("a 2 bed flat"), neither a small word
_SMALL = (
    r"(?:and|the|for|with|from|into|onto|over|under|after|before|until|this|that|more|less|extra|other|each|per"
    r"|please|pls|than|then|about|but|you|our|your|hundred|thousand|million|billion|trillion|dozen)\b"
)
_BEFORE_NOUN = re.compile(rf"\s+(?!{_SMALL})([a-z]{{3,}})\s+(?!{_SMALL})([a-z]{{3,}})\b", re.IGNORECASE)
_NOT_THINGS = frozenset(
    "does less plus always towards times yes minus was has its units mondays tuesdays wednesdays thursdays fridays "
    "saturdays sundays weekends nights evenings mornings afternoons".split()
)  # ... nor days by their names ("4 saturdays" of market days)


# an ordinal and what it puts in order ("3rd floor", "5th row"); not a day ("12th of March", "15th to 18th")
_IN_ORDER = re.compile(r"(?:st|nd|rd|th)\s+([a-z]{3,})\b", re.IGNORECASE)


def _counts_things(text: str, start: int, end: int, own: set[str]) -> bool:
    """Whether the number written at `text[start:end]` counts things: a plural noun follows it, or a
    word after a hyphen ("a 2-bed flat", "a 5-star hotel") or before a noun ("a 2 bed flat"), that is
    none of the parameter's own words and units (`own`: "280 units" for kWh described "in kWh (units)";
    "a 6-day pass" for `days`; "2 basic washes" for `washes`); not a year ("my 2025 taxes")."""
    if re.fullmatch(r"(?:19|20)\d\d", text[start:end]):
        return False
    m = _PLURAL.match(text, end) or _HYPHENED.match(text, end) or _BEFORE_NOUN.match(text, end)
    words = m.groups() if m else ()  # "2 basic washes": washes, the parameter's own, are counted
    return bool(m) and m.group(1).lower() not in _NOT_THINGS and not any(_own(w, own) for w in words)


def _in_order(text: str, end: int, own: set[str]) -> bool:
    """Whether the number ending at `end` is an ordinal of something in order that is none of the
    parameter's own words ("the 3rd floor" for `weeks`; "the 16th century" for `century` is its own)."""
    m = _IN_ORDER.match(text, end)
    word = m.group(1).lower() if m else ""
    return bool(m) and word not in ("of", "and", "the") and not _own(word, own) and word.title() not in MONTHS


def _own(word: str, own: set[str]) -> bool:
    """Whether `word`, with or without a plural s, is one of `own` ("day" of `days`, "year" of "in years")."""
    return bool({word.lower(), word.lower() + "s", word.lower().removesuffix("s")} & own)


def in_own_quantity(name: str, schema: dict, text: str) -> set[float | int]:
    """The values `text` writes with a unit of the quantity a number parameter is measured in
    (`measured_in`): "26.5 °C" for `celsius`, "3 km" for `distance_km`; a percentage for none."""
    asked = measured_in(name, schema) - {"percent"}
    return {v for m in NUMBER_RE.finditer(text) if (q := quantity_at(text, m.start(), m.end())) and measures(q) & asked
            for v in values_of(m, text)}  # fmt: skip


_TOKEN = re.compile(r"[^\s,;:?!()\"']+")
_ORDINALS = frozenset(["second"])  # a unit only after a number: "20 second delay", not "the second circle"


def units_written(name: str, schema: dict, text: str) -> list[str]:
    """The units `text` writes ("km/h", "meters", "Celsius"), as written, for a string parameter that
    takes a unit: of the quantity it asks for where it asks for one ("the unit of the speed": "km/h",
    not "meters"), else of any quantity."""
    asked = asked_quantities(name, schema) or set(QUANTITIES) - {"percent"}
    units = {u for q in asked for u in QUANTITIES[q][0]}
    found = [
        m.group(0).rstrip(".") for m in _TOKEN.finditer(text)
        if m.group(0).lower() not in _ORDINALS or re.search(r"\d\s*$", text[: m.start()])
    ]  # fmt: skip
    return list(dict.fromkeys(u for u in found if u.lower() in units))

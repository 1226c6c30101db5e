"""Three everyday tools of a second made-up user, for `benchmarks/own_tools.py --set heldout-2`:
deterministic stand-ins (a result depends only on the arguments), written for this benchmark."""

import zlib

POPULATION = {"japan": 124_500_000, "brazil": 216_400_000, "kenya": 55_100_000, "germany": 84_500_000,
              "canada": 40_100_000, "mexico": 128_500_000, "france": 68_200_000}  # fmt: skip
DEFINITIONS = {
    "ephemeral": "lasting for a very short time",
    "serendipity": "finding good things by chance",
    "ubiquitous": "present everywhere",
    "laconic": "using very few words",
    "melancholy": "a deep, lasting sadness",
    "gregarious": "fond of company",
}


def get_population(country: str) -> int:
    """Get the population of a country.

    Args:
        country: The name of the country.
    """
    key = country.strip().lower()
    return POPULATION.get(key, zlib.crc32(key.encode()) % 90_000_000 + 1_000_000)


def calculate_bmi(weight_kg: float, height_m: float) -> float:
    """Calculate the body mass index from a weight and a height.

    Args:
        weight_kg: The weight in kilograms.
        height_m: The height in meters.
    """
    return round(weight_kg / height_m**2, 1)


def define_word(word: str) -> str:
    """Look up the definition of an English word.

    Args:
        word: The word to define.
    """
    return DEFINITIONS.get(word.strip().lower(), f"no entry for {word.strip().lower()}")

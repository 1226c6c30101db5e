"""Five everyday tools of a third made-up user, for `benchmarks/own_tools.py --set heldout-3`:
deterministic stand-ins (a result depends only on the arguments), written for this benchmark."""

import zlib

WORDS = {
    "hello": {"spanish": "hola", "french": "bonjour", "german": "hallo", "italian": "ciao"},
    "thank you": {"spanish": "gracias", "french": "merci", "german": "danke", "italian": "grazie"},
    "cat": {"spanish": "gato", "french": "chat", "german": "Katze", "italian": "gatto"},
    "water": {"spanish": "agua", "french": "eau", "german": "Wasser", "italian": "acqua"},
    "friend": {"spanish": "amigo", "french": "ami", "german": "Freund", "italian": "amico"},
    "bread": {"spanish": "pan", "french": "pain", "german": "Brot", "italian": "pane"},
}


def _crc(text: str) -> int:
    return zlib.crc32(text.strip().lower().encode())


def get_stock_price(company: str) -> float:
    """Get the latest share price of a company, in US dollars.

    Args:
        company: The name of the company.
    """
    return round(20 + _crc(company) % 48000 / 100, 2)


def translate_word(word: str, language: str) -> str:
    """Translate an English word into another language.

    Args:
        word: The English word or short phrase.
        language: The language to translate into.
    """
    return WORDS.get(word.strip().lower(), {}).get(language, f"no translation of {word.strip().lower()}")


def local_time(city: str) -> str:
    """Get the current local time in a city.

    Args:
        city: The name of the city.
    """
    minutes = _crc(city) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def monthly_loan_payment(principal: float, annual_rate_percent: float, years: int) -> float:
    """Calculate the monthly payment of a fixed-rate loan.

    Args:
        principal: The amount borrowed.
        annual_rate_percent: The yearly interest rate, in percent.
        years: How many years the loan runs.
    """
    rate, months = annual_rate_percent / 1200, years * 12
    if rate == 0:
        return round(principal / months, 2)
    return round(principal * rate / (1 - (1 + rate) ** -months), 2)


def count_words(text: str) -> int:
    """Count the words in a piece of text.

    Args:
        text: The text whose words are counted.
    """
    return len(text.split())

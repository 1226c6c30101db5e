"""Five smart-home tools of a tenth made-up user, for `benchmarks/own_tools.py --set heldout-10`, given
as Python functions with type hints and docstrings (no JSON file): deterministic stand-ins (a result
depends only on the arguments), written for this benchmark."""

import enum
from typing import Literal


class Room(enum.Enum):
    KITCHEN = "kitchen"
    BEDROOM = "bedroom"
    LIVING_ROOM = "living room"
    BATHROOM = "bathroom"


def set_thermostat(temperature: float, unit: Literal["celsius", "fahrenheit"] = "celsius") -> str:
    """Set the thermostat to a temperature.

    Args:
        temperature: The temperature to keep the home at.
        unit: The temperature scale.
    """
    return f"Thermostat set to {temperature:g} degrees {unit}"


def switch_lights(room: Room, on: bool = True) -> str:
    """Turn the lights in a room on or off.

    Args:
        room: Which room.
        on: True to turn the lights on, false to turn them off.
    """
    return f"Lights in the {room.value} are {'on' if on else 'off'}"


def play_music(artist: str, shuffle: bool = False) -> str:
    """Play songs by an artist on the speakers.

    Args:
        artist: The singer or band.
        shuffle: Whether to play the songs in random order.
    """
    return f"Playing {artist}{' on shuffle' if shuffle else ''}"


def start_timer(minutes: int, label: str = "timer") -> str:
    """Start a countdown timer.

    Args:
        minutes: How many minutes the timer runs.
        label: A name for the timer.
    """
    if minutes < 1:
        raise ValueError("at least one minute")
    return f"{label} set for {minutes} minutes"


def weather_alerts(state: str) -> str:
    """Get the active weather alerts for a US state.

    Args:
        state: The state's two-letter code, such as TX.
    """
    if len(state) != 2 or not state.isalpha():
        raise ValueError("a two-letter state code")
    return f"{sum(map(ord, state.upper())) % 4} active alerts in {state.upper()}"

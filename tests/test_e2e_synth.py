"""End to end on the real default model (SmolLM2-135M-Instruct), with no demonstration written by
anyone: a user's two tools (`examples/`) -> `toolken train --synth` -> `toolken run`, through the CLI."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).parents[1] / "examples"
ONE_THREAD = {**os.environ, "OMP_NUM_THREADS": "1"}  # two threads under load made this 10x slower


def _toolken(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "toolken.cli", *args], input=stdin, capture_output=True, text=True, env=ONE_THREAD
    )


@pytest.mark.parametrize("prompt_format", ["plain", "chat"])
def test_synth_train_run_on_a_users_own_tools(tmp_path, prompt_format):
    tools = ["--tools", str(EXAMPLES / "tools.json"), "--functions", str(EXAMPLES / "my_tools.py")]
    out = ["--out", str(tmp_path / "head"), "--prompt-format", prompt_format]
    trained = _toolken("train", *tools, "--synth", "30", *out)
    assert trained.returncode == 0, trained.stderr[-2000:]
    questions = "\n".join(
        ["What is 40 degrees Celsius in Fahrenheit?", "Who wrote Romeo and Juliet?", "What should I eat for dinner?"]
        + ["Thanks a lot!", "Give me three tips for saving money."]
    )
    ran = _toolken("run", str(tmp_path / "head"), "--json", tools[2], tools[3], stdin=questions)
    assert ran.returncode == 0, ran.stderr[-2000:]
    fahrenheit, words, dinner, thanks, tips = (json.loads(line) for line in ran.stdout.strip().splitlines())
    call = fahrenheit["calls"][0]
    assert (call["tool"], call["arguments"], call["result"]) == ("to_fahrenheit", {"celsius": 40}, "104")
    assert words["calls"] == []  # a question no tool answers is answered in words
    # the plain model answers this "A: A: A: ..." after "Q: ...\nA:" unless kept from writing the label again
    assert dinner["text"].strip() and not dinner["text"].lstrip().startswith("A:"), dinner["text"]
    # the plain model ends these answers at their first token unless kept to write a word
    assert thanks["text"].strip() and not thanks["calls"] and tips["text"].strip(), (thanks, tips)


CALENDAR = '''
import datetime


def create_event(title: str, start: datetime.datetime, duration_minutes: int = 60) -> str:
    """Create an event in the user's calendar.

    Args:
        title: The event's title.
        start: When the event starts.
        duration_minutes: How long the event lasts, in minutes.
    """
    return f"Created {title!r} at {start:%Y-%m-%d %H:%M} for {duration_minutes} min"


def set_reminder(text: str, at: datetime.datetime) -> str:
    """Set a reminder that fires at a given moment.

    Args:
        text: What to be reminded of.
        at: When the reminder fires.
    """
    return f"Reminder {text!r} set for {at:%Y-%m-%d %H:%M}"


def list_events(day: datetime.date) -> str:
    """List the events in the user's calendar on a day.

    Args:
        day: The day to list.
    """
    return f"On {day}: standup at 09:30"
'''


def test_days_and_moments_said_as_people_say_them(tmp_path):
    import datetime

    (tmp_path / "calendar.py").write_text(CALENDAR)
    functions = ["--functions", str(tmp_path / "calendar.py")]
    trained = _toolken("train", *functions, "--synth", "40", "--out", str(tmp_path / "head"))
    assert trained.returncode == 0, trained.stderr[-2000:]
    questions = "Set a reminder to water the plants tomorrow at 8am.\nWhat's on my calendar next Friday?\n"
    ran = _toolken("run", str(tmp_path / "head"), "--json", *functions, stdin=questions)
    assert ran.returncode == 0, ran.stderr[-2000:]
    reminder, day = (json.loads(line)["calls"] for line in ran.stdout.strip().splitlines())
    today = datetime.date.today()
    tomorrow = today + datetime.timedelta(days=1)
    friday = today + datetime.timedelta(days=(4 - today.weekday()) % 7 or 7)  # "next Friday": never today
    assert (reminder[0]["tool"], reminder[0]["arguments"]) == (
        "set_reminder",
        {"text": "water the plants", "at": f"{tomorrow}T08:00:00"},
    )
    assert (day[0]["tool"], day[0]["arguments"]) == ("list_events", {"day": friday.isoformat()})

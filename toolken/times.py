"""Times of day as people write them ("19:00", "7:30 pm", "5pm", "noon", "half past 9", "10 o'clock"),
read as ISO times."""

from __future__ import annotations

import datetime
import re

# a time of day: "19:00", "7:30 pm", "5pm", "7 P.M.", "noon", "midnight", "half past 9", "10 o'clock"
TIME_RE = re.compile(
    r"(?<![\d:.])(?P<h>\d{1,2})(?::(?P<m>[0-5]\d))?(?::[0-5]\d)?(?:\s*(?P<ap>[ap])\.?m\b\.?|(?(m)(?![\d:])|(?!)))"
    r"|\b(?P<word>noon|midnight)\b"
    r"|\b(?:(?P<part>half|quarter)\s+(?P<rel>past|to)\s+(?P<ph>\d{1,2})|(?P<oh>\d{1,2})\s+o['’]?clock)\b"
    r"(?:\s*(?P<pap>[ap])\.?m\b\.?)?",
    re.I,
)


def times_in(text: str) -> list[str]:
    """The times of day `text` writes, as ISO times ("19:00:00") in the order written: "19:00", "7:30
    pm", "5pm", "noon", "half past 9"; a bare number ("at 7") is none, nor an hour past 23 or a 12-hour
    one past 12."""
    return list(dict.fromkeys(iso for _, _, iso in times_at(text)))


def times_at(text: str) -> list[tuple[int, int, str]]:
    """Each time of day `text` writes (`times_in`): where it starts and ends, and its ISO string."""
    found = []
    for m in TIME_RE.finditer(text):
        if m.group("word"):
            found.append((m.start(), m.end(), "12:00:00" if m.group("word").lower() == "noon" else "00:00:00"))
            continue
        hour, minute, half = _spoken(m) if m.group("ph") or m.group("oh") else _clock(m)
        if (half and not 1 <= hour <= 12) or hour > 23:
            continue
        hour = hour % 12 + (12 if half == "p" else 0) if half else hour
        found.append((m.start(), m.end(), datetime.time(hour, minute).isoformat()))
    return found


def _clock(m: re.Match) -> tuple[int, int, str]:
    """The hour, minute and "a" or "p" (or "") of a time written in digits ("7:30 pm")."""
    return int(m.group("h")), int(m.group("m") or 0), (m.group("ap") or "").lower()


def _spoken(m: re.Match) -> tuple[int, int, str]:
    """The hour, minute and "a" or "p" (or "") of a time said in words ("half past 9", "quarter to 10")."""
    half = (m.group("pap") or "").lower()
    if m.group("oh"):
        return int(m.group("oh")), 0, half
    hour, minutes = int(m.group("ph")), 30 if m.group("part").lower() == "half" else 15
    if m.group("rel").lower() == "to":  # "quarter to 10": 9:45, "half to": not said
        return (hour - 1 if hour > 1 else 12, 60 - minutes, half) if minutes == 15 else (99, 0, half)
    return hour, minutes, half

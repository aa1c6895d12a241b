"""Read an availability question typed as a phrase, in English or Korean.

    "4 GPUs for 8 hours next week"
    "2 seats of an analogue simulator on Thursday afternoon"
    "다음 주 GPU 4개 8시간", "목요일 오후 아날로그 시뮬레이터 2석"

:func:`parse_phrase` fills what it recognises (units, hours, kind of resource, a day or a
week, a part of the day) and leaves the rest to the search form's defaults; it never guesses
beyond the words it knows, and says which words it used. Pure Python: no database.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from sangsaeng.resources.slots import SEOUL

# category code → words that name it (lower case; Korean as written).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "gpu": ("gpu", "gpus", "graphics card", "그래픽", "지피유"),
    "eda_analogue": ("analogue", "analog", "spice", "아날로그"),
    "eda_digital": (
        "digital",
        "synthesis",
        "place and route",
        "p&r",
        "implementation",
        "디지털",
        "합성",
    ),
    "eda_verification": ("verification", "formal", "uvm", "검증"),
    "probe_station": ("probe", "프로브"),
    "fpga": ("fpga",),
    "measurement": ("oscilloscope", "analyser", "analyzer", "측정", "오실로스코프"),
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "월요일": 0,
    "tuesday": 1, "tue": 1, "화요일": 1,
    "wednesday": 2, "wed": 2, "수요일": 2,
    "thursday": 3, "thu": 3, "목요일": 3,
    "friday": 4, "fri": 4, "금요일": 4,
    "saturday": 5, "sat": 5, "토요일": 5,
    "sunday": 6, "sun": 6, "일요일": 6,
}  # fmt: skip
# Part of the day → local hours [from, to).
DAY_PARTS = {
    "morning": (9, 12), "오전": (9, 12), "아침": (9, 12),
    "afternoon": (13, 18), "오후": (13, 18),
    "evening": (18, 22), "저녁": (18, 22),
    "night": (20, 24), "밤": (20, 24),
}  # fmt: skip
UNIT_WORDS = r"gpus?|seats?|licen[cs]es?|boards?|units?|석|자리|개|장|대|명"
UNITS = re.compile(
    rf"(\d+)\s*(?:x\s*)?(?:{UNIT_WORDS})\b|(?:gpu|fpga)\s*(\d+)\s*(?:개|대|장)", re.I
)
HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:hours?|hrs?|h|시간)(?![a-z])", re.I)
DAYS = re.compile(r"(\d+)\s*(?:days?|일간|일 동안)", re.I)


@dataclass
class ParsedPhrase:
    units: int | None = None
    hours: float | None = None
    category: str = ""
    window_start: datetime.datetime | None = None
    window_end: datetime.datetime | None = None
    understood: list[str] = field(default_factory=list)


def _day_start(day: datetime.date, hour: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), SEOUL) + datetime.timedelta(hours=hour)


def parse_phrase(text: str, *, now: datetime.datetime) -> ParsedPhrase:
    """What ``text`` asks for, relative to ``now``."""
    phrase = ParsedPhrase()
    lowered = " " + (text or "").lower().strip() + " "
    match = UNITS.search(lowered)
    if match:
        phrase.units = int(match.group(1) or match.group(2))
        phrase.understood.append(match.group(0).strip())
    match = HOURS.search(lowered)
    if match:
        phrase.hours = float(match.group(1))
        phrase.understood.append(match.group(0).strip())
    else:
        match = DAYS.search(lowered)
        if match:
            phrase.hours = 24.0 * int(match.group(1))
            phrase.understood.append(match.group(0).strip())
    for code, words in CATEGORY_WORDS.items():
        found = next((w for w in words if re.search(rf"(?<![a-z]){re.escape(w)}", lowered)), None)
        if found:
            phrase.category = code
            phrase.understood.append(found)
            break

    today = now.astimezone(SEOUL).date()
    days: tuple[datetime.date, datetime.date] | None = None  # [first, last]
    if re.search(r"next week|다음\s*주|담주", lowered):
        monday = today + datetime.timedelta(days=7 - today.weekday())
        days = (monday, monday + datetime.timedelta(days=6))
        phrase.understood.append("next week")
    elif re.search(r"this week|이번\s*주", lowered):
        days = (today, today + datetime.timedelta(days=6 - today.weekday()))
        phrase.understood.append("this week")
    elif re.search(r"day after tomorrow|모레", lowered):
        days = (today + datetime.timedelta(days=2),) * 2
        phrase.understood.append("day after tomorrow")
    elif re.search(r"tomorrow|내일", lowered):
        days = (today + datetime.timedelta(days=1),) * 2
        phrase.understood.append("tomorrow")
    elif re.search(r"today|오늘", lowered):
        days = (today, today)
        phrase.understood.append("today")
    else:
        for word, weekday in WEEKDAYS.items():
            if re.search(rf"(?<![a-z]){word}(?![a-z])", lowered):
                ahead = (weekday - today.weekday()) % 7
                if re.search(r"next|다음", lowered) and ahead < 7:
                    ahead = ahead or 7
                day = today + datetime.timedelta(days=ahead)
                days = (day, day)
                phrase.understood.append(word)
                break
    part = next(((word, hours) for word, hours in DAY_PARTS.items() if word in lowered), None)
    if days is not None:
        first, last = days
        start_hour, end_hour = part[1] if part else (0, 24)
        phrase.window_start = _day_start(first, start_hour)
        phrase.window_end = _day_start(last, end_hour)
        if part and phrase.hours is None:
            phrase.hours = float(end_hour - start_hour)
    elif part:
        start_hour, end_hour = part[1]
        day = today if now.astimezone(SEOUL).hour < end_hour else today + datetime.timedelta(1)
        phrase.window_start = _day_start(day, start_hour)
        phrase.window_end = _day_start(day, end_hour)
    if part:
        phrase.understood.append(part[0])
    return phrase

"""Reading availability questions typed as phrases, in English and Korean."""

from __future__ import annotations

import datetime

import pytest

from sangsaeng.resources.phrases import parse_phrase
from sangsaeng.resources.slots import SEOUL

# A Wednesday afternoon in Seoul.
NOW = datetime.datetime(2026, 11, 25, 15, 0, tzinfo=SEOUL)


def at(day: int, hour: int) -> datetime.datetime:
    return (
        datetime.datetime(2026, 11, day, hour, tzinfo=SEOUL)
        if day <= 30
        else (datetime.datetime(2026, 12, day - 30, hour, tzinfo=SEOUL))
    )


@pytest.mark.parametrize(
    ("text", "units", "hours", "category", "start", "end"),
    [
        ("4 GPUs for 8 hours next week", 4, 8, "gpu", at(30, 0), at(37, 0)),
        ("2 seats of an analogue simulator on Thursday afternoon", 2, 5, "eda_analogue",
         at(26, 13), at(26, 18)),
        ("다음 주 GPU 4개 8시간", 4, 8, "gpu", at(30, 0), at(37, 0)),
        ("목요일 오후 아날로그 시뮬레이터 2석", 2, 5, "eda_analogue", at(26, 13), at(26, 18)),
        ("probe station tomorrow morning for 2h", None, 2, "probe_station", at(26, 9), at(26, 12)),
        ("an FPGA board for 3 days", None, 72, "fpga", None, None),
        ("verification licence on next Monday", None, None, "eda_verification", at(30, 0),
         at(31, 0)),
    ],
)  # fmt: skip
def test_phrases(text, units, hours, category, start, end):
    phrase = parse_phrase(text, now=NOW)
    assert phrase.units == units
    assert phrase.hours == hours
    assert phrase.category == category
    assert phrase.window_start == start
    assert phrase.window_end == end


def test_a_phrase_it_does_not_understand_leaves_everything_to_the_form():
    phrase = parse_phrase("something nice", now=NOW)
    assert (phrase.units, phrase.hours, phrase.category, phrase.window_start) == (
        None, None, "", None,
    )  # fmt: skip

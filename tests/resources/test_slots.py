"""Peak use, opening hours and free slots, without the database."""

from __future__ import annotations

import datetime

from sangsaeng.resources.slots import SEOUL, Hold, OpeningHours, free_slots, peak

MONDAY = datetime.datetime(2026, 11, 30, tzinfo=SEOUL)
ALWAYS = OpeningHours(None, None, frozenset(range(7)))
OFFICE = OpeningHours(datetime.time(9), datetime.time(18), frozenset(range(5)))


def h(hour: float) -> datetime.datetime:
    return MONDAY + datetime.timedelta(hours=hour)


def test_peak_counts_overlaps_and_not_back_to_back():
    holds = [Hold(h(9), h(12), 2), Hold(h(11), h(13), 3), Hold(h(12), h(14), 1)]
    assert peak(holds, h(9), h(14)) == 5
    assert peak(holds, h(12), h(14)) == 4
    assert peak(holds, h(13), h(15)) == 1
    assert peak(holds, h(14), h(15)) == 0


def test_opening_hours_keep_a_booking_within_one_day():
    assert OFFICE.allows(h(9), h(18))
    assert not OFFICE.allows(h(8), h(10))
    assert not OFFICE.allows(h(17), h(19))
    assert not OFFICE.allows(h(24 * 5 + 10), h(24 * 5 + 11))  # Saturday
    assert OFFICE.open_hours(MONDAY, MONDAY + datetime.timedelta(days=7)) == 45
    assert ALWAYS.open_hours(MONDAY, MONDAY + datetime.timedelta(days=7)) == 168


def test_free_slots_are_the_earliest_that_fit():
    holds = [Hold(h(9), h(12), 8), Hold(h(12), h(15), 6)]
    found = free_slots(
        holds, capacity=8, units=4, duration=datetime.timedelta(hours=2),
        window_start=h(9), window_end=h(24), hours=ALWAYS, limit=2,
    )  # fmt: skip
    assert found == [(h(15), h(17), 4), (h(17), h(19), 4)]


def test_free_slots_respect_opening_hours():
    found = free_slots(
        [], capacity=1, units=1, duration=datetime.timedelta(hours=4),
        window_start=h(16), window_end=h(24 + 18), hours=OFFICE, limit=1,
    )  # fmt: skip
    assert found == [(h(24 + 9), h(24 + 13), 0)]

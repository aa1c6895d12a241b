"""Time arithmetic of bookings, free of the database: opening hours, peak use, free slots.

Times are aware datetimes. Opening hours are local times in the cluster's time zone
(Asia/Seoul); a booking of a resource with opening hours lies within one day's opening.
"""

from __future__ import annotations

import bisect
import datetime
import heapq
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class Hold:
    """Capacity held over [start, end): a booking or an open waitlist offer."""

    start: datetime.datetime
    end: datetime.datetime
    units: int


@dataclass(frozen=True)
class OpeningHours:
    """Open from ``opens`` to ``closes`` (local) on ``weekdays`` (0 Monday); None: always."""

    opens: datetime.time | None
    closes: datetime.time | None
    weekdays: frozenset[int]

    @property
    def always(self) -> bool:
        return self.opens is None or self.closes is None

    def allows(self, start: datetime.datetime, end: datetime.datetime) -> bool:
        """Whether [start, end) lies within one day's opening."""
        if self.always:
            return True
        assert self.opens is not None and self.closes is not None
        local_start, local_end = start.astimezone(SEOUL), end.astimezone(SEOUL)
        day = local_start.date()
        if day.weekday() not in self.weekdays:
            return False
        opening = datetime.datetime.combine(day, self.opens, SEOUL)
        closing = datetime.datetime.combine(day, self.closes, SEOUL)
        return opening <= local_start and local_end <= closing

    def openings(
        self, start: datetime.datetime, end: datetime.datetime
    ) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
        """Each opening (local day) that overlaps [start, end), clipped to it."""
        if self.always:
            yield start, end
            return
        assert self.opens is not None and self.closes is not None
        day = start.astimezone(SEOUL).date()
        last = end.astimezone(SEOUL).date()
        while day <= last:
            if day.weekday() in self.weekdays:
                opening = datetime.datetime.combine(day, self.opens, SEOUL)
                closing = datetime.datetime.combine(day, self.closes, SEOUL)
                clipped = max(opening, start), min(closing, end)
                if clipped[0] < clipped[1]:
                    yield clipped
            day += datetime.timedelta(days=1)

    def open_hours(self, start: datetime.datetime, end: datetime.datetime) -> float:
        """How many hours it is open within [start, end)."""
        return sum((b - a).total_seconds() for a, b in self.openings(start, end)) / 3600


def peak(holds: Iterable[Hold], start: datetime.datetime, end: datetime.datetime) -> int:
    """The most units held at any instant of [start, end)."""
    events: list[tuple[datetime.datetime, int]] = []
    for hold in holds:
        if hold.start < end and hold.end > start:
            events.append((max(hold.start, start), hold.units))
            events.append((min(hold.end, end), -hold.units))
    # Ends sort before starts at the same instant: back-to-back bookings do not overlap.
    events.sort(key=lambda event: (event[0], event[1]))
    current = highest = 0
    for _when, change in events:
        current += change
        highest = max(highest, current)
    return highest


def ceil_to(moment: datetime.datetime, minutes: int) -> datetime.datetime:
    """``moment`` rounded up to a whole multiple of ``minutes`` past the hour."""
    seconds = _ceil_seconds(moment.timestamp(), minutes * 60)
    return datetime.datetime.fromtimestamp(seconds, tz=moment.tzinfo)


def _ceil_seconds(seconds: float, step: int) -> int:
    # Seoul's offset is whole hours, so steps of the epoch are steps of the local clock.
    whole = math.ceil(seconds - 1e-6)
    return whole + (-whole) % step


def peak_seconds(holds: Sequence[tuple[int, int, int]], start: int, end: int) -> int:
    """``peak`` over holds given as (start, end, units) in epoch seconds."""
    events = []
    for hold_start, hold_end, held in holds:
        if hold_start < end and hold_end > start:
            events.append((max(hold_start, start), held))
            events.append((min(hold_end, end), -held))
    events.sort()
    current = highest = 0
    for _when, change in events:
        current += change
        if current > highest:
            highest = current
    return highest


def free_slots_seconds(
    holds: Sequence[tuple[int, int, int]],
    *,
    capacity: int,
    units: int,
    duration: int,
    window_start: int,
    window_end: int,
    openings: Sequence[tuple[int, int]] | None,
    limit: int = 3,
    granularity: int = 1800,
    start_before: int | None = None,
) -> list[tuple[int, int, int]]:
    """:func:`free_slots` in epoch seconds; ``openings`` None means always open.

    ``start_before`` stops the search at slots starting later (a caller that keeps only the
    earliest options across many resources passes the latest start it still wants).

    Candidate starts are the window's start, each opening, each end of a hold (rounded up to
    the granularity) and each end of a slot found, so the earliest free start is always
    among them.
    """
    if units > capacity or window_end - window_start < duration:
        return []
    relevant = [h for h in holds if h[0] < window_end and h[1] > window_start]
    candidates = {_ceil_seconds(window_start, granularity)}
    if openings is not None:
        candidates.update(_ceil_seconds(max(a, window_start), granularity) for a, _b in openings)
    for _start, hold_end, _units in relevant:
        if window_start <= hold_end < window_end:
            candidates.add(_ceil_seconds(hold_end, granularity))
    opening_starts = [a for a, _b in openings] if openings is not None else []
    found: list[tuple[int, int, int]] = []
    queue = sorted(candidates)
    heapq.heapify(queue)
    earliest = window_start
    while queue:
        start = heapq.heappop(queue)
        if start < earliest:
            continue
        end = start + duration
        if end > window_end or (start_before is not None and start > start_before):
            break
        if openings is not None:
            index = bisect.bisect_right(opening_starts, start) - 1
            if index < 0 or end > openings[index][1]:
                continue
        used = peak_seconds(relevant, start, end)
        if used + units <= capacity:
            found.append((start, end, capacity - used - units))
            if len(found) >= limit:
                break
            earliest = end
            heapq.heappush(queue, end)  # the next option may follow this one directly
    return found


def free_slots(
    holds: Sequence[Hold],
    *,
    capacity: int,
    units: int,
    duration: datetime.timedelta,
    window_start: datetime.datetime,
    window_end: datetime.datetime,
    hours: OpeningHours,
    limit: int = 3,
    granularity_minutes: int = 30,
) -> list[tuple[datetime.datetime, datetime.datetime, int]]:
    """Up to ``limit`` non-overlapping free slots of ``duration`` for ``units``, earliest first.

    Each slot is (start, end, units still free over it after this booking).
    """
    openings = (
        None
        if hours.always
        else [
            (int(a.timestamp()), int(b.timestamp()))
            for a, b in hours.openings(window_start, window_end)
        ]
    )
    found = free_slots_seconds(
        [(int(h.start.timestamp()), int(h.end.timestamp()), h.units) for h in holds],
        capacity=capacity,
        units=units,
        duration=int(duration.total_seconds()),
        window_start=math.ceil(window_start.timestamp()),
        window_end=int(window_end.timestamp()),
        openings=openings,
        limit=limit,
        granularity=granularity_minutes * 60,
    )
    zone = window_start.tzinfo
    return [
        (
            datetime.datetime.fromtimestamp(a, tz=zone),
            datetime.datetime.fromtimestamp(b, tz=zone),
            free,
        )
        for a, b, free in found
    ]

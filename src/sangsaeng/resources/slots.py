"""Time arithmetic of bookings, free of the database: opening hours, peak use, free slots.

Times are aware datetimes. Opening hours are local times in the cluster's time zone
(Asia/Seoul); a booking of a resource with opening hours lies within one day's opening.
"""

from __future__ import annotations

import datetime
import heapq
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
    moment = moment.replace(second=0, microsecond=0) + (
        datetime.timedelta(minutes=1)
        if moment.second or moment.microsecond
        else datetime.timedelta()
    )
    extra = moment.minute % minutes
    return moment + datetime.timedelta(minutes=(minutes - extra) % minutes)


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

    Each slot is (start, end, units still free over it after this booking). Candidate starts
    are the window's start, each opening, each end of a hold (rounded up to the granularity)
    and each end of a slot found, so the earliest free start is always among them.
    """
    if units > capacity or window_end - window_start < duration:
        return []
    relevant = [h for h in holds if h.start < window_end and h.end > window_start]
    candidates = {ceil_to(window_start, granularity_minutes)}
    for opening, _closing in hours.openings(window_start, window_end):
        candidates.add(ceil_to(opening, granularity_minutes))
    for hold in relevant:
        if window_start <= hold.end < window_end:
            candidates.add(ceil_to(hold.end, granularity_minutes))
    found: list[tuple[datetime.datetime, datetime.datetime, int]] = []
    queue = sorted(candidates)
    heapq.heapify(queue)
    earliest = window_start
    while queue:
        start = heapq.heappop(queue)
        if start < earliest:
            continue
        end = start + duration
        if end > window_end:
            break
        if not hours.allows(start, end):
            continue
        used = peak(relevant, start, end)
        if used + units <= capacity:
            found.append((start, end, capacity - used - units))
            if len(found) >= limit:
                break
            earliest = end
            heapq.heappush(queue, end)  # the next option may follow this one directly
    return found

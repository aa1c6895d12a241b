"""Matchmaking-meeting benchmark: event-sized instances, scheduled share, LP bound and gap.

    .venv/bin/python bench/meetings/bench_meetings.py --participants 600 --requests 3000 \\
        --slots 16 --tables 80

    .venv/bin/python bench/meetings/bench_meetings.py --available-slots 6   # sparse

Participants get random availability (most are there all day, some leave early or arrive
late; with ``--available-slots N`` each is available in N open slots chosen at random instead),
a third cap their meetings and some want a break after four in a row; requests favour popular
participants (a Zipf-like choice of whom to ask), a quarter are "must meet" (weight
``--must-weight``, default 3) and the rest "would like to meet" (weight 1), and the engine's
affinity of the two parties is a random number in [0, 1). The solve runs in this process, under
``--time-limit`` seconds in all (LP bound included); the peak resident memory (ru_maxrss) is
reported, and scheduled counts by priority.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import numpy as np

from sangsaeng.engine.meetings import (
    PRIORITY_WEIGHTS,
    MeetingRequest,
    PairAffinity,
    Participant,
    TimeSlot,
    schedule_meetings,
)


def make_event(
    participant_count: int,
    request_count: int,
    slot_count: int,
    seed: int,
    available_slots: int | None = None,
    must_weight: float = PRIORITY_WEIGHTS["must"],
):
    rng = np.random.default_rng(seed)
    slots = [TimeSlot(f"t{k:02d}", is_break=(k == slot_count // 2)) for k in range(slot_count)]
    slot_ids = [slot.id for slot in slots]
    open_ids = [slot.id for slot in slots if not slot.is_break]
    participants = []
    for k in range(participant_count):
        kind = rng.random()
        available = None
        if available_slots is not None:  # sparse: a few open slots chosen at random
            available = frozenset(rng.choice(open_ids, available_slots, replace=False).tolist())
        elif kind < 0.15:  # leaves early
            available = frozenset(slot_ids[: rng.integers(slot_count // 3, slot_count)])
        elif kind < 0.3:  # arrives late
            available = frozenset(slot_ids[rng.integers(1, 2 * slot_count // 3) :])
        participants.append(
            Participant(
                f"p{k:04d}",
                available,
                max_meetings=int(rng.integers(4, 9)) if rng.random() < 0.33 else None,
                max_consecutive=4 if rng.random() < 0.2 else None,
            )
        )
    popularity = 1.0 / np.arange(1, participant_count + 1) ** 0.6
    popularity /= popularity.sum()
    requests, seen = [], set()
    while len(requests) < request_count:
        requester, requested = (
            rng.integers(participant_count),
            rng.choice(participant_count, p=popularity),
        )
        key = frozenset((requester, requested))
        if requester == requested or key in seen:
            continue
        seen.add(key)
        priority = must_weight if rng.random() < 0.25 else PRIORITY_WEIGHTS["like"]
        requests.append(MeetingRequest(f"p{requester:04d}", f"p{requested:04d}", priority))
    affinities = [
        PairAffinity(r.requester, r.requested, round(float(rng.random()), 3)) for r in requests
    ]
    return participants, requests, slots, affinities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=600)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument("--tables", type=int, default=80)
    parser.add_argument("--available-slots", type=int, help="sparse: open slots per participant")
    parser.add_argument("--must-weight", type=float, default=PRIORITY_WEIGHTS["must"])
    parser.add_argument("--time-limit", type=float, default=50.0)
    parser.add_argument("--gap", type=float, default=1e-4, help="relative gap to stop within")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--seeds", type=int, default=1)
    options = parser.parse_args()
    for seed in range(options.seed, options.seed + options.seeds):
        participants, requests, slots, affinities = make_event(
            options.participants,
            options.requests,
            options.slots,
            seed,
            options.available_slots,
            options.must_weight,
        )
        started = time.perf_counter()
        schedule = schedule_meetings(
            participants,
            requests,
            slots,
            options.tables,
            affinities,
            time_limit_seconds=options.time_limit,
            relative_gap=options.gap,
        )
        seconds = time.perf_counter() - started
        summary = schedule.summary()
        table_slots = options.tables * sum(not s.is_break for s in slots)
        print(
            json.dumps(
                {
                    "participants": options.participants,
                    "requests": options.requests,
                    "slots": options.slots,
                    "tables": options.tables,
                    "available_slots": options.available_slots,
                    "relative_gap": options.gap,
                    "seed": seed,
                    "table_slots": table_slots,
                    "wall_seconds": round(seconds, 2),
                    "peak_rss_mib": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                    ),
                    **summary,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()

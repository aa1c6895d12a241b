"""MPW shuttle allocation: constraints, brute-force optima, the reasons given, bad input."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sangsaeng.engine.mpw import AreaRequest, ShuttleRun, allocate_mpw_area


@st.composite
def shuttles(draw: st.DrawFn):
    """Small runs in whole mm² (area step 1) so that every allocation can be enumerated."""
    min_block = draw(st.integers(1, 2))
    max_block = draw(st.integers(min_block, 6))
    run = ShuttleRun(
        "run",
        total_area=draw(st.integers(1, 14)),
        min_block=min_block,
        max_block=max_block,
        organisation_share=draw(st.none() | st.sampled_from([0.25, 0.5, 0.75, 1.0])),
        area_step=1,
    )
    requests = []
    for k in range(draw(st.integers(0, 5))):
        area = draw(st.integers(min_block, 8))
        minimum = draw(st.integers(1, min(area, max_block)))
        requests.append(
            AreaRequest(
                f"d{k}",
                draw(st.sampled_from(["kaist", "fabless-1", "fabless-2"])),
                area,
                draw(st.none() | st.just(minimum)) if area <= max_block else minimum,
                draw(st.sampled_from([1.0, 1.5, 2.0, 3.0])),
            )
        )
    return run, requests


def brute_force(run: ShuttleRun, requests: list[AreaRequest]) -> tuple[float, int]:
    """The best weighted area, then the most designs served, over every allocation."""
    options = []
    for request in requests:
        low = max(request.minimum, run.min_block)
        high = min(request.area, run.max_block)
        options.append([0, *range(int(low), int(high) + 1)])
    best = (0.0, 0)
    for granted in itertools.product(*options):
        if sum(granted) > run.total_area:
            continue
        per_organisation: dict[str, float] = defaultdict(float)
        for request, area in zip(requests, granted, strict=True):
            per_organisation[request.organisation] += area
        cap = run.organisation_cap
        if cap is not None and any(area > cap + 1e-9 for area in per_organisation.values()):
            continue
        value = sum(r.weight * a for r, a in zip(requests, granted, strict=True))
        served = sum(a > 0 for a in granted)
        best = max(best, (round(value, 9), served))
    return best


def check_allocation(allocation, run: ShuttleRun, requests: list[AreaRequest]) -> None:
    assert [g.design for g in allocation.grants] == [r.design for r in requests]
    assert allocation.granted_area <= run.total_area + 1e-9
    for request, grant in zip(requests, allocation.grants, strict=True):
        assert grant.granted <= min(request.area, run.max_block) + 1e-9
        if grant.granted > 0:
            assert grant.granted >= max(request.minimum, run.min_block) - 1e-9
        assert (grant.outcome == "none") == (grant.granted == 0)
        assert (grant.outcome == "full") == (grant.reason in ("full", "max_block"))
    if run.organisation_cap is not None:
        assert all(
            area <= run.organisation_cap + 1e-9 for area in allocation.by_organisation().values()
        )


@settings(max_examples=150, deadline=None)
@given(shuttle=shuttles())
def test_allocation_is_as_good_as_every_possible_one_and_respects_every_limit(shuttle):
    run, requests = shuttle
    allocation = allocate_mpw_area(run, requests)
    check_allocation(allocation, run, requests)
    best_value, most_served = brute_force(run, requests)
    assert allocation.status == "optimal"
    assert allocation.weighted_area == pytest.approx(best_value, abs=1e-6)
    assert allocation.summary()["designs_granted"] == most_served
    assert allocation.lp_bound >= allocation.weighted_area - 1e-6


@settings(max_examples=60, deadline=None)
@given(shuttle=shuttles())
def test_allocation_is_deterministic(shuttle):
    run, requests = shuttle
    assert allocate_mpw_area(run, requests).grants == allocate_mpw_area(run, requests).grants


def test_higher_priority_designs_are_served_first_and_the_last_one_partly():
    run = ShuttleRun("mpw-2026-1", total_area=20, min_block=1, max_block=10)
    requests = [
        AreaRequest("npu", "fabless-1", 8, 6, weight=3),
        AreaRequest("pmic", "fabless-2", 10, 4, weight=2),
        AreaRequest("sensor", "kaist", 6, 6, weight=1),
    ]
    allocation = allocate_mpw_area(run, requests)
    npu, pmic, sensor = allocation.grants
    assert (npu.granted, npu.outcome, npu.reason) == (8, "full", "full")
    assert (pmic.granted, pmic.outcome, pmic.reason) == (10, "full", "full")
    # 2 mm² are left, less than the sensor's 6 mm² minimum block: nothing, and that is why.
    assert (sensor.granted, sensor.outcome, sensor.reason) == (0, "none", "below_minimum")
    assert "only 2 mm² is left in the run" in sensor.detail
    assert allocation.summary()["utilisation"] == pytest.approx(0.9)


def test_a_partial_grant_says_the_run_is_full():
    run = ShuttleRun("run", total_area=12, min_block=1, max_block=10)
    requests = [AreaRequest("a", "x", 8, weight=2), AreaRequest("b", "y", 9, 2, weight=1)]
    allocation = allocate_mpw_area(run, requests)
    assert allocation.grant_of("a").outcome == "full"
    b = allocation.grant_of("b")
    assert (b.granted, b.outcome, b.reason) == (4, "partial", "run_full")
    assert b.detail.startswith("granted 4 of 9 mm² requested: the run is full")


def test_organisation_cap_keeps_one_organisation_from_taking_the_run():
    run = ShuttleRun("run", total_area=20, min_block=1, max_block=10, organisation_share=0.5)
    requests = [
        AreaRequest("big-1", "samsung-design", 10, weight=3),
        AreaRequest("big-2", "samsung-design", 8, 4, weight=3),
        AreaRequest("small", "startup", 6, weight=1),
    ]
    allocation = allocate_mpw_area(run, requests)
    assert allocation.by_organisation() == {"samsung-design": 10, "startup": 6}
    big_2 = allocation.grant_of("big-2")
    assert (big_2.granted, big_2.reason) == (0, "organisation_cap")
    assert "samsung-design reached its cap of 10 mm²" in big_2.detail
    assert allocation.grant_of("small").outcome == "full"


def test_cap_is_named_when_the_run_is_full_but_a_lower_priority_design_got_area():
    run = ShuttleRun("run", total_area=10, min_block=1, max_block=10, organisation_share=0.5)
    requests = [
        AreaRequest("a1", "org-a", 5, weight=3),
        AreaRequest("a2", "org-a", 5, weight=3),
        AreaRequest("b1", "org-b", 5, weight=1),
    ]
    allocation = allocate_mpw_area(run, requests)
    assert allocation.granted_area == 10
    refused = [g for g in allocation.grants if g.granted == 0]
    assert len(refused) == 1 and refused[0].organisation == "org-a"
    assert refused[0].reason == "organisation_cap"  # without the cap it would displace b1


def test_a_minimum_block_larger_than_the_organisation_cap_is_never_placed():
    run = ShuttleRun("run", total_area=20, min_block=1, max_block=10, organisation_share=0.25)
    allocation = allocate_mpw_area(run, [AreaRequest("wide", "x", 8, 6)])
    grant = allocation.grant_of("wide")
    assert (grant.granted, grant.outcome, grant.reason) == (0, "none", "organisation_cap")
    assert "larger than the cap of 5 mm² per organisation" in grant.detail


def test_requests_above_the_maximum_block_are_capped_and_say_so():
    run = ShuttleRun("run", total_area=100, min_block=1, max_block=16)
    grant = allocate_mpw_area(run, [AreaRequest("soc", "x", 25, 10)]).grant_of("soc")
    assert (grant.granted, grant.outcome, grant.reason) == (16, "full", "max_block")


def test_more_designs_are_served_when_the_weighted_area_is_the_same():
    run = ShuttleRun("run", total_area=10, min_block=1, max_block=10)
    requests = [
        AreaRequest("whole", "x", 10, 10),
        AreaRequest("half-1", "y", 5, 5),
        AreaRequest("half-2", "z", 5, 5),
    ]
    allocation = allocate_mpw_area(run, requests)
    assert allocation.grant_of("whole").granted == 0
    assert allocation.summary()["designs_granted"] == 2


def test_grants_are_whole_area_steps_with_no_rounding_error():
    run = ShuttleRun("run", total_area=10.005, min_block=0.5, max_block=10, area_step=0.01)
    requests = [AreaRequest(f"d{k}", f"o{k}", 3.333, 0.5) for k in range(4)]
    allocation = allocate_mpw_area(run, requests)
    assert allocation.granted_area == pytest.approx(10.0)
    for grant in allocation.grants:
        assert round(grant.granted * 100) == pytest.approx(grant.granted * 100)


def test_no_requests_is_an_empty_allocation():
    allocation = allocate_mpw_area(ShuttleRun("run", 10, 1, 5), [])
    assert allocation.grants == () and allocation.summary()["granted_area"] == 0


@pytest.mark.parametrize(
    ("run", "requests", "message"),
    [
        (ShuttleRun("r", 10, 2, 5), [AreaRequest("a", "x", 1.5)], "below the run's minimum block"),
        (ShuttleRun("r", 10, 1, 5), [AreaRequest("a", "x", 9, 6)], "can never be placed"),
        (
            ShuttleRun("r", 10, 1, 5),
            [AreaRequest("a", "x", 2), AreaRequest("a", "y", 3)],
            "requested twice",
        ),
    ],
)
def test_requests_that_cannot_take_part_are_refused_with_the_reason(run, requests, message):
    with pytest.raises(ValueError, match=message):
        allocate_mpw_area(run, requests)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ShuttleRun("r", 0, 1, 5), "total_area must be a positive number"),
        (lambda: ShuttleRun("r", 10, 6, 5), "min_block 6 mm² exceeds max_block 5 mm²"),
        (lambda: ShuttleRun("r", 10, 1, 5, 1.5), r"organisation_share must be in \(0, 1\]"),
        (lambda: AreaRequest("a", "x", 4, 5), "min_block 5 mm² exceeds the requested area"),
        (lambda: AreaRequest("a", "x", 4, weight=0), "weight must be positive"),
        (lambda: AreaRequest("a", "x", float("nan")), "area must be positive"),
    ],
)
def test_bad_runs_and_requests_say_what_is_wrong(build, message):
    with pytest.raises(ValueError, match=message):
        build()

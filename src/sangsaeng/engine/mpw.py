"""MPW shuttle area allocation: share an oversubscribed multi-project-wafer run's area.

A run has a total area (mm²) and the smallest and largest block it sells. Each request is one
design of one organisation: the area it asks for, the smallest block the design can live with,
and a priority weight per mm². The allocation

- maximises the priority-weighted area granted (the sum of weight × granted area),
- grants each design either nothing or between its minimum block and what it asked for (never
  more than the run's maximum block, never less than the run's minimum block),
- keeps the run within its total area and each organisation within a fairness cap (a share of
  the run's total area), and
- among allocations with that best weighted area, serves the most designs.

Areas are counted in whole multiples of ``area_step`` (0.001 mm² by default: a block of
1,000 µm²), so the integer program is exact, with no rounding after solving. It is solved by
HiGHS branch-and-cut (``scipy.optimize.milp``) with a zero relative gap, in two stages (the
weighted area, then the number of designs at that area); the status says ``optimal`` only
when HiGHS proved both.

Every grant carries why it is what it is (``reason``): ``full``, ``max_block`` (the run's
largest block, less than asked), ``run_full``, ``organisation_cap`` or ``below_minimum`` (what
was left is less than the design's minimum block), with the area left in the run and under the
organisation's cap, so that a page can say it in the reader's language.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

Outcome = Literal["full", "partial", "none"]
Reason = Literal["full", "max_block", "run_full", "organisation_cap", "below_minimum"]
DEFAULT_AREA_STEP = 0.001  # mm²: grants are whole multiples of this


@dataclass(frozen=True)
class ShuttleRun:
    """One MPW run: its total area, its block sizes (mm²) and the organisations' fairness cap.

    ``organisation_share`` caps what one organisation's designs get together, as a share of
    ``total_area`` (0.25: at most a quarter of the run); None: no cap.
    """

    id: str
    total_area: float
    min_block: float
    max_block: float
    organisation_share: float | None = None
    area_step: float = DEFAULT_AREA_STEP

    def __post_init__(self) -> None:
        for name in ("total_area", "min_block", "max_block", "area_step"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"run {self.id!r}: {name} must be a positive number, got {value}")
        if self.min_block > self.max_block:
            raise ValueError(
                f"run {self.id!r}: min_block {self.min_block:g} mm² exceeds "
                f"max_block {self.max_block:g} mm²"
            )
        share = self.organisation_share
        if share is not None and not (math.isfinite(share) and 0 < share <= 1):
            raise ValueError(f"run {self.id!r}: organisation_share must be in (0, 1], got {share}")

    @property
    def organisation_cap(self) -> float | None:
        """The most area (mm²) one organisation's designs may get together, or None."""
        if self.organisation_share is None:
            return None
        return self.organisation_share * self.total_area


@dataclass(frozen=True)
class AreaRequest:
    """A design asking for ``area`` mm² of a run; it can live with ``min_block`` mm² or more.

    ``min_block`` None means the whole area or nothing. ``weight`` is the priority of one mm²
    of this design (any positive number; 2 counts a mm² twice as much as 1).
    """

    design: str
    organisation: str
    area: float
    min_block: float | None = None
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.area) and self.area > 0):
            raise ValueError(f"design {self.design!r}: area must be positive, got {self.area}")
        if self.min_block is not None:
            if not (math.isfinite(self.min_block) and self.min_block > 0):
                raise ValueError(
                    f"design {self.design!r}: min_block must be positive, got {self.min_block}"
                )
            if self.min_block > self.area:
                raise ValueError(
                    f"design {self.design!r}: min_block {self.min_block:g} mm² exceeds the "
                    f"requested area {self.area:g} mm²"
                )
        if not (math.isfinite(self.weight) and self.weight > 0):
            raise ValueError(f"design {self.design!r}: weight must be positive, got {self.weight}")

    @property
    def minimum(self) -> float:
        return self.area if self.min_block is None else self.min_block


@dataclass(frozen=True)
class AreaGrant:
    """What one request got, and why (``reason`` is a code; ``detail`` says it in English)."""

    design: str
    organisation: str
    requested: float
    granted: float
    outcome: Outcome
    reason: Reason
    detail: str
    weight: float
    run_area_left: float
    organisation_area_left: float | None


@dataclass(frozen=True)
class ShuttleAllocation:
    run: ShuttleRun
    grants: tuple[AreaGrant, ...]
    weighted_area: float
    lp_bound: float
    status: str
    solve_seconds: float

    @property
    def granted_area(self) -> float:
        return _round_area(sum(g.granted for g in self.grants), self.run.area_step)

    def grant_of(self, design: str) -> AreaGrant:
        for grant in self.grants:
            if grant.design == design:
                return grant
        raise KeyError(design)

    def by_organisation(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for grant in self.grants:
            totals[grant.organisation] += grant.granted
        return {
            organisation: _round_area(area, self.run.area_step)
            for organisation, area in sorted(totals.items())
        }

    def summary(self) -> dict[str, object]:
        outcomes = Counter(g.outcome for g in self.grants)
        reasons = Counter(g.reason for g in self.grants)
        requested = sum(g.requested for g in self.grants)
        return {
            "run": self.run.id,
            "total_area": self.run.total_area,
            "organisation_cap": self.run.organisation_cap,
            "requests": len(self.grants),
            "requested_area": _round_area(requested, self.run.area_step),
            "granted_area": self.granted_area,
            "utilisation": round(self.granted_area / self.run.total_area, 6),
            "designs_granted": outcomes["full"] + outcomes["partial"],
            "outcomes": {kind: outcomes[kind] for kind in ("full", "partial", "none")},
            "reasons": dict(sorted(reasons.items())),
            "by_organisation": self.by_organisation(),
            "objective": "maximise the priority-weighted area granted, then the designs served",
            "weighted_area": round(self.weighted_area, 6),
            "lp_bound": round(self.lp_bound, 6),
            "status": self.status,
            "solver": "HiGHS MILP (scipy.optimize.milp), zero gap",
            "solve_seconds": round(self.solve_seconds, 3),
        }


def allocate_mpw_area(
    run: ShuttleRun,
    requests: Sequence[AreaRequest],
    *,
    time_limit_seconds: float = 60.0,
) -> ShuttleAllocation:
    """Allocate the run's area to the requests optimally (see the module docstring).

    Raises ``ValueError`` for a duplicate design id, a request below the run's minimum block,
    or a design whose minimum block is larger than the run's maximum block (it can never be
    placed). A request above the run's maximum block is capped at it (reason ``max_block``).
    """
    started = time.perf_counter()
    if not time_limit_seconds > 0:
        raise ValueError(f"time_limit_seconds must be positive, got {time_limit_seconds}")
    _validate(run, requests)
    step = run.area_step
    lower = np.array([_units_up(max(r.minimum, run.min_block), step) for r in requests])
    upper = np.array([_units_down(min(r.area, run.max_block), step) for r in requests])
    for request, low, high in zip(requests, lower, upper, strict=True):
        if low > high:  # only possible when the area step cannot express the interval
            raise ValueError(
                f"design {request.design!r}: no multiple of the area step {step:g} mm² lies "
                f"between its minimum {max(request.minimum, run.min_block):g} mm² and "
                f"{min(request.area, run.max_block):g} mm²"
            )
    total_units = _units_down(run.total_area, step)
    cap = run.organisation_cap
    cap_units = _units_down(cap, step) if cap is not None else None
    weights = np.array([r.weight for r in requests], dtype=np.float64)
    organisations = sorted({r.organisation for r in requests})
    organisation_of = np.array(
        [organisations.index(r.organisation) for r in requests], dtype=np.int64
    )

    granted, status, lp_bound = _solve(
        lower, upper, weights, organisation_of, len(organisations), total_units, cap_units,
        time_limit_seconds,
    )  # fmt: skip
    run_left = total_units - int(granted.sum())
    used_by_organisation = np.bincount(
        organisation_of, weights=granted, minlength=len(organisations)
    ).astype(np.int64)
    lightest_elsewhere = _lightest_granted_elsewhere(weights, granted, organisation_of)
    grants = tuple(
        _explain(
            request,
            int(granted[k]),
            int(lower[k]),
            int(upper[k]),
            run,
            run_left,
            None
            if cap_units is None
            else cap_units - int(used_by_organisation[organisation_of[k]]),
            bool(lightest_elsewhere[organisation_of[k]] < weights[k]),
        )
        for k, request in enumerate(requests)
    )
    return ShuttleAllocation(
        run=run,
        grants=grants,
        weighted_area=float(weights @ granted) * step,
        lp_bound=lp_bound * step,
        status=status,
        solve_seconds=time.perf_counter() - started,
    )


def _validate(run: ShuttleRun, requests: Sequence[AreaRequest]) -> None:
    seen: set[str] = set()
    for request in requests:
        if request.design in seen:
            raise ValueError(f"design {request.design!r} is requested twice")
        seen.add(request.design)
        check_request(run, request)


def check_request(run: ShuttleRun, request: AreaRequest) -> None:
    """Raise ``ValueError`` when a request cannot take part in the run at all."""
    if request.area < run.min_block:
        raise ValueError(
            f"design {request.design!r} requests {request.area:g} mm², below the run's "
            f"minimum block of {run.min_block:g} mm²"
        )
    if request.minimum > run.max_block:
        raise ValueError(
            f"design {request.design!r} needs at least {request.minimum:g} mm², more than "
            f"the run's maximum block of {run.max_block:g} mm²: it can never be placed"
        )


def _units_up(area: float, step: float) -> int:
    return math.ceil(area / step - 1e-9)


def _units_down(area: float, step: float) -> int:
    return math.floor(area / step + 1e-9)


def _round_area(area: float, step: float) -> float:
    decimals = max(0, -math.floor(math.log10(step))) + 1
    return round(area, decimals)


def _solve(
    lower: np.ndarray,
    upper: np.ndarray,
    weights: np.ndarray,
    organisation_of: np.ndarray,
    organisation_count: int,
    total_units: int,
    cap_units: int | None,
    time_limit_seconds: float,
) -> tuple[np.ndarray, str, float]:
    """Granted units per request, the status, and the LP relaxation's bound (in units × weight).

    Variables: granted units n (integer) then z (binary: the design is placed).
    """
    count = len(lower)
    if count == 0:
        return np.zeros(0, dtype=np.int64), "optimal", 0.0
    started = time.perf_counter()
    request_index = np.arange(count)
    # n − upper·z ≤ 0 and n − lower·z ≥ 0, i.e. lower·z − n ≤ 0.
    rows = [request_index, request_index, count + request_index, count + request_index]
    columns = [request_index, count + request_index, request_index, count + request_index]
    values = [np.ones(count), -upper.astype(float), -np.ones(count), lower.astype(float)]
    bounds_up = [np.zeros(count), np.zeros(count)]
    next_row = 2 * count
    rows.append(np.full(count, next_row))  # the run's total area
    columns.append(request_index)
    values.append(np.ones(count))
    bounds_up.append(np.array([float(total_units)]))
    next_row += 1
    if cap_units is not None:
        rows.append(next_row + organisation_of)
        columns.append(request_index)
        values.append(np.ones(count))
        bounds_up.append(np.full(organisation_count, float(cap_units)))
        next_row += organisation_count
    matrix = coo_array(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))),
        shape=(next_row, 2 * count),
    ).tocsr()
    limits = LinearConstraint(matrix, -np.inf, np.concatenate(bounds_up))
    variable_bounds = Bounds(np.zeros(2 * count), np.concatenate([upper, np.ones(count)]))
    integrality = np.concatenate([np.zeros(count), np.ones(count)])  # n by total unimodularity
    objective = np.concatenate([-weights, np.zeros(count)])

    relaxed = milp(objective, constraints=limits, bounds=variable_bounds)
    lp_bound = -float(relaxed.fun) if relaxed.x is not None else 0.0

    def remaining() -> float:
        return time_limit_seconds - (time.perf_counter() - started)

    first = milp(
        objective,
        constraints=limits,
        integrality=integrality,
        bounds=variable_bounds,
        options={"time_limit": time_limit_seconds, "mip_rel_gap": 0.0},
    )
    if first.x is None:
        raise RuntimeError(f"HiGHS found no allocation: {first.message}")
    placed = first.x[count:] > 0.5
    proved = first.status == 0
    if remaining() > 0:
        # Second stage: the most designs among allocations with (at least) that weighted area.
        best_value = -float(first.fun)
        keep_value = LinearConstraint(
            np.concatenate([weights, np.zeros(count)])[np.newaxis, :],
            best_value - 1e-9 * max(1.0, abs(best_value)),
            np.inf,
        )
        second = milp(
            np.concatenate([np.zeros(count), -np.ones(count)]),
            constraints=[limits, keep_value],
            integrality=integrality,
            bounds=variable_bounds,
            options={"time_limit": remaining(), "mip_rel_gap": 0.0},
        )
        if second.x is not None:
            placed = second.x[count:] > 0.5
        proved = proved and second.status == 0
    else:
        proved = False
    # Third: the designs fixed, whole units. With z fixed the constraints (bounds, the run's
    # total, one cap per organisation) form a laminar family, so this LP has an integral
    # optimum equal to the continuous one: the first stage's optimum is exact in whole units.
    fixed = np.concatenate([np.zeros(count), placed.astype(float)])
    third = milp(
        objective,
        constraints=limits,
        integrality=np.ones(2 * count),
        bounds=Bounds(fixed, np.concatenate([upper, placed.astype(float)])),
        options={"time_limit": max(remaining(), 1.0), "mip_rel_gap": 0.0},
    )
    if third.x is None:
        raise RuntimeError(f"HiGHS could not size the chosen designs: {third.message}")
    granted = _rounded(third.x[:count])
    if not _feasible(granted, lower, upper, organisation_of, total_units, cap_units):
        raise RuntimeError("the solver's allocation breaks a constraint after rounding")
    proved = proved and third.status == 0
    return granted, "optimal" if proved else "time_limit", max(lp_bound, float(weights @ granted))


def _rounded(values: np.ndarray) -> np.ndarray:
    return np.rint(values).astype(np.int64)


def _feasible(
    granted: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    organisation_of: np.ndarray,
    total_units: int,
    cap_units: int | None,
) -> bool:
    placed = granted > 0
    if np.any(granted[placed] < lower[placed]) or np.any(granted > upper):
        return False
    if granted.sum() > total_units:
        return False
    return cap_units is None or bool(np.all(np.bincount(organisation_of, granted) <= cap_units))


def _lightest_granted_elsewhere(
    weights: np.ndarray, granted: np.ndarray, organisation_of: np.ndarray
) -> np.ndarray:
    """Per organisation, the lowest weight among designs of other organisations granted area."""
    organisation_count = int(organisation_of.max()) + 1 if len(organisation_of) else 0
    lightest = np.full(organisation_count, np.inf)
    for organisation in range(organisation_count):
        elsewhere = (granted > 0) & (organisation_of != organisation)
        if elsewhere.any():
            lightest[organisation] = weights[elsewhere].min()
    return lightest


def _explain(
    request: AreaRequest,
    granted_units: int,
    lower: int,
    upper: int,
    run: ShuttleRun,
    run_left_units: int,
    organisation_left_units: int | None,
    lighter_granted_elsewhere: bool,
) -> AreaGrant:
    """Why a request got what it got.

    Full grants say so. Otherwise the design needed more (its minimum block, or one more area
    step when partly granted) than was left in the run or under its organisation's cap. The
    cap is named when it alone stops the design, or when the run is full but area went to a
    design of another organisation with a lower priority per mm² (without the cap, this design
    would have displaced it).
    """
    step = run.area_step
    granted = _round_area(granted_units * step, step)
    run_left = _round_area(run_left_units * step, step)
    organisation_left = (
        None
        if organisation_left_units is None
        else _round_area(organisation_left_units * step, step)
    )
    minimum = _round_area(lower * step, step)
    cap = run.organisation_cap or 0.0

    def grant(outcome: Outcome, reason: Reason, detail: str) -> AreaGrant:
        return AreaGrant(
            design=request.design,
            organisation=request.organisation,
            requested=request.area,
            granted=granted,
            outcome=outcome,
            reason=reason,
            detail=detail,
            weight=request.weight,
            run_area_left=run_left,
            organisation_area_left=organisation_left,
        )

    if granted_units >= upper:
        if upper < _units_down(request.area, step):
            return grant(
                "full",
                "max_block",
                f"granted {granted:g} mm², the run's maximum block, of {request.area:g} mm² "
                "requested",
            )
        return grant("full", "full", f"granted the {granted:g} mm² requested in full")

    partial = granted_units > 0
    outcome: Outcome = "partial" if partial else "none"
    prefix = (
        f"granted {granted:g} of {request.area:g} mm² requested" if partial else "nothing granted"
    )
    needed = 1 if partial else lower
    run_short = run_left_units < needed
    organisation_short = organisation_left_units is not None and organisation_left_units < needed
    if organisation_short and (not run_short or lighter_granted_elsewhere):
        if not partial and _units_down(cap, step) < lower:
            return grant(
                outcome,
                "organisation_cap",
                f"{prefix}: its minimum block of {minimum:g} mm² is larger than the cap of "
                f"{cap:g} mm² per organisation",
            )
        if partial or organisation_left_units == 0:
            return grant(
                outcome,
                "organisation_cap",
                f"{prefix}: {request.organisation} reached its cap of {cap:g} mm² of this run",
            )
        return grant(
            outcome,
            "below_minimum",
            f"{prefix}: {request.organisation} has only {organisation_left:g} mm² left under "
            f"its cap of {cap:g} mm², less than the design's minimum block of {minimum:g} mm²",
        )
    if run_short:
        if partial or run_left_units == 0:
            return grant(
                outcome,
                "run_full",
                f"{prefix}: the run is full, and its area gives more priority-weighted area "
                "to other requests",
            )
        return grant(
            outcome,
            "below_minimum",
            f"{prefix}: only {run_left:g} mm² is left in the run, less than the design's "
            f"minimum block of {minimum:g} mm²",
        )
    return grant(  # only when the solver stopped at its time limit
        outcome, "run_full", f"{prefix}: the solver stopped at its time limit before placing more"
    )

"""MPW shuttle allocation benchmark: 200 requests on one run, solved exactly, checked by CP-SAT.

    .venv/bin/python bench/resources/bench_mpw.py --requests 200 --seeds 5

Each instance: one run of ``--total-area`` mm² (blocks 1–25 mm²) and requests from
``--organisations`` organisations, each asking 1–30 mm² (some above the run's largest block),
with a minimum block of 30–100% of the request (a quarter all-or-nothing), and a priority
weight. Three weight kinds: ``integer`` (1, 2 or 3: many ties, the hardest for a proof of
optimality), ``real`` (1–3 with two decimals) and ``equal`` (all 1: the area alone). Demand is
about four times the run. Every integer-weight instance is solved again by OR-Tools CP-SAT on
the same integer units as an independent check of the optimum.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from ortools.sat.python import cp_model

from sangsaeng.engine.mpw import AreaRequest, ShuttleRun, allocate_mpw_area


def make_requests(count: int, organisations: int, weights: str, seed: int) -> list[AreaRequest]:
    rng = np.random.default_rng(seed)
    requests = []
    for k in range(count):
        area = float(np.round(rng.uniform(1, 30), 2))
        if rng.random() < 0.25:
            area = min(area, 25.0)
            minimum = None  # the whole area or nothing
        else:
            minimum = float(np.round(max(1.0, min(area, 25.0) * rng.uniform(0.3, 1.0)), 2))
        weight = {
            "integer": float(rng.integers(1, 4)),
            "real": float(np.round(rng.uniform(1, 3), 2)),
            "equal": 1.0,
        }[weights]
        organisation = f"org-{int(rng.zipf(1.6)) % organisations:02d}"
        requests.append(AreaRequest(f"design-{k:03d}", organisation, area, minimum, weight))
    return requests


def cp_sat_optimum(run: ShuttleRun, requests: list[AreaRequest]) -> tuple[float, float]:
    """The best weighted area by CP-SAT (integer weights, the same area units); and seconds."""
    step = run.area_step
    model = cp_model.CpModel()
    granted, terms = [], []
    by_organisation: dict[str, list] = {}
    for k, request in enumerate(requests):
        low = int(np.ceil(max(request.minimum, run.min_block) / step - 1e-9))
        high = int(np.floor(min(request.area, run.max_block) / step + 1e-9))
        placed = model.new_bool_var(f"z{k}")
        units = model.new_int_var(0, high, f"n{k}")
        model.add(units >= low * placed)
        model.add(units <= high * placed)
        granted.append(units)
        terms.append(int(request.weight) * units)
        by_organisation.setdefault(request.organisation, []).append(units)
    model.add(sum(granted) <= int(np.floor(run.total_area / step + 1e-9)))
    if run.organisation_cap is not None:
        cap = int(np.floor(run.organisation_cap / step + 1e-9))
        for units in by_organisation.values():
            model.add(sum(units) <= cap)
    model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 60
    solver.parameters.num_workers = 2
    started = time.perf_counter()
    status = solver.solve(model)
    seconds = time.perf_counter() - started
    if status != cp_model.OPTIMAL:
        return float("nan"), seconds
    return solver.objective_value * step, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--organisations", type=int, default=60)
    parser.add_argument("--total-area", type=float, default=400.0)
    parser.add_argument("--organisation-share", type=float, default=0.1)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261125)
    options = parser.parse_args()
    run = ShuttleRun(
        "mpw-bench",
        total_area=options.total_area,
        min_block=1.0,
        max_block=25.0,
        organisation_share=options.organisation_share,
    )
    for weights in ("integer", "real", "equal"):
        for seed in range(options.seed, options.seed + options.seeds):
            requests = make_requests(options.requests, options.organisations, weights, seed)
            started = time.perf_counter()
            allocation = allocate_mpw_area(run, requests)
            seconds = time.perf_counter() - started
            summary = allocation.summary()
            row = {
                "weights": weights,
                "seed": seed,
                "requests": len(requests),
                "requested_area": summary["requested_area"],
                "total_area": run.total_area,
                "wall_seconds": round(seconds, 3),
                "status": summary["status"],
                "weighted_area": summary["weighted_area"],
                "lp_bound": summary["lp_bound"],
                "granted_area": summary["granted_area"],
                "designs_granted": summary["designs_granted"],
                "outcomes": summary["outcomes"],
                "reasons": summary["reasons"],
            }
            if weights == "integer":
                check, check_seconds = cp_sat_optimum(run, requests)
                row["cp_sat_weighted_area"] = round(check, 6)
                row["cp_sat_seconds"] = round(check_seconds, 3)
                row["same_optimum"] = bool(abs(check - allocation.weighted_area) < 1e-6)
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()

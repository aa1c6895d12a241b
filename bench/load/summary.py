"""Print the load test's figures from locust's CSV files (bench/load/run.sh calls it)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open() as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def main(folder: Path) -> None:
    browse = rows(folder / "browse_stats.csv")
    total = browse["Aggregated"]
    print(f"{'request':<22}{'count':>8}{'fail':>6}{'median':>8}{'p95':>8}{'p99':>8}{'max':>8}")
    for name, row in browse.items():
        print(
            f"{name:<22}{row['Request Count']:>8}{row['Failure Count']:>6}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}{float(row['Max Response Time']):>8.0f}"
        )
    search = browse.get("search", {})
    failures = int(total["Failure Count"])
    print()
    print(f"requests/s with pauses: {float(total['Requests/s']):.1f}")
    print(f"errors: {failures} (bar: 0)")
    print(f"p95 overall: {total['95%']} ms (bar: < 300)")
    print(f"p95 search: {search.get('95%', '-')} ms (bar: < 500)")
    home = rows(folder / "home_stats.csv")["Aggregated"]
    minimal = rows(folder / "minimal_stats.csv")["Aggregated"]
    ratio = float(home["Requests/s"]) / max(float(minimal["Requests/s"]), 1e-9)
    print(
        f"no pauses: home {float(home['Requests/s']):.1f}/s (p95 {home['95%']} ms, "
        f"{home['Failure Count']} errors), minimal view {float(minimal['Requests/s']):.1f}/s "
        f"(p95 {minimal['95%']} ms): ratio {ratio:.2f} (bar: >= 0.5)"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))

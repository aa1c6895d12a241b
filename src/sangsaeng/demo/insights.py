"""Demo of insights: the founding agreements' indicators follow the platform's own counts.

Idempotent: an indicator already linked is left as it is. The links are the demo's own
choice (which count measures which commitment), marked as such by the agreements' note that
indicator values are illustrative; the figures themselves are computed from the demo's
records by the same recomputation the nightly task runs.
"""

from __future__ import annotations

import datetime

from sangsaeng.directory.models import Indicator
from sangsaeng.insights.compute import recompute
from sangsaeng.insights.models import IndicatorSource

# English name of a demo indicator -> the count that measures it.
LINKS = {
    "Joint research projects supported": "awards",
    "Students trained": "course_completions",
    "Internships at cluster companies": "placements_in_cluster",
    "Organisations on the platform": "organisations_joined",
    "Joint projects": "joint_projects",
}
PERIOD_END = datetime.date(2028, 12, 31)


def load(seed: int) -> int:
    added = 0
    for indicator in Indicator.objects.filter(name_en__in=LINKS).select_related(
        "commitment__agreement"
    ):
        if IndicatorSource.objects.filter(indicator=indicator).exists():
            continue
        start = indicator.commitment.agreement.signed_on or datetime.date(2025, 1, 1)
        IndicatorSource.objects.create(
            indicator=indicator,
            metric=LINKS[indicator.name_en],
            period_start=start,
            period_end=max(PERIOD_END, start + datetime.timedelta(days=365)),
        )
        added += 1
    recompute()
    return added

"""Who may see and change the records of the insights app.

The monthly figures are aggregates of the whole cluster (counts and sums, no titles, texts
or people) and are public. An indicator's source and its values are seen with the
indicator (that is, with its commitment's agreement: ``directory.rules``). Operators (the
cluster office) link indicators to computed counts, enter figures by hand and run the
recomputation; nobody else changes anything here.
"""

from __future__ import annotations

from django.db.models import Q

from sangsaeng.core.policy import EVERYTHING, NOTHING, Action, Principal, Rule
from sangsaeng.directory.models import Indicator
from sangsaeng.directory.rules import IndicatorRule
from sangsaeng.insights.models import IndicatorPoint, IndicatorSource, MetricPoint, RecomputeRun


class MetricPointRule(Rule):
    """Aggregates are open data; only the recomputation writes them."""

    model = MetricPoint

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW or who.is_operator:
            return EVERYTHING
        return NOTHING


class _IndicatorPartRule(Rule):
    """Seen with the indicator they belong to; kept by operators."""

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            readable = Indicator.objects.filter(IndicatorRule().filter(who, Action.VIEW))
            return Q(indicator__in=readable)
        return NOTHING


class IndicatorSourceRule(_IndicatorPartRule):
    model = IndicatorSource


class IndicatorPointRule(_IndicatorPartRule):
    model = IndicatorPoint


class RecomputeRunRule(Rule):
    """The recomputation's runs are the cluster office's."""

    model = RecomputeRun


RULES = (MetricPointRule, IndicatorSourceRule, IndicatorPointRule, RecomputeRunRule)

"""The search index's change log is machinery: operators may read it, nobody changes it."""

from __future__ import annotations

from sangsaeng.core.policy import Rule
from sangsaeng.search.models import IndexChange


class IndexChangeRule(Rule):
    model = IndexChange


RULES = (IndexChangeRule,)

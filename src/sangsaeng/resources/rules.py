"""Who may see and change the records of the resources app."""

from __future__ import annotations

from sangsaeng.core.policy import Rule

RULES: tuple[type[Rule], ...] = ()

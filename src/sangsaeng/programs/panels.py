"""The programs panel on the dashboard: one's applications, reviews to write, late reports,
and, for the cluster office, the calls under way."""

from __future__ import annotations

from sangsaeng.core.dashboard import Panel
from sangsaeng.programs.selectors import dashboard_summary

PANELS = (Panel("programs", "programs/_panel.html", dashboard_summary, order=30),)

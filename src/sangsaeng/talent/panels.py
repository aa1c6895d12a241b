"""The talent app's panel on the dashboard: a student's courses, open rounds and offers."""

from __future__ import annotations

from sangsaeng.core.dashboard import Panel
from sangsaeng.talent.selectors import dashboard_summary

PANELS = (Panel("talent-student", "talent/_panel_student.html", dashboard_summary, order=25),)

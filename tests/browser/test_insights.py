"""Insights as the cluster office walks it in a real browser: the public dashboard with its
charts drawn under the site's CSP, the operator dashboard with a filter, the collaboration
network drawn by cytoscape.js with a filter, and the open-data download."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from sangsaeng.insights.compute import recompute
from sangsaeng.matching.models import JointProject, Match, Need
from tests.browser.test_needs_loop import log_in
from tests.factories import OperatorFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_dashboards_network_and_export(page: Page, live_server):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    company = OrganisationFactory(kind="company", status="approved", name_ko="판교칩스")
    university = OrganisationFactory(kind="university", status="approved", name_ko="가천대학교")
    OrganisationFactory(kind="company", status="approved", name_ko="외톨이칩")
    need = Need.objects.create(
        organisation=company, author=UserFactory(), kind="partner_search", title="NPU 검증"
    )
    match = Match.objects.create(need=need, organisation=university, state="project")
    JointProject.objects.create(match=match, title="p", start_date=datetime.date(2026, 9, 1))
    recompute()
    operator = OperatorFactory(email="office@cluster.example")

    page.goto(f"{live_server.url}/ko/insights/")
    expect(page.get_by_role("heading", level=1)).to_have_text("인사이트: 숫자로 보는 클러스터")
    expect(page.locator("#metric-joint_projects dd")).to_have_text("1")
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length >= 2")
    drawn = page.evaluate(
        "[...document.querySelectorAll('canvas[data-chart]')]"
        ".every(c => c.width > 0 && Chart.getChart(c))"
    )
    assert drawn
    with page.expect_download() as download:
        page.locator("#export-csv").click()
    assert "joint_projects" in download.value.path().read_text(encoding="utf-8-sig")

    log_in(page, live_server.url, operator.email)
    page.goto(f"{live_server.url}/ko/insights/operator/")
    page.get_by_label("기관 유형").select_option("university")
    page.locator("#dashboard-filters button[type=submit]").click()
    expect(page).to_have_url(re.compile("kind=university"))
    expect(page.locator("#metric-needs_posted dd")).to_have_text("데이터 없음")

    page.goto(f"{live_server.url}/ko/insights/network/")
    expect(page.locator("#network-graph")).to_have_attribute("data-ready", "true")
    expect(page.locator("#bridge-count")).to_have_text("1")
    expect(page.locator("#companies-alone")).to_contain_text("외톨이칩")
    page.get_by_label("행사 미팅").check()
    page.locator("#network-filters button[type=submit]").click()
    expect(page.locator("#bridge-count")).to_have_text("0")
    expect(page.locator("#network-graph")).to_have_attribute("data-ready", "true")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    assert not [e for e in errors if "favicon" not in e], errors

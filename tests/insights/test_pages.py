"""The insights pages as each role sees them: the public dashboard shows aggregates only,
the operator's filters work and refuse bad input, the network draws its figures, the CSV is
open data, and nothing confidential or personal leaks."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from sangsaeng.insights.compute import recompute
from sangsaeng.insights.models import IndicatorSource
from sangsaeng.matching.models import JointProject, Match, Need
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    IndicatorFactory,
    MembershipFactory,
    OperatorFactory,
    OrganisationFactory,
    PersonFactory,
    TaxonomyTermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECRET_NEED = "극비 차세대 NPU 협력 과제"
SECRET_AGREEMENT = "비공개 협약 문안"
EXPERT_EMAIL = "secret.expert@example.org"


def client_for(user=None, language: str = "ko") -> Client:
    client = Client(headers={"Accept-Language": language})
    if user is not None:
        client.force_login(user)
    return client


def english(url: str) -> str:
    return url.replace("/ko/", "/en/", 1)


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


@pytest.fixture
def cluster():
    area = TaxonomyTermFactory(name_ko="AI 반도체", name_en="AI semiconductors")
    company = OrganisationFactory(
        kind="company", status="approved", name_ko="가나반도체", name_en="Gana Semi"
    )
    company.tags.add(area)
    university = OrganisationFactory(
        kind="university", status="approved", name_ko="성남대학교", name_en="Seongnam University"
    )
    lonely = OrganisationFactory(
        kind="company", status="approved", name_ko="외톨이칩", name_en="Lonely Chip"
    )
    PersonFactory(organisation=university, email=EXPERT_EMAIL, name_ko="김비밀")
    need = Need.objects.create(
        organisation=company,
        author=UserFactory(),
        kind="partner_search",
        title=SECRET_NEED,
        visibility="confidential",
        summary="반도체 협력 과제",
    )
    match = Match.objects.create(need=need, organisation=university, state="project")
    JointProject.objects.create(
        match=match, title="비밀 프로젝트", start_date=datetime.date(2026, 9, 1)
    )
    private = AgreementFactory(
        is_public=False, title_ko=SECRET_AGREEMENT, title_en="Private memorandum"
    )
    private.parties.add(company)
    indicator = IndicatorFactory(
        commitment=CommitmentFactory(agreement=private),
        name_ko="비공개 지표",
        name_en="Private indicator",
        target=3,
    )
    IndicatorSource.objects.create(
        indicator=indicator,
        metric="joint_projects",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2099, 12, 31),
    )
    public_indicator = IndicatorFactory(
        commitment=CommitmentFactory(agreement=AgreementFactory(is_public=True)),
        name_ko="공동 프로젝트 수",
        name_en="Joint projects",
        target=4,
    )
    IndicatorSource.objects.create(
        indicator=public_indicator,
        metric="joint_projects",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2099, 12, 31),
    )
    recompute()
    return {"area": area, "company": company, "university": university, "lonely": lonely}


def test_the_public_dashboard_shows_totals_charts_and_tables_and_nothing_confidential(cluster):
    page = text(client_for().get(reverse("insights:dashboard")))
    assert "공동 프로젝트 수" in page
    assert "Figures as a table" in page or "표로 보기" in page or "<table" in page
    assert 'id="metric-joint_projects"' in page
    for secret in (
        SECRET_NEED,
        SECRET_AGREEMENT,
        "비공개 지표",
        EXPERT_EMAIL,
        "김비밀",
        "비밀 프로젝트",
        "가나반도체",
    ):
        assert secret not in page, secret
    in_english = text(client_for(language="en").get(english(reverse("insights:dashboard"))))
    assert "joint projects started" in in_english.lower()


def test_a_party_member_sees_their_private_agreement_s_indicator(cluster):
    member = MembershipFactory(organisation=cluster["company"]).user
    page = text(client_for(member).get(reverse("insights:dashboard")))
    assert "비공개 지표" in page


def test_the_operator_dashboard_is_for_operators_and_filters(cluster):
    for user in (None, UserFactory()):
        assert client_for(user).get(reverse("insights:operator")).status_code in (302, 403)
    operator = client_for(OperatorFactory())
    page = text(operator.get(reverse("insights:operator")))
    assert "비공개 지표" in page
    filtered = operator.get(reverse("insights:operator"), {"kind": "university"})
    assert filtered.status_code == 200
    # Needs are credited to the company: a university-only view has none.
    assert 'id="metric-needs_posted"><dt>' in filtered.content.decode()
    assert re.search(r'id="metric-needs_posted">.*?no-data', filtered.content.decode(), re.S)
    by_area = operator.get(reverse("insights:operator"), {"area": cluster["area"].code})
    assert re.search(r'id="metric-needs_posted"><dt>[^<]*</dt><dd>1 ', by_area.content.decode())


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-13"}, "YYYY-MM"),
        ({"start": "2026-05", "end": "2026-01"}, "comes before"),
        ({"kind": "pirate"}, "valid choice"),
        ({"area": "no-such-area"}, "valid choice"),
    ],
)
def test_bad_filters_get_a_clear_error(cluster, query, message):
    page = client_for(OperatorFactory(), "en").get(english(reverse("insights:operator")), query)
    assert page.status_code == 200
    assert message in text(page)


def test_a_month_without_records_shows_no_data_not_zero(cluster):
    page = client_for(OperatorFactory(), "en").get(
        reverse("insights:operator"), {"start": "2001-01", "end": "2001-12"}
    )
    body = page.content.decode()
    assert re.search(r'id="metric-joint_projects">.*?no-data', body, re.S)


def test_the_network_shows_bridges_and_companies_alone(cluster):
    assert client_for().get(reverse("insights:network")).status_code in (302, 403)
    page = client_for(OperatorFactory()).get(reverse("insights:network"))
    body = text(page)
    assert 'id="bridge-count">1<' in page.content.decode()
    assert "외톨이칩" in body
    assert "cytoscape.min.js" in body
    none = client_for(OperatorFactory()).get(reverse("insights:network"), {"kinds": "meeting"})
    assert 'id="bridge-count">0<' in none.content.decode()
    bad = client_for(OperatorFactory(), "en").get(
        english(reverse("insights:network")), {"year": "abc"}
    )
    assert "valid choice" in text(bad)


def test_the_csv_export_is_aggregates_only(cluster):
    response = client_for().get(reverse("insights:export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [
        "metric",
        "label",
        "month",
        "organisation_kind",
        "area_code",
        "area",
        "value",
    ]
    assert ["joint_projects", "joint projects started", "2026-09", "", "", "", "1.00"] in rows
    for secret in (SECRET_NEED, SECRET_AGREEMENT, EXPERT_EMAIL, "가나반도체", "비밀 프로젝트"):
        assert secret not in body


def test_linking_an_indicator_with_a_past_period_is_refused_on_the_page(cluster):
    indicator = IndicatorFactory(commitment=CommitmentFactory(agreement=AgreementFactory()))
    page = client_for(OperatorFactory(), "en").post(
        english(reverse("insights:indicator_link", args=[indicator.pk])),
        {
            "metric": "awards",
            "period_start": "2020-01-01",
            "period_end": "2020-12-31",
            "target": "5",
        },
    )
    assert page.status_code == 200
    assert "already ended" in text(page)
    assert 'value="5"' in page.content.decode()
    assert not IndicatorSource.objects.filter(indicator=indicator).exists()


def test_the_api_lists_indicators_through_the_policy_and_series(cluster):
    client = client_for()
    found = client.get("/api/insights/indicators").json()
    names = [row["name"] for row in found]
    assert "공동 프로젝트 수" in names and "비공개 지표" not in names
    public = next(row for row in found if row["name"] == "공동 프로젝트 수")
    series = client.get(f"/api/insights/indicators/{public['id']}/series").json()
    assert series[-1]["value"] == "1.00" or float(series[-1]["value"]) == 1
    private = IndicatorSource.objects.get(indicator__name_en="Private indicator").indicator_id
    assert client.get(f"/api/insights/indicators/{private}").status_code == 404
    assert client.get(f"/api/insights/indicators/{private}/series").status_code == 404
    metrics = {row["key"]: row for row in client.get("/api/insights/metrics").json()}
    assert float(metrics["joint_projects"]["total"]) == 1
    assert metrics["mpw_area"]["total"] is None
    assert client.get("/api/insights/metrics/nope/series").status_code == 404
    assert client.get("/api/insights/metrics/awards/series?kind=pirate").status_code == 400


def test_quarterly_reports_download_as_pdf_and_xlsx_and_keep_private_agreements_private(
    cluster,
):
    from openpyxl import load_workbook

    from sangsaeng.directory.models import Agreement

    public = Agreement.objects.filter(is_public=True).first()
    url = reverse("insights:report", args=[public.slug])
    xlsx = client_for().get(url, {"year": 2026, "quarter": 2, "language": "en", "format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][:2] == ("Commitment", "Indicator")
    # The project starts in Q3: at the end of Q2 the count was zero (not "no data": the
    # period has records).
    assert rows[4][1] == "Joint projects" and rows[4][4] == 0
    q3 = client_for().get(url, {"year": 2026, "quarter": 3, "language": "ko", "format": "xlsx"})
    korean = list(load_workbook(io.BytesIO(q3.content)).active.iter_rows(values_only=True))
    assert korean[4][1] == "공동 프로젝트 수" and korean[4][4] == 1
    pdf = client_for().get(url, {"year": 2026, "quarter": 4, "language": "ko", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    for body in (xlsx.content, q3.content):
        assert SECRET_AGREEMENT.encode() not in body
    private = Agreement.objects.get(is_public=False)
    assert client_for().get(reverse("insights:report", args=[private.slug])).status_code == 404
    bad = client_for(language="en").get(english(url), {"year": 2026, "quarter": 5, "format": "pdf"})
    assert bad.status_code == 200
    assert "valid choice" in text(bad)

"""A support program's whole loop in a real browser, in Korean: the cluster office publishes a
call with its form and rubric; a company applies and gets its receipt; the office screens,
computes the assignment with the engine and invites; the reviewer scores; the office ranks,
selects within the budget and publishes; the company reads its decision and the reviewer's
comment (never the reviewer's name) and sees its award with the reports due.

Tasks run immediately in tests; the deadline passing is the one thing the test does to the
database directly (the call is made to have closed one second ago).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from sangsaeng.accounts.models import Membership
from sangsaeng.directory.models import Organisation
from sangsaeng.programs import services
from sangsaeng.programs.models import Application, Award, Call, SupportProgram
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OperatorFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    TaxonomyTermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "엣지 비전용 희소 NPU 공동연구"
SUMMARY = (
    "희소성 가속을 지원하는 NPU 가속기를 세종대학교와 공동 개발합니다. "
    "Sparse NPU accelerator with zero-skipping dataflow for edge vision."
)


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/ko/accounts/login/")
    page.get_by_label(re.compile("이메일")).first.fill(email)
    page.get_by_label(re.compile("비밀번호")).first.fill(PASSWORD)
    page.locator("form").filter(has=page.locator("input[type=password]")).locator(
        "button[type=submit]"
    ).click()
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()


@pytest.fixture
def cluster():
    area = TaxonomyTermFactory(code="npu", name_ko="NPU", name_en="NPU")
    operator = OperatorFactory(email="office@seongnam.example")
    company = OrganisationFactory(
        name_ko="판교NPU", name_en="Pangyo NPU", city="성남시", employee_count=30, tags=[area]
    )
    applicant = MembershipFactory(
        organisation=company, role=Membership.Role.ADMIN, user__email="ceo@pangyonpu.example"
    ).user
    university = OrganisationFactory(
        kind=Organisation.Kind.UNIVERSITY, name_ko="세종대학교", name_en="Sejong University"
    )
    institute = OrganisationFactory(kind=Organisation.Kind.RESEARCH_INSTITUTE, name_ko="판교연구원")
    reviewer_user = UserFactory(email="grace@institute.example")
    reviewer = PersonFactory(
        user=reviewer_user,
        organisation=institute,
        name_ko="이검토",
        name_en="Grace Lee",
        profile_text="Sparse NPU accelerators, systolic arrays and zero-skipping dataflows.",
    )
    PublicationFactory(
        person=reviewer,
        title="A zero-skipping sparse NPU for edge vision",
        abstract="We design a sparse NPU accelerator with a zero-skipping dataflow.",
    )
    services.reviewer_profile_save(
        actor=reviewer_user, person=reviewer, opted_in=True, max_load=4, evidence_since_year=None
    )
    program = services.program_create(
        actor=operator, name_ko="AI·팹리스 공동연구 지원", name_en="AI-fabless joint research"
    )
    return {
        "operator": operator,
        "applicant": applicant,
        "company": company,
        "university": university,
        "reviewer": reviewer_user,
        "reviewer_name": reviewer.name_ko,
        "program": program,
        "area": area,
    }


def publish_a_call(page: Page, base_url: str, program: SupportProgram) -> str:
    page.goto(f"{base_url}/ko/programs/")
    page.locator("#new-call").click()
    form = page.locator("#call-form")
    form.locator("#id_program").select_option(str(program.pk))
    form.locator("#id_title_ko").fill("2026 AI·팹리스 공동연구 지원사업 공고")
    form.locator("#id_title_en").fill("2026 AI-fabless joint research call")
    form.locator("#id_description_ko").fill("성남 소재 팹리스 기업과 대학의 공동연구를 지원합니다.")
    form.locator("#id_total_budget").fill("200000000")
    form.locator("#id_max_award").fill("100000000")
    form.locator("input[name=eligible_kinds][value=company]").check()
    form.locator("#id_region").fill("성남시")
    now = timezone.localtime()
    form.locator("#id_opens_at").fill(
        (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    form.locator("#id_closes_at").fill(
        (now + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    )
    form.locator("#id_review_deadline").fill(
        (now + datetime.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    )
    form.locator("#id_reviewers_per_application").fill("1")
    form.locator("#save-call").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("신청서와 평가 기준")
    builder = page.locator("#builder-form")
    builder.locator("#id_fields-0-key").fill("summary")
    builder.locator("#id_fields-0-kind").select_option("long_text")
    builder.locator("#id_fields-0-label_ko").fill("연구 개요")
    builder.locator("#id_fields-0-required").check()
    builder.locator("#id_criteria-0-name_ko").fill("기술성")
    builder.locator("#id_criteria-0-weight").fill("2")
    builder.locator("#save-builder").click()
    expect(page.locator(".messages")).to_contain_text("저장했습니다")
    page.get_by_role("link", name="공고로 돌아가기").click()
    page.locator("#publish-call").click()
    expect(page.locator(".messages")).to_contain_text("공고했습니다")
    return Call.objects.get(program=program).slug


def apply(page: Page, base_url: str, slug: str, cluster: dict) -> str:
    page.goto(f"{base_url}/ko/programs/calls/{slug}/")
    page.locator("#apply-button").click()
    expect(page.locator(".eligibility").first).to_contain_text("지역 요건 충족")
    page.locator("#start-application").click()
    form = page.locator("#application-form")
    form.locator("#id_title").fill(TITLE)
    form.locator("#id_requested_amount").fill("120,000,000")  # above the maximum
    form.locator("#id_area").select_option(str(cluster["area"].pk))
    form.locator("#id_answer_summary").fill(SUMMARY)
    form.locator("#save-draft").click()
    expect(form.locator(".errorlist")).to_contain_text("최대 지원액은 100,000,000원")
    expect(form.locator("#id_answer_summary")).to_have_value(SUMMARY)  # nothing typed is lost
    form.locator("#id_requested_amount").fill("80,000,000")
    form.locator("#save-draft").click()
    expect(page.locator(".messages")).to_contain_text("저장했습니다")
    partner = page.locator("#partner-form")
    partner.locator("#id_organisation").select_option(str(cluster["university"].pk))
    partner.locator("#id_role").fill("공동연구기관")
    partner.locator("#add-partner").click()
    expect(page.locator("#partner-list")).to_contain_text("세종대학교")
    page.locator("#submit-application").click()
    receipt = page.locator("#receipt-number")
    expect(receipt).to_be_visible()
    expect(page.locator("#application-status")).to_have_text("제출됨")
    return receipt.inner_text()


def test_publish_apply_screen_assign_review_select_award(
    page: Page, browser: Browser, live_server, cluster
):
    base = live_server.url
    log_in(page, base, cluster["operator"].email)
    slug = publish_a_call(page, base, cluster["program"])

    applicant_context = browser.new_context(locale="ko-KR")
    applicant = applicant_context.new_page()
    log_in(applicant, base, cluster["applicant"].email)
    receipt = apply(applicant, base, slug, cluster)

    # The call closes (a second ago).
    Call.objects.filter(slug=slug).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))

    # Screening, then the engine's assignment in the background, then the invitations.
    page.goto(f"{base}/ko/programs/manage/calls/{slug}/")
    row = page.locator("#applications tr", has_text=receipt)
    row.locator("select[name=eligible]").select_option("yes")
    row.get_by_role("button", name="기록").click()
    expect(page.locator(".messages")).to_contain_text("요건 검토 결과를 기록했습니다")
    page.get_by_role("link", name="평가위원 배정").click()
    page.locator("#start-assignment").click()
    proposal = page.locator("#proposal")
    expect(proposal).to_contain_text(receipt, timeout=30_000)
    expect(proposal).to_contain_text(cluster["reviewer_name"])
    expect(proposal).to_contain_text("가장 잘 맞는 실적")
    page.locator("#send-invitations").click()
    expect(page.locator(".messages")).to_contain_text("초대 1건을 보냈습니다")

    # The reviewer accepts and scores, once out of the scale, then right.
    reviewer_context = browser.new_context(locale="ko-KR")
    reviewer = reviewer_context.new_page()
    log_in(reviewer, base, cluster["reviewer"].email)
    reviewer.goto(f"{base}/ko/programs/reviews/")
    reviewer.get_by_role("button", name="수락").click()
    expect(reviewer.locator("#contents")).to_contain_text(SUMMARY[:20])
    score = reviewer.locator("#review-form input[type=number]").first
    score.fill("9")
    reviewer.locator("#id_comment_to_applicant").fill("희소성 활용 계획이 구체적입니다.")
    reviewer.locator("#submit-review").click()
    expect(reviewer.locator("#review-form .errorlist")).to_contain_text("범위 밖의 점수: 9")
    expect(reviewer.locator("#id_comment_to_applicant")).to_have_value(
        "희소성 활용 계획이 구체적입니다."
    )
    reviewer.locator("#review-form input[type=number]").first.fill("5")
    reviewer.locator("#submit-review").click()
    expect(reviewer.locator(".messages")).to_contain_text("평가를 제출했습니다")

    # Ranking, a proposal in rank order within the budget, decisions published.
    page.goto(f"{base}/ko/programs/manage/calls/{slug}/ranking/")
    expect(page.locator("#ranking")).to_contain_text(receipt)
    page.locator("#id_method").select_option("greedy")
    page.locator("#propose").click()
    expect(page.locator("#proposal-result")).to_contain_text("선정 1건")
    page.locator("#apply-proposal").click()
    expect(page.locator(".messages")).to_contain_text("결정 초안 1건")
    page.locator("#publish-decisions").click()
    expect(page.locator(".messages")).to_contain_text("결과 1건을 발표했습니다")
    expect(page.locator(".award")).to_contain_text(TITLE)
    assert Award.objects.get(application__receipt_number=receipt).amount == 80_000_000

    # The company reads the decision and the comment, never the reviewer's name.
    application = Application.objects.get(receipt_number=receipt)
    applicant.goto(f"{base}/ko/programs/applications/{application.pk}/")
    expect(applicant.locator("#decision")).to_contain_text("선정되었습니다")
    expect(applicant.locator("#feedback")).to_contain_text("희소성 활용 계획이 구체적입니다.")
    expect(applicant.locator("#feedback")).to_contain_text("심사위원 1")
    expect(applicant.locator("body")).not_to_contain_text(cluster["reviewer_name"])
    expect(applicant.locator("#award")).to_contain_text("중간 보고서")
    applicant_context.close()
    reviewer_context.close()

"""Issue 9's loop as people walk it in chromium: a newcomer signs up with a name and the
consents; a request to an expert without an account reaches them by mail, they claim their
profile and answer with a note the sender reads; a student finds a need for students and
the interest button says it was pressed; the cluster office rejects a registration with a
reason the registrant reads."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

from sangsaeng.accounts.models import Membership, User
from sangsaeng.directory.services import organisation_create
from sangsaeng.matching.models import Match, Need
from sangsaeng.matching.services import need_create
from tests.browser.test_needs_loop import Cluster, build_cluster, log_in
from tests.factories import PASSWORD, OperatorFactory, PersonFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cluster() -> Cluster:
    return build_cluster()


def sign_up(page: Page, base_url: str, *, email: str, name: str, next_path: str = "") -> None:
    page.goto(f"{base_url}/ko/accounts/signup/{'?next=' + next_path if next_path else ''}")
    form = page.locator("#signup-form")
    form.get_by_label("이메일").fill(email)
    form.locator("input[name=display_name]").fill(name)
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.get_by_label("개인정보 수집·이용에 동의합니다 (필수)").check()
    form.get_by_label("이용약관에 동의합니다 (필수)").check()
    form.locator("#signup-submit").click()


def test_a_newcomer_signs_up_with_a_name_and_each_consent(page: Page, live_server):
    page.goto(f"{live_server.url}/ko/accounts/signup/")
    notice = page.locator("#consent-notice")
    expect(notice).to_contain_text("보유 기간")
    # Without the consents nothing is made, and each missing one is named beside it.
    form = page.locator("#signup-form")
    form.get_by_label("이메일").fill("minji@example.org")
    form.locator("input[name=display_name]").fill("오민지")
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("#signup-submit").click()
    expect(page.locator(".errorlist")).to_have_count(2)
    assert not User.objects.filter(email="minji@example.org").exists()
    # The policy opens from the form, in the page's language.
    with page.context.expect_page() as policy_page:
        notice.get_by_role("link", name="개인정보 처리방침").click()
    expect(policy_page.value.locator("h1")).to_have_text("개인정보 수집·이용")
    policy_page.value.close()

    form.get_by_label("개인정보 수집·이용에 동의합니다 (필수)").check()
    form.get_by_label("이용약관에 동의합니다 (필수)").check()
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("#signup-submit").click()
    page.goto(f"{live_server.url}/ko/accounts/dashboard/")
    expect(page.locator("h1")).to_contain_text("오민지")
    page.locator("#footer-privacy").click()
    expect(page.locator("h1")).to_have_text("개인정보 수집·이용")
    page.goto(f"{live_server.url}/ko/accounts/me/consents/")
    expect(page.locator("#consent-privacy")).to_contain_text("철회")


@override_settings(SITE_URL="http://placeholder")
def test_a_request_reaches_an_expert_without_an_account_who_claims_and_answers(
    page: Page, browser: Browser, live_server, cluster: Cluster
):
    unclaimed = PersonFactory(
        organisation=cluster.verification_expert.organisation,
        name_ko="최검증",
        name_en="Sol Choi",
        email="sol.choi@sejong.example",
        profile_text="RISC-V NPU formal verification, UVM coverage closure for NPU subsystems.",
        expertise_keywords=["RISC-V", "NPU", "UVM", "formal verification"],
    )
    need = need_create(
        actor=cluster.poster,
        organisation=cluster.company,
        kind=Need.Kind.PARTNER_SEARCH,
        title="RISC-V NPU 형식 검증 자문",
        description="RISC-V 기반 NPU 서브시스템의 형식 검증과 UVM 커버리지를 "
        "자문해 주실 분을 찾습니다.",
    )
    assert Match.objects.filter(need=need, person=unclaimed).exists()
    mail.outbox.clear()
    log_in(page, live_server.url, cluster.poster.email)
    page.goto(f"{live_server.url}{need.get_absolute_url()}")
    card = page.locator(f'#suggestions li.suggestion[data-party="person:{unclaimed.pk}"]')
    card.get_by_label("메시지").fill("형식 검증 자문을 부탁드리고 싶습니다.")
    card.get_by_role("button", name="연락 요청 보내기").click()
    expect(page.locator(".messages")).to_contain_text("최검증 님은 아직 계정이 없어")
    expect(page.locator("#match-route")).to_contain_text("만료")
    expect(page.locator("main")).not_to_contain_text("sol.choi@sejong.example")

    (invitation,) = [m for m in mail.outbox if m.to == ["sol.choi@sejong.example"]]
    assert "형식 검증 자문을 부탁드리고 싶습니다." in invitation.body
    link = re.search(r"http://placeholder(/\S+)", invitation.body).group(1)

    expert_context = browser.new_context(locale="ko-KR")
    expert = expert_context.new_page()
    expert.goto(f"{live_server.url}{link}")
    expect(expert.locator("#claim")).to_contain_text("최검증")
    expert.locator("#claim").get_by_role("link", name="회원가입").click()
    sign_up_form = expert.locator("#signup-form")
    sign_up_form.get_by_label("이메일").fill("sol@gmail.example")
    sign_up_form.locator("input[name=display_name]").fill("최검증")
    sign_up_form.locator("input[name=password1]").fill(PASSWORD)
    sign_up_form.locator("input[name=password2]").fill(PASSWORD)
    sign_up_form.get_by_label("개인정보 수집·이용에 동의합니다 (필수)").check()
    sign_up_form.get_by_label("이용약관에 동의합니다 (필수)").check()
    sign_up_form.locator("#signup-submit").click()
    expect(expert).to_have_url(re.compile(re.escape(link) + "$"))
    expert.locator("#claim-submit").click()
    expect(expert.locator(".messages")).to_contain_text("이제 내 프로필입니다")
    expert.goto(f"{live_server.url}/ko/accounts/dashboard/")
    waiting = expert.locator("#requests-waiting")
    expect(waiting).to_contain_text("판교칩스 → 최검증")
    waiting.get_by_role("link").first.click()
    expert.get_by_label("메모 (선택)").fill("좋습니다. 다음 주 화요일에 통화해요.")
    expert.locator("#accept-request").click()
    expect(expert.locator("#match-state")).to_have_text("수락됨")
    expert_context.close()

    page.reload()
    expect(page.locator("#answer-note")).to_contain_text("다음 주 화요일에 통화해요.")


def test_a_student_finds_a_need_for_students_and_the_button_says_it_was_pressed(
    page: Page, browser: Browser, live_server, cluster: Cluster
):
    student = UserFactory(display_name="윤학생")
    StudentFactory(
        user=student,
        organisation=cluster.verification_expert.organisation,
        name_ko="윤학생",
        name_en="Haksaeng Yoon",
        profile_text="아날로그 레이아웃과 ADC 설계를 공부합니다. analog layout, ADC, PLL.",
        expertise_keywords=["analog layout", "ADC"],
    )
    need = need_create(
        actor=cluster.poster,
        organisation=cluster.company,
        kind=Need.Kind.TECHNOLOGY_REQUEST,
        title="아날로그 레이아웃 인턴 모집",
        description="ADC와 PLL 아날로그 레이아웃 경험이 있는 대학원생 인턴을 찾습니다.",
        visibility=Need.Visibility.MEMBERS,
        for_students=True,
    )
    log_in(page, live_server.url, student.email)
    page.goto(f"{live_server.url}/ko/needs/for-you/")
    page.get_by_role("link", name="아날로그 레이아웃 인턴 모집").click()
    expect(page.locator("#for-students")).to_have_text("학생 대상")
    page.get_by_role("button", name="관심 표시 (윤학생)").click()
    pressed = page.get_by_role("button", name="관심 표시함 (윤학생)")
    expect(pressed).to_be_disabled()
    expect(page.get_by_role("button", name="관심 표시 (윤학생)")).to_have_count(0)

    company_context = browser.new_context(locale="ko-KR")
    company = company_context.new_page()
    log_in(company, live_server.url, cluster.poster.email)
    company.goto(f"{live_server.url}{need.get_absolute_url()}")
    card = company.locator(f'li.suggestion[data-party="person:{student.person.pk}"]')
    expect(card.locator(".party-kind")).to_contain_text("학생")
    expect(card.locator(".party-kind")).not_to_contain_text("전문가")
    card.locator(".card-title").click()
    expect(company.locator("h1")).to_contain_text("윤학생")
    company_context.close()


def test_the_cluster_office_rejects_with_a_reason_the_registrant_reads(
    page: Page, browser: Browser, live_server
):
    registrant = UserFactory(display_name="박서연")
    organisation = organisation_create(actor=registrant, kind="company", name_ko="퀼론포토닉스")
    assert Membership.objects.filter(user=registrant, role="admin").exists()
    operator = OperatorFactory()
    log_in(page, live_server.url, operator.email)
    page.goto(f"{live_server.url}/ko/accounts/dashboard/")
    page.get_by_role("link", name="승인 대기 목록 열기").click()
    form = page.locator(f"#decide-{organisation.slug}")
    form.get_by_role("button", name="반려").click()
    expect(page.locator(".messages")).to_contain_text("반려 사유를 적어 주세요")
    form = page.locator(f"#decide-{organisation.slug}")
    form.locator("textarea").fill("성남 소재 사업장을 확인할 수 없습니다.")
    form.get_by_role("button", name="반려").click()
    expect(page.locator(".messages")).to_contain_text("가입을 반려했습니다")

    registrant_context = browser.new_context(locale="ko-KR")
    other = registrant_context.new_page()
    log_in(other, live_server.url, registrant.email)
    other.locator("#nav-notifications").click()
    expect(other.locator("#notification-list")).to_contain_text(
        "퀼론포토닉스 기관의 가입을 승인하지"
    )
    registrant_context.close()
    assert organisation.slug == "kwillonpotonigseu"

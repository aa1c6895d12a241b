"""The needs-and-offers loop (issue #5) as people walk it, in a real browser, in Korean.

A company posts a need in Korean; an expert whose profile and papers are in English is
suggested with the engine's explanation; the poster asks for contact, the expert accepts in
their own browser, they talk and start a joint project. A confidential need shows its words
to nobody outside the poster's side: others see its summary only.

Tasks run immediately in tests (django-tasks ImmediateBackend), so a need's matching is done
when the page it redirects to is served; the page's poller is still allowed time to reload.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from sangsaeng.accounts.models import Membership, User
from sangsaeng.directory.models import Organisation, Person
from sangsaeng.matching.models import JointProject, Match, Need
from sangsaeng.matching.services import need_create
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

NEED_TITLE = "RISC-V NPU 서브시스템 검증 파트너를 찾습니다"
NEED_DESCRIPTION = (
    "자사 RISC-V 기반 NPU 서브시스템의 UVM 검증과 형식 검증(formal verification)을 함께 "
    "수행할 연구실을 찾습니다. 커버리지 클로저 경험이 있으면 좋겠습니다."
)
VERIFICATION_PAPERS = (
    "Formal verification of RISC-V vector units",
    "UVM coverage closure for NPU subsystems",
)


@dataclass
class Cluster:
    company: Organisation
    poster: User
    verification_expert: Person
    expert_user: User
    analog_expert: Person
    outsider: User  # a member of another company


@pytest.fixture
def cluster() -> Cluster:
    return build_cluster()


def build_cluster() -> Cluster:
    """A company looking for verification help, a university with a verification expert (who
    has an account) and an analog designer, and a member of another company."""
    company = OrganisationFactory(
        name_ko="판교칩스",
        name_en="Pangyo Chips",
        description_ko="온디바이스 AI용 NPU를 설계하는 팹리스",
        description_en="Fabless company designing NPUs for on-device AI",
    )
    poster = MembershipFactory(
        organisation=company, role=Membership.Role.MEMBER, user__email="poster@pangyochips.example"
    ).user
    university = OrganisationFactory(
        kind=Organisation.Kind.UNIVERSITY,
        name_ko="세종대학교",
        name_en="Sejong University",
        description_ko="RISC-V 프로세서와 NPU의 설계·검증을 연구합니다",
        description_en="Research in the design and verification of RISC-V processors and NPUs",
    )
    expert_user = UserFactory(email="grace.lee@sejong.example")
    verification_expert = PersonFactory(
        user=expert_user,
        organisation=university,
        name_ko="이검증",
        name_en="Grace Lee",
        position_en="Associate Professor",
        profile_text="Functional and formal verification of RISC-V processors and neural "
        "processing units. UVM testbenches and coverage closure.",
        expertise_keywords=["RISC-V", "NPU", "UVM", "formal verification"],
    )
    PublicationFactory(
        person=verification_expert,
        title=VERIFICATION_PAPERS[0],
        abstract="We prove the vector extension of a RISC-V core correct with formal property "
        "checking and bounded model checking.",
    )
    PublicationFactory(
        person=verification_expert,
        title=VERIFICATION_PAPERS[1],
        abstract="A UVM testbench for a neural processing unit subsystem reaches full "
        "functional coverage closure in four weeks.",
    )
    analog_expert = PersonFactory(
        organisation=university,
        name_ko="박아날",
        name_en="Ana Park",
        profile_text="Analog layout and low-power ADC design for image sensors.",
        expertise_keywords=["analog layout", "ADC"],
    )
    other_company = OrganisationFactory(
        name_ko="분당소프트",
        name_en="Bundang Soft",
        description_ko="모바일 게임 개발사",
        description_en="Mobile game studio",
    )
    outsider = MembershipFactory(
        organisation=other_company, user__email="member@bundangsoft.example"
    ).user
    return Cluster(
        company=company,
        poster=poster,
        verification_expert=verification_expert,
        expert_user=expert_user,
        analog_expert=analog_expert,
        outsider=outsider,
    )


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/ko/accounts/login/")
    page.get_by_label(re.compile("이메일")).first.fill(email)
    page.get_by_label(re.compile("비밀번호")).first.fill(PASSWORD)
    page.locator("form").filter(has=page.locator("input[type=password]")).locator(
        "button[type=submit]"
    ).click()
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()


def suggestion_for(page: Page, person: Person):
    return page.locator(f'#suggestions li.suggestion[data-party="person:{person.pk}"]')


def post_need_through_the_form(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/ko/")
    page.locator("#nav-needs").click()
    page.locator("#post-need").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("수요·공급 올리기")
    form = page.locator("#need-form")
    form.get_by_label("유형").select_option(label="R&D 파트너 찾기")
    form.get_by_label("제목").fill(NEED_TITLE)
    form.get_by_label("설명").fill(NEED_DESCRIPTION)
    form.locator("#need-submit").click()


def test_member_posts_a_korean_need_and_sees_an_english_expert_explained(
    page: Page, live_server, cluster: Cluster
):
    log_in(page, live_server.url, cluster.poster.email)
    post_need_through_the_form(page, live_server.url)

    expect(page.locator(".messages")).to_contain_text("올렸습니다.")
    expect(page.locator("#need-title")).to_have_text(NEED_TITLE)
    suggestions = page.locator("#suggestions")
    expect(suggestions.get_by_role("heading", name="추천 매칭")).to_be_visible()
    card = suggestion_for(page, cluster.verification_expert)
    # The poll reloads the page when the run ends; the run has ended by the time it is served.
    expect(card).to_be_visible(timeout=15_000)
    expect(page.locator("#matching-progress")).to_have_count(0)

    expect(card.locator(".card-title")).to_have_text("이검증")
    expect(card.locator(".meta")).to_contain_text("전문가 · 세종대학교")
    expect(card).to_contain_text("공통 용어")
    shared = card.locator(".shared-terms").inner_text().lower()
    assert {"risc-v", "uvm"} & set(re.split(r",\s*", shared)), shared
    # The best-matching passage is quoted from the expert's own English profile or papers.
    passage = card.locator(".best-sentence").inner_text().strip()
    english_sources = [
        ", ".join(cluster.verification_expert.expertise_keywords),
        cluster.verification_expert.profile_text,
        *(p.abstract for p in cluster.verification_expert.publications.all()),
    ]
    assert passage and any(passage in source for source in english_sources), passage
    best_work = card.locator(".best-document")
    if best_work.count():
        expect(card).to_contain_text("가장 잘 맞는 실적")
        expect(best_work).to_have_text(re.compile("|".join(map(re.escape, VERIFICATION_PAPERS))))
    expect(card.get_by_role("button", name="연락 요청 보내기")).to_be_visible()

    # An organisation has no papers: its own name is not offered as its best-matching work.
    organisations = page.locator('#suggestions li.suggestion[data-party^="organisation:"]')
    expect(organisations.first).to_be_visible()
    expect(organisations.locator(".best-document")).to_have_count(0)

    # The verification expert is the first person suggested; the analog designer, if
    # suggested at all, comes after.
    people = page.locator('#suggestions li.suggestion[data-party^="person:"]')
    expect(people.first).to_have_attribute("data-party", f"person:{cluster.verification_expert.pk}")


def test_request_accept_converse_and_start_a_joint_project(
    page: Page, browser: Browser, live_server, cluster: Cluster
):
    need = need_create(
        actor=cluster.poster,
        organisation=cluster.company,
        kind=Need.Kind.PARTNER_SEARCH,
        title=NEED_TITLE,
        description=NEED_DESCRIPTION,
    )
    log_in(page, live_server.url, cluster.poster.email)
    page.goto(f"{live_server.url}{need.get_absolute_url()}")
    card = suggestion_for(page, cluster.verification_expert)
    card.get_by_label("메시지").fill("NPU 서브시스템 형식 검증을 함께 하고 싶습니다.")
    card.get_by_role("button", name="연락 요청 보내기").click()
    expect(page.locator(".messages")).to_contain_text("요청을 이검증 님에게 보냈습니다.")
    expect(page.locator(".messages")).to_contain_text("아무도 답하지 않으면")
    expect(page.locator("#match-state")).to_have_text("연락 요청됨")
    match_url = page.url

    # The expert, in a browser of their own.
    expert_context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    expert = expert_context.new_page()
    log_in(expert, live_server.url, cluster.expert_user.email)
    expect(expert.locator("#unread-count")).to_have_text(re.compile(r"[1-9]"))
    expert.locator("#nav-notifications").click()
    notification = expert.locator("#notification-list li").filter(has_text="연락을 요청했습니다")
    expect(notification).to_contain_text(NEED_TITLE)
    notification.get_by_role("button", name="열기").click()
    expect(expert).to_have_url(match_url)
    expect(expert.locator("main")).to_contain_text("NPU 서브시스템 형식 검증을 함께 하고 싶습니다.")
    expert.locator("#accept-request").click()
    expect(expert.locator("#match-state")).to_have_text("수락됨")
    expect(expert.locator("#accept-request")).to_have_count(0)

    # The poster sees the acceptance, writes, and turns the match into a project.
    page.goto(f"{live_server.url}/ko/notifications/")
    expect(page.locator("#notification-list")).to_contain_text("연락 요청을 수락했습니다")
    page.goto(match_url)
    expect(page.locator("#match-state")).to_have_text("수락됨")
    conversation = page.locator("#conversation")
    kickoff = "다음 주 화요일에 킥오프 회의를 할까요?"
    conversation.get_by_label("메시지").fill(kickoff)
    conversation.get_by_role("button", name="보내기").click()
    expect(page.locator("ol.conversation")).to_contain_text(kickoff)
    creation = page.locator("#create-project")
    creation.get_by_label("프로젝트 제목").fill("NPU 공동 검증 프로젝트")
    creation.get_by_label("시작일").fill("2026-03-02")
    creation.get_by_role("button", name="프로젝트 만들기").click()
    expect(page.locator(".messages")).to_contain_text("공동 프로젝트를 만들었습니다.")
    expect(page.locator("#project-title")).to_have_text("NPU 공동 검증 프로젝트")
    expect(page.locator("#match-state")).to_have_text("공동 프로젝트")

    # Both sides see the project and the conversation.
    expert.reload()
    expect(expert.locator("#project-title")).to_have_text("NPU 공동 검증 프로젝트")
    expect(expert.locator("#project")).to_contain_text("2026-03-02")
    expect(expert.locator("ol.conversation")).to_contain_text("킥오프 회의")
    expert.goto(f"{live_server.url}/ko/needs/matches/")
    expect(expert.locator("#match-list")).to_contain_text("공동 프로젝트")
    expert_context.close()

    match = Match.objects.get(need=need, person=cluster.verification_expert)
    assert match.state == Match.State.PROJECT
    assert JointProject.objects.get(match=match).title == "NPU 공동 검증 프로젝트"


CONFIDENTIAL_TITLE = "코드명 오로라칩 차세대 NPU 테이프아웃 검증"
CONFIDENTIAL_DESCRIPTION = (
    "오로라칩 테이프아웃 전에 RISC-V NPU 서브시스템의 UVM 검증과 형식 검증을 맡아 줄 "
    "연구실을 찾습니다. 미공개 제품이라 세부 사항은 연락이 오간 뒤 공유합니다."
)
CONFIDENTIAL_SUMMARY = "RISC-V NPU 검증 협력 연구실 모집"


def test_confidential_need_shows_only_its_summary_outside_the_posters_side(
    page: Page, browser: Browser, live_server, cluster: Cluster
):
    need = need_create(
        actor=cluster.poster,
        organisation=cluster.company,
        kind=Need.Kind.PARTNER_SEARCH,
        title=CONFIDENTIAL_TITLE,
        description=CONFIDENTIAL_DESCRIPTION,
        visibility=Need.Visibility.CONFIDENTIAL,
        summary=CONFIDENTIAL_SUMMARY,
    )
    assert Match.objects.filter(need=need, person=cluster.verification_expert).exists()

    # The poster's side reads the whole text.
    log_in(page, live_server.url, cluster.poster.email)
    page.goto(f"{live_server.url}{need.get_absolute_url()}")
    expect(page.locator("#need-title")).to_have_text(CONFIDENTIAL_TITLE)
    expect(page.locator("#need-description")).to_contain_text("테이프아웃")
    expect(suggestion_for(page, cluster.verification_expert)).to_be_visible()

    # Another company's member: not in the list of needs, not found by its words.
    outsider_context = browser.new_context(locale="ko-KR")
    outsider = outsider_context.new_page()
    log_in(outsider, live_server.url, cluster.outsider.email)
    outsider.locator("#nav-needs").click()
    expect(outsider.get_by_role("heading", level=1)).to_have_text("수요·공급")
    expect(outsider.locator("main")).not_to_contain_text("오로라칩")
    for words in ("오로라칩", "테이프아웃 검증", "미공개 제품", "RISC-V NPU 검증"):
        outsider.goto(f"{live_server.url}/ko/needs/search/")
        outsider.get_by_label(re.compile("전문가, 기관, 수요")).fill(words)
        outsider.locator("#search-form").get_by_role("button", name="검색").click()
        expect(outsider.locator(".result-count")).to_be_visible()
        expect(outsider.locator("main")).not_to_contain_text("오로라칩")
        expect(outsider.locator("main")).not_to_contain_text("테이프아웃")
    # Its address, if shared with them, leads nowhere (not even to the summary).
    response = outsider.goto(f"{live_server.url}{need.get_absolute_url()}")
    assert response is not None and response.status == 404
    expect(outsider.locator("body")).not_to_contain_text("오로라칩")
    outsider_context.close()

    # The suggested expert is told of it, and sees the summary only.
    expert_context = browser.new_context(locale="ko-KR")
    expert = expert_context.new_page()
    log_in(expert, live_server.url, cluster.expert_user.email)
    expert.locator("#nav-notifications").click()
    expect(expert.locator("#notification-list")).to_contain_text(CONFIDENTIAL_SUMMARY)
    expect(expert.locator("main")).not_to_contain_text("오로라칩")
    expert.goto(f"{live_server.url}{need.get_absolute_url()}")
    expect(expert.locator("#need-title")).to_have_text(CONFIDENTIAL_SUMMARY)
    expect(expert.locator("#need-summary-only")).to_be_visible()
    expect(expert.locator("main")).not_to_contain_text("오로라칩")
    expect(expert.locator("main")).not_to_contain_text("테이프아웃")
    expert.goto(f"{live_server.url}/ko/needs/search/?q=RISC-V+NPU+검증")
    expect(expert.locator("#search-results")).to_contain_text(CONFIDENTIAL_SUMMARY)
    expect(expert.locator("main")).not_to_contain_text("오로라칩")
    expert.goto(f"{live_server.url}/ko/needs/for-you/")
    expect(expert.locator("#needs-for-you")).to_contain_text(CONFIDENTIAL_SUMMARY)
    expect(expert.locator("main")).not_to_contain_text("오로라칩")
    expert_context.close()

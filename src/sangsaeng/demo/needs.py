"""Demo needs and offers, in both languages, walked through the whole matching loop.

``load_matching_demo(seed)`` runs after the demo directory is loaded: it posts needs and
offers for the demo companies, computes their matches with the engine (in this process,
not through the task queue), and carries some of them on: one to a joint project, one to
an accepted conversation, one to a pending request. It is idempotent: a second call finds
the demo needs and changes nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from sangsaeng.accounts.models import Membership, User
from sangsaeng.directory.models import Organisation
from sangsaeng.matching.models import Match, MatchingRun, Need
from sangsaeng.matching.services import (
    contact_request,
    conversation_post,
    match_answer,
    need_create,
    project_create,
)
from sangsaeng.matching.suggestions import suggest_matches
from sangsaeng.notifications.models import NotificationPreference


@dataclass(frozen=True)
class DemoNeed:
    kind: str
    visibility: str
    title: str
    description: str
    summary: str = ""
    carry_to: str = ""  # "project", "accepted", "requested" or "" (suggestions only)
    for_students: bool = False


DEMO_NEEDS = (
    DemoNeed(
        Need.Kind.PARTNER_SEARCH,
        Need.Visibility.PUBLIC,
        "RISC-V NPU 서브시스템 검증 파트너를 찾습니다",
        "자사 RISC-V 기반 NPU 서브시스템의 UVM 검증과 형식 검증을 함께 수행할 연구실이나 "
        "기업을 찾습니다. 커버리지 기반 검증과 SoC 통합 경험이 있으면 좋습니다.",
        carry_to="project",
    ),
    DemoNeed(
        Need.Kind.TECHNOLOGY_REQUEST,
        Need.Visibility.MEMBERS,
        "Students who know analog layout",
        "We are looking for graduate students with analog and mixed-signal layout experience "
        "(ADC, PLL, LDO) for a six-month internship on a 28nm sensor SoC.",
        carry_to="accepted",
        for_students=True,
    ),
    DemoNeed(
        Need.Kind.PARTNER_SEARCH,
        Need.Visibility.CONFIDENTIAL,
        "온디바이스 LLM 컴파일러 공동 개발",
        "당사 NPU에서 양자화된 LLM을 실행하는 컴파일러(그래프 최적화, 연산자 융합, "
        "메모리 스케줄링)를 공동 개발할 연구실을 찾습니다. 고객사 일정상 비공개로 진행합니다.",
        summary="온디바이스 AI 컴파일러를 함께 개발할 연구실을 찾는 팹리스 기업",
        carry_to="requested",
    ),
    DemoNeed(
        Need.Kind.EQUIPMENT_OFFER,
        Need.Visibility.PUBLIC,
        "FPGA prototyping boards to share",
        "Four FPGA prototyping systems for pre-silicon validation of AI accelerators are "
        "free on weekdays; we offer them to cluster members with a short onboarding.",
    ),
    DemoNeed(
        Need.Kind.CAPABILITY_OFFER,
        Need.Visibility.PUBLIC,
        "칩렛 패키징 열해석 역량을 제공합니다",
        "2.5D/3D 칩렛 패키징의 열 해석과 신호 무결성 시뮬레이션을 지원합니다. "
        "HBM 인터포저 설계 검토 경험이 있습니다.",
    ),
)


def _fictional_user(local_part: str, display_name: str) -> User:
    """An account for a fictional demo party: it cannot log in and is never mailed."""
    user, created = User.objects.get_or_create(
        email=f"{local_part}@demo.sangsaeng.invalid",
        defaults={"username": local_part[:150], "display_name": display_name},
    )
    if created:
        user.set_unusable_password()
        user.save()
        NotificationPreference.objects.create(
            user=user,
            email_new_match=False,
            email_contact_request=False,
            email_answer=False,
            email_message=False,
            email_project=False,
        )
    return user


def _poster_for(organisation: Organisation, seed: int) -> User:
    """An admin of ``organisation``, made (fictional) when the demo directory has none."""
    membership = organisation.memberships.filter(role=Membership.Role.ADMIN).first()
    if membership is not None:
        return membership.user
    user = _fictional_user(f"demo-needs-{organisation.slug}", organisation.name)
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Membership.Role.ADMIN}
    )
    return user


def _answerers(match: Match, seed: int) -> list[User]:
    """Who answers for the matched party, giving a fictional party an account when it has none.

    Generated experts and most demo organisations have no users; without one the demo
    could not show the answer, the conversation and the project whatever the seed.
    """
    answerers = match.party.answering_users()
    if answerers:
        return answerers
    if match.person is not None and match.person.is_fictional and match.person.user is None:
        user = _fictional_user(f"demo-expert-{match.person.slug}", match.person.name)
        match.person.user = user
        match.person.save(update_fields=["user"])
    elif match.organisation is not None and match.organisation.is_fictional:
        _poster_for(match.organisation, seed)
    return match.party.answering_users()


def _carry(need: Need, poster: User, carry_to: str, start: datetime.date, seed: int) -> None:
    for match in need.matches.filter(state=Match.State.SUGGESTED).order_by("rank"):
        answerers = _answerers(match, seed)
        if not answerers:
            continue
        request = contact_request(
            actor=poster,
            need=need,
            party=match.party,
            message="안녕하세요. 이 건으로 한번 이야기 나누고 싶습니다. / We would like to talk.",
        )
        if carry_to == "requested":
            return
        match_answer(actor=answerers[0], match=request, accept=True, note="Happy to help.")
        conversation_post(actor=answerers[0], match=request, body="다음 주 화요일 어떠세요?")
        conversation_post(actor=poster, match=request, body="좋습니다. 판교에서 뵙겠습니다.")
        if carry_to == "project":
            project_create(
                actor=poster,
                match=request,
                title="RISC-V NPU 공동 검증 / Joint NPU verification",
                start_date=start,
                outcome="검증 환경 구축 완료, 커버리지 92% 달성 (demo)",
            )
        return


@transaction.atomic
def load_matching_demo(seed: int, home: Organisation | None = None) -> int:
    """Post the demo needs and offers and walk their matches; returns how many were posted.

    ``home``, the company of the demo's organisation admin, posts the needs carried to a
    project and to an accepted conversation, so that the admin's account shows the loop.
    """
    if Need.objects.filter(is_fictional=True).exists():
        return 0
    companies = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.COMPANY, status=Organisation.Status.APPROVED
        ).order_by("slug")
    )
    if not companies:
        return 0
    chooser = random.Random(seed)
    start = datetime.date(2026, 3, 2)
    posted = 0
    for demo in DEMO_NEEDS:
        organisation = chooser.choice(companies)
        if home is not None and demo.carry_to in ("project", "accepted"):
            organisation = home
        poster = _poster_for(organisation, seed)
        need = need_create(
            actor=poster,
            organisation=organisation,
            kind=demo.kind,
            title=demo.title,
            description=demo.description,
            summary=demo.summary,
            visibility=demo.visibility,
            for_students=demo.for_students,
            is_fictional=True,
            start_matching=False,
        )
        suggest_matches(MatchingRun.objects.create(need=need))
        if demo.carry_to:
            _carry(need, poster, demo.carry_to, start, seed)
        posted += 1
    return posted

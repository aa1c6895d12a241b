"""The support-programs demo: Seongnam's "AI·fabless joint research support" programme (지원사업).

``load(seed)`` runs after the demo directory and the needs are loaded. It adds, all marked
fictional:

- a **closed call** with 40 applications from demo companies, each with a university partner,
  screened (two refused with a reason), reviewed by 60 demo experts who opted in as reviewers,
  with conflicts of every kind (same organisation, a former one, a co-author, an accepted
  match, a joint project, a partner, a declared one, one the office added and one it lifted),
  bids, an assignment computed by the platform's own task, one reviewer released and replaced
  from the alternates, submitted reviews, an optimised selection published as decisions, and
  awards with milestones and reports (some sent, some late);
- an **open call** that the demo accounts can apply to: orgadmin@ applies for its company
  (which also won an award in the closed call); expert@ is one of the reviewers.

Bulk records (applications, reviews, bids) are validated by the same checks the services use
and written in bulk, as the directory's loader does, so that the demo starts fast; the
assignment, its invitations, the conflicts and the decisions go through the services and the
task. Idempotent: a second call finds the programme and returns at once.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from sangsaeng.accounts.models import User
from sangsaeng.core.audit import acting_as
from sangsaeng.demo.vocabulary import APPLICATIONS, BY_CODE, NODES, RESULTS_EN, RESULTS_KO
from sangsaeng.directory.models import Agreement, Organisation, Person, Publication, TaxonomyTerm
from sangsaeng.matching.models import JointProject, Match, Need
from sangsaeng.programs import services, tasks
from sangsaeng.programs.eligibility import check_eligibility
from sangsaeng.programs.models import (
    Application,
    ApplicationPartner,
    AssignmentRun,
    Award,
    AwardReport,
    Bid,
    Call,
    Conflict,
    Decision,
    PastAffiliation,
    Review,
    ReviewAssignment,
    ReviewerProfile,
    SupportProgram,
)
from sangsaeng.programs.rubric import weighted_total
from sangsaeng.programs.services import CriterionSpec, FieldSpec

PROGRAM_SLUG = "seongnam-ai-fabless-joint-research"
CLOSED_CALL = "ai-fabless-joint-research-2026-1"
OPEN_CALL = "ai-fabless-joint-research-2026-2"
MOU = "seongnam-sejong-ai-cluster-mou"
APPLICATION_COUNT = 40
REVIEWER_COUNT = 60
DEMO_DOMAIN = "sangsaeng.demo.example"
AREAS = ("ai", "chip-design")

COMMENTS_KO = (
    "기술 목표가 분명하고 대학과의 역할 분담이 구체적입니다. "
    "성능 목표의 측정 방법을 더 밝혀 주세요.",
    "시장성은 충분하나 일정 대비 인력 계획이 다소 부족해 보입니다.",
    "선행 연구와의 차별점이 잘 드러납니다. 시제품 검증 계획을 보강하면 좋겠습니다.",
    "예산 구성이 과제 범위에 비해 큽니다. 장비 구입 필요성을 설명해 주세요.",
)
COMMENTS_EN = (
    "Clear technical goals and a concrete split of work with the university partner; say how "
    "the performance targets will be measured.",
    "Good market potential, but the staffing plan looks thin for the schedule.",
    "The difference from earlier work is well argued; strengthen the prototype validation plan.",
    "The budget is large for the scope; explain why the equipment is needed.",
)
COMMITTEE_COMMENTS = (
    "추천합니다.",
    "조건부 추천: 예산 조정 필요.",
    "기술 수준은 높으나 사업화 계획이 약함.",
    "Recommend; the partner lab is strong.",
)


def _fill(text: str, rng: random.Random, application: str) -> str:
    app_en, app_ko = APPLICATIONS.get(application, ("edge AI", "엣지 AI"))
    return text.format(
        node=rng.choice(NODES),
        app_en=app_en,
        app_ko=app_ko,
        n=rng.randint(6, 24),
        x=rng.randint(8, 40),
        pct=rng.randint(12, 48),
    )


def _operator() -> User:
    return User.objects.get(email=f"operator@{DEMO_DOMAIN}")


def _account(local: str) -> User | None:
    return User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()


def _form(plan_required: bool) -> list[FieldSpec]:
    return [
        FieldSpec(
            key="summary",
            kind="long_text",
            label_ko="연구 개요",
            label_en="Research summary",
            help_ko="목표, 방법, 기대 성과를 적어 주세요.",
            help_en="Goals, method and expected results.",
            required=True,
            max_length=4000,
        ),
        FieldSpec(
            key="collaboration",
            kind="long_text",
            label_ko="산학 협력 계획",
            label_en="Collaboration plan",
            help_ko="기업과 대학(연구소)의 역할 분담.",
            help_en="Who does what, in the company and in the partner lab.",
            max_length=2000,
        ),
        FieldSpec(
            key="researchers",
            kind="number",
            label_ko="참여 연구원 수",
            label_en="Researchers involved",
            min_value=1,
            max_value=100,
        ),
        FieldSpec(
            key="stage",
            kind="choice",
            label_ko="기술 성숙도",
            label_en="Technology readiness",
            choices=[
                {"ko": "기초 연구", "en": "basic research"},
                {"ko": "시제품", "en": "prototype"},
                {"ko": "상용화 준비", "en": "pre-commercial"},
            ],
        ),
        FieldSpec(
            key="start",
            kind="date",
            label_ko="착수 희망일",
            label_en="Preferred start date",
        ),
        FieldSpec(
            key="plan",
            kind="file",
            label_ko="사업계획서(PDF)",
            label_en="Business plan (PDF)",
            required=plan_required,
            max_file_megabytes=20,
        ),
        FieldSpec(
            key="budget",
            kind="file",
            label_ko="예산 명세(XLSX)",
            label_en="Budget sheet (XLSX)",
            max_file_megabytes=5,
        ),
    ]


RUBRIC = [
    CriterionSpec(
        name_ko="기술성",
        name_en="Technical merit",
        description_ko="목표의 혁신성과 달성 가능성",
        description_en="How new the goal is, and whether it can be reached",
        weight=40,
    ),
    CriterionSpec(
        name_ko="산학 협력",
        name_en="Collaboration",
        description_ko="기업과 대학의 역할 분담과 시너지",
        description_en="The split of work between company and university",
        weight=30,
    ),
    CriterionSpec(
        name_ko="사업화 가능성",
        name_en="Commercial potential",
        description_ko="시장, 고객, 후속 투자 계획",
        description_en="Market, customers and what follows",
        weight=30,
    ),
]


def load(seed: int) -> int:
    """Load the programme (or find it loaded); returns how many applications were added."""
    program = SupportProgram.objects.filter(slug=PROGRAM_SLUG).first()
    if program is not None:
        if Application.objects.filter(call__program=program).exists():
            return 0
        # The directory was reset under it (its companies are gone): load it afresh.
        program.delete()
    rng = random.Random(seed * 7919 + 12)
    with transaction.atomic():
        operator = _operator()
        with acting_as(operator):
            program, commitment = _program(operator)
            reviewers = _reviewers(rng)
            closed = _closed_call(operator, program, commitment, reviewers, rng)
            opened = _open_call(operator, program, commitment, rng)
    return closed + opened


def _program(operator: User) -> tuple[SupportProgram, Any]:
    city = Organisation.objects.filter(slug="seongnam-city").first()
    program = services.program_create(
        actor=operator,
        slug=PROGRAM_SLUG,
        name_ko="성남시 AI·팹리스 공동연구 지원사업",
        name_en="Seongnam AI·fabless joint research support",
        description_ko=(
            "성남시가 판교·분당의 팹리스·AI 기업과 대학(연구소)의 공동연구를 지원하는 "
            "사업입니다(가상 데모)."
        ),
        description_en=(
            "Seongnam City funds joint research of Pangyo and Bundang fabless and AI companies "
            "with universities and institutes (a fictional demo)."
        ),
        owner=city,
        is_fictional=True,
    )
    agreement = Agreement.objects.filter(slug=MOU).first()
    commitment = agreement.commitments.order_by("order").first() if agreement else None
    return program, commitment


def _reviewers(rng: random.Random) -> list[ReviewerProfile]:
    """Sixty demo experts opt in as reviewers (expert@'s profile among them)."""
    experts = list(
        Person.objects.filter(is_fictional=True, kind=Person.Kind.EXPERT)
        .select_related("organisation")
        .order_by("pk")
    )
    own = [p for p in experts if p.user_id is not None]
    others = [p for p in experts if p.user_id is None]
    rng.shuffle(others)
    chosen = (own + others)[:REVIEWER_COUNT]
    this_year = timezone.localdate().year
    profiles = [
        ReviewerProfile(
            person=person,
            opted_in=True,
            max_load=rng.choice((4, 5, 6, 6, 8)),
            evidence_since_year=rng.choice((None, None, this_year - 10, this_year - 6)),
        )
        for person in chosen
    ]
    return ReviewerProfile.objects.bulk_create(profiles)


def _dates(now: datetime.datetime, days: int, hour: int = 18) -> datetime.datetime:
    moment = timezone.localtime(now) + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _call(
    operator: User,
    program: SupportProgram,
    commitment: Any,
    *,
    slug: str,
    round_ko: str,
    round_en: str,
    opens: datetime.datetime,
    closes: datetime.datetime,
    due: datetime.datetime,
    plan_required: bool,
) -> Call:
    call = services.call_create(
        actor=operator,
        program=program,
        slug=slug,
        tags=list(TaxonomyTerm.objects.filter(code__in=AREAS)),
        is_fictional=True,
        title_ko=f"2026년 성남시 AI·팹리스 공동연구 지원사업 {round_ko} 공고",
        title_en=f"2026 Seongnam AI·fabless joint research support: {round_en} call",
        description_ko=(
            "성남시에 있는 AI·팹리스 기업이 대학 또는 연구소와 함께 수행하는 1년 과제를 "
            "지원합니다. 과제당 최대 1억 원, 총 10억 원. 신청 기업은 성남시 소재 중소기업이어야 "
            "하며, 협력 대학(연구소)을 협력 기관으로 등록해야 합니다. 전문가 3인이 평가하며 "
            "이해충돌이 있는 평가위원은 배정하지 않습니다. (가상 데모 공고)"
        ),
        description_en=(
            "One-year projects of Seongnam AI and fabless companies with a university or "
            "institute partner. Up to KRW 100 million per project, KRW 1 billion in all. "
            "Applicants are small and medium companies located in Seongnam, and name their "
            "partner lab. Three expert reviewers score each application; no reviewer with a "
            "conflict of interest is assigned. (A fictional demo call.)"
        ),
        commitment=commitment,
        total_budget=1_000_000_000,
        max_award=100_000_000,
        eligible_kinds=[Organisation.Kind.COMPANY],
        region="성남시",
        max_employees=400,
        opens_at=opens,
        closes_at=closes,
        review_deadline=due,
        reviewers_per_application=3,
        reviewer_max_load=6,
        conflict_years=3,
        score_min=1,
        score_max=5,
        disagreement_points=25,
    )
    services.form_fields_save(actor=operator, call=call, fields=_form(plan_required))
    services.criteria_save(actor=operator, call=call, criteria=RUBRIC)
    return call


def _application_text(company: Organisation, rng: random.Random, korean: bool) -> dict[str, Any]:
    codes = [tag.code for tag in company.tags.all()]
    capability = next((BY_CODE[c] for c in codes if c in BY_CODE), BY_CODE["npu"])
    application = next((c for c in codes if c in APPLICATIONS), "mobile")
    if korean:
        title = _fill(rng.choice(capability.titles_ko), rng, application) + " 공동연구"
        summary = (
            f"{capability.problem_ko} {_fill(capability.method_ko, rng, application)}. "
            + _fill(rng.choice(RESULTS_KO), rng, application)
            + f" {company.description_ko}"
        )
        collaboration = "기업은 설계와 시제품 제작을, 협력 대학은 알고리즘 연구와 검증을 맡습니다."
    else:
        title = _fill(rng.choice(capability.titles_en), rng, application)
        summary = (
            f"{capability.problem_en} {_fill(capability.method_en, rng, application)}. "
            + _fill(rng.choice(RESULTS_EN), rng, application)
            + f" {company.description_en}"
        )
        collaboration = (
            "The company designs and builds the prototype; the partner lab researches the "
            "algorithms and validates the results."
        )
    return {
        "title": title[:300],
        "code": capability.code,
        "answers": {
            "summary": summary[:4000],
            "collaboration": collaboration,
            "researchers": rng.randint(4, 18),
            "stage": rng.choice(("c1", "c2", "c3")),
            "start": "2026-07-01",
        },
    }


def _applicants(rng: random.Random, count: int, skip: set[int]) -> list[Organisation]:
    orgadmin = _account("orgadmin")
    companies = list(
        Organisation.objects.filter(
            is_fictional=True, kind=Organisation.Kind.COMPANY, status=Organisation.Status.APPROVED
        )
        .exclude(pk__in=skip)
        .prefetch_related("tags")
        .order_by("pk")
    )
    own = set(orgadmin.memberships.values_list("organisation_id", flat=True)) if orgadmin else set()
    first = [c for c in companies if c.pk in own]
    rest = [c for c in companies if c not in first]
    rng.shuffle(rest)
    return (first + rest)[:count]


def _closed_call(
    operator: User,
    program: SupportProgram,
    commitment: Any,
    reviewers: list[ReviewerProfile],
    rng: random.Random,
) -> int:
    now = timezone.now()
    call = _call(
        operator,
        program,
        commitment,
        slug=CLOSED_CALL,
        round_ko="1차",
        round_en="first",
        opens=_dates(now, -260, 9),
        closes=_dates(now, -230),
        due=_dates(now, -205),
        plan_required=False,
    )
    Call.objects.filter(pk=call.pk).update(status=Call.Status.PUBLISHED, published_at=call.opens_at)
    call.refresh_from_db()
    companies = _applicants(rng, APPLICATION_COUNT, skip=set())
    universities = list(
        Organisation.objects.filter(kind=Organisation.Kind.UNIVERSITY, is_fictional=False)
    )
    area_of = {t.code: t for t in TaxonomyTerm.objects.all()}
    applications = []
    quality: dict[str, float] = {}
    for position, company in enumerate(companies, start=1):
        korean = position % 3 != 0
        text = _application_text(company, rng, korean)
        checks = check_eligibility(call, company)
        submitted = call.opens_at + datetime.timedelta(
            days=rng.randint(3, 29), hours=rng.randint(0, 8)
        )
        application = Application(
            call=call,
            organisation=company,
            title=text["title"],
            requested_amount=rng.choice((50, 60, 70, 80, 90, 100)) * 1_000_000,
            area=area_of.get(text["code"]),
            answers=text["answers"],
            language="ko" if korean else "en",
            status=Application.Status.ELIGIBLE,
            receipt_number=f"{call.opens_at.year}-{call.pk:03d}-{position:04d}",
            submitted_at=submitted,
            eligibility=[check.to_dict() for check in checks],
            screened_at=call.closes_at + datetime.timedelta(days=2),
            screened_by=operator,
            screening_reason="",
        )
        application.full_clean(validate_unique=False, validate_constraints=False)
        applications.append(application)
        quality[application.receipt_number or ""] = rng.gauss(0, 1) + (1.5 if position == 1 else 0)
    for refused in applications[-2:]:
        refused.status = Application.Status.INELIGIBLE
        refused.screening_reason = (
            "동일 과제로 다른 시 지원사업에 선정되어 중복 지원 제한에 해당합니다."
        )
    applications = Application.objects.bulk_create(applications)
    ApplicationPartner.objects.bulk_create(
        ApplicationPartner(
            application=application,
            organisation=rng.choice(universities),
            role="공동연구기관" if application.language == "ko" else "research partner",
        )
        for application in applications
    )
    _conflict_material(operator, call, applications, reviewers, rng)
    services.conflicts_refresh(actor=operator, call=call)
    _declared_and_office_conflicts(operator, applications, reviewers, rng)
    _bids(applications, reviewers, rng)

    # Assign through the platform's own task, as the office would from its page.
    run = AssignmentRun.objects.create(
        call=call, objective="total", alternates=3, started_by=operator
    )
    tasks.compute_assignment.call(run.pk)
    run.refresh_from_db()
    if run.status != AssignmentRun.Status.DONE:
        raise RuntimeError(f"the demo assignment did not complete: {run.status} {run.problems}")
    services.invitations_send(actor=operator, run=run)
    first = ReviewAssignment.objects.filter(application=applications[3]).order_by("pk").first()
    if first is not None:
        services.assignment_release(
            actor=operator,
            assignment=first,
            reason="평가위원이 해외 출장으로 평가가 어렵다고 알려 옴",
        )
    _reviews(call, quality, rng)
    services.decisions_from_proposal(
        actor=operator, call=call, method="optimised", rank_by="normalised"
    )
    Decision.objects.filter(application__call=call, outcome="selected").update(
        note="협약 체결 안내는 별도로 드립니다."
    )
    services.decisions_publish(actor=operator, call=call)
    _age_the_results(call, rng)
    return len(applications)


def _conflict_material(
    operator: User,
    call: Call,
    applications: list[Application],
    reviewers: list[ReviewerProfile],
    rng: random.Random,
) -> None:
    """Records that make conflicts of every kind appear when they are detected."""
    this_year = timezone.localdate().year
    eligible = [a for a in applications if a.status == Application.Status.ELIGIBLE]
    plain = [
        r
        for r in reviewers
        if r.person.organisation_id not in {a.organisation_id for a in applications}
    ]
    if len(eligible) < 10 or len(plain) < 5:
        return  # a demo scaled down below one conflict of each kind shows none
    # A former organisation within the window.
    PastAffiliation.objects.create(
        reviewer=plain[0], organisation=eligible[5].organisation, until_year=this_year - 1
    )
    PastAffiliation.objects.create(
        reviewer=plain[1], organisation=eligible[6].organisation, until_year=this_year - 9
    )  # outside the three-year window: no conflict
    # A co-author: the same paper on a reviewer's profile and an applicant engineer's.
    paper = Publication.objects.filter(person=plain[2].person, year__gte=this_year - 3).first()
    if paper is None:
        paper = Publication.objects.create(
            person=plain[2].person,
            title="Co-designed NPU and compiler for on-device vision",
            abstract="A joint paper.",
            year=this_year - 1,
        )
    engineer = Person.objects.create(
        slug=f"demo-engineer-{eligible[7].organisation.slug}"[:100],
        name_ko="한설계",
        name_en="Seolgye Han",
        position_ko="수석 엔지니어",
        position_en="Principal engineer",
        organisation=eligible[7].organisation,
        profile_text="NPU and compiler co-design.",
        is_fictional=True,
    )
    Publication.objects.create(
        person=engineer, title=paper.title, abstract=paper.abstract, year=paper.year
    )
    # An accepted match and a joint project with applicants.
    need = Need.objects.create(
        organisation=eligible[8].organisation,
        author=operator,
        kind=Need.Kind.PARTNER_SEARCH,
        title="NPU 검증 자문 (가상)",
        description="NPU 서브시스템 검증 자문을 구합니다. (가상 데모)",
        is_fictional=True,
    )
    Match.objects.create(need=need, person=plain[3].person, state=Match.State.ACCEPTED, rank=1)
    expert = _account("expert")
    project_person = plain[4].person
    project_need = Need.objects.create(
        organisation=eligible[9].organisation,
        author=operator,
        kind=Need.Kind.PARTNER_SEARCH,
        title="저전력 ADC 공동 개발 (가상)",
        description="센서 SoC용 저전력 ADC를 함께 개발합니다. (가상 데모)",
        is_fictional=True,
    )
    match = Match.objects.create(
        need=project_need, person=project_person, state=Match.State.PROJECT, rank=1
    )
    project = JointProject.objects.create(
        match=match, title="센서 SoC용 저전력 ADC (가상)", start_date=timezone.localdate()
    )
    # expert@ takes part too: the conflict shows on their reviewer profile.
    participants = [u for u in (operator, expert) if u is not None]
    if project_person.user is not None:
        participants.append(project_person.user)
    project.participants.set(participants)


def _declared_and_office_conflicts(
    operator: User,
    applications: list[Application],
    reviewers: list[ReviewerProfile],
    rng: random.Random,
) -> None:
    eligible = [a for a in applications if a.status == Application.Status.ELIGIBLE]
    if len(eligible) < 12 or len(reviewers) < 12:
        return  # a demo scaled down below these conflicts shows none
    Conflict.objects.get_or_create(
        application=eligible[10],
        reviewer=reviewers[10],
        reason=Conflict.Reason.DECLARED,
        defaults={"note": "지원 기업 대표와 공동 창업 이력이 있습니다.", "created_by": None},
    )
    services.conflict_add(
        actor=operator,
        application=eligible[11],
        reviewer=reviewers[11],
        note="지원 기업의 자문위원으로 활동 중(사무국 확인).",
    )
    partner = (
        Conflict.objects.filter(application__in=eligible, reason=Conflict.Reason.PARTNER)
        .order_by("pk")
        .first()
    )
    if partner is not None:
        services.conflict_lift(
            actor=operator,
            conflict=partner,
            reason="같은 대학의 다른 단과대학 소속으로 과제와 무관함을 확인했습니다.",
        )


def _bids(
    applications: list[Application], reviewers: list[ReviewerProfile], rng: random.Random
) -> None:
    conflicted = set(
        Conflict.objects.filter(lifted_at__isnull=True).values_list("application_id", "reviewer_id")
    )
    eligible = [a for a in applications if a.status == Application.Status.ELIGIBLE]
    bids = []
    for reviewer in reviewers:
        for application in rng.sample(eligible, 4):
            if (application.pk, reviewer.pk) in conflicted:
                continue
            bids.append(
                Bid(
                    reviewer=reviewer,
                    application=application,
                    kind=rng.choices(Bid.Kind.values, weights=(3, 4, 1))[0],
                )
            )
    Bid.objects.bulk_create(bids, ignore_conflicts=True)


def _reviews(call: Call, quality: dict[str, float], rng: random.Random) -> None:
    criteria = list(call.criteria.all())
    leniency: dict[int, float] = {}
    reviews = []
    assignments = list(
        ReviewAssignment.objects.filter(application__call=call)
        .exclude(status=ReviewAssignment.Status.DECLINED)
        .select_related("application")
    )
    for assignment in assignments:
        reviewer_bias = leniency.setdefault(assignment.reviewer_id, rng.gauss(0, 0.5))
        base = (
            3.2
            + 0.8 * quality.get(assignment.application.receipt_number or "", 0.0)
            + reviewer_bias
        )
        scores = {
            str(c.pk): max(call.score_min, min(call.score_max, round(base + rng.gauss(0, 0.6))))
            for c in criteria
        }
        korean = assignment.application.language == "ko"
        reviews.append(
            Review(
                assignment=assignment,
                scores=scores,
                total=weighted_total(criteria, scores, call.score_min, call.score_max),
                comment_to_applicant=rng.choice(COMMENTS_KO if korean else COMMENTS_EN),
                comment_to_committee=rng.choice(COMMITTEE_COMMENTS),
                status=Review.Status.SUBMITTED,
                submitted_at=call.review_deadline - datetime.timedelta(days=rng.randint(1, 15)),
            )
        )
    Review.objects.bulk_create(reviews)
    ReviewAssignment.objects.filter(pk__in=[a.pk for a in assignments]).update(
        status=ReviewAssignment.Status.ACCEPTED
    )


def _age_the_results(call: Call, rng: random.Random) -> None:
    """The decisions were published months ago: awards started then, the interim reports
    were due last week (most sent, some late)."""
    published = call.review_deadline + datetime.timedelta(days=20)
    Call.objects.filter(pk=call.pk).update(decisions_published_at=published)
    Decision.objects.filter(application__call=call).update(published_at=published)
    today = timezone.localdate()
    start = timezone.localtime(published).date()
    for award in Award.objects.filter(application__call=call):
        Award.objects.filter(pk=award.pk).update(
            starts_on=start, ends_on=start + datetime.timedelta(days=365)
        )
        award.milestones.update(
            due_on=start + datetime.timedelta(days=30), done_on=start + datetime.timedelta(days=28)
        )
        interim = award.reports.filter(kind=AwardReport.Kind.INTERIM).first()
        final = award.reports.filter(kind=AwardReport.Kind.FINAL).first()
        if final is not None:
            AwardReport.objects.filter(pk=final.pk).update(
                due_on=start + datetime.timedelta(days=395)
            )
        if interim is not None:
            due = today - datetime.timedelta(days=7)
            sent = rng.random() < 0.7
            AwardReport.objects.filter(pk=interim.pk).update(
                due_on=due,
                summary="시제품 1차 설계를 마치고 협력 대학과 검증 환경을 구축했습니다."
                if sent
                else "",
                submitted_at=timezone.now() - datetime.timedelta(days=9) if sent else None,
            )


def _open_call(operator: User, program: SupportProgram, commitment: Any, rng: random.Random) -> int:
    now = timezone.now()
    call = _call(
        operator,
        program,
        commitment,
        slug=OPEN_CALL,
        round_ko="2차",
        round_en="second",
        opens=_dates(now, -7, 9),
        closes=_dates(now, 30),
        due=_dates(now, 55),
        plan_required=True,
    )
    services.call_publish(actor=operator, call=call)
    orgadmin = _account("orgadmin")
    taken = {
        m.organisation_id for m in (orgadmin.memberships.all() if orgadmin is not None else [])
    }
    companies = _applicants(rng, 5, skip=taken)
    area_of = {t.code: t for t in TaxonomyTerm.objects.all()}
    applications = []
    for position, company in enumerate(companies, start=1):
        text = _application_text(company, rng, korean=position % 2 == 1)
        applications.append(
            Application(
                call=call,
                organisation=company,
                title=text["title"],
                requested_amount=rng.choice((60, 80, 100)) * 1_000_000,
                area=area_of.get(text["code"]),
                answers=text["answers"],
                language="ko" if position % 2 == 1 else "en",
                status=Application.Status.SUBMITTED if position <= 3 else Application.Status.DRAFT,
                receipt_number=f"{call.opens_at.year}-{call.pk:03d}-{position:04d}"
                if position <= 3
                else None,
                submitted_at=now - datetime.timedelta(days=position) if position <= 3 else None,
                eligibility=[check.to_dict() for check in check_eligibility(call, company)],
            )
        )
    Application.objects.bulk_create(applications)
    return len(applications)

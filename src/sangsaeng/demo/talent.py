"""The talent demo: courses of the real institutions, the demo students' profiles, openings
of the demo companies, a finished placement round with its results and an open one.

The institutions are real (Sejong University, KAIST's Seongnam AI institute, SKKU's Fabless
AI centre in Seongnam, CMU's Entertainment Technology Center, Sogang's Pangyo digital
campus); the courses, enrolments, openings and rounds are invented for the demo and marked
fictional. Every demo student gets an account (no password: nobody logs in as them) so
that their consents can be recorded, a talent profile from their directory record, and
completed courses with certificates. The finished round is matched by the engine here, in
this process (about 150 students and 20 openings); the open round has applicants already,
and the demo student account can join it and rank.

Records are written with ``bulk_create`` after validation, as the directory's demo does,
and logged for the search index. ``load(seed)`` is idempotent.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from sangsaeng.accounts.models import Membership, User
from sangsaeng.demo.vocabulary import BY_CODE
from sangsaeng.directory.models import Organisation, Person, TaxonomyTerm
from sangsaeng.engine.students import match_students
from sangsaeng.search.index import record_change
from sangsaeng.talent import placement
from sangsaeng.talent.consents import current_text
from sangsaeng.talent.models import (
    Certificate,
    CompanyRanking,
    ConsentRecord,
    Course,
    Enrolment,
    MatchResult,
    MatchRun,
    Opening,
    Placement,
    PlacementRound,
    RoundParticipant,
    StudentChoice,
    StudentProfile,
    new_certificate_code,
)
from sangsaeng.talent.search import COURSE, OPENING, STUDENT
from sangsaeng.talent.tasks import schedule_retention

STUDENT_ACCOUNT = "student@sangsaeng.demo.example"
ADMIN_ACCOUNT = "orgadmin@sangsaeng.demo.example"
# Share of demo students who let companies with openings see their profile.
CONSENT_SHARE = 0.7

# (institution, title_ko, title_en, areas, weeks from today to start, weeks long, hours,
#  places, mode, schedule_ko, schedule_en)
COURSES = (
    (
        "sejong-university",
        "AI 반도체 설계 입문",
        "Introduction to AI chip design",
        ("npu", "soc-architecture"),
        -30,
        10,
        40,
        40,
        "on_site",
        "화·목 19:00–21:00",
        "Tue and Thu 19:00–21:00",
    ),
    (
        "sejong-university",
        "RISC-V 프로세서 설계 실습",
        "RISC-V processor design lab",
        ("risc-v", "verification"),
        -2,
        8,
        32,
        24,
        "on_site",
        "토 10:00–14:00",
        "Sat 10:00–14:00",
    ),
    (
        "sejong-university",
        "거대언어모델 서빙과 경량화",
        "Serving and compressing large language models",
        ("llm", "model-compression"),
        3,
        6,
        24,
        30,
        "blended",
        "수 19:00–21:00",
        "Wed 19:00–21:00",
    ),
    (
        "kaist-seongnam-ai-institute",
        "온디바이스 AI 모델 최적화",
        "Optimising on-device AI models",
        ("edge-ai", "model-compression"),
        -26,
        8,
        32,
        35,
        "online",
        "온라인 자율 학습 + 격주 라이브",
        "Self-paced online, live session every other week",
    ),
    (
        "kaist-seongnam-ai-institute",
        "AI 컴파일러 실전",
        "AI compilers in practice",
        ("ai-compiler", "npu"),
        -1,
        8,
        32,
        20,
        "on_site",
        "월·수 18:30–20:30",
        "Mon and Wed 18:30–20:30",
    ),
    (
        "kaist-seongnam-ai-institute",
        "컴퓨터 비전 프로젝트 캠프",
        "Computer vision project camp",
        ("computer-vision", "edge-ai"),
        4,
        4,
        40,
        25,
        "on_site",
        "집중 과정(평일 주간)",
        "Intensive, weekday daytime",
    ),
    (
        "skku-fabless-ai-seongnam-center",
        "UVM 기반 SoC 검증",
        "UVM-based SoC verification",
        ("verification", "soc-architecture"),
        -28,
        10,
        48,
        30,
        "on_site",
        "화 19:00–22:00",
        "Tue 19:00–22:00",
    ),
    (
        "skku-fabless-ai-seongnam-center",
        "물리 설계와 타이밍 클로저",
        "Physical design and timing closure",
        ("physical-design", "eda"),
        -3,
        8,
        32,
        20,
        "on_site",
        "목 19:00–22:00",
        "Thu 19:00–22:00",
    ),
    (
        "skku-fabless-ai-seongnam-center",
        "아날로그 회로 설계 기초",
        "Analog circuit design basics",
        ("analog-rf", "pmic"),
        2,
        8,
        32,
        2,
        "on_site",
        "금 14:00–17:00",
        "Fri 14:00–17:00",
    ),
    (
        "cmu-etc",
        "게임·미디어를 위한 생성형 AI",
        "Generative AI for games and media",
        ("computer-vision", "llm"),
        -24,
        6,
        24,
        30,
        "blended",
        "주말 워크숍",
        "Weekend workshops",
    ),
    (
        "cmu-etc",
        "인터랙티브 AI 프로토타이핑",
        "Prototyping interactive AI",
        ("speech", "computer-vision"),
        5,
        6,
        24,
        24,
        "on_site",
        "토 13:00–17:00",
        "Sat 13:00–17:00",
    ),
    (
        "sogang-pangyo-digital-innovation-campus",
        "칩렛과 고속 인터페이스",
        "Chiplets and high-speed interfaces",
        ("high-speed-interface", "packaging-chiplet"),
        -22,
        8,
        32,
        30,
        "on_site",
        "수 19:00–21:00",
        "Wed 19:00–21:00",
    ),
    (
        "sogang-pangyo-digital-innovation-campus",
        "메모리 인터페이스 설계",
        "Memory interface design",
        ("memory-interface", "soc-architecture"),
        -2,
        6,
        24,
        25,
        "on_site",
        "월 19:00–22:00",
        "Mon 19:00–22:00",
    ),
    (
        "sogang-pangyo-digital-innovation-campus",
        "MLOps와 GPU 클러스터 운영",
        "MLOps and GPU cluster operations",
        ("mlops", "llm"),
        3,
        6,
        24,
        30,
        "online",
        "온라인 라이브 화 20:00",
        "Online, live on Tue 20:00",
    ),
    (
        "sogang-pangyo-digital-innovation-campus",
        "DFT와 포스트 실리콘 검증",
        "DFT and post-silicon validation",
        ("dft", "post-silicon"),
        6,
        6,
        24,
        20,
        "on_site",
        "토 09:00–12:00",
        "Sat 09:00–12:00",
    ),
)

# What a company with a capability hires for: (title_ko, title_en) of an intern.
ROLES = {
    "npu": ("NPU 하드웨어 설계 인턴", "NPU hardware design intern"),
    "llm": ("LLM 서빙 엔지니어", "LLM serving engineer"),
    "computer-vision": ("비전 알고리즘 인턴", "Computer vision algorithm intern"),
    "edge-ai": ("온디바이스 AI 최적화 인턴", "On-device AI optimisation intern"),
    "model-compression": ("모델 경량화 연구 인턴", "Model compression research intern"),
    "speech": ("음성 인식 엔지니어", "Speech recognition engineer"),
    "ai-compiler": ("AI 컴파일러 개발 인턴", "AI compiler development intern"),
    "mlops": ("MLOps 엔지니어", "MLOps engineer"),
    "soc-architecture": ("SoC 아키텍처 인턴", "SoC architecture intern"),
    "risc-v": ("RISC-V CPU 설계 인턴", "RISC-V CPU design intern"),
    "analog-rf": ("아날로그 회로 설계 인턴", "Analog circuit design intern"),
    "pmic": ("PMIC 설계 엔지니어", "PMIC design engineer"),
    "memory-interface": ("메모리 컨트롤러 설계 인턴", "Memory controller design intern"),
    "high-speed-interface": ("SerDes·UCIe 설계 인턴", "SerDes and UCIe design intern"),
    "verification": ("SoC 검증 엔지니어 인턴", "SoC verification intern"),
    "dft": ("DFT 엔지니어", "DFT engineer"),
    "physical-design": ("물리 설계(P&R) 인턴", "Physical design (P&R) intern"),
    "eda": ("EDA 자동화 인턴", "EDA automation intern"),
    "packaging-chiplet": ("칩렛 패키징 엔지니어", "Chiplet packaging engineer"),
    "foundry-mpw": ("MPW 테이프아웃 지원 인턴", "MPW tape-out support intern"),
    "post-silicon": ("포스트 실리콘 검증 인턴", "Post-silicon validation intern"),
}
OPENING_COUNT = 40


def is_loaded() -> bool:
    return Course.objects.filter(is_fictional=True).exists()


def load(seed: int) -> int:
    """Load the talent demo (or find it loaded); returns how many records it added."""
    if is_loaded() or not Person.objects.filter(kind=Person.Kind.STUDENT).exists():
        return 0
    rng = random.Random(seed)
    with transaction.atomic():
        terms = {term.code: term for term in TaxonomyTerm.objects.all()}
        students = _student_accounts(rng)
        profiles = _profiles(rng, students, terms)
        courses = _courses(terms)
        certificates = _enrolments(rng, students, courses)
        openings = _openings(rng, terms)
        finished = _finished_round(rng, students, openings[: OPENING_COUNT // 2])
        _open_round(rng, students, openings[OPENING_COUNT // 2 :])
        for record_id in (c.pk for c in courses):
            record_change(COURSE, record_id)
        for record_id in (o.pk for o in openings):
            record_change(OPENING, record_id)
        for record_id in (p.pk for p in profiles):
            record_change(STUDENT, record_id)
    # The demo's worker runs the nightly retention sweep (a no-op with the tests' backend).
    schedule_retention()
    return len(profiles) + len(courses) + certificates + len(openings) + finished


# --- students ---------------------------------------------------------------------------


def _student_accounts(rng: random.Random) -> list[Person]:
    """The demo students, each with an account of its own (no usable password)."""
    students = list(
        Person.objects.filter(kind=Person.Kind.STUDENT, is_fictional=True)
        .select_related("organisation", "user")
        .prefetch_related("tags")
        .order_by("pk")
    )
    unusable = make_password(None)
    new_users = []
    for person in students:
        if person.user_id is None:
            new_users.append(
                User(
                    username=f"demo-{person.slug}"[:150],
                    email=f"{person.slug}@sangsaeng.demo.example",
                    display_name=person.name_ko,
                    password=unusable,
                )
            )
    User.objects.bulk_create(new_users, batch_size=500)
    by_email = {user.email: user for user in new_users}
    for person in students:
        if person.user_id is None:
            person.user = by_email[f"{person.slug}@sangsaeng.demo.example"]
    Person.objects.bulk_update(students, ["user"], batch_size=500)
    return students


def _account(person: Person) -> User:
    assert person.user is not None  # every demo student was given one above
    return person.user


def _is_demo_account(person: Person) -> bool:
    return person.user is not None and person.user.email == STUDENT_ACCOUNT


def _about(rng: random.Random, person: Person) -> str:
    """A few words of the student's own, in the language of their study programme."""
    keywords = [str(k) for k in person.expertise_keywords or []]
    if not keywords:
        return ""
    program = person.study_program
    if program and program[0].isascii():
        return f"Interested in {' and '.join(keywords[:2])}; studying for the {program}."
    return f"관심 분야는 {', '.join(keywords[:2])}입니다. {program} 학생입니다."


def _profiles(
    rng: random.Random, students: list[Person], terms: dict[str, TaxonomyTerm]
) -> list[StudentProfile]:
    today = timezone.localdate()
    profiles = []
    for person in students:
        start = today + datetime.timedelta(days=rng.choice((0, 30, 60, 90)))
        profile = StudentProfile(
            person=person,
            about=_about(rng, person),
            available_from=start,
            available_until=start + datetime.timedelta(days=rng.choice((90, 180, 365))),
            hours_per_week=rng.choice((20, 30, 40)),
        )
        profile.full_clean(exclude=["person", "cv"])
        profiles.append(profile)
    StudentProfile.objects.bulk_create(profiles, batch_size=500)
    StudentProfile.skills.through.objects.bulk_create(
        StudentProfile.skills.through(studentprofile_id=profile.pk, taxonomyterm_id=term.pk)
        for profile, person in zip(profiles, students, strict=True)
        for term in person.tags.all()
    )
    profile_version = current_text(ConsentRecord.Purpose.PROFILE).version
    companies_version = current_text(ConsentRecord.Purpose.COMPANIES).version
    consents = []
    for person in students:
        consents.append(
            ConsentRecord(
                user=_account(person),
                purpose=ConsentRecord.Purpose.PROFILE,
                version=profile_version,
            )
        )
        if _is_demo_account(person) or rng.random() < CONSENT_SHARE:
            consents.append(
                ConsentRecord(
                    user=_account(person),
                    purpose=ConsentRecord.Purpose.COMPANIES,
                    version=companies_version,
                )
            )
    ConsentRecord.objects.bulk_create(consents, batch_size=1000)
    return profiles


# --- courses, enrolments, certificates --------------------------------------------------


def _courses(terms: dict[str, TaxonomyTerm]) -> list[Course]:
    providers = {
        organisation.slug: organisation
        for organisation in Organisation.objects.filter(slug__in={c[0] for c in COURSES})
    }
    today = timezone.localdate()
    courses, areas = [], []
    for spec in COURSES:
        (
            slug,
            title_ko,
            title_en,
            codes,
            start_weeks,
            weeks,
            hours,
            places,
            mode,
            when_ko,
            when_en,
        ) = spec
        if slug not in providers:
            continue
        starts = today + datetime.timedelta(weeks=start_weeks)
        ends = starts + datetime.timedelta(weeks=weeks)
        topics = ", ".join(k for code in codes for k in BY_CODE[code].keywords[:3])
        description_ko = (
            f"{title_ko} 과정입니다. 클러스터 기업의 실제 과제로 실습합니다. 다루는 내용: "
            f"{topics}. 수료하면 누구나 확인할 수 있는 수료증을 받습니다."
        )
        description_en = (
            f"{title_en}: hands-on, with projects from the cluster's companies. Topics: "
            f"{topics}. Those who complete it get a certificate anyone can check."
        )
        course = Course(
            organisation=providers[slug],
            title_ko=title_ko,
            title_en=title_en,
            description_ko=description_ko,
            description_en=description_en,
            starts_on=starts,
            ends_on=ends,
            schedule_ko=when_ko,
            schedule_en=when_en,
            hours=hours,
            capacity=places,
            waitlist_limit=10,
            eligibility_ko="클러스터 대학·연구소의 학부생과 대학원생",
            eligibility_en="Undergraduate and graduate students of the cluster's universities "
            "and institutes",
            mode=mode,
            location="" if mode == Course.Mode.ONLINE else providers[slug].address,
            enrol_until=starts + datetime.timedelta(weeks=1) if start_weeks > 0 else None,
            status=Course.Status.PUBLISHED if ends >= today else Course.Status.CLOSED,
            is_fictional=True,
        )
        course.full_clean(exclude=["organisation"])
        courses.append(course)
        areas.append(codes)
    Course.objects.bulk_create(courses)
    Course.tags.through.objects.bulk_create(
        Course.tags.through(course_id=course.pk, taxonomyterm_id=terms[code].pk)
        for course, codes in zip(courses, areas, strict=True)
        for code in codes
        if code in terms
    )
    return courses


def _affinity(person: Person, codes: set[str]) -> int:
    return len({term.code for term in person.tags.all()} & codes)


def _enrolments(rng: random.Random, students: list[Person], courses: list[Course]) -> int:
    """Past courses completed (with certificates), current ones taken, a waiting list."""
    today = timezone.localdate()
    course_codes = {
        course.pk: set(course.tags.values_list("code", flat=True)) for course in courses
    }
    taken: dict[int, int] = defaultdict(int)
    enrolments: list[Enrolment] = []
    demo_student = next((p for p in students if _is_demo_account(p)), None)
    for person in students:
        fitting = sorted(
            courses,
            key=lambda c: (-_affinity(person, course_codes[c.pk]), rng.random()),
        )
        wanted = fitting[: rng.choice((0, 1, 1, 2, 2, 3))]
        if person is demo_student:
            wanted = [c for c in fitting if c.ends_on < today][:1] + [
                c for c in fitting if c.starts_on > today
            ][:1]
        for course in wanted:
            now = timezone.now()
            if taken[course.pk] < course.capacity:
                taken[course.pk] += 1
                finished = course.ends_on < today
                enrolment = Enrolment(
                    course=course,
                    student=person,
                    status=Enrolment.Status.COMPLETED if finished else Enrolment.Status.ENROLLED,
                    completed_at=timezone.make_aware(
                        datetime.datetime.combine(course.ends_on, datetime.time(18))
                    )
                    if finished
                    else None,
                )
            elif course.ends_on >= today and course.waitlist_limit:
                enrolment = Enrolment(
                    course=course,
                    student=person,
                    status=Enrolment.Status.WAITLISTED,
                    waitlisted_at=now,
                )
            else:
                continue
            enrolments.append(enrolment)
    Enrolment.objects.bulk_create(enrolments, batch_size=1000)
    by_course = {course.pk: course for course in courses}
    certificates = []
    for enrolment in enrolments:
        if enrolment.status != Enrolment.Status.COMPLETED:
            continue
        course, student = by_course[enrolment.course_id], enrolment.student
        assert student is not None and enrolment.completed_at is not None
        certificates.append(
            Certificate(
                enrolment=enrolment,
                code=new_certificate_code(),
                holder_name_ko=student.name_ko,
                holder_name_en=student.name_en,
                course_title_ko=course.title_ko,
                course_title_en=course.title_en,
                provider_name_ko=course.organisation.name_ko,
                provider_name_en=course.organisation.name_en,
                hours=course.hours,
                completed_on=course.ends_on,
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=1000)
    return len(enrolments) + len(certificates)


# --- openings ---------------------------------------------------------------------------


def _openings(rng: random.Random, terms: dict[str, TaxonomyTerm]) -> list[Opening]:
    companies = list(
        Organisation.objects.filter(is_fictional=True, kind=Organisation.Kind.COMPANY)
        .prefetch_related("tags")
        .order_by("pk")
    )
    if not companies:
        return []
    admin_company = (
        Membership.objects.filter(user__email=ADMIN_ACCOUNT)
        .values_list("organisation_id", flat=True)
        .first()
    )
    # The demo admin's company posts one opening in each round (the first and the 21st).
    order = sorted(companies, key=lambda c: (c.pk != admin_company, rng.random()))
    chosen = [order[i % len(order)] for i in range(OPENING_COUNT)]
    if admin_company is not None and len(order) > 1:
        chosen[OPENING_COUNT // 2] = order[0]
    today = timezone.localdate()
    openings, skills = [], []
    for number, company in enumerate(chosen):
        codes = [t.code for t in company.tags.all() if t.code in ROLES] or ["verification"]
        role = codes[number % len(codes)]
        title_ko, title_en = ROLES[role]
        capability = BY_CODE[role]
        junior = title_en.endswith("engineer") and rng.random() < 0.6
        kind = Opening.Kind.JUNIOR if junior else Opening.Kind.INTERNSHIP
        past = number < OPENING_COUNT // 2
        opening = Opening(
            organisation=company,
            kind=kind,
            title_ko=title_ko,
            title_en=title_en,
            description_ko=(
                f"저희 회사는 {capability.company_ko} "
                f"{', '.join(capability.keywords[:3])} 관련 경험이 있거나 수업을 들은 학생을 "
                "찾습니다. 담당 멘토와 함께 일합니다."
            ),
            description_en=(
                f"{company.name_en} {capability.company_en} We are looking for students who "
                f"have worked with {', '.join(capability.keywords[:3])}, in a course or a "
                "project. You get a mentor and work on a real product."
            ),
            positions=rng.choice((2, 3, 4, 5)),
            duration_months=None if kind == Opening.Kind.JUNIOR else rng.choice((2, 3, 6)),
            stipend_krw=rng.choice((1_800_000, 2_000_000, 2_200_000, 2_500_000))
            if kind == Opening.Kind.INTERNSHIP
            else rng.choice((3_500_000, 3_800_000, 4_000_000)),
            location=company.address,
            starts_on=today + datetime.timedelta(days=-60 if past else 75),
            status=Opening.Status.OPEN,  # the finished round's are closed after its match
            is_fictional=True,
        )
        opening.full_clean(exclude=["organisation"])
        openings.append(opening)
        skills.append({role, *codes[:2]})
    Opening.objects.bulk_create(openings)
    Opening.tags.through.objects.bulk_create(
        Opening.tags.through(opening_id=opening.pk, taxonomyterm_id=terms[code].pk)
        for opening, codes in zip(openings, skills, strict=True)
        for code in codes
        if code in terms
    )
    return openings


# --- rounds -----------------------------------------------------------------------------


def _lists(
    rng: random.Random,
    students: list[Person],
    openings: list[Opening],
    max_choices: int,
) -> dict[int, list[Opening]]:
    """Each student's rank list: openings sharing their skills first, with some noise."""
    codes = {o.pk: set(o.tags.values_list("code", flat=True)) for o in openings}
    lists = {}
    for person in students:
        ranked = sorted(
            openings, key=lambda o: -_affinity(person, codes[o.pk]) - rng.random() * 1.5
        )
        lists[person.pk] = ranked[: rng.randint(2, max_choices)]
    return lists


def _company_rankings(
    rng: random.Random, students: dict[int, Person], lists: dict[int, list[Opening]]
) -> dict[int, list[int]]:
    applicants: dict[int, list[int]] = defaultdict(list)
    opening_codes: dict[int, set[str]] = {}
    for person_id, chosen in lists.items():
        for opening in chosen:
            applicants[opening.pk].append(person_id)
            opening_codes.setdefault(opening.pk, set(opening.tags.values_list("code", flat=True)))
    return {
        opening_id: sorted(
            people,
            key=lambda p: -_affinity(students[p], opening_codes[opening_id]) - rng.random(),
        )
        for opening_id, people in applicants.items()
    }


def _write_round_lists(
    placement_round: PlacementRound,
    lists: dict[int, list[Opening]],
    rankings: dict[int, list[int]] | None,
) -> None:
    RoundParticipant.objects.bulk_create(
        RoundParticipant(round=placement_round, student_id=person_id) for person_id in lists
    )
    StudentChoice.objects.bulk_create(
        (
            StudentChoice(
                round=placement_round, phase=1, student_id=person_id, opening=opening, rank=rank
            )
            for person_id, chosen in lists.items()
            for rank, opening in enumerate(chosen, start=1)
        ),
        batch_size=2000,
    )
    if rankings:
        CompanyRanking.objects.bulk_create(
            (
                CompanyRanking(
                    round=placement_round, phase=1, opening_id=opening_id, student_id=pid, rank=rank
                )
                for opening_id, people in rankings.items()
                for rank, pid in enumerate(people, start=1)
            ),
            batch_size=2000,
        )


def _finished_round(rng: random.Random, students: list[Person], openings: list[Opening]) -> int:
    """Spring's round: ranked, matched by the engine, offers answered, placements made."""
    if not openings:
        return 0
    now = timezone.now()
    placement_round = PlacementRound(
        name_ko="2026 봄 현장실습 배정",
        name_en="Spring 2026 placement round",
        description_ko="클러스터 기업의 봄 학기 현장실습과 신입 채용을 한 번에 배정했습니다.",
        description_en="The cluster companies' spring internships and junior positions, "
        "matched in one round.",
        max_choices=6,
        students_deadline=now - datetime.timedelta(days=100),
        companies_deadline=now - datetime.timedelta(days=93),
        offers_deadline=now - datetime.timedelta(days=80),
        status=PlacementRound.Status.OPEN,
        seed=rng.randrange(1000),
        is_fictional=True,
    )
    placement_round.full_clean()
    placement_round.save()
    placement_round.openings.set(openings)
    # About as many students as positions: most are placed, some are not.
    taking_part = rng.sample(students, k=min(len(students), max(2, len(students) // 3)))
    demo_student = next((p for p in students if _is_demo_account(p)), None)
    if demo_student is not None and demo_student not in taking_part:
        taking_part.append(demo_student)
    lists = _lists(rng, taking_part, openings, placement_round.max_choices)
    rankings = _company_rankings(rng, {p.pk: p for p in taking_part}, lists)
    if demo_student is not None:
        # The demo student's first choice wants them most: they are placed there.
        first = lists[demo_student.pk][0].pk
        rankings[first].remove(demo_student.pk)
        rankings[first].insert(0, demo_student.pk)
    _write_round_lists(placement_round, lists, rankings)
    run = MatchRun.objects.create(
        round=placement_round,
        phase=1,
        method=placement_round.method,
        status=MatchRun.Status.RUNNING,
    )
    market = placement.build_market(placement_round, 1)
    result = match_students(
        market.students,
        market.openings,
        market.scores,
        method="stable",
        seed=placement_round.seed,
        max_choices=placement_round.max_choices,
    )
    placement.save_results(placement_round, run, market, result)
    # Most accept, some decline, a few never answer (they lapse when the round closes).
    results = list(
        MatchResult.objects.filter(round=placement_round, opening__isnull=False).select_related(
            "opening__organisation", "student"
        )
    )
    placements = []
    for result_row in results:
        draw = rng.random()
        demo = result_row.student_id == (demo_student.pk if demo_student else None)
        if demo or draw < 0.82:
            result_row.offer = MatchResult.Offer.ACCEPTED
            opening = result_row.opening
            assert opening is not None
            placements.append(
                Placement(
                    student_id=result_row.student_id,
                    source=Placement.Source.ROUND,
                    result=result_row,
                    round=placement_round,
                    opening=opening,
                    employer=opening.organisation,
                    employer_name=opening.organisation.name_ko,
                    kind=opening.kind,
                    starts_on=opening.starts_on,
                )
            )
        elif draw < 0.95:
            result_row.offer = MatchResult.Offer.DECLINED
        else:
            result_row.offer = MatchResult.Offer.LAPSED
        result_row.answered_at = now - datetime.timedelta(days=85)
    MatchResult.objects.bulk_update(results, ["offer", "answered_at"], batch_size=1000)
    Placement.objects.bulk_create(placements)
    PlacementRound.objects.filter(pk=placement_round.pk).update(
        status=PlacementRound.Status.CLOSED, closed_at=now - datetime.timedelta(days=75)
    )
    Opening.objects.filter(pk__in=[o.pk for o in openings]).update(status=Opening.Status.CLOSED)
    return 1 + len(results) + len(placements)


def _open_round(rng: random.Random, students: list[Person], openings: list[Opening]) -> None:
    """Summer's round, open now: applicants have ranked; the demo student may join."""
    if not openings:
        return
    now = timezone.now()
    placement_round = PlacementRound(
        name_ko="2026 여름·가을 현장실습 배정",
        name_en="Summer–autumn 2026 placement round",
        description_ko="여름 방학과 가을 학기의 현장실습·신입 자리입니다. "
        "원하는 공고를 최대 5개까지 순위대로 고르세요.",
        description_en="Internships and junior positions for the summer break and the autumn "
        "term. Rank up to 5 openings in the order you want them.",
        max_choices=5,
        students_deadline=now + datetime.timedelta(days=14),
        companies_deadline=now + datetime.timedelta(days=21),
        offers_deadline=now + datetime.timedelta(days=35),
        status=PlacementRound.Status.OPEN,
        seed=rng.randrange(1000),
        is_fictional=True,
    )
    placement_round.full_clean()
    placement_round.save()
    placement_round.openings.set(openings)
    others = [p for p in students if not _is_demo_account(p)]
    taking_part = rng.sample(others, k=min(len(others), max(1, len(others) * 2 // 5)))
    lists = _lists(rng, taking_part, openings, placement_round.max_choices)
    _write_round_lists(placement_round, lists, None)

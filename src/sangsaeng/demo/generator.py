"""A seeded generator of the demo cluster's fictional companies, experts and students.

Pure Python (no database): ``generate(seed, scale)`` returns the same records for the
same arguments, so a demo is reproducible and tests can compare two runs. Every
record's tags are the capabilities its text was written from.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sangsaeng.core.i18n import with_particle
from sangsaeng.demo.vocabulary import (
    ADDRESSES,
    AFFINITY,
    APPLICATIONS,
    BY_CODE,
    CAPABILITIES,
    EXPERT_POSITIONS,
    GIVEN_NAMES,
    NAME_ENDINGS,
    NAME_STEMS,
    NODES,
    RESULTS_EN,
    RESULTS_KO,
    STUDY_PROGRAMS,
    SURNAMES,
    Capability,
)

FULL_COUNTS = {"companies": 64, "experts": 200, "students": 300}


@dataclass(frozen=True)
class FictionalCompany:
    slug: str
    name_ko: str
    name_en: str
    description_ko: str
    description_en: str
    address: str
    established_year: int
    employee_count: int
    tags: tuple[str, ...]


@dataclass(frozen=True)
class FictionalPublication:
    kind: str
    title: str
    abstract: str
    year: int


@dataclass(frozen=True)
class FictionalPerson:
    slug: str
    kind: str
    name_ko: str
    name_en: str
    position_ko: str
    position_en: str
    email: str
    # A fictional company's slug, or the key of a real university/institute (see loader).
    organisation: str
    profile_text: str
    expertise_keywords: tuple[str, ...]
    tags: tuple[str, ...]
    study_program: str = ""
    graduation_year: int | None = None
    publications: tuple[FictionalPublication, ...] = ()


@dataclass
class FictionalCluster:
    companies: list[FictionalCompany] = field(default_factory=list)
    experts: list[FictionalPerson] = field(default_factory=list)
    students: list[FictionalPerson] = field(default_factory=list)


def _fill(text: str, rng: random.Random, application: str) -> str:
    app_en, app_ko = APPLICATIONS[application]
    return text.format(
        node=rng.choice(NODES),
        app_en=app_en,
        app_ko=app_ko,
        n=rng.choice((12, 24, 48, 96, 150, 320)),
        x=rng.choice((8, 16, 24, 32, 48, 64, 112)),
        pct=rng.choice((12, 18, 23, 27, 31, 37, 42, 55)),
    )


def _focus(rng: random.Random) -> tuple[Capability, list[Capability], str]:
    primary = rng.choice(CAPABILITIES)
    partners = [BY_CODE[code] for code in AFFINITY[primary.code]]
    secondary = rng.sample(partners, k=min(len(partners), rng.randint(1, 2)))
    return primary, secondary, rng.choice(sorted(APPLICATIONS))


def _company(rng: random.Random, number: int, used: set[str]) -> FictionalCompany:
    while True:
        (stem_en, stem_ko), (end_en, end_ko) = rng.choice(NAME_STEMS), rng.choice(NAME_ENDINGS)
        if (stem_en, end_en) not in used:
            used.add((stem_en, end_en))  # type: ignore[arg-type]
            break
    primary, secondary, application = _focus(rng)
    app_en, app_ko = APPLICATIONS[application]
    name_en, name_ko = f"{stem_en} {end_en}", f"{stem_ko}{end_ko}"
    other_keywords = ", ".join(capability.keywords[0] for capability in secondary)
    description_ko = (
        f"{app_ko} 분야를 겨냥한 판교의 팹리스·AI 기업입니다. "
        + _fill(primary.company_ko, rng, application)
        + f" 주요 기술: {', '.join(primary.keywords[:3])}, {other_keywords}."
    )
    description_en = (
        f"{name_en} "
        + _fill(primary.company_en, rng, application)
        + f" It also works on {other_keywords} for {app_en} customers."
    )
    return FictionalCompany(
        slug=f"{stem_en}-{end_en}".lower(),
        name_ko=name_ko,
        name_en=name_en,
        description_ko=description_ko,
        description_en=description_en,
        address=f"{rng.choice(ADDRESSES)} {rng.randint(1, 350)}",
        established_year=rng.randint(2004, 2023),
        employee_count=rng.choice((8, 15, 23, 40, 65, 120, 210, 380)),
        tags=(primary.code, *(c.code for c in secondary), application),
    )


def _person_name(rng: random.Random) -> tuple[str, str]:
    (surname_ko, surname_en), (given_ko, given_en) = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
    return f"{surname_ko}{given_ko}", f"{given_en} {surname_en}"


def _publication(
    rng: random.Random, capability: Capability, application: str, korean: bool
) -> FictionalPublication:
    kind = rng.choices(("paper", "patent", "project"), weights=(7, 2, 1))[0]
    if korean:
        title = _fill(rng.choice(capability.titles_ko), rng, application)
        abstract = (
            f"{capability.problem_ko} {_fill(capability.method_ko, rng, application)}. "
            + _fill(rng.choice(RESULTS_KO), rng, application)
        )
    else:
        title = _fill(rng.choice(capability.titles_en), rng, application)
        abstract = (
            f"{capability.problem_en} {_fill(capability.method_en, rng, application)}. "
            + _fill(rng.choice(RESULTS_EN), rng, application)
        )
    return FictionalPublication(
        kind=kind, title=title, abstract=abstract, year=rng.randint(2015, 2025)
    )


def _expert(rng: random.Random, number: int, organisations: list[str]) -> FictionalPerson:
    name_ko, name_en = _person_name(rng)
    primary, secondary, application = _focus(rng)
    prefers_korean = rng.random() < 0.5
    capabilities = [primary, primary, *secondary]
    publications: list[FictionalPublication] = []
    titles: set[str] = set()
    wanted, attempts = rng.randint(3, 10), 0
    while len(publications) < wanted:
        attempts += 1
        korean = (rng.random() < 0.75) == prefers_korean
        publication = _publication(rng, rng.choice(capabilities), application, korean)
        # A profile lists distinct works; after many tries a repeated title is tolerated.
        if publication.title not in titles or attempts > 50:
            titles.add(publication.title)
            publications.append(publication)
    keywords = list(dict.fromkeys([*primary.keywords[:3], *(c.keywords[0] for c in secondary)]))
    app_en, app_ko = APPLICATIONS[application]
    if prefers_korean:
        studied = with_particle(", ".join(keywords[:3]), "을")
        profile = (
            f"{primary.problem_ko} 이 문제를 풀기 위해 {studied} 연구하며, "
            f"{app_ko} 응용을 위한 {secondary[0].keywords[-1]} 기술도 함께 다룹니다."
        )
    else:
        profile = (
            f"Works on {', '.join(keywords[:3])} for {app_en} systems. "
            f"{primary.problem_en} Also active in {secondary[0].keywords[0]}."
        )
    position_ko, position_en = rng.choice(EXPERT_POSITIONS)
    slug = f"{name_en.lower().replace(' ', '-')}-{number:03d}"
    return FictionalPerson(
        slug=slug,
        kind="expert",
        name_ko=name_ko,
        name_en=name_en,
        position_ko=position_ko,
        position_en=position_en,
        email=f"{slug}@experts.demo.example",
        organisation=rng.choice(organisations),
        profile_text=profile,
        expertise_keywords=tuple(keywords),
        tags=(primary.code, *(c.code for c in secondary), application),
        publications=tuple(publications),
    )


def _student(rng: random.Random, number: int, universities: list[str]) -> FictionalPerson:
    name_ko, name_en = _person_name(rng)
    primary, secondary, application = _focus(rng)
    program = rng.choice(STUDY_PROGRAMS)
    app_en, app_ko = APPLICATIONS[application]
    if program.startswith(("M.S.", "Ph.D.")):
        profile = (
            f"Student interested in {primary.keywords[0]} and {secondary[0].keywords[0]} "
            f"for {app_en} products; looking for an internship at a cluster company."
        )
    else:
        first = with_particle(primary.keywords[-1], "와")
        profile = (
            f"{first} {secondary[0].keywords[-1]}에 관심이 있으며 "
            f"{app_ko} 분야 기업에서 인턴십을 희망합니다."
        )
    slug = f"student-{name_en.lower().replace(' ', '-')}-{number:03d}"
    return FictionalPerson(
        slug=slug,
        kind="student",
        name_ko=name_ko,
        name_en=name_en,
        position_ko="학생",
        position_en="Student",
        email=f"{slug}@students.demo.example",
        organisation=rng.choice(universities),
        profile_text=profile,
        expertise_keywords=(primary.keywords[0], secondary[0].keywords[0]),
        tags=(primary.code, secondary[0].code),
        study_program=program,
        graduation_year=rng.randint(2025, 2029),
    )


def generate(
    seed: int,
    scale: float = 1.0,
    *,
    research_organisations: tuple[str, ...] = (),
    universities: tuple[str, ...] = ("university",),
) -> FictionalCluster:
    """The fictional part of the demo; ``scale`` shrinks the counts (tests use 0.1)."""
    rng = random.Random(seed)
    counts = {name: max(1, round(count * scale)) for name, count in FULL_COUNTS.items()}
    cluster = FictionalCluster()
    used_names: set[str] = set()
    if counts["companies"] > len(NAME_STEMS) * len(NAME_ENDINGS):
        raise ValueError("not enough invented company names for this scale")
    for number in range(counts["companies"]):
        cluster.companies.append(_company(rng, number, used_names))
    employers = [company.slug for company in cluster.companies]
    # Two in three experts work at a company, the rest at universities and institutes.
    places = employers * 2 + list(research_organisations) * max(1, len(employers) // 8)
    for number in range(counts["experts"]):
        cluster.experts.append(_expert(rng, number, places or employers))
    for number in range(counts["students"]):
        cluster.students.append(_student(rng, number, list(universities)))
    return cluster

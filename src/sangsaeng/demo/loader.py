"""Load the Seongnam demo cluster: the real organisations and agreements, generated
fictional members, and one demo account per role.

Real records and accounts go through the directory's services (validated and audited,
with the demo operator as actor). The thousands of generated records are validated one
by one and then written with ``bulk_create``: they are demo data, and writing them one
service call at a time would make the demo slow to start. Loading is idempotent: when
the demo is already there it returns at once.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction

from sangsaeng.accounts.models import Consent, Membership, User
from sangsaeng.accounts.policies import POLICIES
from sangsaeng.core.audit import acting_as
from sangsaeng.demo import real_cluster
from sangsaeng.demo.generator import FictionalPerson, generate
from sangsaeng.demo.needs import load_matching_demo
from sangsaeng.directory import services
from sangsaeng.directory.models import (
    Agreement,
    Organisation,
    Person,
    Publication,
    TaxonomyTerm,
)
from sangsaeng.directory.taxonomy import (
    DEFAULT_TAXONOMY_FILE,
    load_taxonomy,
    read_taxonomy_file,
)
from sangsaeng.matching.models import JointProject, Match, Need
from sangsaeng.search.index import search_index

DEMO_PASSWORD = "sangsaeng-demo-2024"
DEMO_EMAIL_DOMAIN = "sangsaeng.demo.example"
MARKER_AGREEMENT = "seongnam-sejong-ai-cluster-mou"


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    note: str = ""
    # The name others see (people with a profile are shown by their profile's name).
    display_name: str = ""


@dataclass
class DemoResult:
    already_loaded: bool
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)


def _email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


ACCOUNTS = (
    DemoAccount(
        "operator",
        _email("operator"),
        DEMO_PASSWORD,
        "cluster office; admin site too",
        display_name="클러스터 사무국",
    ),
    DemoAccount("organisation admin", _email("orgadmin"), DEMO_PASSWORD, display_name="김지우"),
    DemoAccount("expert", _email("expert"), DEMO_PASSWORD),
    DemoAccount("student", _email("student"), DEMO_PASSWORD),
    DemoAccount(
        "registrant (pending organisation)",
        _email("newcomer"),
        DEMO_PASSWORD,
        display_name="박서연",
    ),
)


def demo_counts() -> dict[str, int]:
    return {
        "real organisations": Organisation.objects.filter(is_fictional=False).count(),
        "fictional companies": Organisation.objects.filter(
            is_fictional=True, kind=Organisation.Kind.COMPANY
        ).count(),
        "experts": Person.objects.filter(kind=Person.Kind.EXPERT, is_fictional=True).count(),
        "students": Person.objects.filter(kind=Person.Kind.STUDENT, is_fictional=True).count(),
        "publications": Publication.objects.filter(person__is_fictional=True).count(),
        "agreements": Agreement.objects.count(),
        "taxonomy terms": TaxonomyTerm.objects.count(),
        "needs and offers": Need.objects.count(),
        "suggested matches": Match.objects.count(),
        "joint projects": JointProject.objects.count(),
    }


def is_loaded() -> bool:
    return (
        Agreement.objects.filter(slug=MARKER_AGREEMENT).exists()
        and Organisation.objects.filter(is_fictional=True).exists()
    )


def load_demo(
    *, seed: int, scale: float = 1.0, reset: bool = False, with_needs: bool = True
) -> DemoResult:
    """Load the demo (or find it loaded); ``scale`` < 1 makes a smaller cluster for tests.

    ``with_needs=False`` leaves out the needs-and-offers loop, which runs the engine.
    """
    started = time.perf_counter()
    if reset:
        remove_demo()
    already_loaded = is_loaded()
    if not already_loaded:
        with transaction.atomic():
            load_taxonomy(read_taxonomy_file(DEFAULT_TAXONOMY_FILE))
            operator = _user(ACCOUNTS[0], is_operator=True, is_staff=True, is_superuser=True)
            organisations = _real_organisations(operator)
            _agreements(operator, organisations)
            _fictional_cluster(operator, organisations, seed=seed, scale=scale)
            _role_accounts(operator)
    # The needs-and-offers loop runs on the directory above; it is idempotent by itself.
    if with_needs:
        load_matching_demo(seed, home=_demo_admins_company())
    # Each domain app's demo (programs, resources, talent, events, insights) lives in
    # sangsaeng/demo/<app>.py with a load(seed) of its own, idempotent like the others.
    if with_needs:
        load_domain_demos(seed)
    if with_needs and not already_loaded:
        # Keep the index the loop above built, so the server's first search needs no rebuild.
        search_index().save_snapshot()
    return DemoResult(already_loaded, time.perf_counter() - started, demo_counts(), list(ACCOUNTS))


DOMAIN_DEMOS = ("programs", "resources", "talent", "events", "insights")


def load_domain_demos(seed: int) -> dict[str, int]:
    """Load the demo of every domain app that has one; returns what each one added."""
    loaded = {}
    for app in DOMAIN_DEMOS:
        try:
            module = importlib.import_module(f"sangsaeng.demo.{app}")
        except ModuleNotFoundError as error:
            if error.name != f"sangsaeng.demo.{app}":
                raise
            continue
        loaded[app] = module.load(seed)
    return loaded


@transaction.atomic
def remove_demo() -> None:
    """Delete what the demo loads (records imported or typed in by people stay)."""
    Agreement.objects.filter(slug__in=[spec["slug"] for spec in real_cluster.AGREEMENTS]).delete()
    Person.objects.filter(is_fictional=True).delete()
    Organisation.objects.filter(is_fictional=True).delete()
    Organisation.objects.filter(slug__in=real_cluster.ORGANISATIONS).delete()
    User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").delete()


def _demo_admins_company() -> Organisation | None:
    """The company the demo's organisation admin runs (it posts the demo's main needs)."""
    membership = (
        Membership.objects.filter(user__email=ACCOUNTS[1].email, role=Membership.Role.ADMIN)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


def _user(account: DemoAccount, **fields: Any) -> User:
    local = account.email.split("@")[0]
    user, created = User.objects.get_or_create(
        email=account.email,
        defaults={
            "username": f"demo-{local}",
            "display_name": account.display_name or f"Demo {account.role}",
            **fields,
        },
    )
    if created:
        user.set_password(account.password)
        user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        # A demo account stands for someone who signed up: it agreed to the policies.
        for policy in POLICIES:
            Consent.objects.get_or_create(user=user, kind=policy.kind, version=policy.version)
    return user


def _set_slug(actor: User, record: Organisation | Agreement, slug: str) -> None:
    if record.slug != slug:
        record.slug = slug
        with acting_as(actor):
            record.save(update_fields=["slug", "updated_at"])


def _real_organisations(operator: User) -> dict[str, Organisation]:
    organisations = {}
    for slug, spec in real_cluster.ORGANISATIONS.items():
        existing = Organisation.objects.filter(slug=slug).first()
        if existing is not None:
            organisations[slug] = existing
            continue
        fields = dict(spec)
        tags = fields.pop("tags", [])
        organisation = services.organisation_create(actor=operator, tags=tags, **fields)
        _set_slug(operator, organisation, slug)
        organisations[slug] = organisation
    return organisations


def _agreements(operator: User, organisations: dict[str, Organisation]) -> None:
    for spec in real_cluster.AGREEMENTS:
        if Agreement.objects.filter(slug=spec["slug"]).exists():
            continue
        commitments = [
            {
                "title_ko": commitment["title_ko"],
                "title_en": commitment["title_en"],
                "owner": organisations[commitment["owner"]],
                "indicators": [
                    {
                        "name_ko": name_ko,
                        "name_en": name_en,
                        "unit_ko": unit,
                        "unit_en": real_cluster.UNITS_EN.get(unit, unit),
                        "target": None if target is None else Decimal(target),
                        "value": Decimal(0),
                    }
                    for name_ko, name_en, unit, target, _value in commitment["indicators"]
                ],
            }
            for commitment in spec["commitments"]
        ]
        agreement = services.agreement_create(
            actor=operator,
            parties=[organisations[slug] for slug in spec["parties"]],
            commitments=commitments,
            title_ko=spec["title_ko"],
            title_en=spec["title_en"],
            summary_ko=spec["summary_ko"],
            summary_en=spec["summary_en"],
            signed_on=spec["signed_on"],
            source_ko=spec["source_ko"],
            source_en=spec["source"],
            is_public=True,
        )
        _set_slug(operator, agreement, spec["slug"])
        for commitment, commitment_spec in zip(
            agreement.commitments.order_by("order"), spec["commitments"], strict=True
        ):
            values = {
                indicator.pk: Decimal(indicator_spec[4])
                for indicator, indicator_spec in zip(
                    commitment.indicators.order_by("id"), commitment_spec["indicators"], strict=True
                )
            }
            for number, (reported_on, status, note_ko, note_en) in enumerate(
                commitment_spec["updates"]
            ):
                last = number == len(commitment_spec["updates"]) - 1
                services.commitment_report_progress(
                    actor=operator,
                    commitment=commitment,
                    note_ko=note_ko,
                    note_en=note_en,
                    status=status,
                    reported_on=reported_on,
                    indicator_values=values if last else None,
                )


def _unique(slug: str, taken: set[str]) -> str:
    candidate, counter = slug, 2
    while candidate in taken:
        candidate, counter = f"{slug}-{counter}", counter + 1
    taken.add(candidate)
    return candidate


def _fictional_cluster(
    operator: User, real: dict[str, Organisation], *, seed: int, scale: float
) -> None:
    cluster = generate(
        seed,
        scale,
        research_organisations=real_cluster.RESEARCH_ORGANISATIONS,
        universities=real_cluster.UNIVERSITIES,
    )
    terms = {term.code: term.pk for term in TaxonomyTerm.objects.all()}
    taken_org_slugs = set(Organisation.objects.values_list("slug", flat=True))
    companies = []
    for spec in cluster.companies:
        company = Organisation(
            slug=_unique(spec.slug, taken_org_slugs),
            kind=Organisation.Kind.COMPANY,
            name_ko=spec.name_ko,
            name_en=spec.name_en,
            description_ko=spec.description_ko,
            description_en=spec.description_en,
            website=f"https://{spec.slug}.demo.example",
            address=spec.address,
            city="성남시",
            established_year=spec.established_year,
            employee_count=spec.employee_count,
            status=Organisation.Status.APPROVED,
            is_fictional=True,
            created_by=operator,
        )
        company.full_clean(validate_unique=False)
        companies.append(company)
    Organisation.objects.bulk_create(companies)
    by_slug = {**real, **{company.slug: company for company in companies}}
    # Generated slugs map to saved ones (identical unless a suffix was needed).
    generated_to_saved = {
        spec.slug: company for spec, company in zip(cluster.companies, companies, strict=True)
    }
    Organisation.tags.through.objects.bulk_create(
        Organisation.tags.through(organisation_id=company.pk, taxonomyterm_id=terms[code])
        for spec, company in zip(cluster.companies, companies, strict=True)
        for code in spec.tags
    )

    taken_person_slugs = set(Person.objects.values_list("slug", flat=True))
    specs: list[FictionalPerson] = [*cluster.experts, *cluster.students]
    people = []
    for person_spec in specs:
        person = Person(
            slug=_unique(person_spec.slug, taken_person_slugs),
            kind=person_spec.kind,
            name_ko=person_spec.name_ko,
            name_en=person_spec.name_en,
            position_ko=person_spec.position_ko,
            position_en=person_spec.position_en,
            email=person_spec.email,
            organisation=generated_to_saved.get(person_spec.organisation)
            or by_slug[person_spec.organisation],
            profile_text=person_spec.profile_text,
            expertise_keywords=list(person_spec.expertise_keywords),
            is_public=person_spec.kind == Person.Kind.EXPERT,
            is_fictional=True,
            study_program=person_spec.study_program,
            graduation_year=person_spec.graduation_year,
        )
        person.full_clean(validate_unique=False)
        people.append(person)
    Person.objects.bulk_create(people)
    Person.tags.through.objects.bulk_create(
        Person.tags.through(person_id=person.pk, taxonomyterm_id=terms[code])
        for person_spec, person in zip(specs, people, strict=True)
        for code in person_spec.tags
    )
    publications = []
    for person_spec, person in zip(specs, people, strict=True):
        for order, item in enumerate(person_spec.publications, start=1):
            publication = Publication(
                person=person,
                kind=item.kind,
                title=item.title,
                abstract=item.abstract,
                year=item.year,
                order=order,
            )
            publication.full_clean()
            publications.append(publication)
    Publication.objects.bulk_create(publications, batch_size=500)


def _role_accounts(operator: User) -> None:
    """One account per role, attached to generated records so every page has content."""
    _, admin_account, expert_account, student_account, newcomer_account = ACCOUNTS
    company = Organisation.objects.filter(is_fictional=True, kind="company").order_by("pk").first()
    assert company is not None
    admin = _user(admin_account)
    with acting_as(operator):
        Membership.objects.get_or_create(
            user=admin, organisation=company, defaults={"role": Membership.Role.ADMIN}
        )
    expert = _user(expert_account)
    expert_person = (
        Person.objects.filter(is_fictional=True, kind="expert", organisation=company)
        .order_by("pk")
        .first()
        or Person.objects.filter(is_fictional=True, kind="expert").order_by("pk").first()
    )
    student = _user(student_account)
    student_person = Person.objects.filter(is_fictional=True, kind="student").order_by("pk").first()
    with acting_as(operator):
        for user, person in ((expert, expert_person), (student, student_person)):
            assert person is not None
            person.user = user
            person.save(update_fields=["user", "updated_at"])
            user.display_name = person.name_ko
            user.save(update_fields=["display_name"])
        Membership.objects.get_or_create(
            user=expert, organisation=company, defaults={"role": Membership.Role.MEMBER}
        )
    newcomer = _user(newcomer_account)
    pending = services.organisation_create(
        actor=newcomer,
        kind=Organisation.Kind.COMPANY,
        name_ko="퀼론포토닉스",
        name_en="Quillon Photonics",
        description_ko="실리콘 포토닉스 기반 칩렛 간 광 인터커넥트를 개발하는 신생 기업(가상).",
        description_en="A (fictional) start-up building silicon-photonics optical "
        "interconnects between chiplets.",
        city="성남시",
        tags=["packaging-chiplet", "high-speed-interface"],
        is_fictional=True,
    )
    assert pending.status == Organisation.Status.PENDING

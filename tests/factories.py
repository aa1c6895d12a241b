"""factory_boy factories for the platform's records, shared by every app's tests."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from sangsaeng.accounts.models import Membership, User
from sangsaeng.directory.models import (
    Agreement,
    Commitment,
    Indicator,
    Organisation,
    Person,
    Publication,
    TaxonomyTerm,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Jiwoo"
    last_name = "Kim"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class OperatorFactory(UserFactory):
    is_operator = True
    is_staff = True


class TaxonomyTermFactory(DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"term-{n}")
    name_ko = factory.Sequence(lambda n: f"분야 {n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.COMPANY
    name_ko = factory.Sequence(lambda n: f"판교반도체 {n}")
    name_en = factory.Sequence(lambda n: f"Pangyo Semiconductor {n}")
    description_ko = "RISC-V 기반 NPU 설계 전문 팹리스"
    description_en = "Fabless company designing RISC-V based NPUs"
    status = Organisation.Status.APPROVED

    @factory.post_generation
    def tags(self, create: bool, extracted: list[TaxonomyTerm] | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"person-{n}")
    kind = Person.Kind.EXPERT
    name_ko = factory.Sequence(lambda n: f"김연구{n}")
    name_en = factory.Sequence(lambda n: f"Yeongu Kim {n}")
    position_en = "Professor"
    profile_text = "Low-power analog front-end circuits for sensor SoCs."
    expertise_keywords = factory.LazyFunction(lambda: ["analog", "ADC"])
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.UNIVERSITY)
    is_public = True

    @factory.post_generation
    def tags(self, create: bool, extracted: list[TaxonomyTerm] | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)


class StudentFactory(PersonFactory):
    kind = Person.Kind.STUDENT
    is_public = False
    study_program = "M.S. Electronic Engineering"
    graduation_year = 2027


class PublicationFactory(DjangoModelFactory):
    class Meta:
        model = Publication

    person = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"A 12-bit SAR ADC for edge AI sensors ({n})")
    abstract = "We present a low-power successive-approximation ADC in 28nm CMOS."
    year = 2024


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"agreement-{n}")
    title_ko = factory.Sequence(lambda n: f"업무협약 {n}")
    title_en = factory.Sequence(lambda n: f"Memorandum {n}")
    summary_ko = "AI·팹리스 연구 행정 지원"
    summary_en = "Administrative support for AI and fabless research"
    signed_on = datetime.date(2026, 1, 9)
    is_public = True

    @factory.post_generation
    def parties(self, create: bool, extracted: list[Organisation] | None, **kwargs: object) -> None:
        if create:
            self.parties.set(extracted or [OrganisationFactory(), OrganisationFactory()])


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment

    agreement = factory.SubFactory(AgreementFactory)
    title_ko = "인재 양성"
    title_en = "Talent cultivation"
    owner = factory.LazyAttribute(lambda c: c.agreement.parties.first())
    status = Commitment.Status.PLANNED


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    commitment = factory.SubFactory(CommitmentFactory)
    name_ko = "교육 이수 학생 수"
    name_en = "Students trained"
    unit_ko = "명"
    target = 100
    value = 0


# --- shared infrastructure (the resources app) -----------------------------------------


class ResourceFactory(DjangoModelFactory):
    """A licence pool of 4 seats by default, open around the clock."""

    class Meta:
        model = "resources.Resource"

    provider = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.SUPPORT_AGENCY)
    slug = factory.Sequence(lambda n: f"resource-{n}")
    kind = "licence_pool"
    category = "eda_digital"
    name_ko = factory.Sequence(lambda n: f"디지털 설계 도구 {n}")
    name_en = factory.Sequence(lambda n: f"Digital implementation tool {n}")
    capacity = 4
    max_booking_hours = 24
    credits_per_unit_hour = 0


class EquipmentFactory(ResourceFactory):
    kind = "equipment"
    category = "probe_station"
    name_ko = factory.Sequence(lambda n: f"프로브 스테이션 {n}")
    name_en = factory.Sequence(lambda n: f"Probe station {n}")
    capacity = 1


class ShuttleRunFactory(ResourceFactory):
    kind = "mpw_run"
    category = "mpw"
    name_ko = factory.Sequence(lambda n: f"MPW 셔틀 {n}")
    name_en = factory.Sequence(lambda n: f"MPW shuttle {n}")
    capacity = 1
    tape_out_date = datetime.date(2030, 6, 30)
    request_deadline = factory.LazyFunction(
        lambda: datetime.datetime(2030, 5, 31, 9, 0, tzinfo=datetime.UTC)
    )
    total_area_mm2 = 100
    min_block_mm2 = 4
    max_block_mm2 = 25
    price_per_mm2 = 1_000_000


# --- talent -----------------------------------------------------------------------------


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = "talent.Course"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.UNIVERSITY)
    title_ko = factory.Sequence(lambda n: f"RISC-V 검증 실무 {n}")
    title_en = factory.Sequence(lambda n: f"RISC-V verification in practice {n}")
    description_ko = "UVM 기반 RISC-V 코어 검증"
    description_en = "Verifying a RISC-V core with UVM"
    starts_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=7))
    ends_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=60))
    hours = 40
    capacity = 2
    waitlist_limit = 2
    mode = "on_site"
    status = "published"

    @factory.post_generation
    def tags(self, create: bool, extracted: list[TaxonomyTerm] | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)


class StudentProfileFactory(DjangoModelFactory):
    """A student with an account, a talent profile and the consent to keep it; pass
    ``companies=True`` for the consent to companies seeing the profile too."""

    class Meta:
        model = "talent.StudentProfile"
        skip_postgeneration_save = True

    person = factory.SubFactory(StudentFactory, user=factory.SubFactory(UserFactory))
    about = "SystemVerilog, UVM, RISC-V 검증에 관심이 있습니다."

    @factory.post_generation
    def skills(self, create: bool, extracted: list[TaxonomyTerm] | None, **kwargs: object) -> None:
        if create and extracted:
            self.skills.set(extracted)

    @factory.post_generation
    def companies(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        from sangsaeng.talent.models import ConsentRecord

        if not create:
            return
        ConsentRecord.objects.create(
            user=self.person.user, purpose=ConsentRecord.Purpose.PROFILE, version="2026-01"
        )
        if extracted:
            ConsentRecord.objects.create(
                user=self.person.user, purpose=ConsentRecord.Purpose.COMPANIES, version="2026-01"
            )


class OpeningFactory(DjangoModelFactory):
    class Meta:
        model = "talent.Opening"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "internship"
    title_ko = factory.Sequence(lambda n: f"NPU 검증 인턴 {n}")
    title_en = factory.Sequence(lambda n: f"NPU verification intern {n}")
    description_ko = "UVM으로 NPU 블록을 검증합니다."
    description_en = "Verify NPU blocks with UVM."
    positions = 1
    duration_months = 6
    stipend_krw = 2_000_000
    location = "성남시 분당구"
    status = "open"

    @factory.post_generation
    def tags(self, create: bool, extracted: list[TaxonomyTerm] | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)


class PlacementRoundFactory(DjangoModelFactory):
    class Meta:
        model = "talent.PlacementRound"
        skip_postgeneration_save = True

    name_ko = factory.Sequence(lambda n: f"2027 여름 현장실습 {n}")
    name_en = factory.Sequence(lambda n: f"Summer 2027 placements {n}")
    max_choices = 3
    students_deadline = factory.LazyFunction(
        lambda: datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    )
    companies_deadline = factory.LazyFunction(
        lambda: datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=14)
    )
    status = "open"

    @factory.post_generation
    def openings(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            self.openings.set(extracted)


# --- matchmaking events (the events app) -------------------------------------------------


def _in_days(days: int) -> datetime.datetime:
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=days)


def _local_day(days: int) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate(_in_days(days))


class EventFactory(DjangoModelFactory):
    """A published event two weeks ahead, deadlines before it; add sessions and tables with
    the services (``tests/events/conftest.py``)."""

    class Meta:
        model = "events.Event"

    slug = factory.Sequence(lambda n: f"matchmaking-{n}")
    title_ko = factory.Sequence(lambda n: f"판교 매칭데이 {n}")
    title_en = factory.Sequence(lambda n: f"Pangyo Matchmaking Day {n}")
    venue_ko = "판교 테크노밸리 스타트업캠퍼스"
    venue_en = "Pangyo Startup Campus"
    starts_on = factory.LazyFunction(lambda: _local_day(14))
    ends_on = factory.LazyAttribute(lambda event: event.starts_on)
    registration_deadline = factory.LazyFunction(lambda: _in_days(7))
    request_deadline = factory.LazyFunction(lambda: _in_days(10))
    schedule_deadline = factory.LazyFunction(lambda: _in_days(12))
    is_published = True


class ParticipantFactory(DjangoModelFactory):
    """A registered participant: a member of an approved organisation of their own."""

    class Meta:
        model = "events.Participant"

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.LazyAttribute(
        lambda participant: MembershipFactory(organisation=participant.organisation).user
    )
    name = factory.Sequence(lambda n: f"참가자 {n}")
    profile = "NPU 설계 팹리스"
    consented_at = factory.LazyFunction(lambda: _in_days(0))

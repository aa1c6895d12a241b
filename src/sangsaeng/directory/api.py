"""The directory's JSON API: organisations, people, agreements and the taxonomy.

Endpoints parse input with schemas, find records through the selectors (so through the
access policy), and change them only through the directory's services. A record the caller
may not see is answered 404, the same as one that does not exist.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool, StrictInt

from sangsaeng.accounts.api_auth import required_auth
from sangsaeng.accounts.models import User
from sangsaeng.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    Page,
    PageQuery,
    StrictInput,
    api_enum,
    caller,
    left_out,
    page_of,
)
from sangsaeng.core.policy import Action, can
from sangsaeng.directory import selectors, services
from sangsaeng.directory.models import (
    Agreement,
    Commitment,
    CommitmentUpdate,
    Indicator,
    Organisation,
    Person,
    Publication,
    TaxonomyTerm,
)

router = Router(tags=["directory"])

# One name per enumeration in the schema (see core.api.api_enum); the type checker sees
# the models' own choices.
if TYPE_CHECKING:
    OrganisationKind = Organisation.Kind
    OrganisationStatus = Organisation.Status
    PersonKind = Person.Kind
    PublicationKind = Publication.Kind
    CommitmentStatus = Commitment.Status
else:
    OrganisationKind = api_enum("OrganisationKind", Organisation.Kind)
    OrganisationStatus = api_enum("OrganisationStatus", Organisation.Status)
    PersonKind = api_enum("PersonKind", Person.Kind)
    PublicationKind = api_enum("PublicationKind", Publication.Kind)
    CommitmentStatus = api_enum("CommitmentStatus", Commitment.Status)


def _tag_codes(terms: Any) -> list[str]:
    """Codes of a ``tags`` relation (prefetched by the selectors)."""
    return [term.code for term in terms.all()]


def _check_tag_filter(codes: list[str], field: str = "tag") -> None:
    try:
        selectors.resolve_tags(codes)
    except ValidationError as error:
        raise ValidationError({field: error.message_dict["tags"]}) from None


# --- organisations -------------------------------------------------------------------


class OrganisationOut(Schema):
    slug: str
    kind: OrganisationKind
    status: OrganisationStatus
    name: str
    name_ko: str
    name_en: str
    description: str
    description_ko: str
    description_en: str
    website: str
    address: str
    city: str
    established_year: int | None
    employee_count: int | None
    tags: list[str]
    is_fictional: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_tags(organisation: Organisation) -> list[str]:
        return _tag_codes(organisation.tags)


class OrganisationFilter(PageQuery):
    q: str = Field("", description="words to find in names, descriptions and capabilities")
    kind: OrganisationKind | None = None
    tag: list[str] = Field(
        default_factory=list, description="capability codes (a broad one includes narrower ones)"
    )
    status: OrganisationStatus | None = Field(
        None, description="operators and members may list pending or rejected organisations"
    )


class OrganisationIn(StrictInput):
    kind: OrganisationKind
    name_ko: str
    name_en: str = ""
    description_ko: str = ""
    description_en: str = ""
    website: str = ""
    address: str = ""
    city: str = ""
    established_year: StrictInt | None = None
    employee_count: StrictInt | None = Field(None, ge=0)
    tags: list[str] = Field(default_factory=list, description="capability codes")


class OrganisationPatch(StrictInput):
    kind: OrganisationKind = left_out()
    name_ko: str = left_out()
    name_en: str = left_out()
    description_ko: str = left_out()
    description_en: str = left_out()
    website: str = left_out()
    address: str = left_out()
    city: str = left_out()
    established_year: StrictInt | None = None
    employee_count: StrictInt | None = Field(None, ge=0)
    tags: list[str] = left_out()


def _visible_organisation(request: HttpRequest, slug: str) -> Organisation:
    return selectors.organisation_get(user=caller(request), slug=slug)


@router.get("/organisations", response={200: Page[OrganisationOut], **READ_ERRORS})
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilter]) -> Any:
    """Organisations the caller may see; approved ones unless ``status`` asks for others."""
    _check_tag_filter(filters.tag)
    organisations = selectors.organisation_search(
        caller(request),
        query=filters.q,
        kind=filters.kind or "",
        tags=filters.tag,
        status=filters.status or "",
    )
    return page_of(organisations, filters)


@router.post("/organisations", response={201: OrganisationOut, **WRITE_ERRORS}, auth=required_auth)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Any:
    """Register an organisation: it waits for an operator's approval; the caller becomes admin."""
    actor = caller(request)
    assert isinstance(actor, User)  # required_auth lets no anonymous caller through
    fields = payload.model_dump()
    organisation = services.organisation_create(actor=actor, tags=fields.pop("tags"), **fields)
    return 201, organisation


@router.get("/organisations/{slug}", response={200: OrganisationOut, **READ_ERRORS})
def get_organisation(request: HttpRequest, slug: str) -> Any:
    return _visible_organisation(request, slug)


@router.patch(
    "/organisations/{slug}", response={200: OrganisationOut, **WRITE_ERRORS}, auth=required_auth
)
def update_organisation(request: HttpRequest, slug: str, payload: OrganisationPatch) -> Any:
    """Change the fields sent; ``tags``, when sent, replaces the whole list."""
    organisation = _visible_organisation(request, slug)
    fields = payload.model_dump(exclude_unset=True)
    return services.organisation_update(
        actor=caller(request), organisation=organisation, tags=fields.pop("tags", None), **fields
    )


class DecisionIn(StrictInput):
    reason: str = Field(description="why: told to the registrant")


@router.post(
    "/organisations/{slug}/approve",
    response={200: OrganisationOut, **WRITE_ERRORS},
    auth=required_auth,
)
def approve_organisation(request: HttpRequest, slug: str) -> Any:
    """An operator approves a registered organisation: it appears in the public directory."""
    organisation = _visible_organisation(request, slug)
    return services.organisation_decide(
        actor=caller(request), organisation=organisation, approve=True
    )


@router.post(
    "/organisations/{slug}/reject",
    response={200: OrganisationOut, **WRITE_ERRORS},
    auth=required_auth,
)
def reject_organisation(request: HttpRequest, slug: str, payload: DecisionIn) -> Any:
    """An operator rejects a registration, saying why: the registrant is told (in the
    platform and by mail)."""
    organisation = _visible_organisation(request, slug)
    return services.organisation_decide(
        actor=caller(request), organisation=organisation, approve=False, reason=payload.reason
    )


# --- people ----------------------------------------------------------------------


class PublicationOut(Schema):
    kind: PublicationKind
    title: str
    abstract: str
    year: int | None
    link: str


class PersonOut(Schema):
    slug: str
    kind: PersonKind
    name: str
    name_ko: str
    name_en: str
    position: str
    position_ko: str
    position_en: str
    organisation: str | None = Field(None, description="the organisation's slug")
    profile_text: str
    expertise_keywords: list[str]
    tags: list[str]
    is_public: bool
    study_program: str
    graduation_year: int | None
    is_fictional: bool

    @staticmethod
    def resolve_organisation(person: Person) -> str | None:
        return person.organisation.slug if person.organisation else None

    @staticmethod
    def resolve_tags(person: Person) -> list[str]:
        return _tag_codes(person.tags)


class PersonDetailOut(PersonOut):
    publications: list[PublicationOut]
    email: str | None = Field(
        description="the profile's contact address: only for those who may change the "
        "profile (its person, their organisation's admins for a profile without an account, "
        "operators); null for everyone else"
    )

    @staticmethod
    def resolve_publications(person: Person) -> list[Publication]:
        return list(person.publications.all())

    @staticmethod
    def resolve_email(person: Person, context: Any) -> str | None:
        return person.email if can(caller(context["request"]), Action.CHANGE, person) else None


class PersonFilter(PageQuery):
    q: str = ""
    kind: PersonKind | None = Field(
        None, description="expert or student; students appear only where the policy allows"
    )
    tag: list[str] = Field(default_factory=list)
    organisation: str = Field("", description="an organisation's slug")


class PublicationIn(StrictInput):
    kind: PublicationKind = Field(Publication.Kind.PAPER, validate_default=True)
    title: str
    abstract: str = ""
    # The same bounds as the database's check, so that the error names the year.
    year: StrictInt | None = Field(None, ge=1900, le=2100)
    link: str = ""


class PersonIn(StrictInput):
    kind: PersonKind = Field(Person.Kind.EXPERT, validate_default=True)
    organisation: str | None = Field(None, description="an organisation's slug")
    name_ko: str
    name_en: str = ""
    position_ko: str = ""
    position_en: str = ""
    email: str = ""
    profile_text: str = ""
    expertise_keywords: list[str] = Field(default_factory=list)
    is_public: StrictBool | None = None
    study_program: str = ""
    graduation_year: StrictInt | None = None
    tags: list[str] = Field(default_factory=list)
    publications: list[PublicationIn] = Field(default_factory=list)


class PersonPatch(StrictInput):
    name_ko: str = left_out()
    name_en: str = left_out()
    position_ko: str = left_out()
    position_en: str = left_out()
    email: str = left_out()
    profile_text: str = left_out()
    expertise_keywords: list[str] = left_out()
    is_public: StrictBool = left_out()
    study_program: str = left_out()
    graduation_year: StrictInt | None = None
    tags: list[str] = left_out()
    publications: list[PublicationIn] | None = Field(
        None, description="when sent, replaces the whole list"
    )


@router.get("/people", response={200: Page[PersonOut], **READ_ERRORS})
def list_people(request: HttpRequest, filters: Query[PersonFilter]) -> Any:
    """Experts and students the caller may see (students are never public)."""
    _check_tag_filter(filters.tag)
    people = selectors.people_search(
        caller(request),
        query=filters.q,
        kind=filters.kind or "",
        tags=filters.tag,
        organisation=filters.organisation,
    )
    return page_of(people, filters)


@router.post("/people", response={201: PersonDetailOut, **WRITE_ERRORS}, auth=required_auth)
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    """Add a person (an operator, or an admin of the person's organisation)."""
    fields = payload.model_dump()
    organisation_slug = fields.pop("organisation")
    organisation = _visible_organisation(request, organisation_slug) if organisation_slug else None
    if fields["is_public"] is None:
        del fields["is_public"]
    person = services.person_create(
        actor=caller(request),
        organisation=organisation,
        kind=fields.pop("kind"),
        tags=fields.pop("tags"),
        publications=fields.pop("publications"),
        **fields,
    )
    return 201, person


@router.get("/people/{slug}", response={200: PersonDetailOut, **READ_ERRORS})
def get_person(request: HttpRequest, slug: str) -> Any:
    return selectors.person_get(user=caller(request), slug=slug)


@router.patch("/people/{slug}", response={200: PersonDetailOut, **WRITE_ERRORS}, auth=required_auth)
def update_person(request: HttpRequest, slug: str, payload: PersonPatch) -> Any:
    person = selectors.person_get(user=caller(request), slug=slug)
    fields = payload.model_dump(exclude_unset=True)
    return services.person_update(
        actor=caller(request),
        person=person,
        tags=fields.pop("tags", None),
        publications=fields.pop("publications", None),
        **fields,
    )


# --- agreements, commitments, progress --------------------------------------------


class IndicatorOut(Schema):
    id: int
    name: str
    name_ko: str
    name_en: str
    unit: str = Field(description="the unit in the request's language (may be empty)")
    unit_ko: str
    unit_en: str
    target: Decimal | None
    value: Decimal
    progress_percent: int | None


class CommitmentUpdateOut(Schema):
    id: int
    reported_on: datetime.date
    note: str = Field(description="the note in the request's language, else the other one")
    note_ko: str
    note_en: str
    status: CommitmentStatus


class CommitmentOut(Schema):
    id: int
    title: str
    title_ko: str
    title_en: str
    description: str
    owner: str | None = Field(None, description="the owning organisation's slug")
    status: CommitmentStatus
    indicators: list[IndicatorOut]
    updates: list[CommitmentUpdateOut]

    @staticmethod
    def resolve_owner(commitment: Commitment) -> str | None:
        return commitment.owner.slug if commitment.owner else None

    @staticmethod
    def resolve_indicators(commitment: Commitment) -> list[Indicator]:
        return list(commitment.indicators.all())

    @staticmethod
    def resolve_updates(commitment: Commitment) -> list[CommitmentUpdate]:
        return list(commitment.updates.all())


class AgreementOut(Schema):
    slug: str
    title: str
    title_ko: str
    title_en: str
    summary: str
    summary_ko: str
    summary_en: str
    signed_on: datetime.date | None
    parties: list[str] = Field(description="the parties' slugs")
    is_public: bool
    is_fictional: bool
    source: str
    source_ko: str
    source_en: str

    @staticmethod
    def resolve_parties(agreement: Agreement) -> list[str]:
        return [party.slug for party in agreement.parties.all()]


class AgreementDetailOut(AgreementOut):
    commitments: list[CommitmentOut]

    @staticmethod
    def resolve_commitments(agreement: Agreement) -> list[Commitment]:
        return list(agreement.commitments.all())


class AgreementFilter(PageQuery):
    q: str = ""
    organisation: str = Field("", description="only agreements this organisation is party to")


class IndicatorIn(StrictInput):
    name_ko: str
    name_en: str = ""
    unit_ko: str = ""
    unit_en: str = ""
    target: Decimal | None = None
    value: Decimal = Decimal(0)


class CommitmentIn(StrictInput):
    title_ko: str
    title_en: str = ""
    description_ko: str = ""
    description_en: str = ""
    owner: str | None = Field(None, description="the owning organisation's slug")
    status: CommitmentStatus = Field(Commitment.Status.PLANNED, validate_default=True)
    indicators: list[IndicatorIn] = Field(default_factory=list)


class AgreementIn(StrictInput):
    title_ko: str
    title_en: str = ""
    summary_ko: str = ""
    summary_en: str = ""
    signed_on: datetime.date | None = None
    is_public: StrictBool = True
    source_ko: str = ""
    source_en: str = ""
    parties: list[str] = Field(description="slugs of at least two organisations")
    commitments: list[CommitmentIn] = Field(default_factory=list)


class AgreementPatch(StrictInput):
    title_ko: str = left_out()
    title_en: str = left_out()
    summary_ko: str = left_out()
    summary_en: str = left_out()
    signed_on: datetime.date | None = None
    is_public: StrictBool = left_out()
    source_ko: str = left_out()
    source_en: str = left_out()
    parties: list[str] = left_out()


class ProgressIn(StrictInput):
    note_ko: str = Field("", description="the note in Korean (this, note_en or both)")
    note_en: str = Field("", description="the note in English")
    status: CommitmentStatus
    reported_on: datetime.date | None = None
    indicators: dict[int, Decimal] = Field(
        default_factory=dict, description="new values, keyed by indicator id"
    )


def _organisations_by_slug(request: HttpRequest, slugs: list[str], field: str) -> dict[str, Any]:
    """The organisations named by ``slugs`` that the caller may see, or an error naming the rest."""
    return selectors.organisations_by_slug(caller(request), slugs, field)


def _visible_agreement(request: HttpRequest, slug: str) -> Agreement:
    return selectors.agreement_get(user=caller(request), slug=slug)


@router.get("/agreements", response={200: Page[AgreementOut], **READ_ERRORS})
def list_agreements(request: HttpRequest, filters: Query[AgreementFilter]) -> Any:
    """Public agreements, and those of the caller's organisations."""
    agreements = selectors.agreement_list(
        caller(request), query=filters.q, organisation=filters.organisation
    )
    return page_of(agreements, filters)


@router.post("/agreements", response={201: AgreementDetailOut, **WRITE_ERRORS}, auth=required_auth)
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Any:
    """Record an agreement with its commitments and indicators (operators)."""
    fields = payload.model_dump()
    parties_by_slug = _organisations_by_slug(request, fields.pop("parties"), "parties")
    commitments = fields.pop("commitments")
    owner_slugs = [spec["owner"] for spec in commitments if spec["owner"]]
    owners = _organisations_by_slug(request, owner_slugs, "commitments")
    for spec in commitments:
        spec["owner"] = owners[spec["owner"]] if spec["owner"] else None
    agreement = services.agreement_create(
        actor=caller(request),
        parties=list(parties_by_slug.values()),
        commitments=commitments,
        **fields,
    )
    return 201, selectors.agreement_get(user=caller(request), slug=agreement.slug)


@router.get("/agreements/{slug}", response={200: AgreementDetailOut, **READ_ERRORS})
def get_agreement(request: HttpRequest, slug: str) -> Any:
    """An agreement with its commitments, their indicators and progress updates."""
    return _visible_agreement(request, slug)


@router.patch(
    "/agreements/{slug}", response={200: AgreementDetailOut, **WRITE_ERRORS}, auth=required_auth
)
def update_agreement(request: HttpRequest, slug: str, payload: AgreementPatch) -> Any:
    agreement = _visible_agreement(request, slug)
    fields = payload.model_dump(exclude_unset=True)
    party_slugs = fields.pop("parties", None)
    parties = (
        list(_organisations_by_slug(request, party_slugs, "parties").values())
        if party_slugs is not None
        else None
    )
    services.agreement_update(actor=caller(request), agreement=agreement, parties=parties, **fields)
    return _visible_agreement(request, slug)


@router.post(
    "/commitments/{commitment_id}/progress",
    response={201: CommitmentUpdateOut, **WRITE_ERRORS},
    auth=required_auth,
)
def report_progress(request: HttpRequest, commitment_id: int, payload: ProgressIn) -> Any:
    """The owning organisation's admin reports progress: status, a note, new indicator values."""
    commitment = selectors.commitment_get(user=caller(request), pk=commitment_id)
    update = services.commitment_report_progress(
        actor=caller(request),
        commitment=commitment,
        note_ko=payload.note_ko,
        note_en=payload.note_en,
        status=payload.status,
        reported_on=payload.reported_on,
        indicator_values=payload.indicators,
    )
    return 201, update


# --- taxonomy ----------------------------------------------------------------------


class TaxonomyNodeOut(Schema):
    code: str
    name: str
    name_ko: str
    name_en: str
    description: str
    children: list[TaxonomyNodeOut]


def _taxonomy_nodes(terms: Iterable[TaxonomyTerm]) -> list[dict[str, Any]]:
    """The whole tree, however deep, from one query."""
    children = selectors.terms_by_parent(terms)

    def node(term: TaxonomyTerm) -> dict[str, Any]:
        return {
            "code": term.code,
            "name": term.name,
            "name_ko": term.name_ko,
            "name_en": term.name_en,
            "description": term.description,
            "children": [node(child) for child in children.get(term.pk, [])],
        }

    return [node(term) for term in children.get(None, [])]


@router.get("/taxonomy", response={200: list[TaxonomyNodeOut], **READ_ERRORS})
def taxonomy(request: HttpRequest) -> Any:
    """The cluster's capability taxonomy as a tree of terms."""
    return _taxonomy_nodes(selectors.taxonomy_terms(caller(request)))

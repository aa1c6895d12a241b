"""Changes to the directory: organisations, people, publications, agreements, progress.

Every service keeps the platform's contract (:func:`sangsaeng.core.services.service`:
keyword arguments, one transaction, its actor in the audit log), checks the access policy
and validates (raising ``ValidationError`` keyed by field, with translated messages)
before it writes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser, Membership, User
from sangsaeng.core.audit import forget_history
from sangsaeng.core.limits import MEDIUM_TEXT, too_long_message
from sangsaeng.core.policy import Action, is_operator, require
from sangsaeng.core.services import service
from sangsaeng.directory import notifications
from sangsaeng.directory.keywords import normalise_keywords
from sangsaeng.directory.models import (
    Agreement,
    Commitment,
    CommitmentUpdate,
    Indicator,
    Organisation,
    Person,
    ProfileClaim,
    Publication,
)
from sangsaeng.directory.selectors import organisation_admins, resolve_tags
from sangsaeng.notifications.services import notify

ORGANISATION_FIELDS = (
    "kind",
    "name_ko",
    "name_en",
    "description_ko",
    "description_en",
    "website",
    "address",
    "city",
    "established_year",
    "employee_count",
)
PERSON_FIELDS = (
    "name_ko",
    "name_en",
    "position_ko",
    "position_en",
    "email",
    "profile_text",
    "expertise_keywords",
    "is_public",
    "study_program",
    "graduation_year",
)
AGREEMENT_FIELDS = (
    "title_ko",
    "title_en",
    "summary_ko",
    "summary_en",
    "signed_on",
    "is_public",
    "source_ko",
    "source_en",
)
MAX_PUBLICATIONS = 200
# Page addresses that sit beside /<slug>/ (e.g. organisations/new/, experts/me/).
RESERVED_SLUGS = frozenset({"new", "me", "edit", "import", "export"})


def _slug_from(text: str) -> str:
    """A readable ASCII slug of ``text``; Korean is romanised (판교칩스 → pangyochibseu)."""
    return slugify(text) or slugify(anyascii(text or ""))


def _unique_slug(model: type[Organisation | Person | Agreement], *candidates: str) -> str:
    """A slug from the first usable candidate, made unique with a numeric suffix."""
    base = next((_slug_from(c) for c in candidates if _slug_from(c)), "")
    base = (base or model.__name__.lower())[:90].strip("-")
    slug, counter = base, 2
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _chosen_slug(model: type[Organisation | Person], slug: str, *candidates: str) -> str:
    """``slug`` when one is given (checked by ``full_clean`` and here), else a unique one."""
    if not slug:
        return _unique_slug(model, *candidates)
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {
                "slug": _("“%(slug)s” names a page of the site; choose another short name.")
                % {"slug": slug}
            }
        )
    return slug


def _apply(instance: Any, fields: Mapping[str, Any], allowed: Sequence[str]) -> None:
    unexpected = sorted(set(fields) - set(allowed))
    if unexpected:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in unexpected}
        )
    for name, value in fields.items():
        setattr(instance, name, value)


# --- organisations -------------------------------------------------------------------


@service
def organisation_create(
    *,
    actor: User,
    tags: Iterable[str] = (),
    is_fictional: bool = False,
    slug: str = "",
    **fields: Any,
) -> Organisation:
    """Register an organisation; it waits for an operator's approval unless an operator made it.

    The person who registers it becomes its first admin. Without ``slug`` one is made from
    its name.
    """
    require(actor, Action.CREATE, Organisation)
    if not str(fields.get("name_ko") or "").strip():
        raise ValidationError({"name_ko": _("Enter the organisation's name in Korean.")})
    organisation = Organisation(created_by=actor, is_fictional=is_fictional)
    _apply(organisation, fields, ORGANISATION_FIELDS)
    organisation.slug = _chosen_slug(Organisation, slug, organisation.name_en, organisation.name_ko)
    organisation.status = (
        Organisation.Status.APPROVED if is_operator(actor) else Organisation.Status.PENDING
    )
    tag_terms = resolve_tags(tags)
    organisation.full_clean()
    organisation.save()
    organisation.tags.set(tag_terms)
    if not is_operator(actor):
        Membership.objects.create(user=actor, organisation=organisation, role=Membership.Role.ADMIN)
    return organisation


@service
def organisation_update(
    *, actor: AnyUser, organisation: Organisation, tags: Iterable[str] | None = None, **fields: Any
) -> Organisation:
    require(actor, Action.CHANGE, organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _apply(organisation, fields, ORGANISATION_FIELDS)
    tag_terms = resolve_tags(tags) if tags is not None else None
    organisation.full_clean()
    organisation.save()
    if tag_terms is not None:
        organisation.tags.set(tag_terms)
    return organisation


@service
def organisation_decide(
    *, actor: AnyUser, organisation: Organisation, approve: bool, reason: str = ""
) -> Organisation:
    """An operator approves (it appears publicly) or rejects a registered organisation.

    A rejection needs a reason. Either way the registrant and the organisation's admins are
    told, in the platform and by mail.
    """
    require(actor, Action.APPROVE, organisation)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError(
            {"reason": _("Say why the registration is rejected: the registrant is told.")}
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.status = Organisation.Status.APPROVED if approve else Organisation.Status.REJECTED
    organisation.decision_reason = reason
    organisation.decided_at = timezone.now()
    organisation.decided_by = actor if actor.is_authenticated else None
    organisation.save(
        update_fields=["status", "decision_reason", "decided_at", "decided_by", "updated_at"]
    )
    recipients = [*organisation_admins(organisation)]
    if organisation.created_by is not None:
        recipients.append(organisation.created_by)
    notify(
        recipients=recipients,
        kind=notifications.ORGANISATION_DECISION,
        context={
            "organisation_ko": organisation.name_ko,
            "organisation_en": organisation.name_en,
            "approved": approve,
            "reason": reason,
        },
        link=organisation.get_absolute_url(),
    )
    return organisation


# --- people -----------------------------------------------------------------------


@service
def expert_profile_create(
    *,
    actor: User,
    tags: Iterable[str] = (),
    publications: Sequence[Mapping[str, Any]] = (),
    **fields: Any,
) -> Person:
    """Save the actor's own expert profile, the first time they save the profile page.

    Nothing is created before: opening the page makes no profile (a profile exists only
    when its person saved it). It belongs to the first organisation the actor is a member
    of; its contact address is the account's, which nobody else reads.
    """
    require(actor, Action.CREATE, Person, own=True)
    if Person.objects.select_for_update().filter(user=actor).exists():
        raise ValidationError(_("You already have a profile."))
    if not str(fields.get("name_ko") or "").strip():
        raise ValidationError({"name_ko": _("Enter your name in Korean.")})
    if "expertise_keywords" in fields:
        fields["expertise_keywords"] = normalise_keywords(fields["expertise_keywords"])
    membership = actor.memberships.select_related("organisation").order_by("pk").first()
    person = Person(
        user=actor,
        kind=Person.Kind.EXPERT,
        organisation=membership.organisation if membership else None,
    )
    _apply(person, fields, [name for name in PERSON_FIELDS if name != "email"])
    person.slug = _unique_slug(Person, person.name_en, person.name_ko)
    tag_terms = resolve_tags(tags)
    person.full_clean()
    person.save()
    person.tags.set(tag_terms)
    _replace_publications(person, publications)
    return person


@service
def person_delete(*, actor: AnyUser, person: Person) -> None:
    """Delete a profile with its publications, the requests about it and its change history
    (a person deletes their own; operators any)."""
    require(actor, Action.DELETE, person)
    _forget_person(person)


@service
def own_profile_forget(*, actor: AnyUser | None, user: User) -> int:
    """Delete the profile that is ``user``'s own, as their account closes (run by the
    system when a user is deleted); returns how many profiles went."""
    profiles = list(Person.objects.filter(user=user))
    for person in profiles:
        _forget_person(person)
    return len(profiles)


def _forget_person(person: Person) -> None:
    """Delete ``person`` and every trace the audit log kept of it and its publications."""
    publication_ids = list(person.publications.values_list("pk", flat=True))
    person_id = person.pk
    person.delete()
    forget_history(Person, [person_id])
    forget_history(Publication, publication_ids)


@service
def person_create(
    *,
    actor: AnyUser,
    organisation: Organisation | None = None,
    kind: str = Person.Kind.EXPERT,
    tags: Iterable[str] = (),
    publications: Sequence[Mapping[str, Any]] = (),
    is_fictional: bool = False,
    slug: str = "",
    **fields: Any,
) -> Person:
    """Add a person to the directory (an operator, or an admin of their organisation).

    Without ``slug`` one is made from their name.
    """
    require(actor, Action.CREATE, Person, organisation=organisation)
    if not str(fields.get("name_ko") or "").strip():
        raise ValidationError({"name_ko": _("Enter the person's name in Korean.")})
    if "expertise_keywords" in fields:
        fields["expertise_keywords"] = normalise_keywords(fields["expertise_keywords"])
    person = Person(organisation=organisation, kind=kind, is_fictional=is_fictional)
    if kind == Person.Kind.STUDENT:
        person.is_public = False
    _apply(person, fields, PERSON_FIELDS)
    person.slug = _chosen_slug(Person, slug, person.name_en, person.name_ko)
    tag_terms = resolve_tags(tags)
    person.full_clean()
    person.save()
    person.tags.set(tag_terms)
    _replace_publications(person, publications)
    return person


class _Unchanged:
    """The default of an argument that may be None: leave the stored value as it is."""


UNCHANGED = _Unchanged()


@service
def person_update(
    *,
    actor: AnyUser,
    person: Person,
    tags: Iterable[str] | None = None,
    publications: Sequence[Mapping[str, Any]] | None = None,
    organisation: Organisation | _Unchanged | None = UNCHANGED,
    **fields: Any,
) -> Person:
    """Change a profile; ``publications``, when given, replaces the whole list.

    ``organisation`` (None for none) moves the person, which takes the right to add people
    to that organisation.
    """
    require(actor, Action.CHANGE, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not isinstance(organisation, _Unchanged) and person.organisation_id != (
        organisation.pk if organisation else None
    ):
        require(actor, Action.CREATE, Person, organisation=organisation)
        person.organisation = organisation
    if "expertise_keywords" in fields:
        fields["expertise_keywords"] = normalise_keywords(fields["expertise_keywords"])
    _apply(person, fields, PERSON_FIELDS)
    tag_terms = resolve_tags(tags) if tags is not None else None
    person.full_clean()
    person.save()
    if tag_terms is not None:
        person.tags.set(tag_terms)
    if publications is not None:
        _replace_publications(person, publications)
    return person


def _validate_publications(publications: Sequence[Mapping[str, Any]]) -> list[Publication]:
    """Unsaved publications from dicts, or one ValidationError listing every bad entry."""
    if len(publications) > MAX_PUBLICATIONS:
        raise ValidationError(
            {"publications": _("At most %(n)d publications.") % {"n": MAX_PUBLICATIONS}}
        )
    built, errors = [], []
    for number, entry in enumerate(publications, start=1):
        publication = Publication(
            kind=entry.get("kind") or Publication.Kind.PAPER,
            title=str(entry.get("title") or "").strip(),
            abstract=str(entry.get("abstract") or "").strip(),
            year=entry.get("year") or None,
            link=str(entry.get("link") or "").strip(),
            order=number,
        )
        try:
            publication.full_clean(exclude=["person"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                label = (
                    getattr(Publication._meta.get_field(field), "verbose_name", field)
                    if field != "__all__"
                    else ""
                )
                errors.append(
                    _("Publication %(number)d, %(field)s: %(message)s")
                    % {"number": number, "field": label, "message": " ".join(messages)}
                )
        built.append(publication)
    if errors:
        raise ValidationError({"publications": errors})
    return built


def _replace_publications(person: Person, publications: Sequence[Mapping[str, Any]]) -> None:
    built = _validate_publications(publications)
    person.publications.all().delete()
    for publication in built:
        publication.person = person
        publication.save()


# --- agreements and their commitments ------------------------------------------------


@service
def agreement_create(
    *,
    actor: AnyUser,
    parties: Sequence[Organisation],
    commitments: Sequence[Mapping[str, Any]] = (),
    is_fictional: bool = False,
    **fields: Any,
) -> Agreement:
    """Record an agreement with its parties and commitments (operators only).

    Each commitment is a dict with ``title_ko``, optional ``title_en``, ``description_ko``,
    ``description_en``, ``owner`` (an Organisation), ``status`` and ``indicators``
    (dicts with ``name_ko``, ``name_en``, ``unit``, ``target``, ``value``).
    """
    require(actor, Action.CREATE, Agreement)
    if len(parties) < 2:
        raise ValidationError({"parties": _("An agreement needs at least two parties.")})
    agreement = Agreement(is_fictional=is_fictional)
    _apply(
        agreement,
        fields,
        AGREEMENT_FIELDS,
    )
    agreement.slug = _unique_slug(Agreement, agreement.title_en, agreement.title_ko)
    agreement.full_clean()
    agreement.save()
    agreement.parties.set(parties)
    for order, spec in enumerate(commitments, start=1):
        indicators = spec.get("indicators", ())
        commitment = Commitment(
            agreement=agreement,
            order=order,
            **{key: value for key, value in spec.items() if key != "indicators"},
        )
        commitment.full_clean()
        commitment.save()
        for indicator_spec in indicators:
            indicator = Indicator(commitment=commitment, **indicator_spec)
            indicator.full_clean()
            indicator.save()
    return agreement


@service
def agreement_update(
    *,
    actor: AnyUser,
    agreement: Agreement,
    parties: Sequence[Organisation] | None = None,
    **fields: Any,
) -> Agreement:
    require(actor, Action.CHANGE, agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _apply(
        agreement,
        fields,
        AGREEMENT_FIELDS,
    )
    if parties is not None and len(parties) < 2:
        raise ValidationError({"parties": _("An agreement needs at least two parties.")})
    agreement.full_clean()
    agreement.save()
    if parties is not None:
        agreement.parties.set(parties)
    return agreement


@service
def commitment_report_progress(
    *,
    actor: AnyUser,
    commitment: Commitment,
    status: str,
    note_ko: str = "",
    note_en: str = "",
    reported_on: datetime.date | None = None,
    indicator_values: Mapping[int, Any] | None = None,
) -> CommitmentUpdate:
    """Add a dated progress update; it sets the commitment's status and indicator values.

    The note is written in Korean, English or both; each page shows its own language.
    """
    require(actor, Action.REPORT_PROGRESS, commitment)
    errors: dict[str, list[str]] = {}
    note_ko, note_en = (note_ko or "").strip(), (note_en or "").strip()
    if not note_ko and not note_en:
        errors.setdefault("note_ko", []).append(_("Describe the progress in Korean or English."))
    for field, note in (("note_ko", note_ko), ("note_en", note_en)):
        if len(note) > MEDIUM_TEXT:
            errors.setdefault(field, []).append(too_long_message(MEDIUM_TEXT, len(note)))
    if status not in Commitment.Status.values:
        errors.setdefault("status", []).append(_("Choose a valid status."))
    values: dict[Indicator, Decimal] = {}
    indicators = {indicator.pk: indicator for indicator in commitment.indicators.all()}
    for indicator_id, raw in (indicator_values or {}).items():
        indicator = indicators.get(int(indicator_id))
        if indicator is None:
            errors.setdefault("indicators", []).append(
                _("Indicator %(id)s does not belong to this commitment.") % {"id": indicator_id}
            )
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or value < 0:
            errors.setdefault("indicators", []).append(
                _("%(name)s: enter a number of zero or more.") % {"name": indicator.name}
            )
            continue
        values[indicator] = value
    if errors:
        raise ValidationError(errors)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    update = CommitmentUpdate.objects.create(
        commitment=commitment,
        reported_on=reported_on or datetime.date.today(),
        note_ko=note_ko,
        note_en=note_en,
        status=status,
        author=actor if actor.is_authenticated else None,
    )
    commitment.status = status
    commitment.save(update_fields=["status"])
    for indicator, value in values.items():
        indicator.value = value
        indicator.save(update_fields=["value"])
    return update


# --- claiming a profile --------------------------------------------------------------------

CLAIM_DAYS = 14


@service
def profile_claim_open(
    *, actor: AnyUser, person: Person, expires_at: datetime.datetime | None = None
) -> tuple[ProfileClaim, str]:
    """An invitation to claim ``person``'s profile, for its e-mail address: the record and the
    secret token of its link (shown only to the mail; the database keeps its hash).

    Opened by whoever may see the profile (a contact request to its expert opens one).
    """
    require(actor, Action.VIEW, person)
    if person.user_id is not None:
        raise ValidationError(_("This profile already belongs to an account."))
    if not person.email:
        raise ValidationError(_("This profile has no e-mail address to send an invitation to."))
    token = ProfileClaim.generate()
    claim = ProfileClaim.objects.create(
        person=person,
        email=person.email,
        token_hash=ProfileClaim.hash(token),
        expires_at=expires_at or timezone.now() + datetime.timedelta(days=CLAIM_DAYS),
        created_by=actor if actor.is_authenticated else None,
    )
    return claim, token


@service
def profile_claim(*, actor: User, token: str) -> Person:
    """Attach the profile an invitation is for to ``actor``'s account.

    The link must be unused and unexpired, the profile still without an account, and the
    actor without a profile of their own.
    """
    claim = (
        ProfileClaim.objects.select_for_update()
        .select_related("person")
        .filter(token_hash=ProfileClaim.hash(token or ""))
        .first()
    )
    if claim is None or claim.claimed_at is not None:
        raise ValidationError(_("This link is not valid or was already used."))
    if claim.expires_at <= timezone.now():
        raise ValidationError(_("This link has expired. Ask the cluster office for a new one."))
    person = Person.objects.select_for_update().get(pk=claim.person_id)
    if person.user_id is not None:
        raise ValidationError(_("This profile already belongs to an account."))
    if Person.objects.filter(user=actor).exists():
        raise ValidationError(
            _("Your account already has a profile; an account holds one profile.")
        )
    person.user = actor
    person.save(update_fields=["user", "updated_at"])
    claim.claimed_at = timezone.now()
    claim.claimed_by = actor
    claim.save(update_fields=["claimed_at", "claimed_by"])
    return person

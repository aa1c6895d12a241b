"""Changes to support programs: calls, applications, screening, reviewers, assignment, reviews,
decisions and awards.

Every service keeps the platform's contract (:func:`sangsaeng.core.services.service`: keyword
arguments, one transaction, its actor in the audit log), checks the access policy, validates
before it writes (``ValidationError`` keyed by field, with translated messages: a refusal
leaves everything as it was) and leaves mail and background work until the transaction
commits. ``actor=None`` is the platform itself (a task, the demo loader, a command).

Deadlines are compared with the server's clock: a submission at ``closes_at`` plus one second
is refused, whatever the page showed.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser, User
from sangsaeng.core.policy import Action, can, require
from sangsaeng.core.services import after_commit, service
from sangsaeng.directory.models import Organisation, Person, Publication, TaxonomyTerm
from sangsaeng.notifications.services import notify
from sangsaeng.programs import notifications, tasks
from sangsaeng.programs.answers import (
    check_upload,
    clean_answers,
    field_name,
)
from sangsaeng.programs.completeness import application_problems, basics_problems
from sangsaeng.programs.conflicts import save_detected_conflicts
from sangsaeng.programs.eligibility import check_eligibility, is_eligible
from sangsaeng.programs.models import (
    Application,
    ApplicationFile,
    ApplicationPartner,
    AssignmentRun,
    Award,
    AwardReport,
    Bid,
    Call,
    Conflict,
    Criterion,
    Decision,
    FormField,
    Milestone,
    PastAffiliation,
    ProposedReviewer,
    Review,
    ReviewAssignment,
    ReviewerProfile,
    SupportProgram,
)
from sangsaeng.programs.ranking import selection_proposal
from sangsaeng.programs.rubric import weighted_total

Status = Application.Status
CALL_FIELDS = (
    "title_ko",
    "title_en",
    "description_ko",
    "description_en",
    "commitment",
    "total_budget",
    "max_award",
    "eligible_kinds",
    "region",
    "min_employees",
    "max_employees",
    "opens_at",
    "closes_at",
    "review_deadline",
    "reviewers_per_application",
    "reviewer_max_load",
    "conflict_years",
    "score_min",
    "score_max",
    "disagreement_points",
)
MAX_TEXT = 20_000
REPORT_FILE_MEGABYTES = 20
REMIND_BEFORE = datetime.timedelta(days=3)
REMIND_EVERY = datetime.timedelta(hours=20)


def _operator(actor: AnyUser | None, action: Action, obj: Any) -> None:
    """The platform itself (``None``) may; a person must be allowed by the policy."""
    if actor is not None:
        require(actor, action, obj)


def _person(actor: AnyUser | None) -> User | None:
    """The user to record as having acted (the platform itself records none)."""
    return actor if isinstance(actor, User) else None


def _won(amount: int | float) -> str:
    return f"{int(amount):,}"


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i:s")


# --- programmes and calls ------------------------------------------------------------------


@service
def program_create(
    *,
    actor: AnyUser | None,
    name_ko: str,
    name_en: str = "",
    description_ko: str = "",
    description_en: str = "",
    owner: Organisation | None = None,
    slug: str = "",
    is_fictional: bool = False,
) -> SupportProgram:
    _operator(actor, Action.CREATE, SupportProgram)
    if actor is not None and not can(actor, Action.CREATE, SupportProgram):
        raise PermissionDenied("operators create programmes")
    if not name_ko.strip():
        raise ValidationError({"name_ko": _("Give the programme a Korean name.")})
    base = slug or slugify(name_en) or f"program-{SupportProgram.objects.count() + 1}"
    slug, counter = base[:90], 2
    while SupportProgram.objects.filter(slug=slug).exists():
        slug, counter = f"{base[:85]}-{counter}", counter + 1
    program = SupportProgram(
        slug=slug,
        name_ko=name_ko.strip(),
        name_en=name_en.strip(),
        description_ko=description_ko.strip(),
        description_en=description_en.strip(),
        owner=owner,
        is_fictional=is_fictional,
    )
    program.full_clean()
    program.save()
    return program


def _validate_call(fields: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not str(fields.get("title_ko") or "").strip():
        errors["title_ko"] = _("Give the call a Korean title.")
    budget, maximum = fields.get("total_budget"), fields.get("max_award")
    if budget is None or budget <= 0:
        errors["total_budget"] = _("Enter the call's total budget in won.")
    if maximum is None or maximum <= 0:
        errors["max_award"] = _("Enter the most one award may receive, in won.")
    elif budget is not None and maximum > budget:
        errors["max_award"] = _("The maximum per award cannot exceed the total budget.")
    opens, closes, due = (
        fields.get("opens_at"),
        fields.get("closes_at"),
        fields.get("review_deadline"),
    )
    if opens is None:
        errors["opens_at"] = _("Enter when the call opens.")
    if closes is None:
        errors["closes_at"] = _("Enter when the call closes.")
    elif opens is not None and closes <= opens:
        errors["closes_at"] = _("The call must close after it opens.")
    if due is None:
        errors["review_deadline"] = _("Enter when the reviews are due.")
    elif closes is not None and due <= closes:
        errors["review_deadline"] = _("Reviews are due after the call closes.")
    low, high = fields.get("score_min"), fields.get("score_max")
    if low is None or high is None or high <= low:
        errors["score_max"] = _("The highest score must be above the lowest.")
    per = fields.get("reviewers_per_application")
    if per is None or not 1 <= per <= 10:
        errors["reviewers_per_application"] = _("Choose between 1 and 10 reviewers.")
    least, most = fields.get("min_employees"), fields.get("max_employees")
    if least is not None and most is not None and most < least:
        errors["max_employees"] = _("The largest company size must not be below the smallest.")
    kinds = fields.get("eligible_kinds") or []
    if any(kind not in Organisation.Kind.values for kind in kinds):
        errors["eligible_kinds"] = _("Choose kinds of organisation from the list.")
    if errors:
        raise ValidationError(errors)


@service
def call_create(
    *,
    actor: AnyUser | None,
    program: SupportProgram,
    tags: Iterable[TaxonomyTerm] = (),
    slug: str = "",
    is_fictional: bool = False,
    **fields: Any,
) -> Call:
    """Draft a call (it is public once published)."""
    _operator(actor, Action.CHANGE, program)
    unexpected = set(fields) - set(CALL_FIELDS)
    if unexpected:
        raise TypeError(f"call_create got unexpected fields: {', '.join(sorted(unexpected))}")
    fields = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    defaults = {field.name: field.get_default() for field in Call._meta.fields}
    _validate_call({**defaults, **fields})
    base = slug or slugify(fields.get("title_en") or "") or "call"
    slug, counter = base[:90], 2
    while Call.objects.filter(slug=slug).exists():
        slug, counter = f"{base[:85]}-{counter}", counter + 1
    call = Call(program=program, slug=slug, is_fictional=is_fictional, **fields)
    call.full_clean()
    call.save()
    call.eligible_tags.set(list(tags))
    return call


@service
def call_update(
    *, actor: AnyUser | None, call: Call, tags: Iterable[TaxonomyTerm] | None = None, **fields: Any
) -> Call:
    _operator(actor, Action.CHANGE, call)
    call = Call.objects.select_for_update().get(pk=call.pk)
    unexpected = set(fields) - set(CALL_FIELDS)
    if unexpected:
        raise TypeError(f"call_update got unexpected fields: {', '.join(sorted(unexpected))}")
    fields = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    merged = {name: getattr(call, name) for name in CALL_FIELDS if name != "commitment"}
    merged.update(fields)
    _validate_call(merged)
    if call.status == Call.Status.DECIDED:
        raise ValidationError(
            _("The decisions of this call are published: it can no longer change.")
        )
    for name, value in fields.items():
        setattr(call, name, value)
    call.full_clean()
    call.save()
    if tags is not None:
        call.eligible_tags.set(list(tags))
    return call


@service
def call_publish(*, actor: AnyUser | None, call: Call) -> Call:
    """Publish a drafted call: its page, form and rubric become public and it can be found."""
    _operator(actor, Action.CHANGE, call)
    call = Call.objects.select_for_update().get(pk=call.pk)
    problems = []
    if call.status != Call.Status.DRAFT:
        problems.append(_("This call is already published."))
    if not call.criteria.exists():
        problems.append(_("Add at least one review criterion before publishing."))
    if call.closes_at <= timezone.now():
        problems.append(_("The closing date has passed: move it before publishing."))
    if problems:
        raise ValidationError(problems)
    call.status = Call.Status.PUBLISHED
    call.published_at = timezone.now()
    call.save(update_fields=["status", "published_at", "updated_at"])
    return call


def _form_locked(call: Call) -> bool:
    return Application.objects.filter(call=call).exclude(status=Status.DRAFT).exists()


@dataclass
class FieldSpec:
    """One question as the form builder page sends it."""

    key: str
    kind: str
    label_ko: str
    label_en: str = ""
    help_ko: str = ""
    help_en: str = ""
    required: bool = False
    max_length: int | None = None
    min_value: Any = None
    max_value: Any = None
    choices: Sequence[Mapping[str, str]] = ()
    max_file_megabytes: int = 10


@service
def form_fields_save(*, actor: AnyUser | None, call: Call, fields: Sequence[FieldSpec]) -> Call:
    """Replace the call's application form (until the first application is submitted)."""
    _operator(actor, Action.CHANGE, call)
    if _form_locked(call):
        raise ValidationError(
            _("Applications were already submitted with this form: it can no longer change.")
        )
    errors: dict[str, str] = {}
    seen: set[str] = set()
    records = []
    for position, spec in enumerate(fields):
        prefix = f"fields-{position}-"
        key = slugify(spec.key or "").replace("-", "_")[:40]
        if not key:
            errors[f"{prefix}key"] = _("Give the question a key (letters, digits, _).")
        elif key in seen:
            errors[f"{prefix}key"] = _("Two questions have the key %(key)s.") % {"key": key}
        seen.add(key)
        if spec.kind not in FormField.Kind.values:
            errors[f"{prefix}kind"] = _("Choose what kind of answer the question takes.")
        if not spec.label_ko.strip():
            errors[f"{prefix}label_ko"] = _("Write the question in Korean.")
        choices = [
            {"value": f"c{n}", "ko": c.get("ko", "").strip(), "en": c.get("en", "").strip()}
            for n, c in enumerate(spec.choices, start=1)
            if c.get("ko", "").strip() or c.get("en", "").strip()
        ]
        if spec.kind == FormField.Kind.CHOICE and len(choices) < 2:
            errors[f"{prefix}choices"] = _("A choice needs at least two options, one per line.")
        if (
            spec.min_value is not None
            and spec.max_value is not None
            and spec.max_value < spec.min_value
        ):
            errors[f"{prefix}max_value"] = _("The largest number must not be below the smallest.")
        if not 1 <= (spec.max_file_megabytes or 10) <= 50:
            errors[f"{prefix}max_file_megabytes"] = _("Files may be 1 to 50 MB.")
        records.append(
            FormField(
                call=call,
                key=key,
                order=position,
                kind=spec.kind,
                label_ko=spec.label_ko.strip(),
                label_en=spec.label_en.strip(),
                help_ko=spec.help_ko.strip(),
                help_en=spec.help_en.strip(),
                required=bool(spec.required),
                max_length=spec.max_length,
                min_value=spec.min_value,
                max_value=spec.max_value,
                choices=choices,
                max_file_megabytes=spec.max_file_megabytes or 10,
            )
        )
    if errors:
        raise ValidationError(errors)
    FormField.objects.filter(call=call).delete()
    for record in records:
        record.save()
    return call


@dataclass
class CriterionSpec:
    name_ko: str
    name_en: str = ""
    description_ko: str = ""
    description_en: str = ""
    weight: int = 1


@service
def criteria_save(*, actor: AnyUser | None, call: Call, criteria: Sequence[CriterionSpec]) -> Call:
    """Replace the call's review rubric (until the first review is saved)."""
    _operator(actor, Action.CHANGE, call)
    if Review.objects.filter(assignment__application__call=call).exists():
        raise ValidationError(
            _("Reviews were already written with this rubric: it can no longer change.")
        )
    errors: dict[str, str] = {}
    if not criteria:
        errors["criteria"] = _("Add at least one criterion.")
    for position, spec in enumerate(criteria):
        if not spec.name_ko.strip():
            errors[f"criteria-{position}-name_ko"] = _("Name the criterion in Korean.")
        if not 1 <= (spec.weight or 0) <= 100:
            errors[f"criteria-{position}-weight"] = _("A weight is a whole number from 1 to 100.")
    if errors:
        raise ValidationError(errors)
    Criterion.objects.filter(call=call).delete()
    for position, spec in enumerate(criteria):
        Criterion.objects.create(
            call=call,
            order=position,
            name_ko=spec.name_ko.strip(),
            name_en=spec.name_en.strip(),
            description_ko=spec.description_ko.strip(),
            description_en=spec.description_en.strip(),
            weight=spec.weight,
        )
    return call


# --- applications ----------------------------------------------------------------------------


def _now() -> datetime.datetime:
    return timezone.now()


def _refuse_unless_open(call: Call, now: datetime.datetime) -> None:
    if call.status != Call.Status.PUBLISHED or now < call.opens_at:
        raise ValidationError(_("This call is not open for applications yet."))
    if now > call.closes_at:
        raise ValidationError(
            _("The call closed at %(deadline)s (Korea time); nothing can be submitted now.")
            % {"deadline": _when(call.closes_at)}
        )


@service
def application_start(*, actor: User, call: Call, organisation: Organisation) -> Application:
    """Start a draft for ``organisation`` after the eligibility checks pass."""
    require(actor, Action.CREATE, Application, organisation=organisation)
    require(actor, Action.VIEW, call)
    _refuse_unless_open(call, _now())
    checks = check_eligibility(call, organisation)
    if not is_eligible(checks):
        raise ValidationError([check.message for check in checks if not check.passed])
    existing = Application.objects.filter(call=call, organisation=organisation).exclude(
        status=Status.WITHDRAWN
    )
    if existing.exists():
        raise ValidationError(
            _("%(organisation)s already has an application to this call.")
            % {"organisation": organisation.name}
        )
    try:
        with transaction.atomic():
            return Application.objects.create(
                call=call,
                organisation=organisation,
                created_by=actor,
                language=(get_language() or "ko")[:2],
                eligibility=[check.to_dict() for check in checks],
            )
    except IntegrityError:  # a colleague started one at the same moment
        raise ValidationError(
            _("%(organisation)s already has an application to this call.")
            % {"organisation": organisation.name}
        ) from None


@service
def application_save(
    *,
    actor: AnyUser,
    application: Application,
    title: str,
    requested_amount: int | None,
    area: TaxonomyTerm | None,
    answers: Mapping[str, Any],
) -> Application:
    """Save a draft. Every value is checked first: a refused save changes nothing."""
    require(actor, Action.CHANGE, application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.DRAFT:
        raise ValidationError(_("This application was submitted: it is frozen."))
    call = application.call
    title = (title or "").strip()
    errors = basics_problems(call, title, requested_amount, area)
    cleaned, answer_errors = clean_answers(call.form_fields.all(), answers)
    errors.update(answer_errors)
    if errors:
        raise ValidationError(errors)
    application.title = title
    application.requested_amount = requested_amount
    application.area = area
    application.answers = cleaned
    application.save()
    return application


@service
def application_file_upload(
    *, actor: AnyUser, application: Application, field_key: str, upload: UploadedFile
) -> ApplicationFile:
    """Attach (or replace) the file answering one question: a PDF or XLSX within its limit."""
    require(actor, Action.CHANGE, application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.DRAFT:
        raise ValidationError(_("This application was submitted: it is frozen."))
    field = application.call.form_fields.filter(key=field_key, kind=FormField.Kind.FILE).first()
    if field is None:
        raise ValidationError(_("This form has no such file question."))
    try:
        file_type = check_upload(field, upload)
    except ValueError as error:
        raise ValidationError({field_name(field): str(error)}) from None
    ApplicationFile.objects.filter(application=application, field_key=field.key).delete()
    record = ApplicationFile(
        application=application,
        field_key=field.key,
        original_name=(upload.name or "file")[-255:],
        size=upload.size or 0,
        file_type=file_type,
        uploaded_by=_person(actor),
    )
    # A name nobody can guess: the storage's folder must never be enough to find a file.
    record.file.save(f"{uuid.uuid4().hex}.{file_type}", upload, save=False)
    record.save()
    application.save(update_fields=["updated_at"])
    return record


@service
def application_file_remove(*, actor: AnyUser, record: ApplicationFile) -> None:
    require(actor, Action.CHANGE, record)
    record.file.delete(save=False)
    record.delete()


@service
def partner_add(
    *,
    actor: AnyUser,
    application: Application,
    organisation: Organisation | None = None,
    person: Person | None = None,
    role: str = "",
) -> ApplicationPartner:
    """Name a partner organisation (a university, typically) or expert on a draft."""
    require(actor, Action.CHANGE, application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("This application was submitted: it is frozen."))
    if (organisation is None) == (person is None):
        raise ValidationError({"partner": _("Choose one partner organisation or expert.")})
    if organisation is not None and organisation.pk == application.organisation_id:
        raise ValidationError({"partner": _("The applicant cannot be its own partner.")})
    if organisation is not None:
        require(actor, Action.VIEW, organisation)
    if person is not None:
        require(actor, Action.VIEW, person)
    lookup = {"organisation": organisation} if organisation is not None else {"person": person}
    if ApplicationPartner.objects.filter(application=application, **lookup).exists():
        raise ValidationError({"partner": _("This partner is already on the application.")})
    return ApplicationPartner.objects.create(
        application=application, role=(role or "").strip()[:200], **lookup
    )


@service
def partner_remove(*, actor: AnyUser, partner: ApplicationPartner) -> None:
    require(actor, Action.CHANGE, partner)
    partner.delete()


def _applicant_recipients(application: Application) -> list[User]:
    users = {
        membership.user_id: membership.user
        for membership in application.organisation.memberships.filter(role="admin").select_related(
            "user"
        )
    }
    creator = application.created_by
    if creator is not None:
        users[creator.pk] = creator
    return [user for user in users.values() if user.is_active]


@service
def application_submit(*, actor: AnyUser, application: Application) -> Application:
    """Submit a complete draft before the deadline: it is frozen, numbered, and a receipt is
    mailed. One second after ``closes_at`` the server refuses."""
    require(actor, Action.CHANGE, application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    call = Call.objects.select_for_update().get(pk=application.call_id)
    now = _now()
    if application.status != Status.DRAFT:
        raise ValidationError(_("This application was already submitted."))
    _refuse_unless_open(call, now)
    problems = application_problems(application)
    if problems:
        raise ValidationError(problems)
    checks = check_eligibility(call, application.organisation)
    if not is_eligible(checks):
        raise ValidationError([check.message for check in checks if not check.passed])
    numbered = Application.objects.filter(call=call, receipt_number__isnull=False).count()
    receipt = f"{call.opens_at.year}-{call.pk:03d}-{numbered + 1:04d}"
    while Application.objects.filter(receipt_number=receipt).exists():
        numbered += 1
        receipt = f"{call.opens_at.year}-{call.pk:03d}-{numbered + 1:04d}"
    application.receipt_number = receipt
    application.status = Status.SUBMITTED
    application.submitted_at = now
    application.eligibility = [check.to_dict() for check in checks]
    application.language = (get_language() or application.language or "ko")[:2]
    application.save()
    application_id = application.pk
    after_commit(lambda: tasks.embed_submitted_application.enqueue(application_id))
    after_commit(lambda: tasks.send_receipt.enqueue(application_id))
    return application


@service
def application_withdraw(*, actor: AnyUser, application: Application) -> Application:
    """Withdraw a draft or a submitted application before the call closes."""
    require(actor, Action.CHANGE, application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (Status.DRAFT, Status.SUBMITTED):
        raise ValidationError(_("Only a draft or a submitted application can be withdrawn."))
    if _now() > application.call.closes_at:
        raise ValidationError(
            _(
                "The call closed at %(deadline)s (Korea time): the application can no longer be "
                "withdrawn."
            )
            % {"deadline": _when(application.call.closes_at)}
        )
    application.status = Status.WITHDRAWN
    application.withdrawn_at = _now()
    application.save()
    return application


# --- screening -------------------------------------------------------------------------------


@service
def application_screen(
    *, actor: AnyUser | None, application: Application, eligible: bool, reason: str
) -> Application:
    """The operator's screening decision, with a reason the applicant reads."""
    _operator(actor, Action.APPROVE, application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (Status.SUBMITTED, Status.ELIGIBLE, Status.INELIGIBLE):
        raise ValidationError(_("Only submitted applications are screened."))
    if ReviewAssignment.objects.filter(application=application).exists() and not eligible:
        raise ValidationError(_("Reviewers were already invited for this application."))
    reason = (reason or "").strip()
    if not eligible and not reason:
        raise ValidationError({"reason": _("Say why the application is not eligible.")})
    application.status = Status.ELIGIBLE if eligible else Status.INELIGIBLE
    application.screening_reason = reason
    application.screened_at = _now()
    application.screened_by = _person(actor)
    application.save()
    notify(
        recipients=_applicant_recipients(application),
        kind=notifications.SCREENING,
        context={
            "receipt": application.receipt_number,
            "call": application.call.title,
            "eligible": eligible,
        },
        link=application.get_absolute_url(),
    )
    return application


@service
def applications_screen_passing(*, actor: AnyUser | None, call: Call) -> int:
    """Screen in every submitted application whose automatic checks all passed."""
    _operator(actor, Action.CHANGE, call)
    count = 0
    for application in Application.objects.filter(call=call, status=Status.SUBMITTED):
        checks = check_eligibility(call, application.organisation)
        if is_eligible(checks):
            # No reason of its own: the pages say the automatic checks passed, in the
            # reader's language.
            application_screen(actor=actor, application=application, eligible=True, reason="")
            count += 1
    return count


# --- reviewers and conflicts ---------------------------------------------------------------


@service
def reviewer_profile_save(
    *,
    actor: AnyUser,
    person: Person,
    opted_in: bool,
    max_load: int,
    evidence_since_year: int | None,
    evidence: Iterable[Publication] = (),
    past_affiliations: Iterable[tuple[Organisation, int]] = (),
) -> ReviewerProfile:
    """An expert opts in (or out) as a reviewer and says what shows their expertise."""
    profile = ReviewerProfile.objects.filter(person=person).first()
    if profile is None:
        require(actor, Action.CREATE, ReviewerProfile, person=person)
    else:
        require(actor, Action.CHANGE, profile)
    errors: dict[str, str] = {}
    if not 1 <= max_load <= 50:
        errors["max_load"] = _("Choose between 1 and 50 applications.")
    this_year = timezone.localdate().year
    if evidence_since_year is not None and not 1950 <= evidence_since_year <= this_year:
        errors["evidence_since_year"] = _("Enter a year between 1950 and %(year)s.") % {
            "year": this_year
        }
    evidence = list(evidence)
    if any(publication.person_id != person.pk for publication in evidence):
        errors["evidence"] = _("Choose among your own publications.")
    affiliations = list(past_affiliations)
    for organisation, year in affiliations:
        if not 1950 <= year <= this_year:
            errors["past_affiliations"] = _("Enter the years you left as 1950 to %(year)s.") % {
                "year": this_year
            }
        if organisation.pk == person.organisation_id:
            errors["past_affiliations"] = _("Your present organisation is already counted.")
    if len({organisation.pk for organisation, _year in affiliations}) != len(affiliations):
        errors["past_affiliations"] = _("Name each former organisation once.")
    if errors:
        raise ValidationError(errors)
    if profile is None:
        profile = ReviewerProfile(person=person)
    profile.opted_in = opted_in
    profile.max_load = max_load
    profile.evidence_since_year = evidence_since_year
    profile.full_clean()
    profile.save()
    profile.evidence.set(evidence)
    PastAffiliation.objects.filter(reviewer=profile).delete()
    for organisation, year in affiliations:
        PastAffiliation.objects.create(reviewer=profile, organisation=organisation, until_year=year)
    return profile


@service
def conflicts_refresh(*, actor: AnyUser | None, call: Call) -> dict[str, int]:
    """Detect the call's conflicts afresh: new ones are added, those the records no longer
    show are removed (lifted ones are kept, with who lifted them and why)."""
    _operator(actor, Action.CHANGE, call)
    return save_detected_conflicts(call)


def _reviewer_of(actor: AnyUser) -> ReviewerProfile:
    profile = (
        ReviewerProfile.objects.filter(person__user_id=actor.pk).select_related("person").first()
        if actor.is_authenticated
        else None
    )
    if profile is None or not profile.opted_in:
        raise PermissionDenied("only opted-in reviewers")
    return profile


@service
def conflict_declare(*, actor: User, application: Application, note: str = "") -> Conflict:
    """A reviewer declares a conflict with an application they see by title."""
    reviewer = _reviewer_of(actor)
    require(actor, Action.CREATE, Conflict, reviewer=reviewer)
    require(actor, Action.VIEW_SUMMARY, application)
    conflict, _created = Conflict.objects.get_or_create(
        application=application,
        reviewer=reviewer,
        reason=Conflict.Reason.DECLARED,
        defaults={"note": (note or "").strip()[:2000], "created_by": _person(actor)},
    )
    if conflict.lifted_at is not None:
        conflict.lifted_at, conflict.lifted_by, conflict.lift_reason = None, None, ""
        conflict.save()
    Bid.objects.filter(reviewer=reviewer, application=application).delete()
    return conflict


@service
def conflict_add(
    *, actor: AnyUser | None, application: Application, reviewer: ReviewerProfile, note: str
) -> Conflict:
    """The cluster office records a conflict the records do not show."""
    if actor is not None:
        require(actor, Action.CREATE, Conflict)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what the conflict is.")})
    conflict, created = Conflict.objects.get_or_create(
        application=application,
        reviewer=reviewer,
        reason=Conflict.Reason.OPERATOR,
        defaults={"note": note, "created_by": _person(actor)},
    )
    if not created:
        conflict.note, conflict.lifted_at, conflict.lifted_by, conflict.lift_reason = (
            note,
            None,
            None,
            "",
        )
        conflict.save()
    _drop_conflicted_assignment(application, reviewer)
    return conflict


def _drop_conflicted_assignment(application: Application, reviewer: ReviewerProfile) -> None:
    """A reviewer found conflicted after being invited loses the invitation (no review kept)."""
    for assignment in ReviewAssignment.objects.filter(
        application=application, reviewer=reviewer
    ).exclude(status=ReviewAssignment.Status.DECLINED):
        assignment.status = ReviewAssignment.Status.DECLINED
        assignment.responded_at = _now()
        assignment.save()
        _fill_from_alternates(assignment)


@service
def conflict_lift(*, actor: AnyUser | None, conflict: Conflict, reason: str) -> Conflict:
    """The cluster office lifts a conflict, saying why (kept in the record and the audit log)."""
    _operator(actor, Action.CHANGE, conflict)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the conflict can be lifted.")})
    if conflict.lifted_at is not None:
        raise ValidationError(_("This conflict was already lifted."))
    conflict.lifted_at = _now()
    conflict.lifted_by = _person(actor)
    conflict.lift_reason = reason
    conflict.save()
    return conflict


@service
def bid_place(*, actor: User, application: Application, kind: str) -> Bid | None:
    """A reviewer bids eager, willing or not willing on an application (``""`` removes it)."""
    reviewer = _reviewer_of(actor)
    require(actor, Action.VIEW_SUMMARY, application)
    if Conflict.objects.filter(
        application=application, reviewer=reviewer, lifted_at__isnull=True
    ).exists():
        raise ValidationError(_("You have a conflict of interest with this application."))
    if kind == "":
        Bid.objects.filter(reviewer=reviewer, application=application).delete()
        return None
    if kind not in Bid.Kind.values:
        raise ValidationError({"kind": _("Choose eager, willing or not willing.")})
    bid, _created = Bid.objects.update_or_create(
        reviewer=reviewer, application=application, defaults={"kind": kind}
    )
    return bid


# --- assignment ------------------------------------------------------------------------------


@service
def assignment_start(
    *, actor: AnyUser | None, call: Call, objective: str = "total", alternates: int = 3
) -> AssignmentRun:
    """Queue the computation of the call's reviewer assignment; the page polls the run."""
    _operator(actor, Action.CHANGE, call)
    if objective not in AssignmentRun.Objective.values:
        raise ValidationError({"objective": _("Choose the best total fit or the fairest.")})
    if not 0 <= alternates <= 10:
        raise ValidationError({"alternates": _("Keep 0 to 10 alternates per application.")})
    if call.phase != Call.Phase.REVIEW:
        raise ValidationError(_("Reviewers are assigned once the call has closed."))
    if AssignmentRun.objects.filter(call=call, invitations_sent_at__isnull=False).exists():
        raise ValidationError(
            _("Invitations were already sent: declined ones are filled from the alternates.")
        )
    if not Application.objects.filter(call=call, status=Status.ELIGIBLE).exists():
        raise ValidationError(_("Screen the applications first: none is eligible yet."))
    run = AssignmentRun.objects.create(
        call=call,
        objective=objective,
        alternates=alternates,
        started_by=_person(actor),
    )
    run_id = run.pk
    after_commit(lambda: tasks.compute_assignment.enqueue(run_id))
    return run


def _assigned_counts(run: AssignmentRun) -> dict[int, int]:
    return dict(
        ProposedReviewer.objects.filter(run=run, role=ProposedReviewer.Role.ASSIGNED)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )


@service
def proposal_swap(
    *, actor: AnyUser | None, proposal: ProposedReviewer, replacement: ProposedReviewer
) -> ProposedReviewer:
    """Swap an assigned reviewer for one of the application's alternates (before invitations)."""
    run = proposal.run
    _operator(actor, Action.CHANGE, run)
    if run.invitations_sent_at is not None:
        raise ValidationError(_("Invitations were already sent for this proposal."))
    if (
        proposal.role != ProposedReviewer.Role.ASSIGNED
        or replacement.role != ProposedReviewer.Role.ALTERNATE
        or replacement.run_id != run.pk
        or replacement.application_id != proposal.application_id
    ):
        raise ValidationError(_("Choose one of this application's alternates."))
    if Conflict.objects.filter(
        application_id=replacement.application_id,
        reviewer_id=replacement.reviewer_id,
        lifted_at__isnull=True,
    ).exists():
        raise ValidationError(_("This reviewer has a conflict of interest with the application."))
    cap = ReviewerProfile.objects.get(pk=replacement.reviewer_id)
    if _assigned_counts(run).get(replacement.reviewer_id, 0) >= min(
        cap.max_load, run.call.reviewer_max_load
    ):
        raise ValidationError(_("This reviewer already has as many applications as they take."))
    top = (
        ProposedReviewer.objects.filter(
            run=run, application_id=proposal.application_id, role=ProposedReviewer.Role.ALTERNATE
        )
        .order_by("-rank")
        .values_list("rank", flat=True)
        .first()
        or 0
    )
    proposal.role, proposal.rank = ProposedReviewer.Role.ALTERNATE, top + 1
    proposal.swapped_in = False
    proposal.save()
    replacement.role, replacement.rank, replacement.swapped_in = (
        ProposedReviewer.Role.ASSIGNED,
        0,
        True,
    )
    replacement.save()
    return replacement


def _invite(
    application_id: int,
    reviewer_id: int,
    due_at: datetime.datetime,
    run: AssignmentRun | None,
    replaces: ReviewAssignment | None = None,
) -> ReviewAssignment:
    return ReviewAssignment.objects.create(
        application_id=application_id,
        reviewer_id=reviewer_id,
        run=run,
        due_at=due_at,
        replaces=replaces,
    )


def _tell_invited(reviewer_ids: Iterable[int], call: Call) -> None:
    counts: dict[int, int] = defaultdict(int)
    for reviewer_id in reviewer_ids:
        counts[reviewer_id] += 1
    users = {
        profile.pk: profile.person.user
        for profile in ReviewerProfile.objects.filter(pk__in=list(counts)).select_related(
            "person__user"
        )
        if profile.person.user is not None
    }
    for reviewer_id, count in counts.items():
        if reviewer_id in users:
            notify(
                recipients=[users[reviewer_id]],
                kind=notifications.REVIEW_INVITATION,
                context={"call": call.title, "count": count},
                link=_reviews_link(),
            )


def _reviews_link() -> str:
    from django.urls import reverse

    return reverse("programs:my_reviews")


@service
def invitations_send(*, actor: AnyUser | None, run: AssignmentRun) -> int:
    """Invite the proposal's reviewers; each hears once how many applications await them."""
    _operator(actor, Action.CHANGE, run)
    run = AssignmentRun.objects.select_for_update().get(pk=run.pk)
    if run.status != AssignmentRun.Status.DONE:
        raise ValidationError(_("This proposal is not ready."))
    if run.invitations_sent_at is not None:
        raise ValidationError(_("Invitations were already sent for this proposal."))
    call = run.call
    if AssignmentRun.objects.filter(call=call, invitations_sent_at__isnull=False).exists():
        raise ValidationError(_("Invitations were already sent for this call."))
    pairs = list(
        ProposedReviewer.objects.filter(run=run, role=ProposedReviewer.Role.ASSIGNED).values_list(
            "application_id", "reviewer_id"
        )
    )
    active = set(
        Conflict.objects.filter(application__call=call, lifted_at__isnull=True).values_list(
            "application_id", "reviewer_id"
        )
    )
    conflicted = [pair for pair in pairs if pair in active]
    if conflicted:
        raise ValidationError(
            _(
                "%(count)s proposed pairs now have a conflict of interest: compute the assignment "
                "again."
            )
            % {"count": len(conflicted)}
        )
    ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(
                application_id=application_id,
                reviewer_id=reviewer_id,
                run=run,
                due_at=call.review_deadline,
            )
            for application_id, reviewer_id in pairs
        ],
        batch_size=1000,
    )
    run.invitations_sent_at = _now()
    run.save(update_fields=["invitations_sent_at"])
    _tell_invited([reviewer_id for _application, reviewer_id in pairs], call)
    return len(pairs)


def _fill_from_alternates(declined: ReviewAssignment) -> ReviewAssignment | None:
    """Invite the best alternate who can take the place now: unconflicted, not yet asked for
    this application, with load to spare. Nothing else moves."""
    application = declined.application
    call = application.call
    run = declined.run or (
        AssignmentRun.objects.filter(call=call, invitations_sent_at__isnull=False).first()
    )
    if run is None:
        return None
    asked = set(
        ReviewAssignment.objects.filter(application=application).values_list(
            "reviewer_id", flat=True
        )
    )
    conflicted = set(
        Conflict.objects.filter(application=application, lifted_at__isnull=True).values_list(
            "reviewer_id", flat=True
        )
    )
    loads = dict(
        ReviewAssignment.objects.filter(application__call=call)
        .exclude(status=ReviewAssignment.Status.DECLINED)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )
    for alternate in (
        ProposedReviewer.objects.filter(
            run=run, application=application, role=ProposedReviewer.Role.ALTERNATE
        )
        .select_related("reviewer")
        .order_by("rank", "-score")
    ):
        reviewer = alternate.reviewer
        if reviewer.pk in asked or reviewer.pk in conflicted or not reviewer.opted_in:
            continue
        if loads.get(reviewer.pk, 0) >= min(reviewer.max_load, call.reviewer_max_load):
            continue
        replacement = _invite(application.pk, reviewer.pk, declined.due_at, run, declined)
        _tell_invited([reviewer.pk], call)
        return replacement
    return None


@service
def assignment_respond(
    *, actor: User, assignment: ReviewAssignment, accept: bool
) -> ReviewAssignment | None:
    """A reviewer accepts or declines; a declined place goes at once to the best alternate
    (returned, or None when none is left)."""
    require(actor, Action.RESPOND, assignment)
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != ReviewAssignment.Status.INVITED:
        raise ValidationError(_("You already answered this invitation."))
    assignment.status = (
        ReviewAssignment.Status.ACCEPTED if accept else ReviewAssignment.Status.DECLINED
    )
    assignment.responded_at = _now()
    assignment.save()
    if accept:
        return assignment
    return _fill_from_alternates(assignment)


@service
def assignment_release(
    *, actor: AnyUser | None, assignment: ReviewAssignment, reason: str
) -> ReviewAssignment | None:
    """The cluster office releases a reviewer from an invitation (they told the office they
    cannot review it); the place goes at once to the best alternate, as a decline would."""
    _operator(actor, Action.APPROVE, assignment.application)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the reviewer is released.")})
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == ReviewAssignment.Status.DECLINED:
        raise ValidationError(_("This invitation was already declined."))
    if Review.objects.filter(assignment=assignment, status=Review.Status.SUBMITTED).exists():
        raise ValidationError(_("The review is already submitted."))
    assignment.status = ReviewAssignment.Status.DECLINED
    assignment.responded_at = _now()
    assignment.save()
    return _fill_from_alternates(assignment)


@service
def assignment_add(
    *, actor: AnyUser | None, application: Application, reviewer: ReviewerProfile
) -> ReviewAssignment:
    """The cluster office invites one more reviewer by hand (when the alternates run out)."""
    _operator(actor, Action.APPROVE, application)
    if application.status != Status.ELIGIBLE:
        raise ValidationError(_("Only eligible applications are reviewed."))
    if Conflict.objects.filter(
        application=application, reviewer=reviewer, lifted_at__isnull=True
    ).exists():
        raise ValidationError(_("This reviewer has a conflict of interest with the application."))
    if ReviewAssignment.objects.filter(application=application, reviewer=reviewer).exists():
        raise ValidationError(_("This reviewer was already invited for this application."))
    assignment = _invite(application.pk, reviewer.pk, application.call.review_deadline, None)
    _tell_invited([reviewer.pk], application.call)
    return assignment


@service
def reminders_send(*, actor: AnyUser | None, call: Call) -> int:
    """Remind reviewers whose reviews are due within three days or late (at most once a day)."""
    _operator(actor, Action.CHANGE, call)
    now = _now()
    pending = (
        ReviewAssignment.objects.filter(application__call=call, due_at__lte=now + REMIND_BEFORE)
        .exclude(status=ReviewAssignment.Status.DECLINED)
        .exclude(review__status=Review.Status.SUBMITTED)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_EVERY))
        .select_related("reviewer__person__user")
    )
    by_reviewer: dict[int, list[ReviewAssignment]] = defaultdict(list)
    for assignment in pending:
        by_reviewer[assignment.reviewer_id].append(assignment)
    for assignments in by_reviewer.values():
        user = assignments[0].reviewer.person.user
        due = min(a.due_at for a in assignments)
        if user is not None:
            notify(
                recipients=[user],
                kind=notifications.REVIEW_REMINDER,
                context={
                    "call": call.title,
                    "count": len(assignments),
                    "due": _when(due),
                    "late": due < now,
                },
                link=_reviews_link(),
            )
        ReviewAssignment.objects.filter(pk__in=[a.pk for a in assignments]).update(reminded_at=now)
    return len(by_reviewer)


# --- reviews -------------------------------------------------------------------------------


@service
def review_save(
    *,
    actor: User,
    assignment: ReviewAssignment,
    scores: Mapping[str, Any],
    comment_to_applicant: str,
    comment_to_committee: str,
    submit: bool = False,
) -> Review:
    """Save (or submit) a review. Every score must be on the call's scale; after the
    deadline nothing is saved."""
    require(actor, Action.RESPOND, assignment)
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    application = assignment.application
    call = application.call
    if Conflict.objects.filter(
        application=application, reviewer_id=assignment.reviewer_id, lifted_at__isnull=True
    ).exists():
        raise PermissionDenied("conflicted reviewers do not review")
    if assignment.status == ReviewAssignment.Status.DECLINED:
        raise ValidationError(_("You declined this invitation."))
    if _now() > assignment.due_at:
        raise ValidationError(
            _(
                "The review was due at %(deadline)s (Korea time); it can no longer be changed. "
                "Ask the cluster office."
            )
            % {"deadline": _when(assignment.due_at)}
        )
    if call.status == Call.Status.DECIDED:
        raise ValidationError(_("The call is decided: reviews can no longer change."))
    criteria = list(call.criteria.all())
    errors: dict[str, str] = {}
    kept: dict[str, int] = {}
    for criterion in criteria:
        key = f"score_{criterion.pk}"
        raw = scores.get(str(criterion.pk), scores.get(key))
        if raw in (None, ""):
            if submit:
                errors[key] = _("Score this criterion.")
            continue
        try:
            value = int(str(raw).strip())
            if str(value) != str(raw).strip():
                raise ValueError
        except ValueError:
            errors[key] = _("Enter a whole number from %(low)s to %(high)s.") % {
                "low": call.score_min,
                "high": call.score_max,
            }
            continue
        if not call.score_min <= value <= call.score_max:
            errors[key] = _(
                "The score must be from %(low)s to %(high)s; %(value)s is outside it."
            ) % {
                "low": call.score_min,
                "high": call.score_max,
                "value": value,
            }
            continue
        kept[str(criterion.pk)] = value
    comment_to_applicant = (comment_to_applicant or "").strip()
    comment_to_committee = (comment_to_committee or "").strip()
    if len(comment_to_applicant) > MAX_TEXT:
        errors["comment_to_applicant"] = _("Use at most %(limit)s characters.") % {
            "limit": MAX_TEXT
        }
    if len(comment_to_committee) > MAX_TEXT:
        errors["comment_to_committee"] = _("Use at most %(limit)s characters.") % {
            "limit": MAX_TEXT
        }
    if submit and not comment_to_applicant:
        errors["comment_to_applicant"] = _(
            "Write a comment to the applicant: they receive it with the decision."
        )
    if errors:
        raise ValidationError(errors)
    if assignment.status == ReviewAssignment.Status.INVITED:
        assignment.status = ReviewAssignment.Status.ACCEPTED
        assignment.responded_at = _now()
        assignment.save()
    review = Review.objects.filter(assignment=assignment).first() or Review(assignment=assignment)
    review.scores = kept
    review.total = weighted_total(criteria, kept, call.score_min, call.score_max)
    review.comment_to_applicant = comment_to_applicant
    review.comment_to_committee = comment_to_committee
    if submit:
        review.status = Review.Status.SUBMITTED
        review.submitted_at = _now()
    review.full_clean()
    review.save()
    return review


# --- selection and decisions --------------------------------------------------------------


def _decided_applications(call: Call) -> list[Application]:
    return list(
        Application.objects.filter(
            call=call, status__in=[Status.ELIGIBLE, Status.SELECTED, Status.NOT_SELECTED]
        )
    )


def _check_budget(call: Call, selected_total: int) -> None:
    if selected_total > call.total_budget:
        raise ValidationError(
            _(
                "The selected awards add up to %(total)s won, more than the call's budget of "
                "%(budget)s won."
            )
            % {"total": _won(selected_total), "budget": _won(call.total_budget)}
        )


@service
def decisions_from_proposal(
    *,
    actor: AnyUser | None,
    call: Call,
    method: str,
    rank_by: str,
    minimum_score: float | None = None,
    area_minimums: Mapping[str, float] | None = None,
) -> int:
    """Record a selection proposal (in rank order or optimised) as the call's draft decisions."""
    _operator(actor, Action.CHANGE, call)
    if call.status == Call.Status.DECIDED:
        raise ValidationError(_("The decisions of this call are already published."))
    proposal = selection_proposal(
        call,
        method=method,
        rank_by=rank_by,
        minimum_score=minimum_score,
        area_minimums=area_minimums or {},
    )
    basis = f"{method}:{rank_by}"
    count = 0
    for application in _decided_applications(call):
        line = proposal.lines.get(application.pk)
        funded = line is not None and line.funded
        amount = int(line.amount) if funded and line is not None else 0
        decision = Decision.objects.filter(application=application).first() or Decision(
            application=application
        )
        decision.outcome = Decision.Outcome.SELECTED if funded else Decision.Outcome.NOT_SELECTED
        decision.amount = amount
        decision.basis = basis
        decision.decided_by = _person(actor)
        decision.save()
        count += 1
    _check_budget(call, proposal.spent)
    return count


@service
def decision_set(
    *,
    actor: AnyUser | None,
    application: Application,
    selected: bool,
    amount: int | None,
    note: str = "",
) -> Decision:
    """Decide one application by hand; the call's budget and per-award maximum hold."""
    _operator(actor, Action.APPROVE, application)
    call = Call.objects.select_for_update().get(pk=application.call_id)
    if call.status == Call.Status.DECIDED:
        raise ValidationError(_("The decisions of this call are already published."))
    if application.status not in (Status.ELIGIBLE, Status.SELECTED, Status.NOT_SELECTED):
        raise ValidationError(_("Only eligible applications are decided."))
    errors: dict[str, str] = {}
    if selected:
        if amount is None or amount <= 0:
            errors["amount"] = _("Enter the amount awarded, in won.")
        elif amount > call.max_award:
            errors["amount"] = _("The call awards at most %(maximum)s won per application.") % {
                "maximum": _won(call.max_award)
            }
        elif application.requested_amount is not None and amount > application.requested_amount:
            errors["amount"] = _("The applicant requested %(requested)s won; award no more.") % {
                "requested": _won(application.requested_amount)
            }
    if len(note or "") > MAX_TEXT:
        errors["note"] = _("Use at most %(limit)s characters.") % {"limit": MAX_TEXT}
    if errors:
        raise ValidationError(errors)
    others = (
        Decision.objects.filter(application__call=call, outcome=Decision.Outcome.SELECTED)
        .exclude(application=application)
        .values_list("amount", flat=True)
    )
    _check_budget(call, sum(others) + (amount or 0 if selected else 0))
    decision = Decision.objects.filter(application=application).first() or Decision(
        application=application
    )
    decision.outcome = Decision.Outcome.SELECTED if selected else Decision.Outcome.NOT_SELECTED
    decision.amount = int(amount or 0) if selected else 0
    decision.note = (note or "").strip()
    decision.basis = "manual"
    decision.decided_by = _person(actor)
    decision.save()
    return decision


@service
def decisions_publish(*, actor: AnyUser | None, call: Call) -> int:
    """Publish every decision: applicants are told in their language, with the reviewers'
    comments to them (never their names); selected applications become awards."""
    _operator(actor, Action.CHANGE, call)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status == Call.Status.DECIDED:
        raise ValidationError(_("The decisions of this call are already published."))
    applications = _decided_applications(call)
    if not applications:
        raise ValidationError(_("There is nothing to decide: no application is eligible."))
    decisions = {d.application_id: d for d in Decision.objects.filter(application__call=call)}
    undecided = [a for a in applications if a.pk not in decisions]
    if undecided:
        raise ValidationError(
            _("%(count)s eligible applications have no decision yet.") % {"count": len(undecided)}
        )
    _check_budget(
        call, sum(d.amount for d in decisions.values() if d.outcome == Decision.Outcome.SELECTED)
    )
    now = _now()
    today = timezone.localdate()
    for application in applications:
        decision = decisions[application.pk]
        decision.published_at = now
        decision.save()
        application.status = Status.SELECTED if decision.is_selected else Status.NOT_SELECTED
        application.save()
        if decision.is_selected:
            _award_for(application, decision.amount, today)
        after_commit(partial(tasks.send_decision.enqueue, application.pk))
    call.status = Call.Status.DECIDED
    call.decisions_published_at = now
    call.save(update_fields=["status", "decisions_published_at", "updated_at"])
    return len(applications)


def _award_for(application: Application, amount: int, today: datetime.date) -> Award:
    ends = today + relativedelta(months=12)
    award = Award.objects.create(
        application=application, amount=amount, starts_on=today, ends_on=ends
    )
    Milestone.objects.create(
        award=award,
        title=_("Kick-off meeting with the cluster office"),
        due_on=today + relativedelta(months=1),
    )
    AwardReport.objects.create(
        award=award, kind=AwardReport.Kind.INTERIM, due_on=today + relativedelta(months=6)
    )
    AwardReport.objects.create(
        award=award, kind=AwardReport.Kind.FINAL, due_on=ends + relativedelta(months=1)
    )
    return award


# --- awards --------------------------------------------------------------------------------


@service
def milestone_add(
    *, actor: AnyUser | None, award: Award, title: str, due_on: datetime.date | None
) -> Milestone:
    _operator(actor, Action.CHANGE, award)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Name the milestone.")
    if due_on is None:
        errors["due_on"] = _("Enter when it is due.")
    if errors or due_on is None:
        raise ValidationError(errors)
    return Milestone.objects.create(award=award, title=title.strip()[:300], due_on=due_on)


@service
def milestone_done(*, actor: AnyUser, milestone: Milestone) -> Milestone:
    """The award holder (or the cluster office) marks a milestone reached."""
    if not (can(actor, Action.REPORT_PROGRESS, milestone) or can(actor, Action.CHANGE, milestone)):
        raise PermissionDenied("not this award's holder")
    milestone.done_on = timezone.localdate()
    milestone.save()
    return milestone


@service
def report_add(
    *, actor: AnyUser | None, award: Award, kind: str, due_on: datetime.date | None
) -> AwardReport:
    _operator(actor, Action.CHANGE, award)
    if kind not in AwardReport.Kind.values:
        raise ValidationError({"kind": _("Choose an interim or a final report.")})
    if due_on is None:
        raise ValidationError({"due_on": _("Enter when it is due.")})
    return AwardReport.objects.create(award=award, kind=kind, due_on=due_on)


@service
def report_submit(
    *, actor: AnyUser, report: AwardReport, summary: str, upload: UploadedFile | None
) -> AwardReport:
    """The award holder sends a report: a summary and, optionally, a PDF or XLSX file."""
    require(actor, Action.REPORT_PROGRESS, report)
    report = AwardReport.objects.select_for_update().get(pk=report.pk)
    if report.submitted_at is not None:
        raise ValidationError(_("This report was already sent."))
    summary = (summary or "").strip()
    errors: dict[str, str] = {}
    if not summary:
        errors["summary"] = _("Summarise what was done.")
    file_type = None
    if upload is not None:
        limit = FormField(kind=FormField.Kind.FILE, max_file_megabytes=REPORT_FILE_MEGABYTES)
        try:
            file_type = check_upload(limit, upload)
        except ValueError as error:
            errors["file"] = str(error)
    if errors:
        raise ValidationError(errors)
    report.summary = summary[:MAX_TEXT]
    if upload is not None:
        report.file.save(f"{uuid.uuid4().hex}.{file_type}", upload, save=False)
    report.submitted_at = _now()
    report.submitted_by = _person(actor)
    report.save()
    return report


@service
def award_complete(*, actor: AnyUser | None, award: Award) -> Award:
    _operator(actor, Action.CHANGE, award)
    if award.reports.filter(submitted_at__isnull=True).exists():
        raise ValidationError(
            _("Reports are still due: an award completes once every report is in.")
        )
    award.status = Award.Status.COMPLETED
    award.save()
    return award

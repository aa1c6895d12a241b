"""Support programs (지원사업): calls, applications, expert review, decisions and awards.

The records follow one call (:class:`Call`, 공고) from its publication to its awards:

    Call (form: FormField, rubric: Criterion)
      └ Application (partners, files) ─ screened ─ reviewed by ReviewAssignment → Review
            └ Decision (published) → Award (milestones, reports)

Experts opt in as reviewers (:class:`ReviewerProfile`), declare or are found to have a
:class:`Conflict` with an application, and may :class:`Bid` on those they see by title.
An :class:`AssignmentRun` is the background computation of who reviews what; its
:class:`ProposedReviewer` rows are the proposal (assigned pairs and ranked alternates) the
operator checks before invitations go out.

Applications are confidential: who may read what is decided in ``rules.py``. Date-times are
stored in UTC and entered and shown in Asia/Seoul (``TIME_ZONE``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.i18n import localized
from sangsaeng.core.models import TimeStampedModel
from sangsaeng.directory.models import Commitment, Organisation, Person, Publication, TaxonomyTerm

FILE_TYPES = ("pdf", "xlsx")
MAX_FILE_MEGABYTES = 50


class _Facts(dict):  # type: ignore[type-arg]
    """Facts for a sentence: a fact that is missing reads as a dash, never an error."""

    def __missing__(self, key: str) -> str:
        return "—"


def _values(choices: type[models.TextChoices]) -> list[str]:
    return [str(value) for value in choices.values]


class SupportProgram(TimeStampedModel):
    """A programme (지원사업) that runs calls year after year, e.g. joint research support."""

    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_programs",
        verbose_name=_("run by"),
    )
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    class Meta:
        verbose_name = _("support program")
        verbose_name_plural = _("support programs")
        ordering = ["name_ko"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_ko, self.name_en)

    @property
    def description(self) -> str:
        return localized(self.description_ko, self.description_en)


class Call(TimeStampedModel):
    """A call for applications (공고) with its budget, eligibility, dates, form and rubric."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        DECIDED = "decided", _("decided")

    class Phase(models.TextChoices):
        """Where a published call stands in time (derived, not stored)."""

        DRAFT = "draft", _("draft")
        UPCOMING = "upcoming", _("opens soon")
        OPEN = "open", _("open for applications")
        REVIEW = "review", _("closed: under review")
        DECIDED = "decided", _("decided")

    program = models.ForeignKey(
        SupportProgram, on_delete=models.CASCADE, related_name="calls", verbose_name=_("program")
    )
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("agreement commitment served"),
    )
    total_budget = models.BigIntegerField(_("total budget (KRW)"))
    max_award = models.BigIntegerField(_("maximum per award (KRW)"))
    eligible_kinds = models.JSONField(_("eligible kinds of organisation"), default=list, blank=True)
    region = models.CharField(
        _("region"),
        max_length=100,
        blank=True,
        help_text=_("Applicants must be located here (their city or address), e.g. 성남시."),
    )
    eligible_tags = models.ManyToManyField(
        TaxonomyTerm, blank=True, related_name="calls", verbose_name=_("areas")
    )
    min_employees = models.PositiveIntegerField(
        _("companies: at least employees"), null=True, blank=True
    )
    max_employees = models.PositiveIntegerField(
        _("companies: at most employees"), null=True, blank=True
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    review_deadline = models.DateTimeField(_("reviews due by"))
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3
    )
    reviewer_max_load = models.PositiveSmallIntegerField(
        _("most applications per reviewer"), default=8
    )
    conflict_years = models.PositiveSmallIntegerField(
        _("conflict window (years)"),
        default=3,
        help_text=_("Past organisations and co-authorships within this many years conflict."),
    )
    score_min = models.SmallIntegerField(_("lowest score"), default=1)
    score_max = models.SmallIntegerField(_("highest score"), default=5)
    disagreement_points = models.PositiveSmallIntegerField(
        _("disagreement flag (points of 100)"),
        default=25,
        help_text=_("Reviews of one application further apart than this are flagged."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    decisions_published_at = models.DateTimeField(
        _("decisions published at"), null=True, blank=True
    )
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "decided"]), name="call_status_valid"
            ),
            models.CheckConstraint(condition=Q(total_budget__gt=0), name="call_budget_positive"),
            models.CheckConstraint(
                condition=Q(max_award__gt=0) & Q(max_award__lte=models.F("total_budget")),
                name="call_max_award_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(review_deadline__gt=models.F("closes_at")),
                name="call_reviews_due_after_closing",
            ),
            models.CheckConstraint(
                condition=Q(score_max__gt=models.F("score_min")), name="call_score_scale"
            ),
            models.CheckConstraint(
                condition=Q(reviewers_per_application__gte=1, reviewers_per_application__lte=10),
                name="call_reviewers_per_application",
            ),
            models.CheckConstraint(
                condition=Q(min_employees__isnull=True)
                | Q(max_employees__isnull=True)
                | Q(max_employees__gte=models.F("min_employees")),
                name="call_employee_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.title_ko, self.title_en)

    @property
    def description(self) -> str:
        return localized(self.description_ko, self.description_en)

    def phase_at(self, now: datetime.datetime) -> str:
        if self.status == self.Status.DRAFT:
            return self.Phase.DRAFT
        if self.status == self.Status.DECIDED:
            return self.Phase.DECIDED
        if now < self.opens_at:
            return self.Phase.UPCOMING
        if now <= self.closes_at:
            return self.Phase.OPEN
        return self.Phase.REVIEW

    @property
    def phase(self) -> str:
        return self.phase_at(timezone.now())

    def get_phase_display(self) -> str:
        return str(self.Phase(self.phase).label)

    @property
    def is_open(self) -> bool:
        return self.phase == self.Phase.OPEN

    @property
    def eligible_kind_labels(self) -> list[str]:
        labels = dict(Organisation.Kind.choices)
        return [str(labels.get(kind, kind)) for kind in self.eligible_kinds]

    @property
    def score_range(self) -> range:
        return range(self.score_min, self.score_max + 1)

    def get_absolute_url(self) -> str:
        return reverse("programs:call_detail", args=[self.slug])


class FieldKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("short text")
    LONG_TEXT = "long_text", _("long text")
    NUMBER = "number", _("number")
    AMOUNT = "amount", _("amount (KRW)")
    CHOICE = "choice", _("choice")
    DATE = "date", _("date")
    FILE = "file", _("file (PDF or XLSX)")


class FormField(models.Model):
    """One question of a call's application form, defined on a page (no code)."""

    Kind = FieldKind

    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)
    NUMBER_KINDS = (Kind.NUMBER, Kind.AMOUNT)

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="form_fields", verbose_name=_("call")
    )
    key = models.SlugField(_("key"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label_ko = models.CharField(_("question (Korean)"), max_length=300)
    label_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    help_ko = models.CharField(_("help (Korean)"), max_length=500, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    max_length = models.PositiveIntegerField(_("most characters"), null=True, blank=True)
    min_value = models.DecimalField(
        _("smallest number"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest number"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    # [{"value": "c1", "ko": "...", "en": "..."}, ...] for a choice.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    max_file_megabytes = models.PositiveSmallIntegerField(_("largest file (MB)"), default=10)

    class Meta:
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        ordering = ["call", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "key"], name="form_field_key_unique_per_call"),
            models.CheckConstraint(
                condition=Q(kind__in=_values(FieldKind)), name="form_field_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_file_megabytes__gte=1, max_file_megabytes__lte=MAX_FILE_MEGABYTES),
                name="form_field_file_size_limit",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="form_field_number_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.label_ko, self.label_en)

    @property
    def help(self) -> str:
        return localized(self.help_ko, self.help_en)

    def choice_pairs(self) -> list[tuple[str, str]]:
        return [
            (str(choice["value"]), localized(choice.get("ko", ""), choice.get("en", "")))
            for choice in self.choices
        ]

    def choice_label(self, value: object) -> str:
        return dict(self.choice_pairs()).get(str(value), str(value))


class Criterion(models.Model):
    """One criterion of a call's review rubric, with its weight; every criterion is scored
    on the call's scale (``score_min`` to ``score_max``)."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_ko = models.CharField(_("criterion (Korean)"), max_length=200)
    name_en = models.CharField(_("criterion (English)"), max_length=200, blank=True)
    description_ko = models.TextField(_("what reviewers look for (Korean)"), blank=True)
    description_en = models.TextField(_("what reviewers look for (English)"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        ordering = ["call", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_ko, self.name_en)

    @property
    def description(self) -> str:
        return localized(self.description_ko, self.description_en)


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    WITHDRAWN = "withdrawn", _("withdrawn")
    ELIGIBLE = "eligible", _("eligible: in review")
    INELIGIBLE = "ineligible", _("not eligible")
    SELECTED = "selected", _("selected")
    NOT_SELECTED = "not_selected", _("not selected")


class Application(TimeStampedModel):
    """An organisation's application to a call: a draft, then frozen once submitted."""

    Status = ApplicationStatus

    # Statuses of an application that was submitted (and not withdrawn).
    SUBMITTED_STATUSES = (
        Status.SUBMITTED,
        Status.ELIGIBLE,
        Status.INELIGIBLE,
        Status.SELECTED,
        Status.NOT_SELECTED,
    )

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="applications", verbose_name=_("call")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    title = models.CharField(_("project title"), max_length=300, blank=True)
    requested_amount = models.BigIntegerField(_("amount requested (KRW)"), null=True, blank=True)
    area = models.ForeignKey(
        TaxonomyTerm,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # The applicant's language: decisions are written to them in it.
    language = models.CharField(_("language"), max_length=8, default="ko")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    receipt_number = models.CharField(
        _("receipt number"), max_length=40, null=True, blank=True, unique=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # The automatic eligibility checks as they stood at submission.
    eligibility = models.JSONField(_("eligibility checks"), default=list, blank=True)
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screened by"),
    )
    screening_reason = models.TextField(_("screening reason"), blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "receipt_number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=_values(ApplicationStatus)), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True) | Q(requested_amount__gt=0),
                name="application_amount_positive",
            ),
            # A submitted application always has its receipt.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"])
                | (Q(receipt_number__isnull=False) & Q(submitted_at__isnull=False)),
                name="submitted_application_has_receipt",
            ),
            # One live application per organisation and call.
            models.UniqueConstraint(
                fields=["call", "organisation"],
                condition=~Q(status="withdrawn"),
                name="one_application_per_organisation_and_call",
            ),
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return self.receipt_number or self.title or f"#{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def was_submitted(self) -> bool:
        return self.status in self.SUBMITTED_STATUSES

    def get_absolute_url(self) -> str:
        return reverse("programs:application_detail", args=[self.pk])


class ApplicationPartner(models.Model):
    """A partner organisation (a university, typically) or an expert named on an application."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name=_("application"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("expert"),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["application", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(person__isnull=True))
                | (Q(organisation__isnull=True) & Q(person__isnull=False)),
                name="partner_is_one_party",
            ),
            models.UniqueConstraint(
                fields=["application", "organisation"],
                condition=Q(organisation__isnull=False),
                name="partner_organisation_once",
            ),
            models.UniqueConstraint(
                fields=["application", "person"],
                condition=Q(person__isnull=False),
                name="partner_person_once",
            ),
        ]

    def __str__(self) -> str:
        party = self.organisation or self.person
        return str(party)


class ApplicationFile(models.Model):
    """The file answering one file question of an application (PDF or XLSX)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="files", verbose_name=_("application")
    )
    field_key = models.SlugField(_("question"), max_length=40)
    file = models.FileField(_("file"), upload_to="programs/applications/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    file_type = models.CharField(_("type"), max_length=8)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application file")
        verbose_name_plural = _("application files")
        ordering = ["application", "field_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "field_key"], name="one_file_per_question"
            ),
            models.CheckConstraint(
                condition=Q(file_type__in=list(FILE_TYPES)), name="application_file_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class ApplicationVector(models.Model):
    """The embedding and the analysed terms of a submitted application's text, computed once
    when it is submitted, so that the reviewer assignment neither embeds nor analyses a
    thousand texts at once."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="vector", verbose_name=_("application")
    )
    model = models.CharField(_("model"), max_length=120)
    text_hash = models.CharField(_("text hash"), max_length=64)
    vector = models.BinaryField(_("vector"))
    # [[term, word], ...] as the engine's analyser reads the text (TextAnalyzer).
    terms = models.JSONField(_("terms"), default=list, blank=True)

    class Meta:
        verbose_name = _("application embedding")
        verbose_name_plural = _("application embeddings")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.model}"


class ReviewerProfile(TimeStampedModel):
    """An expert who reviews applications: the evidence of their expertise and their load."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="reviewer_profile", verbose_name=_("expert")
    )
    opted_in = models.BooleanField(_("available as a reviewer"), default=False)
    max_load = models.PositiveSmallIntegerField(
        _("most applications per call"),
        default=6,
        help_text=_("The call's own limit applies when it is lower."),
    )
    evidence_since_year = models.PositiveSmallIntegerField(
        _("publications since (year)"),
        null=True,
        blank=True,
        help_text=_("Older publications do not count as evidence. Leave empty for all."),
    )
    evidence = models.ManyToManyField(
        Publication,
        blank=True,
        related_name="+",
        verbose_name=_("publications that show my expertise"),
        help_text=_("None chosen: all of them count."),
    )

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["person__name_ko"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_load__gte=1, max_load__lte=50), name="reviewer_max_load_range"
            ),
            models.CheckConstraint(
                condition=Q(evidence_since_year__isnull=True)
                | Q(evidence_since_year__gte=1950, evidence_since_year__lte=2100),
                name="reviewer_evidence_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class PastAffiliation(models.Model):
    """An organisation a reviewer belonged to until a year (the directory keeps only today's)."""

    reviewer = models.ForeignKey(
        ReviewerProfile,
        on_delete=models.CASCADE,
        related_name="past_affiliations",
        verbose_name=_("reviewer"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    until_year = models.PositiveSmallIntegerField(_("until (year)"))

    class Meta:
        verbose_name = _("past affiliation")
        verbose_name_plural = _("past affiliations")
        ordering = ["reviewer", "-until_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "organisation"], name="past_affiliation_once"
            ),
            models.CheckConstraint(
                condition=Q(until_year__gte=1950, until_year__lte=2100),
                name="past_affiliation_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} (–{self.until_year})"


class ConflictReason(models.TextChoices):
    SAME_ORGANISATION = "same_organisation", _("same organisation")
    PAST_ORGANISATION = "past_organisation", _("former organisation")
    COAUTHOR = "coauthor", _("co-author")
    JOINT_PROJECT = "joint_project", _("joint project")
    ACCEPTED_MATCH = "accepted_match", _("accepted match")
    PARTNER = "partner", _("partner on the application")
    DECLARED = "declared", _("declared by the reviewer")
    OPERATOR = "operator", _("added by the cluster office")


class Conflict(TimeStampedModel):
    """A reason a reviewer must not review an application. Active until an operator lifts it."""

    Reason = ConflictReason

    DETECTED_REASONS = (
        Reason.SAME_ORGANISATION,
        Reason.PAST_ORGANISATION,
        Reason.COAUTHOR,
        Reason.JOINT_PROJECT,
        Reason.ACCEPTED_MATCH,
        Reason.PARTNER,
    )

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=_("application"),
    )
    reviewer = models.ForeignKey(
        ReviewerProfile,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=_("reviewer"),
    )
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    # What was found (names, titles, years): put in words by ``description``.
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_reason = models.TextField(_("why it was lifted"), blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["application", "reviewer", "reason"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "reason"], name="one_conflict_per_reason"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=_values(ConflictReason)), name="conflict_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | ~Q(lift_reason=""),
                name="lifted_conflict_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "lifted_at"])]

    def __str__(self) -> str:
        return f"{self.reviewer} × {self.application}: {self.get_reason_display()}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

    @property
    def description(self) -> str:
        """What the conflict is, in the reader's language."""
        facts = _Facts(self.facts or {})
        for name in ("organisation", "person"):
            if isinstance(facts.get(name), str):
                facts[name] = localized(facts[name], facts.get(f"{name}_en") or "")
        reason = self.reason
        if reason == ConflictReason.SAME_ORGANISATION:
            text = gettext("Works at the applicant, %(organisation)s.") % facts
        elif reason == ConflictReason.PAST_ORGANISATION:
            text = gettext("Worked at the applicant, %(organisation)s, until %(year)s.") % facts
        elif reason == ConflictReason.PARTNER and facts.get("person"):
            text = gettext("Named as a partner expert on the application.")
        elif reason == ConflictReason.PARTNER:
            text = gettext("Belongs to %(organisation)s, a partner on the application.") % facts
        elif reason == ConflictReason.COAUTHOR:
            text = gettext("Co-author of %(person)s on “%(title)s” (%(year)s).") % facts
        elif reason == ConflictReason.ACCEPTED_MATCH:
            text = (
                gettext("Accepted a contact request from %(organisation)s on the platform.") % facts
            )
        elif reason == ConflictReason.JOINT_PROJECT:
            text = gettext("Works with %(organisation)s on the joint project “%(title)s”.") % facts
        else:
            text = str(self.get_reason_display())
        return f"{text} {self.note}".strip() if self.note else text


class BidKind(models.TextChoices):
    EAGER = "eager", _("eager")
    WILLING = "willing", _("willing")
    NOT_WILLING = "not_willing", _("not willing")


class Bid(TimeStampedModel):
    """A reviewer's wish about an application they see by title."""

    Kind = BidKind

    reviewer = models.ForeignKey(
        ReviewerProfile, on_delete=models.CASCADE, related_name="bids", verbose_name=_("reviewer")
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="bids", verbose_name=_("application")
    )
    kind = models.CharField(_("bid"), max_length=16, choices=Kind.choices)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "application"], name="one_bid_per_pair"),
            models.CheckConstraint(condition=Q(kind__in=_values(BidKind)), name="bid_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}: {self.kind}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    INFEASIBLE = "infeasible", _("no assignment possible")
    FAILED = "failed", _("failed")


class RunObjective(models.TextChoices):
    TOTAL = "total", _("best total fit")
    FAIR = "fair", _("fairest: the worst-served application first")


class AssignmentRun(models.Model):
    """One background computation of a call's reviewer assignment, polled by its page."""

    Status = RunStatus

    Objective = RunObjective

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="assignment_runs", verbose_name=_("call")
    )
    objective = models.CharField(
        _("objective"), max_length=8, choices=Objective.choices, default=Objective.TOTAL
    )
    alternates = models.PositiveSmallIntegerField(_("alternates per application"), default=3)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # Why no assignment exists, as facts the page puts in words (see infeasibility.py).
    problems = models.JSONField(_("problems"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    invitations_sent_at = models.DateTimeField(_("invitations sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=_values(RunStatus)), name="assignment_run_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(objective__in=_values(RunObjective)), name="assignment_run_objective"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="assignment_run_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.call_id}: {self.status} {self.progress}%"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.INFEASIBLE, self.Status.FAILED)


class ProposedRole(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    ALTERNATE = "alternate", _("alternate")


class ProposedReviewer(models.Model):
    """One pair of an assignment proposal: assigned, or a ranked alternate for the application."""

    Role = ProposedRole

    run = models.ForeignKey(
        AssignmentRun, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("run")
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        ReviewerProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("reviewer")
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    score = models.FloatField(_("score"))
    affinity = models.FloatField(_("fit"))
    bid = models.CharField(_("bid"), max_length=16, blank=True)
    # Why the engine finds them a fit: the best evidence and the shared terms.
    reason = models.JSONField(_("reason"), default=dict, blank=True)
    swapped_in = models.BooleanField(_("swapped in by the operator"), default=False)

    class Meta:
        verbose_name = _("proposed reviewer")
        verbose_name_plural = _("proposed reviewers")
        ordering = ["run", "application", "role", "rank", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "application", "reviewer"], name="proposed_pair_once"
            ),
            models.CheckConstraint(
                condition=Q(role__in=_values(ProposedRole)), name="proposed_reviewer_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["run", "reviewer", "role"])]

    def __str__(self) -> str:
        return f"{self.application_id} ← {self.reviewer_id} ({self.role})"


class AssignmentStatus(models.TextChoices):
    INVITED = "invited", _("invited")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class ReviewAssignment(TimeStampedModel):
    """An invitation to review one application, and the reviewer's answer."""

    Status = AssignmentStatus

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("application"),
    )
    reviewer = models.ForeignKey(
        ReviewerProfile,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("reviewer"),
    )
    run = models.ForeignKey(
        AssignmentRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from run"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.INVITED
    )
    due_at = models.DateTimeField(_("review due by"))
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaces"),
    )

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_assignment_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(status__in=_values(AssignmentStatus)),
                name="review_assignment_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "status"])]

    def __str__(self) -> str:
        return f"{self.application} ← {self.reviewer} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.DECLINED

    def get_absolute_url(self) -> str:
        return reverse("programs:review_form", args=[self.pk])


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class Review(TimeStampedModel):
    """A reviewer's scores (one per criterion), overall score and comments."""

    Status = ReviewStatus

    assignment = models.OneToOneField(
        ReviewAssignment,
        on_delete=models.CASCADE,
        related_name="review",
        verbose_name=_("assignment"),
    )
    # {criterion id: score on the call's scale}
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    # The rubric's weighted score on a 0–100 scale.
    total = models.FloatField(_("overall score (of 100)"), null=True, blank=True)
    comment_to_applicant = models.TextField(_("comment to the applicant"), blank=True)
    comment_to_committee = models.TextField(_("comment to the committee"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assignment"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=_values(ReviewStatus)), name="review_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=0, total__lte=100),
                name="review_total_of_100",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(total__isnull=False) & Q(submitted_at__isnull=False)),
                name="submitted_review_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.total}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class DecisionOutcome(models.TextChoices):
    SELECTED = "selected", _("selected")
    NOT_SELECTED = "not_selected", _("not selected")


class Decision(TimeStampedModel):
    """The operator's decision on an application: selected with an amount, or not selected."""

    Outcome = DecisionOutcome

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="decision",
        verbose_name=_("application"),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    amount = models.BigIntegerField(_("amount awarded (KRW)"), default=0)
    note = models.TextField(_("message to the applicant"), blank=True)
    basis = models.CharField(_("basis"), max_length=40, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["application"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=_values(DecisionOutcome)), name="decision_outcome_valid"
            ),
            models.CheckConstraint(
                condition=(Q(outcome="selected") & Q(amount__gt=0))
                | (Q(outcome="not_selected") & Q(amount=0)),
                name="decision_amount_matches_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.outcome}"

    @property
    def is_selected(self) -> bool:
        return self.outcome == self.Outcome.SELECTED


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("under way")
    COMPLETED = "completed", _("completed")


class Award(TimeStampedModel):
    """A selected application followed through to its results."""

    Status = AwardStatus

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="award", verbose_name=_("application")
    )
    amount = models.BigIntegerField(_("amount (KRW)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["application"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="award_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=_values(AwardStatus)), name="award_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("programs:application_detail", args=[self.application_id])


class Milestone(models.Model):
    award = models.ForeignKey(
        Award, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("award")
    )
    title = models.CharField(_("milestone"), max_length=300)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["award", "due_on", "id"]

    def __str__(self) -> str:
        return self.title

    def is_late_on(self, today: datetime.date) -> bool:
        return self.done_on is None and self.due_on < today


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("interim report")
    FINAL = "final", _("final report")


class AwardReport(models.Model):
    """A report the award holder owes by a date (interim or final), and what they sent."""

    Kind = ReportKind

    award = models.ForeignKey(
        Award, on_delete=models.CASCADE, related_name="reports", verbose_name=_("award")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(
        _("report file"), upload_to="programs/reports/%Y/%m/", blank=True, max_length=300
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        verbose_name = _("award report")
        verbose_name_plural = _("award reports")
        ordering = ["award", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=_values(ReportKind)), name="award_report_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(summary=""),
                name="submitted_report_has_summary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award}: {self.kind} {self.due_on}"

    def is_late_on(self, today: datetime.date) -> bool:
        return self.submitted_at is None and self.due_on < today

"""The cluster's directory: taxonomy, organisations, people and their work, agreements.

Text that the public reads is kept in Korean and English side by side
(``name_ko``/``name_en``); the ``name``-style properties pick the active language.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.i18n import localized
from sangsaeng.core.limits import MEDIUM_TEXT, BoundedTextField
from sangsaeng.core.models import TimeStampedModel


class TaxonomyTerm(models.Model):
    """A capability in the cluster's hierarchical taxonomy (loaded from a data file)."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_ko = BoundedTextField(_("description (Korean)"), blank=True)
    description_en = BoundedTextField(_("description (English)"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_ko, self.name_en)

    @property
    def description(self) -> str:
        return localized(self.description_ko, self.description_en)


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        COMPANY = "company", _("company")
        UNIVERSITY = "university", _("university")
        RESEARCH_INSTITUTE = "research_institute", _("research institute")
        GOVERNMENT = "government", _("government")
        SUPPORT_AGENCY = "support_agency", _("support agency")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_ko = BoundedTextField(_("description (Korean)"), blank=True)
    description_en = BoundedTextField(_("description (English)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    established_year = models.PositiveIntegerField(_("year established"), null=True, blank=True)
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    tags = models.ManyToManyField(
        TaxonomyTerm, blank=True, related_name="organisations", verbose_name=_("capabilities")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    is_fictional = models.BooleanField(
        _("fictional (demo data)"), default=False, help_text=_("Generated demo record.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The cluster office's decision on the registration, told to the registrant.
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_ko"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "company",
                        "university",
                        "research_institute",
                        "government",
                        "support_agency",
                    ]
                ),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="organisation_status_valid",
            ),
            # A rejection always says why: the registrant is told.
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="organisation_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_ko, self.name_en)

    @property
    def description(self) -> str:
        return localized(self.description_ko, self.description_en)

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation_detail", args=[self.slug])


class Person(TimeStampedModel):
    """An expert (researcher, engineer) or a student, with or without a user account."""

    class Kind(models.TextChoices):
        EXPERT = "expert", _("expert")
        STUDENT = "student", _("student")

    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.EXPERT)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position_ko = models.CharField(_("position (Korean)"), max_length=200, blank=True)
    position_en = models.CharField(_("position (English)"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    profile_text = BoundedTextField(
        _("profile"), blank=True, help_text=_("What you work on, in Korean or English.")
    )
    expertise_keywords = models.JSONField(
        _("expertise keywords"), default=list, blank=True, help_text=_("For example: RISC-V, NPU")
    )
    tags = models.ManyToManyField(
        TaxonomyTerm, blank=True, related_name="people", verbose_name=_("capabilities")
    )
    is_public = models.BooleanField(
        _("listed in the public directory"),
        default=True,
        help_text=_(
            "Experts only: a student's profile is never listed; students share it with "
            "companies by consent on the talent pages."
        ),
    )
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)
    # Student fields (empty for experts).
    study_program = models.CharField(_("study program"), max_length=200, blank=True)
    graduation_year = models.PositiveIntegerField(_("graduation year"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_ko"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["expert", "student"]), name="person_kind_valid"
            )
        ]
        indexes = [models.Index(fields=["kind", "is_public"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_ko, self.name_en)

    @property
    def position(self) -> str:
        return localized(self.position_ko, self.position_en)

    def get_absolute_url(self) -> str:
        return reverse("directory:person_detail", args=[self.slug])


class Publication(models.Model):
    """A paper, patent or project on an expert's profile: the engine reads these."""

    class Kind(models.TextChoices):
        PAPER = "paper", _("paper")
        PATENT = "patent", _("patent")
        PROJECT = "project", _("project")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="publications", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PAPER)
    title = models.CharField(_("title"), max_length=500)
    abstract = BoundedTextField(_("abstract"), max_length=MEDIUM_TEXT, blank=True)
    year = models.PositiveIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    link = models.URLField(_("link"), blank=True, max_length=500)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["order", "-year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1900, year__lte=2100),
                name="publication_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["paper", "patent", "project"]),
                name="publication_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Agreement(TimeStampedModel):
    """An agreement (MOU) between organisations of the cluster, with its commitments."""

    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_ko = BoundedTextField(_("summary (Korean)"), blank=True)
    summary_en = BoundedTextField(_("summary (English)"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    parties = models.ManyToManyField(
        Organisation, related_name="agreements", verbose_name=_("parties")
    )
    is_public = models.BooleanField(_("public"), default=True)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)
    source_ko = models.CharField(
        _("source (Korean)"), max_length=300, blank=True, help_text=_("Where the facts come from.")
    )
    source_en = models.CharField(
        _("source (English)"), max_length=300, blank=True, help_text=_("Where the facts come from.")
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "slug"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.title_ko, self.title_en)

    @property
    def summary(self) -> str:
        return localized(self.summary_ko, self.summary_en)

    @property
    def source(self) -> str:
        return localized(self.source_ko, self.source_en)

    def get_absolute_url(self) -> str:
        return reverse("directory:agreement_detail", args=[self.slug])


class Commitment(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("agreement")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_ko = BoundedTextField(_("description (Korean)"), blank=True)
    description_en = BoundedTextField(_("description (English)"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_commitments",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["agreement", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done"]),
                name="commitment_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.title_ko, self.title_en)

    @property
    def description(self) -> str:
        return localized(self.description_ko, self.description_en)


class Indicator(models.Model):
    """A figure that shows a commitment's progress, e.g. "students trained"."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("commitment"),
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    # A unit belongs to one language (명, 건); English often needs none ("Students trained").
    unit_ko = models.CharField(_("unit (Korean)"), max_length=40, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=40, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    value = models.DecimalField(_("current value"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["commitment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0), name="indicator_target_nonneg"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_ko, self.name_en)

    @property
    def unit(self) -> str:
        """The unit in the page's language only: a Korean counter never stands in English."""
        return self.unit_en if (get_language() or "ko").startswith("en") else self.unit_ko

    @property
    def progress_percent(self) -> int | None:
        if not self.target:
            return None
        return max(0, min(100, int(self.value * 100 / self.target)))


class CommitmentUpdate(models.Model):
    """A dated progress report on a commitment."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="updates", verbose_name=_("commitment")
    )
    reported_on = models.DateField(_("date"))
    note_ko = models.TextField(_("progress note (Korean)"), blank=True)
    note_en = models.TextField(_("progress note (English)"), blank=True)
    status = models.CharField(
        _("status after this update"), max_length=16, choices=Commitment.Status.choices
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(note_ko="") | ~Q(note_en=""), name="progress_update_has_note"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.reported_on}"

    @property
    def note(self) -> str:
        return localized(self.note_ko, self.note_en)

    @property
    def note_language(self) -> str:
        """The language ``note`` is in (it falls back to the other one when one is empty)."""
        return "en" if self.note == self.note_en and self.note_en else "ko"


class ProfileClaim(models.Model):
    """An invitation, sent by e-mail, to claim an expert profile that has no account.

    A contact request to such an expert sends one: the link carries a secret token (only
    its hash is stored) and expires; claiming attaches the profile to the claimant's
    account, who then answers the requests waiting for them.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="claims", verbose_name=_("profile")
    )
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent because of"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("claimed by"),
    )

    class Meta:
        verbose_name = _("profile claim")
        verbose_name_plural = _("profile claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="profile_claim_expires_after_sent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)

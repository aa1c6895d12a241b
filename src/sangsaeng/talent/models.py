"""Talent: courses and their certificates, students' profiles and consents, openings, and
placement rounds that end in stable matches.

- A :class:`Course` is published by an organisation; students :class:`Enrolment` in it (on a
  waiting list when it is full); the provider marks completion, which issues a
  :class:`Certificate` with a verification code anyone can check.
- A :class:`StudentProfile` belongs to a directory person of kind student. Each consent a
  student gives or withdraws is a :class:`ConsentRecord` (what, which version, when).
- An :class:`Opening` is an internship or junior position a company posts.
- A :class:`PlacementRound` runs like residency matching: :class:`RoundParticipant` students
  rank openings (:class:`StudentChoice`), companies rank their applicants
  (:class:`CompanyRanking`), a :class:`MatchRun` computes the match in the background and
  leaves a :class:`MatchResult` per student (the offer, accepted or declined); an accepted
  offer, or a placement recorded by an operator, is a :class:`Placement`.

Students' records point at the directory's person with ``SET_NULL`` where the record must
outlive a deleted profile as an anonymous count (enrolments, certificates, results,
placements), and with ``CASCADE`` where it is nothing without the student (rankings).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sangsaeng.core.i18n import localized
from sangsaeng.core.models import TimeStampedModel
from sangsaeng.directory.models import Organisation, Person, TaxonomyTerm

MAX_CV_BYTES = 5 * 1024 * 1024
# The most openings any round may let a student rank (a round chooses its own N up to this).
MAX_CHOICES_LIMIT = 20


class Course(TimeStampedModel):
    """A course or training programme an organisation of the cluster runs."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("online")
        ON_SITE = "on_site", _("on site")
        BLENDED = "blended", _("online and on site")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("open for enrolment")
        CLOSED = "closed", _("closed for enrolment")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="courses", verbose_name=_("provider")
    )
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    tags = models.ManyToManyField(
        TaxonomyTerm, blank=True, related_name="courses", verbose_name=_("areas")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    schedule_ko = models.CharField(_("schedule (Korean)"), max_length=300, blank=True)
    schedule_en = models.CharField(_("schedule (English)"), max_length=300, blank=True)
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    waitlist_limit = models.PositiveIntegerField(
        _("waiting list places"),
        default=20,
        help_text=_("How many may wait for a place when the course is full (0: no waiting list)."),
    )
    eligibility_ko = models.TextField(_("who may enrol (Korean)"), blank=True)
    eligibility_en = models.TextField(_("who may enrol (English)"), blank=True)
    mode = models.CharField(_("format"), max_length=16, choices=Mode.choices, default=Mode.ON_SITE)
    location = models.CharField(_("place"), max_length=300, blank=True)
    enrol_until = models.DateField(_("enrolment closes on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PUBLISHED
    )
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="course_has_places"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="course_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=["online", "on_site", "blended"]), name="course_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "closed"]),
                name="course_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.title_ko, self.title_en)

    @property
    def description(self) -> str:
        return localized(self.description_ko, self.description_en)

    @property
    def schedule(self) -> str:
        return localized(self.schedule_ko, self.schedule_en)

    @property
    def eligibility(self) -> str:
        return localized(self.eligibility_ko, self.eligibility_en)

    def get_absolute_url(self) -> str:
        return reverse("talent:course_detail", args=[self.pk])


class Enrolment(TimeStampedModel):
    """A student's place in a course: enrolled, waiting, completed or withdrawn."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        WAITLISTED = "waitlisted", _("on the waiting list")
        COMPLETED = "completed", _("completed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    ACTIVE = (Status.ENROLLED, Status.WAITLISTED, Status.COMPLETED)

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course")
    )
    # Null once the student deleted their profile: the enrolment stays as an anonymous count.
    student = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("student"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ENROLLED
    )
    # The waiting list is served first come, first served.
    waitlisted_at = models.DateTimeField(_("joined the waiting list at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completion marked by"),
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["enrolled", "waitlisted", "completed", "withdrawn"]),
                name="enrolment_status_valid",
            ),
            # Enrolling twice is refused by the database too (a withdrawn place may be retaken).
            models.UniqueConstraint(
                fields=["course", "student"],
                condition=Q(status__in=["enrolled", "waitlisted", "completed"]),
                name="one_active_enrolment_per_student",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="completed_enrolment_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="waitlisted_enrolment_has_time",
            ),
        ]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.student_id} ({self.status})"


def new_certificate_code() -> str:
    """A code people can read out and type: 12 characters without look-alikes (60 bits)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Certificate(models.Model):
    """A completion certificate; it keeps what it certified as it was on the day it was issued."""

    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="certificate",
        verbose_name=_("enrolment"),
    )
    code = models.CharField(
        _("verification code"), max_length=20, unique=True, default=new_certificate_code
    )
    holder_name_ko = models.CharField(_("holder (Korean)"), max_length=200, blank=True)
    holder_name_en = models.CharField(_("holder (English)"), max_length=200, blank=True)
    course_title_ko = models.CharField(_("course (Korean)"), max_length=300)
    course_title_en = models.CharField(_("course (English)"), max_length=300, blank=True)
    provider_name_ko = models.CharField(_("provider (Korean)"), max_length=200)
    provider_name_en = models.CharField(_("provider (English)"), max_length=200, blank=True)
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            # A withdrawn certificate keeps no name (its holder deleted their profile).
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(holder_name_ko="", holder_name_en=""),
                name="withdrawn_certificate_has_no_name",
            )
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("talent:certificate_verify") + f"?code={self.code}"

    @property
    def course_title(self) -> str:
        return localized(self.course_title_ko, self.course_title_en)

    @property
    def provider_name(self) -> str:
        return localized(self.provider_name_ko, self.provider_name_en)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class StudentProfile(TimeStampedModel):
    """What a student shows of themselves to course providers and, with consent, to companies.

    Skills come from the taxonomy; completed courses are read from enrolments (verified by
    their provider). Companies see a profile only while the student's consent to it stands
    (:class:`ConsentRecord`), or for the openings the student ranked.
    """

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="talent_profile", verbose_name=_("student")
    )
    skills = models.ManyToManyField(
        TaxonomyTerm, blank=True, related_name="student_profiles", verbose_name=_("skills")
    )
    about = models.TextField(
        _("about me"),
        blank=True,
        help_text=_("What you have worked on and want to learn, in Korean or English."),
    )
    cv = models.FileField(_("CV"), upload_to="talent/cv/%Y/", blank=True, max_length=300)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)

    class Meta:
        verbose_name = _("student profile")
        verbose_name_plural = _("student profiles")
        ordering = ["person__name_ko"]
        constraints = [
            models.CheckConstraint(
                condition=Q(available_until__isnull=True)
                | Q(available_from__isnull=True)
                | Q(available_until__gte=F("available_from")),
                name="availability_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__lte=80),
                name="hours_per_week_plausible",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def get_absolute_url(self) -> str:
        return reverse("talent:student_detail", args=[self.pk])


class ConsentRecord(models.Model):
    """One consent a user gave, with the version of the text they agreed to, and its end.

    A consent is withdrawn by setting ``withdrawn_at``; the record stays, so the platform can
    show what was agreed when (Korea's Personal Information Protection Act).
    """

    class Purpose(models.TextChoices):
        PROFILE = "talent_profile", _("keeping a student profile for courses and placement")
        COMPANIES = "talent_companies", _("companies with openings may see my profile")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="talent_consents",
        verbose_name=_("user"),
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    version = models.CharField(_("version of the text"), max_length=20)
    granted_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=["talent_profile", "talent_companies"]),
                name="consent_purpose_valid",
            ),
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_standing_consent_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("granted_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.purpose} v{self.version}"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None


class Opening(TimeStampedModel):
    """An internship or junior position a company of the cluster posts."""

    class Kind(models.TextChoices):
        INTERNSHIP = "internship", _("internship")
        JUNIOR = "junior", _("junior position")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("opening status", "open")
        CLOSED = "closed", pgettext_lazy("opening status", "closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="openings", verbose_name=_("company")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    tags = models.ManyToManyField(
        TaxonomyTerm, blank=True, related_name="openings", verbose_name=_("skills")
    )
    positions = models.PositiveIntegerField(_("positions"))
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True
    )
    stipend_krw = models.PositiveIntegerField(
        _("monthly stipend or salary (KRW)"), null=True, blank=True
    )
    location = models.CharField(_("location"), max_length=300, blank=True)
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    class Meta:
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(positions__gte=1), name="opening_has_positions"),
            models.CheckConstraint(
                condition=Q(kind__in=["internship", "junior"]), name="opening_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="opening_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_months__isnull=True) | Q(duration_months__gte=1),
                name="opening_duration_positive",
            ),
        ]
        indexes = [models.Index(fields=["status", "organisation"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.title_ko, self.title_en)

    @property
    def description(self) -> str:
        return localized(self.description_ko, self.description_en)

    def get_absolute_url(self) -> str:
        return reverse("talent:opening_detail", args=[self.pk])


class PlacementRound(TimeStampedModel):
    """A placement round: openings, deadlines, and where the round stands.

    ``draft`` → ``open`` (phase 1: students and companies rank) → ``matched`` (results and
    offers out) → ``open`` again for phase 2 (unplaced students rank the openings still
    open) → ``matched`` → ``closed``. Personal data of a closed round is removed after the
    retention period (``personal_data_removed_at``).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("in preparation")
        OPEN = "open", _("ranking")
        MATCHED = "matched", _("results out")
        CLOSED = "closed", _("finished")

    class Method(models.TextChoices):
        STABLE = "stable", _("stable (student-proposing deferred acceptance)")
        OPTIMAL = "optimal", _("most placed, then best total rank")

    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    openings = models.ManyToManyField(
        Opening, blank=True, related_name="rounds", verbose_name=_("openings")
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="placement_rounds",
        verbose_name=_("universities taking part"),
        help_text=_("Students of these organisations may join; none chosen: any student."),
    )
    max_choices = models.PositiveSmallIntegerField(_("openings a student may rank"), default=10)
    students_deadline = models.DateTimeField(_("students rank until"))
    companies_deadline = models.DateTimeField(_("companies rank until"))
    offers_deadline = models.DateTimeField(_("offers answered by"), null=True, blank=True)
    method = models.CharField(
        _("matching method"), max_length=16, choices=Method.choices, default=Method.STABLE
    )
    seed = models.PositiveIntegerField(_("lottery seed"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    phase = models.PositiveSmallIntegerField(_("phase"), default=1)
    closed_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed at"), null=True, blank=True
    )
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    class Meta:
        verbose_name = _("placement round")
        verbose_name_plural = _("placement rounds")
        ordering = ["-students_deadline", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "matched", "closed"]),
                name="round_status_valid",
            ),
            models.CheckConstraint(condition=Q(phase__in=[1, 2]), name="round_phase_valid"),
            models.CheckConstraint(
                condition=Q(max_choices__gte=1) & Q(max_choices__lte=MAX_CHOICES_LIMIT),
                name="round_max_choices_range",
            ),
            models.CheckConstraint(
                condition=Q(companies_deadline__gte=F("students_deadline")),
                name="companies_rank_after_students",
            ),
            models.CheckConstraint(
                condition=Q(method__in=["stable", "optimal"]), name="round_method_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="closed_round_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_ko, self.name_en)

    @property
    def description(self) -> str:
        return localized(self.description_ko, self.description_en)

    def get_absolute_url(self) -> str:
        return reverse("talent:round_detail", args=[self.pk])


class RoundParticipant(models.Model):
    """A student taking part in a round (joined by themselves, or added by an operator)."""

    round = models.ForeignKey(
        PlacementRound,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("round"),
    )
    student = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="round_participations",
        verbose_name=_("student"),
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("round participant")
        verbose_name_plural = _("round participants")
        ordering = ["round", "joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "student"], name="one_participation")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.student_id}"


class StudentChoice(models.Model):
    """One opening on a student's rank list for a phase of a round (1 = most wanted)."""

    round = models.ForeignKey(
        PlacementRound, on_delete=models.CASCADE, related_name="choices", verbose_name=_("round")
    )
    phase = models.PositiveSmallIntegerField(_("phase"), default=1)
    student = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="round_choices", verbose_name=_("student")
    )
    opening = models.ForeignKey(
        Opening, on_delete=models.CASCADE, related_name="choices", verbose_name=_("opening")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("student's choice")
        verbose_name_plural = _("students' choices")
        ordering = ["round", "phase", "student", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "phase", "student", "opening"], name="choice_once_per_opening"
            ),
            models.UniqueConstraint(
                fields=["round", "phase", "student", "rank"], name="choice_rank_once"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=MAX_CHOICES_LIMIT),
                name="choice_rank_range",
            ),
            models.CheckConstraint(condition=Q(phase__in=[1, 2]), name="choice_phase_valid"),
        ]
        indexes = [models.Index(fields=["round", "phase", "opening"])]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.phase}: {self.student_id} #{self.rank} {self.opening_id}"


class CompanyRanking(models.Model):
    """One applicant on a company's rank list for one of its openings in a round."""

    round = models.ForeignKey(
        PlacementRound,
        on_delete=models.CASCADE,
        related_name="company_rankings",
        verbose_name=_("round"),
    )
    phase = models.PositiveSmallIntegerField(_("phase"), default=1)
    opening = models.ForeignKey(
        Opening, on_delete=models.CASCADE, related_name="rankings", verbose_name=_("opening")
    )
    student = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="company_rankings", verbose_name=_("student")
    )
    rank = models.PositiveIntegerField(_("rank"))

    class Meta:
        verbose_name = _("company's ranking")
        verbose_name_plural = _("companies' rankings")
        ordering = ["round", "phase", "opening", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "phase", "opening", "student"], name="ranking_once_per_student"
            ),
            models.UniqueConstraint(
                fields=["round", "phase", "opening", "rank"], name="ranking_rank_once"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="ranking_rank_positive"),
            models.CheckConstraint(condition=Q(phase__in=[1, 2]), name="ranking_phase_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.phase}: {self.opening_id} #{self.rank} {self.student_id}"


class MatchRun(models.Model):
    """One background computation of a round's match, polled by the operator's page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    round = models.ForeignKey(
        PlacementRound, on_delete=models.CASCADE, related_name="runs", verbose_name=_("round")
    )
    phase = models.PositiveSmallIntegerField(_("phase"), default=1)
    method = models.CharField(_("method"), max_length=16, choices=PlacementRound.Method.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # The engine's summary: placed, unplaced, counts by choice rank, unfilled openings …
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # Positions per opening id when the run started (the second phase starts from them).
    capacities = models.JSONField(_("positions per opening"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
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

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="match_run_status_valid",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="match_run_progress"),
            # One match of a phase at a time, and one that counts once it is done.
            models.UniqueConstraint(
                fields=["round", "phase"],
                condition=Q(status__in=["queued", "running", "done"]),
                name="one_live_run_per_phase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.phase}: {self.status} {self.progress}%"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class MatchResult(models.Model):
    """What the match gave one student in one phase: an offer of an opening, or nothing."""

    class Offer(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        LAPSED = "lapsed", _("not answered in time")

    round = models.ForeignKey(
        PlacementRound, on_delete=models.CASCADE, related_name="results", verbose_name=_("round")
    )
    phase = models.PositiveSmallIntegerField(_("phase"), default=1)
    run = models.ForeignKey(
        MatchRun, on_delete=models.CASCADE, related_name="results", verbose_name=_("run")
    )
    # Null once the student's data was removed: the result stays as an anonymous count.
    student = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="match_results",
        verbose_name=_("student"),
    )
    opening = models.ForeignKey(
        Opening,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("opening"),
    )
    choice_rank = models.PositiveSmallIntegerField(_("choice"), null=True, blank=True)
    offer = models.CharField(
        pgettext_lazy("job offer", "offer"),
        max_length=16,
        choices=Offer.choices,
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("match result")
        verbose_name_plural = _("match results")
        ordering = ["round", "phase", "choice_rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "phase", "student"], name="one_result_per_student_and_phase"
            ),
            # An opening offered has an offer's state (kept if the opening goes later).
            models.CheckConstraint(
                condition=Q(opening__isnull=True) | Q(offer__isnull=False),
                name="placed_result_has_offer",
            ),
            models.CheckConstraint(
                condition=Q(offer__isnull=True)
                | Q(offer__in=["pending", "accepted", "declined", "lapsed"]),
                name="match_result_offer_valid",
            ),
            models.CheckConstraint(condition=Q(phase__in=[1, 2]), name="result_phase_valid"),
        ]
        indexes = [models.Index(fields=["round", "phase", "opening"])]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.phase}: {self.student_id} → {self.opening_id}"

    @property
    def is_placed(self) -> bool:
        return self.opening_id is not None


class Placement(TimeStampedModel):
    """A student placed with an employer: an accepted offer of a round, or recorded by an
    operator (an internship or job found outside a round, at a cluster company or not)."""

    class Source(models.TextChoices):
        ROUND = "round", _("placement round")
        RECORDED = "recorded", _("recorded by the cluster office")

    student = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("student"),
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    result = models.OneToOneField(
        MatchResult,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placement",
        verbose_name=_("match result"),
    )
    round = models.ForeignKey(
        PlacementRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("round"),
    )
    opening = models.ForeignKey(
        Opening,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("opening"),
    )
    # The employer in the directory (if it is there), and its name as it was when placed.
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("employer"),
    )
    employer_name = models.CharField(_("employer"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Opening.Kind.choices)
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=["round", "recorded"]), name="placement_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["internship", "junior"]), name="placement_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(employer_name=""), name="placement_names_employer"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} @ {self.employer_id or self.employer_name}"

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer is not None else self.employer_name

    @property
    def in_cluster(self) -> bool:
        """Placed with an approved company of the cluster."""
        employer = self.employer
        return (
            employer is not None
            and employer.kind == Organisation.Kind.COMPANY
            and employer.status == Organisation.Status.APPROVED
        )

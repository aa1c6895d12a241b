"""Shared infrastructure: the resources a cluster shares and the bookings of them.

A :class:`Resource` is listed by a provider organisation. Its ``kind`` says how its capacity
is counted:

- a licence pool has ``capacity`` concurrent seats; a booking takes ``units`` seats;
- a compute node has ``capacity`` GPUs; a booking takes ``units`` GPUs of that node;
- equipment is one unit; a booking takes it whole (on PostgreSQL an exclusion constraint
  refuses two overlapping bookings of it, see migration 0002);
- an MPW shuttle run has a total area in mm²: organisations send a :class:`ShuttleRequest`
  before its deadline, and an operator confirms an :class:`AreaAllocation` the engine proposes.

A :class:`Booking` holds its times in UTC; pages show them in Asia/Seoul. A
:class:`BookingSeries` is a recurring booking (an RFC 5545 rule); a :class:`WaitlistEntry`
waits for a full slot and is offered it, for a limited time, when it frees. A
:class:`CalendarFeed` is a secret address of an iCalendar feed.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.i18n import localized
from sangsaeng.core.models import TimeStampedModel
from sangsaeng.directory.models import Organisation


class Resource(TimeStampedModel):
    class Kind(models.TextChoices):
        LICENCE_POOL = "licence_pool", _("licence pool")
        COMPUTE_NODE = "compute_node", _("compute node")
        EQUIPMENT = "equipment", _("equipment")
        MPW_RUN = "mpw_run", _("MPW shuttle run")

    class Category(models.TextChoices):
        GPU = "gpu", _("GPU server")
        EDA_DIGITAL = "eda_digital", _("digital implementation tool")
        EDA_ANALOGUE = "eda_analogue", _("analogue simulator")
        EDA_VERIFICATION = "eda_verification", _("verification tool")
        PROBE_STATION = "probe_station", _("probe station")
        FPGA = "fpga", _("FPGA board")
        MEASUREMENT = "measurement", _("measurement instrument")
        MPW = "mpw", _("MPW shuttle")
        OTHER = "other", _("other")

    class Audience(models.TextChoices):
        CLUSTER = "cluster", _("members of the cluster (approved organisations)")
        REGISTERED = "registered", _("any registered organisation")

    provider = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="resources",
        verbose_name=_("provider"),
    )
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    category = models.CharField(
        _("category"), max_length=24, choices=Category.choices, default=Category.OTHER
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    location_ko = models.CharField(_("location (Korean)"), max_length=200, blank=True)
    location_en = models.CharField(_("location (English)"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        default=1,
        help_text=_("Seats of a licence pool, GPUs of a compute node; 1 for equipment."),
    )
    # Opening hours in Asia/Seoul. No times: open around the clock, every day.
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    open_weekdays = models.CharField(
        _("open on"),
        max_length=7,
        default="01234",
        help_text=_("Days of the week it opens: 0 is Monday, 6 is Sunday."),
    )
    audience = models.CharField(
        _("who may book"), max_length=16, choices=Audience.choices, default=Audience.CLUSTER
    )
    allowed_kinds = models.JSONField(
        _("organisation kinds that may book"),
        default=list,
        blank=True,
        help_text=_("Empty: every kind of organisation."),
    )
    needs_approval = models.BooleanField(_("bookings need the provider's approval"), default=False)
    max_booking_hours = models.PositiveIntegerField(_("longest booking (hours)"), default=24)
    lead_time_hours = models.PositiveIntegerField(
        _("lead time (hours)"),
        default=0,
        help_text=_("How long before its start a booking is made."),
    )
    cancellation_hours = models.PositiveIntegerField(
        _("cancellation notice (hours)"),
        default=0,
        help_text=_("A booking can be cancelled until this many hours before it starts."),
    )
    credits_per_unit_hour = models.DecimalField(
        _("credits per unit and hour"), default=Decimal(0), max_digits=12, decimal_places=2
    )
    monthly_quota = models.DecimalField(
        _("monthly quota per organisation (credits)"),
        null=True,
        blank=True,
        help_text=_("Empty: no quota."),
        max_digits=12,
        decimal_places=2,
    )
    # MPW shuttle runs.
    tape_out_date = models.DateField(_("tape-out date"), null=True, blank=True)
    request_deadline = models.DateTimeField(_("request deadline"), null=True, blank=True)
    total_area_mm2 = models.DecimalField(
        _("total area (mm²)"), null=True, blank=True, max_digits=9, decimal_places=3
    )
    min_block_mm2 = models.DecimalField(
        _("smallest block (mm²)"), null=True, blank=True, max_digits=9, decimal_places=3
    )
    max_block_mm2 = models.DecimalField(
        _("largest block (mm²)"), null=True, blank=True, max_digits=9, decimal_places=3
    )
    price_per_mm2 = models.DecimalField(
        _("price per mm² (KRW)"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    organisation_share = models.DecimalField(
        _("cap per organisation (share of the run)"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("0.25: one organisation's designs get at most a quarter of the run."),
    )
    is_active = models.BooleanField(_("open for bookings"), default=True)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["kind", "name_ko"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["licence_pool", "compute_node", "equipment", "mpw_run"]),
                name="resource_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["cluster", "registered"]), name="resource_audience_valid"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="resource_capacity_positive"),
            models.CheckConstraint(
                condition=~Q(kind="equipment") | Q(capacity=1), name="resource_equipment_is_one"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True, closes_at__isnull=True)
                | Q(opens_at__lt=F("closes_at")),
                name="resource_opening_hours_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="mpw_run")
                | Q(
                    total_area_mm2__gt=0,
                    min_block_mm2__gt=0,
                    max_block_mm2__gte=F("min_block_mm2"),
                    tape_out_date__isnull=False,
                    request_deadline__isnull=False,
                ),
                name="resource_mpw_run_complete",
            ),
            models.CheckConstraint(
                condition=Q(credits_per_unit_hour__gte=0), name="resource_credits_not_negative"
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

    @property
    def location(self) -> str:
        return localized(self.location_ko, self.location_en)

    @property
    def is_mpw(self) -> bool:
        return self.kind == self.Kind.MPW_RUN

    @property
    def is_unit(self) -> bool:
        """Equipment is booked whole: one booking at a time."""
        return self.kind == self.Kind.EQUIPMENT

    @property
    def always_open(self) -> bool:
        return self.opens_at is None

    @property
    def unit_label(self) -> str:
        if self.kind == self.Kind.LICENCE_POOL:
            return str(_("seats"))
        if self.kind == self.Kind.COMPUTE_NODE:
            return str(_("GPUs"))
        return str(_("unit"))

    @property
    def allowed_kind_labels(self) -> list[str]:
        """The kinds of organisation that may book, in the reader's language (not the codes)."""
        labels = dict(Organisation.Kind.choices)
        return [str(labels.get(code, code)) for code in self.allowed_kinds or []]

    def get_absolute_url(self) -> str:
        return reverse("resources:resource_detail", args=[self.slug])


class BookingSeries(models.Model):
    """A recurring booking: the rule (RFC 5545 RRULE) its bookings were made from."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="series", verbose_name=_("resource")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rule = models.CharField(_("recurrence rule"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recurring booking")
        verbose_name_plural = _("recurring bookings")

    def __str__(self) -> str:
        return f"{self.resource} {self.rule}"


class Booking(TimeStampedModel):
    class State(models.TextChoices):
        REQUESTED = "requested", _("awaiting approval")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")

    # The states that hold capacity.
    HOLDING = (State.REQUESTED, State.CONFIRMED)

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("resource")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="resource_bookings",
        verbose_name=_("organisation"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="resource_bookings",
        verbose_name=_("booked by"),
    )
    series = models.ForeignKey(
        BookingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("recurring booking"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    units = models.PositiveIntegerField(_("units"), default=1)
    # Set for equipment: the PostgreSQL exclusion constraint guards these (migration 0002).
    exclusive = models.BooleanField(default=False, editable=False)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.CONFIRMED
    )
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    credits = models.DecimalField(_("credits"), default=Decimal(0), max_digits=12, decimal_places=2)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField(_("note"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(units__gte=1), name="booking_units_positive"),
            models.CheckConstraint(
                condition=Q(state__in=["requested", "confirmed", "rejected", "cancelled"]),
                name="booking_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(exclusive=False) | Q(units=1), name="booking_exclusive_is_one_unit"
            ),
        ]
        indexes = [
            models.Index(fields=["resource", "start", "end"]),
            models.Index(fields=["organisation", "start"]),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    @property
    def is_holding(self) -> bool:
        return self.state in self.HOLDING

    def get_absolute_url(self) -> str:
        return reverse("resources:booking_detail", args=[self.pk])


class WaitlistEntry(models.Model):
    """Someone waiting for a full slot; offered it for a limited time when it frees."""

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        OFFERED = "offered", _("offered")
        ACCEPTED = "accepted", _("accepted")
        EXPIRED = "expired", _("offer expired")
        WITHDRAWN = "withdrawn", _("withdrawn")

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="waitlist", verbose_name=_("resource")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resource_waitlist",
        verbose_name=_("user"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    units = models.PositiveIntegerField(_("units"), default=1)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.WAITING
    )
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="from_waitlist"
    )
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="waitlist_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(units__gte=1), name="waitlist_units_positive"),
            models.CheckConstraint(
                condition=Q(state__in=["waiting", "offered", "accepted", "expired", "withdrawn"]),
                name="waitlist_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="offered") | Q(offer_expires_at__isnull=False),
                name="waitlist_offer_has_expiry",
            ),
        ]
        indexes = [models.Index(fields=["resource", "state", "start"])]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M} ({self.state})"


class ShuttleRequest(TimeStampedModel):
    """An organisation's request for area on an MPW shuttle run (one design)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        ALLOCATED = "allocated", _("allocated")

    run = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="shuttle_requests", verbose_name=_("run")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    design = models.CharField(_("design name"), max_length=120)
    area_mm2 = models.DecimalField(_("area requested (mm²)"), max_digits=9, decimal_places=3)
    min_block_mm2 = models.DecimalField(
        _("smallest area the design can use (mm²)"),
        null=True,
        blank=True,
        help_text=_("Empty: the whole area or nothing."),
        max_digits=9,
        decimal_places=3,
    )
    priority = models.DecimalField(
        _("priority weight"), max_digits=5, decimal_places=2, default=Decimal(1)
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SUBMITTED
    )
    granted_mm2 = models.DecimalField(
        _("area granted (mm²)"), null=True, blank=True, max_digits=9, decimal_places=3
    )
    grant_reason = models.CharField(_("why"), max_length=32, blank=True)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    class Meta:
        verbose_name = _("shuttle request")
        verbose_name_plural = _("shuttle requests")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(area_mm2__gt=0), name="shuttle_area_positive"),
            models.CheckConstraint(
                condition=Q(min_block_mm2__isnull=True) | Q(min_block_mm2__lte=F("area_mm2")),
                name="shuttle_minimum_within_area",
            ),
            models.CheckConstraint(condition=Q(priority__gt=0), name="shuttle_priority_positive"),
            models.CheckConstraint(
                condition=Q(state__in=["submitted", "withdrawn", "allocated"]),
                name="shuttle_state_valid",
            ),
            models.UniqueConstraint(
                fields=["run", "organisation", "design"],
                condition=~Q(state="withdrawn"),
                name="shuttle_one_request_per_design",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.design} ({self.area_mm2} mm²)"


class AreaAllocation(models.Model):
    """One computation of an MPW run's allocation: a proposal the operator confirms."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")
        FAILED = "failed", _("failed")

    run = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("run")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # {request id: {granted, outcome, reason, run_area_left, organisation_area_left}}
    grants = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("area allocation")
        verbose_name_plural = _("area allocations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "proposed", "confirmed", "failed"]),
                name="allocation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run}: {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.CONFIRMED, self.Status.FAILED)


def _new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A secret address of an iCalendar feed: a user's bookings, or one resource's.

    The feed shows what its user may see: their organisation's bookings in detail, others'
    as "busy" only. Resetting the token makes the old address stop working.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("user"),
    )
    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feeds",
        verbose_name=_("resource"),
    )
    token = models.CharField(max_length=64, unique=True, default=_new_feed_token, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(resource__isnull=True), name="one_personal_feed"
            ),
            models.UniqueConstraint(fields=["user", "resource"], name="one_feed_per_resource"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.resource or ''}"

    def get_absolute_url(self) -> str:
        return reverse("resources:feed", args=[self.token])

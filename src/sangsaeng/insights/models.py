"""Records of the insights app: what each directory indicator counts, and stored series.

The directory keeps agreements, commitments and their indicators (``directory.Indicator``,
a target and a current value typed by hand). Insights extends them rather than duplicating
them: an :class:`IndicatorSource` says which of the platform's own counts
(``metrics.METRICS``) an indicator follows and over which period; the background task
(``tasks.recompute``) writes the counts month by month into :class:`MetricPoint` (the
cluster's aggregates, by organisation kind and taxonomy area) and :class:`IndicatorPoint`
(one indicator's series), and keeps ``Indicator.value`` current. An indicator without a
source stays hand-kept; a hand-entered figure is an :class:`IndicatorPoint` that names who
entered it and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangsaeng.directory.models import Indicator, TaxonomyTerm


class IndicatorSource(models.Model):
    """Which platform count a directory indicator follows, over which period."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="source", verbose_name=_("indicator")
    )
    metric = models.CharField(_("computed from"), max_length=40)
    period_start = models.DateField(_("period starts on"))
    period_end = models.DateField(_("period ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked by"),
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("indicator source")
        verbose_name_plural = _("indicator sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="indicator_source_period_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.metric}"


class IndicatorPoint(models.Model):
    """One indicator's value at the end of a month, computed or entered by hand."""

    class Origin(models.TextChoices):
        COMPUTED = "computed", _("computed")
        MANUAL = "manual", _("entered by hand")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="points", verbose_name=_("indicator")
    )
    on = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "on", "origin"], name="indicator_point_unique"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=["computed", "manual"]), name="indicator_point_origin"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_point_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.on}: {self.value}"


class MetricPoint(models.Model):
    """A platform count for one month, for all (blank kind, no area) or one slice."""

    metric = models.CharField(_("metric"), max_length=40)
    month = models.DateField(_("month"))
    organisation_kind = models.CharField(_("organisation kind"), max_length=32, blank=True)
    area = models.ForeignKey(
        TaxonomyTerm,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        ordering = ["metric", "month"]
        indexes = [models.Index(fields=["metric", "organisation_kind", "area", "month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "month", "organisation_kind", "area"],
                name="metric_point_unique_area",
            ),
            models.UniqueConstraint(
                fields=["metric", "month", "organisation_kind"],
                condition=Q(area__isnull=True),
                name="metric_point_unique_all_areas",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="metric_point_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.month:%Y-%m}: {self.value}"


class RecomputeRun(models.Model):
    """One run of the background recomputation, the record its page polls."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
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
    points = models.PositiveIntegerField(_("figures written"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("recomputation")
        verbose_name_plural = _("recomputations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="recompute_run_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.status}"

"""Pages of the insights app, under /<language>/insights/."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import show_errors
from sangsaeng.core.policy import is_operator
from sangsaeng.directory.selectors import agreement_get, agreement_list
from sangsaeng.insights import charts, network, reports, selectors, services
from sangsaeng.insights.forms import (
    DashboardFilterForm,
    IndicatorLinkForm,
    NetworkFilterForm,
    ReportForm,
)
from sangsaeng.insights.metrics import METRICS

SERIES = ("applications", "bookings", "course_completions", "meetings_held", "needs_posted")


def _require_operator(request: HttpRequest) -> None:
    if not is_operator(request.user):
        raise PermissionDenied


def _area_choices() -> list[tuple[str, str]]:
    return [(term.code, term.name) for term in selectors.areas()]


def _dashboard_context(filters: selectors.Filters) -> dict[str, Any]:
    totals = selectors.metric_totals(filters)
    months, series = selectors.monthly_series(SERIES, filters)
    by_area = selectors.totals_by_area("needs_posted", filters)
    funnel = selectors.funnel(filters)
    groups: dict[str, list[dict[str, Any]]] = {}
    for key, metric in METRICS.items():
        groups.setdefault(str(metric.group), []).append(
            {"key": key, "label": metric.label, "unit": metric.unit, "value": totals[key]}
        )
    return {
        "groups": groups,
        "totals": {key: charts.shown(value) for key, value in totals.items()},
        "computed_at": selectors.last_computed_at(),
        "series_chart": charts.time_series("series", _("Activity month by month"), months, series)
        if months
        else None,
        "area_chart": charts.bars(
            "areas",
            _("Needs posted by taxonomy area"),
            [(term.name, value) for term, value in by_area],
            value_label=str(METRICS["needs_posted"].label),
            horizontal=True,
        )
        if by_area
        else None,
        "funnel_chart": charts.bars(
            "funnel",
            _("From a need to a joint project"),
            [(str(label), value) for label, value in funnel],
            value_label=_("count"),
        ),
    }


def dashboard(request: HttpRequest) -> HttpResponse:
    """The public dashboard: the cluster's aggregates and the public commitments."""
    context = _dashboard_context(selectors.Filters())
    context["progress"] = selectors.commitment_progress(request.user)
    context["is_operator"] = is_operator(request.user)
    context["agreements"] = agreement_list(request.user)
    return render(request, "insights/dashboard.html", context)


def operator_dashboard(request: HttpRequest) -> HttpResponse:
    _require_operator(request)
    form = DashboardFilterForm(request.GET or None, areas=_area_choices())
    filters = selectors.Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.Filters(
            start=data["start"],
            end=data["end"],
            organisation_kind=data["kind"] or "",
            area=selectors.area_get(data["area"]) if data["area"] else None,
        )
    context = _dashboard_context(filters)
    context.update(
        form=form,
        filters=filters,
        progress=selectors.commitment_progress(request.user),
        run=selectors.last_run(),
        export_query=request.GET.urlencode() if form.is_bound and form.is_valid() else "",
    )
    return render(request, "insights/operator.html", context)


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    _require_operator(request)
    services.recompute_request(actor=request.user)
    return redirect("insights:operator")


def run_status(request: HttpRequest) -> JsonResponse:
    _require_operator(request)
    run = selectors.last_run()
    if run is None:
        return JsonResponse({"status": None})
    return JsonResponse(
        {"status": run.status, "label": run.get_status_display(), "points": run.points}
    )


def indicator_link(request: HttpRequest, pk: int) -> HttpResponse:
    _require_operator(request)
    indicator = selectors.indicator_get(request.user, pk)
    source = getattr(indicator, "source", None)
    initial: dict[str, Any] = {"target": indicator.target}
    if source is not None:
        initial.update(
            metric=source.metric, period_start=source.period_start, period_end=source.period_end
        )
    form = IndicatorLinkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_link(actor=request.user, indicator=indicator, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("insights:operator")
    return render(request, "insights/indicator_link.html", {"form": form, "indicator": indicator})


def network_page(request: HttpRequest) -> HttpResponse:
    """The collaboration network (for the cluster office: it shows who works with whom)."""
    _require_operator(request)
    years = network.years()
    form = NetworkFilterForm(request.GET or None, areas=_area_choices(), years=years)
    kinds: set[str] = set()
    year = area = None
    if form.is_bound and form.is_valid():
        kinds = set(form.cleaned_data["kinds"])
        year = form.cleaned_data["year"]
        if form.cleaned_data["area"]:
            area = selectors.area_get(form.cleaned_data["area"]).pk
    built = network.build(kinds=kinds or None, year=year, area=area)
    figures = network.figures(built)
    return render(
        request,
        "insights/network.html",
        {
            "form": form,
            "figures": figures,
            "edge_counts": [
                (label, built.edge_counts[key]) for key, label in network.EDGE_KINDS.items()
            ],
            "elements": network.elements(built),
            "kind_labels": dict(network.Organisation.Kind.choices),
        },
    )


def export_csv(request: HttpRequest) -> HttpResponse:
    """Open data: every monthly aggregate (for all, by organisation kind, by area)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sangsaeng-insights-monthly.csv"'
    response.write("\ufeff")  # Excel and Power BI read UTF-8 with a byte-order mark
    writer = csv.writer(response)
    writer.writerow(["metric", "label", "month", "organisation_kind", "area_code", "area", "value"])
    for row in selectors.export_rows():
        writer.writerow(row)
    return response


def report(request: HttpRequest, slug: str) -> HttpResponse:
    """The quarterly progress report of an agreement the user may see, as PDF or XLSX."""
    agreement = agreement_get(user=request.user, slug=slug)
    today = timezone.localdate()
    form = ReportForm(
        request.GET or None,
        initial={
            "year": today.year,
            "quarter": (today.month - 1) // 3 + 1,
            "language": translation.get_language() or "ko",
            "format": "pdf",
        },
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        with translation.override(data["language"]):
            built = reports.build(request.user, agreement, data["year"], data["quarter"])
        name = f"{agreement.slug}-{data['year']}-q{data['quarter']}-{data['language']}"
        if data["format"] == "xlsx":
            response = HttpResponse(
                reports.report_xlsx(built, data["language"]),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        try:
            content = reports.report_pdf(built, data["language"])
        except reports.FontMissing as error:
            form.add_error(None, str(error))
        else:
            response = HttpResponse(content, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
            return response
    return render(request, "insights/report.html", {"form": form, "agreement": agreement})

"""Pages of shared infrastructure: find, book, cancel, wait, approve, list, MPW runs, usage.

Views parse input with a form, call one selector or service, and render. A record the viewer
may not see is a 404; an action they may not take on one they see is a 403. A refused booking
keeps everything typed in the form, with the reason beside the field it concerns.
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import show_errors
from sangsaeng.core.policy import Action, can, require
from sangsaeng.resources import calendar, reports, selectors, services
from sangsaeng.resources.capacity import opening_text
from sangsaeng.resources.forms import (
    BookingForm,
    DecisionForm,
    PriorityForm,
    ResourceForm,
    SearchForm,
    ShuttleRequestForm,
    WaitlistForm,
)
from sangsaeng.resources.models import Booking, Resource
from sangsaeng.resources.phrases import parse_phrase
from sangsaeng.resources.slots import SEOUL

DEFAULT_HOURS = 2


# --- finding --------------------------------------------------------------------------


def _query_from(
    form: SearchForm, at: datetime.datetime
) -> tuple[selectors.AvailabilityQuery, list[str]]:
    data = form.cleaned_data
    phrase = parse_phrase(data.get("q") or "", now=at)
    today = at.astimezone(SEOUL).date()
    if data.get("date_from") or data.get("date_to"):
        first = data.get("date_from") or today
        last = data.get("date_to") or first + datetime.timedelta(days=6)
        window_start = datetime.datetime.combine(first, datetime.time(0), SEOUL)
        window_end = datetime.datetime.combine(
            last + datetime.timedelta(days=1), datetime.time(0), SEOUL
        )
    else:
        window_start = phrase.window_start or at
        window_end = phrase.window_end or at + datetime.timedelta(days=7)
    query = selectors.AvailabilityQuery(
        units=data.get("units") or phrase.units or 1,
        hours=float(data.get("hours") or phrase.hours or DEFAULT_HOURS),
        window_start=window_start,
        window_end=window_end,
        category=data.get("category") or phrase.category,
        text=data.get("q") or "",
    )
    return query, phrase.understood


def resource_list(request: HttpRequest) -> HttpResponse:
    """The catalogue, and the free options of a search when one is asked."""
    form = SearchForm(request.GET or None)
    availability = query = understood = None
    if request.GET and form.is_valid():
        query, understood = _query_from(form, timezone.now())
        availability = selectors.find_options(request.user, query)
    return render(
        request,
        "resources/resource_list.html",
        {
            "form": form,
            "query": query,
            "understood": understood,
            "availability": availability,
            "resources": selectors.resource_list(request.user, kind=request.GET.get("kind", "")),
            "kinds": Resource.Kind.choices,
            "may_list": can(request.user, Action.CREATE, Resource),
        },
    )


def _week(resource: Resource, request: HttpRequest) -> tuple[datetime.datetime, datetime.datetime]:
    try:
        first = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        first = timezone.localdate()
    start = datetime.datetime.combine(first, datetime.time(0), SEOUL)
    return start, start + datetime.timedelta(days=7)


def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = selectors.resource_get(user=request.user, slug=slug)
    if resource.is_mpw:
        return shuttle_run(request, resource)
    start, end = _week(resource, request)
    slots = selectors.busy_slots(request.user, resource, start, end)
    days = []
    for offset in range(7):
        day_start = start + datetime.timedelta(days=offset)
        day_end = day_start + datetime.timedelta(days=1)
        days.append(
            {
                "date": day_start.date(),
                "slots": [s for s in slots if s.start < day_end and s.end > day_start],
            }
        )
    organisations = selectors.booking_organisations(request.user, resource)
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "opening": opening_text(resource),
            "days": days,
            "previous_week": (start - datetime.timedelta(days=7)).date().isoformat(),
            "next_week": end.date().isoformat(),
            "may_book": bool(organisations),
            "may_manage": can(request.user, Action.CHANGE, resource),
            "feed": selectors.resource_feed(request.user, resource),
        },
    )


# --- booking --------------------------------------------------------------------------


def _initial_booking(request: HttpRequest, resource: Resource) -> dict[str, Any]:
    initial: dict[str, Any] = {"units": request.GET.get("units") or 1}
    for name in ("start", "end"):
        value = request.GET.get(name)
        if value:
            with contextlib.suppress(ValueError):
                initial[name] = datetime.datetime.fromisoformat(value).astimezone(SEOUL)
    return initial


@login_required
def booking_create(request: HttpRequest, slug: str) -> HttpResponse:
    resource = selectors.resource_get(user=request.user, slug=slug)
    organisations = selectors.booking_organisations(request.user, resource)
    if not organisations:
        return render(request, "resources/not_eligible.html", {"resource": resource}, status=403)
    form = BookingForm(
        request.POST or None,
        initial=_initial_booking(request, resource),
        organisations=organisations,
        resource=resource,
    )
    full = False
    if request.method == "POST" and form.is_valid():
        try:
            made = services.booking_create(
                actor=request.user,  # type: ignore[arg-type]
                resource=resource,
                **form.service_arguments(),
            )
        except ValidationError as error:
            show_errors(form, error)
            full = _is_full(error)
        else:
            if made[0].state == Booking.State.REQUESTED:
                messages.success(request, _("Requested: the provider will approve or decline it."))
            elif len(made) > 1:
                messages.success(request, _("Booked: %(count)s bookings.") % {"count": len(made)})
            else:
                messages.success(request, _("Booked."))
            return redirect(made[0])
    return render(
        request,
        "resources/booking_form.html",
        {
            "resource": resource,
            "form": form,
            "full": full,
            "opening": opening_text(resource),
        },
    )


def _is_full(error: ValidationError) -> bool:
    """Whether a refusal says the slot is taken (then the page offers the waitlist)."""
    problems = (
        [p for items in error.error_dict.values() for p in items]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    return any(problem.code == services.SLOT_TAKEN for problem in problems)


@login_required
@require_POST
def waitlist_join(request: HttpRequest, slug: str) -> HttpResponse:
    resource = selectors.resource_get(user=request.user, slug=slug)
    form = WaitlistForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The waitlist request is missing its times."))
        return redirect(resource)
    try:
        services.waitlist_join(actor=request.user, resource=resource, **form.cleaned_data)  # type: ignore[arg-type]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(resource)
    messages.success(
        request, _("You are on the waitlist: when the slot frees, it is offered to you.")
    )
    return redirect("resources:my_bookings")


def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get(user=request.user, pk=pk)
    return render(
        request,
        "resources/booking_detail.html",
        {
            "booking": booking,
            "may_cancel": booking.is_holding
            and booking.end > timezone.now()
            and can(request.user, Action.CHANGE, booking),
            "may_decide": booking.state == Booking.State.REQUESTED
            and can(request.user, Action.APPROVE, booking),
        },
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get(user=request.user, pk=pk)
    try:
        services.booking_cancel(actor=request.user, booking=booking)  # type: ignore[arg-type]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect(booking)


@login_required
@require_POST
def booking_decide(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.booking_decide(
                actor=request.user,  # type: ignore[arg-type]
                booking=booking,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your decision was sent to the booker."))
    return redirect(request.POST.get("next") or booking.get_absolute_url())


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "resources/my_bookings.html",
        {
            "bookings": selectors.my_bookings(request.user),
            "past": selectors.my_bookings(request.user, past=True)[:20],
            "waitlist": selectors.my_waitlist(request.user),
            "pending": selectors.pending_approvals(request.user),
            "quota": selectors.quota_status(request.user),
            "feed": selectors.personal_feed(request.user),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def waitlist_answer(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(user=request.user, pk=pk)
    try:
        if request.POST.get("answer") == "accept":
            booking = services.waitlist_accept(actor=request.user, entry=entry)  # type: ignore[arg-type]
            messages.success(request, _("Booked from the waitlist."))
            return redirect(booking)
        services.waitlist_withdraw(actor=request.user, entry=entry)  # type: ignore[arg-type]
        messages.success(request, _("You left the waitlist."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("resources:my_bookings")


# --- providers ------------------------------------------------------------------------


@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.CREATE, Resource)
    form = ResourceForm(
        request.POST or None, providers=selectors.provider_organisations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(
                actor=request.user,
                provider=form.cleaned_data["provider"],
                slug=form.cleaned_data["slug"],
                **form.service_arguments(),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The resource is listed."))
            return redirect(resource)
    return render(request, "resources/resource_form.html", {"form": form, "resource": None})


@login_required
def resource_edit(request: HttpRequest, slug: str) -> HttpResponse:
    resource = selectors.resource_get(user=request.user, slug=slug)
    require(request.user, Action.CHANGE, resource)
    initial = {name: getattr(resource, name) for name in services.RESOURCE_FIELDS}
    initial["open_weekdays"] = list(resource.open_weekdays)
    form = ResourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(
                actor=request.user, resource=resource, **form.service_arguments()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(resource)
    return render(request, "resources/resource_form.html", {"form": form, "resource": resource})


# --- MPW shuttle runs -----------------------------------------------------------------


def shuttle_run(
    request: HttpRequest, run: Resource, form: ShuttleRequestForm | None = None
) -> HttpResponse:
    organisations = selectors.booking_organisations(request.user, run)
    if form is None:
        form = ShuttleRequestForm(organisations=organisations)
    may_manage = can(request.user, Action.APPROVE, run)
    request_closed = run.request_deadline is not None and run.request_deadline <= timezone.now()
    allocation = selectors.latest_allocation(request.user, run) if may_manage else None
    return render(
        request,
        "resources/shuttle_run.html",
        {
            "resource": run,
            "form": form,
            "may_request": bool(organisations) and not request_closed,
            "request_closed": request_closed,
            "may_manage": may_manage,
            "requests": selectors.shuttle_requests(request.user, run),
            "demand": selectors.shuttle_demand(run),
            "allocation": allocation,
            "lines": selectors.allocation_lines(request.user, allocation)
            if allocation is not None and allocation.grants
            else [],
            "priority_form": PriorityForm(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def shuttle_request_create(request: HttpRequest, slug: str) -> HttpResponse:
    run = selectors.resource_get(user=request.user, slug=slug)
    organisations = selectors.booking_organisations(request.user, run)
    form = ShuttleRequestForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            services.shuttle_request_create(
                actor=request.user,  # type: ignore[arg-type]
                run=run,
                **form.cleaned_data,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Your request for area was sent."))
            return redirect(run)
    return shuttle_run(request, run, form)


@login_required
@require_POST
def shuttle_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    shuttle_request = selectors.shuttle_request_get(user=request.user, pk=pk)
    try:
        services.shuttle_request_withdraw(actor=request.user, request=shuttle_request)  # type: ignore[arg-type]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The request is withdrawn."))
    return redirect(shuttle_request.run)


@login_required
@require_POST
def shuttle_request_priority(request: HttpRequest, pk: int) -> HttpResponse:
    shuttle_request = selectors.shuttle_request_get(user=request.user, pk=pk)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The priority is a number from 0.01 to 100."))
    else:
        try:
            services.shuttle_request_set_priority(
                actor=request.user,  # type: ignore[arg-type]
                request=shuttle_request,
                priority=form.cleaned_data["priority"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    return redirect(shuttle_request.run)


@login_required
@require_POST
def allocation_start(request: HttpRequest, slug: str) -> HttpResponse:
    run = selectors.resource_get(user=request.user, slug=slug)
    try:
        services.allocation_start(actor=request.user, run=run)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The allocation is being computed."))
    return redirect(run)


def allocation_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress line polls (static/resources/allocation-progress.js)."""
    allocation = selectors.allocation_get(user=request.user, pk=pk)
    return JsonResponse(
        {
            "status": allocation.status,
            "status_label": allocation.get_status_display(),
            "finished": allocation.is_finished,
        }
    )


@login_required
@require_POST
def allocation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = selectors.allocation_get(user=request.user, pk=pk)
    try:
        services.allocation_confirm(actor=request.user, allocation=allocation)  # type: ignore[arg-type]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The allocation is confirmed; the requesters are told."))
    return redirect(allocation.run)


# --- usage and reports ----------------------------------------------------------------


def _months(request: HttpRequest) -> int:
    try:
        return max(1, min(24, int(request.GET.get("months", 6))))
    except ValueError:
        return 6


def usage(request: HttpRequest) -> HttpResponse:
    months = _months(request)
    rows = selectors.utilisation_by_month(request.user, months=months)
    lines = selectors.usage_by_organisation(request.user, months=months)
    utilisation_config, utilisation_table = reports.utilisation_chart(rows)
    organisation_config, organisation_table = reports.organisation_chart(lines)
    return render(
        request,
        "resources/usage.html",
        {
            "months": months,
            "utilisation_config": utilisation_config,
            "utilisation_table": utilisation_table,
            "organisation_config": organisation_config,
            "organisation_table": organisation_table,
            "has_organisation_usage": bool(lines),
            "quota": selectors.quota_status(request.user) if request.user.is_authenticated else [],
        },
    )


def usage_export(request: HttpRequest) -> HttpResponse:
    months = _months(request)
    content = reports.workbook(
        selectors.utilisation_by_month(request.user, months=months),
        selectors.usage_by_organisation(request.user, months=months),
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="resource-usage.xlsx"'
    return response


# --- calendar feeds -------------------------------------------------------------------


@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    slug = request.POST.get("resource", "")
    resource = selectors.resource_get(user=request.user, slug=slug) if slug else None
    services.calendar_feed_get_or_create(
        actor=request.user,  # type: ignore[arg-type]
        resource=resource,
        reset=request.POST.get("reset") == "1",
    )
    messages.success(request, _("Your calendar address is ready: add it to your calendar app."))
    return redirect(resource.get_absolute_url() if resource else reverse("resources:my_bookings"))


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """An iCalendar feed; its secret address is the credential (calendar apps send no login)."""
    calendar_feed = selectors.feed_by_token(token)
    slots = selectors.feed_slots(calendar_feed)
    if calendar_feed.resource is not None:
        name = calendar_feed.resource.name
        resource_name = name
    else:
        name = _("My bookings · Sangsaeng")
        resource_name = ""
    content = calendar.feed_calendar(name, slots, resource_name=resource_name)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sangsaeng.ics"'
    return response

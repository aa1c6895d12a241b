"""Pages of matchmaking events: the event, registration, partners, requests, agendas, the
organiser's set-up, scheduling, the day itself, ratings and the report.

Views parse input with a form, call one service or selector, and render. A record the viewer
may not see is a 404; an action they may not take on one they see is a 403. A service's
refusal comes back beside the fields it names (forms) or as a message (buttons), and the
page keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import show_errors
from sangsaeng.core.policy import Action, can, require
from sangsaeng.events import documents, reports, selectors, services
from sangsaeng.events.forms import (
    AbsentForm,
    AnswerForm,
    EventForm,
    FeedbackForm,
    FollowUpForm,
    LocationForm,
    MeetingRequestForm,
    MoveForm,
    ParticipantTypeForm,
    QuestionForm,
    RebookForm,
    RegistrationForm,
    SessionForm,
    SlotForm,
)
from sangsaeng.events.models import Event, Meeting, Participant

PAGE_SIZE = 30


def _event(request: HttpRequest, slug: str) -> Event:
    return selectors.event_get(user=request.user, slug=slug)


def _organiser_event(request: HttpRequest, slug: str) -> Event:
    """The event, for those who run it (others get 403; those who cannot see it 404)."""
    event = _event(request, slug)
    require(request.user, Action.CHANGE, event)
    return event


def _page(
    request: HttpRequest,
    template: str,
    event: Event,
    tab: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """A page of one event, with its tabs (the organiser's tabs for those who run it)."""
    return render(
        request,
        template,
        {
            "event": event,
            "tab": tab,
            "may_manage": can(request.user, Action.CHANGE, event),
            "registered": selectors.active_registration(request.user, event) is not None,
            # The participant's tabs lead to registration: shown to those who may register.
            "may_register": can(request.user, Action.CREATE, Participant),
            **context,
        },
        status=status,
    )


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to where the form was (``next``), if that is on this site."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _report(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _act(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    success: str = "",
) -> bool:
    """Run one service from a posted form; every problem becomes a message on the page."""
    if not form.is_valid():
        for name, problems in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for problem in problems:
                messages.error(request, f"{label}: {problem}" if label else str(problem))
        return False
    try:
        act(form.cleaned_data)
    except ValidationError as error:
        _report(request, error)
        return False
    if success:
        messages.success(request, success)
    return True


# --- events -----------------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "events/event_list.html",
        {
            **selectors.event_list(request.user),
            "may_create": can(request.user, Action.CREATE, Event),
            "mine": selectors.my_events(request.user),
        },
    )


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.CREATE, Event)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=request.user,
                slug=form.cleaned_data.get("slug") or "",
                **form.service_arguments(),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The event was created. Add its sessions and tables."))
            return redirect("events:setup", event.slug)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organiser_event(request, slug)
    initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    initial["registration_deadline"] = timezone.localtime(event.registration_deadline)
    initial["request_deadline"] = timezone.localtime(event.request_deadline)
    initial["schedule_deadline"] = timezone.localtime(event.schedule_deadline)
    form = EventForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, **form.service_arguments())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    registration = selectors.registration_of(request.user, event)
    return _page(
        request,
        "events/event_detail.html",
        event,
        "overview",
        {
            "facts": selectors.event_facts(event),
            "sessions": selectors.sessions_of(request.user, event),
            "types": selectors.participant_types_of(request.user, event),
            "registration": registration,
            "may_manage": can(request.user, Action.CHANGE, event),
            "may_register": can(request.user, Action.CREATE, Participant),
            "may_list": selectors.may_list_participants(request.user, event),
        },
    )


# --- the organiser's set-up -------------------------------------------------------------

SETUP_FORMS: dict[str, type[forms.Form]] = {
    "session": SessionForm,
    "locations": LocationForm,
    "type": ParticipantTypeForm,
    "question": QuestionForm,
}


def _setup_action(request: HttpRequest, event: Event, name: str, form: forms.Form) -> None:
    data = form.cleaned_data
    if name == "session":
        services.session_add(actor=request.user, event=event, **form.service_arguments())  # type: ignore[attr-defined]
    elif name == "locations":
        services.locations_add(
            actor=request.user,
            event=event,
            kind=data["kind"],
            count=data["count"],
            name=data.get("name") or "",
            link=data.get("link") or "",
        )
    elif name == "type":
        services.participant_type_add(
            actor=request.user,
            event=event,
            name_ko=data.get("name_ko") or "",
            name_en=data.get("name_en") or "",
            capacity=data.get("capacity"),
        )
    else:
        services.question_add(actor=request.user, event=event, **form.service_arguments())  # type: ignore[attr-defined]


@login_required
def event_setup(request: HttpRequest, slug: str) -> HttpResponse:
    """Sessions and slots, tables and rooms, participant types and questions, in one page."""
    event = _organiser_event(request, slug)
    bound = {name: form_class(prefix=name) for name, form_class in SETUP_FORMS.items()}
    if request.method == "POST":
        name = request.POST.get("form", "")
        if name in SETUP_FORMS:
            form = SETUP_FORMS[name](request.POST, prefix=name)
            bound[name] = form
            if form.is_valid():
                try:
                    _setup_action(request, event, name, form)
                except ValidationError as error:
                    show_errors(form, error)
                else:
                    messages.success(request, _("Added."))
                    return redirect("events:setup", event.slug)
    return _page(
        request,
        "events/event_setup.html",
        event,
        "setup",
        {
            "sessions": selectors.sessions_of(request.user, event),
            "locations": selectors.locations_of(request.user, event),
            "types": selectors.participant_types_of(request.user, event),
            "questions": selectors.questions_of(request.user, event),
            "forms": bound,
        },
    )


def _setup_change(
    request: HttpRequest, slug: str, change: Callable[[Event], object]
) -> HttpResponse:
    event = _organiser_event(request, slug)
    try:
        change(event)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("events:setup", event.slug)


@login_required
@require_POST
def session_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _setup_change(
        request,
        slug,
        lambda event: services.session_remove(
            actor=request.user,
            session=selectors.session_get(user=request.user, event=event, pk=pk),
        ),
    )


@login_required
@require_POST
def slot_break(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _setup_change(
        request,
        slug,
        lambda event: services.slot_set_break(
            actor=request.user,
            slot=selectors.slot_get(user=request.user, event=event, pk=pk),
            is_break=request.POST.get("is_break") == "1",
        ),
    )


@login_required
@require_POST
def location_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _setup_change(
        request,
        slug,
        lambda event: services.location_remove(
            actor=request.user,
            location=selectors.location_get(user=request.user, event=event, pk=pk),
        ),
    )


@login_required
@require_POST
def type_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _setup_change(
        request,
        slug,
        lambda event: services.participant_type_remove(
            actor=request.user,
            participant_type=selectors.participant_type_get(user=request.user, event=event, pk=pk),
        ),
    )


@login_required
@require_POST
def question_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _setup_change(
        request,
        slug,
        lambda event: services.question_remove(
            actor=request.user,
            question=selectors.question_get(user=request.user, event=event, pk=pk),
        ),
    )


@login_required
@require_POST
def event_publish(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organiser_event(request, slug)
    publish = request.POST.get("publish") != "0"
    try:
        services.event_publish(actor=request.user, event=event, publish=publish)
    except ValidationError as error:
        _report(request, error)
        return redirect("events:setup", event.slug)
    messages.success(
        request,
        _("The event is published: registration is open.") if publish else _("Back to a draft."),
    )
    return redirect(event)


# --- registration -----------------------------------------------------------------------


def _registration_form(
    request: HttpRequest, event: Event, participant: Participant | None
) -> RegistrationForm:
    organisations = selectors.registrable_organisations(request.user)
    return RegistrationForm(
        request.POST or None,
        event=event,
        slots=selectors.slots_of(request.user, event),
        types=selectors.participant_types_of(request.user, event),
        questions=selectors.questions_of(request.user, event),
        organisations=organisations,
        needs=selectors.pullable_needs(
            request.user, [participant.organisation] if participant else organisations
        ),
        editing=participant is not None,
        initial=RegistrationForm.initial_for(participant)
        if participant is not None
        else {
            "name": getattr(request.user, "display_name", "") or request.user.get_full_name(),  # type: ignore[union-attr]
            "available_slots": [slot.pk for slot in selectors.open_slots_of(request.user, event)],
        },
    )


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    if selectors.active_registration(request.user, event) is not None:
        return redirect("events:registration", event.slug)
    require(request.user, Action.CREATE, Participant)
    form = _registration_form(request, event, None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_register(
                actor=request.user,  # type: ignore[arg-type]
                event=event,
                **form.service_arguments(),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("You are registered. Here are the participants you might meet.")
            )
            return redirect("events:recommendations", event.slug)
    return _page(
        request,
        "events/registration_form.html",
        event,
        "overview",
        {"form": form, "participant": None, "facts": selectors.event_facts(event)},
    )


@login_required
def registration(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    participant = selectors.active_registration(request.user, event)
    if participant is None:
        return redirect("events:register", event.slug)
    form = _registration_form(request, event, participant)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(
                actor=request.user, participant=participant, **form.service_arguments()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Your registration was saved."))
            return redirect("events:registration", event.slug)
    return _page(
        request,
        "events/registration_form.html",
        event,
        "overview",
        {
            "form": form,
            "participant": participant,
            "facts": selectors.event_facts(event),
        },
    )


@login_required
@require_POST
def registration_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    participant = selectors.active_registration(request.user, event)
    if participant is None:
        return redirect(event)
    try:
        services.participant_cancel(actor=request.user, participant=participant)
    except ValidationError as error:
        _report(request, error)
        return redirect("events:registration", event.slug)
    messages.success(request, _("Your registration was withdrawn."))
    return redirect(event)


# --- participants and partners ----------------------------------------------------------


def participant_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    if not selectors.may_list_participants(request.user, event):
        return _page(
            request, "events/participants_members_only.html", event, "participants", {}, 403
        )
    type_id = request.GET.get("type", "")
    participants = selectors.participant_list(
        request.user,
        event,
        participant_type=int(type_id) if type_id.isdigit() else None,
        query=request.GET.get("q", ""),
    )
    return _page(
        request,
        "events/participant_list.html",
        event,
        "participants",
        {
            "page_obj": Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page")),
            "types": selectors.participant_types_of(request.user, event),
            "chosen_type": type_id,
            "query": request.GET.get("q", ""),
            "me": selectors.active_registration(request.user, event),
        },
    )


def participant_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    participant = selectors.participant_get(user=request.user, event=event, pk=pk)
    me = selectors.active_registration(request.user, event)
    existing = selectors.requests_between(me, [participant]).get(participant.pk) if me else None
    return _page(
        request,
        "events/participant_detail.html",
        event,
        "participants",
        {
            "participant": participant,
            "items": selectors.items_of(request.user, participant),
            "answers": selectors.answers_of(request.user, participant),
            "me": me,
            "existing": existing,
            "may_request": me is not None
            and existing is None
            and can(request.user, Action.REQUEST_CONTACT, participant)
            and participant.organisation_id != me.organisation_id,
            "facts": selectors.event_facts(event),
            "request_form": MeetingRequestForm(initial={"requested": participant.pk}),
        },
    )


@login_required
def recommendations(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    me = selectors.active_registration(request.user, event)
    if me is None:
        messages.info(request, _("Register first: recommendations come from your profile."))
        return redirect("events:register", event.slug)
    return _page(
        request,
        "events/recommendations.html",
        event,
        "recommended",
        {
            "me": me,
            "recommendations": selectors.recommendations(request.user, event),
            "facts": selectors.event_facts(event),
        },
    )


@login_required
@require_POST
def request_send(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = MeetingRequestForm(request.POST)
    _act(
        request,
        form,
        lambda data: services.request_send(
            actor=request.user,  # type: ignore[arg-type]
            event=event,
            requested_id=data["requested"],
            message=data["message"],
            priority=data["priority"],
        ),
        success=_("Your meeting request was sent."),
    )
    return _back(request, reverse("events:requests", args=[event.slug]))


@login_required
def requests_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    mine = selectors.my_requests(request.user, event)
    if mine is None:
        return redirect("events:register", event.slug)
    bookable = {}
    if event.is_self_booking and not event.schedule_is_final:
        bookable = {
            r.pk: selectors.bookable_slots(r)
            for r in [*mine.received, *mine.sent]
            if r.is_accepted and r.pk not in mine.booked
        }
    return _page(
        request,
        "events/requests.html",
        event,
        "requests",
        {
            "mine": mine,
            "bookable": bookable,
            "facts": selectors.event_facts(event),
        },
    )


@login_required
@require_POST
def request_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    meeting_request = selectors.request_get(user=request.user, pk=pk, event=event)
    _act(
        request,
        AnswerForm(request.POST),
        lambda data: services.request_answer(
            actor=request.user,  # type: ignore[arg-type]
            request=meeting_request,
            accept=data["decision"] == "accept",
            priority=data.get("priority") or "like",
            note=data.get("note") or "",
        ),
        success=_("Your answer was sent."),
    )
    return redirect("events:requests", event.slug)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    meeting_request = selectors.request_get(user=request.user, pk=pk, event=event)
    try:
        services.request_withdraw(actor=request.user, request=meeting_request)  # type: ignore[arg-type]
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("The request was withdrawn."))
    return redirect("events:requests", event.slug)


@login_required
@require_POST
def request_book(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    meeting_request = selectors.request_get(user=request.user, pk=pk, event=event)
    _act(
        request,
        SlotForm(request.POST),
        lambda data: services.meeting_book(
            actor=request.user,  # type: ignore[arg-type]
            request=meeting_request,
            slot=selectors.slot_get(user=request.user, event=event, pk=data["slot"]),
        ),
        success=_("The meeting is booked."),
    )
    return redirect("events:requests", event.slug)


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    meeting = selectors.meeting_get(user=request.user, pk=pk, event=event)
    try:
        services.meeting_cancel(actor=request.user, meeting=meeting)  # type: ignore[arg-type]
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("The meeting was cancelled; its slot is free again."))
    return _back(request, reverse("events:requests", args=[event.slug]))


# --- agendas ----------------------------------------------------------------------------


def _own_agenda(request: HttpRequest, slug: str) -> tuple[Event, Participant, list[Any]]:
    event = _event(request, slug)
    participant = selectors.active_registration(request.user, event)
    if participant is None:
        raise selectors.NotFound(_("You are not registered for this event."))
    return event, participant, selectors.agenda_of(request.user, participant)


@login_required
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    event, participant, rows = _own_agenda(request, slug)
    return _page(
        request,
        "events/agenda.html",
        event,
        "agenda",
        {
            "participant": participant,
            "rows": rows,
            "meetings": selectors.agenda_meetings(rows),
            "qr_svg": documents.check_in_svg(participant),
            "offers": selectors.my_rebooking_offers(participant),
            "is_over": selectors.event_is_over(event),
            "now": timezone.now(),
        },
    )


@login_required
def agenda_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    event, participant, rows = _own_agenda(request, slug)
    try:
        content = documents.agenda_pdf(participant, rows)
    except documents.FontMissing as error:
        return _page(
            request, "events/pdf_unavailable.html", event, "agenda", {"reason": str(error)}, 503
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agenda-{event.slug}.pdf"'
    return response


@login_required
def agenda_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event, participant, rows = _own_agenda(request, slug)
    response = HttpResponse(
        documents.agenda_ics(participant, rows), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="agenda-{event.slug}.ics"'
    return response


@login_required
@require_POST
def meeting_absent(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The organiser (or the partner who came) reports a no-show: both slots free up."""
    event = _event(request, slug)
    meeting = selectors.meeting_get(user=request.user, pk=pk, event=event)
    form = AbsentForm(request.POST)
    _act(
        request,
        form,
        lambda data: services.meeting_report_absent(
            actor=request.user,  # type: ignore[arg-type]
            meeting=meeting,
            absent=meeting.first if data["absent"] == meeting.first_id else meeting.second,
        ),
        success=_("Marked as a no-show: the slot is free for a new meeting."),
    )
    return _back(request, reverse("events:agenda", args=[event.slug]))


@login_required
@require_POST
def meeting_rebook(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    _act(
        request,
        RebookForm(request.POST),
        lambda data: services.meeting_rebook(
            actor=request.user,  # type: ignore[arg-type]
            request=selectors.request_get(user=request.user, pk=data["request"], event=event),
            slot=selectors.slot_get(user=request.user, event=event, pk=data["slot"]),
        ),
        success=_("The new meeting is on both agendas."),
    )
    return _back(request, reverse("events:agenda", args=[event.slug]))


# --- after the event --------------------------------------------------------------------


@login_required
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    page = selectors.feedback_page(request.user, event)
    if page is None:
        raise selectors.NotFound(_("You are not registered for this event."))
    initial = {}
    for row in page.rows:
        if row.feedback is not None:
            initial[f"outcome_{row.meeting.pk}"] = row.feedback.outcome
            initial[f"comment_{row.meeting.pk}"] = row.feedback.comment
    form = FeedbackForm(
        request.POST or None, meeting_ids=[row.meeting.pk for row in page.rows], initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(
                actor=request.user,  # type: ignore[arg-type]
                participant=page.participant,
                ratings=form.ratings(),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Thank you: your ratings were saved."))
            return redirect("events:feedback", event.slug)
    return _page(
        request,
        "events/feedback.html",
        event,
        "feedback",
        {
            "page": page,
            "form": form,
            "rows": [
                (
                    row,
                    form[f"outcome_{row.meeting.pk}"],
                    form[f"comment_{row.meeting.pk}"],
                    page.earlier.get(row.meeting.pk),
                )
                for row in page.rows
            ],
            "follow_up_form": FollowUpForm(),
        },
    )


@login_required
@require_POST
def meeting_follow_up(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    meeting = selectors.meeting_get(user=request.user, pk=pk, event=event)
    form = FollowUpForm(request.POST)
    carried = _act(
        request,
        form,
        lambda data: services.meeting_follow_up(
            actor=request.user,  # type: ignore[arg-type]
            meeting=meeting,
            message=data["message"],
        ),
        success=_(
            "Your partner was sent a contact request; once they accept, you can start a joint "
            "project together."
        ),
    )
    if carried:
        meeting = selectors.meeting_get(user=request.user, pk=pk, event=event)
        if meeting.follow_up is not None:
            return redirect(meeting.follow_up)
    return redirect("events:feedback", event.slug)


# --- running the event ------------------------------------------------------------------


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The organiser's scheduling page: requests, the scheduler, the schedule to review."""
    event = _organiser_event(request, slug)
    overview = selectors.schedule_overview(request.user, event)
    by_slot: dict[Any, list[Meeting]] = {}
    for meeting in overview.meetings:
        by_slot.setdefault(meeting.slot, []).append(meeting)
    return _page(
        request,
        "events/manage.html",
        event,
        "manage",
        {
            "overview": overview,
            "by_slot": by_slot,
            "run": selectors.latest_run(request.user, event),
            "facts": selectors.event_facts(event),
        },
    )


@login_required
@require_POST
def schedule_run(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organiser_event(request, slug)
    try:
        services.scheduling_start(actor=request.user, event=event)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("The scheduler is running."))
    return redirect("events:manage", event.slug)


def run_status(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """What the progress bar polls (static/events/run-progress.js)."""
    run = selectors.run_get(user=request.user, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "progress": run.progress,
            "stage": run.stage,
            "finished": run.is_finished,
            "scheduled": run.scheduled,
            "requested": run.requested,
        }
    )


@login_required
@require_POST
def schedule_publish(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organiser_event(request, slug)
    try:
        services.schedule_publish(actor=request.user, event=event)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("The schedule is final; participants were told."))
    return redirect("events:manage", event.slug)


@login_required
def meeting_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _organiser_event(request, slug)
    meeting = selectors.meeting_get(user=request.user, pk=pk, event=event)
    if request.method == "POST":
        form = MoveForm(request.POST)
        moved = _act(
            request,
            form,
            lambda data: services.meeting_move(
                actor=request.user,
                meeting=meeting,
                slot=selectors.slot_get(user=request.user, event=event, pk=data["slot"]),
                location=selectors.location_get(user=request.user, event=event, pk=data["location"])
                if data.get("location")
                else None,
            ),
            success=_("The meeting was moved."),
        )
        if moved:
            return redirect("events:manage", event.slug)
    return _page(
        request,
        "events/meeting_move.html",
        event,
        "manage",
        {
            "meeting": meeting,
            "slots": selectors.open_slots_of(request.user, event),
            "locations": selectors.locations_of(request.user, event),
        },
    )


@login_required
def day(request: HttpRequest, slug: str) -> HttpResponse:
    """On the day: who is here, the meetings about to start, new meetings for freed slots."""
    event = _organiser_event(request, slug)
    return _page(
        request,
        "events/day.html",
        event,
        "day",
        {"board": selectors.day_dashboard(request.user, event)},
    )


@login_required
def check_in(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Where a scanned QR code leads: the organiser confirms the check-in."""
    event = _organiser_event(request, slug)
    participant = selectors.participant_by_token(user=request.user, event=event, token=token)
    if request.method == "POST":
        try:
            services.participant_check_in(actor=request.user, participant=participant)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("%(name)s is checked in.") % {"name": participant.name})
            return redirect("events:day", event.slug)
    return _page(request, "events/check_in.html", event, "day", {"participant": participant})


@login_required
@require_POST
def check_in_by_code(request: HttpRequest, slug: str) -> HttpResponse:
    """The organiser types (or pastes) a code when the camera cannot read it."""
    event = _organiser_event(request, slug)
    code = (request.POST.get("code") or "").strip().rstrip("/").rsplit("/", 1)[-1]
    try:
        participant = selectors.participant_by_token(user=request.user, event=event, token=code)
        services.participant_check_in(actor=request.user, participant=participant)
    except selectors.NotFound as error:
        messages.error(request, str(error))
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": participant.name})
    return redirect("events:day", event.slug)


@login_required
@require_POST
def event_finish(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organiser_event(request, slug)
    try:
        services.event_finish(actor=request.user, event=event)
    except ValidationError as error:
        _report(request, error)
        return redirect("events:day", event.slug)
    messages.success(request, _("The event is closed; participants can rate their meetings."))
    return redirect("events:report", event.slug)


@login_required
def report(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organiser_event(request, slug)
    outcomes = selectors.event_outcomes(request.user, event)
    return _page(
        request,
        "events/report.html",
        event,
        "report",
        {"outcomes": outcomes, "charts": reports.charts(outcomes)},
    )

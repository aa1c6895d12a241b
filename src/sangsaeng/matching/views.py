"""Pages of needs, offers and matches: post, follow the matching, contact, answer, talk, search.

Views parse input with a form, call one service or selector, and render. A record the
viewer may not see is a 404; an action they may not take on one they see is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import show_errors
from sangsaeng.core.policy import Action, can, require
from sangsaeng.core.selectors import NotFound
from sangsaeng.matching import selectors, services
from sangsaeng.matching.forms import (
    AnswerForm,
    ContactRequestForm,
    ConversationForm,
    NeedForm,
    ProjectForm,
    ProjectOutcomeForm,
)
from sangsaeng.matching.models import Match, Need

PAGE_SIZE = 20


# --- needs ------------------------------------------------------------------------------


def need_list(request: HttpRequest) -> HttpResponse:
    offers = {"needs": False, "offers": True}.get(request.GET.get("show", ""))
    needs = selectors.need_list(request.user, offers=offers, mine=request.GET.get("mine") == "1")
    return render(
        request,
        "matching/need_list.html",
        {
            "page_obj": Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page")),
            "show": request.GET.get("show", ""),
            "may_post": can(request.user, Action.CREATE, Need),
        },
    )


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    # Members of an approved organisation post needs and offers (operators for any).
    require(request.user, Action.CREATE, Need)
    organisations = selectors.postable_organisations(request.user)
    form = NeedForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_create(
                actor=request.user,  # type: ignore[arg-type]
                organisation=form.cleaned_data["organisation"],
                **form.service_arguments(),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Posted. Suggested matches are being computed."))
            return redirect(need)
    return render(request, "matching/need_form.html", {"form": form, "need": None})


@login_required
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.need_get(user=request.user, pk=pk)
    require(request.user, Action.CHANGE, view.need)
    need = view.need
    initial = {
        "kind": need.kind,
        "title": need.title,
        "description": need.description,
        "visibility": need.visibility,
        "summary": need.summary,
        "deadline": need.deadline,
        "tags": [tag.code for tag in need.tags.all()],
        "for_students": need.for_students,
    }
    form = NeedForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(actor=request.user, need=need, **form.service_arguments())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Saved. Suggested matches are being recomputed."))
            return redirect(need)
    return render(request, "matching/need_form.html", {"form": form, "need": need})


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.need_get(user=request.user, pk=pk)
    need = view.need
    suggestions = selectors.suggestions_for(request.user, need) if view.full_text else None
    run = selectors.latest_run(request.user, need)
    answering = selectors.interest_parties(request.user, need)
    return render(
        request,
        "matching/need_detail.html",
        {
            "view": view,
            "need": need,
            "suggestions": suggestions,
            "run": run,
            "request_form": ContactRequestForm(),
            "answering_parties": answering,
        },
    )


def need_attachment(request: HttpRequest, pk: int) -> FileResponse:
    view = selectors.need_get(user=request.user, pk=pk)
    if not view.full_text or not view.need.attachment:
        raise NotFound(_("No such attachment."))
    attachment = view.need.attachment
    return FileResponse(
        attachment.open("rb"), as_attachment=True, filename=attachment.name.rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def need_close(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.need_get(user=request.user, pk=pk)
    services.need_close(actor=request.user, need=view.need)
    messages.success(request, _("The need is closed."))
    return redirect(view.need)


@login_required
@require_POST
def need_rematch(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.need_get(user=request.user, pk=pk)
    services.matching_start(actor=request.user, need=view.need)
    return redirect(view.need)


def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress bar polls (static/matching/run-progress.js)."""
    run = selectors.run_get(user=request.user, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": capfirst(run.get_status_display()),
            "progress": run.progress,
            "finished": run.is_finished,
            "suggestions": run.suggestions,
        }
    )


@login_required
@require_POST
def contact_request(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.need_get(user=request.user, pk=pk)
    form = ContactRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whom to contact."))
        return redirect(view.need)
    try:
        match = services.contact_request(
            actor=request.user,  # type: ignore[arg-type]
            need=view.need,
            party=selectors.party_get(user=request.user, value=form.cleaned_data["party"]),
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return redirect(view.need)
    lapses_on = date_format(timezone.localtime(match.lapses_at), "Y-m-d")
    messages.success(
        request,
        f"{match.route_sentence} "
        + _("It lapses on %(date)s if nobody answers.") % {"date": lapses_on},
    )
    return redirect(match)


@login_required
@require_POST
def express_interest(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.need_get(user=request.user, pk=pk)
    party = selectors.party_get(user=request.user, value=request.POST.get("party", ""))
    try:
        services.interest_express(
            actor=request.user,  # type: ignore[arg-type]
            need=view.need,
            party=party,
        )
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, _("The poster was told of your interest."))
    return redirect(view.need)


@login_required
def needs_for_you(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "matching/needs_for_you.html",
        {"items": selectors.needs_for_you(request.user)},
    )


# --- matches ----------------------------------------------------------------------------


@login_required
def match_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "matching/match_list.html", {"matches": selectors.my_matches(request.user)}
    )


def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_get(user=request.user, pk=pk)
    need_view = selectors.need_get(user=request.user, pk=match.need_id)
    return render(
        request,
        "matching/match_detail.html",
        {
            "match": match,
            "need_view": need_view,
            "events": selectors.match_events(request.user, match),
            "may_answer": match.state == Match.State.REQUESTED
            and can(request.user, Action.RESPOND, match),
            "may_converse": match.has_conversation and can(request.user, Action.CONVERSE, match),
            "conversation": selectors.conversation(request.user, match),
            "conversation_form": ConversationForm(),
            "project_form": ProjectForm(),
            "project": selectors.project_of(match),
        },
    )


def _act_on_match(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    success: str = "",
) -> None:
    """Run one workflow service from a posted form; every problem becomes a message."""
    if not form.is_valid():
        for name, problems in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for problem in problems.as_data():
                text = " ".join(problem.messages)
                messages.error(request, f"{label}: {text}" if label else text)
        return
    try:
        act(form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if success:
            messages.success(request, success)


@login_required
@require_POST
def match_answer(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_get(user=request.user, pk=pk)
    _act_on_match(
        request,
        AnswerForm(request.POST),
        lambda data: services.match_answer(
            actor=request.user,  # type: ignore[arg-type]
            match=match,
            accept=data["decision"] == "accept",
            note=data["note"],
        ),
    )
    return redirect(match)


@login_required
@require_POST
def conversation_post(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_get(user=request.user, pk=pk)
    _act_on_match(
        request,
        ConversationForm(request.POST),
        lambda data: services.conversation_post(
            actor=request.user,  # type: ignore[arg-type]
            match=match,
            body=data["body"],
        ),
    )
    return redirect(match)


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """My projects: the joint projects of the matches on either side of the user."""
    return render(
        request, "matching/project_list.html", {"projects": selectors.my_projects(request.user)}
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A joint project: who, since when, its outcome (both sides record it), its conversation."""
    project = selectors.project_get(user=request.user, pk=pk)
    may_change = can(request.user, Action.CONVERSE, project.match)
    form = ProjectOutcomeForm(request.POST or None, initial={"outcome": project.outcome})
    if request.method == "POST":
        require(request.user, Action.CONVERSE, project.match)
        if form.is_valid():
            services.project_update(
                actor=request.user,  # type: ignore[arg-type]
                project=project,
                outcome=form.cleaned_data["outcome"],
            )
            messages.success(request, _("The outcome is saved."))
            return redirect(project)
    return render(
        request,
        "matching/project_detail.html",
        {"project": project, "match": project.match, "may_change": may_change, "form": form},
    )


@login_required
@require_POST
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_get(user=request.user, pk=pk)
    _act_on_match(
        request,
        ProjectForm(request.POST),
        lambda data: services.project_create(
            actor=request.user,  # type: ignore[arg-type]
            match=match,
            title=data["title"],
            start_date=data["start_date"],
            outcome=data["outcome"],
        ),
        success=_("The joint project was created."),
    )
    return redirect(match)

"""The cluster office assigns reviewers: runs the engine in the background, checks the
proposal with each pair's reason, swaps, invites; then follows the reviews."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.policy import Action, require
from sangsaeng.programs import selectors, services
from sangsaeng.programs.forms import AssignmentStartForm, InviteForm, SwapForm
from sangsaeng.programs.infeasibility import explain_problems
from sangsaeng.programs.views.common import form_problems, report_errors
from sangsaeng.programs.views.managing import managed_call


@login_required
def assignment(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    run = selectors.latest_run(request.user, call)
    page = None
    if run is not None and run.status == "done":
        page = selectors.assignment_page(
            request.user, run, page=request.GET.get("page"), query=request.GET.get("q", "")
        )
    return render(
        request,
        "programs/manage/assignment.html",
        {
            "call": call,
            "tab": "assignment",
            "run": run,
            "page": page,
            "problems": explain_problems(run.problems) if run is not None and run.problems else [],
            "start_form": AssignmentStartForm(),
            "query": request.GET.get("q", ""),
        },
    )


@login_required
@require_POST
def assignment_start(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    form = AssignmentStartForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_start(
                actor=request.user,
                call=call,
                objective=form.cleaned_data["objective"],
                alternates=form.cleaned_data["alternates"],
            )
        except ValidationError as error:
            report_errors(request, error)
    else:
        form_problems(request, form)
    return redirect("programs:assignment", call.slug)


@login_required
def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress bar polls (static/programs/run-progress.js)."""
    run = selectors.run_get(user=request.user, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "progress": run.progress,
            "finished": run.is_finished,
        }
    )


@login_required
@require_POST
def swap(request: HttpRequest) -> HttpResponse:
    """Swap one of an application's assigned reviewers for one of its alternates."""
    form = SwapForm(request.POST)
    if not form.is_valid():
        form_problems(request, form)
        return redirect("programs:call_list")
    proposal = selectors.proposal_get(user=request.user, pk=form.cleaned_data["proposal"])
    replacement = selectors.proposal_get(user=request.user, pk=form.cleaned_data["replacement"])
    try:
        services.proposal_swap(actor=request.user, proposal=proposal, replacement=replacement)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("Swapped."))
    url = selectors.assignment_url(proposal.run, request.POST.get("page", ""))
    return redirect(url)


@login_required
@require_POST
def invitations_send(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, pk=pk)
    try:
        count = services.invitations_send(actor=request.user, run=run)
    except ValidationError as error:
        report_errors(request, error)
        return redirect("programs:assignment", run.call.slug)
    messages.success(request, _("%(count)s invitations sent.") % {"count": count})
    return redirect("programs:review_progress", run.call.slug)


@login_required
def review_progress(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    only = request.GET.get("only", "")
    progress = selectors.review_progress(request.user, call, only=only)
    return render(
        request,
        "programs/manage/review_progress.html",
        {
            "call": call,
            "tab": "reviews",
            "progress": progress,
            "all": selectors.review_progress(request.user, call) if only else progress,
            "only": only,
        },
    )


@login_required
@require_POST
def reminders_send(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    count = services.reminders_send(actor=request.user, call=call)
    messages.success(request, _("%(count)s reviewers were reminded.") % {"count": count})
    return redirect("programs:review_progress", call.slug)


@login_required
def invite_reviewer(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    require(request.user, Action.APPROVE, application)
    if request.method == "POST":
        form = InviteForm(request.POST)
        if form.is_valid():
            reviewer = selectors.reviewer_get(user=request.user, pk=form.cleaned_data["reviewer"])
            try:
                services.assignment_add(
                    actor=request.user, application=application, reviewer=reviewer
                )
            except ValidationError as error:
                report_errors(request, error)
            else:
                messages.success(request, _("The reviewer is invited."))
                return redirect("programs:review_progress", application.call.slug)
    return render(
        request,
        "programs/manage/invite_reviewer.html",
        {
            "application": application,
            "call": application.call,
            "tab": "reviews",
            "reviewers": selectors.unconflicted_reviewers(request.user, application),
        },
    )

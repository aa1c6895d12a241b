"""The cluster office's pages for a call: programmes, the call's facts, its form and rubric,
publication, the applications and their screening, the reviewer pool and conflicts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import show_errors
from sangsaeng.core.policy import Action, require
from sangsaeng.programs import selectors, services
from sangsaeng.programs.forms import (
    CallForm,
    ConflictAddForm,
    CriterionForm,
    CriterionFormSet,
    FieldForm,
    FieldFormSet,
    LiftForm,
    ProgramForm,
    ScreeningForm,
    specs_of,
)
from sangsaeng.programs.models import Application, Call, SupportProgram
from sangsaeng.programs.views.common import form_problems, report_errors


def managed_call(request: HttpRequest, slug: str) -> Call:
    """The call, if the viewer runs calls (403 otherwise; 404 when it does not exist)."""
    call = selectors.call_get(user=request.user, slug=slug)
    require(request.user, Action.CHANGE, call)
    return call


@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.CREATE, SupportProgram)
    form = ProgramForm(request.POST or None, owners=selectors.programme_owners(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.program_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The programme is created: now draft its first call."))
            return redirect("programs:call_create")
    return render(request, "programs/manage/program_form.html", {"form": form})


def _call_form(request: HttpRequest, **kwargs: object) -> CallForm:
    return CallForm(
        request.POST or None,
        programs=selectors.programs_visible_to(request.user),
        commitments=selectors.commitment_choices(request.user),
        **kwargs,  # type: ignore[arg-type]
    )


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.CREATE, Call)
    form = _call_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(
                actor=request.user,
                program=form.cleaned_data["program"],
                **form.service_arguments(),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The call is drafted. Define its form and rubric next."))
            return redirect("programs:call_form_builder", call.slug)
    return render(request, "programs/manage/call_form.html", {"form": form, "call": None})


@login_required
def call_edit(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    form = _call_form(request, initial=CallForm.initial_for(call))
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            services.call_update(actor=request.user, call=call, **arguments)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("programs:call_manage", call.slug)
    return render(request, "programs/manage/call_form.html", {"form": form, "call": call})


@login_required
def call_form_builder(request: HttpRequest, slug: str) -> HttpResponse:
    """The application form and the review rubric, defined on one page."""
    call = managed_call(request, slug)
    fields = FieldFormSet(
        request.POST or None,
        prefix="fields",
        initial=[FieldForm.initial_for(f) for f in selectors.form_fields(request.user, call)],
    )
    rubric = CriterionFormSet(
        request.POST or None,
        prefix="criteria",
        initial=[CriterionForm.initial_for(c) for c in selectors.criteria(request.user, call)],
    )
    problems: list[str] = []
    if request.method == "POST" and fields.is_valid() and rubric.is_valid():
        try:
            services.form_fields_save(
                actor=request.user, call=call, fields=specs_of(fields, "field")
            )
        except ValidationError as error:
            problems += _field_problems(error)
        try:
            services.criteria_save(
                actor=request.user, call=call, criteria=specs_of(rubric, "criterion")
            )
        except ValidationError as error:
            problems += _field_problems(error)
        if not problems:
            messages.success(request, _("The form and the rubric are saved."))
            return redirect("programs:call_form_builder", call.slug)
    return render(
        request,
        "programs/manage/form_builder.html",
        {"call": call, "fields": fields, "rubric": rubric, "problems": problems},
    )


def _field_problems(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    found = []
    for key, messages_of_key in error.message_dict.items():
        parts = key.split("-")
        position = parts[1] if len(parts) >= 3 else ""
        prefix = _("Row %(number)s: ") % {"number": int(position) + 1} if position.isdigit() else ""
        found += [f"{prefix}{message}" for message in messages_of_key]
    return found


@login_required
@require_POST
def call_publish(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    try:
        services.call_publish(actor=request.user, call=call)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(
            request, _("The call is published: its page is public and it can be found.")
        )
    return redirect("programs:call_manage", call.slug)


@login_required
def call_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The call's overview: where it stands, and its submitted applications to screen."""
    call = managed_call(request, slug)
    status = request.GET.get("status", "")
    if status not in Application.Status.values:
        status = ""
    applications = selectors.call_applications(request.user, call, status=status)
    return render(
        request,
        "programs/manage/call_manage.html",
        {
            "call": call,
            "tab": "overview",
            "counts": selectors.status_counts(request.user, call),
            "status": status,
            "statuses": Application.Status.choices,
            "page_obj": Paginator(applications, 50).get_page(request.GET.get("page")),
            "screening_form": ScreeningForm(),
            "decided_total": selectors.decided_total(request.user, call),
        },
    )


@login_required
@require_POST
def screen_passing(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    count = services.applications_screen_passing(actor=request.user, call=call)
    messages.success(
        request, _("%(count)s applications passed every check and go to review.") % {"count": count}
    )
    return redirect("programs:call_manage", call.slug)


@login_required
@require_POST
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    form = ScreeningForm(request.POST)
    if form.is_valid():
        try:
            services.application_screen(
                actor=request.user,
                application=application,
                eligible=form.cleaned_data["eligible"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The screening decision is recorded."))
    else:
        form_problems(request, form)
    return redirect(request.POST.get("next") or application.get_absolute_url())


@login_required
def conflicts(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    shown = request.GET.get("show", "active")
    active = {"active": True, "lifted": False}.get(shown)
    add_form = ConflictAddForm(
        reviewers=selectors.reviewer_pool(request.user),
        applications=selectors.call_applications(request.user, call),
    )
    return render(
        request,
        "programs/manage/conflicts.html",
        {
            "call": call,
            "tab": "conflicts",
            "show": shown,
            "page_obj": Paginator(
                selectors.conflicts_of_call(request.user, call, active=active), 100
            ).get_page(request.GET.get("page")),
            "pool": selectors.reviewer_pool(request.user),
            "add_form": add_form,
            "lift_form": LiftForm(),
        },
    )


@login_required
@require_POST
def conflicts_refresh(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    found = services.conflicts_refresh(actor=request.user, call=call)
    messages.success(
        request,
        _("%(found)s conflicts found: %(added)s new, %(removed)s no longer shown by the records.")
        % found,
    )
    return redirect("programs:conflicts", call.slug)


@login_required
@require_POST
def conflict_add(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    form = ConflictAddForm(
        request.POST,
        reviewers=selectors.reviewer_pool(request.user),
        applications=selectors.call_applications(request.user, call),
    )
    if form.is_valid():
        try:
            services.conflict_add(
                actor=request.user,
                application=form.cleaned_data["application"],
                reviewer=form.cleaned_data["reviewer"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The conflict is recorded."))
    else:
        form_problems(request, form)
    return redirect("programs:conflicts", call.slug)


@login_required
@require_POST
def conflict_lift(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = selectors.conflict_get(user=request.user, pk=pk)
    form = LiftForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.conflict_lift(actor=request.user, conflict=conflict, reason=reason)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The conflict is lifted."))
    return redirect("programs:conflicts", conflict.application.call.slug)

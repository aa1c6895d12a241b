"""Applying: check eligibility and start, write the draft (saved as one goes), partners and
files, submit or withdraw; then follow screening, the decision and the award's reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import show_errors
from sangsaeng.core.policy import Action, can, require
from sangsaeng.programs import selectors, services
from sangsaeng.programs.forms import (
    ApplicationForm,
    ApplyForm,
    PartnerForm,
    ReportSubmitForm,
    ScreeningForm,
)
from sangsaeng.programs.models import Application
from sangsaeng.programs.views.common import form_problems, report_errors


@login_required
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Check eligibility for each of one's organisations, then start a draft for one."""
    call = selectors.call_get(user=request.user, slug=slug)
    options = selectors.apply_options(request.user, call)
    startable = [o.organisation for o in options if o.eligible and o.existing is None]
    form = ApplyForm(request.POST or None, organisations=startable)
    if request.method == "POST" and form.is_valid():
        organisation = selectors.applicable_organisation_get(
            user=request.user, slug=form.cleaned_data["organisation"]
        )
        try:
            application = services.application_start(
                actor=request.user,  # type: ignore[arg-type]
                call=call,
                organisation=organisation,
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Your draft is started. It is saved as you write."))
            return redirect("programs:application_edit", application.pk)
    return render(
        request,
        "programs/apply.html",
        {"call": call, "options": options, "form": form, "startable": startable},
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programs/my_applications.html",
        {
            "applications": selectors.my_applications(request.user),
            "awards": selectors.my_awards(request.user),
            "today": timezone.localdate(),
        },
    )


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    view = selectors.application_view(request.user, application)
    decision = selectors.decision_for_applicant(request.user, application)
    return render(
        request,
        "programs/application_detail.html",
        {
            "application": application,
            "view": view,
            "call": application.call,
            "decision": decision,
            "feedback": selectors.feedback_for_applicant(request.user, application)
            if decision is not None
            else [],
            "award": selectors.award_of(request.user, application),
            "screening_form": ScreeningForm(
                initial={"eligible": "yes" if application.status != "ineligible" else "no"}
            ),
            "report_form": ReportSubmitForm(),
            "today": timezone.localdate(),
        },
    )


def _application_form(
    request: HttpRequest, application: Application, data: Any = None, files: Any = None
) -> ApplicationForm:
    call = application.call
    return ApplicationForm(
        data,
        files,
        fields=selectors.form_fields(request.user, call),
        areas=selectors.call_areas(call),
        initial=ApplicationForm.initial_for(application),
    )


def _by_field(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: list(problems) for field, problems in error.message_dict.items()}
    return {"__all__": list(error.messages)}


def _save(
    request: HttpRequest, application: Application, form: ApplicationForm
) -> dict[str, list[str]]:
    """Save the answers, then each uploaded file on its own: a wrong file does not cost the
    answers, and wrong answers do not cost a good file. Returns the problems by field."""
    problems: dict[str, list[str]] = {}
    try:
        services.application_save(
            actor=request.user,
            application=application,
            title=form.cleaned_data.get("title", ""),
            requested_amount=form.cleaned_data.get("requested_amount"),
            area=form.cleaned_data.get("area"),
            answers=form.answers(),
        )
    except ValidationError as error:
        show_errors(form, error)
        problems.update(_by_field(error))
    for key, upload in form.uploads(request.FILES).items():
        try:
            services.application_file_upload(
                actor=request.user, application=application, field_key=key, upload=upload
            )
        except ValidationError as error:
            show_errors(form, error)
            problems.update(_by_field(error))
    return problems


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    require(request.user, Action.CHANGE, application)
    if not application.is_draft:
        return redirect(application)
    form = _application_form(request, application, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        problems = _save(request, application, form)
        if not problems:
            messages.success(request, _("Saved."))
            if request.POST.get("then") == "review":
                return redirect("programs:application_detail", application.pk)
            return redirect("programs:application_edit", application.pk)
    application = selectors.application_get(user=request.user, pk=pk)
    return render(
        request,
        "programs/application_edit.html",
        {
            "application": application,
            "call": application.call,
            "form": form,
            "view": selectors.application_view(request.user, application),
            "partner_form": PartnerForm(
                choices=selectors.partner_choices(request.user, application)
            ),
        },
    )


@login_required
@require_POST
def application_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """What the page's script posts as the applicant types (files are uploaded on save)."""
    application = selectors.application_get(user=request.user, pk=pk)
    if not can(request.user, Action.CHANGE, application) or not application.is_draft:
        refusal = [_("This application can no longer be changed.")]
        return JsonResponse({"saved": False, "errors": {"__all__": refusal}}, status=409)
    form = _application_form(request, application, request.POST)
    if not form.is_valid():
        errors = {name: [str(p) for p in problems] for name, problems in form.errors.items()}
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    try:
        services.application_save(
            actor=request.user,
            application=application,
            title=form.cleaned_data.get("title", ""),
            requested_amount=form.cleaned_data.get("requested_amount"),
            area=form.cleaned_data.get("area"),
            answers=form.answers(),
        )
    except ValidationError as error:
        return JsonResponse({"saved": False, "errors": _by_field(error)}, status=400)
    saved_at = date_format(timezone.localtime(), "H:i:s")
    return JsonResponse({"saved": True, "message": _("Saved at %(time)s.") % {"time": saved_at}})


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    try:
        application = services.application_submit(actor=request.user, application=application)
    except ValidationError as error:
        report_errors(request, error)
        return redirect("programs:application_edit", application.pk)
    messages.success(
        request,
        _("Submitted. Your receipt number is %(receipt)s; a receipt is on its way by mail.")
        % {"receipt": application.receipt_number},
    )
    return redirect(application)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    try:
        services.application_withdraw(actor=request.user, application=application)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect(application)


@login_required
@require_POST
def partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    form = PartnerForm(request.POST, choices=selectors.partner_choices(request.user, application))
    if not form.is_valid():
        form_problems(request, form)
        return redirect("programs:application_edit", application.pk)
    try:
        services.partner_add(
            actor=request.user,
            application=application,
            organisation=form.cleaned_data.get("organisation"),
            person=form.cleaned_data.get("person"),
            role=form.cleaned_data.get("role", ""),
        )
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("Partner added."))
    return redirect("programs:application_edit", application.pk)


@login_required
@require_POST
def partner_remove(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_get(user=request.user, pk=pk)
    services.partner_remove(actor=request.user, partner=partner)
    messages.success(request, _("Partner removed."))
    return redirect("programs:application_edit", partner.application_id)


def file_download(request: HttpRequest, pk: int) -> FileResponse:
    record = selectors.file_get(user=request.user, pk=pk)
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.original_name)


@login_required
@require_POST
def file_remove(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.file_get(user=request.user, pk=pk)
    services.application_file_remove(actor=request.user, record=record)
    messages.success(request, _("File removed."))
    return redirect("programs:application_edit", record.application_id)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    form = ReportSubmitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_submit(
                actor=request.user,
                report=report,
                summary=form.cleaned_data["summary"],
                upload=form.cleaned_data.get("file"),
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Report sent."))
    else:
        form_problems(request, form)
    return redirect("programs:application_detail", report.award.application_id)


def report_file(request: HttpRequest, pk: int) -> FileResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    if not report.file:
        from sangsaeng.core.selectors import NotFound

        raise NotFound(_("No such file."))
    return FileResponse(report.file.open("rb"), as_attachment=True)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_get(user=request.user, pk=pk)
    services.milestone_done(actor=request.user, milestone=milestone)
    messages.success(request, _("Milestone marked as reached."))
    return redirect("programs:application_detail", milestone.award.application_id)

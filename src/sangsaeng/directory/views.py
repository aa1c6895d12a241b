"""Pages of the directory: organisations, experts, agreements and the approval queue.

Each view parses input with a form, calls one service or selector, and renders. Who
may see or do what is decided by the access policy: an object the viewer may not see
is a 404, an action they may not take on an object they can see is a 403.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts.models import User
from sangsaeng.core.forms import show_errors
from sangsaeng.core.policy import Action, can, require
from sangsaeng.directory import selectors, services
from sangsaeng.directory.forms import (
    ExpertFilterForm,
    ExpertProfileForm,
    OrganisationDecisionForm,
    OrganisationFilterForm,
    OrganisationForm,
    ProgressUpdateForm,
    PublicationFormSet,
    publication_initial,
)
from sangsaeng.directory.importing import may_import_export
from sangsaeng.directory.models import Organisation, Person, Publication

PAGE_SIZE = 20


class AuthenticatedRequest(HttpRequest):
    """A request to a ``login_required`` view: its user is signed in."""

    user: User


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    """The front page: the cluster in figures, as far as the visitor may see it."""
    return render(request, "core/home.html", {"overview": selectors.cluster_overview(request.user)})


# --- organisations ---------------------------------------------------------------------


def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = OrganisationFilterForm(request.GET or None)
    organisations = selectors.organisation_search(request.user, **filters.search_arguments())
    return render(
        request,
        "directory/organisation_list.html",
        {
            "filters": filters,
            "page_obj": _page(request, organisations),
            "may_import": may_import_export(request.user),
        },
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, slug=slug)
    context = {
        "organisation": organisation,
        "experts": selectors.expert_search(request.user, organisation=organisation.slug),
        "agreements": selectors.agreements_of(request.user, organisation),
        "can_change": can(request.user, Action.CHANGE, organisation),
        "can_manage_members": can(request.user, Action.MANAGE_MEMBERS, organisation),
    }
    return render(request, "directory/organisation_detail.html", context)


@login_required
def organisation_create(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.CREATE, Organisation)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            if organisation.is_approved:
                messages.success(request, _("The organisation is registered."))
            else:
                messages.success(
                    request,
                    _(
                        "The organisation is registered. It appears in the public directory "
                        "once the cluster office approves it."
                    ),
                )
            return redirect(organisation)
    return render(request, "directory/organisation_form.html", {"form": form})


@login_required
def organisation_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, slug=slug)
    require(request.user, Action.CHANGE, organisation)
    # The form works on a copy so the page header keeps the saved name while errors show.
    form = OrganisationForm(request.POST or None, instance=copy.copy(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, **form.service_arguments()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect(organisation)
    return render(
        request, "directory/organisation_form.html", {"form": form, "organisation": organisation}
    )


# --- experts -----------------------------------------------------------------------------


def person_list(request: HttpRequest) -> HttpResponse:
    filters = ExpertFilterForm(request.GET or None)
    experts = selectors.expert_search(request.user, **filters.search_arguments())
    return render(
        request,
        "directory/person_list.html",
        {"filters": filters, "page_obj": _page(request, experts)},
    )


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = selectors.person_get(user=request.user, slug=slug)
    publications = list(person.publications.all())
    sections = [
        (label, [item for item in publications if item.kind == kind])
        for kind, label in [
            (Publication.Kind.PAPER, _("Publications")),
            (Publication.Kind.PATENT, _("Patents")),
            (Publication.Kind.PROJECT, _("Projects")),
        ]
    ]
    context = {
        "person": person,
        "sections": [(label, items) for label, items in sections if items],
        "can_change": can(request.user, Action.CHANGE, person),
    }
    return render(request, "directory/person_detail.html", context)


@login_required
def expert_profile_edit(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in user's own profile. Opening it creates nothing: the profile exists from
    the first time its person saves it."""
    person = selectors.own_expert_profile(request.user)
    draft = person or Person(user=request.user, name_ko=request.user.display_name, is_public=True)
    form = ExpertProfileForm(request.POST or None, instance=copy.copy(draft))
    formset = PublicationFormSet(
        request.POST or None,
        initial=publication_initial(person) if person else [],
        prefix="publications",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if person is None:
                services.expert_profile_create(
                    actor=request.user,
                    publications=formset.publications(),
                    **form.service_arguments(),
                )
            else:
                services.person_update(
                    actor=request.user,
                    person=person,
                    publications=formset.publications(),
                    **form.service_arguments(),
                )
        except ValidationError as error:
            show_errors(form, error, elsewhere={"publications": formset.add_list_errors})
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("directory:expert_profile_edit")
    return render(
        request,
        "directory/expert_profile_form.html",
        {"form": form, "formset": formset, "person": person},
    )


@login_required
@require_POST
def expert_profile_delete(request: AuthenticatedRequest) -> HttpResponse:
    """Delete the user's own profile (their account stays)."""
    person = selectors.own_expert_profile(request.user)
    if person is None:
        return redirect("directory:expert_profile_edit")
    services.person_delete(actor=request.user, person=person)
    messages.success(request, _("Your profile is deleted."))
    return redirect("accounts:dashboard")


def profile_claim(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation to claim a profile links to: who it is, and the button."""
    claim = selectors.open_claim_get(token)
    error = None
    if request.method == "POST" and request.user.is_authenticated:
        try:
            person = services.profile_claim(actor=request.user, token=token)  # type: ignore[arg-type]
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                _(
                    "The profile is yours now. The contact requests waiting for you are under "
                    "“My contact requests”."
                ),
            )
            return redirect(person)
    return render(
        request,
        "directory/profile_claim.html",
        {"claim": claim, "error": error, "expired": claim.expires_at <= timezone.now()},
        status=400 if error else 200,
    )


# --- agreements ----------------------------------------------------------------------------


def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = selectors.agreement_list(request.user, with_commitments=True)
    return render(
        request, "directory/agreement_list.html", {"page_obj": _page(request, agreements)}
    )


def _agreement_page(
    request: HttpRequest,
    slug: str,
    bound_form: ProgressUpdateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, slug=slug)
    reportable = selectors.reportable_commitment_ids(request.user, agreement)
    commitments = []
    for commitment in agreement.commitments.all():
        form = None
        if commitment.pk in reportable:
            form = (
                bound_form
                if bound_form is not None and bound_form.commitment.pk == commitment.pk
                else ProgressUpdateForm(commitment=commitment)
            )
        commitments.append((commitment, form))
    context = {"agreement": agreement, "commitments": commitments}
    return render(request, "directory/agreement_detail.html", context, status=status)


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _agreement_page(request, slug)


@require_POST
def commitment_report_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    commitment = selectors.commitment_get(user=request.user, pk=pk, agreement_slug=slug)
    require(request.user, Action.REPORT_PROGRESS, commitment)
    form = ProgressUpdateForm(request.POST, commitment=commitment)
    if form.is_valid():
        try:
            services.commitment_report_progress(
                actor=request.user, commitment=commitment, **form.service_arguments()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The progress update is saved."))
            return redirect(f"{commitment.agreement.get_absolute_url()}#commitment-{pk}")
    return _agreement_page(request, slug, bound_form=form, status=400)


# --- the operator's approval queue -------------------------------------------------------------


@login_required
def approval_queue(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.APPROVE, Organisation)
    pending = selectors.pending_organisations(request.user)
    return render(
        request,
        "directory/approval_queue.html",
        {"page_obj": _page(request, pending), "decision_form": OrganisationDecisionForm()},
    )


@login_required
@require_POST
def organisation_decide(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, slug=slug)
    require(request.user, Action.APPROVE, organisation)
    form = OrganisationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("directory:approval_queue")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.organisation_decide(
            actor=request.user,
            organisation=organisation,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, f"{organisation.name}: {problem}")
        return redirect("directory:approval_queue")
    if approve:
        messages.success(request, _("%(name)s is approved.") % {"name": organisation.name})
    else:
        messages.success(request, _("%(name)s is rejected.") % {"name": organisation.name})
    return redirect("directory:approval_queue")

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
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts.models import User
from sangsaeng.core.policy import Action, can, is_operator, require, restrict
from sangsaeng.directory import selectors, services
from sangsaeng.directory.forms import (
    BasePublicationFormSet,
    ExpertFilterForm,
    ExpertProfileForm,
    OrganisationDecisionForm,
    OrganisationFilterForm,
    OrganisationForm,
    ProgressUpdateForm,
    PublicationFormSet,
    publication_initial,
)
from sangsaeng.directory.models import Agreement, Commitment, Organisation, Person, Publication

PAGE_SIZE = 20


class AuthenticatedRequest(HttpRequest):
    """A request to a ``login_required`` view: its user is signed in."""

    user: User


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _visible_organisation(request: HttpRequest, slug: str) -> Organisation:
    try:
        return selectors.organisations_visible_to(request.user).get(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404(_("No such organisation.")) from None


# --- organisations ---------------------------------------------------------------------


def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = OrganisationFilterForm(request.GET or None)
    organisations = selectors.organisation_search(request.user, **filters.search_arguments())
    return render(
        request,
        "directory/organisation_list.html",
        {"filters": filters, "page_obj": _page(request, organisations)},
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _visible_organisation(request, slug)
    context = {
        "organisation": organisation,
        "experts": selectors.expert_search(request.user, organisation=organisation.slug),
        "agreements": selectors.agreements_visible_to(request.user).filter(parties=organisation),
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
            form.add_error(None, error)
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
    organisation = _visible_organisation(request, slug)
    require(request.user, Action.CHANGE, organisation)
    # The form works on a copy so the page header keeps the saved name while errors show.
    form = OrganisationForm(request.POST or None, instance=copy.copy(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_error(None, error)
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
    try:
        person = selectors.person_detail(request.user, slug)
    except Person.DoesNotExist:
        raise Http404(_("No such person.")) from None
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
    """The signed-in user's own profile, created empty the first time they open it."""
    person = services.expert_profile_for(user=request.user)
    form = ExpertProfileForm(request.POST or None, instance=copy.copy(person))
    formset = PublicationFormSet(
        request.POST or None, initial=publication_initial(person), prefix="publications"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                publications=formset.publications(),
                **form.service_arguments(),
            )
        except ValidationError as error:
            _show_profile_errors(error, form, formset)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("directory:expert_profile_edit")
    return render(
        request,
        "directory/expert_profile_form.html",
        {"form": form, "formset": formset, "person": person},
    )


def _show_profile_errors(
    error: ValidationError, form: ExpertProfileForm, formset: BasePublicationFormSet
) -> None:
    """Put a service's errors beside the profile fields, the publication list's on the list."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        if field == "publications":
            formset.add_list_errors([message for item in field_errors for message in item.messages])
        else:
            form.add_error(field if field in form.fields else None, field_errors)


# --- agreements ----------------------------------------------------------------------------


def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = selectors.agreements_visible_to(request.user).prefetch_related("commitments")
    return render(
        request, "directory/agreement_list.html", {"page_obj": _page(request, agreements)}
    )


def _agreement_page(
    request: HttpRequest,
    slug: str,
    bound_form: ProgressUpdateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    try:
        agreement = selectors.agreement_detail(request.user, slug)
    except Agreement.DoesNotExist:
        raise Http404(_("No such agreement.")) from None
    reportable = set(
        restrict(
            Commitment.objects.filter(agreement=agreement), request.user, Action.REPORT_PROGRESS
        ).values_list("pk", flat=True)
    )
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
    try:
        commitment = restrict(
            Commitment.objects.filter(agreement__slug=slug), request.user, Action.VIEW
        ).get(pk=pk)
    except Commitment.DoesNotExist:
        raise Http404(_("No such commitment.")) from None
    require(request.user, Action.REPORT_PROGRESS, commitment)
    form = ProgressUpdateForm(request.POST, commitment=commitment)
    if form.is_valid():
        try:
            services.commitment_report_progress(
                actor=request.user, commitment=commitment, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_error(None, _indicator_errors_to_form(error, form))
        else:
            messages.success(request, _("The progress update is saved."))
            return redirect(f"{commitment.agreement.get_absolute_url()}#commitment-{pk}")
    return _agreement_page(request, slug, bound_form=form, status=400)


def _indicator_errors_to_form(error: ValidationError, form: ProgressUpdateForm) -> Any:
    if not hasattr(error, "error_dict"):
        return error
    return {
        (field if field in form.fields else "__all__"): messages_
        for field, messages_ in error.error_dict.items()
    }


# --- the operator's approval queue -------------------------------------------------------------


@login_required
def approval_queue(request: AuthenticatedRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise PermissionDenied(_("Only the cluster office approves organisations."))
    pending = (
        restrict(
            Organisation.objects.filter(status=Organisation.Status.PENDING),
            request.user,
            Action.APPROVE,
        )
        .select_related("created_by")
        .prefetch_related("tags")
        .order_by("created_at")
    )
    return render(
        request,
        "directory/approval_queue.html",
        {"page_obj": _page(request, pending), "decision_form": OrganisationDecisionForm()},
    )


@login_required
@require_POST
def organisation_decide(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = _visible_organisation(request, slug)
    require(request.user, Action.APPROVE, organisation)
    form = OrganisationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("directory:approval_queue")
    approve = form.cleaned_data["decision"] == "approve"
    services.organisation_decide(actor=request.user, organisation=organisation, approve=approve)
    if approve:
        messages.success(request, _("%(name)s is approved.") % {"name": organisation.name})
    else:
        messages.success(request, _("%(name)s is rejected.") % {"name": organisation.name})
    return redirect("directory:approval_queue")

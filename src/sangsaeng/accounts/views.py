"""Pages of a signed-in user: the dashboard, an organisation's members, invitations.

Sign-up, log-in, log-out and password reset are django-allauth's pages (styled by the
templates under core/templates/account/ and allauth/).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts import selectors, services
from sangsaeng.accounts.forms import InvitationForm
from sangsaeng.accounts.models import User
from sangsaeng.core.dashboard import panels_for
from sangsaeng.core.forms import show_errors


class AuthenticatedRequest(HttpRequest):
    """A request to a ``login_required`` view: its user is signed in."""

    user: User


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """The user's start page: each app contributes its panels (see core.dashboard)."""
    return render(
        request,
        "accounts/dashboard.html",
        {
            "top_panels": panels_for(request.user, "top"),
            "column_panels": panels_for(request.user, "columns"),
        },
    )


def _accept_url_template(request: HttpRequest) -> str:
    placeholder = "INVITATION-TOKEN"
    url = request.build_absolute_uri(reverse("accounts:invitation_accept", args=[placeholder]))
    return url.replace(placeholder, "{token}")


@login_required
def organisation_members(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = selectors.managed_organisation_get(user=request.user, slug=slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                accept_url_template=_accept_url_template(request),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:organisation_members", slug=organisation.slug)
    context = {
        "organisation": organisation,
        "form": form,
        "memberships": selectors.members_of(request.user, organisation),
        "invitations": selectors.open_invitations_of(request.user, organisation),
    }
    return render(request, "accounts/organisation_members.html", context)


@login_required
@require_POST
def membership_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, pk=pk)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(user)s is no longer a member of %(organisation)s.")
            % {"user": membership.user, "organisation": membership.organisation.name},
        )
    if membership.user_id == request.user.pk and not selectors.manages_members(
        request.user, membership.organisation_id
    ):
        return redirect("accounts:dashboard")
    return redirect("accounts:organisation_members", slug=membership.organisation.slug)


@login_required
def invitation_accept(request: AuthenticatedRequest, token: str) -> HttpResponse:
    # The policy shows a user only the invitations addressed to their own e-mail address.
    invitation = selectors.open_invitation_get(user=request.user, token=token)
    error = None
    if request.method == "POST":
        try:
            membership = services.invitation_accept(actor=request.user, token=token)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                _("You are now a member of %(organisation)s.")
                % {"organisation": membership.organisation.name},
            )
            return redirect("accounts:dashboard")
    status = 400 if error else 404 if invitation is None else 200
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "error": error},
        status=status,
    )

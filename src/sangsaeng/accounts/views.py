"""Pages of a signed-in user: the dashboard, their account (name, language, consents, API
tokens, closing it), an organisation's members, invitations; and the policies' pages.

Sign-up, log-in, log-out and password reset are django-allauth's pages (styled by the
templates under core/templates/account/ and allauth/); sign-up asks for the name and the
consents through :class:`sangsaeng.accounts.forms.SignupForm`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts import selectors, services
from sangsaeng.accounts.forms import AccountForm, ApiTokenForm, CloseAccountForm, InvitationForm
from sangsaeng.accounts.models import User
from sangsaeng.accounts.policies import BY_KIND, POLICIES
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


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    if not request.user.is_authenticated:
        # The mail's link opens for someone without an account yet: say what it is for
        # (the secret token shows the organisation and the role, nothing else).
        invitation = selectors.open_invitation_by_token(token)
        return render(
            request,
            "accounts/invitation_accept.html",
            {"invitation": invitation, "signed_out": True},
            status=200 if invitation else 404,
        )
    # The policy shows a user only the invitations addressed to their own e-mail address.
    invitation = selectors.open_invitation_get(user=request.user, token=token)
    error = None
    if request.method == "POST":
        try:
            membership = services.invitation_accept(
                actor=request.user,  # type: ignore[arg-type]
                token=token,
            )
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


# --- the user's own account -------------------------------------------------------------


@login_required
def account(request: AuthenticatedRequest) -> HttpResponse:
    """The name others see and the language of the user's mails."""
    user = request.user
    form = AccountForm(
        request.POST or None,
        initial={"display_name": user.display_name, "language": user.language or get_language()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(actor=user, user=user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Your account is saved."))
            return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form, "section": "account"})


@login_required
def consents(request: AuthenticatedRequest) -> HttpResponse:
    """What the user agreed to, in which version and when; agreeing to a new version."""
    if request.method == "POST":
        try:
            services.consent_give(actor=request.user, kind=request.POST.get("kind", ""))
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
        else:
            messages.success(request, _("Your consent is recorded."))
        return redirect("accounts:consents")
    records = list(selectors.consents_of(request.user))
    policies = [
        {
            "policy": policy,
            "standing": next((c for c in records if c.kind == policy.kind and c.is_standing), None),
        }
        for policy in POLICIES
    ]
    return render(
        request,
        "accounts/consents.html",
        {
            "policies": policies,
            "records": records,
            "others": selectors.other_consents_of(request.user),
            "section": "consents",
        },
    )


@login_required
def api_tokens(request: AuthenticatedRequest) -> HttpResponse:
    """The user's API tokens: make one (shown once) and revoke those no longer needed."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _record, new_token = services.api_token_create(
                actor=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors.api_tokens_of(request.user),
            "section": "tokens",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get(user=request.user, pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")


@login_required
def account_close(request: AuthenticatedRequest) -> HttpResponse:
    """Close the account (withdrawing a required consent leads here too)."""
    user = request.user
    form = CloseAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_close(actor=user, user=user)
        except ValidationError as error:
            show_errors(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account and your profile are deleted."))
            return redirect("home")
    withdrawing = BY_KIND.get(request.GET.get("withdraw", ""))
    return render(
        request,
        "accounts/account_close.html",
        {"form": form, "withdrawing": withdrawing, "section": "close"},
    )


# --- the policies -----------------------------------------------------------------------


def policy_page(request: HttpRequest, kind: str) -> HttpResponse:
    """A policy's text in the page's language (each language keeps its own whole text)."""
    policy = BY_KIND.get(kind)
    if policy is None:
        raise Http404
    return render(
        request,
        [f"accounts/policies/{kind}_{get_language()}.html", f"accounts/policies/{kind}_ko.html"],
        {"policy": policy, "policies": POLICIES},
    )

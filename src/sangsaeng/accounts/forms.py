"""Forms of the account pages: sign-up, the account's settings, API tokens, closing the
account, and inviting a member into an organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts import services
from sangsaeng.accounts.models import Membership, User


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={
            "required": _("Enter the e-mail address of the person to invite."),
            "invalid": _("Enter a valid e-mail address, e.g. name@example.com."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(value, capfirst(label)) for value, label in Membership.Role.choices],
        initial=Membership.Role.MEMBER,
    )


class SignupForm(forms.Form):
    """What django-allauth's sign-up asks besides the e-mail address and the password:
    the name others see, and the consents the platform needs (PIPA), each on its own."""

    display_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("Shown to others on the platform, e.g. “강하은” or “Haeun Kang”."),
        error_messages={"required": _("Enter the name others see you by.")},
    )
    agree_privacy = forms.BooleanField(
        label=_("I agree to the collection and use of my personal information (required)"),
        error_messages={"required": _("Agree to this to create an account.")},
    )
    agree_terms = forms.BooleanField(
        label=_("I agree to the terms of use (required)"),
        error_messages={"required": _("Agree to this to create an account.")},
    )

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if "@" in name:
            # Others read the display name: an e-mail address there would reach them.
            raise forms.ValidationError(_("Use a name, not an e-mail address."))
        return name

    def signup(self, request: HttpRequest, user: User) -> None:
        """Called by allauth once the account is saved: record the name and consents."""
        consents = [
            kind
            for kind, field in (("privacy", "agree_privacy"), ("terms", "agree_terms"))
            if self.cleaned_data.get(field)
        ]
        services.account_sign_up(
            actor=user,
            display_name=self.cleaned_data["display_name"],
            language=get_language() or "",
            consents=consents,
        )


class AccountForm(forms.Form):
    display_name = SignupForm.base_fields["display_name"]
    language = forms.ChoiceField(
        label=_("Language of your mails"),
        choices=[("ko", "한국어"), ("en", "English")],
        help_text=_("It follows the language you last used the site in; choose it here too."),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Where the token is used, e.g. “lab inventory script”."),
        error_messages={"required": _("Give the token a name, e.g. where it is used.")},
    )


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password to close your account.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password

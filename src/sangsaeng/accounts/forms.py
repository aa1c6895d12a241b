"""Forms of the account pages: inviting a member into an organisation."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.models import Membership


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

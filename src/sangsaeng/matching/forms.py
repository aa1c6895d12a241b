"""Forms of the matching pages: they parse input; the services validate the rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.limits import LONG_TEXT, MEDIUM_TEXT, text_field
from sangsaeng.directory.forms import TagField
from sangsaeng.directory.models import Organisation
from sangsaeng.matching.models import Need


class NeedForm(forms.Form):
    """Post or edit a need or an offer (its rules are checked by the service)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Need.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    description = text_field(
        LONG_TEXT,
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("In Korean or English: what you need or offer, and what a good partner knows."),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Need.Visibility.choices,
        initial=Need.Visibility.PUBLIC,
        help_text=_(
            "Confidential: only the cluster office and the parties you contact read the text; "
            "matched experts see the summary."
        ),
    )
    summary = forms.CharField(
        label=_("Public summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a confidential need: it is all that matched experts see."),
    )
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    for_students = forms.BooleanField(
        label=_("For students (an internship, a thesis, a student project)"),
        required=False,
        help_text=_(
            "Students of the cluster's universities may then read it and tell you of their "
            "interest, even when it is for cluster members only."
        ),
    )
    tags = TagField()
    attachment = forms.FileField(label=_("Attachment (optional, up to 10 MB)"), required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        if not data.get("attachment"):
            data.pop("attachment", None)
        return data


class ContactRequestForm(forms.Form):
    party = forms.RegexField(regex=r"^(person|organisation):\d+$", widget=forms.HiddenInput)
    message = text_field(MEDIUM_TEXT, label=_("Message"))


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    note = text_field(
        MEDIUM_TEXT, label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ConversationForm(forms.Form):
    body = text_field(MEDIUM_TEXT, label=_("Message"))


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=300, required=False)
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = text_field(MEDIUM_TEXT, label=_("Outcome"))


class ProjectOutcomeForm(forms.Form):
    outcome = text_field(
        MEDIUM_TEXT,
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the project achieved so far: results, papers, products, next steps."),
    )

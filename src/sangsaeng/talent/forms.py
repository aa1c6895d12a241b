"""Forms of the talent pages: they parse input; the services validate the rules and save.

Each form turns a request into the keyword arguments of one service; a service's
``ValidationError`` is then shown beside the same fields (``core.forms.show_errors``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sangsaeng.directory.forms import TagField
from sangsaeng.directory.models import Organisation, Person
from sangsaeng.talent.models import Course, Opening, PlacementRound


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _optional_int(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, **kwargs)


class CourseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Provider"), queryset=Organisation.objects.none(), empty_label=None
    )
    title_ko = forms.CharField(label=_("Title (Korean)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description_ko = forms.CharField(
        label=_("Description (Korean)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    tags = TagField(label=_("Areas"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput(), required=False)
    schedule_ko = forms.CharField(
        label=_("Schedule (Korean)"),
        max_length=300,
        required=False,
        help_text=_("For example: 화·목 19:00–21:00"),
    )
    schedule_en = forms.CharField(label=_("Schedule (English)"), max_length=300, required=False)
    hours = _optional_int(_("Hours"))
    capacity = forms.IntegerField(label=_("Places"), required=False)
    waitlist_limit = forms.IntegerField(
        label=_("Waiting list places"),
        initial=20,
        min_value=0,
        help_text=_("How many may wait for a place when the course is full (0: no waiting list)."),
    )
    eligibility_ko = forms.CharField(
        label=_("Who may enrol (Korean)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    eligibility_en = forms.CharField(
        label=_("Who may enrol (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    mode = forms.ChoiceField(label=_("Format"), choices=Course.Mode.choices)
    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    enrol_until = forms.DateField(
        label=_("Enrolment closes on"), widget=DateInput(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Course.Status.choices, initial=Course.Status.PUBLISHED
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        data["tags"] = list(data.get("tags") or [])
        return data


class EnrolForm(forms.Form):
    join_waitlist = forms.BooleanField(required=False)


class CompletionForm(forms.Form):
    enrolments = forms.MultipleChoiceField(
        label=_("Completed"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the students who completed the course.")},
    )

    def __init__(self, *args: Any, choices: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].choices = [(str(pk), label) for pk, label in choices]  # type: ignore[attr-defined]

    def ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data["enrolments"]]


class CertificateCheckForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed on the certificate, for example ABCD-EFGH-JK23."),
    )
    name = forms.CharField(
        label=_("Name printed on the certificate (optional)"),
        max_length=200,
        required=False,
        help_text=_("We say whether it matches; we never show the full name."),
    )


class StudentProfileCreateForm(forms.Form):
    name_ko = forms.CharField(label=_("Name (Korean)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("University or institute"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("(not listed)"),
    )
    study_program = forms.CharField(label=_("Study programme"), max_length=200, required=False)
    graduation_year = forms.IntegerField(label=_("Graduation year"), required=False)
    consent_to_profile = forms.BooleanField(
        label=_("I agree to the collection and use of my profile as described above."),
        required=False,
    )
    consent_to_companies = forms.BooleanField(
        label=_("Companies with openings may see my profile (optional)."), required=False
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None = None,
        needs_name: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            organisations if organisations is not None else Organisation.objects.none()
        )
        if not needs_name:
            for name in ("name_ko", "name_en", "organisation"):
                del self.fields[name]


class StudentProfileForm(forms.Form):
    name_ko = forms.CharField(label=_("Name (Korean)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    study_program = forms.CharField(label=_("Study programme"), max_length=200, required=False)
    graduation_year = forms.IntegerField(label=_("Graduation year"), required=False)
    skills = TagField(label=_("Skills"))
    about = forms.CharField(
        label=_("About me"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("What you have worked on and want to learn, in Korean or English."),
    )
    available_from = forms.DateField(label=_("Available from"), widget=DateInput(), required=False)
    available_until = forms.DateField(
        label=_("Available until"), widget=DateInput(), required=False
    )
    hours_per_week = forms.IntegerField(label=_("Hours per week"), required=False)
    cv = forms.FileField(label=_("CV (PDF, Word or Hangul, up to 5 MB)"), required=False)
    remove_cv = forms.BooleanField(label=_("Remove my CV"), required=False)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["skills"] = list(data.get("skills") or [])
        if not data.get("cv"):
            data.pop("cv", None)
        return data


class OpeningForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Company"), queryset=Organisation.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Opening.Kind.choices)
    title_ko = forms.CharField(label=_("Title (Korean)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description_ko = forms.CharField(
        label=_("Description (Korean)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    tags = TagField(label=_("Skills"))
    positions = forms.IntegerField(label=_("Positions"), required=False)
    duration_months = forms.IntegerField(label=_("Duration (months)"), required=False)
    stipend_krw = _optional_int(_("Monthly stipend or salary (KRW)"))
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=Opening.Status.choices, initial=Opening.Status.OPEN
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        data["tags"] = list(data.get("tags") or [])
        return data


class RoundForm(forms.Form):
    name_ko = forms.CharField(label=_("Name (Korean)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description_ko = forms.CharField(
        label=_("Description (Korean)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    openings = forms.ModelMultipleChoiceField(
        label=_("Openings"),
        queryset=Opening.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Universities taking part (none: every student)"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    max_choices = forms.IntegerField(
        label=_("Openings a student may rank"), initial=10, required=False
    )
    students_deadline = forms.DateTimeField(
        label=_("Students rank until"), widget=DateTimeInput(), required=False
    )
    companies_deadline = forms.DateTimeField(
        label=_("Companies rank until"), widget=DateTimeInput(), required=False
    )
    offers_deadline = forms.DateTimeField(
        label=_("Offers answered by"), widget=DateTimeInput(), required=False
    )
    method = forms.ChoiceField(
        label=_("Matching method"),
        choices=PlacementRound.Method.choices,
        initial=PlacementRound.Method.STABLE,
    )

    def __init__(
        self,
        *args: Any,
        openings: QuerySet[Opening] | None = None,
        organisations: QuerySet[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if openings is None:
            del self.fields["openings"]
        else:
            self.fields["openings"].queryset = openings  # type: ignore[attr-defined]
        self.fields["organisations"].queryset = (  # type: ignore[attr-defined]
            organisations if organisations is not None else Organisation.objects.none()
        )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("openings", "organisations"):
            if name in data:
                data[name] = list(data[name])
        return data


class SecondPhaseForm(forms.Form):
    students_deadline = forms.DateTimeField(
        label=_("Students rank until"), widget=DateTimeInput(), required=False
    )
    companies_deadline = forms.DateTimeField(
        label=_("Companies rank until"), widget=DateTimeInput(), required=False
    )
    offers_deadline = forms.DateTimeField(
        label=_("Offers answered by"), widget=DateTimeInput(), required=False
    )


class RankForm(forms.Form):
    """A number per item (1 = first); items left blank are not ranked.

    Used by students for the round's openings and by companies for their applicants.
    """

    def __init__(
        self,
        *args: Any,
        items: Iterable[tuple[int, str]] = (),
        initial_ranks: dict[int, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        initial_ranks = initial_ranks or {}
        for pk, label in items:
            self.fields[f"rank_{pk}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=1,
                initial=initial_ranks.get(pk),
                widget=forms.NumberInput(attrs={"class": "rank-input", "min": 1}),
            )

    def ordered_ids(self) -> list[int]:
        """The ranked ids, first choice first."""
        ranked = [
            (value, int(name.removeprefix("rank_")))
            for name, value in self.cleaned_data.items()
            if name.startswith("rank_") and value is not None
        ]
        return [pk for _, pk in sorted(ranked)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = [v for name, v in data.items() if name.startswith("rank_") and v is not None]
        if len(values) != len(set(values)):
            raise forms.ValidationError(_("Give each one a different number."))
        return data


class PlacementRecordForm(forms.Form):
    student = forms.ModelChoiceField(label=_("Student"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Opening.Kind.choices)
    employer = forms.ModelChoiceField(
        label=_("Employer in the directory"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    employer_name = forms.CharField(
        label=_("Or the employer's name"), max_length=200, required=False
    )
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput(), required=False)

    def __init__(
        self,
        *args: Any,
        students: QuerySet[Person] | None = None,
        employers: QuerySet[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = (  # type: ignore[attr-defined]
            students if students is not None else Person.objects.none()
        )
        self.fields["employer"].queryset = (  # type: ignore[attr-defined]
            employers if employers is not None else Organisation.objects.none()
        )

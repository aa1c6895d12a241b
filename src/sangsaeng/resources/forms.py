"""Forms of the resources pages: they parse input; the services validate the rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.directory.models import Organisation
from sangsaeng.resources.models import Resource

DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "step": 1800}, format="%Y-%m-%dT%H:%M"
)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    """Find free options: a phrase, or the fields (a phrase fills the fields it names)."""

    q = forms.CharField(
        label=_("Describe what you need"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. 4 GPUs for 8 hours next week"), "type": "search"}
        ),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("any"))]
        + [c for c in Resource.Category.choices if c[0] != Resource.Category.MPW],
    )
    units = forms.IntegerField(label=_("Units (seats, GPUs)"), required=False, min_value=1)
    hours = forms.DecimalField(
        label=_("Hours"), required=False, min_value=0.5, max_digits=6, decimal_places=1
    )
    date_from = forms.DateField(label=_("First day"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Last day"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The last day must not be before the first."))
        return data


REPEAT_CHOICES = [
    ("", _("does not repeat")),
    ("DAILY", _("every day")),
    ("WEEKLY", _("every week")),
]


class BookingForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("For"), queryset=Organisation.objects.none(), empty_label=None
    )
    start = forms.DateTimeField(label=_("Start (Seoul time)"), widget=DATETIME)
    end = forms.DateTimeField(label=_("End (Seoul time)"), widget=DATETIME)
    units = forms.IntegerField(label=_("Units"), min_value=1, initial=1)
    purpose = forms.CharField(
        label=_("Purpose (seen by your organisation and the provider only)"),
        required=False,
        max_length=300,
    )
    repeat = forms.ChoiceField(label=_("Repeat"), choices=REPEAT_CHOICES, required=False)
    repeat_count = forms.IntegerField(
        label=_("How many times in all"), required=False, min_value=2, max_value=60
    )
    rule = forms.CharField(
        label=_("Or a repeat rule (RFC 5545)"),
        required=False,
        max_length=300,
        help_text=_("For example FREQ=WEEKLY;BYDAY=TU,TH;COUNT=8"),
    )

    def __init__(
        self, *args: Any, organisations: list[Organisation], resource: Resource, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[organisation.pk for organisation in organisations]
        )
        # No upper bound here: the service says how many the resource has.
        units = self.fields["units"]
        units.label = _("Units (%(unit)s)") % {"unit": resource.unit_label}
        if resource.is_unit:
            units.widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("repeat") and not data.get("rule"):
            if not data.get("repeat_count"):
                self.add_error("repeat_count", _("Say how many times it repeats."))
            else:
                data["rule"] = f"FREQ={data['repeat']};COUNT={data['repeat_count']}"
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organisation": data["organisation"],
            "start": data["start"],
            "end": data["end"],
            "units": data["units"],
            "purpose": data.get("purpose", ""),
            "rule": data.get("rule", ""),
        }


class WaitlistForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all())
    start = forms.DateTimeField()
    end = forms.DateTimeField()
    units = forms.IntegerField(min_value=1)
    purpose = forms.CharField(required=False, max_length=300)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Decline"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=300)


class ShuttleRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("For"), queryset=Organisation.objects.none(), empty_label=None
    )
    design = forms.CharField(label=_("Design name"), max_length=120)
    area_mm2 = forms.DecimalField(label=_("Area (mm²)"), max_digits=9, decimal_places=3)
    min_block_mm2 = forms.DecimalField(
        label=_("Smallest area the design can use (mm²)"),
        required=False,
        max_digits=9,
        decimal_places=3,
        help_text=_("Leave empty if the design needs the whole area or nothing."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[organisation.pk for organisation in organisations]
        )


class PriorityForm(forms.Form):
    priority = forms.DecimalField(
        label=_("Priority"), min_value=0.01, max_value=100, max_digits=5, decimal_places=2
    )


WEEKDAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class ResourceForm(forms.Form):
    """List or change a resource (its rules are checked by the service)."""

    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Organisation.objects.none(), empty_label=None
    )
    slug = forms.SlugField(label=_("Short name (in the address)"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Resource.Category.choices)
    name_ko = forms.CharField(label=_("Name (Korean)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description_ko = forms.CharField(
        label=_("Description (Korean)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    location_ko = forms.CharField(label=_("Location (Korean)"), max_length=200, required=False)
    location_en = forms.CharField(label=_("Location (English)"), max_length=200, required=False)
    capacity = forms.IntegerField(
        label=_("Capacity (seats or GPUs; 1 for equipment)"), min_value=1, initial=1
    )
    opens_at = forms.TimeField(
        label=_("Opens at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes_at = forms.TimeField(
        label=_("Closes at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Leave both empty for around the clock."),
    )
    open_weekdays = forms.MultipleChoiceField(
        label=_("Open on"),
        choices=WEEKDAY_CHOICES,
        initial=["0", "1", "2", "3", "4"],
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ChoiceField(label=_("Who may book"), choices=Resource.Audience.choices)
    allowed_kinds = forms.MultipleChoiceField(
        label=_("Organisation kinds that may book (none ticked: all)"),
        choices=Organisation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_approval = forms.BooleanField(label=_("Bookings need my approval"), required=False)
    max_booking_hours = forms.IntegerField(
        label=_("Longest booking (hours)"), min_value=1, initial=8
    )
    lead_time_hours = forms.IntegerField(label=_("Lead time (hours)"), min_value=0, initial=0)
    cancellation_hours = forms.IntegerField(
        label=_("Cancellation notice (hours)"), min_value=0, initial=0
    )
    credits_per_unit_hour = forms.DecimalField(
        label=_("Credits per unit and hour"),
        min_value=0,
        initial=0,
        max_digits=12,
        decimal_places=2,
    )
    monthly_quota = forms.DecimalField(
        label=_("Monthly quota per organisation (credits; empty: none)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    tape_out_date = forms.DateField(label=_("Tape-out date (MPW)"), required=False, widget=DATE)
    request_deadline = forms.DateTimeField(
        label=_("Request deadline (MPW)"), required=False, widget=DATETIME
    )
    total_area_mm2 = forms.DecimalField(
        label=_("Total area, mm² (MPW)"), required=False, max_digits=9, decimal_places=3
    )
    min_block_mm2 = forms.DecimalField(
        label=_("Smallest block, mm² (MPW)"), required=False, max_digits=9, decimal_places=3
    )
    max_block_mm2 = forms.DecimalField(
        label=_("Largest block, mm² (MPW)"), required=False, max_digits=9, decimal_places=3
    )
    price_per_mm2 = forms.DecimalField(
        label=_("Price per mm², KRW (MPW)"), required=False, max_digits=12, decimal_places=2
    )
    organisation_share = forms.DecimalField(
        label=_("Cap per organisation, share of the run (MPW)"),
        required=False,
        max_digits=4,
        decimal_places=3,
    )
    is_active = forms.BooleanField(label=_("Open for bookings"), required=False, initial=True)

    def __init__(self, *args: Any, providers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if providers is not None:
            self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        else:
            del self.fields["provider"]
            del self.fields["slug"]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("provider", None)
        data.pop("slug", None)
        data["open_weekdays"] = "".join(sorted(data.get("open_weekdays") or []))
        data["allowed_kinds"] = list(data.get("allowed_kinds") or [])
        return data

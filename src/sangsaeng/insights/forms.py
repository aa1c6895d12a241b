"""Forms of the insights pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.directory.models import Organisation
from sangsaeng.insights.metrics import metric_choices
from sangsaeng.insights.network import EDGE_KINDS


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (an <input type="month">), as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2026-03.")}


class DashboardFilterForm(forms.Form):
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)
    kind = forms.ChoiceField(
        label=_("Organisation kind"),
        required=False,
        choices=[("", _("all kinds")), *Organisation.Kind.choices],
    )
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args: object, areas: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["area"].choices = [("", _("all areas")), *areas]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:  # type: ignore[operator]
            self.add_error("end", _("The last month comes before the first."))
        return data


class NetworkFilterForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of collaboration"),
        required=False,
        choices=list(EDGE_KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(
        self, *args: object, areas: list[tuple[str, str]], years: list[int], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["area"].choices = [("", _("all areas")), *areas]  # type: ignore[attr-defined]
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", _("all years")),
            *[(str(y), str(y)) for y in years],
        ]


class IndicatorLinkForm(forms.Form):
    metric = forms.ChoiceField(label=_("Computed from"), choices=metric_choices)
    period_start = forms.DateField(
        label=_("Period starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Period ends on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=14, decimal_places=2)


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, f"Q{q}") for q in range(1, 5)]
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("ko", "한국어"), ("en", "English")])
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("xlsx", "XLSX")])

"""Forms of the support programs pages: they parse input; the services check the rules.

Answers to a call's questions are read as text and checked by the service against the form
the operator defined (``answers.py``), so that a wrong value comes back as a sentence beside
its question and every other value stays on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.directory.forms import TagField
from sangsaeng.directory.models import Commitment, Organisation, TaxonomyTerm
from sangsaeng.programs.answers import field_name
from sangsaeng.programs.models import (
    AssignmentRun,
    AwardReport,
    Bid,
    Call,
    Criterion,
    FormField,
    SupportProgram,
)
from sangsaeng.programs.services import CriterionSpec, FieldSpec

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgramForm(forms.Form):
    name_ko = forms.CharField(label=_("Name (Korean)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description_ko = forms.CharField(
        label=_("Description (Korean)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        label=_("Run by"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class CallForm(forms.Form):
    """A call's facts: texts, budget, eligibility, dates, review settings."""

    program = forms.ModelChoiceField(
        label=_("Programme"), queryset=SupportProgram.objects.none(), empty_label=None
    )
    title_ko = forms.CharField(label=_("Title (Korean)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description_ko = forms.CharField(
        label=_("Description (Korean)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    commitment = forms.ModelChoiceField(
        label=_("Agreement commitment it serves"),
        queryset=Commitment.objects.none(),
        required=False,
        help_text=_("So that the cluster's figures count this call under its commitment."),
    )
    total_budget = forms.IntegerField(label=_("Total budget (KRW)"), required=False, min_value=1)
    max_award = forms.IntegerField(label=_("Maximum per award (KRW)"), required=False, min_value=1)
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Who may apply"),
        choices=Organisation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind of organisation."),
    )
    region = forms.CharField(
        label=_("Located in"),
        max_length=100,
        required=False,
        help_text=_("The city or district applicants must be in, e.g. 성남시. Empty: anywhere."),
    )
    eligible_tags = TagField(
        label=_("Areas"), help_text=_("Applicants work in one of these. None ticked: any area.")
    )
    min_employees = forms.IntegerField(
        label=_("Companies: at least employees"), required=False, min_value=0
    )
    max_employees = forms.IntegerField(
        label=_("Companies: at most employees"), required=False, min_value=0
    )
    opens_at = forms.DateTimeField(
        label=_("Opens at (Korea time)"), widget=DATETIME_WIDGET, required=False
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at (Korea time)"),
        widget=DATETIME_WIDGET,
        required=False,
        help_text=_("A submission one second later is refused."),
    )
    review_deadline = forms.DateTimeField(
        label=_("Reviews due by (Korea time)"), widget=DATETIME_WIDGET, required=False
    )
    reviewers_per_application = forms.IntegerField(
        label=_("Reviewers per application"), initial=3, min_value=1, max_value=10
    )
    reviewer_max_load = forms.IntegerField(
        label=_("Most applications per reviewer"), initial=8, min_value=1, max_value=50
    )
    conflict_years = forms.IntegerField(
        label=_("Conflict window (years)"),
        initial=3,
        min_value=0,
        max_value=20,
        help_text=_("Former organisations and co-authorships within this many years conflict."),
    )
    score_min = forms.IntegerField(label=_("Lowest score"), initial=1)
    score_max = forms.IntegerField(label=_("Highest score"), initial=5)
    disagreement_points = forms.IntegerField(
        label=_("Flag disagreement above (points of 100)"), initial=25, min_value=1, max_value=100
    )

    def __init__(
        self, *args: Any, programs: Any = None, commitments: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if programs is not None:
            self.fields["program"].queryset = programs  # type: ignore[attr-defined]
        if commitments is not None:
            self.fields["commitment"].queryset = commitments  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("program", None)
        codes = data.pop("eligible_tags", [])
        data["tags"] = list(TaxonomyTerm.objects.filter(code__in=codes))
        return data

    @staticmethod
    def initial_for(call: Call) -> dict[str, Any]:
        from django.utils import timezone

        initial: dict[str, Any] = {
            name: getattr(call, name)
            for name in (
                "title_ko",
                "title_en",
                "description_ko",
                "description_en",
                "commitment",
                "total_budget",
                "max_award",
                "eligible_kinds",
                "region",
                "min_employees",
                "max_employees",
                "reviewers_per_application",
                "reviewer_max_load",
                "conflict_years",
                "score_min",
                "score_max",
                "disagreement_points",
            )
        }
        for name in ("opens_at", "closes_at", "review_deadline"):
            initial[name] = timezone.localtime(getattr(call, name))
        initial["program"] = call.program
        initial["eligible_tags"] = [tag.code for tag in call.eligible_tags.all()]
        return initial


class FieldForm(forms.Form):
    """One question of the application form, on the form builder page."""

    key = forms.CharField(label=_("Key"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Answer"), choices=FormField.Kind.choices)
    label_ko = forms.CharField(label=_("Question (Korean)"), max_length=300, required=False)
    label_en = forms.CharField(label=_("Question (English)"), max_length=300, required=False)
    help_ko = forms.CharField(label=_("Help (Korean)"), max_length=500, required=False)
    help_en = forms.CharField(label=_("Help (English)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    max_length = forms.IntegerField(label=_("Most characters"), required=False, min_value=1)
    min_value = forms.DecimalField(label=_("Smallest number"), required=False)
    max_value = forms.DecimalField(label=_("Largest number"), required=False)
    choices = forms.CharField(
        label=_("Options, one per line: 한국어 | English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    max_file_megabytes = forms.IntegerField(
        label=_("Largest file (MB)"), required=False, min_value=1, max_value=50, initial=10
    )

    def spec(self) -> FieldSpec | None:
        data = self.cleaned_data
        if not data or not (data.get("label_ko") or data.get("key")):
            return None
        choices = []
        for line in (data.get("choices") or "").splitlines():
            korean, _bar, english = line.partition("|")
            choices.append({"ko": korean.strip(), "en": english.strip()})
        return FieldSpec(
            key=data.get("key") or "",
            kind=data["kind"],
            label_ko=data.get("label_ko") or "",
            label_en=data.get("label_en") or "",
            help_ko=data.get("help_ko") or "",
            help_en=data.get("help_en") or "",
            required=bool(data.get("required")),
            max_length=data.get("max_length"),
            min_value=data.get("min_value"),
            max_value=data.get("max_value"),
            choices=choices,
            max_file_megabytes=data.get("max_file_megabytes") or 10,
        )

    @staticmethod
    def initial_for(field: FormField) -> dict[str, Any]:
        return {
            "key": field.key,
            "kind": field.kind,
            "label_ko": field.label_ko,
            "label_en": field.label_en,
            "help_ko": field.help_ko,
            "help_en": field.help_en,
            "required": field.required,
            "max_length": field.max_length,
            "min_value": field.min_value,
            "max_value": field.max_value,
            "choices": "\n".join(f"{c.get('ko', '')} | {c.get('en', '')}" for c in field.choices),
            "max_file_megabytes": field.max_file_megabytes,
        }


FieldFormSet = forms.formset_factory(FieldForm, extra=2, can_delete=True)


class CriterionForm(forms.Form):
    name_ko = forms.CharField(label=_("Criterion (Korean)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Criterion (English)"), max_length=200, required=False)
    description_ko = forms.CharField(
        label=_("What reviewers look for (Korean)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description_en = forms.CharField(
        label=_("What reviewers look for (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.IntegerField(label=_("Weight"), required=False, initial=1)

    def spec(self) -> CriterionSpec | None:
        data = self.cleaned_data
        if not data or not (data.get("name_ko") or data.get("name_en")):
            return None
        return CriterionSpec(
            name_ko=data.get("name_ko") or "",
            name_en=data.get("name_en") or "",
            description_ko=data.get("description_ko") or "",
            description_en=data.get("description_en") or "",
            weight=data.get("weight") or 0,
        )

    @staticmethod
    def initial_for(criterion: Criterion) -> dict[str, Any]:
        return {
            "name_ko": criterion.name_ko,
            "name_en": criterion.name_en,
            "description_ko": criterion.description_ko,
            "description_en": criterion.description_en,
            "weight": criterion.weight,
        }


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True)


def specs_of(formset: forms.BaseFormSet, kind: str) -> list[Any]:
    """The non-empty, non-deleted rows of a builder formset as service specs."""
    specs = []
    for form in formset.forms:
        if not form.is_valid() or form.cleaned_data.get("DELETE"):
            continue
        spec = form.spec()  # type: ignore[attr-defined]
        if spec is not None:
            specs.append(spec)
    return specs


class ApplyForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Apply for"))

    def __init__(
        self, *args: Any, organisations: Sequence[Organisation] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.slug, o.name) for o in organisations]  # type: ignore[attr-defined]


class ApplicationForm(forms.Form):
    """The application page: the fixed questions, then the call's own, read as text."""

    title = forms.CharField(label=_("Project title"), max_length=300, required=False)
    requested_amount = forms.CharField(
        label=_("Amount requested (KRW)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=TaxonomyTerm.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, fields: Sequence[FormField] = (), areas: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.questions = list(fields)
        for field in self.questions:
            self.fields[field_name(field)] = _input_for(field)

    def clean_requested_amount(self) -> int | None:
        raw = (self.cleaned_data.get("requested_amount") or "").replace(",", "").strip()
        if not raw:
            return None
        try:
            amount = Decimal(raw)
        except ArithmeticError:
            raise forms.ValidationError(_("Enter the amount in won, in digits.")) from None
        if amount != amount.to_integral_value():
            raise forms.ValidationError(_("Enter the amount in whole won."))
        return int(amount)

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            field.key: data.get(field_name(field), "")
            for field in self.questions
            if field.kind != FormField.Kind.FILE
        }

    def uploads(self, files: Any) -> dict[str, Any]:
        return {
            field.key: files[field_name(field)]
            for field in self.questions
            if field.kind == FormField.Kind.FILE and files.get(field_name(field))
        }

    @staticmethod
    def initial_for(application: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": application.title,
            "requested_amount": f"{application.requested_amount:,}"
            if application.requested_amount
            else "",
            "area": application.area,
        }
        for key, value in (application.answers or {}).items():
            initial[f"answer_{key}"] = value
        return initial


def _input_for(field: FormField) -> forms.Field:
    label, help_text = field.label, field.help
    if field.required:
        label = _("%(question)s (required)") % {"question": label}
    if field.kind == FormField.Kind.FILE:
        limit = _("PDF or XLSX, up to %(size)s MB.") % {"size": field.max_file_megabytes}
        return forms.FileField(
            label=label,
            required=False,
            help_text=f"{help_text} {limit}".strip(),
            widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xlsx"}),
        )
    if field.kind == FormField.Kind.LONG_TEXT:
        widget: forms.Widget = forms.Textarea(attrs={"rows": 6})
    elif field.kind == FormField.Kind.DATE:
        widget = forms.DateInput(attrs={"type": "date"})
    elif field.kind in FormField.NUMBER_KINDS:
        widget = forms.TextInput(attrs={"inputmode": "decimal"})
    else:
        widget = forms.TextInput()
    if field.kind == FormField.Kind.CHOICE:
        return forms.ChoiceField(
            label=label,
            required=False,
            help_text=help_text,
            choices=[("", "—"), *field.choice_pairs()],
        )
    if field.max_length:
        widget.attrs["data-max-length"] = str(field.max_length)
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=widget, strip=False
    )


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.none(), required=False
    )
    person = forms.ModelChoiceField(
        label=_("or a partner expert"), queryset=Organisation.objects.none(), required=False
    )
    role = forms.CharField(label=_("Role in the project"), max_length=200, required=False)

    def __init__(self, *args: Any, choices: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choices:
            self.fields["organisation"].queryset = choices["organisations"]  # type: ignore[attr-defined]
            self.fields["person"].queryset = choices["experts"]  # type: ignore[attr-defined]


class ScreeningForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label=_("Screening"),
        choices=[("yes", _("Eligible: goes to review")), ("no", _("Not eligible"))],
        coerce=lambda value: value == "yes",
    )
    reason = forms.CharField(
        label=_("Reason (the applicant reads it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewerProfileForm(forms.Form):
    opted_in = forms.BooleanField(label=_("I am available to review applications"), required=False)
    max_load = forms.IntegerField(
        label=_("Most applications per call"), min_value=1, max_value=50, initial=6
    )
    evidence_since_year = forms.IntegerField(
        label=_("Count publications since (year)"),
        required=False,
        help_text=_("Older publications do not count as evidence. Empty: all of them."),
    )
    evidence = forms.ModelMultipleChoiceField(
        label=_("Publications that show my expertise"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all of them count."),
    )

    def __init__(self, *args: Any, publications: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if publications is not None:
            self.fields["evidence"].queryset = publications  # type: ignore[attr-defined]


class AffiliationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Former organisation"), queryset=Organisation.objects.none(), required=False
    )
    until_year = forms.IntegerField(label=_("Until (year)"), required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


AffiliationFormSet = forms.formset_factory(AffiliationForm, extra=2)


class BidForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Bid"), choices=[("", _("no bid")), *Bid.Kind.choices], required=False
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ConflictAddForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=Organisation.objects.none())
    application = forms.ModelChoiceField(
        label=_("Application"), queryset=Organisation.objects.none()
    )
    note = forms.CharField(label=_("What the conflict is"), required=False, max_length=2000)

    def __init__(
        self, *args: Any, reviewers: Any = None, applications: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if reviewers is not None:
            self.fields["reviewer"].queryset = reviewers  # type: ignore[attr-defined]
        if applications is not None:
            self.fields["application"].queryset = applications  # type: ignore[attr-defined]


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Why it can be lifted"), required=False, max_length=2000)


class AssignmentStartForm(forms.Form):
    objective = forms.ChoiceField(
        label=_("Objective"), choices=AssignmentRun.Objective.choices, initial="total"
    )
    alternates = forms.IntegerField(
        label=_("Alternates per application"), min_value=0, max_value=10, initial=3
    )


class SwapForm(forms.Form):
    proposal = forms.IntegerField(widget=forms.HiddenInput)
    replacement = forms.IntegerField(widget=forms.HiddenInput)


class InviteForm(forms.Form):
    reviewer = forms.IntegerField(label=_("Reviewer"))


class ReviewForm(forms.Form):
    """Scores (one per criterion, on the call's scale) and two comments."""

    comment_to_applicant = forms.CharField(
        label=_("Comment to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The applicant receives it with the decision, without your name."),
    )
    comment_to_committee = forms.CharField(
        label=_("Comment to the committee"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the cluster office reads it."),
    )

    def __init__(
        self, *args: Any, call: Call, criteria: Sequence[Criterion] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.CharField(
                label=criterion.name,
                required=False,
                help_text=criterion.description,
                widget=forms.NumberInput(
                    attrs={"min": call.score_min, "max": call.score_max, "step": 1}
                ),
            )
        self.order_fields([f"score_{c.pk}" for c in self.criteria])

    def scores(self) -> dict[str, str]:
        return {
            str(criterion.pk): self.cleaned_data.get(f"score_{criterion.pk}", "")
            for criterion in self.criteria
        }


class SelectionForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Proposal"),
        choices=[
            ("greedy", _("In rank order: fund down the ranking while the budget lasts")),
            ("optimised", _("Optimised: the highest total score within the budget")),
        ],
        initial="optimised",
    )
    rank_by = forms.ChoiceField(
        label=_("Rank by"),
        choices=[
            ("normalised", _("Reviewer-normalised score")),
            ("mean", _("Mean score")),
        ],
        initial="normalised",
    )
    minimum_score = forms.FloatField(
        label=_("Fund none below (score of 100)"), required=False, min_value=0, max_value=100
    )

    def __init__(self, *args: Any, areas: Sequence[TaxonomyTerm] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        for area in self.areas:
            self.fields[f"area_{area.code}"] = forms.FloatField(
                label=_("At least %% of the budget for %(area)s") % {"area": area.name},
                required=False,
                min_value=0,
                max_value=100,
            )

    def area_minimums(self) -> dict[str, float]:
        return {
            area.code: (self.cleaned_data.get(f"area_{area.code}") or 0) / 100
            for area in self.areas
            if self.cleaned_data.get(f"area_{area.code}")
        }

    def area_fields(self) -> list[Any]:
        return [self[f"area_{area.code}"] for area in self.areas]


class DecisionForm(forms.Form):
    selected = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Selected")), ("no", _("Not selected"))],
        coerce=lambda value: value == "yes",
    )
    amount = forms.IntegerField(label=_("Amount (KRW)"), required=False, min_value=0)
    note = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300, required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE_WIDGET)


class ReportAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=AwardReport.Kind.choices)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE_WIDGET)


class ReportSubmitForm(forms.Form):
    summary = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    file = forms.FileField(
        label=_("Report file (PDF or XLSX, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xlsx"}),
    )

"""Forms of the directory's pages: they parse input; the services validate rules and save.

Every form only turns a request into the keyword arguments of one service
(``organisation_create``, ``person_update``, ``commitment_report_progress``...); the
service's ``ValidationError`` is then shown next to the same fields.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.limits import MEDIUM_TEXT, text_field
from sangsaeng.directory.models import Commitment, Organisation, Person, Publication, TaxonomyTerm
from sangsaeng.directory.selectors import terms_by_parent

MIN_YEAR, MAX_YEAR = 1900, 2100


def taxonomy_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The taxonomy as grouped choices: one group per top-level term, narrower terms indented.

    A group holds its top-level term first, so a broad capability can be chosen as well
    as a narrow one; deeper levels are prefixed so the hierarchy stays readable in a list.
    """
    children = terms_by_parent(TaxonomyTerm.objects.all())

    def descendants(term: TaxonomyTerm, depth: int) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for child in children.get(term.pk, []):
            found.append((child.code, "\u2003" * (depth - 1) + "└ " + child.name))
            found.extend(descendants(child, depth + 1))
        return found

    return [
        (top.name, [(top.code, top.name), *descendants(top, 1)]) for top in children.get(None, [])
    ]


class TagField(forms.MultipleChoiceField):
    """Capabilities chosen from the taxonomy tree, by code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple(attrs={"class": "tag-tree"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Capabilities"))
        super().__init__(choices=taxonomy_choices, **kwargs)


class OrganisationFilterForm(forms.Form):
    """The public organisation list's search box and filters (GET)."""

    q = forms.CharField(label=_("Keyword"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("All kinds")),
            *((value, capfirst(label)) for value, label in Organisation.Kind.choices),
        ],
    )
    tag = forms.ChoiceField(label=_("Capability"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tag_field = self.fields["tag"]
        assert isinstance(tag_field, forms.ChoiceField)
        tag_field.choices = [("", _("All capabilities")), *taxonomy_choices()]

    def search_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``organisation_search``; an invalid filter is ignored."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "query": data.get("q", ""),
            "kind": data.get("kind", ""),
            "tags": [data["tag"]] if data.get("tag") else [],
        }


class ExpertFilterForm(forms.Form):
    """The public expert list's search box and filters (GET)."""

    q = forms.CharField(label=_("Keyword"), required=False, max_length=200)
    tag = forms.ChoiceField(label=_("Capability"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tag_field = self.fields["tag"]
        assert isinstance(tag_field, forms.ChoiceField)
        tag_field.choices = [("", _("All capabilities")), *taxonomy_choices()]

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {"query": data.get("q", ""), "tags": [data["tag"]] if data.get("tag") else []}


class OrganisationForm(forms.ModelForm):
    """An organisation's public profile, in Korean and English."""

    website = forms.URLField(
        label=_("website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address, e.g. https://example.com.")},
    )
    tags = TagField()

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name_ko",
            "name_en",
            "description_ko",
            "description_en",
            "website",
            "address",
            "city",
            "established_year",
            "employee_count",
        ]
        widgets = {
            "description_ko": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "name_ko": {"required": _("Enter the organisation's name in Korean.")},
            "kind": {"required": _("Choose what kind of organisation this is.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = list(self.instance.tags.values_list("code", flat=True))
        this_year = datetime.date.today().year
        established = self.fields["established_year"]
        established.validators += [
            MinValueValidator(1800, _("Enter a year after 1800.")),
            MaxValueValidator(this_year, _("The year cannot be in the future.")),
        ]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned input as keyword arguments of ``organisation_create``/``_update``."""
        data = dict(self.cleaned_data)
        data["tags"] = list(data.get("tags") or [])
        return data


class ExpertProfileForm(forms.ModelForm):
    """A person's own profile; the publications come from ``PublicationFormSet``."""

    expertise_keywords = forms.CharField(
        label=_("Expertise keywords"),
        required=False,
        max_length=1000,
        help_text=_("Separate keywords with commas, e.g. RISC-V, NPU, 아날로그 회로"),
    )
    tags = TagField()

    class Meta:
        model = Person
        fields = [
            "name_ko",
            "name_en",
            "position_ko",
            "position_en",
            "profile_text",
            "is_public",
        ]
        widgets = {"profile_text": forms.Textarea(attrs={"rows": 6})}
        error_messages = {"name_ko": {"required": _("Enter your name in Korean.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.kind == Person.Kind.STUDENT:
            del self.fields["is_public"]  # never listed (talent shares a student's profile)
        if self.instance.pk and not self.is_bound:
            self.initial["expertise_keywords"] = ", ".join(self.instance.expertise_keywords or [])
            self.initial["tags"] = list(self.instance.tags.values_list("code", flat=True))

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = list(data.get("tags") or [])
        return data


class PublicationForm(forms.Form):
    """One row of the editable list of papers, patents and projects."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=Publication.Kind.choices, initial=Publication.Kind.PAPER
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        error_messages={"required": _("Enter a title, or tick “Remove” to drop this row.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "min_value": _("Enter a year between 1900 and 2100."),
            "max_value": _("Enter a year between 1900 and 2100."),
            "invalid": _("Enter the year as a number, e.g. 2024."),
        },
    )
    link = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address, e.g. https://doi.org/….")},
    )
    abstract = text_field(MEDIUM_TEXT, label=_("Abstract"))


class BasePublicationFormSet(forms.BaseFormSet):
    def add_list_errors(self, messages: list[str]) -> None:
        """Show errors about the whole list (e.g. from ``validate_publications``) above it."""
        self.full_clean()
        self._non_form_errors = self.error_class(
            [*self.non_form_errors(), *messages], error_class="nonform"
        )

    def publications(self) -> list[dict[str, Any]]:
        """The rows to keep, in order, as dicts for ``person_update(publications=...)``."""
        kept = []
        for form in self.forms:
            if not form.has_changed() and not form.initial:
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            kept.append({key: form.cleaned_data.get(key) for key in PublicationForm.base_fields})
        return kept


PublicationFormSet = cast(
    type[BasePublicationFormSet],
    forms.formset_factory(
        PublicationForm, formset=BasePublicationFormSet, extra=3, can_delete=True, max_num=200
    ),
)


def publication_initial(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "kind": publication.kind,
            "title": publication.title,
            "year": publication.year,
            "link": publication.link,
            "abstract": publication.abstract,
        }
        for publication in person.publications.all()
    ]


class ProgressUpdateForm(forms.Form):
    """A dated progress update on one commitment, with the new value of each indicator."""

    reported_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2026-03-31.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(value, capfirst(label)) for value, label in Commitment.Status.choices],
    )
    note_ko = text_field(MEDIUM_TEXT, label=_("Progress note (Korean)"))
    note_en = text_field(
        MEDIUM_TEXT,
        label=_("Progress note (English)"),
        help_text=_("Write it in Korean, English or both: each page shows its own language."),
    )

    def __init__(self, *args: Any, commitment: Commitment, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"commitment-{commitment.pk}")
        super().__init__(*args, **kwargs)
        self.commitment = commitment
        self.fields["status"].initial = commitment.status
        self.fields["reported_on"].initial = datetime.date.today
        self.indicator_fields: list[str] = []
        for indicator in commitment.indicators.all():
            name = f"indicator_{indicator.pk}"
            unit = f" ({indicator.unit})" if indicator.unit else ""
            self.fields[name] = forms.DecimalField(
                label=f"{indicator.name}{unit}",
                initial=indicator.value,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                error_messages={
                    "min_value": _("Enter a number of zero or more."),
                    "invalid": _("Enter a number of zero or more."),
                    "required": _("Enter the current value."),
                },
            )
            self.indicator_fields.append(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("note_ko") or "").strip() and not (data.get("note_en") or "").strip():
            self.add_error("note_ko", _("Describe the progress in Korean or English."))
        return data

    @property
    def indicator_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.indicator_fields]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "note_ko": data["note_ko"],
            "note_en": data["note_en"],
            "status": data["status"],
            "reported_on": data["reported_on"],
            "indicator_values": {
                int(name.removeprefix("indicator_")): data[name] for name in self.indicator_fields
            },
        }


class OrganisationDecisionForm(forms.Form):
    """An operator's approve/reject button on the approval queue."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        error_messages={"invalid_choice": _("Choose approve or reject.")},
    )
    reason = forms.CharField(
        label=_("Reason (told to the registrant; required to reject)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

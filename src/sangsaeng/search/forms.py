"""The search box's form: words, the kinds of result, capabilities, the page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.directory.forms import TagField
from sangsaeng.search.selectors import search_kinds


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=300)
    kind = forms.MultipleChoiceField(
        label=_("Kind"), required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = TagField()
    # A page number from a link; anything else (a typo, a page past the end) reads as a
    # page that exists rather than an error, as the directory's lists do.
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = search_kinds()  # type: ignore[attr-defined]

    def clean_page(self) -> int:
        value = self.cleaned_data.get("page") or ""
        return int(value) if value.isdigit() and 0 < int(value) < 10_000 else 1

"""The search box's form: words, the kinds of result, capabilities."""

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = search_kinds()  # type: ignore[attr-defined]

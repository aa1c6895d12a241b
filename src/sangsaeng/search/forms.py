"""The search box's form: words, the kinds of result, capabilities, the page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from sangsaeng.directory.forms import TagField
from sangsaeng.search.selectors import search_kinds


class TagTree(forms.CheckboxSelectMultiple):
    """The capabilities' checkboxes, grouped by top-level capability, written in Python.

    The same markup as Django's template-rendered widget, at a small part of the cost: a
    template per checkbox made the tree the slowest part of the search page.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group, options, _index in context["optgroups"]:
            boxes = format_html_join(
                "",
                '<div><label for="{}"><input type="checkbox" name="{}" value="{}"'
                ' class="{}" id="{}"{}> {}</label></div>',
                (
                    (
                        option["attrs"]["id"],
                        option["name"],
                        option["value"],
                        self.attrs.get("class", ""),
                        option["attrs"]["id"],
                        SafeString(" checked") if option["selected"] else "",
                        option["label"],
                    )
                    for option in options
                ),
            )
            groups.append(
                format_html("<div><label>{}</label>{}</div>", group, boxes) if group else boxes
            )
        return format_html(
            '<div id="{}" class="{}">{}</div>',
            context["attrs"].get("id", ""),
            self.attrs.get("class", ""),
            SafeString("".join(groups)),
        )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=300)
    kind = forms.MultipleChoiceField(
        label=_("Kind"), required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = TagField(widget=TagTree(attrs={"class": "tag-tree"}))
    # A page number from a link; anything else (a typo, a page past the end) reads as a
    # page that exists rather than an error, as the directory's lists do.
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = search_kinds()  # type: ignore[attr-defined]

    def clean_page(self) -> int:
        value = self.cleaned_data.get("page") or ""
        return int(value) if value.isdigit() and 0 < int(value) < 10_000 else 1

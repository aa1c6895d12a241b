"""How much text a person may type into one field, and the error that says so.

Every text a person types is stored, shown and, for most, read by the search engine: one
1 MB need made the next search take 58 s and took the web and task processes from 0.8 to
7 GB each (``bench/limits/text_size.py`` measures what a text of each size costs). So each
free-text field has a limit, told in the same words everywhere it can be typed:

- models: :class:`BoundedTextField` (a ``TextField`` whose ``full_clean`` refuses longer
  text; services call ``full_clean``), and ``CharField``'s own ``max_length``;
- forms: ``max_length`` with :data:`TOO_LONG` (model forms get both from the field);
- API schemas: ``Field(max_length=...)`` (``sangsaeng.core.api`` words the error);
- services that write no model through ``full_clean``: :func:`check_lengths`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# A description, a profile, an organisation's description: about five pages.
LONG_TEXT = 10_000
# A message, a note, an abstract, an outcome.
MEDIUM_TEXT = 5_000
# Keywords a profile lists, and the length of each.
MAX_KEYWORDS = 50
KEYWORD_LENGTH = 100

_MESSAGE = _("Use at most %(limit_value)s characters; this text has %(show_value)s.")
# A form field's messages (``error_messages=TOO_LONG``), in the same words as the models'.
TOO_LONG = {"max_length": _MESSAGE}


def too_long_message(limit: int, length: int) -> str:
    return str(_MESSAGE) % {"limit_value": f"{limit:,}", "show_value": f"{length:,}"}


@deconstructible
class TextLengthValidator(MaxLengthValidator):
    """``MaxLengthValidator`` in the platform's words, with the numbers grouped by thousands."""

    message = _MESSAGE

    def __call__(self, value: Any) -> None:
        length = self.clean(value)
        if self.compare(length, self.limit_value):
            raise ValidationError(
                self.message,
                code=self.code,
                params={"limit_value": f"{self.limit_value:,}", "show_value": f"{length:,}"},
            )


class BoundedTextField(models.TextField):  # type: ignore[type-arg]
    """A ``TextField`` with a limit that ``full_clean`` and model forms keep (not the database:
    the services are the only writers)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", LONG_TEXT)
        super().__init__(*args, **kwargs)
        self.validators.append(TextLengthValidator(kwargs["max_length"]))

    def formfield(
        self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any
    ) -> Any:
        kwargs.setdefault("error_messages", TOO_LONG)
        return _bounded(
            super().formfield(
                form_class=form_class, choices_form_class=choices_form_class, **kwargs
            )
        )


def check_lengths(values: Mapping[str, Any], limits: Mapping[str, int]) -> None:
    """Raise one ``ValidationError`` keyed by field for every value longer than its limit."""
    errors = {
        name: too_long_message(limit, len(value))
        for name, limit in limits.items()
        if isinstance(value := values.get(name), str) and len(value) > limit
    }
    if errors:
        raise ValidationError(errors)


def text_field(limit: int, **kwargs: Any) -> forms.CharField:
    """A form's free-text field with ``limit`` (a textarea unless a widget is given)."""
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    kwargs.setdefault("required", False)
    kwargs["error_messages"] = {**TOO_LONG, **kwargs.get("error_messages", {})}
    return _bounded(forms.CharField(max_length=limit, **kwargs))


def _bounded(field: Any) -> Any:
    """The form field with Django's length check swapped for the platform's (same limit)."""
    if isinstance(field, forms.CharField) and field.max_length is not None:
        field.validators = [
            validator for validator in field.validators if type(validator) is not MaxLengthValidator
        ] + [TextLengthValidator(field.max_length)]
    return field

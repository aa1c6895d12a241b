"""What every app's forms share: showing a service's refusal beside the fields it names."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def show_errors(
    form: forms.BaseForm,
    error: ValidationError,
    elsewhere: Mapping[str, Callable[[list[str]], Any]] | None = None,
) -> None:
    """Put the messages of a service's ``ValidationError`` on ``form``.

    A message keyed by one of the form's fields goes beside that field; one keyed by a
    name in ``elsewhere`` is handed to that callback (a formset's own list, say); every
    other message goes above the form, so that none is lost.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        if elsewhere and field in elsewhere:
            elsewhere[field]([message for item in field_errors for message in item.messages])
        elif field in form.fields:
            form.add_error(field, field_errors)
        else:
            form.add_error(None, field_errors)

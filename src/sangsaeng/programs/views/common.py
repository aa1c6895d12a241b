"""What the programs pages share: turning a service's refusal into messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def report_errors(request: HttpRequest, error: ValidationError) -> None:
    """Every message of a refusal, as a message at the top of the next page."""
    for message in error.messages:
        messages.error(request, message)


def form_problems(request: HttpRequest, form: object) -> None:
    errors = getattr(form, "errors", {})
    for name, problems in errors.items():
        fields = getattr(form, "fields", {})
        label = fields[name].label if name in fields else ""
        for problem in problems:
            messages.error(request, f"{label}: {problem}" if label else str(problem))

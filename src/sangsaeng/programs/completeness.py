"""What keeps an application from being submitted: its title, amount and area against its
call, and its answers against the call's form. The submitting service refuses with these
problems, and the application's page lists them before anyone presses Submit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sangsaeng.directory.models import TaxonomyTerm
from sangsaeng.programs.answers import clean_answers, missing_required
from sangsaeng.programs.eligibility import call_area_ids
from sangsaeng.programs.models import Application, Call


def basics_problems(
    call: Call, title: str, requested_amount: int | None, area: TaxonomyTerm | None
) -> dict[str, str]:
    """The title, amount and area given, checked against the call (empty when right)."""
    errors: dict[str, str] = {}
    if len(title) > 300:
        errors["title"] = _("Use at most 300 characters.")
    if requested_amount is not None:
        if requested_amount <= 0:
            errors["requested_amount"] = _("Enter the amount you request, in won.")
        elif requested_amount > call.max_award:
            errors["requested_amount"] = _(
                "The call awards at most %(maximum)s won per application."
            ) % {"maximum": f"{call.max_award:,}"}
    if area is not None and call.eligible_tags.exists() and area.pk not in call_area_ids(call):
        errors["area"] = _("Choose one of the call's areas.")
    return errors


def application_problems(application: Application) -> dict[str, str]:
    """What keeps a draft from being submitted, keyed by field (empty when complete)."""
    call = application.call
    errors: dict[str, str] = {}
    if not application.title.strip():
        errors["title"] = _("Give the project a title.")
    if application.requested_amount is None:
        errors["requested_amount"] = _("Enter the amount you request, in won.")
    if call.eligible_tags.exists() and application.area is None:
        errors["area"] = _("Choose the project's area.")
    fields = list(call.form_fields.all())
    errors.update(
        basics_problems(call, application.title, application.requested_amount, application.area)
    )
    _cleaned, answer_errors = clean_answers(fields, application.answers)
    errors.update(answer_errors)
    files = application.files.values_list("field_key", flat=True)
    for key, message in missing_required(fields, application.answers, files).items():
        errors.setdefault(key, message)
    return errors

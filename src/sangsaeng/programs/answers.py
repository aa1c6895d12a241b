"""An application's answers checked against its call's form, and uploaded files checked for
what they really are.

A draft may be incomplete, so only the values given are checked (type and limits); at
submission every required question must be answered too. Errors are keyed by the field names
the application page uses (``answer_<key>``), each a translated sentence.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from sangsaeng.programs.models import FILE_TYPES, FormField

Kind = FormField.Kind


def field_name(field: FormField) -> str:
    """The name of a question's input on the application page and in error messages."""
    return f"answer_{field.key}"


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_answer(field: FormField, value: Any) -> Any:
    """The stored form of one answer, or ``ValueError`` with a translated message."""
    if field.kind in FormField.TEXT_KINDS:
        text = str(value).strip()
        if field.max_length and len(text) > field.max_length:
            raise ValueError(
                _("Use at most %(limit)s characters (you wrote %(count)s).")
                % {"limit": field.max_length, "count": len(text)}
            )
        return text
    if field.kind in FormField.NUMBER_KINDS:
        raw = str(value).strip().replace(",", "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        if field.kind == Kind.AMOUNT and number != number.to_integral_value():
            raise ValueError(_("Enter an amount in whole won."))
        if field.min_value is not None and number < field.min_value:
            raise ValueError(
                _("Enter a number of at least %(limit)s.") % {"limit": _plain(field.min_value)}
            )
        if field.max_value is not None and number > field.max_value:
            raise ValueError(
                _("Enter a number of at most %(limit)s.") % {"limit": _plain(field.max_value)}
            )
        return int(number) if number == number.to_integral_value() else float(number)
    if field.kind == Kind.CHOICE:
        allowed = {choice for choice, _label in field.choice_pairs()}
        if str(value) not in allowed:
            raise ValueError(_("Choose one of the options."))
        return str(value)
    if field.kind == Kind.DATE:
        if isinstance(value, datetime.date):
            return value.isoformat()
        try:
            return datetime.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    raise ValueError(_("This question takes a file: upload it."))


def _plain(number: Decimal) -> str:
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,}"


def clean_answers(
    fields: Iterable[FormField], answers: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers to keep (only the form's questions; empty ones dropped) and the errors."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        if field.kind == Kind.FILE or field.key not in answers:
            continue
        value = answers[field.key]
        if _is_empty(value):
            continue
        try:
            cleaned[field.key] = clean_answer(field, value)
        except ValueError as error:
            errors[field_name(field)] = str(error)
    return cleaned, errors


def missing_required(
    fields: Iterable[FormField], answers: Mapping[str, Any], file_keys: Iterable[str]
) -> dict[str, str]:
    """An error for every required question left unanswered."""
    files = set(file_keys)
    errors = {}
    for field in fields:
        if not field.required:
            continue
        answered = (
            field.key in files if field.kind == Kind.FILE else not _is_empty(answers.get(field.key))
        )
        if not answered:
            errors[field_name(field)] = (
                _("Upload this file: it is required.")
                if field.kind == Kind.FILE
                else _("Answer this question: it is required.")
            )
    return errors


def display_value(field: FormField, value: Any) -> str:
    """An answer as a reader sees it."""
    if value is None or value == "":
        return ""
    if field.kind == Kind.CHOICE:
        return field.choice_label(value)
    if field.kind == Kind.AMOUNT:
        return _("%(amount)s won") % {"amount": f"{int(value):,}"}
    if field.kind == Kind.NUMBER:
        return f"{value:,}" if isinstance(value, int) else str(value)
    return str(value)


# --- files ---------------------------------------------------------------------------------


def file_type_of(upload: UploadedFile) -> str | None:
    """``pdf`` or ``xlsx`` when the file's contents say so (not only its name), else None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            data = upload.read()
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names):
            return "xlsx"
    return None


def check_upload(field: FormField, upload: UploadedFile) -> str:
    """The file's type, or ``ValueError`` saying what is wrong with it."""
    size = upload.size or 0
    limit = field.max_file_megabytes * 1024 * 1024
    if size > limit:
        raise ValueError(
            _("The file is %(size)s MB; this question takes files up to %(limit)s MB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": field.max_file_megabytes}
        )
    if size == 0:
        raise ValueError(_("The file is empty."))
    name = (upload.name or "").lower()
    kind = file_type_of(upload)
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if kind is None or kind not in FILE_TYPES or extension != kind:
        raise ValueError(
            _("Upload a PDF (.pdf) or Excel (.xlsx) file; this file is neither (%(name)s).")
            % {"name": upload.name}
        )
    return kind

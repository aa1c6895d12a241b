"""The operator's page for importing the directory from CSV/XLSX and exporting it back."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from sangsaeng.directory.importing import (
    ORGANISATION_COLUMNS,
    PEOPLE_COLUMNS,
    FileFormat,
    ImportKind,
    ImportRejected,
    export_directory,
    export_filename,
    import_directory,
    require_import_export,
)
from sangsaeng.directory.models import TaxonomyTerm
from sangsaeng.directory.selectors import taxonomy_terms, terms_by_parent

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
KIND_CHOICES = [
    (ImportKind.ORGANISATIONS.value, _("Organisations")),
    (ImportKind.PEOPLE.value, _("People (experts and students)")),
]
CONTENT_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("A .csv file (UTF-8) or an .xlsx workbook, up to 10 MB.")
    )
    kind = forms.ChoiceField(
        label=_("The file holds"),
        choices=[("", _("Guess from the columns")), *KIND_CHOICES],
        required=False,
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB; split it."))
        return upload


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Export"), choices=KIND_CHOICES)
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[(FileFormat.XLSX.value, "Excel (.xlsx)"), (FileFormat.CSV.value, "CSV (UTF-8)")],
    )


@login_required
def directory_import(request: HttpRequest) -> HttpResponse:
    require_import_export(request.user)
    report = None
    problems = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_directory(
                actor=request.user,
                content=upload.read(),
                filename=upload.name or "",
                kind=form.cleaned_data["kind"] or None,
            )
        except ImportRejected as error:
            problems = error.problems
    return render(
        request,
        "directory/importexport/import.html",
        {
            "form": form,
            "export_form": ExportForm(),
            "report": report,
            "problems": problems,
            "organisation_columns": ORGANISATION_COLUMNS,
            "people_columns": PEOPLE_COLUMNS,
            "taxonomy": _taxonomy_rows(request),
        },
        status=400 if problems else 200,
    )


def _taxonomy_rows(request: HttpRequest) -> list[tuple[TaxonomyTerm, list[TaxonomyTerm]]]:
    """The capability codes a file may name: each broad term with its narrower ones."""
    children = terms_by_parent(taxonomy_terms(request.user))
    return [(term, children.get(term.pk, [])) for term in children.get(None, [])]


@login_required
def directory_export(request: HttpRequest) -> HttpResponse:
    require_import_export(request.user)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "directory/importexport/import.html",
            {
                "form": ImportForm(),
                "export_form": form,
                "organisation_columns": ORGANISATION_COLUMNS,
                "people_columns": PEOPLE_COLUMNS,
                "taxonomy": _taxonomy_rows(request),
            },
            status=400,
        )
    kind, file_format = form.cleaned_data["kind"], form.cleaned_data["file_format"]
    content = export_directory(actor=request.user, kind=kind, file_format=file_format)
    response = HttpResponse(content, content_type=CONTENT_TYPES[FileFormat(file_format)])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(kind, file_format)}"'
    return response

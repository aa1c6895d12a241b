"""Who may import into the directory and export it: the one check, at every entry.

Imports add and change records in bulk, and exports carry people's e-mail addresses, so
both are for operators. The import page, the export download, ``import_directory`` and
``export_rows`` all call ``require_import_export`` and nothing else decides it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from sangsaeng.core.policy import AnyUser, is_operator


def may_import_export(user: AnyUser) -> bool:
    return is_operator(user)


def require_import_export(user: AnyUser) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may import into and export the directory."""
    if not may_import_export(user):
        raise PermissionDenied("only operators import into and export the directory")

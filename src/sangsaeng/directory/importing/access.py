"""Who may import into the directory and export it: the one check, at every entry.

Imports add and change records in bulk, and exports carry people's e-mail addresses, so
both are the cluster office's (the policy's ``IMPORT`` on organisations: operators). The
import page, the export download, ``import_directory`` and ``export_rows`` all call
``require_import_export`` and nothing else decides it.
"""

from __future__ import annotations

from sangsaeng.core.policy import Action, AnyUser, can, require
from sangsaeng.directory.models import Organisation


def may_import_export(user: AnyUser) -> bool:
    return can(user, Action.IMPORT, Organisation)


def require_import_export(user: AnyUser) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may import into and export the directory."""
    require(user, Action.IMPORT, Organisation)

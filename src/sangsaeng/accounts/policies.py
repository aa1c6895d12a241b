"""The platform's policies that users consent to, and their current versions.

The texts are the pages ``accounts/policies/<kind>_<language>.html`` (a legal text is kept
whole in each language rather than sentence by sentence in the catalogue). A new version
of a text gets a new version string here; consents record the version they were given to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.models import Consent


@dataclass(frozen=True)
class Policy:
    kind: str
    version: str
    title: object
    url_name: str
    # Without a required consent the platform cannot hold an account for the user.
    required: bool = True


PRIVACY = Policy(
    Consent.Kind.PRIVACY,
    "2026-11-27",
    _("Collection and use of personal information"),
    "privacy",
)
TERMS = Policy(Consent.Kind.TERMS, "2026-11-27", _("Terms of use"), "terms")
POLICIES = (PRIVACY, TERMS)
BY_KIND = {policy.kind: policy for policy in POLICIES}

"""Read-only questions about the whole cluster."""

from __future__ import annotations

from typing import Any

from sangsaeng.core.policy import AnyUser, restrict
from sangsaeng.directory.models import Agreement, Organisation, Person


def cluster_overview(user: AnyUser) -> dict[str, Any]:
    """Counts and recent records for the home page, as far as ``user`` may see them."""
    organisations = restrict(Organisation.objects.all(), user)
    experts = restrict(Person.objects.filter(kind=Person.Kind.EXPERT), user)
    agreements = restrict(Agreement.objects.all(), user)
    return {
        "organisation_count": organisations.count(),
        "expert_count": experts.count(),
        "agreement_count": agreements.count(),
        "kinds": [
            (kind, label, organisations.filter(kind=kind).count())
            for kind, label in Organisation.Kind.choices
        ],
        "recent_agreements": agreements.order_by("-signed_on")[:4],
    }

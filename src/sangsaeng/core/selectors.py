"""Read-only questions about the whole cluster."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q

from sangsaeng.core.policy import AnyUser, restrict
from sangsaeng.directory.models import Agreement, Organisation, Person

# What the public sees of the cluster's size changes slowly and is asked on every visit to
# the home page: the anonymous counts are kept this long in the shared cache.
PUBLIC_COUNTS_SECONDS = 60
PUBLIC_COUNTS_KEY = "cluster-overview:public-counts"


def _counts(user: AnyUser) -> dict[str, Any]:
    organisations = restrict(Organisation.objects.all(), user).aggregate(
        total=Count("pk"),
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in Organisation.Kind.values},
    )
    return {
        "organisation_count": organisations.pop("total"),
        "kind_counts": organisations,
        "expert_count": restrict(Person.objects.filter(kind=Person.Kind.EXPERT), user).count(),
        "agreement_count": restrict(Agreement.objects.all(), user).count(),
    }


def cluster_overview(user: AnyUser) -> dict[str, Any]:
    """Counts and recent records for the home page, as far as ``user`` may see them.

    A signed-in user's counts are live (they may see more than the public); the public's
    are at most ``PUBLIC_COUNTS_SECONDS`` old.
    """
    if user.is_authenticated:
        counts = _counts(user)
    else:
        counts = cache.get(PUBLIC_COUNTS_KEY)
        if counts is None:
            counts = _counts(user)
            cache.set(PUBLIC_COUNTS_KEY, counts, PUBLIC_COUNTS_SECONDS)
    return {
        "organisation_count": counts["organisation_count"],
        "expert_count": counts["expert_count"],
        "agreement_count": counts["agreement_count"],
        "kinds": [
            (kind, label, counts["kind_counts"][kind]) for kind, label in Organisation.Kind.choices
        ],
        "recent_agreements": restrict(Agreement.objects.all(), user).order_by("-signed_on")[:4],
    }

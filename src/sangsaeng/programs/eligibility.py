"""The automatic eligibility checks of a call, run before an applicant starts and at submission.

Each check is kept as facts (a code, whether it passed, the values compared) so that it can
be stored with the application and put in words in whoever reads it's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sangsaeng.directory.models import Organisation, TaxonomyTerm
from sangsaeng.programs.models import Call

APPROVED = "approved"
KIND = "kind"
REGION = "region"
AREA = "area"
SIZE = "size"


@dataclass(frozen=True)
class EligibilityCheck:
    code: str
    passed: bool
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return describe(self.code, self.passed, self.facts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EligibilityCheck:
        return cls(str(data["code"]), bool(data["passed"]), dict(data.get("facts") or {}))


def _kind_label(kind: str) -> str:
    try:
        return str(Organisation.Kind(kind).label)
    except ValueError:
        return kind


def describe(code: str, passed: bool, facts: dict[str, Any]) -> str:
    """One sentence about a check, in the active language."""
    if code == APPROVED:
        return (
            _("The organisation is an approved member of the cluster.")
            if passed
            else _("The organisation is not yet approved by the cluster office.")
        )
    if code == KIND:
        values = {
            "kind": _kind_label(facts.get("kind", "")),
            "eligible": ", ".join(_kind_label(k) for k in facts.get("eligible", [])),
        }
        if passed:
            return _("Kind of organisation: %(kind)s (eligible: %(eligible)s).") % values
        return _("Kind of organisation: %(kind)s is not eligible (only: %(eligible)s).") % values
    if code == REGION:
        values = {"region": facts.get("region", ""), "where": facts.get("where") or "—"}
        if passed:
            return _("Located in the region: %(region)s (%(where)s).") % values
        return (
            _("The call is for organisations located in %(region)s; the profile says: %(where)s.")
            % values
        )
    if code == AREA:
        values = {"areas": ", ".join(facts.get("areas", [])) or "—"}
        if passed:
            return _("Works in an area of the call: %(areas)s.") % values
        return _(
            "None of the organisation's capabilities is an area of the call (%(areas)s): "
            "add the right ones to its profile."
        ) % {"areas": ", ".join(facts.get("call_areas", []))}
    if code == SIZE:
        count = facts.get("employees")
        bounds = {"count": count, "range": size_range(facts.get("least"), facts.get("most"))}
        if count is None:
            return (
                _(
                    "The call is for companies of %(range)s, and the organisation's profile "
                    "gives no employee count: add it."
                )
                % bounds
            )
        if passed:
            return _("Company size: %(count)s employees (eligible: %(range)s).") % bounds
        return _("Company size: %(count)s employees is outside the call's %(range)s.") % bounds
    return code


def size_range(least: Any, most: Any) -> str:
    """The call's company sizes in words: a missing bound is left out, never shown as a dash."""
    if least is not None and most is not None:
        return _("%(least)s to %(most)s employees") % {"least": least, "most": most}
    if most is not None:
        return _("at most %(most)s employees") % {"most": most}
    if least is not None:
        return _("at least %(least)s employees") % {"least": least}
    return _("any number of employees")


def _with_descendants(terms: Iterable[TaxonomyTerm]) -> set[int]:
    """Ids of the terms and every term below them."""
    found = {term.pk for term in terms}
    frontier = set(found)
    while frontier:
        children = set(
            TaxonomyTerm.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = children - found
        found |= frontier
    return found


def call_area_ids(call: Call) -> set[int]:
    """The call's areas and the terms below them (an applicant tagged "NPU" is in "AI")."""
    return _with_descendants(call.eligible_tags.all())


def check_eligibility(call: Call, organisation: Organisation) -> list[EligibilityCheck]:
    """Every check of ``call`` for ``organisation``, passed or not."""
    checks = [EligibilityCheck(APPROVED, organisation.status == Organisation.Status.APPROVED)]
    if call.eligible_kinds:
        checks.append(
            EligibilityCheck(
                KIND,
                organisation.kind in call.eligible_kinds,
                {"kind": organisation.kind, "eligible": list(call.eligible_kinds)},
            )
        )
    if call.region.strip():
        region = call.region.strip()
        where = ", ".join(part for part in (organisation.city, organisation.address) if part)
        checks.append(
            EligibilityCheck(
                REGION,
                region in organisation.city or region in organisation.address,
                {"region": region, "where": where},
            )
        )
    call_tags = list(call.eligible_tags.all())
    if call_tags:
        eligible_ids = call_area_ids(call)
        own = [tag for tag in organisation.tags.all() if tag.pk in eligible_ids]
        checks.append(
            EligibilityCheck(
                AREA,
                bool(own),
                {"areas": [tag.name for tag in own], "call_areas": [t.name for t in call_tags]},
            )
        )
    if organisation.kind == Organisation.Kind.COMPANY and (
        call.min_employees is not None or call.max_employees is not None
    ):
        count = organisation.employee_count
        inside = count is not None and (
            (call.min_employees is None or count >= call.min_employees)
            and (call.max_employees is None or count <= call.max_employees)
        )
        checks.append(
            EligibilityCheck(
                SIZE,
                inside,
                {"employees": count, "least": call.min_employees, "most": call.max_employees},
            )
        )
    return checks


def is_eligible(checks: Iterable[EligibilityCheck]) -> bool:
    return all(check.passed for check in checks)

"""The collaboration network: organisations as nodes, collaborations as edges, and the
figures the city asks of it (computed with NetworkX).

Edges come from joint projects, accepted matches, awards with partners, meetings held at
events and publications that people of two organisations share (the same title). Only
approved organisations are drawn; an edge names its kind and year, never the record's
title or people.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sangsaeng.directory.models import Organisation, Publication
from sangsaeng.events.models import Meeting
from sangsaeng.insights.compute import organisation_slices
from sangsaeng.matching.models import JointProject, Match
from sangsaeng.programs.models import ApplicationPartner

EDGE_KINDS: dict[str, Promise] = {
    "project": _("joint project"),
    "match": _("accepted match"),
    "award": _("award with partners"),
    "meeting": _("meeting at an event"),
    "publication": _("shared publication"),
}
INSTITUTIONS = (Organisation.Kind.UNIVERSITY, Organisation.Kind.RESEARCH_INSTITUTE)

Link = tuple[str, int | None, int, int]  # kind, year, one organisation, the other


def _year(moment: datetime.date | datetime.datetime | None) -> int | None:
    return moment.year if moment is not None else None


def links() -> Iterator[Link]:
    """Every collaboration between two different organisations."""
    for started, first, second in JointProject.objects.annotate(
        other=Coalesce(F("match__organisation_id"), F("match__person__organisation_id"))
    ).values_list("start_date", "match__need__organisation_id", "other"):
        yield "project", _year(started), first, second
    for moment, first, second in (
        Match.objects.filter(state=Match.State.ACCEPTED)
        .annotate(other=Coalesce(F("organisation_id"), F("person__organisation_id")))
        .values_list("updated_at", "need__organisation_id", "other")
    ):
        yield "match", _year(moment), first, second
    for award_start, first, second in ApplicationPartner.objects.filter(
        application__award__isnull=False, organisation__isnull=False
    ).values_list(
        "application__award__starts_on", "application__organisation_id", "organisation_id"
    ):
        yield "award", _year(award_start), first, second
    for slot_start, first, second in Meeting.objects.filter(status=Meeting.Status.HELD).values_list(
        "slot__starts_at", "first__organisation_id", "second__organisation_id"
    ):
        yield "meeting", _year(slot_start), first, second
    authors: dict[str, set[int]] = defaultdict(set)
    years: dict[str, int | None] = {}
    for title, published, organisation in Publication.objects.filter(
        person__organisation__isnull=False
    ).values_list("title", "year", "person__organisation_id"):
        key = " ".join(title.casefold().split())
        authors[key].add(organisation)
        years[key] = published
    for key, organisations in authors.items():
        ordered = sorted(organisations)
        for index, one in enumerate(ordered):
            for other in ordered[index + 1 :]:
                yield "publication", years[key], one, other


@dataclass
class Network:
    graph: nx.Graph
    organisations: dict[int, Organisation]
    areas: dict[int, set[int]]
    edge_counts: Counter[str] = field(default_factory=Counter)


def build(
    *, kinds: set[str] | None = None, year: int | None = None, area: int | None = None
) -> Network:
    """The network of approved organisations, with the edges of the chosen kinds and year;
    with an area, the organisations of that top-level taxonomy area and their edges."""
    organisations = {
        o.pk: o
        for o in Organisation.objects.filter(status=Organisation.Status.APPROVED).only(
            "pk", "slug", "kind", "name_ko", "name_en"
        )
    }
    _kinds, areas = organisation_slices()
    keep = set(organisations)
    if area is not None:
        keep = {pk for pk in keep if area in areas.get(pk, set())}
    graph = nx.Graph()
    for pk in keep:
        graph.add_node(pk)
    counts: Counter[str] = Counter()
    for kind, when, first, second in links():
        if kinds and kind not in kinds:
            continue
        if year is not None and when != year:
            continue
        if first == second or first not in keep or second not in keep:
            continue
        counts[kind] += 1
        if graph.has_edge(first, second):
            graph[first][second]["weight"] += 1
            graph[first][second]["kinds"].add(kind)
        else:
            graph.add_edge(first, second, weight=1, kinds={kind})
    return Network(graph=graph, organisations=organisations, areas=areas, edge_counts=counts)


@dataclass
class Figures:
    organisations: int
    collaborations: int
    bridges: list[tuple[Organisation, Organisation, int]]
    bridge_count: int
    companies_alone: list[Organisation]
    most_connected: list[tuple[Organisation, int]]
    components: int


def figures(network: Network, *, top: int = 10) -> Figures:
    """What the city asks: university–company bridges, companies no institution works with
    yet, the most connected institutions (by degree), and how many separate groups."""
    graph = network.graph
    orgs = network.organisations
    bridges = []
    for first, second, data in graph.edges(data=True):
        kinds = {orgs[first].kind, orgs[second].kind}
        if Organisation.Kind.COMPANY in kinds and kinds & set(INSTITUTIONS):
            bridges.append((orgs[first], orgs[second], int(data["weight"])))
    bridges.sort(key=lambda b: (-b[2], b[0].name, b[1].name))
    alone = [
        orgs[pk]
        for pk in graph.nodes
        if orgs[pk].kind == Organisation.Kind.COMPANY
        and not any(orgs[other].kind in INSTITUTIONS for other in graph.neighbors(pk))
    ]
    alone.sort(key=lambda o: o.name)
    degree = nx.degree_centrality(graph) if graph.number_of_nodes() > 1 else {}
    institutions = [pk for pk in graph.nodes if orgs[pk].kind in INSTITUTIONS]
    ranked = sorted(institutions, key=lambda pk: (-degree.get(pk, 0), orgs[pk].name))
    connected = [(orgs[pk], int(graph.degree(pk))) for pk in ranked[:top] if graph.degree(pk)]
    return Figures(
        organisations=graph.number_of_nodes(),
        collaborations=graph.number_of_edges(),
        bridges=bridges[:top],
        bridge_count=len(bridges),
        companies_alone=alone,
        most_connected=connected,
        components=nx.number_connected_components(graph) if graph.number_of_nodes() else 0,
    )


def elements(network: Network) -> list[dict[str, Any]]:
    """The graph for cytoscape.js: nodes (name, kind) and edges (kinds, weight)."""
    graph = network.graph
    orgs = network.organisations
    degree = dict(graph.degree())
    nodes = [
        {
            "data": {
                "id": f"o{pk}",
                "label": orgs[pk].name,
                "kind": orgs[pk].kind,
                "degree": degree.get(pk, 0),
            }
        }
        for pk in graph.nodes
    ]
    edges = [
        {
            "data": {
                "id": f"e{first}-{second}",
                "source": f"o{first}",
                "target": f"o{second}",
                "weight": data["weight"],
                "kinds": sorted(data["kinds"]),
            }
        }
        for first, second, data in graph.edges(data=True)
    ]
    return nodes + edges


def years() -> list[int]:
    return sorted({when for _k, when, _a, _b in links() if when is not None}, reverse=True)

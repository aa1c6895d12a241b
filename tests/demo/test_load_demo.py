"""The demo cluster: real Seongnam records, generated members, accounts, idempotence, seeds."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from sangsaeng.demo.generator import generate
from sangsaeng.demo.loader import ACCOUNTS, DEMO_PASSWORD, load_demo
from sangsaeng.demo.vocabulary import BY_CODE
from sangsaeng.directory.models import Agreement, Organisation, Person, Publication
from sangsaeng.matching.models import JointProject, Match, Need

pytestmark = pytest.mark.django_db
HANGUL = re.compile(r"[가-힣]")


def snapshot():
    return (
        sorted(Organisation.objects.values_list("slug", "name_ko", "description_en")),
        sorted(Person.objects.values_list("slug", "name_ko", "organisation__slug", "profile_text")),
        sorted(Publication.objects.values_list("person__slug", "title", "year")),
        sorted(Person.tags.through.objects.values_list("person__slug", "taxonomyterm__code")),
    )


def test_full_demo_has_the_promised_counts_and_is_idempotent():
    out = StringIO()
    call_command("load_demo", seed=3, stdout=out)

    companies = Organisation.objects.filter(is_fictional=True, kind="company")
    experts = Person.objects.filter(is_fictional=True, kind="expert")
    assert companies.count() >= 60
    assert experts.count() >= 200
    assert Person.objects.filter(is_fictional=True, kind="student").count() >= 300
    publication_counts = [expert.publications.count() for expert in experts]
    assert min(publication_counts) >= 3 and max(publication_counts) <= 10
    for account in ACCOUNTS:
        assert account.email in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    # The needs-and-offers loop is shown whole: both languages, a request, an answer, a project.
    titles = list(Need.objects.values_list("title", flat=True))
    assert any(re.search("[가-힣]", title) for title in titles)
    assert any(title.isascii() for title in titles)
    assert Match.objects.filter(state=Match.State.ACCEPTED).exists()
    assert JointProject.objects.count() >= 1
    assert Match.objects.filter(state=Match.State.REQUESTED).exists()

    before = snapshot()
    second = StringIO()
    call_command("load_demo", seed=3, stdout=second)
    assert "already loaded" in second.getvalue()
    assert "operator@" in second.getvalue()
    assert snapshot() == before


def test_real_founding_agreement_with_its_three_commitments():
    load_demo(seed=1, scale=0.1, with_needs=False)
    mou = Agreement.objects.get(slug="seongnam-sejong-ai-cluster-mou")
    assert mou.signed_on == datetime.date(2024, 12, 9)
    assert not mou.is_fictional
    assert sorted(mou.parties.values_list("name_en", flat=True)) == [
        "Sejong University",
        "Seongnam City",
    ]
    commitments = list(mou.commitments.order_by("order"))
    assert [c.title_en for c in commitments] == [
        "Administrative support for AI and fabless research",
        "Training excellent talent in advanced technology",
        "A win-win system for an industry–academia–research–government convergence cluster",
    ]
    for commitment in commitments:
        assert commitment.owner is not None
        assert commitment.indicators.exists()
        assert 1 <= commitment.updates.count() <= 2
        assert commitment.status == commitment.updates.order_by("-reported_on").first().status


def test_real_organisations_and_the_eight_party_cluster_agreement():
    load_demo(seed=1, scale=0.1, with_needs=False)
    real = Organisation.objects.filter(is_fictional=False)
    for slug in (
        "seongnam-city",
        "sejong-university",
        "kaist-seongnam-ai-institute",
        "skku-fabless-ai-seongnam-center",
        "cmu-etc",
        "sogang-pangyo-digital-innovation-campus",
    ):
        assert real.filter(slug=slug, status="approved").exists(), slug
    assert "2028" in real.get(slug="kaist-seongnam-ai-institute").description_ko
    cluster = Agreement.objects.get(slug="seongnam-system-semiconductor-cluster-2022")
    assert cluster.parties.count() == 9  # the city and the eight organisations
    assert Agreement.objects.get(slug="seongnam-cmu-etc-mou-2024").signed_on.month == 4
    assert not Organisation.objects.filter(is_fictional=True, slug__in=real.values("slug")).exists()


def test_generated_records_are_fictional_bilingual_and_tagged_like_their_text():
    load_demo(seed=1, scale=0.1, with_needs=False)
    assert not Person.objects.filter(is_fictional=False).exists()
    titles = list(Publication.objects.values_list("title", flat=True))
    assert any(HANGUL.search(title) for title in titles)
    assert any(not HANGUL.search(title) for title in titles)
    for expert in Person.objects.filter(kind="expert").prefetch_related("tags", "publications"):
        text = " ".join(
            [expert.profile_text, *(p.title + " " + p.abstract for p in expert.publications.all())]
        ).casefold()
        codes = [term.code for term in expert.tags.all() if term.code in BY_CODE]
        assert any(
            keyword.casefold() in text for code in codes for keyword in BY_CODE[code].keywords
        ), expert.slug


def test_demo_accounts_log_in_and_have_their_roles():
    load_demo(seed=1, scale=0.1, with_needs=False)
    users = {
        account.role: authenticate(
            username=f"demo-{account.email.split('@')[0]}", password=account.password
        )
        for account in ACCOUNTS
    }
    assert all(users.values())
    operator = users["operator"]
    assert operator.is_operator and operator.is_staff and operator.is_superuser
    assert users["organisation admin"].memberships.get().role == "admin"
    assert users["expert"].person.kind == "expert"
    assert users["student"].person.kind == "student"
    pending = Organisation.objects.get(status="pending")
    assert pending.created_by == users["registrant (pending organisation)"]


def test_same_seed_same_cluster_and_another_seed_another():
    first = generate(11, 0.2)
    assert generate(11, 0.2) == first
    assert generate(12, 0.2).companies != first.companies

    load_demo(seed=5, scale=0.1, with_needs=False)
    loaded = snapshot()
    load_demo(seed=5, scale=0.1, reset=True, with_needs=False)
    assert snapshot() == loaded

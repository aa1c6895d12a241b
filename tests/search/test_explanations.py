"""Explanations that convince: content words as written, shared capabilities, and text in
the page's language."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from sangsaeng.matching.models import Match
from sangsaeng.matching.services import need_create
from sangsaeng.search.selectors import search_page
from tests.factories import OrganisationFactory, PersonFactory, TaxonomyTermFactory
from tests.matching.conftest import KOREAN_NEED

# What the issue saw among shared terms: an ending, a piece of two, a stop word, a verb,
# two words of a list.
NOT_REASONS = {"지", "커버 지", "we", "있다", "크다", "ddr lpddr", "칩 렛", "렛", "저전력 전력"}


def shared_terms_on(page: str) -> list[list[str]]:
    return [
        [term.strip() for term in found.split(",")]
        for found in re.findall(r'<span class="shared-terms">([^<]*)</span>', page)
    ]


def test_suggestions_share_content_words_as_their_texts_write_them(korean_need):
    explanations = [m.explanation for m in Match.objects.filter(need=korean_need)]
    assert explanations
    for explanation in explanations:
        for term in explanation["shared_terms"]:
            assert term.casefold() not in NOT_REASONS, term
            assert not re.fullmatch(r"[가-힣]", term), term  # no lone syllable
    best = Match.objects.get(need=korean_need, rank=1).explanation
    shown = " ".join(best["shared_terms"])
    assert "RISC-V" in shown and "NPU" in shown  # as written, not "risc-v", "npu"
    assert "이검증" not in shown  # the expert's name, read by Kiwi as 이 + 검증


def test_a_phrase_is_shown_once_not_again_word_by_word(cluster):
    cluster.verification_expert.profile_text = "형식 검증과 UVM 검증을 한다."
    cluster.verification_expert.save()
    hits = search_page(cluster.poster, query="형식 검증").hits
    expert = next(hit for hit in hits if hit.record == cluster.verification_expert)
    assert "형식 검증" in expert.explanation["shared_terms"]
    assert "형식" not in expert.explanation["shared_terms"]


def test_a_korean_page_quotes_korean_text_and_an_english_page_english(client, db):
    OrganisationFactory(
        name_ko="엣지실리콘",
        name_en="Edge Silicon",
        description_ko="엣지 기기를 위한 저전력 NPU를 설계합니다. 양산 경험이 있습니다.",
        description_en="We design low-power NPUs for edge devices. We have taken them to volume.",
    )
    korean = client.get("/ko/search/", {"q": "low-power NPU"}).content.decode()
    english = client.get("/en/search/", {"q": "저전력 NPU"}).content.decode()
    assert "엣지 기기를 위한 저전력 NPU를 설계합니다." in korean
    assert "We design low-power NPUs" not in korean
    assert "We design low-power NPUs for edge devices." in english


def test_a_record_with_text_in_one_language_is_quoted_in_it_on_either_page(cluster):
    hits = search_page(AnonymousUser(), query="RISC-V NPU 검증").hits
    expert = next(hit for hit in hits if hit.record == cluster.verification_expert)
    # The English-only expert's own words, since there is no Korean text to quote.
    assert expert.explanation["best_sentence"] in (
        "Functional and formal verification of RISC-V processors and neural processing "
        "units (NPU).",
        "We verify a RISC-V based NPU subsystem with a UVM testbench and formal property checking.",
    )
    assert "by_name" not in expert.explanation  # 검증 is a word of the query, not his name


def test_names_and_capabilities_are_found_but_never_quoted(client, db):
    design = TaxonomyTermFactory(code="chip-design-x", name_ko="칩 설계", name_en="Chip design")
    PersonFactory(
        name_ko="최설계",
        name_en="Seolgye Choi",
        profile_text="아날로그 회로를 설계합니다.",
        tags=[design],
    )
    page = client.get("/ko/search/", {"q": "칩 설계"}).content.decode()
    card = next(
        card for card in re.findall(r"<li class=\"card.*?</li>", page, re.S) if "최설계" in card
    )
    quoted = re.findall(r'<blockquote class="best-sentence">([^<]*)</blockquote>', card)
    assert quoted == ["아날로그 회로를 설계합니다."]  # not its name or "칩 설계 Chip design"


def test_an_expert_found_by_their_organisation_says_so(client, cluster):
    page = client.get("/ko/search/", {"q": "세종대학교"}).content.decode()
    assert "Grace Lee" not in page  # names in the page's language
    card = next(
        card for card in re.findall(r'<li class="card.*?</li>', page, re.S) if "이검증" in card
    )
    assert "소속 기관의 이름이 검색어와 맞습니다." in card
    assert '<div class="meta affiliation">세종대학교</div>' in card
    # Nothing in their work matched, so no work is "best-matching".
    assert "best-document" not in card


def test_a_record_found_by_name_does_not_list_its_name_as_a_shared_word(cluster):
    hits = search_page(AnonymousUser(), query="세종").hits
    university = next(hit for hit in hits if hit.record == cluster.university)
    assert university.explanation["by_name"]
    assert not {"세종대학교", "Sejong"} & set(university.explanation["shared_terms"])


@pytest.fixture
def tagged_need(cluster, django_capture_on_commit_callbacks):
    shared = TaxonomyTermFactory(code="verification-x", name_ko="검증", name_en="Verification")
    unrelated = TaxonomyTermFactory(code="games-x", name_ko="게임", name_en="Games")
    only_need = TaxonomyTermFactory(code="npu-x", name_ko="신경망처리장치", name_en="NPUs")
    cluster.verification_expert.tags.set([shared, unrelated])
    with django_capture_on_commit_callbacks(execute=True):
        return need_create(
            actor=cluster.poster,
            organisation=cluster.company,
            tags=[shared.code, only_need.code],
            **KOREAN_NEED,
        )


def test_candidate_cards_list_only_shared_capabilities_in_the_pages_language(cluster, tagged_need):
    client = Client()
    client.force_login(cluster.poster)
    page = client.get(reverse("matching:need_detail", args=[tagged_need.pk])).content.decode()
    match = Match.objects.get(need=tagged_need, person=cluster.verification_expert)
    card = page[page.index(f'id="match-{match.pk}"') :]
    card = card[: card.index("</li>")]
    shared = re.search(r'<p class="shared-tags">(.*?)</p>', card, re.S)
    assert shared is not None
    assert '<span class="tag">검증</span>' in shared.group(1)
    assert "게임" not in card and "Games" not in card and "Verification" not in card
    assert "신경망처리장치" not in shared.group(1)  # the need's, not the expert's


def test_the_matches_page_reads_the_party_tags_without_a_query_per_card(
    cluster, tagged_need, django_assert_max_num_queries
):
    client = Client()
    client.force_login(cluster.poster)
    url = reverse("matching:need_detail", args=[tagged_need.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    tag_queries = [q for q in captured.captured_queries if "taxonomyterm" in q["sql"]]
    assert len(tag_queries) <= 3  # the need's, the people's and the organisations' tags

"""Korean and English text analysis: technical identifiers, morphemes, language detection."""

from __future__ import annotations

import pytest

from sangsaeng.engine.text import (
    SEARCH_STOP_WORDS_EN,
    TextAnalyzer,
    detect_language,
    split_sentences,
)


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return TextAnalyzer(word_pairs=False)


TECHNICAL = ["risc-v", "lpddr5", "3nm", "finfet", "ucie", "hbm3e", "pcie 6.0"]


def test_technical_identifiers_survive_whole_in_english(analyzer):
    terms = analyzer.terms(
        "A RISC-V core with LPDDR5 memory in 3nm FinFET, linked by UCIe, HBM3E and PCIe 6.0."
    )
    for token in TECHNICAL:
        assert token in terms
    assert "pcie" in terms  # the bare name also matches a query without the version
    assert "a" not in terms


def test_technical_identifiers_survive_whole_in_korean(analyzer):
    terms = analyzer.terms(
        "RISC-V 코어와 LPDDR5 메모리를 3nm FinFET 공정으로 만들고 "
        "UCIe와 HBM3E, PCIe 6.0을 지원한다."
    )
    for token in TECHNICAL:
        assert token in terms
    assert {"코어", "메모리", "공정", "지원"} <= set(terms)


def test_english_words_are_stemmed_and_stop_words_dropped(analyzer):
    terms = analyzer.terms("The accelerators are designed for quantized transformers")
    assert terms == ["acceler", "design", "quantiz", "transform"]


def test_ordinary_hyphenated_words_split_but_acronym_compounds_do_not(analyzer):
    assert analyzer.terms("self-supervised learning") == ["self", "supervis", "learn"]
    assert analyzer.terms("Wi-Fi 7 and RISC-V") == ["wi", "fi", "risc-v"]


def test_korean_keeps_content_morphemes_and_drops_particles_and_endings(analyzer):
    terms = analyzer.terms("연구실은 저전력 반도체를 설계하고 아름다운 회로를 만든다.")
    assert "연구실" in terms
    assert "반도체" in terms
    assert "회로" in terms
    assert "만들다" in terms  # verb stem, read as its dictionary form
    assert "아름답다" in terms  # irregular adjective stem
    for particle_or_ending in ("은", "를", "다", "는"):
        assert particle_or_ending not in terms


def test_english_inside_korean_is_stemmed_like_english(analyzer):
    assert "transform" in analyzer.terms("transformers 기반 가속기")


def test_empty_and_punctuation_only_texts_have_no_terms(analyzer):
    assert analyzer.terms("") == []
    assert analyzer.terms(" ... !!") == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("저전력 NPU 설계 전문가를 찾습니다", "ko"),
        ("RISC-V 기반 SoC", "ko"),
        ("Low-power NPU design for edge AI", "en"),
        ("HBM3E 메모리 컨트롤러 for 3nm FinFET", "ko"),
        ("", "en"),
    ],
)
def test_language_is_detected_from_the_share_of_hangul(text, language):
    assert detect_language(text) == language


def test_a_few_korean_words_in_english_prose_keep_it_english():
    assert detect_language("We collaborate with 성남 city on low-power accelerator design") == "en"


def test_word_pairs_join_adjacent_terms_within_one_script():
    terms = TextAnalyzer().terms("Graph neural networks 설계 자동화")
    assert terms[:3] == ["graph", "neural", "network"]
    assert {"graph neural", "neural network"} <= set(terms)
    assert "network 설계" not in terms  # no pair across the two scripts


def test_sentences_split_at_terminal_punctuation_in_both_languages():
    assert split_sentences("NPU를 설계한다. It runs LLMs! 왜? 끝") == [
        "NPU를 설계한다.",
        "It runs LLMs!",
        "왜?",
        "끝",
    ]


def test_prefixed_korean_nouns_match_however_kiwi_reads_them(analyzer):
    # Kiwi reads 저전력 as prefix + noun alone, but as one unknown noun after other words.
    alone = set(analyzer.terms("저전력"))
    in_context = set(analyzer.terms("엣지실리콘 Edge Silicon\n저전력 NPU 설계"))
    assert "저전력" in alone and "전력" in alone
    assert alone & in_context


# --- what a search box asks of the analysis (each off by default) -------------------------


@pytest.fixture(scope="module")
def search() -> TextAnalyzer:
    return TextAnalyzer(
        compound_parts=True,
        identifier_variants=True,
        english_stop_words=SEARCH_STOP_WORDS_EN,
        cache_size=64,
    )


def test_the_default_analysis_gives_no_parts_variants_or_query_difference():
    plain = TextAnalyzer()
    text = "세종대학교 연구진은 RISC-V와 LPDDR5X, risc v 코어를 설계한다."
    terms = plain.terms(text)
    assert plain.query_terms(text) == terms
    assert "riscv" not in terms and "lpddr5" not in terms
    assert "세종대" not in terms and "학교" not in terms


def test_a_documents_compound_nouns_also_give_their_parts(search):
    terms = search.terms("세종대학교는 서울에 있다.")
    assert {"세종대학교", "세종", "대학교"} <= set(terms)
    # A query keeps its compound whole, or "세종대학교" would find every 대학교.
    assert search.query_terms("세종대학교") == ["세종대학교"]


def test_parts_are_known_words_not_fragments(search):
    assert "교디" not in search.terms("판교디지털혁신캠퍼스")
    # An unknown name before a known head noun is split there: a company and its kind.
    assert {"케샬", "실리콘"} <= set(search.terms("케샬실리콘"))
    # Three syllables give no two-syllable parts on both sides.
    assert search.terms("정하준") == ["정하준"]


def test_a_compound_read_as_pieces_in_a_sentence_is_also_whole(search):
    # Kiwi reads 칩렛 as 칩 + 렛 here and 세종대학교 as 세종 + 대학교 in this sentence.
    assert "칩렛" in search.terms("성남연구센터에서 칩렛을 설계한다")
    assert "세종대학교" in search.terms("세종대학교 연구진과 협력합니다")


@pytest.mark.parametrize("written", ["RISC-V", "risc-v", "risc v", "RISCV", "RISC V"])
def test_every_spelling_of_risc_v_gives_one_term(search, written):
    assert "riscv" in search.query_terms(f"{written} 검증")


@pytest.mark.parametrize(("written", "term"), [("LPDDR 5", "lpddr5"), ("HBM 3E", "hbm3e")])
def test_a_generation_written_apart_joins_its_name(search, written, term):
    assert term in search.query_terms(written)


def test_a_documents_identifier_also_names_its_family_but_a_querys_does_not(search):
    assert {"lpddr5x", "lpddr5"} <= set(search.terms("LPDDR5X memory"))
    assert {"hbm3e", "hbm3"} <= set(search.terms("HBM3E 인터포저"))
    assert "lpddr5" not in search.query_terms("LPDDR5X")


def test_ordinary_words_written_apart_are_not_joined(search):
    terms = search.terms("analog layout and self-supervised learning")
    assert "analoglayout" not in terms and "selfsupervised" not in terms


def test_the_search_stop_words_leave_out_function_words(search):
    assert search.terms("We offer our boards which we share") == [
        "offer",
        "board",
        "share",
        "offer board",
        "board share",
    ]


def test_display_words_are_whole_words_as_written(search):
    words = search.display_words("RISC-V 코어와 칩렛을 저전력으로 설계하는 세종대학교")
    assert words["risc-v"] == "RISC-V" and words["riscv"] == "RISC-V"
    assert words["칩렛"] == "칩렛" and "칩" not in words  # a word of the domain, kept whole
    assert words["전력"] == words["저전력"] == "저전력"
    assert words["세종"] == "세종대학교"
    assert "설계하다" not in words  # a verb stem is no reason a person can check


def test_display_words_leave_out_particles_endings_verbs_and_stop_words(search):
    plain = TextAnalyzer()  # the engine's own analysis, which keeps "we" as a term
    words = plain.display_words("We verify it. 검증할 수 있다. 커버리지 기반 검증")
    assert "we" in plain.terms("We verify it.")
    assert "we" not in words
    assert "있다" not in words and "크다" not in words
    assert words["검증"] == "검증"
    assert "기반" not in words  # a light noun ("based"): a word, but no reason to show


def test_display_pairs_are_phrases_not_lists_or_pieces_of_one_word(search):
    words = search.display_words("DDR·LPDDR·HBM 메모리와 형식 검증을 하는 칩렛 설계")
    assert "ddr lpddr" in search.terms("DDR·LPDDR·HBM") and "ddr lpddr" not in words
    assert words["형식 검증"] == "형식 검증"
    assert "메모리 형식" not in words  # "메모리와 형식": a list, not a phrase
    assert "칩 렛" not in words  # two pieces of one word
    words = search.display_words("mixed-signal layout")
    assert words["mix signal"] == "mixed-signal"  # one word's two parts
    assert words["signal layout"] == "mixed-signal layout"


def test_analyses_are_remembered_up_to_the_cache_size():
    analyzer = TextAnalyzer(cache_size=2)
    first = analyzer.terms("첫 번째 문장")
    analyzer.terms("두 번째 문장")
    analyzer.terms("세 번째 문장")
    assert len(analyzer._cache) == 2
    assert analyzer.terms("첫 번째 문장") == first


def test_the_analysis_settings_name_everything_that_changes_the_terms(search):
    assert search.settings() != TextAnalyzer().settings()
    assert (
        search.settings()
        == TextAnalyzer(
            compound_parts=True, identifier_variants=True, english_stop_words=SEARCH_STOP_WORDS_EN
        ).settings()
    )


def test_a_forked_process_analyses_korean_with_its_own_kiwi(analyzer):
    """A pre-forking web server's workers inherit the parent's analyser; Kiwi's threads do not
    survive fork(), so a child that used the parent's Kiwi waited for them forever."""
    import os
    import signal
    import time

    expected = analyzer.terms("반도체 설계 검증 전문가")
    pid = os.fork()
    if pid == 0:  # the child: exit 0 only if it analyses Korean as its parent did
        try:
            os._exit(0 if analyzer.terms("반도체 설계 검증 전문가") == expected else 1)
        finally:
            os._exit(2)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail("the forked child never finished analysing Korean text")


def test_forked_processes_share_a_single_threaded_kiwi():
    """Without threads Kiwi survives fork(): the children use the parent's, loading none."""
    import os
    import signal
    import time

    single = TextAnalyzer(word_pairs=False, kiwi_threads=0)
    expected = single.terms("반도체 설계 검증 전문가")
    pid = os.fork()
    if pid == 0:
        try:
            shared = "_kiwi" in single.__dict__  # still the parent's, not forgotten
            same = single.terms("반도체 설계 검증 전문가") == expected
            os._exit(0 if shared and same else 1)
        finally:
            os._exit(2)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail("the forked child never finished analysing Korean text")


def test_single_threaded_kiwi_finds_the_same_terms(analyzer):
    single = TextAnalyzer(word_pairs=False, kiwi_threads=0)
    texts = ["RISC-V 코어와 LPDDR5 메모리", "인공지능 가속기 설계", "An English sentence."]
    assert single.terms_many(texts) == analyzer.terms_many(texts)

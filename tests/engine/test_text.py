"""Korean and English text analysis: technical identifiers, morphemes, language detection."""

from __future__ import annotations

import pytest

from sangsaeng.engine.text import TextAnalyzer, detect_language, split_sentences


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

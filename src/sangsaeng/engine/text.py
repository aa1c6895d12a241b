"""Text analysis for Korean and English: language detection, index terms and sentences.

Every text is analysed the same way whatever its language, because cluster texts mix the
two freely ("RISC-V 기반 NPU 설계"):

- Latin-script spans are read by a regular expression. Technical identifiers (RISC-V,
  LPDDR5, 3nm, FinFET, UCIe, HBM3E, PCIe 6.0) are kept whole and lower-cased; other
  English words lose their stop words and are stemmed with the Snowball English stemmer.
- Hangul spans go through Kiwi, a Korean morphological analyser, and keep their content
  morphemes (nouns, verb and adjective stems, roots, Chinese characters).

The result is a list of index terms shared by the sparse index and the explanations.
"""

from __future__ import annotations

import itertools
import os
import re
import weakref
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any, Literal

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

Language = Literal["ko", "en"]

# A Hangul syllable is a whole written syllable, worth about three Latin letters.
HANGUL_SYLLABLE_WEIGHT = 3
# A Hangul share of (weighted) letters at or above this marks a text as Korean: "RISC-V 기반
# SoC" is Korean, an English sentence naming "성남" once is not.
KOREAN_LETTER_SHARE = 0.3

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")

# Latin-script words, numbers and identifiers, in one pass. The order of alternatives
# matters: the longest technical form wins.
_LATIN_TOKEN = re.compile(
    r"""
    (?P<versioned>                       # an identifier followed by a version: PCIe 6.0, USB 3.2
        [A-Za-z][A-Za-z0-9]*[A-Za-z0-9]\s+\d+\.\d+(?:\.\d+)*(?![A-Za-z0-9]|\.\d)
    )
    | (?P<word>
        [A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)*   # letters and digits, joined by - / or .
    )
    """,
    re.VERBOSE,
)
_VERSION_SPLIT = re.compile(r"\s+")
_JOINER = re.compile(r"[-/.]")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")

# Kiwi part-of-speech tags that carry content: common and proper nouns, numerals-as-nouns,
# verb and adjective stems, roots, Chinese characters.
_KOREAN_CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "VV", "VA", "XR", "SH"})
_KOREAN_NOUN_TAGS = frozenset({"NNG", "NNP"})

_ENGLISH_STOP_WORDS = frozenset(STOPWORDS_EN) | frozenset(
    {"also", "however", "using", "use", "used", "via", "paper", "propose", "proposed", "show"}
)


def detect_language(text: str) -> Language:
    """Return ``"ko"`` when Hangul makes up a real share of the text's letters, else ``"en"``."""
    hangul = HANGUL_SYLLABLE_WEIGHT * len(_HANGUL.findall(text))
    if hangul == 0:
        return "en"
    latin = len(_LATIN_LETTER.findall(text))
    return "ko" if hangul / (hangul + latin) >= KOREAN_LETTER_SHARE else "en"


def is_technical_identifier(word: str) -> bool:
    """True for words that a stemmer or a word splitter would damage.

    That is a word mixing letters and digits (LPDDR5, 3nm, HBM3E), with a capital after
    its first letter (FinFET, UCIe, NPU) or joined by hyphens around capitals (RISC-V).
    """
    has_digit = any(ch.isdigit() for ch in word)
    has_letter = any(ch.isalpha() for ch in word)
    if has_digit and has_letter:
        return True
    return any(ch.isupper() for ch in word[1:])


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences at terminal punctuation and line breaks."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


# Kiwi's worker threads do not survive fork(): a forked process (a pre-forking web server's
# worker) that used its parent's multi-threaded Kiwi would wait for them forever. Such an
# analyser forgets its Kiwi in a forked child, which loads its own on first use; the parent's
# is kept, never freed, in the child (freeing it would wait for those same threads). A
# single-threaded Kiwi (``kiwi_threads=0``) has no threads to lose: forked children keep
# using it, and share its memory (about 500 MB) with the parent instead of loading a copy.
_ANALYSERS: weakref.WeakSet[TextAnalyzer] = weakref.WeakSet()
_KIWIS_OF_THE_PARENT: list[Any] = []


def _forget_threaded_kiwi_after_fork() -> None:
    for analyser in list(_ANALYSERS):
        if analyser.kiwi_threads == 0:
            continue
        kiwi = analyser.__dict__.pop("_kiwi", None)
        if kiwi is not None:
            _KIWIS_OF_THE_PARENT.append(kiwi)


os.register_at_fork(after_in_child=_forget_threaded_kiwi_after_fork)


class TextAnalyzer:
    """Turns Korean and English text into index terms.

    The Kiwi model is loaded on first use of Korean text (about a second), so an analyser
    that only ever sees English costs nothing extra. ``kiwi_threads``: Kiwi's worker
    threads for batches (None: Kiwi's default, one per core); 0 analyses one text at a time
    in the calling thread, which forked processes can share (see above).
    """

    def __init__(
        self, stem_english: bool = True, word_pairs: bool = True, kiwi_threads: int | None = None
    ) -> None:
        _ANALYSERS.add(self)
        self.stem_english = stem_english
        # Adjacent term pairs ("graph neural", "neural network") as extra terms: on the
        # reviewer-expertise dev split they lower BM25's loss from 0.217 to about 0.202.
        self.word_pairs = word_pairs
        self.kiwi_threads = kiwi_threads
        self._stemmer = Stemmer.Stemmer("english")

    @cached_property
    def _kiwi(self):  # type: ignore[no-untyped-def]
        import warnings

        from kiwipiepy import Kiwi

        if self.kiwi_threads is None:
            return Kiwi()
        with warnings.catch_warnings():
            # kiwipiepy notes that 0 meant something else before 0.21; 0 is single-threaded.
            warnings.simplefilter("ignore", DeprecationWarning)
            return Kiwi(num_workers=self.kiwi_threads)

    def _tokenize(self, texts: list[str]) -> list[Any]:
        if self.kiwi_threads == 0:  # no thread pool: Kiwi analyses batches only with one
            return [self._kiwi.tokenize(text) for text in texts]
        return list(self._kiwi.tokenize(texts))

    def terms(self, text: str) -> list[str]:
        """The index terms of one text, in reading order (duplicates kept)."""
        return self.terms_many([text])[0]

    def terms_many(self, texts: Sequence[str]) -> list[list[str]]:
        """The index terms of each text; Korean texts go through Kiwi in one batch.

        Single terms come first, in reading order (Latin-script ones, then Korean ones),
        followed by the pairs of adjacent terms within each script when ``word_pairs``.
        """
        return [[term for term, _ in found] for found in self.terms_with_words_many(texts)]

    def surface_forms(self, text: str) -> dict[str, str]:
        """Each index term of ``text`` with the first word (or word pair) that produced it.

        Stems read like typos ("verif"), so explanations show these instead
        ("verification"). Words are lower-cased, as the terms are; Korean terms are already
        words and are their own surface form.
        """
        surfaces: dict[str, str] = {}
        for term, word in self.terms_with_words_many([text])[0]:
            surfaces.setdefault(term, word)
        return surfaces

    def terms_with_words_many(self, texts: Sequence[str]) -> list[list[tuple[str, str]]]:
        """Like :meth:`terms_many`, each term paired with the word it was read from."""
        latin_terms = [self._latin_terms(text) for text in texts]
        korean_terms: list[list[tuple[str, str]]] = [[] for _ in texts]
        korean_positions = [i for i, text in enumerate(texts) if _HANGUL.search(text)]
        if korean_positions:
            # Latin spans were read above; a one-letter stand-in keeps the particles that
            # follow them ("UCIe와") attached to something, so Kiwi does not misread them.
            hangul_only = [_LATIN_TOKEN.sub("A", texts[i]) for i in korean_positions]
            for position, morphemes in zip(
                korean_positions, self._tokenize(hangul_only), strict=True
            ):
                korean_terms[position] = [(term, term) for term in _korean_content_terms(morphemes)]
        result = []
        for latin, korean in zip(latin_terms, korean_terms, strict=True):
            terms = latin + korean
            if self.word_pairs:
                terms += _pairs(latin) + _pairs(korean)
            result.append(terms)
        return result

    def _latin_terms(self, text: str) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for match in _LATIN_TOKEN.finditer(text):
            if match.group("versioned"):
                name, version = _VERSION_SPLIT.split(match.group("versioned"), maxsplit=1)
                found.append((self._english_term(name) or name.lower(), name.lower()))
                versioned = f"{name.lower()} {version}"
                found.append((versioned, versioned))
                continue
            word = match.group("word")
            if _JOINER.search(word) and not _is_technical_compound(word):
                found.extend(self._plain_words(word))
                continue
            term = self._english_term(word)
            if term:
                found.append((term, word.lower()))
        return found

    def _english_term(self, word: str) -> str | None:
        """One term for a word, or None for a stop word or a bare number."""
        if not any(ch.isalpha() for ch in word):
            return None
        if _is_technical_compound(word):
            # RISC-V, 3nm, FinFET: whole, lower-cased, never stemmed.
            return word.lower()
        lowered = word.lower()
        if lowered in _ENGLISH_STOP_WORDS or len(lowered) < 2:
            return None
        return self._stemmer.stemWord(lowered) if self.stem_english else lowered

    def _plain_words(self, word: str) -> list[tuple[str, str]]:
        """The terms of an ordinary compound ("self-supervised" -> "self", "supervis")."""
        return [
            (term, part.lower())
            for part in _JOINER.split(word)
            if (term := self._english_term(part))
        ]


def _is_technical_compound(word: str) -> bool:
    parts = [part for part in _JOINER.split(word) if part]
    return any(
        is_technical_identifier(part) or (len(part) > 1 and part.isupper() and part.isalpha())
        for part in parts
    )


def _pairs(terms: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (f"{first} {second}", f"{first_word} {second_word}")
        for (first, first_word), (second, second_word) in itertools.pairwise(terms)
    ]


def _korean_content_terms(morphemes: Sequence[Any]) -> list[str]:
    """Content morphemes of Kiwi's analysis, with prefixed nouns kept whole as well.

    Kiwi reads "저전력" as prefix + noun ("저", "전력") in one sentence and as one unknown
    proper noun in another; emitting both "저전력" and "전력" for the prefixed reading lets
    the two readings meet in the index.
    """
    terms: list[str] = []
    for token, following in itertools.zip_longest(morphemes, morphemes[1:]):
        # Irregular stems carry a suffix: "VA-I" is an adjective stem.
        base_tag = token.tag.split("-")[0]
        if (
            base_tag == "XPN"
            and following is not None
            and following.tag in _KOREAN_NOUN_TAGS
            and token.start + token.len == following.start
        ):
            terms.append(token.form + following.form)
        elif base_tag in _KOREAN_CONTENT_TAGS:
            terms.append(_korean_term(token.form, base_tag))
    return terms


def _korean_term(form: str, tag: str) -> str:
    # Verb and adjective stems read as dictionary forms ("설계하" -> "설계하다") in explanations.
    return form + "다" if tag in ("VV", "VA") else form


def unique_terms(terms: Iterable[str]) -> list[str]:
    """The distinct terms, in first-seen order."""
    return list(dict.fromkeys(terms))

"""Text analysis for Korean and English: language detection, index terms and sentences.

Every text is analysed the same way whatever its language, because cluster texts mix the
two freely ("RISC-V 기반 NPU 설계"):

- Latin-script spans are read by a regular expression. Technical identifiers (RISC-V,
  LPDDR5, 3nm, FinFET, UCIe, HBM3E, PCIe 6.0) are kept whole and lower-cased; other
  English words lose their stop words and are stemmed with the Snowball English stemmer.
- Hangul spans go through Kiwi, a Korean morphological analyser, and keep their content
  morphemes (nouns, verb and adjective stems, roots, Chinese characters).

The result is a list of index terms shared by the sparse index and the explanations.

A search box asks more of the analysis than the batch scorer does, so an analyser can
also (each off by default, so ``sangsaeng engine score`` is unchanged):

- give a document's Korean compound nouns their parts (``compound_parts``): "세종대학교"
  is also "세종" and "대학교", so a query for either finds it. Queries keep their compounds
  whole (:meth:`TextAnalyzer.query_terms`), or "세종대학교" would find every 대학교;
- read technical identifiers however they are spaced or hyphenated
  (``identifier_variants``): RISC-V, risc-v, risc v and RISCV all give "riscv"; LPDDR 5
  gives "lpddr5"; a document's LPDDR5X and HBM3E are also "lpddr5" and "hbm3";
- remember its analyses (``cache_size``), so explaining a result does not analyse the same
  document again.

:meth:`TextAnalyzer.display_words` says, for each term, the whole word or phrase of the
text it was read from, as written ("RISC-V", "칩렛", "형식 검증"), or nothing when the term
is not worth showing a person: a verb or adjective stem, a stop word, two words that are
not a phrase (across punctuation or inside one word).
"""

from __future__ import annotations

import bisect
import itertools
import os
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from functools import cached_property
from typing import Any, Literal, NamedTuple

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
# A fuller list (the usual English function words) for a search box, where "we" or "which"
# in a query should neither find records nor be shown as a reason they were found.
SEARCH_STOP_WORDS_EN = _ENGLISH_STOP_WORDS | frozenset(
    """
    about above after again against all am any because been before being below between
    both can could did do does doing down during each few from further had has have
    having he her here hers herself him himself his how i its itself just me more most
    my myself nor now off once only other ought our ours ourselves out over own same she
    should so some than theirs them themselves those through too under until up very we
    were what when where which while who whom why would you your yours yourself
    yourselves us may might must shall within without upon per etc et al new well based
    """.split()  # noqa: SIM905 (a list of words reads best as words)
)

# Nouns that carry little meaning of their own ("기반" based, "기업" company, "경험"
# experience): words, but no reason a person recognises for a match, so never shown.
KOREAN_LIGHT_NOUNS = frozenset(
    """
    기반 기업 경우 관련 이용 사용 활용 대상 수행 진행 가능 필요 경험 제공 내용 부분 정도
    이상 이하 현재 기존 다양 주요 방법 방식 결과 목적 함께 위해 통해 대한 자사 당사
    """.split()  # noqa: SIM905 (a list of words reads best as words)
)

# Kiwi tags of the morphemes that carry a word's meaning up to its particles and endings:
# a word's written stem runs from its start to the last of these ("반도체를" -> "반도체").
_KOREAN_STEM_TAGS = frozenset(
    {"NNG", "NNP", "NNB", "NR", "NP", "XPN", "XSN", "XR", "SL", "SN", "SH"}
)
# A compound's part is a noun of at least this many syllables (no "교", "디" fragments).
_PART_MIN_SYLLABLES = 2
_PART_TAGS = frozenset({"NNG", "NNP", "NR", "XPN", "XSN"})
_WORD_SPAN = re.compile(r"\w+")
_HANGUL_WORD = re.compile(r"^[\uac00-\ud7a3]+$")
# An identifier's family: LPDDR5X and LPDDR5 are one family, HBM3E and HBM3 another.
_IDENTIFIER_FAMILY = re.compile(r"^([a-z]+[0-9]+)[a-z]{1,2}$")
_ALPHABETIC = re.compile(r"^[A-Za-z]{2,}$")
# What may follow a name with a space and still belong to it: "RISC V", "LPDDR 5", "HBM 3E".
_IDENTIFIER_TAIL = re.compile(r"^(?:[A-Za-z]|[0-9][A-Za-z0-9]{0,3})$")
_PLACEHOLDER = "A"


class _Found(NamedTuple):
    """One term of a text: the term, the lower-cased word it was read from, the whole word
    or phrase to show a person (None: not to be shown), and whether only documents get it."""

    term: str
    word: str
    display: str | None
    document_only: bool = False


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


def _fresh_cache_locks_after_fork() -> None:
    # A thread of the parent may have held a cache's lock at fork(); the child has no such
    # thread, so its copy of the lock would stay held for ever.
    for analyser in list(_ANALYSERS):
        analyser._cache_lock = threading.Lock()


os.register_at_fork(after_in_child=_fresh_cache_locks_after_fork)


class TextAnalyzer:
    """Turns Korean and English text into index terms.

    The Kiwi model is loaded on first use of Korean text (about a second), so an analyser
    that only ever sees English costs nothing extra. ``kiwi_threads``: Kiwi's worker
    threads for batches (None: Kiwi's default, one per core); 0 analyses one text at a time
    in the calling thread, which forked processes can share (see above).
    """

    def __init__(
        self,
        stem_english: bool = True,
        word_pairs: bool = True,
        kiwi_threads: int | None = None,
        *,
        compound_parts: bool = False,
        identifier_variants: bool = False,
        english_stop_words: Collection[str] = _ENGLISH_STOP_WORDS,
        cache_size: int = 0,
    ) -> None:
        _ANALYSERS.add(self)
        self.stem_english = stem_english
        # Adjacent term pairs ("graph neural", "neural network") as extra terms: on the
        # reviewer-expertise dev split they lower BM25's loss from 0.217 to about 0.202.
        self.word_pairs = word_pairs
        self.kiwi_threads = kiwi_threads
        self.compound_parts = compound_parts
        self.identifier_variants = identifier_variants
        self.english_stop_words = frozenset(english_stop_words)
        self.cache_size = cache_size
        self._stemmer = Stemmer.Stemmer("english")
        self._cache: OrderedDict[str, tuple[_Found, ...]] = OrderedDict()
        self._display_cache: OrderedDict[str, dict[str, str]] = OrderedDict()
        self._cache_lock = threading.Lock()
        # Whether a string, read alone, is a known noun (or nouns): decides compound parts.
        self._known_nouns: dict[str, bool] = {}

    def settings(self) -> dict[str, Any]:
        """What decides the terms: an index built with other settings needs rebuilding."""
        return {
            "stem_english": self.stem_english,
            "word_pairs": self.word_pairs,
            "compound_parts": self.compound_parts,
            "identifier_variants": self.identifier_variants,
            "english_stop_words": sorted(self.english_stop_words),
        }

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

    def query_terms(self, text: str) -> list[str]:
        """The index terms of a query: like :meth:`terms`, without the parts a document's
        compounds also give (a query for "세종대학교" should not find every 대학교)."""
        return [found.term for found in self._analyses([text])[0] if not found.document_only]

    def display_words(self, text: str) -> dict[str, str]:
        """Each term of ``text`` worth showing a person, with the whole word or phrase of
        the text it was read from, as written: "RISC-V" for "riscv", "칩렛" for "칩",
        "세종대학교" for its part "세종", "형식 검증" for the pair. Verb and adjective stems,
        stop words and pairs that are no phrase of the text have none. The mapping is
        remembered with the analysis (callers must not change it)."""
        if self.cache_size:
            with self._cache_lock:
                remembered = self._display_cache.get(text)
                if remembered is not None:
                    self._display_cache.move_to_end(text)
                    return remembered
        words: dict[str, str] = {}
        for found in self._analyses([text])[0]:
            if found.display is not None:
                words.setdefault(found.term, found.display)
        if self.cache_size:
            with self._cache_lock:
                self._display_cache[text] = words
                while len(self._display_cache) > self.cache_size:
                    self._display_cache.popitem(last=False)
        return words

    def terms_with_words_many(self, texts: Sequence[str]) -> list[list[tuple[str, str]]]:
        """Like :meth:`terms_many`, each term paired with the word it was read from."""
        return [
            [(found.term, found.word) for found in found_in] for found_in in self._analyses(texts)
        ]

    def _analyses(self, texts: Sequence[str]) -> list[tuple[_Found, ...]]:
        """The analysis of each text, from the cache where it holds one."""
        if not self.cache_size:
            return self._analyse_many(texts)
        with self._cache_lock:
            known = {text: self._cache.get(text) for text in texts}
        missing = list(dict.fromkeys(text for text, found in known.items() if found is None))
        if missing:
            for text, found in zip(missing, self._analyse_many(missing), strict=True):
                known[text] = found
            with self._cache_lock:
                for text in missing:
                    self._cache[text] = known[text]  # type: ignore[assignment]
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return [known[text] for text in texts]  # type: ignore[misc]

    def _analyse_many(self, texts: Sequence[str]) -> list[tuple[_Found, ...]]:
        latin_found = [self._latin_found(text) for text in texts]
        korean_found: list[tuple[list[_Korean], list[_Found]]] = [([], []) for _ in texts]
        korean_positions = [i for i, text in enumerate(texts) if _HANGUL.search(text)]
        if korean_positions:
            # Latin spans were read above; a one-letter stand-in keeps the particles that
            # follow them ("UCIe와") attached to something, so Kiwi does not misread them.
            hangul_only = [_LATIN_TOKEN.sub(_PLACEHOLDER, texts[i]) for i in korean_positions]
            for position, text, morphemes in zip(
                korean_positions, hangul_only, self._tokenize(hangul_only), strict=True
            ):
                korean_found[position] = self._korean_found(text, morphemes)
        result = []
        for text, (latin, latin_extra), (korean, korean_extra) in zip(
            texts, latin_found, korean_found, strict=True
        ):
            found = [single.found for single in latin] + [single.found for single in korean]
            if self.word_pairs:
                found += _latin_pairs(text, latin) + _korean_pairs(korean)
            found += latin_extra + korean_extra
            result.append(tuple(found))
        return result

    def _latin_terms(self, text: str) -> list[tuple[str, str]]:
        return [(single.found.term, single.found.word) for single in self._latin_found(text)[0]]

    def _latin_found(self, text: str) -> tuple[list[_Latin], list[_Found]]:
        """The terms of the Latin-script words of ``text``, with where each was read, and
        the identifier variants (when asked)."""
        found: list[_Latin] = []
        extra: list[_Found] = []
        matches = list(_LATIN_TOKEN.finditer(text))
        for number, match in enumerate(matches):
            written = match.group(0)
            if match.group("versioned"):
                name, version = _VERSION_SPLIT.split(match.group("versioned"), maxsplit=1)
                term = self._english_term(name) or name.lower()
                found.append(_Latin(_Found(term, name.lower(), written), number, match))
                versioned = f"{name.lower()} {version}"
                found.append(_Latin(_Found(versioned, versioned, written), number, match))
                continue
            word = match.group("word")
            if _JOINER.search(word) and not _is_technical_compound(word):
                parts = self._plain_words(word)
                display = None if self._is_display_stop_word(word) else written
                found.extend(
                    _Latin(_Found(term, part, display), number, match) for term, part in parts
                )
                if self.identifier_variants and any(
                    len(part) == 1 or part.isdigit() for part in _JOINER.split(word)
                ):
                    # "risc-v" typed in lower case is RISC-V, not the word "risc".
                    extra.append(_Found(_JOINER.sub("", word).lower(), word.lower(), written))
                continue
            term = self._english_term(word)
            if term:
                display = None if self._is_display_stop_word(word) else written
                found.append(_Latin(_Found(term, word.lower(), display), number, match))
                if self.identifier_variants:
                    extra += self._identifier_variants(term, word, written)
            if self.identifier_variants and number + 1 < len(matches):
                extra += self._spaced_identifier(text, match, matches[number + 1])
        return found, extra

    def _identifier_variants(self, term: str, word: str, written: str) -> list[_Found]:
        variants = []
        joined = _JOINER.sub("", term)
        if joined != term:
            variants.append(_Found(joined, word.lower(), written))
        family = _IDENTIFIER_FAMILY.match(joined)
        if family and _is_technical_compound(word):
            variants.append(_Found(family.group(1), word.lower(), written, document_only=True))
        return variants

    def _spaced_identifier(
        self, text: str, match: re.Match[str], following: re.Match[str]
    ) -> list[_Found]:
        """ "RISC V", "LPDDR 5": a name and a one-letter or numbered tail, written apart."""
        name, tail = match.group(0), following.group(0)
        between = text[match.end() : following.start()]
        if (
            _ALPHABETIC.match(name)
            and following.group("word")
            and _IDENTIFIER_TAIL.match(tail)
            and between.isspace()
            and name.lower() not in self.english_stop_words
        ):
            written = text[match.start() : following.end()]
            return [_Found(f"{name}{tail}".lower(), written.lower(), written)]
        return []

    def _is_display_stop_word(self, word: str) -> bool:
        return word.lower() in SEARCH_STOP_WORDS_EN or word.lower() in self.english_stop_words

    def _korean_found(
        self, text: str, morphemes: Sequence[Any]
    ) -> tuple[list[_Korean], list[_Found]]:
        """Korean content terms with the written word of each, and compound parts (asked)."""
        spans = [span.span() for span in _WORD_SPAN.finditer(text)]
        starts = [start for start, _ in spans]
        stems = _word_stems(text, spans, starts, morphemes)
        found: list[_Korean] = []
        for term, token, tag in _korean_content_tokens(morphemes):
            span = bisect.bisect_right(starts, token.start) - 1
            stem = stems.get(span)
            if tag in ("VV", "VA") or stem is None or term in KOREAN_LIGHT_NOUNS:
                display = None
            else:
                display = stem if _PLACEHOLDER not in stem else term
            # A word with a particle after it ("검증과") ends a phrase rather than opening one.
            bare = span >= 0 and stem == text[spans[span][0] : spans[span][1]]
            found.append(_Korean(_Found(term, term, display), span, bare))
        extra: list[_Found] = []
        if self.compound_parts:
            extra = _compound_wholes(morphemes, stems, starts, {f.found.term for f in found})
            extra += self._compound_parts(morphemes, stems, starts)
        return found, extra

    def _compound_parts(
        self, morphemes: Sequence[Any], stems: dict[int, str], starts: list[int]
    ) -> list[_Found]:
        compounds = [
            token
            for token in morphemes
            if token.tag in _KOREAN_NOUN_TAGS
            and len(token.form) > _PART_MIN_SYLLABLES
            and _HANGUL_WORD.match(token.form)
        ]
        if not compounds:
            return []
        splits = {
            token.form: [
                (token.form[:cut], token.form[cut:])
                for cut in range(_PART_MIN_SYLLABLES, len(token.form) - _PART_MIN_SYLLABLES + 1)
            ]
            for token in compounds
        }
        self._learn_nouns([part for pairs in splits.values() for pair in pairs for part in pair])
        parts: list[_Found] = []
        for token in compounds:
            stem = stems.get(bisect.bisect_right(starts, token.start) - 1) or token.form
            display = stem if _PLACEHOLDER not in stem else token.form
            seen = {token.form}
            for left, right in splits[token.form]:
                # Both halves known words; or an unknown name before a known head noun
                # ("케샬" + "실리콘").
                if self._known_nouns[right] and (self._known_nouns[left] or token.oov):
                    for part in (left, right):
                        if part not in seen:
                            seen.add(part)
                            parts.append(_Found(part, part, display, document_only=True))
        return parts

    def _learn_nouns(self, candidates: Iterable[str]) -> None:
        unknown = [part for part in dict.fromkeys(candidates) if part not in self._known_nouns]
        if not unknown:
            return
        for part, tokens in zip(unknown, self._tokenize(unknown), strict=True):
            self._known_nouns[part] = (
                "".join(token.form for token in tokens) == part
                and all(token.tag in _PART_TAGS and not token.oov for token in tokens)
                and any(token.tag in _KOREAN_NOUN_TAGS for token in tokens)
                and all(
                    len(token.form) >= _PART_MIN_SYLLABLES
                    for token in tokens
                    if token.tag in _KOREAN_NOUN_TAGS
                )
            )

    def _english_term(self, word: str) -> str | None:
        """One term for a word, or None for a stop word or a bare number."""
        if not any(ch.isalpha() for ch in word):
            return None
        if _is_technical_compound(word):
            # RISC-V, 3nm, FinFET: whole, lower-cased, never stemmed.
            return word.lower()
        lowered = word.lower()
        if lowered in self.english_stop_words or len(lowered) < 2:
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


class _Latin(NamedTuple):
    found: _Found
    number: int  # which Latin word of the text it was read from
    match: re.Match[str]


class _Korean(NamedTuple):
    found: _Found
    span: int  # which written word (run of letters) of the text it was read from
    bare: bool  # the word is its stem alone, with no particle or ending after it


def _pairs(terms: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (f"{first} {second}", f"{first_word} {second_word}")
        for (first, first_word), (second, second_word) in itertools.pairwise(terms)
    ]


def _latin_pairs(text: str, singles: list[_Latin]) -> list[_Found]:
    """Pairs of adjacent Latin terms; shown only as one word ("self-supervised") or two
    words written side by side with nothing but spaces between them."""
    pairs = []
    for first, second in itertools.pairwise(singles):
        display = None
        if first.found.display is not None and second.found.display is not None:
            if first.number == second.number:
                display = first.match.group(0)
            elif second.number == first.number + 1 and (
                text[first.match.end() : second.match.start()].isspace()
            ):
                display = text[first.match.start() : second.match.end()]
        pairs.append(
            _Found(
                f"{first.found.term} {second.found.term}",
                f"{first.found.word} {second.found.word}",
                display,
            )
        )
    return pairs


def _korean_pairs(singles: list[_Korean]) -> list[_Found]:
    """Pairs of adjacent Korean terms; shown only when they are two neighbouring words
    ("형식 검증"), not two pieces of one word ("칩 렛", "저전력 전력")."""
    return [
        _Found(
            f"{first.found.term} {second.found.term}",
            f"{first.found.term} {second.found.term}",
            f"{first.found.display} {second.found.display}"
            if first.found.display
            and second.found.display
            and second.span == first.span + 1
            and first.bare
            else None,
        )
        for first, second in itertools.pairwise(singles)
    ]


def _word_stems(
    text: str, spans: list[tuple[int, int]], starts: list[int], morphemes: Sequence[Any]
) -> dict[int, str]:
    """Each written word's stem: up to its last noun-like morpheme, without the particles
    and endings after it ("반도체를" -> "반도체", "최적화를" -> "최적화")."""
    ends: dict[int, int] = {}
    for token in morphemes:
        if token.tag.split("-")[0] in _KOREAN_STEM_TAGS:
            span = bisect.bisect_right(starts, token.start) - 1
            if span >= 0:
                ends[span] = max(ends.get(span, 0), token.start + token.len)
    return {
        span: text[spans[span][0] : min(end, spans[span][1])]
        for span, end in ends.items()
        if end > spans[span][0]
    }


def _compound_wholes(
    morphemes: Sequence[Any], stems: dict[int, str], starts: list[int], terms: set[str]
) -> list[_Found]:
    """Written words that Kiwi read as several nouns ("세종"+"대"+"학교", "칩"+"렛"), also
    as one term: Kiwi reads the same word whole elsewhere, and alone in a query."""
    nouns_in: dict[int, list[Any]] = {}
    for token in morphemes:
        span = bisect.bisect_right(starts, token.start) - 1
        nouns_in.setdefault(span, []).append(token)
    wholes = []
    for span, tokens in nouns_in.items():
        stem = stems.get(span)
        if stem is None or stem in terms or not _HANGUL_WORD.match(stem):
            continue
        pieces = [token for token in tokens if token.start < starts[span] + len(stem)]
        if (
            len(pieces) > 1
            and "".join(token.form for token in pieces) == stem
            and all(token.tag in _PART_TAGS for token in pieces)
        ):
            terms.add(stem)
            wholes.append(_Found(stem, stem, stem))
    return wholes


def _korean_content_terms(morphemes: Sequence[Any]) -> list[str]:
    """Content morphemes of Kiwi's analysis, with prefixed nouns kept whole as well.

    Kiwi reads "저전력" as prefix + noun ("저", "전력") in one sentence and as one unknown
    proper noun in another; emitting both "저전력" and "전력" for the prefixed reading lets
    the two readings meet in the index.
    """
    return [term for term, _, _ in _korean_content_tokens(morphemes)]


def _korean_content_tokens(morphemes: Sequence[Any]) -> list[tuple[str, Any, str]]:
    """Like :func:`_korean_content_terms`, each term with its (first) morpheme and tag."""
    terms: list[tuple[str, Any, str]] = []
    for token, following in itertools.zip_longest(morphemes, morphemes[1:]):
        # Irregular stems carry a suffix: "VA-I" is an adjective stem.
        base_tag = token.tag.split("-")[0]
        if (
            base_tag == "XPN"
            and following is not None
            and following.tag in _KOREAN_NOUN_TAGS
            and token.start + token.len == following.start
        ):
            terms.append((token.form + following.form, token, "XPN"))
        elif base_tag in _KOREAN_CONTENT_TAGS:
            terms.append((_korean_term(token.form, base_tag), token, base_tag))
    return terms


def _korean_term(form: str, tag: str) -> str:
    # Verb and adjective stems read as dictionary forms ("설계하" -> "설계하다") in explanations.
    return form + "다" if tag in ("VV", "VA") else form


def unique_terms(terms: Iterable[str]) -> list[str]:
    """The distinct terms, in first-seen order."""
    return list(dict.fromkeys(terms))

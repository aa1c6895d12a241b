"""Finding records by name: whole, in part, by affiliation, across Korean and English.

The engine ranks records by what their texts say; people also type names. This module
keeps, beside the engine's indexes, the names of every record the declarations name
(``Searchable.name_fields``) and the record each belongs to (``Searchable.affiliation``:
an expert's organisation), and answers which records a query names:

- whole or in part: "세종" names 세종대학교, "민준" names 김민준, "sejong univ" names Sejong
  University, "Kim" names Minjun Kim;
- by affiliation: "세종대학교" names every expert of Sejong University;
- across scripts: an organisation's Korean and English names are a bilingual pair, and
  :class:`Transliterations` learns from them which Korean word is which English one
  (세종 ↔ Sejong, 판교 ↔ Pangyo), so a query in one script also reads in the other.

Everything here is plain Python over strings; :class:`NameTable` is filled and kept in step
by :class:`sangsaeng.search.index.SearchIndex`, from the same change log as the indexes.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# How well one query word names a record (the best of its names).
EXACT = 1.0  # the whole name: "세종대학교", "sejong university"
START = 0.75  # the name's beginning or one of its words: "세종", "Kim", "sejong"
PART = 0.5  # inside a word of the name: "민준" in 김민준, "silicon" in KeshalSilicon

_COMPACT_DROP = re.compile(r"[\s\-‐‑–—_.,·・/()\[\]{}'\"“”‘’&+]+")
_NAME_WORD = re.compile(r"[^\W_]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def compact(text: str) -> str:
    """A name as compared: case and width folded, spaces, hyphens and punctuation gone."""
    return _COMPACT_DROP.sub("", unicodedata.normalize("NFKC", text).casefold())


def query_words(query: str) -> list[str]:
    """The words of a query as compared with names (punctuation inside a word kept out)."""
    return [word for word in (compact(part) for part in query.split()) if word]


@dataclass(frozen=True)
class NameEntry:
    """One record's names, compacted, and the words of each; and whose it is."""

    names: tuple[str, ...]
    words: frozenset[str]
    affiliation: str | None = None
    # Every name and word in one string: a query word in none of them names nothing here.
    blob: str = ""

    @classmethod
    def of(cls, names: Iterable[str], affiliation: str | None = None) -> NameEntry:
        written = [name for name in names if name and name.strip()]
        words = {
            compact(word)
            for name in written
            for word in _NAME_WORD.findall(unicodedata.normalize("NFKC", name))
        }
        compacted = tuple(dict.fromkeys(compact(name) for name in written))
        return cls(compacted, frozenset(words), affiliation, "\x00".join((*compacted, *words)))


def word_score(word: str, entry: NameEntry) -> float:
    """How well one compacted query word names the record of ``entry`` (0: not at all)."""
    if not word or word not in entry.blob:
        return 0.0
    hangul = bool(_HANGUL.search(word))
    best = 0.0
    for name in entry.names:
        if word == name:
            return EXACT
        if name.startswith(word) and (hangul or len(word) >= 3):
            best = max(best, START)
        elif hangul and len(word) >= 2 and word in name:
            best = max(best, PART)
    if best < START and word in entry.words:
        best = START
    if (
        best < PART
        and not hangul
        and len(word) >= 3
        and any(word in name_word for name_word in entry.words)
    ):
        best = PART
    return best


def name_score(words: list[list[str]], whole: str, entry: NameEntry) -> float:
    """How well a query names a record: the whole query as one name, or its words on
    average (each word by its best reading: as typed or transliterated).

    A word found only inside a name's word counts when it is the whole query ("민준"
    names 김민준); among other words it is more likely a common noun ("검증" in a query
    about verification does not name 이검증)."""
    if not words:
        return 0.0
    each = [max(word_score(reading, entry) for reading in readings) for readings in words]
    if len(each) == 1:
        return each[0]
    named = [score if score >= START else 0.0 for score in each]
    return max(word_score(whole, entry), sum(named) / len(named))


# --- transliteration ------------------------------------------------------------------

_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
             "k", "t", "p", "h"]  # fmt: skip
_VOWELS = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i"]  # fmt: skip
_FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]  # fmt: skip
# Surnames whose usual spelling no rule gives ("Lee" for 이, "Park" for 박).
_SURNAMES = {
    "이": ("lee", "yi", "rhee"), "박": ("park", "pak"), "최": ("choi",), "오": ("oh",),
    "우": ("woo",), "노": ("noh", "roh"), "유": ("yoo", "yu"), "류": ("ryu", "yoo"),
    "임": ("lim", "im"), "신": ("shin",), "정": ("jung", "jeong", "chung"), "조": ("cho",),
    "허": ("huh", "heo"), "안": ("ahn",), "문": ("moon",), "윤": ("yoon",), "송": ("song",),
}  # fmt: skip
# Spellings of one sound that romanisations mix: compared after folding them together.
_FOLDS = [
    ("tch", "ch"), ("ch", "\x01"), ("ck", "k"), ("c", "k"), ("\x01", "j"), ("sh", "s"),
    ("eo", "o"), ("eu", "u"), ("oo", "u"), ("ou", "u"), ("ee", "i"), ("ae", "e"), ("ai", "e"),
    ("wo", "o"), ("ph", "p"), ("x", "ks"),
]  # fmt: skip
_CONSONANT_FOLD = str.maketrans({"g": "k", "d": "t", "b": "p", "j": "c", "r": "l", "f": "p",
                                 "v": "p", "z": "c", "q": "k", "w": "", "y": ""})  # fmt: skip
# Korean writes a vowel ㅡ (eu) into consonant clusters of loanwords: 카이스트 is KAIST.
_EPENTHETIC = re.compile(r"(?<=[^aeiouwy])eu")


def romanise(hangul: str) -> str:
    """Revised Romanization of Hangul syllables, letter by letter (no sound changes)."""
    letters = []
    for char in hangul:
        code = ord(char) - 0xAC00
        if not 0 <= code < 11172:
            continue
        initial, rest = divmod(code, 588)
        vowel, final = divmod(rest, 28)
        letters.append(_INITIALS[initial] + _VOWELS[vowel] + _FINALS[final])
    return "".join(letters)


def sound_key(latin: str) -> str:
    """A spelling reduced to what romanisations agree on (Sungkyunkwan ~ seonggyungwan)."""
    key = latin.casefold()
    for spelling, sound in _FOLDS:
        key = key.replace(spelling, sound)
    key = key.translate(_CONSONANT_FOLD)
    return re.sub(r"(.)\1+", r"\1", key)


def korean_sound_key(hangul: str) -> str:
    return sound_key(_EPENTHETIC.sub("", romanise(hangul)))


def _distance(first: str, second: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` as soon as it is certainly above ``limit``."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _allowed(length: int) -> int:
    return 0 if length <= 3 else 1 if length <= 5 else 2


def transliteration_distance(hangul: str, latin: str) -> int | None:
    """How far ``latin`` is from spelling the Korean word ``hangul`` (0: it spells it, as
    Sejong spells 세종), or None when it does not spell it at all."""
    latin = latin.casefold()
    if latin in _SURNAMES.get(hangul, ()):
        return 0
    return _key_distance(korean_sound_key(hangul), sound_key(latin))


def _key_distance(spoken: str, written: str) -> int | None:
    if not spoken or not written or spoken[0] != written[0]:
        return None
    limit = _allowed(len(written))
    distance = _distance(spoken, written, limit)
    return distance if distance <= limit else None


def _learnable(latin: str) -> bool:
    # "AI", "ETC": short capitals are read letter by letter (에이아이), not spelled in Hangul.
    return len(latin) >= 3 and not (latin.isupper() and len(latin) <= 3)


def align(korean_name: str, english_name: str) -> list[tuple[str, str]]:
    """The (Korean word, English word) pairs two names of one record share by sound:
    ("세종대학교", "Sejong University") → [("세종", "sejong")]."""
    spans = {
        run[start:end]
        for run in _HANGUL_RUN.findall(korean_name)
        for start in range(len(run))
        for end in range(start + 1, min(len(run), start + 6) + 1)
    }
    keyed = [(span, korean_sound_key(span)) for span in spans]
    pairs = []
    for latin in _LATIN_WORD.findall(english_name):
        if not _learnable(latin):
            continue
        written = sound_key(latin)
        found = []
        for span, spoken in keyed:
            distance = (
                0 if latin.casefold() in _SURNAMES.get(span, ()) else _key_distance(spoken, written)
            )
            if distance is not None:
                found.append((distance, abs(len(spoken) - len(written)), span))
        if found:
            pairs.append((min(found)[2], latin.casefold()))
    return pairs


class Transliterations:
    """Korean ↔ English words learned from the bilingual names of records, with counts so
    that a record's change or removal takes back what its names taught."""

    def __init__(self) -> None:
        self._pairs: Counter[tuple[str, str]] = Counter()
        self._by_record: dict[str, list[tuple[str, str]]] = {}
        self._to_english: dict[str, set[str]] = {}
        self._to_korean: dict[str, set[str]] = {}
        self._stale = False

    def learn(self, key: str, names: Iterable[str]) -> None:
        self.forget(key)
        written = [name for name in names if name]
        korean = [name for name in written if _HANGUL.search(name)]
        english = [name for name in written if not _HANGUL.search(name)]
        pairs = [pair for ko in korean for en in english for pair in align(ko, en)]
        if pairs:
            self._by_record[key] = pairs
            self._pairs.update(pairs)
            self._stale = True

    def forget(self, key: str) -> None:
        pairs = self._by_record.pop(key, None)
        if pairs:
            self._pairs.subtract(pairs)
            self._pairs += Counter()  # drop pairs no record teaches any more
            self._stale = True

    def readings(self, word: str) -> list[str]:
        """The other script's words for a compacted query word (none when it has none)."""
        if self._stale:
            self._index()
        if _HANGUL.search(word):
            found = set()
            for korean, english in self._to_english.items():
                if korean == word or (len(korean) >= 2 and korean in word):
                    found |= english
            return sorted(found)
        return sorted(self._to_korean.get(word, ()))

    def _index(self) -> None:
        to_english: dict[str, set[str]] = {}
        to_korean: dict[str, set[str]] = {}
        for korean, english in self._pairs:
            to_english.setdefault(korean, set()).add(english)
            to_korean.setdefault(english, set()).add(korean)
        self._to_english, self._to_korean, self._stale = to_english, to_korean, False


class NameTable:
    """Every named record's names (by profile key), and what bilingual names teach."""

    def __init__(self) -> None:
        self._entries: dict[str, NameEntry] = {}
        self.transliterations = Transliterations()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def get(self, key: str) -> NameEntry | None:
        return self._entries.get(key)

    def set(self, key: str, names: Iterable[str], affiliation: str | None, teaches: bool) -> None:
        names = list(names)
        with self._lock:
            self._entries[key] = NameEntry.of(names, affiliation)
            if teaches:
                self.transliterations.learn(key, names)

    def remove(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)
            self.transliterations.forget(key)

    def readings(self, query: str) -> list[list[str]]:
        """Each word of ``query`` with its transliterations: [["세종", "sejong"], ...]."""
        with self._lock:
            return [[word, *self.transliterations.readings(word)] for word in query_words(query)]

    def scores(self, query: str, keys: Iterable[str]) -> tuple[dict[str, float], dict[str, float]]:
        """How well ``query`` names each of ``keys``, and how well it names the record each
        belongs to; only keys with a score above zero are returned."""
        readings = self.readings(query)
        whole = compact(query)
        names: dict[str, float] = {}
        of_affiliation: dict[str, float] = {}
        affiliation_cache: dict[str, float] = {}
        for key in keys:
            entry = self._entries.get(key)
            if entry is None:
                continue
            score = name_score(readings, whole, entry)
            if score > 0:
                names[key] = score
            if entry.affiliation is not None:
                cached = affiliation_cache.get(entry.affiliation)
                if cached is None:
                    target = self._entries.get(entry.affiliation)
                    cached = name_score(readings, whole, target) if target else 0.0
                    affiliation_cache[entry.affiliation] = cached
                if cached > 0:
                    of_affiliation[key] = cached
        return names, of_affiliation

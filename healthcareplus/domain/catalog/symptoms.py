"""Symptom checker: suggest which specialist to see from a patient's free-text symptoms.

Pure Python and deterministic. Text is normalised (lowercase, apostrophes dropped, other
punctuation splits it into clauses, filler words removed, light stemming), each word is
resolved against the vocabulary's words (exactly, as two joined words such as "chestpain", or
as the nearest word within one or two edits for typos), and then the longest known phrases are
matched left to right within each clause, so "chest pain" is one symptom rather than "pain".
The weights of all recognised symptoms add up per specialization. Indexes are built at import.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from healthcareplus.core.i18n import ENGLISH, N_, current_language, gettext, translate
from healthcareplus.domain.catalog.specializations import GENERAL_PHYSICIAN
from healthcareplus.domain.catalog.symptom_vocabulary import (
    COMMON_WORDS,
    FILLER_WORDS,
    SYMPTOMS,
    URGENT_SYMPTOMS,
    WORD_SYNONYMS,
)

MAX_INPUT_CHARS = 500
FALLBACK_MESSAGE = N_(
    "We couldn't recognise those symptoms. A General Physician can examine you and refer "
    "you to the right specialist, or search for a doctor yourself."
)
URGENT_NOTE = N_(
    "If symptoms are severe or came on suddenly, call 112 or go to the nearest emergency."
)

_FUZZY_MIN_LENGTH = 5  # shorter words are too easily "corrected" into something else
_ONE_TYPO_MAX_LENGTH = 8  # longer words may have two typos
_MIN_SPLIT_PART = 3

KNOWN_SYMPTOMS: tuple[str, ...] = tuple(SYMPTOMS)
EXAMPLES: tuple[str, ...] = (
    "chest pain and breathlessness",
    "skin rash with itching",
    "my child has fever and ear pain",
    "burning urination",
    "knee pain after running",
    "feeling anxious, can't sleep",
)


@dataclass(frozen=True, slots=True)
class SpecializationSuggestion:
    specialization: str
    score: float  # 0..1: the weighted share of the recognised symptoms this specialist covers
    because: tuple[str, ...] = ()  # recognised symptoms that led to this suggestion


@dataclass(frozen=True, slots=True)
class SymptomMatch:
    recognized: tuple[str, ...]
    suggestions: tuple[SpecializationSuggestion, ...]
    message: str


def _stem(word: str) -> str:
    """Crude suffix stripping; it only has to map a word's variants to the same key."""
    if word in WORD_SYNONYMS:
        return WORD_SYNONYMS[word]
    if len(word) <= 3:
        return word
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) >= 6:
        word = word[:-3]
    elif word.endswith("ed") and len(word) >= 5 and not word.endswith("eed"):
        word = word[:-2]
    if word.endswith("e") and len(word) >= 4:
        word = word[:-1]
    return word


def _clauses(text: str) -> list[list[str]]:
    """Lowercased words grouped by clause; punctuation (not hyphens) ends a clause."""
    text = re.sub(r"['’`]", "", text.lower()).replace("-", " ")
    return [clause.split() for clause in re.split(r"[^a-z0-9\s]+", text)]


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(_stem(w) for clause in _clauses(phrase) for w in clause if w not in FILLER_WORDS)


def _phrase_variants(phrase: str) -> list[tuple[str, ...]]:
    """The phrase, plus "pain in X" for a written "X pain" (so "pain in my knee" matches)."""
    key = _phrase_key(phrase)
    if phrase.endswith(" pain") and len(key) > 1:
        return [key, ("pain", *key[:-1])]
    return [key]


def _build_phrase_index() -> dict[tuple[str, ...], str]:
    index: dict[tuple[str, ...], str] = {}
    for name, (synonyms, _weights) in SYMPTOMS.items():
        for phrase in (name, *synonyms):
            for key in _phrase_variants(phrase):
                if index.setdefault(key, name) != name:
                    raise ValueError(f"{phrase!r} maps to both {index[key]!r} and {name!r}")
    return index


_PHRASES = _build_phrase_index()
_MAX_PHRASE_WORDS = max(len(key) for key in _PHRASES)
_KNOWN_STEMS = frozenset(stem for key in _PHRASES for stem in key)
_BIGRAMS = frozenset(pair for key in _PHRASES for pair in zip(key, key[1:], strict=False))


def _deletions(word: str, depth: int) -> set[str]:
    """``word`` and every string made from it by deleting up to ``depth`` letters."""
    found = frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found = found | frontier
    return found


def _build_typo_index() -> dict[str, frozenset[str]]:
    """Symmetric-deletion index (as in SymSpell): typo candidates without a full scan."""
    words = {w for name, (syns, _) in SYMPTOMS.items() for p in (name, *syns) for w in p.split()}
    index: dict[str, set[str]] = defaultdict(set)
    for word in words | set(WORD_SYNONYMS):
        if len(word) >= _FUZZY_MIN_LENGTH - 1 and word.isalpha() and word not in FILLER_WORDS:
            for variant in _deletions(word, 2):
                index[variant].add(word)
    return {variant: frozenset(found) for variant, found in index.items()}


_TYPO_INDEX = _build_typo_index()


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance counting a swap of adjacent letters as one edit."""
    before, previous = [0] * (len(b) + 1), list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[-1]


def _split_joined(word: str) -> tuple[str, ...]:
    """Split a joined word ("chestpain") in two when the halves start a known phrase."""
    for cut in range(_MIN_SPLIT_PART, len(word) - _MIN_SPLIT_PART + 1):
        pair = (_stem(word[:cut]), _stem(word[cut:]))
        if pair in _BIGRAMS:
            return pair
    return ()


def _closest_word(word: str) -> str | None:
    """The vocabulary word a typo most likely meant: same first letter, one edit away (two
    for long words). Ordinary English words one edit from a symptom word are in COMMON_WORDS."""
    if len(word) < _FUZZY_MIN_LENGTH or not word.isalpha():
        return None
    max_edits = 1 if len(word) <= _ONE_TYPO_MAX_LENGTH else 2
    candidates = {c for v in _deletions(word, max_edits) for c in _TYPO_INDEX.get(v, ())}
    scored = sorted((_edit_distance(word, c), c) for c in candidates if c[0] == word[0])
    return _stem(scored[0][1]) if scored and scored[0][0] <= max_edits else None


@lru_cache(maxsize=4096)
def _resolve(word: str) -> tuple[str, ...]:
    """Normalised tokens for one input word: none for fillers, two for joined words."""
    if word in FILLER_WORDS:
        return ()
    stem = _stem(word)
    if stem in _KNOWN_STEMS or word in COMMON_WORDS:
        return (stem,)
    if split := _split_joined(word):
        return split
    corrected = _closest_word(word)
    return (corrected or stem,)


def _recognize(text: str) -> tuple[str, ...]:
    """Canonical symptom names in order of first appearance (greedy longest phrase match)."""
    found: dict[str, None] = {}
    for clause in _clauses(text):
        tokens = [token for word in clause for token in _resolve(word)]
        start = 0
        while start < len(tokens):
            for size in range(min(_MAX_PHRASE_WORDS, len(tokens) - start), 0, -1):
                name = _PHRASES.get(tuple(tokens[start : start + size]))
                if name is not None:
                    found.setdefault(name)
                    start += size
                    break
            else:
                start += 1
    return tuple(found)


def _rank(recognized: tuple[str, ...], limit: int) -> tuple[SpecializationSuggestion, ...]:
    totals: dict[str, float] = defaultdict(float)
    reasons: dict[str, list[str]] = defaultdict(list)
    for name in recognized:
        for specialization, weight in SYMPTOMS[name][1].items():
            totals[specialization] += weight
            reasons[specialization].append(name)
    scores = {s: round(min(total / len(recognized), 1.0), 3) for s, total in totals.items()}
    ranked = sorted(scores, key=lambda s: (-scores[s], s))[:limit]
    return tuple(SpecializationSuggestion(s, scores[s], tuple(reasons[s])) for s in ranked)


def _with_article(specialization: str) -> str:
    return f"{'an' if specialization[0] in 'AEIO' else 'a'} {specialization}"


def _message(recognized: tuple[str, ...], suggestions: tuple[SpecializationSuggestion, ...]) -> str:
    """The advice, in the reader's language (English builds its own articles)."""
    if current_language() != ENGLISH:
        return _translated_message(recognized, suggestions)
    names = list(recognized)
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    best = _with_article(suggestions[0].specialization)
    message = f"Based on {listed}, we suggest seeing {best}."
    if len(suggestions) > 1:
        also = _with_article(suggestions[1].specialization)
        message += f" {also[0].upper()}{also[1:]} may also help."
    if URGENT_SYMPTOMS.intersection(recognized):
        message += f" {URGENT_NOTE}"
    return message


def _translated_message(
    recognized: tuple[str, ...], suggestions: tuple[SpecializationSuggestion, ...]
) -> str:
    names = list(recognized)
    listed = names[0]
    if len(names) > 1:
        listed = translate(N_("{first} and {last}"), first=", ".join(names[:-1]), last=names[-1])
    best = gettext(suggestions[0].specialization)
    parts = [translate(N_("Based on {symptoms}, we suggest seeing {specialist}."),
                       symptoms=listed, specialist=best)]  # fmt: skip
    if len(suggestions) > 1:
        also = gettext(suggestions[1].specialization)
        parts.append(translate(N_("{specialist} may also help."), specialist=also))
    if URGENT_SYMPTOMS.intersection(recognized):
        parts.append(gettext(URGENT_NOTE))
    return " ".join(parts)


def match_specializations(text: str, *, limit: int = 5) -> SymptomMatch:
    """Recognise symptoms in ``text`` and rank the specializations that treat them.

    Text beyond ``MAX_INPUT_CHARS`` is ignored. When nothing is recognised the single
    suggestion is a General Physician with score 0.0 and no ``because``.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    recognized = _recognize((text or "")[:MAX_INPUT_CHARS])
    if not recognized:
        fallback = SpecializationSuggestion(GENERAL_PHYSICIAN, 0.0)
        return SymptomMatch((), (fallback,), gettext(FALLBACK_MESSAGE))
    suggestions = _rank(recognized, limit)
    return SymptomMatch(recognized, suggestions, _message(recognized, suggestions))

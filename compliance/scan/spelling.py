"""п. 5.1: spelling mistakes in official posts.

The dictionary is pymorphy3's (OpenCorpora: about 3 million distinct word forms, with ё), which
the tool already ships for declension. A word is reported only when it is unknown there, is
not the institution's own (names, associations, places) nor a curated everyday term, and a
known word lies one or two typical slips away — that word is the suggestion. Unknown words
with nothing close are let through: for official posts a false alarm costs more than a miss.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..imports.message import ChatMessage
from ..model.records import FindingCategory
from ..ru._morph import analyzer, parses
from . import style
from .context import ScanContext
from .hit import Match
from .lexicon import words

CATEGORY = FindingCategory.SPELLING
CLAUSE = "5.1"
MIN_LENGTH = 4
_TWO_SLIPS_UP_TO = 12

_TOKEN = re.compile(r"(?<![\w\-])[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*(?![\w\-])")
_SKIP = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+|[@#]\w+")
_ALLOWED = words("words.txt") | frozenset(w.casefold().replace("ё", "е") for w in style.WORDS if " " not in w)
_TRUSTED = frozenset({"DictionaryAnalyzer", "KnownPrefixAnalyzer"})
_COMPOUND_PREFIXES = words("compound_prefixes.txt")
_NOT_SUGGESTED = frozenset({"Abbr", "Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Erro", "Init"})
_SENTENCE_END = ".!?…:;"
_OPENERS = "«»\"'“”„()[]—–-•*·"

ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_VOWELS = frozenset("аеёиоуыэюя")
_CONFUSED_PAIRS = ("ао", "еи", "ея", "иы", "её", "ьъ", "зс", "дт", "бп", "гк", "вф", "жш", "цс", "чщ", "эе", "юу", "йи")
_KEYBOARD = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")


def _confusable() -> dict[str, str]:
    """Letters Russian writers mix up (by sound or rule), each way round."""
    table: dict[str, str] = {}
    for a, b in _CONFUSED_PAIRS:
        table[a] = table.get(a, "") + b
        table[b] = table.get(b, "") + a
    return table


def _keyboard_neighbours() -> dict[str, frozenset[str]]:
    """Keys next to each key on the ЙЦУКЕН layout (same row and the touching keys above and below)."""
    table = {}
    for r, row in enumerate(_KEYBOARD):
        for i, key in enumerate(row):
            near = {row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)}
            for other, shifts in ((r - 1, (0, 1)), (r + 1, (-1, 0))):
                if 0 <= other < len(_KEYBOARD):
                    near |= {_KEYBOARD[other][i + s] for s in shifts if 0 <= i + s < len(_KEYBOARD[other])}
            table[key] = frozenset(near)
    return table


_CONFUSABLE = _confusable()
_NEAR = _keyboard_neighbours()


@lru_cache(maxsize=131072)
def is_known(word: str) -> bool:
    """A lower-case word pymorphy3 finds in its dictionary (or as a known prefix + dictionary word), not as an error."""
    for parse in parses(word):
        if "Erro" in parse.tag:
            continue
        methods = {type(step[0]).__name__ for step in parse.methods_stack}
        if methods <= _TRUSTED:
            return True
        # «фотозона» = «фото» + a dictionary word: a productive first part pymorphy3 only guesses at
        if methods == {"DictionaryAnalyzer", "UnknownPrefixAnalyzer"} and parse.methods_stack[-1][1] in _COMPOUND_PREFIXES:
            return True
    if "-" in word:
        return all(is_known(part) or part in _ALLOWED for part in word.split("-") if part)
    return False


def _suggestable(word: str) -> bool:
    return analyzer().dictionary.word_is_known(word) and any(
        not (_NOT_SUGGESTED & parse.tag.grammemes) for parse in parses(word)
        if {type(step[0]).__name__ for step in parse.methods_stack} <= _TRUSTED)


def _edits(word: str, cheap_only: bool = False) -> dict[str, float]:
    """Words one slip away with the slip's cost: typical Russian confusions and doubled letters cost less.
    `cheap_only` keeps just the typical slips (used for the second of two)."""
    found: dict[str, float] = {}

    def add(candidate: str, cost: float) -> None:
        if cost < found.get(candidate, 9.0):
            found[candidate] = cost

    for i in range(len(word) + 1):
        left, right = word[:i], word[i:]
        if len(right) > 3 and right[:2] == right[2:4]:
            add(left + right[2:], 0.6)                  # a stuttered syllable: «участвововать»
        if right:
            doubled = (left[-1:] == right[0]) or (right[1:2] == right[0])
            if doubled or not cheap_only:
                add(left + right[1:], 0.5 if doubled else 1.0)
            confusable = _CONFUSABLE.get(right[0], "")
            for c in confusable:
                add(left + c + right[1:], 0.5)
            if not cheap_only:
                near = _NEAR.get(right[0], ())
                for c in ALPHABET:
                    if c != right[0] and c not in confusable:
                        add(left + c + right[1:], 0.8 if c in near else 1.0)
        if len(right) > 1:
            add(left + right[1] + right[0] + right[2:], 0.6)
        typical = {"ь", "ъ", left[-1:], right[:1]} - {""}
        for c in typical:
            add(left + c + right, 0.5)
        if not cheap_only:
            for c in ALPHABET:
                if c not in typical:
                    add(left + c + right, 0.8 if c in _VOWELS else 1.0)   # a dropped vowel is a common slip
    found.pop(word, None)
    return found


@lru_cache(maxsize=8192)
def suggest(word: str) -> tuple[str, ...]:
    """Up to two known words closest to a lower-case unknown word, best first."""
    near = {w: c for w, c in _edits(word).items() if _suggestable(w)}
    if not near and len(word) <= _TWO_SLIPS_UP_TO:   # two slips in a long word: rare, and costly to search
        for first, cost in _edits(word, cheap_only=True).items():
            for second, more in _edits(first, cheap_only=True).items():
                if cost + more < near.get(second, 9.0) and second != word and _suggestable(second):
                    near[second] = cost + more
    ranked = sorted(near, key=lambda w: (near[w], w))
    return tuple(ranked[:2])


def _sentence_start(text: str, index: int) -> bool:
    i = index - 1
    while i >= 0:
        c = text[i]
        if c == "\n" or c in _SENTENCE_END:
            return True
        if not (c.isspace() or c in _OPENERS or (not c.isalnum() and ord(c) > 0x2000)):
            return False
        i -= 1
    return True


def _cased(suggestion: str, token: str) -> str:
    return suggestion[:1].upper() + suggestion[1:] if token[:1].isupper() else suggestion


@lru_cache(maxsize=131072)
def _unknown(word: str) -> tuple[str, ...]:
    """Suggestions for a lower-case word that is neither in the dictionaries nor in the curated list, else ()."""
    if word.replace("ё", "е") in _ALLOWED or is_known(word):
        return ()
    if "-" in word and all(p in _ALLOWED or is_known(p) for p in word.split("-") if p):
        return ()
    return suggest(word)


def misspelt(token: str, text: str, start: int, context: ScanContext) -> tuple[str, ...]:
    """Suggestions for a token that should be reported, else ()."""
    if len(token) < MIN_LENGTH:
        return ()
    rest = token[1:]
    if not rest.islower():
        return ()                                       # «МКОУ», «ДДТшный»: abbreviations and their derivatives
    if token[0].isupper() and not _sentence_start(text, start):
        return ()                                       # a name in mid-sentence
    word = token.lower()
    options = _unknown(word)
    if not options or context.knows(word) or ("-" in word and all(context.knows(p) or not _unknown(p)
                                                                   for p in word.split("-") if p)):
        return ()
    return options


def find(message: ChatMessage, context: ScanContext) -> list[Match]:
    text = message.text
    if not text or not context.is_official(message.sender):
        return []
    skipped = [m.span() for m in _SKIP.finditer(text)]
    found = []
    for m in _TOKEN.finditer(text):
        if any(s <= m.start() < e for s, e in skipped):
            continue
        options = misspelt(m.group(), text, m.start(), context)
        if options:
            hint = " или ".join(f"«{_cased(o, m.group())}»" for o in options)
            found.append(Match(m.start(), m.end(), f"«{m.group()}» — возможно, {hint}"))
    return found

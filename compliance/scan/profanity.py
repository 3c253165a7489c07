"""п. 5.1: obscene words (мат) in any message, in their forms, euphemised with «*» or latin look-alikes.

A cheap regex over the whole text decides whether a message needs a closer look; then each
candidate word is judged once (cached): its parts are matched against curated roots anchored
to Russian prefixes, and pymorphy3's lemma must not be one of the look-alike safe words.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..imports.message import ChatMessage
from ..model.records import FindingCategory
from ..ru._morph import parses
from . import mask
from .context import ScanContext
from .hit import Match
from .lexicon import lines

CATEGORY = FindingCategory.PROFANITY
CLAUSE = "5.1"

_LOOKALIKES = str.maketrans({
    "a": "а", "b": "б", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "n": "п", "o": "о", "p": "р",
    "r": "г", "t": "т", "u": "и", "x": "х", "y": "у", "3": "з", "0": "о", "6": "б", "@": "а", "ё": "е",
})
_TRANSLIT = re.compile(r"^(?:na|po|ni|za|vy|do|o)?(?:hu[iyj]|xu[iyj]|pi[sz]d|eba[lnt]|yeba|ebu[tc]|bly[ae]?[dt]?$|mudak|pid[oa]?r)")
_PREFILTER = re.compile(r"ху|xy|xу|хy|hu[iyj]|пи[з3z]д|pi[sz]d|[еёe][б6b]|бля|6ля|bly|муд|mud|пид|pid|залуп|манд|\*",
                        re.IGNORECASE)
_TOKEN = re.compile(r"[\w*@]+(?:-[\w*@]+)*")
_CYRILLIC = re.compile(r"[а-яё]")
_LETTER = re.compile(r"[a-zа-яё]")
_REPEATS = re.compile(r"(.)\1+")
_STARS = re.compile(r"\*+")


_ROOTS = [re.compile(line) for line in lines("profanity_roots.txt")]
_FORMS = tuple(word for line in lines("profanity_forms.txt") for word in line.split())
_SAFE = frozenset(lines("profanity_safe.txt"))


def _root_match(part: str) -> bool:
    return any(root.search(part) for root in _ROOTS)


def _lemma(word: str) -> str:
    found = parses(word)
    return found[0].normal_form.replace("ё", "е") if found else word


def _starred(word: str) -> bool:
    """«х*й», «п**дец», «бл*»: the visible letters and the number of stars fit a common obscene form."""
    if not _LETTER.search(word):
        return False
    pattern = re.compile("".join(
        f"[а-я]{{1,{len(piece) + 1}}}" if piece.startswith("*") else re.escape(piece)
        for piece in re.split(r"(\*+)", word) if piece))
    return any(pattern.fullmatch(form) for form in _FORMS)


@lru_cache(maxsize=65536)
def is_obscene(token: str) -> bool:
    """Judge one word as written (any case)."""
    word = token.casefold()
    if "*" in word:
        word = word.translate(_LOOKALIKES) if _CYRILLIC.search(word) else word
        return _starred(word.strip("-"))
    if not _CYRILLIC.search(word):
        return _TRANSLIT.search(word) is not None
    word = word.translate(_LOOKALIKES)
    for part in {word, *word.split("-")}:
        for variant in {part, _REPEATS.sub(r"\1", part)}:
            if _root_match(variant) and variant not in _SAFE and _lemma(variant) not in _SAFE:
                return True
    return False


def find(message: ChatMessage, context: ScanContext | None = None) -> list[Match]:
    text = message.text
    if not text or not _PREFILTER.search(text):
        return []
    found = []
    for m in _TOKEN.finditer(text):
        token = m.group()
        if _PREFILTER.search(token) and is_obscene(token):
            masked = mask.word(token)
            found.append(Match(m.start(), m.end(), f"нецензурное слово «{masked}»", masked))
    return found

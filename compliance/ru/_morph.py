"""Shared lazy pymorphy3 access and small word helpers."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typing only; never imported at runtime here
    from pymorphy3 import MorphAnalyzer
    from pymorphy3.analyzer import Parse

# Parts of speech that can agree with a noun as a modifier.
ADJ_POS = frozenset({"ADJF", "PRTF"})


@lru_cache(maxsize=1)
def analyzer() -> MorphAnalyzer:
    """Return the process-wide MorphAnalyzer, created on first use."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=4096)
def parses(word: str) -> tuple[Parse, ...]:
    """Return all pymorphy3 parses of a word (cached)."""
    return tuple(analyzer().parse(word))


def nominative(word: str, pos: frozenset[str]) -> Parse | None:
    """Return the best nominative parse of the word among the given parts of speech."""
    for p in parses(word):
        if p.tag.POS in pos and p.tag.case == "nomn":
            return p
    return None


def match_case(template: str, word: str) -> str:
    """Copy the capitalisation of template (UPPER or Title) onto word."""
    if len(template) > 1 and template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word

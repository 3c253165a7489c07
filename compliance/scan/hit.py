"""What scanners return: a raw match inside one message, and the finished hit with a masked excerpt."""
from __future__ import annotations

from dataclasses import dataclass

from ..model.records import FindingCategory


@dataclass(frozen=True, slots=True)
class Match:
    """A span of message.text a scanner objects to.

    `mask` is set for spans that must never leave the tool in clear (personal data, obscene
    words): every excerpt that shows this span shows `mask` instead.
    """

    start: int
    end: int
    detail: str
    mask: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    category: FindingCategory
    clause: str
    start: int
    end: int
    excerpt: str      # ≤ 120 characters, every personal datum and obscene word in it masked
    detail: str       # Russian, for the administrator; never carries a personal datum in clear

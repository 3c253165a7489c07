"""The curated word lists in compliance/scan/data/: one entry per line, «#» starts a comment."""
from __future__ import annotations

from importlib import resources


def lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def words(name: str) -> frozenset[str]:
    """All whitespace-separated entries, lower-case, ё → е."""
    return frozenset(w.casefold().replace("ё", "е") for line in lines(name) for w in line.split())

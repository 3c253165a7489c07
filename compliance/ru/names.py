"""Russian personal names: gender, initials, declension; noun-phrase declension."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from . import _morph

if TYPE_CHECKING:
    from pytrovich.detector import PetrovichGenderDetector
    from pytrovich.maker import PetrovichDeclinationMaker

Gender = Literal["м", "ж"]
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
NBSP = "\u00a0"
_VOWELS = "аеёиоуыэюя"
_PYTROVICH_CASE = {
    "gent": "GENITIVE", "datv": "DATIVE", "accs": "ACCUSATIVE",
    "ablt": "INSTRUMENTAL", "loct": "PREPOSITIONAL",
}
# Word core = letters and inner hyphens; the rest (punctuation) is kept as is.
_CORE = re.compile(r"^(\W*)([\w-]*\w)(\W*)$")


@dataclass(frozen=True)
class FullName:
    """A person's name in the nominative; gender is «м», «ж» or None (detect)."""

    surname: str
    name: str
    patronymic: str | None = None
    gender: str | None = None

    def __post_init__(self) -> None:
        """Reject unknown gender markers."""
        if self.gender not in ("м", "ж", None):
            raise ValueError(f"gender must be 'м', 'ж' or None, got {self.gender!r}")


@lru_cache(maxsize=1)
def _detector() -> PetrovichGenderDetector:
    """Return the shared Petrovich gender detector."""
    from pytrovich.detector import PetrovichGenderDetector

    return PetrovichGenderDetector()


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    """Return the shared Petrovich declension maker."""
    from pytrovich.maker import PetrovichDeclinationMaker

    return PetrovichDeclinationMaker()


def _check_case(case: str) -> None:
    """Raise ValueError for a case name outside CASES."""
    if case not in CASES:
        raise ValueError(f"case must be one of {CASES}, got {case!r}")


def detect_gender(name: FullName) -> Gender:
    """Return the explicit gender, else Petrovich's guess, else pymorphy3's; «м» if unknown."""
    if name.gender in ("м", "ж"):
        return name.gender  # type: ignore[return-value]
    from pytrovich.enums import Gender as PG

    # Petrovich lets a definite patronymic win, then first name / surname.
    g = _detector().detect(firstname=name.name, lastname=name.surname, middlename=name.patronymic)
    if g is PG.MALE:
        return "м"
    if g is PG.FEMALE:
        return "ж"
    for p in _morph.parses(name.name):
        if "Name" in p.tag and p.tag.gender in ("masc", "femn"):
            return "м" if p.tag.gender == "masc" else "ж"
    return "м"


def _initials(part: str) -> str:
    """Return «А.» for «Алёна», «А.-М.» for «Анна-Мария»."""
    return "-".join(p[:1].upper() + "." for p in part.split("-") if p)


def _all_initials(n: FullName) -> str:
    """Return «Т.А.» (or «Т.» when there is no patronymic)."""
    return _initials(n.name) + (_initials(n.patronymic) if n.patronymic else "")


def initials_first(n: FullName) -> str:
    """Return «Т.А.\u00a0Прохорова»."""
    return f"{_all_initials(n)}{NBSP}{n.surname}"


def surname_first(n: FullName) -> str:
    """Return «Прохорова\u00a0Т.А.»."""
    return f"{n.surname}{NBSP}{_all_initials(n)}"


def full(n: FullName) -> str:
    """Return «Прохорова Татьяна Александровна»."""
    return " ".join(p for p in (n.surname, n.name, n.patronymic) if p)


def decline(n: FullName, case: str) -> FullName:
    """Return the name in the given case (gent/datv/accs/ablt/loct) via Petrovich."""
    _check_case(case)
    gender = detect_gender(n)
    if case == "nomn":
        return replace(n, gender=gender)
    from pytrovich.enums import Case, Gender as PG, NamePart

    pg = PG.MALE if gender == "м" else PG.FEMALE
    pc = Case[_PYTROVICH_CASE[case]]

    def make(part: NamePart, value: str) -> str:
        return _maker().make(part, pg, pc, value)

    return FullName(
        surname=make(NamePart.LASTNAME, n.surname),
        name=make(NamePart.FIRSTNAME, n.name),
        patronymic=make(NamePart.MIDDLENAME, n.patronymic) if n.patronymic else n.patronymic,
        gender=gender,
    )


def _agreeing_modifier(word: str, nxt: str | None) -> Any:
    """Return a nominative adjective parse of word agreeing with nxt, or None."""
    if nxt is None:
        return None
    for a in _morph.parses(word):
        if a.tag.POS not in _morph.ADJ_POS or a.tag.case != "nomn":
            continue
        for b in _morph.parses(nxt):
            if b.tag.case != "nomn" or b.tag.POS not in _morph.ADJ_POS | {"NOUN"}:
                continue
            if a.tag.number == b.tag.number and (
                a.tag.number == "plur" or a.tag.gender == b.tag.gender or "ms-f" in b.tag
            ):
                return a
    return None


def decline_phrase(text: str, case: str) -> str:
    """Decline the head noun of a nominative phrase and its preceding adjectives."""
    _check_case(case)
    body = text.strip()
    if not body or case == "nomn":
        return text
    lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    parts = re.split(r"(\s+)", body)  # words at even indices, spaces at odd
    cores = [_CORE.match(w) for w in parts[0::2]]
    words = [m.group(2) if m else None for m in cores]
    mods: list[tuple[int, Any]] = []
    head = None
    for i, w in enumerate(words):
        if w is None:
            return text
        nxt = words[i + 1] if i + 1 < len(words) else None
        adj = _agreeing_modifier(w, nxt)
        if adj is not None:
            mods.append((i, adj))
            continue
        head = _morph.nominative(w, frozenset({"NOUN"})) or _morph.nominative(w, _morph.ADJ_POS)
        if head is None:
            return text
        break
    if head is None:
        return text
    # Substantivised adjectives (заведующий, вожатый) name people: animate.
    anim = head.tag.animacy or "anim"
    extra = {anim} if case == "accs" and (head.tag.number == "plur" or head.tag.gender == "masc") else set()
    target = head.inflect({case} | (extra if head.tag.POS != "NOUN" else set()))
    if target is None:
        return text
    changes = [(i, p.inflect({case} | extra)) for i, p in mods] + [(len(mods), target)]
    for i, form in changes:
        if form is None:
            continue
        m = cores[i]
        assert m is not None
        parts[2 * i] = m.group(1) + _morph.match_case(m.group(2), form.word) + m.group(3)
    return lead + "".join(parts) + tail


def with_preposition_s(title: str) -> str:
    """Return «с Порядком …» (instrumental head, «со» before hard clusters)."""
    declined = decline_phrase(title, "ablt")
    head = declined[:2].lower()
    # «со» before с/з/ш/ж + consonant and before щ: «со Списком», «со Штатным».
    hard = head[:1] == "щ" or (len(head) == 2 and head[0] in "сзшж" and head[1] not in _VOWELS)
    return ("со " if hard else "с ") + declined

"""What the scanners need to know besides the message: who speaks officially, which words
are the institution's own, the quiet hours, and the month being checked."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # typing only: the scanners never load records themselves
    from ..model.records import Group
    from ..model.registry import Records

_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_LETTERS = re.compile(r"[^a-zа-яё]+")
_WORDS = re.compile(r"[A-Za-zА-Яа-яЁё]+")


@lru_cache(maxsize=16384)
def normalise_name(name: str) -> str:
    """A display name reduced to lower-case letters and single spaces: «Белова С.Ю. (педагог)» → «белова с ю»."""
    name = _PARENTHESES.sub(" ", name).casefold().replace("ё", "е")
    return " ".join(_NOT_LETTERS.sub(" ", name).split())


def normalise_word(word: str) -> str:
    return word.casefold().replace("ё", "е")


@dataclass(frozen=True)
class ScanContext:
    quiet_hours: tuple[dt.time, dt.time] | None = None   # (start, end); may run over midnight
    official_senders: frozenset[str] = frozenset()       # display names whose posts are official
    dictionary: frozenset[str] = frozenset()             # the institution's own words: names, associations, places
    month_end: dt.date | None = None                     # last day of the month being checked
    today: dt.date | None = None                         # a date mentioned before min(today, month_end) has passed
    _official: frozenset[str] = field(init=False, repr=False, compare=False)
    _words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_official", frozenset(normalise_name(s) for s in self.official_senders))
        object.__setattr__(self, "_words", frozenset(normalise_word(w) for w in self.dictionary))

    def is_official(self, sender: str) -> bool:
        return bool(sender) and normalise_name(sender) in self._official

    def knows(self, word: str) -> bool:
        """True for a word of the institution's own dictionary (case and ё ignored)."""
        return normalise_word(word) in self._words

    @property
    def cutoff(self) -> dt.date | None:
        """Dates before this one have passed by the time the report is made."""
        if self.month_end is None:
            return self.today
        return self.month_end if self.today is None else min(self.today, self.month_end)


def name_variants(surname: str, name: str, patronymic: str | None) -> set[str]:
    """How a person's name shows in a messenger: «Белова Светлана», «Светлана Юрьевна», «С.Ю. Белова», …"""
    variants = {f"{surname} {name}", f"{name} {surname}", f"{surname} {name[0]}"}
    if patronymic:
        initials = f"{name[0]}.{patronymic[0]}."
        variants |= {f"{surname} {name} {patronymic}", f"{name} {patronymic} {surname}", f"{name} {patronymic}",
                     f"{surname} {initials}", f"{initials} {surname}"}
    return {normalise_name(v) for v in variants}


def words_of(texts: Iterable[str]) -> set[str]:
    return {normalise_word(w) for text in texts for w in _WORDS.findall(text)}


def month_end(month: str) -> dt.date:
    """«2026-11» → 2026-11-30."""
    year, number = (int(part) for part in month.split("-"))
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def _time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def context_for(records: Records, group: Group | str, month: str | None = None,
                today: dt.date | None = None) -> ScanContext:
    """The scan context of one group: staff and the group itself speak officially (channel posts
    carry the group's title as sender); names, associations and places are not misspellings."""
    group = records.groups_by_id[group] if isinstance(group, str) else group
    institution = records.institution
    official: set[str] = {group.title, institution.short_name}
    for person in records.staff:
        official |= name_variants(person.surname, person.name, person.patronymic)
    people = records.people.values()
    dictionary = words_of([
        *(p.surname for p in people), *(p.name for p in people), *(p.patronymic or "" for p in people),
        *(g.title for g in records.groups), *(g.association for g in records.groups),
        *(g.direction for g in records.groups), *(s.association for s in records.students),
        institution.name, institution.short_name, institution.place, institution.address,
        institution.founder or "", *(a.title for a in records.acts),
    ])
    quiet = institution.quiet_hours
    month = month or records.latest_month
    return ScanContext(
        quiet_hours=(_time(quiet.start), _time(quiet.end)) if quiet else None,
        official_senders=frozenset(official),
        dictionary=frozenset(dictionary),
        month_end=month_end(month) if month else None,
        today=today,
    )

"""Who wrote it: export sender names (and phones) → people in records/people.yaml.

A chat shows a display name the way the phone or Telegram account has it: «Белова Светлана»,
«Светлана Белова», «Белова Светлана Юрьевна», «светлана белова 🌸». Names are compared
case-insensitively with ё folded to е and decorations (emoji, punctuation) dropped. A name
shared by two people matches nobody and is reported; names matching nobody are counted.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compliance.model.registry import Records

_NOT_NAME = re.compile(r"[^\w\s-]|_|\d")


def name_key(text: str) -> str:
    """A display name reduced for comparison: lower case, ё → е, letters, hyphens and single spaces."""
    folded = text.casefold().replace("ё", "е")
    return " ".join(_NOT_NAME.sub(" ", folded).split())


def phone_key(text: str) -> str:
    """A phone number reduced to its last ten digits (+7 912 … and 8 912 … agree)."""
    return re.sub(r"\D", "", text)[-10:]


class SenderMap:
    """Maps display names and phones of an export to person ids of the records."""

    def __init__(self, records: Records | Any = None, *, people: Iterable[Any] | None = None):
        persons = list(people if people is not None else records.people.values())
        self._names: dict[str, set[str]] = {}
        self._phones: dict[str, set[str]] = {}
        for person in persons:
            for form in _name_forms(person):
                self._names.setdefault(name_key(form), set()).add(person.id)
            phone = getattr(person, "phone", None)  # people have no phones yet; the hook waits for them
            if phone:
                self._phones.setdefault(phone_key(phone), set()).add(person.id)
        self.unknown: Counter[str] = Counter()
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        self.matched: Counter[str] = Counter()

    def match(self, display_name: str, phone: str | None = None) -> str | None:
        """The person id behind a sender, or None (unknown or ambiguous: both are recorded)."""
        candidates = self._names.get(name_key(display_name), set()) if display_name else set()
        if not candidates and phone:
            candidates = self._phones.get(phone_key(phone), set())
        label = display_name or phone or ""
        if len(candidates) == 1:
            (person_id,) = candidates
            self.matched[person_id] += 1
            return person_id
        if candidates:
            self.ambiguous[label] = tuple(sorted(candidates))
        else:
            self.unknown[label] += 1
        return None


def _name_forms(person: Any) -> list[str]:
    """«Фамилия Имя», «Имя Фамилия», and with a patronymic «Фамилия Имя Отчество», «Имя Отчество Фамилия»."""
    forms = [f"{person.surname} {person.name}", f"{person.name} {person.surname}"]
    if person.patronymic:
        forms += [f"{person.surname} {person.name} {person.patronymic}",
                  f"{person.name} {person.patronymic} {person.surname}"]
    return forms

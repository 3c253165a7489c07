"""Who wrote it: export sender names (and phones) → people in records/people.yaml.

A chat shows a display name the way the phone or Telegram account has it: «Белова Светлана»,
«Светлана Белова», «Белова Светлана Юрьевна», «светлана белова 🌸». Names are compared
case-insensitively with ё folded to е and decorations (emoji, punctuation) dropped. A name
shared by two people matches nobody and is reported; names matching nobody are counted.

Within a group the roster narrows it down: a name shared by several people is the one who is a
member, and a partial name («Е. Назарова», «Яна Николаевна», «Виктория 🌸») is a member when it
fits exactly one member of the group (never anyone outside it).

A name that is not a person's name («Мама Никиты», a phone number) is mapped by the user:
`aliases` (from `compliance import … --map "Мама Никиты=pr-012"`) come before everything else.
People may carry such names of their own in people.yaml (`chat_names`), kept from one import to the next.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compliance.model.registry import Records

_NOT_NAME = re.compile(r"[^\w\s-]|_|\d")
_PHONE_LIKE = re.compile(r"\+?[\d\s()\-]+")


def name_key(text: str) -> str:
    """A display name reduced for comparison: lower case, ё → е, letters, hyphens and single spaces."""
    folded = text.casefold().replace("ё", "е")
    return " ".join(_NOT_NAME.sub(" ", folded).split())


def phone_key(text: str) -> str:
    """A phone number reduced to its last ten digits (+7 912 … and 8 912 … agree)."""
    return re.sub(r"\D", "", text)[-10:]


def is_phone(text: str) -> bool:
    """«+7 (912) 345-67-89», «89123456789»: digits and phone punctuation only, at least ten digits."""
    return bool(_PHONE_LIKE.fullmatch(text.strip())) and len(re.sub(r"\D", "", text)) >= 10


class SenderMap:
    """Maps display names and phones of an export to person ids of the records."""

    def __init__(self, records: Records | Any = None, *, people: Iterable[Any] | None = None,
                 aliases: Mapping[str, str] | None = None, members: Iterable[str] | None = None):
        persons = list(people if people is not None else records.people.values())
        self._names: dict[str, set[str]] = {}
        self._phones: dict[str, set[str]] = {}
        self._members = frozenset(members or ())
        self._partial: dict[str, set[str]] = {}
        for person in persons:
            if person.id in self._members:
                for form in _partial_forms(person):
                    self._partial.setdefault(name_key(form), set()).add(person.id)
            for form in [*_name_forms(person), *(getattr(person, "chat_names", None) or ())]:
                self._names.setdefault(name_key(form), set()).add(person.id)
            phone = getattr(person, "phone", None)  # people have no phones yet; the hook waits for them
            if phone:
                self._phones.setdefault(phone_key(phone), set()).add(person.id)
        self._given_names: dict[str, str] = {}
        self._given_phones: dict[str, str] = {}
        for shown, person_id in (aliases or {}).items():
            if is_phone(shown):
                self._given_phones[phone_key(shown)] = person_id
            else:
                self._given_names[name_key(shown)] = person_id
        self.unknown: Counter[str] = Counter()
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        self.matched: Counter[str] = Counter()

    def match(self, display_name: str, phone: str | None = None) -> str | None:
        """The person id behind a sender, or None (unknown or ambiguous: both are recorded)."""
        given = self._given_names.get(name_key(display_name)) if display_name and self._given_names else None
        if given is None and phone and self._given_phones:
            given = self._given_phones.get(phone_key(phone))
        if given is None and display_name and self._given_phones and is_phone(display_name):
            given = self._given_phones.get(phone_key(display_name))
        if given is not None:
            self.matched[given] += 1
            return given
        key = name_key(display_name) if display_name else ""
        candidates = self._names.get(key, set()) if key else set()
        if not candidates and phone:
            candidates = self._phones.get(phone_key(phone), set())
        if len(candidates) > 1 and len(candidates & self._members) == 1:
            candidates = candidates & self._members
        if not candidates and key:
            candidates = self._partial.get(key, set())
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


def _partial_forms(person: Any) -> list[str]:
    """How a group member may sign without a full name: «Е. Назарова», «Назарова Е.», «Яна Николаевна», «Виктория»."""
    forms = [f"{person.name[0]} {person.surname}", f"{person.surname} {person.name[0]}", person.name]
    if person.patronymic:
        forms.append(f"{person.name} {person.patronymic}")
    return forms

"""Pieces shared by the view-models of several documents. All text is ready to print."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Letterhead:
    founder: str | None          # printed above the name, may be absent
    name: str                    # full name per устав
    short_name: str              # «МКОУ ДО «ДДТ»»
    place: str                   # «г. Светлогорск»


@dataclass(frozen=True)
class Signature:
    position: str                # «Директор»
    name: str                    # «Т.А. Прохорова» (initials first, NBSP before surname)


@dataclass(frozen=True)
class Column:
    """How a table column is titled and which row field fills it (XLSX and PDF use this)."""

    header: str
    field: str
    width: float                 # relative width; the columns of a table sum to 1.0


def cells(row: object, columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(getattr(row, c.field) for c in columns)


NBSP = "\u00a0"


def letterhead(institution) -> Letterhead:
    return Letterhead(founder=institution.founder, name=institution.name,
                      short_name=institution.short_name, place=institution.place)


def full_name(person):
    from ..ru import FullName

    return FullName(person.surname, person.name, person.patronymic, person.gender)


def person_name(records, person_id: str, form, *, redact: bool = False) -> str:
    """A person's name as `form` (e.g. ru.full, ru.surname_first) prints it; with `redact` (documents for
    publication, `build --redact`) a student's or parent's name is reduced to the initials of surname and
    first name, «А.П.». Staff keep their names: the law has schools publish who teaches and who is in charge
    (273-ФЗ ст. 29), while children and their parents did not consent to it (152-ФЗ ст. 10.1); a parent's
    surname is usually the child's, so printing it would undo the child's initials."""
    from ..model.records import Audience

    person = records.people[person_id]
    if redact and records.audience_of(person_id) != Audience.STAFF:
        return "".join(f"{part.strip()[:1].upper()}." for part in (person.surname, person.name) if part.strip())
    return form(full_name(person))


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def signature_of(person) -> Signature:
    """Position with a capital letter and «И.О.\u00a0Фамилия», as under a signature."""
    from ..ru import initials_first

    return Signature(capitalised(person.position), initials_first(full_name(person)))


def order_reference(short_name: str, order) -> str:
    """«МКОУ ДО «ДДТ» от 01.09.2026 № 45-од»: what follows «приказом» or «к приказу»."""
    from ..ru import date_numeric

    return f"{short_name} от {date_numeric(order.date)} №{NBSP}{order.registration_number}"

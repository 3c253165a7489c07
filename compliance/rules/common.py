"""Small helpers the rules share: how people and groups are named in findings."""
from __future__ import annotations


def person_label(records, pid: str) -> str:
    from ..ru import FullName, surname_first

    person = records.people[pid]
    category = {"родители": "родитель", "обучающиеся": "обучающийся", "педагоги": "педагог"}[records.audience_of(pid).value]
    return f"{surname_first(FullName(person.surname, person.name, person.patronymic, person.gender))} ({category}, {pid})"


def group_label(group) -> str:
    return f"группа «{group.title}»"


def act_label(act, version) -> str:
    return f"{act.title}, ред. {version.version}" if len(act.versions) > 1 else act.title


def past_participle(records, pid: str, masculine: str) -> str:
    """«ознакомлен» → «ознакомлена» for a woman."""
    from ..ru import FullName, detect_gender

    person = records.people[pid]
    female = detect_gender(FullName(person.surname, person.name, person.patronymic, person.gender)) == "ж"
    return masculine + "а" if female else masculine

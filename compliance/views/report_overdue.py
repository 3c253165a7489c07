"""Section 2.1 of the monthly report: who did not acknowledge the acts in force by the deadline.

Up to OVERDUE_LISTED people are listed by name; more, and the list is one row per group: who has to chase whom.
"""
from __future__ import annotations

from dataclasses import dataclass

from .common import Column


@dataclass(frozen=True)
class OverdueRow:
    number: str
    person: str                  # «Аксёнова П.И.»
    category: str                # «родитель»
    group: str
    act: str                     # «Правила использования чата, ред. 2»
    deadline: str                # «05.11.2026»


@dataclass(frozen=True)
class OverdueGroupRow:
    """One group of the overdue list when more than OVERDUE_LISTED people are late: who has to chase whom."""

    number: str
    group: str
    admin: str                   # «Иванова М.П.»
    late: str                    # «7 из 24»: members not acknowledged in time, of all members
    acts: str                    # «Правила, ред. 2 — 6; Порядок — 1»
    deadline: str                # «05.11.2026»


OVERDUE_COLUMNS = (
    Column("№", "number", 0.05), Column("Участник", "person", 0.17), Column("Категория", "category", 0.13),
    Column("Группа", "group", 0.35), Column("Акт, редакция", "act", 0.19), Column("Срок", "deadline", 0.11))
OVERDUE_GROUP_COLUMNS = (
    Column("№", "number", 0.05), Column("Группа", "group", 0.37), Column("Администратор", "admin", 0.16),
    Column("Не ознакомлены", "late", 0.13), Column("Акт, редакция", "acts", 0.17), Column("Срок", "deadline", 0.12))

OVERDUE_LISTED = 100       # up to this many late people are listed by name; more: one row per group
NAMED_IN_ROW = 2           # groups named in a row of the overdue list; more are counted («и ещё 13»)
TOP_GROUPS = 3             # groups named in a lead as those with the most people or findings


def act_label(act, version, names=None) -> str:
    """An act as the report names it: the version is added where the act has more than one."""
    from .common import NBSP

    title = (names or {}).get(act.id, act.title)
    return f"{title}, ред.{NBSP}{version.version}" if len(act.versions) > 1 else title


def overdue_list(records, groups, by_person, labels, last_day, redact: bool = False
                 ) -> tuple[int, str, tuple[Column, ...], tuple[OverdueRow | OverdueGroupRow, ...]]:
    """How many people are late, the lead, the columns and the rows of section 2.1: by person, or by group when
    more than OVERDUE_LISTED people are late."""
    from ..ru import date_numeric, surname_first
    from .acknowledgement_sheet import category_of
    from .common import person_name

    people = records.people
    overdue_people = {pid: [ob for ob in items if not ob.done and ob.deadline < last_day]
                      for pid, items in by_person.items()}
    ordered = sorted((pid for pid, items in overdue_people.items() if items),
                     key=lambda pid: (people[pid].surname, people[pid].name, pid))
    acts_short = act_names(records.acts)

    def named_groups(items) -> str:
        """«A; B и ещё 13»: a group's title holds commas, so titles are parted by «;»."""
        titles = list(dict.fromkeys(labels[g.title] for ob in items for g in ob.groups))
        more = f" и ещё {len(titles) - NAMED_IN_ROW}" if len(titles) > NAMED_IN_ROW else ""
        return "; ".join(titles[:NAMED_IN_ROW]) + more

    overdue = tuple(
        OverdueRow(str(i), person_name(records, pid, surname_first, redact=redact), category_of(records, pid, short=True),
                   named_groups(overdue_people[pid]),
                   "; ".join(act_label(ob.act, ob.version, acts_short) for ob in overdue_people[pid]),
                   ", ".join(dict.fromkeys(date_numeric(ob.deadline) for ob in overdue_people[pid])))
        for i, pid in enumerate(ordered, 1))
    lead = _overdue_lead(records, ordered, overdue_people, labels, acts_short)
    if len(overdue) > OVERDUE_LISTED:
        return len(ordered), lead, OVERDUE_GROUP_COLUMNS, _overdue_by_group(records, groups, overdue_people, labels,
                                                                             acts_short)
    return len(ordered), lead, OVERDUE_COLUMNS, overdue


def act_names(acts) -> dict[str, str]:
    """Acts named by their kind where no other act in force shares it: «Порядок», «Правила», «Инструкция»."""
    from .common import capitalised

    kinds: dict[str, list] = {}
    for act in acts:
        kinds.setdefault(act.kind.value, []).append(act)
    return {act.id: capitalised(kind) for kind, same in kinds.items() if len(same) == 1 for act in same}


def _overdue_by_group(records, groups, overdue_people, labels, acts_short) -> tuple[OverdueGroupRow, ...]:
    """Per group, the most late members first: a person late in several groups is counted in each, since each
    administrator has to have them sign; their names are on the groups' acknowledgement sheets."""
    from ..ru import surname_first
    from .common import NBSP, full_name

    late: dict[str, dict[str, set]] = {}        # group → act label → people
    deadlines: dict[str, set] = {}
    for pid, items in overdue_people.items():
        for ob in items:
            for g in ob.groups:
                late.setdefault(g.id, {}).setdefault(act_label(ob.act, ob.version, acts_short), set()).add(pid)
                deadlines.setdefault(g.id, set()).add(ob.deadline)
    order = {g.id: i for i, g in enumerate(groups)}
    ranked = sorted((g for g in groups if g.id in late),
                    key=lambda g: (-len(set().union(*late[g.id].values())), order[g.id]))
    return tuple(
        OverdueGroupRow(str(i), labels[g.title], surname_first(full_name(records.people[g.admin])),
                        f"{len(set().union(*late[g.id].values()))} из {len(g.members)}",
                        "; ".join(f"{act}{NBSP}— {len(who)}" for act, who in
                                  sorted(late[g.id].items(), key=lambda a: (-len(a[1]), a[0]))),
                        _deadlines(sorted(deadlines[g.id])))
        for i, g in enumerate(ranked, 1))


def _deadlines(dates) -> str:
    """«05.11.2026», «25.09.2026, 05.11.2026» or, for members who joined late, each with a deadline of their
    own, the span «06.02.2026 – 14.11.2026»."""
    from ..ru import date_numeric

    if len(dates) <= 2:
        return ", ".join(date_numeric(d) for d in dates)
    return f"{date_numeric(dates[0])} – {date_numeric(dates[-1])}"


def _overdue_lead(records, ordered, overdue_people, labels, acts_short) -> str:
    """How many people, of which categories, the groups with the most of them, and how the acts are named."""
    from ..ru import plural
    from .acknowledgement_sheet import category_of
    from .common import NBSP

    if not ordered:
        return ""
    categories: dict[str, int] = {}
    for pid in ordered:
        name = {"родитель": "родители", "обучающийся": "обучающиеся"}.get(category_of(records, pid, short=True),
                                                                          "работники")
        categories[name] = categories.get(name, 0) + 1
    per_group: dict[str, set] = {}
    for pid in ordered:
        for ob in overdue_people[pid]:
            for g in ob.groups:
                per_group.setdefault(g.id, set()).add(pid)
    text = (f"Не ознакомлены в срок: {plural(len(ordered), 'участник').replace(' ', NBSP, 1)} ("
            + ", ".join(f"{name}{NBSP}— {n}" for name, n in sorted(categories.items())) + ")")
    if len(ordered) > OVERDUE_LISTED:
        text += (f", {_in_groups(len(per_group))}. Группы — по числу не ознакомленных (из всех участников группы), "
                 "по актам — сколько не ознакомлены с каждым; участник нескольких групп учтён в каждой, поимённо "
                 "они — в листах ознакомления групп")
    elif len(per_group) > TOP_GROUPS:
        top = sorted(per_group.items(), key=lambda item: (-len(item[1]), item[0]))[:TOP_GROUPS]
        text += (f", {_in_groups(len(per_group))}; "
                 "больше всего — в группах " + ", ".join(f"«{labels[records.groups_by_id[g].title]}» ({len(who)})"
                                                          for g, who in top))
    text += "."
    named = [act for act in records.acts if act.id in acts_short and acts_short[act.id] != act.title]
    if named:
        text += " Акты названы по виду: " + "; ".join(f"{acts_short[a.id]} — {a.title}" for a in named) + "."
    if len(ordered) <= OVERDUE_LISTED and any(
            len(dict.fromkeys(g.id for ob in overdue_people[pid] for g in ob.groups)) > NAMED_IN_ROW for pid in ordered):
        text += f" У участника нескольких групп названы {NAMED_IN_ROW} из них."
    return text


def _in_groups(n: int) -> str:
    """«в 1 группе», «в 5 группах», «в 21 группе»."""
    return f"в {n} группе" if n % 10 == 1 and n % 100 != 11 else f"в {n} группах"



"""A roster against the records: who is new, who changes, who joins which group, who is missing.

Nothing is guessed and nobody is deleted. A student is the same person when the full name (ё = е, any
case) and the объединение agree; a parent when the full name agrees (among namesakes: the one already
linked to the child, else the one with a child in the same объединение). Two candidates make the row
«неоднозначно»: it is reported and left alone. People of the roster's объединения who are not in it
are listed «нет в списке» and stay in the records. The write is roster_text.py's.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Protocol

from ..errors import UsageError, display_path
from ..model.records import Audience, Group, Student
from ..model.registry import Records

PEOPLE = "people.yaml"
_TITLES = {"group": "Группа", "association": "Объединение", "id": "id"}
GROUPS = "groups.yaml"
ABSENT_NOTE = "исключите вручную из people.yaml и groups.yaml, если выбыл(а)"


# ---------------------------------------------------------------- what the reader hands over

class _Name(Protocol):
    surname: str
    name: str
    patronymic: str | None


class RosterEntry(Protocol):
    """One row as compliance.imports.roster reads it (the store may not import the readers)."""

    row: int
    student: _Name
    birth_year: int | None
    year_of_study: int | None
    association: str | None
    group: str | None
    parents: tuple[_Name, ...]
    person_id: str | None


class RosterSource(Protocol):
    path: Path
    rows: tuple[RosterEntry, ...]
    simple_layout: bool
    has_parent_columns: bool
    group_column: str | None
    remarks: tuple[tuple[int, str], ...]
    skipped_associations: tuple[str, ...]
    columns: dict[str, str]                 # role → «F «Группа»»


# ---------------------------------------------------------------- the plan

@dataclass(frozen=True)
class NewPerson:
    id: str
    surname: str
    name: str
    patronymic: str | None
    rows: tuple[int, ...]
    association: str | None = None          # a student's
    year_of_study: int | None = None
    birth_year: int | None = None
    children: tuple[str, ...] = ()          # a parent's

    @property
    def full(self) -> str:
        return _full(self)


@dataclass(frozen=True)
class Change:
    """A field of a person already in people.yaml."""

    person: str
    field: str                              # children, birth_year or year_of_study
    old: Any
    new: Any


@dataclass(frozen=True)
class Joining:
    group: str
    person: str
    joined: dt.date | None                  # None: the group is not created yet, the person is a founder


@dataclass(frozen=True)
class Ambiguity:
    row: int
    who: str
    candidates: tuple[str, ...]
    fix: str


@dataclass(frozen=True)
class RosterPlan:
    students: tuple[NewPerson, ...] = ()
    parents: tuple[NewPerson, ...] = ()
    changes: tuple[Change, ...] = ()
    joinings: tuple[Joining, ...] = ()
    unchanged: int = 0
    absent: tuple[str, ...] = ()
    ambiguous: tuple[Ambiguity, ...] = ()
    remarks: tuple[tuple[int, str], ...] = ()
    names: dict[str, str] = field(default_factory=dict)        # id → «Фамилия Имя Отчество»
    absent_notes: dict[str, str] = field(default_factory=dict)  # id → «Изостудия «Радуга»» / «родитель st-014»

    @property
    def empty(self) -> bool:
        return not (self.students or self.parents or self.changes or self.joinings)

    def lines(self) -> list[str]:
        """The plan in Russian, as the command prints it."""
        from ..ru import plural

        out: list[str] = []
        shown = [*(p.id for p in (*self.students, *self.parents)), *(c.person for c in self.changes), *self.absent]
        width = max(map(len, shown), default=6)
        if self.students or self.parents:
            counts = [plural(len(self.students), "обучающийся")] if self.students else []
            counts += [plural(len(self.parents), "родитель")] if self.parents else []
            out.append(f"Будут добавлены: {', '.join(counts)}.")
            for p in self.students:
                details = [p.association or ""]
                if p.year_of_study:
                    details.append(f"{p.year_of_study}-й год обучения")
                if p.birth_year:
                    details.append(f"{p.birth_year} г. р.")
                out.append(f"  {p.id:<{width}}  {p.full} — {', '.join(details)} ({_rows(p.rows)})")
            for p in self.parents:
                out.append(f"  {p.id:<{width}}  {p.full} — родитель {', '.join(p.children)} ({_rows(p.rows)})")
        if self.changes:
            people = list(dict.fromkeys(c.person for c in self.changes))
            out.append(f"Будут изменены: {len(people)}.")
            for pid in people:
                what = [_change_text(c) for c in self.changes if c.person == pid]
                out.append(f"  {pid:<{width}}  {self.names[pid]}: {'; '.join(what)}")
        if self.joinings:
            out.append(f"В группы: {len(self.joinings)}.")
            for group in dict.fromkeys(j.group for j in self.joinings):
                mine = [j for j in self.joinings if j.group == group]
                when = (f"дата вступления {mine[0].joined:%d.%m.%Y}" if mine[0].joined is not None
                        else "группа ещё не создана — дата вступления не записывается")
                out.append(f"  {group}: {', '.join(j.person for j in mine)} — {when}")
        out.append(f"Без изменений: {self.unchanged}.")
        if self.absent:
            out.append(f"Нет в списке (не удаляются): {len(self.absent)} — {ABSENT_NOTE}:")
            out += [f"  {pid:<{width}}  {self.names[pid]} — {self.absent_notes[pid]}" for pid in self.absent]
        if self.ambiguous:
            out.append(f"Неоднозначно: {len(self.ambiguous)} — не угадываем, эти люди не изменены:")
            for a in self.ambiguous:
                out.append(f"  строка {a.row}: {a.who} — подходят {', '.join(a.candidates)}.")
                out.append(f"    Как исправить: {a.fix}")
        if self.remarks:
            out.append(f"Замечания: {len(self.remarks)}.")
            out += [f"  {'строка ' + str(row) + ': ' if row else ''}{text}" for row, text in self.remarks]
        return out


def _rows(rows: tuple[int, ...]) -> str:
    return ("строка " if len(rows) == 1 else "строки ") + ", ".join(str(r) for r in rows)


def _change_text(c: Change) -> str:
    if c.field == "children":
        added = [x for x in c.new if x not in c.old]
        return ("добавлен ребёнок " if len(added) == 1 else "добавлены дети ") + ", ".join(added)
    title = {"birth_year": "год рождения", "year_of_study": "год обучения"}[c.field]
    return f"{title} {c.old} → {c.new}" if c.old is not None else f"{title} {c.new} (раньше не указан)"


# ---------------------------------------------------------------- names

def _fold(text: str | None) -> str:
    return " ".join(str(text or "").replace("ё", "е").replace("Ё", "Е").split()).casefold()


def _fold_association(text: str | None) -> str:
    """«Изостудия "Радуга"» = «изостудия «Радуга»»: quotes, case, ё and spaces do not matter."""
    return re.sub(r"[«»“”„\"']", '"', _fold(text))


def _full(p: Any) -> str:
    return " ".join(part for part in (p.surname, p.name, p.patronymic) if part)


def _key(p: Any) -> tuple[str, str, str]:
    return _fold(p.surname), _fold(p.name), _fold(p.patronymic)


def short_name(p: Any) -> str:
    """«Аксёнова Н.С.» with a plain space, as in the comments of groups.yaml."""
    from ..ru import FullName, surname_first

    return surname_first(FullName(p.surname, p.name, p.patronymic, getattr(p, "gender", None))).replace("\u00a0", " ")


class _NameIndex:
    """People by surname and name; the patronymic decides when both sides have one."""

    def __init__(self, people: Iterable[Any]):
        self._by: dict[tuple[str, str], list[Any]] = {}
        for p in people:
            self._by.setdefault(_key(p)[:2], []).append(p)

    def find(self, name: Any) -> list[Any]:
        wanted = _key(name)
        near = self._by.get(wanted[:2], [])
        exact = [p for p in near if _key(p) == wanted]
        return exact or [p for p in near if not _key(p)[2] or not wanted[2]]


def _id_maker(records: Records, section: tuple[Any, ...], default: str) -> Any:
    """Ids that follow the section's scheme: st-061 after st-060 (width and prefix as in the file)."""
    numbered = [m for p in section for m in [re.fullmatch(r"([a-z][a-z0-9]*)-(\d+)", p.id)] if m]
    prefixes = [m[1] for m in numbered]
    prefix = max(set(prefixes), key=prefixes.count) if prefixes else default
    mine = [m for m in numbered if m[1] == prefix]
    width = max((len(m[2]) for m in mine), default=3)
    number = max((int(m[2]) for m in mine), default=0)
    taken = set(records.people)

    def next_id() -> str:
        nonlocal number
        while True:
            number += 1
            candidate = f"{prefix}-{number:0{width}d}"
            if candidate not in taken:
                taken.add(candidate)
                return candidate

    return next_id


# ---------------------------------------------------------------- planning

class _Planner:
    def __init__(self, records: Records, roster: RosterSource, group: str | None, on: dt.date):
        self.records, self.roster, self.on = records, roster, on
        self.where = display_path(roster.path)
        self.errors: list[str] = []
        self.remarks: list[tuple[int, str]] = list(roster.remarks)
        self.forced = self._group_option(group)
        self.associations = {_fold_association(a): a for a in
                             [*(s.association for s in records.students), *(g.association for g in records.groups)]}
        self.students_by_name = _NameIndex(records.students)
        self.parents_by_name = _NameIndex(records.parents)
        self.student_ids = _id_maker(records, records.students, "st")
        self.parent_ids = _id_maker(records, records.parents, "pr")
        self.new_students: dict[tuple[str, tuple], NewPerson] = {}
        self.new_parents: dict[str, NewPerson] = {}            # by id
        self.children: dict[str, list[str]] = {}               # existing parent → children as planned
        self.fields: dict[tuple[str, str], tuple[Any, Any]] = {}
        self.joinings: dict[tuple[str, str], Joining] = {}
        self.touched: set[str] = set()
        self.ambiguous: list[Ambiguity] = []
        self.unsure: set[str] = set()                          # candidates of an ambiguous row
        self.seen_students: dict[str, int] = {}
        self.roster_parents: dict[tuple[str, str, str], str | None] = {}
        self.scope: set[str] = {_fold_association(a) for a in roster.skipped_associations}
        if self.forced is not None:
            self.scope.add(_fold_association(self.forced.association))

    # -- options and columns

    def _group_option(self, group: str | None) -> Group | None:
        if group is None:
            return None
        found = self._find_group(group)
        if found is None:
            raise UsageError(f"Группы «{group}» нет в groups.yaml.\n"
                             f"  Как исправить: укажите в --group id группы ({self._suggest_group(group)}).")
        if not ({Audience.PARENTS, Audience.STUDENTS} & set(found.audience)):
            raise UsageError(f"Группа «{found.id}» — для педагогов: обучающихся и родителей в неё не добавляют.\n"
                             f"  Как исправить: укажите в --group группу родителей или обучающихся.")
        return found

    def _find_group(self, text: str) -> Group | None:
        text = text.strip()
        if text in self.records.groups_by_id:
            return self.records.groups_by_id[text]
        titles = [g for g in self.records.groups if _fold_association(g.title) == _fold_association(text)]
        return titles[0] if len(titles) == 1 else None

    def _suggest_group(self, text: str) -> str:
        known = list(self.records.groups_by_id)
        close = difflib.get_close_matches(text.strip(), known, n=3, cutoff=0.6)
        return f"возможно, вы имели в виду: {', '.join(close)}" if close else f"есть: {', '.join(known)}"

    def _error(self, row: int, role: str, what: str, fix: str) -> None:
        column = self.roster.columns.get(role) or f"«{_TITLES[role]}»"
        self.errors.append(f"{self.where}, строка {row}, столбец {column}: {what}\n  Как исправить: {fix}")

    def _row_groups(self) -> dict[int, Group | None]:
        rows = self.roster.rows
        column = self.roster.group_column
        resolved = {r.row: self._find_group(r.group) for r in rows if r.group}
        if column and resolved and not any(resolved.values()) and not self.roster.simple_layout:
            self.remarks.append((0, f"столбец «{column}»: ни одно значение не совпадает с id или названием группы "
                                    f"из groups.yaml (в выгрузке это, вероятно, учебные группы) — столбец не "
                                    f"использован; группу в мессенджере укажите параметром --group"))
            resolved = {}
        groups: dict[int, Group | None] = {}
        for r in rows:
            group = resolved.get(r.row)
            if r.group and r.row in resolved and group is None:
                self._error(r.row, "group", f"группы «{r.group}» нет в groups.yaml",
                            f"укажите id группы ({self._suggest_group(r.group)}) или оставьте ячейку пустой.")
            group = group or self.forced
            if group is not None and not ({Audience.PARENTS, Audience.STUDENTS} & set(group.audience)):
                self._error(r.row, "group", f"группа «{group.id}» — для педагогов: обучающихся и родителей "
                                            f"в неё не добавляют",
                            "укажите группу родителей или обучающихся.")
                group = None
            groups[r.row] = group
        return groups

    def _association(self, row: RosterEntry, group: Group | None, announced: set[str]) -> str | None:
        text = row.association or (group.association if group else None)
        if not text:
            self._error(row.row, "association", "не указано объединение",
                        "заполните столбец «Объединение» или укажите группу (столбец «Группа» или параметр --group).")
            return None
        known = self.associations.get(_fold_association(text))
        if known is not None:
            return known
        if _fold_association(text) not in announced:
            announced.add(_fold_association(text))
            close = difflib.get_close_matches(text, sorted(set(self.associations.values())), n=1, cutoff=0.6)
            hint = f"; похожее: «{close[0]}»" if close else ""
            self.remarks.append((row.row, f"объединения «{text}» в записях нет — обучающиеся будут записаны в новое "
                                          f"объединение{hint}; если это опечатка, исправьте название в списке"))
        return text

    # -- people

    def plan(self) -> RosterPlan:
        groups = self._row_groups()
        announced: set[str] = set()
        associations = {r.row: self._association(r, groups[r.row], announced) for r in self.roster.rows}
        for row in self.roster.rows:
            association = associations[row.row]
            if association is None:
                continue
            self.scope.add(_fold_association(association))
            student = self._student(row, association)
            if student is None:
                continue
            parents = self._parents(row, student, association)
            self._join(row, groups[row.row], student, parents)
        if self.errors:
            raise UsageError("\n".join(self.errors + [f"Ошибок в списке: {len(self.errors)}. Записи не изменены."]))
        return self._result()

    def _student(self, row: RosterEntry, association: str) -> str | None:
        """The student's id (existing or new), or None when the row is left alone."""
        if row.person_id:
            person = self.records.people.get(row.person_id.strip())
            if not isinstance(person, Student):
                self._error(row.row, "id", f"«{row.person_id}» — такого обучающегося нет в people.yaml",
                            "укажите id обучающегося из people.yaml или оставьте ячейку пустой.")
                return None
            if _key(person)[:2] != _key(row.student)[:2]:
                self._error(row.row, "id", f"{person.id} — это {_full(person)}, а в строке — {_full(row.student)}",
                            "исправьте id или ФИО в этой строке.")
                return None
            candidates = [person]
        else:
            candidates = [s for s in self.students_by_name.find(row.student)
                          if _fold_association(s.association) == _fold_association(association)]
        if len(candidates) > 1:
            ids = tuple(s.id for s in candidates)
            self.ambiguous.append(Ambiguity(row.row, f"{_full(row.student)} ({association})", ids,
                                            "впишите нужный id в столбец «id» этой строки (если столбца нет, "
                                            "добавьте его) и повторите загрузку."))
            self.unsure.update(ids)
            return None
        if candidates:
            student = candidates[0]
            if student.id in self.seen_students:
                self.remarks.append((row.row, f"{_full(row.student)} уже есть в строке "
                                              f"{self.seen_students[student.id]} — строка пропущена"))
                return None
            self.seen_students[student.id] = row.row
            self.touched.add(student.id)
            for name in ("birth_year", "year_of_study"):
                new, old = getattr(row, name), getattr(student, name)
                if new is not None and new != old:
                    self.fields[(student.id, name)] = (old, new)
            return student.id
        key = (_fold_association(association), _key(row.student))
        if key in self.new_students:
            earlier = self.new_students[key]
            self.remarks.append((row.row, f"{_full(row.student)} уже есть в строке {earlier.rows[0]} — "
                                          f"строка пропущена"))
            return None
        new = NewPerson(self.student_ids(), row.student.surname, row.student.name, row.student.patronymic or None,
                        (row.row,), association=association, year_of_study=row.year_of_study,
                        birth_year=row.birth_year)
        self.new_students[key] = new
        return new.id

    def _association_of(self, student_id: str) -> str:
        person = self.records.people.get(student_id)
        if isinstance(person, Student):
            return _fold_association(person.association)
        return next(_fold_association(s.association) for s in self.new_students.values() if s.id == student_id)

    def _parents(self, row: RosterEntry, student: str, association: str) -> list[str]:
        """Ids of the row's parents (linking each to the student), or the records' parents of the student."""
        if not self.roster.has_parent_columns:
            return [p.id for p in self.records.parents if student in p.children]
        found: list[str] = []
        for name in row.parents:
            key = _key(name)
            if key not in self.roster_parents:
                self.roster_parents[key] = self._parent(row, name, student, association)
            pid = self.roster_parents[key]
            if pid is None:
                continue
            self._link(pid, student, row.row)
            found.append(pid)
        return found

    def _parent(self, row: RosterEntry, name: Any, student: str, association: str) -> str | None:
        candidates = self.parents_by_name.find(name)
        if len(candidates) > 1:
            narrowed = ([p for p in candidates if student in p.children]
                        or [p for p in candidates if any(self._association_of(c) == _fold_association(association)
                                                         for c in p.children)])
            candidates = narrowed if len(narrowed) == 1 else candidates
        if len(candidates) > 1:
            ids = tuple(p.id for p in candidates)
            later = "" if student in self.records.people else " после записи (--apply)"
            self.ambiguous.append(Ambiguity(row.row, f"родитель {_full(name)}", ids,
                                            f"свяжите родителя с ребёнком вручную: допишите {student} в children "
                                            f"нужного родителя в people.yaml{later}."))
            self.unsure.update(ids)
            return None
        if candidates:
            self.touched.add(candidates[0].id)
            return candidates[0].id
        new = NewPerson(self.parent_ids(), name.surname, name.name, name.patronymic or None, (row.row,))
        self.new_parents[new.id] = new
        return new.id

    def _link(self, parent: str, student: str, row: int) -> None:
        if parent in self.new_parents:
            new = self.new_parents[parent]
            rows = new.rows if row in new.rows else (*new.rows, row)
            children = new.children if student in new.children else (*new.children, student)
            self.new_parents[parent] = NewPerson(new.id, new.surname, new.name, new.patronymic, rows, children=children)
            return
        planned = self.children.setdefault(parent, list(self.records.people[parent].children))
        if student not in planned:
            planned.append(student)

    def _join(self, row: RosterEntry, group: Group | None, student: str, parents: list[str]) -> None:
        if group is None:
            return
        wanted = [student] if Audience.STUDENTS in group.audience else []
        if Audience.PARENTS in group.audience:
            if not parents:
                self.remarks.append((row.row, f"в группу родителей {group.id} некого добавить: у обучающегося "
                                              f"нет родителей ни в списке, ни в people.yaml"))
            wanted += parents
        joined = self.on if group.created is not None and group.created < self.on else None
        for pid in wanted:
            if pid not in group.members and (group.id, pid) not in self.joinings:
                self.joinings[(group.id, pid)] = Joining(group.id, pid, joined)

    # -- the result

    def _result(self) -> RosterPlan:
        changes = [Change(pid, "children", tuple(self.records.people[pid].children), tuple(planned))
                   for pid, planned in self.children.items() if planned != list(self.records.people[pid].children)]
        changes += [Change(pid, name, old, new) for (pid, name), (old, new) in self.fields.items()]
        changes.sort(key=lambda c: (c.person, c.field))
        changed = {c.person for c in changes} | {j.person for j in self.joinings.values()}
        absent = self._absent()
        names = {p.id: _full(p) for p in self.records.people.values()}
        names.update({p.id: p.full for p in [*self.new_students.values(), *self.new_parents.values()]})
        notes = {}
        for pid in absent:
            person = self.records.people[pid]
            notes[pid] = (person.association if isinstance(person, Student)
                          else f"родитель {', '.join(person.children)}")
        return RosterPlan(
            students=tuple(self.new_students.values()), parents=tuple(self.new_parents.values()),
            changes=tuple(changes), joinings=tuple(self.joinings.values()),
            unchanged=len(self.touched - changed), absent=tuple(absent), ambiguous=tuple(self.ambiguous),
            remarks=tuple(sorted(self.remarks, key=lambda r: r[0])), names=names, absent_notes=notes)

    def _absent(self) -> list[str]:
        """People of the roster's объединения whom the roster does not name (never those it might name)."""
        present = set(self.seen_students) | self.unsure
        students = [s.id for s in self.records.students
                    if _fold_association(s.association) in self.scope and s.id not in present]
        parents: list[str] = []
        if self.roster.has_parent_columns:
            named = {pid for pid in self.roster_parents.values() if pid} | self.unsure
            for p in self.records.parents:
                if p.id in named or any(c in self.unsure for c in p.children):
                    continue
                if all(self._association_of(c) in self.scope for c in p.children):
                    parents.append(p.id)
        return students + parents


def plan_roster(records: Records, roster: RosterSource, *, group: str | None = None,
                on: dt.date) -> RosterPlan:
    """What importing `roster` would change; UsageError lists every row the plan cannot use."""
    return _Planner(records, roster, group, on).plan()


# ---------------------------------------------------------------- writing

@dataclass(frozen=True)
class RosterResult:
    plan: RosterPlan
    written: tuple[Path, ...] = ()


def import_roster(records_dir: Path, roster: RosterSource, *, group: str | None, on: dt.date,
                  apply: bool) -> RosterResult:
    """Plan the import; with `apply`, write it (people.yaml and groups.yaml together) under the records lock."""
    from .load import load
    from .write import records_lock

    root = Path(records_dir)
    if not apply or not root.is_dir():        # a missing folder: load says «папка не найдена»
        return RosterResult(plan_roster(load(root), roster, group=group, on=on))
    with records_lock(root):
        records = load(root)
        plan = plan_roster(records, roster, group=group, on=on)
        return RosterResult(plan, tuple(write_plan(records, plan)))


def write_plan(records: Records, plan: RosterPlan) -> list[Path]:
    """Put the plan into people.yaml and groups.yaml: checked, then both written atomically."""
    from .roster_text import write_plan as write

    return write(records, plan)


__all__ = ["Ambiguity", "Change", "Joining", "NewPerson", "RosterEntry", "RosterPlan", "RosterResult",
           "import_roster", "plan_roster", "short_name", "write_plan"]

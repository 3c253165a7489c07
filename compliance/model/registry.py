"""All records of one institution, indexed by id, with references already checked."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .records import (Acknowledgement, Act, ActVersion, Audience, Group, Institution, MonthLog, Order,
                      OrderStatus, Parent, Person, Staff, Student)


@dataclass(frozen=True)
class Records:
    root: Path
    institution: Institution
    staff: tuple[Staff, ...]
    students: tuple[Student, ...]
    parents: tuple[Parent, ...]
    acts: tuple[Act, ...]
    groups: tuple[Group, ...]
    orders: tuple[tuple[str, Order], ...]
    acknowledgements: tuple[Acknowledgement, ...]
    logs: tuple[MonthLog, ...]

    @cached_property
    def people(self) -> dict[str, Person]:
        return {p.id: p for p in (*self.staff, *self.students, *self.parents)}

    @cached_property
    def acts_by_id(self) -> dict[str, Act]:
        return {a.id: a for a in self.acts}

    @cached_property
    def groups_by_id(self) -> dict[str, Group]:
        return {g.id: g for g in self.groups}

    @cached_property
    def orders_by_id(self) -> dict[str, Order]:
        return dict(self.orders)

    @cached_property
    def logs_by_month(self) -> dict[str, MonthLog]:
        return {log.month: log for log in self.logs}

    @cached_property
    def _acks(self) -> dict[tuple[str, str, int], Acknowledgement]:
        return {(a.person, a.act, a.version): a for a in self.acknowledgements}

    @cached_property
    def acknowledgements_by_person(self) -> dict[str, tuple[Acknowledgement, ...]]:
        """Each person's acknowledgements by act and version (records order among equal ones); absent: none."""
        own: dict[str, list[Acknowledgement]] = {}
        for ack in self.acknowledgements:
            own.setdefault(ack.person, []).append(ack)
        return {pid: tuple(sorted(items, key=lambda a: (a.act, a.version))) for pid, items in own.items()}

    @cached_property
    def memo(self) -> dict:
        """What views and rules work out once per Records and use many times (record digests for stamps,
        п. 2.3 obligations), under keys of their own. Records are not changed after loading (the models are
        frozen, and nothing edits their lists), so what was worked out holds."""
        return {}

    @property
    def director(self) -> Staff:
        return self.people[self.institution.director]  # type: ignore[return-value]

    @property
    def secretary(self) -> Staff:
        return self.people[self.institution.secretary]  # type: ignore[return-value]

    def audience_of(self, person_id: str) -> Audience:
        person = self.people[person_id]
        if isinstance(person, Parent):
            return Audience.PARENTS
        if isinstance(person, Student):
            return Audience.STUDENTS
        return Audience.STAFF

    def acknowledgement(self, person_id: str, act_id: str, version: int) -> Acknowledgement | None:
        return self._acks.get((person_id, act_id, version))

    def version_in_force(self, act: Act, on: dt.date) -> ActVersion | None:
        """The latest version whose approving order is signed and which is effective on `on`."""
        current = None
        for version in act.versions:
            order = self.orders_by_id.get(version.approved_by)
            if order is not None and order.status == OrderStatus.SIGNED and version.effective <= on:
                current = version
        return current

    def required_acts(self, group: Group) -> list[Act]:
        """Acts the members of `group` must acknowledge (п. 2.3), in records order."""
        wanted = [a for a in self.acts if set(a.required_for) & set(group.audience)]
        wanted += [self.acts_by_id[i] for i in group.requires_acts if self.acts_by_id[i] not in wanted]
        return wanted

    def order_of_version(self, version: ActVersion) -> Order:
        return self.orders_by_id[version.approved_by]

    def groups_of_admin(self, person_id: str) -> list[Group]:
        return [g for g in self.groups if g.admin == person_id]

    @property
    def latest_month(self) -> str | None:
        return max(self.logs_by_month) if self.logs else None

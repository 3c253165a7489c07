"""Who must acknowledge which act version, by when (п. 2.3): the one place this is decided."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model.records import Acknowledgement, Act, ActVersion, Group, OrderStatus


@dataclass(frozen=True)
class Obligation:
    person: str
    act: Act
    version: ActVersion
    groups: tuple[Group, ...]            # the groups that make the person sign this act
    deadline: dt.date
    acknowledgement: Acknowledgement | None   # of this version, if recorded by `on`
    previous: Acknowledgement | None          # of an older version: made stale by this one

    representative: bool = False              # a young student: a parent signs on the child's behalf

    @property
    def done(self) -> bool:
        return self.acknowledgement is not None

    @property
    def late(self) -> bool:
        return self.acknowledgement is not None and self.acknowledgement.date > self.deadline


def current_version(records, act: Act, on: dt.date) -> ActVersion | None:
    """The newest version approved by a signed order dated no later than `on`."""
    current = None
    for version in act.versions:
        order = records.orders_by_id.get(version.approved_by)
        if order is not None and order.status == OrderStatus.SIGNED and order.date <= on:
            current = version
    return current


def base_deadline(records, version: ActVersion) -> dt.date:
    order = records.orders_by_id[version.approved_by]
    if order.deadlines is not None:
        return order.deadlines.acknowledged
    return order.date + dt.timedelta(days=records.institution.acknowledgement_grace_days)


def group_deadline(records, group: Group) -> dt.date | None:
    """When the members of a group must have signed, by the order that created it (п. 2.1, 2.3)."""
    order = records.orders_by_id.get(group.order)
    if order is not None and order.deadlines is not None:
        return order.deadlines.acknowledged
    start = group.created or (order.date if order is not None else None)
    return None if start is None else start + dt.timedelta(days=records.institution.acknowledgement_grace_days)


def person_deadline(records, version: ActVersion, group: Group, person: str) -> dt.date:
    """The later of the version's deadline and the group's own (a group created after the act was approved gives
    its members time from its creation); for someone who joined after that, the join date plus the grace period."""
    deadline = base_deadline(records, version)
    own = group_deadline(records, group)
    if own is not None and own > deadline:
        deadline = own
    joined = group.joined.get(person)
    if joined is not None and joined > deadline:
        return joined + dt.timedelta(days=records.institution.acknowledgement_grace_days)
    return deadline


def needs_representative(records, person: str, when: dt.date) -> bool:
    """A student younger than the institution's own-signature age is acknowledged by a parent."""
    student = records.people[person]
    # Parents and staff have no such field: pydantic's failing attribute lookup is slow (10,000s of them here).
    fields = getattr(type(student), "model_fields", None)
    birth_year = getattr(student, "birth_year", None) if fields is None or "birth_year" in fields else None
    return birth_year is not None and when.year - birth_year < records.institution.own_signature_age


def must_acknowledge(records, group: Group, act: Act, person: str) -> bool:
    return records.audience_of(person) in act.required_for or act.id in group.requires_acts


def obligations(records, on: dt.date, groups=None) -> list[Obligation]:
    """Every (person, act version in force on `on`) pair that п. 2.3 requires, in records order."""
    memo = getattr(records, "memo", None) if groups is None else None
    if memo is not None:     # the monthly report and its rules ask for the same date
        found = memo.get(("obligations", on))
        if found is None:
            found = memo[("obligations", on)] = tuple(_obligations(records, on, records.groups))
        return list(found)
    return _obligations(records, on, records.groups if groups is None else groups)


def _obligations(records, on: dt.date, chosen) -> list[Obligation]:
    found: dict[tuple[str, str], Obligation] = {}
    for group in chosen:
        if group.created is None or group.created > on:
            continue  # nobody is in a group that does not exist yet
        for act in records.required_acts(group):
            version = current_version(records, act, on)
            if version is None:
                continue
            for person in group.members:
                joined = group.joined.get(person)
                if joined is not None and joined > on or not must_acknowledge(records, group, act, person):
                    continue
                deadline = person_deadline(records, version, group, person)
                key = (person, act.id)
                if key in found:
                    known = found[key]
                    found[key] = Obligation(person, act, version, known.groups + (group,), min(known.deadline, deadline),
                                            known.acknowledgement, known.previous, known.representative)
                    continue
                ack = records.acknowledgement(person, act.id, version.version)
                if ack is not None and ack.date > on:
                    ack = None
                previous = None
                for older in reversed(act.versions[: version.version - 1]):
                    previous = records.acknowledgement(person, act.id, older.version)
                    if previous is not None:
                        break
                found[key] = Obligation(person, act, version, (group,), deadline, ack, previous,
                                        needs_representative(records, person, deadline))
    return list(found.values())

"""п. 1 and п. 2.1: groups are created by a signed order, on time, for the participants it names."""
from __future__ import annotations

from ..model.records import OrderStatus
from ..ru import date_numeric
from .common import group_label, person_label
from .findings import Finding, Severity


def check(records, on) -> list[Finding]:
    findings = []
    for group in records.groups:
        order = records.orders_by_id[group.order]
        where = f"orders/{group.order}.yaml"
        if order.status != OrderStatus.SIGNED:
            state = "не подписан" if order.status == OrderStatus.DRAFT else "отменён"
            findings.append(Finding(
                "P2.1-GROUP-NO-ORDER", "2.1", Severity.VIOLATION,
                f"{group_label(group)} создана без подписанного приказа: приказ {group.order} {state}",
                "подпишите приказ (compliance order sign) или укажите группе действующий приказ",
                group=group.id, record=where))
            findings.append(Finding(
                "P1-ADMIN-NOT-APPOINTED", "1", Severity.VIOLATION,
                f"{group_label(group)}: администратор не назначен подписанным приказом директора",
                "назначьте администратора приказом и подпишите его", group=group.id, record=where))
        deadline = order.deadlines.groups_created if order.deadlines else None
        if group.created is None:
            if deadline is not None and deadline < on:
                findings.append(Finding(
                    "P2.1-GROUP-NOT-CREATED", "2.1", Severity.VIOLATION,
                    f"{group_label(group)} не создана, хотя срок по приказу истёк {date_numeric(deadline)}",
                    "создайте группу и укажите дату в поле created", group=group.id, record="groups.yaml", due=deadline))
        elif deadline is not None and group.created > deadline:
            findings.append(Finding(
                "P2.1-GROUP-LATE", "2.1", Severity.WARNING,
                f"{group_label(group)} создана {date_numeric(group.created)}, позже срока по приказу ({date_numeric(deadline)})",
                "соблюдайте сроки приказа; при переносе срока издайте приказ об изменении сроков",
                group=group.id, record="groups.yaml", due=deadline))
        if not group.tasks:
            findings.append(Finding(
                "P1-GROUP-NO-PURPOSE", "1", Severity.VIOLATION,
                f"{group_label(group)}: не указана ни одна из пяти задач п. 1 Порядка",
                "укажите в tasks задачи группы: информационная, мотивационная, учебно-воспитательная, организационная, контрольная",
                group=group.id, record="groups.yaml"))
        for pid in group.members:
            audience = records.audience_of(pid)
            if audience not in group.audience:
                findings.append(Finding(
                    "P2.1-MEMBER-AUDIENCE", "2.1", Severity.VIOLATION,
                    f"{group_label(group)}: участник {person_label(records, pid)} не относится к участникам, "
                    f"названным в приказе ({', '.join(a.value for a in group.audience)})",
                    "исключите участника из группы или измените состав участников приказом",
                    group=group.id, person=pid, record="groups.yaml"))
    for order_id, order in records.orders:
        if order.status == OrderStatus.DRAFT and order.date < on:
            findings.append(Finding(
                "P2.1-ORDER-UNSIGNED", "2.1", Severity.WARNING,
                f"приказ {order.registration_number} «{order.title}» от {date_numeric(order.date)} до сих пор не подписан",
                "подпишите приказ (compliance order sign) или перенесите его дату",
                record=f"orders/{order_id}.yaml", due=order.date))
    return findings

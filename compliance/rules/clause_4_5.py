"""п. 4 and п. 5: every violation gets a measure and is resolved on time; none is concealed."""
from __future__ import annotations

from ..model.records import ReviewStatus
from ..ru import date_numeric
from .common import group_label
from .findings import Finding, Severity


def check(records, on, month: str | None = None) -> list[Finding]:
    findings = []
    for log in records.logs:
        if month is not None and log.month > month:
            continue
        for violation in log.violations:
            group = records.groups_by_id[violation.group]
            where = f"log/{log.month}.yaml"
            what = f"нарушение {violation.id} (п. {violation.clause}) от {date_numeric(violation.date)}, {group_label(group)}"
            if not violation.measure:
                findings.append(Finding(
                    "P4-VIOLATION-NO-MEASURE", "4", Severity.VIOLATION, f"{what}: мера не принята",
                    "примите меру (удаление сообщения, разъяснение, исключение из группы) и запишите её в поле measure",
                    group=group.id, person=violation.person, record=where))
            if not violation.resolved and violation.due is not None and violation.due < on:
                findings.append(Finding(
                    "P4-VIOLATION-OVERDUE", "4", Severity.VIOLATION,
                    f"{what}: не устранено, срок устранения {date_numeric(violation.due)} истёк",
                    "устраните нарушение и отметьте resolved: true, или обоснуйте перенос срока",
                    group=group.id, person=violation.person, record=where, due=violation.due))
            elif not violation.resolved:
                findings.append(Finding(
                    "P4-VIOLATION-OPEN", "4", Severity.NOTICE,
                    f"{what}: не устранено" + (f", срок {date_numeric(violation.due)}" if violation.due else ", срок не назначен"),
                    "доведите меру до конца и отметьте resolved: true" if violation.due else "назначьте срок устранения (due)",
                    group=group.id, person=violation.person, record=where, due=violation.due))
        for item in log.findings:
            group = records.groups_by_id[item.group]
            where = f"log/{log.month}.yaml"
            what = (f"замечание {item.id} по переписке ({item.category.value}, п. {item.clause}) от "
                    f"{date_numeric(item.date)} {item.time}, {group_label(group)}")
            if item.status == ReviewStatus.CONFIRMED and item.violation is None:
                findings.append(Finding(
                    "P4-CONCEALMENT", "4", Severity.VIOLATION,
                    f"{what} подтверждено, но не внесено в раздел нарушений — возможное утаивание нарушения",
                    "внесите нарушение в раздел violations с принятой мерой и укажите его id в поле violation замечания",
                    group=group.id, person=item.sender, record=where))
            elif item.status == ReviewStatus.NEW:
                findings.append(Finding(
                    "P4-FINDING-NOT-REVIEWED", "4", Severity.WARNING,
                    f"{what} не рассмотрено администратором",
                    f"просмотрите замечания группы (compliance findings --group {group.id} --status новое) и "
                    "подтвердите или отклоните каждое: compliance findings confirm|dismiss ID --note …",
                    group=group.id, person=item.sender, record=where))
    return findings

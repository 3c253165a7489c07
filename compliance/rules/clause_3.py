"""п. 3: the administrator registers the group, monitors it and deletes outdated information."""
from __future__ import annotations

import calendar
import datetime as dt

from ..model.records import ActionKind
from ..ru import date_numeric, period_month
from .common import group_label
from .findings import Finding, Severity


def month_end(month: str) -> dt.date:
    year, number = int(month[:4]), int(month[5:])
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def check(records, on, month: str | None = None) -> list[Finding]:
    findings = []
    for group in records.groups:
        if group.created is None or group.created > on:
            continue
        if group.registered is None or group.registered > on:
            findings.append(Finding(
                "P3-GROUP-NOT-REGISTERED", "3", Severity.VIOLATION,
                f"{group_label(group)} не зарегистрирована в установленном порядке",
                "зарегистрируйте группу и укажите дату в поле registered", group=group.id, record="groups.yaml"))
    if month is None:
        return findings
    log = records.logs_by_month.get(month)
    last = month_end(month)
    period = period_month(int(month[:4]), int(month[5:]))
    for group in records.groups:
        if group.created is None or group.created > last:
            continue
        actions = [a for a in (log.actions if log else []) if a.group == group.id]
        if not any(a.kind == ActionKind.MONITORING for a in actions):
            findings.append(Finding(
                "P3-NO-MONITORING", "3", Severity.VIOLATION,
                f"{group_label(group)}: за {period} не записано ни одного мониторинга",
                f"администратору — проводить мониторинг группы и записывать его в log/{month}.yaml (kind: мониторинг)",
                group=group.id, record=f"log/{month}.yaml"))
        deletions = [d for d in (log.deletions if log else []) if d.group == group.id]
        for action in actions:
            if action.kind != ActionKind.PUBLICATION or action.expires is None or action.expires >= min(last, on):
                continue
            if not any(d.date >= action.date and _same(d.what, action.note) for d in deletions):
                findings.append(Finding(
                    "P3-OUTDATED-NOT-DELETED", "3", Severity.VIOLATION,
                    f"{group_label(group)}: публикация «{action.note or 'без описания'}» от {date_numeric(action.date)} "
                    f"потеряла актуальность {date_numeric(action.expires)}, но её удаление не записано",
                    f"удалите публикацию и запишите удаление в log/{month}.yaml (раздел deletions)",
                    group=group.id, record=f"log/{month}.yaml", due=action.expires))
    return findings


def _same(deleted: str, published: str | None) -> bool:
    """A deletion matches the publication it names (its «what» repeats the publication's note)."""
    return published is not None and " ".join(deleted.split()).casefold() == " ".join(published.split()).casefold()

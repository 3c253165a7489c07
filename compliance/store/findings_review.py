"""The administrator's decision on chat-scan findings: confirm or dismiss one finding or many in one
checked, atomic write, optionally registering the violation; an outdated announcement (п. 3) is
settled by its deletion: `review(..., deleted=date)` dismisses it and logs a deletion whose «what»
names the message and the finding.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..model.records import FindingCategory, ReviewStatus
from ..model.registry import Records
from .finding_ids import UNKNOWN, _messages_word, message_count, month_of
from .month_log import _commit, _names, log_path
from .write import records_lock


@dataclass(frozen=True)
class Review:
    finding: dict               # as it was
    path: Path
    changed: bool = True
    violation: dict | None = None
    deletion: dict | None = None
    deletion_path: Path | None = None


DESCRIPTIONS = {
    FindingCategory.PERSONAL_DATA: "В переписке опубликованы персональные данные",
    FindingCategory.PROFANITY: "В переписке использована ненормативная лексика",
    FindingCategory.SPELLING: "Сообщение опубликовано с орфографическими ошибками",
    FindingCategory.STYLE: "Сообщение опубликовано в неделовом стиле",
    FindingCategory.PERSONAL_TOPIC: "Сообщение на личную тему, не относящуюся к работе группы",
    FindingCategory.QUIET_HOURS: "Сообщение опубликовано в тихие часы",
}


def find(records: Records, finding_id: str):
    """(month log, finding) for an id; a mistyped id gets the nearest ones as a suggestion."""
    import difflib

    wanted = finding_id.strip()
    for log_ in records.logs:
        for item in log_.findings:
            if item.id == wanted:
                return log_, item
    known = [item.id for log_ in records.logs for item in log_.findings]
    near = difflib.get_close_matches(wanted, known, n=3, cutoff=0.6)
    hint = (f"похожие: {', '.join(near)}" if near else
            "список замечаний — compliance findings" if known else "замечаний пока нет: сначала compliance import")
    raise UsageError(f"Замечания «{wanted}» нет в журналах (records/log/).\n  Как исправить: укажите id замечания ({hint}).")


def review(records: Records, finding_id: str, *, confirm: bool, note: str | None, today: dt.date,
           violation: str | None = None, measure: str | None = None, deleted: dt.date | None = None) -> Review:
    """Confirm or dismiss a finding; `violation` "new" also registers the violation, an id links one;
    `deleted` (outdated announcements) dismisses it and logs the deletion. One checked, atomic write."""
    return review_many(records, [finding_id], confirm=confirm, note=note, today=today, violation=violation,
                       measure=measure, deleted=deleted)[0]


def review_many(records: Records, finding_ids: Iterable[str], *, confirm: bool, note: str | None, today: dt.date,
                violation: str | None = None, measure: str | None = None,
                deleted: dt.date | None = None) -> list[Review]:
    """The same decision on several findings (a sender's nights, a group's announcements) in one checked,
    atomic write: all of them or, if one is refused, none."""
    root = records.root
    note = note.strip() if note and note.strip() else None
    with records_lock(root):
        where = {item.id: (log_, index) for log_ in records.logs for index, item in enumerate(log_.findings)}
        numbers: dict[str, Iterator[str]] = {}
        sets: dict[Path, list[tuple]] = {}
        appends: dict[Path, dict[str, list]] = {}
        reviews, senders = [], []
        for finding_id in finding_ids:
            if finding_id.strip() not in where:
                find(records, finding_id)                   # the «нет в журналах» message with suggestions
            month_log, index = where[finding_id.strip()]
            finding = month_log.findings[index]
            _refuse(records, finding, confirm, note, violation, measure, deleted, today)
            fields: dict[str, Any] = {"status": (ReviewStatus.CONFIRMED if confirm else ReviewStatus.DISMISSED).value}
            path = log_path(root, month_log.month)
            new_violation = new_deletion = None
            said = note
            if deleted is not None:
                new_deletion = {"date": deleted, "group": finding.group, "by": records.groups_by_id[finding.group].admin,
                                "what": f"Устаревшее объявление от {finding.date:%d.%m.%Y} {finding.time} "
                                        f"(сообщение {finding.message}, замечание {finding.id})",
                                "reason": "потеряла актуальность"}
                said = f"объявление удалено {deleted:%d.%m.%Y}" + (f"; {note}" if note else "")
            if said:
                fields["note"] = said
            if violation == "new":
                if month_log.month not in numbers:
                    numbers[month_log.month] = _violation_ids(records, month_log.month)
                count = message_count(finding)
                when = (f"{count} {_messages_word(count)} за ночь, первое — {finding.date:%d.%m.%Y} {finding.time}"
                        if count > 1 else f"сообщение от {finding.date:%d.%m.%Y} {finding.time}")
                new_violation = {"id": next(numbers[month_log.month]), "date": finding.date,
                                 "group": finding.group, "clause": finding.clause,
                                 "description": f"{DESCRIPTIONS[finding.category]} ({when})"}
                if finding.sender:
                    new_violation["person"] = finding.sender
                if measure:
                    new_violation.update(measure=measure, measure_date=today)
                new_violation["resolved"] = False
                fields["violation"] = new_violation["id"]
            elif violation is not None:
                fields["violation"] = violation.strip()
            before = finding.model_dump(mode="json")
            if new_deletion is None and new_violation is None and all(before.get(k) == v for k, v in fields.items()):
                reviews.append(Review(before, path, False))
                continue
            sets.setdefault(path, []).append(("set", "findings", index, fields))
            if new_violation is not None:
                appends.setdefault(path, {}).setdefault("violations", []).append(new_violation)
            deletion_path = None
            if new_deletion is not None:
                deletion_path = log_path(root, month_of(deleted))
                appends.setdefault(deletion_path, {}).setdefault("deletions", []).append(new_deletion)
            senders.append(finding.sender)
            reviews.append(Review(before, path, True, new_violation, new_deletion, deletion_path))
        changes: dict[Path, list] = {}
        for path in [*sets, *(p for p in appends if p not in sets)]:
            changes[path] = sets.get(path, []) + [("append", key, items) for key, items in appends.get(path, {}).items()]
        if changes:
            _commit(root, changes, _names(records, senders))
    return reviews


def _violation_ids(records: Records, month: str) -> Iterator[str]:
    """v-ГГГГ-ММ-NN after the month's last, one after another, in the width the records already use."""
    first = next_violation_id(records, month)
    width = len(first.rsplit("-", 1)[1])
    taken = {v.id for log_ in records.logs for v in log_.violations}
    number = int(first.rsplit("-", 1)[1])
    while True:
        candidate = f"v-{month}-{number:0{width}d}"
        if candidate not in taken:
            yield candidate
        number += 1


def select(records: Records, month: str, *, group: str | None = None, category: FindingCategory | None = None,
           sender: str | None = None, status: ReviewStatus = ReviewStatus.NEW) -> list[str]:
    """Ids of the month's findings with this status (and group, category, sender: a person id or «неизвестный»)."""
    log_ = records.logs_by_month.get(month)
    return [f.id for f in (log_.findings if log_ else [])
            if f.status == status and (group is None or f.group == group)
            and (category is None or f.category == category)
            and (sender is None or (f.sender or UNKNOWN) == sender)]


def _refuse(records: Records, finding, confirm: bool, note: str | None, violation: str | None,
            measure: str | None, deleted: dt.date | None, today: dt.date) -> None:
    outdated = finding.category == FindingCategory.OUTDATED
    how = "Как исправить:"
    if confirm and outdated:
        raise UsageError(f"Замечание {finding.id} — устаревшее объявление (п. 3): такое объявление не вносят в журнал "
                         f"нарушений, а удаляют.\n  {how} удалите объявление в чате и запишите удаление: "
                         f"compliance findings dismiss {finding.id} --deleted ГГГГ-ММ-ДД; если объявление ещё "
                         f"актуально — compliance findings dismiss {finding.id} --note \"…\".")
    if not confirm and finding.violation:
        raise UsageError(f"Замечание {finding.id} уже внесено в журнал нарушений ({finding.violation}); отклонить его нельзя.\n"
                         f"  {how} если нарушения не было, удалите запись {finding.violation} из раздела violations "
                         f"и её id из поля violation замечания, затем повторите команду.")
    decided = finding.status != ReviewStatus.NEW and finding.status != (
        ReviewStatus.CONFIRMED if confirm else ReviewStatus.DISMISSED)
    if decided and not (note and note.strip()) and deleted is None:
        raise UsageError(f"Замечание {finding.id} уже {finding.status.value}; решение меняется без пояснения.\n"
                         f"  {how} добавьте --note \"…\": почему решение изменено.")
    if not confirm and not (note and note.strip()) and deleted is None:
        raise UsageError(f"Не указано, почему замечание {finding.id} отклоняется.\n"
                         f"  {how} добавьте --note \"…\", например --note \"номер телефона школы, не личные данные\".")
    if deleted is not None and not outdated:
        raise UsageError(f"--deleted — только для устаревших объявлений, а замечание {finding.id} — "
                         f"«{finding.category.value}».\n  {how} если сообщение удалено как мера по нарушению, "
                         f"подтвердите замечание: compliance findings confirm {finding.id} --violation "
                         f"--measure \"сообщение удалено\".")
    if deleted is not None and not finding.date <= deleted <= today:
        raise UsageError(f"Дата удаления {deleted:%d.%m.%Y} раньше сообщения ({finding.date:%d.%m.%Y}) или позже "
                         f"сегодняшней ({today:%d.%m.%Y}).\n  {how} укажите в --deleted день, когда объявление удалено.")
    if measure and violation != "new":
        raise UsageError("--measure записывается в новое нарушение, а --violation не указан.\n"
                         f"  {how} добавьте --violation или запишите меру в разделе violations.")
    if violation is None:
        return
    if finding.violation:
        raise UsageError(f"Замечание {finding.id} уже внесено в журнал нарушений ({finding.violation}).\n"
                         f"  {how} уберите --violation: повторно вносить не нужно.")
    if violation == "new":
        return
    registered = {v.id: v for log_ in records.logs for v in log_.violations}.get(violation.strip())
    if registered is None:
        raise UsageError(f"Нарушения «{violation}» нет в разделах violations журналов.\n"
                         f"  {how} укажите id записанного нарушения или --violation без id, чтобы внести новое.")
    if registered.group != finding.group:
        raise UsageError(f"Нарушение {registered.id} записано по группе {registered.group}, а замечание {finding.id} — "
                         f"по группе {finding.group}.\n  {how} укажите нарушение этой группы или --violation без id, "
                         f"чтобы внести новое.")


def next_violation_id(records: Records, month: str) -> str:
    """v-ГГГГ-ММ-NN after the month's last, in the width the records already use."""
    numbers = [m for log_ in records.logs for v in log_.violations
               for m in [re.fullmatch(rf"v-{month}-(\d+)", v.id)] if m]
    width = max((len(m[1]) for m in numbers), default=2)
    taken = {v.id for log_ in records.logs for v in log_.violations}
    number = max((int(m[1]) for m in numbers), default=0) + 1
    while f"v-{month}-{number:0{width}d}" in taken:
        number += 1
    return f"v-{month}-{number:0{width}d}"

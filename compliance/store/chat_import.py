"""A chat export's month in the month log: counts and content findings, never the messages.

`MonthSlice` takes the export's messages (any objects with `.id`, `.time`, `.sender`,
`.sender_phone`, `.text`, `.kind`) and tallies the chosen month's in a `MonthTally`: counts per
sender and one finding per message and scan category; `plan_import` makes that a `ChatImport`
with its `ContentFinding`s; `write_import` merges it into log/ГГГГ-ММ.yaml. `review` records the
administrator's decision on one finding. Sender matching and scanning are handed in by the
caller: the store does not import the readers or the scanners (data flows one way).

Idempotence: the log keeps the export's SHA-256 per group. The same file again adds nothing.
A later export of the same chat replaces that group's counts for the month (a chat export holds
the whole history, so the later one counts everything the earlier one did) and adds findings only
for messages whose finding id is new: the id is built from the message id (Telegram's own id;
for WhatsApp, whose exports number nothing, the day, time and a short hash of sender and text),
so decisions already taken stay as they are.

An outdated announcement (п. 3) is settled by its deletion, not by the violations register:
`review(..., deleted=date)` dismisses it and logs a deletion whose «what» names the message and
the finding; a deletion logged by hand that names «сообщение N» or the finding id dismisses it at
the next import of the month.

Writes put new lines into the file's text (a round trip through ruamel takes seconds on the
month log of a large institution); the result is parsed back and compared with the intended data,
and any layout the text edit cannot handle goes through write.edit_text instead. Then the records
are checked as they would be and written atomically (write.py).
"""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InternalError, RecordsError, UsageError, display_path
from ..model.records import FindingCategory, ReviewStatus
from ..model.registry import Records
from .write import _write_all, edit_text, records_lock, validate
from .yamlfile import _compose, read_located

log = logging.getLogger("compliance")

CODES = {  # finding id suffixes: short, stable, latin
    FindingCategory.PERSONAL_DATA: "pd", FindingCategory.PROFANITY: "obscene", FindingCategory.SPELLING: "spelling",
    FindingCategory.STYLE: "style", FindingCategory.PERSONAL_TOPIC: "topic", FindingCategory.QUIET_HOURS: "quiet",
    FindingCategory.OUTDATED: "outdated",
}
NOT_WRITTEN = frozenset({"service", "system"})   # the messenger's own lines: counted as read, not as messages
UNKNOWN = "неизвестный"
ID_LIMIT = 63                                     # model.records.PERSON_ID
HEADINGS = {
    "imports": ["# Импорт выгрузок переписки: только счётчики, тексты сообщений не сохраняются."],
    "findings": ["# Замечания проверки переписки; status: новое, подтверждено или отклонено.",
                 "# Рассмотреть: compliance findings confirm|dismiss ID --note \"…\"."],
    "violations": ["# Нарушения и принятые меры (п. 4, 5.1, 5.2 Порядка)."],
    "deletions": ["# Удаление информации, потерявшей актуальность (п. 3 Порядка)."],
}


def month_of(moment: dt.datetime | dt.date) -> str:
    return f"{moment:%Y-%m}"


# ---------------------------------------------------------------- the month of an export

class MonthTally:
    """Counts and findings of one month, built message by message (the text is dropped at once)."""

    def __init__(self, group: str, source: str, month: str, person_of: Callable[[Any], str | None],
                 hits_of: Callable[[Any], list]):
        self.group, self.source, self.month = group, source, month
        self.person_of, self.hits_of = person_of, hits_of
        self.senders: Counter[str] = Counter()
        self.people: dict[str, str | None] = {}
        self.unknown: dict[tuple, str] = {}
        self.findings: list[dict] = []
        self.first: dt.date | None = None
        self.last: dt.date | None = None
        self.messages = self.service = 0

    def add(self, message: Any) -> None:
        if message.kind in NOT_WRITTEN:
            self.service += 1
            return
        day = message.time.date()
        self.first = day if self.first is None else min(self.first, day)
        self.last = day if self.last is None else max(self.last, day)
        self.messages += 1
        person = self.person_of(message)
        if person is None:
            key = (message.sender, getattr(message, "sender_phone", None))
            label = self.unknown.setdefault(key, f"{UNKNOWN} {len(self.unknown) + 1}")
        else:
            label = person
        self.senders[label] += 1
        self.people[label] = person
        seen: set[FindingCategory] = set()
        for hit in self.hits_of(message):
            category = FindingCategory(hit.category)
            if category in seen:            # one finding per message and category: the first place
                continue
            seen.add(category)
            key = message_key(message, self.source)
            item = {"id": finding_id(self.group, self.month, key, category), "group": self.group, "message": key,
                    "date": day, "time": f"{message.time:%H:%M}"}
            if person is not None:
                item["sender"] = person
            item.update(category=category.value, clause=hit.clause, excerpt=hit.excerpt,
                        status=ReviewStatus.NEW.value)
            self.findings.append(item)


class MonthSlice:
    """One month of a message stream, tallied as it goes, and how many messages fell outside it.

    With no month given, the month of the latest message is taken. Messages come in time order, so
    the candidate month's messages are held back (up to DEFER of them) and tallied only once the
    month is big enough to be worth it or the stream ends: an export of a year is not scanned twelve
    times over, and memory stays bounded by DEFER messages plus the tally."""

    DEFER = 10_000

    def __init__(self, tally: Callable[[str], MonthTally] | None = None, month: str | None = None):
        self.make = tally
        self.month, self.fixed = month, month is not None
        self.per_month: Counter[str] = Counter()
        self.held: list = []
        self.tally: MonthTally | None = None

    @classmethod
    def of(cls, messages: Iterable[Any], month: str | None = None,
           tally: Callable[[str], MonthTally] | None = None) -> "MonthSlice":
        part = cls(tally, month)
        for message in messages:
            part.add(message)
        return part.finish()

    def add(self, message: Any) -> None:
        month = month_of(message.time)
        self.per_month[month] += 1
        if not self.fixed and (self.month is None or month > self.month):
            self.month, self.held, self.tally = month, [], None
        if month != self.month:
            return
        if self.tally is not None:
            self.tally.add(message)
            return
        self.held.append(message)
        if self.make is not None and (self.fixed or len(self.held) >= self.DEFER):
            self._start()

    def finish(self) -> "MonthSlice":
        if self.make is not None and self.month is not None and self.tally is None:
            self._start()
        return self

    def _start(self) -> None:
        self.tally = self.make(self.month)
        for held in self.held:
            self.tally.add(held)
        self.held = []

    @property
    def messages(self) -> list:
        """The month's messages while they are held (a slice without a tally keeps them all)."""
        return self.held

    @property
    def read(self) -> int:
        return sum(self.per_month.values())

    @property
    def before(self) -> int:
        return sum(n for m, n in self.per_month.items() if self.month is not None and m < self.month)

    @property
    def after(self) -> int:
        return sum(n for m, n in self.per_month.items() if self.month is not None and m > self.month)


# ---------------------------------------------------------------- what one import adds

@dataclass(frozen=True)
class SenderCount:
    label: str                 # person id or «неизвестный N»
    person: str | None
    messages: int


@dataclass(frozen=True)
class Plan:
    """The counts and findings of one export's month for one group, ready to merge."""

    group: str
    source: str
    month: str
    file: str
    chat_import: dict          # a ChatImport as plain data
    findings: tuple[dict, ...]  # ContentFindings as plain data, in message order
    senders: tuple[SenderCount, ...]
    read: int
    before: int
    after: int
    service: int               # the month's service lines (joins, pins): read, not counted
    names: dict = field(default_factory=dict)   # person id → «Фамилия И.О.» for comments in the log


def file_digest(path: Path) -> str:
    """SHA-256 of the export file: what makes a re-import recognisable."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def message_key(message: Any, source: str) -> str:
    """A message id that survives a re-export: Telegram's own id; for WhatsApp (numbered by line, which
    shifts when the export starts later) the day and time with a short hash of sender and text."""
    if source != "whatsapp":
        return str(message.id)
    digest = hashlib.sha1(f"{message.time:%Y-%m-%dT%H:%M}\x00{message.sender}\x00{message.text}".encode(
        "utf-8", "surrogatepass")).hexdigest()
    return f"{message.time:%d%H%M}-{digest[:4]}"


def finding_id(group: str, month: str, message: str, category: FindingCategory) -> str:
    """f-<group>-<ГГГГММ>-<message>-<code>; a long group id is shortened to keep within 63 characters."""
    tail = f"-{month.replace('-', '')}-{re.sub(r'[^a-z0-9-]', '-', message.lower())}-{CODES[category]}"
    room = ID_LIMIT - len("f-") - len(tail)
    return f"f-{group[:max(1, room)].rstrip('-')}{tail}"


def plan_import(records: Records, file: str, part: MonthSlice) -> Plan:
    """The month's counts per sender and its findings, from a finished slice."""
    tally = part.tally
    if tally is None:
        raise InternalError("plan_import needs a tallied slice")
    if not tally.messages:
        raise UsageError(_no_messages(part))
    senders, people = tally.senders, tally.people
    order = sorted(senders, key=lambda label: (-senders[label], people[label] is None, label))
    chat_import = {"group": tally.group, "source": tally.source, "file": file, "first": tally.first,
                   "last": tally.last, "messages": tally.messages,
                   "senders": {label: senders[label] for label in order}, "unknown_senders": len(tally.unknown)}
    return Plan(tally.group, tally.source, tally.month, file, chat_import, tuple(tally.findings),
                tuple(SenderCount(label, people[label], senders[label]) for label in order),
                part.read, part.before, part.after, tally.service, _names(records, people.values()))


def _names(records: Records, ids: Iterable[str | None]) -> dict[str, str]:
    from .acknowledgements import short_name

    return {pid: short_name(records, pid) for pid in ids if pid is not None and pid in records.people}


def _no_messages(part: MonthSlice) -> str:
    from ..ru import period_month

    year, number = int(part.month[:4]), int(part.month[5:])
    period = period_month(year, number).replace("\u00a0", " ")
    found = ", ".join(f"{m[5:]}.{m[:4]} — {n}" for m, n in sorted(part.per_month.items())) or "сообщений нет"
    return (f"В выгрузке нет сообщений участников за {period} (по месяцам: {found}).\n"
            f"  Как исправить: укажите в --month месяц, за который есть сообщения, или выгрузите чат заново.")


def imported_month(records: Records, group: str, file: str, month: str) -> str | None:
    """`month` if this export is already recorded in its log for the group, else None."""
    log_ = records.logs_by_month.get(month)
    return month if log_ is not None and any(i.group == group and i.file == file for i in log_.imports) else None


# ---------------------------------------------------------------- merging into the month log

@dataclass(frozen=True)
class Outcome:
    path: Path
    created: bool                      # the month log was new
    already: bool                      # this export was imported before: nothing written
    added: tuple[dict, ...] = ()       # findings new to the log
    known: int = 0                     # findings of this export already in the log (decisions kept)
    replaced: dict | None = None       # the earlier import of this chat, whose counts were replaced
    settled: tuple[str, ...] = ()      # outdated announcements whose deletion the log already records


def log_path(root: Path, month: str) -> Path:
    return Path(root) / "log" / f"{month}.yaml"


def write_import(root: Path, plan: Plan) -> Outcome:
    """Merge the plan into log/<month>.yaml under the records lock, in one checked, atomic write."""
    path = log_path(root, plan.month)
    with records_lock(root):
        data, located = _current(path, plan.month)
        imports = data.get("imports") or []
        if any(i.get("group") == plan.group and i.get("file") == plan.file for i in imports):
            return Outcome(path, False, True)
        ops: list[tuple] = []
        earlier = next((i for i, item in enumerate(imports)
                        if item.get("group") == plan.group and item.get("source") == plan.source), None)
        if earlier is None:
            ops.append(("append", "imports", [plan.chat_import]))
        else:
            ops.append(("replace", "imports", earlier, plan.chat_import))
        findings = data.get("findings") or []
        known = {item.get("id") for item in findings}
        added = [dict(item) for item in plan.findings if item["id"] not in known]
        deletions = data.get("deletions") or []
        settled = []
        for item in added:
            when = _deleted(item, deletions)
            if when is not None:
                item.update(status=ReviewStatus.DISMISSED.value, note=_settled_note(when))
                settled.append(item["id"])
        for index, item in enumerate(findings):   # decided by a deletion logged since the last import
            when = _deleted(item, deletions) if item.get("status") == ReviewStatus.NEW.value else None
            if when is not None:
                ops.append(("set", "findings", index, {"status": ReviewStatus.DISMISSED.value,
                                                       "note": _settled_note(when)}))
                settled.append(item["id"])
        if added:
            ops.append(("append", "findings", added))
        log.info("Запись журнала %s", display_path(path))
        created = _commit(root, {path: ops}, plan.names, {path: located})
    return Outcome(path, created[path], False, tuple(added), len(plan.findings) - len(added),
                   imports[earlier] if earlier is not None else None, tuple(settled))


def _deleted(item: dict, deletions: list) -> dt.date | None:
    """The date of a logged deletion naming this outdated announcement (its finding id or «сообщение N»)."""
    if item.get("category") != FindingCategory.OUTDATED.value:
        return None
    wanted = re.compile(rf"(?<![\w-]){re.escape(str(item.get('id')))}(?![\w-])|сообщени\w*\s*(?:№\s*)?"
                        rf"{re.escape(str(item.get('message')))}(?![\w-])", re.IGNORECASE)
    for deletion in deletions:
        if (isinstance(deletion, dict) and deletion.get("group") == item.get("group")
                and wanted.search(str(deletion.get("what", "")))):
            return deletion.get("date")
    return None


def _settled_note(when: Any) -> str:
    day = f"{when:%d.%m.%Y}" if isinstance(when, dt.date) else str(when)
    return f"объявление удалено {day} (запись в разделе deletions)"


def _current(path: Path, month: str) -> tuple[dict, Any]:
    """The log's data as the file has it now, and its positions (None for a log not yet written)."""
    if not path.exists():
        return {"month": month}, None
    located, problems = read_located(path)
    if located is None or problems:
        raise RecordsError(problems)
    return (located.data if isinstance(located.data, dict) else {}), located


# ---------------------------------------------------------------- review

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
    root = records.root
    note = note.strip() if note and note.strip() else None
    with records_lock(root):
        month_log, finding = find(records, finding_id)
        index = month_log.findings.index(finding)      # the model keeps the file's order
        _refuse(records, finding, confirm, note, violation, measure, deleted, today)
        fields: dict[str, Any] = {"status": (ReviewStatus.CONFIRMED if confirm else ReviewStatus.DISMISSED).value}
        changes: dict[Path, list] = {}
        path = log_path(root, month_log.month)
        new_violation = new_deletion = None
        if deleted is not None:
            new_deletion = {"date": deleted, "group": finding.group, "by": records.groups_by_id[finding.group].admin,
                            "what": f"Устаревшее объявление от {finding.date:%d.%m.%Y} {finding.time} "
                                    f"(сообщение {finding.message}, замечание {finding.id})",
                            "reason": "потеряла актуальность"}
            changes.setdefault(log_path(root, month_of(deleted)), []).append(("append", "deletions", [new_deletion]))
            note = f"объявление удалено {deleted:%d.%m.%Y}" + (f"; {note}" if note else "")
        if note:
            fields["note"] = note
        if violation == "new":
            new_violation = {"id": next_violation_id(records, month_log.month), "date": finding.date,
                             "group": finding.group, "clause": finding.clause,
                             "description": f"{DESCRIPTIONS[finding.category]} (сообщение от {finding.date:%d.%m.%Y} {finding.time})"}
            if finding.sender:
                new_violation["person"] = finding.sender
            if measure:
                new_violation.update(measure=measure, measure_date=today)
            new_violation["resolved"] = False
            changes.setdefault(path, []).append(("append", "violations", [new_violation]))
            fields["violation"] = new_violation["id"]
        elif violation is not None:
            fields["violation"] = violation.strip()
        before = finding.model_dump(mode="json")
        if len(changes) == 0 and all(before.get(name) == value for name, value in fields.items()):
            return Review(before, path, False)
        changes.setdefault(path, []).insert(0, ("set", "findings", index, fields))
        _commit(root, changes, _names(records, [finding.sender]))
    deletion_path = log_path(root, month_of(deleted)) if deleted is not None else None
    return Review(before, path, True, new_violation, new_deletion, deletion_path)


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


# ---------------------------------------------------------------- the write

def _commit(root: Path, changes: dict[Path, list], names: dict[str, str],
            known: dict[Path, Any] | None = None) -> dict[Path, bool]:
    """Apply each file's operations to its text, check the records as they would be, write all or none.
    `known`: files already parsed under this lock (parsing a large log takes a second)."""
    rendered, originals, created = {}, {}, {}
    for path, ops in changes.items():
        original = path.read_bytes() if path.exists() else None
        text = original.decode("utf-8-sig") if original is not None else _new_log(month_of_path(path))
        rendered[path] = apply(path, text, ops, names, (known or {}).get(path)).encode("utf-8")
        if original is not None and original.startswith(b"\xef\xbb\xbf"):
            rendered[path] = b"\xef\xbb\xbf" + rendered[path]
        originals[path], created[path] = original, original is None
    log.info("Проверка записей перед записью")
    validate(root, rendered)
    _write_all(rendered, originals)
    return created


def month_of_path(path: Path) -> str:
    return path.stem


def _new_log(month: str) -> str:
    from ..ru import period_month

    period = period_month(int(month[:4]), int(month[5:])).replace("\u00a0", " ")
    return (f"# Журнал администраторов групп за {period}\n"
            f"# Персональные данные в описания не вносятся.\n\nmonth: \"{month}\"\n")


def apply(path: Path, text: str, ops: list[tuple], names: dict[str, str] | None = None, located: Any = None) -> str:
    """`text` with the operations done: by inserting lines when the layout allows, else by ruamel."""
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    if located is None:
        located, problems = _compose(path, text)
        if located is None or problems:
            raise RecordsError(problems)
    expected = _apply_plain(located.data if isinstance(located.data, dict) else {}, ops)
    edited = _edit_lines(text, located, ops, names or {})
    if edited is None or not _says(path, edited, expected):
        edited = edit_text(text, lambda data: _apply_ruamel(data, ops))
        if not _says(path, edited, expected):
            raise InternalError(f"{path}: the edit does not give the intended data")
    return edited.replace("\n", newline)


def _says(path: Path, text: str, expected: dict) -> bool:
    located, problems = _compose(path, text)
    return located is not None and not problems and located.data == expected


def _apply_plain(data: dict, ops: list[tuple]) -> dict:
    data = copy.deepcopy(data)
    for op in ops:
        kind, key = op[0], op[1]
        section = list(data.get(key) or [])
        if kind == "append":
            section += copy.deepcopy(op[2])
        elif kind == "replace":
            section[op[2]] = copy.deepcopy(op[3])
        else:
            section[op[2]] = {**section[op[2]], **op[3]}
        data[key] = section
    return data


def _apply_ruamel(data: Any, ops: list[tuple]) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def commented(value):
        if isinstance(value, dict):
            return CommentedMap((k, commented(v)) for k, v in value.items())
        return value

    for op in ops:
        kind, key = op[0], op[1]
        if not isinstance(data.get(key), list):
            data[key] = CommentedSeq()
        if kind == "append":
            data[key].extend(commented(item) for item in op[2])
        elif kind == "replace":
            data[key][op[2]] = commented(op[3])
        else:
            for name, value in op[3].items():
                data[key][op[2]][name] = value


# ---------------------------------------------------------------- YAML text

_PLAIN = re.compile(r"[A-Za-zА-Яа-яЁё][\w.()«»—–/-]*(?: [\w.()«»—–/-]+)*")
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
# Written as escapes: controls, line separators, direction marks and overrides (a chat is full of them;
# the records reader refuses them raw), the BOM and noncharacters.
_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def scalar(value: Any) -> str:
    """A value as YAML: plain when it cannot be misread, else double-quoted with escapes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, dt.date)):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text.casefold() not in _RESERVED:
        return text
    body = _SURROGATE.sub("\ufffd", text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", body) + '"'


def item_lines(item: dict, indent: str, names: dict[str, str] | None = None) -> list[str]:
    """One list item in block style: «- key: value» lines, nested mappings one key a line;
    a person id gets its «# Фамилия И.О.» comment, as in the sample records."""
    names = names or {}

    def named(key: Any, value: Any) -> str:
        person = value if key in ("sender", "person") else key
        return f"  # {names[person]}" if isinstance(person, str) and person in names else ""

    lines = []
    for number, (key, value) in enumerate(item.items()):
        prefix = indent + ("- " if number == 0 else "  ")
        if isinstance(value, dict):
            lines.append(f"{prefix}{key}:" + ("" if value else " {}"))
            lines += [f"{indent}    {scalar(k)}: {scalar(v)}{named(k, v)}" for k, v in value.items()]
        else:
            lines.append(f"{prefix}{key}: {scalar(value)}{named(key, value)}")
    return lines


def _edit_lines(text: str, located: Any, ops: list[tuple], names: dict[str, str]) -> str | None:
    """The operations as line insertions and replacements; None when the layout is not the block one."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    data = located.data if isinstance(located.data, dict) else {}
    replace: dict[int, str] = {}
    delete: set[int] = set()
    insert: dict[int, list[str]] = {}
    tops = sorted(line for loc, (line, _) in located.keys.items() if len(loc) == 1)
    # sets and replacements first, so that lines added after an item precede items appended after it
    for op in sorted(ops, key=lambda op: op[0] == "append"):
        kind, key = op[0], op[1]
        if key not in data:
            if kind != "append":
                return None
            block = insert.setdefault(len(lines), [])
            if lines and lines[-1].strip():
                block.append("")
            block += HEADINGS.get(key, []) + [f"{key}:"]
            for item in op[2]:
                block += item_lines(item, "  ", names)
            continue
        section = data[key]
        key_line = located.keys[(key,)][0] - 1
        following = [t - 1 for t in tops if t - 1 > key_line]
        end = (following[0] if following else len(lines)) - 1
        if not section:                       # «key:», «key: []» or «key: null»
            if kind != "append":
                return None
            replace[key_line] = re.sub(rf"^({re.escape(key)}:)\s*(\[\s*\]|null|~)?", r"\1", lines[key_line])
            insert.setdefault(key_line + 1, []).extend(line for item in op[2] for line in item_lines(item, "  ", names))
            continue
        if not isinstance(section, list):
            return None
        spans = _item_spans(lines, located, key, len(section), end)
        if spans is None:
            return None
        indent = " " * (spans[0][2] - 1)
        if kind == "append":
            insert.setdefault(spans[-1][1] + 1, []).extend(
                line for item in op[2] for line in item_lines(item, indent, names))
        elif kind == "replace":
            start, stop, _ = spans[op[2]]
            delete.update(range(start, stop + 1))
            insert.setdefault(start, []).extend(item_lines(op[3], indent, names))
        else:
            if not _set_fields(lines, located, key, op[2], op[3], spans[op[2]], replace, insert):
                return None
    out: list[str] = []
    for number in range(len(lines) + 1):
        out += insert.get(number, [])
        if number < len(lines) and number not in delete:
            out.append(replace.get(number, lines[number]))
    return "\n".join(out) + "\n"


def _item_spans(lines: list[str], located: Any, key: str, count: int, end: int) -> list[tuple[int, int, int]] | None:
    """(first line, last content line, column of «-») per item of a block list; None for other layouts."""
    starts = []
    for index in range(count):
        line, column = located.values[(key, index)]
        head = lines[line - 1][:column - 1]
        if head.strip() != "-":
            return None
        starts.append((line - 1, head.index("-") + 1))
    spans = []
    for index, (start, dash) in enumerate(starts):
        stop = starts[index + 1][0] - 1 if index + 1 < count else end
        while stop > start and (not lines[stop].strip() or lines[stop].lstrip().startswith("#")):
            stop -= 1
        spans.append((start, stop, dash))
    return spans


def _set_fields(lines, located, key, index, fields, span, replace, insert) -> bool:
    start, stop, dash = span
    line, column = located.values[(key, index)]
    if lines[line - 1][column - 1] in "{[":
        return False                          # a flow mapping: ruamel's job
    indent = " " * (column - 1)
    for name, value in fields.items():
        at = located.keys.get((key, index, name))
        if at is None:
            insert.setdefault(stop + 1, []).append(f"{indent}{name}: {scalar(value)}")
            continue
        number, col = at[0] - 1, at[1]
        nested = located.values.get((key, index, name), at)
        if nested[0] - 1 != number or isinstance(located.data[key][index][name], (dict, list)):
            return False
        for later in range(number + 1, stop + 1):  # a value running on to the next line: ruamel's job
            text = lines[later]
            if text.strip() and not text.lstrip().startswith("#") and len(text) - len(text.lstrip()) >= col:
                return False
        comment = re.search(r"\s+#[^\"']*$", lines[number])
        replace[number] = (lines[number][:col - 1] + f"{name}: {scalar(value)}"
                           + (comment.group() if comment else ""))
    return True

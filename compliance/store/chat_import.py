"""A chat export's month in the month log: counts and content findings, never the messages.

`MonthSlice` takes the export's messages (any objects with `.id`, `.time`, `.sender`,
`.sender_phone`, `.text`, `.kind`) and tallies the chosen month's in a `MonthTally`: counts per
sender and one finding per message and scan category (quiet hours: one per sender and night);
`plan_import` makes that a `ChatImport` with its `ContentFinding`s; `write_imports` merges the
plans of one or several exports into log/ГГГГ-ММ.yaml in one write. `review_many` records the
administrator's decision on one finding or many. Sender matching and scanning are handed in by the
caller: the store does not import the readers or the scanners (data flows one way).

Idempotence: the log keeps the export's SHA-256 per group. The same file again adds nothing.
A later export of the same chat replaces that group's counts for the month (a chat export holds
the whole history, so the later one counts everything the earlier one did) and adds findings only
for messages whose finding id is new: the id is built from the message id (Telegram's own id;
for WhatsApp, whose exports number nothing, the day, time and a short hash of sender and text,
and the occurrence for a double send), so decisions already taken stay as they are; an undecided
finding of a night that has more messages in the later export gets them.

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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
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
EXCERPT_WIDTH = 120                               # scan.mask.WIDTH: an excerpt's longest
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
    """Counts and findings of one month, built message by message (the text is dropped at once).

    One finding per message and category, except quiet hours: a sender's messages of one night are
    one finding (`night_of` says which night a moment belongs to; by default a night runs from noon
    to noon), whose `message` lists every message id and whose excerpt counts them. An outdated
    announcement's hit may carry `lapse` (when it lost relevance): `plan_import` keeps it only if
    that came before the export was made."""

    def __init__(self, group: str, source: str, month: str, person_of: Callable[[Any], str | None],
                 hits_of: Callable[[Any], list], night_of: Callable[[dt.datetime], dt.date] | None = None):
        self.group, self.source, self.month = group, source, month
        self.person_of, self.hits_of = person_of, hits_of
        self.night_of = night_of or _noon_to_noon
        self.senders: Counter[str] = Counter()
        self.people: dict[str, str | None] = {}
        self.unknown: dict[tuple, str] = {}
        self.findings: list[dict] = []
        self.first: dt.date | None = None
        self.last: dt.date | None = None
        self.messages = self.service = 0
        self.nights: dict[tuple, _Night] = {}           # (night, sender, phone) → its quiet-hours finding
        self.lapses: dict[str, dt.datetime] = {}        # outdated finding id → when the announcement lost relevance
        self._repeats: Counter[tuple] = Counter()       # WhatsApp: (minute, sender, text hash) → times seen

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
        occurrence = 1
        if self.source == "whatsapp":       # a double send: the same text twice in a minute
            seen = (f"{message.time:%Y-%m-%dT%H:%M}", message.sender, hash(message.text))
            self._repeats[seen] += 1
            occurrence = self._repeats[seen]
        seen_categories: set[FindingCategory] = set()
        key = None
        for hit in self.hits_of(message):
            category = FindingCategory(hit.category)
            if category in seen_categories:     # one finding per message and category: the first place
                continue
            seen_categories.add(category)
            key = key or message_key(message, self.source, occurrence)
            if category == FindingCategory.QUIET_HOURS:
                night = (self.night_of(message.time), message.sender, getattr(message, "sender_phone", None))
                if night in self.nights:
                    self.nights[night].add(key, message.time)
                    continue
            item = {"id": finding_id(self.group, self.month, key, category), "group": self.group, "message": key,
                    "date": day, "time": f"{message.time:%H:%M}"}
            if person is not None:
                item["sender"] = person
            item.update(category=category.value, clause=hit.clause, excerpt=hit.excerpt,
                        status=ReviewStatus.NEW.value)
            self.findings.append(item)
            if category == FindingCategory.QUIET_HOURS:
                self.nights[night] = _Night(item, [key], message.time)
            lapse = getattr(hit, "lapse", None)
            if category == FindingCategory.OUTDATED and lapse is not None:
                self.lapses[item["id"]] = lapse

    def finish(self) -> None:
        """Quiet-hours findings of several messages get every message id and the count in the excerpt."""
        for night in self.nights.values():
            night.write()


def _noon_to_noon(moment: dt.datetime) -> dt.date:
    return (moment - dt.timedelta(hours=12)).date()


@dataclass
class _Night:
    """One sender's messages in one night's quiet hours: one finding."""

    item: dict
    keys: list[str]
    last: dt.datetime

    def add(self, key: str, moment: dt.datetime) -> None:
        self.keys.append(key)
        self.last = max(self.last, moment)

    def write(self) -> None:
        if len(self.keys) < 2 or self.item["message"] != self.keys[0]:
            return
        self.item["message"] = ", ".join(self.keys)
        self.item["excerpt"] = night_excerpt(len(self.keys), self.item["time"], f"{self.last:%H:%M}", self.item["excerpt"])


def night_excerpt(count: int, first: str, last: str, excerpt: str) -> str:
    """«3 сообщения, 22:40–23:55; первое: Кто идёт…» within the excerpt's 120 characters."""
    head = f"{count} {_messages_word(count)}, {first}–{last}; первое: "
    room = EXCERPT_WIDTH - len(head)
    return head + (excerpt if len(excerpt) <= room else excerpt[:room - 1].rstrip() + "…")


def _messages_word(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "сообщение"
    return "сообщения" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "сообщений"


def message_count(item: Any) -> int:
    """How many messages a finding stands for (a quiet-hours finding lists them in `message`)."""
    message = item.get("message") if isinstance(item, dict) else item.message
    return str(message).count(", ") + 1


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
        self.latest: dt.datetime | None = None   # the export's last message: it was made no sooner

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
        if self.latest is None or message.time > self.latest:
            self.latest = message.time
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
class UnknownSender:
    """A sender matched to nobody, as the chat shows them: for the summary only, never written."""

    label: str                 # «неизвестный N», as in the log
    name: str                  # the display name in the export ("" when only a phone is shown)
    phone: str | None
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
    unknown: tuple[UnknownSender, ...] = ()     # who «неизвестный N» are (not written anywhere)
    not_yet: int = 0           # announcements out of date only after the export was made: no finding


def file_digest(path: Path) -> str:
    """SHA-256 of the export file: what makes a re-import recognisable."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def message_key(message: Any, source: str, occurrence: int = 1) -> str:
    """A message id that survives a re-export: Telegram's own id; for WhatsApp (numbered by line, which
    shifts when the export starts later) the day and time with a short hash of sender and text, and
    for the same text sent again by the same sender in the same minute (a double send) «-2», «-3», …:
    exports keep the messages' order, so the n-th of a minute is the n-th in every export."""
    if source != "whatsapp":
        return str(message.id)
    digest = hashlib.sha1(f"{message.time:%Y-%m-%dT%H:%M}\x00{message.sender}\x00{message.text}".encode(
        "utf-8", "surrogatepass")).hexdigest()
    return f"{message.time:%d%H%M}-{digest[:4]}" + (f"-{occurrence}" if occurrence > 1 else "")


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
    tally.finish()
    senders, people = tally.senders, tally.people
    order = sorted(senders, key=lambda label: (-senders[label], people[label] is None, label))
    chat_import = {"group": tally.group, "source": tally.source, "file": file, "first": tally.first,
                   "last": tally.last, "messages": tally.messages,
                   "senders": {label: senders[label] for label in order}, "unknown_senders": len(tally.unknown)}
    # The export shows the announcement still there when it was made; not after.
    made = part.latest
    later = {fid for fid, lapse in tally.lapses.items() if made is not None and lapse > made}
    findings = tuple(item for item in tally.findings if item["id"] not in later)
    unknown = tuple(UnknownSender(label, name or "", phone, senders[label])
                    for (name, phone), label in tally.unknown.items())
    return Plan(tally.group, tally.source, tally.month, file, chat_import, findings,
                tuple(SenderCount(label, people[label], senders[label]) for label in order),
                part.read, part.before, part.after, tally.service, _names(records, people.values()),
                unknown, len(later))


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


def imported_month(records: Records, group: str | None, file: str, month: str) -> str | None:
    """`month` if this export is already recorded in its log for the group (any group: None), else None."""
    log_ = records.logs_by_month.get(month)
    return month if log_ is not None and any(group in (None, i.group) and i.file == file for i in log_.imports) else None


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
    refreshed: int = 0                 # undecided findings brought up to date (more messages in a night)


def log_path(root: Path, month: str) -> Path:
    return Path(root) / "log" / f"{month}.yaml"


def write_import(root: Path, plan: Plan) -> Outcome:
    """Merge the plan into log/<month>.yaml under the records lock, in one checked, atomic write."""
    return write_imports(root, [plan])[0]


def write_imports(root: Path, plans: Iterable[Plan]) -> list[Outcome]:
    """Merge several plans (exports of several groups or months) into their month logs: the logs are read
    once, the records checked once, and everything is written or nothing. A later plan of the same
    group and month replaces an earlier one's counts, as a later import would."""
    plans = list(plans)
    with records_lock(root):
        edits: dict[Path, _LogEdit] = {}
        outcomes = []
        for plan in plans:
            path = log_path(root, plan.month)
            if path not in edits:
                edits[path] = _LogEdit(*_current(path, plan.month))
            outcomes.append(edits[path].merge(plan, path))
        changes = {path: edit.ops() for path, edit in edits.items() if edit.changed}
        created: dict[Path, bool] = {}
        if changes:
            names = {pid: name for plan in plans for pid, name in plan.names.items()}
            for path in changes:
                log.info("Запись журнала %s", display_path(path))
            created = _commit(root, changes, names, {path: edits[path].located for path in changes})
    return [replace(o, created=created.get(o.path, False)) for o in outcomes]


class _LogEdit:
    """What the plans of one write do to one month log, as operations on the file as it is."""

    def __init__(self, data: dict, located: Any):
        self.located = located
        self.imports = list(data.get("imports") or [])
        self.findings = list(data.get("findings") or [])
        self.deletions: dict[Any, list] = {}
        for deletion in data.get("deletions") or []:
            if isinstance(deletion, dict):
                self.deletions.setdefault(deletion.get("group"), []).append(deletion)
        self.replaced: dict[int, dict] = {}
        self.new_imports: list[dict] = []
        self.sets: dict[int, dict] = {}
        self.new_findings: list[dict] = []
        self.where: dict[Any, int] = {item.get("id"): index for index, item in enumerate(self.findings)
                                      if isinstance(item, dict)}
        # a night's finding is known by any of its messages: an export that starts later has another first one
        self.nights: dict[tuple, int] = {}
        for index, item in enumerate(self.findings):
            if isinstance(item, dict) and item.get("category") == FindingCategory.QUIET_HOURS.value:
                self._night(item, index)
        self.changed = self.swept = False

    def _night(self, item: dict, index: int) -> int | None:
        """Index the night's messages under `index`, or with -1 find the finding holding any of them."""
        keys = [(item.get("group"), key) for key in str(item.get("message")).split(", ")]
        if index >= 0:
            self.nights.update((key, index) for key in keys)
            return index
        return next((self.nights[key] for key in keys if key in self.nights), None)

    def _finding(self, index: int) -> dict:
        if index >= len(self.findings):
            return self.new_findings[index - len(self.findings)]
        return {**self.findings[index], **self.sets.get(index, {})}

    def _set(self, index: int, fields: dict) -> None:
        if index >= len(self.findings):
            self.new_findings[index - len(self.findings)].update(fields)
        else:
            self.sets.setdefault(index, {}).update(fields)

    def merge(self, plan: Plan, path: Path) -> Outcome:
        current = [self.replaced.get(i, item) for i, item in enumerate(self.imports)] + self.new_imports
        if any(i.get("group") == plan.group and i.get("file") == plan.file for i in current if isinstance(i, dict)):
            return Outcome(path, False, True)
        earlier = next((i for i, item in enumerate(current) if isinstance(item, dict)
                        and item.get("group") == plan.group and item.get("source") == plan.source), None)
        if earlier is None:
            self.new_imports.append(plan.chat_import)
        elif earlier < len(self.imports):
            self.replaced[earlier] = plan.chat_import
        else:
            self.new_imports[earlier - len(self.imports)] = plan.chat_import
        added, settled = [], []
        refreshed = 0
        for item in plan.findings:
            index = self.where.get(item["id"])
            night = item["category"] == FindingCategory.QUIET_HOURS.value
            if index is None and night:
                index = self._night(item, -1)
            if index is None:
                new = dict(item)
                when = self._deleted(new)
                if when is not None:
                    new.update(status=ReviewStatus.DISMISSED.value, note=_settled_note(when))
                    settled.append(new["id"])
                self.where[new["id"]] = len(self.findings) + len(self.new_findings)
                if night:
                    self._night(new, self.where[new["id"]])
                self.new_findings.append(new)
                added.append(new)
                continue
            known = self._finding(index)
            # an undecided finding follows a later export that holds all it did: a night with more messages
            fresh = {}
            if (known.get("status") == ReviewStatus.NEW.value
                    and set(item["message"].split(", ")) >= set(str(known.get("message")).split(", "))):
                fresh = {name: item[name] for name in ("message", "excerpt") if known.get(name) != item[name]}
            if fresh:
                self._set(index, fresh)
                refreshed += 1
        if not self.swept:                       # decided by a deletion logged since the last import
            self.swept = True
            for index, item in enumerate(self.findings):
                when = self._deleted(item) if isinstance(item, dict) and item.get("status") == ReviewStatus.NEW.value else None
                if when is not None:
                    self._set(index, {"status": ReviewStatus.DISMISSED.value, "note": _settled_note(when)})
                    settled.append(item["id"])
        self.changed = True
        return Outcome(path, False, False, tuple(added), len(plan.findings) - len(added),
                       current[earlier] if earlier is not None else None, tuple(settled), refreshed)

    def _deleted(self, item: dict) -> dt.date | None:
        deletions = self.deletions.get(item.get("group"))
        return _deleted(item, deletions) if deletions else None

    def ops(self) -> list[tuple]:
        ops: list[tuple] = [("replace", "imports", index, item) for index, item in sorted(self.replaced.items())]
        if self.new_imports:
            ops.append(("append", "imports", self.new_imports))
        ops += [("set", "findings", index, fields) for index, fields in sorted(self.sets.items())]
        if self.new_findings:
            ops.append(("append", "findings", self.new_findings))
        return ops


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

"""A chat export's month in the month log: counts and content findings, never the messages.

`MonthSlice` takes the export's messages (any objects with `.id`, `.time`, `.sender`,
`.sender_phone`, `.text`, `.kind`) and tallies the chosen month's in a `MonthTally`: counts per
sender and one finding per message and scan category (quiet hours: one per sender and night);
`plan_import` makes that a `ChatImport` with its `ContentFinding`s; `write_imports` merges the
plans of one or several exports into log/ГГГГ-ММ.yaml in one write (month_log.py). The
administrator's decision on findings is findings_review.py, their ids and keys finding_ids.py.
Sender matching and scanning are handed in by the caller: the store does not import the readers
or the scanners (data flows one way).

Idempotence: the log keeps the export's SHA-256 per group. The same file again adds nothing.
A later export of the same chat replaces that group's counts for the month (a chat export holds
the whole history, so the later one counts everything the earlier one did) and adds findings only
for messages whose finding id is new: the id is built from the message id (Telegram's own id;
for WhatsApp, whose exports number nothing, the day, time and a short hash of sender and text,
and the occurrence for a double send), so decisions already taken stay as they are; an undecided
finding of a night that has more messages in the later export gets them.

An outdated announcement (п. 3) is settled by its deletion, not by the violations register:
`review(..., deleted=date)` (findings_review.py) dismisses it and logs a deletion whose «what»
names the message and the finding; a deletion logged by hand that names «сообщение N» or the finding id dismisses it at
the next import of the month.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import InternalError, UsageError, display_path
from ..model.records import FindingCategory, ReviewStatus
from ..model.registry import Records
from .finding_ids import UNKNOWN, _messages_word, file_digest, finding_id, message_count, message_key, month_of
from .findings_review import next_violation_id, review, review_many, select
from .month_log import _commit, _current, _names, apply, log_path, scalar
from .write import records_lock

__all__ = [
    "NOT_WRITTEN", "EXCERPT_WIDTH", "MonthTally", "night_excerpt", "MonthSlice", "SenderCount", "UnknownSender",
    "Plan", "plan_import", "imported_month", "Outcome", "write_import", "write_imports",
    # moved out, still imported from here by the import command and the tests
    "file_digest", "finding_id", "message_count", "message_key", "month_of", "UNKNOWN",
    "next_violation_id", "review", "review_many", "select", "apply", "log_path", "scalar",
]

log = logging.getLogger("compliance")

NOT_WRITTEN = frozenset({"service", "system"})   # the messenger's own lines: counted as read, not as messages
EXCERPT_WIDTH = 120                               # scan.mask.WIDTH: an excerpt's longest


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

"""Sections 5 and 6 of the monthly report: the content findings from the imported chats with the administrators'
decisions, and the confirmed ones that never reached the violations register (possible concealment, п. 4).
"""
from __future__ import annotations

from dataclasses import dataclass

from .common import Column
from .report_overdue import TOP_GROUPS


@dataclass(frozen=True)
class ChatFindingRow:
    """A content finding from an imported chat that the administrator confirmed or dismissed."""

    number: str
    date: str                    # of the message
    group: str
    clause: str                  # «п. 5.1»
    finding: str                 # what was found, with a masked excerpt
    decision: str                # «подтверждено» / «отклонено»
    note: str                    # the measure taken, or why the finding was dismissed


@dataclass(frozen=True)
class ConcealmentRow:
    """A confirmed content finding that never reached the violations register (п. 4: no concealment)."""

    number: str
    date: str
    group: str
    clause: str
    finding: str
    admin: str                   # the administrator answerable for the group


CHAT_COLUMNS = (
    Column("№", "number", 0.04), Column("Дата", "date", 0.1), Column("Группа", "group", 0.15),
    Column("Пункт", "clause", 0.07), Column("Замечание", "finding", 0.3), Column("Решение", "decision", 0.12),
    Column("Мера или причина отклонения", "note", 0.22))
CONCEALMENT_COLUMNS = (
    Column("№", "number", 0.04), Column("Дата", "date", 0.1), Column("Группа", "group", 0.2),
    Column("Пункт", "clause", 0.07), Column("Найдено в переписке", "finding", 0.4),
    Column("Администратор", "admin", 0.19))

CHATS_NOT_IMPORTED = "Переписка за месяц не импортировалась; проверка содержания не проводилась."
CHATS_LISTED = 50          # up to this many chat findings are listed one by one; more: confirmed ones one by
                           # one, the others one row per group and decision, counted by kind


def _clauses_text(clauses) -> str:
    from .common import NBSP

    ordered = sorted(set(clauses), key=lambda c: tuple(int(p) for p in c.split(".")))
    return (f"п.{NBSP}" if len(ordered) == 1 else f"пп.{NBSP}") + ", ".join(ordered)


def _period(dates) -> str:
    from ..ru import date_numeric

    first, last = min(dates), max(dates)
    return date_numeric(first) if first == last else f"{date_numeric(first)} – {date_numeric(last)}"


def _by_kind(items) -> str:
    """«тихие часы — 279, личная тема — 72»: the most frequent kind first."""
    from .common import NBSP

    kinds: dict[str, int] = {}
    for item in items:
        kinds[item.category.value] = kinds.get(item.category.value, 0) + 1
    return ", ".join(f"{kind}{NBSP}— {n}" for kind, n in sorted(kinds.items(), key=lambda k: (-k[1], k[0])))


def chat_review(records, log, labels, redact: bool = False
                ) -> tuple[bool, str, tuple[ChatFindingRow, ...], tuple[ConcealmentRow, ...]]:
    """Whether the month's chats were checked, the lead and rows of section 5 (the content findings with the
    administrator's decision) and the confirmed findings that never reached the violations register (п. 4: a
    violation must not be concealed). Up to CHATS_LISTED findings each get a row; more: each confirmed one
    (the evidence) and, per group, one row of the dismissed and one of those not reviewed, counted by kind.
    For publication (`redact`) the excerpts are left out: a masked excerpt still quotes a parent or a child."""
    from ..model.records import ReviewStatus
    from ..ru import date_numeric, plural, surname_first
    from .common import NBSP, full_name

    if log is None or not (log.imports or log.findings):
        return False, "", (), ()
    violations = {v.id: v for v in log.violations}
    ordered = sorted(log.findings, key=lambda f: (f.date, f.time, f.id))

    def note(item) -> str:
        registered = violations.get(item.violation) if item.violation else None
        if registered is not None:
            measure = registered.measure or "мера не принята"
            return f"внесено в журнал нарушений ({date_numeric(registered.date)}): {measure}"
        if item.status == ReviewStatus.NEW:
            return "не рассмотрено администратором"
        return item.note or "—"

    def finding(item) -> str:
        if not redact:
            return f"{item.category.value}: {item.excerpt}"
        count = str(item.message).count(", ") + 1       # a night in quiet hours lists its messages
        return f"{item.category.value}" + (f" ({count} сообщ.)" if count > 1 else "") + ": отрывок не публикуется"

    def label(item) -> str:
        return labels[records.groups_by_id[item.group].title]

    decisions = {ReviewStatus.NEW: "не рассмотрено"}

    def single(item) -> tuple:
        return (f"{date_numeric(item.date)} {item.time}", label(item), f"п.{NBSP}{item.clause}", finding(item),
                decisions.get(item.status, item.status.value), note(item))

    def reasons(items) -> str:
        """The administrators' reasons for dismissing, the most frequent first."""
        counted: dict[str, int] = {}
        for item in items:
            counted[item.note or "без пояснения"] = counted.get(item.note or "без пояснения", 0) + 1
        top = sorted(counted.items(), key=lambda r: (-r[1], r[0]))
        text = "; ".join(f"{reason} ({n})" for reason, n in top[:TOP_GROUPS])
        rest = sum(n for _, n in top[TOP_GROUPS:])
        return text + (f"; другие ({rest})" if rest else "")

    if len(ordered) <= CHATS_LISTED:
        rows = [single(f) for f in ordered]
    else:
        rows = [single(f) for f in ordered if f.status == ReviewStatus.CONFIRMED]
        by_group: dict[tuple, list] = {}
        for f in ordered:
            by_group.setdefault((f.group, f.status), []).append(f)
        for group in records.groups:
            for status in (ReviewStatus.DISMISSED, ReviewStatus.NEW):
                items = by_group.get((group.id, status))
                if items:
                    rows.append((_period([f.date for f in items]), labels[group.title],
                                 _clauses_text(f.clause for f in items),
                                 f"{plural(len(items), 'замечание')}: {_by_kind(items)}",
                                 decisions.get(status, status.value),
                                 reasons(items) if status == ReviewStatus.DISMISSED else "—"))
    chat_rows = tuple(ChatFindingRow(str(i), *row) for i, row in enumerate(rows, 1))
    lead = ""
    if ordered:
        counts = {status: sum(f.status == status for f in ordered) for status in ReviewStatus}
        lead = (f"Найдено {plural(len(ordered), 'замечание').replace(' ', NBSP, 1)}: {_by_kind(ordered)}. "
                f"Подтверждено{NBSP}— {counts[ReviewStatus.CONFIRMED]}, отклонено{NBSP}— {counts[ReviewStatus.DISMISSED]}, "
                f"не рассмотрено{NBSP}— {counts[ReviewStatus.NEW]}. ")
        lead += ("Подтверждённые замечания — каждое отдельно, остальные — одной строкой на группу и решение, "
                 "по видам; " if len(ordered) > CHATS_LISTED else "Решение администратора — по каждому замечанию; ")
        lead += "персональные данные в отрывках скрыты."
    concealed = [f for f in ordered if f.status == ReviewStatus.CONFIRMED and f.violation is None]
    concealed_rows = tuple(
        ConcealmentRow(str(i), f"{date_numeric(f.date)} {f.time}", label(f),
                       f"п.{NBSP}{f.clause}", finding(f),
                       surname_first(full_name(records.people[records.groups_by_id[f.group].admin])))
        for i, f in enumerate(concealed, 1))
    return True, lead, chat_rows, concealed_rows

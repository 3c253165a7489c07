"""The order register (журнал регистрации приказов): one per calendar year and order series.

The records hold the orders this tool manages (the groups in messengers), not every order of the
institution. So the register lists the orders it has, by number, and names the numbers it lacks in one
line under the table instead of padding it with «номер не использован» rows: a gap is never hidden, and
a register of two orders is not 70 rows long.
"""
from __future__ import annotations

from dataclasses import dataclass

from .common import Column, Letterhead
from .stamp import Stamp, register_stamp

DASH = "—"


@dataclass(frozen=True)
class RegisterRow:
    number: str                  # «45-од»
    date: str                    # «01.09.2026»; «—» for a draft
    title: str                   # «О создании групп в мобильных мессенджерах»
    signed_by: str               # «Директор Т.А. Прохорова»; «—» for a draft
    executor: str                # «Кузьмина Е.В.»
    acknowledgement: str         # «ознакомлены 5 из 5», «не требуется», «—» for a draft
    note: str                    # «проект — не подписан», «отменён приказом от … № …», or ""


REGISTER_COLUMNS = (
    Column("Рег. номер", "number", 0.09),
    Column("Дата", "date", 0.11),
    Column("Заголовок (краткое содержание)", "title", 0.31),
    Column("Кем подписан", "signed_by", 0.14),
    Column("Исполнитель", "executor", 0.13),
    Column("Отметка об ознакомлении", "acknowledgement", 0.12),
    Column("Примечание", "note", 0.10),
)


@dataclass(frozen=True)
class OrderRegisterView:
    file_stem: str               # «Журнал_приказов_2026_од»
    letterhead: Letterhead
    heading: str                 # «ЖУРНАЛ РЕГИСТРАЦИИ ПРИКАЗОВ»
    subtitle: str                # «по основной деятельности за 2026 год»
    columns: tuple[Column, ...]
    rows: tuple[RegisterRow, ...]  # by number
    total: str                   # «Всего в журнале: 2 приказа.»
    missing_numbers: str         # «Номера, отсутствующие в записях: 1–44, 46–70.» or ""
    stamp: Stamp | None = None   # records fingerprint: printed in the footer, manifest in metadata


def register_keys(records) -> list[tuple[int, str]]:
    """(year, series) of every register to print: each year and series that has an order, in order."""
    rank = {s.index: i for i, s in enumerate(records.institution.order_series)}
    keys = {(order.date.year, order.series) for _, order in records.orders}
    return sorted(keys, key=lambda k: (k[0], rank.get(k[1], len(rank)), k[1]))


def named_staff(records, order_id: str) -> set[str]:
    """Who the order names and so must be acquainted with it: the admins of the groups it creates and
    the person charged with control; the signer is not acquainted with his own order.
    The same people as the «С приказом ознакомлены» block of the printed order."""
    order = records.orders_by_id[order_id]
    named = {g.admin for g in records.groups if g.order == order_id}
    if order.control:
        named.add(order.control)
    named.discard(order.signed_by)
    return named


def acquainted(records, order, person_id: str) -> bool:
    """The records hold acknowledgements of acts, not of orders: a named person counts as acquainted
    when he acknowledged every act version the order approves (or a later version of it)."""
    return bool(order.approves) and all(
        any(records.acknowledgement(person_id, a.act, v) is not None
            for v in range(a.version, len(records.acts_by_id[a.act].versions) + 1))
        for a in order.approves)


def number_ranges(numbers: list[int]) -> str:
    """«1–44, 46–70, 72» for [1, 2, …, 44, 46, …, 70, 72]."""
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(n) if n == start else f"{start}{'–' if n > start + 1 else ', '}{n}")
            start = None
    return ", ".join(parts)


def _acknowledgement(records, order_id: str) -> str:
    from ..model.records import OrderStatus
    from .common import NBSP

    order = records.orders_by_id[order_id]
    if order.status == OrderStatus.DRAFT:
        return DASH
    named = named_staff(records, order_id)
    if not named:
        return "не требуется"
    if not order.approves:
        return "нет записей об ознакомлении"
    done = sum(acquainted(records, order, pid) for pid in named)
    return f"ознакомлены {done}{NBSP}из{NBSP}{len(named)}"   # «5 из 5» never split across lines


def _note(records, order_id: str) -> str:
    from ..model.records import OrderStatus
    from ..ru import date_numeric
    from .common import NBSP

    order = records.orders_by_id[order_id]
    notes = []
    if order.status == OrderStatus.DRAFT:
        notes.append("проект — не подписан")
    elif order.status == OrderStatus.CANCELLED:
        if order.cancelled_by:
            by = records.orders_by_id[order.cancelled_by]
            notes.append(f"отменён приказом от {date_numeric(by.date)} №{NBSP}{by.registration_number}")
        else:
            notes.append("отменён")
    for other_id, other in records.orders:
        if other.cancelled_by == order_id:
            notes.append(f"отменяет приказ от {date_numeric(other.date)} №{NBSP}{other.registration_number}")
    return "; ".join(notes)


def build_order_register(records, year: int, series: str) -> OrderRegisterView:
    from ..model.records import OrderStatus
    from ..ru import date_numeric, plural, surname_first
    from .common import NBSP, full_name, letterhead, signature_of

    people = records.people
    orders = sorted(((oid, o) for oid, o in records.orders if o.date.year == year and o.series == series),
                    key=lambda item: item[1].number)
    rows = []
    for order_id, order in orders:
        draft = order.status == OrderStatus.DRAFT
        signer = signature_of(people[order.signed_by])
        rows.append(RegisterRow(
            number=order.registration_number,
            date=DASH if draft else date_numeric(order.date),
            title=order.title,
            signed_by=DASH if draft else f"{signer.position} {signer.name}",
            executor=surname_first(full_name(people[order.executor])),
            acknowledgement=_acknowledgement(records, order_id),
            note=_note(records, order_id),
        ))
    drafts = sum(o.status == OrderStatus.DRAFT for _, o in orders)
    cancelled = sum(o.status == OrderStatus.CANCELLED for _, o in orders)
    of_them = [text for count, text in ((drafts, f"проектов — {drafts}"), (cancelled, f"отменённых — {cancelled}"))
               if count]
    total = f"Всего в журнале: {plural(len(orders), 'приказ')}" + (f" (из них {', '.join(of_them)})" if of_them else "")
    used = {o.number for _, o in orders}
    gaps = [n for n in range(1, max(used) + 1) if n not in used] if used else []
    titles = {s.index: s.title for s in records.institution.order_series}
    return OrderRegisterView(
        file_stem=f"Журнал_приказов_{year}_{series}",
        letterhead=letterhead(records.institution),
        heading="ЖУРНАЛ РЕГИСТРАЦИИ ПРИКАЗОВ",
        subtitle=f"{titles.get(series, f'серии «{series}»')} за {year}{NBSP}год",
        columns=REGISTER_COLUMNS,
        rows=tuple(rows),
        total=total + ".",
        missing_numbers=f"Номера, отсутствующие в записях: {number_ranges(gaps)}." if gaps else "",
        stamp=register_stamp(records, year, series),
    )


def build_order_registers(records) -> tuple[OrderRegisterView, ...]:
    return tuple(build_order_register(records, year, series) for year, series in register_keys(records))

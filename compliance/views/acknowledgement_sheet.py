"""Acknowledgement sheets (листы ознакомления): one per group × act version still to sign."""
from __future__ import annotations

from dataclasses import dataclass

from .common import Column, Letterhead, Signature
from .stamp import Stamp, sheet_stamp


@dataclass(frozen=True)
class SheetRow:
    number: str                  # «1»; blank rows for newcomers have a number only
    full_name: str               # «Аксёнова Полина Игоревна»
    category: str                # «родитель (законный представитель)»
    date: str                    # left empty: filled in by hand
    signature: str               # left empty


SHEET_COLUMNS = (
    Column("№ п/п", "number", 0.07),
    Column("Фамилия, имя, отчество", "full_name", 0.38),
    Column("Категория участника", "category", 0.25),
    Column("Дата ознакомления", "date", 0.15),
    Column("Подпись", "signature", 0.15),
)


@dataclass(frozen=True)
class AckSheetView:
    file_stem: str               # «list-oznakomleniya-izo-roditeli-chat-rules-2»
    letterhead: Letterhead
    appendix_mark: tuple[str, ...]   # top-right lines: «Приложение», «к приказу МКОУ ДО «ДДТ»», «от 15.10.2026 № 71-од»
    heading: str                 # «ЛИСТ ОЗНАКОМЛЕНИЯ»
    subject: str                 # «с Правилами использования чата (редакция 2),»
    approval: str                # «утверждёнными приказом МКОУ ДО «ДДТ» от 15.10.2026 № 71-од»
    group: str                   # «Группа «Изостудия «Радуга» — родители» (MAX)»
    admin: str                   # «Администратор группы: Иванова Мария Петровна»
    deadline: str                # «Срок ознакомления — до 05.11.2026»
    columns: tuple[Column, ...]
    rows: tuple[SheetRow, ...]   # the people who must sign, then blank rows for newcomers
    total: str                   # «Подлежат ознакомлению: 12 человек»
    admin_signature: Signature   # «Администратор группы» … «М.П. Иванова»
    stamp: Stamp | None = None   # records fingerprint: printed in the footer, manifest in metadata


BLANK_ROWS = 5


def category_of(records, person_id: str, *, short: bool = False, by_parent: bool = False) -> str:
    from ..model.records import Audience

    audience = records.audience_of(person_id)
    if audience == Audience.PARENTS:
        return "родитель" if short else "родитель (законный представитель)"
    if audience == Audience.STUDENTS:
        return "обучающийся (расписывается законный представитель)" if by_parent else "обучающийся"
    return records.people[person_id].position


def pending_sheets(records) -> list[tuple]:
    """(group, act, version, people still to sign) for every sheet that has someone to sign.

    Everything recorded counts, whatever its date, so the same records always give the same sheets.
    """
    import datetime as dt

    from ..rules.acknowledgements import obligations

    pending: dict[tuple[str, str], list[str]] = {}
    versions = {}
    for ob in obligations(records, dt.date.max):
        if ob.done:
            continue
        versions[ob.act.id] = (ob.act, ob.version)
        for group in ob.groups:
            pending.setdefault((group.id, ob.act.id), []).append(ob.person)
    result = []
    for group in records.groups:
        for act in records.required_acts(group):
            people = pending.get((group.id, act.id))
            if people:
                result.append((group, act, versions[act.id][1], [pid for pid in group.members if pid in people]))
    return result


def build_ack_sheet(records, group, act, version, person_ids, *, redact: bool = False) -> AckSheetView:
    from ..ru import approved_attribute, date_numeric, full, plural, with_preposition_s
    from ..rules.acknowledgements import base_deadline, needs_representative
    from .common import NBSP, full_name, letterhead, order_reference, person_name, signature_of

    people = records.people
    order = records.orders_by_id[version.approved_by]
    short = records.institution.short_name
    reference = order_reference(short, order)
    ordered = sorted(person_ids, key=lambda pid: (people[pid].surname, people[pid].name, people[pid].patronymic or "", pid))
    deadline = base_deadline(records, version)
    rows = tuple(SheetRow(str(i), person_name(records, pid, full, redact=redact),
                          category_of(records, pid, by_parent=needs_representative(records, pid, deadline)), "", "")
                 for i, pid in enumerate(ordered, 1))
    rows += tuple(SheetRow(str(i), "", "", "", "") for i in range(len(rows) + 1, len(rows) + BLANK_ROWS + 1))
    edition = f" (редакция {version.version})" if len(act.versions) > 1 else ""
    admin = people[group.admin]
    return AckSheetView(
        file_stem=f"Лист_ознакомления_{group.id}_{act.id}-{version.version}",
        letterhead=letterhead(records.institution),
        appendix_mark=("Приложение", f"к приказу {short}", f"от {date_numeric(order.date)} №{NBSP}{order.registration_number}"),
        heading="ЛИСТ ОЗНАКОМЛЕНИЯ",
        subject=f"{with_preposition_s(act.title)}{edition},",
        approval=f"{approved_attribute(act.kind.value)} приказом {reference}",
        group=f"Группа «{group.title}» в мессенджере {group.messenger.value}",
        admin=f"Администратор группы: {full(full_name(admin))}, {admin.position}",
        deadline=f"Срок ознакомления — до {date_numeric(deadline)}",
        columns=SHEET_COLUMNS,
        rows=rows,
        total=f"Подлежат ознакомлению по списку: {plural(len(ordered), 'человек')}",
        admin_signature=Signature("Администратор группы", signature_of(admin).name),
        stamp=sheet_stamp(records, group, act, version),
    )

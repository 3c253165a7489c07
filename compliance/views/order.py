"""The order (приказ) creating the groups: every line as it is printed."""
from __future__ import annotations

from dataclasses import dataclass

from .common import NBSP, Column, Letterhead, Signature
from .act_text import TextBlock, parse_act_text
from .stamp import Stamp, order_stamp


@dataclass(frozen=True)
class OrderPoint:
    number: str                  # «1.»
    text: str


@dataclass(frozen=True)
class OrderGroupRow:
    number: str                  # «1»
    title: str                   # «Изостудия «Радуга» — родители»
    messenger: str               # «MAX»
    purpose: str                 # «информационная, организационная»
    participants: str            # «родители обучающихся изостудии «Радуга»; 24 участника»
    admin: str                   # «Иванова М.П.» (the position is named in the appointing point)
    deadline: str                # «до 10.09.2026»


@dataclass(frozen=True)
class Appendix:
    """An act approved by the order, printed after it on a new page."""

    mark: tuple[str, ...]        # top right: «Приложение № 1», «к приказу МКОУ ДО «ДДТ»», «от 01.09.2026 № 45-од»
    approval: tuple[str, ...]    # under it: «УТВЕРЖДЁН», «приказом МКОУ ДО «ДДТ»», «от 01.09.2026 № 45-од» (or УТВЕРЖДАЮ …)
    doc_type: str                # «ПОРЯДОК»
    heading: str                 # «организации и работы групп в мобильных мессенджерах»
    edition: str                 # «(редакция 2)» or ""
    blocks: tuple[TextBlock, ...]


@dataclass(frozen=True)
class Acquainted:
    position: str                # «Педагог дополнительного образования»
    name: str                    # «М.П. Иванова»
    blank: str                   # ««___» __________ 2026 г.» — the date filled in by hand


GROUP_COLUMNS = (
    Column("№ п/п", "number", 0.05),
    Column("Группа", "title", 0.16),
    Column("Мессенджер", "messenger", 0.13),
    Column("Задачи (п. 1 Порядка)", "purpose", 0.18),
    Column("Участники", "participants", 0.20),
    Column("Администратор", "admin", 0.17),
    Column("Срок создания", "deadline", 0.11),
)


@dataclass(frozen=True)
class OrderView:
    file_stem: str               # «prikaz-2026-045-od»
    letterhead: Letterhead
    draft_mark: str              # «ПРОЕКТ» for an unsigned order, else ""
    doc_type: str                # «ПРИКАЗ»
    date: str                    # «01.09.2026» (or ««___» __________ 2026 г.» for a draft)
    number: str                  # «№ 45-од» (or «№ ____» for a draft)
    heading: str                 # «О создании групп в мобильных мессенджерах»
    preamble: str
    command: str                 # «ПРИКАЗЫВАЮ:»
    create_point: OrderPoint     # followed by the table of groups
    group_columns: tuple[Column, ...]
    groups: tuple[OrderGroupRow, ...]
    points: tuple[OrderPoint, ...]
    signature: Signature
    acquainted_heading: str      # «С приказом ознакомлены:»
    acquainted: tuple[Acquainted, ...]
    executor: str                # «Исп. Кузнецова Е.В.»
    appendices: tuple[Appendix, ...] = ()
    qr: str = ""                 # text of the QR code (ГОСТ Р 7.0.97-2025, requisite 31); "" under the 2016 edition
    stamp: Stamp | None = None   # records fingerprint: printed in the footer, manifest in metadata


DEFAULT_BASIS = ("В целях оперативного информирования участников образовательного процесса и выстраивания "
                 "коммуникативных связей между ними, в том числе при реализации дополнительных общеобразовательных "
                 "программ с применением электронного обучения и дистанционных образовательных технологий")


def audience_text(group) -> str:
    """Who the group is for, as the order names its participants."""
    from ..model.records import Audience
    from ..ru import decline_phrase

    if "«" in group.association:
        declined = decline_phrase(group.association, "gent")
        of_association = declined[:1].lower() + declined[1:]
    else:
        of_association = f"объединения «{group.association}»"
    parts = {
        Audience.PARENTS: f"родители обучающихся {of_association}",
        Audience.STUDENTS: f"обучающиеся {of_association}",
        Audience.STAFF: "педагогические работники",
    }
    return "; ".join(parts[a] for a in group.audience)


def _quoted_titles(groups) -> str:
    titles = [f"«{g.title}»" for g in groups]
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " и " + titles[-1]


def _enumerate(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " и " + items[-1]


def build_order(records, order_id: str) -> OrderView:
    from ..model.records import OrderStatus
    from ..ru import (blank_date, date_numeric, decline, decline_phrase, full, initials_first, plural,
                      surname_first, with_preposition_s)
    from .common import capitalised, full_name, letterhead, signature_of

    order = records.orders_by_id[order_id]
    institution = records.institution
    people = records.people
    signed = order.status == OrderStatus.SIGNED
    groups = [g for g in records.groups if g.order == order_id]
    deadline = order.deadlines
    rows = tuple(
        OrderGroupRow(
            number=str(i),
            title=g.title,
            messenger=g.messenger.value,
            purpose=", ".join(t.value for t in g.tasks),
            participants=f"{audience_text(g)}; {plural(len(g.members), 'участник')}",
            admin=surname_first(full_name(people[g.admin])),
            deadline=f"до {date_numeric(deadline.groups_created)}" if deadline else "",
        )
        for i, g in enumerate(groups, 1))

    texts: list[str] = []
    if groups:
        create = "Создать группы в мобильных мессенджерах в составе и в сроки согласно таблице:"
        admins: dict[str, list] = {}
        for g in groups:
            admins.setdefault(g.admin, []).append(g)
        appointments = []
        for admin_id, admin_groups in admins.items():
            person = people[admin_id]
            name = full(decline(full_name(person), "accs"))
            position = decline_phrase(person.position, "accs")
            what = "группы" if len(admin_groups) == 1 else "групп"
            appointments.append(f"{name}, {position}, — {what} {_quoted_titles(admin_groups)}")
        texts.append("Назначить администраторами групп, ответственными за формирование групп и их контентное "
                     "наполнение: " + "; ".join(appointments) + ".")
    else:
        create = ""
    approved = [(records.acts_by_id[a.act], a.version) for a in order.approves]
    for number, (act, version) in enumerate(approved, 1):
        mark = f"приложение №{NBSP}{number}" if len(approved) > 1 else "приложение"
        if version == 1:
            texts.append(f"Утвердить {act.title} ({mark}).")
        else:
            texts.append(f"Утвердить новую редакцию {decline_phrase(act.title, 'gent')} ({mark}).")
    if approved and deadline:
        acts_text = _enumerate([with_preposition_s(act.title).removeprefix("с ").removeprefix("со ") for act, _ in approved])
        texts.append(f"Администраторам групп ознакомить участников групп с {acts_text} под подпись "
                     f"в срок до {date_numeric(deadline.acknowledged)}.")
    if groups:
        texts.append("Администраторам групп вести учёт своих действий в группах, удалять информацию, потерявшую "
                     "актуальность, не допускать и не скрывать нарушений Порядка и ежемесячно представлять сведения "
                     "для отчёта о его соблюдении.")
    if order.control:
        controller = people[order.control]
        texts.append(f"Контроль за исполнением настоящего приказа возложить на "
                     f"{decline_phrase(controller.position, 'accs')} {surname_first(decline(full_name(controller), 'accs'))}".rstrip(".") + ".")
    else:
        texts.append("Контроль за исполнением настоящего приказа оставляю за собой.")
    first = 2 if create else 1
    points = tuple(OrderPoint(f"{i}.", text) for i, text in enumerate(texts, first))

    named = {g.admin for g in groups} | ({order.control} if order.control else set())
    named.discard(order.signed_by)
    acquainted = tuple(
        Acquainted(capitalised(people[pid].position), initials_first(full_name(people[pid])), blank_date(order.date.year))
        for pid in sorted(named, key=lambda pid: (people[pid].surname, people[pid].name)))
    executor = people[order.executor]
    stamp = order_stamp(records, order_id)
    return OrderView(
        file_stem=f"Приказ_{order_id}",
        letterhead=letterhead(institution),
        draft_mark="" if signed else "ПРОЕКТ",
        doc_type="ПРИКАЗ",
        date=date_numeric(order.date) if signed else blank_date(order.date.year),
        number=f"№{NBSP}{order.registration_number}" if signed else f"№{NBSP}_____",
        heading=order.title,
        preamble=(order.basis or DEFAULT_BASIS).rstrip(" ,.") + ",",
        command="ПРИКАЗЫВАЮ:",
        create_point=OrderPoint("1.", create),
        group_columns=GROUP_COLUMNS,
        groups=rows,
        points=points,
        signature=signature_of(people[order.signed_by]),
        acquainted_heading="С приказом ознакомлены:",
        acquainted=acquainted,
        executor=f"Исп. {surname_first(full_name(executor))}",
        appendices=build_appendices(records, order),
        qr=stamp.qr_text if institution.gost_edition == "2025" else "",
        stamp=stamp,
    )


def build_appendices(records, order) -> tuple[Appendix, ...]:
    """Each act version the order approves, with its appendix mark and approval stamp."""
    from ..model.records import OrderStatus
    from ..ru import approved_word, blank_date, date_numeric, initials_first
    from .common import full_name

    short = records.institution.short_name
    signed = order.status == OrderStatus.SIGNED
    date = date_numeric(order.date) if signed else blank_date(order.date.year)
    number = f"№{NBSP}{order.registration_number}" if signed else f"№{NBSP}_____"
    approved = [(records.acts_by_id[a.act], a.version) for a in order.approves]
    appendices = []
    for index, (act, version_number) in enumerate(approved, 1):
        version = act.versions[version_number - 1]
        if not version.text:
            continue
        mark = (f"Приложение №{NBSP}{index}" if len(approved) > 1 else "Приложение", f"к приказу {short}", f"от {date} {number}")
        if version.approval == "директором":
            director = records.director
            approval = ("УТВЕРЖДАЮ", f"Директор {short}", f"________ {initials_first(full_name(director))}",
                        blank_date(order.date.year))
        else:
            approval = (approved_word(act.kind.value), f"приказом {short}", f"от {date} {number}")
        first, _, rest = act.title.partition(" ")
        appendices.append(Appendix(
            mark=mark, approval=approval, doc_type=first.upper(), heading=rest,
            edition=f"(редакция {version_number})" if version_number > 1 else "",
            blocks=parse_act_text(version.text)))
    return tuple(appendices)

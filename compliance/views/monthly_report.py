"""The monthly compliance report the director signs."""
from __future__ import annotations

from dataclasses import dataclass

from .common import Column, Letterhead, Signature
from .stamp import Stamp, report_stamp


@dataclass(frozen=True)
class ReportGroupRow:
    number: str
    title: str
    messenger: str
    admin: str                   # «Иванова М.П.»
    members: str                 # «24»
    acknowledged: str            # «20» — acknowledged every required act in force
    coverage: str                # «83 %»
    registered: str              # «12.09.2026» or «нет»


@dataclass(frozen=True)
class CoverageRow:
    act: str                     # «Правила использования чата, ред. 2»
    deadline: str                # «05.11.2026»
    required: str                # «140»
    on_time: str
    late: str
    missing: str
    coverage: str                # «64 %»


@dataclass(frozen=True)
class OverdueRow:
    number: str
    person: str                  # «Аксёнова П.И.»
    category: str                # «родитель»
    group: str
    act: str                     # «Правила использования чата, ред. 2»
    deadline: str                # «05.11.2026»


@dataclass(frozen=True)
class ActivityRow:
    group: str
    admin: str
    monitoring: str              # counts, as text
    publications: str
    other: str
    deletions: str


@dataclass(frozen=True)
class ViolationRow:
    number: str
    date: str
    group: str
    clause: str                  # «п. 5.2»
    description: str
    measure: str                 # «— не принята —» when absent
    status: str                  # «устранено» / «не устранено, срок 05.12.2026»


@dataclass(frozen=True)
class ReportSection:
    """One numbered part of the report: a heading, a lead paragraph and a table."""

    title: str                   # «2. Ознакомление участников с локальными актами (п. 2.3 Порядка)»
    lead: str
    columns: tuple[Column, ...]
    rows: tuple                  # rows of one of the *Row types above
    empty: str                   # printed instead of the table when there are no rows


@dataclass(frozen=True)
class MonthlyReportView:
    file_stem: str               # «otchet-2026-11»
    letterhead: Letterhead
    doc_type: str                # «ОТЧЁТ»
    date: str                    # ««___» __________ 2026 г.»: the director dates it on signing
    heading: str                 # «О соблюдении Порядка … за ноябрь 2026 г.»
    summary: tuple[str, ...]     # paragraphs of the summary with the key figures
    groups: ReportSection
    coverage: ReportSection
    overdue: ReportSection
    activity: ReportSection
    violations: ReportSection
    prepared_by: Signature       # the secretary who prepared the report
    reviewed_heading: str        # «Отчёт рассмотрен:»
    reviewed_by: Signature       # the director
    reviewed_date: str           # ««___» __________ 2026 г.»
    stamp: Stamp | None = None   # records fingerprint: printed in the footer, manifest in metadata

    @property
    def sections(self) -> tuple[ReportSection, ...]:
        return (self.groups, self.coverage, self.overdue, self.activity, self.violations)


GROUP_COLUMNS = (
    Column("№", "number", 0.04), Column("Группа", "title", 0.25), Column("Мессенджер", "messenger", 0.12),
    Column("Администратор", "admin", 0.15), Column("Участников", "members", 0.11),
    Column("Ознакомлены", "acknowledged", 0.12), Column("Охват", "coverage", 0.08),
    Column("Дата регистрации", "registered", 0.13))
COVERAGE_COLUMNS = (
    Column("Акт, редакция", "act", 0.34), Column("Срок", "deadline", 0.12), Column("Должны", "required", 0.1),
    Column("В срок", "on_time", 0.09), Column("С опозданием", "late", 0.13), Column("Не ознакомлены", "missing", 0.13),
    Column("Охват", "coverage", 0.09))
OVERDUE_COLUMNS = (
    Column("№", "number", 0.05), Column("Участник", "person", 0.17), Column("Категория", "category", 0.17),
    Column("Группа", "group", 0.25), Column("Акт, редакция", "act", 0.25), Column("Срок", "deadline", 0.11))
ACTIVITY_COLUMNS = (
    Column("Группа", "group", 0.3), Column("Администратор", "admin", 0.18), Column("Мониторинг", "monitoring", 0.13),
    Column("Публикации", "publications", 0.13), Column("Прочее", "other", 0.12), Column("Удаления", "deletions", 0.14))
VIOLATION_COLUMNS = (
    Column("№", "number", 0.04), Column("Дата", "date", 0.1), Column("Группа", "group", 0.17), Column("Пункт", "clause", 0.07),
    Column("Нарушение", "description", 0.24), Column("Мера", "measure", 0.22), Column("Состояние", "status", 0.16))


def _month_bounds(month: str):
    import calendar
    import datetime as dt

    year, number = int(month[:4]), int(month[5:])
    return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])


def build_monthly_report(records, month: str) -> MonthlyReportView:
    from ..model.records import ActionKind
    from ..ru import blank_date, date_numeric, for_month, percent, surname_first
    from ..rules.acknowledgements import obligations as acknowledgement_obligations
    from .acknowledgement_sheet import category_of
    from .common import NBSP, full_name, letterhead, signature_of

    first_day, last_day = _month_bounds(month)
    people = records.people
    log = records.logs_by_month.get(month)
    groups = [g for g in records.groups if g.created is not None and g.created <= last_day]

    obligations = acknowledgement_obligations(records, last_day)
    by_person: dict[str, list] = {}
    for ob in obligations:
        by_person.setdefault(ob.person, []).append(ob)

    def act_label(act, version) -> str:
        return f"{act.title}, ред.{NBSP}{version.version}" if len(act.versions) > 1 else act.title

    group_rows, total_members, total_full = [], set(), set()
    for i, g in enumerate(groups, 1):
        full_ok = [pid for pid in g.members if all(ob.done for ob in by_person.get(pid, ()))]
        total_members.update(g.members)
        total_full.update(full_ok)
        group_rows.append(ReportGroupRow(
            str(i), g.title, g.messenger.value, surname_first(full_name(people[g.admin])), str(len(g.members)),
            str(len(full_ok)), percent(len(full_ok), len(g.members)),
            date_numeric(g.registered) if g.registered and g.registered <= last_day else "нет"))

    coverage_rows = []
    for act in records.acts:
        mine = [ob for ob in obligations if ob.act.id == act.id]
        if not mine:
            continue
        version = mine[0].version
        on_time = sum(ob.done and not ob.late for ob in mine)
        late = sum(ob.late for ob in mine)
        deadlines = sorted({ob.deadline for ob in mine})
        coverage_rows.append(CoverageRow(
            act_label(act, version), date_numeric(deadlines[0]) + ("*" if len(deadlines) > 1 else ""), str(len(mine)),
            str(on_time), str(late), str(len(mine) - on_time - late), percent(on_time + late, len(mine))))
    overdue_people = {pid: [ob for ob in items if not ob.done and ob.deadline < last_day]
                      for pid, items in by_person.items()}
    ordered = sorted((pid for pid, items in overdue_people.items() if items),
                     key=lambda pid: (people[pid].surname, people[pid].name, pid))
    overdue = tuple(
        OverdueRow(str(i), surname_first(full_name(people[pid])), category_of(records, pid, short=True),
                   ", ".join(dict.fromkeys(g.title for ob in overdue_people[pid] for g in ob.groups)),
                   "; ".join(act_label(ob.act, ob.version) for ob in overdue_people[pid]),
                   ", ".join(dict.fromkeys(date_numeric(ob.deadline) for ob in overdue_people[pid])))
        for i, pid in enumerate(ordered, 1))

    actions = log.actions if log else []
    deletions = log.deletions if log else []
    violations = log.violations if log else []
    activity = []
    for g in groups:
        mine = [a for a in actions if a.group == g.id]
        monitoring = sum(a.kind == ActionKind.MONITORING for a in mine)
        publications = sum(a.kind == ActionKind.PUBLICATION for a in mine)
        activity.append(ActivityRow(g.title, surname_first(full_name(people[g.admin])), str(monitoring), str(publications),
                                    str(len(mine) - monitoring - publications),
                                    str(sum(d.group == g.id for d in deletions))))
    violation_rows = []
    for i, v in enumerate(sorted(violations, key=lambda v: (v.date, v.id)), 1):
        if v.resolved:
            status = "устранено"
        elif v.due:
            status = f"не устранено, срок {date_numeric(v.due)}"
        else:
            status = "не устранено"
        violation_rows.append(ViolationRow(str(i), date_numeric(v.date), records.groups_by_id[v.group].title,
                                           f"п.{NBSP}{v.clause}", v.description,
                                           (f"{v.measure} ({date_numeric(v.measure_date)})" if v.measure and v.measure_date
                                            else v.measure or "не принята"), status))

    year, number = first_day.year, first_day.month
    messengers: dict[str, int] = {}
    for g in groups:
        messengers[g.messenger.value] = messengers.get(g.messenger.value, 0) + 1
    by_messenger = ", ".join(f"{name}{NBSP}— {count}" for name, count in messengers.items())
    audiences = {}
    for pid in total_members:
        category = records.audience_of(pid).value
        audiences[category] = audiences.get(category, 0) + 1
    by_audience = ", ".join(f"{name}{NBSP}— {count}" for name, count in sorted(audiences.items()))
    resolved = sum(v.resolved for v in violations)
    overdue_count = len(overdue)
    summary = (
        f"Групп в мессенджерах на конец месяца: {len(groups)} ({by_messenger}); "
        f"участников в них: {len(total_members)} ({by_audience}).",
        f"С действующими редакциями всех обязательных локальных актов ознакомлены {len(total_full)} из "
        f"{len(total_members)} участников ({percent(len(total_full), len(total_members))}). "
        f"Не ознакомлены после истечения установленного срока: {overdue_count} (список — в разделе 2.1).",
        f"Записано действий администраторов групп: {len(actions)}; удалено публикаций, потерявших актуальность: {len(deletions)}.",
        f"Выявлено нарушений: {len(violations)}, из них устранено: {resolved}.",
    )
    return MonthlyReportView(
        file_stem=f"Отчёт_{month}",
        letterhead=letterhead(records.institution),
        doc_type="ОТЧЁТ",
        date=blank_date(last_day.year),
        heading=f"О соблюдении Порядка организации и работы групп в мобильных мессенджерах {for_month(year, number)}",
        summary=summary,
        groups=ReportSection("1. Группы и их участники (п. 1, 2.1 Порядка)",
                             "«Ознакомлены» — участники, ознакомленные со всеми действующими редакциями обязательных "
                             "актов; «Охват» — их доля.",
                             GROUP_COLUMNS, tuple(group_rows), "Групп на конец месяца нет."),
        coverage=ReportSection("2. Ознакомление участников с локальными актами (п. 2.3 Порядка)",
                               "Учитываются редакции, действующие на конец месяца."
                               + (" «*» — у вступивших в группу после срока приказа свой срок ознакомления."
                                  if any(r.deadline.endswith("*") for r in coverage_rows) else ""),
                               COVERAGE_COLUMNS, tuple(coverage_rows), "Действующих актов нет."),
        overdue=ReportSection("2.1. Не ознакомлены в установленный срок", "",
                              OVERDUE_COLUMNS, overdue, "Все участники ознакомлены в срок."),
        activity=ReportSection("3. Работа администраторов групп (п. 3 Порядка)", "",
                               ACTIVITY_COLUMNS, tuple(activity), "Действий администраторов не записано."),
        violations=ReportSection("4. Нарушения и принятые меры (п. 4, 5 Порядка)", "",
                                 VIOLATION_COLUMNS, tuple(violation_rows), "Нарушений не выявлено."),
        prepared_by=signature_of(records.secretary),
        reviewed_heading="Отчёт рассмотрен:",
        reviewed_by=signature_of(records.director),
        reviewed_date=blank_date(last_day.year),
        stamp=report_stamp(records, month),
    )

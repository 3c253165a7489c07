"""The monthly compliance report the director signs.

Page 1 answers the director's question on its own: the summary, the clause-by-clause assessment (from the
rules' findings, checked as of the last day of the month, so the report is reproducible) and the conclusion.
The numbered sections after it give the evidence.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from .common import Column, Letterhead, Signature
from .report_chart import CHART_GROUPS, ChartBar, CoverageChart, coverage_chart
from .report_chats import (CHAT_COLUMNS, CHATS_LISTED, CHATS_NOT_IMPORTED, CONCEALMENT_COLUMNS, ChatFindingRow,
                           ConcealmentRow, chat_review)
from .report_clauses import ClauseRow, group_labels
from .report_overdue import (OVERDUE_COLUMNS, OVERDUE_GROUP_COLUMNS, OVERDUE_LISTED, OverdueGroupRow, OverdueRow,
                             act_label, overdue_list)
from .stamp import Stamp, report_stamp

# The report's parts live in report_*.py; renderers, tools and tests import the whole view-model from here.
__all__ = [
    "ACTIVITY_COLUMNS", "CHART_GROUPS", "CHATS_LISTED", "CHATS_NOT_IMPORTED", "CHAT_COLUMNS", "CLAUSE_COLUMNS",
    "CONCEALMENT_COLUMNS", "COVERAGE_COLUMNS", "FINDING_COLUMNS", "GROUP_COLUMNS", "OVERDUE_COLUMNS",
    "OVERDUE_GROUP_COLUMNS", "OVERDUE_LISTED", "VIOLATION_COLUMNS", "ActivityRow", "ChartBar", "ChatFindingRow",
    "ClauseRow", "ConcealmentRow", "CoverageChart", "CoverageRow", "FindingRow", "MonthlyReportView", "OverdueGroupRow",
    "OverdueRow", "ReportGroupRow", "ReportSection", "ViolationRow", "build_monthly_report"]

Row = TypeVar("Row")


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
class ActivityRow:
    group: str
    admin: str
    monitoring: str              # counts, as text
    publications: str
    other: str
    deletions: str


@dataclass(frozen=True)
class FindingRow:
    """A finding of the rules about the administrators' work (п. 3)."""

    number: str
    finding: str                 # «Группа «…» не зарегистрирована в установленном порядке»
    fix: str                     # «Зарегистрируйте группу …»


@dataclass(frozen=True)
class ViolationRow:
    number: str
    date: str
    group: str
    clause: str                  # «п. 5.2»
    description: str
    measure: str                 # «не принята» when absent
    status: str                  # «устранено» / «не устранено, срок 05.12.2026»


@dataclass(frozen=True)
class ReportSection(Generic[Row]):
    """One part of the report: a heading, a lead paragraph and a table."""

    title: str                   # «2. Ознакомление участников с локальными актами (п. 2.3 Порядка)»
    lead: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    empty: str                   # printed instead of the table when there are no rows


@dataclass(frozen=True)
class MonthlyReportView:
    file_stem: str               # «Отчёт_2026-11»
    letterhead: Letterhead
    doc_type: str                # «ОТЧЁТ»
    date: str                    # ««___» __________ 2026 г.»: the director dates it on signing
    heading: str                 # «О соблюдении Порядка … за ноябрь 2026 г.»
    summary: tuple[str, ...]     # short paragraphs with the key figures
    clauses: ReportSection[ClauseRow]   # page 1: each clause met or not, and why
    verdict: str                 # «Вывод: в ноябре 2026 г. Порядок соблюдался не полностью: …»
    groups: ReportSection[ReportGroupRow]
    coverage: ReportSection[CoverageRow]
    chart_title: str             # «Рисунок 1 — …»; "" when there is no chart
    chart: CoverageChart | None  # after the coverage table; None when there are no groups
    overdue: ReportSection[OverdueRow | OverdueGroupRow]   # by person, or by group when many are late
    activity: ReportSection[ActivityRow]
    admin_findings: ReportSection[FindingRow]
    violations: ReportSection[ViolationRow]
    chat_findings: ReportSection[ChatFindingRow]
    concealment: ReportSection[ConcealmentRow]
    prepared_by: Signature       # the secretary who prepared the report
    reviewed_heading: str        # «Отчёт рассмотрен:»
    reviewed_by: Signature       # the director
    reviewed_date: str           # ««___» __________ 2026 г.»
    stamp: Stamp | None = None   # records fingerprint: printed in the footer, manifest in metadata

    @property
    def sections(self) -> tuple[ReportSection, ...]:
        """The numbered sections after page 1, in print order (the chart follows `coverage`)."""
        return (self.groups, self.coverage, self.overdue, self.activity, self.admin_findings, self.violations,
                self.chat_findings, self.concealment)


CLAUSE_COLUMNS = (
    Column("Пункт", "clause", 0.08), Column("Требование", "requirement", 0.24), Column("Оценка", "status", 0.17),
    Column("Основание", "reason", 0.51))
GROUP_COLUMNS = (
    Column("№", "number", 0.04), Column("Группа", "title", 0.25), Column("Мессенджер", "messenger", 0.12),
    Column("Администратор", "admin", 0.15), Column("Участников", "members", 0.11),
    Column("Ознакомлены", "acknowledged", 0.12), Column("Охват", "coverage", 0.08),
    Column("Дата регистрации", "registered", 0.13))
COVERAGE_COLUMNS = (
    Column("Акт, редакция", "act", 0.34), Column("Срок", "deadline", 0.12), Column("Должны", "required", 0.1),
    Column("В срок", "on_time", 0.09), Column("С опозданием", "late", 0.13), Column("Не ознакомлены", "missing", 0.13),
    Column("Охват", "coverage", 0.09))
ACTIVITY_COLUMNS = (
    Column("Группа", "group", 0.3), Column("Администратор", "admin", 0.18), Column("Мониторинг", "monitoring", 0.13),
    Column("Публикации", "publications", 0.13), Column("Прочее", "other", 0.12), Column("Удаления", "deletions", 0.14))
FINDING_COLUMNS = (
    Column("№", "number", 0.05), Column("Замечание", "finding", 0.6), Column("Что сделать", "fix", 0.35))
VIOLATION_COLUMNS = (
    Column("№", "number", 0.04), Column("Дата", "date", 0.1), Column("Группа", "group", 0.17), Column("Пункт", "clause", 0.07),
    Column("Нарушение", "description", 0.24), Column("Мера", "measure", 0.22), Column("Состояние", "status", 0.16))


def _month_bounds(month: str):
    import calendar
    import datetime as dt

    year, number = int(month[:4]), int(month[5:])
    return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])


def build_monthly_report(records, month: str, *, redact: bool = False) -> MonthlyReportView:
    from ..model.records import ActionKind
    from ..rules import check
    from ..rules.acknowledgements import obligations as acknowledgement_obligations
    from ..rules.law import LEGAL_RULES
    from ..ru import blank_date, date_numeric, for_month, month_prepositional, percent, surname_first
    from .common import NBSP, capitalised, full_name, letterhead, signature_of
    from .report_clauses import clause_rows, verdict

    first_day, last_day = _month_bounds(month)
    people = records.people
    log = records.logs_by_month.get(month)
    groups = [g for g in records.groups if g.created is not None and g.created <= last_day]
    findings = check(records, last_day, month)

    obligations = acknowledgement_obligations(records, last_day)
    by_person: dict[str, list] = {}
    for ob in obligations:
        by_person.setdefault(ob.person, []).append(ob)

    labels = group_labels([g.title for g in records.groups], records.institution.short_name)
    group_rows, shares, total_members, total_full = [], [], set(), set()
    for i, g in enumerate(groups, 1):
        full_ok = [pid for pid in g.members if all(ob.done for ob in by_person.get(pid, ()))]
        total_members.update(g.members)
        total_full.update(full_ok)
        coverage = percent(len(full_ok), len(g.members))
        group_rows.append(ReportGroupRow(
            str(i), g.title, g.messenger.value, surname_first(full_name(people[g.admin])), str(len(g.members)),
            str(len(full_ok)), coverage,
            date_numeric(g.registered) if g.registered and g.registered <= last_day else "нет"))
        shares.append((i, labels[g.title], len(full_ok), len(g.members)))
    bars, chart_title = coverage_chart(shares)

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
    late_count, overdue_lead, overdue_columns, overdue = overdue_list(records, groups, by_person, labels,
                                                                       last_day, redact)

    actions = log.actions if log else []
    deletions = log.deletions if log else []
    violations = log.violations if log else []
    activity = []
    for g in groups:
        mine = [a for a in actions if a.group == g.id]
        monitoring = sum(a.kind == ActionKind.MONITORING for a in mine)
        publications = sum(a.kind == ActionKind.PUBLICATION for a in mine)
        activity.append(ActivityRow(labels[g.title], surname_first(full_name(people[g.admin])), str(monitoring), str(publications),
                                    str(len(mine) - monitoring - publications),
                                    str(sum(d.group == g.id for d in deletions))))
    admin_findings = tuple(FindingRow(str(i), capitalised(f.message), capitalised(f.fix))
                           for i, f in enumerate((f for f in findings if f.clause == "3"), 1))
    violation_rows = []
    for i, v in enumerate(sorted(violations, key=lambda v: (v.date, v.id)), 1):
        if v.resolved:
            status = "устранено"
        elif v.due:
            status = f"не устранено, срок {date_numeric(v.due)}"
        else:
            status = "не устранено"
        violation_rows.append(ViolationRow(str(i), date_numeric(v.date), labels[records.groups_by_id[v.group].title],
                                           f"п.{NBSP}{v.clause}", v.description,
                                           (f"{v.measure} ({date_numeric(v.measure_date)})" if v.measure and v.measure_date
                                            else v.measure or "не принята"), status))
    chats_checked, chat_lead, chat_rows, concealed_rows = chat_review(records, log, labels, redact)

    year, number = first_day.year, first_day.month
    law_sources = [rule.source.replace("№ ", f"№{NBSP}") for rule in LEGAL_RULES if rule.effective <= last_day]
    clauses = clause_rows(records, last_day, findings, log, chats_checked, law_sources)

    messengers: dict[str, int] = {}
    for g in groups:
        messengers[g.messenger.value] = messengers.get(g.messenger.value, 0) + 1
    by_messenger = ", ".join(f"{name}{NBSP}— {count}" for name, count in messengers.items())
    audiences: dict[str, int] = {}
    for pid in total_members:
        category = records.audience_of(pid).value
        audiences[category] = audiences.get(category, 0) + 1
    by_audience = ", ".join(f"{name}{NBSP}— {count}" for name, count in sorted(audiences.items()))
    resolved = sum(v.resolved for v in violations)
    summary = (
        f"Групп в мессенджерах на {date_numeric(last_day)}: {len(groups)}, участников в них: {len(total_members)}. "
        f"Ознакомлены с действующими редакциями всех обязательных локальных актов: {len(total_full)} "
        f"({percent(len(total_full), len(total_members))}), не ознакомлены в установленный срок: {late_count}.",
        f"Выявлено нарушений: {len(violations)}, из них устранено: {resolved}; "
        f"не устранено: {len(violations) - resolved}.",
    )
    title_in = f"в {month_prepositional(number)} {year}{NBSP}г."
    return MonthlyReportView(
        file_stem=f"Отчёт_{month}",
        letterhead=letterhead(records.institution),
        doc_type="ОТЧЁТ",
        date=blank_date(last_day.year),
        heading=f"О соблюдении Порядка организации и работы групп в мобильных мессенджерах {for_month(year, number)}",
        summary=summary,
        clauses=ReportSection("Соблюдение Порядка по пунктам", "",
                              CLAUSE_COLUMNS, clauses, "Пунктов для проверки нет."),
        verdict=verdict(clauses, title_in),
        groups=ReportSection("1. Группы и их участники (п. 1, 2.1 Порядка)",
                             f"Групп: {len(groups)} ({by_messenger}); "
                             f"участников: {len(total_members)} ({by_audience}). "
                             "«Ознакомлены» — участники, ознакомленные со всеми действующими редакциями обязательных "
                             "актов; «Охват» — их доля.",
                             GROUP_COLUMNS, tuple(group_rows), "Групп на конец месяца нет."),
        coverage=ReportSection("2. Ознакомление участников с локальными актами (п. 2.3 Порядка)",
                               "Учитываются редакции, действующие на конец месяца."
                               + (" «*» — у вступивших в группу после срока приказа свой срок ознакомления."
                                  if any(r.deadline.endswith("*") for r in coverage_rows) else ""),
                               COVERAGE_COLUMNS, tuple(coverage_rows), "Действующих актов нет."),
        chart_title=chart_title,
        chart=CoverageChart(tuple(bars), "доля ознакомленных, %") if bars else None,
        overdue=ReportSection("2.1. Не ознакомлены в установленный срок", overdue_lead,
                              overdue_columns, overdue, "Все участники ознакомлены в срок."),
        activity=ReportSection("3. Работа администраторов групп (п. 3 Порядка)",
                               f"Записано действий администраторов групп: {len(actions)}; удалено публикаций, "
                               f"потерявших актуальность: {len(deletions)}.",
                               ACTIVITY_COLUMNS, tuple(activity), "Действий администраторов не записано."),
        admin_findings=ReportSection("3.1. Замечания по п. 3 Порядка", "",
                                     FINDING_COLUMNS, admin_findings, "Замечаний по п. 3 Порядка нет."),
        violations=ReportSection("4. Нарушения и принятые меры (п. 4, 5 Порядка)", "",
                                 VIOLATION_COLUMNS, tuple(violation_rows), "Нарушений не выявлено."),
        chat_findings=ReportSection("5. Замечания по переписке и решения по ним", chat_lead,
                                    CHAT_COLUMNS, chat_rows,
                                    "Замечаний по переписке за месяц нет." if chats_checked else CHATS_NOT_IMPORTED),
        concealment=ReportSection("6. Возможное утаивание нарушений (п. 4 Порядка)",
                                  "Подтверждённые замечания по переписке, не внесённые в журнал нарушений.",
                                  CONCEALMENT_COLUMNS, concealed_rows,
                                  "Все подтверждённые замечания внесены в журнал нарушений." if chats_checked
                                  else CHATS_NOT_IMPORTED),
        prepared_by=signature_of(records.secretary),
        reviewed_heading="Отчёт рассмотрен:",
        reviewed_by=signature_of(records.director),
        reviewed_date=blank_date(last_day.year),
        stamp=report_stamp(records, month),
    )

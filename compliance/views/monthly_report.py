"""The monthly compliance report the director signs.

Page 1 answers the director's question on its own: the summary, the clause-by-clause assessment (from the
rules' findings, checked as of the last day of the month, so the report is reproducible) and the conclusion.
The numbered sections after it give the evidence.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from .common import Column, Letterhead, Signature
from .report_clauses import ClauseRow, group_labels, middle_cut
from .stamp import Stamp, report_stamp

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
class OverdueRow:
    number: str
    person: str                  # «Аксёнова П.И.»
    category: str                # «родитель»
    group: str
    act: str                     # «Правила использования чата, ред. 2»
    deadline: str                # «05.11.2026»


@dataclass(frozen=True)
class OverdueGroupRow:
    """One group of the overdue list when more than OVERDUE_LISTED people are late: who has to chase whom."""

    number: str
    group: str
    admin: str                   # «Иванова М.П.»
    late: str                    # «7 из 24»: members not acknowledged in time, of all members
    acts: str                    # «Правила, ред. 2 — 6; Порядок — 1»
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


@dataclass(frozen=True)
class ReportSection(Generic[Row]):
    """One part of the report: a heading, a lead paragraph and a table."""

    title: str                   # «2. Ознакомление участников с локальными актами (п. 2.3 Порядка)»
    lead: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    empty: str                   # printed instead of the table when there are no rows


@dataclass(frozen=True)
class ChartBar:
    label: str                   # the group's name, shortened: «Изостудия «Радуга». Родители»; «Остальные 179 групп»
    value: float                 # 0–100, the length of the bar
    text: str                    # «58 %», printed at the bar's end


@dataclass(frozen=True)
class CoverageChart:
    """Acknowledgement coverage per group, drawn as horizontal bars: every group in the table's order, or, when
    there are more than CHART_GROUPS, the groups with the lowest coverage and one bar for all the others."""

    bars: tuple[ChartBar, ...]
    axis: str                    # «доля ознакомленных, %» under the value axis

    def pieces(self, size: int) -> tuple["CoverageChart", ...]:
        """The chart cut into charts of at most `size` groups: 200 groups do not fit one page."""
        return tuple(CoverageChart(self.bars[i:i + size], self.axis) for i in range(0, len(self.bars), size))


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
OVERDUE_COLUMNS = (
    Column("№", "number", 0.05), Column("Участник", "person", 0.17), Column("Категория", "category", 0.13),
    Column("Группа", "group", 0.35), Column("Акт, редакция", "act", 0.19), Column("Срок", "deadline", 0.11))
OVERDUE_GROUP_COLUMNS = (
    Column("№", "number", 0.05), Column("Группа", "group", 0.37), Column("Администратор", "admin", 0.16),
    Column("Не ознакомлены", "late", 0.13), Column("Акт, редакция", "acts", 0.17), Column("Срок", "deadline", 0.12))
ACTIVITY_COLUMNS = (
    Column("Группа", "group", 0.3), Column("Администратор", "admin", 0.18), Column("Мониторинг", "monitoring", 0.13),
    Column("Публикации", "publications", 0.13), Column("Прочее", "other", 0.12), Column("Удаления", "deletions", 0.14))
FINDING_COLUMNS = (
    Column("№", "number", 0.05), Column("Замечание", "finding", 0.6), Column("Что сделать", "fix", 0.35))
VIOLATION_COLUMNS = (
    Column("№", "number", 0.04), Column("Дата", "date", 0.1), Column("Группа", "group", 0.17), Column("Пункт", "clause", 0.07),
    Column("Нарушение", "description", 0.24), Column("Мера", "measure", 0.22), Column("Состояние", "status", 0.16))
CHAT_COLUMNS = (
    Column("№", "number", 0.04), Column("Дата", "date", 0.1), Column("Группа", "group", 0.15),
    Column("Пункт", "clause", 0.07), Column("Замечание", "finding", 0.3), Column("Решение", "decision", 0.12),
    Column("Мера или причина отклонения", "note", 0.22))
CONCEALMENT_COLUMNS = (
    Column("№", "number", 0.04), Column("Дата", "date", 0.1), Column("Группа", "group", 0.2),
    Column("Пункт", "clause", 0.07), Column("Найдено в переписке", "finding", 0.4),
    Column("Администратор", "admin", 0.19))

CHATS_NOT_IMPORTED = "Переписка за месяц не импортировалась; проверка содержания не проводилась."
CHART_GROUPS = 20          # up to this many groups are all drawn; more: the lowest CHART_GROUPS - 1 and the rest
CHART_LABEL = 72           # characters of a bar's name: two lines beside the bar
OVERDUE_LISTED = 100       # up to this many late people are listed by name; more: one row per group
NAMED_IN_ROW = 2           # groups named in a row of the overdue list; more are counted («и ещё 13»)
TOP_GROUPS = 3             # groups named in a lead as those with the most people or findings
CHATS_LISTED = 50          # up to this many chat findings are listed one by one; more: confirmed ones one by
                           # one, the others one row per group and decision, counted by kind


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
    from .acknowledgement_sheet import category_of
    from .common import NBSP, capitalised, full_name, letterhead, person_name, signature_of
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

    def act_label(act, version, names=None) -> str:
        title = (names or {}).get(act.id, act.title)
        return f"{title}, ред.{NBSP}{version.version}" if len(act.versions) > 1 else title

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
    bars, chart_title = _chart(shares)

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
    acts_short = _act_names(records.acts)

    def named_groups(items) -> str:
        """«A; B и ещё 13»: a group's title holds commas, so titles are parted by «;»."""
        titles = list(dict.fromkeys(labels[g.title] for ob in items for g in ob.groups))
        more = f" и ещё {len(titles) - NAMED_IN_ROW}" if len(titles) > NAMED_IN_ROW else ""
        return "; ".join(titles[:NAMED_IN_ROW]) + more

    overdue = tuple(
        OverdueRow(str(i), person_name(records, pid, surname_first, redact=redact), category_of(records, pid, short=True),
                   named_groups(overdue_people[pid]),
                   "; ".join(act_label(ob.act, ob.version, acts_short) for ob in overdue_people[pid]),
                   ", ".join(dict.fromkeys(date_numeric(ob.deadline) for ob in overdue_people[pid])))
        for i, pid in enumerate(ordered, 1))
    overdue_lead = _overdue_lead(records, ordered, overdue_people, labels, acts_short)
    overdue_columns = OVERDUE_COLUMNS
    if len(overdue) > OVERDUE_LISTED:
        overdue, overdue_columns = _overdue_by_group(records, groups, overdue_people, labels, acts_short,
                                                     act_label), OVERDUE_GROUP_COLUMNS

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
    chats_checked, chat_lead, chat_rows, concealed_rows = _chat_review(records, log, labels, redact)

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
        f"({percent(len(total_full), len(total_members))}), не ознакомлены в установленный срок: {len(ordered)}.",
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


def _chart(shares: list[tuple[int, str, int, int]]) -> tuple[list[ChartBar], str]:
    """The bars and the caption of the coverage chart from (number in table 1, label, acknowledged, members)
    per group: every group in the table's order, or the CHART_GROUPS - 1 groups with the lowest coverage
    (their number in table 1 before the name) and one bar for all the others together."""
    from ..ru import percent, plural
    from .common import NBSP

    def share(done: int, members: int) -> float:
        return 100 * done / members if members else 0.0

    if not shares:
        return [], ""
    title = "Рисунок 1 — Доля участников группы, ознакомленных со всеми обязательными актами"
    if len(shares) <= CHART_GROUPS:
        return [ChartBar(middle_cut(label, CHART_LABEL), share(done, members), percent(done, members))
                for _, label, done, members in shares], title
    ranked = sorted(shares, key=lambda s: (share(s[2], s[3]), s[0]))
    lowest, rest = ranked[:CHART_GROUPS - 1], ranked[CHART_GROUPS - 1:]
    bars = [ChartBar(middle_cut(f"{number}. {label}", CHART_LABEL), share(done, members), percent(done, members))
            for number, label, done, members in lowest]
    done, members = sum(s[2] for s in rest), sum(s[3] for s in rest)
    low, high = (percent(s[2], s[3]) for s in (rest[0], rest[-1]))
    bars.append(ChartBar(f"Остальные {plural(len(rest), 'группа')}: от {low.replace(NBSP + '%', '')} до {high}",
                         share(done, members), percent(done, members)))
    title = (f"Рисунок 1 — Доля участников группы, ознакомленных со всеми обязательными актами: "
             f"{plural(len(lowest), 'группа')} с наименьшей долей (номер — по таблице раздела 1) "
             f"и остальные {len(rest)} вместе")
    return bars, title


def _act_names(acts) -> dict[str, str]:
    """Acts named by their kind where no other act in force shares it: «Порядок», «Правила», «Инструкция»."""
    from .common import capitalised

    kinds: dict[str, list] = {}
    for act in acts:
        kinds.setdefault(act.kind.value, []).append(act)
    return {act.id: capitalised(kind) for kind, same in kinds.items() if len(same) == 1 for act in same}


def _overdue_by_group(records, groups, overdue_people, labels, acts_short, act_label) -> tuple[OverdueGroupRow, ...]:
    """Per group, the most late members first: a person late in several groups is counted in each, since each
    administrator has to have them sign; their names are on the groups' acknowledgement sheets."""
    from ..ru import surname_first
    from .common import NBSP, full_name

    late: dict[str, dict[str, set]] = {}        # group → act label → people
    deadlines: dict[str, set] = {}
    for pid, items in overdue_people.items():
        for ob in items:
            for g in ob.groups:
                late.setdefault(g.id, {}).setdefault(act_label(ob.act, ob.version, acts_short), set()).add(pid)
                deadlines.setdefault(g.id, set()).add(ob.deadline)
    order = {g.id: i for i, g in enumerate(groups)}
    ranked = sorted((g for g in groups if g.id in late),
                    key=lambda g: (-len(set().union(*late[g.id].values())), order[g.id]))
    return tuple(
        OverdueGroupRow(str(i), labels[g.title], surname_first(full_name(records.people[g.admin])),
                        f"{len(set().union(*late[g.id].values()))} из {len(g.members)}",
                        "; ".join(f"{act}{NBSP}— {len(who)}" for act, who in
                                  sorted(late[g.id].items(), key=lambda a: (-len(a[1]), a[0]))),
                        _deadlines(sorted(deadlines[g.id])))
        for i, g in enumerate(ranked, 1))


def _deadlines(dates) -> str:
    """«05.11.2026», «25.09.2026, 05.11.2026» or, for members who joined late, each with a deadline of their
    own, the span «06.02.2026 – 14.11.2026»."""
    from ..ru import date_numeric

    if len(dates) <= 2:
        return ", ".join(date_numeric(d) for d in dates)
    return f"{date_numeric(dates[0])} – {date_numeric(dates[-1])}"


def _overdue_lead(records, ordered, overdue_people, labels, acts_short) -> str:
    """How many people, of which categories, the groups with the most of them, and how the acts are named."""
    from ..ru import plural
    from .acknowledgement_sheet import category_of
    from .common import NBSP

    if not ordered:
        return ""
    categories: dict[str, int] = {}
    for pid in ordered:
        name = {"родитель": "родители", "обучающийся": "обучающиеся"}.get(category_of(records, pid, short=True),
                                                                          "работники")
        categories[name] = categories.get(name, 0) + 1
    per_group: dict[str, set] = {}
    for pid in ordered:
        for ob in overdue_people[pid]:
            for g in ob.groups:
                per_group.setdefault(g.id, set()).add(pid)
    text = (f"Не ознакомлены в срок: {plural(len(ordered), 'участник').replace(' ', NBSP, 1)} ("
            + ", ".join(f"{name}{NBSP}— {n}" for name, n in sorted(categories.items())) + ")")
    if len(ordered) > OVERDUE_LISTED:
        text += (f", {_in_groups(len(per_group))}. Группы — по числу не ознакомленных (из всех участников группы), "
                 "по актам — сколько не ознакомлены с каждым; участник нескольких групп учтён в каждой, поимённо "
                 "они — в листах ознакомления групп")
    elif len(per_group) > TOP_GROUPS:
        top = sorted(per_group.items(), key=lambda item: (-len(item[1]), item[0]))[:TOP_GROUPS]
        text += (f", {_in_groups(len(per_group))}; "
                 "больше всего — в группах " + ", ".join(f"«{labels[records.groups_by_id[g].title]}» ({len(who)})"
                                                          for g, who in top))
    text += "."
    named = [act for act in records.acts if act.id in acts_short and acts_short[act.id] != act.title]
    if named:
        text += " Акты названы по виду: " + "; ".join(f"{acts_short[a.id]} — {a.title}" for a in named) + "."
    if len(ordered) <= OVERDUE_LISTED and any(
            len(dict.fromkeys(g.id for ob in overdue_people[pid] for g in ob.groups)) > NAMED_IN_ROW for pid in ordered):
        text += f" У участника нескольких групп названы {NAMED_IN_ROW} из них."
    return text


def _in_groups(n: int) -> str:
    """«в 1 группе», «в 5 группах», «в 21 группе»."""
    return f"в {n} группе" if n % 10 == 1 and n % 100 != 11 else f"в {n} группах"


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


def _chat_review(records, log, labels, redact: bool = False
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

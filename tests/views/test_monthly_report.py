"""The monthly report's view: page 1 (the assessment by clause, from the rules' findings), its figures
recomputed here straight from the YAML, the chart's bars and the sections about imported chats."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from compliance.store.load import load
from compliance.views.monthly_report import CHATS_NOT_IMPORTED, build_monthly_report
from compliance.views.report_clauses import short_label
from cli_support import sample_with_findings
from rules.minimal import D, records_data, write_records

SAMPLE = Path(__file__).resolve().parents[2] / "records"
NB = "\u00a0"
END = dt.date(2026, 11, 30)      # the report is checked as of the last day of its month


@pytest.fixture(scope="module")
def view():
    return build_monthly_report(load(SAMPLE), "2026-11")


def test_monthly_report_clause_rows_for_sample_records_say_what_and_why(view):
    assert [(r.clause, r.requirement, r.status, r.reason, r.alarm) for r in view.clauses.rows] == [
        (f"п.{NB}1", "задачи групп и администратор", "выполнено", "замечаний нет", False),
        (f"п.{NB}2.1", "приказ о создании групп, сроки и участники", "выполнено с замечаниями",
         "группа «Робикс. Родители» создана позже срока приказа", False),
        (f"п.{NB}2.3", "ознакомление участников с локальными актами", "не выполнено",
         f"50{NB}участников не ознакомлены в срок с Правилами использования чата (ред.{NB}2), "
         f"10 — с Порядком организации и работы групп в мобильных мессенджерах; "
         f"23{NB}ознакомления получены позже срока", True),
        (f"п.{NB}3", "функции администратора", "не выполнено",
         "группа «Театральная студия «Маска». Родители» не зарегистрирована; "
         "группа «Методическое объединение педагогов»: за месяц не записано ни одного мониторинга; "
         "не удалено публикаций, потерявших актуальность: 1", True),
        (f"п.{NB}4", "ответственность администратора", "выполнено",
         "записано нарушений: 1, устранено: 0; нарушение устраняется, срок — 05.12.2026; переписка не проверялась",
         False),
        (f"п.{NB}5.1", "грамотность и деловой стиль", "выполнено",
         "записано нарушений: 1, устранено: 1; переписка не проверялась", False),
        (f"п.{NB}5.2", "персональные темы", "выполнено", "записано нарушений: 1, устранено: 1; переписка не проверялась",
         False),
        ("закон", f"Федеральный закон от 01.04.2025 №{NB}41-ФЗ", "не выполнено",
         "группы «Юные туристы» и «Звонница. Родители» ведутся в иностранных мессенджерах (Telegram, WhatsApp)", True),
    ]
    assert [c.header for c in view.clauses.columns] == ["Пункт", "Требование", "Оценка", "Основание"]
    assert view.clauses.title == "Соблюдение Порядка по пунктам"


def test_monthly_report_verdict_names_failed_and_remarked_clauses(view):
    assert view.verdict == (f"Вывод: в ноябре 2026{NB}г. Порядок соблюдался не полностью: не выполнены пп.{NB}2.3, 3 "
                            f"Порядка и требования законодательства; выполнен с замечаниями п.{NB}2.1.")


def test_monthly_report_clean_records_say_every_clause_is_met(tmp_path):
    view = build_monthly_report(load(write_records(tmp_path / "records", records_data())), "2026-11")
    assert {r.status for r in view.clauses.rows} == {"выполнено"}
    assert [r.reason for r in view.clauses.rows[:4]] == ["замечаний нет"] * 4
    assert view.verdict == (f"Вывод: в ноябре 2026{NB}г. Порядок и требования законодательства соблюдались, "
                            "замечаний нет.")


# ---------------------------------------------------------------- figures, recomputed from the YAML

def _yaml(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _from_yaml() -> dict:
    """Members, acknowledgements and violations counted here, without the package's model or rules."""
    people = _yaml(SAMPLE / "people.yaml")
    audience = {p["id"]: a for a, key in (("педагоги", "staff"), ("обучающиеся", "students"), ("родители", "parents"))
                for p in people.get(key) or []}
    orders = {p.stem: _yaml(p) for p in (SAMPLE / "orders").glob("*.yaml")}
    in_force = {}                                        # act id → (version, deadline, required_for)
    for path in sorted((SAMPLE / "acts").glob("*.yaml")):
        act = _yaml(path)
        for version in act["versions"]:
            order = orders[version["approved_by"]]
            if order["status"] == "подписан" and _as_date(order["date"]) <= END:
                in_force[act["id"]] = (version["version"], _as_date(order["deadlines"]["acknowledged"]),
                                       set(act["required_for"]))
    signed = {(a["person"], a["act"], a["version"]) for a in _yaml(SAMPLE / "acknowledgements.yaml")["acknowledgements"]
              if _as_date(a["date"]) <= END}
    groups = [g for g in _yaml(SAMPLE / "groups.yaml")["groups"] if g.get("created") and _as_date(g["created"]) <= END]
    assert not any(g.get("joined") or g.get("requires_acts") for g in groups)  # else the sums below are too simple

    def owed(person, group):
        return [(act, v, deadline) for act, (v, deadline, required) in in_force.items()
                if audience[person] in required and required & set(group["audience"])]

    members = {p for g in groups for p in g["members"]}
    done = {p for g in groups for p in g["members"] if all((p, act, v) in signed for act, v, _ in owed(p, g))}
    overdue = {p for g in groups for p in g["members"]
               if any((p, act, v) not in signed and deadline < END for act, v, deadline in owed(p, g))}
    per_group = [(g["title"], len(g["members"]), sum(p in done for p in g["members"])) for g in groups]
    violations = _yaml(SAMPLE / "log" / "2026-11.yaml")["violations"]
    return {"groups": len(groups), "members": len(members), "done": len(done), "overdue": len(overdue),
            "per_group": per_group, "violations": len(violations), "resolved": sum(bool(v.get("resolved")) for v in violations)}


def _per_cent(part: int, whole: int) -> str:
    return f"{int(100 * part / whole + 0.5)}{NB}%"


def test_monthly_report_figures_match_those_counted_from_the_yaml(view):
    counted = _from_yaml()
    assert view.summary == (
        f"Групп в мессенджерах на 30.11.2026: {counted['groups']}, участников в них: {counted['members']}. "
        f"Ознакомлены с действующими редакциями всех обязательных локальных актов: {counted['done']} "
        f"({_per_cent(counted['done'], counted['members'])}), не ознакомлены в установленный срок: {counted['overdue']}.",
        f"Выявлено нарушений: {counted['violations']}, из них устранено: {counted['resolved']}; "
        f"не устранено: {counted['violations'] - counted['resolved']}.",
    )
    assert [(r.title, r.members, r.acknowledged, r.coverage) for r in view.groups.rows] == [
        (title, str(members), str(done), _per_cent(done, members)) for title, members, done in counted["per_group"]]
    assert [(b.value, b.text) for b in view.chart.bars] == [
        (pytest.approx(100 * done / members), _per_cent(done, members)) for _, members, done in counted["per_group"]]
    assert len(view.overdue.rows) == counted["overdue"]
    # the figures of the sample itself, so that a change in the records shows up here too
    assert (counted["groups"], counted["members"], counted["done"], counted["overdue"]) == (6, 99, 49, 50)


# ---------------------------------------------------------------- the chart

def test_monthly_report_chart_bars_name_groups_shortly_in_table_order(view):
    assert [b.label for b in view.chart.bars] == [
        "Изостудия «Радуга». Родители", "Театральная студия «Маска». Родители", "Робикс. Родители",
        "Звонница. Родители", "Юные туристы", "Методическое объединение педагогов"]
    assert view.chart.axis == "доля ознакомленных, %"
    assert view.chart_title == "Рисунок 1 — Доля участников группы, ознакомленных со всеми обязательными актами"


@pytest.mark.parametrize("title, expected", [
    ("ДДТ. Изостудия «Радуга». Родители", "Изостудия «Радуга». Родители"),
    ("Юные туристы ДДТ", "Юные туристы"),
    ("ДДТ", "ДДТ"),
    ("Хор «ДДТ-Голоса»", "Хор «ДДТ-Голоса»"),
    ("ДДТ. Объединение юных исследователей природы родного края. Родители",
     "Объединение юных исследователей природы…"),
])
def test_short_label_drops_the_institution_abbreviation_and_cuts_at_a_word(title, expected):
    assert short_label(title, "МКОУ ДО «ДДТ»") == expected


def test_monthly_report_without_groups_has_no_chart(tmp_path):
    data = records_data()
    data["groups.yaml"]["groups"][0]["created"] = D(2026, 12, 2)
    view = build_monthly_report(load(write_records(tmp_path / "records", data)), "2026-11")
    assert (view.chart, view.chart_title, view.groups.rows) == (None, "", ())


# ---------------------------------------------------------------- imported chats

def test_monthly_report_without_imported_chats_says_content_was_not_checked(view):
    assert CHATS_NOT_IMPORTED == "Переписка за месяц не импортировалась; проверка содержания не проводилась."
    assert (view.chat_findings.rows, view.chat_findings.empty) == ((), CHATS_NOT_IMPORTED)
    assert (view.concealment.rows, view.concealment.empty) == ((), CHATS_NOT_IMPORTED)
    assert view.chat_findings.title == "5. Замечания по переписке и решения по ним"
    assert view.concealment.title == "6. Возможное утаивание нарушений (п. 4 Порядка)"


def finding(**changes) -> dict:
    base = {"id": "f-1", "group": "robiks-parents", "message": "4521", "date": D(2026, 11, 10), "time": "22:40",
            "sender": "pr-051", "category": "личная тема", "clause": "5.2",
            "excerpt": "Продам велосипед, тел. +7 9** ***-**-12", "status": "подтверждено", "violation": "v-2026-11-01"}
    return {**base, **changes}


def test_monthly_report_with_reviewed_chat_findings_lists_them_and_possible_concealment(tmp_path):
    root = sample_with_findings(tmp_path, [
        finding(),
        finding(id="f-2", date=D(2026, 11, 14), time="09:15", category="орфография", clause="5.1",
                excerpt="в течении недели", status="отклонено", violation=None, note="цитата из письма родителя"),
        finding(id="f-3", date=D(2026, 11, 20), time="23:05", category="персональные данные", clause="4",
                excerpt="адрес: ул. ***, д. **", violation=None),
    ])
    view = build_monthly_report(load(root), "2026-11")
    assert [(r.number, r.date, r.group, r.clause, r.finding, r.decision, r.note) for r in view.chat_findings.rows] == [
        ("1", "10.11.2026 22:40", "Робикс. Родители", f"п.{NB}5.2",
         "личная тема: Продам велосипед, тел. +7 9** ***-**-12", "подтверждено",
         "внесено в журнал нарушений (10.11.2026): сообщение удалено, участнику разъяснены требования п. 5.2 Порядка"),
        ("2", "14.11.2026 09:15", "Робикс. Родители", f"п.{NB}5.1", "орфография: в течении недели", "отклонено",
         "цитата из письма родителя"),
        ("3", "20.11.2026 23:05", "Робикс. Родители", f"п.{NB}4", "персональные данные: адрес: ул. ***, д. **",
         "подтверждено", "—"),
    ]
    assert [(r.number, r.date, r.clause, r.finding, r.admin) for r in view.concealment.rows] == [
        ("1", "20.11.2026 23:05", f"п.{NB}4", "персональные данные: адрес: ул. ***, д. **", f"Никитин{NB}Д.С.")]
    clause_4, clause_51, clause_52 = view.clauses.rows[4:7]
    assert (clause_4.status, clause_4.reason) == ("не выполнено", (
        "записано нарушений: 1, устранено: 0; подтверждённых замечаний по переписке не внесено в журнал нарушений "
        "(возможное утаивание): 1; нарушение устраняется, срок — 05.12.2026; "
        "замечаний по переписке подтверждено: 1, отклонено: 0"))
    assert clause_51.reason == "записано нарушений: 1, устранено: 1; замечаний по переписке подтверждено: 0, отклонено: 1"
    assert clause_52.reason == "записано нарушений: 1, устранено: 1; замечаний по переписке подтверждено: 1, отклонено: 0"


def test_monthly_report_chats_checked_and_clean_say_so(tmp_path):
    view = build_monthly_report(load(sample_with_findings(tmp_path, [])), "2026-11")
    assert (view.chat_findings.rows, view.chat_findings.empty) == ((), "Замечаний по переписке за месяц нет.")
    assert (view.concealment.rows, view.concealment.empty) == (
        (), "Все подтверждённые замечания внесены в журнал нарушений.")
    assert view.clauses.rows[5].reason == "записано нарушений: 1, устранено: 1; по переписке замечаний нет"

"""View-models built from the sample records: the facts every format prints."""
from __future__ import annotations

from pathlib import Path

import pytest

from compliance.build import document_set
from compliance.store.load import load
from compliance.views.acknowledgement_sheet import pending_sheets
from compliance.views.monthly_report import build_monthly_report
from compliance.views.order import build_order

SAMPLE = Path(__file__).resolve().parents[2] / "records"
NB = "\u00a0"


@pytest.fixture(scope="module")
def records():
    return load(SAMPLE)


def test_order_view_prints_number_and_date_the_russian_way(records):
    view = build_order(records, "2026-045-од")
    assert (view.doc_type, view.date, view.number, view.draft_mark) == ("ПРИКАЗ", "01.09.2026", f"№{NB}45-од", "")
    assert view.heading == "О создании групп в мобильных мессенджерах"
    assert view.command == "ПРИКАЗЫВАЮ:"
    assert view.signature.position == "Директор" and view.signature.name == f"Т.А.{NB}Прохорова"


def test_order_view_lists_every_group_with_its_admin(records):
    view = build_order(records, "2026-045-од")
    assert [(g.title, g.messenger, g.admin, g.deadline) for g in view.groups] == [
        ("ДДТ. Изостудия «Радуга». Родители", "MAX", f"Белова{NB}С.Ю.", "до 10.09.2026"),
        ("ДДТ. Театральная студия «Маска». Родители", "Сферум", f"Ковалёв{NB}А.П.", "до 10.09.2026"),
        ("ДДТ. Робикс. Родители", "VK", f"Никитин{NB}Д.С.", "до 10.09.2026"),
        ("Звонница. Родители", "WhatsApp", f"Гришина{NB}О.В.", "до 10.09.2026"),
        ("Юные туристы ДДТ", "Telegram", f"Лаптев{NB}И.В.", "до 10.09.2026"),
        ("ДДТ. Методическое объединение педагогов", "MAX", f"Белова{NB}С.Ю.", "до 10.09.2026"),
    ]
    assert view.groups[0].participants == "родители обучающихся изостудии «Радуга»; 24 участника"
    assert view.groups[4].participants == "обучающиеся объединения «Юные туристы»; 12 участников"


def test_order_view_points_decline_names_and_number_in_order(records):
    view = build_order(records, "2026-045-од")
    assert [p.number for p in (view.create_point, *view.points)] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]
    appoint = view.points[0].text
    assert "Белову Светлану Юрьевну, педагога дополнительного образования, — групп «ДДТ. Изостудия «Радуга». Родители» и" in appoint
    assert "Ковалёва Андрея Петровича, педагога дополнительного образования, — группы «ДДТ. Театральная студия «Маска». Родители»" in appoint
    assert view.points[1].text == f"Утвердить Порядок организации и работы групп в мобильных мессенджерах (приложение №{NB}1)."
    assert view.points[3].text == ("Администраторам групп ознакомить участников групп с Порядком организации и работы групп "
                                   "в мобильных мессенджерах и Правилами использования чата под подпись в срок до 25.09.2026.")
    assert view.points[-1].text == "Контроль за исполнением настоящего приказа оставляю за собой."
    assert [a.name for a in view.acquainted] == [f"С.Ю.{NB}Белова", f"О.В.{NB}Гришина", f"А.П.{NB}Ковалёв", f"И.В.{NB}Лаптев", f"Д.С.{NB}Никитин"]


def test_order_view_new_edition_order_has_no_group_table_and_names_controller(records):
    view = build_order(records, "2026-071-од")
    assert view.groups == () and view.create_point.text == ""
    assert view.points[0].text == "Утвердить новую редакцию Правил использования чата (приложение)."
    assert view.points[-1].text == ("Контроль за исполнением настоящего приказа возложить на заместителя директора "
                                    f"по учебно-воспитательной работе Морозову{NB}И.Н.")


def test_ack_sheets_list_exactly_who_has_not_signed(records):
    sheets = {(g.id, a.id, v.version): people for g, a, v, people in pending_sheets(records)}
    assert list(sheets)[:2] == [("raduga-parents", "poryadok", 1), ("raduga-parents", "chat-rules", 2)]
    assert sheets[("maska-parents", "poryadok", 1)] == ["pr-029", "pr-045"]
    assert sheets[("zvonnitsa-parents", "poryadok", 1)] == ["pr-029", "pr-068", "pr-077"]
    for (group_id, act_id, version), people in sheets.items():
        assert (act_id, version) in {("poryadok", 1), ("chat-rules", 2)}
        for pid in people:
            assert records.acknowledgement(pid, act_id, version) is None
            assert pid in records.groups_by_id[group_id].members
    signed_everywhere = {m for g in records.groups for m in g.members} - {p for ps in sheets.values() for p in ps}
    for pid in signed_everywhere:
        assert records.acknowledgement(pid, "chat-rules", 2) is not None
    missing_v2 = sorted({p for (g, a, v), ps in sheets.items() if (a, v) == ("chat-rules", 2) for p in ps})
    assert len(missing_v2) == 50
    missing_poryadok = sorted({p for (g, a, v), ps in sheets.items() if a == "poryadok" for p in ps})
    assert missing_poryadok == ["pr-011", "pr-021", "pr-029", "pr-045", "pr-048", "pr-063", "pr-064", "pr-068", "pr-077", "st-059"]


def test_ack_sheet_heading_agrees_with_the_act(records):
    documents = document_set(records)
    rules = next(s for s in documents.sheets if s.file_stem.endswith("chat-rules-2"))
    assert rules.subject == "с Правилами использования чата (редакция 2),"
    assert rules.approval == f"утверждёнными приказом МКОУ ДО «ДДТ» от 15.10.2026 №{NB}71-од"
    assert rules.deadline == "Срок ознакомления — до 05.11.2026"
    poryadok = next(s for s in documents.sheets if s.file_stem.endswith("poryadok-1"))
    assert poryadok.subject == "с Порядком организации и работы групп в мобильных мессенджерах,"
    assert poryadok.approval == f"утверждённым приказом МКОУ ДО «ДДТ» от 01.09.2026 №{NB}45-од"
    assert [r.full_name for r in rules.rows[-5:]] == [""] * 5


def test_monthly_report_figures_come_from_the_records(records):
    view = build_monthly_report(records, "2026-11")
    assert view.heading == f"О соблюдении Порядка организации и работы групп в мобильных мессенджерах за ноябрь 2026{NB}г."
    assert [(r.act, r.required, r.on_time, r.late, r.missing, r.coverage) for r in view.coverage.rows] == [
        ("Порядок организации и работы групп в мобильных мессенджерах", "99", "83", "6", "10", f"90{NB}%"),
        (f"Правила использования чата, ред.{NB}2", "99", "32", "17", "50", f"49{NB}%"),
    ]
    assert len({r.person for r in view.overdue.rows}) == 50
    assert [(r.title, r.members, r.registered) for r in view.groups.rows][1] == ("ДДТ. Театральная студия «Маска». Родители", "21", "нет")
    assert [r.status for r in view.violations.rows] == ["устранено", "устранено", "не устранено, срок 05.12.2026"]
    staff_group = next(r for r in view.activity.rows if r.group == "Методическое объединение педагогов")
    assert staff_group.monitoring == "0"
    assert view.summary[1] == "Выявлено нарушений: 3, из них устранено: 2; не устранено: 1."


def test_order_view_appendices_carry_marks_agreeing_with_the_act(records):
    order = build_order(records, "2026-045-од")
    poryadok, rules = order.appendices
    assert poryadok.mark == (f"Приложение №{NB}1", "к приказу МКОУ ДО «ДДТ»", f"от 01.09.2026 №{NB}45-од")
    assert poryadok.approval == ("УТВЕРЖДЁН", "приказом МКОУ ДО «ДДТ»", f"от 01.09.2026 №{NB}45-од")
    assert (poryadok.doc_type, poryadok.heading, poryadok.edition) == ("ПОРЯДОК", "организации и работы групп в мобильных мессенджерах", "")
    assert rules.approval[0] == "УТВЕРЖДЕНЫ" and rules.mark[0] == f"Приложение №{NB}2"
    assert [b.text for b in poryadok.blocks if b.kind == "heading"] == [
        "1. Общие положения", "2. Порядок организации работы", "3. Функции администратора групп",
        "4. Ответственность за работу в группе", "5. Общие требования"]
    new_rules, = build_order(records, "2026-071-од").appendices
    assert new_rules.mark[0] == "Приложение" and new_rules.edition == "(редакция 2)"

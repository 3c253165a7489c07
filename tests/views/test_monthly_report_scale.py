"""The monthly report of a large institution stays readable: the chart shows the groups with the lowest
coverage and one bar for the rest, the overdue list counts by group, chat findings beyond a few dozen are
counted per group; every figure stays exact."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.generate import generate
from compliance.store.load import load
from compliance.views.monthly_report import (CHART_GROUPS, CHATS_LISTED, OVERDUE_COLUMNS, OVERDUE_GROUP_COLUMNS,
                                             OVERDUE_LISTED, build_monthly_report)
from compliance.views.report_clauses import group_labels, middle_cut
from cli_support import sample_with_findings
from rules.minimal import D

SAMPLE = Path(__file__).resolve().parents[2] / "records"
NB = "\u00a0"


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    root = tmp_path_factory.mktemp("large") / "records"
    generate(root, "large")
    return build_monthly_report(load(root), "2026-11")


def _share(row) -> float:
    return 100 * int(row.acknowledged) / int(row.members)


def test_large_report_chart_shows_the_lowest_groups_and_the_rest_together(large):
    bars = large.chart.bars
    assert len(bars) == CHART_GROUPS == 20
    rows = {row.number: row for row in large.groups.rows}
    lowest = [rows[bar.label.split(".", 1)[0]] for bar in bars[:-1]]      # «181. Корпус на ул. Лесной (2)»
    assert [bar.value for bar in bars[:-1]] == pytest.approx([_share(r) for r in lowest])
    assert sorted(_share(r) for r in large.groups.rows)[:19] == pytest.approx([b.value for b in bars[:-1]])
    rest = [r for r in large.groups.rows if r not in lowest]
    done, members = sum(int(r.acknowledged) for r in rest), sum(int(r.members) for r in rest)
    assert bars[-1].value == pytest.approx(100 * done / members)
    assert bars[-1].label.startswith(f"Остальные {len(rest)} групп: от ")
    assert len({bar.label for bar in bars}) == len(bars)
    assert all(len(bar.label) <= 72 and not bar.label.startswith("ЦДТ") for bar in bars)
    assert large.chart_title == ("Рисунок 1 — Доля участников группы, ознакомленных со всеми обязательными актами: "
                                 f"19 групп с наименьшей долей (номер — по таблице раздела 1) и остальные {len(rest)} вместе")


def test_large_report_overdue_list_counts_by_group_and_keeps_the_exact_total(large):
    total = int(re.search(r"не ознакомлены в установленный срок: (\d+)\.", large.summary[0]).group(1))
    assert total > OVERDUE_LISTED
    assert large.overdue.columns == OVERDUE_GROUP_COLUMNS
    assert large.overdue.lead.startswith(f"Не ознакомлены в срок: {total}{NB}участник")
    late = [int(row.late.split(" из ")[0]) for row in large.overdue.rows]
    assert late == sorted(late, reverse=True) and sum(late) >= total
    first = large.overdue.rows[0]
    assert sum(int(n) for n in re.findall(rf"{NB}— (\d+)", first.acts)) >= late[0]


def test_sample_report_overdue_list_names_every_person(tmp_path):
    view = build_monthly_report(load(SAMPLE), "2026-11")
    assert view.overdue.columns == OVERDUE_COLUMNS
    assert len(view.overdue.rows) == 50
    assert view.overdue.lead == (
        f"Не ознакомлены в срок: 50{NB}участников (обучающиеся{NB}— 5, родители{NB}— 45), в 5 группах; больше всего — "
        "в группах «Робикс. Родители» (13), «Театральная студия «Маска». Родители» (12), «Звонница. Родители» (12). "
        "Акты названы по виду: Порядок — Порядок организации и работы групп в мобильных мессенджерах; "
        "Правила — Правила использования чата.")
    assert [(r.group, r.act) for r in view.overdue.rows[2:3]] == [("Звонница. Родители", f"Порядок; Правила, ред.{NB}2")]


def _finding(n: int, group: str, status: str, category: str = "тихие часы", clause: str = "5.1", **more) -> dict:
    return {"id": f"f-{n}", "group": group, "message": str(1000 + n), "date": D(2026, 11, 1 + n % 28),
            "time": "22:40", "sender": "pr-051", "category": category, "clause": clause,
            "excerpt": "Напоминаю, завтра не забудьте форму", "status": status, **more}


def test_many_chat_findings_list_confirmed_ones_and_count_the_others_per_group(tmp_path):
    findings = [_finding(n, "robiks-parents", "новое") for n in range(30)]
    findings += [_finding(n, "tourists-students", "новое", "личная тема", "5.2") for n in range(30, 50)]
    findings += [_finding(n, "tourists-students", "отклонено", note="сообщение педагога о занятии")
                 for n in range(50, 56)]
    findings += [_finding(56, "robiks-parents", "подтверждено", violation="v-2026-11-01")]
    assert len(findings) > CHATS_LISTED
    view = build_monthly_report(load(sample_with_findings(tmp_path, findings)), "2026-11")
    rows = [(r.number, r.date, r.group, r.clause, r.finding, r.decision, r.note) for r in view.chat_findings.rows]
    assert rows[0][:6] == ("1", "01.11.2026 22:40", "Робикс. Родители", f"п.{NB}5.1",
                           "тихие часы: Напоминаю, завтра не забудьте форму", "подтверждено")
    assert rows[1:] == [
        ("2", "01.11.2026 – 28.11.2026", "Робикс. Родители", f"п.{NB}5.1", f"30 замечаний: тихие часы{NB}— 30",
         "не рассмотрено", "—"),
        ("3", "23.11.2026 – 28.11.2026", "Юные туристы", f"п.{NB}5.1", f"6 замечаний: тихие часы{NB}— 6", "отклонено",
         "сообщение педагога о занятии (6)"),
        ("4", "03.11.2026 – 22.11.2026", "Юные туристы", f"п.{NB}5.2", f"20 замечаний: личная тема{NB}— 20",
         "не рассмотрено", "—"),
    ]
    assert view.chat_findings.lead.startswith(
        f"Найдено 57{NB}замечаний: тихие часы{NB}— 37, личная тема{NB}— 20. "
        f"Подтверждено{NB}— 1, отклонено{NB}— 6, не рассмотрено{NB}— 50. Подтверждённые замечания — каждое отдельно")
    assert "не рассмотрено замечаний по переписке: 50;" in view.clauses.rows[4].reason


@pytest.mark.parametrize("titles, expected", [
    (["ЦДТ. Студия керамики «Берёзка». Родители", "ЦДТ «Созвездие». Родители. Официальный канал"],
     ["Студия керамики «Берёзка». Родители", "Родители. Официальный канал"]),
    (["Клуб. Шахматы", "Клуб. Туризм"], ["Шахматы", "Туризм"]),        # a shared opening ending in a stop
    (["Клуб шахмат", "Клуб туризма"], ["Клуб шахмат", "Клуб туризма"]),
])
def test_group_labels_drop_the_institution_and_a_shared_opening(titles, expected):
    assert list(group_labels(titles, "МБУ ДО «ЦДТ «Созвездие»»").values()) == expected


def test_middle_cut_keeps_the_quoted_name_and_the_audience():
    title = "Студия декоративно-прикладного творчества «Лидер». Родители, 2-й год обучения и старше"
    assert middle_cut(title, 72) == "Студия… «Лидер». Родители, 2-й год обучения и старше"
    assert middle_cut("Юные туристы", 72) == "Юные туристы"

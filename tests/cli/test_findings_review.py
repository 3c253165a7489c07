"""`compliance findings [confirm|dismiss]` after an import: decisions land in the log, comments stay,
confirmed findings without a violation are possible concealment in `check` and in the report."""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from compliance.build import load
from compliance.cli import imports as imports_cli
from compliance.cli import review as review_cli
from compliance.views.monthly_report import build_monthly_report
from extract import squash, text_of
from cli_support import copy_sample, run

ROOT = Path(__file__).resolve().parents[2]
LOG = Path("records") / "log" / "2026-11.yaml"
TODAY = dt.date(2026, 11, 26)
PD = "f-tourists-students-202611-4-pd"
TOPIC = "f-tourists-students-202611-6-topic"
QUIET = "f-tourists-students-202611-5-quiet"
OLD = "f-tourists-students-202611-3-outdated"


def message(ident, when, sender, text):
    return {"id": ident, "type": "message", "date": when, "date_unixtime": "1793633500", "from": sender,
            "from_id": "user5120034871", "text": text, "text_entities": [{"type": "plain", "text": text}]}


EXPORT = {"name": "Юные туристы ДДТ", "type": "private_supergroup", "id": 1777000111, "messages": [
    message(3, "2026-11-02T10:05:00", "Лаптев Игорь", "Уважаемые участники! Сбор на пеший поход 21.11.2026 в 09:00 у входа в ДДТ."),
    message(4, "2026-11-03T17:20:00", "Бабушкин Егор", "Мой телефон +7 912 345-67-89, звоните если что"),
    message(5, "2026-11-05T22:40:00", "Турист 2011", "Кто идёт в поход?"),
    message(6, "2026-11-10T12:00:00", "Васильев Ярослав", "Продам велосипед, почти новый, недорого"),
    # the export is made after the hike: the announcement of 21.11 is out of date in it
    message(7, "2026-11-25T12:00:00", "Бабушкин Егор", "Спасибо за поход!"),
]}


@pytest.fixture
def records(tmp_path, monkeypatch):
    copy_sample(tmp_path, monkeypatch, today=TODAY, modules=(imports_cli, review_cli))
    export = tmp_path / "result.json"
    export.write_text(json.dumps(EXPORT, ensure_ascii=False, indent=1), encoding="utf-8")
    done = run("import", "telegram", str(export), "--group", "tourists-students")
    assert done.exit_code == 0, done.output
    return Path("records")


def changes(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#") or "  # " in line]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- listing

LISTING = """\
Замечания по переписке за ноябрь 2026 г.: 4 (новых — 4, подтверждено — 0, отклонено — 0).

Юные туристы ДДТ (tourists-students)
  f-tourists-students-202611-3-outdated
    02.11.2026 10:05, Лаптев И.В. (laptev-iv) — устаревшее объявление, п. 3 — новое
    «Уважаемые участники! Сбор на пеший поход 21.11.2026 в 09:00 у входа в ДДТ.»
  f-tourists-students-202611-4-pd
    03.11.2026 17:20, Бабушкин Е.С. (st-049) — персональные данные, п. 4 — новое
    «Мой телефон +7 9** ***-**-89, звоните если что»
  f-tourists-students-202611-5-quiet
    05.11.2026 22:40, отправитель не опознан — тихие часы, п. 5.1 — новое
    «Кто идёт в поход?»
  f-tourists-students-202611-6-topic
    10.11.2026 12:00, Васильев Я.Е. (st-050) — личная тема, п. 5.2 — новое
    «Продам велосипед, почти новый, недорого»

Подтвердить: compliance findings confirm ID --violation [--measure "…"]; отклонить: compliance findings dismiss ID --note "…".
"""


def test_findings_lists_the_month_by_group(records):
    result = run("findings")
    assert (result.exit_code, result.stdout) == (0, LISTING)


def test_findings_filters_by_status_and_group(records):
    assert run("findings", "confirm", PD, "--violation").exit_code == 0
    confirmed = run("findings", "--status", "подтверждено", "--group", "tourists-students")
    assert confirmed.stdout.splitlines()[0] == ("Замечания по переписке за ноябрь 2026 г., группа tourists-students, "
                                                "решение «подтверждено»: 1 (новых — 0, подтверждено — 1, отклонено — 0).")
    assert "    03.11.2026 17:20, Бабушкин Е.С. (st-049) — персональные данные, п. 4 — подтверждено, в журнале нарушений: " \
           "v-2026-11-04" in confirmed.stdout
    nothing = run("findings", "--group", "maska-parents")
    assert nothing.stdout == "Замечаний по переписке за ноябрь 2026 г., группа maska-parents нет.\n"


# ---------------------------------------------------------------- confirm

def test_confirm_with_violation_registers_it_and_keeps_comments(records):
    before = LOG.read_text(encoding="utf-8")
    result = run("findings", "confirm", PD, "--violation", "--measure", "сообщение удалено, участнику разъяснены требования п. 4")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Замечание {PD} подтверждено (было: новое).\n"
        f"Внесено нарушение v-2026-11-04 (п. 4) в records/log/2026-11.yaml: В переписке опубликованы персональные данные "
        "(сообщение от 03.11.2026 17:20).\n")
    after = LOG.read_text(encoding="utf-8")
    assert changes(before, after) == [
        "+  - id: v-2026-11-04",
        "+    date: 2026-11-03",
        "+    group: tourists-students",
        '+    clause: "4"',
        '+    description: "В переписке опубликованы персональные данные (сообщение от 03.11.2026 17:20)"',
        "+    person: st-049  # Бабушкин Е.С.",
        '+    measure: "сообщение удалено, участнику разъяснены требования п. 4"',
        "+    measure_date: 2026-11-26",
        "+    resolved: false",
        "-    status: новое",
        "+    status: подтверждено",
        "+    violation: v-2026-11-04"]
    assert [c for c in comments(after) if c not in comments(before)] == ["    person: st-049  # Бабушкин Е.С."]
    assert len(comments(after)) == len(comments(before)) + 1
    check = run("check", "--month", "2026-11")
    assert "P4-CONCEALMENT" not in check.stdout


def test_confirm_without_violation_is_possible_concealment_in_check_and_report(records):
    result = run("findings", "confirm", TOPIC, "--note", "объявление о продаже в группе объединения")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Замечание {TOPIC} подтверждено (было: новое).\n"
        "Внимание: нарушение не внесено в журнал нарушений — в отчёте оно будет показано как возможное утаивание (п. 4). "
        f'Внести: compliance findings confirm {TOPIC} --violation --measure "…".\n')
    assert run("findings", "confirm", PD, "--violation").exit_code == 0
    check = run("check", "--month", "2026-11")
    assert check.exit_code == 1
    concealed = [line for line in check.stdout.splitlines() if "P4-CONCEALMENT" in line]
    assert concealed == [
        f"  [нарушение] P4-CONCEALMENT: замечание {TOPIC} по переписке (личная тема, п. 5.2) от 10.11.2026 12:00, "
        "группа «Юные туристы ДДТ» подтверждено, но не внесено в раздел нарушений — возможное утаивание нарушения"]
    report = build_monthly_report(load(records), "2026-11")
    assert [(row.finding, row.admin) for row in report.concealment.rows] == [
        ("личная тема: Продам велосипед, почти новый, недорого", "Лаптев\u00a0И.В.")]
    decisions = {row.finding: (row.decision, row.note) for row in report.chat_findings.rows}
    assert decisions["личная тема: Продам велосипед, почти новый, недорого"] == (
        "подтверждено", "объявление о продаже в группе объединения")
    assert decisions["персональные данные: Мой телефон +7 9** ***-**-89, звоните если что"] == (
        "подтверждено", "внесено в журнал нарушений (03.11.2026): мера не принята")
    built = run("build", "--out", "out", "--format", "pdf")
    assert built.exit_code == 0, built.output
    text = squash(text_of(Path("out") / "Отчёт_2026-11.pdf"))
    section = text[text.index(squash("6. Возможное утаивание нарушений")):]
    assert squash("личная тема: Продам велосипед, почти новый, недорого") in section
    assert squash("Мой телефон") not in section


def test_confirm_with_an_existing_violation_of_the_group_links_it(records):
    assert run("findings", "confirm", PD, "--violation").exit_code == 0
    result = run("findings", "confirm", TOPIC, "--violation", "v-2026-11-04")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Замечание {TOPIC} подтверждено (было: новое).\n"
    assert [f.violation for f in load(records).logs_by_month["2026-11"].findings if f.id == TOPIC] == ["v-2026-11-04"]


# ---------------------------------------------------------------- dismiss

def test_dismiss_changes_status_and_note_only(records):
    before = LOG.read_text(encoding="utf-8")
    result = run("findings", "dismiss", QUIET, "--note", "срочное сообщение о сборе")
    assert (result.exit_code, result.stdout) == (0, f"Замечание {QUIET} отклонено (было: новое).\n")
    assert changes(before, LOG.read_text(encoding="utf-8")) == [
        "-    status: новое", "+    status: отклонено", "+    note: срочное сообщение о сборе"]


def test_dismiss_outdated_with_deleted_logs_the_deletion(records):
    before = LOG.read_text(encoding="utf-8")
    result = run("findings", "dismiss", OLD, "--deleted", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"Замечание {OLD} отклонено (было: новое).\n"
                             "Удаление записано в records/log/2026-11.yaml (раздел deletions).\n")
    assert changes(before, LOG.read_text(encoding="utf-8")) == [
        "+  - date: 2026-11-23",
        "+    group: tourists-students",
        "+    by: laptev-iv",
        f'+    what: "Устаревшее объявление от 02.11.2026 10:05 (сообщение 3, замечание {OLD})"',
        "+    reason: потеряла актуальность",
        "-    status: новое",
        "+    status: отклонено",
        "+    note: объявление удалено 23.11.2026"]


def test_the_same_decision_again_changes_nothing(records):
    assert run("findings", "dismiss", QUIET, "--note", "срочное").exit_code == 0
    state = digest(LOG)
    result = run("findings", "dismiss", QUIET, "--note", "срочное")
    assert (result.exit_code, result.stdout) == (0, f"Замечание {QUIET} уже отклонено; ничего не изменено.\n")
    assert digest(LOG) == state


@pytest.mark.parametrize(("args", "message"), [
    (["dismiss", QUIET], f"Не указано, почему замечание {QUIET} отклоняется.\n"
                         '  Как исправить: добавьте --note "…", например --note "номер телефона школы, не личные данные".'),
    (["confirm", OLD], f"Замечание {OLD} — устаревшее объявление (п. 3): такое объявление не вносят в журнал нарушений, "
                       f"а удаляют.\n  Как исправить: удалите объявление в чате и запишите удаление: compliance findings "
                       f"dismiss {OLD} --deleted ГГГГ-ММ-ДД; если объявление ещё актуально — compliance findings dismiss "
                       f'{OLD} --note "…".'),
    (["dismiss", PD, "--deleted", "2026-11-20"],
     f"--deleted — только для устаревших объявлений, а замечание {PD} — «персональные данные».\n"
     "  Как исправить: если сообщение удалено как мера по нарушению, подтвердите замечание: compliance findings confirm "
     f'{PD} --violation --measure "сообщение удалено".'),
    (["dismiss", OLD, "--deleted", "2026-11-30"],
     "Дата удаления 30.11.2026 раньше сообщения (02.11.2026) или позже сегодняшней (26.11.2026).\n"
     "  Как исправить: укажите в --deleted день, когда объявление удалено."),
    (["confirm", PD, "--violation", "v-2026-11-01"],
     f"Нарушение v-2026-11-01 записано по группе robiks-parents, а замечание {PD} — по группе tourists-students.\n"
     "  Как исправить: укажите нарушение этой группы или --violation без id, чтобы внести новое."),
    (["confirm", PD, "--violation", "v-2099-01-01"],
     "Нарушения «v-2099-01-01» нет в разделах violations журналов.\n"
     "  Как исправить: укажите id записанного нарушения или --violation без id, чтобы внести новое."),
    (["confirm", PD, "--measure", "удалено"],
     "--measure записывается в новое нарушение, а --violation не указан.\n"
     "  Как исправить: добавьте --violation или запишите меру в разделе violations."),
    (["confirm", "f-tourists-students-202611-4-p"],
     "Замечания «f-tourists-students-202611-4-p» нет в журналах (records/log/).\n"
     "  Как исправить: укажите id замечания (похожие: f-tourists-students-202611-4-pd, "
     "f-tourists-students-202611-6-topic, f-tourists-students-202611-5-quiet)."),
])
def test_review_mistakes_exit_2_and_change_nothing(records, args, message):
    state = digest(LOG)
    result = run("findings", *args)
    assert (result.exit_code, result.stderr) == (2, message + "\n")
    assert digest(LOG) == state


def test_changing_a_decision_needs_a_note(records):
    assert run("findings", "confirm", PD, "--violation").exit_code == 0
    refused = run("findings", "dismiss", PD, "--note", "ошибка")
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"Замечание {PD} уже внесено в журнал нарушений (v-2026-11-04); отклонить его нельзя.")
    assert run("findings", "dismiss", QUIET, "--note", "срочное").exit_code == 0
    again = run("findings", "confirm", QUIET)
    assert (again.exit_code, again.stderr) == (2, f"Замечание {QUIET} уже отклонено; решение меняется без пояснения.\n"
                                                  '  Как исправить: добавьте --note "…": почему решение изменено.\n')


def test_records_given_to_the_group_are_the_ones_reviewed(records):
    shutil.copytree(records, "other")
    state = digest(LOG)
    result = run("findings", "--records", "other", "dismiss", QUIET, "--note", "срочное")
    assert (result.exit_code, result.stdout) == (0, f"Замечание {QUIET} отклонено (было: новое).\n")
    assert digest(LOG) == state
    assert "    note: срочное\n" in (Path("other") / "log" / "2026-11.yaml").read_text(encoding="utf-8")


# ---------------------------------------------------------------- many findings

def test_findings_listing_of_many_shows_counts_per_group_and_kind(records, monkeypatch):
    monkeypatch.setattr(review_cli, "DETAILED", 3)
    assert run("findings", "dismiss", QUIET, "--note", "срочное").exit_code == 0
    result = run("findings")
    assert (result.exit_code, result.stdout) == (0, """\
Замечания по переписке за ноябрь 2026 г.: 4 (новых — 3, подтверждено — 0, отклонено — 1).

Замечаний больше 3: ниже — сколько по группам и видам (нерассмотренных / всего); подробно — с --group, --category, --sender или --all.

Юные туристы ДДТ (tourists-students): персональные данные — 1/1; личная тема — 1/1; тихие часы — 0/1; устаревшее объявление — 1/1
  больше всего нерассмотренных: Лаптев И.В. (laptev-iv) — 1; Бабушкин Е.С. (st-049) — 1; Васильев Я.Е. (st-050) — 1

Рассмотреть сразу несколько: compliance findings dismiss --group ГРУППА --category ВИД --note "…" (или confirm … --violation); выбираются только нерассмотренные.
""")
    detailed = run("findings", "--category", "quiet")
    assert detailed.stdout.splitlines()[0] == ("Замечания по переписке за ноябрь 2026 г., тихие часы: 1 "
                                               "(новых — 0, подтверждено — 0, отклонено — 1).")
    assert "    Пояснение: срочное" in detailed.stdout
    assert run("findings", "--all").stdout.count("\n  f-tourists-students-202611-") == 4


def test_dismiss_by_selection_decides_only_undecided_ones_in_one_write(records):
    assert run("findings", "confirm", PD, "--violation").exit_code == 0
    before = LOG.read_text(encoding="utf-8")
    result = run("findings", "dismiss", "--group", "tourists-students", "--category", "личная тема",
                 "--note", "объявление родительского комитета")
    assert (result.exit_code, result.stdout) == (0, "Замечаний отклонено: 1 из 1 (за 2026-11, группа tourists-students, "
                                                    "личная тема).\n")
    assert changes(before, LOG.read_text(encoding="utf-8")) == [
        "-    status: новое", "+    status: отклонено", "+    note: объявление родительского комитета"]
    none = run("findings", "dismiss", "--sender", "st-049", "--note", "—")
    assert (none.exit_code, none.stdout) == (0, "Нерассмотренных замечаний (за 2026-11, отправитель st-049) нет; "
                                                "ничего не изменено.\n")


def test_confirm_several_ids_registers_a_violation_for_each(records):
    result = run("findings", "confirm", PD, TOPIC, "--violation", "--measure", "сообщения удалены")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("Замечаний подтверждено: 2 из 2.\n"
                             "Внесено нарушений: 2 (v-2026-11-04 … v-2026-11-05) в records/log/2026-11.yaml.\n")
    found = {f.id: f.violation for f in load(records).logs_by_month["2026-11"].findings}
    assert (found[PD], found[TOPIC]) == ("v-2026-11-04", "v-2026-11-05")


@pytest.mark.parametrize(("args", "message"), [
    (["dismiss", "--note", "x"], "Не указано, какие замечания рассмотреть.\n  Как исправить: укажите id замечания "
                                 "(список — compliance findings) или выбор: --group, --category, --sender."),
    (["dismiss", QUIET, "--group", "tourists-students", "--note", "x"],
     "Указаны и id замечаний, и выбор (--month, --group, --category, --sender).\n"
     "  Как исправить: укажите что-то одно: id замечаний или выбор."),
    (["dismiss", "--sender", "st-0499", "--note", "x"],
     "Человека «st-0499» нет в people.yaml.\n  Как исправить: укажите в --sender id из people.yaml (возможно, вы "
     "имели в виду: st-049, st-059, st-054) или «неизвестный»."),
    (["confirm", "--group", "tourists-students"],
     f"Замечание {OLD} — устаревшее объявление (п. 3): такое объявление не вносят в журнал нарушений, "
     f"а удаляют.\n  Как исправить: удалите объявление в чате и запишите удаление: compliance findings "
     f"dismiss {OLD} --deleted ГГГГ-ММ-ДД; если объявление ещё актуально — compliance findings dismiss "
     f'{OLD} --note "…".'),
])
def test_review_selection_mistakes_exit_2_and_change_nothing(records, args, message):
    state = digest(LOG)
    result = run("findings", *args)
    assert (result.exit_code, result.stderr) == (2, message + "\n")
    assert digest(LOG) == state


def test_review_category_must_be_known(records):
    result = run("findings", "dismiss", "--category", "спам", "--note", "x")
    assert result.exit_code == 2
    assert "«спам» — такого вида замечаний нет; есть: «персональные данные» (pd)" in result.output

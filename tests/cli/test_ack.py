"""`compliance ack status|sheet|record|remind` end to end on a copy of the sample records."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from compliance.build import load
from compliance.cli import ack as ack_cli
from compliance.cli import order as order_cli
from cli_support import added_lines, copy_sample, fingerprint, run

ROOT = Path(__file__).resolve().parents[2]
ACKS = Path("records") / "acknowledgements.yaml"
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def records(tmp_path, monkeypatch):
    return copy_sample(tmp_path, monkeypatch, today=TODAY, modules=(ack_cli, order_cli))


def comments(text: str) -> list[str]:
    return [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]


def fill(path: Path, date) -> None:
    """Type `date` into «Дата ознакомления» of every row with a name, as an administrator would."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = next(row for row in ws.iter_rows() if row[3].value == "Дата ознакомления")
    for row in ws.iter_rows(min_row=header[0].row + 1):
        if str(row[0].value or "").isdigit() and row[1].value:
            row[3].value = date
    wb.save(path)


# ---------------------------------------------------------------- status

MASKA_STATUS = """\
Ознакомление с актами на 26.11.2026

ДДТ. Театральная студия «Маска». Родители (maska-parents), администратор Ковалёв А.П.
  Должны ознакомиться: 21, не ознакомлены: 12, из них просрочено: 12.
  Порядок организации и работы групп в мобильных мессенджерах:
    Григорьев В.А. (pr-029)   срок 25.09.2026, просрочено
    Фомин В.Н. (pr-045)       срок 25.09.2026, просрочено
  Правила использования чата, редакция 2:
    Богданов А.В. (pr-026)    срок 05.11.2026, просрочено
    Григорьев В.А. (pr-029)   срок 05.11.2026, просрочено
    Григорьева Н.П. (pr-028)  срок 05.11.2026, просрочено
    Ефимов С.И. (pr-031)      срок 05.11.2026, просрочено
    Кравчук О.И. (pr-033)     срок 05.11.2026, просрочено
    Лебедев К.С. (pr-035)     срок 05.11.2026, просрочено
    Лебедева Е.А. (pr-034)    срок 05.11.2026, просрочено
    Михайлов Д.В. (pr-037)    срок 05.11.2026, просрочено
    Михайлова К.О. (pr-036)   срок 05.11.2026, просрочено
    Никифорова М.А. (pr-038)  срок 05.11.2026, просрочено
    Рябова Ю.С. (pr-040)      срок 05.11.2026, просрочено
    Фомин В.Н. (pr-045)       срок 05.11.2026, просрочено

Итого: не ознакомлены — 12, из них просрочено — 12; групп, где ознакомлены не все, — 1 из 1.
Лист для группы: compliance ack sheet ГРУППА; записать подпись: compliance ack record ID АКТ --date ГГГГ-ММ-ДД.
"""


def test_ack_status_maska_parents_lists_who_still_must_sign(records):
    result = run("ack", "status", "--group", "maska-parents")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == MASKA_STATUS


def test_ack_status_before_the_deadline_marks_nothing_overdue_and_names_the_parent_who_signs(records):
    result = run("ack", "status", "--group", "tourists-students", "--on", "2026-11-01")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[2:6] == [
        "Юные туристы ДДТ (tourists-students), администратор Лаптев И.В.",
        "  Должны ознакомиться: 12, не ознакомлены: 7, из них просрочено: 1.",
        "  Порядок организации и работы групп в мобильных мессенджерах:",
        "    Пестов Г.В. (st-059)     срок 25.09.2026, просрочено",
    ]
    assert "    Васильев Я.Е. (st-050)   срок 05.11.2026; за него расписывается родитель" in result.stdout.splitlines()


def test_ack_status_all_groups_exits_0_with_totals(records):
    result = run("ack", "status")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "  Все ознакомлены (7 человек)." in lines
    assert lines[-2] == "Итого: не ознакомлены — 50, из них просрочено — 50; групп, где ознакомлены не все, — 5 из 6."


def test_ack_status_unknown_group_exits_2(records):
    result = run("ack", "status", "--group", "maska-parent")
    assert result.exit_code == 2
    assert result.stderr == ("Группы «maska-parent» нет в groups.yaml.\n"
                             "  Как исправить: укажите id группы (возможно, вы имели в виду: maska-parents).\n")


# ---------------------------------------------------------------- record one

def test_ack_record_adds_exactly_one_commented_line_after_its_sheet(records):
    before = ACKS.read_text(encoding="utf-8")
    result = run("ack", "record", "pr-011", "poryadok", "--date", "2026-11-24", "--sheet", "ЛО-1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("Записано: Дьяченко М.А. (pr-011) ознакомлена с Порядком организации и работы групп "
                             "в мобильных мессенджерах 24.11.2026, лист ЛО-1 — records/acknowledgements.yaml, строка 32.\n")
    after = ACKS.read_text(encoding="utf-8")
    new = ('  - {person: pr-011, act: poryadok, version: 1, date: 2026-11-24, method: бумажный лист, sheet: "ЛО-1"}'
           '  # Дьяченко М.А.')
    assert added_lines(before, after) == [new]
    lines = after.splitlines()
    assert lines[30:33] == [before.splitlines()[30], new, "  # Лист ЛО-2: ДДТ. Театральная студия «Маска». Родители"]
    assert comments(after) == comments(before)[:29] + [" Дьяченко М.А."] + comments(before)[29:]
    assert load(records).acknowledgement("pr-011", "poryadok", 1).sheet == "ЛО-1"


def test_ack_record_electronic_goes_after_the_last_electronic_line_of_that_version(records):
    before = ACKS.read_text(encoding="utf-8")
    result = run("ack", "record", "pr-040", "chat-rules", "--date", "2026-11-25", "--electronic")
    assert result.exit_code == 0, result.stderr
    after = ACKS.read_text(encoding="utf-8")
    new = "  - {person: pr-040, act: chat-rules, version: 2, date: 2026-11-25, method: электронно}  # Рябова Ю.С."
    assert added_lines(before, after) == [new]
    assert after.splitlines()[-2:] == [before.splitlines()[-1], new]


def test_ack_record_young_student_with_the_parent_who_signed(records):
    result = run("ack", "record", "st-050", "chat-rules", "--date", "2026-11-25", "--sheet", "ЛО-11",
                 "--signed-by", "pr-049")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Записано: Васильев Я.Е. (st-050) ознакомлен с Правилами использования чата "
                                    "(редакция 2) 25.11.2026, лист ЛО-11, за него расписался родитель "
                                    "Васильева М.О. (pr-049) — records/acknowledgements.yaml, строка ")
    assert ('  - {person: st-050, act: chat-rules, version: 2, date: 2026-11-25, method: бумажный лист, sheet: "ЛО-11", '
            'signed_by: pr-049}  # Васильев Я.Е.') in ACKS.read_text(encoding="utf-8").splitlines()


def test_ack_record_dry_run_writes_nothing(records):
    before = fingerprint(records)
    result = run("ack", "record", "pr-011", "poryadok", "--date", "2026-11-24", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("Будет записано: Дьяченко М.А. (pr-011) ознакомлена с Порядком организации и работы групп "
                             "в мобильных мессенджерах 24.11.2026, на бумажном листе.\n"
                             "Проверка без записи (--dry-run): файлы не изменены.\n")
    assert fingerprint(records) == before


REFUSALS = {
    "duplicate": (("pr-040", "poryadok", "--date", "2026-11-20"),
                  "Ознакомление уже записано: Рябова Ю.С. (pr-040) ознакомлена с Порядком организации и работы групп "
                  "в мобильных мессенджерах 15.09.2026, лист ЛО-2 — records/acknowledgements.yaml, строка 37.\n"
                  "  Как исправить: второй раз записывать не нужно; прежняя запись не меняется. Если в ней ошибка, "
                  "исправьте её в файле.\n"),
    "outsider": (("st-001", "chat-rules", "--date", "2026-11-20"),
                 "Аксёнова П.И. (st-001) не входит ни в одну группу, участники которой знакомятся с Правилами "
                 "использования чата.\n"
                 "  Как исправить: проверьте id человека и акта; новому участнику сначала добавьте его в members "
                 "группы в groups.yaml.\n"),
    "before the order": (("pr-026", "chat-rules", "--date", "2026-10-01"),
                         "Дата ознакомления 01.10.2026 раньше приказа № 71-од от 15.10.2026, которым утверждена "
                         "редакция 2 акта «Правила использования чата».\n"
                         "  Как исправить: проверьте дату по листу ознакомления.\n"),
    "future": (("pr-026", "chat-rules", "--date", "01.12.2026"),
               "Дата ознакомления 01.12.2026 ещё не наступила (сегодня 26.11.2026).\n"
               "  Как исправить: записывайте ознакомление после того, как человек расписался; проверьте день, "
               "месяц и год.\n"),
    "unknown person": (("pr-11", "chat-rules", "--date", "2026-11-20"),
                       "Человека «pr-11» нет в people.yaml.\n  Как исправить: укажите id из people.yaml "
                       "(возможно, вы имели в виду: pr-011).\n"),
    "unknown act": (("pr-026", "chat-rule", "--date", "2026-11-20"),
                    "Акта «chat-rule» нет в records/acts/.\n"
                    "  Как исправить: укажите id акта (возможно, вы имели в виду: chat-rules).\n"),
    "unknown version": (("pr-026", "chat-rules:3", "--date", "2026-11-20"),
                        "У акта «chat-rules» нет редакции 3 (есть: 1, 2).\n  Как исправить: укажите номер "
                        "существующей редакции или только id акта — будет взята действующая редакция.\n"),
    "young without parent": (("st-050", "chat-rules", "--date", "2026-11-20"),
                             "Васильев Я.Е. (st-050) младше 14 лет: за него расписывается родитель "
                             "(законный представитель).\n"
                             "  Как исправить: укажите в --signed-by id расписавшегося родителя: "
                             "Васильева М.О. (pr-049) или Васильев Е.П. (pr-050).\n"),
    "not the parent": (("st-050", "chat-rules", "--date", "2026-11-20", "--signed-by", "pr-001"),
                       "Аксёнова Н.С. (pr-001) не записана в people.yaml родителем обучающегося Васильева Я.Е. "
                       "(st-050).\n"
                       "  Как исправить: укажите в --signed-by id расписавшегося родителя: "
                       "Васильева М.О. (pr-049) или Васильев Е.П. (pr-050).\n"),
    "adult with parent": (("pr-026", "chat-rules", "--date", "2026-11-20", "--signed-by", "pr-049"),
                          "Богданов А.В. (pr-026) расписывается сам: подпись родителя (--signed-by) нужна только "
                          "за обучающегося младше 14 лет.\n  Как исправить: уберите --signed-by.\n"),
    "sheet and electronic": (("pr-026", "chat-rules", "--date", "2026-11-20", "--sheet", "ЛО-8", "--electronic"),
                             "Указаны и --sheet, и --electronic.\n  Как исправить: --sheet — для подписи на бумажном "
                             "листе, --electronic — для электронного ознакомления; оставьте одно.\n"),
    "no date": (("pr-026", "chat-rules"),
                "Не указана дата ознакомления.\n  Как исправить: добавьте --date ГГГГ-ММ-ДД (дата подписи).\n"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_ack_record_refuses_with_exact_message_and_writes_nothing(records, case):
    args, message = REFUSALS[case]
    before = fingerprint(records)
    result = run("ack", "record", *args)
    assert result.exit_code == 2
    assert result.stderr == message
    assert result.stdout == ""
    assert fingerprint(records) == before


def test_ack_record_reports_every_problem_at_once(records):
    result = run("ack", "record", "st-001", "chat-rules", "--date", "2026-12-01")
    assert result.exit_code == 2
    assert [line for line in result.stderr.splitlines() if not line.startswith("  ")] == [
        "Аксёнова П.И. (st-001) не входит ни в одну группу, участники которой знакомятся с Правилами использования чата.",
        "Дата ознакомления 01.12.2026 ещё не наступила (сегодня 26.11.2026).",
    ]


# ---------------------------------------------------------------- sheet and record --from-sheet

def test_ack_sheet_for_a_group_with_everyone_signed_writes_nothing(records):
    result = run("ack", "sheet", "staff-methodical")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("В группе «ДДТ. Методическое объединение педагогов» все ознакомлены с действующими "
                             "редакциями актов: лист не нужен.\n")
    assert not Path("out").exists()


def test_ack_sheet_act_the_group_does_not_need_exits_2(records):
    result = run("ack", "sheet", "maska-parents", "--act", "chat")
    assert result.exit_code == 2
    assert result.stderr == ("Участники группы «maska-parents» не знакомятся с актом «chat».\n"
                             "  Как исправить: укажите в --act один из актов группы (есть: poryadok, chat-rules) "
                             "или не указывайте --act.\n")


def test_ack_record_from_sheet_skips_undated_rows_and_refuses_unknown_names(records):
    run("ack", "sheet", "maska-parents", "--act", "chat-rules", "--format", "xlsx", "--out", "листы")
    path = Path("листы") / "Лист_ознакомления_maska-parents_chat-rules-2.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["D14"] = dt.datetime(2026, 11, 24)        # an Excel date
    ws["D15"] = "24.11.2026"                     # typed as text
    ws["E16"] = "+"                              # a signature marked, no date: needs --date
    ws["B26"], ws["D26"] = "Иванов Иван Иванович", "25.11.2026"
    wb.save(path)
    before = fingerprint(records)

    refused = run("ack", "record", "--from-sheet", str(path))
    assert refused.exit_code == 2
    assert refused.stderr == (
        "Строка 26 листа (Иванов Иван Иванович): такого человека нет среди участников группы "
        "«ДДТ. Театральная студия «Маска». Родители».\n"
        "  Как исправить: проверьте, что ФИО написано полностью и без ошибок (Фамилия Имя Отчество); новому "
        "участнику добавьте его в people.yaml и в members группы maska-parents в groups.yaml.\n"
        "Ошибок в листе: 1. Ничего не записано; исправьте лист и повторите команду.\n")
    assert fingerprint(records) == before

    ws["B26"], ws["D26"] = None, None
    wb.save(path)
    result = run("ack", "record", "--from-sheet", str(path), "--date", "2026-11-25")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        f"Лист {path}: группа «ДДТ. Театральная студия «Маска». Родители» (maska-parents), Правила использования "
        "чата, редакция 2 (приказ № 71-од от 15.10.2026)",
        "Записано ознакомлений — 3 (лист ЛО-13):",
        "  строка 14: Богданов А.В. (pr-026) — 24.11.2026",
        "  строка 15: Григорьев В.А. (pr-029) — 24.11.2026",
        "  строка 16: Григорьева Н.П. (pr-028) — 25.11.2026",
    ]
    assert lines[5:7] == ["Пропущено строк — 9:", "  строка 17: Ефимов Станислав Игоревич — нет даты ознакомления"]
    assert lines[-1] == ("records/acknowledgements.yaml: добавлено строк — 3. Впишите номер ЛО-13 на бумажный лист "
                         "и сохраните лист; если дозаполните его позже, загружайте с --sheet ЛО-13.")

    again = run("ack", "record", "--from-sheet", str(path))
    assert again.exit_code == 0, again.stderr
    assert again.stdout.splitlines()[1:4] == [
        "Пропущено строк — 12:",
        "  строка 14: Богданов Артём Викторович — уже записано: 24.11.2026, records/acknowledgements.yaml, строка 252",
        "  строка 15: Григорьев Вадим Алексеевич — уже записано: 24.11.2026, records/acknowledgements.yaml, строка 253",
    ]
    assert again.stdout.splitlines()[4] == ("  строка 16: Григорьева Надежда Павловна — уже записано: 25.11.2026, "
                                            "records/acknowledgements.yaml, строка 254")
    assert again.stdout.splitlines()[-1] == "Записывать нечего: в листе нет новых строк с датой ознакомления."


def test_ack_record_from_sheet_with_person_arguments_exits_2(records):
    result = run("ack", "record", "pr-026", "--from-sheet", "лист.xlsx")
    assert result.exit_code == 2
    assert result.stderr.startswith("С --from-sheet не указывают ЧЕЛОВЕКА, АКТ, --electronic и --signed-by")


def test_ack_record_from_a_file_that_is_not_a_sheet_exits_2(records):
    Path("лист.xlsx").write_bytes(b"not a zip")
    result = run("ack", "record", "--from-sheet", "лист.xlsx")
    assert result.exit_code == 2
    assert result.stderr.startswith("лист.xlsx: файл не читается как XLSX (")


def test_ack_workflow_new_version_sheet_record_clears_the_group(records):
    """The issue's workflow: a new edition of the chat rules makes everyone pending again; the sheets are
    printed, filled in and read back; the group is clear and `check` has nothing about it."""
    before = ACKS.read_text(encoding="utf-8")
    assert run("order", "new", "--approve", "chat-rules", "--date", "2026-11-20").exit_code == 0
    assert run("order", "sign", "72-од", "--date", "2026-11-20").exit_code == 0

    status = run("ack", "status", "--group", "maska-parents")
    assert "  Должны ознакомиться: 21, не ознакомлены: 21, из них просрочено: 2." in status.stdout
    assert "  Правила использования чата, редакция 3:" in status.stdout
    assert "    Жуков О.В. (pr-032)       срок 04.12.2026" in status.stdout   # signed edition 2: pending again

    sheets = run("ack", "sheet", "maska-parents", "--format", "xlsx")
    assert sheets.exit_code == 0, sheets.stderr
    assert sheets.stdout.splitlines()[:5] == [
        "Лист ознакомления группы maska-parents: Порядок организации и работы групп в мобильных мессенджерах — 2 человека",
        "Лист ознакомления группы maska-parents: Правила использования чата, редакция 3 — 21 человек",
        "  out/Лист_ознакомления_maska-parents_poryadok-1.xlsx",
        "  out/Лист_ознакомления_maska-parents_chat-rules-3.xlsx",
        "Записано файлов — 2 в папку out.",
    ]
    for name in ("chat-rules-3", "poryadok-1"):
        path = Path("out") / f"Лист_ознакомления_maska-parents_{name}.xlsx"
        fill(path, dt.date(2026, 11, 24))
        recorded = run("ack", "record", "--from-sheet", str(path))
        assert recorded.exit_code == 0, recorded.stderr

    status = run("ack", "status", "--group", "maska-parents")
    assert status.stdout.splitlines()[2:4] == [
        "ДДТ. Театральная студия «Маска». Родители (maska-parents), администратор Ковалёв А.П.",
        "  Все ознакомлены (21 человек).",
    ]
    after = ACKS.read_text(encoding="utf-8")
    added = added_lines(before, after)          # nothing removed or changed: old sign-offs stay
    assert len([line for line in added if line.startswith("  - ")]) == 23
    assert added[:3] == ["  # Лист ЛО-14: ДДТ. Театральная студия «Маска». Родители",
                         '  - {person: pr-029, act: poryadok, version: 1, date: 2026-11-24, method: бумажный лист, '
                         'sheet: "ЛО-14"}  # Григорьев В.А.',
                         '  - {person: pr-045, act: poryadok, version: 1, date: 2026-11-24, method: бумажный лист, '
                         'sheet: "ЛО-14"}  # Фомин В.Н.']
    assert added[3:6] == ["", "  # ---- Правила использования чата, редакция 3 (приказ № 72-од)",
                          "  # Лист ЛО-13: ДДТ. Театральная студия «Маска». Родители"]
    assert set(comments(before)) <= set(comments(after))

    check = run("check", "--format", "json", "--on", "2026-11-26")
    findings = json.loads(check.stdout)["findings"]
    assert [f for f in findings if f["clause"] == "2.3" and f.get("group") == "maska-parents"
            and f.get("record") == "acts/chat-rules.yaml"] == []


# ---------------------------------------------------------------- remind

def test_ack_remind_prints_one_list_per_administrator(records):
    result = run("ack", "remind")
    assert result.exit_code == 0, result.stderr
    blocks = result.stdout.split("\n\n")
    assert blocks[0] == ("Кому напомнить об ознакомлении на 26.11.2026.\n"
                         "Напоминайте лично (в личном сообщении или при встрече); не публикуйте список в группе: "
                         "это персональные данные.")
    assert [block.splitlines()[0] for block in blocks[1:]] == [
        "Белова Светлана Юрьевна (belova-sy), педагог дополнительного образования — кому напомнить: 10 человек",
        "Ковалёв Андрей Петрович (kovalev-ap), педагог дополнительного образования — кому напомнить: 12 человек",
        "Никитин Денис Сергеевич (nikitin-ds), педагог дополнительного образования — кому напомнить: 13 человек",
        "Гришина Ольга Владимировна (grishina-ov), педагог дополнительного образования — кому напомнить: 12 человек",
        "Лаптев Игорь Валерьевич (laptev-iv), педагог дополнительного образования — кому напомнить: 5 человек",
    ]
    assert blocks[5].splitlines()[6:9] == [
        "  3. Васильев Я.Е. (st-050) — группа «Юные туристы ДДТ»",
        "     Правила использования чата, редакция 2 — срок 05.11.2026, просрочено",
        "     за него расписывается родитель: Васильева М.О. (pr-049) или Васильев Е.П. (pr-050)",
    ]


def test_ack_remind_out_writes_one_file_per_administrator(records):
    result = run("ack", "remind", "--out", "напоминания")
    assert result.exit_code == 0, result.stderr
    files = sorted(p.name for p in Path("напоминания").iterdir())
    assert files == [f"Напоминания_{admin}.txt" for admin in
                     ("belova-sy", "grishina-ov", "kovalev-ap", "laptev-iv", "nikitin-ds")]
    text = (Path("напоминания") / "Напоминания_kovalev-ap.txt").read_text(encoding="utf-8")
    assert text.splitlines()[3:6] == [
        "Ковалёв Андрей Петрович (kovalev-ap), педагог дополнительного образования — кому напомнить: 12 человек",
        "  1. Григорьев В.А. (pr-029) — группа «ДДТ. Театральная студия «Маска». Родители»",
        "     Порядок организации и работы групп в мобильных мессенджерах — срок 25.09.2026, просрочено",
    ]
    assert "belova-sy" not in text and "Дьяченко" not in text   # another administrator's people stay in his file
    assert result.stdout.splitlines()[-1] == "Записано файлов — 5 в папку напоминания: по одному на администратора."


def test_ack_remind_out_removes_the_list_of_an_administrator_with_nobody_left(records):
    run("ack", "remind", "--out", "напоминания")
    for pid in ("st-049", "st-058", "st-059", "st-060"):
        assert run("ack", "record", pid, "chat-rules", "--date", "2026-11-25", "--sheet", "ЛО-11").exit_code == 0
    assert run("ack", "record", "st-059", "poryadok", "--date", "2026-11-25", "--sheet", "ЛО-5").exit_code == 0
    assert run("ack", "record", "st-050", "chat-rules", "--date", "2026-11-25", "--sheet", "ЛО-11",
               "--signed-by", "pr-049").exit_code == 0
    result = run("ack", "remind", "--out", "напоминания")
    assert result.exit_code == 0, result.stderr
    assert "  напоминания/Напоминания_laptev-iv.txt — удалён: напоминать больше некому" in result.stdout.splitlines()
    assert not (Path("напоминания") / "Напоминания_laptev-iv.txt").exists()


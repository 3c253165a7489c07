"""`compliance roster FILE` (to become `compliance import roster`) end to end on a copy of the sample records.

The rosters are tests/imports/data/roster/ (see tests/imports/test_roster.py for where their layouts
come from) and XLSX books made here with openpyxl."""
from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from compliance.cli import cli
from compliance.cli import roster as roster_cli
from cli_support import SAMPLE, copy_sample, fingerprint

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "imports" / "data" / "roster"
TODAY = dt.date(2026, 11, 26)
PREVIEW = "Это предварительный просмотр: записи не изменены. Чтобы внести изменения, повторите команду с --apply."
ABSENT = "Нет в списке (не удаляются): {} — исключите вручную из people.yaml и groups.yaml, если выбыл(а):"


@pytest.fixture
def records(tmp_path, monkeypatch):
    for path in DATA.glob("*.csv"):
        shutil.copyfile(path, tmp_path / path.name)
    return copy_sample(tmp_path, monkeypatch, today=TODAY, modules=(roster_cli,))


def run(*args):
    return CliRunner().invoke(cli, ["import", "roster", *args])


def diff(name: str) -> str:
    before = (SAMPLE / name).read_text(encoding="utf-8").splitlines(True)
    after = (Path("records") / name).read_text(encoding="utf-8").splitlines(True)
    return "".join(difflib.unified_diff(before, after, n=0))


def comments(text: str) -> list[str]:
    return [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]


# ---------------------------------------------------------------- the simple layout, UTF-8 with BOM

RADUGA_PLAN = """\
Список: raduga_simple_bom.csv — CSV, кодировка UTF-8 с BOM, разделитель «;»; простой формат (docs/records.md); \
заголовок в строке 1; 14 обучающихся в списке.
Будут добавлены: 1 обучающийся, 2 родителя.
  st-061  Ильина Софья Андреевна — Изостудия «Радуга», 2016 г. р. (строка 15)
  pr-081  Ильина Марина Олеговна — родитель st-061 (строка 15)
  pr-082  Ильин Андрей Петрович — родитель st-061 (строка 15)
Будут изменены: 1.
  st-009  Зайцева Арина Павловна: год рождения 2016 (раньше не указан)
В группы: 2.
  raduga-parents: pr-081, pr-082 — дата вступления 01.12.2026
Без изменений: 34.
""" + ABSENT.format(3) + """
  st-014  Тихонов Лев Сергеевич — Изостудия «Радуга»
  pr-023  Тихонова Елена Петровна — родитель st-014
  pr-024  Тихонов Сергей Валентинович — родитель st-014
"""

RADUGA_PEOPLE_DIFF = """\
--- 
+++ 
@@ -30 +30 @@
-  - {id: st-009, surname: Зайцева, name: Арина, patronymic: Павловна, association: Изостудия «Радуга», year_of_study: 3}
+  - {id: st-009, surname: Зайцева, name: Арина, patronymic: Павловна, association: Изостудия «Радуга», year_of_study: 3, birth_year: 2016}
@@ -35,0 +36 @@
+  - {id: st-061, surname: Ильина, name: Софья, patronymic: Андреевна, association: Изостудия «Радуга», birth_year: 2016}
@@ -119,0 +121,2 @@
+  - {id: pr-081, surname: Ильина, name: Марина, patronymic: Олеговна, children: [st-061]}
+  - {id: pr-082, surname: Ильин, name: Андрей, patronymic: Петрович, children: [st-061]}
"""

RADUGA_GROUPS_DIFF = """\
--- 
+++ 
@@ -49,0 +50,5 @@
+      - pr-081  # Ильина М.О.
+      - pr-082  # Ильин А.П.
+    joined:
+      pr-081: 2026-12-01  # Ильина М.О.
+      pr-082: 2026-12-01  # Ильин А.П.
"""


def test_roster_command_dry_run_prints_the_plan_and_writes_nothing(records):
    before = fingerprint(records)
    result = run("raduga_simple_bom.csv", "--date", "2026-12-01")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == RADUGA_PLAN + PREVIEW + "\n"
    assert fingerprint(records) == before and not (records / ".lock").exists()


def test_roster_command_apply_writes_exactly_the_plan_and_keeps_comments(records):
    result = run("raduga_simple_bom.csv", "--date", "2026-12-01", "--apply")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == RADUGA_PLAN + "Записано: records/groups.yaml, records/people.yaml.\n"
    assert diff("people.yaml") == RADUGA_PEOPLE_DIFF
    assert diff("groups.yaml") == RADUGA_GROUPS_DIFF
    for name in ("people.yaml", "groups.yaml"):
        old = comments((SAMPLE / name).read_text(encoding="utf-8"))
        new = comments((records / name).read_text(encoding="utf-8"))
        assert [c for c in new if c not in old] == ([] if name == "people.yaml" else [" Ильина М.О.", " Ильин А.П."] * 2)
        assert [c for c in old if c not in new] == []
    assert CliRunner().invoke(cli, ["check", "--records", "records"]).exit_code in (0, 1)   # loads: no exit 2


def test_roster_command_second_apply_has_nothing_to_do(records):
    assert run("raduga_simple_bom.csv", "--date", "2026-12-01", "--apply").exit_code == 0
    written = fingerprint(records)
    result = run("raduga_simple_bom.csv", "--date", "2026-12-05", "--apply")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "Список: raduga_simple_bom.csv — CSV, кодировка UTF-8 с BOM, разделитель «;»; простой формат "
        "(docs/records.md); заголовок в строке 1; 14 обучающихся в списке.\n"
        "Без изменений: 38.\n" + ABSENT.format(3) + "\n"
        "  st-014  Тихонов Лев Сергеевич — Изостудия «Радуга»\n"
        "  pr-023  Тихонова Елена Петровна — родитель st-014\n"
        "  pr-024  Тихонов Сергей Валентинович — родитель st-014\n"
        "Изменений нет: записи уже совпадают со списком. Ничего не записано.\n")
    assert fingerprint(records) == written


# ---------------------------------------------------------------- a Навигатор-like export in Windows-1251

TOURISTS_PLAN = """\
Список: tourists_navigator_cp1251.csv — CSV, кодировка Windows-1251, разделитель «;»; выгрузка (Навигатор ДО или \
похожая); заголовок в строке 3; 12 обучающихся в списке.
Будут добавлены: 1 обучающийся.
  st-061  Гаврилова Алёна Романовна — Юные туристы, 2013 г. р. (строка 16)
Будут изменены: 2.
  pr-009  Гаврилова Ольга Ивановна: добавлен ребёнок st-061
  st-051  Волков Никита Андреевич: год рождения 2012 → 2013
В группы: 1.
  tourists-students: st-061 — дата вступления 26.11.2026
Без изменений: 11.
""" + ABSENT.format(1) + """
  st-059  Пестов Глеб Владимирович — Юные туристы
Замечания: 3.
  столбец «Группа»: ни одно значение не совпадает с id или названием группы из groups.yaml (в выгрузке это, \
вероятно, учебные группы) — столбец не использован; группу в мессенджере укажите параметром --group
  строка 5: столбец «ФИО родителя (законного представителя)»: в ячейке не только ФИО — взято только ФИО
  строка 14: статус «Отчислен» — строка не загружается
Проигнорированы столбцы: Телефон родителя, E-mail, СНИЛС ребёнка (персональные данные, не нужные документам); \
№ п/п (не нужны документам). Из столбца «Дата рождения» взят только год рождения; дата рождения не сохраняется.
"""


def test_roster_command_cp1251_export_with_group_option_applies(records):
    result = run("tourists_navigator_cp1251.csv", "--group", "tourists-students", "--apply")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == TOURISTS_PLAN + "Записано: records/groups.yaml, records/people.yaml.\n"
    assert diff("people.yaml") == """\
--- 
+++ 
@@ -80 +80 @@
-  - {id: st-051, surname: Волков, name: Никита, patronymic: Андреевич, association: Юные туристы, year_of_study: 2, birth_year: 2012}
+  - {id: st-051, surname: Волков, name: Никита, patronymic: Андреевич, association: Юные туристы, year_of_study: 2, birth_year: 2013}
@@ -89,0 +90 @@
+  - {id: st-061, surname: Гаврилова, name: Алёна, patronymic: Романовна, association: Юные туристы, birth_year: 2013}
@@ -104 +105 @@
-  - {id: pr-009, surname: Гаврилова, name: Ольга, patronymic: Ивановна, children: [st-006, st-052]}
+  - {id: pr-009, surname: Гаврилова, name: Ольга, patronymic: Ивановна, children: [st-006, st-052, st-061]}
"""
    assert diff("groups.yaml") == """\
--- 
+++ 
@@ -192,0 +193,3 @@
+      - st-061  # Гаврилова А.Р.
+    joined:
+      st-061: 2026-11-26  # Гаврилова А.Р.
"""


def test_roster_command_never_writes_planted_personal_data(records):
    assert run("tourists_navigator_cp1251.csv", "--group", "tourists-students", "--apply").exit_code == 0
    assert run("raduga_simple_bom.csv", "--apply").exit_code == 0
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(records.rglob("*.yaml")))
    digits = re.sub(r"\D", "", text)
    planted = ["345-67", "345 67", "example.ru", "123-456-789", "12.05.2011", "2012-07-15", "05.09"]
    assert [p for p in planted if p in text] == []
    assert [n for n in ("91234567", "12345678901", "12345678913") if n in digits] == []


def test_roster_command_without_group_for_an_export_adds_no_members(records):
    result = run("tourists_navigator_cp1251.csv")
    assert result.exit_code == 0
    assert "В группы:" not in result.stdout
    assert "  строка 16" not in result.stdout and "Будут добавлены: 1 обучающийся." in result.stdout


# ---------------------------------------------------------------- comma-separated UTF-8 without BOM

def test_roster_command_comma_csv_matching_the_records_changes_nothing(records):
    before = fingerprint(records)
    result = run("maska_comma_utf8.csv", "--apply")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "Список: maska_comma_utf8.csv — CSV, кодировка UTF-8, разделитель «,»; простой формат (docs/records.md); "
        "заголовок в строке 1; 12 обучающихся в списке.\n"
        "Без изменений: 33.\n"
        "Изменений нет: записи уже совпадают со списком. Ничего не записано.\n")
    assert fingerprint(records) == before


# ---------------------------------------------------------------- XLSX, namesakes

def robiks_book(path: Path, *, with_id: str | None = None) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Робикс"
    sheet.append(["Список объединения «Робикс»"])
    head = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Объединение", "Группа", "Родитель 1 (ФИО)", "Телефон"]
    sheet.append(head + (["id"] if with_id else []))
    sheet.append(["Ким", "Марк", "Викторович", dt.datetime(2015, 3, 1), "Робототехника «Робикс»", "robiks-parents",
                  "Ким Ирина Вячеславовна", 79123456799] + ([with_id] if with_id else []))
    book.save(path)


def with_namesake(records: Path) -> None:
    """A second Ким Марк Викторович in «Робикс» (st-061): the roster's Ким matches two students."""
    people = records / "people.yaml"
    text = people.read_text(encoding="utf-8")
    anchor = "  - {id: st-038, surname: Широков, name: Савелий, patronymic: Павлович, association: Робототехника «Робикс», year_of_study: 1}\n"
    namesake = "  - {id: st-061, surname: Ким, name: Марк, patronymic: Викторович, association: Робототехника «Робикс», year_of_study: 1}\n"
    people.write_text(text.replace(anchor, anchor + namesake), encoding="utf-8")


def test_roster_command_xlsx_ambiguous_name_is_reported_not_guessed(records):
    with_namesake(records)
    robiks_book(Path("робикс.xlsx"))
    before = fingerprint(records)
    result = run("робикс.xlsx", "--apply")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == ("Список: робикс.xlsx — XLSX, лист «Робикс»; выгрузка (Навигатор ДО или похожая); заголовок в "
                        "строке 2; 1 обучающийся в списке.")
    assert lines[1:3] == ["Без изменений: 0.", ABSENT.format(28)]   # 11 students and 17 parents of «Робикс»
    assert "  st-033" not in result.stdout and "  pr-057" not in result.stdout and "  pr-058" not in result.stdout
    assert lines[-5:] == [
        "Неоднозначно: 1 — не угадываем, эти люди не изменены:",
        "  строка 3: Ким Марк Викторович (Робототехника «Робикс») — подходят st-033, st-061.",
        "    Как исправить: впишите нужный id в столбец «id» этой строки (если столбца нет, добавьте его) и "
        "повторите загрузку.",
        "Проигнорированы столбцы: Телефон (персональные данные, не нужные документам). Из столбца «Дата рождения» "
        "взят только год рождения; дата рождения не сохраняется.",
        "Изменений нет: записи уже совпадают со списком. Ничего не записано."]
    assert fingerprint(records) == before


def test_roster_command_id_column_settles_a_namesake(records):
    with_namesake(records)
    robiks_book(Path("робикс.xlsx"), with_id="st-033")
    result = run("робикс.xlsx", "--apply")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "  st-033  Ким Марк Викторович: год рождения 2015 (раньше не указан)" in result.stdout
    assert "  st-061  Ким Марк Викторович — Робототехника «Робикс»" in result.stdout      # the other one: not listed
    assert "year_of_study: 2, birth_year: 2015}" in (records / "people.yaml").read_text(encoding="utf-8")


def test_roster_command_group_not_created_yet_gets_no_joined_date(records):
    groups = records / "groups.yaml"
    text = groups.read_text(encoding="utf-8")
    groups.write_text(text.replace("    created: 2026-09-07\n", "    created: null\n", 1), encoding="utf-8")
    result = run("raduga_simple_bom.csv", "--apply")
    assert result.exit_code == 0
    assert "  raduga-parents: pr-081, pr-082 — группа ещё не создана — дата вступления не записывается" in result.stdout
    assert "joined" not in groups.read_text(encoding="utf-8")


# ---------------------------------------------------------------- refusals: exit 2, nothing written

def test_roster_command_unknown_group_in_the_simple_layout_names_row_and_column(records):
    Path("r.csv").write_text("Фамилия;Имя;Объединение;Группа\nОрлова;Злата;Изостудия «Радуга»;raduga-parent\n"
                             "Петров;Иван;;staff-methodical\n", encoding="utf-8")
    before = fingerprint(records)
    result = run("r.csv", "--apply")
    assert result.exit_code == 2
    assert result.stderr == (
        "r.csv, строка 2, столбец D «Группа»: группы «raduga-parent» нет в groups.yaml\n"
        "  Как исправить: укажите id группы (возможно, вы имели в виду: raduga-parents, maska-parents) или оставьте "
        "ячейку пустой.\n"
        "r.csv, строка 3, столбец D «Группа»: группа «staff-methodical» — для педагогов: обучающихся и родителей в "
        "неё не добавляют\n"
        "  Как исправить: укажите группу родителей или обучающихся.\n"
        "r.csv, строка 3, столбец C «Объединение»: не указано объединение\n"
        "  Как исправить: заполните столбец «Объединение» или укажите группу (столбец «Группа» или параметр --group).\n"
        "Ошибок в списке: 3. Записи не изменены.\n")
    assert fingerprint(records) == before


def test_roster_command_unknown_group_option_suggests(records):
    result = run("raduga_simple_bom.csv", "--group", "tourist-students")
    assert (result.exit_code, result.stderr) == (2, (
        "Группы «tourist-students» нет в groups.yaml.\n"
        "  Как исправить: укажите в --group id группы (возможно, вы имели в виду: tourists-students).\n"))


def test_roster_command_staff_group_option_is_refused(records):
    result = run("raduga_simple_bom.csv", "--group", "staff-methodical")
    assert (result.exit_code, result.stderr) == (2, (
        "Группа «staff-methodical» — для педагогов: обучающихся и родителей в неё не добавляют.\n"
        "  Как исправить: укажите в --group группу родителей или обучающихся.\n"))


def test_roster_command_file_in_no_encoding_exits_2(records):
    Path("r.csv").write_bytes("Фамилия;Имя\r\n".encode("cp1251") + b"\xce\xf0\x98\xee\xe2;\xc8\r\n")
    result = run("r.csv")
    assert result.exit_code == 2
    assert result.stderr.startswith("r.csv, строка 2: текст не читается ни в одной из кодировок UTF-8 и "
                                    "Windows-1251 (байт 0x98).\n  Как исправить: ")


def test_roster_command_missing_name_column_exits_2(records):
    Path("r.csv").write_text("Фамилия;Отчество;Объединение\nОрлова;Николаевна;Изостудия «Радуга»\n", encoding="utf-8")
    result = run("r.csv")
    assert (result.exit_code, result.stderr) == (2, (
        "r.csv, строка 1: нет столбца «Имя» (есть: «Фамилия», «Отчество», «Объединение»).\n"
        "  Как исправить: добавьте столбец «Имя» или один столбец «ФИО» с фамилией, именем и отчеством.\n"))


def test_roster_command_bad_date_option_exits_2(records):
    result = run("raduga_simple_bom.csv", "--date", "31.02.2026")
    assert result.exit_code == 2
    assert "«31.02.2026» — нужна дата в виде ГГГГ-ММ-ДД или ДД.ММ.ГГГГ, например 2026-11-24." in result.stderr


def test_roster_command_missing_records_folder_exits_2(records):
    result = run("raduga_simple_bom.csv", "--records", "нет", "--apply")
    assert result.exit_code == 2
    assert "«нет»" in result.stderr and "Как исправить" in result.stderr


def test_roster_command_help_is_russian_with_example():
    result = CliRunner().invoke(cli, ["import", "roster", "--help"])
    assert result.exit_code == 0
    assert result.output.splitlines()[2] == "  Загрузить обучающихся, родителей и состав групп из списка XLSX или CSV."
    assert "compliance import roster ученики.xlsx --apply --date 2026-12-01" in result.output

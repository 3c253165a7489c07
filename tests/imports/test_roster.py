"""Roster spreadsheets (CSV in UTF-8 / UTF-8 with BOM / Windows-1251, XLSX) → rows the records keep.

Where the layouts come from:
- The simple layout is ours (docs/records.md, «Список обучающихся для загрузки»).
- «Навигатор дополнительного образования» does not publish the columns of its exports, and no export
  could be found to copy. What is known from public pages: parents register in the Навигатор with
  ФИО, mobile phone and e-mail (sch61.ru, «Правила пользования сайтом "Навигатор дополнительного
  образования детей Ульяновской области"»), and apply for a place in an объединение, which the
  organisation confirms or rejects (ul-cdtlen.ru/dopobr73/, «Алгоритм организации электронной записи»).
  So an export carries the child's ФИО and birth date, the programme, a study group, the application's
  status and the applicant's ФИО, phone and e-mail. The column names in tests/imports/data/roster/
  tourists_navigator_cp1251.csv («ФИО ребёнка», «Дата рождения», «Программа», «Группа», «Статус заявки»,
  «ФИО родителя (законного представителя)», «Телефон родителя», «E-mail», «СНИЛС ребёнка», a title row
  and a «Всего» footer) are therefore plausible variants, not copied from a real export; the reader
  finds columns by name patterns so that the usual variants of each name are accepted.
- Encodings: Russian Excel saves «CSV (разделители — запятые)» in Windows-1251 with «;» and
  «CSV UTF-8» with a BOM; «Текст Юникод» is UTF-16 with a BOM and tabs.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from compliance.imports.roster import (PersonName, RosterError, RosterRow, column_letter, read_roster,
                                       split_full_name, write_csv)

DATA = Path(__file__).resolve().parent / "data" / "roster"
TODAY = dt.date(2026, 11, 26)
PLANTED = ("345-67", "345 67", "3456704", "example.ru", "123-456-789")   # phones, e-mails, СНИЛС in the fixtures


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def read(path) -> object:
    return read_roster(Path(path), today=TODAY)


def error_of(path) -> str:
    with pytest.raises(RosterError) as caught:
        read(path)
    return str(caught.value)


# ---------------------------------------------------------------- the fixtures are what they claim

def test_fixtures_are_in_the_encodings_their_names_say():
    bom = (DATA / "raduga_simple_bom.csv").read_bytes()
    cp1251 = (DATA / "tourists_navigator_cp1251.csv").read_bytes()
    plain = (DATA / "maska_comma_utf8.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        cp1251.decode("utf-8")
    assert (bom[:3], plain[:3] != b"\xef\xbb\xbf", cp1251.decode("cp1251").count("\r\n")) == (
        b"\xef\xbb\xbf", True, 17)


# ---------------------------------------------------------------- CSV

def test_read_roster_bom_csv_simple_layout_reads_names_parents_and_groups():
    roster = read(DATA / "raduga_simple_bom.csv")
    assert roster.describe().split(" — ", 1)[1] == (
        "CSV, кодировка UTF-8 с BOM, разделитель «;»; простой формат (docs/records.md); заголовок в строке 1; "
        "14 обучающихся в списке.")
    assert (roster.simple_layout, roster.has_parent_columns, roster.group_column, roster.ignored_line(),
            roster.remarks) == (True, True, "Группа", None, ())
    assert roster.rows[11] == RosterRow(
        row=13, student=PersonName("Орлова", "Злата", "Николаевна"), association="Изостудия «Радуга»",
        group="raduga-parents",
        parents=(PersonName("Орлова", "Татьяна", "Геннадьевна"), PersonName("Орлов", "Николай", "Александрович")))
    assert roster.rows[-1] == RosterRow(
        row=15, student=PersonName("Ильина", "Софья", "Андреевна"), birth_year=2016,
        association="Изостудия «Радуга»", group="raduga-parents",
        parents=(PersonName("Ильина", "Марина", "Олеговна"), PersonName("Ильин", "Андрей", "Петрович")))


def test_read_roster_cp1251_navigator_export_keeps_names_and_birth_year_only():
    roster = read(DATA / "tourists_navigator_cp1251.csv")
    assert roster.describe().split(" — ", 1)[1] == (
        "CSV, кодировка Windows-1251, разделитель «;»; выгрузка (Навигатор ДО или похожая); заголовок в строке 3; "
        "12 обучающихся в списке.")
    assert roster.ignored_line() == (
        "Проигнорированы столбцы: Телефон родителя, E-mail, СНИЛС ребёнка (персональные данные, не нужные "
        "документам); № п/п (не нужны документам). Из столбца «Дата рождения» взят только год рождения; "
        "дата рождения не сохраняется.")
    assert roster.remarks == (
        (5, "столбец «ФИО родителя (законного представителя)»: в ячейке не только ФИО — взято только ФИО"),
        (14, "статус «Отчислен» — строка не загружается"))
    assert roster.skipped_associations == ("Юные туристы",)
    assert [(r.row, r.student.full, r.birth_year) for r in roster.rows[:3]] == [
        (4, "Бабушкин Егор Сергеевич", 2011), (5, "Васильев Ярослав Егорович", 2014),
        (6, "Волков Никита Андреевич", 2013)]
    assert roster.rows[1].parents == (PersonName("Васильева", "Маргарита", "Олеговна"),)
    assert [r.row for r in roster.rows][-2:] == [15, 16]            # «Отчислен» (14) and the «Всего» footer left out


def test_read_roster_keeps_no_planted_personal_data():
    roster = read(DATA / "tourists_navigator_cp1251.csv")
    kept = repr(roster)
    assert [p for p in PLANTED if p in kept] == []
    assert "12.05" not in kept and "2012-07-15" not in kept          # birth dates: the year only


def test_read_roster_comma_csv_splits_two_parents_in_one_quoted_cell():
    roster = read(DATA / "maska_comma_utf8.csv")
    assert (roster.encoding, roster.delimiter, roster.simple_layout) == ("UTF-8", ",", True)
    assert roster.rows[0].parents == (PersonName("Богданова", "Виктория", "Сергеевна"),
                                      PersonName("Богданов", "Артём", "Викторович"))


def test_read_roster_tab_separated_utf16_as_excel_unicode_text(here):
    text = "Фамилия\tИмя\tОтчество\tОбъединение\r\nЁлкина\tЯна\tИльинична\tЮные туристы\r\n"
    (here / "список.txt").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    roster = read(here / "список.txt")
    assert (roster.encoding, roster.delimiter, roster.rows[0].student) == (
        "UTF-16", "\t", PersonName("Ёлкина", "Яна", "Ильинична"))
    assert "разделитель табуляция" in roster.describe()


def test_read_roster_semicolon_cp1251_with_full_name_column_and_year_of_study(here):
    write_csv(here / "r.csv", [["ФИО обучающегося", "Год обучения", "Объединение", "Телефон"],
                               ["ЖУРАВЛЁВА АЛИСА МАКСИМОВНА", "2-й год", "Юные туристы", "8 (912) 000-00-01"]],
              encoding="cp1251")
    row = read(here / "r.csv").rows[0]
    assert (row.student, row.year_of_study, row.association) == (
        PersonName("Журавлёва", "Алиса", "Максимовна"), 2, "Юные туристы")


def test_read_roster_parent_name_in_separate_columns(here):
    write_csv(here / "r.csv", [["Фамилия", "Имя", "Объединение", "Фамилия родителя", "Имя родителя",
                                "Отчество родителя", "Телефон родителя"],
                               ["Лукин", "Роман", "Юные туристы", "Лукина", "Вера", "Ивановна", "+7 900 000-00-02"]])
    roster = read(here / "r.csv")
    assert (roster.rows[0].parents, roster.ignored_line()) == (
        (PersonName("Лукина", "Вера", "Ивановна"),),
        "Проигнорированы столбцы: Телефон родителя (персональные данные, не нужные документам).")


def test_read_roster_parent_with_initials_is_left_out_with_a_remark(here):
    write_csv(here / "r.csv", [["Фамилия", "Имя", "Объединение", "Родитель 1 (ФИО)"],
                               ["Лукин", "Роман", "Юные туристы", "Лукина В.И."]])
    roster = read(here / "r.csv")
    assert (roster.rows[0].parents, roster.remarks) == (
        (), ((2, "родитель в столбце «Родитель 1 (ФИО)» не загружен: ФИО записано с инициалами — нужны полные "
                 "фамилия, имя и отчество"),))


# ---------------------------------------------------------------- XLSX

def test_read_roster_xlsx_finds_the_sheet_and_the_header_under_a_title(here):
    book = openpyxl.Workbook()
    book.active.title = "Инструкция"
    book.active.append(["Заполните лист «Список»"])
    sheet = book.create_sheet("Список")
    sheet.append(["Список обучающихся объединения «Робикс» на 26.11.2026"])
    sheet.append([])
    sheet.append(["№", "Фамилия", "Имя", "Отчество", "Дата рождения", "Объединение", "Группа", "Родитель 1 (ФИО)",
                  "Мобильный телефон"])
    sheet.append([1, "Ким", "Марк", "Викторович", dt.datetime(2015, 3, 1), "Робототехника «Робикс»",
                  "robiks-parents", "Ким Ирина Вячеславовна", 79123456799])
    sheet.append([2, "Абрамов", "Тимофей", "Михайлович", 2014.0, "Робототехника «Робикс»", "robiks-parents",
                  "Абрамова Елена Игоревна", "+7 912 345-67-98"])
    book.save(here / "робикс.xlsx")
    roster = read(here / "робикс.xlsx")
    assert roster.describe() == ("Список: робикс.xlsx — XLSX, лист «Список»; выгрузка (Навигатор ДО или похожая); "
                                 "заголовок в строке 3; 2 обучающихся в списке.")
    assert [(r.row, r.student.full, r.birth_year, r.parents[0].full) for r in roster.rows] == [
        (4, "Ким Марк Викторович", 2015, "Ким Ирина Вячеславовна"),
        (5, "Абрамов Тимофей Михайлович", 2014, "Абрамова Елена Игоревна")]
    assert "9123456799" not in repr(roster) and "345-67-98" not in repr(roster)


def test_read_roster_broken_xlsx_names_the_file(here):
    (here / "список.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert error_of(here / "список.xlsx").startswith("список.xlsx: файл не читается как книга Excel (.xlsx): ")


# ---------------------------------------------------------------- files that cannot be read

def test_read_roster_missing_file_says_so(here):
    assert error_of(here / "нет.csv") == ("Файл «нет.csv» не найден.\n"
                                          "  Как исправить: проверьте имя и папку файла; список сохраняется как "
                                          ".xlsx или .csv.")


def test_read_roster_old_xls_asks_for_xlsx(here):
    (here / "список.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    assert error_of(here / "список.xls") == (
        "список.xls: это файл Excel 97–2003 (.xls); программа читает XLSX и CSV.\n"
        "  Как исправить: откройте файл в Excel или LibreOffice и сохраните как «Книга Excel (.xlsx)».")


def test_read_roster_bytes_of_no_encoding_name_the_line(here):
    # line 3 has 0x98, which Windows-1251 does not define, among bytes that are not UTF-8 either
    (here / "r.csv").write_bytes("Фамилия;Имя\r\nОрлова;Злата\r\n".encode("cp1251") + b"\xce\xf0\x98\xee\xe2;\xc8\r\n")
    assert error_of(here / "r.csv") == (
        "r.csv, строка 3: текст не читается ни в одной из кодировок UTF-8 и Windows-1251 (байт 0x98).\n"
        "  Как исправить: откройте файл в Excel или LibreOffice и сохраните как «CSV UTF-8 (разделитель — точка "
        "с запятой)» или как «Книга Excel (.xlsx)».")


def test_read_roster_binary_file_is_refused(here):
    (here / "r.csv").write_bytes(b"\x00\x01\x02binary")
    assert error_of(here / "r.csv") == (
        "r.csv: это не текстовый файл CSV и не книга Excel (.xlsx).\n"
        "  Как исправить: сохраните таблицу как «Книга Excel (.xlsx)» или как «CSV UTF-8».")


def test_read_roster_without_header_row_shows_the_layout(here):
    write_csv(here / "r.csv", [["Орлова", "Злата"], ["Соколова", "Василиса"]], encoding="cp1251")
    assert error_of(here / "r.csv") == (
        "r.csv: в первых 20 строках нет строки заголовков со столбцами «Фамилия» и «Имя» (или «ФИО»). Файл "
        "прочитан в кодировке Windows-1251; если в нём нечитаемые буквы, сохраните его в UTF-8.\n"
        "  Как исправить: первой строкой таблицы укажите названия столбцов, например: Фамилия;Имя;Отчество;"
        "Год рождения;Объединение;Группа;Родитель 1 (ФИО);Родитель 2 (ФИО) (см. docs/records.md, раздел "
        "«Список обучающихся для загрузки»).")


def test_read_roster_without_name_column_names_the_header_row(here):
    write_csv(here / "r.csv", [["Список"], ["Фамилия", "Отчество", "Объединение", "Телефон"],
                               ["Орлова", "Николаевна", "Изостудия «Радуга»", "+7 912 345-67-00"]])
    assert error_of(here / "r.csv") == (
        "r.csv, строка 2: нет столбца «Имя» (есть: «Фамилия», «Отчество», «Объединение», «Телефон»).\n"
        "  Как исправить: добавьте столбец «Имя» или один столбец «ФИО» с фамилией, именем и отчеством.")


def test_read_roster_bad_cells_are_all_reported_with_row_and_column(here):
    write_csv(here / "r.csv", [["Фамилия", "Имя", "Год рождения", "Год обучения", "Объединение"],
                               ["Орлова", "Злата", "20l5", "2", "Изостудия «Радуга»"],
                               ["Соколова", "", "2015", "", "Изостудия «Радуга»"],
                               ["Сидоров 8912", "Иван", "", "четвёртый", "Изостудия «Радуга»"]])
    assert error_of(here / "r.csv") == (
        "r.csv, строка 2, столбец C «Год рождения»: «20l5» — не год рождения\n"
        "  Как исправить: впишите год четырьмя цифрами (от 1990 до 2026), например 2015, или оставьте ячейку "
        "пустой.\n"
        "r.csv, строка 3, столбец B «Имя»: не указано имя\n"
        "  Как исправить: впишите имя обучающегося или удалите строку.\n"
        "r.csv, строка 4, столбец A «Фамилия»: в ячейке не только буквы (цифры, знаки или инициалы)\n"
        "  Как исправить: оставьте в ячейке только фамилию, имя или отчество полностью.\n"
        "Ошибок в списке: 3. Записи не изменены.")


def test_read_roster_birth_date_error_does_not_echo_the_date(here):
    write_csv(here / "r.csv", [["ФИО", "Дата рождения", "Объединение"],
                               ["Орлова Злата Николаевна", "31.13.15", "Изостудия «Радуга»"]])
    message = error_of(here / "r.csv")
    assert message.startswith("r.csv, строка 2, столбец B «Дата рождения»: в ячейке нет года рождения\n")
    assert "31.13" not in message


def test_read_roster_header_only_is_an_error(here):
    write_csv(here / "r.csv", [["Фамилия", "Имя", "Объединение"]])
    assert error_of(here / "r.csv") == (
        "r.csv: под строкой заголовков (строка 1) нет ни одной строки с обучающимся.\n"
        "  Как исправить: проверьте, что выбран нужный файл и лист; одна строка — один обучающийся.")


# ---------------------------------------------------------------- names and columns

@pytest.mark.parametrize("text,expected", [
    ("Алиева Лейла Ильхам кызы", (PersonName("Алиева", "Лейла", "Ильхам кызы"), None)),
    ("АЛИЕВ ЭЛЬДАР РАМИЗ ОГЛЫ", (PersonName("Алиев", "Эльдар", "Рамиз оглы"), None)),
    ("  петрова-водкина   анна ", (PersonName("Петрова-Водкина", "Анна", None), None)),
    ("Мак-Кинли Анна Джоновна", (PersonName("Мак-Кинли", "Анна", "Джоновна"), None)),
    ("Иванова Мария Петровна, тел. 8 912 345-67-00",
     (PersonName("Иванова", "Мария", "Петровна"), "в ячейке не только ФИО — взято только ФИО")),
    ("Иванова Мария Петровна ivanova@example.ru",
     (PersonName("Иванова", "Мария", "Петровна"), "в ячейке не только ФИО — взято только ФИО")),
    ("Иванова М.П.", (None, "записано с инициалами — нужны полные фамилия, имя и отчество")),
    ("Иванова", (None, "нужны хотя бы фамилия и имя")),
    ("Иванова Мария Петровна Иванов Пётр Сергеевич",
     (None, "похоже, в ячейке несколько ФИО — разделите их точкой с запятой")),
])
def test_split_full_name_takes_names_only(text, expected):
    assert split_full_name(text) == expected


@pytest.mark.parametrize("header,role", [
    ("Фамилия", "surname"), ("ФАМИЛИЯ РЕБЁНКА", "surname"), ("Ф.И.О.", "full_name"),
    ("ФИО обучающегося", "full_name"), ("Ребёнок", "full_name"), ("Год рождения", "birth_year"),
    ("Дата рождения ребёнка", "birth_date"), ("Программа", "association"), ("Детское объединение", "association"),
    ("Название программы", "association"), ("Группа", "group"), ("Статус заявки", "status"),
    ("Год обучения", "year_of_study"), ("ID", "id"),
])
def test_header_variants_are_recognised(header, role):
    from compliance.imports.roster_columns import _classify

    assert role in _classify(["Имя", header]).roles


@pytest.mark.parametrize("header", ["Телефон", "Телефон родителя", "Моб. тел.", "E-mail", "Электронная почта",
                                    "Адрес регистрации", "СНИЛС", "Серия и номер паспорта", "Номер сертификата",
                                    "Школа", "Класс", "ИНН", "Дата рождения родителя", "E-mail законного представителя"])
def test_personal_data_headers_are_ignored_as_personal(header):
    from compliance.imports.roster_columns import PERSONAL, _classify

    columns = _classify(["Фамилия", "Имя", header])
    assert [(c.header, c.reason) for _, c in columns.ignored] == [(header, PERSONAL)]
    assert columns.parents == []


def test_column_letters_go_past_z():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]

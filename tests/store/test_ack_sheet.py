"""Reading a filled-in acknowledgement sheet back (store/ack_sheet.py)."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from compliance.errors import UsageError
from compliance.model.records import AckMethod
from compliance.render.xlsx import render_ack_sheet
from compliance.rules.acknowledgements import base_deadline, current_version, needs_representative
from compliance.store.ack_sheet import SHEET_MARKER, read_sheet
from compliance.store.acknowledgements import AckRules, Refused
from compliance.store.load import load
from compliance.views.acknowledgement_sheet import build_ack_sheet, pending_sheets

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "records"
TODAY = dt.date(2026, 11, 26)
RULES = AckRules(current_version, lambda records, pid, version: needs_representative(records, pid, base_deadline(records, version)))


@pytest.fixture
def root(tmp_path, monkeypatch):
    shutil.copytree(SAMPLE, tmp_path / "records")
    monkeypatch.chdir(tmp_path)
    return Path("records")


def sheet_of(records, group_id: str, act_id: str, folder: Path) -> Path:
    """The XLSX sheet `ack sheet` would print for that group and act."""
    chosen = next(s for s in pending_sheets(records) if s[0].id == group_id and s[1].id == act_id)
    path = folder / "лист.xlsx"
    render_ack_sheet(build_ack_sheet(records, *chosen), path)
    return path


def row_of(ws, name: str) -> int:
    return next(row[1].row for row in ws.iter_rows() if row[1].value == name)


def test_sheet_marker_names_group_act_and_version(root, tmp_path):
    wb = openpyxl.load_workbook(sheet_of(load(root), "maska-parents", "chat-rules", tmp_path))
    assert wb.defined_names[SHEET_MARKER].attr_text == '"maska-parents/chat-rules/2"'
    assert wb.defined_names[SHEET_MARKER].hidden


def test_read_sheet_dates_as_excel_dates_text_and_day_numbers(root, tmp_path):
    records = load(root)
    path = sheet_of(records, "maska-parents", "chat-rules", tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.cell(row_of(ws, "Богданов Артём Викторович"), 4).value = dt.datetime(2026, 11, 24)
    ws.cell(row_of(ws, "Кравчук Оксана Ивановна"), 4).value = 46350          # 24.11.2026 in a cell without a format
    ws.cell(row_of(ws, "Рябова Юлия Сергеевна"), 4).value = " 25.11.2026 г."
    blank = row_of(ws, "Фомин Вячеслав Николаевич") + 1
    ws.cell(blank, 2).value = "  фомин  вячеслав николаевич"                 # written again at the bottom
    ws.cell(blank, 4).value = "25.11.2026"
    wb.save(path)
    filled = read_sheet(records, path, today=TODAY, rules=RULES)
    assert (filled.group.id, filled.act.id, filled.version.version, filled.sheet) == ("maska-parents", "chat-rules", 2, "ЛО-13")
    assert [(row, s.person, s.date, s.sheet, s.method) for row, s in filled.sign_offs] == [
        (14, "pr-026", dt.date(2026, 11, 24), "ЛО-13", AckMethod.PAPER),
        (18, "pr-033", dt.date(2026, 11, 24), "ЛО-13", AckMethod.PAPER),
        (24, "pr-040", dt.date(2026, 11, 25), "ЛО-13", AckMethod.PAPER),
        (blank, "pr-045", dt.date(2026, 11, 25), "ЛО-13", AckMethod.PAPER),   # his own row has no date
    ]
    assert filled.skipped[0] == (15, "Григорьев Вадим Алексеевич — нет даты ознакомления")


def test_read_sheet_young_student_parent_named_in_the_signature_cell(root, tmp_path):
    records = load(root)
    path = sheet_of(records, "tourists-students", "chat-rules", tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    row = row_of(ws, "Васильев Ярослав Егорович")
    assert ws.cell(row, 3).value == "обучающийся (расписывается законный представитель)"
    ws.cell(row, 4).value = "24.11.2026"
    wb.save(path)
    with pytest.raises(Refused) as refused:
        read_sheet(records, path, today=TODAY, rules=RULES)
    assert str(refused.value) == (
        f"Строка {row} листа (Васильев Ярослав Егорович): обучающийся младше 14 лет, за него расписывается родитель; "
        "в people.yaml родителей несколько.\n"
        "  Как исправить: впишите в графу «Подпись» ФИО расписавшегося родителя (Васильева Маргарита Олеговна или "
        "Васильев Егор Павлович) и повторите команду.\n"
        "Ошибок в листе: 1. Ничего не записано; исправьте лист и повторите команду.")
    ws.cell(row, 5).value = "Васильев Е.П."
    wb.save(path)
    filled = read_sheet(records, path, today=TODAY, rules=RULES)
    assert [(s.person, s.signed_by) for _, s in filled.sign_offs] == [("st-050", "pr-050")]


def test_read_sheet_dates_before_the_order_and_in_the_future_are_refused(root, tmp_path):
    records = load(root)
    path = sheet_of(records, "maska-parents", "chat-rules", tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    first, second = row_of(ws, "Богданов Артём Викторович"), row_of(ws, "Фомин Вячеслав Николаевич")
    ws.cell(first, 4).value = "14.10.2026"
    ws.cell(second, 4).value = "14.12.2026"
    wb.save(path)
    with pytest.raises(Refused) as refused:
        read_sheet(records, path, today=TODAY, rules=RULES)
    assert [r.what for r in refused.value.refusals] == [
        f"Строка {first} листа (Богданов Артём Викторович). Дата ознакомления 14.10.2026 раньше приказа № 71-од "
        "от 15.10.2026, которым утверждена редакция 2 акта «Правила использования чата».",
        f"Строка {second} листа (Фомин Вячеслав Николаевич). Дата ознакомления 14.12.2026 ещё не наступила "
        "(сегодня 26.11.2026).",
    ]


def test_read_sheet_without_the_marker_exits_with_a_clear_message(root, tmp_path):
    records = load(root)
    path = sheet_of(records, "maska-parents", "chat-rules", tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb.defined_names[SHEET_MARKER]
    wb.save(path)
    with pytest.raises(UsageError) as error:
        read_sheet(records, path, today=TODAY, rules=RULES)
    assert str(error.value).startswith("лист.xlsx: в файле нет отметки, по которой программа узнаёт группу, акт и редакцию")


def test_read_sheet_of_a_group_no_longer_in_the_records(root, tmp_path):
    records = load(root)
    path = sheet_of(records, "maska-parents", "chat-rules", tmp_path)
    wb = openpyxl.load_workbook(path)
    wb.defined_names[SHEET_MARKER].attr_text = '"maska-old/chat-rules/2"'
    wb.save(path)
    with pytest.raises(UsageError) as error:
        read_sheet(records, path, today=TODAY, rules=RULES)
    assert str(error.value).splitlines()[0] == ("лист.xlsx: лист сформирован для записей, которых больше нет: "
                                                "группы «maska-old» нет в groups.yaml.")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="нужен LibreOffice (soffice)")
def test_read_sheet_saved_again_by_libreoffice(root, tmp_path):
    """An administrator opens the sheet in LibreOffice Calc, types a date and saves: it still reads back."""
    records = load(root)
    path = sheet_of(records, "maska-parents", "chat-rules", tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.cell(row_of(ws, "Богданов Артём Викторович"), 4).value = "24.11.2026"
    wb.save(path)
    resaved = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(resaved), str(path)],
                   check=True, capture_output=True, timeout=120)
    filled = read_sheet(records, resaved / path.name, today=TODAY, rules=RULES)
    assert [(s.person, s.date) for _, s in filled.sign_offs] == [("pr-026", dt.date(2026, 11, 24))]

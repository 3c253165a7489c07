"""XLSX renderer: reopen each workbook with openpyxl and read it row by row."""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import fixtures  # noqa: E402

from compliance.render import xlsx  # noqa: E402
from compliance.views.common import cells  # noqa: E402

NB = "\u00a0"
SECTION_SHEETS = ["Группы", "Ознакомление", "Не ознакомлены", "Администраторы", "Замечания п. 3", "Нарушения",
                  "Переписка", "Утаивание"]


def plain(text: str) -> str:
    return text.replace(NB, " ")


def rows(ws) -> list[tuple[str, ...]]:
    """The non-empty rows of a sheet as their texts, NBSP read as a space."""
    found = []
    for values in ws.iter_rows(values_only=True):
        texts = tuple(plain(v) for v in values if v is not None)
        if texts:
            found.append(texts)
    return found


def lines(ws) -> list[str]:
    return [" | ".join(r) for r in rows(ws)]


def header_row(ws, first_header: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == first_header)


def render(view, tmp_path: Path, name: str = "out.xlsx") -> openpyxl.Workbook:
    path = xlsx.render(view, tmp_path / name)
    return openpyxl.load_workbook(path)


def test_render_order_prints_letterhead_heading_points_and_signature(tmp_path):
    view = fixtures.order_view()
    ws = render(view, tmp_path)["Приказ"]
    text = lines(ws)

    assert text[:3] == [plain(fixtures.LETTERHEAD.founder), plain(fixtures.LETTERHEAD.name), "(МКОУ ДО «ДДТ»)"]
    assert "ПРИКАЗ" in text
    assert "01.09.2026 | № 45-од" in text
    assert "г. Светлогорск" in text
    assert "О создании групп в мобильных мессенджерах" in text
    assert plain(view.preamble) in text                       # «&» and «<чата>» survive as text
    assert "ПРИКАЗЫВАЮ:" in text
    assert "1. Создать группы в мобильных мессенджерах в составе и в сроки согласно таблице:" in text
    for point in view.points:
        assert plain(f"{point.number} {point.text}") in text
    assert "Директор | Т.А. Прохорова" in text
    assert text.index("С приказом ознакомлены:") > text.index("Директор | Т.А. Прохорова")
    assert "Педагог дополнительного образования | М.П. Иванова | «___» __________ 2026 г." in text
    assert "Делопроизводитель | Е.В. Кузнецова | «___» __________ 2026 г." in text
    assert text[-1] == "Исп. Кузнецова Е.В."


def test_render_order_keeps_non_breaking_spaces_of_the_view(tmp_path):
    view = fixtures.order_view()
    ws = render(view, tmp_path)["Приказ"]
    values = {c.value for row in ws.iter_rows() for c in row}

    assert view.number in values and f"№{NB}45-од" in values
    assert view.signature.name in values


def test_render_order_groups_table_sits_between_create_point_and_other_points(tmp_path):
    view = fixtures.order_view(groups=3)
    ws = render(view, tmp_path)["Приказ"]
    text = rows(ws)
    header = tuple(c.header for c in view.group_columns)
    start = text.index(header)

    assert text[start - 1][0].startswith("1. Создать группы")
    assert text[start + 1:start + 4] == [tuple(plain(t) for t in cells(g, view.group_columns)) for g in view.groups]
    assert text[start + 4][0].startswith("2. Назначить")
    for group in view.groups:
        assert plain(group.title) in text[start + int(group.number)]
        assert plain(group.admin) in text[start + int(group.number)]


def test_render_order_table_header_repeats_freezes_and_filters(tmp_path):
    ws = render(fixtures.order_view(groups=3), tmp_path)["Приказ"]
    row = header_row(ws, "№ п/п")

    assert ws.print_title_rows == f"${row}:${row}"
    assert ws.freeze_panes == f"A{row + 1}"
    assert ws.auto_filter.ref == f"A{row}:G{row + 3}"


def test_render_order_draft_mark_printed_top_right(tmp_path):
    view = dataclasses.replace(fixtures.order_view(), draft_mark="ПРОЕКТ")
    ws = render(view, tmp_path)["Приказ"]

    assert ws["A1"].value == "ПРОЕКТ"
    assert ws["A1"].alignment.horizontal == "right"


def test_render_order_column_widths_follow_relative_widths(tmp_path):
    ws = render(fixtures.order_view(), tmp_path)["Приказ"]
    widths = [ws.column_dimensions[letter].width for letter in "ABCDEFG"]

    assert widths == [round(c.width * 100) for c in fixtures.order_view().group_columns] == [5, 16, 13, 18, 20, 17, 11]


def test_render_order_table_cells_styled_for_print(tmp_path):
    ws = render(fixtures.order_view(), tmp_path)["Приказ"]
    row = header_row(ws, "№ п/п")
    head, cell, title = ws.cell(row, 2), ws.cell(row + 1, 2), ws["A2"]

    assert head.font.b and head.fill.fgColor.rgb.endswith("D9D9D9")
    assert (cell.font.name, cell.font.sz) == ("Times New Roman", 11)
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    border = cell.border
    assert {border.left.style, border.right.style, border.top.style, border.bottom.style} == {"thin"}
    assert (title.font.name, title.font.sz, title.font.b) == ("Times New Roman", 12, True)
    assert title.alignment.horizontal == "center"
    assert "A2:G2" in {str(r) for r in ws.merged_cells.ranges}


def test_render_order_long_point_gets_taller_row(tmp_path):
    view = fixtures.order_view()
    long_point = dataclasses.replace(view.points[0], text="очень длинный текст пункта " * 20)
    view = dataclasses.replace(view, points=(long_point,) + view.points[1:])
    ws = render(view, tmp_path)["Приказ"]
    row = next(r for r in range(1, ws.max_row + 1) if (ws.cell(r, 1).value or "").startswith("2. очень"))

    assert ws.row_dimensions[row].height >= 5 * 15


def test_render_ack_sheet_lists_30_names_then_5_numbered_blank_rows(tmp_path):
    view = fixtures.sheet_view(30, 5)
    ws = render(view, tmp_path)["Лист ознакомления"]
    row = header_row(ws, "№ п/п")
    table = [tuple(ws.cell(r, c).value for c in range(1, 6)) for r in range(row, row + 36)]

    assert table[0] == ("№ п/п", "Фамилия, имя, отчество", "Категория участника", "Дата ознакомления", "Подпись")
    for i in range(1, 31):
        assert table[i] == (str(i), f"Аксёнова Полина Игоревна {i}", "родитель (законный представитель)", None, None)
    for i in range(31, 36):
        assert table[i] == (str(i), None, None, None, None)
    assert all(ws.row_dimensions[r].height >= 24 for r in range(row + 1, row + 36))
    assert ws.cell(row + 36, 1).value is None                      # the table ends there


def test_render_ack_sheet_prints_heading_block_and_signature(tmp_path):
    ws = render(fixtures.sheet_view(), tmp_path)["Лист ознакомления"]
    text = lines(ws)

    assert text[:3] == ["Приложение", "к приказу МКОУ ДО «ДДТ»", "от 15.10.2026 № 71-од"]
    assert ws["A1"].alignment.horizontal == "right"
    assert text[3:10] == ["МКОУ ДО «ДДТ»", "ЛИСТ ОЗНАКОМЛЕНИЯ", "с Правилами использования чата (редакция 2),",
                          "утверждёнными приказом МКОУ ДО «ДДТ» от 15.10.2026 № 71-од",
                          "Группа «Изостудия «Радуга» — родители» (MAX)",
                          "Администратор группы: Иванова Мария Петровна", "Срок ознакомления — до 05.11.2026"]
    assert text[-2:] == ["Подлежат ознакомлению: 30 человек", "Администратор группы | М.П. Иванова"]


def test_render_ack_sheet_portrait_header_repeats_freezes_and_filters(tmp_path):
    ws = render(fixtures.sheet_view(30, 5), tmp_path)["Лист ознакомления"]
    row = header_row(ws, "№ п/п")

    assert ws.page_setup.orientation == "portrait"
    assert ws.print_title_rows == f"${row}:${row}"
    assert ws.freeze_panes == f"A{row + 1}"
    assert ws.auto_filter.ref == f"A{row}:E{row + 35}"


def test_render_monthly_report_prints_sections_in_order_then_review(tmp_path):
    view = fixtures.report_view()
    ws = render(view, tmp_path)["Отчёт"]
    text = rows(ws)
    flat = [" | ".join(r) for r in text]

    assert flat[:6] == [plain(fixtures.LETTERHEAD.founder), plain(fixtures.LETTERHEAD.name), "(МКОУ ДО «ДДТ»)",
                        "ОТЧЁТ", "«___» __________ 2026 г.", "г. Светлогорск"]
    assert plain(view.heading) in flat
    assert [plain(p) for p in view.summary] == flat[flat.index(plain(view.heading)) + 1:][:2]
    positions = [flat.index(s.title) for s in view.sections]
    assert positions == sorted(positions)
    for section, at in zip(view.sections, positions):
        below = text[at + 1:]
        if section.lead:
            assert below.pop(0) == (section.lead,)
        assert below[0] == tuple(c.header for c in section.columns)
        assert below[1] == tuple(plain(t) for t in cells(section.rows[0], section.columns))
    assert flat[-4:] == ["Делопроизводитель | Е.В. Кузнецова", "Отчёт рассмотрен:", "Директор | Т.А. Прохорова",
                         "«___» __________ 2026 г."]


def test_render_monthly_report_empty_section_prints_its_empty_text(tmp_path):
    view = fixtures.report_view()
    view = dataclasses.replace(view, violations=dataclasses.replace(view.violations, rows=()))
    wb = render(view, tmp_path)
    flat = lines(wb["Отчёт"])
    title = flat.index("4. Нарушения и принятые меры (п. 4–5 Порядка)")

    assert flat[title + 1] == "Нарушений не выявлено."
    assert rows(wb["Нарушения"]) == [tuple(c.header for c in view.violations.columns)]


def test_render_monthly_report_each_section_has_a_sortable_sheet(tmp_path):
    view = fixtures.report_view()
    wb = render(view, tmp_path)

    assert wb.sheetnames == ["Отчёт"] + SECTION_SHEETS + ["Диаграмма"]
    for name, section in zip(SECTION_SHEETS, view.sections):
        ws = wb[name]
        last = openpyxl.utils.get_column_letter(len(section.columns))
        assert rows(ws) == [tuple(c.header for c in section.columns)] + [
            tuple(plain(t) for t in cells(r, section.columns)) for r in section.rows]
        assert ws.freeze_panes == "A2"
        assert ws.print_title_rows == "$1:$1"
        assert ws.auto_filter.ref == f"A1:{last}{1 + len(section.rows)}"


@pytest.mark.parametrize("view", [fixtures.order_view(), fixtures.sheet_view(), fixtures.report_view()],
                         ids=["order", "sheet", "report"])
def test_render_every_sheet_printable_on_a4_fit_to_width(view, tmp_path):
    wb = render(view, tmp_path)
    inch = 25.4
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        margins = ws.page_margins
        assert [round(m * inch) for m in (margins.left, margins.right, margins.top, margins.bottom)] == [30, 10, 20, 20]
        assert ws.oddFooter.right.text == "стр. &P из &N"
        assert abs(sum(d.width for d in ws.column_dimensions.values()) - 100) < 0.1


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","y")', "+7 900 123-45-67", "-1", "@SUM(A1)",
                                   "=1+1", "a\tb", "a\rb"])
def test_render_formula_like_text_stays_text(value, tmp_path):
    view = fixtures.sheet_view(2, 0)
    changed = dataclasses.replace(view.rows[0], full_name=value, category=value)
    ws = render(dataclasses.replace(view, rows=(changed,) + view.rows[1:]), tmp_path)["Лист ознакомления"]
    row = header_row(ws, "№ п/п") + 1

    for cell in (ws.cell(row, 2), ws.cell(row, 3)):
        assert cell.data_type == "s"
        assert cell.value == value


def test_render_illegal_xml_characters_become_replacement_character(tmp_path):
    view = fixtures.sheet_view(1, 0)
    changed = dataclasses.replace(view.rows[0], full_name="Иванов\x00Иван\x1b\x08Иванович\ufffe")
    ws = render(dataclasses.replace(view, rows=(changed,)), tmp_path)["Лист ознакомления"]

    assert ws.cell(header_row(ws, "№ п/п") + 1, 2).value == "Иванов\ufffdИван\ufffd\ufffdИванович\ufffd"


def test_sheet_title_drops_forbidden_characters_and_keeps_31():
    assert xlsx.sheet_title("Отчёт [ноябрь]: a/b\\c*?") == "Отчёт  ноябрь   a b c"
    assert len(xlsx.sheet_title("Я" * 40)) == 31


@pytest.mark.parametrize("view", [fixtures.order_view(), fixtures.sheet_view(), fixtures.report_view()],
                         ids=["order", "sheet", "report"])
def test_render_twice_gives_identical_bytes(view, tmp_path):
    first = xlsx.render(view, tmp_path / "a.xlsx").read_bytes()
    second = xlsx.render(view, tmp_path / "b.xlsx").read_bytes()

    assert first == second
    props = openpyxl.load_workbook(tmp_path / "a.xlsx").properties
    assert (props.creator, props.created.year, props.modified.year) == ("МКОУ ДО «ДДТ»", 2000, 2000)


def test_render_dispatches_by_view_type(tmp_path):
    assert render(fixtures.order_view(), tmp_path, "o.xlsx").sheetnames == ["Приказ"]
    assert render(fixtures.sheet_view(), tmp_path, "s.xlsx").sheetnames == ["Лист ознакомления"]
    assert render(fixtures.report_view(), tmp_path, "r.xlsx").sheetnames[0] == "Отчёт"
    with pytest.raises(TypeError):
        xlsx.render(fixtures.LETTERHEAD, tmp_path / "x.xlsx")


def test_render_ack_sheet_1000_rows_keeps_every_row(tmp_path):
    view = fixtures.sheet_view(1000)              # its speed is measured by `python -m bench`, not here
    wb = openpyxl.load_workbook(xlsx.render_ack_sheet(view, tmp_path / "big.xlsx"), read_only=True)
    table = rows(wb["Лист ознакомления"])
    first = table.index(("1", "Аксёнова Полина Игоревна 1", "родитель (законный представитель)"))
    assert table[first + 999] == ("1000", "Аксёнова Полина Игоревна 1000", "родитель (законный представитель)")
    assert table[first + 1000:first + 1006] == [("1001",), ("1002",), ("1003",), ("1004",), ("1005",),
                                                ("Подлежат ознакомлению: 1000 человек",)]


def test_render_monthly_report_1000_overdue_rows_all_written(tmp_path):
    view = fixtures.report_view()
    overdue = tuple(dataclasses.replace(view.overdue.rows[0], number=str(i)) for i in range(1, 1001))
    view = dataclasses.replace(view, overdue=dataclasses.replace(view.overdue, rows=overdue))
    path = xlsx.render(view, tmp_path / "report.xlsx")   # its speed is measured by `python -m bench`, not here
    wb = openpyxl.load_workbook(path, read_only=True)

    assert len(rows(wb["Не ознакомлены"])) == 1001
    assert ("1000", "Аксёнова П.И.", "родитель", "Изостудия «Радуга» — родители",
            "Правила использования чата, ред. 2", "05.11.2026") in rows(wb["Отчёт"])


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or pdftotext not installed")
def test_render_converts_to_pdf_with_libreoffice(tmp_path):
    words = {"order": "ПРИКАЗ", "sheet": "ЛИСТ ОЗНАКОМЛЕНИЯ", "report": "ОТЧЁТ"}
    views = {"order": fixtures.order_view(), "sheet": fixtures.sheet_view(), "report": fixtures.report_view()}
    sources = [str(xlsx.render(view, tmp_path / f"{name}.xlsx")) for name, view in views.items()]
    profile = f"file:///tmp/lo-xlsx-{uuid.uuid4().hex}"
    try:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), *sources], check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    for name, word in words.items():
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 0      # exit code 0 alone proves nothing
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout
        assert word in text

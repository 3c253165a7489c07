"""The acts an order approves, printed after it as appendices: in DOCX, XLSX and PDF, on pages of their own."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from pypdf import PdfReader

from compliance.build import document_set, load
from compliance.render import docx as render_docx
from compliance.render import pdf as render_pdf
from compliance.render import xlsx as render_xlsx
from compliance.views.act_text import TextBlock
from extract import normalise, squash, text_of

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ("docx", "xlsx", "pdf")
RENDERERS = {"docx": render_docx.render, "xlsx": render_xlsx.render, "pdf": render_pdf.render}
NB = "\u00a0"
MM = 72 / 25.4

PORYADOK_HEADINGS = ["1. Общие положения", "2. Порядок организации работы", "3. Функции администратора групп",
                     "4. Ответственность за работу в группе", "5. Общие требования"]
ITEMS = ["– информационная;", "– обеспечивает техническое обслуживание групп;",
         "– утаивание нарушений, проявившихся в ходе работы.",
         "– вступают в группу только по приглашению администратора группы;"]
APPROVED_BY_DIRECTOR = ("УТВЕРЖДАЮ", "Директор МКОУ ДО «ДДТ»", f"________ Т.А.{NB}Прохорова", f"«___» __________ 2026{NB}г.")


@pytest.fixture(scope="module")
def orders():
    documents = document_set(load(ROOT / "records"))
    return {view.file_stem: view for view in documents.orders}


@pytest.fixture(scope="module")
def order45(orders):
    return orders["Приказ_2026-045-од"]


@pytest.fixture(scope="module")
def rendered45(order45, tmp_path_factory):
    folder = tmp_path_factory.mktemp("appendices")
    return {fmt: RENDERERS[fmt](order45, folder / f"{order45.file_stem}.{fmt}") for fmt in FORMATS}


def pdf_pages(path: Path) -> list[list[str]]:
    """The lines of each page, NBSP read as a space."""
    return [[line.strip() for line in normalise(page.extract_text() or "").splitlines() if line.strip()]
            for page in PdfReader(str(path)).pages]


def running_text(path: Path) -> str:
    """The text a reader follows: in a PDF without the page number and fingerprint between the pages."""
    if path.suffix != ".pdf":
        return text_of(path)
    return "\n".join(line for page in pdf_pages(path) for line in page
                     if not line.isdigit() and not line.startswith("Отпечаток записей:"))


# ---------------------------------------------------------------- the view under test

def test_sample_order45_approves_the_poryadok_and_the_chat_rules(order45):
    first, second = order45.appendices
    assert first.mark == (f"Приложение №{NB}1", "к приказу МКОУ ДО «ДДТ»", f"от 01.09.2026 №{NB}45-од")
    assert first.approval == ("УТВЕРЖДЁН", "приказом МКОУ ДО «ДДТ»", f"от 01.09.2026 №{NB}45-од")
    assert (first.doc_type, first.heading) == ("ПОРЯДОК", "организации и работы групп в мобильных мессенджерах")
    assert [b.text for b in first.blocks if b.kind == "heading"] == PORYADOK_HEADINGS
    assert second.approval[0] == "УТВЕРЖДЕНЫ" and second.doc_type == "ПРАВИЛА"


# ---------------------------------------------------------------- every format

@pytest.mark.parametrize("fmt", FORMATS)
def test_order45_prints_marks_approvals_titles_headings_and_items(rendered45, fmt):
    text = squash(running_text(rendered45[fmt]))
    for fact in ("Приложение № 1", "Приложение № 2", "к приказу МКОУ ДО «ДДТ»", "от 01.09.2026 № 45-од", "УТВЕРЖДЁН",
                 "УТВЕРЖДЕНЫ", "приказом МКОУ ДО «ДДТ»", "ПОРЯДОК", "организации и работы групп в мобильных мессенджерах",
                 "ПРАВИЛА", "использования чата", *PORYADOK_HEADINGS, *ITEMS):
        assert squash(fact) in text, fact


@pytest.mark.parametrize("fmt", FORMATS)
def test_order45_prints_every_block_of_both_acts_in_order(order45, rendered45, fmt):
    text = squash(running_text(rendered45[fmt]))
    position = text.index(squash("Приложение № 1"))
    for appendix in order45.appendices:
        for block in appendix.blocks:
            found = text.find(squash(block.text), position)
            assert found >= 0, (fmt, block.text)
            position = found


@pytest.mark.parametrize("fmt", FORMATS)
def test_order71_prints_its_single_unnumbered_appendix_with_the_edition(orders, tmp_path, fmt):
    view = orders["Приказ_2026-071-од"]
    text = squash(running_text(RENDERERS[fmt](view, tmp_path / f"order.{fmt}")))
    for fact in ("Приложение", "от 15.10.2026 № 71-од", "УТВЕРЖДЕНЫ", "ПРАВИЛА", "(редакция 2)",
                 "– не публикуют сообщения с 21:00 до 08:00 (тихие часы), кроме срочных сообщений администрации;"):
        assert squash(fact) in text, fact
    assert squash("Приложение № 1") not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_approval_by_the_director_prints_utverzhdayu_with_signature_blank(order45, tmp_path, fmt):
    first = dataclasses.replace(order45.appendices[0], approval=APPROVED_BY_DIRECTOR)
    view = dataclasses.replace(order45, appendices=(first,))
    text = squash(running_text(RENDERERS[fmt](view, tmp_path / f"order.{fmt}")))
    for line in APPROVED_BY_DIRECTOR:
        assert squash(line) in text, line
    assert squash("УТВЕРЖДЁН") not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_markup_characters_in_the_act_survive(order45, tmp_path, fmt):
    blocks = (TextBlock("heading", "1. Термины & <определения>"), TextBlock("paragraph", "Ссылка <b>не жирная</b> & «кавычки»."),
              TextBlock("item", "– пункт с символами < > &;"))
    view = dataclasses.replace(order45, appendices=(dataclasses.replace(order45.appendices[0], blocks=blocks),))
    text = squash(running_text(RENDERERS[fmt](view, tmp_path / f"order.{fmt}")))
    for block in blocks:
        assert squash(block.text) in text, block.text


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_view_gives_same_bytes(order45, tmp_path, fmt):
    first = RENDERERS[fmt](order45, tmp_path / f"a.{fmt}").read_bytes()
    second = RENDERERS[fmt](order45, tmp_path / f"b.{fmt}").read_bytes()
    assert first == second


# ---------------------------------------------------------------- PDF

def test_pdf_each_appendix_starts_a_page_with_its_mark_and_numbering_goes_on(order45, rendered45):
    pages = pdf_pages(rendered45["pdf"])
    starts = [i for i, lines in enumerate(pages) if "Приложение № " in " ".join(lines[:2])]
    assert len(starts) == 2
    for start, appendix in zip(starts, order45.appendices):
        lines = pages[start]
        # the page number of the order's numbering first, in the top margin, then the mark
        assert lines[0] == str(start + 1)
        assert lines[1:7] == [normalise(line) for line in appendix.mark + appendix.approval]
        assert lines[7:9] == [appendix.doc_type, appendix.heading]
    # the order itself ends before the first appendix: its executor stands on the page before
    assert pages[starts[0] - 1][-2].startswith("Исп. ")


def test_pdf_qr_code_only_on_the_first_page(rendered45):
    reader = PdfReader(str(rendered45["pdf"]))
    squares = [page.get_contents().get_data().count(b" re") for page in reader.pages]
    assert squares[0] > 100 and not any(squares[1:])


def _placed(path: Path, page: int) -> list[tuple[str, float, float]]:
    """(text, x, y) in millimetres from the bottom left corner of the page."""
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            found.append((normalise(text.strip()), (tm[4] * cm[0] + cm[4]) / MM, (tm[5] * cm[3] + cm[5]) / MM))

    PdfReader(str(path)).pages[page].extract_text(visitor_text=visit)
    return found


def test_pdf_marks_stand_in_an_8_cm_block_at_the_right_edge(rendered45):
    page = next(i for i, lines in enumerate(pdf_pages(rendered45["pdf"])) if "Приложение № 1" in lines[:2])
    placed = _placed(rendered45["pdf"], page)
    corner = [(text, x) for text, x, _ in placed if text.startswith(("Приложение", "к приказу", "от 01.09", "УТВЕРЖД", "приказом"))]
    assert len(corner) == 6
    assert all(abs(x - 120) < 0.1 for _, x in corner)       # 200 mm (right edge of the text) minus 80 mm


def test_pdf_list_items_hang_the_dash_and_align_wrapped_lines(rendered45):
    pages = pdf_pages(rendered45["pdf"])
    page = next(i for i, lines in enumerate(pages) if "4. Ответственность за работу в группе" in lines)
    placed = _placed(rendered45["pdf"], page)
    index = next(i for i, (text, _, _) in enumerate(placed) if text.startswith("выставление экстремистской"))
    dash, first, wrapped = placed[index - 1], placed[index], placed[index + 1]
    assert dash[0] == "–" and abs(dash[1] - 42.5) < 0.1     # at the paragraph indent: 30 mm + 1.25 cm
    assert first[1] > dash[1] + 3
    assert wrapped[0].startswith("и информации, порочащей") and abs(wrapped[1] - first[1]) < 0.01
    paragraph = next(item for item in placed if item[0].startswith("Администратор групп несёт"))
    assert abs(paragraph[1] - 42.5) < 0.1                    # a paragraph keeps its first-line indent


# ---------------------------------------------------------------- DOCX

def _body_paragraphs(path: Path):
    return docx.Document(str(path)).paragraphs


def test_docx_each_appendix_follows_a_page_break_and_prints_its_blocks_by_kind(order45, rendered45):
    paragraphs = _body_paragraphs(rendered45["docx"])
    breaks = [i for i, p in enumerate(paragraphs) if p.paragraph_format.page_break_before]
    assert len(breaks) == 2
    assert paragraphs[breaks[0] - 1].text.startswith("Исп. ")
    for start, end, appendix in zip(breaks, breaks[1:] + [len(paragraphs)], order45.appendices):
        texts = [p.text.replace(NB, " ").replace("\t", " ") for p in paragraphs[start + 1:end]]
        assert texts[:7] == [normalise(t) for t in (*appendix.mark, "", *appendix.approval)]
        assert texts[7:10] == [appendix.doc_type, appendix.heading, ""]
        body = paragraphs[start + 11:end]
        assert [p.text.replace("\t", " ") for p in body] == [b.text for b in appendix.blocks]
        for paragraph, block in zip(body, appendix.blocks):
            if block.kind == "heading":
                assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER and paragraph.runs[0].bold
            elif block.kind == "item":
                assert paragraph.style.name == "Пункт перечня" and paragraph.text.startswith("–\t")
            else:
                assert paragraph.style.name == "Текст документа"


def test_docx_marks_are_a_12_pt_block_8_cm_wide_at_the_right(rendered45):
    paragraphs = _body_paragraphs(rendered45["docx"])
    corner = [p for p in paragraphs if p.text.startswith(("Приложение", "к приказу", "УТВЕРЖД", "приказом"))]
    assert len(corner) == 8
    for paragraph in corner:
        assert round(paragraph.paragraph_format.left_indent.cm, 2) == 17 - 8
        assert paragraph.runs[0].font.size == Pt(12)


def test_docx_list_item_style_hangs_the_dash_without_first_line_indent():
    style = docx.Document(str(render_docx.default_templates_dir() / "order.docx")).styles["Пункт перечня"]
    fmt = style.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(fmt.left_indent.cm, 2) == 1.8 and round(fmt.first_line_indent.cm, 2) == 1.25 - 1.8
    assert [round(stop.position.cm, 2) for stop in fmt.tab_stops] == [1.8]


def test_docx_page_numbers_run_on_through_the_appendices(rendered45):
    document = docx.Document(str(rendered45["docx"]))
    assert len(document.sections) == 1     # one section: the PAGE field of the order counts on
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    first_footer = section.first_page_footer._element.xml
    assert "<pic:pic" in first_footer and "<pic:pic" not in section.footer._element.xml   # the QR code on page 1 only


# ---------------------------------------------------------------- XLSX

def test_xlsx_each_appendix_on_its_own_printable_sheet(order45, rendered45):
    workbook = openpyxl.load_workbook(rendered45["xlsx"])
    assert workbook.sheetnames == ["Приказ", "Приложение 1", "Приложение 2"]
    for title, appendix in zip(workbook.sheetnames[1:], order45.appendices):
        ws = workbook[title]
        # the mark and the approval in the right-hand column, a blank row between them
        assert [ws.cell(row, 2).value for row in range(1, 8)] == [*appendix.mark, None, *appendix.approval]
        assert all(ws.cell(row, 1).value is None for row in range(1, 8))
        assert ws.column_dimensions["B"].width == 47
        assert [ws.cell(row, 1).value for row in (9, 10)] == [appendix.doc_type, appendix.heading]
        texts = [row[0] for row in ws.iter_rows(min_row=12, max_col=1, values_only=True) if row[0]]
        assert texts == [b.text for b in appendix.blocks]
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert all(f"A{row}:B{row}" in merged for row in range(12, ws.max_row + 1) if ws.cell(row, 1).value)
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.oddFooter.right.text == "стр. &P из &N"
        assert ws.oddFooter.left.text == order45.stamp.footer


def test_xlsx_blocks_styled_by_kind(order45, rendered45):
    ws = openpyxl.load_workbook(rendered45["xlsx"])["Приложение 1"]
    kinds = {b.text: b.kind for b in order45.appendices[0].blocks}
    for row in range(12, ws.max_row + 1):
        cell = ws.cell(row, 1)
        if cell.value in kinds:
            kind = kinds[cell.value]
            assert cell.alignment.wrap_text
            if kind == "heading":
                assert cell.font.b and cell.alignment.horizontal == "center"
            elif kind == "item":
                assert cell.alignment.indent == 2 and cell.alignment.horizontal == "left"
            else:
                assert cell.alignment.horizontal == "justify"


def test_xlsx_very_long_paragraph_is_cut_into_rows_excel_can_hold(order45, tmp_path):
    long = " ".join(["Администратор группы обеспечивает своевременное размещение информации."] * 120)
    blocks = (TextBlock("paragraph", long),)
    view = dataclasses.replace(order45, appendices=(dataclasses.replace(order45.appendices[0], blocks=blocks),))
    ws = openpyxl.load_workbook(render_xlsx.render(view, tmp_path / "long.xlsx"))["Приложение"]
    rows = [row for row in range(12, ws.max_row + 1) if ws.cell(row, 1).value]
    assert len(rows) > 1
    assert " ".join(ws.cell(row, 1).value for row in rows) == long
    assert all(ws.row_dimensions[row].height <= 409 for row in rows)


def test_xlsx_order_creating_no_groups_prints_no_empty_table(orders, tmp_path):
    view = orders["Приказ_2026-071-од"]
    ws = openpyxl.load_workbook(render_xlsx.render(view, tmp_path / "order.xlsx"))["Приказ"]
    texts = [row[0] for row in ws.iter_rows(max_col=1, values_only=True) if row[0]]
    assert "№ п/п" not in texts and "1." not in texts
    assert texts[texts.index("ПРИКАЗЫВАЮ:") + 1].startswith("1. Утвердить новую редакцию")
    assert ws.freeze_panes is None and ws.auto_filter.ref is None


def test_pdf_order_creating_no_groups_prints_no_empty_point(orders, tmp_path):
    view = orders["Приказ_2026-071-од"]
    lines = pdf_pages(render_pdf.render(view, tmp_path / "order.pdf"))[0]
    assert lines[lines.index("ПРИКАЗЫВАЮ:") + 1].startswith("1. Утвердить новую редакцию")
    assert "1." not in lines

"""The order register in DOCX, XLSX and PDF: every row's facts, the same text in each format, print setup."""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
import fixtures  # noqa: E402

from compliance.render import docx as docx_render  # noqa: E402
from compliance.render import pdf as pdf_render  # noqa: E402
from compliance.render import xlsx as xlsx_render  # noqa: E402
from compliance.views.common import cells  # noqa: E402
from compliance.views.order_register import OrderRegisterView, RegisterRow  # noqa: E402
from extract import squash, text_of  # noqa: E402

FORMATS = ("docx", "xlsx", "pdf")
RENDER = {"docx": docx_render.render, "xlsx": xlsx_render.render, "pdf": pdf_render.render}
NB = "\u00a0"


def rendered(view: OrderRegisterView, tmp_path: Path, fmt: str, name: str = "register") -> Path:
    return RENDER[fmt](view, tmp_path / f"{name}.{fmt}")


def many_rows(count: int) -> OrderRegisterView:
    view = fixtures.register_view(1)
    rows = tuple(dataclasses.replace(view.rows[0], number=f"{n}-од", title=f"О мероприятии номер {n}")
                 for n in range(1, count + 1))
    return dataclasses.replace(view, rows=rows)


def pages_text(pdf: Path) -> list[str]:
    return [(page.extract_text() or "").replace(NB, " ") for page in PdfReader(str(pdf)).pages]


@pytest.mark.parametrize("fmt", FORMATS)
def test_register_each_format_prints_every_row_number_date_title_and_signer(tmp_path, fmt):
    view = fixtures.register_view(3)
    text = squash(text_of(rendered(view, tmp_path, fmt)))
    for row in view.rows:
        for fact in (row.number, row.date, row.title, row.signed_by):
            assert squash(fact) in text, fact
    for fact in (view.heading, view.subtitle, view.total, view.missing_numbers, "проект — не подписан",
                 f"отменён приказом от 20.11.2026 №{NB}80-од", view.letterhead.name, view.letterhead.founder):
        assert squash(fact) in text, fact


def test_register_same_facts_in_docx_xlsx_and_pdf(tmp_path):
    view = fixtures.register_view(4)
    facts = [view.heading, view.subtitle, view.total, view.missing_numbers, view.letterhead.name,
             *(c.header for c in view.columns), *(t for row in view.rows for t in cells(row, view.columns) if t)]
    texts = {fmt: squash(text_of(rendered(view, tmp_path, fmt))) for fmt in FORMATS}
    for fmt, text in texts.items():
        missing = [fact for fact in facts if squash(fact) not in text]
        assert missing == [], fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_register_render_twice_gives_identical_bytes(tmp_path, fmt):
    view = fixtures.register_view(3)
    first = rendered(view, tmp_path, fmt, "first").read_bytes()
    second = rendered(view, tmp_path, fmt, "second").read_bytes()
    assert first == second


@pytest.mark.parametrize("fmt", FORMATS)
def test_register_without_gaps_prints_no_missing_numbers_line(tmp_path, fmt):
    view = dataclasses.replace(fixtures.register_view(2), missing_numbers="")
    assert "отсутствующие" not in text_of(rendered(view, tmp_path, fmt))


# ---------------------------------------------------------------- DOCX

def test_register_docx_table_has_header_then_one_row_per_order(tmp_path):
    view = fixtures.register_view(3)
    table = docx.Document(str(rendered(view, tmp_path, "docx"))).tables[0]
    texts = [[cell.text for cell in row.cells] for row in table.rows]
    assert texts[0] == [c.header for c in view.columns]
    assert texts[1:] == [list(cells(row, view.columns)) for row in view.rows]
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None


def test_register_docx_page_is_a4_landscape_with_page_of_pages_footer(tmp_path):
    document = docx.Document(str(rendered(fixtures.register_view(), tmp_path, "docx")))
    section = document.sections[0]
    measured = [round(v.mm, 1) for v in (section.page_width, section.page_height, section.left_margin,
                                         section.right_margin, section.top_margin, section.bottom_margin)]
    assert measured == [297.0, 210.0, 30.0, 10.0, 20.0, 20.0]
    footer = section.footer._element
    assert [t.text.strip() for t in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    assert "стр." in "".join(t.text or "" for t in footer.iter(qn("w:t")))


def test_register_docx_markup_characters_survive_autoescape(tmp_path):
    text = text_of(rendered(fixtures.register_view(), tmp_path, "docx"))
    assert "О создании групп в мобильных мессенджерах & <чатах> 45" in text


def test_register_docx_template_variables_are_fields_of_its_view():
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(docx_render.template_path(OrderRegisterView)))
    variables = template.get_undeclared_template_variables(docx_render.jinja_environment())
    assert {"letterhead", "heading", "subtitle", "rows", "total", "missing_numbers"} <= variables
    assert variables <= {f.name for f in dataclasses.fields(OrderRegisterView)}


# ---------------------------------------------------------------- XLSX

def test_register_xlsx_prints_on_a4_fit_to_width_with_header_repeated_frozen_and_filtered(tmp_path):
    view = fixtures.register_view(3)
    ws = openpyxl.load_workbook(rendered(view, tmp_path, "xlsx"))["Журнал приказов"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Рег. номер")
    assert [ws.cell(header, c).value for c in range(1, 8)] == [c.header for c in view.columns]
    assert ws.print_title_rows == f"${header}:${header}"
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.auto_filter.ref == f"A{header}:G{header + 3}"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.oddFooter.right.text == "стр. &P из &N"
    assert [ws.cell(header + 1 + i, 1).value for i in range(3)] == ["45-од", "46-од", "47-од"]


@pytest.mark.parametrize("value", ["=1+1", "-5", "+7"])
def test_register_xlsx_formula_like_text_stays_text(tmp_path, value):
    base = fixtures.register_view(1)
    view = dataclasses.replace(base, rows=(dataclasses.replace(base.rows[0], title=value),))
    ws = openpyxl.load_workbook(rendered(view, tmp_path, "xlsx")).active
    cell = next(c for row in ws.iter_rows() for c in row if c.value == value)
    assert cell.data_type == "s"


# ---------------------------------------------------------------- PDF

def test_register_pdf_numbers_every_page_and_repeats_header(tmp_path):
    pages = pages_text(rendered(many_rows(150), tmp_path, "pdf"))
    assert len(pages) > 3
    for number, text in enumerate(pages, 1):
        assert f"стр. {number} из {len(pages)}" in text, number
        assert "Рег." in text and "Примечание" in text, number
    everything = squash("\n".join(pages))
    for n in (1, 75, 150):
        assert squash(f"О мероприятии номер {n}") in everything


def test_register_pdf_metadata_names_the_register(tmp_path):
    info = PdfReader(str(rendered(fixtures.register_view(), tmp_path, "pdf"))).metadata
    assert info.title == f"ЖУРНАЛ РЕГИСТРАЦИИ ПРИКАЗОВ по основной деятельности за 2026{NB}год"
    assert info.author == "МКОУ ДО «ДДТ»"


# ---------------------------------------------------------------- LibreOffice

needs_office = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice не установлен")


@needs_office
def test_register_docx_paginates_in_libreoffice_with_header_on_every_page(tmp_path):
    source = rendered(many_rows(150), tmp_path, "docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "converted"), str(source)], check=True, capture_output=True, timeout=300)
    pages = pages_text(tmp_path / "converted" / "register.pdf")
    assert len(pages) > 3
    for number, text in enumerate(pages, 1):
        assert f"стр. {number} из {len(pages)}" in text, number
        assert "Примечание" in text, number

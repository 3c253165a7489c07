"""Tests for compliance.render.pdf: the text that lands in the PDF, page numbers, fonts, stable bytes."""
import dataclasses
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from compliance.errors import InternalError
from compliance.render.fonts import register_pt_serif
from compliance.render.pdf import render, render_ack_sheet, render_monthly_report, render_order
from compliance.render.pdf_common import BOLD, FRAME_WIDTH, cell_styles, fit_columns
from compliance.views.common import cells

sys.path.insert(0, str(Path(__file__).parent))
from fixtures import order_view, report_view, sheet_view  # noqa: E402

PAGE_HEIGHT = 297 * mm


def flat(text: str) -> str:
    """Text as the eye reads it: reportlab stores U+00A0 as a plain space, and lines wrap anywhere."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def pdf_text(path: Path) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(path).pages))


def placed_text(path: Path, page: int) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text piece on a page, y measured from the bottom edge."""
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            found.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return found


@pytest.fixture(scope="module")
def order_pdf(tmp_path_factory) -> Path:
    return render_order(order_view(), tmp_path_factory.mktemp("pdf") / "order.pdf")


@pytest.fixture(scope="module")
def sheet_pdf(tmp_path_factory) -> Path:
    return render_ack_sheet(sheet_view(30), tmp_path_factory.mktemp("pdf") / "sheet.pdf")


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory) -> Path:
    return render_monthly_report(report_view(), tmp_path_factory.mktemp("pdf") / "report.pdf")


def test_render_order_text_has_requisites_groups_and_signatures(order_pdf):
    view = order_view()
    text = pdf_text(order_pdf)
    for expected in (view.letterhead.founder, view.letterhead.name, f"({view.letterhead.short_name})", "ПРИКАЗ",
                     "ПРИКАЗЫВАЮ:", "№ 45-од", view.date, view.letterhead.place, view.heading,
                     view.acquainted_heading, view.executor, view.signature.position):
        assert flat(expected) in text
    for row in view.groups:
        assert flat(row.title) in text
        assert flat(row.participants) in text
    for point in (view.create_point, *view.points):
        assert flat(f"{point.number} {point.text}") in text
    for name in (view.signature.name, *(a.name for a in view.acquainted)):
        assert flat(name) in text


def test_render_order_page_number_only_from_page_two_centred_in_top_margin(order_pdf):
    assert len(PdfReader(order_pdf).pages) >= 2
    first = placed_text(order_pdf, 0)
    assert not [t for t, x, y in first if y > PAGE_HEIGHT - 20 * mm]  # nothing in the top margin
    second = placed_text(order_pdf, 1)
    in_margin = [(t, x) for t, x, y in second if PAGE_HEIGHT - 20 * mm < y < PAGE_HEIGHT - 10 * mm]
    assert [t for t, _ in in_margin] == ["2"]
    text_centre = 30 * mm + FRAME_WIDTH / 2
    assert abs(in_margin[0][1] - text_centre) < 5 * mm


def test_render_order_draft_mark_printed_at_top_right(tmp_path):
    path = render_order(dataclasses.replace(order_view(), draft_mark="ПРОЕКТ"), tmp_path / "draft.pdf")
    marks = [(x, y) for t, x, y in placed_text(path, 0) if t == "ПРОЕКТ"]
    assert len(marks) == 1
    x, y = marks[0]
    assert x > 120 * mm and y > PAGE_HEIGHT - 20 * mm


def test_render_order_markup_characters_in_text_survive(tmp_path):
    preamble = "Сим & <b>не жирно</b> \"кавычки\" 'апострофы' > < &amp;"
    path = render_order(dataclasses.replace(order_view(), preamble=preamble), tmp_path / "chars.pdf")
    assert flat(preamble) in pdf_text(path)


def test_render_ack_sheet_lists_every_name_and_numbers_every_page(sheet_pdf):
    view = sheet_view(30)
    text = pdf_text(sheet_pdf)
    for expected in (*view.appendix_mark, view.heading, view.subject, view.approval, view.group, view.admin,
                     view.deadline, view.total, view.admin_signature.position, view.admin_signature.name,
                     *(c.header for c in view.columns)):
        assert flat(expected) in text
    for row in view.rows:
        if row.full_name:
            assert flat(row.full_name) in text
    pages = PdfReader(sheet_pdf).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"стр. {number} из {len(pages)}" in flat(page.extract_text())


def test_render_ack_sheet_page_number_at_bottom_right(sheet_pdf):
    footer = [(x, y) for t, x, y in placed_text(sheet_pdf, 0) if t.startswith("стр.")]
    assert len(footer) == 1
    x, y = footer[0]
    assert x > 150 * mm and y < 20 * mm


def test_render_ack_sheet_1000_rows_repeats_header_on_every_page(tmp_path):
    view = sheet_view(1000)
    path = render_ack_sheet(view, tmp_path / "big.pdf")   # its speed is measured by `python -m bench`, not here
    pages = PdfReader(path).pages
    assert len(pages) > 20
    for page in pages:
        assert "Фамилия, имя, отчество" in flat(page.extract_text())
    assert flat(view.rows[999].full_name) in flat(pages[-1].extract_text())


def test_render_monthly_report_text_has_sections_tables_and_signatures(report_pdf):
    view = report_view()
    text = pdf_text(report_pdf)
    for expected in (view.letterhead.name, view.doc_type, view.date, view.heading, *view.summary,
                     view.prepared_by.position, view.prepared_by.name, view.reviewed_heading,
                     view.reviewed_by.position, view.reviewed_by.name):
        assert flat(expected) in text
    for section in view.sections:
        assert flat(section.title) in text
        for row in section.rows:
            for cell in cells(row, section.columns):
                assert flat(cell) in text
    assert "стр. 1 из" in text


def test_render_monthly_report_empty_section_prints_its_text_in_italics(tmp_path):
    view = report_view()
    view = dataclasses.replace(view, violations=dataclasses.replace(view.violations, rows=()))
    path = render_monthly_report(view, tmp_path / "empty.pdf")
    assert flat(view.violations.empty) in pdf_text(path)
    assert "PTSerif-Italic" in " ".join(_font_names(path))


def _fonts(path: Path) -> list:
    fonts = {}
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[font["/BaseFont"]] = font
    return list(fonts.values())


def _font_names(path: Path) -> list[str]:
    return [str(font["/BaseFont"]) for font in _fonts(path)]


@pytest.mark.parametrize("pdf", ["order_pdf", "sheet_pdf", "report_pdf"])
def test_render_embeds_pt_serif_and_nothing_else(pdf, request):
    path = request.getfixturevalue(pdf)
    fonts = _fonts(path)
    assert fonts
    for font in fonts:
        assert re.fullmatch(r"/[A-Z]{6}\+PTSerif-(Regular|Bold|Italic|BoldItalic)", str(font["/BaseFont"]))
        descriptor = (font["/DescendantFonts"][0] if "/DescendantFonts" in font else font)["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object()
    assert b"Helvetica" not in path.read_bytes()


@pytest.mark.parametrize("make", [order_view, sheet_view, report_view])
def test_render_same_view_twice_gives_same_bytes(make, tmp_path):
    first = render(make(), tmp_path / "first.pdf")
    second = render(make(), tmp_path / "second.pdf")
    assert first.read_bytes() == second.read_bytes()


def test_render_metadata_taken_from_view(order_pdf):
    meta = PdfReader(order_pdf).metadata
    assert meta.title == order_view().heading
    assert meta.author == order_view().letterhead.short_name
    assert meta["/CreationDate"] == "D:20000101000000+00'00'"


def test_render_unknown_view_raises_internal_error(tmp_path):
    with pytest.raises(InternalError):
        render(object(), tmp_path / "x.pdf")


def test_register_pt_serif_registers_once_and_returns_family():
    assert register_pt_serif() == "PTSerif"
    assert register_pt_serif() == "PTSerif"
    assert register_pt_serif.cache_info().currsize == 1


@pytest.mark.parametrize("view, columns, rows, size", [
    (order_view(), "group_columns", "groups", 10),
    (sheet_view(), "columns", "rows", 12),
    *((report_view(), section, None, 10) for section in ("groups", "coverage", "overdue", "activity", "violations")),
])
def test_fit_columns_fills_frame_and_keeps_header_words_whole(view, columns, rows, size):
    if rows is None:
        section = getattr(view, columns)
        columns, rows = section.columns, section.rows
    else:
        columns, rows = getattr(view, columns), getattr(view, rows)
    padding = cell_styles(size).padding
    widths, header_size = fit_columns(columns, [cells(r, columns) for r in rows], size, padding)
    assert sum(widths) == pytest.approx(FRAME_WIDTH)
    assert size - 2 <= header_size <= size
    for column, width in zip(columns, widths):
        for word in column.header.split():
            assert stringWidth(word, BOLD, header_size) + 2 * padding <= width

"""Every table of every document, as the PDF renderer lays it out, for the sample institution and a generated
large one: no header word is ever split, and body text breaks at spaces and hyphens before inside a word."""
from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from bench.generate import generate
from compliance.build import document_set, load
from compliance.render import pdf_acknowledgement_sheet, pdf_monthly_report, pdf_order, pdf_order_register
from compliance.render.pdf_common import (BOLD, FAMILY, FRAME_WIDTH, LANDSCAPE_FRAME_WIDTH, PagedTable, _lines,
                                          cell_styles, data_table)
from compliance.views.acknowledgement_sheet import AckSheetView
from compliance.views.monthly_report import MonthlyReportView
from compliance.views.order import OrderView
from compliance.views.order_register import OrderRegisterView

SAMPLE = Path(__file__).resolve().parents[2] / "records"


def tables(view):
    """(name, columns, rows, size, width) of each table the PDF renderers draw for `view`."""
    if isinstance(view, OrderView) and view.groups:
        yield "groups", view.group_columns, view.groups, pdf_order.GROUP_TABLE_SIZE, FRAME_WIDTH
    elif isinstance(view, AckSheetView):
        yield "sheet", view.columns, view.rows, pdf_acknowledgement_sheet.TABLE_SIZE, FRAME_WIDTH
    elif isinstance(view, OrderRegisterView):
        yield "register", view.columns, view.rows, pdf_order_register.TABLE_SIZE, LANDSCAPE_FRAME_WIDTH
    elif isinstance(view, MonthlyReportView):
        for section in (view.clauses, *view.sections):
            if section.rows:
                yield section.title, section.columns, section.rows, pdf_monthly_report.TABLE_SIZE, FRAME_WIDTH


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("large") / "records"
    generate(root, "large")
    return root


@pytest.mark.parametrize("which", ["sample", "large"])
def test_table_headers_of_every_document_never_split_a_word(which, large):
    checked = 0
    seen = set()
    for view in document_set(load(SAMPLE if which == "sample" else large)):
        for name, columns, rows, size, width in tables(view):
            key = (type(view).__name__, name, len(rows))
            if isinstance(view, AckSheetView) and key in seen:
                continue                     # sheets of one length lay out alike: one of each is enough
            seen.add(key)
            table = data_table(columns, rows, size, total=width)
            header = table._data[0] if isinstance(table, PagedTable) else table._cellvalues[0]
            widths = table._widths if isinstance(table, PagedTable) else table._colWidths
            padding = cell_styles(size).padding
            for column, cell, room in zip(columns, header, widths):
                words = column.header.split()
                lines = [" ".join(line_words) for _, line_words in cell.blPara.lines]
                assert [w for line in lines for w in line.split()] == words, (view.file_stem, name, lines)
                size_used = cell.style.fontSize
                assert all(stringWidth(w, BOLD, size_used) <= room - 2 * padding + 0.01 for w in words), \
                    (view.file_stem, name, column.header, room)
            checked += 1
    assert checked > (3 if which == "sample" else 20)


def test_table_header_words_whole_even_when_body_words_do_not_fit():
    from compliance.views.common import Column

    columns = (Column("№", "a", 0.05), Column("Группа", "b", 0.2), Column("Мессенджер", "c", 0.15),
               Column("Администратор", "d", 0.15), Column("Участников", "e", 0.1), Column("Ознакомлены", "f", 0.1),
               Column("Охват", "g", 0.1), Column("Дата регистрации", "h", 0.15))

    class Row:
        a, b, c, d, e, f, g, h = ("1", "Хореографическаястудияродителейиобучающихся", "WhatsApp",
                                  "Константинопольская\u00a0А.В.", "40", "38", "95 %", "17.01.2026")

    table = data_table(columns, [Row()] * 3, 10)
    for column, cell in zip(columns, table._data[0]):
        assert [w for _, words in cell.blPara.lines for w in words] == column.header.split()
    assert sum(table._widths) == pytest.approx(FRAME_WIDTH)


@pytest.mark.parametrize("text, room, expected", [
    # a hyphenated word too long for the rest of the line breaks after its hyphen
    ("ЦДТ. Студия декоративно-прикладного творчества", 85, ("ЦДТ. Студия", "декоративно-", "прикладного",
                                                           "творчества")),
    # and moves to a line of its own before it is cut between letters
    ("ЦДТ. Хореографическая студия «Исток»", 70, ("ЦДТ.", "Хореографиче", "ская студия", "«Исток»")),
    # a name joined by a no-break space parts there first
    ("Константинопольская\u00a0А.В.", 105, ("Константинопольская", "А.В.")),
    # «2-й» is not broken at its hyphen
    ("Родители, 2-й год обучения", 60, ("Родители,", "2-й год", "обучения")),
])
def test_cell_lines_break_at_spaces_and_hyphens_first(text, room, expected):
    assert _lines(text, room, FAMILY, 10) == expected


def test_cell_lines_where_every_word_fits_are_those_of_a_paragraph():
    from reportlab.platypus import Paragraph

    style = cell_styles(10).body
    text = "внесено в журнал нарушений (14.11.2026): сообщение удалено, участнику разъяснены требования Порядка"
    for room in range(90, 300, 5):
        paragraph = Paragraph(text, style)
        paragraph.wrap(room, 1e9)
        assert _lines(text, room, FAMILY, 10) == tuple(" ".join(w) for _, w in paragraph.blPara.lines), room

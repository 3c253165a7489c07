"""XLSX renderer: each view-model becomes a printable A4 sheet, laid out the way it is printed.

Every sheet is laid on a grid of columns. A single-table document uses the table's own columns; the
report stacks tables with different columns on one sheet, so its grid holds the boundaries of all of
them and a table cell spans the grid columns between its own boundaries.
"""
from __future__ import annotations

import gc
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from weakref import WeakKeyDictionary

from openpyxl import LXML, Workbook
from openpyxl.cell._writer import write_cell
from openpyxl.cell.cell import Cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import XML_NS, Element as _Element, SubElement as _SubElement

from ..views.acknowledgement_sheet import AckSheetView
from ..views.common import Column, Letterhead, Signature, cells
from ..views.monthly_report import MonthlyReportView, ReportSection
from ..views.order import Appendix, OrderView
from ..views.stamp import Stamp
from ..views.order_register import OrderRegisterView
from .deterministic import zip_bytes

FIXED_TIME = datetime(2000, 1, 1)
SHEET_CHARS = 100                # width of a sheet in column units (about one character each)
LINE_PT = 15                     # height of one line of 11–12 pt text
SIGNATURE_ROW_PT = 24            # room for a hand signature on an acknowledgement sheet
FOOTER = "стр. &P из &N"
STAMP_SIZE = 8                   # the records fingerprint in the left footer: small print for the office
FONT = "Times New Roman"
# Characters per column unit (Calibri 11 digit width, 7 px) of Times New Roman text, measured on
# Cyrillic prose and rounded down so that an estimated row height never cuts text.
CHARS_PER_UNIT = {(12, False): 0.9, (12, True): 0.85, (11, False): 0.98, (11, True): 0.92}
# Report sections get a sheet each for sorting and filtering (the view has no name for them), in the
# order of MonthlyReportView.sections; the coverage chart draws from a sheet of its own.
SECTION_SHEETS = ("Группы", "Ознакомление", "Не ознакомлены", "Администраторы", "Замечания п. 3", "Нарушения",
                  "Переписка", "Утаивание")
CHART_SHEET = "Диаграмма"

# openpyxl refuses these (IllegalCharacterError) or writes XML nobody can read back.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class _Look:
    """A cell style; registered in each workbook as a named style users can restyle in Excel."""

    name: str
    font: Font
    alignment: Alignment
    border: Border = Border()
    fill: PatternFill = PatternFill()

    @property
    def size(self) -> int:
        return int(self.font.size)

    def named_style(self) -> NamedStyle:
        return NamedStyle(self.name, font=self.font, alignment=self.alignment, border=self.border, fill=self.fill)


def _font(size: int = 12, bold: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold)


def _align(horizontal: str = "left") -> Alignment:
    return Alignment(horizontal=horizontal, vertical="top", wrap_text=True)


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TEXT = _Look("Текст", _font(), _align("justify"))
LEFT = _Look("Текст слева", _font(), _align())
RIGHT = _Look("Текст справа", _font(), _align("right"))
CENTRE = _Look("Текст по центру", _font(), _align("center"))
BOLD_LEFT = _Look("Заголовок слева", _font(bold=True), _align())
BOLD_CENTRE = _Look("Заголовок по центру", _font(bold=True), _align("center"))
BOLD_RIGHT = _Look("Заголовок справа", _font(bold=True), _align("right"))
CELL = _Look("Таблица", _font(11), _align(), _BOX)
HEADER = _Look("Шапка таблицы", _font(11, bold=True), _align("center"), _BOX, PatternFill("solid", fgColor="D9D9D9"))
LOOKS = (TEXT, LEFT, RIGHT, CENTRE, BOLD_LEFT, BOLD_CENTRE, BOLD_RIGHT, CELL, HEADER)


def clean_text(text: str) -> str:
    """Replace characters XML cannot carry with U+FFFD."""
    return _ILLEGAL.sub("\ufffd", text)


def _put(ws: Worksheet, row: int, column: int, text: str, look: _Look) -> None:
    # A new cell, as ws.cell() adds it, styled as `cell.style = look.name` would (Cell copies the style array)
    # without openpyxl looking the name up in a list for every cell.
    cell = Cell(ws, row, column, style_array=_STYLES[ws.parent][look.name])
    ws._cells[row, column] = cell
    if row > ws._current_row:
        ws._current_row = row
    if text:
        # What `cell.value = text` stores (clean_text already removed what openpyxl refuses), always as text:
        # openpyxl takes a leading "=" for a formula; what the view gives is printed text.
        cell._value = text = clean_text(text)[:32767]
        cell.data_type = "s"
        if text.startswith(_FORMULA_START):
            cell.quotePrefix = True      # and Excel keeps it text when someone edits the cell


def _lines(text: str, width: float, look: _Look) -> int:
    """Lines `text` takes in a cell `width` units wide, wrapping at spaces as Excel does."""
    per_line = max(1.0, width * CHARS_PER_UNIT[look.size, bool(look.font.bold)] - 1)
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0.0
        for word in paragraph.split(" "):
            need = len(word) + (1 if used else 0)
            if used and used + need > per_line:
                lines, used, need = lines + 1, 0.0, len(word)
            if need > per_line:          # a word wider than the cell is broken inside
                extra = math.ceil(need / per_line) - 1
                lines, used = lines + extra, need - extra * per_line
            else:
                used += need
        total += lines
    return total


def _edges(columns: Sequence[Column]) -> list[float]:
    """Right edges of the columns as fractions of the width, the last one exactly 1."""
    total = sum(c.width for c in columns) or 1.0
    edges, edge = [], 0.0
    for column in columns:
        edge += column.width / total
        edges.append(round(edge, 2))
    return edges


def _grid(tables: Iterable[Sequence[Column]]) -> tuple[float, ...]:
    """The column edges of every table, merged into one grid."""
    bounds = {1.0}
    for columns in tables:
        bounds.update(_edges(columns))
    bounds.discard(0.0)
    return tuple(sorted(bounds))


class _Page:
    """Writes a document downwards on a grid of columns, one row after another."""

    def __init__(self, ws: Worksheet, bounds: tuple[float, ...]):
        self.ws = ws
        self.bounds = bounds
        self.widths = [(b - a) * SHEET_CHARS for a, b in zip((0.0,) + bounds, bounds)]
        self.row = 0
        for index, width in enumerate(self.widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = round(width, 2)

    def _edge(self, fraction: float) -> int:
        """Index of the grid boundary nearest to `fraction` (1-based column that ends there)."""
        return min(range(len(self.bounds)), key=lambda i: abs(self.bounds[i] - fraction)) + 1

    def _span_width(self, first: int, last: int) -> float:
        return sum(self.widths[first - 1:last])

    def _place(self, row: int, first: int, last: int, text: str, look: _Look) -> float:
        """Put `text` in columns first..last of `row`; return the height it needs."""
        _put(self.ws, row, first, text, look)
        if last > first:
            # ws.merge_cells compares each range with all earlier ones (quadratic: 6 s for a report
            # with 1,000 overdue rows). These never overlap, so add them directly and style the
            # covered cells like the first, which gives the merged block its borders.
            for column in range(first + 1, last + 1):
                _put(self.ws, row, column, "", look)
            self.ws.merged_cells.ranges.add(_Span((row, first, row, last)))
        return _lines(text, self._span_width(first, last), look) * LINE_PT if text else LINE_PT

    def line(self, text: str, look: _Look = TEXT) -> int:
        return self.split(((text, look),), ())

    def split(self, parts: Sequence[tuple[str, _Look]], at: Sequence[float]) -> int:
        """One row cut at the fractions `at` into len(parts) merged blocks."""
        columns = len(self.widths)
        if columns < len(parts):         # too few columns to cut: one part under the other
            return [self.line(text, look) for text, look in parts][-1]
        self.row += 1
        edges = []
        for fraction in at:
            edge = self._edge(fraction)
            edges.append(min(max(edge, edges[-1] + 1 if edges else 1), columns - (len(at) - len(edges))))
        height, first = 0.0, 1
        for (text, look), last in zip(parts, edges + [columns]):
            height = max(height, self._place(self.row, first, last, text, look))
            first = last + 1
        self.ws.row_dimensions[self.row].height = height
        return self.row

    def blank(self) -> None:
        self.row += 1

    def signature(self, signature: Signature) -> None:
        self.split(((signature.position, LEFT), (signature.name, RIGHT)), (0.5,))

    def table(self, columns: Sequence[Column], rows: Sequence[object], min_height: float = 0) -> tuple[int, int]:
        """Header row and data rows; returns the header row and the last row."""
        spans, first = [], 1
        for edge in _edges(columns):
            last = max(first, self._edge(edge))
            spans.append((first, last))
            first = last + 1
        header = self._table_row(spans, tuple(c.header for c in columns), HEADER, 0)
        columns = tuple(columns)
        for row in rows:
            self._table_row(spans, cells(row, columns), CELL, min_height)
        return header, self.row

    def _table_row(self, spans: Sequence[tuple[int, int]], texts: Sequence[str], look: _Look,
                   min_height: float) -> int:
        self.row += 1
        height = float(min_height)
        for (first, last), text in zip(spans, texts):
            height = max(height, self._place(self.row, first, last, text, look))
        # LibreOffice never fits a row to wrapped text and nobody fits merged cells: set it here.
        self.ws.row_dimensions[self.row].height = height
        return self.row


def _print_setup(page: _Page, *, table: tuple[int, int] | None = None, landscape: bool = False,
                 gridlines: bool = False) -> None:
    """A4, fit to width, 30/10/20/20 mm margins, page numbers; `table` = (header row, last row)."""
    ws = page.ws
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    mm = 1 / 25.4
    ws.page_margins = PageMargins(left=30 * mm, right=10 * mm, top=20 * mm, bottom=20 * mm,
                                  header=8 * mm, footer=8 * mm)
    ws.oddFooter.right.text = FOOTER
    ws.oddFooter.right.font = FONT
    ws.oddFooter.right.size = 10
    ws.sheet_view.showGridLines = gridlines
    if table is not None:
        header, last = table
        ws.print_title_rows = f"{header}:{header}"
        ws.freeze_panes = f"A{header + 1}"
        ws.auto_filter.ref = f"A{header}:{get_column_letter(len(page.widths))}{last}"


def sheet_title(name: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of []:*?/\\."""
    return _SHEET_TITLE_BAD.sub(" ", clean_text(name)).strip()[:31] or "Лист"


# Per workbook: the style array of each look's named style, as openpyxl gives it to a cell of that style.
_STYLES: WeakKeyDictionary[Workbook, dict[str, object]] = WeakKeyDictionary()


def _plain_workbook() -> Workbook:
    """An empty workbook with the looks registered, as openpyxl makes it."""
    wb = Workbook()
    wb.remove(wb.active)
    _STYLES[wb] = {}
    for look in LOOKS:
        _add_look(wb, look)
    return wb


# What a fresh Workbook holds (openpyxl 3.1); another set of attributes means another openpyxl: no copying then.
_WORKBOOK_STATE = frozenset({
    "_sheets", "_pivots", "_active_sheet_index", "defined_names", "_external_links", "properties",
    "custom_doc_props", "security", "_Workbook__write_only", "shared_strings", "_fonts", "_alignments", "_borders",
    "_fills", "_number_formats", "_date_formats", "_timedelta_formats", "_protections", "_colors", "_cell_styles",
    "_named_styles", "_table_styles", "_differential_styles", "loaded_theme", "vba_archive", "is_template",
    "code_name", "_epoch", "encoding", "iso_dates", "rels", "calculation", "views"})
_SHARED = (int, bool, str, type(None), tuple, datetime)      # immutable: the copy holds the same object
_prototype: list[Workbook] = []


def _workbook() -> Workbook:
    """What _plain_workbook() gives, copied from one made once per process: registering the looks (hashing and
    comparing fonts, borders, fills) was a third of the cost of a short sheet."""
    if not _prototype:
        _prototype.append(_plain_workbook())
    proto = _prototype[0]
    if proto.__dict__.keys() != _WORKBOOK_STATE:
        return _plain_workbook()
    from openpyxl.styles.named_styles import NamedStyleList
    from openpyxl.utils.indexed_list import IndexedList
    from openpyxl.workbook.views import BookView

    wb = Workbook.__new__(Workbook)
    state = {}
    for name, value in proto.__dict__.items():
        kind = type(value)
        if kind in _SHARED:
            state[name] = value
        elif kind is IndexedList:
            copied = state[name] = IndexedList()
            list.extend(copied, value)
            copied._dict, copied.clean = dict(value._dict), value.clean
        elif kind is NamedStyleList:  # the named styles themselves are only read once registered
            state[name] = NamedStyleList()
            list.extend(state[name], value)
        elif kind is dict:
            state[name] = dict(value)
        elif name == "views":
            state[name] = [BookView()]
        elif kind is list and not value:
            state[name] = []
        elif kind is list:
            return _plain_workbook()
        else:                         # properties, defined names, relations…: new and empty, as Workbook() makes
            state[name] = kind()
    wb.__dict__.update(state)
    _STYLES[wb] = dict(_STYLES[proto])
    return wb


def _add_look(wb: Workbook, look: _Look) -> None:
    style = look.named_style()
    wb.add_named_style(style)
    _STYLES[wb][look.name] = style.as_tuple()


def _save(wb: Workbook, creator: str, path: Path, stamp: Stamp | None = None) -> Path:
    if stamp is not None:
        # The fingerprint at the bottom left of every printed page; the manifest for `compliance verify`.
        footer = stamp.footer.replace("&", "&&")        # a digest of all the records' digests: once per book
        for ws in wb.worksheets:
            ws.oddFooter.left.text = footer
            ws.oddFooter.left.font = FONT
            ws.oddFooter.left.size = STAMP_SIZE
        wb.properties.keywords = stamp.manifest()
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = creator
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    # Workbook.save() stamps the current time as "modified"; ExcelWriter keeps ours. Its parts are collected
    # and written once, deterministically (the theme and the styles are the same in every book: kept compressed).
    archive = _Members()
    _Writer(wb, archive).write_data()
    path = Path(path)
    path.write_bytes(zip_bytes(archive.members, reuse=_SAME_PARTS))
    for ws in wb.worksheets:
        ws._cells.clear()        # written: out of the sheet ↔ cell cycles, the cells go now, not at a collection
    return path


_SAME_PARTS = frozenset({"xl/theme/theme1.xml", "xl/styles.xml", "docProps/app.xml"})


class _Writer(ExcelWriter):
    """openpyxl's ExcelWriter (3.1), writing each sheet's XML in memory instead of through a temporary file, and
    the parts that are the same in many books (the extended properties, the stylesheet) once per process."""

    def write_data(self) -> None:
        # ExcelWriter.write_data with the two cached parts; the order of the parts is openpyxl's.
        from openpyxl.packaging.extended import ExtendedProperties
        from openpyxl.workbook._writer import WorkbookWriter
        from openpyxl.writer.theme import theme_xml
        from openpyxl.xml.constants import (ARC_APP, ARC_CORE, ARC_CUSTOM, ARC_ROOT_RELS, ARC_STYLE, ARC_THEME,
                                            ARC_WORKBOOK, ARC_WORKBOOK_RELS, CPROPS_TYPE)
        from openpyxl.xml.functions import tostring

        archive, wb = self._archive, self.workbook
        app = _PARTS.get(ARC_APP)
        if app is None:
            app = _PARTS[ARC_APP] = tostring(ExtendedProperties().to_tree())
        archive.writestr(ARC_APP, app)
        archive.writestr(ARC_CORE, tostring(wb.properties.to_tree()))
        archive.writestr(ARC_THEME, wb.loaded_theme or theme_xml)
        if len(wb.custom_doc_props) >= 1:
            archive.writestr(ARC_CUSTOM, tostring(wb.custom_doc_props.to_tree()))

            class CustomOverride:
                path = "/" + ARC_CUSTOM
                mime_type = CPROPS_TYPE

            self.manifest.append(CustomOverride())
        self._write_worksheets()
        self._write_chartsheets()
        self._write_images()
        self._write_charts()
        self._write_external_links()
        archive.writestr(ARC_STYLE, _stylesheet(wb))
        writer = WorkbookWriter(wb)
        archive.writestr(ARC_ROOT_RELS, writer.write_root_rels())
        archive.writestr(ARC_WORKBOOK, writer.write())
        archive.writestr(ARC_WORKBOOK_RELS, writer.write_rels())
        self._merge_vba()
        self.manifest._write(archive, wb)

    def write_worksheet(self, ws: Worksheet) -> None:
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = (_SheetWriter if LXML else WorksheetWriter)(ws, out=io.BytesIO())
        writer.write()
        ws._rels = writer._rels
        data = writer.read()
        if getattr(writer, "rows_xml", None) is not None:
            data = data.replace(b"<sheetData/>", writer.rows_xml, 1)
        self._archive.writestr(ws.path[1:], data)
        self.manifest.append(ws)


_PARTS: dict[str, bytes] = {}
_PRESERVE = {f"{{{XML_NS}}}space": "preserve"}
_STYLESHEETS: dict[tuple, bytes] = {}


def _stylesheet(wb: Workbook) -> bytes:
    """styles.xml of `wb` as openpyxl writes it, made once per distinct set of styles: the key holds everything
    write_stylesheet reads (called after the sheets are written, which adds each cell's style)."""
    from openpyxl.styles.colors import COLOR_INDEX
    from openpyxl.styles.stylesheet import write_stylesheet
    from openpyxl.xml.functions import tostring

    if wb._colors is not COLOR_INDEX or wb._differential_styles.styles or wb._table_styles.tableStyle:
        return tostring(write_stylesheet(wb))     # nothing here changes these; if something does, no cache
    key = (tuple(map(tuple, wb._cell_styles)), tuple(wb._fonts), tuple(wb._fills), tuple(wb._borders),
           tuple(wb._alignments), tuple(wb._protections), tuple(wb._number_formats),
           tuple((tuple(s), tuple(s.as_tuple())) for s in wb._named_styles))
    found = _STYLESHEETS.get(key)
    if found is None:
        found = _STYLESHEETS[key] = tostring(write_stylesheet(wb))
        if len(_STYLESHEETS) > 64:
            _STYLESHEETS.pop(next(iter(_STYLESHEETS)))
    return found


class _Span(tuple):
    """A merged range (min_row, min_col, max_row, max_col) without CellRange's validating descriptors: it hashes
    as CellRange does (so the set of merged ranges keeps the same order) and prints as CellRange does."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{get_column_letter(self[1])}{self[0]}:{get_column_letter(self[3])}{self[2]}"


def _text(value: str) -> str:
    """Text content escaped as libxml2 escapes it."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    return value


def _attribute(value: str) -> str:
    """An attribute value escaped as libxml2 escapes it."""
    return (_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))


class _SheetWriter(WorksheetWriter):
    """openpyxl's WorksheetWriter (3.1), writing the cells this module makes and the merged ranges directly;
    any other cell goes through openpyxl's own write_cell."""

    def write_row(self, xf, row, row_idx) -> None:
        attrs = {"r": f"{row_idx}"}
        attrs.update(self.ws.row_dimensions.get(row_idx, {}))
        ids = self._style_ids
        with xf.element("row", attrs):
            for cell in row:
                value, style = cell._value, cell._style
                plain = (type(cell) is Cell and cell._comment is None and cell._hyperlink is None
                         and style is not None and any(style))
                if plain and value is None and cell.data_type == "n":
                    sid = ids.get(style.tobytes())
                    if sid is None:
                        sid = ids[style.tobytes()] = f"{self.ws.parent._cell_styles.add(style)}"
                    with xf.element("c", {"r": f"{get_column_letter(cell.column)}{cell.row}", "s": sid, "t": "n"}):
                        pass
                elif plain and type(value) is str and value and cell.data_type == "s":
                    sid = ids.get(style.tobytes())
                    if sid is None:
                        sid = ids[style.tobytes()] = f"{self.ws.parent._cell_styles.add(style)}"
                    with xf.element("c", {"r": f"{get_column_letter(cell.column)}{cell.row}", "s": sid,
                                          "t": "inlineStr"}):
                        with xf.element("is"):
                            text = _Element("t", _PRESERVE if value != value.strip() else {})
                            text.text = value
                            xf.write(text)
                else:                    # openpyxl's own WorksheetWriter.write_row body
                    if cell._comment is not None:
                        self.ws._comments.append(CommentRecord.from_cell(cell))
                    if cell._value is None and not cell.has_style and not cell._comment:
                        continue
                    write_cell(xf, self.ws, cell, cell.has_style)

    def write_rows(self) -> None:
        self._style_ids: dict[bytes, str] = {}
        self.rows_xml = self._rows_xml()
        if self.rows_xml is None:
            super().write_rows()
        else:                            # a mark that write_worksheet replaces with rows_xml
            self.xf.send(_Element("sheetData"))

    def _rows_xml(self) -> bytes | None:
        """<sheetData> with every row, byte for byte as lxml's xmlfile writes it through write_row (ASCII with
        character references, `&<>` and CR escaped in text, empty elements open and closed), built as one string
        when every cell is one this module makes; None otherwise."""
        ids, dims, styles = self._style_ids, self.ws.row_dimensions, self.ws.parent._cell_styles
        out, heads = ["<sheetData>"], {}
        for row_idx, row in self.rows():
            found = dims.get(row_idx)
            if found is None:
                out.append(f'<row r="{row_idx}">')
            elif found._style is None:   # the attributes of a row depend on these only (a height, here)
                d = found.__dict__
                key = (d.get("hidden"), d.get("outlineLevel"), d.get("collapsed"), d.get("ht"), d.get("thickBot"),
                       d.get("thickTop"))
                head = heads.get(key)
                if head is None:
                    head = heads[key] = "".join(f' {k}="{_attribute(v)}"' for k, v in found)
                out.append(f'<row r="{row_idx}"{head}>')
            else:
                attrs = {"r": f"{row_idx}"}
                attrs.update(found)
                out.append("<row" + "".join(f' {k}="{_attribute(v)}"' for k, v in attrs.items()) + ">")
            for cell in row:
                value, style = cell._value, cell._style
                if not (type(cell) is Cell and cell._comment is None and cell._hyperlink is None
                        and style is not None and any(style)):
                    return None
                key = style.tobytes()
                sid = ids.get(key)
                if sid is None:
                    sid = ids[key] = f"{styles.add(style)}"
                ref = f"{get_column_letter(cell.column)}{cell.row}"
                if value is None and cell.data_type == "n":
                    out.append(f'<c r="{ref}" s="{sid}" t="n"></c>')
                elif type(value) is str and value and cell.data_type == "s":
                    space = ' xml:space="preserve"' if value != value.strip() else ""
                    out.append(f'<c r="{ref}" s="{sid}" t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>')
                else:
                    return None
            out.append("</row>")
        out.append("</sheetData>")
        return "".join(out).encode("ascii", "xmlcharrefreplace")

    def write_merged_cells(self) -> None:
        ranges = self.ws.merged_cells.ranges
        if ranges:
            # What MergeCells(mergeCell=[MergeCell(str(r)) ...]).to_tree() gives, without parsing each range again.
            merged = _Element("mergeCells", {"count": f"{len(ranges)}"})
            for span in ranges:
                _SubElement(merged, "mergeCell", {"ref": str(span)})
            self.xf.send(merged)


class _Members:
    """Stands for the ZipFile openpyxl's ExcelWriter writes to: keeps (name, bytes) in the order written."""

    def __init__(self) -> None:
        self.members: list[tuple[str, bytes]] = []

    def writestr(self, name: str, data: str | bytes) -> None:
        self.members.append((name, data.encode("utf-8") if isinstance(data, str) else data))

    def write(self, filename: str, arcname: str) -> None:
        self.members.append((arcname, Path(filename).read_bytes()))

    def namelist(self) -> list[str]:
        return [name for name, _ in self.members]


def _letterhead(page: _Page, letterhead: Letterhead) -> None:
    if letterhead.founder:
        page.line(letterhead.founder, CENTRE)
    page.line(letterhead.name, BOLD_CENTRE)
    page.line(f"({letterhead.short_name})", BOLD_CENTRE)      # as the DOCX and PDF print it


def render_order(view: OrderView, path: Path) -> Path:
    """The order on one sheet «Приказ», the groups table in the middle of its text."""
    wb = _workbook()
    ws = wb.create_sheet("Приказ")
    page = _Page(ws, _grid((view.group_columns,)))
    if view.draft_mark:
        page.line(view.draft_mark, BOLD_RIGHT)
    _letterhead(page, view.letterhead)
    page.blank()
    page.line(view.doc_type, BOLD_CENTRE)
    page.split(((view.date, LEFT), (view.number, RIGHT)), (0.5,))
    page.line(view.letterhead.place, CENTRE)
    page.blank()
    page.line(view.heading, BOLD_LEFT)
    page.blank()
    page.line(view.preamble)
    page.line(view.command, BOLD_LEFT)
    table = None                 # an order creating no groups (a new edition of the rules) has no point 1 or table
    if view.create_point.text:
        page.line(f"{view.create_point.number} {view.create_point.text}")
    if view.groups:
        table = page.table(view.group_columns, view.groups)
    for point in view.points:
        page.line(f"{point.number} {point.text}")
    page.blank()
    page.signature(view.signature)
    page.blank()
    page.line(view.acquainted_heading, LEFT)
    for person in view.acquainted:
        page.split(((person.position, LEFT), (person.name, LEFT), (person.blank, RIGHT)), (0.45, 0.7))
    page.blank()
    page.line(view.executor, LEFT)
    _print_setup(page, table=table)
    if view.appendices:
        _add_look(wb, ITEM)
    numbered = len(view.appendices) > 1
    for number, appendix in enumerate(view.appendices, 1):
        _appendix_sheet(wb, f"Приложение {number}" if numbered else "Приложение", appendix)
    return _save(wb, view.letterhead.short_name, path, view.stamp)


# A list item: a cell has no hanging indent, so the whole item stands indented, the dash at the indent.
ITEM = _Look("Пункт перечня", _font(), Alignment(horizontal="left", vertical="top", wrap_text=True, indent=2))
CORNER = 0.53                    # the appendix mark takes the right 47 % of the width, 8 cm of the printed 17
MAX_ROW_PT = 409                 # the tallest row Excel allows


def _appendix_sheet(wb: Workbook, title: str, appendix: Appendix) -> None:
    """An act the order approves, on a sheet of its own: the appendix mark and the approval stamp at the top
    right, the act's name centred, then its text, one merged row per paragraph."""
    page = _Page(wb.create_sheet(sheet_title(title)), (CORNER, 1.0))
    for line in appendix.mark:
        page.split((("", LEFT), (line, LEFT)), (CORNER,))
    page.blank()
    for line in appendix.approval:
        page.split((("", LEFT), (line, LEFT)), (CORNER,))
    page.blank()
    page.line(appendix.doc_type, BOLD_CENTRE)
    page.line(appendix.heading, BOLD_CENTRE)
    if appendix.edition:
        page.line(appendix.edition, CENTRE)
    page.blank()
    looks = {"heading": BOLD_CENTRE, "item": ITEM}
    for block in appendix.blocks:
        for piece in _row_pieces(block.text, SHEET_CHARS - 2 * ITEM.alignment.indent):
            page.line(piece, looks.get(block.kind, TEXT))
    _print_setup(page)


def _row_pieces(text: str, width: float) -> list[str]:
    """`text` cut at spaces into pieces that each fit a row of at most MAX_ROW_PT (a rare, very long paragraph)."""
    pieces: list[str] = []
    words = text.split(" ")
    while words:
        taken = len(words)
        while taken > 1 and _lines(" ".join(words[:taken]), width, TEXT) * LINE_PT > MAX_ROW_PT:
            taken = max(1, taken * 3 // 4)
        pieces.append(" ".join(words[:taken]))
        words = words[taken:]
    return pieces


def render_ack_sheet(view: AckSheetView, path: Path) -> Path:
    """The acknowledgement sheet on one portrait sheet «Лист ознакомления»."""
    wb = _workbook()
    ws = wb.create_sheet("Лист ознакомления")
    page = _Page(ws, _grid((view.columns,)))
    for mark in view.appendix_mark:
        page.line(mark, RIGHT)
    page.blank()
    page.line(view.letterhead.short_name, CENTRE)
    page.line(view.heading, BOLD_CENTRE)
    for text in (view.subject, view.approval, view.group):
        page.line(text, CENTRE)
    page.line(view.admin, LEFT)
    page.line(view.deadline, LEFT)
    page.blank()
    header, last = page.table(view.columns, view.rows, min_height=SIGNATURE_ROW_PT)
    page.blank()
    page.line(view.total, LEFT)
    page.blank()
    page.signature(view.admin_signature)
    _print_setup(page, table=(header, last))
    if view.stamp is not None:
        from openpyxl.workbook.defined_name import DefinedName

        # Hidden name «group/act/version»: `ack record --from-sheet` reads the filled-in sheet back by it
        # (store/ack_sheet.py, SHEET_MARKER); Excel and LibreOffice keep it when they re-save.
        wb.defined_names["compliance_sheet"] = DefinedName("compliance_sheet", attr_text=f'"{view.stamp.key}"', hidden=True)
    return _save(wb, view.letterhead.short_name, path, view.stamp)


def _section(page: _Page, section: ReportSection) -> tuple[int, int] | None:
    """Title, lead and table (or the `empty` text); returns the table's header and last rows."""
    page.blank()
    page.line(section.title, BOLD_LEFT)
    if section.lead:
        page.line(section.lead)
    if section.rows:
        return page.table(section.columns, section.rows)
    page.line(section.empty)
    return None


def _section_sheet(wb: Workbook, title: str, section: ReportSection) -> None:
    """Just the table, its header in row 1, for sorting and filtering."""
    ws = wb.create_sheet(sheet_title(title))
    page = _Page(ws, _grid((section.columns,)))
    _print_setup(page, table=page.table(section.columns, section.rows), landscape=True, gridlines=True)


def _bold_alarms(page: _Page, section: ReportSection, table: tuple[int, int] | None) -> None:
    """«не выполнено» in bold in the clause table, as the PDF and DOCX print it."""
    if table is None:
        return
    header, _ = table
    status = next(c.header for c in section.columns if c.field == "status")
    column = next(c for c in range(1, len(page.widths) + 1) if page.ws.cell(header, c).value == status)
    for offset, row in enumerate(section.rows, 1):
        if row.alarm:
            page.ws.cell(header + offset, column).font = _font(CELL.size, bold=True)


CHART_COLUMNS = (Column("Группа", "label", 0.8), Column("Охват, %", "text", 0.2))
CHART_BARS_PER_PIECE = 20        # a chart taller than a printed page is drawn in pieces


def _chart_room(page: _Page, view: MonthlyReportView) -> list[int]:
    """Rows kept free below the coverage table for the chart (in pieces), its caption under them; returns the
    first row of each piece."""
    from .xlsx_chart import height_cm

    anchors = []
    for piece in view.chart.pieces(CHART_BARS_PER_PIECE):
        page.blank()
        anchors.append(page.row + 1)
        for _ in range(math.ceil(height_cm(piece) / 2.54 * 72 / LINE_PT)):
            page.blank()
            page.ws.row_dimensions[page.row].height = LINE_PT
    page.line(view.chart_title, CENTRE)
    return anchors


def _chart_sheet(wb: Workbook, view: MonthlyReportView, report: Worksheet, anchors: list[int]) -> None:
    """The chart's figures on a sheet of their own, a share per group as a number; the charts on «Отчёт» draw them."""
    from .xlsx_chart import PER_CENT, bar_chart

    page = _Page(wb.create_sheet(CHART_SHEET), _grid((CHART_COLUMNS,)))
    header, last = page.table(CHART_COLUMNS, view.chart.bars)
    for row, bar in enumerate(view.chart.bars, header + 1):
        cell = page.ws.cell(row, len(page.widths))
        cell.value = round(bar.value, 6)  # six decimals: Excel rounds the display as the view's text does
        cell.number_format = PER_CENT
    _print_setup(page, table=(header, last), gridlines=True)
    first = header + 1
    for piece, anchor in zip(view.chart.pieces(CHART_BARS_PER_PIECE), anchors):
        report.add_chart(bar_chart(page.ws, header, first, first + len(piece.bars) - 1, piece, FONT), f"A{anchor}")
        first += len(piece.bars)


def render_monthly_report(view: MonthlyReportView, path: Path) -> Path:
    """The report on «Отчёт» (page 1: the assessment by clause and the conclusion), then one sheet per section
    with just its table, and the chart's figures."""
    from openpyxl.worksheet.pagebreak import Break

    wb = _workbook()
    ws = wb.create_sheet("Отчёт")
    page = _Page(ws, _grid(s.columns for s in (view.clauses, *view.sections)))
    _letterhead(page, view.letterhead)
    page.blank()
    page.line(view.doc_type, BOLD_CENTRE)
    page.line(view.date, LEFT)
    page.line(view.letterhead.place, CENTRE)
    page.blank()
    page.line(view.heading, BOLD_CENTRE)
    page.blank()
    for paragraph in view.summary:
        page.line(paragraph)
    _bold_alarms(page, view.clauses, _section(page, view.clauses))
    page.blank()
    page.line(view.verdict, BOLD_LEFT)
    ws.row_breaks.append(Break(id=page.row))        # the numbered sections start on page 2
    anchors: list[int] = []
    for section in view.sections:
        _section(page, section)
        if section is view.coverage and view.chart is not None:
            anchors = _chart_room(page, view)
    page.blank()
    page.signature(view.prepared_by)
    page.blank()
    page.line(view.reviewed_heading, LEFT)
    page.signature(view.reviewed_by)
    page.line(view.reviewed_date, LEFT)
    # Several tables share this sheet, so no single header row can repeat or freeze;
    # each table repeats, freezes and filters on its own sheet below.
    _print_setup(page)
    for title, section in zip(SECTION_SHEETS, view.sections):
        _section_sheet(wb, title, section)
    if anchors:
        _chart_sheet(wb, view, ws, anchors)
    return _save(wb, view.letterhead.short_name, path, view.stamp)


def render_order_register(view: OrderRegisterView, path: Path) -> Path:
    """The order register on one landscape sheet «Журнал приказов», as the DOCX and PDF print it."""
    wb = _workbook()
    ws = wb.create_sheet("Журнал приказов")
    page = _Page(ws, _grid((view.columns,)))
    _letterhead(page, view.letterhead)
    page.blank()
    page.line(view.heading, BOLD_CENTRE)
    page.line(view.subtitle, CENTRE)
    page.blank()
    header, last = page.table(view.columns, view.rows)
    page.blank()
    page.line(view.total, LEFT)
    if view.missing_numbers:
        page.line(view.missing_numbers, LEFT)
    _print_setup(page, table=(header, last), landscape=True)
    return _save(wb, view.letterhead.short_name, path, view.stamp)


def render(view: OrderView | AckSheetView | MonthlyReportView | OrderRegisterView, path: Path) -> Path:
    """Render any document view to XLSX at `path`."""
    # A workbook is tens of thousands of small objects in cycles (cell ↔ sheet); with the records loaded, each
    # collection the allocations trigger walks those too (15 % of the time). The book is dropped by _save.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _render(view, path)
    finally:
        if paused:
            gc.enable()


def _render(view: OrderView | AckSheetView | MonthlyReportView | OrderRegisterView, path: Path) -> Path:
    if isinstance(view, OrderView):
        return render_order(view, path)
    if isinstance(view, AckSheetView):
        return render_ack_sheet(view, path)
    if isinstance(view, MonthlyReportView):
        return render_monthly_report(view, path)
    if isinstance(view, OrderRegisterView):
        return render_order_register(view, path)
    raise TypeError(f"no XLSX renderer for {type(view).__name__}")

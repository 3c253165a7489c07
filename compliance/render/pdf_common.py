"""Page geometry, styles, tables and page numbering shared by the PDF documents.

Only layout is decided here (widths, fonts, spacing); every word printed comes from a view-model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Iterable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from ..views.common import Column, Letterhead, Signature, cells
from ..views.stamp import Stamp
from .fonts import BOLD, FAMILY, ITALIC, register_pt_serif
from .qr import SIZE_MM as QR_MM

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 30 * mm, 10 * mm, 20 * mm, 20 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT - RIGHT
LANDSCAPE_FRAME_WIDTH = PAGE_HEIGHT - LEFT - RIGHT   # a register is wide: it may lie on its side
FRAME_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM
INDENT = 12.5 * mm                 # first-line indent of running text
LEADING = 1.15                     # single spacing
HEADER_Y = PAGE_HEIGHT - 14 * mm   # baseline of the page number in the top margin (≥ 10 mm from the edge)
FOOTER_Y = 10 * mm                 # baseline of «стр. N из M» in the bottom margin
STAMP_SIZE = 8                     # the records fingerprint at the bottom left: small print for the office
QR_SIZE = QR_MM * mm               # ГОСТ Р 7.0.97-2025 requisite 31, without its quiet zone
QR_BOTTOM = 6 * mm                 # clear of the unprintable edge of office printers
QR_RESERVE = QR_BOTTOM + QR_SIZE + 4 * mm - BOTTOM  # page-1 text stops this far above the margin
UNDERLINE = "____________"         # the blank for a handwritten signature
SHORT = 13                         # a cell this short holding a digit (number, date, per cent) is centred
CRAMPED = 0.96                     # longest words filling this share of the frame leave no room to spread
MIN_HEADER_SIZE = 9
HEADER_SHORT = 3 * mm              # header words this much too wide in all are fitted by a smaller header font

SMALLER_BODY = (0.5, 1)             # a table whose words do not fit its columns tries its text this much smaller
MIN_HEADER_FALLBACK = 6            # header words are never cut: with very many columns the header font goes this low

_SPACES = re.compile(r"[ \t\r\n\f\v]+")   # where a cell's text wraps first (not at U+00A0)
_HYPHENS = re.compile(r"(?<=\w\w-)(?=\w{3})")  # then after an inner hyphen: «декоративно-|прикладного», not «2-|й»
_BREAKS = re.compile(rf"{_SPACES.pattern}|{_HYPHENS.pattern}")
_NBSP = re.compile("\u00a0")
SPACE_SHRINKAGE = 0.05             # ParagraphStyle.spaceShrinkage's default
_VOWELS = frozenset("аеёиоуыэюяaeiouy")


@dataclass(frozen=True)
class Styles:
    text: ParagraphStyle           # 14 pt, justified, first-line indent
    left: ParagraphStyle           # 14 pt at the left margin
    right: ParagraphStyle
    centre: ParagraphStyle
    centre_bold: ParagraphStyle
    founder: ParagraphStyle        # 12 pt centred, above the institution's name
    doc_type: ParagraphStyle       # «ПРИКАЗ», «ОТЧЁТ»
    heading: ParagraphStyle        # заголовок к тексту: bold, left, about half the frame wide
    title: ParagraphStyle          # a section title of the report
    empty: ParagraphStyle          # italic text printed instead of an empty table
    mark: ParagraphStyle           # 12 pt block in the right half (Приложение …)
    line: ParagraphStyle           # 12 pt at the left margin
    small: ParagraphStyle          # 10 pt (Исп. …)


@lru_cache(maxsize=None)
def styles() -> Styles:
    register_pt_serif()

    def style(name: str, size: float = 14, font: str = FAMILY, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * LEADING, **kw)

    return Styles(
        text=style("text", alignment=TA_JUSTIFY, firstLineIndent=INDENT),
        left=style("left"),
        right=style("right", alignment=TA_RIGHT),
        centre=style("centre", alignment=TA_CENTER),
        centre_bold=style("centre_bold", font=BOLD, alignment=TA_CENTER),
        founder=style("founder", 12, alignment=TA_CENTER, spaceAfter=2 * mm),
        doc_type=style("doc_type", 16, BOLD, alignment=TA_CENTER),
        heading=style("heading", font=BOLD, rightIndent=FRAME_WIDTH - 95 * mm),
        title=style("title", font=BOLD, spaceBefore=4 * mm, spaceAfter=2 * mm),
        empty=style("empty", font=ITALIC, alignment=TA_JUSTIFY, firstLineIndent=INDENT),
        mark=style("mark", 12, leftIndent=FRAME_WIDTH / 2),
        line=style("line", 12),
        small=style("small", 10),
    )


@dataclass(frozen=True)
class CellStyles:
    body: ParagraphStyle
    centred: ParagraphStyle
    header: ParagraphStyle
    padding: float                 # left and right
    vpadding: float                # top and bottom


@lru_cache(maxsize=None)
def cell_styles(size: float) -> CellStyles:
    register_pt_serif()
    common = dict(fontName=FAMILY, fontSize=size, leading=size * LEADING, embeddedHyphenation=1)
    return CellStyles(
        body=ParagraphStyle(f"cell{size}", **common),
        centred=ParagraphStyle(f"cell{size}c", alignment=TA_CENTER, **common),
        header=ParagraphStyle(f"head{size}", **{**common, "fontName": BOLD}, alignment=TA_CENTER),
        padding=2.5,
        vpadding=3 if size >= 12 else 2,
    )


def lines(count: int) -> Spacer:
    """Room for `count` empty lines of 14 pt text."""
    return Spacer(0, count * 14 * LEADING)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of view text; escaped, since Paragraph reads its text as markup."""
    return Paragraph(escape(text), style)


def letterhead(head: Letterhead, doc_type: str) -> list[Flowable]:
    s = styles()
    founder = [para(head.founder, s.founder)] if head.founder else []
    return [*founder, para(head.name, s.centre_bold), para(f"({head.short_name})", s.centre_bold),
            Spacer(0, 6 * mm), para(doc_type, s.doc_type), Spacer(0, 4 * mm)]


def date_line(date: str, number: str, place: str) -> list[Flowable]:
    """Date at the left, number at the right, place centred under them."""
    s = styles()
    table = Table([[para(date, s.left), para(number, s.right)]], colWidths=[FRAME_WIDTH / 2] * 2,
                  style=_borderless(14))
    return [table, para(place, s.centre)] if place else [table]


def signature_line(signature: Signature, *, underline: bool, size: float = 14) -> Table:
    """Position at the left, name flush right on the level of the position's last line."""
    s = styles()
    style = s.left if size == 14 else s.line
    name_width = stringWidth(signature.name, FAMILY, size) + 2
    line_width = 45 * mm if underline else 0
    position = para(signature.position, style)
    if underline:
        row = [position, UNDERLINE, signature.name]
        widths = [FRAME_WIDTH - line_width - name_width, line_width, name_width]
    else:
        row, widths = [position, signature.name], [FRAME_WIDTH - name_width, name_width]
    commands = [*_borderless(size), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("ALIGN", (-1, 0), (-1, 0), "RIGHT")]
    if underline:
        commands.append(("ALIGN", (1, 0), (1, 0), "CENTER"))
    return Table([row], colWidths=widths, style=commands)


def signature_rows(rows: Sequence[tuple[str, str, str]], size: float = 12) -> Table:
    """Rows of «position  ____________  name  date blank», e.g. the acquainted block of an order."""
    pad = cell_styles(size).padding

    def width(texts: Iterable[str]) -> float:
        return max(stringWidth(t, FAMILY, size) for t in texts) + 2 * pad + 1

    gap = 4 * mm
    widths = [width([UNDERLINE]) + gap, width(r[1] for r in rows) + gap, width(r[2] for r in rows)]
    widths.insert(0, FRAME_WIDTH - sum(widths))  # the position takes what is left, and wraps
    body_style = cell_styles(size).body
    data = [[para(position, body_style), UNDERLINE, name, blank] for position, name, blank in rows]
    commands = [("FONTNAME", (0, 0), (-1, -1), FAMILY), ("FONTSIZE", (0, 0), (-1, -1), size),
                ("LEADING", (0, 0), (-1, -1), size * LEADING), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("LEFTPADDING", (0, 0), (0, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]
    return Table(data, colWidths=widths, style=commands)


def data_table(columns: tuple[Column, ...], rows: Iterable[object], size: float, *,
               min_row_height: float | None = None, shade_header: bool = False,
               total: float = FRAME_WIDTH) -> Table | PagedTable:
    """A gridded table; the header row repeats on every page.

    Cells are broken into lines here, exactly where a Paragraph would break them, and placed as plain
    multi-line strings in rows of known height: reportlab then neither wraps a Paragraph per cell nor
    measures the remaining rows again at every page break, which matters on a 1,000-row sheet (the look is
    the same: a string and a Paragraph start their first line one font size below the same top).
    """
    texts = [cells(row, columns) for row in rows]
    size = body_size(columns, texts, size, total)
    cs = cell_styles(size)
    widths, header_size = fit_columns(columns, texts, size, cs.padding, total)
    centred = [all(_numeric(row[i]) for row in texts) for i in range(len(columns))]
    room = [w - 2 * cs.padding for w in widths]
    head = cell_styles(header_size)
    styled = [[(c.header, head.header) for c in columns]]
    styled += [[(text, None if not text or stringWidth(text, FAMILY, size) <= space else
                 cs.centred if centre else cs.body) for text, space, centre in zip(row, room, centred)]
               for row in texts]
    data: list[list[object]] = []
    heights: list[float] | None = []
    for number, row in enumerate(styled):
        out, tallest = [], 0.0
        for (text, style), space in zip(row, room):
            if style is None:
                value, height = text, len(text.split("\n")) * cs.body.leading
            else:
                value, height = _cell(text, space, style)
            out.append(value)
            tallest = max(tallest, height)
        data.append(out)
        heights.append(max(min_row_height or 0, tallest + 2 * cs.vpadding) if number else tallest + 2 * cs.vpadding)
    if max(heights) > FRAME_HEIGHT / 2:
        # A cell of half a page or more may have to continue on the next page, which only a Paragraph does.
        data = [[text if style is None else para(text, style) for text, style in row] for row in styled]
        heights = [None] + [min_row_height if all(style is None for _, style in row) else None
                            for row in styled[1:]] if min_row_height else None
    commands = [*_borderless(size, cs.padding, cs.vpadding), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, 0), BOLD), ("FONTSIZE", (0, 0), (-1, 0), header_size),
                ("LEADING", (0, 0), (-1, 0), head.header.leading), ("ALIGN", (0, 0), (-1, 0), "CENTER")]
    commands += [("ALIGN", (i, 1), (i, -1), "CENTER") for i, centre in enumerate(centred) if centre]
    if shade_header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)))
    if heights is None:
        return Table(data, colWidths=widths, repeatRows=1, style=TableStyle(commands))
    return PagedTable(data, heights, widths, commands)


class PagedTable(Flowable):
    """A table of rows of known height that becomes one reportlab Table per page, the header row on each.

    reportlab splits a long Table by building a new Table of all the remaining rows at every page break
    (restyling each cell), which is quadratic in the rows; here each page gets a Table of its own rows only.
    Where rows break and how high the table is are reckoned exactly as reportlab's Table reckons them.
    """

    def __init__(self, data: list[list[object]], heights: list[float], widths: list[float], commands: list[tuple],
                 first: int = 1):
        super().__init__()
        self._data, self._heights, self._widths = data, heights, widths
        self._commands = list(commands)
        self._first = first              # number in the whole table of this part's first row after the header

    @property
    def row_heights(self) -> list[float]:
        """Heights of the header row and the rows of this part, in points."""
        return list(self._heights)

    def setStyle(self, commands: Iterable[tuple]) -> None:  # noqa: N802 (Table's name)
        """Add style commands; their rows are numbered in the whole table, as in a Table's own style."""
        self._commands += list(commands)

    def _table(self, stop: int | None = None) -> Table:
        """A Table of the header and the rows of this part up to `stop`."""
        rows = self._data[1:stop]
        last = self._first + len(rows) - 1
        commands = []
        for command in self._commands:
            (c0, r0), (c1, r1) = command[1], command[2]
            if r0 >= 1 and r1 >= 1:     # rows named by number: keep those of this part, renumbered
                r0, r1 = max(r0, self._first), min(r1, last)
                if r0 > r1:
                    continue
                command = (command[0], (c0, r0 - self._first + 1), (c1, r1 - self._first + 1), *command[3:])
            commands.append(command)
        return Table(self._data[:1] + rows, colWidths=self._widths, rowHeights=self._heights[:1] + self._heights[1:stop],
                     repeatRows=1, style=TableStyle(commands))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        width = 0.0
        for w in self._widths:
            width = width + w
        # Summed from the last row with the compensation Table._calc_height uses: the same float.
        height = c = 0.0
        for h in reversed(self._heights):
            y = h - c
            t = height + y
            c = (t - height) - y
            height = t
        self.width, self.height = width, height
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # Table._getFirstPossibleSplitRowPosition: the rows (header included) that fit.
        h, fit = 0.0, 0
        for rh in self._heights:
            if h + rh > availHeight:
                break
            h += rh
            fit += 1
        if fit <= 1:
            return []                    # not even one row under the header: the next page
        if fit == len(self._heights):
            return [self]
        rest = PagedTable(self._data[:1] + self._data[fit:], self._heights[:1] + self._heights[fit:], self._widths,
                          self._commands, self._first + fit - 1)
        return [self._table(fit), rest]

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        table = self._table()
        table.wrapOn(canvas, self.width, self.height)
        table.drawOn(canvas, x, y, _sW)


def _cell(text: str, room: float, style: ParagraphStyle) -> tuple[str | Paragraph, float]:
    """`text` broken into lines of at most `room` points (see `_lines`), joined by newlines, and their height.

    Centred text stays a Paragraph (wrapped once): it draws each line from the paragraph's left edge, and text
    extraction reads that offset as a space, which the reviewed texts of the documents keep."""
    if style.alignment == TA_CENTER:
        paragraph = _WrappedOnce(escape(text), style)
        return paragraph, paragraph.wrap(room, 1e9)[1]
    lines = _lines(text, room, style.fontName, style.fontSize)
    return "\n".join(lines), len(lines) * style.leading


class _WrappedOnce(Paragraph):
    """A Paragraph that breaks its lines once per width: a table repeats its header row on every page, and
    reportlab wraps every cell of it again on each."""

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        if self._wrapped is None or self._wrapped[0] != availWidth:
            self._wrapped = availWidth, super().wrap(availWidth, availHeight)
        return self._wrapped[1]


@lru_cache(maxsize=8192)
def _lines(text: str, room: float, font: str, size: float) -> tuple[str, ...]:
    """`text` in lines of at most `room` points: filled word by word as a Paragraph fills them (the same lines
    wherever every word fits), but a word too long for the rest of a line breaks after an inner hyphen
    («декоративно-» | «прикладного»), and only a word too long for a whole line is cut between letters, from
    the start of a line of its own. Cached: a sheet repeats its category texts a thousand times."""
    space = stringWidth(" ", font, size)
    shrink = SPACE_SHRINKAGE * space   # reportlab lets each space of a line give a little: a line may be that much longer
    known: dict[str, float] = {}

    def width(word: str) -> float:
        if word not in known:
            known[word] = stringWidth(word, font, size)
        return known[word]

    lines: list[str] = []
    line: list[str] = []
    used = -space                      # as reportlab counts: the first word brings no space before it
    pending = [w for w in reversed(_SPACES.split(text.strip())) if w]
    while pending:
        word = pending.pop()
        limit = room + shrink * len(line)
        if used + space + width(word) <= limit:
            line.append(word)
            used += space + width(word)
            continue
        head, tail = _hyphen_split(word, limit - used - space, width)
        if line and head:
            line.append(head)          # «…Студия декоративно-» | «прикладного»
            pending.append(tail)
        elif line:
            pending.append(word)       # the word starts the next line
        elif head:
            line.append(head)
            pending.append(tail)
        else:
            # Too long for a line of its own: at a no-break space («Константинопольская | А.В.»), else between letters.
            head, tail = _hyphen_split(word, room, width, _NBSP)
            if not head:
                head, tail = _letter_split(word, room, width)
            line.append(head)
            if tail:
                pending.append(tail)
        lines.append(" ".join(line))
        line, used = [], -space
    if line:
        lines.append(" ".join(line))
    return tuple(lines)


def _hyphen_split(word: str, room: float, width: Callable[[str], float],
                  at: re.Pattern | None = None) -> tuple[str, str]:
    """The longest part of `word` up to an inner hyphen (or a match of `at`, which is dropped) that fits
    `room`, and the rest; ("", word) if none."""
    parts = (at or _HYPHENS).split(word)
    joint = "" if at is None else "\u00a0"
    for k in range(len(parts) - 1, 0, -1):
        head = joint.join(parts[:k])
        if width(head) <= room:
            return head, joint.join(parts[k:])
    return "", word


def _letter_split(word: str, room: float, width: Callable[[str], float]) -> tuple[str, str]:
    """A word wider than a whole line, cut where the most letters fit; after a vowel where that keeps at
    least two letters on each side and loses little room («Хореографи|ческая», not «Хореографич|еская»)."""
    fit = 1
    while fit < len(word) and width(word[:fit + 1]) <= room:
        fit += 1
    if fit >= len(word):
        return word, ""
    for cut in range(fit, max(1, fit - 4), -1):
        if cut >= 2 and len(word) - cut >= 2 and word[cut - 1].lower() in _VOWELS:
            return word[:cut], word[cut:]
    return word[:fit], word[fit:]


def body_size(columns: tuple[Column, ...], texts: Sequence[Sequence[str]], size: float,
              total: float = FRAME_WIDTH) -> float:
    """The font size of a table's text: `size`, or up to 1 pt smaller when only then does every word fit its
    column whole (a group title's «Хореографическая» beside eight columns); when none does, `size`."""
    padding = cell_styles(size).padding
    for smaller in (size, *(size - step for step in SMALLER_BODY)):
        if _plan(columns, texts, smaller, padding, total)[2]:
            return smaller
    return size


def fit_columns(columns: tuple[Column, ...], texts: Sequence[Sequence[str]], size: float, padding: float,
                total: float = FRAME_WIDTH) -> tuple[list[float], float]:
    """Column widths and the header's font size for a table of `texts`.

    Widths start from the relative ones and grow where a word would not fit and be cut mid-word. The extra
    width comes first from room no text needs (the column would wrap nothing without it), then from room
    above each column's longest word, in proportion to that room. The header font shrinks (by 2 pt at most,
    not below MIN_HEADER_SIZE) when that spares the other columns: when at a smaller size the headers fit
    the given widths to within HEADER_SHORT, or when at full size the longest words leave no room (CRAMPED).

    When the words cannot all fit, a header word still never breaks: each column keeps the room of its
    widest header word, and what is left goes to the body words that lack room (see _header_first).
    """
    widths, header_size, _ = _plan(columns, texts, size, padding, total)
    return widths, header_size


def _plan(columns: tuple[Column, ...], texts: Sequence[Sequence[str]], size: float, padding: float,
          total: float) -> tuple[list[float], float, bool]:
    """fit_columns' widths and header size, and whether every body word fits whole."""
    register_pt_serif()
    given = [c.width * total / sum(col.width for col in columns) for c in columns]
    pad = 2 * padding + 1
    body_word, body_whole = _extents(list(zip(*texts)) if texts else [()] * len(columns), FAMILY, size)
    # A word wider than a third of the table is broken inside anyway (Paragraph splits long words); letting
    # it claim its whole width would squeeze the other columns to nothing.
    body_word = [min(word, total / 3) for word in body_word]
    options = []
    smallest = min(MIN_HEADER_SIZE, size - 0.5)    # a table set smaller than MIN_HEADER_SIZE keeps its header below it
    for header_size in (s for s in (size, size - 0.5, size - 1, size - 1.5, size - 2) if s >= smallest):
        head_word, head_whole = _extents([(c.header,) for c in columns], BOLD, header_size, _SPACES)
        low = [max(h, b) + pad for h, b in zip(head_word, body_word)]
        high = [max(h, b) + pad for h, b in zip(head_whole, body_whole)]
        header_short = sum(max(0.0, h + pad - g) for h, g in zip(head_word, given))
        options.append((header_size, low, high, header_short))
    roomy = [o for o in options if sum(o[1]) <= CRAMPED * total]
    header_size, low, high, _ = next((o for o in roomy if o[3] <= HEADER_SHORT), (roomy or options[-1:])[0])
    if sum(low) >= total:
        return (*_header_first(columns, body_word, header_size, pad, total), False)
    short = sum(max(0.0, n - w) for n, w in zip(low, given))
    widths = [max(w, n) for w, n in zip(given, low)]
    for floor in (high, low):
        spare = [max(0.0, w - f) for w, f in zip(widths, floor)]
        take = min(short, sum(spare))
        if take > 0:
            widths = [w - take * room / sum(spare) for w, room in zip(widths, spare)]
            short -= take
    return widths, header_size, True


def _header_first(columns: tuple[Column, ...], body_word: list[float], header_size: float, pad: float,
                  total: float) -> tuple[list[float], float]:
    """Widths when not every word fits: each column its widest header word (the header font smaller, down to
    MIN_HEADER_FALLBACK, if even those do not fit), then the rest to the body words up to one level: a column
    whose widest word needs less gets just that (dates, names stay whole), the others the level
    (water-filling), so that only the widest words are cut, all of them alike."""
    while True:
        head_word = _extents([(c.header,) for c in columns], BOLD, header_size, _SPACES)[0]
        floor = [h + pad for h in head_word]
        if sum(floor) <= total or header_size <= MIN_HEADER_FALLBACK:
            break
        header_size -= 0.5
    want = [max(f, b + pad) for f, b in zip(floor, body_word)]

    def widths_at(level: float) -> list[float]:
        return [max(f, min(w, level)) for f, w in zip(floor, want)]

    low, high = 0.0, max(want)
    for _ in range(60):              # the level at which the columns fill the width (bisection)
        level = (low + high) / 2
        low, high = (level, high) if sum(widths_at(level)) < total else (low, level)
    widths = widths_at(low)
    spare = total - sum(widths)      # all met: the rest in proportion to the widths, as a roomy table spreads
    return [w + spare * w / sum(widths) for w in widths], header_size


def _extents(columns: Sequence[Sequence[str]], font: str, size: float,
             breaks: re.Pattern = _BREAKS) -> tuple[list[float], list[float]]:
    """Per column of texts: the widest unbreakable word (between `breaks`) and the widest whole text."""
    known: dict[str, float] = {}
    words: list[float] = []
    wholes: list[float] = []
    for texts in columns:
        word = whole = 0.0
        for text in texts:
            if not text:
                continue
            for piece in breaks.split(text):
                if piece not in known:
                    known[piece] = stringWidth(piece, font, size)
                word = max(word, known[piece])
            whole = max(whole, stringWidth(text, font, size))
        words.append(word)
        wholes.append(whole)
    return words, wholes


def _numeric(text: str) -> bool:
    """Numbers, dates, per cents and codes like «MAX» or «нет» are centred in their column."""
    return len(text) <= 4 or (len(text) <= SHORT and any(ch.isdigit() for ch in text))


def _borderless(size: float, padding: float = 0, vpadding: float = 0) -> list[tuple]:
    return [("FONTNAME", (0, 0), (-1, -1), FAMILY), ("FONTSIZE", (0, 0), (-1, -1), size),
            ("LEADING", (0, 0), (-1, -1), size * LEADING),
            ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), vpadding), ("BOTTOMPADDING", (0, 0), (-1, -1), vpadding)]


class NumberedCanvas(Canvas):
    """Prints «стр. N из M» at the bottom right: pages are held back until save(), when M is known."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self.setFont(FAMILY, 10)
            self.drawRightString(self._pagesize[0] - RIGHT, FOOTER_Y, f"стр. {self._pageNumber} из {total}")
            super().showPage()
        super().save()


@dataclass(frozen=True)
class Meta:
    """Document information; fixed text from the view, so that equal views give equal bytes."""

    title: str
    author: str
    subject: str
    stamp: Stamp | None = None     # fingerprint printed on every page, manifest kept in the keywords


def build(path: str | Path, story: list[Flowable], meta: Meta, *,
          on_page: Callable[[Canvas, BaseDocTemplate], None] | None = None,
          canvasmaker: type[Canvas] = Canvas, first_page_reserve: float = 0, landscape: bool = False) -> Path:
    """`first_page_reserve`: height kept free above the bottom margin of page 1 (for the QR code)."""
    page_width, page_height = (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    frame_width, frame_height = page_width - LEFT - RIGHT, page_height - TOP - BOTTOM
    register_pt_serif()
    decorate = dict(onPage=on_page or _no_decoration,
                    onPageEnd=partial(_stamp_footer, text=meta.stamp.footer if meta.stamp else ""))
    # A frame without padding, so that the margins are exactly the ones above.
    frame = Frame(LEFT, BOTTOM, frame_width, frame_height, 0, 0, 0, 0, id="body")
    templates = [PageTemplate("page", [frame], **decorate)]
    if first_page_reserve:
        first = Frame(LEFT, BOTTOM + first_page_reserve, frame_width, frame_height - first_page_reserve, 0, 0, 0, 0,
                      id="first")
        templates.insert(0, PageTemplate("first", [first], autoNextPageTemplate="page", **decorate))
    def document() -> BaseDocTemplate:
        return BaseDocTemplate(
            str(path), pagesize=(page_width, page_height), pageTemplates=templates,
            leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP, bottomMargin=BOTTOM,
            title=meta.title, author=meta.author, subject=meta.subject, creator="compliance", lang="ru-RU",
            keywords=meta.stamp.manifest() if meta.stamp else "",  # read back by `compliance verify`
            invariant=1,            # no timestamps, a stable document id
            initialFontName=FAMILY,  # else every page names Helvetica in its preamble
        )

    try:
        document().build(list(story), canvasmaker=canvasmaker)
    except LayoutError:
        # A table cell taller than a page (a very long description) would stop the document; only then do
        # rows continue on the next page (a row is otherwise kept whole).
        for flowable in story:
            if isinstance(flowable, Table):
                flowable.splitInRow = 1
        document().build(list(story), canvasmaker=canvasmaker)
    return Path(path)


def _no_decoration(canvas: Canvas, doc: BaseDocTemplate) -> None:
    pass


def _stamp_footer(canvas: Canvas, doc: BaseDocTemplate, *, text: str) -> None:
    """The records fingerprint at the bottom left of every page; drawn last, so it is read after the page."""
    if text:
        canvas.saveState()
        canvas.setFont(FAMILY, STAMP_SIZE)
        canvas.drawString(LEFT, FOOTER_Y, text)
        canvas.restoreState()


def draw_qr(canvas: Canvas, text: str) -> None:
    """ГОСТ Р 7.0.97-2025 requisite 31: the QR code at the bottom right of the page, as vector squares."""
    from .qr import dark_runs, matrix

    # No quiet zone in the drawing: the margin and the reserve above it keep the code clear of text.
    module = QR_SIZE / len(matrix(text))
    left, top = PAGE_WIDTH - RIGHT - QR_SIZE, QR_BOTTOM + QR_SIZE
    path = canvas.beginPath()
    for row, column, length in dark_runs(text):
        # Each row 5 % taller than a module, overlapping the next: no hairline shows between rows.
        path.rect(left + column * module, top - (row + 1) * module, length * module, module * 1.05)
    canvas.saveState()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()

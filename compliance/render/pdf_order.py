"""The order (приказ) as PDF, laid out after ГОСТ Р 7.0.97-2025."""
from __future__ import annotations

from functools import partial
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, KeepTogether, Spacer
from reportlab.platypus.flowables import TopPadder

from ..views.order import OrderPoint, OrderView
from .fonts import BOLD, FAMILY
from .pdf_common import (FRAME_WIDTH, HEADER_Y, LEFT, PAGE_WIDTH, QR_RESERVE, RIGHT, Meta, build, data_table,
                         date_line, draw_qr, letterhead, lines, para, signature_line, signature_rows, styles)

GROUP_TABLE_SIZE = 10  # seven columns: 12 pt would wrap nearly every cell


def render_order(view: OrderView, path: str | Path) -> Path:
    s = styles()
    story: list[Flowable] = [
        *letterhead(view.letterhead, view.doc_type),
        *date_line(view.date, view.number, view.letterhead.place),
        Spacer(0, 8 * mm),
        para(view.heading, s.heading),
        Spacer(0, 6 * mm),
        para(view.preamble, s.text),
        para(view.command, s.left),
        CondPageBreak(30 * mm),  # keep the first point with the start of its table
        _point(view.create_point),
    ]
    if view.groups:
        story += [Spacer(0, 2 * mm), data_table(view.group_columns, view.groups, GROUP_TABLE_SIZE), Spacer(0, 2 * mm)]
    *points, last = [_point(p) for p in view.points] or [Spacer(0, 0)]
    story += points
    # The signature never stands alone on a page: it keeps the last point with it.
    story.append(KeepTogether([last, lines(3), signature_line(view.signature, underline=False)]))
    if view.acquainted:
        story += [CondPageBreak(25 * mm), lines(2), para(view.acquainted_heading, s.left), Spacer(0, 4 * mm),
                  signature_rows([(a.position, a.name, a.blank) for a in view.acquainted])]
    if view.executor:
        # Отметка об исполнителе: bottom left of the last page.
        story.append(TopPadder(para(view.executor, s.small)))
    meta = Meta(title=view.heading, author=view.letterhead.short_name, subject=f"{view.doc_type} {view.number}",
                stamp=view.stamp)
    return build(path, story, meta, on_page=partial(_decorate, draft_mark=view.draft_mark, qr=view.qr),
                 first_page_reserve=QR_RESERVE if view.qr else 0)


def _point(point: OrderPoint) -> Flowable:
    return para(f"{point.number} {point.text}", styles().text)


def _decorate(canvas: Canvas, doc: BaseDocTemplate, *, draft_mark: str, qr: str) -> None:
    """Page number from page 2 on, digits only, centred in the top margin; the draft mark at the top right;
    the QR code at the bottom right of page 1."""
    canvas.saveState()
    page = canvas.getPageNumber()
    if page == 1 and qr:
        draw_qr(canvas, qr)
    if page > 1:
        canvas.setFont(FAMILY, 12)
        canvas.drawCentredString(LEFT + FRAME_WIDTH / 2, HEADER_Y, str(page))
    if draft_mark:
        canvas.setFont(BOLD, 12)
        canvas.drawRightString(PAGE_WIDTH - RIGHT, HEADER_Y, draft_mark)
    canvas.restoreState()

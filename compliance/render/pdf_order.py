"""The order (приказ) as PDF, laid out after ГОСТ Р 7.0.97-2025."""
from __future__ import annotations

from functools import lru_cache, partial
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer
from reportlab.platypus.flowables import TopPadder

from ..views.order import Appendix, OrderPoint, OrderView
from .fonts import BOLD, FAMILY
from .pdf_common import (FRAME_WIDTH, HEADER_Y, INDENT, LEADING, LEFT, PAGE_WIDTH, QR_RESERVE, RIGHT, Meta, build,
                         data_table, date_line, draw_qr, letterhead, lines, para, signature_line, signature_rows,
                         styles)

GROUP_TABLE_SIZE = 10  # seven columns: 12 pt would wrap nearly every cell
CORNER_WIDTH = 80 * mm  # ГОСТ Р 7.0.97-2025: corner requisites at most 8 cm long, in the right part of the page
CORNER_SIZE = 12
DASH = "– "             # how the view starts a list item; printed as the item's bullet


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
    ]
    if view.create_point.text:  # an order creating no groups (a new edition of the rules) has no such point
        story += [CondPageBreak(30 * mm), _point(view.create_point)]  # the point stays with the start of its table
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
    for appendix in view.appendices:
        story += [PageBreak(), *_appendix(appendix)]
    meta = Meta(title=view.heading, author=view.letterhead.short_name, subject=f"{view.doc_type} {view.number}",
                stamp=view.stamp)
    return build(path, story, meta, on_page=partial(_decorate, draft_mark=view.draft_mark, qr=view.qr),
                 first_page_reserve=QR_RESERVE if view.qr else 0)


def _point(point: OrderPoint) -> Flowable:
    return para(f"{point.number} {point.text}", styles().text)


@lru_cache(maxsize=None)
def _appendix_styles() -> dict[str, ParagraphStyle]:
    s = styles()

    def style(name: str, parent: ParagraphStyle, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(f"appendix_{name}", parent=parent, **kw)

    size = s.text.fontSize
    # reportlab keeps 0.6 em after a bullet; less room would shorten the first line of every item.
    bullet = stringWidth(DASH.strip(), FAMILY, size) + 0.6 * size
    return {
        # Lines left-aligned inside a block at the right edge of the text.
        "corner": ParagraphStyle("appendix_corner", parent=s.line, fontSize=CORNER_SIZE, leading=CORNER_SIZE * LEADING,
                                 leftIndent=FRAME_WIDTH - CORNER_WIDTH),
        "title": style("title", s.centre_bold, keepWithNext=1),
        "edition": style("edition", s.centre, keepWithNext=1),
        "heading": style("heading", s.centre_bold, spaceBefore=3 * mm, spaceAfter=1.5 * mm, keepWithNext=1),
        "paragraph": s.text,
        # Hanging indent: the dash at the paragraph indent, wrapped lines aligned with the text after it; no
        # first-line indent (an item must not inherit the paragraph's). The dash is drawn as a bullet, because
        # justification would stretch any space after it, even a non-breaking one.
        "item": style("item", s.left, alignment=TA_JUSTIFY, leftIndent=INDENT + bullet, bulletIndent=INDENT,
                      bulletFontName=FAMILY, bulletFontSize=size),
    }


def _appendix(appendix: Appendix) -> list[Flowable]:
    """An approved act after the order, from the top of a new page: the appendix mark and the approval
    stamp at the top right, the act's name centred, then its text."""
    st = _appendix_styles()
    corner = st["corner"]
    story: list[Flowable] = [para(line, corner) for line in appendix.mark]
    story.append(Spacer(0, corner.leading))
    story += [para(line, corner) for line in appendix.approval]
    story += [lines(2), para(appendix.doc_type, st["title"]), para(appendix.heading, st["title"])]
    if appendix.edition:
        story.append(para(appendix.edition, st["edition"]))
    story.append(Spacer(0, 6 * mm))
    for block in appendix.blocks:
        if block.kind == "item" and block.text.startswith(DASH):
            story.append(Paragraph(escape(block.text[len(DASH):]), st["item"], bulletText=DASH.strip()))
        else:
            story.append(para(block.text, st.get(block.kind, st["paragraph"])))
    return story


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

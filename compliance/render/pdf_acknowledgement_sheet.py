"""The acknowledgement sheet (лист ознакомления) as PDF: a table to be signed by hand."""
from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..views.acknowledgement_sheet import AckSheetView
from .pdf_common import Meta, NumberedCanvas, build, data_table, para, signature_line, styles

ROW_HEIGHT = 8.5 * mm  # room for a handwritten signature
TABLE_SIZE = 12


def render_ack_sheet(view: AckSheetView, path: str | Path) -> Path:
    s = styles()
    story: list[Flowable] = [
        *(para(line, s.mark) for line in view.appendix_mark),
        Spacer(0, 6 * mm),
        para(view.letterhead.short_name, s.centre_bold),
        Spacer(0, 4 * mm),
        para(view.heading, s.centre_bold),
        para(view.subject, s.centre),
        para(view.approval, s.centre),
        Spacer(0, 4 * mm),
        para(view.group, s.line),
        para(view.admin, s.line),
        para(view.deadline, s.line),
        Spacer(0, 3 * mm),
        data_table(view.columns, view.rows, TABLE_SIZE, min_row_height=ROW_HEIGHT, shade_header=True),
        KeepTogether([Spacer(0, 3 * mm), para(view.total, s.line), Spacer(0, 10 * mm),
                      signature_line(view.admin_signature, underline=True, size=TABLE_SIZE)]),
    ]
    meta = Meta(title=f"{view.heading} {view.subject} {view.approval}", author=view.letterhead.short_name,
                subject=view.group, stamp=view.stamp)
    return build(path, story, meta, canvasmaker=NumberedCanvas)

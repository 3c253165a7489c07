"""The order register (журнал регистрации приказов) as PDF: the letterhead, then one table of orders."""
from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from ..views.order_register import OrderRegisterView
from .pdf_common import LANDSCAPE_FRAME_WIDTH, Meta, NumberedCanvas, build, data_table, letterhead, para, styles

TABLE_SIZE = 10  # seven columns on a portrait page, as the order's table of groups


def render_order_register(view: OrderRegisterView, path: str | Path) -> Path:
    s = styles()
    story: list[Flowable] = [
        *letterhead(view.letterhead, view.heading),
        para(view.subtitle, s.centre),
        Spacer(0, 6 * mm),
        data_table(view.columns, view.rows, TABLE_SIZE, shade_header=True, total=LANDSCAPE_FRAME_WIDTH),
        Spacer(0, 4 * mm),
        para(view.total, s.line),
    ]
    if view.missing_numbers:
        story += [Spacer(0, 2 * mm), para(view.missing_numbers, s.line)]
    meta = Meta(title=f"{view.heading} {view.subtitle}", author=view.letterhead.short_name, subject=view.total,
                stamp=view.stamp)
    return build(path, story, meta, canvasmaker=NumberedCanvas, landscape=True)

"""PDF renderer: one function per view-model, and `render` to pick the right one.

Renderers only place the text a view gives them; PT Serif is embedded, and equal views give equal bytes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import InternalError
from ..views.acknowledgement_sheet import AckSheetView
from ..views.monthly_report import MonthlyReportView
from ..views.order import OrderView
from ..views.order_register import OrderRegisterView
from .pdf_acknowledgement_sheet import render_ack_sheet
from .pdf_monthly_report import render_monthly_report
from .pdf_order import render_order
from .pdf_order_register import render_order_register

__all__ = ["render", "render_ack_sheet", "render_monthly_report", "render_order", "render_order_register"]

_RENDERERS: dict[type, Callable[..., Path]] = {
    OrderView: render_order,
    AckSheetView: render_ack_sheet,
    MonthlyReportView: render_monthly_report,
    OrderRegisterView: render_order_register,
}


def render(view: OrderView | AckSheetView | MonthlyReportView | OrderRegisterView, path: str | Path) -> Path:
    """Write `view` as a PDF file at `path` and return the path."""
    try:
        renderer = _RENDERERS[type(view)]
    except KeyError:
        raise InternalError(f"no PDF renderer for {type(view).__name__}") from None
    return renderer(view, path)

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
from .pdf_acknowledgement_sheet import render_ack_sheet
from .pdf_monthly_report import render_monthly_report
from .pdf_order import render_order

__all__ = ["render", "render_ack_sheet", "render_monthly_report", "render_order"]

_RENDERERS: dict[type, Callable[..., Path]] = {
    OrderView: render_order,
    AckSheetView: render_ack_sheet,
    MonthlyReportView: render_monthly_report,
}


def render(view: OrderView | AckSheetView | MonthlyReportView, path: str | Path) -> Path:
    """Write `view` as a PDF file at `path` and return the path."""
    try:
        renderer = _RENDERERS[type(view)]
    except KeyError:
        raise InternalError(f"no PDF renderer for {type(view).__name__}") from None
    return renderer(view, path)

"""The monthly compliance report (ежемесячный отчёт) as PDF."""
from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from ..views.monthly_report import MonthlyReportView, ReportSection
from .pdf_common import (Meta, NumberedCanvas, build, data_table, date_line, letterhead, lines, para, signature_line,
                         styles)

TABLE_SIZE = 10  # up to eight columns


def render_monthly_report(view: MonthlyReportView, path: str | Path) -> Path:
    s = styles()
    story: list[Flowable] = [
        *letterhead(view.letterhead, view.doc_type),
        *date_line(view.date, "", view.letterhead.place),
        Spacer(0, 8 * mm),
        para(view.heading, s.heading),
        Spacer(0, 6 * mm),
        *(para(text, s.text) for text in view.summary),
    ]
    for section in view.sections:
        story += _section(section)
    story += [
        lines(3),
        KeepTogether([
            signature_line(view.prepared_by, underline=False),
            lines(2),
            para(view.reviewed_heading, s.left),
            Spacer(0, 4 * mm),
            signature_line(view.reviewed_by, underline=True),
            Spacer(0, 4 * mm),
            para(view.reviewed_date, s.left),
        ]),
    ]
    meta = Meta(title=view.heading, author=view.letterhead.short_name, subject=view.doc_type, stamp=view.stamp)
    return build(path, story, meta, canvasmaker=NumberedCanvas)


def _section(section: ReportSection) -> list[Flowable]:
    s = styles()
    out: list[Flowable] = [CondPageBreak(35 * mm), para(section.title, s.title)]  # no title alone at a page foot
    if section.lead:
        out.append(para(section.lead, s.text))
    if section.rows:
        out += [Spacer(0, 2 * mm), data_table(section.columns, section.rows, TABLE_SIZE)]
    else:
        out.append(para(section.empty, s.empty))
    return out

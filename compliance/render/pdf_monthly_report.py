"""The monthly compliance report (ежемесячный отчёт) as PDF.

Page 1 holds the assessment by clause and the conclusion, and nothing else: the numbered sections start on
page 2. The coverage chart is a reportlab drawing, so its labels are PT Serif text in the PDF.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table

from ..views.monthly_report import CoverageChart, MonthlyReportView, ReportSection
from .fonts import BOLD, FAMILY
from .pdf_common import (FRAME_HEIGHT, FRAME_WIDTH, LEADING, Meta, NumberedCanvas, PagedTable, build, data_table,
                         date_line, letterhead, lines, para, signature_line, styles)

TABLE_SIZE = 10        # up to eight columns
CLAUSE_SIZE = 10       # the page-1 table: it and the conclusion must fit under the summary
CHART_SIZE = 10        # labels of the coverage chart
BAR_PITCH = 22         # points per group in the chart
BARS_PER_DRAWING = 20  # groups per drawing: with two-line names still less than a page
LABEL_WIDTH = 75 * mm  # room for the groups' names (two lines of CHART_LABEL characters) at the left of the bars
FIRST_ROWS = 2         # table rows that must follow a section's title on its page
BAR_COLOUR = colors.Color(0.35, 0.35, 0.35)
GRID_COLOUR = colors.Color(0.8, 0.8, 0.8)


@lru_cache(maxsize=None)
def _own_styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    """The conclusion under the clause table (bold) and the chart's caption."""
    base = styles().text
    verdict = ParagraphStyle("verdict", parent=base, fontName=BOLD, alignment=TA_JUSTIFY)
    caption = ParagraphStyle("caption", parent=base, fontSize=12, leading=12 * LEADING, alignment=TA_CENTER,
                             firstLineIndent=0, spaceBefore=2 * mm)
    return verdict, caption


def render_monthly_report(view: MonthlyReportView, path: str | Path) -> Path:
    s = styles()
    verdict, caption = _own_styles()
    story: list[Flowable] = [
        *letterhead(view.letterhead, view.doc_type),
        *date_line(view.date, "", view.letterhead.place),
        Spacer(0, 6 * mm),
        para(view.heading, s.heading),
        Spacer(0, 4 * mm),
        *(para(text, s.text) for text in view.summary),
        *_clauses(view.clauses),
        Spacer(0, 3 * mm),
        para(view.verdict, verdict),
        PageBreak(),
    ]
    for section in view.sections:
        story += _section(section)
        if section is view.coverage and view.chart is not None:
            *pieces, last = view.chart.pieces(BARS_PER_DRAWING)   # a drawing cannot split across pages
            story += [Spacer(0, 4 * mm), *(chart_drawing(piece) for piece in pieces),
                      KeepTogether([chart_drawing(last), para(view.chart_title, caption)])]
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


def _clauses(section: ReportSection) -> list[Flowable]:
    """The assessment by clause: «не выполнено» in bold, so the eye finds it first."""
    s = styles()
    out: list[Flowable] = [para(section.title, s.title)]
    if section.lead:
        out.append(para(section.lead, s.text))
    if not section.rows:
        return out + [para(section.empty, s.empty)]
    table = data_table(section.columns, section.rows, CLAUSE_SIZE)
    status = next(i for i, c in enumerate(section.columns) if c.field == "status")
    table.setStyle([("FONTNAME", (status, row), (status, row), BOLD)
                    for row, item in enumerate(section.rows, 1) if item.alarm])
    return out + [Spacer(0, 2 * mm), table]


def _section(section: ReportSection) -> list[Flowable]:
    """Title, lead and table; a page break before the title unless the title, the lead and the table's header
    with its first rows (or the empty text) fit on the page: no heading is left alone at a page foot."""
    s = styles()
    out: list[Flowable] = [para(section.title, s.title)]
    if section.lead:
        out.append(para(section.lead, s.text))
    if section.rows:
        table = data_table(section.columns, section.rows, TABLE_SIZE)
        first = sum(table.row_heights[:1 + FIRST_ROWS]) if isinstance(table, PagedTable) else 35 * mm
        out += [Spacer(0, 2 * mm), table]
    else:
        out.append(para(section.empty, s.empty))
        first = 0
    need = first + sum(f.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                       for f in out if not isinstance(f, (PagedTable, Table)))
    return [CondPageBreak(need), *out]


def chart_drawing(chart: CoverageChart, width: float = FRAME_WIDTH) -> Drawing:
    """Horizontal bars, one per group in the table's order, 0–100 %, the per cent printed at each bar's end."""
    label_lines = [simpleSplit(bar.label, FAMILY, CHART_SIZE, LABEL_WIDTH - 6) for bar in chart.bars]
    pitch = max(BAR_PITCH, max(len(split) for split in label_lines) * CHART_SIZE * LEADING + 6)
    plot_height = pitch * len(chart.bars)
    bottom, top, right = 32, 6, 36   # room for the value axis and its title, above the first bar, for «100 %»
    drawing = Drawing(width, bottom + plot_height + top)
    drawing.initialFontName = FAMILY  # else reportlab names Helvetica in the page's resources

    bars = HorizontalBarChart()
    bars.x, bars.y = LABEL_WIDTH, bottom
    bars.width, bars.height = width - LABEL_WIDTH - right, plot_height
    bars.data = [[bar.value for bar in chart.bars]]
    bars.bars[0].fillColor = BAR_COLOUR
    bars.bars[0].strokeColor = None
    bars.barWidth = 10
    bars.groupSpacing = 10
    bars.categoryAxis.categoryNames = ["\n".join(split) for split in label_lines]
    bars.categoryAxis.reverseDirection = 1          # the first group on top, as in the table
    bars.categoryAxis.labels.fontName = FAMILY
    bars.categoryAxis.labels.fontSize = CHART_SIZE
    bars.categoryAxis.labels.leading = CHART_SIZE * LEADING
    bars.categoryAxis.labels.boxAnchor = "e"
    bars.categoryAxis.labels.textAnchor = "end"
    bars.categoryAxis.labels.dx = -4
    bars.categoryAxis.tickLeft = 0
    bars.valueAxis.valueMin, bars.valueAxis.valueMax, bars.valueAxis.valueStep = 0, 100, 25
    bars.valueAxis.labels.fontName = FAMILY
    bars.valueAxis.labels.fontSize = CHART_SIZE
    bars.valueAxis.labelTextFormat = "%d"
    bars.valueAxis.visibleGrid = 1
    bars.valueAxis.gridStrokeColor = GRID_COLOUR
    bars.valueAxis.gridStrokeWidth = 0.5
    bars.barLabelArray = [[bar.text for bar in chart.bars]]
    bars.barLabelFormat = "values"
    bars.barLabels.fontName = BOLD
    bars.barLabels.fontSize = CHART_SIZE
    bars.barLabels.boxAnchor = "w"
    bars.barLabels.dx = 3
    drawing.add(bars)
    drawing.add(String(bars.x + bars.width / 2, 2, chart.axis, fontName=FAMILY, fontSize=CHART_SIZE,
                       textAnchor="middle"))
    return drawing

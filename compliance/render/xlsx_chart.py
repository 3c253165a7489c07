"""The report's coverage chart as a native Excel bar chart, drawn from the figures on a sheet of the workbook.

A native chart (not a picture) stays live: whoever corrects a figure on that sheet sees the bar move, and
Excel and LibreOffice draw it sharply at any zoom.
"""
from __future__ import annotations

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.utils import quote_sheetname
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Font as DrawingFont, Paragraph, ParagraphProperties

from ..views.monthly_report import CoverageChart

PER_CENT = '0"\u00a0%"'          # 58.3 shows as «58 %», as the view's text
WIDTH_CM = 16.5                  # within the printed width of the report sheet
ROW_CM = 0.9                     # per group
FRAME_CM = 2.2                   # the value axis and its title
FONT_SIZE = 1000                 # 10 pt, in hundredths of a point
BAR_COLOUR = "595959"


def height_cm(chart: CoverageChart) -> float:
    return FRAME_CM + ROW_CM * len(chart.bars)


def _text(font: str, bold: bool = False) -> RichText:
    props = CharacterProperties(latin=DrawingFont(typeface=font), sz=FONT_SIZE, b=bold)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def bar_chart(data_sheet, header: int, first: int, last: int, chart: CoverageChart, font: str) -> BarChart:
    """Horizontal bars from the sheet's rows first..last (names in column A, shares in B, titles in row
    `header`), in the groups' order with the first on top, 0–100 %, the per cent at each bar."""
    bars = BarChart()
    bars.type = "bar"
    bars.legend = None
    series = Series(Reference(data_sheet, min_col=2, min_row=first, max_row=last),
                    title_from_data=False, title=None)
    series.tx = SeriesLabel(strRef=StrRef(f"{quote_sheetname(data_sheet.title)}!$B${header}"))
    bars.series.append(series)
    bars.set_categories(Reference(data_sheet, min_col=1, min_row=first, max_row=last))
    series.graphicalProperties.solidFill = BAR_COLOUR
    series.graphicalProperties.line.noFill = True
    series.dLbls = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False,
                                 numFmt=PER_CENT, txPr=_text(font, bold=True))
    bars.gapWidth = 60
    bars.x_axis.scaling.orientation = "maxMin"      # categories run down from the top, as in the table
    bars.x_axis.delete = False                      # openpyxl ≥ 3.1 hides both axes unless told
    bars.x_axis.txPr = _text(font)
    bars.y_axis.delete = False
    bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 100
    bars.y_axis.majorUnit = 25
    bars.y_axis.number_format = "0"
    bars.y_axis.crosses = "max"                     # with the categories reversed, keep the values below the bars
    bars.y_axis.title = chart.axis
    bars.y_axis.txPr = _text(font)
    bars.width = WIDTH_CM
    bars.height = height_cm(chart)
    return bars

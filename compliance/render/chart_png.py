"""The coverage chart as a PNG picture, for the DOCX report (Word has no reportlab drawings).

Why Pillow: reportlab's own bitmap renderer (renderPM) needs rlPyCairo and the cairo library since
reportlab 4, and matplotlib is far too heavy for six bars; Pillow is already a dependency. The picture
follows the PDF chart's geometry (in points, scaled to the resolution) and uses the same PT Serif, so the
two look alike. The same chart gives the same bytes: no timestamps, fixed size and resolution.
"""
from __future__ import annotations

import io
from functools import lru_cache
from importlib.resources import files

from ..views.monthly_report import CoverageChart

DPI = 200
FONT_PT = 10
LEADING = 1.15
LABEL_WIDTH_PT = 75 / 25.4 * 72     # as in the PDF chart
BAR_PITCH_PT = 22
BAR_HEIGHT_PT = 10
BOTTOM_PT, TOP_PT, RIGHT_PT = 32, 6, 36
INK = (0, 0, 0)
BAR = (89, 89, 89)
GRID = (204, 204, 204)
TICKS = (0, 25, 50, 75, 100)


@lru_cache(maxsize=None)
def _font(bold: bool, size_px: int):
    from PIL import ImageFont

    face = "Bold" if bold else "Regular"
    data = files("fontpkg_pt_serif").joinpath("files").joinpath(f"PT_Serif-Web-{face}.ttf").read_bytes()
    return ImageFont.truetype(io.BytesIO(data), size_px)


def _wrap(text: str, font, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split(" "):
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def chart_png(chart: CoverageChart, width_mm: float, dpi: int = DPI) -> bytes:
    """The chart `width_mm` wide: group names at the left, bars 0–100 %, the per cent at each bar's end."""
    from PIL import Image, ImageDraw

    k = dpi / 72                       # pixels per point
    regular, bold = _font(False, round(FONT_PT * k)), _font(True, round(FONT_PT * k))
    line = FONT_PT * LEADING * k
    width = round(width_mm / 25.4 * dpi)
    labels = [_wrap(bar.label, regular, (LABEL_WIDTH_PT - 6) * k) for bar in chart.bars]
    pitch = max(BAR_PITCH_PT * k, max(len(lines) for lines in labels) * line + 6 * k)
    plot_left, plot_right = LABEL_WIDTH_PT * k, width - RIGHT_PT * k
    plot_top = TOP_PT * k
    plot_bottom = plot_top + pitch * len(chart.bars)
    height = round(plot_bottom + BOTTOM_PT * k)

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)

    def x_of(value: float) -> float:
        return plot_left + (plot_right - plot_left) * max(0.0, min(100.0, value)) / 100

    for tick in TICKS:
        x = x_of(tick)
        draw.line([(x, plot_top), (x, plot_bottom)], fill=GRID, width=max(1, round(0.5 * k)))
        draw.text((x, plot_bottom + 4 * k), str(tick), font=regular, fill=INK, anchor="mt")
    for index, (bar, lines) in enumerate(zip(chart.bars, labels)):
        middle = plot_top + pitch * (index + 0.5)
        half = BAR_HEIGHT_PT * k / 2
        end = x_of(bar.value)
        if end > plot_left:
            draw.rectangle([(plot_left, middle - half), (end, middle + half)], fill=BAR)
        draw.text((end + 3 * k, middle), bar.text, font=bold, fill=INK, anchor="lm")
        top = middle - line * len(lines) / 2
        for n, text in enumerate(lines):
            draw.text((plot_left - 4 * k, top + line * (n + 0.5)), text, font=regular, fill=INK, anchor="rm")
    axis_width = max(1, round(0.75 * k))
    draw.line([(plot_left, plot_top), (plot_left, plot_bottom)], fill=INK, width=axis_width)
    draw.line([(plot_left, plot_bottom), (plot_right, plot_bottom)], fill=INK, width=axis_width)
    draw.text(((plot_left + plot_right) / 2, height - 2 * k), chart.axis, font=regular, fill=INK, anchor="md")

    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()

"""The monthly report in its three formats, from the sample records: page 1 holds the verdict by clause,
and the coverage chart is there in each format (a drawing in PDF, a native chart in XLSX, a picture in DOCX)."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.shared import Mm
from PIL import Image
from pypdf import PdfReader

from compliance.render import docx as render_docx
from compliance.render import pdf as render_pdf
from compliance.render import xlsx as render_xlsx
from compliance.render.chart_png import DPI, chart_png
from compliance.render.template_check import check_template
from compliance.store.load import load
from compliance.views.monthly_report import MonthlyReportView, build_monthly_report
from extract import squash

SAMPLE = Path(__file__).resolve().parents[2] / "records"


@pytest.fixture(scope="module")
def view():
    return build_monthly_report(load(SAMPLE), "2026-11")


@pytest.fixture(scope="module")
def files(view, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    return {"pdf": render_pdf.render(view, folder / "r.pdf"), "xlsx": render_xlsx.render(view, folder / "r.xlsx"),
            "docx": render_docx.render(view, folder / "r.docx")}


# ---------------------------------------------------------------- PDF

def test_render_report_pdf_page_one_holds_summary_clause_table_and_verdict_only(view, files):
    pages = [squash(page.extract_text()) for page in PdfReader(files["pdf"]).pages]
    first = pages[0]
    for text in (view.heading, *view.summary, view.clauses.title, view.verdict):
        assert squash(text) in first, text
    for row in view.clauses.rows:
        assert squash(row.clause + row.requirement) in first, row.clause
        assert squash(row.status + row.reason) in first, row.clause
    assert squash(view.groups.title) not in first
    assert pages[1].startswith(squash(view.groups.title))


def test_render_report_pdf_chart_labels_are_text_under_the_coverage_table(view, files):
    pages = [squash(page.extract_text()) for page in PdfReader(files["pdf"]).pages]
    page = next(p for p in pages if squash(view.chart_title) in p)
    chart = page[page.index(squash(view.coverage.rows[-1].coverage)):page.index(squash(view.chart_title))]
    assert "".join(squash(bar.text) for bar in view.chart.bars) in chart      # at the bars' ends, in order
    for bar in view.chart.bars:
        assert squash(bar.label) in chart, bar.label
    assert squash(view.chart.axis) in chart
    assert "".join(str(tick) for tick in (0, 25, 50, 75, 100)) in chart


def test_render_report_pdf_without_groups_has_no_chart(view, tmp_path):
    import dataclasses

    bare = dataclasses.replace(view, chart=None, chart_title="")
    text = squash("".join(p.extract_text() for p in PdfReader(render_pdf.render(bare, tmp_path / "r.pdf")).pages))
    assert squash(view.chart.axis) not in text


# ---------------------------------------------------------------- XLSX

def test_render_report_xlsx_has_a_native_bar_chart_drawn_from_its_data_sheet(view, files):
    with zipfile.ZipFile(files["xlsx"]) as archive:
        names = archive.namelist()
        chart = archive.read("xl/charts/chart1.xml").decode("utf-8")
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "xl/drawings/drawing1.xml" in names
    assert '<barDir val="bar"/>' in chart                    # horizontal bars
    last = 1 + len(view.chart.bars)
    assert re.findall(r"<f>([^<]*)</f>", chart.replace("&apos;", "'")) == [
        "'Диаграмма'!$B$1", f"'Диаграмма'!$A$2:$A${last}", f"'Диаграмма'!$B$2:$B${last}"]  # title, names, shares
    assert "<drawing " in sheet                            # the chart stands on «Отчёт», not on the data sheet
    data = openpyxl.load_workbook(files["xlsx"])["Диаграмма"]
    assert [(row[0].value, row[1].value, row[1].number_format) for row in data.iter_rows(min_row=2)] == [
        (bar.label, round(bar.value, 6), '0"\u00a0%"') for bar in view.chart.bars]


def test_render_report_xlsx_page_one_ends_at_the_verdict_with_failures_in_bold(view, files):
    ws = openpyxl.load_workbook(files["xlsx"])["Отчёт"]
    verdict = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == view.verdict)
    assert [b.id for b in ws.row_breaks.brk] == [verdict]
    header = next(r for r in range(1, verdict) if ws.cell(r, 1).value == "Пункт")
    status = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == "Оценка")
    assert [(ws.cell(header + i, status).value, bool(ws.cell(header + i, status).font.b))
            for i in range(1, len(view.clauses.rows) + 1)] == [(r.status, r.alarm) for r in view.clauses.rows]
    caption = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == view.chart_title)
    assert ws.cell(caption - 1, 1).value is None             # rows kept free for the chart above its caption


# ---------------------------------------------------------------- DOCX

def test_render_report_docx_carries_the_chart_as_the_same_picture(view, files):
    document = docx.Document(str(files["docx"]))
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width == Mm(render_docx.CHART_WIDTH_MM)
    with zipfile.ZipFile(files["docx"]) as archive:
        pictures = [n for n in archive.namelist() if n.startswith("word/media/") and n.endswith(".png")]
        assert len(pictures) == 1
        assert archive.read(pictures[0]) == chart_png(view.chart, render_docx.CHART_WIDTH_MM)
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index(view.chart_title) - 1] == ""    # the picture's paragraph, just above its caption


def test_render_report_docx_starts_the_sections_on_page_two_with_failures_in_bold(view, files):
    document = docx.Document(str(files["docx"]))
    title = next(p for p in document.paragraphs if p.text == view.groups.title)
    assert title.paragraph_format.page_break_before
    verdict = next(p for p in document.paragraphs if p.text == view.verdict)
    assert all(r.bold for r in verdict.runs)
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == ["Пункт", "Требование", "Оценка",
                                                                                   "Основание"])
    statuses = [(row.cells[2].text, all(r.bold for p in row.cells[2].paragraphs for r in p.runs))
                for row in table.rows[1:]]
    assert statuses == [(r.status, r.alarm) for r in view.clauses.rows]


def test_render_report_docx_without_chart_leaves_no_picture(view, tmp_path):
    import dataclasses

    path = render_docx.render(dataclasses.replace(view, chart=None, chart_title=""), tmp_path / "r.docx")
    assert len(docx.Document(str(path)).inline_shapes) == 0


def test_render_report_chart_of_many_groups_is_cut_into_pieces_that_fit_a_page(view, tmp_path):
    import dataclasses

    from compliance.views.monthly_report import ChartBar

    bars = tuple(ChartBar(f"Объединение № {i}. Родители обучающихся второго года", i % 101, f"{i % 101}\u00a0%")
                 for i in range(1, 46))
    many = dataclasses.replace(view, chart=dataclasses.replace(view.chart, bars=bars))
    pdf = squash("".join(p.extract_text() for p in PdfReader(render_pdf.render(many, tmp_path / "r.pdf")).pages))
    assert all(squash(bar.label) in pdf for bar in bars)
    with zipfile.ZipFile(render_xlsx.render(many, tmp_path / "r.xlsx")) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/"))
        ranges = [re.findall(r"\$B\$\d+:\$B\$\d+", archive.read(n).decode()) for n in charts]
    assert ranges == [["$B$2:$B$21"], ["$B$22:$B$41"], ["$B$42:$B$46"]]
    assert len(docx.Document(str(render_docx.render(many, tmp_path / "r.docx"))).inline_shapes) == 3


def test_chart_png_same_chart_same_bytes_and_size(view):
    first, second = chart_png(view.chart, 165), chart_png(view.chart, 165)
    assert first == second
    image = Image.open(io.BytesIO(first))
    assert image.format == "PNG" and image.width == round(165 / 25.4 * DPI)
    assert image.info["dpi"] == pytest.approx((DPI, DPI), rel=1e-5)


# ---------------------------------------------------------------- the template

def test_template_check_knows_the_fields_of_each_report_row(tmp_path):
    source = docx.Document(str(render_docx.template_path(MonthlyReportView)))
    cell = next(c for t in source.tables for row in t.rows for c in row.cells if "r.reason" in c.text)
    run = next(r for p in cell.paragraphs for r in p.runs if "r.reason" in r.text)
    run.text = "{{ r.reasn }}"
    source.save(str(tmp_path / "monthly_report.docx"))
    findings = check_template(tmp_path / "monthly_report.docx", MonthlyReportView)
    assert [f.message for f in findings] == [
        "у «r» нет поля «reasn» в абзаце «{{ r.reasn }}»."]
    assert findings[0].fix == ("возможно, имелось в виду «reason». Поля «r»: clause, requirement, status, reason, "
                               "alarm.")

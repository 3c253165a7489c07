"""DOCX renderer: real content, escaping, page setup, fields, deterministic bytes, template errors."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import dataclasses  # noqa: E402
import datetime  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import uuid  # noqa: E402

import docx  # noqa: E402
import fixtures  # noqa: E402
import pytest  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.text.paragraph import Paragraph  # noqa: E402

from compliance.errors import InternalError, TemplateProblem  # noqa: E402
from compliance.render import docx as render_docx  # noqa: E402
from compliance.views.acknowledgement_sheet import SHEET_COLUMNS, AckSheetView  # noqa: E402
from compliance.views.monthly_report import MonthlyReportView  # noqa: E402
from compliance.views.order import GROUP_COLUMNS, OrderPoint, OrderView  # noqa: E402

NB = "\u00a0"
REL_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
REL_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
VIEWS = {"order": fixtures.order_view, "sheet": fixtures.sheet_view, "report": fixtures.report_view}


# ---------------------------------------------------------------- helpers

def _block_texts(element) -> list[str]:
    """Paragraphs and table cells in document order (nested tables included)."""
    texts: list[str] = []
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            texts.append(Paragraph(child, None).text.replace(NB, " "))
        elif child.tag == qn("w:tbl"):
            for tr in child.iterchildren(qn("w:tr")):
                for tc in tr.iterchildren(qn("w:tc")):
                    texts.extend(_block_texts(tc))
    return texts


def _header_footer_parts(document, reltype: str) -> list:
    parts = [rel.target_part for rel in document.part.rels.values() if rel.reltype == reltype]
    return sorted(parts, key=lambda part: str(part.partname))


def document_texts(path: Path) -> list[str]:
    """Headers, body, footers: every non-empty text, NBSP read as a space."""
    document = docx.Document(str(path))
    texts = []
    for part in _header_footer_parts(document, REL_HEADER):
        texts.extend(_block_texts(part.element))
    texts.extend(_block_texts(document.element.body))
    for part in _header_footer_parts(document, REL_FOOTER):
        texts.extend(_block_texts(part.element))
    return [t for t in texts if t.strip()]


def table_rows(path: Path) -> list[list[list[str]]]:
    """Each top-level table as rows of cell texts."""
    document = docx.Document(str(path))
    return [[[cell.text.replace(NB, " ") for cell in row.cells] for row in table.rows] for table in document.tables]


def rendered(tmp_path: Path, view, name: str = "out.docx") -> Path:
    return render_docx.render(view, tmp_path / name)


def joined(path: Path) -> str:
    return "\n".join(document_texts(path))


def make_template(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)      # one run per paragraph: docxtpl sees each tag whole
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


# ---------------------------------------------------------------- order

def test_render_order_fixture_has_requisites_text_and_people(tmp_path):
    view = fixtures.order_view()
    text = joined(rendered(tmp_path, view))
    for expected in ("ПРИКАЗ", "ПРИКАЗЫВАЮ:", fixtures.LETTERHEAD.name, fixtures.LETTERHEAD.founder,
                     "МКОУ ДО «ДДТ»", "№ 45-од", "01.09.2026", "г. Светлогорск",
                     "О создании групп в мобильных мессенджерах", "С приказом ознакомлены:", "Исп. Кузнецова Е.В.",
                     "1. Создать группы", "5. Контроль за исполнением", "Т.А. Прохорова"):
        assert expected in text, expected
    for row in view.groups:
        assert row.title in text
    for person in view.acquainted:
        assert person.name.replace(NB, " ") in text
        assert person.position in text


def test_render_order_group_table_has_literal_header_and_one_row_per_group(tmp_path):
    view = fixtures.order_view(groups=4)
    tables = table_rows(rendered(tmp_path, view))
    groups_table = next(t for t in tables if t[0][0] == GROUP_COLUMNS[0].header)
    assert groups_table[0] == [c.header for c in GROUP_COLUMNS]
    assert [row[1] for row in groups_table[1:]] == [g.title for g in view.groups]
    assert groups_table[2][5] == view.groups[1].admin.replace(NB, " ")


def test_render_order_creating_no_groups_has_no_create_point_and_no_table(tmp_path):
    view = dataclasses.replace(fixtures.order_view(), groups=(), create_point=OrderPoint("1.", ""))
    path = rendered(tmp_path, view)
    texts = document_texts(path)
    assert "1." not in [t.strip() for t in texts]
    assert texts[texts.index("ПРИКАЗЫВАЮ:") + 1].startswith("2. Назначить")
    assert all(t[0][0] != GROUP_COLUMNS[0].header for t in table_rows(path))


def test_render_order_acquainted_rows_have_signature_line_and_blank_date(tmp_path):
    view = fixtures.order_view()
    tables = table_rows(rendered(tmp_path, view))
    acquainted = next(t for t in tables if t and t[0][0] == view.acquainted[0].position)
    assert acquainted == [[a.position, "____________", a.name.replace(NB, " "), a.blank.replace(NB, " ")]
                          for a in view.acquainted]


def test_render_order_special_characters_survive_autoescape(tmp_path):
    view = dataclasses.replace(fixtures.order_view(), heading="Тест & < > \" ' {{ x }} конец")
    text = joined(rendered(tmp_path, view))
    assert "мобильных мессенджерах & правилами <чата>" in text     # the fixture's preamble
    assert "Тест & < > \" ' {{ x }} конец" in text


def test_render_order_draft_mark_printed_first_only_for_a_draft(tmp_path):
    signed = document_texts(rendered(tmp_path, fixtures.order_view(), "signed.docx"))
    draft = document_texts(rendered(tmp_path, dataclasses.replace(fixtures.order_view(), draft_mark="ПРОЕКТ"),
                                    "draft.docx"))
    assert "ПРОЕКТ" not in signed
    body_start = draft.index("ПРОЕКТ")
    assert draft[body_start + 1] == fixtures.LETTERHEAD.founder


def test_render_order_without_founder_omits_its_line(tmp_path):
    view = fixtures.order_view()
    view = dataclasses.replace(view, letterhead=dataclasses.replace(view.letterhead, founder=None))
    texts = document_texts(rendered(tmp_path, view))
    assert fixtures.LETTERHEAD.founder not in texts
    assert fixtures.LETTERHEAD.name in texts


def test_render_order_page_number_from_second_page_in_header(tmp_path):
    document = docx.Document(str(rendered(tmp_path, fixtures.order_view())))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" not in section.first_page_header._element.xml
    default_header = section.header._element
    instructions = [t.text.strip() for t in default_header.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert default_header.find(f".//{qn('w:jc')}").get(qn("w:val")) == "center"


# ---------------------------------------------------------------- acknowledgement sheet

def test_render_ack_sheet_lists_thirty_names_and_five_blank_numbered_rows(tmp_path):
    view = fixtures.sheet_view()
    path = rendered(tmp_path, view)
    text = joined(path)
    for expected in ("Приложение", "к приказу МКОУ ДО «ДДТ»", "от 15.10.2026 № 71-од", "ЛИСТ ОЗНАКОМЛЕНИЯ",
                     view.subject, view.group, view.admin, view.deadline, "Подлежат ознакомлению: 30 человек",
                     "Администратор группы", "М.П. Иванова"):
        assert expected in text, expected
    table = next(t for t in table_rows(path) if t[0][0] == SHEET_COLUMNS[0].header)
    assert table[0] == [c.header for c in SHEET_COLUMNS]
    assert len(table) == 1 + 35
    assert [row[1] for row in table[1:31]] == [f"Аксёнова Полина Игоревна {i}" for i in range(1, 31)]
    assert table[31:] == [[str(i), "", "", "", ""] for i in range(31, 36)]


def test_render_ack_sheet_rows_tall_enough_to_sign(tmp_path):
    document = docx.Document(str(rendered(tmp_path, fixtures.sheet_view())))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == SHEET_COLUMNS[0].header)
    for row in table.rows[1:]:
        assert row.height is not None and row.height.cm >= 0.8


def test_render_ack_sheet_footer_has_page_of_pages_fields(tmp_path):
    document = docx.Document(str(rendered(tmp_path, fixtures.sheet_view())))
    footer = document.sections[0].footer._element
    assert [t.text.strip() for t in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    # the records fingerprint at the left (none in a view without a stamp), a tab, then the page numbers
    assert re.fullmatch(r"\tстр\. \d+ из \d+", Paragraph(footer.find(qn("w:p")), None).text)


# ---------------------------------------------------------------- monthly report

def test_render_monthly_report_has_sections_tables_and_signatures(tmp_path):
    view = fixtures.report_view()
    path = rendered(tmp_path, view)
    text = joined(path)
    for expected in ("ОТЧЁТ", fixtures.LETTERHEAD.name, view.heading.replace(NB, " "), *view.summary,
                     view.groups.lead, "Отчёт рассмотрен:", "Е.В. Кузнецова", "Т.А. Прохорова", "Делопроизводитель"):
        assert expected in text, expected
    tables = table_rows(path)
    for section in view.sections:
        assert section.title in text
        table = next(t for t in tables if t[0] == [c.header for c in section.columns])
        assert [r for r in table[1:]] == [[getattr(row, c.field).replace(NB, " ") for c in section.columns]
                                          for row in section.rows]
        assert section.empty not in text


def test_render_monthly_report_empty_section_prints_its_empty_text_instead_of_table(tmp_path):
    view = fixtures.report_view()
    view = dataclasses.replace(view, violations=dataclasses.replace(view.violations, rows=()),
                               overdue=dataclasses.replace(view.overdue, rows=()))
    path = rendered(tmp_path, view)
    texts = document_texts(path)
    assert "Нарушений не выявлено." in texts
    assert "Все участники ознакомлены в срок." in texts
    assert texts.index("Нарушений не выявлено.") == texts.index(view.violations.title) + 1
    headers = [t[0] for t in table_rows(path)]
    assert [c.header for c in view.violations.columns] not in headers
    assert [c.header for c in view.overdue.columns] not in headers
    assert [c.header for c in view.groups.columns] in headers


def test_render_monthly_report_footer_has_page_of_pages_fields(tmp_path):
    document = docx.Document(str(rendered(tmp_path, fixtures.report_view())))
    footer = document.sections[0].footer._element
    assert [t.text.strip() for t in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]


# ---------------------------------------------------------------- every document

@pytest.mark.parametrize("kind", VIEWS)
def test_render_twice_gives_identical_bytes(tmp_path, kind):
    first = rendered(tmp_path, VIEWS[kind](), "first.docx").read_bytes()
    second = rendered(tmp_path, VIEWS[kind](), "second.docx").read_bytes()
    assert first == second


@pytest.mark.parametrize("kind", VIEWS)
def test_render_page_is_a4_portrait_with_office_margins(tmp_path, kind):
    section = docx.Document(str(rendered(tmp_path, VIEWS[kind]()))).sections[0]
    measured = [round(v.mm, 1) for v in (section.page_width, section.page_height, section.left_margin,
                                         section.right_margin, section.top_margin, section.bottom_margin)]
    assert measured == [210.0, 297.0, 30.0, 10.0, 20.0, 20.0]


@pytest.mark.parametrize("kind", VIEWS)
def test_render_data_tables_repeat_their_header_row(tmp_path, kind):
    document = docx.Document(str(rendered(tmp_path, VIEWS[kind]())))
    gridded = [t for t in document.tables if t._tbl.tblPr.find(f"{qn('w:tblBorders')}/{qn('w:insideV')}")
               .get(qn("w:val")) == "single"]
    assert gridded
    for table in gridded:
        first_row = table.rows[0]._tr
        assert first_row.trPr is not None and first_row.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])


@pytest.mark.parametrize("kind", VIEWS)
def test_render_sets_fixed_core_properties(tmp_path, kind):
    view = VIEWS[kind]()
    props = docx.Document(str(rendered(tmp_path, view))).core_properties
    fixed = datetime.datetime(2000, 1, 1)
    assert (props.author, props.title) == (view.letterhead.short_name, view.heading)
    assert [p.replace(tzinfo=None) for p in (props.created, props.modified, props.last_printed)] == [fixed] * 3


@pytest.mark.parametrize("kind", VIEWS)
def test_render_normal_style_is_times_new_roman_14(tmp_path, kind):
    document = docx.Document(str(rendered(tmp_path, VIEWS[kind]())))
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Times New Roman"}
    assert normal.font.size.pt == 14


def test_render_dispatch_unknown_view_is_internal_error(tmp_path):
    with pytest.raises(InternalError):
        render_docx.render(object(), tmp_path / "x.docx")


def test_render_creates_missing_output_folder(tmp_path):
    out = render_docx.render_order(fixtures.order_view(), tmp_path / "a" / "b" / "order.docx")
    assert out.is_file()


# ---------------------------------------------------------------- templates

def test_default_templates_dir_holds_the_three_templates():
    folder = render_docx.default_templates_dir()
    assert {p.name for p in folder.glob("*.docx")} >= {"order.docx", "acknowledgement_sheet.docx",
                                                       "monthly_report.docx"}


@pytest.mark.parametrize("view_type", [OrderView, AckSheetView, MonthlyReportView])
def test_template_variables_are_fields_of_its_view(view_type):
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(render_docx.template_path(view_type)))
    variables = template.get_undeclared_template_variables(render_docx.jinja_environment())
    assert variables <= {f.name for f in dataclasses.fields(view_type)}
    assert variables


@pytest.mark.parametrize("view_type", [OrderView, AckSheetView, MonthlyReportView])
def test_template_every_tag_sits_in_one_run(view_type):
    document = docx.Document(str(render_docx.template_path(view_type)))
    parts = [document.element.body] + [p.element for p in _header_footer_parts(document, REL_HEADER)
                                       + _header_footer_parts(document, REL_FOOTER)]
    tags = 0
    for part in parts:
        for p in part.iter(qn("w:p")):
            runs = ["".join(t.text or "" for t in r.iter(qn("w:t"))) for r in p.iter(qn("w:r"))]
            for tag in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", "".join(runs)):
                tags += 1
                assert any(tag in run for run in runs), tag
    assert tags > 5


def test_template_sandbox_blocks_python_internals(tmp_path):
    make_template(tmp_path / "tpl" / "order.docx", "Начало", "{{ ''.__class__.__mro__ }}")
    with pytest.raises(TemplateProblem) as caught:
        render_docx.render_order(fixtures.order_view(), tmp_path / "out.docx", templates_dir=tmp_path / "tpl")
    message = str(caught.value)
    assert "order.docx" in message and "__class__" in message
    assert not (tmp_path / "out.docx").exists()


def test_template_undefined_variable_names_it_and_quotes_the_text(tmp_path):
    make_template(tmp_path / "tpl" / "order.docx", "{{ heading }}", "Исп. {{ foo }} конец")
    with pytest.raises(TemplateProblem) as caught:
        render_docx.render_order(fixtures.order_view(), tmp_path / "out.docx", templates_dir=tmp_path / "tpl")
    first_line = str(caught.value).splitlines()[0]
    assert first_line.endswith("order.docx: неизвестная переменная «foo» в тексте «Исп. {{ foo }} конец».")


def test_template_unknown_field_of_a_row_lists_the_fields(tmp_path):
    make_template(tmp_path / "tpl" / "order.docx", "{%p for p in points %}", "{{ p.nomer }}", "{%p endfor %}")
    with pytest.raises(TemplateProblem) as caught:
        render_docx.render_order(fixtures.order_view(), tmp_path / "out.docx", templates_dir=tmp_path / "tpl")
    assert "неизвестное поле «nomer»" in str(caught.value)
    assert "number, text" in str(caught.value)


def test_template_unclosed_block_quotes_the_opening_tag(tmp_path):
    make_template(tmp_path / "tpl" / "order.docx", "{%p if draft_mark %}", "{{ draft_mark }}", "Конец")
    with pytest.raises(TemplateProblem) as caught:
        render_docx.render_order(fixtures.order_view(), tmp_path / "out.docx", templates_dir=tmp_path / "tpl")
    assert "тег не закрыт в тексте «{% if draft_mark %}" in str(caught.value)


def test_template_syntax_error_names_template_and_tag(tmp_path):
    make_template(tmp_path / "tpl" / "order.docx", "Дата: {{ date }", "Конец")
    with pytest.raises(TemplateProblem) as caught:
        render_docx.render_order(fixtures.order_view(), tmp_path / "out.docx", templates_dir=tmp_path / "tpl")
    assert "order.docx: ошибка в записи тега" in str(caught.value)
    assert "«Дата: {{ date }" in str(caught.value)


def test_template_missing_file_is_template_problem(tmp_path):
    with pytest.raises(TemplateProblem, match="шаблон не найден"):
        render_docx.render_order(fixtures.order_view(), tmp_path / "out.docx", templates_dir=tmp_path)


def test_template_not_a_docx_is_template_problem(tmp_path):
    (tmp_path / "order.docx").write_bytes(b"not a zip")
    with pytest.raises(TemplateProblem, match="не является документом DOCX"):
        render_docx.render_order(fixtures.order_view(), tmp_path / "out.docx", templates_dir=tmp_path)


# ---------------------------------------------------------------- LibreOffice

def test_render_converts_to_pdf_with_libreoffice(tmp_path):
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if not soffice or not pdftotext:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    sources = [rendered(tmp_path, VIEWS[kind](), f"{kind}.docx") for kind in VIEWS]
    profile = f"file:///tmp/lo-test-{uuid.uuid4().hex}"
    try:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), *map(str, sources)], capture_output=True, timeout=180, check=False)
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)

    def pdf_text(kind: str, *pages: str) -> str:
        pdf = tmp_path / f"{kind}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 0, f"{pdf.name} was not written"
        return subprocess.run([pdftotext, "-layout", *pages, str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout

    assert "ПРИКАЗ" in pdf_text("order")
    assert pdf_text("order", "-f", "2", "-l", "2").split()[0] == "2"       # page number from page 2, in the header
    assert not pdf_text("order", "-f", "1", "-l", "1").split()[0].isdigit()
    sheet = pdf_text("sheet")
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" in sheet and "стр. 1 из 2" in sheet and "стр. 2 из 2" in sheet
    assert "ОТЧЁТ" in pdf_text("report")

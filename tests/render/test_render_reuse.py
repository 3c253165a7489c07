"""What the renderers keep between documents (prepared templates, compressed parts, font programs, QR matrices,
wrapped cells) changes no document: the bytes and the text are those the plain way gives."""
import dataclasses
import io
import multiprocessing
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
import fixtures  # noqa: E402
from extract import pdf_text  # noqa: E402

from compliance.render import docx as render_docx  # noqa: E402
from compliance.render import pdf as render_pdf  # noqa: E402
from compliance.render import xlsx as render_xlsx  # noqa: E402
from compliance.render.deterministic import FIXED_TIME, normalise_zip, zip_bytes  # noqa: E402
from compliance.render.pdf_common import Meta, PagedTable, build, data_table  # noqa: E402
from compliance.views.common import Column  # noqa: E402

QR_TEXT = "compliance:order:2026-045-од:0123456789"
VIEWS = {
    "order": lambda: dataclasses.replace(fixtures.order_view(), qr=QR_TEXT),
    "sheet": fixtures.sheet_view,
    "report": fixtures.report_view,
    "register": fixtures.register_view,
}


# ---------------------------------------------------------------- the zip writer

def zipfile_archive(members: list[tuple[str, bytes]]) -> bytes:
    """What zipfile writes for the same members stamped FIXED_TIME, 0644, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def test_zip_bytes_are_the_bytes_zipfile_writes():
    members = [("[Content_Types].xml", b"<Types/>"), ("word/styles.xml", b"<w:styles>" + b"x" * 50_000 + b"</w:styles>"),
               ("word/media/картинка.png", bytes(range(256)) * 40), ("empty.xml", b"")]
    expected = zipfile_archive(members)
    assert zip_bytes(members) == expected
    assert zip_bytes(members, reuse={"word/styles.xml", "word/media/картинка.png"}) == expected
    assert zip_bytes(members, reuse={"word/styles.xml", "word/media/картинка.png"}) == expected   # from what is kept
    assert normalise_zip(expected) == expected


def test_zip_bytes_reused_part_under_another_name_keeps_its_own_name():
    styles = b"<w:styles>" + b"y" * 20_000 + b"</w:styles>"
    zip_bytes([("a.xml", styles)], reuse={"a.xml"})
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes([("b.xml", styles)], reuse={"b.xml"})))
    assert archive.namelist() == ["b.xml"] and archive.read("b.xml") == styles


# ---------------------------------------------------------------- DOCX

@pytest.mark.parametrize("kind", VIEWS)
def test_docx_render_gives_the_bytes_of_docxtpl_and_python_docx(tmp_path, kind):
    view = VIEWS[kind]()
    source = render_docx.template_path(type(view))
    fast = render_docx.render(view, tmp_path / "fast.docx").read_bytes()
    plain = render_docx._render_with_docxtpl(view, source, tmp_path / "plain.docx").read_bytes()
    assert fast == plain
    assert render_docx.render(view, tmp_path / "again.docx").read_bytes() == fast


def test_docx_order_qr_picture_is_added_to_this_document_only(tmp_path):
    with_qr = render_docx.render(VIEWS["order"](), tmp_path / "qr.docx")
    without = render_docx.render(fixtures.order_view(), tmp_path / "plain.docx")
    with zipfile.ZipFile(with_qr) as archive:
        assert "word/media/image1.png" in archive.namelist()
        assert 'Extension="png"' in archive.read("[Content_Types].xml").decode()
    with zipfile.ZipFile(without) as archive:
        assert not [name for name in archive.namelist() if name.startswith("word/media/")]
        assert 'Extension="png"' not in archive.read("[Content_Types].xml").decode()
        assert "<w:drawing>" not in "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))


def replace_in_template(path: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    members = [(name, data.replace(old.encode(), new.encode()) if name == "word/document.xml" else data)
               for name, data in members]
    path.write_bytes(zip_bytes(members))


def test_docx_template_edited_on_disk_is_prepared_again(tmp_path):
    folder = tmp_path / "tpl"
    shutil.copytree(render_docx.default_templates_dir(), folder)
    view = fixtures.order_view()
    first = render_docx.render(view, tmp_path / "first.docx", templates_dir=folder)
    assert "ПРИКАЗЫВАЮ:" in zipfile.ZipFile(first).read("word/document.xml").decode()
    replace_in_template(folder / "order.docx", "{{ command }}", "{{ command }} (изменено)")
    second = render_docx.render(view, tmp_path / "second.docx", templates_dir=folder)
    assert "ПРИКАЗЫВАЮ: (изменено)" in zipfile.ZipFile(second).read("word/document.xml").decode()


def render_in_child(view, path: str) -> bytes:
    return render_docx.render(view, Path(path)).read_bytes()


def test_docx_prepared_template_serves_a_forked_worker(tmp_path):
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this system")
    view = VIEWS["order"]()
    parent = render_docx.render(view, tmp_path / "parent.docx").read_bytes()   # prepares the template here
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child = pool.apply(render_in_child, (view, str(tmp_path / "child.docx")))
    assert child == parent


FOOTNOTES = ('<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             '<w:footnote w:id="1"><w:p><w:r><w:t>Сноска: {{ number }}</w:t></w:r></w:p></w:footnote></w:footnotes>')


def template_with_footnotes(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("{{ heading }}")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    rel = ('<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'footnotes" Target="footnotes.xml"/></Relationships>')
    override = ('<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                'wordprocessingml.footnotes+xml"/></Types>')
    fixed = {"word/_rels/document.xml.rels": lambda d: d.replace(b"</Relationships>", rel.encode()),
             "[Content_Types].xml": lambda d: d.replace(b"</Types>", override.encode())}
    members = [(name, fixed.get(name, lambda d: d)(data)) for name, data in members]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes([*members, ("word/footnotes.xml", FOOTNOTES.encode())]))


def test_docx_template_with_footnotes_renders_them(tmp_path):
    template_with_footnotes(tmp_path / "tpl" / "order.docx")
    out = render_docx.render_order(fixtures.order_view(), tmp_path / "out.docx", templates_dir=tmp_path / "tpl")
    with zipfile.ZipFile(out) as archive:
        assert "Сноска: №\u00a045-од" in archive.read("word/footnotes.xml").decode()
        assert "О создании групп в мобильных мессенджерах" in archive.read("word/document.xml").decode()


# ---------------------------------------------------------------- XLSX

@pytest.mark.parametrize("kind", VIEWS)
def test_xlsx_render_gives_the_bytes_of_openpyxl_then_normalised(tmp_path, kind, monkeypatch):
    """The old way: openpyxl's own ExcelWriter (sheets through temporary files) writes a ZipFile stamped with the
    current time, which is then rewritten with fixed times."""
    from openpyxl.writer.excel import ExcelWriter

    view = VIEWS[kind]()
    fast = render_xlsx.render(view, tmp_path / "fast.xlsx").read_bytes()

    def zipfile_then_normalised(members, reuse=()):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                archive.writestr(name, data)
        return normalise_zip(buffer.getvalue())

    monkeypatch.setattr(render_xlsx, "_Writer", ExcelWriter)
    monkeypatch.setattr(render_xlsx, "zip_bytes", zipfile_then_normalised)
    assert render_xlsx.render(view, tmp_path / "plain.xlsx").read_bytes() == fast


def old_put(ws, row, column, text, look):
    """How cells were put before the direct path: openpyxl's cell(), a copy of the look's style, value setter."""
    from copy import copy

    cell = ws.cell(row=row, column=column)
    cell._style = copy(render_xlsx._STYLES[ws.parent][look.name])
    if text:
        cell.value = render_xlsx.clean_text(text)
        cell.data_type = "s"
        if cell.value.startswith(render_xlsx._FORMULA_START):
            cell.quotePrefix = True


def plain_openpyxl(monkeypatch):
    """Every shortcut of the XLSX renderer replaced by openpyxl's own way."""
    from openpyxl.writer.excel import ExcelWriter

    def zipfile_then_normalised(members, reuse=()):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                archive.writestr(name, data)
        return normalise_zip(buffer.getvalue())

    monkeypatch.setattr(render_xlsx, "_Writer", ExcelWriter)
    monkeypatch.setattr(render_xlsx, "zip_bytes", zipfile_then_normalised)
    monkeypatch.setattr(render_xlsx, "_workbook", render_xlsx._plain_workbook)
    monkeypatch.setattr(render_xlsx, "_put", old_put)


TRICKY = ("  Ёлкина <Анна> & «Ко» \"кв.\" 'А' ", "=СУММ(A1)", "строка\r\nвторая\tтаб", "é ü ß Ω № 😀 \x7f",
          "]]> &amp; &#13;", "-5", "x" * 40_000)


def tricky_sheet():
    view = fixtures.sheet_view(3)
    rows = tuple(dataclasses.replace(row, full_name=text, category=text[::-1]) for row, text in zip(view.rows * 3, TRICKY))
    return dataclasses.replace(view, rows=rows, heading=TRICKY[0], group=TRICKY[2])


@pytest.mark.parametrize("kind", [*VIEWS, "tricky"])
def test_xlsx_render_gives_the_bytes_of_plain_openpyxl_cells_and_workbook(tmp_path, kind, monkeypatch):
    """The copied workbook, the direct cells, the sheet rows written as one string, the cached stylesheet: the
    bytes openpyxl gives for the same document, also for text XML must escape, astral characters and a cell
    longer than Excel keeps."""
    view = tricky_sheet() if kind == "tricky" else VIEWS[kind]()
    fast = render_xlsx.render(view, tmp_path / "fast.xlsx").read_bytes()
    assert render_xlsx.render(view, tmp_path / "again.xlsx").read_bytes() == fast
    plain_openpyxl(monkeypatch)
    assert render_xlsx.render(view, tmp_path / "plain.xlsx").read_bytes() == fast


def test_xlsx_tricky_text_reads_back_as_written(tmp_path):
    import openpyxl

    sheet = openpyxl.load_workbook(render_xlsx.render(tricky_sheet(), tmp_path / "t.xlsx")).active
    values = {cell.value for row in sheet.iter_rows() for cell in row if cell.value}
    assert {TRICKY[0], TRICKY[1], "é ü ß Ω № 😀 \x7f", "]]> &amp; &#13;", "x" * 32_767} <= values
    assert "строка\r\nвторая\tтаб" in values or "строка\nвторая\tтаб" in values


def test_xlsx_stylesheet_follows_the_styles_of_the_book(tmp_path):
    """One cached styles.xml per set of styles: an order with appendices (one more named style) and a report
    (bold alarms, a number format) each get their own, the same as openpyxl writes."""
    def styles(path):
        return zipfile.ZipFile(path).read("xl/styles.xml").decode()

    sheet = styles(render_xlsx.render(fixtures.sheet_view(3), tmp_path / "s.xlsx"))
    report = styles(render_xlsx.render(fixtures.report_view(), tmp_path / "r.xlsx"))
    assert sheet != report and 'name="Таблица"' in sheet and 'name="Пункт перечня"' not in sheet
    order = styles(render_xlsx.render(fixtures.order_view(), tmp_path / "o.xlsx"))
    assert ('name="Пункт перечня"' in order) == bool(fixtures.order_view().appendices)
    assert styles(render_xlsx.render(fixtures.sheet_view(40), tmp_path / "s2.xlsx")) == sheet


def test_xlsx_cells_have_the_named_style_of_their_look(tmp_path):
    import openpyxl

    path = render_xlsx.render(fixtures.sheet_view(3), tmp_path / "sheet.xlsx")
    sheet = openpyxl.load_workbook(path).active
    styles = {cell.value: cell.style for row in sheet.iter_rows() for cell in row if cell.value}
    assert styles["Фамилия, имя, отчество"] == "Шапка таблицы"
    assert styles["Аксёнова Полина Игоревна 1"] == "Таблица"
    assert styles["ЛИСТ ОЗНАКОМЛЕНИЯ"] == "Заголовок по центру"


# ---------------------------------------------------------------- PDF

def test_pdf_same_view_gives_same_bytes_whatever_was_rendered_before(tmp_path):
    sheet = fixtures.sheet_view(30)
    first = render_pdf.render(sheet, tmp_path / "first.pdf").read_bytes()
    render_pdf.render(VIEWS["order"](), tmp_path / "order.pdf")
    render_pdf.render(dataclasses.replace(sheet, heading="ЛИСТ ОЗНАКОМЛЕНИЯ Ёё Ґґ é"), tmp_path / "other.pdf")
    assert render_pdf.render(sheet, tmp_path / "second.pdf").read_bytes() == first


def test_pdf_characters_beyond_the_fixed_subset_are_printed(tmp_path):
    heading = "ЛИСТ ОЗНАКОМЛЕНИЯ — Ґанна Кёнiг, café №\u00a07 §\u00a02"
    path = render_pdf.render(dataclasses.replace(fixtures.sheet_view(3), heading=heading), tmp_path / "sheet.pdf")
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ — Ґанна Кёнiг, café № 7 § 2" in pdf_text(path)


def font_programs(path: Path) -> list[bytes]:
    reader = PdfReader(path)
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                found.append(descriptor.get_object()["/FontFile2"].get_object().get_data())
    return found


def test_pdf_two_documents_embed_the_same_font_program(tmp_path):
    one = render_pdf.render(fixtures.sheet_view(3), tmp_path / "one.pdf")
    other = render_pdf.render(dataclasses.replace(fixtures.sheet_view(7), group="Группа «Шахматы»"), tmp_path / "two.pdf")
    assert font_programs(one)[0] == font_programs(other)[0]


def test_pdf_qr_code_decodes_to_its_text(tmp_path):
    if not shutil.which("zbarimg") or not shutil.which("pdftoppm"):
        pytest.skip("zbarimg or pdftoppm is not installed")
    path = render_pdf.render(VIEWS["order"](), tmp_path / "order.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-x", "1000", "-y", "1500", "-W", "300",
                    "-H", "300", str(path), str(tmp_path / "qr")], check=True)
    done = subprocess.run(["zbarimg", "-q", "--raw", str(next(tmp_path.glob("qr*.png")))], capture_output=True,
                          text=True)
    assert done.stdout.strip() == QR_TEXT


COLUMNS = (Column("№", "number", 0.07), Column("Фамилия, имя, отчество", "name", 0.4),
           Column("Категория участника", "kind", 0.25), Column("Подпись", "sign", 0.28))


@dataclasses.dataclass(frozen=True)
class Row:
    number: str
    name: str
    kind: str
    sign: str = ""


def pages_of(story: list, path: Path) -> list[str]:
    build(path, story, Meta("Таблица", "МКОУ ДО «ДДТ»", "проба"))
    return [page.extract_text() for page in PdfReader(path).pages]


def test_pdf_paged_table_breaks_pages_where_reportlab_table_does(tmp_path):
    from reportlab.platypus import Spacer, Table

    rows = [Row(str(i), f"Петрова-Водкина Александра Константиновна {i}" if i % 7 == 0 else f"Иванов Иван {i}",
                "родитель (законный представитель)" if i % 3 else "обучающийся") for i in range(1, 121)]
    table = data_table(COLUMNS, rows, 12, min_row_height=24, shade_header=True)
    assert isinstance(table, PagedTable)
    whole = table._table()             # the same rows as one reportlab Table, split by reportlab
    lead = [Spacer(0, 300)]
    assert pages_of([*lead, table], tmp_path / "paged.pdf") == pages_of([*lead, whole], tmp_path / "whole.pdf")


def test_pdf_paged_table_style_rows_follow_their_rows_across_pages(tmp_path):
    rows = [Row(str(i), f"Иванов Иван {i}", "обучающийся") for i in range(1, 80)]
    table = data_table(COLUMNS, rows, 12, min_row_height=24)
    table.setStyle([("FONTNAME", (1, 60), (1, 60), "PTSerif-Bold")])
    build(tmp_path / "styled.pdf", [table], Meta("Таблица", "МКОУ ДО «ДДТ»", "проба"))
    bold = []
    for number, page in enumerate(PdfReader(tmp_path / "styled.pdf").pages, 1):
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: bold.append((number, text.strip()))
                          if font and "Bold" in str(font.get("/BaseFont")) and text.strip() else None)
    assert [(page > 1, text) for page, text in bold if text.startswith("Иванов")] == [(True, "Иванов Иван 60")]

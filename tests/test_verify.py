"""compliance.verify and what it reads: the records fingerprint in every format, the manifest in the
metadata, the ГОСТ Р 7.0.97-2025 QR code on the order, and the verdict against today's records."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from compliance.build import FORMATS, document_set, load, render_all
from compliance.render.pdf_common import FOOTER_Y, LEFT, PAGE_WIDTH, QR_BOTTOM, QR_SIZE, RIGHT
from compliance.render.qr import SIZE_MM, matrix
from compliance.verify import (CURRENT, GONE, STALE, UNREADABLE, Change, UnverifiableDocument, read_stamp, verdict,
                               verify)
from compliance.views.stamp import Stamp
from extract import text_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "records"
ORDER, SHEET, REPORT, REGISTER = ("Приказ_2026-045-од", "Лист_ознакомления_maska-parents_poryadok-1", "Отчёт_2026-11",
                                  "Журнал_приказов_2026_од")
STEMS = (ORDER, SHEET, REPORT, REGISTER)
EMU_PER_MM = 36000


def render(records_dir: Path, folder: Path, stems=STEMS, formats=FORMATS) -> dict[str, object]:
    """Render the named documents of `records_dir` into `folder`; their views by file stem."""
    views = {v.file_stem: v for v in document_set(load(records_dir)) if v.file_stem in stems}
    render_all(list(views.values()), folder, formats)
    return views


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("documents")
    return folder, render(SAMPLE, folder)


def copy_records(tmp_path: Path) -> Path:
    target = tmp_path / "records"
    shutil.copytree(SAMPLE, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# ---------------------------------------------------------------- the manifest in the metadata

@pytest.mark.parametrize("fmt", FORMATS)
def test_read_stamp_gives_back_the_views_stamp(built, fmt):
    folder, views = built
    for stem in STEMS:
        assert read_stamp(folder / f"{stem}.{fmt}") == views[stem].stamp, stem


def test_manifest_is_in_the_keywords_of_each_format(built):
    import docx
    import openpyxl

    folder, views = built
    manifest = views[REPORT].stamp.manifest()
    assert len(manifest) > 255  # longer than python-docx lets a core property be
    assert PdfReader(folder / f"{REPORT}.pdf").metadata["/Keywords"] == manifest
    assert docx.Document(str(folder / f"{REPORT}.docx")).core_properties.keywords == manifest
    assert openpyxl.load_workbook(folder / f"{REPORT}.xlsx").properties.keywords == manifest


# ---------------------------------------------------------------- the fingerprint on every page

def test_footer_printed_on_every_pdf_page_at_the_bottom_left(built):
    folder, views = built
    for stem in STEMS:
        footer = views[stem].stamp.footer
        for page in PdfReader(folder / f"{stem}.pdf").pages:
            placed = []

            def visit(text, cm, tm, font, size):
                if text.strip():
                    placed.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], size * tm[0]))

            page.extract_text(visitor_text=visit)
            assert [(round(x, 1), round(y, 1), size) for text, x, y, size in placed if text == footer] == \
                [(round(LEFT, 1), round(FOOTER_Y, 1), 8)], stem


def test_footer_is_in_every_docx_footer_and_xlsx_left_footer(built):
    import openpyxl

    folder, views = built
    for stem in STEMS:
        footer = views[stem].stamp.footer
        with zipfile.ZipFile(folder / f"{stem}.docx") as archive:
            parts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("word/footer")]
        assert parts and all(f">{footer}<" in part for part in parts), stem
        for sheet in openpyxl.load_workbook(folder / f"{stem}.xlsx").worksheets:
            assert (sheet.oddFooter.left.text, sheet.oddFooter.left.size) == (footer, 8), (stem, sheet.title)


@pytest.mark.parametrize("fmt", FORMATS)
def test_footer_text_is_extracted_from_every_format(built, fmt):
    folder, views = built
    for stem in STEMS:
        assert views[stem].stamp.footer in text_of(folder / f"{stem}.{fmt}"), stem


# ---------------------------------------------------------------- the QR code (ГОСТ Р 7.0.97-2025, requisite 31)

def filled_rects(reader: PdfReader, page) -> list[tuple[float, float, float, float]]:
    """Filled rectangles of a page in page coordinates: (x, y, width, height)."""
    def times(a, b):
        return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
                a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]

    ctm, stack, pending, found = [1, 0, 0, 1, 0, 0], [], [], []
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = times([float(v) for v in operands], ctm)
        elif op == b"re":
            x, y, w, h = (float(v) for v in operands)
            pending.append((x * ctm[0] + ctm[4], y * ctm[3] + ctm[5], w * ctm[0], h * ctm[3]))
        elif op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
            found += pending
            pending = []
        elif op in (b"n", b"S", b"s"):
            pending = []
    return found


def modules_from_rects(rects, size: float, count: int) -> list[list[bool]]:
    """The QR matrix drawn by runs of dark modules, read back from their rectangles."""
    left, top, module = PAGE_WIDTH - RIGHT - size, QR_BOTTOM + size, size / count
    grid = [[False] * count for _ in range(count)]
    for x, y, w, h in rects:
        row, col = round((top - y - h) / module), round((x - left) / module)
        for c in range(col, col + round(w / module)):
            grid[row][c] = True
    return grid


def test_order_pdf_has_the_qr_code_of_its_stamp_at_the_bottom_right_of_page_one(built):
    folder, views = built
    order = views[ORDER]
    assert order.qr == order.stamp.qr_text == f"compliance:order:2026-045-од:{order.stamp.fingerprint}"
    reader = PdfReader(folder / f"{ORDER}.pdf")
    rects = filled_rects(reader, reader.pages[0])
    expected = matrix(order.qr)
    slack = 0.1 * QR_SIZE / len(expected)  # reportlab overlaps rows by 5 % of a module, so no hairline shows
    assert all(PAGE_WIDTH - RIGHT - QR_SIZE - slack <= x and x + w <= PAGE_WIDTH - RIGHT + slack
               and QR_BOTTOM - slack <= y and y + h <= QR_BOTTOM + QR_SIZE + slack for x, y, w, h in rects)
    assert modules_from_rects(rects, QR_SIZE, len(expected)) == expected
    assert [filled_rects(reader, page) for page in reader.pages[1:]] == [[] for _ in reader.pages[1:]]


def test_order_pdf_keeps_page_one_text_clear_of_the_qr_code(built):
    folder, views = built
    footer = views[ORDER].stamp.footer
    heights = []
    PdfReader(folder / f"{ORDER}.pdf").pages[0].extract_text(
        visitor_text=lambda text, cm, tm, font, size: heights.append((text.strip(), tm[5] * cm[3] + cm[5])))
    assert min(y for text, y in heights if text and text != footer) > QR_BOTTOM + QR_SIZE


def test_order_docx_has_the_qr_picture_in_the_first_page_footer(built):
    from PIL import Image

    folder, views = built
    expected = matrix(views[ORDER].qr)
    with zipfile.ZipFile(folder / f"{ORDER}.docx") as archive:
        document = archive.read("word/document.xml").decode("utf-8")
        first = document.split('w:type="first" r:id="')[-1].split('"')[0]
        rels = archive.read("word/_rels/document.xml.rels").decode("utf-8")
        footer_name = rels.split(f'Id="{first}"')[1].split('Target="')[1].split('"')[0]
        footer = archive.read(f"word/{footer_name}").decode("utf-8")
        footer_rels = archive.read(f"word/_rels/{footer_name}.rels").decode("utf-8")
        picture = archive.read("word/" + footer_rels.split('Target="')[1].split('"')[0])
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert footer_name.startswith("footer") and "<w:drawing>" in footer and len(media) == 1
    width_emu = int(footer.split('<wp:extent cx="')[1].split('"')[0])
    side = len(expected) + 8
    assert round(width_emu * len(expected) / side / EMU_PER_MM, 2) == SIZE_MM
    image = Image.open(io.BytesIO(picture))
    module = image.width // side
    read = [[image.getpixel((module * (c + 4) + module // 2, module * (r + 4) + module // 2)) == 0
             for c in range(len(expected))] for r in range(len(expected))]
    assert read == expected


def test_order_under_gost_2016_has_no_qr_code(tmp_path):
    records = copy_records(tmp_path)
    edit(records / "institution.yaml", 'gost_edition: "2025"', 'gost_edition: "2016"')
    views = render(records, tmp_path, (ORDER,), ("pdf", "docx"))
    assert views[ORDER].qr == ""
    reader = PdfReader(tmp_path / f"{ORDER}.pdf")
    assert [filled_rects(reader, page) for page in reader.pages] == [[] for _ in reader.pages]
    with zipfile.ZipFile(tmp_path / f"{ORDER}.docx") as archive:
        assert [n for n in archive.namelist() if n.startswith("word/media/")] == []
        assert not any("<w:drawing>" in archive.read(n).decode("utf-8") for n in archive.namelist()
                       if n.startswith("word/footer"))
    assert read_stamp(tmp_path / f"{ORDER}.pdf") == views[ORDER].stamp  # the fingerprint is printed all the same


# ---------------------------------------------------------------- verdicts

@pytest.mark.parametrize("fmt", FORMATS)
def test_verify_fresh_documents_match_the_records(built, fmt):
    folder, views = built
    verdicts = verify(SAMPLE, [folder / f"{stem}.{fmt}" for stem in STEMS])
    assert [(v.status, v.message, v.exit_code) for v in verdicts] == [
        (CURRENT, f"документ соответствует записям (отпечаток {views[stem].stamp.fingerprint}).", 0) for stem in STEMS]


def test_verify_after_one_acknowledgement_changed_names_exactly_that_record(built, tmp_path):
    folder, views = built
    records = copy_records(tmp_path)
    edit(records / "acknowledgements.yaml",
         '{person: pr-040, act: poryadok, version: 1, date: 2026-09-15',
         '{person: pr-040, act: poryadok, version: 1, date: 2026-09-16')
    verdicts = {v.path.stem: v for v in verify(records, [folder / f"{stem}.pdf" for stem in STEMS])}
    change = (Change("изменено", "acknowledgements.yaml, строки pr-040 (Рябова Ю.С.)"),)
    for stem in (SHEET, REPORT):
        assert (verdicts[stem].status, verdicts[stem].changes, verdicts[stem].exit_code) == (STALE, change, 1)
        assert verdicts[stem].render() == (f"{folder / stem}.pdf: документ устарел: записи изменились после его "
                                           f"формирования.\n  изменено: acknowledgements.yaml, строки pr-040 (Рябова Ю.С.)")
    assert verdicts[ORDER].status == verdicts[REGISTER].status == CURRENT  # they do not show acknowledgements


def test_verify_after_editing_only_a_yaml_comment_still_matches(built, tmp_path):
    folder, _ = built
    records = copy_records(tmp_path)
    edit(records / "acknowledgements.yaml", 'act: poryadok, version: 1, date: 2026-09-15, method: бумажный лист, sheet: "ЛО-2"}  # Рябова Ю.С.',
         'act: poryadok, version: 1, date: 2026-09-15, method: бумажный лист, sheet: "ЛО-2"}  # Рябова, сверено')
    edit(records / "people.yaml", "# Люди: работники", "# Люди (сверено 01.12.2026): работники")
    assert {v.status for v in verify(records, [folder / f"{s}.{f}" for s in STEMS for f in FORMATS])} == {CURRENT}


def test_verify_member_removed_from_group_lists_changed_and_removed_records(built, tmp_path):
    folder, _ = built
    records = copy_records(tmp_path)
    edit(records / "groups.yaml", "      - pr-040  # Рябова Ю.С.\n", "")
    [result] = verify(records, [folder / f"{SHEET}.docx"])
    assert result.status == STALE
    assert result.changes == (Change("изменено", "groups.yaml, запись maska-parents"),
                              Change("удалено", "acknowledgements.yaml, строки pr-040 (Рябова Ю.С.)"),
                              Change("удалено", "people.yaml, запись pr-040 (Рябова Ю.С.)"))


def test_verify_names_no_person_for_a_record_that_no_longer_exists():
    from compliance.views.stamp import order_stamp

    records = load(SAMPLE)
    now = order_stamp(records, "2026-045-од")
    printed = Stamp(now.kind, now.key, tuple(sorted(now.digests + (("people.yaml#pr-999", "0" * 12),))))
    assert verdict(records, Path("приказ.pdf"), printed).changes == (Change("удалено", "people.yaml, запись pr-999"),)


def test_verify_report_whose_month_log_is_gone_says_so(built, tmp_path):
    folder, _ = built
    records = copy_records(tmp_path)
    (records / "log" / "2026-11.yaml").unlink()
    [result] = verify(records, [folder / f"{REPORT}.xlsx"])
    assert (result.status, result.exit_code) == (GONE, 1)
    assert result.message == "документ устарел: журнала за 2026-11 больше нет в записях (log/2026-11.yaml)."


@pytest.mark.parametrize("kind,key,message", [
    ("order", "2026-099-од", "приказа 2026-099-од больше нет в записях (orders/2026-099-од.yaml)"),
    ("acknowledgement_sheet", "chess-parents/poryadok/1", "группы chess-parents больше нет в записях (groups.yaml)"),
    ("acknowledgement_sheet", "maska-parents/etiquette/1", "акта etiquette больше нет в записях (acts/etiquette.yaml)"),
    ("acknowledgement_sheet", "maska-parents/poryadok/7",
     "редакции 7 акта poryadok больше нет в записях (acts/poryadok.yaml)"),
    ("order_register", "2025-од", "приказов серии «од» за 2025 год больше нет в записях (orders/)"),
])
def test_verify_document_of_something_no_longer_in_records_is_gone(kind, key, message):
    result = verdict(load(SAMPLE), Path("документ.pdf"), Stamp(kind, key, ()))
    assert (result.status, result.message) == (GONE, f"документ устарел: {message}.")


# ---------------------------------------------------------------- files that are not documents of this tool

def foreign_files(folder: Path) -> dict[str, Path]:
    import docx
    import openpyxl
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(folder / "чужой.pdf"))
    canvas.drawString(100, 700, "Some other PDF")
    canvas.save()
    docx.Document().save(str(folder / "чужой.docx"))
    openpyxl.Workbook().save(folder / "чужой.xlsx")
    (folder / "заметка.txt").write_text("не документ", encoding="utf-8")
    (folder / "битый.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    return {p.name: p for p in folder.iterdir()}


NO_MANIFEST = ("в документе нет отпечатка записей: он сформирован не программой compliance или отпечаток потерян "
               "при пересохранении в другой программе.\n  Как исправить: проверяйте файл в том виде, в каком его "
               "сформировала команда compliance build, или сформируйте документ заново.")


@pytest.mark.parametrize("name", ["чужой.pdf", "чужой.docx", "чужой.xlsx"])
def test_read_stamp_document_without_manifest_is_unverifiable(tmp_path, name):
    path = foreign_files(tmp_path)[name]
    with pytest.raises(UnverifiableDocument) as caught:
        read_stamp(path)
    assert str(caught.value) == f"{path}: {NO_MANIFEST}"


def test_read_stamp_other_files_are_unverifiable_with_reason(tmp_path):
    files = foreign_files(tmp_path)
    problems = {}
    for name in ("заметка.txt", "битый.docx", "нет-такого.pdf"):
        with pytest.raises(UnverifiableDocument) as caught:
            read_stamp(files.get(name, tmp_path / name))
        problems[name] = str(caught.value)
    assert problems["заметка.txt"] == (f"{tmp_path}/заметка.txt: это не документ DOCX, XLSX или PDF.\n"
                                      "  Как исправить: укажите документ, сформированный командой compliance build.")
    assert problems["битый.docx"].startswith(f"{tmp_path}/битый.docx: файл повреждён или не читается как DOCX или XLSX (")
    assert problems["нет-такого.pdf"] == (f"{tmp_path}/нет-такого.pdf: файл не найден.\n"
                                         "  Как исправить: проверьте путь к документу.")


def test_verify_unverifiable_files_do_not_need_loadable_records(tmp_path):
    files = foreign_files(tmp_path)
    verdicts = verify(tmp_path / "нет-записей", [files["чужой.pdf"], files["заметка.txt"]])
    assert [(v.status, v.exit_code) for v in verdicts] == [(UNREADABLE, 2), (UNREADABLE, 2)]
    assert verdicts[0].render() == f"{files['чужой.pdf']}: {NO_MANIFEST}"


def test_verify_folder_checks_the_documents_in_it(built, tmp_path):
    folder, _ = built
    verdicts = verify(SAMPLE, [folder])
    assert sorted(v.path.name for v in verdicts) == sorted(f"{s}.{f}" for s in STEMS for f in FORMATS)
    assert {v.status for v in verdicts} == {CURRENT}
    with pytest.raises(UnverifiableDocument, match="^Не найдено ни одного документа DOCX, XLSX или PDF."):
        verify(SAMPLE, [tmp_path])


def test_read_stamp_accepts_keywords_rejoined_by_an_office_program(built, tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    folder, views = built
    stamp = views[ORDER].stamp
    # LibreOffice exports DOCX keywords to PDF as a list joined with «, »
    canvas = Canvas(str(tmp_path / "из-libreoffice.pdf"))
    canvas.setKeywords(stamp.manifest().replace("compliance-stamp/1 ", "compliance-stamp/1, "))
    canvas.save()
    assert read_stamp(tmp_path / "из-libreoffice.pdf") == stamp


def test_read_stamp_truncated_or_password_protected_pdf_is_unverifiable(built, tmp_path):
    from pypdf import PdfWriter

    folder, _ = built
    truncated = tmp_path / "обрезан.pdf"
    truncated.write_bytes((folder / f"{ORDER}.pdf").read_bytes()[:3000])
    locked = tmp_path / "с-паролем.pdf"
    writer = PdfWriter(clone_from=folder / f"{ORDER}.pdf")
    writer.encrypt("секрет")
    writer.write(locked)
    with pytest.raises(UnverifiableDocument, match=f"^{truncated}: файл повреждён или не читается как PDF"):
        read_stamp(truncated)
    with pytest.raises(UnverifiableDocument) as caught:
        read_stamp(locked)
    assert str(caught.value) == (f"{locked}: PDF защищён паролем, его свойства не прочитать.\n"
                                 "  Как исправить: проверьте исходный файл, сформированный командой compliance build.")

"""`compliance build` end to end on the sample records: files, their text in every format, safety."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from compliance.build import document_set, load
from compliance.cli import cli
from extract import squash, text_of

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "records"
FORMATS = ("docx", "xlsx", "pdf")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "out"
    result = CliRunner().invoke(cli, ["build", "--records", str(SAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out, result


@pytest.fixture(scope="module")
def documents():
    return document_set(load(SAMPLE))


def stems(documents) -> list[str]:
    return [view.file_stem for view in documents]


def test_build_writes_every_document_in_three_formats(built, documents):
    out, result = built
    expected = sorted(f"{stem}.{fmt}" for stem in stems(documents) for fmt in FORMATS)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == expected
    assert len(expected) == 3 * (2 + 1 + 10 + 1)   # orders, the 2026 «од» register, sheets, report
    assert "Приказ_2026-045-од.pdf" in expected and "Отчёт_2026-11.xlsx" in expected
    assert "Журнал_приказов_2026_од.docx" in expected
    assert result.stdout.splitlines()[-1] == f"Записано документов: 42 в папку {out}."
    for path in out.iterdir():
        assert path.stat().st_size > 1000 or path.name.startswith(".")


@pytest.mark.parametrize("fmt", FORMATS)
def test_built_order_text_has_requisites(built, fmt):
    text = squash(text_of(built[0] / f"Приказ_2026-045-од.{fmt}"))
    for fact in ("ПРИКАЗ", "ПРИКАЗЫВАЮ:", "Муниципальноеказённоеобразовательноеучреждениедополнительногообразования«Домдетскоготворчества»",
                 "01.09.2026", "№45-од", "г.Светлогорск", "Осозданиигруппвмобильныхмессенджерах",
                 "Директор", "Т.А.Прохорова", "Сприказомознакомлены:"):
        assert squash(fact) in text, fact


@pytest.mark.parametrize("fmt", FORMATS)
def test_built_order_lists_every_group_and_admin(built, documents, fmt):
    text = squash(text_of(built[0] / f"Приказ_2026-045-од.{fmt}"))
    order = documents.orders[0]
    assert len(order.groups) == 6
    for row in order.groups:
        assert squash(row.title) in text
        assert squash(row.admin) in text
        assert squash(row.messenger) in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_built_sheets_list_who_must_sign_and_nobody_who_signed(built, documents, fmt):
    records = load(SAMPLE)
    from compliance.views.acknowledgement_sheet import pending_sheets

    for (group, act, version, missing), view in zip(pending_sheets(records), documents.sheets):
        text = squash(text_of(built[0] / f"{view.file_stem}.{fmt}"))
        for pid in missing:
            person = records.people[pid]
            assert squash(f"{person.surname} {person.name} {person.patronymic or ''}") in text
        signed = [m for m in group.members if m not in missing]
        for pid in signed:
            person = records.people[pid]
            full = squash(f"{person.surname} {person.name} {person.patronymic or ''}")
            assert full not in text, (view.file_stem, pid)
        assert squash(view.approval) in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_built_report_shows_figures_from_records(built, fmt):
    text = squash(text_of(built[0] / f"Отчёт_2026-11.{fmt}"))
    for fact in ("ОТЧЁТ", "заноябрь2026г.", "Выявленонарушений:3,изнихустранено:2;неустранено:1.",
                 "СоблюдениеПорядкапопунктам", "Вывод:вноябре2026г.Порядоксоблюдалсянеполностью:",
                 "Правилаиспользованиячата,ред.2", "Отчётрассмотрен:", "Т.А.Прохорова", "неустранено,срок05.12.2026"):
        assert fact in text, fact


def facts(view) -> list[str]:
    """Every text a view gives to be printed: each must be in every format of the document."""
    from dataclasses import fields, is_dataclass

    from compliance.views.acknowledgement_sheet import AckSheetView
    from compliance.views.act_text import TextBlock
    from compliance.views.monthly_report import ReportSection
    from compliance.views.order import OrderView
    from compliance.views.order_register import OrderRegisterView
    from compliance.views.stamp import Stamp

    from compliance.views.common import Column

    # The QR text is printed as a code, not as text; the report's chart is a picture in DOCX (its labels are
    # text in PDF and XLSX: tests/render/test_monthly_report_render.py).
    skipped = {"file_stem", "qr", "chart"}
    found = []

    def walk(value):
        if isinstance(value, Column):
            found.append(value.header)
        elif isinstance(value, Stamp):
            found.append(value.footer)
        elif isinstance(value, ReportSection):
            parts = (value.title, value.lead, value.columns, value.rows) if value.rows else (value.title, value.lead, value.empty)
            for part in parts:
                walk(part)
        elif isinstance(value, AckSheetView):
            walk(value.letterhead.short_name)  # a sheet prints only the short name
            for f in fields(value):
                if f.name not in skipped | {"letterhead"}:
                    walk(getattr(value, f.name))
        elif isinstance(value, OrderRegisterView):
            head = value.letterhead
            walk((head.founder, head.name, head.short_name))  # a register has no place of issue
            for f in fields(value):
                if f.name not in skipped | {"letterhead"}:
                    walk(getattr(value, f.name))
        elif isinstance(value, TextBlock):
            found.append(value.text)  # its kind chooses the layout and is not printed
        elif is_dataclass(value):
            no_table = isinstance(value, OrderView) and not value.groups  # an order creating no groups has no table
            for f in fields(value):
                if f.name not in skipped and not (no_table and f.name == "group_columns"):
                    walk(getattr(value, f.name))
        elif isinstance(value, (tuple, list)):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.strip():
            found.append(value)

    walk(view)
    return found


def pdf_running_text(path: Path, stamp) -> str:
    """PDF text without the page furniture (page number, fingerprint, «стр. N из M»), which otherwise lands
    in the middle of a paragraph that runs over a page break."""
    import re

    from pypdf import PdfReader

    furniture = re.compile(r"\s*(\d+|стр\. \d+ из \d+)\s*")
    kept = [line for page in PdfReader(str(path)).pages for line in (page.extract_text() or "").splitlines()
            if not furniture.fullmatch(line) and not (stamp and line.strip() == stamp.footer)]
    return "\n".join(kept)


def test_same_facts_in_docx_xlsx_and_pdf(built, documents):
    for view in documents:
        texts = {fmt: squash(text_of(built[0] / f"{view.file_stem}.{fmt}")) for fmt in FORMATS}
        running = squash(pdf_running_text(built[0] / f"{view.file_stem}.pdf", getattr(view, "stamp", None)))
        for fact in facts(view):
            for fmt, text in texts.items():
                assert squash(fact) in text or (fmt == "pdf" and squash(fact) in running), (view.file_stem, fmt, fact)


def test_pdf_fonts_are_embedded_pt_serif(built):
    from pypdf import PdfReader

    for path in sorted(built[0].glob("*.pdf")):
        for page in PdfReader(str(path)).pages:
            fonts = page["/Resources"]["/Font"]
            for font in fonts.values():
                font = font.get_object()
                assert "PTSerif" in str(font["/BaseFont"]), (path.name, font["/BaseFont"])
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font \
                    else font["/FontDescriptor"]
                assert "/FontFile2" in descriptor.get_object(), path.name


def test_build_twice_gives_identical_bytes(built, tmp_path):
    second = tmp_path / "again"
    result = CliRunner().invoke(cli, ["build", "--records", str(SAMPLE), "--out", str(second)])
    assert result.exit_code == 0, result.stderr
    for path in sorted(built[0].iterdir()):
        assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256((second / path.name).read_bytes()).digest(), path.name


def test_build_with_bad_records_leaves_previous_set_untouched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE, tmp_path / "records")
    assert CliRunner().invoke(cli, ["build", "--format", "pdf"]).exit_code == 0
    before = sorted(p.name for p in (tmp_path / "out").iterdir())
    (tmp_path / "records" / "groups.yaml").write_text("groups: [\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--format", "pdf"])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_build_refuses_out_inside_records(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE, tmp_path / "records")
    result = CliRunner().invoke(cli, ["build", "--out", "records/out"])
    assert result.exit_code == 2
    assert result.stderr == ("Папка для документов «records/out» совпадает с папкой записей или содержит её.\n"
                             "  Как исправить: укажите в --out отдельную папку, например out/.\n")
    assert not (tmp_path / "records" / "out").exists()


def test_build_refuses_foreign_nonempty_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "диплом.docx").write_bytes(b"mine")
    result = CliRunner().invoke(cli, ["build", "--records", str(SAMPLE), "--out", "docs"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Папка «docs» не пуста и создана не этой программой")
    assert (tmp_path / "docs" / "диплом.docx").read_bytes() == b"mine"


def test_build_unknown_month_exits_2(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--records", str(SAMPLE), "--out", str(tmp_path / "o"), "--month", "2026-10"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Журнала за 2026-10 нет в {SAMPLE}/log/.")


def test_build_only_pdf(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--records", str(SAMPLE), "--out", str(tmp_path / "o"), "--format", "pdf"])
    assert result.exit_code == 0, result.stderr
    assert {p.suffix for p in (tmp_path / "o").iterdir() if not p.name.startswith(".")} == {".pdf"}


def test_init_copies_sample_and_it_checks_clean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "новое"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "новое" / "groups.yaml").read_bytes() == (SAMPLE / "groups.yaml").read_bytes()
    checked = CliRunner().invoke(cli, ["check", "--records", "новое", "--on", "2026-11-26"])
    assert checked.exit_code == 1 and checked.stderr == ""  # valid records; the sample has findings on purpose
    again = CliRunner().invoke(cli, ["init", "новое"])
    assert again.exit_code == 2
    assert again.stderr.startswith("Папка «новое» уже существует и не пуста; её файлы не тронуты.")


def test_schema_describes_every_records_file():
    import json

    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    schemas = json.loads(result.stdout)
    assert sorted(schemas) == sorted(["institution.yaml", "people.yaml", "groups.yaml", "acts/*.yaml", "orders/*.yaml",
                                      "acknowledgements.yaml", "log/*.yaml"])
    group = schemas["groups.yaml"]["$defs"]["Group"]
    assert group["additionalProperties"] is False
    assert group["properties"]["admin"]["description"] == "id администратора группы (работника) в people.yaml"


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice или poppler не установлены")
def test_built_docx_and_xlsx_convert_in_libreoffice(built, tmp_path):
    groups = {"docx": [built[0] / "Приказ_2026-045-од.docx", built[0] / "Отчёт_2026-11.docx",
                       next(built[0].glob("Лист_ознакомления_*.docx"))],
              "xlsx": [built[0] / "Приказ_2026-045-од.xlsx", built[0] / "Отчёт_2026-11.xlsx"]}
    for kind, sources in groups.items():
        target = tmp_path / kind
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                        "--outdir", str(target), *map(str, sources)], check=True, capture_output=True, timeout=300)
        for source in sources:
            pdf = target / (source.stem + ".pdf")
            assert pdf.exists() and pdf.stat().st_size > 1000, source.name
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
            assert "МКОУ ДО «ДДТ»" in text, source.name
    text = subprocess.run(["pdftotext", str(tmp_path / "docx" / "Приказ_2026-045-од.pdf"), "-"], capture_output=True, text=True).stdout
    assert "ПРИКАЗ" in text and "ПРИКАЗЫВАЮ" in text

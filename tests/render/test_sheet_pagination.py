"""A 1,000-person acknowledgement sheet on paper: every page numbered «стр. N из M» and headed by the table header."""
from __future__ import annotations

import shutil
import sys
import subprocess
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import fixtures  # noqa: E402
from extract import squash  # noqa: E402
from compliance.render import docx as docx_render
from compliance.render import pdf as pdf_render
from compliance.render import xlsx as xlsx_render

PEOPLE = 1000
HEADER = "Фамилия, имя, отчество"


def pages_text(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [(page.extract_text() or "").replace("\u00a0", " ") for page in PdfReader(str(pdf)).pages]


def assert_paginated(pages: list[str], people: int = PEOPLE) -> None:
    total = len(pages)
    assert total > 20
    for number, text in enumerate(pages, 1):
        assert f"стр. {number} из {total}" in text, number
        assert HEADER in " ".join(text.split()), number
    everything = squash("\n".join(pages))
    for i in (1, people // 2, people):
        assert squash(f"Аксёнова Полина Игоревна {i}") in everything


@pytest.fixture(scope="module")
def view():
    return fixtures.sheet_view(PEOPLE)


def test_big_sheet_pdf_numbers_every_page_and_repeats_header(view, tmp_path):
    path = pdf_render.render(view, tmp_path / "sheet.pdf")
    assert_paginated(pages_text(path))


needs_office = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice не установлен")


def convert(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "converted"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(target), str(source)], check=True, capture_output=True, timeout=300)
    return target / (source.stem + ".pdf")


@needs_office
def test_big_sheet_docx_paginates_in_libreoffice(view, tmp_path):
    source = tmp_path / "sheet.docx"
    docx_render.render(view, source)
    assert_paginated(pages_text(convert(source, tmp_path)))


@needs_office
def test_big_sheet_xlsx_prints_header_on_every_page(view, tmp_path):
    source = tmp_path / "sheet.xlsx"
    xlsx_render.render(view, source)
    assert_paginated(pages_text(convert(source, tmp_path)))

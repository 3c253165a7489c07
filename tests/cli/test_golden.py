"""Golden text per format: the whole text of key documents, reviewed as a diff when it changes.

Run `pytest --update-golden` to rewrite tests/golden/ after an intended change.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from compliance.build import FORMATS, document_set, load, render_all
from extract import text_of

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
DOCUMENTS = ("Приказ_2026-045-од", "Приказ_2026-071-од", "Журнал_приказов_2026_од",
             "Лист_ознакомления_maska-parents_poryadok-1", "Отчёт_2026-11")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("golden")
    views = [v for v in document_set(load(ROOT / "records")) if v.file_stem in DOCUMENTS]
    render_all(views, folder, FORMATS)
    return folder


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("stem", DOCUMENTS)
def test_document_text_matches_golden(rendered, request, stem, fmt):
    text = "\n".join(line.rstrip() for line in text_of(rendered / f"{stem}.{fmt}").splitlines()) + "\n"
    golden = GOLDEN / f"{stem}.{fmt}.txt"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"нет {golden.name}: запустите pytest --update-golden"
    assert text == golden.read_text(encoding="utf-8")

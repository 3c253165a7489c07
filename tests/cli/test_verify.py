"""`compliance verify` end to end: exact output and exit codes on fresh, stale and foreign documents."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from compliance.build import document_set, load, render_all
from compliance.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "records"
ORDER, SHEET = "Приказ_2026-045-од", "Лист_ознакомления_maska-parents_poryadok-1"


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    views = {v.file_stem: v for v in document_set(load(SAMPLE)) if v.file_stem in (ORDER, SHEET)}
    render_all(list(views.values()), folder, ("docx", "xlsx", "pdf"))
    return folder, {stem: view.stamp.fingerprint for stem, view in views.items()}


@pytest.fixture
def workdir(tmp_path, monkeypatch, documents):
    """A working folder with records/ (a copy of the sample) and out/ (the documents made from it)."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE, tmp_path / "records")
    shutil.copytree(documents[0], tmp_path / "out")
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(cli, ["verify", *args])


def test_verify_command_fresh_document_exits_0(workdir, documents):
    result = invoke(f"out/{ORDER}.pdf")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"out/{ORDER}.pdf: документ соответствует записям (отпечаток {documents[1][ORDER]}).\n"


def test_verify_command_changed_acknowledgement_exits_1_and_names_it(workdir, documents):
    path = workdir / "records" / "acknowledgements.yaml"
    text = path.read_text(encoding="utf-8")
    old = "{person: pr-040, act: poryadok, version: 1, date: 2026-09-15"
    path.write_text(text.replace(old, old.replace("09-15", "09-16")), encoding="utf-8")
    result = invoke(f"out/{ORDER}.docx", f"out/{SHEET}.xlsx")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == (
        f"out/{ORDER}.docx: документ соответствует записям (отпечаток {documents[1][ORDER]}).\n"
        f"out/{SHEET}.xlsx: документ устарел: записи изменились после его формирования.\n"
        "  изменено: acknowledgements.yaml, строки pr-040 (Рябова Ю.С.)\n"
        "Сформируйте документ заново: compliance build\n")


def test_verify_command_names_the_records_folder_in_its_advice(workdir):
    shutil.move(workdir / "records", workdir / "записи")
    path = workdir / "записи" / "people.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("surname: Рябова,", "surname: Рябова-Орлова,"), encoding="utf-8")
    result = invoke("--records", "записи", f"out/{SHEET}.pdf")
    assert result.exit_code == 1
    assert result.stdout == (f"out/{SHEET}.pdf: документ устарел: записи изменились после его формирования.\n"
                             "  изменено: people.yaml, запись pr-040 (Рябова-Орлова Ю.С.)\n"
                             "Сформируйте документ заново: compliance build --records записи\n")


def test_verify_command_yaml_comment_edit_still_matches(workdir):
    path = workdir / "records" / "groups.yaml"
    path.write_text("# Проверено секретарём 01.12.2026.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("out")
    assert result.exit_code == 0, result.stdout
    assert len(result.stdout.splitlines()) == 6


def test_verify_command_file_without_manifest_exits_2(workdir):
    import docx

    docx.Document().save("письмо.docx")
    result = invoke("письмо.docx")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("письмо.docx: в документе нет отпечатка записей: он сформирован не программой compliance "
                             "или отпечаток потерян при пересохранении в другой программе.\n"
                             "  Как исправить: проверяйте файл в том виде, в каком его сформировала команда "
                             "compliance build, или сформируйте документ заново.\n")


def test_verify_command_mixed_files_reports_each_and_exits_with_the_worst(workdir, documents):
    Path("заметка.txt").write_text("не документ", encoding="utf-8")
    result = invoke(f"out/{ORDER}.xlsx", "заметка.txt", "нет.pdf")
    assert result.exit_code == 2
    assert result.stdout == f"out/{ORDER}.xlsx: документ соответствует записям (отпечаток {documents[1][ORDER]}).\n"
    assert result.stderr == ("заметка.txt: это не документ DOCX, XLSX или PDF.\n"
                             "  Как исправить: укажите документ, сформированный командой compliance build.\n"
                             "нет.pdf: файл не найден.\n"
                             "  Как исправить: проверьте путь к документу.\n")


def test_verify_command_report_of_a_month_no_longer_in_records_exits_1(workdir):
    render_all([document_set(load(SAMPLE)).report], workdir / "out", ("pdf",))
    (workdir / "records" / "log" / "2026-11.yaml").unlink()
    result = invoke("out/Отчёт_2026-11.pdf")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == ("out/Отчёт_2026-11.pdf: документ устарел: журнала за 2026-11 больше нет в записях "
                             "(log/2026-11.yaml).\n")


def test_verify_command_bad_records_exits_2_without_traceback(workdir):
    (workdir / "records" / "groups.yaml").write_text("groups: [\n", encoding="utf-8")
    result = invoke(f"out/{ORDER}.pdf")
    assert result.exit_code == 2
    assert result.stderr.startswith("records/groups.yaml:")
    assert "Traceback" not in result.stderr


def test_verify_command_without_files_exits_2():
    result = invoke()
    assert result.exit_code == 2
    assert "Не указан аргумент" in result.stderr

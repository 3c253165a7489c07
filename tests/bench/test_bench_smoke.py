"""The benchmarks work: the generator at tiny scale gives valid records, the chat generators give
exports the readers read back, and every benchmark function produces its rows. No timings are asserted."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bench import runner
from bench.chats import chat_plan_of, write_huge_telegram, write_month
from bench.generate import SCALES, generate
from bench.office import Office
from compliance.build import check_records, document_set, load

ON = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench") / "records"
    return generate(root, "tiny", seed=7)


def test_generate_tiny_writes_records_that_load_and_check(tiny):
    records = load(tiny.root)
    assert (len(records.students), len(records.parents), len(records.staff)) == (40, 66, 14)
    assert len(records.groups) == tiny.groups == SCALES["tiny"].groups
    assert len(records.acknowledgements) == tiny.acknowledgements > 0
    assert [a.id for a in records.acts] == ["poryadok", "chat-rules", "pd-instruction"]
    assert [len(a.versions) for a in records.acts] == [1, 2, 2]
    assert records.latest_month == "2026-11"
    assert {o.status.value for _, o in records.orders} == {"подписан", "проект"}
    findings = check_records(records, ON)
    assert {f.clause for f in findings} >= {"2.3"}
    documents = list(document_set(records))
    assert len(documents) > len(records.orders)


def test_generate_same_seed_gives_same_files(tiny, tmp_path):
    again = generate(tmp_path / "again", "tiny", seed=7)
    first = sorted(p.relative_to(tiny.root) for p in tiny.root.rglob("*.yaml"))
    assert first == sorted(p.relative_to(again.root) for p in again.root.rglob("*.yaml"))
    for name in first:
        assert (tiny.root / name).read_bytes() == (again.root / name).read_bytes(), name


def test_generate_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileExistsError):
        generate(tmp_path, "tiny")


def test_generated_people_file_reads_like_the_sample(tiny):
    lines = (tiny.root / "people.yaml").read_text(encoding="utf-8").splitlines()
    staff = next(line for line in lines if line.startswith("  - {id: ") and "position: директор" in line)
    assert staff.endswith("position: директор}")
    parent = next(line for line in lines if line.startswith("  - {id: pr-0001,"))
    assert ", children: [st-" in parent


def test_chat_exports_are_read_back_by_the_readers(tiny, tmp_path):
    from compliance.imports import telegram, whatsapp

    records = load(tiny.root)
    plan = chat_plan_of(records)
    assert plan, "the tiny institution has Telegram or WhatsApp groups with imports in the log"
    exports = write_month(records, plan, tmp_path)
    assert [(e.group_id, e.source, e.messages) for e in exports] == list(plan)
    readers = {"telegram": telegram.read_messages, "whatsapp": whatsapp.read_messages}
    for export in exports:
        read = list(readers[export.source](export.path))
        if export.source == "whatsapp":    # the export opens with the messenger's own encryption notice
            assert read[0].kind == "system" and read[0].text.startswith("Сообщения и звонки защищены")
            read = read[1:]
        assert len(read) == export.messages, export.path
        assert all(m.time.strftime("%Y-%m") == "2026-11" for m in read)
        assert {"text", "media"} <= {m.kind for m in read}


def test_huge_telegram_export_has_sequential_ids(tmp_path):
    from compliance.imports import telegram

    path = tmp_path / "result.json"
    count = write_huge_telegram(path, 2 * runner.MB)
    assert path.stat().st_size >= 2 * runner.MB
    ids = [int(m.id) for m in telegram.read_messages(path)]
    assert ids == list(range(1, count + 1))


@pytest.fixture(scope="module")
def context(tiny, tmp_path_factory):
    return runner.Context(tiny.root, tmp_path_factory.mktemp("work"), office=None, repeats=1, quick=True, huge_mb=1)


@pytest.mark.parametrize("bench", [runner.bench_one_document, runner.bench_big_sheet, runner.bench_startup,
                                   runner.bench_check, runner.bench_monthly_set, runner.bench_chats,
                                   runner.bench_huge_import], ids=lambda f: f.__name__)
def test_benchmark_produces_rows(context, bench):
    rows = bench(context)
    assert rows
    for row in rows:
        assert row.measure
        assert row.ours is not None, row
        assert row.usual is None          # no LibreOffice in this context
    text = runner.table(rows)
    assert text.splitlines()[0].startswith("| замер ")
    assert rows[0].measure in text


def test_table_shows_ratio_goal_and_verdict():
    text = runner.table([runner.Row("Приказ → PDF", 0.01, 0.5, "≥ 50×", True, note="2 с.")])
    assert "| Приказ → PDF (2 с.) | 10 мс          | 500 мс         | ×50,0          | ≥ 50× | да         |" in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice не установлен")
def test_office_converts_our_docx_in_one_call(tiny, tmp_path):
    from compliance.build import renderer

    records = load(tiny.root)
    order, sheet = runner.typical_views(records)
    files = [tmp_path / "order.docx", tmp_path / "sheet.docx"]
    renderer("docx")(order, files[0])
    renderer("docx")(sheet, files[1])
    office = Office.find(tmp_path)
    seconds = office.convert(files, tmp_path / "pdf")
    assert seconds > 0
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == ["order.pdf", "sheet.pdf"]

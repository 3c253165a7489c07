"""`compliance build --jobs N`: the same bytes from any number of processes, failures that stop them all."""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from compliance import build, parallel
from compliance.cli import cli
from compliance.errors import InternalError, Problem, RecordsError, TemplateProblem, UsageError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "records"


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run(*args: str):
    return CliRunner().invoke(cli, ["build", "--records", str(SAMPLE), *args])


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("serial") / "out"
    result = run("--out", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    return files_of(out)


@pytest.fixture
def previous(tmp_path) -> Path:
    """An out/ folder holding the set of an earlier build, which a failed build must leave as it was."""
    out = tmp_path / "out"
    assert run("--out", str(out), "--format", "pdf", "--jobs", "1").exit_code == 0
    return out


def assert_untouched(out: Path, before: dict[str, bytes]) -> None:
    assert files_of(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out")] == []   # no staging left
    assert multiprocessing.active_children() == []                                     # no worker left


def failing_view(error: BaseException, kind: str = "report"):
    """build_view that fails on one kind of document, as a template or the records could in a worker."""
    real = parallel.build_view

    def build_view(records, task, *, redact=False):
        if task.kind == kind:
            raise error
        return real(records, task, redact=redact)

    return build_view


# ------------------------------------------------------------------------------------ same bytes

def test_build_jobs_2_gives_the_bytes_of_jobs_1(serial, tmp_path):
    out = tmp_path / "out"
    result = run("--out", str(out), "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    assert files_of(out).keys() == serial.keys()
    for name, data in files_of(out).items():
        assert data == serial[name], name
    assert result.stdout.splitlines()[-1] == f"Записано документов: 42 в папку {out}."


def test_build_jobs_more_than_documents_gives_the_same_set(serial, tmp_path):
    out = tmp_path / "out"
    result = run("--out", str(out), "--jobs", "50", "--format", "xlsx")
    assert result.exit_code == 0, result.stderr
    assert files_of(out) == {name: data for name, data in serial.items() if name.endswith((".xlsx", ".compliance-out"))}


def test_build_jobs_spawned_workers_load_records_themselves(serial, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "start_method", lambda: "spawn")    # as on Windows and macOS
    written = build.build(SAMPLE, tmp_path / "out", ("pdf",), jobs=2)
    assert [p.name for p in written] == sorted(name for name in serial if name.endswith(".pdf"))
    for path in written:
        assert path.read_bytes() == serial[path.name], path.name


def test_document_tasks_list_every_document_of_the_set():
    records = build.load(SAMPLE)
    tasks = build.document_tasks(records)
    views = [build.build_view(records, task) for task in tasks]
    assert [view.file_stem for view in views] == [view.file_stem for view in build.document_set(records)]
    assert [task.kind for task in tasks] == ["order"] * 2 + ["register"] + ["sheet"] * 10 + ["report"]
    assert max(tasks, key=lambda t: t.weight).kind == "report"


# --------------------------------------------------------------------------------- how many workers

def test_worker_count_automatic_is_serial_for_a_small_set():
    assert build.worker_count(0, 14) == 1
    assert build.worker_count(0, 333) == build.usable_cores()
    assert build.worker_count(1, 333) == 1
    assert build.worker_count(8, 3) == 3


def test_build_jobs_0_on_the_sample_builds(serial, tmp_path):
    out = tmp_path / "out"
    result = run("--out", str(out), "--jobs", "0")
    assert result.exit_code == 0, result.stderr
    assert files_of(out) == serial


JOBS_HINT = ("  Как исправить: укажите, например, --jobs 2 или уберите --jobs.\n")


@pytest.mark.parametrize("value", ["-1", "два", "1.5", ""])
def test_build_jobs_not_a_count_exits_2_in_russian(tmp_path, value):
    result = run("--out", str(tmp_path / "out"), "--jobs", value)
    assert result.exit_code == 2
    assert result.stderr == ("Использование: cli build [OPTIONS]\n"
                             "Справка: «cli build --help».\n\n"
                             f"Ошибка: Неверное значение '-j' / '--jobs': «{value}» — нужно число процессов: "
                             "1, 2, … или 0 (по числу ядер).\n" + JOBS_HINT)
    assert not (tmp_path / "out").exists()


def test_build_library_refuses_negative_jobs(tmp_path):
    with pytest.raises(UsageError) as caught:
        build.build(SAMPLE, tmp_path / "out", jobs=-2)
    assert str(caught.value) == ("Число процессов «-2» не подходит: нужно целое число не меньше 0.\n"
                                 "  Как исправить: укажите --jobs 1 (по одному документу), --jobs 2 и больше "
                                 "или --jobs 0 (по числу ядер).")
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------ failures in workers

def test_build_jobs_template_error_in_worker_leaves_out_and_exits_2(previous, monkeypatch):
    before = files_of(previous)
    message = "Шаблон templates/monthly_report.docx: неизвестная переменная «итог».\n  Как исправить: исправьте шаблон."
    monkeypatch.setattr(parallel, "build_view", failing_view(TemplateProblem(message)))
    result = run("--out", str(previous), "--jobs", "2")
    assert result.exit_code == 2
    assert result.stderr == message + "\n"
    assert result.stdout == ""
    assert_untouched(previous, before)


def test_build_jobs_records_error_in_worker_keeps_every_problem(previous, monkeypatch):
    before = files_of(previous)
    problems = [Problem(SAMPLE / "groups.yaml", 14, 5, "группа «7Б»: администратор «x» не найден.", "добавьте его."),
                Problem(SAMPLE / "people.yaml", 3, 1, "нет фамилии.", "укажите surname.")]
    monkeypatch.setattr(parallel, "build_view", failing_view(RecordsError(problems), kind="sheet"))
    result = run("--out", str(previous), "--jobs", "2")
    assert result.exit_code == 2
    assert result.stderr == RecordsError(problems).render() + "\n"
    assert "Найдено ошибок: 2. Файлы в records/ не изменены." in result.stderr
    assert_untouched(previous, before)


def test_build_jobs_interrupt_in_worker_ends_like_serial_build(previous, monkeypatch):
    before = files_of(previous)
    monkeypatch.setattr(parallel, "build_view", failing_view(KeyboardInterrupt(), kind="order"))
    monkeypatch.setattr(build, "build_view", failing_view(KeyboardInterrupt(), kind="order"))
    serial = run("--out", str(previous), "--jobs", "1")
    result = run("--out", str(previous), "--jobs", "2")
    assert (result.exit_code, result.stderr) == (serial.exit_code, serial.stderr) == (1, "\nПрервано.\n")
    assert_untouched(previous, before)


def test_build_jobs_bug_in_worker_is_raised_with_its_traceback(previous, monkeypatch):
    before = files_of(previous)
    monkeypatch.setattr(parallel, "build_view", failing_view(ZeroDivisionError("division by zero")))
    with pytest.raises(ZeroDivisionError) as caught:
        build.build(SAMPLE, previous, ("pdf",), jobs=2)
    remote = str(caught.value.__cause__)                    # the worker's own traceback comes along
    assert "in _prepare" in remote and "raise error" in remote
    assert_untouched(previous, before)


def test_build_jobs_two_documents_for_one_file_is_caught(previous, monkeypatch):
    import dataclasses

    before = files_of(previous)
    real = parallel.build_view

    def same_name(records, task, *, redact=False):
        view = real(records, task, redact=redact)
        return dataclasses.replace(view, file_stem="Лист") if task.kind == "sheet" else view

    monkeypatch.setattr(parallel, "build_view", same_name)
    with pytest.raises(InternalError, match="two documents would be written to one file: Лист"):
        build.build(SAMPLE, previous, ("pdf",), jobs=2)
    assert_untouched(previous, before)


def test_build_jobs_worker_killed_exits_2_in_russian(previous, monkeypatch):
    before = files_of(previous)
    real = parallel.build_view

    def killed(records, task, *, redact=False):
        if task.kind == "report":
            os.kill(os.getpid(), signal.SIGKILL)      # as the out-of-memory killer would
        return real(records, task, redact=redact)

    monkeypatch.setattr(parallel, "build_view", killed)
    result = run("--out", str(previous), "--jobs", "2")
    assert result.exit_code == 2
    assert result.stderr == ("Один из процессов сборки завершился аварийно (возможно, не хватило памяти); прежние "
                             "документы не тронуты.\n  Как исправить: запустите сборку ещё раз с --jobs 1.\n")
    assert_untouched(previous, before)


# ----------------------------------------------------------------------------------- whole process

def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return found


def alive(pids: set[int]) -> list[int]:
    """Those of `pids` still running (a zombie waits only for its parent to read its status)."""
    found = []
    for pid in pids:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                found.append(pid)
        except OSError:
            pass
    return found


# The CLI with every document taking a minute: workers are busy when the test interrupts or kills the build.
SLOW_BUILD = """
import time
from compliance import parallel
from compliance.cli import main
parallel.build_view = lambda records, task, redact=False: time.sleep(60)
main()
"""


# Workers that take a second to start, then build normally: a signal can reach them forked but not yet set up.
SLOW_START = """
import time
from compliance import parallel
from compliance.cli import main
started = parallel._start_worker
def slow_start(*args):
    time.sleep(1)
    started(*args)
parallel._start_worker = slow_start
main()
"""


def start_slow_build(out: Path, script: str = SLOW_BUILD) -> tuple[subprocess.Popen, set[int]]:
    parent = subprocess.Popen([sys.executable, "-c", script, "build", "--records", str(SAMPLE), "--out", str(out),
                               "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    deadline = time.monotonic() + 120
    while len(workers := children_of(parent.pid)) < 2 and time.monotonic() < deadline and parent.poll() is None:
        time.sleep(0.1)
    assert len(workers) == 2, parent.communicate()
    return parent, workers


def wait_gone(pids: set[int]) -> list[int]:
    deadline = time.monotonic() + 30
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and PR_SET_PDEATHSIG: Linux")


@linux_only
def test_build_jobs_ctrl_c_stops_workers_quietly(previous):
    before = files_of(previous)
    parent, workers = start_slow_build(previous)
    os.killpg(parent.pid, signal.SIGINT)           # what the terminal does: the whole process group
    stdout, stderr = parent.communicate(timeout=60)
    assert (parent.returncode, stderr, stdout) == (1, "\nПрервано.\n", "")   # no worker tracebacks
    assert wait_gone(workers) == []
    assert_untouched(previous, before)


@linux_only
def test_build_jobs_worker_interrupted_while_starting_keeps_working(tmp_path):
    parent, workers = start_slow_build(tmp_path / "out", SLOW_START)
    for pid in workers:                  # Ctrl-C reaches every process of the group, workers included
        os.kill(pid, signal.SIGINT)
    stdout, stderr = parent.communicate(timeout=120)
    assert (parent.returncode, stderr) == (0, "")
    assert stdout.splitlines()[-1] == f"Записано документов: 42 в папку {tmp_path / 'out'}."
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 14


@linux_only
def test_build_jobs_parent_killed_takes_workers_with_it(tmp_path):
    parent, workers = start_slow_build(tmp_path / "out")
    parent.kill()
    parent.communicate()
    assert wait_gone(workers) == []


def test_build_jobs_verbose_prints_whole_lines_from_the_parent_only(tmp_path):
    done = subprocess.run([sys.executable, "-m", "compliance", "-v", "build", "--records", str(SAMPLE),
                           "--out", str(tmp_path / "out"), "--jobs", "2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[:2] == [f"Загрузка записей из {SAMPLE}…",
                         "Подготовка и формирование документов (документов: 14, процессов: 2)…"]
    assert lines[2:] == [f"Готово документов: {n} из 14…" for n in (2, 3, 5, 6, 7, 9, 10, 12, 13, 14)]

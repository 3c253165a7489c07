"""The benchmarks: each returns table rows (ours | the usual way | ratio | goal), measured in one run.

In-process timings call the library (compliance.build.load, document_set, render_all, renderer)
and are medians of several runs where a run is cheap; whole-process timings start a fresh
interpreter through a small wrapper that also reports the child's peak resident memory
(getrusage(RUSAGE_CHILDREN) of a wrapper with one child). The usual way is our own DOCX
converted to PDF by LibreOffice (bench/office.py).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .office import BATCH, Office, convert_parallel

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
ON = "2026-11-30"
MONTH = "2026-11"


# ------------------------------------------------------------------------------------ the table

@dataclass
class Row:
    measure: str
    ours: float | None = None           # seconds (or bytes, see unit)
    usual: float | None = None
    goal: str = ""
    met: bool | None = None
    unit: str = "s"                     # "s" or "MB"
    note: str = ""                      # shown after the measure: sizes, counts, why skipped

    @property
    def ratio(self) -> float | None:
        if self.ours and self.usual:
            return self.usual / self.ours
        return None


def number(n: float) -> str:
    """12345 → «12 345» (a non-breaking space between thousands, as Russian text has it)."""
    return f"{n:,.0f}".replace(",", "\u00a0")


def seconds_text(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 1:
        return f"{value * 1000:.0f} мс" if value >= 0.01 else f"{value * 1000:.1f} мс"
    return f"{value:.2f} с".replace(".", ",")


def value_text(row: Row, value: float | None) -> str:
    if row.unit == "MB":
        return "—" if value is None else f"{value:.0f} МБ"
    return seconds_text(value)


def table(rows: list[Row]) -> str:
    """A Markdown table; notes longer than a few words go under it, numbered."""
    head = ("замер", "наша программа", "обычный способ", "во сколько раз", "цель", "выполнена?")
    lines, notes = [head], []
    for row in rows:
        ratio = row.ratio
        measure = row.measure
        if row.note and len(row.note) <= 40:
            measure += f" ({row.note})"
        elif row.note:
            notes.append(row.note)
            measure += f" [{len(notes)}]"
        lines.append((measure, value_text(row, row.ours), value_text(row, row.usual),
                      "—" if ratio is None else f"×{ratio:.1f}".replace(".", ","),
                      row.goal or "—", {True: "да", False: "НЕТ", None: "—"}[row.met]))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(line, widths)) + " |" for line in lines]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    if notes:
        out.append("")
        out += [f"[{n}] {note}" for n, note in enumerate(notes, 1)]
    return "\n".join(out)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            memory = f", {int(f.readline().split()[1]) / MB:.0f} ГБ ОЗУ"
    except (OSError, ValueError, IndexError):
        pass
    office = shutil.which("soffice")
    version = ""
    if office:
        try:
            version = subprocess.run([office, "--version"], capture_output=True, text=True, timeout=60).stdout.split()
            version = ", LibreOffice " + version[1] if len(version) > 1 else ""
        except (OSError, subprocess.SubprocessError):
            version = ""
    try:
        load = " (средняя нагрузка перед замером: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()) + ")"
    except OSError:
        load = ""
    return (f"{cpu}, ядер: {os.cpu_count()}{memory}{load}; Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}{version}")


# --------------------------------------------------------------------------------------- helpers

def median_time(fn: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


_WRAPPER = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "rc": done.returncode, "stdout": done.stdout[-20000:], "stderr": done.stderr[-4000:]}))
"""


@dataclass
class Process:
    seconds: float
    peak_mb: float
    rc: int
    stdout: str
    stderr: str


def run_process(command: list[str], cwd: Path = ROOT) -> Process:
    """Run `command` as a whole process: wall time and peak RSS measured by a one-child wrapper."""
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *command], cwd=cwd, capture_output=True, text=True,
                          check=True)
    data = json.loads(done.stdout)
    return Process(data["seconds"], data["peak_kb"] / 1024, data["rc"], data["stdout"], data["stderr"])


def child(*args: str) -> list[str]:
    """A command running one of this module's child tasks in a fresh interpreter."""
    return [sys.executable, "-m", "bench.runner", *args]


def profiled(name: str, folder: Path, fn: Callable[[], object]) -> None:
    """Run `fn` under cProfile; keep the dump and the 30 costliest calls (cumulative) as text."""
    import cProfile
    import pstats

    folder.mkdir(parents=True, exist_ok=True)
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    profiler.dump_stats(str(folder / f"{name}.prof"))
    with open(folder / f"{name}.txt", "w", encoding="utf-8") as f:
        pstats.Stats(profiler, stream=f).sort_stats("cumulative").print_stats(30)


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


# --------------------------------------------------------------------------------------- context

@dataclass
class Context:
    records: Path                       # the generated institution
    work: Path                          # scratch folder of this run
    office: Office | None
    repeats: int = 5
    quick: bool = False
    huge_mb: int = 1024
    profile: Path | None = None         # write cProfile dumps of the slow stages here
    institution: str = "крупное учреждение"    # how the table names the generated institution
    chat_exports: list = field(default_factory=list)
    _loaded: object = None

    def load(self):
        if self._loaded is None:
            from compliance.build import load

            self._loaded = load(self.records)
        return self._loaded

    def folder(self, name: str) -> Path:
        path = self.work / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path


def skipped(measure: str, why: str) -> Row:
    first = why.strip().splitlines()[0] if why.strip() else why
    return Row(measure, note=first if len(first) <= 200 else first[:199] + "…")


# ---------------------------------------------------------------------------- one document

def typical_views(records):
    """A typical order (the smallest order creating groups) and a 30-person sheet."""
    from compliance.views.acknowledgement_sheet import build_ack_sheet
    from compliance.views.order import build_order

    creating = {}
    for group in records.groups:
        creating.setdefault(group.order, []).append(group)
    signed = [oid for oid, order in records.orders if order.status.value == "подписан" and oid in creating
              and not order.approves]
    order_id = min(signed or [oid for oid, _ in records.orders], key=lambda oid: (len(creating.get(oid, ())), oid))
    act = records.acts_by_id["poryadok"]
    group = max(records.groups, key=lambda g: (len(g.members) >= 30, -abs(len(g.members) - 40), g.id))
    sheet = build_ack_sheet(records, group, act, act.versions[0], list(group.members[:30]))
    return build_order(records, order_id), sheet


def bench_one_document(ctx: Context) -> list[Row]:
    """One order and one 30-person sheet to PDF: our renderer vs LibreOffice on our DOCX."""
    from compliance import build

    records = ctx.load()
    start = time.perf_counter()
    pdf = build.renderer("pdf")
    out = ctx.folder("one")
    order, sheet = typical_views(records)
    pdf(order, out / "first.pdf")
    cold = time.perf_counter() - start
    rows = [Row("Первый PDF в процессе: импорт reportlab, шрифты, приказ", cold)]
    docx = build.renderer("docx")
    for label, view in (("Приказ", order), ("Лист ознакомления на 30 человек", sheet)):
        target = out / f"{view.file_stem}.pdf"
        ours = median_time(lambda: pdf(view, target), ctx.repeats * 4)
        if ctx.profile:
            profiled(f"pdf-{view.file_stem}", ctx.profile, lambda: [pdf(view, target) for _ in range(20)])
        pages = pdf_pages(target)
        source = out / f"{view.file_stem}.docx"
        docx(view, source)
        note = f"{pages} с."
        if ctx.office is None:
            rows.append(Row(f"{label} → PDF, 1 вызов soffice на файл", ours, goal="≥ 50×", note=note))
            rows.append(Row(f"{label} → PDF, {BATCH} файлов за вызов soffice", ours, goal="≥ 10×", note=note))
            continue
        single = statistics.median(ctx.office.convert([source], ctx.folder(f"lo-single-{i}"))
                                   for i in range(1 if ctx.quick else 3))
        copies_dir = ctx.folder("copies")
        copies = []
        for i in range(BATCH):
            copy = copies_dir / f"{source.stem}-{i:02d}.docx"
            shutil.copyfile(source, copy)
            copies.append(copy)
        batched = ctx.office.convert(copies, ctx.folder("lo-batch")) / BATCH
        rows.append(Row(f"{label} → PDF, 1 вызов soffice на файл", ours, single, "≥ 50×", single / ours >= 50, note=note))
        rows.append(Row(f"{label} → PDF, {BATCH} файлов за вызов soffice", ours, batched, "≥ 10×", batched / ours >= 10,
                        note=note))
    return rows


# ------------------------------------------------------------------------------ the big sheet

def big_sheet_view(records, people: int = 1000):
    from compliance.views.acknowledgement_sheet import build_ack_sheet

    group = max(records.groups, key=lambda g: (len(g.members), g.id))
    act = records.acts_by_id["poryadok"]
    return build_ack_sheet(records, group, act, act.versions[0], list(group.members[:people]))


def bench_big_sheet(ctx: Context, people: int = 1000) -> list[Row]:
    """A 1,000-person acknowledgement sheet in each format; PDF against LibreOffice."""
    from compliance import build

    view = big_sheet_view(ctx.load(), people)
    count = len(view.rows) - 5
    out = ctx.folder("big-sheet")
    times = {}
    for fmt in ("pdf", "docx", "xlsx"):
        render = build.renderer(fmt)
        target = out / f"{view.file_stem}.{fmt}"
        times[fmt] = median_time(lambda: render(view, target), 1 if ctx.quick else 3)
    label = f"Лист ознакомления на {count} человек"
    note = f"{pdf_pages(out / f'{view.file_stem}.pdf')} с."
    rows = []
    if ctx.office is None:
        rows.append(Row(f"{label} → PDF", times["pdf"], goal="≥ 15×", note=note))
    else:
        usual = ctx.office.convert([out / f"{view.file_stem}.docx"], ctx.folder("lo-big"))
        rows.append(Row(f"{label} → PDF", times["pdf"], usual, "≥ 15×", usual / times["pdf"] >= 15, note=note))
    rows.append(Row(f"{label} → DOCX", times["docx"]))
    rows.append(Row(f"{label} → XLSX", times["xlsx"]))
    return rows


# ---------------------------------------------------------------------------- the monthly set

def build_parallel(records_dir: Path, out: Path, formats: tuple[str, ...], jobs: int) -> dict:
    """`compliance build --jobs N` itself: load once, then `jobs` worker processes prepare and render the
    documents, the heaviest first (compliance/parallel.py)."""
    from compliance.build import build

    start = time.perf_counter()
    written = build(records_dir, out, formats, jobs=jobs)
    total = time.perf_counter() - start
    return {"total": total, "files": len(written), "documents": len({p.stem for p in written})}


def build_serial(records_dir: Path, out: Path, formats: tuple[str, ...], profile: Path | None = None) -> dict:
    """The chain of `compliance build`, stage by stage, with the library functions."""
    from compliance import build

    timings: dict = {}

    cpu = 0.0

    def stage(name, fn):
        nonlocal cpu
        start, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        timings[name] = time.perf_counter() - start
        cpu += time.process_time() - started_cpu
        if profile is not None:     # profiled in a second run, so the timings above stay unprofiled
            profiled(name, profile, fn)
        return result

    records = stage("load", lambda: build.load(records_dir))
    documents = stage("views", lambda: list(build.document_set(records)))
    for fmt in formats:
        stage(fmt, lambda: build.render_all(documents, out, (fmt,)))
    timings["total"] = sum(timings.values())
    timings["cpu"] = cpu
    timings["documents"] = len(documents)
    timings["files"] = len(formats) * len(documents)
    return timings


def bench_monthly_set(ctx: Context) -> list[Row]:
    """The whole set of `compliance build` for the large institution, ours vs the usual way, serial and on 2 cores."""
    serial_out = ctx.folder("set-serial")
    extra = [str(ctx.profile / "set")] if ctx.profile else []
    serial = json.loads(run_process(child("set-serial", str(ctx.records), str(serial_out), *extra)).stdout)
    parallel = json.loads(run_process(child("set-parallel", str(ctx.records), str(ctx.folder("set-parallel")),
                                            "docx,xlsx,pdf", "2")).stdout)
    documents = serial["documents"]
    python_part = serial["load"] + serial["views"] + serial["docx"] + serial["xlsx"]
    note = f"документов: {documents}, файлов: {serial['files']}"
    serial_note = f"{note}, процессорное время {seconds_text(serial['cpu'])}"
    rows = [
        Row("  в т. ч. загрузка записей", serial["load"]),
        Row("  в т. ч. подготовка документов (views)", serial["views"]),
        Row("  в т. ч. DOCX (обе стороны)", serial["docx"]),
        Row("  в т. ч. XLSX (обе стороны)", serial["xlsx"]),
    ]
    if ctx.office is None:
        head = [Row("Весь месячный комплект, последовательно", serial["total"], goal="≥ 5× и ≤ 10 с",
                    met=None, note=serial_note),
                Row("Весь месячный комплект, 2 ядра", parallel["total"], goal="≥ 5× и ≤ 10 с", note=note)]
        rows.append(Row("  в т. ч. наши PDF", serial["pdf"]))
        return head + rows
    docx_files = sorted(serial_out.glob("*.docx"))
    lo_serial = ctx.office.convert_batched(docx_files, ctx.folder("set-lo"))
    usual_python = json.loads(run_process(child("set-parallel", str(ctx.records), str(ctx.folder("set-usual2")),
                                                "docx,xlsx", "2")).stdout)
    lo_parallel = convert_parallel([ctx.office, ctx.office.sibling("lo-profile-2")], docx_files,
                                   ctx.folder("set-lo2"))
    usual_serial = python_part + lo_serial
    usual_two = usual_python["total"] + lo_parallel
    head = [
        Row("Весь месячный комплект, последовательно", serial["total"], usual_serial, "≥ 5× и ≤ 10 с",
            usual_serial / serial["total"] >= 5 and serial["total"] <= 10, note=serial_note),
        Row("Весь месячный комплект, 2 ядра (2 процесса)", parallel["total"], usual_two, "≥ 5× и ≤ 10 с",
            usual_two / parallel["total"] >= 5 and parallel["total"] <= 10, note=note),
    ]
    rows.append(Row("  в т. ч. PDF: наши против LibreOffice по 20 файлов", serial["pdf"], lo_serial))
    rows.append(Row("  в т. ч. PDF на 2 ядрах: LibreOffice в 2 процесса", None, lo_parallel))
    return head + rows


# ---------------------------------------------------------------------------------- check

def cold_load(records_dir: Path):
    """Loading as a new process does it: without the in-process cache of parsed and validated files."""
    from compliance.build import load
    from compliance.store.load import forget_loaded
    from compliance.store.yamlfile import forget_parsed

    forget_loaded()
    forget_parsed()
    return load(records_dir)


def bench_check(ctx: Context) -> list[Row]:
    from compliance.build import check_records

    whole = run_process([sys.executable, "-m", "compliance", "check", "--records", str(ctx.records), "--on", ON])
    if whole.rc not in (0, 1):
        raise RuntimeError(f"compliance check failed: {whole.stderr}")
    on = dt.date.fromisoformat(ON)
    repeats = 1 if ctx.quick else 3
    loading = median_time(lambda: cold_load(ctx.records), repeats, warmup=0)
    records = ctx.load()
    rules = median_time(lambda: check_records(records, on, MONTH), repeats, warmup=0)
    if ctx.profile:
        profiled("check-rules", ctx.profile, lambda: check_records(records, on, MONTH))
        profiled("check-load", ctx.profile, lambda: cold_load(ctx.records))
    return [Row(f"compliance check, {ctx.institution} (весь процесс)", whole.seconds, goal="замер",
                note=f"пик памяти {whole.peak_mb:.0f} МБ"),
            Row("  в т. ч. загрузка записей (в процессе)", loading),
            Row("  в т. ч. проверка по пунктам (в процессе)", rules)]


# --------------------------------------------------------------------------------- chats

def import_and_scan(records, exports, month: str = MONTH) -> dict:
    """Read every export, match senders and scan every message; counts only."""
    from collections import Counter

    from compliance.imports import telegram, whatsapp
    from compliance.imports.senders import SenderMap
    from compliance.scan import context_for, scan

    senders = SenderMap(records)
    readers = {"telegram": telegram.read_messages, "whatsapp": whatsapp.read_messages}
    messages, hits = 0, Counter()
    for export in exports:
        context = context_for(records, export.group_id, month)
        for message in readers[export.source](export.path):
            messages += 1
            senders.match(message.sender, message.sender_phone)
            for hit in scan(message, context):
                hits[hit.category] += 1
    return {"messages": messages, "hits": sum(hits.values())}


def _import_command(source: str, path: Path, group: str, records: Path) -> list[str]:
    return [sys.executable, "-m", "compliance", "import", source, str(path), "--group", group,
            "--records", str(records), "--month", MONTH]


def _has_import_command() -> bool:
    from compliance.cli import COMMANDS

    return "import" in COMMANDS


def bench_chats(ctx: Context) -> list[Row]:
    """The month's exports (~180,000 messages in the large institution): read + scan in process,
    and imported the way a user does it, one `compliance import` per export."""
    try:
        from compliance.imports import telegram, whatsapp  # noqa: F401
        from compliance.scan import scan  # noqa: F401
    except ImportError as exc:
        return [skipped("Импорт и проверка переписки за месяц", f"не измерено: {exc}")]
    from .chats import chat_plan_of, write_month

    records = ctx.load()
    out = ctx.folder("chats")
    ctx.chat_exports = write_month(records, chat_plan_of(records, MONTH), out)
    start = time.perf_counter()
    result = import_and_scan(records, ctx.chat_exports)
    seconds = time.perf_counter() - start
    rate = result["messages"] / seconds if seconds else 0
    rows = [Row(f"Чтение и проверка {number(result['messages'])} сообщений (в процессе)", seconds, goal="≤ 20 с",
                met=seconds <= 20, note=f"{number(rate)} сообщ./с, замечаний {number(result['hits'])}")]
    if not _has_import_command():
        return rows + [skipped("compliance import за месяц (весь процесс)", "не измерено: команды import ещё нет")]
    copy = ctx.folder("import-records")
    shutil.copytree(ctx.records, copy, dirs_exist_ok=True)
    total, peak, failed = 0.0, 0.0, []
    for export in ctx.chat_exports:
        done = run_process(_import_command(export.source, export.path, export.group_id, copy))
        total += done.seconds
        peak = max(peak, done.peak_mb)
        if done.rc != 0:
            failed.append(f"{export.group_id}: код {done.rc}, " + done.stderr.strip().splitlines()[0][-160:])
    calls = len(ctx.chat_exports)
    note = f"в среднем {seconds_text(total / calls)} на выгрузку, пик памяти {peak:.0f} МБ"
    if failed:
        note += f"; не записаны {len(failed)} из {calls}: " + "; ".join(failed[:2])
    # A process per export loads the records each time: a figure for the one-at-a-time habit, not the goal's way.
    rows.append(Row(f"compliance import за месяц: {calls} выгрузок по очереди (весь процесс)", total, goal="замер",
                    note=note))
    rows.append(_import_month_at_once(ctx))
    return rows


def _import_month_at_once(ctx: Context) -> Row:
    """The month's exports the way a secretary imports a folder: one `compliance import` per messenger."""
    copy = ctx.folder("import-at-once")
    shutil.copytree(ctx.records, copy, dirs_exist_ok=True)
    folders: dict[str, set[Path]] = {}
    for export in ctx.chat_exports:
        folder = export.path.parent.parent if export.source == "telegram" else export.path.parent
        folders.setdefault(export.source, set()).add(folder)
    total, peak, failed = 0.0, 0.0, []
    for source, found in sorted(folders.items()):
        command = [sys.executable, "-m", "compliance", "import", source, *map(str, sorted(found)),
                   "--records", str(copy), "--month", MONTH]
        done = run_process(command)
        total += done.seconds
        peak = max(peak, done.peak_mb)
        if done.rc != 0:
            failed.append(f"{source}: код {done.rc}, " + done.stderr.strip().splitlines()[0][-160:])
    note = f"пик памяти {peak:.0f} МБ" + (f"; не записано: {'; '.join(failed)}" if failed else "")
    return Row(f"compliance import за месяц: по команде на мессенджер, {len(ctx.chat_exports)} выгрузок (весь процесс)",
               total, goal="≤ 20 с", met=total <= 20 and not failed, note=note)


def huge_import(path: Path, records_dir: Path) -> dict:
    """Child task: read a huge Telegram export, match senders, scan every message; counts only."""
    from collections import Counter

    from compliance.build import load
    from compliance.imports import telegram
    from compliance.imports.senders import SenderMap
    from compliance.scan import context_for, scan

    records = load(records_dir)
    senders = SenderMap(records)
    group = max(records.groups, key=lambda g: len(g.members))
    context = context_for(records, group, MONTH)
    messages, hits = 0, Counter()
    for message in telegram.read_messages(path):
        messages += 1
        senders.match(message.sender, message.sender_phone)
        for hit in scan(message, context):
            hits[hit.category] += 1
    return {"messages": messages, "hits": sum(hits.values())}


def bench_huge_import(ctx: Context) -> list[Row]:
    """Peak memory of importing one huge Telegram export (generated now, deleted after): the month of
    November taken by `compliance import`, and every message read and scanned by the library."""
    try:
        from compliance.imports import telegram  # noqa: F401
        from compliance.scan import scan  # noqa: F401
    except ImportError as exc:
        return [skipped("Импорт выгрузки Telegram 1 ГБ: пиковая память", f"не измерено: {exc}")]
    from .chats import write_huge_telegram

    folder = ctx.folder("huge")
    path = folder / "result.json"
    rows = []
    try:
        write_huge_telegram(path, ctx.huge_mb * MB)
        size = path.stat().st_size / MB
        what = f"{size / 1024:.2f} ГБ".replace(".", ",") if size >= 1000 else f"{size:.0f} МБ"
        records = ctx.load()
        if _has_import_command():
            copy = ctx.folder("huge-records")
            shutil.copytree(ctx.records, copy, dirs_exist_ok=True)
            group = max((g for g in records.groups if g.messenger.value == "Telegram"), key=lambda g: len(g.members))
            done = run_process(_import_command("telegram", path, group.id, copy))
            if done.rc == 0:
                rows.append(Row(f"compliance import выгрузки Telegram {what}: пиковая память (весь процесс)",
                                done.peak_mb, goal="< 300 МБ", met=done.peak_mb < 300, unit="MB",
                                note=f"ноябрь из всей истории чата, {seconds_text(done.seconds)}"))
            else:
                rows.append(skipped(f"compliance import выгрузки Telegram {what}",
                                    f"не измерено: код {done.rc}: {done.stderr.strip()[-300:]}"))
        done = run_process(child("huge-import", str(path), str(ctx.records)))
        if done.rc != 0:
            raise RuntimeError(f"huge import failed: {done.stderr}")
        result = json.loads(done.stdout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows.append(Row(f"Чтение и проверка всей выгрузки {what} библиотекой: пиковая память", done.peak_mb,
                    goal="< 300 МБ", met=done.peak_mb < 300, unit="MB",
                    note=f"{number(result['messages'])} сообщений за {seconds_text(done.seconds)}"))
    return rows


# --------------------------------------------------------------------------------- start-up

def bench_startup(ctx: Context) -> list[Row]:
    repeats = 3 if ctx.quick else 7

    def whole(command: list[str], n: int) -> Process:
        runs = [run_process(command) for _ in range(n + 1)][1:]      # the first one warms the file cache
        runs.sort(key=lambda p: p.seconds)
        return runs[len(runs) // 2]

    bare = whole([sys.executable, "-c", "pass"], repeats)
    helped = whole([sys.executable, "-m", "compliance", "--help"], repeats)
    check = whole([sys.executable, "-m", "compliance", "check", "--on", ON], 1 if ctx.quick else 3)
    return [
        Row("Запуск интерпретатора без программы (для сравнения)", bare.seconds),
        Row("compliance --help (весь процесс)", helped.seconds, goal="≤ 150 мс", met=helped.seconds <= 0.150,
            note=f"пик памяти {helped.peak_mb:.0f} МБ"),
        Row("compliance check, учреждение-пример (весь процесс)", check.seconds, goal="замер",
            note=f"пик памяти {check.peak_mb:.0f} МБ"),
    ]


# ------------------------------------------------------------------------------------ children

def child_main(argv: list[str]) -> None:
    task = argv[0]
    if task == "set-serial":
        profile = Path(argv[3]) if len(argv) > 3 else None
        print(json.dumps(build_serial(Path(argv[1]), Path(argv[2]), ("docx", "xlsx", "pdf"), profile)))
    elif task == "set-parallel":
        print(json.dumps(build_parallel(Path(argv[1]), Path(argv[2]), tuple(argv[3].split(",")), int(argv[4]))))
    elif task == "huge-import":
        print(json.dumps(huge_import(Path(argv[1]), Path(argv[2]))))
    else:
        raise SystemExit(f"unknown child task {task}")


if __name__ == "__main__":
    child_main(sys.argv[1:])

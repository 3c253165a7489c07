"""The whole chain, written once: records → model → views → DOCX, XLSX, PDF."""
from __future__ import annotations

import dataclasses
import gc
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .errors import InternalError, UsageError
from .model.registry import Records

log = logging.getLogger("compliance")

FORMATS = ("docx", "xlsx", "pdf")
OUT_MARKER = ".compliance-out"


@dataclass(frozen=True)
class DocumentSet:
    """The view-models of every document one build renders."""

    orders: tuple
    registers: tuple             # one per calendar year × order series that has orders
    sheets: tuple
    report: object | None

    def __iter__(self):
        yield from self.orders
        yield from self.registers
        yield from self.sheets
        if self.report is not None:
            yield self.report


def load(records_dir: Path) -> Records:
    from .store.load import load as load_records

    return load_records(Path(records_dir))


def check_month(records: Records, month: str | None) -> str | None:
    if month is None:
        return records.latest_month
    if month not in records.logs_by_month:
        known = ", ".join(sorted(records.logs_by_month)) or "нет ни одного"
        raise UsageError(f"Журнала за {month} нет в {records.root}/log/.\n"
                         f"  Как исправить: укажите месяц, за который есть журнал (есть: {known}), "
                         f"или создайте файл log/{month}.yaml.")
    return month


@dataclass(frozen=True)
class DocumentTask:
    """One document to prepare: cheap to list in the parent and to send to a worker process, which builds
    its view-model from the records it already holds."""

    kind: str        # "order" | "register" | "sheet" | "report"
    key: tuple       # (order id,) | (year, series) | (group id, act id, version, person ids) | (month,)
    weight: int      # rows of its main table, to start the heaviest first


def document_tasks(records: Records, month: str | None = None) -> list[DocumentTask]:
    """Every document of the records, in the order of DocumentSet: orders, registers, sheets, the report."""
    from collections import Counter

    from .views.acknowledgement_sheet import BLANK_ROWS, pending_sheets
    from .views.order_register import register_keys

    month = check_month(records, month)
    created = Counter(group.order for group in records.groups)
    tasks = [DocumentTask("order", (order_id,), created[order_id] + 10) for order_id, _ in records.orders]
    in_register = Counter((order.date.year, order.series) for _, order in records.orders)
    tasks += [DocumentTask("register", key, in_register[key]) for key in register_keys(records)]
    tasks += [DocumentTask("sheet", (group.id, act.id, version.version, tuple(people)), len(people) + BLANK_ROWS)
              for group, act, version, people in pending_sheets(records)]
    if month:   # it sums up every group, person and order: always the heaviest
        tasks.append(DocumentTask("report", (month,), sum(len(g.members) for g in records.groups) + len(tasks)))
    return tasks


def build_view(records: Records, task: DocumentTask, *, redact: bool = False):
    """The view-model of one document."""
    if task.kind == "order":
        from .views.order import build_order

        return build_order(records, *task.key)
    if task.kind == "register":
        from .views.order_register import build_order_register

        return build_order_register(records, *task.key)
    if task.kind == "sheet":
        from .views.acknowledgement_sheet import build_ack_sheet

        group_id, act_id, version, people = task.key
        act = records.acts_by_id[act_id]
        return build_ack_sheet(records, records.groups_by_id[group_id], act, act.versions[version - 1], list(people),
                               redact=redact)
    if task.kind == "report":
        from .views.monthly_report import build_monthly_report

        return build_monthly_report(records, *task.key, redact=redact)
    raise InternalError(f"unknown document kind {task.kind!r}")


def document_set(records: Records, month: str | None = None, *, redact: bool = False) -> DocumentSet:
    """Every document of the records; `redact`: for publication, students and parents by initials only."""
    return _views(records, document_tasks(records, month), redact)


def _views(records: Records, tasks: list[DocumentTask], redact: bool) -> DocumentSet:
    log.info("Подготовка документов")
    views: dict[str, list] = {"order": [], "register": [], "sheet": [], "report": []}
    for task in tasks:
        views[task.kind].append(build_view(records, task, redact=redact))
    return DocumentSet(tuple(views["order"]), tuple(views["register"]), tuple(views["sheet"]),
                       views["report"][0] if views["report"] else None)


def renderer(fmt: str) -> Callable[[object, Path], None]:
    if fmt == "docx":
        from .render.docx import render
    elif fmt == "xlsx":
        from .render.xlsx import render
    elif fmt == "pdf":
        from .render.pdf import render
    else:
        raise UsageError(f"Неизвестный формат «{fmt}».\n  Как исправить: укажите docx, xlsx или pdf (через запятую).")
    return render


def render_all(documents: Iterable, folder: Path, formats: Iterable[str]) -> list[Path]:
    """Render every view in every format into `folder`: safe file names, printable text, each file whole or absent."""
    documents = [printable(view) for view in documents]
    names: dict[str, object] = {}
    for view in documents:
        name = file_stem(view.file_stem)
        if names.setdefault(name.casefold(), view) is not view:   # casefold: Windows and macOS ignore case
            raise InternalError(f"two documents would be written to one file: {name}")
    written = []
    for fmt in formats:
        render = renderer(fmt)
        log.info("Формирование %s", fmt.upper())
        for view in documents:
            path = folder / f"{file_stem(view.file_stem)}.{fmt}"
            # Rendered beside the target and renamed over it: a crash never leaves half a file under its name.
            temp = folder / f".{os.getpid()}-{path.name}"
            try:
                render(view, temp)
                os.replace(temp, path)
            except BaseException:
                temp.unlink(missing_ok=True)
                raise
            written.append(path)
    return written


# ---------------------------------------------------------------- names and text fit for files and print

_UNSAFE_IN_NAME = re.compile(r"[^\w.\-]+")        # letters of any script, digits, «_», «-», «.»
_RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10))}
_MAX_NAME_BYTES = 200                              # file systems allow 255 bytes; room for «.docx» and temp names


def file_stem(stem: str) -> str:
    """One path component that stays inside the output folder on Linux, macOS and Windows.

    File names are built from record ids, which the records schema already limits to letters, digits and
    «-»; this is the one place that makes sure, whatever a view puts there: no «/», «\\», «..», NUL,
    leading dot or Windows device name (CON, NUL, COM1…) can leave the folder or hide the file."""
    safe = _UNSAFE_IN_NAME.sub("_", stem).strip("._") or "документ"
    if safe.split(".")[0].casefold() in _RESERVED_NAMES:
        safe = f"_{safe}"
    while len(safe.encode("utf-8")) > _MAX_NAME_BYTES:
        safe = safe[:-1]
    return safe


# C0/C1 controls (tab and line break aside), the bidirectional overrides that print a name backwards, invisible
# marks that PT Serif draws as empty boxes in PDF (zero-width space, LRM/RLM, word joiner, BOM), and characters
# no document format can carry. Records may hold them as escapes (chat text); print never does.
_DROPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_REPLACED = re.compile("[\ud800-\udfff\ufffe\uffff]")


def printable_text(text: str) -> str:
    if _DROPPED.search(text):
        text = _DROPPED.sub("", text)
    if _REPLACED.search(text):
        text = _REPLACED.sub("\ufffd", text)
    return text


def printable(value):
    """A view-model (or any part of one) with every text fit to print in DOCX, XLSX and PDF; unchanged parts
    are the same objects, so a clean view costs one scan of its strings."""
    if isinstance(value, str):
        return printable_text(value)
    if isinstance(value, tuple):
        items = tuple(printable(item) for item in value)
        return value if all(a is b for a, b in zip(items, value)) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for f in dataclasses.fields(value):
            if f.init:
                old = getattr(value, f.name)
                new = printable(old)
                if new is not old:
                    changed[f.name] = new
        return dataclasses.replace(value, **changed) if changed else value
    return value


def _check_out(out: Path, records_dir: Path) -> None:
    out_abs, records_abs = out.resolve(), records_dir.resolve()
    if out_abs == records_abs or records_abs in out_abs.parents or out_abs in records_abs.parents:
        raise UsageError(f"Папка для документов «{out}» совпадает с папкой записей или содержит её.\n"
                         f"  Как исправить: укажите в --out отдельную папку, например out/.")
    if out.exists() and not out.is_dir():
        raise UsageError(f"«{out}» — это файл, а не папка.\n  Как исправить: укажите в --out папку.")
    if out.is_dir() and any(out.iterdir()) and not (out / OUT_MARKER).exists():
        raise UsageError(f"Папка «{out}» не пуста и создана не этой программой; её содержимое было бы заменено.\n"
                         f"  Как исправить: укажите в --out пустую или новую папку.")


# Fewer documents than this: starting worker processes costs more than they save (the sample's 14 documents
# build in about a second).
PARALLEL_FROM = 20


def usable_cores() -> int:
    """Cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:     # macOS, Windows
        return os.cpu_count() or 1


def check_jobs(jobs: int) -> None:
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 0:
        raise UsageError(f"Число процессов «{jobs}» не подходит: нужно целое число не меньше 0.\n"
                         f"  Как исправить: укажите --jobs 1 (по одному документу), --jobs 2 и больше или --jobs 0 "
                         f"(по числу ядер).")


def worker_count(jobs: int, documents: int) -> int:
    """Processes for `documents` documents: `jobs`, or with 0 one per usable core unless the set is small."""
    check_jobs(jobs)
    if jobs == 0:
        jobs = usable_cores() if documents >= PARALLEL_FROM else 1
    return max(1, min(jobs, documents))


def build(records_dir: Path, out: Path, formats: Iterable[str] = FORMATS, month: str | None = None,
          *, redact: bool = False, jobs: int = 1) -> list[Path]:
    """Render every document into `out`; a failure leaves `out` as it was.

    `jobs`: processes that prepare and render documents at once (compliance/parallel.py); 1 — this
    process alone, 0 — one per usable core when the set is large enough to gain from it."""
    records_dir, out = Path(records_dir), Path(out)
    formats = tuple(formats)
    for fmt in formats:
        renderer(fmt)
    check_jobs(jobs)
    _check_out(out, records_dir)
    records = load(records_dir)
    # The records (millions of objects) live until the end: frozen, the cyclic collector stops walking them
    # again and again while the views and documents are made (and forked workers keep their pages shared).
    gc.freeze()
    try:
        return _build(records, out, formats, month, redact=redact, jobs=jobs)
    finally:
        gc.unfreeze()


def _build(records: Records, out: Path, formats: tuple[str, ...], month: str | None, *, redact: bool,
           jobs: int) -> list[Path]:
    tasks = document_tasks(records, month)
    workers = worker_count(jobs, len(tasks))
    documents = list(_views(records, tasks, redact)) if workers == 1 else None
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-{os.getpid()}-", dir=out.parent))
    try:
        if documents is not None:
            written = render_all(documents, staging, formats)
        else:
            from .parallel import render_parallel

            written = render_parallel(records, tasks, staging, formats, redact=redact, workers=workers)
        (staging / OUT_MARKER).write_text("Папка создана программой compliance и заменяется при каждой сборке.\n",
                                          encoding="utf-8")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(out / p.name for p in written)


def _swap(staging: Path, out: Path) -> None:
    """Put the new set in place of the old one: in one step where the system can, else with two renames
    (between them `out` is briefly absent, never half full)."""
    os.chmod(staging, 0o755)
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)   # it holds the old set now
        return
    retired = out.with_name(f".{out.name}-old-{os.getpid()}")
    out.rename(retired)
    staging.rename(out)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(one: Path, other: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 with RENAME_EXCHANGE); False where that is not available."""
    import sys

    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):      # a C library older than glibc 2.28
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(one), at_fdcwd, os.fsencode(other), rename_exchange) == 0


def _remove_leftovers(out: Path) -> None:
    """Folders a killed build left beside `out` (its staging or retired set), named with its process id."""
    for path in out.parent.glob(f".{glob_escape(out.name)}-*"):
        match = re.fullmatch(rf"\.{re.escape(out.name)}-(?:old-)?(\d+)(?:-\w+)?", path.name)
        if match and path.is_dir() and not _alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":   # on Windows os.kill(pid, 0) would end the process: keep
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def check_records(records: Records, on, month: str | None = None) -> list:
    """Findings about the records as of `on`, with the month log `month` (default: the latest)."""
    from .rules import check

    log.info("Проверка по пунктам Порядка")
    return check(records, on, check_month(records, month))

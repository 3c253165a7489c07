"""`build --jobs N`: documents prepared and rendered by several processes at once.

The parent loads the records once, imports the renderers and fills their caches, then starts the workers
(fork where the system has it, so they inherit all of that; spawn elsewhere, and each worker loads the
records itself). A task is one document: its view-model is built and rendered in every format by one
worker, straight into the staging folder of the build, so a file's bytes never depend on which process
made it or when. The heaviest documents go first, so no long one is left to run alone at the end.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import logging
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .build import DocumentTask, build_view, file_stem, load, printable_text, render_all, renderer
from .errors import ComplianceError, InternalError
from .model.registry import Records

log = logging.getLogger("compliance")

_STATE: dict = {}     # what a worker needs: the records, the staging folder, the formats, `redact`


def render_parallel(records: Records, tasks: list[DocumentTask], folder: Path, formats: tuple[str, ...], *,
                    redact: bool, workers: int) -> list[Path]:
    """Render every task's document into `folder` with `workers` processes; the paths written.

    The first failure (a ComplianceError, a bug, Ctrl-C) stops every worker at once and is raised here as
    it would be by the serial build; files already in `folder` are the caller's to remove."""
    method = start_method()
    fork = method == "fork"
    state = {"records": records if fork else None, "root": records.root, "folder": folder,
             "formats": tuple(formats), "redact": redact}
    log.info("Подготовка и формирование документов (документов: %d, процессов: %d)", len(tasks), workers)
    if fork:
        _warm_up(records, formats)
        gc.freeze()   # the workers' garbage collector then leaves the inherited objects' pages shared
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                   initializer=_start_worker, initargs=(state, os.getpid()))
    try:
        with _interrupts_held():      # the workers start (at the first submit) with Ctrl-C held until they ignore it
            futures = [executor.submit(_prepare, task) for task in sorted(tasks, key=lambda t: -t.weight)]
        written, stems = [], set()
        for done, future in enumerate(as_completed(futures), 1):
            stem, names = future.result()
            # Two documents for one file (casefold: Windows and macOS ignore case) are caught as they come in:
            # both went only to the staging folder, which the caller removes, so `out` never sees either.
            if stem.casefold() in stems:
                raise InternalError(f"two documents would be written to one file: {stem}")
            stems.add(stem.casefold())
            written += [folder / name for name in names]
            if done * 10 // len(futures) != (done - 1) * 10 // len(futures):
                log.info("Готово документов: %d из %d", done, len(futures))
    except ComplianceError as error:     # a worker's, pickled whole (errors.py): printed as the serial build would
        _stop(executor)
        raise error from None
    except BrokenProcessPool:
        _stop(executor)
        raise ComplianceError("Один из процессов сборки завершился аварийно (возможно, не хватило памяти); "
                              "прежние документы не тронуты.\n"
                              "  Как исправить: запустите сборку ещё раз с --jobs 1.") from None
    except BaseException:
        _stop(executor)
        raise
    finally:
        gc.unfreeze()
    executor.shutdown()
    return written


def start_method() -> str:
    """fork where the system has it (Linux): workers start at once with everything loaded; spawn elsewhere
    (Windows; macOS, where fork is unsafe once system frameworks are loaded)."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" else "spawn"


def _warm_up(records: Records, formats) -> None:
    """Before forking: what every worker would otherwise compute for itself — the records' indexes (people
    by id and the like) and the renderers' imports; their caches (fonts, prepared templates) fill on first use."""
    for name, attribute in vars(type(records)).items():
        if isinstance(attribute, functools.cached_property):
            getattr(records, name)
    for fmt in formats:
        renderer(fmt)


@contextlib.contextmanager
def _interrupts_held():
    """SIGINT blocked while worker processes are created: a Ctrl-C in that moment waits for the parent (which
    then stops cleanly) instead of killing a half-started worker with a traceback."""
    if not hasattr(signal, "pthread_sigmask"):       # Windows: no signal masks; workers are spawned there
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _start_worker(state: dict, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C reaches the whole process group: the parent stops us
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})   # inherited blocked from the parent
    _die_with_parent(parent)
    _STATE.update(state)
    logging.getLogger("compliance").setLevel(logging.WARNING)   # the parent alone reports progress


def _die_with_parent(parent: int) -> None:
    """A parent killed outright (SIGKILL, out of memory) takes its workers with it instead of leaving them
    waiting for work forever (Linux; elsewhere they end when the parent's pipes close)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:       # it died before prctl took effect
        os._exit(1)


def _prepare(task: DocumentTask) -> tuple[str, list[str]]:
    """In a worker: one document in every format; its file stem and the names written."""
    records = _STATE["records"]
    if records is None:          # spawn: once per worker
        records = _STATE["records"] = load(_STATE["root"])
    view = build_view(records, task, redact=_STATE["redact"])
    written = render_all([view], _STATE["folder"], _STATE["formats"])
    return file_stem(printable_text(view.file_stem)), [path.name for path in written]


def _stop(executor: ProcessPoolExecutor) -> None:
    """End the workers now rather than after their current document (Python 3.14 has terminate_workers)."""
    terminate = getattr(executor, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)
    for process in processes:
        process.join()

"""The whole chain, written once: records → model → views → DOCX, XLSX, PDF."""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .errors import UsageError
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


def document_set(records: Records, month: str | None = None) -> DocumentSet:
    from .views.acknowledgement_sheet import build_ack_sheet, pending_sheets
    from .views.monthly_report import build_monthly_report
    from .views.order import build_order
    from .views.order_register import build_order_registers

    log.info("Подготовка документов")
    month = check_month(records, month)
    orders = tuple(build_order(records, order_id) for order_id, _ in records.orders)
    registers = build_order_registers(records)
    sheets = tuple(build_ack_sheet(records, *sheet) for sheet in pending_sheets(records))
    report = build_monthly_report(records, month) if month else None
    return DocumentSet(orders, registers, sheets, report)


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
    written = []
    for fmt in formats:
        render = renderer(fmt)
        log.info("Формирование %s", fmt.upper())
        for view in documents:
            path = folder / f"{view.file_stem}.{fmt}"
            render(view, path)
            written.append(path)
    return written


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


def build(records_dir: Path, out: Path, formats: Iterable[str] = FORMATS, month: str | None = None) -> list[Path]:
    """Render every document into `out`; a failure leaves `out` as it was."""
    records_dir, out = Path(records_dir), Path(out)
    formats = tuple(formats)
    for fmt in formats:
        renderer(fmt)
    _check_out(out, records_dir)
    records = load(records_dir)
    documents = list(document_set(records, month))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        written = render_all(documents, staging, formats)
        (staging / OUT_MARKER).write_text("Папка создана программой compliance и заменяется при каждой сборке.\n",
                                          encoding="utf-8")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(out / p.name for p in written)


def _swap(staging: Path, out: Path) -> None:
    """Put the new set in place of the old one with two renames."""
    os.chmod(staging, 0o755)
    if not out.exists():
        staging.rename(out)
        return
    retired = out.with_name(f".{out.name}-old-{os.getpid()}")
    out.rename(retired)
    staging.rename(out)
    shutil.rmtree(retired, ignore_errors=True)


def check_records(records: Records, on, month: str | None = None) -> list:
    """Findings about the records as of `on`, with the month log `month` (default: the latest)."""
    from .rules import check

    log.info("Проверка по пунктам Порядка")
    return check(records, on, check_month(records, month))

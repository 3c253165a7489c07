"""`python -m bench [--quick]`: generate a large institution, run every benchmark, print the table."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from . import runner
from .generate import SCALES, generate
from .office import Office, OfficeError

BENCHMARKS = {
    "document": runner.bench_one_document,
    "sheet": runner.bench_big_sheet,
    "startup": runner.bench_startup,
    "check": runner.bench_check,
    "set": runner.bench_monthly_set,
    "chats": runner.bench_chats,
    "huge": runner.bench_huge_import,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Замеры compliance на крупном учреждении "
                                     "рядом с обычным способом (docxtpl + LibreOffice).")
    parser.add_argument("--quick", action="store_true",
                        help="быстрая проверка: малое учреждение, меньше повторов, выгрузка 100 МБ вместо 1 ГБ")
    parser.add_argument("--scale", choices=sorted(SCALES), help="размер учреждения (по умолчанию large, с --quick small)")
    parser.add_argument("--only", default=",".join(BENCHMARKS),
                        help=f"какие замеры выполнить, через запятую (по умолчанию все: {','.join(BENCHMARKS)})")
    parser.add_argument("--no-office", action="store_true", help="не запускать LibreOffice")
    parser.add_argument("--huge-mb", type=int, help="размер большой выгрузки Telegram в МБ (по умолчанию 1024)")
    parser.add_argument("--work", type=Path, help="рабочая папка (по умолчанию временная, удаляется в конце)")
    parser.add_argument("--json", type=Path, help="записать результаты в JSON")
    parser.add_argument("--profile", type=Path, help="записать профили cProfile медленных этапов в эту папку")
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in only if name not in BENCHMARKS]
    if unknown:
        parser.error(f"неизвестные замеры: {', '.join(unknown)}")

    scale = args.scale or ("small" if args.quick else "large")
    work = args.work or Path(tempfile.mkdtemp(prefix="compliance-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"Машина: {runner.machine()}")
    print(f"Дата: {dt.datetime.now():%Y-%m-%d %H:%M}; учреждение: {scale}; рабочая папка: {work}")
    try:
        start = time.perf_counter()
        records = work / "records"
        shutil.rmtree(records, ignore_errors=True)
        summary = generate(records, scale)
        print(f"Записи: {summary.students} обучающихся, {summary.parents} родителей, {summary.staff} работников, "
              f"{summary.groups} групп, {summary.orders} приказов, {summary.acknowledgements} подписей, "
              f"{summary.actions} действий в журнале ({time.perf_counter() - start:.1f} с)")
        office = None if args.no_office else Office.find(work)
        if office is None:
            print("LibreOffice (soffice) не найден или отключён: сравнения с обычным способом пропущены.")
        ctx = runner.Context(records, work, office, repeats=2 if args.quick else 5, quick=args.quick,
                             huge_mb=args.huge_mb or (100 if args.quick else 1024), profile=args.profile,
                             institution="крупное учреждение" if scale == "large" else f"учреждение «{scale}»")
        if office is not None:
            warm = _warm(ctx)
            print(f"LibreOffice: профиль создан первым вызовом ({runner.seconds_text(warm)}), дальше он тёплый.")
        rows = []
        for name in only:
            print(f"… {name}", file=sys.stderr, flush=True)
            try:
                rows += BENCHMARKS[name](ctx)
            except OfficeError as exc:
                rows.append(runner.skipped(name, f"LibreOffice не справился: {exc}"))
        print()
        print(runner.table(rows))
        if args.json:
            args.json.write_text(json.dumps([{**asdict(r), "ratio": r.ratio} for r in rows], ensure_ascii=False,
                                            indent=1), encoding="utf-8")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _warm(ctx: runner.Context) -> float:
    from compliance import build

    order, _ = runner.typical_views(ctx.load())
    folder = ctx.folder("warm")
    source = folder / "warm.docx"
    build.renderer("docx")(order, source)
    return ctx.office.warm(source, folder / "pdf")


if __name__ == "__main__":
    sys.exit(main())

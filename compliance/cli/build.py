"""`compliance build`: every document of the institution into one folder."""
from __future__ import annotations

from pathlib import Path

import click

from . import formats_option, month_option, out_option, records_option


def _jobs(ctx, param, value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise click.BadParameter(f"«{value}» — нужно число процессов: 1, 2, … или 0 (по числу ядер).\n"
                                 f"  Как исправить: укажите, например, --jobs 2 или уберите --jobs.")
    return jobs


@click.command("build")
@records_option
@out_option
@month_option
@formats_option
@click.option("--redact", is_flag=True,
              help="Для публикации: обучающиеся и родители — только инициалами («А.П.»), без отрывков переписки.")
@click.option("-j", "--jobs", default="0", show_default=True, callback=_jobs, metavar="N",
              help="Сколько документов готовить одновременно, в отдельных процессах: 1 — по одному, "
                   "0 — по числу ядер (небольшой набор — по одному).")
def build_command(records: Path, out: Path, month: str | None, formats: tuple[str, ...], redact: bool,
                  jobs: int) -> None:
    """Сформировать все документы: приказы, листы ознакомления, отчёт за месяц.

    Каждый документ записывается в DOCX, XLSX и PDF. Документы сначала
    собираются во временной папке, и только после успеха заменяют папку --out,
    поэтому при ошибке прежний набор остаётся целым.

    С --redact документы готовятся к публикации (например, на сайте): ФИО
    обучающихся и родителей заменяются инициалами, отрывки переписки не
    печатаются; ФИО работников остаются (152-ФЗ).

    Большой набор (от 20 документов) готовится на всех ядрах сразу; --jobs
    задаёт число процессов. Документы одинаковы при любом --jobs.

    \b
    Пример:
      compliance build
      compliance build --month 2026-11 --format pdf --out печать
      compliance build --redact --format pdf --out для-сайта
      compliance build --jobs 1
    """
    from ..build import build

    written = build(records, out, formats, month, redact=redact, jobs=jobs)
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"Записано документов: {len(written)} в папку {out}.")

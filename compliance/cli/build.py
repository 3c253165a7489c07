"""`compliance build`: every document of the institution into one folder."""
from __future__ import annotations

from pathlib import Path

import click

from . import formats_option, month_option, out_option, records_option


@click.command("build")
@records_option
@out_option
@month_option
@formats_option
@click.option("--redact", is_flag=True,
              help="Для публикации: обучающиеся и родители — только инициалами («А.П.»), без отрывков переписки.")
def build_command(records: Path, out: Path, month: str | None, formats: tuple[str, ...], redact: bool) -> None:
    """Сформировать все документы: приказы, листы ознакомления, отчёт за месяц.

    Каждый документ записывается в DOCX, XLSX и PDF. Документы сначала
    собираются во временной папке, и только после успеха заменяют папку --out,
    поэтому при ошибке прежний набор остаётся целым.

    С --redact документы готовятся к публикации (например, на сайте): ФИО
    обучающихся и родителей заменяются инициалами, отрывки переписки не
    печатаются; ФИО работников остаются (152-ФЗ).

    \b
    Пример:
      compliance build
      compliance build --month 2026-11 --format pdf --out печать
      compliance build --redact --format pdf --out для-сайта
    """
    from ..build import build

    written = build(records, out, formats, month, redact=redact)
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"Записано документов: {len(written)} в папку {out}.")

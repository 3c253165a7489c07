"""Command line: parse options, call one library function, print what came back.

Heavy modules (pydantic models, renderers) are imported inside commands so that
`compliance --help` starts fast.
"""
from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import click

from . import cli_ru
from .errors import ComplianceError

cli_ru.install()

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class CompliantGroup(click.Group):
    """Turns the tool's own errors into a Russian message and exit code 2, in one place."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ComplianceError as exc:
            click.echo(exc.render(), err=True)
            ctx.exit(exc.exit_code)


def records_option(func):
    return click.option("--records", "records", type=click.Path(path_type=Path), default=Path("records"),
                        show_default=True, help="Папка с записями учреждения.")(func)


def out_option(func):
    return click.option("--out", "out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
                        help="Папка, куда записываются документы (заменяется целиком).")(func)


def _month(ctx, param, value):
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise click.BadParameter(f"«{value}» — нужен месяц в виде ГГГГ-ММ, например 2026-11.")
    return value


def month_option(func):
    return click.option("--month", callback=_month, metavar="ГГГГ-ММ",
                        help="Месяц отчёта; по умолчанию — последний месяц, за который есть журнал.")(func)


def _formats(ctx, param, value):
    formats = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [f for f in formats if f not in ("docx", "xlsx", "pdf")]
    if unknown or not formats:
        raise click.BadParameter(f"«{value}» — укажите один или несколько форматов через запятую: docx,xlsx,pdf.")
    return formats


def formats_option(func):
    return click.option("--format", "formats", default="docx,xlsx,pdf", show_default=True, callback=_formats,
                        help="Форматы документов через запятую.")(func)


@click.group(cls=CompliantGroup, context_settings=CONTEXT)
@click.option("-v", "--verbose", is_flag=True, help="Показывать этапы работы.")
@click.version_option(package_name="compliance", message="compliance %(version)s", help="Показать версию и выйти.")
def cli(verbose: bool) -> None:
    """Группы учреждения в мессенджерах по Порядку: записи, проверка и документы.

    Записи учреждения хранятся в YAML в папке records/. Программа проверяет их
    по пунктам Порядка организации и работы групп в мобильных мессенджерах и
    формирует приказ, листы ознакомления и ежемесячный отчёт в DOCX, XLSX и PDF.

    \b
    Пример:
      compliance check            проверить записи в ./records
      compliance build            сформировать все документы в ./out
    """
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(message)s…", stream=sys.stderr)


@cli.command("check")
@records_option
def check_command(records: Path) -> None:
    """Проверить записи: синтаксис, поля, даты и ссылки между файлами.

    Все ошибки выводятся за один проход в виде «файл:строка:столбец: что не так»
    и «Как исправить». Код выхода 0 — записи в порядке, 2 — есть ошибки.

    \b
    Пример:
      compliance check --records records
    """
    from .build import load

    loaded = load(records)
    click.echo(f"Записи в {records} в порядке: {len(loaded.groups)} групп, {len(loaded.staff)} сотрудников, "
               f"{len(loaded.students)} обучающихся, {len(loaded.parents)} родителей, {len(loaded.orders)} приказов, "
               f"{len(loaded.acknowledgements)} отметок об ознакомлении, журналов за месяц: {len(loaded.logs)}.")


@cli.command("build")
@records_option
@out_option
@month_option
@formats_option
def build_command(records: Path, out: Path, month: str | None, formats: tuple[str, ...]) -> None:
    """Сформировать все документы: приказы, листы ознакомления, отчёт за месяц.

    Каждый документ записывается в DOCX, XLSX и PDF. Документы сначала
    собираются во временной папке, и только после успеха заменяют папку --out,
    поэтому при ошибке прежний набор остаётся целым.

    \b
    Пример:
      compliance build
      compliance build --month 2026-11 --format pdf --out печать
    """
    from .build import build

    written = build(records, out, formats, month)
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"Записано документов: {len(written)} в папку {out}.")


SCHEMA_FILES = ("institution", "people", "groups", "acts", "orders", "acknowledgements", "log")


@cli.command("schema")
@click.argument("kind", required=False, metavar="[ВИД]", type=click.Choice(SCHEMA_FILES))
@click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False),
              help="Записать схемы файлами <вид>.schema.json в эту папку.")
def schema_command(kind: str | None, directory: Path | None) -> None:
    """Вывести JSON Schema файлов записей для подсказок в редакторе.

    Редактор с поддержкой YAML (например, VS Code с расширением YAML) по схеме
    подсказывает поля и подчёркивает ошибки прямо при вводе.

    \b
    Пример:
      compliance schema groups > groups.schema.json
      compliance schema --dir schemas
    """
    from .model.schema import schema_json, schemas

    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        for name in (kind,) if kind else SCHEMA_FILES:
            target = directory / f"{name}.schema.json"
            target.write_text(schema_json(name), encoding="utf-8")
            click.echo(f"  {target}")
        return
    if kind:
        click.echo(schema_json(kind))
    else:
        import json

        click.echo(json.dumps(schemas(), ensure_ascii=False, indent=2))


@cli.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=Path("records"))
def init_command(directory: Path) -> None:
    """Создать папку записей по образцу учреждения-примера.

    В новую папку копируются все файлы образца с комментариями; затем
    замените данные примера своими. Существующая непустая папка не трогается.

    \b
    Пример:
      compliance init мой-ддт/records
    """
    from .store.init import init_records

    created = init_records(directory)
    for path in created:
        click.echo(f"  {path}")
    click.echo(f"Создана папка записей {directory}: файлов {len(created)}. Проверьте её: compliance check --records {directory}")


def main(prog_name: str = "compliance") -> None:
    cli(prog_name=prog_name)

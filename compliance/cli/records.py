"""Commands on the records themselves: check, schema, init."""
from __future__ import annotations

from pathlib import Path

import click

from . import date_value, month_option, records_option


@click.command("check")
@records_option
@month_option
@click.option("--on", "on", callback=date_value, metavar="ГГГГ-ММ-ДД",
              help="На какую дату проверять сроки; по умолчанию — сегодня.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text — для человека, json — для других программ.")
@click.option("--summary", is_flag=True, help="Только число замечаний по каждому пункту.")
def check_command(records: Path, month: str | None, on, fmt: str, summary: bool) -> None:
    """Проверить записи по каждому пункту Порядка и по закону.

    Сначала проверяются сами файлы: разметка, поля, даты и ссылки между ними
    (ошибки — в виде «файл:строка:столбец: что не так» и «Как исправить»).
    Затем — соблюдение Порядка: приказ и сроки (п. 2.1), ознакомление (п. 2.3),
    работа администраторов (п. 3), нарушения и меры (п. 4–5), закон.

    Код выхода: 0 — нарушений нет, 1 — есть нарушения, 2 — ошибки в записях.

    \b
    Пример:
      compliance check
      compliance check --month 2026-11 --on 2026-11-30
      compliance check --format json > findings.json
    """
    from ..build import check_month, check_records, load
    from .findings import render_findings

    loaded = load(records)
    month = check_month(loaded, month)
    if on is None:
        import datetime as dt

        on = dt.date.today()
    findings = check_records(loaded, on, month)
    text, violations = render_findings(loaded, findings, records=records, on=on, month=month, fmt=fmt, summary=summary)
    click.echo(text)
    if violations:
        raise SystemExit(1)


SCHEMA_FILES = ("institution", "people", "groups", "acts", "orders", "acknowledgements", "log")


@click.command("schema")
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
    from ..model.schema import schema_json, schemas

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


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=Path("records"))
def init_command(directory: Path) -> None:
    """Создать папку записей по образцу учреждения-примера.

    В новую папку копируются все файлы образца с комментариями; затем
    замените данные примера своими. Существующая непустая папка не трогается.

    \b
    Пример:
      compliance init мой-ддт/records
    """
    from ..store.init import init_records

    created = init_records(directory)
    for path in created:
        click.echo(f"  {path}")
    click.echo(f"Создана папка записей {directory}: файлов {len(created)}. Проверьте её: compliance check --records {directory}")

"""Commands on the records themselves: check, schema, init."""
from __future__ import annotations

from pathlib import Path

import click

from . import records_option


@click.command("check")
@records_option
def check_command(records: Path) -> None:
    """Проверить записи: синтаксис, поля, даты и ссылки между файлами.

    Все ошибки выводятся за один проход в виде «файл:строка:столбец: что не так»
    и «Как исправить». Код выхода 0 — записи в порядке, 2 — есть ошибки.

    \b
    Пример:
      compliance check --records records
    """
    from ..build import load

    loaded = load(records)
    click.echo(f"Записи в {records} в порядке: {len(loaded.groups)} групп, {len(loaded.staff)} сотрудников, "
               f"{len(loaded.students)} обучающихся, {len(loaded.parents)} родителей, {len(loaded.orders)} приказов, "
               f"{len(loaded.acknowledgements)} отметок об ознакомлении, журналов за месяц: {len(loaded.logs)}.")


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

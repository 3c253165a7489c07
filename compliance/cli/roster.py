"""`compliance import roster FILE`: students, parents and group membership from a spreadsheet."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from . import CONTEXT, date_value, records_option


def _today() -> dt.date:
    return dt.date.today()


@click.command("roster", context_settings=CONTEXT)
@records_option
@click.argument("file", metavar="ФАЙЛ", type=click.Path(path_type=Path))
@click.option("--group", "group_id", metavar="ГРУППА",
              help="Группа (id из groups.yaml) для строк, где столбец «Группа» пуст или его нет.")
@click.option("--apply", "apply", is_flag=True, help="Записать изменения; без него список только сверяется.")
@click.option("--date", "on", callback=date_value, metavar="ГГГГ-ММ-ДД",
              help="Дата вступления в уже созданные группы (joined); по умолчанию — сегодня.")
def roster_command(records: Path, file: Path, group_id: str | None, apply: bool, on: dt.date | None) -> None:
    """Загрузить обучающихся, родителей и состав групп из списка XLSX или CSV.

    Без --apply показывает, что изменится: кто будет добавлен, кому
    добавится ребёнок или год рождения, кто вступит в какие группы, кого
    нет в списке. С --apply записывает то же самое в people.yaml и
    groups.yaml одной записью. Никто не удаляется: кого нет в списке,
    программа только называет. Телефоны, адреса, e-mail, СНИЛС и другие
    персональные данные из списка не сохраняются; из даты рождения
    берётся только год. Форматы списка — в docs/records.md.

    \b
    Пример:
      compliance import roster ученики.xlsx
      compliance import roster навигатор.csv --group tourists-students
      compliance import roster ученики.xlsx --apply --date 2026-12-01
    """
    from ..imports.roster import read_roster
    from ..store.roster import import_roster

    today = _today()
    roster = read_roster(file, today=today)
    result = import_roster(records, roster, group=group_id, on=on or today, apply=apply)
    lines = [roster.describe(), *result.plan.lines()]
    ignored = roster.ignored_line()
    if ignored:
        lines.append(ignored)
    if result.plan.empty:
        lines.append("Изменений нет: записи уже совпадают со списком." + (" Ничего не записано." if apply else ""))
    elif apply:
        lines.append("Записано: " + ", ".join(str(p) for p in _shown(result.written)) + ".")
    else:
        lines.append("Это предварительный просмотр: записи не изменены. "
                     "Чтобы внести изменения, повторите команду с --apply.")
    click.echo("\n".join(lines))


def _shown(paths):
    from ..errors import display_path

    return [display_path(p) for p in paths]

"""`compliance verify`: does a document still match the records it was made from?"""
from __future__ import annotations

from pathlib import Path

import click

from . import records_option


@click.command("verify")
@records_option
@click.argument("files", nargs=-1, required=True, metavar="ФАЙЛ...", type=click.Path(path_type=Path))
def verify_command(records: Path, files: tuple[Path, ...]) -> None:
    """Проверить, соответствует ли документ нынешним записям.

    Каждый документ (DOCX, XLSX, PDF) хранит в свойствах перечень записей, из
    которых он сформирован, а внизу страницы печатает их отпечаток. Команда
    сравнивает этот перечень с записями в --records и называет записи, которые
    с тех пор изменены, добавлены или удалены. Вместо файла можно указать
    папку: проверяются все документы в ней.

    Код выхода: 0 — документы соответствуют записям, 1 — есть устаревшие,
    2 — файл не является документом этой программы или записи с ошибками.

    \b
    Пример:
      compliance verify out/Приказ_2026-045-од.pdf
      compliance verify out
    """
    from ..verify import STALE, UNREADABLE, verify

    verdicts = verify(records, files)
    for verdict in verdicts:
        click.echo(verdict.render(), err=verdict.status == UNREADABLE)
    if any(v.status == STALE for v in verdicts):
        option = "" if records == Path("records") else f" --records {records}"
        click.echo(f"Сформируйте документ заново: compliance build{option}")
    code = max(v.exit_code for v in verdicts)
    if code:
        raise SystemExit(code)

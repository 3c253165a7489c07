"""Commands on the DOCX templates: check them after a restyle in Word."""
from __future__ import annotations

from pathlib import Path

import click

from . import CONTEXT


@click.group("templates", context_settings=CONTEXT)
def templates_group() -> None:
    """Шаблоны DOCX: проверка после правки в Word.

    Учреждение может переоформить шаблоны templates/*.docx в Word; команда
    «check» находит то, что помешает сформировать документ.

    \b
    Пример:
      compliance templates check
      compliance templates check --templates мои-шаблоны
    """


@templates_group.command("check")
@click.option("--templates", "folder", type=click.Path(path_type=Path), default=None,
              help="Папка с шаблонами DOCX; по умолчанию — шаблоны программы.")
def check_command(folder: Path | None) -> None:
    """Проверить шаблоны DOCX: теги, переменные, разбитые Word теги.

    Для каждого шаблона в папке выводится «в порядке» или список ошибок: тег,
    который Word разбил на части, ошибка в записи тега, неизвестная переменная,
    неверно поставленный тег {%p …%} или {%tr …%} — с текстом абзаца вокруг и
    «Как исправить». Замечания (например, тег разбит на части, но программа
    его склеит) выводятся, но ошибкой не считаются.
    Код выхода 0 — ошибок нет, 2 — есть ошибки.

    \b
    Пример:
      compliance templates check
      compliance templates check --templates мои-шаблоны
    """
    from ..errors import TemplateProblem, UsageError, display_path
    from ..render.docx import default_templates_dir
    from ..render.template_check import ERROR, check_templates

    folder = folder if folder is not None else default_templates_dir()
    if not folder.is_dir():
        raise UsageError(f"папка шаблонов «{display_path(folder)}» не найдена.\n"
                         "  Как исправить: укажите папку с файлами .docx, например --templates templates.")
    results = check_templates(folder)
    errors: list[str] = []
    broken = 0
    for path, findings in results.items():
        if any(f.severity == ERROR for f in findings):
            broken += 1
            errors.extend(f.render() for f in findings)
            continue
        label = display_path(path)
        click.echo(f"{label}: в порядке" + (f", замечаний: {len(findings)}" if findings else ""))
        for finding in findings:
            click.echo(finding.render())
    if errors:
        count = sum(1 for findings in results.values() for f in findings if f.severity == ERROR)
        errors.append(f"Ошибок в шаблонах: {count} (шаблонов с ошибками: {broken} из {len(results)}). "
                      "Исправьте их в Word и повторите проверку.")
        raise TemplateProblem("\n".join(errors))

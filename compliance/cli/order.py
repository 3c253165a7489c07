"""`compliance order new|sign|render|list`: the secretary's work with orders."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from . import CONTEXT, date_value, formats_option, records_option


def _today() -> dt.date:
    return dt.date.today()


def _approvals(ctx, param, values):
    result = []
    for value in values:
        match = re.fullmatch(r"\s*([a-z0-9][a-z0-9-]*)\s*(?::\s*(\d+)\s*)?", value)
        if not match:
            raise click.BadParameter(f"«{value}» — укажите id акта и, если нужно, номер редакции: chat-rules:3 или chat-rules.")
        result.append((match[1], int(match[2]) if match[2] else None))
    return result


def _path(path: Path) -> str:
    from ..errors import display_path

    return display_path(path)


def _human(d: dt.date) -> str:
    return f"{d:%d.%m.%Y}"


@click.group("order", context_settings=CONTEXT)
def order_group() -> None:
    """Приказы: проект с очередным номером, подписание, печать, журнал.

    Номера идут отдельно по каждой серии (например, «од») и начинаются
    с 1 каждый год. На приказ ссылаются так: 45-од (приказ этого года),
    45-од/2026 или 2026-045-од.

    \b
    Пример:
      compliance order new
      compliance order render 72-од --format pdf
      compliance order sign 72-од --date 2026-11-27
      compliance order list --year 2026
    """


@order_group.command("new")
@records_option
@click.option("--title", help="Заголовок приказа; по умолчанию «О создании групп в мобильных мессенджерах» "
                              "или «Об утверждении … » для новой редакции акта.")
@click.option("--group", "groups", multiple=True, metavar="ID",
              help="Группа, которую создаёт приказ (можно несколько раз). По умолчанию — все группы, у которых "
                   "в groups.yaml указан ещё не существующий приказ.")
@click.option("--approve", "approves", multiple=True, callback=_approvals, metavar="АКТ[:РЕДАКЦИЯ]",
              help="Утвердить редакцию акта, например chat-rules:3; без номера — новую редакцию "
                   "(её запись добавится в acts/АКТ.yaml).")
@click.option("--date", "date", callback=date_value, metavar="ГГГГ-ММ-ДД",
              help="Предполагаемая дата подписания; по ней выбирается год номера. По умолчанию — сегодня.")
@click.option("--series", metavar="ИНДЕКС", help="Серия номера из institution.yaml (order_series); по умолчанию — первая.")
@click.option("--groups-by", callback=date_value, metavar="ГГГГ-ММ-ДД",
              help="Срок создания групп; по умолчанию — через 7 дней после даты приказа.")
@click.option("--acknowledge-by", callback=date_value, metavar="ГГГГ-ММ-ДД",
              help="Срок ознакомления под подпись; по умолчанию — срок создания групп плюс "
                   "acknowledgement_grace_days из institution.yaml.")
@click.option("--basis", metavar="ТЕКСТ", help="Преамбула (цель и основание); по умолчанию — стандартная.")
@click.option("--executor", metavar="ID", help="Кто готовит приказ; по умолчанию — делопроизводитель (secretary).")
def new_command(records: Path, title, groups, approves, date, series, groups_by, acknowledge_by, basis, executor) -> None:
    """Создать проект приказа со следующим свободным номером.

    Без параметров проект создаёт новые группы: те, у которых в groups.yaml
    в поле order указан приказ, которого ещё нет (например, номер будущего
    приказа). У этих групп order заменяется на номер нового проекта.
    Файл orders/ГГГГ-ННН-серия.yaml создаётся с комментариями; проверьте
    его и допишите, если нужно, а после подписания выполните «order sign».

    \b
    Пример:
      compliance order new
      compliance order new --group maska-students --date 2026-11-20
      compliance order new --approve chat-rules --date 2026-11-20
    """
    from ..store.orders import new_order

    today = _today()
    made = new_order(records, title=title, series=series, date=date or today, groups=list(groups),
                     approves=approves, basis=basis, executor=executor, acknowledge_by=acknowledge_by,
                     groups_by=groups_by, today=today)
    ref = made.registration_number if made.date.year == today.year else f"{made.registration_number}/{made.date.year}"
    click.echo(f"Создан проект приказа № {made.registration_number} от {_human(made.date)} — {_path(made.path)}")
    click.echo(f"  Заголовок: {made.title}")
    if made.groups:
        click.echo(f"  Создаёт группы: {', '.join(made.groups)} (в groups.yaml у них указан этот приказ)")
    for group, previous in made.moved:
        click.echo(f"  Группа {group} перенесена из проекта {previous}")
    for act, version in made.new_versions:
        click.echo(f"  В acts/{act}.yaml добавлена редакция {version}: впишите её текст (text) и что изменилось (changes)")
    click.echo(f"Дальше: напечатайте проект (compliance order render {ref}), после подписания отметьте его: "
               f"compliance order sign {ref} --date ГГГГ-ММ-ДД")
    for warning in made.warnings:
        click.echo(warning, err=True)


@order_group.command("sign")
@records_option
@click.argument("order", metavar="ПРИКАЗ")
@click.option("--date", "date", callback=date_value, metavar="ГГГГ-ММ-ДД", help="Дата подписания; по умолчанию — сегодня.")
def sign_command(records: Path, order: str, date) -> None:
    """Отметить проект приказа подписанным: статус «подписан» и дата.

    Дата должна быть того же года, что и номер, и не нарушать журнал:
    приказ с меньшим номером не может быть подписан позже приказа с большим.

    \b
    Пример:
      compliance order sign 72-од --date 2026-11-27
      compliance order sign 2026-072-од
    """
    from ..store.orders import sign_order

    today = _today()
    signed = sign_order(records, order, date or today, today=today)
    click.echo(f"Приказ № {signed.registration_number} от {_human(signed.date)} «{signed.title}» подписан и "
               f"зарегистрирован — {_path(signed.path)}")
    for act, version in signed.effective_moved:
        click.echo(f"  Редакция {version} акта {act} вступает в силу с {_human(signed.date)} (дата подписания)")


@order_group.command("render")
@records_option
@click.argument("order", metavar="ПРИКАЗ")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Папка для файлов приказа (другие файлы в ней не трогаются).")
@formats_option
def render_command(records: Path, order: str, out: Path, formats: tuple[str, ...]) -> None:
    """Сформировать один приказ в DOCX, XLSX и PDF.

    Проект печатается с отметкой «ПРОЕКТ» и пустыми датой и номером —
    их вписывают при подписании.

    \b
    Пример:
      compliance order render 45-од
      compliance order render 72-од --format pdf --out печать
    """
    from ..build import load, render_all
    from ..errors import UsageError
    from ..store.orders import resolve_order
    from ..views.order import build_order

    loaded = load(records)
    order_id = resolve_order(order, loaded.orders_by_id, _today())
    out_abs, records_abs = out.resolve(), records.resolve()
    if out_abs == records_abs or records_abs in out_abs.parents or out.exists() and not out.is_dir():
        raise UsageError(f"«{out}» не подходит для документов: это папка записей, папка внутри неё или файл.\n"
                         f"  Как исправить: укажите в --out отдельную папку, например out/.")
    out.mkdir(parents=True, exist_ok=True)
    written = render_all([build_order(loaded, order_id)], out, formats)
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"Приказ № {loaded.orders_by_id[order_id].registration_number}: записано файлов — {len(written)} в папку {out}.")


@order_group.command("list")
@records_option
@click.option("--year", type=click.IntRange(1900, 2999), metavar="ГГГГ", help="Только приказы этого года.")
def list_command(records: Path, year: int | None) -> None:
    """Показать журнал приказов: номер, дата, заголовок, статус.

    Для каждого года и серии выводится следующий свободный номер; пропуски
    в номерах (приказы, которые ведутся не в records/) — предупреждением.

    \b
    Пример:
      compliance order list
      compliance order list --year 2026
    """
    from ..store.orders import register

    blocks = register(records, year)
    if not blocks:
        click.echo(f"В {records}/orders/ нет приказов" + (f" за {year} г." if year else "."))
    for block in blocks:
        click.echo(f"{block.year} г., приказы {block.series_title} ({block.series}):")
        widths = [max(len(getattr(line, field)) for line in block.lines) for field in ("number", "date", "title")]
        for line in block.lines:
            click.echo(f"  {line.number:<{widths[0]}}  {line.date:<{widths[1]}}  {line.title:<{widths[2]}}  {line.status}")
        click.echo(f"  Следующий свободный номер: {block.next_number}")
        if block.warning:
            click.echo(block.warning, err=True)

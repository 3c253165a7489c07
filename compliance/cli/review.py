"""`compliance findings [confirm|dismiss]`: the administrator reviews what the chat scan found.

A confirmed finding belongs in the violations register (п. 4: a violation must not be concealed);
`confirm --violation` puts it there. A dismissed one needs a reason. An outdated announcement is
settled by deleting it: `dismiss --deleted ДАТА` logs the deletion.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from . import CONTEXT, _month, records_option

STATUSES = ("новое", "подтверждено", "отклонено")


def _today() -> dt.date:
    return dt.date.today()


def _date(ctx, param, value):
    if value is None:
        return None
    from ..store.acknowledgements import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise click.BadParameter(f"«{value}» — нужна дата в виде ГГГГ-ММ-ДД или ДД.ММ.ГГГГ, например 2026-11-28.")
    return parsed


@click.group("findings", invoke_without_command=True, context_settings=CONTEXT)
@records_option
@click.option("--month", callback=_month, metavar="ГГГГ-ММ",
              help="Месяц журнала; по умолчанию — последний месяц, за который есть журнал.")
@click.option("--group", "group_id", metavar="ГРУППА", help="Только эта группа (id из groups.yaml).")
@click.option("--status", type=click.Choice(STATUSES), help="Только с этим решением: новое, подтверждено или отклонено.")
@click.pass_context
def findings_group(ctx: click.Context, records: Path, month: str | None, group_id: str | None,
                   status: str | None) -> None:
    """Замечания проверки переписки: список, подтверждение, отклонение.

    Без команды — список замечаний месяца: когда, кто, что найдено
    (отрывок со скрытыми персональными данными) и решение
    администратора. Подтверждённое замечание вносится в журнал нарушений
    (--violation); подтверждённое, но не внесённое, отчёт показывает как
    возможное утаивание нарушения. Отклонить можно только с пояснением.

    \b
    Пример:
      compliance findings --status новое
      compliance findings confirm f-tourists-students-202611-7-pd --violation --measure "сообщение удалено"
      compliance findings dismiss f-tourists-students-202611-9-spelling --note "название похода, не ошибка"
      compliance findings dismiss f-tourists-students-202611-3-outdated --deleted 2026-11-28
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = records            # `findings --records R confirm ID` means R, as `confirm ID --records R` does
        return
    from ..build import check_month, load

    loaded = load(records)
    month = check_month(loaded, month)
    if group_id is not None and group_id.strip() not in loaded.groups_by_id:
        from ..errors import UsageError
        from ..store.acknowledgements import suggestion

        raise UsageError(f"Группы «{group_id}» нет в groups.yaml.\n"
                         f"  Как исправить: укажите id группы ({suggestion(group_id, loaded.groups_by_id, 'есть')}).")
    click.echo(listing(loaded, month, group_id.strip() if group_id else None, status).replace("\u00a0", " "))


def listing(records, month: str | None, group_id: str | None, status: str | None) -> str:
    from collections import Counter

    from ..ru import date_numeric, period_month

    if month is None:
        return "Журналов нет: замечаний тоже нет. Импорт переписки: compliance import telegram|whatsapp ФАЙЛ --group ГРУППА."
    period = period_month(int(month[:4]), int(month[5:]))
    log_ = records.logs_by_month[month]
    chosen = [f for f in log_.findings if (group_id is None or f.group == group_id)
              and (status is None or f.status.value == status)]
    where = (f", группа {group_id}" if group_id else "") + (f", решение «{status}»" if status else "")
    if not chosen:
        return f"Замечаний по переписке за {period}{where} нет."
    counts = Counter(f.status.value for f in chosen)
    lines = [f"Замечания по переписке за {period}{where}: {len(chosen)} "
             f"(новых — {counts['новое']}, подтверждено — {counts['подтверждено']}, отклонено — {counts['отклонено']})."]
    for group in records.groups:
        mine = sorted((f for f in chosen if f.group == group.id), key=lambda f: (f.date, f.time, f.id))
        if not mine:
            continue
        lines += ["", f"{group.title} ({group.id})"]
        for f in mine:
            who = _who(records, f.sender) if f.sender else "отправитель не опознан"
            lines.append(f"  {f.id}")
            lines.append(f"    {date_numeric(f.date)} {f.time}, {who} — {f.category.value}, п. {f.clause} — {_decision(f)}")
            lines.append(f"    «{_printable(f.excerpt)}»")
            if f.note:
                lines.append(f"    Пояснение: {f.note}")
    lines += ["", "Подтвердить: compliance findings confirm ID --violation [--measure \"…\"]; "
                  "отклонить: compliance findings dismiss ID --note \"…\"."]
    return "\n".join(lines)


def _who(records, pid: str) -> str:
    from ..store.acknowledgements import who

    return who(records, pid)


def _printable(text: str) -> str:
    """Control and direction characters of a chat excerpt as «\\u202e»: the terminal shows them, not obeys."""
    import re

    return re.sub("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]",
                  lambda m: f"\\u{ord(m.group()):04x}", text)


def _decision(finding) -> str:
    if finding.violation:
        return f"{finding.status.value}, в журнале нарушений: {finding.violation}"
    if finding.status.value == "подтверждено":
        return "подтверждено, но не внесено в журнал нарушений"
    return finding.status.value


@findings_group.command("confirm")
@records_option
@click.argument("finding_id", metavar="ID")
@click.option("--note", metavar="ТЕКСТ", help="Пояснение администратора (без персональных данных).")
@click.option("--violation", is_flag=False, flag_value="new", default=None, metavar="[НАРУШЕНИЕ]",
              help="Внести нарушение в журнал нарушений месяца; с id — связать с уже записанным нарушением.")
@click.option("--measure", metavar="ТЕКСТ", help="Принятая мера для нового нарушения, например «сообщение удалено».")
def confirm_command(records: Path, finding_id: str, note: str | None, violation: str | None,
                    measure: str | None) -> None:
    """Подтвердить замечание: нарушение было.

    С --violation в раздел violations журнала вносится нарушение: пункт
    Порядка из замечания, описание по виду замечания (без персональных
    данных), нарушитель — отправитель сообщения; мера — из --measure.
    Без этого подтверждённое замечание отчёт покажет как возможное
    утаивание нарушения (п. 4).

    \b
    Пример:
      compliance findings confirm f-tourists-students-202611-7-pd --violation --measure "сообщение удалено"
      compliance findings confirm f-zvonnitsa-parents-202611-121905-a3f2-topic --violation v-2026-11-02
    """
    _review(_records(records), finding_id, confirm=True, note=note, violation=violation, measure=measure)


@findings_group.command("dismiss")
@records_option
@click.argument("finding_id", metavar="ID")
@click.option("--note", metavar="ТЕКСТ", help="Почему это не нарушение (обязательно, кроме --deleted).")
@click.option("--deleted", callback=_date, metavar="ГГГГ-ММ-ДД",
              help="Для устаревшего объявления: дата, когда его удалили; удаление записывается в журнал.")
def dismiss_command(records: Path, finding_id: str, note: str | None, deleted: dt.date | None) -> None:
    """Отклонить замечание: нарушения нет (с пояснением).

    Устаревшее объявление, которое удалено из чата, отклоняется с
    --deleted ДАТА: удаление записывается в раздел deletions журнала
    (п. 3), а в замечании остаётся пометка «объявление удалено».

    \b
    Пример:
      compliance findings dismiss f-tourists-students-202611-9-spelling --note "название похода, не ошибка"
      compliance findings dismiss f-tourists-students-202611-3-outdated --deleted 2026-11-28
    """
    _review(_records(records), finding_id, confirm=False, note=note, deleted=deleted)


def _records(records: Path) -> Path:
    ctx = click.get_current_context()
    given = ctx.get_parameter_source("records") != click.core.ParameterSource.DEFAULT
    return records if given or ctx.parent is None or ctx.parent.obj is None else ctx.parent.obj


def _review(records: Path, finding_id: str, **options) -> None:
    from ..errors import display_path
    from ..store.acknowledgements import recording
    from ..store.chat_import import review

    with recording(records) as loaded:
        done = review(loaded, finding_id, today=_today(), **options)
    was = done.finding["status"]
    now = "подтверждено" if options["confirm"] else "отклонено"
    if not done.changed:
        lines = [f"Замечание {done.finding['id']} уже {now}; ничего не изменено."]
    else:
        lines = [f"Замечание {done.finding['id']} {now} "
                 + (f"(было: {was})." if was != now else "(решение прежнее, запись дополнена).")]
    if done.violation is not None:
        v = done.violation
        lines.append(f"Внесено нарушение {v['id']} (п. {v['clause']}) в {display_path(done.path)}: {v['description']}."
                     + ("" if v.get("measure") else " Запишите принятую меру в поле measure."))
    elif options["confirm"] and not (done.finding.get("violation") or options.get("violation")):
        lines.append("Внимание: нарушение не внесено в журнал нарушений — в отчёте оно будет показано как возможное "
                     f"утаивание (п. 4). Внести: compliance findings confirm {done.finding['id']} --violation "
                     "--measure \"…\".")
    if done.deletion is not None:
        lines.append(f"Удаление записано в {display_path(done.deletion_path)} (раздел deletions).")
    click.echo("\n".join(lines))

"""`compliance findings [confirm|dismiss]`: the administrator reviews what the chat scan found.

A confirmed finding belongs in the violations register (п. 4: a violation must not be concealed);
`confirm --violation` puts it there. A dismissed one needs a reason. An outdated announcement is
settled by deleting it: `dismiss --deleted ДАТА` logs the deletion.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from . import CONTEXT, date_value, _month, records_option

STATUSES = ("новое", "подтверждено", "отклонено")
DETAILED = 200    # more findings than this are listed as counts unless --all is given


def _today() -> dt.date:
    return dt.date.today()


@click.group("findings", invoke_without_command=True, context_settings=CONTEXT)
@records_option
@click.option("--month", callback=_month, metavar="ГГГГ-ММ",
              help="Месяц журнала; по умолчанию — последний месяц, за который есть журнал.")
@click.option("--group", "group_id", metavar="ГРУППА", help="Только эта группа (id из groups.yaml).")
@click.option("--status", type=click.Choice(STATUSES), help="Только с этим решением: новое, подтверждено или отклонено.")
@click.option("--category", callback=lambda ctx, param, value: _category(ctx, param, value), metavar="ВИД",
              help="Только этого вида: «тихие часы» (quiet), «устаревшее объявление» (outdated), …")
@click.option("--sender", metavar="ID", help="Только по сообщениям этого человека (id или «неизвестный»).")
@click.option("--all", "everything", is_flag=True,
              help=f"Показать каждое замечание, даже когда их больше {DETAILED} (иначе — только счётчики).")
@click.pass_context
def findings_group(ctx: click.Context, records: Path, month: str | None, group_id: str | None,
                   status: str | None, category, sender: str | None, everything: bool) -> None:
    """Замечания проверки переписки: список, подтверждение, отклонение.

    Без команды — список замечаний месяца: когда, кто, что найдено
    (отрывок со скрытыми персональными данными) и решение
    администратора; когда замечаний много — счётчики по группам и видам,
    а подробно — с --group, --category, --sender или --all.
    Подтверждённое замечание вносится в журнал нарушений (--violation);
    подтверждённое, но не внесённое, отчёт показывает как возможное
    утаивание нарушения. Отклонить можно только с пояснением.

    \b
    Пример:
      compliance findings --status новое
      compliance findings --group tourists-students --category "тихие часы"
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
    _check_choice(loaded, group_id, sender)
    click.echo(listing(loaded, month, group_id.strip() if group_id else None, status, category=category,
                       sender=sender.strip() if sender else None, everything=everything).replace("\u00a0", " "))


def listing(records, month: str | None, group_id: str | None, status: str | None, *, category=None,
            sender: str | None = None, everything: bool = False) -> str:
    from collections import Counter

    from ..ru import date_numeric, period_month
    from ..store.finding_ids import UNKNOWN, message_count

    if month is None:
        return "Журналов нет: замечаний тоже нет. Импорт переписки: compliance import telegram|whatsapp ФАЙЛ --group ГРУППА."
    period = period_month(int(month[:4]), int(month[5:]))
    log_ = records.logs_by_month[month]
    chosen = [f for f in log_.findings if (group_id is None or f.group == group_id)
              and (status is None or f.status.value == status) and (category is None or f.category == category)
              and (sender is None or (f.sender or UNKNOWN) == sender)]
    where = ((f", группа {group_id}" if group_id else "") + (f", {category.value}" if category else "")
             + (f", отправитель {sender}" if sender else "") + (f", решение «{status}»" if status else ""))
    if not chosen:
        return f"Замечаний по переписке за {period}{where} нет."
    counts = Counter(f.status.value for f in chosen)
    lines = [f"Замечания по переписке за {period}{where}: {len(chosen)} "
             f"(новых — {counts['новое']}, подтверждено — {counts['подтверждено']}, отклонено — {counts['отклонено']})."]
    if len(chosen) > DETAILED and not everything:
        return "\n".join(lines + _counts(records, chosen))
    for group in records.groups:
        mine = sorted((f for f in chosen if f.group == group.id), key=lambda f: (f.date, f.time, f.id))
        if not mine:
            continue
        lines += ["", f"{group.title} ({group.id})"]
        for f in mine:
            who = _who(records, f.sender) if f.sender else "отправитель не опознан"
            lines.append(f"  {f.id}")
            lines.append(f"    {date_numeric(f.date)} {f.time}, {who} — {f.category.value}, п. {f.clause} — {_decision(f)}")
            if message_count(f) > 1:
                lines.append(f"    Сообщения: {f.message}")
            lines.append(f"    «{_printable(f.excerpt)}»")
            if f.note:
                lines.append(f"    Пояснение: {f.note}")
    lines += ["", "Подтвердить: compliance findings confirm ID --violation [--measure \"…\"]; "
                  "отклонить: compliance findings dismiss ID --note \"…\"."]
    return "\n".join(lines)


def _counts(records, chosen) -> list[str]:
    """Per group: how many of each kind are undecided, and who wrote most of them."""
    from collections import Counter

    from ..model.records import FindingCategory, ReviewStatus

    lines = ["", f"Замечаний больше {DETAILED}: ниже — сколько по группам и видам (нерассмотренных / всего); "
                 "подробно — с --group, --category, --sender или --all."]
    order = list(FindingCategory)
    for group in records.groups:
        mine = [f for f in chosen if f.group == group.id]
        if not mine:
            continue
        total, new = Counter(f.category for f in mine), Counter(f.category for f in mine if f.status == ReviewStatus.NEW)
        parts = [f"{c.value} — {new[c]}/{total[c]}" for c in order if total[c]]
        lines += ["", f"{group.title} ({group.id}): " + "; ".join(parts)]
        senders = Counter(f.sender or "неизвестный" for f in mine if f.status == ReviewStatus.NEW)
        top = [f"{_who(records, pid) if pid != 'неизвестный' else 'не опознаны'} — {n}"
               for pid, n in senders.most_common(3)]
        if top:
            lines.append(f"  больше всего нерассмотренных: {'; '.join(top)}")
    lines += ["", "Рассмотреть сразу несколько: compliance findings dismiss --group ГРУППА --category ВИД --note \"…\" "
                  "(или confirm … --violation); выбираются только нерассмотренные."]
    return lines


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


def _category(ctx, param, value):
    """A category by its Russian name («тихие часы») or its code in finding ids («quiet»)."""
    if value is None:
        return None
    from ..model.records import FindingCategory
    from ..store.finding_ids import CODES

    wanted = " ".join(value.split()).casefold()
    for category in FindingCategory:
        if wanted in (category.value, CODES[category]):
            return category
    known = ", ".join(f"«{c.value}» ({CODES[c]})" for c in FindingCategory)
    raise click.BadParameter(f"«{value}» — такого вида замечаний нет; есть: {known}.")


def _selection(func):
    """Several undecided findings at once, chosen like the listing chooses them."""
    func = click.option("--sender", metavar="ID", help="Выбрать замечания по сообщениям этого человека "
                                                       "(id из people.yaml или «неизвестный»).")(func)
    func = click.option("--category", callback=_category, metavar="ВИД",
                        help="Выбрать замечания этого вида: «тихие часы» (quiet), «устаревшее объявление» "
                             "(outdated), …")(func)
    func = click.option("--group", "group_id", metavar="ГРУППА", help="Выбрать замечания этой группы.")(func)
    func = click.option("--month", callback=_month, metavar="ГГГГ-ММ",
                        help="Месяц выбираемых замечаний; по умолчанию — последний месяц с журналом.")(func)
    return func


@findings_group.command("confirm")
@records_option
@click.argument("finding_ids", metavar="[ID]...", nargs=-1)
@_selection
@click.option("--note", metavar="ТЕКСТ", help="Пояснение администратора (без персональных данных).")
@click.option("--violation", is_flag=False, flag_value="new", default=None, metavar="[НАРУШЕНИЕ]",
              help="Внести нарушение в журнал нарушений месяца; с id — связать с уже записанным нарушением.")
@click.option("--measure", metavar="ТЕКСТ", help="Принятая мера для нового нарушения, например «сообщение удалено».")
def confirm_command(records: Path, finding_ids: tuple[str, ...], month: str | None, group_id: str | None, category,
                    sender: str | None, note: str | None, violation: str | None, measure: str | None) -> None:
    """Подтвердить замечание: нарушение было.

    С --violation в раздел violations журнала вносится нарушение: пункт
    Порядка из замечания, описание по виду замечания (без персональных
    данных), нарушитель — отправитель сообщения; мера — из --measure.
    Без этого подтверждённое замечание отчёт покажет как возможное
    утаивание нарушения (п. 4). Несколько замечаний: их id подряд или
    выбор нерассмотренных через --group, --category, --sender.

    \b
    Пример:
      compliance findings confirm f-tourists-students-202611-7-pd --violation --measure "сообщение удалено"
      compliance findings confirm f-zvonnitsa-parents-202611-121905-a3f2-topic --violation v-2026-11-02
      compliance findings confirm --group tourists-students --category "тихие часы" --sender st-049 --violation
    """
    _review(_records(records), finding_ids, (month, group_id, category, sender),
            confirm=True, note=note, violation=violation, measure=measure)


@findings_group.command("dismiss")
@records_option
@click.argument("finding_ids", metavar="[ID]...", nargs=-1)
@_selection
@click.option("--note", metavar="ТЕКСТ", help="Почему это не нарушение (обязательно, кроме --deleted).")
@click.option("--deleted", callback=date_value, metavar="ГГГГ-ММ-ДД",
              help="Для устаревшего объявления: дата, когда его удалили; удаление записывается в журнал.")
def dismiss_command(records: Path, finding_ids: tuple[str, ...], month: str | None, group_id: str | None, category,
                    sender: str | None, note: str | None, deleted: dt.date | None) -> None:
    """Отклонить замечание: нарушения нет (с пояснением).

    Устаревшее объявление, которое удалено из чата, отклоняется с
    --deleted ДАТА: удаление записывается в раздел deletions журнала
    (п. 3), а в замечании остаётся пометка «объявление удалено».
    Несколько замечаний: их id подряд или выбор нерассмотренных через
    --group, --category, --sender.

    \b
    Пример:
      compliance findings dismiss f-tourists-students-202611-9-spelling --note "название похода, не ошибка"
      compliance findings dismiss f-tourists-students-202611-3-outdated --deleted 2026-11-28
      compliance findings dismiss --group tourists-students --category outdated --deleted 2026-11-28
    """
    _review(_records(records), finding_ids, (month, group_id, category, sender),
            confirm=False, note=note, deleted=deleted)


def _records(records: Path) -> Path:
    ctx = click.get_current_context()
    given = ctx.get_parameter_source("records") != click.core.ParameterSource.DEFAULT
    return records if given or ctx.parent is None or ctx.parent.obj is None else ctx.parent.obj


def _chosen(loaded, finding_ids: tuple[str, ...], selection: tuple) -> tuple[list[str], str | None]:
    """The ids to review, and for a selection its description («группа …, тихие часы»)."""
    from ..build import check_month
    from ..errors import UsageError
    from ..store.findings_review import select

    month, group_id, category, sender = selection
    chosen_by_filter = any(value is not None for value in (group_id, category, sender))
    if finding_ids and (chosen_by_filter or month):
        raise UsageError("Указаны и id замечаний, и выбор (--month, --group, --category, --sender).\n"
                         "  Как исправить: укажите что-то одно: id замечаний или выбор.")
    if finding_ids:
        return list(dict.fromkeys(i.strip() for i in finding_ids)), None
    if not chosen_by_filter:
        raise UsageError("Не указано, какие замечания рассмотреть.\n  Как исправить: укажите id замечания "
                         "(список — compliance findings) или выбор: --group, --category, --sender.")
    _check_choice(loaded, group_id, sender)
    month = check_month(loaded, month)
    what = ", ".join([f"за {month}"] + ([f"группа {group_id.strip()}"] if group_id else [])
                     + ([category.value] if category else []) + ([f"отправитель {sender.strip()}"] if sender else []))
    if month is None:
        return [], what
    return select(loaded, month, group=group_id.strip() if group_id else None, category=category,
                  sender=sender.strip() if sender else None), what


def _review(records: Path, finding_ids: tuple[str, ...], selection: tuple, **options) -> None:
    from ..errors import display_path
    from ..store.acknowledgements import recording
    from ..store.findings_review import review_many

    with recording(records) as loaded:
        ids, what = _chosen(loaded, finding_ids, selection)
        if not ids:
            click.echo(f"Нерассмотренных замечаний ({what}) нет; ничего не изменено.")
            return
        done = review_many(loaded, ids, today=_today(), **options)
    if what is None and len(done) == 1:
        click.echo(_one(done[0], options))
        return
    now = "подтверждено" if options["confirm"] else "отклонено"
    changed = [d for d in done if d.changed]
    lines = [f"Замечаний {now}: {len(changed)} из {len(done)}" + (f" ({what})." if what else ".")]
    violations = [d.violation for d in changed if d.violation is not None]
    deletions = [d for d in changed if d.deletion is not None]
    if violations:
        lines.append(f"Внесено нарушений: {len(violations)} ({violations[0]['id']} … {violations[-1]['id']}) "
                     f"в {display_path(changed[0].path)}.")
    elif options["confirm"] and not options.get("violation"):
        lines.append("Внимание: подтверждённые замечания не внесены в журнал нарушений — в отчёте они будут показаны "
                     "как возможное утаивание (п. 4). Внести: добавьте --violation.")
    if deletions:
        lines.append(f"Удалений записано: {len(deletions)} в {display_path(deletions[0].deletion_path)} (раздел deletions).")
    click.echo("\n".join(lines))


def _one(done, options) -> str:
    from ..errors import display_path

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
    return "\n".join(lines)


def _check_choice(loaded, group_id: str | None, sender: str | None) -> None:
    """--group and --sender name a group and a person of the records (or the unknown senders)."""
    from ..errors import UsageError
    from ..store.acknowledgements import suggestion
    from ..store.finding_ids import UNKNOWN

    if group_id is not None and group_id.strip() not in loaded.groups_by_id:
        raise UsageError(f"Группы «{group_id}» нет в groups.yaml.\n"
                         f"  Как исправить: укажите id группы ({suggestion(group_id, loaded.groups_by_id, 'есть')}).")
    if sender is not None and sender.strip() != UNKNOWN and sender.strip() not in loaded.people:
        raise UsageError(f"Человека «{sender}» нет в people.yaml.\n  Как исправить: укажите в --sender id из "
                         f"people.yaml ({suggestion(sender, loaded.people, 'например')}) или «{UNKNOWN}».")

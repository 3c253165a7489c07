"""`compliance ack status|sheet|record|remind`: the group administrator's daily work with sign-offs."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from . import CONTEXT, date_value, formats_option, records_option


def _today() -> dt.date:
    return dt.date.today()


def _human(d: dt.date) -> str:
    return f"{d:%d.%m.%Y}"


def _rules():
    """п. 2.3 as rules.acknowledgements decides it, for the store that records sign-offs."""
    from ..rules.acknowledgements import base_deadline, current_version, needs_representative
    from ..store.acknowledgements import AckRules

    return AckRules(current_version,
                    lambda records, pid, version: needs_representative(records, pid, base_deadline(records, version)))


def _out_folder(out: Path, records: Path) -> None:
    from ..errors import UsageError

    out_abs, records_abs = out.resolve(), records.resolve()
    if out_abs == records_abs or records_abs in out_abs.parents or out.exists() and not out.is_dir():
        raise UsageError(f"«{out}» не подходит для файлов: это папка записей, папка внутри неё или файл.\n"
                         f"  Как исправить: укажите в --out отдельную папку, например out/.")
    out.mkdir(parents=True, exist_ok=True)


def _act_title(act, version) -> str:
    return act.title + (f", редакция {version.version}" if len(act.versions) > 1 else "")


def _representative_note(records, pid: str) -> str:
    from ..store.acknowledgements import gendered

    return f"за {gendered(records, pid, 'него', 'неё')} расписывается родитель"


@click.group("ack", context_settings=CONTEXT)
def ack_group() -> None:
    """Ознакомление участников групп с актами: кто не расписался, листы, запись подписей.

    По п. 2.3 Порядка администратор знакомит участников групп под подпись
    с Порядком, Правилами чата и другими актами. Когда у акта появляется
    новая редакция, все участники знакомятся с ней заново; прежние записи
    остаются в acknowledgements.yaml.

    \b
    Пример:
      compliance ack status --group maska-parents
      compliance ack sheet maska-parents --format xlsx
      compliance ack record --from-sheet out/Лист_ознакомления_maska-parents_chat-rules-2.xlsx
      compliance ack record pr-011 poryadok --date 2026-11-24 --sheet ЛО-13
      compliance ack remind
    """


# ---------------------------------------------------------------- status

@ack_group.command("status")
@records_option
@click.option("--group", "group_id", metavar="ГРУППА", help="Только эта группа (id из groups.yaml).")
@click.option("--on", "on", callback=date_value, metavar="ГГГГ-ММ-ДД", help="На какую дату; по умолчанию — сегодня.")
def status_command(records: Path, group_id: str | None, on) -> None:
    """Показать по группам, кто ещё не ознакомился и с чем.

    Для каждой группы — сколько участников должны ознакомиться и кто ещё
    не расписался: акт и редакция, срок, отметка «просрочено»; за
    обучающихся младше установленного возраста расписывается родитель.
    Это список дел, а не проверка: код выхода 0.

    \b
    Пример:
      compliance ack status
      compliance ack status --group maska-parents --on 2026-11-30
    """
    from ..build import load
    from ..rules.acknowledgements import obligations

    on = on or _today()
    loaded = load(records)
    groups = [_group(loaded, group_id)] if group_id else list(loaded.groups)
    found = _by_group(obligations(loaded, on))
    lines = [f"Ознакомление с актами на {_human(on)}"]
    pending_people, overdue_people, behind = set(), set(), 0
    for group in groups:
        lines.append("")
        lines += _group_status(loaded, group, found.get(group.id, []), on)
        mine = [ob for ob in found.get(group.id, []) if not ob.done]
        behind += bool(mine)
        pending_people |= {ob.person for ob in mine}
        overdue_people |= {ob.person for ob in mine if ob.deadline < on}
    lines.append("")
    if pending_people:
        lines.append(f"Итого: не ознакомлены — {len(pending_people)}, из них просрочено — {len(overdue_people)}; "
                     f"групп, где ознакомлены не все, — {behind} из {len(groups)}.")
        lines.append("Лист для группы: compliance ack sheet ГРУППА; записать подпись: "
                     "compliance ack record ID АКТ --date ГГГГ-ММ-ДД.")
    else:
        lines.append("Итого: все участники ознакомлены с действующими редакциями актов.")
    click.echo("\n".join(lines))


def _group(records, group_id: str):
    from ..errors import UsageError
    from ..store.acknowledgements import suggestion

    group = records.groups_by_id.get(group_id.strip())
    if group is None:
        raise UsageError(f"Группы «{group_id}» нет в groups.yaml.\n"
                         f"  Как исправить: укажите id группы ({suggestion(group_id, records.groups_by_id, 'есть')}).")
    return group


def _by_group(found) -> dict[str, list]:
    """Obligations per group id: a person in two groups is listed in both."""
    groups: dict[str, list] = {}
    for ob in found:
        for group in ob.groups:
            groups.setdefault(group.id, []).append(ob)
    return groups


def _group_status(records, group, mine, on) -> list[str]:
    from ..ru import plural
    from ..store.acknowledgements import short_name, who

    head = f"{group.title} ({group.id}), администратор {short_name(records, group.admin)}"
    if group.created is None or group.created > on:
        return [head, "  Группа ещё не создана: знакомиться пока некому."]
    pending = [ob for ob in mine if not ob.done]
    total = {ob.person for ob in mine}
    if not pending:
        return [head, f"  Все ознакомлены ({plural(len(total), 'человек')})."]
    people = {ob.person for ob in pending}
    overdue = {ob.person for ob in pending if ob.deadline < on}
    lines = [head, f"  Должны ознакомиться: {len(total)}, не ознакомлены: {len(people)}, из них просрочено: {len(overdue)}."]
    width = max(len(who(records, pid)) for pid in people)
    for act in records.required_acts(group):
        block = sorted((ob for ob in pending if ob.act.id == act.id), key=lambda ob: _sort_key(records, ob.person))
        if not block:
            continue
        lines.append(f"  {_act_title(act, block[0].version)}:")
        for ob in block:
            note = f"срок {_human(ob.deadline)}" + (", просрочено" if ob.deadline < on else "")
            if ob.representative:
                note += f"; {_representative_note(records, ob.person)}"
            lines.append(f"    {who(records, ob.person):<{width}}  {note}")
    return lines


def _sort_key(records, pid: str) -> tuple:
    p = records.people[pid]
    return (p.surname, p.name, p.patronymic or "", pid)


# ---------------------------------------------------------------- sheet

@ack_group.command("sheet")
@records_option
@click.argument("group_id", metavar="ГРУППА")
@click.option("--act", "act_id", metavar="АКТ", help="Только лист с этим актом (id из records/acts/).")
@formats_option
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Папка для листов (другие файлы в ней не трогаются).")
def sheet_command(records: Path, group_id: str, act_id: str | None, formats: tuple[str, ...], out: Path) -> None:
    """Сформировать листы ознакомления группы: только те, кто ещё не расписался.

    Один лист на каждый акт, с действующей редакцией которого в группе
    ознакомлены не все; внизу — пустые строки для новых участников.
    Заполненный XLSX (даты в графе «Дата ознакомления») записывается
    командой «compliance ack record --from-sheet».

    \b
    Пример:
      compliance ack sheet maska-parents
      compliance ack sheet maska-parents --act chat-rules --format xlsx,pdf --out листы
    """
    from ..build import load, render_all
    from ..errors import UsageError
    from ..ru import plural
    from ..store.acknowledgements import suggestion
    from ..views.acknowledgement_sheet import build_ack_sheet, pending_sheets

    loaded = load(records)
    group = _group(loaded, group_id)
    required = [a.id for a in loaded.required_acts(group)]
    if act_id is not None and act_id.strip() not in required:
        raise UsageError(f"Участники группы «{group.id}» не знакомятся с актом «{act_id}».\n"
                         f"  Как исправить: укажите в --act один из актов группы ({suggestion(act_id, required, 'есть')}) "
                         f"или не указывайте --act.")
    chosen = [sheet for sheet in pending_sheets(loaded)
              if sheet[0].id == group.id and (act_id is None or sheet[1].id == act_id.strip())]
    if not chosen:
        click.echo(f"В группе «{group.title}» все ознакомлены с действующими редакциями"
                   + (f" акта «{act_id}»" if act_id else " актов") + ": лист не нужен.")
        return
    _out_folder(out, records)
    written = render_all([build_ack_sheet(loaded, *sheet) for sheet in chosen], out, formats)
    for _, act, version, people in chosen:
        click.echo(f"Лист ознакомления группы {group.id}: {_act_title(act, version)} — {plural(len(people), 'человек')}")
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"Записано файлов — {len(written)} в папку {out}.")
    sheets = [p for p in written if p.suffix == ".xlsx"]
    if sheets:
        click.echo("Заполненный лист (даты — в графе «Дата ознакомления») запишите командой: "
                   f"compliance ack record --from-sheet {sheets[0] if len(sheets) == 1 else 'ФАЙЛ.xlsx'}")


# ---------------------------------------------------------------- record

@ack_group.command("record")
@records_option
@click.argument("person", required=False, metavar="[ЧЕЛОВЕК")
@click.argument("act", required=False, metavar="АКТ[:РЕДАКЦИЯ]]")
@click.option("--date", "date", callback=date_value, metavar="ГГГГ-ММ-ДД",
              help="Дата ознакомления (подписи). С --from-sheet — для строк, где подпись отмечена, а дата не вписана.")
@click.option("--sheet", "sheet", metavar="НОМЕР", help="Номер бумажного листа ознакомления, например ЛО-13. "
                                                        "С --from-sheet по умолчанию — следующий свободный.")
@click.option("--electronic", is_flag=True, help="Ознакомление получено электронно, а не на бумажном листе.")
@click.option("--signed-by", "signed_by", metavar="ID", help="За обучающегося младше установленного возраста: "
                                                            "id родителя (законного представителя), который расписался.")
@click.option("--from-sheet", "from_sheet", type=click.Path(path_type=Path), metavar="ФАЙЛ.xlsx",
              help="Записать все подписи из заполненного листа ознакомления в формате XLSX.")
@click.option("--dry-run", is_flag=True, help="Показать, что будет записано, и ничего не записывать.")
def record_command(records: Path, person, act, date, sheet, electronic, signed_by, from_sheet, dry_run) -> None:
    """Записать ознакомление: одного человека или весь заполненный лист.

    ЧЕЛОВЕК — id из people.yaml; АКТ — id акта, по умолчанию с действующей
    редакцией (другая — через двоеточие: chat-rules:2). Прежние записи не
    меняются; повтор, дата раньше приказа или из будущего, человек не из
    группы этого акта — ошибка, и ничего не записывается.

    С --from-sheet читается лист XLSX, сформированный «ack sheet» или
    «build», с датами в графе «Дата ознакомления» (датой Excel или текстом
    14.11.2026). Строки без даты пропускаются, вписанные внизу ФИО ищутся
    среди участников группы; всё записывается одной правкой.

    \b
    Пример:
      compliance ack record pr-011 poryadok --date 2026-11-24 --sheet ЛО-13
      compliance ack record pr-003 chat-rules:2 --date 2026-11-24 --electronic
      compliance ack record st-050 chat-rules --date 2026-11-24 --signed-by pr-049
      compliance ack record --from-sheet Лист_ознакомления_maska-parents_chat-rules-2.xlsx --dry-run
    """
    from ..errors import UsageError

    today = _today()
    if from_sheet is not None:
        if person or act or electronic or signed_by:
            raise UsageError("С --from-sheet не указывают ЧЕЛОВЕКА, АКТ, --electronic и --signed-by: всё берётся из листа.\n"
                             "  Как исправить: оставьте только --from-sheet ФАЙЛ.xlsx (и, если нужно, --date, --sheet).")
        return _record_sheet(records, from_sheet, date, sheet, dry_run, today)
    if not person or not act:
        raise UsageError("Не указано, чьё ознакомление и с каким актом записать.\n"
                         "  Как исправить: compliance ack record ЧЕЛОВЕК АКТ --date ГГГГ-ММ-ДД "
                         "или compliance ack record --from-sheet ФАЙЛ.xlsx.")
    if date is None:
        raise UsageError("Не указана дата ознакомления.\n  Как исправить: добавьте --date ГГГГ-ММ-ДД (дата подписи).")
    if sheet and electronic:
        raise UsageError("Указаны и --sheet, и --electronic.\n"
                         "  Как исправить: --sheet — для подписи на бумажном листе, --electronic — для электронного "
                         "ознакомления; оставьте одно.")
    _record_one(records, person, act, date, sheet, electronic, signed_by, dry_run, today)


def _record_one(records, person, act, date, sheet, electronic, signed_by, dry_run, today) -> None:
    from ..errors import display_path
    from ..model.records import AckMethod
    from ..store.acknowledgements import (FILE, Refused, SignOff, acquainted, gendered, record, recording, refusals,
                                          resolve_act, resolve_person, who)

    rules = _rules()
    with recording(records) as loaded:
        pid = resolve_person(loaded, person)
        act_, version = resolve_act(loaded, act, today, rules)
        s = SignOff(pid, act_.id, version.version, date, AckMethod.ELECTRONIC if electronic else AckMethod.PAPER,
                    sheet.strip() if sheet else None, signed_by.strip() if signed_by else None)
        problems = refusals(loaded, s, today, rules)
        if problems:
            raise Refused(problems)
        done = record(loaded, [s], dry_run=dry_run)
    how = ", электронно" if electronic else (f", лист {s.sheet}" if s.sheet else ", на бумажном листе")
    parent = f", за {gendered(loaded, pid, 'него', 'неё')} расписался родитель {who(loaded, s.signed_by)}" if s.signed_by else ""
    fact = f"{acquainted(loaded, pid, act_, version.version, date)}{how}{parent}"
    if dry_run:
        click.echo(f"Будет записано: {fact}.")
        click.echo("Проверка без записи (--dry-run): файлы не изменены.")
    else:
        click.echo(f"Записано: {fact} — {display_path(loaded.root / FILE)}, строка {done.lines[0]}.")


def _record_sheet(records, path: Path, date, sheet, dry_run, today) -> None:
    from ..errors import display_path
    from ..store.ack_sheet import read_sheet
    from ..store.acknowledgements import FILE, record, recording, who

    with recording(records) as loaded:
        filled = read_sheet(loaded, path, today=today, rules=_rules(), default_date=date,
                            sheet=sheet.strip() if sheet else None)
        done = record(loaded, [s for _, s in filled.sign_offs], group=filled.group, dry_run=dry_run)
    order = loaded.orders_by_id[filled.version.approved_by]
    click.echo(f"Лист {display_path(path)}: группа «{filled.group.title}» ({filled.group.id}), "
               f"{_act_title(filled.act, filled.version)} (приказ № {order.registration_number} от {_human(order.date)})")
    if filled.sign_offs:
        click.echo(f"{'Будет записано' if dry_run else 'Записано'} ознакомлений — {len(filled.sign_offs)} (лист {filled.sheet}):")
        for row, s in filled.sign_offs:
            parent = f", расписался родитель {who(loaded, s.signed_by)}" if s.signed_by else ""
            click.echo(f"  строка {row}: {who(loaded, s.person)} — {_human(s.date)}{parent}")
    if filled.skipped:
        click.echo(f"Пропущено строк — {len(filled.skipped)}:")
        for row, why in filled.skipped:
            click.echo(f"  строка {row}: {why}")
    if not filled.sign_offs:
        click.echo("Записывать нечего: в листе нет новых строк с датой ознакомления.")
    elif dry_run:
        click.echo("Проверка без записи (--dry-run): файлы не изменены. Чтобы записать, повторите команду без --dry-run.")
    else:
        click.echo(f"{display_path(loaded.root / FILE)}: добавлено строк — {len(done.sign_offs)}. "
                   f"Впишите номер {filled.sheet} на бумажный лист и сохраните лист; если дозаполните его позже, "
                   f"загружайте с --sheet {filled.sheet}.")


# ---------------------------------------------------------------- remind

PRIVACY = ("Напоминайте лично (в личном сообщении или при встрече); не публикуйте список в группе: "
           "это персональные данные.")


@ack_group.command("remind")
@records_option
@click.option("--on", "on", callback=date_value, metavar="ГГГГ-ММ-ДД", help="На какую дату; по умолчанию — сегодня.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Записать список каждого администратора в отдельный текстовый файл в этой папке.")
def remind_command(records: Path, on, out: Path | None) -> None:
    """Списки, кому напомнить об ознакомлении: у каждого администратора свой.

    Для каждого администратора — участники его групп, которые ещё не
    расписались: кто, группа, акт, срок. За обучающихся младше
    установленного возраста расписывается родитель — он и указан.
    Общего списка для чата нет намеренно: напоминают лично.

    \b
    Пример:
      compliance ack remind
      compliance ack remind --on 2026-11-30 --out напоминания
    """
    from ..build import load
    from ..rules.acknowledgements import obligations

    on = on or _today()
    loaded = load(records)
    blocks = _reminders(loaded, _by_group(obligations(loaded, on)), on)
    header = [f"Кому напомнить об ознакомлении на {_human(on)}.", PRIVACY]
    if out is None:
        click.echo("\n".join(header))
        for _, lines in blocks:
            click.echo("")
            click.echo("\n".join(lines))
        if not blocks:
            click.echo("")
            click.echo("Напоминать некому: все участники ознакомлены с действующими редакциями актов.")
        return
    _out_folder(out, records)
    for admin, lines in blocks:
        path = out / f"Напоминания_{admin}.txt"
        path.write_text("\n".join(header + [""] + lines) + "\n", encoding="utf-8")
        click.echo(f"  {path}")
    reminded = {admin for admin, _ in blocks}
    for staff in loaded.staff:  # last time's list of an administrator with nobody left to remind must not be handed out
        stale = out / f"Напоминания_{staff.id}.txt"
        if staff.id not in reminded and stale.exists():
            stale.unlink()
            click.echo(f"  {stale} — удалён: напоминать больше некому")
    click.echo(f"Записано файлов — {len(blocks)} в папку {out}: по одному на администратора."
               if blocks else "Напоминать некому: все участники ознакомлены с действующими редакциями актов.")


def _reminders(records, found, on) -> list[tuple[str, list[str]]]:
    """(admin id, lines) for every administrator who has someone to remind, in records order:
    one numbered entry per person, with every act he or she still has to sign."""
    from ..ru import plural
    from ..store.acknowledgements import full_name, parents_of, who

    per_admin: dict[str, dict[str, dict]] = {}
    for group in records.groups:
        for ob in found.get(group.id, []):
            if not ob.done:
                entry = per_admin.setdefault(group.admin, {}).setdefault(ob.person, {"groups": [], "acts": {}})
                entry["groups"] += [group] if group not in entry["groups"] else []
                entry["acts"][ob.act.id] = ob
    blocks = []
    for admin, people in per_admin.items():
        staff = records.people[admin]
        lines = [f"{full_name(records, admin)} ({admin}), {staff.position} — кому напомнить: {plural(len(people), 'человек')}"]
        order = sorted(people, key=lambda pid: (min(ob.deadline for ob in people[pid]["acts"].values()), _sort_key(records, pid)))
        for number, pid in enumerate(order, 1):
            entry = people[pid]
            groups = ", ".join(f"«{g.title}»" for g in entry["groups"])
            lines.append(f"  {number}. {who(records, pid)} — {'группа' if len(entry['groups']) == 1 else 'группы'} {groups}")
            obs = list(entry["acts"].values())
            for ob in obs:
                lines.append(f"     {_act_title(ob.act, ob.version)} — срок {_human(ob.deadline)}"
                             + (", просрочено" if ob.deadline < on else ""))
            if any(ob.representative for ob in obs):
                signers = " или ".join(who(records, p.id) for p in parents_of(records, pid)) or "родитель не записан в people.yaml"
                lines.append(f"     {_representative_note(records, pid)}: {signers}")
        blocks.append((admin, lines))
    return blocks

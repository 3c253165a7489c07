"""`compliance import telegram|whatsapp`: a chat export's month → counts and findings in the month log.

The chain of one import (read the export, keep the month, scan, merge into the log) is written
once in `import_chat`; the commands parse options and print its summary. Nothing of the
messages is kept but counts and findings with masked excerpts; the log names no message text.
"""
from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import click

from . import CONTEXT, _month, records_option

log = logging.getLogger("compliance")

SOURCES = {"telegram": "Telegram", "whatsapp": "WhatsApp"}
SHOWN_SENDERS = 20            # the summary names the busiest senders; the rest are counted
CHAT_TYPES = {"private_group": "группа", "private_supergroup": "супергруппа", "public_supergroup": "публичная супергруппа",
              "private_channel": "канал", "public_channel": "публичный канал"}
_clock = time.perf_counter    # tests fix it: the summary prints the time taken


def _today() -> dt.date:
    return dt.date.today()


# ---------------------------------------------------------------- the chain

@dataclass(frozen=True)
class Imported:
    plan: object | None           # store.chat_import.Plan; None when the export was imported before
    outcome: object | None        # store.chat_import.Outcome
    already: str | None           # the month the export is already recorded in
    group: object
    records: object


class _SecondChat(Exception):
    """A whole-account export holds more than one group chat and none was chosen."""


def import_chat(records_dir: Path, source: str, path: Path, group_id: str, *, month: str | None, today: dt.date,
                chat: str | None = None, date_order: str | None = None, progress: bool = False) -> Imported:
    """Read the export, keep the month, scan it, merge it into log/<month>.yaml; all or nothing."""
    from ..build import load
    from ..errors import UsageError
    from ..imports import telegram, whatsapp
    from ..imports.senders import SenderMap
    from ..scan import context_for, scan
    from ..store import chat_import as store

    records = load(records_dir)
    group = _group(records, group_id, source)
    path = _export_file(path, source)
    size = telegram.export_size(path) if source == "telegram" else whatsapp.export_size(path)
    log.info("Отпечаток выгрузки %s", path.name)
    digest = store.file_digest(path)
    # Without --month the month is known only at the end of the file; write_import checks again then.
    done = store.imported_month(records, group.id, digest, month) if month else None
    if done is not None:
        return Imported(None, None, done, group, records)
    senders, people = SenderMap(records), {}

    def person_of(message) -> str | None:
        key = (message.sender, message.sender_phone)
        if key not in people:
            people[key] = senders.match(message.sender, message.sender_phone)
        return people[key]

    def tally(candidate: str) -> store.MonthTally:
        context = context_for(records, group, candidate, today)
        log.info("Проверка содержания за %s", candidate)
        return store.MonthTally(group.id, source, candidate, person_of, lambda message: scan(message, context))

    log.info("Чтение выгрузки")
    try:
        with _bar(size, "Чтение и проверка выгрузки", progress) as advance:
            if source == "telegram":
                messages = _one_chat(telegram.read_chat_messages(path, chat, progress=advance), chat)
            else:
                messages = whatsapp.read_messages(path, date_order=date_order, progress=advance)
            part = store.MonthSlice.of(messages, month, tally)
    except _SecondChat:
        raise UsageError(_choose_chat(path, progress)) from None
    if part.month is None:
        raise UsageError(f"В выгрузке {path.name} нет ни одного сообщения.\n"
                         f"  Как исправить: проверьте, что выгружен нужный чат и за нужный период.")
    plan = store.plan_import(records, digest, part)
    outcome = store.write_import(records.root, plan)
    return Imported(plan, outcome, plan.month if outcome.already else None, group, records)


def _one_chat(pairs: Iterator, chat: str | None) -> Iterator:
    """Messages of one chat; a whole-account export with several group chats needs --chat."""
    first = None
    for ref, message in pairs:
        if first is None:
            first = ref.id
        elif chat is None and ref.id != first:
            pairs.close()
            raise _SecondChat()
        yield message


def _group(records, group_id: str, source: str):
    from ..errors import UsageError
    from ..store.acknowledgements import suggestion

    group = records.groups_by_id.get(group_id.strip())
    if group is None:
        raise UsageError(f"Группы «{group_id}» нет в groups.yaml.\n"
                         f"  Как исправить: укажите в --group id группы ({suggestion(group_id, records.groups_by_id, 'есть')}).")
    if group.messenger.value != SOURCES[source]:
        fitting = [g.id for g in records.groups if g.messenger.value == SOURCES[source]]
        raise UsageError(f"Группа «{group.title}» ({group.id}) ведётся в {group.messenger.value}, "
                         f"а выгрузка — из {SOURCES[source]}.\n  Как исправить: укажите группу, которая ведётся в "
                         f"{SOURCES[source]} ({', '.join(fitting) or 'таких в groups.yaml нет'}), или исправьте "
                         f"messenger группы в groups.yaml.")
    return group


def _export_file(path: Path, source: str) -> Path:
    from ..errors import display_path
    from ..imports import ExportError

    if source == "telegram" and path.is_dir() and (path / "result.json").is_file():
        return path / "result.json"
    if not path.is_file():
        what = "это папка, а не файл" if path.is_dir() else "файл не найден"
        fix = ("укажите файл result.json из папки выгрузки Telegram Desktop" if source == "telegram"
               else "укажите файл .txt (или .zip) из выгрузки чата WhatsApp")
        raise ExportError(f"{display_path(path)}: {what}.\n  Как исправить: {fix}.")
    return path


@contextmanager
def _bar(length: int, label: str, shown: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr when it is a terminal or --progress is given."""
    if not (shown or sys.stderr.isatty()) or length <= 0:
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr,
                           show_eta=True, show_percent=True) as bar:
        yield bar.update


# ---------------------------------------------------------------- commands

class _ImportGroup(click.Group):
    """`import telegram|whatsapp` live here; `import roster` (lists of students and parents) is
    loaded from its own module when asked for, so `--help` stays fast."""

    LAZY = {"roster": "compliance.cli.roster:roster_command"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.LAZY})

    def get_command(self, ctx: click.Context, name: str):
        if name in self.commands or name not in self.LAZY:
            return self.commands.get(name)
        import importlib

        module, attribute = self.LAZY[name].split(":")
        return getattr(importlib.import_module(module), attribute)


@click.group("import", cls=_ImportGroup, context_settings=CONTEXT)
def import_group() -> None:
    """Импорт выгрузки переписки: счётчики и замечания за месяц в журнал.

    Из выгрузки чата берётся один месяц: сколько сообщений и от кого, и
    замечания проверки содержания (персональные данные, ненормативная
    лексика, орфография и стиль официальных сообщений, личные темы, тихие
    часы, устаревшие объявления). Всё записывается в log/ГГГГ-ММ.yaml;
    тексты сообщений никуда не записываются, в замечаниях — короткие
    отрывки, где персональные данные скрыты. Повторный импорт той же
    выгрузки ничего не добавляет.

    Списки обучающихся и родителей (XLSX, CSV) загружает «import roster».

    \b
    Пример:
      compliance import telegram result.json --group tourists-students
      compliance import whatsapp "WhatsApp Chat.txt" --group zvonnitsa-parents --month 2026-11
      compliance import roster ученики.xlsx
    """


def _common(func):
    func = click.option("--progress", is_flag=True, help="Показывать ход работы, даже когда вывод не в терминал.")(func)
    func = click.option("--month", callback=_month, metavar="ГГГГ-ММ",
                        help="Какой месяц импортировать; по умолчанию — месяц последнего сообщения выгрузки.")(func)
    func = click.option("--group", "group_id", metavar="ГРУППА", help="id группы из groups.yaml, чья это переписка.")(func)
    return records_option(func)


@import_group.command("telegram")
@click.argument("file", type=click.Path(path_type=Path), metavar="ФАЙЛ")
@_common
@click.option("--chat", "chat", metavar="ID", help="id чата в выгрузке всего аккаунта (список — --list-chats).")
@click.option("--list-chats", is_flag=True, help="Показать групповые чаты выгрузки и их id, ничего не импортируя.")
def telegram_command(file: Path, records: Path, group_id: str | None, month: str | None, progress: bool,
                     chat: str | None, list_chats: bool) -> None:
    """Импортировать месяц из выгрузки Telegram Desktop (result.json).

    ФАЙЛ — result.json (или папка с ним) из «Экспорт истории чата» в
    формате «Машиночитаемый JSON». В выгрузке всего аккаунта («Экспорт
    данных Telegram») несколько чатов: выберите нужный через --chat,
    его id покажет --list-chats.

    \b
    Пример:
      compliance import telegram ~/Downloads/Telegram/ChatExport_2026-11-30/result.json --group tourists-students
      compliance import telegram result.json --list-chats
      compliance import telegram result.json --chat 1987654321 --group tourists-students --month 2026-11
    """
    if list_chats:
        return _print_chats(file, progress)
    _run("telegram", file, records, group_id, month, progress, chat=chat)


@import_group.command("whatsapp")
@click.argument("file", type=click.Path(path_type=Path), metavar="ФАЙЛ")
@_common
@click.option("--date-order", type=click.Choice(["dmy", "mdy"]), default=None,
              help="Порядок в датах выгрузки, если его не определить по файлу: dmy — день.месяц, mdy — месяц/день.")
def whatsapp_command(file: Path, records: Path, group_id: str | None, month: str | None, progress: bool,
                     date_order: str | None) -> None:
    """Импортировать месяц из выгрузки чата WhatsApp (.txt или .zip).

    ФАЙЛ — текст из «Экспорт чата» → «Без медиафайлов» (Android и iOS,
    русский и английский интерфейс). Отправители сопоставляются с людьми
    из people.yaml по имени; остальные считаются неизвестными.

    \b
    Пример:
      compliance import whatsapp "Чат WhatsApp с Звонница. Родители.txt" --group zvonnitsa-parents
      compliance import whatsapp _chat.zip --group zvonnitsa-parents --month 2026-11 --date-order dmy
    """
    _run("whatsapp", file, records, group_id, month, progress, date_order=date_order)


def _run(source: str, file: Path, records: Path, group_id: str | None, month: str | None, progress: bool,
         **options) -> None:
    from ..errors import UsageError

    if not group_id:
        raise UsageError("Не указано, в какую группу импортировать переписку.\n"
                         "  Как исправить: добавьте --group ГРУППА (id группы из groups.yaml).")
    started = _clock()
    done = import_chat(records, source, file, group_id, month=month, today=_today(), progress=progress, **options)
    click.echo(summary(done, file, source, _clock() - started))


def _choose_chat(file: Path, progress: bool) -> str:
    lines = [f"{file.name}: это выгрузка всего аккаунта Telegram, в ней несколько групповых чатов:"]
    lines += [f"    {line}" for line in _chat_lines(file, progress)]
    lines.append("  Как исправить: укажите нужный чат: --chat ID.")
    return "\n".join(lines)


def _chat_lines(file: Path, progress: bool) -> list[str]:
    from ..imports import telegram
    from ..ru import plural

    path = _export_file(file, "telegram")
    with _bar(telegram.export_size(path), "Чтение списка чатов", progress) as advance:
        chats = [c for c in telegram.list_chats(path, progress=advance) if c.type not in telegram.NOT_GROUPS]
    return [f"{c.id}  «{c.name}» — {CHAT_TYPES.get(c.type, c.type)}, {plural(c.messages, 'запись')}" for c in chats]


def _print_chats(file: Path, progress: bool) -> None:
    lines = _chat_lines(file, progress)
    if not lines:
        click.echo(f"В выгрузке {file.name} групповых чатов нет.")
        return
    click.echo(f"Групповые чаты в выгрузке {file.name} (личные чаты не показываются и не импортируются):")
    click.echo("\n".join(f"  {line}" for line in lines))
    click.echo("Импорт одного из них: compliance import telegram ФАЙЛ --chat ID --group ГРУППА")


# ---------------------------------------------------------------- the summary

def summary(done: Imported, file: Path, source: str, seconds: float) -> str:
    """What the import read and wrote, in Russian; names people by «Фамилия И.О.», others by «неизвестный N»."""
    from collections import Counter

    from ..errors import display_path
    from ..ru import date_numeric, period_month, plural
    from ..store.acknowledgements import short_name

    group = done.group
    if done.already is not None:
        period = period_month(int(done.already[:4]), int(done.already[5:]))
        return (f"Выгрузка {file.name} уже импортирована в группу {group.id} за {period}; ничего не добавлено.\n"
                f"Время: {_seconds(seconds)}.").replace("\u00a0", " ")
    plan, outcome = done.plan, done.outcome
    period = period_month(int(plan.month[:4]), int(plan.month[5:]))
    lines = [f"Импорт выгрузки {SOURCES[source]} {file.name} за {period}: группа «{group.title}» ({group.id}).",
             f"Прочитано записей: {plan.read}; за {period} — {plan.read - plan.before - plan.after} "
             f"(сообщений участников — {plan.chat_import['messages']}, служебных — {plan.service}).",
             f"Вне месяца: {plan.before + plan.after} (раньше — {plan.before}, позже — {plan.after}); не импортированы."]
    lines.append("Сообщения по отправителям:")
    for sender in plan.senders[:SHOWN_SENDERS]:
        who = short_name(done.records, sender.person) if sender.person else sender.label
        lines.append(f"  {who} — {sender.messages}")
    rest = plan.senders[SHOWN_SENDERS:]
    if rest:
        lines.append(f"  и ещё {plural(len(rest), 'отправитель')} — {sum(s.messages for s in rest)}")
    unknown = plan.chat_import["unknown_senders"]
    if unknown:
        lines.append(f"Неизвестных отправителей: {unknown}. Их имён и номеров в записях нет; чтобы узнавать их, "
                     f"добавьте этих людей в people.yaml под теми же фамилией и именем, что в мессенджере.")
    if outcome.replaced is not None:
        old = outcome.replaced
        lines.append(f"Прежний импорт этой группы за {period} заменён: сообщений было {old.get('messages')}, "
                     f"стало {plan.chat_import['messages']}.")
        first, last = plan.chat_import["first"], plan.chat_import["last"]
        if isinstance(old.get("first"), dt.date) and (first > old["first"] or last < old["last"]):
            lines.append(f"  Внимание: прежняя выгрузка охватывала {date_numeric(old['first'])}–{date_numeric(old['last'])}, "
                         f"эта — {date_numeric(first)}–{date_numeric(last)}. Если выгружена не вся переписка месяца, "
                         f"выгрузите чат целиком и импортируйте заново.")
    counts = Counter(item["category"] for item in plan.findings)
    added = len(outcome.added)
    lines.append(f"Замечания проверки переписки: {len(plan.findings)} (новых — {added}, уже были в журнале — {outcome.known})"
                 + (":" if counts else "."))
    lines += [f"  {category} — {n}" for category, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    if outcome.settled:
        lines.append(f"Устаревших объявлений, удаление которых уже записано в журнале: {len(outcome.settled)} "
                     f"(отмечены как отклонённые).")
    where = display_path(outcome.path)
    lines.append(f"{'Создан журнал' if outcome.created else 'Записано в'} {where}: счётчики выгрузки"
                 + (f" и {plural(added, 'замечание')}." if added else ", новых замечаний нет."))
    if any(item["status"] == "новое" for item in outcome.added):
        lines.append(f"Рассмотрите замечания: compliance findings --month {plan.month} --group {group.id} --status новое")
    lines.append(f"Время: {_seconds(seconds)}.")
    return "\n".join(lines).replace("\u00a0", " ")


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f} с".replace(".", ",")

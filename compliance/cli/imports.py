"""`compliance import telegram|whatsapp`: a chat export's month → counts and findings in the month log.

The chain (read each export, keep the month, scan, then merge every export into the logs in one
write) is written once in `import_chats`; the commands parse options and print its summary. A
file's group is the one whose title is the chat's name unless --group says otherwise. Nothing of
the messages is kept but counts and findings with masked excerpts; the log names no message text
and no unknown sender (the summary names them on the terminal, phones masked, for --map).
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
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
    file: Path | None = None
    ambiguous: dict = field(default_factory=dict)   # display name → person ids it fits
    undeletable: int = 0          # WhatsApp announcements out of date only when they could no longer be deleted


class _SecondChat(Exception):
    """A whole-account export holds more than one group chat and none was chosen."""


def import_chat(records_dir: Path, source: str, path: Path, group_id: str | None, *, month: str | None,
                today: dt.date, chat: str | None = None, date_order: str | None = None, progress: bool = False,
                aliases: dict[str, str] | None = None) -> Imported:
    """Read the export, keep the month, scan it, merge it into log/<month>.yaml; all or nothing."""
    return import_chats(records_dir, source, [path], group_id, month=month, today=today, chat=chat,
                        date_order=date_order, progress=progress, aliases=aliases)[0]


def import_chats(records_dir: Path, source: str, paths: list[Path], group_id: str | None, *, month: str | None,
                 today: dt.date, chat: str | None = None, date_order: str | None = None, progress: bool = False,
                 aliases: dict[str, str] | None = None) -> list[Imported]:
    """Several exports in one go: the records are loaded once, every export is read and scanned, and all
    the month logs are written in one checked, atomic write (nothing is written if one export fails)."""
    from ..build import load
    from ..store import chat_import as store

    records = load(records_dir)
    given = _group(records, group_id, source) if group_id else None
    files = _export_files(tuple(paths), source)
    _no_twice(files)
    mapped = _aliases(records, aliases or {})
    done: list[Imported] = []
    plans = []
    for path in files:
        label = "Чтение и проверка выгрузки" if len(files) == 1 else f"Чтение и проверка {path.name}"
        one = _read_one(records, source, path, given, month=month, today=today, chat=chat, date_order=date_order,
                        progress=progress, aliases=mapped, label=label)
        done.append(one)
        if one.plan is not None:
            plans.append(one.plan)
    outcomes = iter(store.write_imports(records.root, plans))
    result = []
    for one in done:
        if one.plan is None:
            result.append(one)
            continue
        outcome = next(outcomes)
        result.append(replace(one, outcome=outcome, already=one.plan.month if outcome.already else None))
    return result


def _read_one(records, source: str, path: Path, group, *, month: str | None, today: dt.date, chat: str | None,
              date_order: str | None, progress: bool, aliases: dict[str, str],
              label: str = "Чтение и проверка выгрузки") -> Imported:
    """One export's month as a plan (nothing written yet)."""
    from ..errors import UsageError
    from ..imports import telegram, whatsapp
    from ..imports.senders import SenderMap
    from ..model.records import FindingCategory
    from ..scan import context_for, outdated, quiet_hours, scan
    from ..store import chat_import as store

    size = telegram.export_size(path) if source == "telegram" else whatsapp.export_size(path)
    log.info("Отпечаток выгрузки %s", path.name)
    digest = store.file_digest(path)
    # Without --month the month is known only at the end of the file; write_import checks again then.
    done = store.imported_month(records, group.id if group else None, digest, month) if month else None
    if done is not None:
        return Imported(None, None, done, group or _recorded_group(records, digest, done), records, path)
    if group is None and source == "whatsapp":
        group = _group_of_chat(records, source, path, _whatsapp_chat_name(path))
    chosen = {"group": group}
    senders, people = None, {}
    undeletable = 0

    def person_of(message) -> str | None:
        nonlocal senders
        key = (message.sender, message.sender_phone)
        if key not in people:
            if senders is None:           # the group is known by the first message at the latest
                group = chosen["group"]
                senders = SenderMap(records, aliases=aliases, members=[*group.members, group.admin])
            people[key] = senders.match(message.sender, message.sender_phone)
        return people[key]

    def tally(candidate: str) -> store.MonthTally:
        nonlocal undeletable
        group = chosen["group"]
        context = context_for(records, group, candidate, today)
        quiet = context.quiet_hours

        def hits_of(message) -> list:
            nonlocal undeletable
            hits = scan(message, context)
            if not any(h.category == FindingCategory.OUTDATED for h in hits):
                return hits
            if not outdated.deletable(message, source):
                undeletable += 1
                return [h for h in hits if h.category != FindingCategory.OUTDATED]
            lapse = outdated.lapse(message)
            return [_Lapsed(h, lapse) if h.category == FindingCategory.OUTDATED else h for h in hits]

        def night_of(moment: dt.datetime) -> dt.date:
            return quiet_hours.night_of(moment, *quiet)

        log.info("Проверка содержания за %s", candidate)
        return store.MonthTally(group.id, source, candidate, person_of, hits_of, night_of if quiet else None)

    def named(pairs: Iterator) -> Iterator:
        """Telegram: the chat's name says which group it is, unless --group did."""
        for ref, message in pairs:
            if chosen["group"] is None:
                chosen["group"] = _group_of_chat(records, source, path, ref.name)
            yield ref, message

    log.info("Чтение выгрузки")
    try:
        with _bar(size, label, progress) as advance:
            if source == "telegram":
                messages = _one_chat(named(telegram.read_chat_messages(path, chat, progress=advance)), chat)
            else:
                messages = whatsapp.read_messages(path, date_order=date_order, progress=advance)
            part = store.MonthSlice.of(messages, month, tally)
    except _SecondChat:
        raise UsageError(_choose_chat(path, progress)) from None
    if part.month is None:
        raise UsageError(f"В выгрузке {path.name} нет ни одного сообщения.\n"
                         f"  Как исправить: проверьте, что выгружен нужный чат и за нужный период.")
    plan = store.plan_import(records, digest, part)
    return Imported(plan, None, None, chosen["group"], records, path, dict(senders.ambiguous) if senders else {},
                    undeletable)


@dataclass(frozen=True)
class _Lapsed:
    """An outdated announcement's hit with the moment it lost relevance (for the store's export-time check)."""

    hit: object
    lapse: dt.datetime | None

    def __getattr__(self, name: str):
        return getattr(self.hit, name)


def _recorded_group(records, digest: str, month: str):
    log_ = records.logs_by_month[month]
    found = next(i.group for i in log_.imports if i.file == digest)
    return records.groups_by_id[found]


def _no_twice(files: list[Path]) -> None:
    from ..errors import UsageError, display_path

    seen: dict[Path, Path] = {}
    for path in files:
        key = path.resolve()
        if key in seen:
            raise UsageError(f"Файл {display_path(path)} указан дважды.\n  Как исправить: укажите каждую выгрузку один раз.")
        seen[key] = path


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


def _export_files(paths: tuple[Path, ...], source: str) -> list[Path]:
    """The exports named: files, or folders of them (Telegram: folders with result.json; WhatsApp: .txt, .zip)."""
    from ..errors import display_path
    from ..imports import ExportError

    files: list[Path] = []
    for path in paths:
        if not path.is_dir() or (source == "telegram" and (path / "result.json").is_file()):
            files.append(_export_file(path, source))
            continue
        if source == "telegram":
            found = sorted(p / "result.json" for p in path.iterdir() if (p / "result.json").is_file())
            what = "папок выгрузки Telegram с файлом result.json"
        else:
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".txt", ".zip"))
            what = "файлов выгрузки WhatsApp (.txt, .zip)"
        if not found:
            raise ExportError(f"{display_path(path)}: в папке нет {what}.\n"
                              f"  Как исправить: укажите файлы выгрузки или папку, где они лежат.")
        files += found
    return files


# «Чат WhatsApp с Звонница. Родители.txt», «WhatsApp Chat with Parents.txt», iOS «WhatsApp Chat - Parents.zip»;
# a second export of the same name gets « (1)» from the browser or the file manager
_WHATSAPP_NAME = re.compile(r"^(?:Чат WhatsApp с|WhatsApp Chat with|WhatsApp Chat -|Чат WhatsApp -|Чат WhatsApp —)\s+"
                            r"(?P<name>.+?)(?:\s*\(\d+\))?$", re.IGNORECASE)


def _whatsapp_chat_name(path: Path) -> str:
    found = _WHATSAPP_NAME.match(path.stem)
    return found["name"] if found else path.stem


def _title_key(text: str) -> str:
    """A chat title or group id for comparison: letters and digits only (file names lose quotes and slashes)."""
    return "".join(ch for ch in text.casefold().replace("ё", "е") if ch.isalnum())


def _group_of_chat(records, source: str, path: Path, chat_name: str):
    """The group whose title (or id) is the chat's name; without one, a Russian error asking for --group."""
    from ..errors import UsageError, display_path
    from . import terminal_safe

    fitting = [g for g in records.groups if g.messenger.value == SOURCES[source]]
    key = _title_key(chat_name)
    found = [g for g in fitting if key and key in (_title_key(g.title), _title_key(g.id))]
    if len(found) == 1:
        return found[0]
    where = "в выгрузке" if source == "telegram" else "в имени файла"
    what = (f"совпадает с названиями нескольких групп ({', '.join(g.id for g in found)})" if found else
            "не совпадает с названием ни одной группы " + SOURCES[source] + " в groups.yaml")
    raise UsageError(f"{display_path(path)}: чат называется «{terminal_safe(chat_name)}» ({where}) и {what}; "
                     f"не понять, какой это группы переписка.\n  Как исправить: укажите группу: --group ГРУППА "
                     f"({', '.join(g.id for g in fitting) or 'групп ' + SOURCES[source] + ' в groups.yaml нет'}) "
                     f"или исправьте название группы (title) в groups.yaml, чтобы оно совпадало с названием чата.")


def _aliases(records, given: dict[str, str]) -> dict[str, str]:
    """--map pairs checked against people.yaml."""
    from ..errors import UsageError
    from ..imports.senders import is_phone, name_key
    from ..store.acknowledgements import suggestion

    for shown, pid in given.items():
        if not (is_phone(shown) or name_key(shown)):
            raise UsageError(f"--map «{shown}={pid}»: слева должно быть имя отправителя, как его показывает чат, "
                             f"или его номер телефона.\n  Как исправить: например --map \"Мама Никиты={pid}\".")
        if pid not in records.people:
            raise UsageError(f"--map «{shown}={pid}»: человека «{pid}» нет в people.yaml.\n"
                             f"  Как исправить: укажите id из people.yaml "
                             f"({suggestion(pid, records.people, 'например')}).")
    return given


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
    func = click.option("--map-file", "map_file", type=click.Path(path_type=Path), metavar="ФАЙЛ",
                        help="Файл сопоставлений: строки «имя в чате=id» (UTF-8; # — комментарий).")(func)
    func = click.option("--map", "aliases", multiple=True, metavar="\"ИМЯ=ID\"",
                        help="Кто из people.yaml пишет под этим именем (или номером) в чате; можно несколько раз.")(func)
    func = click.option("--progress", is_flag=True, help="Показывать ход работы, даже когда вывод не в терминал.")(func)
    func = click.option("--month", callback=_month, metavar="ГГГГ-ММ",
                        help="Какой месяц импортировать; по умолчанию — месяц последнего сообщения выгрузки.")(func)
    func = click.option("--group", "group_id", metavar="ГРУППА",
                        help="id группы из groups.yaml, чья это переписка; без него группа — та, чьё название "
                             "совпадает с названием чата.")(func)
    return records_option(func)


@import_group.command("telegram")
@click.argument("files", type=click.Path(path_type=Path), metavar="ФАЙЛ...", nargs=-1, required=True)
@_common
@click.option("--chat", "chat", metavar="ID", help="id чата в выгрузке всего аккаунта (список — --list-chats).")
@click.option("--list-chats", is_flag=True, help="Показать групповые чаты выгрузки и их id, ничего не импортируя.")
def telegram_command(files: tuple[Path, ...], records: Path, group_id: str | None, month: str | None, progress: bool,
                     aliases: tuple[str, ...], map_file: Path | None, chat: str | None, list_chats: bool) -> None:
    """Импортировать месяц из выгрузок Telegram Desktop (result.json).

    ФАЙЛ — result.json (или папка с ним) из «Экспорт истории чата» в
    формате «Машиночитаемый JSON»; можно несколько файлов или папку с
    папками выгрузок. Группа — та, чьё название в groups.yaml совпадает с
    названием чата, или указанная в --group. В выгрузке всего аккаунта
    («Экспорт данных Telegram») несколько чатов: выберите нужный через
    --chat, его id покажет --list-chats.

    \b
    Пример:
      compliance import telegram ~/Downloads/Telegram/ChatExport_2026-11-30/result.json
      compliance import telegram выгрузки/ --month 2026-11
      compliance import telegram result.json --list-chats
      compliance import telegram result.json --chat 1987654321 --group tourists-students --month 2026-11
    """
    if list_chats:
        for file in files:
            _print_chats(file, progress)
        return
    _run("telegram", files, records, group_id, month, progress, aliases, map_file, chat=chat)


@import_group.command("whatsapp")
@click.argument("files", type=click.Path(path_type=Path), metavar="ФАЙЛ...", nargs=-1, required=True)
@_common
@click.option("--date-order", type=click.Choice(["dmy", "mdy"]), default=None,
              help="Порядок в датах выгрузки, если его не определить по файлу: dmy — день.месяц, mdy — месяц/день.")
def whatsapp_command(files: tuple[Path, ...], records: Path, group_id: str | None, month: str | None, progress: bool,
                     aliases: tuple[str, ...], map_file: Path | None, date_order: str | None) -> None:
    """Импортировать месяц из выгрузок чатов WhatsApp (.txt или .zip).

    ФАЙЛ — текст из «Экспорт чата» → «Без медиафайлов» (Android и iOS,
    русский и английский интерфейс); можно несколько файлов или папку.
    Группа — та, чьё название совпадает с названием чата в имени файла
    («Чат WhatsApp с Звонница. Родители.txt»), или указанная в --group.
    Отправители сопоставляются с людьми из people.yaml по имени; кого
    не узнать, тех программа перечислит — их можно указать через --map.

    \b
    Пример:
      compliance import whatsapp "Чат WhatsApp с Звонница. Родители.txt"
      compliance import whatsapp _chat.zip --group zvonnitsa-parents --month 2026-11 --date-order dmy
      compliance import whatsapp выгрузки/ --map "Мама Никиты=pr-012" --map "+7 916 555-44-33=pr-014"
    """
    _run("whatsapp", files, records, group_id, month, progress, aliases, map_file, date_order=date_order)


def _run(source: str, files: tuple[Path, ...], records: Path, group_id: str | None, month: str | None,
         progress: bool, aliases: tuple[str, ...] = (), map_file: Path | None = None, **options) -> None:
    started = _clock()
    given = _read_map(map_file) if map_file else {}
    given.update(_parse_map(value) for value in aliases)
    done = import_chats(records, source, list(files), group_id, month=month, today=_today(), progress=progress,
                        aliases=given, **options)
    seconds = _clock() - started
    if len(done) == 1:
        click.echo(summary(done[0], done[0].file, source, seconds))
        return
    for one in done:
        click.echo(summary(one, one.file, source, None, brief=True))
        click.echo("")
    click.echo(total(done, seconds))


def _parse_map(value: str, where: str = "--map") -> tuple[str, str]:
    from ..errors import UsageError

    shown, sep, pid = value.rpartition("=")
    if not sep or not shown.strip() or not pid.strip():
        raise UsageError(f"{where}: «{value}» — нужно «имя в чате=id», например «Мама Никиты=pr-012».\n"
                         f"  Как исправить: слева — имя отправителя (или номер), как в чате, справа — id из people.yaml.")
    return shown.strip(), pid.strip()


def _read_map(path: Path) -> dict[str, str]:
    """«имя в чате=id» per line; blank lines and «# …» are skipped."""
    from ..errors import UsageError, display_path

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{display_path(path)}: файл не найден.\n  Как исправить: укажите в --map-file файл "
                         f"сопоставлений (строки «имя в чате=id»).") from None
    except (UnicodeDecodeError, OSError) as error:
        raise UsageError(f"{display_path(path)}: файл не читается как текст UTF-8 ({error.__class__.__name__}).\n"
                         f"  Как исправить: сохраните его в кодировке UTF-8.") from None
    pairs = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            shown, pid = _parse_map(line, f"{display_path(path)}:{number}")
            pairs[shown] = pid
    return pairs


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

SHOWN_UNKNOWN = 20            # unknown senders named in the summary; the rest are counted


def summary(done: Imported, file: Path, source: str, seconds: float | None, brief: bool = False) -> str:
    """What the import read and wrote, in Russian; names people by «Фамилия И.О.», others by «неизвестный N»
    and, for the administrator to tell who they are, by the name the chat shows (a phone masked)."""
    from collections import Counter

    from ..errors import display_path
    from ..ru import date_numeric, period_month, plural
    from ..store.acknowledgements import short_name
    from ..store.chat_import import message_count

    group = done.group
    timing = [f"Время: {_seconds(seconds)}."] if seconds is not None else []
    if done.already is not None:
        period = period_month(int(done.already[:4]), int(done.already[5:]))
        return "\n".join([f"Выгрузка {file.name} уже импортирована в группу {group.id} за {period}; ничего не добавлено."]
                         + timing).replace("\u00a0", " ")
    plan, outcome = done.plan, done.outcome
    period = period_month(int(plan.month[:4]), int(plan.month[5:]))
    lines = [f"Импорт выгрузки {SOURCES[source]} {file.name} за {period}: группа «{group.title}» ({group.id}).",
             f"Прочитано записей: {plan.read}; за {period} — {plan.read - plan.before - plan.after} "
             f"(сообщений участников — {plan.chat_import['messages']}, служебных — {plan.service}).",
             f"Вне месяца: {plan.before + plan.after} (раньше — {plan.before}, позже — {plan.after}); не импортированы."]
    if brief:                     # several exports: the counts per sender are in the log
        known = sum(1 for sender in plan.senders if sender.person)
        lines.append(f"Отправителей: {len(plan.senders)}, из них узнаны по people.yaml — {known}.")
    else:
        lines.append("Сообщения по отправителям:")
        for sender in plan.senders[:SHOWN_SENDERS]:
            who = short_name(done.records, sender.person) if sender.person else sender.label
            lines.append(f"  {who} — {sender.messages}")
        rest = plan.senders[SHOWN_SENDERS:]
        if rest:
            lines.append(f"  и ещё {plural(len(rest), 'отправитель')} — {sum(s.messages for s in rest)}")
    lines += _unknown_lines(done)
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
    messages = Counter()
    for item in plan.findings:
        messages[item["category"]] += message_count(item)
    added = len(outcome.added)
    lines.append(f"Замечания проверки переписки: {len(plan.findings)} (новых — {added}, уже были в журнале — {outcome.known})"
                 + (":" if counts else "."))
    for category, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        extra = (f" (отправитель за ночь — одно замечание; сообщений — {messages[category]})"
                 if messages[category] != n else "")
        lines.append(f"  {category} — {n}{extra}")
    if done.undeletable:
        lines.append(f"Объявления, чьи даты прошли, когда WhatsApp уже не позволял удалить их у всех (через 2,5 суток "
                     f"после отправки): {done.undeletable} — не отмечены (п. 3 требует удалять то, что можно удалить).")
    if plan.not_yet:
        lines.append(f"Объявления, чьи даты прошли уже после выгрузки: {plan.not_yet} — не отмечены; "
                     f"их проверит следующая выгрузка.")
    if outcome.refreshed:
        lines.append(f"Уточнено нерассмотренных замечаний (в более поздней выгрузке больше сообщений): {outcome.refreshed}.")
    if outcome.settled:
        lines.append(f"Устаревших объявлений, удаление которых уже записано в журнале: {len(outcome.settled)} "
                     f"(отмечены как отклонённые).")
    where = display_path(outcome.path)
    lines.append(f"{'Создан журнал' if outcome.created else 'Записано в'} {where}: счётчики выгрузки"
                 + (f" и {plural(added, 'замечание')}." if added else ", новых замечаний нет."))
    if any(item["status"] == "новое" for item in outcome.added):
        lines.append(f"Рассмотрите замечания: compliance findings --month {plan.month} --group {group.id} --status новое")
    lines += timing
    return "\n".join(lines).replace("\u00a0", " ")


def _unknown_lines(done: Imported) -> list[str]:
    """Who «неизвестный N» are, as the chat shows them, and how to map them (nothing of this is written)."""
    from ..imports.senders import is_phone
    from ..ru import plural
    from ..scan.mask import phone as masked_phone
    from . import terminal_safe

    unknown = sorted(done.plan.unknown, key=lambda u: (-u.messages, int(u.label.rsplit(" ", 1)[-1])))
    if not unknown:
        return []
    lines = [f"Не сопоставлены с людьми из people.yaml — {plural(len(unknown), 'отправитель')} "
             f"(имена — как их показывает чат; в журнал не записываются):"]
    example = None
    for sender in unknown[:SHOWN_UNKNOWN]:
        digits = re.sub(r"\D", "", sender.phone or (sender.name if is_phone(sender.name) else ""))
        shown_phone = masked_phone(digits[-10:]) if len(digits) >= 10 else None
        if sender.name and not is_phone(sender.name):
            shown = f"«{terminal_safe(sender.name)}»"
            example = example or sender.name
        elif shown_phone:
            shown = f"номер {shown_phone}"
        else:
            shown = "без имени"
        ambiguous = done.ambiguous.get(sender.name)
        why = f"; так в people.yaml зовут нескольких: {', '.join(ambiguous)}" if ambiguous else ""
        lines.append(f"  {sender.label} — {shown}, {plural(sender.messages, 'сообщение')}{why}")
    rest = unknown[SHOWN_UNKNOWN:]
    if rest:
        lines.append(f"  и ещё {plural(len(rest), 'отправитель')} — {plural(sum(u.messages for u in rest), 'сообщение')}")
    name = (example or "Имя в чате").replace('"', "'")
    lines.append(f"  Как сопоставить: если это человек из people.yaml, укажите его при импорте: --map \"{terminal_safe(name)}=ID\" "
                 f"(номер — --map \"+7 9XX XXX-XX-XX=ID\"; много — --map-file ФАЙЛ со строками «имя в чате=ID»); "
                 f"если его там нет — добавьте его в people.yaml.")
    return [line.replace("\u00a0", " ") for line in lines]


def total(done: list[Imported], seconds: float) -> str:
    """One line for several exports: what was written in all."""
    from ..ru import plural

    written = [one for one in done if one.plan is not None and not one.outcome.already]
    messages = sum(one.plan.chat_import["messages"] for one in written)
    added = sum(len(one.outcome.added) for one in written)
    lines = [f"Итого: {plural(len(done), 'выгрузка')}, импортировано {len(written)} "
             f"(сообщений участников — {messages}, новых замечаний — {added}), "
             f"уже были импортированы — {len(done) - len(written)}.",
             f"Время: {_seconds(seconds)}."]
    return "\n".join(lines).replace("\u00a0", " ")


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f} с".replace(".", ",")

"""WhatsApp «Экспорт чата» text files → ChatMessage stream, read line by line.

One message starts with a timestamp, Android `26.11.2026, 21:05 - Имя: текст` or iOS
`[26.11.2026, 21:05:13] Имя: текст`; lines without a timestamp continue the message above.
The timestamp follows the phone's locale (day or month first, 2- or 4-digit year, 12- or
24-hour clock), so the day/month order is decided from the file itself before reading.
The text may come as it is or inside the .zip that iOS shares; it is read line by line
(twice at most: the order pre-scan stops at the first day above 12), never whole.
"""
from __future__ import annotations

import codecs
import datetime
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO

from compliance.errors import display_path
from compliance.imports import ExportError
from compliance.imports.message import ChatMessage

MAX_LINE = 1 << 20            # bytes; WhatsApp itself caps a message at 65,536 characters
MAX_MESSAGE = 1_000_000       # characters in one message with its continuation lines
Progress = Callable[[int], None]
# What a damaged or unusual .zip can raise while it is opened or read.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)
REEXPORT = ("выгрузите чат заново: в WhatsApp откройте чат → «Ещё» → «Экспорт чата» → «Без медиафайлов» "
            "и передайте файл .txt без правки")

# Direction marks WhatsApp puts around names, phone numbers and attachments; odd spaces in times.
_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile("[\u00a0\u202f\u2007\u2009]")
_ODD = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u00a0\u202f\u2007\u2009]")
_LED = re.compile("(?:: |:\u00a0)[\u200e\u200f]")
_DATE = r"(?P<a>\d{1,4})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{2,4})"
_TIME = (r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?"
         r"(?: ?(?P<ampm>[AaPp])\.? ?[Mm]\.?)?")
_ANDROID = re.compile(rf"{_DATE},? {_TIME} - (?P<body>.*)")
_IOS = re.compile(rf"\[{_DATE},? {_TIME}\] (?P<body>.*)")
_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)

# Message bodies that are not text. Sources: WhatsApp's own strings as collected in
# starkdmi/whats_json lib/src/patterns.dart (iOS Localizable.strings, Android strings.xml).
_EDITED = re.compile(r"\s*<(?:This message was edited|(?:Это |Данное )?сообщение (?:было )?(?:изменено|отредактировано))>$",
                     re.IGNORECASE)
_DELETED = re.compile(
    r"(?:This message was deleted|You deleted this message|Данное сообщение удалено|Это сообщение (?:было )?удалено"
    r"|Вы удалили (?:данное|это) сообщение)(?: by admin .*| администратором.*)?\.?", re.IGNORECASE)
_MEDIA = re.compile(
    r"<\s?(?:Media omitted|Без медиафайлов|Файл пропущен)\s?>"
    r"|(?:.* )?(?:image|video|audio|sticker|GIF|document|Contact card) omitted"
    r"|(?:.* )?(?:изображение|видео|аудиофайл|GIF|документ|Карточка контакта) отсутствует"
    r"|стикер не добавлен"
    r"|.*<(?:attached|прикреплено): [^>]*>"
    r"|.* \((?:file attached|файл добавлен)\)"
    r"|(?:location|Местоположение): https?://\S+"
    r"|live location shared|Геоданные отправлены", re.IGNORECASE)
# How the placeholders above end and begin: a cheap test before the regex.
_MEDIA_ENDS = (">", "omitted", "отсутствует", "не добавлен", "attached)", "добавлен)", "shared", "отправлены")
_MEDIA_STARTS = ("location: http", "местоположение: http")
_CALL = re.compile(r"(?:Missed (?:group )?(?:voice|video) call|Пропущенный (?:групповой )?(?:аудио|видео)звонок)\.?",
                   re.IGNORECASE)
_SYSTEM_TEXT = re.compile(
    r"(?:Messages (?:and calls are|to this (?:chat|group)(?: and calls)? are now) (?:now )?(?:end-to-end encrypted|secured)"
    r"|(?:Ваши )?[Сс]ообщения и звонки защищены сквозным шифрованием"
    r"|Your security code with .* changed|Ваш код безопасности с контактом .* изменился)", re.IGNORECASE)
# An actor's deed: the text before ": " of a system line such as «Иван создал(а) группу «Родители: 1 класс»».
_SYSTEM_ACTOR = re.compile(
    r"\b(?:создал|добавил|удалил|вышел|покинул|присоединил(?:ся|ась)|изменил|сменил|закрепил|открепил)(?:\(-?а\)|а)?\b"
    r"|\b(?:created group|added|removed|left|joined using|changed (?:the|this|their|to)|pinned)\b", re.IGNORECASE)
_POLL = re.compile(r"(?:POLL|ОПРОС):", re.IGNORECASE)
_OPTION = re.compile(r"(?:OPTION|ВАРИАНТ): (?P<text>.*?)(?: \(\d+ [^)]*\))?$", re.IGNORECASE)
_PHONE = re.compile(r"\+?[\d\s()\-]{7,}")


@dataclass(slots=True)
class _Header:
    line: int
    time: datetime.datetime
    sender: str | None
    text: str
    led: bool          # the text began with a direction mark (iOS system lines, attachments)


def read_messages(path: str | Path, *, date_order: str | None = None,
                  progress: Progress | None = None) -> Iterator[ChatMessage]:
    """Messages of a WhatsApp chat export (.txt, or the .zip iOS makes), in file order.

    `date_order` ("dmy" or "mdy") settles dates whose day and month are both 12 or less.
    """
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"{display_path(path)}: файл не найден.\n"
                          f"  Как исправить: укажите файл .txt (или .zip) из выгрузки чата WhatsApp.")
    if date_order not in (None, "dmy", "mdy"):
        raise ExportError(f"порядок даты «{date_order}» не поддерживается.\n"
                          f"  Как исправить: укажите dmy (день.месяц.год) или mdy (месяц/день/год).")
    encoding = _encoding(path)
    order = _date_order(path, encoding, date_order)
    yield from _messages(path, encoding, order, progress)


def export_size(path: str | Path) -> int:
    """Bytes the `progress` callback will count in all: the text's size, unpacked from a .zip."""
    path = Path(path)
    with _open(path) as (f, size):
        return size


# --- the file --------------------------------------------------------------------------------

@contextmanager
def _open(path: Path) -> Iterator[tuple[IO[bytes], int]]:
    """The chat text as a binary stream with its size; an iOS .zip is read without unpacking it to disk."""
    with open(path, "rb") as f:
        if f.read(4) != b"PK\x03\x04":
            f.seek(0)
            yield f, path.stat().st_size
            return
    try:
        with zipfile.ZipFile(path) as archive:
            member = _chat_member(path, archive)
            with archive.open(member) as f:
                yield f, member.file_size
    except _ZIP_ERRORS:
        raise _damaged_zip(path) from None


def _chat_member(path: Path, archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    texts = [info for info in archive.infolist() if info.filename.lower().endswith(".txt")]
    chat = [info for info in texts if info.filename.rsplit("/", 1)[-1] == "_chat.txt"]
    if len(chat) == 1 or len(texts) == 1:
        return (chat or texts)[0]
    found = ", ".join(info.filename for info in texts) or "ни одного"
    raise ExportError(f"{display_path(path)}: в архиве должен быть один файл переписки .txt, а найдено: {found}.\n"
                      f"  Как исправить: укажите сам файл .txt или архив, созданный командой «Экспорт чата».")


def _encoding(path: Path) -> str:
    """UTF-8 (with or without a BOM) unless a UTF-16 BOM says otherwise."""
    with _open(path) as (f, _size):
        head = f.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def _lines(path: Path, encoding: str, progress: Progress | None = None) -> Iterator[tuple[int, str]]:
    """(line number, text without the line break); bounded lines, Russian errors for bad bytes."""
    with _open(path) as (raw, _size):
        try:
            if encoding == "utf-16":
                yield from _utf16_lines(path, raw, progress)
            else:
                yield from _utf8_lines(path, raw, encoding == "utf-8-sig", progress)
        except _ZIP_ERRORS:
            raise _damaged_zip(path) from None


def _utf8_lines(path: Path, f: IO[bytes], bom: bool, progress: Progress | None) -> Iterator[tuple[int, str]]:
    if bom:
        f.read(len(codecs.BOM_UTF8))
        if progress is not None:
            progress(len(codecs.BOM_UTF8))
    number = 0
    while True:
        number += 1
        data = f.readline(MAX_LINE)
        if not data:
            return
        if progress is not None:
            progress(len(data))
        if len(data) >= MAX_LINE and not data.endswith(b"\n"):
            raise _too_long(path, number)
        try:
            line = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _error(path, number, f"байт 0x{data[error.start]:02X} в позиции {error.start + 1} "
                                       f"не является текстом в UTF-8",
                         "сохраните файл в кодировке UTF-8 или выгрузите чат заново") from None
        yield number, line.rstrip("\r\n")


def _utf16_lines(path: Path, raw: IO[bytes], progress: Progress | None) -> Iterator[tuple[int, str]]:
    counted = _Counted(raw, progress)
    with io.TextIOWrapper(counted, encoding="utf-16", newline=None) as f:  # type: ignore[arg-type]
        number = 0
        while True:
            number += 1
            try:
                line = f.readline(MAX_LINE)
            except UnicodeDecodeError:
                raise _error(path, number, "текст не читается как UTF-16") from None
            if not line:
                return
            if len(line) >= MAX_LINE and not line.endswith("\n"):
                raise _too_long(path, number)
            yield number, line.rstrip("\n")


class _Counted(io.RawIOBase):
    """A binary stream that reports the bytes read through it."""

    def __init__(self, raw: IO[bytes], progress: Progress | None):
        super().__init__()
        self.raw, self.progress = raw, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        if data and self.progress is not None:
            self.progress(len(data))
        return len(data)


def _normal(raw: str) -> str:
    if _ODD.search(raw) is None:
        return raw
    return _MARKS.sub("", _SPACES.sub(" ", raw))


def _match(line: str) -> re.Match[str] | None:
    return _ANDROID.match(line) or _IOS.match(line)


# --- day/month order -------------------------------------------------------------------------

def _date_order(path: Path, encoding: str, asked: str | None) -> str:
    """"dmy" or "mdy": a day above 12 anywhere decides; else `asked`; else locale hints."""
    ambiguous = dotted = russian = False
    for _number, raw in _lines(path, encoding):
        line = _normal(raw)
        found = _match(line)
        if found is None:
            russian = russian or bool(_CYRILLIC.search(line))
            continue
        russian = russian or bool(_CYRILLIC.search(found["body"]))
        if len(found["a"]) == 4:
            continue  # year first: order known
        first, second = int(found["a"]), int(found["b"])
        if first > 12:
            return "dmy"
        if second > 12:
            return "mdy"
        ambiguous = True
        dotted = dotted or found["sep"] == "."
    if not ambiguous:
        return asked or "dmy"
    if asked:
        return asked
    if dotted or russian:
        return "dmy"  # dotted dates and Russian texts come from day-first locales
    raise ExportError(
        f"{display_path(path)}: не удаётся понять, что в датах идёт первым — день или месяц: во всех датах "
        f"оба числа не больше 12, а язык выгрузки не русский.\n"
        f"  Как исправить: укажите порядок явно: --date-order dmy (день/месяц/год) или --date-order mdy "
        f"(месяц/день/год, как в США).")


# --- messages --------------------------------------------------------------------------------

def _messages(path: Path, encoding: str, order: str, progress: Progress | None) -> Iterator[ChatMessage]:
    header: _Header | None = None
    lines: list[str] = []
    size = 0
    for number, raw in _lines(path, encoding, progress):
        line = _normal(raw)
        found = _match(line)
        if found is None:
            if header is None:
                if line.strip():
                    raise _error(path, number, f"строка не похожа на начало сообщения WhatsApp: «{line[:40]}»",
                                 "укажите файл .txt из выгрузки чата WhatsApp; в начале каждого сообщения "
                                 "должны стоять дата и время")
                continue
            size += len(line) + 1
            if size > MAX_MESSAGE:
                raise _error(path, header.line, f"сообщение длиннее {MAX_MESSAGE:,} символов".replace(",", " "),
                             "похоже, файл не является выгрузкой WhatsApp или повреждён; " + REEXPORT)
            lines.append(line)
            continue
        if header is not None:
            yield _build(header, lines)
        header = _header(path, number, raw, found, order)
        lines = [header.text]
        size = len(header.text)
    if header is not None:
        yield _build(header, lines)


def _header(path: Path, number: int, raw: str, found: re.Match[str], order: str) -> _Header:
    a, b, c = found["a"], found["b"], found["c"]
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    else:
        day, month = (int(a), int(b)) if order == "dmy" else (int(b), int(a))
        year = int(c) + (2000 if len(c) == 2 else 0)
    hour, minute, second = int(found["h"]), int(found["mi"]), int(found["s"] or 0)
    if found["ampm"]:
        if not 1 <= hour <= 12:
            raise _error(path, number, f"час «{hour}» невозможен при 12-часовом времени с AM/PM", REEXPORT)
        hour = hour % 12 + (12 if found["ampm"] in "Pp" else 0)
    stamp = found.string[: found.start("body")].strip(" -[]")
    try:
        time = datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        read_as = "год-месяц-день" if len(a) == 4 else "день.месяц.год" if order == "dmy" else "месяц/день/год"
        raise _error(path, number, f"дата и время «{stamp}» не существуют (прочитано как {read_as})",
                     REEXPORT) from None
    body = found["body"]
    sender, sep, text = body.partition(": ")
    if not sep or _is_deed(sender):
        return _Header(number, time, None, body, False)
    led = _LED.search(raw) if "\u200e" in raw or "\u200f" in raw else None
    led_here = led is not None and _normal(raw[:led.start()]).endswith(sender)
    return _Header(number, time, sender.strip(), text, led_here)


@lru_cache(maxsize=4096)
def _is_deed(sender: str) -> bool:
    """Whether the text before ": " is an actor's deed of a system line rather than a name."""
    return _SYSTEM_ACTOR.search(sender) is not None


def _build(header: _Header, lines: list[str]) -> ChatMessage:
    """One message from its header and continuation lines."""
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    text = "\n".join(lines)
    edited = False
    marker = _EDITED.search(text) if text.endswith(">") else None
    if marker is not None:
        edited, text = True, text[: marker.start()]
    first, _, rest = text.partition("\n")
    first = first.strip()
    short = len(text) < 80 and "\n" not in text  # placeholders are one short line
    sender = header.sender
    if sender is None or _SYSTEM_TEXT.match(text):
        kind, sender = "system", ""
    elif short and _DELETED.fullmatch(first):
        kind, text = "deleted", ""
    elif short and _CALL.fullmatch(first):
        kind, text = "service", ""
    elif _is_media(first):
        kind, text = "media", rest  # what follows the placeholder is the caption
    elif first[:1] in "PpОо" and _POLL.fullmatch(first):
        kind, text = "poll", _poll(rest)
    elif header.led:
        kind, sender = "system", ""  # iOS: «Группа: ‎Иван добавил(а) Марию»
    else:
        kind = "text"
    phone = _phone(sender)
    return ChatMessage(id=str(header.line), time=header.time, sender=sender, sender_phone=phone,
                       text=text, kind=kind, edited=edited)


def _is_media(first: str) -> bool:
    folded = first.casefold()
    return (folded.endswith(_MEDIA_ENDS) or folded.startswith(_MEDIA_STARTS)) and bool(_MEDIA.fullmatch(first))


def _poll(rest: str) -> str:
    """Question and options, one per line, without vote counts."""
    out = []
    for line in rest.split("\n"):
        option = _OPTION.match(line)
        out.append(option["text"] if option else line)
    return "\n".join(out)


def _phone(sender: str) -> str | None:
    """Digits of a sender shown as a phone number («+7 912 345-67-89» → «+79123456789»)."""
    if not _PHONE.fullmatch(sender):
        return None
    digits = re.sub(r"\D", "", sender)
    if len(digits) < 7:
        return None
    return ("+" if sender.lstrip().startswith("+") else "") + digits


def _error(path: Path, line: int, what: str, fix: str = REEXPORT) -> ExportError:
    return ExportError(f"{display_path(path)}:{line}: выгрузка WhatsApp: {what}.\n  Как исправить: {fix}.")


def _damaged_zip(path: Path) -> ExportError:
    return ExportError(f"{display_path(path)}: архив выгрузки WhatsApp повреждён, переписку из него не прочитать.\n"
                       f"  Как исправить: {REEXPORT}.")


def _too_long(path: Path, line: int) -> ExportError:
    return _error(path, line, f"строка длиннее {MAX_LINE // 1024} КиБ",
                  "похоже, файл не является выгрузкой WhatsApp или повреждён; " + REEXPORT)

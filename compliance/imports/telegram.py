"""Telegram Desktop JSON exports (result.json) → ChatMessage stream in bounded memory.

Two layouts come out of Telegram Desktop (export_output_json.cpp in tdesktop):
- «Экспорт истории чата» for one chat: the root object *is* the chat,
  {"name", "type", "id", "messages": [...]};
- «Экспорт данных Telegram» for the whole account: {"about", "personal_information", …,
  "chats": {"about", "list": [chat, …]}, "left_chats": {"about", "list": [...]}}.
Both are parsed with ijson (the yajl2 C backend when installed): the file is fed in
64 KiB chunks, so memory stays flat whatever the size of the export. Before the parser sees a
chunk, a guard refuses what no Telegram export holds and what would cost the parser unbounded
memory: runs of thousands of digits and nesting deeper than MAX_DEPTH (ijson builds a prefix
string per event, so n nested brackets cost memory in n²).

Only group chats are read: a personal chat, a bot chat, «Избранное» or «Ответы» is someone's
private correspondence, and the Порядок is about the institution's groups.
"""
from __future__ import annotations

import datetime
import logging
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from types import ModuleType
from typing import Any

import ijson
from ijson.utils import sendable_list

from compliance.errors import display_path
from compliance.imports import ExportError
from compliance.imports.message import ChatMessage

log = logging.getLogger("compliance")

CHUNK = 64 * 1024
BACKENDS = ("yajl2_c", "python")
# Chats that are not groups: private correspondence, listed but never read.
NOT_GROUPS = frozenset({"personal_chat", "bot_chat", "saved_messages", "replies"})
# What such a chat is: («выгрузка …», «чат id N — …»).
_NOT_GROUP_NAMES = {
    "personal_chat": ("личной переписки «{name}»", "личная переписка «{name}»"),
    "bot_chat": ("переписки с ботом «{name}»", "переписка с ботом «{name}»"),
    "saved_messages": ("«Избранного» (сообщений самому себе)", "«Избранное» (сообщения самому себе)"),
    "replies": ("чата «Ответы»", "чат «Ответы»"),
}
ACCOUNT_KEYS = frozenset({
    "about", "personal_information", "profile_pictures", "stories", "contacts", "frequent_contacts",
    "sessions", "web_sessions", "other_data", "chats", "left_chats",
})
CHAT_KEYS = frozenset({"name", "type", "id", "messages"})
LONG_NUMBER = 4301  # int() refuses more digits (sys.get_int_max_str_digits) and yajl2_c then crashes
_LONG_RUN = b"1" * LONG_NUMBER
_DIGIT_MARKS = bytes(0x31 if 0x30 <= i <= 0x39 else 0x30 for i in range(256))
# A whole-account export nests eight levels (account → chats → list → chat → messages → message →
# text → entity) and a poll a few more; a file nested deeper than this is not an export.
MAX_DEPTH = 64
_NOT_ESCAPES = bytes(b for b in range(256) if b not in b'[]{}"\\/bfnrtu')
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_STRING = re.compile(rb'"[^"]*"')
_DEPTH_STEP = tuple(1 if b in b"[{" else -1 if b in b"]}" else 0 for b in range(256))
# Ids are 64-bit in Telegram; migrated group history has negative message ids (tdesktop shifts them by -10⁹).
ID_LIMIT = 2**63
_SCALARS = frozenset({"string", "number", "boolean", "null"})
_ITEM_STARTS = _SCALARS | {"start_map", "start_array"}
MEDIA_KEYS = ("photo", "file", "media_type", "contact_information", "location_information",
              "place_name", "game_title", "invoice_information", "contact_vcard")
REEXPORT = ("выгрузите историю чата заново в Telegram Desktop («Экспорт истории чата», "
            "формат «Машиночитаемый JSON») и дождитесь окончания выгрузки")
Progress = Callable[[int], None]
# The pure-Python backend lets json.JSONDecodeError (a ValueError) through for control characters in strings.
_PARSE_ERRORS = (ijson.JSONError, ValueError)


@dataclass(frozen=True, slots=True)
class ChatRef:
    """The chat a message belongs to."""

    id: int
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class ChatInfo:
    """One chat of an export with the number of entries in its message list."""

    id: int
    name: str
    type: str
    messages: int


@lru_cache(maxsize=None)
def json_backend(name: str | None = None) -> ModuleType:
    """The ijson backend: the named one, else the C one when installed, else pure Python."""
    for candidate in ((name,) if name else BACKENDS):
        try:
            return ijson.get_backend(candidate)
        except ImportError:
            continue
    raise ImportError(f"ijson backend {name!r} is not available")


def export_size(path: str | Path) -> int:
    """Bytes the `progress` callback will count in all (for a progress bar's length)."""
    path = _resolve(path)
    return path.stat().st_size - _bom(path)


def list_chats(path: str | Path, *, backend: str | None = None, progress: Progress | None = None) -> list[ChatInfo]:
    """Every chat in the export with its message count (one streaming pass)."""
    path = _resolve(path)
    be = json_backend(backend)
    layout, _ = _peek(path, be)
    chats: list[ChatInfo] = []
    machine = _ChatMachine(path, _chat_prefixes(layout))
    try:
        for event in _stream(path, be, progress):
            machine.step(event)
            if machine.finished is not None:
                ref, count = machine.finished
                chats.append(ChatInfo(ref.id, ref.name, ref.type, count))
                machine.finished = None
    except _Damage as damage:
        raise _damaged(path, be, damage, f"после чата № {len(chats)}" if chats else "") from None
    return chats


def read_messages(path: str | Path, chat_id: int | str | None = None, *, backend: str | None = None,
                  progress: Progress | None = None) -> Iterator[ChatMessage]:
    """Messages of the export's group chats (or of the group chat `chat_id`), in file order.

    A personal chat is refused, never read. An entry whose id was already met in the same chat is
    skipped (each message is counted once) and the repeats are logged as a warning.
    """
    for _chat, message in read_chat_messages(path, chat_id, backend=backend, progress=progress):
        yield message


def read_chat_messages(path: str | Path, chat_id: int | str | None = None, *, backend: str | None = None,
                       progress: Progress | None = None) -> Iterator[tuple[ChatRef, ChatMessage]]:
    """(chat, message) pairs: message ids repeat across chats, so callers of a full export need both."""
    path = _resolve(path)
    be = json_backend(backend)
    layout, chat = _peek(path, be)
    if layout == "chat":
        assert chat is not None
        if chat.type in NOT_GROUPS:
            raise _not_a_group(path, chat)
        if chat_id is not None and str(chat.id) != str(chat_id):
            raise ExportError(
                f"{display_path(path)}: в выгрузке один чат «{chat.name}» (id {chat.id}), а запрошен чат id {chat_id}.\n"
                f"  Как исправить: укажите id {chat.id} или выгрузите нужный чат.")
        yield from _read_single(path, be, chat, progress)
    else:
        yield from _read_account(path, be, chat_id, progress)


# --- reading ---------------------------------------------------------------------------------

def _read_single(path: Path, be: ModuleType, chat: ChatRef, progress: Progress | None
                 ) -> Iterator[tuple[ChatRef, ChatMessage]]:
    """A one-chat export: ijson builds each message natively from the prefix "messages.item"."""
    counter = _Counter()
    try:
        for obj in _stream(path, be, progress, "messages.item"):
            message = counter.convert(path, chat, obj)
            if message is not None:
                yield chat, message
    except _Damage as damage:
        raise _damaged(path, be, damage, counter.where()) from None
    counter.report(path, chat)


def _read_account(path: Path, be: ModuleType, chat_id: int | str | None, progress: Progress | None
                  ) -> Iterator[tuple[ChatRef, ChatMessage]]:
    """A whole-account export: walk parse events, hand the chosen chats' messages to an items builder."""
    def wanted(ref: ChatRef) -> bool:
        if chat_id is None:
            return ref.type not in NOT_GROUPS
        if str(ref.id) != str(chat_id):
            return False
        if ref.type in NOT_GROUPS:
            raise _not_a_group(path, ref, asked=True)
        return True

    built = sendable_list()
    machine = _ChatMachine(path, _chat_prefixes("account"), built=built, be=be, wanted=wanted)
    counter = _Counter()
    seen: list[ChatRef] = []
    try:
        for event in _stream(path, be, progress):
            machine.step(event)
            if built:
                for obj in built:
                    message = counter.convert(path, machine.chat, obj)
                    if message is not None:
                        yield machine.chat, message
                built.clear()
            if machine.finished is not None:
                seen.append(machine.finished[0])
                machine.finished = None
                counter.report(path, seen[-1])
                counter = _Counter()
    except _Damage as damage:
        raise _damaged(path, be, damage, counter.where()) from None
    if chat_id is not None and all(str(ref.id) != str(chat_id) for ref in seen):
        # Personal chats are not named: their names are other people's contacts.
        groups = [ref for ref in seen if ref.type not in NOT_GROUPS]
        listed = "; ".join(f"{ref.id} «{ref.name}» ({ref.type})" for ref in groups) or "групповых чатов нет"
        raise ExportError(f"{display_path(path)}: в выгрузке нет чата с id {chat_id}. Есть: {listed}.\n"
                          f"  Как исправить: укажите id одного из этих чатов.")


class _Ids:
    """Message ids met in one chat, in 8 bytes each: Telegram writes them in increasing order, so the
    usual case is an append and a repeat is found by bisection; ids out of order go to a set."""

    def __init__(self) -> None:
        self.ordered = array("q")
        self.other: set[int] = set()

    def add(self, ident: int) -> bool:
        """False if `ident` was met before."""
        ordered = self.ordered
        if not ordered or ident > ordered[-1]:
            ordered.append(ident)
            return True
        at = bisect_left(ordered, ident)
        if (at < len(ordered) and ordered[at] == ident) or ident in self.other:
            return False
        self.other.add(ident)
        return True


class _ChatMachine:
    """Tracks chat boundaries in parse events; optionally forwards a chosen chat's messages to a builder."""

    def __init__(self, path: Path, prefixes: tuple[str, ...], built: list | None = None,
                 be: ModuleType | None = None, wanted: Callable[[ChatRef], bool] | None = None):
        self.path = path
        self.prefixes = {p: (p + "." if p else "") for p in prefixes}
        self.built, self.be, self.wanted = built, be, wanted
        self.meta: dict[str, Any] = {}
        self.base = ""                    # prefix of the chat object being read
        self.messages: str | None = None  # prefix of its message list while inside it
        self.item = ""
        self.builder: Any = None
        self.count = 0
        self.chat = ChatRef(0, "", "")
        self.finished: tuple[ChatRef, int] | None = None

    def step(self, event: tuple[str, str, Any]) -> None:
        prefix, kind, value = event
        if self.messages is not None:
            if self.builder is not None:
                self.builder.send(event)
            if prefix == self.item and kind in _ITEM_STARTS:
                self.count += 1
            elif prefix == self.messages and kind == "end_array":
                self.messages = self.builder = None
                self.finished = (self.chat, self.count)
            return
        if prefix in self.prefixes and kind == "start_map":
            self.base, self.meta = prefix, {}
            return
        dotted = self.prefixes.get(self.base)
        if dotted is None or not prefix.startswith(dotted):
            return
        key = prefix[len(dotted):]
        if key in ("name", "type", "id") and kind in _SCALARS:
            self.meta[key] = value
        elif key == "messages" and kind == "start_array":
            self.chat = _chat_ref(self.path, self.meta)
            self.messages, self.item, self.count = prefix, prefix + ".item", 0
            if self.wanted is not None and self.wanted(self.chat):
                assert self.be is not None
                self.builder = self.be.items_basecoro(self.built, self.item)


def _chat_ref(path: Path, meta: dict[str, Any]) -> ChatRef:
    """The chat from its "id", "name" and "type" fields; saved messages have no name."""
    chat_id, name, chat_type = meta.get("id"), meta.get("name"), meta.get("type")
    label = name if isinstance(name, str) else chat_id if _is_int(chat_id) and abs(chat_id) < ID_LIMIT else "без имени"
    if chat_id is None:
        raise _bad_chat(path, label, "нет поля «id» чата")
    if not _is_int(chat_id):
        raise _bad_chat(path, label, f"поле «id» чата должно быть целым числом, а в файле {_kind(chat_id)}")
    if not 0 < chat_id < ID_LIMIT:
        raise _bad_chat(path, label, f"поле «id» чата должно быть положительным целым числом меньше 2⁶³, "
                                     f"а в файле {_kind(chat_id)}")
    if name is not None and not isinstance(name, str):
        raise _bad_chat(path, label, f"поле «name» чата должно быть строкой, а в файле {_kind(name)}")
    if chat_type is not None and not isinstance(chat_type, str):
        raise _bad_chat(path, label, f"поле «type» чата должно быть строкой, а в файле {_kind(chat_type)}")
    default = "Избранное" if chat_type == "saved_messages" else ""
    return ChatRef(chat_id, name or default, chat_type or "")


def _chat_prefixes(layout: str) -> tuple[str, ...]:
    return ("",) if layout == "chat" else ("chats.list.item", "left_chats.list.item")


class _Counter:
    """Numbers messages within a chat, skips repeated ids and remembers the last good one for error messages."""

    def __init__(self) -> None:
        self.number = 0
        self.last_id: str | None = None
        self.seen = _Ids()
        self.repeats: list[int] = []

    def convert(self, path: Path, chat: ChatRef, obj: Any) -> ChatMessage | None:
        self.number += 1
        message = _to_message(path, chat, self.number, obj, self.seen, self.repeats)
        if message is not None:
            self.last_id = message.id
        return message

    def report(self, path: Path, chat: ChatRef) -> None:
        """Say that repeated entries were counted once (to stderr through the log)."""
        if not self.repeats:
            return
        shown = ", ".join(str(ident) for ident in self.repeats[:5]) + (", …" if len(self.repeats) > 5 else "")
        in_chat = f"в чате «{chat.name}» " if chat.name else ""
        log.warning(f"{display_path(path)}: {in_chat}записи с уже встречавшимся id пропущены, каждое сообщение "
                    f"учтено один раз (повторов: {_n(len(self.repeats))}; id {shown}). Выгрузка, сделанная "
                    f"Telegram Desktop, повторов не содержит: похоже, файл собран или правлен вручную.")

    def where(self) -> str:
        if not self.number:
            return "до первого сообщения"
        last = f" (id {self.last_id})" if self.last_id is not None else ""
        return f"после сообщения № {_n(self.number)}{last}"


# --- one message -----------------------------------------------------------------------------

def _to_message(path: Path, chat: ChatRef, number: int, obj: Any, seen: _Ids | None = None,
                repeats: list[int] | None = None) -> ChatMessage | None:
    """One exported message as a ChatMessage; None for entries that carry nothing to check and for
    repeats of an id in `seen` (added to `repeats`)."""
    def bad(what: str) -> ExportError:
        ident = obj.get("id") if isinstance(obj, dict) else None
        where = f"сообщение id {ident}" if _is_int(ident) and -ID_LIMIT < ident < ID_LIMIT else "сообщение"
        in_chat = f" в чате «{chat.name}»" if chat.name else ""
        return ExportError(
            f"{display_path(path)}: {where} (№ {_n(number)} по порядку{in_chat}): {what}.\n"
            f"  Как исправить: {REEXPORT}; если файл правили вручную, верните поле к виду, который даёт Telegram.")

    if not isinstance(obj, dict):
        raise bad(f"ожидался объект сообщения, а в файле {_kind(obj)}")
    ident = obj.get("id")
    if not _is_int(ident):
        raise bad("нет поля «id»" if ident is None else f"поле «id» должно быть целым числом, а в файле {_kind(ident)}")
    if not -ID_LIMIT < ident < ID_LIMIT:
        raise bad(f"поле «id» должно быть по модулю меньше 2⁶³, а в файле {_kind(ident)}")
    if seen is not None:
        ordered = seen.ordered
        if ordered and ident <= ordered[-1]:        # out of order: a repeat, or a file put together by hand
            if not seen.add(ident):
                if repeats is not None:
                    repeats.append(ident)
                return None
        else:
            ordered.append(ident)                   # the usual case, inlined: once per message
    entry_type = obj.get("type")
    if entry_type not in ("message", "service"):
        if entry_type is None or isinstance(entry_type, str):
            return None  # "unsupported" and future kinds carry no date and nothing to check
        raise bad(f"поле «type» должно быть строкой, а в файле {_kind(entry_type)}")
    time = _date(obj, bad)
    text = _flatten(obj.get("text", obj.get("text_entities", "")), "text", bad)
    edited = obj.get("edited")
    if edited is not None and not isinstance(edited, str):
        raise bad(f"поле «edited» должно быть строкой с датой, а в файле {_kind(edited)}")
    reply = obj.get("reply_to_message_id")
    if reply is not None and not _is_int(reply):
        raise bad(f"поле «reply_to_message_id» должно быть целым числом, а в файле {_kind(reply)}")
    if reply is not None and not -ID_LIMIT < reply < ID_LIMIT:
        raise bad(f"поле «reply_to_message_id» должно быть по модулю меньше 2⁶³, а в файле {_kind(reply)}")
    sender_key = "actor" if entry_type == "service" else "from"
    sender = obj.get(sender_key)
    if sender is not None and not isinstance(sender, str):
        raise bad(f"поле «{sender_key}» должно быть строкой, а в файле {_kind(sender)}")
    if entry_type == "service":
        kind = "service"
    elif "poll" in obj:
        kind, text = "poll", _poll_text(obj["poll"], bad)
    elif obj.get("media_type") == "sticker":
        emoji = obj.get("sticker_emoji", "")
        if not isinstance(emoji, str):
            raise bad(f"поле «sticker_emoji» должно быть строкой, а в файле {_kind(emoji)}")
        kind, text = "sticker", emoji
    elif any(key in obj for key in MEDIA_KEYS):
        kind = "media"  # the text is the caption
    else:
        kind = "text"
    return ChatMessage(
        id=str(ident),
        time=time,
        sender=sender or "",
        sender_phone=None,
        text=text,
        kind=kind,
        # Exports before 2020 wrote "edited": "1970-01-01T…" for messages never edited.
        edited=edited is not None and not edited.startswith("1970-01-01"),
        reply_to=str(reply) if reply is not None else None,
        forwarded="forwarded_from" in obj,
    )


def _date(obj: dict, bad: Callable[[str], ExportError]) -> datetime.datetime:
    value = obj.get("date")
    if value is None:
        raise bad("нет даты (поле «date»)")
    if not isinstance(value, str):
        raise bad(f"поле «date» должно быть строкой с датой, а в файле {_kind(value)}")
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise bad(f"дата «{value[:40]}» не распознана (ожидается вид 2026-11-26T21:05:13)") from None
    return parsed.replace(tzinfo=None)  # local wall time, as exported


def _flatten(value: Any, field: str, bad: Callable[[str], ExportError]) -> str:
    """Text as a string, or a list of strings and entity objects {"type", "text", …}."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            else:
                raise bad(f"в поле «{field}» ожидались строки и объекты с полем «text», а в файле {_kind(part)}")
        return "".join(parts)
    raise bad(f"поле «{field}» должно быть строкой или списком, а в файле {_kind(value)}")


def _poll_text(poll: Any, bad: Callable[[str], ExportError]) -> str:
    """Question and answers, one per line."""
    if not isinstance(poll, dict):
        raise bad(f"поле «poll» должно быть объектом, а в файле {_kind(poll)}")
    lines = [_flatten(poll.get("question", ""), "poll.question", bad)]
    answers = poll.get("answers", [])
    if not isinstance(answers, list):
        raise bad(f"поле «poll.answers» должно быть списком, а в файле {_kind(answers)}")
    for answer in answers:
        if not isinstance(answer, dict):
            raise bad(f"вариант ответа в «poll.answers» должен быть объектом, а в файле {_kind(answer)}")
        lines.append(_flatten(answer.get("text", ""), "poll.answers.text", bad))
    return "\n".join(lines)


# --- the file --------------------------------------------------------------------------------

def _resolve(path: str | Path) -> Path:
    """The export file; a Telegram export folder stands for its result.json."""
    path = Path(path)
    if path.is_dir() and (path / "result.json").is_file():
        path = path / "result.json"
    if not path.is_file():
        what = "это папка без result.json" if path.is_dir() else "файл не найден"
        raise ExportError(f"{display_path(path)}: {what}.\n"
                          f"  Как исправить: укажите файл result.json из папки выгрузки Telegram Desktop.")
    return path


def _bom(path: Path) -> int:
    """Bytes to skip: a UTF-8 BOM left by an editor; UTF-16 is refused."""
    with open(path, "rb") as f:
        head = f.read(4)
    if head.startswith(b"\xef\xbb\xbf"):
        return 3
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ExportError(f"{display_path(path)}: файл в кодировке UTF-16, а Telegram выгружает JSON в UTF-8.\n"
                          f"  Как исправить: возьмите исходный result.json из папки выгрузки или сохраните файл в UTF-8.")
    return 0


class _Damage(Exception):
    """Invalid JSON met at the chunk starting at `start`."""

    def __init__(self, error: Exception, start: int):
        super().__init__(str(error))
        self.error, self.start = error, start


class _Limit(Exception):
    """Input the parser must never see, found at byte `offset`; `what` says what it is."""

    def __init__(self, offset: int, what: str):
        super().__init__(offset)
        self.offset, self.what = offset, what


class _LongNumber(_Limit):
    """A run of digits too long for int(): the C backend would crash on it (ijson 3.x)."""

    def __init__(self, offset: int):
        super().__init__(offset, f"начинается число из {_n(LONG_NUMBER)} и более цифр")


class _TooDeep(_Limit):
    """Brackets nested deeper than MAX_DEPTH: ijson's prefixes would take memory in depth²."""

    def __init__(self, offset: int):
        super().__init__(offset, f"скобки «[» и «{{» вложены глубже {MAX_DEPTH} уровней")


class _DigitGuard:
    """Refuses digit runs of LONG_NUMBER or more before the parser sees them.

    Telegram caps a message at 4,096 characters, so no real export has such a run.
    """

    def __init__(self) -> None:
        self.run = 0  # digits ending the previous chunk

    def check(self, data: bytes, start: int) -> None:
        marks = data.translate(_DIGIT_MARKS)
        lead = len(marks) - len(marks.lstrip(b"1"))
        if self.run + lead >= LONG_NUMBER:
            raise _LongNumber(start - self.run)
        found = marks.find(_LONG_RUN)
        if found >= 0:
            raise _LongNumber(start + found)
        body = marks.rstrip(b"1")
        self.run = self.run + len(marks) if not body else len(marks) - len(body)


class _DepthGuard:
    """Tracks the nesting of [ and { outside strings, chunk by chunk, and refuses more than MAX_DEPTH.

    Done with bytes methods, not a loop per byte (under a tenth of the reading time): keep the brackets,
    quotes, backslashes and the letters an escape can end with; drop escaped pairs («\\\\», «\\"»);
    keep brackets and quotes; drop the strings (empty pairs «""» first, they are most). Only a
    refused chunk is walked byte by byte, for the exact offset. Invalid JSON (a backslash outside a
    string) may confuse the count, but the parser stops at it before it reaches anything after it.
    """

    def __init__(self) -> None:
        self.depth = 0
        self.in_string = False
        self.escaped = False     # the previous chunk ended inside a string with an unpaired «\»

    def check(self, data: bytes, start: int) -> None:
        if not data:
            return
        state = (self.depth, self.in_string, self.escaped)
        body = data[1:] if self.escaped else data
        reduced = body.translate(None, _NOT_ESCAPES)
        trailing = False
        if b"\\" in reduced:
            reduced = reduced.replace(b"\\\\", b"").replace(b'\\"', b"")
            trailing = reduced.endswith(b"\\")
        reduced = reduced.translate(None, _NOT_STRUCTURE)
        ends_inside = (reduced.count(b'"') + self.in_string) % 2 == 1
        outside = (b'"' if self.in_string else b"") + reduced + (b'"' if ends_inside else b"")
        self.in_string, self.escaped = ends_inside, trailing and ends_inside
        outside = outside.replace(b'""', b"")
        if b'"' in outside:
            outside = _STRING.sub(b"", outside)
        if not outside:
            return
        opened = outside.count(b"[") + outside.count(b"{")
        if self.depth + opened > MAX_DEPTH and \
                self.depth + max(accumulate(map(_DEPTH_STEP.__getitem__, outside))) > MAX_DEPTH:
            raise _TooDeep(start + _too_deep_at(data, *state))
        self.depth += 2 * opened - len(outside)


def _too_deep_at(data: bytes, depth: int, in_string: bool, escaped: bool) -> int:
    """Index in `data` of the bracket that opens level MAX_DEPTH + 1 (the slow walk of a refused chunk)."""
    for index, byte in enumerate(data):
        if escaped:
            escaped = False
        elif in_string:
            if byte == 0x5C:          # backslash
                escaped = True
            elif byte == 0x22:        # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        else:
            depth += _DEPTH_STEP[byte]
            if depth > MAX_DEPTH:
                return index
    return len(data)  # not reached: check() found the level in this chunk


class _Guard:
    """Both guards over the same chunks."""

    def __init__(self) -> None:
        self.digits, self.depth = _DigitGuard(), _DepthGuard()

    def check(self, data: bytes, start: int) -> None:
        self.digits.check(data, start)
        self.depth.check(data, start)


class _Reader:
    """A binary file that remembers where the chunk the parser read last began."""

    def __init__(self, f: Any, start: int, progress: Progress | None):
        self.f, self.start, self.end, self.progress = f, start, start, progress
        self.guard = _Guard()
        self.limit: _Limit | None = None

    def read(self, size: int) -> bytes:
        if self.limit is not None:
            return b""
        data = self.f.read(size)
        if size:
            self.start, self.end = self.end, self.end + len(data)
            try:
                self.guard.check(data, self.start)
            except _Limit as limit:
                # Ending the input here lets every backend wind down cleanly.
                self.limit = limit
                return b""
        if data and self.progress is not None:
            self.progress(len(data))
        return data


def _stream(path: Path, be: ModuleType, progress: Progress | None, prefix: str | None = None) -> Iterator[Any]:
    """Parse events of the file, or the objects under `prefix`; invalid JSON raises _Damage."""
    skip = _bom(path)
    with open(path, "rb") as f:
        f.seek(skip)
        reader = _Reader(f, skip, progress)
        source = be.parse(reader) if prefix is None else be.items(reader, prefix)
        try:
            yield from source
        except _PARSE_ERRORS as error:
            if reader.limit is not None:
                raise _over_limit(path, reader.limit) from None
            raise _Damage(error, reader.start) from None
        if reader.limit is not None:
            raise _over_limit(path, reader.limit)


def _peek(path: Path, be: ModuleType) -> tuple[str, ChatRef | None]:
    """Which layout the file has ("chat" or "account"), and the chat of a one-chat export."""
    skip = _bom(path)
    with open(path, "rb") as f:
        f.seek(skip)
        head = f.read(CHUNK)
    try:
        _Guard().check(head, skip)
    except _Limit as limit:
        raise _over_limit(path, limit) from None
    stripped = head.lstrip()
    if not stripped:
        raise ExportError(f"{display_path(path)}: файл пуст.\n  Как исправить: {REEXPORT}.")
    if stripped.startswith(b"<"):
        raise ExportError(f"{display_path(path)}: это выгрузка в формате HTML, а нужен JSON.\n"
                          f"  Как исправить: в Telegram Desktop при экспорте выберите формат «Машиночитаемый JSON».")
    events = sendable_list()
    coro = be.parse_coro(events)
    broken: Exception | None = None
    try:
        with _closing(coro):
            coro.send(head)
    except StopIteration:
        pass
    except _PARSE_ERRORS as error:
        broken = error
    meta: dict[str, Any] = {}
    for prefix, kind, value in events:
        if prefix == "" and (kind == "start_array" or kind in _SCALARS):
            break
        if prefix == "" and kind == "map_key":
            if value in ACCOUNT_KEYS:
                return "account", None
            if value not in CHAT_KEYS:
                break
            if value == "messages":
                return "chat", _chat_ref(path, meta)
        elif prefix in ("name", "type", "id") and kind in _SCALARS:
            meta[prefix] = value
    else:
        if broken is not None:   # the JSON breaks before the layout shows: say where, not «not an export»
            raise _damaged(path, be, _Damage(broken, skip), "до первого сообщения") from None
    raise ExportError(f"{display_path(path)}: это не выгрузка Telegram: в начале файла нет ни списка «messages», "
                      f"ни раздела «chats».\n  Как исправить: укажите result.json из папки выгрузки Telegram Desktop.")


def _damaged(path: Path, be: ModuleType, damage: _Damage, after: str) -> ExportError:
    """Say exactly where and how the JSON breaks: re-feed the broken chunk byte by byte."""
    offset, line, column, at_end = _locate(path, be, damage.start)
    message = str(damage.error)
    after = f", {after}" if after else ""
    if at_end:
        what = (f"файл обрывается на байте {_n(offset)}{after}: "
                f"похоже, выгрузка не закончилась или файл скопирован не полностью")
    elif "trailing garbage" in message or "Additional data" in message:
        what = f"после конца JSON, на байте {_n(offset)}, идут лишние данные{after}"
    elif (word := _not_a_number(path, offset)) is not None:
        offset, token = word
        line, column = _line_column(path, offset)
        what = (f"на байте {_n(offset)} вместо числа стоит «{token}»{after}: так записывают «не число» и "
                f"бесконечность в JavaScript, а в JSON и в выгрузках Telegram их не бывает")
    else:
        what = f"на байте {_n(offset)} {_char_at(path, offset)}{after}: файл повреждён или его правили вручную"
    return ExportError(f"{display_path(path)}:{line}:{column}: выгрузка Telegram повреждена: {what}.\n"
                       f"  Как исправить: {REEXPORT}.")


def _locate(path: Path, be: ModuleType, start: int) -> tuple[int, int, int, bool]:
    """(byte offset, line, column, at end of file) of the first byte the parser rejects."""
    sink = sendable_list()
    coro = be.basic_parse_coro(sink)
    skip = _bom(path)
    offset, line, line_start = skip, 1, skip
    guard = _DigitGuard()
    with open(path, "rb") as f, _closing(coro):
        f.seek(skip)
        while offset < start:
            data = f.read(min(CHUNK, start - offset))
            if not data:
                break
            guard.check(data, offset)
            try:
                coro.send(data)
            except (*_PARSE_ERRORS, StopIteration):
                break  # cannot happen: the main pass got past this point
            sink.clear()
            newlines = data.count(b"\n")
            if newlines:
                line += newlines
                line_start = offset + data.rindex(b"\n") + 1
            offset += len(data)
        # The parser rejects a byte as soon as it sees it; look a little past the chunk to be safe.
        data = f.read(2 * CHUNK)
        at_end = not f.read(1)
        try:
            guard.check(data, offset)
        except _LongNumber as long_number:
            data = data[: long_number.offset - offset]
        for index in range(len(data)):
            byte = data[index:index + 1]
            try:
                coro.send(byte)
            except (*_PARSE_ERRORS, StopIteration):
                return offset, line, offset - line_start + 1, False
            sink.clear()
            if byte == b"\n":
                line, line_start = line + 1, offset + 1
            offset += 1
    return offset, line, offset - line_start + 1, at_end


def _over_limit(path: Path, limit: _Limit) -> ExportError:
    line, column = _line_column(path, limit.offset)
    return ExportError(f"{display_path(path)}:{line}:{column}: выгрузка Telegram повреждена: "
                       f"на байте {_n(limit.offset)} {limit.what}, а таких в выгрузках Telegram не бывает.\n"
                       f"  Как исправить: {REEXPORT}.")


def _line_column(path: Path, offset: int) -> tuple[int, int]:
    line, line_start, done = 1, 0, 0
    with open(path, "rb") as f:
        while done < offset:
            data = f.read(min(CHUNK, offset - done))
            if not data:
                break
            newlines = data.count(b"\n")
            if newlines:
                line += newlines
                line_start = done + data.rindex(b"\n") + 1
            done += len(data)
    return line, offset - line_start + 1


def _not_a_number(path: Path, offset: int) -> tuple[int, str] | None:
    """(offset, word) when the parser stopped inside NaN, Infinity or -Infinity: the backends stop at
    different letters of the word, so the word is found around the offset."""
    begin = max(0, offset - 9)
    with open(path, "rb") as f:
        f.seek(begin)
        around = f.read(offset - begin + 9)
    for word in (b"-Infinity", b"Infinity", b"NaN"):
        found = around.find(word, 0, offset - begin + len(word))
        while found != -1:
            if begin + found <= offset < begin + found + len(word):
                return begin + found, word.decode()
            found = around.find(word, found + 1, offset - begin + len(word))
    return None


def _char_at(path: Path, offset: int) -> str:
    with open(path, "rb") as f:
        f.seek(offset)
        raw = f.read(4)
    if not raw:
        return "неожиданный конец файла"
    for size in range(1, len(raw) + 1):
        try:
            char = raw[:size].decode("utf-8")
        except UnicodeDecodeError:
            continue
        if char.isprintable() and not char.isspace():
            return f"неожиданный символ «{char}»"
        return f"неожиданный символ U+{ord(char):04X}"
    return f"байт 0x{raw[0]:02X} не является текстом в UTF-8"


def _not_a_group(path: Path, chat: ChatRef, *, asked: bool = False) -> ExportError:
    """A personal chat (or a bot, «Избранное», «Ответы») is never read: it is private correspondence."""
    genitive, nominative = (form.format(name=chat.name) for form in _NOT_GROUP_NAMES[chat.type])
    where = f"чат id {chat.id} — {nominative}, а не группа" if asked else f"это выгрузка {genitive}, а не группы"
    fix = ("укажите в --chat id группового чата (их список: compliance import telegram ФАЙЛ --list-chats)" if asked
           else "выгрузите историю группы учреждения: откройте группу в Telegram Desktop, в меню ⋮ выберите "
                "«Экспорт истории чата», формат «Машиночитаемый JSON»")
    return ExportError(f"{display_path(path)}: {where}. Личная переписка не импортируется и не "
                       f"проверяется: это частная переписка людей, а Порядок касается только групп учреждения.\n"
                       f"  Как исправить: {fix}.")


def _bad_chat(path: Path, chat: Any, what: str) -> ExportError:
    return ExportError(f"{display_path(path)}: чат «{chat}»: {what}.\n  Как исправить: {REEXPORT}.")


# --- small helpers ---------------------------------------------------------------------------

@contextmanager
def _closing(coro: Any) -> Iterator[None]:
    """Close an ijson coroutine quietly: the pure-Python one complains about unfinished input."""
    try:
        yield
    finally:
        try:
            coro.close()
        except Exception:  # noqa: BLE001 - an unfinished document is not news here
            pass


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    """The JSON type of a value, in Russian, with a short sample."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"логическое значение {str(value).lower()}"
    if isinstance(value, (int, float, Decimal)):
        text = str(value)
        if len(text) > 30:
            digits = sum(c.isdigit() for c in text)
            return f"число из {_n(digits)} цифр"
        return f"число {text}"
    if isinstance(value, str):
        return f"строка «{value[:30]}»"
    if isinstance(value, list):
        return "список"
    if isinstance(value, dict):
        return "объект"
    return type(value).__name__


def _n(number: int) -> str:
    """Digits grouped by thousands with a space, as Russian texts write them."""
    return f"{number:,}".replace(",", " ")

"""Chat exports that are cut short, have the wrong types, hold a huge message or lie about their structure.

Each export goes through `compliance import telegram|whatsapp` on a copy of the sample records. A refused
export: exit 2, the first line of the message as pinned here (the readers' wording belongs to
compliance/imports; the line after it is «Как исправить»), no traceback, records byte-identical. An accepted
one: the records still load and hold no phone number or message text in clear.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from robustness.cases import Case
from robustness.common import files_of, run

SECTION = "Выгрузки чатов: обрезанные, с неверными типами, огромные, лгущие о себе"
ORDER = 7                    # place of this section in docs/robustness.md
MONTH = ["--month", "2026-11"]


def _message(number, text="Собрание в пятницу", **extra):
    return {"id": number, "type": "message", "date": f"2026-11-{number % 27 + 1:02d}T10:00:00", "from": "Лаптев Игорь",
            "from_id": "user1", "text": text, **extra}


BASE = {"name": "ДДТ. Юные туристы", "type": "private_supergroup", "id": 1001,
        "messages": [_message(n) for n in range(1, 6)]}
GOOD = json.dumps(BASE, ensure_ascii=False).encode("utf-8")
REEXPORT = "выгрузите историю чата заново в Telegram Desktop"


def telegram(name, content):
    return {"source": "telegram", "name": f"{name}.json", "content": content}


def whatsapp(name, content):
    return {"source": "whatsapp", "name": name, "content": content}


def _json(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def refused(case_id, given, export, first_line, fixed=""):
    return Case(case_id, given, f"отказ, код 2: «{first_line}»", fixed=fixed, data={**export, "first": first_line})


def accepted(case_id, given, export, expected, fixed="", **check):
    return Case(case_id, given, expected, fixed=fixed, data={**export, "first": None, **check})


def _with(messages, **chat):
    return _json({**BASE, **chat, "messages": messages})


def _raw_id(value: bytes, where: str) -> bytes:
    """BASE with a JSON token json.dumps cannot write (NaN, Infinity) as the chat's or the first message's id."""
    chat = {**BASE, "id": 7001, "messages": [_message(1), {**_message(2), "id": 7002}]}
    placeholder = b"7001" if where == "chat" else b"7002"
    return _json(chat).replace(placeholder, value)


def _bomb() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_chat.txt", b"0" * 300_000_000)     # 300 МБ of zeros in about 300 КБ
    return buffer.getvalue()


CASES = [
    refused("chat-telegram-truncated", "result.json обрезан посередине", telegram("cut", GOOD[:len(GOOD) // 2]),
            "x/cut.json:1:455: выгрузка Telegram повреждена: файл обрывается на байте 454, после сообщения № 2 (id 2): "
            "похоже, выгрузка не закончилась или файл скопирован не полностью."),
    refused("chat-telegram-empty", "пустой result.json", telegram("empty", b""), "x/empty.json: файл пуст."),
    refused("chat-telegram-binary", "случайные байты вместо JSON", telegram("binary", b"\x89PNG\r\n\x1a\n" + bytes(64)),
            "x/binary.json:1:1: выгрузка Telegram повреждена: на байте 0 байт 0x89 не является текстом в UTF-8, до "
            "первого сообщения: файл повреждён или его правили вручную."),
    refused("chat-telegram-no-messages", "JSON без списка «messages»",
            telegram("nomessages", _json({k: v for k, v in BASE.items() if k != "messages"})),
            "x/nomessages.json: это не выгрузка Telegram: в начале файла нет ни списка «messages», ни раздела «chats»."),
    refused("chat-telegram-list-at-top", "список на верхнем уровне вместо объекта", telegram("list", _json([BASE])),
            "x/list.json: это не выгрузка Telegram: в начале файла нет ни списка «messages», ни раздела «chats»."),
    refused("chat-telegram-text-is-number", "«text» — число", telegram("number", _json({**BASE, "messages": [_message(1, 12345)]})),
            "x/number.json: сообщение id 1 (№ 1 по порядку в чате «ДДТ. Юные туристы»): поле «text» должно быть "
            "строкой или списком, а в файле число 12345."),
    refused("chat-telegram-date-is-list", "«date» — список", telegram("date", _json({**BASE, "messages": [{**_message(1), "date": [2026]}]})),
            "x/date.json: сообщение id 1 (№ 1 по порядку в чате «ДДТ. Юные туристы»): поле «date» должно быть "
            "строкой с датой, а в файле список."),
    refused("chat-telegram-nested-entity", "в «text» — объект внутри объекта",
            telegram("entity", _json({**BASE, "messages": [_message(1, [{"type": "bold", "text": [{"type": "italic", "text": "x"}]}])]})),
            "x/entity.json: сообщение id 1 (№ 1 по порядку в чате «ДДТ. Юные туристы»): в поле «text» ожидались "
            "строки и объекты с полем «text», а в файле объект."),
    refused("chat-telegram-long-number", "число из 100 000 цифр",
            telegram("long", b'{"name":"x","type":"private_supergroup","id":' + b"9" * 100_000 + b',"messages":[]}'),
            "x/long.json:1:46: выгрузка Telegram повреждена: на байте 45 начинается число из 4 301 и более цифр, а "
            "таких в выгрузках Telegram не бывает."),
    refused("chat-telegram-utf16", "result.json в UTF-16", telegram("utf16", b"\xff\xfe" + GOOD.decode().encode("utf-16-le")),
            "x/utf16.json: файл в кодировке UTF-16, а Telegram выгружает JSON в UTF-8."),
    refused("chat-telegram-future-dates", "все сообщения датированы 2099 годом",
            telegram("future", _json({**BASE, "messages": [{**_message(1), "date": "2099-11-03T10:00:00"}]})),
            "В выгрузке нет сообщений участников за ноябрь 2026 г. (по месяцам: 11.2099 — 1)."),
    accepted("chat-telegram-huge-message", "одно сообщение в 1 МБ с телефоном в начале",
             telegram("huge", _json({**BASE, "messages": [_message(1, "Звоните +7 912 345-67-89 " + "очень длинный текст " * 50_000)]})),
             "импорт: замечание «персональные данные» с отрывком не длиннее 120 знаков, номер скрыт; записи "
             "загружаются; в records/ — только отрывок, не сообщение"),
    refused("chat-whatsapp-random-bytes", "случайные байты вместо .txt", whatsapp("garbage.txt", bytes(range(192, 256)) * 8),
            "x/garbage.txt:1: выгрузка WhatsApp: байт 0xC0 в позиции 1 не является текстом в UTF-8."),
    refused("chat-whatsapp-cp1251", "выгрузка WhatsApp в Windows-1251",
            whatsapp("cp1251.txt", "03.11.2026, 10:00 - Гришина Ольга: Привет\n".encode("cp1251")),
            "x/cp1251.txt:1: выгрузка WhatsApp: байт 0xC3 в позиции 21 не является текстом в UTF-8."),
    refused("chat-whatsapp-huge-line", "строка в 20 МБ без перевода строки",
            whatsapp("long.txt", ("03.11.2026, 10:00 - Гришина Ольга: " + "а" * 10_000_000).encode()),
            "x/long.txt:1: выгрузка WhatsApp: строка длиннее 1024 КиБ."),
    refused("chat-whatsapp-impossible-date", "дата «31.02.2026»",
            whatsapp("feb.txt", "31.02.2026, 10:00 - Гришина Ольга: Привет\n".encode()),
            "x/feb.txt:1: выгрузка WhatsApp: дата и время «31.02.2026, 10:00» не существуют (прочитано как "
            "день.месяц.год)."),
    refused("chat-whatsapp-not-a-chat", "текст без заголовков сообщений",
            whatsapp("plain.txt", "просто текст без заголовков\nещё строка\n".encode()),
            "x/plain.txt:1: выгрузка WhatsApp: строка не похожа на начало сообщения WhatsApp: «просто текст без "
            "заголовков»."),
    refused("chat-whatsapp-zip-bomb", "ZIP с «_chat.txt» в 300 МБ нулей (300 КБ сжатыми)", whatsapp("bomb.zip", None),
            "x/bomb.zip:1: выгрузка WhatsApp: строка длиннее 1024 КиБ."),
    accepted("chat-whatsapp-utf16", "выгрузка WhatsApp в UTF-16 с BOM",
             whatsapp("utf16.txt", b"\xff\xfe" + "03.11.2026, 10:00 - Гришина Ольга: Привет\n".encode("utf-16-le")),
             "импорт: одно сообщение; записи загружаются"),
    accepted("chat-whatsapp-nul", "нулевой символ внутри сообщения",
             whatsapp("nul.txt", "03.11.2026, 10:00 - Гришина Ольга: При\x00вет\n".encode()),
             "импорт: одно сообщение; записи загружаются"),
    refused("chat-telegram-nan-id", "«id» сообщения — NaN (так пишет JavaScript, в JSON этого нет)",
            telegram("nan", _raw_id(b"NaN", "message")),
            "x/nan.json:1:269: выгрузка Telegram повреждена: на байте 268 вместо числа стоит «NaN», после сообщения "
            "№ 1 (id 1): так записывают «не число» и бесконечность в JavaScript, а в JSON и в выгрузках Telegram их "
            "не бывает.",
            fixed="сообщение «неожиданный символ «N»» не называло NaN, а запасной разборщик (ijson на Python) "
                  "указывал на байт дальше и символ «a»"),
    refused("chat-telegram-infinity-chat-id", "«id» чата — Infinity", telegram("inf", _raw_id(b"Infinity", "chat")),
            "x/inf.json:1:81: выгрузка Telegram повреждена: на байте 80 вместо числа стоит «Infinity», до первого "
            "сообщения: так записывают «не число» и бесконечность в JavaScript, а в JSON и в выгрузках Telegram их "
            "не бывает.",
            fixed="неверное сообщение «это не выгрузка Telegram: в начале файла нет ни списка «messages», ни раздела "
                  "«chats»»"),
    refused("chat-telegram-float-id", "«id» сообщения — 1.5", telegram("float", _with([{**_message(1), "id": 1.5}])),
            "x/float.json: сообщение (№ 1 по порядку в чате «ДДТ. Юные туристы»): поле «id» должно быть целым числом, "
            "а в файле число 1.5."),
    refused("chat-telegram-huge-id", "«id» сообщения — число из 26 цифр",
            telegram("huge-id", _with([{**_message(1), "id": 10**25}])),
            "x/huge-id.json: сообщение (№ 1 по порядку в чате «ДДТ. Юные туристы»): поле «id» должно быть по модулю "
            "меньше 2⁶³, а в файле число 10000000000000000000000000.",
            fixed="принималось: номер сообщения из 26 цифр уходил в журнал как есть"),
    refused("chat-telegram-negative-chat-id", "«id» чата — −1001 (так чаты нумерует Bot API, не выгрузка)",
            telegram("negative-chat", _with([_message(1)], id=-1001)),
            "x/negative-chat.json: чат «ДДТ. Юные туристы»: поле «id» чата должно быть положительным целым числом "
            "меньше 2⁶³, а в файле число -1001.",
            fixed="принималось"),
    accepted("chat-telegram-negative-message-ids", "отрицательные «id» сообщений (история группы до её "
                                                   "преобразования в супергруппу: Telegram Desktop сдвигает их "
                                                   "на −10⁹)",
             telegram("migrated", _with([{**_message(1), "id": -999_999_990}, _message(2)])),
             "импорт: оба сообщения учтены", messages=2),
    refused("chat-telegram-personal-chat", "выгрузка личной переписки («personal_chat») в группу",
            telegram("personal", _with([_message(1)], type="personal_chat", name="Морозова Ирина")),
            "x/personal.json: это выгрузка личной переписки «Морозова Ирина», а не группы. Личная переписка не "
            "импортируется и не проверяется: это частная переписка людей, а Порядок касается только групп "
            "учреждения.",
            fixed="импортировалась как переписка группы: счётчики и отрывки чужой частной переписки попадали в "
                  "журнал"),
    accepted("chat-telegram-duplicate-ids", "сообщения с id 2 и 3 повторены в конце выгрузки",
             telegram("dup", _with([*BASE["messages"], _message(2), _message(3)])),
             "импорт: 5 сообщений, не 7; предупреждение «…записи с уже встречавшимся id пропущены, каждое "
             "сообщение учтено один раз (повторов: 2; id 2, 3)…»",
             fixed="повторы считались дважды: 7 сообщений вместо 5", messages=5,
             warning="x/dup.json: в чате «ДДТ. Юные туристы» записи с уже встречавшимся id пропущены, каждое "
                     "сообщение учтено один раз (повторов: 2; id 2, 3). Выгрузка, сделанная Telegram Desktop, "
                     "повторов не содержит: похоже, файл собран или правлен вручную."),
    accepted("chat-telegram-brackets-in-text", 'в тексте сообщений 500 «[», «{», обратные косые черты и кавычки «\\"»',
             telegram("brackets", _with([_message(1, "[" * 500 + '\\"{' * 500), _message(2)])),
             "импорт: оба сообщения учтены (скобки внутри строк не считаются вложенностью)", messages=2),
]
# Run in a child process with 1.5 GB of address space: without the guard the machine would run out of memory.
LIMITED = [
    refused("chat-telegram-deep-nesting", "200 КБ JSON: 100 000 вложенных «[» в поле «text»",
            telegram("deep", b'{"name":"x","type":"private_supergroup","id":1,"messages":[{"id":1,"type":"message",'
                             b'"date":"2026-11-03T10:00:00","from":"x","text":' + b"[" * 100_000 + b"]" * 100_000
                             + b"}]}"),
            "x/deep.json:1:193: выгрузка Telegram повреждена: на байте 192 скобки «[» и «{» вложены глубже 64 "
            "уровней, а таких в выгрузках Telegram не бывает.",
            fixed="чтение выгрузки занимало всю память (без ограничения — процесс убит системой, с ограничением "
                  "в 1,5 ГБ — трассировка MemoryError)"),
    refused("chat-telegram-deep-nesting-late", "7 МБ: 40 000 обычных сообщений, затем 100 000 вложенных «{\"a\":»",
            telegram("late", lambda: b'{"name":"x","type":"private_supergroup","id":1,"messages":['
                     + b",".join(_json(_message(n)) for n in range(1, 40_001))
                     + b',{"id":40001,"type":"message","date":"2026-11-03T10:00:00","from":"x","text":"a",'
                       b'"x":' + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"}]}"),
            "x/late.json:1:6589343: выгрузка Telegram повреждена: на байте 6 589 342 скобки «[» и «{» вложены "
            "глубже 64 уровней, а таких в выгрузках Telegram не бывает.",
            fixed="то же: память"),
]
CASES += LIMITED
GROUPS = {"telegram": "tourists-students", "whatsapp": "zvonnitsa-parents"}


@pytest.fixture
def imports(records, monkeypatch):
    cli_imports = pytest.importorskip("compliance.cli.imports")
    monkeypatch.setattr(cli_imports, "_today", lambda: dt.date(2026, 11, 26))
    Path("x").mkdir()
    return records


def _write(case) -> Path:
    path = Path("x") / case.data["name"]
    content = case.data["content"]
    path.write_bytes(_bomb() if content is None else content() if callable(content) else content)
    return path


@pytest.mark.parametrize("case", [c for c in CASES if c not in LIMITED], ids=lambda c: c.id)
def test_hostile_chat_export_is_refused_clearly_or_imported_safely(imports, case, caplog):
    path = _write(case)
    args = ["import", case.data["source"], str(path), "--group", GROUPS[case.data["source"]], *MONTH]
    if case.data["first"] is not None:
        before = files_of(imports)
        result = run(args, imports)
        lines = result.stderr.splitlines()
        assert result.exit_code == 2 and lines[0] == case.data["first"], result.stderr
        assert lines[1].startswith("  Как исправить: ")
        assert files_of(imports) == before
        return
    result = run(args)
    assert result.exit_code == 0, result.stderr
    if "messages" in case.data:
        assert f"Прочитано записей: {case.data['messages']};" in result.stdout, result.stdout
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]   # stderr in a terminal
    assert warnings == ([case.data["warning"]] if "warning" in case.data else [])
    assert run(["check", "--records", "records"]).exit_code in (0, 1)
    written = "\n".join(content.decode("utf-8", "replace") for content in files_of(imports).values())
    assert "9123456789" not in re.sub(r"\D", "", written)
    assert written.count("очень длинный текст") <= 6          # the excerpt at most, never the message
    for excerpt in re.findall(r'excerpt: "(.*)"', written):
        assert len(excerpt) <= 120


@pytest.mark.parametrize("case", LIMITED, ids=lambda c: c.id)
def test_deeply_nested_export_is_refused_in_bounded_memory(imports, case):
    """In a child process with 1.5 GB of address space: without the guard the machine would run out of memory."""
    path = _write(case)
    before = files_of(imports)

    def limit():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                                        os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-m", "compliance", "import", case.data["source"], str(path), "--group",
                             GROUPS[case.data["source"]], *MONTH], capture_output=True, text=True, timeout=120,
                            preexec_fn=limit, env=env)
    lines = result.stderr.splitlines()
    assert (result.returncode, lines[0]) == (2, case.data["first"]), result.stderr
    assert lines[1].startswith("  Как исправить: ") and "Traceback" not in result.stderr
    assert files_of(imports) == before

"""Telegram reader limits: nesting depth (streamed, bounded memory), ids (NaN, floats, 64-bit range,
migrated history), group chats only, repeated ids counted once."""
from __future__ import annotations

import json
import logging
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.imports import ExportError
from compliance.imports import telegram

REEXPORT = ("  Как исправить: выгрузите историю чата заново в Telegram Desktop («Экспорт истории чата», "
            "формат «Машиночитаемый JSON») и дождитесь окончания выгрузки")
PRIVATE = ("Личная переписка не импортируется и не проверяется: это частная переписка людей, а Порядок касается "
           "только групп учреждения.")


def message(ident, text="Текст", **fields):
    return {"id": ident, "type": "message", "date": "2026-11-02T18:31:40", "from": "Белова Светлана", "text": text,
            **fields}


def chat(messages, **fields) -> dict:
    return {"name": "Группа", "type": "private_group", "id": 1, **fields, "messages": messages}


def write(tmp_path, monkeypatch, content) -> str:
    (tmp_path / "result.json").write_bytes(content if isinstance(content, bytes) else
                                           json.dumps(content, ensure_ascii=False).encode())
    monkeypatch.chdir(tmp_path)
    return "result.json"


def error_of(path, **options) -> str:
    with pytest.raises(ExportError) as raised:
        list(telegram.read_messages(path, **options))
    return str(raised.value)


# ---------------------------------------------------------------- nesting

@pytest.mark.parametrize("backend", ["yajl2_c", "python"])
def test_read_messages_deep_nesting_is_refused_at_the_bracket(tmp_path, monkeypatch, backend):
    head = (b'{"name":"x","type":"private_group","id":1,"messages":[{"id":1,"type":"message",'
            b'"date":"2026-11-02T18:31:40","text":')
    path = write(tmp_path, monkeypatch, head + b"[" * 100_000 + b"]" * 100_000 + b"}]}")
    at = len(head) + telegram.MAX_DEPTH - 3        # root, messages and the message are levels 1-3
    assert error_of(path, backend=backend) == (
        f"result.json:1:{at + 1}: выгрузка Telegram повреждена: на байте {at} скобки «[» и «{{» вложены глубже 64 "
        f"уровней, а таких в выгрузках Telegram не бывает.\n" + REEXPORT + ".")


def test_read_messages_deep_nesting_on_a_later_line_names_line_and_column(tmp_path, monkeypatch):
    messages = ",\n".join(json.dumps(message(n)) for n in range(1, 3001))
    deep = '{"id":3001,"type":"message","date":"2026-11-02T18:31:40","text":"","x":\n' + "{\"a\":" * 70
    path = write(tmp_path, monkeypatch, f'{{"name":"x","type":"private_group","id":1,"messages":[\n{messages},\n{deep}'
                 .encode())
    content = (tmp_path / "result.json").read_bytes()
    at = content.rindex(b"\n") + 1 + 5 * 61             # level 4 is the first «{"a":», 65 the 62nd
    assert error_of(path).splitlines()[0] == (
        f"result.json:3003:{5 * 61 + 1}: выгрузка Telegram повреждена: на байте {at:,} скобки «[» и «{{» вложены "
        f"глубже 64 уровней, а таких в выгрузках Telegram не бывает.".replace(f"{at:,}", f"{at:,}".replace(",", " ")))


def test_read_messages_brackets_inside_strings_are_not_nesting(tmp_path, monkeypatch):
    text = "[" * 300 + '\\"{' * 300 + "\\" * 7 + '"[[['
    path = write(tmp_path, monkeypatch, chat([message(1, text), message(2)]))
    assert [m.text for m in telegram.read_messages(path)] == [text, "Текст"]


def test_list_chats_deep_nesting_in_the_head_is_refused(tmp_path, monkeypatch):
    path = write(tmp_path, monkeypatch, b'{"about":' + b"[" * 1000)
    assert error_of(path).splitlines()[0] == (
        "result.json:1:73: выгрузка Telegram повреждена: на байте 72 скобки «[» и «{» вложены глубже 64 уровней, "
        "а таких в выгрузках Telegram не бывает.")
    with pytest.raises(ExportError):
        telegram.list_chats(path)


JSON_TEXT = st.lists(st.sampled_from(["[", "]", "{", "}", "\\\\", '\\"', "\\n", "\\u005c", "a", "я", " ", "'"]),
                     max_size=40).map("".join)
TOKENS = st.lists(st.one_of(st.sampled_from(["[", "]", "{", "}", ",", ":", "1", " ", "\n"]),
                            JSON_TEXT.map(lambda s: f'"{s}"')), max_size=120)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(TOKENS, st.integers(0, 90), st.randoms(use_true_random=False))
def test_depth_guard_in_chunks_finds_the_same_byte_as_a_walk(tokens, depth, rng):
    data = ("[" * depth + "".join(tokens)).encode()
    walk = telegram._too_deep_at(data, 0, False, False)
    expected = walk if walk < len(data) else None
    guard, found, start = telegram._DepthGuard(), None, 0
    try:
        while start < len(data):
            size = rng.randint(1, 17)
            guard.check(data[start:start + size], start)
            start += size
    except telegram._TooDeep as refused:
        found = refused.offset
    assert found == expected


def test_depth_guard_costs_little_on_a_real_export():
    """The guard works with bytes methods: a 64 KiB chunk of ordinary messages is a handful of calls."""
    chunk = ",".join(json.dumps(message(n, "Текст с \"кавычками\" и [скобками]\n")) for n in range(400)).encode()
    guard = telegram._DepthGuard()
    guard.check(b'{"messages":[', 0)
    for start in range(0, len(chunk), 65536):
        guard.check(chunk[start:start + 65536], start)
    assert (guard.depth, guard.in_string) == (2, False)


# ---------------------------------------------------------------- ids

@pytest.mark.parametrize("token", [b"NaN", b"Infinity", b"-Infinity"])
@pytest.mark.parametrize("backend", ["yajl2_c", "python"])
def test_read_messages_nan_or_infinity_is_named(tmp_path, monkeypatch, token, backend):
    content = json.dumps(chat([message(1), message(777)])).encode().replace(b"777", token)
    path = write(tmp_path, monkeypatch, content)
    at = content.index(token)
    assert error_of(path, backend=backend).splitlines()[0] == (
        f"result.json:1:{at + 1}: выгрузка Telegram повреждена: на байте {at} вместо числа стоит «{token.decode()}», "
        f"после сообщения № 1 (id 1): так записывают «не число» и бесконечность в JavaScript, а в JSON и в "
        f"выгрузках Telegram их не бывает.")


def test_read_messages_nan_as_chat_id_is_damage_not_a_foreign_file(tmp_path, monkeypatch):
    content = b'{"name": "x", "type": "private_group", "id": NaN, "messages": []}'
    path = write(tmp_path, monkeypatch, content)
    assert error_of(path).splitlines()[0] == (
        "result.json:1:46: выгрузка Telegram повреждена: на байте 45 вместо числа стоит «NaN», до первого сообщения: "
        "так записывают «не число» и бесконечность в JavaScript, а в JSON и в выгрузках Telegram их не бывает.")


@pytest.mark.parametrize(("ident", "what"), [
    (1.5, "поле «id» должно быть целым числом, а в файле число 1.5"),
    (1e5, "поле «id» должно быть целым числом, а в файле число 100000.0"),
    (2**63, "поле «id» должно быть по модулю меньше 2⁶³, а в файле число 9223372036854775808"),
    (-2**63, "поле «id» должно быть по модулю меньше 2⁶³, а в файле число -9223372036854775808"),
    (10**40, "поле «id» должно быть по модулю меньше 2⁶³, а в файле число из 41 цифр"),
])
def test_read_messages_message_id_out_of_range_is_refused(tmp_path, monkeypatch, ident, what):
    path = write(tmp_path, monkeypatch, chat([message(ident)]))
    assert error_of(path).splitlines()[0] == f"result.json: сообщение (№ 1 по порядку в чате «Группа»): {what}."


def test_read_messages_negative_ids_of_migrated_history_are_read(tmp_path, monkeypatch):
    """tdesktop shifts the ids of a group's history before it became a supergroup by -1 000 000 000."""
    migrated = [message(-999_999_998), message(-999_999_997, reply_to_message_id=-999_999_998), message(1)]
    path = write(tmp_path, monkeypatch, chat(migrated))
    assert [(m.id, m.reply_to) for m in telegram.read_messages(path)] == [
        ("-999999998", None), ("-999999997", "-999999998"), ("1", None)]


@pytest.mark.parametrize(("ident", "shown"), [(0, "число 0"), (-1001234567890, "число -1001234567890"),
                                              (2**63, "число 9223372036854775808"), (None, None)])
def test_read_messages_chat_id_must_be_positive(tmp_path, monkeypatch, ident, shown):
    fields = {"id": ident} if ident is not None else {}
    content = chat([message(1)], **fields)
    if ident is None:
        del content["id"]
    path = write(tmp_path, monkeypatch, content)
    what = ("нет поля «id» чата" if ident is None else
            f"поле «id» чата должно быть положительным целым числом меньше 2⁶³, а в файле {shown}")
    assert error_of(path) == f"result.json: чат «Группа»: {what}.\n" + REEXPORT + "."


def test_read_messages_reply_id_out_of_range_is_refused(tmp_path, monkeypatch):
    path = write(tmp_path, monkeypatch, chat([message(1, reply_to_message_id=2**64)]))
    assert error_of(path).splitlines()[0] == (
        "result.json: сообщение id 1 (№ 1 по порядку в чате «Группа»): поле «reply_to_message_id» должно быть по "
        "модулю меньше 2⁶³, а в файле число 18446744073709551616.")


# ---------------------------------------------------------------- group chats only

@pytest.mark.parametrize(("kind", "name", "what"), [
    ("personal_chat", "Морозова Ирина", "личной переписки «Морозова Ирина»"),
    ("bot_chat", "Бот погоды", "переписки с ботом «Бот погоды»"),
    ("saved_messages", None, "«Избранного» (сообщений самому себе)"),
    ("replies", None, "чата «Ответы»"),
])
def test_read_messages_single_export_of_a_personal_chat_is_refused(tmp_path, monkeypatch, kind, name, what):
    content = chat([message(1)], type=kind, name=name)
    if name is None:
        del content["name"]
    path = write(tmp_path, monkeypatch, content)
    assert error_of(path) == (
        f"result.json: это выгрузка {what}, а не группы. {PRIVATE}\n"
        "  Как исправить: выгрузите историю группы учреждения: откройте группу в Telegram Desktop, в меню ⋮ выберите "
        "«Экспорт истории чата», формат «Машиночитаемый JSON».")


def test_read_messages_personal_chat_is_refused_before_any_message_is_read(tmp_path, monkeypatch):
    path = write(tmp_path, monkeypatch, chat([message(1), "не сообщение"], type="personal_chat"))
    assert error_of(path).startswith("result.json: это выгрузка личной переписки «Группа», а не группы.")


# ---------------------------------------------------------------- repeated ids

def test_read_messages_repeated_ids_are_counted_once_and_said(tmp_path, monkeypatch, caplog):
    messages = [message(n, f"сообщение {n}") for n in range(1, 6)] + [message(2, "другой текст"), message(3),
                                                                       message(-5), message(-5), message(4)]
    path = write(tmp_path, monkeypatch, chat(messages))
    caplog.set_level(logging.WARNING, logger="compliance")
    assert [(m.id, m.text) for m in telegram.read_messages(path)] == [
        ("1", "сообщение 1"), ("2", "сообщение 2"), ("3", "сообщение 3"), ("4", "сообщение 4"), ("5", "сообщение 5"),
        ("-5", "Текст")]
    assert [r.getMessage() for r in caplog.records] == [
        "result.json: в чате «Группа» записи с уже встречавшимся id пропущены, каждое сообщение учтено один раз "
        "(повторов: 4; id 2, 3, -5, 4). Выгрузка, сделанная Telegram Desktop, повторов не содержит: похоже, файл "
        "собран или правлен вручную."]


def test_read_chat_messages_same_id_in_two_chats_is_no_repeat(tmp_path, monkeypatch, caplog):
    account = {"about": "", "chats": {"about": "", "list": [chat([message(1), message(2)], id=10, name="А"),
                                                            chat([message(1), message(2)], id=20, name="Б")]}}
    path = write(tmp_path, monkeypatch, account)
    assert [(c.id, m.id) for c, m in telegram.read_chat_messages(path)] == [(10, "1"), (10, "2"), (20, "1"), (20, "2")]
    assert caplog.records == []


def test_ids_seen_out_of_order_are_still_found():
    ids, rng = telegram._Ids(), random.Random(8)
    values = [rng.randint(-10**12, 10**12) for _ in range(2000)]
    seen = set()
    for value in values + values[::3]:
        assert ids.add(value) is (value not in seen)
        seen.add(value)

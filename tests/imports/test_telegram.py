"""Telegram Desktop JSON exports → ChatMessage.

Layout facts the fixtures in data/ follow, and where they come from:
- The writer is tdesktop's Telegram/SourceFiles/export/output/export_output_json.cpp
  (github.com/telegramdesktop/tdesktop): every message is {"id", "type": "message" |
  "service" | "unsupported", "date" (Qt::ISODate of local time, no offset), "date_unixtime"
  (a string), "edited"/"edited_unixtime" only when edited, "from"/"from_id" (service:
  "actor"/"actor_id"; a deleted account's name is written as null), "forwarded_from",
  "reply_to_message_id", media keys ("photo", "file", "media_type": "sticker" with
  "sticker_emoji", "voice_message", …), "poll": {"question", "closed", "total_voters",
  "answers": [{"text", "voters", "chosen"}]}, "text" (a string, or a list of strings and
  {"type", "text", …} entity objects) and "text_entities" (always the list form)}.
  An "unsupported" entry has only "id" and "type".
- The same file: a one-chat export («Экспорт истории чата») has the chat object as its
  root ({"name", "type", "id", "messages"}; saved_messages and replies have no "name");
  the whole-account export («Экспорт данных Telegram») starts with "about" and keeps chats
  under "chats": {"about", "list": [...]} and channels left under "left_chats". Chat types:
  saved_messages, replies, personal_chat, bot_chat, private_group, private_supergroup,
  public_supergroup, private_channel, public_channel.
- Old exports wrote "edited": "1970-01-01T…" on messages never edited: the example JSON in
  https://git.silvavinicius.com.br/silva/ctci/commit/8e2f7d36858f1ee021d78fe64627dbed782b4212
  («Telegram export chat json file») has it on every message. Both forms are supported.
- The Russian name of the JSON format in the export dialog, «Машиночитаемый JSON», is
  quoted in user instructions found by code search (a Telegram import screen in a public
  repository); the English «Machine-readable JSON» is tdesktop's own label.
"""
from __future__ import annotations

import datetime
import json
from collections import Counter
from pathlib import Path

import pytest

from compliance.imports import ChatMessage, ExportError
from compliance.imports import telegram

DATA = Path(__file__).resolve().parent / "data"
REEXPORT = ("  Как исправить: выгрузите историю чата заново в Telegram Desktop («Экспорт истории чата», "
            "формат «Машиночитаемый JSON») и дождитесь окончания выгрузки")


@pytest.fixture
def in_data(monkeypatch):
    """Run from data/ so error messages carry short relative paths."""
    monkeypatch.chdir(DATA)


def read(path, **options) -> list[ChatMessage]:
    return list(telegram.read_messages(path, **options))


def error_of(path, **options) -> str:
    with pytest.raises(ExportError) as raised:
        read(path, **options)
    return str(raised.value)


def test_read_messages_single_chat_counts_every_kind_and_sender():
    messages = read(DATA / "telegram_chat" / "result.json")
    assert Counter(m.kind for m in messages) == {"text": 7, "service": 2, "media": 3, "sticker": 1, "poll": 1}
    assert Counter(m.sender for m in messages) == {"Белова Светлана": 8, "Аксёнова Мария": 3,
                                                   "Алиев Эльдар": 2, "": 1}
    assert [m.id for m in messages] == [str(n) for n in range(1, 16) if n != 14]  # 14 is "unsupported"


def test_read_messages_single_chat_flattens_entities_and_keeps_details():
    by_id = {m.id: m for m in read(DATA / "telegram_chat" / "result.json")}
    assert by_id["1"] == ChatMessage("1", datetime.datetime(2026, 11, 2, 18, 30, 11), "Белова Светлана", None,
                                     "", "service")
    assert by_id["3"].text == ("Напоминаем: сменная обувь обязательна. Расписание на сайте "
                               "https://ddt.example/raduga, вопросы — @ddt_raduga")
    assert by_id["4"].reply_to == "2"
    assert (by_id["5"].kind, by_id["5"].text) == ("media", "Работы ребят с занятия 3 ноября")
    assert (by_id["6"].kind, by_id["6"].text) == ("media", "")
    assert (by_id["7"].kind, by_id["7"].text, by_id["7"].sender) == ("sticker", "👍", "Алиев Эльдар")
    assert (by_id["8"].kind, by_id["8"].text) == (
        "poll", "Удобно ли перенести занятие 11 ноября на четверг?\nДа, удобно\nНет, только среда")
    assert (by_id["9"].edited, by_id["2"].edited) == (True, False)
    assert (by_id["10"].forwarded, by_id["9"].forwarded) == (True, False)
    assert (by_id["11"].kind, by_id["11"].text) == ("media", "")
    assert (by_id["12"].kind, by_id["12"].sender) == ("service", "Белова Светлана")
    assert (by_id["13"].sender, by_id["13"].text) == ("", "Добрый вечер, а кружок платный?")
    assert by_id["15"].text == "Спасибо Светлане Юрьевне! 🎨"
    assert by_id["15"].time == datetime.datetime(2026, 11, 7, 8, 2, 26)


def test_read_messages_python_backend_gives_the_same_messages():
    path = DATA / "telegram_chat" / "result.json"
    assert read(path, backend="python") == read(path, backend="yajl2_c")


def test_read_messages_folder_stands_for_its_result_json():
    assert read(DATA / "telegram_chat") == read(DATA / "telegram_chat" / "result.json")


def test_read_messages_reports_progress_in_bytes():
    seen = []
    read(DATA / "telegram_chat" / "result.json", progress=seen.append)
    assert sum(seen) == telegram.export_size(DATA / "telegram_chat") == (
        DATA / "telegram_chat" / "result.json").stat().st_size


def test_list_chats_single_chat_export_lists_its_chat():
    assert telegram.list_chats(DATA / "telegram_chat") == [
        telegram.ChatInfo(1987654321, "Изостудия «Радуга» — родители", "private_supergroup", 15)]


def test_list_chats_account_export_lists_three_chats():
    assert telegram.list_chats(DATA / "telegram_account" / "result.json") == [
        telegram.ChatInfo(6081127399, "Морозова Ирина", "personal_chat", 2),
        telegram.ChatInfo(4400112233, "Робототехника «Робикс» — родители", "private_group", 3),
        telegram.ChatInfo(1700200300, "Театральная студия «Маска»", "private_supergroup", 2),
    ]


def test_read_chat_messages_account_export_skips_personal_chats():
    pairs = list(telegram.read_chat_messages(DATA / "telegram_account" / "result.json"))
    assert [(chat.name, m.id, m.kind) for chat, m in pairs] == [
        ("Робототехника «Робикс» — родители", "1", "service"),
        ("Робототехника «Робикс» — родители", "2", "text"),
        ("Робототехника «Робикс» — родители", "3", "media"),
        ("Театральная студия «Маска»", "10", "text"),
        ("Театральная студия «Маска»", "11", "text"),
    ]


def test_read_messages_account_export_chat_id_of_a_personal_chat_is_refused(in_data):
    assert error_of("telegram_account/result.json", chat_id=6081127399) == (
        "telegram_account/result.json: чат id 6081127399 — личная переписка «Морозова Ирина», а не группа. "
        "Личная переписка не импортируется и не проверяется: это частная переписка людей, а Порядок касается "
        "только групп учреждения.\n"
        "  Как исправить: укажите в --chat id группового чата (их список: compliance import telegram ФАЙЛ "
        "--list-chats).")


def test_read_messages_account_export_unknown_chat_id_lists_group_chats_only(in_data):
    assert error_of("telegram_account/result.json", chat_id=5) == (
        "telegram_account/result.json: в выгрузке нет чата с id 5. Есть: "
        "4400112233 «Робототехника «Робикс» — родители» (private_group); "
        "1700200300 «Театральная студия «Маска»» (private_supergroup).\n"
        "  Как исправить: укажите id одного из этих чатов.")


def test_read_messages_single_chat_other_chat_id_is_refused(in_data):
    assert error_of("telegram_chat/result.json", chat_id=42) == (
        "telegram_chat/result.json: в выгрузке один чат «Изостудия «Радуга» — родители» (id 1987654321), "
        "а запрошен чат id 42.\n  Как исправить: укажите id 1987654321 или выгрузите нужный чат.")


@pytest.mark.parametrize("backend", ["yajl2_c", "python"])
def test_read_messages_truncated_file_says_where_it_ends(in_data, backend):
    assert error_of("telegram_truncated.json", backend=backend) == (
        "telegram_truncated.json:186:34: выгрузка Telegram повреждена: файл обрывается на байте 4 712, "
        "после сообщения № 8 (id 8): похоже, выгрузка не закончилась или файл скопирован не полностью.\n"
        + REEXPORT + ".")


def test_read_messages_truncated_file_yields_messages_before_the_break():
    seen = []
    with pytest.raises(ExportError):
        for message in telegram.read_messages(DATA / "telegram_truncated.json"):
            seen.append(message.id)
    assert seen == ["1", "2", "3", "4", "5", "6", "7", "8"]


def test_read_messages_wrong_types_names_the_message(in_data):
    assert error_of("telegram_wrong_types.json") == (
        "telegram_wrong_types.json: сообщение id 3 (№ 3 по порядку в чате «Изостудия «Радуга» — родители»): "
        "поле «text» должно быть строкой или списком, а в файле число 42.\n"
        + REEXPORT + "; если файл правили вручную, верните поле к виду, который даёт Telegram.")


def one_message_chat(tmp_path: Path, **fields) -> Path:
    entry = {"id": 7, "type": "message", "date": "2026-11-02T18:31:40", "from": "Белова Светлана", "text": "Текст"}
    entry.update(fields)
    entry = {key: value for key, value in entry.items() if value is not DROP}
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "Группа", "type": "private_group", "id": 1, "messages": [entry]},
                               ensure_ascii=False, indent=1), encoding="utf-8")
    return path


DROP = object()


@pytest.mark.parametrize(("fields", "what"), [
    ({"date": DROP}, "сообщение id 7 (№ 1 по порядку в чате «Группа»): нет даты (поле «date»)"),
    ({"date": 1793633500}, "сообщение id 7 (№ 1 по порядку в чате «Группа»): поле «date» должно быть строкой "
                           "с датой, а в файле число 1793633500"),
    ({"date": "вчера"}, "сообщение id 7 (№ 1 по порядку в чате «Группа»): дата «вчера» не распознана "
                        "(ожидается вид 2026-11-26T21:05:13)"),
    ({"id": "7"}, "сообщение (№ 1 по порядку в чате «Группа»): поле «id» должно быть целым числом, "
                  "а в файле строка «7»"),
    ({"from": 5}, "сообщение id 7 (№ 1 по порядку в чате «Группа»): поле «from» должно быть строкой, "
                  "а в файле число 5"),
    ({"text": ["a", 1]}, "сообщение id 7 (№ 1 по порядку в чате «Группа»): в поле «text» ожидались строки "
                         "и объекты с полем «text», а в файле число 1"),
    ({"reply_to_message_id": "2"}, "сообщение id 7 (№ 1 по порядку в чате «Группа»): поле «reply_to_message_id» "
                                   "должно быть целым числом, а в файле строка «2»"),
    ({"text": {"a": 1}}, "сообщение id 7 (№ 1 по порядку в чате «Группа»): поле «text» должно быть строкой "
                         "или списком, а в файле объект"),
    ({"type": 3}, "сообщение id 7 (№ 1 по порядку в чате «Группа»): поле «type» должно быть строкой, "
                  "а в файле число 3"),
    ({"edited": True}, "сообщение id 7 (№ 1 по порядку в чате «Группа»): поле «edited» должно быть строкой "
                       "с датой, а в файле логическое значение true"),
    ({"poll": {"question": "?", "answers": {}}}, "сообщение id 7 (№ 1 по порядку в чате «Группа»): "
                                                 "поле «poll.answers» должно быть списком, а в файле объект"),
])
def test_read_messages_wrong_field_type_is_an_export_error(tmp_path, monkeypatch, fields, what):
    one_message_chat(tmp_path, **fields)
    monkeypatch.chdir(tmp_path)
    assert error_of("result.json").splitlines()[0] == f"result.json: {what}."


def test_read_messages_entry_that_is_not_an_object_is_an_export_error(tmp_path, monkeypatch):
    (tmp_path / "result.json").write_text('{"name": "Группа", "type": "private_group", "id": 1, "messages": [1]}',
                                          encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert error_of("result.json").splitlines()[0] == (
        "result.json: сообщение (№ 1 по порядку в чате «Группа»): ожидался объект сообщения, а в файле число 1.")


def test_read_messages_old_export_unedited_marker_is_not_an_edit(tmp_path):
    path = one_message_chat(tmp_path, edited="1970-01-01T03:00:00")
    assert read(path)[0].edited is False


def test_read_messages_utf8_bom_is_skipped(tmp_path):
    source = DATA / "telegram_chat" / "result.json"
    path = tmp_path / "result.json"
    path.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    seen = []
    assert read(path, progress=seen.append) == read(source)
    assert sum(seen) == telegram.export_size(path) == source.stat().st_size


@pytest.mark.parametrize(("content", "message"), [
    (b"", "result.json: файл пуст.\n" + REEXPORT + "."),
    (b"<!DOCTYPE html>\n<html>", "result.json: это выгрузка в формате HTML, а нужен JSON.\n"
                                 "  Как исправить: в Telegram Desktop при экспорте выберите формат «Машиночитаемый JSON»."),
    (b"[1, 2]", "result.json: это не выгрузка Telegram: в начале файла нет ни списка «messages», ни раздела «chats».\n"
                "  Как исправить: укажите result.json из папки выгрузки Telegram Desktop."),
    ('{"name": "x"}'.encode("utf-16"), "result.json: файл в кодировке UTF-16, а Telegram выгружает JSON в UTF-8.\n"
                                       "  Как исправить: возьмите исходный result.json из папки выгрузки или "
                                       "сохраните файл в UTF-8."),
    (b'{"name": "x", "type": "private_group", "id": 1, "messages": [x]}',
     "result.json:1:62: выгрузка Telegram повреждена: на байте 61 неожиданный "
                                          "символ «x», до первого сообщения: файл повреждён или его правили вручную.\n"
                                          + REEXPORT + "."),
    (b'{"name": "x", "type": "private_group", "id": "1", "messages": []}',
     "result.json: чат «x»: поле «id» чата должно быть целым числом, а в файле строка «1».\n" + REEXPORT + "."),
    (b'{"about": "", "chats": {"list": [{"name": 5, "type": "private_group", "id": 1, "messages": []}]}}',
     "result.json: чат «1»: поле «name» чата должно быть строкой, а в файле число 5.\n" + REEXPORT + "."),
    (b'{"name": "x", "type": "private_group", "id": 1, "messages": [' + b"9" * 5000 + b"]}",
     "result.json:1:62: выгрузка Telegram повреждена: на байте 61 начинается число из 4 301 и более цифр, "
     "а таких в выгрузках Telegram не бывает.\n" + REEXPORT + "."),
])
def test_read_messages_unusable_file_is_explained(tmp_path, monkeypatch, content, message):
    (tmp_path / "result.json").write_bytes(content)
    monkeypatch.chdir(tmp_path)
    assert error_of("result.json") == message


def test_read_messages_missing_file_is_explained(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert error_of("нет.json") == ("нет.json: файл не найден.\n"
                                    "  Как исправить: укажите файл result.json из папки выгрузки Telegram Desktop.")

"""WhatsApp «Экспорт чата» text files → ChatMessage.

Layout facts the fixtures in data/whatsapp/ follow, and where they come from:
- Android lines are `{timestamp} - {author}: {message}`, iOS lines `[{timestamp}] {author}:
  {message}`; a line with a timestamp and no «author: » is a system message; messages span
  lines, continuation lines carry no prefix; an unsaved contact shows as a phone number:
  AyazKhuraishi/whatsapp-export-inconsistencies (fork of linuswillner/…),
  inconsistencies-messages/message-format.md and system-messages.md. The latter also says
  that on iOS the end-to-end encryption notice looks like a user message whose author is the
  group itself — read here as a system line.
- Timestamp shapes per locale and clock (`9/19/26, 9:52<U+202F>AM - ` for en-US 12-hour,
  `19/09/2026, 09:52 - ` for en-GB; the narrow no-break space U+202F before AM/PM; the comma
  may be missing, the time separator may be a dot), U+200E before attachment names, U+00A0
  inside Russian system text, `(file attached)` / `(файл добавлен)` for Android exports with
  media, `<Без медиафайлов>` for Android exports without media, and that a body line that
  looks like a timestamp cannot be told from a new message: SoongGuanLeong/footprint-messaging
  research notes «WhatsApp export format: locales, versions, and with-media exports».
- U+202F before AM/PM on newer versions: Pustur/whatsapp-chat-parser issue #248 and
  lucasrodes/whatstk issue #140 (lower-case `am`/`pm` with U+202F in en-IN/en-GB exports).
- Phone numbers wrapped in U+202A … U+202C on Android: pauloneves/bolsozap parse.py.
- The localized placeholders come from WhatsApp's own string tables as collected in
  starkdmi/whats_json lib/src/patterns.dart: iOS «изображение отсутствует» / «image omitted»,
  «видео отсутствует», «аудиофайл отсутствует», «стикер не добавлен», «документ отсутствует»
  (after the file name), `<прикреплено: …>` / `<attached: …>`; Android `<Без медиафайлов>` /
  `<Media omitted>`; deleted «Данное сообщение удалено» / «This message was deleted», own
  «Вы удалили данное сообщение» (also «Вы удалили это сообщение») / «You deleted this
  message»; «Пропущенный аудиозвонок» / «Missed voice call»; the Russian encryption notice
  «Сообщения и звонки защищены сквозным шифрованием. …»; «Your security code with … changed».
- The edited marker `<This message was edited>` at the end of the text: koftezz/whatsapp-chat-
  analyzer issue #18 (`03/06/2023, 6:12 am - author: sample message <This message was edited>`).
  No source shows the Russian marker; both «<Это сообщение было изменено>» (the issue brief)
  and «<сообщение изменено>» (a Russian keyword list in public code) are accepted.
- System verbs in Russian appear both as «добавил(а)» and «добавил(-а)» in public parsers;
  both are accepted. The iOS system line led by U+200E after the group name, and the poll
  layout (`POLL:` / `OPTION: … (N votes)`; «ОПРОС:» / «ВАРИАНТ:») are not confirmed by a
  source at hand: they are supported as described in the issue and marked as such here.
"""
from __future__ import annotations

import datetime
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from compliance.imports import ChatMessage, ExportError
from compliance.imports import whatsapp

DATA = Path(__file__).resolve().parent / "data" / "whatsapp"
REEXPORT = ("выгрузите чат заново: в WhatsApp откройте чат → «Ещё» → «Экспорт чата» → «Без медиафайлов» "
            "и передайте файл .txt без правки")


def read(path, **options) -> list[ChatMessage]:
    return list(whatsapp.read_messages(path, **options))


def error_of(path, **options) -> str:
    with pytest.raises(ExportError) as raised:
        read(path, **options)
    return str(raised.value)


def kinds(messages):
    return Counter(m.kind for m in messages)


def senders(messages):
    return Counter(m.sender for m in messages)


def test_read_messages_android_ru_counts_kinds_and_senders():
    messages = read(DATA / "android_ru.txt")
    assert kinds(messages) == {"system": 5, "text": 3, "deleted": 2, "media": 1}
    assert senders(messages) == {"": 5, "Белова Светлана": 2, "Аксёнова Мария": 2, "+7 912 345-67-89": 2}


def test_read_messages_android_ru_reads_lines_as_exported():
    by_id = {m.id: m for m in read(DATA / "android_ru.txt")}
    assert list(by_id) == ["1", "2", "3", "4", "5", "9", "10", "11", "12", "13", "14"]
    assert by_id["2"].text == "Белова Светлана создал(а) группу «Изостудия «Радуга»: родители»"
    assert by_id["5"] == ChatMessage(
        "5", datetime.datetime(2026, 11, 2, 9, 15), "Белова Светлана", None,
        "Уважаемые родители! Занятия в среду начинаются в 15:00.\nПросьба не опаздывать.\n\nСменная обувь обязательна.",
        "text")
    assert (by_id["10"].sender, by_id["10"].sender_phone, by_id["10"].kind) == ("+7 912 345-67-89", "+79123456789",
                                                                               "media")
    assert (by_id["12"].text, by_id["12"].edited) == ("Кабинет 12, второй этаж", True)
    assert by_id["13"].time == datetime.datetime(2026, 11, 13, 20, 40)
    assert (by_id["14"].kind, by_id["14"].text) == ("system", "+7 912 345-67-89 вышел(а)")


def test_read_messages_android_en_12h_reads_narrow_space_times():
    messages = read(DATA / "android_en_12h.txt")
    assert kinds(messages) == {"system": 4, "text": 2, "media": 2, "deleted": 1, "poll": 1}
    assert senders(messages) == {"": 4, "Svetlana Belova": 3, "Maria Aksenova": 2, "+1 (555) 010-0199": 1}
    by_id = {m.id: m for m in messages}
    assert by_id["4"].text == "Dear parents! Classes on Wednesday start at 3:00 PM.\nPlease be on time."
    assert [by_id[i].time for i in ("1", "7", "8", "9")] == [
        datetime.datetime(2026, 11, 1, 18, 30), datetime.datetime(2026, 11, 2, 12, 5),
        datetime.datetime(2026, 11, 3, 0, 40), datetime.datetime(2026, 11, 14, 22, 0)]
    assert (by_id["8"].sender_phone, by_id["8"].text, by_id["8"].edited) == ("+15550100199", "Is the class today?",
                                                                              True)
    assert (by_id["9"].kind, by_id["9"].text) == ("media", "Photo from the rehearsal")
    assert (by_id["11"].kind, by_id["11"].text) == ("poll", "Which day suits you?\nThursday\nFriday")


def test_read_messages_ios_ru_strips_marks_and_sorts_placeholders():
    messages = read(DATA / "ios_ru.txt")
    assert kinds(messages) == {"media": 4, "system": 3, "text": 2, "deleted": 1}
    assert senders(messages) == {"Белова Светлана": 4, "": 3, "Аксёнова Мария": 2, "+7 912 345-67-89": 1}
    by_id = {m.id: m for m in messages}
    assert by_id["3"].text == "Белова Светлана добавил(а) Аксёнова Мария"
    assert (by_id["9"].text, by_id["9"].edited) == ("Занятие переносится на четверг", True)
    # Every day is 12 or less: the dotted dates and Russian text make it day-first.
    assert by_id["11"].time == datetime.datetime(2026, 11, 12, 19, 0)
    assert all("\u200e" not in m.text and "\u202a" not in m.sender for m in messages)


def test_read_messages_ios_en_reads_seconds_and_system_lines():
    messages = read(DATA / "ios_en.txt")
    assert kinds(messages) == {"system": 4, "text": 3, "media": 2, "deleted": 1, "service": 1}
    assert senders(messages) == {"": 4, "Maria Aksenova": 4, "Svetlana Belova": 3}
    by_id = {m.id: m for m in messages}
    assert by_id["4"] == ChatMessage("4", datetime.datetime(2026, 11, 2, 9, 15), "Svetlana Belova", None,
                                     "Dear parents!\nClasses start at 3 PM.", "text")
    assert (by_id["10"].kind, by_id["10"].sender) == ("service", "Maria Aksenova")
    assert by_id["11"].text == "Your security code with Maria Aksenova changed. Tap to learn more."
    assert by_id["12"].time == datetime.datetime(2026, 11, 13, 19, 45, 30)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_read_messages_bom_and_utf16_read_the_same(tmp_path, encoding):
    text = (DATA / "android_ru.txt").read_text(encoding="utf-8")
    path = tmp_path / "chat.txt"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    assert read(path) == read(DATA / "android_ru.txt")


def test_read_messages_crlf_line_ends_read_the_same(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_bytes((DATA / "ios_en.txt").read_bytes().replace(b"\n", b"\r\n"))
    assert read(path) == read(DATA / "ios_en.txt")


AMBIGUOUS = "1/2/26, 9:15 AM - Anna: Hello\n3/4/26, 10:00 PM - Boris: Hi\n"


def test_read_messages_ambiguous_dates_without_hint_is_an_export_error(tmp_path, monkeypatch):
    (tmp_path / "chat.txt").write_text(AMBIGUOUS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert error_of("chat.txt") == (
        "chat.txt: не удаётся понять, что в датах идёт первым — день или месяц: во всех датах оба числа "
        "не больше 12, а язык выгрузки не русский.\n"
        "  Как исправить: укажите порядок явно: --date-order dmy (день/месяц/год) или --date-order mdy "
        "(месяц/день/год, как в США).")


@pytest.mark.parametrize(("order", "first"), [("mdy", datetime.datetime(2026, 1, 2, 9, 15)),
                                              ("dmy", datetime.datetime(2026, 2, 1, 9, 15))])
def test_read_messages_date_order_settles_ambiguous_dates(tmp_path, order, first):
    (tmp_path / "chat.txt").write_text(AMBIGUOUS, encoding="utf-8")
    assert read(tmp_path / "chat.txt", date_order=order)[0].time == first


def test_read_messages_day_above_twelve_beats_date_order(tmp_path):
    (tmp_path / "chat.txt").write_text(AMBIGUOUS + "3/14/26, 8:00 AM - Anna: Pi day\n", encoding="utf-8")
    assert [m.time.date() for m in read(tmp_path / "chat.txt", date_order="dmy")] == [
        datetime.date(2026, 1, 2), datetime.date(2026, 3, 4), datetime.date(2026, 3, 14)]


def test_read_messages_russian_text_makes_slash_dates_day_first(tmp_path):
    (tmp_path / "chat.txt").write_text("01/02/2026, 09:15 - Анна: Добрый день\n", encoding="utf-8")
    assert read(tmp_path / "chat.txt")[0].time == datetime.datetime(2026, 2, 1, 9, 15)


def test_read_messages_year_first_dates_need_no_order(tmp_path):
    (tmp_path / "chat.txt").write_text("2026-01-02 12:00 - John Doe: Hello\n", encoding="utf-8")
    assert read(tmp_path / "chat.txt")[0].time == datetime.datetime(2026, 1, 2, 12, 0)


@pytest.mark.parametrize(("content", "message"), [
    ("Привет всем\n01.11.2026, 18:30 - Анна: текст\n",
     "chat.txt:1: выгрузка WhatsApp: строка не похожа на начало сообщения WhatsApp: «Привет всем».\n"
     "  Как исправить: укажите файл .txt из выгрузки чата WhatsApp; в начале каждого сообщения должны стоять "
     "дата и время."),
    ("01.11.2026, 18:30 - Анна: текст\n31.02.2026, 10:00 - Анна: текст\n",
     "chat.txt:2: выгрузка WhatsApp: дата и время «31.02.2026, 10:00» не существуют (прочитано как день.месяц.год).\n"
     f"  Как исправить: {REEXPORT}."),
    ("11/1/26, 13:30 PM - Anna: text\n11/13/26, 1:30 PM - Anna: text\n",
     f"chat.txt:1: выгрузка WhatsApp: час «13» невозможен при 12-часовом времени с AM/PM.\n  Как исправить: {REEXPORT}."),
])
def test_read_messages_broken_lines_are_explained(tmp_path, monkeypatch, content, message):
    (tmp_path / "chat.txt").write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert error_of("chat.txt") == message


def test_read_messages_bad_utf8_names_the_line(tmp_path, monkeypatch):
    (tmp_path / "chat.txt").write_bytes("01.11.2026, 18:30 - Анна: текст\n".encode() + b"\xc0\xaf oops\n")
    monkeypatch.chdir(tmp_path)
    assert error_of("chat.txt") == (
        "chat.txt:2: выгрузка WhatsApp: байт 0xC0 в позиции 1 не является текстом в UTF-8.\n"
        "  Как исправить: сохраните файл в кодировке UTF-8 или выгрузите чат заново.")


def test_read_messages_endless_line_is_refused(tmp_path, monkeypatch):
    (tmp_path / "chat.txt").write_bytes(b"01.11.2026, 18:30 - A: " + b"x" * (whatsapp.MAX_LINE + 10))
    monkeypatch.chdir(tmp_path)
    assert error_of("chat.txt") == (
        "chat.txt:1: выгрузка WhatsApp: строка длиннее 1024 КиБ.\n"
        f"  Как исправить: похоже, файл не является выгрузкой WhatsApp или повреждён; {REEXPORT}.")


def test_read_messages_unknown_date_order_is_refused(tmp_path):
    (tmp_path / "chat.txt").write_text(AMBIGUOUS, encoding="utf-8")
    assert error_of(tmp_path / "chat.txt", date_order="ymd") == (
        "порядок даты «ymd» не поддерживается.\n"
        "  Как исправить: укажите dmy (день.месяц.год) или mdy (месяц/день/год).")


def test_read_messages_reports_progress_in_bytes():
    seen = []
    read(DATA / "android_ru.txt", progress=seen.append)
    assert sum(seen) == (DATA / "android_ru.txt").stat().st_size


def test_read_messages_empty_file_has_no_messages(tmp_path):
    (tmp_path / "chat.txt").write_bytes(b"")
    assert read(tmp_path / "chat.txt") == []


def test_read_messages_ios_zip_reads_its_chat_txt(tmp_path):
    """iOS shares the export as a .zip holding _chat.txt (lucasrodes/whatstk docs, «Export chat»)."""
    archive = tmp_path / "WhatsApp Chat - Изостудия.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(DATA / "ios_ru.txt", "_chat.txt")
        z.writestr("00000012-PHOTO-2026-11-02-09-17-02.jpg", b"\xff\xd8\xff")
    seen = []
    assert read(archive, progress=seen.append) == read(DATA / "ios_ru.txt")
    assert sum(seen) == whatsapp.export_size(archive) == (DATA / "ios_ru.txt").stat().st_size


def test_read_messages_zip_without_one_chat_txt_is_explained(tmp_path, monkeypatch):
    with zipfile.ZipFile(tmp_path / "chat.zip", "w") as z:
        z.writestr("a.txt", "x")
        z.writestr("b.txt", "y")
    monkeypatch.chdir(tmp_path)
    assert error_of("chat.zip") == (
        "chat.zip: в архиве должен быть один файл переписки .txt, а найдено: a.txt, b.txt.\n"
        "  Как исправить: укажите сам файл .txt или архив, созданный командой «Экспорт чата».")


def test_read_messages_damaged_zip_is_explained(tmp_path, monkeypatch):
    with zipfile.ZipFile(tmp_path / "chat.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_chat.txt", (DATA / "android_ru.txt").read_bytes() * 50)
    data = bytearray((tmp_path / "chat.zip").read_bytes())
    data[200:260] = b"\x00" * 60
    (tmp_path / "chat.zip").write_bytes(bytes(data))
    monkeypatch.chdir(tmp_path)
    assert error_of("chat.zip") == ("chat.zip: архив выгрузки WhatsApp повреждён, переписку из него не прочитать.\n"
                                    f"  Как исправить: {REEXPORT}.")


def test_read_messages_utf16_progress_counts_bytes(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_bytes((DATA / "android_ru.txt").read_text(encoding="utf-8").encode("utf-16"))
    seen = []
    read(path, progress=seen.append)
    assert sum(seen) == path.stat().st_size == whatsapp.export_size(path)


def test_read_double_send_in_one_minute_is_two_messages(tmp_path):
    """Android exports have minutes only: a message sent twice in a minute gives two lines the same but for their place."""
    path = tmp_path / "chat.txt"
    path.write_text("08.11.2026, 12:00 - Антонова Галина: Продаю костюм\n"
                    "08.11.2026, 12:00 - Антонова Галина: Продаю костюм\n", encoding="utf-8")
    assert [(m.id, m.time, m.sender, m.text, m.kind) for m in read(path)] == [
        ("1", datetime.datetime(2026, 11, 8, 12, 0), "Антонова Галина", "Продаю костюм", "text"),
        ("2", datetime.datetime(2026, 11, 8, 12, 0), "Антонова Галина", "Продаю костюм", "text")]

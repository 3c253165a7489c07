"""`compliance import telegram|whatsapp` end to end on a copy of the sample records.

The exports are written here in the layouts the apps produce: Telegram Desktop's JSON
(«Экспорт истории чата» and «Экспорт данных Telegram», as written by export_output_json.cpp in
telegramdesktop/tdesktop: "messages" with "id", "type", "date", "from"/"actor", "text" as a string
or a list of strings and entity objects) and WhatsApp's Android text in Russian
(«ДД.ММ.ГГГГ, ЧЧ:ММ - Имя: текст», continuation lines, a phone number wrapped in direction marks
for a sender not in the contacts; see tests/imports/test_whatsapp.py for the sources).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from pathlib import Path

import pytest

from compliance.cli import imports as imports_cli
from compliance.store.chat_import import scalar
from extract import squash, text_of
from cli_support import added_lines, copy_sample, fingerprint, run

ROOT = Path(__file__).resolve().parents[2]
LOG = Path("records") / "log" / "2026-11.yaml"
TODAY = dt.date(2026, 11, 26)

# Planted personal data: none of these may reach records/, out/ or the output, in any formatting.
PHONE = "+7 912 345-67-89"
SNILS = "112-233-445 95"
PASSPORT = "4510 123456"
CARD = "4276 1600 1234 5675"
WA_PHONE = "+7 916 555-44-33"          # a WhatsApp sender not in the contacts
WA_PASSPORT = "4510 654321"
PLANTED = {"телефон": ["79123456789", "89123456789", "9123456789"], "СНИЛС": ["11223344595"],
           "паспорт": ["4510123456"], "карта": ["4276160012345675"],
           "телефон отправителя WhatsApp": ["79165554433", "89165554433", "9165554433"],
           "паспорт в WhatsApp": ["4510654321"]}


@pytest.fixture
def records(tmp_path, monkeypatch):
    copy_sample(tmp_path, monkeypatch, today=TODAY, modules=(imports_cli,))
    ticks = iter([10.0, 10.4, 20.0, 20.2, 30.0, 30.1, 40.0, 40.1])
    monkeypatch.setattr(imports_cli, "_clock", lambda: next(ticks))
    return Path("records")


# ---------------------------------------------------------------- exports

def tg_message(ident, when, sender, text, **extra):
    entities = ([{"type": "plain", "text": text}] if isinstance(text, str) and text else
                [p if isinstance(p, dict) else {"type": "plain", "text": p} for p in text] if isinstance(text, list) else [])
    entry = {"id": ident, "type": "message", "date": when,
             "date_unixtime": str(int(dt.datetime.fromisoformat(when).replace(tzinfo=dt.timezone.utc).timestamp())),
             "from": sender, "from_id": f"user{5120000000 + len(sender)}"}
    entry.update(extra)
    entry.update(text=text, text_entities=entities)
    return entry


def tg_service(ident, when, actor, members):
    return {"id": ident, "type": "service", "date": when, "date_unixtime": "1793633411", "actor": actor,
            "actor_id": "user5120034871", "action": "invite_members", "members": members, "text": "", "text_entities": []}


LONG = ("Уважаемые участники похода! Напоминаю, что во время похода связь со мной по телефону "
        f"{PHONE}, а по всем остальным вопросам пишите в группу, я отвечу вечером, когда вернёмся на базу. "
        "Просьба не забыть спальники, коврики, фонарики и запасные носки.")

TOURISTS = [
    tg_message(1, "2026-10-28T18:00:00", "Лаптев Игорь", "Поход по родному краю: сбор 01.11.2026 в 09:00 у ДДТ."),
    tg_service(2, "2026-11-02T10:00:00", "Лаптев Игорь", ["Бабушкин Егор"]),
    tg_message(3, "2026-11-02T10:05:00", "Лаптев Игорь",
               "Уважаемые участники! Сбор на пеший поход 21.11.2026 в 09:00 у входа в ДДТ."),
    tg_message(4, "2026-11-03T17:20:00", "Бабушкин Егор", f"Мой телефон {PHONE}, звоните если что"),
    tg_message(5, "2026-11-05T22:40:00", "Турист 2011", "Кто идёт в поход?"),
    tg_message(6, "2026-11-10T12:00:00", "Васильев Ярослав", "Продам велосипед, почти новый, недорого", reply_to_message_id=3),
    tg_message(7, "2026-11-12T15:00:00", "Мама Никиты",
               ["СНИЛС сына ", {"type": "bold", "text": SNILS}, f", паспорт {PASSPORT}, карта {CARD} — для оформления"]),
    tg_message(8, "2026-11-15T16:00:00", "Бабушкин Егор", "", file="(File not included. Change data exporting settings to download.)",
               media_type="sticker", sticker_emoji="👍"),
    tg_message(9, "2026-11-18T08:30:00", "Лаптев Игорь", LONG),
    tg_message(10, "2026-11-20T19:00:00", "Турист 2011", "Спасибо за поход!",
               edited="2026-11-20T19:02:00", edited_unixtime="1795374120"),
    tg_message(11, "2026-11-25T09:30:00", "Лаптев Игорь", "Фотоотчёт о походе",
               photo="(File not included. Change data exporting settings to download.)", width=1280, height=960),
]


def write_telegram(path: Path, messages=TOURISTS, name="Юные туристы ДДТ") -> Path:
    chat = {"name": name, "type": "private_supergroup", "id": 1777000111, "messages": messages}
    path.write_text(json.dumps(chat, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def write_account(path: Path) -> Path:
    def chat(name, kind, ident, messages):
        return {"name": name, "type": kind, "id": ident, "messages": messages}

    account = {
        "about": "Here is the data you requested. Remember: Telegram is ad free, it doesn't sell your data.",
        "personal_information": {"user_id": 5120034871, "first_name": "Игорь", "last_name": "Лаптев",
                                 "phone_number": "+7 900 000 00 00", "bio": ""},
        "chats": {"about": "This page lists all chats from this export.", "list": [
            chat("Морозова Ирина", "personal_chat", 4000000001,
                 [tg_message(1, "2026-11-02T09:00:00", "Морозова Ирина", "Добрый день!")]),
            chat("Юные туристы ДДТ", "private_supergroup", 1777000111, TOURISTS),
            chat("Педсовет", "private_group", 1777000222,
                 [tg_message(1, "2026-11-03T14:00:00", "Лаптев Игорь", "Педсовет в пятницу в 14:00.")]),
        ]},
    }
    path.write_text(json.dumps(account, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


WHATSAPP = f"""\
28.10.2026, 19:00 - Гришина Ольга: Репетиция в субботу в 11:00.
01.11.2026, 18:30 - Сообщения и звонки защищены сквозным шифрованием. Третьи лица, включая WhatsApp, не могут прочитать ваши сообщения или прослушать звонки.
01.11.2026, 18:31 - Гришина Ольга добавил(а) \u202a{WA_PHONE}\u202c
02.11.2026, 09:15 - Гришина Ольга: Уважаемые родители! Репетиция в субботу в 11:00.
Просьба не опаздывать.
02.11.2026, 09:20 - Антонова Галина: Спасибо, будем!
03.11.2026, 21:40 - \u202a{WA_PHONE}\u202c: Продаю костюм для выступления, пишите в личку
05.11.2026, 12:00 - Медведева Инна: Мой паспорт {WA_PASSPORT}, если нужно для поездки.
Если что, звоните.
06.11.2026, 12:01 - Медведева Инна: <Без медиафайлов>
07.11.2026, 10:00 - \u202a{WA_PHONE}\u202c: Данное сообщение удалено
"""


def write_whatsapp(path: Path, text: str = WHATSAPP) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- telegram

TOURISTS_SUMMARY = """\
Импорт выгрузки Telegram result.json за ноябрь 2026 г.: группа «Юные туристы ДДТ» (tourists-students).
Прочитано записей: 11; за ноябрь 2026 г. — 10 (сообщений участников — 9, служебных — 1).
Вне месяца: 1 (раньше — 1, позже — 0); не импортированы.
Сообщения по отправителям:
  Лаптев И.В. — 3
  Бабушкин Е.С. — 2
  неизвестный 1 — 2
  Васильев Я.Е. — 1
  неизвестный 2 — 1
Не сопоставлены с людьми из people.yaml — 2 отправителя (имена — как их показывает чат; в журнал не записываются):
  неизвестный 1 — «Турист 2011», 2 сообщения
  неизвестный 2 — «Мама Никиты», 1 сообщение
  Как сопоставить: если это человек из people.yaml, укажите его при импорте: --map "Турист 2011=ID" (номер — --map "+7 9XX XXX-XX-XX=ID"; много — --map-file ФАЙЛ со строками «имя в чате=ID»); если его там нет — добавьте его в people.yaml.
Замечания проверки переписки: 6 (новых — 6, уже были в журнале — 0):
  персональные данные — 3
  личная тема — 1
  тихие часы — 1
  устаревшее объявление — 1
Записано в records/log/2026-11.yaml: счётчики выгрузки и 6 замечаний.
Рассмотрите замечания: compliance findings --month 2026-11 --group tourists-students --status новое
Время: 0,4 с.
"""

TOURISTS_LOG = """\

# Импорт выгрузок переписки: только счётчики, тексты сообщений не сохраняются.
imports:
  - group: tourists-students
    source: telegram
    file: {digest}
    first: 2026-11-02
    last: 2026-11-25
    messages: 9
    senders:
      laptev-iv: 3  # Лаптев И.В.
      st-049: 2  # Бабушкин Е.С.
      неизвестный 1: 2
      st-050: 1  # Васильев Я.Е.
      неизвестный 2: 1
    unknown_senders: 2

# Замечания проверки переписки; status: новое, подтверждено или отклонено.
# Рассмотреть: compliance findings confirm|dismiss ID --note "…".
findings:
  - id: f-tourists-students-202611-3-outdated
    group: tourists-students
    message: "3"
    date: 2026-11-02
    time: "10:05"
    sender: laptev-iv  # Лаптев И.В.
    category: устаревшее объявление
    clause: "3"
    excerpt: "Уважаемые участники! Сбор на пеший поход 21.11.2026 в 09:00 у входа в ДДТ."
    status: новое
  - id: f-tourists-students-202611-4-pd
    group: tourists-students
    message: "4"
    date: 2026-11-03
    time: "17:20"
    sender: st-049  # Бабушкин Е.С.
    category: персональные данные
    clause: "4"
    excerpt: "Мой телефон +7 9** ***-**-89, звоните если что"
    status: новое
  - id: f-tourists-students-202611-5-quiet
    group: tourists-students
    message: "5"
    date: 2026-11-05
    time: "22:40"
    category: тихие часы
    clause: "5.1"
    excerpt: "Кто идёт в поход?"
    status: новое
  - id: f-tourists-students-202611-6-topic
    group: tourists-students
    message: "6"
    date: 2026-11-10
    time: "12:00"
    sender: st-050  # Васильев Я.Е.
    category: личная тема
    clause: "5.2"
    excerpt: "Продам велосипед, почти новый, недорого"
    status: новое
  - id: f-tourists-students-202611-7-pd
    group: tourists-students
    message: "7"
    date: 2026-11-12
    time: "15:00"
    category: персональные данные
    clause: "4"
    excerpt: "СНИЛС сына ***-***-*** 95, паспорт **** ****56, карта **** **** **** **75 — для оформления"
    status: новое
  - id: f-tourists-students-202611-9-pd
    group: tourists-students
    message: "9"
    date: 2026-11-18
    time: "08:30"
    sender: laptev-iv  # Лаптев И.В.
    category: персональные данные
    clause: "4"
    excerpt: "{long}"
    status: новое"""


def test_import_telegram_prints_the_summary_and_writes_counts_and_findings(records, tmp_path):
    export = write_telegram(tmp_path / "result.json")
    before = LOG.read_text(encoding="utf-8")
    result = run("import", "telegram", str(export), "--group", "tourists-students")
    assert result.exit_code == 0, result.output
    assert result.stdout == TOURISTS_SUMMARY
    assert result.stderr == ""
    digest = scalar(hashlib.sha256(export.read_bytes()).hexdigest())   # quoted when it starts with a digit
    long = "…что во время похода связь со мной по телефону +7 9** ***-**-89, а по всем остальным вопросам пишите в группу, я…"
    assert "\n".join(added_lines(before, LOG.read_text(encoding="utf-8"))) == TOURISTS_LOG.format(digest=digest, long=long)
    assert len(long) <= 120


def test_import_telegram_again_adds_nothing(records, tmp_path):
    export = write_telegram(tmp_path / "result.json")
    assert run("import", "telegram", str(export), "--group", "tourists-students").exit_code == 0
    state = fingerprint(records)
    result = run("import", "telegram", str(export), "--group", "tourists-students")
    assert result.exit_code == 0
    assert result.stdout == ("Выгрузка result.json уже импортирована в группу tourists-students за ноябрь 2026 г.; "
                             "ничего не добавлено.\nВремя: 0,2 с.\n")
    assert fingerprint(records) == state


def test_import_telegram_later_export_adds_only_the_new_message(records, tmp_path):
    assert run("import", "telegram", str(write_telegram(tmp_path / "result.json")), "--group", "tourists-students").exit_code == 0
    later = write_telegram(tmp_path / "later.json", TOURISTS + [
        tg_message(12, "2026-11-27T23:10:00", "Бабушкин Егор", "Спасибо!")])
    result = run("import", "telegram", str(later), "--group", "tourists-students")
    assert result.exit_code == 0, result.output
    assert "Прежний импорт этой группы за ноябрь 2026 г. заменён: сообщений было 9, стало 10.\n" in result.stdout
    assert "Замечания проверки переписки: 7 (новых — 1, уже были в журнале — 6):\n" in result.stdout
    text = LOG.read_text(encoding="utf-8")
    assert text.count("  - group: tourists-students\n") == 1 and "    messages: 10\n" in text
    assert text.count("id: f-tourists-students-202611-") == 7 and "id: f-tourists-students-202611-12-quiet" in text


def test_import_telegram_with_month_outside_the_latest(records, tmp_path):
    export = write_telegram(tmp_path / "result.json")
    result = run("import", "telegram", str(export), "--group", "tourists-students", "--month", "2026-10")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        "Импорт выгрузки Telegram result.json за октябрь 2026 г.: группа «Юные туристы ДДТ» (tourists-students).",
        "Прочитано записей: 11; за октябрь 2026 г. — 1 (сообщений участников — 1, служебных — 0).",
        "Вне месяца: 10 (раньше — 0, позже — 10); не импортированы."]
    assert "Создан журнал records/log/2026-10.yaml: счётчики выгрузки, новых замечаний нет." in result.stdout
    assert (records / "log" / "2026-10.yaml").read_text(encoding="utf-8").splitlines()[:4] == [
        "# Журнал администраторов групп за октябрь 2026 г.", "# Персональные данные в описания не вносятся.", "",
        'month: "2026-10"']
    assert run("check").exit_code in (0, 1)


def test_import_damaged_export_exits_2_and_leaves_records_untouched(records, tmp_path):
    export = write_telegram(tmp_path / "result.json")
    export.write_bytes(export.read_bytes()[:3000])
    state = fingerprint(records)
    result = run("import", "telegram", str(export), "--group", "tourists-students")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert re.fullmatch(r".*result\.json:\d+:\d+: выгрузка Telegram повреждена: файл обрывается на байте 3 000, "
                        r"после сообщения № 6 \(id 6\): похоже, выгрузка не закончилась или файл скопирован не полностью\.", lines[0]), lines
    assert lines[1].startswith("  Как исправить: выгрузите историю чата заново в Telegram Desktop")
    assert "Traceback" not in result.output
    assert fingerprint(records) == state


@pytest.mark.parametrize(("args", "message"), [
    (["--group", "robiks"], "Группы «robiks» нет в groups.yaml.\n  Как исправить: укажите в --group id группы "
                            "(есть: raduga-parents, maska-parents, robiks-parents, zvonnitsa-parents, tourists-students, "
                            "staff-methodical)."),
    (["--group", "raduga-parents"], "Группа «ДДТ. Изостудия «Радуга». Родители» (raduga-parents) ведётся в MAX, а выгрузка — "
                                    "из Telegram.\n  Как исправить: укажите группу, которая ведётся в Telegram "
                                    "(tourists-students), или исправьте messenger группы в groups.yaml."),
    ([], "result.json: чат называется «Туристы» (в выгрузке) и не совпадает с названием ни одной группы Telegram "
         "в groups.yaml; не понять, какой это группы переписка.\n  Как исправить: укажите группу: --group ГРУППА "
         "(tourists-students) или исправьте название группы (title) в groups.yaml, чтобы оно совпадало с названием "
         "чата."),
])
def test_import_telegram_wrong_group_exits_2(records, tmp_path, args, message):
    export = write_telegram(tmp_path / "result.json", name="Туристы")
    state = fingerprint(records)
    result = run("import", "telegram", str(export), *args)
    assert (result.exit_code, result.stderr) == (2, message + "\n")
    assert fingerprint(records) == state


def test_import_missing_file_exits_2(records):
    result = run("import", "whatsapp", "нет.txt", "--group", "zvonnitsa-parents")
    assert (result.exit_code, result.stderr) == (2, "нет.txt: файл не найден.\n  Как исправить: укажите файл .txt "
                                                    "(или .zip) из выгрузки чата WhatsApp.\n")


def test_import_account_export_without_chat_lists_the_group_chats(records, tmp_path):
    export = write_account(tmp_path / "result.json")
    state = fingerprint(records)
    result = run("import", "telegram", str(export), "--group", "tourists-students")
    assert result.exit_code == 2
    assert result.stderr == (
        "result.json: это выгрузка всего аккаунта Telegram, в ней несколько групповых чатов:\n"
        "    1777000111  «Юные туристы ДДТ» — супергруппа, 11 записей\n"
        "    1777000222  «Педсовет» — группа, 1 запись\n"
        "  Как исправить: укажите нужный чат: --chat ID.\n")
    assert fingerprint(records) == state
    listed = run("import", "telegram", str(export), "--list-chats")
    assert (listed.exit_code, listed.stdout) == (0, (
        "Групповые чаты в выгрузке result.json (личные чаты не показываются и не импортируются):\n"
        "  1777000111  «Юные туристы ДДТ» — супергруппа, 11 записей\n"
        "  1777000222  «Педсовет» — группа, 1 запись\n"
        "Импорт одного из них: compliance import telegram ФАЙЛ --chat ID --group ГРУППА\n"))


def test_import_account_export_with_chat_imports_that_chat(records, tmp_path):
    export = write_account(tmp_path / "result.json")
    result = run("import", "telegram", str(export), "--group", "tourists-students", "--chat", "1777000111")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "Прочитано записей: 11; за ноябрь 2026 г. — 10 (сообщений участников — 9, служебных — 1)."


def test_import_progress_goes_to_stderr_and_logs_carry_no_text(records, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="compliance")
    export = write_telegram(tmp_path / "result.json")
    result = run("-v", "import", "telegram", str(export), "--group", "tourists-students", "--progress")
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == (TOURISTS_SUMMARY, "Чтение и проверка выгрузки\n")
    logged = [r.getMessage() for r in caplog.records]
    assert logged == [
        "Загрузка записей из records", "Отпечаток выгрузки result.json", "Чтение выгрузки",
        "Проверка содержания за 2026-11", "Запись журнала records/log/2026-11.yaml", "Проверка записей перед записью"]


# ---------------------------------------------------------------- whatsapp

def test_import_whatsapp_names_unknown_senders_without_their_numbers(records, tmp_path):
    export = write_whatsapp(tmp_path / "Чат WhatsApp с Звонница. Родители.txt")
    result = run("import", "whatsapp", str(export), "--group", "zvonnitsa-parents")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:12] == [
        "Импорт выгрузки WhatsApp Чат WhatsApp с Звонница. Родители.txt за ноябрь 2026 г.: группа «Звонница. Родители» "
        "(zvonnitsa-parents).",
        "Прочитано записей: 9; за ноябрь 2026 г. — 8 (сообщений участников — 6, служебных — 2).",
        "Вне месяца: 1 (раньше — 1, позже — 0); не импортированы.",
        "Сообщения по отправителям:",
        "  Медведева И.Б. — 2",
        "  неизвестный 1 — 2",
        "  Гришина О.В. — 1",
        "  Антонова Г.С. — 1",
        "Не сопоставлены с людьми из people.yaml — 1 отправитель (имена — как их показывает чат; в журнал не "
        "записываются):",
        "  неизвестный 1 — номер +7 9** ***-**-33, 2 сообщения",
        "  Как сопоставить: если это человек из people.yaml, укажите его при импорте: --map \"Имя в чате=ID\" "
        "(номер — --map \"+7 9XX XXX-XX-XX=ID\"; много — --map-file ФАЙЛ со строками «имя в чате=ID»); если его там "
        "нет — добавьте его в people.yaml.",
        "Замечания проверки переписки: 3 (новых — 3, уже были в журнале — 0):"]
    ids = re.findall(r"id: (f-zvonnitsa-parents-\S+)", LOG.read_text(encoding="utf-8"))
    assert [re.sub(r"-[0-9a-f]{4}-", "-XXXX-", i) for i in ids] == [
        "f-zvonnitsa-parents-202611-032140-XXXX-topic", "f-zvonnitsa-parents-202611-032140-XXXX-quiet",
        "f-zvonnitsa-parents-202611-051200-XXXX-pd"]


def test_import_whatsapp_longer_export_keeps_earlier_findings(records, tmp_path):
    """A later export starts with more lines above, so every line number shifts: ids must not."""
    first = write_whatsapp(tmp_path / "first.txt")
    assert run("import", "whatsapp", str(first), "--group", "zvonnitsa-parents").exit_code == 0
    ids = re.findall(r"id: (f-zvonnitsa-\S+)", LOG.read_text(encoding="utf-8"))
    later = write_whatsapp(tmp_path / "later.txt", "27.10.2026, 10:00 - Гришина Ольга: Добрый день!\nВторая строка.\n"
                           + WHATSAPP + "08.11.2026, 23:30 - Антонова Галина: Спокойной ночи\n")
    result = run("import", "whatsapp", str(later), "--group", "zvonnitsa-parents")
    assert result.exit_code == 0, result.output
    assert "Замечания проверки переписки: 4 (новых — 1, уже были в журнале — 3):" in result.stdout
    assert re.findall(r"id: (f-zvonnitsa-\S+)", LOG.read_text(encoding="utf-8"))[:3] == ids


# ---------------------------------------------------------------- data protection

def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def readable(path: Path) -> str:
    if path.suffix in (".docx", ".xlsx", ".pdf"):
        return text_of(path)
    return path.read_bytes().decode("utf-8", "replace")


def test_planted_personal_data_never_reaches_records_outputs_or_the_terminal(records, tmp_path):
    telegram = write_telegram(tmp_path / "result.json")
    whatsapp = write_whatsapp(tmp_path / "chat.txt")
    shown = []
    for args in (["import", "telegram", str(telegram), "--group", "tourists-students", "--progress"],
                 ["import", "whatsapp", str(whatsapp), "--group", "zvonnitsa-parents", "--progress"],
                 ["findings"], ["check"], ["build", "--out", "out"]):
        result = run("-v", *args)
        assert result.exit_code in (0, 1), result.output
        shown.append(result.output)
    planted = digits(telegram.read_text(encoding="utf-8") + whatsapp.read_text(encoding="utf-8"))
    assert all(any(number in planted for number in numbers) for numbers in PLANTED.values())   # the search can find them
    files = sorted(p for root in (Path("records"), Path("out")) for p in root.rglob("*") if p.is_file())
    assert any(p.name == "Отчёт_2026-11.pdf" for p in files)
    texts = {str(p): digits(readable(p)) for p in files}
    texts["вывод команд"] = digits("\n".join(shown))
    leaks = [(what, where) for what, numbers in PLANTED.items() for number in numbers
             for where, text in texts.items() if number in text]
    assert leaks == []
    names = {str(p): readable(p) for p in files}      # unknown senders are named on the terminal only
    assert [where for where, text in names.items() for name in ("Турист 2011", "Мама Никиты") if name in text] == []
    assert "«Мама Никиты», 1 сообщение" in "\n".join(shown)
    report = squash(text_of(Path("out") / "Отчёт_2026-11.pdf"))
    assert squash("персональные данные: Мой телефон +7 9** ***-**-89") in report     # the findings are there, masked
    excerpts = re.findall(r'^    excerpt: "(.*)"$', LOG.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(excerpts) == 9 and max(len(e) for e in excerpts) <= 120


def test_import_group_lists_its_commands():
    result = run("import", "--help")
    assert result.exit_code == 0
    commands = result.output.split("Команды:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in commands] == ["roster", "telegram", "whatsapp"]


def test_import_of_an_earlier_month_does_not_stop_the_latest_one(records, tmp_path):
    export = write_telegram(tmp_path / "result.json")
    assert run("import", "telegram", str(export), "--group", "tourists-students", "--month", "2026-10").exit_code == 0
    latest = run("import", "telegram", str(export), "--group", "tourists-students")
    assert latest.exit_code == 0, latest.output
    assert latest.stdout == TOURISTS_SUMMARY.replace("Время: 0,4 с.", "Время: 0,2 с.")
    again = run("import", "telegram", str(export), "--group", "tourists-students", "--month", "2026-10")
    assert again.stdout == ("Выгрузка result.json уже импортирована в группу tourists-students за октябрь 2026 г.; "
                            "ничего не добавлено.\nВремя: 0,1 с.\n")


# ---------------------------------------------------------------- double sends, several exports, mapping

DOUBLE = WHATSAPP + """\
08.11.2026, 12:00 - Антонова Галина: Продаю костюм для выступления, недорого
08.11.2026, 12:00 - Антонова Галина: Продаю костюм для выступления, недорого
"""


def test_import_whatsapp_double_send_is_two_findings_and_a_longer_export_adds_neither_again(records, tmp_path):
    """A message sent twice within a minute (a double tap on a slow network): Android exports keep minutes only,
    so both lines have the same minute, sender and text."""
    first = run("import", "whatsapp", str(write_whatsapp(tmp_path / "chat.txt", DOUBLE)), "--group", "zvonnitsa-parents")
    assert first.exit_code == 0, first.output
    ids = re.findall(r"id: (f-zvonnitsa-parents-202611-0812\S+)", LOG.read_text(encoding="utf-8"))
    assert [re.sub(r"(?<=-081200)-[0-9a-f]{4}", "-XXXX", i) for i in ids] == [
        "f-zvonnitsa-parents-202611-081200-XXXX-topic", "f-zvonnitsa-parents-202611-081200-XXXX-2-topic"]
    later = write_whatsapp(tmp_path / "later.txt", "27.10.2026, 10:00 - Гришина Ольга: Добрый день!\n" + DOUBLE
                           + "09.11.2026, 10:00 - Антонова Галина: Спасибо!\n")
    again = run("import", "whatsapp", str(later), "--group", "zvonnitsa-parents")
    assert again.exit_code == 0, again.output
    assert "Замечания проверки переписки: 5 (новых — 0, уже были в журнале — 5):" in again.stdout
    assert re.findall(r"id: (f-zvonnitsa-parents-\S+)", LOG.read_text(encoding="utf-8"))[-2:] == ids


def test_import_several_exports_in_one_command_finds_each_group_by_the_chat_name(records, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    write_whatsapp(folder / "Чат WhatsApp с Звонница. Родители.txt")
    (folder / "прочее.pdf").write_bytes(b"%PDF")
    telegram = write_telegram(tmp_path / "result.json")
    both = run("import", "telegram", str(telegram), str(write_telegram(tmp_path / "october.json", TOURISTS[:1])))
    assert both.exit_code == 0, both.output
    assert both.stdout.endswith("Итого: 2 выгрузки, импортировано 2 (сообщений участников — 10, новых замечаний — 6), "
                                "уже были импортированы — 0.\nВремя: 0,4 с.\n")
    assert "Создан журнал records/log/2026-10.yaml" in both.stdout
    wa = run("import", "whatsapp", str(folder))
    assert wa.exit_code == 0, wa.output
    assert wa.stdout.startswith("Импорт выгрузки WhatsApp Чат WhatsApp с Звонница. Родители.txt за ноябрь 2026 г.: "
                                "группа «Звонница. Родители» (zvonnitsa-parents).\n")


def test_import_several_exports_write_nothing_when_one_fails(records, tmp_path):
    good = write_telegram(tmp_path / "result.json")
    bad = write_telegram(tmp_path / "bad.json")
    bad.write_bytes(bad.read_bytes()[:3000])
    state = fingerprint(records)
    result = run("import", "telegram", str(good), str(bad), "--group", "tourists-students")
    assert result.exit_code == 2 and "bad.json" in result.stderr
    assert fingerprint(records) == state
    twice = run("import", "telegram", str(good), str(good))
    assert (twice.exit_code, twice.stderr) == (2, "Файл result.json указан дважды.\n"
                                                  "  Как исправить: укажите каждую выгрузку один раз.\n")


def test_import_map_names_unknown_senders_and_checks_the_ids(records, tmp_path):
    export = write_whatsapp(tmp_path / "Чат WhatsApp с Звонница. Родители.txt")
    table = tmp_path / "отправители.txt"
    table.write_text("# кто есть кто в чатах\n\n+7 916 555-44-33 = pr-022\n", encoding="utf-8-sig")
    result = run("import", "whatsapp", str(export), "--map-file", str(table))
    assert result.exit_code == 0, result.output
    assert "Не сопоставлены" not in result.stdout and "  неизвестный" not in result.stdout
    assert "    unknown_senders: 0\n" in LOG.read_text(encoding="utf-8")
    telegram = write_telegram(tmp_path / "result.json")
    wrong = run("import", "telegram", str(telegram), "--map", "Турист 2011=st-0499")
    assert (wrong.exit_code, wrong.stderr) == (2, "--map «Турист 2011=st-0499»: человека «st-0499» нет в people.yaml.\n"
                                                  "  Как исправить: укажите id из people.yaml (возможно, вы имели в "
                                                  "виду: st-049, st-059, st-054).\n")
    malformed = run("import", "telegram", str(telegram), "--map", "Турист 2011")
    assert malformed.exit_code == 2 and malformed.stderr.startswith("--map: «Турист 2011» — нужно «имя в чате=id»")
    mapped = run("import", "telegram", str(telegram), "--map", "Турист 2011=st-049", "--map", "Мама Никиты=pr-049")
    assert mapped.exit_code == 0, mapped.output
    assert "  Бабушкин Е.С. — 4\n" in mapped.stdout and "Не сопоставлены" not in mapped.stdout


OLD_NEWS = """\
02.11.2026, 09:15 - Гришина Ольга: Уважаемые родители! Концерт 07.11.2026 в 17:00 в актовом зале.
05.11.2026, 18:00 - Гришина Ольга: Завтра, 06.11, репетиции не будет.
20.11.2026, 10:00 - Антонова Галина: Спасибо!
"""


def test_import_whatsapp_flags_only_announcements_that_could_still_be_deleted(records, tmp_path):
    """WhatsApp deletes for everyone for about two days after sending: the concert announced five days
    ahead could not be deleted once it was over; the cancellation for the next day could."""
    result = run("import", "whatsapp", str(write_whatsapp(tmp_path / "chat.txt", OLD_NEWS)), "--group", "zvonnitsa-parents")
    assert result.exit_code == 0, result.output
    assert "  устаревшее объявление — 1\n" in result.stdout
    assert ("Объявления, чьи даты прошли, когда WhatsApp уже не позволял удалить их у всех (через 2,5 суток после "
            "отправки): 1 — не отмечены (п. 3 требует удалять то, что можно удалить).\n") in result.stdout
    assert re.findall(r'excerpt: "?([^"\n]*)', LOG.read_text(encoding="utf-8"))[-1] == "Завтра, 06.11, репетиции не будет."


@pytest.mark.parametrize(("name", "chat"), [
    ("Чат WhatsApp с Звонница. Родители.txt", "Звонница. Родители"),
    ("WhatsApp Chat with Zvonnitsa parents.txt", "Zvonnitsa parents"),
    ("WhatsApp Chat - Звонница. Родители.zip", "Звонница. Родители"),
    ("Чат WhatsApp с Звонница. Родители (1).txt", "Звонница. Родители"),
    ("_chat.txt", "_chat"),
])
def test_whatsapp_chat_name_comes_from_the_file_name(name, chat):
    """Android names the text «WhatsApp Chat with <chat>.txt» («Чат WhatsApp с <chat>.txt» in Russian), iOS shares
    «WhatsApp Chat - <chat>.zip» with _chat.txt inside (file names as handled by public importers found by code
    search: a zip-name parser matching ^WhatsApp Chat - (.+)$, a test feeding «WhatsApp Chat - Notes.zip» and
    «WhatsApp Chat with Notes.txt»); a second download gets « (1)» from the browser."""
    assert imports_cli._whatsapp_chat_name(Path(name)) == chat

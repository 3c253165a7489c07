"""Synthetic Telegram exports of a given size, laid out the way Telegram Desktop writes them.

Used by the memory test (and handy for benchmarks): messages cycle through the kinds a
real group has — plain text, formatted text (entity lists), replies, photos with captions,
stickers, polls, edits, forwards and service entries.
"""
from __future__ import annotations

import datetime
import json
from pathlib import Path

SENDERS = ["Белова Светлана", "Ирина Морозова", "Аксёнова Мария", "Ковалёв Андрей", "Орлова Наталья"]
START = datetime.datetime(2026, 11, 1, 8, 0, 0)


def message(number: int) -> dict:
    """The number-th message of a synthetic group chat."""
    when = START + datetime.timedelta(minutes=7 * number)
    entry: dict = {
        "id": number,
        "type": "message",
        "date": when.isoformat(),
        "date_unixtime": str(int(when.timestamp())),
        "from": SENDERS[number % len(SENDERS)],
        "from_id": f"user{100000 + number % len(SENDERS)}",
    }
    variant = number % 10
    text: object = (f"Уважаемые родители! Напоминаем, что занятие № {number} пройдёт в среду в 15:00 "
                    f"в кабинете 12. Просьба не опаздывать и взять с собой сменную обувь.")
    if variant == 1:
        text = ["Внимание: ", {"type": "bold", "text": "изменение расписания"},
                " на следующей неделе, подробности по ссылке ", {"type": "link", "text": "https://ddt.example/rasp"}]
    elif variant == 2:
        entry["reply_to_message_id"] = number - 1
        text = "Спасибо, поняли!"
    elif variant == 3:
        entry.update(photo="(File not included. Change data exporting settings to download.)", width=1280, height=960)
        text = "Фото с репетиции"
    elif variant == 4:
        entry.update(file="(File not included. Change data exporting settings to download.)",
                     media_type="sticker", sticker_emoji="👍")
        text = ""
    elif variant == 5:
        entry["poll"] = {"question": "Удобно ли перенести занятие на четверг?", "closed": False, "total_voters": 4,
                         "answers": [{"text": "Да", "voters": 3, "chosen": False},
                                     {"text": "Нет", "voters": 1, "chosen": False}]}
        text = ""
    elif variant == 6:
        edited = when + datetime.timedelta(minutes=2)
        entry.update(edited=edited.isoformat(), edited_unixtime=str(int(edited.timestamp())))
    elif variant == 7:
        entry["forwarded_from"] = "Дом детского творчества"
    elif variant == 8:
        entry = {"id": number, "type": "service", "date": when.isoformat(), "date_unixtime": entry["date_unixtime"],
                 "actor": SENDERS[0], "actor_id": "user100000", "action": "invite_members",
                 "members": [SENDERS[number % len(SENDERS)]]}
        text = ""
    entry["text"] = text
    entry["text_entities"] = ([{"type": "plain", "text": text}] if isinstance(text, str) and text else
                              [p if isinstance(p, dict) else {"type": "plain", "text": p} for p in text]
                              if isinstance(text, list) else [])
    return entry


def write_single_chat(path: Path, size: int) -> int:
    """Write a one-chat export of about `size` bytes; return the number of messages."""
    number = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n "name": "Изостудия «Радуга» — родители",\n "type": "private_supergroup",\n'
                ' "id": 1234567890,\n "messages": [')
        while f.tell() < size:
            number += 1
            body = json.dumps(message(number), ensure_ascii=False, indent=1).replace("\n", "\n  ")
            f.write(("," if number > 1 else "") + "\n  " + body)
        f.write("\n ]\n}\n")
    return number


def write_account(path: Path, size: int) -> int:
    """Write a whole-account export with a personal chat and two groups; return the group messages."""
    third = size // 3
    groups = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n "about": "Here is the data you requested.",\n "personal_information": {\n  "user_id": 1,\n'
                '  "first_name": "Светлана",\n  "last_name": "Белова",\n  "phone_number": "+7 900 000 00 00"\n },\n'
                ' "chats": {\n  "about": "This page lists all chats from this export.",\n  "list": [')
        for index, (name, kind) in enumerate([("Морозова Ирина", "personal_chat"),
                                              ("Изостудия «Радуга» — родители", "private_supergroup"),
                                              ("Робототехника «Робикс»", "private_group")]):
            f.write(("," if index else "") + f'\n   {{\n    "name": "{name}",\n    "type": "{kind}",\n'
                    f'    "id": {1000 + index},\n    "messages": [')
            limit, number = f.tell() + third, 0
            while f.tell() < limit:
                number += 1
                body = json.dumps(message(number), ensure_ascii=False, indent=1).replace("\n", "\n     ")
                f.write(("," if number > 1 else "") + "\n     " + body)
            f.write("\n    ]\n   }")
            if kind != "personal_chat":
                groups += number
        f.write("\n  ]\n }\n}\n")
    return groups


def write_whatsapp(path: Path, size: int) -> int:
    """Write an Android export in Russian of about `size` bytes; return the number of messages."""
    number = 0
    with open(path, "w", encoding="utf-8") as f:
        while f.tell() < size:
            number += 1
            when = START + datetime.timedelta(minutes=7 * number)
            stamp = when.strftime("%d.%m.%Y, %H:%M")
            sender = SENDERS[number % len(SENDERS)]
            if number % 4 == 0:
                f.write(f"{stamp} - {sender}: Уважаемые родители!\nЗанятие № {number} пройдёт в среду.\n"
                        "Просьба не опаздывать.\n")
            elif number % 4 == 1:
                f.write(f"{stamp} - {sender}: <Без медиафайлов>\n")
            else:
                f.write(f"{stamp} - {sender}: Спасибо, будем вовремя! Сообщение {number}\n")
    return number

"""Chat exports of a generated institution: a month of Telegram and WhatsApp groups, and one huge export.

    python -m bench.chats RECORDS OUT                 # every Telegram / WhatsApp group of RECORDS, ~180,000 messages
    python -m bench.chats --huge OUT/result.json      # one single-chat Telegram export of about 1 GB

Layouts are those of the real exports (see tests/imports/data/): Telegram Desktop «Экспорт
истории чата» in machine-readable JSON (result.json, indent 1, text as a string or a list of
entities, text_entities beside it) and the WhatsApp Android «Экспорт чата» text in Russian
(`01.11.2026, 18:30 - Имя: текст`, continuation lines, «<Без медиафайлов>»). The mix is a
busy school group's: announcements and questions, thanks, photos, stickers, polls, service
entries, and a realistic share of what the scanners look for (phones, selling, collecting
money, lost pets, posts in quiet hours, colloquial or misspelt official posts).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

MB = 1024 * 1024
MONTH_START = dt.datetime(2026, 11, 1)
DAYS = 30

OFFICIAL = [
    "Уважаемые родители! Занятие {d} переносится на {d2}, начало в {t}. Просьба не опаздывать.",
    "Уважаемые родители! Напоминаем о родительском собрании {d} в {t} в кабинете {room}.",
    "Расписание занятий на декабрь размещено на сайте учреждения. Изменения — в закреплённом сообщении.",
    "Приглашаем на открытое занятие {d} в {t}. Вход по пропускам, сменная обувь обязательна.",
    "Итоги городского конкурса «Осенний вернисаж»: наши обучающиеся заняли два призовых места. Поздравляем!",
    "Объявление о сборе на экскурсию {d}: сбор в {t} у главного входа, с собой вода и перекус.",
    "Программа отчётного концерта {d} прикреплена ниже. Начало в {t}, актовый зал.",
    "Напоминаем: в период с 21:00 до 08:00 публикации в группе не допускаются, кроме срочных сообщений администрации.",
]
OFFICIAL_SLIPS = [  # colloquial or misspelt official posts (п. 5.1)
    "Всем привет! Завтра репетиция в {t}, не опаздываем",
    "Извените, занятие {d} отменяется по болезни педагога",
    "Обьявление: {d} занятия не будет, сорян",
    "Ок, фотоотчёт выложу вечером",
]
REPLIES = [
    "Спасибо!", "Спасибо, поняли!", "Хорошо, будем вовремя.", "Благодарю за информацию.", "Принято 👍",
    "А во сколько завтра заканчивается занятие?", "Подскажите, пожалуйста, в каком кабинете собрание?",
    "Можно забрать ребёнка на полчаса раньше?", "Мы сегодня не придём, заболели.", "Спасибо педагогу за концерт!",
    "А форму нужно покупать самим или выдадут?", "Подскажите, где найти расписание на декабрь?",
    "Будем обязательно!", "Очень понравилось открытое занятие, спасибо.", "Скажите, пожалуйста, нужна ли сменная обувь?",
    "Мы опоздаем минут на десять, извините.", "Когда будут готовы работы с выставки?",
    "Добрый вечер! Подскажите, занятие в субботу будет?", "Поздравляем ребят с победой!",
]
FLAGGED = [  # what the scanners exist for; about one message in seventy
    "Звоните мне по номеру +7 912 {a}-{b}-{c}, договоримся.",
    "Продам детский велосипед, почти новый, недорого. Торг уместен.",
    "Отдам котят в добрые руки, очень ласковые.",
    "Пропала собака у школы, рыжая, отзывается на Рыжик. Помогите найти!",
    "Скидываемся по 500 руб. на подарок педагогу, переводите на карту.",
    "Мой e-mail для списка: mama{a}@example.ru",
    "Кто голосует за кандидата на выборах губернатора? Обсудим.",
]
CAPTIONS = ["Фото с занятия", "Работы ребят", "Фото с репетиции", "С концерта ❤️", ""]
POLL = ("Удобно ли перенести занятие на четверг?", ["Да", "Нет", "Всё равно"])


@dataclass(frozen=True)
class Member:
    display: str                    # how the messenger shows the sender
    user_id: str                    # Telegram from_id
    phone: str | None = None        # WhatsApp shows a phone for an unsaved contact


@dataclass(frozen=True)
class ChatSpec:
    """One exported chat: who writes and how much."""

    group_id: str
    title: str
    source: str                     # telegram | whatsapp
    admin: Member
    members: tuple[Member, ...]
    messages: int


def _member(rng: random.Random, person, number: int) -> Member:
    style = rng.random()
    if style < 0.45:
        display = f"{person.name} {person.surname}"
    elif style < 0.75:
        display = f"{person.surname} {person.name}"
    elif style < 0.85:
        display = f"{person.name} {person.patronymic or ''}".strip()
    elif style < 0.93:
        display = f"{person.name} 🌸" if rng.random() < 0.5 else f"{person.name[0]}. {person.surname}"
    else:
        return Member("", f"user{7_000_000_000 + number}", f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-"
                      f"{rng.randint(10, 99)}-{rng.randint(10, 99)}")
    return Member(display, f"user{7_000_000_000 + number}")


def chat_specs(records, plan: tuple[tuple[str, str, int], ...], seed: int = 2026) -> list[ChatSpec]:
    """Specs for the chats of `plan` ((group id, source, messages)) over loaded `records`."""
    rng = random.Random(seed)
    specs = []
    numbers: dict[str, int] = {}
    for group_id, source, count in plan:
        group = records.groups_by_id[group_id]
        members = []
        for pid in group.members:
            number = numbers.setdefault(pid, len(numbers) + 1)
            members.append(_member(rng, records.people[pid], number))
        admin_person = records.people[group.admin]
        admin = Member(f"{admin_person.surname} {admin_person.name} {admin_person.patronymic or ''}".strip(),
                       f"user{6_000_000_000 + numbers.setdefault(group.admin, len(numbers) + 1)}")
        specs.append(ChatSpec(group_id, group.title, source, admin, tuple(members), count))
    return specs


@dataclass(frozen=True)
class Post:
    number: int
    when: dt.datetime
    sender: Member
    kind: str                       # text | photo | sticker | poll | service | reply | edited | forward
    text: str
    reply_to: int | None = None


def posts(spec: ChatSpec, seed: int, start: dt.datetime = MONTH_START, days: int = DAYS) -> Iterator[Post]:
    """The month of one chat, message by message, in time order."""
    rng = random.Random(f"{seed}/{spec.group_id}")
    count = spec.messages
    minutes = sorted(rng.choices(range(days * 24 * 60), _HOUR_WEIGHTS * days, k=count))
    last_official = None
    for number, minute in enumerate(minutes, 1):
        when = start + dt.timedelta(minutes=minute, seconds=rng.randint(0, 59))
        roll = rng.random()
        d = (when + dt.timedelta(days=rng.randint(1, 6))).date()
        fill = {"d": f"{d:%d.%m.%Y}", "d2": f"{d + dt.timedelta(days=1):%d.%m.%Y}",
                "t": rng.choice(["10:00", "15:00", "16:30", "17:00", "18:00"]), "room": rng.randint(1, 40),
                "a": rng.randint(100, 999), "b": rng.randint(10, 99), "c": rng.randint(10, 99)}
        member = rng.choice(spec.members) if spec.members else spec.admin
        if roll < 0.09:
            template = rng.choice(OFFICIAL_SLIPS) if rng.random() < 0.06 else rng.choice(OFFICIAL)
            last_official = number
            yield Post(number, when, spec.admin, "text", template.format(**fill))
        elif roll < 0.105:
            yield Post(number, when, member, "text", rng.choice(FLAGGED).format(**fill))
        elif roll < 0.19:
            yield Post(number, when, rng.choice([member, spec.admin]), "photo", rng.choice(CAPTIONS))
        elif roll < 0.23:
            yield Post(number, when, member, "sticker", "")
        elif roll < 0.235:
            yield Post(number, when, spec.admin, "poll", POLL[0])
        elif roll < 0.245:
            yield Post(number, when, spec.admin, "service", member.display or member.phone or "")
        elif roll < 0.45 and last_official:
            yield Post(number, when, member, "reply", rng.choice(REPLIES), reply_to=last_official)
        elif roll < 0.47:
            yield Post(number, when, spec.admin, "forward", rng.choice(OFFICIAL).format(**fill))
        elif roll < 0.5:
            yield Post(number, when, member, "edited", rng.choice(REPLIES))
        else:
            text = rng.choice(REPLIES)
            if rng.random() < 0.12:
                text += "\n" + rng.choice(REPLIES)
            yield Post(number, when, member, "text", text)


# More messages in the afternoon and evening, a few in quiet hours (21:00–08:00).
_HOUR_WEIGHTS = [w for hour in range(24) for w in [(0.01, 0.005, 0.002, 0.002, 0.002, 0.005, 0.03, 0.25, 1.0, 1.2, 1.2,
                                                     1.2, 1.4, 1.4, 1.6, 1.8, 2.0, 2.0, 2.0, 1.8, 1.4, 0.5, 0.2, 0.05)[hour]] * 60]


# ------------------------------------------------------------------------------------ Telegram

def telegram_message(post: Post) -> dict:
    stamp = post.when.isoformat()
    unix = str(int(post.when.replace(tzinfo=dt.timezone(dt.timedelta(hours=3))).timestamp()))
    sender = post.sender.display or post.sender.phone or "Deleted Account"
    if post.kind == "service":
        return {"id": post.number, "type": "service", "date": stamp, "date_unixtime": unix,
                "actor": sender, "actor_id": post.sender.user_id, "action": "invite_members",
                "members": [post.text], "text": "", "text_entities": []}
    entry: dict = {"id": post.number, "type": "message", "date": stamp, "date_unixtime": unix,
                   "from": sender, "from_id": post.sender.user_id}
    text: object = post.text
    if post.kind == "reply":
        entry["reply_to_message_id"] = post.reply_to
    elif post.kind == "photo":
        entry.update(photo="(File not included. Change data exporting settings to download.)", width=1280, height=960)
    elif post.kind == "sticker":
        entry.update(file="(File not included. Change data exporting settings to download.)",
                     media_type="sticker", sticker_emoji="👍")
    elif post.kind == "poll":
        entry["poll"] = {"question": POLL[0], "closed": False, "total_voters": 7,
                         "answers": [{"text": a, "voters": v, "chosen": False} for a, v in zip(POLL[1], (4, 2, 1))]}
        text = ""
    elif post.kind == "edited":
        edited = post.when + dt.timedelta(minutes=2)
        entry.update(edited=edited.isoformat(), edited_unixtime=str(int(edited.timestamp())))
    elif post.kind == "forward":
        entry["forwarded_from"] = "ЦДТ «Созвездие»"
    if post.kind == "text" and post.number % 9 == 0 and ": " in post.text:
        head, _, tail = post.text.partition(": ")
        text = [head + ": ", {"type": "bold", "text": tail}]
    entry["text"] = text
    entry["text_entities"] = ([{"type": "plain", "text": text}] if isinstance(text, str) and text else
                              [p if isinstance(p, dict) else {"type": "plain", "text": p} for p in text]
                              if isinstance(text, list) else [])
    return entry


def write_telegram(path: Path, spec: ChatSpec, chat_id: int, seed: int) -> int:
    """A single-chat result.json as Telegram Desktop writes it; returns the number of messages."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n" + f' "name": {json.dumps(spec.title, ensure_ascii=False)},\n'
                ' "type": "private_supergroup",\n' + f' "id": {chat_id},\n' + ' "messages": [')
        for post in posts(spec, seed):
            body = json.dumps(telegram_message(post), ensure_ascii=False, indent=1).replace("\n", "\n  ")
            f.write(("," if count else "") + "\n  " + body)
            count += 1
        f.write("\n ]\n}\n")
    return count


# ------------------------------------------------------------------------------------ WhatsApp

def whatsapp_lines(post: Post) -> str:
    stamp = post.when.strftime("%d.%m.%Y, %H:%M")
    sender = post.sender.display or f"\u202a{post.sender.phone}\u202c"
    if post.kind == "service":
        return f"{stamp} - {post.sender.display} добавил(а) {post.text}\n"
    if post.kind == "photo":
        return f"{stamp} - {sender}: <Без медиафайлов>\n" + (f"{post.text}\n" if post.text else "")
    if post.kind == "sticker":
        return f"{stamp} - {sender}: <Без медиафайлов>\n"
    if post.kind == "poll":
        return f"{stamp} - {sender}: ОПРОС:\n{POLL[0]}\n" + "".join(f"ВАРИАНТ: {a} ({v} голоса)\n"
                                                                   for a, v in zip(POLL[1], (4, 2, 1)))
    if post.kind == "edited":
        return f"{stamp} - {sender}: {post.text} <Это сообщение было изменено>\n"
    return f"{stamp} - {sender}: {post.text}\n"


def write_whatsapp(path: Path, spec: ChatSpec, seed: int) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write("01.11.2026, 00:00 - Сообщения и звонки защищены сквозным шифрованием. Третьи лица, включая WhatsApp, "
                "не могут прочитать ваши сообщения или прослушать звонки.\n")
        for post in posts(spec, seed):
            f.write(whatsapp_lines(post))
            count += 1
    return count


@dataclass(frozen=True)
class Export:
    group_id: str
    source: str
    path: Path
    messages: int


def chat_plan_of(records, month: str = "2026-11") -> tuple[tuple[str, str, int], ...]:
    """(group, source, messages) of every chat import the month's log records."""
    log = records.logs_by_month[month]
    return tuple((item.group, item.source, item.messages) for item in log.imports)


def write_month(records, plan, out: Path, seed: int = 2026) -> list[Export]:
    """One export per Telegram / WhatsApp group of `plan` under `out`; returns what was written."""
    written = []
    for n, spec in enumerate(chat_specs(records, plan, seed)):
        if spec.source == "telegram":
            path = out / "telegram" / spec.group_id / "result.json"
            count = write_telegram(path, spec, 1_900_000_000 + n, seed)
        else:
            path = out / "whatsapp" / f"Чат WhatsApp с {spec.group_id}.txt"
            count = write_whatsapp(path, spec, seed)
        written.append(Export(spec.group_id, spec.source, path, count))
    return written


# ------------------------------------------------------------------------------- the huge export

def write_huge_telegram(path: Path, size: int = 1024 * MB, seed: int = 2026) -> int:
    """A single-chat Telegram export of about `size` bytes, streamed to disk; returns the messages.

    A month of a busy chat is rendered once and repeated with fresh ids and dates, so writing
    a gigabyte takes seconds and memory stays small.
    """
    members = tuple(Member(f"Участник {i}", f"user{8_000_000_000 + i}") for i in range(1, 400))
    spec = ChatSpec("huge", "ЦДТ «Созвездие». Родители. Архив", "telegram",
                    Member("Соколова Анна Викторовна", "user6000000001"), members, 20_000)
    cycle = list(posts(spec, seed, start=dt.datetime(2020, 1, 1), days=30))
    bodies = []
    for post in cycle:
        entry = telegram_message(post)
        entry["id"] = 0
        body = json.dumps(entry, ensure_ascii=False, indent=1).replace("\n", "\n  ")
        # placeholders for what changes from one repetition to the next
        body = body.replace('"id": 0,', '"id": {id},', 1)
        if "reply_to_message_id" in entry:
            body = body.replace(f'"reply_to_message_id": {entry["reply_to_message_id"]}', '"reply_to_message_id": {reply}')
        body = body.replace(f'"date": "{post.when.isoformat()}"', '"date": "{date}"', 1)
        body = body.replace(f'"date_unixtime": "{entry["date_unixtime"]}"', '"date_unixtime": "{unix}"', 1)
        for name in ("id", "reply", "date", "unix"):
            body = body.replace("{" + name + "}", "\0" + name + "\1")
        body = body.replace("{", "{{").replace("}", "}}").replace("\0", "{").replace("\1", "}")
        bodies.append((body, post.when - dt.datetime(2020, 1, 1), post.reply_to or 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    # The history ends with November 2026, the month the benchmarks import.
    lap_bytes = sum(len(template.format(id=10 ** 6, reply=10 ** 6, date="2026-11-01T00:00:00", unix=1793480000)
                        .encode("utf-8")) + 4 for template, _, _ in bodies)
    laps = max(1, -(-size // lap_bytes))
    first = dt.datetime(2026, 11, 1) - dt.timedelta(days=30 * (laps - 1))
    count = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n "name": "ЦДТ «Созвездие». Родители. Архив",\n "type": "private_supergroup",\n'
                ' "id": 1999999999,\n "messages": [')
        written = f.tell()
        lap = 0
        while written < size:
            base = first + dt.timedelta(days=30 * lap)
            offset = lap * len(bodies)
            epoch = int(base.replace(tzinfo=dt.timezone(dt.timedelta(hours=3))).timestamp())
            for template, delta, reply in bodies:
                count += 1
                chunk = ("," if count > 1 else "") + "\n  " + template.format(
                    id=count, reply=reply + offset, date=(base + delta).isoformat(),
                    unix=epoch + int(delta.total_seconds()))
                f.write(chunk)
                written += len(chunk.encode("utf-8"))
                if written >= size:
                    break
            lap += 1
        f.write("\n ]\n}\n")
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.chats",
                                     description="Выгрузки переписки за ноябрь для групп сгенерированного учреждения "
                                                 "в Telegram и WhatsApp или одна большая выгрузка Telegram.")
    parser.add_argument("records", type=Path, nargs="?", help="папка записей (из python -m bench.generate)")
    parser.add_argument("out", type=Path, help="папка для выгрузок; с --huge — файл result.json")
    parser.add_argument("--huge", action="store_true", help="одна выгрузка Telegram около --size-mb МБ")
    parser.add_argument("--size-mb", type=int, default=1024, help="размер большой выгрузки, МБ (по умолчанию 1024)")
    args = parser.parse_args(argv)
    if not args.huge and args.records is None:
        parser.error("укажите папку записей и папку для выгрузок или --huge ФАЙЛ")
    if args.huge:
        count = write_huge_telegram(args.out, args.size_mb * MB)
        print(f"{args.out}: {count} messages, {args.out.stat().st_size / MB:.0f} MB")
        return
    from compliance.build import load

    records = load(args.records)
    exports = write_month(records, chat_plan_of(records), args.out)
    print(f"{args.out}: {len(exports)} exports, {sum(e.messages for e in exports)} messages")


if __name__ == "__main__":
    main()

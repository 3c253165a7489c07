"""Messages and a scan context for the scanner tests."""
from __future__ import annotations

import datetime as dt

from compliance.imports.message import ChatMessage
from compliance.scan import ScanContext

TEACHER = "Белова Светлана Юрьевна"
PARENT = "Мама Полины"

CONTEXT = ScanContext(
    quiet_hours=(dt.time(21, 0), dt.time(8, 0)),
    official_senders=frozenset({TEACHER, "ДДТ. Изостудия «Радуга». Родители"}),
    dictionary=frozenset({"Радуга", "Звонница", "Белова", "Беловой", "Светлогорск"}),
    month_end=dt.date(2026, 11, 30),
    today=dt.date(2026, 12, 1),
)


def message(text: str, sender: str = PARENT, at: str = "2026-11-05 10:00", kind: str = "text") -> ChatMessage:
    return ChatMessage(id="1", time=dt.datetime.strptime(at, "%Y-%m-%d %H:%M"), sender=sender,
                       sender_phone=None, text=text, kind=kind)


def official(text: str, at: str = "2026-11-05 10:00", kind: str = "text") -> ChatMessage:
    return message(text, TEACHER, at, kind)


def spans(matches, text: str) -> list[tuple[str, str]]:
    """(matched text, detail) per match."""
    return [(text[m.start:m.end], m.detail) for m in matches]

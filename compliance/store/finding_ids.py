"""Ids and keys of a chat export's findings: message keys that survive a re-export, finding ids,
the export's digest, and how many messages a finding stands for.

A finding id is built from the message id (Telegram's own id; for WhatsApp, whose exports number
nothing, the day, time and a short hash of sender and text, and the occurrence for a double send),
so a later export of the same chat gives the same ids and decisions already taken stay as they are.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from ..model.records import FindingCategory

CODES = {  # finding id suffixes: short, stable, latin
    FindingCategory.PERSONAL_DATA: "pd", FindingCategory.PROFANITY: "obscene", FindingCategory.SPELLING: "spelling",
    FindingCategory.STYLE: "style", FindingCategory.PERSONAL_TOPIC: "topic", FindingCategory.QUIET_HOURS: "quiet",
    FindingCategory.OUTDATED: "outdated",
}
UNKNOWN = "неизвестный"
ID_LIMIT = 63                                     # model.records.PERSON_ID


def month_of(moment: dt.datetime | dt.date) -> str:
    return f"{moment:%Y-%m}"


def _messages_word(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "сообщение"
    return "сообщения" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "сообщений"


def message_count(item: Any) -> int:
    """How many messages a finding stands for (a quiet-hours finding lists them in `message`)."""
    message = item.get("message") if isinstance(item, dict) else item.message
    return str(message).count(", ") + 1


def file_digest(path: Path) -> str:
    """SHA-256 of the export file: what makes a re-import recognisable."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def message_key(message: Any, source: str, occurrence: int = 1) -> str:
    """A message id that survives a re-export: Telegram's own id; for WhatsApp (numbered by line, which
    shifts when the export starts later) the day and time with a short hash of sender and text, and
    for the same text sent again by the same sender in the same minute (a double send) «-2», «-3», …:
    exports keep the messages' order, so the n-th of a minute is the n-th in every export."""
    if source != "whatsapp":
        return str(message.id)
    digest = hashlib.sha1(f"{message.time:%Y-%m-%dT%H:%M}\x00{message.sender}\x00{message.text}".encode(
        "utf-8", "surrogatepass")).hexdigest()
    return f"{message.time:%d%H%M}-{digest[:4]}" + (f"-{occurrence}" if occurrence > 1 else "")


def finding_id(group: str, month: str, message: str, category: FindingCategory) -> str:
    """f-<group>-<ГГГГММ>-<message>-<code>; a long group id is shortened to keep within 63 characters."""
    tail = f"-{month.replace('-', '')}-{re.sub(r'[^a-z0-9-]', '-', message.lower())}-{CODES[category]}"
    room = ID_LIMIT - len("f-") - len(tail)
    return f"f-{group[:max(1, room)].rstrip('-')}{tail}"

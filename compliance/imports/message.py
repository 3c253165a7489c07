"""The normalised chat message every reader yields and every scanner takes."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

KINDS = ("text", "service", "media", "poll", "sticker", "deleted", "system")


@dataclass(frozen=True, slots=True)
class ChatMessage:
    id: str                 # message id in the export (Telegram: str(int id); WhatsApp: line number of the message start, as str)
    time: datetime.datetime # naive local time as exported
    sender: str             # display name as in the export ("" for service messages without actor)
    sender_phone: str | None  # E.164-like digits if the export shows a phone instead of a name (WhatsApp), else None
    text: str               # plain text: Telegram text entities flattened; WhatsApp multi-line joined with "\n"; captions included
    kind: str               # "text" | "service" | "media" | "poll" | "sticker" | "deleted" | "system"
    edited: bool = False
    reply_to: str | None = None
    forwarded: bool = False

"""Content scanners over imported chat messages (п. 3, 4, 5.1, 5.2 of the Порядок).

`scan(message, context)` runs every scanner on one message and returns its hits, each with a
short excerpt in which every personal datum and obscene word is masked, whichever scanner hit.
Personal data, profanity, personal topics and quiet hours apply to everyone's messages;
spelling, style and outdated announcements to official posts only (staff, the group itself).
"""
from __future__ import annotations

from ..imports.message import ChatMessage
from . import outdated, personal_data, profanity, quiet_hours, spelling, style, topics
from .context import ScanContext, context_for
from .hit import Hit, Match
from .mask import excerpt

# Kinds whose text a person wrote; service and system lines are the messenger's own.
TEXT_KINDS = frozenset({"text", "media", "poll"})
# Order of hits within a message when two start at the same place.
SCANNERS = (personal_data, profanity, topics, spelling, style, outdated, quiet_hours)

__all__ = ["Hit", "Match", "SCANNERS", "ScanContext", "context_for", "scan"]


def scan(message: ChatMessage, context: ScanContext) -> list[Hit]:
    if message.kind not in TEXT_KINDS:
        return []
    private = personal_data.find(message, context)
    obscene = profanity.find(message, context)
    masks = private + obscene
    hits = []
    for order, scanner in enumerate(SCANNERS):
        matches = private if scanner is personal_data else obscene if scanner is profanity else scanner.find(message, context)
        for m in matches:
            hits.append((m.start, order, Hit(scanner.CATEGORY, scanner.CLAUSE, m.start, m.end,
                                              excerpt(message.text, m.start, m.end, masks), m.detail)))
    return [hit for _, _, hit in sorted(hits, key=lambda item: item[:2])]

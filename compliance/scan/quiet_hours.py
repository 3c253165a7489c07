"""Quiet hours: the chat rules (ред. 2) forbid posts from 21:00 to 08:00, except urgent ones
from the administration.

The Порядок itself names no hours. Its п. 5.1 («использовать деловой стиль общения») is the
clause addressed to participants that fits: business etiquette keeps to working hours, and a
content finding may only cite п. 3, 4, 5.1 or 5.2. So a night-time post is a п. 5.1 finding,
and its detail names the chat rules it breaks.

A sender's messages of one night are one breach, not one per message: the importer bundles them
by `night_of` (a night over midnight belongs to the evening it began on).
"""
from __future__ import annotations

import datetime as dt
import re

from ..imports.message import ChatMessage
from ..model.records import FindingCategory
from .context import ScanContext
from .hit import Match

CATEGORY = FindingCategory.QUIET_HOURS
CLAUSE = "5.1"
KINDS = frozenset({"text", "media", "poll"})
# The rules allow the administration's urgent messages at night.
_URGENT = re.compile(r"срочн|отмен|перенос|экстренн|внимание", re.IGNORECASE)


def inside(moment: dt.time, start: dt.time, end: dt.time) -> bool:
    """Whether `moment` falls in [start, end); a range with start > end runs over midnight."""
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end


def find(message: ChatMessage, context: ScanContext) -> list[Match]:
    if context.quiet_hours is None or message.kind not in KINDS:
        return []
    start, end = context.quiet_hours
    moment = message.time.time()
    if not inside(moment, start, end):
        return []
    if context.is_official(message.sender) and _URGENT.search(message.text):
        return []
    detail = (f"сообщение в {moment:%H:%M}, в тихие часы с {start:%H:%M} до {end:%H:%M} "
              f"(Правила использования чата)")
    return [Match(0, len(message.text), detail)]


def night_of(moment: dt.datetime, start: dt.time, end: dt.time) -> dt.date:
    """The day a quiet period containing `moment` began: 02:30 on the 6th in 21:00–08:00 is the night of the 5th."""
    if start > end and moment.time() < end:
        return moment.date() - dt.timedelta(days=1)
    return moment.date()

"""п. 3: an official announcement whose date has passed should be deleted by the administrator.

Only messages are seen here, so a hit says «the date has passed»; the importer later matches the
month log's deletions. Dates before the post itself (a past event, an order's date, a birthday)
are not announcements and are ignored; of the later ones the last counts.
"""
from __future__ import annotations

import datetime as dt
import re

from ..imports.message import ChatMessage
from ..model.records import FindingCategory
from ..ru import date_numeric
from .context import ScanContext
from .hit import Match

CATEGORY = FindingCategory.OUTDATED
CLAUSE = "3"
KINDS = frozenset({"text", "media", "poll"})

_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня",
             "июля", "августа", "сентября", "октября", "ноября", "декабря")
_NUMERIC = re.compile(r"(?<![\d.:,])(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2}))?(?!\d|[.,:]\d)")
_WORDS = re.compile(r"(?<![\d.])(\d{1,2})(?:-?(?:го|е))?\s+(" + "|".join(_GENITIVE) + r")(?:\s+(\d{4}))?(?!\w)",
                    re.IGNORECASE)
# «в 12.10», «с 10.15 до 11.00», «10.30–12.00»: a time of day, not a date
_TIME_BEFORE = re.compile(r"(?:(?:^|\s)(?:в|с|к)|\d[.:]\d\d\s*[-–—])\s*$", re.IGNORECASE)
# «концерт прошёл 27 ноября», posted on the 27th: a report of the day, not an announcement
_REPORT = re.compile(r"прош(?:[её]л|ла|ло|ли)(?!\w)|состоял(?:ся|ась|ось|ись)|заверш[её]н|итог", re.IGNORECASE)
_TIME_AFTER = re.compile(r"\s*(?:[-–—]\s*\d{1,2}[.:]\d{2}|ч\b|час|до\s+\d{1,2}[.:]\d{2})", re.IGNORECASE)


def _year(day: int, month: int, year: str | None, posted: dt.date) -> dt.date | None:
    try:
        if year:
            return dt.date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        guess = dt.date(posted.year, month, day)
    except ValueError:
        return None
    # «10.01» written in December means next January
    if (guess - posted).days < -180:
        guess = guess.replace(year=guess.year + 1)
    elif (guess - posted).days > 180:
        guess = guess.replace(year=guess.year - 1)
    return guess


def mentioned_dates(text: str, posted: dt.date) -> list[tuple[dt.date, int, int]]:
    """Every date the text names, as (date, start, end); a year left out is the nearest one."""
    found = []
    for m in _NUMERIC.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if not year:
            before = text[max(0, m.start() - 12):m.start()]
            if _TIME_AFTER.match(text, m.end()) or _TIME_BEFORE.search(before):
                continue
        date = _year(day, month, year, posted)
        if date is not None:
            found.append((date, m.start(), m.end()))
    for m in _WORDS.finditer(text):
        date = _year(int(m.group(1)), _GENITIVE.index(m.group(2).lower()) + 1, m.group(3), posted)
        if date is not None:
            found.append((date, m.start(), m.end()))
    return found


def find(message: ChatMessage, context: ScanContext) -> list[Match]:
    cutoff = context.cutoff
    if (cutoff is None or message.kind not in KINDS or not message.text
            or not context.is_official(message.sender)):
        return []
    posted = message.time.date()
    earliest = posted + dt.timedelta(days=1) if _REPORT.search(message.text) else posted
    ahead = [d for d in mentioned_dates(message.text, posted) if d[0] >= earliest]
    if not ahead:
        return []
    date, start, end = max(ahead)
    if date >= cutoff:
        return []
    return [Match(start, end, f"дата {date_numeric(date)} прошла")]

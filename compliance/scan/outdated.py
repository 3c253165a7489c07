"""п. 3: an official announcement whose date has passed should be deleted by the administrator.

Only messages are seen here, so a hit says «the date has passed»; the importer later matches the
month log's deletions. Dates before the post itself (a past event, an order's date, a birthday)
are not announcements and are ignored; of the later ones the last counts.

A message present in an export was not deleted by the time the export was made, and no sooner:
so the importer keeps a hit only when the announcement lost relevance (`lapse`: the start of the
day after its last date) before the export's last message, and only when the messenger still let
the administrator delete it for everyone then (`deletable`). WhatsApp allows «Delete for everyone»
for about two days after sending (WhatsApp Help Center, «How to delete messages»: «about 2 days»;
2 days 12 hours since the update of August 2022, before it 1 h 8 min 16 s); an
announcement of a date further ahead cannot be deleted once it is out of date, and blaming the
administrator for it would be a false alarm. Telegram lets group administrators delete any message
at any time (telegram.org/faq, «Can I delete my messages?»).
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


# How long after sending a message its sender (an administrator) can still delete it for everyone.
DELETE_WINDOW = {"whatsapp": dt.timedelta(days=2, hours=12)}


def _last_date(message: ChatMessage) -> tuple[dt.date, int, int] | None:
    """The announcement's last date on or after the post (after it, for a report of the day), with its span."""
    posted = message.time.date()
    earliest = posted + dt.timedelta(days=1) if _REPORT.search(message.text) else posted
    ahead = [d for d in mentioned_dates(message.text, posted) if d[0] >= earliest]
    return max(ahead) if ahead else None


def find(message: ChatMessage, context: ScanContext) -> list[Match]:
    cutoff = context.cutoff
    if (cutoff is None or message.kind not in KINDS or not message.text
            or not context.is_official(message.sender)):
        return []
    last = _last_date(message)
    if last is None:
        return []
    date, start, end = last
    if date >= cutoff:
        return []
    return [Match(start, end, f"дата {date_numeric(date)} прошла")]


def lapse(message: ChatMessage) -> dt.datetime | None:
    """When the announcement lost relevance: midnight after its last date (None: no date ahead)."""
    if message.kind not in KINDS or not message.text:
        return None
    last = _last_date(message)
    return None if last is None else dt.datetime.combine(last[0] + dt.timedelta(days=1), dt.time())


def deletable(message: ChatMessage, source: str) -> bool:
    """Whether the messenger still let its sender delete the announcement for everyone once it was out of date."""
    window = DELETE_WINDOW.get(source)
    when = lapse(message)
    return window is None or when is None or when <= message.time + window

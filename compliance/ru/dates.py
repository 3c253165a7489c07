"""Russian date formatting for official documents."""

from __future__ import annotations

from datetime import date

NBSP = "\u00a0"

# Tiny fixed tables; tests cross-check them against babel and pymorphy3.
_NOMINATIVE = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)
_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)
_PREPOSITIONAL = (
    "январе", "феврале", "марте", "апреле", "мае", "июне",
    "июле", "августе", "сентябре", "октябре", "ноябре", "декабре",
)


def _pick(table: tuple[str, ...], m: int) -> str:
    """Return the table entry for month number m (1..12)."""
    if not 1 <= m <= 12:
        raise ValueError(f"month must be 1..12, got {m}")
    return table[m - 1]


def month_nominative(m: int) -> str:
    """Return the nominative month name: 11 → «ноябрь»."""
    return _pick(_NOMINATIVE, m)


def month_genitive(m: int) -> str:
    """Return the genitive month name: 11 → «ноября»."""
    return _pick(_GENITIVE, m)


def month_prepositional(m: int) -> str:
    """Return the prepositional month name: 11 → «ноябре»."""
    return _pick(_PREPOSITIONAL, m)


def date_numeric(d: date) -> str:
    """Return the ГОСТ digital date form «05.06.2026»."""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def date_words(d: date) -> str:
    """Return «5 июня 2026 г.» with NBSP before «г.»."""
    return f"{d.day} {month_genitive(d.month)} {d.year}{NBSP}г."


def period_month(year: int, month: int) -> str:
    """Return «ноябрь 2026 г.» with NBSP before «г.»."""
    return f"{month_nominative(month)} {year}{NBSP}г."


def for_month(year: int, month: int) -> str:
    """Return «за ноябрь 2026 г.» with NBSP before «г.»."""
    return f"за {period_month(year, month)}"


def blank_date(year: int | None = None) -> str:
    """Return a hand-fill blank «___» __________ 20__ г. (year filled if given)."""
    y = "20__" if year is None else str(year)
    return f"«___» __________ {y}{NBSP}г."

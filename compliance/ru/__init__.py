"""Russian-language helpers: dates, names, numbers, approval stamps.

Submodules import pymorphy3/pytrovich only inside functions, so this import is cheap.
"""

from .approval import approved_attribute, approved_word
from .dates import (
    blank_date,
    date_numeric,
    date_words,
    for_month,
    month_genitive,
    month_nominative,
    month_prepositional,
    period_month,
)
from .names import (
    FullName,
    decline,
    decline_phrase,
    detect_gender,
    full,
    initials_first,
    surname_first,
    with_preposition_s,
)
from .numbers import pages_of, percent, plural

__all__ = [
    "FullName",
    "approved_attribute",
    "approved_word",
    "blank_date",
    "date_numeric",
    "date_words",
    "decline",
    "decline_phrase",
    "detect_gender",
    "for_month",
    "full",
    "initials_first",
    "month_genitive",
    "month_nominative",
    "month_prepositional",
    "pages_of",
    "percent",
    "period_month",
    "plural",
    "surname_first",
    "with_preposition_s",
]

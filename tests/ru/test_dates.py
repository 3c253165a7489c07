"""Tests for compliance.ru.dates."""

import re
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.ru.dates import (
    blank_date,
    date_numeric,
    date_words,
    for_month,
    month_genitive,
    month_nominative,
    month_prepositional,
    period_month,
)

NBSP = "\u00a0"
GENITIVE = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]
NOMINATIVE = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]
PREPOSITIONAL = [
    "январе", "феврале", "марте", "апреле", "мае", "июне",
    "июле", "августе", "сентябре", "октябре", "ноябре", "декабре",
]


@pytest.mark.parametrize("month, expected", list(enumerate(GENITIVE, start=1)))
def test_month_genitive_each_month_returns_genitive(month, expected):
    assert month_genitive(month) == expected


@pytest.mark.parametrize("month, expected", list(enumerate(NOMINATIVE, start=1)))
def test_month_nominative_each_month_returns_nominative(month, expected):
    assert month_nominative(month) == expected


@pytest.mark.parametrize("month, expected", list(enumerate(PREPOSITIONAL, start=1)))
def test_month_prepositional_each_month_returns_prepositional(month, expected):
    assert month_prepositional(month) == expected


@pytest.mark.parametrize("month", range(1, 13))
def test_month_tables_each_month_agree_with_babel_and_pymorphy(month):
    from babel.dates import get_month_names

    from compliance.ru._morph import analyzer

    assert month_genitive(month) == get_month_names("wide", "format", "ru")[month]
    assert month_nominative(month) == get_month_names("wide", "stand-alone", "ru")[month]
    parse = analyzer().parse(month_nominative(month))[0]
    assert month_prepositional(month) == parse.inflect({"loct"}).word


@pytest.mark.parametrize("month", [0, 13, -1])
def test_month_genitive_out_of_range_raises_value_error(month):
    with pytest.raises(ValueError):
        month_genitive(month)


@pytest.mark.parametrize(
    "d, expected",
    [
        (date(2026, 6, 5), "05.06.2026"),
        (date(2026, 11, 30), "30.11.2026"),
        (date(1999, 1, 1), "01.01.1999"),
    ],
)
def test_date_numeric_any_date_returns_zero_padded_digits(d, expected):
    assert date_numeric(d) == expected


def test_date_words_single_digit_day_has_no_leading_zero():
    assert date_words(date(2026, 6, 5)) == f"5 июня 2026{NBSP}г."


def test_date_words_two_digit_day_keeps_both_digits():
    assert date_words(date(2026, 12, 31)) == f"31 декабря 2026{NBSP}г."


def test_date_words_year_and_abbreviation_joined_by_nbsp_only():
    text = date_words(date(2026, 3, 8))
    assert text == "8 марта 2026\u00a0г."
    assert "2026 г." not in text


def test_period_month_november_returns_nominative_with_nbsp():
    assert period_month(2026, 11) == f"ноябрь 2026{NBSP}г."


def test_for_month_november_prefixes_za():
    assert for_month(2026, 11) == f"за ноябрь 2026{NBSP}г."


def test_blank_date_without_year_leaves_year_blank():
    assert blank_date() == f"«___» __________ 20__{NBSP}г."


def test_blank_date_with_year_fills_year():
    assert blank_date(2026) == f"«___» __________ 2026{NBSP}г."


def _parse_numeric(text: str) -> date:
    """Parse «05.06.2026» back into a date."""
    return datetime.strptime(text, "%d.%m.%Y").date()


def _parse_words(text: str) -> date:
    """Parse «5 июня 2026 г.» back into a date."""
    m = re.fullmatch(r"([1-9]\d?) (\w+) (\d{4})\u00a0г\.", text)
    assert m is not None, text
    return date(int(m.group(3)), GENITIVE.index(m.group(2)) + 1, int(m.group(1)))


@settings(database=None, max_examples=300)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_date_formats_any_date_round_trip_to_same_date(d):
    assert _parse_numeric(date_numeric(d)) == d
    assert _parse_words(date_words(d)) == d

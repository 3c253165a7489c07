"""Tests for compliance.ru.numbers."""

import pytest

from compliance.ru.numbers import pages_of, percent, plural

NBSP = "\u00a0"
NUMBERS = [0, 1, 2, 5, 11, 12, 14, 21, 22, 25, 101, 111]
GROUP = ["групп", "группа", "группы", "групп", "групп", "групп", "групп",
         "группа", "группы", "групп", "группа", "групп"]
MEMBER = ["участников", "участник", "участника", "участников", "участников", "участников",
          "участников", "участник", "участника", "участников", "участник", "участников"]


@pytest.mark.parametrize("n, form", list(zip(NUMBERS, GROUP)))
def test_plural_feminine_noun_agrees_with_number(n, form):
    assert plural(n, "группа") == f"{n} {form}"


@pytest.mark.parametrize("n, form", list(zip(NUMBERS, MEMBER)))
def test_plural_animate_masculine_noun_agrees_with_number(n, form):
    assert plural(n, "участник") == f"{n} {form}"


@pytest.mark.parametrize(
    "n, word, expected",
    [
        (5, "человек", "5 человек"),
        (2, "человек", "2 человека"),
        (11, "человек", "11 человек"),
        (5, "год", "5 лет"),
        (21, "год", "21 год"),
        (3, "год", "3 года"),
        (5, "грамм", "5 грамм"),
        (5, "раз", "5 раз"),
        (2, "раз", "2 раза"),
    ],
)
def test_plural_counting_forms_use_numeric_genitive(n, word, expected):
    assert plural(n, word) == expected


@pytest.mark.parametrize(
    "n, phrase, expected",
    [
        (1, "учебная группа", "1 учебная группа"),
        (3, "учебная группа", "3 учебные группы"),
        (5, "учебная группа", "5 учебных групп"),
        (2, "новый участник", "2 новых участника"),
        (21, "новый участник", "21 новый участник"),
        (12, "новый участник", "12 новых участников"),
    ],
)
def test_plural_adjective_noun_phrase_agrees_with_number(n, phrase, expected):
    assert plural(n, phrase) == expected


def test_plural_capitalised_word_keeps_capital():
    assert plural(5, "Группа") == "5 Групп"


def test_pages_of_second_of_three_returns_counter():
    assert pages_of(2, 3) == "стр. 2 из 3"


@pytest.mark.parametrize(
    "part, whole, expected",
    [
        (87, 100, f"87{NBSP}%"),
        (1, 8, f"13{NBSP}%"),  # 12.5 rounds up
        (7, 8, f"88{NBSP}%"),  # 87.5 rounds up
        (1, 200, f"1{NBSP}%"),  # 0.5 rounds up
        (2, 3, f"67{NBSP}%"),
        (0, 5, f"0{NBSP}%"),
        (5, 5, f"100{NBSP}%"),
    ],
)
def test_percent_fraction_rounds_half_up_with_nbsp(part, whole, expected):
    assert percent(part, whole) == expected


def test_percent_zero_whole_returns_dash():
    assert percent(0, 0) == "—"

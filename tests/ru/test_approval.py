"""Tests for compliance.ru.approval."""

import pytest

from compliance.ru.approval import approved_word


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("порядок", "УТВЕРЖДЁН"),
        ("положение", "УТВЕРЖДЕНО"),
        ("правила", "УТВЕРЖДЕНЫ"),
        ("инструкция", "УТВЕРЖДЕНА"),
    ],
)
def test_approved_word_basic_kinds_agree_in_gender_and_number(kind, expected):
    assert approved_word(kind) == expected


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("Порядок организации и работы групп в мобильных мессенджерах", "УТВЕРЖДЁН"),
        ("ПОЛОЖЕНИЕ", "УТВЕРЖДЕНО"),
        ("Правила внутреннего распорядка", "УТВЕРЖДЕНЫ"),
        ("Единые требования", "УТВЕРЖДЕНЫ"),
        ("штатное расписание", "УТВЕРЖДЕНО"),
        ("регламент", "УТВЕРЖДЁН"),
        ("памятка", "УТВЕРЖДЕНА"),
    ],
)
def test_approved_word_full_titles_agree_with_head_noun(kind, expected):
    assert approved_word(kind) == expected


def test_approved_word_masculine_uses_capital_yo():
    assert "Ё" in approved_word("порядок")

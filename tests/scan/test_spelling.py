"""Spelling: misspelt words in official posts, with a suggestion; names, abbreviations, institution words,
curated terms and other people's messages are left alone."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from scan_messages import CONTEXT, message, official, spans  # noqa: E402

from compliance.scan import spelling  # noqa: E402
from compliance.scan.spelling import is_known, suggest  # noqa: E402


def found(text):
    return spans(spelling.find(official(text), CONTEXT), text)


def test_spelling_misspelt_word_is_reported_with_suggestion():
    assert found("Родительское собрнаие переносится.") == [("собрнаие", "«собрнаие» — возможно, «собрание»")]


def test_spelling_suggestion_keeps_capital_letter():
    assert found("Обьявление для родителей.") == [("Обьявление", "«Обьявление» — возможно, «Объявление»")]


def test_spelling_two_suggestions_when_equally_close():
    assert found("Занятие пренести нельзя.") == [("пренести", "«пренести» — возможно, «принести» или «перенести»")]


@pytest.mark.parametrize("wrong, right", [
    ("учасники", "участники"), ("росписание", "расписание"), ("колличество", "количество"),
    ("приемущество", "преимущество"), ("пожайлуста", "пожалуйста"), ("извените", "извините"),
    ("консультацыя", "консультация"), ("сдесь", "здесь"), ("поздравлям", "поздравляем"),
])
def test_spelling_suggests_the_intended_word_first(wrong, right):
    assert suggest(wrong)[0] == right


@pytest.mark.parametrize("text", [
    "Белова С.Ю. проводит консультацию в изостудии «Радуга».",        # institution dictionary at sentence start
    "Мастер-класс проведёт педагог Ярошевич Анна Сергеевна.",          # a name in mid-sentence
    "МКОУ ДО «ДДТ» приглашает на онлайн-занятие через Сферум.",        # abbreviations, hyphenated, curated word
    "Фотоотчёт и видеоурок размещены, ссылка https://vk.com/vidyeo_urok.",
    "Ещё раз благодарим всех, всё прошло замечательно.",
    "Используем Arduino и 3D-ручки, пишите на ddt@mail.ru или в #робототехника.",
    "Медсправка и вебинар для родителей, квиз для детей.",
])
def test_spelling_correct_official_posts_have_no_findings(text):
    assert found(text) == []


def test_spelling_parents_messages_are_not_checked():
    assert spelling.find(message("Извените, колличество мест ограниченно?"), CONTEXT) == []


def test_spelling_institution_dictionary_words_are_accepted():
    assert found("Звонница выступит в Светлогорске.") == []
    assert found("Звоница выступит.") == [("Звоница", "«Звоница» — возможно, «Звонница» или «Звонила»")]


def test_spelling_unknown_word_with_nothing_close_is_let_through():
    assert found("Жюрификация конкурсантов завершена.") == []


def test_spelling_dictionary_is_pymorphy3_with_known_prefixes():
    assert is_known("видеомонтаж") and is_known("мини-спектакль") and is_known("ёлка") and is_known("елка")
    assert not is_known("обьявление")          # pymorphy3 can guess it, but only a dictionary word counts

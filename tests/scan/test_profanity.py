"""Profanity: obscene roots in their forms and disguises, masked; innocent look-alikes stay clear."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from scan_messages import CONTEXT, message  # noqa: E402

from compliance.scan import profanity  # noqa: E402
from compliance.scan.profanity import is_obscene  # noqa: E402


@pytest.mark.parametrize("word", [
    "хуй", "нахуя", "похуй", "охуенный", "хуёво", "пиздец", "спиздил", "распиздяй", "ебать", "заебали", "наебали",
    "уёбок", "съебались", "выёбываться", "долбоёб", "ёбаный", "бля", "блять", "блядь", "бляяя", "выблядок",
    "мудак", "пидорас", "залупа", "мандавошка", "Пиздец", "ПИЗДЕЦ",
])
def test_profanity_forms_are_obscene(word):
    assert is_obscene(word)


@pytest.mark.parametrize("word", ["х*й", "п*здец", "бл*", "е*ать", "х**ня", "xyй", "6ля", "пи3дец", "huy", "blyat"])
def test_profanity_disguised_spellings_are_obscene(word):
    assert is_obscene(word)


@pytest.mark.parametrize("word", [
    "употреблять", "требовать", "корабля", "рубля", "оскорблять", "небо", "тебе", "себе", "ребёнок", "учебный",
    "хлеб", "ансамбля", "художник", "мудрый", "премудрость", "команда", "мандарин", "мандат", "Ебург", "ebay",
    "скипидар", "лапидарный", "похудеть", "похуже", "застрахуй", "хулиган", "Хуан", "Глеб", "Лебедев", "гребля",
    "сабля", "перебор", "дебют", "вебинар", "оглобля", "колеблется", "бляшка", "потребитель", "С*ка", "3*150", "**",
    "**Важно**", "истребитель", "подебоширить",
])
def test_profanity_look_alikes_are_not_obscene(word):
    assert not is_obscene(word)


def test_profanity_find_masks_the_word_and_keeps_it_out_of_the_detail():
    text = "Да пиздец, опять перенесли"
    [match] = profanity.find(message(text), CONTEXT)
    assert (text[match.start:match.end], match.detail, match.mask) == ("пиздец", "нецензурное слово «п***»", "п***")


def test_profanity_find_reports_every_obscene_word():
    text = "Бля, опять х*йня с расписанием"
    assert [(text[m.start:m.end], m.mask) for m in profanity.find(message(text), CONTEXT)] == [("Бля", "Б***"),
                                                                                            ("х*йня", "х***")]


def test_profanity_find_skips_clean_text_without_looking_words_up():
    assert profanity.find(message("Спасибо, всё понятно, до встречи на занятии"), CONTEXT) == []

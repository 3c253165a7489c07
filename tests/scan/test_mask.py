"""Masks and excerpts: every personal datum and obscene word in the window is masked, whichever scanner hit."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.scan import mask
from compliance.scan.hit import Match


def test_mask_forms():
    assert mask.phone("9001234512") == "+7 9** ***-**-12"
    assert mask.digits("112-233-445 95") == "***-***-*** 95"
    assert mask.digits("серия 4512 № 345678") == "серия **** № ****78"
    assert mask.email("ivanova.m@mail.ru") == "i***@mail.ru"
    assert mask.word("пиздец") == "п***"


def test_excerpt_short_message_is_whole_with_masks():
    text = "Звоните 89001234512 или пишите a.b@bk.ru"
    masks = [Match(8, 19, "номер телефона", "+7 9** ***-**-12"), Match(31, 40, "адрес электронной почты", "a***@bk.ru")]
    assert mask.excerpt(text, 31, 40, masks) == "Звоните +7 9** ***-**-12 или пишите a***@bk.ru"


def test_excerpt_long_message_is_a_window_around_the_hit():
    text = "начало " * 30 + "ошибка" + " конец" * 30
    start = text.index("ошибка")
    window = mask.excerpt(text, start, start + 6)
    assert len(window) <= 120
    assert window.startswith("…начало") and window.endswith("конец…") and "ошибка" in window


def test_excerpt_never_shows_a_datum_outside_the_hit_in_clear():
    text = "слово " * 10 + "СНИЛС 112-233-445 95 " + "слово " * 5 + "ошибко " + "слово " * 20
    snils = text.index("112")
    masks = [Match(snils, snils + 14, "СНИЛС", "***-***-*** 95")]
    hit = text.index("ошибко")
    window = mask.excerpt(text, hit, hit + 6, masks)
    assert "***-***-*** 95" in window and "112" not in window and len(window) <= 120


def test_excerpt_does_not_cut_a_mask_in_half():
    prefix = "слово " * 18 + "да "                     # the phone's mask would straddle the 118th character
    text = prefix + "89001234512 и ещё текст"
    at = len(prefix)
    window = mask.excerpt(text, 0, len(text), [Match(at, at + 11, "номер телефона", "+7 9** ***-**-12")])
    assert window == prefix.strip() + "…"


def test_excerpt_whole_message_hit_shows_its_beginning_on_one_line():
    text = "Первая строка\nвторая строка\n" + "дальше " * 30
    window = mask.excerpt(text, 0, len(text))
    assert window.startswith("Первая строка вторая строка дальше") and window.endswith("…") and len(window) <= 120


@settings(max_examples=200, deadline=None)
@given(before=st.text(alphabet="абв где\n", max_size=300), after=st.text(alphabet="абв где\n", max_size=300),
       hit=st.integers(min_value=0, max_value=600))
def test_excerpt_is_short_and_never_shows_a_masked_phone(before, after, hit):
    text = before + "89001234512" + after
    at = len(before)
    start = min(hit, len(text))
    window = mask.excerpt(text, start, min(len(text), start + 5), [Match(at, at + 11, "номер телефона", "+7 9** ***-**-12")])
    assert len(window) <= 120
    assert "9001234" not in window and "\n" not in window

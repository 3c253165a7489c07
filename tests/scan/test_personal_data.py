"""Personal data: each kind in its common forms, masked; look-alike numbers and failed checksums are not data."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from scan_messages import CONTEXT, message, spans  # noqa: E402

from compliance.scan import personal_data  # noqa: E402
from compliance.scan.personal_data import inn_valid, luhn_valid, passport_plausible, snils_valid  # noqa: E402


def found(text):
    return [(text[m.start:m.end], m.detail, m.mask) for m in personal_data.find(message(text), CONTEXT)]


@pytest.mark.parametrize("written", [
    "+7 (900) 123-45-12", "8 900 123 45 12", "89001234512", "9001234512", "+79001234512", "8-900-123-45-12",
    "8(900)1234512", "+7 900 1234512",
])
def test_personal_data_phone_forms_are_found_and_masked(written):
    assert found(f"Звоните {written}, спасибо") == [(written, "номер телефона", "+7 9** ***-**-12")]


def test_personal_data_landline_with_city_code_is_a_phone():
    assert found("Домашний 8 (40153) 2-14-07") == [("8 (40153) 2-14-07", "номер телефона", "+7 4** ***-**-07")]


@pytest.mark.parametrize("text", [
    "Собрание 06.11.2026 в 18:00", "Костюм 1 500 руб., ткань 2 300 руб.", "Приказ № 45-од от 01.09.2026",
    "Группа 2-5, кабинет 214", "В 2025 году и в 2026 году", "Билеты по 450 ₽, всего 12 000 ₽",
    "Трек-номер 80081234567123", "Координаты 54.9435 20.1512", "Индекс 238560", "Счёт 3:2, потом 10:8",
    "Цена 8 900 123 рублей", "Версия 8.9.12.345.67",
])
def test_personal_data_numbers_that_only_look_like_data_are_not_found(text):
    assert found(text) == []


def test_personal_data_snils_with_valid_checksum_is_masked_keeping_layout():
    assert found("СНИЛС 112-233-445 95") == [("112-233-445 95", "СНИЛС", "***-***-*** 95")]


def test_personal_data_snils_with_wrong_checksum_is_a_decoy():
    assert found("СНИЛС 112-233-445 96 не принимает") == []


def test_personal_data_bare_snils_needs_its_keyword():
    assert found("СНИЛС 11223344595 без пробелов") == [("11223344595", "СНИЛС", "*********95")]
    assert found("номер 11223344595") == []


@pytest.mark.parametrize("written, masked", [
    ("45 12 345678", "** ** ****78"), ("4512 345678", "**** ****78"), ("4512 № 345678", "**** № ****78"),
])
def test_personal_data_passport_forms(written, masked):
    assert found(f"паспорт серия {written} выдан") == [(written, "паспортные данные", masked)]


def test_personal_data_bare_ten_digits_are_a_passport_only_after_the_word():
    assert found("паспорт 4512345678") == [("4512345678", "паспортные данные", "********78")]
    assert found("заказ 4512345678 едет") == []


def test_personal_data_inn_of_person_and_organisation_pass_checksums():
    assert found("ИНН 500100732259 и 7707083893") == [("500100732259", "ИНН", "**********59"),
                                                     ("7707083893", "ИНН", "********93")]
    assert found("ИНН 500100732250 не проходит") == []


def test_personal_data_cards_need_luhn():
    assert found("на карту 4276 3801 2345 6787") == [("4276 3801 2345 6787", "номер банковской карты",
                                                      "**** **** **** **87")]
    assert found("на карту 4276 3801 2345 6781") == []


def test_personal_data_email_keeps_first_letter_and_domain():
    assert found("почта ivanova.m@mail.ru, пишите") == [("ivanova.m@mail.ru", "адрес электронной почты", "i***@mail.ru")]


def test_personal_data_several_data_in_one_message_are_all_found():
    text = "СНИЛС 112-233-445 95, тел. 89001234512, почта a.b@bk.ru"
    assert spans(personal_data.find(message(text), CONTEXT), text) == [
        ("112-233-445 95", "СНИЛС"), ("89001234512", "номер телефона"), ("a.b@bk.ru", "адрес электронной почты")]


def test_personal_data_checksums_follow_the_official_algorithms():
    assert snils_valid("11223344595") and not snils_valid("11223344596")
    assert snils_valid("00100199800") is False          # numbers up to 001-001-998 carry no checksum
    assert inn_valid("7707083893") and inn_valid("500100732259") and not inn_valid("7707083894")
    assert luhn_valid("4276380123456787") and not luhn_valid("4276380123456781")
    assert passport_plausible("4512") and not passport_plausible("0012") and not passport_plausible("4560")


@pytest.mark.parametrize(("text", "written"), [
    ("а+7 912 100-10-10", "+7 912 100-10-10"), ("тел.+79121001010", "+79121001010"),
    ("+7 912 100-10-10 0", "+7 912 100-10-10"), ("0 +7 912 100-10-10", "+7 912 100-10-10"),
    ("тел89121001010", "89121001010"), ("звоните9121001010", "9121001010"),
])
def test_personal_data_phone_glued_to_a_word_or_next_to_a_number_is_found(text, written):
    assert found(text) == [(written, "номер телефона", "+7 9** ***-**-10")]


def test_personal_data_two_bare_phones_side_by_side_are_both_found():
    assert found("89121001010 89101234567") == [("89121001010", "номер телефона", "+7 9** ***-**-10"),
                                                ("89101234567", "номер телефона", "+7 9** ***-**-67")]


@pytest.mark.parametrize("text", [
    "id9121001010", "RA800812345RU", "5+79121001010", "заказ_89121001010", "Трек-номер 80081234567123",
])
def test_personal_data_number_inside_a_code_is_not_a_phone(text):
    assert found(text) == []


@pytest.mark.parametrize(("text", "shown"), [
    ("Перезвоните 8 912 100 10 10 55 вечером", "Перезвоните * *** *** ** ** 55 вечером"),
    ("Счёт 40817810099910004312, спасибо", "Счёт ******************12, спасибо"),
    ("Код 5+79121001010 готов", "Код *+*********10 готов"),
])
def test_personal_data_excerpt_hides_any_long_digit_run_the_scanner_let_through(text, shown):
    from compliance.scan import mask

    assert found(text) == []
    assert mask.excerpt(text, 0, len(text)) == shown


@pytest.mark.parametrize("text", [
    "Собрание 06.11.2026 18:00, каб. 214", "Костюм 1 500 руб., ткань 2 300 руб.", "Приказ № 45-од от 01.09.2026",
    "Индекс 238560, д. 7",
])
def test_personal_data_excerpt_keeps_dates_prices_and_short_numbers(text):
    from compliance.scan import mask

    assert mask.excerpt(text, 0, len(text)) == text

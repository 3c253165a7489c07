"""Export sender names and phones → people of the records."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from compliance.imports.senders import SenderMap, name_key, phone_key
from compliance.model.records import Person
from compliance.store.load import load

SAMPLE = Path(__file__).resolve().parents[2] / "records"


@pytest.fixture(scope="module")
def sample_map() -> SenderMap:
    return SenderMap(load(SAMPLE))


@pytest.mark.parametrize("display", [
    "Белова Светлана", "Светлана Белова", "Белова Светлана Юрьевна", "Светлана Юрьевна Белова",
    "БЕЛОВА  светлана", "  Белова Светлана 🌸 ", "Белова, Светлана",
])
def test_match_full_name_forms_find_the_person(sample_map, display):
    assert sample_map.match(display) == "belova-sy"


def test_match_yo_is_folded_both_ways(sample_map):
    assert (sample_map.match("Ковалев Андрей"), sample_map.match("Аксенова Полина"),
            sample_map.match("Аксёнова Полина")) == ("kovalev-ap", "st-001", "st-001")


def test_match_partial_names_and_strangers_are_unknown_and_counted():
    senders = SenderMap(load(SAMPLE))
    for display in ["Светлана", "Светлана Юрьевна", "Неизвестный Родитель", "Неизвестный Родитель", ""]:
        assert senders.match(display) is None
    assert senders.unknown == {"Светлана": 1, "Светлана Юрьевна": 1, "Неизвестный Родитель": 2, "": 1}
    assert senders.ambiguous == {}


def test_match_name_of_two_people_is_ambiguous_and_reported():
    people = [Person(id="ivanova-ma", surname="Иванова", name="Мария", patronymic="Андреевна"),
              Person(id="ivanova-ms", surname="Иванова", name="Мария", patronymic="Сергеевна")]
    senders = SenderMap(people=people)
    assert senders.match("Иванова Мария") is None
    assert senders.match("Иванова Мария Сергеевна") == "ivanova-ms"
    assert senders.ambiguous == {"Иванова Мария": ("ivanova-ma", "ivanova-ms")}
    assert senders.unknown == {}
    assert senders.matched == {"ivanova-ms": 1}


def test_match_phone_hook_finds_people_who_have_phones():
    people = [SimpleNamespace(id="p-1", surname="Орлова", name="Наталья", patronymic=None, phone="8 (912) 345-67-89")]
    senders = SenderMap(people=people)
    assert senders.match("+7 912 345-67-89", "+79123456789") == "p-1"
    assert senders.match("Орлова Наталья") == "p-1"
    assert senders.match("+7 900 000-00-00", "+79000000000") is None
    assert senders.unknown == {"+7 900 000-00-00": 1}


def test_match_sample_records_have_no_ambiguous_names(sample_map):
    assert sample_map.ambiguous == {}


def test_name_key_and_phone_key_normalise():
    assert name_key("  Ёлкина-Семёнова   АННА! ") == "елкина-семенова анна"
    assert phone_key("+7 (912) 345-67-89") == phone_key("8 912 3456789") == "9123456789"


def test_match_aliases_given_by_the_user_come_first():
    senders = SenderMap(load(SAMPLE), aliases={"Мама Никиты": "pr-001", "+7 916 555-44-33": "pr-002",
                                                "Белова Светлана": "st-049"})
    assert senders.match("мама никиты 🌸") == "pr-001"
    assert senders.match("\u202a+7 916 555-44-33\u202c", "+79165554433") == "pr-002"
    assert senders.match("8 916 555 44 33") == "pr-002"       # a Telegram sender shown as a number
    assert senders.match("Белова Светлана") == "st-049"        # the user's word over the records' name
    assert senders.matched == {"pr-001": 1, "pr-002": 2, "st-049": 1}


def test_match_within_a_group_the_roster_settles_shared_and_partial_names():
    people = [Person(id="ivanova-ma", surname="Иванова", name="Мария", patronymic="Андреевна"),
              Person(id="ivanova-ms", surname="Иванова", name="Мария", patronymic="Сергеевна"),
              Person(id="nazarova-ev", surname="Назарова", name="Елена", patronymic="Викторовна"),
              Person(id="nazarova-ea", surname="Назарова", name="Евгения", patronymic="Андреевна"),
              Person(id="orlova-nv", surname="Орлова", name="Наталья", patronymic="Викторовна")]
    senders = SenderMap(people=people, members=["ivanova-ms", "nazarova-ev", "nazarova-ea", "orlova-nv"])
    assert senders.match("Иванова Мария") == "ivanova-ms"       # the other Мария Иванова is not in the group
    assert senders.match("Наталья Викторовна") == "orlova-nv"
    assert senders.match("Наталья 🌸") == "orlova-nv"
    assert senders.match("Н. Орлова") == "orlova-nv"
    assert senders.match("Е. Назарова") is None                 # two members fit
    assert senders.match("Мария") == "ivanova-ms"               # the only Мария in the group
    assert senders.match("Елена Андреевна") is None             # fits nobody in the group
    assert senders.ambiguous == {"Е. Назарова": ("nazarova-ea", "nazarova-ev")}
    assert SenderMap(people=people).match("Наталья Викторовна") is None   # without a group nobody is guessed


def test_is_phone_tells_numbers_from_names():
    from compliance.imports.senders import is_phone

    assert [is_phone(t) for t in ["+7 (916) 555-44-33", "89165554433", "Мама 2011", "123-45", ""]] == [
        True, True, False, False, False]


def test_match_chat_names_from_people_yaml_map_the_sender():
    person = Person(id="pr-012", surname="Егорова", name="Анна", chat_names=["Мама Полины"])
    senders = SenderMap(people=[person])
    assert (senders.match("мама полины 🌸"), senders.match("Мама Никиты")) == ("pr-012", None)
    assert senders.unknown == {"Мама Никиты": 1}


def test_chat_names_refuse_a_phone_number():
    with pytest.raises(ValueError, match="«\\+7 916 555-44-33» в chat_names похоже на номер телефона"):
        Person(id="pr-012", surname="Егорова", name="Анна", chat_names=["+7 916 555-44-33"])

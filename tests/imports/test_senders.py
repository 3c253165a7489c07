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

"""Indexes the registry works out once per Records."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from compliance.model.records import Acknowledgement
from compliance.rules.acknowledgements import obligations
from compliance.store.load import load

SAMPLE = Path(__file__).resolve().parents[2] / "records"


@pytest.fixture(scope="module")
def sample():
    return load(SAMPLE)


def ack(person: str, act: str, version: int, day: int) -> Acknowledgement:
    return Acknowledgement(person=person, act=act, version=version, date=dt.date(2026, 9, day))


def test_acknowledgements_by_person_sorted_by_act_and_version_records_order_among_equal(sample):
    acks = (ack("a", "rules", 2, 1), ack("b", "rules", 1, 2), ack("a", "order", 1, 3), ack("a", "rules", 1, 4),
            ack("a", "order", 1, 5))
    records = dataclasses.replace(sample, acknowledgements=acks)
    by_person = records.acknowledgements_by_person
    assert [(a.act, a.version, a.date.day) for a in by_person["a"]] == [
        ("order", 1, 3), ("order", 1, 5), ("rules", 1, 4), ("rules", 2, 1)]
    assert [a.date.day for a in by_person["b"]] == [2]
    assert "c" not in by_person


def test_acknowledgements_by_person_covers_every_acknowledgement(sample):
    by_person = sample.acknowledgements_by_person
    assert sum(map(len, by_person.values())) == len(sample.acknowledgements)
    assert all(a.person == pid for pid, items in by_person.items() for a in items)


def test_memo_belongs_to_one_records(sample):
    sample.memo["probe"] = 1
    assert "probe" not in dataclasses.replace(sample).memo
    del sample.memo["probe"]


def test_obligations_remembered_per_date_are_equal_and_a_fresh_list(sample):
    on = dt.date(2026, 11, 30)
    first = obligations(sample, on)
    first.clear()
    again = obligations(sample, on)
    assert again and again == obligations(dataclasses.replace(sample), on)
    assert obligations(sample, dt.date(2026, 9, 1)) != again
    assert obligations(sample, on, groups=sample.groups) == again       # given groups: worked out anew

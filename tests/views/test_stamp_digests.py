"""Stamp digests worked out once per Records equal the straightforward computation, whatever the order of
the acknowledgements in the file and however many each person has."""
from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest

from compliance.build import document_set
from compliance.model.records import Acknowledgement
from compliance.store.load import load
from compliance.views.acknowledgement_sheet import pending_sheets
from compliance.views.stamp import record_digest, register_stamp, report_stamp, sheet_stamp

SAMPLE = Path(__file__).resolve().parents[2] / "records"


@pytest.fixture(scope="module")
def sample():
    return load(SAMPLE)


def straightforward(records, pid: str) -> str:
    """The digest of a person's acknowledgements, as first written: a scan of all of them."""
    own = sorted((a for a in records.acknowledgements if a.person == pid), key=lambda a: (a.act, a.version))
    return record_digest(own)


def several_per_person(records):
    """The sample with every person's acknowledgements doubled by later versions and dates, and all shuffled:
    several per person, of several acts and versions, in no order."""
    extra = [a.model_copy(update={"version": a.version + 1, "date": a.date + dt.timedelta(days=30)})
             for a in records.acknowledgements]
    extra += [Acknowledgement(person=a.person, act="chat-rules" if a.act == "poryadok" else "poryadok", version=3,
                              date=dt.date(2026, 11, 20)) for a in records.acknowledgements[::3]]
    acks = list(records.acknowledgements) + extra
    random.Random(7).shuffle(acks)
    return dataclasses.replace(records, acknowledgements=tuple(acks))


def test_report_stamp_acknowledgement_digests_equal_a_scan_of_all_acknowledgements(sample):
    records = several_per_person(sample)
    assert max(len(v) for v in records.acknowledgements_by_person.values()) >= 4
    digests = dict(report_stamp(records, "2026-11").digests)
    people = {key.split("#", 1)[1] for key in digests if key.startswith("acknowledgements.yaml#")}
    assert len(people) > 50
    for pid in people:
        assert digests[f"acknowledgements.yaml#{pid}"] == straightforward(records, pid), pid


def test_stamps_of_every_document_equal_those_of_fresh_records(sample):
    records = several_per_person(sample)
    first = [(view.file_stem, view.stamp) for view in document_set(records)]
    again = [(view.file_stem, view.stamp) for view in document_set(records)]                # remembered digests
    fresh = [(view.file_stem, view.stamp) for view in document_set(dataclasses.replace(records))]   # none
    assert first == again == fresh


def test_sheet_and_register_stamps_name_each_record_with_its_own_digest(sample):
    records = several_per_person(sample)
    group, act, version, _ = pending_sheets(records)[0]
    digests = dict(sheet_stamp(records, group, act, version).digests)
    for pid in group.members:
        assert digests[f"people.yaml#{pid}"] == record_digest(records.people[pid])
        assert digests[f"acknowledgements.yaml#{pid}"] == straightforward(records, pid)
    assert digests[f"groups.yaml#{group.id}"] == record_digest(group)
    register = dict(register_stamp(records, 2026, "од").digests)
    for key, digest in register.items():
        if key.startswith("acknowledgements.yaml#"):
            assert digest == straightforward(records, key.split("#", 1)[1])


def test_stamp_of_changed_acknowledgements_changes_and_the_old_records_keep_theirs(sample):
    before = report_stamp(sample, "2026-11")
    ack = sample.acknowledgements[0]
    changed = dataclasses.replace(sample, acknowledgements=(ack.model_copy(update={"date": ack.date + dt.timedelta(days=1)}),
                                                            *sample.acknowledgements[1:]))
    after = dict(report_stamp(changed, "2026-11").digests)
    key = f"acknowledgements.yaml#{ack.person}"
    assert after[key] == straightforward(changed, ack.person) != dict(before.digests)[key]
    assert report_stamp(sample, "2026-11") == before


def test_person_without_acknowledgements_gets_the_digest_of_none(sample):
    records = dataclasses.replace(sample, acknowledgements=())
    digests = dict(report_stamp(records, "2026-11").digests)
    assert {d for k, d in digests.items() if k.startswith("acknowledgements.yaml#")} == {record_digest([])}

"""Checking and recording sign-offs (store/acknowledgements.py)."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.model.records import AckMethod
from compliance.rules.acknowledgements import base_deadline, current_version, needs_representative
from compliance.store.acknowledgements import AckRules, SignOff, next_sheet_number, parse_date, record, refusals
from compliance.store.load import load

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "records"
TODAY = dt.date(2026, 11, 26)
RULES = AckRules(current_version, lambda records, pid, version: needs_representative(records, pid, base_deadline(records, version)))


@pytest.fixture
def root(tmp_path, monkeypatch):
    shutil.copytree(SAMPLE, tmp_path / "records")
    monkeypatch.chdir(tmp_path)
    return Path("records")


# ---------------------------------------------------------------- dates as people type them

@pytest.mark.parametrize("text,expected", [
    ("14.11.2026", dt.date(2026, 11, 14)), ("4.1.2026", dt.date(2026, 1, 4)), ("14.11.26", dt.date(2026, 11, 14)),
    ("14.11.2026 г.", dt.date(2026, 11, 14)), (" 14.11.2026г ", dt.date(2026, 11, 14)), ("2026-11-14", dt.date(2026, 11, 14)),
    ("14/11/2026", dt.date(2026, 11, 14)), ("31.11.2026", None), ("вчера", None), ("14 ноября", None), ("", None),
])
def test_parse_date_forms_an_administrator_types(text, expected):
    assert parse_date(text) == expected


# ---------------------------------------------------------------- writing

def test_record_keeps_comments_ruamel_would_drop(root):
    """A comment line after a flow mapping without an end-of-line comment survives the write."""
    path = root / "acknowledgements.yaml"
    path.write_text("acknowledgements:\n"
                    "  # Лист ЛО-1\n"
                    "  - {person: pr-001, act: poryadok, version: 1, date: 2026-09-14, sheet: \"ЛО-1\"}\n"
                    "  # за обучающегося расписывается родитель\n"
                    "  - {person: st-050, act: poryadok, version: 1, date: 2026-09-17, sheet: \"ЛО-5\", signed_by: pr-049}\n"
                    "  # конец\n", encoding="utf-8")
    records = load(root)
    record(records, [SignOff("pr-002", "poryadok", 1, dt.date(2026, 9, 15), sheet="ЛО-1")])
    assert path.read_text(encoding="utf-8") == (
        "acknowledgements:\n"
        "  # Лист ЛО-1\n"
        "  - {person: pr-001, act: poryadok, version: 1, date: 2026-09-14, sheet: \"ЛО-1\"}\n"
        "  - {person: pr-002, act: poryadok, version: 1, date: 2026-09-15, method: бумажный лист, sheet: \"ЛО-1\"}  # Аксёнов И.В.\n"
        "  # за обучающегося расписывается родитель\n"
        "  - {person: st-050, act: poryadok, version: 1, date: 2026-09-17, sheet: \"ЛО-5\", signed_by: pr-049}\n"
        "  # конец\n")


LINE = st.fixed_dictionaries({"comment": st.booleans(), "blank": st.booleans(), "eol": st.booleans(),
                               "electronic": st.booleans()})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=st.lists(LINE, min_size=1, max_size=6), tail=st.booleans(), new=st.lists(st.booleans(), min_size=1, max_size=3))
def test_record_changes_nothing_but_the_new_lines(root, layout, tail, new):
    """Whatever the layout (comments, blank lines, end-of-line comments or none), the file after a write
    is the file before it plus the new lines."""
    lines = ["# Ознакомление", "acknowledgements:"]
    for i, item in enumerate(layout):
        lines += [f"  # перед {i}"] * item["comment"] + [""] * item["blank"]
        method = ", method: электронно" if item["electronic"] else ""
        lines.append(f"  - {{person: pr-{i + 1:03d}, act: poryadok, version: 1, date: 2026-09-14{method}}}"
                     + f"  # строка {i}" * item["eol"])
    lines += ["  # конец"] * tail
    before = "\n".join(lines) + "\n"
    path = root / "acknowledgements.yaml"
    path.write_text(before, encoding="utf-8")
    sign_offs = [SignOff(f"pr-{i:03d}", "poryadok", 1, dt.date(2026, 9, 20), AckMethod.ELECTRONIC if e else AckMethod.PAPER)
                 for i, e in enumerate(new, 11)]
    record(load(root), sign_offs)
    after = path.read_text(encoding="utf-8").splitlines()
    added = [line for line in after if "person: pr-01" in line]
    assert len(added) == len(new)
    heading = "  # Электронно (форма ознакомления в группе)"   # before the first electronic line, if there was none
    assert [line for line in after if line not in added and line != heading] == before.splitlines()


def test_record_keeps_windows_line_ends_and_touches_no_other_file(root):
    path = root / "acknowledgements.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    others = {p: p.read_bytes() for p in root.rglob("*.yaml") if p != path}
    before = path.read_bytes()
    records = load(root)
    written = record(records, [SignOff("pr-011", "poryadok", 1, dt.date(2026, 11, 20), AckMethod.ELECTRONIC)])
    assert written.written == (path,)
    after = path.read_bytes()
    assert after.count(b"\r\n") == before.count(b"\r\n") + 1 and after.count(b"\n") == after.count(b"\r\n")
    assert {p: p.read_bytes() for p in others} == others


def test_record_into_a_folder_without_acknowledgements_creates_the_file(root):
    (root / "acknowledgements.yaml").unlink()
    records = load(root)
    done = record(records, [SignOff("pr-011", "poryadok", 1, dt.date(2026, 11, 20), sheet="ЛО-1")])
    assert (root / "acknowledgements.yaml").read_text(encoding="utf-8") == (
        "# Ознакомление участников групп с локальными актами (п. 2.3 Порядка).\n"
        "# Одна строка — один человек, один акт, одна редакция.\n"
        "acknowledgements:\n"
        '  - {person: pr-011, act: poryadok, version: 1, date: 2026-11-20, method: бумажный лист, sheet: "ЛО-1"}  # Дьяченко М.А.\n')
    assert done.lines == (4,)
    assert load(root).acknowledgement("pr-011", "poryadok", 1) is not None


def test_record_dry_run_writes_nothing(root):
    before = (root / "acknowledgements.yaml").read_bytes()
    done = record(load(root), [SignOff("pr-011", "poryadok", 1, dt.date(2026, 11, 20))], dry_run=True)
    assert (done.written, (root / "acknowledgements.yaml").read_bytes()) == ((), before)


def test_next_sheet_number_follows_the_records():
    assert next_sheet_number(load(SAMPLE)) == "ЛО-13"


# ---------------------------------------------------------------- refusals

def test_refusals_version_of_a_draft_order(root, monkeypatch):
    from compliance.store.orders import new_order

    new_order(root, date=dt.date(2026, 11, 20), approves=[("chat-rules", None)], today=TODAY)
    records = load(root)
    found = refusals(records, SignOff("pr-026", "chat-rules", 3, dt.date(2026, 11, 24)), TODAY, RULES)
    assert [r.render() for r in found] == [
        "Редакция 3 акта «Правила использования чата» не действует: приказ № 72-од ещё не подписан (проект).\n"
        "  Как исправить: знакомят под подпись с редакцией, утверждённой подписанным приказом; подпишите приказ "
        "(compliance order sign 72-од) или укажите другую редакцию."]


def test_refusals_none_for_a_valid_sign_off():
    assert refusals(load(SAMPLE), SignOff("pr-026", "chat-rules", 2, dt.date(2026, 11, 24)), TODAY, RULES) == []

"""Writing records: the user's layout survives, a bad or failed write changes nothing, one writer at a time."""
from __future__ import annotations

import datetime as dt
import difflib
import fcntl
import hashlib
import os
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.errors import RecordsError, UsageError
from compliance.store import write
from compliance.store.write import Changes, changing, dump, edit_text, parse, update_yaml

SAMPLE = Path(__file__).resolve().parents[2] / "records"


@pytest.fixture
def records(tmp_path, monkeypatch):
    root = tmp_path / "records"
    shutil.copytree(SAMPLE, root)
    monkeypatch.chdir(tmp_path)
    return Path("records")


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".lock"}


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def group(data, group_id):
    return next(g for g in data["groups"] if g["id"] == group_id)


@pytest.mark.parametrize("name", sorted(str(p.relative_to(SAMPLE)) for p in SAMPLE.rglob("*.yaml")))
def test_round_trip_of_every_sample_file_is_byte_identical(name):
    text = (SAMPLE / name).read_text(encoding="utf-8")
    assert dump(parse(text)) == text


def test_update_yaml_changes_only_the_intended_line(records):
    before = (records / "groups.yaml").read_text(encoding="utf-8")
    written = update_yaml(records / "groups.yaml", lambda d: group(d, "raduga-parents").__setitem__("order", "2026-071-од"))
    assert written == [records / "groups.yaml"]
    after = (records / "groups.yaml").read_text(encoding="utf-8")
    assert changed_lines(before, after) == ["-    order: 2026-045-од", "+    order: 2026-071-од"]


def test_update_yaml_null_with_comment_keeps_the_comment(records):
    before = (records / "groups.yaml").read_text(encoding="utf-8")
    update_yaml(records / "groups.yaml", lambda d: group(d, "maska-parents").__setitem__("registered", dt.date(2026, 11, 20)))
    after = (records / "groups.yaml").read_text(encoding="utf-8")
    assert changed_lines(before, after) == ["-    registered: null  # не зарегистрирована",
                                            "+    registered: 2026-11-20 # не зарегистрирована"]


def test_update_yaml_in_flow_style_keeps_quotes_and_comments(records):
    before = (records / "acknowledgements.yaml").read_text(encoding="utf-8")

    def redate(data):
        data["acknowledgements"][0]["date"] = dt.date(2026, 9, 15)

    update_yaml(records / "acknowledgements.yaml", redate)
    after = (records / "acknowledgements.yaml").read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        '-  - {person: pr-001, act: poryadok, version: 1, date: 2026-09-14, method: бумажный лист, sheet: "ЛО-1"}  # Аксёнова Н.С.',
        '+  - {person: pr-001, act: poryadok, version: 1, date: 2026-09-15, method: бумажный лист, sheet: "ЛО-1"}  # Аксёнова Н.С.',
    ]


def test_update_yaml_without_change_writes_nothing(records):
    before = snapshot(records)
    assert update_yaml(records / "groups.yaml", lambda d: None) == []
    assert snapshot(records) == before


def test_update_yaml_that_breaks_a_reference_is_refused_and_changes_nothing(records):
    before = snapshot(records)
    with pytest.raises(RecordsError) as error:
        update_yaml(records / "groups.yaml", lambda d: group(d, "maska-parents").__setitem__("admin", "ivanova-ma"))
    assert error.value.render() == (
        "records/groups.yaml:63:12: группа «ДДТ. Театральная студия «Маска». Родители»: администратор «ivanova-ma» "
        "не найден среди сотрудников в people.yaml\n"
        "  Как исправить: добавьте сотрудника с таким id в раздел staff или укажите id существующего сотрудника\n"
        "Найдено ошибок: 1. Файлы в records/ не изменены.")
    assert snapshot(records) == before


def test_update_yaml_replace_failure_leaves_the_file_byte_identical(records, monkeypatch):
    before = snapshot(records)

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.os, "replace", full_disk)
    with pytest.raises(UsageError) as error:
        update_yaml(records / "groups.yaml", lambda d: group(d, "raduga-parents").__setitem__("order", "2026-071-од"))
    assert str(error.value) == (
        "Не удалось записать records/groups.yaml (No space left on device). Файлы в records/ не изменены.\n"
        "  Как исправить: проверьте, что на диске есть место и у вас есть права на запись в папку записей, "
        "и повторите команду.")
    assert snapshot(records) == before
    assert sorted(p.name for p in records.rglob(".*.tmp")) == []


def test_commit_failure_on_the_second_file_takes_back_the_first(records, monkeypatch):
    before = snapshot(records)
    real_replace = os.replace
    calls = []

    def second_fails(src, dst):
        if Path(dst).name == write.JOURNAL_NAME:   # the journal of a write of several files: not a records file
            return real_replace(src, dst)
        calls.append(Path(dst).name)
        if len(calls) == 2:
            raise OSError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", second_fails)
    with pytest.raises(UsageError):
        with changing(records) as changes:
            changes.update(records / "acts" / "chat-rules.yaml", lambda d: d.__setitem__("title", "Правила чата"))
            changes.update(records / "groups.yaml", lambda d: group(d, "raduga-parents").__setitem__("title", "Радуга"))
            changes.commit()
    assert calls == ["chat-rules.yaml", "groups.yaml", "chat-rules.yaml"]  # the last one puts the old text back
    assert snapshot(records) == before


def test_create_then_failure_removes_the_created_file(records, monkeypatch):
    before = snapshot(records)
    real_replace = os.replace

    def fail_on_groups(src, dst):
        if Path(dst).name == "groups.yaml":
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", fail_on_groups)
    order = parse((records / "orders" / "2026-071-од.yaml").read_text(encoding="utf-8"))
    order["number"] = 72
    with pytest.raises(UsageError):
        with changing(records) as changes:
            changes.create(records / "orders" / "2026-072-од.yaml", order)
            changes.update(records / "groups.yaml", lambda d: group(d, "raduga-parents").__setitem__("order", "2026-072-од"))
            changes.commit()
    assert snapshot(records) == before


def test_create_over_an_existing_file_is_refused(records):
    with pytest.raises(UsageError) as error:
        with changing(records) as changes:
            changes.create(records / "groups.yaml", parse("groups: []\n"))
    assert str(error.value) == ("Файл records/groups.yaml уже существует; он не тронут.\n"
                                "  Как исправить: выберите другое имя или удалите старый файл, если он не нужен.")


def test_file_changed_by_someone_else_meanwhile_is_not_overwritten(records):
    with pytest.raises(UsageError) as error:
        with changing(records) as changes:
            changes.update(records / "groups.yaml", lambda d: group(d, "raduga-parents").__setitem__("title", "Радуга"))
            with open(records / "groups.yaml", "a", encoding="utf-8") as editor:
                editor.write("# правка в редакторе\n")
            changes.commit()
    assert str(error.value).startswith("Файл records/groups.yaml изменился, пока команда готовила запись; ничего не записано.")
    assert (records / "groups.yaml").read_text(encoding="utf-8").endswith("# правка в редакторе\n")


def test_lock_held_by_another_command_fails_with_russian_message(records, monkeypatch):
    monkeypatch.setattr(write, "LOCK_TIMEOUT", 0.2)
    before = snapshot(records)
    with open(records / ".lock", "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX)  # another process's open file: flock does not share it with ours
        with pytest.raises(UsageError) as error:
            update_yaml(records / "groups.yaml", lambda d: group(d, "raduga-parents").__setitem__("title", "Радуга"))
    assert str(error.value) == (
        "Записи в «records» сейчас изменяет другая команда compliance (занят файл records/.lock); ждали 0.2 с.\n"
        "  Как исправить: дождитесь, пока другая команда закончит работу, и повторите свою.")
    assert snapshot(records) == before


def test_lock_released_while_waiting_lets_the_write_through(records):
    other = open(records / ".lock", "a")
    fcntl.flock(other, fcntl.LOCK_EX)
    releaser = threading.Timer(0.3, other.close)
    releaser.start()
    try:
        written = update_yaml(records / "groups.yaml", lambda d: group(d, "raduga-parents").__setitem__("title", "Радуга"))
    finally:
        releaser.join()
    assert written == [records / "groups.yaml"]


def test_lock_is_reentrant_within_one_command(records):
    with changing(records):
        assert update_yaml(records / "groups.yaml", lambda d: None) == []


def test_written_file_keeps_its_permissions(records):
    os.chmod(records / "groups.yaml", 0o640)
    update_yaml(records / "groups.yaml", lambda d: group(d, "raduga-parents").__setitem__("title", "Радуга"))
    assert (records / "groups.yaml").stat().st_mode & 0o777 == 0o640


def test_bom_crlf_and_cyrillic_survive_a_write(records):
    path = records / "institution.yaml"
    original = path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + original)
    update_yaml(path, lambda d: d.__setitem__("place", "пгт Янтарный"))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8")
    assert text.count("\r\n") == text.count("\n")
    assert changed_lines(original.decode("utf-8").replace("\r\n", "\n"), text.replace("\r\n", "\n")) == [
        "-place: г. Светлогорск", "+place: пгт Янтарный"]


def test_edit_text_keeps_a_users_own_indentation():
    text = "groups:\n- id: a  # первая\n  tasks:\n  - x\n  order: '1'\n- id: b\n  order: \"2\"\n"
    edited = edit_text(text, lambda d: d["groups"][1].__setitem__("order", "3"))
    assert changed_lines(text, edited) == ['-  order: "2"', '+  order: "3"']


def test_edit_text_keeps_empty_values_as_the_user_wrote_them():
    text = "a:\n    b: 1   # комментарий\nz: null\ne:\nf: ~\n"
    assert edit_text(text, lambda d: d["a"].__setitem__("b", 5)) == "a:\n    b: 5   # комментарий\nz: null\ne:\nf: ~\n"


def test_changes_see_their_own_earlier_edits(records):
    with changing(records) as changes:
        changes.update(records / "groups.yaml", lambda d: group(d, "raduga-parents").__setitem__("title", "Радуга"))
        assert group(changes.document(records / "groups.yaml"), "raduga-parents")["title"] == "Радуга"


def test_unsafe_file_is_not_round_tripped(records):
    (records / "groups.yaml").write_text("groups: !!python/object:os.system []\n", encoding="utf-8")
    with pytest.raises(RecordsError) as error:
        with changing(records) as changes:
            changes.document(records / "groups.yaml")
    assert "недопустимый тег YAML «!!python/object:os.system»" in error.value.render()


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")), max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=TEXT)
def test_any_text_value_survives_and_other_lines_stay(value):
    text = "# Приказ\n\nnumber: 72\ntitle: x   # заголовок\nseries: од\n"
    edited = edit_text(text, lambda d: d.__setitem__("title", value))
    assert parse(edited)["title"] == value
    lines = edited.splitlines()
    assert lines[:3] == ["# Приказ", "", "number: 72"] and lines[-1] == "series: од"

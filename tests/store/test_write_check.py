"""The check before a write: the records as they would be, loaded from memory — no copy of them on disk."""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from compliance.errors import RecordsError
from compliance.store import load as load_module
from compliance.store import write
from compliance.store.load import load
from compliance.store.write import changing, parse, update_yaml
from cli_support import copy_sample

SAMPLE = Path(__file__).resolve().parents[2] / "records"
BROKEN_REFERENCE = (
    "records/groups.yaml:63:12: группа «ДДТ. Театральная студия «Маска». Родители»: администратор «ivanova-ma» "
    "не найден среди сотрудников в people.yaml\n"
    "  Как исправить: добавьте сотрудника с таким id в раздел staff или укажите id существующего сотрудника\n"
    "Найдено ошибок: 1. Файлы в records/ не изменены.")


@pytest.fixture
def records(tmp_path, monkeypatch):
    return copy_sample(tmp_path, monkeypatch)


@pytest.fixture
def temp(tmp_path, monkeypatch):
    """An empty folder as the system temp folder (TMPDIR), and every temporary file or folder made, by folder."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    made: list[str] = []
    for name in ("mkstemp", "mkdtemp"):
        real = getattr(tempfile, name)

        def spy(*args, real=real, **kwargs):
            path = real(*args, **kwargs)
            made.append(os.path.dirname(path[1] if isinstance(path, tuple) else path))
            return path

        monkeypatch.setattr(tempfile, name, spy)
    return folder, made


@pytest.fixture
def during_check(monkeypatch):
    """What the temp folder and the records folder hold while the check loads the records."""
    seen: list[tuple[list[str], dict[str, str]]] = []
    real = load_module._load

    def spy(root, overrides):
        if overrides:
            seen.append((sorted(os.listdir(tempfile.gettempdir())), snapshot(root)))
        return real(root, overrides)

    monkeypatch.setattr(load_module, "_load", spy)
    return seen


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(root).rglob("*")) if p.is_file() and p.name != ".lock"}


def group(data, group_id):
    return next(g for g in data["groups"] if g["id"] == group_id)


def test_check_of_a_bad_change_refuses_it_with_the_real_path_and_writes_nothing_anywhere(records, temp, during_check):
    folder, made = temp
    before = snapshot(records)
    with pytest.raises(RecordsError) as error:
        update_yaml(records / "groups.yaml", lambda d: group(d, "maska-parents").__setitem__("admin", "ivanova-ma"))
    assert error.value.render() == BROKEN_REFERENCE
    assert during_check == [([], before)]          # while checking: the temp folder empty, the records as they were
    assert (made, os.listdir(folder), snapshot(records)) == ([], [], before)


def test_check_of_a_good_change_makes_no_temporary_file_but_the_one_beside_the_record(records, temp, during_check):
    folder, made = temp
    before = snapshot(records)
    update_yaml(records / "groups.yaml", lambda d: group(d, "raduga-parents").__setitem__("order", "2026-071-од"))
    assert during_check == [([], before)]
    assert made == [os.path.abspath(records)]      # the atomic write's temporary file, beside groups.yaml
    assert os.listdir(folder) == []
    assert load(records).groups_by_id["raduga-parents"].order == "2026-071-од"


def test_check_sees_a_new_file_in_its_folder_and_refuses_it_at_its_own_line(records, temp, during_check):
    folder, made = temp
    before = snapshot(records)
    order = parse((records / "orders" / "2026-071-од.yaml").read_text(encoding="utf-8"))
    order["number"] = 72
    order["date"] = "вчера"
    with pytest.raises(RecordsError) as error:
        with changing(records) as changes:
            changes.create(records / "orders" / "2026-072-од.yaml", order)
            changes.commit()
    assert error.value.render().splitlines()[0].startswith("records/orders/2026-072-од.yaml:")
    assert "«вчера»" in error.value.render()
    assert during_check == [([], before)]
    assert (made, os.listdir(folder), snapshot(records)) == ([], [], before)


def test_load_with_overrides_reports_as_loading_the_same_bytes_from_the_file(records, tmp_path):
    broken = (records / "people.yaml").read_bytes().replace(b"staff:", b"staff: [", 1)
    with pytest.raises(RecordsError) as from_memory:
        load(records, {records / "people.yaml": broken})
    on_disk = tmp_path / "copy"
    shutil.copytree(records, on_disk)
    (on_disk / "people.yaml").write_bytes(broken)
    with pytest.raises(RecordsError) as from_file:
        load(on_disk)
    assert from_memory.value.render() == from_file.value.render().replace("copy/", "records/")
    assert from_memory.value.render().startswith("records/people.yaml:")


def test_load_with_overrides_takes_a_path_relative_to_the_folder_and_an_unknown_new_file(records):
    with pytest.raises(RecordsError) as error:
        load(records, {"notes.yml": b"a: 1\n"})
    assert error.value.render() == (
        "records/notes.yml:1:1: неизвестный файл записей «notes.yml»\n"
        "  Как исправить: переименуйте его в один из: institution.yaml, people.yaml, groups.yaml, "
        "acknowledgements.yaml или уберите из папки\n"
        "Найдено ошибок: 1. Файлы в records/ не изменены.")
    assert not (records / "notes.yml").exists()


def test_validate_is_load_with_the_new_contents(records, monkeypatch):
    calls = []
    monkeypatch.setattr(load_module, "load", lambda root, overrides=None: calls.append((root, overrides)))
    write.validate(records, {records / "groups.yaml": b"groups: []\n"})
    assert calls == [(records, {records / "groups.yaml": b"groups: []\n"})]


def test_load_with_an_override_outside_the_folder_is_a_bug_not_a_silent_pass(records, tmp_path):
    with pytest.raises(ValueError, match="is not in the records folder records"):
        load(records, {tmp_path / "elsewhere" / "groups.yaml": b"groups: []\n"})

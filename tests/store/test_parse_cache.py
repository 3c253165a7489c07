"""Files read before in the same process are not parsed again; what changed is, and every problem still names
the file and line of the folder it was read from."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compliance.errors import RecordsError
from compliance.store import load as load_module
from compliance.store import yamlfile
from compliance.store.load import forget_loaded, load
from compliance.store.yamlfile import forget_parsed, read_located

SAMPLE = Path(__file__).resolve().parents[2] / "records"


@pytest.fixture
def parsed(monkeypatch):
    """The files actually parsed (not taken from memory), in order; both caches start empty."""
    forget_parsed()
    forget_loaded()
    seen: list[Path] = []
    real = yamlfile._parse

    def counting(path, text, *, positions):
        seen.append(path)
        return real(path, text, positions=positions)

    monkeypatch.setattr(yamlfile, "_parse", counting)
    yield seen
    forget_parsed()
    forget_loaded()


def copy_sample(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(SAMPLE, root)
    return root


def test_read_located_same_text_is_parsed_once_and_a_changed_one_again(tmp_path, parsed):
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\nb: [x, y]\n", encoding="utf-8")
    first, _ = read_located(path)
    second, _ = read_located(path)
    assert parsed == [path]
    assert second.data == {"a": 1, "b": ["x", "y"]}
    path.write_text("a: 2\nb: [x, y]\n", encoding="utf-8")
    third, _ = read_located(path)
    assert parsed == [path, path]
    assert third.data == {"a": 2, "b": ["x", "y"]}


def test_read_located_remembered_data_is_a_fresh_copy_each_time(tmp_path, parsed):
    path = tmp_path / "f.yaml"
    path.write_text("b: [x, y]\n", encoding="utf-8")
    first, _ = read_located(path)
    first.data["b"].append("changed by a caller")
    second, _ = read_located(path)
    assert second.data == {"b": ["x", "y"]}
    assert parsed == [path]


def test_read_located_remembered_text_in_another_folder_gives_its_own_path_and_positions(tmp_path, parsed):
    text = "groups:\n  - id: a\n    members: [x, y]\n"
    one, other = tmp_path / "one" / "g.yaml", tmp_path / "other" / "g.yaml"
    for path in (one, other):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    read_located(one)
    located, problems = read_located(other)
    assert parsed == [one]
    assert located.path == other
    assert located.keys[("groups", 0, "members")] == (3, 5)
    assert located.values[("groups", 0, "members", 1)] == (3, 18)
    assert located.problem(("groups", 0, "members", 1), "м", "и") == yamlfile.Problem(other, 3, 18, "м", "и")


def test_read_located_remembered_problems_name_the_second_file(tmp_path, parsed):
    text = "a: 1\nb: 2\na: 3\nc: \"не закрыта\n"
    one, other = tmp_path / "one.yaml", tmp_path / "other.yaml"
    for path in (one, other):
        path.write_text(text, encoding="utf-8")
    _, first = read_located(one)
    _, second = read_located(other)
    assert parsed == [one]
    assert first and [p.path for p in second] == [other] * len(first)
    assert [(p.line, p.column, p.message, p.fix) for p in second] == [(p.line, p.column, p.message, p.fix) for p in first]


def test_read_located_limits_are_part_of_what_is_remembered(tmp_path, parsed, monkeypatch):
    path = tmp_path / "f.yaml"
    path.write_text("a: [[[x]]]\n", encoding="utf-8")
    assert read_located(path)[1] == []
    monkeypatch.setattr(yamlfile, "MAX_DEPTH", 2)
    located, problems = read_located(path)
    assert located is None and [p.message for p in problems] == ["слишком глубокая вложенность"]
    assert parsed == [path, path]


def test_load_second_folder_with_one_changed_file_parses_only_that_file(tmp_path, parsed):
    first = copy_sample(tmp_path, "first")
    load(first)
    assert len(parsed) == len(list(first.rglob("*.yaml")))
    second = copy_sample(tmp_path, "second")
    groups = (second / "groups.yaml").read_text(encoding="utf-8")
    assert "ДДТ. Робикс. Родители" in groups
    (second / "groups.yaml").write_text(groups.replace("ДДТ. Робикс. Родители", "ДДТ. Робототехника. Родители"),
                                        encoding="utf-8")
    parsed.clear()
    records = load(second)
    assert parsed == [second / "groups.yaml"]
    assert "ДДТ. Робототехника. Родители" in [g.title for g in records.groups]
    assert records.root == second


def test_load_same_folder_twice_parses_nothing_the_second_time_and_gives_equal_records(tmp_path, parsed):
    root = copy_sample(tmp_path, "records")
    once = load(root)
    parsed.clear()
    twice = load(root)
    assert parsed == []
    assert twice == once


def test_load_problems_in_unchanged_files_point_into_the_folder_loaded(tmp_path, parsed):
    first = copy_sample(tmp_path, "first")
    load(first)
    second = copy_sample(tmp_path, "second")
    people = (second / "people.yaml").read_text(encoding="utf-8")
    (second / "people.yaml").write_text(people.replace("{id: prokhorova-ta,", "{id: prokhorova-tb,"), encoding="utf-8")
    parsed.clear()
    with pytest.raises(RecordsError) as remembered:
        load(second)
    assert parsed[0] == second / "people.yaml"
    where = {(p.path, p.line, p.column) for p in remembered.value.problems}
    # institution.yaml and the orders were not parsed again, yet the problems name them in `second`, at their lines
    assert (second / "institution.yaml", 13, 11) in where
    assert (second / "orders" / "2026-045-од.yaml", 21, 12) in where
    forget_parsed()
    forget_loaded()
    with pytest.raises(RecordsError) as fresh:
        load(second)
    assert remembered.value.problems == fresh.value.problems


def test_load_file_with_a_problem_is_not_remembered_as_valid(tmp_path, parsed):
    root = copy_sample(tmp_path, "records")
    original = (root / "institution.yaml").read_text(encoding="utf-8")
    (root / "institution.yaml").write_text(original.replace("ownership: муниципальное", "ownership: королевское"),
                                           encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RecordsError) as error:
            load(root)
        assert [(p.path.name, p.line) for p in error.value.problems] == [("institution.yaml", 8)]
    (root / "institution.yaml").write_text(original, encoding="utf-8")
    assert load(root).institution.ownership.value == "муниципальное"


def test_load_kept_models_stay_within_the_limit(tmp_path, parsed, monkeypatch):
    monkeypatch.setattr(load_module, "MODEL_CACHE_CHARS", 3000)
    root = copy_sample(tmp_path, "records")
    load(root)
    assert 0 < load_module._models_chars <= 3000
    assert all(size <= 3000 for _, size in load_module._models.values())

"""Reading one YAML file: values, positions, and refusal of what records never contain."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.errors import RecordsError
from compliance.store.load import load
from compliance.store.yamlfile import read_located

SAMPLE = Path(__file__).resolve().parents[2] / "records"


def read(tmp_path, text: str):
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    return read_located(path)


def test_read_folded_text_has_no_fold_markers(tmp_path):
    located, problems = read(tmp_path, "basis: >-\n  первая строка\n  вторая строка\n")
    assert problems == []
    assert located.data == {"basis": "первая строка вторая строка"}


def test_read_keeps_positions_of_keys_and_values(tmp_path):
    located, _ = read(tmp_path, "groups:\n  - id: a\n    members: [x, y]\n")
    assert located.keys[("groups", 0, "members")] == (3, 5)
    assert located.values[("groups", 0, "members", 1)] == (3, 18)


def test_read_dates_and_yaml12_booleans(tmp_path):
    located, problems = read(tmp_path, "d: 2026-09-01\nb: true\ns: yes\nn: 0o17\n")
    assert problems == []
    assert located.data == {"d": dt.date(2026, 9, 1), "b": True, "s": "yes", "n": 15}


def test_read_billion_laughs_is_refused_fast(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]"
              for i in range(1, 10)]
    located, problems = read(tmp_path, "\n".join(lines) + "\n")
    assert located is None
    assert problems[0].message == "в файле слишком много элементов (возможно, «YAML-бомба» из ссылок &/*)"


def test_read_utf8_bom_and_utf16_are_read(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes("\ufeffname: Дом творчества\n".encode("utf-8"))
    assert read_located(path)[0].data == {"name": "Дом творчества"}
    path.write_bytes("name: Дом творчества\n".encode("utf-16"))
    assert read_located(path)[0].data == {"name": "Дом творчества"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(0, 1), junk=st.sampled_from(["\t", ":", "\"", "'", "[", "{", "- ", "&a ", "*b", "!!python/name:os.system ",
                                                        "\n  ", "2026-02-30", "---\n", "%"]))
def test_damaged_groups_file_raises_only_records_error_inside_the_file(tmp_path, position, junk):
    root = tmp_path / "records"
    if not root.exists():
        shutil.copytree(SAMPLE, root)
    original = (SAMPLE / "groups.yaml").read_text(encoding="utf-8")
    cut = int(len(original) * position)
    damaged = original[:cut] + junk + original[cut:]
    (root / "groups.yaml").write_text(damaged, encoding="utf-8")
    try:
        load(root)
    except RecordsError as error:
        line_count = damaged.count("\n") + 1
        for problem in error.problems:
            assert 1 <= problem.line <= line_count + 1, problem.render()
            assert "Как исправить" in problem.render()


import pytest  # noqa: E402


@pytest.mark.parametrize("text", ["[" * 200_000, "- " * 100_000 + "x", "{a: " * 100_000,
                                  "a:\n" + "".join(" " * (i + 1) + "b:\n" for i in range(3000))])
def test_read_very_deep_nesting_is_refused_before_parsing(tmp_path, text):
    located, problems = read(tmp_path, text)
    assert located is None
    assert [(p.message, p.fix) for p in problems] == [
        ("слишком глубокая вложенность", "записи не бывают вложены глубже 50 уровней; проверьте файл")]


def test_read_plain_scalars_follow_yaml_1_2_not_1_1(tmp_path):
    located, problems = read(tmp_path, "a: 21:00\nb: on\nc: no\nd: =\ne: 1.5\nf: ~\ng: '2026-01-01'\n")
    assert problems == []
    assert located.data == {"a": "21:00", "b": "on", "c": "no", "d": "=", "e": 1.5, "f": None, "g": "2026-01-01"}

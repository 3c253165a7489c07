"""Reading records from libyaml's events: the same data, positions and refusals as the node builder, and no
nesting that can crash the interpreter, whatever the nesting guard misses."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.errors import Problem
from compliance.store import yamlfile
from compliance.store.yamlfile import MAX_DEPTH, forget_parsed, read_located

SAMPLE = Path(__file__).resolve().parents[2] / "records"
DEEP = ("слишком глубокая вложенность", "записи не бывают вложены глубже 50 уровней; проверьте файл")
N = 200_000   # libyaml's recursive composer overflowed the C stack on this (Segmentation fault)


@pytest.fixture(autouse=True)
def fresh():
    forget_parsed()
    yield
    forget_parsed()


def read(tmp_path, text: str):
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    return read_located(path)


@pytest.mark.parametrize("text", [
    "a: [don't, " + "[" * N + "]" * N + "]\n",        # an apostrophe inside a word hid the brackets from the guard
    "a: [b#c, " + "[" * N + "]" * N + "]\n",          # so did «#» inside a word (not a comment)
    'a: ["\n ", ' + "[" * N + "]" * N + "]\n",        # and a quoted text over two lines
    "x: &a 1\na: [\"\n \", " + "[" * N + "*a" + "]" * N + "]\n",   # with an alias: no composing at that depth
    "x: &a 1\na: [\"\n \", " + "[" * N,                # the same, never closed
    "a: 1\na: [don't, " + "[" * N + "]" * N + "]\n",     # the value of a repeated key, otherwise left unread
])
def test_read_nesting_the_guard_misses_is_refused_not_crashing(tmp_path, text):
    located, problems = read(tmp_path, text)
    assert located is None
    assert [(p.message, p.fix) for p in problems] == [DEEP]


def test_read_refusal_of_too_deep_flow_points_at_the_first_bracket_past_the_limit(tmp_path):
    _, problems = read(tmp_path, "a: [b#c, " + "[" * N + "]" * N + "]\n")
    assert (problems[0].line, problems[0].column) == (1, 9 + MAX_DEPTH)


def test_read_positions_worked_out_later_equal_those_read_at_once():
    for path in sorted(SAMPLE.rglob("*.yaml")):
        eager, _ = read_located(path)
        forget_parsed()
        lazy, _ = read_located(path, positions=False)
        assert lazy._keys is None and lazy._values is None
        assert (lazy.data, lazy.keys, lazy.values) == (eager.data, eager.keys, eager.values), path
        assert list(lazy.keys) == list(eager.keys) and list(lazy.values) == list(eager.values), path


def test_read_file_with_anchors_is_expanded_with_positions_of_each_use(tmp_path):
    located, problems = read(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert problems == []
    assert located.data == {"a": [1, 2], "b": [1, 2]}
    assert located.values[("b", 1)] == (1, 11)


@pytest.mark.parametrize("text, expected", [
    ("a: !!python/object:os.system x\n",
     (1, 4, "недопустимый тег YAML «!!python/object:os.system» — записи содержат только текст, числа, даты и списки")),
    ('a: ! "="\n', (1, 4, "недопустимый тег YAML «!!value» — записи содержат только текст, числа, даты и списки")),
    ("!!set {a: 1}\n", (1, 1, "недопустимый тег YAML «!!set» — записи содержат только текст, числа, даты и списки")),
    ("? [a]\n: b\n", (1, 3, "ключом может быть только простое слово")),
    ("<<: {a: 1}\n", (1, 1, "слияние ключей «<<» не поддерживается")),
])
def test_read_refusals_name_the_node(tmp_path, text, expected):
    located, problems = read(tmp_path, text)
    assert located is None
    assert [(p.line, p.column, p.message) for p in problems] == [expected]


def test_read_plain_scalars_with_a_nonspecific_tag_are_typed(tmp_path):
    located, problems = read(tmp_path, "a: ! 5\nb: '5'\nc: !!str x\n")
    assert problems == []
    assert located.data == {"a": 5, "b": "5", "c": "x"}


def test_read_value_of_a_repeated_key_is_left_out_unchecked(tmp_path):
    located, problems = read(tmp_path, "a: 1\nb: 2\na: !!python/object:x {c: [d]}\nd: 4\n")
    assert located.data == {"a": 1, "b": 2, "d": 4}
    assert [(p.line, p.column, p.message) for p in problems] == [
        (3, 1, "ключ «a» повторяется (впервые — в строке 1)")]


def test_read_syntax_error_later_in_the_file_comes_before_a_refused_tag(tmp_path):
    _, problems = read(tmp_path, "a: !!binary x\nb: [c\nd: e\n")
    assert [p.message for p in problems] == ["в записи в скобках { } или [ ] не закрыта скобка или кавычка"]


def test_read_second_document_after_a_refused_tag_is_the_problem(tmp_path):
    _, problems = read(tmp_path, "a: !!binary x\n---\nb: c\n")
    assert [(p.line, p.message) for p in problems] == [
        (2, "в файле больше одного документа YAML (строка «---» или «...»)")]


def test_read_numbers_and_dates_problems_with_their_places(tmp_path):
    located, problems = read(tmp_path, "a:\n  - " + "9" * 101 + "\n  - 2026-02-30\n  - 2026-01-01T10:00\n")
    assert located.data == {"a": ["9" * 101, "2026-02-30", "2026-01-01T10:00"]}
    assert [(p.line, p.column, p.message) for p in problems] == [
        (2, 5, "число из 101 знаков — слишком длинное"), (3, 5, "даты 2026-02-30 не существует"),
        (4, 5, "«2026-01-01T10:00»: в записях нужна дата без времени")]
    assert located.reported == {("a", 0), ("a", 1), ("a", 2)}


# ---------------------------------------------------------------- the nesting guard, as it was written first

def line_by_line_guard(path: Path, text: str) -> Problem | None:
    """The guard before it was made fast: the reference for where it reports what."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" "))
        stripped = line.lstrip(" ")
        indicators = len(re.match(r"^((?:[-?:]\s+)*)", stripped).group(1).split())
        quote = None
        for column, char in enumerate(stripped, indent + 1):
            if quote:
                quote = None if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                depth += 1
                if depth > yamlfile.MAX_DEPTH:
                    return Problem(path, number, column, *yamlfile._deep())
            elif char in "]}":
                depth = max(0, depth - 1)
        if indicators > yamlfile.MAX_DEPTH or indent > 4 * yamlfile.MAX_DEPTH:
            return Problem(path, number, 1, *yamlfile._deep())
    return None


PIECES = ["[", "]", "{", "}", "'", '"', "#", " #", "\n", "\r", "\r\n", "\u2028", " ", "    ", "- ", "? ", ": ", "-\t",
          "a", "x: ", "[[[", "]]]"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.sampled_from([1, 2, 3]), text=st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_nesting_guard_reports_what_the_line_by_line_guard_reported(monkeypatch, limit, text):
    monkeypatch.setattr(yamlfile, "MAX_DEPTH", limit)
    path = Path("f.yaml")
    assert yamlfile._nesting_problem(path, text) == line_by_line_guard(path, text)


@pytest.mark.parametrize("text", ["[" * 200_000, "- " * 100_000 + "x", "{a: " * 100_000,
                                  "a:\n" + "".join(" " * (i + 1) + "b:\n" for i in range(3000)),
                                  "a: " + "[" * 100_000 + "]" * 100_000 + "\n", "a:\n" + "  [\n" * 60 + "  ]\n" * 60])
def test_nesting_guard_on_large_deep_texts_matches_the_line_by_line_guard(text):
    path = Path("f.yaml")
    assert yamlfile._nesting_problem(path, text) == line_by_line_guard(path, text) is not None

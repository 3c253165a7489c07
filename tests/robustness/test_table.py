"""docs/robustness.md is the table of every robustness case, made from the cases themselves; every case has a
test. `pytest tests/robustness/test_table.py --update-golden` rewrites the table."""
from __future__ import annotations

import inspect

from robustness.cases import DOC, Case, modules, table


def test_every_case_is_checked_by_a_test():
    for path, module in modules():
        ids = [case.id for case in module.CASES]
        assert len(ids) == len(set(ids)), f"{path.name}: repeated case ids"
        tested = set()
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("test_"):
                continue
            for mark in getattr(function, "pytestmark", []):
                if mark.name == "parametrize" and "case" in str(mark.args[0]).split(","):
                    tested |= {value.id for value in mark.args[1] if isinstance(value, Case)}
        assert tested == set(ids), f"{path.name}: cases without a test: {sorted(set(ids) - tested)}"


def test_docs_table_is_made_from_the_cases(request):
    expected = table()
    if request.config.getoption("--update-golden"):
        DOC.write_text(expected, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == expected, \
        "docs/robustness.md is out of date: pytest tests/robustness/test_table.py --update-golden"

"""The tool's errors survive pickling (a `build --jobs` worker sends them to the parent) exactly as raised."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from compliance.errors import ComplianceError, Problem, RecordsError, TemplateProblem, UsageError
from compliance.store.acknowledgements import Refusal, Refused

PROBLEMS = [Problem(Path("records/people.yaml"), 3, 1, "нет фамилии.", "укажите surname."),
            Problem(Path("records/groups.yaml"), 14, 5, "группа «7Б»: администратор «x» не найден.", "добавьте его.")]


def round_trip(error: BaseException) -> BaseException:
    return pickle.loads(pickle.dumps(error))


def test_records_error_pickled_keeps_every_problem_and_its_message():
    error = RecordsError(PROBLEMS)
    back = round_trip(error)
    assert type(back) is RecordsError
    assert back.problems == error.problems == sorted(PROBLEMS, key=lambda p: str(p.path))
    assert (back.render(), str(back), back.exit_code) == (error.render(), str(error), 2)
    assert back.render().endswith("Найдено ошибок: 2. Файлы в records/ не изменены.")


@pytest.mark.parametrize("cls", [ComplianceError, UsageError, TemplateProblem])
def test_message_errors_pickled_are_the_same_error(cls):
    error = cls("Файл не найден.\n  Как исправить: укажите другой.")
    back = round_trip(error)
    assert (type(back), back.args, str(back)) == (cls, error.args, str(error))


def test_refused_pickled_keeps_its_refusals():
    error = Refused([Refusal("Человека «x» нет в people.yaml.", "укажите id из people.yaml.")], "Ничего не записано.")
    back = round_trip(error)
    assert (type(back), back.refusals, str(back)) == (Refused, error.refusals, str(error))

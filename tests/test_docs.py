"""The docs stay true: commands in the README, examples in docs/records.md valid."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from compliance.cli import COMMANDS, cli
from compliance.model.schema import MODELS
from compliance.store.messages import problems_from_validation
from compliance.store.yamlfile import read_located

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
RECORDS_DOC = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    first = README.index("pip install . && compliance build")
    second = README.index('pip install ".[test]" && pytest')
    assert first < second < README.index("## Повседневные задачи")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme_and_has_russian_help_with_example(name):
    assert f"compliance {name}" in README
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Пример:" in result.output
    assert re.search("[а-яё]", cli.get_command(None, name).help.splitlines()[0], re.I)


def examples() -> list[tuple[str, str]]:
    found = []
    for match in re.finditer(r"^## (\S+)\n(.*?)```yaml\n(.*?)```", RECORDS_DOC, re.S | re.M):
        found.append((match.group(1), match.group(3)))
    return found


def kind_of(file_name: str) -> str:
    for kind, (pattern, _) in MODELS.items():
        if pattern == file_name or pattern.split("/")[0] == file_name.split("/")[0] != file_name:
            return kind
    raise AssertionError(file_name)


def test_records_doc_has_an_example_for_every_file():
    assert sorted(kind_of(name) for name, _ in examples()) == sorted(MODELS)


@pytest.mark.parametrize("name,text", examples(), ids=[n for n, _ in examples()])
def test_records_doc_example_is_valid(tmp_path, name, text):
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    located, problems = read_located(path)
    assert problems == []
    model = MODELS[kind_of(name)][1]
    from pydantic import ValidationError

    try:
        model.model_validate(located.data)
    except ValidationError as exc:
        pytest.fail("\n".join(p.render() for p in problems_from_validation(located, model, exc)))

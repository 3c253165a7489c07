"""Robustness cases as data: every test module here lists its CASES, and docs/robustness.md is made from them.

A case is what the tool was fed, what must happen, and — when the suite found a bug — what happened before
the fix. test_table.py checks that every case has a test and that the table in the docs is the current one
(`pytest tests/robustness/test_table.py --update-golden` rewrites it).
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DOC = ROOT / "docs" / "robustness.md"


@dataclass(frozen=True)
class Case:
    id: str                      # the test id: «yaml-tab-in-indent»
    given: str                   # what the tool is fed (Russian, for the table)
    expected: str                # what must happen: the message the test pins, or the property it checks
    fixed: str = ""              # what happened before the fix, when this suite found a bug
    open: str = ""               # a bug found in another part (the test is marked xfail, strict): what and where
    data: Any = field(default=None, compare=False, repr=False)   # the test's own input


def modules() -> list[tuple[Path, Any]]:
    found = []
    for path in sorted(HERE.glob("test_*.py")):
        spec = importlib.util.spec_from_file_location(f"robustness_cases_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "CASES"):
            found.append((path, module))
    return sorted(found, key=lambda item: item[1].ORDER)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def table() -> str:
    found = modules()
    total = sum(len(module.CASES) for _, module in found)
    fixed = sum(bool(case.fixed) for _, module in found for case in module.CASES)
    still_open = sum(bool(case.open) for _, module in found for case in module.CASES)
    lines = [
        "# Что пробовали сломать и что получилось",
        "",
        "Набор тестов `tests/robustness/` подаёт программе испорченные, чужие и злонамеренные данные: записи",
        "YAML с ошибками, «YAML-бомбы», файлы не в той кодировке, теги, исполняющие код, идентификаторы,",
        "выводящие из папки, опасный текст в документах, вредоносные шаблоны DOCX, выгрузки чатов, которые",
        "лгут о себе, — и убивает пишущие процессы на полпути. Каждая строка таблицы — тест, который",
        "проверяет ровно то, что написано в графе «Ожидается» (сообщение — дословно, код выхода 2, без",
        "трассировки, файлы записей побайтно прежние). Таблица собрана из самих тестов",
        "(`tests/robustness/cases.py`); тест `test_table.py` не даёт ей разойтись с ними.",
        "",
        f"Случаев: {total}; найдено и исправлено ошибок: {fixed} (в графе «Итог» — что было до исправления); "
        + (f"открыто: {still_open} (найдено в чужом модуле, тест помечен как ожидаемо падающий)." if still_open
           else "открытых нет."),
        "",
    ]
    for path, module in found:
        lines += [f"## {module.SECTION}", "", f"Тесты: `{path.relative_to(ROOT).as_posix()}`.", ""]
        if getattr(module, "NOTE", ""):
            lines += [module.NOTE, ""]
        lines += ["| № | Случай | Ожидается | Итог | Тест |", "|---|---|---|---|---|"]
        for number, case in enumerate(module.CASES, 1):
            if case.open:
                result = f"**открыто**: {_cell(case.open)}"
            elif case.fixed:
                result = f"исправлено; до исправления: {_cell(case.fixed)}"
            else:
                result = "так и есть"
            lines.append(f"| {number} | {_cell(case.given)} | {_cell(case.expected)} | {result} | `{case.id}` |")
        lines.append("")
    return "\n".join(lines)

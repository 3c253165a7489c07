"""The tool's own errors. Anything else escaping to the CLI is a bug."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class ComplianceError(Exception):
    """A user's mistake or an unusable input: the CLI prints it and exits 2."""

    exit_code = 2

    def render(self) -> str:
        return str(self)

    def __reduce__(self):
        # Pickling an exception re-runs its __init__ with its message by default; a subclass that takes something
        # else (RecordsError its problems, Refused its refusals) would break in another process. Rebuilt as is.
        return _rebuild, (type(self), self.args, vars(self))


def _rebuild(cls: type, args: tuple, state: dict) -> ComplianceError:
    error = cls.__new__(cls, *args)       # BaseException.__new__ sets .args; __init__ is not run again
    error.__dict__.update(state)
    return error


def display_path(path: Path) -> str:
    """Path relative to the working directory when it lies under it (clickable in editors)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in the records: file:line:col, what is wrong, how to fix it."""

    path: Path
    line: int
    column: int
    message: str
    fix: str

    def render(self) -> str:
        return f"{display_path(self.path)}:{self.line}:{self.column}: {self.message}\n  Как исправить: {self.fix}"


class RecordsError(ComplianceError):
    """Every problem found in one pass over the records."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (str(p.path), p.line, p.column, p.message))
        super().__init__(self.render())

    def render(self) -> str:
        lines = [p.render() for p in self.problems]
        lines.append(f"Найдено ошибок: {len(self.problems)}. Файлы в records/ не изменены.")
        return "\n".join(lines)


class UsageError(ComplianceError):
    """Options that cannot work together, a folder that is not there, and the like."""


class TemplateProblem(ComplianceError):
    """A DOCX template that cannot be rendered."""


class InternalError(Exception):
    """A bug in the tool; never raised for a user's mistake."""

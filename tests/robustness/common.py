"""Helpers of the robustness suite: a sample records copy, byte snapshots, a CLI run that must not crash."""
from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from compliance.cli import cli

SAMPLE = Path(__file__).resolve().parents[2] / "records"
TAIL = "Найдено ошибок: {n}. Файлы в records/ не изменены.\n"

# records/institution.yaml as a secretary writes it: cases break it in one place each.
INSTITUTION = """\
# Сведения об учреждении: печатаются в приказах, листах ознакомления и отчётах.
name: Муниципальное казённое образовательное учреждение дополнительного образования «Дом детского творчества»
short_name: МКОУ ДО «ДДТ»
founder: Управление образования администрации Светлогорского городского округа
ownership: муниципальное
place: г. Светлогорск
address: 238560, г. Светлогорск, ул. Школьная, д. 7
director: prokhorova-ta   # директор Т.А. Прохорова
secretary: kuzmina-ev     # делопроизводитель Е.В. Кузьмина
gost_edition: "2025"
quiet_hours:
  start: "21:00"
  end: "08:00"
acknowledgement_grace_days: 14
order_series:
  - index: од
    title: по основной деятельности
  - index: лс
    title: по личному составу
"""


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (the lock file aside: taking a lock may create it) as bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*"))
            if p.is_file() and p.name != ".lock"}


def copy_sample(target: Path) -> Path:
    shutil.copytree(SAMPLE, target)
    return target


def run(args: list[str], records: Path | None = None) -> Result:
    """Run the CLI in-process; it must end with a message, never a traceback, and leave `records` as it was."""
    before = files_of(records) if records is not None else None
    result = CliRunner().invoke(cli, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: unhandled {type(result.exception).__name__}: {result.exception}") \
            from result.exception
    assert "Traceback" not in result.output + result.stderr
    if before is not None:
        assert files_of(records) == before, "records must stay byte-identical"
    return result


def refused(args: list[str], records: Path | None, stderr: str) -> None:
    """`args` must be refused: exit 2, exactly `stderr`, records untouched."""
    result = run(args, records)
    assert (result.exit_code, result.stderr) == (2, stderr), result.stderr

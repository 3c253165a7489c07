"""A new records folder copied from the sample institution."""
from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import UsageError
from ..resources import sample_records_dir


def init_records(directory: Path) -> list[Path]:
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise UsageError(f"Папка «{directory}» уже существует и не пуста; её файлы не тронуты.\n"
                         f"  Как исправить: укажите новую или пустую папку.")
    source = sample_records_dir()
    files = sorted(p for p in source.rglob("*.yaml") if p.is_file())
    directory.mkdir(parents=True, exist_ok=True)
    created = []
    for path in files:
        target = directory / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        created.append(target)
    return created

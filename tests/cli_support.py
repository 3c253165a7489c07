"""What the CLI tests share: a copy of the sample records to work on, the runner, and record fingerprints."""
from __future__ import annotations

import difflib
import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner

from compliance.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "records"


def copy_sample(tmp_path: Path, monkeypatch, *, today=None, modules=()) -> Path:
    """The sample records copied to tmp_path/records, the working folder there; `today` fixed in `modules`."""
    shutil.copytree(SAMPLE, tmp_path / "records")
    monkeypatch.chdir(tmp_path)
    for module in modules:
        monkeypatch.setattr(module, "_today", lambda: today)
    return Path("records")


def run(*args):
    return CliRunner().invoke(cli, list(args))


def fingerprint(root: Path) -> dict[str, str]:
    """Every file under `root` by its SHA-256 (the lock file aside): records byte-identical or not."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".lock"}


def added_lines(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`; fails if it removes or changes any."""
    diff = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert not [line for line in diff if line.startswith("-")], diff
    return [line[2:] for line in diff]

"""What tests on a copy of the sample records share: the copy, the CLI runner, record fingerprints."""
from __future__ import annotations

import difflib
import hashlib
import datetime as dt
import shutil
from pathlib import Path

from click.testing import CliRunner
from ruamel.yaml import YAML

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


def sample_with_findings(tmp_path: Path, findings: list[dict]) -> Path:
    """A copy of the sample records whose November log has one Telegram import and these chat findings."""
    root = tmp_path / "records"
    shutil.copytree(SAMPLE, root)
    yaml = YAML()
    path = root / "log" / "2026-11.yaml"
    log = yaml.load(path.read_text(encoding="utf-8"))
    log["imports"] = [{"group": "robiks-parents", "source": "telegram", "file": "a" * 64, "first": dt.date(2026, 11, 1),
                       "last": dt.date(2026, 11, 30), "messages": 412, "senders": {"pr-051": 12}}]
    log["findings"] = findings
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(log, handle)
    return root

"""Two commands at once: the records lock (records/.lock, flock) lets one writer in at a time, so no change is
lost and no file is written by two processes at once; a command that cannot get the lock says so and writes
nothing."""
from __future__ import annotations

import difflib
import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from robustness.cases import Case
from robustness.common import refused

SECTION = "Две команды пишут одновременно"
ORDER = 10                   # place of this section in docs/robustness.md
ROOT = Path(__file__).resolve().parents[2]
AT_ONCE = [("pr-011", "ЛО-13"), ("pr-021", "ЛО-14"), ("pr-045", "ЛО-15"), ("pr-048", "ЛО-16")]
BUSY = ("Записи в «records» сейчас изменяет другая команда compliance (занят файл records/.lock); ждали 0.2 с.\n"
        "  Как исправить: дождитесь, пока другая команда закончит работу, и повторите свою.\n")

CASES = [
    Case("concurrent-ack-records", f"{len(AT_ONCE)} процесса `compliance ack record` запущены одновременно, каждый "
                                   f"дописывает в acknowledgements.yaml своё ознакомление",
         "все завершаются с кодом 0 (ждут друг друга); в файле все четыре новые записи, каждая один раз, прежние "
         "записи и комментарии побайтно на месте; записи загружаются", data="together"),
    Case("concurrent-lock-busy", "`ack record`, пока блокировку records/.lock держит другой процесс",
         f"отказ, код 2: «{BUSY.splitlines()[0]}»; записи побайтно прежние", data="busy"),
]


@pytest.mark.parametrize("case", [c for c in CASES if c.data == "together"], ids=lambda c: c.id)
def test_commands_started_together_all_land(records, case):
    from compliance.build import load

    acks = records / "acknowledgements.yaml"
    before = acks.read_text(encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    started = [subprocess.Popen([sys.executable, "-m", "compliance", "ack", "record", person, "poryadok",
                                 "--date", "2026-11-24", "--sheet", sheet, "--records", "records"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
               for person, sheet in AT_ONCE]
    for process in started:
        out, err = process.communicate(timeout=120)
        assert (process.returncode, err) == (0, ""), err
    after = acks.read_text(encoding="utf-8").splitlines()
    changes = difflib.SequenceMatcher(None, before.splitlines(), after, autojunk=False).get_opcodes()
    assert {tag for tag, *_ in changes} == {"equal", "insert"}       # every old line, comments too, in its place
    added = "\n".join(line for tag, _, _, j1, j2 in changes if tag == "insert" for line in after[j1:j2])
    for person, sheet in AT_ONCE:
        assert added.count(f"person: {person}") == 1 and added.count(f'sheet: "{sheet}"') == 1, added
    loaded = load(records)
    assert {(a.person, a.act) for a in loaded.acknowledgements} >= {(person, "poryadok") for person, _ in AT_ONCE}


@pytest.mark.parametrize("case", [c for c in CASES if c.data == "busy"], ids=lambda c: c.id)
def test_command_that_cannot_get_the_lock_writes_nothing(records, case, monkeypatch):
    from compliance.store import write

    monkeypatch.setattr(write, "LOCK_TIMEOUT", 0.2)
    with open(records / ".lock", "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX)                   # another open file: flock treats it as another writer
        refused(["ack", "record", "pr-011", "poryadok", "--date", "2026-11-24", "--sheet", "ЛО-13",
                 "--records", "records"], records, BUSY)

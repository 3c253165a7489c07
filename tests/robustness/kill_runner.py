"""Starts the kill drivers (kill_driver.py) in the background and collects their results for test_kill.py."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parents[1] / "records"
ROUNDS = {"crash-points": None, "random": 80, "build": 8}   # crash points: every one of every step
_running: dict[str, tuple[Path, subprocess.Popen]] = {}


def start(config=None) -> None:
    """One background process runs the three drivers in turn: with the tests on the other core, two cores
    are busy, not five."""
    if _running:
        return
    base = Path(tempfile.mkdtemp(prefix="compliance-kill-", dir=_session_temp(config)))
    # The drivers' own temp folder: whatever a killed command left in it would be found (temp_left) and
    # removed with `base`, never in the machine's /tmp.
    (base / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(base / "tmp"),
           "PYTHONPATH": os.pathsep.join([str(HERE.parents[1]), os.environ.get("PYTHONPATH", "")])}
    files = []
    for mode, rounds in ROUNDS.items():
        work = base / mode
        work.mkdir()
        files.append(work / "settings.json")
        files[-1].write_text(json.dumps({"records": str(SAMPLE), "work": str(work), "mode": mode, "rounds": rounds,
                                         "seed": 8, "result": str(work / "result.json")}), encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(HERE / "kill_driver.py"), *map(str, files)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    for mode in ROUNDS:
        _running[mode] = (base / mode, process)


def _session_temp(config) -> Path | None:
    """pytest's base temporary folder (what tmp_path lives in), when started from a session."""
    factory = getattr(config, "_tmp_path_factory", None) if config is not None else None
    return factory.getbasetemp() if factory is not None else None


def results() -> dict[str, dict]:
    start()
    found = {}
    process = next(iter(_running.values()))[1]
    _, errors = process.communicate(timeout=600)
    assert process.returncode == 0, errors.decode()
    for mode, (work, _) in _running.items():
        found[mode] = json.loads((work / "result.json").read_text(encoding="utf-8"))
    return found


def base() -> Path:
    """The drivers' folder: their work folders and their TMPDIR."""
    return next(iter(_running.values()))[0].parent


def temp_left() -> list[str]:
    """What the killed commands left in the drivers' own temp folder (removed by stop())."""
    return sorted(p.name for p in (base() / "tmp").iterdir())


def stop() -> None:
    """At the end of the session: a driver nobody waited for (the kill tests deselected or stopped early)."""
    import shutil

    if not _running:
        return
    work, process = next(iter(_running.values()))
    if process.poll() is None:
        process.kill()
        process.communicate()
    shutil.rmtree(work.parent, ignore_errors=True)
    _running.clear()

"""Kill writing `compliance` processes at many points; report whether any record was lost or corrupted.

Run by test_kill.py (kill_runner.py) as `python kill_driver.py SETTINGS.json …` (a separate process: it forks). Why fork and not
start `compliance …` anew for every kill: a fresh process spends ~0.4 s importing before it writes anything,
so random kills would land in imports; a forked child already has everything loaded and spends its whole
life in the command. Two ways to kill:

- crash points: the child's file operations on the records folder (mkstemp, write, fsync, chmod, replace,
  unlink) are wrapped; the child SIGKILLs itself before or after the n-th one, or after writing half of the
  bytes (a torn write). Every n of every step is tried, so each boundary of the write protocol is hit.
  No hook lives in the tool's code: the wrapping is done in the child alone.
- random: the parent SIGKILLs the child after a random delay within the step's measured duration.
- build: `build()` into a folder that holds an older set, killed after a random delay.

After each kill: every records file must be byte-identical to one of the versions the uninterrupted run
produced (so parseable, with the user's comments), the records must load, and the lock must be free.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

TODAY = dt.date(2026, 11, 27)


def steps(root: Path) -> list[tuple[str, object]]:
    """The writes a secretary and an administrator make in a day, as the commands make them."""
    from compliance.cli import cli
    from compliance.store.write import update_yaml

    def command(*args: str):
        def run():
            code = cli.main([*args, "--records", str(root)], standalone_mode=False)
            if code not in (None, 0):
                raise SystemExit(f"step {args} exited {code}")
        return run

    def grace(data):
        data["acknowledgement_grace_days"] = 21

    def position(data):
        data["staff"][8]["position"] = "педагог-организатор высшей категории"

    return [
        ("ack record", command("ack", "record", "pr-011", "poryadok", "--date", "2026-11-24", "--sheet", "ЛО-13")),
        ("order new", command("order", "new", "--approve", "chat-rules", "--date", "2026-11-20",
                              "--title", "Об утверждении новой редакции Правил использования чата")),
        ("order sign", command("order", "sign", "2026-072-од", "--date", "2026-11-26")),
        ("ack record", command("ack", "record", "pr-029", "poryadok", "--date", "2026-11-25", "--sheet", "ЛО-14")),
        ("update_yaml institution", lambda: update_yaml(root / "institution.yaml", grace)),
        ("order new", command("order", "new", "--approve", "poryadok", "--date", "2026-11-25")),
        ("order sign", command("order", "sign", "2026-073-од", "--date", "2026-11-26")),
        ("update_yaml people", lambda: update_yaml(root / "people.yaml", position)),
    ]


# ---------------------------------------------------------------- the records folder as bytes

def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def restore(root: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(root, ignore_errors=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def is_record(name: str) -> bool:
    return name.endswith(".yaml") and not Path(name).name.startswith(".")


def records_only(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: content for name, content in files.items() if is_record(name)}


def check(root: Path, versions: dict[str, set[bytes | None]], states: list[dict[str, bytes]]) -> list[str]:
    """What is wrong with the folder after a kill; [] when every file is an old or a new version and, once the
    next command has taken the lock, the folder as a whole is as before the step or as after it."""
    from compliance.errors import ComplianceError
    from compliance.store.load import load
    from compliance.store.write import records_lock

    import compliance.store.write as write

    found = snapshot(root)
    wrong = []
    for name in sorted(set(versions) | {n for n in found if is_record(n)}):
        content = found.get(name)
        if content not in versions.get(name, set()):
            wrong.append(f"{name}: neither an old nor a new version ({'missing' if content is None else len(content)} bytes)")
    # The next command: it takes the lock at once (a dead process holds no flock), which undoes a cut-short
    # write of several files and clears temporary files.
    saved, write.LOCK_TIMEOUT = write.LOCK_TIMEOUT, 0
    try:
        with records_lock(root):
            pass
    except ComplianceError:
        wrong.append("the lock is still held")
    finally:
        write.LOCK_TIMEOUT = saved
    if leftovers(root):
        wrong.append(f"left behind after the next command took the lock: {leftovers(root)}")
    if records_only(snapshot(root)) not in states:   # each state loaded without error in prepare()
        wrong.append("the folder is neither as before the step nor as after it")
        try:
            load(root)
        except ComplianceError as error:
            wrong.append(f"records do not load: {error}")
    return wrong


def leftovers(root: Path) -> list[str]:
    return [name for name in snapshot(root) if Path(name).name.startswith(".") and name.endswith((".tmp", ".json"))]


# ---------------------------------------------------------------- crash points inside the child

def install_crash_points(root: Path, snapshots: Path | None, counter: list[int]) -> None:
    """Wrap the file operations on the records folder (mkstemp, write, fsync, chmod, replace, rename, unlink).

    Before each of them, and once in the middle of each write, the process forks and the fork kills itself
    with SIGKILL right there, holding the lock, its temporary file open, half of the bytes written (a torn
    write). The folder is copied into `snapshots` as the killed process left it; then this process goes
    on, so one run of a step yields a kill at every point of it. (After an operation is the same state as
    before the next one.) With `snapshots` None the events are only counted."""
    root_text = str(root.resolve())
    real_fsync = os.fsync

    def ours(*values) -> bool:
        return any(isinstance(v, (str, Path)) and str(Path(v).resolve()).startswith(root_text) for v in values)

    def kill_a_fork_here(before_death=None) -> None:
        counter[0] += 1
        if snapshots is None:
            return
        pid = os.fork()
        if pid == 0:
            if before_death is not None:
                before_death()
            os.kill(os.getpid(), signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        shutil.copytree(root, snapshots / f"{counter[0]:04d}", symlinks=True)

    def wrap(module, name, relevant):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            if relevant(args, kwargs):
                kill_a_fork_here()
            return original(*args, **kwargs)

        setattr(module, name, wrapper)

    wrap(os, "replace", lambda a, k: ours(*a))
    wrap(os, "rename", lambda a, k: ours(*a))
    wrap(os, "chmod", lambda a, k: ours(a[0]))
    wrap(os, "unlink", lambda a, k: ours(a[0]))
    wrap(os, "fsync", lambda a, k: True)
    wrap(tempfile, "mkstemp", lambda a, k: ours(k.get("dir")))
    fdopen = os.fdopen

    class Torn:
        """A file whose every write is also cut in half once by a killed fork."""

        def __init__(self, stream):
            self._stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self._stream.__exit__(*exc)

        def write(self, data):
            kill_a_fork_here()

            def half():
                self._stream.write(data[: len(data) // 2])
                self._stream.flush()
                real_fsync(self._stream.fileno())

            kill_a_fork_here(half)
            self._stream.seek(0)          # the fork shared this file: start it again
            self._stream.truncate()
            return self._stream.write(data)

        def __getattr__(self, name):
            return getattr(self._stream, name)

    os.fdopen = lambda *a, **k: Torn(fdopen(*a, **k))


def fork(run) -> int:
    """A child that runs `run` quietly, then leaves without cleanup."""
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            run()
        except BaseException:
            os._exit(3)
        os._exit(0)
    return pid


# ---------------------------------------------------------------- the three kinds of runs

def prepare(template: Path, work: Path):
    """Run every step once, uninterrupted: the folder before each step (and after the last), every version
    of every file, and how long each step takes."""
    import compliance.cli.ack as ack
    import compliance.cli.order as order
    from compliance.store.load import load

    ack._today = order._today = lambda: TODAY
    root = work / "records"
    shutil.copytree(template, root)
    before, durations = [], []
    versions: dict[str, set[bytes | None]] = {}

    def remember():
        for name, content in snapshot(root).items():
            if is_record(name):
                versions.setdefault(name, set()).add(content)

    remember()
    for number, (_, run) in enumerate(steps(root)):
        before.append(snapshot(root))
        _, status = os.waitpid(fork(run), 0)      # a warm-up in a child: lazy imports, caches
        restore(root, before[-1])
        start = time.monotonic()
        _, status = os.waitpid(fork(run), 0)
        durations.append(time.monotonic() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"step {number} failed when uninterrupted")
        restore(root, before[-1])
        run()                                # and for real, in this process: the next step starts from here
        remember()
    for name in {n for snap in before for n in snap if is_record(n)}:
        if any(name not in snap for snap in before):
            versions.setdefault(name, set()).add(None)   # created by a step: absent before it
    before.append(snapshot(root))            # after the last step
    for files in before:                     # every state a kill may leave behind is a valid records folder
        restore(root, files)
        load(root)
    return root, before, durations, versions


def crash_points(root: Path, work: Path, before, versions) -> dict:
    """Each step run once; at each crash point a fork of it is killed and the folder it left is kept."""
    states = [records_only(files) for files in before]
    tried, corrupted, leftover, events = 0, [], 0, []
    for number in range(len(before) - 1):
        restore(root, before[number])
        folder = work / "snapshots" / f"step-{number}"
        folder.mkdir(parents=True)

        def run(number=number, folder=folder):
            install_crash_points(root, folder, [0])
            steps(root)[number][1]()

        _, status = os.waitpid(fork(run), 0)
        assert os.waitstatus_to_exitcode(status) == 0, f"step {number} failed while being killed"
        left = sorted(folder.iterdir())
        events.append(len(left))
        for copy in left:
            tried += 1
            leftover += bool(leftovers(copy))
            corrupted += [f"step {number} point {copy.name}: {w}"
                          for w in check(copy, versions, states[number:number + 2])]
        shutil.rmtree(folder)
    return {"interruptions": tried, "corrupted": corrupted, "with_temp_files": leftover, "events": events}


def random_kills(root: Path, before, durations, versions, rounds: int, rng) -> dict:
    """The step run whole in a child, killed by the parent after a random part of its usual duration."""
    tried, corrupted, leftover, finished = 0, [], 0, 0
    states = [records_only(files) for files in before]
    for _ in range(rounds):
        number = rng.randrange(len(before) - 1)
        restore(root, before[number])
        run = steps(root)[number][1]
        pid = fork(run)
        time.sleep(rng.uniform(0, durations[number]))
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status = os.waitpid(pid, 0)
        finished += os.WIFEXITED(status)
        tried += 1
        leftover += bool(leftovers(root))
        corrupted += [f"step {number}: {w}" for w in check(root, versions, states[number:number + 2])]
    return {"interruptions": tried, "finished_before_kill": finished, "corrupted": corrupted,
            "with_temp_files": leftover}


def build_kills(template: Path, work: Path, rounds: int, rng) -> dict:
    """`build` into a folder that holds an older set (PDF only), killed at random: the folder must hold the
    old set or the whole new one, never a mix or a half-written file."""
    from compliance.build import build

    records, out = work / "build-records", work / "out"
    shutil.copytree(template, records)
    reference = work / "reference"
    start = time.monotonic()
    build(records, reference, ("docx", "xlsx", "pdf"))
    duration = time.monotonic() - start
    new = {p.name: p.read_bytes() for p in reference.iterdir()}
    build(records, out, ("pdf",))
    old = {p.name: p.read_bytes() for p in out.iterdir()}   # with the marker that lets a build replace it
    tried, wrong, as_old, as_new = 0, [], 0, 0
    for _ in range(rounds):
        shutil.rmtree(out)
        restore(out, old)
        pid = fork(lambda: build(records, out, ("docx", "xlsx", "pdf")))
        time.sleep(rng.uniform(0.2 * duration, 1.1 * duration))   # mostly while files are being rendered
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        tried += 1
        now = {p.name: p.read_bytes() for p in out.iterdir()} if out.is_dir() else None
        if now == old:
            as_old += 1
        elif now == new:
            as_new += 1
        else:
            wrong.append(f"out holds {None if now is None else sorted(now)[:5]}")
    build(records, out, ("docx", "xlsx", "pdf"))  # a build after the kills removes what they left beside out
    litter = sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".out"))
    return {"interruptions": tried, "corrupted": wrong, "old_set": as_old, "new_set": as_new, "litter": litter}


def main() -> None:
    for path in sys.argv[1:]:                # one after another: the tests run beside them on the other core
        run_one(json.loads(Path(path).read_text(encoding="utf-8")))


def run_one(settings: dict) -> None:
    template, work = Path(settings["records"]), Path(settings["work"])
    rng = random.Random(settings.get("seed", 0))
    os.chdir(work)
    if settings["mode"] == "build":
        result = build_kills(template, work, settings["rounds"], rng)
    else:
        root, before, durations, versions = prepare(template, work)
        if settings["mode"] == "crash-points":
            result = crash_points(root, work, before, versions)
        else:
            result = random_kills(root, before, durations, versions, settings["rounds"], rng)
        result["durations"] = [round(d, 3) for d in durations]
        # comments of the user survive every step: each comment line of the first version is in the last
        first, last = before[0], before[-1]
        result["lost_comments"] = [
            f"{name}: {line}" for name, content in first.items() if is_record(name)
            for line in content.decode("utf-8").splitlines()
            if line.strip().startswith("#") and line not in last[name].decode("utf-8").splitlines()]
    Path(settings["result"]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Safe writes to records: the user's file stays his file.

- Round-trip YAML (ruamel.yaml, typ="rt"): comments, key order, flow/block style and quotes are
  kept; lines the change does not touch are copied byte for byte from the original (see `_merge`).
- Validated before anything is touched: the records are loaded with `store.load` with the new
  contents of the changed files given from memory (no copy of the records, which hold children's
  personal data, is made anywhere on disk); a change that would leave the records invalid is refused.
- Atomic: each file is written to a temporary file beside it, flushed, fsync'ed and renamed over
  the original; a failure while writing several files puts back the ones already written.
- All or none, even when the process is killed or the power goes: before writing several files, their
  old contents go to `records/.unfinished-write.json` (itself written atomically); it is removed when the
  last file is in place. A journal found later means a write was cut short: the next command that takes
  the lock (or loads the records) puts the old files back first (`recover`).
- One writer at a time: `records/.lock`, held with flock while a command reads, checks and writes.
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import json
import logging
import os
import re
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import RecordsError, UsageError, display_path

log = logging.getLogger("compliance")

LOCK_NAME = ".lock"
JOURNAL_NAME = ".unfinished-write.json"
_JOURNALLED = re.compile(r"(?:(?:acts|orders|log)/)?[^/\\\x00]+\.yaml")   # the only names a journal may restore
_STALE_TEMP = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")                  # _write_atomic's temporary files
LOCK_TIMEOUT = 10.0          # seconds to wait for another compliance command to finish
_POLL = 0.1
_held: dict[Path, int] = {}  # records folders this process has locked (the lock is re-entrant here)
_held_guard = threading.Lock()

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def yaml_rt():
    """The round-trip YAML used for every write: nothing re-wrapped, null spelt «null»."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 4096  # a long plain line stays one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    keeps_aliases = yaml.representer.ignore_aliases
    # One date put under two keys must stay two dates, not an anchor and an alias.
    yaml.representer.ignore_aliases = lambda data: type(data) is dt.date or keeps_aliases(data)
    return yaml


def parse(text: str) -> Any:
    """A commented YAML text (e.g. the layout of a new file) as round-trip data."""
    return yaml_rt().load(text)


def dump(data: Any, yaml=None) -> str:
    stream = io.StringIO()
    (yaml or yaml_rt()).dump(data, stream)
    return stream.getvalue()


# ---------------------------------------------------------------- lock

@contextmanager
def records_lock(root: Path) -> Iterator[None]:
    """Hold `root/.lock` while reading, checking and writing records; wait up to LOCK_TIMEOUT."""
    key = Path(root).resolve()
    with _held_guard:
        if key in _held:
            _held[key] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    path = Path(root) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise UsageError(f"Нельзя записать в папку записей «{display_path(Path(root))}» ({exc.strerror}).\n"
                         f"  Как исправить: проверьте, что папка существует и у вас есть права на запись в неё.") from None
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise UsageError(
                    f"Записи в «{display_path(Path(root))}» сейчас изменяет другая команда compliance "
                    f"(занят файл {display_path(path)}); ждали {LOCK_TIMEOUT:g} с.\n"
                    f"  Как исправить: дождитесь, пока другая команда закончит работу, и повторите свою.")
            time.sleep(_POLL)
        with _held_guard:
            _held[key] = 1
        try:
            # Nobody else writes now: what a killed writer left can be cleared away.
            recover(Path(root))
            _remove_stale_temp(Path(root))
            yield
        finally:
            with _held_guard:
                del _held[key]
            _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows: lock the first byte instead
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


# ---------------------------------------------------------------- one file's text

@dataclass
class _Source:
    """How a file was stored, so that it is written back the same way."""

    raw: bytes
    text: str           # with "\n" line ends, no BOM
    prefix: bytes       # BOM, if the file had one
    codec: str
    newline: str

    @classmethod
    def read(cls, path: Path) -> "_Source":
        raw = path.read_bytes()
        prefix, codec = b"", "utf-8"
        if raw[:2] in _UTF16_BOMS:
            prefix, codec = raw[:2], _UTF16_BOMS[raw[:2]]
        elif raw.startswith(_UTF8_BOM):
            prefix = _UTF8_BOM
        text = raw[len(prefix):].decode(codec)
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(raw, text.replace("\r\n", "\n"), prefix, codec, newline)

    def encode(self, text: str) -> bytes:
        return self.prefix + text.replace("\n", self.newline).encode(self.codec)


INDENTS = ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 0), (4, 6, 2), (3, 5, 3))  # (mapping, sequence, offset)


def _fit_indent(yaml, text: str) -> Any:
    """Load `text` and set the indentation that re-renders it closest to how the user wrote it."""
    data = yaml.load(text)
    lines = text.splitlines()
    best = None
    for indent in INDENTS:
        yaml.indent(*indent)
        rendered = dump(data, yaml).splitlines()
        same = sum(a == b for a, b in zip(lines, rendered)) - abs(len(lines) - len(rendered))
        if rendered == lines:
            return data
        if best is None or same > best[0]:
            best = (same, indent)
    yaml.indent(*best[1])
    return data


def _merge(original: str, baseline: str, changed: str) -> str:
    """Apply the change ruamel made (baseline → changed) to the original text.

    ruamel re-renders a few things its own way (an empty value, spacing); copying every line
    the change did not touch from the original keeps the diff down to the changed lines."""
    old, base, new = original.splitlines(True), baseline.splitlines(True), changed.splitlines(True)
    if len(old) != len(base):
        return changed
    merged: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, base, new, autojunk=False).get_opcodes():
        merged.extend(old[i1:i2] if tag == "equal" else new[j1:j2])
    return "".join(merged)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return [(str(k), _plain(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value if value is None or isinstance(value, (bool, int, float)) else str(value)


def _same_data(yaml, one: str, other: str) -> bool:
    from ruamel.yaml.error import YAMLError

    try:
        return _plain(yaml.load(one)) == _plain(yaml.load(other))
    except YAMLError:
        return False


def _check_safe(path: Path) -> None:
    """Refuse to round-trip a file the safe reader refuses (tags, alias bombs, bad encoding)."""
    from .yamlfile import read_located

    located, problems = read_located(path)
    if located is None:
        raise RecordsError(problems)


@dataclass
class _Document:
    source: _Source | None   # None: a new file
    data: Any
    yaml: Any

    def render(self) -> bytes:
        if self.source is None:
            return dump(self.data, self.yaml).encode("utf-8")
        text = _rendered(self.yaml, self.source.text, self.data)
        return self.source.raw if text == self.source.text else self.source.encode(text)


def edit_text(text: str, mutate: Callable[[Any], None]) -> str:
    """`text` after `mutate` changed its data in place; every line it did not touch stays as it was."""
    yaml = yaml_rt()
    data = _fit_indent(yaml, text)
    mutate(data)
    return _rendered(yaml, text, data)


def _rendered(yaml, original: str, data: Any) -> str:
    text = dump(data, yaml)
    if text == original:
        return original
    merged = _merge(original, dump(yaml.load(original), yaml), text)
    if merged != text and not _same_data(yaml, merged, text):
        merged = text  # the merge would not say the same: ruamel's own text is right
    return merged


# ---------------------------------------------------------------- several files, all or none

class Changes:
    """Edits to several files of one records folder, checked together and written all or none.

    Use inside `changing(root)`, which holds the lock; `commit()` checks and writes."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._documents: dict[Path, _Document] = {}

    def document(self, path: Path) -> Any:
        """The file's data (a CommentedMap) as this change set has it; edit it in place."""
        path = Path(path)
        if path not in self._documents:
            _check_safe(path)
            source = _Source.read(path)
            yaml = yaml_rt()
            self._documents[path] = _Document(source, _fit_indent(yaml, source.text), yaml)
        return self._documents[path].data

    def update(self, path: Path, mutate: Callable[[Any], None]) -> None:
        mutate(self.document(path))

    def create(self, path: Path, data: Any) -> None:
        path = Path(path)
        if path.exists() or path in self._documents:
            raise UsageError(f"Файл {display_path(path)} уже существует; он не тронут.\n"
                             f"  Как исправить: выберите другое имя или удалите старый файл, если он не нужен.")
        self._documents[path] = _Document(None, data, yaml_rt())

    def commit(self) -> list[Path]:
        """Check the records as they would be, then write every changed file; return those written."""
        rendered: dict[Path, bytes] = {}
        for path, document in self._documents.items():
            content = document.render()
            if document.source is None or content != document.source.raw:
                rendered[path] = content
        if not rendered:
            return []
        log.info("Проверка записей перед записью")
        validate(self.root, rendered)
        log.info("Запись файлов: %s", ", ".join(display_path(p) for p in rendered))
        originals = {path: doc.source.raw if doc.source else None
                     for path, doc in self._documents.items() if path in rendered}
        _write_all(rendered, originals)
        return list(rendered)


@contextmanager
def changing(root: Path) -> Iterator[Changes]:
    """Lock the records folder and collect changes; call `commit()` on what is yielded."""
    root = Path(root)
    if not root.is_dir():
        raise UsageError(f"Папка с записями «{root}» не найдена.\n  Как исправить: укажите её в --records "
                         f"или создайте новую командой «compliance init {root}».")
    with records_lock(root):
        yield Changes(root)


def records_root(path: Path) -> Path:
    """The records folder a file belongs to: acts/, orders/ and log/ sit one level down."""
    path = Path(path)
    return path.parent.parent if path.parent.name in ("acts", "orders", "log") else path.parent


def update_yaml(path: Path, mutate: Callable[[Any], None], root: Path | None = None) -> list[Path]:
    """Edit one records file in place, keeping its comments and layout; checked, atomic, locked."""
    with changing(root or records_root(path)) as changes:
        changes.update(path, mutate)
        return changes.commit()


def create_yaml(path: Path, data: Any, root: Path | None = None) -> list[Path]:
    """Create one records file from round-trip data (comments included); checked, atomic, locked."""
    with changing(root or records_root(path)) as changes:
        changes.create(path, data)
        return changes.commit()


# ---------------------------------------------------------------- check before writing

def validate(root: Path, rendered: dict[Path, bytes]) -> None:
    """Load the records as they would be after the write (the new contents from memory: nothing is written
    anywhere, so a command killed here leaves no copy of the records behind); raise RecordsError."""
    from .load import load

    load(Path(root), rendered)


# ---------------------------------------------------------------- atomic writes

def _write_all(rendered: dict[Path, bytes], originals: dict[Path, bytes | None]) -> None:
    """New files first (what the changed files will point to), then the changed ones."""
    for path, original in originals.items():
        now = path.read_bytes() if path.exists() else None
        if now != original:
            raise UsageError(f"Файл {display_path(path)} изменился, пока команда готовила запись; ничего не записано.\n"
                             f"  Как исправить: сохраните файл в редакторе и повторите команду.")
    order = sorted(rendered, key=lambda p: (originals[p] is not None, str(p)))
    done: list[Path] = []
    failed = order[0]
    journal = None
    try:
        if len(order) > 1:           # a full disk here is reported as the first file's failure: nothing is written
            journal = _write_journal(records_root(order[0]), {p: originals[p] for p in order})
        for failed in order:
            _write_atomic(failed, rendered[failed])
            done.append(failed)
    except BaseException as exc:
        undone = all([_undo(path, originals[path]) for path in reversed(done)])
        if journal is not None and undone:
            _drop_journal(journal)
        if isinstance(exc, OSError):
            raise UsageError(f"Не удалось записать {display_path(failed)} ({exc.strerror or exc}). "
                             f"Файлы в records/ не изменены.\n"
                             f"  Как исправить: проверьте, что на диске есть место и у вас есть права на запись "
                             f"в папку записей, и повторите команду.") from None
        raise
    if journal is not None:
        _drop_journal(journal)


def _undo(path: Path, original: bytes | None) -> bool:
    try:
        if original is None:
            path.unlink(missing_ok=True)
        else:
            _write_atomic(path, original)
        return True
    except OSError:  # keep the first error: it says why
        log.warning("Не удалось вернуть прежнее содержимое %s", path)
        return False


# ---------------------------------------------------------------- the journal of a write of several files

def _write_journal(root: Path, originals: dict[Path, bytes | None]) -> Path:
    files = {path.relative_to(root).as_posix(): None if content is None else base64.b64encode(content).decode("ascii")
             for path, content in originals.items()}
    journal = root / JOURNAL_NAME
    _write_atomic(journal, json.dumps({"files": files}, ensure_ascii=False).encode("utf-8"))
    return journal


def _drop_journal(journal: Path) -> None:
    journal.unlink(missing_ok=True)
    _fsync_folder(journal.parent)


def recover(root: Path) -> list[Path]:
    """Put back the files of a write of several files that was cut short (the process killed, the power
    gone): the records become exactly what they were before that command. Call with the lock held."""
    root = Path(root)
    journal = root / JOURNAL_NAME
    if not journal.is_file():
        return []
    bad = UsageError(f"Файл {display_path(journal)} повреждён: программа не может вернуть записи к состоянию до "
                     f"прерванной записи.\n  Как исправить: сверьте файлы в {display_path(root)} с резервной копией "
                     f"или git и удалите {JOURNAL_NAME}.")
    try:
        files = json.loads(journal.read_bytes().decode("utf-8"))["files"]
        restore = {name: None if encoded is None else base64.b64decode(encoded, validate=True)
                   for name, encoded in files.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise bad from None
    # The journal names only records files inside the folder: a planted one cannot write anywhere else.
    if any(not isinstance(name, str) or not _JOURNALLED.fullmatch(name) or ".." in name.split("/") for name in restore):
        raise bad
    restored = []
    for name, original in sorted(restore.items()):
        path = root / name
        now = path.read_bytes() if path.is_file() else None
        if now != original:
            if original is None:
                path.unlink()
            else:
                _write_atomic(path, original)
            restored.append(path)
    _drop_journal(journal)
    if restored:
        log.warning("Прерванная запись отменена, восстановлены файлы: %s", ", ".join(display_path(p) for p in restored))
    return restored


def _remove_stale_temp(root: Path) -> None:
    for folder in (root, root / "acts", root / "orders", root / "log"):
        for path in folder.glob(".*.tmp") if folder.is_dir() else ():
            if _STALE_TEMP.fullmatch(path.name):
                path.unlink(missing_ok=True)


def _write_atomic(path: Path, content: bytes) -> None:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its rename is durable enough
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = ["Changes", "JOURNAL_NAME", "LOCK_NAME", "changing", "create_yaml", "dump", "edit_text", "parse", "records_lock",
           "records_root", "recover", "update_yaml", "validate", "yaml_rt"]

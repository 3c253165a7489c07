"""Load a records folder: every file parsed, validated and cross-checked in one pass."""
from __future__ import annotations

import logging
import math
from collections import OrderedDict
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ValidationError

from ..errors import Problem, RecordsError, UsageError
from ..model.records import Acknowledgements, Act, Groups, Institution, MonthLog, Order, People
from ..model.registry import Records
from .messages import problems_from_validation
from .references import check_references
from .yaml_problems import decode
from .yamlfile import MAX_FILE_BYTES, Located, content_key, gc_paused, parse, read_text

log = logging.getLogger("compliance")

REQUIRED = {"institution.yaml": Institution, "people.yaml": People, "groups.yaml": Groups}
OPTIONAL = {"acknowledgements.yaml": Acknowledgements}
FOLDERS = {"acts": Act, "orders": Order, "log": MonthLog}


def _validate(located: Located, model: type[BaseModel], problems: list[Problem]) -> Any:
    try:
        return model.model_validate(located.data if located.data is not None else {})
    except ValidationError as exc:
        problems.extend(problems_from_validation(located, model, exc))
        return None


# Validated records of files read before in this process, by content: `store/write.validate` loads the records
# with one file changed (its new text given from memory) right after the command loaded them, and only that
# file is read anew.
# The models are frozen and nothing changes them after loading, so two loads can share them.
_models: "OrderedDict[tuple, tuple[Any, int]]" = OrderedDict()
_models_chars = 0
MODEL_CACHE_CHARS = 16 * 2**20    # text behind the kept models, at most (about 7 bytes of models per character)


def _read(path: Path, model: type[BaseModel], problems: list[Problem], files: dict[Path, Located],
          overrides: dict[Path, bytes]) -> Any:
    global _models_chars
    raw = overrides.get(path)
    text, problem = read_text(path) if raw is None else _text_of(path, raw)
    if problem is not None:
        problems.append(problem)
        return None
    key = (content_key(text), model)
    kept = _models.get(key)
    if kept is not None:
        _models.move_to_end(key)
        files[path] = Located.from_text(path, text)   # positions (for a problem in another file) from this text
        return kept[0]
    located, found = parse(path, text, positions=False, remember=False, key=key[0])
    problems.extend(found)
    if located is None:
        return None
    files[path] = located
    value = _validate(located, model, problems)
    if value is not None and not found and len(text) <= MODEL_CACHE_CHARS:
        _models[key] = (value, len(text))
        _models_chars += len(text)
        while _models_chars > MODEL_CACHE_CHARS:
            _, (_, size) = _models.popitem(last=False)
            _models_chars -= size
    return value


def _text_of(path: Path, raw: bytes) -> tuple[str, Problem | None]:
    """The text of new contents for `path`, refused as `read_text` refuses the same bytes in the file."""
    if len(raw) > MAX_FILE_BYTES:
        shown = f"{math.ceil(len(raw) / 2**20 * 10) / 10:g}".replace(".", ",")
        return "", Problem(path, 1, 1, f"файл слишком большой ({shown} МБ, допускается не более {MAX_FILE_BYTES // 2**20} МБ)",
                           "проверьте, что это файл записей, а не выгрузка чата или архив")
    return decode(path, raw)


def _under(root: Path, path: Path) -> Path:
    """`path` spelt as `_load` spells the files of `root` (root / name), so that the override is the one read."""
    if path.is_relative_to(root):
        return root / path.relative_to(root)
    if path.is_absolute():   # a caller's bug: silently ignored, the check would pass over the new text
        raise ValueError(f"{path} is not in the records folder {root}")
    return root / path


def forget_loaded() -> None:
    """Drop the models kept from earlier loads (tests; a long-running process that wants the memory back)."""
    global _models_chars
    _models.clear()
    _models_chars = 0


def load(root: Path, overrides: Mapping[Path, bytes] | None = None) -> Records:
    """Load `root` (a records folder) or raise RecordsError with every problem found.

    `overrides`: new contents of some files under `root` (existing or new), read in place of the files —
    the records as a write would leave them, checked before it without a copy of them anywhere on disk."""
    root = Path(root)
    changed = {_under(root, Path(path)): bytes(raw) for path, raw in (overrides or {}).items()}
    if root.exists() and not root.is_dir():
        raise UsageError(f"«{root}» — это файл, а не папка с записями.\n  Как исправить: укажите в --records папку, "
                         f"в которой лежат institution.yaml, people.yaml и groups.yaml.")
    if not root.is_dir():
        raise UsageError(f"Папка с записями «{root}» не найдена.\n  Как исправить: укажите её в --records "
                         f"или создайте новую командой «compliance init {root}».")
    from .write import JOURNAL_NAME, records_lock

    if (root / JOURNAL_NAME).exists():
        with records_lock(root):     # a write of several files was cut short: taking the lock puts them back
            pass
    if not changed:      # the check before a write is logged by the writer («Проверка записей перед записью»)
        log.info("Загрузка записей из %s", root)
    with gc_paused():
        return _load(root, changed)


def _load(root: Path, overrides: dict[Path, bytes]) -> Records:
    problems: list[Problem] = []
    files: dict[Path, Located] = {}
    loaded: dict[str, Any] = {}
    for name, model in {**REQUIRED, **OPTIONAL}.items():
        path = root / name
        if not path.exists() and path not in overrides:
            if name in REQUIRED:
                problems.append(Problem(path, 1, 1, f"нет файла {name}",
                                        f"создайте его по образцу из docs/records.md или командой «compliance init»"))
            continue
        loaded[name] = _read(path, model, problems, files, overrides)
    for folder, model in FOLDERS.items():
        items = []
        present = set((root / folder).glob("*.yaml")) if (root / folder).is_dir() else set()
        for path in sorted(present | {p for p in overrides if p.parent == root / folder and p.suffix == ".yaml"}):
            value = _read(path, model, problems, files, overrides)
            if value is not None:
                items.append((path, value))
        loaded[folder] = items
    for path in sorted(set(root.glob("*.y*ml")) | {p for p in overrides if p.parent == root and p.match("*.y*ml")}):
        if path.name not in REQUIRED and path.name not in OPTIONAL:
            problems.append(Problem(path, 1, 1, f"неизвестный файл записей «{path.name}»",
                                    f"переименуйте его в один из: {', '.join([*REQUIRED, *OPTIONAL])} или уберите из папки"))

    if problems or any(loaded.get(name) is None for name in REQUIRED):
        raise RecordsError(problems)

    people: People = loaded["people.yaml"]
    acks: Acknowledgements | None = loaded.get("acknowledgements.yaml")
    records = Records(
        root=root,
        institution=loaded["institution.yaml"],
        staff=tuple(people.staff),
        students=tuple(people.students),
        parents=tuple(people.parents),
        acts=tuple(sorted((act for _, act in loaded["acts"]),
                          key=lambda a: (a.versions[0].effective, a.kind.value != "порядок", a.id))),
        groups=tuple(loaded["groups.yaml"].groups),
        orders=tuple((order.id, order) for _, order in loaded["orders"]),
        acknowledgements=tuple(acks.acknowledgements) if acks else (),
        logs=tuple(month for _, month in loaded["log"]),
    )
    problems = check_references(records, files, loaded)
    if problems:
        raise RecordsError(problems)
    return records

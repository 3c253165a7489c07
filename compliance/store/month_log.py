"""Writing the month log (log/ГГГГ-ММ.yaml): operations on its sections done as text edits, checked and
written atomically; shared by the chat import and the review of its findings.

Writes put new lines into the file's text (a round trip through ruamel takes seconds on the
month log of a large institution); the result is parsed back and compared with the intended data,
and any layout the text edit cannot handle goes through write.edit_text instead. Then the records
are checked as they would be and written atomically (write.py).
"""
from __future__ import annotations

import copy
import datetime as dt
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import InternalError, RecordsError
from ..model.registry import Records
from .write import _write_all, edit_text, validate
from .yamlfile import _compose, read_located

log = logging.getLogger("compliance")

HEADINGS = {
    "imports": ["# Импорт выгрузок переписки: только счётчики, тексты сообщений не сохраняются."],
    "findings": ["# Замечания проверки переписки; status: новое, подтверждено или отклонено.",
                 "# Рассмотреть: compliance findings confirm|dismiss ID --note \"…\"."],
    "violations": ["# Нарушения и принятые меры (п. 4, 5.1, 5.2 Порядка)."],
    "deletions": ["# Удаление информации, потерявшей актуальность (п. 3 Порядка)."],
}


def log_path(root: Path, month: str) -> Path:
    return Path(root) / "log" / f"{month}.yaml"


def _names(records: Records, ids: Iterable[str | None]) -> dict[str, str]:
    from .acknowledgements import short_name

    return {pid: short_name(records, pid) for pid in ids if pid is not None and pid in records.people}


def _current(path: Path, month: str) -> tuple[dict, Any]:
    """The log's data as the file has it now, and its positions (None for a log not yet written)."""
    if not path.exists():
        return {"month": month}, None
    located, problems = read_located(path)
    if located is None or problems:
        raise RecordsError(problems)
    return (located.data if isinstance(located.data, dict) else {}), located


# ---------------------------------------------------------------- the write

def _commit(root: Path, changes: dict[Path, list], names: dict[str, str],
            known: dict[Path, Any] | None = None) -> dict[Path, bool]:
    """Apply each file's operations to its text, check the records as they would be, write all or none.
    `known`: files already parsed under this lock (parsing a large log takes a second)."""
    rendered, originals, created = {}, {}, {}
    for path, ops in changes.items():
        original = path.read_bytes() if path.exists() else None
        text = original.decode("utf-8-sig") if original is not None else _new_log(month_of_path(path))
        rendered[path] = apply(path, text, ops, names, (known or {}).get(path)).encode("utf-8")
        if original is not None and original.startswith(b"\xef\xbb\xbf"):
            rendered[path] = b"\xef\xbb\xbf" + rendered[path]
        originals[path], created[path] = original, original is None
    log.info("Проверка записей перед записью")
    validate(root, rendered)
    _write_all(rendered, originals)
    return created


def month_of_path(path: Path) -> str:
    return path.stem


def _new_log(month: str) -> str:
    from ..ru import period_month

    period = period_month(int(month[:4]), int(month[5:])).replace("\u00a0", " ")
    return (f"# Журнал администраторов групп за {period}\n"
            f"# Персональные данные в описания не вносятся.\n\nmonth: \"{month}\"\n")


def apply(path: Path, text: str, ops: list[tuple], names: dict[str, str] | None = None, located: Any = None) -> str:
    """`text` with the operations done: by inserting lines when the layout allows, else by ruamel."""
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    if located is None:
        located, problems = _compose(path, text)
        if located is None or problems:
            raise RecordsError(problems)
    expected = _apply_plain(located.data if isinstance(located.data, dict) else {}, ops)
    edited = _edit_lines(text, located, ops, names or {})
    if edited is None or not _says(path, edited, expected):
        edited = edit_text(text, lambda data: _apply_ruamel(data, ops))
        if not _says(path, edited, expected):
            raise InternalError(f"{path}: the edit does not give the intended data")
    return edited.replace("\n", newline)


def _says(path: Path, text: str, expected: dict) -> bool:
    located, problems = _compose(path, text)
    return located is not None and not problems and located.data == expected


def _apply_plain(data: dict, ops: list[tuple]) -> dict:
    data = copy.deepcopy(data)
    for op in ops:
        kind, key = op[0], op[1]
        section = list(data.get(key) or [])
        if kind == "append":
            section += copy.deepcopy(op[2])
        elif kind == "replace":
            section[op[2]] = copy.deepcopy(op[3])
        else:
            section[op[2]] = {**section[op[2]], **op[3]}
        data[key] = section
    return data


def _apply_ruamel(data: Any, ops: list[tuple]) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def commented(value):
        if isinstance(value, dict):
            return CommentedMap((k, commented(v)) for k, v in value.items())
        return value

    for op in ops:
        kind, key = op[0], op[1]
        if not isinstance(data.get(key), list):
            data[key] = CommentedSeq()
        if kind == "append":
            data[key].extend(commented(item) for item in op[2])
        elif kind == "replace":
            data[key][op[2]] = commented(op[3])
        else:
            for name, value in op[3].items():
                data[key][op[2]][name] = value


# ---------------------------------------------------------------- YAML text

_PLAIN = re.compile(r"[A-Za-zА-Яа-яЁё][\w.()«»—–/-]*(?: [\w.()«»—–/-]+)*")
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
# Written as escapes: controls, line separators, direction marks and overrides (a chat is full of them;
# the records reader refuses them raw), the BOM and noncharacters.
_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def scalar(value: Any) -> str:
    """A value as YAML: plain when it cannot be misread, else double-quoted with escapes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, dt.date)):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text.casefold() not in _RESERVED:
        return text
    body = _SURROGATE.sub("\ufffd", text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", body) + '"'


def item_lines(item: dict, indent: str, names: dict[str, str] | None = None) -> list[str]:
    """One list item in block style: «- key: value» lines, nested mappings one key a line;
    a person id gets its «# Фамилия И.О.» comment, as in the sample records."""
    names = names or {}

    def named(key: Any, value: Any) -> str:
        person = value if key in ("sender", "person") else key
        return f"  # {names[person]}" if isinstance(person, str) and person in names else ""

    lines = []
    for number, (key, value) in enumerate(item.items()):
        prefix = indent + ("- " if number == 0 else "  ")
        if isinstance(value, dict):
            lines.append(f"{prefix}{key}:" + ("" if value else " {}"))
            lines += [f"{indent}    {scalar(k)}: {scalar(v)}{named(k, v)}" for k, v in value.items()]
        else:
            lines.append(f"{prefix}{key}: {scalar(value)}{named(key, value)}")
    return lines


def _edit_lines(text: str, located: Any, ops: list[tuple], names: dict[str, str]) -> str | None:
    """The operations as line insertions and replacements; None when the layout is not the block one."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    data = located.data if isinstance(located.data, dict) else {}
    replace: dict[int, str] = {}
    delete: set[int] = set()
    insert: dict[int, list[str]] = {}
    tops = sorted(line for loc, (line, _) in located.keys.items() if len(loc) == 1)
    # sets and replacements first, so that lines added after an item precede items appended after it
    for op in sorted(ops, key=lambda op: op[0] == "append"):
        kind, key = op[0], op[1]
        if key not in data:
            if kind != "append":
                return None
            block = insert.setdefault(len(lines), [])
            if lines and lines[-1].strip():
                block.append("")
            block += HEADINGS.get(key, []) + [f"{key}:"]
            for item in op[2]:
                block += item_lines(item, "  ", names)
            continue
        section = data[key]
        key_line = located.keys[(key,)][0] - 1
        following = [t - 1 for t in tops if t - 1 > key_line]
        end = (following[0] if following else len(lines)) - 1
        if not section:                       # «key:», «key: []» or «key: null»
            if kind != "append":
                return None
            replace[key_line] = re.sub(rf"^({re.escape(key)}:)\s*(\[\s*\]|null|~)?", r"\1", lines[key_line])
            insert.setdefault(key_line + 1, []).extend(line for item in op[2] for line in item_lines(item, "  ", names))
            continue
        if not isinstance(section, list):
            return None
        spans = _item_spans(lines, located, key, len(section), end)
        if spans is None:
            return None
        indent = " " * (spans[0][2] - 1)
        if kind == "append":
            insert.setdefault(spans[-1][1] + 1, []).extend(
                line for item in op[2] for line in item_lines(item, indent, names))
        elif kind == "replace":
            start, stop, _ = spans[op[2]]
            delete.update(range(start, stop + 1))
            insert.setdefault(start, []).extend(item_lines(op[3], indent, names))
        else:
            if not _set_fields(lines, located, key, op[2], op[3], spans[op[2]], replace, insert):
                return None
    out: list[str] = []
    for number in range(len(lines) + 1):
        out += insert.get(number, [])
        if number < len(lines) and number not in delete:
            out.append(replace.get(number, lines[number]))
    return "\n".join(out) + "\n"


def _item_spans(lines: list[str], located: Any, key: str, count: int, end: int) -> list[tuple[int, int, int]] | None:
    """(first line, last content line, column of «-») per item of a block list; None for other layouts."""
    starts = []
    for index in range(count):
        line, column = located.values[(key, index)]
        head = lines[line - 1][:column - 1]
        if head.strip() != "-":
            return None
        starts.append((line - 1, head.index("-") + 1))
    spans = []
    for index, (start, dash) in enumerate(starts):
        stop = starts[index + 1][0] - 1 if index + 1 < count else end
        while stop > start and (not lines[stop].strip() or lines[stop].lstrip().startswith("#")):
            stop -= 1
        spans.append((start, stop, dash))
    return spans


def _set_fields(lines, located, key, index, fields, span, replace, insert) -> bool:
    start, stop, dash = span
    line, column = located.values[(key, index)]
    if lines[line - 1][column - 1] in "{[":
        return False                          # a flow mapping: ruamel's job
    indent = " " * (column - 1)
    for name, value in fields.items():
        at = located.keys.get((key, index, name))
        if at is None:
            insert.setdefault(stop + 1, []).append(f"{indent}{name}: {scalar(value)}")
            continue
        number, col = at[0] - 1, at[1]
        nested = located.values.get((key, index, name), at)
        if nested[0] - 1 != number or isinstance(located.data[key][index][name], (dict, list)):
            return False
        for later in range(number + 1, stop + 1):  # a value running on to the next line: ruamel's job
            text = lines[later]
            if text.strip() and not text.lstrip().startswith("#") and len(text) - len(text.lstrip()) >= col:
                return False
        comment = re.search(r"\s+#[^\"']*$", lines[number])
        replace[number] = (lines[number][:col - 1] + f"{name}: {scalar(value)}"
                           + (comment.group() if comment else ""))
    return True

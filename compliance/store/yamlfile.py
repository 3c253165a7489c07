"""Read one YAML file safely into plain data, keeping where every key and value stands.

The file is only composed (never constructed by ruamel), so no tag can run code;
scalars are turned into Python values here, by the few YAML types records use.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from .yaml_problems import char_at, decode, invisible_problems, line_before, syntax_message, unclosed_quote

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_ALIAS_VISITS = 10_000  # a records file has little reason to reuse an anchor; a «YAML bomb» reuses millions
MAX_DEPTH = 50
MAX_NUMBER_DIGITS = 100      # Python refuses to read integers over 4,300 digits; records need a handful

PathKey = tuple[Any, ...]
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_STANDARD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_STANDARD}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
# YAML 1.1 resolvers (libyaml) give plain scalars these tags too; plain scalars are re-read by YAML 1.2 rules below.
_PLAIN_TAGS = _ALLOWED_TAGS | {f"{_STANDARD}value", f"{_STANDARD}merge"}
_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^([-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([Tt ]|$)")


@dataclass
class Located:
    """Plain data of one file plus line/column (1-based) of every key and value."""

    path: Path
    data: Any
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    reported: set[PathKey] = field(default_factory=set)

    def where(self, loc: PathKey, *, key: bool = False) -> tuple[int, int]:
        """Best position for a path: the value (or key), else the nearest parent."""
        loc = tuple(loc)
        while True:
            table = (self.keys, self.values) if key else (self.values, self.keys)
            for t in table:
                if loc in t:
                    return t[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]

    def problem(self, loc: PathKey, message: str, fix: str, *, key: bool = False) -> Problem:
        line, column = self.where(loc, key=key)
        return Problem(self.path, line, column, message, fix)


class _Abort(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def read_located(path: Path) -> tuple[Located | None, list[Problem]]:
    """Parse `path`; return its data with positions, or the problems that stop it."""
    unreadable = "проверьте, что файл существует и доступен для чтения"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A folder, a pipe or a device (a link to /dev/zero) would hang or fill memory when read.
            return None, [Problem(path, 1, 1, "это не обычный файл (папка, канал или устройство)",
                                  "записи хранятся в обычных текстовых файлах; уберите это из папки записей")]
        size = info.st_size
        if size <= MAX_FILE_BYTES:
            with path.open("rb") as stream:  # never more than the limit, even if the file grows meanwhile
                raw = stream.read(MAX_FILE_BYTES + 1)
            size = len(raw)
    except OSError as exc:
        return None, [Problem(path, 1, 1, f"файл не читается ({exc.strerror})", unreadable)]
    if size > MAX_FILE_BYTES:
        shown = f"{math.ceil(size / 2**20 * 10) / 10:g}".replace(".", ",")   # 50 МБ and 1 byte: «50,1 МБ»
        return None, [Problem(path, 1, 1, f"файл слишком большой ({shown} МБ, допускается не более {MAX_FILE_BYTES // 2**20} МБ)",
                              "проверьте, что это файл записей, а не выгрузка чата или архив")]
    text, problem = decode(path, raw)
    if problem:
        return None, [problem]
    return _compose(path, text)


def _nesting_problem(path: Path, text: str) -> Problem | None:
    """Refuse nesting deeper than records ever need before the C parser sees it (it would crash on 100,000 levels)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" "))
        stripped = line.lstrip(" ")
        indicators = len(re.match(r"^((?:[-?:]\s+)*)", stripped).group(1).split())
        quote = None
        for column, char in enumerate(stripped, indent + 1):
            if quote:
                quote = None if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_DEPTH:  # checked at once: «[[[…]]]» on one line is back to 0 by its end
                    return Problem(path, number, column, "слишком глубокая вложенность",
                                   f"записи не бывают вложены глубже {MAX_DEPTH} уровней; проверьте файл")
            elif char in "]}":
                depth = max(0, depth - 1)
        if indicators > MAX_DEPTH or indent > 4 * MAX_DEPTH:
            return Problem(path, number, 1, "слишком глубокая вложенность",
                           f"записи не бывают вложены глубже {MAX_DEPTH} уровней; проверьте файл")
    return None


def _compose_tree(text: str) -> Any:
    """The node tree, by libyaml when PyYAML has it (8× faster), else by ruamel.yaml."""
    try:
        import yaml

        if getattr(yaml, "__with_libyaml__", False):
            return yaml.compose(text, Loader=yaml.CSafeLoader)
    except ImportError:
        pass
    from ruamel.yaml import YAML

    return YAML(typ="rt", pure=True).compose(text)


def _yaml_errors() -> tuple[type, type]:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    errors_marked, errors_any = [MarkedYAMLError], [YAMLError]
    try:
        import yaml

        errors_marked.append(yaml.MarkedYAMLError)
        errors_any.append(yaml.YAMLError)
    except ImportError:
        pass
    return tuple(errors_marked), tuple(errors_any)


def _compose(path: Path, text: str) -> tuple[Located | None, list[Problem]]:
    MarkedYAMLError, YAMLError = _yaml_errors()

    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        return None, [Problem(path, line, 1, "в файле есть нулевой байт — файл повреждён или это не текст",
                              "восстановите файл из резервной копии или из git")]
    invisible = invisible_problems(path, text)
    if invisible:
        return None, invisible
    problem = _nesting_problem(path, text)
    if problem is not None:
        return None, [problem]
    try:
        root = _compose_tree(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "quoted scalar" in str(exc.context) and exc.context_mark:
            mark = exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message, fix = syntax_message(exc, char_at(text, line, column), line_before(text, line, column))
        quote = unclosed_quote(text, line)
        if quote is not None:
            line, column = quote
            message, fix = "кавычка открыта, но не закрыта", "поставьте закрывающую кавычку в конце значения"
        return None, [Problem(path, line, column, message, fix)]
    except YAMLError:
        return None, [Problem(path, 1, 1, "файл не читается как YAML", "сравните файл с примером в docs/records.md")]
    except RecursionError:
        return None, [Problem(path, 1, 1, "слишком глубокая вложенность", f"записи не бывают вложены глубже {MAX_DEPTH} уровней; проверьте файл")]
    located = Located(path, None)
    if root is None:
        return located, []
    builder = _Builder(located)
    try:
        located.data = builder.build(root, (), 0)
    except _Abort as abort:
        return None, [abort.problem]
    return located, builder.problems


class _Builder:
    def __init__(self, located: Located):
        self.located = located
        self.problems: list[Problem] = []
        self.count = 0
        self.seen: set[int] = set()
        self.alias_visits = 0

    def _abort(self, node: Any, message: str, fix: str) -> _Abort:
        mark = node.start_mark
        return _Abort(Problem(self.located.path, mark.line + 1, mark.column + 1, message, fix))

    def build(self, node: Any, loc: PathKey, depth: int) -> Any:
        self.count += 1
        if type(node).__name__ != "ScalarNode":
            if id(node) in self.seen:
                self.alias_visits += 1
            self.seen.add(id(node))
        if self.count > MAX_NODES or self.alias_visits > MAX_ALIAS_VISITS:
            raise self._abort(node, "в файле слишком много элементов (возможно, «YAML-бомба» из ссылок &/*)",
                              "уберите метки & и ссылки * и проверьте, откуда взят файл")
        if depth > MAX_DEPTH:
            raise self._abort(node, "слишком глубокая вложенность", f"записи не бывают вложены глубже {MAX_DEPTH} уровней; проверьте файл")
        mark = node.start_mark
        self.located.values.setdefault(loc, (mark.line + 1, mark.column + 1))
        self._check_tag(node)
        kind = type(node).__name__
        plain = kind == "ScalarNode" and node.style in (None, "")
        if kind == "MappingNode":
            return self._mapping(node, loc, depth)
        if kind == "SequenceNode":
            return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, loc) if plain else self._quoted(node)

    def _check_tag(self, node: Any) -> None:
        tag = str(node.tag.value if hasattr(node.tag, "value") else node.tag)
        plain = type(node).__name__ == "ScalarNode" and node.style in (None, "")
        if tag not in (_PLAIN_TAGS if plain else _ALLOWED_TAGS):
            shown = tag.replace(_STANDARD, "!!")
            raise self._abort(node, f"недопустимый тег YAML «{shown}» — записи содержат только текст, числа, даты и списки",
                              f"удалите «{shown}» перед значением; такие теги не выполняются и не допускаются")

    def _mapping(self, node: Any, loc: PathKey, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if type(key_node).__name__ != "ScalarNode":
                raise self._abort(key_node, "ключом может быть только простое слово", "запишите ключ одним словом перед двоеточием")
            self._check_tag(key_node)
            key = key_node.value
            if key == "<<":
                raise self._abort(key_node, "слияние ключей «<<» не поддерживается", "выпишите нужные поля явно")
            mark = key_node.start_mark
            if key in result:
                first = self.located.keys[loc + (key,)]
                self.problems.append(Problem(self.located.path, mark.line + 1, mark.column + 1,
                                             f"ключ «{key}» повторяется (впервые — в строке {first[0]})",
                                             "оставьте один ключ: при повторе одно из значений было бы потеряно"))
                continue
            self.located.keys[loc + (key,)] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, loc + (key,), depth + 1)
        return result

    @staticmethod
    def _quoted(node: Any) -> str:
        value = node.value
        if node.style == ">":
            value = value.replace("\a", "")  # ruamel marks folding points with BEL for round-trip
        return value

    def _scalar(self, node: Any, loc: PathKey) -> Any:
        """A plain scalar, typed by the YAML 1.2 core schema: «yes» and «21:00» stay text."""
        value = node.value
        if _NULL.match(value):
            return None
        if _BOOL.match(value):
            return value.lower() == "true"
        if _INT.match(value):
            if len(value) > MAX_NUMBER_DIGITS:
                self.located.reported.add(loc)
                mark = node.start_mark
                self.problems.append(Problem(self.located.path, mark.line + 1, mark.column + 1,
                                             f"число из {len(value)} знаков — слишком длинное",
                                             "проверьте значение; если это текст, заключите его в кавычки"))
                return value
            try:
                return int(value.replace("_", ""), 0)
            except ValueError:
                return int(value.replace("_", ""), 10) if value.lstrip("+-").isdigit() else value
        if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
            return float(value.replace("_", ""))
        if _TIMESTAMP.match(value):
            return self._date(node, value, loc)
        return value

    def _date(self, node: Any, value: str, loc: PathKey) -> Any:
        match = _DATE.match(value)
        if not match:
            self.located.reported.add(loc)
            mark = node.start_mark
            self.problems.append(Problem(self.located.path, mark.line + 1, mark.column + 1,
                                         f"«{value}»: в записях нужна дата без времени",
                                         "запишите дату в виде ГГГГ-ММ-ДД, например 2026-11-05"))
            return value
        year, month, day = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            self.located.reported.add(loc)
            mark = node.start_mark
            self.problems.append(Problem(self.located.path, mark.line + 1, mark.column + 1,
                                         f"даты {value} не существует",
                                         "проверьте день и месяц; дата записывается как ГГГГ-ММ-ДД"))
            return value

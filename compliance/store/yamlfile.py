"""Read one YAML file safely into plain data, keeping where every key and value stands.

The file is only parsed (never constructed by a YAML library), so no tag can run code;
scalars are turned into Python values here, by the few YAML types records use.

How it stays fast on a large institution (4 MB of records):
- libyaml's events are turned into data in one iterative pass: no node tree, no PyYAML tag
  resolution (plain scalars are typed here by YAML 1.2 anyway), and the depth is counted exactly,
  so no nesting reaches libyaml's recursive C composer (which overflows the stack on deep input);
- positions are worked out when someone asks for them (a problem to report, a file to edit):
  `load` reads a clean file without them;
- the cyclic garbage collector is paused while a file is parsed: the tree is acyclic, and the
  collector would walk the growing tree again and again (twice the parse time);
- a text parsed once in a process is not parsed again (`parse`, below; `store/load` keeps the validated
  records of each file as well): `store/write.validate` loads the records again with the new text of
  the changed file right after the command loaded them, and only that text is parsed anew.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import math
import operator
import pickle
import re
import stat
from collections import OrderedDict
from contextlib import contextmanager
from itertools import accumulate
from pathlib import Path
from typing import Any

from ..errors import Problem
from .yaml_problems import char_at, decode, invisible_problems, line_before, syntax_message, unclosed_quote

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_ALIAS_VISITS = 10_000  # a records file has little reason to reuse an anchor; a «YAML bomb» reuses millions
MAX_DEPTH = 50
MAX_NUMBER_DIGITS = 100      # Python refuses to read integers over 4,300 digits; records need a handful
SAFE_COMPOSER_DEPTH = 1_000  # libyaml's node composer recurses in C: far below the depth that overflows its stack
CACHE_BYTES = 32 * 2**20     # parsed files kept in memory (pickled data), at most

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
# The only plain scalars PyYAML's resolver tags «value», «merge» or «yaml» (the rest get allowed tags).
_ODD_PLAIN = frozenset({"=", "<<", "!", "&", "*"})
# A plain scalar starting with any other character is text, and PyYAML would give it an allowed tag.
_TYPED_START = frozenset("~nNtTfF+-.0123456789=<!&*")
_BOMB = ("в файле слишком много элементов (возможно, «YAML-бомба» из ссылок &/*)",
         "уберите метки & и ссылки * и проверьте, откуда взят файл")


def _deep() -> tuple[str, str]:
    return "слишком глубокая вложенность", f"записи не бывают вложены глубже {MAX_DEPTH} уровней; проверьте файл"


_UNSET: Any = object()


class Located:
    """Plain data of one file plus line/column (1-based) of every key and value.

    Made with the file's text, it works out what it was not given (positions; for `from_text`, the
    data too) from that text when first asked."""

    def __init__(self, path: Path, data: Any = None, keys: dict[PathKey, tuple[int, int]] | None = None,
                 values: dict[PathKey, tuple[int, int]] | None = None, reported: set[PathKey] | None = None,
                 *, text: str | None = None):
        self.path = path
        self._data = data
        self._keys = keys if keys is not None or text is not None else {}
        self._values = values if values is not None or text is not None else {}
        self.reported = set() if reported is None else reported
        self._text = text

    @classmethod
    def from_text(cls, path: Path, text: str) -> "Located":
        """A file known to parse without problems; parsed again only if its data or positions are asked for."""
        located = cls(path, text=text)
        located._data = _UNSET
        return located

    @property
    def data(self) -> Any:
        if self._data is _UNSET:
            self._locate()
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value

    @property
    def keys(self) -> dict[PathKey, tuple[int, int]]:
        if self._keys is None:
            self._locate()
        return self._keys

    @keys.setter
    def keys(self, value: dict[PathKey, tuple[int, int]]) -> None:
        self._keys = value

    @property
    def values(self) -> dict[PathKey, tuple[int, int]]:
        if self._values is None:
            self._locate()
        return self._values

    @values.setter
    def values(self, value: dict[PathKey, tuple[int, int]]) -> None:
        self._values = value

    def _locate(self) -> None:
        with gc_paused():
            full, _ = _parse(self.path, self._text, positions=True) if self._text is not None else (None, [])
        if full is None:       # cannot happen for a text that parsed before; positions then fall back to 1:1
            full = Located(self.path, None, {}, {})
        if self._data is _UNSET:
            self._data = full._data
        if self._keys is None or self._values is None:
            self._keys, self._values = full._keys, full._values

    def __repr__(self) -> str:
        return f"Located(path={self.path!r}, data={self._data!r})"

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


@contextmanager
def gc_paused():
    """Parsing allocates millions of objects and no cycles: the cyclic collector would only walk the growing
    tree again and again. Paused (not collected at the end: what was allocated is alive or freed by counts)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_located(path: Path, *, positions: bool = True) -> tuple[Located | None, list[Problem]]:
    """Parse `path`; return its data with positions, or the problems that stop it.
    `positions=False`: positions are worked out only if asked for (reading is then about a quarter faster)."""
    text, problem = read_text(path)
    if problem is not None:
        return None, [problem]
    return parse(path, text, positions=positions)


def read_text(path: Path) -> tuple[str, Problem | None]:
    """The text of `path`, or why it cannot be read as a records file (size, kind, encoding)."""
    unreadable = "проверьте, что файл существует и доступен для чтения"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A folder, a pipe or a device (a link to /dev/zero) would hang or fill memory when read.
            return "", Problem(path, 1, 1, "это не обычный файл (папка, канал или устройство)",
                               "записи хранятся в обычных текстовых файлах; уберите это из папки записей")
        size = info.st_size
        if size <= MAX_FILE_BYTES:
            with path.open("rb") as stream:  # never more than the limit, even if the file grows meanwhile
                raw = stream.read(MAX_FILE_BYTES + 1)
            size = len(raw)
    except OSError as exc:
        return "", Problem(path, 1, 1, f"файл не читается ({exc.strerror})", unreadable)
    if size > MAX_FILE_BYTES:
        shown = f"{math.ceil(size / 2**20 * 10) / 10:g}".replace(".", ",")   # 50 МБ and 1 byte: «50,1 МБ»
        return "", Problem(path, 1, 1, f"файл слишком большой ({shown} МБ, допускается не более {MAX_FILE_BYTES // 2**20} МБ)",
                           "проверьте, что это файл записей, а не выгрузка чата или архив")
    return decode(path, raw)


# ---------------------------------------------------------------- parsed texts kept for the process

_parsed: "OrderedDict[tuple, tuple[bytes | None, frozenset, tuple, int]]" = OrderedDict()
_parsed_bytes = 0


def content_key(text: str) -> tuple:
    """What a parse depends on: the text (by SHA-256) and the limits it was read under."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    return (digest, MAX_NODES, MAX_ALIAS_VISITS, MAX_DEPTH, MAX_NUMBER_DIGITS)


def parse(path: Path, text: str, *, positions: bool = True, remember: bool = True,
          key: tuple | None = None) -> tuple[Located | None, list[Problem]]:
    """`text` (of the file `path`) parsed, or the problems that stop it.

    A text parsed before in this process (the same SHA-256, under the same limits) is not parsed again:
    its data comes back as a fresh copy (callers may change it) and its problems name `path`, wherever the
    text was read first; positions are then worked out from `text` if asked for. Kept in memory only (a
    cache file would be input read unchecked), at most CACHE_BYTES. `remember=False`: look up, do not keep."""
    key = content_key(text) if key is None else key
    entry = _parsed.get(key)
    if entry is not None:
        _parsed.move_to_end(key)
        blob, reported, found, _ = entry
        problems = [Problem(path, *problem) for problem in found]
        if blob is None:
            return None, problems
        with gc_paused():
            data = pickle.loads(blob)
        return Located(path, data, reported=set(reported), text=text), problems
    with gc_paused():
        located, problems = _parse(path, text, positions=positions)
    if remember:
        _remember(key, located, problems)
    return located, problems


def _remember(key: tuple, located: Located | None, problems: list[Problem]) -> None:
    global _parsed_bytes
    with gc_paused():
        blob = None if located is None else pickle.dumps(located.data, protocol=pickle.HIGHEST_PROTOCOL)
    size = 1024 + (len(blob) if blob is not None else 0)
    if size > CACHE_BYTES:
        return
    found = tuple((p.line, p.column, p.message, p.fix) for p in problems)
    _parsed[key] = (blob, frozenset(located.reported) if located is not None else frozenset(), found, size)
    _parsed_bytes += size
    while _parsed_bytes > CACHE_BYTES:
        _, (_, _, _, dropped) = _parsed.popitem(last=False)
        _parsed_bytes -= dropped


def forget_parsed() -> None:
    """Drop every remembered parse (tests; a long-running process that wants the memory back)."""
    global _parsed_bytes
    _parsed.clear()
    _parsed_bytes = 0


def _compose(path: Path, text: str) -> tuple[Located | None, list[Problem]]:
    """The text of `path` parsed with positions (kept for callers that have the text, not the file)."""
    return parse(path, text)


# ---------------------------------------------------------------- the nesting guard

# Line breaks as str.splitlines() sees them (the guard below was written line by line).
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# What the bracket count skips: a quoted stretch (to its quote or the end of the line) and a comment.
_QUOTED_OR_COMMENT = rf"""'[^'{_BREAKS}]*'?|"[^"{_BREAKS}]*"?|#[^{_BREAKS}]*"""
_NEST_TOKENS = re.compile(rf"{_QUOTED_OR_COMMENT}|([\[{{])|([\]}}])")
_SKIPPED = re.compile(_QUOTED_OR_COMMENT)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# Two indicators in a row («- - »): no line can start with more than MAX_DEPTH of them without it.
_TWO_INDICATORS = re.compile(rf"[-?:][^\S{_BREAKS}]++[-?:][^\S{_BREAKS}]")


def _deep_line(limit: int) -> re.Pattern:
    """A line indented by more than 4 × limit spaces, or starting with more than `limit` indicators «- », «? », «: »."""
    return re.compile(rf"(?<![^{_BREAKS}])(?: {{{4 * limit + 1}}}| *(?:[-?:][^\S{_BREAKS}]+){{{limit + 1}}})")


def _deepest_bracket(text: str) -> int:
    """How deep the bracket walk of `_nesting_problem` goes, worked out at C speed: the brackets outside quotes
    and comments; the depth after each, never below 0, is the running sum less its lowest point so far."""
    if "'" in text or '"' in text or "#" in text:
        text = _SKIPPED.sub("", text)
    sums = list(accumulate(map(_STEP.__getitem__, _NOT_BRACKET.sub("", text))))
    lows = accumulate(sums, min, initial=0)
    next(lows)
    return max(map(operator.sub, sums, lows), default=0)


def _nesting_problem(path: Path, text: str) -> Problem | None:
    """Refuse nesting deeper than records ever need before the parser sees it, with the place a person would
    look at: the first bracket past the limit (outside quotes and comments), or the line indented too deep.

    This is the message, not the safety: the depth is counted exactly from the parser's events (`_from_events`)
    before anything recursive sees the file."""
    bracket = None
    if text.count("[") + text.count("{") > MAX_DEPTH and _deepest_bracket(text) > MAX_DEPTH:
        depth = 0
        for match in _NEST_TOKENS.finditer(text):
            if match.lastindex == 1:
                depth += 1
                if depth > MAX_DEPTH:  # checked at once: «[[[…]]]» on one line is back to 0 by its end
                    bracket = match.start()
                    break
            elif match.lastindex == 2:
                depth = max(0, depth - 1)
    line = None
    if " " * (4 * MAX_DEPTH + 1) in text or _TWO_INDICATORS.search(text):
        line = _deep_line(MAX_DEPTH).search(text)
    if line is not None and (bracket is None or _line_of(text, line.start()) < _line_of(text, bracket)):
        return Problem(path, _line_of(text, line.start()), 1, *_deep())
    if bracket is not None:
        start = max(text.rfind(ch, 0, bracket) for ch in _BREAKS) + 1
        return Problem(path, _line_of(text, bracket), bracket - start + 1, *_deep())
    return None


def _line_of(text: str, offset: int) -> int:
    """1-based line of `offset`, counted as str.splitlines() counts («\\r\\n» is one break)."""
    head = text[:offset]
    return len(head.splitlines()) + (1 if not head or head[-1] in _BREAKS else 0)


# ---------------------------------------------------------------- parsing

def _libyaml() -> Any:
    try:
        import yaml
    except ImportError:
        return None
    return yaml if getattr(yaml, "__with_libyaml__", False) else None


_loader_class: Any = None


def _no_resolve_loader() -> Any:
    """libyaml's composer with PyYAML's tag resolution cut to what the tag check needs: its Python resolver
    would run for every node (a third of the composing time) to give tags the typing here ignores."""
    global _loader_class
    if _loader_class is None:
        from yaml._yaml import CParser
        from yaml.nodes import ScalarNode, SequenceNode

        class _Loader(CParser):
            def resolve(self, kind, value, implicit):
                if kind is ScalarNode:
                    return _implicit_scalar_tag(value, implicit)
                return f"{_STANDARD}seq" if kind is SequenceNode else f"{_STANDARD}map"

            def descend_resolver(self, parent, index):
                pass

            def ascend_resolver(self):
                pass

        _loader_class = _Loader
    return _loader_class


_resolver: Any = None


def _implicit_scalar_tag(value: str, implicit: tuple[bool, bool]) -> str:
    """The tag PyYAML's resolver gives an untagged (or «!») scalar, where the tag check can tell: «=», «<<»,
    «!», «&», «*» get «value», «merge», «yaml»; every other tag it gives is allowed wherever it can be given."""
    global _resolver
    if implicit[0] and value in _ODD_PLAIN:
        if _resolver is None:
            from yaml.resolver import Resolver

            _resolver = Resolver()
        from yaml.nodes import ScalarNode

        return _resolver.resolve(ScalarNode, value, implicit)
    return f"{_STANDARD}str"


def _compose_tree(text: str) -> Any:
    """The node tree, by libyaml when PyYAML has it (8× faster), else by ruamel.yaml."""
    yaml = _libyaml()
    if yaml is not None:
        return yaml.compose(text, Loader=_no_resolve_loader())
    from ruamel.yaml import YAML

    return YAML(typ="rt", pure=True).compose(text)


def _yaml_errors() -> tuple[tuple[type, ...], tuple[type, ...]]:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    errors_marked, errors_any = [MarkedYAMLError], [YAMLError]
    try:
        import yaml

        errors_marked.append(yaml.MarkedYAMLError)
        errors_any.append(yaml.YAMLError)
    except ImportError:
        pass
    return tuple(errors_marked), tuple(errors_any)


def _parse(path: Path, text: str, *, positions: bool) -> tuple[Located | None, list[Problem]]:
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
        if _libyaml() is not None:
            outcome = _from_events(path, text, positions)
            if outcome is not None:
                return outcome
            # anchors or aliases: the node builder below expands them (the depth is known to be safe)
        root = _compose_tree(text)
    except MarkedYAMLError as exc:
        if getattr(exc, "problem", None) == LIBYAML_DEPTH_PROBLEM:
            return None, [_libyaml_depth_problem(path, text, exc.problem_mark)]
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
        return None, [Problem(path, 1, 1, *_deep())]
    located = Located(path, None, {}, {}, text=text)
    if root is None:
        return located, []
    builder = _Builder(located)
    try:
        located.data = builder.build(root, (), 0)
    except _Abort as abort:
        return None, [abort.problem]
    return located, builder.problems


# libyaml 0.2.6 and later refuse 1,000 open collections themselves, while scanning ahead: before the events
# that take the depth past MAX_DEPTH have reached `_from_events`.
LIBYAML_DEPTH_PROBLEM = "exceeded maximum nesting depth"


def _libyaml_depth_problem(path: Path, text: str, mark: Any) -> Problem:
    """The depth refusal at the first node past MAX_DEPTH, as older libyaml gives it: the events of the text
    up to where libyaml stopped, which it reads without reaching its own limit."""
    from yaml import YAMLError
    from yaml._yaml import CParser
    from yaml.events import MappingEndEvent, MappingStartEvent, SequenceEndEvent, SequenceStartEvent

    lines = text.split("\n", mark.line + 1)
    offset = sum(len(line) + 1 for line in lines[:mark.line]) + mark.column
    parser, level, found = CParser(text[:offset]), 0, mark
    try:
        while True:
            event = parser.get_event()
            if event is None:
                break
            kind = type(event)
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                level -= 1
                continue
            if level > MAX_DEPTH:
                found = event.start_mark
                break
            level += kind is MappingStartEvent or kind is SequenceStartEvent
    except YAMLError:
        pass
    finally:
        parser.dispose()
    return Problem(path, found.line + 1, found.column + 1, *_deep())


_NO_KEY: Any = object()     # a mapping waits for a key
_REPEATED: Any = object()   # a mapping waits for the value of a repeated key (left out)


def _from_events(path: Path, text: str, positions: bool) -> tuple[Located | None, list[Problem]] | None:
    """The file's data (and, if asked, positions) from libyaml's events in one iterative pass, with the node
    builder's checks in its order; None when the file has anchors or aliases (the node builder expands them).

    Errors of the parser and of the composer (a second document) are raised as the composer raises them, and
    before any of the builder's refusals, as when the whole tree was composed first."""
    from yaml import YAMLError
    from yaml._yaml import CParser
    from yaml.composer import ComposerError
    from yaml.events import (DocumentEndEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                             SequenceEndEvent, SequenceStartEvent, StreamEndEvent)

    get = CParser(text).get_event
    get()                                            # stream start
    if type(get()) is StreamEndEvent:                # no document at all
        return Located(path, None, {}, {}, text=text), []
    holder: list = []                                # holds the root
    stack: list = []                                 # the open collections' parents
    cont: Any = holder
    is_map, loc, lines = False, (), None             # lines: a mapping's keys and the line of each
    key: Any = _NO_KEY
    count = 0
    problems: list[Problem] = []
    reported: set[PathKey] = set()
    keys_at: dict[PathKey, tuple[int, int]] | None = {} if positions else None
    values_at: dict[PathKey, tuple[int, int]] | None = {} if positions else None
    root_mark = first_deep = None                    # first_deep: the first node deeper than MAX_DEPTH
    refusal = None                                   # (mark, message, fix): the builder's first refusal
    anchors = False
    level = -1                                       # open collections when the pass stopped building
    while True:
        event = get()
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            cont, is_map, loc, lines = stack.pop()
            key = _NO_KEY
            continue
        if kind is DocumentEndEvent:
            break
        mark = event.start_mark
        if root_mark is None:
            root_mark = mark
        is_start = kind is MappingStartEvent or kind is SequenceStartEvent
        if event.anchor is not None:                 # an anchor, or an alias (its anchor is the name)
            anchors, level = True, len(stack) + is_start
            break
        if key is _NO_KEY and is_map:                # a key
            if kind is not ScalarEvent:
                refusal = (mark, "ключом может быть только простое слово", "запишите ключ одним словом перед двоеточием")
                level = len(stack) + is_start
                break
            name = event.value
            if event.tag is not None or (name in _ODD_PLAIN and event.style in (None, "")):
                refused = _refused_tag(event, ScalarEvent)
                if refused is not None:
                    refusal, level = (mark, *refused), len(stack)
                    break
            if name == "<<":
                refusal, level = (mark, "слияние ключей «<<» не поддерживается", "выпишите нужные поля явно"), len(stack)
                break
            first = lines.get(name)
            if first is not None:
                problems.append(Problem(path, mark.line + 1, mark.column + 1,
                                        f"ключ «{name}» повторяется (впервые — в строке {first})",
                                        "оставьте один ключ: при повторе одно из значений было бы потеряно"))
                key = _REPEATED
                continue
            lines[name] = mark.line + 1
            if positions:
                keys_at[loc + (name,)] = (mark.line + 1, mark.column + 1)
            key = name
            continue
        if key is _REPEATED:                         # left out unchecked, as the node builder leaves it
            key = _NO_KEY
            if is_start:
                stopped = _skip(get, len(stack))
                if stopped is not None:
                    level, anchors, first_deep = stopped
                    break
            continue
        count += 1
        if count > MAX_NODES:
            refusal, level = (mark, *_BOMB), len(stack) + is_start
            break
        if len(stack) > MAX_DEPTH:
            refusal, level = (mark, *_deep()), len(stack) + is_start
            break
        tag = event.tag
        if kind is ScalarEvent:
            value, style = event.value, event.style
            plain = style == "" or style is None
            slow = tag is not None or (plain and (not value or value[0] in _TYPED_START))
            if positions or slow:
                at = loc + (key,) if is_map else (loc + (len(cont),) if cont is not holder else ())
                if positions:
                    values_at.setdefault(at, (mark.line + 1, mark.column + 1))
            if slow:
                if tag is not None or (plain and value in _ODD_PLAIN):
                    refused = _refused_tag(event, kind)
                    if refused is not None:
                        refusal, level = (mark, *refused), len(stack)
                        break
                if plain:
                    value = _plain_value(path, value, mark, at, problems, reported)
            if style == ">":
                value = value.replace("\a", "")  # ruamel marks folding points with BEL for round-trip
            if is_map:
                cont[key] = value
                key = _NO_KEY
            else:
                cont.append(value)
            continue
        at = loc + (key,) if is_map else (loc + (len(cont),) if cont is not holder else ())
        if positions:
            values_at.setdefault(at, (mark.line + 1, mark.column + 1))
        if tag is not None:
            refused = _refused_tag(event, kind)
            if refused is not None:
                refusal, level = (mark, *refused), len(stack) + 1
                break
        new: Any = {} if kind is MappingStartEvent else []
        if is_map:
            cont[key] = new
        else:
            cont.append(new)
        stack.append((cont, is_map, loc, lines))
        cont, loc, key = new, at, _NO_KEY
        is_map, lines = (True, {}) if kind is MappingStartEvent else (False, None)

    if level < 0:                                    # the document is read: a second one is an error
        after = get()
        if type(after) is not StreamEndEvent:
            raise ComposerError("expected a single document in the stream", root_mark,
                                "but found another document", after.start_mark)
        located = Located(path, holder[0] if holder else None, keys_at, values_at, reported, text=text)
        return located, problems

    # Stopped building: read on to the end, as the composer would have, for errors that come first; but not
    # past SAFE_COMPOSER_DEPTH open collections (libyaml's time grows with the square of the depth, and the
    # composer itself would have crashed).
    deepest = level
    if first_deep is None and refusal is not None and refusal[1] == _deep()[0]:
        first_deep = refusal[0]
    try:
        while deepest <= SAFE_COMPOSER_DEPTH:
            event = get()
            kind = type(event)
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                level -= 1
                continue
            if kind is DocumentEndEvent:
                after = get()
                if type(after) is not StreamEndEvent:
                    raise ComposerError("expected a single document in the stream", root_mark,
                                        "but found another document", after.start_mark)
                break
            if event.anchor is not None:
                anchors = True
            if level > MAX_DEPTH and first_deep is None:
                first_deep = event.start_mark
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                level += 1
                deepest = max(deepest, level)
    except YAMLError:
        if not anchors:
            raise
        # an alias may be undefined before this error: the composer tells which comes first
    if anchors and deepest <= SAFE_COMPOSER_DEPTH:
        return None
    mark, message, fix = refusal if refusal is not None else (first_deep or root_mark, *_deep())
    return None, [Problem(path, mark.line + 1, mark.column + 1, message, fix)]


def _skip(get: Any, outside: int) -> tuple[int, bool, Any] | None:
    """Read past a collection whose start was just read, inside `outside` open collections: None when done; else
    where it stopped (open collections, at an anchor or alias?, the first node deeper than MAX_DEPTH), at an anchor
    or alias, or past SAFE_COMPOSER_DEPTH."""
    from yaml.events import MappingEndEvent, MappingStartEvent, SequenceEndEvent, SequenceStartEvent

    inner, first_deep = 1, None
    while inner:
        event = get()
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            inner -= 1
            continue
        if first_deep is None and outside + inner > MAX_DEPTH:
            first_deep = event.start_mark
        start = kind is MappingStartEvent or kind is SequenceStartEvent
        if event.anchor is not None:
            return outside + inner + start, True, first_deep
        inner += start
        if outside + inner > SAFE_COMPOSER_DEPTH:
            return outside + inner, False, first_deep
    return None


def _refused_tag(event: Any, kind: type) -> tuple[str, str] | None:
    """Why the tag of a node event is not allowed (the same check as the node builder's), or None."""
    from yaml.events import ScalarEvent, SequenceStartEvent

    tag = event.tag
    plain = kind is ScalarEvent and event.style in (None, "")
    if tag is None or tag == "!":
        if kind is ScalarEvent:
            tag = _implicit_scalar_tag(event.value, event.implicit)
        else:
            tag = f"{_STANDARD}seq" if kind is SequenceStartEvent else f"{_STANDARD}map"
    return _tag_refusal(tag, plain)


def _tag_refusal(tag: str, plain: bool) -> tuple[str, str] | None:
    if tag in (_PLAIN_TAGS if plain else _ALLOWED_TAGS):
        return None
    shown = tag.replace(_STANDARD, "!!")
    return (f"недопустимый тег YAML «{shown}» — записи содержат только текст, числа, даты и списки",
            f"удалите «{shown}» перед значением; такие теги не выполняются и не допускаются")


def _plain_value(path: Path, value: str, mark: Any, loc: PathKey, problems: list[Problem], reported: set) -> Any:
    """A plain scalar, typed by the YAML 1.2 core schema: «yes» and «21:00» stay text."""
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT.match(value):
        if len(value) > MAX_NUMBER_DIGITS:
            reported.add(loc)
            problems.append(Problem(path, mark.line + 1, mark.column + 1,
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
        match = _DATE.match(value)
        if not match:
            reported.add(loc)
            problems.append(Problem(path, mark.line + 1, mark.column + 1,
                                    f"«{value}»: в записях нужна дата без времени",
                                    "запишите дату в виде ГГГГ-ММ-ДД, например 2026-11-05"))
            return value
        year, month, day = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            reported.add(loc)
            problems.append(Problem(path, mark.line + 1, mark.column + 1,
                                    f"даты {value} не существует",
                                    "проверьте день и месяц; дата записывается как ГГГГ-ММ-ДД"))
            return value
    return value


class _Builder:
    """Plain data from a node tree (ruamel's, or libyaml's for a file with anchors and aliases)."""

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
            raise self._abort(node, *_BOMB)
        if depth > MAX_DEPTH:
            raise self._abort(node, *_deep())
        mark = node.start_mark
        self.located.values.setdefault(loc, (mark.line + 1, mark.column + 1))
        self._check_tag(node)
        kind = type(node).__name__
        plain = kind == "ScalarNode" and node.style in (None, "")
        if kind == "MappingNode":
            return self._mapping(node, loc, depth)
        if kind == "SequenceNode":
            return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        if plain:
            return _plain_value(self.located.path, node.value, node.start_mark, loc, self.problems, self.located.reported)
        return self._quoted(node)

    def _check_tag(self, node: Any) -> None:
        tag = str(node.tag.value if hasattr(node.tag, "value") else node.tag)
        plain = type(node).__name__ == "ScalarNode" and node.style in (None, "")
        refused = _tag_refusal(tag, plain)
        if refused is not None:
            raise self._abort(node, *refused)

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

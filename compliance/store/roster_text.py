"""A roster plan put into people.yaml and groups.yaml as text, where a person editing the files would put it.

New people are one-line flow mappings after the last person of the same объединение (a new объединение
gets a «# Объединение» heading at the end of the list); new members are «- id  # Фамилия И.О.» lines after
the last member, with `joined:` entries when the group already existed. Every other byte stays. A ruamel
round trip would move the heading comments that precede a list item («# Театральная студия «Маска»» belongs
to the item above it in ruamel's model) and takes a minute on a large institution. The write itself is
write.py's: checked by loading the records as they would be, then both files atomically, or neither.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import RecordsError, UsageError, display_path
from ..model.registry import Records
from .roster import GROUPS, PEOPLE, Change, NewPerson, RosterPlan, _change_text, _fold, _fold_association, short_name


def write_plan(records: Records, plan: RosterPlan) -> list[Path]:
    """Put the plan into people.yaml and groups.yaml: checked, then both written atomically."""
    from .write import _Source, _write_all, validate

    rendered: dict[Path, bytes] = {}
    originals: dict[Path, bytes] = {}
    edits = ((records.root / PEOPLE, bool(plan.students or plan.parents or plan.changes), _edit_people),
             (records.root / GROUPS, bool(plan.joinings), _edit_groups))
    for path, needed, edit in edits:
        if not needed:
            continue
        source = _Source.read(path)
        located = _located(path)
        text = edit(source.text, located, records, plan)
        if text != source.text:
            rendered[path] = source.encode(text)
            originals[path] = source.raw
    if not rendered:
        return []
    validate(records.root, rendered)
    _write_all(rendered, originals)
    return sorted(rendered)


def _located(path: Path) -> Any:
    from .yamlfile import read_located

    located, problems = read_located(path)
    if located is None or problems:
        raise RecordsError(problems)
    return located


class _Lines:
    """A file's lines with insertions and replacements collected first and applied bottom-up."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.inserts: dict[int, list[str]] = {}

    def insert(self, at: int, new: list[str]) -> None:
        self.inserts.setdefault(at, []).extend(new)

    @property
    def end(self) -> int:
        """Where a line appended to the file goes (before the final newline)."""
        return len(self.lines) - 1 if self.lines[-1] == "" else len(self.lines)

    def text(self) -> str:
        lines = list(self.lines)
        for at in sorted(self.inserts, reverse=True):
            lines[at:at] = self.inserts[at]
        return "\n".join(lines)


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip())]


def _code(line: str) -> str:
    """The line without its end-of-line comment (a «#» outside quotes, after a space)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def _plain_ok(value: str) -> bool:
    """Whether a string can stand unquoted in a flow mapping and still read back as that string."""
    return (bool(re.fullmatch(r"[^\W\d_«][^,\[\]{}#:&*!|>%@`\"]*", value) or re.fullmatch(r"«[^,\[\]{}#:]*", value))
            and value == value.strip() and _fold(value) not in ("null", "true", "false", "yes", "no", "on", "off"))


def _scalar(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    return value if _plain_ok(value) else json.dumps(value, ensure_ascii=False)   # a JSON string is YAML


def _flow(pairs: list[tuple[str, Any]]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in pairs if v is not None) + "}"


def _student_line(p: NewPerson) -> str:
    return _flow([("id", p.id), ("surname", p.surname), ("name", p.name), ("patronymic", p.patronymic),
                  ("association", p.association), ("year_of_study", p.year_of_study), ("birth_year", p.birth_year)])


def _parent_line(p: NewPerson) -> str:
    pairs = [("id", p.id), ("surname", p.surname), ("name", p.name), ("patronymic", p.patronymic)]
    return _flow(pairs)[:-1] + f", children: [{', '.join(p.children)}]}}"


@dataclass
class _Item:
    first: int                               # 0-based line of the item
    last: int                                # its last line that is not blank or a comment
    data: Any
    column: int                              # 0-based column of the item's value


@dataclass
class _Section:
    """One top-level list (students, parents, groups) as it lies in the file."""

    items: list[_Item]
    indent: str                              # of «- »
    key_line: int | None                     # 0-based line of «students:»; None when the key is missing


def _section(lines: list[str], located: Any, key: str) -> _Section:
    if (key,) not in located.keys:
        return _Section([], "  ", None)
    key_line = located.keys[(key,)][0] - 1
    tops = sorted(line - 1 for k, (line, _) in located.keys.items() if len(k) == 1 and line - 1 > key_line)
    bound = tops[0] if tops else len(lines)
    values = located.data.get(key) if isinstance(located.data, dict) else None
    items = []
    for index, value in enumerate(values or []):
        line, column = located.where((key, index))
        items.append(_Item(line - 1, line - 1, value, column - 1))
    for index, item in enumerate(items):
        end = items[index + 1].first if index + 1 < len(items) else bound
        item.last = max((n for n in range(item.first, end)
                         if lines[n].strip() and not lines[n].lstrip().startswith("#")), default=item.first)
    indent = "  "
    if items:
        before = lines[items[0].first][:items[0].column].rstrip()
        indent = before[:-1] if before.endswith("-") else _indent(lines[items[0].first])
    return _Section(items, indent, key_line)


def _open_list(lines: _Lines, section: _Section, key: str) -> int:
    """Where the first item of an empty list goes; «students: []» loses its brackets."""
    if section.key_line is None:
        lines.insert(lines.end, ["", f"{key}:"])
        return lines.end
    line = lines.lines[section.key_line]
    comment = line[len(_code(line)):]
    lines.lines[section.key_line] = re.sub(r":\s*(\[\s*\]|null|~)?\s*$", ":", _code(line)) + comment
    return section.key_line + 1


def _blocks(lines: _Lines, section: _Section, key: str, people: list[tuple[str, str]],
            belongs: Any) -> None:
    """Insert (association key, line) pairs after the last item of the same association, or under
    a new «# Объединение» heading at the end of the list."""
    opened: int | None = None
    for association in dict.fromkeys(a for a, _ in people):
        new = [f"{section.indent}- {text}" for a, text in people if a == association]
        same = [item for item in section.items if belongs(item.data) == _fold_association(association)]
        if same:
            lines.insert(same[-1].last + 1, new)
            continue
        heading = [f"{section.indent}# {association}"]
        if section.items:
            lines.insert(section.items[-1].last + 1, ["", *heading, *new])
        else:
            opened = _open_list(lines, section, key) if opened is None else opened
            lines.insert(opened, heading + new)


def _edit_people(text: str, located: Any, records: Records, plan: RosterPlan) -> str:
    lines = _Lines(text)
    path = records.root / PEOPLE
    students = _section(lines.lines, located, "students")
    parents = _section(lines.lines, located, "parents")
    by_id = {item.data.get("id"): item for s in (students, parents) for item in s.items if isinstance(item.data, dict)}
    for change in plan.changes:
        _change_line(lines, by_id[change.person], change, path)
    association = {s.id: s.association for s in records.students}
    association.update({s.id: s.association for s in plan.students})
    _blocks(lines, students, "students", [(p.association, _student_line(p)) for p in plan.students],
            lambda data: _fold_association(data.get("association")) if isinstance(data, dict) else None)

    def first_child(data: Any) -> str | None:
        children = data.get("children") if isinstance(data, dict) else None
        return _fold_association(association.get(children[0])) if children else None

    _blocks(lines, parents, "parents", [(association[p.children[0]], _parent_line(p)) for p in plan.parents],
            first_child)
    return lines.text()


def _change_line(lines: _Lines, item: _Item, change: Change, path: Path) -> None:
    """Change one field in a person's one-line flow mapping; anything else is left to the user."""
    import yaml

    line = lines.lines[item.first]
    code, comment = _code(line), line[len(_code(line)):]
    body = code[item.column:]
    manual = (f"{display_path(path)}:{item.first + 1}: человек записан не одной строкой {{…}}, программа не может "
              f"изменить запись; ничего не записано.\n"
              f"  Как исправить: запишите человека одной строкой, как в docs/records.md, или внесите изменение "
              f"вручную ({change.person}: {_change_text(change)}) и повторите загрузку.")
    if item.first != item.last or not body.startswith("{") or not body.endswith("}"):
        raise UsageError(manual)
    if change.field == "children":
        value = f"[{', '.join(change.new)}]"
    else:
        value = str(change.new)
    pattern = re.compile(rf"(\b{change.field}:\s*)(\[[^\]]*\]|[^,}}]+)")
    if pattern.search(body):
        body = pattern.sub(lambda m: m.group(1) + value, body, count=1)
    else:
        body = body[:-1].rstrip() + f", {change.field}: {value}}}"
    try:
        parsed = yaml.safe_load(body)
    except yaml.YAMLError:
        raise UsageError(manual) from None
    if not isinstance(parsed, dict) or parsed.get(change.field) != (list(change.new) if change.field == "children"
                                                                   else change.new):
        raise UsageError(manual)
    lines.lines[item.first] = code[:item.column] + body + comment


def _edit_groups(text: str, located: Any, records: Records, plan: RosterPlan) -> str:
    lines = _Lines(text)
    path = records.root / GROUPS
    names = {p.id: p for p in [*plan.students, *plan.parents]}

    def comment(pid: str) -> str:
        return short_name(names[pid] if pid in names else records.people[pid])

    groups = _section(lines.lines, located, "groups")
    for index, item in enumerate(groups.items):
        gid = item.data.get("id") if isinstance(item.data, dict) else None
        mine = [j for j in plan.joinings if j.group == gid]
        if not mine:
            continue
        members = [f"- {j.person}  # {comment(j.person)}" for j in mine]
        joined = [f"{j.person}: {j.joined:%Y-%m-%d}  # {comment(j.person)}" for j in mine if j.joined is not None]
        key_indent = " " * (located.where(("groups", index, "id"), key=True)[1] - 1)
        after = _add_members(lines, located, index, item, members, key_indent, path)
        if joined:
            _add_joined(lines, located, index, joined, key_indent, after, path)
    return lines.text()


def _refuse(path: Path, line: int, what: str) -> UsageError:
    return UsageError(f"{display_path(path)}:{line}: {what} записан не по строкам «- …»; программа не может дописать "
                      f"в него строку, ничего не записано.\n"
                      f"  Как исправить: запишите каждого участника отдельной строкой, начинающейся с «- », как в "
                      f"docs/records.md, и повторите загрузку.")


def _add_members(lines: _Lines, located: Any, index: int, item: _Item, members: list[str], key_indent: str,
                 path: Path) -> int:
    """Append member lines; return the line after the members block (where a new «joined:» goes)."""
    key = ("groups", index, "members")
    values = item.data.get("members")
    if key not in located.keys:
        at = item.last + 1
        lines.insert(at, [f"{key_indent}members:", *(f"{key_indent}  {m}" for m in members)])
        return at
    key_line = located.keys[key][0] - 1
    if not values:
        code = _code(lines.lines[key_line])
        if not re.search(r":\s*(\[\s*\]|null|~)?$", code):
            raise _refuse(path, key_line + 1, "список members")
        lines.lines[key_line] = re.sub(r":\s*(\[\s*\]|null|~)?$", ":", code) + lines.lines[key_line][len(code):]
        lines.insert(key_line + 1, [f"{key_indent}  {m}" for m in members])
        return key_line + 1
    line, column = located.where(key + (len(values) - 1,))
    before = lines.lines[line - 1][:column - 1].rstrip()
    if not before.endswith("-"):
        raise _refuse(path, key_line + 1, "список members")
    lines.insert(line, [f"{before[:-1]}{m}" for m in members])
    return line


def _add_joined(lines: _Lines, located: Any, index: int, joined: list[str], key_indent: str, after: int,
                path: Path) -> None:
    key = ("groups", index, "joined")
    if key not in located.keys:
        lines.insert(after, [f"{key_indent}joined:", *(f"{key_indent}  {j}" for j in joined)])
        return
    key_line = located.keys[key][0] - 1
    entries = [located.keys[k][0] - 1 for k in located.keys if len(k) == 4 and k[:3] == key]
    if not entries:
        code = _code(lines.lines[key_line])
        if not re.search(r":\s*(\{\s*\}|null|~)?$", code):
            raise _refuse(path, key_line + 1, "раздел joined")
        lines.lines[key_line] = re.sub(r":\s*(\{\s*\}|null|~)?$", ":", code) + lines.lines[key_line][len(code):]
        lines.insert(key_line + 1, [f"{key_indent}  {j}" for j in joined])
        return
    last = max(entries)
    if last == key_line:
        raise _refuse(path, key_line + 1, "раздел joined")
    lines.insert(last + 1, [f"{_indent(lines.lines[last])}{j}" for j in joined])

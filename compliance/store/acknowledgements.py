"""Acknowledgements as a workflow: check and record sign-offs (a filled-in sheet: ack_sheet.py).

The store records; it does not decide who must sign. Which version of an act is current and
whether a parent signs for a young student are decided in rules.acknowledgements and handed in
as `AckRules` (the store may not import the rules: data flows one way).

New lines go where a person editing the file would put them: after the last line of the same act
version and sheet, each a one-line flow mapping with a «# Фамилия И.О.» comment; a new sheet or a
new version gets its own heading comment, as in the sample file. They are put into the text, which
is otherwise left byte for byte; the check and the atomic write are write.py's.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import RecordsError, UsageError, display_path
from ..model.records import AckMethod, Act, ActVersion, Group, OrderStatus, Parent, Student
from ..model.registry import Records
from .write import records_lock

FILE = "acknowledgements.yaml"
SHEET_PREFIX = "ЛО-"                # sheet numbers of the sample: ЛО-1, ЛО-2, …
NEW_FILE = """\
# Ознакомление участников групп с локальными актами (п. 2.3 Порядка).
# Одна строка — один человек, один акт, одна редакция.
acknowledgements: []
"""


@dataclass(frozen=True)
class AckRules:
    """What п. 2.3 decides, from rules.acknowledgements: the store only records."""

    current_version: Callable[[Records, Act, dt.date], ActVersion | None]
    parent_signs: Callable[[Records, str, ActVersion], bool]   # a student too young to sign himself


@dataclass(frozen=True)
class SignOff:
    """One acknowledgement to record."""

    person: str
    act: str
    version: int
    date: dt.date
    method: AckMethod = AckMethod.PAPER
    sheet: str | None = None
    signed_by: str | None = None


@dataclass(frozen=True)
class Refusal:
    what: str
    fix: str

    def render(self) -> str:
        return f"{self.what}\n  Как исправить: {self.fix}"


class Refused(UsageError):
    """Everything wrong with what was asked, in one message; nothing is written."""

    def __init__(self, refusals: list[Refusal], trailer: str | None = None):
        self.refusals = refusals
        lines = [r.render() for r in refusals] + ([trailer] if trailer else [])
        super().__init__("\n".join(lines))


# ---------------------------------------------------------------- names and dates as people write them

def human(d: dt.date) -> str:
    return f"{d:%d.%m.%Y}"


def short_name(records: Records, pid: str) -> str:
    """«Аксёнова Н.С.» with plain spaces, as in the comments of acknowledgements.yaml."""
    from ..ru import FullName, surname_first

    p = records.people[pid]
    return surname_first(FullName(p.surname, p.name, p.patronymic, p.gender)).replace("\u00a0", " ")


def full_name(records: Records, pid: str) -> str:
    p = records.people[pid]
    return " ".join(part for part in (p.surname, p.name, p.patronymic) if part)


def who(records: Records, pid: str) -> str:
    return f"{short_name(records, pid)} ({pid})"


def _female(records: Records, pid: str) -> bool:
    from ..ru import FullName, detect_gender

    p = records.people[pid]
    return detect_gender(FullName(p.surname, p.name, p.patronymic, p.gender)) == "ж"


def gendered(records: Records, pid: str, masculine: str, feminine: str) -> str:
    return feminine if _female(records, pid) else masculine


def version_label(act: Act, version: ActVersion | int) -> str:
    number = version if isinstance(version, int) else version.version
    return f"{act.title}, редакция {number}"


def acquainted(records: Records, pid: str, act: Act, version: int, date: dt.date) -> str:
    """«Рябова Ю.С. (pr-040) ознакомлена с Правилами использования чата (редакция 2) 15.09.2026»."""
    from ..ru import with_preposition_s

    edition = f" (редакция {version})" if len(act.versions) > 1 else ""
    return (f"{who(records, pid)} {gendered(records, pid, 'ознакомлен', 'ознакомлена')} "
            f"{with_preposition_s(act.title)}{edition} {human(date)}")


def normal_name(text: str) -> str:
    return " ".join(str(text).replace("ё", "е").replace("Ё", "Е").split()).casefold()


_DATE_FORMS = (
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)


def parse_date(text: str) -> dt.date | None:
    """«14.11.2026», «14.11.26», «14.11.2026 г.» or «2026-11-14»; None if it is not a date."""
    cleaned = re.sub(r"\s*г\.?$", "", " ".join(str(text).split())).strip()
    for form in _DATE_FORMS:
        match = form.match(cleaned)
        if match:
            year = int(match["y"])
            year += 2000 if year < 100 else 0
            try:
                return dt.date(year, int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def suggestion(value: str, known: Iterable[str], what: str) -> str:
    known = list(known)
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.75)
    if close:
        return f"возможно, вы имели в виду: {', '.join(close)}"
    shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    return f"{what}: {shown}"


# ---------------------------------------------------------------- what a sign-off refers to

def resolve_person(records: Records, pid: str) -> str:
    pid = pid.strip()
    if pid not in records.people:
        raise UsageError(f"Человека «{pid}» нет в people.yaml.\n"
                         f"  Как исправить: укажите id из people.yaml ({suggestion(pid, records.people, 'например')}).")
    return pid


def resolve_act(records: Records, text: str, today: dt.date, rules: AckRules) -> tuple[Act, ActVersion]:
    """«chat-rules» (the current version) or «chat-rules:3»."""
    match = re.fullmatch(r"\s*([a-z0-9][a-z0-9-]*)\s*(?::\s*(\d+)\s*)?", text)
    if not match:
        raise UsageError(f"«{text}» — не акт.\n  Как исправить: укажите id акта и, если нужно, номер редакции: "
                         f"chat-rules или chat-rules:2.")
    act = records.acts_by_id.get(match[1])
    if act is None:
        raise UsageError(f"Акта «{match[1]}» нет в records/acts/.\n"
                         f"  Как исправить: укажите id акта ({suggestion(match[1], records.acts_by_id, 'есть')}).")
    if match[2] is None:
        version = rules.current_version(records, act, today)
        if version is None:
            raise UsageError(f"У акта «{act.id}» нет редакции, утверждённой подписанным приказом на {human(today)}.\n"
                             f"  Как исправить: подпишите приказ об утверждении (compliance order sign) "
                             f"или укажите редакцию: {act.id}:1.")
        return act, version
    number = int(match[2])
    if not 1 <= number <= len(act.versions):
        numbers = ", ".join(str(v.version) for v in act.versions)
        raise UsageError(f"У акта «{act.id}» нет редакции {number} (есть: {numbers}).\n"
                         f"  Как исправить: укажите номер существующей редакции или только id акта — "
                         f"будет взята действующая редакция.")
    return act, act.versions[number - 1]


def groups_for(records: Records, act: Act, pid: str) -> list[Group]:
    """The groups of `pid` whose participants acknowledge `act` (п. 2.3)."""
    return [g for g in records.groups if pid in g.members and act in records.required_acts(g)]


def parents_of(records: Records, pid: str) -> list[Parent]:
    return [p for p in records.parents if pid in p.children]


def line_finder(records: Records) -> Callable[[str, str, int], int]:
    """Line of a recorded acknowledgement in acknowledgements.yaml (1 if it cannot be told);
    the file is read once, on the first question."""
    from functools import cache

    from .yamlfile import read_located

    @cache
    def located():
        return read_located(records.root / FILE)[0]

    index = {(a.person, a.act, a.version): i for i, a in enumerate(records.acknowledgements)}

    def line(person: str, act: str, version: int) -> int:
        at = index.get((person, act, version))
        return 1 if at is None or located() is None else located().where(("acknowledgements", at))[0]

    return line


def acknowledgement_line(records: Records, person: str, act: str, version: int) -> int:
    return line_finder(records)(person, act, version)


def refusals(records: Records, s: SignOff, today: dt.date, rules: AckRules) -> list[Refusal]:
    """Everything that stops recording `s`; empty when it may be recorded."""
    act = records.acts_by_id[s.act]
    version = act.versions[s.version - 1]
    order = records.orders_by_id[version.approved_by]
    person = who(records, s.person)
    found: list[Refusal] = []
    ack = records.acknowledgement(s.person, s.act, s.version)
    if ack is not None:
        how = f", лист {ack.sheet}" if ack.sheet else (", электронно" if ack.method == AckMethod.ELECTRONIC else "")
        found.append(Refusal(
            f"Ознакомление уже записано: {acquainted(records, s.person, act, s.version, ack.date)}{how} — "
            f"{display_path(records.root / FILE)}, строка {acknowledgement_line(records, s.person, s.act, s.version)}.",
            "второй раз записывать не нужно; прежняя запись не меняется. Если в ней ошибка, исправьте её в файле."))
        return found
    if order.status != OrderStatus.SIGNED:
        state = "отменён" if order.status == OrderStatus.CANCELLED else "ещё не подписан (проект)"
        found.append(Refusal(
            f"Редакция {version.version} акта «{act.title}» не действует: приказ № {order.registration_number} {state}.",
            f"знакомят под подпись с редакцией, утверждённой подписанным приказом; подпишите приказ "
            f"(compliance order sign {order.registration_number}) или укажите другую редакцию."))
    if not groups_for(records, act, s.person):
        from ..ru import with_preposition_s

        found.append(Refusal(
            f"{person} не входит ни в одну группу, участники которой знакомятся {with_preposition_s(act.title)}.",
            "проверьте id человека и акта; новому участнику сначала добавьте его в members группы в groups.yaml."))
    if s.date < order.date:
        found.append(Refusal(
            f"Дата ознакомления {human(s.date)} раньше приказа № {order.registration_number} от {human(order.date)}, "
            f"которым утверждена редакция {version.version} акта «{act.title}».",
            "проверьте дату по листу ознакомления."))
    if s.date > today:
        found.append(Refusal(
            f"Дата ознакомления {human(s.date)} ещё не наступила (сегодня {human(today)}).",
            "записывайте ознакомление после того, как человек расписался; проверьте день, месяц и год."))
    found += _signature_refusals(records, s, version, rules)
    return found


def _signature_refusals(records: Records, s: SignOff, version: ActVersion, rules: AckRules) -> list[Refusal]:
    """A parent signs for a young student (and only for one); `signed_by` must be that student's parent."""
    person = who(records, s.person)
    young = isinstance(records.people[s.person], Student) and rules.parent_signs(records, s.person, version)
    if not young:
        if s.signed_by is None:
            return []
        return [Refusal(f"{person} расписывается {gendered(records, s.person, 'сам', 'сама')}: подпись родителя "
                        f"(--signed-by) нужна только за обучающегося младше {records.institution.own_signature_age} лет.",
                        "уберите --signed-by.")]
    parents = parents_of(records, s.person)
    if not parents:
        fix = f"добавьте родителя в people.yaml (parents, children: [{s.person}]) и укажите его id в --signed-by."
    else:
        fix = "укажите в --signed-by id расписавшегося родителя: " + " или ".join(who(records, p.id) for p in parents) + "."
    if s.signed_by is None:
        pronoun = gendered(records, s.person, "него", "неё")
        return [Refusal(f"{person} младше {records.institution.own_signature_age} лет: за {pronoun} расписывается "
                        f"родитель (законный представитель).", fix)]
    if s.signed_by in {p.id for p in parents}:
        return []
    if s.signed_by not in records.people:
        return [Refusal(f"Человека «{s.signed_by}», указанного в --signed-by, нет в people.yaml.", fix)]
    return [Refusal(f"{who(records, s.signed_by)} не {gendered(records, s.signed_by, 'записан', 'записана')} в people.yaml "
                    f"родителем обучающегося {_genitive(records, s.person)} ({s.person}).", fix)]


def _genitive(records: Records, pid: str) -> str:
    """«Васильева Я.Е.» for Васильев Ярослав Егорович."""
    from ..ru import FullName, decline, surname_first

    p = records.people[pid]
    return surname_first(decline(FullName(p.surname, p.name, p.patronymic, p.gender), "gent")).replace("\u00a0", " ")


# ---------------------------------------------------------------- writing

@contextmanager
def recording(records_dir: Path) -> Iterator[Records]:
    """The records, loaded under the records lock: read, check and write as one step."""
    from .load import load

    root = Path(records_dir)
    if not root.is_dir():
        load(root)  # the usual «папка не найдена» message
    with records_lock(root):
        yield load(root)


@dataclass(frozen=True)
class Recorded:
    sign_offs: tuple[SignOff, ...]
    lines: tuple[int, ...]           # where each landed in acknowledgements.yaml
    written: tuple[Path, ...]


def record(records: Records, sign_offs: Iterable[SignOff], *, group: Group | None = None,
           dry_run: bool = False) -> Recorded:
    """Add the sign-offs to acknowledgements.yaml in one checked, atomic write (none on `dry_run`).

    The new lines are put into the text as it is; every other byte of the file stays. A round trip
    through ruamel would do the same for a sample-sized file, but takes a minute on the 24,000 lines
    of a large institution. The write itself is write.py's: under the lock, the records are loaded
    as they would be after it (a broken line or a duplicate is refused), then written atomically."""
    from .write import _write_all, validate  # the same checked, atomic, all-or-none write as every other
    from .yamlfile import read_located

    sign_offs = tuple(sign_offs)
    path = records.root / FILE
    with records_lock(records.root):
        original = path.read_bytes() if path.exists() else None
        located = None
        if original is not None:
            located, problems = read_located(path)   # the safe reader: no tags, no bombs, a known encoding
            if located is None or problems:
                raise RecordsError(problems)
        source = _Text.decode(original)
        lines, numbers = _with_sign_offs(records, source.lines, located, path, sign_offs, group)
        if dry_run or not sign_offs:
            return Recorded(sign_offs, tuple(numbers), ())
        rendered = {path: source.encode(lines)}
        validate(records.root, rendered)
        _write_all(rendered, {path: original})
    return Recorded(sign_offs, tuple(numbers), (path,))


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass(frozen=True)
class _Text:
    """A file's lines, and how to write them back the same way (BOM, encoding, line ends)."""

    lines: list[str]
    prefix: bytes = b""
    codec: str = "utf-8"
    newline: str = "\n"

    @classmethod
    def decode(cls, raw: bytes | None) -> "_Text":
        if raw is None:
            return cls(NEW_FILE.splitlines())
        prefix, codec = next(((bom, codec) for bom, codec in _BOMS if raw.startswith(bom)), (b"", "utf-8"))
        text = raw[len(prefix):].decode(codec)
        newline = "\r\n" if "\r\n" in text else "\n"
        lines = text.replace("\r\n", "\n").split("\n")
        return cls(lines[:-1] if lines[-1] == "" else lines, prefix, codec, newline)

    def encode(self, lines: list[str]) -> bytes:
        return self.prefix + "".join(line + self.newline for line in lines).encode(self.codec)


@dataclass
class _Item:
    key: tuple                      # (act, version, method, sheet)
    first: int                      # 0-based line of its «- »
    last: int                       # its last line that is not a comment or blank


def _with_sign_offs(records: Records, lines: list[str], located: Any, path: Path, sign_offs: tuple[SignOff, ...],
                    group: Group | None) -> tuple[list[str], list[int]]:
    """`lines` with a line for each sign-off, and the (1-based) line each got."""
    lines = list(lines)
    items, indent, opening = _items(lines, located, path)
    numbers = []
    for s in sign_offs:
        at, heading = _place(records, items, s, group)
        if at is None:                          # an empty list: the first line after «acknowledgements:»
            if opening is None:
                lines.append("acknowledgements:")
                opening = len(lines) - 1
            lines[opening] = re.sub(r"^(acknowledgements:)\s*(\[\s*\]|null|~)?", r"\1", lines[opening])
            position = opening + 1
        else:
            position = items[at].last + 1
        new = [f"{indent}{h}" if h else "" for h in heading] + [f"{indent}- {_flow_text(s)}  # {short_name(records, s.person)}"]
        lines[position:position] = new
        for item in items:
            item.first += len(new) if item.first >= position else 0
            item.last += len(new) if item.last >= position else 0
        line = position + len(new) - 1
        items.insert(at + 1 if at is not None else 0, _Item(_key(s), line, line))
        numbers.append(line + 1)
    return lines, numbers


def _items(lines: list[str], located: Any, path: Path) -> tuple[list[_Item], str, int | None]:
    """The recorded items with their lines, the indentation of «- », the line of «acknowledgements:»."""
    if located is None:                         # a new file: NEW_FILE
        return [], "  ", next(i for i, line in enumerate(lines) if line.startswith("acknowledgements:"))
    data = located.data if isinstance(located.data, dict) else {}
    opening = located.keys[("acknowledgements",)][0] - 1 if ("acknowledgements",) in located.keys else None
    items: list[_Item] = []
    for index, value in enumerate(data.get("acknowledgements") or []):
        line, column = located.where(("acknowledgements", index))
        if not lines[line - 1][:column - 1].rstrip().endswith("-"):
            raise UsageError(f"{display_path(path)}:{line}:{column}: список acknowledgements записан не по строкам «- …»; "
                             f"программа не может дописать в него строку, файл не изменён.\n"
                             f"  Как исправить: запишите каждое ознакомление отдельной строкой, начинающейся с «- », "
                             f"как в docs/records.md.")
        items.append(_Item(_key(value), line - 1, line - 1))
    for index, item in enumerate(items):
        end = items[index + 1].first if index + 1 < len(items) else len(lines)
        item.last = max((n for n in range(item.first, end) if lines[n].strip() and not lines[n].lstrip().startswith("#")),
                        default=item.first)
    first = lines[items[0].first] if items else "  -"
    return items, first[:len(first) - len(first.lstrip())], opening


def _key(item: Any) -> tuple:
    if isinstance(item, SignOff):
        return (item.act, item.version, item.method.value, item.sheet)
    if not isinstance(item, dict):
        return (None, None, None, None)
    return (item.get("act"), item.get("version"), item.get("method", AckMethod.PAPER.value), item.get("sheet"))


def _place(records: Records, items: list[_Item], s: SignOff, group: Group | None) -> tuple[int | None, list[str]]:
    """After which item the sign-off goes, and the heading comments it brings: after the last line of
    the same act version and sheet (or method); a new sheet or a new version gets a heading."""
    act = records.acts_by_id[s.act]
    wanted = _key(s)
    same_version = [i for i, item in enumerate(items) if item.key[:2] == wanted[:2]]
    same_method = [i for i in same_version if items[i].key[2] == wanted[2]]
    same_sheet = [i for i in same_method if items[i].key[3] == wanted[3]]
    if same_sheet:
        return same_sheet[-1], []
    heading: list[str] = []
    if same_version:
        at = (same_method or same_version)[-1]
    elif items:
        order = records.orders_by_id[act.versions[s.version - 1].approved_by]
        at, heading = len(items) - 1, ["", f"# ---- {version_label(act, s.version)} (приказ № {order.registration_number})"]
    else:
        return None, []
    if s.method == AckMethod.ELECTRONIC:
        heading.append("# Электронно (форма ознакомления в группе)")
    elif s.sheet is not None:
        chosen = group or next(iter(groups_for(records, act, s.person)), None)
        heading.append(f"# Лист {s.sheet}" + (f": {chosen.title}" if chosen else ""))
    return at, heading


def _flow_text(s: SignOff) -> str:
    """One acknowledgement as one line, in the style of the sample file."""
    parts = [f"person: {s.person}", f"act: {s.act}", f"version: {s.version}", f"date: {s.date:%Y-%m-%d}",
             f"method: {s.method.value}"]
    if s.sheet is not None:
        parts.append(f"sheet: {json.dumps(s.sheet, ensure_ascii=False)}")   # a JSON string is a YAML double-quoted one
    if s.signed_by is not None:
        parts.append(f"signed_by: {s.signed_by}")
    return "{" + ", ".join(parts) + "}"


def next_sheet_number(records: Records) -> str:
    """«ЛО-13» after ЛО-12: the next number in the series the records already use."""
    numbers = [int(m[1]) for a in records.acknowledgements if a.sheet
               for m in [re.fullmatch(re.escape(SHEET_PREFIX) + r"(\d+)", a.sheet)] if m]
    return f"{SHEET_PREFIX}{max(numbers, default=0) + 1}"

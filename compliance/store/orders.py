"""Orders as a workflow: register numbers, a new draft, signing, the register lines.

Numbers run per calendar year and series (institution.order_series) and are never reused: the next
number is the largest one recorded for that year and series plus one. The records hold only the
orders about the groups; the institution's other orders live elsewhere, so a gap in the numbers is
a warning, never an error.

A draft (status «проект») gets its number when it is created, so the file can be named and the
groups and acts can point to it; signing sets the status and the date, and refuses a date that
would break the register (a smaller number signed later, or a date in another year).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..errors import Problem, RecordsError, UsageError, display_path
from ..model.records import Act, Group, Groups, Institution, Order, OrderStatus, People, order_id
from .write import changing, parse

CREATION_TITLE = "О создании групп в мобильных мессенджерах"
GROUPS_DAYS = 7  # default time to create the groups after the order
MAX_NUMBER = 999  # the file name holds three digits

_SERIES = r"[а-яёa-z]{1,4}"
_REF_FORMS = (
    re.compile(rf"^(?P<number>\d{{1,3}})-(?P<series>{_SERIES})$"),
    re.compile(rf"^(?P<year>\d{{4}})-(?P<number>\d{{1,3}})-(?P<series>{_SERIES})$"),
    re.compile(rf"^(?P<number>\d{{1,3}})-(?P<series>{_SERIES})/(?P<year>\d{{4}})$"),
)


# ---------------------------------------------------------------- referring to an order

@dataclass(frozen=True)
class OrderRef:
    year: int
    number: int
    series: str

    @property
    def id(self) -> str:
        return order_id(self.year, self.number, self.series)

    @property
    def registration_number(self) -> str:
        return f"{self.number}-{self.series}"


def parse_order_ref(text: str, today: dt.date) -> OrderRef:
    """«45-од» (this year), «45-од/2026», «2026-045-од» or a file name «2026-045-од.yaml»."""
    cleaned = text.strip().lower()
    if cleaned.endswith(".yaml"):  # a file name, e.g. completed by the shell
        cleaned = Path(cleaned).name.removesuffix(".yaml")
    cleaned = re.sub(r"^№\s*", "", cleaned).replace("\u00a0", "").replace(" ", "")
    for form in _REF_FORMS:
        match = form.match(cleaned)
        if match and int(match["number"]) > 0:
            year = int(match["year"]) if "year" in form.groupindex else today.year
            return OrderRef(year, int(match["number"]), match["series"])
    raise UsageError(f"«{text}» — не номер приказа.\n"
                     f"  Как исправить: укажите номер как 45-од (приказ этого года), 45-од/2026 или 2026-045-од.")


def resolve_order(text: str, known: Iterable[str], today: dt.date) -> str:
    """The id of an existing order from how a user wrote it; a clear error if there is none."""
    ref = parse_order_ref(text, today)
    known = set(known)
    if ref.id in known:
        return ref.id
    other_years = sorted(int(k[:4]) for k in known if k[5:] == f"{ref.number:03d}-{ref.series}")
    if other_years:
        hint = ", ".join(f"{ref.registration_number}/{year}" for year in other_years)
        fix = f"укажите год: {hint}"
    else:
        fix = "посмотрите номера командой «compliance order list»"
    raise UsageError(f"Приказа № {ref.registration_number} за {ref.year} г. нет в records/orders/.\n"
                     f"  Как исправить: {fix}.")


def short_ref(order: Order, today: dt.date) -> str:
    """How to name the order on the command line: «72-од», or «72-од/2027» for another year."""
    return order.registration_number if order.date.year == today.year else f"{order.registration_number}/{order.date.year}"


# ---------------------------------------------------------------- numbers

def next_number(orders: Iterable[Order], year: int, series: str) -> int:
    return max((o.number for o in orders if o.date.year == year and o.series == series), default=0) + 1


def missing_numbers(numbers: Iterable[int]) -> list[int]:
    used = set(numbers)
    return [n for n in range(1, max(used, default=0) + 1) if n not in used]


def number_ranges(numbers: list[int]) -> str:
    """«1–44, 46, 47, 50–70» for the sorted numbers."""
    parts, start = [], None
    for i, n in enumerate(numbers):
        start = n if start is None else start
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(n) if n == start else f"{start}{'–' if n > start + 1 else ', '}{n}")
            start = None
    return ", ".join(parts)


def numbers_of(orders: Iterable[Order], year: int, series: str) -> list[int]:
    return sorted(o.number for o in orders if o.date.year == year and o.series == series)


def gap_warning(numbers: Iterable[int], year: int, series: str) -> str | None:
    """«Пропущены номера: 46, 47 за 2026 г. (серия од)», or None when the numbers run from 1 without gaps."""
    gaps = missing_numbers(numbers)
    return f"Пропущены номера: {number_ranges(gaps)} за {year} г. (серия {series})" if gaps else None


# ---------------------------------------------------------------- reading what a write needs

@dataclass
class _Snapshot:
    """The records read file by file, without the cross-file checks: `order new` must work while
    groups still point to the order it is about to create."""

    root: Path
    institution: Institution
    people: People
    groups: list[Group]
    orders: dict[str, tuple[Path, Order]]
    acts: dict[str, tuple[Path, Act]]

    @property
    def order_models(self) -> list[Order]:
        return [order for _, order in self.orders.values()]


def _read(path: Path, model: Any, problems: list[Problem]) -> Any:
    from pydantic import ValidationError

    from .messages import problems_from_validation
    from .yamlfile import read_located

    located, found = read_located(path)
    problems.extend(found)
    if located is None or found:
        return None
    try:
        return model.model_validate(located.data if located.data is not None else {})
    except ValidationError as exc:
        problems.extend(problems_from_validation(located, model, exc))
        return None


def _staff(path: Path, problems: list[Problem]) -> People | None:
    """Only the `staff:` block of people.yaml: what a new order needs, without parsing thousands
    of students and parents (the whole file is checked before writing anyway)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = next(i for i, line in enumerate(lines) if re.match(r"staff:(\s|$)", line))
        end = next((i for i in range(start + 1, len(lines)) if re.match(r"[^\s#]", lines[i])), len(lines))
        data = parse("".join(lines[start:end]))
        return People.model_validate({"staff": [dict(p) for p in data["staff"]]})
    except Exception:  # any doubt: read and report the whole file the usual way
        return _read(path, People, problems)


def _snapshot(root: Path, *, with_people: bool = True) -> _Snapshot:
    root = Path(root)
    if not root.is_dir():
        raise UsageError(f"Папка с записями «{root}» не найдена.\n  Как исправить: укажите её в --records "
                         f"или создайте новую командой «compliance init {root}».")
    problems: list[Problem] = []
    institution = _read(root / "institution.yaml", Institution, problems)
    people = _staff(root / "people.yaml", problems) if with_people else People(staff=[])
    groups = _read(root / "groups.yaml", Groups, problems)
    orders: dict[str, tuple[Path, Order]] = {}
    for path in sorted((root / "orders").glob("*.yaml")):
        order = _read(path, Order, problems)
        if order is not None:
            orders[order.id] = (path, order)
    acts: dict[str, tuple[Path, Act]] = {}
    for path in sorted((root / "acts").glob("*.yaml")):
        act = _read(path, Act, problems)
        if act is not None:
            acts[act.id] = (path, act)
    if problems or institution is None or people is None or groups is None:
        raise RecordsError(problems)
    return _Snapshot(root, institution, people, list(groups.groups), orders, acts)


def _date(d: dt.date) -> str:
    return f"{d:%d.%m.%Y}"


def _one_of(value: str, known: list[str], what: str) -> str:
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.8)
    if close:
        return f"возможно, вы имели в виду: {', '.join(close)}"
    shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    return f"{what}: {shown}" if known else f"{what} пока нет"


# ---------------------------------------------------------------- a new draft

@dataclass(frozen=True)
class NewOrder:
    id: str
    path: Path
    registration_number: str            # «72-од»
    date: dt.date                       # the planned date of signing
    title: str
    groups: tuple[str, ...]             # groups whose `order` now names this draft
    moved: tuple[tuple[str, str], ...]  # (group, the draft it was taken from)
    new_versions: tuple[tuple[str, int], ...]  # act versions added to acts/<id>.yaml
    warnings: tuple[str, ...]
    written: tuple[Path, ...]


def new_order(records_dir: Path, title: str | None = None, series: str | None = None, date: dt.date | None = None,
              groups: Iterable[str] | None = None, approves: Iterable[tuple[str, int | None]] = (),
              basis: str | None = None, executor: str | None = None, acknowledge_by: dt.date | None = None,
              groups_by: dt.date | None = None, today: dt.date | None = None) -> NewOrder:
    """Create a draft order with the next free number in its year and series.

    Without `groups`, the draft creates every group whose `order` in groups.yaml names an order
    that does not exist yet (a group added by hand, waiting for its order). `approves` are
    (act id, version) pairs; version None means the act's pending version or a new one."""
    root = Path(records_dir)
    today = today or dt.date.today()
    date = date or today
    with changing(root) as changes:
        snap = _snapshot(root)
        institution = snap.institution
        indexes = [s.index for s in institution.order_series]
        series = (series or indexes[0]).strip().lower()
        if series not in indexes:
            raise UsageError(f"Серии приказов «{series}» нет в institution.yaml.\n"
                             f"  Как исправить: укажите одну из серий: {', '.join(indexes)}, или добавьте серию в order_series.")
        number = next_number(snap.order_models, date.year, series)
        if number > MAX_NUMBER:
            raise UsageError(f"В серии «{series}» за {date.year} г. уже {MAX_NUMBER} приказов.\n"
                             f"  Как исправить: заведите отдельную серию в institution.yaml (order_series).")
        new_id = order_id(date.year, number, series)
        path = root / "orders" / f"{new_id}.yaml"

        executor = (executor or institution.secretary).strip()
        staff = [p.id for p in snap.people.staff]
        if executor not in staff:
            raise UsageError(f"Сотрудника «{executor}» нет в разделе staff файла people.yaml.\n"
                             f"  Как исправить: укажите в --executor id сотрудника ({_one_of(executor, staff, 'есть')}).")
        chosen, moved = _choose_groups(snap, groups, new_id)
        approvals = _choose_approvals(snap, approves, new_id)
        title = " ".join((title or "").split()) or _default_title(snap, chosen, approvals)
        deadlines = _deadlines(institution, date, bool(chosen), bool(approvals), groups_by, acknowledge_by)

        basis = " ".join((basis or "").split()) or None
        document = parse(_order_layout(snap, number, series, date, new_id, executor, chosen, approvals, deadlines,
                                       folded_basis=basis is not None))
        document["title"] = title
        document["basis"] = _folded(basis) if basis else None
        changes.create(path, document)
        if chosen:
            ids = {g.id for g in chosen}

            def point_groups(data: Any) -> None:
                for item in data["groups"]:
                    if item.get("id") in ids:
                        item["order"] = new_id

            changes.update(root / "groups.yaml", point_groups)
        new_versions = []
        for act_id, version, append in approvals:
            act_path = snap.acts[act_id][0]
            if append:
                changes.update(act_path, lambda data, v=version: _append_version(data, v, new_id, date))
                new_versions.append((act_id, version))
            else:
                changes.update(act_path, lambda data, v=version: data["versions"][v - 1].__setitem__("approved_by", new_id))
        written = changes.commit()

        numbers = [*numbers_of(snap.order_models, date.year, series), number]
        warnings = [w for w in (gap_warning(numbers, date.year, series),) if w]
        earlier = sorted(o.registration_number for o in snap.order_models
                         if o.date.year == date.year and o.series == series and o.status == OrderStatus.DRAFT)
        if earlier:
            warnings.append(f"Не подписаны проекты № {', '.join(earlier)}: подписывайте приказы в порядке номеров")
    return NewOrder(new_id, path, f"{number}-{series}", date, title, tuple(g.id for g in chosen), tuple(moved),
                    tuple(new_versions), tuple(warnings), tuple(written))


def _choose_groups(snap: _Snapshot, groups: Iterable[str] | None, new_id: str) -> tuple[list[Group], list]:
    by_id = {g.id: g for g in snap.groups}
    if not groups:
        return [g for g in snap.groups if g.order not in snap.orders], []
    chosen, moved = [], []
    for group_id in dict.fromkeys(g.strip() for g in groups):
        group = by_id.get(group_id)
        if group is None:
            raise UsageError(f"Группы «{group_id}» нет в groups.yaml.\n"
                             f"  Как исправить: укажите id группы из groups.yaml ({_one_of(group_id, list(by_id), 'есть')}).")
        current = snap.orders.get(group.order)
        if current is not None and current[1].status != OrderStatus.DRAFT:
            order = current[1]
            raise UsageError(f"Группа «{group.id}» уже создана приказом № {order.registration_number} "
                             f"от {_date(order.date)} ({order.status.value}); новый приказ её не создаёт.\n"
                             f"  Как исправить: уберите «--group {group.id}»; новый приказ создаёт только новые группы.")
        if current is not None:
            moved.append((group.id, group.order))
        chosen.append(group)
    return chosen, moved


def _choose_approvals(snap: _Snapshot, approves: Iterable[tuple[str, int | None]], new_id: str) -> list[tuple[str, int, bool]]:
    """(act, version, append?) for each act version the draft approves."""
    result: list[tuple[str, int, bool]] = []
    for act_id, version in approves:
        act_id = act_id.strip()
        if act_id not in snap.acts:
            raise UsageError(f"Акта «{act_id}» нет в records/acts/.\n"
                             f"  Как исправить: укажите id акта ({_one_of(act_id, sorted(snap.acts), 'есть')}).")
        if any(a == act_id for a, _, _ in result):
            raise UsageError(f"Акт «{act_id}» указан в --approve дважды.\n  Как исправить: оставьте одну редакцию акта.")
        versions = snap.acts[act_id][1].versions
        following = len(versions) + 1
        if version is None:
            version = len(versions) if versions[-1].approved_by not in snap.orders else following
        if version < 1 or version > following:
            raise UsageError(f"У акта «{act_id}» нет редакции {version}: есть {len(versions)}, новая будет {following}.\n"
                             f"  Как исправить: укажите --approve {act_id}:{following} (или просто --approve {act_id}).")
        if version < following:
            holder = snap.orders.get(versions[version - 1].approved_by)
            if holder is not None:
                order = holder[1]
                raise UsageError(f"Редакция {version} акта «{act_id}» уже утверждена приказом № {order.registration_number} "
                                 f"от {_date(order.date)} ({order.status.value}).\n"
                                 f"  Как исправить: чтобы утвердить новую редакцию, укажите --approve {act_id}:{following} "
                                 f"(или просто --approve {act_id}).")
        result.append((act_id, version, version == following))
    return result


def _default_title(snap: _Snapshot, chosen: list[Group], approvals: list[tuple[str, int, bool]]) -> str:
    if chosen:
        return CREATION_TITLE
    if len(approvals) == 1:
        from ..ru import decline_phrase

        act_id, version, _ = approvals[0]
        title = decline_phrase(snap.acts[act_id][1].title, "gent")
        return f"Об утверждении {'новой редакции ' if version > 1 else ''}{title}"
    if approvals:
        return "Об утверждении локальных актов о группах в мобильных мессенджерах"
    raise UsageError("Не из чего составить проект приказа: у всех групп в groups.yaml уже есть приказ, "
                     "а --group, --approve и --title не указаны.\n"
                     "  Как исправить: добавьте новые группы в groups.yaml (в поле order — номер будущего приказа, "
                     "его покажет «compliance order list») и повторите команду; или укажите --approve АКТ "
                     "для новой редакции акта; или --title с заголовком приказа.")


def _deadlines(institution: Institution, date: dt.date, has_groups: bool, has_acts: bool,
               groups_by: dt.date | None, acknowledge_by: dt.date | None) -> tuple[dt.date, dt.date] | None:
    if not (has_groups or has_acts or groups_by or acknowledge_by):
        return None
    groups_by = groups_by or (date + dt.timedelta(days=GROUPS_DAYS) if has_groups else date)
    acknowledge_by = acknowledge_by or groups_by + dt.timedelta(days=institution.acknowledgement_grace_days)
    if groups_by < date:
        raise UsageError(f"Срок создания групп {_date(groups_by)} раньше даты приказа {_date(date)}.\n"
                         f"  Как исправить: укажите в --groups-by дату не раньше {_date(date)}.")
    if acknowledge_by < groups_by:
        raise UsageError(f"Срок ознакомления {_date(acknowledge_by)} раньше срока создания групп {_date(groups_by)}.\n"
                         f"  Как исправить: укажите в --acknowledge-by дату не раньше {_date(groups_by)}.")
    return groups_by, acknowledge_by


def _folded(text: str) -> Any:
    """Long text as a folded block («>-»), wrapped for reading; the value stays one line."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    text = " ".join(text.split())
    lines = textwrap.wrap(text, 78, break_long_words=False, break_on_hyphens=False)
    folded = FoldedScalarString(text)
    positions, at = [], 0
    for line in lines[:-1]:
        at += len(line)
        positions.append(at)
        at += 1
    folded.fold_pos = positions
    return folded


def _who(snap: _Snapshot, person_id: str) -> str:
    from ..ru import FullName, initials_first

    person = next((p for p in snap.people.staff if p.id == person_id), None)
    if person is None:
        return ""
    name = initials_first(FullName(person.surname, person.name, person.patronymic, person.gender))
    return f"{person.position} {name}".replace("\u00a0", " ")


def _commented(pairs: list[tuple[str, str]]) -> list[str]:
    """Lines with their comments in one column, as in the sample files."""
    width = max(len(line) for line, _ in pairs) + 3
    return [f"{line.ljust(width)}# {comment}" if comment else line for line, comment in pairs]


def _order_layout(snap: _Snapshot, number: int, series: str, date: dt.date, new_id: str, executor: str, groups: list[Group],
                  approvals: list[tuple[str, int, bool]], deadlines: tuple[dt.date, dt.date] | None,
                  folded_basis: bool) -> str:
    """The new order file with its comments, in the layout of the sample orders. Only checked ids,
    numbers and dates are written into the text; `title` and `basis` are set on the parsed data,
    so that ruamel quotes whatever the user typed."""
    institution = snap.institution
    lines = [
        f"# Приказ № {number}-{series} за {date.year} г. Имя файла: год-номер-индекс (номер — три цифры).",
        f"# Проект подписывается командой «compliance order sign {number}-{series}/{date.year} --date ГГГГ-ММ-ДД»:",
        "# она ставит статус «подписан» и дату подписания.",
        "",
        f"number: {number}",
        f"series: {series}",
        *_commented([(f"date: {date:%Y-%m-%d}", "дата подписания; у проекта — предполагаемая"),
                     ("status: проект", "проект, подписан или отменён")]),
        "title: x",
        "",
        "# Преамбула (цель и основание); после неё в приказе печатается «ПРИКАЗЫВАЮ:».",
        "# Пусто (null) — стандартная преамбула о целях групп в мессенджерах.",
        *(["basis: >-", "  x"] if folded_basis else ["basis: x"]),
        "",
        "# Кто подписывает и кто готовил приказ: id из people.yaml.",
        *_commented([(f"signed_by: {institution.director}", _who(snap, institution.director)),
                     (f"executor: {executor}", _who(snap, executor))]),
        "",
    ]
    if groups:
        lines += [f"# Группы, которые создаёт приказ, — в groups.yaml (у них order: {new_id}):"]
        lines += textwrap.wrap(", ".join(g.id for g in groups) + ".", 96, initial_indent="# ", subsequent_indent="# ",
                               break_long_words=False, break_on_hyphens=False)
        lines += [""]
    if deadlines:
        groups_comment = "создать группы" if groups else "новые группы приказ не создаёт: срок равен дате приказа"
        lines += [
            "# Сроки исполнения.",
            "deadlines:",
            f"  groups_created: {deadlines[0]:%Y-%m-%d}   # {groups_comment}",
            f"  acknowledged: {deadlines[1]:%Y-%m-%d}     # ознакомить участников под подпись",
        ]
    else:
        lines += ["# Сроки исполнения: пусто — приказ не создаёт групп и не утверждает актов.", "deadlines: null"]
    lines += ["", "# Какие редакции локальных актов утверждаются приказом."]
    if approvals:
        lines += ["approves:"]
        for act_id, version, _ in approvals:
            lines += [f"  - act: {act_id}", f"    version: {version}"]
    else:
        lines += ["approves: []"]
    lines += ["", "# Контроль за исполнением: пусто — директор оставляет за собой.", "control: null", ""]
    return "\n".join(lines)


def _append_version(data: Any, version: int, new_id: str, date: dt.date) -> None:
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap()
    entry["version"] = version
    entry["approved_by"] = new_id
    entry["effective"] = date
    entry["changes"] = None
    column = len("approved_by: ") + len(new_id) + 6  # past the longest line of the entry
    entry.yaml_add_eol_comment("# с даты приказа; подпишут другой датой — дата перенесётся", "effective", column)
    entry.yaml_add_eol_comment("# что изменилось по сравнению с прежней редакцией — впишите", "changes", column)
    versions = data["versions"]
    versions.append(entry)
    versions.yaml_set_comment_before_after_key(len(versions) - 1, before="\n")


# ---------------------------------------------------------------- signing

@dataclass(frozen=True)
class SignedOrder:
    id: str
    path: Path
    registration_number: str
    date: dt.date
    title: str
    effective_moved: tuple[tuple[str, int], ...]  # act versions whose effective date followed the signing
    written: tuple[Path, ...]


def sign_order(records_dir: Path, ref: str, date: dt.date, today: dt.date | None = None) -> SignedOrder:
    """Mark a draft signed on `date`: status «подписан», the date of signing, the register kept in order."""
    root = Path(records_dir)
    today = today or dt.date.today()
    with changing(root) as changes:
        snap = _snapshot(root, with_people=False)
        the_id = resolve_order(ref, snap.orders, today)
        path, order = snap.orders[the_id]
        number = order.registration_number
        if order.status == OrderStatus.SIGNED:
            raise UsageError(f"Приказ № {number} уже подписан {_date(order.date)}; повторно он не подписывается.\n"
                             f"  Как исправить: проверьте номер (compliance order list); подписанный приказ "
                             f"изменяют или отменяют новым приказом.")
        if order.status == OrderStatus.CANCELLED:
            raise UsageError(f"Приказ № {number} отменён; подписать его нельзя.\n"
                             f"  Как исправить: проверьте номер (compliance order list) или создайте новый проект "
                             f"командой «compliance order new».")
        if date > today:
            raise UsageError(f"Дата подписания {_date(date)} ещё не наступила (сегодня {_date(today)}).\n"
                             f"  Как исправить: отмечайте приказ подписанным в день подписания или позже; "
                             f"проверьте год и месяц в --date.")
        if date.year != order.date.year:
            raise UsageError(f"Приказ № {number} — номер {order.date.year} г., а дата подписания {_date(date)} — "
                             f"{date.year} г.; номера приказов начинаются заново каждый год.\n"
                             f"  Как исправить: подпишите датой {order.date.year} г. или создайте новый проект "
                             f"на {date.year} г. (compliance order new --date {date:%Y-%m-%d} …), а этот удалите.")
        _check_register(snap, order, date)
        deadlines = _deadlines_at_signing(path, order, date)
        moved = _effective_dates(snap, changes, order, date)

        def sign(data: Any) -> None:
            data["status"] = OrderStatus.SIGNED.value
            data["date"] = date
            for name, value in deadlines.items():
                data["deadlines"][name] = value

        changes.update(path, sign)
        written = changes.commit()
    return SignedOrder(the_id, path, number, date, order.title, tuple(moved), tuple(written))


def _check_register(snap: _Snapshot, order: Order, date: dt.date) -> None:
    """Numbers follow dates in the register: no smaller number signed later, no bigger one earlier."""
    signed = [o for o in snap.order_models if o.status != OrderStatus.DRAFT and o.series == order.series
              and o.date.year == order.date.year and o.number != order.number]
    before = max((o for o in signed if o.number < order.number), key=lambda o: (o.date, o.number), default=None)
    after = min((o for o in signed if o.number > order.number), key=lambda o: (o.date, -o.number), default=None)
    number = order.registration_number
    if before is not None and before.date > date:
        fix = (f"подпишите приказ датой не раньше {_date(before.date)}" if after is None or after.date >= before.date
               else "создайте новый проект (compliance order new) — он получит следующий номер, а этот удалите")
        raise UsageError(f"Приказ № {number} нельзя подписать датой {_date(date)}: приказ № {before.registration_number} "
                         f"с меньшим номером подписан позже — {_date(before.date)}; в журнале номера идут по порядку дат.\n"
                         f"  Как исправить: {fix}.")
    if after is not None and after.date < date:
        raise UsageError(f"Приказ № {number} нельзя подписать датой {_date(date)}: приказ № {after.registration_number} "
                         f"с большим номером подписан раньше — {_date(after.date)}; в журнале номера идут по порядку дат.\n"
                         f"  Как исправить: подпишите приказ датой не позже {_date(after.date)} или создайте новый проект "
                         f"(compliance order new) — он получит следующий номер, а этот удалите.")


def _deadlines_at_signing(path: Path, order: Order, date: dt.date) -> dict[str, dt.date]:
    """Deadlines left at the draft's date follow the signing date (an order that creates no groups
    has its groups deadline at its own date); any other deadline before the signing is refused."""
    if order.deadlines is None:
        return {}
    fields = (("groups_created", "срок создания групп"), ("acknowledged", "срок ознакомления"))
    values = {name: getattr(order.deadlines, name) for name, _ in fields}
    late = [f"{what} {_date(values[name])}" for name, what in fields if values[name] < date and values[name] != order.date]
    if late:
        raise UsageError(f"В приказе № {order.registration_number} {' и '.join(late)} раньше даты подписания {_date(date)}.\n"
                         f"  Как исправить: перенесите сроки (deadlines) в {display_path(path)} "
                         f"или подпишите приказ не позже {_date(min(values.values()))}.")
    return {name: date for name, value in values.items() if value == order.date != date}


def _effective_dates(snap: _Snapshot, changes: Any, order: Order, date: dt.date) -> list[tuple[str, int]]:
    """A version approved by this draft takes effect no earlier than its signing: a date left at the
    draft's date follows the signing date; any other earlier date is the user's to correct."""
    moved = []
    for approved in order.approves:
        act_path, act = snap.acts.get(approved.act, (None, None))
        if act is None or approved.version > len(act.versions):
            continue
        version = act.versions[approved.version - 1]
        if version.approved_by != order.id or version.effective == date:
            continue
        if version.effective != order.date:
            if version.effective > date:
                continue
            raise UsageError(f"Редакция {version.version} акта «{act.id}» вступает в силу {_date(version.effective)} — "
                             f"раньше даты подписания приказа {_date(date)}.\n"
                             f"  Как исправить: исправьте effective в {display_path(act_path)} "
                             f"или подпишите приказ не позже {_date(version.effective)}.")
        changes.update(act_path, lambda data, i=approved.version - 1: data["versions"][i].__setitem__("effective", date))
        moved.append((act.id, version.version))
    return moved


# ---------------------------------------------------------------- the register lines

@dataclass(frozen=True)
class RegisterLine:
    number: str     # «45-од»
    date: str       # «01.09.2026»; «—» for a draft
    title: str
    status: str     # «подписан», «проект», «отменён приказом № 80-од»


@dataclass(frozen=True)
class RegisterBlock:
    year: int
    series: str
    series_title: str
    lines: tuple[RegisterLine, ...]
    next_number: str               # «73-од»
    warning: str | None            # the gap in numbers, if any


def register(records_dir: Path, year: int | None = None) -> list[RegisterBlock]:
    """The orders in records, per year and series, by number."""
    snap = _snapshot(Path(records_dir), with_people=False)
    orders = snap.order_models
    titles = {s.index: s.title for s in snap.institution.order_series}
    rank = {index: i for i, index in enumerate(titles)}
    keys = sorted({(o.date.year, o.series) for o in orders if year is None or o.date.year == year},
                  key=lambda k: (k[0], rank.get(k[1], len(rank)), k[1]))
    blocks = []
    for key_year, series in keys:
        chosen = sorted((o for o in orders if (o.date.year, o.series) == (key_year, series)), key=lambda o: o.number)
        lines = tuple(RegisterLine(o.registration_number, "—" if o.status == OrderStatus.DRAFT else _date(o.date),
                                   o.title, _status(snap, o)) for o in chosen)
        blocks.append(RegisterBlock(key_year, series, titles.get(series, f"серии «{series}»"), lines,
                                    f"{next_number(orders, key_year, series)}-{series}",
                                    gap_warning(numbers_of(orders, key_year, series), key_year, series)))
    return blocks


def _status(snap: _Snapshot, order: Order) -> str:
    if order.status == OrderStatus.CANCELLED and order.cancelled_by in snap.orders:
        return f"отменён приказом № {snap.orders[order.cancelled_by][1].registration_number}"
    return order.status.value

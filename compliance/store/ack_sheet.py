"""A filled-in acknowledgement sheet (XLSX) read back: who signed, when, on which sheet.

The sheet is the one `compliance ack sheet` and `compliance build` print (render/xlsx.py). It carries a
hidden defined name SHEET_MARKER = «group/act/version», which Excel and LibreOffice keep when they
re-save, so the sheet says itself what it is; the people on it are found by full name among the
group's members, never guessed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..errors import UsageError, display_path
from ..model.records import AckMethod, Act, ActVersion, Group, Student
from ..model.registry import Records
from .acknowledgements import (FILE, AckRules, Refusal, Refused, SignOff, full_name, human, line_finder,
                               next_sheet_number, normal_name, parents_of, parse_date, refusals, short_name)

SHEET_MARKER = "compliance_sheet"   # written by render/xlsx.py (render_ack_sheet)


@dataclass(frozen=True)
class FilledSheet:
    path: Path
    group: Group
    act: Act
    version: ActVersion
    sheet: str                                        # the paper sheet's number, as recorded
    sign_offs: tuple[tuple[int, SignOff], ...]        # (row of the XLSX sheet, what to record)
    skipped: tuple[tuple[int, str], ...]              # (row, «Фамилия Имя Отчество — why»)


_HEADERS = {"number": "№", "name": "фамилия", "date": "дата", "signature": "подпис"}


def read_sheet(records: Records, path: Path, *, today: dt.date, rules: AckRules,
               default_date: dt.date | None = None, sheet: str | None = None) -> FilledSheet:
    """The sign-offs on an acknowledgement sheet made by `compliance build` or `ack sheet` and
    filled in: a row with a date (or a marked signature and `default_date`) is a sign-off; names
    are matched to the group's members by full name, never guessed. Every problem is raised at once."""
    path = Path(path)
    wb = _open(path)
    group, act, version = _identity(records, wb, path)
    ws, header, columns = _table(wb, path)
    reader = _Reader(records, group, act, version, today, rules, default_date, sheet or next_sheet_number(records))
    for row in _rows(ws, header, columns):
        reader.read(row)
    if reader.problems:
        raise Refused(reader.problems, f"Ошибок в листе: {len(reader.problems)}. Ничего не записано; "
                                       f"исправьте лист и повторите команду.")
    return FilledSheet(path, group, act, version, reader.sheet, tuple(reader.sign_offs), tuple(reader.skipped))


class _Reader:
    """The rows of one sheet, one by one, into sign-offs, skipped rows and problems."""

    def __init__(self, records: Records, group: Group, act: Act, version: ActVersion, today: dt.date,
                 rules: AckRules, default_date: dt.date | None, sheet: str):
        self.records, self.group, self.act, self.version = records, group, act, version
        self.today, self.rules, self.default_date, self.sheet = today, rules, default_date, sheet
        self.members = _by_name(records, group.members)
        self.everyone = _by_name(records, records.people)
        self.line_of = line_finder(records)
        self.sign_offs: list[tuple[int, SignOff]] = []
        self.skipped: list[tuple[int, str]] = []
        self.problems: list[Refusal] = []
        self.seen: dict[str, int] = {}

    def read(self, row: dict[str, Any]) -> None:
        number, name = row["row"], " ".join(_text(row.get("name")).split())
        typed, mark = _text(row.get("date")).strip(), _text(row.get("signature")).strip()
        if not name:
            if typed:
                self.problems.append(Refusal(f"Строка {number} листа: дата есть, а ФИО нет.",
                                             "впишите ФИО участника полностью или сотрите дату."))
            return
        label = f"Строка {number} листа ({name})"
        if not typed and not mark:
            return self.skip(number, f"{name} — нет даты ознакомления")
        date = _date_of(row.get("date"))
        if date is None and typed:
            self.problems.append(Refusal(f"{label}: «{typed}» — не дата.", "впишите дату ознакомления как 14.11.2026."))
            return
        pid = self.person(name, label)
        if pid is None:
            return
        if pid in self.seen:
            return self.skip(number, f"{name} — уже есть в строке {self.seen[pid]} листа")
        self.seen[pid] = number
        ack = self.records.acknowledgement(pid, self.act.id, self.version.version)
        if ack is not None:
            return self.skip(number, f"{name} — уже записано: {human(ack.date)}, {display_path(self.records.root / FILE)}, "
                                     f"строка {self.line_of(pid, self.act.id, self.version.version)}")
        date = date or self.default_date
        if date is None:
            return self.skip(number, f"{name} — подпись отмечена, а даты нет (укажите её в --date)")
        signed_by = None
        if isinstance(self.records.people[pid], Student) and self.rules.parent_signs(self.records, pid, self.version):
            signed_by = self.signer(pid, mark, label)
            if signed_by is None:
                return
        s = SignOff(pid, self.act.id, self.version.version, date, AckMethod.PAPER, self.sheet, signed_by)
        self.problems += [Refusal(f"{label}. {r.what}", r.fix) for r in refusals(self.records, s, self.today, self.rules)]
        self.sign_offs.append((number, s))

    def skip(self, number: int, why: str) -> None:
        self.skipped.append((number, why))

    def person(self, name: str, label: str) -> str | None:
        """The group member with this full name; a problem (never a guess) if there is not exactly one."""
        ids = self.members.get(normal_name(name), [])
        if len(ids) == 1:
            return ids[0]
        group = self.group
        if ids:
            fix = "запишите ознакомление командой «compliance ack record ID …» с нужным id и сотрите строку в листе."
            self.problems.append(Refusal(f"{label}: в группе несколько участников с таким ФИО ({', '.join(ids)}).", fix))
            return None
        elsewhere = self.everyone.get(normal_name(name), [])
        if elsewhere:
            self.problems.append(Refusal(
                f"{label}: есть в people.yaml ({', '.join(elsewhere)}), но не входит в группу «{group.title}».",
                f"добавьте участника в members группы {group.id} в groups.yaml и повторите команду."))
        else:
            self.problems.append(Refusal(
                f"{label}: такого человека нет среди участников группы «{group.title}».",
                f"проверьте, что ФИО написано полностью и без ошибок (Фамилия Имя Отчество); новому участнику "
                f"добавьте его в people.yaml и в members группы {group.id} в groups.yaml."))
        return None

    def signer(self, pid: str, mark: str, label: str) -> str | None:
        """The parent who signed for a young student: named in the «Подпись» cell, or the only parent."""
        records = self.records
        parents = parents_of(records, pid)
        named = [p.id for p in parents
                 if normal_name(mark) in (normal_name(full_name(records, p.id)), normal_name(short_name(records, p.id)))]
        if len(named) == 1:
            return named[0]
        if len(parents) == 1:
            return parents[0].id
        young = f"{label}: обучающийся младше {records.institution.own_signature_age} лет, за него расписывается родитель"
        if not parents:
            self.problems.append(Refusal(f"{young}, а родителей обучающегося нет в people.yaml.",
                                         f"добавьте родителя в people.yaml (parents, children: [{pid}]) и повторите команду."))
        else:
            names = " или ".join(full_name(records, p.id) for p in parents)
            self.problems.append(Refusal(f"{young}; в people.yaml родителей несколько.",
                                         f"впишите в графу «Подпись» ФИО расписавшегося родителя ({names}) "
                                         f"и повторите команду."))
        return None


def _open(path: Path) -> Any:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    fix = "укажите лист ознакомления в формате XLSX, сформированный командой «compliance ack sheet» или «compliance build»"
    if not path.is_file():
        raise UsageError(f"Файла {display_path(path)} нет.\n  Как исправить: {fix}.")
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"{display_path(path)}: читаются только листы в формате XLSX.\n"
                         f"  Как исправить: {fix}; если лист заполнен в другом формате, сохраните его как XLSX.")
    try:
        return load_workbook(path, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UsageError(f"{display_path(path)}: файл не читается как XLSX ({exc}).\n  Как исправить: {fix}.") from None


def _identity(records: Records, wb: Any, path: Path) -> tuple[Group, Act, ActVersion]:
    marker = wb.defined_names.get(SHEET_MARKER)
    parts = (marker.attr_text or "").strip().strip('"').split("/") if marker is not None else []
    if len(parts) != 3 or not parts[2].isdigit():
        raise UsageError(f"{display_path(path)}: в файле нет отметки, по которой программа узнаёт группу, акт и редакцию "
                         f"(её ставят команды «compliance ack sheet» и «compliance build»).\n"
                         f"  Как исправить: заполните лист, сформированный этой программой, и сохраните его в формате XLSX; "
                         f"или запишите подписи по одной: compliance ack record ID АКТ --date ГГГГ-ММ-ДД.")
    group_id, act_id, number = parts[0], parts[1], int(parts[2])
    group = records.groups_by_id.get(group_id)
    act = records.acts_by_id.get(act_id)
    if group is None or act is None or number > len(act.versions):
        missing = (f"группы «{group_id}» нет в groups.yaml" if group is None
                   else f"акта «{act_id}» нет в records/acts/" if act is None else f"у акта «{act_id}» нет редакции {number}")
        raise UsageError(f"{display_path(path)}: лист сформирован для записей, которых больше нет: {missing}.\n"
                         f"  Как исправить: проверьте, что указана нужная папка записей (--records), "
                         f"или запишите подписи по одной командой «compliance ack record».")
    return group, act, act.versions[number - 1]


def _table(wb: Any, path: Path) -> tuple[Any, int, dict[str, int]]:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            columns = {}
            for cell in row:
                text = normal_name(_text(cell.value))
                for key, start in _HEADERS.items():
                    if key not in columns and text.startswith(start):
                        columns[key] = cell.column
            if {"name", "date"} <= set(columns):
                return ws, row[0].row, columns
    raise UsageError(f"{display_path(path)}: в файле нет таблицы с графами «Фамилия, имя, отчество» и «Дата ознакомления».\n"
                     f"  Как исправить: не удаляйте и не переименовывайте шапку таблицы листа ознакомления.")


def _rows(ws: Any, header: int, columns: dict[str, int]) -> Iterable[dict[str, Any]]:
    """Table rows below the header, up to the first line of text after the table («Подлежат …»)."""
    for cells in ws.iter_rows(min_row=header + 1):
        values = {key: cells[index - 1].value if index - 1 < len(cells) else None for key, index in columns.items()}
        number = values.get("number")
        if isinstance(number, str) and number.strip() and not number.strip().rstrip(".").isdigit():
            return
        values["row"] = cells[0].row
        yield values


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return human(value)
    return str(value)


def _date_of(value: Any) -> dt.date | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        from openpyxl.utils.datetime import from_excel

        if 20000 < value < 80000:  # an Excel day number (1954–2118) in a cell without a date format
            return from_excel(value).date()
        return None
    return parse_date(value)


def _by_name(records: Records, ids: Iterable[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for pid in ids:
        found.setdefault(normal_name(full_name(records, pid)), []).append(pid)
    return found

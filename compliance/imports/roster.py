"""Rosters (XLSX or CSV) → students, parents and messenger groups, keeping only what documents need.

Two layouts are read by their column names, not by position:
- the simple one documented in docs/records.md (Фамилия; Имя; Отчество; Год рождения; Объединение;
  Группа; Родитель 1 (ФИО); Родитель 2 (ФИО); optional id);
- an export of the regional «Навигатор дополнительного образования» or a similar register. Its column
  names differ between regions and versions and are not published; the usual variants are accepted
  («ФИО ребёнка», «Дата рождения», «Программа», «ФИО родителя (законного представителя)», …).

Personal data the documents do not need (phones, e-mail, addresses, СНИЛС, certificates…) is never
kept: such a column is read past and named in the summary; of a birth date only the year is kept
(it tells whether a student signs himself). Cell text that is not a name is dropped, not echoed.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import UsageError, display_path
from .roster_columns import (BIRTH_DATE, PERSONAL, UNUSED, IgnoredColumn, PersonName, _classify, _Columns, _norm,
                             _text, _words, _year, _year_of_study, column_letter, split_full_name)

HEADER_SEARCH_ROWS = 20      # a title or a date may stand above the header
MAX_SHOWN_ERRORS = 20
SIMPLE_HEADERS = ("Фамилия", "Имя", "Отчество", "Год рождения", "Объединение", "Группа",
                  "Родитель 1 (ФИО)", "Родитель 2 (ФИО)")
SIMPLE_OPTIONAL = ("id", "Год обучения")
SIMPLE_EXAMPLE = ";".join(SIMPLE_HEADERS)
_DELIMITERS = {";": "«;»", ",": "«,»", "\t": "табуляция"}
_LEFT_STATUSES = ("отчисл", "отклон", "отозва", "аннулир", "выбыл", "архив", "отказ")


class RosterError(UsageError):
    """A roster that cannot be read: which file, row and column, and how to fix it."""


@dataclass(frozen=True)
class RosterRow:
    """One student line of the roster, reduced to what the records keep."""

    row: int                              # the spreadsheet's row number, as Excel shows it
    student: PersonName
    birth_year: int | None = None
    year_of_study: int | None = None
    association: str | None = None
    group: str | None = None              # id or title of a group in groups.yaml, as written
    parents: tuple[PersonName, ...] = ()
    person_id: str | None = None          # the «id» column pins a row to a student of the records


@dataclass(frozen=True)
class Roster:
    path: Path
    file_format: str                      # «XLSX» or «CSV»
    rows: tuple[RosterRow, ...]
    simple_layout: bool
    header_row: int
    encoding: str | None = None           # CSV: how the bytes were decoded
    delimiter: str | None = None          # CSV
    sheet: str | None = None              # XLSX
    ignored: tuple[IgnoredColumn, ...] = ()
    remarks: tuple[tuple[int, str], ...] = ()   # (row, «what was left out and why»)
    has_parent_columns: bool = False
    group_column: str | None = None       # the header of the «Группа» column, if any
    skipped_associations: tuple[str, ...] = ()  # of rows left out for their status
    columns: dict[str, str] = field(default_factory=dict)  # role → «F «Группа»», for messages

    def describe(self) -> str:
        """«Список: ученики.csv — CSV, кодировка Windows-1251, разделитель «;»; простой формат …»."""
        if self.file_format == "CSV":
            how = f"CSV, кодировка {self.encoding}, разделитель {_DELIMITERS[self.delimiter or ';']}"
        else:
            how = f"XLSX, лист «{self.sheet}»"
        layout = ("простой формат (docs/records.md)" if self.simple_layout
                  else "выгрузка (Навигатор ДО или похожая)")
        from ..ru import plural

        return (f"Список: {display_path(self.path)} — {how}; {layout}; заголовок в строке {self.header_row}; "
                f"{plural(len(self.rows), 'обучающийся')} в списке.")

    def ignored_line(self) -> str | None:
        """Which columns were read past and why (152-ФЗ: keep only what documents need)."""
        parts = []
        personal = [c.header for c in self.ignored if c.reason == PERSONAL]
        unused = [c.header for c in self.ignored if c.reason == UNUSED]
        if personal:
            parts.append(f"{', '.join(personal)} (персональные данные, не нужные документам)")
        if unused:
            parts.append(f"{', '.join(unused)} (не нужны документам)")
        line = f"Проигнорированы столбцы: {'; '.join(parts)}." if parts else ""
        for column in self.ignored:
            if column.reason == BIRTH_DATE:
                line += (" " if line else "") + (f"Из столбца «{column.header}» взят только год рождения; "
                                                 f"дата рождения не сохраняется.")
        return line or None


# ---------------------------------------------------------------- reading a file

@dataclass
class _Table:
    rows: list[tuple[int, list[Any]]]     # (row number, cells)
    file_format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def read_roster(path: Path, *, today: dt.date | None = None) -> Roster:
    """The roster in `path` (XLSX or CSV), checked; RosterError names the row and column at fault."""
    path = Path(path)
    today = today or dt.date.today()
    shown = display_path(path)
    if not path.is_file():
        raise RosterError(f"Файл «{shown}» не найден.\n"
                          f"  Как исправить: проверьте имя и папку файла; список сохраняется как .xlsx или .csv.")
    raw = path.read_bytes()
    if raw.startswith(b"PK\x03\x04"):
        tables = _xlsx_tables(path, raw)
    elif raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError(f"{shown}: это файл Excel 97–2003 (.xls); программа читает XLSX и CSV.\n"
                          f"  Как исправить: откройте файл в Excel или LibreOffice и сохраните как "
                          f"«Книга Excel (.xlsx)».")
    elif path.suffix.lower() in (".ods", ".numbers", ".xls", ".xlsb"):
        raise RosterError(f"{shown}: формат {path.suffix} не поддерживается; программа читает XLSX и CSV.\n"
                          f"  Как исправить: сохраните таблицу как «Книга Excel (.xlsx)» или как CSV.")
    else:
        tables = _csv_tables(path, raw)
    found = [(table, *header) for table in tables for header in [_find_header(table)] if header is not None]
    if not found:
        _no_header(path, tables)
    named = [f for f in found if f[2].names_found] or found
    if named[0][0].file_format == "XLSX":
        table, at, columns = named[0]                    # the first sheet with a header
    else:                                                # the delimiter that splits the header best
        table, at, columns = max(named, key=lambda f: f[2].recognised)
    _require_names(path, table, at, columns)
    return _build(path, table, at, columns, today)


def _xlsx_tables(path: Path, raw: bytes) -> list[_Table]:
    from zipfile import BadZipFile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():        # «no default style» and the like say nothing about the data
            warnings.simplefilter("ignore")
            # From the bytes: a book saved under another extension is still read, and no handle stays open.
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            try:
                tables = []
                for sheet in book.worksheets:
                    rows = [(number, list(cells)) for number, cells in
                            enumerate(sheet.iter_rows(values_only=True), start=1)]
                    tables.append(_Table(rows, "XLSX", sheet=sheet.title))
            finally:
                book.close()
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise RosterError(f"{display_path(path)}: файл не читается как книга Excel (.xlsx): {exc}.\n"
                          f"  Как исправить: откройте файл в Excel или LibreOffice и сохраните заново "
                          f"как «Книга Excel (.xlsx)» или как CSV.") from None
    return tables


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    """The text of a CSV and the name of its encoding: UTF-8 (with or without BOM), UTF-16 with a BOM
    (Excel's «Текст Юникод»), else Windows-1251, the usual encoding of Russian Excel's «CSV»."""
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", "UTF-8 с BOM")]
    elif raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        candidates = [("utf-16", "UTF-16")]
    else:
        candidates = [("utf-8", "UTF-8"), ("cp1251", "Windows-1251")]
    if b"\x00" in raw and candidates[0][0] != "utf-16":
        raise RosterError(f"{display_path(path)}: это не текстовый файл CSV и не книга Excel (.xlsx).\n"
                          f"  Как исправить: сохраните таблицу как «Книга Excel (.xlsx)» или как «CSV UTF-8».")
    failure = None
    for codec, label in candidates:
        try:
            return raw.decode(codec), label
        except UnicodeDecodeError as exc:
            failure = exc
    line = raw[:failure.start].count(b"\n") + 1
    tried = " и ".join(label for _, label in candidates)
    raise RosterError(f"{display_path(path)}, строка {line}: текст не читается ни в одной из кодировок {tried} "
                      f"(байт 0x{raw[failure.start]:02X}).\n"
                      f"  Как исправить: откройте файл в Excel или LibreOffice и сохраните как «CSV UTF-8 "
                      f"(разделитель — точка с запятой)» или как «Книга Excel (.xlsx)».")


def _csv_tables(path: Path, raw: bytes) -> list[_Table]:
    """One table per possible delimiter; the one whose header is recognised wins."""
    text, encoding = decode(path, raw)
    tables = []
    for delimiter in _DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            rows = [(number, cells) for number, cells in enumerate(reader, start=1)]
        except csv.Error as exc:
            raise RosterError(f"{display_path(path)}: CSV не разбирается ({exc}).\n"
                              f"  Как исправить: проверьте кавычки в файле или сохраните его заново "
                              f"из Excel.") from None
        tables.append(_Table(rows, "CSV", encoding=encoding, delimiter=delimiter))
    return tables


def _find_header(table: _Table) -> tuple[int, _Columns] | None:
    """The first row (of the first HEADER_SEARCH_ROWS) with a name column or two known columns."""
    for index, (_, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        columns = _classify([_text(c) for c in cells])
        if columns.recognised >= 2 or columns.names_found:
            return index, columns
    return None


def _no_header(path: Path, tables: list[_Table]) -> None:
    hint = ""
    if tables and tables[0].file_format == "CSV" and tables[0].encoding == "Windows-1251":
        hint = (" Файл прочитан в кодировке Windows-1251; если в нём нечитаемые буквы, сохраните его в UTF-8.")
    raise RosterError(f"{display_path(path)}: в первых {HEADER_SEARCH_ROWS} строках нет строки заголовков "
                      f"со столбцами «Фамилия» и «Имя» (или «ФИО»).{hint}\n"
                      f"  Как исправить: первой строкой таблицы укажите названия столбцов, например: "
                      f"{SIMPLE_EXAMPLE} (см. docs/records.md, раздел «Список обучающихся для загрузки»).")


def _require_names(path: Path, table: _Table, at: int, columns: _Columns) -> None:
    if "full_name" in columns.roles or ("surname" in columns.roles and "name" in columns.roles):
        return
    missing = [title for role, title in (("surname", "Фамилия"), ("name", "Имя")) if role not in columns.roles]
    present = ", ".join(f"«{h}»" for h in columns.headers.values())
    raise RosterError(f"{display_path(path)}, строка {table.rows[at][0]}: нет столбца "
                      f"{' и '.join(f'«{m}»' for m in missing)} (есть: {present}).\n"
                      f"  Как исправить: добавьте столбец {' и '.join(f'«{m}»' for m in missing)} "
                      f"или один столбец «ФИО» с фамилией, именем и отчеством.")


# ---------------------------------------------------------------- rows

class _Rows:
    """Data rows under the header → RosterRows, remarks and problems (all problems at once)."""

    def __init__(self, path: Path, columns: _Columns, today: dt.date):
        self.path, self.columns, self.today = path, columns, today
        self.rows: list[RosterRow] = []
        self.remarks: list[tuple[int, str]] = []
        self.problems: list[str] = []
        self.skipped_associations: list[str] = []

    def cell(self, cells: list[Any], role: str) -> str:
        index = self.columns.roles.get(role)
        return _text(cells[index]) if index is not None and index < len(cells) else ""

    def where(self, number: int, role: str) -> str:
        index = self.columns.roles[role]
        return (f"{display_path(self.path)}, строка {number}, столбец {column_letter(index)} "
                f"«{self.columns.headers[index]}»")

    def problem(self, number: int, role: str, what: str, fix: str) -> None:
        self.problems.append(f"{self.where(number, role)}: {what}\n  Как исправить: {fix}")

    def read(self, number: int, cells: list[Any]) -> None:
        used = [self.cell(cells, role) for role in self.columns.roles if role not in ("birth_date",)]
        used += [_text(cells[i]) for _, parts in self.columns.parents for i in parts.values() if i < len(cells)]
        if not any(used):
            return                                   # an empty row, or a footer under «№ п/п»
        status = self.cell(cells, "status")
        if status and any(word in _norm(status) for word in _LEFT_STATUSES):
            self.remarks.append((number, f"статус «{status}» — строка не загружается"))
            association = self.cell(cells, "association")
            if association:
                self.skipped_associations.append(association)
            return
        student = self.student(number, cells)
        if student is None:
            return
        self.rows.append(RosterRow(
            row=number, student=student, birth_year=self.birth_year(number, cells),
            year_of_study=self.year_of_study(number, cells),
            association=self.cell(cells, "association") or None, group=self.cell(cells, "group") or None,
            parents=self.parents(number, cells), person_id=self.cell(cells, "id") or None))

    def student(self, number: int, cells: list[Any]) -> PersonName | None:
        if "surname" in self.columns.roles and "name" in self.columns.roles:
            parts = {}
            for role in ("surname", "name", "patronymic"):
                words, dropped, initials = _words(self.cell(cells, role))
                if dropped or initials:
                    self.problem(number, role, "в ячейке не только буквы (цифры, знаки или инициалы)",
                                 "оставьте в ячейке только фамилию, имя или отчество полностью.")
                    return None
                parts[role] = " ".join(words)
            for role, title in (("surname", "фамилия"), ("name", "имя")):
                if not parts[role]:
                    self.problem(number, role, f"не указано {title}" if role == "name" else "не указана фамилия",
                                 f"впишите {title} обучающегося или удалите строку.")
                    return None
            return PersonName(parts["surname"], parts["name"], parts.get("patronymic") or None)
        text = self.cell(cells, "full_name")
        name, why = split_full_name(text)
        if name is None:
            self.problem(number, "full_name", f"ФИО обучающегося {why}" if text else "ФИО не указано",
                         "впишите фамилию, имя и отчество полностью, через пробел.")
            return None
        if why:
            self.problem(number, "full_name", f"ФИО обучающегося: {why.replace(' — взято только ФИО', '')}",
                         "оставьте в ячейке только фамилию, имя и отчество.")
            return None
        return name

    def birth_year(self, number: int, cells: list[Any]) -> int | None:
        for role in ("birth_year", "birth_date"):
            text = self.cell(cells, role)
            if not text:
                continue
            year = _year(text, self.today)
            if year is None:
                shown = f"«{text}» — не год рождения" if role == "birth_year" else "в ячейке нет года рождения"
                self.problem(number, role, shown, f"впишите год четырьмя цифрами (от 1990 до {self.today.year}), "
                                                  f"например 2015, или оставьте ячейку пустой.")
            return year
        return None

    def year_of_study(self, number: int, cells: list[Any]) -> int | None:
        text = self.cell(cells, "year_of_study")
        if not text:
            return None
        value = _year_of_study(text)
        if value is None:
            self.problem(number, "year_of_study", f"«{text}» — не год обучения",
                         "впишите номер года обучения по программе: 1, 2, 3 … или оставьте ячейку пустой.")
        return value

    def parents(self, number: int, cells: list[Any]) -> tuple[PersonName, ...]:
        found: list[PersonName] = []
        for header, parts in self.columns.parents:
            values = {part: _text(cells[i], lines=True) if i < len(cells) else "" for part, i in parts.items()}
            if "full" in values:
                names = [n for n in re.split(r"[;\n]|,(?=\s*[^\W\d_]+\s+[^\W\d_]+)", values["full"]) if n.strip()]
            else:
                names = [" ".join(values.get(p, "") for p in ("surname", "name", "patronymic"))]
            for text in names:
                if not text.strip():
                    continue
                name, why = split_full_name(text)
                if name is None:
                    self.remarks.append((number, f"родитель в столбце «{header}» не загружен: ФИО {why}"))
                    continue
                if why:
                    self.remarks.append((number, f"столбец «{header}»: {why}"))
                if name not in found:
                    found.append(name)
        return tuple(found)


def _build(path: Path, table: _Table, at: int, columns: _Columns, today: dt.date) -> Roster:
    reader = _Rows(path, columns, today)
    for number, cells in table.rows[at + 1:]:
        reader.read(number, list(cells))
    if reader.problems:
        shown = reader.problems[:MAX_SHOWN_ERRORS]
        more = len(reader.problems) - len(shown)
        trailer = (f"… и ещё {more}. " if more else "") + (f"Ошибок в списке: {len(reader.problems)}. "
                                                           f"Записи не изменены.")
        raise RosterError("\n".join(shown + [trailer]))
    if not reader.rows and not reader.remarks:
        raise RosterError(f"{display_path(path)}: под строкой заголовков (строка {table.rows[at][0]}) нет ни одной "
                          f"строки с обучающимся.\n"
                          f"  Как исправить: проверьте, что выбран нужный файл и лист; одна строка — один обучающийся.")
    headers = [columns.headers[i] for i in sorted(columns.headers)]
    simple = all(h in (*SIMPLE_HEADERS, *SIMPLE_OPTIONAL) for h in headers)
    group_index = columns.roles.get("group")
    return Roster(
        path=path, file_format=table.file_format, rows=tuple(reader.rows), simple_layout=simple,
        header_row=table.rows[at][0], encoding=table.encoding, delimiter=table.delimiter, sheet=table.sheet,
        ignored=tuple(c for _, c in sorted(columns.ignored, key=lambda ic: ic[0])),
        remarks=tuple(reader.remarks), has_parent_columns=bool(columns.parents),
        group_column=columns.headers[group_index] if group_index is not None else None,
        skipped_associations=tuple(dict.fromkeys(reader.skipped_associations)),
        columns={role: f"{column_letter(i)} «{columns.headers[i]}»" for role, i in columns.roles.items()})


def write_csv(path: Path, rows: Iterable[Iterable[Any]], *, encoding: str = "utf-8", delimiter: str = ";") -> None:
    """A CSV as Excel writes one (tests and examples)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    Path(path).write_bytes(buffer.getvalue().encode(encoding))


__all__ = ["IgnoredColumn", "PersonName", "Roster", "RosterError", "RosterRow", "SIMPLE_HEADERS", "column_letter",
           "decode", "read_roster", "split_full_name", "write_csv"]

"""Roster columns and cells: which header means what, and what of a cell's text is a name or a year.

Headers are compared in lower case with ё folded and dots dropped («Ф.И.О. ребёнка» = «фио ребенка»).
Personal data the documents do not need is recognised before the parent columns, so that «Телефон
родителя» is read past rather than taken for a parent's name.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

PERSONAL = "personal"        # read past: personal data the documents do not need
UNUSED = "unused"            # read past: not personal, just not needed
BIRTH_DATE = "birth_date"    # only the year is kept


@dataclass(frozen=True)
class PersonName:
    surname: str
    name: str
    patronymic: str | None = None

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)


@dataclass(frozen=True)
class IgnoredColumn:
    header: str
    reason: str                           # PERSONAL, UNUSED or BIRTH_DATE


# ---------------------------------------------------------------- columns

def _norm(text: str) -> str:
    """A header or a value reduced for comparison: lower case, ё → е, no dots, single spaces."""
    text = str(text).replace("\u00a0", " ").casefold().replace("ё", "е").replace(".", " ")
    text = re.sub(r"[*:]+$", "", text.strip())
    return " ".join(text.split())


_CHILD = r"(?: (?:ребенка|обучающегося|учащегося|воспитанника|участника|учащ(?:ийся|егося)))?"
_ROLES: tuple[tuple[str, re.Pattern], ...] = tuple((role, re.compile(pattern)) for role, pattern in (
    ("id", r"^(?:id|ид|идентификатор)(?: обучающегося)?$"),
    ("surname", rf"^фамилия{_CHILD}$"),
    ("name", rf"^имя{_CHILD}$"),
    ("patronymic", rf"^отчество{_CHILD}(?: \(при наличии\))?$"),
    ("full_name", rf"^(?:ф ?и ?о|фамилия,? имя,? отчество){_CHILD}$|^(?:ребенок|обучающийся|учащийся|воспитанник)$"),
    ("birth_year", rf"^(?:год рождения|г ?р|год рожд){_CHILD}$"),
    ("birth_date", rf"^дата рождения{_CHILD}$"),
    ("year_of_study", r"^(?:год обучения|год обучения по программе|год обуч)$"),
    ("association", r"^(?:(?:детское |творческое )?объединение|название объединения|кружок|студия|секция"
                    r"|(?:название )?(?:дополнительной )?(?:общеобразовательной )?(?:общеразвивающей )?программ[аы]"
                    r"|образовательная программа|дополнительная общеобразовательная (?:общеразвивающая )?программа)$"),
    ("group", r"^(?:группа|группа в мессенджере|id группы|группа \(id\)|группа \(id из groups yaml\))$"),
    ("status", r"^(?:статус|статус заявки|статус обучения|статус зачисления|статус обучающегося)$"),
))
# Personal data nobody's document needs; checked before the parent columns («Телефон родителя»).
_PERSONAL = re.compile(
    r"телефон|\bтел\b|мобильн|e ?-?mail|\bemail\b|\bпочт|электронн|адрес|снилс|паспорт|\bинн\b|свидетельств|"
    r"сертификат|полис|гражданств|^пол\b|\bпол (?:ребенка|обучающегося)$|возраст|школ|^класс|\bовз\b|инвалид|"
    r"здоров|диагноз|место (?:учебы|работы|жительства|проживания)|документ|серия|кем выдан|дата выдачи|"
    r"дата рождения|льгот|многодет|соц|\bvk\b|вконтакте|telegram|логин|ссылка")
_PARENT = re.compile(r"родител|представител|заявител|\bмать\b|\bматери\b|\bотец\b|\bотца\b|опекун|попечител")
_NAME_PART = re.compile(r"^(фамилия|имя|отчество)\b")


@dataclass
class _Columns:
    """Which column holds what: roles, parents, and what is read past."""

    roles: dict[str, int] = field(default_factory=dict)
    # (header or «родителя», {"full": column}) or (who, {"surname": column, "name": …, "patronymic": …})
    parents: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    ignored: list[tuple[int, IgnoredColumn]] = field(default_factory=list)
    headers: dict[int, str] = field(default_factory=dict)

    @property
    def names_found(self) -> bool:
        return "full_name" in self.roles or "surname" in self.roles or "name" in self.roles

    @property
    def recognised(self) -> int:
        known = len(self.roles) + len(self.parents)
        return known + sum(1 for _, c in self.ignored if c.reason in (PERSONAL, BIRTH_DATE))


def _classify(header_cells: list[str]) -> _Columns:
    columns = _Columns()
    parent_parts: dict[str, dict[str, int]] = {}
    for index, raw in enumerate(header_cells):
        header = " ".join(str(raw).split())
        if not header:
            continue
        columns.headers[index] = header
        key = _norm(header)
        role = next((role for role, pattern in _ROLES if pattern.search(key)), None)
        if role == "birth_date":
            columns.ignored.append((index, IgnoredColumn(header, BIRTH_DATE)))
            columns.roles.setdefault(role, index)
        elif role is not None and role not in columns.roles:
            columns.roles[role] = index
        elif role is not None:
            columns.ignored.append((index, IgnoredColumn(header, UNUSED)))    # a second «Фамилия»
        elif _PERSONAL.search(key):
            columns.ignored.append((index, IgnoredColumn(header, PERSONAL)))
        elif _PARENT.search(key):
            part = _NAME_PART.match(key)
            if part:                                   # «Фамилия родителя», «Имя родителя», …
                who = key[part.end():].strip()
                parent_parts.setdefault(who, {})[part.group(1)] = index
            else:
                columns.parents.append((header, {"full": index}))
        else:
            columns.ignored.append((index, IgnoredColumn(header, UNUSED)))
    part_names = {"фамилия": "surname", "имя": "name", "отчество": "patronymic"}
    for who, parts in parent_parts.items():
        columns.parents.append((who, {part_names[p]: i for p, i in parts.items()}))
    return columns


# ---------------------------------------------------------------- cells

def _text(value: Any, *, lines: bool = False) -> str:
    """A cell as text: spaces collapsed; with `lines`, line breaks kept (two parents in one cell)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    text = str(value).replace("\u00a0", " ")
    if lines:
        return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    return " ".join(text.split())


_PATRONYMIC_SUFFIXES = {"оглы", "кызы", "улы", "уулу", "гызы"}   # «Ильхам кызы», «Рамиз оглы»
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_INITIAL = re.compile(r"(?<![^\W\d_])[^\W\d_]\s*\.")


def _capitalised(word: str) -> str:
    """«ИВАНОВА» and «иванова» → «Иванова»; «Петрова-Водкина», «Мак-Кинли» keep their capitals."""
    if word.isupper() or word.islower():
        return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
    return word


_CONTACT = re.compile(r"\S*[\d+@]|\(")                # where a phone or an e-mail starts
_CONTACT_WORDS = re.compile(r"(?:\b(?:тел|телефон|моб|сот|e-?mail|email|почта)\b\W*)+$", re.I)


def _words(text: str) -> tuple[list[str], bool, bool]:
    """The name words of a cell, whether anything else (a phone, an e-mail) was cut off it, and
    whether the name is written with initials. From the first word with a digit, «+» or «@» (or
    from a «(») on, nothing is a name or kept."""
    start = _CONTACT.search(text)
    if start:
        text = _CONTACT_WORDS.sub("", text[:start.start()].rstrip(" ,;:.-"))
    words = _WORD.findall(text)
    rest = _WORD.sub(" ", text)
    dropped = bool(start) or bool(re.search(r"[^\s.,;()\"«»'’-]", rest))
    return ([w.casefold() if w.casefold() in _PATRONYMIC_SUFFIXES else _capitalised(w) for w in words],
            dropped, bool(_INITIAL.search(text)))


def split_full_name(text: str) -> tuple[PersonName | None, str | None]:
    """«Алиева Лейла Ильхам кызы» → surname, name, patronymic; or why it is not a full name."""
    words, dropped, initials = _words(text)
    if initials:
        return None, "записано с инициалами — нужны полные фамилия, имя и отчество"
    if len(words) < 2:
        return None, "нужны хотя бы фамилия и имя"
    if len(words) > 4 or len(words) == 4 and words[3].casefold() not in _PATRONYMIC_SUFFIXES:
        return None, "похоже, в ячейке несколько ФИО — разделите их точкой с запятой"
    name = PersonName(words[0], words[1], " ".join(words[2:]) or None)
    return name, ("в ячейке не только ФИО — взято только ФИО" if dropped else None)


def _year(text: str, today: dt.date) -> int | None:
    """«2015», «2015 г.», «12.03.2015», «2015-03-12» → 2015; None if there is no plausible year."""
    match = re.search(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", text)
    if not match:
        return None
    year = int(match.group(1))
    return year if 1990 <= year <= today.year else None


def _year_of_study(text: str) -> int | None:
    match = re.search(r"\d+", text)
    number = int(match.group()) if match else None
    return number if number is not None and 1 <= number <= 11 else None


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters

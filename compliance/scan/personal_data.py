"""п. 4: confidential information — phones, СНИЛС, passports, ИНН, e-mails and bank cards.

Numbers that only look like data (dates, prices, order numbers, checksums that fail) are not
flagged: every kind with a checksum must pass it, and the ambiguous bare forms need a keyword.
"""
from __future__ import annotations

import re

from ..imports.message import ChatMessage
from ..model.records import FindingCategory
from . import mask
from .context import ScanContext
from .hit import Match

CATEGORY = FindingCategory.PERSONAL_DATA
CLAUSE = "4"

_SEP = r"[ \u00a0\-]"
# Not glued to a longer number on either side (another digit, or a digit and one separator).
_BEFORE = r"(?<![\w+])(?<!\d[ \u00a0\-])"
_AFTER = r"(?!\d)(?![ \u00a0\-]\d)"
_PREFILTER = re.compile(r"@|\d{6}|\d[\d \u00a0()\-]{8,}\d")
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:[A-Za-z]{2,}|рф)\b")
_SNILS = re.compile(_BEFORE + rf"(\d{{3}})({_SEP}?)(\d{{3}}){_SEP}?(\d{{3}})({_SEP}{{0,2}})(\d{{2}})" + _AFTER)
_PASSPORT = re.compile(_BEFORE + r"(\d{2})([ \u00a0]?)(\d{2})((?:[ \u00a0]*(?:№|N|номер)?[ \u00a0]*)?)(\d{6})" + _AFTER)
_INN = re.compile(_BEFORE + r"(\d{12}|\d{10})" + _AFTER)
_CARD = re.compile(_BEFORE + rf"(\d{{4}}{_SEP}?\d{{4}}{_SEP}?\d{{4}}{_SEP}?\d{{1,7}}|\d{{13,19}})" + _AFTER)
# Phones. Glued to a Cyrillic word («тел89001234512») is a typo, not a code; after a Latin letter,
# a digit or «_» it is part of an identifier. «+7» is a phone's own mark: it may follow any letter
# and stand next to another number («+7 912 100-10-10 0»). A bare 11-digit or 10-digit run may
# stand next to another number as well; a spaced one may not (it may be a piece of a longer one).
_NOT_AFTER_CODE = r"(?<![^\W\u0400-\u04ff])(?<!\+)"
_PHONE_BODY = r"(\(?)(\d{3,5})\)?[ \u00a0\-]*\d{1,3}[ \u00a0\-]*\d{2}[ \u00a0\-]*\d{2}"
_PHONE_PLUS = re.compile(r"(?<![\d+])(\+7)[ \u00a0\-]*" + _PHONE_BODY + r"(?!\d)")
_PHONE_BARE = re.compile(_NOT_AFTER_CODE + r"(?:([78])\d{10}|9\d{9})(?!\d)")
_PHONE = re.compile(_NOT_AFTER_CODE + r"(?<!\d[ \u00a0\-])(?:(\+7|8|7)[ \u00a0\-]*)?" + _PHONE_BODY + _AFTER)
_MONEY_AFTER = re.compile(r"\s*(?:руб|р\.|р\b|₽|тыс|млн|коп)", re.IGNORECASE)
_KEYWORDS = {
    "snils": re.compile(r"снилс|страхов", re.IGNORECASE),
    "passport": re.compile(r"паспорт|серия|серии", re.IGNORECASE),
    "inn": re.compile(r"\bинн\b", re.IGNORECASE),
    "card": re.compile(r"карт[аыеуо]|карточк", re.IGNORECASE),
}
_LOOKBACK = 40
# ОКАТО region codes that passports are issued with (the first two digits of the series).
_REGIONS = frozenset(
    "01 03 04 05 07 08 10 11 12 14 15 17 18 19 20 22 24 25 26 27 28 29 30 32 33 34 35 36 37 38 40 41 42 44 45 "
    "46 47 49 50 52 53 54 56 57 58 60 61 63 64 65 66 67 68 69 70 71 73 75 76 77 78 79 80 81 82 83 84 85 86 87 "
    "88 89 90 91 92 93 94 95 96 97 98 99".split())


def snils_valid(digits: str) -> bool:
    """The Pension Fund checksum of an 11-digit СНИЛС."""
    if len(digits) != 11 or int(digits[:9]) <= 1001998:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(9, 0, -1)))
    control = total % 101 if total > 101 else total
    return (0 if control in (100, 101) else control) == int(digits[9:])


def inn_valid(digits: str) -> bool:
    """The Federal Tax Service checksums of a 10- or 12-digit ИНН."""
    def control(weights: tuple[int, ...]) -> int:
        return sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10

    if len(digits) == 10:
        return control((2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(digits[9])
    if len(digits) == 12:
        return (control((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(digits[10])
                and control((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(digits[11]))
    return False


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, d in enumerate(reversed(digits)):
        n = int(d) * (2 if position % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def passport_plausible(series: str, year_of_issue_limit: int = 30) -> bool:
    """The series starts with a region code and the last two digits of the year of issue (1997 on)."""
    year = int(series[2:])
    return series[:2] in _REGIONS and (year >= 97 or year <= year_of_issue_limit)


def _keyword(text: str, start: int, kind: str) -> bool:
    return _KEYWORDS[kind].search(text, max(0, start - _LOOKBACK), start) is not None


def _only_digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _candidates(text: str):
    """(start, end, detail, mask) in priority order: the first to claim a span keeps it."""
    for m in _EMAIL.finditer(text):
        yield m.start(), m.end(), "адрес электронной почты", mask.email(m.group())
    for m in _SNILS.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(4) + m.group(6)
        formatted = bool(m.group(2)) and bool(m.group(5))
        if snils_valid(digits) and (formatted or _keyword(text, m.start(), "snils")):
            yield m.start(), m.end(), "СНИЛС", mask.digits(m.group())
    for m in _PASSPORT.finditer(text):
        series = m.group(1) + m.group(3)
        formatted = bool(m.group(2) or m.group(4))      # «45 12 345678», «4512 345678», «4512 № 345678»
        if passport_plausible(series) and (_keyword(text, m.start(), "passport")
                                           or (formatted and not _keyword(text, m.start(), "inn"))):
            yield m.start(), m.end(), "паспортные данные", mask.digits(m.group())
    for m in _INN.finditer(text):
        digits = m.group()
        keyword = _keyword(text, m.start(), "inn")
        if inn_valid(digits) and (keyword or not (len(digits) == 10 and digits[0] == "9")):
            yield m.start(), m.end(), "ИНН", mask.digits(digits)
    for m in _CARD.finditer(text):
        digits = _only_digits(m.group())
        if (13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_valid(digits)
                and (len(digits) >= 16 or _keyword(text, m.start(), "card"))):
            yield m.start(), m.end(), "номер банковской карты", mask.digits(m.group())
    # group 1 is the country prefix (+7, 8 or 7) when the number has one
    for m in (*_PHONE_PLUS.finditer(text), *_PHONE_BARE.finditer(text), *_PHONE.finditer(text)):
        digits = _only_digits(m.group())
        prefix = m.group(1)
        if prefix is not None and len(digits) == 11:
            national = digits[1:]
        elif prefix is None and len(digits) == 10 and digits[0] == "9":
            national = digits
        else:
            continue
        if national[0] not in "3489" or _MONEY_AFTER.match(text, m.end()):
            continue
        yield m.start(), m.end(), "номер телефона", mask.phone(national)


def find(message: ChatMessage, context: ScanContext | None = None) -> list[Match]:
    text = message.text
    if not text or not _PREFILTER.search(text):
        return []
    taken: list[Match] = []
    for start, end, detail, masked in _candidates(text):
        if all(end <= t.start or start >= t.end for t in taken):
            taken.append(Match(start, end, detail, masked))
    return sorted(taken, key=lambda m: m.start)

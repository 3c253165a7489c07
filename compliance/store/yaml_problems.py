"""What went wrong with a records file, in Russian and with its place: yamlfile.py reads, this module explains.

The encodings an editor may have saved (UTF-16 without a BOM, Windows-1251, KOI8-R), invisible characters
nobody types on purpose, and libyaml's English complaints turned into what is wrong and how to fix it.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import Problem

# Characters nobody types into a records file: C0/C1 controls (tab and line breaks aside), DEL, the
# bidirectional overrides and isolates that make a name print backwards («Trojan Source») and the two
# noncharacters XML cannot carry. Written as escapes ("\u0007", as chat imports store odd chat text) they
# are accepted; documents drop them when printing (build.printable).
_INVISIBLE_IN_FILE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_INVISIBLE_FIX = "удалите его: такие символы попадают в файл при копировании из других программ и портят документы"


def decode(path: Path, raw: bytes) -> tuple[str, Problem | None]:
    """The file's text (UTF-8, UTF-8 with a BOM, UTF-16 with a BOM), or why it cannot be read."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), None
        except UnicodeDecodeError:
            return "", Problem(path, 1, 1, "файл в кодировке UTF-16 обрезан или повреждён",
                               "восстановите файл из резервной копии или из git и сохраните его в кодировке UTF-8")
    elif _utf16_without_bom(raw):
        return "", Problem(path, 1, 1, "файл в кодировке UTF-16 без метки порядка байтов (BOM)",
                           "откройте файл в редакторе и сохраните его в кодировке UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        # Only the bytes that are not UTF-8 tell the code page: a file may be UTF-8 but for one pasted line.
        foreign = bytes(ord(c) - 0xDC00 for c in raw.decode("utf-8", "surrogateescape") if "\udc80" <= c <= "\udcff")
        guess = _cyrillic_codepage(foreign)
        return "", Problem(path, line, column, "файл не в кодировке UTF-8" + (f" (похоже на {guess})" if guess else ""),
                           "откройте файл в редакторе и сохраните его в кодировке UTF-8")


def _utf16_without_bom(raw: bytes) -> bool:
    """Text saved as UTF-16 with no BOM: every other byte of its Latin and Cyrillic letters is 0 or 4."""
    sample = raw[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return False
    even, odd = sample[0::2], sample[1::2]
    return any(high.count(0) + high.count(4) >= 0.9 * len(high) and high.count(0) and not low.count(0)
               for high, low in ((even, odd), (odd, even)))


def _cyrillic_codepage(raw: bytes) -> str | None:
    """Windows-1251 or KOI8-R, told apart by where the (mostly lower-case) letters lie; None if neither."""
    upper_half = sum(raw.count(bytes([b])) for b in range(0xE0, 0x100))
    lower_half = sum(raw.count(bytes([b])) for b in range(0xC0, 0xE0))
    if upper_half + lower_half < 4 or upper_half + lower_half < 0.5 * (len(raw) - len(raw.translate(None, bytes(range(0x80, 0x100))))):
        return None
    return "Windows-1251" if upper_half >= lower_half else "KOI8-R"


def _invisible_name(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"невидимый символ управления направлением текста {code} (текст напечатался бы задом наперёд)"
    return f"невидимый управляющий символ {code}"


def invisible_problems(path: Path, text: str) -> list[Problem]:
    """Control characters in the file itself, each with its line and column (at most 10 are listed)."""
    problems = []
    for match in _INVISIBLE_IN_FILE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(Problem(path, line, column, f"в файле {_invisible_name(match.group())}", _INVISIBLE_FIX))
        if len(problems) == 10:
            break
    return problems


def unclosed_quote(text: str, upto_line: int) -> tuple[int, int] | None:
    """The first line up to the error with an odd number of double quotes: the likely cause."""
    for number, line in enumerate(text.splitlines()[:upto_line], 1):
        inside, opened = False, 0
        for column, char in enumerate(line):
            if char == '"' and (column == 0 or line[column - 1] != "\\"):
                inside, opened = not inside, column
            elif char == "#" and not inside and (column == 0 or line[column - 1] in " \t"):
                break
        if inside:
            return number, opened + 1
    return None


def char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line - 1][column - 1] if 0 < line <= len(lines) and 0 < column <= len(lines[line - 1]) else ""


def line_before(text: str, line: int, column: int) -> str:
    """The error's line up to the error, after the previous line that holds a key or an item (if any)."""
    lines = text.splitlines()
    previous = next((l for l in reversed(lines[: max(0, line - 1)]) if l.strip() and not l.lstrip().startswith("#")), "")
    return previous + "\n" + (lines[line - 1][: column - 1] if 0 < line <= len(lines) else "")


def syntax_message(exc: Any, char: str = "", before: str = "") -> tuple[str, str]:
    """The parser's complaint (libyaml's or ruamel's English) in Russian; `char` is the one at the error,
    `before` the previous line with content and the text of the error's line up to it."""
    previous, _, before = before.rpartition("\n")
    context, problem = (exc.context or "").strip(), (exc.problem or "").strip()
    text = f"{context} {problem}"
    if "'\\t'" in text or "\\t" in text or "tab character" in text or (char == "\t" and "cannot start any token" in text):
        return ("символ табуляции в отступе — YAML допускает только пробелы",
                "замените табуляцию пробелами (по 2 пробела на уровень)")
    if "escape" in problem or "hexdecimal" in problem:
        return ("неверная запись с обратной косой чертой «\\» в тексте в двойных кавычках",
                "замените «\\» на «\\\\» или заключите значение в одинарные кавычки")
    if "quoted scalar" in text:
        return ("кавычка открыта, но не закрыта", "поставьте закрывающую кавычку в конце значения")
    if "mapping values are not allowed" in text:
        return ("двоеточие в неожиданном месте: значение с «: » внутри или неверный отступ",
                "заключите значение в кавычки или выровняйте отступ ключа по соседним строкам")
    if "cannot start any token" in text:
        return (f"значение не может начинаться с символа «{char}»" if char.strip() else "недопустимый символ",
                f"заключите значение в кавычки: \"{char.strip()}…\"")
    if "block sequence entries are not allowed" in text:
        return ("«- » здесь не может начинать элемент списка",
                "начните элемент списка с новой строки (с отступом) или заключите значение в кавычки")
    if "anchor" in context or "alias" in context:
        return ("после «&» или «*» должно идти имя метки",
                "заключите значение в кавычки, если «&» или «*» — часть текста")
    if "another document" in text or "<document start>" in text:
        return ("в файле больше одного документа YAML (строка «---» или «...»)",
                "оставьте в файле один документ: удалите строку «---» или «...» и лишнее после неё")
    if "incompatible YAML document" in text or "%YAML" in text:
        return ("неподдерживаемая версия YAML в строке «%YAML …»", "удалите строку «%YAML …» в начале файла")
    if "directive" in text:
        return ("неверная служебная строка «%…»", "удалите строку, начинающуюся с «%», или заключите значение в кавычки")
    if "block scalar" in context:
        return ("после «|» или «>» допускаются только «-», «+» или цифра",
                "перенесите текст на следующую строку с отступом")
    if "could not find expected ':'" in text or "simple key" in text:
        return ("после ключа нет двоеточия", "запишите строку в виде «ключ: значение»")
    if "flow" in context:
        return ("в записи в скобках { } или [ ] не закрыта скобка или кавычка",
                "проверьте пары скобок и кавычек в этой и предыдущей строке")
    if "expected key" in text and before.rstrip().endswith(('"', "'")) and char.strip():
        return ("после закрывающей кавычки идёт ещё текст", "заключите в кавычки всё значение целиком")
    if "expected key" in text and char == "-" and not previous.lstrip().startswith("-") \
            and len(previous) - len(previous.lstrip()) == len(before):
        return ("элемент списка «- » среди полей записи",
                "уберите «- » или перенесите элемент под ключ списка, с отступом как у соседних элементов")
    if char in ("]", "}") and "expected" in text:
        return (f"лишняя закрывающая скобка «{char}»", "уберите её или поставьте парную открывающую скобку")
    if "expected <block end>" in text or "did not find expected" in text or "expected <block" in text:
        return ("неверный отступ: строка не совпадает с уровнем соседних строк",
                "выровняйте отступ по соседним строкам того же уровня (пробелами)")
    if "found undefined alias" in text:
        return ("ссылка * на неизвестную метку &", "уберите ссылку или определите метку выше")
    # libyaml has more complaints than are worth a message each; its English stays out of the user's way
    return (f"ошибка разметки YAML у символа «{char}»" if char.strip() else "ошибка разметки YAML",
            "сравните строку с примером в docs/records.md; текст со спецсимволами заключите в кавычки")

"""Records files that are not what they seem: bombs, endless nesting, huge or endless files, pipes,
wrong encodings, invisible characters and YAML tags that would run code in a careless loader.

Each case changes one file of a sample copy and runs `compliance check`: a refused file gives exit 2 and the
exact message; an accepted one reads as if written plainly. Nothing a tag names is ever run (no «pwned»).
"""
from __future__ import annotations

import os

import pytest

from robustness.cases import Case
from robustness.common import INSTITUTION, TAIL, refused, run

SECTION = "Файлы записей, которые не то, чем кажутся: бомбы, вложенность, размер, кодировки, теги"
ORDER = 2                    # place of this section in docs/robustness.md
ACCEPTED = 'принимается: `check` читает записи и выходит с кодом 1 (только замечания по Порядку), ошибок нет'


def text(name, content):
    def make(records):
        (records / name).write_text(content, encoding="utf-8")
    return make


def raw(name, content):
    def make(records):
        (records / name).write_bytes(content)
    return make


def replaced(old, new, encoding="utf-8", bom=b""):
    def make(records):
        assert old in INSTITUTION
        (records / "institution.yaml").write_bytes(bom + INSTITUTION.replace(old, new, 1).encode(encoding))
    return make


def encoded(encoding, bom=b"", transform=lambda t: t):
    def make(records):
        (records / "institution.yaml").write_bytes(bom + transform(INSTITUTION).encode(encoding))
    return make


LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
WIDE = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [" + ", ".join(["*a"] * 20_000) + "]\n"


def sparse(records):
    with open(records / "people.yaml", "r+b") as stream:
        stream.truncate(50 * 1024 * 1024 + 1)


def fifo(records):
    (records / "groups.yaml").unlink()
    os.mkfifo(records / "groups.yaml")


def devzero(records):
    (records / "people.yaml").unlink()
    (records / "people.yaml").symlink_to("/dev/zero")


def directory(records):
    (records / "acknowledgements.yaml").unlink()
    (records / "acknowledgements.yaml").mkdir()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def tagged(case_id: str, line: str):
    """INSTITUTION with a tag where `line` says; «touch pwned» is what a careless loader would run."""
    def make(records):
        if case_id == "tag-handle-directive":
            text = "%TAG !py! tag:yaml.org,2002:python/\n---\n" + INSTITUTION.replace(
                "place: г. Светлогорск", "place: !py!object/apply:os.system ['touch pwned']")
        elif case_id == "tag-on-mapping":
            text = INSTITUTION.replace('quiet_hours:\n  start: "21:00"\n  end: "08:00"\n', line)
        elif case_id == "tag-on-list-item":
            text = INSTITUTION.replace("order_series:\n  - index: од\n    title: по основной деятельности\n", line)
        else:
            text = INSTITUTION.replace("place: г. Светлогорск", line)
        assert text != INSTITUTION
        (records / "institution.yaml").write_text(text, encoding="utf-8")
    return make


CASES = [
    Case('yaml-bomb-billion-laughs', '«миллиард смешков»: 9 уровней меток & и ссылок * (10⁹ элементов)',
         'records/institution.yaml:1:4: в файле слишком много элементов (возможно, «YAML-бомба» из ссылок &/*)\n  Как исправить: уберите метки & и ссылки * и проверьте, откуда взят файл\n',
         data=text("institution.yaml", LAUGHS)),
    Case('yaml-bomb-wide-aliases', 'одна метка со списком, на которую 20 000 ссылок',
         'records/institution.yaml:1:4: в файле слишком много элементов (возможно, «YAML-бомба» из ссылок &/*)\n  Как исправить: уберите метки & и ссылки * и проверьте, откуда взят файл\n',
         data=text("institution.yaml", WIDE)),
    Case('yaml-deep-flow-one-line', '100 000 вложенных «[» и «]» в одной строке',
         'records/institution.yaml:1:54: слишком глубокая вложенность\n  Как исправить: записи не бывают вложены глубже 50 уровней; проверьте файл\n',
         fixed='падение интерпретатора (Segmentation fault) в libyaml',
         data=text("institution.yaml", "a: " + "[" * 100_000 + "]" * 100_000 + "\n")),
    Case('yaml-deep-flow-mapping-one-line', '100 000 вложенных «{a: » в одной строке',
         'records/institution.yaml:1:204: слишком глубокая вложенность\n  Как исправить: записи не бывают вложены глубже 50 уровней; проверьте файл\n',
         fixed='падение интерпретатора (Segmentation fault) в libyaml',
         data=text("institution.yaml", "a: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n")),
    Case('yaml-deep-flow-lines', '60 вложенных «[» по одной в строке',
         'records/institution.yaml:52:3: слишком глубокая вложенность\n  Как исправить: записи не бывают вложены глубже 50 уровней; проверьте файл\n',
         data=text("institution.yaml", "a:\n" + "  [\n" * 60 + "  ]\n" * 60)),
    Case('yaml-deep-block-mapping', '60 уровней вложенных ключей с отступами',
         'records/institution.yaml:52:103: слишком глубокая вложенность\n  Как исправить: записи не бывают вложены глубже 50 уровней; проверьте файл\n',
         data=text("institution.yaml", "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "x\n")),
    Case('yaml-deep-dashes', '100 000 «- » подряд в одной строке',
         'records/institution.yaml:1:1: слишком глубокая вложенность\n  Как исправить: записи не бывают вложены глубже 50 уровней; проверьте файл\n',
         data=text("institution.yaml", "- " * 100_000 + "x\n")),
    Case('yaml-deep-flow-after-apostrophe', '«a: [don\'t, » и 100 000 вложенных «[»: апостроф внутри слова — не кавычка, '
         'а наивный подсчёт скобок принял бы его за начало строки в кавычках и не увидел бы вложенности',
         'records/institution.yaml:1:61: слишком глубокая вложенность\n  Как исправить: записи не бывают вложены глубже 50 уровней; проверьте файл\n',
         fixed='падение интерпретатора (Segmentation fault) в libyaml',
         data=text("institution.yaml", "a: [don't, " + "[" * 100_000 + "]" * 100_000 + "]\n")),
    Case('yaml-deep-flow-after-hash-in-word', '«a: [b#c, » и 100 000 вложенных «[»: «#» внутри слова — не комментарий',
         'records/institution.yaml:1:59: слишком глубокая вложенность\n  Как исправить: записи не бывают вложены глубже 50 уровней; проверьте файл\n',
         fixed='падение интерпретатора (Segmentation fault) в libyaml',
         data=text("institution.yaml", "a: [b#c, " + "[" * 100_000 + "]" * 100_000 + "]\n")),
    Case('yaml-deep-flow-after-two-line-quote', 'текст в кавычках на две строки, за ним 100 000 вложенных «[»',
         'records/institution.yaml:2:54: слишком глубокая вложенность\n  Как исправить: записи не бывают вложены глубже 50 уровней; проверьте файл\n',
         fixed='падение интерпретатора (Segmentation fault) в libyaml',
         data=text("institution.yaml", 'a: ["\n ", ' + "[" * 100_000 + "]" * 100_000 + "]\n")),
    Case('file-over-size-limit', 'people.yaml больше 50 МБ',
         'records/people.yaml:1:1: файл слишком большой (50,1 МБ, допускается не более 50 МБ)\n  Как исправить: проверьте, что это файл записей, а не выгрузка чата или архив\n',
         fixed='неверное сообщение «файл слишком большой (50 МБ, допускается не более 50 МБ)»',
         data=sparse),
    Case('file-is-a-pipe', 'groups.yaml — именованный канал (чтение зависло бы)',
         'records/groups.yaml:1:1: это не обычный файл (папка, канал или устройство)\n  Как исправить: записи хранятся в обычных текстовых файлах; уберите это из папки записей\n',
         fixed='команда зависала навсегда',
         data=fifo),
    Case('file-links-to-dev-zero', 'people.yaml — ссылка на /dev/zero (бесконечный файл)',
         'records/people.yaml:1:1: это не обычный файл (папка, канал или устройство)\n  Как исправить: записи хранятся в обычных текстовых файлах; уберите это из папки записей\n',
         fixed='трассировка MemoryError: чтение бесконечного файла заполняло память',
         data=devzero),
    Case('file-is-a-folder', 'acknowledgements.yaml — папка',
         'records/acknowledgements.yaml:1:1: это не обычный файл (папка, канал или устройство)\n  Как исправить: записи хранятся в обычных текстовых файлах; уберите это из папки записей\n',
         fixed='сообщение с английским текстом «файл не читается (Is a directory)»',
         data=directory),
    Case('file-is-a-picture', 'institution.yaml — картинка PNG',
         'records/institution.yaml:1:1: файл не в кодировке UTF-8\n  Как исправить: откройте файл в редакторе и сохраните его в кодировке UTF-8\n',
         fixed='неверное сообщение «файл не в кодировке UTF-8 (похоже на Windows-1251)»',
         data=raw("institution.yaml", PNG)),
    Case('file-nul-byte', 'нулевой байт посреди файла',
         'records/institution.yaml:6:1: в файле есть нулевой байт — файл повреждён или это не текст\n  Как исправить: восстановите файл из резервной копии или из git\n',
         data=replaced("place: г. Светлогорск", "place: г. Свет\x00логорск")),
    Case('file-control-character', 'управляющий символ BEL (U+0007) в тексте',
         'records/institution.yaml:6:15: в файле невидимый управляющий символ U+0007\n  Как исправить: удалите его: такие символы попадают в файл при копировании из других программ и портят документы\n',
         fixed='сообщение с английским текстом «файл не читается как YAML (unacceptable character #x0007: control characters are not allowed»',
         data=replaced("place: г. Светлогорск", "place: г. Свет\x07логорск")),
    Case('file-escape-character', 'символ ESC (U+001B, начало «ANSI-последовательности» терминала)',
         'records/institution.yaml:6:8: в файле невидимый управляющий символ U+001B\n  Как исправить: удалите его: такие символы попадают в файл при копировании из других программ и портят документы\n',
         fixed='сообщение с английским текстом «файл не читается как YAML (unacceptable character #x001b: control characters are not allowed»',
         data=replaced("place: г. Светлогорск", "place: \x1b[31mг. Светлогорск")),
    Case('file-c1-control', 'управляющий символ NEL (U+0085)',
         'records/institution.yaml:6:10: в файле невидимый управляющий символ U+0085\n  Как исправить: удалите его: такие символы попадают в файл при копировании из других программ и портят документы\n',
         fixed='неверное сообщение «после ключа нет двоеточия»',
         data=replaced("place: г. Светлогорск", "place: г.\x85Светлогорск")),
    Case('file-rtl-override', 'символ «справа налево» U+202E в наименовании (текст напечатался бы задом наперёд)',
         'records/institution.yaml:3:22: в файле невидимый символ управления направлением текста U+202E (текст напечатался бы задом наперёд)\n  Как исправить: удалите его: такие символы попадают в файл при копировании из других программ и портят документы\n',
         fixed='файл принимался молча',
         data=replaced("short_name: МКОУ ДО «ДДТ»", "short_name: МКОУ ДО «\u202eТДД»")),
    Case('file-bidi-isolate', 'символ изоляции направления U+2066',
         'records/institution.yaml:3:21: в файле невидимый символ управления направлением текста U+2066 (текст напечатался бы задом наперёд)\n  Как исправить: удалите его: такие символы попадают в файл при копировании из других программ и портят документы\n',
         fixed='файл принимался молча',
         data=replaced("short_name: МКОУ ДО «ДДТ»", "short_name: МКОУ ДО \u2066«ДДТ»")),
    Case('file-escaped-control-accepted', 'управляющий символ, записанный как «\\u0007» в кавычках (так программа хранит текст чатов)',
         ACCEPTED,
         data=replaced("place: г. Светлогорск", 'place: "г. Свет\\u0007логорск"')),
    Case('encoding-utf8-bom', 'UTF-8 с меткой BOM',
         ACCEPTED,
         data=encoded("utf-8", b"\xef\xbb\xbf")),
    Case('encoding-utf16le-bom', 'UTF-16 LE с меткой BOM (так сохраняет «Блокнот» Windows в режиме «Юникод»)',
         ACCEPTED,
         data=encoded("utf-16-le", b"\xff\xfe")),
    Case('encoding-utf16be-bom', 'UTF-16 BE с меткой BOM',
         ACCEPTED,
         data=encoded("utf-16-be", b"\xfe\xff")),
    Case('encoding-utf16-without-bom', 'UTF-16 без метки BOM',
         'records/institution.yaml:1:1: файл в кодировке UTF-16 без метки порядка байтов (BOM)\n  Как исправить: откройте файл в редакторе и сохраните его в кодировке UTF-8\n',
         fixed='неверное сообщение «файл не в кодировке UTF-8 (похоже на Windows-1251)»',
         data=encoded("utf-16-le")),
    Case('encoding-windows-1251', 'Windows-1251',
         'records/institution.yaml:1:3: файл не в кодировке UTF-8 (похоже на Windows-1251)\n  Как исправить: откройте файл в редакторе и сохраните его в кодировке UTF-8\n',
         data=encoded("cp1251", transform=lambda t: t.replace("—", "-"))),
    Case('encoding-koi8-r', 'KOI8-R',
         'records/institution.yaml:1:3: файл не в кодировке UTF-8 (похоже на KOI8-R)\n  Как исправить: откройте файл в редакторе и сохраните его в кодировке UTF-8\n',
         fixed='неверное сообщение «файл не в кодировке UTF-8 (похоже на Windows-1251)»',
         data=encoded("koi8-r", transform=lambda t: t.replace("«", '"').replace("»", '"'))),
    Case('encoding-latin-1', 'Latin-1 с одним не-ASCII символом',
         'records/institution.yaml:6:11: файл не в кодировке UTF-8\n  Как исправить: откройте файл в редакторе и сохраните его в кодировке UTF-8\n',
         fixed='неверное сообщение «файл не в кодировке UTF-8 (похоже на Windows-1251)»',
         data=raw("institution.yaml", INSTITUTION.encode("utf-8").replace("г. Светлогорск".encode(), b"caf\xe9", 1))),
    Case('encoding-one-line-in-1251', 'одна строка в Windows-1251 в файле UTF-8',
         'records/institution.yaml:6:8: файл не в кодировке UTF-8 (похоже на Windows-1251)\n  Как исправить: откройте файл в редакторе и сохраните его в кодировке UTF-8\n',
         data=raw("institution.yaml", INSTITUTION.encode("utf-8").replace("г. Светлогорск".encode(), "г. Светлогорск".encode("cp1251"), 1))),
    Case('encoding-utf16-odd-length', 'UTF-16 с BOM, обрезанный на полсимвола',
         'records/institution.yaml:1:1: файл в кодировке UTF-16 обрезан или повреждён\n  Как исправить: восстановите файл из резервной копии или из git и сохраните его в кодировке UTF-8\n',
         fixed='неверное сообщение «файл не в кодировке UTF-8 (похоже на Windows-1251)»',
         data=raw("institution.yaml", b"\xff\xfe" + INSTITUTION.encode("utf-16-le")[:-1])),
    Case('line-ends-crlf', 'строки с окончанием CRLF (Windows)',
         ACCEPTED,
         data=encoded("utf-8", transform=lambda t: t.replace("\n", "\r\n"))),
    Case('line-ends-cr', 'строки с окончанием CR (старый Mac)',
         ACCEPTED,
         data=encoded("utf-8", transform=lambda t: t.replace("\n", "\r"))),
    Case('line-ends-bom-crlf', 'UTF-8 с BOM и CRLF',
         ACCEPTED,
         data=encoded("utf-8", b"\xef\xbb\xbf", lambda t: t.replace("\n", "\r\n"))),
    Case('tag-python-object-apply', '!!python/object/apply:os.system',
         'records/institution.yaml:6:8: недопустимый тег YAML «!!python/object/apply:os.system» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!python/object/apply:os.system» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-python-object-apply', "place: !!python/object/apply:os.system ['touch pwned']")),
    Case('tag-python-object-new', '!!python/object/new:subprocess.Popen',
         'records/institution.yaml:6:8: недопустимый тег YAML «!!python/object/new:subprocess.Popen» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!python/object/new:subprocess.Popen» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-python-object-new', "place: !!python/object/new:subprocess.Popen [['touch', 'pwned']]")),
    Case('tag-python-object', '!!python/object:',
         'records/institution.yaml:6:8: недопустимый тег YAML «!!python/object:os.system» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!python/object:os.system» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-python-object', "place: !!python/object:os.system {}")),
    Case('tag-python-name', '!!python/name:',
         'records/institution.yaml:6:8: недопустимый тег YAML «!!python/name:os.system» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!python/name:os.system» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-python-name', "place: !!python/name:os.system")),
    Case('tag-python-module', '!!python/module:',
         'records/institution.yaml:6:8: недопустимый тег YAML «!!python/module:os» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!python/module:os» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-python-module', "place: !!python/module:os")),
    Case('tag-python-tuple', '!!python/tuple',
         'records/institution.yaml:6:8: недопустимый тег YAML «!!python/tuple» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!python/tuple» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-python-tuple', "place: !!python/tuple [a, b]")),
    Case('tag-binary', '!!binary',
         'records/institution.yaml:6:8: недопустимый тег YAML «!!binary» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!binary» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-binary', "place: !!binary aGVsbG8=")),
    Case('tag-set', '!!set',
         'records/institution.yaml:6:8: недопустимый тег YAML «!!set» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!set» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-set', "place: !!set {a, b}")),
    Case('tag-omap', '!!omap',
         'records/institution.yaml:6:8: недопустимый тег YAML «!!omap» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!omap» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-omap', "place: !!omap [a: 1]")),
    Case('tag-pairs', '!!pairs',
         'records/institution.yaml:6:8: недопустимый тег YAML «!!pairs» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!pairs» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-pairs', "place: !!pairs [a: 1]")),
    Case('tag-custom', 'собственный тег !include',
         'records/institution.yaml:6:8: недопустимый тег YAML «!include» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!include» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-custom', "place: !include /etc/passwd")),
    Case('tag-verbatim', 'тег в форме !<tag:yaml.org,2002:python/object/apply:os.system>',
         'records/institution.yaml:6:8: недопустимый тег YAML «!!python/object/apply:os.system» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!python/object/apply:os.system» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-verbatim', "place: !<tag:yaml.org,2002:python/object/apply:os.system> ['touch pwned']")),
    Case('tag-handle-directive', 'тег через директиву %TAG',
         'records/institution.yaml:8:8: недопустимый тег YAML «!!python/object/apply:os.system» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!python/object/apply:os.system» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-handle-directive', None)),
    Case('tag-on-key', 'тег на ключе',
         'records/institution.yaml:6:1: недопустимый тег YAML «!!python/name:os.system» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!python/name:os.system» перед значением; такие теги не выполняются и не допускаются\n',
         fixed='файл принимался молча',
         data=tagged('tag-on-key', "!!python/name:os.system place: г. Светлогорск")),
    Case('tag-on-mapping', 'тег на записи целиком',
         'records/institution.yaml:11:14: недопустимый тег YAML «!!python/object/new:dict» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!python/object/new:dict» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-on-mapping', "quiet_hours: !!python/object/new:dict\n  start: \"21:00\"\n  end: \"08:00\"\n")),
    Case('tag-on-list-item', 'тег на элементе списка',
         'records/institution.yaml:16:5: недопустимый тег YAML «!!python/object/apply:os.system» — записи содержат только текст, числа, даты и списки\n  Как исправить: удалите «!!python/object/apply:os.system» перед значением; такие теги не выполняются и не допускаются\n',
         data=tagged('tag-on-list-item', "order_series:\n  - !!python/object/apply:os.system ['touch pwned']\n")),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)


def test_records_file_that_is_not_what_it_seems(records, case):
    (records / "institution.yaml").write_text(INSTITUTION, encoding="utf-8")
    case.data(records)
    if case.expected == ACCEPTED:
        result = run(["check", "--records", "records"], records)
        assert (result.exit_code, result.stderr) == (1, "")
    else:
        refused(["check", "--records", "records"], records,
                case.expected + TAIL.format(n=case.expected.count("Как исправить")))
    assert not os.path.exists("pwned"), "a YAML tag was run"

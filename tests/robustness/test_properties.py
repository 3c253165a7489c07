"""Property tests: whatever the input, the records loader, the chat readers and the scanners either do their
job or raise the tool's own error with a Russian message — never a traceback, never English from a parser,
never a phone number in clear.

(The import helpers' own property tests, tests/imports/test_properties.py, feed random and damaged bytes;
these feed inputs that are well-formed on the surface and lie underneath: YAML token soup, JSON of the
right shape with the wrong types, WhatsApp headers with impossible dates.)
"""
from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from compliance.errors import RecordsError
from compliance.store.yamlfile import read_located
from robustness.cases import Case
from robustness.common import INSTITUTION, SAMPLE

SECTION = "Свойства (hypothesis): любой вход — результат или понятная ошибка"
ORDER = 9                    # place of this section in docs/robustness.md
SETTINGS = settings(max_examples=120, deadline=None, database=None, derandomize=True,
                    phases=[Phase.explicit, Phase.generate, Phase.shrink],   # no patch files written
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
ENGLISH = re.compile(r"\b(found|expected|while|scanning|parsing|could not|unacceptable|character|"
                     r"document|mapping|sequence|scalar)\b", re.I)



def english(message: str) -> bool:
    """A parser's English words in a message, outside what it quotes from the file («…»)."""
    return bool(ENGLISH.search(re.sub("«[^»]*»", "", message)))


CASES = [
    Case("property-loader-token-soup", "файл записей из случайной смеси элементов YAML (: - [ ] { } & * ! | > --- "
                                       "%YAML кавычки табуляции кириллица …)",
         "данные или ошибки с file:строка:столбец внутри файла, по-русски, без английских слов парсера",
         fixed="сообщения «ошибка разметки YAML (found character that cannot start any token)» и подобные",
         data="soup"),
    Case("property-loader-any-text", "файл записей из любого текста Юникода (управляющие символы, RTL, эмодзи)",
         "данные или ошибки по-русски с местом внутри файла", data="text"),
    Case("property-loader-any-bytes", "файл записей из любых байтов", "данные или ошибки по-русски", data="bytes"),
    Case("property-load-folder", "в папке записей institution.yaml заменён смесью YAML",
         "`store.load` даёт записи или RecordsError, все ошибки — в файлах этой папки", data="folder"),
    Case("property-telegram-wrong-types", "выгрузка Telegram правильной формы, но в полях сообщений — любые "
                                          "значения JSON (числа вместо текста, списки вместо дат, null)",
         "сообщения или ExportError с «Как исправить»", data="telegram"),
    Case("property-whatsapp-impossible-headers", "строки WhatsApp с невозможными датами и временем (31.02, "
                                                 "25:61), двоеточиями в имени, меткой U+200E",
         "сообщения или ExportError с «Как исправить»", data="whatsapp"),
    Case("property-scan-any-text", "сканеры на любом тексте сообщения", "список замечаний; отрывок не длиннее "
                                                                       "122 знаков", data="scan"),
    Case("property-scan-phone-never-in-clear", "сообщение с номером телефона в любой записи среди любого текста "
                                                "(номер отделён от соседних слов)",
         "ни в одном отрывке нет 10 цифр номера подряд", data="phone"),
    Case("scan-phone-glued-to-a-letter", "«а+7 912 100-10-10» и «тел89121001010», сообщение в тихие часы",
         "замечание «персональные данные» о номере; номер скрыт в отрывках всех замечаний (и о тихих часах)",
         fixed="номер, приклеенный к букве, не распознавался как персональные данные, и отрывок другого "
               "замечания (тихие часы) показывал его целиком",
         data=("а+7 912 100-10-10", "тел89121001010")),
    Case("scan-phone-next-to-a-number", "«+7 912 100-10-10 0», «0 +7 912 100-10-10», «89121001010 89101234567», "
                                        "сообщение в тихие часы",
         "замечание «персональные данные» о номере; номер скрыт в отрывках",
         fixed="номер рядом с другим числом (через пробел) не распознавался (защита от склейки с длинным числом), "
               "и отрывок другого замечания показывал его целиком",
         data=("+7 912 100-10-10 0", "0 +7 912 100-10-10", "89121001010 89101234567")),
    Case("scan-phone-in-a-long-number", "«8 912 100 10 10 55 …»: номер посреди длинного числа, через пробелы",
         "замечания «персональные данные» нет (не отличить от длинного числа), но в отрывке любого замечания "
         "цифры длинного числа, кроме двух последних, скрыты «*»",
         fixed="отрывок замечания о тихих часах показывал число целиком",
         data=("Перезвоните 8 912 100 10 10 55 вечером",)),
    Case("property-scan-phone-glued-to-anything", "номер телефона в любой записи, приклеенный без пробела к любым "
                                                   "буквам и цифрам с обеих сторон, сообщение в тихие часы",
         "ни в одном отрывке нет 10 цифр номера подряд",
         fixed="отрывок замечания о тихих часах показывал номер целиком, например в «Звоните x891210010105 вечером»",
         data="glued"),
]

YAML_TOKENS = [": ", ":", "- ", "-", "[", "]", "{", "}", ", ", "&a ", "*a", "&", "*", "!!python/object:x ",
               "!foo ", "!!str ", "|", ">", "|-", "---", "...", "%YAML 1.2", "%TAG ! x", "'", '"', "\\", "\\q",
               "#", " #", "\t", "\n", "  ", "    ", "?", "@", "`", "a", "id", "я", "2026-13-45", "9" * 30,
               "\u202e", "\x07", "\ufeff", "\r\n", "null", "~", "<<", "{a: 1}", "[1, 2]"]


def _read(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "institution.yaml"
        path.write_bytes(data)
        return read_located(path)


def _problems_are_russian_and_inside(problems, data: bytes) -> None:
    lines = data.count(b"\n") + data.count(b"\r") + 2
    for problem in problems:
        assert 1 <= problem.line <= lines and problem.column >= 1, problem
        assert re.search("[а-яё]", problem.message) and problem.fix, problem
        assert not english(problem.message), problem.message


@pytest.mark.parametrize("case", [CASES[0]], ids=lambda c: c.id)
@SETTINGS
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join))
@example("a: @b")
@example("a:\n\t- b")
@example("a: b\n---\nc: d")
def test_loader_token_soup_gives_data_or_located_russian_problems(case, text):
    data = text.encode("utf-8")
    located, problems = _read(data)
    _problems_are_russian_and_inside(problems, data)


@pytest.mark.parametrize("case", [CASES[1]], ids=lambda c: c.id)
@SETTINGS
@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_loader_any_text_gives_data_or_located_russian_problems(case, text):
    data = text.encode("utf-8")
    _problems_are_russian_and_inside(_read(data)[1], data)


@pytest.mark.parametrize("case", [CASES[2]], ids=lambda c: c.id)
@SETTINGS
@given(st.binary(max_size=300))
@example(b"\xff\xfe" + "а: б".encode("utf-16-le")[:-1])
def test_loader_any_bytes_gives_data_or_russian_problems(case, data):
    _problems_are_russian_and_inside(_read(data)[1], data)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("property-records") / "records"
    shutil.copytree(SAMPLE, root)
    return root


@pytest.mark.parametrize("case", [CASES[3]], ids=lambda c: c.id)
@settings(SETTINGS, max_examples=30)     # a whole folder per example: 25 ms each
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=12).map("".join), st.integers(0, len(INSTITUTION)))
def test_load_folder_with_a_damaged_file_raises_only_records_error(case, folder, soup, at):
    from compliance.store.load import load

    (folder / "institution.yaml").write_text(INSTITUTION[:at] + soup + INSTITUTION[at:], encoding="utf-8")
    try:
        load(folder)
    except RecordsError as error:
        assert error.problems
        for problem in error.problems:
            assert folder in problem.path.parents
            assert not english(problem.message), problem.message


JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)
MESSAGE_KEYS = ["id", "type", "date", "date_unixtime", "from", "from_id", "actor", "action", "text", "text_entities",
                "media_type", "poll", "edited", "reply_to_message_id", "forwarded_from", "photo", "file",
                "sticker_emoji"]
BASE_MESSAGE = {"id": 1, "type": "message", "date": "2026-11-03T10:00:00", "from": "Гришина Ольга",
                "text": "Собрание в пятницу"}
MESSAGE = st.builds(lambda extra: {**BASE_MESSAGE, **extra},
                    st.dictionaries(st.sampled_from(MESSAGE_KEYS), JSON, max_size=4))


@pytest.mark.parametrize("case", [CASES[4]], ids=lambda c: c.id)
@SETTINGS
@given(st.lists(MESSAGE, max_size=4), st.dictionaries(st.sampled_from(["name", "type", "id"]), JSON, max_size=2))
def test_telegram_export_with_wrong_types_gives_messages_or_export_error(case, messages, top):
    telegram = pytest.importorskip("compliance.imports.telegram")
    from compliance.imports import ChatMessage, ExportError

    export = {"name": "ДДТ. Робикс. Родители", "type": "private_supergroup", "id": 1001, **top, "messages": messages}
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "result.json"
        path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
        try:
            for message in telegram.read_messages(path):
                assert isinstance(message, ChatMessage) and isinstance(message.text, str)
        except ExportError as error:
            assert "Как исправить:" in str(error)


HEADER = st.builds(
    lambda d, m, y, h, mi, sender, text, ios: (f"[{d:02d}.{m:02d}.{y:02d}, {h:02d}:{mi:02d}:00] {sender}: {text}" if ios
                                               else f"{d:02d}.{m:02d}.{y}, {h:02d}:{mi:02d} - {sender}: {text}"),
    st.integers(0, 40), st.integers(0, 14), st.integers(0, 2100), st.integers(0, 30), st.integers(0, 70),
    st.sampled_from(["Гришина Ольга", "+7 912 345-67-89", "Имя: с двоеточием", "\u200eБелова", "", "~ Мама"]),
    st.text(max_size=30), st.booleans())


@pytest.mark.parametrize("case", [CASES[5]], ids=lambda c: c.id)
@SETTINGS
@given(st.lists(HEADER | st.text(max_size=30), min_size=1, max_size=8), st.sampled_from([None, "dmy", "mdy"]))
def test_whatsapp_impossible_headers_give_messages_or_export_error(case, lines, order):
    whatsapp = pytest.importorskip("compliance.imports.whatsapp")
    from compliance.imports import ChatMessage, ExportError

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "chat.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        try:
            for message in whatsapp.read_messages(path, date_order=order):
                assert isinstance(message, ChatMessage)
        except ExportError as error:
            assert "Как исправить:" in str(error)


@pytest.fixture(scope="module")
def context():
    scan = pytest.importorskip("compliance.scan")
    from compliance.build import load

    records = load(SAMPLE)
    return scan.context_for(records, "robiks-parents", "2026-11", dt.date(2026, 11, 30))


def _message(text: str, sender: str = "Гришина Ольга Владимировна"):
    from compliance.imports import ChatMessage

    return ChatMessage(id="1", time=dt.datetime(2026, 11, 3, 22, 15), sender=sender, sender_phone=None, text=text,
                       kind="text")


@pytest.mark.parametrize("case", [CASES[6]], ids=lambda c: c.id)
@SETTINGS
@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=300))
def test_scanners_take_any_text(case, context, text):
    from compliance.scan import scan

    for hit in scan(_message(text), context):
        assert len(hit.excerpt) <= 122
        assert 0 <= hit.start <= hit.end <= len(text)


PHONE = st.builds(
    lambda code, a, b, c, form: form.format(code=code, a=a, b=b, c=c, n=f"{code}{a}{b}{c}"),
    st.sampled_from(["912", "903", "981", "800"]), st.integers(100, 999).map(str),
    st.integers(10, 99).map(str), st.integers(10, 99).map(str),
    st.sampled_from(["+7 {code} {a}-{b}-{c}", "8{n}", "+7{n}", "8 ({code}) {a} {b} {c}", "+7({code}){a}{b}{c}",
                     "8-{code}-{a}-{b}-{c}", "7 {code} {a} {b} {c}"]))
FILLER = st.lists(st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюя ,.!?-АБВГД0123456789\n")
                                  + [" хрень ", " телефон ", " звоните ", " 10:30 ", " 5 000 руб. "]),
                  max_size=60).map("".join)


@pytest.mark.parametrize("case", [CASES[7]], ids=lambda c: c.id)
@SETTINGS
@given(FILLER, PHONE, FILLER)
@example("Мой телефон ", "+7 912 345-67-89", " звоните после девяти, хрень какая-то")
def test_scanners_never_show_a_phone_number_in_clear(case, context, before, phone, after):
    from compliance.scan import scan

    national = re.sub(r"\D", "", phone)[-10:]
    for hit in scan(_message(f"{before} тел. {phone}, звоните {after}"), context):
        assert national not in re.sub(r"\D", "", hit.excerpt), (phone, hit.excerpt)


@pytest.mark.parametrize("case", [c for c in CASES if c.id.startswith("scan-phone-")], ids=lambda c: c.id)
def test_scanners_hide_a_phone_glued_to_a_word_or_a_number(case, context):
    from compliance.model.records import FindingCategory
    from compliance.scan import scan

    for text in case.data:
        hits = scan(_message(text, sender=PARENT), context)
        night = [hit.excerpt for hit in hits if hit.category == FindingCategory.QUIET_HOURS]   # 22:15: shows it all
        private = [hit.excerpt for hit in hits if hit.category == FindingCategory.PERSONAL_DATA]
        if case.id == "scan-phone-in-a-long-number":
            assert (private, night) == ([], ["Перезвоните * *** *** ** ** 55 вечером"])
            continue
        assert len(night) == 1, hits
        assert len(private) == text.count("+7") + text.count("891"), (text, private)
        for hit in hits:
            assert "9121001010" not in re.sub(r"\D", "", hit.excerpt), (text, hit.excerpt)
            assert "9101234567" not in re.sub(r"\D", "", hit.excerpt), (text, hit.excerpt)


PARENT = "Родительница Неизвестная"      # not staff: a night message of hers is a quiet-hours finding
GLUE = st.text(st.sampled_from(list("абвxyzАZ0123456789_+-")), min_size=1, max_size=6)


@pytest.mark.parametrize("case", [c for c in CASES if c.data == "glued"], ids=lambda c: c.id)
@SETTINGS
@given(GLUE, PHONE, GLUE)
@example("а", "+7 912 100-10-10", " 0")
@example("0 ", "+7 912 100-10-10", "")
@example("x", "89121001010", "5")
def test_scanners_never_show_a_phone_glued_to_anything_in_clear(case, context, before, phone, after):
    from compliance.scan import scan

    national = re.sub(r"\D", "", phone)[-10:]
    text = f"Звоните {before}{phone}{after} вечером"
    for hit in scan(_message(text, sender=PARENT), context):
        assert national not in re.sub(r"\D", "", hit.excerpt), (text, hit.excerpt)

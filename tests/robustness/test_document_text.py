"""Dangerous text in every document format: XML and markup characters, template tags, emoji, right-to-left
text, invisible and control characters, formulas. Each string goes into the records (a violation's description
and measure; some into a parent's surname or a group's title) and one `build` renders everything.

DOCX must stay a valid document (python-docx reopens it, every XML part parses, LibreOffice converts it),
XLSX cells stay text (never a formula), PDF opens and carries the text. Control characters and bidirectional
overrides are dropped when printing (build.printable); everything else is printed as written.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from compliance.build import printable_text
from extract import docx_text, pdf_text, squash, xlsx_text
from robustness.cases import Case
from robustness.common import SAMPLE, run

SECTION = "Опасный текст в документах DOCX, XLSX и PDF"
ORDER = 4                    # place of this section in docs/robustness.md
NOTE = ("Каждая строка попадает в описание и меру нарушения в журнале месяца, часть — в фамилию родителя и "
        "название группы (листы ознакомления, отчёт, диаграмма); одна сборка `build` во всех форматах. Для всех "
        "случаев: DOCX открывается python-docx, каждая его XML-часть разбирается, LibreOffice конвертирует отчёт "
        "в PDF; в XLSX нет ни одной формулы; PDF открывается. Знаков, которых нет в шрифте PT Serif (эмодзи, "
        "арабское письмо), PDF не печатает: на их месте пустой квадрат.")
FORMATS = ("docx", "xlsx", "pdf")
_ESCAPED = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069\\u2028\\u2029\\ufeff\"\\\\]")


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar; invisible characters as escapes (raw ones a file may not hold)."""
    return '"' + _ESCAPED.sub(lambda m: "\\" + m.group() if m.group() in '"\\' else f"\\u{ord(m.group()):04x}",
                              text) + '"'


def text_case(case_id, given, text, pdf=None, fixed="", where=("violation",)):
    """`pdf`: the part a PDF reader must find, when not the whole text."""
    printed = printable_text(text)
    expected = ("печатается как есть" if printed == text else
                f"печатается без невидимых управляющих символов: {printed!r}")
    return Case(case_id, given, expected,
                fixed=fixed, data={"text": text, "pdf": pdf, "where": where})


CASES = [
    text_case("text-xml-specials", "`& < > \" '`", "Ковалёв & <Ко> \"кавычки\" 'апостроф'",
              where=("violation", "surname", "group")),
    text_case("text-xml-injection", "закрывающие теги Word в тексте", "</w:t></w:r><w:r><w:t>вставка"),
    text_case("text-cdata-end", "`]]>` и `<![CDATA[`", "<![CDATA[ x ]]> ]]>"),
    text_case("text-jinja-tags", "теги шаблона `{{ 7*7 }}` и `{% if %}` в данных", "{{ 7*7 }} {% if x %}да{% endif %}"),
    text_case("text-reportlab-markup", "разметка reportlab `<b>`, `<font size=40>`", "<b>жирный</b> <font size=40>крупно"),
    text_case("text-html-script", "`<script>`", "<script>alert(1)</script>"),
    text_case("text-format-placeholders", "`%s %d {0} {name}`", "%s %d {0} {name} %(x)s"),
    text_case("text-backslashes", "обратные косые черты", "C:\\Windows\\System32 \\n \\t"),
    text_case("text-url", "ссылка с `&` и `?`", "http://evil.example/?a=1&b=<2>"),
    text_case("text-emoji", "эмодзи и последовательности с ZWJ", "Рисунок 🎨 семья 👨‍👩‍👧",
              where=("violation", "surname")),
    text_case("text-arabic", "арабский текст (справа налево)", "Амина مرحبا بالعالم"),
    text_case("text-rtl-marks", "метки направления RLM/LRM (U+200F, U+200E)", "Алиева\u200f\u200e Амина"),
    text_case("text-rtl-override", "переопределение направления U+202E (текст задом наперёд), записанное как «\\u202e»",
              "Иванова \u202eанитраМ", where=("violation", "surname", "group")),
    text_case("text-zero-width", "невидимые пробелы нулевой ширины (U+200B, U+FEFF)", "Ива\u200bнова\ufeff"),
    text_case("text-combining", "комбинируемое ударение (е + U+0301)", "Бере\u0301зкина"),
    text_case("text-supplementary", "математические буквы за пределами BMP", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛"),
    # In PDF its cell may continue on the next page (the page number and repeated header come between):
    # a reader finds it in pieces of a page each.
    text_case("text-long-word", "слово из 1000 букв без пробелов", "Щ" * 1000, pdf="Щ" * 150,
              fixed="PDF не собирался: слово сжимало соседние столбцы таблицы до отрицательной ширины "
                    "(ValueError: flowable given negative availWidth)"),
    text_case("text-long-text", "текст из 5000 символов (в PDF ячейка продолжается на следующей странице)",
              "очень длинное описание нарушения " * 150, pdf="очень длинное описание нарушения " * 3,
              fixed="PDF не собирался: LayoutError — ячейка таблицы выше страницы"),
    text_case("text-newlines", "переводы строк внутри значения", "первая строка\nвторая строка\n\nчетвёртая",
              where=("violation", "surname")),
    text_case("text-tab", "табуляция внутри значения", "до\tпосле"),
    text_case("text-control-characters", "управляющие символы BEL, FF, ESC, записанные как «\\u0007»",
              "Свет\u0007ло\u000cгорск\u001b[31m", where=("violation", "surname", "group"),
              fixed="заголовок с такими символами ронял DOCX (ValueError в свойствах документа), «\\r» в названии "
                    "группы ронял диаграмму (RuntimeError raqm_layout в Pillow)"),
    text_case("text-nul", "нулевой символ, записанный как «\\0»", "до\u0000после", where=("violation", "surname")),
    text_case("text-carriage-return", "возврат каретки «\\r» в названии группы (диаграмма отчёта)", "Робикс\rРодители",
              where=("violation", "group"),
              fixed="RuntimeError raqm_layout() failed в Pillow при рисовании диаграммы — сборка падала с трассировкой"),
    text_case("text-nel", "символ NEL U+0085, записанный как «\\u0085»", "Робикс\u0085Родители",
              where=("violation", "group"),
              fixed="RuntimeError raqm_layout() failed в Pillow при рисовании диаграммы"),
    text_case("text-line-separator", "разделители строк U+2028, U+2029", "строка\u2028строка\u2029абзац"),
]
FORMULAS = [
    ("=1+1", "формула «=1+1»"),
    ("=HYPERLINK(\"http://evil.example\",\"нажмите\")", "ссылка-формула HYPERLINK"),
    ("=cmd|' /C calc'!A0", "DDE-вызов программы «=cmd|…»"),
    ("+1+1", "начало с «+»"),
    ("-2+3", "начало с «-»"),
    ("@SUM(1,1)", "начало с «@»"),
    ("\t=1+1", "табуляция перед «=»"),
    ("\r=1+1", "возврат каретки перед «=»"),
    (" =1+1", "пробел перед «=»"),
]
for number, (formula, given) in enumerate(FORMULAS, 1):
    CASES.append(Case(f"xlsx-formula-{number}", f"ячейка XLSX: {given}",
                      "в XLSX — текстовая ячейка (тип s) с тем же текстом, для «= + - @» с признаком «текст» "
                      "(quotePrefix): Excel не вычисляет её ни при открытии, ни после правки",
                      data={"text": formula, "pdf": None, "where": ("violation",), "formula": True}))

TEXT_CASES = [c for c in CASES if not c.data.get("formula")]
PENDING_PARENTS = ["pr-011", "pr-021", "pr-029", "pr-045", "pr-002", "pr-001", "pr-007", "pr-009"]


def _violation(number: int, text: str) -> str:
    return (f"  - {{id: v-rb-{number:03d}, date: 2026-11-20, group: robiks-parents, clause: \"5.1\", "
            f"description: {quoted(text)}, measure: {quoted(text)}, measure_date: 2026-11-20, resolved: true}}\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One records copy with every string in place, built once in all three formats."""
    root = tmp_path_factory.mktemp("hostile-text")
    records = root / "records"
    shutil.copytree(SAMPLE, records)
    log = records / "log" / "2026-11.yaml"
    text = log.read_text(encoding="utf-8")
    text = text.replace("violations:\n", "violations:\n" + "".join(_violation(i, c.data["text"]) for i, c in
                                                                   enumerate(CASES, 1)), 1)
    log.write_text(text, encoding="utf-8")
    people = records / "people.yaml"
    text = people.read_text(encoding="utf-8")
    surnames = [c for c in TEXT_CASES if "surname" in c.data["where"]]
    assert len(surnames) <= len(PENDING_PARENTS)
    for case, pid in zip(surnames, PENDING_PARENTS):
        text, count = re.subn(rf"(\{{id: {pid}, surname: )([^,]+),", lambda m: f"{m.group(1)}{quoted(case.data['text'])},",
                              text)
        assert count == 1
    people.write_text(text, encoding="utf-8")
    groups = records / "groups.yaml"
    text = groups.read_text(encoding="utf-8")
    titled = [c for c in TEXT_CASES if "group" in c.data["where"]]
    titles = re.findall(r"^    title: (.+)$", text, re.M)
    assert len(titled) <= len(titles)
    for case, title in zip(titled, titles):
        text = text.replace(f"    title: {title}\n", f"    title: {quoted(title + ' ' + case.data['text'])}\n", 1)
    groups.write_text(text, encoding="utf-8")
    out = root / "out"
    result = run(["build", "--records", str(records), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


def _pt_serif_glyphs() -> set[int]:
    from reportlab.pdfbase import pdfmetrics

    from compliance.render.fonts import register_pt_serif
    from compliance.render.pdf_common import FAMILY

    register_pt_serif()
    return set(pdfmetrics.getFont(FAMILY).face.charToGlyph)


def _flat(text: str) -> str:
    """Without whitespace and hyphens: PDF wraps long cells and may hyphenate a word."""
    return squash(text).replace("-", "").replace("\u00ad", "")


@pytest.fixture(scope="module")
def texts(built):
    report = built / "Отчёт_2026-11"
    return {fmt: {"docx": docx_text, "xlsx": xlsx_text, "pdf": pdf_text}[fmt](report.with_suffix(f".{fmt}"))
            for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", TEXT_CASES, ids=lambda c: c.id)
def test_hostile_text_is_printed_as_written_in_every_format(texts, case, fmt):
    expected = printable_text(case.data["text"])
    found = texts[fmt]
    if fmt == "pdf":
        expected = "".join(c for c in case.data["pdf"] or expected if c.isspace() or ord(c) in _pt_serif_glyphs())
        found = found.replace("\x00", "")   # a character the font lacks is drawn as an empty box
    assert _flat(expected) in _flat(found)
    for dropped in set(case.data["text"]) - set(expected):
        if fmt != "pdf":
            assert dropped not in texts[fmt]


def test_every_built_docx_is_a_valid_document(built):
    import docx
    from lxml import etree

    for path in sorted(built.glob("*.docx")):
        docx.Document(str(path))
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            for name in archive.namelist():
                if name.endswith(".xml") or name.endswith(".rels"):
                    etree.fromstring(archive.read(name))


def test_every_built_xlsx_holds_text_never_a_formula(built):
    import openpyxl

    for path in sorted(built.glob("*.xlsx")):
        for sheet in openpyxl.load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, cell.coordinate, cell.value)


@pytest.fixture(scope="module")
def report_cells(built):
    import openpyxl

    with zipfile.ZipFile(built / "Отчёт_2026-11.xlsx") as archive:
        xml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml
    return [cell for ws in openpyxl.load_workbook(built / "Отчёт_2026-11.xlsx").worksheets
            for row in ws.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("case", [c for c in CASES if c.data.get("formula")], ids=lambda c: c.id)
def test_formula_like_text_stays_text_in_xlsx(report_cells, case):
    expected = printable_text(case.data["text"]).strip()   # records strip leading and trailing whitespace
    cells = [cell for cell in report_cells if cell.value == expected]
    assert cells, expected
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.quotePrefix == expected.startswith(("=", "+", "-", "@"))


def test_every_built_pdf_opens(built):
    from pypdf import PdfReader

    for path in sorted(built.glob("*.pdf")):
        assert len(PdfReader(str(path)).pages) >= 1


def test_libreoffice_converts_the_hostile_report(built, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    sources = []
    for fmt in ("docx", "xlsx"):   # one stem for both would make one PDF overwrite the other
        sources.append(tmp_path / f"report-{fmt}.{fmt}")
        shutil.copy(built / f"Отчёт_2026-11.{fmt}", sources[-1])
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), *map(str, sources)], check=True, capture_output=True, timeout=180)
    for source in sources:
        converted = tmp_path / "pdf" / f"{source.stem}.pdf"
        assert converted.exists() and converted.stat().st_size > 0, source.name
        assert "Ковалёв & <Ко>" in subprocess.run(["pdftotext", str(converted), "-"], capture_output=True,
                                                  text=True).stdout.replace("\n", " ")

"""Template check: split tags, syntax, unknown variables and docxtpl tag misuse, each with the exact message."""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from compliance.render import docx as render_docx
from compliance.render import template_check
from compliance.render.template_check import ERROR, WARNING, TemplateFinding, check_template, check_templates
from compliance.views.order import OrderView

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SPLIT_FIX = ("выделите тег, удалите и наберите его заново одним действием (без правки отдельных букв), "
             "или вставьте как простой текст (Ctrl+Shift+V).")
ORDER_NAMES = ", ".join(f.name for f in dataclasses.fields(OrderView))


def make(path: Path, *paragraphs, build=None) -> Path:
    """A template: a str is a paragraph of one run, a tuple a paragraph of those runs."""
    document = docx.Document()
    for item in paragraphs:
        paragraph = document.add_paragraph()
        for run in (item,) if isinstance(item, str) else item:
            paragraph.add_run(run)
    if build:
        build(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def table(*rows):
    def build(document):
        grid = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                grid.cell(i, j).text = text
    return build


def rendered(findings: list[TemplateFinding]) -> list[str]:
    return [f.render() for f in findings]


@pytest.fixture
def here(tmp_path, monkeypatch):
    """Work in tmp_path, so messages name «t.docx» as a user in that folder sees it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------------- shipped templates

def test_check_templates_shipped_templates_are_clean():
    results = check_templates(render_docx.default_templates_dir())
    assert {p.name for p in results} == set(template_check.VIEW_TYPES)
    assert {p.name: f for p, f in results.items()} == {name: [] for name in template_check.VIEW_TYPES}


def test_check_templates_after_libreoffice_resave_are_clean(tmp_path):
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = render_docx.default_templates_dir()
    names = sorted(template_check.VIEW_TYPES)
    for name in names:
        shutil.copy(source / name, tmp_path / name)
    out = tmp_path / "resaved"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out)]
                   + [str(tmp_path / n) for n in names], check=True, capture_output=True, timeout=180)
    assert sorted(p.name for p in out.glob("*.docx")) == names
    assert check_templates(out) == {out / name: [] for name in names}


# ---------------------------------------------------------------- 1. tags Word split

def test_check_template_tag_split_over_runs_warns_and_counts_fragments(here):
    path = make(here / "t.docx", ("Тема: {{ hea", "ding }}."))
    findings = check_template(path, OrderView)
    assert [f.severity for f in findings] == [WARNING]
    assert rendered(findings) == [
        "t.docx, основной текст: замечание: тег «{{ heading }}» разбит Word на 2 фрагмента в абзаце "
        "«Тема: {{ heading }}.»; программа склеит фрагменты, документ сформируется.\n"
        f"  Как исправить: {SPLIT_FIX}"]


def test_check_template_split_tag_still_renders_as_the_warning_says(here):
    """The warning's promise: docxtpl rejoins a tag split over plain runs."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(make(here / "t.docx", ("Тема: {{ hea", "ding }}."))))
    template.render({"heading": "О создании групп"}, jinja_env=render_docx.jinja_environment())
    assert [p.text for p in template.docx.paragraphs] == ["Тема: О создании групп."]


def test_check_template_split_tag_with_spelling_mark_and_bookmark_warns(here):
    def build(document):
        paragraph = document.add_paragraph()
        paragraph.add_run("{{ hea")
        paragraph._p.append(parse_xml(f'<w:proofErr {NS} w:type="spellStart"/>'))
        paragraph._p.append(parse_xml(f'<w:bookmarkStart {NS} w:id="0" w:name="x"/>'))
        paragraph.add_run("din")
        paragraph._p.append(parse_xml(f'<w:proofErr {NS} w:type="spellEnd"/>'))
        paragraph.add_run("g }}")

    findings = check_template(make(here / "t.docx", build=build), OrderView)
    assert rendered(findings) == [
        "t.docx, основной текст: замечание: тег «{{ heading }}» разбит Word на 3 фрагмента в абзаце "
        "«{{ heading }}»; программа склеит фрагменты, документ сформируется.\n"
        f"  Как исправить: {SPLIT_FIX}"]


def test_check_template_split_tag_styled_differently_says_whose_style_wins(here):
    def build(document):
        paragraph = document.add_paragraph()
        paragraph.add_run("{{ hea")
        paragraph.add_run("ding }}").bold = True

    findings = check_template(make(here / "t.docx", build=build), OrderView)
    assert [f.message for f in findings] == [
        "тег «{{ heading }}» разбит Word на 2 фрагмента в абзаце «{{ heading }}»; фрагменты оформлены "
        "по-разному, и значение получит оформление первого."]


def test_check_template_tag_half_in_a_hyperlink_is_an_error(here):
    def build(document):
        paragraph = document.add_paragraph()
        paragraph.add_run("До {{ hea")
        paragraph._p.append(parse_xml(f'<w:hyperlink {NS} w:anchor="x"><w:r><w:t xml:space="preserve">'
                                      'ding }} после</w:t></w:r></w:hyperlink>'))

    findings = check_template(make(here / "t.docx", build=build), OrderView)
    assert [f.severity for f in findings] == [ERROR]
    assert rendered(findings) == [
        "t.docx, основной текст: тег «{{ heading }}» разбит Word на 2 фрагмента в абзаце «До {{ heading }} "
        "после», и часть тега входит в гиперссылку: при формировании гиперссылка пропадёт из документа.\n"
        f"  Как исправить: {SPLIT_FIX} Перед этим примите исправления, снимите гиперссылку и удалите поля "
        "в тексте тега."]


def test_check_template_tag_half_in_a_footer_hyperlink_breaks_the_document(here):
    document = docx.Document()
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run("{{ stamp.foo")
    paragraph._p.append(parse_xml(f'<w:hyperlink {NS} w:anchor="x"><w:r><w:t>' + 'ter }}</w:t></w:r></w:hyperlink>'))
    document.save(str(here / "t.docx"))
    findings = check_template(here / "t.docx", OrderView)
    assert [f.message for f in findings] == [
        "тег «{{ stamp.footer }}» разбит Word на 2 фрагмента в абзаце «{{ stamp.footer }}», и часть тега "
        "входит в гиперссылку: документ не сформируется: нарушится разметка колонтитула."]
    assert findings[0].part == "нижний колонтитул"


def test_check_template_field_inside_a_tag_is_an_error(here):
    def build(document):
        paragraph = document.add_paragraph()
        paragraph.add_run("{{ hea")
        for xml in ('<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
                    '<w:r {ns}><w:instrText> PAGE </w:instrText></w:r>',
                    '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>'):
            paragraph._p.append(parse_xml(xml.format(ns=NS)))
        paragraph.add_run("ding }}")

    findings = check_template(make(here / "t.docx", build=build), OrderView)
    assert [(f.severity, f.message) for f in findings] == [
        (ERROR, "тег «{{ heading }}» разбит Word на 2 фрагмента в абзаце «{{ heading }}», и внутри тега стоит "
                "поле: при формировании поле пропадёт из документа.")]


def test_check_template_tag_across_paragraphs_is_an_error(here):
    findings = check_template(make(here / "t.docx", "Тема {{ heading", "}} конец"), OrderView)
    assert rendered(findings) == [
        "t.docx, основной текст: тег «{{ heading» не закрыт: в абзаце «Тема {{ heading» нет «}}» после «{{».\n"
        "  Как исправить: тег целиком должен стоять в одном абзаце: допишите «}}» или уберите разрыв абзаца "
        "(Enter) внутри тега."]


# ---------------------------------------------------------------- 2. syntax

def test_check_template_for_without_list_is_a_syntax_error(here):
    findings = check_template(make(here / "t.docx", "Начало", "{% for x in %}", "{% endfor %}"), OrderView)
    assert rendered(findings) == [
        "t.docx, основной текст: ошибка в теге «{% for x in %}» в абзаце «{% for x in %}»: не хватает "
        "выражения, тег закончился раньше.\n"
        "  Как исправить: запишите тег полностью: {{ поле }}, {% if условие %} … {% endif %}, "
        "{% for строка in список %} … {% endfor %}."]


def test_check_template_syntax_error_picks_the_bad_tag_of_the_paragraph(here):
    findings = check_template(make(here / "t.docx", "{{ date }} и {{ number number }} и {{ heading }}"), OrderView)
    assert [f.message for f in findings] == [
        "ошибка в теге «{{ number number }}» в абзаце «{{ date }} и {{ number number }} и {{ heading }}»: "
        "ожидалось «}}», а стоит «number»."]


def test_check_template_space_after_brace_in_paragraph_tag_says_so(here):
    findings = check_template(make(here / "t.docx", "{% p if draft_mark %}", "x", "{% p endif %}"), OrderView)
    assert rendered(findings) == [
        "t.docx, основной текст: ошибка в теге «{% p if draft_mark %}» в абзаце «{% p if draft_mark %}»: "
        "неизвестный тег «p»: между «{%» и «p» не должно быть пробела.\n"
        "  Как исправить: пишите «{%p …%}» слитно, например «{%p if условие %}»."]


def test_check_template_unclosed_paragraph_block_names_the_closing_tag(here):
    findings = check_template(make(here / "t.docx", "{%p if draft_mark %}", "{{ draft_mark }}", "Конец"), OrderView)
    assert rendered(findings) == [
        "t.docx, основной текст: блок «{%p if draft_mark %}» не закрыт в абзаце «{%p if draft_mark %}».\n"
        "  Как исправить: добавьте после содержимого блока «{%p endif %}» отдельным абзацем."]


def test_check_template_stray_end_tag_is_reported_where_it_is(here):
    findings = check_template(make(here / "t.docx", "{{ heading }}", "{%p endif %}"), OrderView)
    assert [f.message for f in findings] == [
        "лишний тег «{%p endif %}» в абзаце «{%p endif %}»: нет открывающего тега блока перед ним."]


def test_check_template_wrong_end_tag_names_the_open_block(here):
    findings = check_template(make(here / "t.docx", "{%p for p in points %}", "{{ p.text }}", "{%p endif %}"),
                              OrderView)
    assert rendered(findings) == [
        "t.docx, основной текст: тег «{%p endif %}» в абзаце «{%p endif %}» не подходит к открытому блоку "
        "«{%p for p in points %}» в абзаце «{%p for p in points %}».\n"
        "  Как исправить: закройте блок тегом «{%p endfor %}» или исправьте порядок тегов: блоки закрываются "
        "в обратном порядке."]


# ---------------------------------------------------------------- 3. variables

def test_check_template_unknown_variable_suggests_the_close_name(here):
    findings = check_template(make(here / "t.docx", "{{ heading }}", "Заголовок: {{ headng }}"), OrderView)
    assert rendered(findings) == [
        "t.docx, основной текст: неизвестная переменная «headng» в абзаце «Заголовок: {{ headng }}».\n"
        f"  Как исправить: возможно, имелось в виду «heading». Допустимые имена: {ORDER_NAMES}."]


def test_check_template_unknown_field_of_a_table_loop_row(here):
    build = table(["{%tr for row in groups %}", ""], ["{{ row.number }}", "{{ row.titel }}"], ["{%tr endfor %}", ""])
    findings = check_template(make(here / "t.docx", build=build), OrderView)
    assert rendered(findings) == [
        "t.docx, основной текст: у «row» нет поля «titel» в абзаце «{{ row.titel }}».\n"
        "  Как исправить: возможно, имелось в виду «title». Поля «row»: number, title, messenger, purpose, "
        "participants, admin, deadline."]


def test_check_template_nested_fields_and_properties_are_known(here):
    path = make(here / "t.docx", "{{ letterhead.name }} {{ stamp.footer }} {{ signature.name }}",
                "{{ letterhead.nam }}", "{{ stamp.fotter }}", "{{ points[0].txt }}")
    findings = check_template(path, OrderView)
    assert [(f.message, f.fix) for f in findings] == [
        ("у «letterhead» нет поля «nam» в абзаце «{{ letterhead.nam }}».",
         "возможно, имелось в виду «name». Поля «letterhead»: founder, name, short_name, place."),
        ("у «stamp» нет поля «fotter» в абзаце «{{ stamp.fotter }}».",
         "возможно, имелось в виду «footer». Поля «stamp»: kind, key, digests, fingerprint, footer, qr_text."),
        ("у «points[0]» нет поля «txt» в абзаце «{{ points[0].txt }}».",
         "возможно, имелось в виду «text». Поля «points[0]»: number, text."),
    ]


def test_check_template_loop_variables_set_and_loop_are_not_unknown(here):
    path = make(here / "t.docx", "{%p for p in points %}", "{{ loop.index }}. {{ p.text }}", "{%p endfor %}",
                "{% set who = signature %}{{ who.name }} {{ who.nme }}")
    assert [f.message for f in check_template(path, OrderView)] == [
        "у «who» нет поля «nme» в абзаце «{% set who = signature %}{{ who.name }} {{ who.nme }}»."]


@dataclasses.dataclass(frozen=True)
class _Person:
    name: str


@dataclasses.dataclass(frozen=True)
class _Act:
    title: str


@dataclasses.dataclass(frozen=True)
class _View:
    rows: tuple[_Person | _Act, ...]
    anything: tuple


def test_check_template_union_rows_accept_fields_of_either_type(here):
    path = make(here / "t.docx", "{%p for r in rows %}", "{{ r.name }} {{ r.title }} {{ r.date }}", "{%p endfor %}",
                "{%p for x in anything %}", "{{ x.whatever }}", "{%p endfor %}")
    assert [f.fix for f in check_template(path, _View)] == ["Поля «r»: name, title."]


def test_check_template_without_view_type_checks_only_the_tags(here):
    assert check_template(make(here / "t.docx", "{{ no_such_field }}"), None) == []


# ---------------------------------------------------------------- 4. docxtpl's own tags

def test_check_template_paragraph_tag_with_text_loses_the_text(here):
    findings = check_template(make(here / "t.docx", "Текст {%p if draft_mark %}", "A", "{%p endif %}"), OrderView)
    assert rendered(findings) == [
        "t.docx, основной текст: тег «{%p if draft_mark %}» в абзаце «Текст {%p if draft_mark %}» заменяет "
        "абзац целиком: текст «Текст» рядом с ним пропадёт из документа.\n"
        "  Как исправить: поставьте тег «{%p if draft_mark %}» один в отдельном абзаце (Enter до и после тега)."]


def test_check_template_paragraph_text_loss_is_real_in_docxtpl(here):
    """What the finding above warns about: docxtpl drops the paragraph with its text."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(make(here / "t.docx", "Текст {%p if x %}", "A", "{%p endif %}")))
    template.render({"x": True}, jinja_env=render_docx.jinja_environment())
    assert [p.text for p in template.docx.paragraphs] == ["A"]


def test_check_template_row_tag_with_fields_in_its_row_loses_them(here):
    build = table(["{%tr for row in groups %}", "{{ row.number }}"], ["{{ row.title }}", ""], ["{%tr endfor %}", ""])
    findings = check_template(make(here / "t.docx", build=build), OrderView)
    assert rendered(findings) == [
        "t.docx, основной текст: тег «{%tr for row in groups %}» в абзаце «{%tr for row in groups %}» заменяет "
        "строку таблицы целиком: текст «{{ row.number }}» рядом с ним пропадёт из документа.\n"
        "  Как исправить: поставьте тег «{%tr for row in groups %}» один в отдельной строке таблицы, а поля — "
        "в следующей строке."]


def test_check_template_row_tag_outside_a_table(here):
    findings = check_template(make(here / "t.docx", "{%tr for r in groups %}", "{{ r.number }}", "{%tr endfor %}"),
                              OrderView)
    assert [f.message for f in findings] == [
        "тег «{%tr for r in groups %}» стоит вне таблицы в абзаце «{%tr for r in groups %}»: «{%tr» повторяет "
        "или убирает целую строку таблицы.",
        "тег «{%tr endfor %}» стоит вне таблицы в абзаце «{%tr endfor %}»: «{%tr» повторяет или убирает "
        "целую строку таблицы."]
    assert findings[0].fix == ("перенесите тег в отдельную строку таблицы или замените «{%tr» на «{%p» "
                               "для абзацев.")


def test_check_template_paragraph_block_closed_by_plain_tag(here):
    findings = check_template(make(here / "t.docx", "{%p if draft_mark %}", "{{ draft_mark }}", "B {% endif %}"),
                              OrderView)
    assert rendered(findings) == [
        "t.docx, основной текст: тег «{% endif %}» в абзаце «B {% endif %}» закрывает блок «{%p if draft_mark %}», "
        "но записан без «p»: при формировании часть документа пропадёт или документ будет повреждён.\n"
        "  Как исправить: запишите его как «{%p endif %}»: парные теги блока пишутся одинаково ({%p … %} — "
        "отдельным абзацем, {%tr … %} — строкой таблицы, {% … %} — внутри текста)."]


# ---------------------------------------------------------------- files and folders

def test_check_template_not_a_docx(here):
    (here / "t.docx").write_bytes(b"not a zip")
    assert rendered(check_template(here / "t.docx", OrderView)) == [
        f"t.docx: файл не является документом DOCX (Package not found at '{here / 't.docx'}').\n"
        "  Как исправить: сохраните шаблон в Word как «Документ Word (*.docx)»."]


def test_check_template_quotes_long_paragraph_around_the_tag(here):
    text = "А" * 80 + " {{ headng }} " + "Б" * 80
    findings = check_template(make(here / "t.docx", text), OrderView)
    # 60 characters: the tag and 24 on each side (the spaces next to it included)
    assert findings[0].message == f"неизвестная переменная «headng» в абзаце «…{'А' * 23} {{{{ headng }}}} {'Б' * 23}…»."


def test_check_templates_reports_missing_and_unknown_files_skips_word_locks(here):
    folder = here / "tpl"
    shutil.copytree(render_docx.default_templates_dir(), folder)
    (folder / "order.docx").rename(folder / "приказ.docx")
    (folder / "~$приказ.docx").write_bytes(b"Word lock file")
    results = check_templates(folder)
    assert sorted(p.name for p in results) == ["acknowledgement_sheet.docx", "monthly_report.docx", "order.docx",
                                               "order_register.docx", "приказ.docx"]
    assert rendered(results[folder / "order.docx"]) == [
        "tpl/order.docx: шаблон не найден: без него не сформировать приказ в DOCX.\n"
        f"  Как исправить: верните файл order.docx в папку tpl (исходный — в "
        f"{render_docx.default_templates_dir()}).".replace(f"{here}/", "")]
    assert [(f.severity, f.render()) for f in results[folder / "приказ.docx"]] == [
        (WARNING, "tpl/приказ.docx: замечание: программа не использует шаблон с таким именем, его переменные не "
                  "проверены.\n  Как исправить: шаблоны называются order.docx, acknowledgement_sheet.docx, "
                  "monthly_report.docx, order_register.docx; переименуйте файл, если это один из них.")]


def test_check_templates_view_module_not_there_yet_is_a_note(here, monkeypatch):
    monkeypatch.setitem(template_check.VIEW_TYPES, "order_register.docx",
                        ("compliance.views.no_such_module", "OrderRegisterView", "журнал регистрации приказов"))
    view_type, note = template_check.view_type_for("order_register.docx")
    assert view_type is None
    assert note == ("эта версия программы ещё не формирует документ «журнал регистрации приказов», переменные "
                    "не проверены.", "обновите программу или не используйте этот шаблон.")


def test_check_template_first_page_header_is_named(here):
    document = docx.Document(str(render_docx.default_templates_dir() / "order.docx"))
    document.sections[0].first_page_header.paragraphs[0].add_run("{{ nmber }}")
    document.save(str(here / "t.docx"))
    findings = check_template(here / "t.docx", OrderView)
    assert [(f.part, f.message) for f in findings] == [
        ("верхний колонтитул первой страницы", "неизвестная переменная «nmber» в абзаце «{{ nmber }}».")]


def test_finding_render_has_the_fix_on_its_own_line():
    finding = TemplateFinding("templates/order.docx", "основной текст", "что не так.", "что сделать.")
    assert finding.render() == "templates/order.docx, основной текст: что не так.\n  Как исправить: что сделать."

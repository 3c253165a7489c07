"""Templates are data, not code: a DOCX template from the internet with server-side-template-injection payloads.

Each payload is put as a paragraph into a copy of templates/acknowledgement_sheet.docx. Rendering (in the
Jinja sandbox of render/docx.py) stops with a TemplateProblem naming the template, quoting the tag and saying
how to fix it; nothing is run, no file is read, no document is written. `templates check` reports the same
before anyone renders (computations that are too big can only be seen when rendering).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from compliance.errors import TemplateProblem
from robustness.cases import Case
from robustness.common import SAMPLE, run

SECTION = "Вредоносные шаблоны DOCX"
ORDER = 5                    # place of this section in docs/robustness.md
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LABEL = "templates/acknowledgement_sheet.docx"

ATTRIBUTE_FIX = "шаблон может только подставлять поля документа; служебные атрибуты (на «_») ему недоступны."
FILES = ("подключение другого файла («include», «import» или «extends»)",
         "шаблон DOCX не может читать другие файлы; перенесите нужный текст в сам шаблон.")
LIMIT_FIX = "шаблон только подставляет поля документа; уберите из тега вычисление."
CHECK_SAID_OK = "`templates check` говорил «в порядке»"


def attribute(case_id, given, payload, name, *, check=True):
    return Case(case_id, given, f"отказ: «недопустимое обращение «{name}»», шаблон назван, тег процитирован; "
                                "`templates check` находит это заранее",
                fixed=CHECK_SAID_OK, data=(payload, f"недопустимое обращение «{name}»", ATTRIBUTE_FIX, check, name))


def limit(case_id, given, payload, what, fixed):
    return Case(case_id, given, f"отказ сразу: «слишком большое вычисление: {what}»", fixed=fixed,
                data=(payload, f"слишком большое вычисление: {what}", LIMIT_FIX, False, None))


CASES = [
    attribute("ssti-mro-subclasses", "`{{ ''.__class__.__mro__[1].__subclasses__() }}` — путь к любому классу Python",
              "{{ ''.__class__.__mro__[1].__subclasses__() }}", "__class__"),
    attribute("ssti-self-globals", "`{{ self.__init__.__globals__ }}`", "{{ self.__init__.__globals__ }}", "__init__"),
    attribute("ssti-self-private-context", "`{{ self._TemplateReference__context }}`",
              "{{ self._TemplateReference__context }}", "_TemplateReference__context"),
    attribute("ssti-cycler-globals", "`{{ cycler.__init__.__globals__.os.popen('touch pwned').read() }}`",
              "{{ cycler.__init__.__globals__.os.popen('touch pwned').read() }}", "__init__"),
    attribute("ssti-joiner-globals", "`{{ joiner.__init__.__globals__ }}`", "{{ joiner.__init__.__globals__ }}",
              "__init__"),
    attribute("ssti-namespace-globals", "`{{ namespace.__init__.__globals__ }}`",
              "{{ namespace.__init__.__globals__ }}", "__init__"),
    attribute("ssti-lipsum-globals", "`{{ lipsum.__globals__['os'].popen('touch pwned') }}`",
              "{{ lipsum.__globals__['os'].popen('touch pwned') }}", "__globals__"),
    attribute("ssti-cycler-instance", "`{{ cycler(1, 2).next.__func__ }}`", "{{ cycler(1, 2).next.__func__ }}",
              "__func__"),
    attribute("ssti-joiner-call", "`{{ joiner().__call__.__globals__ }}`", "{{ joiner().__call__.__globals__ }}",
              "__call__"),
    attribute("ssti-dict-base", "`{{ dict.__base__.__subclasses__() }}`", "{{ dict.__base__.__subclasses__() }}",
              "__base__"),
    attribute("ssti-attr-filter", "`{{ heading|attr('__class__') }}`", "{{ heading|attr('__class__') }}",
              "__class__"),
    attribute("ssti-attr-filter-escaped", "`{{ heading|attr('\\x5f\\x5fclass\\x5f\\x5f') }}` (подчёркивания кодами)",
              "{{ heading|attr('\\x5f\\x5fclass\\x5f\\x5f') }}", "__class__"),
    attribute("ssti-format-string", "`{{ '{0.__class__}'.format(heading) }}` — обход через строку формата",
              "{{ '{0.__class__}'.format(heading) }}", "__class__"),
    attribute("ssti-view-dict", "`{{ letterhead.__dict__ }}`", "{{ letterhead.__dict__ }}", "__dict__"),
    Case("ssti-include-passwd", "`{% include '/etc/passwd' %}`", f"отказ: «{FILES[0]}»; файл не читается",
         fixed="сообщение с английским текстом «ошибка при подстановке (TypeError: no loader for this environment "
               "specified)»; " + CHECK_SAID_OK,
         data=("{% include '/etc/passwd' %}", *FILES, True, "include")),
    Case("ssti-import-module", "`{% import 'os' as os %}`", f"отказ: «{FILES[0]}»",
         fixed="сообщение с английским текстом «ошибка при подстановке (TypeError: no loader …)»; " + CHECK_SAID_OK,
         data=("{% import 'os' as os %}", *FILES, True, "import")),
    Case("ssti-extends", "`{% extends '/etc/passwd' %}`", f"отказ: «{FILES[0]}»",
         fixed="сообщение с английским текстом «ошибка при подстановке (TypeError: no loader …)»; " + CHECK_SAID_OK,
         data=("{% extends '/etc/passwd' %}", *FILES, True, "extends")),
    Case("ssti-flask-config", "`{{ config }}` (обычная цель в Flask)",
         "отказ: «неизвестная переменная «config»» со списком допустимых переменных",
         data=("{{ config }}", "неизвестная переменная «config»", None, False, None)),
    limit("dos-huge-range", "`{{ range(10**9)|list }}`", "{{ range(10**9)|list }}",
          "range() длиннее 100000 повторений",
          fixed="сообщение с английским текстом «OverflowError: Range too big. The sandbox blocks ranges larger than "
                "MAX_RANGE»"),
    limit("dos-nested-loops", "два вложенных цикла по range(100000) (10¹⁰ шагов)",
          "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
          "циклы range() на 200000 и более повторений (допускается 100000)",
          fixed="шаблон считал 210 с (дальше — дольше): сборка зависала"),
    limit("dos-string-repeat", "`{{ 'x' * 10**8 }}`", "{{ 'x' * 10**8 }}",
          "повторение «*» длиной 100000000 (допускается 10000)",
          fixed="строка в 100 МБ, 3,8 с на документ"),
    limit("dos-list-repeat", "`{{ [1] * 10**9 }}`", "{{ [1] * 10**9 }}",
          "повторение «*» длиной 1000000000 (допускается 10000)", fixed="список на 8 ГБ памяти"),
    limit("dos-power", "`{{ 7 ** 99999999 }}`", "{{ 7 ** 99999999 }}",
          "возведение в степень с результатом больше 4096 бит", fixed="вычисление не заканчивалось и за 30 с"),
]


@pytest.fixture(scope="module")
def view():
    import compliance.build as build

    return build.document_set(build.load(SAMPLE)).sheets[0]


@pytest.fixture
def templates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path / "templates"


def _plant(templates: Path, payload: str) -> None:
    import docx

    path = templates / "acknowledgement_sheet.docx"
    document = docx.Document(str(path))
    document.paragraphs[0].insert_paragraph_before(payload)
    document.save(str(path))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_malicious_template_is_refused_and_nothing_runs(templates, view, case):
    from compliance.render.docx import render

    payload, what, fix, _, _ = case.data
    _plant(templates, payload)
    with pytest.raises(TemplateProblem) as problem:
        render(view, Path("out.docx"), templates_dir=Path("templates"))
    message = str(problem.value)
    assert message.startswith(f"{LABEL}: {what} в тексте «"), message
    assert any(payload[i:i + 12] in message for i in range(len(payload) - 11))   # the tag is quoted
    if fix is not None:
        assert message.endswith(f"».\n  Как исправить: {fix}")
    else:
        assert "\n  Как исправить: используйте одну из переменных: admin, admin_signature," in message
    assert not Path("out.docx").exists() and not Path("pwned").exists()
    assert "root:" not in message


@pytest.mark.parametrize("case", [c for c in CASES if c.data[3]], ids=lambda c: c.id)
def test_templates_check_finds_the_malicious_tag_before_rendering(templates, case):
    payload, what, fix, _, name = case.data
    _plant(templates, payload)
    result = run(["templates", "check", "--templates", "templates"])
    assert result.exit_code == 2
    found = "подключение другого файла" if name in ("include", "import", "extends") else what
    assert f"{LABEL}, основной текст: {found}" in result.stdout + result.stderr
    assert payload in result.stderr
    assert not os.path.exists("pwned")

"""`compliance templates check` end to end: the shipped templates pass, broken copies give exact messages."""
from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from compliance.cli import cli
from compliance.render.docx import default_templates_dir

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("acknowledgement_sheet.docx", "monthly_report.docx", "order.docx", "order_register.docx")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A copy of the shipped templates in ./tpl, as a user who restyles them would have."""
    shutil.copytree(default_templates_dir(), tmp_path / "tpl")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "tpl"


def replace(path: Path, *paragraphs) -> None:
    """Overwrite a template with paragraphs (a tuple is one paragraph of several runs)."""
    document = docx.Document()
    for item in paragraphs:
        paragraph = document.add_paragraph()
        for run in (item,) if isinstance(item, str) else item:
            paragraph.add_run(run)
    document.save(str(path))


def test_templates_check_shipped_templates_exit_0(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["templates", "check"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "".join(f"templates/{name}: в порядке\n" for name in NAMES)
    assert result.stderr == ""


def test_templates_check_unknown_variable_exits_2_with_the_message(folder):
    replace(folder / "order.docx", "{{ heading }}", "Заголовок: {{ headng }}")
    result = CliRunner().invoke(cli, ["templates", "check", "--templates", "tpl"])
    assert result.exit_code == 2
    assert result.stdout == ("tpl/acknowledgement_sheet.docx: в порядке\ntpl/monthly_report.docx: в порядке\n"
                             "tpl/order_register.docx: в порядке\n")
    first, fix, summary = result.stderr.splitlines()
    assert first == "tpl/order.docx, основной текст: неизвестная переменная «headng» в абзаце «Заголовок: {{ headng }}»."
    assert fix.startswith("  Как исправить: возможно, имелось в виду «heading». Допустимые имена: file_stem, ")
    assert summary == ("Ошибок в шаблонах: 1 (шаблонов с ошибками: 1 из 4). Исправьте их в Word и повторите "
                       "проверку.")


def test_templates_check_split_tag_is_a_remark_and_exits_0(folder):
    replace(folder / "order.docx", ("Тема: {{ hea", "ding }}."))
    result = CliRunner().invoke(cli, ["templates", "check", "--templates", "tpl"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[2:4] == [
        "tpl/order.docx: в порядке, замечаний: 1",
        "tpl/order.docx, основной текст: замечание: тег «{{ heading }}» разбит Word на 2 фрагмента в абзаце "
        "«Тема: {{ heading }}.»; программа склеит фрагменты, документ сформируется."]


def test_templates_check_several_broken_templates_lists_all_in_document_order(folder):
    replace(folder / "order.docx", "{% for x in %}", "{% endfor %}")
    replace(folder / "monthly_report.docx", "{%p if summary %}", "{{ summary }}", "Конец {% endif %}")
    result = CliRunner().invoke(cli, ["templates", "check", "--templates", "tpl"])
    assert result.exit_code == 2
    assert result.stderr == (
        "tpl/monthly_report.docx, основной текст: тег «{% endif %}» в абзаце «Конец {% endif %}» закрывает блок "
        "«{%p if summary %}», но записан без «p»: при формировании часть документа пропадёт или документ будет "
        "повреждён.\n"
        "  Как исправить: запишите его как «{%p endif %}»: парные теги блока пишутся одинаково ({%p … %} — "
        "отдельным абзацем, {%tr … %} — строкой таблицы, {% … %} — внутри текста).\n"
        "tpl/order.docx, основной текст: ошибка в теге «{% for x in %}» в абзаце «{% for x in %}»: не хватает "
        "выражения, тег закончился раньше.\n"
        "  Как исправить: запишите тег полностью: {{ поле }}, {% if условие %} … {% endif %}, "
        "{% for строка in список %} … {% endfor %}.\n"
        "Ошибок в шаблонах: 2 (шаблонов с ошибками: 2 из 4). Исправьте их в Word и повторите проверку.\n")


def test_templates_check_missing_template_exits_2(folder):
    (folder / "acknowledgement_sheet.docx").unlink()
    result = CliRunner().invoke(cli, ["templates", "check", "--templates", "tpl"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == ("tpl/acknowledgement_sheet.docx: шаблон не найден: без него не "
                                             "сформировать лист ознакомления в DOCX.")


def test_templates_check_missing_folder_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["templates", "check", "--templates", "нет-такой"])
    assert result.exit_code == 2
    assert result.stderr == ("папка шаблонов «нет-такой» не найдена.\n"
                             "  Как исправить: укажите папку с файлами .docx, например --templates templates.\n")

"""Personal data: documents for publication (`build --redact`), what logs and outputs may carry.

152-ФЗ: children's and parents' names are not published without consent (ст. 10.1); staff names are, by law
(273-ФЗ ст. 29). So with --redact students and parents print as initials «А.П.» (surname and first name:
a parent's full surname would give the child's away), chat excerpts are left out, staff keep their names,
and every figure stays the same.
"""
from __future__ import annotations

import re
import shutil

import pytest

from compliance.build import load
from extract import docx_text, pdf_text, xlsx_text
from robustness.cases import Case
from robustness.common import SAMPLE, run

SECTION = "Персональные данные: документы для публикации, журналы работы программы"
ORDER = 8                    # place of this section in docs/robustness.md
FORMATS = ("docx", "xlsx", "pdf")
READ = {"docx": docx_text, "xlsx": xlsx_text, "pdf": pdf_text}
FINDING = """\
findings:
  - {id: f-robiks-parents-202611-77-personal, group: robiks-parents, message: "77", date: 2026-11-12, time: "10:05",
     category: персональные данные, clause: "4", excerpt: "Полина заболела, звоните +7 9** ***-**-12",
     status: подтверждено, note: сообщение удалено, violation: v-2026-11-01}
"""

CASES = [
    Case("redact-students-and-parents-as-initials", "`build --redact`: листы ознакомления и отчёт",
         "обучающиеся и родители — только «А.П.» (первые буквы фамилии и имени); ни одной их фамилии нет ни в "
         "DOCX, ни в XLSX, ни в PDF", data="initials"),
    Case("redact-staff-keep-names", "`build --redact`: администраторы групп, директор, делопроизводитель",
         "ФИО работников остаются (их публикация предусмотрена ст. 29 273-ФЗ)", data="staff"),
    Case("redact-chat-excerpts-left-out", "`build --redact`: подтверждённое замечание по переписке с отрывком",
         "вместо отрывка — «отрывок не публикуется»; в обычной сборке — замаскированный отрывок", data="excerpt"),
    Case("redact-figures-unchanged", "`build --redact` и обычная сборка одних записей",
         "числа, даты, группы и пункты те же; те же документы и имена файлов", data="figures"),
    Case("redact-without-flag-full-names", "обычная `build`", "полные ФИО в листах ознакомления (для подписи)",
         data="full"),
    Case("logs-carry-no-personal-data", "`compliance -v check` и `compliance -v build --redact`: журнал работы",
         "только этапы и пути файлов: ни ФИО обучающихся и родителей, ни отрывков переписки, ни телефонов; "
         "сообщения библиотек («Loading dictionaries from …» pymorphy3) в журнал не попадают",
         fixed="с -v в журнал попадали английские сообщения библиотеки pymorphy3 с путями к словарям",
         data="logs"),
]


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("redact")
    records = root / "records"
    shutil.copytree(SAMPLE, records)
    log = records / "log" / "2026-11.yaml"
    log.write_text(log.read_text(encoding="utf-8") + "\n" + FINDING, encoding="utf-8")
    found = {}
    for name, extra in (("plain", []), ("redacted", ["--redact"])):
        result = run(["-v", "build", "--records", str(records), "--out", str(root / name), *extra])
        assert result.exit_code == 0, result.stderr
        found[name] = {path.name: READ[path.suffix[1:]](path) for path in sorted((root / name).iterdir())
                       if path.suffix[1:] in FORMATS}
    found["records"] = load(records)
    return found


def _private(records):
    return [*records.students, *records.parents]


def _case(case_id):
    return [c for c in CASES if c.id == case_id]


@pytest.mark.parametrize("case", _case("redact-students-and-parents-as-initials"), ids=lambda c: c.id)
def test_redacted_documents_name_students_and_parents_by_initials_only(builds, case):
    records = builds["records"]
    staff_words = {p.surname for p in records.staff} | {p.name for p in records.staff}
    sheets = [name for name in builds["redacted"] if name.startswith("Лист_ознакомления")]
    assert sheets
    for name, text in builds["redacted"].items():
        for person in _private(records):
            if person.surname not in staff_words:
                assert not re.search(rf"(?<!\w){person.surname}(?!\w)", text), (name, person.id)
    sheet = builds["redacted"]["Лист_ознакомления_maska-parents_poryadok-1.xlsx"]
    assert "1 | Г.В. | родитель (законный представитель)" in sheet
    assert "2 | Ф.В. | родитель (законный представитель)" in sheet
    report = builds["redacted"]["Отчёт_2026-11.xlsx"]
    assert "\n1 | А.И. | родитель | Изостудия «Радуга». Родители |" in report


@pytest.mark.parametrize("case", _case("redact-staff-keep-names"), ids=lambda c: c.id)
def test_redacted_documents_keep_staff_names(builds, case):
    for fmt in FORMATS:
        sheet = builds["redacted"][f"Лист_ознакомления_maska-parents_poryadok-1.{fmt}"]
        assert "Ковалёв Андрей Петрович" in sheet.replace("\n", " ")
        report = builds["redacted"][f"Отчёт_2026-11.{fmt}"]
        assert "Прохорова" in report and "Кузьмина" in report


@pytest.mark.parametrize("case", _case("redact-chat-excerpts-left-out"), ids=lambda c: c.id)
def test_redacted_report_leaves_chat_excerpts_out(builds, case):
    for fmt in FORMATS:
        plain = re.sub(r"\s+", " ", builds["plain"][f"Отчёт_2026-11.{fmt}"])
        redacted = re.sub(r"\s+", " ", builds["redacted"][f"Отчёт_2026-11.{fmt}"])
        assert "Полина заболела" in plain and "+7 9** ***-**-12" in plain
        assert "Полина" not in redacted and "+7 9**" not in redacted
        assert "персональные данные: отрывок не публикуется" in redacted


@pytest.mark.parametrize("case", _case("redact-figures-unchanged"), ids=lambda c: c.id)
def test_redacted_set_has_the_same_documents_and_figures(builds, case):
    assert sorted(builds["plain"]) == sorted(builds["redacted"])

    def figures(text):
        return re.findall(r"\d+(?:[.,]\d+)*\s*%?", text)

    for name, plain in builds["plain"].items():
        plain = re.sub(r"Полина\s+заболела,\s+звоните\s+\+7\s+9\*\*\s+\*\*\*-\*\*-12", "отрывок не публикуется", plain)
        assert figures(plain) == figures(builds["redacted"][name]), name


@pytest.mark.parametrize("case", _case("redact-without-flag-full-names"), ids=lambda c: c.id)
def test_plain_build_prints_full_names_for_signature(builds, case):
    sheet = builds["plain"]["Лист_ознакомления_maska-parents_poryadok-1.xlsx"]
    assert "1 | Григорьев Вадим Алексеевич | родитель (законный представитель)" in sheet


@pytest.mark.parametrize("case", _case("logs-carry-no-personal-data"), ids=lambda c: c.id)
def test_verbose_logs_name_stages_and_files_only(builds, case, records, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    for args in (["-v", "check", "--records", "records"], ["-v", "build", "--records", "records", "--out", "out",
                                                          "--format", "pdf", "--redact"]):
        assert run(args).exit_code in (0, 1)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Загрузка записей" in logged and "Формирование PDF" in logged
    for person in _private(builds["records"]):
        assert f"{person.surname} {person.name}" not in logged and f"{person.surname} " not in logged
    assert "Полина заболела" not in logged and "+7" not in logged
    # as a user sees it: a real process, where -v sets up the log (pytest's own handlers are not there)
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(SAMPLE.parent)}
    shown = subprocess.run([sys.executable, "-m", "compliance", "-v", "check", "--records", "records"],
                           capture_output=True, text=True, env=env).stderr
    assert shown.splitlines() == ["Загрузка записей из records…", "Проверка по пунктам Порядка…"]

"""`compliance check` on records with one deliberate fault each: exact message, exit 2, records untouched."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from compliance.cli import cli

SAMPLE = Path(__file__).resolve().parents[2] / "records"
TAIL = "Найдено ошибок: {n}. Файлы в records/ не изменены.\n"


@pytest.fixture
def records(tmp_path, monkeypatch):
    shutil.copytree(SAMPLE, tmp_path / "records")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "records"


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return h.hexdigest()


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace `old` by `new` in the file; return the 1-based line where the edit is."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def run_check(records: Path):
    before = digest(records)
    result = CliRunner().invoke(cli, ["check", "--records", "records"])
    assert digest(records) == before, "check must not change records"
    assert "Traceback" not in result.output + result.stderr
    return result


def test_check_sample_records_lists_findings_by_clause_and_exits_1():
    result = CliRunner().invoke(cli, ["check", "--records", str(SAMPLE), "--on", "2026-11-26", "--summary"])
    assert result.exit_code == 1, result.stderr
    assert result.stderr == ""
    assert result.stdout == (
        f"Проверка записей {SAMPLE} на 26.11.2026, журнал за ноябрь 2026 г.\n\n"
        "п. 1 — задачи групп и администратор: в порядке\n\n"
        "п. 2.1 — приказ о создании групп, сроки и участники: замечание — 1\n\n"
        "п. 2.3 — ознакомление участников с локальными актами: нарушение — 60, замечание — 23\n\n"
        "п. 3 — функции администратора: нарушение — 3\n\n"
        "п. 4 — ответственность администратора: сведения — 1\n\n"
        "п. 5.1 — грамотность и деловой стиль: в порядке\n\n"
        "п. 5.2 — персональные темы: в порядке\n\n"
        "Законодательство: нарушение — 2\n\n"
        "Итого: нарушений — 65, замечаний — 24, сведений — 1.\n")


def test_check_group_unknown_admin_reports_line(records):
    line = edit(records / "groups.yaml", "admin: belova-sy", "admin: ivanova-ma")
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/groups.yaml:{line}:12: группа «ДДТ. Изостудия «Радуга». Родители»: администратор «ivanova-ma» "
        "не найден среди сотрудников в people.yaml\n"
        "  Как исправить: добавьте сотрудника с таким id в раздел staff или укажите id существующего сотрудника\n"
        + TAIL.format(n=1))


def test_check_unknown_messenger_lists_allowed_values(records):
    line = edit(records / "groups.yaml", "messenger: VK", "messenger: Viber")
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/groups.yaml:{line}:16: «Viber» — недопустимое значение поля «messenger»\n"
        "  Как исправить: укажите одно из значений: MAX, Сферум, VK, Telegram, WhatsApp\n" + TAIL.format(n=1))


def test_check_impossible_date_reported_once(records):
    line = edit(records / "groups.yaml", "created: 2026-09-16", "created: 2026-02-30")
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/groups.yaml:{line}:14: даты 2026-02-30 не существует\n"
        "  Как исправить: проверьте день и месяц; дата записывается как ГГГГ-ММ-ДД\n" + TAIL.format(n=1))


def test_check_misspelt_key_suggests_the_right_one(records):
    line = edit(records / "groups.yaml", "    registered: 2026-09-17", "    registred: 2026-09-17")
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/groups.yaml:{line}:5: неизвестное поле «registred»\n"
        "  Как исправить: возможно, имелось в виду «registered»; допустимые поля: id, title, messenger, association, "
        "direction, tasks, audience, admin, order, created, registered, requires_acts, members, joined\n" + TAIL.format(n=1))


def test_check_missing_field_points_at_the_record(records):
    line = edit(records / "groups.yaml", "  - id: robiks-parents\n    title: ДДТ. Робикс. Родители\n",
                "  - id: robiks-parents\n")
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/groups.yaml:{line}:5: нет обязательного поля «title» (Название группы, как в мессенджере)\n"
        "  Как исправить: добавьте в эту запись строку «title: …»; образец — в docs/records.md\n" + TAIL.format(n=1))


def test_check_tab_indentation_is_a_syntax_error(records):
    line = edit(records / "institution.yaml", "\nshort_name:", "\n\tshort_name:") + 1
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/institution.yaml:{line}:1: символ табуляции в отступе — YAML допускает только пробелы\n"
        "  Как исправить: замените табуляцию пробелами (по 2 пробела на уровень)\n" + TAIL.format(n=1))


def test_check_unclosed_quote_points_at_the_opening_quote(records):
    line = edit(records / "institution.yaml", "\nplace: ", '\nplace: "') + 1
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/institution.yaml:{line}:8: кавычка открыта, но не закрыта\n"
        "  Как исправить: поставьте закрывающую кавычку в конце значения\n" + TAIL.format(n=1))


def test_check_unclosed_quote_in_flow_record(records):
    line = edit(records / "acknowledgements.yaml", 'sheet: "ЛО-1"}  # Аксёнова Н.С.', 'sheet: "ЛО-1}  # Аксёнова Н.С.')
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/acknowledgements.yaml:{line}:97: кавычка открыта, но не закрыта\n"
        "  Как исправить: поставьте закрывающую кавычку в конце значения\n" + TAIL.format(n=1))


def test_check_duplicate_key_is_an_error_not_an_overwrite(records):
    line = edit(records / "institution.yaml", "\nplace:", "\nplace: с. Другое\nplace:") + 2
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/institution.yaml:{line}:1: ключ «place» повторяется (впервые — в строке {line - 1})\n"
        "  Как исправить: оставьте один ключ: при повторе одно из значений было бы потеряно\n" + TAIL.format(n=1))


def test_check_duplicate_person_id_names_first_line(records):
    path = records / "people.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, text in enumerate(lines, 1) if "{id: st-002," in text)
    lines.insert(first, lines[first - 1])
    path.write_text("".join(lines), encoding="utf-8")
    line = first + 1
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/people.yaml:{line}:10: id «st-002» уже встречается (строка {first})\n"
        "  Как исправить: у каждой записи свой id: переименуйте одну из них\n" + TAIL.format(n=1))


def test_check_python_tag_is_refused_and_never_run(records, tmp_path):
    marker = tmp_path / "pwned"
    line = edit(records / "institution.yaml", "\nplace:", f"\nfounder: !!python/object/apply:os.system ['touch {marker}']\nplace:") + 1
    text = (records / "institution.yaml").read_text(encoding="utf-8")
    (records / "institution.yaml").write_text(text.replace("\nfounder: Управление", "\n# founder: Управление", 1), encoding="utf-8")
    result = run_check(records)
    assert not marker.exists()
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/institution.yaml:{line}:10: недопустимый тег YAML «!!python/object/apply:os.system» — записи содержат "
        "только текст, числа, даты и списки\n"
        "  Как исправить: удалите «!!python/object/apply:os.system» перед значением; такие теги не выполняются и не допускаются\n"
        + TAIL.format(n=1))


def test_check_wrong_type_for_number(records):
    line = edit(records / "people.yaml", "year_of_study: 2}", "year_of_study: два}")
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/people.yaml:{line}:121: «два» в поле «year_of_study» — не целое число\n"
        "  Как исправить: укажите целое число цифрами, например 2\n" + TAIL.format(n=1))


def test_check_acknowledgement_of_missing_version(records):
    line = edit(records / "acknowledgements.yaml", "{person: pr-001, act: poryadok, version: 1,", "{person: pr-001, act: poryadok, version: 3,")
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/acknowledgements.yaml:{line}:46: у акта «poryadok» нет редакции 3\n"
        "  Как исправить: редакции акта: 1\n" + TAIL.format(n=1))


def test_check_missing_required_file(records):
    (records / "people.yaml").unlink()
    result = CliRunner().invoke(cli, ["check", "--records", "records"])
    assert result.exit_code == 2
    assert result.stderr == (
        "records/people.yaml:1:1: нет файла people.yaml\n"
        "  Как исправить: создайте его по образцу из docs/records.md или командой «compliance init»\n" + TAIL.format(n=1))


def test_check_order_file_name_must_match_number(records):
    (records / "orders" / "2026-071-од.yaml").rename(records / "orders" / "2026-072-од.yaml")
    result = run_check(records)
    assert result.exit_code == 2
    assert "records/orders/2026-072-од.yaml:4:9: номер и дата приказа (71-од от 2026 г.) не совпадают с именем файла «2026-072-од.yaml»\n" in result.stderr


def test_check_windows_1251_file_is_refused_with_advice(records):
    path = records / "institution.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251"))
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        "records/institution.yaml:1:3: файл не в кодировке UTF-8 (похоже на Windows-1251)\n"
        "  Как исправить: откройте файл в редакторе и сохраните его в кодировке UTF-8\n" + TAIL.format(n=1))


def test_check_reports_every_problem_of_every_file_in_one_run(records):
    edit(records / "groups.yaml", "messenger: VK", "messenger: Viber")
    edit(records / "people.yaml", "year_of_study: 2}", "year_of_study: два}")
    edit(records / "log" / "2026-11.yaml", "clause: \"5.2\"", "clause: \"6\"") if '"5.2"' in (records / "log" / "2026-11.yaml").read_text(encoding="utf-8") \
        else edit(records / "log" / "2026-11.yaml", "clause: 5.2", "clause: 6")
    result = run_check(records)
    assert result.exit_code == 2
    files = [line.split(":")[0] for line in result.stderr.splitlines() if line.startswith("records/")]
    assert files == ["records/groups.yaml", "records/log/2026-11.yaml", "records/people.yaml"]
    assert result.stderr.endswith(TAIL.format(n=3))


def test_check_missing_records_folder_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--records", "нет-такой"])
    assert result.exit_code == 2
    assert result.stderr == ("Папка с записями «нет-такой» не найдена.\n"
                             "  Как исправить: укажите её в --records или создайте новую командой «compliance init нет-такой».\n")


def test_check_phone_number_in_chat_names_is_refused(records):
    line = edit(records / "people.yaml", "patronymic: Сергеевна, children: [st-001]}",
                "patronymic: Сергеевна, children: [st-001], chat_names: [Мама Полины, 8 916 555 44 33]}")
    result = run_check(records)
    assert result.exit_code == 2
    assert result.stderr == (
        f"records/people.yaml:{line}:107: «8 916 555 44 33» в chat_names похоже на номер телефона, а номера в "
        "записях не хранятся (152-ФЗ): оставьте здесь имя, под которым человек пишет в чате, а номер "
        "сопоставляйте при импорте: --map \"НОМЕР=id\"\n"
        "  Как исправить: сверьтесь с образцом в docs/records.md\n" + TAIL.format(n=1))

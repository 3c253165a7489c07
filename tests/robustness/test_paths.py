"""Ids and paths that could lead a file out of its folder, clash with another or hit a device name.

Record ids become parts of file names (build.render_all: «Лист_ознакомления_<группа>_<акт>-<редакция>.docx»).
The records schema lets ids hold only a-z, 0-9 and «-»; build.file_stem makes sure of every name once more,
in one place. Command arguments and --out/--records are checked before anything is read or written.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from compliance.build import file_stem, render_all
from compliance.errors import InternalError
from robustness.cases import Case
from robustness.common import TAIL, files_of, refused, run

SECTION = "Идентификаторы и пути: выйти из папки, совпасть с другим файлом, попасть на устройство"
ORDER = 3                    # place of this section in docs/robustness.md

PATTERN_FIX = "  Как исправить: нужно: Постоянный идентификатор: латинские строчные буквы, цифры и дефис\n"


def id_case(case_id, given, file, old, new, where, shown, field="id", fix=PATTERN_FIX, fixed=""):
    return Case(case_id, given, f"records/{file}:{where}: «{shown}» — неверная запись поля «{field}»\n{fix}",
                fixed=fixed, data=("records", file, old, new))


def usage(case_id, given, args, stderr, fixed=""):
    return Case(case_id, given, stderr, fixed=fixed, data=("usage", args))


OUT_IN_RECORDS = ("Папка для документов «{0}» совпадает с папкой записей или содержит её.\n"
                  "  Как исправить: укажите в --out отдельную папку, например out/.\n")
NOT_FOR_DOCUMENTS = ("«{0}» не подходит для документов: это папка записей, папка внутри неё или файл.\n"
                     "  Как исправить: укажите в --out отдельную папку, например out/.\n")
NOT_FOR_FILES = ("«{0}» не подходит для файлов: это папка записей, папка внутри неё или файл.\n"
                 "  Как исправить: укажите в --out отдельную папку, например out/.\n")
ORDER_REF = ("«{0}» — не номер приказа.\n"
             "  Как исправить: укажите номер как 45-од (приказ этого года), 45-од/2026 или 2026-045-од.\n")
GROUPS = "raduga-parents, maska-parents, robiks-parents, zvonnitsa-parents, tourists-students, staff-methodical"

CASES = [
    id_case("id-group-dot-dot", "id группы «../../etc»", "groups.yaml", "  - id: raduga-parents", "  - id: ../../etc",
            "10:9", "../../etc"),
    id_case("id-group-slash", "id группы со «/»", "groups.yaml", "  - id: raduga-parents", "  - id: raduga/parents",
            "10:9", "raduga/parents"),
    id_case("id-group-backslash", "id группы с «\\»", "groups.yaml", "  - id: raduga-parents",
            "  - id: raduga\\parents", "10:9", "raduga\\parents"),
    id_case("id-group-nul", "id группы с нулевым символом («\\0» в кавычках)", "groups.yaml",
            "  - id: raduga-parents", '  - id: "raduga\\0parents"', "10:9", "raduga\\u0000parents"),
    id_case("id-group-terminal-escape", "id группы с последовательностью терминала «\\e[2J» (очистить экран)",
            "groups.yaml", "  - id: raduga-parents", '  - id: "raduga\\e[2Jparents"', "10:9", "raduga\\u001b[2Jparents",
            fixed="последовательность печаталась в терминал как есть: сообщение об ошибке очищало экран"),
    id_case("id-group-windows-device-upper", "id группы «CON» (имя устройства Windows)", "groups.yaml",
            "  - id: raduga-parents", "  - id: CON", "10:9", "CON"),
    id_case("id-group-cyrillic-lookalike", "id группы с кириллической «а» вместо латинской", "groups.yaml",
            "  - id: raduga-parents", "  - id: rаduga-parents", "10:9", "rаduga-parents"),
    id_case("id-group-too-long", "id группы из 70 символов (имя файла длиннее 255 байт)", "groups.yaml",
            "  - id: raduga-parents", "  - id: " + "a" * 70, "10:9", "a" * 57 + "…"),
    id_case("id-group-hidden", "id группы «.hidden» (скрытый файл)", "groups.yaml", "  - id: raduga-parents",
            "  - id: .hidden", "10:9", ".hidden"),
    id_case("id-act-dot-dot", "id акта «../poryadok»", "acts/poryadok.yaml", "id: poryadok", "id: ../poryadok",
            "4:5", "../poryadok"),
    id_case("id-person-dot-dot", "id человека «../pr-011»", "people.yaml", "{id: pr-011,", "{id: ../pr-011,",
            "106:10", "../pr-011"),
    id_case("id-series-dot-dot", "индекс серии приказов «../x»", "institution.yaml", "  - index: од",
            "  - index: ../x", "29:12", "../x", field="index",
            fix="  Как исправить: нужно: Индекс серии в номере приказа, например од\n"),
    id_case("id-series-device", "индекс серии приказов «CON»", "institution.yaml", "  - index: од", "  - index: CON",
            "29:12", "CON", field="index", fix="  Как исправить: нужно: Индекс серии в номере приказа, например од\n"),
    id_case("id-month-dot-dot", "месяц журнала «../../2026-11»", "log/2026-11.yaml", 'month: "2026-11"',
            'month: "../../2026-11"', "4:8", "../../2026-11", field="month",
            fix="  Как исправить: нужно: Месяц в виде ГГГГ-ММ (совпадает с именем файла)\n"),
    Case("id-windows-device-names-valid",
         "группы с допустимыми id «con», «nul», «com1», «aux», «prn», «lpt1» (имена устройств Windows)",
         "build пишет «Лист_ознакомления_con_…» и т. д.: имя начинается не с id, все файлы внутри --out",
         data=("devices",)),
    usage("arg-month-dot-dot", "`build --month ../../etc`", ["build", "--month", "../../etc"],
          "Использование: cli build [OPTIONS]\nСправка: «cli build --help».\n\n"
          "Ошибка: Неверное значение '--month': «../../etc» — нужен месяц в виде ГГГГ-ММ, например 2026-11.\n"),
    usage("arg-sheet-group-dot-dot", "`ack sheet ../../etc`", ["ack", "sheet", "../../etc"],
          f"Группы «../../etc» нет в groups.yaml.\n  Как исправить: укажите id группы (есть: {GROUPS}).\n"),
    usage("arg-sheet-act-dot-dot", "`ack sheet raduga-parents --act ../x`",
          ["ack", "sheet", "raduga-parents", "--act", "../x"],
          "Участники группы «raduga-parents» не знакомятся с актом «../x».\n  Как исправить: укажите в --act один "
          "из актов группы (есть: poryadok, chat-rules) или не указывайте --act.\n"),
    usage("arg-order-render-dot-dot", "`order render ../../x`", ["order", "render", "../../x"],
          ORDER_REF.format("../../x")),
    usage("arg-order-render-id-dot-dot", "`order render 2026-045-од/../../x`",
          ["order", "render", "2026-045-од/../../x"], ORDER_REF.format("2026-045-од/../../x")),
    usage("arg-order-sign-dot-dot", "`order sign ../x`", ["order", "sign", "../x"], ORDER_REF.format("../x")),
    usage("arg-ack-person-dot-dot", "`ack record ../x poryadok`", ["ack", "record", "../x", "poryadok", "--date",
                                                                 "2026-11-24"],
          "Человека «../x» нет в people.yaml.\n  Как исправить: укажите id из people.yaml (например: prokhorova-ta, "
          "morozova-in, kuzmina-ev, belova-sy, kovalev-ap, nikitin-ds, grishina-ov, laptev-iv, shevchenko-ar, "
          "st-001, st-002, st-003, …).\n"),
    usage("arg-ack-act-dot-dot", "`ack record pr-011 ../x`", ["ack", "record", "pr-011", "../x", "--date", "2026-11-24"],
          "«../x» — не акт.\n  Как исправить: укажите id акта и, если нужно, номер редакции: chat-rules или "
          "chat-rules:2.\n"),
    usage("arg-order-series-dot-dot", "`order new --series ../x`", ["order", "new", "--series", "../x"],
          "Серии приказов «../x» нет в institution.yaml.\n  Как исправить: укажите одну из серий: од, лс, или "
          "добавьте серию в order_series.\n"),
    usage("arg-order-approve-dot-dot", "`order new --approve ../x`", ["order", "new", "--approve", "../x"],
          "Использование: cli order new [OPTIONS]\nСправка: «cli order new --help».\n\nОшибка: Неверное значение "
          "'--approve': «../x» — укажите id акта и, если нужно, номер редакции: chat-rules:3 или chat-rules.\n"),
    usage("arg-status-group-dot-dot", "`ack status --group ../x`", ["ack", "status", "--group", "../x"],
          f"Группы «../x» нет в groups.yaml.\n  Как исправить: укажите id группы (есть: {GROUPS}).\n"),
    usage("arg-from-sheet-not-xlsx", "`ack record --from-sheet /etc/passwd`", ["ack", "record", "--from-sheet",
                                                                              "/etc/passwd"],
          "/etc/passwd: читаются только листы в формате XLSX.\n  Как исправить: укажите лист ознакомления в формате "
          "XLSX, сформированный командой «compliance ack sheet» или «compliance build»; если лист заполнен в другом "
          "формате, сохраните его как XLSX.\n"),
    usage("out-is-records", "`build --out records`", ["build", "--out", "records"], OUT_IN_RECORDS.format("records")),
    usage("out-inside-records", "`build --out records/out`", ["build", "--out", "records/out"],
          OUT_IN_RECORDS.format("records/out")),
    usage("out-contains-records", "`build --out .` (папка, в которой лежит records/)", ["build", "--out", "."],
          OUT_IN_RECORDS.format(".")),
    usage("out-link-to-records", "`build --out` — символическая ссылка на records/", ["build", "--out", "linkrec"],
          OUT_IN_RECORDS.format("linkrec")),
    usage("out-is-a-file", "`build --out` — файл", ["build", "--out", "afile"],
          "«afile» — это файл, а не папка.\n  Как исправить: укажите в --out папку.\n"),
    usage("out-is-foreign-folder", "`build --out` — чужая непустая папка (её содержимое пропало бы)",
          ["build", "--out", "foreign"],
          "Папка «foreign» не пуста и создана не этой программой; её содержимое было бы заменено.\n"
          "  Как исправить: укажите в --out пустую или новую папку.\n"),
    usage("out-order-render-records", "`order render 45-од --out records/acts`",
          ["order", "render", "45-од", "--out", "records/acts"], NOT_FOR_DOCUMENTS.format("records/acts")),
    usage("out-order-render-file", "`order render 45-од --out` — файл", ["order", "render", "45-од", "--out", "afile"],
          NOT_FOR_DOCUMENTS.format("afile")),
    usage("out-ack-sheet-records", "`ack sheet raduga-parents --out records`",
          ["ack", "sheet", "raduga-parents", "--out", "records"], NOT_FOR_FILES.format("records")),
    usage("out-ack-remind-file", "`ack remind --out` — файл", ["ack", "remind", "--out", "afile"],
          NOT_FOR_FILES.format("afile")),
    usage("records-is-a-file", "`build --records` — файл, а не папка", ["build", "--records", "afile"],
          "«afile» — это файл, а не папка с записями.\n  Как исправить: укажите в --records папку, в которой лежат "
          "institution.yaml, people.yaml и groups.yaml.\n",
          fixed="сообщение «Папка с записями «afile» не найдена» — файл-то есть"),
    usage("records-missing", "`check --records` — папки нет", ["check", "--records", "nonexistent"],
          "Папка с записями «nonexistent» не найдена.\n  Как исправить: укажите её в --records или создайте новую "
          "командой «compliance init nonexistent».\n"),
    usage("verify-not-a-document", "`verify records/people.yaml`", ["verify", "records/people.yaml"],
          "records/people.yaml: это не документ DOCX, XLSX или PDF.\n  Как исправить: укажите документ, "
          "сформированный командой compliance build.\n"),
]

STEMS = [
    ("Приказ_2026-045-од", "Приказ_2026-045-од"),
    ("../../etc/passwd", "etc_passwd"),
    ("a/b\\c", "a_b_c"),
    ("x\x00y", "x_y"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("com1", "_com1"),
    ("Лист_con_poryadok-1", "Лист_con_poryadok-1"),
    (".hidden", "hidden"),
    ("..", "документ"),
    ("", "документ"),
    ("Отчёт 2026:11?*<>|\"", "Отчёт_2026_11"),
    ("строка\nвторая", "строка_вторая"),
    ("я" * 300, "я" * 100),
]
CASES.append(Case("file-stem-sanitised", "имена файлов из любых строк: «../», «/», «\\», NUL, CON, «.», двоеточие, "
                                         "перевод строки, 300 букв",
                  "build.file_stem даёт одно имя внутри папки: «../../etc/passwd» → «etc_passwd», «CON» → «_CON», "
                  "«..» → «документ», не длиннее 200 байт",
                  fixed="имя файла бралось из view.file_stem без проверки (защищали только шаблоны id в записях)",
                  data=STEMS))
CASES.append(Case("file-stem-clash", "два документа с одним именем файла (различие только в регистре)",
                  "сборка останавливается с внутренней ошибкой до записи: один документ не затирает другой",
                  fixed="второй документ молча затёр бы первый", data=("clash",)))


@pytest.fixture
def workdir(records):
    """records/ plus what the --out cases need beside it: a file, a foreign folder, a link to records."""
    Path("afile").write_text("x", encoding="utf-8")
    Path("foreign").mkdir()
    Path("foreign/doc.txt").write_text("y", encoding="utf-8")
    Path("linkrec").symlink_to("records")
    return records


def _id_cases():
    return [c for c in CASES if c.data[0] in ("records", "usage")]


@pytest.mark.parametrize("case", _id_cases(), ids=lambda c: c.id)
def test_hostile_id_or_path_is_refused_before_anything_is_written(workdir, case):
    if case.data[0] == "records":
        _, file, old, new = case.data
        path = workdir / file
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        refused(["build", "--records", "records", "--out", "out"], workdir, case.expected + TAIL.format(n=1))
    else:
        args = case.data[1]
        if "--records" not in args and args[0] != "verify":
            args = [*args, "--records", "records"]
        before = {p: files_of(Path(p)) if Path(p).is_dir() else Path(p).read_bytes() for p in ("afile", "foreign")}
        refused(args, workdir, case.expected)
        assert {p: files_of(Path(p)) if Path(p).is_dir() else Path(p).read_bytes() for p in before} == before
    assert not Path("out").exists()


@pytest.mark.parametrize("case", [c for c in CASES if c.id == "id-windows-device-names-valid"], ids=lambda c: c.id)
def test_windows_device_names_as_group_ids_stay_inside_out(records, case):
    names = {"raduga-parents": "con", "maska-parents": "nul", "robiks-parents": "com1", "zvonnitsa-parents": "aux",
             "tourists-students": "prn", "staff-methodical": "lpt1"}
    for path in records.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for old, new in names.items():
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    result = run(["build", "--records", "records", "--out", "out", "--format", "pdf"])
    assert result.exit_code == 0, result.stderr
    written = sorted(os.listdir("out"))
    assert "Лист_ознакомления_con_poryadok-1.pdf" in written and "Лист_ознакомления_nul_chat-rules-2.pdf" in written
    assert all(not name.split(".")[0].lower() in ("con", "nul", "com1", "aux", "prn", "lpt1") for name in written)
    assert sorted(os.listdir(".")) == ["out", "records"]


@pytest.mark.parametrize("case", [c for c in CASES if c.id == "file-stem-sanitised"], ids=lambda c: c.id)
def test_file_stem_is_one_safe_name_inside_the_folder(tmp_path, case):
    for stem, expected in case.data:
        safe = file_stem(stem)
        assert safe == expected, stem
        assert (tmp_path / f"{safe}.docx").resolve().parent == tmp_path.resolve()
        assert len(f".{os.getpid()}-{safe}.docx".encode()) < 255


@pytest.mark.parametrize("case", [c for c in CASES if c.id == "file-stem-clash"], ids=lambda c: c.id)
def test_two_documents_with_one_file_name_stop_the_build(tmp_path, case):
    import dataclasses

    import compliance.build as build

    records = build.load(Path(__file__).resolve().parents[2] / "records")
    order = next(iter(build.document_set(records).orders))
    twin = dataclasses.replace(order, file_stem=order.file_stem.upper())
    with pytest.raises(InternalError, match="two documents would be written to one file"):
        render_all([order, twin], tmp_path, ["pdf"])
    assert list(tmp_path.iterdir()) == []

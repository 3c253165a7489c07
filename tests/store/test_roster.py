"""store.roster: planning against the records and putting the plan into people.yaml and groups.yaml as text."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from compliance.errors import UsageError
from compliance.imports.roster import PersonName, Roster, RosterRow
from compliance.store.load import load
from compliance.store.roster import import_roster, plan_roster

SAMPLE = Path(__file__).resolve().parents[2] / "records"
ON = dt.date(2026, 12, 1)


@pytest.fixture
def root(tmp_path) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "records")
    return tmp_path / "records"


def roster(*rows: RosterRow, parents: bool = True, simple: bool = True) -> Roster:
    return Roster(path=Path("список.csv"), file_format="CSV", rows=rows, simple_layout=simple, header_row=1,
                  encoding="UTF-8", delimiter=";", has_parent_columns=parents, group_column="Группа",
                  columns={"group": "F «Группа»", "association": "E «Объединение»", "id": "I «id»"})


def person(text: str) -> PersonName:
    surname, name, *rest = text.split()
    return PersonName(surname, name, " ".join(rest) or None)


def row(number: int, student: str, association: str, group: str | None = None, *parents: str,
        birth_year: int | None = None) -> RosterRow:
    return RosterRow(number, person(student), birth_year=birth_year, association=association, group=group,
                     parents=tuple(person(p) for p in parents))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def added(root: Path, name: str) -> list[str]:
    before = (SAMPLE / name).read_text(encoding="utf-8").splitlines()
    after = (root / name).read_text(encoding="utf-8").splitlines()
    import difflib

    return [line[1:] for line in difflib.unified_diff(before, after, n=0, lineterm="")
            if line.startswith("+") and not line.startswith("+++")]


def test_new_association_gets_its_own_heading_in_students_and_parents(root):
    result = import_roster(root, roster(
        row(2, "Носова Ева Игоревна", "Шахматный клуб: «Ладья», дети", None, "Носова Анна Петровна"),
        row(3, "Носов Лев Игоревич", "Шахматный клуб: «Ладья», дети", None, "Носова Анна Петровна")),
        group=None, on=ON, apply=True)
    assert [p.id for p in (*result.plan.students, *result.plan.parents)] == ["st-061", "st-062", "pr-081"]
    assert result.plan.parents[0].children == ("st-061", "st-062") and result.plan.parents[0].rows == (2, 3)
    people = (root / "people.yaml").read_text(encoding="utf-8")
    assert added(root, "people.yaml") == [
        "",
        "  # Шахматный клуб: «Ладья», дети",
        '  - {id: st-061, surname: Носова, name: Ева, patronymic: Игоревна, association: "Шахматный клуб: «Ладья», дети"}',
        '  - {id: st-062, surname: Носов, name: Лев, patronymic: Игоревич, association: "Шахматный клуб: «Ладья», дети"}',
        "",
        "  # Шахматный клуб: «Ладья», дети",
        "  - {id: pr-081, surname: Носова, name: Анна, patronymic: Петровна, children: [st-061, st-062]}"]
    assert yaml.safe_load(people)["students"][-1]["association"] == "Шахматный клуб: «Ладья», дети"
    loaded = load(root)
    assert loaded.people["pr-081"].children == ["st-061", "st-062"]


def test_empty_members_list_and_missing_joined_are_written_as_blocks(root):
    groups = root / "groups.yaml"
    edit(groups, "    members:\n      - st-049  # Бабушкин Е.С.\n", "    members: []  # пока никого\n      - st-049  # Бабушкин Е.С.\n")
    text = groups.read_text(encoding="utf-8")
    start = text.index("    members: []  # пока никого\n") + len("    members: []  # пока никого\n")
    end = text.index("\n  # 6.")
    groups.write_text(text[:start] + text[end:], encoding="utf-8")
    result = import_roster(root, roster(row(2, "Бабушкин Егор Сергеевич", "Юные туристы", "tourists-students")),
                           group=None, on=ON, apply=True)
    assert [(j.group, j.person, j.joined) for j in result.plan.joinings] == [("tourists-students", "st-049", ON)]
    text = groups.read_text(encoding="utf-8")
    assert ("    members:  # пока никого\n"
            "      - st-049  # Бабушкин Е.С.\n"
            "    joined:\n"
            "      st-049: 2026-12-01  # Бабушкин Е.С.\n\n"
            "  # 6. Педагогические работники\n") in text
    assert load(root).groups_by_id["tourists-students"].joined == {"st-049": ON}


def test_existing_joined_block_gets_the_new_entries_under_it(root):
    groups = root / "groups.yaml"
    edit(groups, "      - pr-045  # Фомин В.Н.\n",
         "      - pr-045  # Фомин В.Н.\n    joined:  # вступили позже\n      pr-045: 2026-10-12  # Фомин В.Н.\n")
    import_roster(root, roster(row(2, "Фомина Есения Вячеславовна", "Театральная студия «Маска»", "maska-parents",
                                   "Фомина Людмила Викторовна", "Фомин Вячеслав Николаевич", "Фомина Ольга Петровна")),
                  group=None, on=ON, apply=True)
    assert ("      - pr-045  # Фомин В.Н.\n"
            "      - pr-081  # Фомина О.П.\n"
            "    joined:  # вступили позже\n"
            "      pr-045: 2026-10-12  # Фомин В.Н.\n"
            "      pr-081: 2026-12-01  # Фомина О.П.\n") in groups.read_text(encoding="utf-8")


def test_person_written_as_a_block_mapping_is_not_rewritten(root):
    people = root / "people.yaml"
    edit(people, "  - {id: st-009, surname: Зайцева, name: Арина, patronymic: Павловна, association: Изостудия «Радуга», year_of_study: 3}\n",
         "  - id: st-009\n    surname: Зайцева\n    name: Арина\n    patronymic: Павловна\n"
         "    association: Изостудия «Радуга»\n    year_of_study: 3\n")
    before = people.read_bytes()
    with pytest.raises(UsageError) as caught:
        import_roster(root, roster(row(2, "Зайцева Арина Павловна", "Изостудия «Радуга»", None, birth_year=2016)),
                      group=None, on=ON, apply=True)
    assert str(caught.value) == (
        f"{people}:30: человек записан не одной строкой {{…}}, программа не может изменить запись; ничего не "
        f"записано.\n"
        f"  Как исправить: запишите человека одной строкой, как в docs/records.md, или внесите изменение вручную "
        f"(st-009: год рождения 2016 (раньше не указан)) и повторите загрузку.")
    assert people.read_bytes() == before


def test_namesake_parents_are_narrowed_by_the_child_else_reported(root):
    people = root / "people.yaml"
    edit(people, "  - {id: pr-080, surname: Яковлев, name: Леонид, patronymic: Петрович, children: [st-048]}\n",
         "  - {id: pr-080, surname: Яковлев, name: Леонид, patronymic: Петрович, children: [st-048]}\n"
         "  - {id: pr-081, surname: Гусева, name: Валентина, patronymic: Олеговна, children: [st-001]}\n")
    records = load(root)
    narrowed = plan_roster(records, roster(row(2, "Яковлева Мария Леонидовна", "Ансамбль «Звонница»", None,
                                               "Гусева Валентина Олеговна")), on=ON)
    assert (narrowed.changes, narrowed.ambiguous, narrowed.unchanged) == ((), (), 2)
    unsure = plan_roster(records, roster(row(2, "Носова Ева Игоревна", "Юные туристы", None,
                                             "Гусева Валентина Олеговна")), on=ON)
    assert [(a.row, a.who, a.candidates) for a in unsure.ambiguous] == [
        (2, "родитель Гусева Валентина Олеговна", ("pr-079", "pr-081"))]
    assert "pr-079" not in unsure.absent and "pr-081" not in unsure.absent


def test_missing_patronymic_matches_a_single_person_only(root):
    records = load(root)
    plan = plan_roster(records, roster(row(2, "Медведева Анастасия", "Ансамбль «Звонница»", None)), on=ON)
    assert (plan.students, plan.unchanged) == ((), 1)


def test_absent_parents_are_listed_only_when_all_their_children_are_covered(root):
    records = load(root)
    rows = [row(n, f"{s.surname} {s.name} {s.patronymic}", s.association, None,
                *[f"{p.surname} {p.name} {p.patronymic}" for p in records.parents if s.id in p.children])
            for n, s in enumerate(records.students, start=2) if s.association == "Изостудия «Радуга»" and s.id != "st-006"]
    plan = plan_roster(records, roster(*rows), on=ON)
    assert plan.absent == ("st-006",)     # its parents pr-009, pr-010 also have st-052 in «Юные туристы»
    assert plan.lines()[-2:] == [
        "Нет в списке (не удаляются): 1 — исключите вручную из people.yaml и groups.yaml, если выбыл(а):",
        "  st-006  Гаврилова София Романовна — Изостудия «Радуга»"]


def test_new_association_with_a_typo_is_remarked_with_the_close_name(root):
    plan = plan_roster(load(root), roster(row(7, "Носова Ева Игоревна", "Изостудия Радуга")), on=ON)
    assert plan.remarks == ((7, "объединения «Изостудия Радуга» в записях нет — обучающиеся будут записаны в новое "
                                "объединение; похожее: «Изостудия «Радуга»»; если это опечатка, исправьте название в "
                                "списке"),)


def test_quotes_and_case_of_an_association_do_not_matter(root):
    plan = plan_roster(load(root), roster(row(2, "Орлова Злата Николаевна", 'изостудия "Радуга"')), on=ON)
    assert (plan.students, plan.unchanged, plan.remarks) == ((), 1, ())


def test_duplicate_rows_are_skipped_with_a_remark(root):
    plan = plan_roster(load(root), roster(row(2, "Орлова Злата Николаевна", "Изостудия «Радуга»"),
                                          row(5, "Орлова Злата Николаевна", "Изостудия «Радуга»"),
                                          row(6, "Носова Ева Игоревна", "Изостудия «Радуга»"),
                                          row(9, "Носова Ева Игоревна", "Изостудия «Радуга»")), on=ON)
    assert plan.remarks == ((5, "Орлова Злата Николаевна уже есть в строке 2 — строка пропущена"),
                            (9, "Носова Ева Игоревна уже есть в строке 6 — строка пропущена"))
    assert [p.id for p in plan.students] == ["st-061"]


def test_parent_group_without_any_parent_is_remarked(root):
    plan = plan_roster(load(root), roster(row(2, "Носова Ева Игоревна", "Изостудия «Радуга»", "raduga-parents"),
                                          parents=False), on=ON)
    assert plan.remarks == ((2, "в группу родителей raduga-parents некого добавить: у обучающегося нет родителей ни в "
                                "списке, ни в people.yaml"),)
    assert plan.joinings == ()


def test_without_parent_columns_the_records_parents_join_the_parent_group(root):
    groups = root / "groups.yaml"
    edit(groups, "      - pr-024  # Тихонов С.В.\n", "")
    plan = plan_roster(load(root), roster(row(2, "Тихонов Лев Сергеевич", "Изостудия «Радуга»", "raduga-parents"),
                                          parents=False), on=ON)
    assert [(j.group, j.person) for j in plan.joinings] == [("raduga-parents", "pr-024")]
    assert not any(pid.startswith("pr-") for pid in plan.absent)



def test_crlf_and_bom_files_stay_so(root):
    people = root / "people.yaml"
    people.write_bytes(b"\xef\xbb\xbf" + people.read_bytes().replace(b"\n", b"\r\n"))
    import_roster(root, roster(row(2, "Бабушкин Егор Сергеевич", "Юные туристы", None, "Бабушкина Ольга Ивановна")),
                  group=None, on=ON, apply=True)
    raw = people.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == raw.count(b"\n")
    assert raw.decode("utf-8-sig").endswith(
        "  - {id: pr-080, surname: Яковлев, name: Леонид, patronymic: Петрович, children: [st-048]}\r\n\r\n"
        "  # Юные туристы\r\n"
        "  - {id: pr-081, surname: Бабушкина, name: Ольга, patronymic: Ивановна, children: [st-049]}\r\n")


NEW_PARENT = "  # Юные туристы\n  - {id: pr-001, surname: Лукина, name: Вера, children: [st-001]}\n"


@pytest.mark.parametrize("parents,expected", [
    ("", "\nparents:\n" + NEW_PARENT),
    ("parents: []  # пока нет\n", "parents:  # пока нет\n" + NEW_PARENT),
])
def test_missing_or_empty_parents_list_is_opened(tmp_path, parents, expected):
    from types import SimpleNamespace

    from compliance.store.roster import NewPerson, RosterPlan
    from compliance.store.roster_text import _edit_people
    from compliance.store.yamlfile import read_located

    head = ("staff:\n  - {id: ivanova-ma, surname: Иванова, name: Мария, position: директор}\n"
            "students:\n  - {id: st-001, surname: Лукин, name: Роман, association: Юные туристы}\n")
    path = tmp_path / "people.yaml"
    path.write_text(head + parents, encoding="utf-8")
    located, problems = read_located(path)
    records = SimpleNamespace(root=tmp_path, students=[SimpleNamespace(id="st-001", association="Юные туристы")])
    plan = RosterPlan(parents=(NewPerson("pr-001", "Лукина", "Вера", None, (2,), children=("st-001",)),))
    edited = _edit_people(head + parents, located, records, plan)
    assert (problems, edited) == ([], head + expected)
    assert yaml.safe_load(edited)["parents"] == [{"id": "pr-001", "surname": "Лукина", "name": "Вера",
                                                  "children": ["st-001"]}]


def test_any_association_text_reads_back_the_same():
    """Whatever an association is called, its flow line reads back as that text (quoted when needed)."""
    import tempfile

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from compliance.store.roster import NewPerson
    from compliance.store.roster_text import _student_line
    from compliance.store.yamlfile import read_located

    alphabet = st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЯ «»\"':,#-.()!?&*[]{}%@`|>0123456789Nn"))

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet, min_size=1, max_size=30).map(str.strip).filter(bool))
    def check(association):
        line = _student_line(NewPerson("st-001", "Лукин", "Роман", None, (2,), association=association))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "people.yaml"
            path.write_text(f"students:\n  - {line}\n", encoding="utf-8")
            located, problems = read_located(path)
        assert problems == [] and located.data["students"][0]["association"] == association

    check()

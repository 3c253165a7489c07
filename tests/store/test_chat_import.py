"""store.chat_import: a month of a chat export → counts and findings in log/ГГГГ-ММ.yaml.

Messages and hits are stand-ins here (the store takes any objects with those fields); the
readers and scanners meet the store in tests/cli/test_import.py.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from compliance.build import load
from compliance.errors import UsageError
from compliance.model.records import FindingCategory
from compliance.store import chat_import as store
from compliance.store.yamlfile import _compose

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "records"
GROUP = "tourists-students"


def message(ident, when, sender="Бабушкин Егор", text="Спасибо!", kind="text", phone=None):
    return SimpleNamespace(id=str(ident), time=dt.datetime.fromisoformat(when), sender=sender, sender_phone=phone,
                           text=text, kind=kind)


def hit(category, clause, excerpt):
    return SimpleNamespace(category=category, clause=clause, excerpt=excerpt)


PEOPLE = {"Бабушкин Егор": "st-049", "Лаптев Игорь": "laptev-iv"}
HITS = {
    "4": [hit(FindingCategory.PERSONAL_DATA, "4", "Мой телефон +7 9** ***-**-89"),
          hit(FindingCategory.PERSONAL_DATA, "4", "второе совпадение той же категории"),
          hit(FindingCategory.QUIET_HOURS, "5.1", "Мой телефон +7 9** ***-**-89")],
    "5": [hit(FindingCategory.OUTDATED, "3", "Сбор на поход 21.11.2026")],
    "9": [hit(FindingCategory.PERSONAL_TOPIC, "5.2", "Продам велосипед")],
}


def export(*extra):
    return [message(1, "2026-10-30T12:00"),
            message(2, "2026-11-02T10:00", "Лаптев Игорь", "", kind="service"),
            message(3, "2026-11-02T10:05", "Лаптев Игорь"),
            message(4, "2026-11-03T22:20"),
            message(5, "2026-11-04T09:00", "Лаптев Игорь"),
            message(6, "2026-11-05T12:00", "Турист 2011"),
            message(7, "2026-11-06T12:00", "", phone=None),
            message(8, "2026-11-07T12:00", "Турист 2011"),
            *extra]


@pytest.fixture
def records(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "records")
    return load(tmp_path / "records")


def tally(month, source="telegram"):
    return store.MonthTally(GROUP, source, month, lambda m: PEOPLE.get(m.sender), lambda m: HITS.get(m.id, []))


def plan(records, messages, month=None, file="a" * 64):
    return store.plan_import(records, file, store.MonthSlice.of(messages, month, tally))


# ---------------------------------------------------------------- the month

def test_month_slice_without_month_keeps_the_latest_month():
    part = store.MonthSlice.of([message(1, "2026-10-30T12:00"), message(2, "2026-11-01T00:00"),
                                message(3, "2026-11-30T23:59")])
    assert (part.month, [m.id for m in part.messages], part.read, part.before, part.after) == ("2026-11", ["2", "3"], 3, 1, 0)


def test_month_slice_with_month_counts_both_sides():
    part = store.MonthSlice.of([message(1, "2026-10-30T12:00"), message(2, "2026-11-01T00:00"),
                                message(3, "2026-12-01T08:00")], "2026-11")
    assert (part.month, [m.id for m in part.messages], part.read, part.before, part.after) == ("2026-11", ["2"], 3, 1, 1)


def test_month_slice_tallies_a_big_earlier_month_and_drops_it_for_a_later_one(monkeypatch):
    monkeypatch.setattr(store.MonthSlice, "DEFER", 2)
    made = []

    def counting(month):
        made.append(month)
        return tally(month)

    part = store.MonthSlice.of([message(1, "2026-10-01T12:00"), message(2, "2026-10-02T12:00"),
                                message(3, "2026-10-03T12:00"), message(4, "2026-11-01T12:00")], tally=counting)
    assert made == ["2026-10", "2026-11"]
    assert (part.month, part.tally.messages, part.before, part.messages) == ("2026-11", 1, 3, [])


def test_plan_counts_senders_and_numbers_unknown_ones_in_order_of_appearance(records):
    made = plan(records, export())
    assert made.chat_import == {
        "group": GROUP, "source": "telegram", "file": "a" * 64, "first": dt.date(2026, 11, 2),
        "last": dt.date(2026, 11, 7), "messages": 6,
        "senders": {"laptev-iv": 2, "неизвестный 1": 2, "st-049": 1, "неизвестный 2": 1}, "unknown_senders": 2}
    assert (made.read, made.before, made.after, made.service) == (8, 1, 0, 1)
    assert made.names == {"laptev-iv": "Лаптев И.В.", "st-049": "Бабушкин Е.С."}


def test_plan_makes_one_finding_per_message_and_category(records):
    made = plan(records, export())
    assert [(f["id"], f.get("sender"), f["time"]) for f in made.findings] == [
        ("f-tourists-students-202611-4-pd", "st-049", "22:20"),
        ("f-tourists-students-202611-4-quiet", "st-049", "22:20"),
        ("f-tourists-students-202611-5-outdated", "laptev-iv", "09:00")]
    assert made.findings[0] == {"id": "f-tourists-students-202611-4-pd", "group": GROUP, "message": "4",
                                "date": dt.date(2026, 11, 3), "time": "22:20", "sender": "st-049",
                                "category": "персональные данные", "clause": "4",
                                "excerpt": "Мой телефон +7 9** ***-**-89", "status": "новое"}


def test_plan_without_messages_in_the_month_is_refused(records):
    with pytest.raises(UsageError) as error:
        plan(records, export(), month="2026-09")
    assert str(error.value) == (
        "В выгрузке нет сообщений участников за сентябрь 2026 г. (по месяцам: 10.2026 — 1, 11.2026 — 7).\n"
        "  Как исправить: укажите в --month месяц, за который есть сообщения, или выгрузите чат заново.")


def test_message_key_of_whatsapp_does_not_depend_on_the_line_number():
    one = message(120, "2026-11-26T21:05", "Гришина Ольга", "Концерт в субботу")
    moved = message(7, "2026-11-26T21:05", "Гришина Ольга", "Концерт в субботу")
    other = message(120, "2026-11-26T21:05", "Гришина Ольга", "Концерт в воскресенье")
    key = store.message_key(one, "whatsapp")
    assert key == store.message_key(moved, "whatsapp") != store.message_key(other, "whatsapp")
    assert key.startswith("262105-") and len(key) == 11
    assert store.message_key(one, "telegram") == "120"


def test_finding_id_of_a_long_group_keeps_within_63_characters():
    found = store.finding_id("a-very-long-group-identifier-that-goes-on-and-on-and-on", "2026-11", "123456",
                             FindingCategory.SPELLING)
    assert found == "f-a-very-long-group-identifier-that-goes-202611-123456-spelling"
    assert len(found) == 63


# ---------------------------------------------------------------- YAML text

@pytest.mark.parametrize(("value", "written"), [
    ("tourists-students", "tourists-students"), ("неизвестный 1", "неизвестный 1"), ("17", '"17"'),
    ("21:05", '"21:05"'), ("yes", '"yes"'), ("2026-11-02", '"2026-11-02"'),
    ("a: b # c", '"a: b # c"'), ('кавычка " и \\', '"кавычка \\" и \\\\"'), ("строка\nвторая", '"строка\\nвторая"'),
    ("\u2028\x07", '"\\u2028\\u0007"'), ("\u202a+7 9** ***-**-12\u202c", '"\\u202a+7 9** ***-**-12\\u202c"'), (dt.date(2026, 11, 2), "2026-11-02"), (5, "5"), (None, "null"),
])
def test_scalar_writes_what_reads_back_the_same(value, written):
    assert store.scalar(value) == written
    located, problems = _compose(Path("x.yaml"), f"key: {written}\n")
    assert not problems and located.data == {"key": value}


def test_scalar_replaces_a_lone_surrogate():
    assert store.scalar("a\ud800b") == '"a\ufffdb"'


LOG = """\
# Журнал за ноябрь
month: "2026-11"

# Нарушения
violations:
  - id: v-1
    date: 2026-11-10
    group: g
    status: новое  # как было

# Замечания проверки переписки
findings: []

# в конце файла
"""


def test_apply_puts_items_into_the_text_and_keeps_every_other_line():
    ops = [("append", "violations", [{"id": "v-2", "person": "st-049"}]),
           ("set", "violations", 0, {"status": "подтверждено", "note": "пояснение"}),
           ("append", "findings", [{"id": "f-1", "time": "10:05"}]),
           ("append", "imports", [{"group": "g", "senders": {"st-049": 2, "неизвестный 1": 1}}])]
    assert store.apply(Path("log.yaml"), LOG, ops, {"st-049": "Бабушкин Е.С."}) == """\
# Журнал за ноябрь
month: "2026-11"

# Нарушения
violations:
  - id: v-1
    date: 2026-11-10
    group: g
    status: подтверждено  # как было
    note: пояснение
  - id: v-2
    person: st-049  # Бабушкин Е.С.

# Замечания проверки переписки
findings:
  - id: f-1
    time: "10:05"

# в конце файла

# Импорт выгрузок переписки: только счётчики, тексты сообщений не сохраняются.
imports:
  - group: g
    senders:
      st-049: 2  # Бабушкин Е.С.
      неизвестный 1: 1
"""


def test_apply_replaces_one_item_and_leaves_its_neighbours():
    text = "imports:\n  - group: a\n    messages: 1\n\n  # b\n  - group: b\n    messages: 2\nfindings: []\n"
    assert store.apply(Path("log.yaml"), text, [("replace", "imports", 0, {"group": "a", "messages": 5})]) == (
        "imports:\n  - group: a\n    messages: 5\n\n  # b\n  - group: b\n    messages: 2\nfindings: []\n")


def test_apply_on_flow_items_goes_through_ruamel_and_says_the_same():
    text = 'month: "2026-11"\nfindings:\n  - {id: f-1, status: новое}\n  - {id: f-2, status: новое}  # второе\n'
    edited = store.apply(Path("log.yaml"), text, [("set", "findings", 1, {"status": "отклонено", "note": "не нарушение"})])
    located, _ = _compose(Path("log.yaml"), edited)
    assert located.data["findings"] == [{"id": "f-1", "status": "новое"},
                                        {"id": "f-2", "status": "отклонено", "note": "не нарушение"}]
    assert "# второе" in edited


# ---------------------------------------------------------------- merging into the log

def test_write_import_twice_adds_nothing_the_second_time(records):
    path = records.root / "log" / "2026-11.yaml"
    first = store.write_import(records.root, plan(records, export()))
    after_first = path.read_bytes()
    again = store.write_import(records.root, plan(records, export()))
    assert (first.already, len(first.added), first.known, first.replaced) == (False, 3, 0, None)
    assert (again.already, again.added) == (True, ())
    assert path.read_bytes() == after_first


def test_write_import_of_a_later_export_replaces_counts_and_adds_only_new_findings(records):
    store.write_import(records.root, plan(records, export()))
    store.review(load(records.root), "f-tourists-students-202611-4-pd", confirm=False, note="телефон школы",
                 today=dt.date(2026, 11, 26))
    later = plan(records, export(message(9, "2026-11-20T12:00")), file="b" * 64)
    done = store.write_import(records.root, later)
    assert (len(done.added), done.known, done.replaced["messages"]) == (1, 3, 6)
    log = load(records.root).logs_by_month["2026-11"]
    assert [(i.file[0], i.messages) for i in log.imports] == [("b", 7)]
    assert [(f.id, f.status.value, f.note) for f in log.findings] == [
        ("f-tourists-students-202611-4-pd", "отклонено", "телефон школы"),
        ("f-tourists-students-202611-4-quiet", "новое", None),
        ("f-tourists-students-202611-5-outdated", "новое", None),
        ("f-tourists-students-202611-9-topic", "новое", None)]


def test_write_import_settles_an_outdated_announcement_whose_deletion_is_logged(records):
    store.write_import(records.root, plan(records, export()))
    path = records.root / "log" / "2026-11.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    what: Объявление о сборе на пеший поход 21.11.2026\n",
        "    what: Объявление о сборе на пеший поход 21.11.2026 (сообщение 5)\n"), encoding="utf-8")
    done = store.write_import(records.root, plan(records, export(), file="c" * 64))
    assert done.settled == ("f-tourists-students-202611-5-outdated",)
    finding = load(records.root).logs_by_month["2026-11"].findings[2]
    assert (finding.status.value, finding.note) == ("отклонено", "объявление удалено 23.11.2026 (запись в разделе deletions)")


def test_write_import_into_a_month_without_log_creates_it(records):
    done = store.write_import(records.root, plan(records, [message(3, "2026-12-02T10:05", "Лаптев Игорь")]))
    assert done.created and done.path == records.root / "log" / "2026-12.yaml"
    assert done.path.read_text(encoding="utf-8") == """\
# Журнал администраторов групп за декабрь 2026 г.
# Персональные данные в описания не вносятся.

month: "2026-12"

# Импорт выгрузок переписки: только счётчики, тексты сообщений не сохраняются.
imports:
  - group: tourists-students
    source: telegram
    file: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    first: 2026-12-02
    last: 2026-12-02
    messages: 1
    senders:
      laptev-iv: 1  # Лаптев И.В.
    unknown_senders: 0
"""


def test_next_violation_id_follows_the_month_and_width(records):
    assert store.next_violation_id(records, "2026-11") == "v-2026-11-04"
    assert store.next_violation_id(records, "2026-12") == "v-2026-12-01"

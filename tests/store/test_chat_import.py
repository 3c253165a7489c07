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
from compliance.store import month_log
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


def plan(records, messages, month=None, file="a" * 64, tally=tally):
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


# ---------------------------------------------------------------- WhatsApp double sends

def whatsapp_tally(month):
    return store.MonthTally("zvonnitsa-parents", "whatsapp", month, lambda m: None,
                            lambda m: [hit(FindingCategory.PERSONAL_TOPIC, "5.2", m.text)])


def test_message_key_of_a_double_send_counts_the_occurrence():
    sent = message(40, "2026-11-03T12:00", "Антонова Галина", "Продаю костюм")
    assert store.message_key(sent, "whatsapp", 2) == store.message_key(sent, "whatsapp") + "-2"
    assert store.message_key(sent, "telegram", 2) == "40"


def test_tally_of_a_whatsapp_double_send_gives_distinct_ids_in_every_export():
    twice = [message(7, "2026-11-03T12:00:05", "Антонова Галина", "Продаю костюм"),
             message(8, "2026-11-03T12:00:40", "Антонова Галина", "Продаю костюм"),
             message(9, "2026-11-03T12:00:50", "Медведева Инна", "Продаю костюм")]
    first = store.MonthSlice.of(twice, "2026-11", whatsapp_tally).tally.findings
    later = store.MonthSlice.of([message(1, "2026-11-01T09:00", "Гришина Ольга", "Добрый день"),
                                 *[message(int(m.id) + 30, m.time.isoformat(), m.sender, m.text) for m in twice]],
                                "2026-11", whatsapp_tally).tally.findings
    ids = [f["id"] for f in first]
    key = store.message_key(twice[0], "whatsapp")
    assert ids == [f"f-zvonnitsa-parents-202611-{key}-topic", f"f-zvonnitsa-parents-202611-{key}-2-topic",
                   f"f-zvonnitsa-parents-202611-{store.message_key(twice[2], 'whatsapp')}-topic"]
    assert [f["id"] for f in later][1:] == ids


# ---------------------------------------------------------------- quiet hours: one finding per sender and night

def quiet_tally(month):
    return store.MonthTally(GROUP, "telegram", month, lambda m: PEOPLE.get(m.sender),
                            lambda m: [hit(FindingCategory.QUIET_HOURS, "5.1", f"текст {m.id}")])


NIGHT = [message(10, "2026-11-05T22:40", "Бабушкин Егор", "a"), message(11, "2026-11-05T22:41", "Лаптев Игорь", "b"),
         message(12, "2026-11-05T23:55", "Бабушкин Егор", "c"), message(13, "2026-11-06T07:10", "Бабушкин Егор", "d"),
         message(14, "2026-11-06T21:30", "Бабушкин Егор", "e")]


def test_tally_bundles_a_senders_messages_of_one_night(records):
    made = plan(records, NIGHT, tally=quiet_tally)
    assert [(f["id"], f["message"], f["date"], f["time"], f.get("sender"), f["excerpt"]) for f in made.findings] == [
        ("f-tourists-students-202611-10-quiet", "10, 12, 13", dt.date(2026, 11, 5), "22:40", "st-049",
         "3 сообщения, 22:40–07:10; первое: текст 10"),
        ("f-tourists-students-202611-11-quiet", "11", dt.date(2026, 11, 5), "22:41", "laptev-iv", "текст 11"),
        ("f-tourists-students-202611-14-quiet", "14", dt.date(2026, 11, 6), "21:30", "st-049", "текст 14")]
    assert [store.message_count(f) for f in made.findings] == [3, 1, 1]


def test_night_excerpt_keeps_within_120_characters():
    excerpt = store.night_excerpt(12, "21:05", "02:40", "слово " * 30)
    assert excerpt == "12 сообщений, 21:05–02:40; первое: " + "слово " * 13 + "слово…"
    assert len(excerpt) <= 120


def test_write_import_of_a_later_export_extends_an_undecided_night_and_never_repeats_it(records):
    store.write_import(records.root, plan(records, NIGHT[:2], tally=quiet_tally))
    longer = store.write_import(records.root, plan(records, NIGHT, file="b" * 64, tally=quiet_tally))
    assert (len(longer.added), longer.known, longer.refreshed) == (1, 2, 1)
    cut = store.write_import(records.root, plan(records, NIGHT[2:], file="c" * 64, tally=quiet_tally))
    assert (len(cut.added), cut.known, cut.refreshed) == (0, 2, 0)      # the night is known by its later messages
    found = [(f.id, f.message, f.excerpt) for f in load(records.root).logs_by_month["2026-11"].findings
             if f.category == FindingCategory.QUIET_HOURS]
    assert found == [("f-tourists-students-202611-10-quiet", "10, 12, 13", "3 сообщения, 22:40–07:10; первое: текст 10"),
                     ("f-tourists-students-202611-11-quiet", "11", "текст 11"),
                     ("f-tourists-students-202611-14-quiet", "14", "текст 14")]


# ---------------------------------------------------------------- outdated: as the export shows it

def test_plan_keeps_an_outdated_announcement_only_if_it_lapsed_before_the_export(records):
    def lapsed(m):
        when = {"5": "2026-11-04T00:00", "6": "2026-11-20T00:00"}.get(m.id)
        return [SimpleNamespace(category=FindingCategory.OUTDATED, clause="3", excerpt=f"объявление {m.id}",
                                lapse=dt.datetime.fromisoformat(when))] if when else []

    def outdated_tally(month):
        return store.MonthTally(GROUP, "telegram", month, lambda m: None, lapsed)

    made = store.plan_import(records, "a" * 64, store.MonthSlice.of(export(), "2026-11", outdated_tally))
    assert ([f["message"] for f in made.findings], made.not_yet) == (["5"], 1)   # the export ends on 07.11


# ---------------------------------------------------------------- unknown senders

def test_plan_names_unknown_senders_for_the_summary_but_the_log_only_counts_them(records):
    made = plan(records, export(message(9, "2026-11-08T12:00", "", phone="+79165554433")))
    assert made.unknown == (store.UnknownSender("неизвестный 1", "Турист 2011", None, 2),
                            store.UnknownSender("неизвестный 2", "", None, 1),
                            store.UnknownSender("неизвестный 3", "", "+79165554433", 1))
    store.write_import(records.root, made)
    text = (records.root / "log" / "2026-11.yaml").read_text(encoding="utf-8")
    assert "Турист" not in text and "5554433" not in text and "      неизвестный 3: 1\n" in text


# ---------------------------------------------------------------- several exports, one write

def test_write_imports_writes_several_groups_and_months_at_once(records, monkeypatch):
    checks = []
    real = month_log.validate
    monkeypatch.setattr(month_log, "validate", lambda root, rendered: checks.append(sorted(p.name for p in rendered))
                        or real(root, rendered))
    october = store.plan_import(records, "d" * 64, store.MonthSlice.of(export(), "2026-10", tally))
    done = store.write_imports(records.root, [plan(records, export()), october,
                                              plan(records, export(message(9, "2026-11-20T12:00")), file="e" * 64)])
    assert checks == [["2026-10.yaml", "2026-11.yaml"]]
    assert [(o.path.name, o.created, len(o.added), o.known) for o in done] == [
        ("2026-11.yaml", False, 3, 0), ("2026-10.yaml", True, 0, 0), ("2026-11.yaml", False, 1, 3)]
    assert done[2].replaced["file"] == "a" * 64
    log = load(records.root).logs_by_month["2026-11"]
    assert [(i.file[0], i.messages) for i in log.imports] == [("e", 7)]
    assert len(log.findings) == 4


# ---------------------------------------------------------------- reviewing several at once

def test_review_many_decides_all_in_one_write_and_numbers_violations(records):
    store.write_import(records.root, plan(records, export()))
    loaded = load(records.root)
    ids = store.select(loaded, "2026-11", group=GROUP, category=None, sender="st-049")
    assert ids == ["f-tourists-students-202611-4-pd", "f-tourists-students-202611-4-quiet"]
    done = store.review_many(loaded, ids, confirm=True, note=None, today=dt.date(2026, 11, 26), violation="new")
    assert [d.violation["id"] for d in done] == ["v-2026-11-04", "v-2026-11-05"]
    log = load(records.root).logs_by_month["2026-11"]
    assert [(f.id, f.status.value, f.violation) for f in log.findings if f.id in ids] == [
        ("f-tourists-students-202611-4-pd", "подтверждено", "v-2026-11-04"),
        ("f-tourists-students-202611-4-quiet", "подтверждено", "v-2026-11-05")]
    assert store.select(load(records.root), "2026-11", sender="st-049") == []


def test_review_many_refuses_all_when_one_is_refused(records):
    store.write_import(records.root, plan(records, export()))
    path = records.root / "log" / "2026-11.yaml"
    before = path.read_bytes()
    with pytest.raises(UsageError):
        store.review_many(load(records.root), ["f-tourists-students-202611-4-pd", "f-tourists-students-202611-5-outdated"],
                          confirm=True, note=None, today=dt.date(2026, 11, 26), violation="new")
    assert path.read_bytes() == before

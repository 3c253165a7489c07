"""Orders as a workflow: numbers per year and series, a new draft, signing in register order."""
from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest

from compliance.build import load
from compliance.errors import UsageError
from compliance.model.records import Order, OrderStatus
from compliance.store.orders import (gap_warning, new_order, next_number, number_ranges, parse_order_ref, register,
                                     resolve_order, sign_order)
from compliance.store.write import parse
from cli_support import copy_sample

SAMPLE = Path(__file__).resolve().parents[2] / "records"
TODAY = dt.date(2026, 11, 26)

NEW_GROUP = """
  # 11. Обучающиеся театральной студии «Маска» — новая группа, приказа ещё нет
  - id: maska-students
    title: ДДТ. Театральная студия «Маска». Обучающиеся
    messenger: MAX
    association: Театральная студия «Маска»
    direction: художественная
    tasks: [информационная, организационная]
    audience: [обучающиеся]
    admin: kovalev-ap  # Ковалёв А.П.
    order: 2026-099-од  # номер будущего приказа
    members: []
"""


@pytest.fixture
def records(tmp_path, monkeypatch):
    return copy_sample(tmp_path, monkeypatch)


@pytest.fixture
def with_new_group(records):
    with open(records / "groups.yaml", "a", encoding="utf-8") as stream:
        stream.write(NEW_GROUP)
    return records


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def order(number: int, date: dt.date, status: str = "подписан", series: str = "од") -> Order:
    return Order(number=number, series=series, date=date, status=status, title="О чём-то",
                 signed_by="prokhorova-ta", executor="kuzmina-ev")


@pytest.mark.parametrize("text,expected", [
    ["45-од", (2026, 45, "од")],
    ["2026-045-од", (2026, 45, "од")],
    ["45-од/2025", (2025, 45, "од")],
    ["№ 45-ОД", (2026, 45, "од")],
    ["records/orders/2025-007-лс.yaml", (2025, 7, "лс")],
])
def test_parse_order_ref_accepts_every_written_form(text, expected):
    ref = parse_order_ref(text, TODAY)
    assert (ref.year, ref.number, ref.series) == expected


@pytest.mark.parametrize("text", ["45", "од-45", "0-од", "2026-45", "45-од/26"])
def test_parse_order_ref_rejects_other_text_with_the_forms(text):
    with pytest.raises(UsageError) as error:
        parse_order_ref(text, TODAY)
    assert str(error.value) == (f"«{text}» — не номер приказа.\n"
                                f"  Как исправить: укажите номер как 45-од (приказ этого года), 45-од/2026 или 2026-045-од.")


def test_resolve_order_of_another_year_names_the_year():
    with pytest.raises(UsageError) as error:
        resolve_order("45-од", ["2026-045-од", "2026-071-од"], dt.date(2027, 1, 10))
    assert str(error.value) == "Приказа № 45-од за 2027 г. нет в records/orders/.\n  Как исправить: укажите год: 45-од/2026."


def test_next_number_counts_only_the_same_year_and_series():
    orders = [order(45, dt.date(2026, 9, 1)), order(71, dt.date(2026, 10, 15)), order(80, dt.date(2025, 12, 1)),
              order(90, dt.date(2026, 10, 1), series="лс")]
    assert next_number(orders, 2026, "од") == 72
    assert next_number(orders, 2027, "од") == 1
    assert next_number(orders, 2026, "лс") == 91


def test_number_ranges_and_gap_warning():
    assert number_ranges([1, 2, 3, 5, 7, 8]) == "1–3, 5, 7, 8"
    assert gap_warning([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                        29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 48], 2026, "од") == \
        "Пропущены номера: 46, 47 за 2026 г. (серия од)"
    assert gap_warning([45, 71], 2026, "од") == "Пропущены номера: 1–44, 46–70 за 2026 г. (серия од)"
    assert gap_warning([1, 2], 2026, "од") is None


EXPECTED_DRAFT = """\
# Приказ № 72-од за 2026 г. Имя файла: год-номер-индекс (номер — три цифры).
# Проект подписывается командой «compliance order sign 72-од/2026 --date ГГГГ-ММ-ДД»:
# она ставит статус «подписан» и дату подписания.

number: 72
series: од
date: 2026-11-20   # дата подписания; у проекта — предполагаемая
status: проект     # проект, подписан или отменён
title: О создании групп в мобильных мессенджерах

# Преамбула (цель и основание); после неё в приказе печатается «ПРИКАЗЫВАЮ:».
# Пусто (null) — стандартная преамбула о целях групп в мессенджерах.
basis: null

# Кто подписывает и кто готовил приказ: id из people.yaml.
signed_by: prokhorova-ta   # директор Т.А. Прохорова
executor: kuzmina-ev       # делопроизводитель Е.В. Кузьмина

# Группы, которые создаёт приказ, — в groups.yaml (у них order: 2026-072-од):
# maska-students.

# Сроки исполнения.
deadlines:
  groups_created: 2026-11-27   # создать группы
  acknowledged: 2026-12-11     # ознакомить участников под подпись

# Какие редакции локальных актов утверждаются приказом.
approves: []

# Контроль за исполнением: пусто — директор оставляет за собой.
control: null
"""


def test_new_order_for_a_waiting_group_is_draft_72_and_points_the_group(with_new_group):
    records = with_new_group
    groups_before = (records / "groups.yaml").read_text(encoding="utf-8")
    made = new_order(records, date=dt.date(2026, 11, 20), today=TODAY)
    assert (made.id, made.registration_number, made.groups, made.moved) == ("2026-072-од", "72-од", ("maska-students",), ())
    assert made.path == records / "orders" / "2026-072-од.yaml"
    assert made.warnings == ("Пропущены номера: 1–44, 46–70 за 2026 г. (серия од)",)
    assert made.path.read_text(encoding="utf-8") == EXPECTED_DRAFT
    assert changed_lines(groups_before, (records / "groups.yaml").read_text(encoding="utf-8")) == [
        "-    order: 2026-099-од  # номер будущего приказа", "+    order: 2026-072-од  # номер будущего приказа"]
    loaded = load(records)
    assert loaded.orders_by_id["2026-072-од"].status == OrderStatus.DRAFT
    assert loaded.groups_by_id["maska-students"].order == "2026-072-од"


def test_new_order_approving_a_new_version_adds_it_to_the_act(records):
    act_before = (records / "acts" / "chat-rules.yaml").read_text(encoding="utf-8")
    made = new_order(records, approves=[("chat-rules", None)], date=dt.date(2026, 11, 20),
                     basis="В целях защиты персональных данных обучающихся, в соответствии с Федеральным законом "
                           "от 27.07.2006 № 152-ФЗ «О персональных данных»", today=TODAY)
    assert made.title == "Об утверждении новой редакции Правил использования чата"
    assert made.new_versions == (("chat-rules", 3),)
    assert changed_lines(act_before, (records / "acts" / "chat-rules.yaml").read_text(encoding="utf-8")) == [
        "+",
        "+  - version: 3",
        "+    approved_by: 2026-072-од",
        "+    effective: 2026-11-20     # с даты приказа; подпишут другой датой — дата перенесётся",
        "+    changes: null             # что изменилось по сравнению с прежней редакцией — впишите",
    ]
    text = made.path.read_text(encoding="utf-8")
    assert ("basis: >-\n  В целях защиты персональных данных обучающихся, в соответствии с Федеральным\n"
            "  законом от 27.07.2006 № 152-ФЗ «О персональных данных»\n") in text
    assert "approves:\n  - act: chat-rules\n    version: 3\n" in text
    assert "  groups_created: 2026-11-20   # новые группы приказ не создаёт: срок равен дате приказа\n" in text
    loaded = load(records)
    assert loaded.orders_by_id["2026-072-од"].basis.startswith("В целях защиты персональных данных обучающихся, в")


def test_new_order_title_with_yaml_characters_is_quoted(records):
    made = new_order(records, title="О внесении изменений: «группы» # 2", date=dt.date(2026, 11, 20), today=TODAY)
    assert "title: 'О внесении изменений: «группы» # 2'\n" in made.path.read_text(encoding="utf-8")
    assert load(records).orders_by_id[made.id].title == "О внесении изменений: «группы» # 2"
    assert "deadlines: null\n" in made.path.read_text(encoding="utf-8")


def test_new_order_in_another_series_and_year_starts_at_one(records):
    made = new_order(records, title="О назначении администраторов", series="лс", date=dt.date(2027, 1, 12), today=TODAY)
    assert made.id == "2027-001-лс" and made.warnings == ()


def test_new_order_with_nothing_to_do_is_a_usage_error(records):
    with pytest.raises(UsageError) as error:
        new_order(records, date=dt.date(2026, 11, 20), today=TODAY)
    assert str(error.value) == (
        "Не из чего составить проект приказа: у всех групп в groups.yaml уже есть приказ, а --group, --approve "
        "и --title не указаны.\n"
        "  Как исправить: добавьте новые группы в groups.yaml (в поле order — номер будущего приказа, его покажет "
        "«compliance order list») и повторите команду; или укажите --approve АКТ для новой редакции акта; "
        "или --title с заголовком приказа.")


def test_new_order_for_a_group_of_a_signed_order_is_refused(records):
    with pytest.raises(UsageError) as error:
        new_order(records, groups=["maska-parents"], date=dt.date(2026, 11, 20), today=TODAY)
    assert str(error.value) == (
        "Группа «maska-parents» уже создана приказом № 45-од от 01.09.2026 (подписан); новый приказ её не создаёт.\n"
        "  Как исправить: уберите «--group maska-parents»; новый приказ создаёт только новые группы.")


def test_new_order_for_an_unknown_group_suggests_close_ids(records):
    with pytest.raises(UsageError) as error:
        new_order(records, groups=["maska-parent"], date=dt.date(2026, 11, 20), today=TODAY)
    assert str(error.value) == ("Группы «maska-parent» нет в groups.yaml.\n"
                                "  Как исправить: укажите id группы из groups.yaml (возможно, вы имели в виду: maska-parents).")


def test_new_order_approving_an_approved_version_is_refused(records):
    with pytest.raises(UsageError) as error:
        new_order(records, approves=[("chat-rules", 2)], date=dt.date(2026, 11, 20), today=TODAY)
    assert str(error.value) == (
        "Редакция 2 акта «chat-rules» уже утверждена приказом № 71-од от 15.10.2026 (подписан).\n"
        "  Как исправить: чтобы утвердить новую редакцию, укажите --approve chat-rules:3 (или просто --approve chat-rules).")


def test_new_order_takes_a_group_from_an_earlier_draft(with_new_group):
    records = with_new_group
    first = new_order(records, date=dt.date(2026, 11, 20), today=TODAY)
    second = new_order(records, groups=["maska-students"], date=dt.date(2026, 11, 21), today=TODAY)
    assert second.moved == (("maska-students", first.id),)
    assert second.warnings[-1] == "Не подписаны проекты № 72-од: подписывайте приказы в порядке номеров"
    assert load(records).groups_by_id["maska-students"].order == "2026-073-од"


def test_new_order_with_deadlines_out_of_order_is_refused(with_new_group):
    with pytest.raises(UsageError) as error:
        new_order(with_new_group, date=dt.date(2026, 11, 20), groups_by=dt.date(2026, 11, 30),
                  acknowledge_by=dt.date(2026, 11, 25), today=TODAY)
    assert str(error.value) == ("Срок ознакомления 25.11.2026 раньше срока создания групп 30.11.2026.\n"
                                "  Как исправить: укажите в --acknowledge-by дату не раньше 30.11.2026.")


def test_sign_order_sets_status_and_date_only(with_new_group):
    records = with_new_group
    made = new_order(records, date=dt.date(2026, 11, 20), today=TODAY)
    before = made.path.read_text(encoding="utf-8")
    signed = sign_order(records, "72-од", dt.date(2026, 11, 25), today=TODAY)
    assert (signed.id, signed.date, signed.effective_moved) == ("2026-072-од", dt.date(2026, 11, 25), ())
    assert changed_lines(before, made.path.read_text(encoding="utf-8")) == [
        "-date: 2026-11-20   # дата подписания; у проекта — предполагаемая",
        "-status: проект     # проект, подписан или отменён",
        "+date: 2026-11-25   # дата подписания; у проекта — предполагаемая",
        "+status: подписан   # проект, подписан или отменён",
    ]
    assert load(records).orders_by_id["2026-072-од"].status == OrderStatus.SIGNED


def test_sign_order_moves_dates_left_at_the_draft_date(records):
    made = new_order(records, approves=[("chat-rules", None)], date=dt.date(2026, 11, 20), today=TODAY)
    signed = sign_order(records, made.id, dt.date(2026, 11, 24), today=TODAY)
    assert signed.effective_moved == (("chat-rules", 3),)
    loaded = load(records)
    assert loaded.acts_by_id["chat-rules"].versions[2].effective == dt.date(2026, 11, 24)
    assert loaded.orders_by_id[made.id].deadlines.groups_created == dt.date(2026, 11, 24)
    assert loaded.orders_by_id[made.id].deadlines.acknowledged == dt.date(2026, 12, 4)


def test_sign_order_twice_names_the_signing_date(records):
    with pytest.raises(UsageError) as error:
        sign_order(records, "45-од", dt.date(2026, 11, 25), today=TODAY)
    assert str(error.value) == (
        "Приказ № 45-од уже подписан 01.09.2026; повторно он не подписывается.\n"
        "  Как исправить: проверьте номер (compliance order list); подписанный приказ изменяют или отменяют новым приказом.")


def test_sign_order_before_a_smaller_number_is_refused(with_new_group):
    records = with_new_group
    new_order(records, date=dt.date(2026, 10, 10), groups_by=dt.date(2026, 11, 30), today=TODAY)
    with pytest.raises(UsageError) as error:
        sign_order(records, "72-од", dt.date(2026, 10, 14), today=TODAY)
    assert str(error.value) == (
        "Приказ № 72-од нельзя подписать датой 14.10.2026: приказ № 71-од с меньшим номером подписан позже — "
        "15.10.2026; в журнале номера идут по порядку дат.\n"
        "  Как исправить: подпишите приказ датой не раньше 15.10.2026.")


def test_sign_order_after_a_bigger_number_is_refused(with_new_group):
    records = with_new_group
    new_order(records, date=dt.date(2026, 11, 20), today=TODAY)
    new_order(records, title="О проведении конкурса", date=dt.date(2026, 11, 20), today=TODAY)
    sign_order(records, "73-од", dt.date(2026, 11, 21), today=TODAY)
    with pytest.raises(UsageError) as error:
        sign_order(records, "72-од", dt.date(2026, 11, 23), today=TODAY)
    assert str(error.value) == (
        "Приказ № 72-од нельзя подписать датой 23.11.2026: приказ № 73-од с большим номером подписан раньше — "
        "21.11.2026; в журнале номера идут по порядку дат.\n"
        "  Как исправить: подпишите приказ датой не позже 21.11.2026 или создайте новый проект (compliance order new) "
        "— он получит следующий номер, а этот удалите.")
    assert sign_order(records, "72-од", dt.date(2026, 11, 21), today=TODAY).date == dt.date(2026, 11, 21)


def test_sign_order_in_another_year_is_refused(with_new_group):
    new_order(with_new_group, date=dt.date(2026, 12, 28), today=dt.date(2027, 1, 11))
    with pytest.raises(UsageError) as error:
        sign_order(with_new_group, "72-од/2026", dt.date(2027, 1, 11), today=dt.date(2027, 1, 11))
    assert str(error.value) == (
        "Приказ № 72-од — номер 2026 г., а дата подписания 11.01.2027 — 2027 г.; номера приказов начинаются заново "
        "каждый год.\n"
        "  Как исправить: подпишите датой 2026 г. или создайте новый проект на 2027 г. "
        "(compliance order new --date 2027-01-11 …), а этот удалите.")


def test_sign_order_in_the_future_is_refused(with_new_group):
    new_order(with_new_group, date=dt.date(2026, 11, 20), today=TODAY)
    with pytest.raises(UsageError) as error:
        sign_order(with_new_group, "72-од", dt.date(2026, 12, 26), today=TODAY)
    assert str(error.value).startswith("Дата подписания 26.12.2026 ещё не наступила (сегодня 26.11.2026).")


def test_sign_order_after_a_deadline_is_refused(with_new_group):
    new_order(with_new_group, date=dt.date(2026, 11, 2), today=TODAY)
    with pytest.raises(UsageError) as error:
        sign_order(with_new_group, "72-од", dt.date(2026, 11, 20), today=TODAY)
    assert str(error.value) == (
        "В приказе № 72-од срок создания групп 09.11.2026 раньше даты подписания 20.11.2026.\n"
        "  Как исправить: перенесите сроки (deadlines) в records/orders/2026-072-од.yaml или подпишите приказ "
        "не позже 09.11.2026.")


def test_register_lists_orders_by_year_and_series(with_new_group):
    new_order(with_new_group, date=dt.date(2026, 11, 20), today=TODAY)
    [block] = register(with_new_group)
    assert (block.year, block.series, block.series_title, block.next_number) == (2026, "од", "по основной деятельности", "73-од")
    assert [(line.number, line.date, line.status) for line in block.lines] == [
        ("45-од", "01.09.2026", "подписан"), ("71-од", "15.10.2026", "подписан"), ("72-од", "—", "проект")]
    assert register(with_new_group, 2025) == []


def test_new_order_file_parses_as_the_model(with_new_group):
    made = new_order(with_new_group, date=dt.date(2026, 11, 20), today=TODAY)
    data = parse(made.path.read_text(encoding="utf-8"))
    assert Order.model_validate(dict(data)).status == OrderStatus.DRAFT

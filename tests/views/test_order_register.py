"""The order register view: rows from the sample records, drafts, cancellations, gaps, one per year × series."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from compliance.build import document_set
from compliance.model.records import Acknowledgement, Order, OrderStatus
from compliance.store.load import load
from compliance.views.order import build_order
from compliance.views.order_register import (REGISTER_COLUMNS, RegisterRow, build_order_register,
                                             build_order_registers, named_staff, number_ranges, register_keys)

SAMPLE = Path(__file__).resolve().parents[2] / "records"
NB = "\u00a0"


@pytest.fixture(scope="module")
def records():
    return load(SAMPLE)


def with_orders(records, *orders: Order, replace: dict[str, Order] | None = None):
    """The sample records with extra orders (and some replaced): the registry is rebuilt, not mutated."""
    replace = replace or {}
    kept = tuple((oid, replace.get(oid, order)) for oid, order in records.orders)
    return dataclasses.replace(records, orders=kept + tuple((o.id, o) for o in orders))


def order(number: int, *, year: int = 2026, series: str = "од", status: OrderStatus = OrderStatus.SIGNED,
          **fields) -> Order:
    values = dict(number=number, series=series, date=dt.date(year, 12, 1), status=status,
                  title=f"О проведении конкурса № {number}", signed_by="prokhorova-ta", executor="kuzmina-ev")
    return Order(**{**values, **fields})


def test_register_view_sample_lists_both_orders_by_number(records):
    view = build_order_register(records, 2026, "од")
    assert view.rows == (
        RegisterRow("45-од", "01.09.2026", "О создании групп в мобильных мессенджерах", f"Директор Т.А.{NB}Прохорова",
                    f"Кузьмина{NB}Е.В.", f"ознакомлены 5{NB}из{NB}5", ""),
        RegisterRow("71-од", "15.10.2026", "Об утверждении новой редакции Правил использования чата",
                    f"Директор Т.А.{NB}Прохорова", f"Кузьмина{NB}Е.В.", f"ознакомлены 1{NB}из{NB}1", ""),
    )


def test_register_view_heading_subtitle_total_and_file_stem(records):
    view = build_order_register(records, 2026, "од")
    assert view.file_stem == "Журнал_приказов_2026_од"
    assert (view.heading, view.subtitle) == ("ЖУРНАЛ РЕГИСТРАЦИИ ПРИКАЗОВ", f"по основной деятельности за 2026{NB}год")
    assert view.total == "Всего в журнале: 2 приказа."
    assert view.columns == REGISTER_COLUMNS
    assert [c.header for c in view.columns] == ["Рег. номер", "Дата", "Заголовок (краткое содержание)", "Кем подписан",
                                               "Исполнитель", "Отметка об ознакомлении", "Примечание"]
    assert view.letterhead.short_name == "МКОУ ДО «ДДТ»"


def test_register_view_names_missing_numbers_as_ranges_under_the_table(records):
    view = build_order_register(records, 2026, "од")
    assert view.missing_numbers == "Номера, отсутствующие в записях: 1–44, 46–70."
    assert len(view.rows) == 2        # no filler rows for the numbers the records do not hold


def test_register_view_without_gaps_has_no_missing_numbers_line(records):
    numbered = with_orders(records, order(1), order(2))
    kept = dataclasses.replace(numbered, orders=tuple(item for item in numbered.orders if item[1].number < 3))
    assert build_order_register(kept, 2026, "од").missing_numbers == ""


@pytest.mark.parametrize(("numbers", "text"), [
    ([5], "5"),
    ([1, 2], "1, 2"),
    ([1, 2, 3], "1–3"),
    ([1, 2, 3, 5, 7, 8, 9, 11, 12], "1–3, 5, 7–9, 11, 12"),
    ([], ""),
])
def test_number_ranges_compresses_runs_of_three_or_more(numbers, text):
    assert number_ranges(numbers) == text


def test_register_view_acknowledgement_counts_the_staff_the_order_names(records):
    # the same people as the «С приказом ознакомлены» block of each printed order
    for order_id in ("2026-045-од", "2026-071-од"):
        assert len(named_staff(records, order_id)) == len(build_order(records, order_id).acquainted)
    assert named_staff(records, "2026-071-од") == {"morozova-in"}


def test_register_view_acknowledgement_falls_when_a_named_admin_has_not_signed(records):
    acks = tuple(a for a in records.acknowledgements if not (a.person == "kovalev-ap" and a.act == "chat-rules"))
    view = build_order_register(dataclasses.replace(records, acknowledgements=acks), 2026, "од")
    assert view.rows[0].acknowledgement == f"ознакомлены 4{NB}из{NB}5"


def test_register_view_later_version_counts_for_an_earlier_one(records):
    # signed only edition 2 of the rules: acquainted with order 45-од, which approved edition 1
    acks = tuple(a for a in records.acknowledgements if not (a.person == "kovalev-ap" and a.act == "chat-rules"))
    acks += (Acknowledgement(person="kovalev-ap", act="chat-rules", version=2, date=dt.date(2026, 10, 21)),)
    view = build_order_register(dataclasses.replace(records, acknowledgements=acks), 2026, "од")
    assert view.rows[0].acknowledgement == f"ознакомлены 5{NB}из{NB}5"


def test_register_view_order_naming_nobody_needs_no_acknowledgement(records):
    view = build_order_register(with_orders(records, order(80)), 2026, "од")
    assert view.rows[-1].acknowledgement == "не требуется"


def test_register_view_order_naming_staff_without_acts_has_no_records_of_acknowledgement(records):
    view = build_order_register(with_orders(records, order(80, control="morozova-in")), 2026, "од")
    assert view.rows[-1].acknowledgement == "нет записей об ознакомлении"


def test_register_view_draft_keeps_its_number_and_says_it_is_unsigned(records):
    view = build_order_register(with_orders(records, order(72, status=OrderStatus.DRAFT)), 2026, "од")
    assert view.rows[-1] == RegisterRow("72-од", "—", "О проведении конкурса № 72", "—", f"Кузьмина{NB}Е.В.", "—",
                                        "проект — не подписан")
    assert view.total == "Всего в журнале: 3 приказа (из них проектов — 1)."


def test_register_view_cancelled_order_names_the_cancelling_one_and_vice_versa(records):
    cancelled = records.orders_by_id["2026-071-од"].model_copy(
        update={"status": OrderStatus.CANCELLED, "cancelled_by": "2026-080-од"})
    view = build_order_register(with_orders(records, order(80), replace={"2026-071-од": cancelled}), 2026, "од")
    notes = {row.number: row.note for row in view.rows}
    assert notes == {"45-од": "", "71-од": f"отменён приказом от 01.12.2026 №{NB}80-од",
                     "80-од": f"отменяет приказ от 15.10.2026 №{NB}71-од"}
    assert view.rows[1].date == "15.10.2026"      # a cancelled order keeps its number and date
    assert view.total == "Всего в журнале: 3 приказа (из них отменённых — 1)."
    assert view.missing_numbers == "Номера, отсутствующие в записях: 1–44, 46–70, 72–79."


def test_register_keys_one_per_year_and_series_in_series_order(records):
    more = with_orders(records, order(3, series="лс"), order(1, year=2027), order(2, year=2025, series="лс"))
    assert register_keys(more) == [(2025, "лс"), (2026, "од"), (2026, "лс"), (2027, "од")]
    views = build_order_registers(more)
    assert [v.file_stem for v in views] == ["Журнал_приказов_2025_лс", "Журнал_приказов_2026_од",
                                            "Журнал_приказов_2026_лс", "Журнал_приказов_2027_од"]
    assert views[2].subtitle == f"по личному составу за 2026{NB}год"
    assert [r.number for r in views[2].rows] == ["3-лс"]
    assert views[2].missing_numbers == "Номера, отсутствующие в записях: 1, 2."


def test_register_stamp_covers_its_orders_and_named_staff_only(records):
    stamp = build_order_register(records, 2026, "од").stamp
    assert (stamp.kind, stamp.key) == ("order_register", "2026-од")
    keys = dict(stamp.digests)
    assert {"orders/2026-045-од.yaml", "orders/2026-071-од.yaml", "acknowledgements.yaml#kovalev-ap",
            "groups.yaml#raduga-parents", "people.yaml#morozova-in"} <= set(keys)
    other_series = with_orders(records, order(3, series="лс"))
    assert build_order_register(other_series, 2026, "од").stamp == stamp
    retitled = records.orders_by_id["2026-071-од"].model_copy(update={"title": "Об утверждении Правил"})
    changed = build_order_register(with_orders(records, replace={"2026-071-од": retitled}), 2026, "од").stamp
    assert changed.fingerprint != stamp.fingerprint


def test_document_set_puts_registers_between_orders_and_sheets(records):
    stems = [view.file_stem for view in document_set(records)]
    assert stems.index("Журнал_приказов_2026_од") == 2
    assert stems[:2] == ["Приказ_2026-045-од", "Приказ_2026-071-од"]
    assert stems[3].startswith("Лист_ознакомления_") and stems[-1] == "Отчёт_2026-11"

"""Scan context: official senders by any usual form of their name, the institution's words, the cutoff date."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from compliance.scan import ScanContext, context_for
from compliance.scan.context import month_end, name_variants, normalise_name
from compliance.store.load import load

RECORDS = Path(__file__).resolve().parents[2] / "records"


def test_normalise_name_drops_case_dots_roles_and_yo():
    assert normalise_name("Ковалёв А.П. (педагог)") == "ковалев а п"
    assert normalise_name("  С.Ю.   Белова ") == "с ю белова"


def test_name_variants_cover_messenger_display_forms():
    assert name_variants("Белова", "Светлана", "Юрьевна") == {
        "белова светлана", "светлана белова", "белова с", "белова светлана юрьевна", "светлана юрьевна белова",
        "светлана юрьевна", "белова с ю", "с ю белова"}


def test_scan_context_is_official_and_knows_ignore_case_and_yo():
    context = ScanContext(official_senders=frozenset({"Ковалёв Андрей"}), dictionary=frozenset({"Звонница"}))
    assert context.is_official("КОВАЛЕВ  андрей") and not context.is_official("Мама Вари") and not context.is_official("")
    assert context.knows("ЗВОННИЦА") and not context.knows("радуга")


def test_scan_context_cutoff_is_the_earlier_of_today_and_month_end():
    assert ScanContext(month_end=dt.date(2026, 11, 30), today=dt.date(2026, 12, 1)).cutoff == dt.date(2026, 11, 30)
    assert ScanContext(month_end=dt.date(2026, 11, 30), today=dt.date(2026, 11, 10)).cutoff == dt.date(2026, 11, 10)
    assert ScanContext().cutoff is None
    assert month_end("2026-02") == dt.date(2026, 2, 28)


def test_context_for_sample_group_takes_everything_from_records():
    records = load(RECORDS)
    context = context_for(records, "maska-parents", today=dt.date(2026, 12, 1))
    assert context.quiet_hours == (dt.time(21, 0), dt.time(8, 0))
    assert context.month_end == dt.date(2026, 11, 30)
    for sender in ("Белова Светлана Юрьевна", "С.Ю. Белова", "Андрей Петрович", "Прохорова Т.А.",
                   "ДДТ. Театральная студия «Маска». Родители"):
        assert context.is_official(sender), sender
    assert not context.is_official("Мама Вероники")
    for word in ("Звонница", "Робикс", "Светлогорск", "Аксёнова", "Артёмовна", "художественная"):
        assert context.knows(word), word


def test_context_for_given_month():
    assert context_for(load(RECORDS), "raduga-parents", month="2026-10").month_end == dt.date(2026, 10, 31)

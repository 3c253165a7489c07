"""Outdated announcements: an official post naming a later date that has passed by the end of the month."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from scan_messages import CONTEXT, message, official, spans  # noqa: E402

from compliance.scan import ScanContext, outdated  # noqa: E402
from compliance.scan.outdated import mentioned_dates  # noqa: E402


def found(text, at="2026-11-03 10:00", context=CONTEXT):
    return spans(outdated.find(official(text, at), context), text)


@pytest.mark.parametrize("text, span, date", [
    ("Собрание состоится 06.11.2026 в 18:00.", "06.11.2026", "06.11.2026"),
    ("День открытых дверей — 12 ноября.", "12 ноября", "12.11.2026"),
    ("Поход в субботу 14.11, сбор у входа.", "14.11", "14.11.2026"),
    ("Запись до 28.11.26 у педагога.", "28.11.26", "28.11.2026"),
    ("Праздник переносится с 6 ноября на 13 ноября.", "13 ноября", "13.11.2026"),
    ("Премьера 20 ноября 2026 года.", "20 ноября 2026", "20.11.2026"),
])
def test_outdated_passed_dates_in_official_posts(text, span, date):
    assert found(text) == [(span, f"дата {date} прошла")]


@pytest.mark.parametrize("text", [
    "Новогодний спектакль состоится 26.12.2026.",           # after the month
    "Работы принимаются до 30.11.2026.",                      # the last day has not passed
    "По итогам конкурса 01.11.2026 награждены пятеро.",       # before the post
    "Приказ № 71-од от 12.10.2026 размещён в группе.",        # a document's date
    "Занятие начнётся в 12.10, а не в 12.00.",                # times of day
    "Занятия с 10.30 до 12.00 по субботам.",
    "Зимний поход — 5 декабря.",
    "Оценка 4.5 из 5.",
])
def test_outdated_dates_that_are_not_passed_announcements(text):
    assert found(text) == []


def test_outdated_report_of_the_same_day_is_not_an_announcement():
    assert found("Концерт прошёл 27 ноября, спасибо!", at="2026-11-27 20:00") == []


def test_outdated_only_official_posts_and_people_written_kinds():
    assert outdated.find(message("Собрание 06.11.2026", at="2026-11-03 10:00"), CONTEXT) == []
    assert outdated.find(official("Собрание 06.11.2026", at="2026-11-03 10:00", kind="service"), CONTEXT) == []
    assert outdated.find(official("Афиша: 06.11.2026", at="2026-11-03 10:00", kind="media"), CONTEXT) != []


def test_outdated_today_before_month_end_moves_the_cutoff():
    early = ScanContext(official_senders=CONTEXT.official_senders, month_end=dt.date(2026, 11, 30),
                        today=dt.date(2026, 11, 10))
    assert found("Собрание 06.11.2026, концерт 20.11.2026", context=early) == []
    assert found("Собрание 06.11.2026", context=early) == [("06.11.2026", "дата 06.11.2026 прошла")]
    assert found("Собрание 06.11.2026", context=ScanContext(official_senders=CONTEXT.official_senders)) == []


def test_outdated_year_left_out_is_the_nearest_one():
    posted = dt.date(2026, 12, 20)
    assert [d for d, _, _ in mentioned_dates("каникулы до 10.01 и с 15 декабря", posted)] == [
        dt.date(2027, 1, 10), dt.date(2026, 12, 15)]


def test_outdated_lapse_is_midnight_after_the_last_date():
    assert outdated.lapse(official("Собрание 06.11.2026, концерт 08.11.2026", at="2026-11-03 10:00")) == \
        dt.datetime(2026, 11, 9, 0, 0)
    assert outdated.lapse(official("Спасибо всем!", at="2026-11-03 10:00")) is None
    assert outdated.lapse(official("Собрание 06.11.2026", at="2026-11-03 10:00", kind="service")) is None


@pytest.mark.parametrize("at, text, expected", [
    ("2026-11-05 18:00", "Завтра, 06.11, занятия не будет.", True),     # out of date 07.11 00:00, deletable until 08.11 06:00
    ("2026-11-05 11:00", "Собрание 07.11.2026 в 18:00.", False),        # out of date 08.11 00:00, window closed 07.11 23:00
    ("2026-11-05 13:00", "Собрание 07.11.2026 в 18:00.", True),         # window until 08.11 01:00
    ("2026-11-02 10:00", "Экскурсия 08.11.2026.", False),
])
def test_outdated_whatsapp_announcement_is_deletable_only_within_two_and_a_half_days(at, text, expected):
    assert outdated.deletable(official(text, at=at), "whatsapp") is expected
    assert outdated.deletable(official(text, at=at), "telegram") is True

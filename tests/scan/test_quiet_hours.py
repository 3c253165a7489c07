"""Quiet hours: posts from 21:00 to 08:00 (over midnight), people's posts only, urgent official ones excepted."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from scan_messages import CONTEXT, message, official  # noqa: E402

from compliance.scan import ScanContext, quiet_hours  # noqa: E402
from compliance.scan.quiet_hours import inside  # noqa: E402


@pytest.mark.parametrize("clock, expected", [
    ("20:59", False), ("21:00", True), ("23:59", True), ("00:00", True), ("03:30", True), ("07:59", True),
    ("08:00", False), ("12:00", False),
])
def test_quiet_hours_range_over_midnight(clock, expected):
    assert bool(quiet_hours.find(message("Во сколько занятие?", at=f"2026-11-05 {clock}"), CONTEXT)) is expected


def test_quiet_hours_detail_names_time_and_rules():
    [match] = quiet_hours.find(message("Во сколько занятие?", at="2026-11-05 22:47"), CONTEXT)
    assert (match.start, match.end, match.detail) == (
        0, 19, "сообщение в 22:47, в тихие часы с 21:00 до 08:00 (Правила использования чата)")


@pytest.mark.parametrize("kind, expected", [
    ("text", True), ("media", True), ("poll", True), ("service", False), ("system", False), ("sticker", False),
    ("deleted", False),
])
def test_quiet_hours_only_posts_people_write(kind, expected):
    assert bool(quiet_hours.find(message("", at="2026-11-05 23:00", kind=kind), CONTEXT)) is expected


def test_quiet_hours_urgent_official_posts_are_allowed():
    assert quiet_hours.find(official("Срочно! Занятие отменяется.", at="2026-11-05 22:00"), CONTEXT) == []
    assert quiet_hours.find(official("Не забудьте согласия.", at="2026-11-05 22:00"), CONTEXT) != []
    assert quiet_hours.find(message("Срочно! Кто едет?", at="2026-11-05 22:00"), CONTEXT) != []


def test_quiet_hours_range_within_one_day_and_none():
    assert inside(dt.time(13, 30), dt.time(13, 0), dt.time(15, 0))
    assert not inside(dt.time(15, 0), dt.time(13, 0), dt.time(15, 0))
    assert quiet_hours.find(message("Привет", at="2026-11-05 23:00"), ScanContext()) == []


@pytest.mark.parametrize("at, night", [
    ("2026-11-05 21:00", "2026-11-05"), ("2026-11-05 23:59", "2026-11-05"), ("2026-11-06 00:00", "2026-11-05"),
    ("2026-11-06 07:59", "2026-11-05"), ("2026-11-06 08:00", "2026-11-06"), ("2026-11-06 21:30", "2026-11-06"),
])
def test_quiet_hours_night_of_over_midnight_is_the_evening_it_began(at, night):
    moment = dt.datetime.strptime(at, "%Y-%m-%d %H:%M")
    assert quiet_hours.night_of(moment, dt.time(21, 0), dt.time(8, 0)) == dt.date.fromisoformat(night)


def test_quiet_hours_night_of_within_one_day_is_that_day():
    assert quiet_hours.night_of(dt.datetime(2026, 11, 6, 13, 30), dt.time(13, 0), dt.time(15, 0)) == dt.date(2026, 11, 6)

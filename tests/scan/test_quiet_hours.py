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

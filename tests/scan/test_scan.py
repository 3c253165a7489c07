"""scan(): every scanner over one message, hits in text order, each with its clause and a masked excerpt."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scan_messages import CONTEXT, message, official  # noqa: E402

from compliance.model.records import FindingCategory as C  # noqa: E402
from compliance.scan import SCANNERS, Hit, scan  # noqa: E402


def test_scan_clauses_follow_the_poryadok():
    assert {s.CATEGORY: s.CLAUSE for s in SCANNERS} == {
        C.PERSONAL_DATA: "4", C.PROFANITY: "5.1", C.SPELLING: "5.1", C.STYLE: "5.1", C.PERSONAL_TOPIC: "5.2",
        C.QUIET_HOURS: "5.1", C.OUTDATED: "3"}


def test_scan_parent_message_at_night_with_data_profanity_and_selling():
    text = "Да пиздец, продам коньки б/у, звоните 89001234567"
    hits = scan(message(text, at="2026-11-05 22:15"), CONTEXT)
    masked = "Да п***, продам коньки б/у, звоните +7 9** ***-**-67"
    assert hits == [
        Hit(C.QUIET_HOURS, "5.1", 0, len(text), masked,
            "сообщение в 22:15, в тихие часы с 21:00 до 08:00 (Правила использования чата)"),
        Hit(C.PROFANITY, "5.1", 3, 9, masked, "нецензурное слово «п***»"),
        Hit(C.PERSONAL_TOPIC, "5.2", 11, 17, masked, "купля-продажа"),
        Hit(C.PERSONAL_DATA, "4", 38, 49, masked, "номер телефона"),
    ]


def test_scan_official_post_gets_spelling_style_and_outdated_with_masked_excerpts():
    text = "Собрнаие 06.11.2026, сорян)))  Вопросы: belova@mail.ru"
    hits = scan(official(text, at="2026-11-03 10:00"), CONTEXT)
    assert [(h.category, h.detail) for h in hits] == [
        (C.SPELLING, "«Собрнаие» — возможно, «Собрание»"),
        (C.OUTDATED, "дата 06.11.2026 прошла"),
        (C.STYLE, "разговорное выражение «сорян»"),
        (C.STYLE, "смайлик «)))»"),
        (C.PERSONAL_DATA, "адрес электронной почты"),
    ]
    assert {h.excerpt for h in hits} == {"Собрнаие 06.11.2026, сорян))) Вопросы: b***@mail.ru"}


def test_scan_messenger_lines_are_not_scanned():
    for kind in ("service", "system", "deleted", "sticker"):
        assert scan(message("Мама Вари (89001234567) вступила в группу", at="2026-11-05 23:00", kind=kind),
                    CONTEXT) == []


def test_scan_clean_message_has_no_hits():
    assert scan(message("Спасибо, всё понятно, до встречи на занятии"), CONTEXT) == []
    assert scan(official("Уважаемые родители! Занятие состоится в обычное время."), CONTEXT) == []

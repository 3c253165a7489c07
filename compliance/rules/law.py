"""Legal rules beside the Порядок, kept in one place: a change of law is one edit here.

Each rule names its source and the date it takes effect; it applies only from that date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from ..model.records import Ownership
from ..ru import date_numeric
from .common import group_label
from .findings import Finding, Severity


@dataclass(frozen=True)
class LegalRule:
    code: str
    source: str
    effective: dt.date
    applies: Callable[[object, object], bool]    # (institution, group) → the rule concerns this group
    message: str
    fix: str


LEGAL_RULES = (
    LegalRule(
        code="LAW-41FZ-FOREIGN-MESSENGER",
        source="Федеральный закон от 01.04.2025 № 41-ФЗ",
        effective=dt.date(2025, 6, 1),
        applies=lambda institution, group: institution.ownership in (Ownership.STATE, Ownership.MUNICIPAL)
        and group.messenger.is_foreign,
        message="{group} ведётся в иностранном мессенджере {messenger}: с {effective} государственным и муниципальным "
                "учреждениям запрещено использовать иностранные мессенджеры для общения с гражданами ({source})",
        fix="перенесите группу в национальный мессенджер MAX или в «Сферум» и оформите это приказом",
    ),
)


def check(records, on) -> list[Finding]:
    findings = []
    for rule in LEGAL_RULES:
        if on < rule.effective:
            continue
        for group in records.groups:
            if rule.applies(records.institution, group):
                findings.append(Finding(
                    rule.code, "закон", Severity.VIOLATION,
                    rule.message.format(group=_capital(group_label(group)), messenger=group.messenger.value,
                                        effective=date_numeric(rule.effective), source=rule.source),
                    rule.fix, group=group.id, record="groups.yaml"))
    return findings


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]

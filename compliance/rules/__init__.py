"""Rules, one module per clause group of the Порядок; each returns findings naming its clause."""
from __future__ import annotations

import datetime as dt

from . import clause_1_2_1, clause_2_3, clause_3, clause_4_5, law
from .findings import Finding, Severity, sort_key


def check(records, on: dt.date, month: str | None = None) -> list[Finding]:
    """Every finding about `records` as of the date `on` (and the month log `month`, if given)."""
    findings = [
        *clause_1_2_1.check(records, on),
        *clause_2_3.check(records, on),
        *clause_3.check(records, on, month),
        *clause_4_5.check(records, on, month),
        *law.check(records, on),
    ]
    return sorted(findings, key=sort_key)


__all__ = ["Finding", "Severity", "check"]

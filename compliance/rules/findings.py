"""Findings: what a rule says about the records. Data, not exceptions."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    VIOLATION = "нарушение"      # the Порядок or the law is not followed: check exits 1
    WARNING = "замечание"        # late or incomplete, but done
    NOTICE = "сведения"          # nothing wrong yet (e.g. a deadline still ahead)


CLAUSE_TITLES = {
    "1": "п. 1 — задачи групп и администратор",
    "2.1": "п. 2.1 — приказ о создании групп, сроки и участники",
    "2.3": "п. 2.3 — ознакомление участников с локальными актами",
    "3": "п. 3 — функции администратора",
    "4": "п. 4 — ответственность администратора",
    "5.1": "п. 5.1 — грамотность и деловой стиль",
    "5.2": "п. 5.2 — персональные темы",
    "закон": "Законодательство",
}
CLAUSE_ORDER = tuple(CLAUSE_TITLES)


@dataclass(frozen=True)
class Finding:
    code: str                    # stable: «P2.1-GROUP-NO-ORDER»
    clause: str                  # a key of CLAUSE_TITLES
    severity: Severity
    message: str                 # what is wrong, in Russian, naming the group / person / record
    fix: str                     # what to do
    group: str | None = None     # ids the finding concerns, for filters and reports
    person: str | None = None
    record: str | None = None    # «orders/2026-045-од.yaml», «acts/chat-rules.yaml»
    due: dt.date | None = None   # the deadline involved, if any

    def to_json(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["due"] = self.due.isoformat() if self.due else None
        return data


def sort_key(finding: Finding) -> tuple:
    return (CLAUSE_ORDER.index(finding.clause), finding.code, finding.group or "", finding.person or "", finding.message)

"""Findings as text for a person or JSON for other programs."""
from __future__ import annotations

import json
from collections import Counter

from ..rules.findings import CLAUSE_ORDER, CLAUSE_TITLES, Severity


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def render_findings(loaded, findings, *, records, on, month, fmt, summary) -> tuple[str, int]:
    violations = sum(f.severity == Severity.VIOLATION for f in findings)
    if fmt == "json":
        return json.dumps({"records": str(records), "on": on.isoformat(), "month": month,
                           "violations": violations, "findings": [f.to_json() for f in findings]},
                          ensure_ascii=False, indent=2), violations
    from ..ru import date_numeric, for_month

    lines = [f"Проверка записей {records} на {date_numeric(on)}" + (f", журнал {for_month(int(month[:4]), int(month[5:]))}" if month else "")]
    by_clause: dict[str, list] = {}
    for finding in findings:
        by_clause.setdefault(finding.clause, []).append(finding)
    for clause in CLAUSE_ORDER:
        items = by_clause.get(clause, [])
        lines.append("")
        counts = Counter(f.severity for f in items)
        tally = ", ".join(f"{s.value} — {counts[s]}" for s in Severity if counts[s]) or "в порядке"
        lines.append(f"{CLAUSE_TITLES[clause]}: {tally}")
        if summary:
            continue
        for finding in items:
            lines.append(f"  [{finding.severity.value}] {finding.code}: {finding.message}")
            lines.append(f"    Что сделать: {finding.fix}")
    counts = Counter(f.severity for f in findings)
    lines.append("")
    lines.append(f"Итого: нарушений — {counts[Severity.VIOLATION]}, замечаний — {counts[Severity.WARNING]}, "
                 f"сведений — {counts[Severity.NOTICE]}.")
    return "\n".join(lines).replace("\u00a0", " "), violations

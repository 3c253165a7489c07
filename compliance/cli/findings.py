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


LISTED = 50          # findings of one kind up to this many are printed one by one; more: counted by group
GROUPS_ALL = 40      # up to this many groups are each named in such a count (each administrator sees theirs)
GROUPS_SHOWN = 10    # of more groups, those with the most findings are named; the rest are summed up
WHERE_LISTED = {     # where the findings of a group are listed one by one
    "P2.3-ACK-MISSING": "compliance ack status --group ГРУППА",
    "P2.3-ACK-STALE": "compliance ack status --group ГРУППА",
    "P2.3-ACK-LATE": "compliance check --format json",
    "P4-FINDING-NOT-REVIEWED": "compliance findings --group ГРУППА --status новое",
}


def _by_group(loaded, severity, code: str, findings: list) -> list[str]:
    """Many findings of one kind (17,000 unreviewed chat findings, 500 late signatures) as counts per group,
    the most first, with one example, what to do and where each group's own list is."""
    per_group: dict[str | None, int] = Counter(f.group for f in findings)
    ranked = sorted(per_group.items(), key=lambda item: (-item[1], item[0] or ""))
    groups = sum(1 for g in per_group if g)
    out = [f"  [{severity.value}] {code}: {len(findings)} — "
           + (f"в {groups} {_plural(groups, 'группе', 'группах', 'группах')}, по группам:" if groups else "без групп")]
    shown = len(ranked) if len(ranked) <= GROUPS_ALL else GROUPS_SHOWN
    for group, count in ranked[:shown]:
        if group is None:
            out.append(f"    без группы — {count}")
        else:
            title = loaded.groups_by_id[group].title if group in loaded.groups_by_id else group
            out.append(f"    {group} — {count}: «{title}»")
    rest = ranked[shown:]
    if rest:
        out.append(f"    ещё {len(rest)} {_plural(len(rest), 'группа', 'группы', 'групп')} — {sum(c for _, c in rest)}")
    out.append(f"    Например: {findings[0].message}")
    fixes = list(dict.fromkeys(f.fix for f in findings))
    fix = fixes[0].replace(findings[0].group, "ГРУППА") if len(fixes) > 1 and findings[0].group else fixes[0]
    out.append(f"    Что сделать: {fix}")
    out.append(f"    Список по группе: {WHERE_LISTED.get(code, 'compliance check --format json')}")
    return out


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
        kinds: dict[tuple, list] = {}
        for finding in items:
            kinds.setdefault((finding.severity, finding.code), []).append(finding)
        for (severity, code), same in kinds.items():
            if len(same) <= LISTED:
                for finding in same:
                    lines.append(f"  [{finding.severity.value}] {finding.code}: {finding.message}")
                    lines.append(f"    Что сделать: {finding.fix}")
            else:
                lines += _by_group(loaded, severity, code, same)
    counts = Counter(f.severity for f in findings)
    lines.append("")
    lines.append(f"Итого: нарушений — {counts[Severity.VIOLATION]}, замечаний — {counts[Severity.WARNING]}, "
                 f"сведений — {counts[Severity.NOTICE]}.")
    return "\n".join(lines).replace("\u00a0", " "), violations

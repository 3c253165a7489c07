"""Page 1 of the monthly report: each clause of the Порядок met or not, and why, in a few words.

The assessment is read off the rules' findings (the same ones `compliance check` prints), so the report
and the check never disagree: a violation means «не выполнено», a warning «выполнено с замечаниями».
Notices (a deadline still ahead) do not lower the assessment but are named among the reasons.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..rules.findings import CLAUSE_ORDER, CLAUSE_TITLES, Finding, Severity
from .common import NBSP

MET = "выполнено"
MET_WITH_REMARKS = "выполнено с замечаниями"
NOT_MET = "не выполнено"
NOTHING = "замечаний нет"
NOT_IMPORTED = "переписка не проверялась"
LAW = "закон"
CONTENT_CLAUSES = ("4", "5.1", "5.2")   # what chats are checked for, and what the violations register records
NAMED_GROUPS = 2          # up to this many groups are named in a reason; more are counted
LABEL_LIMIT = 40          # characters of a group's name beside its bar in the chart


@dataclass(frozen=True)
class ClauseRow:
    clause: str                  # «п. 2.3», «закон»
    requirement: str             # «ознакомление участников с локальными актами»
    status: str                  # MET, MET_WITH_REMARKS or NOT_MET
    reason: str                  # «50 участников не ознакомлены с Правилами использования чата (ред. 2) в срок»
    alarm: bool = False          # NOT_MET: renderers may set the status in bold


@dataclass(frozen=True)
class _Context:
    records: object
    on: dt.date                  # the date of the check: acts are named in the version then in force


def clause_rows(records, on: dt.date, findings: Sequence[Finding], log, chats_checked: bool,
                law_sources: Sequence[str]) -> tuple[ClauseRow, ...]:
    """One row per clause in CLAUSE_ORDER, the law last."""
    ctx = _Context(records, on)
    rows = []
    for clause in CLAUSE_ORDER:
        mine = [f for f in findings if f.clause == clause]
        severities = {f.severity for f in mine}
        if Severity.VIOLATION in severities:
            status = NOT_MET
        elif Severity.WARNING in severities:
            status = MET_WITH_REMARKS
        else:
            status = MET
        reasons = _register_facts(clause, log) + _reasons(ctx, mine) + _chat_facts(clause, log, chats_checked)
        if clause == LAW:
            label = LAW
            requirement = "; ".join(law_sources) or "законодательство"
        else:
            label, requirement = CLAUSE_TITLES[clause].split(" — ", 1)
            label = label.replace(" ", NBSP)
        rows.append(ClauseRow(label, requirement, status, "; ".join(reasons) or NOTHING, status == NOT_MET))
    return tuple(rows)


def verdict(rows: Sequence[ClauseRow], period_in: str) -> str:
    """«Вывод: в ноябре 2026 г. Порядок соблюдался не полностью: не выполнены пп. 2.3, 3 Порядка …»."""
    def numbers(status: str) -> list[str]:
        return [r.clause.removeprefix(f"п.{NBSP}") for r in rows if r.status == status and r.clause != LAW]

    law_row = next((r for r in rows if r.clause == LAW), None)
    failed, remarked = numbers(NOT_MET), numbers(MET_WITH_REMARKS)
    law_failed = law_row is not None and law_row.status == NOT_MET
    parts = []
    if failed or law_failed:
        items = [f"{_clause_list(failed)} Порядка"] if failed else []
        items += ["требования законодательства"] if law_failed else []
        verb = "не выполнен" if len(failed) == 1 and not law_failed else "не выполнены"
        parts.append(f"{verb} {' и '.join(items)}")
    if remarked:
        parts.append(("выполнен" if len(remarked) == 1 else "выполнены") + f" с замечаниями {_clause_list(remarked)}")
    if law_row is not None and law_row.status == MET_WITH_REMARKS:
        parts.append("к соблюдению законодательства есть замечания")
    if not parts:
        return f"Вывод: {period_in} Порядок и требования законодательства соблюдались, замечаний нет."
    whole = "соблюдался не полностью" if failed else "соблюдался"
    return f"Вывод: {period_in} Порядок {whole}: {'; '.join(parts)}."


def _clause_list(numbers: list[str]) -> str:
    if len(numbers) == 1:
        return f"п.{NBSP}{numbers[0]}"
    return f"пп.{NBSP}" + ", ".join(numbers)


def _register_facts(clause: str, log) -> list[str]:
    """п. 4, 5: what the administrators recorded in the month's violations register."""
    if clause not in CONTENT_CLAUSES:
        return []
    mine = [v for v in (log.violations if log else ()) if v.clause == clause]
    resolved = sum(v.resolved for v in mine)
    return [f"записано нарушений: {len(mine)}, устранено: {resolved}" if mine else "нарушений не записано"]


def _chat_facts(clause: str, log, chats_checked: bool) -> list[str]:
    """What the check of the month's chats found for the clause, or that there was no check."""
    from ..model.records import ReviewStatus

    if not chats_checked:
        return [NOT_IMPORTED] if clause in CONTENT_CLAUSES else []
    found = [f for f in log.findings if f.clause == clause]
    if found:
        confirmed = sum(f.status == ReviewStatus.CONFIRMED for f in found)
        dismissed = sum(f.status == ReviewStatus.DISMISSED for f in found)
        return [f"замечаний по переписке подтверждено: {confirmed}, отклонено: {dismissed}"]
    return ["по переписке замечаний нет"] if clause in CONTENT_CLAUSES else []


def short_label(title: str, short_name: str, limit: int | None = LABEL_LIMIT) -> str:
    """A group's name without the institution's own abbreviation, at most `limit` characters (None: any).

    «ДДТ. Изостудия «Радуга». Родители» → «Изостудия «Радуга». Родители»; «Юные туристы ДДТ» → «Юные туристы»;
    with «МБУ ДО «ЦДТ «Созвездие»»» both «ЦДТ. Студия керамики» and «ЦДТ «Созвездие». Родители» lose it.
    """
    for abbreviation in _abbreviations(short_name):
        pattern = re.escape(abbreviation)
        trimmed = re.sub(rf"^{pattern}[.,:]?\s+|\s+{pattern}$", "", title).strip()
        if trimmed and trimmed != title:
            title = trimmed
            break
    if limit is None or len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if title[limit - 1] != " " and " " in cut:    # do not leave half a word before the «…»
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" .,:;—-") + "…"


def _abbreviations(short_name: str) -> list[str]:
    """What a group's title may call the institution: the quoted name in its short name, whole («ЦДТ
    «Созвездие»»), then its first word («ЦДТ»), then its innermost quoted part (as before: «Созвездие»)."""
    found = []
    if "«" in short_name and "»" in short_name:
        inner = short_name[short_name.index("«") + 1:short_name.rindex("»")].strip()
        if inner:
            found.append(inner)
            if " " in inner:
                found.append(inner.split()[0].strip("«»"))
    found += [q for q in re.findall(r"«([^«»]+)»", short_name) if q not in found]
    return [f for f in found if f]


def group_labels(titles: Sequence[str], short_name: str) -> dict[str, str]:
    """Each title as the report's tables and chart name it: without the institution's abbreviation
    (short_label) and without opening words that every title shares and that end in a stop («ЦДТ.»), so that
    two hundred rows do not repeat them."""
    labels = {t: short_label(t, short_name, None) for t in titles}
    words = [label.split(" ") for label in labels.values()]
    common = 0
    if len(words) > 1:
        while all(len(w) > common + 1 for w in words) and len({w[common] for w in words}) == 1:
            common += 1
        while common and not words[0][common - 1].endswith((".", ":", ",", "—")):
            common -= 1
    return {t: " ".join(label.split(" ")[common:]) for t, label in labels.items()}


def middle_cut(text: str, limit: int) -> str:
    """`text` of at most `limit` characters, shortened in the middle, where groups differ least: the words
    before the quoted name first («Студия… «Лидер». Родители, 2-й год обучения и старше»), else whatever lies
    between the start and the end, cut at spaces, «…» in their place."""
    if len(text) <= limit:
        return text
    quote = text.find("«")
    if quote > 0 and len(text) - quote + 2 <= limit - 1:
        kept = text[quote:]
        words = text[:quote].split()
        head = []
        while words and len(" ".join(head + words[:1])) + 2 + len(kept) <= limit:
            head.append(words.pop(0))
        if head:
            return " ".join(head).rstrip(" .,:;—-") + "… " + kept
    words = text.split(" ")
    head, tail = [], []
    budget = limit - 1
    while words and len(" ".join(head + words[:1])) <= budget * 0.55:
        head.append(words.pop(0))
    while words and len(" ".join(head)) + 1 + len(" ".join(words[-1:] + tail)) <= budget:
        tail.insert(0, words.pop())
    if not head:                       # one long first word: cut it
        return text[: budget] + "…"
    return " ".join(head).rstrip(" .,:;—-") + "… " + " ".join(tail) if tail else " ".join(head) + "…"


# ---------------------------------------------------------------- reasons, by finding code

def _reasons(ctx: _Context, findings: Sequence[Finding]) -> list[str]:
    """Violations first, then warnings, then notices; one phrase per finding code."""
    out: list[str] = []
    for severity in (Severity.VIOLATION, Severity.WARNING, Severity.NOTICE):
        by_code: dict[str, list[Finding]] = {}
        for f in findings:
            if f.severity == severity:
                # Missing and stale acknowledgements are one fact for the director: not acknowledged in time.
                code = "P2.3-ACK-OVERDUE" if f.code in ("P2.3-ACK-MISSING", "P2.3-ACK-STALE") else f.code
                by_code.setdefault(code, []).append(f)
        for code, items in by_code.items():
            phrase = _PHRASES.get(code)
            out.append(phrase(ctx, items) if phrase else _fallback(items))
    return out


def _one(n: int) -> bool:
    """1, 21, 101 … agree with a singular verb: «21 участник ознакомлен»."""
    return n % 10 == 1 and n % 100 != 11


def _count(n: int, noun: str) -> str:
    from ..ru import plural

    return plural(n, noun).replace(" ", NBSP, 1)


def _groups(ctx: _Context, findings: Sequence[Finding]) -> tuple[str, bool]:
    """«группа «X»», «группы «X» и «Y»» or «5 групп», and whether a singular verb agrees with it."""
    ids = list(dict.fromkeys(f.group for f in findings if f.group))
    # Page 1 is tight: the institution's own abbreviation adds nothing to a group's name in its own report.
    titles = [f"«{short_label(ctx.records.groups_by_id[g].title, ctx.records.institution.short_name, 200)}»"
              for g in ids]
    if len(ids) == 1:
        return f"группа {titles[0]}", True
    if len(ids) <= NAMED_GROUPS:
        return f"группы {' и '.join(titles)}", False
    return _count(len(ids), "группа"), _one(len(ids))


def _people(findings: Sequence[Finding]) -> int:
    return len({f.person for f in findings if f.person}) or len(findings)


def _with_act(ctx: _Context, record: str) -> str:
    """«с Правилами использования чата (ред. 2)»: the act of `record`, in the version in force."""
    from ..rules.acknowledgements import current_version
    from ..ru import with_preposition_s

    act = next((a for a in ctx.records.acts if record == f"acts/{a.id}.yaml"), None)
    if act is None:
        return "с локальными актами"
    version = current_version(ctx.records, act, ctx.on)
    edition = f" (ред.{NBSP}{version.version})" if version is not None and len(act.versions) > 1 else ""
    return with_preposition_s(act.title) + edition


def _by_act(findings: Sequence[Finding]) -> list[tuple[str, int]]:
    """(act record, people) for each act the findings concern, the most people first."""
    people: dict[str, set] = {}
    for f in findings:
        people.setdefault(f.record or "", set()).add(f.person or f.message)
    return sorted(((record, len(who)) for record, who in people.items()), key=lambda item: -item[1])


def _acknowledgements_overdue(ctx, items):
    """«50 участников не ознакомлены в срок с Правилами … (ред. 2), 10 — с Порядком …»."""
    (record, n), *rest = _by_act(items)
    pending = items[0].severity != Severity.VIOLATION
    verb = ("ещё не ознакомлен" if pending else "не ознакомлен") + ("" if _one(n) else "ы")
    text = f"{_count(n, 'участник')} {verb}{'' if pending else ' в срок'} {_with_act(ctx, record)}"
    text += "".join(f", {count} — {_with_act(ctx, other)}" for other, count in rest)
    return text + (", срок не истёк" if pending else "")


def _late(ctx, items):
    n = len(items)
    return f"{_count(n, 'ознакомление')} получен{'о' if _one(n) else 'ы'} позже срока"


def _no_representative(ctx, items):
    n = len(items)
    age = ctx.records.institution.own_signature_age
    return f"{_count(n, 'ознакомление')} обучающихся младше {age} лет записано без подписи родителя"


def _group_phrase(singular: str, plural: str) -> Callable:
    """«{groups} не зарегистрирована / не зарегистрированы», the verb agreeing with the groups."""
    def phrase(ctx, items):
        subject, one = _groups(ctx, items)
        return f"{subject} {singular if one else plural}"
    return phrase


def _groups_colon(text: str) -> Callable:
    """«группа «X»: за месяц не записано ни одного мониторинга»."""
    def phrase(ctx, items):
        return f"{_groups(ctx, items)[0]}: {text}"
    return phrase


def _counted(noun: str, singular: str, plural: str) -> Callable:
    """«1 приказ не подписан», «2 приказа не подписаны»: the noun agreeing with the count, the verb with both."""
    def phrase(ctx, items):
        n = len(items)
        return f"{_count(n, noun)} {singular if _one(n) else plural}"
    return phrase


def _colon_count(text: str) -> Callable:
    """«не удалено публикаций, потерявших актуальность: 2»: no agreement needed."""
    def phrase(ctx, items):
        return f"{text}: {len(items)}"
    return phrase


def _foreign(ctx, items):
    subject, one = _groups(ctx, items)
    where = ", ".join(dict.fromkeys(ctx.records.groups_by_id[f.group].messenger.value for f in items if f.group))
    if one:
        return f"{subject} ведётся в иностранном мессенджере ({where})"
    return f"{subject} ведутся в иностранных мессенджерах ({where})"


def _open_violations(ctx, items):
    from ..ru import date_numeric

    if len(items) == 1:
        due = f", срок — {date_numeric(items[0].due)}" if items[0].due else ", срок не назначен"
        return f"нарушение устраняется{due}"
    return f"нарушений устраняется, срок не истёк: {len(items)}"


def _fallback(items: Sequence[Finding]) -> str:
    """A finding code without a phrase here yet (a new rule): its own message."""
    first = items[0].message
    return first if len(items) == 1 else f"{first} (и ещё {len(items) - 1})"


_PHRASES: dict[str, Callable] = {
    "P1-ADMIN-NOT-APPOINTED": _groups_colon("администратор не назначен подписанным приказом"),
    "P1-GROUP-NO-PURPOSE": _groups_colon("не указаны задачи группы"),
    "P2.1-GROUP-NO-ORDER": _group_phrase("создана без подписанного приказа", "созданы без подписанного приказа"),
    "P2.1-GROUP-NOT-CREATED": _group_phrase("не создана в срок", "не созданы в срок"),
    "P2.1-GROUP-LATE": _group_phrase("создана позже срока приказа", "созданы позже срока приказа"),
    "P2.1-MEMBER-AUDIENCE": _counted("участник", "не относится к названным в приказе",
                                     "не относятся к названным в приказе"),
    "P2.1-ORDER-UNSIGNED": _counted("приказ", "не подписан", "не подписаны"),
    "P2.3-ACK-OVERDUE": _acknowledgements_overdue,
    "P2.3-ACK-LATE": _late,
    "P2.3-ACK-NO-REPRESENTATIVE": _no_representative,
    "P3-GROUP-NOT-REGISTERED": _group_phrase("не зарегистрирована", "не зарегистрированы"),
    "P3-NO-MONITORING": _groups_colon("за месяц не записано ни одного мониторинга"),
    "P3-OUTDATED-NOT-DELETED": _colon_count("не удалено публикаций, потерявших актуальность"),
    "P4-VIOLATION-NO-MEASURE": _colon_count("нарушений без принятой меры"),
    "P4-VIOLATION-OVERDUE": _colon_count("нарушений, не устранённых в срок"),
    "P4-VIOLATION-OPEN": _open_violations,
    "P4-CONCEALMENT": _colon_count("подтверждённых замечаний по переписке не внесено в журнал нарушений "
                                   "(возможное утаивание)"),
    "P4-FINDING-NOT-REVIEWED": _colon_count("не рассмотрено замечаний по переписке"),
    "LAW-41FZ-FOREIGN-MESSENGER": _foreign,
}

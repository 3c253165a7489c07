"""п. 2.3: every participant acknowledges the current version of every required act, on time."""
from __future__ import annotations

from ..ru import date_numeric, with_preposition_s
from .acknowledgements import obligations
from .common import group_label, past_participle, person_label
from .findings import Finding, Severity


def check(records, on) -> list[Finding]:
    findings = []
    declined: dict[str, str] = {}        # declension is slow and a large institution has 10,000s of findings
    labels: dict[str, tuple[str, str]] = {}
    for ob in obligations(records, on):
        groups = ", ".join(group_label(g) for g in ob.groups)
        if ob.person not in labels:
            labels[ob.person] = (person_label(records, ob.person), past_participle(records, ob.person, "ознакомлен"))
        who, acquainted = labels[ob.person]
        if ob.act.title not in declined:
            declined[ob.act.title] = with_preposition_s(ob.act.title)
        with_act = declined[ob.act.title] + (f" (редакция {ob.version.version})" if len(ob.act.versions) > 1 else "")
        by_parent = "; за обучающегося младше {age} лет расписывается родитель (законный представитель)".format(
            age=records.institution.own_signature_age) if ob.representative else ""
        if ob.done:
            if ob.representative and ob.acknowledgement.signed_by is None:
                findings.append(Finding(
                    "P2.3-ACK-NO-REPRESENTATIVE", "2.3", Severity.WARNING,
                    f"{who}: ознакомление {with_act} от {date_numeric(ob.acknowledgement.date)} записано без подписи "
                    f"родителя (законного представителя), а обучающемуся нет {records.institution.own_signature_age} лет",
                    "получите подпись родителя и укажите его id в поле signed_by", group=ob.groups[0].id,
                    person=ob.person, record=f"acts/{ob.act.id}.yaml"))
            if ob.late:
                findings.append(Finding(
                    "P2.3-ACK-LATE", "2.3", Severity.WARNING,
                    f"{who} {acquainted} {with_act} {date_numeric(ob.acknowledgement.date)}, позже срока {date_numeric(ob.deadline)} ({groups})",
                    "собирайте подписи до срока, указанного в приказе", group=ob.groups[0].id, person=ob.person,
                    record=f"acts/{ob.act.id}.yaml", due=ob.deadline))
            continue
        overdue = ob.deadline < on
        if ob.previous is not None:
            code, what = "P2.3-ACK-STALE", (f"{who} {acquainted} с редакцией {ob.previous.version}, но не с действующей "
                                             f"редакцией {ob.version.version} акта «{ob.act.title}»")
        else:
            code, what = "P2.3-ACK-MISSING", f"{who} не {acquainted} {with_act}"
        joined = any(g.joined.get(ob.person) for g in ob.groups)
        term = ("срок для вступившего после срока приказа" if joined else "срок") + f" {date_numeric(ob.deadline)}"
        if overdue:
            findings.append(Finding(
                code, "2.3", Severity.VIOLATION, f"{what}; {term} истёк ({groups}){by_parent}",
                "ознакомьте участника под подпись (лист — compliance ack sheet ГРУППА) и запишите подпись: compliance ack record",
                group=ob.groups[0].id, person=ob.person, record=f"acts/{ob.act.id}.yaml", due=ob.deadline))
        else:
            findings.append(Finding(
                code, "2.3", Severity.NOTICE, f"{what}; {term} ещё не истёк ({groups}){by_parent}",
                "ознакомьте участника под подпись до срока", group=ob.groups[0].id, person=ob.person,
                record=f"acts/{ob.act.id}.yaml", due=ob.deadline))
    return findings

"""Every rule fires where its clause is broken and stays silent where it is kept: exact codes and messages."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from minimal import D, records_data, write_records  # noqa: E402

from compliance.rules import Severity, check  # noqa: E402
from compliance.rules.law import LEGAL_RULES  # noqa: E402
from compliance.store.load import load  # noqa: E402

NB = "\u00a0"
ON = D(2026, 11, 26)


def findings(tmp_path, data, on=ON, month="2026-11"):
    return [(f.code, f.severity.value, f.message) for f in check(load(write_records(tmp_path / "records", data)), on, month)]


def test_minimal_records_have_no_findings(tmp_path):
    assert findings(tmp_path, records_data()) == []


def test_group_with_unsigned_order_has_no_order_and_no_appointed_admin(tmp_path):
    data = records_data()
    data["orders/2026-045-од.yaml"]["status"] = "проект"
    found = findings(tmp_path, data)
    assert ("P2.1-GROUP-NO-ORDER", "нарушение",
            "группа «Радуга. Родители» создана без подписанного приказа: приказ 2026-045-од не подписан") in found
    assert ("P1-ADMIN-NOT-APPOINTED", "нарушение",
            "группа «Радуга. Родители»: администратор не назначен подписанным приказом директора") in found
    assert ("P2.1-ORDER-UNSIGNED", "замечание",
            "приказ 45-од «О создании групп в мобильных мессенджерах» от 01.09.2026 до сих пор не подписан") in found


def test_group_created_after_deadline_is_late(tmp_path):
    data = records_data()
    data["groups.yaml"]["groups"][0]["created"] = D(2026, 9, 16)
    assert findings(tmp_path, data) == [("P2.1-GROUP-LATE", "замечание",
                                         "группа «Радуга. Родители» создана 16.09.2026, позже срока по приказу (10.09.2026)")]


def test_group_not_created_after_deadline(tmp_path):
    data = records_data()
    data["groups.yaml"]["groups"][0]["created"] = None
    assert findings(tmp_path, data) == [("P2.1-GROUP-NOT-CREATED", "нарушение",
                                         "группа «Радуга. Родители» не создана, хотя срок по приказу истёк 10.09.2026")]


def test_group_not_created_before_deadline_is_fine(tmp_path):
    data = records_data()
    data["groups.yaml"]["groups"][0]["created"] = None
    assert findings(tmp_path, data, on=D(2026, 9, 5), month=None) == []


def test_group_without_tasks(tmp_path):
    data = records_data()
    data["groups.yaml"]["groups"][0]["tasks"] = []
    assert findings(tmp_path, data) == [("P1-GROUP-NO-PURPOSE", "нарушение",
                                         "группа «Радуга. Родители»: не указана ни одна из пяти задач п. 1 Порядка")]


def test_member_outside_the_named_audience(tmp_path):
    data = records_data()
    data["groups.yaml"]["groups"][0]["members"].append("st-1")
    data["acknowledgements.yaml"]["acknowledgements"].append({"person": "st-1", "act": "poryadok", "version": 1, "date": D(2026, 9, 14)})
    assert findings(tmp_path, data) == [("P2.1-MEMBER-AUDIENCE", "нарушение",
                                         f"группа «Радуга. Родители»: участник Аксёнова{NB}П.И. (обучающийся, st-1) не относится "
                                         "к участникам, названным в приказе (родители)")]


def test_missing_acknowledgement_after_deadline(tmp_path):
    data = records_data()
    del data["acknowledgements.yaml"]["acknowledgements"][1]
    assert findings(tmp_path, data) == [("P2.3-ACK-MISSING", "нарушение",
                                         f"Аксёнов{NB}И.В. (родитель, pr-2) не ознакомлен с Порядком организации и работы групп "
                                         "в мобильных мессенджерах; срок 25.09.2026 истёк (группа «Радуга. Родители»)")]


def test_missing_acknowledgement_before_deadline_is_a_notice(tmp_path):
    data = records_data()
    del data["acknowledgements.yaml"]["acknowledgements"][0]
    assert findings(tmp_path, data, on=D(2026, 9, 20), month=None) == [
        ("P2.3-ACK-MISSING", "сведения", f"Аксёнова{NB}Н.С. (родитель, pr-1) не ознакомлена с Порядком организации и работы "
                                         "групп в мобильных мессенджерах; срок 25.09.2026 ещё не истёк (группа «Радуга. Родители»)")]


def test_late_acknowledgement(tmp_path):
    data = records_data()
    data["acknowledgements.yaml"]["acknowledgements"][0]["date"] = D(2026, 10, 2)
    assert findings(tmp_path, data) == [("P2.3-ACK-LATE", "замечание",
                                         f"Аксёнова{NB}Н.С. (родитель, pr-1) ознакомлена с Порядком организации и работы групп "
                                         "в мобильных мессенджерах 02.10.2026, позже срока 25.09.2026 (группа «Радуга. Родители»)")]


def new_version(data):
    data["acts/poryadok.yaml"]["versions"].append({"version": 2, "approved_by": "2026-071-од", "effective": D(2026, 10, 20)})
    data["orders/2026-071-од.yaml"] = {
        "number": 71, "series": "од", "date": D(2026, 10, 15), "status": "подписан",
        "title": "Об утверждении новой редакции Порядка", "signed_by": "director", "executor": "secretary",
        "deadlines": {"groups_created": D(2026, 10, 15), "acknowledged": D(2026, 11, 5)},
        "approves": [{"act": "poryadok", "version": 2}],
    }


def test_new_version_makes_earlier_signoffs_stale_and_keeps_them(tmp_path):
    data = records_data()
    new_version(data)
    data["acknowledgements.yaml"]["acknowledgements"].append({"person": "pr-1", "act": "poryadok", "version": 2, "date": D(2026, 11, 1)})
    assert findings(tmp_path, data) == [("P2.3-ACK-STALE", "нарушение",
                                         f"Аксёнов{NB}И.В. (родитель, pr-2) ознакомлен с редакцией 1, но не с действующей редакцией 2 "
                                         "акта «Порядок организации и работы групп в мобильных мессенджерах»; срок 05.11.2026 истёк "
                                         "(группа «Радуга. Родители»)")]
    before_new_order = findings(tmp_path, data, on=D(2026, 10, 10), month=None)
    assert before_new_order == []


def later_group(data, created):
    """A second group, created by a later order after the act was approved: its members sign by its own deadline."""
    data["orders/2026-071-од.yaml"] = {
        "number": 71, "series": "од", "date": D(2026, 10, 15), "status": "подписан",
        "title": "О создании группы в мобильном мессенджере", "signed_by": "director", "executor": "secretary",
        "deadlines": {"groups_created": D(2026, 10, 20), "acknowledged": D(2026, 11, 5)},
    }
    data["groups.yaml"]["groups"].append({
        "id": "raduga-2", "title": "Радуга. Второй год", "messenger": "MAX", "association": "Изостудия «Радуга»",
        "direction": "художественная", "tasks": ["информационная"], "audience": ["родители"], "admin": "teacher",
        "order": "2026-071-од", "created": created, "registered": created, "members": ["pr-3"]})
    data["people.yaml"]["parents"].append({"id": "pr-3", "surname": "Борисова", "name": "Ольга", "patronymic": "Петровна",
                                           "children": ["st-1"]})
    data["log/2026-11.yaml"]["actions"].append({"date": D(2026, 11, 2), "group": "raduga-2", "by": "teacher",
                                                "kind": "мониторинг"})


def test_group_created_later_gives_members_its_own_deadline(tmp_path):
    data = records_data()
    later_group(data, D(2026, 10, 19))
    data["acknowledgements.yaml"]["acknowledgements"].append({"person": "pr-3", "act": "poryadok", "version": 1,
                                                              "date": D(2026, 11, 3)})
    assert findings(tmp_path, data) == []      # 03.11 is late for the act's order (25.09), not for the group's (05.11)
    data["acknowledgements.yaml"]["acknowledgements"][-1]["date"] = D(2026, 11, 6)
    assert findings(tmp_path / "late", data) == [("P2.3-ACK-LATE", "замечание",
                                                  f"Борисова{NB}О.П. (родитель, pr-3) ознакомлена с Порядком организации и работы "
                                                  "групп в мобильных мессенджерах 06.11.2026, позже срока 05.11.2026 "
                                                  "(группа «Радуга. Второй год»)")]


def test_newcomer_gets_own_deadline(tmp_path):
    data = records_data()
    del data["acknowledgements.yaml"]["acknowledgements"][1]
    data["groups.yaml"]["groups"][0]["joined"] = {"pr-2": D(2026, 11, 20)}
    assert findings(tmp_path, data) == [("P2.3-ACK-MISSING", "сведения",
                                         f"Аксёнов{NB}И.В. (родитель, pr-2) не ознакомлен с Порядком организации и работы групп "
                                         "в мобильных мессенджерах; срок для вступившего после срока приказа 04.12.2026 ещё не истёк "
                                         "(группа «Радуга. Родители»)")]


def test_unregistered_group(tmp_path):
    data = records_data()
    data["groups.yaml"]["groups"][0]["registered"] = None
    assert findings(tmp_path, data) == [("P3-GROUP-NOT-REGISTERED", "нарушение",
                                         "группа «Радуга. Родители» не зарегистрирована в установленном порядке")]


def test_no_monitoring_in_month(tmp_path):
    data = records_data()
    data["log/2026-11.yaml"]["actions"] = []
    assert findings(tmp_path, data) == [("P3-NO-MONITORING", "нарушение",
                                         f"группа «Радуга. Родители»: за ноябрь 2026{NB}г. не записано ни одного мониторинга")]


def test_expired_publication_not_deleted(tmp_path):
    data = records_data()
    data["log/2026-11.yaml"]["actions"].append({"date": D(2026, 11, 3), "group": "raduga", "by": "teacher", "kind": "публикация",
                                                 "note": "Собрание 06.11.2026", "expires": D(2026, 11, 7)})
    assert findings(tmp_path, data) == [("P3-OUTDATED-NOT-DELETED", "нарушение",
                                         "группа «Радуга. Родители»: публикация «Собрание 06.11.2026» от 03.11.2026 потеряла "
                                         "актуальность 07.11.2026, но её удаление не записано")]
    data["log/2026-11.yaml"]["deletions"].append({"date": D(2026, 11, 9), "group": "raduga", "by": "teacher",
                                                   "what": "Собрание  06.11.2026"})
    assert findings(tmp_path / "again", data) == []


def violation(**changes):
    base = {"id": "v-1", "date": D(2026, 11, 10), "group": "raduga", "clause": "5.2", "description": "Объявление о продаже",
            "measure": "сообщение удалено", "measure_date": D(2026, 11, 10), "resolved": True}
    return {**base, **changes}


def test_violation_without_measure(tmp_path):
    data = records_data()
    data["log/2026-11.yaml"]["violations"] = [violation(measure=None, measure_date=None)]
    assert findings(tmp_path, data) == [("P4-VIOLATION-NO-MEASURE", "нарушение",
                                         "нарушение v-1 (п. 5.2) от 10.11.2026, группа «Радуга. Родители»: мера не принята")]


def test_violation_past_due_and_open(tmp_path):
    data = records_data()
    data["log/2026-11.yaml"]["violations"] = [violation(resolved=False, due=D(2026, 11, 20))]
    assert findings(tmp_path, data) == [("P4-VIOLATION-OVERDUE", "нарушение",
                                         "нарушение v-1 (п. 5.2) от 10.11.2026, группа «Радуга. Родители»: не устранено, "
                                         "срок устранения 20.11.2026 истёк")]
    assert findings(tmp_path / "b", data, on=D(2026, 11, 15)) == [
        ("P4-VIOLATION-OPEN", "сведения", "нарушение v-1 (п. 5.2) от 10.11.2026, группа «Радуга. Родители»: не устранено, срок 20.11.2026")]


@pytest.mark.parametrize("messenger,fires", [("WhatsApp", True), ("Telegram", True), ("MAX", False), ("Сферум", False), ("VK", False)])
def test_foreign_messenger_in_municipal_institution(tmp_path, messenger, fires):
    data = records_data()
    data["groups.yaml"]["groups"][0]["messenger"] = messenger
    expected = [("LAW-41FZ-FOREIGN-MESSENGER", "нарушение",
                 f"Группа «Радуга. Родители» ведётся в иностранном мессенджере {messenger}: с 01.06.2025 государственным и "
                 "муниципальным учреждениям запрещено использовать иностранные мессенджеры для общения с гражданами "
                 "(Федеральный закон от 01.04.2025 № 41-ФЗ)")]
    assert findings(tmp_path, data) == (expected if fires else [])


def test_foreign_messenger_rule_waits_for_its_date_and_spares_private_institutions(tmp_path):
    data = records_data()
    data["groups.yaml"]["groups"][0]["messenger"] = "WhatsApp"
    assert [f for f in findings(tmp_path, data, on=D(2025, 5, 31), month=None) if f[0].startswith("LAW")] == []
    data["institution.yaml"]["ownership"] = "частное"
    assert findings(tmp_path / "private", data) == []
    assert LEGAL_RULES[0].effective == dt.date(2025, 6, 1)


def test_sample_records_known_findings():
    sample = load(Path(__file__).resolve().parents[2] / "records")
    found = check(sample, ON, "2026-11")
    codes = {}
    for f in found:
        codes[(f.code, f.severity)] = codes.get((f.code, f.severity), 0) + 1
    assert codes == {
        ("P2.1-GROUP-LATE", Severity.WARNING): 1,
        ("P2.3-ACK-LATE", Severity.WARNING): 23,
        ("P2.3-ACK-MISSING", Severity.VIOLATION): 20,
        ("P2.3-ACK-STALE", Severity.VIOLATION): 40,
        ("P3-GROUP-NOT-REGISTERED", Severity.VIOLATION): 1,
        ("P3-NO-MONITORING", Severity.VIOLATION): 1,
        ("P3-OUTDATED-NOT-DELETED", Severity.VIOLATION): 1,
        ("P4-VIOLATION-OPEN", Severity.NOTICE): 1,
        ("LAW-41FZ-FOREIGN-MESSENGER", Severity.VIOLATION): 2,
    }
    assert {f.group for f in found if f.code.startswith("LAW")} == {"zvonnitsa-parents", "tourists-students"}
    missing = sorted(f.person for f in found if f.code == "P2.3-ACK-MISSING" and f.record == "acts/poryadok.yaml")
    assert missing == ["pr-011", "pr-021", "pr-029", "pr-045", "pr-048", "pr-063", "pr-064", "pr-068", "pr-077", "st-059"]


def young_student_group(data, birth_year):
    data["people.yaml"]["students"][0]["birth_year"] = birth_year
    group = data["groups.yaml"]["groups"][0]
    group["audience"] = ["родители", "обучающиеся"]
    group["members"].append("st-1")


def test_young_student_acknowledged_without_parent_signature(tmp_path):
    data = records_data()
    young_student_group(data, 2015)
    data["acknowledgements.yaml"]["acknowledgements"].append({"person": "st-1", "act": "poryadok", "version": 1, "date": D(2026, 9, 14)})
    assert findings(tmp_path, data) == [("P2.3-ACK-NO-REPRESENTATIVE", "замечание",
                                         f"Аксёнова{NB}П.И. (обучающийся, st-1): ознакомление с Порядком организации и работы групп "
                                         "в мобильных мессенджерах от 14.09.2026 записано без подписи родителя (законного "
                                         "представителя), а обучающемуся нет 14 лет")]
    data["acknowledgements.yaml"]["acknowledgements"][-1]["signed_by"] = "pr-1"
    assert findings(tmp_path / "signed", data) == []


def test_older_student_signs_alone_and_missing_young_student_names_the_parent(tmp_path):
    data = records_data()
    young_student_group(data, 2010)
    data["acknowledgements.yaml"]["acknowledgements"].append({"person": "st-1", "act": "poryadok", "version": 1, "date": D(2026, 9, 14)})
    assert findings(tmp_path, data) == []
    data = records_data()
    young_student_group(data, 2015)
    assert findings(tmp_path / "young", data) == [("P2.3-ACK-MISSING", "нарушение",
                                                   f"Аксёнова{NB}П.И. (обучающийся, st-1) не ознакомлена с Порядком организации и "
                                                   "работы групп в мобильных мессенджерах; срок 25.09.2026 истёк (группа «Радуга. "
                                                   "Родители»); за обучающегося младше 14 лет расписывается родитель (законный представитель)")]


def test_signed_by_must_be_a_parent_of_the_student(tmp_path):
    from compliance.errors import RecordsError

    data = records_data()
    young_student_group(data, 2015)
    data["acknowledgements.yaml"]["acknowledgements"].append(
        {"person": "st-1", "act": "poryadok", "version": 1, "date": D(2026, 9, 14), "signed_by": "teacher"})
    with pytest.raises(RecordsError) as error:
        load(write_records(tmp_path / "records", data))
    assert [p.message for p in error.value.problems] == ["«teacher» не записан(а) в people.yaml родителем обучающегося «st-1»"]


def content_finding(**changes):
    base = {"id": "f-1", "group": "raduga", "message": "4521", "date": D(2026, 11, 12), "time": "22:40", "sender": "pr-1",
            "category": "личная тема", "clause": "5.2", "excerpt": "Продам коляску, тел. +7 9** ***-**-12", "status": "подтверждено"}
    return {**base, **changes}


def test_confirmed_content_finding_outside_the_register_is_possible_concealment(tmp_path):
    data = records_data()
    data["log/2026-11.yaml"]["findings"] = [content_finding()]
    assert findings(tmp_path, data) == [("P4-CONCEALMENT", "нарушение",
                                         "замечание f-1 по переписке (личная тема, п. 5.2) от 12.11.2026 22:40, группа «Радуга. "
                                         "Родители» подтверждено, но не внесено в раздел нарушений — возможное утаивание нарушения")]
    data["log/2026-11.yaml"]["violations"] = [violation()]
    data["log/2026-11.yaml"]["findings"] = [content_finding(violation="v-1")]
    assert findings(tmp_path / "registered", data) == []
    data["log/2026-11.yaml"]["findings"] = [content_finding(status="отклонено", note="обсуждение по теме занятия")]
    assert findings(tmp_path / "dismissed", data) == []


def test_unreviewed_content_finding(tmp_path):
    data = records_data()
    data["log/2026-11.yaml"]["findings"] = [content_finding(status="новое")]
    assert findings(tmp_path, data) == [("P4-FINDING-NOT-REVIEWED", "замечание",
                                         "замечание f-1 по переписке (личная тема, п. 5.2) от 12.11.2026 22:40, группа «Радуга. "
                                         "Родители» не рассмотрено администратором")]

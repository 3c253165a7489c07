"""A tiny institution written to a temporary folder; each rule test changes one thing in it."""
from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from ruamel.yaml import YAML

D = dt.date
BASE = {
    "institution.yaml": {
        "name": "Муниципальное казённое образовательное учреждение дополнительного образования «Дом детского творчества»",
        "short_name": "МКОУ ДО «ДДТ»", "ownership": "муниципальное", "place": "г. Светлогорск",
        "address": "г. Светлогорск", "director": "director", "secretary": "secretary",
    },
    "people.yaml": {
        "staff": [
            {"id": "director", "surname": "Прохорова", "name": "Татьяна", "patronymic": "Александровна", "position": "директор"},
            {"id": "secretary", "surname": "Кузьмина", "name": "Елена", "patronymic": "Викторовна", "position": "делопроизводитель"},
            {"id": "teacher", "surname": "Белова", "name": "Светлана", "patronymic": "Юрьевна",
             "position": "педагог дополнительного образования"},
        ],
        "students": [{"id": "st-1", "surname": "Аксёнова", "name": "Полина", "patronymic": "Игоревна", "association": "Изостудия «Радуга»"}],
        "parents": [
            {"id": "pr-1", "surname": "Аксёнова", "name": "Наталья", "patronymic": "Сергеевна", "children": ["st-1"]},
            {"id": "pr-2", "surname": "Аксёнов", "name": "Игорь", "patronymic": "Владимирович", "children": ["st-1"]},
        ],
    },
    "acts/poryadok.yaml": {
        "id": "poryadok", "kind": "порядок", "title": "Порядок организации и работы групп в мобильных мессенджерах",
        "required_for": ["родители", "обучающиеся", "педагоги"],
        "versions": [{"version": 1, "approved_by": "2026-045-од", "effective": D(2026, 9, 1)}],
    },
    "orders/2026-045-од.yaml": {
        "number": 45, "series": "од", "date": D(2026, 9, 1), "status": "подписан",
        "title": "О создании групп в мобильных мессенджерах", "signed_by": "director", "executor": "secretary",
        "deadlines": {"groups_created": D(2026, 9, 10), "acknowledged": D(2026, 9, 25)},
        "approves": [{"act": "poryadok", "version": 1}],
    },
    "groups.yaml": {"groups": [{
        "id": "raduga", "title": "Радуга. Родители", "messenger": "MAX", "association": "Изостудия «Радуга»",
        "direction": "художественная", "tasks": ["информационная"], "audience": ["родители"], "admin": "teacher",
        "order": "2026-045-од", "created": D(2026, 9, 7), "registered": D(2026, 9, 8), "members": ["pr-1", "pr-2"],
    }]},
    "acknowledgements.yaml": {"acknowledgements": [
        {"person": "pr-1", "act": "poryadok", "version": 1, "date": D(2026, 9, 14)},
        {"person": "pr-2", "act": "poryadok", "version": 1, "date": D(2026, 9, 15)},
    ]},
    "log/2026-11.yaml": {
        "month": "2026-11",
        "actions": [{"date": D(2026, 11, 2), "group": "raduga", "by": "teacher", "kind": "мониторинг"}],
        "deletions": [], "violations": [],
    },
}


def records_data() -> dict:
    return copy.deepcopy(BASE)


def write_records(root: Path, data: dict) -> Path:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    for name, content in data.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(content, handle)
    return root

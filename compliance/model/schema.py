"""JSON Schema of every records file, for editors that validate YAML as the user types."""
from __future__ import annotations

import json

from .records import Acknowledgements, Act, Groups, Institution, MonthLog, Order, People

MODELS = {
    "institution": ("institution.yaml", Institution),
    "people": ("people.yaml", People),
    "groups": ("groups.yaml", Groups),
    "acts": ("acts/*.yaml", Act),
    "orders": ("orders/*.yaml", Order),
    "acknowledgements": ("acknowledgements.yaml", Acknowledgements),
    "log": ("log/*.yaml", MonthLog),
}


def schema(kind: str) -> dict:
    file_pattern, model = MODELS[kind]
    result = model.model_json_schema()
    result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    result["title"] = f"records/{file_pattern}"
    return result


def schema_json(kind: str) -> str:
    return json.dumps(schema(kind), ensure_ascii=False, indent=2, sort_keys=True)


def schemas() -> dict:
    return {MODELS[kind][0]: schema(kind) for kind in MODELS}

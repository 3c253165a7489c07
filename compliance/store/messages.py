"""Pydantic validation errors reworded in Russian, by error type, with their position."""
from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from .yamlfile import Located

EXAMPLES = "docs/records.md"


def _unwrap(annotation: Any) -> Any:
    """Strip Optional / Annotated / list to the element type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _model_at(model: type[BaseModel], loc: tuple) -> tuple[type[BaseModel] | None, Any]:
    """The model that owns the last field of `loc`, and that field's info."""
    current: Any = model
    owner, info = None, None
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            if typing.get_origin(current) is list:
                current = typing.get_args(current)[0]
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return owner, info
        owner, info = current, current.model_fields[part]
        current = info.annotation
    return owner, info


def _name(loc: tuple) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else "запись"


def _describe(info: Any) -> str:
    return f" ({info.description})" if info is not None and info.description else ""


def _allowed(expected: str) -> str:
    return expected.replace(" or ", ", ").replace("'", "")


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def problems_from_validation(located: Located, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if any(loc[: len(bad)] == bad for bad in located.reported):
            continue
        kind = error["type"]
        owner, info = _model_at(model, loc)
        name = _name(loc)
        value = error.get("input")
        ctx = error.get("ctx") or {}
        key = False
        if kind == "missing":
            message = f"нет обязательного поля «{name}»{_describe(info)}"
            fix = f"добавьте в эту запись строку «{name}: …»; образец — в {EXAMPLES}"
            loc = loc[:-1]
        elif kind == "extra_forbidden":
            key = True
            known = list(owner.model_fields) if owner is not None else []
            parent_owner, parent_info = _model_at(model, loc[:-1])
            target = _unwrap(parent_info.annotation) if parent_info is not None else model
            if typing.get_origin(target) is list:
                target = _unwrap(typing.get_args(target)[0])
            if isinstance(target, type) and issubclass(target, BaseModel):
                known = list(target.model_fields)
            close = difflib.get_close_matches(name, known, n=1)
            message = f"неизвестное поле «{name}»"
            fix = (f"возможно, имелось в виду «{close[0]}»" if close else "удалите поле или исправьте написание") + \
                  (f"; допустимые поля: {', '.join(known)}" if known else "")
        elif kind in ("enum", "literal_error"):
            message = f"«{_shown(value)}» — недопустимое значение поля «{name}»"
            fix = f"укажите одно из значений: {_allowed(ctx.get('expected', ''))}"
        elif kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
            message = f"«{_shown(value)}» в поле «{name}» — не дата"
            fix = "запишите дату в виде ГГГГ-ММ-ДД, например 2026-11-05"
        elif kind in ("int_type", "int_parsing", "int_from_float"):
            message = f"«{_shown(value)}» в поле «{name}» — не целое число"
            fix = "укажите целое число цифрами, например 2"
        elif kind in ("string_type",):
            message = f"поле «{name}» должно быть текстом, а указано «{_shown(value)}»"
            fix = "запишите значение текстом; если это число или дата, заключите в кавычки"
        elif kind == "string_pattern_mismatch":
            message = f"«{_shown(value)}» — неверная запись поля «{name}»"
            fix = f"нужно: {info.description}" if info is not None and info.description else "сверьтесь с образцом в " + EXAMPLES
            if info is None or not info.description:
                fix = f"сверьтесь с образцом в {EXAMPLES}"
        elif kind in ("too_short", "string_too_short"):
            message = f"поле «{name}» пустое"
            fix = "укажите хотя бы одно значение"
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
            sign = {"greater_than_equal": "не меньше", "less_than_equal": "не больше",
                    "greater_than": "больше", "less_than": "меньше"}[kind]
            message = f"{_shown(value)} в поле «{name}» вне допустимых пределов"
            fix = f"значение должно быть {sign} {bound}"
        elif kind == "list_type":
            message = f"поле «{name}» должно быть списком"
            fix = "перечислите значения с новой строки через «- » или в квадратных скобках: [a, b]"
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            message = "файл пуст или не состоит из полей «ключ: значение»" if not loc else f"«{name}» должно состоять из полей «ключ: значение»"
            fix = f"сверьтесь с образцом в {EXAMPLES}"
        elif kind in ("bool_type", "bool_parsing"):
            message = f"«{_shown(value)}» в поле «{name}» — нужно да/нет"
            fix = "укажите true или false"
        elif kind == "value_error":
            message = str(ctx.get("error", error["msg"]))
            fix = f"сверьтесь с образцом в {EXAMPLES}"
        else:
            message = f"поле «{name}»: {error['msg']}"
            fix = f"сверьтесь с образцом в {EXAMPLES}"
        problems.append(located.problem(loc, message, fix, key=key))
    return problems

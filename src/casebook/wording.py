"""How a schema error in a data file is worded for an editor: pydantic's errors turned into problems that name
the YAML line, say what was found and what is expected, and hint at the fix from the model of the file being read
(an unknown key in data/indicators.yaml is compared with the keys an indicator may have, not a case's)."""

from __future__ import annotations

import types
import typing
from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .problems import Problem, did_you_mean
from .shapes import ShapeError
from .yamlload import Loaded

_UNION_MEMBERS = {"int", "float", "str", "bool", "none", "list", "dict", "literal", "constrained-str"}


def _describe_expected(loc, errs) -> str:
    kinds = {e["type"] for e in errs}
    if kinds & {"int_type", "float_type", "int_parsing", "float_parsing", "int_from_float"}:
        return "a number"
    if kinds & {"string_type"}:
        return "text"
    return errs[0]["msg"].lower()


def pydantic_problems(exc: ValidationError, loaded: Loaded, path: Path, model: type[BaseModel]) -> list[Problem]:
    """Turn a pydantic error into problems that name the YAML line (one problem per field); ``model`` is the
    model the whole file was validated against (hints about keys come from it)."""
    grouped: dict[tuple, list[ErrorDetails]] = {}
    for err in exc.errors():
        loc = tuple(err["loc"])
        # union members add their type name to the path ('value', 'int'); one message per field
        while (
            loc
            and isinstance(loc[-1], str)
            and (loc[-1] in _UNION_MEMBERS or loc[-1].startswith(("function-", "constrained-", "literal[")))
        ):
            loc = loc[:-1]
        grouped.setdefault(loc, []).append(err)
    problems = []
    for loc, errs in grouped.items():
        err = errs[0]
        kinds = {e["type"] for e in errs}
        line, col = loaded.where(loc)
        where = ".".join(str(x) for x in loc) or "the file"
        kind = err["type"]
        msg, hint = err["msg"], ""
        if loc in loaded.surprises:
            msg = f"{where}: wrong type ({_type_word(err['input'])} where {_describe_expected(loc, errs)} is expected)"
            hint = loaded.surprises[loc]
        elif kind == "extra_forbidden":
            line, col = loaded.key_positions.get(loc, (line, col))
            allowed = allowed_keys(model, loc[:-1])
            msg = f"unknown key '{loc[-1]}'"
            hint = did_you_mean(str(loc[-1]), allowed) if allowed else "remove it"
        elif kind == "missing":
            msg = f"missing required field '{loc[-1]}'"
            hint = f"add `{loc[-1]}:` to this item"
            line, col = loaded.where(loc[:-1])
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            msg = f"{where}: {err['input']!r} is not allowed"
            choices = [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",") if c.strip()]
            hint = did_you_mean(str(err["input"]), choices)
        elif kinds & {"finite_number"}:
            msg = f"{where}: {_type_word(err['input'])} is not a finite number"
            hint = "write the number in digits, e.g. `value: 46`; .nan and .inf are not values"
        elif kinds & {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
            bound = next(
                e for e in errs if e["type"] in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}
            )
            msg = f"{where}: {_type_word(bound['input'])} is out of range"
            hint = f"the value must be {bound['msg'].removeprefix('Input should be ')}"
        elif kind == "value_error" and isinstance(err.get("ctx", {}).get("error"), ShapeError):
            shape = err["ctx"]["error"]
            msg, hint = f"{where}: {shape.message}", shape.hint
        elif kind == "value_error":
            text = err["msg"].removeprefix("Value error, ")
            msg, _, hint = text.partition(": ") if ": " in text else (text, "", "")
            msg = f"{where}: {msg}" if loc else msg
        elif kind == "string_pattern_mismatch":
            msg = f"{where}: {err['input']!r} does not have the required form"
            hint = _pattern_hint(loc)
        elif kind == "too_short":
            msg = f"{where}: the list is empty"
            hint = "add at least one item"
        else:
            msg = f"{where}: {_type_word(err['input'])} where {_describe_expected(loc, errs)} is expected"
            hint = _type_hint(loc, err)
        problems.append(Problem(path, line, col, msg, hint))
    return problems


def _type_word(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _type_hint(loc, err) -> str:
    field_name = next((x for x in reversed(loc) if isinstance(x, str)), "")
    if err.get("input", "") is None:
        return f"`{field_name}:` is empty: fill it in, or remove the line if the field is optional"
    if field_name == "value":
        return "write the number without quotes or units, e.g. `value: 2017` (the unit goes in `unit:`)"
    if field_name in ("quotes", "indicators", "mechanisms", "furniture", "defects", "notes"):
        return f"`{field_name}:` is a list: start each item on its own line with '- '"
    if err["type"] == "too_short":
        return "add at least one item"
    if field_name == "year":
        return "write the year as a number, e.g. `year: 2020`, or use `period:` for text"
    return "put text in quotes if YAML reads it as something else"


def _pattern_hint(loc) -> str:
    name = next((x for x in reversed(loc) if isinstance(x, str)), "")
    return {
        "sha256": "64 lower-case hex digits; `casebook check` prints the file's checksum",
        "published": "write the date in quotes as 'YYYY-MM-DD'",
        "id": "use lower-case latin letters, digits and '-', e.g. karamay",
        "indicator": "use the indicator's key from data/indicators.yaml",
        "lines": "a line number or a range such as '23-29'",
        "site_url": "an http(s) address such as https://example.org/casebook/, or null",
    }.get(name, "see the schema for the expected form")


def _model_in(annotation) -> type[BaseModel] | None:
    """The model a field holds, itself or in a list, an optional or an annotated type."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (list, tuple, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def allowed_keys(model: type[BaseModel], parent_loc: tuple) -> list[str]:
    """The keys allowed where ``parent_loc`` points in a file validated against ``model``: the path is walked
    through the model's fields (list indexes stay on the item's model)."""
    current: type[BaseModel] | None = model
    for part in parent_loc:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        field_info = current.model_fields.get(str(part))
        current = _model_in(field_info.annotation) if field_info is not None else None
    return list(current.model_fields) if current is not None else []

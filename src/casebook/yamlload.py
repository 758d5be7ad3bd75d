"""Safe YAML loading that remembers where every value was written.

PyYAML alone would keep the last of two duplicate keys silently, expand alias
bombs and turn ``no`` into ``False`` without telling anybody. This loader:

* refuses anchors and aliases;
* reports duplicate keys;
* reports a file that is not UTF-8 (with a hint about GBK) and accepts a BOM;
* flags YAML 1.1 surprises at the value: plain ``yes/no/on/off`` read as a
  boolean, plain dates, and numbers with a leading zero (octal in YAML 1.1);
* returns plain Python data plus a map from each value's path
  (``("indicators", 3, "quote")``) to its 1-based line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

Path_ = tuple[Any, ...]

_BOOL_WORDS = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
_OCTAL_LIKE = re.compile(r"^[-+]?0[0-9_]+$|^0o[0-7]+$")
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([Tt ].*)?$")


@dataclass
class Loaded:
    """A loaded YAML document with the position of every node."""

    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    #: where each key itself is written (for "unknown key" messages)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    #: YAML 1.1 surprises, by path: a message for the schema to use if the
    #: resolved value turns out to be the wrong type.
    surprises: dict[Path_, str] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


class _Constructor(yaml.constructor.SafeConstructor):
    pass


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """Read a UTF-8 file (BOM accepted); on failure add a problem and return None."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(path, 1, 1, f"cannot read the file ({exc.strerror})",
                                "check that the file exists and is readable"))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "save the file as UTF-8"
        try:
            raw.decode("gbk")
            hint += " (it looks like GBK/GB2312: in your editor choose 'Save with encoding' → UTF-8)"
        except UnicodeDecodeError:
            pass
        problems.append(Problem(path, line, col, "the file is not UTF-8 text", hint))
        return None


def load_yaml(path: Path, problems: list[Problem], text: str | None = None) -> Loaded | None:
    """Load ``path``; add every problem found to ``problems``; None if unusable."""
    if text is None:
        text = read_text(path, problems)
        if text is None:
            return None
    before = len(problems)
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                m = event.start_mark
                problems.append(Problem(path, m.line + 1, m.column + 1,
                                        f"YAML alias '*{event.anchor}' is not allowed",
                                        "write the value out in full instead of referring to an anchor"))
            elif getattr(event, "anchor", None):
                m = event.start_mark
                problems.append(Problem(path, m.line + 1, m.column + 1,
                                        f"YAML anchor '&{event.anchor}' is not allowed",
                                        "remove the '&' anchor and write each value out in full"))
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        hint = "check indentation and quoting near this line"
        if "\t" in (text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""):
            hint = "YAML does not allow tab characters for indentation; use spaces"
        elif "mapping values are not allowed" in what:
            hint = "a value containing ': ' must be put in quotes"
        problems.append(Problem(path, line, col, f"invalid YAML: {what}", hint))
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        problems.append(Problem(path, 1, 1, f"invalid YAML: {exc}", "check the file's syntax"))
        return None
    if len(problems) > before:
        return None
    if node is None:
        problems.append(Problem(path, 1, 1, "the file is empty", "fill in the fields described in the template"))
        return None
    loaded = Loaded(None)
    constructor = _Constructor()
    loaded.data = _build(node, (), loaded, constructor, path, problems)
    if len(problems) > before:
        return None
    return loaded


def _build(node, path: Path_, loaded: Loaded, constructor, file: Path, problems: list[Problem]):
    loaded.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = _build(key_node, path + ("<key>",), loaded, constructor, file, problems)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                problems.append(Problem(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                        "a key must be a plain word", "write the key as text, e.g. `quote:`"))
                continue
            if key in first_seen:
                problems.append(Problem(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                        f"duplicate key '{key}' (first written on line {first_seen[key]})",
                                        "keep only one of them; YAML would silently keep the last"))
                continue
            first_seen[key] = key_node.start_mark.line + 1
            loaded.key_positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _build(value_node, path + (key,), loaded, constructor, file, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), loaded, constructor, file, problems)
                for i, child in enumerate(node.value)]
    value = constructor.construct_object(node, deep=True)
    if node.style is None:  # plain scalar: watch for YAML 1.1 surprises
        raw = node.value
        if isinstance(value, bool) and _BOOL_WORDS.match(raw) and raw.lower() not in ("true", "false"):
            loaded.surprises[path] = f"YAML reads the bare word '{raw}' as {str(value).lower()}; " \
                                     f"put it in quotes ('{raw}') if you mean the text"
        elif isinstance(value, int) and _OCTAL_LIKE.match(raw):
            problems.append(Problem(file, node.start_mark.line + 1, node.start_mark.column + 1,
                                    f"the number {raw} has a leading zero, which YAML 1.1 reads as octal ({value})",
                                    f"write it without the leading zero, or in quotes ('{raw}') if it is text"))
        elif _DATE_LIKE.match(raw) and not isinstance(value, str):
            loaded.surprises[path] = f"YAML reads the bare value {raw} as a date; put it in quotes ('{raw}')"
    return value

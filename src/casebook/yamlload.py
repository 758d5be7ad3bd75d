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

from . import cache
from .confine import read_bytes
from .problems import Problem

Path_ = tuple[Any, ...]

# libyaml (shipped in PyYAML's wheels) parses about 10x faster; the pure-Python loader is the fallback.
# The base loader tags every scalar as text; _scalar() below applies the YAML 1.1 (safe) rules itself, and
# only to scalars that could be something other than text.
_BASE = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _FastLoader(_BASE):  # type: ignore[valid-type,misc]
    def resolve(self, kind, value, implicit):  # every node is plain data; _scalar() resolves scalars
        return _TAGS[kind]


_LOADER = _FastLoader
# Bump when the loading rules change: documents cached under another version are loaded afresh.
_CACHE_VERSION = f"1/pyyaml-{yaml.__version__}"
_RESOLVER = yaml.resolver.Resolver()
_MAYBE_TYPED = set("0123456789+-.~yYnNtTfFoO")
# An anchor or alias is '&' or '*' at the start of a value; text without one needs no event scan.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s]", re.MULTILINE)

# Deepest nesting allowed in a data file (case.yaml needs 5 levels); the loader refuses deeper documents
# before composing them, since composing is recursive.
MAX_DEPTH = 32
_INDENT = re.compile(r"^ *", re.MULTILINE)


def _depth_bound(text: str) -> int:
    """An upper bound on a document's nesting depth, computed without parsing: block nesting needs more
    indentation at every level (a sequence may share its mapping's column), flow nesting needs brackets."""
    indent = max((len(m) for m in _INDENT.findall(text)), default=0)
    return 2 * (indent + 1) + text.count("[") + text.count("{")


_BOOL_WORDS = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
_OCTAL_LIKE = re.compile(r"^[-+]?0[0-9_]+$|^0o[0-7]+$")
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([Tt ].*)?$")


class _Tree:
    """A document's node tree, composed from its text only when first needed (see the document cache)."""

    def __init__(self, text: str, node=None):
        self.text, self._node = text, node

    @property
    def node(self):
        if self._node is None:
            self._node = yaml.compose(self.text, Loader=_LOADER)
        return self._node


class _Positions:
    """Positions looked up in the composed node tree only when a problem needs one."""

    def __init__(self, tree: _Tree, keys: bool = False):
        self.tree = tree
        self.keys = keys

    def _node(self, path: Path_):
        node, key_node = self.tree.node, None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == step or (not isinstance(step, str) and str(step) == k.value):
                        node, key_node = v, k
                        break
                else:
                    return None
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node, key_node = node.value[step], None
            else:
                return None
        return key_node if self.keys else node

    def get(self, path: Path_, default=None):
        node = self._node(tuple(path))
        if node is None:
            return default
        return node.start_mark.line + 1, node.start_mark.column + 1

    def __contains__(self, path) -> bool:
        return self._node(tuple(path)) is not None

    def __getitem__(self, path):
        pos = self.get(path)
        if pos is None:
            raise KeyError(path)
        return pos


class _Surprises:
    """YAML 1.1 surprises by node, reported by path when the schema rejects the value there."""

    def __init__(self, positions: _Positions, by_node: dict[int, str]):
        self.positions, self.by_node = positions, by_node

    def _find(self, path):
        if not self.by_node:
            return None
        node = self.positions._node(tuple(path))
        return self.by_node.get(id(node)) if node is not None else None

    def __contains__(self, path) -> bool:
        return self._find(path) is not None

    def __getitem__(self, path) -> str:
        return self._find(path)


@dataclass
class Loaded:
    """A loaded YAML document; positions of values and keys are looked up on demand."""

    data: Any
    positions: _Positions
    #: where each key itself is written (for "unknown key" messages)
    key_positions: _Positions
    #: YAML 1.1 surprises: a message for the schema to use if the value turns out to be the wrong type
    surprises: _Surprises | dict[Path_, str] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            pos = self.positions.get(path)
            if pos is not None:
                return pos
            path = path[:-1]
        return self.positions.get((), (1, 1))


def _at(mark) -> tuple[int, int]:
    """1-based (line, column) of a PyYAML mark."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


class _Constructor(yaml.constructor.SafeConstructor):
    pass


def decode(raw: bytes, path: Path, problems: list[Problem]) -> str | None:
    """UTF-8 text of a file's bytes (BOM accepted); on failure add a problem and return None."""
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


def read_text(path: Path, problems: list[Problem], root: Path | None = None, kind: str = "yaml") -> str | None:
    """Read a UTF-8 file inside ``root`` (default: its own folder) through :mod:`casebook.confine`;
    on failure add a problem and return None."""
    raw = read_bytes(path, root if root is not None else path.parent, kind, problems)
    if raw is None:
        return None
    return decode(raw, path, problems)


def load_yaml(path: Path, problems: list[Problem], text: str | None = None, root: Path | None = None) -> Loaded | None:
    """Load ``path`` (inside ``root``); add every problem found to ``problems``; None if unusable."""
    if text is None:
        text = read_text(path, problems, root)
        if text is None:
            return None
    kept_at = cache.document_path(text, _CACHE_VERSION)
    cached = cache.load_document(kept_at)
    if cached is not None:  # this exact text loaded cleanly before: same data, no problems
        return _loaded(cached, _Tree(text), {})
    before = len(problems)
    try:
        # Anchors and aliases need '&' or '*', and deep nesting needs deep indentation or many brackets; only
        # then is the event stream scanned (iteratively, before anything is composed recursively).
        maybe_anchor = ("&" in text or "*" in text) and _MAYBE_ANCHOR.search(text)
        maybe_deep = _depth_bound(text) > MAX_DEPTH
        events = yaml.parse(text, Loader=_LOADER) if maybe_anchor or maybe_deep else ()
        depth = 0
        for event in events:
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(
                        Problem(
                            path,
                            *_at(event.start_mark),
                            f"values are nested more than {MAX_DEPTH} levels deep",
                            "no field of the library is nested this deep: check the indentation "
                            "and the brackets of this value",
                        )
                    )
                    return None
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(
                        path,
                        *_at(event.start_mark),
                        f"YAML alias '*{anchor}' is not allowed",
                        "write the value out in full instead of referring to an anchor",
                    )
                )
            elif anchor:
                problems.append(
                    Problem(
                        path,
                        *_at(event.start_mark),
                        f"YAML anchor '&{anchor}' is not allowed",
                        "remove the '&' anchor and write each value out in full",
                    )
                )
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        hint = "check indentation and quoting near this line"
        lines = text.splitlines()
        indentation = _indentation_hint(lines, line, col, what)
        if "\t" in (lines[line - 1] if 0 < line <= len(lines) else ""):
            hint = "YAML does not allow tab characters for indentation; use spaces"
        elif indentation is not None:
            col, hint = indentation
        elif "mapping values are not allowed" in what:
            hint = "a value containing ': ' must be put in quotes"
        problems.append(Problem(path, line, col, f"invalid YAML: {what}", hint))
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, other control characters)
        # libyaml counts bytes of the UTF-8 text, the pure-Python reader characters
        at = (
            len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
            if _LOADER is not yaml.BaseLoader and _BASE is not yaml.BaseLoader
            else exc.position
        )
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        problems.append(
            Problem(
                path,
                line,
                col,
                f"invalid YAML: the control character U+{ord(char):04X} is not allowed",
                "delete it; YAML files may contain only printable characters",
            )
        )
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        problems.append(Problem(path, 1, 1, "invalid YAML: " + str(exc).splitlines()[0], "check the file's syntax"))
        return None
    if len(problems) > before:
        return None
    if node is None:
        problems.append(Problem(path, 1, 1, "the file is empty", "fill in the fields described in the template"))
        return None
    constructor = _Constructor()
    by_node: dict[int, str] = {}
    data = _build(node, constructor, path, problems, by_node)
    if len(problems) > before:
        return None
    if not by_node:
        cache.store_document(kept_at, data)
    return _loaded(data, _Tree(text, node), by_node)


_KEY_LINE = re.compile(r"^( *)((?:- +)*)([^\s#'\"\[{:-][^:#]*?|-[^\s:#][^:#]*?) *:(?: |$)")
_INDENT_ERRORS = (
    "mapping values are not allowed",
    "did not find expected key",
    "did not find expected '-'",
    "expected <block end>",
)


def _key_column(text: str) -> tuple[int, str] | None:
    """(0-based column, key) of the key a line starts with (after any '- '), or None."""
    m = _KEY_LINE.match(text)
    return (len(m.group(1)) + len(m.group(2)), m.group(3)) if m else None


def _indentation_hint(lines: list[str], line: int, col: int, what: str) -> tuple[int, str] | None:
    """(column, hint) when a parse error at ``line`` (1-based) comes from a key indented unlike the key
    above it, rather than from the text of a value; None otherwise."""
    if not any(e in what for e in _INDENT_ERRORS) or not 0 < line <= len(lines):
        return None
    here = _key_column(lines[line - 1])
    if here is None:
        return None
    if "mapping values are not allowed" in what and here[0] + len(here[1]) + 1 < col - 1:
        return None  # the colon YAML objects to is inside the value, not after this line's key
    for above_no in range(line - 1, 0, -1):
        above_text = lines[above_no - 1]
        if not above_text.strip() or above_text.lstrip().startswith("#"):
            continue
        above = _key_column(above_text)
        if above is None or above[0] == here[0]:
            return None
        return here[0] + 1, (
            f"check the indentation: `{here[1]}:` starts in column {here[0] + 1}, but "
            f"`{above[1]}:` on line {above_no} starts in column {above[0] + 1}; the keys of one "
            "item must start in the same column (indent with spaces only)"
        )
    return None


def _loaded(data, tree: _Tree, by_node: dict[int, str]) -> Loaded:
    positions = _Positions(tree)
    return Loaded(data, positions, _Positions(tree, keys=True), _Surprises(positions, by_node))


_MAP, _SEQ = yaml.MappingNode, yaml.SequenceNode


_PLAIN_TAGS = set(_TAGS.values())


def _build(node, constructor, file: Path, problems: list[Problem], surprises: dict[int, str]):
    if node.tag not in _PLAIN_TAGS:  # an explicit tag: !num, !!python/name:…, !!binary, !!set
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        problems.append(
            Problem(
                file,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                f"YAML tag '{tag}' is not allowed",
                "remove the tag: write numbers plainly and text as text (in quotes if needed)",
            )
        )
        return None
    kind = type(node)
    if kind is _MAP:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is _MAP or type(key_node) is _SEQ:
                problems.append(
                    Problem(
                        file,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        "a key must be a plain word",
                        "write the key as text, e.g. `quote:`",
                    )
                )
                continue
            key = key_node.value
            if key in result:
                first = next(k for k, _ in node.value if k.value == key)
                problems.append(
                    Problem(
                        file,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        f"duplicate key '{key}' (first written on line {first.start_mark.line + 1})",
                        "keep only one of them; YAML would silently keep the last",
                    )
                )
                continue
            result[key] = _build(value_node, constructor, file, problems, surprises)
        return result
    if kind is _SEQ:
        return [_build(child, constructor, file, problems, surprises) for child in node.value]
    value = _scalar(node, constructor)
    if not node.style and not isinstance(value, str):  # plain scalar read as non-text: YAML 1.1 surprises
        raw = node.value
        if isinstance(value, bool) and _BOOL_WORDS.match(raw) and raw.lower() not in ("true", "false"):
            surprises[id(node)] = (
                f"YAML reads the bare word '{raw}' as {str(value).lower()}; "
                f"put it in quotes ('{raw}') if you mean the text"
            )
        elif isinstance(value, int) and not isinstance(value, bool) and _OCTAL_LIKE.match(raw):
            problems.append(
                Problem(
                    file,
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    f"the number {raw} has a leading zero, which YAML 1.1 reads as octal ({value})",
                    f"write it without the leading zero, or in quotes ('{raw}') if it is text",
                )
            )
        elif _DATE_LIKE.match(raw):
            surprises[id(node)] = f"YAML reads the bare value {raw} as a date; put it in quotes ('{raw}')"
    return value


def _scalar(node, constructor):
    """A scalar's value under the safe YAML 1.1 rules (null, bool, int, float, timestamp, str)."""
    raw = node.value
    if node.style or (raw and raw[0] not in _MAYBE_TYPED):
        return raw  # quoted, or cannot be anything but text
    if node.tag in ("tag:yaml.org,2002:str", "!"):
        node.tag = _RESOLVER.resolve(yaml.ScalarNode, raw, (True, False))
    if node.tag == "tag:yaml.org,2002:str":
        return raw
    return constructor.construct_object(node, deep=True)

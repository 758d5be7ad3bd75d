"""A small on-disk cache for work that depends only on its input and a library version.

Four kinds of thing are cached, all pure functions of their input: answers of libraries that depend only
on the library's version (pypinyin's readings, stroke counts, OpenCC's Traditional forms of glossary terms;
an upgrade recomputes them), Jinja's compiled templates (Jinja checks each
template's source checksum), narratives converted to sanitised HTML (keyed by their text and the versions of
Python-Markdown and nh3) and the data of YAML documents that loaded without a problem (keyed by a hash of
their exact text and the loader's version; a changed file is a new key, and positions for error messages are
re-read from the text only when a problem needs one). The output of a build and of `check` is the same with
or without the cache; it saves importing pypinyin's dictionaries, compiling the templates and parsing
unchanged YAML on every run.

Location: $CASEBOOK_CACHE_DIR, else $XDG_CACHE_HOME/casebook, else ~/.cache/casebook.
CASEBOOK_NO_CACHE=1 switches it off. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path | None:
    if os.environ.get("CASEBOOK_NO_CACHE") == "1":
        return None
    if os.environ.get("CASEBOOK_CACHE_DIR"):
        base = Path(os.environ["CASEBOOK_CACHE_DIR"])
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "casebook"
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return base


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def memo(name: str, version: str, keys: list[str], compute, valid=lambda value: True) -> dict:
    """``compute(key)`` for every key, from the cache file ``<name>-<version>.json`` where it has them.

    For pure functions of a string whose answer depends only on a library's version (pinyin readings,
    stroke counts, OpenCC conversions): a new version is a new file."""
    base = cache_dir()
    path = base / f"{name}-{version}.json" if base else None
    cached: dict = {}
    if path is not None and path.exists():
        try:
            cached = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cached = {}
        if not isinstance(cached, dict):
            cached = {}
    missing = [k for k in keys if k not in cached or not valid(cached[k])]
    for k in missing:
        cached[k] = compute(k)
    if missing and path is not None:
        _write_atomic(path, json.dumps(cached, ensure_ascii=False, sort_keys=True))
    return {k: cached[k] for k in keys}


def library_version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def pinyin_readings(terms: list[str], compute) -> dict[str, list[str]]:
    """``compute(term)`` for every term, from the cache where it has them."""
    return memo("pinyin", library_version("pypinyin"), terms, compute, valid=lambda r: isinstance(r, list))


def document_path(text: str, version: str, kind: str = "yaml") -> Path | None:
    """Where what was made of exactly this text (the data of a YAML document, a converted narrative) is kept
    (None: no cache)."""
    import hashlib

    base = cache_dir()
    if base is None:
        return None
    digest = hashlib.sha256(f"{version}\0{text}".encode()).hexdigest()
    return base / kind / digest[:2] / f"{digest}.json"


def load_document(path: Path | None):
    """The data kept at ``path`` (see :func:`document_path`), if the document loaded cleanly before."""
    if path is None or not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store_document(path: Path | None, data) -> None:
    """Keep ``data`` at ``path``; only data that JSON gives back unchanged (no dates, no number keys)."""
    if path is None:
        return
    try:
        encoded = json.dumps(data, ensure_ascii=False)
        if json.loads(encoded) != data:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
    except (TypeError, ValueError, OSError):
        return
    _write_atomic(path, encoded)


def jinja_bytecode_cache():
    import jinja2

    base = cache_dir()
    if base is None:
        return None
    folder = base / "jinja"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))

"""A small on-disk cache for work that depends only on its input and a library version.

Two things are cached, both pure functions of their input: pypinyin's readings of glossary terms (keyed by
the pypinyin version, so an upgrade recomputes them) and Jinja's compiled templates (Jinja checks each
template's source checksum). The output of a build is the same with or without the cache; it only saves
importing pypinyin's dictionaries and compiling the templates on every build.

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


def pinyin_readings(terms: list[str], compute) -> dict[str, list[str]]:
    """``compute(term)`` for every term, from the cache where it has them."""
    from importlib.metadata import version

    base = cache_dir()
    path = base / f"pinyin-{version('pypinyin')}.json" if base else None
    cached: dict[str, list[str]] = {}
    if path is not None and path.exists():
        try:
            cached = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cached = {}
    missing = [t for t in terms if not isinstance(cached.get(t), list)]
    for t in missing:
        cached[t] = compute(t)
    if missing and path is not None:
        _write_atomic(path, json.dumps(cached, ensure_ascii=False, sort_keys=True))
    return {t: cached[t] for t in terms}


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

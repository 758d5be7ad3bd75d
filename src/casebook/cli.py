"""The `casebook` command: check the library (more sub-commands in later issues)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .library import load_library
from .problems import LibraryError


def find_root(start: Path) -> Path:
    """The project folder: the nearest folder above ``start`` holding mkdocs.yml."""
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").exists() and (folder / "cases").is_dir():
            return folder
    return start


def cmd_check(args) -> int:
    library, problems = load_library(args.root)
    if problems:
        print(LibraryError(problems, args.root).report(), file=sys.stderr)
        return 1
    n_values = sum(len(c.values) for c in library.cases)
    print(f"ok: {len(library.cases)} cases, {n_values} cited values, {len(library.indicators)} indicators")
    return 0


def cmd_schema(args) -> int:
    from .schema import write

    written = write(args.root)
    for path in written:
        print(f"wrote {path.relative_to(args.root).as_posix()}")
    if not written:
        print("schema/ is up to date")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="casebook", description="城市基层党建比较案例库: editors' tools")
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: found from here)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate everything; report every problem as path:line:column")
    sub.add_parser("schema", help="regenerate the JSON Schemas in schema/ from the models")
    args = parser.parse_args(argv)
    args.root = (args.root or find_root(Path.cwd())).resolve()
    try:
        return {"check": cmd_check, "schema": cmd_schema}[args.command](args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

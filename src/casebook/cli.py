"""The `casebook` command: check the library (more sub-commands in later issues)."""

from __future__ import annotations

import argparse
import re
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
    from .check import check_library

    library, problems = check_library(args.root, args.jobs)
    if problems:
        print(LibraryError(problems, args.root).report(), file=sys.stderr)
        return 1
    print(f"ok: {library.n_cases} cases, {library.n_values} cited values, {len(library.indicators)} indicators")
    return 0


def _load_case(args, slug: str):
    """Load the library; return the case or print why not."""
    library, problems = load_library(args.root)
    case = next((c for c in library.cases if c.id == slug), None)
    if case is None:
        known = sorted(p.name for p in (args.root / "cases").iterdir() if p.is_dir())
        from .problems import did_you_mean

        mine = [p for p in problems if f"cases/{slug}/" in p.path.as_posix()]
        if slug not in known:
            print(f"casebook: no case '{slug}' — {did_you_mean(slug, known)}", file=sys.stderr)
        else:
            print(f"casebook: cases/{slug} cannot be loaded yet; fix these first:", file=sys.stderr)
            for p in mine or problems:
                print(p.format(args.root), file=sys.stderr)
        return None
    return case


def cmd_new(args) -> int:
    from .editor_tools import scaffold

    try:
        for line in scaffold(args.root, args.slug, args.source, args.city):
            print(line)
    except ValueError as exc:
        print(f"casebook: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_cite(args) -> int:
    from .editor_tools import cite, cite_yaml, read_case_source
    from .problems import did_you_mean

    if not re.fullmatch(r"[a-z][a-z0-9-]{0,39}", args.slug):
        print(f"casebook: '{args.slug}' is not a case id (lower-case letters, digits and '-')", file=sys.stderr)
        return 1
    folder = args.root / "cases" / args.slug
    if folder.is_symlink() or not folder.is_dir():
        cases = args.root / "cases"
        known = sorted(p.name for p in cases.iterdir() if p.is_dir()) if cases.is_dir() else []
        print(
            f"casebook: no case '{args.slug}' — {did_you_mean(args.slug, known)}"
            if known
            else f"casebook: no case '{args.slug}' — create it with `casebook new {args.slug}`",
            file=sys.stderr,
        )
        return 1
    # A new case is searched as it is: its placeholders and unfinished values are for `check` to report.
    found = read_case_source(folder)
    for p in found.problems:
        print(p.format(args.root), file=sys.stderr)
    if found.source is None:
        return 1
    if not found.furniture_known:
        print(
            f"casebook: case.yaml could not be read, so no line of cases/{args.slug}/source.txt is left out "
            "as furniture",
            file=sys.stderr,
        )
    hits = cite(found.source, args.query)
    if not hits:
        print(
            f"casebook: '{args.query}' does not occur in the text of cases/{args.slug}/source.txt "
            f"(searched in both scripts, width-folded; lines marked as furniture are left out)",
            file=sys.stderr,
        )
        return 1
    for hit in hits:
        print(cite_yaml(hit, found.city))
        print()
    return 0


def cmd_coverage(args) -> int:
    from .editor_tools import coverage, format_number

    library, problems = load_library(args.root)
    cases = [c for c in library.cases if args.slug is None or c.id == args.slug]
    if args.slug is not None and not cases:
        return 1 if _load_case(args, args.slug) is None else 0
    total = missing = 0
    for case in cases:
        rows = coverage(case)
        print(f"# {case.id} ({case.data.city}): {len(rows)} numbers in the source")
        for r in rows:
            mark = {"value": "✓", "uncoded": "·", "missing": "✗"}[r.status]
            print(
                f"{mark} ¶{r.paragraph:<3} {r.text:<10} {format_number(r.value):<10} {r.detail or 'NOT ACCOUNTED FOR'}"
            )
        total += len(rows)
        missing += sum(1 for r in rows if r.status == "missing")
    print(f"{total - missing} of {total} numbers accounted for by a value or an uncoded note")
    return 0


def cmd_migrate(args) -> int:
    from .migrate import migrate_case
    from .problems import did_you_mean

    cases = args.root / "cases"
    known = (
        sorted(p.name for p in cases.iterdir() if p.is_dir() and (p / "case.yaml").is_file()) if cases.is_dir() else []
    )
    slugs = args.slugs or known
    unknown = [s for s in slugs if s not in known]
    if unknown:
        for s in unknown:
            print(f"casebook: no case '{s}' — {did_you_mean(s, known)}", file=sys.stderr)
        return 1
    todo = 0
    for slug in slugs:
        folder = cases / slug
        if folder.is_symlink() or (folder / "case.yaml").is_symlink():
            print(f"casebook: cases/{slug} is a symbolic link; nothing was changed", file=sys.stderr)
            return 1
        try:
            result = migrate_case(folder)
        except Exception as exc:  # a file ruamel cannot read: `check` names the line
            print(
                f"casebook: cases/{slug}/case.yaml could not be read ({type(exc).__name__}); "
                f"run `casebook check` to see where, fix it, and migrate again",
                file=sys.stderr,
            )
            return 1
        if not result.changed:
            print(f"cases/{slug}/case.yaml: already in the current format")
            continue
        print(f"cases/{slug}/case.yaml: {result.converted} values upgraded, {len(result.todo)} fields need you")
        for t in result.todo:
            print(f"  TODO {t}")
        todo += len(result.todo)
    if todo:
        print(f"{todo} fields are marked TODO: decide each one (`casebook check` lists them with hints)")
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
    p_check = sub.add_parser("check", help="validate everything; report every problem as path:line:column")
    p_check.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    sub.add_parser("schema", help="regenerate the JSON Schemas in schema/ from the models")
    p_mig = sub.add_parser(
        "migrate", help="upgrade case.yaml files to structured scope and period, keeping comments; TODO where unsure"
    )
    p_mig.add_argument("slugs", nargs="*", metavar="slug", help="cases to upgrade (default: every case)")
    p_new = sub.add_parser("new", help="scaffold cases/<slug>/ with an explained case.yaml and a case.md skeleton")
    p_new.add_argument("slug")
    p_new.add_argument("--source", type=Path, help="archive this text file as source.txt and record its SHA-256")
    p_new.add_argument(
        "--city", help="the city's name in Chinese: its adcode and province are filled in from data/adcodes.csv"
    )
    p_cite = sub.add_parser("cite", help="find a number or text in a source; print YAML with a unique quote")
    p_cite.add_argument("slug")
    p_cite.add_argument("query", help="a number (2017, 3.7万, 37000, 七成) or text, in either script")
    p_cov = sub.add_parser("coverage", help="list every number in a source and what accounts for it")
    p_cov.add_argument("slug", nargs="?")
    args = parser.parse_args(argv)
    args.root = (args.root or find_root(Path.cwd())).resolve()
    try:
        commands = {
            "check": cmd_check,
            "schema": cmd_schema,
            "new": cmd_new,
            "cite": cmd_cite,
            "coverage": cmd_coverage,
            "migrate": cmd_migrate,
        }
        return commands[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `casebook coverage | head`
        sys.stderr.close()
        return 0
    except Exception as exc:  # never show editors a traceback
        print(
            f"casebook: internal error ({type(exc).__name__}: {exc}); please report it with the command you ran",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())

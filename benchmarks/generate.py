"""Make a valid synthetic library of N cases from the real ones (for benchmarks, never for the site).

Case k is a relabelled copy of real case k mod 5: its id and city name get a suffix, while its source,
quotes, values and narrative stay as they are, so every check still passes. Copy 0 keeps the real ids.

    python benchmarks/generate.py 200 /tmp/lib200
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "hooks", "templates", "data", "overrides", "schema")


def real_cases(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in (root / "cases").iterdir() if (p / "case.yaml").exists())


def generate(n: int, dest: Path, root: Path = ROOT, cases_root: Path | None = None) -> Path:
    """A library of ``n`` cases at ``dest``: the project parts of ``root`` and relabelled copies of the cases of
    ``cases_root`` (default ``root``; the benchmark takes the baseline commit's set of cases, so that both sides
    build the same pages whatever cases have been added since), each as ``root`` has it now."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in PROJECT_PARTS:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.exists():
            shutil.copy2(src, dest / name)
    # the case set of ``cases_root``, each case as ``root`` has it now if it still has it: today's checker may
    # require corrections (e.g. a qualifier re-coded) that the baseline commit's copy lacks
    bases = [
        root / "cases" / p.name if (root / "cases" / p.name / "case.yaml").exists() else p
        for p in real_cases(cases_root or root)
    ]
    (dest / "cases").mkdir()
    for k in range(n):
        base = bases[k % len(bases)]
        copy = k // len(bases)
        new_id = base.name if copy == 0 else f"{base.name}-{copy:04d}"
        target = dest / "cases" / new_id
        target.mkdir()
        shutil.copyfile(base / "source.txt", target / "source.txt")
        shutil.copyfile(base / "case.md", target / "case.md")
        text = (base / "case.yaml").read_text(encoding="utf-8")
        if copy:
            text = re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.MULTILINE)
            text = re.sub(r"^city: (.*)$", rf"city: \1·样本{copy}", text, count=1, flags=re.MULTILINE)
            text = re.sub(r"^city_en: (.*)$", rf"city_en: \1 sample {copy}", text, count=1, flags=re.MULTILINE)
        (target / "case.yaml").write_text(text, encoding="utf-8")
    return dest


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))

"""Make a valid synthetic library of N cases from the real ones (for benchmarks, never for the site).

Case k is a relabelled copy of real case k mod 5: its id gets a suffix, while its source, quotes, values and
narrative stay as they are, so every check still passes. Copy 0 keeps the real ids. Every other copy is placed in
a real division of data/adcodes.csv of the same kind as its original's (a prefecture-level division for a copy of
a 地级市 or 自治州, a county-level one for a copy of a 县级市): its city, adcode, province, province_en, level (the one
the division's name states: 地级市, 自治州, 地区, 盟, 县级市 or 市辖区) and parent are the division's. Copies take the
provinces in turn, in code order, so that a library of 200 has cases in every province whose divisions of that
kind the table holds (all but 台湾省, 香港 and 澳门, for which it has no prefecture- or county-level rows).
Their English name is "Synthetic sample k": no English name is made up for a real place.

    python benchmarks/generate.py 200 /tmp/lib200
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "hooks", "templates", "data", "overrides", "schema")


# The level a division's name states, by kind: only divisions that are one of a case's levels are used.
PREFECTURE_LEVELS = (
    ("自治州", "自治州", "autonomous prefecture"),
    ("地区", "地区", "prefecture"),
    ("盟", "盟", "league"),
    ("市", "地级市", "prefecture-level city"),
)
COUNTY_LEVELS = (("市", "县级市", "county-level city"), ("区", "市辖区", "district"))


def _level_of(name: str, kind: str) -> tuple[str, str] | None:
    for suffix, level, level_en in PREFECTURE_LEVELS if kind == "prefecture" else COUNTY_LEVELS:
        if name.endswith(suffix):
            return level, level_en
    return None


class Places:
    """Real divisions for the copies, by kind: the provinces in code order, and in each province its divisions
    (those whose name states the original's level first, then by code)."""

    def __init__(self, root: Path) -> None:
        import yaml

        from casebook.divisions import LEVEL_KINDS, load_divisions

        problems: list = []
        table = load_divisions(root, problems)
        if table is None or problems:
            raise SystemExit("data/adcodes.csv did not load: run `casebook check`")
        self.table = table
        self.kinds = LEVEL_KINDS
        provinces = yaml.safe_load((root / "data" / "provinces.yaml").read_text(encoding="utf-8"))["provinces"]
        self.english = {p["code"]: p["en"] for p in provinces}
        self.turn: dict[str, int] = {}  # kind -> the provinces' turns so far
        self.pools: dict[str, list[list]] = {}  # original's level -> per province, its divisions in order
        self.next_in: dict[str, list[int]] = {}  # original's level -> per province, where its unused ones start
        self.used: set[str] = set()  # codes given to a copy

    def next(self, base_level: str):
        """The next division for a copy of a case of ``base_level``: (division, level, level_en). The provinces
        take turns (one turn for all copies of a kind); in its turn a province gives a division no copy has yet,
        and is passed over once it has none left (all are used again once every division has been used)."""
        kind = self.kinds[base_level]
        if base_level not in self.pools:
            by_province: dict[str, list] = {}
            for d in self.table.of_kind(kind):
                level = _level_of(d.name, kind)
                if level is not None:
                    by_province.setdefault(d.code[:2], []).append((level[0] != base_level, d.code, d, level))
            self.pools[base_level] = [sorted(by_province[p]) for p in sorted(by_province)]
            self.next_in[base_level] = [0] * len(by_province)
        pools, next_in = self.pools[base_level], self.next_in[base_level]
        for _ in range(2):
            for _ in range(len(pools)):
                turn = self.turn.get(kind, 0)
                self.turn[kind] = turn + 1
                p = turn % len(pools)
                while next_in[p] < len(pools[p]) and pools[p][next_in[p]][1] in self.used:
                    next_in[p] += 1
                if next_in[p] < len(pools[p]):
                    _, code, division, (level, level_en) = pools[p][next_in[p]]
                    self.used.add(code)
                    return division, level, level_en
            # every division of this kind has a copy: start again
            self.used -= {entry[1] for pool in pools for entry in pool}
            next_in[:] = [0] * len(pools)
        raise AssertionError(f"data/adcodes.csv has no division for a copy of a {base_level}")

    def parent(self, code: str) -> str | None:
        """A county-level division's prefecture, or its municipality (None where the province administers it)."""
        prefecture = self.table.name_of(code[:4] + "00")
        if prefecture is not None:
            return prefecture
        province = self.table.province_of(code)
        return province[1] if province and code[:2] in ("11", "12", "31", "50") else None


def _set(text: str, key: str, value: str | None, after: str = "level_en") -> str:
    """Set the top-level ``key: value`` (inserted after ``after`` if absent; removed if ``value`` is None)."""
    line = re.compile(rf"^{key}: .*\n", re.MULTILINE)
    if value is None:
        return line.sub("", text, count=1)
    if line.search(text):
        return line.sub(lambda _: f"{key}: {value}\n", text, count=1)
    return re.sub(rf"^({after}: .*\n)", lambda m: m.group(1) + f"{key}: {value}\n", text, count=1, flags=re.M)


def relabel(text: str, new_id: str, k: int, places: Places) -> str:
    """Case ``k``'s case.yaml: the original's, with its id and its place replaced by the next real division."""
    base_level = re.search(r"^level: (\S+)", text, re.MULTILINE).group(1)  # type: ignore[union-attr]
    division, level, level_en = places.next(base_level)
    province = places.table.province_of(division.code)
    assert province is not None
    text = _set(text, "id", new_id)
    text = _set(text, "city", division.name)
    text = _set(text, "city_en", f"Synthetic sample {k}")
    text = _set(text, "province", province[1])
    text = _set(text, "province_en", places.english[province[0]])
    text = _set(text, "level", level)
    text = _set(text, "level_en", level_en)
    text = _set(text, "adcode", f'"{division.code}"')
    parent = places.parent(division.code) if level in ("县级市", "市辖区") else None
    return _set(text, "parent", parent, after="adcode")


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
    places = Places(dest)
    for base in bases[:n]:  # copy 0 keeps the originals' places: no other copy takes them
        places.used.update(re.findall(r'^adcode: "(\d{6})"', (base / "case.yaml").read_text(encoding="utf-8"), re.M))
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
            text = relabel(text, new_id, k, places)
        (target / "case.yaml").write_text(text, encoding="utf-8")
    return dest


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))

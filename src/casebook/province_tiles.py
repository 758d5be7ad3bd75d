"""The province overview: a tile grid of China's provincial-level divisions, one square per province placed on a
schematic grid roughly where the province lies, shaded by its number of cases. No boundary, outline or map
shape is drawn (only equal squares), so the drawing is not a map (and needs no map review).

:data:`LAYOUT` places every province of data/provinces.yaml (by its GB/T 2260 code) at a (row, column) of a
grid of :data:`COLUMNS` columns; ``tests/test_facets.py`` checks that it places each exactly once. Cases are
counted by ``case.data.province``, the province's full name (data/provinces.yaml ``name``), which is also what
the cases index filters by, so a tile's count is the number of cases its link shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from .records import Library

COLUMNS = 7
ROWS = 8
#: (row, column), from the top left. The north-east in the right-hand column, the west in column 0, the
#: coast down the right, Hainan and the special administrative regions in the bottom row.
LAYOUT: dict[str, tuple[int, int]] = {
    "23": (0, 6),  # 黑龙江
    "15": (1, 3),  # 内蒙古
    "11": (1, 4),  # 北京
    "22": (1, 6),  # 吉林
    "65": (2, 0),  # 新疆
    "62": (2, 1),  # 甘肃
    "64": (2, 2),  # 宁夏
    "14": (2, 3),  # 山西
    "13": (2, 4),  # 河北
    "12": (2, 5),  # 天津
    "21": (2, 6),  # 辽宁
    "54": (3, 0),  # 西藏
    "63": (3, 1),  # 青海
    "61": (3, 2),  # 陕西
    "41": (3, 3),  # 河南
    "37": (3, 4),  # 山东
    "51": (4, 1),  # 四川
    "50": (4, 2),  # 重庆
    "42": (4, 3),  # 湖北
    "34": (4, 4),  # 安徽
    "32": (4, 5),  # 江苏
    "53": (5, 1),  # 云南
    "52": (5, 2),  # 贵州
    "43": (5, 3),  # 湖南
    "36": (5, 4),  # 江西
    "33": (5, 5),  # 浙江
    "31": (5, 6),  # 上海
    "45": (6, 2),  # 广西
    "44": (6, 3),  # 广东
    "35": (6, 4),  # 福建
    "71": (6, 5),  # 台湾
    "46": (7, 2),  # 海南
    "82": (7, 3),  # 澳门
    "81": (7, 4),  # 香港
}
#: Shading: a tile with at least STEPS[k] cases (and fewer than STEPS[k + 1]) is of class k + 1; 0 cases: 0.
#: Fixed steps, not relative to the largest province, so that a shade means the same in any library.
STEPS = (1, 3, 10, 30)


@dataclass(frozen=True)
class Tile:
    code: str
    name: str  # full name (the filter's value)
    short: str  # on the tile
    row: int
    column: int
    count: int
    shade: int  # 0 (no case) to len(STEPS)
    query: str  # the cases index's query for this province, URL-encoded ("province=%E5%90%89…")

    @property
    def label(self) -> str:
        """The tile's accessible name, e.g. 吉林省：2 个案例."""
        return f"{self.name}：{self.count} 个案例"


def shade(count: int) -> int:
    return sum(1 for s in STEPS if count >= s)


def step_labels() -> list[tuple[int, str]]:
    """The legend: each shade and the numbers of cases it stands for."""
    out = [(0, "0")]
    for k, low in enumerate(STEPS, start=1):
        high = STEPS[k] - 1 if k < len(STEPS) else None
        out.append((k, f"{low}" if high == low else f"{low}–{high}" if high else f"{low} 以上"))
    return out


@dataclass(frozen=True)
class TileGrid:
    tiles: list[Tile]  # in reading order (row by row, left to right): the order of the list and of Tab
    unplaced: int  # cases whose province is not on the grid (not in data/provinces.yaml)


def tile_grid(library: Library) -> TileGrid:
    """The tiles of every province of data/provinces.yaml with its number of cases; one pass over the cases."""
    by_name: dict[str, int] = {}
    for case in library.cases:
        by_name[case.data.province] = by_name.get(case.data.province, 0) + 1
    tiles = []
    known = set()
    for p in library.provinces:
        if p.code not in LAYOUT:  # a province the layout does not place: tests/test_facets.py fails on it
            continue
        known.add(p.name)
        row, column = LAYOUT[p.code]
        n = by_name.get(p.name, 0)
        tiles.append(Tile(p.code, p.name, p.short, row, column, n, shade(n), "province=" + quote(p.name, safe="")))
    tiles.sort(key=lambda t: (t.row, t.column))
    unplaced = sum(n for name, n in by_name.items() if name not in known)
    return TileGrid(tiles, unplaced)

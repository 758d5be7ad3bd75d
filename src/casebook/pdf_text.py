"""Repair the text layer of a PDF printed by Chromium, so copied Chinese text is the text of the page.

Noto CJK draws some ideographs with the same glyph as a radical (比 and ⽐ U+2F50, 页 and ⻚ U+2EDA).
Chromium's PDF backend writes one code point per glyph into each font's /ToUnicode map and
sometimes picks the radical, so a reader who copies 比较 gets ⽐较 and a search for 比较 fails.
``fix_text_layer`` rewrites those destinations to the unified ideograph that shares the glyph.

The radical → ideograph map comes from the installed Noto CJK fonts themselves (code points that
share a glyph in the Simplified Chinese face), with Unicode's compatibility mapping (NFKC, which
covers the Kangxi Radicals block) as the fallback.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

NOTO_CJK_FILES = [
    Path("/usr/share/fonts/opentype/noto") / f"Noto{style}CJK-{weight}.ttc"
    for style in ("Sans", "Serif")
    for weight in ("Regular", "Bold")
]
RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
# Dashes whose glyph Noto CJK shares with a neighbour: Chromium writes the figure dash and the horizontal
# bar where the page has the en dash (our "not reported" mark) and the em dash of a Chinese 破折号.
# Neither U+2012 nor U+2015 occurs in the library's sources or data (a test holds this).
DASHES = {0x2012: 0x2013, 0x2015: 0x2014}


def _is_ideograph(cp: int) -> bool:
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2FFFF


def _font_pairs(path: Path) -> dict[int, int]:
    """Radical → ideograph pairs that share a glyph in the SC face of one Noto CJK collection."""
    from fontTools.ttLib import TTCollection

    pairs: dict[int, int] = {}
    collection = TTCollection(str(path), lazy=True)
    try:
        faces = [f for f in collection.fonts if (f["name"].getDebugName(1) or "").endswith(" SC")]
        for font in faces[:1]:
            by_glyph: dict[str, list[int]] = {}
            for cp, glyph in font.getBestCmap().items():
                by_glyph.setdefault(glyph, []).append(cp)
            for cps in by_glyph.values():
                ideographs = sorted(c for c in cps if _is_ideograph(c))
                if ideographs:
                    for c in cps:
                        if c in RADICALS:
                            pairs.setdefault(c, ideographs[0])
    finally:
        collection.close()
    return pairs


@functools.cache
def radical_map() -> dict[int, int]:
    mapping: dict[int, int] = {}
    for path in NOTO_CJK_FILES:
        if path.exists():
            for radical, ideograph in _font_pairs(path).items():
                mapping.setdefault(radical, ideograph)
    mapping.update(DASHES)
    for cp in RADICALS:
        if cp not in mapping:
            folded = unicodedata.normalize("NFKC", chr(cp))
            if len(folded) == 1 and _is_ideograph(ord(folded)):
                mapping[cp] = ord(folded)
    return mapping


_HEX = r"<([0-9A-Fa-f]+)>"
_BFCHAR = re.compile(r"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(r"beginbfrange(.*?)endbfrange", re.S)
_RANGE_ENTRY = re.compile(_HEX + r"\s*" + _HEX + r"\s*(?:" + _HEX + r"|\[([^\]]*)\])")


def _utf16_decode(hexstr: str) -> str:
    return bytes.fromhex(hexstr).decode("utf-16-be", errors="surrogatepass")


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be", errors="surrogatepass").hex().upper()


def _fold(text: str, mapping: dict[int, int]) -> str:
    return "".join(chr(mapping.get(ord(ch), ord(ch))) for ch in text)


def parse_cmap(data: str) -> dict[str, str]:
    """Source code (hex, as written) → Unicode text, from bfchar and bfrange sections."""
    out: dict[str, str] = {}
    for block in _BFCHAR.findall(data):
        pairs = re.findall(_HEX, block)
        for src, dst in zip(pairs[0::2], pairs[1::2]):
            out[src.upper()] = _utf16_decode(dst)
    for block in _BFRANGE.findall(data):
        for lo, hi, dst, array in _RANGE_ENTRY.findall(block):
            width = len(lo)
            first, last = int(lo, 16), int(hi, 16)
            if array:
                dsts = [_utf16_decode(h) for h in re.findall(_HEX, array)]
                for code, text in zip(range(first, last + 1), dsts):
                    out[f"{code:0{width}X}"] = text
            else:
                start = _utf16_decode(dst)
                for i, code in enumerate(range(first, last + 1)):
                    out[f"{code:0{width}X}"] = start[:-1] + chr(ord(start[-1]) + i)
    return out


def write_cmap(data: str, mapping: dict[str, str]) -> str:
    """The CMap with its bfchar/bfrange sections replaced by bfchar sections for ``mapping``."""
    body = []
    items = sorted(mapping.items(), key=lambda kv: (len(kv[0]), kv[0]))
    for i in range(0, len(items), 100):
        chunk = items[i : i + 100]
        body.append(
            f"{len(chunk)} beginbfchar\n"
            + "".join(f"<{src}> <{_utf16_hex(dst)}>\n" for src, dst in chunk)
            + "endbfchar\n"
        )
    head = re.split(r"\d+\s+begin(?:bfchar|bfrange)", data, maxsplit=1)[0]
    tail = data[data.rindex("endcmap") :] if "endcmap" in data else "endcmap\n"
    return head + "".join(body) + tail


def _fonts(resources, seen: set[int]):
    """Every font reachable from a resource dictionary: its own, and those of its form XObjects and Type 3 fonts
    (Chromium draws the running header and footer as form XObjects)."""
    if resources is None:
        return
    resources = resources.get_object()
    for ref in resources.get("/Font", {}).values():
        if ref.idnum in seen:
            continue
        seen.add(ref.idnum)
        font = ref.get_object()
        yield font
        yield from _fonts(font.get("/Resources"), seen)
    for ref in resources.get("/XObject", {}).values():
        if ref.idnum in seen:
            continue
        seen.add(ref.idnum)
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject.get("/Resources"), seen)


def fix_text_layer(path: Path) -> int:
    """Rewrite radical code points in every /ToUnicode map of ``path``; the number of maps changed.

    The file is updated incrementally (only the changed maps are appended), which keeps this fast
    for the 70-page edition."""
    from pypdf import PdfWriter

    mapping = radical_map()
    folded = {chr(c) for c in mapping}
    writer = PdfWriter(str(path), incremental=True)
    changed = 0
    seen: set[int] = set()
    maps: set[int] = set()
    for page in writer.pages:
        for font in _fonts(page.get("/Resources"), seen):
            ref = font.raw_get("/ToUnicode") if "/ToUnicode" in font else None
            if ref is None or ref.idnum in maps:
                continue
            maps.add(ref.idnum)
            stream = ref.get_object()
            data = stream.get_data().decode("latin-1")
            cmap = parse_cmap(data)
            if not any(ch in folded for text in cmap.values() for ch in text):
                continue
            stream.set_data(
                write_cmap(data, {src: _fold(text, mapping) for src, text in cmap.items()}).encode("latin-1")
            )
            changed += 1
    if changed:
        tmp = path.with_suffix(".tmp.pdf")
        with open(tmp, "wb") as fh:
            writer.write(fh)
        tmp.replace(path)
    return changed

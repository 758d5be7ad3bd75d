"""The PDF text-layer repair: radical code points in /ToUnicode maps become the ideographs they stand for."""

from __future__ import annotations

from casebook.pdf_text import parse_cmap, radical_map, write_cmap

CMAP = """/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
2 beginbfchar
<01> <2F50>
<02> <57CE>
endbfchar
2 beginbfrange
<10> <12> <4E00>
<20> <21> [<2EDA> <0041>]
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def test_cmap_round_trip_expands_ranges():
    parsed = parse_cmap(CMAP)
    assert parsed == {"01": "⽐", "02": "城", "10": "一", "11": "丁", "12": "丂", "20": "⻚", "21": "A"}
    written = write_cmap(CMAP, parsed)
    assert parse_cmap(written) == parsed
    assert written.startswith("/CIDInit") and "begincodespacerange" in written and "endcmap" in written


def test_radicals_map_to_the_ideograph_that_shares_their_glyph():
    mapping = radical_map()
    assert chr(mapping[0x2F50]) == "比"  # Kangxi radical: Unicode's compatibility mapping agrees
    assert chr(mapping[0x2F83]) == "自"
    # ⻚ (CJK Radicals Supplement) has no Unicode decomposition; the Noto SC face shares its glyph with 页
    if 0x2EDA in mapping:
        assert chr(mapping[0x2EDA]) == "页"


def test_folded_dashes_never_occur_in_the_library():
    """The text layer turns U+2012 into U+2013 and U+2015 into U+2014; that is only safe while no page has them."""
    from conftest import ROOT

    from casebook.pdf_text import DASHES

    files = [*ROOT.glob("cases/*/*"), *ROOT.glob("data/*.yaml"), *ROOT.glob("templates/*"), *ROOT.glob("docs/*.md")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not any(chr(cp) in text for cp in DASHES), path

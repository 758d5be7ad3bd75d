"""The glossary: readings, dictionary order (checked on the built page), computed occurrences, tooltips."""

from __future__ import annotations

import re
import time

from htmlutil import page

from casebook.glossary import Matcher, sort_key, split_syllable, stroke_count
from casebook.normalize import normalize

# Known readings: polyphones and programme names (PRIMER.md). A wrong reading fails the test.
KNOWN_READINGS = {
    "网格长": "wǎng gé zhǎng",
    "楼栋长": "lóu dòng zhǎng",
    "联户长": "lián hù zhǎng",
    "五长制": "wǔ zhǎng zhì",
    "三长一员一民警": "sān zhǎng yī yuán yī mín jǐng",
    "长治久安": "cháng zhì jiǔ ān",
    "长远之计": "cháng yuǎn zhī jì",
    "重心下移": "zhòng xīn xià yí",
    "行业部门": "háng yè bù mén",
    "指挥调度平台": "zhǐ huī diào dù píng tái",
    "为民服务专项经费": "wèi mín fú wù zhuān xiàng jīng fèi",
    "关键少数": "guān jiàn shǎo shù",
    "产权自有率": "chǎn quán zì yǒu lǜ",
    "书记领航": "shū jì lǐng háng",
    "一肩挑": "yī jiān tiāo",
    "两委": "liǎng wěi",
    "大工委": "dà gōng wěi",
    "双报到": "shuāng bào dào",
    "社工岗": "shè gōng gǎng",
    "三岗十八级": "sān gǎng shí bā jí",
    "红色物业": "hóng sè wù yè",
    "街道吹哨、部门报到": "jiē dào chuī shào bù mén bào dào",
    "“红细胞”工程": "hóng xì bāo gōng chéng",
    "三级网格": "sān jí wǎng gé",
    "书记项目": "shū jì xiàng mù",
}


def test_glossary_has_enough_terms(library):
    assert len(library.glossary) >= 80


def test_known_readings(library):
    by_term = {e.term: e for e in library.glossary}
    checked = 0
    for term, reading in KNOWN_READINGS.items():
        if term in by_term:
            assert by_term[term].pinyin == reading, term
            checked += 1
    assert checked >= 10, "the glossary should contain the polyphone-bearing terms of the sources"


def test_pinyin_has_a_syllable_for_every_character(library):
    for e in library.glossary:
        han = [ch for ch in e.term if "\u4e00" <= ch <= "\u9fff"]
        assert len(e.syllables) == len(han), e.term
        for s in e.syllables:
            letters, tone = split_syllable(s)
            assert letters.isalpha() and 1 <= tone <= 5, (e.term, s)


def _rule_key(term: str, syllables: list[str]) -> tuple:
    """The ordering rule written out independently of casebook.glossary.sort_key."""
    text = "".join(ch for ch in term if ch not in "“”\"'")
    m = re.match(r"\d+", text)
    lead = (0, int(m.group())) if m else (1, 0)
    rest = text[m.end() :] if m else text
    alphabet = "abcdefghijklmnopqrstuüvwxyz"
    keys, it = [], iter(syllables)
    for ch in rest:
        if "\u4e00" <= ch <= "\u9fff":
            letters, tone = split_syllable(next(it))
            keys.append((tuple(alphabet.index(c) for c in letters), tone, stroke_count(ch)))
        elif ch.isascii() and ch.isalpha():
            keys.append(((alphabet.index(ch.lower()),), 0, 0))
    return lead + (tuple(keys),)


def test_built_glossary_is_in_dictionary_order(site, library):
    html = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    anchors = re.findall(r'<p class="gloss-entry" id="(g-[^"]+)"|<p id="(g-[^"]+)" class="gloss-entry"', html)
    order = [a or b for a, b in anchors]
    by_anchor = {e.anchor: e for e in library.glossary}
    assert sorted(order) == sorted(by_anchor), "every term appears exactly once"
    keys = [_rule_key(by_anchor[a].term, by_anchor[a].syllables) for a in order]
    assert keys == sorted(keys), "glossary page is not in dictionary order"
    # digit-initial terms come first, in a 0–9 section
    digit_terms = [a for a in order if re.match(r"\d", by_anchor[a].term.lstrip("“"))]
    assert order[: len(digit_terms)] == digit_terms
    if digit_terms:
        assert 'id="sec-09"' in html


def test_order_rule_on_polyphones_and_tones():
    # tone before strokes: 长 cháng (2) before 长 zhǎng, by letters c < z
    assert sort_key("长效机制", ["cháng", "xiào", "jī", "zhì"]) < sort_key("长治久安", ["zhǎng", "zhì", "jiǔ", "ān"])
    # same letters: tone 1 < 2 < 3 < 4 < neutral
    assert (
        sort_key("妈", ["mā"])
        < sort_key("麻", ["má"])
        < sort_key("马", ["mǎ"])
        < sort_key("骂", ["mà"])
        < sort_key("吗", ["ma"])
    )
    # same syllable and tone: fewer strokes first (工 3 < 公 4)
    assert sort_key("工", ["gōng"]) < sort_key("公", ["gōng"])
    # ü after u: lu < luo < lü
    assert sort_key("路", ["lù"]) < sort_key("落", ["luò"]) < sort_key("律", ["lǜ"])
    # a prefix comes first; digits first, by number
    assert sort_key("网格", ["wǎng", "gé"]) < sort_key("网格长", ["wǎng", "gé", "zhǎng"])
    assert (
        sort_key("“1+9”系列文件", ["xì", "liè", "wén", "jiàn"])
        < sort_key("10分钟服务圈", ["fēn", "zhōng", "fú", "wù", "quān"])
        < sort_key("“365”精细化服务法", ["jīng", "xì", "huà", "fú", "wù", "fǎ"])
        < sort_key("阿", ["ā"])
    )


def test_case_lists_are_computed_from_both_scripts(library):
    cases = {c.id: c for c in library.cases}
    for e in library.glossary:
        listed = {o.case_id for o in e.occurrences}
        forms = {normalize(e.term), normalize("".join(ch for ch in e.term if ch not in "“”"))} | {
            normalize(a) for a in e.data.aliases
        }
        for cid, case in cases.items():
            text = case.source.body + "\x00" + normalize(case.narrative)
            really = any(f and f in text for f in forms)
            assert (cid in listed) == really, (e.term, cid)
        for o in e.occurrences:
            if o.paragraph is not None:
                src = cases[o.case_id].source
                # the term starts in that paragraph (it may run on across a page break)
                starts = [
                    src.paragraph_at(src.body_map[i]).number
                    for f in forms
                    if f
                    for i in range(len(src.body))
                    if src.body.startswith(f, i)
                ]
                assert starts and min(starts) == o.paragraph, (e.term, o)
    # a Traditional-script source counts: some term occurs in Baicheng or Ordos
    assert any(o.case_id in ("baicheng", "ordos") for e in library.glossary for o in e.occurrences)


def test_tooltips_on_case_source_and_mechanism_pages_keep_links_and_anchors(site, library):
    checked = 0
    # a case page, its source, a Traditional-script source and a mechanism page: whichever cases the library has
    in_source = {o.case_id for e in library.glossary for o in e.occurrences if o.paragraph is not None}
    with_terms = [c for c in library.cases if c.id in in_source]
    first = with_terms[0]
    traditional = next((c for c in with_terms if c.data.source.script == "zh-Hant"), first)
    mechanism = first.tags[0].data.mechanism
    for url in [f"cases/{first.id}", f"sources/{first.id}", f"sources/{traditional.id}", f"mechanisms/{mechanism}"]:
        html = (site / url / "index.html").read_text(encoding="utf-8")
        article = html.split("<article", 1)[1].split("</article>", 1)[0]
        links = re.findall(r'<a class="gloss-term" href="([^"]+)#(g-[^"]+)" title="([^"]+)"[^>]*>', article)
        assert links, url
        anchors = {e.anchor for e in library.glossary}
        for href, anchor, title in links:
            assert href.endswith("glossary/") and anchor in anchors and "：" in title
            checked += 1
        # each term is linked only once per page
        assert len({a for _, a, _ in links}) == len(links)
        # never inside headings, marks or other links
        for tag in ("h1", "h2", "h3", "mark"):
            for inner in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", article, flags=re.S):
                assert "gloss-term" not in inner and 'class="gloss"' not in inner, (url, tag)
        for inner in re.findall(r"<a\b[^>]*>(.*?)</a>", article, flags=re.S):
            assert "<a " not in inner
    assert checked
    # anchors of cited passages survive annotation
    for case in library.cases:
        spage = page(site, f"sources/{case.id}")
        for c in case.citations():
            assert c.anchor in spage.in_mark_ids


def test_annotation_skips_tags_attributes_and_quoted_or_linked_text(library):
    """Terms are marked only in running text: not in a tag's attributes, nor inside links, headings, marks,
    quotes or code (nested, or written in upper case), and only the first occurrence on a page is a link."""
    from casebook.annotate import Annotator

    annotator = Annotator([e for e in library.glossary if e.term in ("红色物业", "两委")])
    html = (
        '<h2 id="x">红色物业</h2><p title="红色物业">红色物业与两委</p>'
        "<blockquote><p>红色物业<blockquote>两委</blockquote>红色物业</p></blockquote>"
        '<A HREF="#">红色物业</A><MARK>两委</MARK><code>红色物业</code><br/>'
        "<p>两委，红色物业</p>"
    )
    out = annotator.annotate(html, "../glossary/")
    # the hidden description of each linked term (aria-describedby) is not text of the page
    text = re.sub(
        r"<[^>]*>", "", re.sub(r'<span id="[^"]+-def" hidden><span class="print-pinyin">[^<]*</span></span>', "", out)
    )
    assert re.sub(r"（[^）]*）", "", text) == re.sub(r"<[^>]*>", "", html)  # only markup was added
    marked = re.findall(r'<(a class="gloss-term"|abbr class="gloss")[^>]*>([^<]*)<', out)
    # the <p> after the title attribute: first occurrences link; the last <p>: later occurrences are tooltips
    assert marked == [
        ('a class="gloss-term"', "红色物业"),
        ('a class="gloss-term"', "两委"),
        ('abbr class="gloss"', "两委"),
        ('abbr class="gloss"', "红色物业"),
    ]
    assert out.startswith('<h2 id="x">红色物业</h2><p title="红色物业"><a class="gloss-term" href="../glossary/#')
    assert "<blockquote><p>红色物业<blockquote>两委</blockquote>红色物业</p></blockquote>" in out
    assert '<A HREF="#">红色物业</A><MARK>两委</MARK><code>红色物业</code>' in out


def test_longest_term_wins():
    m = Matcher({"民警": "民警", "三长一员一民警": "三长一员一民警", "网格": "网格", "网格长": "网格长"})
    assert [t for _, _, t in m.find("实行三长一员一民警模式,网格长和社区民警")] == ["三长一员一民警", "网格长", "民警"]


def test_one_pass_matching_stays_fast_with_thousands_of_terms():
    """Matching cost does not grow with the number of terms: 4,000 terms cost about what 40 do."""
    import random

    rng = random.Random(7)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    terms = sorted({"".join(rng.choice(han) for _ in range(rng.randint(3, 6))) for _ in range(4000)})
    text = "".join(rng.choice(han) for _ in range(100_000)) + "".join(terms[:50])
    big, small = Matcher({t: t for t in terms}), Matcher({t: t for t in terms[:40]})
    assert set(terms[:50]) <= {t for _, _, t in big.find(text)}

    def best(m):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            m.find(text)
            times.append(time.perf_counter() - t0)
        return min(times)

    # a scan per term would make the 4,000-term matcher ~100x slower than the 40-term one
    assert best(big) < 5 * best(small) + 0.05


def test_pinyin_cache_never_changes_a_reading(tmp_path, monkeypatch):
    """Readings come from the cache only as pypinyin gave them; a corrupt cache file is recomputed."""
    from casebook.cache import pinyin_readings
    from casebook.glossary import pypinyin_reading

    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path))
    terms = ["网格长", "重心下移", "行业部门"]
    first = pinyin_readings(terms, pypinyin_reading)
    assert first == {t: pypinyin_reading(t) for t in terms}
    calls = []
    assert pinyin_readings(terms, lambda t: calls.append(t) or []) == first and not calls
    for f in tmp_path.glob("pinyin-*.json"):
        f.write_text("{not json", encoding="utf-8")
    assert pinyin_readings(terms, pypinyin_reading) == first


def test_cached_strokes_and_traditional_forms_are_the_libraries_answers(tmp_path, monkeypatch):
    """Stroke counts and OpenCC's Traditional forms come from the on-disk cache exactly as the libraries gave
    them, warm or cold; so the glossary's order and its matching never depend on the cache."""
    from casebook.glossary import _s2t, stroke_count, stroke_counts, written_forms_of

    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path))
    terms = [("社区党组织", ["社區黨組織"]), ("“街乡吹哨、部门报到”", [])]
    cold = written_forms_of(terms)
    assert "社區黨組織" in cold[0] and "街鄉吹哨、部門報到" in cold[1] and "“街乡吹哨、部门报到”" in cold[1]
    assert all(_s2t().convert(f) in forms for (t, a), forms in zip(terms, cold) for f in [t, *a])
    assert written_forms_of(terms) == cold
    assert stroke_counts(["网格长"]) == {ch: stroke_count(ch) for ch in "网格长"} == stroke_counts(["网格长"])
    for f in tmp_path.glob("*.json"):
        f.write_text("[1, 2]", encoding="utf-8")  # damaged: recomputed
    assert written_forms_of(terms) == cold and stroke_counts(["网格长"])["网"] == stroke_count("网")

"""Citations that work in researchers' tools (issue 15, point 8).

The CSL-JSON download is rendered with citeproc-py in the Harvard style it ships (Cite Them Right; the older
``harvard1`` is no longer bundled), the BibTeX download is parsed with bibtexparser, and every link in the
downloads is absolute (data/site.yaml's ``site_url``) and leads to a page of the built site.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import bibtexparser
import pytest
from bibtexparser.middlewares import SeparateCoAuthors
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from conftest import ROOT, copy_project, run_build
from htmlutil import Page, page

from casebook import __version__
from casebook.downloads import LIBRARY_TITLE, bibtex, bibtex_escape, bibtex_type, site_url, source_kind

# The committed data/site.yaml sets no address until the site is published; these tests build a copy with one.
SITE_URL = "https://example.org/casebook/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The real library built with data/site.yaml's site_url set (shadows conftest's site for this module)."""
    project = copy_project(tmp_path_factory.mktemp("cite") / "project")
    (project / "data" / "site.yaml").write_text(f"site_url: {SITE_URL}\n", encoding="utf-8")
    out = project.parent / "site"
    result = run_build(project, out)
    assert result.returncode == 0, result.stderr
    return out


def harvard(items: list[dict]) -> dict[str, str]:
    """Each item's bibliography entry, as plain text, in citeproc-py's bundled Harvard style."""
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    out = {}
    for item in items:  # one bibliography per item: no sorting to undo
        bib = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
        bib.register(Citation([CitationItem(item["id"])]))
        (entry,) = bib.bibliography()
        out[item["id"]] = str(entry)
    return out


@pytest.fixture(scope="module")
def csl(site) -> list[dict]:
    return json.loads((site / "downloads" / "sources.csl.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bib(site):
    text = (site / "downloads" / "sources.bib").read_text(encoding="utf-8")
    return bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])


def test_site_url_is_set_once_in_data_site_yaml():
    committed = site_url(ROOT)
    assert committed == "" or (committed.startswith(("https://", "http://")) and committed.endswith("/"))
    # not also in mkdocs.yml: one place only (MkDocs would write canonical links from it)
    assert not re.search(r"^site_url:", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)


def test_site_url_reading(tmp_path):
    assert site_url(tmp_path) == ""  # no data/site.yaml: site-relative links
    config = tmp_path / "data" / "site.yaml"
    config.parent.mkdir()
    config.write_text("site_url: https://example.org/casebook\n", encoding="utf-8")
    assert site_url(tmp_path) == "https://example.org/casebook/"
    config.write_text("# nothing\n", encoding="utf-8")
    assert site_url(tmp_path) == ""
    for bad in ("'javascript:alert(1)'", "//example.org/", "'https://example.org/\" onclick=x'", "[1]"):
        config.write_text(f"site_url: {bad}\n", encoding="utf-8")
        with pytest.raises(ValueError, match=r"^data/site\.yaml:1:\d+: site_url: "):
            site_url(tmp_path)


def test_csl_renders_in_harvard_without_preprint_repeated_titles_or_changed_authors(csl, library):
    rendered = harvard(csl)
    assert set(rendered) == {f"casebook-{c.id}" for c in library.cases}
    for case in library.cases:
        s = case.data.source
        item = next(i for i in csl if i["id"] == f"casebook-{case.id}")
        text = rendered[item["id"]]
        assert "Preprint" not in text, text
        assert item["type"] == source_kind(s)
        if s.title:
            assert item["title"] == s.title and text.count(s.title) == 1, text
        else:
            assert "title" not in item, item  # an untitled text gets no made-up title
            assert "无标题" not in text and case.data.city not in text, text
        if s.author:
            assert item["author"] == [{"literal": s.author}]  # a literal name: never split, never reordered
            assert text.startswith(s.author + " ("), text
        else:
            assert "author" not in item
        assert ("container-title" in item) == bool(s.outlet)
        assert ("issued" in item) == bool(s.published)
        if s.published:
            assert text.count(s.published[:4]) >= 1, text
        else:
            assert "(no date)" in text
        assert item["note"].startswith(f"存档于{LIBRARY_TITLE}：{SITE_URL}sources/{case.id}/")


def test_each_source_has_the_type_that_fits_it(csl, library):
    """The five sources of the issue, as their case.yaml describe them (checked only while they still do)."""
    by_id = {c.id: c.data.source for c in library.cases}
    types = {i["id"].removeprefix("casebook-"): i["type"] for i in csl}
    expected = {
        # People's Daily Online (人民網-中國共產黨新聞網): a web page, the site as container
        "baicheng": ("人民網-中國共產黨新聞網", "webpage", "misc"),
        # 《中国城市报》, page 30: a newspaper article
        "yanbian": ("中国城市报", "article-newspaper", "article"),
        # no outlet: unpublished material, titled and signed
        "karamay": (None, "manuscript", "unpublished"),
        # no outlet and no title (and no author for Dengzhou): material with nothing to put in @unpublished
        "ordos": (None, "manuscript", "misc"),
        "dengzhou": (None, "manuscript", "misc"),
    }
    checked = 0
    for cid, (outlet, csl_type, bib_type) in expected.items():
        if cid in by_id and by_id[cid].outlet == outlet:
            assert types[cid] == csl_type, cid
            assert bibtex_type(by_id[cid]) == bib_type, cid
            checked += 1
    assert checked >= 3


def test_bibtex_parses_with_each_entry_of_its_type_and_only_stated_fields(bib, library):
    assert not bib.failed_blocks, [b.error for b in bib.failed_blocks]
    entries = {e.key: e for e in bib.entries}
    assert set(entries) == {f"casebook-{c.id}" for c in library.cases}
    for case in library.cases:
        s = case.data.source
        e = entries[f"casebook-{case.id}"]
        kind = bibtex_type(s)
        assert e.entry_type == kind
        fields = {f.key: f.value for f in e.fields}
        expected = {"note"}
        if s.title:
            expected.add("title")
            assert fields["title"] == "{" + bibtex_escape(s.title) + "}"  # braced: its case kept as written
        if s.author:
            expected.add("author")
            assert fields["author"] == ["{" + bibtex_escape(s.author) + "}"]  # one corporate or personal name
        if s.outlet:
            outlet_field = "journal" if kind == "article" else "howpublished"
            expected.add(outlet_field)
            assert fields[outlet_field] == bibtex_escape(s.outlet)
        if source_kind(s) == "article-newspaper":
            expected.add("entrysubtype")
            assert fields["entrysubtype"] == "newspaper"
        if s.published:
            expected |= {"year", "date"}
            assert fields["year"] == s.published[:4] and fields["date"] == s.published[:10]
        assert set(fields) == expected, (case.id, fields)
        if kind == "unpublished":
            assert {"author", "title", "note"} <= set(fields)  # what @unpublished requires
        assert f"{SITE_URL}sources/{case.id}/" in fields["note"]
        if s.edition:
            assert fields["note"].startswith(bibtex_escape(s.edition))


HOSTILE = [
    "}",
    "{",
    "a}, title = {evil",
    "\\",
    "\\end{document}",
    "100% & #1 $x$ a_b ^ ~",
    "x}\n\n@misc{evil,\n  title = {owned}\n}\n@comment{",
    '"quoted" = , @',
    "甲 and 乙",
    "{{}}}",
]


def _unescape(value: str) -> str:
    for cmd, ch in (
        (r"\textbackslash{}", "\\"),
        (r"\textbraceleft{}", "{"),
        (r"\textbraceright{}", "}"),
        (r"\textasciicircum{}", "^"),
        (r"\textasciitilde{}", "~"),
    ):
        value = value.replace(cmd, "\0" + str(ord(ch)) + "\0")
    value = re.sub(r"\\([%#&$_])", r"\1", value)
    return re.sub("\0(\\d+)\0", lambda m: chr(int(m.group(1))), value)


@pytest.mark.parametrize("payload", HOSTILE)
def test_a_hostile_value_cannot_break_the_bibtex_file(payload, tmp_path):
    source = SimpleNamespace(
        title=payload,
        author=payload,
        outlet=payload + "报",
        published="2020-01-02",
        edition=payload,
        file="source.txt",
        sha256="0" * 64,
        script="zh-Hans",
    )
    case = SimpleNamespace(id="fixture", data=SimpleNamespace(city="测试市", source=source))
    library = SimpleNamespace(root=tmp_path, site_url="", cases=[case, SimpleNamespace(id="next", data=case.data)])
    text = "\n\n".join(bibtex(library).values()) + "\n"
    parsed = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])
    assert not parsed.failed_blocks and not parsed.comments
    assert [e.key for e in parsed.entries] == ["casebook-fixture", "casebook-next"]
    fields = {f.key: f.value for f in parsed.entries[0].fields}
    assert set(fields) == {"author", "title", "journal", "entrysubtype", "year", "date", "note"}
    flat = " ".join(payload.split())
    assert _unescape(fields["title"][1:-1]) == flat
    assert fields["author"] == ["{" + bibtex_escape(payload) + "}"]  # one name, even with "and" in it
    assert _unescape(fields["journal"]) == flat + "报"
    assert _unescape(fields["note"]).startswith(flat + "；")
    # BibTeX itself counts every brace, escaped or not: each value's braces balance
    for value in (bibtex_escape(payload),):
        depth = 0
        for ch in value:
            depth += {"{": 1, "}": -1}.get(ch, 0)
            assert depth >= 0
        assert depth == 0


def _links(value, key=""):
    """Every (field, url) of a download record: the fields named ``*_url``, at any depth."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _links(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _links(v, key)
    elif key.endswith("_url") and value:
        yield key, value


def _resolves(site: Path, url: str) -> bool:
    """An absolute link of the downloads, mapped back into the built site: its page exists, with the anchor."""
    assert url.startswith(SITE_URL), url
    parts = urlsplit(url[len(SITE_URL) :])
    html = site / parts.path / "index.html"
    if not html.is_file():
        return False
    return not parts.fragment or parts.fragment in Page(html.read_text(encoding="utf-8")).ids


def test_every_link_in_the_downloads_is_absolute_and_leads_to_a_built_page(site, csl, bib):
    downloads = site / "downloads"
    with open(downloads / "indicators.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    records = {"indicators.csv": rows}
    for name in ("indicators.json", "mechanisms.json", "cases.json"):
        records[name] = json.loads((downloads / name).read_text(encoding="utf-8"))
    n = 0
    for name, data in records.items():
        for field, url in _links(data):
            assert url.startswith(SITE_URL), (name, field, url)
            assert _resolves(site, url), (name, field, url)
            n += 1
    assert n > len(rows)
    notes = [i["note"] for i in csl] + [e["note"] for e in bib.entries]
    for note in notes:
        urls = re.findall(r"https?://[^\s（）]+", note)
        assert urls and all(_resolves(site, u) for u in urls), note


def test_each_case_page_says_how_to_cite_it(site, library):
    for case in library.cases:
        p = page(site, f"cases/{case.id}")
        assert "how-to-cite" in p.ids
        permalink = f"{SITE_URL}cases/{case.id}/"
        cite_links = [a for a in p.links if "cite-url" in (a.get("class") or "")]
        assert [a["href"] for a in cite_links] == [permalink, f"{SITE_URL}sources/{case.id}/"]
        html = (site / "cases" / case.id / "index.html").read_text(encoding="utf-8")
        block = html.split('id="how-to-cite"', 1)[1].split("</div>", 1)[0]
        # the addresses are the links' text, so that they print in full
        assert f">{permalink}</a>" in block and f">{SITE_URL}sources/{case.id}/</a>" in block
        assert f"版本 {__version__}" in block and f"“{case.data.city}”案例" in block
        s = case.data.source
        if s.title:
            assert f"《{s.title}》" in _text(block)
        else:
            assert "（原文无标题" in _text(block)
        if s.author:
            assert s.author in _text(block)
        assert "gloss" not in block  # no glossary markup inside a citation
        assert f'href="../../downloads/#source-{case.id}"' in block


def _text(fragment: str) -> str:
    import html as htmllib

    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_the_citation_block_prints_its_links_in_full():
    css = (ROOT / "docs" / "stylesheets" / "print.css").read_text(encoding="utf-8")
    assert ".how-to-cite a.cite-url { word-break: break-all;" in css
    assert ".how-to-cite a.cite-url::after { content: none; }" in css  # the address is the text: not twice

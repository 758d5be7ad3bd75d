"""Search at size: Material's built-in search against Pagefind's extended build, on the same built site.

    python benchmarks/search_eval.py --site <built site> [--pagefind <python with pagefind[extended]>]
                                     [--quality] [--out benchmarks/search.json]

For the site it reports Material's index size and the bytes a reader downloads before the first result
(search_index.json, the search worker and its lunr files); it then builds a Pagefind bundle for the same
HTML (`pagefind --site … --root-selector article`, forced to Chinese, extended build for segmentation) and
reports its total size, file count and the bytes of a first query (entry, WASM, the index chunks the query
needs and the fragments of the first ten results), measured in Chromium.

With --quality both engines answer the same ten Chinese queries in Chromium (three of them in Traditional
script). A page counts as relevant when it is indexed (not a handout or the print edition) and its article text
contains the query after the library's normalisation (OpenCC Traditional → Simplified, width folding): a reader searching 網格化 wants the pages
about 网格化 too. It reports, per query and engine, how many relevant pages exist, how many of the first
ten results are relevant (precision@10) and how many relevant pages appear in the first ten (recall@10).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Request

QUERIES = [
    "网格员",
    "街道吹哨",
    "红色物业",
    "双报到",
    "社区工作者",
    "党群服务中心",
    "一肩挑",
    "網格化",
    "黨建引領",
    "社區黨組織",
    # issue 16: a word Chromium's segmenter splits (网 + 格, which found 网页), and a Simplified query that must
    # find the Traditional-script sources
    "网格",
    "社区党组织",
]
TRADITIONAL = {"網格化", "黨建引領", "社區黨組織"}

_ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.S)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _IndexedText(HTMLParser):
    """The text of an article as Pagefind indexes it: without scripts, styles and the elements the site leaves
    out of the index (casebook.search.EXCLUDED: permalinks and print-only text; ``data-pagefind-ignore``)."""

    def __init__(self) -> None:
        from casebook.search import EXCLUDED

        super().__init__(convert_charrefs=True)
        self.excluded = {c[1:] for c in EXCLUDED}
        self.skip = 0  # depth inside a left-out element
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        if self.skip:
            self.skip += 1
        elif (
            tag in ("script", "style")
            or self.excluded & set((dict(attrs).get("class") or "").split())
            or "data-pagefind-ignore" in dict(attrs)
        ):
            self.skip = 1

    def handle_endtag(self, tag):
        if self.skip and tag not in _VOID:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def article_texts(site: Path, normalised: bool = True) -> dict[str, str]:
    """Site path ('cases/karamay/') -> the text of its article as Pagefind indexes it, normalised (or,
    ``normalised=False``, only without whitespace: the text as written, to tell which pages hold a query only
    in the other script)."""
    from casebook.normalize import normalize

    out = {}
    for page in sorted(site.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        m = _ARTICLE.search(html)
        if not m:
            continue
        rel = page.parent.relative_to(site).as_posix()
        parser = _IndexedText()
        parser.feed(m.group(1))
        text = "".join(parser.parts)
        out["" if rel == "." else rel + "/"] = normalize(text) if normalised else "".join(text.split())
    return out


def indexed(site: Path, texts: dict[str, str]) -> dict[str, str]:
    """Only the pages the site's search indexes (casebook.search.indexed_pages): handouts and the print edition
    are left out on purpose, so a query is not scored against them."""
    from casebook.search import indexed_pages

    paths = set()
    for rel in indexed_pages(site):
        folder = rel.parent.as_posix()
        paths.add("" if folder == "." else folder + "/")
    return {p: t for p, t in texts.items() if p in paths}


def material_first_query_bytes(site: Path) -> dict:
    html = (site / "index.html").read_text(encoding="utf-8")
    worker = re.search(r'"search":\s*"([^"]+)"', html)
    files = [site / "search" / "search_index.json"]
    if worker:
        files.append((site / worker.group(1)).resolve())
    # the worker loads lunr's language support for the configured languages
    files += sorted((site / "assets" / "javascripts" / "lunr").glob("min/lunr.stemmer.support.min.js"))
    total = sum(f.stat().st_size for f in files if f.exists())
    return {
        "index_bytes": (site / "search" / "search_index.json").stat().st_size,
        "first_query_bytes": total,
        "files": [str(f.relative_to(site)) for f in files if f.exists()],
    }


def build_pagefind(site: Path, python: str) -> dict:
    """The bundle exactly as the site's build makes it (casebook.search.index_site, its exclusions included)."""
    bundle = site / "pagefind"
    subprocess.run([python, "-m", "casebook.search", str(site)], check=True)
    files = [p for p in bundle.rglob("*") if p.is_file()]
    return {"bundle_bytes": sum(p.stat().st_size for p in files), "bundle_files": len(files)}


def _server(site: Path):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from casebook.pdf import SiteServer

    return SiteServer(site)


def _browser():
    from playwright.sync_api import sync_playwright

    from casebook.pdf import CHROMIUM_ARGS, find_chromium

    pw = sync_playwright().start()
    return pw, pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True)


# The query as the site's search box sends it (docs/javascripts/search.js: Chinese words as phrases of their
# characters, Traditional folded to Simplified) through the engine its UI uses (phrase-search/pagefind.js),
# where the page has them; the raw query to Pagefind otherwise.
PAGEFIND_QUERY = """async (q) => {
  const cb = window.casebookSearch;
  const pf = await import(cb && cb.engine ? cb.engine : '/pagefind/pagefind.js');
  if (cb && cb.ready) await cb.ready;
  const r = await pf.search(cb ? cb.processTerm(q) : q);
  const top = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  return {count: r.results.length, urls: top.map(d => d.url)};
}"""


def pagefind_queries(browser, url: str, queries: list[str]) -> dict:
    out = {}
    for q in queries:
        page = browser.new_page()
        sizes: list[int] = []

        def record(req: Request, sizes: list[int] = sizes) -> None:
            if "/pagefind/" in req.url:
                sizes.append(req.sizes()["responseBodySize"])

        page.on("requestfinished", record)
        page.goto(url, wait_until="load")
        result = page.evaluate(PAGEFIND_QUERY, q)
        page.wait_for_timeout(100)
        result["payload_bytes"] = sum(sizes)
        out[q] = result
        page.close()
    return out


def material_queries(browser, url: str, queries: list[str]) -> dict:
    """Each query typed into Material's search box on a fresh page, as a reader would."""
    out = {}
    for q in queries:
        page = browser.new_page()
        page.goto(url, wait_until="load")
        page.click("input.md-search__input")
        page.keyboard.type(q)
        page.wait_for_function(
            """() => {
            const m = document.querySelector('.md-search-result__meta');
            return m && /结果|result/i.test(m.innerText);
        }""",
            timeout=300_000,
        )
        page.wait_for_timeout(300)
        urls = page.evaluate("""() => [...document.querySelectorAll('.md-search-result__item > .md-search-result__link')]
            .map(a => a.href)""")
        out[q] = {"meta": page.inner_text(".md-search-result__meta"), "urls": urls[:10]}
        page.close()
    return out


def _path(url: str, base: str) -> str:
    url = url.split("#", 1)[0].split("?", 1)[0]
    if url.startswith(base):
        url = url[len(base) :]
    url = url.lstrip("/")
    if url.endswith("index.html"):
        url = url[: -len("index.html")]
    return url


def score(results: dict, texts: dict[str, str], base: str, raw: dict[str, str] | None = None) -> dict:
    """Precision and recall at 10 per query; with ``raw`` texts also ``other_script``: how many of the pages
    that hold the query only in the other script (a Simplified query on a Traditional source) are in the top ten,
    out of min(10, such pages)."""
    from casebook.normalize import normalize

    scored = {}
    for q, r in results.items():
        nq = normalize(q)
        relevant = {p for p, t in texts.items() if nq in t}
        crossed = {p for p in relevant if raw is not None and "".join(q.split()) not in raw.get(p, "")}
        top = []
        for u in r["urls"]:
            p = _path(u, base)
            if p not in top:
                top.append(p)
        top = top[:10]
        hits = sum(1 for p in top if p in relevant)
        scored[q] = {
            "relevant": len(relevant),
            "returned_top": len(top),
            "relevant_in_top10": hits,
            "precision_at_10": round(hits / len(top), 2) if top else 0.0,
            "recall_at_10": round(hits / min(10, len(relevant)), 2) if relevant else None,
        }
        if raw is not None:
            found = sum(1 for p in top if p in crossed)
            scored[q]["other_script_relevant"] = len(crossed)
            scored[q]["other_script_in_top10"] = found
            scored[q]["other_script_recall_at_10"] = round(found / min(10, len(crossed)), 2) if crossed else None
    return scored


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--pagefind", default=sys.executable, help="a Python with pagefind[extended] installed")
    parser.add_argument("--quality", action="store_true", help="also run the queries (on both engines if built)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    site = args.site.resolve()
    has_material = (site / "search" / "search_index.json").exists()
    pagefind = build_pagefind(site, args.pagefind)
    report: dict[str, object] = {
        "site": str(site),
        "pages": sum(1 for _ in site.rglob("index.html")),
        "material": material_first_query_bytes(site) if has_material else None,
        "pagefind": pagefind,
    }
    pw, browser = _browser()
    try:
        with _server(site) as server:
            first = pagefind_queries(browser, server.url, QUERIES[:1])
            pagefind["first_query_bytes"] = first[QUERIES[0]]["payload_bytes"]
            if args.quality:  # Material's side only on a site built with its search plugin
                texts, raw = indexed(site, article_texts(site)), article_texts(site, normalised=False)
                pf = pagefind_queries(browser, server.url, QUERIES)
                mat = material_queries(browser, server.url, QUERIES) if has_material else {}
                quality: dict[str, object] = {"pagefind": score(pf, texts, "/", raw)}
                if has_material:
                    quality["material"] = score(mat, texts, server.url)
                quality["raw"] = {"pagefind": pf, "material": mat} if has_material else {"pagefind": pf}
                report["quality"] = quality
    finally:
        browser.close()
        pw.stop()
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

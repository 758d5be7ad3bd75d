"""Site search: a Pagefind index of the built site (extended build, for Chinese word segmentation).

Material's built-in search ships one JSON index the browser downloads whole (about 1 MB for five cases,
150 MB for a thousand); Pagefind splits its index into chunks and a first query loads only what it needs.
The comparison is in benchmarks/search.md.

Only each page's ``<article>`` is indexed (not the navigation repeated on every page). Printed handouts and the
print edition (``print/``) are not indexed: they repeat the reading pages, and a search result should open the
page a reader reads, not a handout.

**What Pagefind reads is a copy of each page, not the page served** (:func:`index_copy`, written to a temporary
folder; the pages readers get are not changed). In its article:

- Every Han character is a word of its own. Pagefind's Chinese mode segments pages with jieba when it indexes
  them but queries with the browser's ``Intl.Segmenter``, and the two disagreed: Chromium splits 一肩挑 into
  一 + 肩 + 挑 and 网格 into 网 + 格, which the index held as 一 + 肩挑 and 网格, so 一肩挑 found nothing and 网格
  found pages with 网页 and 格. With one word per character neither segmenter has anything left to split. The
  site's search box (``docs/javascripts/search.js``) sends each run of Han characters in a query as a quoted
  phrase of its characters (网格 as ``"网 格"``), which Pagefind matches exactly (the characters next to each
  other, in order), and ``docs/javascripts/phrase-search/pagefind.js`` ranks the pages found by the characters
  (Pagefind scores every page of a phrase search alike). A glossary term is kept whole like any query, wherever
  and in whichever script it is written. (Issue 16 first added every run of two and three characters as extra
  words instead: the same results, but three times the words, and at 1,000 cases a build four times as long
  and an indexer of 7 GB; benchmarks/README.md.)
- Text in Traditional script is followed, at the end of the article, by a Simplified copy (OpenCC's ``t2s``,
  one character at a time: the same table converts the query in the browser, :func:`search_data`), so a query
  in either script finds a source in either script. The copy exists only in the index, never on the page, so
  it is neither shown nor read by a screen reader.

Beside Pagefind's bundle the build writes ``pagefind/casebook-search.json`` (:func:`search_data`): the
character table and the glossary (every written form of every term → its entry, with pinyin, gloss, short
definition, link and the cases it occurs in), so that a query that is a term shows its entry first.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .glossary import Entry
    from .routes import RouteTable

BUNDLE = "pagefind"
DATA_FILE = "casebook-search.json"  # in the bundle folder: the character table and the glossary (search.js)
# Not indexed: heading permalinks (¶) and the text that only prints (citations, pinyin, notes).
EXCLUDED = (".headerlink", ".print-cite", ".print-pinyin", ".print-note", ".handout-link")
# Top-level folders of the built site that are not indexed.
NOT_INDEXED = ("print", BUNDLE, "assets", "javascripts", "stylesheets")

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Where a space goes in the indexed copy: on both sides of every Han character (search.js spaces a query the
# same way). Punctuation stands apart too: Pagefind marks an excerpt by words split at spaces, but indexes
# “一 as 一, so a mark would slip by a word.
_WORD_GAP = re.compile(rf"(?<=[{_HAN}])(?=\S)|(?<=\S)(?=[{_HAN}])")
_HAN_CHAR = re.compile(rf"[{_HAN}]")
_INLINE = re.compile(r"</?(a|span|abbr|mark|em|strong|b|i|code|sup|sub|small|q|cite|bdi|ruby|rt|time)\b", re.I)
# Pagefind's language for the index. The index copies have one word per Han character already, so no
# segmenter is needed; Pagefind's Chinese mode would run jieba over every page all the same, and at 1,000 cases
# that took about half the indexer's time (measured side by side on the same copies: 56 s and 2.1 GB in this
# mode, 100 s and 2.5 GB in Chinese mode, the same results on the search evaluation's queries).
INDEX_LANGUAGE = "en"
_TAG = re.compile(r"(<[^>]*>)")
_ARTICLE = re.compile(r"(<article\b[^>]*>)(.*)(</article>)", re.S)
_RAW_TEXT = re.compile(r"<(script|style)\b", re.I)
_BODY = re.compile(r"<body\b", re.I)


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why and what to do."""


def indexed_glob(site_dir: Path) -> str:
    """Pagefind's glob for the pages it indexes: every HTML page but those under NOT_INDEXED folders."""
    parts = ["*.html"]
    for entry in sorted(p.name for p in Path(site_dir).iterdir() if p.is_dir()):
        if entry not in NOT_INDEXED:
            parts.append(f"{entry}/**/*.html")
    return "{" + ",".join(parts) + "}"


def indexed_pages(site_dir: Path) -> list[Path]:
    """The HTML pages Pagefind indexes (those :func:`indexed_glob` names), site-relative, in a stable order."""
    site_dir = Path(site_dir)
    pages = [p.relative_to(site_dir) for p in sorted(site_dir.glob("*.html"))]
    for folder in sorted(p for p in site_dir.iterdir() if p.is_dir() and p.name not in NOT_INDEXED):
        pages += [p.relative_to(site_dir) for p in sorted(folder.rglob("*.html"))]
    return pages


@lru_cache(maxsize=1)
def t2s_table() -> dict[str, str]:
    """Traditional → Simplified, one character at a time (OpenCC's ``t2s`` of each Han character it changes into
    one other character). The index's Simplified copy and the browser's query use this same table."""
    import opencc

    convert = opencc.OpenCC("t2s").convert
    table = {}
    for block in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)):
        for code in range(*block):
            ch = chr(code)
            simplified = convert(ch)
            if simplified != ch and len(simplified) == 1:
                table[ch] = simplified
    return table


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    """:func:`t2s_table` as ``str.translate`` takes it."""
    return {ord(t): s for t, s in t2s_table().items()}


def spaced(text: str) -> str:
    """``text`` with one word per Han character (see the module's docstring)."""
    return _WORD_GAP.sub(" ", text)


def index_copy(html: str, table: dict[str, str] | None = None) -> tuple[str, set[str]]:
    """The page as Pagefind reads it (see the module's docstring): its head and its article, in which Han
    characters are spaced apart and a Simplified copy of the Traditional-script text is appended (a ``div``
    Pagefind indexes; this copy is never served). Returns the copy and the Han characters its article holds
    (in Simplified)."""
    table = t2s_table() if table is None else table
    m = _ARTICLE.search(html)
    if m is None:
        return html, set()
    parts = _TAG.split(m.group(2))
    translation = _translation() if table is t2s_table() else {ord(t): s for t, s in table.items()}
    out: list[str] = []
    converted: list[str] = []
    chars: set[str] = set()
    raw = False  # inside <script> or <style>: not text, left as it is
    for i, part in enumerate(parts):
        if i % 2:
            out.append(part)
            if _RAW_TEXT.match(part):
                raw = True
            elif raw and part[:2] == "</":
                raw = False
            continue
        if raw or not _HAN_CHAR.search(part):
            out.append(part)
            continue
        simplified = part.translate(translation) if any(ch in table for ch in part) else part
        chars.update(_HAN_CHAR.findall(simplified))
        # apart from the text of an inline element next to it too (a block's end already parts them)
        before = " " if i > 0 and _INLINE.match(parts[i - 1]) else ""
        after = " " if i + 1 < len(parts) and _INLINE.match(parts[i + 1]) else ""
        out.append(before + spaced(part) + after)
        if simplified != part:
            converted.append(spaced(simplified))
    extra = f'<div class="cb-index-simplified">{" ".join(converted)}</div>' if converted else ""
    article = m.group(1) + "".join(out) + extra + m.group(3)
    # only the head (language, title) and the article: Pagefind reads nothing else (--root-selector article),
    # and the navigation around it is most of a page's bytes
    body = _BODY.search(html, 0, m.start())
    head = html[: body.start()] if body else html[: m.start()]
    return f"{head}<body>{article}</body></html>\n", chars


def _write_copies(job: tuple[Path, Path, list[Path]]) -> set[str]:
    site_dir, dest, pages = job
    chars: set[str] = set()
    table = t2s_table()
    for rel in pages:
        copy, found = index_copy((site_dir / rel).read_text(encoding="utf-8"), table)
        chars |= found
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(copy, encoding="utf-8")
    return chars


PARALLEL_FROM = 200  # pages; below this, starting workers costs more than it saves


def write_index_copies(site_dir: Path, dest: Path, jobs: int | None = None) -> set[str]:
    """Every indexed page of ``site_dir`` as :func:`index_copy` makes it, into ``dest`` (the same paths), on
    every core for a large site. Returns the Han characters of all of them."""
    import multiprocessing
    import os

    pages = indexed_pages(site_dir)
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2 or len(pages) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return _write_copies((site_dir, dest, pages))
    t2s_table()  # built once, inherited by the workers
    chunks = [(site_dir, dest, pages[i : i + 64]) for i in range(0, len(pages), 64)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return set().union(*pool.imap_unordered(_write_copies, chunks))


def glossary_data(entries: list[Entry], routes: RouteTable, city_of: dict[str, str]) -> dict:
    """The glossary as search.js shows a term's entry: ``forms`` (every written form, normalised as
    search.js normalises a query: Simplified, no spaces or quotation marks, lower case → index into ``entries``)
    and ``entries`` (term, pinyin, English, short definition, link to its glossary anchor, and the cases it
    occurs in, each [city, link]; links relative to the site's root)."""
    from .glossary import sort_text, written_forms_of

    if not entries or "glossary.md" not in routes:
        return {"forms": {}, "entries": []}
    table = t2s_table()
    forms: dict[str, int] = {}
    out = []
    written = written_forms_of([(e.term, e.data.aliases) for e in entries])
    for i, (entry, found) in enumerate(zip(entries, written)):
        for form in sorted(found | {sort_text(f) for f in found}):
            forms.setdefault(query_key(form, table), i)
        cases = []
        for case_id in sorted({o.case_id for o in entry.occurrences}, key=lambda c: (city_of.get(c, c), c)):
            uri = f"cases/{case_id}.md"
            if uri in routes and case_id in city_of:
                cases.append([city_of[case_id], routes.url_of(uri)])
        out.append(
            {
                "term": entry.term,
                "pinyin": entry.pinyin,
                "en": entry.data.en,
                "short": entry.short,
                "href": routes.url_of("glossary.md") + "#" + entry.anchor,
                "cases": cases,
            }
        )
    forms.pop("", None)
    return {"forms": dict(sorted(forms.items())), "entries": out}


_QUOTES = "“”‘’\"'「」『』《》〈〉"


def query_key(text: str, table: dict[str, str] | None = None) -> str:
    """A query or a written form as search.js compares them: width folded, Simplified (character table),
    no whitespace or quotation marks, lower case. search.js's ``key`` does the same."""
    from .normalize import fold_width

    table = t2s_table() if table is None else table
    folded = "".join(fold_width(ch) for ch in text)
    return "".join(table.get(ch, ch) for ch in folded if not ch.isspace() and ch not in _QUOTES).lower()


def search_data(chars: set[str], glossary: dict | None = None) -> str:
    """The JSON search.js loads: ``t2s`` (the character table, limited to the characters whose Simplified form
    the indexed pages hold, as one string of pairs) and the glossary (:func:`glossary_data`)."""
    table = t2s_table()
    pairs = "".join(t + s for t, s in sorted(table.items()) if s in chars)
    data = {"t2s": pairs, **(glossary or {"forms": {}, "entries": []})}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _command(source_dir: Path, bundle: Path) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(source_dir),
        "--output-path",
        str(bundle.resolve()),
        "--root-selector",
        "article",
        "--force-language",
        INDEX_LANGUAGE,
        "--silent",
    ]
    for selector in EXCLUDED:
        cmd += ["--exclude-selectors", selector]
    return cmd


def _failure(bundle: Path, returncode: int, output: str) -> SearchIndexError | None:
    if returncode == 0 and (bundle / "pagefind.js").exists():
        return None
    detail = output.strip().splitlines()[-5:]
    return SearchIndexError(
        "Pagefind could not index the site"
        + (":\n  " + "\n  ".join(detail) if detail else "")
        + "\n— install the pinned dependencies (`python3 tasks.py build` does) "
        "so that `pagefind[extended]` is present"
    )


def index_site(site_dir: Path, glossary: dict | None = None) -> Path:
    """Write the search bundle into ``site_dir/pagefind``, with search.js's data file; return its path.
    ``glossary``: :func:`glossary_data` (none: no entry is shown above the results)."""
    site_dir = Path(site_dir)
    bundle = site_dir / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    with tempfile.TemporaryDirectory(prefix="casebook-index-") as tmp:
        chars = write_index_copies(site_dir, Path(tmp))
        try:
            result = subprocess.run(_command(Path(tmp), bundle), capture_output=True, text=True)
        except OSError as exc:  # pragma: no cover - a broken interpreter
            raise SearchIndexError(f"could not run Pagefind: {exc}") from None
    failure = _failure(bundle, result.returncode, result.stderr or result.stdout)
    if failure is not None:
        raise failure
    (bundle / DATA_FILE).write_text(search_data(chars, glossary), encoding="utf-8")
    return bundle


class BackgroundIndex:
    """`mkdocs serve`: the search index written by a Pagefind process in the background after each rebuild, so
    that the changed page is served without waiting for it. The next rebuild stops an index still being written
    (it would index pages about to be replaced) before MkDocs empties the site folder."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._cancelled = False

    def start(self, site_dir: Path, glossary: dict | None = None) -> None:
        self.cancel()
        site_dir = Path(site_dir)
        bundle = site_dir / BUNDLE
        self._cancelled = False

        def run() -> None:  # the copies are written here too, so the rebuild does not wait for them
            with tempfile.TemporaryDirectory(prefix="casebook-index-") as tmp:
                try:
                    if bundle.exists():
                        shutil.rmtree(bundle)
                    chars = write_index_copies(site_dir, Path(tmp), jobs=1)  # no fork: `serve` runs threads
                except OSError as exc:  # the site folder was emptied by the next rebuild
                    if not self._cancelled:
                        print(f"search index not written: {exc}", file=sys.stderr)
                    return
                with self._lock:
                    if self._cancelled:
                        return
                    try:
                        process = subprocess.Popen(
                            _command(Path(tmp), bundle), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
                        )
                    except OSError as exc:  # pragma: no cover - a broken interpreter
                        print(f"search index not written: could not run Pagefind: {exc}", file=sys.stderr)
                        return
                    self._process = process
                output = process.communicate()[0] or ""  # read as it comes, so the pipe never fills
                if process.returncode >= 0:  # < 0: stopped by cancel()
                    failure = _failure(bundle, process.returncode, output)
                    if failure is not None:
                        print(f"search index not written: {failure}", file=sys.stderr)
                    else:
                        (bundle / DATA_FILE).write_text(search_data(chars, glossary), encoding="utf-8")

        self._thread = threading.Thread(target=run, name="pagefind", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Until the index being written is done (tests, and a clean exit)."""
        if self._thread is not None:
            self._thread.join()
        self._process = self._thread = None

    def cancel(self) -> None:
        """Stop an index still being written."""
        with self._lock:
            self._cancelled = True
            process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                process.kill()
        self.wait()


if __name__ == "__main__":  # python -m casebook.search <site>: index a site built elsewhere (benchmarks)
    index_site(Path(sys.argv[1]))

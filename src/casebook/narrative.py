"""Editors' narratives (``case.md``): a small allowlist of Markdown, converted and sanitised by the core.

What editors may write: paragraphs, headings from ``##`` down, emphasis, lists, block quotes, code, tables,
horizontal rules, and links to pages of this site (relative, as ``[白城市](baicheng.md)``) or to ``http``/
``https`` addresses. Nothing else reaches a page:

1. Python-Markdown runs with a restricted configuration: no raw HTML (neither blocks nor inline tags), no
   attribute lists, no ``md_in_html``, no images. Raw HTML that is written anyway comes out as visible text.
2. The HTML it produces is sanitised by nh3 (Ammonia) with an allowlist of tags and attributes; URLs must be
   ``http``, ``https`` or relative.
3. ``check`` reports every construct outside the allowlist at its line and column (:func:`forbidden`), so an
   editor learns about it before anything is built, and every link that leads nowhere (:func:`links`).

Links are written relative to the case page (``cases/<id>.md``). The narrative is shown on the case page,
the case handout and the print edition; its links are rewritten for each of them (:meth:`Narrative.html`).
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

import markdown
import nh3

from . import cache
from .routes import page_url, relative_url

ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "a",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"style"}, "td": {"style"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https"}
# Site-internal links are kept in this form between sanitising and embedding: a site path, rewritten into a
# URL relative to each page the narrative is shown on.
_INTERNAL = "/@site/"
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
# Bump when the conversion changes: narratives converted under another version are converted afresh.
_CACHE_VERSION = f"narrative/1/markdown-{markdown.__version__}/nh3-{cache.library_version('nh3')}"
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # no raw HTML: neither HTML blocks nor inline tags or comments are passed through
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    # no images (they would load from other hosts)
    for name in ("image_link", "image_reference", "short_image_ref"):
        md.inlinePatterns.deregister(name)
    return md


def to_html(text: str) -> str:
    """Restricted Markdown to (unsanitised) HTML."""
    md = _converter()
    md.reset()
    return md.convert(text)


@dataclass(frozen=True)
class Link:
    target: str  # as written
    site_path: str | None  # site-relative path (page source uri or file) for internal links
    anchor: str
    line: int
    column: int


def resolve(target: str, home_uri: str) -> tuple[str | None, str]:
    """(site path or None for an external link, anchor) of a link written on the page ``home_uri``."""
    path, _, anchor = target.partition("#")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path) or path.startswith("//"):
        return None, anchor
    if not path:
        return home_uri, anchor
    return posixpath.normpath(posixpath.join(posixpath.dirname(home_uri), path)), anchor


class Narrative:
    """One narrative, converted and sanitised once; embedded on any page with :meth:`html`."""

    def __init__(self, text: str, home_uri: str):
        self.text = text
        self.home_uri = home_uri
        self.links: list[Link] = []
        self._found: list[str] = []
        kept_at = cache.document_path(f"{home_uri}\0{text}", _CACHE_VERSION, "narrative") if text else None
        kept = cache.load_document(kept_at)
        if isinstance(kept, dict) and "sections" in kept:
            self._sections = [tuple(s) for s in kept["sections"]]
            self.links = [Link(*link) for link in kept["links"]]
        else:
            self._sections = self._convert()
            if kept_at is not None:
                cache.store_document(
                    kept_at,
                    {
                        "sections": [list(s) for s in self._sections],
                        "links": [[x.target, x.site_path, x.anchor, x.line, x.column] for x in self.links],
                    },
                )

    # -- conversion ---------------------------------------------------------------------------------------
    def _filter(self, tag: str, attr: str, value: str) -> str | None:
        if tag == "a" and attr == "href":
            self._found.append(value)
            site_path, anchor = resolve(value, self.home_uri)
            if site_path is None:
                return value
            if value.startswith("/"):
                return None  # absolute paths are reported by check; they break under a sub-path
            return _INTERNAL + site_path + (f"#{anchor}" if anchor else "")
        if attr == "style":
            return value  # filtered to text-align by nh3
        if tag == "ol" and attr == "start":
            return value if value.isdigit() else None
        return value

    def _sanitise(self, html: str, tags=ALLOWED_TAGS) -> str:
        return nh3.clean(
            html,
            tags=tags,
            attributes=ALLOWED_ATTRIBUTES,
            attribute_filter=self._filter,
            url_schemes=URL_SCHEMES,
            link_rel=None,
            filter_style_properties={"text-align"},
            strip_comments=True,
        )

    def _convert(self) -> list[tuple[int, str, str]]:
        """[(heading level or 0, heading HTML, body HTML)]: the part before the first heading has level 0."""
        sections: list[tuple[int, str, list[str]]] = [(0, "", [])]
        fence = None
        for line in self.text.splitlines():
            m = _FENCE.match(line)
            if m:
                fence = (
                    None
                    if fence and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)
                    else (fence or m.group(1))
                )
            h = _HEADING.match(line) if fence is None else None
            if h and len(h.group(1)) >= 2:
                sections.append((len(h.group(1)), h.group(2), []))
            else:
                sections[-1][2].append(line)
        out = []
        for level, heading, body in sections:
            head = ""
            if heading:
                inline = to_html(heading)
                head = self._sanitise(inline, {"em", "strong", "code"}).removeprefix("<p>").removesuffix("</p>")
            out.append((level, head, self._sanitise(to_html("\n".join(body)))))
        self.links = self._locate(self._found)
        return out

    def _locate(self, targets: list[str]) -> list[Link]:
        """Each link target with the line and column where it is written (searched in order)."""
        links, pos = [], 0
        for target in targets:
            i = self.text.find(target, pos)
            if i < 0:
                i = self.text.find(target)
            if i >= 0:
                pos = i + len(target)
                line = self.text.count("\n", 0, i) + 1
                col = i - (self.text.rfind("\n", 0, i) + 1) + 1
            else:
                line, col = 1, 1
            site_path, anchor = resolve(target, self.home_uri)
            links.append(Link(target, site_path, anchor, line, col))
        return links

    # -- output ---------------------------------------------------------------------------------------------
    def headings(self) -> list[tuple[int, str]]:
        """(level, heading text) of every section heading, in order."""
        return [(level, re.sub(r"<[^>]+>", "", head)) for level, head, _ in self._sections if level]

    def html(self, page_uri: str, shift: int = 0, directory_urls: bool = True) -> str:
        """The narrative as HTML for the page ``page_uri`` it is shown on: links made relative to that page,
        headings ``shift`` levels down, written ``<hN data-slug>`` so that the page gives them ids
        (:func:`casebook.render.finish`)."""
        parts = []
        for level, head, body in self._sections:
            if level:
                n = min(level + shift, 6)
                parts.append(f"<h{n} data-slug>{head}</h{n}>")
            body = self._localise(body, page_uri, directory_urls).strip()
            if body:
                parts.append(f'<div class="narrative">\n{body}\n</div>')
        return "\n".join(parts)

    @staticmethod
    def _localise(html: str, page_uri: str, directory_urls: bool) -> str:
        here = page_url(page_uri, directory_urls)

        def repl(m: re.Match) -> str:
            path, _, anchor = m.group(1).partition("#")
            url = relative_url(page_url(path, directory_urls), here) if path else ""
            return f'href="{url}{"#" + anchor if anchor else ""}"'

        return re.sub(r'href="' + re.escape(_INTERNAL) + r'([^"]*)"', repl, html)


# -- what check reports -----------------------------------------------------------------------------------------

_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_RAW_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])|<!--|<!\[CDATA\[|<![A-Za-z]|<\?")
_ATTR_LIST = re.compile(r"\{\s*:?\s*(?:[#.][\w-]|[A-Za-z_][\w:-]*\s*=)[^}\n]*\}")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\s*[(\[]")
# link targets: inline links, reference definitions and autolinks
_TARGET = re.compile(
    r"\]\(\s*<?([^)>\n]*)|^[ ]{0,3}\[[^\]\n]+\]:\s*<?(\S*)|<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>", re.MULTILINE
)


def _masked(text: str) -> str:
    """``text`` with code (fenced blocks and code spans) blanked out, offsets unchanged."""
    out = list(text)
    fence, start = None, 0
    offset = 0
    for line in text.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            fence, start = m.group(1), offset
        elif fence is not None and m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
            out[start : offset + len(line)] = [" " if c != "\n" else c for c in text[start : offset + len(line)]]
            fence = None
        offset += len(line)
    masked = "".join(out)
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), masked)


def forbidden(text: str) -> list[tuple[int, str, str]]:
    """(offset, what, fix) of every construct outside the narrative allowlist."""
    plain = _masked(text)
    found = []
    for m in _RAW_TAG.finditer(plain):
        what = f"raw HTML <{m.group(1).lower()}>" if m.group(1) else "raw HTML (a comment or declaration)"
        found.append(
            (
                m.start(),
                f"{what} is not allowed",
                "write plain Markdown; HTML in a narrative is shown as text, never run",
            )
        )
    for m in _ATTR_LIST.finditer(plain):
        found.append(
            (
                m.start(),
                "an attribute list {…} is not allowed",
                "remove it: ids, classes and attributes are set by the site, not by narratives",
            )
        )
    for m in _IMAGE.finditer(plain):
        found.append(
            (m.start(), "an image is not allowed in a narrative", "remove it; images would be loaded from another host")
        )
    for m in _TARGET.finditer(plain):
        k = next(i for i in (1, 2, 3) if m.group(i) is not None)
        # the target as a browser would read it: character references decoded, blanks and controls dropped
        target = re.sub(r"[\s\x00-\x1f\x7f]+", "", html.unescape(m.group(k)))
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", target)
        if scheme and scheme.group(1).lower() not in URL_SCHEMES:
            found.append(
                (
                    m.start(k),
                    f"a '{scheme.group(1).lower()}:' link is not allowed",
                    "link to a page of this site (e.g. baicheng.md) or to an http(s):// address",
                )
            )
    for m in re.finditer(r"^#[ \t]", plain, re.MULTILINE):
        found.append(
            (
                m.start(),
                "a first-level heading in the narrative",
                "the page title comes from case.yaml; start headings at '## '",
            )
        )
    return sorted(found)

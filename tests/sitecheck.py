"""Is anything live in a built site? Every page is parsed (not grepped) and checked for what could run.

Reported, with the page and the element:
- any attribute whose name starts with ``on`` (event handlers), on any element, SVG included;
- a ``<script>`` that is not the site's own: scripts with ``src`` must load a file of this site from
  ``assets/javascripts/``, ``javascripts/`` or ``pagefind/``; inline scripts must be the theme's own (the same
  text as on the site's 404 page, relative paths aside); ``application/json`` data blocks must be JSON;
- ``href``, ``src``, ``action``, ``formaction``, ``xlink:href``, ``data``, ``poster``, ``srcset`` or SVG
  animation ``values``/``to``/``from`` whose value (entities decoded, whitespace and control characters
  removed, lower-cased) starts with ``javascript:``, ``vbscript:`` or ``data:``;
- ``<iframe>``, ``<frame>``, ``<object>``, ``<embed>``, ``<base>``, ``<form>``, ``<meta http-equiv=refresh>``,
  and SVG ``<animate>``/``<set>`` that target an ``href``;
- URLs to another host in ``src`` attributes (the site loads nothing from a third party).

CSV downloads: no text cell may start with ``=``, ``+``, ``-``, ``@``, tab or carriage return.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "srcset",
    "background",
    "values",
    "to",
    "from",
    "by",
}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "base", "applet", "portal"}
SCRIPT_FOLDERS = ("assets/javascripts/", "javascripts/", "pagefind/")
_DANGEROUS = re.compile(r"^(javascript|vbscript|data):")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")
_RELATIVE_BASE = re.compile(r'"(?:(?:\.\./)*\.\.?|/)"')


def _normalise_script(text: str) -> str:
    return _RELATIVE_BASE.sub('"<base>"', text.strip())


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)
        if tag == "script":
            self.scripts.append((dict(attrs), ""))

    def _element(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        for name, value in a.items():
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=…> (event handler)")
            if name in URL_ATTRIBUTES:
                clean = _INVISIBLE.sub("", value).lower()
                if _DANGEROUS.match(clean) or ";javascript:" in clean or ";data:" in clean:
                    self.findings.append(f"<{tag} {name}={value[:60]!r}> (script URL)")
                if name in ("src", "srcset", "data", "poster") and re.match(r"^(https?:)?//", clean):
                    self.findings.append(f"<{tag} {name}={value[:60]!r}> (loads from another host)")
        if tag in FORBIDDEN_ELEMENTS:
            self.findings.append(f"<{tag}> (embeds or redirects)")
        if tag == "form" and (a.get("action") or a.get("method", "get").lower() != "get"):
            self.findings.append(f"<form action={a.get('action', '')[:60]!r}> (submits somewhere)")
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.findings.append("<meta http-equiv=refresh>")
        if tag in ("animate", "set", "animatetransform", "animatemotion") and a.get("attributename", "").lower() in (
            "href",
            "xlink:href",
        ):
            self.findings.append(f"<{tag} attributeName=href> (SVG animation of a link)")
        if tag == "script":
            self._script, self._script_text = a, []

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)


def scan_page(html: str, page: Path, site: Path, own_inline: set[str]) -> list[str]:
    scan = _Scan()
    scan.feed(html)
    scan.close()
    findings = list(scan.findings)
    for attrs, text in scan.scripts:
        kind = attrs.get("type", "").lower()
        if attrs.get("src"):
            src = attrs["src"]
            path = src.split("?")[0]
            target = (
                site / path.lstrip("/") if path.startswith("/") and not path.startswith("//") else page.parent / path
            ).resolve()
            try:
                rel = target.relative_to(site.resolve()).as_posix()
            except ValueError:
                rel = ""
            if (
                re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I)
                or not rel.startswith(SCRIPT_FOLDERS)
                or not target.is_file()
            ):
                findings.append(f"<script src={src!r}> (not one of the site's own scripts)")
        elif kind == "application/json":
            try:
                json.loads(text)
            except ValueError:
                findings.append("<script type=application/json> that is not JSON")
        elif _normalise_script(text) not in own_inline:
            findings.append(f"inline <script> that is not the theme's: {text[:60]!r}")
    return findings


def theme_inline_scripts(site: Path) -> set[str]:
    scan = _Scan()
    scan.feed((site / "404.html").read_text(encoding="utf-8"))
    return {
        _normalise_script(text)
        for attrs, text in scan.scripts
        if not attrs.get("src") and attrs.get("type", "").lower() != "application/json"
    }


def csv_findings(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    out = []
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        for cell in row:
            if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                out.append(f"{path.name} row {n}: cell {cell[:40]!r} would run as a formula")
    return out


def live_content(site: Path) -> list[str]:
    """Every finding in every page and CSV download of a built site, as 'page: finding'."""
    own = theme_inline_scripts(site)
    findings = []
    for page in sorted(site.rglob("*.html")):
        for f in scan_page(page.read_text(encoding="utf-8"), page, site, own):
            findings.append(f"{page.relative_to(site).as_posix()}: {f}")
    for path in sorted(site.rglob("*.csv")):
        findings.extend(csv_findings(path))
    return findings

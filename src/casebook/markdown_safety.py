"""Contributor Markdown must not run or embed anything, and its links must lead somewhere.

Refused, with their line and column: ``<script>``, ``<iframe>``, ``<object>``,
``<embed>``, ``<style>`` (and ``<link>``, ``<meta>``, ``<base>``, ``<form>``),
event-handler attributes (``onclick=`` …), and ``javascript:``, ``vbscript:``
or ``data:`` URLs in links, images or attributes. Plain Markdown, tables and
harmless inline HTML such as ``<br>`` stay allowed.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from .problems import Problem

_TAGS = re.compile(r"<\s*(script|iframe|object|embed|style|link|meta|base|form|frame|frameset|applet)\b",
                   re.IGNORECASE)
_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-zA-Z]+)\s*=", re.IGNORECASE)
_URL_SCHEME = re.compile(
    r"(?:\]\(\s*<?|\]:\s*<?|(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?)\s*(javascript|vbscript|data)\s*:",
    re.IGNORECASE)
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def unsafe_markdown(text: str, path: Path, problems: list[Problem], line_offset: int = 0, col_offset: int = 0,
                    what: str = "") -> None:
    """Report every construct in ``text`` that would run or embed something."""
    prefix = f"{what}: " if what else ""
    found = []
    for m in _TAGS.finditer(text):
        found.append((m.start(), f"{prefix}raw HTML <{m.group(1).lower()}> is not allowed",
                      "remove it; pages may not run or embed content from contributors"))
    for m in _HANDLER.finditer(text):
        found.append((m.start(1), f"{prefix}event-handler attribute '{m.group(1)}' is not allowed",
                      "remove the attribute; use plain Markdown"))
    for m in _URL_SCHEME.finditer(text):
        found.append((m.start(1), f"{prefix}'{m.group(1).lower()}:' URL is not allowed",
                      "link to a page of the site or to an ordinary https:// address"))
    for offset, message, hint in sorted(found):
        line, col = _position(text, offset)
        problems.append(Problem(path, line + line_offset, col + (col_offset if line == 1 else 0), message, hint))


def broken_links(text: str, path: Path, page_uri: str, known_pages: set[str], problems: list[Problem]) -> None:
    """Relative links to .md pages that do not exist (the narrative is rendered as ``page_uri``)."""
    base = posixpath.dirname(page_uri)
    for m in _LINK.finditer(text):
        target = m.group(1)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("#"):
            continue
        page = target.split("#", 1)[0]
        if not page.endswith(".md"):
            continue
        resolved = posixpath.normpath(posixpath.join(base, page))
        if resolved not in known_pages:
            line, col = _position(text, m.start(1))
            close = sorted(known_pages, key=lambda p: (posixpath.basename(p) != posixpath.basename(resolved), p))
            hint = f"no page {resolved}; link to an existing page, e.g. ../cases/{posixpath.basename(page)}" \
                if resolved.startswith("cases/") else f"no page {resolved} in this site"
            if close and posixpath.basename(close[0]) == posixpath.basename(resolved):
                hint = f"no page {resolved}; did you mean {posixpath.relpath(close[0], base or '.')}?"
            problems.append(Problem(path, line, col, f"link to a page that does not exist: {target}", hint))

"""Tiny HTML reading helpers for tests (stdlib only)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class Page(HTMLParser):
    """Collects ids, links, marks and text of one built page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, dict] = {}
        self.links: list[dict] = []
        self.stack: list[tuple[str, dict]] = []
        self.in_mark_ids: set[str] = set()
        self.text_parts: list[str] = []
        self._article = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            self._article += 1
        inside_mark = any(t == "mark" and "cite" in (x.get("class") or "") for t, x in self.stack)
        if "id" in a:
            self.ids[a["id"]] = {"tag": tag, **a}
            if (tag == "mark" and "cite" in (a.get("class") or "")) or inside_mark:
                self.in_mark_ids.add(a["id"])
        if tag == "a":
            self.links.append(a)
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self.stack.append((tag, a))

    def handle_endtag(self, tag):
        if tag == "article":
            self._article -= 1
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self._article:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)


def page(site: Path, url_path: str) -> Page:
    return Page((site / url_path / "index.html").read_text(encoding="utf-8"))

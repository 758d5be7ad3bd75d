"""The archived text as HTML: numbered paragraphs, highlighted cited passages, back-links.

Display cleaning removes the pinyin-annotation artifacts only; furniture lines
are kept and labelled. Every cited passage is wrapped in ``<mark class="cite">``;
the first mark of a passage carries its stable anchor id, and after the
passage come links back to every value and mechanism that cites it. Passages
may overlap and may run across paragraphs: one sweep over the boundaries of
each paragraph handles both.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .citations import Citation
from .display import FURNITURE_ZH
from .normalize import PINYIN_ARTIFACT, to_simplified
from .sources import Paragraph, SourceText


@dataclass(frozen=True)
class BackRef:
    label: str
    url: str  # relative to the source page (already a URL: from the route table)


def _visible(text: str) -> list[bool] | None:
    """Which characters are shown (not pinyin artifacts); None when all are."""
    keep = None
    for m in PINYIN_ARTIFACT.finditer(text):
        if keep is None:
            keep = [True] * len(text)
        keep[m.start() : m.end()] = [False] * (m.end() - m.start())
    return keep


def _clean(raw: str, keep: list[bool] | None, a: int, b: int, simplified: bool) -> str:
    text = raw[a:b] if keep is None else "".join(ch for ch, k in zip(raw[a:b], keep[a:b]) if k)
    if simplified:
        text = to_simplified(text)
    return escape(text, quote=False)


def render_paragraph(
    source: SourceText,
    p: Paragraph,
    cites: list[Citation],
    backrefs: dict[str, list[BackRef]],
    *,
    simplified: bool = False,
    with_ids: bool = True,
) -> str:
    """One paragraph as HTML, with marks for the citations that touch it."""
    raw = source.raw[p.start : p.end]
    keep = _visible(raw)
    pid = f"p{p.number}" if with_ids else f"s{p.number}"
    head = f'<a class="para-no" href="#{pid}">¶{p.number}</a> '
    if p.kind != "body":
        body = f'<span class="furniture-label" lang="zh-Hans">{FURNITURE_ZH[p.kind]}</span> ' + _clean(
            raw, keep, 0, len(raw), simplified
        )
        return f'<p class="src-para src-furniture" id="{pid}">{head}{body}</p>'

    # Boundaries of elementary segments inside this paragraph (relative offsets).
    spans = [
        (max(c.start, p.start) - p.start, min(c.end, p.end) - p.start, c)
        for c in cites
        if c.start < p.end and c.end > p.start
    ]
    cuts = {0, len(raw)}
    for a, b, _ in spans:
        cuts.update((a, b))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:]):
        covering = [c for (sa, sb, c) in spans if sa <= a and sb >= b]
        text = _clean(raw, keep, a, b, simplified)
        if not covering:
            out.append(text)
        else:
            starting = [c for (sa, _, c) in spans if sa == a and c.start == p.start + a]
            ids = [c.anchor for c in starting] if with_ids else []
            attr = f' id="{ids[0]}"' if ids else ""
            extra = "".join(f'<span id="{i}"></span>' for i in ids[1:])
            out.append(f'<mark class="cite"{attr}>{extra}{text}</mark>')
        ending = [c for (_, sb, c) in spans if sb == b and c.end == p.start + b]
        if with_ids:
            for c in sorted(ending, key=lambda c: c.anchor):
                links = " ".join(
                    f'<a href="{escape(r.url)}">{escape(r.label, quote=False)}</a>' for r in backrefs.get(c.anchor, [])
                )
                if links:
                    out.append(f'<span class="backrefs" lang="zh-Hans">↩ {links}</span>')
    return f'<p class="src-para" id="{pid}">{head}{"".join(out)}</p>'


def render_source(
    source: SourceText,
    cites: list[Citation],
    backrefs: dict[str, list[BackRef]],
    simplified: bool = False,
    with_ids: bool = True,
) -> str:
    """All paragraphs of a source, one per line."""
    parts = [
        render_paragraph(source, p, cites, backrefs, simplified=simplified, with_ids=with_ids)
        for p in source.paragraphs
    ]
    return "\n".join(parts)

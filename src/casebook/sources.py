"""An archived source split into numbered paragraphs, with its matching text.

Every non-empty line of ``source.txt`` is a paragraph, numbered ¶1, ¶2 … in
file order. The numbering depends only on the file, never on annotations, so
a ¶ number stays valid as long as the checksum does. Lines the case marks as
furniture (page furniture, captions, boilerplate) are kept and shown, but they
are left out of the *body*, the text quotes are matched against; so a quote
may run across a caption spliced into a sentence.
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field

from .normalize import count_occurrences, normalize, normalize_with_map


@dataclass
class Paragraph:
    number: int  # ¶ number, 1-based
    line: int  # line in source.txt, 1-based
    start: int  # offset of the paragraph's first character in the raw text
    end: int
    text: str
    kind: str = "body"  # body, page_furniture, caption, boilerplate


@dataclass
class SourceText:
    raw: str
    paragraphs: list[Paragraph]
    body: str = ""  # normalised body text
    body_map: array = field(default_factory=lambda: array("I"))  # body index -> raw offset
    full: str = ""  # normalised whole text (metadata look-ups, glossary scanning)
    full_map: array = field(default_factory=lambda: array("I"))  # full index -> raw offset
    _starts: list[int] = field(default_factory=list)

    @classmethod
    def parse(cls, raw: str, furniture: dict[int, str] | None = None) -> SourceText:
        """Split ``raw``; ``furniture`` maps line numbers to a furniture kind."""
        furniture = furniture or {}
        paragraphs: list[Paragraph] = []
        offset = 0
        for line_no, line in enumerate(raw.splitlines(keepends=True), start=1):
            content = line.rstrip("\r\n")
            if content.strip():
                lead = len(content) - len(content.lstrip())
                paragraphs.append(
                    Paragraph(
                        len(paragraphs) + 1,
                        line_no,
                        offset + lead,
                        offset + len(content),
                        content.strip(),
                        furniture.get(line_no, "body"),
                    )
                )
            offset += len(line)
        source = cls(raw, paragraphs)
        # One normalisation pass over the whole text; the body is the same text without furniture lines.
        full, full_map = normalize_with_map(raw)
        source.full, source.full_map = full, full_map
        furniture_spans = [(p.start, p.end) for p in paragraphs if p.kind != "body"]
        if not furniture_spans:
            source.body, source.body_map = full, full_map
        else:
            # full_map is increasing, so each furniture line is one slice of it: cut those slices out.
            body, body_map, k = [], array("I"), 0
            for a, b in furniture_spans:
                i, j = bisect.bisect_left(full_map, a, k), bisect.bisect_left(full_map, b, k)
                body.append(full[k:i])
                body_map.extend(full_map[k:i])
                k = j
            body.append(full[k:])
            body_map.extend(full_map[k:])
            source.body, source.body_map = "".join(body), body_map
        source._starts = [p.start for p in paragraphs]
        return source

    def paragraph_at(self, offset: int) -> Paragraph:
        """The paragraph containing raw ``offset`` (or the one before it)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.paragraphs[max(i, 0)]

    def find(self, quote: str, normalized: str | None = None) -> tuple[int, list[tuple[int, int]]]:
        """Occurrences of ``quote`` in the body: (count, [(raw_start, raw_end), …])."""
        needle = normalize(quote) if normalized is None else normalized
        if not needle:
            return 0, []
        spans = []
        start = 0
        while True:
            i = self.body.find(needle, start)
            if i < 0:
                break
            spans.append((self.body_map[i], self.body_map[i + len(needle) - 1] + 1))
            start = i + 1
        return len(spans), spans

    def mentions(self, text: str) -> int:
        """How often ``text`` occurs anywhere in the source (furniture included)."""
        return count_occurrences(normalize(text), self.full)

    def closest(self, quote: str) -> tuple[Paragraph, str] | None:
        """The passage of the body most like ``quote``, and its paragraph."""
        from rapidfuzz import fuzz

        needle = normalize(quote)
        if not needle or not self.body:
            return None
        al = fuzz.partial_ratio_alignment(needle, self.body)
        if al is None:
            return None
        a, b = al.dest_start, max(al.dest_end, al.dest_start + 1)
        raw_a, raw_b = self.body_map[a], self.body_map[min(b, len(self.body_map)) - 1] + 1
        para = self.paragraph_at(raw_a)
        from .normalize import remove_artifacts

        return para, remove_artifacts(self.raw[raw_a:raw_b]).replace("\n", "")

    def segments(self, start: int, end: int) -> list[tuple[Paragraph, int, int]]:
        """Split raw span [start, end) by paragraph: [(paragraph, start, end)], body paragraphs only."""
        out = []
        i = bisect.bisect_right(self._starts, start) - 1
        for p in self.paragraphs[max(i, 0) :]:
            if p.start >= end:
                break
            a, b = max(start, p.start), min(end, p.end)
            if a < b and p.kind == "body":
                out.append((p, a, b))
        return out


def furniture_lines(items) -> dict[int, str]:
    """Line number -> furniture kind, for the ``models.Furniture`` items of a case's source."""
    out: dict[int, str] = {}
    for f in items:
        a, _, b = f.lines.partition("-")
        for n in range(int(a), int(b or a) + 1):
            out[n] = f.kind
    return out

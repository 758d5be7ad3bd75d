"""Finish a PDF that Chromium printed: subset the fonts it embedded whole, drop the dates, make links relative.

Chromium's PDF backend (Skia) embeds a TrueType-outline font as a subset CID font (``CIDFontType2``) with
glyph ids kept, but when HarfBuzz's subsetter gives up, which it does for a CJK face once a document uses
about a thousand of its glyphs (the whole-library edition), Skia embeds the entire font file instead: the
21 MB collection of AR PL UMing for a 70-page edition. ``finish_pdf`` subsets such a font itself, with
fontTools, to the glyphs the pages show (read from their text operators), keeping glyph ids so the PDF's
identity ``CIDToGIDMap`` still holds. It also removes ``/CreationDate`` and ``/ModDate`` from the document
information, and turns the links Chromium wrote to the local server that served the pages
(``http://127.0.0.1:<port>/sources/x/``) into links relative to the site's ``pdf/`` folder (``../sources/x/``),
which a reader's PDF viewer resolves against the PDF's own address. So the same site gives byte-identical
PDFs (the pages print their sizes), and a PDF's links lead to the site it was downloaded from.

Fonts with CFF outlines (Noto CJK) are drawn by Skia as Type 3 procedures, whatever is done here; the print
stylesheet chooses TrueType faces for that reason (see docs/stylesheets/print.css).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

# A font program larger than this is checked against the glyphs the pages use (Skia's own subsets of the
# library's faces are well below it; a whole CJK font is megabytes).
WHOLE_FONT_BYTES = 1_500_000
TEXT_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}
# A date entry of the document information dictionary, as Skia writes it (a literal string).
_DATE_ENTRY = re.compile(rb"/(?:CreationDate|ModDate)\s*\((?:[^()\\]|\\.)*\)")


def _string_bytes(operand: Any) -> bytes:
    from pypdf.generic import TextStringObject

    if isinstance(operand, TextStringObject):
        return operand.original_bytes
    return bytes(operand)


def _used_glyphs(reader: Any) -> dict[int, set[int]]:
    """Glyph ids shown with each Type 0 font (by object number), from every page and form XObject."""
    from pypdf.generic import ContentStream

    used: dict[int, set[int]] = {}
    seen: set[int] = set()

    def walk(content: Any, resources: Any) -> None:
        resources = resources.get_object() if resources is not None else {}
        fonts = {name: ref.idnum for name, ref in resources.get("/Font", {}).items() if hasattr(ref, "idnum")}
        current: int | None = None
        for operands, operator in ContentStream(content, reader).operations:
            if operator == b"Tf":
                current = fonts.get(operands[0])
            elif operator in TEXT_OPERATORS and current is not None:
                strings = operands[0] if operator == b"TJ" else operands[-1:]
                glyphs = used.setdefault(current, set())
                for s in strings:
                    if isinstance(s, (int, float)):
                        continue
                    data = _string_bytes(s)
                    glyphs.update(int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2))
        for ref in resources.get("/XObject", {}).values():
            if ref.idnum in seen:
                continue
            seen.add(ref.idnum)
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject, xobject.get("/Resources"))

    for page in reader.pages:
        contents = page.get_contents()
        if contents is not None:
            walk(contents, page.get("/Resources"))
    return used


def _subset(data: bytes, postscript_name: str, glyphs: set[int]) -> bytes:
    """The face named ``postscript_name`` of ``data`` (a font or a collection), cut down to ``glyphs``."""
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # tables it cannot subset are dropped: fine

    if data[:4] == b"ttcf":
        faces = TTCollection(io.BytesIO(data)).fonts
        font = next((f for f in faces if f["name"].getDebugName(6) == postscript_name), faces[0])
    else:
        font = TTFont(io.BytesIO(data))
    font.recalcTimestamp = False  # head.modified stays as it was: the output depends on the input only
    options = subset.Options()
    options.retain_gids = True  # the PDF maps CIDs to glyph ids one to one
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]
    options.drop_tables += ["vmtx", "vhea", "VORG", "GSUB", "GPOS", "GDEF", "BDF ", "FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(glyphs | {0}))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _whole_fonts(reader: Any) -> bool:
    """Whether any embedded TrueType font program is large enough to be a whole font (its /Length1)."""
    for page in reader.pages:
        for ref in page.get("/Resources", {}).get("/Font", {}).values():
            font = ref.get_object()
            if font.get("/Subtype") != "/Type0":
                continue
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile2")
            if program is not None and int(program.get_object().get("/Length1", 0)) > WHOLE_FONT_BYTES:
                return True
    return False


def subset_whole_fonts(writer: Any) -> int:
    """Subset every embedded TrueType font program that holds far more glyphs than the pages use; how many."""
    from pypdf.generic import NameObject, NumberObject

    changed = 0
    for idnum, glyphs in sorted(_used_glyphs(writer).items()):
        font = writer.get_object(idnum)
        if font.get("/Subtype") != "/Type0":
            continue
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        if "/FontFile2" not in descriptor:
            continue
        stream = descriptor["/FontFile2"].get_object()
        data = stream.get_data()
        if len(data) <= WHOLE_FONT_BYTES:
            continue
        name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
        smaller = _subset(data, name, glyphs)
        if len(smaller) >= len(data):
            continue
        stream.set_data(smaller)
        stream[NameObject("/Length1")] = NumberObject(len(smaller))
        changed += 1
    return changed


def _relative_links(data: bytes, server_url: str | None) -> bytes:
    """Links to ``server_url`` made relative to the pdf/ folder, each padded with spaces to its old length."""
    if not server_url:
        return data
    pattern = re.compile(rb"\(" + re.escape(server_url.encode("ascii")) + rb"([^()\\]*)\)")

    def one(match: re.Match[bytes]) -> bytes:
        new = b"(../" + match.group(1) + b")"
        return new + b" " * (len(match.group()) - len(new))

    return pattern.sub(one, data)


def _relative_annotations(writer: Any, server_url: str | None) -> None:
    """The same as :func:`_relative_links`, on the link annotations of a PDF about to be rewritten."""
    from pypdf.generic import NameObject, TextStringObject

    if not server_url:
        return
    for page in writer.pages:
        for ref in page.get("/Annots", []) or []:
            link: Any = ref.get_object().get("/A")
            action: Any = link.get_object() if link is not None else None
            uri = action.get("/URI") if action is not None else None
            if isinstance(uri, str) and uri.startswith(server_url):
                action[NameObject("/URI")] = TextStringObject("../" + uri[len(server_url) :])


def finish_pdf(path: Path, server_url: str | None = None) -> None:
    """Subset fonts embedded whole, remove the print dates and make links to ``server_url`` (the server the
    page was printed from, ending in /) relative, in place (see the module's docstring).

    Without a whole font the file is not rewritten: the two date entries and the links are overwritten with
    text padded with spaces to the same length, so every offset of the cross-reference table still holds."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    tmp = path.with_suffix(".tmp.pdf")
    if not _whole_fonts(PdfReader(str(path))):
        data = _DATE_ENTRY.sub(lambda m: b" " * len(m.group()), path.read_bytes())
        tmp.write_bytes(_relative_links(data, server_url))
        tmp.replace(path)
        return
    writer = PdfWriter(clone_from=str(path))
    subset_whole_fonts(writer)
    _relative_annotations(writer, server_url)
    info: Any = writer._info.get_object() if writer._info is not None else None
    if info is not None:
        for key in ("/CreationDate", "/ModDate"):
            info.pop(NameObject(key), None)
    writer._ID = None  # no file identifier: pypdf would make one from the time
    out = io.BytesIO()
    writer.write(out)
    tmp.write_bytes(_relative_links(out.getvalue(), server_url))
    tmp.replace(path)

"""Links to the PDFs the build publishes, written before the PDFs exist and settled after they are printed.

A page is rendered before its handout is printed (the handout is printed from the built site), so a template
writes each PDF link as a block between two HTML comments, ``<!--cb-pdf:case-x.pdf-->…<!--/cb-pdf-->``, with
``<!--cb-pdf-size-->`` where the file's size goes. Once the build has printed the PDFs, :func:`settle` puts each
size in and removes the comments, and removes the whole block of a PDF that was not printed (no Chromium, or
``mkdocs serve``, which prints none): a page never links a PDF that is not there. ``<!--cb-pdf:*-->`` blocks
hold text about the PDFs in general and stay only when any PDF was printed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

ANY = "*"
END = "<!--/cb-pdf-->"
SIZE = "<!--cb-pdf-size-->"
_BLOCK = re.compile(r"<!--cb-pdf:([A-Za-z0-9_.*-]+)-->(.*?)<!--/cb-pdf-->", re.S)


def start(name: str) -> str:
    return f"<!--cb-pdf:{name}-->"


def human_size(n_bytes: int) -> str:
    """312 KB, 1.4 MB (units of 1024 bytes; KB rounded up, so a small file never reads 0 KB)."""
    if n_bytes < 1024 * 1024:
        return f"{-(-n_bytes // 1024)} KB"
    return f"{n_bytes / (1024 * 1024):.1f} MB"


def settle(html: str, sizes: Mapping[str, int]) -> str:
    """``html`` with its PDF blocks settled: ``sizes`` maps each printed PDF's file name to its size in bytes."""
    if "<!--cb-pdf:" not in html:
        return html

    def one(match: re.Match[str]) -> str:
        name, body = match.group(1), match.group(2)
        if name == ANY:
            return body if sizes else ""
        if name not in sizes:
            return ""
        return body.replace(SIZE, human_size(sizes[name]))

    return _BLOCK.sub(one, html)

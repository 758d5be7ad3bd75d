"""MkDocs hooks: wire MkDocs build events to the casebook package.

No logic lives here. Loading, checking and rendering are in ``casebook``; these functions only hand its
results to MkDocs: the navigation, a minimal Markdown source per generated page (``on_files``), the page's
rendered HTML and table of contents (``on_page_content``), the page body after theming (``on_post_page``),
the link check (``on_env``), the PDFs and the search index (``on_post_build``). State is reset in ``on_config``
because hooks stay loaded across ``mkdocs serve`` rebuilds; during `serve`, a memory of unchanged cases and
pages (and of their themed output) carries over from one rebuild to the next, and the search index is written in the
background. A build (not ``serve``) writes into a staging
folder that replaces the site folder only when the build succeeded (``casebook.publish``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, cast

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc
from mkdocs.utils import CountHandler

from casebook.memory import BuildMemory
from casebook.pdf_links import settle
from casebook.publish import StagedSite
from casebook.search import BackgroundIndex, SearchIndexError, index_site
from casebook.site import KEPT_TEMPLATE, SiteBuild
from casebook.site_pdf import PdfStepFailed, publish_pdfs

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import _TocToken

_build: SiteBuild | None = None
_command: str | None = None
_staged: StagedSite | None = None
# `mkdocs serve` only: what one rebuild keeps for the next, and the search index being built in the background
_memory = BuildMemory()
_indexing = BackgroundIndex()
# The commands that print the handouts to PDF and publish them (casebook.site_pdf); `serve` links no PDF.
PDF_COMMANDS = ("build", "gh-deploy")


def _site() -> SiteBuild:
    """The build prepared by ``on_config``, which MkDocs always calls before the other build events."""
    if _build is None:
        raise Abort("casebook: the site was not prepared (on_config did not run)")
    return _build


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build, _staged
    _build = None
    _count_warnings_when_quiet(config)
    root = Path(config.config_file_path).resolve().parent
    _indexing.cancel()  # an index still being written would index pages about to be replaced
    try:
        _build = SiteBuild.prepare(
            root, directory_urls=config.use_directory_urls, memory=_memory if _command == "serve" else None
        )
    except SiteBuild.Failed as exc:
        raise Abort(str(exc)) from None
    config["nav"] = _build.nav
    if _command in ("build", "gh-deploy"):
        _staged = StagedSite(config.site_dir)
        config["site_dir"] = _staged.begin()
    return config


def _count_warnings_when_quiet(config: MkDocsConfig) -> None:
    """`mkdocs build --strict -q` raises the logger's level to ERROR, so strict mode never sees a warning and a
    build with warnings passes. Keep the logger at WARNING (strict counts) and silence only its output."""
    logger = logging.getLogger("mkdocs")
    if config.strict and logger.level > logging.WARNING:
        for handler in logger.handlers:
            if not isinstance(handler, CountHandler):
                handler.setLevel(max(handler.level, logger.level))
        logger.setLevel(logging.WARNING)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _site()
    generated = [(uri, build.markdown(uri)) for uri in build.routes.routes] + list(build.files.items())
    for uri, content in generated:
        if files.get_file_from_path(uri) is not None:
            raise Abort(f"docs/{uri} would be overwritten by a generated page; remove it from docs/")
        files.append(File.generated(config, uri, content=content))
    if _command == "build":  # every page at once, on every core (not in `serve`, whose server runs in threads)
        try:
            build.prerender()
        except SiteBuild.Failed as exc:
            raise Abort(str(exc)) from None
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _site()
    uri = page.file.src_uri
    if uri not in build.routes:
        return html
    try:
        rendered = build.render(uri)
    except SiteBuild.Failed as exc:
        raise Abort(str(exc)) from None
    # casebook.render.toc_tokens makes exactly Python-Markdown's token shape (level, id, name, children)
    page.toc = get_toc(cast("list[_TocToken]", rendered.toc))
    page.present_anchor_ids = set(rendered.ids)
    if build.themed_is_kept(uri):  # `serve`: nothing around or in the page changed since the last rebuild
        page.meta["template"] = KEPT_TEMPLATE
    return rendered.head


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    problems = _site().check_links()
    if problems:
        raise Abort("\n".join(problems) + f"\n{len(problems)} broken link(s) in generated pages; nothing was built.")
    return env


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output = _site().finish(page.file.src_uri, output)
    if _command not in PDF_COMMANDS:  # no PDFs: no PDF links (a build settles them in on_post_build)
        output = settle(output, {})
    return output


def on_post_build(config: MkDocsConfig) -> None:
    global _staged
    if _command == "serve":  # the pages are served at once; search works as soon as its index is written
        _indexing.start(Path(config.site_dir), _site().search_glossary())
        return
    try:
        publish_pdfs(Path(config.site_dir), _site().routes)
    except PdfStepFailed as exc:
        raise Abort(str(exc)) from None
    try:
        index_site(Path(config.site_dir), _site().search_glossary())
    except SearchIndexError as exc:
        raise Abort(str(exc)) from None
    if _staged is not None:
        counted = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
        if any(h.get_counts() for h in counted):  # strict mode will abort: publish nothing
            _staged.discard()
        else:
            _staged.commit()
        _staged = None


def on_build_error(error: Exception) -> None:
    global _staged
    if _staged is not None:
        _staged.discard()
        _staged = None

"""MkDocs hooks: wire MkDocs build events to the casebook package.

No logic lives here. Loading, checking and rendering are in ``casebook``; these functions only hand its
results to MkDocs: the navigation, a minimal Markdown source per generated page (``on_files``), the page's
rendered HTML and table of contents (``on_page_content``), the page body after theming (``on_post_page``),
the link check (``on_env``) and the search index (``on_post_build``). State is reset in ``on_config``
because hooks stay loaded across ``mkdocs serve`` rebuilds; during `serve`, a memory of unchanged cases and
pages carries over from one rebuild to the next, and the search index is written in the background. A build (not ``serve``) writes into a staging
folder that replaces the site folder only when the build succeeded (``casebook.publish``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs.utils import CountHandler

from casebook.memory import BuildMemory
from casebook.publish import StagedSite
from casebook.search import BackgroundIndex, SearchIndexError, index_site
from casebook.site import SiteBuild

_build: SiteBuild | None = None
_command: str | None = None
_staged: StagedSite | None = None
# `mkdocs serve` only: what one rebuild keeps for the next, and the search index being built in the background
_memory = BuildMemory()
_indexing = BackgroundIndex()


def on_startup(command, dirty):
    global _command
    _command = command


def on_config(config):
    global _build, _staged
    _build = None
    _count_warnings_when_quiet(config)
    root = Path(config.config_file_path).resolve().parent
    _indexing.wait()  # the previous rebuild's search index is written before MkDocs empties the site folder
    try:
        _build = SiteBuild.prepare(root, directory_urls=config.use_directory_urls,
                                   memory=_memory if _command == "serve" else None)
    except SiteBuild.Failed as exc:
        raise Abort(str(exc)) from None
    config["nav"] = _build.nav
    if _command in ("build", "gh-deploy"):
        _staged = StagedSite(config.site_dir)
        config["site_dir"] = _staged.begin()
    return config


def _count_warnings_when_quiet(config):
    """`mkdocs build --strict -q` raises the logger's level to ERROR, so strict mode never sees a warning and a
    build with warnings passes. Keep the logger at WARNING (strict counts) and silence only its output."""
    logger = logging.getLogger("mkdocs")
    if config.strict and logger.level > logging.WARNING:
        for handler in logger.handlers:
            if not isinstance(handler, CountHandler):
                handler.setLevel(max(handler.level, logger.level))
        logger.setLevel(logging.WARNING)


def on_files(files, config):
    generated = [(uri, _build.markdown(uri)) for uri in _build.routes.routes] + list(_build.files.items())
    for uri, content in generated:
        if files.get_file_from_path(uri) is not None:
            raise Abort(f"docs/{uri} would be overwritten by a generated page; remove it from docs/")
        files.append(File.generated(config, uri, content=content))
    if _command == "build":  # every page at once, on every core (not in `serve`, whose server runs in threads)
        try:
            _build.prerender()
        except SiteBuild.Failed as exc:
            raise Abort(str(exc)) from None
    return files


def on_page_content(html, page, config, files):
    uri = page.file.src_uri
    if uri not in _build.routes:
        return html
    try:
        rendered = _build.render(uri)
    except SiteBuild.Failed as exc:
        raise Abort(str(exc)) from None
    page.toc = get_toc(rendered.toc)
    page.present_anchor_ids = set(rendered.ids)
    return rendered.head


def on_env(env, config, files):
    problems = _build.check_links()
    if problems:
        raise Abort("\n".join(problems) + f"\n{len(problems)} broken link(s) in generated pages; nothing was built.")
    return env


def on_post_page(output, page, config):
    return _build.inject(page.file.src_uri, output)


def on_post_build(config):
    global _staged
    if _command == "serve":  # the pages are served at once; search works as soon as its index is written
        _indexing.start(Path(config.site_dir))
        return
    try:
        index_site(Path(config.site_dir))
    except SearchIndexError as exc:
        raise Abort(str(exc)) from None
    if _staged is not None:
        counted = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
        if any(h.get_counts() for h in counted):  # strict mode will abort: publish nothing
            _staged.discard()
        else:
            _staged.commit()
        _staged = None


def on_build_error(error):
    global _staged
    if _staged is not None:
        _staged.discard()
        _staged = None

"""MkDocs hooks: wire MkDocs build events to the casebook package.

No logic lives here. Loading, checking and rendering are in ``casebook``;
these functions only hand its results to MkDocs. State is reset in
``on_config`` because hooks stay loaded across ``mkdocs serve`` rebuilds.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File

from casebook.search import SearchIndexError, index_site
from casebook.site import SiteBuild

_build: SiteBuild | None = None


def on_config(config):
    global _build
    _build = None
    root = Path(config.config_file_path).resolve().parent
    try:
        _build = SiteBuild.prepare(root)
    except SiteBuild.Failed as exc:
        raise Abort(str(exc)) from None
    config["nav"] = _build.nav
    return config


def on_files(files, config):
    for uri, content in {**_build.pages, **_build.files}.items():
        if files.get_file_from_path(uri) is not None:
            raise Abort(f"docs/{uri} would be overwritten by a generated page; remove it from docs/")
        files.append(File.generated(config, uri, content=content))
    return files


def on_page_content(html, page, config, files):
    glossary = files.get_file_from_path("glossary.md")
    return _build.annotate(html, page.file.src_uri, page.url, glossary.url if glossary else "")


def on_post_build(config):
    try:
        index_site(Path(config.site_dir))
    except SearchIndexError as exc:
        raise Abort(str(exc)) from None


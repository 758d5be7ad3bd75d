"""A build is published whole or not at all: the site folder is replaced only by a build that succeeded."""

from __future__ import annotations

from conftest import run_build

from casebook.publish import StagedSite


def test_staged_site_replaces_the_site_only_on_commit(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old", encoding="utf-8")
    staged = StagedSite(site)
    folder = staged.begin()
    (tmp_path / ".site.partial" / "new.html").write_text("new", encoding="utf-8")
    assert folder == str(tmp_path / ".site.partial")
    staged.discard()
    assert [p.name for p in site.iterdir()] == ["old.html"] and not (tmp_path / ".site.partial").exists()
    staged.begin()
    (tmp_path / ".site.partial" / "new.html").write_text("new", encoding="utf-8")
    staged.commit()
    assert [p.name for p in site.iterdir()] == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_strict_build_that_fails_at_the_end_leaves_the_previous_site(project, tmp_path):
    """MkDocs aborts a strict build only after writing every page; the staging folder is dropped then."""
    (project / "hooks" / "warn_once.py").write_text(
        "import logging\n\n\ndef on_post_build(config):\n"
        "    logging.getLogger('mkdocs.hooks.warn_once').warning('a warning, as a broken link would give')\n",
        encoding="utf-8",
    )
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - hooks/casebook_hooks.py", "  - hooks/warn_once.py\n  - hooks/casebook_hooks.py"
        ),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous site", encoding="utf-8")
    result = run_build(project, site)  # --strict -q: quiet mode must not hide warnings from strict mode
    assert result.returncode != 0 and "Aborted with 1 warnings" in result.stdout + result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "the previous site"
    assert not (tmp_path / ".site.partial").exists()

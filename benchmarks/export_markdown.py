"""Write a library's generated pages out once as ordinary Markdown, for the plain-MkDocs baseline.

The baseline project has the same docs, theme, extensions and navigation, the generated pages as files in
docs/, and no hooks: MkDocs + Material alone build exactly the same pages.

    python benchmarks/export_markdown.py <library> <baseline-project>
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

from casebook.site import SiteBuild


def export(library: Path, dest: Path) -> Path:
    build = SiteBuild.prepare(library)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(library / "docs", dest / "docs")
    if (library / "overrides").exists():
        shutil.copytree(library / "overrides", dest / "overrides")
    for uri, content in {**build.pages, **build.files}.items():
        path = dest / "docs" / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    text = (library / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.split("hooks:", 1)[0] + "\n" + text.split("hooks:", 1)[1].split("\n\n", 1)[1]
    text = text.replace("watch:\n  - cases\n  - data\n  - templates\n", "")
    text += "\n" + yaml.safe_dump({"nav": build.nav}, allow_unicode=True, sort_keys=False)
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    return dest


if __name__ == "__main__":
    export(Path(sys.argv[1]), Path(sys.argv[2]))

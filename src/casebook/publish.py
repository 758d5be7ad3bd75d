"""A build is published whole or not at all.

MkDocs writes pages into its site folder as it goes, and a strict build that fails at the end (or a build
that stops with an error) would leave a partial site behind. The hooks make MkDocs write into a staging
folder next to the real one (``.site.partial`` beside ``site``); only when the build has succeeded does the
staging folder replace the site folder. A failed build removes the staging folder and leaves the previous
site untouched.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


class StagedSite:
    def __init__(self, final: str | os.PathLike):
        self.final = Path(final).resolve()
        self.staging = self.final.parent / f".{self.final.name}.partial"

    def begin(self) -> str:
        """The folder to build into (emptied first: a crashed build may have left one behind)."""
        self.discard()
        self.staging.mkdir(parents=True)
        return str(self.staging)

    def commit(self) -> None:
        """Replace the site folder by the finished build."""
        old = self.final.parent / f".{self.final.name}.old"
        if old.exists():
            shutil.rmtree(old)
        if self.final.exists():
            os.replace(self.final, old)
        os.replace(self.staging, self.final)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)

"""`mkdocs build`, timing our hooks from inside the same process.

    python benchmarks/timed_build.py <times.json> <mkdocs build arguments...>

Writes ``{"total_s", "hooks_import_s", "events": {event: seconds}, "self_peak_mb", "children_peak_mb"}`` to
times.json: the wall time of the whole command, the time to import the hooks module, the time spent in each
MkDocs event's handlers, and the peak memory of the build process and of the largest process it started. In our
build the hooks are the only plugin (``plugins: []``), so the event times are our code's time. The baseline
build has no handlers, so its event times are zero.

Why: the end-to-end ratio of two builds run one after the other carries this machine's minute-to-minute speed
changes, which are larger than the 15 % margin being measured. Hook time against total time, measured in one
process, does not: both sides of it run in the same seconds.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

T0 = time.perf_counter()

import click  # noqa: E402
from mkdocs import plugins  # noqa: E402
from mkdocs.__main__ import cli  # noqa: E402
from mkdocs.config import config_options  # noqa: E402

events: dict[str, float] = {}
hooks_import = 0.0

_load_hook = config_options.Hooks._load_hook.__wrapped__  # undo lru_cache; MkDocs loads each hook once anyway
_run_event = plugins.PluginCollection.run_event


def _timed_load_hook(self, name, path):
    global hooks_import
    t = time.perf_counter()
    try:
        return _load_hook(self, name, path)
    finally:
        hooks_import += time.perf_counter() - t


def _timed_run_event(self, name, item=None, **kwargs):
    t = time.perf_counter()
    try:
        return _run_event(self, name, item, **kwargs)  # item=None is what run_event takes for "no item"
    finally:
        if self.events.get(name):
            events[name] = events.get(name, 0.0) + time.perf_counter() - t


def main(argv: list[str]) -> int:
    out, args = Path(argv[0]), argv[1:]
    # patching MkDocs' methods is the point of this script
    config_options.Hooks._load_hook = _timed_load_hook  # type: ignore[method-assign, assignment]
    plugins.PluginCollection.run_event = _timed_run_event  # type: ignore[method-assign]
    code = 0
    try:
        cli.main(args=["build", *args], standalone_mode=False)
    except click.ClickException as exc:  # an aborted build: MkDocs' message, as `mkdocs build` shows it
        exc.show()
        code = 1
    out.write_text(
        json.dumps(
            {
                "total_s": time.perf_counter() - T0,
                "hooks_import_s": hooks_import,
                "events": events,
                # MkDocs with our hooks, and the largest process it started (the render
                # workers, which share its memory as forks, or the Pagefind indexer)
                "self_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            },
            indent=1,
        )
    )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

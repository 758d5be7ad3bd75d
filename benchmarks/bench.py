"""Benchmark: what the build costs as the library grows, against plain MkDocs on the same pages.

    python3 tasks.py bench                  # N = 5, 50, 100, 200, 1000
    python3 tasks.py bench --sizes 5 50     # a quick run

For each N it generates a synthetic library (benchmarks/generate.py) and measures, each in a fresh process:
the full build (our hooks), the baseline build (the same generated pages written out once as Markdown and
built by MkDocs + Material with no hooks), `casebook check` alone, peak memory (max RSS), output size,
search index size, and the weight of one case page with everything it loads. It writes
benchmarks/report.json and benchmarks/report.md and prints ratios.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

MEASURE = """
import resource, subprocess, sys, time, json
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
print(json.dumps({"seconds": time.perf_counter() - t, "rc": r.returncode, "stderr": r.stderr[-2000:],
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


REPEAT = 1  # runs per measurement; the fastest counts (set by --repeat)


def measure(cmd: list[str], cwd: Path, repeat: int | None = None, **env: str) -> dict:
    """One command in a fresh process, ``repeat`` (default REPEAT) times: the fastest run's time, the largest
    peak memory."""
    return _best([_measure_once(cmd, cwd, env) for _ in range(repeat or REPEAT)])


def _best(runs: list[dict]) -> dict:
    best = min(runs, key=lambda r: r["seconds"])
    return dict(best, max_rss_mb=max(r["max_rss_mb"] for r in runs), runs=[round(r["seconds"], 2) for r in runs])


def _measure_once(cmd: list[str], cwd: Path, extra_env: dict) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **extra_env)
    out = subprocess.run([sys.executable, "-c", MEASURE, *map(str, cmd)], cwd=cwd, env=env,
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{result['stderr']}")
    return result


def _hooks_s(times: dict) -> float:
    """Seconds of our code in one build: importing the hooks and every event but the search step."""
    return times["hooks_import_s"] + sum(v for k, v in times["events"].items() if k != "post_build")


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def page_weight(site: Path, page: str) -> dict:
    """Bytes of one page and of every stylesheet, script and index it loads."""
    html_path = site / page / "index.html"
    html = html_path.read_text(encoding="utf-8")
    total = html_path.stat().st_size
    assets = set(re.findall(r'(?:href|src)="([^"]+\.(?:css|js))(?:\?[^"]*)?"', html))
    for ref in assets:
        target = (html_path.parent / ref).resolve()
        if target.exists():
            total += target.stat().st_size
    index = site / "search" / "search_index.json"
    search = index.stat().st_size if index.exists() else 0  # Pagefind loads chunks on demand: see search_eval.py
    return {"html": html_path.stat().st_size, "with_assets": total, "with_search_index": total + search,
            "assets": len(assets)}


def run_size(n: int, work: Path, root: Path = ROOT, keep: bool = False) -> dict:
    lib = generate(n, work / f"lib{n}", root)
    # without the cache (casebook.cache): every YAML file parsed, every library answer computed
    # `check` is cheap, so it always counts the fastest of at least three runs
    check_cold = measure([sys.executable, "-m", "casebook", "--root", lib, "check"], lib, max(REPEAT, 3),
                         CASEBOOK_NO_CACHE="1")
    base_proj = work / f"base{n}"
    # without the cache, so that the first build below still finds it empty
    subprocess.run([sys.executable, str(HERE / "export_markdown.py"), str(lib), str(base_proj)], check=True,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1", CASEBOOK_NO_CACHE="1"))
    times = work / f"times{n}.json"
    # both builds run through timed_build.py, which also times our hooks inside the build process (the
    # baseline, which has none, so that both carry the same wrapper)
    build_cmd = [sys.executable, HERE / "timed_build.py", times, "--strict", "-q", "-f", lib / "mkdocs.yml",
                 "-d", work / f"site{n}"]
    base_cmd = [sys.executable, HERE / "timed_build.py", work / f"times{n}-baseline.json", "-q",
                "-f", base_proj / "mkdocs.yml", "-d", work / f"basesite{n}"]
    # the same search bundle, made the way a plain MkDocs site would: the Pagefind CLI after the build
    index_cmd = [sys.executable, "-m", "casebook.search", work / f"basesite{n}"]
    # Builds and baselines alternate, so that a slow minute on a shared machine slows both alike; the first
    # build fills the cache for this library (its time is reported as the first build).
    builds, bases, inside = [], [], []
    for _ in range(REPEAT):
        builds.append(_measure_once(build_cmd, lib, {}))
        inside.append(json.loads(times.read_text()))
        base = _measure_once(base_cmd, base_proj, {})
        pf = _measure_once(index_cmd, base_proj, {})
        bases.append({"seconds": base["seconds"] + pf["seconds"],
                      "max_rss_mb": max(base["max_rss_mb"], pf["max_rss_mb"])})
    full, base = _best(builds), _best(bases)
    warm = inside[1:] or inside
    # `check` after the build is what an editor sees on a re-run
    check = measure([sys.executable, "-m", "casebook", "--root", lib, "check"], lib, max(REPEAT, 3))
    site = work / f"site{n}"
    pages = sum(1 for _ in site.rglob("index.html"))
    first_case = sorted(p.name for p in (lib / "cases").iterdir())[0]
    index = site / "search" / "search_index.json"
    bundle = site / "pagefind"
    search_bytes = dir_size(bundle) if bundle.exists() else (index.stat().st_size if index.exists() else 0)
    row = {
        "n": n,
        "pages": pages,
        "build_s": round(full["seconds"], 2),
        "build_runs": full.get("runs"), "baseline_runs": base.get("runs"),
        "baseline_s": round(base["seconds"], 2),
        "ratio": round(full["seconds"] / base["seconds"], 3),
        "pair_ratios": [round(b["seconds"] / a["seconds"], 3) for b, a in zip(builds, bases)],
        # our code's share of each build, timed inside the build process (timed_build.py); the search step
        # (on_post_build) is left out because the baseline runs the same step
        # (the median over the builds after the first, which fills the cache, as "build s" leaves it out)
        "hooks_runs": [round(_hooks_s(t), 2) for t in inside],
        "hooks_s": round(statistics.median(_hooks_s(t) for t in warm), 2),
        "hooks_ratio": round(statistics.median(t["total_s"] / (t["total_s"] - _hooks_s(t)) for t in warm), 3),
        "build_first_run_s": round(full["runs"][0], 2),
        "check_s": round(check["seconds"], 2),
        "check_no_cache_s": round(check_cold["seconds"], 2),
        "build_peak_mb": round(full["max_rss_mb"], 1),
        "baseline_peak_mb": round(base["max_rss_mb"], 1),
        "check_peak_mb": round(check["max_rss_mb"], 1),
        "output_mb": round(dir_size(site) / 2**20, 2),
        "search_index_mb": round(search_bytes / 2**20, 3),
        "search_files": sum(1 for p in bundle.rglob("*") if p.is_file()) if bundle.exists() else 1,
        "case_page": page_weight(site, f"cases/{first_case}"),
    }
    if not keep:
        for p in (lib, base_proj, site, work / f"basesite{n}"):
            shutil.rmtree(p, ignore_errors=True)
    return row


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def report_md(rows: list[dict], meta: dict) -> str:
    lines = ["# Build benchmark", "", f"Machine: {meta['machine']}  ", f"Date: {meta['date']}", "",
             "Each step runs in a fresh process; with `--repeat K` the fastest of its K runs counts (all runs are in "
             "report.json), and the K builds alternate with the K baselines. *Baseline* = the same generated pages "
             "written out once as Markdown and built by MkDocs + Material without our hooks, then indexed by the same "
             "Pagefind step. *Hooks* = the time our code takes inside the build process (importing the hooks, "
             "loading and checking the library, rendering the pages, annotating them; not the search step, which the "
             "baseline runs too), measured in the same process as the build (`timed_build.py`); *build / (build − "
             "hooks)* is the ratio that follows from it; both are the median over the K builds but the first. "
             "The benchmark has its own cache folder (casebook.cache), empty at the start: *first build* is the "
             "first run on a new library (every YAML file parsed); *check* runs after the build, as an editor "
             "re-running it would; *check, no cache* parses everything.", "",
             "| N | pages | build s | first build s | baseline s | build / baseline | pair ratios | hooks s |"
             " build / (build − hooks) | check s | check, no cache s | build peak MB | baseline peak MB | output MB |"
             " search bundle MB | search files | case page + assets KB |",
             "|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        cp = r["case_page"]
        pairs = " ".join(str(x) for x in r.get("pair_ratios") or [])
        lines.append(f"| {r['n']} | {r['pages']} | {r['build_s']} | {r.get('build_first_run_s', '')} | "
                     f"{r['baseline_s']} | {r['ratio']} | {pairs} | {r.get('hooks_s', '')} | "
                     f"{r.get('hooks_ratio', '')} | {r['check_s']} | {r.get('check_no_cache_s', '')} | "
                     f"{r['build_peak_mb']} | {r['baseline_peak_mb']} | {r['output_mb']} | {r['search_index_mb']} | "
                     f"{r['search_files']} | {cp['with_assets'] // 1024} |")
    by_n = {r["n"]: r for r in rows}
    lines += ["", "## Targets", ""]
    if rows:
        worst = max(r["ratio"] for r in rows)
        lines.append(f"- build ≤ 1.15 × baseline at every N, fastest build against fastest baseline: worst ratio "
                     f"{worst} — {'met' if worst <= 1.15 else 'NOT met'}")
        timed = [r["hooks_ratio"] for r in rows if "hooks_ratio" in r]
        if timed:
            lines.append(f"- the same, from our hooks' time inside the build process: worst "
                         f"{max(timed)} — {'met' if max(timed) <= 1.15 else 'NOT met'}")
    if 100 in by_n and 1000 in by_n:
        growth = by_n[1000]["build_s"] / by_n[100]["build_s"]
        lines.append(f"- linear growth, 1,000-case build ≤ 11 × 100-case build: {growth:.2f}× — "
                     f"{'met' if growth <= 11 else 'NOT met'}")
    if 1000 in by_n:
        c, cold = by_n[1000]["check_s"], by_n[1000].get("check_no_cache_s")
        lines.append(f"- `check` of 1,000 cases < 5 s: {c} s — {'met' if c < 5 else 'NOT met'}"
                     + (f"; without the cache {cold} s — {'met' if cold < 5 else 'NOT met'}" if cold else ""))
    lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 50, 100, 200, 1000])
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--report", type=Path, default=HERE)
    parser.add_argument("--root", type=Path, default=ROOT, help="the library to copy cases from")
    parser.add_argument("--keep", action="store_true", help="keep the generated libraries and built sites in --work")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest counts")
    parser.add_argument("--update", action="store_true",
                        help="replace only the measured sizes in an existing report.json, keep the other rows")
    args = parser.parse_args(argv)
    global REPEAT
    REPEAT = max(1, args.repeat)
    args.work.mkdir(parents=True, exist_ok=True)
    # Our package compiled to bytecode, as pip compiles the baseline's packages (MkDocs, Material, Markdown) when
    # it installs them. An editable install does not, and with PYTHONDONTWRITEBYTECODE set every build would
    # compile src/casebook again (about 60 ms on this machine) where the baseline compiles nothing.
    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    # a cache of its own, empty at the start, so that runs on any machine start from the same state
    shutil.rmtree(args.work / "cache", ignore_errors=True)
    os.environ["CASEBOOK_CACHE_DIR"] = str(args.work / "cache")
    rows = []
    for n in args.sizes:
        t = time.perf_counter()
        row = run_size(n, args.work, args.root, args.keep)
        rows.append(row)
        print(f"N={n:5d}: build {row['build_s']:7.2f}s  baseline {row['baseline_s']:7.2f}s  ratio {row['ratio']:.3f}  "
              f"hooks {row['hooks_s']:.2f}s ({row['hooks_ratio']:.3f})  "
              f"check {row['check_s']:6.2f}s  peak {row['build_peak_mb']:.0f} MB  "
              f"search index {row['search_index_mb']:.2f} MB  ({time.perf_counter() - t:.0f}s)", flush=True)
    if args.update and (args.report / "report.json").exists():
        measured = {r["n"] for r in rows}
        old = json.loads((args.report / "report.json").read_text())["rows"]
        rows = sorted([r for r in old if r["n"] not in measured] + rows, key=lambda r: r["n"])
    meta = {"machine": machine(), "date": time.strftime("%Y-%m-%d")}
    (args.report / "report.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    (args.report / "report.md").write_text(report_md(rows, meta))
    print(report_md(rows, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())

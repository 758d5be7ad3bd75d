"""Benchmark: what the build costs as the library grows, against plain MkDocs on the same pages.

    python3 tasks.py bench                  # N = 5, 50, 100, 200, 1000
    python3 tasks.py bench --sizes 5 50     # a quick run

For each N it generates a synthetic library (benchmarks/generate.py) and measures, each in a fresh process:
the full build (our hooks), the baseline build (the same generated pages written out once as Markdown and
built by MkDocs + Material with no hooks), `casebook check` alone, peak memory (max RSS), output size,
search index size, the weight of one case page with everything it loads, and (issue 17) the weight of the
home page and of the cases index and the time the index takes to apply a filter in headless Chromium. It writes
benchmarks/report.json and benchmarks/report.md and prints ratios.

    python3 benchmarks/bench.py --reader SITE   # only the issue-17 measures, of a site already built
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

from baseline import make_baseline, remove_worktree, worktree  # noqa: E402
from generate import generate  # noqa: E402

MEASURE = """
import resource, subprocess, sys, time, json
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
print(json.dumps({"seconds": time.perf_counter() - t, "rc": r.returncode, "stderr": r.stderr[-2000:],
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


REPEAT = 1  # runs per measurement; the fastest counts (set by --repeat)


def measure(cmd: list[str | Path], cwd: Path, repeat: int | None = None, **env: str) -> dict:
    """One command in a fresh process, ``repeat`` (default REPEAT) times: the fastest run's time, the largest
    peak memory."""
    return _best([_measure_once(cmd, cwd, env) for _ in range(repeat or REPEAT)])


def _best(runs: list[dict]) -> dict:
    best = min(runs, key=lambda r: r["seconds"])
    return dict(best, max_rss_mb=max(r["max_rss_mb"] for r in runs), runs=[round(r["seconds"], 2) for r in runs])


def _measure_once(cmd: list[str | Path], cwd: Path, extra_env: dict[str, str]) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **extra_env)
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *map(str, cmd)], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
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
    return {
        "html": html_path.stat().st_size,
        "with_assets": total,
        "with_search_index": total + search,
        "assets": len(assets),
    }


# The reading pages whose weight issue 17 bounds (at most 300 KB each at N = 1,000), and what they load that is
# theirs: the filter script (docs/javascripts/facets.js) and the picker (pick.js), which the cases index needs
# (both are loaded on every page, as mkdocs.yml's extra_javascript is; neither loads data on these pages; the
# side-by-side view's own script is loaded only on its page). "with_assets" adds every stylesheet and script the page loads, Material's included.
READER_PAGES = {"home": "", "cases_index": "cases"}
READER_SCRIPTS = ("javascripts/facets.js", "javascripts/pick.js")
READER_LIMIT_KB = 300


def reader_weights(site: Path) -> dict:
    """Bytes of the home page and of the cases index: the HTML, the HTML with facets.js (the issue's target),
    with facets.js and pick.js, and with every stylesheet and script it loads."""
    out = {}
    for name, page in READER_PAGES.items():
        html = (site / page / "index.html").stat().st_size
        scripts = {s: (site / s).stat().st_size if (site / s).exists() else 0 for s in READER_SCRIPTS}
        out[name] = {
            "html": html,
            "html_facets_js": html + scripts["javascripts/facets.js"],
            "html_own_js": html + sum(scripts.values()),
            "with_assets": page_weight(site, page)["with_assets"],
        }
    return out


#: Filters applied to the cases index in Chromium: each is built from the values its panel lists, so that it
#: holds for any library (the first province, the first two mechanisms in either mode, the first indicator with
#: the first year, and back to no filter).
FILTER_QUERIES = """() => {
  const values = (f) => [...document.querySelectorAll(`fieldset[data-facet="${f}"] input[type=checkbox]`)]
    .map((b) => encodeURIComponent(b.value));
  const p = values("province"), m = values("mechanism"), i = values("indicator"), y = values("year");
  return [`?province=${p[0]}`, `?mechanism=${m.slice(0, 2).join(",")}`,
          `?mechanism=${m.slice(0, 2).join(",")}&mode=all`, `?indicator=${i[0]}&year=${y[0]}`, ""];
}"""
#: One filter timed: the script's own time (matching, counts and page changes) and until the page is laid out.
TIME_FILTER = """(q) => {
  const t = performance.now();
  const r = window.casebookFacets.apply(q);
  document.body.getBoundingClientRect(); void document.body.offsetHeight;
  return {script: r.ms, laid_out: performance.now() - t, shown: r.shown};
}"""


def filter_ms(site: Path, runs: int = 7, browser=None) -> dict | None:
    """Milliseconds to apply a filter on the cases index in headless Chromium: the median and the largest over
    ``runs`` rounds of FILTER_QUERIES (each round the same five filters); None where there is no Chromium."""
    from casebook.pdf import CHROMIUM_ARGS, BrowserMissing, SiteServer, ensure_browser

    own = None
    if browser is None:
        try:
            chromium = ensure_browser(install=False)
        except BrowserMissing:
            return None
        from playwright.sync_api import sync_playwright

        own = sync_playwright().start()
        browser = own.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
    try:
        with SiteServer(site) as server:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            try:
                page.goto(server.url + "cases/", wait_until="load")
                queries = page.evaluate(FILTER_QUERIES)
                page.evaluate(TIME_FILTER, queries[0])  # warm up
                times = [page.evaluate(TIME_FILTER, q) for _ in range(runs) for q in queries]
            finally:
                page.close()
    finally:
        if own is not None:
            browser.close()
            own.stop()
    script = [t["script"] for t in times]
    laid_out = [t["laid_out"] for t in times]
    return {
        "median_ms": round(statistics.median(script), 2),
        "max_ms": round(max(script), 2),
        "laid_out_median_ms": round(statistics.median(laid_out), 2),
        "laid_out_max_ms": round(max(laid_out), 2),
        "filters": len(times),
    }


def reader_report(site: Path) -> dict:
    """The weights of the home page and the cases index, and the filter time (issue 17)."""
    return {**reader_weights(site), "filter": filter_ms(site)}


def serve_rebuild(lib: Path, port: int) -> dict:
    """`mkdocs serve` on the library; once it serves, one case's case.yaml is edited (the first note on the first
    case's source, which its case page shows). Seconds from the write until the case page served has the edit."""
    import urllib.request

    case = sorted(p.name for p in (lib / "cases").iterdir())[0]
    url = f"http://127.0.0.1:{port}/cases/{case}/"
    log_path = lib.parent / f"serve{port}.log"
    log = open(log_path, "w", encoding="utf-8")  # a file, not a pipe: MkDocs logs every rebuild
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}", "-f", str(lib / "mkdocs.yml")],
        cwd=lib,
        stdout=subprocess.DEVNULL,
        stderr=log,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )

    def failed(what: str) -> SystemExit:
        return SystemExit(f"mkdocs serve {what}:\n{log_path.read_text(encoding='utf-8')[-2000:]}")

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=30) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    try:
        t = time.perf_counter()
        while not page():
            if proc.poll() is not None or time.perf_counter() - t > 1200:
                raise failed("did not start")
            time.sleep(0.2)
        first = time.perf_counter() - t
        # the first build's search index is written in the background: edit once it is there
        index = f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json"
        while True:
            try:
                with urllib.request.urlopen(index, timeout=30):
                    break
            except OSError:
                if time.perf_counter() - t > 1200:
                    raise failed("wrote no search index") from None
                time.sleep(0.2)
        marker = "基准测试修订"
        yaml_path = lib / "cases" / case / "case.yaml"
        text = yaml_path.read_text(encoding="utf-8")
        at = text.index("  notes:\n    - ") + len("  notes:\n    - ")  # the source's first note
        yaml_path.write_text(text[:at] + marker + text[at:], encoding="utf-8")
        t = time.perf_counter()
        while marker not in page():
            if proc.poll() is not None or time.perf_counter() - t > 600:
                raise failed("did not rebuild")
            time.sleep(0.05)
        return {"first_serve_s": round(first, 2), "rebuild_s": round(time.perf_counter() - t, 2)}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def run_size(
    n: int,
    work: Path,
    baseline_src: Path,
    root: Path = ROOT,
    keep: bool = False,
    serve: bool = False,
    with_baseline: bool = True,
) -> dict:
    # the cases of the baseline commit, relabelled, on both sides: the same library whatever has been added since
    lib = generate(n, work / f"lib{n}", root, cases_root=baseline_src)
    # without the cache (casebook.cache): every YAML file parsed, every library answer computed
    # `check` is cheap, so it always counts the fastest of at least three runs
    check_cold = measure(
        [sys.executable, "-m", "casebook", "--root", lib, "check"], lib, max(REPEAT, 3), CASEBOOK_NO_CACHE="1"
    )
    base_proj = work / f"base{n}"
    if with_baseline:  # written by the baseline commit's own code (baseline.py)
        make_baseline(n, base_proj, baseline_src)
    times = work / f"times{n}.json"
    # both builds run through timed_build.py, which also times our hooks inside the build process (the
    # baseline, which has none, so that both carry the same wrapper)
    build_cmd: list[str | Path] = [
        sys.executable,
        HERE / "timed_build.py",
        times,
        "--strict",
        "-q",
        "-f",
        lib / "mkdocs.yml",
        "-d",
        work / f"site{n}",
    ]
    base_cmd: list[str | Path] = [
        sys.executable,
        HERE / "timed_build.py",
        work / f"times{n}-baseline.json",
        "-q",
        "-f",
        base_proj / "mkdocs.yml",
        "-d",
        work / f"basesite{n}",
    ]
    # the same search bundle, made the way a plain MkDocs site would: the Pagefind CLI after the build
    index_cmd: list[str | Path] = [sys.executable, "-m", "casebook.search", work / f"basesite{n}"]
    # Builds and baselines alternate, so that a slow minute on a shared machine slows both alike; the first
    # build fills the cache for this library (its time is reported as the first build).
    builds: list[dict] = []
    bases: list[dict] = []
    inside: list[dict] = []
    for _ in range(REPEAT):
        builds.append(_measure_once(build_cmd, lib, {}))
        inside.append(json.loads(times.read_text()))
        if with_baseline:
            one = _measure_once(base_cmd, base_proj, {})
            pf = _measure_once(index_cmd, base_proj, {})
            bases.append(
                {"seconds": one["seconds"] + pf["seconds"], "max_rss_mb": max(one["max_rss_mb"], pf["max_rss_mb"])}
            )
    full = _best(builds)
    base = _best(bases) if bases else None
    warm = inside[1:] or inside
    # `check` after the build is what an editor sees on a re-run
    check = measure([sys.executable, "-m", "casebook", "--root", lib, "check"], lib, max(REPEAT, 3))
    site = work / f"site{n}"
    # the search step alone, on our site: Pagefind's own peak memory
    search = _measure_once([sys.executable, "-m", "casebook.search", site], lib, {})
    pages = sum(1 for _ in site.rglob("index.html"))
    first_case = sorted(p.name for p in (lib / "cases").iterdir())[0]
    bundle = site / "pagefind"
    pairs = [round(b["seconds"] / a["seconds"], 3) for b, a in zip(builds, bases)]
    row = {
        "n": n,
        "pages": pages,
        "build_s": round(full["seconds"], 2),
        "build_median_s": round(statistics.median(b["seconds"] for b in builds), 2),
        "build_runs": full.get("runs"),
        "baseline_runs": base.get("runs") if base else None,
        "baseline_s": round(base["seconds"], 2) if base else None,
        # the measure of record: the median of the ratios of builds and baselines run one after the other
        "ratio": round(statistics.median(pairs), 3) if pairs else None,
        "pair_ratios": pairs,
        # our code's share of each build, timed inside the build process (timed_build.py); the search step
        # (on_post_build) is left out because the baseline runs the same step
        # (the median over the builds after the first, which fills the cache, as "build s" leaves it out)
        "hooks_runs": [round(_hooks_s(t), 2) for t in inside],
        "hooks_s": round(statistics.median(_hooks_s(t) for t in warm), 2),
        "build_first_run_s": round(full["runs"][0], 2),
        "check_s": round(check["seconds"], 2),
        "check_no_cache_s": round(check_cold["seconds"], 2),
        # the largest process of the build (MkDocs, a render worker or Pagefind), and MkDocs with our hooks alone
        "build_peak_mb": round(full["max_rss_mb"], 1),
        "build_process_peak_mb": round(max(t["self_peak_mb"] for t in inside), 1),
        "search_peak_mb": round(search["max_rss_mb"], 1),
        "search_s": round(search["seconds"], 2),
        "baseline_peak_mb": round(base["max_rss_mb"], 1) if base else None,
        "check_peak_mb": round(check["max_rss_mb"], 1),
        "output_mb": round(dir_size(site) / 2**20, 2),
        "search_index_mb": round(dir_size(bundle) / 2**20, 3) if bundle.exists() else 0,
        "search_files": sum(1 for p in bundle.rglob("*") if p.is_file()) if bundle.exists() else 0,
        "case_page": page_weight(site, f"cases/{first_case}"),
        "reader": reader_report(site),
    }
    if serve:
        row["serve"] = serve_rebuild(lib, 8700 + n % 1000)
    if not keep:
        for p in (lib, base_proj, site, work / f"basesite{n}"):
            shutil.rmtree(p, ignore_errors=True)
    return row


def machine() -> str:
    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"
    )


def _cell(value: object) -> str:
    return "–" if value is None else str(value)


def _kb(n: int | None) -> str:
    return "–" if n is None else f"{n / 1024:.0f}"


def _reader_cells(reader: dict | None) -> str:
    """The issue-17 columns of a row (– for rows measured before them)."""
    if not reader:
        return " – | – | – | – | – | – |"
    home, index, f = reader["home"], reader["cases_index"], reader.get("filter")
    timing = f"{f['median_ms']} / {f['max_ms']}" if f else "no Chromium"
    return (
        f" {_kb(home['html'])} | {_kb(index['html'])} | {_kb(index['html_facets_js'])} | "
        f"{_kb(index['html_own_js'])} | {_kb(index['with_assets'])} | {timing} |"
    )


def report_md(rows: list[dict], meta: dict) -> str:
    lines = [
        "# Build benchmark",
        "",
        f"Machine: {meta['machine']}  ",
        f"Date: {meta['date']}",
        "",
        "Each step runs in a fresh process. *Build* = `mkdocs build --strict` of a synthetic library of N cases "
        "(benchmarks/generate.py) with our hooks, search index included, PDFs not printed (`CASEBOOK_PDF=0`); *build s* is the fastest of the K runs "
        "(all runs are in report.json). *Baseline* = plain MkDocs + Material building the same pages as Markdown, "
        f"as commit {meta.get('baseline_commit', '')}'s exporter writes them (benchmarks/baseline.py, from a "
        "temporary worktree of that commit), then indexed by the same Pagefind step. Builds alternate with "
        "baselines, and *build / baseline* is the median of the ratios of each build to the baseline run right "
        "after it. *Hooks* = our code's time inside the build process (timed_build.py), the search step left out; "
        "median over the builds but the first. The benchmark has its own cache folder, empty at the start: "
        "*first build* is the first run on a new library; *check* runs after the build; *check, no cache* "
        "parses everything. Peak memory: *build process* is MkDocs with our hooks; *search* is the Pagefind "
        "indexer run alone on the built site; *largest process* is the largest of all processes of the build "
        "(MkDocs, a render worker or Pagefind). *Serve rebuild* = seconds from saving one case.yaml under "
        "`mkdocs serve` until the case page served shows the edit. *Home*, *cases index*: the HTML of the page; "
        "*+ facets.js* adds the filter script (the issue-17 target: at most 300 KB at N = 1,000), *+ pick.js* the "
        "pick-and-compare script too, *all assets* every stylesheet and script the page loads, Material's "
        "included. *Filter ms*: `window.casebookFacets.apply()` on the cases index in headless Chromium, five "
        "filters applied seven times (the median and the largest; report.json also has the time until the page is "
        "laid out).",
        "",
        "| N | pages | build s | first build s | baseline s | build / baseline | pair ratios | hooks s |"
        " check s | check, no cache s | build process peak MB | search peak MB | largest process MB |"
        " baseline peak MB | serve rebuild s | output MB | search bundle MB | case page + assets KB |"
        " home KB | cases index KB | index + facets.js KB | index + facets.js + pick.js KB | index + all assets KB |"
        " filter ms (median / max) |",
        "|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        "---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        cp = r["case_page"]
        pairs = " ".join(str(x) for x in r.get("pair_ratios") or [])
        serve = (r.get("serve") or {}).get("rebuild_s")
        lines.append(
            f"| {r['n']} | {r['pages']} | {r['build_s']} | {r.get('build_first_run_s', '')} | "
            f"{_cell(r.get('baseline_s'))} | {_cell(r.get('ratio'))} | {pairs} | {r.get('hooks_s', '')} | "
            f"{r['check_s']} | {r.get('check_no_cache_s', '')} | {_cell(r.get('build_process_peak_mb'))} | "
            f"{_cell(r.get('search_peak_mb'))} | {r['build_peak_mb']} | {_cell(r.get('baseline_peak_mb'))} | "
            f"{_cell(serve)} | {r['output_mb']} | {r['search_index_mb']} | {cp['with_assets'] // 1024} |"
            + _reader_cells(r.get("reader"))
        )
    by_n = {r["n"]: r for r in rows}

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines += ["", "## Targets", ""]
    if by_n.get(50, {}).get("ratio") is not None:
        r = by_n[50]["ratio"]
        lines.append(
            f"- N = 50: build ≤ 0.5 × baseline (median of {len(by_n[50]['pair_ratios'])} alternating "
            f"pairs): {r} — {verdict(r <= 0.5)}"
        )
    if 1000 in by_n:
        big = by_n[1000]
        lines.append(f"- N = 1,000: full build ≤ 60 s: {big['build_s']} s — {verdict(big['build_s'] <= 60)}")
        own, search, largest = big.get("build_process_peak_mb"), big.get("search_peak_mb"), big["build_peak_mb"]
        if own is not None and search is not None:
            lines.append(
                f"- N = 1,000: peak memory ≤ 1 GB: build process {own} MB — {verdict(own <= 1024)}; "
                f"search indexer (Pagefind) {search} MB — {verdict(search <= 1024)}; largest process "
                f"{largest} MB — {verdict(largest <= 1024)}"
            )
    if 100 in by_n and 1000 in by_n:
        growth = by_n[1000]["build_s"] / by_n[100]["build_s"]
        lines.append(f"- t(1000) / t(100) ≤ 11: {growth:.2f} — {verdict(growth <= 11)}")
    if 1000 in by_n and by_n[1000].get("reader"):
        rd = by_n[1000]["reader"]
        for name, label in (("home", "home page"), ("cases_index", "cases index")):
            own = rd[name]["html_own_js"] / 1024
            lines.append(
                f"- N = 1,000: {label} (HTML + facets.js + pick.js) ≤ {READER_LIMIT_KB} KB: {own:.0f} KB — "
                f"{verdict(own <= READER_LIMIT_KB)} (with every asset, Material's included, "
                f"{rd[name]['with_assets'] / 1024:.0f} KB)"
            )
        f = rd.get("filter")
        if f:
            lines.append(
                f"- N = 1,000: the cases index filters in < 100 ms in Chromium: median {f['median_ms']} ms, "
                f"largest {f['max_ms']} ms of {f['filters']} — {verdict(f['max_ms'] < 100)}; until the page is laid "
                f"out: median {f['laid_out_median_ms']} ms, largest {f['laid_out_max_ms']} ms — "
                f"{verdict(f['laid_out_max_ms'] < 100)}"
            )
    for r in rows:
        if r.get("serve"):
            t = r["serve"]["rebuild_s"]
            lines.append(
                f"- N = {r['n']}: `mkdocs serve` shows an edited case.yaml within 5 s: {t} s — {verdict(t <= 5)}"
            )
    if 1000 in by_n:
        c, cold = by_n[1000]["check_s"], by_n[1000].get("check_no_cache_s")
        lines.append(
            f"- `check` of 1,000 cases < 5 s: {c} s — {verdict(c < 5)}"
            + (f"; without the cache {cold} s — {verdict(cold < 5)}" if cold else "")
        )
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 50, 100, 200, 1000])
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--report", type=Path, default=HERE)
    parser.add_argument("--root", type=Path, default=ROOT, help="the library to copy cases from")
    parser.add_argument("--keep", action="store_true", help="keep the generated libraries and built sites in --work")
    parser.add_argument("--repeat", type=int, default=1, help="builds (alternating with baselines) per size")
    parser.add_argument(
        "--serve-sizes",
        type=int,
        nargs="*",
        default=[200],
        help="sizes at which the `mkdocs serve` rebuild after one edit is timed",
    )
    parser.add_argument(
        "--no-baseline",
        type=int,
        nargs="*",
        default=[],
        metavar="N",
        help="sizes built without the baseline (it takes minutes at N = 1000)",
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="replace only the measured sizes in an existing report.json, keep the other rows",
    )
    parser.add_argument(
        "--reader",
        type=Path,
        metavar="SITE",
        help="only measure a built site: the weight of its home page and cases index and the filter time (JSON)",
    )
    args = parser.parse_args(argv)
    if args.reader:
        print(json.dumps(reader_report(args.reader), indent=1))
        return 0
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
    # the build's PDF step (headless Chromium, casebook.site_pdf) is not what this measures: builds print no PDF
    os.environ["CASEBOOK_PDF"] = "0"
    tree = worktree(args.work / "baseline-src")
    rows = []
    try:
        for n in args.sizes:
            t = time.perf_counter()
            row = run_size(
                n,
                args.work,
                tree,
                args.root,
                args.keep,
                serve=n in args.serve_sizes,
                with_baseline=n not in args.no_baseline,
            )
            rows.append(row)
            print(
                f"N={n:5d}: build {row['build_s']:7.2f}s  baseline {_cell(row['baseline_s'])}s  "
                f"ratio {_cell(row['ratio'])}  hooks {row['hooks_s']:.2f}s  check {row['check_s']:6.2f}s  "
                f"peak {row['build_process_peak_mb']:.0f} MB (search {row['search_peak_mb']:.0f} MB)  "
                f"serve {(row.get('serve') or {}).get('rebuild_s', '–')}  ({time.perf_counter() - t:.0f}s)",
                flush=True,
            )
    finally:
        if not args.keep:
            remove_worktree(tree)
    if args.update and (args.report / "report.json").exists():
        measured = {r["n"] for r in rows}
        old = json.loads((args.report / "report.json").read_text())["rows"]
        rows = sorted([r for r in old if r["n"] not in measured] + rows, key=lambda r: r["n"])
    from baseline import BASELINE_COMMIT

    meta = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "baseline_commit": BASELINE_COMMIT}
    (args.report / "report.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    (args.report / "report.md").write_text(report_md(rows, meta))
    print(report_md(rows, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())

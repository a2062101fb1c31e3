"""How fast and how heavy the workbook apps are, against the limit of this stack.

The reference is a bare Voilà notebook holding one ipywidgets Button whose click writes a
Label, served by the same `ciwidgets serve` (same template, same settings). Measured in
one run, with Debian's Chromium through Playwright, on this machine:

- navigation → widgets shown, per app: cold kernel and preheated kernel;
- edit → first visible update (an app) or click → Label updated (bare): p95 over N edits;
- kernel RSS of an app minus that of the bare notebook;
- bytes sent to the browser per page load (HTTP bodies and websocket frames);
- N tabs opened at once (8 teams × ~4 people): time until all show their widgets, errors,
  and kernels still running after every tab is closed and a cull interval has passed.

Writes a Markdown table to standard output (progress goes to standard error):

    .venv/bin/python benchmarks/bench_serve.py            # everything (takes a while)
    .venv/bin/python benchmarks/bench_serve.py --apps 00-start-here --tabs 8 --edits 10

Goals (issue 6): load ≤ 1.3× bare, edit p95 ≤ 1.5× bare, RSS ≤ +60 MB (+100 MB with
charts), bytes ≤ 3× bare, 30 tabs ≤ 1.3× bare with 0 errors and 0 kernels left.
This is a measurement, not a test: it never fails on a number.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ciwidgets.serve.catalog import list_workbooks
from ciwidgets.serve.process import (
    ServerProcess,
    build_demo_store,
    link_workbooks,
    write_bare_notebook,
)

BARE = "_bench/bare.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
TIMEOUT_MS = 180_000
CROWD_TIMEOUT_MS = 600_000  # a crowd is measured until it is served, not cut off
# Long enough not to cull a kernel whose page is still loading on a busy machine.
CULL_IDLE_TIMEOUT = 60
CULL_INTERVAL = 10
# A change in the widget area that is not the keystroke itself: the kernel answered.
WATCH_JS = """() => new Promise(resolve => {
  const root = document.getElementById('rendered_cells');
  const observer = new MutationObserver(records => {
    if (records.some(r => !(r.target instanceof HTMLInputElement || r.target instanceof HTMLTextAreaElement))) {
      observer.disconnect(); resolve(performance.now());
    }
  });
  observer.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
  window.__ciwStop = () => { observer.disconnect(); resolve(null); };
})"""


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


@dataclass
class Result:
    name: str
    cold_s: float | None = None
    warm_s: float | None = None
    edit_p95_ms: float | None = None
    edit_what: str = ""
    rss_mb: float | None = None
    bytes_kb: float | None = None
    notes: list[str] = field(default_factory=list)


# -- the served folder and the servers -----------------------------------------------------
def prepare(root: Path) -> tuple[Path, Path, dict[str, str]]:
    """(demo store, served folder, {team name or "hub": code})."""
    db = root / "bench.db"
    hub_code, codes = build_demo_store(db)
    folder = root / "served"
    link_workbooks(folder)
    write_bare_notebook(folder / BARE)
    return db, folder, {**codes, "hub": hub_code}


def server(db: Path, folder: Path, root: Path, name: str, pools: dict[str, int] | None) -> ServerProcess:
    return ServerProcess(
        db=db, workbooks=folder, pools=pools, log_path=root / f"{name}.log", cwd=root,
        voila_args=[
            f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_TIMEOUT}",
            f"--MappingKernelManager.cull_interval={CULL_INTERVAL}",
            # A used pool kernel is not replaced during the run: refills would compete
            # with the next measurement for the CPU.
            "--VoilaKernelManager.fill_delay=3600",
        ],
    )


def url_for(srv: ServerProcess, notebook: str, codes: dict[str, str]) -> str:
    if notebook == BARE:
        return srv.url(notebook)
    entry = next(e for e in list_workbooks(Path(srv.workbooks)) if e.filename == notebook)
    if entry.for_coaches:
        return srv.url(notebook, hub=codes["hub"])
    return srv.url(notebook, team=codes["Fox Elementary"])


# -- one page ----------------------------------------------------------------------------------
async def open_app(context, url: str, timeout_ms: int = TIMEOUT_MS) -> tuple[object, float, int]:
    """(page, seconds from navigation to widgets shown, bytes received)."""
    page = await context.new_page()
    received = [0]

    async def body_size(request):
        try:
            sizes = await request.sizes()
            received[0] += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        except Exception:
            pass

    page.on("requestfinished", lambda request: asyncio.ensure_future(body_size(request)))
    def on_frame(payload) -> None:
        received[0] += len(payload)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    start = time.perf_counter()
    await page.goto(url, timeout=timeout_ms)
    await page.wait_for_selector("#rendered_cells", state="visible", timeout=timeout_ms)
    await page.wait_for_selector(".jupyter-widgets, .widget-box", timeout=timeout_ms)
    elapsed = time.perf_counter() - start
    await page.wait_for_load_state("networkidle", timeout=timeout_ms)
    await asyncio.sleep(0.5)
    return page, elapsed, received[0]


async def bare_edits(page, n: int) -> list[float]:
    times = []
    for i in range(1, n + 1):
        start = time.perf_counter()
        await page.get_by_role("button", name="Click me").click()
        await page.get_by_text(f"{i} clicks", exact=True).wait_for(timeout=TIMEOUT_MS)
        times.append((time.perf_counter() - start) * 1000)
    return times


async def app_edits(page, n: int) -> tuple[list[float], str]:
    """Type into the app's first text box and wait for the kernel's visible answer."""
    box = page.locator(".jupyter-widgets input[type=text], .jupyter-widgets textarea").first
    if await box.count() == 0:
        return [], "no text box"
    times = []
    for i in range(n):
        watch = asyncio.ensure_future(page.evaluate(WATCH_JS))
        await asyncio.sleep(0.05)
        start = time.perf_counter()
        await box.fill(f"benchmark edit {i}")
        await box.press("Enter")
        try:
            await asyncio.wait_for(watch, timeout=10)
            times.append((time.perf_counter() - start) * 1000)
        except TimeoutError:
            await page.evaluate("() => window.__ciwStop && window.__ciwStop()")
            return times, "no visible answer to typing"
    return times, "type in first text box"


def p95(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def kernel_rss_mb(srv: ServerProcess, before: set[int]) -> float | None:
    import psutil

    new = [pid for pid in srv.kernel_pids() if pid not in before]
    if len(new) != 1:
        return None
    return psutil.Process(new[0]).memory_info().rss / 2**20


# -- the runs ----------------------------------------------------------------------------------
async def measure_cold(browser, srv, notebooks, codes, edits) -> dict[str, Result]:
    results = {}
    for notebook in notebooks:
        log(f"cold: {notebook}")
        result = results[notebook] = Result(notebook)
        context = await browser.new_context()
        before = set(srv.kernel_pids())
        try:
            page, result.cold_s, size = await open_app(context, url_for(srv, notebook, codes))
            result.bytes_kb = size / 1024
            result.rss_mb = kernel_rss_mb(srv, before)
            if notebook == BARE:
                times, result.edit_what = await bare_edits(page, edits), "click → Label"
            else:
                times, result.edit_what = await app_edits(page, edits)
            result.edit_p95_ms = p95(times)
            await page.close(run_before_unload=True)
        except Exception as e:  # one app failing must not hide the others' numbers
            result.notes.append(f"cold: {type(e).__name__}: {str(e).splitlines()[0]}")
        finally:
            await context.close()
    return results


async def measure_warm(browser, srv, notebooks, codes, results) -> None:
    for notebook in notebooks:  # every pool full first: filling ones would slow the others
        await wait_for_pool(srv, notebook)
    await wait_for_quiet_kernels(srv)
    for notebook in notebooks:
        log(f"preheated: {notebook}")
        context = await browser.new_context()
        try:
            page, results[notebook].warm_s, _ = await open_app(context, url_for(srv, notebook, codes))
            if "Using pre-heated kernel" not in srv.log():
                results[notebook].notes.append("no preheated kernel was used")
            await page.close(run_before_unload=True)
        except Exception as e:
            results[notebook].notes.append(f"preheated: {type(e).__name__}: {str(e).splitlines()[0]}")
        finally:
            await context.close()


async def wait_for_pool(srv: ServerProcess, notebook: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if f"Kernel pool of {notebook} is filled" in srv.log():
            return
        await asyncio.sleep(1)
    log(f"warning: the pool of {notebook} never filled")


async def wait_for_quiet_kernels(srv: ServerProcess, timeout: float = 300) -> None:
    """Until every kernel has used (almost) no CPU for two seconds: a pool reports itself
    filled when its kernels start, before they have run their notebooks up to the wait
    for a visitor, and a preheated kernel is only ready once they have."""
    import psutil

    deadline, quiet = time.monotonic() + timeout, 0
    while time.monotonic() < deadline and quiet < 2:
        kernels = [psutil.Process(pid) for pid in srv.kernel_pids()]
        for kernel in kernels:
            kernel.cpu_percent()
        await asyncio.sleep(1)
        busy = sum(kernel.cpu_percent() for kernel in kernels)
        quiet = quiet + 1 if busy < 5 else 0
    if quiet < 2:
        log("warning: the preheated kernels never became idle")


async def many_tabs(browser, srv, notebook, codes, tabs: int) -> dict[str, float | int]:
    """`tabs` browsers open the same app at the same moment, then all close."""
    log(f"{tabs} tabs at once: {notebook}")
    contexts = [await browser.new_context() for _ in range(tabs)]
    url = url_for(srv, notebook, codes)
    start = time.perf_counter()
    outcomes = await asyncio.gather(*(open_app(c, url, CROWD_TIMEOUT_MS) for c in contexts),
                                    return_exceptions=True)
    elapsed = time.perf_counter() - start
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    for failure in failures[:3]:
        log(f"  error: {type(failure).__name__}: {str(failure).splitlines()[0]}")
    for outcome in outcomes:
        if not isinstance(outcome, BaseException):
            await outcome[0].close(run_before_unload=True)
    for context in contexts:
        await context.close()
    await asyncio.sleep(CULL_IDLE_TIMEOUT + 2 * CULL_INTERVAL)
    return {"seconds": elapsed, "errors": len(failures), "left": len(srv.kernel_pids())}


def ratio(value, bare) -> str:
    return f"{value / bare:.2f}×" if value is not None and bare else "–"


def fmt(value, digits=2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def report(results: dict[str, Result], crowd: dict[str, dict], tabs: int) -> str:
    bare = results[BARE]
    lines = [
        "| app | cold load s (÷ bare) | preheated load s (÷ bare) | edit p95 ms (÷ bare) | what was edited "
        "| kernel RSS − bare MB | bytes per load KB (÷ bare) | notes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        extra_rss = None if r.rss_mb is None or bare.rss_mb is None else r.rss_mb - bare.rss_mb
        lines.append(
            f"| {name} | {fmt(r.cold_s)} ({ratio(r.cold_s, bare.cold_s)}) "
            f"| {fmt(r.warm_s)} ({ratio(r.warm_s, bare.warm_s)}) "
            f"| {fmt(r.edit_p95_ms, 0)} ({ratio(r.edit_p95_ms, bare.edit_p95_ms)}) | {r.edit_what} "
            f"| {fmt(extra_rss, 0) if name != BARE else fmt(r.rss_mb, 0) + ' (bare)'} "
            f"| {fmt(r.bytes_kb, 0)} ({ratio(r.bytes_kb, bare.bytes_kb)}) | {'; '.join(r.notes)} |"
        )
    if crowd:
        lines += ["", f"| {tabs} tabs at once | all shown, s (÷ bare) | errors | kernels left after close + cull |",
                  "|---|---|---|---|"]
        base = crowd.get(BARE, {}).get("seconds")
        for name, c in crowd.items():
            lines.append(f"| {name} | {c['seconds']:.1f} ({ratio(c['seconds'], base)}) | {c['errors']} | {c['left']} |")
    return "\n".join(lines)


async def run(args) -> str:
    from playwright.async_api import async_playwright

    root = Path(tempfile.mkdtemp(prefix="ciwidgets-bench-"))
    db, folder, codes = prepare(root)
    phase_names = [e.filename for e in list_workbooks(folder)]
    wanted = [n if n.endswith(".ipynb") else f"{n}.ipynb" for n in args.apps] if args.apps else phase_names
    notebooks = [BARE, *[n for n in wanted if n in phase_names]]
    crowd_app = next((n for n in notebooks if n.startswith("00-")), None)
    log(f"working in {root}")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with server(db, folder, root, "cold", None) as cold:
            results = await measure_cold(browser, cold, notebooks, codes, args.edits)
            crowd = {}
            if args.tabs:
                crowd[BARE] = await many_tabs(browser, cold, BARE, codes, args.tabs)
                if crowd_app:
                    crowd[crowd_app] = await many_tabs(browser, cold, crowd_app, codes, args.tabs)
        with server(db, folder, root, "preheated", {n: 1 for n in notebooks}) as warm:
            await measure_warm(browser, warm, notebooks, codes, results)
        await browser.close()
    log(f"server logs in {root}")
    return report(results, crowd, args.tabs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", nargs="*", help="workbooks to measure (default: all), e.g. 00-start-here")
    parser.add_argument("--edits", type=int, default=50, help="edits per app for the p95")
    parser.add_argument("--tabs", type=int, default=30, help="tabs opened at once (0: skip)")
    args = parser.parse_args(argv)
    print(asyncio.run(run(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast and how heavy the workbook apps are, against the limit of this stack.

The reference is a bare Voilà notebook holding one ipywidgets Button whose click writes a
Label, served by the same `ciwidgets serve` (same template, same settings). Measured in
one run, with Debian's Chromium through Playwright, on this machine:

- navigation → widgets shown, per app: cold kernel and preheated kernel (median of `--loads`),
  each load right after one of the bare page, whose median the app's ratio is taken against;
- edit → the redrawn diagram, chart or list shows it: p95 over N edits of one scripted,
  realistic edit per app (add a person, a cause, a driver, a prediction, an observation
  or a pulse; rate an idea), timed in the page from the keystroke that commits it; the
  bare notebook's is Enter on its Button → Label updated. The read-only pages (00, 08)
  have none. Edits are saved in the run's demo store, as a team's would be;
- kernel RSS of an app minus that of the bare notebook;
- bytes sent to the browser per page load (HTTP bodies and websocket frames);
- N tabs opened at once (8 teams × ~4 people): time until all show their widgets, errors,
  and kernels still running after every tab is closed and a cull interval has passed.

Cold loads, the crowd and preheated loads each get their own server on a fresh copy of
the demo store, and cold loads come before the edits, so no measurement opens pages that
an earlier one made heavier.

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
import datetime as dt
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ciwidgets.analysis.runchart import format_date
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
EDIT_TIMEOUT_MS = 30_000  # an edit not visible by then is reported, not waited for


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


@dataclass
class Result:
    name: str
    cold_s: float | None = None
    warm_s: float | None = None
    cold_bare_s: float | None = None  # the bare page's loads taken in turn with this app's
    warm_bare_s: float | None = None
    edit_p95_ms: float | None = None
    edit_what: str = ""
    rss_mb: float | None = None
    bytes_kb: float | None = None
    notes: list[str] = field(default_factory=list)


# -- the served folder and the servers -----------------------------------------------------
def prepare(root: Path) -> tuple[Path, Path, dict[str, str]]:
    """(demo store, served folder, {team name or "hub": code})."""
    db = root / "demo.db"
    hub_code, codes = build_demo_store(db)
    folder = root / "served"
    link_workbooks(folder)
    write_bare_notebook(folder / BARE)
    return db, folder, {**codes, "hub": hub_code}


def fresh_copy(demo: Path, name: str) -> Path:
    """A copy of the untouched demo store: edits saved in one measurement (fifty more
    drivers, say) must not make the pages of the next one heavier."""
    copy = demo.with_name(f"{name}.db")
    with sqlite3.connect(demo) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return copy


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


# -- one scripted edit per app -----------------------------------------------------------------
# Each edit does what a person does on that page and ends with the keystroke that commits it
# (Enter in a box or on a button, an arrow key on a slider). It is timed in the page, from
# that keystroke to the moment the redrawn diagram, chart or list contains the edit: times
# taken in Python would include Playwright's own waits (a click waits for the button to be
# still for two frames; `wait_for` checks again only after 20, 50, 100, 100, 500 … ms).
# Edit i's text holds i and a token of this run, so no earlier edit can satisfy the wait.
RUN = secrets.token_hex(2)
# Arms the timer: the next keydown starts it; it stops at the first DOM change after which an
# element matching `selector` contains `text`.
ARM_JS = """([selector, text, timeoutMs]) => {
  const squash = s => s.replace(/\\s+/g, ' ');
  const shown = () => [...document.querySelectorAll(selector)].some(e => squash(e.textContent).includes(text));
  if (shown()) throw new Error(`shown before the edit: ${text}`);
  let started = null;
  const onKey = () => { if (started === null) started = performance.now(); };
  document.addEventListener('keydown', onKey, true);
  window.__ciwEdit = new Promise((resolve, reject) => {
    const done = () => { observer.disconnect(); clearTimeout(timer); document.removeEventListener('keydown', onKey, true); };
    const observer = new MutationObserver(() => {
      if (started !== null && shown()) { done(); resolve(performance.now() - started); }
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    const timer = setTimeout(() => { done(); reject(new Error(`not shown within ${timeoutMs} ms: ${text}`)); }, timeoutMs);
  });
}"""


def unique(words: str, i: int) -> str:
    return f"{words} {i:03d} {RUN}"


async def commit(page, control, key: str, selector: str, text: str) -> float:
    """Press `key` on `control`; milliseconds until an element matching `selector` contains `text`."""
    await control.focus()
    await page.evaluate(ARM_JS, [selector, text, EDIT_TIMEOUT_MS])
    await page.keyboard.press(key)
    return await page.evaluate("() => window.__ciwEdit")


async def ready(box) -> None:
    """Until the app has emptied `box` after the previous edit: it does so after redrawing,
    and text typed before that would be wiped. Not timed."""
    await box.page.wait_for_function("el => el.value === ''", arg=await box.element_handle())


async def click_for_label(page, i: int) -> float:
    button = page.get_by_role("button", name="Click me")
    return await commit(page, button, "Enter", ".widget-label", f"{i + 1} clicks")


async def add_person(page, i: int) -> float:
    name = unique("Bench person", i)
    add = page.locator(".ciw-team .ciw-team-add").first
    box = add.get_by_label("New person")
    await ready(box)
    await add.get_by_label("Role").select_option(label="Student")
    await box.fill(name)
    return await commit(page, box, "Enter", ".ciw-voice", name)


async def add_cause(page, i: int) -> float:
    cause = unique("Bench cause", i)
    box = page.locator(".ciw-fishbone").get_by_label("New cause")
    await ready(box)
    await box.fill(cause)
    return await commit(page, box, "Enter", ".ciw-fishbone svg g.cause title", cause)


async def add_primary_driver(page, i: int) -> float:
    driver = unique("Bench driver", i)
    box = page.get_by_label("New primary driver")
    await ready(box)
    await box.fill(driver)
    return await commit(page, box, "Enter", "svg g.node title", driver)


async def rate_idea(page, i: int) -> float:
    """Idea i (in turn) one step more (or, at 5, less) benefit; the matrix's description,
    drawn with it, names the idea's new place. No text to make unique: the expected rating
    differs from the one shown before the edit."""
    matrix = page.locator(".ciw-matrix")
    benefits = matrix.get_by_role("slider", name="Benefit")
    k = i % await benefits.count()
    handle, effort = benefits.nth(k), matrix.get_by_role("slider", name="Effort").nth(k)
    benefit = round(float(await handle.get_attribute("aria-valuenow")))
    effort = round(float(await effort.get_attribute("aria-valuenow")))
    # The idea's row title, "2. DDI meetings twice a week (idea)", is how the description
    # names it too: "2. DDI meetings twice a week (benefit 4, effort 4, idea)".
    title = await handle.evaluate("h => h.closest('.widget-vbox').querySelector('.widget-html').innerText")
    head, _, status = " ".join(title.split()).rpartition(" (")
    key, benefit = ("ArrowUp", benefit + 1) if benefit < 5 else ("ArrowDown", benefit - 1)
    placed = f"{head} (benefit {benefit}, effort {effort}, {status}"
    return await commit(page, handle, key, ".ciw-matrix .ciw-diagram svg desc", placed)


async def set_scale(page, i: int) -> float:
    """The scale of the open PDSA cycle (one teacher, three teachers …): its card on the
    ramp, and the ramp's description drawn with it, show the new scale."""
    scale = unique("Bench scale", i)
    box = page.locator(".ciw-pdsa").get_by_label("Scale", exact=True)
    await box.fill(scale)
    return await commit(page, box, "Enter", ".ciw-ramps .ciw-diagram svg desc", scale)


async def add_observation(page, i: int) -> float:
    """A value on a day after the data so far (today's is taken: no duplicate to confirm)."""
    day = dt.date.today() + dt.timedelta(days=i + 1)
    value = f"{30 + i // 9}.{i % 9 + 1}"  # 30.1 … 30.9, 31.1 …: shown as typed
    box = page.get_by_label("New value", exact=True)
    await ready(box)
    await page.get_by_label("New date", exact=True).fill(day.isoformat())
    await box.fill(value)
    add = page.get_by_role("button", name="Add", exact=True)
    return await commit(page, add, "Enter", ".ciw-runchart .ciw-diagram svg title",
                        f"{format_date(day)}: {value} ")


async def record_pulse(page, i: int) -> float:
    """The laptop passed round after a meeting: member after member rates and comments."""
    comment = unique("Bench comment", i)
    pulse = page.locator(".ciw-pulse-check")
    await ready(pulse.get_by_label("Comment"))  # the last of the form to be cleared for the next person
    who = pulse.get_by_label("Who")
    members = await who.locator("option").count() - 2  # not "Choose your name" nor "I'd rather not say"
    await who.select_option(index=1 + i % members)
    for label, value in (("Vitality (energy)", 1 + i % 5), ("Learning", 1 + (i + 2) % 5)):
        group = pulse.locator(".widget-toggle-buttons", has=page.get_by_text(label, exact=True))
        await group.get_by_role("button", name=str(value), exact=True).click()
    await pulse.get_by_label("Comment").fill(comment)
    add = pulse.get_by_role("button", name="Add my pulse")
    return await commit(page, add, "Enter", ".ciw-pulse-check li", comment)  # "What people said"


EDITS = {  # notebook → (what the report says was edited, the edit)
    BARE: ("click → Label (Enter on the button)", click_for_label),
    "01-form-the-team.ipynb": ("add a person (Enter) → role tiles name them", add_person),
    "02-understand-the-problem.ipynb": ("add a cause (Enter) → fishbone shows it", add_cause),
    "03-theory-of-improvement.ipynb": ("add a primary driver (Enter) → driver diagram shows it",
                                       add_primary_driver),
    "04-choose-change-ideas.ipynb": ("rate an idea's benefit (arrow key) → matrix moves it", rate_idea),
    "05-test.ipynb": ("set the cycle's scale (Enter) → ramp shows it", set_scale),
    "06-study.ipynb": ("add an observation (Enter on Add) → run chart shows the point", add_observation),
    "07-reflect-and-share.ipynb": ("add a pulse (Enter on Add my pulse) → comment shown under the trend",
                                   record_pulse),
}
READ_ONLY = {"00-start-here.ipynb", "08-network-convening.ipynb"}


async def time_edits(page, notebook: str, n: int) -> tuple[list[float], str, str | None]:
    """(milliseconds per edit, what was edited, a note if an edit failed)."""
    if notebook not in EDITS:
        return [], "no edit on this page" if notebook in READ_ONLY else "no scripted edit", None
    what, edit = EDITS[notebook]
    page.set_default_timeout(EDIT_TIMEOUT_MS)
    times = []
    for i in range(n):
        try:
            times.append(await edit(page, i))
        except Exception as e:  # a note for this app; the others are still measured
            return times, what, f"edit {i + 1} of {n} failed ({type(e).__name__}: {str(e).splitlines()[0]})"
    return times, what, None


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
async def load_once(browser, url: str) -> float:
    """Seconds from navigation to widgets shown, in a browser context of its own."""
    context = await browser.new_context()
    try:
        page, seconds, _ = await open_app(context, url)
        await page.close(run_before_unload=True)
        return seconds
    finally:
        await context.close()


async def paired_loads(browser, srv, notebook, codes, loads) -> tuple[list[float], list[float]]:
    """(the app's load times, the bare page's): each load of the app right after one of
    the bare page, so that the machine's drift over a run (busier, cooler, a pool used
    up) weighs on both sides of the app's ratio alike."""
    app, bare = [], []
    for _ in range(loads):
        bare.append(await load_once(browser, url_for(srv, BARE, codes)))
        app.append(await load_once(browser, url_for(srv, notebook, codes)))
    return app, bare


async def measure_cold(browser, srv, notebooks, codes, edits, loads) -> dict[str, Result]:
    results = {}
    for notebook in notebooks:
        log(f"cold: {notebook}")
        result = results[notebook] = Result(notebook)
        url = url_for(srv, notebook, codes)
        context = await browser.new_context()
        try:
            if notebook == BARE:
                earlier = [await load_once(browser, url) for _ in range(loads - 1)]  # before any edit
            else:
                earlier, bare = await paired_loads(browser, srv, notebook, codes, loads - 1)
                bare.append(await load_once(browser, url_for(srv, BARE, codes)))  # paired with the last
                result.cold_bare_s = statistics.median(bare)
            before = set(srv.kernel_pids())
            page, last, size = await open_app(context, url)
            result.cold_s = statistics.median([*earlier, last])
            result.bytes_kb = size / 1024
            result.rss_mb = kernel_rss_mb(srv, before)
            times, result.edit_what, failed = await time_edits(page, notebook, edits)
            result.edit_p95_ms = p95(times)
            if failed:
                result.notes.append(f"{failed}; p95 of the {len(times)} before" if times else failed)
            await page.close(run_before_unload=True)
        except Exception as e:  # one app failing must not hide the others' numbers
            result.notes.append(f"cold: {type(e).__name__}: {str(e).splitlines()[0]}")
        finally:
            await context.close()
    return results


async def measure_warm(browser, srv, notebooks, codes, results, loads) -> None:
    for notebook in notebooks:  # every pool full first: filling ones would slow the others
        await wait_for_pool(srv, notebook)
    await wait_for_quiet_kernels(srv)
    for notebook in notebooks:
        log(f"preheated: {notebook}")
        used = srv.log().count("Using pre-heated kernel")
        result = results[notebook]
        try:
            if notebook == BARE:
                result.warm_s = statistics.median([await load_once(browser, url_for(srv, BARE, codes))
                                                   for _ in range(loads)])
            else:
                app, bare = await paired_loads(browser, srv, notebook, codes, loads)
                result.warm_s, result.warm_bare_s = statistics.median(app), statistics.median(bare)
            if srv.log().count("Using pre-heated kernel") - used < loads * (1 if notebook == BARE else 2):
                result.notes.append("not every load got a preheated kernel")
        except Exception as e:
            results[notebook].notes.append(f"preheated: {type(e).__name__}: {str(e).splitlines()[0]}")


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
            f"| {name} | {fmt(r.cold_s)} ({ratio(r.cold_s, r.cold_bare_s or bare.cold_s)}) "
            f"| {fmt(r.warm_s)} ({ratio(r.warm_s, r.warm_bare_s or bare.warm_s)}) "
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
    demo, folder, codes = prepare(root)
    phase_names = [e.filename for e in list_workbooks(folder)]
    wanted = [n if n.endswith(".ipynb") else f"{n}.ipynb" for n in args.apps] if args.apps else phase_names
    notebooks = [BARE, *[n for n in wanted if n in phase_names]]
    crowd_app = next((n for n in notebooks if n.startswith("00-")), None)
    log(f"working in {root}")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with server(fresh_copy(demo, "cold"), folder, root, "cold", None) as cold:
            results = await measure_cold(browser, cold, notebooks, codes, args.edits, args.loads)
        crowd = {}
        if args.tabs:
            with server(fresh_copy(demo, "crowd"), folder, root, "crowd", None) as many:
                crowd[BARE] = await many_tabs(browser, many, BARE, codes, args.tabs)
                if crowd_app:
                    crowd[crowd_app] = await many_tabs(browser, many, crowd_app, codes, args.tabs)
        # The bare page's pool also serves the loads paired with every app's.
        pools = {n: args.loads * (len(notebooks) if n == BARE else 1) for n in notebooks}
        with server(fresh_copy(demo, "preheated"), folder, root, "preheated", pools) as warm:
            await measure_warm(browser, warm, notebooks, codes, results, args.loads)
        await browser.close()
    log(f"server logs in {root}")
    return report(results, crowd, args.tabs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", nargs="*", help="workbooks to measure (default: all), e.g. 00-start-here")
    parser.add_argument("--edits", type=int, default=50, help="edits per app for the p95")
    parser.add_argument("--loads", type=int, default=3, help="page loads per app and kind; the median is reported")
    parser.add_argument("--tabs", type=int, default=30, help="tabs opened at once (0: skip)")
    args = parser.parse_args(argv)
    print(asyncio.run(run(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

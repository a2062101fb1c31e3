"""Browser tests: one `ciwidgets serve` for the whole session, Chromium through Playwright.

Every test here is marked `browser`. `make test` runs them in one pytest process of their
own (`-m browser`), so that they share one server, and the other tests in parallel
(`-n 2 -m "not browser"`). (xdist's `loadgroup` would do it in one run, but it cannot
rename test ids under pytest 9.)

Fixtures:
- `voila`: the server (see `VoilaServer`), serving the shipped workbooks plus a few test
  notebooks under `_test/`, on a fresh demo store.
- `page`: a fresh browser context and page per test. Requests to anything but the server
  are blocked and recorded; a test that caused one fails.
- `axe_source`: axe-core's script, to inject into a page.
Helpers to import: `tests.browser.helpers`.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

from ciwidgets.model import Network, Project, Team
from ciwidgets.serve.process import (
    ServerProcess,
    build_demo_store,
    link_workbooks,
    write_bare_notebook,
    write_notebook,
)
from ciwidgets.store import Store

from .helpers import ARTIFACTS, WIDGET_TIMEOUT_MS

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CIWIDGETS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
# Short enough for a test to watch a kernel be culled. (A page still loading is safe:
# culling waits for a kernel's first connection, see ciwidgets/serve/kernels.py.)
CULL_IDLE_TIMEOUT = 20
CULL_INTERVAL = 5

# A voila.json in the server's working directory that would show tracebacks and switch to
# the CDN-loading `lab` template if it were read. It must not be.
STRAY_CONFIG = {"VoilaConfiguration": {"show_tracebacks": True, "template": "lab", "strip_sources": False}}


@pytest.hookimpl(tryfirst=True)  # before `-m` selects on the marker
def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder `browser`."""
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)



def missing(what: str) -> None:
    """Skip on a developer's machine; fail in CI, where everything must be installed."""
    message = f"{what} (run `make test`, which installs it)"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass
class VoilaServer:
    """The session's server and what the tests need to know about its demo store."""

    process: ServerProcess
    db: Path
    folder: Path  # what the server serves
    hub_code: str | None
    team_codes: dict[str, str] = field(default_factory=dict)
    workbooks: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return self.process.base_url

    def url(self, notebook: str, team: str | None = None, hub: str | None = None, **params) -> str:
        return self.process.url(notebook, team=team, hub=hub, **params)

    def landing_url(self, **params: str) -> str:
        return self.base_url + (f"?{urlencode(params)}" if params else "")

    def demo_code(self, word: str) -> str:
        """The join code of the demo team whose name contains `word` ("Fox")."""
        found = [code for name, code in self.team_codes.items() if word.casefold() in name.casefold()]
        if len(found) != 1:
            pytest.fail(f"no single demo team matches {word!r}: {sorted(self.team_codes)}")
        return found[0]

    def new_team(self, network: str, team: str, **project) -> str:
        """A team of its own, in a network of its own, with a project made of `project`'s
        fields; its join code. Tests that edit use one, so the demo teams stay as built."""
        store = Store(self.db)
        try:
            network_id = store.create(Network(name=f"{network} {secrets.token_hex(3)}")).doc.id
            created = store.create(Team(network_id=network_id, name=team)).doc
            store.create(Project(team_id=created.id, **project))
            return created.join_code
        finally:
            store.close()

    def require(self, notebook: str) -> None:
        """Skip a test whose workbook is not written yet."""
        if notebook not in self.workbooks:
            pytest.skip(f"workbooks/{notebook} does not exist yet")

    def log(self) -> str:
        return self.process.log()

    def kernel_alive(self, kernel_id: str) -> bool:
        return self.process.kernel_alive(kernel_id)

    def kernel_pids(self) -> list[int]:
        return self.process.kernel_pids()


def served_folder(root: Path) -> tuple[Path, list[str]]:
    """The shipped workbooks (linked, not copied) plus test notebooks under `_test/`."""
    folder = root / "served"
    names = link_workbooks(folder)
    tests = folder / "_test"
    write_bare_notebook(tests / "bare.ipynb")
    write_notebook(
        tests / "error.ipynb",
        "print('before the failure')",
        "secret_source_line = 1 / 0",
        "print('never printed')",
        markdown="# A page that fails",
    )
    write_notebook(
        tests / "callback-error.ipynb",
        "import ipywidgets as widgets\n"
        "button, box = widgets.Button(description='Break'), widgets.Text(description='Type')\n"
        "def on_click(_):\n    secret_click_line = 1 / 0\n"
        "def on_value(_):\n    secret_observe_line = {}['x']\n"
        "button.on_click(on_click)\nbox.observe(on_value, 'value')\nwidgets.VBox([button, box])",
        "from ciwidgets.workbook import log_to_server, style\n"
        "display(widgets.HTML(f'<style>{style()}</style>'))\nlog_to_server()  # shows the page's notice",
    )
    write_notebook(
        tests / "query.ipynb",
        "import os\nimport ipywidgets as widgets\nfrom voila.utils import wait_for_request",
        "wait_for_request()\nwidgets.Label('query: ' + os.environ.get('QUERY_STRING', ''))",
    )
    return folder, names


@pytest.fixture(scope="session")
def voila(tmp_path_factory) -> Iterator[VoilaServer]:
    """One ciwidgets server for every browser test of the session."""
    root = tmp_path_factory.mktemp("voila")
    db = root / "demo.db"
    hub_code, team_codes = build_demo_store(db)
    folder, names = served_folder(root)
    cwd = root / "cwd"
    cwd.mkdir()
    (cwd / "voila.json").write_text(json.dumps(STRAY_CONFIG))
    pools = {"_test/query.ipynb": 1}
    if "00-start-here.ipynb" in names:
        pools["00-start-here.ipynb"] = 1
    ARTIFACTS.mkdir(exist_ok=True)
    process = ServerProcess(
        db=db, workbooks=folder, pools=pools, cwd=cwd, log_path=ARTIFACTS / "voila-server.log",
        voila_args=[
            f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_TIMEOUT}",
            f"--MappingKernelManager.cull_interval={CULL_INTERVAL}",
        ],
    )
    with process:
        yield VoilaServer(process, db, folder, hub_code, team_codes, names)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (the Debian package) for the session."""
    if not Path(CHROMIUM).exists():
        missing(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def external_requests() -> list[str]:
    """URLs the page tried to fetch from anywhere but the server (blocked)."""
    return []


@pytest.fixture
def context(browser, voila, external_requests):
    """A fresh browser profile per test; only the test server is reachable."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(WIDGET_TIMEOUT_MS)

    def guard(route):
        url = route.request.url
        if url.startswith((voila.base_url, "data:", "blob:")):
            route.continue_()
        else:
            external_requests.append(url)
            route.abort()

    ctx.route("**/*", guard)
    yield ctx
    ctx.close()
    assert not external_requests, f"the page fetched from outside the server: {external_requests}"


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core, from the npm registry through package-lock.json (`npm ci`)."""
    if not AXE.exists():
        missing("axe-core is not installed in node_modules")
    return AXE.read_text(encoding="utf-8")


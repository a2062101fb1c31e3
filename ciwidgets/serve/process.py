"""A `ciwidgets serve` in a child process, for browser tests, benchmarks and checks.

The server runs exactly as `serve()` does for users (`python -m ciwidgets.serve`); this
module only starts it on a free port, waits until it answers, and stops it with all of
its kernels.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlencode

import nbformat

from ..paths import resource_dir
from .app import TEMPLATE

# A static file of our template: probing it never starts a kernel (a notebook URL would).
READY_PATH = f"voila/templates/{TEMPLATE}/static/ciwidgets.css"
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def write_notebook(path: Path, *sources: str, markdown: str = "") -> Path:
    """A Python notebook made of an optional Markdown cell and the given code cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = ([nbformat.v4.new_markdown_cell(markdown)] if markdown else []) + [
        nbformat.v4.new_code_cell(source) for source in sources
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def write_bare_notebook(path: Path) -> Path:
    """The limit of this stack: one ipywidgets Button whose click writes a Label."""
    return write_notebook(
        path,
        "import ipywidgets as widgets\n"
        "label = widgets.Label('0 clicks')\n"
        "button = widgets.Button(description='Click me', icon='check')\n"
        "clicks = [0]\n"
        "def on_click(_):\n"
        "    clicks[0] += 1\n"
        "    label.value = f'{clicks[0]} clicks'\n"
        "button.on_click(on_click)\n"
        "widgets.VBox([button, label])",
    )


def build_demo_store(path: Path) -> tuple[str, dict[str, str]]:
    """The demo network in a new store at `path`: (hub code, {team name: join code})."""
    from ..demo import build_demo
    from ..store import Store

    store = Store(path)
    try:
        network = build_demo(store)
        return network.hub_code, {team.name: team.join_code for team in store.teams(network.id)}
    finally:
        store.close()


def link_workbooks(folder: Path) -> list[str]:
    """Link every shipped workbook (and its files) into `folder`; the notebooks' names.

    A served folder made this way can hold extra notebooks (tests, benchmarks) in a
    subfolder, which the landing page does not list."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for item in sorted(resource_dir("workbooks").iterdir()):
        if item.name.startswith("."):
            continue
        (folder / item.name).symlink_to(item, target_is_directory=item.is_dir())
        if item.suffix == ".ipynb":
            names.append(item.name)
    return names


class ServerProcess:
    """One `python -m ciwidgets.serve` child; use as a context manager or start()/stop()."""

    def __init__(
        self,
        *,
        db: str | os.PathLike,
        workbooks: str | os.PathLike | None = None,
        pools: Mapping[str, int] | None = None,
        voila_args: Sequence[str] = (),
        log_path: str | os.PathLike,
        cwd: str | os.PathLike | None = None,
        port: int | None = None,
    ):
        self.db = str(db)
        self.workbooks = workbooks
        self.pools = dict(pools or {})
        self.voila_args = list(voila_args)
        self.log_path = Path(log_path)
        self.cwd = cwd
        self.port = port or free_port()
        self.base_url = f"http://{HOST}:{self.port}/"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "ciwidgets.serve", "--db", self.db, "--port", str(self.port)]
        if self.workbooks is not None:
            cmd += ["--workbooks", str(self.workbooks)]
        if self.pools:
            cmd += [arg for name, size in self.pools.items() for arg in ("--pool", f"{name}={size}")]
        else:
            cmd.append("--no-preheat")
        # An exact port: a test must not end up talking to some other server.
        return [*cmd, "--", "--Voila.port_retries=0", *self.voila_args]

    def start(self, timeout: float = 120) -> ServerProcess:
        """Start the server and wait until it serves static files."""
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=self.cwd, start_new_session=True,  # its own group: stop() reaches its kernels
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ciwidgets serve exited with {self.process.returncode}:\n{self.log()}")
            if self.status(READY_PATH) == 200:
                return self
            time.sleep(0.25)
        self.stop()
        raise TimeoutError(f"ciwidgets serve did not answer within {timeout:.0f} s:\n{self.log()}")

    def stop(self, timeout: float = 30) -> None:
        """Stop the server (it shuts its kernels down), then anything left of its group."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group we created in start()
        except ProcessLookupError:
            pass
        self.process.wait(10)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- asking the server -------------------------------------------------------------
    def url(self, notebook: str, **params: str | None) -> str:
        """`…/voila/render/<notebook>.ipynb?team=…` (parameters that are None are left out)."""
        name = notebook if notebook.endswith(".ipynb") else f"{notebook}.ipynb"
        query = urlencode({k: v for k, v in params.items() if v is not None})
        return f"{self.base_url}voila/render/{name}" + (f"?{query}" if query else "")

    def status(self, path: str) -> int:
        """The HTTP status of GET `path` (relative to the base URL); 0 if nothing answers."""
        try:
            with urllib.request.urlopen(self.base_url + path.lstrip("/"), timeout=10) as reply:
                return reply.status
        except urllib.error.HTTPError as e:
            return e.code
        except (urllib.error.URLError, OSError):
            return 0

    def kernel_alive(self, kernel_id: str) -> bool:
        return self.status(f"api/kernels/{kernel_id}") == 200

    def kernel_pids(self) -> list[int]:
        """Process ids of the kernels the server runs now."""
        import psutil  # ipykernel's dependency; only needed here

        if self.process is None:
            return []
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        return [p.pid for p in children if _is_kernel(p)]

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""


def _is_kernel(process) -> bool:
    try:
        return any("ipykernel" in part for part in process.cmdline())
    except Exception:  # exited meanwhile, or not ours to read
        return False

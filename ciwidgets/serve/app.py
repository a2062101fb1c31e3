"""`ciwidgets serve`: standalone Voilà over the workbooks, configured for school teams.

What differs from a plain `voila workbooks/`:

- Configuration is explicit and complete: no `voila.json` from the working directory and
  no Jupyter config from the user's home is read, so a stray file cannot change it.
- Visitors never see code or a traceback (a friendly message; details in the server log),
  and cannot switch to a template that loads assets from a CDN.
- The page template (`templates/voila/`) loads nothing from the internet.
- The kernel of a closed tab is shut down at once (voila issue #1458, see
  `handlers.NotebookHandler`), and kernels without a browser are culled when idle,
  but not before their page had time to connect (`kernels.py`).
- Team-facing workbooks get a small pool of preheated kernels; the join code still
  reaches them over the same websocket `voila.utils.wait_for_request()` uses
  (`ciwidgets.request`).
- `/` is a landing page listing the workbooks in order instead of a file tree.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from jupyter_core.paths import jupyter_path
from traitlets import default
from traitlets.config import Config
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from ..paths import resource_dir
from ..store.db import resolve_url
from .catalog import phase_notebooks
from .handlers import (
    KernelSocketHandler,
    LandingHandler,
    NotebookHandler,
    TabClosedHandler,
    ToLandingHandler,
)

TEMPLATE = "ciwidgets"
ERROR_INSTRUCTION = (
    "Everything your team saved is safe. Reload the page to try again; "
    "if it happens again, tell your coach."
)


class Defaults:
    """Numbers a convening of eight schools on one small server lives with."""

    pool_size = 1  # preheated kernels per team-facing workbook
    fill_delay = 10.0  # s before a used pool kernel is replaced: keeps a burst of arrivals fast
    cull_idle_timeout = 900  # s a kernel with no browser connected may stay idle
    cull_interval = 60  # s between culling rounds


class CiwidgetsVoila(Voila):
    """Voilà with the ciwidgets landing page and the kernel-leak fix."""

    name = "ciwidgets-serve"

    @default("config_file_paths")
    def _config_file_paths_default(self) -> list[str]:
        return []  # never a voila.json from the working directory or ~/.jupyter

    @property
    def data_dir(self) -> str:
        """Voilà's own data folder (themes, schemas), not the one holding our template."""
        for path in jupyter_path("voila"):
            if os.path.isdir(os.path.join(path, "themes")):
                return path
        return super().data_dir

    def init_handlers(self) -> list:
        swapped = {
            TornadoVoilaHandler: NotebookHandler,
            VoilaShutdownKernelHandler: TabClosedHandler,
            TornadoVoilaTreeHandler: ToLandingHandler,
            VoilaKernelWebsocketHandler: KernelSocketHandler,
        }
        handlers = []
        for pattern, handler, *kwargs in super().init_handlers():
            if handler is VoilaContentsHandler:
                continue  # only the JupyterLab-style file tree needs it
            if handler is TornadoVoilaTreeHandler and pattern == self.server_url:
                handler, kwargs = LandingHandler, [
                    {"voila_configuration": self.voila_configuration, "folder": self.root_dir}
                ]
            handlers.append((pattern, swapped.get(handler, handler), *kwargs))
        return handlers


def visitor_settings(
    cull_idle_timeout: int = Defaults.cull_idle_timeout, cull_interval: int = Defaults.cull_interval
) -> dict[str, dict]:
    """What visitors see and how idle kernels end: the same for `ciwidgets serve` and for
    Voilà running inside a Jupyter server (Binder, JupyterHub; see `binder.py`)."""
    return {
        "VoilaConfiguration": {
            "template": TEMPLATE,
            "theme": "light",
            "strip_sources": True,
            "show_tracebacks": False,
            "allow_template_override": "NO",  # ?template=lab would load a CDN
            "allow_theme_override": "NO",
        },
        "VoilaExecutor": {
            "show_tracebacks": False,
            "cell_error_instruction": ERROR_INSTRUCTION,
            # A cell's output may trail its reply by seconds when a crowd arrives at once;
            # after the default 4 s, Voila gave up on it and the page stayed empty.
            "iopub_timeout": 60,
        },
        "MappingKernelManager": {
            "cull_idle_timeout": cull_idle_timeout,
            "cull_interval": cull_interval,
            "cull_connected": False,  # a tab open on a team's work stays
            "cull_busy": False,
        },
    }


def voila_config(
    *,
    folder: Path,
    port: int,
    host: str,
    open_browser: bool,
    pools: Mapping[str, int],
    fill_delay: float = Defaults.fill_delay,
    cull_idle_timeout: int = Defaults.cull_idle_timeout,
    cull_interval: int = Defaults.cull_interval,
) -> Config:
    """The complete configuration of standalone Voilà (a value tests can inspect)."""
    c = Config(visitor_settings(cull_idle_timeout, cull_interval))
    c.Voila.root_dir = str(folder)
    c.Voila.ip = host
    c.Voila.port = port
    c.Voila.open_browser = open_browser
    c.Voila.tornado_settings = {"serve_traceback": False}
    # Culling that spares the kernel of a page still loading (see kernels.py).
    c.VoilaConfiguration.multi_kernel_manager_class = "ciwidgets.serve.kernels.CiwidgetsKernelManager"
    c.VoilaConfiguration.preheat_kernel = bool(pools)
    c.VoilaKernelManager.kernel_pools_config = {
        "default": {"pool_size": 0},
        **{name: {"pool_size": size} for name, size in pools.items()},
    }
    c.VoilaKernelManager.fill_delay = fill_delay
    if os.name == "posix":
        # Kernels talk to the server over Unix sockets named after their connection files.
        # With TCP, kernels started at the same moment sometimes picked the same free port
        # and one of them never came up (seen with 30 tabs opened at once).
        c.KernelManager.transport = "ipc"
    return c


def default_pools(folder: Path, preheat: bool, pool_size: int = Defaults.pool_size) -> dict[str, int]:
    """One preheated kernel per team-facing workbook; none for the coach's views."""
    if not preheat or pool_size <= 0:
        return {}
    return {name: pool_size for name in phase_notebooks(folder)}


def kernel_environment(db: str, host: str, template_root: Path) -> dict[str, str]:
    """Variables the server sets for itself and, through inheritance, for every kernel."""
    return {
        "CIWIDGETS_DB": resolve_url(db),
        # Jupyter config from the working directory or the user's home is never read.
        "JUPYTER_NO_CONFIG": "1",
        # Where Voilà finds the `ciwidgets` template (JUPYTER_PATH comes first).
        "JUPYTER_PATH": os.pathsep.join(filter(None, [str(template_root), os.environ.get("JUPYTER_PATH")])),
        # A preheated kernel asks this address for its visitor's join code.
        "VOILA_APP_IP": "127.0.0.1" if host in ("", "0.0.0.0", "::") else host,
    }


def link_template(target: Path) -> Path:
    """A folder laid out as Jupyter data (`voila/templates/ciwidgets`) pointing at ours."""
    root = Path(tempfile.mkdtemp(prefix="ciwidgets-serve-"))
    place = root / "voila" / "templates" / TEMPLATE
    place.parent.mkdir(parents=True)
    try:
        place.symlink_to(target, target_is_directory=True)
    except OSError:  # no symlinks (some Windows setups): a copy does as well
        shutil.copytree(target, place)
    return root


def serve(
    *,
    db: str,
    port: int = 8866,
    host: str = "127.0.0.1",
    open_browser: bool = False,
    preheat: bool = True,
    extra_args: Sequence[str] = (),
    workbooks: str | os.PathLike | None = None,
    pool_size: int = Defaults.pool_size,
    pools: Mapping[str, int] | None = None,
) -> int:
    """Serve the workbooks with Voilà until interrupted; the exit status.

    `db` is a store path or URL, handed to every kernel as `CIWIDGETS_DB`. `extra_args`
    are Voilà command-line options (`--MappingKernelManager.cull_interval=5`), applied
    last. `pools` names the notebooks to preheat and how many kernels each; by default
    every team-facing workbook gets `pool_size` (with `preheat`). This call takes over
    the process: it sets environment variables and runs the event loop.
    """
    folder = Path(workbooks) if workbooks is not None else resource_dir("workbooks")
    if not folder.is_dir():
        print(f"ciwidgets: there is no workbooks folder at {folder}.")
        return 2
    template_root = link_template(resource_dir("templates") / "voila")
    try:
        os.environ.update(kernel_environment(db, host, template_root))
        chosen = dict(pools) if pools is not None else default_pools(folder, preheat, pool_size)
        config = voila_config(folder=folder.resolve(), port=port, host=host, open_browser=open_browser, pools=chosen)
        # The singleton instance: Jupyter handlers and the notebook renderer log through it.
        app = CiwidgetsVoila.instance(config=config)
        app.initialize(list(extra_args))
        app.start()
    finally:
        shutil.rmtree(template_root, ignore_errors=True)
    return 0


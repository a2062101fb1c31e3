"""Voilà inside a Jupyter server (Binder, JupyterHub): the same look and rules as
`ciwidgets serve`, where the landing page, preheated kernels and the tab-closed fix of
standalone Voilà are not available.

`python -m ciwidgets.serve.binder` (run by binder/postBuild) makes the `ciwidgets`
template known to Jupyter and writes a Jupyter server config that selects it.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from ..paths import resource_dir
from .app import TEMPLATE, visitor_settings

CONFIG_NAME = "ciwidgets.json"


def install(prefix: str | Path = sys.prefix) -> tuple[Path, Path]:
    """Template and server config into an environment; (template folder, config file)."""
    prefix = Path(prefix)
    template = prefix / "share" / "jupyter" / "voila" / "templates" / TEMPLATE
    template.parent.mkdir(parents=True, exist_ok=True)
    if template.is_symlink() or template.is_file():
        template.unlink()
    elif template.is_dir():
        shutil.rmtree(template)
    # A copy, not a link: the image must not depend on where the source was built from.
    shutil.copytree(resource_dir("templates") / "voila", template)

    config = prefix / "etc" / "jupyter" / "jupyter_server_config.d" / CONFIG_NAME
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps(visitor_settings(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return template, config


def main() -> int:
    template, config = install()
    print(f"Voila template: {template}\nJupyter server config: {config}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Serving the workbooks as Voilà apps: `serve()` (behind `ciwidgets serve`).

`python -m ciwidgets.serve --db PATH` runs the same server with every option on the
command line; tests and benchmarks start it that way.
"""

from .app import CiwidgetsVoila, Defaults, serve, voila_config

__all__ = ["CiwidgetsVoila", "Defaults", "serve", "voila_config"]

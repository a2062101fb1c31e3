"""Vega-Lite specifications drawn as SVG, offline, by vl-convert.

vl-convert runs Vega in an embedded V8 engine: about 60 MB and half a second to start,
in every process that draws a chart. Under `ciwidgets serve` the server keeps one engine
for all kernels (`ciwidgets.serve.charts`) and tells them where it is through
`$CIWIDGETS_CHARTS_URL` and `$CIWIDGETS_CHARTS_TOKEN`; a kernel then sends its
specification there instead of starting its own engine. Everywhere else (JupyterLab,
scripts, tests) the engine runs in this process.

Charts are drawn from their inline data only: Vega may load nothing from a URL."""

from __future__ import annotations

import json
import os
import urllib.request
from typing import Any

URL_VARIABLE = "CIWIDGETS_CHARTS_URL"
TOKEN_VARIABLE = "CIWIDGETS_CHARTS_TOKEN"
TOKEN_HEADER = "X-Ciwidgets-Token"
TIMEOUT_S = 120  # a crowd of kernels queues for one engine
# The server is on this machine: never through a proxy from the environment.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def to_svg(spec: dict[str, Any]) -> str:
    """The SVG of a Vega-Lite specification: from the server's engine when there is one."""
    url = os.environ.get(URL_VARIABLE)
    if url:
        try:
            return _from_server(url, os.environ.get(TOKEN_VARIABLE, ""), spec)
        except OSError:  # urllib's URLError and HTTPError are OSErrors
            pass  # the server's engine is out of reach: drawing here still shows the chart
    return draw(spec)


def draw(spec: dict[str, Any]) -> str:
    """Draw in this process (starts the engine on first use)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])


def _from_server(url: str, token: str, spec: dict[str, Any]) -> str:
    request = urllib.request.Request(
        url,
        data=json.dumps(spec).encode("utf-8"),
        headers={"Content-Type": "application/json", TOKEN_HEADER: token},
        method="POST",
    )
    with _DIRECT.open(request, timeout=TIMEOUT_S) as response:
        return response.read().decode("utf-8")

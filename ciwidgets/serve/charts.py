"""One chart engine for every kernel of the server (see `ciwidgets.render.vega`).

Kernels POST a Vega-Lite specification to `<base>ciwidgets/charts` with the server's
secret token and get the SVG back. The engine draws one chart at a time on its own
thread, so the server keeps answering pages while it works. The token keeps the
address to the server's own kernels: visitors never see it."""

from __future__ import annotations

import hmac
import json
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import tornado.web
from tornado.ioloop import IOLoop

from ..render import vega

PATH = "ciwidgets/charts"
MAX_SPEC_BYTES = 8 * 2**20  # a run chart of several years of daily data is well under 1 MB


@dataclass
class ChartEngine:
    """The shared engine: a token and a single drawing thread."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="charts"))

    def warm_up(self) -> None:
        """Start the engine before the first visitor needs it (it takes half a second)."""
        self.executor.submit(vega.draw, {"mark": "point", "data": {"values": [{"x": 1}]},
                                         "encoding": {"x": {"field": "x", "type": "quantitative"}}})

    def kernel_environment(self, url: str) -> dict[str, str]:
        return {vega.URL_VARIABLE: url, vega.TOKEN_VARIABLE: self.token}


class ChartHandler(tornado.web.RequestHandler):
    """POST a Vega-Lite specification (JSON), get its SVG."""

    def initialize(self, engine: ChartEngine) -> None:
        self.engine = engine

    def check_xsrf_cookie(self) -> None:
        """Kernels are not browsers: the token stands in for the cookie."""

    async def post(self) -> None:
        given = self.request.headers.get(vega.TOKEN_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.engine.token.encode()):
            raise tornado.web.HTTPError(403)
        if len(self.request.body) > MAX_SPEC_BYTES:
            raise tornado.web.HTTPError(413)
        try:
            spec = json.loads(self.request.body)
        except ValueError:
            raise tornado.web.HTTPError(400, "not JSON") from None
        if not isinstance(spec, dict):
            raise tornado.web.HTTPError(400, "not a Vega-Lite specification")
        try:
            svg = await IOLoop.current().run_in_executor(self.engine.executor, vega.draw, spec)
        except ValueError as error:  # vl-convert's word for a specification it cannot draw
            raise tornado.web.HTTPError(400, str(error)[:500]) from None
        self.set_header("Content-Type", "image/svg+xml; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(svg)

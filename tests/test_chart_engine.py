"""One chart engine in the server draws every kernel's run charts: a kernel that shows
a chart no longer starts its own V8 engine, and only the server's kernels may use it."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading

import pytest
import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from ciwidgets.render import vega
from ciwidgets.serve.charts import MAX_SPEC_BYTES, ChartEngine, ChartHandler

SPEC = {
    "mark": "point",
    "data": {"values": [{"day": "2026-09-07", "value": 3}, {"day": "2026-09-14", "value": 5}]},
    "encoding": {"x": {"field": "day", "type": "temporal"}, "y": {"field": "value", "type": "quantitative"}},
}


@pytest.fixture(scope="module")
def chart_server():
    """A server holding only the chart engine, on 127.0.0.1, in a thread: (url, engine)."""
    engine = ChartEngine()
    sockets = bind_sockets(0, "127.0.0.1")
    port = sockets[0].getsockname()[1]
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        server = HTTPServer(tornado.web.Application([(r"/ciwidgets/charts", ChartHandler, {"engine": engine})]))
        server.add_sockets(sockets)
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait()
    yield f"http://127.0.0.1:{port}/ciwidgets/charts", engine
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)


def post(url: str, body: bytes, token: str | None) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    headers = {"Content-Type": "application/json"} | ({vega.TOKEN_HEADER: token} if token is not None else {})
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_the_server_draws_a_specification_as_svg(chart_server):
    url, engine = chart_server
    status, svg = post(url, json.dumps(SPEC).encode(), engine.token)
    assert status == 200
    assert svg.startswith("<svg") and svg == vega.draw(SPEC)


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_only_the_servers_own_kernels_may_use_it(chart_server, token):
    url, _engine = chart_server
    assert post(url, json.dumps(SPEC).encode(), token) == (403, "")


@pytest.mark.parametrize("body, status", [
    (b"{not json", 400),
    (b"[1, 2]", 400),
    (json.dumps({"mark": "nonsense"}).encode(), 400),
    (b" " * (MAX_SPEC_BYTES + 1), 413),
])
def test_what_it_cannot_draw_is_refused_with_a_reason(chart_server, body, status):
    url, engine = chart_server
    assert post(url, body, engine.token)[0] == status


KERNEL = """
import json, sys
from ciwidgets.render import vega
svg = vega.to_svg(json.loads(sys.argv[1]))
print(json.dumps({"svg": svg, "engine_here": "vl_convert" in sys.modules}))
"""


def run_kernel_side(env: dict[str, str]) -> dict:
    result = subprocess.run([sys.executable, "-c", KERNEL, json.dumps(SPEC)], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", **env}, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_kernel_of_the_server_draws_without_an_engine_of_its_own(chart_server):
    url, engine = chart_server
    answer = run_kernel_side(engine.kernel_environment(url))
    assert answer["engine_here"] is False
    assert answer["svg"] == vega.draw(SPEC)


def test_without_the_server_a_kernel_draws_the_same_chart_itself():
    answer = run_kernel_side({vega.URL_VARIABLE: "http://127.0.0.1:9/ciwidgets/charts", vega.TOKEN_VARIABLE: "x"})
    assert answer["engine_here"] is True
    assert answer["svg"] == vega.draw(SPEC)


def test_charts_never_load_data_from_a_url():
    spec = {**SPEC, "data": {"url": "http://127.0.0.1:9/data.json"}}
    with pytest.raises(ValueError, match="not allowed"):
        vega.draw(spec)

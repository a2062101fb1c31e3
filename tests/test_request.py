"""How a workbook kernel learns whose page it serves: cold from its environment,
preheated from the server's query websocket, without loading the Jupyter server."""

import json
import subprocess
import sys
import threading

import pytest
from websockets.sync.server import serve

from ciwidgets.request import query_url, request_params

PREHEATED_KERNEL = """
import json, sys
from ciwidgets.request import request_params
params = request_params()
print(json.dumps({"params": params, "loaded_voila": any(m.split(".")[0] in ("voila", "jupyter_server")
                                                        for m in sys.modules)}))
"""


@pytest.fixture
def voila_query_socket():
    """A stand-in for voila's `/voila/query/<kernel>` endpoint: hands over one request
    (`request`, which a test may change). Yields (port, paths asked for, request)."""
    seen = []
    request = {"QUERY_STRING": "team=abcd-efgh-jk&me=Ana", "SERVER_NAME": "127.0.0.1"}

    def handler(websocket):
        seen.append(websocket.request.path)
        websocket.send(json.dumps(request))

    with serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server.socket.getsockname()[1], seen, request
        server.shutdown()


def test_a_preheated_kernel_waits_for_its_request_without_importing_voila(voila_query_socket):
    port, seen, _request = voila_query_socket
    env = {"VOILA_PREHEAT": "True", "VOILA_KERNEL_ID": "k-123", "VOILA_APP_PORT": str(port),
           "VOILA_SERVER_URL": "/", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", PREHEATED_KERNEL], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["params"] == {"team": "abcd-efgh-jk", "me": "Ana"}
    assert answer["loaded_voila"] is False
    assert seen == ["/voila/query/k-123"]


def test_a_cold_kernel_reads_the_request_from_its_environment(monkeypatch):
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "hub=ep36-frmw-4z")
    assert request_params() == {"hub": "ep36-frmw-4z"}


def test_outside_voila_there_is_no_request(monkeypatch):
    for name in ("VOILA_KERNEL_ID", "VOILA_PREHEAT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QUERY_STRING", "team=should-not-be-read")
    assert request_params() == {}


def test_the_query_socket_follows_the_server_base_url(monkeypatch):
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-9")
    monkeypatch.setenv("VOILA_APP_PORT", "9000")
    monkeypatch.setenv("VOILA_SERVER_URL", "/school/")
    monkeypatch.delenv("VOILA_WS_BASE_URL", raising=False)
    assert query_url() == "ws://127.0.0.1:9000/school/voila/query/k-9"


WORKBOOK_KERNEL = """
import json, sys
from ciwidgets.workbook import open_workbook
wb = open_workbook(db=sys.argv[1], phase=2, show=False)
print(json.dumps({"team": wb.team.name if wb.team else None,
                  "views_ready": "ciwidgets.widgets.fishbone" in sys.modules}))
"""


@pytest.mark.parametrize("preheat", ["True", "False"])
def test_only_a_preheated_kernel_gets_every_view_ready_while_it_waits(voila_query_socket, tmp_path, preheat):
    from ciwidgets.demo import build_demo
    from ciwidgets.store import Store

    db = tmp_path / "demo.db"
    store = Store(db)
    fox = next(t for t in store.teams(build_demo(store).id) if t.name.startswith("Fox"))
    store.close()
    port, _seen, request = voila_query_socket
    request["QUERY_STRING"] = f"team={fox.join_code}"  # how a preheated kernel learns it
    env = {"VOILA_PREHEAT": preheat, "VOILA_KERNEL_ID": "k-7", "VOILA_APP_PORT": str(port), "PATH": "/usr/bin:/bin",
           "QUERY_STRING": "" if preheat == "True" else f"team={fox.join_code}"}
    result = subprocess.run([sys.executable, "-c", WORKBOOK_KERNEL, str(db)], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["views_ready"] is (preheat == "True")
    assert answer["team"] == "Fox Elementary"

"""The Voilà request a workbook kernel serves: whose join code is in the URL.

A kernel started for a visitor finds the request (`QUERY_STRING` and friends) in its
environment. A preheated kernel ran its notebook before anyone asked for it, so it stops
at `request_params()` until the server hands it the request over a websocket.

`voila.utils.wait_for_request()` does the same, but importing `voila` loads the whole
Jupyter server into the kernel (jsonschema compiles its URI grammars on import): about
two seconds and 45 MB in every kernel, for one websocket message. So the kernel side
speaks that small protocol itself and never imports `voila`."""

from __future__ import annotations

import json
import os
from urllib.parse import parse_qs


def in_voila() -> bool:
    return "VOILA_KERNEL_ID" in os.environ or "VOILA_PREHEAT" in os.environ


def preheated() -> bool:
    """A kernel started ahead of its visitor (its request comes later)."""
    return os.environ.get("VOILA_PREHEAT", "False") != "False"


def request_params() -> dict[str, str]:
    """The query string of the Voilà request (waits for it in a preheated kernel)."""
    if not in_voila():
        return {}
    if preheated():
        os.environ.update(wait_for_request())
    query = parse_qs(os.environ.get("QUERY_STRING", ""))
    return {key: values[0] for key, values in query.items() if values}


def query_url() -> str:
    """Where the server hands a preheated kernel its request (voila's `/voila/query/<kernel>`)."""
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"


def wait_for_request() -> dict[str, str]:
    """Block until a visitor is given this kernel; the request's environment variables.

    Runs in the kernel's main thread on purpose: nothing else may run in a preheated
    kernel before it knows whose page it is."""
    from websockets.sync.client import connect

    with connect(query_url(), open_timeout=30, max_size=2**20) as websocket:
        message = websocket.recv()
    return {str(key): str(value) for key, value in json.loads(message).items()}

"""Helpers for browser tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ciwidgets.widgets.common import ANSWER_PAUSE_S as SERVED_ANSWER_PAUSE_S

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "artifacts"
WIDGET_TIMEOUT_MS = 90_000  # a cold kernel on a busy 2-core machine


def kernel_id(page) -> str:
    """The id of the kernel behind a Voilà page."""
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def wait_for_widgets(page, text: str | None = None, timeout_ms: int = WIDGET_TIMEOUT_MS) -> None:
    """Wait until Voilà has shown the page and its widgets (and `text`, if given)."""
    page.wait_for_selector("#rendered_cells", state="visible", timeout=timeout_ms)
    page.wait_for_selector(".jupyter-widgets, .widget-vbox, .widget-box", timeout=timeout_ms)
    if text is not None:
        page.get_by_text(text, exact=False).first.wait_for(timeout=timeout_ms)


def open_as_fox(voila, page, app: str, text: str) -> None:
    """Open `app` as Fox Elementary (the demo team with work in every phase) and wait for `text`."""
    voila.require(app)
    page.goto(voila.url(app, team=voila.demo_code("Fox")))
    wait_for_widgets(page, text)


def screenshot(page, name: str, max_height: int = 8000) -> Path:
    """A PNG of the whole page under artifacts/ (git-ignored), to look at.

    A Voila page scrolls inside its shell, not the document, so the window is made as
    tall as the content for the picture."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    size = page.viewport_size
    inner = page.evaluate(
        "() => { const c = document.getElementById('rendered_cells');"
        " return c ? c.scrollHeight + c.getBoundingClientRect().top : 0; }"
    )
    if size and inner > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(int(inner) + 8, max_height)})
    page.screenshot(path=str(path), full_page=True)
    if size:
        page.set_viewport_size(size)
    return path


def read_the_question(page) -> None:
    """A person reads 'Really …?' before answering: an answer sooner is taken for the
    second click of a double-click and ignored (`ANSWER_PAUSE_S`, as the served kernels
    have it: the value bound when this module was imported, not the tests' own)."""
    page.wait_for_timeout(SERVED_ANSWER_PAUSE_S * 1000 + 100)

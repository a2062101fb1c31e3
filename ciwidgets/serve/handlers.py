"""Tornado handlers that ciwidgets adds to or swaps into Voilà."""

from __future__ import annotations

import asyncio
import functools
import os
import re
from pathlib import Path
from urllib.parse import urlencode

import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import APIHandler
from voila.handler import BaseVoilaHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from ..model import Network, Team, canonical_code
from .catalog import list_workbooks

# Query parameters a landing page passes on to the workbooks it links to.
PASSED_ON = ("team", "hub", "me")
# Join codes come from `secrets`; anything else in the URL is ignored rather than echoed.
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_NAME = re.compile(r"^[^\x00-\x1f<>]{1,80}$")
TAB_CLOSED_GRACE_S = 1.0  # a closed tab's kernel lives this long, to save what the page sent last


def passed_on(arguments: dict[str, str]) -> dict[str, str]:
    """The join code, hub code and name worth keeping from a request, if well formed."""
    kept = {}
    for key in PASSED_ON:
        value = arguments.get(key, "").strip()
        if key != "me":
            value = canonical_code(value)  # 'STXU ZQME NZ' as typed from a card
        pattern = _NAME if key == "me" else _CODE
        if value and pattern.match(value):
            kept[key] = value
    return kept


@functools.cache
def _store():
    """The store this server's kernels use ($CIWIDGETS_DB), for the landing page to
    tell a team's join code from the hub code and from a code that opens nothing."""
    from ..store import Store

    return Store(os.environ.get("CIWIDGETS_DB"))


def landing_words(kept: dict[str, str], asked_team: str, opened: Team | Network | None) -> dict:
    """What the landing page says and where its links lead, given the well-formed codes
    of the request (`kept`) and what its code opened. It names the team, never a code:
    a landing page may be projected."""
    team, hub = isinstance(opened, Team), isinstance(opened, Network)
    typed_hub = hub and "team" in kept  # the hub code, typed into the join form
    return {
        "team_name": opened.name if team else "",
        "typed_hub": typed_hub,
        # team workbooks open with a join code only: with the hub code they would show nothing
        "query": urlencode({k: v for k, v in kept.items() if k in ("team", "me")}) if team else "",
        "hub_code": kept.get("hub") or kept.get("team") if hub else "",
        "bad_code": bool(asked_team.strip()) and not team and not typed_hub,
    }


class NotebookHandler(TornadoVoilaHandler):
    """Voilà's notebook page, plus the `_xsrf` cookie its tab-closed request needs.

    Voilà's page sends `POST voila/api/shutdown/<kernel>` on `beforeunload` with the
    `_xsrf` value it reads from the cookie, but nothing on a notebook page ever sets that
    cookie, so the request fails with 403 and the kernel lives on (voila issue #1458).
    Reading `xsrf_token` here sets the cookie before the page starts streaming.
    """

    async def prepare(self) -> None:
        await super().prepare()
        self.xsrf_token  # noqa: B018 - the property sets the cookie as a side effect


class KernelSocketHandler(VoilaKernelWebsocketHandler):
    """Voilà's kernel websocket with Nagle's algorithm off.

    A widget update is one small frame; with Nagle on, the frame that follows it waits
    for the browser's delayed ACK, which added about 40 ms to a click's round trip."""

    async def open(self, kernel_id: str) -> None:
        self.set_nodelay(True)
        await super().open(kernel_id)


class TabClosedHandler(APIHandler):
    """Shut a kernel down when its tab closes (replaces Voilà's handler of the same URL).

    Unlike Voilà's, an unknown kernel (already culled, or a second request) answers
    404 instead of logging a traceback, and every shutdown is logged.
    """

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        if kernel_id not in self.kernel_manager:
            raise tornado.web.HTTPError(404)
        self.log.info("Tab closed: shutting down kernel %s", kernel_id)
        # The page's last words (a box it left while closing) may still be on their way
        # to this kernel, on the websocket: let it save them first.
        await asyncio.sleep(TAB_CLOSED_GRACE_S)
        if kernel_id not in self.kernel_manager:  # culled meanwhile
            raise tornado.web.HTTPError(404)
        await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id))
        self.set_status(204)
        self.finish()


class LandingHandler(BaseVoilaHandler):
    """The home page: every workbook in order, links carrying the visitor's join code."""

    def initialize(self, **kwargs) -> None:
        super().initialize(**kwargs)
        self.folder = Path(kwargs["folder"])

    @tornado.web.authenticated
    def get(self) -> None:
        asked = {key: self.get_argument(key, "") for key in PASSED_ON}
        kept = passed_on(asked)
        code = kept.get("team") or kept.get("hub", "")
        opened = _store().by_code(code) if code else None
        entries = list_workbooks(self.folder)
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.finish(
            self.render_template(
                "landing.html",
                phases=[e for e in entries if not e.for_coaches],
                coach_pages=[e for e in entries if e.for_coaches],
                **landing_words(kept, asked["team"], opened),
            )
        )


class ToLandingHandler(tornado.web.RequestHandler):
    """Voilà's file-tree pages lead to the landing page, join code and all."""

    def initialize(self, **_voila_kwargs) -> None:
        """Takes the place of Voilà's tree handler, and so its arguments (unused)."""

    def get(self, *args, **kwargs) -> None:
        kept = passed_on({key: self.get_argument(key, "") for key in PASSED_ON})
        target = self.settings["base_url"]
        self.redirect(f"{target}?{urlencode(kept)}" if kept else target)

"""Join cards for a convening (hub code only): a printable card per team with its join
link, its code and a QR code. The codes never show on this page, which is often
projected; they are only in the downloaded file, for the coach to print and hand out."""

from __future__ import annotations

import os
import re
from html import escape

from ..model import Network
from ..render.cards import DEFAULT_URL, join_cards_html, server_address
from ..session import Session
from . import lean as W
from .common import DownloadButton, field, file_name, note

ON_THE_SERVER = {"127.0.0.1", "localhost", "::1", "0.0.0.0", ""}


def served_address() -> str:
    """Where this page was opened (Voilà passes the request's host and port), else the
    address `ciwidgets serve` uses by default."""
    host, port = os.environ.get("SERVER_NAME", ""), os.environ.get("SERVER_PORT", "")
    if not host:
        return DEFAULT_URL
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}" if port else f"http://{host}"


class JoinCards(W.VBox):
    """Choose the address the teams use; download one printable card per team."""

    def __init__(self, session: Session):
        self.session = session
        self.base_url = served_address()
        self.address = field("Address teams use", W.Text, value=self.base_url, continuous_update=False,
                             placeholder="e.g. http://192.168.1.20:8866")
        self.says = W.HTML()
        name = file_name(getattr(session.doc, "name", ""), "network")
        self.download = DownloadButton("Download join cards (HTML)", f"join-cards-{name}.html", "text/html",
                                       self._cards)
        super().__init__([self.address, self.says, W.HBox([self.download])])
        self.add_class("ciw-join-cards")
        if not isinstance(session.doc, Network):
            self.children = [W.HTML(note("Join cards are made with the network's hub code.", "warn"))]
            return
        self.address.observe(lambda change: self._use(change["new"]), "value")
        self._use(self.base_url)

    def _use(self, typed: str) -> None:
        """Take the typed address if it is one; the cards keep the last good one."""
        try:
            self.base_url = server_address(str(typed)) if str(typed).strip() else self.base_url
        except ValueError as e:
            self.says.value = note(f"Address {e}. The cards still use {self.base_url}.", "warn")
            return
        self.address.value = self.base_url  # as the cards will print it (http:// added)
        host = re.sub(r"^https?://\[?([^/\]:]*).*$", r"\1", self.base_url)
        if host in ON_THE_SERVER:
            self.says.value = note(
                f"The cards will use {self.base_url}, which only works on the server itself. Type the "
                "address the teams' laptops reach it at, e.g. http://192.168.1.20:8866.", "warn")
        else:
            self.says.value = (f'<p class="ciw-muted" style="line-height:1.45;margin:.3em 0">The cards will open '
                               f"<strong>{escape(self.base_url)}</strong>; print them two to a page and give "
                               "each team its own.</p>")

    def _cards(self) -> bytes:
        network = self.session.store.load(Network, self.session.doc.id)[0]  # teams added since: included
        teams = self.session.store.teams(network.id)
        return join_cards_html(network, teams, self.base_url).encode("utf-8")

"""Join cards: a printed card per team with its join link, its code and a QR code, for
a coach to hand out at a convening. A team opens its workbooks by typing the link on a
laptop or pointing a tablet's camera at the code; nobody reads codes off a projector.

Jinja2 renders `templates/join-cards.html.j2` with autoescape on (see `page`); the QR
codes are SVG made by segno from links this module builds, the only values marked safe.

Pure: no Jupyter imports, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import markupsafe

from ciwidgets.model import Network, Team

TEMPLATE = "join-cards.html.j2"
START = "00-start-here"
DEFAULT_URL = "http://127.0.0.1:8866"  # where `ciwidgets serve` listens unless told otherwise


# What an address may hold (RFC 3986): a name or an IP address, and path segments of
# unreserved characters, sub-delimiters, ':' and '@', and %-escapes. Quotes and angle
# brackets would print (and encode in every QR code) a link that leads nowhere.
_HOST = re.compile(r"[a-z0-9.-]+|[0-9a-f:.]+")
_PATH = re.compile(r"(/([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)*")


def server_address(typed: str) -> str:
    """Where teams reach the app, the start of every join link: http(s), a host (a name
    without dots too: a school server, localhost), a port, and a path for a server behind
    a proxy at /ci/; no ?query or #fragment, which would end up inside each link. An
    address typed without its scheme gets http://. Raises ValueError, in words."""
    link = typed.strip()
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", link):
        link = f"http://{link}"  # 'javascript:x' becomes a host whose port is no number
    try:
        parts = urlsplit(link)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is not None and ("/voila/" in parts.path or parts.path.endswith(".ipynb")):
        raise ValueError(f"must be the server's address, such as http://192.168.1.20:8866, not a workbook's "
                         f"link (not {typed[:60]!r})")
    if (parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname
            or parts.username is not None or "?" in link or "#" in link or any(c.isspace() for c in link)
            or not _HOST.fullmatch(parts.hostname) or not _PATH.fullmatch(parts.path)):
        shown = typed if len(typed) <= 60 else typed[:59] + "…"
        raise ValueError(f"must be a web address such as http://192.168.1.20:8866 or "
                         f"https://school.example.org/ci/, with no ?… or #… (not {shown!r})")
    return link


def join_link(base_url: str, code: str, param: str = "team", notebook: str = START) -> str:
    """The address that opens `notebook` with a join code (`team`) or the hub code (`hub`)."""
    return f"{base_url.rstrip('/')}/voila/render/{notebook}.ipynb?{urlencode({param: code})}"


@dataclass(frozen=True)
class JoinCard:
    team: str
    school: str
    url: str
    code: str
    qr: markupsafe.Markup


def qr_svg(url: str) -> markupsafe.Markup:
    """`url` as a QR code (SVG, medium error correction: a creased card still scans)."""
    import segno  # only when cards are made

    # A viewBox, not a fixed width and height: the card sizes the code (42 mm), and a
    # drawing without one is clipped to that size instead of scaled (it lost a finder
    # square's edge and its quiet zone, so tablets would not read it).
    return markupsafe.Markup(segno.make(url, error="m").svg_inline(
        scale=4, omitsize=True, title="QR code of the link on this card", svgclass="qr"))


def join_cards_html(network: Network, teams: list[Team], base_url: str) -> str:
    """One card per team, in the order given; `base_url` is where teams reach the app
    (e.g. http://192.168.1.20:8866), not necessarily where the coach opened it."""
    from .page import render_page  # Jinja2 only when cards are made, not when the hub page opens

    cards = []
    for team in teams:
        url = join_link(base_url, team.join_code)
        cards.append(JoinCard(team.name, team.school, url, team.join_code, qr_svg(url)))
    return render_page(TEMPLATE, {"network": network.name, "cards": cards, "home": base_url.rstrip("/") + "/"})

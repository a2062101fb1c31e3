"""What a workbook notebook opens first: whose work this is, and the views.

```python
from ciwidgets.workbook import open_workbook
wb = open_workbook()      # the team from ?team=CODE (Voila) or $CIWIDGETS_TEAM
wb.fishbone()             # one line per view
```
Without a valid join code nothing of any team is shown: the header explains how
to get a code from the coach, and every view is empty."""

from __future__ import annotations

import functools
import gc
import logging
import os
import sys
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from IPython import get_ipython
from IPython.display import display

from .model import PHASES, Network, Team
from .request import in_voila, preheated, request_params
from .session import Session
from .store import Store
from .widgets import HUB_VIEWS, VIEWS, view_class
from .widgets import lean as W
from .widgets.common import SaveStatus, TypingGuard, claim_statuses

log = logging.getLogger(__name__)
WORKBOOKS = (
    "00-start-here",
    "01-form-the-team",
    "02-understand-the-problem",
    "03-theory-of-improvement",
    "04-choose-change-ideas",
    "05-test",
    "06-study",
    "07-reflect-and-share",
    "08-network-convening",
)
HUB_PHASE = 8  # the network convening: opened with the coach's hub code
# Phases whose views draw a run chart as they open (Study, Reflect's storyboard, the
# convening's signals): the analysis imports numpy then, about 0.15 s.
CHARTS_ON_OPEN = frozenset({6, 7, 8})
STORYBOARD_PHASE = 7  # its preview fills the storyboard's template as it opens (about 0.03 s to compile)
REFRESH_MS = 3000  # how often an open app looks for teammates' edits


@functools.cache
def style() -> str:
    """The component styles (read once, on first use)."""
    return (Path(__file__).parent / "widgets" / "style.css").read_text(encoding="utf-8")


class Workbook:
    """A team's (or the hub's) way into the views. `wb.<view>()` shows a view."""

    def __init__(self, store: Store, opened: Team | Network | None, *, author: str = "", phase: int | None = None,
                 tried: str = ""):
        self.store, self.phase, self.author = store, phase, author
        self.tried = tried  # the code it was opened with (to say so, when it opens nothing)
        self.team = opened if isinstance(opened, Team) else None
        self.network = opened if isinstance(opened, Network) else None
        if self.team is not None and self.network is None:
            self.network = store.load(Network, self.team.network_id)[0]
        self.session = Session.for_team(store, self.team, author) if self.team else None
        self.hub_session = Session(store, Network, self.network.id, author) if self.is_hub else None
        self._poller = None
        self._watchers: list = []  # views that look for changes themselves (the convening)

    @property
    def is_open(self) -> bool:
        return self.team is not None

    @property
    def is_hub(self) -> bool:
        return self.team is None and self.network is not None

    def __getattr__(self, name: str):
        if name in VIEWS:
            return lambda **options: self.show(name, **options)
        raise AttributeError(name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(VIEWS))

    def show(self, name: str, **options) -> W.Widget | None:
        """Build the view `name` on this team's project, or on the network for a
        hub view opened with the hub code. Nothing without the right code."""
        session = self.hub_session if name in HUB_VIEWS else self.session
        if session is None:
            return None
        view = view_class(name)(session, **options)
        view.add_class("ciw-view")  # what the shared styles (style.css) apply to
        if hasattr(view, "look_for_changes"):
            self._watchers.append(view)
        claim_statuses(view)
        keep_for_the_page()
        return view

    # -- the header --------------------------------------------------------------
    def header(self) -> W.Widget:
        """The team's name and the phases, or how to get in; carries the styles."""
        header = W.VBox([W.HTML(f"<style>{style()}</style>"), self._title(), TypingGuard()])
        header.add_class("ciw-view")
        claim_statuses(header)  # its status speaks for no view: refusals are said where they happen
        return header

    def _title(self) -> W.Widget:
        if self.team is None and self.network is None:
            if not in_voila() and not self.store.networks():
                return W.HTML(_empty_store_message(self.store))
            return W.HTML(_locked_message(self.tried, self.phase))
        if self.team is None:
            return W.HTML(
                f'<header class="ciw-header"><h1>{escape(self.network.name)}</h1>'
                f'<p class="ciw-muted">Network hub — every team of the network.</p></header>{self._other_code()}'
            )
        project = self.session.doc
        school = f" · {escape(self.team.school)}" if self.team.school and self.team.school != self.team.name else ""
        title = f"<p class='ciw-muted'>{escape(project.title)} · {escape(project.school_year)}</p>" if project.title else ""
        top = W.HTML(f'<header class="ciw-header"><h1>{escape(self.team.name)}{school}</h1>{title}{self._nav()}'
                     f'</header>{self._other_code()}')
        return W.VBox([top, SaveStatus(self.session)])

    def _other_code(self) -> str:
        """Why a page opened with the other kind of code shows nothing, and where that
        code leads: a hub code on a team's workbook, a join code on the convening."""
        if self.phase is None:
            return ""
        if self.team is None and self.phase != HUB_PHASE:
            where = (f'<a href="{WORKBOOKS[HUB_PHASE]}.ipynb?{urlencode({"hub": self.network.hub_code})}">'
                     "the network convening</a>" if in_voila() else "the network convening (workbook 8)")
            return _alert("This workbook holds one team's own work and opens with that team's join code. "
                          f"The hub code opens {where}.")
        if self.team is not None and self.phase == HUB_PHASE:
            where = (f'<a href="{WORKBOOKS[0]}.ipynb?{urlencode({"team": self.team.join_code})}">Start here</a>'
                     if in_voila() else "Start here (workbook 0)")
            return _alert("The network convening opens with the network's hub code, which your coach has. "
                          f"Your team's own work starts at {where}.")
        return ""

    def _nav(self) -> str:
        if not in_voila() or self.team is None:
            return ""
        query = urlencode({"team": self.team.join_code, **({"me": self.author} if self.author else {})})
        links = []
        for number, name in enumerate(WORKBOOKS[:8]):
            label = escape(PHASES[number])
            current = ' aria-current="page"' if number == self.phase else ""
            links.append(f'<li><a href="{name}.ipynb?{query}"{current}>{number}. {label}</a></li>')
        return f'<nav class="ciw-phase-nav" aria-label="Phases"><ol>{"".join(links)}</ol></nav>'

    def keep_fresh(self) -> None:
        """Poll the store so teammates' edits (or, on the hub, every team's work and
        what teams share) appear without a reload (kernel only)."""
        if (self.session is None and self.hub_session is None) or self._poller is not None:
            return
        from tornado.ioloop import PeriodicCallback

        def tick():
            if self.session is not None:
                self.session.refresh()
            for view in self._watchers:
                view.look_for_changes()

        self._poller = PeriodicCallback(tick, REFRESH_MS)
        self._poller.start()

    def retire(self) -> None:
        """The notebook opened another workbook (its first cell ran again, perhaps for
        another team): this one's views stop looking for edits and refuse new ones, in
        words, rather than save to a team no longer on the page."""
        if self._poller is not None:
            self._poller.stop()
            self._poller = None
        whose = f"{self.team.name}'s" if self.team else "the network's"
        for session in (self.session, self.hub_session):
            if session is not None:
                session.retire(f"These views show {whose} work, opened before the first cell was run again: "
                               "they save nothing more. Run the cells below it again (Run All) to go on working.")


def _alert(html: str) -> str:
    return f'<div class="ciw-note ciw-warn" role="alert">{html}</div>'


def _empty_store_message(store: Store) -> str:
    """JupyterLab opened a store with no team in it: a relative path (the default
    ./ciwidgets.db) is read from the notebook's folder, not from where JupyterLab started."""
    return ('<section class="ciw-locked" role="alert"><h1>No teams in this store</h1>'
            f"<p>This notebook reads <code>{escape(repr(store))}</code>, which holds no team yet. "
            "To open the teams of <code>make app</code>, start JupyterLab with <code>make lab</code>, "
            "or set <code>CIWIDGETS_DB</code> to the store's full path "
            '(<code>export CIWIDGETS_DB="$PWD/ciwidgets.db"</code> in the project folder), '
            "then run the notebook again.</p></section>")


def _locked_message(tried: str = "", phase: int | None = None) -> str:
    hub = phase == HUB_PHASE
    kind, param = ("hub code", "hub") if hub else ("join code", "team")
    wrong = (f"<p><strong>The {kind} '{escape(tried.strip()[:40])}' opens no "
             f"{'network' if hub else 'team'}'s workbook.</strong> Check it against your card (capitals and "
             "spaces do not matter); a card replaced by a new one has a new code.</p>" if tried.strip() else "")
    if not in_voila():  # JupyterLab: a form would reload the whole page; say where the code goes
        env, example = ("CIWIDGETS_HUB", "<hub code>") if hub else ("CIWIDGETS_TEAM", "<join code>")
        first = f'wb = open_workbook("{example}"{f", phase={phase}" if phase is not None else ""})'
        return (f'<section class="ciw-locked" role="alert"><h1>Which {"network" if hub else "team"}?</h1>{wrong}'
                f"<p>This notebook opens with the {'network' if hub else 'team'}'s <strong>{kind}</strong>. "
                f"Start JupyterLab with <code>export {env}={escape(example)}</code> first, or write it in the "
                f"first cell: <code>{escape(first)}</code>, then run the notebook again. "
                "<code>ciwidgets team list</code> prints every code."
                + (" The terminal is better for the hub code: a first cell is on the projected screen, "
                   "and saved with the notebook." if hub else "") + "</p></section>")
    who = ("the network's <strong>hub code</strong>, which your improvement coach has" if hub else
           "your team's <strong>join code</strong>. Ask your improvement coach for the link with your code")
    return (
        f'<section class="ciw-locked" role="alert"><h1>Welcome!</h1>{wrong}'
        f"<p>This workbook opens with {who}, or type the code here:</p>"
        '<form method="get" class="ciw-join"><label for="ciw-code">' + kind.capitalize() + '</label> '
        f'<input id="ciw-code" name="{param}" autocomplete="off" required> '
        '<button type="submit">Open</button></form></section>'
    )


TROUBLE = (
    "Something went wrong on this page, so it may not show your last change. "
    '<a href="">Reload the page</a> to see what is saved; if this happens again, tell your coach.'
)


class TroubleNotice(logging.Handler):
    """Tells the visitor in words, on the page, that part of it failed; the details go
    to the server's log only. Empty until then."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.widget = W.HTML()
        self.widget.add_class("ciw-trouble-notice")

    def emit(self, record: logging.LogRecord) -> None:
        self.widget.value = f'<p class="ciw-trouble" role="alert">{TROUBLE}</p>'


@functools.cache
def log_to_server() -> W.HTML:
    """Send to the server's log what a served kernel would otherwise lose: this
    package's warnings (a view that failed to redraw, a database that failed), a widget
    message that failed (the comm package logs it as "Comm") and the traceback of a
    click handler that raised (ipywidgets shows it as output). In a kernel, stderr and
    output go to the notebook, which a Voilà page never shows for an edit.

    Returns the page's notice: it tells the visitor when a view, an observer or a click
    handler failed. (A failed save says so in the save status already.)"""
    handler = logging.StreamHandler(sys.__stderr__)
    handler.setFormatter(logging.Formatter("[ciwidgets kernel %(process)d] %(levelname)s %(name)s: %(message)s"))
    notice = TroubleNotice()
    for name in ("ciwidgets", "Comm"):
        logging.getLogger(name).addHandler(handler)
    for name in ("Comm", "ciwidgets.session", __name__):
        logging.getLogger(name).addHandler(notice)
    shell = get_ipython()
    if shell is not None:
        show = shell.showtraceback

        def showtraceback(*args, **kwargs):
            log.error("an error in the kernel", exc_info=True)
            return show(*args, **kwargs)

        shell.showtraceback = showtraceback
    return notice.widget


def prepare(phase: int | None) -> None:
    """What a preheated kernel does while it waits for its visitor: import the views, and
    numpy where the phase opens on a run chart, so none of it is paid after the visitor came."""
    for name in VIEWS:
        view_class(name)
    if phase in CHARTS_ON_OPEN:
        import numpy  # noqa: F401
    if phase == STORYBOARD_PHASE:
        from .render.page import compiled
        from .render.storyboard import TEMPLATE

        compiled(TEMPLATE)


def open_workbook(code: str | None = None, *, db: str | None = None, phase: int | None = None,
                  me: str | None = None, show: bool = True) -> Workbook:
    """Open the workbook of the team (join code) or network (hub code).

    Served by Voilà, the visitor's link alone says whose work opens (`?team=CODE` or
    `?hub=CODE`, and `&me=NAME`): a code written in the notebook or set in the server's
    environment would open that team for every visitor. In JupyterLab the code comes from
    the argument or the environment (`$CIWIDGETS_TEAM`; `$CIWIDGETS_HUB` for the
    convening), and the author from `me` or `$CIWIDGETS_ME`; the store from `db` or
    `$CIWIDGETS_DB`. Opening another workbook in a notebook retires the views of the one
    before (see `Workbook.retire`)."""
    served = in_voila()
    notice = log_to_server() if served else None
    if preheated():
        prepare(phase)
    params = request_params()
    if served:
        code, author = params.get("team") or params.get("hub") or "", params.get("me", "")
    else:
        env = "CIWIDGETS_HUB" if phase == HUB_PHASE else "CIWIDGETS_TEAM"
        code, author = code or os.environ.get(env, ""), me or os.environ.get("CIWIDGETS_ME", "")
    store = Store(db)
    wb = Workbook(store, store.by_code(code), author=author[:200], phase=phase, tried=code)
    if show:
        global _shown
        if _shown is not None:
            _shown.retire()
        _shown = wb
        display(wb.header())
        if notice is not None:
            display(notice)
        wb.keep_fresh()  # a projected JupyterLab page too: teammates type on their laptops
        keep_for_the_page()
    return wb


def keep_for_the_page() -> None:
    """Served, a kernel lives as long as its visitor's page: what it has loaded by now (the
    libraries, the team's documents, the views' controls) stays till the page closes. A
    full garbage collection walked all of it, now and then during an edit (about 50 ms
    for the libraries, 15-20 ms more for a page of views); frozen, it is left out, and
    later collections walk only what came since. In JupyterLab the views of a cell run
    again must stay collectable, so nothing is frozen there."""
    if in_voila():
        gc.freeze()


_shown: Workbook | None = None  # the workbook this kernel's notebook shows

"""The network convening view (hub code only): every team side by side, a closer
look at one team, the feed of shared learnings, and the overview as one HTML page.

Each team's project is read and analysed once per Refresh (not on every redraw):
a coach opens this at a convening of eight schools, on a small server shared with
those schools' own apps. A team's work that it has not shared with the network
is marked as such, and one tick hides it for projecting or handing out."""

from __future__ import annotations

import datetime as dt
from html import escape

from ..model import Network, Project
from ..render.convening import (
    ConveningOverview,
    TeamCard,
    convening_html,
    convening_overview,
    convening_page,
    full_diagram,
    scoped_svg,
)
from ..render.runchart import run_chart_svg
from ..render.svg import esc
from ..session import Session
from . import lean as W
from .common import DownloadButton, file_name, legible, note

NO_TEAM = ("— choose a team —", "")


def current_projects(store, teams) -> dict[str, Project | None]:
    """Each team's project for its newest school year, without creating any
    (a hub view only reads)."""
    return {team.id: store.find_current_project(team.id) for team in teams}


class ConveningView(W.VBox):
    """Every team of the network side by side, for coaches and the hub."""

    def __init__(self, session: Session, *, today: dt.date | None = None, **options):
        self.session, self._today = session, today
        self.overview: ConveningOverview | None = None
        self._read: dict[str, int] = {}  # the revision of each document the overview was read from
        self._projects: dict[str, Project | None] = {}  # by team, as last read
        self.shared_only = W.Checkbox(
            value=False, indent=False, layout=W.Layout(width="auto"),
            description="Show only what teams have shared with the network (for projecting or handing out)",
        )
        self.refresh_button = W.Button(description="Refresh", tooltip="Read every team's latest work",
                                       layout=W.Layout(width="auto"))
        self.download = DownloadButton("Download overview (HTML)", "convening.html", "text/html",
                                       self._page_bytes)
        self.updated = W.HTML(layout=W.Layout(margin="0 0 0 0.6em"))
        self.board = W.HTML(layout=W.Layout(width="100%"))
        self.closer = W.Dropdown(options=[NO_TEAM], value="", description="Look closer at",
                                 style={"description_width": "auto"}, layout=W.Layout(width="24em"))
        self.closer_view = W.HTML(layout=W.Layout(width="100%", overflow="auto"))
        self.shared_only.observe(lambda _: self._draw(), "value")
        self.closer.observe(lambda _: self._draw_closer(), "value")
        self.refresh_button.on_click(lambda _: self.reload())
        bar = W.HBox([self.refresh_button, self.download, self.updated],
                     layout=W.Layout(flex_flow="row wrap", align_items="center"))
        super().__init__([bar, self.shared_only, self.board,
                          W.HTML("<h3 style='margin:1.2em 0 0.2em'>A closer look</h3>"
                                 "<p class='ciw-muted' style='margin:0 0 0.4em'>One team's full driver "
                                 "diagram, every run-chart reading and every ramp: for the moment a "
                                 "school presents.</p>"),
                          self.closer, self.closer_view], **options)
        self.add_class("ciw-convening")
        if not isinstance(session.doc, Network):
            self.board.value = note("The convening view opens with the network's hub code.", "warn")
            return
        self.reload()

    @property
    def network(self) -> Network:
        return self.session.doc

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # -- reading the network (once per refresh) ----------------------------------------
    def reload(self) -> None:
        """Read every team's newest work and analyse it once."""
        self.session.refresh()
        store, network = self.session.store, self.network
        teams = store.teams(network.id)
        projects = self._projects = current_projects(store, teams)
        self.overview = convening_overview(network, teams, projects, today=self.today)
        self._read = {doc_id: store.head(doc_id)
                      for doc_id in [network.id, *(p.id for p in projects.values() if p is not None)]}
        self.download.filename = f"convening-{file_name(network.name, 'network')}-{self.today.isoformat()}.html"
        self.updated.value = (f"<span class='ciw-muted' role='status'>Read "
                              f"{len(teams)} team{'s' if len(teams) != 1 else ''} at "
                              f"{dt.datetime.now().strftime('%H:%M')}.</span>")
        self._draw()

    def look_for_changes(self) -> None:
        """Read again if a team has saved or shared since the last reading (the page asks
        every few seconds, so the feed and the cards keep up during a convening)."""
        store = self.session.store
        if any(store.head(doc_id) != revision for doc_id, revision in self._read.items()):
            self.reload()

    # -- drawing (no analysis here) ---------------------------------------------------------
    def _visible(self, card: TeamCard) -> bool:
        return card.has_project and (card.shared or not self.shared_only.value)

    def _draw(self) -> None:
        if self.overview is None:
            return
        self.board.value = convening_html(self.overview, shared_only=bool(self.shared_only.value), heading=False)
        options = [NO_TEAM] + [(c.name, c.team_id) for c in self.overview.cards if self._visible(c)]
        keep = self.closer.value if self.closer.value in {v for _, v in options} else ""
        if list(self.closer.options) != options:
            self.closer.options = options
        self.closer.value = keep
        self._draw_closer()

    def _draw_closer(self) -> None:
        card = self.overview.card(self.closer.value) if self.overview and self.closer.value else None
        if card is None or not self._visible(card):  # a visitor may send any value
            self.closer_view.value = ""
            return
        self.closer_view.value = closer_html(card, self._run_charts(card))

    def _run_charts(self, card: TeamCard) -> dict[str, str]:
        """The run chart of each measure the card reads, drawn as in Study, by measure id."""
        project = self._projects.get(card.team_id)
        if project is None:
            return {}
        return {r.measure_id: scoped_svg(run_chart_svg(project, r.measure_id), f"cv-chart-{r.measure_id}")
                for r in card.readings}

    def _page_bytes(self) -> bytes:
        if self.overview is None:
            return b""
        return convening_page(self.overview, shared_only=bool(self.shared_only.value)).encode("utf-8")


def closer_html(card: TeamCard, charts: dict[str, str] | None = None) -> str:
    """One team in full: aim, the whole driver diagram, every reading (with its run
    chart, from `charts` by measure id) and ramp."""
    parts = [f"<h4 style='margin:0.6em 0 0.2em;font-size:1.1rem'>{esc(card.name)}"
             f" <span class='ciw-muted' style='font-weight:normal'>· Phase {card.phase} · "
             f"{esc(card.phase_name)}</span></h4>"]
    if card.aim:
        parts.append(f"<p><strong>Aim.</strong> {esc(card.aim)}</p>")
    if card.driver_svg:
        parts.append(f"<div class='ciw-diagram' style='overflow:auto'>{full_diagram(card, 'cv-closer')}</div>")
    if card.readings:
        charts = charts or {}
        lines = "".join(f"<li><strong>{esc(r.measure)}</strong> ({r.points} point{'s' if r.points != 1 else ''}): "
                        f"{esc(r.full or r.words)}"
                        f"{legible(charts[r.measure_id]) if r.measure_id in charts else ''}</li>"
                        for r in card.readings)
        parts.append(f"<p style='margin:0.6em 0 0'><strong>Run charts</strong></p><ul>{lines}</ul>")
    if card.ramps:
        lines = "".join(f"<li>{esc(r.change_idea)}: {r.cycles} cycle{'s' if r.cycles != 1 else ''}"
                        f"{esc(' (' + ' → '.join(r.scales) + ')' if r.scales else '')}"
                        f"{esc(', ' + r.stage if r.stage else '')}</li>" for r in card.ramps)
        parts.append(f"<p style='margin:0.6em 0 0'><strong>PDSA ramps</strong></p><ul>{lines}</ul>")
    if card.principles is not None and card.principles.next_step:
        parts.append(f"<p><strong>Suggested next step.</strong> {escape(card.principles.next_step)}</p>")
    return "".join(parts)

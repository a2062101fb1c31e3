"""Share to the network: one click to give other schools a learning — a PDSA
cycle's learning, a run chart's story, the storyboard, the driver diagram, a note.

A shared learning is saved on the network's document (through its own Session,
so two schools sharing at once both keep theirs) and marks the project as open
to the network's convenings. The view also shows what this team has shared
(and lets it take one back) and the feed of what the other schools shared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from ..analysis.principles import track_principles
from ..model import ModelError, Network, PDSACycle, Project, SharedLearning, validated
from ..session import EditResult, Session
from . import lean as W
from ._journey import STYLE
from .common import Feedback, keyed_rows, set_children

KINDS = (
    ("A PDSA cycle's learning", "pdsa"),
    ("A run chart", "run chart"),
    ("Our storyboard", "storyboard"),
    ("Our driver diagram", "driver diagram"),
    ("A note", "note"),
)
KIND_WORDS = {"pdsa": "PDSA learning", "run chart": "run chart", "storyboard": "storyboard",
              "driver diagram": "driver diagram", "note": "note"}
FEED_LENGTH = 20


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


# ----------------------------------------------------------------------------- suggestions


def cycle_learning(project: Project, cycle: PDSACycle) -> str:
    """A PDSA cycle's learning in a few sentences, from what the team wrote."""
    parts = []
    if cycle.question:
        parts.append(f"We asked: {cycle.question}")
    for p in cycle.predictions:
        if p.text.strip():
            held = f" ({p.result})" if p.result else ""
            showed = f" — {p.what_data_showed}" if p.what_data_showed else ""
            parts.append(f"We predicted: {p.text}{held}{showed}")
    if cycle.surprises:
        parts.append(f"Surprise: {cycle.surprises}")
    if cycle.study_notes:
        parts.append(f"What we learned: {cycle.study_notes}")
    if cycle.act:
        parts.append(f"Decision: {cycle.act}" + (f" — {cycle.act_reason}" if cycle.act_reason else ""))
    return "\n".join(parts)


def run_chart_story(project: Project, measure_id: str) -> str:
    """What a measure's run chart shows, in words (medians and signals)."""
    from ..analysis.runchart import analyze_series

    measure = project.find(measure_id)
    rows = [o for o in project.observations_of(measure_id) if not o.subgroup]
    if measure is None or not rows:
        return ""
    analysis = analyze_series([o.date for o in rows], [o.value for o in rows],
                              baseline=measure.baseline_points, phase_starts=measure.phase_starts)
    unit = f" {measure.unit}" if measure.unit else ""
    lines = [f"{len(rows)} points from {_day(rows[0].date)} to {_day(rows[-1].date)}; "
             f"latest {rows[-1].value:g}{unit}."]
    lines += analysis.explain(desired_direction=measure.desired_direction)[:3]
    if not analysis.signal:
        lines.append("No signal of non-random change yet.")
    return "\n".join(lines)


def storyboard_story(project: Project, session: Session, network: Network | None) -> str:
    from ..analysis.theory import aim_statement

    team = session.team
    school = (team.school or team.name) if team else ""
    report = track_principles(project, team, network)
    lines = [aim_statement(project.aim, school)] if aim_statement(project.aim, school) else []
    lines.append(f"Where we stand: {report.verdict_label.lower()} ({report.summary.rstrip('.')}).")
    decided = [y for y in project.pdsa_cycles if y.act and y.act_reason]
    if decided:
        latest = max(decided, key=lambda y: (y.end_date or y.start_date or dt.date.min, y.cycle_number))
        lines.append(f"Latest learning (cycle {latest.cycle_number}): {latest.act_reason}")
    lines.append("Our one-page storyboard is open to the network's convening.")
    return "\n".join(lines)


def driver_story(project: Project, session: Session) -> str:
    from ..analysis.theory import aim_statement

    team = session.team
    dd = project.driver_diagram
    lines = []
    aim = aim_statement(project.aim, (team.school or team.name) if team else "")
    if aim:
        lines.append(f"Aim: {aim}")
    if dd.primary_drivers:
        lines.append("Primary drivers: " + "; ".join(p.text for p in dd.primary_drivers))
    testing = [x.text for x in dd.change_ideas if x.status in ("testing", "adopted", "adapted")]
    if testing:
        lines.append("Change ideas we test: " + "; ".join(testing))
    return "\n".join(lines)


# ----------------------------------------------------------------------------- the view


class _Mine(W.HBox):
    """One learning this team shared, with a two-step 'Take back'."""

    def __init__(self, learning_id: str, take_back: Callable[[str], None]):
        self.learning_id = learning_id
        self.text = text = W.HTML(layout=W.Layout(flex="1"))
        self.button = W.Button(description="Take back", tooltip="Remove this learning from the network (asks again)",
                               layout=W.Layout(width="auto"))
        self._take_back = take_back
        self.button.on_click(self._clicked)
        super().__init__([text, self.button], layout=W.Layout(align_items="center",
                                                              border_bottom="1px solid #eee"))

    def show(self, learning: SharedLearning) -> None:
        self.text.value = (
            f"<div><strong>{escape(learning.title)}</strong> "
            f'<span class="ciw-j-muted">· {escape(KIND_WORDS[learning.kind])} · {escape(_day(learning.date))}'
            "</span></div>")

    def _clicked(self, _=None) -> None:
        if self.button.description == "Really take back?":
            self._take_back(self.learning_id)
        else:
            self.button.description, self.button.button_style = "Really take back?", "danger"


class ShareToNetwork(W.VBox):
    """Share a learning with the network in one click; see ours and the other schools'."""

    def __init__(self, session: Session, *, today: dt.date | None = None):
        self.session, self._today = session, today
        self._quiet = False
        team = session.team
        self.network_session: Session | None = (
            Session(session.store, Network, team.network_id, session.author) if team is not None else None)
        self._team_names: dict[str, str] = {}
        self._suggested = ("", "")
        self.kind = W.Dropdown(options=list(KINDS), value="pdsa", description="What to share",
                               style={"description_width": "9em"}, layout=W.Layout(width="32em"))
        self.cycle = W.Dropdown(description="Which cycle", style={"description_width": "9em"},
                                layout=W.Layout(width="100%"))
        self.measure = W.Dropdown(description="Which measure", style={"description_width": "9em"},
                                  layout=W.Layout(width="32em"))
        self.title = W.Text(description="Title", placeholder="A title other schools will understand",
                            style={"description_width": "9em"}, layout=W.Layout(width="100%"))
        self.text = W.Textarea(rows=5, description="What we learned",
                               placeholder="What you tried, what happened, what you would tell another school",
                               style={"description_width": "9em"}, layout=W.Layout(width="100%"))
        self.share = W.Button(description="Share with the network", button_style="primary", icon="share",
                              layout=W.Layout(width="auto", margin="0 0 0 9.5em", align_self="flex-start"))
        self.share.on_click(lambda _: self.submit())
        self.feedback = Feedback()
        self.open_to_network = W.Checkbox(description="Our project is open to the network's convenings",
                                          indent=False, layout=W.Layout(width="auto"))
        self.open_to_network.observe(self._on_open_toggled, "value")
        self.mine = W.VBox()
        self.mine_rows: dict[str, _Mine] = {}
        self.nothing_shared = W.HTML(
            '<p class="ciw-j-muted">Nothing shared yet. Your first learning helps another school.</p>')
        self.feed = W.HTML()
        self.check = W.Button(description="Check for new learnings", icon="refresh",
                              layout=W.Layout(width="auto", align_self="flex-start"))
        self.check.on_click(lambda _: self._check())
        network_name = escape(self.network.name) if self.network else "your network"
        intro = W.HTML(f"{STYLE}<p>Sharing with <strong>{network_name}</strong>: another school may be about "
                       "to test the same idea.</p>")
        form = W.VBox([self.kind, self.cycle, self.measure, self.title, self.text, self.share, self.feedback],
                      layout=W.Layout(border="1px solid #d9d4c9", padding=".6em .8em"))
        super().__init__([
            intro, form,
            W.HTML("<h3 class='ciw-j-h'>What we have shared</h3>"), self.open_to_network, self.mine,
            W.HTML("<h3 class='ciw-j-h'>From the other schools</h3>"), self.check, self.feed,
        ])
        self.add_class("ciw-share")
        for picker in (self.kind, self.cycle, self.measure):
            picker.observe(lambda _c: self._suggest(), "value")
        session.observe(self._on_project)
        if self.network_session is not None:
            self.network_session.observe(lambda _s: self._redraw())
        self._redraw()
        self._suggest()

    # -- state ---------------------------------------------------------------------
    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    @property
    def network(self) -> Network | None:
        return self.network_session.doc if self.network_session is not None else None

    @property
    def team_id(self) -> str:
        return self.session.doc.team_id

    def ours(self) -> list[SharedLearning]:
        net = self.network
        return [s for s in net.newest_learnings() if s.team_id == self.team_id] if net else []

    def theirs(self) -> list[SharedLearning]:
        net = self.network
        return [s for s in net.newest_learnings() if s.team_id != self.team_id][:FEED_LENGTH] if net else []

    # -- suggestions -----------------------------------------------------------------
    def _suggestion(self) -> tuple[str, str]:
        doc, team = self.session.doc, self.session.team
        who = team.name if team else "Our team"
        kind = self.kind.value
        if kind == "pdsa" and self.cycle.value:
            cycle = doc.find(self.cycle.value)
            if isinstance(cycle, PDSACycle):
                idea = doc.find(cycle.change_idea_id)
                idea_text = getattr(idea, "text", "") or "a change idea"
                return (f"{who}: {_short(idea_text, 90)}, cycle {cycle.cycle_number}", cycle_learning(doc, cycle))
        if kind == "run chart" and self.measure.value:
            measure = doc.find(self.measure.value)
            if measure is not None:
                return f"{who}: {_short(measure.name, 120)} run chart", run_chart_story(doc, measure.id)
        if kind == "storyboard":
            return f"{who}: our storyboard", storyboard_story(doc, self.session, self.network)
        if kind == "driver diagram":
            return f"{who}: our driver diagram", driver_story(doc, self.session)
        return "", ""

    def _suggest(self) -> None:
        """Fill title and text from the choice, unless the user has written their own."""
        if self._quiet:
            return
        W.show(self.cycle, self.kind.value == "pdsa")
        W.show(self.measure, self.kind.value == "run chart")
        title, text = self._suggestion()
        old_title, old_text = self._suggested
        if self.title.value.strip() in ("", old_title.strip()):
            self.title.value = title[:200]
        if self.text.value.strip() in ("", old_text.strip()):
            self.text.value = text[:5000]
        self._suggested = (title[:200], text[:5000])

    # -- acting ------------------------------------------------------------------------
    def submit(self) -> None:
        """Share what the form holds with the network, and open the project to it."""
        if self.network_session is None:
            self.feedback.show(text="This project belongs to no team in a network, so there is nowhere to share.")
            return
        title = self.title.value.strip()
        if not title:
            self.feedback.show(text="Give it a title other schools will understand.")
            return
        kind = self.kind.value if self.kind.value in KIND_WORDS else "note"
        cycle_id = self.cycle.value if kind == "pdsa" else None
        try:
            learning = validated(SharedLearning, {"team_id": self.team_id, "date": self.today, "title": title,
                                                  "text": self.text.value, "kind": kind})
        except ModelError as error:
            self.feedback.show(text=" ".join(error.messages))
            return
        self.network_session.refresh()
        result = self.network_session.edit(lambda n: n.shared_learnings.append(learning),
                                           what=f"shared: {_short(title, 80)}")
        if not result.ok:
            self.feedback.show(result)
            return
        was_open = self.session.doc.shared_with_network
        self._mark_project_shared(cycle_id)
        network = self.network.name if self.network else "the network"
        opened = "" if was_open else (
            " Your project is now open to the network's convenings too (its aim, driver diagram, PDSA "
            "cycles and run charts): untick the box below to keep it to your team.")
        self.feedback.show(result, ok_text=f"Shared with {network}. The other schools see it in their feed "
                                           f"and at the next convening.{opened}")
        self._quiet = True
        try:
            self.title.value, self.text.value = "", ""
        finally:
            self._quiet = False
        self._suggested = ("", "")
        self._suggest()

    def _mark_project_shared(self, cycle_id: str | None) -> EditResult:
        def change(p: Project) -> None:
            p.shared_with_network = True
            cycle = p.find(cycle_id) if cycle_id else None
            if isinstance(cycle, PDSACycle):
                cycle.shared = True

        return self.session.edit(change, what="shared a learning with the network")

    def take_back(self, learning_id: str) -> None:
        """Remove one of this team's learnings from the network (never another team's)."""
        team_id = self.team_id

        def change(n: Network) -> None:
            n.shared_learnings = [s for s in n.shared_learnings if not (s.id == learning_id and s.team_id == team_id)]

        self.network_session.refresh()
        result = self.network_session.edit(change, what="took back a shared learning")
        self.feedback.show(result, ok_text="Taken back: it is no longer in the network's feed.")

    def _on_open_toggled(self, change: dict) -> None:
        if self._quiet:
            return
        value = bool(change["new"])
        result = self.session.edit(lambda p: setattr(p, "shared_with_network", value),
                                   what="opened the project to the network" if value else
                                   "closed the project to the network")
        self.feedback.show(result, ok_text="Your project is open to the network's convenings." if value
                           else "Your project is no longer shown at the network's convenings.")

    def _check(self) -> None:
        if self.network_session is not None and not self.network_session.refresh():
            self.feedback.show(text="Nothing new since you looked.")

    def _on_project(self, _session: Session) -> None:
        if self.network_session is None or not self.network_session.refresh():
            self._redraw()

    # -- drawing -----------------------------------------------------------------------
    def _names(self) -> dict[str, str]:
        network = self.network
        if network is not None and (not self._team_names or any(
                s.team_id not in self._team_names for s in network.shared_learnings)):
            self._team_names = {t.id: t.name for t in self.session.store.teams(network.id)}
        return self._team_names

    def _redraw(self) -> None:
        doc = self.session.doc
        self._quiet = True
        try:
            # Decided cycles first (they have a learning to tell), the latest on top.
            cycles = sorted(doc.pdsa_cycles, key=lambda y: (y.act is not None, y.start_date or dt.date.min,
                                                            y.cycle_number), reverse=True)
            options = [(self._cycle_label(doc, y), y.id) for y in cycles] or [("No PDSA cycles yet", "")]
            if tuple(self.cycle.options) != tuple(options):
                keep = self.cycle.value
                self.cycle.options = options
                self.cycle.value = keep if keep in [v for _, v in options] else options[0][1]
            measures = [(m.name, m.id) for m in doc.measures] or [("No measures yet", "")]
            if tuple(self.measure.options) != tuple(measures):
                keep = self.measure.value
                self.measure.options = measures
                self.measure.value = keep if keep in [v for _, v in measures] else measures[0][1]
            self.open_to_network.value = doc.shared_with_network
        finally:
            self._quiet = False
        ours = self.ours()
        rows = keyed_rows(self.mine_rows, [s.id for s in ours], lambda sid: _Mine(sid, self.take_back))
        for row, learning in zip(rows, ours, strict=True):
            row.show(learning)
        set_children(self.mine, rows or [self.nothing_shared])
        names = self._names()
        entries = []
        for s in self.theirs():
            text = f'<div style="white-space:pre-line">{escape(s.text)}</div>' if s.text else ""
            entries.append(
                f"<li><strong>{escape(s.title)}</strong>{text}"
                f'<div class="meta">{escape(names.get(s.team_id, "A school of the network"))} · '
                f"{escape(KIND_WORDS[s.kind])} · {escape(_day(s.date))}</div></li>")
        self.feed.value = (f'<ul class="ciw-j-feed">{"".join(entries)}</ul>' if entries
                           else '<p class="ciw-j-muted">No learnings from other schools yet.</p>')

    @staticmethod
    def _cycle_label(doc: Project, cycle: PDSACycle) -> str:
        idea = doc.find(cycle.change_idea_id)
        decided = f" ({cycle.act})" if cycle.act else ""
        return f"Cycle {cycle.cycle_number}{decided} · {_short(getattr(idea, 'text', '') or 'change idea', 60)}"

"""The team's home: where the team stands, in the minutes a new member has.

Four parts, each from what is saved: the principle tracker in brief (verdict and
six badges), the single next step with a link to its workbook, progress through
the phases 1-7, and recent activity (who did what, when) from the project's
revision history."""

from __future__ import annotations

import datetime as dt
from html import escape

from ..analysis.principles import (
    PhaseProgress,
    current_phase,
    phase_progress,
    recent_activity,
    when_words,
)
from ..session import Session
from ..store import NotFound
from . import lean as W
from ._journey import STATUS_ICONS, STYLE, badge, workbook_link
from .principles import report_of, verdict_html

PHASE_ICONS = {"done": "✓", "started": "◐", "not started": "○"}
PHASE_WORDS = {"done": "done", "started": "started", "not started": "not started"}
ACTIVITY_LINES = 8


class TeamHome(W.VBox):
    """Phase progress, the principle tracker summary, the next step, recent activity."""

    def __init__(self, session: Session, *, today: dt.date | None = None, now: dt.datetime | None = None):
        self.session, self.today, self.now = session, today, now
        self.standing = W.HTML()
        self.phases = W.HTML()
        self.activity = W.HTML()
        super().__init__([self.standing, self.phases, self.activity])
        self.add_class("ciw-team-home")
        session.observe(self._redraw)
        self._redraw(session)

    def _redraw(self, _session: Session | None = None) -> None:
        session = self.session
        report = report_of(session, self.today)
        chips = "".join(
            f'<li style="display:flex;justify-content:space-between;gap:.5em;align-items:baseline;'
            f'padding:.2em 0;border-bottom:1px solid #eee"><span>{escape(p.label)}</span>{badge(p.status)}</li>'
            for p in report)
        self.standing.value = (
            f"{STYLE}<section aria-labelledby='ciw-home-standing'>"
            f"<h2 id='ciw-home-standing' class='ciw-j-h'>Where we stand</h2>"
            f"{verdict_html(report, session)}"
            f'<ul style="list-style:none;padding:0;margin:.3em 0;max-width:40em">{chips}</ul>'
            f'<p class="ciw-j-muted" style="font-size:.9em">{STATUS_ICONS["met"]} met · '
            f'{STATUS_ICONS["partly"]} partly · {STATUS_ICONS["not yet"]} not yet — from what your work '
            "shows.</p></section>")
        self.phases.value = self._phases_html(phase_progress(session.doc, session.team))
        self.activity.value = self._activity_html()

    def _phases_html(self, phases: tuple[PhaseProgress, ...]) -> str:
        current = current_phase(phases)
        rows = []
        for p in phases:
            todo = [i.label for i in p.items if not i.done]
            todo_text = f'<span class="todo">To do: {escape("; ".join(todo))}</span>' if todo else ""
            here = ' <span class="ciw-j-badge ciw-j-partly">the team is here</span>' if p.phase == current else ""
            rows.append(
                f'<li><span class="icon" aria-hidden="true">{PHASE_ICONS[p.state]}</span>'
                f'<span>{workbook_link(p.phase, self.session, f"{p.phase}. {p.name}", arrow=False)}'
                f'{here} <span class="ciw-j-muted">— {PHASE_WORDS[p.state]}, {p.done_count} of '
                f"{len(p.items)}</span><br>{todo_text}</span></li>")
        return ("<section aria-labelledby='ciw-home-phases'>"
                "<h2 id='ciw-home-phases' class='ciw-j-h'>The journey, phase by phase</h2>"
                f'<ol class="ciw-j-phases">{"".join(rows)}</ol></section>')

    def _activity_html(self) -> str:
        try:
            history = self.session.store.history(self.session.doc.id)
        except NotFound:
            history = []
        lines = []
        for a in recent_activity(history, ACTIVITY_LINES):
            saves = f" ({a.saves} saves)" if a.saves > 1 else ""
            when = when_words(a.when, self.now)
            lines.append(f"<li><strong>{escape(a.who)}</strong> {escape(a.what)}{saves} "
                         f'<span class="meta">· <time datetime="{escape(a.when.isoformat())}">'
                         f"{escape(when)}</time></span></li>")
        body = (f'<ul class="ciw-j-feed">{"".join(lines)}</ul>' if lines
                else '<p class="ciw-j-muted">Nothing saved yet.</p>')
        return ("<section aria-labelledby='ciw-home-activity'>"
                "<h2 id='ciw-home-activity' class='ciw-j-h'>Recent activity</h2>" + body + "</section>")

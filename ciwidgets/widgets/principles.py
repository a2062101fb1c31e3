"""The principle tracker and the team's self-assessment.

`PrincipleTracker` shows, for each of the six principles of improvement science,
what the team's own work shows (evidence found, what is missing, a link to the
workbook that fills the gap) and the team's own rating beside it, never instead
of it. `SelfAssessment` lets the team rate itself 1-5 on each principle with a
note; each day's rating is kept as a `PrincipleEvidence`, so the history shows
how the team's view of itself changed next to what it actually did."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from html import escape

from ..analysis.principles import PrincipleReport, PrincipleStatus, track_principles
from ..model import PRINCIPLES, Network, PrincipleEvidence, Project
from ..session import Session
from ..store import NotFound
from . import lean as W
from ._journey import STYLE, badge, items, verdict_badge, workbook_link
from .common import Feedback

RATING_WORDS = ("not yet", "a first try", "sometimes", "often", "a habit")
PRINCIPLE_QUESTIONS = {
    "user_centered": "Do we start from a specific problem, as the people who live it see it?",
    "variability": "Do we ask what works, for whom, under what conditions?",
    "system": "Do we understand what produces today's results before choosing fixes?",
    "measurement": "Do we measure the process as well as the outcome, often?",
    "inquiry": "Do we test small and fast, with predictions, and keep cycling?",
    "networks": "Do we learn with and from other schools?",
}


def network_of(session: Session) -> Network | None:
    """The team's network, as saved now (another team may just have shared)."""
    team = session.team
    if team is None:
        return None
    try:
        return session.store.load(Network, team.network_id)[0]
    except NotFound:
        return None


def report_of(session: Session, today: dt.date | None = None) -> PrincipleReport:
    return track_principles(session.doc, session.team, network_of(session), today)


def principle_card(p: PrincipleStatus, session: Session) -> str:
    """One principle: status, what the work shows, what is missing, the team's own view."""
    parts = [f'<div class="ciw-j-card" data-principle="{escape(p.key)}">',
             f'<div style="display:flex;justify-content:space-between;gap:.5em;align-items:baseline">'
             f'<strong>{escape(p.label)}</strong>{badge(p.status)}</div>']
    if p.evidence:
        parts.append('<div class="ciw-j-muted" style="margin-top:.3em">What your work shows</div>')
        parts.append(items(p.evidence))
    if p.missing:
        parts.append('<div class="ciw-j-muted">What is missing</div>')
        parts.append(items(p.missing))
    if p.next_step is not None:
        parts.append(f"<div>{workbook_link(p.next_step.phase, session)}</div>")
    if p.self_notes:
        latest = p.self_notes[0]
        rating = f"{latest.rating}/5 ({RATING_WORDS[latest.rating - 1]})" if latest.rating else "not rated"
        note = f" — “{escape(latest.note)}”" if latest.note else ""
        parts.append(f'<div class="ciw-j-self">Your own view, {escape(_day(latest.date))}: '
                     f"{escape(rating)}{note}</div>")
    parts.append("</div>")
    return "".join(parts)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def verdict_html(report: PrincipleReport, session: Session) -> str:
    return (f'<div style="display:flex;gap:.7em;align-items:center;flex-wrap:wrap">'
            f"{verdict_badge(report.verdict)}<strong>{escape(report.summary)}</strong></div>"
            f'<p class="ciw-j-muted" style="margin:.3em 0">{escape(report.verdict_sentence)}</p>'
            f'<div class="ciw-j-next" role="note"><strong>Next step:</strong> {escape(report.next_step.text)} '
            f"{workbook_link(report.next_step.phase, session)}</div>")


class PrincipleTracker(W.VBox):
    """The six principles, from what the team has actually done.

    Options: `summary=False` leaves out the verdict and next step (when the team's
    home above already shows them)."""

    def __init__(self, session: Session, *, today: dt.date | None = None, summary: bool = True):
        self.session, self.today, self.summary = session, today, bool(summary)
        self.view = W.HTML()
        super().__init__([self.view])
        self.add_class("ciw-principle-tracker")
        session.observe(self._redraw)
        self._redraw(session)

    @property
    def report(self) -> PrincipleReport:
        return report_of(self.session, self.today)

    def _redraw(self, _session: Session | None = None) -> None:
        report = self.report
        cards = "".join(principle_card(p, self.session) for p in report)
        top = (verdict_html(report, self.session)
               + '<p class="ciw-j-muted">Each principle counts when your work shows it — interviews logged, '
               "causes mapped, data entered, cycles linked, learning shared. Your own ratings are shown "
               "beside it, never instead of it.</p>") if self.summary else ""
        self.view.value = (f"{STYLE}<section aria-label='Principle tracker'>{top}"
                           f'<div class="ciw-j-grid">{cards}</div></section>')


class _RatingRow(W.VBox):
    """One principle: the team's rating (1-5) and note for today, with the derived status."""

    def __init__(self, owner: SelfAssessment, key: str):
        self.owner, self.key = owner, key
        self.heading = W.HTML()
        self.rating = W.ToggleButtons(
            options=[(str(n), n) for n in range(1, 6)], value=None, description="Our rating",
            tooltips=[f"{n}: {RATING_WORDS[n - 1]}" for n in range(1, 6)],
            style={"description_width": "7em", "button_width": "3.2em"})
        self.rating.add_class("ciw-j-rating")
        self.note = W.Textarea(rows=2, continuous_update=False, description="Why",
                               placeholder="What did we do that shows it (or not yet)?",
                               layout=W.Layout(width="100%"), style={"description_width": "7em"})
        self.previous = W.HTML()
        self.feedback = Feedback()
        super().__init__([self.heading, self.rating, self.note, self.previous, self.feedback],
                         layout=W.Layout(border_bottom="1px solid #e4e7eb", padding="0 0 .5em 0"))
        self.rating.observe(lambda c: owner.save(key, rating=c["new"], row=self), "value")
        self.note.observe(lambda c: owner.save(key, note=c["new"], row=self), "value")


class SelfAssessment(W.VBox):
    """The team rates itself on each principle, 1 (not yet) to 5 (a habit), with a note.

    One entry per principle per day: changing today's rating or note updates it;
    earlier days stay as the history."""

    def __init__(self, session: Session, *, today: dt.date | None = None):
        self.session, self._today = session, today
        self._quiet = False
        intro = W.HTML(f"{STYLE}<p class='ciw-j-muted'><strong>1</strong> not yet · <strong>2</strong> a first try · "
                       "<strong>3</strong> sometimes · <strong>4</strong> often · <strong>5</strong> a habit</p>")
        self.rows = {key: _RatingRow(self, key) for key in PRINCIPLES}
        super().__init__([intro, *self.rows.values()])
        self.add_class("ciw-self-assessment")
        session.observe(self._sync)
        self._sync(session)

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def todays(self, doc: Project, key: str) -> PrincipleEvidence | None:
        return next((e for e in doc.principle_evidence if e.principle == key and e.date == self.today), None)

    @contextmanager
    def _syncing(self):
        was, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = was

    def save(self, key: str, *, row: _RatingRow, rating: object = ..., note: object = ...) -> None:
        """Save today's rating or note of principle `key` (called when the user changes one)."""
        if self._quiet:
            return
        if rating is not ... and rating is not None and rating not in range(1, 6):
            row.feedback.show(text="Choose a rating from 1 to 5.")
            return
        today, label = self.today, PRINCIPLES[key]

        def change(p: Project) -> None:
            entry = next((e for e in p.principle_evidence if e.principle == key and e.date == today), None)
            if entry is None:
                entry = PrincipleEvidence(principle=key, date=today, note="")
                p.principle_evidence.append(entry)
            if rating is not ...:
                entry.rating = rating
            if note is not ...:
                entry.note = str(note or "")

        what = "rated" if rating is not ... else "noted on"
        result = self.session.edit(change, what=f"self-assessment: {what} '{label}'")
        row.feedback.show(result, ok_text="Saved.")

    def _sync(self, session: Session) -> None:
        doc = session.doc
        report = report_of(session, self._today)
        with self._syncing():
            for key, row in self.rows.items():
                status = report[key]
                row.heading.value = (
                    f'<h3 class="ciw-j-h" style="display:flex;gap:.6em;align-items:baseline;flex-wrap:wrap">'
                    f"{escape(PRINCIPLES[key])}<span class='ciw-j-muted' style='font-weight:normal;"
                    f"font-size:.85em'>Your work shows:</span>{badge(status.status)}</h3>"
                    f'<div class="ciw-j-muted">{escape(PRINCIPLE_QUESTIONS[key])}</div>')
                entry = self.todays(doc, key)
                rating = entry.rating if entry else None
                if row.rating.value != rating:
                    row.rating.value = rating
                note = entry.note if entry else ""
                if row.note.value != note:
                    row.note.value = note
                earlier = [n for n in status.self_notes if n.date != self.today]
                row.previous.value = (
                    f'<div class="ciw-j-muted" style="font-size:.9em">Last time ({escape(_day(earlier[0].date))}): '
                    f"{earlier[0].rating or '–'}/5{' — “' + escape(earlier[0].note) + '”' if earlier[0].note else ''}"
                    "</div>") if earlier else ""

"""The team pulse: after a meeting, each member rates vitality (energy) and
learning, 1 to 5, and the team sees both over time.

Collective thriving needs both together: energy without learning, or learning
without energy, does not last. The form is made to be passed around one laptop
at the end of a meeting: after each pulse it clears for the next person. Names
are optional ("I'd rather not say"), and the team sees averages and comments,
never who gave which rating."""

from __future__ import annotations

import datetime as dt
from html import escape

from ..model import ModelError, Project, Pulse, validated
from ..render.trend import PulseDay, pulse_by_day, pulse_svg
from ..session import Session
from . import lean as W
from ._journey import STYLE
from .common import DiagramView, Feedback

ANONYMOUS = object()  # the "I'd rather not say" choice; never equal to a name
VITALITY_WORDS = ("drained", "low", "okay", "energised", "full of energy")
LEARNING_WORDS = ("nothing new", "a little", "some", "a lot", "a great deal")
THRIVING_AT = 3.5
LOW_AT = 3.0


def reading(day: PulseDay) -> tuple[str, str]:
    """(tone, sentence) about one meeting's averages, as a coach would say it."""
    if day.vitality >= THRIVING_AT and day.learning >= THRIVING_AT:
        return "ok", "Thriving: energy and learning together. Keep the routines that make it so."
    if day.vitality < LOW_AT and day.learning < LOW_AT:
        return "warn", ("Energy and learning are both low. Is the work an add-on? Try a shorter meeting "
                        "with one protocol and one small test to study.")
    if day.vitality < LOW_AT:
        return "warn", ("Learning without energy does not last: what could come off the team's plate? "
                        "Regular, short, well-run meetings helped the schools that thrived.")
    if day.learning < LOW_AT:
        return "warn", ("Energy without learning: is the team testing and studying, or only planning? "
                        "A PDSA cycle with a prediction brings something to learn.")
    return "info", "Getting there: look at which of the two lags, and talk about why."


def _rating(description: str, words: tuple[str, ...]) -> W.ToggleButtons:
    buttons = W.ToggleButtons(
        options=[(str(n), n) for n in range(1, 6)], value=None, description=description,
        tooltips=[f"{n}: {words[n - 1]}" for n in range(1, 6)],
        style={"description_width": "9em", "button_width": "3.2em"})
    buttons.add_class("ciw-j-rating")
    return buttons


class PulseCheck(W.VBox):
    """Each member's vitality and learning after a meeting, and the team's pulse over time."""

    def __init__(self, session: Session, *, today: dt.date | None = None):
        self.session, self._today = session, today
        team = session.team
        names = [m.name for m in team.members] if team else []
        self.member = W.Dropdown(
            options=[("Choose your name", ""), *((n, n) for n in names), ("I'd rather not say", ANONYMOUS)],
            value="", description="Who", style={"description_width": "9em"}, layout=W.Layout(width="28em"))
        self.date = W.DatePicker(value=self.today, description="Meeting date", style={"description_width": "9em"})
        self.vitality = _rating("Vitality (energy)", VITALITY_WORDS)
        self.learning = _rating("Learning", LEARNING_WORDS)
        self.comment = W.Textarea(rows=2, description="Comment", placeholder="Optional: what gave or took energy?",
                                  style={"description_width": "9em"}, layout=W.Layout(width="100%"))
        self.add = W.Button(description="Add my pulse", button_style="primary", icon="heart",
                            layout=W.Layout(width="auto", margin="0 0 0 9.5em", align_self="flex-start"))
        self.add.on_click(lambda _: self.submit())
        self.feedback = Feedback()
        self.chart = DiagramView(lambda: pulse_svg(self.session.doc.pulses), "team-pulse", session)
        self.summary = W.HTML()
        intro = W.HTML(f"{STYLE}<p class='ciw-j-muted'>1 is low, 5 is high. Pass the laptop on after you "
                       "add yours.</p>")
        form = W.VBox([self.member, self.date, self.vitality, self.learning, self.comment, self.add, self.feedback],
                      layout=W.Layout(border="1px solid #d9d4c9", padding=".6em .8em", margin="0 0 .8em 0"))
        super().__init__([intro, form, W.HTML("<h3 class='ciw-j-h'>Our pulse over time</h3>"),
                          self.summary, self.chart])
        self.add_class("ciw-pulse-check")
        session.observe(self._redraw)
        self._redraw(session)

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def _problem(self) -> str:
        """What stops this pulse from being saved, in words, or ''."""
        if self.member.value == "":
            return "Choose your name (or “I'd rather not say”)."
        if not isinstance(self.date.value, dt.date):
            return "Choose the meeting date."
        if self.date.value > self.today:
            return "The meeting date is in the future; choose the day of the meeting."
        if self.vitality.value not in range(1, 6) or self.learning.value not in range(1, 6):
            return "Rate both vitality and learning, 1 to 5."
        return ""

    def submit(self) -> None:
        """Save this member's pulse for the meeting (a second pulse the same day replaces the first)."""
        problem = self._problem()
        if problem:
            self.feedback.show(text=problem)
            return
        name = "" if self.member.value is ANONYMOUS else self.member.value
        try:  # every value may come from a visitor's browser: the model has the last word
            pulse = validated(Pulse, {"date": self.date.value, "member": name, "vitality": self.vitality.value,
                                      "learning": self.learning.value, "comment": self.comment.value})
        except ModelError as error:
            self.feedback.show(text=" ".join(error.messages))
            return

        def change(p: Project) -> None:
            if name:
                p.pulses = [u for u in p.pulses if not (u.member == name and u.date == pulse.date)]
            p.pulses.append(pulse)

        result = self.session.edit(change, what="added a pulse rating")
        who = f"Thank you, {name}." if name else "Thank you."
        self.feedback.show(result, ok_text=f"{who} Saved — pass it on to the next person.")
        if result.ok:
            self.member.value = ""
            self.vitality.value = None
            self.learning.value = None
            self.comment.value = ""

    def _redraw(self, session: Session) -> None:
        days = pulse_by_day(session.doc.pulses)
        if not days:
            self.summary.value = '<p class="ciw-j-muted">No pulse yet: yours will be the first.</p>'
            return
        last = days[-1]
        tone, words = reading(last)
        comments = [u.comment for u in session.doc.pulses if u.date == last.date and u.comment.strip()]
        said = ("<div>What people said:</div><ul class='ciw-j-list'>"
                + "".join(f"<li>“{escape(c)}”</li>" for c in comments) + "</ul>") if comments else ""
        self.summary.value = (
            f"<p><strong>{escape(f'{last.date.day} {last.date:%b %Y}')}</strong>: {last.responses} "
            f"rating{'s' if last.responses != 1 else ''} — vitality <strong>{last.vitality:g}</strong>, "
            f"learning <strong>{last.learning:g}</strong> (team averages, 1–5).</p>"
            f'<div class="ciw-note ciw-{tone}" role="note">{escape(words)}</div>{said}')

"""The aim statement builder: what, for whom, how much, by when; the sentence assembled
live, and the SMART check's missing parts in plain words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import escape

from ..analysis import theory as T
from ..model import ModelError, Project
from ..session import Session
from . import lean as W
from .common import SaveStatus
from .drivers import school_of

_NUMBER = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?$|^[-+]?\.\d+$")
UNITS = ["%", "students", "days", "points", "minutes", "referrals"]
_STYLE = {"description_width": "10em"}
FULL = "calc(100% - 8px)"  # full width, minus the widget margins that would overflow the page


def parse_number(text: str, label: str) -> float | None:
    """'17', '17%', '1,200', '12.5' -> a number; '' -> None; anything else is refused
    with a sentence naming the field."""
    cleaned = str(text).strip().rstrip("%").strip()
    if not cleaned:
        return None
    if not _NUMBER.match(cleaned):
        shown = str(text).strip()[:30]
        raise ModelError([f"{label}: '{shown}' is not a number (e.g. 17 or 12.5)."])
    return float(cleaned.replace(",", ""))


def number_text(value: float | None) -> str:
    """A number as it goes back into a text box ('' for none)."""
    return "" if value is None else T.format_number(value).replace(",", "")


def number_or_none(text: str) -> float | None:
    """What a text box means as a number, or None (empty, or not a number yet)."""
    try:
        return parse_number(text, "")
    except ModelError:
        return None


class AimBuilder(W.VBox):
    """Fill in the parts of the aim; see the sentence and what it still needs."""

    def __init__(self, session: Session, *, today: Callable[[], dt.date] = dt.date.today, **options):
        self.session, self.today = session, today

        def text(label: str, placeholder: str, width: str = FULL) -> W.Text:
            return W.Text(description=label, placeholder=placeholder, continuous_update=False,
                          style=_STYLE, layout=W.Layout(width=width))

        self.what = text("What will change", "meet or exceed the state math standard")
        self.for_whom = text("For whom", "students in grades 3–5")
        self.baseline = text("Now (baseline)", "17", "17em")
        self.target = text("Target", "35", "13em")
        W.restyle(self.target, description_width="4em")
        self.unit = W.Combobox(description="Unit", options=UNITS, placeholder="%", ensure_option=False,
                               continuous_update=False, style={"description_width": "3em"},
                               layout=W.Layout(width="14em"))
        self.by_when = W.DatePicker(description="By when", style=_STYLE, layout=W.Layout(width="22em"))
        self.own_words = W.Textarea(
            description="Own wording", continuous_update=False, rows=2,
            placeholder="Optional: the aim in your team's own words (leave empty to use the sentence)",
            style=_STYLE, layout=W.Layout(width=FULL),
        )
        self.sentence = W.HTML()
        self.check = W.HTML()
        self._quiet = False
        self._refused: W.ValueWidget | None = None
        fields: list[tuple[W.ValueWidget, Callable[[Project, object], None]]] = [
            (self.what, lambda p, v: setattr(p.aim, "what", v)),
            (self.for_whom, lambda p, v: setattr(p.aim, "for_whom", v)),
            (self.baseline, lambda p, v: setattr(p.aim, "baseline", parse_number(v, "Baseline"))),
            (self.target, lambda p, v: setattr(p.aim, "target", parse_number(v, "Target"))),
            (self.unit, lambda p, v: setattr(p.aim, "unit", v)),
            (self.by_when, lambda p, v: setattr(p.aim, "by_when", _date(v))),
            (self.own_words, lambda p, v: setattr(p.aim, "text", v)),
        ]
        for widget, apply in fields:
            widget.observe(lambda change, w=widget, a=apply: self._changed(w, a, change["new"]), "value")
        numbers = W.HBox([self.baseline, W.HTML("<span aria-hidden='true' style='padding:0 8px'>→</span>"),
                          self.target, self.unit], layout=W.Layout(flex_flow="row wrap", align_items="center"))
        super().__init__(
            [SaveStatus(session), self.what, self.for_whom, numbers, self.by_when, self.sentence, self.check,
             self.own_words],
            **options,
        )
        self.add_class("ciw-aim")
        session.observe(self._redraw)
        self._redraw(session)

    def _changed(self, widget: W.ValueWidget, apply: Callable[[Project, object], None], value: object) -> None:
        if self._quiet:
            return
        # A refused value stays in its box (the status line says why) until it is corrected;
        # after a clash with a teammate's save, the box shows theirs, as the status line says.
        self._refused = widget
        result = self.session.edit(lambda p: apply(p, value), what="edited the aim")
        if result.ok or result.status == "conflict":
            self._refused = None
            self._redraw(self.session)

    def _redraw(self, session: Session) -> None:
        aim = session.doc.aim
        values = {
            self.what: aim.what, self.for_whom: aim.for_whom, self.unit: aim.unit,
            self.by_when: aim.by_when, self.own_words: aim.text,
        }
        self._quiet = True
        try:
            for widget, value in values.items():
                if widget is not self._refused:
                    widget.value = value
            for widget, number in ((self.baseline, aim.baseline), (self.target, aim.target)):
                if widget is not self._refused and number_or_none(widget.value) != number:
                    widget.value = number_text(number)  # keeps '17%' as typed when it means 17
        finally:
            self._quiet = False
        sentence = T.aim_sentence(aim, school_of(session))
        self.sentence.value = (
            "<div role='status' aria-live='polite' style='margin:0.8em 0;padding:12px 16px;border-radius:10px;"
            "background:#e3f1ef;border-left:5px solid #0f6b6b'>"
            "<div class='ciw-muted' style='font-size:0.85em;font-weight:600;letter-spacing:0.04em'>YOUR AIM</div>"
            f"<div style='font-size:1.2em;font-weight:600;line-height:1.4'>"
            f"{escape(sentence) if sentence else 'Fill in the parts above to see your aim as one sentence.'}"
            "</div></div>"
        )
        self.check.value = _check_html(T.smart_check(aim, self.today()))


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise ModelError([f"'{str(value)[:30]}' is not a date."])


def _check_html(gaps: list[T.AimGap]) -> str:
    if not gaps:
        return ("<div class='ciw-note ciw-ok' role='note'>✓ Specific, measurable and time-bound: "
                "a sharp aim. Next, build the driver diagram below.</div>")
    items = "".join(
        f"<li><strong>{escape(g.smart)}:</strong> {escape(g.message)}</li>" for g in gaps
    )
    return ("<div class='ciw-note ciw-warn' role='note'><strong>To make it SMART</strong>"
            f"<ul style='margin:0.3em 0'>{items}</ul></div>")

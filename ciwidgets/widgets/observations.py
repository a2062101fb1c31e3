"""Entering a measure's data: one observation at a time, a pasted range, or a file.

Every change is saved at once through the session. Pasted and uploaded data is
checked first and shown as a preview (good rows, problems by row number,
duplicates); nothing is imported until the team chooses "Import the N good rows".
"""

from __future__ import annotations

import datetime as dt
import time
import weakref
from collections.abc import Callable, Collection
from html import escape
from typing import Any

from ..analysis.numbers import format_number
from ..analysis.observation_rows import (
    MAX_BYTES,
    ParsedRows,
    dated_ahead,
    outside_percent,
    parse_typed_number,
    read_pasted,
    read_upload,
)
from ..analysis.runchart import format_date
from ..model import Measure, Observation, Project
from ..session import Session
from . import lean as W
from .common import ConfirmButton, SaveStatus, keyed_rows, note, set_children

_STYLE = {"description_width": "9em"}
_ROW_STYLE = {"description_width": "3.5em"}
PAGE_SIZE = 12
PREVIEW_PROBLEMS = 50  # problems listed in the preview; the rest are counted
PREVIEW_FIRST, PREVIEW_LAST = 3, 2  # good rows shown as they will be saved
ENTER_THEN_VALUE_S = 1.0  # a value this soon after Enter in its box was committed by that Enter
DATE_ORDERS = [("month/day/year (US)", "month first"), ("day/month/year", "day first")]


def measure_options(project: Project) -> list[tuple[str, str]]:
    """(label, id) for every measure: 'Exit-ticket mastery (process, weekly)'."""
    return [(f"{m.name} ({m.kind}, {m.frequency})", m.id) for m in project.measures]


def fill_picker(picker: W.Dropdown, options: list[tuple[str, str]], wanted: str | None) -> None:
    """Offer `options` (label, id), keeping `wanted` chosen if it is still one of them
    (else the first, or nothing when there are none)."""
    picker.options = options
    ids = [value for _, value in options]
    picker.value = wanted if wanted in ids else (ids[0] if ids else None)


class MeasurePicker(W.Dropdown):
    """The Measure dropdown of a view that shows one measure at a time.

    Refilling it after every change to the project keeps the measure chosen (at first
    the one the view was opened on); that is not a choice, so `on_choose` callbacks
    hear only the person's own picks. A pick is followed by the page's other pickers
    (of the same session): data recorded for a measure is the data its run chart shows."""

    def __init__(self, session: Session, wanted: str | None = None):
        super().__init__(description="Measure", style=_STYLE, layout=W.Layout(width="36em"))
        self._wanted = wanted
        self._refilling = False
        self._page = _PAGE_PICKERS.setdefault(session, weakref.WeakSet())
        self._page.add(self)
        self.observe(lambda _change: None if self._refilling else self._lead(), "value")

    def on_choose(self, callback: Callable[[], object]) -> None:
        self.observe(lambda _change: None if self._refilling else callback(), "value")

    def _lead(self) -> None:
        for other in list(self._page):
            if other.value != self.value and self.value in [value for _, value in other.options]:
                other.value = self.value  # heard as the person's pick: that view redraws

    def refill(self, project: Project) -> None:
        self._refilling = True
        try:
            fill_picker(self, measure_options(project), self.value or self._wanted or _last_recorded(project))
        finally:
            self._refilling = False

    def measure(self, project: Project) -> Measure | None:
        """The chosen measure, if it is (still) one of the project's."""
        return next((m for m in project.measures if m.id == self.value), None)


# The measure pickers on each session's page (the views go when the page does).
_PAGE_PICKERS: weakref.WeakKeyDictionary[Session, weakref.WeakSet[MeasurePicker]] = weakref.WeakKeyDictionary()


def _last_recorded(project: Project) -> str | None:
    """The measure with the latest data: where a page opens, rather than on the first
    measure, often an outcome with no data yet (as if the team's data were lost)."""
    latest = max(project.observations, key=lambda o: o.date, default=None)
    return latest.measure_id if latest is not None else None


def _subgroup(text: Any) -> str | None:
    text = " ".join(str(text or "").split())
    return text or None


class ObservationEntry(W.VBox):
    """Pick a measure; add, edit and delete observations; paste or upload many."""

    def __init__(self, session: Session, *, measure_id: str | None = None, today: dt.date | None = None,
                 page_size: int = PAGE_SIZE):
        self.session = session
        self.today = today or dt.date.today()
        self.page_size = page_size
        self.page = 0
        self.parsed: ParsedRows | None = None
        self._pending_source: Callable[..., ParsedRows] | None = None
        self._checked_paste: str | None = None  # the pasted text the preview shows
        self._imported: dict[str, Observation] = {}  # what the last import added (as added), to undo it
        self._imported_paste: str | None = None  # the pasted text it came from
        self._quiet = False

        self.measure_picker = MeasurePicker(session, measure_id)
        self.measure_picker.on_choose(self._measure_chosen)
        self.empty = W.HTML()

        # Add one observation: type the value, click Add (the date is today).
        self.new_date = W.DatePicker(description="New date", value=self.today, style=_STYLE,
                                     layout=W.Layout(width="20em"))
        self.new_value = W.Text(description="New value", placeholder="e.g. 62", continuous_update=False,
                                style=_STYLE, layout=W.Layout(width="20em"))
        self.new_subgroup = W.Combobox(description="Subgroup", placeholder="optional, e.g. Multilingual learners",
                                       ensure_option=False, continuous_update=False, style=_STYLE,
                                       layout=W.Layout(width="28em"))
        self.add_button = ConfirmButton("Add", self._same_day_question, self._add, asking_style="warning",
                                        tooltip="Add this observation to the measure", button_style="primary",
                                        layout=W.Layout())
        for control in (self.new_date, self.new_value, self.new_subgroup):  # 'Add anyway' was about other words
            control.observe(lambda _: self._withdraw_question(), "value")
        self.add_message = W.HTML()
        adder = W.VBox([
            W.HTML("<h3>Add an observation</h3>"),
            W.HBox([self.new_date, self.new_value], layout=W.Layout(flex_flow="row wrap")),
            W.HBox([self.new_subgroup, self.add_button], layout=W.Layout(flex_flow="row wrap")),
            self.add_message,
        ])
        # Enter in its boxes presses Add (in the page's script): a value after a value, as
        # in a spreadsheet. Leaving the value box must not add: the subgroup may come next.
        adder.add_class("ciw-enter-adds")
        self.add_button.add_class("ciw-adds")
        # Without that script (JupyterLab), Enter in the value box reaches the kernel as a
        # "submit" just before the value typed: the value that follows it at once is added.
        self._entered_at: float | None = None
        self.new_value.on_msg(self._on_box_message)
        self.new_value.observe(lambda _: self._add_if_entered(), "value")

        # The observations already recorded, newest first, a page at a time.
        self.rows = W.VBox()
        self.row_of: dict[str, ObservationRow] = {}
        self.no_rows = W.HTML("<p class='ciw-muted'>No observations yet: add the first one above.</p>")
        self.page_label = W.HTML()
        self.newer = W.Button(description="Newer", tooltip="Show more recent observations",
                              layout=W.Layout(width="auto"))
        self.older = W.Button(description="Older", tooltip="Show earlier observations",
                              layout=W.Layout(width="auto"))
        self.newer.on_click(lambda _: self._turn(-1))
        self.older.on_click(lambda _: self._turn(+1))
        listing = W.VBox([
            W.HTML("<h3>Recorded observations</h3>"), self.rows,
            W.HBox([self.newer, self.older, self.page_label]),
        ])

        # Many at once: paste a range, or upload a file; then a preview.
        self.paste = W.Textarea(
            description="Paste rows",
            placeholder="Copy two columns (date and value) from a spreadsheet and paste them here",
            rows=4, style=_STYLE, layout=W.Layout(width="100%"),
        )
        self.paste.observe(lambda _: self._paste_changed(), "value")
        # In a column, a button stretches to its width: these keep the width of their words.
        self.check_paste = W.Button(description="Check the pasted rows", layout=W.Layout(width="auto", align_self="flex-start"))
        self.check_paste.on_click(lambda _: self.check_pasted())
        self.upload = W.FileUpload(accept=".csv,.tsv,.txt,.xlsx,.xlsm", multiple=False,
                                   description="Upload CSV or Excel", layout=W.Layout(width="auto", align_self="flex-start"))
        self.upload.observe(lambda _: self.check_upload(), "value")
        self.progress = W.IntProgress(value=0, min=0, max=100, description="Reading", style=_STYLE,
                                      layout=W.Layout(display="none", width="30em"))
        self.preview_summary = W.HTML()
        self.preview_rows = W.HTML()
        self.preview_problems = W.HTML(layout=W.Layout(max_height="16em", overflow="auto"))
        self.date_order = W.Dropdown(options=DATE_ORDERS, description="Dates are", style=_STYLE,
                                     layout=W.Layout(display="none", width="28em"))
        self.date_order.observe(lambda _: self._reread(), "value")
        self.import_button = W.Button(description="Import", button_style="primary", layout=W.Layout(width="auto"))
        self.import_button.on_click(lambda _: self.import_good_rows())
        self.cancel_button = W.Button(description="Cancel", layout=W.Layout(width="auto"),
                                      tooltip="Import nothing and clear the preview")
        self.cancel_button.on_click(lambda _: self.cancel())
        self.preview = W.VBox(
            [self.preview_summary, self.preview_rows, self.date_order, self.preview_problems,
             W.HBox([self.import_button, self.cancel_button])],
            layout=W.Layout(display="none", border="1px solid #cbd2d9", padding="6px 10px"),
        )
        self.import_message = W.HTML()
        self.undo_import = ConfirmButton("Undo this import", self._undo_question, self._undo_import,
                                         tooltip="Remove the observations this import added",
                                         layout=W.Layout(display="none", width="auto", align_self="flex-start"))
        bulk = W.VBox([
            W.HTML("<h3>Paste or upload many</h3><p class='ciw-muted'>Columns: date, value, and optionally "
                   "subgroup and denominator. You will see what will be imported before anything is saved.</p>"),
            self.paste, self.check_paste, self.upload, self.progress, self.preview, self.import_message,
            self.undo_import,
        ])

        self.body = W.VBox([adder, listing, bulk])
        super().__init__([self.measure_picker, self.empty, self.body, SaveStatus(session)])
        self.add_class("ciw-observations")
        session.observe(lambda _s: self.redraw())
        self.redraw()

    # ------------------------------------------------------------------ reading the model
    @property
    def measure_id(self) -> str | None:
        measure = self.measure_picker.measure(self.session.doc)
        return measure.id if measure else None

    def _unit(self) -> str:
        measure = self.measure_picker.measure(self.session.doc)
        return measure.unit if measure else ""

    def observations(self) -> list[Observation]:
        """The chosen measure's observations, newest first."""
        if self.measure_id is None:
            return []
        return list(reversed(self.session.doc.observations_of(self.measure_id)))

    # ------------------------------------------------------------------ drawing
    def redraw(self) -> None:
        project = self.session.doc
        self.measure_picker.refill(project)
        if not project.measures:
            W.show(self.measure_picker, False)
            W.show(self.body, False)
            self.empty.value = note(
                "There are no measures yet. Add your family of measures in step 3 (Theory of "
                "improvement), then come back to record data."
            )
            return
        W.show(self.measure_picker, True)
        W.show(self.body, True)
        self.empty.value = ""
        self.new_subgroup.options = sorted(
            {o.subgroup for o in project.observations if o.measure_id == self.measure_id and o.subgroup}
        )
        self._draw_rows()

    def _draw_rows(self) -> None:
        observations = self.observations()
        pages = max(1, -(-len(observations) // self.page_size))
        self.page = min(self.page, pages - 1)
        first = self.page * self.page_size
        shown = observations[first : first + self.page_size]
        # Rows are kept per observation and updated in place: an edit redraws a value,
        # not the page (a page rebuilt on every edit cost ~200 widgets each time).
        rows = keyed_rows(self.row_of, [o.id for o in shown], lambda oid: ObservationRow(self, oid))
        for row, observation in zip(rows, shown, strict=True):
            row.show(observation)
        set_children(self.rows, rows or [self.no_rows])
        self.page_label.value = (
            f"<span class='ciw-muted'>Showing {first + 1}–{first + len(shown)} of {len(observations)}, "
            "newest first</span>" if observations else ""
        )
        self.newer.disabled = self.page == 0
        self.older.disabled = self.page >= pages - 1
        W.show(self.newer, pages > 1)
        W.show(self.older, pages > 1)

    def _turn(self, step: int) -> None:
        self.page = max(0, self.page + step)
        self._draw_rows()

    def _measure_chosen(self) -> None:
        self.page = 0
        self.cancel()
        self._forget_import()
        self.add_message.value = ""  # it was about the measure shown before
        self.add_button.disarm()
        self.redraw()

    # ------------------------------------------------------------------ one observation
    def add(self) -> None:
        """Add the observation typed in the form (the Add button, or Enter in its boxes)."""
        self.add_button.press()

    def _typed(self) -> Observation | str | None:
        """The observation the form holds, or what is missing from it (None: no measure)."""
        if self.measure_id is None:
            return None
        day = self.new_date.value
        if not isinstance(day, dt.date):
            return "Choose a date first."
        value = parse_typed_number(self.new_value.value)
        if value is None:
            typed = str(self.new_value.value or "").strip()[:30]
            return "Type the value first." if not typed else f"'{typed}' is not a number (e.g. 62 or 62.5)."
        return Observation(measure_id=self.measure_id, date=day, value=value, subgroup=_subgroup(self.new_subgroup.value))

    def _same_day_question(self) -> str | None:
        """'Add anyway', when the date already has a value: two points on one date are
        usually a typing slip."""
        observation = self._typed()
        if not isinstance(observation, Observation):
            return None
        same_day = self._same_date(observation)
        if not same_day:
            return None
        values = " and ".join(format_number(v) for v in same_day)
        self.add_message.value = note(
            f"{format_date(observation.date)} already has {'a value' if len(same_day) == 1 else f'{len(same_day)} values'} "
            f"({values}). Two points on one date usually mean a typing slip: change the date, or edit the "
            f"value below. To add {'a second' if len(same_day) == 1 else 'another'} one, click 'Add anyway'.",
            "warn",
        )
        return "Add anyway"

    def _withdraw_question(self) -> None:
        """The form changed: 'Add anyway' and what it explained are about other words now."""
        if self.add_button.armed:
            self.add_button.disarm()
            self.add_message.value = ""

    def _add(self) -> None:
        observation = self._typed()
        if not isinstance(observation, Observation):
            if observation is not None:
                self.add_message.value = note(observation, "warn")
            return
        seen = {o.id for o in self.session.doc.observations_of(observation.measure_id)}
        day, value = observation.date, observation.value
        result = self.session.edit(lambda p: p.observations.append(observation),
                                   f"added {format_number(value)} on {format_date(day)}")
        if not result.ok:
            self.add_message.value = note(result.message, "error")
            return
        self.new_value.value = ""
        # The check above saw this browser's copy: a teammate's value for the same date,
        # saved meanwhile, came in only with this save (merged).
        meanwhile = self._same_date(observation, seen)
        warnings = [f"Someone else added a value for that date meanwhile ({_listed(meanwhile)}): two points "
                    "on one date usually mean a slip — delete one below if so."] if meanwhile else []
        warnings += [odd] if (odd := outside_percent([value], self._unit())) else []
        self.add_message.value = note(" ".join([f"Added {format_number(value)} on {format_date(day)}.", *warnings]),
                                      "warn" if warnings else "ok")

    def _same_date(self, observation: Observation, seen: Collection[str] = ()) -> list[float]:
        """The values of the measure's other observations on the observation's date (and
        subgroup), as saved, leaving out those in `seen`."""
        return [o.value for o in self.session.doc.observations_of(observation.measure_id)
                if o.date == observation.date and o.subgroup == observation.subgroup
                and o.id != observation.id and o.id not in seen]

    def two_on_one_date(self, oid: str) -> str:
        """A warning when the observation shares its date (and subgroup) with another of its
        measure, else "". Saved all the same: the team may mean it."""
        observation = next((o for o in self.session.doc.observations if o.id == oid), None)
        others = self._same_date(observation) if observation is not None else []
        if not others:
            return ""
        where = format_date(observation.date) + (f" ({observation.subgroup})" if observation.subgroup else "")
        count = "two" if len(others) == 1 else str(len(others) + 1)
        return note(f"{where} now has {count} values ({_listed([*others, observation.value])}): two points on "
                    "one date usually mean a slip — change one of the dates, or delete one.", "warn")

    def _on_box_message(self, _widget, content: dict, _buffers) -> None:
        if content.get("event") == "submit":
            self._entered_at = time.monotonic()

    def _add_if_entered(self) -> None:
        entered, self._entered_at = self._entered_at, None
        if entered is not None and time.monotonic() - entered < ENTER_THEN_VALUE_S and self.new_value.value:
            self.add()

    def edit(self, oid: str, change: Callable[[Observation], None], what: str) -> str:
        """Change one observation; an error note, or "" when it was saved."""
        def apply(project: Project) -> None:
            observation = next((o for o in project.observations if o.id == oid), None)
            if observation is not None:
                change(observation)

        result = self.session.edit(apply, what)
        return "" if result.ok else note(result.message, "error")

    def delete(self, oid: str) -> None:
        """Delete one observation (after the Delete button was confirmed)."""
        gone = next((o for o in self.session.doc.observations if o.id == oid), None)
        if gone is None:
            return

        self.session.edit(lambda p: _remove(p, {oid}), f"deleted the observation of {format_date(gone.date)}")

    # ------------------------------------------------------------------ many at once
    def check_pasted(self) -> None:
        """Read the pasted rows into a preview (the 'Check the pasted rows' button)."""
        text = self.paste.value if isinstance(self.paste.value, str) else ""
        self._read(lambda **options: read_pasted(text, **options))
        self._checked_paste = text if self.parsed is not None else None

    def check_upload(self) -> None:
        """Read an uploaded file into a preview (runs when a file is chosen)."""
        upload = _uploaded_file(self.upload.value)
        if upload is None:
            if self.upload.value:
                self._show_error("That upload could not be read; choose the file again.")
            return
        name, content = upload
        self._checked_paste = None
        if len(content) > MAX_BYTES:
            self._show_error(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; is it the right file?")
            return
        self._read(lambda **options: read_upload(name, content, **options))

    def _read(self, source: Callable[..., ParsedRows], date_order: str | None = None) -> None:
        if self.measure_id is None:
            return
        self._pending_source = source
        self.import_message.value = ""
        self._forget_import()  # another import starts: undoing the last one is offered no more
        self.progress.value = 0
        W.show(self.progress, True)
        try:
            parsed = source(existing=self.session.doc.observations_of(self.measure_id),
                            date_order=date_order, progress=self._progress)
        finally:
            W.show(self.progress, False)
        self._show_preview(parsed)

    def _paste_changed(self) -> None:
        """Rows edited after they were checked: the preview shows what the box no longer
        holds, and importing it would import that (and clear the corrections)."""
        if self._checked_paste is None or self.paste.value == self._checked_paste:
            return
        self._drop_preview()
        self.import_message.value = note("The pasted rows changed: check them again.", "warn")

    def _progress(self, done: int, total: int) -> None:
        self.progress.value = int(100 * done / total) if total else 100

    def _reread(self) -> None:
        if self._quiet or self._pending_source is None:
            return
        order = self.date_order.value if self.date_order.value in dict(DATE_ORDERS).values() else None
        self._read(self._pending_source, order)

    def _show_error(self, text: str) -> None:
        self._show_preview(ParsedRows(error=text))

    def _show_preview(self, parsed: ParsedRows) -> None:
        self.parsed = parsed
        W.show(self.preview, True)
        good = len(parsed.good)
        lines = [f"<p><strong>{escape(parsed.summary())}</strong></p>"]
        lines += [f"<p class='ciw-muted'>{escape(n)}</p>" for n in parsed.notices]
        odd = outside_percent((row.value for row in parsed.good), self._unit())
        ahead = dated_ahead((row.date for row in parsed.good), self.today)
        lines += [note(nudge, "warn") for nudge in (odd, ahead) if nudge]
        self.preview_summary.value = "".join(lines)
        self.preview_rows.value = _rows_as_saved(parsed)
        problems = [f"<li>{escape(str(p))}</li>" for p in parsed.problems[:PREVIEW_PROBLEMS]]
        more = len(parsed.problems) - PREVIEW_PROBLEMS
        if more > 0:
            problems.append(f"<li>… and {more} more.</li>")
        self.preview_problems.value = (
            "<p>Not imported, with the reason (fix the file and check it again, or import the good rows):</p>"
            f"<ul>{''.join(problems)}</ul>" if problems else ""
        )
        self._quiet = True
        try:
            if parsed.date_order is not None:
                self.date_order.value = parsed.date_order
        finally:
            self._quiet = False
        W.show(self.date_order, parsed.ambiguous_dates or parsed.date_order)
        if parsed.error or not good:
            W.show(self.import_button, False)
        else:
            W.show(self.import_button, True)
            self.import_button.description = (
                f"Import the {good} good row{'s' if good != 1 else ''}" if parsed.problems
                else f"Import {good} row{'s' if good != 1 else ''}"
            )

    def import_good_rows(self) -> None:
        """Save the good rows of the preview (the 'Import' button)."""
        parsed, measure_id = self.parsed, self.measure_id
        if parsed is None or measure_id is None or not parsed.good:
            return
        new = parsed.observations(measure_id)
        pasted = self._checked_paste
        self.session.refresh()  # see what others recorded since the preview was made
        W.show(self.progress, True)
        self.progress.value = 50

        def add_all(project: Project) -> None:
            # Someone may have recorded some of these dates since the preview was made.
            taken = {(o.date, o.subgroup) for o in project.observations if o.measure_id == measure_id}
            project.observations.extend(o for o in new if (o.date, o.subgroup) not in taken)

        taken_now = {(o.date, o.subgroup) for o in self.session.doc.observations_of(measure_id)}
        skipped = sum((o.date, o.subgroup) in taken_now for o in new)
        result = self.session.edit(add_all, f"imported {len(new) - skipped} observations")
        W.show(self.progress, False)
        if not result.ok:
            self.import_message.value = note(result.message, "error")
            return
        text = f"Imported {len(new) - skipped:,} observation{'s' if len(new) - skipped != 1 else ''}."
        if skipped:
            text += f" {skipped} had been recorded meanwhile and were left as they were."
        self.cancel()
        from_paste = pasted is not None and self.paste.value == pasted
        if from_paste:
            self.paste.value = ""  # only the text that was checked: never rows typed since
        self.import_message.value = note(text, "ok")
        saved = {o.id for o in self.session.doc.observations}
        self._offer_undo({o.id: o for o in new if o.id in saved}, pasted if from_paste else None)

    def _offer_undo(self, imported: dict[str, Observation], pasted: str | None = None) -> None:
        """`pasted`: the text the rows came from, put back in the box if they are undone."""
        self._imported, self._imported_paste = imported, pasted
        n = len(imported)
        self.undo_import.reword(f"Undo this import ({n:,} observation{'s' if n != 1 else ''})")
        self.undo_import.disarm()  # a question about the import before is withdrawn
        W.show(self.undo_import, bool(imported))

    def _forget_import(self) -> None:
        self._imported, self._imported_paste = {}, None
        self.undo_import.disarm()
        W.show(self.undo_import, False)

    def _undo_question(self) -> str | None:
        """What the undo would remove, corrections made since included."""
        if not self._imported:
            return None
        self.session.refresh()
        still = [o for o in self.session.doc.observations if o.id in self._imported]
        changed = sum(o != self._imported[o.id] for o in still)
        return (f"Really remove the {len(still):,} observation{'s' if len(still) != 1 else ''}"
                f"{f' ({changed} corrected since)' if changed else ''}?")

    def _undo_import(self) -> None:
        """Remove the observations the last import added, those still there: one edit,
        saved and merged like any other."""
        ids = set(self._imported)
        if not ids:
            return
        self.session.refresh()  # what others deleted meanwhile is not counted as removed here
        removed: list[Observation] = []

        def remove(project: Project) -> None:
            removed[:] = [o for o in project.observations if o.id in ids]
            _remove(project, ids)

        result = self.session.edit(remove, f"undid an import of {len(ids)} observations")
        if not result.ok:
            self.import_message.value = note(result.message, "error")
            return
        pasted = self._imported_paste
        self._forget_import()
        said = _undone(len(removed), len(ids))
        if pasted and not self.paste.value:  # to correct them and import again
            self.paste.value = pasted
            said += " The pasted rows are back in the box, to correct and check again."
        self.import_message.value = note(said, "ok")

    def cancel(self) -> None:
        """Drop the preview; nothing is imported."""
        self._drop_preview()
        self.import_message.value = ""

    def _drop_preview(self) -> None:
        self.parsed = None
        self._pending_source = None
        self._checked_paste = None
        if self.upload.value:
            self.upload.value = ()  # so that choosing the same file again reads it again
        W.show(self.preview, False)
        self.preview_summary.value = self.preview_rows.value = self.preview_problems.value = ""


class ObservationRow(W.VBox):
    """One recorded observation: its date, value and subgroup, editable in place."""

    def __init__(self, entry: ObservationEntry, oid: str):
        self.entry, self.oid = entry, oid
        self.date = W.DatePicker(description="Date", style=_ROW_STYLE, layout=W.Layout(width="16em"))
        self.value = W.Text(description="Value", continuous_update=False, style=_ROW_STYLE,
                            layout=W.Layout(width="12em"))
        self.subgroup = W.Text(description="Group", placeholder="everyone", continuous_update=False,
                               style=_ROW_STYLE, layout=W.Layout(width="18em"))
        self.delete = ConfirmButton("Delete", "Delete for good?", lambda: entry.delete(oid))
        self.message: W.HTML | None = None  # made when the row first has something to say
        self._quiet = False
        self.date.observe(lambda change: self._edit_date(change["new"]), "value")
        self.value.observe(lambda change: self._edit_value(change["new"]), "value")
        self.subgroup.observe(lambda change: self._edit_subgroup(change["new"]), "value")
        super().__init__([W.HBox([self.date, self.value, self.subgroup, self.delete],
                                 layout=W.Layout(flex_flow="row wrap"))])
        self.add_class("ciw-observation")

    def show(self, observation: Observation) -> None:
        """Update from the model without sending anything back."""
        self._quiet = True
        try:
            if self.date.value != observation.date:
                self.date.value = observation.date
            shown = format_number(observation.value).replace(",", "")
            if self.value.value != shown:  # as saved: '38,5' reads back as 38.5
                self.value.value = shown
            if (self.subgroup.value or None) != observation.subgroup:
                self.subgroup.value = observation.subgroup or ""
        finally:
            self._quiet = False
        group = f" ({observation.subgroup})" if observation.subgroup else ""
        self.delete.tooltip = f"Delete the observation of {format_date(observation.date)}{group}"

    def _edit_date(self, day: Any) -> None:
        if self._quiet:
            return
        if not isinstance(day, dt.date):
            self.say(note("Choose a date; the observation keeps its old date until then.", "warn"))
            return
        self._move(lambda o: setattr(o, "date", day), f"moved an observation to {format_date(day)}")

    def _edit_value(self, text: Any) -> None:
        if self._quiet:
            return
        value = parse_typed_number(text)
        if value is None:
            typed = str(text or "").strip()[:30]
            self.say(note(f"'{typed}' is not a number; the old value is kept." if typed
                          else "Type a number; the old value is kept.", "warn"))
            self._show_saved()  # the box must not go on showing a value that was not saved
            return
        refused = self.entry.edit(self.oid, lambda o: setattr(o, "value", value),
                                  f"changed a value to {format_number(value)}")
        odd = "" if refused else outside_percent([value], self.entry._unit())
        self.say(refused or (note(odd, "warn") if odd else ""))
        if not refused:
            self._show_saved()  # '38,5' reads back as saved: 38.5

    def _edit_subgroup(self, text: Any) -> None:
        if not self._quiet:
            self._move(lambda o: setattr(o, "subgroup", _subgroup(text)), "changed an observation's subgroup")

    def _move(self, change: Callable[[Observation], None], what: str) -> None:
        """A new date or subgroup, saved even when it lands on another value's date: then
        the row says so."""
        self.say(self.entry.edit(self.oid, change, what) or self.entry.two_on_one_date(self.oid))

    def say(self, html: str) -> None:
        """Show a message under the row ("" clears it). Its line is made on first use:
        every control is a model the page waits for when it opens, and most rows never
        have anything to say."""
        if self.message is None:
            if not html:
                return
            self.message = W.HTML()
            self.children = (*self.children, self.message)
        self.message.value = html

    def _show_saved(self) -> None:
        observation = next((o for o in self.entry.session.doc.observations if o.id == self.oid), None)
        if observation is not None:
            self.show(observation)


def _remove(project: Project, ids: Collection[str]) -> None:
    """Delete these observations (and their marks: a deleted point cannot stay astronomical)."""
    project.observations = [o for o in project.observations if o.id not in ids]
    for measure in project.measures:
        if any(i in ids for i in measure.astronomical_ids):
            measure.astronomical_ids = [i for i in measure.astronomical_ids if i not in ids]


def _undone(removed: int, imported: int) -> str:
    if removed == imported:
        return f"Removed the {removed:,} observation{'s' if removed != 1 else ''} this import added."
    if removed == 0:
        return "The observations this import added had all been deleted already: nothing to remove."
    return (f"Removed the {removed:,} observation{'s' if removed != 1 else ''} this import added that were "
            f"still there; {imported - removed:,} had been deleted already.")


def _rows_as_saved(parsed: ParsedRows) -> str:
    """The first and last good rows as the chart will hold them: a date read in the wrong
    order (9/3/2026 as 3 Sep) shows here, where counts alone hide it."""
    good = parsed.good
    if not good:
        return ""
    if len(good) <= PREVIEW_FIRST + PREVIEW_LAST:
        items = [f"<li>{escape(r.as_saved())}</li>" for r in good]
    else:
        skipped = len(good) - PREVIEW_FIRST - PREVIEW_LAST
        items = ([f"<li>{escape(r.as_saved())}</li>" for r in good[:PREVIEW_FIRST]]
                 + [f"<li class='ciw-muted'>… {skipped:,} more …</li>"]
                 + [f"<li>{escape(r.as_saved())}</li>" for r in good[-PREVIEW_LAST:]])
    return f"<p>As they will be saved:</p><ul>{''.join(items)}</ul>"


def _listed(values: list[float]) -> str:
    """'92 and 0.91', '92, 0.91 and 5'."""
    shown = [format_number(v) for v in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _uploaded_file(value: Any) -> tuple[str, bytes] | None:
    """(name, bytes) of the first uploaded file, or None. The value is synced from
    the browser, so its shape is checked rather than trusted."""
    try:
        item = value[0] if isinstance(value, (tuple, list)) else next(iter(value.values()))
        name = item["name"] if isinstance(item, dict) else item.name
        content = item["content"] if isinstance(item, dict) else item.content
        if not isinstance(name, str) or not isinstance(content, (bytes, bytearray, memoryview)):
            return None
        return name[:200], bytes(content)
    except Exception:  # any other shape: not a file we can read
        return None

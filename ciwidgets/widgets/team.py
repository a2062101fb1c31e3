"""The team editor: who is on the design team (and which voices that brings), the
norms the team keeps, and when it meets.

It edits the `Team` document through its own autosaving `Session` (the workbook
hands every view the team's *project* session; the team is a separate document).
Members are entities, so two browsers adding people at the same moment both keep
theirs. Norms and the meeting routine are plain values of the team: when a
teammate changed the list meanwhile, the editor re-applies this user's edit
(add / reword / remove a norm, by its words) on top of theirs instead of showing
a conflict; only two different rewordings of the same thing are left for the
user to choose between.

Every control is a labelled ipywidget, so the editor works with the keyboard.
Rows are kept per member and updated in place, so a teammate's edit arriving
mid-typing does not steal the focus. Anything a browser sends reaches the team
only through `Session.edit`, which validates it."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..analysis import team as T
from ..analysis.words import shortened
from ..model import ROLES, Member, Team
from ..request import in_voila
from ..session import EditResult, Session
from . import lean as W
from .common import (
    ConfirmButton,
    Feedback,
    SaveStatus,
    close_all,
    focus_after_move,
    keyed_rows,
    set_children,
)

REFRESH_MS = 3000  # how often an open editor looks for teammates' edits (in Voila)

ROLE_OPTIONS = [(role[0].upper() + role[1:], role) for role in ROLES]

STYLE = """
<style>
.ciw-team h3 { margin: 1.1em 0 0.2em; font-size: 1.15rem; }
.ciw-team .ciw-hint { color: #52606d; margin: 0 0 0.4em; line-height: 1.45; }
.ciw-voices { display: grid; grid-template-columns: repeat(auto-fit, minmax(12em, 1fr));
  gap: 0.5em; margin: 0.5em 0; padding: 0; list-style: none; }
.ciw-voice { border: 1px solid #cbd2d9; border-radius: 8px; padding: 0.45em 0.7em;
  background: #ffffff; line-height: 1.35; }
.ciw-voice.ciw-has { border-left: 5px solid #1d6b3a; }
.ciw-voice.ciw-missing { border: 1px dashed #8a4b00; border-left: 5px solid #e69f00;
  background: #fffaf0; }
.ciw-voice strong { display: block; font-size: 0.95rem; }
.ciw-voice .ciw-who { font-size: 0.9rem; color: #323f4b; }
.ciw-voice.ciw-missing .ciw-who { color: #6b3a00; font-style: italic; }
.ciw-team-summary { margin: 0.2em 0; color: #323f4b; }
.ciw-team-row { border-bottom: 1px solid #eef0f2; padding: 2px 0; }
.ciw-team textarea { font-family: inherit; }
</style>
"""


def team_session(session: Session) -> Session:
    """A session on the Team document of whatever `session` edits (a project's
    team, or the team itself)."""
    if session.cls is Team:
        return session
    return Session(session.store, Team, session.doc.team_id, session.author)


def voices_html(members: list[Member]) -> str:
    """Four tiles, one per voice, naming who brings it or saying it is missing."""
    tiles = []
    for title, roles in T.VOICES:
        people = [m for m in members if m.role in roles]
        if people:
            names = ", ".join(
                escape(m.name) + (f" <span class='ciw-muted'>({escape(m.role)})</span>"
                                  if len(roles) > 1 else "")
                for m in people
            )
            tiles.append(f"<li class='ciw-voice ciw-has'><strong>{escape(title)} · {len(people)}</strong>"
                         f"<span class='ciw-who'>{names}</span></li>")
        else:
            tiles.append(f"<li class='ciw-voice ciw-missing'><strong>{escape(title)}</strong>"
                         f"<span class='ciw-who'>missing so far</span></li>")
    return f"<ul class='ciw-voices' aria-label='Voices on the team'>{''.join(tiles)}</ul>"


def diversity_html(members: list[Member]) -> str:
    """The voices, a one-line summary and the gentle nudges."""
    reading = T.role_diversity(members)
    nudges = "".join(
        f'<div class="ciw-note ciw-warn" role="note">{escape(n.text)}</div>' for n in reading.nudges
    )
    return (f"{voices_html(members)}<p class='ciw-team-summary'>{escape(reading.summary())}</p>"
            f"{nudges}")


class MemberRow(W.HBox):
    """One person: name, role, Remove."""

    def __init__(self, editor: TeamEditor, member_id: str):
        self.editor, self.member_id = editor, member_id
        self.name = W.Text(continuous_update=False, style={"description_width": "5em"},
                           layout=W.Layout(flex="1 1 16em", min_width="12em", max_width="28em"))
        self.role = W.Dropdown(options=ROLE_OPTIONS, description="Role",
                               style={"description_width": "3em"}, layout=W.Layout(width="17em"))
        self.remove = ConfirmButton("Remove", "Really remove?", lambda: editor.remove_member(member_id),
                                    tooltip="Remove this person from the team (asks again)")
        self._quiet = False
        self.name.observe(self._renamed, "value")
        self.role.observe(self._role_changed, "value")
        super().__init__([self.name, self.role, self.remove],
                         layout=W.Layout(flex_flow="row wrap", align_items="center"))
        self.add_class("ciw-team-row")

    def show(self, member: Member, number: int) -> None:
        """Update from the model without sending anything back."""
        self._quiet = True
        try:
            self.name.description = f"Person {number}"
            if self.name.value != member.name:
                self.name.value = member.name
            if self.role.value != member.role:
                self.role.value = member.role
        finally:
            self._quiet = False
        self.remove.disarm()
        self.remove.tooltip = f"Remove {shortened(member.name, 40)} from the team (asks again)"  # which one, read aloud

    def _renamed(self, change) -> None:
        if not self._quiet:
            self.editor.rename_member(self.member_id, change["new"])

    def _role_changed(self, change) -> None:
        if not self._quiet:
            self.editor.set_role(self.member_id, change["new"])


class NormRow(W.HBox):
    """One norm: its words (edit in place), Up, Down, Remove. The row remembers the
    words it shows, so an edit names the norm it meant even if the list moved."""

    def __init__(self, editor: TeamEditor):
        self.editor, self.words = editor, ""
        self.text = W.Text(continuous_update=False, style={"description_width": "5em"},
                           layout=W.Layout(flex="1 1 20em", min_width="12em", max_width="36em"))
        self.up = W.Button(description="Up", tooltip="Move this norm up", layout=W.Layout(width="auto"))
        self.down = W.Button(description="Down", tooltip="Move this norm down", layout=W.Layout(width="auto"))
        self.remove = ConfirmButton("Remove", "Really remove?", lambda: editor.remove_norm(self.words),
                                    tooltip="Remove this norm (asks again)")
        self.up.on_click(lambda _: editor.move_norm(self, -1))
        self.down.on_click(lambda _: editor.move_norm(self, +1))
        self._quiet = False
        self.text.observe(self._reworded, "value")
        super().__init__([self.text, self.up, self.down, self.remove],
                         layout=W.Layout(flex_flow="row wrap", align_items="center"))
        self.add_class("ciw-team-row")

    def show(self, words: str, number: int, count: int) -> None:
        self._quiet = True
        try:
            self.words = words
            self.text.description = f"Norm {number}"
            if self.text.value != words:
                self.text.value = words
        finally:
            self._quiet = False
        self.up.disabled, self.down.disabled = number == 1, number == count
        self.remove.disarm()
        said = shortened(words, 40)  # which norm each button acts on, read aloud
        self.up.tooltip, self.down.tooltip = f"Move the norm '{said}' up", f"Move the norm '{said}' down"
        self.remove.tooltip = f"Remove the norm '{said}' (asks again)"

    def _reworded(self, change) -> None:
        if not self._quiet:
            self.editor.reword_norm(self.words, change["new"])


class TeamEditor(W.VBox):
    """Members and roles (with the voices they bring), norms, meeting routine."""

    def __init__(self, session: Session, **options):
        self.session = team_session(session)
        self.voices = W.HTML()
        self.member_rows: dict[str, MemberRow] = {}
        self.members_box = W.VBox()
        self.new_role = W.Dropdown(options=ROLE_OPTIONS, value="teacher", description="Role",
                                   style={"description_width": "3em"}, layout=W.Layout(width="17em"))
        self.new_name = W.Text(placeholder="Type a name and press Enter", continuous_update=False,
                               description="New person", style={"description_width": "6.5em"},
                               layout=W.Layout(flex="1 1 16em", max_width="28em"))
        self.new_name.add_class("ciw-add-box")  # emptied once added (see TypingGuard)
        self.add_button = W.Button(description="Add person", button_style="primary",
                                   tooltip="Add this person to the team", layout=W.Layout(width="auto"))
        self.new_name.observe(lambda _: self._add_typed_member(), "value")
        self.add_button.on_click(lambda _: self._add_typed_member())

        self.norm_rows: list[NormRow] = []
        self.norms_box = W.VBox()
        self.no_norms = W.HTML("<p class='ciw-muted'>No norms yet.</p>")
        self.new_norm = W.Text(placeholder="e.g. Start and end on time — press Enter", continuous_update=False,
                               description="New norm", style={"description_width": "6.5em"},
                               layout=W.Layout(flex="1 1 20em", max_width="36em"))
        self.new_norm.add_class("ciw-add-box")  # emptied once added (see TypingGuard)
        self.add_norm_button = W.Button(description="Add norm", button_style="primary",
                                        tooltip="Add this norm", layout=W.Layout(width="auto"))
        self.new_norm.observe(lambda _: self._add_typed_norm(), "value")
        self.add_norm_button.on_click(lambda _: self._add_typed_norm())
        self.suggestions = W.HBox(layout=W.Layout(flex_flow="row wrap", align_items="center"))
        self.suggestions_label = W.HTML("<span class='ciw-muted'>Ideas other teams started from:</span>")
        self.suggestion_buttons: dict[str, W.Button] = {}

        self.routine = W.Textarea(
            placeholder="e.g. Tuesdays 3:15–4:00 in the library; PDSA check-in every other week",
            continuous_update=False, description="Routine", rows=2,
            style={"description_width": "6.5em"}, layout=W.Layout(width="100%", max_width="44em"),
        )
        self.routine.observe(self._routine_changed, "value")
        self.routine_hint = W.HTML()
        # Why an edit was refused, under the form it came from (not at the foot of the page).
        self.people_feedback, self.norms_feedback = Feedback(), Feedback()
        self._quiet = False

        super().__init__([
            W.HTML(STYLE),
            _heading("Who is on the design team",
                     "Improvement works when the people who live the problem shape the work: "
                     "leaders, teachers, coaches and staff, and — at least sometimes — students "
                     "and families."),
            self.voices,
            self.members_box,
            _add_row(self.new_role, self.new_name, self.add_button),
            self.people_feedback,
            _heading("Norms", "How you agree to work together. Short, and read aloud at the start "
                              "of a meeting."),
            self.norms_box,
            _add_row(self.new_norm, self.add_norm_button),
            self.norms_feedback,
            self.suggestions,
            _heading("Meeting routine", "When, where and for how long you meet. A regular routine "
                                        "is what kept the thriving teams going."),
            self.routine,
            self.routine_hint,
            SaveStatus(self.session),
        ], **options)
        self.add_class("ciw-team")
        self._poller = None
        self.session.observe(self._draw_voices, first=True)  # the team's picture
        self.session.observe(self._redraw)
        self._draw_voices(self.session)
        self._redraw(self.session)
        if in_voila():
            self.keep_fresh()

    @property
    def team(self) -> Team:
        return self.session.doc

    # -- edits (each one a saved change) ------------------------------------------------
    def _edit(self, change: Callable[[Team], object], what: str,
              reapply_unless_changed: tuple[str, ...] | None = None,
              feedback: Feedback | None = None) -> EditResult:
        """Save `change`. With `reapply_unless_changed`, a conflict is resolved by
        applying the same change to the teammate's newer version, as long as they
        did not change those fields themselves (then the user chooses). A refusal is
        said in `feedback`, under the form the edit came from."""
        before = self.session.doc
        result = self.session.edit(change, what=what)
        if result.status == "conflict" and reapply_unless_changed is not None:
            theirs = self.session.doc
            if all(getattr(theirs, f) == getattr(before, f) for f in reapply_unless_changed):
                result = self.session.edit(change, what=what)
                if result.ok:  # the same change, made on their version: nothing left to choose
                    self.session.discard_mine()
        if feedback is not None:
            feedback.show(result if not result.ok else None)
        return result

    def _people(self, change: Callable[[Team], object], what: str) -> EditResult:
        return self._edit(change, what, feedback=self.people_feedback)

    def _norms(self, change: Callable[[Team], object], what: str) -> EditResult:
        return self._edit(change, what, reapply_unless_changed=(), feedback=self.norms_feedback)

    def add_member(self, name: str, role: str) -> EditResult:
        return self._people(lambda t: T.add_member(t, name, role), f"added {name.strip()[:60]} to the team")

    def rename_member(self, member_id: str, name: str) -> EditResult:
        return self._people(lambda t: T.rename_member(t, member_id, name), "renamed a team member")

    def set_role(self, member_id: str, role: str) -> EditResult:
        return self._people(lambda t: T.set_role(t, member_id, role), "changed a team member's role")

    def remove_member(self, member_id: str) -> EditResult:
        return self._people(lambda t: T.remove_member(t, member_id), "removed a team member")

    def add_norm(self, text: str) -> EditResult:
        return self._norms(lambda t: T.add_norm(t, text), "added a norm")

    def reword_norm(self, old: str, new: str) -> EditResult:
        return self._norms(lambda t: T.reword_norm(t, old, new), "reworded a norm")

    def remove_norm(self, text: str) -> EditResult:
        return self._norms(lambda t: T.remove_norm(t, text), "removed a norm")

    def move_norm(self, row: NormRow, step: int) -> EditResult:
        result = self._norms(lambda t: T.move_norm(t, row.words, step), "reordered the norms")
        if result.ok:
            focus_after_move(row.up, row.down, step)
        return result

    def set_routine(self, text: str) -> EditResult:
        def change(t: Team) -> None:
            t.meeting_routine = text

        return self._edit(change, "changed the meeting routine", reapply_unless_changed=("meeting_routine",))

    def _add_typed_member(self) -> None:
        if not self.new_name.value.strip():
            self.people_feedback.show(text="Type the person's name first." if self.new_name.value else "")
            return
        if self.add_member(self.new_name.value, self.new_role.value).ok:
            self.new_name.value = ""

    def _add_typed_norm(self) -> None:
        if not self.new_norm.value.strip():
            self.norms_feedback.show(text="Type the norm first." if self.new_norm.value else "")
            return
        if self.add_norm(self.new_norm.value).ok:
            self.new_norm.value = ""

    def _routine_changed(self, change) -> None:
        if not self._quiet:
            self.set_routine(change["new"])

    # -- drawing -------------------------------------------------------------------------
    def _draw_voices(self, session: Session) -> None:
        self.voices.value = diversity_html(session.doc.members)

    def _redraw(self, session: Session) -> None:
        team = session.doc
        self._show_members(team)
        self._show_norms(team)
        self._quiet = True
        try:
            if self.routine.value != team.meeting_routine:
                self.routine.value = team.meeting_routine
        finally:
            self._quiet = False
        self.routine_hint.value = _routine_hint(team.meeting_routine)

    def _show_members(self, team: Team) -> None:
        rows = keyed_rows(self.member_rows, [m.id for m in team.members], lambda m_id: MemberRow(self, m_id))
        for number, (row, member) in enumerate(zip(rows, team.members, strict=True), start=1):
            row.show(member, number)
        set_children(self.members_box, rows)

    def _show_norms(self, team: Team) -> None:
        while len(self.norm_rows) < len(team.norms):
            self.norm_rows.append(NormRow(self))
        while len(self.norm_rows) > len(team.norms):
            close_all(self.norm_rows.pop())
        for number, (row, words) in enumerate(zip(self.norm_rows, team.norms, strict=True), start=1):
            row.show(words, number, len(team.norms))
        set_children(self.norms_box, self.norm_rows or [self.no_norms])
        self._show_suggestions(team)

    def _show_suggestions(self, team: Team) -> None:
        ideas = T.suggested_norms(team) if len(team.norms) < 3 else []
        buttons = keyed_rows(self.suggestion_buttons, ideas, self._suggestion)
        set_children(self.suggestions, [self.suggestions_label, *buttons] if buttons else [])

    def _suggestion(self, words: str) -> W.Button:
        button = W.Button(description=words, tooltip=f"Add the norm '{words}'", layout=W.Layout(width="auto"))
        button.on_click(lambda _: self.add_norm(words))
        return button

    # -- teammates' edits -----------------------------------------------------------------
    def keep_fresh(self, interval_ms: int = REFRESH_MS) -> None:
        """Poll the store so teammates' edits appear without a reload (in a kernel)."""
        if self._poller is not None:
            return
        from tornado.ioloop import PeriodicCallback

        def tick() -> None:
            self.session.refresh()

        self._poller = PeriodicCallback(tick, interval_ms)
        self._poller.start()

    def close(self) -> None:
        if self._poller is not None:
            self._poller.stop()
            self._poller = None
        self.session.unobserve(self._draw_voices)
        self.session.unobserve(self._redraw)
        super().close()


def _add_row(*controls: W.Widget) -> W.HBox:
    row = W.HBox(list(controls), layout=W.Layout(flex_flow="row wrap", align_items="center", margin="4px 0 0 0"))
    row.add_class("ciw-team-add")
    return row


def _heading(title: str, hint: str) -> W.HTML:
    return W.HTML(f"<h3>{escape(title)}</h3><p class='ciw-hint'>{escape(hint)}</p>")


def _routine_hint(text: str) -> str:
    gaps = T.routine_gaps(text)
    if not text.strip():
        return ('<div class="ciw-note" role="note">Write when, where and for how long you meet — '
                "for example “Tuesdays 3:15–4:00 in the library”.</div>")
    if not gaps:
        return ""
    words = " and ".join(gaps) if len(gaps) <= 2 else "when, where and how long"
    return (f'<div class="ciw-note" role="note">Does your routine say {escape(words)}? '
            "A routine everyone can recite makes the meeting happen.</div>")

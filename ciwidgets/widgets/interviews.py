"""The empathy interview log: whose voice the team has heard, and what they said.

Log an interview (stakeholder group, date, interviewer, questions, key quotes,
themes), see at a glance which groups have been heard and which are missing,
and reuse themes and quotes as evidence on the fishbone. Each field is saved
when it is left; there is no Save button. A standing reminder asks the team not
to record students' names."""

from __future__ import annotations

import datetime as dt
from html import escape

from ..analysis.rootcause import RootCauseError, interview_themes, stakeholder_coverage
from ..analysis.words import shortened
from ..model import STAKEHOLDER_GROUPS, EmpathyInterview, Project
from ..session import Session
from . import lean as W
from .common import ConfirmButton, SaveStatus, field
from .fishbone import Editor, Feedback, button, set_options

ONE_OF = {
    "student": "student", "family": "family member", "teacher": "teacher",
    "staff": "staff member", "leader": "school leader", "community": "community member",
}
GROUP_LABELS = {
    "student": "students", "family": "families", "teacher": "teachers",
    "staff": "support staff", "leader": "school leaders", "community": "community",
}
PRIVACY_REMINDER = (
    "Do not record students' names or anything that identifies a child. Describe the person "
    "instead (\u201ca 4th-grade multilingual learner\u201d). Ask for consent, and tell people "
    "their words will be shared with the team without their name."
)


def lines(text: object) -> list[str]:
    """One entry per non-empty line."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def tags(text: object) -> list[str]:
    """Comma- or semicolon-separated tags, de-duplicated ignoring case, order kept."""
    seen: dict[str, str] = {}
    for part in str(text or "").replace(";", ",").split(","):
        part = " ".join(part.split())
        if part and part.casefold() not in seen:
            seen[part.casefold()] = part
    return list(seen.values())


def coverage_html(project: Project) -> str:
    """Chips for every stakeholder group: heard (with a count) or missing."""
    coverage = stakeholder_coverage(project.interviews)
    chips = []
    for group in STAKEHOLDER_GROUPS:
        n = coverage.heard.get(group, 0)
        label = escape(GROUP_LABELS[group])
        if n:
            chips.append(f'<li style="background:#e3f1ef;border:1px solid #009E73;color:#0a4f4f">'
                         f'<span aria-hidden="true">✓ </span>{label}: heard ({n})</li>')
        else:
            chips.append(f'<li style="background:#fff;border:1px dashed #b4521a;color:#8a3b12">'
                         f'<span aria-hidden="true">○ </span>{label}: missing</li>')
    style = "list-style:none;padding:0;margin:.2em 0;display:flex;flex-wrap:wrap;gap:.4em"
    item_style = "li{border-radius:1em;padding:.15em .7em}"
    themes = interview_themes(project.interviews)
    theme_text = ("<p><strong>Themes so far:</strong> " + ", ".join(
        f"{escape(t)} ({n})" for t, n in themes[:12]) + "</p>") if themes else ""
    return (f'<section aria-label="Whose voice we have heard"><style>.ciw-coverage {item_style}</style>'
            f'<p style="margin:.2em 0"><strong>Whose voice have we heard?</strong> '
            f'{escape(coverage.summary)}</p>'
            f'<ul class="ciw-coverage" style="{style}">{"".join(chips)}</ul>{theme_text}</section>')


GROUP_OPTIONS = [(GROUP_LABELS[g].capitalize(), g) for g in STAKEHOLDER_GROUPS]


def interview_label(interview: EmpathyInterview) -> str:
    parts = [interview.date.isoformat(), ONE_OF.get(interview.stakeholder_group, interview.stakeholder_group)]
    if interview.interviewer:
        parts.append(f"by {shortened(interview.interviewer, 30)}")
    parts.append(f"{len(interview.quotes)} quote{'s' if len(interview.quotes) != 1 else ''}")
    return " · ".join(parts)


class InterviewLog(Editor):
    """Empathy interviews: log, edit, delete; stakeholder coverage at a glance.

    Options: `today` (the default date of a new interview; tests fix it)."""

    def __init__(self, session: Session, *, today: dt.date | None = None):
        self.session = session
        self.today = today
        self.selected_id: str | None = None
        self._open_label = ""  # the interview open in the form, to name it if it goes
        self.status = SaveStatus(session)
        self.reminder = W.HTML(
            f'<div role="note" class="ciw-privacy" style="border-left:4px solid #D55E00;'
            f'padding:.4em .8em;background:#fdf1e7;margin:.3em 0"><strong>Privacy:</strong> '
            f'{escape(PRIVACY_REMINDER)}</div>')
        self.coverage = W.HTML()

        self.new_group = field("Stakeholder group", W.Dropdown, options=GROUP_OPTIONS, value="student")
        self.new_date = field("Date", W.DatePicker, value=self._today())
        self.new_button = button(description="Log a new interview", button_style="primary", icon="plus")
        self.new_feedback = Feedback()
        self.new_button.on_click(lambda _: self._new())

        self.interview_list = field("Interviews", W.Select, rows=5)
        self.on_commit(self.interview_list, self._select)

        # The chosen interview's form is made when one is first chosen: every control is a
        # model the page waits for when it opens, and most visits never open it.
        self.details = W.VBox(layout=W.Layout(display="none", border="1px solid #d9d4c9", padding="0.5em 0.8em",
                                              margin="0.5em 0"))
        self.list_box = W.VBox([W.HTML("<h3>The log</h3>"), self.interview_list])
        super().__init__(session, [
            self.status, self.reminder, self.coverage,
            W.VBox([W.HTML("<h3>Log an interview</h3>"), self.new_group, self.new_date,
                    W.HBox([self.new_button]), self.new_feedback]),
            self.list_box, self.details,
        ])
        self.add_class("ciw-interviews")
        self._on_change(session)

    def _today(self) -> dt.date:
        return self.today or dt.date.today()

    def _details_form(self) -> None:
        """Make the chosen interview's form (once)."""
        if self.details.children:
            return
        self.group = field("Stakeholder group", W.Dropdown, options=GROUP_OPTIONS)
        self.date = field("Date", W.DatePicker)
        self.interviewer = field("Interviewer", W.Text, continuous_update=False)
        self.questions = field("Questions asked (one per line)", W.Textarea, rows=3, continuous_update=False)
        self.quotes = field("Key quotes (one per line)", W.Textarea, rows=4, continuous_update=False,
                            placeholder="Their words, as said. No names.")
        self.themes = field("Themes (comma-separated)", W.Text, continuous_update=False,
                            placeholder="e.g. math anxiety, homework at home")
        self.notes = field("Notes", W.Textarea, rows=2, continuous_update=False)
        self.consent = field("Consent", W.Text, continuous_update=False,
                             placeholder="e.g. verbal consent; parent informed")
        self.delete_button = ConfirmButton(
            "Delete interview", "Really delete it?", self._delete, icon="trash",
            tooltip="Delete this interview (asks once more); evidence taken from it stays on the fishbone")
        self.feedback = Feedback()

        self.on_commit(self.group, lambda v: self._set("stakeholder_group", v, "stakeholder group"))
        self.on_commit(self.date, self._set_date)
        self.on_commit(self.interviewer, lambda v: self._set("interviewer", str(v or ""), "interviewer"))
        self.on_commit(self.questions, lambda v: self._set("questions", lines(v), "questions"))
        self.on_commit(self.quotes, lambda v: self._set("quotes", lines(v), "quotes"))
        self.on_commit(self.themes, lambda v: self._set("themes", tags(v), "themes"))
        self.on_commit(self.notes, lambda v: self._set("notes", str(v or ""), "notes"))
        self.on_commit(self.consent, lambda v: self._set("consent_note", str(v or ""), "consent note"))

        self.details.children = [
            W.HTML("<h3>This interview</h3>"), self.group, self.date, self.interviewer,
            self.questions, self.quotes, self.themes, self.notes, self.consent,
            W.HBox([self.delete_button]), self.feedback,
        ]

    # ------------------------------------------------------------ drawing

    def sync(self, doc: Project) -> None:
        self.coverage.value = coverage_html(doc)
        ordered = sorted(doc.interviews, key=lambda i: (i.date, doc.interviews.index(i)), reverse=True)
        options = [(interview_label(i), i.id) for i in ordered]
        if self.selected_id not in {i.id for i in doc.interviews}:
            if self.selected_id is not None:
                self.gone_meanwhile(self.new_feedback, f"The interview '{self._open_label}'")
            self.selected_id = None
        set_options(self.interview_list, options, self.selected_id)
        self.interview_list.rows = max(2, min(8, len(options)))
        W.show(self.list_box, bool(options))
        self._sync_details(doc)

    def _interview(self, doc: Project) -> EmpathyInterview | None:
        return next((i for i in doc.interviews if i.id == self.selected_id), None)

    def _sync_details(self, doc: Project) -> None:
        interview = self._interview(doc)
        W.show(self.details, interview is not None)
        if interview is None:
            return
        self._details_form()
        self.delete_button.concern(self.selected_id)
        self._open_label = interview_label(interview)
        values = {
            self.group: interview.stakeholder_group,
            self.date: interview.date,
            self.interviewer: interview.interviewer,
            self.questions: "\n".join(interview.questions),
            self.quotes: "\n".join(interview.quotes),
            self.themes: ", ".join(interview.themes),
            self.notes: interview.notes,
            self.consent: interview.consent_note,
        }
        for widget, value in values.items():
            if widget.value != value:
                widget.value = value

    # ------------------------------------------------------------ editing

    def _new(self) -> None:
        group, when = self.new_group.value, self.new_date.value
        if not isinstance(when, dt.date):
            self.new_feedback.show(text="Choose the date of the interview first.")
            return
        made: list[str] = []

        def change(p: Project) -> None:
            interview = EmpathyInterview(stakeholder_group=group, date=when)
            p.interviews.append(interview)
            made.append(interview.id)

        who = GROUP_LABELS.get(str(group), "someone")
        result = self.edit(change, f"logged an interview with {who}", self.new_feedback,
                           "Logged. Fill in the details below; each field saves as you leave it.")
        if result.ok:
            self.selected_id = made[0]
            with self.syncing():
                self.sync(self.session.doc)

    def select(self, interview_id: str) -> None:
        """Open an interview for editing (as picking it in the list does)."""
        self.interview_list.value = interview_id

    def _select(self, interview_id: object) -> None:
        self.selected_id = interview_id if isinstance(interview_id, str) else None
        if self.details.children:
            self.feedback.show()
        with self.syncing():
            self._sync_details(self.session.doc)

    def _change_selected(self, mutate) -> None:
        interview_id = self.selected_id

        def change(p: Project) -> None:
            interview = next((i for i in p.interviews if i.id == interview_id), None)
            if interview is None:
                raise RootCauseError("That interview is no longer in the log (someone may have deleted it).")
            mutate(interview)

        return change

    def _set(self, name: str, value: object, words: str) -> None:
        if self.selected_id is None:
            return

        def mutate(interview: EmpathyInterview) -> None:
            setattr(interview, name, value)

        self.edit(self._change_selected(mutate), f"edited an interview's {words}", self.feedback,
                  f"Saved the {words}.")

    def _set_date(self, value: object) -> None:
        if not isinstance(value, dt.date):
            self.feedback.show(text="An interview needs a date (YYYY-MM-DD).")
            with self.syncing():
                self._sync_details(self.session.doc)
            return
        self._set("date", value, "date")

    def _delete(self) -> None:
        interview_id = self.selected_id
        if interview_id is None:
            return

        def change(p: Project) -> None:
            p.interviews = [i for i in p.interviews if i.id != interview_id]
            # Evidence taken from it stays (the words were said), but no longer points to it.
            for cause in p.fishbone.causes:
                for evidence in cause.evidence:
                    if evidence.interview_id == interview_id:
                        evidence.interview_id = None

        self.selected_id = None  # closed by this page: no 'deleted by someone else'
        result = self.edit(change, "deleted an interview", self.new_feedback)
        if result.ok:
            self.new_feedback.show(text="Interview deleted.")
            self.interview_list.focus()  # the keyboard stays in the list, not at the top of the page
        elif self.session.doc.find(interview_id) is not None:
            self.select(interview_id)

"""The problem statement and the equity lens: the first thing a team writes down.

Two labelled text areas (saved when the field is left) and the questions an
improvement coach would ask next to them. A gentle nudge appears when the problem
is phrased as a missing solution ("we lack a tutoring program"), the classic first
step into solutionitis; it never blocks."""

from __future__ import annotations

import re
from html import escape

from ..model import Project
from ..session import Session
from . import lean as W
from .common import SaveStatus, field
from .fishbone import Editor, Feedback

EQUITY_PROMPTS = (
    "Who experiences this problem differently? (e.g. multilingual learners, students new to "
    "the school, students with IEPs, a grade level)",
    "Whose voice is missing from how we describe it? (students, families, support staff)",
    "What would the people who live this problem say it is?",
)
GOOD_STATEMENT = (
    "Specific: one problem, in your school, that you can see.",
    "About people: who is affected, and how.",
    "Grounded: a number or an observation, not a hunch.",
    "Not a solution in disguise: “we lack X” names a fix, not the problem.",
)
# Phrases that usually hide a solution inside the problem statement.
_SOLUTIONITIS = re.compile(
    r"^\s*(we\s+)?(need|lack|don'?t\s+have|do\s+not\s+have|have\s+no)\b|^\s*(lack|absence)\s+of\b|"
    r"^\s*(no|not\s+enough)\s+\w+\s+(program|programme|curriculum|software|tutoring|coach)",
    re.IGNORECASE,
)


def solutionitis_nudge(statement: str) -> str:
    """A coach's nudge when the statement names a missing solution, else ''."""
    if statement and _SOLUTIONITIS.search(statement):
        return ("This reads like a missing solution. Try naming what students or staff "
                "experience instead, e.g. “Only 17% of our students meet the math standard” "
                "rather than “We lack a tutoring program”.")
    return ""


class ProblemStatement(Editor):
    """The team's problem statement and equity focus, with the equity-lens questions."""

    def __init__(self, session: Session):
        self.session = session
        self.status = SaveStatus(session)
        self.statement = field("Problem statement", W.Textarea, rows=3, continuous_update=False,
                               placeholder="e.g. Only 17% of our students meet or exceed the state math standard, "
                                           "and our multilingual learners are further behind.")
        self.equity = field("Equity focus", W.Textarea, rows=2, continuous_update=False,
                            placeholder="e.g. Multilingual learners and students new to the school.")
        self.nudge = W.HTML()
        self.feedback = Feedback()
        prompts = "".join(f"<li>{escape(p)}</li>" for p in EQUITY_PROMPTS)
        checks = "".join(f"<li>{escape(p)}</li>" for p in GOOD_STATEMENT)
        guide = W.HTML(
            "<details open><summary><strong>A good problem statement is…</strong></summary>"
            f"<ul>{checks}</ul></details>"
            "<details open><summary><strong>Equity lens</strong></summary>"
            f"<ul>{prompts}</ul></details>")
        super().__init__(session, [self.status, self.statement, self.nudge, self.equity,
                                   self.feedback, guide])
        self.add_class("ciw-problem-statement")
        self.on_commit(self.statement, lambda v: self._save("problem_statement", v, "problem statement"))
        self.on_commit(self.equity, lambda v: self._save("equity_focus", v, "equity focus"))
        self._on_change(session)

    def sync(self, doc: Project) -> None:
        if self.statement.value != doc.problem_statement:
            self.statement.value = doc.problem_statement
        if self.equity.value != doc.equity_focus:
            self.equity.value = doc.equity_focus
        nudge = solutionitis_nudge(doc.problem_statement)
        self.nudge.value = (f'<div role="note" style="border-left:4px solid #E69F00;padding:.3em .7em;'
                            f'background:#fdf1e7">{escape(nudge)}</div>') if nudge else ""
        W.show(self.nudge, bool(nudge))

    def _save(self, name: str, value: object, words: str) -> None:
        text = str(value or "")

        def change(p: Project) -> None:
            setattr(p, name, text)

        self.edit(change, f"wrote the {words}", self.feedback, f"Saved the {words}.")

"""The printable PDSA worksheet: one cycle as a standalone HTML page.

The page prints on one A4 or Letter sheet (print CSS in the template) and doubles
as a blank form: empty fields print as ruled space to write in by hand during the
week. Jinja2 renders it with autoescape on (see `page`), and this module hands
the template plain strings only, so every word a team typed is escaped exactly once.

Pure: the template is part of the package (read once, like code); no Jupyter
imports."""

from __future__ import annotations

import datetime as dt

from ciwidgets.model import ChangeIdea, PDSACycle, Project, Team

from .page import render_page, team_slug

TEMPLATE = "pdsa_worksheet.html.j2"

# Above these amounts of text the page switches to a smaller type so a full
# worksheet still fits one sheet; the limits were found by printing Fox's
# worksheets with more and more text (see tests/browser/test_test_phase.py).
_COMPACT_AT = 1800
_TIGHT_AT = 3600

RESULT_CHOICES = ("held", "partly", "did not hold")
ACT_CHOICES = ("adopt", "adapt", "abandon")


def _date(day: dt.date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else ""


def _drivers_of(project: Project, idea: ChangeIdea | None) -> list[str]:
    """The drivers a change idea serves, secondary then primary, as the team wrote them."""
    if idea is None:
        return []
    dd = project.driver_diagram
    secondaries = [s for s in dd.secondary_drivers if s.id in idea.secondary_ids]
    primary_ids = {pid for s in secondaries for pid in s.primary_ids}
    primaries = [p.text for p in dd.primary_drivers if p.id in primary_ids]
    return primaries + [s.text for s in secondaries]


def _aim_text(project: Project) -> str:
    aim = project.aim
    if aim.text:
        return aim.text
    parts = [aim.what, f"for {aim.for_whom}" if aim.for_whom else ""]
    if aim.target is not None:
        parts.append(f"to {aim.target:g}{aim.unit and ' ' + aim.unit}")
    if aim.by_when:
        parts.append(f"by {_date(aim.by_when)}")
    return " ".join(p for p in parts if p)


def _density(cycle: PDSACycle) -> str:
    texts = [
        cycle.question, cycle.do_notes, cycle.surprises, cycle.study_notes, cycle.act_reason,
        *cycle.plan.model_dump().values(),
        *(p.text + p.what_data_showed for p in cycle.predictions),
    ]
    size = sum(len(t) for t in texts) + 120 * len(cycle.predictions)
    if size >= _TIGHT_AT:
        return "tight"
    if size >= _COMPACT_AT:
        return "compact"
    return "normal"


def worksheet_context(
    project: Project, cycle: PDSACycle, *, team: Team | None = None,
    today: dt.date | None = None, aim: str | None = None,
) -> dict:
    """Everything the template shows, as plain strings (escaped by the template).
    `aim` is the aim as the team reads it elsewhere (default: a plain summary)."""
    today = today or dt.date.today()
    idea = project.find(cycle.change_idea_id)
    idea = idea if isinstance(idea, ChangeIdea) else None
    previous = project.find(cycle.previous_cycle_id) if cycle.previous_cycle_id else None
    following = project.find(cycle.next_cycle_id) if cycle.next_cycle_id else None
    plan = cycle.plan
    return {
        "team": team.name if team else "",
        "school": team.school if team else "",
        "project": project.title,
        "aim": _aim_text(project) if aim is None else aim,
        "change_idea": idea.text if idea else "",
        "drivers": _drivers_of(project, idea),
        "cycle_number": cycle.cycle_number,
        "question": cycle.question,
        "predictions": [
            {
                "number": i,
                "text": p.text,
                "confidence": p.confidence,
                "result": p.result or "",
                "what_data_showed": p.what_data_showed,
            }
            # An empty prediction row is not a prediction; leave it off the paper.
            for i, p in enumerate((p for p in cycle.predictions if p.text.strip()), start=1)
        ],
        "plan": [
            ("Who", plan.who), ("What", plan.what), ("When", plan.when),
            ("Where", plan.where), ("Scale", plan.scale),
            ("Data to collect", plan.data_to_collect),
        ],
        "start": _date(cycle.start_date),
        "end": _date(cycle.end_date),
        "do_notes": cycle.do_notes,
        "surprises": cycle.surprises,
        "study_notes": cycle.study_notes,
        "act": cycle.act or "",
        "act_reason": cycle.act_reason,
        "previous": (
            f"Builds on cycle {previous.cycle_number}"
            + (f" ({previous.plan.scale})" if previous.plan.scale else "")
            + (f", decided: {previous.act}" if previous.act else "")
            if isinstance(previous, PDSACycle) else ""
        ),
        "next": (
            f"Next: cycle {following.cycle_number}"
            + (f" ({following.plan.scale})" if following.plan.scale else "")
            if isinstance(following, PDSACycle) else ""
        ),
        "result_choices": RESULT_CHOICES,
        "act_choices": ACT_CHOICES,
        "density": _density(cycle),
        "printed": _date(today),
    }


def render_worksheet(
    project: Project, cycle: PDSACycle, *, team: Team | None = None,
    today: dt.date | None = None, aim: str | None = None,
) -> str:
    """The printable worksheet of `cycle` as a standalone HTML document.
    `aim`: the aim sentence to print (default: the team's wording or a summary)."""
    context = worksheet_context(project, cycle, team=team, today=today, aim=aim)
    return render_page(TEMPLATE, context)


def worksheet_filename(project: Project, cycle: PDSACycle, team: Team | None = None) -> str:
    """A safe file name such as 'pdsa-cycle-2-fox-elementary.html' (the school in
    letters, digits and hyphens)."""
    return "-".join(filter(None, ["pdsa-cycle", str(cycle.cycle_number), team_slug(team)])) + ".html"

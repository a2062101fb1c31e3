"""The one-page storyboard: a team's improvement story on one printed sheet.

Problem, top causes, aim, driver diagram, PDSA ramp and run chart, with where the
team stands on the six principles — what a school shows at a network convening
and what a new assistant principal reads to catch up in minutes.

Jinja2 renders `templates/storyboard.html.j2` with autoescape on (see `page`). The
context holds plain strings (escaped by the template) and SVG documents made by the
pure renderers (which escape every user string themselves, see `svg.esc`); those are
the only values marked safe. Renderers that are not there (or fail on an
unfinished project) leave their section as words instead of a picture.

Pure: the template is part of the package (read once, like code); no Jupyter
imports, no I/O."""

from __future__ import annotations

import datetime as dt

import markupsafe

from ciwidgets.analysis.principles import track_principles
from ciwidgets.model import STAKEHOLDER_GROUPS, Measure, Network, Project, Team

from .page import render_page, team_slug
from .trend import Chart, Line, Marker, Rule, trend_svg

TEMPLATE = "storyboard.html.j2"
TOP_CAUSES = 3
_GROUP_WORDS = {"student": "students", "family": "families", "teacher": "teachers", "staff": "staff",
                "leader": "school leaders", "community": "community members"}
_ONE_OF = {"student": "a student", "family": "a family member", "teacher": "a teacher",
           "staff": "a staff member", "leader": "a school leader", "community": "a community member"}


def _day(day: dt.date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else ""


def _safe_svg(svg: str | None) -> markupsafe.Markup | None:
    """A renderer's SVG document, trusted because the toolkit escaped its text."""
    return markupsafe.Markup(svg) if svg else None


# ----------------------------------------------------------------------------- sections


def _problem(project: Project) -> dict:
    counts = {g: sum(i.stakeholder_group == g for i in project.interviews) for g in STAKEHOLDER_GROUPS}
    heard = [f"{_GROUP_WORDS[g]} ({n})" for g, n in counts.items() if n]
    quoted = next(((q, i.stakeholder_group) for i in project.interviews for q in i.quotes if q.strip()),
                  ("", ""))
    return {
        "statement": project.problem_statement or project.fishbone.problem,
        "equity_focus": project.equity_focus,
        "heard": heard,
        "quote": quoted[0],
        "quote_by": _ONE_OF.get(quoted[1], ""),
    }


def _causes(project: Project) -> dict:
    from ciwidgets.analysis.rootcause import tally

    fb = project.fishbone
    names = {c.id: c.name for c in fb.categories}
    rows = tally(fb, TOP_CAUSES)
    top = [t for t in rows if t.top][: TOP_CAUSES + 2]  # ties at the boundary, but not a long list
    chosen = top or ([] if fb.votes else rows[:TOP_CAUSES])
    n, k = len(fb.causes), len({c.category_id for c in fb.causes})
    summary = (f"{n} cause{'s' if n != 1 else ''} in {k} categor{'ies' if k != 1 else 'y'} on our fishbone"
               + ("" if top else "; no dot voting yet") + ".")
    return {
        "voted": bool(top),
        "summary": summary,
        "rows": [{"text": t.cause.text, "category": names.get(t.cause.category_id, ""),
                   "votes": t.votes, "in_control": t.cause.in_our_control} for t in chosen],
    }


def _aim(project: Project, school: str) -> str:
    from ciwidgets.analysis.theory import aim_statement

    return aim_statement(project.aim, school)


def _driver_svg(project: Project, school: str) -> str | None:
    if not project.driver_diagram.primary_drivers:
        return None
    try:
        from ciwidgets.render.driver import driver_diagram_svg
    except ImportError:
        return None
    return driver_diagram_svg(project, school)


def _ramps(project: Project) -> dict:
    from ciwidgets.analysis.inquiry import ramp_summary

    ramps = ramp_summary(project)
    svg = None
    if ramps:
        try:
            from ciwidgets.render.ramp import ramp_svg
        except ImportError:
            svg = None
        else:
            svg = ramp_svg(ramps, title="PDSA ramps")
    steps = []
    for ramp in ramps:
        for step in ramp.steps:
            steps.append({
                "idea": ramp.change_idea, "number": step.cycle_number, "scale": step.scale,
                "stage": step.stage, "reason": step.act_reason,
            })
    return {"svg": svg, "steps": steps[-6:], "count": len(project.pdsa_cycles)}


def headline_measure(project: Project) -> Measure | None:
    """The measure the storyboard charts: the one with the most data, preferring
    measures that follow a change idea the team has tested."""
    tested = {y.change_idea_id for y in project.pdsa_cycles}
    best, best_key = None, None
    for m in project.measures:
        n = sum(o.measure_id == m.id for o in project.observations)
        if not n:
            continue
        key = (n >= 2, bool(set(m.linked_ids) & tested), n)
        if best_key is None or key > best_key:
            best, best_key = m, key
    return best


def _series(project: Project, measure: Measure) -> tuple[list[dt.date], list[float], str]:
    """The whole-group series, or the largest subgroup's if only subgroups have data."""
    rows = project.observations_of(measure.id)
    whole = [o for o in rows if not o.subgroup]
    if whole:
        return [o.date for o in whole], [o.value for o in whole], ""
    groups: dict[str, list] = {}
    for o in rows:
        groups.setdefault(o.subgroup, []).append(o)
    name, chosen = max(groups.items(), key=lambda kv: len(kv[1]))
    return [o.date for o in chosen], [o.value for o in chosen], name


def _light_run_chart(project: Project, measure: Measure) -> tuple[str, list[str]]:
    """A run chart drawn with the small SVG toolkit: points, medians per phase,
    the goal, PDSA cycle starts, and the signals in words."""
    from ciwidgets.analysis.runchart import analyze_series

    dates, values, subgroup = _series(project, measure)
    analysis = analyze_series(dates, values, baseline=measure.baseline_points,
                              phase_starts=measure.phase_starts)
    rules = []
    for phase in analysis.phases:
        if phase.result.median is not None and phase.last >= phase.first:
            rules.append(Rule("Median" if len(analysis.phases) == 1 else f"Median, phase {phase.number}",
                              phase.result.median, start=dates[phase.first], end=dates[phase.last]))
    # One legend entry for the medians is enough.
    rules = [rules[0]] + [Rule("", r.value, start=r.start, end=r.end) for r in rules[1:]] if rules else []
    if measure.target is not None:
        rules.append(Rule("Goal", measure.target, colour="#009E73", dash="2 3"))
    tested = set(measure.linked_ids)
    cycles = [y for y in project.pdsa_cycles if y.start_date and (not tested or y.change_idea_id in tested)]
    markers = [Marker(y.start_date, f"Cycle {y.cycle_number}") for y in cycles]
    flagged = analysis.flagged()
    all_values = values + ([measure.target] if measure.target is not None else [])
    low, high = min(all_values), max(all_values)
    pad = (high - low) * 0.1 or 1
    name = measure.name + (f" ({subgroup})" if subgroup else "")
    chart = Chart(
        title=f"Run chart: {name}",
        desc=(f"{len(values)} points from {_day(dates[0])} to {_day(dates[-1])}"
              + (f", median {analysis.phases[0].result.median:g}" if analysis.phases[0].result.median is not None else "")
              + "."),
        lines=[Line(name, list(zip(dates, values, strict=True)))],
        y_min=max(0.0, low - pad) if low >= 0 else low - pad, y_max=high + pad,
        y_label=measure.unit, rules=rules, markers=markers,
        highlighted=[(dates[i], values[i]) for i in flagged], width=560, height=250,
    )
    sentences = analysis.explain(desired_direction=measure.desired_direction)
    # The latest signals of points (shifts, trends) first: a storyboard tells where the team
    # stands now; signals about the whole series (runs) after them.
    kinds = [s.is_point_signal for _, s in analysis.signals()]
    dated = [t for t, point in zip(sentences, kinds, strict=True) if point][::-1]
    return trend_svg(chart), dated + [t for t, point in zip(sentences, kinds, strict=True) if not point]


def _study_chart(project: Project, measure: Measure) -> str | None:
    """The Study phase's own run chart, if present."""
    try:
        from ciwidgets.render.runchart import run_chart_svg
    except ImportError:
        return None
    try:
        return run_chart_svg(project, measure.id)
    except (TypeError, ValueError):  # an older or changed renderer: fall back to words and the light chart
        return None


def _run_chart(project: Project, study_chart: bool, measure_id: str | None = None) -> dict | None:
    measure = next((m for m in project.measures if m.id == measure_id), None) or headline_measure(project)
    if measure is None or not project.observations_of(measure.id):
        return None
    light_svg, signals = _light_run_chart(project, measure)
    svg = _study_chart(project, measure) if study_chart else None
    count = sum(o.measure_id == measure.id and not o.subgroup for o in project.observations)
    return {
        "name": measure.name, "kind": measure.kind, "frequency": measure.frequency,
        "points": count, "svg": svg or light_svg, "signals": signals[:2], "more_signals": len(signals[2:]),
    }


def _principles(project: Project, team: Team | None, network: Network | None, today: dt.date) -> dict:
    report = track_principles(project, team, network, today)
    return {
        "verdict": report.verdict_label,
        "verdict_key": report.verdict.replace(" ", "-"),
        "summary": report.summary,
        "rows": [{"label": p.label, "status": p.status} for p in report],
        "next_step": report.next_step.text,
    }


def _learned(project: Project) -> list[str]:
    """What the latest decided cycles taught the team, in its own words."""
    decided = [y for y in project.pdsa_cycles if y.act and (y.act_reason or y.study_notes)]
    decided.sort(key=lambda y: (y.end_date or y.start_date or dt.date.min, y.cycle_number))
    return [f"Cycle {y.cycle_number} — {y.act}: {y.act_reason or y.study_notes}" for y in decided[-3:]]


def storyboard_context(project: Project, *, team: Team | None = None, network: Network | None = None,
                       today: dt.date | None = None, study_chart: bool = False,
                       measure_id: str | None = None) -> dict:
    """Everything the storyboard shows: plain strings, and the SVGs marked safe.

    The run chart is drawn with the light SVG toolkit (same analysis, medians and
    signals as the Study app) unless `study_chart`: then the Study app's full chart
    (PDSA labels, legend) is embedded. The chart is of `measure_id` when the team
    chose one, else of `headline_measure`."""
    today = today or dt.date.today()
    school = (team.school or team.name) if team else ""
    run = _run_chart(project, study_chart, measure_id)
    ramps = _ramps(project)
    if run is not None:
        run["svg"] = _safe_svg(run["svg"])
    ramps["svg"] = _safe_svg(ramps["svg"])
    return {
        "team": team.name if team else "",
        "school": team.school if team and team.school != team.name else "",
        "network": network.name if network else "",
        "members": [f"{m.name} ({m.role})" for m in team.members] if team else [],
        "title": project.title,
        "school_year": project.school_year,
        "printed": _day(today),
        "problem": _problem(project),
        "causes": _causes(project),
        "aim": _aim(project, school),
        "driver_svg": _safe_svg(_driver_svg(project, school)),
        "ramps": ramps,
        "run_chart": run,
        "learned": _learned(project),
        "principles": _principles(project, team, network, today),
    }


def render_storyboard(project: Project, *, team: Team | None = None, network: Network | None = None,
                      today: dt.date | None = None, study_chart: bool = False, measure_id: str | None = None) -> str:
    """The storyboard as a standalone HTML document that prints on one page."""
    context = storyboard_context(project, team=team, network=network, today=today, study_chart=study_chart,
                                 measure_id=measure_id)
    return render_page(TEMPLATE, context)


def storyboard_filename(project: Project, team: Team | None = None) -> str:
    """A safe file name that tells a coach's downloads apart, e.g.
    'storyboard-fox-elementary-2025-26.html' (the school in letters, digits and hyphens)."""
    return "-".join(filter(None, ["storyboard", team_slug(team), project.school_year])) + ".html"

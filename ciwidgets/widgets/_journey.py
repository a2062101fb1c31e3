"""Pieces shared by the journey views (home, principles, pulse, storyboard, share):
links to the other workbooks that keep the join code, status badges, a feedback
line, and the few styles these views need.

Every user string is escaped here or by the caller with `html.escape`."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlencode

from ..model import PHASES
from ..request import in_voila
from ..session import Session

STATUS_WORDS = {"met": "Met", "partly": "Partly", "not yet": "Not yet"}
STATUS_ICONS = {"met": "●", "partly": "◐", "not yet": "○"}
VERDICT_WORDS = {"authentic": "Authentic", "partially authentic": "Partially authentic", "not yet": "Not yet"}

# Scoped (ciw-j-*) so they never touch the rest of the page; colours meet WCAG AA on white.
STYLE = """<style>
.ciw-j-card { border: 1px solid #d9d4c9; border-radius: 10px; padding: .7em .9em; margin: .5em 0;
  background: #fff; line-height: 1.4; font-size: .95em; }
.ciw-j-badge { display: inline-block; padding: .05em .6em; border-radius: 999px; font-weight: 600;
  font-size: .9em; white-space: nowrap; }
.ciw-j-met { background: #e3f1ef; color: #0a4f4f; }
.ciw-j-partly { background: #fdf1e7; color: #8a3b12; }
.ciw-j-not-yet { background: #eef0f2; color: #3e4c59; }
.ciw-j-authentic { background: #0f6b6b; color: #fff; }
.ciw-j-partially-authentic { background: #b4521a; color: #fff; }
.ciw-j-verdict-not-yet { background: #4f5d68; color: #fff; }
.ciw-j-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(17em, 1fr)); gap: .6em; }
.ciw-j-grid .ciw-j-card { margin: 0; }
.ciw-j-next { border-left: 5px solid #b4521a; background: #fdf1e7; padding: .6em .9em; border-radius: 6px;
  margin: .6em 0; }
.ciw-j-next a { font-weight: 600; }
.ciw-j-list { margin: .2em 0 .4em; padding-left: 1.2em; }
.ciw-j-list li { margin: .1em 0; overflow-wrap: anywhere; }
.ciw-j-muted { color: #4f5d68; }
.ciw-j-phases { list-style: none; padding: 0; margin: .3em 0; }
.ciw-j-phases li { display: flex; gap: .6em; align-items: baseline; padding: .25em 0;
  border-bottom: 1px solid #eee; }
.ciw-j-phases .icon { width: 1.2em; text-align: center; color: #0f6b6b; }
.ciw-j-phases .todo { color: #4f5d68; font-size: .9em; }
.ciw-j-feed { list-style: none; padding: 0; margin: .3em 0; }
.ciw-j-feed li { border-left: 3px solid #0f6b6b; padding: .3em .7em; margin: .45em 0; background: #f6f4ef;
  border-radius: 0 6px 6px 0; overflow-wrap: anywhere; }
.ciw-j-feed .meta { color: #4f5d68; font-size: .88em; }
.ciw-j-self { border-top: 1px dashed #d9d4c9; margin-top: .4em; padding-top: .3em; color: #3e4c59; }
.ciw-j-h { margin: .8em 0 .2em; font-size: 1.1rem; }
a.ciw-j-a { color: #0f6b6b; text-decoration: underline; text-underline-offset: 2px; font-weight: 600; }
a.ciw-j-a:hover { color: #0a4f4f; }
.ciw-j-rating { display: flex; flex-wrap: wrap; align-items: center; gap: .3em 0; margin: .2em 0; }
.ciw-j-rating > label.widget-label { display: inline-block; text-align: right; padding-right: 8px;
  flex: none; }
.ciw-j-rating > div { display: flex; gap: .3em; flex-wrap: wrap; }
</style>"""


def workbook_file(phase: int) -> str:
    """'05-test' for phase 5: the number and the phase's name, as the workbooks are named."""
    slug = re.sub(r"[^a-z0-9]+", "-", PHASES[phase].lower()).strip("-")
    return f"{phase:02d}-{slug}"


def workbook_href(phase: int, session: Session) -> str:
    """A relative link to a phase's workbook that keeps the team's join code (and the
    person's name, so that the history there knows who changed what)."""
    team = session.team
    keep = {"team": team.join_code, **({"me": session.author} if session.author else {})} if team else {}
    return f"{workbook_file(phase)}.ipynb{f'?{urlencode(keep)}' if keep else ''}"


def workbook_link(phase: int, session: Session, text: str | None = None, *, arrow: bool = True) -> str:
    """An <a> to the workbook of `phase` (escaped). In JupyterLab, the workbook's name
    instead: a link would reload the whole page, and a join code means nothing there."""
    label = text or f"Open {phase}. {PHASES[phase]}"
    if not in_voila():
        return f'<strong>{escape(label)}</strong> <span class="ciw-j-muted">({workbook_file(phase)}.ipynb)</span>'
    return (f'<a class="ciw-j-a" href="{escape(workbook_href(phase, session))}">{escape(label)}'
            f'{" →" if arrow else ""}</a>')


def badge(status: str) -> str:
    cls = "ciw-j-" + status.replace(" ", "-")
    return (f'<span class="ciw-j-badge {cls}"><span aria-hidden="true">{STATUS_ICONS[status]}</span> '
            f"{STATUS_WORDS[status]}</span>")


def verdict_badge(verdict: str) -> str:
    cls = "ciw-j-verdict-not-yet" if verdict == "not yet" else "ciw-j-" + verdict.replace(" ", "-")
    return f'<span class="ciw-j-badge {cls}">{escape(VERDICT_WORDS[verdict])}</span>'


def items(texts, cls: str = "ciw-j-list") -> str:
    return f'<ul class="{cls}">' + "".join(f"<li>{escape(t)}</li>" for t in texts) + "</ul>"

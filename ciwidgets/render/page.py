"""Standalone HTML pages from the package's Jinja2 templates: the printable PDSA
worksheet and the one-page storyboard.

Autoescape is on, so every plain string a renderer hands a template is escaped
exactly once; only values the renderer marks `markupsafe.Markup` pass as they are.

Pure: the templates are part of the package (read once, like code); no Jupyter
imports."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2
import markupsafe

from ciwidgets.analysis.words import slug
from ciwidgets.model import Team

# The templates live in the repository's templates/ (a source checkout) or in the
# package data the wheel carries (see pyproject: force-include).
_TEMPLATE_DIRS = (
    Path(__file__).resolve().parents[2] / "templates",
    Path(__file__).resolve().parents[1] / "_data" / "templates",
)

# Characters no HTML document may carry (C0 controls, lone surrogates); a paste
# with one must still give a page that saves as UTF-8 and opens.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _printable(value: object) -> object:
    """Jinja `finalize`: runs on every value before it is escaped into the page; a
    pasted control character or lone surrogate becomes �. Markup (the template's
    own macros) is already safe and passes through."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return _UNPRINTABLE.sub("\ufffd", value)
    return value


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        finalize=_printable,
        loader=jinja2.FileSystemLoader([str(d) for d in _TEMPLATE_DIRS if d.is_dir()]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def compiled(template: str) -> jinja2.Template:
    """The template (a file name in the templates folder), compiled once."""
    return _environment().get_template(template)


def render_page(template: str, context: dict) -> str:
    """The page `template` filled with `context`."""
    return compiled(template).render(**context)


def team_slug(team: Team | None) -> str:
    """The school (or team) in a download's file name, so a coach's downloads from
    several schools stay apart: letters, digits and hyphens only."""
    return slug(team.school or team.name, limit=40) if team is not None else ""

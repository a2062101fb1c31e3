"""`ciwidgets new-workbook`: start a new workbook notebook from the standard skeleton.

Every workbook has the same shape (see docs/extending.md): a title with the
principles it serves and how long it takes, the standard opening cell, why the
step matters, how to use it with a short example, one-line view cells, and
what's next. The skeleton holds that shape with TODO prompts to fill in.

    new_workbook("09-community-walk", title="Community walk", phase=9)

Nothing is ever overwritten."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .analysis.words import slug
from .model import PRINCIPLES
from .widgets import VIEWS

# The view a skeleton shows first for each existing phase (a placeholder to replace).
DEFAULT_VIEWS = {0: "home", 1: "design_team", 2: "fishbone", 3: "driver_diagram", 4: "matrix",
                 5: "pdsa", 6: "run_chart", 7: "storyboard", 8: "convening"}
MAX_PHASE = 99  # file names carry two digits
MAX_NAME = 80  # characters of the file name's words: far below what file systems refuse (255 bytes)
_NUMBERED = re.compile(r"^(\d{2})-")


class ScaffoldError(Exception):
    """A request the scaffold cannot carry out; the message says what to do instead."""


def _shown(name: str) -> str:
    """A name as typed, cut short: a message never repeats 300 characters back."""
    return repr(name if len(name) <= 40 else name[:39] + "…")


def workbook_filename(name: str, phase: int | None = None) -> str:
    """The notebook's file name: `NN-slug.ipynb`, numbered by `phase` when the name
    has no number of its own."""
    if "/" in name or "\\" in name:
        raise ScaffoldError(f"{_shown(name)} looks like a path: give just a name, and --folder for where it goes.")
    stem = slug(name.removesuffix(".ipynb"))
    if not stem or not re.search(r"[a-z]", stem):
        raise ScaffoldError(f"{_shown(name)} is not a usable name: use letters, e.g. 'community-walk'.")
    if len(stem) > MAX_NAME:
        raise ScaffoldError(f"{_shown(name)} is too long for a file name ({len(stem)} characters): use at most "
                            f"{MAX_NAME}, e.g. 'community-walk', and give the whole heading with --title.")
    numbered = _NUMBERED.match(stem)
    if numbered and phase is not None and int(numbered[1]) != phase:
        raise ScaffoldError(f"The name starts with {numbered[1]} but --phase is {phase}: "
                            "make them agree, or leave one out.")
    if not numbered and phase is not None:
        stem = f"{phase:02d}-{stem}"
    return f"{stem}.ipynb"


def _title_from(filename: str) -> str:
    words = _NUMBERED.sub("", filename.removesuffix(".ipynb")).replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]


def workbook_notebook(title: str, phase: int | None, view: str) -> nbformat.NotebookNode:
    """The skeleton notebook (nbformat v4, no outputs)."""
    number = f"{phase}. " if phase is not None else ""
    opening = f"wb = open_workbook(phase={phase})" if phase is not None else "wb = open_workbook()"
    principles = "\n".join(f"{i}. {name}" for i, name in enumerate(PRINCIPLES.values(), start=1))
    cells = [
        new_markdown_cell(
            f"# {number}{title}\n\n"
            "*Principles served: TODO **name the principle** (principle N). "
            "Time: TODO about 30 minutes, one meeting.*"
        ),
        new_code_cell(f"from ciwidgets.workbook import open_workbook\n{opening}"),
        new_markdown_cell(
            "## Why this step matters\n\n"
            "TODO: in a few sentences a busy teacher reads in a minute, say what this step gives "
            "the team and what goes wrong without it.\n\n"
            "Say which of the six principles it serves, and how:\n\n"
            f"{principles}"
        ),
        new_markdown_cell(
            "## How to use it (TODO: about N minutes)\n\n"
            "TODO: what to do, step by step, in the words a teacher uses (which button, what to "
            "type, what the picture shows).\n\n"
            "**An example from Fox Elementary.** TODO: one short, concrete example from the demo "
            "network (Fox or Eagle Elementary)."
        ),
        new_code_cell(f"# One line per view; the names are in ciwidgets.widgets.VIEWS.\nwb.{view}()"),
        new_markdown_cell(
            "## What's next\n\n"
            "- TODO: the next workbook, and what the team will do there.\n"
            "- TODO: what to do before the next meeting."
        ),
    ]
    return new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "ciwidgets": {"title": title},
    })


def new_workbook(name: str, *, title: str | None = None, phase: int | None = None,
                 view: str | None = None, folder: str | Path = "workbooks") -> Path:
    """Write a new workbook skeleton into `folder` and return its path.

    Refuses to overwrite an existing file, and says why when a name, phase, view
    or folder cannot be used."""
    if phase is not None and not 0 <= phase <= MAX_PHASE:
        raise ScaffoldError(f"The phase must be a whole number from 0 to {MAX_PHASE} (not {phase}).")
    filename = workbook_filename(name, phase)
    if phase is None and (numbered := _NUMBERED.match(filename)):
        phase = int(numbered[1])
    view = view or DEFAULT_VIEWS.get(phase, "home")
    if view not in VIEWS:
        raise ScaffoldError(f"There is no view called '{view}'. Views: {', '.join(sorted(VIEWS))}. "
                            "A new view is registered in ciwidgets/widgets/__init__.py (docs/extending.md).")
    folder = Path(folder)
    if not folder.is_dir():
        raise ScaffoldError(f"There is no folder '{folder}'. Run this from the project folder, "
                            "or say where with --folder.")
    path = folder / filename
    if path.exists():
        raise ScaffoldError(f"{path} already exists; nothing was changed. Choose another name, "
                            "or move that file away first.")
    title = _one_line(title or "") or _title_from(filename)
    nb = workbook_notebook(title, phase, view)
    nbformat.validate(nb)
    with path.open("x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
        nbformat.write(nb, f)
    return path

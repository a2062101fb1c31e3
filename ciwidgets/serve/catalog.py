"""The workbooks a server offers, in the order a team walks through them.

Pure functions over a folder of notebooks, used by the landing page and by tests:
no Jupyter server imports here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model import PHASES

# `03-theory-of-improvement.ipynb` → phase 3. Helper notebooks without a number are not listed.
_NUMBERED = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9][a-z0-9-]*)\.ipynb$")
# Notebooks only a coach or the network hub opens (the convening view).
COACH_PHASES = frozenset({8})
SUMMARY_LIMIT = 180


@dataclass(frozen=True)
class Entry:
    """One workbook on the landing page."""

    number: int
    title: str
    summary: str
    filename: str
    audience: str  # "team" or "coach"

    @property
    def for_coaches(self) -> bool:
        return self.audience == "coach"


def list_workbooks(folder: Path) -> list[Entry]:
    """Numbered notebooks directly in `folder`, by number then name."""
    paths = sorted(p for p in Path(folder).glob("*.ipynb") if _NUMBERED.match(p.name))
    return [_entry(p, p.stat().st_mtime_ns) for p in paths]


def phase_notebooks(folder: Path) -> list[str]:
    """File names of the team-facing workbooks: the ones worth a preheated kernel."""
    return [e.filename for e in list_workbooks(folder) if not e.for_coaches]


@lru_cache(maxsize=64)
def _entry(path: Path, mtime_ns: int) -> Entry:
    """Read one notebook (cached until the file changes: `mtime_ns` is part of the key)."""
    match = _NUMBERED.match(path.name)
    assert match is not None
    number = int(match["number"])
    meta, markdown = _read(path)
    title = meta.get("title") or (PHASES[number] if number < len(PHASES) else _prettify(match["slug"]))
    audience = meta.get("audience") or ("coach" if number in COACH_PHASES else "team")
    summary = meta.get("summary") or first_paragraph(markdown)
    return Entry(number, str(title), str(summary), path.name, str(audience))


def _read(path: Path) -> tuple[dict, str]:
    """The notebook's `ciwidgets` metadata and the source of its first markdown cell."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, ""  # a notebook being saved or broken: list it by its file name
    meta = nb.get("metadata", {}).get("ciwidgets", {})
    meta = meta if isinstance(meta, dict) else {}
    markdown = next((c.get("source", "") for c in nb.get("cells", []) if c.get("cell_type") == "markdown"), "")
    return meta, "".join(markdown) if isinstance(markdown, list) else markdown


def first_paragraph(markdown: str, limit: int = SUMMARY_LIMIT) -> str:
    """The first prose paragraph of some Markdown as plain text, cut at a sentence end."""
    paragraph: list[str] = []
    for line in markdown.splitlines():
        text = line.strip()
        if not text:
            if paragraph:
                break
            continue
        if text.startswith(("#", ">", "|", "<", "```", "---", "- ", "* ", "1. ")):
            if paragraph:
                break
            continue
        paragraph.append(text)
    plain = _plain(" ".join(paragraph))
    if len(plain) <= limit:
        return plain
    cut = plain[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[: end + 1] if end > limit // 3 else cut.rsplit(" ", 1)[0] + "…"


def _plain(text: str) -> str:
    """Markdown emphasis, code and links reduced to their words."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _prettify(slug: str) -> str:
    return slug.replace("-", " ").capitalize()

"""Where the shipped workbooks and templates are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """`workbooks` or `templates`: inside the installed wheel (ciwidgets/_data/...),
    else at the root of a source checkout (editable install)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"ciwidgets cannot find its {name} folder")

"""Writing a diagram to a file for a report or a slide: SVG or PNG, by the file's suffix."""

from __future__ import annotations

from pathlib import Path

from ciwidgets.model import ModelError


def save_picture(svg: str, path: str | Path, what: str) -> Path:
    """Write `svg` to `path` as SVG, or as PNG (drawn offline); `what` names the diagram
    in the error a wrong suffix gets."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        path.write_text(svg, encoding="utf-8")
    elif suffix == ".png":
        from ciwidgets.render.svg import to_png  # starts a renderer: only when a PNG is asked for

        path.write_bytes(to_png(svg))
    else:
        raise ModelError([f"Save the {what} as .svg or .png (not '{suffix or path.name}')."])
    return path

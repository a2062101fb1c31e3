"""The one-page storyboard: a preview of the team's story and a download that
prints on one page (problem, top causes, aim, driver diagram, PDSA ramp, run
chart, and where the team stands on the six principles).

The preview sits in a sandboxed frame, so the storyboard's own styles never
leak into the app and nothing in it can run."""

from __future__ import annotations

import datetime as dt
from html import escape

from ..render.storyboard import headline_measure, render_storyboard, storyboard_filename
from ..session import Session
from . import lean as W
from ._journey import STYLE
from .common import DownloadButton
from .observations import MeasurePicker
from .principles import network_of

PREVIEW_HEIGHT = "1400px"


class Storyboard(W.VBox):
    """Preview and download of the team's one-page storyboard.

    Options: `study_chart=True` embeds the Study app's full run chart (PDSA labels,
    legend) instead of the light one."""

    def __init__(self, session: Session, *, today: dt.date | None = None, study_chart: bool = False):
        self.session, self.today, self.study_chart = session, today, bool(study_chart)
        self.html = ""
        self.download = DownloadButton("Download the storyboard", storyboard_filename(session.doc, session.team),
                                       "text/html", self._fresh_bytes)
        intro = W.HTML(f"{STYLE}<p class='ciw-j-muted'>The preview redraws as you work. The download opens in "
                       "any browser and prints on one page.</p>")
        headline = headline_measure(session.doc)
        # The team's story may be told by another measure than the one with most data.
        self.measure_picker = MeasurePicker(session, headline.id if headline else None)
        self.measure_picker.description = "Run chart of"
        W.relayout(self.measure_picker, margin="0 0 0.6em 0")  # apart from the download below it
        self.measure_picker.on_choose(self._redraw)
        self.preview = W.HTML(layout=W.Layout(width="100%"))
        self.preview.add_class("ciw-storyboard-preview")
        super().__init__([intro, self.measure_picker, self.download, self.preview])
        self.add_class("ciw-storyboard")
        session.observe(self._redraw)
        self._redraw(session)

    def render(self) -> str:
        """The storyboard as it stands now (the network is read fresh: a share may be new)."""
        return render_storyboard(self.session.doc, team=self.session.team, network=network_of(self.session),
                                 today=self.today, study_chart=self.study_chart,
                                 measure_id=self.measure_picker.value)

    def _fresh_bytes(self) -> bytes:
        self.html = self.render()
        return self.html.encode("utf-8")

    def _redraw(self, _session: Session | None = None) -> None:
        self.measure_picker.refill(self.session.doc)
        W.show(self.measure_picker, bool(self.session.doc.measures))
        self.html = self.render()
        # srcdoc holds the page as an attribute value: escaping it once is exactly right
        # (the frame's parser un-escapes it back to the page, whose own text is escaped).
        self.preview.value = (
            f'<iframe title="Storyboard preview" sandbox="" srcdoc="{escape(self.html, quote=True)}" '
            f'style="width:100%;height:{PREVIEW_HEIGHT};border:1px solid #d9d4c9;border-radius:8px;'
            'background:#e9edf1"></iframe>')

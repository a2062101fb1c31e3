"""ipywidgets views: thin editors of the model that autosave through a Session.

`VIEWS` maps each one-line workbook method (`wb.fishbone()`) to the view class
that serves it. Views are imported only when a notebook asks for them, so an app
that shows a fishbone never pays for pandas or Altair."""

from __future__ import annotations

import importlib

VIEWS = {
    "design_team": "ciwidgets.widgets.team:TeamEditor",
    "problem": "ciwidgets.widgets.problem:ProblemStatement",
    "interviews": "ciwidgets.widgets.interviews:InterviewLog",
    "sources": "ciwidgets.widgets.sources:SourcesLog",
    "process_map": "ciwidgets.widgets.process:ProcessMapEditor",
    "fishbone": "ciwidgets.widgets.fishbone:FishboneEditor",
    "five_whys": "ciwidgets.widgets.whys:FiveWhys",
    "cause_voting": "ciwidgets.widgets.voting:CauseVoting",
    "aim": "ciwidgets.widgets.aim:AimBuilder",
    "driver_diagram": "ciwidgets.widgets.drivers:DriverDiagramEditor",
    "measures": "ciwidgets.widgets.measures:MeasureFamily",
    "matrix": "ciwidgets.widgets.matrix:BenefitEffortMatrix",
    "pdsa": "ciwidgets.widgets.pdsa:PDSAWorksheet",
    "ramps": "ciwidgets.widgets.pdsa:RampView",
    "observations": "ciwidgets.widgets.observations:ObservationEntry",
    "run_chart": "ciwidgets.widgets.runchart:RunChartView",
    "home": "ciwidgets.widgets.home:TeamHome",
    "principles": "ciwidgets.widgets.principles:PrincipleTracker",
    "self_assessment": "ciwidgets.widgets.principles:SelfAssessment",
    "pulse": "ciwidgets.widgets.reflect:PulseCheck",
    "storyboard": "ciwidgets.widgets.storyboard:Storyboard",
    "share": "ciwidgets.widgets.share:ShareToNetwork",
    "convening": "ciwidgets.widgets.convening:ConveningView",
    "join_cards": "ciwidgets.widgets.cards:JoinCards",
}

# Views of the whole network, opened with the coach's hub code; they get a
# Session on the Network document instead of a team's project.
HUB_VIEWS = {"convening", "join_cards"}


def view_class(name: str) -> type:
    """The view class registered under `name` (imported on first use)."""
    module, _, cls = VIEWS[name].partition(":")
    return getattr(importlib.import_module(module), cls)

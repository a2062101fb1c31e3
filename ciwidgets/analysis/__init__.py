"""Pure analyses: run-chart rules, nudges, checks. No Jupyter imports, no I/O.

    from ciwidgets.analysis import analyze_run_chart

Other analyses live in their own modules (import them directly); this package
import stays cheap (numpy is imported only when a run chart is analysed)."""

from .runchart import (
    IHI_RUNS_TABLE,
    RULE_SETS,
    Phase,
    RuleComparison,
    RunChartResult,
    SeriesAnalysis,
    Signal,
    analyze_run_chart,
    analyze_series,
    compare_rule_sets,
)

__all__ = [
    "IHI_RUNS_TABLE",
    "RULE_SETS",
    "Phase",
    "RuleComparison",
    "RunChartResult",
    "SeriesAnalysis",
    "Signal",
    "analyze_run_chart",
    "analyze_series",
    "compare_rule_sets",
]

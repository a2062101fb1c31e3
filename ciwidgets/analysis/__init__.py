"""Pure analyses: run-chart rules, reading measure data, nudges, checks. No Jupyter
imports, no I/O.

    from ciwidgets.analysis import analyze_run_chart

Other analyses live in their own modules (import them directly); this package
import stays cheap (numpy is imported only when a run chart is analysed,
openpyxl only when an Excel file is read)."""

from .observation_rows import (
    ObservationRow,
    ParsedRows,
    RowProblem,
    parse_typed_number,
    read_csv,
    read_excel,
    read_pasted,
    read_upload,
)
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
    "ObservationRow",
    "ParsedRows",
    "Phase",
    "RowProblem",
    "RuleComparison",
    "RunChartResult",
    "SeriesAnalysis",
    "Signal",
    "analyze_run_chart",
    "analyze_series",
    "compare_rule_sets",
    "parse_typed_number",
    "read_csv",
    "read_excel",
    "read_pasted",
    "read_upload",
]

"""ciwidgets: guided workbooks for school improvement teams.

The public surface for researchers:

    from ciwidgets.store import Store
    from ciwidgets.model import Project, Fishbone, Cause, ...
    from ciwidgets.analysis import analyze_run_chart
"""

__version__ = "0.1.0"

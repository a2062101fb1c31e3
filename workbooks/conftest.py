"""Run every workbook with nbval against a fresh demo store, as the Fox team
(phases 0–7) and as the network's coach (the convening)."""

import os
import tempfile
from pathlib import Path


def pytest_collection_finish(session):
    """Build the store before any notebook kernel starts: kernels inherit os.environ."""
    if not any(item.nodeid.endswith(".ipynb") or ".ipynb::" in item.nodeid for item in session.items):
        return
    from ciwidgets.demo import build_demo
    from ciwidgets.store import Store

    db = Path(tempfile.mkdtemp(prefix="ciwidgets-nbval-")) / "demo.db"
    store = Store(db)
    network = build_demo(store)
    fox = next(t for t in store.teams(network.id) if t.name.startswith("Fox"))
    store.close()
    os.environ.update(CIWIDGETS_DB=str(db), CIWIDGETS_TEAM=fox.join_code, CIWIDGETS_HUB=network.hub_code)

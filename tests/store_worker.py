"""A separate OS process that writes to a store, as a second Voila kernel would.

    python tests/store_worker.py burst DB PROJECT NAME COUNT   # add COUNT causes, print "ack N REV" after each
    python tests/store_worker.py edit DB PROJECT BASE CAUSE TEXT GO_FILE  # one edit based on revision BASE
"""

import os
import sys
import time

from ciwidgets.model import Cause, Project
from ciwidgets.session import Session
from ciwidgets.store import Conflict, Store


def burst(db, project_id, name, count):
    session = Session(Store(db), Project, project_id, author=name)
    for i in range(int(count)):
        def change(project, i=i):
            project.fishbone.causes.append(Cause(category_id=project.fishbone.categories[0].id, text=f"{name}-{i}"))
        result = session.edit(change)
        if not result.ok:
            print(f"fail {i} {result.message}", flush=True)
            return 1
        print(f"ack {i} {session.revision}", flush=True)
    return 0


def edit(db, project_id, base, cause_id, text, go_file):
    store = Store(db)
    doc = store.load_revision(Project, project_id, int(base))
    next(c for c in doc.fishbone.causes if c.id == cause_id).text = text
    while not os.path.exists(go_file):  # both processes start saving at the same moment
        time.sleep(0.001)
    try:
        saved = store.save(doc, int(base), author=text)
    except Conflict:
        print("conflict", flush=True)
    else:
        print("merged" if saved.merged else "saved", flush=True)
    return 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    sys.exit({"burst": burst, "edit": edit}[command](*args))

"""What the Study tests share: a weekly percentage measure, what a person reads in a
widget, what a fresh load from the store holds, and a file as the upload button gives it."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

from ciwidgets.model import Measure, Observation, Project
from ciwidgets.session import Session

TODAY = dt.date(2026, 11, 23)
START = dt.date(2026, 9, 7)


def stored(session: Session) -> Project:
    """The project as a fresh browser would load it from the store."""
    return session.store.load(Project, session.doc.id)[0]


def shown(widget) -> str:
    """The text a person reads in an HTML widget."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", widget.value)).split())


def add_measure(session: Session, name="Exit-ticket mastery", values=(), subgroups=None, **fields) -> str:
    """A weekly percentage measure with `values` from START on, and those of `subgroups`
    ({name: values}) on the same weeks."""
    measure = Measure(name=name, unit="%", **fields)

    def week(k: int, value: float, subgroup: str | None = None) -> Observation:
        return Observation(measure_id=measure.id, date=START + dt.timedelta(weeks=k), value=value, subgroup=subgroup)

    def change(p: Project) -> None:
        p.measures.append(measure)
        p.observations.extend(week(k, value) for k, value in enumerate(values))
        for group, group_values in (subgroups or {}).items():
            p.observations.extend(week(k, value, group) for k, value in enumerate(group_values))

    assert session.edit(change, "test data").ok
    return measure.id


def upload_value(name: str, content: bytes) -> tuple[dict, ...]:
    """The value of the upload button once `content` is chosen as file `name`."""
    return ({"name": name, "type": "", "size": len(content), "content": memoryview(content),
             "last_modified": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)},)

"""Views share layouts and styles: fewer models for the kernel to send and the browser
to build, and no control can change another's look by accident."""

from __future__ import annotations

import ipywidgets
import pytest

from ciwidgets.session import Session
from ciwidgets.widgets import lean as W
from ciwidgets.widgets.common import close_all, field
from ciwidgets.widgets.fishbone import FishboneEditor


def test_controls_without_a_layout_of_their_own_share_one():
    a, b = W.Text(), W.Button(description="Go")
    assert a.layout is b.layout and W.is_shared(a.layout)
    assert W.Text().style is a.style  # one default TextStyle too
    assert W.Layout(width="auto") is W.Layout(width="auto")
    assert W.Layout(width="auto") is not W.Layout(width="8em")


def test_a_style_given_as_a_dict_is_shared():
    a = W.Text(style={"description_width": "9em"})
    b = W.Text(style={"description_width": "9em"})
    assert a.style is b.style and a.style.description_width == "9em"


def test_a_shared_layout_refuses_changes():
    a, b = W.Text(), W.Text()
    with pytest.raises(AttributeError, match="is shared"):
        a.layout.width = "3em"
    assert b.layout.width is None


def test_hiding_one_control_leaves_the_others_shown():
    a, b = W.Button(layout=W.Layout(width="auto")), W.Button(layout=W.Layout(width="auto"))
    W.show(a, False)
    assert (a.layout.display, a.layout.width) == ("none", "auto")
    assert b.layout.display is None and b.layout.width == "auto"
    W.show(a, True)
    assert a.layout.display == "" and a.layout.width == "auto"


def test_a_control_with_its_own_layout_is_changed_in_place():
    own = ipywidgets.Layout(width="5em")
    a = W.Text(layout=own)
    W.show(a, False)
    assert a.layout is own and own.display == "none"


def test_labelled_fields_share_the_label_style_and_width():
    a, b = field("First", W.Text), field("Second", W.Dropdown)
    assert a.layout is b.layout and a.layout.width == "100%"
    assert a.style.description_width == b.style.description_width == "11em"
    assert W.Text().layout.width is None  # the default layout was not widened


def test_closing_a_row_leaves_the_shared_layout_to_the_others():
    row, other = W.HBox([W.Text()]), W.HBox([W.Text()])
    close_all(row)
    assert row.comm is None and row.children[0].comm is None
    assert other.layout.comm is not None and other.children[0].style.comm is not None


def test_a_closed_shared_layout_is_made_again():
    W.Text().layout.close()
    assert W.Text().layout.comm is not None


def test_a_view_holds_few_layouts_and_styles(demo_network):
    """The Fox team's fishbone editor: about one model per control, not three."""
    store, _network, teams = demo_network
    view = FishboneEditor(Session.for_team(store, teams["Fox"]))
    widgets, layouts, styles = set(), set(), set()

    def walk(w):
        widgets.add(id(w))
        layouts.add(id(w.layout))
        if isinstance(getattr(w, "style", None), ipywidgets.Widget):
            styles.add(id(w.style))
        for child in getattr(w, "children", ()):
            walk(child)

    walk(view)
    assert len(widgets) > 40
    assert len(layouts) + len(styles) < len(widgets) / 2


def test_a_date_python_has_none_for_is_no_date_not_a_broken_page():
    """A browser's date box takes a year of five digits (20266, one key too many)."""
    import datetime as dt

    from ciwidgets.widgets import lean as W

    picker = W.DatePicker(value=dt.date(2026, 12, 3))
    picker.set_state({"value": {"year": 20266, "month": 11, "date": 3}})
    assert picker.value is None
    picker.set_state({"value": {"year": 2026, "month": 11, "date": 4}})
    assert picker.value == dt.date(2026, 12, 4)

"""The ipywidgets the views are built from, with layouts and styles shared.

Every ipywidgets control brings a Layout model and usually a Style model of its own,
most of them holding nothing but defaults. Each model is a message from kernel to
server to browser and an object on both ends: two thirds of a workbook page's models
were such layouts and styles. Here a control without a layout of its own shares one
per kernel, `Layout(width="auto")` is one model however often it is asked for, and the
same holds for styles.

Shared layouts and styles are frozen: changing one would change every control that
shares it. A view that hides or resizes a control calls `show` or `relayout`, which
swap the control's shared layout for the shared one with the change.

Use it as `from . import lean as W`: the names are those of ipywidgets."""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
from typing import Any

import ipywidgets as _ipw
from ipywidgets import Box, DOMWidget, ValueWidget, Widget  # noqa: F401  (re-exported as in ipywidgets)
from ipywidgets.widgets.trait_types import Date, date_from_json, date_to_json
from traitlets import default

_shared: dict[tuple, Widget] = {}
_touched: contextvars.ContextVar[Widget | None] = contextvars.ContextVar("touched", default=None)


def touched() -> Widget | None:
    """The control a person is acting on now (its message from the browser is being
    handled), or None: an edit made by code, or picked up from a teammate."""
    return _touched.get()


class _Frozen:
    """Refuses changes to its synced traits once made (see the module docstring)."""

    _frozen = False

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen and name in self.keys:
            raise AttributeError(f"{type(self).__name__} is shared: change {name} through show() or relayout()")
        super().__setattr__(name, value)


@functools.cache
def _frozen_class(cls: type[Widget]) -> type[Widget]:
    return type(f"Shared{cls.__name__}", (_Frozen, cls), {})


def shared(cls: type[Widget], **traits: Any) -> Widget:
    """The kernel's one frozen `cls(**traits)` (made again if something closed it)."""
    key = (cls, tuple(sorted(traits.items())))
    made = _shared.get(key)
    if made is None or made.comm is None:
        made = _shared[key] = _frozen_class(cls)(**traits)
        object.__setattr__(made, "_frozen", True)
    return made


def is_shared(widget: Widget) -> bool:
    return isinstance(widget, _Frozen)


def Layout(**traits: Any) -> _ipw.Layout:  # noqa: N802 - stands in for the class
    return shared(_ipw.Layout, **traits)


def _set_traits(layout: _ipw.Layout) -> dict[str, Any]:
    return {k: getattr(layout, k) for k in layout.keys if not k.startswith("_") and getattr(layout, k) is not None}


def relayout(widget: DOMWidget, **traits: Any) -> None:
    """Change a control's layout: a shared layout is swapped for the shared one with
    `traits` (one message: which layout the control uses); its own is changed in place."""
    if is_shared(widget.layout):
        widget.layout = Layout(**{**_set_traits(widget.layout), **traits})
    else:
        for name, value in traits.items():
            setattr(widget.layout, name, value)


def show(widget: DOMWidget, visible: bool) -> None:
    """Show or hide a control (a message only when that changes)."""
    display = "" if visible else "none"
    if (widget.layout.display or "") != display:
        relayout(widget, display=display)


def restyle(widget: DOMWidget, **traits: Any) -> None:
    """Give a control the shared style with `traits`."""
    widget.style = shared(_style_class(type(widget)), **traits)


def _style_class(cls: type[Widget]) -> type[Widget] | None:
    trait = cls.class_traits().get("style")
    return getattr(trait, "klass", None) if trait is not None else None


def lean(cls: type[Widget]) -> type[Widget]:
    """`cls` with a shared default layout and style, and dicts given for them shared too."""
    style_class = _style_class(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for name, klass in (("layout", _ipw.Layout), ("style", style_class)):
            if isinstance(kwargs.get(name), dict):
                kwargs[name] = shared(klass, **kwargs[name])
        cls.__init__(self, *args, **kwargs)

    def _handle_msg(self, msg: dict) -> None:
        token = _touched.set(self)
        try:
            cls._handle_msg(self, msg)
        finally:
            _touched.reset(token)

    body: dict[str, Any] = {
        "__init__": __init__,
        "_handle_msg": _handle_msg,
        "__doc__": cls.__doc__,
        "_lean_layout": default("layout")(lambda self: shared(_ipw.Layout)),
    }
    if style_class is not None:
        body["_lean_style"] = default("style")(lambda self: shared(style_class))
    return type(cls.__name__, (cls,), {"__module__": __name__, **body})


def _date_or_none(js: dict | None, manager: object) -> dt.date | None:
    """The date the browser sent, or None when Python has no such date: a browser's date
    box takes a year of five digits (one key too many), and that date broke the page."""
    try:
        return date_from_json(js, manager)
    except (ValueError, OverflowError, KeyError, TypeError):
        return None


class _DatePicker(_ipw.DatePicker):
    value = Date(None, allow_none=True).tag(sync=True, from_json=_date_or_none, to_json=date_to_json)


BoundedIntText = lean(_ipw.BoundedIntText)
Button = lean(_ipw.Button)
Checkbox = lean(_ipw.Checkbox)
Combobox = lean(_ipw.Combobox)
DatePicker = lean(_DatePicker)
Dropdown = lean(_ipw.Dropdown)
FileUpload = lean(_ipw.FileUpload)
HBox = lean(_ipw.HBox)
HTML = lean(_ipw.HTML)
IntProgress = lean(_ipw.IntProgress)
IntSlider = lean(_ipw.IntSlider)
RadioButtons = lean(_ipw.RadioButtons)
Select = lean(_ipw.Select)
Text = lean(_ipw.Text)
Textarea = lean(_ipw.Textarea)
ToggleButtons = lean(_ipw.ToggleButtons)
VBox = lean(_ipw.VBox)

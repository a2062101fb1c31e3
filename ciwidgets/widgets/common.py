"""Pieces every view shares: the save status line, labelled fields, diagrams
with offline SVG/PNG downloads."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from html import escape
from typing import TypeVar

import anywidget
import traitlets

from ..session import EditResult, Session
from . import lean as W

K = TypeVar("K")
R = TypeVar("R", bound=W.Widget)
_LABEL_STYLE = {"description_width": "11em"}


def field(label: str, control: type[W.DOMWidget], width: str = "100%", **traits) -> W.DOMWidget:
    """A `control` (a widget class, made here with `traits`) with a visible,
    screen-reader-associated label; label and look go in the message that opens it."""
    return control(description=label, style=_LABEL_STYLE, layout=W.Layout(width=width), **traits)


def html(text: str, **layout) -> W.HTML:
    """An HTML widget; the caller escapes user text (see `escape`)."""
    return W.HTML(text, layout=W.Layout(**layout) if layout else None)


def note(text: str, tone: str = "info") -> str:
    """A gentle message box (nudges, reminders); `text` is escaped here."""
    return f'<div class="ciw-note ciw-{tone}" role="note">{escape(text)}</div>'


def file_name(title: str, fallback: str) -> str:
    """A download's name from a title: 'Math for every Fox student' -> 'math-for-every-fox-student'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or fallback


def close_all(widget: W.Widget) -> None:
    """Close a widget and every widget inside it (children, layout, style). ipywidgets
    closes only the one it is asked to: the rest would stay in the kernel and the
    browser for as long as the page is open."""
    for child in getattr(widget, "children", ()):
        close_all(child)
    for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
        if isinstance(part, W.Widget) and not W.is_shared(part):
            part.close()
    widget.close()


def keyed_rows(rows: dict[K, R], keys: list[K], make: Callable[[K], R]) -> list[R]:
    """The rows for `keys`, in order. A row already in `rows` is kept (an edit then
    sends what changed in it, not a rebuilt list), a new key gets `make(key)`, and the
    rows of keys no longer listed are closed."""
    for gone in set(rows) - set(keys):
        close_all(rows.pop(gone))
    for key in keys:
        if key not in rows:
            rows[key] = make(key)
    return [rows[key] for key in keys]


def set_children(box: W.Box, children: list[W.Widget]) -> None:
    """Give `box` these children; no message when they are the ones it has."""
    if [id(c) for c in box.children] != [id(c) for c in children]:
        box.children = children


def focus_after_move(up: W.Button, down: W.Button, step: int) -> None:
    """Keep the keyboard on the button just pressed; on the other one when the thing
    moved has reached the end (the pressed one is disabled: focus would fall to the page)."""
    pressed, other = (up, down) if step < 0 else (down, up)
    (other if pressed.disabled else pressed).focus()


# A question's answer must come at least this long after the question: the second click
# of a double-click (or a second Enter) must not answer a question nobody has read yet.
ANSWER_PAUSE_S = 0.5


def asked() -> float:
    """When a question was put (for `too_soon`)."""
    return time.monotonic()


def too_soon(asked_at: float | None) -> bool:
    return asked_at is not None and time.monotonic() - asked_at < ANSWER_PAUSE_S


class ConfirmButton(W.Button):
    """A button that asks once more before it acts ('Really remove?', 'Add anyway'); works
    the same by keyboard. `question` words what is asked, on the button itself, or is a
    function that words it now (and may say more beside the button), or None when there is
    nothing to ask this time: then the button acts at once."""

    def __init__(self, words: str, question: str | Callable[[], str | None], action: Callable[[], object],
                 tooltip: str = "", asking_style: str = "danger", **button):
        button.setdefault("layout", W.Layout(width="auto"))
        super().__init__(description=words, tooltip=tooltip, **button)
        self._words, self._style, self._asking_style = words, self.button_style, asking_style
        self._question = question if callable(question) else lambda: question
        self._action = action
        self._subject: object = None
        self._asked_at: float | None = None
        self.on_click(lambda _: self.press())

    @property
    def armed(self) -> bool:
        """A question is on the button, waiting for its answer."""
        return self._asked_at is not None

    def disarm(self) -> None:
        self._asked_at = None
        self.description, self.button_style = self._words, self._style

    def reword(self, words: str) -> None:
        """New words for the button when no question is on it."""
        self._words = words
        if not self.armed:
            self.description = words

    def concern(self, subject: object) -> None:
        """Say what a click would act on now (the cycle or chain on screen): a
        'Really …?' asked about another one is withdrawn."""
        if subject != self._subject:
            self.disarm()
            self._subject = subject

    def press(self) -> None:
        """What a click does: ask, or act on an answer read (not a double-click)."""
        if self.armed:
            if too_soon(self._asked_at):  # a double-click: the question stays
                return
            self.disarm()
            self._action()
            return
        question = self._question()
        if question is None:
            self._action()
            return
        self.description, self.button_style = question, self._asking_style
        self._asked_at = asked()


SAVED_AS_YOU_GO = '<span class="ciw-muted" aria-live="polite">Changes are saved as you go.</span>'


class SaveStatus(W.HBox):
    """'Saved 14:02', 'Saved, together with ...', or a conflict with 'Keep mine'.

    Every view of a page has one, and all follow the one session. A refusal or a
    conflict is said once, in the status of the view the person is working in (its
    `view`, see `claim_statuses`); the others stay calm."""

    def __init__(self, session: Session):
        self.session = session
        self.view: W.Widget | None = None  # the view this status speaks for, once claimed
        self._holds_conflict = False  # this status said the conflict that is kept aside
        self.line = W.HTML(layout=W.Layout(flex="1"))
        self._keep_mine: W.Button | None = None
        super().__init__([self.line], layout=W.Layout(min_height="1.8em"))
        self.add_class("ciw-status")
        session.observe(self._show)
        self._show(session)

    @property
    def keep_mine(self) -> W.Button:
        """'Keep mine', made when a conflict first needs it: most pages never have one, and
        every control is a model the page waits for when it opens."""
        if self._keep_mine is None:
            self._keep_mine = W.Button(
                description="Keep mine", tooltip="Use your version where you both changed the same thing; the rest of theirs stays",
                button_style="warning", layout=W.Layout(display="none", width="auto"),
            )
            self._keep_mine.on_click(lambda _: self.session.keep_mine())
            self.children = [self.line, self._keep_mine]
        return self._keep_mine

    def _speaks_here(self) -> bool:
        """Whether the control being acted on is in this status's view (or nobody knows)."""
        acting = W.touched()
        return acting is None or self.view is None or _holds(self.view, acting)

    def _show(self, session: Session) -> None:
        last = session.last
        if last is not None and last.status == "conflict":
            self._holds_conflict = self._speaks_here()
        elif session.conflict is None:
            self._holds_conflict = False
        aside = session.conflict is not None and self._holds_conflict
        if last is None or (not last.ok and not self._speaks_here()):
            self.line.value = SAVED_AS_YOU_GO
        else:
            tone = {"conflict": "warn", "invalid": "error"}.get(last.status, "ok")
            when = last.at.strftime("%H:%M")
            text = f"{last.message} ({when})" if last.ok else last.message
            if aside and last.status != "conflict":
                tone = "warn"
                text += (f" Your version of {', '.join(session.conflict.labels) or 'an earlier change'} is "
                         "still kept aside: 'Keep mine' uses it.")
            self.line.value = f'<span class="ciw-{tone}" role="status" aria-live="polite">{escape(text)}</span>'
        if aside or self._keep_mine is not None:
            W.show(self.keep_mine, aside)


def claim_statuses(view: W.Widget) -> None:
    """Tell each save status in `view` which view it speaks for: the box that holds it."""
    for box in _boxes(view):
        for child in box.children:
            if isinstance(child, SaveStatus) and child.view is None:
                child.view = box


def _boxes(widget: W.Widget):
    if isinstance(getattr(widget, "children", None), tuple | list):
        yield widget
        for child in widget.children:
            yield from _boxes(child)


def _holds(view: W.Widget, widget: W.Widget) -> bool:
    return any(widget is box or widget in box.children for box in _boxes(view))


class DownloadButton(W.lean(anywidget.AnyWidget)):
    """A button that downloads bytes made in Python when clicked, offline.

    The bytes are produced only on click and sent to the browser, which saves them
    as `filename`. With `png_scale`, `produce` makes an SVG that the browser draws
    into a PNG of that scale, in a few milliseconds. Drawn in the kernel, the fishbone
    took about 0.13 s per PNG, during which the team's edits waited, and the renderer
    added about 27 MB to each kernel that was asked."""

    _esm = """
    async function drawPng(buffers, scale) {
      const url = URL.createObjectURL(new Blob(buffers, { type: "image/svg+xml" }));
      try {
        const image = new Image();
        image.src = url;
        await image.decode();
        const canvas = document.createElement("canvas");
        canvas.width = Math.round(image.naturalWidth * scale);
        canvas.height = Math.round(image.naturalHeight * scale);
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        return await new Promise(resolve => canvas.toBlob(resolve, "image/png"));
      } finally {
        URL.revokeObjectURL(url);
      }
    }
    function save(blob, filename) {
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }
    function render({ model, el }) {
      const button = document.createElement("button");
      button.className = "jupyter-button widget-button ciw-download";
      button.type = "button";
      const label = () => { button.textContent = model.get("label"); };
      label();
      model.on("change:label", label);
      button.addEventListener("click", () => {
        button.disabled = true;
        model.send({ event: "download" });
      });
      model.on("msg:custom", async (msg, buffers) => {
        try {
          if (msg.event !== "file") return;
          save(msg.png_scale ? await drawPng(buffers, msg.png_scale) : new Blob(buffers, { type: msg.mime }),
               msg.filename);
        } finally {
          button.disabled = false;
        }
      });
      el.appendChild(button);
    }
    export default { render };
    """
    label = traitlets.Unicode("Download").tag(sync=True)

    def __init__(self, label: str, filename: str, mime: str, produce: Callable[[], bytes],
                 png_scale: float | None = None):
        super().__init__(label=label)
        self.filename, self.mime, self.produce, self.png_scale = filename, mime, produce, png_scale
        self.on_msg(self._on_msg)

    def _on_msg(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("event") == "download":
            file = {"event": "file", "filename": self.filename, "mime": self.mime}
            if self.png_scale:
                file["png_scale"] = self.png_scale
            self.send(file, [self.produce()])


class TypingGuard(W.lean(anywidget.AnyWidget)):
    """Keeps what someone is typing in a box when a value for that box comes from the
    kernel meanwhile (the page looks for teammates' saves every few seconds, and the box
    used to take the value at once, wiping what was being typed):
    - a teammate's save is shown under the box instead: leaving the box (or Enter in a
      one-line box) saves one's own over it, Esc takes theirs, and leaving a box whose
      words were not changed takes theirs;
    - the kernel's answer to one's own last entry (tidied, refused, or an add box emptied
      once added) leaves what is typed since, and is no teammate's;
    - Enter in an add box whose entry before has no answer yet (a quick typist, a busy
      server) waits for it: emptied, the box sends only the new words; refused and kept,
      it sends the whole box once the answer is overdue.
    One per page, in the header; it works in JupyterLab as in the apps."""

    _esm = """
    const ANSWER_MS = 1500;  // how long the kernel's answer to an entry may take, on a busy server
    const plainSetters = new Map();  // the browser's own value setter, by element class
    const setShown = (box, value) => plainSetters.get(Object.getPrototypeOf(box)).call(box, value);
    const isAddBox = box => !!box.closest(".ciw-add-box");
    function notice(box, theirs) {
      const widget = box.closest(".jupyter-widgets") || box;
      let line = box.ciwNotice;
      if (!line) {
        line = box.ciwNotice = document.createElement("div");
        line.className = "ciw-note ciw-warn ciw-meanwhile";
        line.setAttribute("role", "status");
        widget.after(line);
      }
      const words = theirs === "" ? "A teammate emptied this box while you were typing. "
        : "A teammate saved this box while you were typing: “" + theirs + "” ";
      line.textContent = words + "Leave the box to save yours instead, or press Esc to take theirs.";
    }
    function settle(box) {
      box.ciwTyped = false;
      box.ciwTheirs = undefined;
      if (box.ciwNotice) { box.ciwNotice.remove(); box.ciwNotice = undefined; }
    }
    function takeTheirs(box) {
      const theirs = box.ciwTheirs;
      settle(box);
      setShown(box, theirs);
    }
    function arrived(box, value, shown) {
      const own = box.ciwEntry;  // the kernel answering this box's last entry
      if (value === own) return;  // its echo, which comes first
      box.ciwEntry = undefined;
      if (own !== undefined) {
        if (value === "" && isAddBox(box) && shown.startsWith(own)) setShown(box, shown.slice(own.length));
        sendWaiting(box);
        return;  // what is typed since stays, and is sent when the box is left
      }
      if (value === "" && isAddBox(box)) return;  // an add box emptied: what is typed is the next entry
      box.ciwTheirs = value;
      notice(box, value);
    }
    function sendWaiting(box) {
      clearTimeout(box.ciwEntryTimer);
      box.ciwEntry = undefined;
      if (box.ciwWaiting) {
        box.ciwWaiting = false;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    function install() {
      for (const proto of [HTMLInputElement.prototype, HTMLTextAreaElement.prototype]) {
        const plain = Object.getOwnPropertyDescriptor(proto, "value");
        plainSetters.set(proto, plain.set);
        Object.defineProperty(proto, "value", {
          configurable: true, enumerable: plain.enumerable, get: plain.get,
          set(value) {
            const shown = plain.get.call(this);
            if (value === shown) return plain.set.call(this, value);
            if (this.ciwTyped && this === document.activeElement) return arrived(this, value, shown);
            plain.set.call(this, value);
            sendWaiting(this);
          },
        });
      }
      const inView = target => target.closest && target.closest(".ciw-view") && "value" in target;
      document.addEventListener("input", e => { if (inView(e.target)) e.target.ciwTyped = true; }, true);
      // An entry (Enter, or the box left), before ipywidgets reads the box to send it.
      document.addEventListener("change", e => {
        const box = e.target;
        if (!inView(box)) return;
        settle(box);
        box.ciwEntry = box.value;
        clearTimeout(box.ciwEntryTimer);
        // An add box's entry is remembered until the kernel empties the box, however late; one
        // refused stays in the box unanswered, and a held Enter goes once the answer is overdue.
        // Another box's entry may bring no answer, and must not hide a teammate's save for long.
        if (!isAddBox(box)) box.ciwEntryTimer = setTimeout(() => { box.ciwEntry = undefined; }, ANSWER_MS);
      }, true);
      document.addEventListener("keydown", e => {
        const box = e.target;
        if (e.key !== "Enter" || !inView(box) || !isAddBox(box) || box.ciwEntry === undefined) return;
        e.preventDefault();  // no entry yet: it goes once the one before is answered
        e.stopPropagation();
        if (!box.ciwWaiting) box.ciwEntryTimer = setTimeout(() => sendWaiting(box), ANSWER_MS);  // or is overdue
        box.ciwWaiting = true;
      }, true);
      // Left unchanged (no entry was made): a teammate's words held back are taken.
      document.addEventListener("focusout", e => {
        const box = e.target;
        if (!inView(box)) return;
        if (box.ciwTheirs !== undefined) takeTheirs(box); else settle(box);
        clearTimeout(box.ciwEntryTimer);  // left: what comes now is no answer to typing here
        box.ciwEntry = undefined;
        box.ciwWaiting = false;
      }, true);
      document.addEventListener("keydown", e => {
        if (e.key === "Escape" && inView(e.target) && e.target.ciwTheirs !== undefined) takeTheirs(e.target);
      }, true);
    }
    function render({ el }) {
      el.style.display = "none";
      if (!window.ciwTypingGuard) { window.ciwTypingGuard = true; install(); }
    }
    export default { render };
    """


class Room(W.lean(anywidget.AnyWidget)):
    """How wide, in CSS pixels, the box this widget sits in is on the visitor's screen: 0
    until the page says, then again whenever it changes by a step (20 px), for a drawing
    made to fit instead of shrunk with its words."""

    _esm = """
    function render({ model, el }) {
      el.style.display = "none";
      let timer = null, watch = null, gone = false;
      const report = room => {
        const width = Math.floor(room.clientWidth / 20) * 20;  // never wider than the room
        if (width > 0 && width !== model.get("width")) {
          model.set("width", width);
          model.save_changes();
        }
      };
      // A view is drawn before the page puts it in its box: wait until it is there.
      const start = () => {
        if (gone) return;
        if (!el.isConnected) { requestAnimationFrame(start); return; }
        const room = el.parentElement;
        watch = new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(() => report(room), 150); });
        watch.observe(room);
        report(room);
      };
      start();
      return () => { gone = true; clearTimeout(timer); if (watch) watch.disconnect(); };
    }
    export default { render };
    """
    width = traitlets.Int(0).tag(sync=True)


class Feedback(W.HTML):
    """A short line under a form: what just happened, or why nothing was saved."""

    def __init__(self):
        super().__init__(layout=W.Layout(min_height="1.4em", margin="0 0 0.4em 0"))
        self.add_class("ciw-feedback")  # the page makes it a live region that stays (announced)

    def show(self, result: EditResult | None = None, *, ok_text: str = "", text: str = "") -> None:
        if result is not None and not result.ok:
            tone, text = ("#8a3b12", result.message)
        elif result is not None and result.status == "merged":
            tone, text = ("#0f6b6b", f"{ok_text} {result.message}".strip())
        else:
            tone, text = ("#0f6b6b", text or ok_text)
        self.value = (f'<span role="status" aria-live="polite" style="color:{tone}">{escape(text)}</span>'
                      if text else "")


# A diagram shrinks to fit a narrow screen down to this share of its size, and scrolls
# sideways below it: further down, a fishbone's words on a tablet were 5 px high.
SMALLEST_SCALE = 0.7
_SVG_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([0-9.]+)"')


def legible(svg: str) -> str:
    """The SVG kept at least SMALLEST_SCALE of its drawn width, in a box that scrolls
    sideways when the screen is narrower (reachable with the keyboard, to scroll it)."""
    width = _SVG_WIDTH.search(svg[:2000])
    if width is None:
        return svg
    return (f'<div class="ciw-legible" tabindex="0" role="group" aria-label="Diagram">'
            f'<div style="min-width:{float(width.group(1)) * SMALLEST_SCALE:.0f}px">{svg}</div></div>')


_LABELLED_BY = re.compile(r'aria-labelledby="t-([0-9a-f]+) d-\1"')


def _own_ids(svg: str, view: str) -> str:
    """The SVG with its title and description ids made this view's own: the same
    diagram drawn twice on a page (the fishbone, and again for dot voting) has the same
    ids, and a screen reader would read the first one's words for both."""
    found = _LABELLED_BY.search(svg[:2000])
    if found is None:
        return svg
    uid = found.group(1)
    return svg.replace(f"t-{uid}", f"t-{uid}-{view}").replace(f"d-{uid}", f"d-{uid}-{view}")


class DiagramView(W.VBox):
    """A diagram drawn by a pure SVG renderer, with SVG and PNG downloads. Given the
    `session` it draws, it redraws itself first after every change (`Session.observe`)."""

    def __init__(self, render: Callable[[], str], filename: str, session: Session | None = None):
        self.render = render
        self.picture = W.HTML(layout=W.Layout(overflow="auto", max_width="100%"))
        self.picture.add_class("ciw-diagram")
        self.svg_download = DownloadButton("Download SVG", "", "image/svg+xml", lambda: self.svg.encode())
        self.png_download = DownloadButton("Download PNG", "", "image/png", lambda: self.svg.encode(), png_scale=2)
        self.rename(filename)
        super().__init__([self.picture, W.HBox([self.svg_download, self.png_download])])
        self.refresh()
        if session is not None:
            session.observe(lambda _session: self.refresh(), first=True)

    def rename(self, filename: str) -> None:
        """The name the downloads are saved under (without .svg or .png)."""
        self.svg_download.filename, self.png_download.filename = f"{filename}.svg", f"{filename}.png"

    def refresh(self) -> None:
        """Redraw from the model."""
        self.svg = self.render()
        self.picture.value = legible(_own_ids(self.svg, self.model_id[:8]))

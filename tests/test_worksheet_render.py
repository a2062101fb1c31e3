"""The printable PDSA worksheet: complete, escaped, and a usable blank form."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ciwidgets.analysis.inquiry import plan_next_cycle
from ciwidgets.model import PDSACycle, Prediction
from ciwidgets.render.worksheet import render_worksheet, worksheet_context, worksheet_filename
from tests.pdsa_examples import FOX_TEAM, fox_project

from .properties import examples

TODAY = dt.date(2026, 10, 20)


class Page(HTMLParser):
    """What a browser would make of the page: its elements, text and script."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.chunks: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.chunks).append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def fox_page(**changes) -> tuple[str, Page]:
    project = fox_project()
    cycle = project.pdsa_cycles[0]
    for name, value in changes.items():
        setattr(cycle, name, value)
    html = render_worksheet(project, cycle, team=FOX_TEAM, today=TODAY)
    return html, Page(html)


_PLAIN = Page(render_worksheet(fox_project(), fox_project().pdsa_cycles[0], team=FOX_TEAM))
BLANK_TAGS, THE_SCRIPT = set(_PLAIN.tags), _PLAIN.scripts


def test_the_worksheet_shows_every_part_of_the_cycle():
    _, page = fox_page()
    text = " ".join(page.text.split())
    for expected in [
        "PDSA cycle 1", "Fox design team", "Fox Elementary", "Math for every student",
        "A standards-based lesson-planning slide deck",
        "Data-driven instruction · Planning through coaching cycles",
        "By May 2027, at least 35% of students",
        "Does the slide deck make weekly planning faster",
        "All three teachers will finish a week's plan in under an hour",
        "Ms Diaz (new), Mr Okafor (experienced), Mrs Lee (sceptical)",
        "Grade 4 planning time", "three teachers", "Minutes spent planning",
        "5 Oct 2026", "16 Oct 2026",
        "The sceptical teacher used it for two days only",
        "asked for an example slide",
        "Two of three did; the new teacher took 90 minutes",
        "new teachers need worked examples",
        "Add a worked example per standard",
        "Printed 20 Oct 2026",
    ]:
        assert expected in text, expected


def test_choices_made_are_marked_and_announced():
    html, page = fox_page()
    # Confidence, result and decision: the chosen option is marked for the eye and for screen readers.
    assert '<span class="choice chosen"><span class="box" aria-hidden="true"></span>medium' in html
    assert '<span class="choice chosen"><span class="box" aria-hidden="true"></span>partly' in html
    assert '<span class="choice chosen"><span class="box" aria-hidden="true"></span>Adapt' in html
    assert '<span class="choice"><span class="box" aria-hidden="true"></span>Adopt' in html
    assert page.text.count("(chosen)") == 2 + 2 + 1


def test_a_blank_cycle_prints_as_a_form_to_fill_in_by_hand():
    project = fox_project()
    cycle = PDSACycle(change_idea_id=project.pdsa_cycles[0].change_idea_id, cycle_number=2)
    project.pdsa_cycles.append(cycle)
    html = render_worksheet(project, cycle, team=FOX_TEAM, today=TODAY)
    page = Page(html)
    assert "PDSA cycle 2" in page.text
    assert html.count('class="write') >= 12  # ruled space for every field and two predictions
    assert "(chosen)" not in page.text


def test_the_ramp_links_are_shown():
    project = fox_project()
    first = project.pdsa_cycles[0]
    second = plan_next_cycle(project, first)
    first_text = Page(render_worksheet(project, first, today=TODAY)).text
    second_text = Page(render_worksheet(project, second, today=TODAY)).text
    assert "Next: cycle 2 (five teachers)" in first_text
    assert "Builds on cycle 1 (three teachers), decided: adapt" in second_text


def test_the_page_is_made_for_print_and_needs_nothing_from_the_network():
    html, page = fox_page()
    assert "@page" in html and "@media print" in html
    assert "http://" not in html and "https://" not in html
    assert not any(name in ("src", "href") for name, _ in page.attrs)


def test_more_text_means_smaller_type_before_the_page_fills():
    _, short = fox_page()
    assert worksheet_context(fox_project(), fox_project().pdsa_cycles[0])["density"] == "normal"
    long = "We met and compared the plans with the standards map. " * 40
    html, _ = fox_page(do_notes=long, study_notes=long)
    assert '<body class="tight">' in html


def test_the_file_name_carries_no_user_text():
    project = fox_project()
    cycle = project.pdsa_cycles[0]
    project.driver_diagram.change_ideas[0].text = "../../etc/passwd <x>"
    assert worksheet_filename(project, cycle) == "pdsa-cycle-1.html"
    assert worksheet_filename(project, cycle, FOX_TEAM) == "pdsa-cycle-1-fox-elementary.html"


HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "</title><h1>owned</h1>",
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
    "&amp; &lt; already escaped &#x3C;",
    "</style><style>body{display:none}</style>",
    "<!-- comment --> ]]> <![CDATA[",
    "Ünïcødé ✓ 数学 עברית",
]


def _everywhere(text: str):
    """A project where every text the worksheet shows is `text`."""
    project = fox_project()
    dd = project.driver_diagram
    for item in (*dd.primary_drivers, *dd.secondary_drivers, *dd.change_ideas):
        item.text = text
    project.title = text
    project.aim.text = text
    cycle = project.pdsa_cycles[0]
    cycle.question = cycle.do_notes = cycle.surprises = cycle.study_notes = cycle.act_reason = text
    for name in ("who", "what", "when", "where", "data_to_collect"):
        setattr(cycle.plan, name, text)
    cycle.plan.scale = text[:200]
    cycle.predictions = [Prediction(text=text, what_data_showed=text, result="held")]
    team = FOX_TEAM.model_copy(update={"name": text[:200], "school": text[:200]})
    return project, cycle, team


def _check_escaped(text: str) -> None:
    project, cycle, team = _everywhere(text)
    html = render_worksheet(project, cycle, team=team, today=TODAY)
    page = Page(html)
    # No element, attribute or script came from the user's text...
    assert set(page.tags) <= BLANK_TAGS
    assert {name for name, _ in page.attrs} <= {"class", "aria-hidden", "aria-label", "aria-labelledby",
                                                "id", "lang", "charset", "name", "content", "type",
                                                "onclick", "style"}
    assert page.scripts == THE_SCRIPT
    # ...and the text itself is all there, as text: 15 fields plus the title.
    shown = text.strip()
    if shown:
        assert page.text.count(shown) >= 15
    html.encode("utf-8")  # the download is UTF-8 whatever was pasted


def test_hostile_strings_are_shown_as_text():
    for text in HOSTILE:
        _check_escaped(text)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80))
def test_any_text_is_shown_as_text(text):
    _check_escaped(text)


@settings(max_examples=examples(30), deadline=None)
@given(st.text(max_size=40))
def test_control_characters_and_lone_surrogates_do_not_break_the_page(text):
    project, cycle, team = _everywhere(text)
    html = render_worksheet(project, cycle, team=team, today=TODAY)
    assert set(Page(html).tags) <= BLANK_TAGS
    html.encode("utf-8")

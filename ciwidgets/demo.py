"""A demo network built from the worked cases of the field (fictionalised):
Fox Elementary (math), Eagle Elementary (equity and unity) and two schools
that have just begun. About thirty weekly observations per measure, with a
real shift after the team's change."""

from __future__ import annotations

import datetime as dt
import random

from .analysis.rootcause import FROM_PROCESS_MAP
from .model import (
    Aim,
    Cause,
    ChangeIdea,
    EmpathyInterview,
    Evidence,
    Measure,
    MeetingNote,
    Member,
    Network,
    Observation,
    PDSACycle,
    Plan,
    Prediction,
    PrimaryDriver,
    PrincipleEvidence,
    ProcessMap,
    ProcessStep,
    Project,
    Pulse,
    SecondaryDriver,
    SharedLearning,
    Source,
    Team,
    Vote,
    WhyChain,
)
from .store import Store

WEEKS = 30


def _monday(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


def _weekly(start: dt.date, levels: list[tuple[int, float]], spread: float, rng: random.Random,
            low: float = 0, high: float = 100) -> list[tuple[dt.date, float]]:
    """WEEKS weekly values around a level that changes at the given weeks."""
    points = []
    for week in range(WEEKS):
        level = [lvl for since, lvl in levels if week >= since][-1]
        value = min(high, max(low, round(rng.gauss(level, spread), 1)))
        points.append((start + dt.timedelta(weeks=week), value))
    return points


def _category(project: Project, name: str) -> str:
    return next(c.id for c in project.fishbone.categories if c.name == name)


def _fox(network: Network, start: dt.date, rng: random.Random) -> tuple[Team, Project]:
    team = Team(
        network_id=network.id, name="Fox Elementary", school="Fox Elementary School",
        members=[
            Member(name="Dr. Rivera", role="principal"),
            Member(name="Ms. Chen", role="assistant principal"),
            Member(name="Mr. Okafor", role="teacher leader"),
            Member(name="Ms. Patel", role="teacher"),
            Member(name="Mr. Lindqvist", role="teacher"),
            Member(name="Ms. Brooks", role="coach"),
            Member(name="Mrs. Alvarez", role="family"),
        ],
        norms=["Start and end on time", "Data, not blame", "Every voice before decisions"],
        meeting_routine="Tuesdays 3:15–4:00 in the library; PDSA check-in every other week.",
    )
    p = Project(
        team_id=team.id, title="Math for every Fox student",
        problem_statement=(
            "Only 17% of our students meet or exceed the state math standard, and our "
            "multilingual learners are further behind."
        ),
        equity_focus="Multilingual learners and students new to the school.",
    )
    p.process_map = ProcessMap(process="How a student who is stuck in math gets help", steps=[
        ProcessStep(text="Student is stuck during the math block", who="student"),
        ProcessStep(text="Teacher notices, if the student asks or the work shows it", who="teacher",
                    breaks_down=True, why="Quiet students and multilingual learners rarely ask."),
        ProcessStep(text="Teacher re-teaches at the end of the lesson", who="teacher",
                    breaks_down=True, why="The math block is often cut short; there is no time left."),
        ProcessStep(text="Unit test shows who did not master the standard", who="teacher"),
        ProcessStep(text="Referral to intervention", who="teacher, coach",
                    breaks_down=True, why="Weeks after the unit; the class has moved on."),
        ProcessStep(text="Small-group intervention twice a week", who="interventionist"),
    ])
    fb = p.fishbone
    fb.problem = "Only 17% of students meet the state math standard"
    add = fb.causes.append
    c_tickets = Cause(category_id=_category(p, "Data & measurement"), text="We only see data once a year (state test)", in_our_control=True)
    c_plan = Cause(category_id=_category(p, "Teachers & instruction"), text="Lessons are not planned from the standards", in_our_control=True)
    c_pd = Cause(category_id=_category(p, "Teachers & instruction"), text="PD is generic, not about our standards", in_our_control=True)
    c_mind = Cause(category_id=_category(p, "School culture"), text="Some staff believe some students can't reach grade level", in_our_control=True)
    for cause in (c_tickets, c_plan, c_pd, c_mind):
        add(cause)
    add(Cause(category_id=_category(p, "Teachers & instruction"), parent_id=c_plan.id, text="No shared planning template"))
    add(Cause(category_id=_category(p, "Students"), text="Many students new to the school mid-year", in_our_control=False))
    c_words = Cause(category_id=_category(p, "Students"), text="Math vocabulary is a barrier for multilingual learners", in_our_control=True)
    add(c_words)
    add(Cause(category_id=_category(p, "Curriculum & materials"), text="Pacing guide skips prerequisite skills"))
    c_block = Cause(category_id=_category(p, "Policies & schedules"), text="Math block is cut by assemblies", in_our_control=True)
    add(c_block)
    reteach = p.process_map.steps[2]  # the re-teaching that the short math block squeezes out
    reteach.cause_id = c_block.id
    c_block.evidence.append(Evidence(kind="note", text=f"{FROM_PROCESS_MAP}3: {reteach.text}"))
    add(Cause(category_id=_category(p, "Families & community"), text="Families unsure how to help with new math methods"))
    interview = EmpathyInterview(
        stakeholder_group="student", date=start - dt.timedelta(weeks=4), interviewer="Ms. Brooks",
        questions=["Tell me about a math class you enjoyed.", "When do you feel stuck in math?"],
        quotes=["When the teacher uses big words I just copy from my friend."],
        themes=["vocabulary", "belonging"],
        consent_note="Verbal assent; no names recorded.",
    )
    p.interviews += [
        interview,
        EmpathyInterview(
            stakeholder_group="teacher", date=start - dt.timedelta(weeks=3), interviewer="Mr. Okafor",
            questions=["How do you plan a math lesson?"],
            quotes=["I plan from the textbook; I rarely look at the standard itself."],
            themes=["planning", "time"],
        ),
        EmpathyInterview(
            stakeholder_group="family", date=start - dt.timedelta(weeks=3), interviewer="Mrs. Alvarez",
            questions=["How do you help with homework?"],
            quotes=["The way they do math now is not how I learned it."],
            themes=["new methods"],
        ),
    ]
    c_plan.evidence.append(Evidence(kind="quote", text=p.interviews[1].quotes[0], interview_id=p.interviews[1].id))
    guide = Source(
        kind="research", title="Practice guide: assisting students struggling with mathematics",
        finding=("Teach the language of mathematics on purpose, with a few well-chosen examples and "
                 "visual representations; check understanding often and adjust."),
        link="https://ies.ed.gov/ncee/wwc/PracticeGuides",
    )
    huddle = Source(
        kind="setting", title="A clinic's ten-minute morning huddle",
        finding=("The staff look at yesterday's numbers every morning, so a problem is caught within a "
                 "day, not at the end of the month."),
    )
    p.sources += [guide, huddle]
    c_words.evidence.append(Evidence(kind="source", text=f"{guide.title}: {guide.finding}", source_id=guide.id))
    for voter, cause in [("Dr. Rivera", c_plan), ("Ms. Chen", c_plan), ("Mr. Okafor", c_tickets),
                         ("Ms. Patel", c_plan), ("Ms. Brooks", c_tickets), ("Mr. Lindqvist", c_mind)]:
        fb.votes.append(Vote(voter=voter, cause_id=cause.id))
    p.why_chains.append(WhyChain(
        start=c_plan.text, cause_id=c_plan.id,
        whys=["Teachers plan from the textbook", "There is no time set aside to unpack standards",
              "Planning time is used for administrative tasks"],
    ))
    end = start + dt.timedelta(weeks=WEEKS)
    may = dt.date(end.year + (1 if end.month >= 5 else 0), 5, 31)  # the coming May
    p.aim = Aim(what="meet or exceed the state math standard", for_whom="Fox students in grades 3–5",
                baseline=17, target=35, unit="%", by_when=may)
    dd = p.driver_diagram
    p1 = PrimaryDriver(text="Data-driven instruction")
    p2 = PrimaryDriver(text="Teacher mindsets about learning")
    s1 = SecondaryDriver(text="Planning through coaching cycles", primary_ids=[p1.id, p2.id])
    s2 = SecondaryDriver(text="Standards-based professional development", primary_ids=[p1.id])
    dd.primary_drivers += [p1, p2]
    dd.secondary_drivers += [s1, s2]
    deck = ChangeIdea(text="Standards-based lesson-planning slide deck", secondary_ids=[s1.id, s2.id],
                      cause_ids=[c_plan.id], benefit=5, effort=2, status="adapted")
    dd.change_ideas += [
        ChangeIdea(text="Exit tickets as data points", secondary_ids=[s1.id], cause_ids=[c_tickets.id],
                   benefit=4, effort=2, status="testing"),
        ChangeIdea(text="DDI meetings twice a week", secondary_ids=[s1.id], benefit=4, effort=4),
        ChangeIdea(text="Standards mapped in 6-week chunks", secondary_ids=[s2.id], benefit=3, effort=4),
        deck,
    ]
    mastery = Measure(name="Exit-ticket mastery", kind="process", unit="% of students",
                      operational_definition="Share of students scoring 3 of 4 or better on the Friday exit ticket.",
                      frequency="weekly", data_source="Friday exit tickets", target=35, desired_direction="up",
                      linked_ids=[deck.id])
    template = Measure(name="Teachers finding the planning template efficient", kind="driver",
                       unit="% of teachers", frequency="monthly", data_source="Monthly staff pulse survey",
                       target=80, linked_ids=[s1.id])
    state = Measure(name="Students meeting the state math standard", kind="outcome", unit="%",
                    frequency="annual", data_source="State assessment", target=35)
    planning = Measure(name="Teacher planning time", kind="balancing", unit="hours per week",
                       frequency="weekly", data_source="Teacher log", desired_direction="down")
    p.measures += [mastery, template, state, planning]
    change_week = 14  # the slide deck spreads to all math teachers
    for when, value in _weekly(start, [(0, 22), (change_week, 34)], 3.0, rng):
        p.observations.append(Observation(measure_id=mastery.id, date=when, value=value))
    for group, offset in (("Multilingual learners", -6), ("English-only", 3)):
        for when, value in _weekly(start, [(0, 22 + offset), (change_week, 33 + offset)], 4.0, rng):
            p.observations.append(Observation(measure_id=mastery.id, date=when, value=value, subgroup=group))
    for when, value in _weekly(start, [(0, 6.0), (change_week, 5.2)], 0.5, rng, high=20):
        p.observations.append(Observation(measure_id=planning.id, date=when, value=value))
    for month, value in enumerate([40, 45, 60, 80]):
        p.observations.append(Observation(measure_id=template.id, date=start + dt.timedelta(weeks=4 * month + 8), value=value))
    p.observations.append(Observation(measure_id=state.id, date=start - dt.timedelta(weeks=12), value=17))
    c1 = PDSACycle(
        change_idea_id=deck.id, cycle_number=1,
        question="Does the slide deck help teachers plan a standards-based lesson in under an hour?",
        predictions=[Prediction(text="All three teachers will finish a plan in under an hour", confidence="medium",
                                result="partly", what_data_showed="Two of three did; the sceptical teacher took 90 minutes."),
                     Prediction(text="Exit-ticket mastery in their classes will rise", confidence="low", result="held",
                                what_data_showed="Up from 21% to 29% over two weeks.")],
        plan=Plan(who="Three teachers: new, experienced, sceptical", what="Plan two lessons with the deck",
                  when="Weeks 10–11", where="Grade 4 classrooms", scale="three teachers",
                  data_to_collect="Planning minutes; exit tickets"),
        start_date=start + dt.timedelta(weeks=10), end_date=start + dt.timedelta(weeks=11),
        do_notes="All three used it; one skipped the vocabulary slide.",
        surprises="The sceptical teacher liked the standards slide most.",
        study_notes="Time saved once the deck was familiar.", act="adapt",
        act_reason="Shorten the deck and add a vocabulary slide; try with all math teachers.", shared=True,
    )
    c2 = PDSACycle(
        change_idea_id=deck.id, cycle_number=2, question="Does the shorter deck work for all math and English teachers?",
        predictions=[Prediction(text="At least 80% of teachers will find it efficient", confidence="medium",
                                result="held", what_data_showed="80% found it extremely or largely efficient.")],
        plan=Plan(who="All math and English teachers", what="Use the revised deck for a month", when="Weeks 14–18",
                  where="Grades 3–5", scale="all math and English teachers", data_to_collect="Monthly pulse; exit tickets"),
        start_date=start + dt.timedelta(weeks=change_week), end_date=start + dt.timedelta(weeks=18),
        do_notes="Used by 11 of 12 teachers.", study_notes="Mastery shifted up and stayed up.",
        act="adapt", act_reason="Add a checklist so every lesson names its standard.", previous_cycle_id=c1.id,
    )
    c3 = PDSACycle(
        change_idea_id=deck.id, cycle_number=3, question="Does adding a checklist keep lessons tied to standards?",
        predictions=[Prediction(text="9 of 10 observed lessons will name their standard", confidence="high")],
        plan=Plan(who="All math and English teachers", what="Deck plus checklist", when="Weeks 24–28",
                  scale="all math and English teachers", data_to_collect="Walkthrough checklist"),
        start_date=start + dt.timedelta(weeks=24), previous_cycle_id=c2.id,
    )
    c1.next_cycle_id, c2.next_cycle_id = c2.id, c3.id
    p.pdsa_cycles += [c1, c2, c3]
    for week in range(0, WEEKS, 4):
        for member in team.members[:4]:
            p.pulses.append(Pulse(date=start + dt.timedelta(weeks=week), member=member.name,
                                  vitality=min(5, 2 + week // 10 + rng.randint(0, 1)),
                                  learning=min(5, 3 + week // 12 + rng.randint(0, 1))))
    p.principle_evidence.append(PrincipleEvidence(principle="inquiry", date=start + dt.timedelta(weeks=18),
                                                  note="Three linked cycles on the slide deck.", rating=4))
    p.meeting_notes.append(MeetingNote(date=start + dt.timedelta(weeks=14), title="Spread the deck",
                                       attendees=[m.name for m in team.members[:5]],
                                       decisions="All math and English teachers use the revised deck."))
    p.shared_with_network = True
    return team, p


def _eagle(network: Network, start: dt.date, rng: random.Random) -> tuple[Team, Project]:
    team = Team(
        network_id=network.id, name="Eagle Elementary", school="Eagle Elementary School",
        members=[Member(name="Mr. Haddad", role="principal"), Member(name="Ms. Nguyen", role="teacher leader"),
                 Member(name="Ms. Owusu", role="staff"), Member(name="Mr. Park", role="coach"),
                 Member(name="Jordan (grade 5)", role="student")],
        norms=["Assume good intent", "Speak from your own experience"],
        meeting_routine="Thursdays 7:45–8:15.",
    )
    p = Project(
        team_id=team.id, title="One Eagle community",
        problem_statement="Staff describe some groups of students and families in ways that divide rather than unite.",
        equity_focus="Students and families of colour; staff new to the school.",
    )
    p.fishbone.problem = "Staff language does not support unity"
    for category, text in [("School culture", "No shared language for equity"),
                           ("Teachers & instruction", "Few chances to talk about equity together"),
                           ("Families & community", "Families not part of school decisions"),
                           ("Data & measurement", "We never ask staff how they see it")]:
        p.fishbone.causes.append(Cause(category_id=_category(p, category), text=text, in_our_control=True))
    p.interviews.append(EmpathyInterview(stakeholder_group="staff", date=start - dt.timedelta(weeks=2),
                                         interviewer="Ms. Nguyen", quotes=["I don't know what words are okay to use."],
                                         themes=["uncertainty"]))
    p.interviews.append(EmpathyInterview(stakeholder_group="family", date=start - dt.timedelta(weeks=2),
                                         interviewer="Mr. Park", quotes=["We only hear from school when something is wrong."],
                                         themes=["belonging"]))
    p.aim = Aim(what="use language that supports unity in staff meetings", for_whom="Eagle staff",
                baseline=30, target=70, unit="% of staff", by_when=dt.date(start.year + 1, 6, 15))
    p1 = PrimaryDriver(text="A shared equity vision")
    s1 = SecondaryDriver(text="Regular, voluntary spaces to talk about equity", primary_ids=[p1.id])
    s2 = SecondaryDriver(text="Professional development co-designed with staff", primary_ids=[p1.id])
    team_idea = ChangeIdea(text="A voluntary equity team meeting weekly", secondary_ids=[s1.id], benefit=4, effort=2, status="testing")
    p.driver_diagram.primary_drivers.append(p1)
    p.driver_diagram.secondary_drivers += [s1, s2]
    p.driver_diagram.change_ideas += [
        team_idea,
        ChangeIdea(text="Equity-focused PD co-designed with staff", secondary_ids=[s2.id], benefit=5, effort=4),
        ChangeIdea(text="Pre/post staff survey on culturally responsive mindsets", secondary_ids=[s2.id], benefit=3, effort=1),
    ]
    attendance = Measure(name="Staff at the equity team meeting", kind="process", unit="staff members",
                         frequency="weekly", data_source="Sign-in sheet", target=15, linked_ids=[team_idea.id])
    p.measures.append(attendance)
    for when, value in _weekly(start, [(0, 6), (12, 11)], 1.5, rng, high=40):
        p.observations.append(Observation(measure_id=attendance.id, date=when, value=round(value)))
    p.pdsa_cycles.append(PDSACycle(
        change_idea_id=team_idea.id, cycle_number=1, question="Will staff come to a voluntary equity meeting?",
        predictions=[Prediction(text="At least 8 staff will come each week", confidence="low")],
        plan=Plan(who="Ms. Nguyen hosts", what="Weekly 30-minute meeting with a protocol", when="Weeks 12–16",
                  scale="volunteers", data_to_collect="Sign-in sheet"),
        start_date=start + dt.timedelta(weeks=12), do_notes="Attendance grew every week.",
    ))
    return team, p


def _beginner(network: Network, name: str, problem: str, start: dt.date) -> tuple[Team, Project]:
    team = Team(network_id=network.id, name=name, school=name,
                members=[Member(name="Principal", role="principal"), Member(name="Coach", role="coach")])
    p = Project(team_id=team.id, title="Getting started", problem_statement=problem)
    p.fishbone.problem = problem
    p.fishbone.causes.append(Cause(category_id=_category(p, "Students"), text="Attendance drops in winter"))
    return team, p


def build_demo(store: Store, today: dt.date | None = None, seed: int = 7) -> Network:
    """Add the demo network to `store` and return it (join codes via `store.teams`)."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    start = _monday(today) - dt.timedelta(weeks=WEEKS - 1)
    network = Network(name="Riverside Improvement Network",
                      description="Eight elementary schools working on math achievement and belonging.")
    made = [_fox(network, start, rng), _eagle(network, start, rng),
            _beginner(network, "Heron Elementary", "Too many grade 3 students are chronically absent.", start),
            _beginner(network, "Oak Elementary", "Few grade 5 students read at grade level.", start)]
    fox = made[0][0]
    network.shared_learnings.append(SharedLearning(
        team_id=fox.id, date=start + dt.timedelta(weeks=19), kind="pdsa", title="Fox: a planning slide deck, three cycles",
        text="Starting with three very different teachers (new, experienced, sceptical) surfaced fixes before we spread it.",
    ))
    docs = [network] + [doc for pair in made for doc in pair]
    store.put_all(docs, author="demo", message="demo network")
    return network

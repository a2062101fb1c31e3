"""Fox Elementary's PDSA ramp, the worked case the PDSA tests share.

Three teachers (new, experienced, sceptical) test a standards-based
lesson-planning slide deck; the team revises it, then tests it with all math
and English teachers, then adds a checklist."""

from __future__ import annotations

import datetime as dt

from ciwidgets.model import (
    Aim,
    ChangeIdea,
    DriverDiagram,
    Network,
    PDSACycle,
    Plan,
    Prediction,
    PrimaryDriver,
    Project,
    SecondaryDriver,
    Team,
)

FOX_NETWORK = Network(name="District improvement network")
FOX_TEAM = Team(network_id=FOX_NETWORK.id, name="Fox design team", school="Fox Elementary")


def fox_project(*, with_cycles: bool = True) -> Project:
    """Fox's project: aim, a driver diagram and (optionally) a two-cycle ramp."""
    ddi = PrimaryDriver(text="Data-driven instruction")
    mindsets = PrimaryDriver(text="Teacher mindsets about learning")
    planning = SecondaryDriver(text="Planning through coaching cycles", primary_ids=[ddi.id])
    pd = SecondaryDriver(text="Standards-based PD", primary_ids=[mindsets.id])
    deck = ChangeIdea(
        text="A standards-based lesson-planning slide deck",
        secondary_ids=[planning.id], benefit=4, effort=2, status="testing",
    )
    exit_tickets = ChangeIdea(text="Exit tickets as data points", secondary_ids=[planning.id])
    orphan = ChangeIdea(text="Buy a new math app")  # linked to nothing: solutionitis
    project = Project(
        team_id=FOX_TEAM.id,
        title="Math for every student",
        aim=Aim(
            what="students meet or exceed the state math standard", for_whom="grades 3-5",
            target=35, unit="%", by_when=dt.date(2027, 5, 31),
            text="By May 2027, at least 35% of students will meet or exceed the state math standard.",
        ),
        driver_diagram=DriverDiagram(
            primary_drivers=[ddi, mindsets], secondary_drivers=[planning, pd],
            change_ideas=[deck, exit_tickets, orphan],
        ),
    )
    if with_cycles:
        first = PDSACycle(
            change_idea_id=deck.id,
            cycle_number=1,
            question="Does the slide deck make weekly planning faster and more standards-based?",
            predictions=[
                Prediction(text="All three teachers will finish a week's plan in under an hour",
                           confidence="medium", result="partly",
                           what_data_showed="Two of three did; the new teacher took 90 minutes"),
                Prediction(text="Plans will name the standard for every lesson",
                           confidence="high", result="held",
                           what_data_showed="15 of 15 lessons named the standard"),
            ],
            plan=Plan(who="Ms Diaz (new), Mr Okafor (experienced), Mrs Lee (sceptical)",
                      what="Plan one week of math with the slide deck", when="Week of 5 Oct",
                      where="Grade 4 planning time", scale="three teachers",
                      data_to_collect="Minutes spent planning; standards named per lesson; a 3-question survey"),
            start_date=dt.date(2026, 10, 5),
            end_date=dt.date(2026, 10, 16),
            do_notes="All three used the deck. The sceptical teacher used it for two days only.",
            surprises="The new teacher asked for an example slide for each standard.",
            study_notes="Faster for experienced teachers; new teachers need worked examples.",
            act="adapt",
            act_reason="Add a worked example per standard, then try with all math and English teachers.",
        )
        project.pdsa_cycles.append(first)
    return project

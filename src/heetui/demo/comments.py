"""Verbatim material for the synthetic HEE 2019 survey.

Every sentence here was written for heetui; none is taken from the published report.
Comments are composed from per-theme sentences (praise, criticism, suggestion) so that
a comment's theme codes are known, plus a set of whole comments written as they are.
"""

from __future__ import annotations

THEMES: tuple[str, ...] = (
    "Funding transparency and timing",
    "Short deadlines and turnaround",
    "Point of contact and staff turnover",
    "Consistency between regions and teams",
    "Too medically focused / multi-professional",
    "Collaboration and partnership",
    "Strategy and follow-through",
    "Role clarity with NHSE/I",
    "Supportive individuals",
    "People Plan and workforce crisis",
    "Engagement and listening to the frontline",
)

# theme code -> (praise, criticism, suggestion) sentences
FRAGMENTS: dict[int, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    1: (
        ("Funding for our placements arrived on time this year, which made planning far easier.",
         "The tariff changes were explained clearly to our finance team.",
         "We finally understand how the education budget is split locally."),
        ("We still find out about funding allocations after the financial year has started.",
         "Nobody could tell us why our training budget dropped by a third.",
         "Money appears in February and has to be spent by March – it is no way to plan.",
         "The funding formulae are opaque and change without warning."),
        ("Publish funding allocations before the start of the financial year.",
         "Explain how money is divided between regions so we can see it is fair.",
         "Give multi-year funding commitments so we can recruit educators properly."),
    ),
    2: (
        ("They gave us a sensible amount of time to respond to the consultation.",),
        ("Requests land with a two-day deadline and no warning.",
         "We are asked for data returns at impossibly short notice, usually in August.",
         "Turnaround times are unrealistic for a trust our size.",
         "Bids have to be written over a weekend because the window is so short."),
        ("Give at least four weeks for bids and data returns.",
         "Share a forward calendar of requests so we can plan our staff time.",
         "Stop sending urgent requests that turn out not to be urgent."),
    ),
    3: (
        ("Our named contact knows us well and always picks up the phone.",
         "Having one person who knows our programmes saves us a lot of time."),
        ("Since the restructure I do not know who to contact about anything.",
         "Our contact has changed four times in two years.",
         "Emails go to a group mailbox and nobody replies.",
         "Every time someone leaves we lose the history and start again."),
        ("Give each organisation a named contact and tell us when it changes.",
         "Publish an up-to-date directory of who does what.",
         "Keep a handover note when staff move so we do not repeat ourselves."),
    ),
    4: (
        ("Our local office works in a joined-up way with the regional team.",),
        ("Each region seems to have its own rules for the same programme.",
         "What we are told by the local office contradicts what the regional team says.",
         "Colleagues in the next region get a completely different offer.",
         "It depends entirely on which team you deal with."),
        ("Agree one national approach and apply it the same way in every region.",
         "Share good practice between local offices instead of reinventing it.",
         "Make sure regional and local teams give the same answer."),
    ),
    5: (
        ("Good to see nursing and the allied health professions getting more attention.",
         "The multi-professional approach to workforce planning is a real step forward."),
        ("Everything still revolves around doctors in training.",
         "Pharmacy, healthcare science and the AHPs feel like an afterthought.",
         "It feels like a medical education body with other professions bolted on."),
        ("Give non-medical professions the same voice as medicine.",
         "Put a multi-professional lead in every region.",
         "Think about the whole team, not just junior doctors."),
    ),
    6: (
        ("We have a genuine partnership – they treat us as equals.",
         "Joint work on the apprenticeship programme went really well.",
         "The team is collaborative and keen to find shared solutions.",
         "They brought the universities and trusts round one table, which helped."),
        ("Partnership is talked about but decisions are made before we are involved.",
         "It feels like a transactional relationship rather than a partnership."),
        ("Co-design programmes with providers from the start.",
         "Work with local systems as partners rather than contract managers.",
         "Bring HEIs into planning earlier."),
    ),
    7: (
        ("The long-term direction is clear and sensible.",
         "They did what they said they would do on the placement review."),
        ("Lots of strategies, very little follow-through.",
         "Plans are announced and then quietly dropped.",
         "We never hear what happened to the feedback we gave.",
         "Priorities change with every new director."),
        ("Stick with a plan long enough to see whether it works.",
         "Report back on what was done with our feedback.",
         "Be clearer about priorities and what will not be done."),
    ),
    8: (
        ("It is clear to me what HEE does and what NHS England does.",),
        ("I honestly could not tell you where HEE stops and NHSE/I begins.",
         "The national part of HEE is a mystery to most of us in the regions.",
         "With all the mergers it is hard to know who is responsible for what.",
         "Roles overlap with NHS Improvement and the new regional teams."),
        ("Explain clearly what HEE is responsible for compared with NHSE/I.",
         "Set out how the national and regional parts of HEE fit together.",
         "Give us a simple one-page guide to who does what in the system."),
    ),
    9: (
        ("The people I deal with are supportive, knowledgeable and willing to help.",
         "Individuals go out of their way to help, even when the system is against them.",
         "Our local team are approachable and professional.",
         "I have always found staff helpful and open.",
         "The individuals are brilliant; the organisation less so."),
        ("Individuals try hard but are let down by the organisation around them.",),
        ("Keep the good people you have – they are your biggest asset.",
         "Give local staff more authority to make decisions."),
    ),
    10: (
        ("HEE understands the scale of the workforce challenge.",
         "The work on the People Plan has been useful for our planning."),
        ("The workforce crisis is real and HEE seems slow to respond.",
         "Vacancies keep rising and we see little practical help.",
         "The People Plan has raised expectations that nobody has funded."),
        ("Focus on retention as much as new supply.",
         "Help us fill the vacancies we have now, not only in ten years' time.",
         "Link workforce planning to the money needed to deliver it."),
    ),
    11: (
        ("They listened to our clinicians and changed the programme as a result.",
         "The engagement events were well run and worth attending."),
        ("They do not listen to people working on the front line.",
         "Consultations feel like a tick-box exercise.",
         "Views are sought after decisions are taken, not before."),
        ("Ask for our views earlier, while things can still change.",
         "Spend time in trusts and talk to frontline staff.",
         "Hold fewer, better engagement events with clear outcomes."),
    ),
}

# Whole comments written as they stand: (text, theme codes, tone) with tone +1/0/-1.
WHOLE: tuple[tuple[str, tuple[int, ...], int], ...] = (
    ("Good.", (9,), 1),
    ("Very helpful people.", (9,), 1),
    ("fine", (), 0),
    ("N/A", (), 0),
    ("No comment", (), 0),
    ("Mixed – some good, some frustrating.", (4,), 0),
    ("Its ok but could be better", (), 0),
    ("They are very supportve and responsive when we ask for help", (9,), 1),
    ("Too bureacratic. Too many forms.", (7,), -1),
    ("Not sure who they are anymore after all the changes", (3, 8), -1),
    ("Communication is poor and funding desicions are late.", (1,), -1),
    ("We have a strong relationship with our local office and meet them every month to "
     "review placements, quality visits and the education contract; it works well.", (6, 9), 1),
    ("I work closely with the Local Director and the team are excellent – responsive, "
     "informed and candid about what they can and cannot do.", (9, 6), 1),
    ("The relationship is cordial but distant. We only hear from them when a return is due.",
     (2, 11), -1),
    ("Great people, shame about the processes.", (9, 7), 0),
    ("Our experience of the quality visit was positive and the report was fair.", (6,), 1),
    ("They are helpful, but there is a lot of duplication with NHS England and we end up "
     "answering the same questions twice.", (8, 9), 0),
    ("The régional team have been supportive through a difficult year for us.", (9,), 1),
    ("Café-style engagement sessions were a nice idea; shame nothing came of them.", (11, 7), -1),
    ("Dépend on who you speak to – some are great, some never reply.", (3, 4), 0),
    ("As a small professional body we rarely hear from HEE unless we chase them. When we do "
     "get through, the conversation is constructive, but it always feels like we are at the "
     "back of the queue behind the big trusts and the royal colleges.", (11, 3), -1),
    ("Funding, deadlines, turnover. In that order.", (1, 2, 3), -1),
    ("Excellent support for our nursing associate programme.", (9, 5), 1),
    ("We are asked to do more with less every year and HEE does not seem to notice.",
     (10, 11), -1),
    ("The LWAB has been a useful forum for system partners.", (6,), 1),
    ("Frankly the relationship has got worse since the reorganisation.", (3, 7), -1),
    ("Open and honest conversations, even when the news is not good.", (9, 11), 1),
    ("I have no regular contact so cannot really comment.", (3,), 0),
    ("Helpful on the medical side; the rest of the workforce is invisible to them.", (5,), -1),
    ("Responsive, pragmatic, and they understand our local pressures.", (9, 6), 1),
    ("Still waiting for a reply to an email I sent in March.", (3,), -1),
    ("   ", (), 0),
    ("", (), 0),
)

INTERVIEW_OPENERS: tuple[str, ...] = (
    "To be honest, ",
    "From where I sit, ",
    "I think ",
    "Looking back over the year, ",
    "Speaking for my organisation, ",
    "",
)

"""Verbatim material for the synthetic HEE 2019 survey.

Every sentence here was written for heetui; none is taken from the published report.

A comment is built from *ideas*: each theme has praise, criticism and suggestion ideas, and
each idea is a handful of templates saying the same thing in different words, with
``{slots}`` for concrete details (months, regions, professions, programmes, deadlines) drawn
from ``SLOTS`` or, for the speaker's own organisation, from ``SPEAKER_SLOTS``. A template
starting with ``+`` is glowing and is only used in comments of respondents who describe the
relationship as positive; one starting with ``~`` (after any ``+``) is a fragment ("Budget
cut, no explanation.") that stands alone and takes no joining words or opener in front.
Suggestion templates start with an imperative verb (interview excerpts put "they should" and
the like in front of them).

The *number* of ideas in each list, and of entries in ``WHOLE`` and ``INTERVIEW_OPENERS``,
is part of the random stream that decides which respondent comments on what (see
verbatims.py): changing a count re-draws every comment's themes. Templates, slot values,
details, openers and closers can be added or reworded freely.
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

SLOTS: dict[str, tuple[str, ...]] = {
    "month": ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"),
    "late": ("February", "March", "late January", "the middle of February",
             "the second week of March", "the end of February"),
    "early": ("December", "the end of January", "Christmas", "the end of the calendar year",
              "mid-January"),
    "bad_month": ("August", "the summer holidays", "Christmas week", "the week before Easter",
                  "late July", "the first week of January"),
    "region": ("London", "the Midlands", "the North West", "the North East and Yorkshire",
               "the South West", "the South East", "the East of England"),
    "profs": ("physiotherapists", "pharmacists", "paramedics", "midwives", "radiographers",
              "healthcare scientists", "dietitians", "occupational therapists",
              "speech and language therapists", "podiatrists", "operating department "
              "practitioners", "physician associates", "dental nurses", "psychologists",
              "orthoptists"),
    "prof": ("physiotherapy", "pharmacy", "midwifery", "radiography", "dietetics",
             "occupational therapy", "podiatry", "paramedic science", "learning disability "
             "nursing", "mental health nursing", "speech and language therapy",
             "clinical psychology", "orthoptics"),
    "programme": ("the nursing associate programme", "the apprenticeship scheme",
                  "return to practice", "the placement expansion work",
                  "the advanced practice programme", "the preceptorship pilot",
                  "the simulation bid", "the clinical educator fund",
                  "the mental health workforce programme",
                  "the multi-professional supervision pilot",
                  "the international recruitment scheme", "the physician associate roll-out",
                  "the practice educator scheme", "the quality framework"),
    "notice": ("48 hours'", "two working days'", "three days'", "24 hours'", "a day's",
               "four days'", "less than a week's"),
    "deadline": ("two-day", "48-hour", "three-day", "next-day", "same-week", "24-hour",
                 "four-day"),
    "window": ("48 hours", "two working days", "three days", "a week", "four days",
               "ten days"),
    "weeks": ("four", "six", "eight", "three", "twelve"),
    "times": ("three", "four", "five", "six"),
    "nth": ("third", "fourth", "fifth", "sixth"),
    "span": ("two years", "eighteen months", "a year", "three years", "twelve months",
             "two and a half years"),
    "gap": ("three weeks", "a month", "six weeks", "two months", "five weeks"),
    "since": ("last spring", "the restructure", "the summer", "2017", "the last merger",
              "the start of the year"),
    "years": ("two", "three", "five"),
    "cut": ("a third", "a quarter", "almost half", "15%", "a fifth", "nearly 20%"),
    "money": ("£40,000", "£85k", "£120,000", "£250k", "£60k", "£30,000", "£500k"),
    "return": ("the workforce data return", "the education contract return",
               "the placement activity return", "the quarterly monitoring return",
               "the learner numbers return", "the STP workforce plan",
               "the training post audit", "the annual self-assessment"),
    "team": ("the local office", "the regional team", "the national team", "the quality team",
             "the workforce planning team", "the finance team", "the LWAB team"),
    "role": ("our education lead", "our head of workforce", "the programme lead",
             "our director", "my team", "our chief executive", "the placement lead",
             "our finance director"),
    "event": ("the stakeholder conference", "the spring roadshow", "the workforce summit",
              "the regional listening event", "the LWAB away day", "the placement workshop",
              "the webinar series"),
    "freq": ("month", "six weeks", "quarter", "fortnight"),
}

# Slots that depend on who is speaking: survey respondents by stakeholder type
# (hei, trust, other), interviewees by their attribution.
SPEAKER_SLOTS: dict[str, dict[str, tuple[str, ...]]] = {
    "org": {"hei": ("the university", "our school", "the faculty"),
            "trust": ("the trust", "our trust", "our organisation"),
            "other": ("our organisation", "the organisation"),
            "alb": ("our organisation", "the organisation"),
            "college": ("the college", "our college"),
            "professional": ("our organisation", "our professional body")},
    "size_org": {"hei": ("a university department our size", "a school our size"),
                 "trust": ("a trust our size", "a small trust like ours"),
                 "other": ("an organisation our size", "a small team like ours"),
                 "alb": ("an organisation our size",),
                 "college": ("a college our size", "a small college"),
                 "professional": ("a body our size", "a small organisation like ours")},
    "org_kind": {"hei": ("university", "education provider"),
                 "trust": ("trust", "provider"),
                 "other": ("organisation", "partner"),
                 "alb": ("organisation", "partner"),
                 "college": ("college", "partner"),
                 "professional": ("professional body", "partner")},
    "we_are": {"hei": ("a smaller university", "a modest-sized school of health"),
               "trust": ("a small trust", "a community trust"),
               "other": ("a small professional body", "a small organisation"),
               "alb": ("a smaller national body",),
               "college": ("a small royal college",),
               "professional": ("a small professional body",)},
    "speaker_org": {"hei": ("the university", "our school"),
                    "trust": ("the trust", "our trust"),
                    "other": ("my organisation", "our organisation"),
                    "alb": ("our organisation", "my organisation"),
                    "college": ("the college", "our college"),
                    "professional": ("our members", "the profession")},
    "where": {"hei": ("a university",), "trust": ("a trust", "a provider"),
              "other": ("outside the NHS", "the outside"), "alb": ("a national body",),
              "college": ("a royal college",), "professional": ("a professional body",)},
}

Idea = tuple[str, ...]
# theme code -> (praise ideas, criticism ideas, suggestion ideas)
IDEAS: dict[int, tuple[tuple[Idea, ...], tuple[Idea, ...], tuple[Idea, ...]]] = {
    1: (
        (
            ("Funding for our placements arrived on time this year, which made planning far "
             "easier.",
             "The placement funding came through when it was promised this year, so {org} "
             "could plan intakes properly.",
             "For once the allocation letter arrived before the start of the financial year, "
             "which made a real difference.",
             "Money for {programme} was confirmed in good time, and that let us recruit "
             "before the autumn.",
             "We had our funding confirmed by {early} – a big improvement on previous years.",
             "+Funding for {programme} arrived exactly when they said it would, which was "
             "excellent.",
             "~Funding on time this year."),
            ("The tariff changes were explained clearly to our finance team.",
             "Someone from {team} walked our finance colleagues through the tariff changes, "
             "which was useful.",
             "The briefing on the education tariff was clear and answered most of our "
             "questions.",
             "They took the time to go through the tariff changes with {role} line by line.",
             "+The tariff briefing in {month} was outstanding – clear, candid and well "
             "timed."),
            ("We finally understand how the education budget is split locally.",
             "Seeing the local education budget laid out line by line was helpful, and a "
             "first for us.",
             "It is much clearer now how the money for {programme} is allocated.",
             "They shared the allocation method for {programme}, which built trust with "
             "{role}.",
             "The funding breakdown they circulated in {month} made the local budget far "
             "easier to follow.",
             "~Budget split finally clear."),
        ),
        (
            ("We still find out about funding allocations after the financial year has "
             "started.",
             "Allocations for {programme} were confirmed in {late}, long after we needed "
             "them.",
             "Once again the funding letter came after the year had started, so we were "
             "planning blind.",
             "We were told our allocation in {late} – far too late to recruit anyone that "
             "year.",
             "It was {month} before we knew what funding {org} would get for the year.",
             "Funding confirmation for {programme} slipped to {late} yet again.",
             "~Funding allocations always late."),
            ("Nobody could tell us why our training budget dropped by {cut}.",
             "Our education funding fell by {cut} and we are still waiting for an "
             "explanation.",
             "The budget for {programme} was cut by {cut} with no reason given.",
             "We lost {money} of training money this year and nobody has explained why.",
             "Funding for {prof} placements went down by {cut} without a word of "
             "explanation.",
             "~Budget cut, no explanation."),
            ("Money appears in February and has to be spent by March – it is no way to plan.",
             "One-off money turns up in {late} with an instruction to spend it by the end of "
             "March.",
             "Every year there is a rush of non-recurrent funding at year end that we can "
             "barely use well.",
             "We were offered {money} in {late} on condition it was spent within {weeks} "
             "weeks.",
             "Year-end funding arrives too late to spend sensibly, so it goes on whatever can "
             "be bought by 31 March.",
             "~Year-end money, impossible to spend well."),
            ("The funding formulae are opaque and change without warning.",
             "Nobody seems able to explain how the allocation formula works, including the "
             "people who apply it.",
             "The rules for {programme} funding changed twice in {span} without any warning.",
             "Funding decisions feel like they are made in a black box.",
             "We asked {team} {times} times how our allocation was calculated and never got "
             "a straight answer.",
             "~Opaque funding rules."),
        ),
        (
            ("Publish funding allocations before the start of the financial year.",
             "Confirm allocations by {early} so we can plan intakes.",
             "Tell us what funding {org} will get before the year starts, not halfway "
             "through it.",
             "Commit to a date for allocation letters and stick to it.",
             "Get the funding for {programme} confirmed before we have to make offers to "
             "students.",
             "Confirm the allocation for {programme} by {early} at the latest.",
             "Allocate funding earlier."),
            ("Explain how money is divided between regions so we can see it is fair.",
             "Publish the regional split of education funding and the reasoning behind it.",
             "Show how {region} compares with other regions on funding per learner.",
             "Set out the funding formula in plain English and publish it.",
             "Publish each region's share of the education budget, {region} included, with the "
             "method used.",
             "Explain why funding per learner differs between {region} and its neighbours."),
            ("Give multi-year funding commitments so we can recruit educators properly.",
             "Commit to funding {programme} for at least {years} years.",
             "Move to multi-year allocations – nobody can build a faculty on one-year money.",
             "Offer {years}-year funding settlements so that educator posts are not on "
             "rolling fixed-term contracts.",
             "Fund {prof} education on a multi-year basis so the posts survive beyond "
             "March.",
             "Commit to multi-year funding."),
        ),
    ),
    2: (
        (
            ("They gave us a sensible amount of time to respond to the consultation.",
             "We were given {weeks} weeks to respond to the consultation, which was "
             "reasonable.",
             "The deadline for {return} was realistic this year, and they warned us well in "
             "advance.",
             "For {programme} they gave us proper notice and a sensible deadline.",
             "They flagged {return} {weeks} weeks ahead, so there was no last-minute "
             "scramble.",
             "Deadlines have become more reasonable; we had {weeks} weeks for the last bid.",
             "They agreed to extend the deadline for {return} when we asked, which we "
             "appreciated.",
             "The timetable for {programme} bids was published early, which helped a lot.",
             "+Turnaround times on {return} were handled brilliantly – plenty of notice and "
             "flexibility when we needed it.",
             "~Sensible deadlines this year."),
        ),
        (
            ("Requests land with {notice} notice and no warning.",
             "We get requests with {notice} notice and are expected to drop everything.",
             "The request for {return} came with {notice} notice, again.",
             "Too many requests arrive with a {deadline} deadline attached.",
             "A {deadline} deadline for a bid that takes a week to write is not realistic.",
             "It would be naïve to expect anything better than a {deadline} deadline these "
             "days.",
             "~Deadlines far too short."),
            ("We are asked for data returns at impossibly short notice, usually in August.",
             "The data requests always seem to arrive in {bad_month}, when half the team is "
             "on leave.",
             "We had to complete {return} in {bad_month} with hardly any notice.",
             "Short-notice data returns in {bad_month} are a real problem for small teams.",
             "Last year {return} was due in {bad_month} at a few days' notice.",
             "~Summer data requests again."),
            ("Turnaround times are unrealistic for {size_org}.",
             "The turnaround expected of us is unrealistic for {size_org}.",
             "Turnaround times assume we have a team sitting waiting for requests; we do not.",
             "We are expected to turn things round in days when they would take {weeks} "
             "weeks to do properly.",
             "Nothing about the turnaround times reflects how stretched {org} is.",
             "~Unrealistic turnaround times."),
            ("Bids have to be written over a weekend because the window is so short.",
             "The bidding window for {programme} was so short that {role} wrote the bid over "
             "a weekend.",
             "Bidding windows of {window} favour whoever has spare capacity, not the best "
             "ideas.",
             "We missed out on {programme} money simply because the bidding window was too "
             "short.",
             "Short bidding windows mean rushed bids and weaker projects.",
             "~Bid windows too short."),
        ),
        (
            ("Give at least four weeks for bids and data returns.",
             "Give us at least {weeks} weeks for any bid or data return.",
             "Allow a minimum of {weeks} weeks' notice for {return}.",
             "Set a minimum notice period for requests and keep to it.",
             "Build realistic turnaround times into every request.",
             "Give longer deadlines."),
            ("Share a forward calendar of requests so we can plan our staff time.",
             "Publish a calendar of returns and deadlines at the start of the year.",
             "Tell us in {month} what will be asked of us over the following quarter, with "
             "the deadlines.",
             "Give us a forward look at data requests so they do not all land in "
             "{bad_month}.",
             "Coordinate deadlines with NHS England so returns do not pile up in the same "
             "week.",
             "Publish the dates of {return} and the other returns a year ahead."),
            ("Stop sending urgent requests that turn out not to be urgent.",
             "Keep 'urgent' for things that really are urgent.",
             "Think twice before marking a request urgent – most of them are not.",
             "Avoid last-minute deadlines unless there is a genuine reason for them.",
             "Stop asking at short notice for data we already sent in {month}.",
             "Stop marking every request about {return} as urgent.",
             "Send fewer 'urgent' requests."),
        ),
    ),
    3: (
        (
            ("Our named contact knows us well and always picks up the phone.",
             "Our contact at the local office knows {org} inside out and is easy to reach.",
             "We have had the same contact for {span}, which makes a huge difference.",
             "Our named contact gets back to us within a day, usually sooner.",
             "Having a named contact who understands {programme} has saved us a lot of "
             "chasing.",
             "+Our contact is superb – she knows our programmes and always replies the same "
             "day.",
             "+Our named contact is excellent: responsive, well informed and easy to talk "
             "to.",
             "Our named contact for {programme} is easy to reach and knows the history.",
             "Our contact is very good."),
            ("Having one person who knows our programmes saves us a lot of time.",
             "A single point of contact for {programme} has made life much simpler.",
             "It helps enormously to have one person to call rather than a generic mailbox.",
             "Since we were given a single contact, queries get resolved in days rather than "
             "weeks.",
             "One consistent contact has meant we no longer repeat our history to someone "
             "new.",
             "Having one person in {team} who knows us has saved a lot of time."),
        ),
        (
            ("Since the restructure I do not know who to contact about anything.",
             "After the latest restructure nobody at {org} knows who to contact.",
             "I have no idea who our contact is for {programme} any more.",
             "We spent {gap} trying to find out who now deals with {programme}.",
             "It is unclear who we should contact – the names on the website are out of "
             "date.",
             "~No idea who to contact."),
            ("Our contact has changed four times in two years.",
             "Our contact has changed {times} times in {span}.",
             "We have had {times} different contacts in {span}, each starting from scratch.",
             "Every few months there is a new name on the emails and we explain everything "
             "again.",
             "We are now on our {nth} contact since {since}.",
             "Contacts keep changing."),
            ("Emails go to a group mailbox and nobody replies.",
             "Messages sent to the generic mailbox disappear without trace.",
             "We were told to use the group mailbox; {gap} later we are still waiting for a "
             "reply.",
             "The shared mailbox is where queries go to die.",
             "I emailed the team mailbox in {month} and have never had a reply.",
             "Nobody answers the mailbox."),
            ("Every time someone leaves we lose the history and start again.",
             "When our contact left, everything we had agreed left with them.",
             "Staff turnover means nobody remembers what was agreed about {programme}.",
             "New staff arrive with no handover, so we explain our situation from scratch "
             "each time.",
             "High turnover in {team} means decisions get revisited over and over.",
             "~Too much staff turnover."),
        ),
        (
            ("Give each organisation a named contact and tell us when it changes.",
             "Assign every {org_kind} a named contact and keep the list up to date.",
             "Give us one named person for {programme} and let us know if they move.",
             "Make sure every partner has a named contact, with a deputy for holidays.",
             "Tell us promptly when our contact changes, and who replaces them.",
             "Give every {org_kind} one named contact in {team}, and a deputy.",
             "Name a contact for every partner."),
            ("Publish an up-to-date directory of who does what.",
             "Keep an up-to-date contact list on the website, by team and by region.",
             "Publish an organogram with names and contact details for {team}.",
             "Put a current list of contacts online and actually keep it current.",
             "Publish a directory of contacts in {team}, with names and roles, and keep it "
             "current.",
             "Publish who to contact about {programme}, and update it when people move.",
             "Keep an up-to-date contact directory."),
            ("Keep a handover note when staff move so we do not repeat ourselves.",
             "Write proper handover notes when contacts change.",
             "Make handovers part of the job when staff leave, so the history is not lost.",
             "Hold on to experienced staff – the churn in {team} is costing everyone time.",
             "Introduce the new contact properly when someone leaves, rather than letting us "
             "find out by chance.",
             "Make sure a handover note follows every change of contact for {programme}.",
             "Keep a written history of what has been agreed with {org} so a new contact can pick "
             "it up."),
        ),
    ),
    4: (
        (
            ("Our local office works in a joined-up way with the regional team.",
             "The local and regional teams give us the same message, which has not always "
             "been the case.",
             "Things are more consistent between offices than they used to be.",
             "The regional team and our local office now speak with one voice on "
             "{programme}.",
             "Guidance on {programme} was the same whichever office we asked, which was "
             "refreshing.",
             "There is much better consistency across {region} than a couple of years ago.",
             "The team covering {region} applies the rules consistently and explains any "
             "local differences.",
             "Colleagues in {region} and our local office clearly talk to each other, which "
             "helps.",
             "+The local office and regional team work brilliantly together – we get one "
             "consistent answer.",
             "~More consistent between offices now."),
        ),
        (
            ("Each region seems to have its own rules for the same programme.",
             "The rules for {programme} differ from one region to the next.",
             "Every region interprets {programme} differently.",
             "We work across two regions and have to follow two sets of rules for the same "
             "thing.",
             "It feels like {region} runs its own version of {programme}, unlike other regions.",
             "~Different rules in every region."),
            ("What we are told by the local office contradicts what the regional team says.",
             "The local office and the regional team gave us opposite answers on "
             "{programme}.",
             "We regularly get one answer from the local office and another from the "
             "regional team.",
             "The regional team overruled what the local office had agreed with us in "
             "{month}.",
             "Local and regional teams do not seem to talk to each other."),
            ("Colleagues in the next region get a completely different offer.",
             "Organisations in {region} get support that those in our region simply do not.",
             "Our counterparts in {region} get a better deal on {programme} than our region.",
             "Why {region} can run {programme} and other regions cannot is a mystery.",
             "The offer varies so much between regions that it feels like a postcode "
             "lottery."),
            ("It depends entirely on which team you deal with.",
             "How well things go depends completely on which team picks it up.",
             "The quality of support varies hugely from team to team.",
             "Some teams are very good, others barely engage – there is no consistency.",
             "It is a lottery which team you end up with.",
             "Support depends entirely on which team covering {region} you happen to get.",
             "~Depends which team you get."),
        ),
        (
            ("Agree one national approach and apply it the same way in every region.",
             "Apply the same rules for {programme} in every region.",
             "Standardise the core processes across regions and explain any local variation.",
             "Set a single national standard for {programme} and stick to it everywhere.",
             "Take one consistent national approach."),
            ("Share good practice between local offices instead of reinventing it.",
             "Get the local offices to learn from each other – {region} does some things "
             "very well.",
             "Spread what works in one region to the others rather than starting afresh each "
             "time.",
             "Let the regions share their templates and tools instead of each designing their "
             "own.",
             "Share what the team covering {region} does well with the other local offices.",
             "Share good practice on {programme} across local offices."),
            ("Make sure regional and local teams give the same answer.",
             "Get the local and regional teams to agree before they come to us.",
             "Check that the local office and the regional team are saying the same thing.",
             "Make the local and regional teams consistent in what they ask of us.",
             "Make sure the local office and the regional team give the same answer on "
             "{programme}.",
             "Agree a single answer on {programme} across local and regional teams before telling "
             "us.",
             "Give consistent answers between teams."),
        ),
    ),
    5: (
        (
            ("~Good to see nursing and the allied health professions getting more attention.",
             "It is good to see {profs} getting more attention alongside the medical "
             "workforce.",
             "Nursing and the AHPs are finally getting a fairer share of attention.",
             "The recent focus on {prof} as a profession has been welcome.",
             "Non-medical professions are much more visible in their work than they were.",
             "+~Great to see {profs} given real prominence – the support for the non-medical "
             "professions has been excellent."),
            ("+The multi-professional approach to workforce planning is a real step forward.",
             "Workforce planning now looks at the whole multi-professional team, which we "
             "welcome.",
             "Bringing {profs} into the same planning conversation as doctors has been an "
             "improvement.",
             "The multi-professional education work in {region} has been useful.",
             "Including {profs} in {programme} was a sensible multi-professional step."),
        ),
        (
            ("Everything still revolves around doctors in training.",
             "The conversation always comes back to junior doctors.",
             "Medical training gets the attention; {profs} get whatever is left.",
             "It still feels as if doctors in training are the only workforce that counts.",
             "Any meeting about the workforce turns into a meeting about medical posts.",
             "~Still too focused on doctors."),
            ("Pharmacy, healthcare science and the AHPs feel like an afterthought.",
             "Professions such as {prof} feel like an afterthought.",
             "Support for {prof} is an afterthought next to medicine.",
             "There is very little for {prof}; the profession barely features in their plans.",
             "Non-medical professions like {prof} had to fight to be included in "
             "{programme}.",
             "AHPs are an afterthought."),
            ("It feels like a medical education body with other professions bolted on.",
             "It still behaves like a deanery with the other professions tacked on.",
             "Underneath the talk of the whole workforce, it is still a medical education "
             "organisation.",
             "The culture remains medical first, with the other professions added later.",
             "Most of the senior people come from medicine, and it shows in the priorities.",
             "It is still a medical education body at heart, and {profs} can tell."),
        ),
        (
            ("Give non-medical professions the same voice as medicine.",
             "Give {profs} a seat at the table alongside the medical leads.",
             "Make sure {prof} has the same say as medicine in decisions about education.",
             "Put nursing and the allied health professions on an equal footing with "
             "doctors.",
             "Give all professions an equal voice."),
            ("Put a multi-professional lead in every region.",
             "Appoint a senior lead for the non-medical professions in {region} and every "
             "other region.",
             "Have a named multi-professional lead in each local office.",
             "Create a regional lead for {prof} and the other smaller professions."),
            ("Think about the whole team, not just junior doctors.",
             "Plan for the whole multi-professional team rather than medical posts alone.",
             "Look beyond the doctors – {profs} are just as short.",
             "Remember that {profs} train too, and need placements as much as medical "
             "students.",
             "Think beyond medical posts."),
        ),
    ),
    6: (
        (
            ("+We have a genuine partnership – they treat us as equals.",
             "+It feels like a real partnership, with {team} treating us as equals.",
             "They generally treat {org} as a partner rather than a provider to be managed.",
             "The working relationship with {team} feels like a partnership most of the "
             "time.",
             "We are treated as partners in the discussions about {programme}."),
            ("+Joint work on the apprenticeship programme went really well.",
             "+Joint work on {programme} went really well.",
             "Working together on {programme} has been productive.",
             "Our joint project on {programme} was well organised and delivered what it "
             "promised.",
             "We collaborated with {team} on {programme} and it went smoothly.",
             "Joint working has been productive."),
            ("The team is collaborative and keen to find shared solutions.",
             "Staff from {team} are collaborative and keen to find shared solutions.",
             "They work collaboratively and look for answers that suit everyone.",
             "There is a willingness to collaborate on problems rather than hand them back "
             "to us.",
             "+The collaboration with {team} has been excellent from start to finish.",
             "Colleagues in {team} have been collaborative on {programme}."),
            ("They brought the universities and trusts round one table, which helped.",
             "Getting the universities, trusts and {team} round one table was a real help.",
             "The LWAB brought partners together in a way that nobody else could.",
             "They convened a useful meeting of trusts and universities on {programme}.",
             "Bringing partners together in {region} to discuss {programme} was worthwhile."),
        ),
        (
            ("Partnership is talked about but decisions are made before we are involved.",
             "We are called partners, yet decisions on {programme} were made before anyone "
             "spoke to us.",
             "The word partnership gets used a lot, but we are usually consulted after the "
             "fact.",
             "We were invited to collaborate on {programme} once the plan had already been "
             "agreed.",
             "Partnership seems to mean being told what has been decided.",
             "Partnership with providers is something of a façade – decisions are made before "
             "we are involved."),
            ("It feels like a transactional relationship rather than a partnership.",
             "The relationship is mostly contract monitoring rather than partnership.",
             "We are treated like a supplier to be managed, not a partner.",
             "Contact is transactional – a contract, a return, a deadline – rather than "
             "working together.",
             "Our relationship with {team} has become purely transactional since {since}.",
             "There is very little real collaboration; it is mostly requests and returns.",
             "~Transactional, not a partnership."),
        ),
        (
            ("Co-design programmes with providers from the start.",
             "Involve providers in designing {programme} from day one, not at the "
             "consultation stage.",
             "Co-produce new programmes with the organisations that will deliver them.",
             "Design {programme} together with trusts and universities rather than for "
             "them.",
             "Co-design with providers."),
            ("Work with local systems as partners rather than contract managers.",
             "Treat {org} as a partner, not just a contract to be monitored.",
             "Spend less effort on contract monitoring and more on working with us.",
             "Work with the STPs as equal partners.",
             "Work with {org} as a partner on {programme}, not as a contract manager.",
             "Act as a partner to the systems in {region} rather than a contract manager."),
            ("Bring HEIs into the partnership much earlier in planning.",
             "Involve universities in workforce planning at the start, not the end.",
             "Involve the universities earlier in commissioning decisions.",
             "Bring HEIs and trusts together much earlier in the planning cycle.",
             "Involve education providers before the numbers for {programme} are set."),
        ),
    ),
    7: (
        (
            ("The long-term direction is clear and sensible.",
             "The strategy for the next few years makes sense and is clearly explained.",
             "We understand the direction of travel and broadly agree with it.",
             "The workforce strategy is clearer than it has been for years.",
             "+The strategic direction is excellent and well communicated.",
             "The direction set for {programme} is clear and sensible.",
             "The plan for {region} over the next few years is clear."),
            ("They did what they said they would do on the placement review.",
             "They delivered on {programme} as promised.",
             "The actions agreed in {month} were followed through.",
             "When they commit to something, they generally deliver it.",
             "The review of {programme} was carried out as planned and the findings were "
             "shared."),
        ),
        (
            ("~Lots of strategies, very little follow-through.",
             "~Plenty of strategy documents, not much delivery.",
             "There is no shortage of plans; what is missing is follow-through.",
             "Strategies are launched with fanfare and then nothing happens.",
             "The strategy for {programme} looks good on paper but we have seen little "
             "delivery.",
             "It is a bit of a cliché, but there are lots of strategies and very little "
             "follow-through.",
             "~Plenty of strategy, little delivery."),
            ("Plans are announced and then quietly dropped.",
             "We heard about plans for {programme} in {month}, and then nothing more.",
             "Initiatives are planned, launched and then quietly shelved.",
             "Several plans we invested time in were dropped without explanation.",
             "Pilots start with enthusiasm and are dropped before anyone evaluates them.",
             "~Plans announced, then dropped."),
            ("We never hear what happened to the feedback we gave.",
             "We gave detailed feedback on {programme} and heard nothing back.",
             "Our feedback disappears and we are never told what, if anything, changed.",
             "We responded to the review in {month} and never saw the outcome.",
             "There is no follow-up after we give feedback.",
             "Feedback goes nowhere."),
            ("Priorities change with every new director.",
             "Each new director brings a new set of priorities.",
             "The priorities changed {times} times in {span}.",
             "What was a priority in {month} is no longer mentioned.",
             "Priorities shift so often that it is hard to plan anything."),
        ),
        (
            ("Stick with a plan long enough to see whether it works.",
             "Commit to fewer initiatives and see them through.",
             "Give {programme} time to deliver before replacing it with the next plan.",
             "Finish what has been started before launching anything new.",
             "Follow through on plans."),
            ("Report back on what was done with our feedback.",
             "Tell us what changed as a result of our feedback at {event}.",
             "Close the loop: publish what you did with the feedback you received.",
             "Send a short 'you said, we did' note after every review.",
             "Tell us what happened to the feedback on {programme}.",
             "Report back on feedback."),
            ("Be clearer about priorities and what will not be done.",
             "Publish a short list of priorities and say what has been dropped.",
             "Say clearly what the top priorities are for the year, and keep to them.",
             "Be honest about which plans are not going ahead.",
             "Be clear whether {programme} is still a priority."),
        ),
    ),
    8: (
        (
            ("It is clear to me what HEE does and what NHS England does.",
             "I understand where HEE's remit ends and NHS England's begins.",
             "The split of responsibilities between HEE and NHSE/I has been explained well.",
             "Roles between HEE and the NHSE/I regional teams are clearer than they were.",
             "The joint regional posts with NHS Improvement have made roles easier to follow.",
             "The briefing in {month} on who does what across HEE and NHSE/I was helpful.",
             "We know which questions go to HEE and which to NHS England – it took a while, "
             "but it works.",
             "Since the regional teams aligned, responsibilities in {region} are much "
             "clearer.",
             "+Role clarity between HEE and NHSE/I in {region} is excellent – we always know "
             "who leads.",
             "It is clear who leads on {programme}: HEE or NHS England.",
             "The roles of HEE and NHSE/I on {programme} have been explained well."),
        ),
        (
            ("I honestly could not tell you where HEE stops and NHSE/I begins.",
             "Where HEE ends and NHS England begins is a mystery to most of my colleagues.",
             "Nobody at {org} could explain the difference between HEE and NHSE/I.",
             "The boundary between HEE and NHS Improvement is blurred at best.",
             "I am never sure whether a question about {programme} is for HEE or NHS "
             "England.",
             "~Unclear roles versus NHSE/I."),
            ("The national part of HEE is a mystery to most of us in the regions.",
             "What the national team does, as opposed to the regions, is unclear to us.",
             "We see the regional team but have no idea what the national team's role is.",
             "The national and regional roles overlap in ways nobody has explained.",
             "The role of the national team in {programme} is a mystery to us."),
            ("With all the mergers it is hard to know who is responsible for what.",
             "After the latest mergers, responsibility for {programme} is anyone's guess.",
             "The constant restructuring of national bodies makes it hard to know who is "
             "responsible.",
             "Since the mergers we have been passed between HEE and NHSE/I on {programme}.",
             "Every merger brings a sense of déjà vu: nobody knows who is responsible for "
             "what."),
            ("Roles overlap with NHS Improvement and the new regional teams.",
             "There is real overlap with NHS Improvement, and we get asked for the same "
             "information twice.",
             "HEE and NHSE/I both claim a role in {programme}, which creates duplication.",
             "The overlap with the NHSE/I regional teams means two sets of meetings about "
             "the same thing.",
             "We report the same workforce data to HEE and to NHS Improvement – pure "
             "duplication."),
        ),
        (
            ("Explain clearly what HEE is responsible for compared with NHSE/I.",
             "Set out plainly which responsibilities sit with HEE and which with NHS England.",
             "Clarify who leads on {programme}: HEE or NHSE/I.",
             "Agree roles with NHS England and tell the rest of us.",
             "Clarify roles with NHSE/I."),
            ("Set out how the national and regional parts of HEE fit together.",
             "Explain the role of the national team compared with the regional teams.",
             "Describe how national and regional responsibilities divide on {programme}.",
             "Make the national team's role visible to those of us in the regions."),
            ("Give us a simple one-page guide to who does what in the system.",
             "Produce a single diagram of who does what across HEE, NHSE/I and the STPs.",
             "Publish a plain-English guide to roles and responsibilities across the system.",
             "Write down who is responsible for what, on one page, and keep it updated.",
             "Publish a guide to who is responsible for {programme} across the system.",
             "Publish a simple guide to who does what."),
        ),
    ),
    9: (
        (
            ("The people I deal with are supportive, knowledgeable and willing to help.",
             "The staff I work with are knowledgeable and always willing to help.",
             "Everyone I have dealt with in {team} has been supportive and well informed.",
             "People at the local office know their stuff and are happy to help.",
             "The team we deal with on {programme} are supportive and knowledgeable.",
             "+The individuals I deal with are excellent – supportive, knowledgeable and "
             "quick to help.",
             "~Supportive, knowledgeable staff."),
            ("Individuals go out of their way to help, even when the system is against them.",
             "Individual staff often go the extra mile for us.",
             "Some individuals have gone well beyond their job to help us with {programme}.",
             "People in {team} regularly go out of their way to sort things out for us.",
             "Staff will go out of their way to help, sometimes in spite of the processes.",
             "+One or two individuals have been outstanding, going out of their way to "
             "help."),
            ("Our local team are approachable and professional.",
             "The team covering {region} are approachable, professional and easy to deal "
             "with.",
             "Staff are approachable and deal with us professionally.",
             "The people at the local office are approachable and never make us feel a "
             "nuisance.",
             "+Our local team are brilliant: approachable, professional and always on our "
             "side.",
             "Our contacts in {team} are approachable and professional.",
             "The people we deal with on {programme} are approachable and professional.",
             "~Approachable, professional team."),
            ("I have always found staff helpful and open.",
             "In my experience the staff are helpful and open with us.",
             "The staff I meet through {programme} are open and helpful.",
             "I find the people there helpful and willing to share what they know.",
             "Staff have always been open with us, even when they could not help.",
             "~Helpful and open staff."),
            ("+The individuals are brilliant; the organisation less so.",
             "The individuals are good; the organisation less so.",
             "~Good individuals, working in a difficult organisation.",
             "I rate the people highly, the organisation rather less.",
             "The staff are better than the structures they work within.",
             "+~Brilliant people, some of the best I have worked with, in a confusing "
             "organisation.",
             "The people in {team} are good; the organisation around them less so.",
             "~Good individuals in {team}, working in a difficult organisation.",
             "Individuals on {programme} are good even when the organisation gets in the way."),
        ),
        (
            ("Individuals try hard but are let down by the organisation around them.",
             "Staff try hard but are let down by the systems around them.",
             "Good people are being worn down by constant restructuring.",
             "The staff we deal with are stretched too thin to help properly.",
             "People there mean well but seem to have no authority to decide anything.",
             "Individuals are helpful in private but cannot give a straight answer in "
             "public.",
             "Our contact is pleasant but rarely able to actually help.",
             "Staff seem demoralised after the changes, and it shows in the support we get.",
             "The people are willing, but they are overloaded and it shows.",
             "Individual staff do their best, but the organisation lets them down too often.",
             "The team covering {region} are clearly overstretched and it shows.",
             "Staff in {team} are doing two jobs at once and cannot give us the support we "
             "need.",
             "The staff on {programme} try hard but are let down by the organisation.",
             "Our contact covering {region} tries hard but is let down by the systems around "
             "them.",
             "~Good staff, stretched too thin."),
        ),
        (
            ("Keep the good people you have – they are your biggest asset.",
             "Hold on to the good staff in {team}; they are the reason things work.",
             "Look after your staff – the good ones are what keeps the relationship going.",
             "Keep the experienced people; each time one leaves we lose a great deal.",
             "Value the people in the local offices – they are your best asset.",
             "Keep the team covering {region} together; it works.",
             "Protect the staff who know {programme} from the next restructure.",
             "Keep the people who know our patch and stop moving them around.",
             "Recognise the staff who go the extra mile for partners like us.",
             "Invest in the people you have rather than in another reorganisation.",
             "Keep {team} staffed by people who know the local system.",
             "Look after the individuals who hold the relationships – without them it falls "
             "apart.",
             "Keep the staff who know {programme} – they are your biggest asset.",
             "Hold on to the people covering {region} who know our patch.",
             "Look after the staff in {team}; they are the best thing about HEE.",
             "Keep your good staff."),
            ("Give local staff more authority to make decisions.",
             "Let local staff make decisions without waiting on the national team.",
             "Give the local office the authority to agree things on the spot.",
             "Empower the staff in {team} to sign things off themselves.",
             "Trust your local people to make decisions about {programme}.",
             "Give our contact in {region} the authority to actually decide things.",
             "Let the people who know us make the call instead of escalating everything.",
             "Delegate more to local staff – they know the situation best.",
             "Give local teams a budget they can commit without going up the line.",
             "Allow staff to use their judgement rather than follow a script.",
             "Let local staff agree small changes to {programme} without a formal request.",
             "Give the staff covering {region} more authority to make decisions.",
             "Let the team running {programme} make decisions locally.",
             "Empower local staff."),
        ),
    ),
    10: (
        (
            ("HEE understands the scale of the workforce challenge.",
             "They clearly understand how serious the workforce shortages are.",
             "There is a real grasp of the workforce pressures facing {org}.",
             "Their analysis of workforce gaps in {region} matches what we see on the "
             "ground.",
             "+They get the workforce crisis better than anyone else in the system – their "
             "analysis is excellent.",
             "They understand the workforce shortages in {prof}."),
            ("The work on the People Plan has been useful for our planning.",
             "Their input to the interim People Plan was thoughtful and practical.",
             "The People Plan workshops in {month} helped shape our own workforce plan.",
             "The workforce modelling they shared for the People Plan has been useful.",
             "The People Plan work gave us a useful framework for {prof} recruitment."),
        ),
        (
            ("The workforce crisis is real and HEE seems slow to respond.",
             "We are in a workforce crisis and the response feels painfully slow.",
             "Shortages in {prof} have been obvious for years and the response is still "
             "slow.",
             "The scale of the workforce crisis is not matched by the pace of the response.",
             "It took {gap} to get any response to a workforce gap we flagged in {month}.",
             "~Workforce crisis, slow response."),
            ("Vacancies keep rising and we see little practical help.",
             "Our vacancy rate in {prof} is rising and practical help is thin on the ground.",
             "We are carrying more vacancies than ever and have had little practical "
             "support.",
             "Vacancies in {prof} have doubled in {span} with no practical help.",
             "Recruitment is harder every month and the help on offer is mostly reports.",
             "~Vacancies rising, little help."),
            ("The People Plan has raised expectations that nobody has funded.",
             "The interim People Plan promises a lot but there is no money behind it.",
             "Everyone is talking about the People Plan; nobody can tell us how it will be "
             "paid for.",
             "We have been asked to deliver People Plan ambitions with the same workforce "
             "and less money.",
             "The People Plan reads well but has not changed anything for {profs} yet.",
             "~People Plan unfunded."),
        ),
        (
            ("Focus on retention as much as new supply.",
             "Put as much effort into retaining staff as into training new ones.",
             "Help us retain experienced {profs}, not just recruit new ones.",
             "Invest in retention – we lose newly qualified {profs} within {years} years.",
             "Treat retention as part of the workforce plan, not an afterthought.",
             "Focus on retention."),
            ("Help us fill the vacancies we have now, not only in ten years' time.",
             "Focus on the vacancies we have today as well as long-term supply.",
             "Do something practical about current vacancies in {prof}.",
             "Balance the long-term workforce plan with help for this winter's staffing "
             "gaps.",
             "Help with the posts we cannot fill now, especially in {prof}.",
             "Help fill current vacancies."),
            ("Link workforce planning to the money needed to deliver it.",
             "Attach funding to the People Plan commitments.",
             "Make sure every workforce target comes with the money to meet it.",
             "Cost the workforce plan properly before asking us to deliver it.",
             "Link workforce planning for {prof} to the money needed to deliver it.",
             "Fund the workforce plan for {region} properly before asking us to deliver it."),
        ),
    ),
    11: (
        (
            ("They listened to our clinicians and changed the programme as a result.",
             "They listened to our frontline staff and adjusted {programme} accordingly.",
             "Feedback from our clinicians on {programme} was acted on, which we "
             "appreciated.",
             "We raised concerns about {programme} and they listened.",
             "+They really listened to our nurses and students and changed {programme} for "
             "the better – excellent engagement."),
            ("The engagement events were well run and worth attending.",
             "The engagement at {event} was well run and worth the time.",
             "Their engagement sessions in {region} were well organised and useful.",
             "The listening events were worth attending, and the follow-up was good.",
             "I thought the engagement at {event} was well pitched.",
             "The café-style engagement sessions were worth attending."),
        ),
        (
            ("They do not listen to people working on the front line.",
             "Frontline staff are rarely heard when decisions are made.",
             "Nobody seems to listen to the clinicians who actually deliver training.",
             "Our frontline educators raise the same concerns year after year and are not "
             "heard.",
             "They listen to managers, not to the people doing the work on the front line.",
             "They do not listen to the frontline staff who deliver {programme}.",
             "~Frontline voices ignored."),
            ("Consultations feel like a tick-box exercise.",
             "The consultation on {programme} felt like a tick-box exercise.",
             "Engagement is a box-ticking exercise; the outcome is already decided.",
             "We respond to consultations knowing it will make no difference.",
             "The engagement at {event} felt like a formality.",
             "~Tick-box consultations."),
            ("Views are sought after decisions are taken, not before.",
             "We were asked for our views on {programme} after the decision had been made.",
             "They ask what we think once the plan is fixed.",
             "Our views are sought when it is too late to change anything.",
             "By the time they consulted us on {programme}, everything had been decided.",
             "~Views sought too late."),
        ),
        (
            ("Ask for our views earlier, while things can still change.",
             "Consult us on {programme} while the design is still open.",
             "Seek our views at the start of the process, not the end.",
             "Ask providers what they think before the decisions are made.",
             "Ask for our views on {programme} while things can still change.",
             "Ask for views earlier."),
            ("Spend time in trusts and talk to frontline staff.",
             "Get out to the front line and listen to the people delivering care.",
             "Visit placements and listen to the clinicians doing the teaching.",
             "Come and listen to our frontline staff in {region}.",
             "Spend time with frontline {profs} and listen to them.",
             "Listen to frontline staff."),
            ("Hold fewer, better engagement events with clear outcomes.",
             "Run fewer engagement events and tell us what came of each one.",
             "Make engagement events about listening, not presenting slides.",
             "Replace the big conferences with smaller sessions where people can actually be "
             "heard.",
             "Hold fewer engagement events in {region}, with clear outcomes.",
             "Hold one engagement event on {programme} that actually changes something."),
        ),
    ),
}

# Follow-up sentences that may come after a theme's sentence: theme -> (praise, criticism,
# suggestion). They add length and carry no theme of their own.
DETAILS: dict[int, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    1: (("It meant we could confirm posts early.",
         "It made the conversation with our finance director much easier."),
        ("It makes planning almost impossible.", "{role} spends weeks every year chasing it.",
         "The uncertainty costs us good educators.",
         "We end up holding posts vacant just in case."),
        ("Even an indicative figure would help.",
         "Certainty matters more than the amount.")),
    2: (("It made a real difference to the quality of our response.",),
        ("It happens every quarter.", "Last time it was {return} in {month}.",
         "Half of it is information we have already sent.",
         "The same week we had two other returns due."),
        ("Most requests are not as urgent as they look.",
         "We want to give good answers, not rushed ones.")),
    3: (("It makes everything easier.", "That continuity matters."),
        ("We have given up chasing.", "It wastes hours every month.",
         "I only found out by ringing round."),
        ("It is a small thing that would save a lot of time.",)),
    4: (("It has not always been this way.",),
        ("It makes working across boundaries exhausting.", "We now check everything twice.",
         "Nobody can tell us which version is right."),
        ("Consistency matters more than local flourishes.",)),
    5: (("Long overdue.", "It is a welcome change."),
        ("Our {profs} notice it.", "It is demoralising for the non-medical staff.",
         "The language has changed; the priorities have not."),
        ("The workforce is much more than doctors.",)),
    6: (("It has built a lot of goodwill.", "It has made a difference locally."),
        ("We want to help but are not given the chance.", "It is a missed opportunity."),
        ("We have a lot to offer if asked.",)),
    7: (("That builds trust.",),
        ("It is hard to keep staff engaged when nothing changes.",
         "We are now wary of committing time to new initiatives.", "It breeds cynicism."),
        ("Less, but done properly.",)),
    8: (("It took a while to get there.",),
        ("We waste time working out who to ask.", "It confuses our board.",
         "Staff here have stopped trying to follow it."),
        ("It would save everyone time.",)),
    9: (("That makes a real difference.", "It is appreciated.",
         "Nothing is too much trouble."),
        ("It is not their fault.", "I feel for them.",
         "It is a shame, because the goodwill is there."),
        ("They are what keeps the relationship working.",
         "It would make the relationship much easier.")),
    10: (("It has helped our own planning.",),
         ("Every month the gaps get bigger.", "Our staff are exhausted.",
          "We cannot wait another five years."),
         ("We need help this winter, not in ten years.",)),
    11: (("That is how it should work.", "It was worth the time."),
         ("It leaves staff feeling ignored.", "People have stopped responding.", "We notice."),
         ("People will engage if they see results.",)),
}

# Whole comments, each an idea in several wordings: (wordings for relationship_why,
# wordings for improve or () to use the first, theme codes, tone +1/0/-1). Blank ones stay
# exactly as written.
WHOLE: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], int], ...] = (
    (("Good – helpful people.", "Good people.", "Good, helpful staff.",
      "All good – the people are helpful.", "good staff, no complaints",
      "Good experiences with the team so far.",
      "Good people to work with.", "Good – the staff know what they are doing."),
     (), (9,), 1),
    (("Very helpful people.", "Very helpful staff.", "Really helpful people to work with.",
      "Helpful, friendly people.", "The staff are very helpful.",
      "Very helpful and approachable team.", "very helpful folk",
      "Always helpful people whenever I call."),
     (), (9,), 1),
    (("fine", "Fine.", "Fine thanks", "It's fine.", "fine overall", "All fine.",
      "Fine – nothing to add.", "Seems fine.", "fine, no issues", "Fine on the whole."),
     ("fine as is", "Nothing major – it's fine as it is.", "Fine, nothing to change.",
      "fine", "It's fine, nothing springs to mind.", "fine for now"), (), 0),
    (("N/A", "n/a", "Not applicable.", "N/A – nothing to add", "None.", "Nothing to add.",
      "nothing further", "-", "No further comments.", "na"),
     ("N/A", "n/a", "Nothing to add.", "None.", "Not applicable", "nothing", "-",
      "No further suggestions."), (), 0),
    (("No comment", "No comments.", "No comment at this time.", "Nothing to say really.",
      "no comment", "Nothing specific.", "Can't think of anything.", "Pass."),
     ("No suggestions.", "No comment", "Nothing springs to mind.", "None at present.",
      "no suggestions", "Can't think of anything specific.", "Nothing I can think of."),
     (), 0),
    (("Mixed – some good, some frustrating.", "Mixed – it depends which team you get.",
      "Very mixed between teams.", "Patchy – good in one office, poor in the next.",
      "Inconsistent: it depends on the region and the person.",
      "Hit and miss depending on the team.", "Mixed. Depends on the local office.",
      "A mixed picture across the regions."),
     ("More consistency between teams, please.",
      "Be consistent – the same answer from every office.",
      "Less variation between regions.", "Consistency. Every team works differently.",
      "Make the regions consistent with each other."), (4,), 0),
    (("Its ok but could be better", "its ok", "OK but could be better.",
      "Its alright, could improve", "Ok on the whole.", "Average.",
      "Could be better, could be worse.", "Reasonable but room for improvement.",
      "its fine i guess"),
     ("Its ok, could be better but hard to say how", "not sure, its ok",
      "Could be better – hard to pin down how.", "Difficult to say, it's ok as it is.",
      "Room for improvement but nothing specific."), (), 0),
    (("They are very supportve and responsive when we ask for help",
      "Always supportive and quick to respond when we need help",
      "Very responsive and suportive team",
      "Supportive and responsive – they help whenever we ask.",
      "The team are responsive and supportive, we never wait long for an answer",
      "Supportive staff who respond quickly to any request for help."),
     (), (9,), 1),
    (("Too bureacratic. Too many forms.", "Too much bureaucracy and paperwork.",
      "Bureaucratic. Forms for everything.", "Endless forms, very little action.",
      "Too many templates, too little follow-through.",
      "Process heavy and slow to act on anything.", "Too bureaucratic by far"),
     (), (7,), -1),
    (("Not sure who they are anymore after all the changes",
      "After the restructures I no longer know who is who.",
      "Lost track of who does what since the changes",
      "Honestly unsure who HEE is now versus NHSE/I, or who our contact is.",
      "The reorganisations have left us not knowing who to talk to or what their role is."),
     (), (3, 8), -1),
    (("Communication is poor and funding desicions are late.",
      "Poor communication, late funding decisions.",
      "Funding decisions always late and poorly communicated",
      "Late funding, little explanation.",
      "We hear about funding late and second-hand."),
     (), (1,), -1),
    (("We have a strong relationship with our local office and meet them every month to "
      "review placements, quality visits and the education contract; it works well.",
      "We meet the local office every {freq} to go through placements, quality visits and "
      "the contract, and the relationship with them is strong and works well.",
      "A strong working relationship: a regular meeting every {freq} with the local office "
      "covers placements, quality and the education contract, and it works well."),
     (), (6, 9), 1),
    (("I work closely with the Local Director and the team are excellent – responsive, "
      "informed and candid about what they can and cannot do.",
      "Working closely with the Local Director's team has been excellent; they are "
      "responsive and honest about what they can and cannot do.",
      "The Local Director and team are excellent to work with – quick to respond, well "
      "informed and straight with us about their limits."),
     (), (9, 6), 1),
    (("The relationship is cordial but distant. We only hear from them when a return is "
      "due.",
      "Polite but distant – they get in touch when a return is due and not otherwise.",
      "Cordial enough, but contact is one-way: a data request with a short deadline, then "
      "silence.",
      "The relationship is distant; we hear from them when a deadline is looming."),
     (), (2, 11), -1),
    (("Great people, shame about the processes.", "Good people, shame about the processes.",
      "Nice people, clunky processes.", "The people are fine; the processes around them are "
      "not.", "Lovely staff, slow processes.", "Decent staff stuck with bureaucratic "
      "processes."),
     ("Keep the people, fix the processes.",
      "Good people – let them get on with it with less process.",
      "Simplify the processes; the staff are fine."), (9, 7), 0),
    (("Our experience of the joint quality visit was positive and the report was fair.",
      "The quality visit felt like a joint exercise and the report was fair and balanced.",
      "We found the quality visit constructive and collaborative, and the report was fair.",
      "The quality visit in {month} was done in partnership with us and the report was "
      "fair.",
      "Positive experience of the quality review; we felt it was a joint effort."),
     (), (6,), 1),
    (("They are helpful, but there is a lot of duplication with NHS England and we end up "
      "answering the same questions twice.",
      "Helpful staff, but the duplication with NHS England means everything gets asked "
      "twice.",
      "The people are helpful; the overlap with NHS Improvement is the problem.",
      "Helpful individuals, but roles duplicate NHS England's and we answer the same "
      "questions twice."),
     ("Cut the duplication with NHS England; the staff are helpful but we answer everything "
      "twice.",
      "Sort out the overlap with NHSE/I so the helpful staff can get on with it."),
     (8, 9), 0),
    (("The régional team have been supportive through a difficult year for us.",
      "The regional team have been supportive through a difficult year.",
      "Supportive through a tough year – thank you to the régional team.",
      "Our local team stood by us and were supportive during a hard year.",
      "Supportive staff when we were under real pressure this year."),
     (), (9,), 1),
    (("Café-style engagement sessions were a nice idea; shame nothing came of them.",
      "The café-style listening events were a nice touch, but no plan followed them.",
      "Lots of listening events, no visible follow-through.",
      "Engagement sessions in {month} were well meant; we heard nothing after and nothing "
      "was delivered.",
      "Consultation events are held, then the follow-up never comes."),
     (), (11, 7), -1),
    (("Dépend on who you speak to – some are great, some never reply.",
      "Depends who you get – some contacts reply the same day, some never.",
      "Depends on the person: some contacts are very good, others never reply.",
      "Varies by person and by office – one contact is very good, the next never replies.",
      "It depends on the contact you happen to get."),
     ("Make it less dependent on which contact you happen to get.",
      "Get every contact replying, not just the good ones – it varies too much."),
     (3, 4), 0),
    (("As a small professional body we rarely hear from HEE unless we chase them. When we "
      "do get through, the conversation is constructive, but it always feels like we are at "
      "the back of the queue behind the big trusts and the royal colleges.",
      "As {we_are} we rarely hear from HEE unless we chase. When we do get hold of someone "
      "the conversation is constructive, but we are clearly at the back of the queue and "
      "our views are not sought.",
      "We are {we_are} and have to chase HEE for any contact at all. Conversations are "
      "fine once we get through, but nobody asks for our views and we feel like an "
      "afterthought."),
     (), (11, 3), -1),
    (("Funding, deadlines, turnover. In that order.", "Funding, deadlines, turnover – in "
      "that order.", "Three problems: late money, short deadlines, constant changes of "
      "contact.", "Late funding, impossible deadlines and a new contact every few months."),
     (), (1, 2, 3), -1),
    (("Excellent support for our nursing associate programme.",
      "Excellent support for {programme}, especially for the nursing and {prof} "
      "students.",
      "The support for {programme} has been excellent across the professions.",
      "Really excellent support for our non-medical professions through {programme}."),
     (), (9, 5), 1),
    (("We are asked to do more with less every year and HEE does not seem to notice.",
      "More with less, every year, and nobody at HEE seems to listen.",
      "Each year we are asked to deliver more with fewer staff, and our views are ignored.",
      "The workforce keeps shrinking while the asks keep growing, and nobody listens."),
     (), (10, 11), -1),
    (("The LWAB has been a useful forum for system partners.",
      "The LWAB has brought system partners together usefully.",
      "Our LWAB works well as a place for partners to meet and plan together.",
      "The LWAB meetings are a useful forum for working with the other partners.",
      "The LWAB has been the best forum we have for partners to meet."),
     (), (6,), 1),
    (("Frankly the relationship has got worse since the reorganisation, and the plans we had "
      "agreed went with it.",
      "The relationship has deteriorated since the restructure, frankly, and nothing agreed "
      "has been followed through.",
      "Worse since the reorganisation: we have lost our contact and the plans we had "
      "agreed.",
      "Since the restructure the relationship has gone backwards and no plan has been "
      "followed through."),
     (), (3, 7), -1),
    (("Open and honest conversations, even when the news is not good.",
      "The staff are open and honest with us, even with bad news, and they listen.",
      "Honest, open people who listen, even when the message is unwelcome.",
      "The team have honest conversations with us and listen even when the news is not "
      "good."),
     (), (9, 11), 1),
    (("I have no regular contact so cannot really comment.",
      "No regular contact, so hard to comment.",
      "We have very little contact with them, so I can't really say.",
      "Too little contact to give a fair view."),
     ("Hard to say – we have no regular contact, which is perhaps the point.",
      "Some regular contact would be a start."), (3,), 0),
    (("Helpful on the medical side; the rest of the workforce is invisible to them.",
      "Good on medical training; {profs} are invisible.",
      "Fine if you are a doctor; the other professions barely register.",
      "Helpful for medical education, much less so for {profs} and the other "
      "professions."),
     (), (5,), -1),
    (("Responsive, pragmatic people who work with us on our local pressures.",
      "Responsive and pragmatic staff who work with us on local pressures.",
      "A pragmatic, responsive team that understands the pressures on us and works "
      "together with us.",
      "They are responsive and practical, and we work well together on local issues."),
     (), (9, 6), 1),
    (("Still waiting for a reply to an email I sent in March.",
      "Still waiting for a reply to an email I sent in {month}.",
      "I sent an email in {month} and I am still waiting for a reply.",
      "Still no reply to my email from {month}.",
      "Waiting {gap} and counting for a reply from our contact."),
     (), (3,), -1),
    (("   ",), (), (), 0),
    (("",), (), (), 0),
)

# Openers of interview excerpts. The family is drawn with the comment (six families, the
# last one mostly empty); the wording within a family is drawn with the text. The second
# tuple of each family leads into a suggestion, which starts with an imperative verb.
INTERVIEW_OPENERS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("To be honest, ", "Honestly, ", "If I'm honest, ", "Being frank, ", "In all honesty, "),
     ("To be honest, they should ", "Honestly, they need to ", "If I'm honest, HEE should ",
      "Frankly, they need to ")),
    (("From where I sit, ", "From our side, ", "From our point of view, ",
      "Seen from {where}, "),
     ("From where I sit, HEE needs to ", "From our side, the ask would be to ",
      "From our point of view, they should ")),
    (("I think ", "I'd say ", "My sense is that ", "I feel ", "I would say ", "I suppose "),
     ("I think they should ", "I'd like them to ", "I would want them to ",
      "My advice would be to ", "I think HEE needs to ")),
    (("Looking back over the year, ", "Over the last twelve months, ",
      "Thinking about the past year, ", "Over the past year or so, "),
     ("Looking ahead, the priority should be to ", "Over the next year, they need to ",
      "Next year, I'd hope they ")),
    (("Speaking for my organisation, ", "Speaking for {speaker_org}, ", "For {speaker_org}, "),
     ("Speaking for my organisation, we'd like HEE to ",
      "For {speaker_org}, the main thing would be to ",
      "Speaking for {speaker_org}, I'd ask them to ")),
    (("", "", "", "Well, ", "So, "),
     ("", "", "They should ", "Well, they need to ")),
)

# Survey openers: by the kind of the first sentence (praise, criticism), and for suggestions.
OPENERS: dict[str, tuple[str, ...]] = {
    "p": ("Overall, ", "On the whole, ", "In general, ", "Generally speaking, ",
          "In my experience, ", "On balance, "),
    "c": ("Honestly, ", "Sadly, ", "Frankly, ", "In my experience, ", "Unfortunately, ",
          "To be blunt, "),
    "s": ("Please ", "A few suggestions: ", "My main ask: ", "Above all, ", "Simply put: ",
          "First and foremost, ", "Top of my list: "),
}
# Words that join a sentence to the one before it.
TURNS: tuple[str, ...] = ("But ", "That said, ", "Even so, ", "On the other hand, ",
                          "Having said that, ", "However, ")
CONCESSIONS: tuple[str, ...] = ("To be fair, ", "In fairness, ", "Credit where it is due: ",
                                "The one positive is that ", "I will say that ")
FIRST_CONCESSIONS: tuple[str, ...] = ("The one positive is that ", "The one good thing is that ",
                                      "The only bright spot is that ",
                                      "About the only good thing is that ")
ALSO: tuple[str, ...] = ("Also, ", "On top of that, ", "And ", "What is more, ",
                         "Added to that, ")
AT_PRESENT: tuple[str, ...] = ("At the moment, ", "Right now, ", "As things stand, ",
                               "Currently ")
SPOKEN: tuple[str, ...] = ("The other thing is, ", "What I would add is that ", "I mean, ",
                           "And honestly, ", "You know, ")
# Closing sentences by tone (positive, neutral, negative) and for suggestions.
CLOSERS: dict[str, tuple[str, ...]] = {
    "+": ("Keep up the good work.", "Long may it continue.", "Thank you to everyone "
          "involved.", "Overall a positive experience.", "We value the relationship a lot.",
          "+Really excellent support overall.", "No complaints from us.",
          "Credit to the team."),
    "0": ("Hope this helps.", "Happy to discuss.", "That is about it from me.",
          "Thanks for asking.", "Mixed, in short.", "Some good, some not so good."),
    "-": ("It is frustrating.", "It really should not be this hard.", "We expected better.",
          "Something has to change.", "It wears people down.", "Not good enough, frankly.",
          "Very disappointing.", "We have raised this before."),
    "s": ("That would make a real difference.", "Small changes, but they would help a lot.",
          "None of this is complicated.", "Happy to help with any of this.",
          "That would be a start.", "Thank you for asking."),
}
# Misspellings a hurried respondent might leave in.
TYPOS: dict[str, str] = {
    "because": "becuase", "their": "thier", "which": "wich", "difference": "diffrence",
    "funding": "fundng", "explain": "explian", "programme": "programe", "really": "realy",
    "deadline": "deadine", "across": "accross", "responsible": "responsable",
    "consistent": "consistant", "professional": "proffesional", "supportive": "supportve",
    "separate": "seperate", "received": "recieved", "until": "untill",
    "experience": "experiance", "organisation": "organisaton", "regional": "regonal",
    "planning": "planing", "placements": "placments", "whether": "wether",
    "different": "diffrent", "knowledgeable": "knowledgable", "colleagues": "collegues",
    "consultation": "consulation", "appreciated": "appriciated", "the same": "teh same",
}

"""The HEE stakeholder perception survey 2019 questionnaire, as a codebook dictionary.

Question wordings are the published ones; answer lists are completed in the usual
agency style. Sample-profile counts are the published unweighted bases.
"""

from __future__ import annotations

from typing import Any

from heetui.demo.comments import THEMES

N_PUBLISHED = 602

# org_type: code, label, published/apportioned count, stakeholder_type code, population share
ORG_TYPES: tuple[tuple[int, str, int, int, float], ...] = (
    (1, "NHS Trust", 399, 2, 0.40),
    (2, "HEI", 76, 1, 0.20),
    (3, "National body/ALB", 31, 3, 0.07),
    (4, "Royal College", 24, 3, 0.06),
    (5, "Professional body", 22, 3, 0.08),
    (6, "Local government/social care", 26, 3, 0.10),
    (7, "Other organisation", 24, 3, 0.09),
)
STAKEHOLDER_TYPES: tuple[tuple[int, str], ...] = ((1, "HEI"), (2, "NHS Trust"), (3, "Other"))
IN_CONTACT_BY_TYPE: dict[int, int] = {1: 75, 2: 364, 3: 121}  # stakeholder_type -> count
EXECUTIVES = 112
HEE_TEAMS: tuple[tuple[int, str, int], ...] = (
    (1, "Regional Directors", 304), (2, "Local Directors", 350), (3, "LWABs", 243))
REGIONS: tuple[tuple[int, str, int], ...] = (
    (1, "East of England", 75), (2, "Midlands", 122), (3, "North West", 68),
    (4, "North East and Yorkshire", 99), (5, "South West", 70), (6, "London", 157),
    (7, "South East", 71), (8, "National", 106))

POSITIVE_WORDS = ("Supportive", "Knowledgeable", "Open", "Approachable", "Professional",
                  "Willing to help", "Collaborative", "Innovative", "Transparent")
NEGATIVE_WORDS = ("Fragmented", "Bureaucratic", "Inconsistent", "Remote", "Defensive",
                  "Slow to respond")
NONE_CODE, DK_CODE = 98, 99

AGREE = ("Strongly agree", "Tend to agree", "Neither agree nor disagree", "Tend to disagree",
         "Strongly disagree")


def _scale(labels: tuple[str, ...], values: tuple[int, ...],
           dk: bool = True) -> list[dict[str, Any]]:
    opts: list[dict[str, Any]] = [{"code": i + 1, "label": lab, "value": v}
                                  for i, (lab, v) in enumerate(zip(labels, values, strict=True))]
    if dk:
        opts.append({"code": len(labels) + 1, "label": "Don't know"})
    return opts


def _opts(pairs: tuple[tuple[int, str], ...] | list[tuple[int, str]]) -> list[dict[str, Any]]:
    return [{"code": c, "label": lab} for c, lab in pairs]


FIVE = (2, 1, 0, -1, -2)  # scores of a five-point scale, best first


def codebook_dict(n: int, shift: float = 0.0) -> dict[str, Any]:
    survey = _survey(n)
    if shift:  # an illustrative later wave: never to be read as HEE's
        survey["title"] = "HEE stakeholder perception survey: illustrative later wave"
        survey["provenance"] = (
            f"Illustrative synthetic wave made by `heetui demo --shift {shift:g}`: the 2019 "
            f"survey's design with attitudes moved by {shift:+g} standard deviations. Not HEE "
            "data; for trying waves, plans and diffs.")
    return {"survey": survey, **_extras(), "segments": _segments(),
            "questions": _questions()}


def _survey(n: int) -> dict[str, Any]:
    scaled = n != N_PUBLISHED
    return {
        "title": "HEE stakeholder perception survey 2019",
        "client": "Health Education England (HEE)",
        "agency": "Ipsos MORI",
        "published": "October 2019",
        "method": "Online survey",
        "fieldwork": "15 July – 26 August 2019",
        "completes": N_PUBLISHED,
        "response_rate": "23%",
        "qualitative": "61 depth interviews (15 July – 6 September 2019) and immersion "
                       "interviews with 7 senior directors within HEE",
        "bases_note": "Chart bases in the published report are unweighted respondent counts.",
        "provenance": (
            "Synthetic data calibrated to the published sample profile: every row is "
            "generated, the published bases are reproduced exactly, and every comment was "
            "written for heetui." if not scaled else
            f"Synthetic scaled copy ({n:,} respondents) of heetui's HEE 2019 survey; "
            "proportions follow the 602-respondent set."),
        "context": [
            "2017: local education and training boards reduced from 13 to 4; 4 regions, "
            "13 local offices, 44 STPs, 38 Local Workforce Action Boards (LWABs).",
            "2021 operating model: Integrated Care Systems are the default level of "
            "relationship; principles: integration, subsidiarity, multi-professional, "
            "sustainability, continuous improvement.",
        ],
        "weight": "weight",
        "key_attributes": ["stakeholder_type", "region", "seniority"],
        "weight_note": "Illustrative non-response weight by organisation type "
                       "(population share / sample share; mean 1.0).",
    }


def _extras() -> dict[str, Any]:
    """Themes of the comments, illustrative benchmarks and the report's banner."""
    return {
        "themes": [{"code": i + 1, "label": t} for i, t in enumerate(THEMES)],
        "benchmarks": {
            "note": "Illustrative benchmarks, not published figures: net advocacy of "
                    "unnamed public-sector bodies in stakeholder surveys since 2008.",
            "items": [
                {"label": "Illustrative: health regulator", "value": 52.0},
                {"label": "Illustrative: arm's-length body A", "value": 45.0},
                {"label": "Illustrative: government department", "value": 38.0},
                {"label": "Illustrative: arm's-length body B", "value": 35.0},
                {"label": "Illustrative: public sector average", "value": 33.0},
                {"label": "Illustrative: national agency", "value": 29.0},
                {"label": "Illustrative: professional regulator", "value": 16.0},
            ],
        },
        "banners": [{"id": "standard", "label": "Report banner",
                     "spans": ["stakeholder_type", "seniority", "hee_team"]}],
    }


def _segments() -> list[dict[str, Any]]:
    return [
        {"id": "stakeholder_type", "type": "single", "label": "Stakeholder type",
         "text": "Type of stakeholder organisation", "group": "Sample profile",
         "options": _opts(STAKEHOLDER_TYPES)},
        {"id": "org_type", "type": "single", "label": "Organisation type",
         "text": "Type of organisation (detailed)", "group": "Sample profile",
         "options": _opts([(c, lab) for c, lab, *_ in ORG_TYPES]),
         "nets": [{"label": "Other (net)", "codes": [3, 4, 5, 6, 7]}]},
        {"id": "seniority", "type": "single", "label": "Seniority",
         "text": "Respondent's role", "group": "Sample profile",
         "options": _opts(((1, "Chair/CEO/Executive Director"), (2, "Other role")))},
        {"id": "hee_team", "type": "multi", "label": "HEE teams",
         "text": "Which HEE teams have you worked with?", "group": "Sample profile",
         "options": _opts([(c, lab) for c, lab, _ in HEE_TEAMS])},
        {"id": "region", "type": "multi", "label": "Region",
         "text": "Which regions does your organisation work with?", "group": "Sample profile",
         "options": _opts([(c, lab) for c, lab, _ in REGIONS])},
        {"id": "in_contact", "type": "single", "label": "In contact",
         "text": "Whether in contact with HEE", "group": "Sample profile",
         "options": _opts(((1, "In contact with HEE"), (2, "Not in contact")))},
    ]


def _rated(qid: str, label: str, text: str, group: str, scale: tuple[str, ...],
           good: str, bad: str) -> dict[str, Any]:
    """A five-point rating with Don't know, netted as its top two and bottom two."""
    return {"id": qid, "type": "single", "label": label, "text": text, "group": group,
            "options": _scale(scale, FIVE),
            "nets": [{"label": good, "codes": [1, 2]}, {"label": bad, "codes": [4, 5]}]}


def _questions() -> list[dict[str, Any]]:
    words = [(i + 1, w) for i, w in enumerate(POSITIVE_WORDS + NEGATIVE_WORDS)]
    n_pos = len(POSITIVE_WORDS)
    word_opts = _opts(words) + [
        {"code": NONE_CODE, "label": "None of these", "exclusive": True},
        {"code": DK_CODE, "label": "Don't know", "exclusive": True}]
    return [
        _rated("relationship", "Working relationship",
               "How would you describe your working relationship with Health Education "
               "England?", "Relationship",
               ("Very positive", "Fairly positive", "Neither positive nor negative",
                "Fairly negative", "Very negative"), "Positive", "Negative"),
        {"id": "words", "type": "multi", "label": "Words describing HEE",
         "text": "From your interactions with Health Education England to date, which of the "
                 "following words/phrases would you use to describe Health Education England "
                 "as an organisation?", "group": "Relationship",
         "eligible": {"variable": "in_contact", "codes": [1]},
         "options": word_opts,
         "nets": [{"label": "Any positive", "codes": list(range(1, n_pos + 1))},
                  {"label": "Any negative",
                   "codes": list(range(n_pos + 1, len(words) + 1))}]},
        {"id": "advocacy", "type": "single", "label": "Advocacy",
         "text": "Which of these phrases best describes the way you would speak of HEE to "
                 "other people?", "group": "Relationship",
         "options": _opts((
             (1, "I would speak highly without being asked"),
             (2, "I would speak highly if asked"), (3, "I would be neutral"),
             (4, "I would be critical if asked"),
             (5, "I would be critical without being asked"),
             (6, "I have no views one way or another"))),
         "nets": [{"label": "Speak highly", "codes": [1, 2]},
                  {"label": "Critical", "codes": [4, 5]}],
         "scores": [{"id": "net_advocacy", "label": "Net advocacy (speak highly - critical)",
                     "plus": [1, 2], "minus": [4, 5]}]},
        _rated("views_timing", "Views sought at right time",
               "Overall, to what extent are you satisfied or dissatisfied that HEE seeks "
               "your views at the right time?", "Engagement",
               ("Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied",
                "Fairly dissatisfied", "Very dissatisfied"), "Satisfied", "Dissatisfied"),
        _rated("point_of_contact", "Clear point of contact",
               "To what extent do you agree or disagree: I have a clear point of contact "
               "to get in touch with HEE?", "Engagement", AGREE, "Agree", "Disagree"),
        {"id": "effectiveness", "type": "single", "label": "Effectiveness",
         "text": "Overall, how would you rate the effectiveness of HEE and its work?",
         "group": "Performance",
         "options": _scale(("Very effective", "Fairly effective",
                            "Has some effectiveness in some areas but not in others",
                            "Not at all effective"), (3, 2, 1, 0)),
         "nets": [{"label": "Effective", "codes": [1, 2]}]},
        _rated("role_clarity", "Role clarity",
               "To what extent do you agree or disagree that HEE's role within the system "
               "is clear to you?", "Performance", AGREE, "Agree", "Disagree"),
        {"id": "relationship_why", "type": "open", "label": "Why that relationship",
         "text": "Why do you describe your working relationship in that way?",
         "group": "Open-ended"},
        {"id": "improve", "type": "open", "label": "How HEE could improve",
         "text": "What, if anything, could HEE do to improve how it works with your "
                 "organisation?", "group": "Open-ended"},
    ]

"""The bundled survey's comments read like a real survey's: nearly all distinct, no sentence
used over and over, tone in line with the respondent's answers, text in line with the
coded themes (survey-spec.md, "Verbatim themes")."""

from __future__ import annotations

import re
import tomllib
from collections import Counter

import numpy as np
import polars as pl
import pytest

from heetui.demo import verbatims
from heetui.demo.verbatims import respondent_comment
from heetui.survey.bundle import bundled_survey_path

MIN_DISTINCT_SHARE = 0.90
MAX_SENTENCE_REPEATS = 5
# Phrases of unreserved praise: not what someone who calls the relationship negative writes.
GLOWING = ("excellent", "brilliant", "outstanding", "fantastic", "superb", "exemplary",
           "first-class", "first class", "second to none", "really well", "works well",
           "went well", "couldn't be better", "could not be better", "can't fault",
           "cannot fault", "keep up the good work", "genuine partnership",
           "real step forward", "long may it continue")
# Words that show a comment is about a theme; every coded theme is evidenced in the text.
THEME_WORDS = {
    1: ("fund", "budget", "money", "tariff", "allocat", "£", "financ", "spend"),
    2: ("deadline", "notice", "turnaround", "turn things round", "urgent", "short", "rush",
        "weeks", "timetable", "window", "due", "return", "request", "calendar",
        "time to respond"),
    3: ("contact", "turnover", "restructur", "reorganis", "reply", "mailbox", "directory",
        "handover", "churn", "who to", "who is who", "who they are", "who does what",
        "who now deals", "new name", "one person", "named person", "leaves", "left",
        "chase"),
    4: ("region", "consisten", "local office", "differ", "depend", "dépend", "varies",
        "variation", "vary", "mixed", "patchy", "lottery", "same answer", "same thing",
        "same message", "one voice", "team to team", "between teams", "office",
        "hit and miss", "standard"),
    5: ("medic", "doctor", "profession", "nurs", "ahp", "allied", "pharmac", "deanery"),
    6: ("partner", "collaborat", "together", "joint", "table", "lwab", "relationship",
        "involve", "co-", "working with", "work with", "work closely", "working closely",
        "alongside", "convened"),
    7: ("strateg", "plan", "follow", "priorit", "deliver", "promise", "dropped", "shelv",
        "forms", "bureau", "process", "action", "direction", "review", "feedback", "commit",
        "launch", "came of"),
    8: ("nhse", "nhs england", "nhs improvement", "role", "responsib", "who does what",
        "who is who", "who they are", "overlap", "duplicat", "merger", "national", "remit",
        "system"),
    9: ("people", "staff", "individual", "team", "helpful", "support", "colleague",
        "person", "contact", "approachable", "responsive", "honest", "local office",
        "local director", "folk"),
    10: ("workforce", "vacanc", "people plan", "retention", "retain", "recruit", "shortage",
         "staffing", "crisis", "posts", "gaps", "more with", "fewer staff"),
    11: ("listen", "engag", "consult", "views", "frontline", "front line", "feedback",
         "hear", "ask", "event", "voice", "input", "conversation", "in touch", "one-way",
         "distant"),
}


@pytest.fixture(scope="module")
def comments() -> pl.DataFrame:
    return pl.read_parquet(bundled_survey_path() / "verbatims.parquet")


@pytest.fixture(scope="module")
def codebook() -> dict:
    return tomllib.loads((bundled_survey_path() / "codebook.toml").read_text("utf-8"))


def key(text: str) -> str:
    """A comment as a reader compares it: case, curly apostrophes and a missing full stop
    do not make it different."""
    return text.casefold().replace("\u2019", "'").strip().rstrip(".")


def sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in re.split(r"[.!?]", key(text))) if s]


def texts(comments: pl.DataFrame) -> list[str]:
    return [t for t in comments["text"].to_list() if t and t.strip()]


def glowing(text: str) -> list[str]:
    return [g for g in GLOWING if g in key(text)]


def test_nearly_all_comments_are_distinct(comments):
    nonblank = texts(comments)
    share = len({key(t) for t in nonblank}) / len(nonblank)
    assert share >= MIN_DISTINCT_SHARE, f"{share:.3f} of {len(nonblank)} comments distinct"


def test_no_sentence_is_used_over_and_over(comments):
    counts = Counter(s for t in texts(comments) for s in sentences(t))
    worst = counts.most_common(3)
    assert worst[0][1] <= MAX_SENTENCE_REPEATS, worst


def test_lengths_vary_from_one_liners_to_paragraphs(comments):
    words = [len(t.split()) for t in texts(comments)]
    assert sum(w <= 6 for w in words) >= 0.03 * len(words)
    assert sum(w >= 40 for w in words) >= 0.05 * len(words)


def negative_codes(codebook: dict) -> list[int]:
    rel = next(q for q in codebook["questions"] if q["id"] == "relationship")
    net = next((n for n in rel.get("nets", []) if n["label"].casefold() == "negative"), None)
    codes = net["codes"] if net else [o["code"] for o in rel["options"]
                                      if "negative" in o["label"].casefold()
                                      and "nor" not in o["label"].casefold()]
    assert codes
    return codes


def test_negative_respondents_write_no_glowing_comments(comments, raw, codebook):
    negative = raw.filter(pl.col("relationship").is_in(negative_codes(codebook)))
    theirs = comments.filter(pl.col("respondent_id").is_in(negative["respondent_id"].to_list()))
    assert theirs.height > 30
    bad = [(t, glowing(t)) for t in theirs["text"].to_list() if glowing(t)]
    assert not bad, bad[:5]


def test_glowing_words_never_reach_a_negative_comment_at_any_scale():
    rng = np.random.default_rng(7)
    for i in range(3000):
        question = ("relationship_why", "improve")[i % 2]
        text, _ = respondent_comment(rng, question, -1, 1 + i % 3)
        assert not glowing(text), text


def test_themes_are_valid_codes(comments, codebook):
    valid = {t["code"] for t in codebook["themes"]}
    assert valid == set(THEME_WORDS)
    for themes in comments["themes"].to_list():
        assert themes is not None and len(set(themes)) == len(themes)
        assert set(themes) <= valid, themes


def test_every_coded_theme_shows_in_the_text(comments):
    unsupported = [(row["text"], t) for row in comments.iter_rows(named=True)
                   for t in row["themes"]
                   if not any(w in key(row["text"]) for w in THEME_WORDS[t])]
    assert not unsupported, unsupported[:5]


def test_fast_draws_match_numpy_choice():
    """The comment generator's shortcuts for ``Generator.choice`` give the same indices from
    the same draws, so which respondents comment on what does not depend on them."""
    for seed in range(300):
        a, b = np.random.default_rng(seed), np.random.default_rng(seed)
        for key, p in verbatims._THEME_P.items():
            for k in (1, 2, 3, 4):
                assert a.choice(p.size, size=k, replace=False, p=p).tolist() == \
                    verbatims.distinct_with_p(b, p, verbatims._THEME_CDF[key], k), (seed, key)
        assert int(a.choice(3, p=verbatims.SENTENCE_COUNT_P)) == \
            verbatims.choice_with_p(b, verbatims._SENTENCE_COUNT_CDF)
        assert a.random() == b.random()

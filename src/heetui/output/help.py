"""The app's help pages: what each screen's keys cannot say on their own (keys are listed
from the screens' bindings by tui/keys.py), and the statistics conventions."""

STATISTICS_HELP = """\
Bases are respondents. "Base (unweighted)" is shown always; when weighting is on,
the weighted base (sum of weights) and the effective base (Kish: (Σw)² / Σw²) too.

Column % = weighted count in the cell ÷ weighted column base (weight 1 when
unweighted). Multi-response questions are % of respondents: columns can sum past 100.
Nets count respondents giving any of the net's answers.

Mean scores use the option values in the codebook and leave out "Don't know";
the standard error is the linearised SE of a weighted mean. Scores such as net
advocacy are % of the plus answers minus % of the minus answers.

Letters: a cell carries the letter of every banner column it is significantly
higher than (two-sided z-test, pooled proportion over effective bases, no continuity
correction). The variance of a difference is p̄(1−p̄)·(Σ₁w²/W₁² + Σ₂w²/W₂² −
2·Σ₁₂w²/(W₁·W₂)): W a column's sum of weights, Σ₁₂ over the respondents in both
columns (0 when they are disjoint), so overlapping and nested columns (region, a group
against the total) are tested as they are; unweighted, 1/n₁ + 1/n₂ − 2·n₁₂/(n₁n₂).
Means: the same with each respondent's residual, scaled by √(n/(n−1)).
Weighted tests need an effective base of at least the minimum; pairs that cannot be
tested (no variation, same respondents, no weight) get no letter, are listed in text
exports with the reason, and are left out of the multiplicity correction.
Default α = 0.05, no multiplicity correction. Total is not tested. Two levels (l
cycles 0.05, 0.01, 0.1, then 0.05/0.1 and 0.01/0.05; --sig-level 0.05,0.10): a capital
letter at the stricter level, a lower-case letter at the looser level only.
A survey whose codebook declares its design (strata, PSUs, FPC) is tested by the
design instead: Taylor linearisation over strata and PSUs (as R's survey package),
each column a domain of the whole design, t-tests on the PSUs the two columns reach;
the legend says "design-based variance" (--no-design on the command line: as above).

Banners: Total, then spans side by side (a segment or question each, or one nested
within another: a column for each pair of options). Letters run on across the table
and are never reused; a column is tested only against the other columns of its own
span (a nested span: within each outer option), and a correction spans one subtable
in one row (a span, or a nested span's columns under one outer option, as SPSS
CTABLES; --correction-family span: the whole span). From the command line a table can
instead test each column against Total or against everyone not in it (--compare
total|rest), marked ▲ higher or ▼ lower.

Rating grids: a row per item, a column per scale point, net and mean. Items are
answered by the same respondents, so each pair is compared with a paired z-test
(unpooled; the variance of the difference sums each respondent's residuals from both
items, Σw²(r_a/W_a − r_b/W_b)²); an item carries the letter of every item it is
significantly higher than in that column.

Markers: * low base (below 100); ! column not tested (base, or effective base when
weighted, below 30). Numbers are rounded half away from zero, as in Excel and SPSS.
"""


# (keys, what they do): keys handled by widgets rather than by a screen's bindings
TABLE_KEYS = (
    ("Enter", "on a cell: the comments of exactly the respondents counted in it (a base "
              "row: the whole column); in the question list: open the question"),
    ("arrows", "move in the table; the row labels and Total stay while columns scroll"),
    ("ctrl+p", "command palette: every action by name, Open: <question>, "
               "Banner: <segment or named banner>"),
)

COMMENTS_KEYS = (
    ("Enter", "on a question: only its comments (All open-ended questions: every one); on a "
              "theme: only comments coded to it; in the search box: search and return to "
              "the comments"),
)

COMMENTS_HELP = """\
Themes: t moves to the theme list (● marks the theme in use, with each theme's count for
this selection). Enter on a theme shows only the comments coded to it; Enter on the same
theme again, or on "All themes", clears it.

Search: / moves to the search box; type words (every one must appear, any case) or a
"quoted phrase", then Enter: the matches are highlighted and the keys act on the comments
again. Clear the box and press Enter to drop the search.

Quotes: * stars the highlighted comment for the report (★ marks it; * again unstars it),
kept in the survey's workspace; Q writes the starred comments of the question shown (or of
every question) to a file, grouped by theme and attributed by their key attributes as far
as the minimum group share them (Markdown; a name ending .txt, .csv or .xlsx writes that).

The header names every narrowing in force: the table cell the comments came from, the
filters, the question, the theme and the search, then how many respondents and comments
they leave. Comments are shown only when the filters and cell select at least the
survey's minimum group of people who commented (and so does what the rest of the view,
another column of the table or an earlier selection would reveal), whatever the question,
theme or search; otherwise the header says why nothing is shown. A theme, search or
question that cannot be shown leaves the comments as they were, with the reason below.
"""

PROFILE_KEYS = (
    ("Enter", "on a row: that question with the group and the rest as banner columns, the "
              "cursor on the group's cell (Enter there lists those respondents' comments)"),
)

PROFILE_HELP = """\
Each row compares the group with everyone else (the rest): its value, the rest's, the
difference (points for percents and scores, units for means) and the p-value after the
Benjamini-Hochberg correction over every row of the profile. Significant rows come first,
biggest difference first; a shows every row tested.

Variables that define the group (the filter's own variable and its nets, and any finer or
coarser version of it, such as organisation type for a stakeholder type) differ by
definition: they are left out of the rows and of the correction, and named on the last
line.
"""

CODING_KEYS = (
    ("Enter", "in the theme list: toggle that theme on the highlighted comment (the themes "
              "past the ninth are picked here); in the search box: search and return to the "
              "comments"),
)

CODING_HELP = """\
The comments of one open-ended question, 50 to a page; the theme list beside them holds the
question's code frame in order, each theme with its number (the first nine: its digit key)
and how many comments carry it, ● marking the themes of the highlighted comment. The header
counts the question's comments, coded (carrying a theme) and uncoded.

Coding: a digit toggles that theme on the highlighted comment (coded, or uncoded if it
was); t moves to the theme list, where Enter does the same for any theme. n goes to the
next uncoded comment (the question's whole list, from the highlighted comment on; with
only the uncoded listed, the next one down). Search-and-apply: / searches the comments
(every word must appear, or a "quoted phrase"), the hits are listed to review and code one
by one, and A codes every hit with a theme picked from a list: kept as the search, so
comments of a later wave that match are coded too.

The theme the theme list highlights is the one r renames, d deletes (after asking), m
merges into another (its comments carry that one instead), [ and ] move up and down,
f lists alone (again: every theme); + makes a net of themes. U lists only the uncoded
comments (a comment coded there leaves the list).

Every edit is written to the survey's workspace file at once (atomically: quitting at any
point loses nothing), the line under the comments says what was written where, and u
undoes the last edit made in this session, step by step. Comments are shown as the
disclosure rule allows, as in the comments view.
"""

WORDS_KEYS = (
    ("Enter", "on a term: the comments of the column's people that hold it (the comments "
              "view, searched for the term: a word also finds longer words containing it)"),
    ("arrows", "move through the columns' terms"),
)

WORDS_HELP = """\
Each column of the banner lists the words and two-word phrases its people use more than
everyone else who commented on the question, most distinctive first: z is the log-odds
ratio with an informative Dirichlet prior over its standard error (Monroe, Colaresi and
Quinn 2008), a term counted once a person; "people" are the column's who used it, "rest"
everyone else's. A term used by fewer than the minimum group of people, in the column or
in the rest, is never shown, nor are the terms of a column of fewer commenters. The
table's filters apply; heetui words QUESTION --by BANNER prints the same list.
"""

"""Help text on the statistics conventions, shown by the app's help screen."""

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
Default α = 0.05, no multiplicity correction. Total is not tested.

Banners: Total, then spans side by side (a segment or question each, or one nested
within another: a column for each pair of options). Letters run on across the table
and are never reused; a column is tested only against the other columns of its own
span (a nested span: within each outer option), and a correction spans one span in
one row. From the command line a table can instead test each column against Total or
against everyone not in it (--compare total|rest), marked ▲ higher or ▼ lower.

Markers: * low base (below 100); ! column not tested (base, or effective base when
weighted, below 30). Numbers are rounded half away from zero, as in Excel and SPSS.
"""

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
higher than (two-sided z-test on proportions, pooled, no continuity correction;
weighted tests on effective bases). Overlapping banners (a respondent in several
columns, e.g. region) use the overlap correction for the shared respondents.
Default α = 0.05, no multiplicity correction. Total is not tested.

Markers: * low base (below 100); ! column not tested (base below 30).
"""

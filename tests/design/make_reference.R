# Reference numbers for heetui's design-based variances (tests/engine/test_design_variance.py),
# computed by R's survey package on data shipped with it, and frozen in reference.json so
# the tests need no R. Run from anywhere (Debian: apt-get install r-cran-survey):
#
#   Rscript tests/design/make_reference.R
#
# It writes the three data sets as CSV beside itself (answers as integer codes, as a bundle
# holds them) and reference.json: every cell's estimate and SE (svymean on the domain:
# the column within the question's base, subsetting the design, never the data), and every
# pair's difference, its SE (svyby + svycontrast, or svytotal + svycontrast for
# overlapping columns: the linearised difference of two ratios) and the design-based t
# (svyttest: its statistic, degrees of freedom and p-value).
suppressMessages({library(survey); library(jsonlite)})
options(survey.lonely.psu = "fail")
args <- commandArgs(FALSE)
here <- dirname(normalizePath(sub("--file=", "", grep("--file=", args, value = TRUE))))
data(nhanes)
data(api)

yes_no <- function(f) as.integer(f == "Yes")  # No = 0, Yes = 1
out <- list(versions = list(R = R.version.string,
                            survey = as.character(packageVersion("survey"))),
            cells = list(), pairs = list())

cell <- function(name, des, q, y, row, key, dom) {
  des <- update(des, y_ = y)
  m <- svymean(~y_, des[!is.na(y) & dom, ])
  out$cells[[length(out$cells) + 1]] <<- list(data = name, question = q, row = row,
    column = key, estimate = unname(coef(m)), se = as.numeric(SE(m)))
}

pair <- function(name, des, q, y, row, ka, kb, da, db) {
  # disjoint columns: svyttest's t, and svyby + svycontrast's SE of the difference
  des <- update(des, y_ = y, g_ = as.numeric(da), grp_ = ifelse(da, "a", "b"))
  sub <- des[!is.na(y) & (da | db), ]
  tt <- svyttest(y_ ~ g_, sub)
  by <- svyby(~y_, ~grp_, sub, svymean, covmat = TRUE)
  ct <- svycontrast(by, c(a = 1, b = -1))
  out$pairs[[length(out$pairs) + 1]] <<- list(data = name, question = q, row = row,
    a = ka, b = kb, difference = unname(coef(ct)), se = as.numeric(SE(ct)),
    t = unname(tt$statistic), df = unname(tt$parameter), p = unname(tt$p.value),
    method = "svyttest")
}

overlap <- function(name, des, q, y, row, ka, kb, da, db) {
  # overlapping columns (a column against Total): the difference of the two ratios
  # Σ w·y·d / Σ w·d, linearised by svycontrast from their four totals' covariance
  des <- update(des, ya_ = y * da, a_ = as.numeric(da), yb_ = y * db, b_ = as.numeric(db))
  tot <- svytotal(~ya_ + a_ + yb_ + b_, des[!is.na(y), ])
  ct <- svycontrast(tot, quote(ya_ / a_ - yb_ / b_))
  t <- as.numeric(coef(ct) / SE(ct))
  df <- degf(des[!is.na(y) & (da | db), ]) - 1
  out$pairs[[length(out$pairs) + 1]] <<- list(data = name, question = q, row = row,
    a = ka, b = kb, difference = unname(coef(ct)), se = as.numeric(SE(ct)), t = t, df = df,
    p = 2 * pt(-abs(t), df), method = "svycontrast")
}

# one question's rows (each answer code as a 0/1 indicator, or the mean of a numeric
# question) by the columns of a banner: cells, then pairs within each test group
table <- function(name, des, d, q, rows, columns, groups, against_total = FALSE) {
  for (row in names(rows)) {
    y <- rows[[row]]
    cell(name, des, q, y, row, "total", rep(TRUE, nrow(d)))
    for (key in names(columns)) cell(name, des, q, y, row, key, columns[[key]])
    for (g in groups) {
      for (i in seq_along(g)) {
        if (against_total) {
          overlap(name, des, q, y, row, g[i], "total", columns[[g[i]]], rep(TRUE, nrow(d)))
          next
        }
        for (j in seq_along(g)) {
          if (j > i) pair(name, des, q, y, row, g[i], g[j], columns[[g[i]]], columns[[g[j]]])
        }
      }
    }
  }
}

codes <- function(q, values) {
  setNames(lapply(values, function(v) as.numeric(q == v)), as.character(values))
}
columns_of <- function(var, x, values) {
  setNames(lapply(values, function(v) !is.na(x) & x == v), paste0(var, "=", values))
}

# ---- NHANES: strata and PSUs (two per stratum, numbered within it), weights ----------------
nh <- data.frame(respondent_id = seq_len(nrow(nhanes)), psu = as.integer(nhanes$SDMVPSU),
                 stratum = as.integer(nhanes$SDMVSTRA), weight = nhanes$WTMEC2YR,
                 hi_chol = as.integer(nhanes$HI_CHOL), race = as.integer(nhanes$race),
                 agecat = as.integer(nhanes$agecat), gender = as.integer(nhanes$RIAGENDR))
write.csv(nh, file.path(here, "nhanes.csv"), row.names = FALSE, na = "")
des <- svydesign(id = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE, data = nh)
chol <- codes(nh$hi_chol, 0:1)
race <- columns_of("race", nh$race, 1:4)
table("nhanes", des, nh, "hi_chol", chol, race, list(names(race)))
table("nhanes", des, nh, "hi_chol", chol, race, list(names(race)), against_total = TRUE)
nested <- list()
groups <- list()
for (b in 1:4) {
  keys <- paste0("gender/agecat=", 1:2, "/", b)
  for (a in 1:2) nested[[keys[a]]] <- !is.na(nh$gender) & nh$gender == a & nh$agecat == b
  groups[[b]] <- keys
}
table("nhanes", des, nh, "hi_chol", chol, nested, groups)
# a profile of race = 1 against the rest: every answer of every other variable, svyttest
out$profile <- list()
in_group <- !is.na(nh$race) & nh$race == 1
for (v in c("hi_chol", "agecat", "gender")) {
  for (code in sort(unique(na.omit(nh[[v]])))) {
    y <- as.numeric(nh[[v]] == code)
    d <- update(des, y_ = y, g_ = as.numeric(in_group))
    tt <- svyttest(y_ ~ g_, d[!is.na(y), ])
    out$profile[[length(out$profile) + 1]] <- list(data = "nhanes", question = v,
      row = as.character(code), t = unname(tt$statistic), df = unname(tt$parameter),
      p = unname(tt$p.value))
  }
}
# unweighted: the same strata and PSUs, every respondent weight 1
nh1 <- nh
nh1$one <- 1
des1 <- svydesign(id = ~psu, strata = ~stratum, weights = ~one, nest = TRUE, data = nh1)
age <- columns_of("agecat", nh$agecat, 1:4)
table("nhanes-unweighted", des1, nh, "hi_chol", chol, age, list(names(age)))

# ---- apiclus1: one-stage cluster sample of school districts, FPC as population count -------
cl <- data.frame(respondent_id = seq_len(nrow(apiclus1)), dnum = apiclus1$dnum,
                 fpc = apiclus1$fpc, pw = apiclus1$pw,
                 stype = as.integer(apiclus1$stype), sch_wide = yes_no(apiclus1$sch.wide),
                 api00 = apiclus1$api00)
write.csv(cl, file.path(here, "apiclus1.csv"), row.names = FALSE, na = "")
des <- svydesign(id = ~dnum, fpc = ~fpc, weights = ~pw, data = cl)
stype <- columns_of("stype", cl$stype, 1:3)
table("apiclus1", des, cl, "sch_wide", codes(cl$sch_wide, 0:1), stype, list(names(stype)))
table("apiclus1", des, cl, "api00", list(mean = cl$api00), stype, list(names(stype)))

# ---- apistrat: stratified by school type, no clusters (each school its own PSU), FPC -------
st <- data.frame(respondent_id = seq_len(nrow(apistrat)), stratum = as.integer(apistrat$stype),
                 fpc = apistrat$fpc, pw = apistrat$pw, yr_rnd = yes_no(apistrat$yr.rnd),
                 awards = yes_no(apistrat$awards), api00 = apistrat$api00)
write.csv(st, file.path(here, "apistrat.csv"), row.names = FALSE, na = "")
des <- svydesign(id = ~1, strata = ~stratum, fpc = ~fpc, weights = ~pw, data = st)
yr <- columns_of("yr_rnd", st$yr_rnd, 0:1)
table("apistrat", des, st, "awards", codes(st$awards, 0:1), yr, list(names(yr)))
table("apistrat", des, st, "api00", list(mean = st$api00), yr, list(names(yr)))
table("apistrat", des, st, "api00", list(mean = st$api00), yr, list(names(yr)),
      against_total = TRUE)

writeLines(toJSON(out, auto_unbox = TRUE, digits = I(17), pretty = TRUE),
           file.path(here, "reference.json"))

# Reference weights for heetui's weighting to targets (tests/weighting/test_rake_reference.py),
# computed by R's survey package (rake, with a tolerance far below the tests' 1e-6) and
# frozen in reference.json so the tests need no R. Run from anywhere (Debian: apt-get
# install r-cran-survey):
#
#   Rscript tests/weighting/make_reference.R
#
# Two data sets: hee.csv (the bundled survey's weighting columns, written from
# data/hee2019/respondents.parquet) and apistrat.csv, written here from R's own api data
# (a real stratified sample of 200 California schools), whose population margins (apipop)
# are the classic raking example. Each case gives every respondent's weight in file order.
suppressMessages({library(survey); library(jsonlite)})
args <- commandArgs(FALSE)
here <- dirname(normalizePath(sub("--file=", "", grep("--file=", args, value = TRUE))))
data(api)
out <- list(versions = list(R = R.version.string,
                            survey = as.character(packageVersion("survey"))), cases = list())
ctl <- list(maxit = 10000, epsilon = 1e-11, verbose = FALSE)

case <- function(name, des, margins, totals) {
  r <- rake(des, margins, totals, control = ctl)
  out$cases[[name]] <<- list(weights = unname(weights(r)))
}
pop <- function(var, codes, counts) {
  d <- data.frame(codes, counts)
  names(d) <- c(var, "Freq")
  d
}

hee <- read.csv(file.path(here, "hee.csv"))
n <- nrow(hee)
# percent targets: the weights average 1, so the population totals are shares of n
flat <- svydesign(ids = ~1, data = hee, weights = ~rep(1, n))
started <- svydesign(ids = ~1, data = hee, weights = ~weight)
st <- pop("stakeholder_type", 1:3, c(20, 50, 30) / 100 * n)
sen <- pop("seniority", 1:2, c(40, 60) / 100 * n)
con <- pop("in_contact", 1:2, c(85, 15) / 100 * n)
case("hee_two", flat, list(~stakeholder_type, ~seniority), list(st, sen))
case("hee_three", flat, list(~stakeholder_type, ~seniority, ~in_contact), list(st, sen, con))
# with the bundle's weight as the starting weight: R keeps its total, heetui scales to n
case("hee_started", started, list(~stakeholder_type, ~seniority), list(st, sen))

# apistrat: school type (E/H/M = 1/2/3), schoolwide target met and awards (No/Yes = 0/1);
# count targets from the population, the sampling weight pw as the starting weight
api <- data.frame(respondent_id = seq_len(nrow(apistrat)),
                  stype = as.integer(apistrat$stype),
                  sch_wide = as.integer(apistrat$sch.wide == "Yes"),
                  awards = as.integer(apistrat$awards == "Yes"),
                  pw = apistrat$pw)
write.csv(api, file.path(here, "apistrat.csv"), row.names = FALSE)
des <- svydesign(ids = ~1, data = api, weights = ~pw)
case("api_counts", des, list(~stype, ~sch_wide, ~awards),
     list(pop("stype", 1:3, as.numeric(table(apipop$stype))),
          pop("sch_wide", 0:1, as.numeric(table(apipop$sch.wide == "Yes"))),
          pop("awards", 0:1, as.numeric(table(apipop$awards == "Yes")))))
write(toJSON(out, digits = NA, auto_unbox = TRUE), file.path(here, "reference.json"))

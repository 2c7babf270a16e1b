# Reference fits of the beta-binomial prior by R VGAM (vglm(cbind(x, n - x) ~ 1, betabinomialff)),
# on the data sets of datasets.json (written by make_shrink_cases.py). Writes vgam_cases.json.
# Run: Rscript tests/references/shrink/make_vgam_cases.R  (from the repository root)
suppressMessages(library(VGAM))
here <- "tests/references/shrink"
txt <- paste(readLines(file.path(here, "datasets.json")), collapse = "")
# A small JSON reader for this file's shape: {"name": {"successes": [...], "trials": [...]}, ...}
parse_numbers <- function(s) as.numeric(strsplit(gsub("[^0-9.,eE+-]", "", s), ",")[[1]])
names <- regmatches(txt, gregexpr('"([a-z_]+)": \\{', txt))[[1]]
names <- gsub('[": {]', "", names)
out <- c()
for (name in names) {
  block <- regmatches(txt, regexpr(paste0('"', name, '": \\{[^}]*\\}'), txt))
  s <- regmatches(block, regexpr('"successes": \\[[^]]*\\]', block))
  t <- regmatches(block, regexpr('"trials": \\[[^]]*\\]', block))
  x <- parse_numbers(sub('"successes": ', "", s))
  n <- parse_numbers(sub('"trials": ', "", t))
  fit <- vglm(cbind(x, n - x) ~ 1, betabinomialff, control = vglm.control(epsilon = 1e-12, maxit = 500))
  co <- Coef(fit)
  out <- c(out, sprintf('"%s": {"alpha": %.17g, "beta": %.17g}', name, co[1], co[2]))
}
writeLines(paste0("{", paste(out, collapse = ", "), "}"), file.path(here, "vgam_cases.json"))

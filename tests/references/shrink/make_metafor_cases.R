# Reference fits of the normal-normal model by R metafor: rma(yi, vi, method = "REML") and blup()
# on simulated group means and their squared standard errors. Writes metafor_cases.json.
# Run: Rscript tests/references/shrink/make_metafor_cases.R  (from the repository root)
suppressMessages(library(metafor))
set.seed(18)
here <- "tests/references/shrink"
cases <- list(
  list(name = "stores", k = 30, tau = 0.4, sd = 1.1, nmin = 3, nmax = 40),
  list(name = "agents", k = 200, tau = 0.25, sd = 1.4, nmin = 2, nmax = 25),
  list(name = "tiny_spread", k = 15, tau = 0.0, sd = 1.0, nmin = 20, nmax = 60),
  list(name = "wide", k = 12, tau = 1.5, sd = 0.8, nmin = 5, nmax = 10)
)
num <- function(x) paste(sprintf("%.17g", x), collapse = ", ")
out <- c()
for (case in cases) {
  n <- sample(case$nmin:case$nmax, case$k, replace = TRUE)
  theta <- 4 + rnorm(case$k, 0, case$tau)
  yi <- theta + rnorm(case$k, 0, case$sd / sqrt(n))
  vi <- (case$sd * runif(case$k, 0.8, 1.2))^2 / n
  fit <- rma(yi, vi, method = "REML", control = list(threshold = 1e-14, maxiter = 10000))
  b <- blup(fit)
  out <- c(out, sprintf(
    '"%s": {"yi": [%s], "vi": [%s], "tau2": %.17g, "mu": %.17g, "se_mu": %.17g, "pred": [%s], "se": [%s], "pi_lb": [%s], "pi_ub": [%s]}',
    case$name, num(yi), num(vi), fit$tau2, as.numeric(fit$beta), fit$se, num(b$pred), num(b$se), num(b$pi.lb), num(b$pi.ub)))
}
writeLines(paste0("{", paste(out, collapse = ", "), "}"), file.path(here, "metafor_cases.json"))

# cxmetrics -- external reference values for key-driver analysis
# (LMG / Shapley importance, Johnson (2000) relative weights = relaimpo "genizi").
#
# Run:  Rscript tests/references/drivers.R > tests/references/drivers_R_output.txt
#
# Optional packages (used for cross-checks when installed; the script also runs without them):
#   install.packages(c("relaimpo", "rwa"), repos = "https://cloud.r-project.org")  (into a library R can write to)
#   then, from the repository root: Rscript tests/references/drivers.R > tests/references/drivers_R_output.txt
# When relaimpo is available the script prints calc.relimp(type = c("lmg", "genizi"), rela = FALSE)
# next to the base-R values and the max abs difference.  The base-R values are computed by two
# independent routes each:
#   LMG     route 1: exact Shapley average over all 2^p sub-models, R^2 of each sub-model from lm()
#           route 2: the same average, R^2 of each sub-model from the correlation matrix
#                    (R^2_S = r_yS' R_SS^{-1} r_yS)  -- this is what relaimpo does internally
#   Johnson route 1: Rxx = Q diag(L) Q', Lambda = Q diag(sqrt(L)) Q', beta = solve(Lambda, rxy),
#                    raw_j = sum_k Lambda[j,k]^2 beta[k]^2
#           route 2: Johnson's original data construction: SVD of the standardized X, Z = U V'
#                    (orthonormal, closest to X), beta_Z = regression of standardized y on Z,
#                    Lambda = regression of X on Z, raw_j = sum_k Lambda[j,k]^2 beta_Z[k]^2
# relaimpo's genizicalc() (relaimpo >= 2.2) evaluates exactly the Johnson route-1 formula on
# cov2cor() of the (weighted) covariance matrix, so genizi == Johnson raw weight.
# relaimpo's lmg with lm(..., weights = w) uses cov.wt(cbind(y, x), wt = w), i.e. the same weighted
# correlation matrix as cov.wt(x, wt = w/sum(w), cor = TRUE) used here for case (e).
# Sign = sign of the standardized regression coefficient (solve(Rxx, rxy)) in the full model.
# Columns: lmg and johnson_raw are on the R^2 scale (rela = FALSE, they sum to r2);
# *_pct = 100 * value / sum; mean = driver mean (weighted.mean for case e) over the rows used.

f <- function(x) sprintf("%.15g", x)
has_relaimpo <- suppressWarnings(requireNamespace("relaimpo", quietly = TRUE))
has_rwa <- suppressWarnings(requireNamespace("rwa", quietly = TRUE))
cat("R:", R.version.string, "\n")
cat("relaimpo:", if (has_relaimpo) as.character(packageVersion("relaimpo")) else "NOT INSTALLED", "\n")
cat("rwa:", if (has_rwa) as.character(packageVersion("rwa")) else "NOT INSTALLED", "\n")

# weighted correlation matrix (weighted means, weighted covariances); w = NULL -> unweighted
wcor <- function(M, w = NULL) {
  if (is.null(w)) return(cor(M))
  cov.wt(M, wt = w / sum(w), cor = TRUE)$cor
}

r2_from_cor <- function(R, S) {       # R: (1+p)x(1+p), outcome first; S: driver indices (1..p)
  if (length(S) == 0) return(0)
  idx <- S + 1
  r <- R[1, idx]
  as.numeric(r %*% solve(R[idx, idx, drop = FALSE], r))
}

lmg_generic <- function(p, r2fun) {
  subsets <- lapply(0:(2^p - 1), function(m) which(bitwAnd(m, 2^(0:(p - 1))) > 0))
  r2 <- vapply(subsets, r2fun, numeric(1))
  key <- vapply(subsets, function(S) sum(2^(S - 1)), numeric(1))
  r2_of <- function(S) r2[match(sum(2^(S - 1)), key)]
  out <- numeric(p)
  for (j in 1:p) {
    for (S in subsets) {
      if (j %in% S) next
      k <- length(S)
      wgt <- factorial(k) * factorial(p - k - 1) / factorial(p)
      out[j] <- out[j] + wgt * (r2_of(c(S, j)) - r2_of(S))
    }
  }
  out
}

lmg_cor <- function(R) { p <- ncol(R) - 1; lmg_generic(p, function(S) r2_from_cor(R, S)) }

lmg_lm <- function(d, y, xs, w = NULL) {
  p <- length(xs)
  lmg_generic(p, function(S) {
    if (length(S) == 0) return(0)
    fo <- reformulate(xs[S], response = y)
    fit <- if (is.null(w)) lm(fo, data = d) else lm(fo, data = d, weights = w)
    summary(fit)$r.squared
  })
}

johnson_eigen <- function(R) {
  Rxx <- R[-1, -1]; rxy <- R[-1, 1]
  e <- eigen(Rxx, symmetric = TRUE)
  Lam <- e$vectors %*% diag(sqrt(e$values)) %*% t(e$vectors)
  beta <- solve(Lam, rxy)
  as.numeric((Lam^2) %*% (beta^2))
}

johnson_svd <- function(d, y, xs, w = NULL) {
  n <- nrow(d)
  if (is.null(w)) w <- rep(1, n)
  w <- w / sum(w)
  X <- as.matrix(d[, xs]); yy <- d[[y]]
  mx <- colSums(X * w); my <- sum(yy * w)
  Xc <- sweep(X, 2, mx); yc <- yy - my
  sx <- sqrt(colSums(Xc^2 * w)); sy <- sqrt(sum(yc^2 * w))
  Xs <- sweep(Xc, 2, sx, "/") * sqrt(w)            # unit-norm columns
  ys <- yc / sy * sqrt(w)
  s <- svd(Xs)
  Z <- s$u %*% t(s$v)                              # orthonormal columns, closest to Xs
  bz <- as.numeric(crossprod(Z, ys))               # regression of ys on Z (Z'Z = I)
  Lam <- as.matrix(crossprod(Z, Xs))               # Lambda[k, j]: regression of X_j on Z_k
  as.numeric(t(Lam^2) %*% (bz^2))
}

run_case <- function(label, d, y, xs, w = NULL) {
  cat("\n==== case", label, "====\n")
  cat("model: ", y, " ~ ", paste(xs, collapse = " + "),
      if (!is.null(w)) "  [weighted]" else "", "\n", sep = "")
  M <- as.matrix(d[, c(y, xs)])
  R <- wcor(M, w)
  fo <- reformulate(xs, response = y)
  fit <- if (is.null(w)) lm(fo, data = d) else lm(fo, data = d, weights = w)
  r2_lm <- summary(fit)$r.squared
  r2_cor <- r2_from_cor(R, seq_along(xs))
  beta_std <- as.numeric(solve(R[-1, -1], R[-1, 1]))
  means <- if (is.null(w)) colMeans(d[, xs, drop = FALSE]) else sapply(xs, function(v) weighted.mean(d[[v]], w))
  l1 <- lmg_lm(d, y, xs, w)
  l2 <- lmg_cor(R)
  j1 <- johnson_eigen(R)
  j2 <- johnson_svd(d, y, xs, w)
  cat("n", nrow(d), "\n")
  if (!is.null(w)) cat("sum_weights", f(sum(w)), "\n")
  cat("r2", f(r2_lm), "\n")
  cat("r2_from_cor", f(r2_cor), "\n")
  cat(sprintf("%-18s %-22s %-22s %-22s %-22s %-5s %-22s %s\n", "driver", "lmg", "johnson_raw",
              "lmg_pct", "johnson_pct", "sign", "beta_std", "mean"))
  for (j in seq_along(xs)) {
    cat(sprintf("%-18s %-22s %-22s %-22s %-22s %-5s %-22s %s\n", xs[j], f(l1[j]), f(j1[j]),
                f(100 * l1[j] / sum(l1)), f(100 * j1[j] / sum(j1)),
                sprintf("%+d", as.integer(sign(beta_std[j]))), f(beta_std[j]), f(means[j])))
  }
  cat("sum_lmg", f(sum(l1)), " sum_johnson", f(sum(j1)), "\n")
  cat("check max|lmg(lm R2) - lmg(cor R2)|      =", format(max(abs(l1 - l2)), digits = 3), "\n")
  cat("check max|johnson(eigen) - johnson(svd)| =", format(max(abs(j1 - j2)), digits = 3), "\n")
  cat("check |r2(lm) - r2(cor)|                  =", format(abs(r2_lm - r2_cor), digits = 3), "\n")
  if (has_relaimpo) {
    ri <- relaimpo::calc.relimp(fit, type = c("lmg", "genizi"), rela = FALSE)
    cat("relaimpo calc.relimp(", if (!is.null(w)) "lm with weights" else "lm", "): R2 ", f(ri@R2), "\n", sep = "")
    for (j in seq_along(xs))
      cat(sprintf("  relaimpo %-18s lmg %-22s genizi %s\n", xs[j], f(ri@lmg[xs[j]]), f(ri@genizi[xs[j]])))
    cat("check max|relaimpo lmg - lmg|        =", format(max(abs(ri@lmg[xs] - l1)), digits = 3), "\n")
    cat("check max|relaimpo genizi - johnson| =", format(max(abs(ri@genizi[xs] - j1)), digits = 3), "\n")
    if (!is.null(w)) {
      rc <- relaimpo::calc.relimp(R, type = c("lmg", "genizi"), rela = FALSE)
      cat("relaimpo calc.relimp(cov.wt correlation matrix): R2", f(rc@R2), "\n")
      for (j in seq_along(xs))
        cat(sprintf("  relaimpo-cor %-18s lmg %-22s genizi %s\n", xs[j], f(rc@lmg[xs[j]]), f(rc@genizi[xs[j]])))
      cat("check max|relaimpo(cor) lmg - relaimpo(lm weights) lmg| =",
          format(max(abs(rc@lmg[xs] - ri@lmg[xs])), digits = 3), "\n")
    }
  } else cat("relaimpo not installed: relaimpo cross-check skipped\n")
  if (has_rwa && is.null(w)) {
    rw <- suppressMessages(rwa::rwa(d, outcome = y, predictors = xs))  # d is complete here
    rr <- rw$result
    raw <- rr$Raw.RelWeight[match(xs, rr$Variables)]
    for (j in seq_along(xs)) cat(sprintf("  rwa %-18s raw %s\n", xs[j], f(raw[j])))
    cat("check max|rwa raw - johnson| =", format(max(abs(raw - j1)), digits = 3), "\n")
  }
  invisible(list(R = R, lmg = l1, johnson = j1))
}

# (a) mtcars: mpg ~ cyl + disp + hp + gear
a <- run_case("a", mtcars, "mpg", c("cyl", "disp", "hp", "gear"))
cat("case a: Johnson raw weights straight from the formula\n")
cat("  (Rxx = Q diag(L) Q', Lambda = Q diag(sqrt(L)) Q', beta = solve(Lambda, rxy), raw_j = sum_k Lambda[j,k]^2 beta[k]^2)\n")
{
  Rxx <- cor(mtcars[, c("cyl", "disp", "hp", "gear")]); rxy <- cor(mtcars[, c("cyl", "disp", "hp", "gear")], mtcars$mpg)[, 1]
  e <- eigen(Rxx, symmetric = TRUE)
  Lambda <- e$vectors %*% diag(sqrt(e$values)) %*% t(e$vectors)
  beta <- solve(Lambda, rxy)
  raw <- rowSums(Lambda^2 %*% diag(beta^2))
  for (j in 1:4) cat(sprintf("  direct %-6s %s\n", names(rxy)[j], f(raw[j])))
  cat("  sum", f(sum(raw)), "\n")
}
cat("case a: values quoted in the brief (7 digits): R2 0.7791896; LMG 0.2470520 0.2434996 0.2109129 0.0777251;",
    "Johnson 0.2284797 0.2221469 0.2321744 0.0963886\n")
cat("  max|lmg - quoted|     =", format(max(abs(a$lmg - c(0.2470520, 0.2434996, 0.2109129, 0.0777251))), digits = 3), "\n")
cat("  max|johnson - quoted| =", format(max(abs(a$johnson - c(0.2284797, 0.2221469, 0.2321744, 0.0963886))), digits = 3), "\n")

# (b) mtcars, 6 drivers
run_case("b", mtcars, "mpg", c("cyl", "disp", "hp", "drat", "wt", "qsec"))

# (c) mtcars, 2 drivers: LMG and Johnson coincide
cc <- run_case("c", mtcars, "mpg", c("wt", "hp"))
cat("case c: max|lmg - johnson| =", format(max(abs(cc$lmg - cc$johnson)), digits = 3), "\n")

# (d) swiss
run_case("d", swiss, "Fertility", c("Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality"))

# (e) weighted: w = mtcars$carb; analysis on the weighted correlation matrix
#     cov.wt(x, wt = w/sum(w), cor = TRUE); r2 printed is summary(lm(..., weights = carb))$r.squared,
#     means are weighted.mean(x, w)
run_case("e", mtcars, "mpg", c("cyl", "disp", "hp", "gear"), w = mtcars$carb)

# (f) missing values, listwise deletion on the model variables
aq <- airquality[, c("Ozone", "Solar.R", "Wind", "Temp")]
ok <- complete.cases(aq)
cat("\ncase f: airquality rows", nrow(aq), " complete", sum(ok), " dropped", sum(!ok), "\n")
run_case("f", aq[ok, ], "Ozone", c("Solar.R", "Wind", "Temp"))

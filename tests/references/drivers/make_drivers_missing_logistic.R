# cxmetrics -- external reference values for key-driver analysis with missing data
# (pairwise correlations with a nearPD repair, mean imputation with missing indicators) and for
# logistic dominance analysis (binary outcome, McFadden / Nagelkerke / Estrella pseudo-R^2).
#
# Run (from the repository root; about 10-30 s):
#   Rscript tests/references/drivers/make_drivers_missing_logistic.R
# Reads:   tests/references/data/airquality.csv, tests/references/data/mtcars.csv
#          (write.csv copies of R's data sets, NA = empty field)
# Writes:  tests/references/drivers/cx_touchpoints.csv      (simulated data, see "DATA" below)
#          tests/references/drivers/drivers_missing_logistic.json   (all reference values)
# and prints a short log (with self-checks) to standard output.
# Needs only base R plus the packages Matrix (nearPD; recorded with Matrix 1.5.3) and jsonlite.
# Numbers in the JSON are written with jsonlite::write_json(digits = NA), i.e. 15 significant digits;
# NA is written as null (na = "null"), matrices as arrays of rows.
#
# ---------------------------------------------------------------------------------------------------
# SHAPLEY / LMG (used by every case)
#   Players 1..p (the drivers, in the order listed in the case). v is a set function with
#   v(empty) = 0. For each player j
#       phi_j = sum over subsets S of {1..p} \ {j} of  |S|! (p - |S| - 1)! / p!  * (v(S u {j}) - v(S)),
#   computed by enumerating all 2^p subsets (no sampling). Hence sum_j phi_j = v(all).
#   In the JSON, "subset_values" holds v for every subset: element m (0-based) is v of the subset whose
#   bit (j-1) of m is set iff driver j is in it (m = 0 the empty set, m = 2^p - 1 all drivers).
#
# (A) LINEAR, missing = "pairwise"   (method "linear_pairwise"; cases A1, A2, A3)
#   M = the columns (outcome, driver_1, ..., driver_p), outcome first; w = weights (or none).
#   pair_n[a, b] = number of rows where both column a and column b are present (diagonal: rows where
#   column a is present); a (p+1) x (p+1) matrix, outcome first.
#   C_pairwise[a, b] = correlation of columns a and b over the rows where both are present:
#     unweighted: C = cor(M, use = "pairwise.complete.obs");
#     weighted:   C[a, b] = cov.wt(M[ok, c(a, b)], wt = w[ok], cor = TRUE)$cor[1, 2], ok = both present
#                 (weighted means and covariances within the pair, weights renormalised within the
#                 pair; the correlation does not depend on the divisor). Diagonal = 1.
#   Repair: if the smallest eigenvalue of the full C or of the driver block C[-1, -1] is <= 0, then
#     C <- as.matrix(Matrix::nearPD(C, corr = TRUE, conv.tol = 1e-13, maxit = 100000, eig.tol = 1e-6,
#                    posd.tol = 1e-8, conv.norm.type = "I", doDykstra = TRUE, do2eigen = TRUE)$mat)
#     and repaired = TRUE (otherwise C = C_pairwise, repaired = FALSE). "C" in the JSON is the matrix
#     used (after any repair), "C_pairwise" the matrix before the repair.
#   v(S) = R^2(S) = r_S' R_SS^{-1} r_S with r = C[outcome, drivers], R = C[drivers, drivers].
#   r_squared = v(all drivers); shapley = phi (sums to r_squared).
#   direction = sign(solve(R, r)) (signs of the standardized full-model coefficients, from C used);
#   beta_std  = solve(R, r). condition_number_used = kappa(C, exact = TRUE) (2-norm) of the C used.
#   nearpd = list(iterations, converged, rel_tol, normF) of the nearPD call, null when not repaired.
#   performance_j = mean of driver j over the rows where driver j is present (weighted.mean with the
#   weights of those rows when weighted) -- independent of the outcome being present.
#   A1: airquality, Ozone ~ Solar.R + Wind + Temp + Month, unweighted (all 153 rows; Ozone has 37 NA,
#       Solar.R 7 NA).
#   A2: as A1, weighted with the deterministic weight w = 1 + (Day %% 3) (values 1, 2, 3; not a column
#       of airquality.csv: JSON "weights" = "w", "weights_expression" and "weights_values" give it).
#   A3: cx_touchpoints.csv, a_overall ~ a01 + a02 + a03, unweighted. The three ratings a01..a03 are
#       observed mostly on disjoint groups of respondents (see DATA), with pairwise correlations
#       +0.650 (a01,a02), +0.687 (a01,a03), -0.636 (a02,a03), which no correlation matrix can have
#       (the driver block has eigenvector (1, -1, -1) with eigenvalue about -0.3): the pairwise C is
#       not positive definite and nearPD repairs it (checked by the script).
#       NOTE: a nearest correlation matrix lies on the boundary of the PSD set, so the repaired C is
#       singular up to posd.tol (smallest eigenvalue = 1e-8 x largest, condition number ~1e8) and the
#       outcome is almost a linear combination of the drivers in it: r_squared = 1 - 1.4e-6 and the
#       full-model beta_std are large with a sign flip for a01. These values are nonetheless stable
#       (perturbing C_pairwise by 1e-13 moves C by < 1e-13 and r_squared by < 1e-13).
#
# (B) LINEAR, missing = "impute"   (mean imputation with missing indicators; method "linear_impute")
#   Rows with a missing outcome are dropped; n = rows kept. For each driver with at least one missing
#   value among the kept rows: the missing values are replaced by the (weighted) mean of its observed
#   values in the kept rows (JSON "imputed_means"; null for drivers without missing values), and an
#   indicator column <driver>_missing (1 = was missing, 0 = observed) is added. Drivers without
#   missing values get no indicator. Each player is a driver together with its indicator (a group of
#   1 or 2 columns; JSON "groups"). v(S) = R^2 of lm(outcome ~ all columns of the players in S)
#   (intercept included; lm(..., weights = w) and the weighted R^2 of summary.lm when weighted),
#   computed with lm() (an independent route from the correlation-matrix formula of (A); the script
#   checks both agree). r_squared = v(all players); shapley per driver.
#   B1: airquality, Ozone ~ Solar.R + Wind + Temp + Month, unweighted (the 37 rows with Ozone NA are
#       dropped -> n = 116; Solar.R has 5 NA among them and gets an indicator; Wind, Temp, Month none).
#   B2: cx_touchpoints.csv, overall ~ t01 + ... + t06, unweighted (overall is never missing, n = 2000;
#       each of t01..t06 has missing values and gets an indicator).
#
# (C) BINARY OUTCOME: LOGISTIC DOMINANCE   (method "logistic")
#   Rows with a missing value in the outcome, any driver (or the weight) are dropped (complete rows);
#   n = rows kept, N = n (unweighted) or sum of the weights of the kept rows (weighted).
#   LL(S) = maximised log-likelihood of glm(y ~ drivers in S, family = binomial, weights = w,
#           control = glm.control(epsilon = 1e-14, maxit = 200)), with the weights as frequency
#           weights: LL = sum_i w_i [y_i log p_i + (1 - y_i) log(1 - p_i)], p_i the fitted values
#           (computed here from the linear predictor eta_i as log p = plogis(eta, log.p = TRUE),
#           log(1 - p) = plogis(-eta, log.p = TRUE); logLik() is not used because for non-integer
#           weights it is a different quantity). LL0 = LL(empty) (intercept-only model; equals
#           N [ybar log ybar + (1 - ybar) log(1 - ybar)], ybar the weighted mean of y; checked).
#           (Fits use glm.fit(), the function glm() calls, with the design matrix cbind(1, X[, S]).)
#   Three pseudo-R^2 set functions over the same fits, each 0 at the empty set:
#     McFadden:   v(S) = 1 - LL(S) / LL0
#     Nagelkerke: v(S) = (1 - exp(2 (LL0 - LL(S)) / N)) / (1 - exp(2 LL0 / N))
#     Estrella:   v(S) = 1 - (LL(S) / LL0)^(-(2 / N) LL0)
#   r_squared = McFadden of the full model; mcfadden_full / nagelkerke_full / estrella_full = the three
#   values of the full model; shapley_mcfadden / shapley_nagelkerke / shapley_estrella = phi of each.
#   "shapley" = shapley_mcfadden. direction = sign of each driver's coefficient in the full glm
#   ("coefficients" holds them, intercept first). ll_full = LL(all), ll_null = LL0.
#   Warnings of glm over all 2^p fits are recorded per case ("glm_warnings": "<subset>: <message>");
#   the warning "non-integer #successes in a binomial glm!" that binomial() always gives for
#   non-integer weights is expected and is recorded separately ("glm_warnings_expected").
#   "max_iter" = largest IRLS iteration count over the fits, "all_converged" = every fit converged.
#   C1: mtcars, am ~ mpg + hp + wt (no warnings; am ~ mpg + hp + qsec + drat and am ~ hp + wt + qsec
#       give "fitted probabilities numerically 0 or 1" in some sub-models, so they were not used).
#   C2: mtcars, vs ~ mpg + drat + wt + gear (no warnings; vs ~ mpg + disp + drat + wt does not
#       converge, vs ~ mpg + hp + wt + drat separates).
#   C3: cx_touchpoints.csv, repurchase ~ t01 + ... + t05, complete rows, unweighted.
#   C4: as C3, weighted by the column "weight".
#   C5: cx_touchpoints.csv, repurchase ~ c01 + ... + c12 (12 drivers, 4096 fits), unweighted.
#
# DATA: cx_touchpoints.csv (simulated here, set.seed(20240611), n = 2000 respondents, written with
#   write.csv(..., na = "", row.names = FALSE); integers are written as integers, NA as empty field)
#   respondent  1..2000
#   weight      round(exp(rnorm(n, 0, 0.4)), 4)
#   L           latent satisfaction ~ N(0, 1) (not written)
#   c01..c12    complete 1-5 ratings: c_k = 1 + findInterval(lambda_k L + sqrt(1 - lambda_k^2) e_k,
#               c(-1.6, -0.8, 0.1, 1.0)), e_k ~ N(0, 1), lambda = 0.80 0.75 0.70 0.65 0.60 0.75 0.70
#               0.65 0.60 0.55 0.50 0.45 (so the ratings are positively correlated with each other)
#   t01..t12    the same ratings made sparse: t_k = c_k where runif(n) < q_k, NA otherwise, with rating
#               probabilities q = 0.97 0.95 0.93 0.92 0.90 0.85 0.75 0.65 0.55 0.45 0.35 0.30
#               (t01..t05 rated by >= 90%, so that about 70% of the rows are complete for C3/C4)
#   overall     0-10 integer: round(6.8 + sum_k beta_k (c_k - 3.3) + 0.6 L + N(0, 1.3^2)), clipped to
#               [0, 10], beta = 0.45 0.35 0.30 0.25 0.20 0.30 0.15 0.10 0.10 0.05 0.05 0
#   repurchase  0/1: rbinom(n, 1, plogis(0.3 + 0.35 (overall - mean(overall)) + sum_k g_k (c_k - 3.3))),
#               g = 0.30 0.25 0.20 0.20 0.15 0.25 0.15 0.10 0.10 0.05 0.05 0.05
#   a01..a03, a_overall  (only for case A3) -- each respondent is put in one group with probabilities
#               AB 0.31, AC 0.31, BC 0.31, ALL 0.04, ONE 0.03; with u, e ~ N(0, 1):
#                 AB: z1 = u, z2 = 0.8 u + 0.6 e          (a03 missing)
#                 AC: z1 = u, z3 = 0.8 u + 0.6 e          (a02 missing)
#                 BC: z2 = u, z3 = -0.8 u + 0.6 e         (a01 missing)
#                 ALL: z1, z2, z3 independent N(0, 1)     (all three rated)
#                 ONE: one of z1, z2, z3 (chosen at random) = u, the other two missing
#               a0k = 1 + findInterval(zk, c(-1.5, -0.5, 0.5, 1.5)) where observed;
#               a_overall (always present) = round(5 + 1.6 (0.5 * sum of the observed zk + N(0, 0.8^2))),
#               clipped to [0, 10].
# ---------------------------------------------------------------------------------------------------

suppressPackageStartupMessages({
  library(Matrix)
  library(jsonlite)
})
t0 <- proc.time()[["elapsed"]]
out_dir <- file.path("tests", "references", "drivers")
if (!dir.exists(out_dir)) stop("run from the repository root (", out_dir, " not found)")
f <- function(x) paste(sprintf("%.15g", x), collapse = " ")
check <- function(ok, what) {
  cat(sprintf("  check %-70s %s\n", what, if (isTRUE(ok)) "OK" else "FAILED"))
  if (!isTRUE(ok)) stop("self-check failed: ", what)
}

# ---------------------------------------------------------------- Shapley over all 2^p subsets
mask_members <- function(m, p) which(bitwAnd(m, 2^(0:(p - 1))) > 0)
all_masks <- function(p) 0:(2^p - 1)
shapley_values <- function(v, p) {    # v[m + 1] = value of the subset with bitmask m
  masks <- all_masks(p)
  size <- vapply(masks, function(m) length(mask_members(m, p)), numeric(1))
  phi <- numeric(p)
  for (j in 1:p) {
    bit <- 2^(j - 1)
    without <- masks[bitwAnd(masks, bit) == 0]
    k <- size[without + 1]
    wt <- factorial(k) * factorial(p - k - 1) / factorial(p)
    phi[j] <- sum(wt * (v[without + bit + 1] - v[without + 1]))
  }
  phi
}

# ---------------------------------------------------------------- (A) pairwise
r2_from_cor <- function(C, S) {
  if (length(S) == 0) return(0)
  idx <- S + 1
  r <- C[1, idx]
  as.numeric(r %*% solve(C[idx, idx, drop = FALSE], r))
}

pairwise_case <- function(id, dataset, d, y, xs, w = NULL, wname = NULL, wexpr = NULL) {
  cat("\n==== case", id, ": linear_pairwise,", dataset, ":", y, "~", paste(xs, collapse = " + "),
      if (!is.null(w)) paste0("[weighted: ", wexpr, "]") else "", "\n")
  p <- length(xs)
  M <- as.matrix(d[, c(y, xs)])
  P <- !is.na(M)
  pair_n <- crossprod(P * 1L)
  storage.mode(pair_n) <- "integer"
  k <- p + 1
  Cp <- diag(k)
  for (a in 1:(k - 1)) for (b in (a + 1):k) {
    ok <- P[, a] & P[, b]
    Cp[a, b] <- Cp[b, a] <- if (is.null(w)) cor(M[ok, a], M[ok, b]) else
      cov.wt(M[ok, c(a, b)], wt = w[ok], cor = TRUE)$cor[1, 2]
  }
  dimnames(Cp) <- list(c(y, xs), c(y, xs))
  if (is.null(w)) check(max(abs(Cp - cor(M, use = "pairwise.complete.obs"))) < 1e-14,
                        "pairwise loop == cor(use = 'pairwise.complete.obs')")
  ev_full <- min(eigen(Cp, symmetric = TRUE, only.values = TRUE)$values)
  ev_drv <- min(eigen(Cp[-1, -1], symmetric = TRUE, only.values = TRUE)$values)
  repaired <- (ev_full <= 0) || (ev_drv <= 0)
  np_info <- NA
  C <- Cp
  if (repaired) {
    np <- Matrix::nearPD(Cp, corr = TRUE, conv.tol = 1e-13, maxit = 100000, eig.tol = 1e-6,
                         posd.tol = 1e-8, conv.norm.type = "I", doDykstra = TRUE, do2eigen = TRUE)
    C <- as.matrix(np$mat)
    dimnames(C) <- dimnames(Cp)
    np_info <- list(iterations = np$iterations, converged = np$converged, rel_tol = np$rel.tol,
                    normF = np$normF)
    cat("  nearPD: iterations", np$iterations, "converged", np$converged, "normF", f(np$normF), "\n")
  }
  ev_used <- min(eigen(C, symmetric = TRUE, only.values = TRUE)$values)
  check(ev_used > 0, "matrix used is positive definite")
  v <- vapply(all_masks(p), function(m) r2_from_cor(C, mask_members(m, p)), numeric(1))
  phi <- shapley_values(v, p)
  r2 <- v[2^p]
  check(abs(sum(phi) - r2) < 1e-12, "sum(shapley) == r_squared")
  beta <- as.numeric(solve(C[-1, -1], C[-1, 1]))
  perf <- vapply(xs, function(x) {
    ok <- !is.na(d[[x]])
    if (is.null(w)) mean(d[[x]][ok]) else weighted.mean(d[[x]][ok], w[ok])
  }, numeric(1))
  cat("  min eigenvalue pairwise: full", f(ev_full), " drivers", f(ev_drv), " -> repaired", repaired, "\n")
  cat("  pair_n:\n"); print(pair_n)
  cat("  C used:\n"); print(round(C, 6))
  cat("  r_squared", f(r2), "\n  shapley  ", f(phi), "\n  direction", sign(beta), "\n  performance", f(perf), "\n")
  out <- list(id = id, method = "linear_pairwise", missing = "pairwise", dataset = dataset,
              outcome = y, drivers = I(xs), weights = if (is.null(wname)) NA else wname)
  if (!is.null(wexpr)) { out$weights_expression <- wexpr; out$weights_values <- I(as.numeric(w)) }
  c(out, list(n_rows = nrow(d), r_squared = r2, shapley = I(phi), pair_n = pair_n, C = C,
              C_pairwise = Cp, repaired = repaired, min_eigen_pairwise = ev_full,
              min_eigen_pairwise_drivers = ev_drv, min_eigen_used = ev_used,
              condition_number_used = kappa(C, exact = TRUE), nearpd = np_info,
              performance = I(unname(perf)), direction = I(as.integer(sign(beta))),
              beta_std = I(beta), subset_values = I(v)))
}

# ---------------------------------------------------------------- (B) mean imputation
impute_case <- function(id, dataset, d, y, xs, w = NULL, wname = NULL) {
  cat("\n==== case", id, ": linear_impute,", dataset, ":", y, "~", paste(xs, collapse = " + "),
      if (!is.null(w)) "[weighted]" else "", "\n")
  p <- length(xs)
  keep <- !is.na(d[[y]])
  dk <- d[keep, c(y, xs), drop = FALSE]
  wk <- if (is.null(w)) NULL else w[keep]
  groups <- vector("list", p)
  imputed <- rep(NA_real_, p); nmiss <- integer(p); obs_mean <- numeric(p)
  for (j in 1:p) {
    x <- xs[j]
    miss <- is.na(dk[[x]])
    nmiss[j] <- sum(miss)
    obs_mean[j] <- if (is.null(wk)) mean(dk[[x]][!miss]) else weighted.mean(dk[[x]][!miss], wk[!miss])
    if (any(miss)) {
      imputed[j] <- obs_mean[j]
      dk[[x]][miss] <- imputed[j]
      ind <- paste0(x, "_missing")
      dk[[ind]] <- as.numeric(miss)
      groups[[j]] <- c(x, ind)
    } else groups[[j]] <- x
  }
  r2_lm <- function(cols) {
    fo <- reformulate(cols, response = y)
    fit <- if (is.null(wk)) lm(fo, data = dk) else lm(fo, data = dk, weights = wk)
    summary(fit)$r.squared
  }
  v <- vapply(all_masks(p), function(m) {
    S <- mask_members(m, p)
    if (length(S) == 0) 0 else r2_lm(unlist(groups[S]))
  }, numeric(1))
  phi <- shapley_values(v, p)
  r2 <- v[2^p]
  check(abs(sum(phi) - r2) < 1e-12, "sum(shapley) == r_squared")
  # independent route: R^2 of every sub-model from the (weighted) correlation matrix of the design
  cols <- unlist(groups)
  Cd <- if (is.null(wk)) cor(as.matrix(dk[, c(y, cols)])) else
    cov.wt(as.matrix(dk[, c(y, cols)]), wt = wk, cor = TRUE)$cor
  v2 <- vapply(all_masks(p), function(m) {
    S <- mask_members(m, p)
    if (length(S) == 0) return(0)
    idx <- match(unlist(groups[S]), cols) + 1
    r <- Cd[1, idx]
    as.numeric(r %*% solve(Cd[idx, idx, drop = FALSE], r))
  }, numeric(1))
  check(max(abs(v - v2)) < 1e-10, "lm() R^2 == correlation-matrix R^2 for all subsets")
  cat("  n", nrow(dk), " n_missing", nmiss, "\n  imputed means", f(imputed), "\n")
  cat("  r_squared", f(r2), "\n  shapley  ", f(phi), "\n")
  list(id = id, method = "linear_impute", missing = "impute", dataset = dataset, outcome = y,
       drivers = I(xs), weights = if (is.null(wname)) NA else wname, n = nrow(dk),
       r_squared = r2, shapley = I(phi), imputed_means = I(imputed), observed_means = I(obs_mean),
       n_missing = I(nmiss), has_indicator = I(nmiss > 0), groups = lapply(groups, I),
       subset_values = I(v))
}

# ---------------------------------------------------------------- (C) logistic dominance
logistic_case <- function(id, dataset, d, y, xs, wname = NULL) {
  cat("\n==== case", id, ": logistic,", dataset, ":", y, "~", paste(xs, collapse = " + "),
      if (!is.null(wname)) paste0("[weights: ", wname, "]") else "", "\n")
  p <- length(xs)
  vars <- c(y, xs, wname)
  cc <- complete.cases(d[, vars])
  dd <- d[cc, vars, drop = FALSE]
  n <- nrow(dd)
  yv <- as.numeric(dd[[y]])
  stopifnot(all(yv %in% c(0, 1)))
  wv <- if (is.null(wname)) rep(1, n) else as.numeric(dd[[wname]])
  N <- sum(wv)
  X <- as.matrix(dd[, xs, drop = FALSE])
  ctrl <- glm.control(epsilon = 1e-14, maxit = 200)
  warns <- character(0); expected <- character(0); iters <- integer(0); conv <- logical(0)
  fit_mask <- function(m) {
    S <- mask_members(m, p)
    Xs <- cbind(`(Intercept)` = 1, X[, S, drop = FALSE])
    lab <- if (length(S)) paste(xs[S], collapse = "+") else "1"
    fit <- withCallingHandlers(
      glm.fit(x = Xs, y = yv, weights = if (is.null(wname)) NULL else wv, family = binomial(),
              control = ctrl),
      warning = function(cnd) {
        msg <- conditionMessage(cnd)
        if (grepl("non-integer #successes", msg)) expected <<- c(expected, msg)
        else warns <<- c(warns, paste0(lab, ": ", msg))
        invokeRestart("muffleWarning")
      })
    iters <<- c(iters, fit$iter); conv <<- c(conv, fit$converged)
    eta <- fit$linear.predictors
    ll <- sum(wv * (yv * plogis(eta, log.p = TRUE) + (1 - yv) * plogis(-eta, log.p = TRUE)))
    list(ll = ll, coef = fit$coefficients)
  }
  fits <- lapply(all_masks(p), fit_mask)
  ll <- vapply(fits, `[[`, numeric(1), "ll")
  LL0 <- ll[1]
  ybar <- sum(wv * yv) / N
  check(abs(LL0 - N * (ybar * log(ybar) + (1 - ybar) * log(1 - ybar))) < 1e-9 * abs(LL0),
        "LL0 == N [ybar log ybar + (1 - ybar) log(1 - ybar)]")
  dd$.w <- wv                    # all 1 when unweighted
  full <- suppressWarnings(glm(reformulate(xs, response = y), data = dd, family = binomial,
                               weights = .w, control = ctrl))
  check(max(abs(coef(full) - fits[[2^p]]$coef)) < 1e-8, "glm() formula fit == glm.fit() full fit")
  if (is.null(wname)) check(abs(as.numeric(logLik(full)) - ll[2^p]) < 1e-8, "LL == logLik() (unweighted)")
  mcf <- 1 - ll / LL0
  nag <- (1 - exp(2 * (LL0 - ll) / N)) / (1 - exp(2 * LL0 / N))
  est <- 1 - (ll / LL0)^(-(2 / N) * LL0)
  mcf[1] <- 0; nag[1] <- 0; est[1] <- 0
  s_mcf <- shapley_values(mcf, p); s_nag <- shapley_values(nag, p); s_est <- shapley_values(est, p)
  check(abs(sum(s_mcf) - mcf[2^p]) < 1e-12 && abs(sum(s_nag) - nag[2^p]) < 1e-12 &&
          abs(sum(s_est) - est[2^p]) < 1e-12, "sum(shapley) == full value, all three pseudo-R^2")
  cf <- fits[[2^p]]$coef
  names(cf) <- c("(Intercept)", xs)
  warns <- unique(warns); expected <- unique(expected)
  cat("  n", n, " N", f(N), " ybar", f(ybar), " LL0", f(LL0), " LL_full", f(ll[2^p]), "\n")
  cat("  McFadden  ", f(mcf[2^p]), " shapley", f(s_mcf), "\n")
  cat("  Nagelkerke", f(nag[2^p]), " shapley", f(s_nag), "\n")
  cat("  Estrella  ", f(est[2^p]), " shapley", f(s_est), "\n")
  cat("  coefficients", f(cf), "\n  max_iter", max(iters), " all converged", all(conv),
      "\n  warnings:", if (length(warns)) paste(warns, collapse = " | ") else "none",
      if (length(expected)) paste0("  (expected: ", paste(expected, collapse = " | "), ")") else "", "\n")
  list(id = id, method = "logistic", missing = "complete", dataset = dataset, outcome = y,
       drivers = I(xs), weights = if (is.null(wname)) NA else wname, n = n, sum_weights = N,
       mean_outcome = ybar, r_squared = mcf[2^p], mcfadden_full = mcf[2^p],
       nagelkerke_full = nag[2^p], estrella_full = est[2^p], shapley = I(s_mcf),
       shapley_mcfadden = I(s_mcf), shapley_nagelkerke = I(s_nag), shapley_estrella = I(s_est),
       ll_full = ll[2^p], ll_null = LL0, direction = I(as.integer(sign(cf[-1]))),
       coefficients = I(unname(cf)), glm_warnings = I(warns), glm_warnings_expected = I(expected),
       max_iter = max(iters), all_converged = all(conv), subset_ll = I(ll))
}

# ---------------------------------------------------------------- DATA: cx_touchpoints.csv
set.seed(20240611)
n <- 2000L
cx <- data.frame(respondent = seq_len(n))
cx$weight <- round(exp(rnorm(n, 0, 0.4)), 4)
L <- rnorm(n)
lambda <- c(0.80, 0.75, 0.70, 0.65, 0.60, 0.75, 0.70, 0.65, 0.60, 0.55, 0.50, 0.45)
q <- c(0.97, 0.95, 0.93, 0.92, 0.90, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.30)
beta <- c(0.45, 0.35, 0.30, 0.25, 0.20, 0.30, 0.15, 0.10, 0.10, 0.05, 0.05, 0)
g <- c(0.30, 0.25, 0.20, 0.20, 0.15, 0.25, 0.15, 0.10, 0.10, 0.05, 0.05, 0.05)
Cm <- sapply(1:12, function(k)
  1L + findInterval(lambda[k] * L + sqrt(1 - lambda[k]^2) * rnorm(n), c(-1.6, -0.8, 0.1, 1.0)))
storage.mode(Cm) <- "integer"
Tm <- Cm
for (k in 1:12) Tm[runif(n) >= q[k], k] <- NA_integer_
ov <- 6.8 + as.numeric((Cm - 3.3) %*% beta) + 0.6 * L + rnorm(n, 0, 1.3)
cx$overall <- as.integer(pmin(10, pmax(0, round(ov))))
cx$repurchase <- rbinom(n, 1, plogis(0.3 + 0.35 * (cx$overall - mean(cx$overall)) +
                                       as.numeric((Cm - 3.3) %*% g)))
tn <- sprintf("t%02d", 1:12); cn <- sprintf("c%02d", 1:12)
for (k in 1:12) cx[[tn[k]]] <- Tm[, k]
for (k in 1:12) cx[[cn[k]]] <- Cm[, k]
# A3 block: three ratings observed on (mostly) disjoint pairs of respondents
grp <- sample(c("AB", "AC", "BC", "ALL", "ONE"), n, replace = TRUE, prob = c(0.31, 0.31, 0.31, 0.04, 0.03))
u <- rnorm(n); e <- rnorm(n)
Z <- matrix(NA_real_, n, 3)
s <- grp == "AB";  Z[s, 1] <- u[s]; Z[s, 2] <- 0.8 * u[s] + 0.6 * e[s]
s <- grp == "AC";  Z[s, 1] <- u[s]; Z[s, 3] <- 0.8 * u[s] + 0.6 * e[s]
s <- grp == "BC";  Z[s, 2] <- u[s]; Z[s, 3] <- -0.8 * u[s] + 0.6 * e[s]
s <- grp == "ALL"; Z[s, ] <- matrix(rnorm(3 * sum(s)), ncol = 3)
s <- which(grp == "ONE"); one <- sample(1:3, length(s), replace = TRUE)
Z[cbind(s, one)] <- u[s]
A <- matrix(1L + findInterval(Z, c(-1.5, -0.5, 0.5, 1.5)), n, 3)
A[is.na(Z)] <- NA_integer_
storage.mode(A) <- "integer"
cx$a01 <- A[, 1]; cx$a02 <- A[, 2]; cx$a03 <- A[, 3]
ys <- 0.5 * rowSums(Z, na.rm = TRUE) + rnorm(n, 0, 0.8)
cx$a_overall <- as.integer(pmin(10, pmax(0, round(5 + 1.6 * ys))))
cx_path <- file.path(out_dir, "cx_touchpoints.csv")
write.csv(cx, cx_path, na = "", row.names = FALSE)
cx <- read.csv(cx_path)          # analyse exactly what the Rust / Python tests will read
cat("cx_touchpoints.csv:", nrow(cx), "rows,", ncol(cx), "columns; share rated t01..t12:",
    f(round(colMeans(!is.na(cx[, tn])), 3)), "\n")
cat("  groups A3:", paste(names(table(grp)), table(grp), collapse = ", "), "\n")
cat("  complete rows t01..t05:", sum(complete.cases(cx[, tn[1:5]])), " mean repurchase", f(mean(cx$repurchase)),
    " mean overall", f(mean(cx$overall)), "\n")

# ---------------------------------------------------------------- cases
aq <- read.csv(file.path("tests", "references", "data", "airquality.csv"))
mt <- read.csv(file.path("tests", "references", "data", "mtcars.csv"))
aq_x <- c("Solar.R", "Wind", "Temp", "Month")
w_day <- 1 + (aq$Day %% 3)
cases <- list()
cases$A1 <- pairwise_case("A1", "airquality", aq, "Ozone", aq_x)
cases$A2 <- pairwise_case("A2", "airquality", aq, "Ozone", aq_x, w = w_day, wname = "w",
                          wexpr = "w = 1 + (Day %% 3)")
cases$A3 <- pairwise_case("A3", "cx_touchpoints", cx, "a_overall", c("a01", "a02", "a03"))
check(cases$A3$repaired && cases$A3$min_eigen_pairwise_drivers < 0 && cases$A3$nearpd$converged,
      "A3: pairwise C not PD, repaired by a converged nearPD")
check(!cases$A1$repaired && !cases$A2$repaired, "A1, A2: pairwise C is PD (no repair)")
cases$B1 <- impute_case("B1", "airquality", aq, "Ozone", aq_x)
cases$B2 <- impute_case("B2", "cx_touchpoints", cx, "overall", tn[1:6])
cases$C1 <- logistic_case("C1", "mtcars", mt, "am", c("mpg", "hp", "wt"))
cases$C2 <- logistic_case("C2", "mtcars", mt, "vs", c("mpg", "drat", "wt", "gear"))
cases$C3 <- logistic_case("C3", "cx_touchpoints", cx, "repurchase", tn[1:5])
cases$C4 <- logistic_case("C4", "cx_touchpoints", cx, "repurchase", tn[1:5], wname = "weight")
cases$C5 <- logistic_case("C5", "cx_touchpoints", cx, "repurchase", cn)

meta <- list(
  generator = "tests/references/drivers/make_drivers_missing_logistic.R",
  command = "Rscript tests/references/drivers/make_drivers_missing_logistic.R (from the repository root)",
  r_version = R.version.string, matrix_version = as.character(packageVersion("Matrix")),
  jsonlite_version = as.character(packageVersion("jsonlite")),
  datasets = list(airquality = "tests/references/data/airquality.csv",
                  mtcars = "tests/references/data/mtcars.csv",
                  cx_touchpoints = "tests/references/drivers/cx_touchpoints.csv"),
  seed = 20240611L,
  precision = "jsonlite::write_json(digits = NA): 15 significant digits; NA written as null",
  matrices = "row-major arrays of rows, rows/columns ordered (outcome, drivers...)",
  subset_order = "element m (0-based) of subset_values / subset_ll is the subset {driver j : bit (j-1) of m set}",
  definitions = "see the comment block at the top of the generator script")
write_json(list(meta = meta, cases = cases), file.path(out_dir, "drivers_missing_logistic.json"),
           digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
cat("\nwrote", file.path(out_dir, "drivers_missing_logistic.json"), " elapsed",
    round(proc.time()[["elapsed"]] - t0, 1), "s\n")

## cxmetrics reference values -- R script. Run from the repository root: Rscript tests/references/refs.R > tests/references/refs_R_output.txt
options(digits = 15)
suppressMessages(library(survey))
p15 <- function(...) cat(sprintf(...), "\n", sep = "")
f <- function(x) formatC(x, digits = 15, format = "g")
cat("R:", R.version.string, " survey:", as.character(packageVersion("survey")), "\n")

############ 1. prop.test(correct=TRUE) Wilson CC ############
cat("\n### 1. prop.test(x, n, conf.level = 1 - alpha, correct = TRUE)$conf.int\n")
cases <- list(c(18,20,0.05), c(0,30,0.05), c(30,30,0.05), c(1,30,0.05),
              c(37,100,0.10), c(537,1000,0.01), c(5,7,0.05), c(19,38,0.05))
newcombe_cc <- function(x, n, alpha) {   # Newcombe (1998) method 4 closed form
  z <- qnorm(1 - alpha/2); p <- x/n; q <- 1 - p
  L <- if (x == 0) 0 else (2*n*p + z^2 - 1 - z*sqrt(z^2 - 2 - 1/n + 4*p*(n*q + 1))) / (2*(n + z^2))
  U <- if (x == n) 1 else (2*n*p + z^2 + 1 + z*sqrt(z^2 + 2 - 1/n + 4*p*(n*q - 1))) / (2*(n + z^2))
  c(max(L, 0), min(U, 1))
}
for (cs in cases) {
  x <- cs[1]; n <- cs[2]; a <- cs[3]
  ci <- suppressWarnings(prop.test(x, n, conf.level = 1 - a, correct = TRUE)$conf.int)
  nc <- newcombe_cc(x, n, a)
  cat(sprintf("x=%g n=%g alpha=%g | prop.test: %s  %s | Newcombe-CC formula: %s  %s\n",
              x, n, a, f(ci[1]), f(ci[2]), f(nc[1]), f(nc[2])))
}

############ 2. survey ############
cat("\n### 2. survey package\n")
y_nps <- c(10,9,0,7,8,3,10,6,9,10,2,8)
w     <- c(1.5,0.5,2,1,1,3,0.25,1,2,1,0.75,1)
d <- data.frame(y = y_nps, w = w)
d$cat <- ifelse(d$y >= 9, 1, ifelse(d$y >= 7, 0, -1))
d$prom <- as.numeric(d$y >= 9)
d$det  <- as.numeric(d$y <= 6)
run_survey <- function(d, label, vars = c("cat", "prom", "det", "y")) {
  des <- svydesign(ids = ~1, weights = ~w, data = d)
  cat(sprintf("-- %s: n=%d degf=%d sum(w)=%s Kish n_eff=(sum w)^2/sum(w^2)=%s\n", label, nrow(d),
              degf(des), f(sum(d$w)), f(sum(d$w)^2/sum(d$w^2))))
  for (v in vars) {
    m <- svymean(as.formula(paste0("~", v)), des)
    ci_z <- confint(m); ci_t <- confint(m, df = degf(des))
    cat(sprintf("svymean(~%s): mean=%s SE=%s\n   confint(default,z): %s %s\n   confint(df=degf=%d): %s %s\n",
                v, f(coef(m)), f(SE(m)), f(ci_z[1]), f(ci_z[2]), degf(des), f(ci_t[1]), f(ci_t[2])))
  }
  invisible(des)
}
run_survey(d, "NPS data, weights w")
d1 <- d; d1$w <- 1
run_survey(d1, "NPS data, all weights 1")
n <- nrow(d1)
se_pop <- sqrt(sum((d1$cat-mean(d1$cat))^2)/n)/sqrt(n)   # population-sd / sqrt(n)
cat(sprintf("check unweighted (cat): sd(cat)/sqrt(n) [sd with n-1] = %s ; popsd/sqrt(n) = %s ; ratio = %s ; sqrt(n/(n-1)) = %s\n",
    f(sd(d1$cat)/sqrt(n)), f(se_pop), f((sd(d1$cat)/sqrt(n))/se_pop), f(sqrt(n/(n-1)))))
# explicit linearization formula for the weighted case
wn <- d$w/sum(d$w); mu <- sum(wn*d$cat)
cat(sprintf("explicit: sqrt(n/(n-1) * sum((w_i/W)^2 (y_i-mu)^2)) for cat = %s\n",
            f(sqrt(n/(n-1)*sum(wn^2*(d$cat-mu)^2)))))

y5 <- c(5,4,4,3,5,1,2,5,4,4); w5 <- c(1,2,1,0.5,1,1,3,1,1,0.5)
d5 <- data.frame(y = y5, w = w5, top2 = as.numeric(y5 >= 4))
des5 <- run_survey(d5, "1-5 scale y5, weights w5", vars = c("y", "top2"))
m5 <- svymean(~y, des5); n5 <- length(y5)
tq <- qt(0.975, n5 - 1)
cat(sprintf("t-based CI mean +- qt(0.975,%d)*SE: qt=%s  %s  %s\n", n5-1, f(tq), f(coef(m5) - tq*SE(m5)), f(coef(m5) + tq*SE(m5))))
m5b <- svymean(~top2, des5)
cat(sprintf("t-based CI top2: %s  %s\n", f(coef(m5b) - tq*SE(m5b)), f(coef(m5b) + tq*SE(m5b))))

############ 3. t.test ############
cat("\n### 3. t.test(x, conf.level)$conf.int\n")
xa <- c(5,4,4,3,5,1,2,5,4,4); xb <- c(7,6,7,5,3,7,6,2,4,5,6,7,1)
for (cl in c(0.95, 0.90)) { ci <- t.test(xa, conf.level = cl)$conf.int
  cat(sprintf("xa conf=%g: mean=%s sd=%s  CI %s %s\n", cl, f(mean(xa)), f(sd(xa)), f(ci[1]), f(ci[2]))) }
ci <- t.test(xb)$conf.int
cat(sprintf("xb conf=0.95: mean=%s sd=%s  CI %s %s\n", f(mean(xb)), f(sd(xb)), f(ci[1]), f(ci[2])))

############ 4. Tango / NPS ############
cat("\n### 4. Tango asymptotic score CI (transcribed from contingencytables R/Tango_asymptotic_score_CI_paired_2x2.R)\n")
# --- verbatim logic of contingencytables (validateArguments / printing omitted) ---
Tango_asymptotic_score_CI_paired_2x2 <- function(n, alpha = 0.05, tol = 1e-7) {
  n12 <- n[1, 2]; n21 <- n[2, 1]; N <- sum(n)
  z <- qnorm(1 - alpha / 2, 0, 1)
  estimate <- (n[1, 2] - n[2, 1]) / N
  param <- list(n12 = n12, n21 = n21, N = N, z = z)
  # NB: package hardcodes tol <- 1e-7 for both the search interval and uniroot tol;
  # here 'tol' argument lets us also get a high-precision root (search interval stays 1e-7 as in package)
  L <- if (estimate == -1) -1 else
    uniroot(calculate_lower_limit.4, c(-1 + 1e-7, 1 - 1e-7), .param = param, tol = tol)$root
  U <- if (estimate == 1) 1 else
    uniroot(calculate_upper_limit.4, c(-1 + 1e-7, 1 - 1e-7), .param = param, tol = tol)$root
  list(lower = L, upper = U, estimate = estimate)
}
calculate_lower_limit.4 <- function(delta0, .param) test_statistic.4(delta0, .param) - .param$z
calculate_upper_limit.4 <- function(delta0, .param) test_statistic.4(delta0, .param) + .param$z
test_statistic.4 <- function(delta0, .param) {
  n12 <- .param$n12; n21 <- .param$n21; N <- .param$N
  p21tilde <- ML_estimate.4(delta0, .param)
  (n12 - n21 - N * delta0) / sqrt(N * (2 * p21tilde + delta0 * (1 - delta0)))
}
ML_estimate.4 <- function(delta0, .param) {
  n12 <- .param$n12; n21 <- .param$n21; N <- .param$N
  A <- 2 * N
  B <- -n12 - n21 + (2 * N - n12 + n21) * delta0
  C <- -n21 * delta0 * (1 - delta0)
  (sqrt(B^2 - 4 * A * C) - B) / (2 * A)
}
# --- NPS package (B. Rocks, github brendan-r/NPS R/nps_interval_estimators.R), verbatim ---
iterative <- function(x, p) {
  n <- sum(x); pa <- 2 * n; z <- qnorm(p); c <- x[3]; b <- x[1]; nps <- (c - b) / n
  if (c == n) { ul <- 1 } else {
    dp <- 1 - nps; niter <- 1
    while (niter <= 50) {
      dp <- 0.5 * dp; up2 <- nps + dp
      pb <- -b - c + (2 * n - c + b) * up2; pc <- -b * up2 * (1 - up2)
      q21 <- (sqrt(pb ^ 2 - 4 * pa * pc) - pb) / (2 * pa)
      score <- (c - b - n * up2) / sqrt(n * (2 * q21 + up2 * (1 - up2)))
      if (abs(score) < z) { nps = up2 }
      niter <- niter + 1
      if ((dp < 0.0000001) || (abs(z - score) < 0.000001)) { niter <- 51; ul <- up2 }
    }
  }
  if (b == n) { ll <- -1 } else {
    dp <- 1 + nps; niter <- 1
    while (niter <= 50) {
      dp <- 0.5 * dp; low2 <- nps - dp
      pb <- -b - c + (2 * n - c + b) * low2; pc <- -b * low2 * (1 - low2)
      q21 <- (sqrt(pb ^ 2 - 4 * pa * pc) - pb) / (2 * pa)
      score <- (c - b - n * low2) / sqrt(n * (2 * q21 + low2 * (1 - low2)))
      if (abs(score) < z) { nps = low2 }
      niter <- niter + 1
      if ((dp < 0.0000001) || (abs(z - score) < 0.000001)) { ll <- low2; niter <- 51 }
    }
  }
  c(ll, ul)
}

# External published checks (contingencytables tests/testthat/test-ch8.R, examples)
cavo <- rbind(c(59, 6), c(16, 80)); bentur <- rbind(c(1, 1), c(7, 12))
for (nm in c("cavo", "bentur")) {
  tb <- get(nm); r7 <- Tango_asymptotic_score_CI_paired_2x2(tb); r15 <- Tango_asymptotic_score_CI_paired_2x2(tb, tol = 1e-15)
  cat(sprintf("%s table rbind(c(%d,%d),c(%d,%d)) -> R=n12=%d D=n21=%d P=n11+n22=%d n=%d: est=%s\n  uniroot tol=1e-7 (package): %s %s\n  uniroot tol=1e-15: %s %s\n",
      nm, tb[1,1], tb[1,2], tb[2,1], tb[2,2], tb[1,2], tb[2,1], tb[1,1]+tb[2,2], sum(tb), f(r7$estimate),
      f(r7$lower), f(r7$upper), f(r15$lower), f(r15$upper)))
}

# Paired Wald cross-check vs published contingencytables Wald_CI_diff_paired_2x2(cavo_2012) = -0.1184 to -0.0058
local({ D <- 16; R <- 6; n <- 161; pr <- R/n; pd <- D/n; se <- sqrt((pr + pd - (pr - pd)^2)/n)
  cat(sprintf("cavo NPS-style Wald: %s %s (published Wald_CI_diff_paired_2x2: -0.1184 to -0.0058)\n",
      f(pr - pd - qnorm(0.975)*se), f(pr - pd + qnorm(0.975)*se))) })

counts <- list(c(20,30,50), c(1,2,3), c(5,10,85), c(0,10,20), c(10,0,0), c(3,4,3))
z <- qnorm(0.975)
for (cn in counts) {
  D <- cn[1]; P <- cn[2]; R <- cn[3]; n <- D + P + R
  tb <- matrix(c(P, D, R, 0), 2)   # rbind(c(P, R), c(D, 0)): n12 = R, n21 = D
  r7  <- Tango_asymptotic_score_CI_paired_2x2(tb)
  r15 <- Tango_asymptotic_score_CI_paired_2x2(tb, tol = 1e-15)
  it  <- iterative(c(D, P, R), 0.975)
  pr <- R/n; pd <- D/n; nps <- pr - pd
  se <- sqrt((pr + pd - (pr - pd)^2)/n)
  Da <- D + 0.75; Pa <- P + 1.5; Ra <- R + 0.75; na <- n + 3
  pra <- Ra/na; pda <- Da/na; npsa <- pra - pda
  sea <- sqrt((pra + pda - (pra - pda)^2)/na)
  cat(sprintf("\nD/P/R=%d/%d/%d n=%d NPS=%s (points %s)\n", D, P, R, n, f(nps), f(100*nps)))
  cat(sprintf("  Tango contingencytables transcription (uniroot tol=1e-7): %s %s\n", f(r7$lower), f(r7$upper)))
  cat(sprintf("  Tango uniroot tol=1e-15:                                  %s %s\n", f(r15$lower), f(r15$upper)))
  cat(sprintf("  Tango points x100 (tol=1e-15):                            %s %s\n", f(100*r15$lower), f(100*r15$upper)))
  cat(sprintf("  NPS::iterative(c(D,P,R), 0.975):                          %s %s\n", f(it[1]), f(it[2])))
  cat(sprintf("  Wald: SE=%s  points: %s %s (SE pts %s)\n", f(se), f(100*(nps - z*se)), f(100*(nps + z*se)), f(100*se)))
  cat(sprintf("  Adjusted Wald: NPS_adj=%s SE_adj=%s points: centre %s  CI %s %s\n", f(npsa), f(sea), f(100*npsa),
              f(100*(npsa - z*sea)), f(100*(npsa + z*sea))))
}

############ 5. quantiles ############
cat("\n### 5. quantiles (R)\n")
for (df in c(1, 2, 9, 10, 11, 12, 29, 1000)) cat(sprintf("qt(0.975, %d) = %s\n", df, formatC(qt(0.975, df), digits = 17, format = "g")))
for (df in c(9, 12)) cat(sprintf("qt(0.95, %d) = %s\n", df, formatC(qt(0.95, df), digits = 17, format = "g")))
for (p in c(0.975, 0.95, 0.995)) cat(sprintf("qnorm(%g) = %s\n", p, formatC(qnorm(p), digits = 17, format = "g")))

# Reference fits of the Dirichlet-multinomial NPS prior by R VGAM
# (vglm(cbind(d, p, r) ~ 1, dirmultinomial)) on nps_datasets.json (written by make_nps_cases.py):
# Coef() gives pi_1/pi_3, pi_2/pi_3 and phi; alpha_k = pi_k (1 - phi) / phi. Writes vgam_nps_cases.json.
# Run: Rscript tests/references/shrink/make_vgam_nps_cases.R  (from the repository root)
suppressMessages(library(VGAM))
here <- "tests/references/shrink"
txt <- paste(readLines(file.path(here, "nps_datasets.json"), warn = FALSE), collapse = "")
names <- gsub('[": \\[]', "", regmatches(txt, gregexpr('"([a-z_]+)": \\[', txt))[[1]])
out <- c()
for (name in names) {
  block <- regmatches(txt, regexpr(paste0('"', name, '": \\[(\\s*\\[[^]]*\\],?)*\\s*\\]'), txt))
  rows <- regmatches(block, gregexpr("\\[[^][]*\\]", block))[[1]]
  m <- t(sapply(rows, function(r) as.numeric(strsplit(gsub("[][ ]", "", r), ",")[[1]])))
  fit <- vglm(m ~ 1, dirmultinomial, control = vglm.control(epsilon = 1e-12, maxit = 500))
  co <- Coef(fit)
  # Coef gives prob1/prob3, prob2/prob3 and phi = 1 / (1 + sum alpha).
  phi <- co[3]
  p3 <- 1 / (1 + co[1] + co[2])
  pr <- c(co[1] * p3, co[2] * p3, p3)
  alpha <- pr * (1 - phi) / phi
  out <- c(out, sprintf('"%s": {"alpha": [%.17g, %.17g, %.17g]}', name, alpha[1], alpha[2], alpha[3]))
}
writeLines(paste0("{", paste(out, collapse = ", "), "}"), file.path(here, "vgam_nps_cases.json"))

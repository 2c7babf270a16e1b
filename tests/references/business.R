library(survey)
d <- read.csv("python/cxmetrics/data/demo_responses.csv")
ok <- complete.cases(d[, c("nps", "csat", "repurchase_intention")])
x <- d[ok, ]
idx <- (100 * x$nps / 10 + 100 * (x$csat - 1) / 4 + 100 * (x$repurchase_intention - 1) / 4) / 3
tt <- t.test(idx)
cat(sprintf("unweighted n=%d missing=%d mean=%.15g lower=%.15g upper=%.15g se=%.15g\n", length(idx), sum(!ok), mean(idx), tt$conf.int[1], tt$conf.int[2], sd(idx)/sqrt(length(idx))))
# item weights 2:1:1
idx2 <- (2 * 100 * x$nps / 10 + 100 * (x$csat - 1) / 4 + 100 * (x$repurchase_intention - 1) / 4) / 4
tt2 <- t.test(idx2)
cat(sprintf("itemweighted mean=%.15g lower=%.15g upper=%.15g\n", mean(idx2), tt2$conf.int[1], tt2$conf.int[2]))
x$idx <- idx
des <- svydesign(ids = ~1, weights = ~weight, data = x)
m <- svymean(~idx, des)
ci <- confint(m, df = degf(des))
cat(sprintf("weighted mean=%.15g se=%.15g lower=%.15g upper=%.15g\n", coef(m), SE(m), ci[1], ci[2]))
# secure customers
okS <- ok
sec <- (x$nps >= 9) & (x$csat >= 4) & (x$repurchase_intention >= 4)
p <- prop.test(sum(sec), length(sec), correct = FALSE)
cat(sprintf("secure x=%d n=%d value=%.15g lower=%.15g upper=%.15g\n", sum(sec), length(sec), 100*mean(sec), 100*p$conf.int[1], 100*p$conf.int[2]))
# outcomes: repeat purchase by category
okO <- !is.na(d$nps) & !is.na(d$repeat_purchase_90d)
o <- d[okO, ]
cat_ <- ifelse(o$nps <= 6, "detractor", ifelse(o$nps <= 8, "passive", "promoter"))
for (k in c("detractor", "passive", "promoter")) {
  y <- o$repeat_purchase_90d[cat_ == k]
  p <- prop.test(sum(y), length(y), correct = FALSE)
  cat(sprintf("outcome %s x=%d n=%d value=%.15g lower=%.15g upper=%.15g\n", k, sum(y), length(y), 100*mean(y), 100*p$conf.int[1], 100*p$conf.int[2]))
}
# numeric outcome: weight column as a stand-in numeric outcome, Welch promoters vs detractors
yp <- o$weight[cat_ == "promoter"]; yd <- o$weight[cat_ == "detractor"]
w <- t.test(yp, yd, var.equal = FALSE)
cat(sprintf("welch diff=%.15g lower=%.15g upper=%.15g p=%.15g df=%.15g\n", mean(yp)-mean(yd), w$conf.int[1], w$conf.int[2], w$p.value, w$parameter))

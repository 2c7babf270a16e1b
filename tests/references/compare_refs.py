"""Reference values for tests/compare.rs, computed with statsmodels 0.15 and scipy 1.17 (outside the
crate). Run: python tests/references/compare_refs.py"""
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep
from statsmodels.stats.multitest import multipletests
from scipy import stats
import numpy as np

cases = [(56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 0, 8), (5, 56, 0, 29), (10, 10, 0, 20), (12, 40, 30, 50)]
for x1, n1, x2, n2 in cases:
    for m in ["newcomb", "agresti-caffo", "score", "wald"]:
        try:
            lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method=m)
        except Exception:  # statsmodels' score inversion fails to bracket some inputs
            lo = hi = float("nan")
        t = test_proportions_2indep(x1, n1, x2, n2, method="score" if m == "newcomb" else m)
        print(x1, n1, x2, n2, m, repr(float(lo)), repr(float(hi)), repr(float(t.statistic)), repr(float(t.pvalue)))
for alt in ["larger", "smaller"]:
    print("score", alt, repr(test_proportions_2indep(56, 70, 48, 80, method="score", alternative=alt).pvalue))
    print("wald", alt, repr(test_proportions_2indep(56, 70, 48, 80, method="wald", alternative=alt).pvalue))
a = np.array([5, 4, 4, 3, 5, 1, 2, 5, 4, 4.0])
b = np.array([7, 6, 7, 5, 3, 7, 6, 2, 4, 5, 6, 7, 1.0])
for alt in ["two-sided", "less"]:
    r = stats.ttest_ind(a, b, equal_var=False, alternative=alt)
    ci = r.confidence_interval(0.95)
    print("welch", alt, repr(r.statistic), repr(r.pvalue), repr(r.df), repr(ci.low), repr(ci.high))
p = [0.01, 0.04, 0.03, 0.005, 0.5, 0.2]
for m in ["holm", "fdr_bh", "bonferroni"]:
    print(m, [float(x) for x in multipletests(p, method=m)[1]])

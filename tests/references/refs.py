"""cxmetrics reference values -- Python part. Run from the repository root: python3 tests/references/refs.py > tests/references/refs_py_output.txt"""
import numpy as np, scipy, statsmodels, mpmath
from scipy import stats, optimize
from statsmodels.stats.proportion import proportion_confint

f = lambda v: format(float(v), ".15g")
print("python numpy", np.__version__, "scipy", scipy.__version__, "statsmodels", statsmodels.__version__, "mpmath", mpmath.__version__)

print("\n### 1. statsmodels proportion_confint(x, n, alpha=alpha, method=...)")
cases = [(18,20,0.05),(0,30,0.05),(30,30,0.05),(1,30,0.05),(37,100,0.10),(537,1000,0.01),(5,7,0.05),(19,38,0.05)]
for x, n, a in cases:
    print(f"\n x={x} n={n} alpha={a}  p={f(x/n)}")
    for m in ["normal", "wilson", "agresti_coull", "beta", "jeffreys"]:
        lo, hi = proportion_confint(x, n, alpha=a, method=m)
        print(f"  {m:14s} {f(lo):>22s} {f(hi):>22s}")
    # unclipped normal / agresti_coull (statsmodels clips normal, wilson, agresti_coull to [0,1])
    z = stats.norm.isf(a/2); p = x/n
    se = np.sqrt(p*(1-p)/n)
    print(f"  normal_unclipped {f(p - z*se):>20s} {f(p + z*se):>22s}")
    nc = n + z*z; pc = (x + z*z/2)/nc; sec = np.sqrt(pc*(1-pc)/nc)
    print(f"  agresti_unclipped {f(pc - z*sec):>19s} {f(pc + z*sec):>22s}")
    # Jeffreys directly: Beta(x+0.5, n-x+0.5) quantiles
    jl = stats.beta.ppf(a/2, x+0.5, n-x+0.5); ju = stats.beta.ppf(1-a/2, x+0.5, n-x+0.5)
    print(f"  beta.ppf(a/2 | 1-a/2, x+.5, n-x+.5) {f(jl)} {f(ju)}")
    # Clopper-Pearson directly
    cl = 0.0 if x == 0 else stats.beta.ppf(a/2, x, n-x+1); cu = 1.0 if x == n else stats.beta.ppf(1-a/2, x+1, n-x)
    print(f"  clopper-pearson beta.ppf direct    {f(cl)} {f(cu)}")

print("\n### 3. scipy.stats.t.interval(conf, df=n-1, loc=mean, scale=sd/sqrt(n))")
xa = np.array([5,4,4,3,5,1,2,5,4,4], float); xb = np.array([7,6,7,5,3,7,6,2,4,5,6,7,1], float)
for x, name, confs in [(xa, "xa", [0.95, 0.90]), (xb, "xb", [0.95])]:
    for c in confs:
        lo, hi = stats.t.interval(c, len(x)-1, loc=x.mean(), scale=stats.sem(x))
        print(f"  {name} conf={c}: mean={f(x.mean())} sem={f(stats.sem(x))} CI {f(lo)} {f(hi)}")

print("\n### 4. Tango score CI, independent high-precision solve (mpmath, 40 digits, findroot/bisection-anderson)")
mpmath.mp.dps = 40
def T(d, D, R, n):
    A = 2*n; B = -R - D + (2*n - R + D)*d; C = -D*d*(1 - d)
    q = (mpmath.sqrt(B*B - 4*A*C) - B)/(2*A)
    return (R - D - n*d)/mpmath.sqrt(n*(2*q + d*(1 - d)))
z = mpmath.sqrt(2)*mpmath.erfinv(mpmath.mpf('0.95'))
print("  z =", mpmath.nstr(z, 20))
tables = [(16,139,6,"cavo"), (7,13,1,"bentur"), (20,30,50,""), (1,2,3,""), (5,10,85,""), (0,10,20,""), (10,0,0,""), (3,4,3,"")]
for D, P, R, nm in tables:
    n = D + P + R; est = mpmath.mpf(R - D)/n
    eps = mpmath.mpf('1e-30')
    L = mpmath.mpf(-1) if D == n else mpmath.findroot(lambda d: T(d, D, R, n) - z, (mpmath.mpf(-1)+eps, min(est, 1-eps)), solver='anderson')
    U = mpmath.mpf(1) if R == n else mpmath.findroot(lambda d: T(d, D, R, n) + z, (max(est, -1+eps), mpmath.mpf(1)-eps), solver='anderson')
    print(f"  {nm:6s} D/P/R={D}/{P}/{R} n={n}: NPS={mpmath.nstr(est,15)}  L={mpmath.nstr(L,17)}  U={mpmath.nstr(U,17)}  (x100: {mpmath.nstr(100*L,15)} {mpmath.nstr(100*U,15)})")

print("\n### 5. quantiles (scipy)")
for df in [1, 2, 9, 10, 11, 12, 29, 1000]:
    print(f"  t.ppf(0.975, {df}) = {stats.t.ppf(0.975, df):.17g}")
for p in [0.975, 0.95, 0.995]:
    print(f"  norm.ppf({p}) = {stats.norm.ppf(p):.17g}   mpmath: {mpmath.nstr(mpmath.sqrt(2)*mpmath.erfinv(2*mpmath.mpf(str(p))-1), 20)}  (exact p)")

"""Reference values for the Dirichlet-multinomial NPS shrinkage (issue 18), computed outside the
project: scipy maximises the marginal likelihood (scipy.special.gammaln; Nelder-Mead then BFGS on
the logs), and each group's posterior interval of R - D comes from scipy.integrate.quad of
P(R - D <= t) = E_D[I_{(t + D)/(1 - D)}(a_R, a_P)] with scipy.stats.beta, solved by brentq.
Writes nps_datasets.json and nps_cases.json. R VGAM's fits are in vgam_nps_cases.json
(make_vgam_nps_cases.R). Run: python tests/references/shrink/make_nps_cases.py
"""

import json
import pathlib

import numpy as np
from scipy import integrate, optimize, special, stats

HERE = pathlib.Path(__file__).parent


def datasets() -> dict[str, list[list[float]]]:
    rng = np.random.default_rng(2018)
    out = {}
    for name, groups, alpha, size in [
        ("stores", 40, (3.0, 2.5, 6.0), (4, 40)),
        ("agents", 150, (8.0, 6.0, 10.0), (2, 30)),
        ("touchpoints", 20, (1.5, 1.0, 2.0), (20, 150)),
    ]:
        counts = []
        for _ in range(groups):
            n = int(rng.integers(size[0], size[1] + 1))
            p = rng.dirichlet(alpha)
            counts.append(rng.multinomial(n, p).astype(float).tolist())
        out[name] = counts
    return out


def negll(u: np.ndarray, c: np.ndarray) -> float:
    a = np.exp(u)
    s, n = a.sum(), c.sum(axis=1)
    return -float(np.sum(special.gammaln(s) - special.gammaln(s + n) + np.sum(special.gammaln(a + c) - special.gammaln(a), axis=1)))


def interval(a: np.ndarray, tail: float = 0.025) -> tuple[float, float]:
    ad, ap, ar = a

    def cdf(t: float) -> float:
        def f(d: float) -> float:
            x = (t + d) / (1 - d)
            inner = 0.0 if x <= 0 else 1.0 if x >= 1 else stats.beta.cdf(x, ar, ap)
            return inner * stats.beta.pdf(d, ad, ap + ar)

        return integrate.quad(f, 0, 1, limit=400, epsabs=1e-12, epsrel=1e-10, points=[max(0.0, -t)] if -1 < -t < 1 else None)[0]

    lo = optimize.brentq(lambda t: cdf(t) - tail, -1, 1, xtol=1e-12)
    hi = optimize.brentq(lambda t: cdf(t) - (1 - tail), -1, 1, xtol=1e-12)
    return lo, hi


def main() -> None:
    data = datasets()
    (HERE / "nps_datasets.json").write_text(json.dumps(data, indent=1) + "\n")
    cases = {}
    for name, counts in data.items():
        c = np.array(counts)
        pi = c.sum(axis=0) / c.sum()
        start = np.log(pi * 10)
        nm = optimize.minimize(negll, start, args=(c,), method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 40000})
        bf = optimize.minimize(negll, nm.x, args=(c,), method="BFGS", options={"gtol": 1e-12})
        best = bf if bf.fun <= nm.fun else nm
        a = np.exp(best.x)
        posts = []
        for row in c[:12]:  # the intervals of the first 12 groups (quad is slow)
            post = a + row
            s = post.sum()
            lo, hi = interval(post)
            var = (post[2] * (s - post[2]) + post[0] * (s - post[0]) + 2 * post[2] * post[0]) / (s * s * (s + 1))
            posts.append({"estimate": 100 * (post[2] - post[0]) / s, "std_dev": 100 * np.sqrt(var), "lower": 100 * lo, "upper": 100 * hi})
        cases[name] = {"alpha": a.tolist(), "log_likelihood": -best.fun, "posteriors": posts}
    (HERE / "nps_cases.json").write_text(json.dumps(cases, indent=1) + "\n")


if __name__ == "__main__":
    main()

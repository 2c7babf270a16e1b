"""Reference values for the beta-binomial shrinkage (issue 18), computed outside the project:
scipy maximises the marginal likelihood of each data set (an independent implementation:
scipy.special.betaln, Nelder-Mead then BFGS from the maximum, gradient checked), scipy.stats.beta
gives the posteriors. R VGAM's fits of the same data sets are in vgam_cases.json
(make_vgam_cases.R). Writes cases.json; the data sets are written to datasets.json first.

Run: python tests/references/shrink/make_shrink_cases.py  (then Rscript make_vgam_cases.R)
"""

import json
import pathlib

import numpy as np
from scipy import optimize, special, stats

HERE = pathlib.Path(__file__).parent


def datasets() -> dict[str, dict[str, list[float]]]:
    rng = np.random.default_rng(18)
    out = {}
    for name, groups, a, b, size in [
        ("stores_small", 40, 6.0, 2.0, (3, 30)),
        ("agents_many", 400, 15.0, 5.0, (1, 60)),
        ("touchpoints_rare", 25, 1.2, 8.0, (10, 200)),
        ("mixed_sizes", 60, 3.0, 3.0, (1, 500)),
    ]:
        n = rng.integers(size[0], size[1] + 1, groups)
        p = rng.beta(a, b, groups)
        x = rng.binomial(n, p)
        out[name] = {"successes": x.astype(float).tolist(), "trials": n.astype(float).tolist()}
    # Weil (1970) style litters: a published-shape example with strong overdispersion.
    out["litters"] = {
        "successes": [13, 12, 9, 9, 8, 8, 12, 11, 9, 9, 8, 11, 4, 5, 7, 7, 12, 11, 9, 8, 9, 5, 2, 2, 7, 5, 3, 8, 0, 1, 1],
        "trials": [13, 12, 9, 9, 8, 8, 13, 12, 10, 10, 9, 13, 5, 7, 10, 10, 13, 12, 11, 10, 12, 8, 4, 5, 11, 9, 7, 13, 8, 9, 11],
    }
    return out


def negll(params: np.ndarray, x: np.ndarray, n: np.ndarray) -> float:
    a, b = np.exp(params)
    return -float(np.sum(special.betaln(a + x, b + n - x) - special.betaln(a, b)))


def fit(x: np.ndarray, n: np.ndarray) -> tuple[float, float, float]:
    p = x.sum() / n.sum()
    start = np.log([p * 5, (1 - p) * 5])
    nm = optimize.minimize(negll, start, args=(x, n), method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000})
    bf = optimize.minimize(negll, nm.x, args=(x, n), method="BFGS", options={"gtol": 1e-12})
    best = bf if bf.fun <= nm.fun else nm
    grad = optimize.approx_fprime(best.x, negll, 1e-7, x, n)
    assert np.max(np.abs(grad)) < 1e-3, grad
    a, b = np.exp(best.x)
    return float(a), float(b), float(-best.fun)


def main() -> None:
    data = datasets()
    (HERE / "datasets.json").write_text(json.dumps(data, indent=1) + "\n")
    cases = {}
    for name, d in data.items():
        x, n = np.array(d["successes"]), np.array(d["trials"])
        a, b, ll = fit(x, n)
        post = [
            {
                "estimate": (a + xi) / (a + b + ni),
                "lower": float(stats.beta.ppf(0.025, a + xi, b + ni - xi)),
                "upper": float(stats.beta.ppf(0.975, a + xi, b + ni - xi)),
                "shrinkage": (a + b) / (a + b + ni),
            }
            for xi, ni in zip(x, n)
        ]
        # The log-likelihood without the binomial coefficients, as the crate reports it.
        cases[name] = {"alpha": a, "beta": b, "log_likelihood": ll, "posteriors": post}
    (HERE / "cases.json").write_text(json.dumps(cases, indent=1))


if __name__ == "__main__":
    main()

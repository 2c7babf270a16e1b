"""Reference values of the distribution function of an NPS under a Dirichlet posterior (issue 18):
P(R - D <= t) for (D, P, R) ~ Dirichlet(a_D, a_P, a_R), computed outside the project with mpmath at
45 significant digits, by conditioning on S = D + R ~ Beta(a_D + a_R, a_P), independent of
V = D / S ~ Beta(a_D, a_R):

    P(R - D <= t) = 1[t >= 0] I_t(a_D + a_R, a_P) + int_{|t|}^1 f_S(s) I_{(1 + t/s)/2}(a_R, a_D) ds,

the integral by mpmath's tanh-sinh quadrature after s = 1 - y^(1/a_P) (which removes the
singularity of the density at s = 1), split at the bulk of S. The parameters span posteriors
of small and large groups, a category with no answers under a small prior (shapes below 1), and
lopsided shares; t runs over each one's tails and centre (Monte Carlo quantiles 0.001 to 0.999).
Writes nps_distribution.json. Run: python tests/references/shrink/make_nps_distribution.py
(needs mpmath and numpy; a few minutes).
"""

import json
import pathlib

import mpmath as mp
import numpy as np

HERE = pathlib.Path(__file__).parent
mp.mp.dps = 45


def cdf(t: float, a: tuple[float, float, float]) -> float:
    ad, ap, ar = (mp.mpf(x) for x in a)
    t = mp.mpf(t)
    a_s = ad + ar
    log_b = mp.log(mp.beta(a_s, ap))
    c = abs(t)
    base = mp.betainc(a_s, ap, 0, c, regularized=True) if t >= 0 else mp.mpf(0)

    # With s = 1 - y^(1/a_P), f_S(s) ds = s^(a_S - 1) / (a_P B(a_S, a_P)) dy: no singularity at
    # s = 1 whatever a_P; the one at s = |t| is an end of the range, where tanh-sinh is exact.
    def f(y):
        one_minus_s = y ** (1 / ap)
        s = 1 - one_minus_s
        if s <= c or y <= 0:
            return mp.mpf(0)
        w = mp.exp((a_s - 1) * mp.log(s) - log_b) / ap
        return w * mp.betainc(ar, ad, 0, (1 + t / s) / 2, regularized=True)

    mean = a_s / (a_s + ap)
    sd = mp.sqrt(a_s * ap / ((a_s + ap) ** 2 * (a_s + ap + 1)))
    cuts = {x for k in (-6, -3, -1, 0, 1, 3, 6) if c < (x := mean + k * sd) < 1}
    points = sorted({mp.mpf(0), (1 - c) ** ap} | {(1 - x) ** ap for x in cuts})
    return float(base + mp.quad(f, points, maxdegree=10))


def main() -> None:
    rng = np.random.default_rng(18)
    params = [
        (2.0, 1.0, 4.0),
        (3.5, 2.0, 1.5),
        (0.4, 0.3, 1.1),
        (0.3, 15.2, 85.0),
        (12.0, 0.25, 40.0),
        (30.2, 18.0, 60.5),
        (2.6, 1.9, 104.4),
        (45.0, 20.0, 44.0),
        (150.0, 80.0, 410.0),
        (1.2, 200.0, 3.0),
        (0.05, 0.08, 0.12),
        (7.0, 7.0, 7.0),
    ]
    cases = []
    for a in params:
        draws = rng.dirichlet(a, 200_000)
        diff = draws[:, 2] - draws[:, 0]
        for q in (0.001, 0.025, 0.5, 0.975, 0.999):
            t = float(np.clip(np.quantile(diff, q), -0.999999, 0.999999))
            cases.append({"alpha": list(a), "t": t, "cdf": cdf(t, a)})
            print(a, t, cases[-1]["cdf"], flush=True)
    (HERE / "nps_distribution.json").write_text(json.dumps(cases, indent=1) + "\n")


if __name__ == "__main__":
    main()

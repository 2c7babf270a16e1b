"""Known answers computed outside the project (R 4.2.2 + survey 4.1.1, statsmodels 0.15.0, scipy 1.17.1,
mpmath 1.4.1; see tests/references/REFERENCES.md). All comparisons are at 1e-9 relative or better.

Units: NPS in points (fractions x 100), shares in percent (fractions x 100).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import cxmetrics as cx
from conftest import Z95, approx, nps_scores, share_scores

# ---------------------------------------------------------------------------------------------------
# NPS: REFERENCES.md section 4 (95%, points). Tango "score" limits are the high-precision roots (R uniroot
# tol=1e-15 and mpmath 40 digits agree to >= 15 digits); Wald and adjusted Wald computed in R (refs.R).
# Columns: (D, P, R) -> NPS, Wald SE (points), score (L, U), wald (L, U), adjusted_wald (L, U) *unclipped*.
# ---------------------------------------------------------------------------------------------------
NPS_CASES = {
    (20, 30, 50): dict(
        nps=30.0,
        se=7.81024967590665,
        score=(13.9551416141957, 44.3393066335859),
        wald=(14.6921919249573, 45.3078080750427),
        adjusted_wald=(14.0511301787616, 44.2012970057044),
    ),
    (1, 2, 3): dict(
        nps=33.3333333333333,
        se=30.4290309725092,
        score=(-31.1073784624224, 75.395666356387),
        wald=(-26.3064714572385, 92.9731381239052),
        adjusted_wald=(-26.7432587941045, 71.187703238549),
    ),
    (5, 10, 85): dict(
        nps=80.0,
        se=5.09901951359279,
        score=(67.2669466318971, 87.8152675716331),
        wald=(70.0061053968912, 89.9938946031088),
        adjusted_wald=(67.3584693391513, 87.9813364860914),
    ),
    (0, 10, 20): dict(
        nps=66.6666666666667,
        se=8.6066296582387,
        score=(47.7477678043386, 80.7695019163239),
        wald=(49.7979825082445, 83.5353508250888),
        adjusted_wald=(42.4171156835074, 78.7950055286138),
    ),
    (10, 0, 0): dict(
        nps=-100.0,
        se=0.0,
        score=(-100.0, -44.4934400274222),
        wald=(-100.0, -100.0),
        adjusted_wald=(-106.342602301364, -47.5035515447902),  # lower is clipped to -100 by cxmetrics
    ),
    (3, 4, 3): dict(
        nps=0.0,
        se=24.4948974278318,
        score=(-44.4217809095524, 44.4217809095524),
        wald=(-48.0091167635531, 48.0091167635531),
        adjusted_wald=(-41.2890956242421, 41.2890956242421),
    ),
}
NPS_METHODS = ("wald", "adjusted_wald", "score")


def _clip(v: float, lo: float, hi: float) -> float:
    return min(max(v, lo), hi)


@pytest.mark.parametrize("counts", list(NPS_CASES), ids=lambda c: "/".join(map(str, c)))
@pytest.mark.parametrize("method", NPS_METHODS)
@pytest.mark.parametrize("source", ["counts", "scores", "random_scores"])
def test_nps_reference_table(counts, method, source):
    ref = NPS_CASES[counts]
    d, p, r = counts
    if source == "counts":
        e = cx.nps_from_counts(d, p, r, method=method)
    elif source == "scores":
        e = cx.nps(nps_scores(d, p, r), method=method)
    else:
        e = cx.nps(nps_scores(d, p, r, seed=sum(counts)), method=method)
    lo, hi = ref[method]
    assert e.indicator == "nps"
    assert e.unit == "points"
    assert e.method == method
    assert e.confidence == 0.95
    assert e.n == d + p + r
    assert e.value == approx(ref["nps"])
    # std_error is the raw multinomial SE (divisor n), whatever the interval method.
    assert e.std_error == approx(ref["se"])
    assert e.lower == approx(_clip(lo, -100, 100))
    assert e.upper == approx(_clip(hi, -100, 100))


@pytest.mark.parametrize("counts", list(NPS_CASES), ids=lambda c: "/".join(map(str, c)))
def test_nps_category_shares_and_counts(counts):
    d, p, r = counts
    n = d + p + r
    for e in (cx.nps_from_counts(d, p, r), cx.nps(nps_scores(d, p, r, seed=7))):
        assert (e.n_detractors, e.n_passives, e.n_promoters) == (d, p, r)
        assert e.detractors == approx(100 * d / n)
        assert e.passives == approx(100 * p / n)
        assert e.promoters == approx(100 * r / n)
        assert e.promoters - e.detractors == approx(e.value)
        assert e.successes is None


def test_nps_category_cut_offs():
    # 0-6 detractors, 7-8 passives, 9-10 promoters.
    e = cx.nps(list(range(11)), method="wald")
    assert (e.n_detractors, e.n_passives, e.n_promoters) == (7, 2, 2)
    assert e.value == approx(100 * (2 - 7) / 11)
    for score, cat in [(6, "n_detractors"), (7, "n_passives"), (8, "n_passives"), (9, "n_promoters"), (0, "n_detractors"), (10, "n_promoters")]:
        assert getattr(cx.nps([score]), cat) == 1


def test_nps_cavo_tango_and_wald():
    # contingencytables test-ch8.R, cavo_2012 = rbind(c(59, 6), c(16, 80)) -> D=16, P=139, R=6, n=161.
    # Tango high-precision roots (mpmath 40 digits / R uniroot tol=1e-15), x100:
    e = cx.nps_from_counts(16, 139, 6, method="score")
    assert e.value == approx(-6.2111801242236)
    assert e.lower == approx(-12.4023432464068)
    assert e.upper == approx(-0.543339573167708)
    # Printed by the package: -0.1240 to -0.0054.
    assert round(e.lower / 100, 4) == -0.1240 and round(e.upper / 100, 4) == -0.0054
    # R refs.R "cavo NPS-style Wald" (= contingencytables Wald_CI_diff_paired_2x2: -0.1184 to -0.0058), x100:
    w = cx.nps_from_counts(16, 139, 6, method="wald")
    assert w.lower == approx(-11.839965766158)
    assert w.upper == approx(-0.58239448228922)
    # Same from raw scores (estimates from counts carry no scale, so compare the numbers).
    raw = cx.nps(nps_scores(16, 139, 6, seed=1), method="score")
    assert (raw.value, raw.lower, raw.upper) == (e.value, e.lower, e.upper)


def test_nps_bentur_tango():
    # bentur_2009 = rbind(c(1,1), c(7,12)) -> D=7, P=13, R=1; mpmath 40 digits (refs.py), x100.
    e = cx.nps_from_counts(7, 13, 1, method="score")
    assert e.lower == approx(-51.7232276421377)
    assert e.upper == approx(-2.60030324808685)


def test_nps_tango_all_passives_closed_form():
    # With D = R = 0, T(d) = -sqrt(n d / (1 - d)) for d > 0, so the limits are +-z^2/(n + z^2) exactly.
    for n in (1, 5, 40):
        e = cx.nps_from_counts(0, n, 0, method="score")
        half = 100 * Z95**2 / (n + Z95**2)
        assert e.value == 0
        assert e.upper == approx(half)
        assert e.lower == approx(-half)


@pytest.mark.parametrize(
    "counts, var1",
    [
        # R package NPS tests (docs/methods.md "Known answers"): D/P/R -> Var1, SE = sqrt(Var1/n)
        ((1, 2, 3), 5 / 9),  # NPS 1/3, SE 0.304
        ((1, 0, 1), 1.0),  # SE 0.707
        ((0, 1, 1), 0.25),  # SE 0.354
        ((1, 1, 1), 2 / 3),  # SE 0.471
    ],
)
def test_nps_r_package_variance(counts, var1):
    d, p, r = counts
    n = d + p + r
    for method in NPS_METHODS:
        e = cx.nps_from_counts(d, p, r, method=method)
        assert e.value == approx(100 * (r - d) / n)
        assert e.std_error == approx(100 * math.sqrt(var1 / n))
    rounded = {(1, 2, 3): 0.304, (1, 0, 1): 0.707, (0, 1, 1): 0.354, (1, 1, 1): 0.471}[counts]
    assert round(cx.nps_from_counts(d, p, r).std_error / 100, 3) == rounded


def test_nps_methods_md_20_30_50():
    # docs/methods.md: counts 20/30/50 -> NPS 30.0 points, SE 7.81025 points, wald 95% (14.6922, 45.3078).
    e = cx.nps_from_counts(20, 30, 50, method="wald")
    assert round(e.std_error, 5) == 7.81025
    assert (round(e.lower, 4), round(e.upper, 4)) == (14.6922, 45.3078)


# ---------------------------------------------------------------------------------------------------
# Shares: REFERENCES.md section 1 (fractions; multiplied by 100 below).
#   wald/wilson/agresti_coull/clopper_pearson: statsmodels proportion_confint(x, n, alpha, method=
#     'normal'/'wilson'/'agresti_coull'/'beta') (statsmodels clips normal/wilson/agresti_coull to [0, 1]).
#   jeffreys: statsmodels proportion_confint(method='jeffreys') = scipy beta.ppf(a/2 | 1-a/2, x+.5, n-x+.5),
#     except L=0 at x=0 and U=1 at x=n (Brown, Cai & DasGupta convention used by cxmetrics).
#   wilson_cc: R prop.test(x, n, conf.level=1-alpha, correct=TRUE)$conf.int, which equals the Newcombe
#     (1998) method-4 formula except at x = n/2 (19/38), where the Newcombe formula value is used.
# ---------------------------------------------------------------------------------------------------
SHARE_CASES = {
    (18, 20, 0.05): dict(
        wald=(0.768521618913513, 1.0),
        wilson=(0.698966354771513, 0.972133518786232),
        agresti_coull=(0.686756112559607, 0.984343760998137),
        clopper_pearson=(0.683017285980918, 0.987651472829705),
        jeffreys=(0.716146742695748, 0.978627511977525),
        wilson_cc=(0.668722403162941, 0.982487361226571),
    ),
    (0, 30, 0.05): dict(
        wald=(0.0, 0.0),
        wilson=(0.0, 0.113513393173969),
        agresti_coull=(0.0, 0.134711696139626),
        clopper_pearson=(0.0, 0.115703308222028),
        jeffreys=(0.0, 0.07967817381726),  # statsmodels lower 1.62318612234643e-05 -> 0 (BCD rule)
        wilson_cc=(0.0, 0.141320479682452),
    ),
    (30, 30, 0.05): dict(
        wald=(1.0, 1.0),
        wilson=(0.886486606826031, 1.0),
        agresti_coull=(0.865288303860373, 1.0),
        clopper_pearson=(0.884296691777972, 1.0),
        jeffreys=(0.92032182618274, 1.0),  # statsmodels upper 0.999983768138777 -> 1 (BCD rule)
        wilson_cc=(0.858679520317548, 1.0),
    ),
    (1, 30, 0.05): dict(
        wald=(0.0, 0.0975673689058453),
        wilson=(0.00590859038161246, 0.166703909914092),
        agresti_coull=(0.0, 0.180917984532611),
        clopper_pearson=(0.000843570926630479, 0.172169455633413),
        jeffreys=(0.00362046437379166, 0.14541777735402),
        wilson_cc=(0.00174246705238487, 0.190530216347821),
    ),
    (37, 100, 0.10): dict(
        wald=(0.290585758257751, 0.449414241742249),
        wilson=(0.294988491953312, 0.451860615450313),
        agresti_coull=(0.294915736269499, 0.451933371134126),
        clopper_pearson=(0.289355367440998, 0.456565906520074),
        jeffreys=(0.294028347065446, 0.451458839762703),
        wilson_cc=(0.290337144665098, 0.456937089598205),
    ),
    (537, 1000, 0.01): dict(
        wald=(0.496384227487237, 0.577615772512763),
        wilson=(0.496273693730735, 0.577238560066413),
        agresti_coull=(0.496272964012324, 0.577239289784824),
        clopper_pearson=(0.495785224086307, 0.577857641579611),
        jeffreys=(0.496285841808077, 0.577363044963725),
        wilson_cc=(0.495774017407694, 0.577732251921716),
    ),
    (5, 7, 0.05): dict(
        wald=(0.379627853201813, 1.0),
        wilson=(0.358934451832619, 0.917781075995943),
        agresti_coull=(0.352351283191985, 0.924364244636578),
        clopper_pearson=(0.290420863737343, 0.963307433823914),
        jeffreys=(0.352338345040579, 0.935271733050517),
        wilson_cc=(0.302560029813928, 0.948875693954224),
    ),
    (19, 38, 0.05): dict(
        wald=(0.3410259285314, 0.6589740714686),
        wilson=(0.348499283643951, 0.651500716356049),
        agresti_coull=(0.348499283643951, 0.651500716356049),
        clopper_pearson=(0.333789006113097, 0.666210993886903),
        jeffreys=(0.345934698159151, 0.654065301840849),
        wilson_cc=(0.33659706345321, 0.66340293654679),  # Newcombe formula; R prop.test drops the CC here
    ),
}
SHARE_METHODS = ("wilson", "wilson_cc", "agresti_coull", "clopper_pearson", "jeffreys", "wald")


@pytest.mark.parametrize("case", list(SHARE_CASES), ids=lambda c: f"{c[0]}of{c[1]}-a{c[2]}")
@pytest.mark.parametrize("method", SHARE_METHODS)
def test_share_reference_table(case, method):
    x, n, alpha = case
    lo, hi = SHARE_CASES[case][method]
    confidence = 1 - alpha
    estimates = {
        "from_counts": cx.top_box_from_counts(x, n, method=method, confidence=confidence),
        "top_box": cx.top_box(share_scores(x, n), method=method, confidence=confidence),
        "csat": cx.csat(share_scores(x, n), method=method, confidence=confidence),
        "ces": cx.ces(share_scores(x, n, scale=(1, 7), top=3), method=method, confidence=confidence),
        "top_box_0_10_top3": cx.top_box(
            share_scores(x, n, scale=(0, 10), top=3), scale=(0, 10), top=3, method=method, confidence=confidence
        ),
    }
    for label, e in estimates.items():
        assert e.unit == "percent", label
        assert e.method == method, label
        assert e.n == n and e.successes == x, label
        assert e.confidence == approx(confidence), label
        assert e.value == approx(100 * x / n), label
        assert e.std_error == approx(100 * math.sqrt(x / n * (1 - x / n) / n)), label
        assert e.lower == approx(100 * lo), label
        assert e.upper == approx(100 * hi), label
    assert estimates["csat"].indicator == "csat"
    assert estimates["ces"].indicator == "ces"
    assert estimates["top_box"].indicator == "top_box"
    assert estimates["from_counts"].indicator == "top_box"


def test_share_statsmodels_docstring_values():
    # docs/methods.md "Known answers" (statsmodels tests, x = 18, n = 20, 95%), 10 digits.
    ref = {
        "wilson": (0.6989663548, 0.9721335188),
        "agresti_coull": (0.6867561126, 0.9843437610),
        "clopper_pearson": (0.6830172860, 0.9876514728),
        "jeffreys": (0.7161467427, 0.9786275120),
        "wilson_cc": (0.6687224032, 0.9824873612),
    }
    for method, (lo, hi) in ref.items():
        e = cx.top_box_from_counts(18, 20, method=method)
        assert e.lower / 100 == pytest.approx(lo, abs=6e-11)
        assert e.upper / 100 == pytest.approx(hi, abs=6e-11)


def test_default_share_method_is_wilson():
    assert cx.top_box_from_counts(18, 20).method == "wilson"
    assert cx.top_box([5, 4, 1]).method == "wilson"
    assert cx.nps([10, 0]).method == "adjusted_wald"


# ---------------------------------------------------------------------------------------------------
# Mean scores: REFERENCES.md section 3 (R t.test(x, conf.level)$conf.int; scipy stats.t.interval agrees).
# ---------------------------------------------------------------------------------------------------
XA = [5, 4, 4, 3, 5, 1, 2, 5, 4, 4]
XB = [7, 6, 7, 5, 3, 7, 6, 2, 4, 5, 6, 7, 1]


@pytest.mark.parametrize(
    "scores, scale, confidence, mean, sem, lo, hi",
    [
        # R t.test(xa)$conf.int; sem = scipy stats.sem(xa)
        (XA, (1, 5), 0.95, 3.7, 0.422952584681651, 2.74321478103839, 4.65678521896161),
        # R t.test(xa, conf.level = 0.9)$conf.int
        (XA, (1, 5), 0.90, 3.7, 0.422952584681651, 2.92468014711968, 4.47531985288032),
        # R t.test(xb)$conf.int (scipy lower 3.85676947475756 agrees to 15 digits)
        (XB, (1, 7), 0.95, 5.07692307692308, 0.560008453021578, 3.85676947475757, 6.29707667908859),
    ],
)
def test_mean_t_interval(scores, scale, confidence, mean, sem, lo, hi):
    e = cx.mean_score(scores, scale=scale, confidence=confidence)
    assert e.indicator == "mean"
    assert e.method == "t"
    assert e.unit == "score"
    assert e.scale == scale
    assert e.n == len(scores)
    assert e.value == approx(mean)
    assert e.std_error == approx(sem)
    assert e.lower == approx(lo)
    assert e.upper == approx(hi)
    assert e.successes is None and e.promoters is None


# ---------------------------------------------------------------------------------------------------
# Weighted estimates: REFERENCES.md section 2 (R survey 4.1.1, svydesign(ids=~1, weights=~w)).
# ---------------------------------------------------------------------------------------------------
Y_NPS = [10, 9, 0, 7, 8, 3, 10, 6, 9, 10, 2, 8]
W_NPS = [1.5, 0.5, 2, 1, 1, 3, 0.25, 1, 2, 1, 0.75, 1]
Y5 = [5, 4, 4, 3, 5, 1, 2, 5, 4, 4]
W5 = [1, 2, 1, 0.5, 1, 1, 3, 1, 1, 0.5]


def test_weighted_nps_survey():
    e = cx.nps(Y_NPS, weights=W_NPS, method="wald")
    # svymean(~cat): mean -0.1, SE 0.318909125462145; confint(m) (z): -0.72505040024697 0.52505040024697
    assert e.weighted is True
    assert e.value == approx(-10.0)
    assert e.std_error == approx(31.8909125462145)
    assert e.lower == approx(-72.505040024697)
    assert e.upper == approx(52.505040024697)
    assert e.lower == approx(e.value - Z95 * e.std_error)
    assert e.upper == approx(e.value + Z95 * e.std_error)
    # Kish n_eff = (sum w)^2 / sum(w^2)
    assert e.effective_n == approx(8.95522388059701)
    assert e.n == 12
    # svymean(~prom) 0.35, svymean(~det) 0.45 (weighted shares); counts are unweighted.
    assert e.promoters == approx(35.0)
    assert e.detractors == approx(45.0)
    assert e.passives == approx(20.0)
    assert (e.n_detractors, e.n_passives, e.n_promoters) == (4, 3, 5)


def test_weighted_nps_all_weights_one_survey():
    # R survey with d$w <- 1: svymean(~cat) 0.0833333333333333, SE 0.259904799975886,
    # confint (z): -0.426070714028489 0.592737380695156; Kish n 12.
    e = cx.nps(Y_NPS, weights=np.ones(12), method="wald")
    assert e.value == approx(8.33333333333333)
    assert e.std_error == approx(25.9904799975886)
    assert e.lower == approx(-42.6070714028489)
    assert e.upper == approx(59.2737380695156)
    assert e.effective_n == approx(12.0)


def test_weighted_mean_survey():
    # svymean(~y, des5): 3.45833333333333, SE 0.51370507848824; confint(df=degf=9): 2.29625171046535 4.62041495620132
    e = cx.mean_score(Y5, weights=W5)
    assert e.weighted is True
    assert e.value == approx(3.45833333333333)
    assert e.std_error == approx(0.51370507848824)
    assert e.lower == approx(2.29625171046535)
    assert e.upper == approx(4.62041495620132)
    # Kish n_eff printed by refs.R for (y5, w5)
    assert e.effective_n == approx(7.38461538461539)


def test_weighted_mean_0_10_survey():
    # svymean(~y) on the NPS data: 5.96666666666667, SE 1.27025568093573, confint(df=11): 3.17085276340503 8.76248056992831
    e = cx.mean_score(Y_NPS, scale=(0, 10), weights=W_NPS)
    assert e.value == approx(5.96666666666667)
    assert e.std_error == approx(1.27025568093573)
    assert e.lower == approx(3.17085276340503)
    assert e.upper == approx(8.76248056992831)
    # All weights 1: 6.83333333333333, SE 0.98344888894732, confint(df=11): 4.66877692305167 8.99788974361499
    e1 = cx.mean_score(Y_NPS, scale=(0, 10), weights=[1] * 12)
    assert e1.value == approx(6.83333333333333)
    assert e1.std_error == approx(0.98344888894732)
    assert e1.lower == approx(4.66877692305167)
    assert e1.upper == approx(8.99788974361499)


def test_weighted_top_box_wald_survey():
    # svymean(~top2, des5): 0.625, SE 0.202314682388295; confint (z): 0.228470508975283 1.02152949102472
    # -> upper clipped to 100 %.
    e = cx.top_box(Y5, weights=W5, method="wald")
    assert e.value == approx(62.5)
    assert e.std_error == approx(20.2314682388295)
    assert e.lower == approx(22.8470508975283)
    assert e.upper == 100.0
    assert e.successes == 7
    assert e.effective_n == approx(7.38461538461539)


def test_weighted_top_box_wilson_design_effective_n():
    # Wilson's formula with the design effective n* = p(1-p)/V, where p = 0.625 and sqrt(V) =
    # 0.202314682388295 come from R survey svymean(~top2, des5) (docs/methods.md "Shares: Weighted").
    p, se = 0.625, 0.202314682388295
    n_star = p * (1 - p) / se**2
    centre = (p + Z95**2 / (2 * n_star)) / (1 + Z95**2 / n_star)
    half = Z95 * math.sqrt(p * (1 - p) / n_star + Z95**2 / (4 * n_star**2)) / (1 + Z95**2 / n_star)
    for e in (cx.top_box(Y5, weights=W5), cx.csat(Y5, weights=W5, method="wilson")):
        assert e.method == "wilson"
        assert e.value == approx(62.5)
        assert e.std_error == approx(100 * se)
        assert e.lower == approx(100 * (centre - half))
        assert e.upper == approx(100 * (centre + half))
    # Numerically (same formula): 26.396907370363916 .. 88.56533941923159
    assert cx.top_box(Y5, weights=W5).lower == approx(26.396907370363916, rel=1e-12)


def test_weighted_top_box_wilson_uses_kish_n_at_the_boundaries():
    # docs/methods.md: n* is Kish's n when p is 0 or 1; Wilson at p = 1 gives L = n/(n + z^2), U = 1.
    w = [1.0, 2.0, 3.0]
    kish = sum(w) ** 2 / sum(v * v for v in w)  # 36 / 14
    top = cx.top_box([5, 5, 5], weights=w)
    assert top.value == 100.0 and top.upper == 100.0
    assert top.effective_n == approx(kish)
    assert top.lower == approx(100 * kish / (kish + Z95**2))
    bottom = cx.top_box([1, 1, 1], weights=w)
    assert bottom.value == 0.0 and bottom.lower == 0.0
    assert bottom.upper == approx(100 * Z95**2 / (kish + Z95**2))

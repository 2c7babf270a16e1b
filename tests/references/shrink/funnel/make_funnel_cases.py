"""Reference values for funnel plots (Spiegelhalter 2005), computed outside the project.

Data: the adoption data of 143 English local authorities (children placed for adoption within 12
months of the decision, 2008-2010; events out of cases), published by D. J. Spiegelhalter with a
funnel plot in "Another doubtful league table?" (Understanding Uncertainty blog, 1 Nov 2011) and
redistributed as Adoptions.csv with R. Wicklin's "Funnel plots for proportions" (The DO Loop blog,
23 Nov 2011). Sources and what they state: README.md beside this file.

Everything here is recomputed from the formulas of the papers with numpy and scipy only (this
script does not import cxmetrics):

- target t = sum(events) / sum(n) (the pooled proportion), s_i = sqrt(t (1 - t) / n_i),
  z_i = (y_i - t) / s_i with y_i = events_i / n_i;
- multiplicative: the z_i Winsorised at their 10% and 90% quantiles (R's type 7, written out by
  hand below and checked against numpy), phi = mean of the squared Winsorised z_i; limits
  t +- z_p sqrt(phi) s_i, with phi replaced by 1 when phi < 1 (as cxmetrics does);
- additive: w_i = 1 / s_i^2, tau^2 = max(0, (I phi - (I - 1)) / (sum w - sum w^2 / sum w)) with the
  Winsorised phi; limits t +- z_p sqrt(s_i^2 + tau^2);
- none: t +- z_p s_i;
- z_p = Phi^-1(1 - (1 - p) / 2) for p = 0.95 and 0.998.

Limits are given unclipped and clipped to [0, 1] (cxmetrics clips a share to its range and reports
percent: multiply these fractions by 100, and the per-answer variance by 1e4). A group is outside
when its proportion is strictly below the lower or above the upper clipped limit.

Also written, to set the published statements against: flags from exact binomial limits (the
published plot used exact binomial limits), with and without Spiegelhalter's (2005, Appendix A.1.1)
interpolation, and phi under the other quantile conventions and under FunnelPlotR's arcsine scale.

Run: python tests/references/shrink/funnel/make_funnel_cases.py  (writes funnel_cases.json here)
"""

import json
import math
import pathlib

import numpy as np
from scipy import stats

HERE = pathlib.Path(__file__).parent

# Authority, events (placed within 12 months), n (children placed; rounded to the nearest 5 in the
# source, see README.md). Same order as Adoptions.csv.
ADOPTIONS = """\
York,30,30
South Tyneside,62,65
Hartlepool,19,20
Portsmouth,28,30
Windsor and Maidenhead,14,15
Bexley,37,40
Redcar and Cleveland,28,30
Kingston upon Thames,14,15
Poole,14,15
Shropshire,32,35
Thurrock,23,25
Cornwall,99,110
Kensington and Chelsea,18,20
Wakefield,49,55
Dorset,22,25
Durham,70,80
Lewisham,62,70
Hampshire,135,155
Isle of Wight,22,25
Lincolnshire,104,120
North Yorkshire,52,60
Northumberland,48,55
Oxfordshire,65,75
Wandsworth,30,35
Bath and North East Somerset,13,15
Solihull,22,25
West Berkshire,22,25
Wokingham,17,20
Brighton and Hove,72,85
Leeds,162,190
Leicester,64,75
Stockport,43,50
Blackpool,46,55
Camden,25,30
Ealing,46,55
North Tyneside,59,70
Southwark,71,85
Walsall,80,95
Knowsley,25,30
Newcastle upon Tyne,70,85
Tower Hamlets,45,55
Bristol,85,105
Redbridge,16,20
Slough,28,35
Swindon,28,35
Cambridgeshire,48,60
Cumbria,68,85
Leicestershire,44,55
Middlesbrough,32,40
Worcestershire,64,80
North Lincolnshire,24,30
Warwickshire,63,80
Bolton,86,110
Bournemouth,20,25
Bury,27,35
Coventry,59,75
East Sussex,62,80
Havering,27,35
Somerset,55,70
Kingston Upon Hull,89,115
Stoke-on-Trent,77,100
Trafford,23,30
Warrington,23,30
Barking and Dagenham,46,60
Gateshead,57,75
Islington,23,30
Southampton,53,70
Southend-on-Sea,34,45
Suffolk,144,190
Westminster,30,40
Barnsley,38,50
Darlington,19,25
Gloucestershire,45,60
Herefordshire,19,25
South Gloucestershire,15,20
Wiltshire,38,50
Enfield,30,40
Norfolk,118,160
Peterborough,67,90
Plymouth,59,80
Rotherham,41,55
Staffordshire,78,105
Surrey,70,95
Telford and Wrekin,33,45
Buckinghamshire,44,60
Devon,66,90
Luton,29,40
Manchester,120,165
Sefton,40,55
Reading,32,45
Rochdale,36,50
Sutton,18,25
Lancashire,142,200
Liverpool,85,120
Milton Keynes,32,45
St. Helens,39,55
Sunderland,60,85
Tameside,46,65
Bradford,81,115
Doncaster,49,70
Dudley,39,55
Lambeth,32,45
North East Lincolnshire,28,40
Sheffield,105,150
Birmingham,155,225
Cheshire East,10,15
Kent,162,235
West Sussex,79,115
Wirral,48,70
Derbyshire,95,140
Northamptonshire,95,140
Torbay,24,35
Wigan,44,65
Essex,111,165
Greenwich,44,65
Hammersmith and Fulham,23,35
Harrow,23,35
Salford,57,85
Hertfordshire,109,165
Hounslow,30,45
Calderdale,29,45
Croydon,23,35
Kirklees,62,95
Newham,62,95
North Somerset,16,25
Haringey,19,30
Sandwell,57,90
Wolverhampton,41,65
Oldham,43,70
Barnet,24,40
Blackburn with Darwen,21,35
Bromley,21,35
Medway,32,55
Nottingham,59,100
Stockton-on-Tees,18,30
Waltham Forest,21,35
Halton,20,35
Hillingdon,35,60
Derby,54,95
East Riding of Yorkshire,34,60
Nottinghamshire,52,95
Brent,23,45
Hackney,24,55
"""

LEVELS = (0.95, 0.998)
TRIM = 0.1

# What the source states (README.md gives the citations).
PUBLISHED = {
    "groups": 143,
    "period": "2008-2010 (three-year aggregate)",
    "denominators": "rounded to the nearest 5 in the source spreadsheet; 5 substituted where none was given",
    "limits_used": "exact binomial 95% (2 SD) and 99.8% (3 SD) limits from ERPHO's funnel plot tool, no over-dispersion allowance",
    "statements": [
        "Most of the local authorities (LAs) lie within the 95% (2SD) funnel",
        "York was top of the table but only handles around 10 adoption a year",
        "York and 5 other LAs can be considered as having systematically better performance",
        "only a few LAs can be confidently said to be worse than average",
    ],
    "read_as": {"above_998": 6, "includes": "York", "below_998": "a few"},
}


def quantile_type7(sorted_x: np.ndarray, q: float) -> float:
    """R's default quantile (type 7): x[floor(h)] + (h - floor(h)) (x[floor(h)+1] - x[floor(h)]), h = (N-1) q."""
    h = (len(sorted_x) - 1) * q
    lo = math.floor(h)
    if lo + 1 < len(sorted_x):
        return float(sorted_x[lo] + (h - lo) * (sorted_x[lo + 1] - sorted_x[lo]))
    return float(sorted_x[lo])


def winsorised_phi(z: np.ndarray, method: str = "type7") -> tuple[float, float, float]:
    zs = np.sort(z)
    if method == "type7":
        lo, hi = quantile_type7(zs, TRIM), quantile_type7(zs, 1 - TRIM)
        assert abs(lo - np.quantile(z, TRIM)) < 1e-12 and abs(hi - np.quantile(z, 1 - TRIM)) < 1e-12
    else:
        lo, hi = (float(v) for v in np.quantile(z, [TRIM, 1 - TRIM], method=method))
    return float(np.mean(np.clip(z, lo, hi) ** 2)), lo, hi


def dl_tau2(phi: float, s: np.ndarray) -> float:
    w = 1.0 / s**2
    i = len(s)
    return max(0.0, (i * phi - (i - 1)) / (w.sum() - (w**2).sum() / w.sum()))


def exact_flags(events: np.ndarray, n: np.ndarray, t: float, level: float) -> dict[str, list[int]]:
    """Exact binomial limits around t without interpolation: above when P(X >= y) < (1 - level) / 2."""
    a = (1 - level) / 2
    upper_tail = stats.binom.sf(events - 1, n, t)  # P(X >= y)
    lower_tail = stats.binom.cdf(events, n, t)  # P(X <= y)
    return {"above": np.where(upper_tail < a)[0].tolist(), "below": np.where(lower_tail < a)[0].tolist()}


def interpolated_limits(n: np.ndarray, t: float, q: float) -> np.ndarray:
    """Spiegelhalter (2005) Appendix A.1.1: r = binomial q-quantile, alpha = (F(r) - q) / (F(r) - F(r-1)), limit (r - alpha) / n."""
    r = stats.binom.ppf(q, n, t)
    f, f1 = stats.binom.cdf(r, n, t), stats.binom.cdf(r - 1, n, t)
    return (r - (f - q) / (f - f1)) / n


def main() -> None:
    rows = [line.split(",") for line in ADOPTIONS.strip().splitlines()]
    names = [r[0] for r in rows]
    events = np.array([float(r[1]) for r in rows])
    n = np.array([float(r[2]) for r in rows])
    assert len(names) == PUBLISHED["groups"]
    y = events / n
    t = float(events.sum() / n.sum())
    var = t * (1 - t)
    s = np.sqrt(var / n)
    z = (y - t) / s
    i = len(z)

    phi_raw = float(np.mean(z**2))
    phi_w, w_lo, w_hi = winsorised_phi(z)
    tau2 = dl_tau2(phi_w, s)
    phi_used = max(phi_w, 1.0)

    half_sd = {"none": s, "multiplicative": math.sqrt(phi_used) * s, "additive": np.sqrt(s**2 + tau2)}
    limits, limits_clipped, outside = {}, {}, {}
    for method, sd in half_sd.items():
        limits[method], limits_clipped[method], outside[method] = {}, {}, {}
        for level in LEVELS:
            zp = float(stats.norm.ppf(1 - (1 - level) / 2))
            lo, hi = t - zp * sd, t + zp * sd
            clo, chi = np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)
            key = f"{level:g}"
            limits[method][key] = {"lower": lo.tolist(), "upper": hi.tolist()}
            limits_clipped[method][key] = {"lower": clo.tolist(), "upper": chi.tolist()}
            above, below = np.where(y > chi)[0], np.where(y < clo)[0]
            outside[method][key] = {
                "above": [names[k] for k in above],
                "below": [names[k] for k in below],
                "n_above": int(len(above)),
                "n_below": int(len(below)),
            }

    exact = {}
    for level in LEVELS:
        f = exact_flags(events, n, t, level)
        lo_i = interpolated_limits(n, t, (1 - level) / 2)
        hi_i = interpolated_limits(n, t, 1 - (1 - level) / 2)
        exact[f"{level:g}"] = {
            "uninterpolated": {"above": [names[k] for k in f["above"]], "below": [names[k] for k in f["below"]]},
            "interpolated_A11": {
                "lower": lo_i.tolist(),
                "upper": hi_i.tolist(),
                "above": [names[k] for k in np.where(y > hi_i)[0]],
                "below": [names[k] for k in np.where(y < lo_i)[0]],
            },
        }

    # Sensitivity of phi to the quantile convention (numpy's names for R's types 1-9).
    conventions = {}
    for rtype, method in enumerate(
        ["inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf",
         "hazen", "weibull", "linear", "median_unbiased", "normal_unbiased"], start=1):
        ph, lo, hi = winsorised_phi(z, method)
        conventions[f"type{rtype}"] = {"phi": ph, "lower": lo, "upper": hi, "tau2": dl_tau2(ph, s)}

    # FunnelPlotR's convention for proportions (data_type = "PR"): arcsine-square-root scale,
    # s = 1 / (2 sqrt(n)), same type 7 Winsorisation and DerSimonian-Laird step on that scale.
    za = (np.arcsin(np.sqrt(y)) - math.asin(math.sqrt(t))) * 2 * np.sqrt(n)
    phi_a, _, _ = winsorised_phi(za)
    tau2_a = dl_tau2(phi_a, 1 / (2 * np.sqrt(n)))

    case = {
        "name": "adoptions_2008_2010",
        "groups": [{"name": a, "events": e, "n": m} for a, e, m in zip(names, events.tolist(), n.tolist())],
        "target": t,
        "target_events": float(events.sum()),
        "target_n": float(n.sum()),
        "variance_per_answer": var,
        "se": s.tolist(),
        "z": z.tolist(),
        "winsorisation": {"trim": TRIM, "quantile_type": 7, "lower": w_lo, "upper": w_hi},
        "phi_raw": phi_raw,
        "phi_winsorised": phi_w,
        "phi_used_multiplicative": phi_used,
        "phi_significance": {
            "threshold_1_plus_2sqrt_2_over_I": 1 + 2 * math.sqrt(2 / i),
            "chi2_I_upper_95_over_I": float(stats.chi2.ppf(0.95, i) / i),
            "note": "I phi ~ chi2_I under no over-dispersion; cxmetrics inflates whenever phi > 1",
        },
        "tau2": tau2,
        "tau": math.sqrt(tau2),
        "tau2_from_raw_phi": dl_tau2(phi_raw, s),
        "z_additive": ((y - t) / np.sqrt(s**2 + tau2)).tolist(),
        "levels": list(LEVELS),
        "z_quantiles": {f"{lv:g}": float(stats.norm.ppf(1 - (1 - lv) / 2)) for lv in LEVELS},
        "limits": limits,
        "limits_clipped": limits_clipped,
        "outside": outside,
        "exact_binomial": exact,
        "phi_by_quantile_type": conventions,
        "funnelplotr_arcsine": {"phi": phi_a, "tau2": tau2_a},
        "published": PUBLISHED,
    }
    out = {
        "description": "Spiegelhalter (2005) funnel plots for a proportion; see README.md",
        "units": "fractions (cxmetrics reports shares in percent: multiply by 100)",
        "cases": [case],
    }
    (HERE / "funnel_cases.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()

//! Two independent estimates of the same indicator: `a - b` with its interval and test.
//!
//! Methods and sources: `docs/methods.md#independent-nps-difference`, `docs/methods.md#proportion-difference`, `docs/methods.md#mean-difference-welch`.

use super::{normal_sf, student_t_sf, z_statistic, Alternative, Comparison, ComparisonKind};
use crate::error::{Error, Result};
use crate::estimate::{Estimate, Indicator};
use crate::interval::nps::per_response_variance;
use crate::interval::proportion::{binomial_interval, weighted_interval, ProportionMethod};
use crate::interval::{bisect_decreasing as bisect, student_t_quantile, Confidence};

crate::names::named_enum! {
    /// A method for the difference of two independent estimates.
    pub enum DifferenceMethod {
        /// NPS and shares: `d ± z sqrt(V_a + V_b)` with each estimate's variance (multinomial/binomial, or
        /// linearisation when weighted); z test with the same standard error.
        Wald = "wald",
        /// NPS (default): each group adjusted first with pseudo-counts 0.75, 1.5, 0.75 (Rocks 2016;
        /// MeasuringU), then Wald on the adjusted estimates; interval and test centred on the adjusted
        /// difference.
        AdjustedWald = "adjusted_wald",
        /// Shares (default): Newcombe's (1998b, Stat Med 17:873-890, method 10) hybrid score interval from
        /// the two Wilson intervals, `L = d - sqrt((p1-l1)^2 + (u2-p2)^2)`,
        /// `U = d + sqrt((u1-p1)^2 + (p2-l2)^2)`; test: the Miettinen-Nurminen score test at 0 (as
        /// statsmodels `test_proportions_2indep(method="score")`).
        Newcombe = "newcombe",
        /// Shares: Agresti & Caffo (2000): add one success and one failure to each group, then Wald.
        AgrestiCaffo = "agresti_caffo",
        /// Shares: Miettinen & Nurminen (1985, Stat Med 4:213-226) score interval, inverting the score test
        /// with the constrained maximum-likelihood variance and the `N/(N-1)` correction (R
        /// `PropCIs::diffscoreci`; statsmodels `confint_proportions_2indep(method="score")` once its cubic
        /// is corrected, statsmodels issue 10269).
        Score = "score",
        /// Means (default): Welch's t interval and test, Welch-Satterthwaite degrees of freedom
        /// (`scipy.stats.ttest_ind(equal_var=False)`).
        Welch = "welch",
    }
    unknown = |name| Error::UnknownOption { option: "difference method", name, valid: DifferenceMethod::NAMES };
}

impl DifferenceMethod {
    /// The default method for an indicator's family.
    pub fn default_for(indicator: Indicator) -> DifferenceMethod {
        match indicator {
            Indicator::Nps | Indicator::Enps => DifferenceMethod::AdjustedWald,
            i if i.is_mean() => DifferenceMethod::Welch,
            _ => DifferenceMethod::Newcombe,
        }
    }

    /// The method `name` for an indicator's family.
    ///
    /// # Errors
    /// [`Error::UnknownMethod`] naming the valid methods of the family.
    pub fn parse_for(name: &str, indicator: Indicator) -> Result<DifferenceMethod> {
        let (family, valid): (&'static str, &'static [&'static str]) = match indicator {
            Indicator::Nps | Indicator::Enps => ("nps differences", &["adjusted_wald", "wald"]),
            i if i.is_mean() => ("mean differences", &["welch"]),
            _ => (
                "share differences",
                &["newcombe", "agresti_caffo", "score", "wald"],
            ),
        };
        const ALL: [DifferenceMethod; 6] = [
            DifferenceMethod::Wald,
            DifferenceMethod::AdjustedWald,
            DifferenceMethod::Newcombe,
            DifferenceMethod::AgrestiCaffo,
            DifferenceMethod::Score,
            DifferenceMethod::Welch,
        ];
        ALL.into_iter()
            .find(|m| m.as_str() == name && valid.contains(&name))
            .ok_or_else(|| Error::UnknownMethod {
                name: name.to_owned(),
                indicator: family,
                valid,
            })
    }
}

/// The choices of a comparison of two independent estimates: the difference method, the confidence
/// level and the alternative. The default is the family's default method
/// ([`DifferenceMethod::default_for`]), the estimates' own confidence level and a two-sided test.
///
/// # Examples
/// ```
/// use cxmetrics::compare::{Alternative, CompareOptions, DifferenceMethod};
/// use cxmetrics::Confidence;
/// let options = CompareOptions::default()
///     .with_method(DifferenceMethod::Wald)
///     .with_confidence(Confidence::new(0.9)?)
///     .with_alternative(Alternative::Greater);
/// assert_eq!(options.method(), Some(DifferenceMethod::Wald));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CompareOptions {
    method: Option<DifferenceMethod>,
    confidence: Option<Confidence>,
    alternative: Alternative,
}

impl CompareOptions {
    /// The options that compare `a` with `b` by the default method for the pair: the family's
    /// default, except that weighted NPS estimates (either side) take [`DifferenceMethod::Wald`], the
    /// only NPS difference with a weighted form. Used by trends and grouped reports.
    pub fn for_estimates(a: &Estimate, b: &Estimate) -> CompareOptions {
        let weighted = a.is_weighted() || b.is_weighted();
        let method = if weighted && a.indicator().is_nps() {
            DifferenceMethod::Wald
        } else {
            DifferenceMethod::default_for(a.indicator())
        };
        CompareOptions::default().with_method(method)
    }

    /// Compares by `method` instead of the family's default.
    pub fn with_method(mut self, method: DifferenceMethod) -> Self {
        self.method = Some(method);
        self
    }

    /// Compares at `confidence` instead of the estimates' own level.
    pub fn with_confidence(mut self, confidence: Confidence) -> Self {
        self.confidence = Some(confidence);
        self
    }

    /// Tests `alternative` (one-sided alternatives give one-sided intervals).
    pub fn with_alternative(mut self, alternative: Alternative) -> Self {
        self.alternative = alternative;
        self
    }

    /// The chosen method (`None`: the family's default).
    pub fn method(&self) -> Option<DifferenceMethod> {
        self.method
    }

    /// The chosen level (`None`: the estimates' own).
    pub fn confidence(&self) -> Option<Confidence> {
        self.confidence
    }

    /// The alternative.
    pub fn alternative(&self) -> Alternative {
        self.alternative
    }
}

/// Compares two independent estimates of the same indicator: the difference `a - b` (sign kept), its
/// interval and the test of no difference, with the method, level and alternative of `options`.
///
/// Without a method the family's default is used ([`DifferenceMethod::default_for`]); without a
/// confidence level the estimates' level (which must then agree).
///
/// # Errors
/// [`Error::NotComparable`] for different indicators, scales, units or (without a level in
/// `options`) confidence levels; [`Error::UnknownMethod`] for a method of another family;
/// [`Error::MethodNotWeighted`] for `adjusted_wald`, `agresti_caffo` or `score` with weighted
/// estimates; [`Error::InvalidCounts`] when an estimate lacks the counts a method needs.
///
/// # Examples
///
/// ```
/// use cxmetrics::compare::{compare, CompareOptions};
/// use cxmetrics::{top_box_from_counts, Confidence, ProportionMethod};
///
/// // Newcombe (1998b), example (a): 56/70 vs 48/80.
/// let a = top_box_from_counts(56, 70, ProportionMethod::Wilson, Confidence::default())?;
/// let b = top_box_from_counts(48, 80, ProportionMethod::Wilson, Confidence::default())?;
/// let c = compare(&a, &b, CompareOptions::default())?;
/// assert_eq!(c.method(), "newcombe");
/// assert!((c.lower() - 5.24).abs() < 0.01 && (c.upper() - 33.39).abs() < 0.01);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn compare(a: &Estimate, b: &Estimate, options: CompareOptions) -> Result<Comparison> {
    let CompareOptions {
        method,
        confidence,
        alternative,
    } = options;
    if a.indicator() != b.indicator() {
        return Err(Error::NotComparable {
            reason: format!(
                "{} cannot be compared with {}",
                a.indicator().label(),
                b.indicator().label()
            ),
        });
    }
    if let (Some(sa), Some(sb)) = (a.scale(), b.scale()) {
        if sa != sb {
            return Err(Error::NotComparable {
                reason: format!("the estimates are on different scales ({sa} and {sb})"),
            });
        }
    }
    if let (Some(ta), Some(tb)) = (a.top(), b.top()) {
        if ta != tb {
            return Err(Error::NotComparable {
                reason: format!("the shares count different top boxes (top {ta} and top {tb})"),
            });
        }
    }
    let confidence = match confidence {
        Some(c) => c,
        None if a.confidence() == b.confidence() => Confidence::new(a.confidence())?,
        None => {
            return Err(Error::NotComparable {
                reason: format!(
                    "the estimates have different confidence levels ({} and {}); pass confidence=",
                    a.confidence(),
                    b.confidence()
                ),
            })
        }
    };
    let indicator = a.indicator();
    let method = method.unwrap_or_else(|| DifferenceMethod::default_for(indicator));
    DifferenceMethod::parse_for(method.as_str(), indicator)?;
    let weighted = a.is_weighted() || b.is_weighted();
    let not_weighted =
        |weighted_names: &'static [&'static str], family: &'static str| Error::MethodNotWeighted {
            method: method.as_str(),
            indicator: family,
            weighted: weighted_names,
        };
    let mut c = Comparison {
        indicator,
        unit: a.unit(),
        kind: ComparisonKind::Independent,
        estimate_a: a.value(),
        estimate_b: b.value(),
        difference: a.value() - b.value(),
        lower: f64::NAN,
        upper: f64::NAN,
        confidence: confidence.level(),
        method: method.as_str(),
        std_error: f64::NAN,
        statistic: f64::NAN,
        df: None,
        p_value: f64::NAN,
        alternative,
        n_a: a.n(),
        n_b: b.n(),
        n_missing: 0,
    };
    match indicator {
        Indicator::Nps | Indicator::Enps => {
            if weighted && method != DifferenceMethod::Wald {
                return Err(not_weighted(&["wald"], "nps differences"));
            }
            let (centre, se) = if weighted {
                (a.value() - b.value(), a.std_error().hypot(b.std_error()))
            } else {
                let pseudo = if method == DifferenceMethod::AdjustedWald {
                    [0.75, 1.5, 0.75]
                } else {
                    [0.0; 3]
                };
                let (na, va) = nps_moments(a, pseudo)?;
                let (nb, vb) = nps_moments(b, pseudo)?;
                (100.0 * (na - nb), 100.0 * va.hypot(vb))
            };
            normal_difference(&mut c, centre, se, confidence, 200.0);
        }
        i if i.is_mean() => {
            let (va, vb) = (a.std_error().powi(2), b.std_error().powi(2));
            let (dfa, dfb) = (a.n() as f64 - 1.0, b.n() as f64 - 1.0);
            let se = (va + vb).sqrt();
            // Without any spread in either group (or without a standard error: n = 1) the t test
            // is not defined; R's `t.test` stops with "data are essentially constant". So do we,
            // rather than print a NaN interval with a verdict.
            if se.is_nan() || se <= 0.0 {
                return Err(Error::NotComparable {
                    reason: format!(
                        "both means have no spread (standard errors {} and {}), so Welch's t test \
                         is not defined; compare the values directly or collect more varied answers",
                        crate::error::Shortest(a.std_error()),
                        crate::error::Shortest(b.std_error())
                    ),
                });
            }
            // Welch-Satterthwaite degrees of freedom.
            let df = (va + vb).powi(2) / (va * va / dfa + vb * vb / dfb);
            let t = match alternative {
                Alternative::TwoSided => confidence.t(df),
                _ => student_t_quantile(confidence.level(), df),
            };
            let span = if indicator != Indicator::Mean {
                100.0
            } else {
                a.scale()
                    .or(b.scale())
                    .map_or(f64::INFINITY, |s| (s.max() - s.min()) as f64)
            };
            let (lo, hi) =
                alternative.sides(c.difference - t * se, c.difference + t * se, -span, span);
            c.lower = lo;
            c.upper = hi;
            c.std_error = se;
            c.statistic = z_statistic(c.difference, se);
            c.df = Some(df);
            c.p_value = alternative.p_value(c.statistic, |t| student_t_sf(t, df));
        }
        _ => {
            let (pa, pb) = (a.value() / 100.0, b.value() / 100.0);
            let unweighted_counts = || -> Result<(f64, f64, f64, f64)> {
                match (a.successes(), b.successes()) {
                    (Some(xa), Some(xb)) => Ok((xa as f64, a.n() as f64, xb as f64, b.n() as f64)),
                    _ => Err(Error::InvalidCounts {
                        reason: "a share estimate without its counts cannot be compared".into(),
                    }),
                }
            };
            match method {
                DifferenceMethod::Wald => {
                    let se = if weighted {
                        a.std_error().hypot(b.std_error())
                    } else {
                        let (_, na, _, nb) = unweighted_counts()?;
                        100.0 * (pa * (1.0 - pa) / na + pb * (1.0 - pb) / nb).sqrt()
                    };
                    let centre = c.difference;
                    normal_difference(&mut c, centre, se, confidence, 100.0);
                }
                DifferenceMethod::AgrestiCaffo => {
                    if weighted {
                        return Err(not_weighted(&["newcombe", "wald"], "share differences"));
                    }
                    let (xa, na, xb, nb) = unweighted_counts()?;
                    let (qa, qb) = ((xa + 1.0) / (na + 2.0), (xb + 1.0) / (nb + 2.0));
                    let se = (qa * (1.0 - qa) / (na + 2.0) + qb * (1.0 - qb) / (nb + 2.0)).sqrt();
                    normal_difference(&mut c, 100.0 * (qa - qb), 100.0 * se, confidence, 100.0);
                }
                DifferenceMethod::Newcombe => {
                    let level = alternative.two_sided_equivalent(confidence)?;
                    let wilson = |e: &Estimate, p: f64| -> Result<(f64, f64)> {
                        let ci = if e.is_weighted() {
                            let v = (e.std_error() / 100.0).powi(2);
                            weighted_interval(
                                p,
                                v,
                                e.effective_n(),
                                ProportionMethod::Wilson,
                                level,
                            )?
                        } else {
                            let x = e.successes().ok_or_else(|| Error::InvalidCounts {
                                reason: "a share estimate without its counts cannot be compared"
                                    .into(),
                            })?;
                            binomial_interval(
                                x as f64,
                                e.n() as f64,
                                ProportionMethod::Wilson,
                                level,
                            )
                        };
                        Ok((ci.lower, ci.upper))
                    };
                    let (la, ua) = wilson(a, pa)?;
                    let (lb, ub) = wilson(b, pb)?;
                    let d = pa - pb;
                    let lo = d - (pa - la).hypot(ub - pb);
                    let hi = d + (ua - pa).hypot(pb - lb);
                    let (lo, hi) = alternative.sides(100.0 * lo, 100.0 * hi, -100.0, 100.0);
                    c.lower = lo;
                    c.upper = hi;
                    if weighted {
                        c.std_error = a.std_error().hypot(b.std_error());
                        c.statistic = z_statistic(c.difference, c.std_error);
                    } else {
                        let (xa, na, xb, nb) = unweighted_counts()?;
                        let (stat, se) = miettinen_nurminen(xa, na, xb, nb, 0.0);
                        c.std_error = 100.0 * se;
                        c.statistic = stat;
                    }
                    c.p_value = alternative.p_value(c.statistic, normal_sf);
                }
                DifferenceMethod::Score => {
                    if weighted {
                        return Err(not_weighted(&["newcombe", "wald"], "share differences"));
                    }
                    let (xa, na, xb, nb) = unweighted_counts()?;
                    let z = alternative.z(confidence);
                    let stat = |delta: f64| miettinen_nurminen(xa, na, xb, nb, delta).0;
                    let d = pa - pb;
                    // The statistic decreases in delta; invert it on each side of the estimate.
                    let lo = if stat(-1.0 + 1e-12) <= z {
                        -1.0
                    } else {
                        bisect(|delta| stat(delta) - z, -1.0 + 1e-12, d)
                    };
                    let hi = if stat(1.0 - 1e-12) >= -z {
                        1.0
                    } else {
                        bisect(|delta| stat(delta) + z, d, 1.0 - 1e-12)
                    };
                    let (lo, hi) = alternative.sides(100.0 * lo, 100.0 * hi, -100.0, 100.0);
                    c.lower = lo;
                    c.upper = hi;
                    let (s0, se0) = miettinen_nurminen(xa, na, xb, nb, 0.0);
                    c.statistic = s0;
                    c.std_error = 100.0 * se0;
                    c.p_value = alternative.p_value(s0, normal_sf);
                }
                _ => unreachable!("validated by parse_for"),
            }
        }
    }
    Ok(c)
}

/// Fills interval, standard error, z statistic and p-value for a normal-theory difference centred at
/// `centre` (in the reporting unit), clipped to `±range`.
fn normal_difference(c: &mut Comparison, centre: f64, se: f64, confidence: Confidence, range: f64) {
    let z = c.alternative.z(confidence);
    let (lo, hi) = c
        .alternative
        .sides(centre - z * se, centre + z * se, -range, range);
    c.lower = lo;
    c.upper = hi;
    c.std_error = se;
    c.statistic = z_statistic(centre, se);
    c.p_value = c.alternative.p_value(c.statistic, normal_sf);
}

/// The NPS on [-1, 1] and its standard error `sqrt(Var1/n)` from an estimate's category counts plus
/// pseudo-counts (detractors, passives, promoters).
fn nps_moments(e: &Estimate, pseudo: [f64; 3]) -> Result<(f64, f64)> {
    let b = e.nps_breakdown().ok_or_else(|| Error::InvalidCounts {
        reason: "an NPS estimate without its category counts cannot be compared".into(),
    })?;
    let (d, p, r) = (
        b.detractors as f64 + pseudo[0],
        b.passives as f64 + pseudo[1],
        b.promoters as f64 + pseudo[2],
    );
    let n = d + p + r;
    Ok(((r - d) / n, (per_response_variance(d, p, r) / n).sqrt()))
}

/// The Miettinen-Nurminen score statistic for `p1 - p2 = delta` and its standard error: the
/// constrained maximum-likelihood proportions from Farrington & Manning's (1990) closed-form cubic
/// root, variance `(p1~(1-p1~)/n1 + p2~(1-p2~)/n2) N/(N-1)`; the parametrisation of statsmodels
/// `score_test_proportions_2indep(correction=True)`, with the cubic's linear coefficient corrected
/// (`n0 delta`, where statsmodels 0.15 has `count0 delta`: statsmodels issue 10269), which gives R
/// `PropCIs::diffscoreci` and Newcombe's (1998b) Miettinen-Nurminen values.
fn miettinen_nurminen(x1: f64, n1: f64, x2: f64, n2: f64, delta: f64) -> (f64, f64) {
    let (p1, p2) = (x1 / n1, x2 / n2);
    let n = n1 + n2;
    let (p1c, p2c) = if delta == 0.0 {
        let pooled = (x1 + x2) / n;
        (pooled, pooled)
    } else {
        // statsmodels' parametrisation, index 0 = group 2 (Miettinen & Nurminen 1985, appendix).
        let (x0, n0) = (x2, n2);
        let t3 = n;
        let t2 = (n1 + 2.0 * n0) * delta - n - (x1 + x2);
        let t1 = (n0 * delta - n - 2.0 * x0) * delta + (x1 + x2);
        let t0 = x0 * delta * (1.0 - delta);
        let q = (t2 / (3.0 * t3)).powi(3) - t1 * t2 / (6.0 * t3 * t3) + t0 / (2.0 * t3);
        let p = q.signum()
            * ((t2 / (3.0 * t3)).powi(2) - t1 / (3.0 * t3))
                .max(0.0)
                .sqrt();
        let ratio = if p == 0.0 {
            0.0
        } else {
            (q / p.powi(3)).clamp(-1.0, 1.0)
        };
        let a = (std::f64::consts::PI + ratio.acos()) / 3.0;
        let p0 = (2.0 * p * a.cos() - t2 / (3.0 * t3)).clamp(0.0, 1.0);
        ((p0 + delta).clamp(0.0, 1.0), p0)
    };
    let var = (p1c * (1.0 - p1c) / n1 + p2c * (1.0 - p2c) / n2) * n / (n - 1.0);
    let se = var.max(0.0).sqrt();
    (z_statistic(p1 - p2 - delta, se), se)
}

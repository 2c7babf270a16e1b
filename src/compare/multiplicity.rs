//! Many comparisons at once: adjusted p-values (as R `p.adjust` and statsmodels `multipletests`).
//!
//! Methods and sources: `docs/methods.md#p-value-adjustment`.

use crate::error::{Error, Result};

crate::names::named_enum! {
    /// A multiple-testing adjustment.
    #[derive(Default)]
    pub enum PAdjust {
        /// Holm (1979) step-down: controls the family-wise error rate, uniformly better than Bonferroni.
        #[default]
        Holm = "holm",
        /// Benjamini & Hochberg (1995) step-up: controls the false discovery rate.
        BenjaminiHochberg = "bh" | "fdr_bh" | "BH",
        /// Bonferroni: `min(1, m p)`.
        Bonferroni = "bonferroni",
    }
    unknown = |name| Error::UnknownMethod { name, indicator: "p-value adjustment (p_adjust)", valid: PAdjust::NAMES };
}

/// Adjusted p-values, in the input order (R `p.adjust`): Holm `max_{j<=i} min(1, (m-j+1) p_(j))`,
/// Benjamini-Hochberg `min_{j>=i} min(1, m p_(j) / j)`, Bonferroni `min(1, m p)`.
///
/// # Errors
/// [`Error::InvalidPValue`] for a p-value that is NaN or outside `[0, 1]`, with its position.
///
/// # Examples
///
/// ```
/// use cxmetrics::compare::{adjust_p_values, PAdjust};
///
/// let p = [0.01, 0.04, 0.03, 0.005];
/// let bh = adjust_p_values(&p, PAdjust::BenjaminiHochberg)?;
/// assert_eq!(bh, vec![0.02, 0.04, 0.04, 0.02]);
/// let holm = adjust_p_values(&p, PAdjust::Holm)?;
/// assert!((holm[1] - 0.06).abs() < 1e-15 && (holm[0] - 0.03).abs() < 1e-15);
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn adjust_p_values(p_values: &[f64], method: PAdjust) -> Result<Vec<f64>> {
    if let Some((position, &value)) = p_values
        .iter()
        .enumerate()
        .find(|(_, p)| !(0.0..=1.0).contains(*p))
    {
        return Err(Error::InvalidPValue { value, position });
    }
    let m = p_values.len();
    let mf = m as f64;
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p_values[i].total_cmp(&p_values[j]));
    let mut adjusted = vec![0.0; m];
    match method {
        PAdjust::Bonferroni => {
            for (a, p) in adjusted.iter_mut().zip(p_values) {
                *a = (mf * p).min(1.0);
            }
        }
        PAdjust::Holm => {
            let mut running = 0.0f64;
            for (rank, &i) in order.iter().enumerate() {
                running = running.max(((mf - rank as f64) * p_values[i]).min(1.0));
                adjusted[i] = running;
            }
        }
        PAdjust::BenjaminiHochberg => {
            let mut running = 1.0f64;
            for (rank, &i) in order.iter().enumerate().rev() {
                running = running.min((mf * p_values[i] / (rank as f64 + 1.0)).min(1.0));
                adjusted[i] = running;
            }
        }
    }
    Ok(adjusted)
}

//! DeLong's variance of the ROC AUC from an [`ExactTable`]: every positive
//! with score s is placed at V10 = (negatives below s + half the negatives at
//! s) / n_neg, every negative at V01 = (positives above s + half the
//! positives at s) / n_pos, so the placements, their mean (the AUC) and their
//! spreads need one value per distinct score, not per row.

use crate::exact_table::ExactTable;

/// The AUC and the two sample variances (n - 1 denominators, weights as
/// frequencies) of the placements, with the class totals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DelongParts {
    pub auc: f64,
    /// Variance of the positives' placements; NaN when `n_pos <= 1`.
    pub s10: f64,
    /// Variance of the negatives' placements; NaN when `n_neg <= 1`.
    pub s01: f64,
    pub n_pos: f64,
    pub n_neg: f64,
}

impl DelongParts {
    /// DeLong's variance of the AUC: `s10 / n_pos + s01 / n_neg`.
    pub fn variance(&self) -> f64 {
        self.s10 / self.n_pos + self.s01 / self.n_neg
    }
}

impl ExactTable {
    /// DeLong's AUC and placement variances, in three sweeps without
    /// allocating: the mean first, then the squared deviations from it (so
    /// that placements close to the AUC keep their digits). The weight below
    /// or above a score is a running sum, never a difference from the total.
    pub fn delong(&self) -> DelongParts {
        let (pos, neg) = (self.positives(), self.negatives());
        let (n_pos, n_neg) = (self.positive_total(), self.negative_total());
        // V10 of each score, from the lowest score up (the table is decreasing).
        let v10_from_the_bottom = || {
            let mut negatives_below = 0.0;
            (0..pos.len()).rev().map(move |k| {
                let v10 = (negatives_below + 0.5 * neg[k]) / n_neg;
                negatives_below += neg[k];
                (k, v10)
            })
        };
        let auc = v10_from_the_bottom()
            .map(|(k, v10)| pos[k] * v10)
            .sum::<f64>()
            / n_pos;
        let square10: f64 = v10_from_the_bottom()
            .map(|(k, v10)| pos[k] * (v10 - auc) * (v10 - auc))
            .sum();
        let mut positives_above = 0.0;
        let mut square01 = 0.0;
        for k in 0..pos.len() {
            let v01 = (positives_above + 0.5 * pos[k]) / n_pos;
            square01 += neg[k] * (v01 - auc) * (v01 - auc);
            positives_above += pos[k];
        }
        let spread = |square: f64, total: f64| {
            if total > 1.0 {
                square / (total - 1.0)
            } else {
                f64::NAN
            }
        };
        DelongParts {
            auc,
            s10: spread(square10, n_pos),
            s01: spread(square01, n_neg),
            n_pos,
            n_neg,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(scores: &[f64], pos: &[f64], neg: &[f64]) -> ExactTable {
        ExactTable::from_saved(scores.to_vec(), pos.to_vec(), neg.to_vec()).unwrap()
    }

    #[test]
    fn placements_worked_by_hand() {
        // Positives at 0.9 and 0.5, negatives at 0.5 and 0.1 (one of each class tied at 0.5).
        // V10: 0.9 -> (2 below) / 2 = 1; 0.5 -> (1 below + 0.5 tied) / 2 = 0.75. AUC = 0.875.
        // V01: 0.5 -> (1 above + 0.5 tied) / 2 = 0.75; 0.1 -> 2 / 2 = 1.
        // s10 = ((1 - .875)^2 + (.75 - .875)^2) / 1 = 0.03125; s01 likewise 0.03125.
        let parts = table(&[0.9, 0.5, 0.1], &[1.0, 1.0, 0.0], &[0.0, 1.0, 1.0]).delong();
        assert_eq!(parts.auc, 0.875);
        assert_eq!(parts.s10, 0.03125);
        assert_eq!(parts.s01, 0.03125);
        assert_eq!(parts.variance(), 0.03125);
    }

    #[test]
    fn weights_are_frequencies_and_one_row_of_a_class_has_no_variance() {
        // Positives 0.9 (weight 2) and 0.5; negatives 0.5 and 0.1.
        // V10: 0.9 -> 1, 0.5 -> 0.75; AUC = (2 * 1 + 0.75) / 3 = 11/12.
        // s10 = (2 (1 - 11/12)^2 + (0.75 - 11/12)^2) / (3 - 1) = 1/48.
        // V01: 0.5 -> (2 + 0.5) / 3 = 5/6, 0.1 -> 1; s01 = 2 (1/12)^2 / 1 = 1/72.
        let parts = table(&[0.9, 0.5, 0.1], &[2.0, 1.0, 0.0], &[0.0, 1.0, 1.0]).delong();
        assert!((parts.auc - 11.0 / 12.0).abs() < 1e-15);
        assert!((parts.s10 - 1.0 / 48.0).abs() < 1e-16);
        assert!((parts.s01 - 1.0 / 72.0).abs() < 1e-16);
        let single = table(&[0.9, 0.1], &[1.0, 0.0], &[0.0, 3.0]).delong();
        assert_eq!(single.auc, 1.0);
        assert!(single.s10.is_nan() && single.variance().is_nan());
        assert_eq!(single.s01, 0.0);
    }
}

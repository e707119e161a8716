//! Threshold lists and Keras's choice between the even and the direct path.

use crate::error::{CoreError, CoreResult};

/// Keras's default threshold when `top_k` is set and no thresholds are given.
pub const NEG_INF: f64 = -1e10;

/// The thresholds of a metric, in the caller's order, with the counting path
/// Keras would choose for them.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdSet {
    values: Vec<f64>,
    even: bool,
    /// `sorted[s]` is the caller's index of the s-th smallest threshold.
    sorted: Vec<usize>,
}

impl ThresholdSet {
    /// Thresholds as Precision/Recall/the counts take them: even path iff the
    /// list itself is evenly spaced.
    pub fn keras(values: Vec<f64>) -> Self {
        let even = is_evenly_distributed(&values);
        Self::with_path(values, even)
    }

    /// Thresholds with the path decided by the caller (AUC tests a list other
    /// than the one it counts with).
    pub fn with_path(values: Vec<f64>, even: bool) -> Self {
        let mut sorted: Vec<usize> = (0..values.len()).collect();
        // Stable: equal thresholds keep the caller's order.
        sorted.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        ThresholdSet {
            values,
            even,
            sorted,
        }
    }

    pub fn values(&self) -> &[f64] {
        &self.values
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Whether counting takes Keras's bucket formula (O(N + T)).
    pub fn is_even(&self) -> bool {
        self.even
    }

    /// On the even path: whether the end thresholds carry epsilon, so that a
    /// prediction of exactly 0 lands in the first bucket.
    pub fn epsilon_ends(&self) -> bool {
        match (self.values.first(), self.values.last()) {
            (Some(&first), Some(&last)) => first < 0.0 || last > 1.0,
            _ => false,
        }
    }

    /// Caller indices in ascending threshold order (identity on the even path).
    pub fn ascending_order(&self) -> &[usize] {
        &self.sorted
    }

    /// Threshold values in ascending order.
    pub fn ascending_values(&self) -> impl Iterator<Item = f64> + '_ {
        self.sorted.iter().map(|&i| self.values[i])
    }
}

/// Keras's `is_evenly_distributed_thresholds`: at least 3 values, and
/// `allclose(t, arange(n, dtype=float32) / (n - 1), atol=1e-7)` with NumPy's
/// default `rtol=1e-5`. The evenly spaced reference is computed in float32.
pub fn is_evenly_distributed(values: &[f64]) -> bool {
    let n = values.len();
    if n < 3 {
        return false;
    }
    let denom = (n - 1) as f32;
    values.iter().enumerate().all(|(i, &t)| {
        let even = f64::from(i as f32 / denom);
        (t - even).abs() <= 1e-7 + 1e-5 * even.abs()
    })
}

/// Validates user thresholds as Keras's `assert_thresholds_range` does, and
/// also refuses NaN. An empty list is valid, as in Keras: no thresholds, an
/// empty result.
pub fn check_thresholds_in_unit_range(values: &[f64]) -> CoreResult<()> {
    let invalid: Vec<f64> = values
        .iter()
        .copied()
        .filter(|t| t.is_nan() || *t < 0.0 || *t > 1.0)
        .collect();
    if invalid.is_empty() {
        Ok(())
    } else {
        Err(CoreError::value(format!(
            "Threshold values must be in [0, 1]. Received: {}",
            py_list(&invalid)
        )))
    }
}

/// Formats floats as Python prints a list of them.
pub fn py_list(values: &[f64]) -> String {
    let parts: Vec<String> = values.iter().map(|&v| py_float(v)).collect();
    format!("[{}]", parts.join(", "))
}

/// Formats a float as Python's `repr` does for the common cases.
pub fn py_float(v: f64) -> String {
    if v.is_nan() {
        "nan".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        format!("{v:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evenly_spaced_lists_take_the_even_path() {
        assert!(is_evenly_distributed(&[0.0, 0.5, 1.0]));
        assert!(is_evenly_distributed(&[0.0, 0.25, 0.5, 0.75, 1.0]));
        assert!(!is_evenly_distributed(&[0.0, 1.0]));
        assert!(!is_evenly_distributed(&[0.1, 0.5, 0.9]));
        assert!(!is_evenly_distributed(&[0.0, f64::NAN, 1.0]));
        // Within allclose's tolerance of float32 arange / (n - 1).
        assert!(is_evenly_distributed(&[
            0.0,
            1.0 / 3.0 + 1e-7,
            2.0 / 3.0,
            1.0
        ]));
    }

    #[test]
    fn order_is_stable_and_ascending() {
        let set = ThresholdSet::keras(vec![0.7, 0.2, 0.7, 0.1]);
        assert_eq!(set.ascending_order(), &[3, 1, 0, 2]);
        assert!(!set.is_even());
    }

    #[test]
    fn range_errors_list_the_bad_values() {
        let err = check_thresholds_in_unit_range(&[0.5, 1.5]).unwrap_err();
        assert_eq!(
            err.message(),
            "Threshold values must be in [0, 1]. Received: [1.5]"
        );
        assert!(check_thresholds_in_unit_range(&[f64::NAN]).is_err());
        assert!(check_thresholds_in_unit_range(&[]).is_ok()); // Keras: no thresholds, empty result
        assert!(check_thresholds_in_unit_range(&[0.0, 1.0]).is_ok());
    }

    #[test]
    fn epsilon_ends_are_detected() {
        assert!(ThresholdSet::keras(vec![-1e-7, 0.5, 1.0 + 1e-7]).epsilon_ends());
        assert!(!ThresholdSet::keras(vec![0.0, 0.5, 1.0]).epsilon_ends());
    }
}

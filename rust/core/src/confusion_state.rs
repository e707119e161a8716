//! Weighted confusion counts per threshold: the state of Precision, Recall,
//! the four counts, AUC and the operating-point metrics.

use crate::histogram::Histogram;
use crate::metric::{SavedArray, Variable};
use crate::thresholds::ThresholdSet;

/// Bound on thresholds x labels, so a state (and a batch's histogram) always
/// fits in memory: refused up front rather than failing to allocate.
pub const MAX_STATE_ELEMENTS: usize = 1 << 24;

/// Weighted confusion counts per threshold (and per slot), float64.
///
/// Indexed `[threshold * slots + slot]`, the row-major layout of Keras's
/// `(T, L)` variables. A multi-label AUC whose label count is not known yet
/// has 0 slots.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfusionState {
    pub slots: usize,
    pub true_positives: Vec<f64>,
    pub false_positives: Vec<f64>,
    pub true_negatives: Vec<f64>,
    pub false_negatives: Vec<f64>,
}

impl ConfusionState {
    pub fn zeros(thresholds: usize, slots: usize) -> Self {
        let zeros = vec![0.0; thresholds * slots];
        ConfusionState {
            slots,
            true_positives: zeros.clone(),
            false_positives: zeros.clone(),
            true_negatives: zeros.clone(),
            false_negatives: zeros,
        }
    }

    /// A state of `slots` slots holding saved `[tp, fp, tn, fn]` (their number
    /// and lengths checked by the caller).
    pub fn from_saved(slots: usize, saved: &[SavedArray]) -> Self {
        let mut state = ConfusionState::zeros(0, slots);
        for (target, array) in state.arrays_mut().into_iter().zip(saved) {
            target.clone_from(&array.values);
        }
        state
    }

    /// All four arrays as Keras's variables of AUC and the `*At*` metrics
    /// (`true_positives, false_positives, true_negatives, false_negatives`).
    pub fn variables(&self, shape: &[usize]) -> Vec<Variable<'_>> {
        const NAMES: [&str; 4] = [
            "true_positives",
            "false_positives",
            "true_negatives",
            "false_negatives",
        ];
        NAMES
            .into_iter()
            .zip(self.arrays())
            .map(|(name, values)| Variable {
                name,
                shape: shape.to_vec(),
                values,
            })
            .collect()
    }

    /// Zeros, keeping the shape.
    pub fn reset(&mut self) {
        for v in self.arrays_mut() {
            v.fill(0.0);
        }
    }

    /// Adds a histogram: at the threshold of ascending position `s`, the
    /// samples of rank > s are predicted positive.
    pub fn add_histogram(&mut self, hist: &Histogram, thresholds: &ThresholdSet) {
        let order = thresholds.ascending_order();
        let t = order.len();
        debug_assert_eq!(hist.ranks(), t + 1);
        for slot in 0..hist.slots() {
            // Suffix sums give the predicted-positive weights at each threshold.
            let (mut above_neg, mut above_pos) = (0.0, 0.0);
            for s in (0..t).rev() {
                let (neg, pos) = hist.get(slot, s + 1);
                above_neg += neg;
                above_pos += pos;
                let i = order[s] * self.slots + slot;
                self.true_positives[i] += above_pos;
                self.false_positives[i] += above_neg;
            }
            // Prefix sums give the predicted-negative weights.
            let (mut below_neg, mut below_pos) = (0.0, 0.0);
            for (s, &user) in order.iter().enumerate() {
                let (neg, pos) = hist.get(slot, s);
                below_neg += neg;
                below_pos += pos;
                let i = user * self.slots + slot;
                self.true_negatives[i] += below_neg;
                self.false_negatives[i] += below_pos;
            }
        }
    }

    /// Adds another state of the same shape element by element.
    pub fn merge(&mut self, other: &ConfusionState) {
        debug_assert_eq!(self.slots, other.slots);
        for (mine, theirs) in self.arrays_mut().into_iter().zip(other.arrays()) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }

    /// `[tp, fp, tn, fn]`.
    pub fn arrays(&self) -> [&[f64]; 4] {
        [
            &self.true_positives,
            &self.false_positives,
            &self.true_negatives,
            &self.false_negatives,
        ]
    }

    fn arrays_mut(&mut self) -> [&mut Vec<f64>; 4] {
        [
            &mut self.true_positives,
            &mut self.false_positives,
            &mut self.true_negatives,
            &mut self.false_negatives,
        ]
    }
}

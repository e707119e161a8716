//! The F-scores' hot paths, for one weight for every element (none, or a
//! scalar): a fixed threshold, or Keras's default row-maximum rule. Counts are
//! integers per column; with a threshold they are accumulated over a period of
//! whole rows so the inner loop has a fixed shape and vectorises.

use crate::float::Float;
use crate::values::{Label, Prediction};

/// Rows per period: the accumulators are `ROWS_PER_PERIOD * cols` wide.
const ROWS_PER_PERIOD: usize = 8;
/// Periods counted into `u32` accumulators before they are drained: each
/// period adds at most 1 to each, so none can overflow.
const PERIODS_PER_DRAIN: usize = 1 << 30;

/// Per column: `[predicted and positive, predicted, positive]` element counts.
pub(crate) type ColumnCounts = Vec<[u64; 3]>;

/// `u32` accumulators for `len` positions (position `j` is column `j % cols`),
/// drained into [`ColumnCounts`] before they can overflow.
struct Tallies {
    hits: Vec<u32>,
    predicted: Vec<u32>,
    positive: Vec<u32>,
}

impl Tallies {
    fn new(len: usize) -> Self {
        Tallies {
            hits: vec![0; len],
            predicted: vec![0; len],
            positive: vec![0; len],
        }
    }

    /// Adds one element per position: `predicted` (above the threshold, or
    /// the row's maximum) and `is_one` per position, in the vectorised loop
    /// the callers share.
    #[inline(always)]
    fn add(&mut self, elements: impl Iterator<Item = (bool, bool)>) {
        let lanes = self
            .hits
            .iter_mut()
            .zip(self.predicted.iter_mut())
            .zip(self.positive.iter_mut());
        for (((hit, pred), pos), (predicted, is_one)) in lanes.zip(elements) {
            *hit += u32::from(predicted & is_one);
            *pred += u32::from(predicted);
            *pos += u32::from(is_one);
        }
    }

    fn drain_into(&mut self, counts: &mut ColumnCounts) {
        let cols = counts.len();
        let lanes = self
            .hits
            .iter_mut()
            .zip(&mut self.predicted)
            .zip(&mut self.positive);
        for (j, ((h, p), y)) in lanes.enumerate() {
            let column = &mut counts[j % cols];
            column[0] += u64::from(std::mem::take(h));
            column[1] += u64::from(std::mem::take(p));
            column[2] += u64::from(std::mem::take(y));
        }
    }
}

/// Counts the whole periods of `preds`/`labels` (rows of `cols` elements);
/// returns the counts and the number of elements counted (the caller counts
/// the remaining rows), or `None` if any of them is invalid (the caller then
/// finds and reports the first bad value).
pub(crate) fn count_periods<C: Float, P: Prediction, L: Label>(
    preds: &[P],
    labels: &[L],
    cols: usize,
    threshold: C,
) -> Option<(ColumnCounts, usize)> {
    let period = ROWS_PER_PERIOD * cols;
    let mut counts = vec![[0u64; 3]; cols];
    if period == 0 {
        return Some((counts, 0));
    }
    let whole = preds.len() / period * period;
    let mut tallies = Tallies::new(period);
    let mut valid = true;
    let group = PERIODS_PER_DRAIN * period;
    for start in (0..whole).step_by(group) {
        let end = (start + group).min(whole);
        let chunks = preds[start..end]
            .chunks_exact(period)
            .zip(labels[start..end].chunks_exact(period));
        for (p, l) in chunks {
            valid &= add_period(p, l, threshold, &mut tallies);
        }
        tallies.drain_into(&mut counts);
    }
    valid.then_some((counts, whole))
}

/// Rows counted into `u32` accumulators before they are drained.
const ROWS_PER_DRAIN: usize = 1 << 30;

/// `count_periods` for the row-maximum rule: an element is predicted positive
/// iff it is its row's maximum (ties all count) and its magnitude exceeds
/// `tolerance`. Counts every row; `None` if any value is invalid.
pub(crate) fn count_row_max<C: Float, P: Prediction, L: Label>(
    preds: &[P],
    labels: &[L],
    cols: usize,
    tolerance: f64,
) -> Option<ColumnCounts> {
    let mut counts = vec![[0u64; 3]; cols];
    if cols == 0 {
        return Some(counts);
    }
    let mut tallies = Tallies::new(cols);
    let mut valid = true;
    let group = ROWS_PER_DRAIN * cols;
    for start in (0..preds.len()).step_by(group) {
        let end = (start + group).min(preds.len());
        let rows = preds[start..end]
            .chunks_exact(cols)
            .zip(labels[start..end].chunks_exact(cols));
        for (p, l) in rows {
            valid &= add_row_max::<C, P, L>(p, l, tolerance, &mut tallies);
        }
        tallies.drain_into(&mut counts);
    }
    valid.then_some(counts)
}

#[inline(always)]
fn add_row_max<C: Float, P: Prediction, L: Label>(
    preds: &[P],
    labels: &[L],
    tolerance: f64,
    tallies: &mut Tallies,
) -> bool {
    let mut finite = true;
    let mut row_max = C::from_prediction(preds[0]);
    for &p in preds {
        let x = C::from_prediction(p);
        finite &= x.to_f64().abs() < f64::INFINITY;
        row_max = if x > row_max { x } else { row_max };
    }
    let mut valid = finite;
    tallies.add(preds.iter().zip(labels).map(|(&p, &label)| {
        let x = C::from_prediction(p);
        let (is_one, label_ok) = label.class_bits();
        valid &= label_ok;
        ((x >= row_max) & (x.to_f64().abs() > tolerance), is_one)
    }));
    valid
}

#[inline(always)]
fn add_period<C: Float, P: Prediction, L: Label>(
    preds: &[P],
    labels: &[L],
    threshold: C,
    tallies: &mut Tallies,
) -> bool {
    let mut valid = true;
    tallies.add(preds.iter().zip(labels).map(|(&p, &label)| {
        let x = C::from_prediction(p);
        let (is_one, label_ok) = label.class_bits();
        valid &= (x.to_f64().abs() < f64::INFINITY) & label_ok;
        (x > threshold, is_one)
    }));
    valid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_counting_one_element_at_a_time() {
        let cols = 3;
        let rows = 8 * 5 + 3;
        let n = rows * cols;
        let preds: Vec<f32> = (0..n).map(|i| ((i * 37) % 101) as f32 / 100.0).collect();
        let labels: Vec<u8> = (0..n).map(|i| u8::from((i * 7 + i / 5) % 3 == 0)).collect();
        let (counts, counted) = count_periods::<f32, f32, u8>(&preds, &labels, cols, 0.5).unwrap();
        assert_eq!(counted, 8 * 5 * cols, "whole periods only");
        let mut want = vec![[0u64; 3]; cols];
        for k in 0..counted {
            let (above, one) = (preds[k] > 0.5, labels[k] == 1);
            let column = &mut want[k % cols];
            column[0] += u64::from(above && one);
            column[1] += u64::from(above);
            column[2] += u64::from(one);
        }
        assert_eq!(counts, want);
    }

    #[test]
    fn row_max_equals_counting_one_row_at_a_time() {
        let cols = 4;
        let n = cols * 301;
        // Few distinct values: ties within a row, all-zero rows, negatives.
        let preds: Vec<f32> = (0..n).map(|i| ((i * 37) % 7) as f32 / 3.0 - 1.0).collect();
        let mut preds = preds;
        preds[..cols].fill(0.0);
        let labels: Vec<u8> = (0..n).map(|i| u8::from((i * 7 + i / 5) % 3 == 0)).collect();
        let counts = count_row_max::<f32, f32, u8>(&preds, &labels, cols, 1e-9).unwrap();
        let mut want = vec![[0u64; 3]; cols];
        for (row, ys) in preds.chunks(cols).zip(labels.chunks(cols)) {
            let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            for c in 0..cols {
                let top = row[c] >= max && f64::from(row[c]).abs() > 1e-9;
                let one = ys[c] == 1;
                want[c][0] += u64::from(top && one);
                want[c][1] += u64::from(top);
                want[c][2] += u64::from(one);
            }
        }
        assert_eq!(counts, want);
        let mut bad = preds.clone();
        bad[5] = f32::INFINITY;
        assert!(count_row_max::<f32, f32, u8>(&bad, &labels, cols, 1e-9).is_none());
    }

    #[test]
    fn any_bad_value_gives_none() {
        let preds = vec![0.1f32; 16];
        let mut labels = vec![0.0f32; 16];
        labels[9] = 0.5;
        assert!(count_periods::<f32, f32, f32>(&preds, &labels, 2, 0.5).is_none());
        let mut preds = preds;
        labels[9] = 1.0;
        preds[3] = f32::NAN;
        assert!(count_periods::<f32, f32, f32>(&preds, &labels, 2, 0.5).is_none());
    }
}
